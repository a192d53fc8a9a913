//! The completeness checker of the reference organization-profile skill: a profile (a JSON
//! value) in, [`Findings`] out. Reads no files and never fails: a value of the wrong type is a
//! finding (`invalid`), not an error.

use crate::profile::{Audience, Section};
use serde::Serialize;
use serde_json::Value;

/// How serious a gap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The profile cannot be used for certification without it.
    Error,
    /// Expected, but later steps can go on without it.
    Warning,
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Code {
    /// Absent, empty or whitespace only.
    Missing,
    /// Template text such as `TBD`, `[Organization Name]` or `{{companyFullName}}`.
    Placeholder,
    /// The wrong JSON type, or a value outside the allowed set.
    Invalid,
}

/// One gap in the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The section id.
    pub section: Section,
    /// JSON pointer of the field.
    pub field: String,
    /// Missing, placeholder or invalid.
    pub code: Code,
    /// What is wrong, in plain words.
    pub message: String,
    /// The interview question that would fill the gap, phrased for the client.
    pub question: String,
    /// Who to ask.
    pub ask: Audience,
    /// Why it matters for the certification.
    pub why: String,
    /// ISO/IEC 20000-1:2011 clause.
    pub clause_2011: String,
    /// ISO/IEC 20000-1:2018 clause.
    pub clause_2018: String,
}

/// Whether one section is complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionStatus {
    /// The section id.
    pub section: Section,
    /// No finding in the section.
    pub complete: bool,
}

/// The checker's result; its JSON form is the contract of `orgprofile check --format json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Findings {
    /// Sections without findings.
    pub sections_complete: usize,
    /// Always 8.
    pub sections_total: usize,
    /// Every section, in order.
    pub sections: Vec<SectionStatus>,
    /// Every finding, by section then field.
    pub findings: Vec<Finding>,
}

/// Checks a profile against the reference rules.
pub fn check(profile: &Value) -> Findings {
    let _ = profile;
    todo_findings()
}

fn todo_findings() -> Findings {
    Findings {
        sections_complete: 0,
        sections_total: 8,
        sections: Vec::new(),
        findings: Vec::new(),
    }
}
