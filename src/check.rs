//! The completeness checker of the reference organization-profile skill: a profile (a JSON
//! value) in, [`Findings`] out, plus the text and Markdown renderings of the findings that
//! `orgprofile check` prints and the `import` report reuses. Reads no files and never fails: a
//! value of the wrong type is a finding (`invalid`), not an error. The questions, audiences and
//! clauses come from [`crate::profile`]; this module owns only the rules and the wording of
//! what is wrong.
//!
//! Placeholders ("TBD", "[Organization Name]", "{{companyFullName}}", ...) are recognised by
//! the judge's one definition ([`crate::judge::placeholder`]), re-exported here.

use crate::profile::{self, json_type, Audience, FieldGroup, FieldKind, FieldSpec, Section};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Write as _;

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

impl Findings {
    /// Whether any finding is an error (`orgprofile check` then exits with 1).
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The sections that have at least one finding, in report order.
    pub fn incomplete_sections(&self) -> Vec<Section> {
        self.sections
            .iter()
            .filter(|s| !s.complete)
            .map(|s| s.section)
            .collect()
    }

    /// The one-line summary: "7/8 sections complete. Missing: Interested parties".
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{}/{} sections complete.",
            self.sections_complete, self.sections_total
        );
        let incomplete = self.incomplete_sections();
        if !incomplete.is_empty() {
            let names: Vec<&str> = incomplete.iter().map(|s| s.title()).collect();
            let _ = write!(line, " Missing: {}", names.join(", "));
        }
        line
    }
}

/// Which edition of ISO/IEC 20000-1 the renderings cite first (the other follows in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Edition {
    /// ISO/IEC 20000-1:2011, the edition the reference skill targets (certificates expired 2021).
    #[serde(rename = "2011")]
    E2011,
    /// ISO/IEC 20000-1:2018, the current edition.
    #[default]
    #[serde(rename = "2018")]
    E2018,
}

impl Edition {
    /// The edition's year.
    pub fn year(self) -> u16 {
        match self {
            Edition::E2011 => 2011,
            Edition::E2018 => 2018,
        }
    }

    /// The other edition.
    pub fn other(self) -> Edition {
        match self {
            Edition::E2011 => Edition::E2018,
            Edition::E2018 => Edition::E2011,
        }
    }

    /// A finding's clause in this edition.
    pub fn clause(self, finding: &Finding) -> &str {
        match self {
            Edition::E2011 => &finding.clause_2011,
            Edition::E2018 => &finding.clause_2018,
        }
    }

    /// "ISO/IEC 20000-1:2018 clause 5.3 [2011: 4.1.3, 4.1.4]": this edition first, the other in
    /// brackets.
    pub fn cite(self, finding: &Finding) -> String {
        format!(
            "ISO/IEC 20000-1:{} clause {} [{}: {}]",
            self.year(),
            self.clause(finding),
            self.other().year(),
            self.other().clause(finding)
        )
    }
}

// ---- Placeholders --------------------------------------------------------------------------

// The one definition of template text belongs to the judge; the checker reports a placeholder
// left in a profile with the same words.
pub use crate::judge::{is_blank, is_filled, is_placeholder};

// ---- The rules -----------------------------------------------------------------------------

/// The reference rules for single fields and lists: the field and the severity of its gap.
const REQUIRED: &[(&str, Severity)] = &[
    ("/organization/name", Severity::Error),
    ("/organization/industry", Severity::Error),
    ("/organization/size", Severity::Error),
    ("/locations", Severity::Error),
    ("/service_provider_type/classification", Severity::Error),
    ("/key_roles/sms_manager", Severity::Error),
    ("/key_roles/top_management_sponsor", Severity::Error),
    ("/technology", Severity::Warning),
    (
        "/service_management_maturity/itil_adoption",
        Severity::Warning,
    ),
    ("/service_management_maturity/itsm_tools", Severity::Warning),
    ("/interested_parties", Severity::Warning),
    (
        "/management_commitment/certification_drivers",
        Severity::Warning,
    ),
];

/// The reference rules for groups (any one member satisfies the group).
const REQUIRED_GROUPS: &[(&str, Severity)] = &[
    (
        "/service_management_maturity/mature_processes",
        Severity::Warning,
    ),
    (
        "/management_commitment/resource_allocation",
        Severity::Warning,
    ),
];

/// For the required lists of records: the keys an entry needs to count. Optional lists of
/// records (process and service owners) are only checked for types.
fn entry_needs(pointer: &str) -> &'static [&'static str] {
    match pointer {
        "/locations" => &["name"],
        "/technology" => &["name", "type"],
        "/interested_parties" => &["name", "type", "requirements[]"],
        _ => &[],
    }
}

/// At most this many characters of a value are quoted in a message.
const QUOTE_CHARS: usize = 60;

/// Checks a profile against the reference rules. Sections come in the order of
/// [`profile::SECTIONS`]; findings by section, then in the order of [`profile::FIELDS`].
/// Keys the tool does not know are never checked.
pub fn check(profile: &Value) -> Findings {
    let mut findings = Vec::new();
    let mut sections = Vec::new();
    for section in profile::SECTIONS {
        let before = findings.len();
        check_section(profile, section, &mut findings);
        sections.push(SectionStatus {
            section,
            complete: findings.len() == before,
        });
    }
    Findings {
        sections_complete: sections.iter().filter(|s| s.complete).count(),
        sections_total: sections.len(),
        sections,
        findings,
    }
}

fn check_section(root: &Value, section: Section, out: &mut Vec<Finding>) {
    let mut done_groups: Vec<&str> = Vec::new();
    for spec in profile::FIELDS.iter().filter(|f| f.section == section) {
        if let Some(group) = profile::field_group(spec.pointer) {
            if done_groups.contains(&group.pointer) {
                continue;
            }
            done_groups.push(group.pointer);
            check_group(root, group, out);
            continue;
        }
        let severity = REQUIRED
            .iter()
            .find(|(p, _)| *p == spec.pointer)
            .map(|&(_, s)| s);
        check_field(root, spec, severity, out);
    }
}

/// What the checker found at one place.
enum Gap {
    Missing(String),
    Placeholder(String),
    Invalid(String),
}

impl Gap {
    fn code(&self) -> Code {
        match self {
            Gap::Missing(_) => Code::Missing,
            Gap::Placeholder(_) => Code::Placeholder,
            Gap::Invalid(_) => Code::Invalid,
        }
    }

