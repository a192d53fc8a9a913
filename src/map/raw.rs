//! The rule files as written: serde structs for `mappings/*.toml`, one per rule kind, with
//! `deny_unknown_fields` so a misspelt key is an error, and spans kept on every value a later
//! check may reject.
//!
//! Takes TOML text, gives raw structs or `toml` errors with byte spans. It checks only what
//! serde can (keys, types, enum words); what serde cannot (targets, regexes, templates) is
//! `compile`'s job. These structs also give the rule files' JSON Schema.

use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A rule file: column sets, rules of five kinds, and rule ids to switch off.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "orgprofile mapping rules")]
pub struct RawFile {
    /// Rule ids to switch off (from the defaults or an earlier folder).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub disable: Vec<Spanned<String>>,
    /// Named pieces of regex shared by rules: a rule's regex writes `{{name}}` where the piece
    /// goes ("a person's name", "the SMS manager's titles"). A piece may use pieces defined
    /// before it; a later `--mappings` folder's piece of the same name replaces it.
    #[serde(default)]
    pub fragments: BTreeMap<String, String>,
    /// Named column sets shared by table rules: set name -> column name -> header synonyms.
    /// A later file's set of the same name adds synonyms to it.
    #[serde(default)]
    pub columns: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Table rules: a table qualifies by its header row; its rows feed a field.
    #[serde(default)]
    pub table: Vec<RawTable>,
    /// Label rules: `Label: value` lines and `Label | Value` table rows.
    #[serde(default)]
    pub label: Vec<RawLabel>,
    /// Section rules: the text under a matching heading.
    #[serde(default)]
    pub section: Vec<RawSection>,
    /// Pattern rules: a regular expression or a keyword list over paragraphs.
    #[serde(default)]
    pub pattern: Vec<RawPattern>,
    /// Classify rules: keyword evidence for an enumerated field, quoted as the rationale.
    #[serde(default)]
    pub classify: Vec<RawClassify>,
    /// How values are judged and decided: thresholds, kinds of text, cues.
    #[serde(default)]
    pub judge: Option<crate::judge::config::RawJudge>,
    /// The product catalog: tools the documents may name, with their kind.
    #[serde(default)]
    pub product: Vec<RawProduct>,
}

/// A product of the catalog (`[[product]]`): a tool the documents may name, found as whole
/// words in paragraphs, list items, headings and table cells.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    /// The name as the profile shows it ("Jira Service Management"); a later file's product of
    /// the same name replaces this one.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Other names people write for it ("JSM", "Jira Service Desk").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Its kind: itsm, monitoring, cmdb, cloud_platform, network, collaboration, security, ...
    #[serde(rename = "type")]
    pub kind: String,
    /// Match only the exact spelling of the name and aliases (for names that are also ordinary
    /// words: "Box", "Salt", "Notion").
    #[serde(default)]
    pub exact_case: bool,
}

/// The top-level keys of a rule file.
pub const TOP_KEYS: &[&str] = &[
    "disable",
    "fragments",
    "columns",
    "table",
    "label",
    "section",
    "pattern",
    "classify",
    "judge",
    "product",
];

/// How a table rule turns qualifying rows into candidates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// Each row gives one candidate (one list item, or one value for a text field).
    #[default]
    Rows,
    /// The first row that passes the filters gives the one candidate.
    First,
    /// Each distinct value gives one candidate (departments, locations).
    Distinct,
    /// The number of rows, as `{count}` (headcount).
    Count,
    /// The one value the passing rows give, and nothing when they give several (two people
    /// titled "Service Manager": which one runs the SMS is a question, not a guess).
    Only,
}

/// What a section rule takes from the text under its heading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Take {
    /// Each list item (outermost level) is one candidate.
    Items,
    /// Each paragraph is one candidate.
    Paragraphs,
    /// The list items, or the paragraphs when there is no list.
    #[default]
    ItemsOrParagraphs,
    /// The first paragraph is the one candidate.
    FirstParagraph,
    /// All paragraphs and list items, joined, are the one candidate.
    Text,
}

/// A value: a template string, or a switch that picks a constant by regular expressions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum ValueSchema {
    /// A template such as `"{name}, {title}"`.
    Template(String),
    /// A switch: the first case whose `when` regex matches the rendered `from` template wins.
    Switch(SwitchSchema),
}

