//! Mapping: a [`Document`](crate::document::Document) plus compiled [`Rules`] in, [`Candidate`]s
//! out. Pure code: no file access, so every rule kind is tested from literals.
//!
//! Rules are data (TOML files in `mappings/`, compiled into the binary as the defaults, and a
//! user's `--mappings DIR`), loaded raw, then validated and compiled in one step.

use serde::Serialize;
use serde_json::Value;

/// How a candidate was found; the merger prefers better matches when priorities tie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// A header or label matched the rule's canonical name exactly (after folding).
    Exact,
    /// A header or label matched one of the rule's synonyms.
    Synonym,
    /// A regular expression matched.
    Pattern,
    /// Keyword evidence classified an enumerated field.
    Classified,
    /// Computed from other values: a row count, distinct values, a role found by title.
    Derived,
}

/// One value a rule found in one document, with where and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// JSON pointer of the profile field (a pointer of [`crate::profile::FIELDS`]). For a list
    /// field the value is one item of the list.
    pub field: String,
    /// The value: a string, a number, or (for record lists) an object.
    pub value: Value,
    /// The file, relative to the client folder, `/`-separated.
    pub file: String,
    /// Where in the file (a [`crate::document::Locator`] as text).
    pub locator: String,
    /// The id of the rule that produced it.
    pub rule: String,
    /// How it matched.
    pub how: MatchKind,
    /// The rule's priority: higher wins in the merge.
    pub priority: i32,
}

/// Compiled mapping rules (to be written).
#[derive(Debug, Clone, Default)]
pub struct Rules {}

/// The JSON Schema of rule files, for editor completion.
pub fn rules_json_schema() -> Value {
    Value::Null
}