    fn into_message(self) -> String {
        match self {
            Gap::Missing(m) | Gap::Placeholder(m) | Gap::Invalid(m) => m,
        }
    }
}

/// Who a finding asks, and what.
#[derive(Clone, Copy)]
struct Subject {
    section: Section,
    question: &'static str,
    ask: Audience,
}

impl From<&FieldSpec> for Subject {
    fn from(f: &FieldSpec) -> Self {
        Subject {
            section: f.section,
            question: f.question,
            ask: f.ask,
        }
    }
}

impl From<&FieldGroup> for Subject {
    fn from(g: &FieldGroup) -> Self {
        Subject {
            section: g.section,
            question: g.question,
            ask: g.ask,
        }
    }
}

fn finding(subject: Subject, severity: Severity, field: impl Into<String>, gap: Gap) -> Finding {
    let clauses = subject.section.clauses();
    Finding {
        severity,
        section: subject.section,
        field: field.into(),
        code: gap.code(),
        message: gap.into_message(),
        question: subject.question.to_string(),
        ask: subject.ask,
        why: clauses.why.to_string(),
        clause_2011: clauses.clause_2011.to_string(),
        clause_2018: clauses.clause_2018.to_string(),
    }
}

/// Where a pointer leads in the profile.
enum Lookup<'a> {
    /// Absent or null.
    Absent,
    /// A value (not null).
    Found(&'a Value),
    /// A parent on the way is not an object.
    BadParent { pointer: String, found: &'a Value },
}

fn lookup<'a>(root: &'a Value, pointer: &str) -> Lookup<'a> {
    let mut current = root;
    let mut walked = String::new();
    for key in pointer.split('/').skip(1) {
        match current {
            Value::Null => return Lookup::Absent,
            Value::Object(map) => match map.get(key) {
                Some(v) => current = v,
                None => return Lookup::Absent,
            },
            other => {
                return Lookup::BadParent {
                    pointer: walked,
                    found: other,
                }
            }
        }
        walked.push('/');
        walked.push_str(key);
    }
    if current.is_null() {
        Lookup::Absent
    } else {
        Lookup::Found(current)
    }
}

/// "{pointer} must be an object, not ..." for a parent that is not an object ("" is the root).
fn not_an_object(pointer: &str, found: &Value) -> String {
    let what = if pointer.is_empty() {
        "the profile"
    } else {
        pointer
    };
    format!("{what} must be an object, not {}", describe(found))
}

/// A capitalised label for the start of a message ("Legal name", "SMS manager").
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A value quoted for a message, cut to [`QUOTE_CHARS`] characters.
fn quote(s: &str) -> String {
    let t = s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}'));
    let mut q: String = t.chars().take(QUOTE_CHARS).collect();
    if t.chars().nth(QUOTE_CHARS).is_some() {
        q.push('…');
    }
    format!("\"{q}\"")
}

/// A value described for a message: its type and, for scalars, the value.
fn describe(v: &Value) -> String {
    match v {
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({})", quote(s)),
        other => json_type(other).to_string(),
    }
}

/// A text value: present, blank, placeholder or the wrong type.
fn text_gap(v: &Value, label: &str) -> Option<Gap> {
    match v {
        Value::String(s) => string_gap(s, label),
        other => Some(Gap::Invalid(format!(
            "{} must be text, not {}.",
            capitalised(label),
            describe(other)
        ))),
    }
}

fn string_gap(s: &str, label: &str) -> Option<Gap> {
    if is_blank(s) {
        Some(Gap::Missing(format!("{} is empty.", capitalised(label))))
    } else if is_placeholder(s) {
        Some(Gap::Placeholder(format!(
            "{} is still a placeholder: {}.",
            capitalised(label),
            quote(s)
        )))
    } else {
        None
    }
}

fn size_gap(v: &Value, label: &str) -> Option<Gap> {
    match v {
        Value::String(s) => string_gap(s, label),
        Value::Number(n) => {
            if n.as_u64().is_some() {
                None
            } else if n.as_i64().is_some_and(|i| i < 0) || n.as_f64().is_some_and(|f| f < 0.0) {
                Some(Gap::Invalid(format!(
                    "{} cannot be negative ({n}).",
                    capitalised(label)
                )))
            } else if n.as_f64().is_some_and(|f| f.fract() == 0.0) {
                None
            } else {
                Some(Gap::Invalid(format!(
                    "{} must be a whole number of people ({n}).",
                    capitalised(label)
                )))
            }
        }
        other => Some(Gap::Invalid(format!(
            "{} must be text (\"120 employees\") or a number (120), not {}.",
            capitalised(label),
            describe(other)
        ))),
    }
}

fn choice_gap(v: &Value, label: &str, allowed: &[&str]) -> Option<Gap> {
    let Value::String(s) = v else {
        return text_gap(v, label);
    };
    if let Some(gap) = string_gap(s, label) {
        return Some(gap);
    }
    if allowed.contains(&s.as_str()) {
        return None;
    }
    let hint = allowed.iter().find(|a| loose(a) == loose(s)).or_else(|| {
        // "Type 2", "II": arabic numerals and bare numerals
        let n = loose(s).replace("type", "");
        let roman = match n.as_str() {
            "1" | "i" => "i",
            "2" | "ii" => "ii",
            "3" | "iii" => "iii",
            _ => return None,
        };
        allowed
            .iter()
            .find(|a| loose(a).replace("type", "") == roman)
    });
    let listed = allowed.join(", ");
    Some(Gap::Invalid(match hint {
        Some(a) => format!(
            "{} {} is not one of {listed}; write \"{a}\".",
            capitalised(label),
            quote(s)
        ),
        None => format!(
            "{} {} is not one of {listed}.",
            capitalised(label),
            quote(s)
        ),
    }))
}