/// A record field: a template, a list of templates (for `requirements`), or a switch.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum FieldSchema {
    /// A template such as `"{supplier}"` or a constant such as `"supplier"`.
    Template(String),
    /// Several templates; each non-empty one is an item of a list key.
    List(Vec<String>),
    /// A switch over a template.
    Switch(SwitchSchema),
}

/// A switch: `{ from = "{type}", cases = [{ when = "(?i)vendor", value = "supplier" }], default = "partner" }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct SwitchSchema {
    /// The template whose text the cases test.
    pub from: String,
    /// Tried in order; the first whose regex matches gives the value.
    pub cases: Vec<CaseSchema>,
    /// The value when no case matches; without it, no candidate.
    pub default: Option<String>,
}

/// One case of a switch.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct CaseSchema {
    /// A regular expression (case-insensitive).
    pub when: String,
    /// The value (a template) when it matches.
    pub value: String,
}

/// A table rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTable {
    /// Unique id, e.g. `hr.headcount`; a later file's rule with the same id replaces this one.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the rule is for, for people.
    pub description: Option<String>,
    /// The profile field's JSON pointer, e.g. `/organization/size`.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// Higher wins in the merge (default 50).
    pub priority: Option<i32>,
    /// A narrower shape for this rule's values than its field's (`person`, `place`, ...).
    #[schemars(with = "Option<String>")]
    pub shape: Option<Spanned<String>>,
    /// Only when no regular rule found a value for the same field in the same document (a
    /// guess from prose or job titles that a label or register there would make redundant).
    #[serde(default)]
    pub fallback: bool,
    /// Stands in when no document names a value: the chief executive as the sponsor. It
    /// yields to a value any other rule found for the field, however weak (then suggested).
    #[serde(default)]
    pub stand_in: bool,
    /// Only documents of these formats (`xlsx`, `docx`, `markdown`, ...).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub formats: Vec<Spanned<String>>,
    /// Only files whose path or name matches one of these globs (case-insensitive).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// The name of a column set (`[columns.NAME]`) this rule's columns come from.
    #[schemars(with = "Option<String>")]
    pub column_set: Option<Spanned<String>>,
    /// Columns of this rule only: column name -> header synonyms.
    #[serde(default)]
    pub columns: BTreeMap<String, Vec<String>>,
    /// Computed columns used when the column itself is absent: `name = "{first_name} {last_name}"`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub combine: BTreeMap<String, Spanned<String>>,
    /// Columns the header must show although no template uses them.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub require: Vec<Spanned<String>>,
    /// At least one of these columns must be in the header (e.g. `["title", "manager"]`).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub require_any: Vec<Spanned<String>>,
    /// The table does not qualify when the header shows any of these columns.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub forbid: Vec<Spanned<String>>,
    /// Columns the templates use but the header may lack (they read as empty).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub optional: Vec<Spanned<String>>,
    /// Row filters: column -> regex (case-insensitive) the cell must match; named groups
    /// become template names.
    #[serde(default, rename = "where")]
    #[schemars(with = "BTreeMap<String, String>")]
    pub filter: BTreeMap<String, Spanned<String>>,
    /// Row exclusions: column -> regex; a row whose cell matches is skipped.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub unless: BTreeMap<String, Spanned<String>>,
    /// rows (default), first, distinct or count.
    #[serde(default)]
    pub aggregate: Aggregate,
    /// A role matrix (RACI): a regex (case-insensitive) for the mark a row's cell carries in
    /// the column of the person or role the value names ("A"). The columns the header does not
    /// map are people or roles; `{column}` is the header of the first marked one.
    #[schemars(with = "Option<String>")]
    pub matrix: Option<Spanned<String>>,
    /// The value for a text or text-list field.
    #[schemars(with = "Option<ValueSchema>")]
    pub value: Option<Spanned<toml::Value>>,
    /// The item for a record-list field: key -> template.
    #[schemars(with = "Option<BTreeMap<String, FieldSchema>>")]
    pub record: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

