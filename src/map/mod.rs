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
pub(crate) use fold::{fold_padded, fold_whole};
mod index;
pub mod interview;
pub mod raw;
pub(crate) mod template;

pub use apply::{
    map_document, Hint, HintKind, Mapped, HEADER_SCAN_ROWS, MAX_CANDIDATES_PER_RULE, MAX_HINTS,
};
pub use compile::{
    RuleError, RuleErrors, RuleInfo, RuleKind, RuleLayer, RuleSource, Rules, DEFAULT_FILES,
    DEFAULT_PRIORITY, MAX_RULE_FILE,
};

use crate::profile::Shape;
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
    /// Written in the Answer cell of an interview pack ([`interview`]): outranks documents.
    Answer,
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
    /// The rule's priority: how likely, out of 100, a value of this rule is right when nothing
    /// speaks against it (the merge's prior).
    pub priority: i32,
    /// The rule's narrower shape for the value, if it has one (else the field's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Shape>,
    /// The index of the block the value was found in (for a table: the table), so the judge
    /// can read the text around it.
    #[serde(skip)]
    pub block: usize,
    /// For a value from a table: the row it was found in.
    #[serde(skip)]
    pub row: Option<usize>,
    /// Where in the block's text the match starts (byte offset), when a pattern found it: the
    /// judge reads the clause there, not another mention of the same words.
    #[serde(skip)]
    pub at: Option<usize>,
    /// What the value stands for when documents spell it differently: the catalog's name of
    /// a product ("Microsoft 365" for "Office 365"). The merge takes values that stand for the
    /// same thing as one item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// Its rule stands in when no document names a value (the chief executive as the
    /// sponsor): the merge takes it only when no other rule found a value for the field.
    #[serde(skip)]
    pub stand_in: bool,
    /// A classified choice whose evidence says it is the only one ("IT services only to the
    /// firm's own staff", "external customers are not served"): another document's evidence
    /// for another choice does not add up with it (Type I and Type II to Type III).
    #[serde(skip)]
    pub sole: bool,
}

impl Candidate {
    /// Whether this candidate is a document's statement that its field is still open
    /// ([`crate::judge::says_open`]: "Top management sponsor: TBD") rather than a value: the
    /// merger never takes it, and leaves the field missing when it outranks every real value.
    pub fn says_open(&self) -> bool {
        self.value.as_str().is_some_and(crate::judge::says_open)
    }
}

/// The JSON Schema of rule files (`orgprofile schema mappings`), for editor completion.
pub fn rules_json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(raw::RawFile)).unwrap_or(Value::Null)
}