/// Lowercase with whitespace, `-` and `_` removed: for hints only.
fn loose(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The outcome of checking a list.
struct ListCheck {
    /// The gap of the list as a whole when it has no usable entry.
    gap: Option<Gap>,
    /// A wrong-typed entry or entry field, reported on its own (at most one per list).
    stray: Option<(String, String)>,
}

/// Checks a list of text: usable when at least one entry is filled.
fn text_list(v: &Value, pointer: &str, label: &str) -> ListCheck {
    let Value::Array(items) = v else {
        return ListCheck {
            gap: Some(Gap::Invalid(format!(
                "{} must be a list of text, not {}.",
                capitalised(label),
                describe(v)
            ))),
            stray: None,
        };
    };
    let mut usable = 0usize;
    let mut placeholder: Option<&str> = None;
    let mut bad: Vec<(usize, &Value)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::String(s) if is_filled(s) => usable += 1,
            Value::String(s) if is_placeholder(s) => {
                placeholder.get_or_insert(s);
            }
            Value::String(_) | Value::Null => {}
            _ => bad.push((i, item)),
        }
    }
    let stray = bad.first().map(|&(i, item)| {
        (
            format!("{pointer}/{i}"),
            entries_message(
                label,
                bad.len(),
                i,
                &format!("is {}, not text", describe(item)),
            ),
        )
    });
    let gap = if usable > 0 {
        None
    } else if let Some((_, message)) = &stray {
        Some(Gap::Invalid(message.clone()))
    } else if let Some(p) = placeholder {
        Some(Gap::Placeholder(format!(
            "{}: only placeholders, such as {}.",
            capitalised(label),
            quote(p)
        )))
    } else if items.is_empty() {
        Some(Gap::Missing(format!(
            "{}: the list is empty.",
            capitalised(label)
        )))
    } else {
        Some(Gap::Missing(format!(
            "{}: only empty entries.",
            capitalised(label)
        )))
    };
    // When the list as a whole is invalid, the stray entry is that same finding.
    let stray = if usable > 0 { stray } else { None };
    ListCheck { gap, stray }
}

fn entries_message(label: &str, count: usize, first: usize, what: &str) -> String {
    if count == 1 {
        format!("{}: entry {} {what}.", capitalised(label), first + 1)
    } else {
        format!(
            "{}: {count} malformed entries; entry {} {what}.",
            capitalised(label),
            first + 1
        )
    }
}

/// Checks a list of records. `needs` are the keys an entry must fill to count; with no needs
/// (an optional list) only types are checked.
fn record_list(v: &Value, pointer: &str, label: &str, keys: &[&str], needs: &[&str]) -> ListCheck {
    let Value::Array(items) = v else {
        return ListCheck {
            gap: Some(Gap::Invalid(format!(
                "{} must be a list of entries with {}, not {}.",
                capitalised(label),
                key_names(keys),
                describe(v)
            ))),
            stray: None,
        };
    };
    let mut usable = 0usize;
    let mut placeholder: Option<String> = None;
    let mut bad_count = 0usize;
    // The first wrong-typed entry or entry field: (entry index, pointer, what is wrong).
    let mut first_bad: Option<(usize, String, String)> = None;
    for (i, item) in items.iter().enumerate() {
        let Value::Object(entry) = item else {
            if item.is_null() {
                continue;
            }
            bad_count += 1;
            first_bad.get_or_insert_with(|| {
                (
                    i,
                    format!("{pointer}/{i}"),
                    format!(
                        "is {}, not an entry with {}",
                        describe(item),
                        key_names(keys)
                    ),
                )
            });
            continue;
        };
        let mut complete = true;
        let mut entry_bad = false;
        for key in keys {
            let (name, is_list) = match key.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (*key, false),
            };
            let needed = needs.contains(key);
            let value = entry.get(name).filter(|v| !v.is_null());
            let filled = match value {
                None => false,
                Some(Value::String(s)) if !is_list => {
                    if is_placeholder(s) && needed {
                        placeholder.get_or_insert_with(|| s.clone());
                    }
                    is_filled(s)
                }
                Some(Value::Array(list)) if is_list => {
                    let mut any = false;
                    for (j, x) in list.iter().enumerate() {
                        match x {
                            Value::String(s) if is_filled(s) => any = true,
                            Value::String(s) if is_placeholder(s) && needed => {
                                placeholder.get_or_insert_with(|| s.clone());
                            }
                            Value::String(_) | Value::Null => {}
                            other => {
                                entry_bad = true;
                                first_bad.get_or_insert_with(|| {
                                    (
                                        i,
                                        format!("{pointer}/{i}/{name}/{j}"),
                                        format!("has {name} {}, not text", describe(other)),
                                    )
                                });
                            }
                        }
                    }
                    any
                }
                Some(other) => {
                    entry_bad = true;
                    let expected = if is_list { "a list of text" } else { "text" };
                    first_bad.get_or_insert_with(|| {
                        (
                            i,
                            format!("{pointer}/{i}/{name}"),
                            format!("has {name} {}, not {expected}", describe(other)),
                        )
                    });
                    false
                }
            };
            if needed && !filled {
                complete = false;
            }
        }
        if entry_bad {
            bad_count += 1;
        }
        if complete && !needs.is_empty() {
            usable += 1;
        }
    }
    let stray =
        first_bad.map(|(index, at, what)| (at, entries_message(label, bad_count, index, &what)));
    if needs.is_empty() {
        return ListCheck { gap: None, stray };
    }
    let gap = if usable > 0 {
        None
    } else if let Some((_, message)) = &stray {
        Some(Gap::Invalid(message.clone()))
    } else if let Some(p) = placeholder {
        Some(Gap::Placeholder(format!(
            "{}: no entry has {} filled in, only placeholders such as {}.",
            capitalised(label),
            key_names(needs),
            quote(&p)
        )))
    } else if items.iter().all(Value::is_null) {
        Some(Gap::Missing(format!(
            "{}: the list is empty.",
            capitalised(label)
        )))
    } else {
        Some(Gap::Missing(format!(
            "{}: no entry has {} filled in.",
            capitalised(label),
            key_names(needs)
        )))
    };
    let stray = if usable > 0 { stray } else { None };
    ListCheck { gap, stray }
}

