//! Raw rule files in, compiled [`Rules`] out: the one step that checks what serde cannot
//! (targets against [`crate::profile::FIELDS`], regexes, templates, column names, record keys,
//! duplicate ids) and resolves layers (defaults, then each `--mappings` folder; a later rule
//! with the same id replaces the earlier one; `disable = [..]` switches rules off).
//!
//! Every error in every file is collected before giving up, each as `file:line:column: message`
//! with what to write instead. Only [`Rules::load`] touches the filesystem (to list and read
//! rule folders); everything else works on text.

use super::fold::fold;
use super::raw::{
    Aggregate, RawClassify, RawLabel, RawPattern, RawProduct, RawSection, RawTable, Take, TOP_KEYS,
};
use super::template::Template;
use crate::document::Format;
use crate::profile::{FieldKind, FieldSpec, FIELDS};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex_syntax::hir::{Hir, HirKind};
use serde::de::{Deserialize, IntoDeserializer};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The shipped rule files, compiled into the binary: `(path, text)`.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    (
        "mappings/people.toml",
        include_str!("../../mappings/people.toml"),
    ),
    (
        "mappings/parties.toml",
        include_str!("../../mappings/parties.toml"),
    ),
    (
        "mappings/locations.toml",
        include_str!("../../mappings/locations.toml"),
    ),
    (
        "mappings/technology.toml",
        include_str!("../../mappings/technology.toml"),
    ),
    (
        "mappings/services.toml",
        include_str!("../../mappings/services.toml"),
    ),
    (
        "mappings/policy.toml",
        include_str!("../../mappings/policy.toml"),
    ),
    (
        "mappings/provider_type.toml",
        include_str!("../../mappings/provider_type.toml"),
    ),
    (
        "mappings/products.toml",
        include_str!("../../mappings/products.toml"),
    ),
    ("mappings/judge.toml", crate::judge::config::DEFAULT_JUDGE),
];

/// Default priority of a rule that does not set one.
pub const DEFAULT_PRIORITY: i32 = 50;
/// Largest rule file read from a folder (1 MiB).
pub const MAX_RULE_FILE: u64 = 1024 * 1024;

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleError {
    /// The file, as given (`mappings/people.toml` for a shipped file).
    pub file: String,
    /// 1-based line, 0 when the problem is the whole file or folder.
    pub line: usize,
    /// 1-based column (characters), 0 with `line`.
    pub column: usize,
    /// What is wrong and what to write instead, on one line.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// Every problem found in the rule files; displays one `path:line:col: message` per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleErrors {
    /// The problems, in file order.
    pub errors: Vec<RuleError>,
}

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// The five rule kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A table qualified by its header row.
    Table,
    /// `Label: value` or a `Label | Value` table row.
    Label,
    /// The text under a heading.
    Section,
    /// A regex or keyword list over paragraphs.
    Pattern,
    /// Keyword evidence for an enumerated field.
    Classify,
}

