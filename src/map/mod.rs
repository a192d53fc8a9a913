//! Mapping: a [`Document`](crate::document::Document) plus compiled [`Rules`] in, [`Candidate`]s
//! (and near-miss [`Hint`]s) out. Pure code: no file access, so every rule kind is tested from
//! literals.
//!
//! Rules are data (TOML files in `mappings/`, compiled into the binary as the defaults, and a
//! user's `--mappings DIR`), loaded raw ([`raw`]), then validated and compiled in one step
//! (`compile.rs`, giving [`Rules`] or [`RuleErrors`]), then applied (`apply.rs`,
//! [`map_document`]). Headers, labels and headings are compared folded (`fold.rs`); values are
//! rendered from templates (`template.rs`). Only [`Rules::load`] reads files (the rule
//! folders); nothing here reads documents.
//!
//! The rule format is documented for users in `mappings/README.md`.

mod apply;
mod compile;
mod fold;
pub(crate) use fold::fold_whole;
mod index;
pub mod raw;
mod template;

pub use apply::{
    map_document, Hint, HintKind, Mapped, HEADER_SCAN_ROWS, MAX_CANDIDATES_PER_RULE, MAX_HINTS,
};
pub use compile::{
    RuleError, RuleErrors, RuleInfo, RuleKind, RuleLayer, RuleSource, Rules, DEFAULT_FILES,
    DEFAULT_PRIORITY, MAX_RULE_FILE,
};

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

impl Candidate {
    /// Whether this candidate is a document's statement that its field is still open
    /// ([`says_open`]) rather than a value: the merger never takes it, and leaves the field
    /// missing when it outranks every real value.
    pub fn says_open(&self) -> bool {
        self.value.as_str().is_some_and(says_open)
    }
}

/// Longest text [`says_open`] accepts ("TBD - to be agreed at the March board").
pub const MAX_OPEN_CHARS: usize = 80;

/// Whether a value says that its field is deliberately still open: `TBD`, `TBC`, `TBA`, `TODO`
/// or "to be decided / confirmed / determined / defined / announced", alone or leading a short
/// note ("TBD - ask the board"). Such a value is a placeholder
/// ([`crate::check::is_placeholder`]) that somebody wrote on purpose; template text
/// (`[Name]`, `{{name}}`, `<FILL-IN>`) and `N/A` are not statements and do not count. The
/// mapper emits a labelled one ("Top management sponsor: TBD") as a candidate of its field so
/// the merger learns that a document left the field open.
pub fn says_open(text: &str) -> bool {
    let t = text.trim();
    if t.chars().count() > MAX_OPEN_CHARS || !crate::check::is_placeholder(t) {
        return false;
    }
    let lower = t.to_lowercase();
    let lower = lower.trim_start_matches(['(', ' ']);
    ["tbd", "tbc", "tba", "todo", "to do", "to be "]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The JSON Schema of rule files (`orgprofile schema mappings`), for editor completion.
pub fn rules_json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(raw::RawFile)).unwrap_or(Value::Null)
}