/// "name, type and requirements".
fn key_names(keys: &[&str]) -> String {
    let names: Vec<&str> = keys
        .iter()
        .map(|k| k.strip_suffix("[]").unwrap_or(k))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The gap of one field's value by its kind, and a stray wrong-typed entry of a list.
fn field_gap(v: &Value, spec: &FieldSpec) -> ListCheck {
    let plain = |gap| ListCheck { gap, stray: None };
    match spec.kind {
        FieldKind::Text => plain(text_gap(v, spec.label)),
        FieldKind::TextOrCount => plain(size_gap(v, spec.label)),
        FieldKind::Choice(allowed) => plain(choice_gap(v, spec.label, allowed)),
        FieldKind::TextList => text_list(v, spec.pointer, spec.label),
        FieldKind::RecordList(keys) => {
            record_list(v, spec.pointer, spec.label, keys, entry_needs(spec.pointer))
        }
    }
}

/// Checks one field: with a severity it is required (every gap is a finding); without, only a
/// wrong type is (as a warning).
fn check_field(root: &Value, spec: &FieldSpec, required: Option<Severity>, out: &mut Vec<Finding>) {
    let subject = Subject::from(spec);
    let label = capitalised(spec.label);
    let (gap, stray) = match lookup(root, spec.pointer) {
        Lookup::Absent => (
            Some(Gap::Missing(if spec.kind.is_list() {
                format!("{label}: none given.")
            } else {
                format!("{label} is missing.")
            })),
            None,
        ),
        Lookup::BadParent { pointer, found } => {
            if required.is_none() {
                // An optional field under a known object of the wrong type: report the object
                // once, unless it is the section itself (its required fields speak for it).
                let section_root = format!("/{}", spec.section.id());
                if !pointer.is_empty()
                    && pointer != section_root
                    && !out.iter().any(|f| f.field == pointer)
                {
                    let message = format!("{}.", not_an_object(&pointer, found));
                    out.push(finding(
                        subject,
                        Severity::Warning,
                        pointer,
                        Gap::Invalid(message),
                    ));
                }
                return;
            }
            (
                Some(Gap::Invalid(format!(
                    "{label} cannot be read: {}.",
                    not_an_object(&pointer, found)
                ))),
                None,
            )
        }
        Lookup::Found(v) => {
            let checked = field_gap(v, spec);
            (checked.gap, checked.stray)
        }
    };
    match required {
        Some(severity) => {
            if let Some(gap) = gap {
                out.push(finding(subject, severity, spec.pointer, gap));
            }
        }
        None => {
            // An optional field that is absent, blank or a placeholder is simply not there; a
            // wrong type under a well-formed parent is worth a warning.
            if let Some(gap @ Gap::Invalid(_)) = gap {
                out.push(finding(subject, Severity::Warning, spec.pointer, gap));
            }
        }
    }
    if let Some((at, message)) = stray {
        out.push(finding(
            subject,
            Severity::Warning,
            at,
            Gap::Invalid(message),
        ));
    }
}

/// Checks a group: the group's finding when no member is filled, then wrong-typed members.
fn check_group(root: &Value, group: &FieldGroup, out: &mut Vec<Finding>) {
    let severity = REQUIRED_GROUPS
        .iter()
        .find(|(p, _)| *p == group.pointer)
        .map_or(Severity::Warning, |&(_, s)| s);
    let subject = Subject::from(group);
    let label = capitalised(group.label);
    let mut member_findings = Vec::new();
    let gap = if group.pointer == "/management_commitment/resource_allocation" {
        match lookup(root, group.pointer) {
            Lookup::Absent => Some(Gap::Missing(format!("{label} is missing."))),
            Lookup::BadParent { pointer, found } => Some(Gap::Invalid(format!(
                "{label} cannot be read: {}.",
                not_an_object(&pointer, found)
            ))),
            Lookup::Found(Value::Object(map)) => {
                for member in group.members {
                    if let Some(spec) = profile::field(member) {
                        check_field(root, spec, None, &mut member_findings);
                    }
                }
                object_gap(map, &label)
            }
            Lookup::Found(other) => Some(Gap::Invalid(format!(
                "{label} must be an object with dedicated_personnel, external_support and budget, not {}.",
                describe(other)
            ))),
        }
    } else {
        // Any member list with a filled entry satisfies the group.
        let mut satisfied = false;
        let mut member_invalid = Vec::new();
        let mut worst: Option<Gap> = None;
        for member in group.members {
            let Some(spec) = profile::field(member) else {
                continue;
            };
            let gap = match lookup(root, spec.pointer) {
                Lookup::Absent => None,
                Lookup::BadParent { pointer, found } => Some(Gap::Invalid(format!(
                    "{label} cannot be read: {}.",
                    not_an_object(&pointer, found)
                ))),
                Lookup::Found(v) => {
                    let checked = field_gap(v, spec);
                    if let Some((at, message)) = checked.stray {
                        member_findings.push(finding(
                            Subject::from(spec),
                            Severity::Warning,
                            at,
                            Gap::Invalid(message),
                        ));
                    }
                    match checked.gap {
                        None => {
                            satisfied = true;
                            None
                        }
                        Some(Gap::Invalid(m)) => {
                            // A wrong type stays a finding of its own even when the other
                            // member satisfies the group.
                            member_invalid.push(finding(
                                Subject::from(spec),
                                Severity::Warning,
                                spec.pointer,
                                Gap::Invalid(m.clone()),
                            ));
                            Some(Gap::Invalid(m))
                        }
                        other => other,
                    }
                }
            };
            worst = match (worst, gap) {
                (None, g) | (g, None) => g,
                (Some(a), Some(b)) => Some(if b.code() > a.code() { b } else { a }),
            };
        }
        if satisfied {
            member_findings.append(&mut member_invalid);
            None
        } else {
            // The group's finding carries the worst member's message.
            Some(match worst {
                Some(Gap::Missing(_)) | None => Gap::Missing(format!(
                    "{label}: neither mature processes nor ad hoc processes lists a process."
                )),
                Some(gap) => gap,
            })
        }
    };
    if let Some(gap) = gap {
        out.push(finding(subject, severity, group.pointer, gap));
    }
    out.append(&mut member_findings);
}

/// The gap of an object whose values count (resource allocation): none when any value is
/// filled text.
fn object_gap(map: &Map<String, Value>, label: &str) -> Option<Gap> {
    let mut placeholder: Option<&str> = None;
    for value in map.values() {
        if let Value::String(s) = value {
            if is_filled(s) {
                return None;
            }
            if is_placeholder(s) {
                placeholder.get_or_insert(s);
            }
        }
    }
    Some(match placeholder {
        Some(p) => Gap::Placeholder(format!("{label}: only placeholders, such as {}.", quote(p))),
        None => Gap::Missing(format!(
            "{label}: no dedicated personnel, external support or budget given."
        )),
    })
}

// ---- Renderings ------------------------------------------------------------------------------

/// "the SMS manager", "top management", "HR": an audience's title inside a sentence.
fn audience_in_sentence(audience: Audience) -> String {
    let title = audience.title();
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => first
            .to_lowercase()
            .chain(title[first.len_utf8()..].chars())
            .collect(),
        _ => title.to_string(),
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn code_word(code: Code) -> &'static str {
    match code {
        Code::Missing => "missing",
        Code::Placeholder => "placeholder",
        Code::Invalid => "invalid",
    }
}

fn count_line(findings: &Findings) -> String {
    let errors = findings
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = findings.findings.len() - errors;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    format!(
        "{}, {}.",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The findings for a terminal: the summary line ("7/8 sections complete. Missing: ..."), then
/// each incomplete section with its findings (severity, field, code, message, question and
/// whom to ask, why, and the clause in `edition` first), then the count of errors and warnings.
pub fn render_text(findings: &Findings, edition: Edition) -> String {
    let mut out = findings.summary();
    out.push('\n');
    for section in findings.incomplete_sections() {
        let _ = write!(out, "\n{}\n", section.title());
        for f in findings.findings.iter().filter(|f| f.section == section) {
            let _ = writeln!(
                out,
                "  {}: {} ({})",
                severity_word(f.severity),
                f.field,
                code_word(f.code)
            );
            let _ = writeln!(out, "    {}", f.message);
            let _ = writeln!(
                out,
                "    Ask {}: {}",
                audience_in_sentence(f.ask),
                f.question
            );
            let _ = writeln!(out, "    Why: {}", f.why);
            let _ = writeln!(out, "    Clause: {}", edition.cite(f));
        }
    }
    if !findings.findings.is_empty() {
        let _ = write!(out, "\n{}\n", count_line(findings));
    }
    out
}

/// Escapes what Markdown would swallow or turn into formatting in a message that quotes the
/// client's own text (`<FILL-IN>` would vanish as an HTML tag).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '<' | '>' | '*' | '`' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The findings as Markdown a consultant pastes into an email to the client: a `# title`, the
/// count of complete sections and the open ones, then the interview questions grouped by whom
/// to ask ([`Audience::title`]), each with what the profile holds now, why it matters and the
/// clause (`edition` first, the other in brackets). Required questions (error-level gaps) are
/// marked. Identical questions are asked once.
pub fn render_markdown(findings: &Findings, edition: Edition, title: &str) -> String {
    let mut out = format!("# {}\n\n", md_escape(title));
    let _ = write!(
        out,
        "**{}/{} sections complete.**",
        findings.sections_complete, findings.sections_total
    );
    let open = findings.incomplete_sections();
    if open.is_empty() {
        out.push_str(" The organization profile has no open questions.\n");
        return out;
    }
    let names: Vec<&str> = open.iter().map(|s| s.title()).collect();
    let _ = writeln!(out, " Still open: {}.\n", names.join(", "));
    out.push_str(
        "To complete the organization profile for ISO/IEC 20000-1 certification, we need \
         the answers to the questions below, grouped by who can best answer them. Questions \
         marked *(required)* must be answered before the certification work can go on.\n",
    );
    let mut audiences: Vec<Audience> = findings.findings.iter().map(|f| f.ask).collect();
    audiences.sort();
    audiences.dedup();
    for audience in audiences {
        let _ = write!(out, "\n## {}\n\n", audience.title());
        let mut asked: Vec<(&str, Vec<&Finding>)> = Vec::new();
        for f in findings.findings.iter().filter(|f| f.ask == audience) {
            match asked.iter_mut().find(|(q, _)| *q == f.question) {
                Some((_, list)) => list.push(f),
                None => asked.push((&f.question, vec![f])),
            }
        }
        for (n, (question, list)) in asked.iter().enumerate() {
            let required = list.iter().any(|f| f.severity == Severity::Error);
            let _ = write!(out, "{}. **{}**", n + 1, md_escape(question));
            if required {
                out.push_str(" *(required)*");
            }
            out.push_str("  \n");
            let status: Vec<String> = list.iter().map(|f| md_escape(&f.message)).collect();
            let _ = writeln!(out, "   Status: {}  ", status.join(" "));
            if let Some(first) = list.first() {
                let _ = writeln!(out, "   Why we ask: {}  ", md_escape(&first.why));
                let _ = writeln!(out, "   Clause: {}", edition.cite(first));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders() {
        let yes = [
            "TBD",
            "tbd",
            " TBD ",
            "TBD.",
            "(TBD)",
            "TBC",
            "tbc",
            "TBA",
            "TBA: after the board meeting",
            "TODO",
            "todo",
            "ToDo:",
            "N/A",
            "n/a",
            "N/a",
            "n.a.",
            "XXX",
            "xxx",
            "XXXX",
            "xxxx-xxxx",
            "Lorem ipsum",
            "lorem ipsum dolor sit amet",
            "Our services. Lorem Ipsum dolor.",
            "(Lorem\n  ipsum)",
            "[Organization Name]",
            "[Insert date]",
            "[DD Month YYYY]",
            "[]",
            "[[nested]]",
            "<FILL-IN>",
            "<>",
            "{{companyFullName}}",
            "{{ company.name }}",
            "TBD - ask HR",
            "TBC (James to confirm)",
            "TODO: fill in",
            "TBD – later",
            "To be confirmed",
            "to be determined",
            "-",
            "—",
            "?",
            "...",
            "\u{a0}TBD\u{200b}",
            // The "nothing here" marks of registers, and a text made of template fields: one
            // definition for every stage (the judge's), so the checker sees them as the mapper does.
            "NA",
            "x",
            "{{a}} and {{b}}",
        ];
        for s in yes {
            assert!(is_placeholder(s), "{s:?} should be a placeholder");
            assert!(!is_filled(s), "{s:?}");
        }
        let no = [
            "Apex IT Services Ltd (UK)",
            "Apex IT Services Ltd",
            "[A] and [B]",
            "[Draft] Apex",
            "Apex [UK]",
            "<b>Apex</b>",
            "{company}",
            "Todo list service",
            "Todoist",
            "TBD Systems Ltd",
            "Not applicable",
            "XXL Logistics",
            "Xerox",
            "Sarah Chen, IT Service Manager",
            "120 employees",
            "120",
            "N/A Holdings said no",
            "Lorem",
        ];
        for s in no {
            assert!(!is_placeholder(s), "{s:?} should not be a placeholder");
        }
        for s in ["", "   ", "\t\n", "\u{a0}", "\u{200b}"] {
            assert!(is_blank(s), "{s:?}");
            assert!(!is_placeholder(s), "{s:?}");
            assert!(!is_filled(s), "{s:?}");
        }
    }

    fn apex() -> Value {
        json!({
            "organization": {"name": "Apex IT Services Ltd", "industry": "Managed IT Services",
                             "size": "120 employees"},
            "service_provider_type": {"classification": "Type II"},
            "locations": [{"name": "Manchester HQ", "type": "headquarters", "country": "United Kingdom"}],
            "key_roles": {"sms_manager": "Sarah Chen, IT Service Manager",
                          "top_management_sponsor": "James Wright, Managing Director"},
            "management_commitment": {
                "certification_drivers": ["Client procurement requirements"],
                "resource_allocation": {"budget": "Dedicated certification budget approved"}},
            "service_management_maturity": {"itil_adoption": "ITIL v3 informal adoption",
                                            "mature_processes": ["Incident management"],
                                            "itsm_tools": ["Jira Service Management"]},
            "interested_parties": [{"name": "NorthBank plc", "type": "customer",
                                    "requirements": ["99.9% availability"]}],
            "technology": [{"name": "Jira Service Management", "type": "itsm"}]
        })
    }

    /// Sets the value at a pointer, creating objects on the way.
    fn set(v: &mut Value, pointer: &str, new: Value) {
        let mut cur = v;
        let keys: Vec<&str> = pointer.split('/').skip(1).collect();
        for (i, k) in keys.iter().enumerate() {
            if i + 1 == keys.len() {
                cur.as_object_mut().unwrap().insert((*k).to_string(), new);
                return;
            }
            cur = cur
                .as_object_mut()
                .unwrap()
                .entry(*k)
                .or_insert_with(|| json!({}));
        }
    }

    fn remove(v: &mut Value, pointer: &str) {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = if parent.is_empty() {
            v
        } else {
            v.pointer_mut(parent).unwrap()
        };
        target.as_object_mut().unwrap().remove(key);
    }

    fn only(findings: &Findings) -> &Finding {
        assert_eq!(findings.findings.len(), 1, "{:#?}", findings.findings);
        &findings.findings[0]
    }

    #[test]
    fn complete_profile_has_no_findings() {
        let f = check(&apex());
        assert_eq!(f.findings, []);
        assert_eq!(f.sections_complete, 8);
        assert_eq!(f.sections_total, 8);
        let ids: Vec<Section> = f.sections.iter().map(|s| s.section).collect();
        assert_eq!(ids, profile::SECTIONS);
        assert!(!f.has_errors());
        assert_eq!(f.summary(), "8/8 sections complete.");
    }

    /// Every rule: removing the field gives one finding of the rule's severity at the field.
    #[test]
    fn every_rule_reports_a_missing_field() {
        use Severity::{Error, Warning};
        let rules = [
            ("/organization/name", Error, Section::Organization),
            ("/organization/industry", Error, Section::Organization),
            ("/organization/size", Error, Section::Organization),
            ("/locations", Error, Section::Locations),
            (
                "/service_provider_type/classification",
                Error,
                Section::ServiceProviderType,
            ),
            ("/key_roles/sms_manager", Error, Section::KeyRoles),
            (
                "/key_roles/top_management_sponsor",
                Error,
                Section::KeyRoles,
            ),
            ("/technology", Warning, Section::Technology),
            (
                "/service_management_maturity/itil_adoption",
                Warning,
                Section::ServiceManagementMaturity,
            ),
            (
                "/service_management_maturity/mature_processes",
                Warning,
                Section::ServiceManagementMaturity,
            ),
            (
                "/service_management_maturity/itsm_tools",
                Warning,
                Section::ServiceManagementMaturity,
            ),
            ("/interested_parties", Warning, Section::InterestedParties),
            (
                "/management_commitment/certification_drivers",
                Warning,
                Section::ManagementCommitment,
            ),
            (
                "/management_commitment/resource_allocation",
                Warning,
                Section::ManagementCommitment,
            ),
        ];
        for (pointer, severity, section) in rules {
            let mut p = apex();
            remove(&mut p, pointer);
            let f = check(&p);
            let one = only(&f);
            assert_eq!(one.field, pointer);
            assert_eq!(one.severity, severity, "{pointer}");
            assert_eq!(one.code, Code::Missing, "{pointer}");
            assert_eq!(one.section, section, "{pointer}");
            assert_eq!(f.has_errors(), severity == Error, "{pointer}");
            assert_eq!(f.sections_complete, 7);
            assert_eq!(
                f.summary(),
                format!("7/8 sections complete. Missing: {}", section.title())
            );
            let clauses = section.clauses();
            assert_eq!(one.clause_2011, clauses.clause_2011);
            assert_eq!(one.clause_2018, clauses.clause_2018);
            assert_eq!(one.why, clauses.why);
            assert!(one.question.ends_with('?'), "{pointer}");
            let spec_question = profile::field_group(pointer)
                .map(|g| g.question)
                .or_else(|| profile::field(pointer).map(|s| s.question))
                .unwrap();
            assert_eq!(one.question, spec_question);
        }
    }

    #[test]
    fn each_required_text_rejects_blank_and_placeholder() {
        for pointer in [
            "/organization/name",
            "/organization/industry",
            "/organization/size",
            "/service_provider_type/classification",
            "/key_roles/sms_manager",
            "/key_roles/top_management_sponsor",
            "/service_management_maturity/itil_adoption",
        ] {
            for (value, code) in [
                ("", Code::Missing),
                ("   ", Code::Missing),
                ("TBD", Code::Placeholder),
                ("[Insert here]", Code::Placeholder),
            ] {
                let mut p = apex();
                set(&mut p, pointer, json!(value));
                let f = check(&p);
                let one = only(&f);
                assert_eq!((one.field.as_str(), one.code), (pointer, code), "{value:?}");
            }
            let mut p = apex();
            set(&mut p, pointer, Value::Null);
            assert_eq!(only(&check(&p)).code, Code::Missing, "{pointer} null");
        }
    }

    #[test]
    fn lists_of_only_placeholders_are_placeholders() {
        for pointer in [
            "/management_commitment/certification_drivers",
            "/service_management_maturity/itsm_tools",
        ] {
            for (value, code) in [
                (json!([]), Code::Missing),
                (json!(["", " "]), Code::Missing),
                (json!(["TBD", "[Tool]"]), Code::Placeholder),
                (json!(["TBD", ""]), Code::Placeholder),
                (json!("Jira"), Code::Invalid),
                (json!([1, 2]), Code::Invalid),
            ] {
                let mut p = apex();
                set(&mut p, pointer, value.clone());
                let f = check(&p);
                let one = only(&f);
                assert_eq!((one.field.as_str(), one.code), (pointer, code), "{value}");
            }
            // One real entry is enough; placeholders beside it are not reported.
            let mut p = apex();
            set(&mut p, pointer, json!(["TBD", "Real entry"]));
            assert_eq!(check(&p).findings, []);
        }
    }

    #[test]
    fn size_is_text_or_a_whole_non_negative_number() {
        for ok in [
            json!(120),
            json!(0),
            json!(120.0),
            json!("120 employees"),
            json!("about 120"),
        ] {
            let mut p = apex();
            set(&mut p, "/organization/size", ok.clone());
            assert_eq!(check(&p).findings, [], "{ok}");
        }
        for bad in [
            json!(-5),
            json!(12.5),
            json!(-0.5),
            json!(true),
            json!(["120"]),
            json!({"n": 1}),
        ] {
            let mut p = apex();
            set(&mut p, "/organization/size", bad.clone());
            let f = check(&p);
            let one = only(&f);
            assert_eq!(one.code, Code::Invalid, "{bad}");
            assert_eq!(one.severity, Severity::Error, "{bad}");
        }
    }

    #[test]
    fn classification_must_be_one_of_the_three_types() {
        for ok in ["Type I", "Type II", "Type III"] {
            let mut p = apex();
            set(&mut p, "/service_provider_type/classification", json!(ok));
            assert_eq!(check(&p).findings, [], "{ok}");
        }
        for (bad, hint) in [
            ("Type IV", None),
            ("type ii", Some("Type II")),
            ("Type 2", Some("Type II")),
            ("III", Some("Type III")),
            ("External", None),
        ] {
            let mut p = apex();
            set(&mut p, "/service_provider_type/classification", json!(bad));
            let f = check(&p);
            let one = only(&f);
            assert_eq!(
                (one.code, one.severity),
                (Code::Invalid, Severity::Error),
                "{bad}"
            );
            match hint {
                Some(h) => assert!(
                    one.message.contains(&format!("write \"{h}\"")),
                    "{}",
                    one.message
                ),
                None => assert!(!one.message.contains("write"), "{}", one.message),
            }
        }
        let mut p = apex();
        set(&mut p, "/service_provider_type/classification", json!(2));
        assert_eq!(only(&check(&p)).code, Code::Invalid);
    }

    #[test]
    fn record_lists_need_an_entry_with_the_rule_keys() {
        let cases = [
            // (pointer, value, expected code or None when fine)
            ("/locations", json!([{"name": "HQ"}]), None),
            (
                "/locations",
                json!([{"type": "office"}]),
                Some(Code::Missing),
            ),
            (
                "/locations",
                json!([{"name": "[Site name]"}]),
                Some(Code::Placeholder),
            ),
            ("/locations", json!([]), Some(Code::Missing)),
            ("/locations", json!(["Manchester"]), Some(Code::Invalid)),
            ("/locations", json!({"name": "HQ"}), Some(Code::Invalid)),
            (
                "/technology",
                json!([{"name": "Nagios", "type": "monitoring"}]),
                None,
            ),
            (
                "/technology",
                json!([{"name": "Nagios"}]),
                Some(Code::Missing),
            ),
            (
                "/technology",
                json!([{"name": "Nagios", "type": "TBD"}]),
                Some(Code::Placeholder),
            ),
            (
                "/technology",
                json!([{"name": "Nagios", "type": 3}]),
                Some(Code::Invalid),
            ),
            (
                "/interested_parties",
                json!([{"name": "Bank", "type": "customer", "requirements": ["SLA"]}]),
                None,
            ),
            (
                "/interested_parties",
                json!([{"name": "Bank", "type": "customer"}]),
                Some(Code::Missing),
            ),
            (
                "/interested_parties",
                json!([{"name": "Bank", "type": "customer", "requirements": []}]),
                Some(Code::Missing),
            ),
            (
                "/interested_parties",
                json!([{"name": "Bank", "type": "customer", "requirements": ["TBD"]}]),
                Some(Code::Placeholder),
            ),
            (
                "/interested_parties",
                json!([{"name": "Bank", "type": "customer", "requirements": "SLA"}]),
                Some(Code::Invalid),
            ),
        ];
        for (pointer, value, expected) in cases {
            let mut p = apex();
            set(&mut p, pointer, value.clone());
            let f = check(&p);
            match expected {
                None => assert_eq!(f.findings, [], "{pointer} {value}"),
                Some(code) => {
                    let one = only(&f);
                    assert_eq!((one.field.as_str(), one.code), (pointer, code), "{value}");
                }
            }
        }
    }

    #[test]
    fn stray_wrong_types_beside_good_entries_are_warnings() {
        let mut p = apex();
        set(&mut p, "/locations", json!([{"name": "HQ"}, "London", 7]));
        let f = check(&p);
        let one = only(&f);
        assert_eq!(one.field, "/locations/1");
        assert_eq!((one.code, one.severity), (Code::Invalid, Severity::Warning));
        assert!(
            one.message.contains("2 malformed entries"),
            "{}",
            one.message
        );

        let mut p = apex();
        set(
            &mut p,
            "/service_management_maturity/itsm_tools",
            json!(["Jira", {"x": 1}]),
        );
        let one = only(&check(&p)).clone();
        assert_eq!(one.field, "/service_management_maturity/itsm_tools/1");
    }

    #[test]
    fn existing_processes_need_either_list() {
        let base = |mature: Value, ad_hoc: Value| {
            let mut p = apex();
            set(
                &mut p,
                "/service_management_maturity/mature_processes",
                mature,
            );
            set(
                &mut p,
                "/service_management_maturity/ad_hoc_processes",
                ad_hoc,
            );
            check(&p)
        };
        assert_eq!(base(json!([]), json!(["Problem management"])).findings, []);
        assert_eq!(base(json!(["Incident"]), json!([])).findings, []);
        let f = base(json!([]), json!([]));
        assert_eq!(only(&f).code, Code::Missing);
        assert_eq!(
            only(&f).field,
            "/service_management_maturity/mature_processes"
        );
        let f = base(json!(["TBD"]), json!([]));
        assert_eq!(only(&f).code, Code::Placeholder);
        let f = base(json!("Incident"), json!(null));
        assert_eq!(only(&f).code, Code::Invalid);
        // The other list satisfies the rule; the wrong type is still reported, as a warning.
        let f = base(json!(["Incident"]), json!("Problem"));
        let one = only(&f);
        assert_eq!(one.field, "/service_management_maturity/ad_hoc_processes");
        assert_eq!((one.code, one.severity), (Code::Invalid, Severity::Warning));
    }

    #[test]
    fn resource_allocation_needs_one_real_value() {
        let with = |ra: Value| {
            let mut p = apex();
            set(&mut p, "/management_commitment/resource_allocation", ra);
            check(&p)
        };
        assert_eq!(with(json!({"external_support": "Consultant"})).findings, []);
        assert_eq!(
            with(json!({"budget": "TBD", "dedicated_personnel": "SMS manager 80%"})).findings,
            []
        );
        assert_eq!(with(json!({"training": "ISO course"})).findings, []);
        assert_eq!(only(&with(json!({}))).code, Code::Missing);
        assert_eq!(
            only(&with(json!({"budget": "TBD"}))).code,
            Code::Placeholder
        );
        assert_eq!(only(&with(json!("Budget approved"))).code, Code::Invalid);
        // A number where text is expected: the rule fails and the type is reported.
        let f = with(json!({"budget": 50000}));
        let fields: Vec<(&str, Code)> = f
            .findings
            .iter()
            .map(|f| (f.field.as_str(), f.code))
            .collect();
        assert_eq!(
            fields,
            [
                ("/management_commitment/resource_allocation", Code::Missing),
                (
                    "/management_commitment/resource_allocation/budget",
                    Code::Invalid
                )
            ]
        );
    }

    #[test]
    fn wrong_types_anywhere_are_findings_not_crashes() {
        // A section of the wrong type: each required field is reported invalid once.
        let mut p = apex();
        set(&mut p, "/organization", json!("Apex"));
        let f = check(&p);
        let got: Vec<(&str, Code, Severity)> = f
            .findings
            .iter()
            .map(|f| (f.field.as_str(), f.code, f.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("/organization/name", Code::Invalid, Severity::Error),
                ("/organization/industry", Code::Invalid, Severity::Error),
                ("/organization/size", Code::Invalid, Severity::Error),
            ]
        );
        assert!(f.findings[0]
            .message
            .contains("/organization must be an object"));

        // An optional field of the wrong type is a warning.
        let mut p = apex();
        set(&mut p, "/organization/description", json!(42));
        let one = only(&check(&p)).clone();
        assert_eq!(
            (one.field.as_str(), one.code, one.severity),
            (
                "/organization/description",
                Code::Invalid,
                Severity::Warning
            )
        );
        let mut p = apex();
        set(
            &mut p,
            "/key_roles/process_owners",
            json!([{"process": "Incident", "owner": ["Mike"]}]),
        );
        let one = only(&check(&p)).clone();
        assert_eq!(one.field, "/key_roles/process_owners/0/owner");

        // A known object of the wrong type inside a section is reported once, at the object.
        let mut p = apex();
        set(
            &mut p,
            "/management_commitment/target_timeline",
            json!("6 months"),
        );
        let one = only(&check(&p)).clone();
        assert_eq!(
            (one.field.as_str(), one.code, one.severity),
            (
                "/management_commitment/target_timeline",
                Code::Invalid,
                Severity::Warning
            )
        );
        assert_eq!(
            one.message,
            "/management_commitment/target_timeline must be an object, not a string (\"6 months\")."
        );

        // Optional placeholders are simply absent.
        let mut p = apex();
        set(
            &mut p,
            "/organization/description",
            json!("[Describe the organization]"),
        );
        assert_eq!(check(&p).findings, []);

        // Nothing at all, or junk everywhere: every section reported, no panic.
        for junk in [
            json!({}),
            json!([]),
            json!(null),
            json!("x"),
            json!(1),
            json!({"organization": [], "locations": "x", "service_provider_type": 1,
                            "key_roles": null, "technology": {}, "service_management_maturity": true,
                            "interested_parties": [null, [], {}], "management_commitment": []}),
        ] {
            let f = check(&junk);
            assert_eq!(f.sections_complete, 0, "{junk}");
            assert!(f.has_errors());
        }
    }

    #[test]
    fn unknown_keys_are_not_checked() {
        let mut p = apex();
        set(&mut p, "/x_custom", json!({"anything": "TBD"}));
        set(&mut p, "/organization/legal_form", json!(12));
        assert_eq!(check(&p).findings, []);
    }

    #[test]
    fn text_rendering_leads_with_the_summary() {
        let mut p = apex();
        remove(&mut p, "/interested_parties");
        set(&mut p, "/key_roles/sms_manager", json!("TBD"));
        let f = check(&p);
        let text = render_text(&f, Edition::E2018);
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            "6/8 sections complete. Missing: Key roles, Interested parties"
        );
        assert!(text.contains("error: /key_roles/sms_manager (placeholder)"));
        assert!(text.contains("Ask top management: Who manages"));
        assert!(text.contains("Clause: ISO/IEC 20000-1:2018 clause 5.3 [2011: 4.1.3, 4.1.4]"));
        assert!(text.ends_with("1 error, 1 warning.\n"), "{text}");
        let text = render_text(&f, Edition::E2011);
        assert!(text.contains("Clause: ISO/IEC 20000-1:2011 clause 4.1.3, 4.1.4 [2018: 5.3]"));
    }

    #[test]
    fn markdown_groups_questions_by_audience_and_escapes_client_text() {
        let mut p = apex();
        set(&mut p, "/organization/name", json!("<FILL-IN>"));
        remove(&mut p, "/technology");
        let f = check(&p);
        let md = render_markdown(&f, Edition::E2011, "Profile");
        assert!(md.starts_with(
            "# Profile\n\n**6/8 sections complete.** Still open: Organization, Technology."
        ));
        assert!(md.contains("## Top management"));
        assert!(md.contains("## The service desk and operations"));
        assert!(md.contains("\\<FILL-IN\\>"));
        assert!(md.contains("*(required)*"));
        assert!(md.contains("Clause: ISO/IEC 20000-1:2011 clause 4.5.1 [2018: 4.1, 4.3]"));
        let top = md.find("## Top management").unwrap();
        let desk = md.find("## The service desk").unwrap();
        assert!(top < desk, "audiences in a stable order");
        let done = render_markdown(&check(&apex()), Edition::E2018, "Profile");
        assert_eq!(done, "# Profile\n\n**8/8 sections complete.** The organization profile has no open questions.\n");
    }
}