/// A label rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLabel {
    /// Unique id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the rule is for, for people.
    pub description: Option<String>,
    /// The profile field's JSON pointer.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// Higher wins in the merge (default 50).
    pub priority: Option<i32>,
    /// A narrower shape for this rule's values than its field's (`person`, `place`, ...).
    #[schemars(with = "Option<String>")]
    pub shape: Option<Spanned<String>>,
    /// Only when no regular rule found a value for the same field in the same document (a
    /// guess from prose or job titles that a label or register there would make redundant).
    #[serde(default)]
    pub fallback: bool,
    /// Stands in when no document names a value: the chief executive as the sponsor. It
    /// yields to a value any other rule found for the field, however weak (then suggested).
    #[serde(default)]
    pub stand_in: bool,
    /// Only documents of these formats.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub formats: Vec<Spanned<String>>,
    /// Only files matching one of these globs.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// The labels, first the canonical one: `["Legal name", "Registered name"]`.
    #[schemars(with = "Vec<String>")]
    pub labels: Spanned<Vec<String>>,
    /// A regex the value must match (case-insensitive); named groups become template names.
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// A regex to split the value into several list items, e.g. `"[,;]"`.
    #[schemars(with = "Option<String>")]
    pub split: Option<Spanned<String>>,
    /// A regex (case-insensitive): a value, or an item of a split value, that matches it is
    /// dropped (e.g. country names in a list of offices).
    #[schemars(with = "Option<String>")]
    pub unless: Option<Spanned<String>>,
    /// The value (default `"{value}"`).
    #[schemars(with = "Option<ValueSchema>")]
    pub value: Option<Spanned<toml::Value>>,
    /// The item for a record-list field.
    #[schemars(with = "Option<BTreeMap<String, FieldSchema>>")]
    pub record: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

/// A section rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    /// Unique id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the rule is for, for people.
    pub description: Option<String>,
    /// The profile field's JSON pointer.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// Higher wins in the merge (default 50).
    pub priority: Option<i32>,
    /// A narrower shape for this rule's values than its field's (`person`, `place`, ...).
    #[schemars(with = "Option<String>")]
    pub shape: Option<Spanned<String>>,
    /// Only when no regular rule found a value for the same field in the same document (a
    /// guess from prose or job titles that a label or register there would make redundant).
    #[serde(default)]
    pub fallback: bool,
    /// Stands in when no document names a value: the chief executive as the sponsor. It
    /// yields to a value any other rule found for the field, however weak (then suggested).
    #[serde(default)]
    pub stand_in: bool,
    /// Only documents of these formats.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub formats: Vec<Spanned<String>>,
    /// Only files matching one of these globs.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// Heading texts, first the canonical one; numbering such as `3.2` is ignored.
    #[schemars(with = "Vec<String>")]
    pub headings: Spanned<Vec<String>>,
    /// Lead-in regexes (case-insensitive): a paragraph ending in ":" that one matches
    /// ("Granite Peak is seeking certification for the following reasons:") opens a section of
    /// the list under it, as a heading does.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub lead_ins: Vec<Spanned<String>>,
    /// items, paragraphs, items_or_paragraphs (default), first_paragraph or text.
    #[serde(default)]
    pub take: Take,
    /// A regex each taken text must match (case-insensitive); named groups become template names.
    #[schemars(with = "Option<String>")]
    pub pattern: Option<Spanned<String>>,
    /// As for a pattern rule: a regex that splits the group named by `split_group` into one
    /// record per part (a paragraph under "Interested parties" that lists them).
    #[schemars(with = "Option<String>")]
    pub split: Option<Spanned<String>>,
    /// The pattern's group that `split` splits.
    #[schemars(with = "Option<String>")]
    pub split_group: Option<Spanned<String>>,
    /// A regex (case-insensitive): a text whose `split_group` (or, without one, the whole text)
    /// matches it gives nothing ("Typical interested parties include ...": guidance, no list).
    #[schemars(with = "Option<String>")]
    pub unless: Option<Spanned<String>>,
    /// The value (default `"{text}"`).
    #[schemars(with = "Option<ValueSchema>")]
    pub value: Option<Spanned<toml::Value>>,
    /// The item for a record-list field.
    #[schemars(with = "Option<BTreeMap<String, FieldSchema>>")]
    pub record: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

