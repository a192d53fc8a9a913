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

// ---- SHIM(run): replaced at integration -------------------------------------------------------
// The mapping helper writes the real `Rules::load`, `RuleErrors`, `Hint`, `Mapped` and
// `map_document`. These stand-ins only let the pipeline compile and be tested; delete them when
// the real ones land.

/// SHIM(run): replaced at integration. A hint for a rule writer (a near-miss header).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hint {
    /// The file, relative to the client folder.
    pub file: String,
    /// Where in the file.
    pub locator: String,
    /// What to do.
    pub message: String,
}

/// SHIM(run): replaced at integration. What mapping one document gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapped {
    /// The candidates found.
    pub candidates: Vec<Candidate>,
    /// Hints for rule writers.
    pub hints: Vec<Hint>,
}

/// SHIM(run): replaced at integration. Every error in the rule files, one `path:line:col:
/// message` per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<String>);

impl std::fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("\n"))
    }
}

impl std::error::Error for RuleErrors {}

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]: {}", self.file, self.locator, self.message)
    }
}

impl Rules {
    /// SHIM(run): replaced at integration. Checks only that each `*.toml` in the folders parses.
    pub fn load(dirs: &[std::path::PathBuf]) -> Result<Rules, RuleErrors> {
        let mut errors = Vec::new();
        for dir in dirs {
            let entries = match std::fs::read_dir(dir) {
                Ok(e) => e,
                Err(e) => {
                    errors.push(format!(
                        "{}: cannot read the rule folder: {e}",
                        dir.display()
                    ));
                    continue;
                }
            };
            let mut paths: Vec<_> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                if let Err(e) = text.parse::<toml::Table>() {
                    let (line, col) = e
                        .span()
                        .map(|s| {
                            let before = text.get(..s.start).unwrap_or("");
                            let line = before.matches('\n').count() + 1;
                            let col =
                                before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                            (line, col)
                        })
                        .unwrap_or((1, 1));
                    errors.push(format!("{}:{line}:{col}: {}", path.display(), e.message()));
                }
            }
        }
        if errors.is_empty() {
            Ok(Rules {})
        } else {
            Err(RuleErrors(errors))
        }
    }
}

/// SHIM(run): replaced at integration. Finds nothing.
pub fn map_document(doc: &crate::document::Document, rules: &Rules) -> Mapped {
    let _ = (doc, rules);
    Mapped::default()
}