impl RuleKind {
    /// The kind's name as written in rule files (`[[table]]`).
    pub fn name(self) -> &'static str {
        match self {
            RuleKind::Table => "table",
            RuleKind::Label => "label",
            RuleKind::Section => "section",
            RuleKind::Pattern => "pattern",
            RuleKind::Classify => "classify",
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One effective rule, for `orgprofile mappings list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// The rule's id.
    pub id: String,
    /// Its kind.
    pub kind: RuleKind,
    /// The target field's JSON pointer.
    pub target: String,
    /// Its priority.
    pub priority: i32,
    /// Where it came from: `default mappings/people.toml` or the user's file path.
    pub origin: String,
    /// Its description, if the file gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One rule file's text, with the name used in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSource {
    /// The name in messages: `mappings/people.toml` or the user's path.
    pub name: String,
    /// The TOML text.
    pub text: String,
}

/// A group of rule files loaded together (the defaults, or one `--mappings` folder). Ids must
/// be unique within a layer; a later layer's rule replaces an earlier one with the same id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleLayer {
    /// Whether these are the shipped defaults (origin shown as `default <file>`). Their regexes
    /// are built on first use; anything else is built at load ([`Regex`]).
    pub default: bool,
    /// The files, in load order.
    pub sources: Vec<RuleSource>,
}

// ---------------------------------------------------------------------------------------------
// Compiled rules

/// A value template or a switch.
#[derive(Debug, Clone)]
pub(crate) enum ValueT {
    Template(Template),
    Switch {
        from: Template,
        cases: Vec<(Regex, Template)>,
        default: Option<Template>,
    },
}

impl ValueT {
    fn names(&self) -> Vec<&str> {
        match self {
            ValueT::Template(t) => t.names().collect(),
            ValueT::Switch {
                from,
                cases,
                default,
            } => {
                let mut v: Vec<&str> = from.names().collect();
                for (_, t) in cases {
                    v.extend(t.names());
                }
                if let Some(d) = default {
                    v.extend(d.names());
                }
                v
            }
        }
    }

    pub(crate) fn render<'a>(&self, lookup: &impl Fn(&str) -> Option<&'a str>) -> String {
        match self {
            ValueT::Template(t) => t.render(lookup),
            ValueT::Switch {
                from,
                cases,
                default,
            } => {
                let text = from.render(lookup);
                for (re, t) in cases {
                    if re.is_match(&text) {
                        return t.render(lookup);
                    }
                }
                default
                    .as_ref()
                    .map(|d| d.render(lookup))
                    .unwrap_or_default()
            }
        }
    }
}

/// A record key's template(s).
#[derive(Debug, Clone)]
pub(crate) enum FieldT {
    One(ValueT),
    List(Vec<ValueT>),
}

/// What a rule produces from its names.
#[derive(Debug, Clone)]
pub(crate) enum Output {
    Value(ValueT),
    /// Keys in the field's order; `true` when the key holds a list of strings.
    Record(Vec<(String, bool, FieldT)>),
}

impl Output {
    pub(crate) fn names(&self) -> Vec<&str> {
        match self {
            Output::Value(v) => v.names(),
            Output::Record(keys) => keys
                .iter()
                .flat_map(|(_, _, f)| match f {
                    FieldT::One(v) => v.names(),
                    FieldT::List(vs) => vs.iter().flat_map(|v| v.names()).collect(),
                })
                .collect(),
        }
    }
}

/// A column of a table rule: its name and folded synonyms (the first listed is the canonical
/// one; the column's own name comes last).
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) key: String,
    /// The column's name folded: a header equal to it matches exactly.
    pub(crate) key_folded: String,
    pub(crate) synonyms: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct TableRule {
    pub(crate) columns: Vec<Column>,
    pub(crate) combine: Vec<(String, Template)>,
    pub(crate) needed: Vec<String>,
    pub(crate) needed_any: Vec<String>,
    pub(crate) forbid: Vec<String>,
    pub(crate) optional: Vec<String>,
    pub(crate) filters: Vec<(String, Regex)>,
    pub(crate) unless: Vec<(String, Regex)>,
    pub(crate) aggregate: Aggregate,
    /// A role matrix's mark: `{column}` is the header of the first unmapped column so marked.
    pub(crate) matrix: Option<Regex>,
    pub(crate) output: Output,
}

#[derive(Debug, Clone)]
pub(crate) struct LabelRule {
    /// Folded labels with the label as written; the first is canonical.
    pub(crate) labels: Vec<(String, String)>,
    pub(crate) pattern: Option<Regex>,
    pub(crate) split: Option<Regex>,
    /// A value (or split item) matching it is dropped.
    pub(crate) unless: Option<Regex>,
    pub(crate) output: Output,
}

#[derive(Debug, Clone)]
pub(crate) struct SectionRule {
    /// Folded headings with the heading as written; the first is canonical.
    pub(crate) headings: Vec<(String, String)>,
    /// Lead-in lines: a paragraph ending in ":" that one of these matches opens a section.
    pub(crate) lead_ins: Vec<Regex>,
    pub(crate) take: Take,
    pub(crate) pattern: Option<Regex>,
    /// Splits the pattern's group `split_group` into one record per part.
    pub(crate) split: Option<(Regex, String)>,
    /// A text whose split group (or whole text) matches it gives nothing.
    pub(crate) unless: Option<Regex>,
    pub(crate) output: Output,
}

#[derive(Debug, Clone)]
pub(crate) struct PatternRule {
    pub(crate) regex: Regex,
    /// For a keyword rule: folded keyword -> (the name it gives, the keyword as written).
    pub(crate) keywords: Option<HashMap<String, (String, String)>>,
    pub(crate) cells: bool,
    /// The kinds of block it reads (all when empty).
    pub(crate) blocks: Vec<BlockSort>,
    /// For a list of records: the named group `split` splits, one record per part.
    pub(crate) split_group: Option<String>,
    /// The whole match must also match this.
    pub(crate) within: Option<Regex>,
    /// The groups of a short form and of the name it abbreviates: a match counts only when
    /// the one is the initials of the other.
    pub(crate) short_form: Option<(String, String)>,
    /// Splits the rendered value into several items (list-of-text fields).
    pub(crate) split: Option<Regex>,
    pub(crate) output: Output,
}

#[derive(Debug, Clone)]
pub(crate) struct ClassifyRule {
    pub(crate) evidence: Vec<(String, Vec<Regex>)>,
    /// Sentences it matches give no evidence.
    pub(crate) unless: Option<Regex>,
    pub(crate) outcomes: Vec<(Vec<String>, String)>,
    pub(crate) rationale: Option<&'static FieldSpec>,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Table(TableRule),
    Label(LabelRule),
    Section(SectionRule),
    Pattern(PatternRule),
    Classify(ClassifyRule),
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) id: String,
    pub(crate) target: &'static FieldSpec,
    pub(crate) priority: i32,
    /// Gives nothing for a document in which a regular rule already found the same field.
    pub(crate) fallback: bool,
    /// Its values yield to any other rule's value for the field ([`crate::map::Candidate::stand_in`]).
    pub(crate) stand_in: bool,
    pub(crate) formats: Vec<Format>,
    pub(crate) files: Option<GlobSet>,
    pub(crate) origin: String,
    pub(crate) description: Option<String>,
    /// A narrower shape for the rule's values than its field's.
    pub(crate) shape: Option<crate::profile::Shape>,
    pub(crate) body: Body,
}

impl Rule {
    pub(crate) fn kind(&self) -> RuleKind {
        match self.body {
            Body::Table(_) => RuleKind::Table,
            Body::Label(_) => RuleKind::Label,
            Body::Section(_) => RuleKind::Section,
            Body::Pattern(_) => RuleKind::Pattern,
            Body::Classify(_) => RuleKind::Classify,
        }
    }
}

/// Compiled mapping rules: the shipped defaults plus any user folders, validated. Cheap to
/// share between threads (`Send + Sync`).
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub(crate) rules: Vec<Rule>,
    /// Every label of every label rule, folded: a table cell that is one is a label, never a
    /// value.
    pub(crate) all_labels: foldhash::HashSet<String>,
    /// Lookups over the rules, so a document is mapped in about one pass (built with them).
    pub(crate) index: super::index::RuleIndex,
    /// The judge's thresholds and vocabulary: the `[judge]` tables of the rule files.
    pub judge: crate::judge::Config,
}

impl Rules {
    /// The shipped rules (`mappings/*.toml`, compiled into the binary).
    pub fn defaults() -> Result<Rules, RuleErrors> {
        Rules::from_layers(&[default_layer()])
    }

    /// The shipped rules, then each folder's `*.toml` files in name order (a path to a single
    /// `.toml` file also works). A later rule with the same id replaces the earlier one;
    /// `disable = ["id"]` in any file switches a rule off.
    pub fn load(dirs: &[PathBuf]) -> Result<Rules, RuleErrors> {
        let mut layers = vec![default_layer()];
        let mut errors = Vec::new();
        for dir in dirs {
            match read_layer(dir) {
                Ok(layer) => layers.push(layer),
                Err(e) => errors.push(e),
            }
        }
        match Rules::from_layers(&layers) {
            Ok(rules) if errors.is_empty() => Ok(rules),
            Ok(_) => Err(RuleErrors { errors }),
            Err(mut e) => {
                errors.append(&mut e.errors);
                Err(RuleErrors { errors })
            }
        }
    }

    /// Checks the shipped rules as a user's files are checked: every regex (the catalog's
    /// too) is built now, so that a broken one is reported with its file and line rather than
    /// found later by a template naming a group it cannot see. For `mappings check`.
    pub fn check_defaults() -> Result<(), RuleErrors> {
        let layer = RuleLayer {
            default: false,
            ..default_layer()
        };
        Rules::from_layers(&[layer]).map(|_| ())
    }

    /// Rules from one TOML text alone, without the defaults (for tests and tools).
    pub fn from_toml(name: &str, text: &str) -> Result<Rules, RuleErrors> {
        Rules::from_layers(&[RuleLayer {
            default: false,
            sources: vec![RuleSource {
                name: name.to_string(),
                text: text.to_string(),
            }],
        }])
    }

    /// Rules from layers of rule files, in order (see [`RuleLayer`]).
    pub fn from_layers(layers: &[RuleLayer]) -> Result<Rules, RuleErrors> {
        build(layers)
    }

    /// The effective rules, in application order.
    pub fn list(&self) -> Vec<RuleInfo> {
        self.rules
            .iter()
            .map(|r| RuleInfo {
                id: r.id.clone(),
                kind: r.kind(),
                target: r.target.pointer.to_string(),
                priority: r.priority,
                origin: r.origin.clone(),
                description: r.description.clone(),
            })
            .collect()
    }

    /// How many rules are in effect.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether no rule is in effect.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

fn default_layer() -> RuleLayer {
    RuleLayer {
        default: true,
        sources: DEFAULT_FILES
            .iter()
            .map(|(name, text)| RuleSource {
                name: (*name).to_string(),
                text: (*text).to_string(),
            })
            .collect(),
    }
}

fn read_layer(dir: &Path) -> Result<RuleLayer, RuleError> {
    let shown = dir.display().to_string();
    let whole = |message: String| RuleError {
        file: shown.clone(),
        line: 0,
        column: 0,
        message,
    };
    let meta = std::fs::metadata(dir)
        .map_err(|e| whole(format!("cannot read the mappings folder: {e}")))?;
    let mut paths = Vec::new();
    if meta.is_file() {
        paths.push(dir.to_path_buf());
    } else {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| whole(format!("cannot read the mappings folder: {e}")))?;
        for entry in entries.flatten() {
            let p = entry.path();
            if p.extension()
                .and_then(|e| e.to_str())
                .map(|e| e.eq_ignore_ascii_case("toml"))
                == Some(true)
                && p.is_file()
            {
                paths.push(p);
            }
        }
        paths.sort();
        if paths.is_empty() {
            return Err(whole(
                "no rule files here; a mappings folder holds *.toml files (see mappings/README.md)"
                    .into(),
            ));
        }
    }
    let mut sources = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        if size > MAX_RULE_FILE {
            return Err(RuleError {
                file: name,
                line: 0,
                column: 0,
                message: format!(
                    "the file is {size} bytes, more than the {MAX_RULE_FILE} a rule file may have; split it"
                ),
            });
        }
        let text = std::fs::read_to_string(&p).map_err(|e| RuleError {
            file: name.clone(),
            line: 0,
            column: 0,
            message: format!("cannot read the rule file (is it UTF-8 text?): {e}"),
        })?;
        sources.push(RuleSource { name, text });
    }
    Ok(RuleLayer {
        default: false,
        sources,
    })
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Where errors of one file go, with what turns byte spans into lines and columns.
struct Ctx<'a> {
    file: &'a str,
    src: &'a str,
    errors: &'a mut Vec<RuleError>,
    /// The id of the rule being compiled, named in its regexes' errors.
    rule: Option<&'a str>,
    /// The shipped rules: their regexes are built on first use ([`Regex`]).
    lazy: bool,
    /// The `[fragments]` of every file, by name, that a regex's `{{name}}` stands for.
    fragments: &'a BTreeMap<String, String>,
}

impl Ctx<'_> {
    fn err(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.src, span.start);
        self.errors.push(RuleError {
            file: self.file.to_string(),
            line,
            column,
            message: one_line(&message.into()),
        });
    }

    fn toml_err(&mut self, e: &toml::de::Error, fallback: Range<usize>) {
        let span = e.span().unwrap_or(fallback);
        let mut msg = one_line(e.message());
        if let Some(hint) = unknown_field_hint(e.message()) {
            msg.push_str(&hint);
        }
        self.err(span, msg);
    }
}

fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn one_line(s: &str) -> String {
    crate::document::normalize_whitespace(s)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": " (did you mean `a`?)".
fn unknown_field_hint(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("unknown field `")
        .or_else(|| msg.strip_prefix("unknown variant `"))?;
    let (bad, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    closest(bad, expected.iter().copied()).map(|c| format!(" (did you mean `{c}`?)"))
}

/// The candidate closest to `bad`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(bad: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let s = strsim::jaro_winkler(&bad.to_lowercase(), &c.to_lowercase());
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.75).map(|(_, c)| c)
}

/// A rule as read, before compiling.
enum RawRule {
    Table(RawTable),
    Label(RawLabel),
    Section(RawSection),
    Pattern(RawPattern),
    Classify(RawClassify),
}

impl RawRule {
    fn id(&self) -> &Spanned<String> {
        match self {
            RawRule::Table(r) => &r.id,
            RawRule::Label(r) => &r.id,
            RawRule::Section(r) => &r.id,
            RawRule::Pattern(r) => &r.id,
            RawRule::Classify(r) => &r.id,
        }
    }
}

/// One file, parsed.
#[derive(Default)]
struct ParsedFile {
    disable: Vec<Spanned<String>>,
    /// The file's `[fragments]`: name -> regex text.
    fragments: BTreeMap<String, Spanned<String>>,
    /// The file's `[judge]` table, with where it starts.
    judge: Option<(crate::judge::config::RawJudge, Range<usize>)>,
    /// The file's `[[product]]` entries.
    products: Vec<RawProduct>,
    columns: BTreeMap<String, BTreeMap<String, Spanned<Vec<String>>>>,
    rules: Vec<RawRule>,
}

fn parse_file(ctx: &mut Ctx<'_>) -> ParsedFile {
    let mut out = ParsedFile::default();
    let root = match DeTable::parse(ctx.src) {
        Ok(t) => t,
        Err(e) => {
            ctx.toml_err(&e, 0..0);
            return out;
        }
    };
    for (key, value) in root.get_ref().iter() {
        let k: &str = key.get_ref();
        let span = key.span();
        match k {
            "disable" => {
                match Vec::<Spanned<String>>::deserialize(value.clone().into_deserializer()) {
                    Ok(v) => out.disable = v,
                    Err(e) => ctx.toml_err(&e, span),
                }
            }
            "fragments" => {
                match BTreeMap::<String, Spanned<String>>::deserialize(
                    value.clone().into_deserializer(),
                ) {
                    Ok(v) => out.fragments = v,
                    Err(e) => ctx.toml_err(&e, span),
                }
            }
            "product" => match Vec::<RawProduct>::deserialize(value.clone().into_deserializer()) {
                Ok(v) => out.products = v,
                Err(e) => ctx.toml_err(&e, span),
            },
            "judge" => {
                match crate::judge::config::RawJudge::deserialize(value.clone().into_deserializer())
                {
                    Ok(v) => out.judge = Some((v, span)),
                    Err(e) => ctx.toml_err(&e, span),
                }
            }
            "columns" => {
                match BTreeMap::<String, BTreeMap<String, Spanned<Vec<String>>>>::deserialize(
                    value.clone().into_deserializer(),
                ) {
                    Ok(v) => out.columns = v,
                    Err(e) => ctx.toml_err(&e, span),
                }
            }
            "table" | "label" | "section" | "pattern" | "classify" => {
                let DeValue::Array(items) = value.get_ref() else {
                    ctx.err(
                        span,
                        format!("`{k}` must be an array of tables; write each rule as `[[{k}]]`"),
                    );
                    continue;
                };
                for item in items.iter() {
                    let d = item.clone().into_deserializer();
                    let parsed = match k {
                        "table" => RawTable::deserialize(d).map(RawRule::Table),
                        "label" => RawLabel::deserialize(d).map(RawRule::Label),
                        "section" => RawSection::deserialize(d).map(RawRule::Section),
                        "pattern" => RawPattern::deserialize(d).map(RawRule::Pattern),
                        _ => RawClassify::deserialize(d).map(RawRule::Classify),
                    };
                    match parsed {
                        Ok(r) => out.rules.push(r),
                        Err(e) => ctx.toml_err(&e, item.span()),
                    }
                }
            }
            other => {
                let hint = closest(other, TOP_KEYS.iter().copied())
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                ctx.err(
                    span,
                    format!(
                        "unknown key `{other}`; {hint}a rule file has `disable`, `[columns.NAME]`, rules `[[table]]`, `[[label]]`, `[[section]]`, `[[pattern]]`, `[[classify]]`, a catalog `[[product]]`, and `[judge]`"
                    ),
                );
            }
        }
    }
    // Rules apply in the order the file writes them, whatever their kind.
    out.rules.sort_by_key(|r| r.id().span().start);
    out
}

// ---------------------------------------------------------------------------------------------
// Building

struct Loaded<'a> {
    layer: usize,
    default: bool,
    source: &'a RuleSource,
    parsed: ParsedFile,
}

fn build(layers: &[RuleLayer]) -> Result<Rules, RuleErrors> {
    let mut errors = Vec::new();
    let mut loaded = Vec::new();
    let no_fragments = BTreeMap::new();
    for (li, layer) in layers.iter().enumerate() {
        for source in &layer.sources {
            let mut ctx = Ctx {
                file: &source.name,
                src: &source.text,
                errors: &mut errors,
                rule: None,
                lazy: layer.default,
                fragments: &no_fragments,
            };
            let parsed = parse_file(&mut ctx);
            loaded.push(Loaded {
                layer: li,
                default: layer.default,
                source,
                parsed,
            });
        }
    }

    let fragments = collect_fragments(&loaded, &mut errors);

    // Column sets: later files add synonyms; one header means one column of a set.
    let mut sets: BTreeMap<String, Vec<(String, Vec<String>)>> = BTreeMap::new();
    let mut header_owner: HashMap<(String, String), String> = HashMap::new();
    for l in &loaded {
        let mut ctx = Ctx {
            file: &l.source.name,
            src: &l.source.text,
            errors: &mut errors,
            rule: None,
            lazy: l.default,
            fragments: &fragments,
        };
        for (set, cols) in &l.parsed.columns {
            let entry = sets.entry(set.clone()).or_default();
            // The file's order, not the map's alphabetical one.
            let mut ordered: Vec<(&String, &Spanned<Vec<String>>)> = cols.iter().collect();
            ordered.sort_by_key(|(_, v)| v.span().start);
            for (col, syns) in ordered {
                for syn in syns.get_ref() {
                    let key = (set.clone(), fold(syn));
                    match header_owner.get(&key) {
                        Some(other) if other != col => ctx.err(
                            syns.span(),
                            format!(
                                "the header {syn:?} is already a synonym of column `{other}` in `[columns.{set}]`; a header means one column, so keep it in one of them"
                            ),
                        ),
                        Some(_) => {}
                        None => {
                            header_owner.insert(key, col.clone());
                        }
                    }
                }
                match entry.iter_mut().find(|(c, _)| c == col) {
                    Some((_, existing)) => {
                        for s in syns.get_ref() {
                            if !existing.contains(s) {
                                existing.push(s.clone());
                            }
                        }
                    }
                    None => entry.push((col.clone(), syns.get_ref().clone())),
                }
            }
        }
    }

    // The product catalog becomes keyword rules of its own (one per kind of product), compiled
    // like any other rule after the files' own rules.
    let catalog_source = product_rules(&loaded, &mut errors);
    // The catalog's regexes are built at load when a user's file adds products.
    let catalog_lazy = loaded
        .iter()
        .all(|l| l.default || l.parsed.products.is_empty());
    if let Some(source) = &catalog_source {
        let mut ctx = Ctx {
            file: &source.name,
            src: &source.text,
            errors: &mut errors,
            rule: None,
            lazy: catalog_lazy,
            fragments: &fragments,
        };
        let parsed = parse_file(&mut ctx);
        loaded.push(Loaded {
            layer: layers.len(),
            default: true,
            source,
            parsed,
        });
    }

    // Compile every rule; resolve ids by layer.
    let mut effective: Vec<Rule> = Vec::new();
    let mut seen_in_layer: HashMap<(usize, String), String> = HashMap::new();
    let mut all_ids: BTreeSet<String> = BTreeSet::new();
    for l in &loaded {
        let mut ctx = Ctx {
            file: &l.source.name,
            src: &l.source.text,
            errors: &mut errors,
            rule: None,
            lazy: l.default && (l.source.name != CATALOG_NAME || catalog_lazy),
            fragments: &fragments,
        };
        let origin = if l.default {
            format!("default {}", l.source.name)
        } else {
            l.source.name.clone()
        };
        for raw in &l.parsed.rules {
            let id = raw.id();
            let (line, col) = line_col(ctx.src, id.span().start);
            if id.get_ref().trim().is_empty() {
                ctx.err(
                    id.span(),
                    "the rule id is empty; write an id such as `id = \"hr.headcount\"`",
                );
                continue;
            }
            let here = format!("{}:{line}:{col}", l.source.name);
            if let Some(first) = seen_in_layer.get(&(l.layer, id.get_ref().clone())) {
                ctx.err(
                    id.span(),
                    format!(
                        "duplicate rule id `{}` (first defined at {first}); give this rule another id, or put it in a later --mappings folder to replace the first",
                        id.get_ref()
                    ),
                );
                continue;
            }
            seen_in_layer.insert((l.layer, id.get_ref().clone()), here);
            all_ids.insert(id.get_ref().clone());
            ctx.rule = Some(id.get_ref());
            let compiled = compile_rule(&mut ctx, raw, &sets, origin.clone());
            ctx.rule = None;
            let Some(rule) = compiled else {
                continue;
            };
            match effective.iter_mut().find(|r| r.id == rule.id) {
                Some(slot) => *slot = rule,
                None => effective.push(rule),
            }
        }
    }

    // Disabled ids, checked against every id any file defines.
    let mut disabled = BTreeSet::new();
    for l in &loaded {
        let mut ctx = Ctx {
            file: &l.source.name,
            src: &l.source.text,
            errors: &mut errors,
            rule: None,
            lazy: l.default,
            fragments: &fragments,
        };
        for d in &l.parsed.disable {
            if all_ids.contains(d.get_ref()) {
                disabled.insert(d.get_ref().clone());
            } else {
                let hint = closest(d.get_ref(), all_ids.iter().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                ctx.err(
                    d.span(),
                    format!(
                        "disable: no rule has id `{}`{hint}; `orgprofile mappings list` shows every id",
                        d.get_ref()
                    ),
                );
            }
        }
    }
    effective.retain(|r| !disabled.contains(&r.id));

    // The judge's tables, in file order: later thresholds, contexts and cues win. Each table
    // is checked on its own first, so a problem is reported in the file that has it.
    let mut judge_tables = Vec::new();
    for l in &loaded {
        if let Some((table, span)) = &l.parsed.judge {
            if let Err(messages) = crate::judge::Config::build(std::slice::from_ref(table)) {
                let mut ctx = Ctx {
                    file: &l.source.name,
                    src: &l.source.text,
                    errors: &mut errors,
                    rule: None,
                    lazy: l.default,
                    fragments: &fragments,
                };
                for m in messages {
                    ctx.err(span.clone(), m);
                }
            }
            judge_tables.push(table.clone());
        }
    }
    let judge = crate::judge::Config::build(&judge_tables).unwrap_or_default();

    if errors.is_empty() {
        let all_labels = effective
            .iter()
            .filter_map(|r| match &r.body {
                Body::Label(l) => Some(l.labels.iter().map(|(f, _)| f.clone())),
                _ => None,
            })
            .flatten()
            .collect();
        let index = super::index::RuleIndex::build(&effective);
        Ok(Rules {
            rules: effective,
            all_labels,
            index,
            judge,
        })
    } else {
        // File order, then position within the file.
        let order: Vec<&str> = loaded.iter().map(|l| l.source.name.as_str()).collect();
        errors.sort_by_key(|e| {
            (
                order
                    .iter()
                    .position(|f| *f == e.file)
                    .unwrap_or(usize::MAX),
                e.line,
                e.column,
            )
        });
        Err(RuleErrors { errors })
    }
}

// ---------------------------------------------------------------------------------------------
// Compiling one rule

struct CommonRaw<'a> {
    id: &'a Spanned<String>,
    description: &'a Option<String>,
    target: &'a Spanned<String>,
    priority: Option<i32>,
    fallback: bool,
    stand_in: bool,
    formats: &'a [Spanned<String>],
    files: &'a [Spanned<String>],
    shape: &'a Option<Spanned<String>>,
}

fn compile_rule(
    ctx: &mut Ctx<'_>,
    raw: &RawRule,
    sets: &BTreeMap<String, Vec<(String, Vec<String>)>>,
    origin: String,
) -> Option<Rule> {
    let common = match raw {
        RawRule::Table(r) => CommonRaw {
            id: &r.id,
            description: &r.description,
            target: &r.target,
            priority: r.priority,
            fallback: r.fallback,
            stand_in: r.stand_in,
            formats: &r.formats,
            files: &r.files,
            shape: &r.shape,
        },
        RawRule::Label(r) => CommonRaw {
            id: &r.id,
            description: &r.description,
            target: &r.target,
            priority: r.priority,
            fallback: r.fallback,
            stand_in: r.stand_in,
            formats: &r.formats,
            files: &r.files,
            shape: &r.shape,
        },
        RawRule::Section(r) => CommonRaw {
            id: &r.id,
            description: &r.description,
            target: &r.target,
            priority: r.priority,
            fallback: r.fallback,
            stand_in: r.stand_in,
            formats: &r.formats,
            files: &r.files,
            shape: &r.shape,
        },
        RawRule::Pattern(r) => CommonRaw {
            id: &r.id,
            description: &r.description,
            target: &r.target,
            priority: r.priority,
            fallback: r.fallback,
            stand_in: r.stand_in,
            formats: &r.formats,
            files: &r.files,
            shape: &r.shape,
        },
        RawRule::Classify(r) => CommonRaw {
            id: &r.id,
            description: &r.description,
            target: &r.target,
            priority: r.priority,
            fallback: false,
            stand_in: false,
            formats: &r.formats,
            files: &r.files,
            shape: &r.shape,
        },
    };
    let before = ctx.errors.len();
    let target = resolve_target(ctx, common.target);
    let formats = compile_formats(ctx, common.formats);
    let shape = compile_shape(ctx, common.shape);
    let files = compile_globs(ctx, common.files);
    let body = match (raw, target) {
        (_, None) => None,
        (RawRule::Table(r), Some(t)) => compile_table(ctx, r, t, sets).map(Body::Table),
        (RawRule::Label(r), Some(t)) => compile_label(ctx, r, t).map(Body::Label),
        (RawRule::Section(r), Some(t)) => compile_section(ctx, r, t).map(Body::Section),
        (RawRule::Pattern(r), Some(t)) => compile_pattern(ctx, r, t).map(Body::Pattern),
        (RawRule::Classify(r), Some(t)) => compile_classify(ctx, r, t).map(Body::Classify),
    };
    if ctx.errors.len() > before {
        return None;
    }
    Some(Rule {
        id: common.id.get_ref().clone(),
        target: target?,
        priority: common.priority.unwrap_or(DEFAULT_PRIORITY),
        fallback: common.fallback,
        stand_in: common.stand_in,
        formats,
        files,
        origin,
        description: common.description.clone(),
        shape,
        body: body?,
    })
}

/// The prior of a product named in the documents: a product named once in passing is a
/// suggestion; named where the documents list their tools, or by several documents, it is
/// taken. The judge weighs down examples, evaluations, competitors and retired tools.
const PRODUCT_PRIORITY: i32 = 45;
/// Kinds of product that are also ITSM tools of the maturity section.
const ITSM_TOOL_KINDS: [&str; 3] = ["itsm", "monitoring", "cmdb"];
/// The name the generated catalog rules are shown under.
pub const CATALOG_NAME: &str = "mappings/products.toml (the catalog's keyword rules)";

/// Turns the `[[product]]` entries of every file into keyword rules: `products.<kind>` for
/// `/technology` and `products.itsm_tools` for the maturity section's ITSM tools. A later
/// file's product of the same name replaces an earlier one; one alias naming two products is
/// an error. `None` when there is no product.
fn product_rules(loaded: &[Loaded<'_>], errors: &mut Vec<RuleError>) -> Option<RuleSource> {
    // Each product with the file that gives it, for messages.
    let mut products: Vec<(&RawProduct, &Loaded<'_>)> = Vec::new();
    // Folded name -> its place in `products` (a later file's entry replaces an earlier one).
    let mut place: HashMap<String, usize> = HashMap::new();
    for l in loaded {
        for p in &l.parsed.products {
            match place
                .get(&fold(p.name.get_ref()))
                .and_then(|&i| products.get_mut(i))
            {
                Some(slot) => *slot = (p, l),
                None => {
                    place.insert(fold(p.name.get_ref()), products.len());
                    products.push((p, l));
                }
            }
        }
    }
    let error_at = |l: &Loaded<'_>, p: &RawProduct, message: String| {
        let (line, column) = line_col(&l.source.text, p.name.span().start);
        RuleError {
            file: l.source.name.clone(),
            line,
            column,
            message,
        }
    };
    if products.is_empty() {
        return None;
    }
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    let mut by_kind: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for &(p, l) in &products {
        let name = p.name.get_ref().trim();
        let kind = p.kind.trim();
        let bad = name.is_empty() || kind.is_empty() || name.contains(['"', '=']);
        if bad {
            errors.push(error_at(l, p, format!("product {name:?}: a product needs a name (without quotes or `=`) and a type such as `type = \"itsm\"`")));
            continue;
        }
        let mark = if p.exact_case { "=" } else { "" };
        let words = by_kind.entry(kind).or_default();
        for spelling in std::iter::once(name).chain(p.aliases.iter().map(|a| a.trim())) {
            if spelling.is_empty() || spelling.contains(['"', '=']) {
                continue;
            }
            if let Some(other) = owner.insert(fold(spelling), name) {
                if other != name {
                    errors.push(error_at(l, p, format!("{spelling:?} names two products, {other:?} and {name:?}; keep it as the name or alias of one")));
                }
            }
            words.push(if spelling == name {
                format!("{mark}{name}")
            } else {
                format!("{mark}{spelling} => {name}")
            });
        }
    }
    let quote = |words: &[String]| {
        words
            .iter()
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = String::new();
    let mut itsm_words: Vec<String> = Vec::new();
    for (kind, words) in &by_kind {
        if ITSM_TOOL_KINDS.contains(kind) {
            itsm_words.extend(words.iter().cloned());
        }
        text.push_str(&format!(
            "[[pattern]]\nid = \"products.{kind}\"\ndescription = \"Products of kind {kind} named anywhere (the product catalog)\"\ntarget = \"/technology\"\npriority = {PRODUCT_PRIORITY}\ncells = true\nkeywords = [{}]\nrecord = {{ name = \"{{spelling}}\", type = \"{kind}\" }}\n\n",
            quote(words)
        ));
    }
    if !itsm_words.is_empty() {
        text.push_str(&format!(
            "[[pattern]]\nid = \"products.itsm_tools\"\ndescription = \"ITSM, monitoring and CMDB products named anywhere, into the maturity section (the product catalog)\"\ntarget = \"/service_management_maturity/itsm_tools\"\npriority = {PRODUCT_PRIORITY}\ncells = true\nkeywords = [{}]\nvalue = \"{{spelling}}\"\n",
            quote(&itsm_words)
        ));
    }
    Some(RuleSource {
        name: CATALOG_NAME.into(),
        text,
    })
}

fn compile_shape(
    ctx: &mut Ctx<'_>,
    shape: &Option<Spanned<String>>,
) -> Option<crate::profile::Shape> {
    let s = shape.as_ref()?;
    let found = crate::profile::Shape::from_name(s.get_ref());
    if found.is_none() {
        let names: Vec<&str> = crate::profile::Shape::ALL
            .iter()
            .map(|s| s.name())
            .collect();
        ctx.err(
            s.span(),
            format!(
                "unknown shape `{}`; a shape is one of {} (`orgprofile schema shapes` describes them)",
                s.get_ref(),
                names.join(", ")
            ),
        );
    }
    found
}

fn resolve_target(ctx: &mut Ctx<'_>, target: &Spanned<String>) -> Option<&'static FieldSpec> {
    let t = target.get_ref();
    if let Some(f) = crate::profile::target(t) {
        return Some(f);
    }
    let targets = || {
        FIELDS
            .iter()
            .chain([&crate::profile::PEOPLE])
            .map(|f| f.pointer)
    };
    let hint = match closest(t, targets()) {
        Some(c) => format!("did you mean `{c}`? (`orgprofile schema profile` shows every field)"),
        None => format!(
            "a target is one of the profile's JSON pointers: {}",
            targets().collect::<Vec<_>>().join(", ")
        ),
    };
    ctx.err(target.span(), format!("unknown target field `{t}`; {hint}"));
    None
}

const FORMAT_NAMES: &[&str] = &["docx", "xlsx", "xlsb", "xls", "ods", "markdown", "text"];

fn compile_formats(ctx: &mut Ctx<'_>, formats: &[Spanned<String>]) -> Vec<Format> {
    let mut out = Vec::new();
    for f in formats {
        let name = f.get_ref().to_ascii_lowercase();
        let found = [
            Format::Docx,
            Format::Xlsx,
            Format::Xlsb,
            Format::Xls,
            Format::Ods,
            Format::Markdown,
            Format::Text,
        ]
        .into_iter()
        .find(|x| x.name() == name || (name == "md" && *x == Format::Markdown));
        match found {
            Some(x) => out.push(x),
            None => ctx.err(
                f.span(),
                format!(
                    "unknown format `{}`; write one of: {}",
                    f.get_ref(),
                    FORMAT_NAMES.join(", ")
                ),
            ),
        }
    }
    out
}

fn compile_globs(ctx: &mut Ctx<'_>, globs: &[Spanned<String>]) -> Option<GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        match GlobBuilder::new(g.get_ref())
            .case_insensitive(true)
            .literal_separator(false)
            .build()
        {
            Ok(glob) => {
                b.add(glob);
            }
            Err(e) => ctx.err(
                g.span(),
                format!("bad file glob: {e}; write a glob such as `*supplier*` or `hr/*.xlsx`"),
            ),
        }
    }
    b.build().ok()
}

/// An optional regex key: `Some(None)` when absent, `None` when present but invalid (the error
/// is recorded).
fn compile_optional_regex(
    ctx: &mut Ctx<'_>,
    src: &Option<Spanned<String>>,
) -> Option<Option<Regex>> {
    match src {
        Some(p) => compile_regex(ctx, p.get_ref(), p.span()).map(Some),
        None => Some(None),
    }
}

/// Largest compiled regex (keyword lists grow large).
const REGEX_SIZE_LIMIT: usize = 8 * 1024 * 1024;

/// Builds a rule regex the one way every rule regex is built: case-insensitive, with the size
/// limit above.
pub(crate) fn build_regex(src: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(src)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A rule's regex, used as a `regex::Regex` (it derefs to one). A user's is built when the
/// rules are loaded, so that every error in it shows there; a shipped one is built the first
/// time a document needs it (`every_shipped_regex_builds` builds them all): building every one
/// at each start cost 1.2G instructions, a fifth of a 40-client batch.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    src: String,
    built: OnceLock<regex::Regex>,
}

impl Regex {
    /// The pattern as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.src
    }

    /// The names of its groups, in order (read from the syntax tree while not yet built).
    fn group_names(&self) -> Vec<String> {
        fn walk(h: &Hir, out: &mut Vec<String>) {
            match h.kind() {
                HirKind::Capture(c) => {
                    out.extend(c.name.as_deref().map(str::to_string));
                    walk(&c.sub, out);
                }
                HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().for_each(|h| walk(h, out)),
                HirKind::Repetition(r) => walk(&r.sub, out),
                _ => {}
            }
        }
        match self.built.get() {
            Some(re) => re.capture_names().flatten().map(str::to_string).collect(),
            None => {
                let mut out = Vec::new();
                if let Ok(h) = parse_regex(&self.src) {
                    walk(&h, &mut out);
                }
                out
            }
        }
    }
}

impl std::ops::Deref for Regex {
    type Target = regex::Regex;

    fn deref(&self) -> &regex::Regex {
        self.built.get_or_init(|| {
            // A shipped regex always builds (tested); were one not to, it matches nothing.
            build_regex(&self.src)
                .or_else(|_| build_regex(r"[^\s\S]"))
                .unwrap_or_else(|_| unreachable!("an empty class is a valid regex"))
        })
    }
}

/// The syntax tree of a rule regex, parsed as [`build_regex`] parses it.
pub(crate) fn parse_regex(src: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(src)
        .map_err(|e| e.to_string())
}

/// Every file's `[fragments]` by name, each written out in full (a fragment may use the ones
/// before it). A later layer's fragment replaces an earlier one of the same name; two files of
/// one layer may not define the same name.
fn collect_fragments(
    loaded: &[Loaded<'_>],
    errors: &mut Vec<RuleError>,
) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut defined_in: HashMap<(usize, &str), &str> = HashMap::new();
    for l in loaded {
        let mut ordered: Vec<(&String, &Spanned<String>)> = l.parsed.fragments.iter().collect();
        ordered.sort_by_key(|(_, v)| v.span().start);
        for (name, text) in ordered {
            let mut ctx = Ctx {
                file: &l.source.name,
                src: &l.source.text,
                errors: &mut *errors,
                rule: None,
                lazy: l.default,
                fragments: &out,
            };
            if let Some(first) = defined_in.insert((l.layer, name), &l.source.name) {
                ctx.err(
                    text.span(),
                    format!("the fragment `{name}` is also defined in {first}; keep one of them"),
                );
                continue;
            }
            // A fragment in error (reported) stands in empty, so that its users add no errors
            // of their own; the rules do not load while any error stands.
            let full = expand_in(&mut ctx, text.get_ref(), text.span(), Some(name));
            out.insert(name.clone(), full.unwrap_or_default());
        }
    }
    out
}

/// Longest regex a rule may build from fragments: a rule file cannot make the tool allocate
/// without bound by doubling a fragment in each of thirty others.
const MAX_EXPANDED: usize = 256 * 1024;

/// `src` with each `{{name}}` replaced by that fragment's text, or `None` (the error recorded)
/// when a name is not a known fragment or the text grows past [`MAX_EXPANDED`].
fn expand_fragments(ctx: &mut Ctx<'_>, src: &str, span: Range<usize>) -> Option<String> {
    expand_in(ctx, src, span, None)
}

/// [`expand_fragments`] for the fragment `fragment` itself: errors name it, not a rule.
fn expand_in(
    ctx: &mut Ctx<'_>,
    src: &str,
    span: Range<usize>,
    fragment: Option<&str>,
) -> Option<String> {
    let owner = match (fragment, ctx.rule) {
        (Some(f), _) => format!("fragment `{f}`: "),
        (None, Some(id)) => format!("rule `{id}`: "),
        (None, None) => String::new(),
    };
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(open) = rest.find("{{") {
        if out.len() > MAX_EXPANDED {
            ctx.err(
                span,
                format!(
                    "{owner}the fragments make this regex longer than {MAX_EXPANDED} bytes; use fewer or shorter fragments"
                ),
            );
            return None;
        }
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            return Some(out);
        };
        let name = after[..close].trim();
        match ctx.fragments.get(name) {
            Some(text) if out.len() + text.len() > MAX_EXPANDED => {
                ctx.err(
                    span,
                    format!(
                        "{owner}the fragments make this regex longer than {MAX_EXPANDED} bytes; use fewer or shorter fragments"
                    ),
                );
                return None;
            }
            Some(text) => out.push_str(text),
            None => {
                let rule = &owner;
                let hint = closest(name, ctx.fragments.keys().map(String::as_str))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                ctx.err(
                    span,
                    format!(
                        "{rule}the regex uses `{{{{{name}}}}}`, which is no fragment{hint}; define it under `[fragments]` (before it is used) or fix the name"
                    ),
                );
                return None;
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// A rule's regex: built now for a user's rules, so that a bad pattern is reported here,
/// naming the rule, with the regex crate's message; built on first use for the shipped ones
/// ([`Regex`]).
fn compile_regex(ctx: &mut Ctx<'_>, src: &str, span: Range<usize>) -> Option<Regex> {
    let expanded = expand_fragments(ctx, src, span.clone())?;
    let src = expanded.as_str();
    // A shipped regex is not even parsed here: every_shipped_regex_builds builds them all, and
    // the index parses them anyway; checking them at each start cost 200M instructions.
    let built = if ctx.lazy {
        Ok(OnceLock::new())
    } else {
        build_regex(src)
            .map(OnceLock::from)
            .map_err(|e| e.to_string())
    };
    match built {
        Ok(built) => Some(Regex {
            src: src.to_string(),
            built,
        }),
        Err(e) => {
            let rule = ctx
                .rule
                .map(|id| format!("rule `{id}`: "))
                .unwrap_or_default();
            ctx.err(
                span,
                format!(
                    "{rule}bad regex {src:?}: {e}; fix the expression (write regexes in single quotes, '...', so backslashes stay as written)"
                ),
            );
            None
        }
    }
}

fn group_names(re: &Regex) -> Vec<String> {
    re.group_names()
}

fn compile_template(ctx: &mut Ctx<'_>, src: &str, span: Range<usize>) -> Option<Template> {
    match Template::parse(src) {
        Ok(t) => Some(t),
        Err(m) => {
            ctx.err(span, m);
            None
        }
    }
}

/// Compiles a value: a template string, or a switch table `{ from, cases, default }`.
fn compile_value(ctx: &mut Ctx<'_>, v: &toml::Value, span: Range<usize>) -> Option<ValueT> {
    match v {
        toml::Value::String(s) => compile_template(ctx, s, span).map(ValueT::Template),
        toml::Value::Table(t) => {
            let mut ok = true;
            for k in t.keys() {
                if !["from", "cases", "default"].contains(&k.as_str()) {
                    ctx.err(
                        span.clone(),
                        format!("unknown key `{k}` in a switch; a switch has `from`, `cases` and `default`"),
                    );
                    ok = false;
                }
            }
            let from = match t.get("from") {
                Some(toml::Value::String(s)) => compile_template(ctx, s, span.clone()),
                _ => {
                    ctx.err(
                        span.clone(),
                        "a switch needs `from = \"{column}\"`, the text its cases test",
                    );
                    None
                }
            };
            let mut cases = Vec::new();
            match t.get("cases") {
                Some(toml::Value::Array(items)) => {
                    for item in items {
                        let (Some(toml::Value::String(when)), Some(toml::Value::String(value))) =
                            (item.get("when"), item.get("value"))
                        else {
                            ctx.err(
                                span.clone(),
                                "each switch case is `{ when = 'regex', value = \"text\" }`",
                            );
                            ok = false;
                            continue;
                        };
                        let re = compile_regex(ctx, when, span.clone());
                        let t = compile_template(ctx, value, span.clone());
                        if let (Some(re), Some(t)) = (re, t) {
                            cases.push((re, t));
                        } else {
                            ok = false;
                        }
                    }
                }
                _ => {
                    ctx.err(
                        span.clone(),
                        "a switch needs `cases = [{ when = 'regex', value = \"text\" }, ...]`",
                    );
                    ok = false;
                }
            }
            let default = match t.get("default") {
                None => None,
                Some(toml::Value::String(s)) => {
                    let d = compile_template(ctx, s, span.clone());
                    ok &= d.is_some();
                    d
                }
                Some(_) => {
                    ctx.err(span.clone(), "a switch's `default` is a string");
                    ok = false;
                    None
                }
            };
            if !ok {
                return None;
            }
            Some(ValueT::Switch {
                from: from?,
                cases,
                default,
            })
        }
        _ => {
            ctx.err(
                span,
                "a value is a template string such as \"{name}, {title}\", or a switch `{ from = \"{type}\", cases = [...], default = \"...\" }`",
            );
            None
        }
    }
}

type RawRecord = Spanned<BTreeMap<String, Spanned<toml::Value>>>;

/// Compiles `value` / `record` against the target's shape, and checks every name they use.
#[allow(clippy::too_many_arguments)]
fn compile_output(
    ctx: &mut Ctx<'_>,
    target: &'static FieldSpec,
    target_span: Range<usize>,
    value: &Option<Spanned<toml::Value>>,
    record: &Option<RawRecord>,
    default_value: Option<&str>,
    known: &[String],
    what_names: &str,
) -> Option<Output> {
    let out = match (target.kind, value, record) {
        (_, Some(v), Some(_)) => {
            ctx.err(v.span(), "give either `value` or `record`, not both");
            return None;
        }
        (FieldKind::RecordList(keys), Some(v), None) => {
            ctx.err(
                v.span(),
                format!(
                    "target `{}` is a list of records; write `record = {{ {} }}` instead of `value`",
                    target.pointer,
                    keys.iter()
                        .map(|k| format!("{} = \"...\"", k.trim_end_matches("[]")))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        }
        (FieldKind::RecordList(keys), None, None) => {
            ctx.err(
                target_span,
                format!(
                    "target `{}` is a list of records; add `record = {{ {} }}`",
                    target.pointer,
                    keys.iter()
                        .map(|k| format!("{} = \"...\"", k.trim_end_matches("[]")))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        }
        (FieldKind::RecordList(keys), None, Some(rec)) => {
            let mut fields = Vec::new();
            let mut ok = true;
            for (k, v) in rec.get_ref() {
                let Some(spec_key) = keys.iter().find(|s| s.trim_end_matches("[]") == k) else {
                    let hint = closest(k, keys.iter().map(|s| s.trim_end_matches("[]")))
                        .map(|c| format!("did you mean `{c}`? "))
                        .unwrap_or_default();
                    ctx.err(
                        v.span(),
                        format!(
                            "`{}` records have no key `{k}`; {hint}write one of: {}",
                            target.pointer,
                            keys.iter()
                                .map(|s| s.trim_end_matches("[]"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    ok = false;
                    continue;
                };
                let is_list = spec_key.ends_with("[]");
                let f = match v.get_ref() {
                    toml::Value::Array(items) if is_list => {
                        let mut vs = Vec::new();
                        for item in items {
                            match compile_value(ctx, item, v.span()) {
                                Some(x) => vs.push(x),
                                None => ok = false,
                            }
                        }
                        FieldT::List(vs)
                    }
                    toml::Value::Array(_) => {
                        ctx.err(
                            v.span(),
                            format!("`{k}` holds one value; write a single template, not a list"),
                        );
                        ok = false;
                        continue;
                    }
                    other => match compile_value(ctx, other, v.span()) {
                        Some(x) => FieldT::One(x),
                        None => {
                            ok = false;
                            continue;
                        }
                    },
                };
                fields.push((k.clone(), is_list, f));
            }
            if !ok {
                return None;
            }
            // Keep the field's key order.
            fields.sort_by_key(|(k, _, _)| {
                keys.iter()
                    .position(|s| s.trim_end_matches("[]") == k)
                    .unwrap_or(usize::MAX)
            });
            Output::Record(fields)
        }
        (_, None, Some(rec)) => {
            ctx.err(
                rec.span(),
                format!(
                    "target `{}` takes a single text, not a record; write `value = \"...\"` instead of `record`",
                    target.pointer
                ),
            );
            return None;
        }
        (_, Some(v), None) => Output::Value(compile_value(ctx, v.get_ref(), v.span())?),
        (_, None, None) => match default_value {
            Some(d) => Output::Value(ValueT::Template(Template::parse(d).ok()?)),
            None => {
                ctx.err(
                    target_span,
                    format!("add `value = \"...\"`, a template over {what_names}"),
                );
                return None;
            }
        },
    };
    // Every name must be provided.
    let span = match (value, record) {
        (Some(v), _) => v.span(),
        (_, Some(r)) => r.span(),
        _ => 0..0,
    };
    let mut ok = true;
    for name in out.names() {
        if !known.iter().any(|k| k == name) {
            let hint = closest(name, known.iter().map(String::as_str))
                .map(|c| format!("did you mean `{{{c}}}`? "))
                .unwrap_or_default();
            let instead = if known.is_empty() {
                "this rule provides no names yet; add its columns, e.g. `columns = { name = [\"Name\"] }`".to_string()
            } else {
                format!(
                    "{hint}write one of: {}",
                    known
                        .iter()
                        .map(|k| format!("{{{k}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            ctx.err(
                span.clone(),
                format!("template name `{{{name}}}` is not provided by {what_names}; {instead}"),
            );
            ok = false;
        }
    }
    // A constant for an enumerated field must be one of its values.
    if let (FieldKind::Choice(choices), Output::Value(ValueT::Template(t))) = (target.kind, &out) {
        if let Some(c) = t.constant() {
            if !choices.contains(&c.as_str()) {
                ctx.err(
                    span,
                    format!(
                        "`{c}` is not a value of `{}`; write one of: {}",
                        target.pointer,
                        choices.join(", ")
                    ),
                );
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn compile_table(
    ctx: &mut Ctx<'_>,
    r: &RawTable,
    target: &'static FieldSpec,
    sets: &BTreeMap<String, Vec<(String, Vec<String>)>>,
) -> Option<TableRule> {
    let mut ok = true;
    let mut columns: Vec<Column> = Vec::new();
    let add = |columns: &mut Vec<Column>, key: &str, syns: &[String]| {
        let folded: Vec<(String, String)> = syns
            .iter()
            .cloned()
            .chain(std::iter::once(key.replace('_', " ")))
            .map(|s| (fold(&s), s))
            .filter(|(f, _)| !f.is_empty())
            .collect();
        match columns.iter_mut().find(|c| c.key == key) {
            Some(c) => {
                for s in folded {
                    if !c.synonyms.iter().any(|(f, _)| *f == s.0) {
                        c.synonyms.push(s);
                    }
                }
            }
            None => columns.push(Column {
                key: key.to_string(),
                key_folded: fold(&key.replace('_', " ")),
                synonyms: folded,
            }),
        }
    };
    if let Some(set) = &r.column_set {
        match sets.get(set.get_ref()) {
            Some(cols) => {
                for (k, syns) in cols {
                    add(&mut columns, k, syns);
                }
            }
            None => {
                let hint = closest(set.get_ref(), sets.keys().map(String::as_str))
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                let known = if sets.is_empty() {
                    "no column sets are defined".to_string()
                } else {
                    format!(
                        "the sets are: {}",
                        sets.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                };
                ctx.err(
                    set.span(),
                    format!(
                        "no column set named `{}`; {hint}define it as `[columns.{}]` ({known})",
                        set.get_ref(),
                        set.get_ref(),
                    ),
                );
                ok = false;
            }
        }
    }
    for (k, syns) in &r.columns {
        add(&mut columns, k, syns);
    }
    let column_keys: Vec<String> = columns.iter().map(|c| c.key.clone()).collect();
    // One header may mean one column only (sets are checked where they are defined).
    let mut owner_of: HashMap<&str, (&str, &str)> = HashMap::new();
    for c in columns.iter().filter(|_| !r.columns.is_empty()) {
        for (f, shown) in &c.synonyms {
            match owner_of.get(f.as_str()) {
                Some((other, _)) if *other != c.key => {
                    let span = r
                        .column_set
                        .as_ref()
                        .map(Spanned::span)
                        .unwrap_or(r.id.span());
                    ctx.err(
                        span,
                        format!(
                            "the header {shown:?} is a synonym of both column `{other}` and column `{}`; keep it in one of them",
                            c.key
                        ),
                    );
                    ok = false;
                }
                Some(_) => {}
                None => {
                    owner_of.insert(f, (&c.key, shown));
                }
            }
        }
    }

    let mut combine = Vec::new();
    for (k, t) in &r.combine {
        let Some(tmpl) = compile_template(ctx, t.get_ref(), t.span()) else {
            ok = false;
            continue;
        };
        for n in tmpl.names() {
            if !column_keys.iter().any(|c| c == n) {
                ctx.err(
                    t.span(),
                    format!(
                        "combine `{k}`: `{{{n}}}` is not a column of this rule; write one of: {}",
                        column_keys.join(", ")
                    ),
                );
                ok = false;
            }
        }
        combine.push((k.clone(), tmpl));
    }

    let mut groups: Vec<String> = Vec::new();
    let mut filters = Vec::new();
    let mut unless = Vec::new();
    let check_col = |ctx: &mut Ctx<'_>, col: &str, span: Range<usize>, what: &str| -> bool {
        if column_keys.iter().any(|c| c == col) || r.combine.contains_key(col) {
            return true;
        }
        let hint = closest(col, column_keys.iter().map(String::as_str))
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        ctx.err(
            span,
            format!(
                "{what}: `{col}` is not a column of this rule; {hint}write one of: {}",
                column_keys.join(", ")
            ),
        );
        false
    };
    for (col, re) in &r.filter {
        ok &= check_col(ctx, col, re.span(), "where");
        if let Some(rx) = compile_regex(ctx, re.get_ref(), re.span()) {
            groups.extend(group_names(&rx));
            filters.push((col.clone(), rx));
        } else {
            ok = false;
        }
    }
    for (col, re) in &r.unless {
        ok &= check_col(ctx, col, re.span(), "unless");
        match compile_regex(ctx, re.get_ref(), re.span()) {
            Some(rx) => unless.push((col.clone(), rx)),
            None => ok = false,
        }
    }
    for c in r
        .require
        .iter()
        .chain(&r.optional)
        .chain(&r.require_any)
        .chain(&r.forbid)
    {
        ok &= check_col(
            ctx,
            c.get_ref(),
            c.span(),
            "require/require_any/forbid/optional",
        );
    }

    let mut known: Vec<String> = column_keys.clone();
    known.extend(r.combine.keys().cloned());
    known.extend(groups.iter().cloned());
    if r.aggregate == Aggregate::Count {
        known.push("count".into());
    }
    if r.matrix.is_some() {
        known.push("column".into());
    }
    let output = compile_output(
        ctx,
        target,
        r.target.span(),
        &r.value,
        &r.record,
        None,
        &known,
        "this rule's columns, combine or where groups",
    );
    let output = output?;
    if r.aggregate == Aggregate::Count {
        let names = output.names();
        if !names.contains(&"count") || names.iter().any(|n| *n != "count") {
            let span = r
                .value
                .as_ref()
                .map(Spanned::span)
                .unwrap_or(r.target.span());
            ctx.err(
                span,
                "a count rule's value uses `{count}` and nothing else from the rows; write `value = \"{count} employees\"` or `value = \"{count}\"`",
            );
            ok = false;
        }
    }
    if r.aggregate == Aggregate::Count
        && target.kind != FieldKind::TextOrCount
        && target.kind != FieldKind::Text
    {
        ctx.err(
            r.target.span(),
            format!("`aggregate = \"count\"` gives one number; target a text or count field such as `/organization/size`, not `{}`", target.pointer),
        );
        ok = false;
    }

    let optional: Vec<String> = r.optional.iter().map(|s| s.get_ref().clone()).collect();
    let mut needed: Vec<String> = Vec::new();
    let mut need = |n: &str| {
        if !groups.iter().any(|g| g == n)
            && n != "count"
            && (n != "column" || r.matrix.is_none())
            && !optional.iter().any(|o| o == n)
            && !needed.iter().any(|x| x == n)
        {
            needed.push(n.to_string());
        }
    };
    for n in output.names() {
        need(n);
    }
    for c in r.filter.keys() {
        need(c);
    }
    for c in &r.require {
        need(c.get_ref());
    }
    if needed.is_empty() {
        ctx.err(
            r.id.span(),
            "this rule names no column a table must have, so every table would qualify; add `require = [\"name\"]` with the columns that identify the table",
        );
        ok = false;
    }
    ok.then_some(TableRule {
        columns,
        combine,
        needed,
        needed_any: r.require_any.iter().map(|s| s.get_ref().clone()).collect(),
        forbid: r.forbid.iter().map(|s| s.get_ref().clone()).collect(),
        optional,
        filters,
        unless,
        aggregate: r.aggregate,
        matrix: compile_optional_regex(ctx, &r.matrix)?,
        output,
    })
}

fn fold_list(
    ctx: &mut Ctx<'_>,
    list: &Spanned<Vec<String>>,
    what: &str,
) -> Option<Vec<(String, String)>> {
    let folded: Vec<(String, String)> = list
        .get_ref()
        .iter()
        .map(|s| (fold(s), s.clone()))
        .filter(|(f, _)| !f.is_empty())
        .collect();
    if folded.is_empty() {
        ctx.err(
            list.span(),
            format!("`{what}` is empty; list at least one, e.g. `{what} = [\"Legal name\"]`"),
        );
        return None;
    }
    Some(folded)
}

fn compile_label(ctx: &mut Ctx<'_>, r: &RawLabel, target: &'static FieldSpec) -> Option<LabelRule> {
    let labels = fold_list(ctx, &r.labels, "labels");
    let pattern = compile_optional_regex(ctx, &r.pattern)?;
    let split = compile_optional_regex(ctx, &r.split)?;
    let unless = compile_optional_regex(ctx, &r.unless)?;
    let mut known = vec!["value".to_string(), "label".to_string()];
    if let Some(p) = &pattern {
        known.extend(group_names(p));
    }
    let output = compile_output(
        ctx,
        target,
        r.target.span(),
        &r.value,
        &r.record,
        Some("{value}"),
        &known,
        "a label rule ({value}, {label} and the pattern's groups)",
    )?;
    Some(LabelRule {
        labels: labels?,
        pattern,
        split,
        unless,
        output,
    })
}

fn compile_section(
    ctx: &mut Ctx<'_>,
    r: &RawSection,
    target: &'static FieldSpec,
) -> Option<SectionRule> {
    let headings = r
        .headings
        .get_ref()
        .iter()
        .map(|h| (super::fold::fold_heading(h), h.clone()))
        .filter(|(h, _)| !h.is_empty())
        .collect::<Vec<_>>();
    if headings.is_empty() {
        ctx.err(
            r.headings.span(),
            "`headings` is empty; list at least one, e.g. `headings = [\"Scope\"]`",
        );
        return None;
    }
    let pattern = compile_optional_regex(ctx, &r.pattern)?;
    let mut known = vec![
        "text".to_string(),
        "heading".to_string(),
        "lines".to_string(),
    ];
    if let Some(p) = &pattern {
        known.extend(group_names(p));
    }
    let output = compile_output(
        ctx,
        target,
        r.target.span(),
        &r.value,
        &r.record,
        Some("{text}"),
        &known,
        "a section rule ({text}, {lines}, {heading} and the pattern's groups)",
    )?;
    let mut lead_ins = Vec::new();
    for l in &r.lead_ins {
        lead_ins.push(compile_regex(ctx, l.get_ref(), l.span())?);
    }
    let split = match compile_split(
        ctx,
        target,
        &r.split,
        &r.split_group,
        false,
        &r.record,
        &known,
    )? {
        (Some(re), Some(group)) => Some((re, group)),
        _ => None,
    };
    Some(SectionRule {
        headings,
        lead_ins,
        take: r.take,
        pattern,
        split,
        unless: compile_optional_regex(ctx, &r.unless)?,
        output,
    })
}

/// One alternation of whole-word keywords, longest first, case-insensitive; a keyword written
/// with a leading `=` is matched in its exact case.
fn keyword_regex(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let alts: Vec<String> = sorted
        .iter()
        .map(|w| {
            let w = w.trim();
            let (exact, w) = match w.strip_prefix('=') {
                Some(rest) => (true, rest.trim()),
                None => (false, w),
            };
            let mut body = w
                .split_whitespace()
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\s+");
            if exact {
                body = format!("(?-i:{body})");
            }
            let start = if w.chars().next().is_some_and(char::is_alphanumeric) {
                r"\b"
            } else {
                ""
            };
            let end = if w.chars().last().is_some_and(char::is_alphanumeric) {
                r"\b"
            } else {
                ""
            };
            format!("{start}{body}{end}")
        })
        .collect();
    format!("(?:{})", alts.join("|"))
}

/// A kind of block a pattern rule may be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockSort {
    Heading,
    Paragraph,
    ListItem,
    Cell,
}

fn compile_blocks(ctx: &mut Ctx<'_>, blocks: &[Spanned<String>]) -> Vec<BlockSort> {
    let mut out = Vec::new();
    for b in blocks {
        match b.get_ref().as_str() {
            "heading" => out.push(BlockSort::Heading),
            "paragraph" => out.push(BlockSort::Paragraph),
            "list_item" => out.push(BlockSort::ListItem),
            "cell" => out.push(BlockSort::Cell),
            other => ctx.err(
                b.span(),
                format!("unknown block kind `{other}`; write `heading`, `paragraph`, `list_item` or `cell`"),
            ),
        }
    }
    out
}

fn compile_pattern(
    ctx: &mut Ctx<'_>,
    r: &RawPattern,
    target: &'static FieldSpec,
) -> Option<PatternRule> {
    let (regex, keywords, mut known) = match (&r.regex, &r.keywords) {
        (Some(re), None) => {
            let rx = compile_regex(ctx, re.get_ref(), re.span())?;
            let mut known = group_names(&rx);
            known.push("match".into());
            known.push("writer".into());
            (rx, None, known)
        }
        (None, Some(words)) => {
            let list: Vec<String> = words
                .get_ref()
                .iter()
                .filter(|w| !w.trim().is_empty())
                .cloned()
                .collect();
            if list.is_empty() {
                ctx.err(
                    words.span(),
                    "`keywords` is empty; list the words or product names to find",
                );
                return None;
            }
            let pairs: Vec<(String, String)> = list
                .iter()
                .map(|w| match w.split_once("=>") {
                    Some((find, give)) => (find.trim().to_string(), give.trim().to_string()),
                    // "=Box": found in its exact case, given as written.
                    None => (
                        w.trim().to_string(),
                        w.trim().trim_start_matches('=').to_string(),
                    ),
                })
                .collect();
            if let Some((f, g)) = pairs.iter().find(|(f, g)| f.is_empty() || g.is_empty()) {
                ctx.err(words.span(), format!("keyword `{f} => {g}` has an empty side; write `\"Office 365 => Microsoft 365\"`"));
                return None;
            }
            let finds: Vec<String> = pairs.iter().map(|(f, _)| f.clone()).collect();
            let rx = compile_regex(ctx, &keyword_regex(&finds), words.span())?;
            let map = pairs
                .into_iter()
                .map(|(f, g)| {
                    let spelling = f.trim_start_matches('=').trim().to_string();
                    (fold(&spelling), (g, spelling))
                })
                .collect();
            (
                rx,
                Some(map),
                vec![
                    "keyword".to_string(),
                    "spelling".to_string(),
                    "match".to_string(),
                ],
            )
        }
        (Some(re), Some(_)) => {
            ctx.err(re.span(), "give either `regex` or `keywords`, not both");
            return None;
        }
        (None, None) => {
            ctx.err(
                r.id.span(),
                "a pattern rule needs `regex = '(?P<name>...)'` or `keywords = [\"...\"]`",
            );
            return None;
        }
    };
    known.dedup();
    let default = if keywords.is_some() {
        "{keyword}"
    } else {
        "{match}"
    };
    let output = compile_output(
        ctx,
        target,
        r.target.span(),
        &r.value,
        &r.record,
        Some(default),
        &known,
        "the regex's named groups ({match} is the whole match, {writer} who the document's \"I\" is)",
    )?;
    let (split, split_group) = compile_split(
        ctx,
        target,
        &r.split,
        &r.split_group,
        true,
        &r.record,
        &known,
    )?;
    let within = compile_optional_regex(ctx, &r.within)?;
    let short_form = match r.short_form.as_slice() {
        [] => None,
        [short, name] => {
            let unknown = [short, name]
                .into_iter()
                .find(|g| !known.contains(g.get_ref()));
            if let Some(g) = unknown {
                ctx.err(
                    g.span(),
                    format!(
                        "`short_form` names `{}`, no group of the regex; write two of: {}",
                        g.get_ref(),
                        known.join(", ")
                    ),
                );
                return None;
            }
            Some((short.get_ref().clone(), name.get_ref().clone()))
        }
        [first, ..] => {
            ctx.err(
                first.span(),
                "`short_form` takes two groups, the short form and the name: `[\"short\", \"name\"]`",
            );
            return None;
        }
    };
    Some(PatternRule {
        regex,
        keywords,
        cells: r.cells,
        blocks: compile_blocks(ctx, &r.blocks),
        within,
        short_form,
        split,
        split_group,
        output,
    })
}

/// A rule's `split` and `split_group`: the splitting regex, and the group of the rule's own
/// regex it splits for a list of records or of text (`whole_value`: a pattern rule may instead split its
/// `value` for a list of text, with no group).
fn compile_split(
    ctx: &mut Ctx<'_>,
    target: &'static FieldSpec,
    split: &Option<Spanned<String>>,
    split_group: &Option<Spanned<String>>,
    whole_value: bool,
    record: &Option<Spanned<BTreeMap<String, Spanned<toml::Value>>>>,
    known: &[String],
) -> Option<(Option<Regex>, Option<String>)> {
    let group = match split_group {
        Some(g) if !known.contains(g.get_ref()) => {
            ctx.err(
                g.span(),
                format!(
                    "`split_group = \"{}\"` names no group of the regex; write one of: {}",
                    g.get_ref(),
                    known.join(", ")
                ),
            );
            return None;
        }
        Some(g) => Some(g.get_ref().clone()),
        None => None,
    };
    let Some(p) = split else {
        if let Some(g) = split_group {
            ctx.err(
                g.span(),
                "`split_group` names the group that `split` splits, and there is no `split`; add `split = '\\s*(?:,|\\band\\b)\\s*'` or remove `split_group`",
            );
            return None;
        }
        return Some((None, group));
    };
    let text_list = whole_value && target.kind == FieldKind::TextList && record.is_none();
    // One record, or one item of a list of text, per part of the group.
    let parts = group.is_some()
        && (target.kind == FieldKind::TextList || (target.kind.is_list() && record.is_some()));
    if !(text_list || parts) {
        let what = if whole_value {
            "on a `value` for a list-of-text field, or "
        } else {
            ""
        };
        ctx.err(
            p.span(),
            format!("`split` works {what}with `split_group = \"NAME\"` (the named group to split) on a list field; add one or remove `split`"),
        );
        return None;
    }
    Some((Some(compile_regex(ctx, p.get_ref(), p.span())?), group))
}

fn compile_classify(
    ctx: &mut Ctx<'_>,
    r: &RawClassify,
    target: &'static FieldSpec,
) -> Option<ClassifyRule> {
    let mut ok = true;
    let FieldKind::Choice(choices) = target.kind else {
        ctx.err(
            r.target.span(),
            format!(
                "a classify rule targets an enumerated field such as `/service_provider_type/classification`; `{}` is not one",
                target.pointer
            ),
        );
        return None;
    };
    let rationale = match &r.rationale {
        Some(p) => match resolve_target(ctx, p) {
            Some(f) if f.kind == FieldKind::Text => Some(f),
            Some(f) => {
                ctx.err(p.span(), format!("the rationale goes into a text field such as `/service_provider_type/rationale`; `{}` is not one", f.pointer));
                ok = false;
                None
            }
            None => {
                ok = false;
                None
            }
        },
        None => None,
    };
    let unless = match &r.unless {
        Some(u) => {
            let rx = compile_regex(ctx, u.get_ref(), u.span());
            ok &= rx.is_some();
            rx
        }
        None => None,
    };
    let mut evidence = Vec::new();
    for (class, patterns) in r.evidence.get_ref() {
        let mut res = Vec::new();
        for p in patterns {
            match compile_regex(ctx, p, r.evidence.span()) {
                Some(rx) => res.push(rx),
                None => ok = false,
            }
        }
        evidence.push((class.clone(), res));
    }
    if evidence.is_empty() {
        ctx.err(
            r.evidence.span(),
            "`evidence` is empty; add classes such as `internal = ['internal customers']`",
        );
        ok = false;
    }
    let mut outcomes = Vec::new();
    for o in &r.outcome {
        for w in o.when.get_ref() {
            if !r.evidence.get_ref().contains_key(w) {
                ctx.err(
                    o.when.span(),
                    format!(
                        "`{w}` is not an evidence class of this rule; write one of: {}",
                        r.evidence
                            .get_ref()
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                ok = false;
            }
        }
        if !choices.contains(&o.value.get_ref().as_str()) {
            ctx.err(
                o.value.span(),
                format!(
                    "`{}` is not a value of `{}`; write one of: {}",
                    o.value.get_ref(),
                    target.pointer,
                    choices.join(", ")
                ),
            );
            ok = false;
        }
        outcomes.push((o.when.get_ref().clone(), o.value.get_ref().clone()));
    }
    if r.outcome.is_empty() {
        ctx.err(
            r.id.span(),
            "add at least one `[[classify.outcome]]` with `when = [...]` and `value = \"...\"`",
        );
        ok = false;
    }
    ok.then_some(ClassifyRule {
        evidence,
        unless,
        outcomes,
        rationale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_and_character_columns() {
        let src = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 10), (2, 4), "é is one column");
        assert_eq!(line_col(src, 999), (3, 1));
    }

    #[test]
    fn every_shipped_regex_builds() {
        // Read as a user's files, every regex (the catalog's too) is built at load.
        if let Err(e) = Rules::check_defaults() {
            panic!("{e}");
        }
    }

    #[test]
    fn keyword_lists_become_whole_word_alternations_longest_first() {
        let words = [
            "AWS".to_string(),
            "AWS Lambda".to_string(),
            "S.A.".to_string(),
        ];
        let re = regex::Regex::new(&format!("(?i){}", keyword_regex(&words))).unwrap();
        assert_eq!(
            re.find("we run AWS  Lambda").map(|m| m.as_str()),
            Some("AWS  Lambda")
        );
        assert!(re.find("laws").is_none());
        assert_eq!(re.find("Acme S.A.").map(|m| m.as_str()), Some("S.A."));
    }

    #[test]
    fn a_bad_regex_in_a_user_file_is_reported_at_load_with_the_regex_crates_message() {
        let text =
            "[[pattern]]\nid = \"p\"\ntarget = \"/organization/industry\"\nregex = '(?P<x>\\w+'\n";
        let e = Rules::from_toml("mine.toml", text).unwrap_err();
        let bad = String::from("(?P<x>\\w+");
        let want = regex::Regex::new(&bad).unwrap_err().to_string();
        assert_eq!(e.errors.len(), 1);
        assert_eq!((e.errors[0].line, e.errors[0].column), (4, 9));
        assert!(
            e.errors[0].message.starts_with("rule `p`: bad regex")
                && e.errors[0].message.contains(&one_line(&want)),
            "{}",
            e.errors[0].message
        );
    }

    #[test]
    fn a_regex_too_big_to_build_is_a_rule_error_naming_the_rule() {
        let text = "[[label]]\nid = \"big\"\ntarget = \"/organization/industry\"\nlabels = [\"Industry\"]\npattern = '\\w{1000}\\w{1000}'\n";
        let e = Rules::from_toml("mine.toml", text).unwrap_err();
        assert_eq!(e.errors.len(), 1, "{e}");
        let shown = e.errors[0].to_string();
        assert!(
            shown.starts_with("mine.toml:5:11: rule `big`: bad regex")
                && shown.contains("size limit"),
            "{shown}"
        );
    }

    #[test]
    fn serde_unknown_field_messages_get_a_suggestion() {
        assert_eq!(
            unknown_field_hint("unknown field `lables`, expected one of `id`, `labels`"),
            Some(" (did you mean `labels`?)".to_string())
        );
        assert_eq!(unknown_field_hint("invalid type: integer"), None);
    }

    #[test]
    fn a_rule_error_without_a_position_names_the_file_only() {
        let e = RuleError {
            file: "dir".into(),
            line: 0,
            column: 0,
            message: "cannot read".into(),
        };
        assert_eq!(e.to_string(), "dir: cannot read");
    }
}