/// A pattern rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPattern {
    /// Unique id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the rule is for, for people.
    pub description: Option<String>,
    /// The profile field's JSON pointer.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// Higher wins in the merge (default 50).
    pub priority: Option<i32>,
    /// A narrower shape for this rule's values than its field's (`person`, `place`, ...).
    #[schemars(with = "Option<String>")]
    pub shape: Option<Spanned<String>>,
    /// Only when no regular rule found a value for the same field in the same document (a
    /// guess from prose or job titles that a label or register there would make redundant).
    #[serde(default)]
    pub fallback: bool,
    /// Stands in when no document names a value: the chief executive as the sponsor. It
    /// yields to a value any other rule found for the field, however weak (then suggested).
    #[serde(default)]
    pub stand_in: bool,
    /// Only documents of these formats.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub formats: Vec<Spanned<String>>,
    /// Only files matching one of these globs.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// A regular expression with named groups, e.g. `(?P<name>...)`.
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
    /// Instead of `regex`: words or product names found as whole words, case-insensitively;
    /// `{keyword}` is the name as written here. `"Office 365 => Microsoft 365"` finds the
    /// first and gives the second.
    #[schemars(with = "Option<Vec<String>>")]
    pub keywords: Option<Spanned<Vec<String>>>,
    /// Also search table cells (default: paragraphs, list items and headings only).
    #[serde(default)]
    pub cells: bool,
    /// Only these kinds of block: `heading`, `paragraph`, `list_item` (and `cell` with
    /// `cells = true`); all when empty. A title rule reads headings only.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub blocks: Vec<Spanned<String>>,
    /// A regex the whole match must also contain (case-insensitive), e.g. a sentence found by
    /// `regex` counts only when it mentions the SMS or certification.
    #[schemars(with = "Option<String>")]
    pub within: Option<Spanned<String>>,
    /// A regex that splits the rendered value into several items (for list fields with a
    /// `value`): "Incident management and change management" with `'\s*(?:,|\band\b)\s*'`;
    /// for a list of records, the group named by `split_group`, one record per part.
    #[schemars(with = "Option<String>")]
    pub split: Option<Spanned<String>>,
    /// For a list of records: the named group that `split` splits ("customers, partners and
    /// vendors" gives three records).
    #[schemars(with = "Option<String>")]
    pub split_group: Option<Spanned<String>>,
    /// A short form and the name it abbreviates, as two named groups (`["short", "name"]`): a
    /// match counts only when the short form's letters are the initials of the name's words
    /// ("PAVM" of "Port autonome du Val-de-Meuse").
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub short_form: Vec<Spanned<String>>,
    /// The value (a template over the groups).
    #[schemars(with = "Option<ValueSchema>")]
    pub value: Option<Spanned<toml::Value>>,
    /// The item for a record-list field.
    #[schemars(with = "Option<BTreeMap<String, FieldSchema>>")]
    pub record: Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
}

/// A classify rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawClassify {
    /// Unique id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What the rule is for, for people.
    pub description: Option<String>,
    /// The enumerated field's JSON pointer, e.g. `/service_provider_type/classification`.
    #[schemars(with = "String")]
    pub target: Spanned<String>,
    /// Higher wins in the merge (default 50).
    pub priority: Option<i32>,
    /// A narrower shape for this rule's values than its field's (`person`, `place`, ...).
    #[schemars(with = "Option<String>")]
    pub shape: Option<Spanned<String>>,
    /// Only documents of these formats.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub formats: Vec<Spanned<String>>,
    /// Only files matching one of these globs.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub files: Vec<Spanned<String>>,
    /// A text field that receives the evidence sentences, quoted.
    #[schemars(with = "Option<String>")]
    pub rationale: Option<Spanned<String>>,
    /// Evidence classes: name -> regexes (case-insensitive) that show it.
    #[schemars(with = "BTreeMap<String, Vec<String>>")]
    pub evidence: Spanned<BTreeMap<String, Vec<String>>>,
    /// A regex (case-insensitive): a sentence it matches gives no evidence ("... is out of
    /// scope": what a scope statement leaves out says nothing about the customers).
    #[schemars(with = "Option<String>")]
    pub unless: Option<Spanned<String>>,
    /// Tried in order: the first outcome whose classes were all seen gives the value.
    #[serde(default)]
    pub outcome: Vec<RawOutcome>,
}

/// One outcome of a classify rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    /// Evidence classes that must all have been seen.
    #[schemars(with = "Vec<String>")]
    pub when: Spanned<Vec<String>>,
    /// The value, one of the field's choices.
    #[schemars(with = "String")]
    pub value: Spanned<String>,
}
