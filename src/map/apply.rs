//! Applying compiled rules to one document: a [`Document`] and [`Rules`] in, [`Mapped`]
//! (candidates with provenance, and near-miss hints) out.
//!
//! Pure code: it never touches the filesystem, never prints, and never panics on what a
//! document holds. Text from highlighted runs (unfilled Word template text) and placeholder
//! text (`TBD`, `[Organization Name]`, ...) never becomes a value. Output is bounded: at most
//! [`MAX_CANDIDATES_PER_RULE`] candidates per rule and [`MAX_HINTS`] hints per document.

use super::compile::{
    Body, ClassifyRule, FieldT, LabelRule, Output, PatternRule, Rule, Rules, SectionRule, TableRule,
};
use super::fold::{fold, fold_heading, is_placeholder, near_miss_score, MAX_FOLD_CHARS};
use super::raw::{Aggregate, Take};
use super::{Candidate, MatchKind};
use crate::document::{Block, BlockKind, Cell, Document, Locator, Region};
use crate::profile::{FieldKind, FieldSpec};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::fmt;

/// Most candidates one rule yields from one document.
pub const MAX_CANDIDATES_PER_RULE: usize = 5_000;
/// Most hints reported for one document.
pub const MAX_HINTS: usize = 200;
/// Rows at the top of a table searched for its header row (a title block may sit above it).
pub const HEADER_SCAN_ROWS: usize = 20;
/// Longest text a section rule's `take = "text"` joins, in characters.
pub const MAX_SECTION_TEXT: usize = 4_000;

/// What a near miss was seen as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HintKind {
    /// A table header cell.
    Header,
    /// The label of a `Label: value` line.
    Label,
    /// A heading.
    Heading,
}

impl HintKind {
    fn name(self) -> &'static str {
        match self {
            HintKind::Header => "header",
            HintKind::Label => "label",
            HintKind::Heading => "heading",
        }
    }
}

/// A header, label or heading that almost matched a rule's synonym but did not: a user who
/// means the same adds it to the synonyms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hint {
    /// The document's path.
    pub file: String,
    /// Where the text is.
    pub locator: String,
    /// Header, label or heading.
    pub kind: HintKind,
    /// The text as the document has it ("Job Titel").
    pub seen: String,
    /// The closest synonym of a rule ("Job Title").
    pub closest: String,
    /// The rule (and for a table rule, `rule id / column`) the synonym belongs to.
    pub rule: String,
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}]: {} {:?} is close to {:?} of rule {} but does not match; if it means the same, add it as a synonym",
            self.file,
            self.locator,
            self.kind.name(),
            self.seen,
            self.closest,
            self.rule
        )
    }
}

/// What mapping one document gives.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Mapped {
    /// Candidates, in rule order (fallback rules last), then document order.
    pub candidates: Vec<Candidate>,
    /// Near misses.
    pub hints: Vec<Hint>,
}

/// Maps one document with the rules: every candidate value each rule finds, and the near
/// misses worth telling a user about.
pub fn map_document(doc: &Document, rules: &Rules) -> Mapped {
    let prep = Prepared::new(doc, &rules.all_labels);
    let mut candidates: Vec<Candidate> = Vec::new();
    // Fallback rules run last, the higher priority first, and only for fields no regular rule
    // found in this document; for a single-valued field, not after another fallback found it.
    let mut order: Vec<&Rule> = rules.rules.iter().filter(|r| !r.fallback).collect();
    let regular = order.len();
    let mut fallbacks: Vec<&Rule> = rules.rules.iter().filter(|r| r.fallback).collect();
    fallbacks.sort_by_key(|r| std::cmp::Reverse(r.priority));
    order.extend(fallbacks);
    let mut found: HashSet<String> = HashSet::new();
    for (i, rule) in order.into_iter().enumerate() {
        if i == regular {
            found = candidates.iter().map(|c| c.field.clone()).collect();
        }
        if !applies(rule, doc) {
            continue;
        }
        if rule.fallback {
            let field = rule.target.pointer;
            let scalar_taken =
                !rule.target.kind.is_list() && candidates.iter().any(|c| c.field == field);
            if found.contains(field) || scalar_taken {
                continue;
            }
        }
        let mut em = Emitter {
            rule,
            all_labels: &rules.all_labels,
            doc,
            prep: &prep,
            out: &mut candidates,
            seen: HashSet::new(),
            count: 0,
        };
        match &rule.body {
            Body::Table(t) => apply_table(&mut em, t),
            Body::Label(l) => apply_label(&mut em, l),
            Body::Section(s) => apply_section(&mut em, s),
            Body::Pattern(p) => apply_pattern(&mut em, p),
            Body::Classify(c) => apply_classify(&mut em, c),
        }
    }
    Mapped {
        candidates,
        hints: hints(doc, rules, &prep),
    }
}

/// Folded text computed once per document and shared by every rule.
struct Prepared<'d> {
    /// Per block (same index as the document's blocks): for a table, the folded cells of its
    /// first [`HEADER_SCAN_ROWS`] rows (empty for text too long to be a header).
    header_folds: Vec<Vec<Vec<String>>>,
    /// `Label: value` lines and label cells of table rows.
    labels: Vec<LabelSpot<'d>>,
    /// Which blocks and cells are usable, judged once per document for every rule.
    usable: Usable,
}

/// Per block, whether its text is usable ([`usable`]), and per table cell the same; judged once
/// per document so that each rule does not check every cell for placeholders again.
struct Usable {
    /// Per block (same index as the document's blocks): its own text is usable.
    blocks: Vec<bool>,
    /// Per block: for a table, where each row's flags start in `cells`.
    rows: Vec<Vec<usize>>,
    /// Per cell of every table, row by row: the cell's text is usable.
    cells: Vec<bool>,
}

impl Usable {
    fn new(doc: &Document) -> Usable {
        let mut blocks = Vec::with_capacity(doc.blocks.len());
        let mut rows = Vec::with_capacity(doc.blocks.len());
        let mut cells = Vec::new();
        for block in &doc.blocks {
            blocks.push(!block.highlighted && !is_placeholder(&block.text));
            let mut starts = Vec::new();
            if let BlockKind::Table(table) = &block.kind {
                starts.reserve(table.rows.len());
                for row in &table.rows {
                    starts.push(cells.len());
                    cells.extend(
                        row.iter()
                            .map(|c| !c.highlighted && !is_placeholder(&c.text)),
                    );
                }
            }
            rows.push(starts);
        }
        Usable {
            blocks,
            rows,
            cells,
        }
    }

    /// The usable text of block `bi` (`block` is that block): as [`usable`].
    fn block<'b>(&self, bi: usize, block: &'b Block) -> &'b str {
        if self.blocks.get(bi).copied().unwrap_or(false) {
            block.text.trim()
        } else {
            ""
        }
    }

    /// The usable text of cell `ci` of row `ri` of the table in block `bi`: as [`usable`].
    fn cell<'c>(&self, bi: usize, ri: usize, ci: usize, cell: &'c Cell) -> &'c str {
        let ok = self
            .rows
            .get(bi)
            .and_then(|starts| starts.get(ri))
            .and_then(|start| self.cells.get(start + ci))
            .copied()
            .unwrap_or(false);
        if ok {
            cell.text.trim()
        } else {
            ""
        }
    }
}

/// A place where a label may stand, with its value.
struct LabelSpot<'d> {
    folded: String,
    label: &'d str,
    value: &'d str,
    locator: &'d Locator,
    /// The value folded, when it might itself be a label (a short table cell).
    value_folded: Option<String>,
    /// The value is one item of a list under a `Label:` line with nothing after the colon
    /// ("Certification drivers:" then a numbered list); only list fields take such values.
    listed: bool,
}

fn fold_short(text: &str) -> String {
    if text.chars().count() > MAX_FOLD_CHARS {
        String::new()
    } else {
        fold(text)
    }
}

impl<'d> Prepared<'d> {
    fn new(doc: &'d Document, all_labels: &HashSet<String>) -> Prepared<'d> {
        let usable = Usable::new(doc);
        let mut header_folds = Vec::with_capacity(doc.blocks.len());
        let mut labels = Vec::new();
        for (bi, block) in doc.blocks.iter().enumerate() {
            if let Some(label) = list_label(block) {
                // "Label:" alone, then a list: each top-level item is a value of the label,
                // unless the item is itself a known label's line ("Budget: ...").
                let items = doc.blocks.iter().skip(bi + 1).take_while(|b| {
                    matches!(b.kind, BlockKind::ListItem { .. }) && b.region == block.region
                });
                for (ii, item) in items.enumerate() {
                    if !matches!(item.kind, BlockKind::ListItem { depth: 0, .. }) || !stated(item) {
                        continue;
                    }
                    let value = usable.block(bi + 1 + ii, item);
                    let own_label = split_label(value).is_some_and(|(l, _)| {
                        l.chars().count() <= MAX_FOLD_CHARS && all_labels.contains(&fold(l))
                    });
                    if value.is_empty() || own_label {
                        continue;
                    }
                    labels.push(LabelSpot {
                        folded: fold(label),
                        label,
                        value,
                        locator: &item.locator,
                        value_folded: None,
                        listed: true,
                    });
                }
            }
            match &block.kind {
                BlockKind::Table(table) => {
                    header_folds.push(
                        table
                            .rows
                            .iter()
                            .take(HEADER_SCAN_ROWS)
                            .map(|row| row.iter().map(|c| fold_short(&c.text)).collect())
                            .collect(),
                    );
                    // The first row of a data table is its header ("Organisation |
                    // Requirements"), not a label and its value: it is read as one only when
                    // at least half the rows below start with a known label (a fact sheet).
                    let is_label = |row: &Vec<Cell>| {
                        row.iter()
                            .find(|c| !c.text.trim().is_empty())
                            .is_some_and(|c| {
                                c.text.chars().count() <= MAX_FOLD_CHARS
                                    && all_labels.contains(&fold(&c.text))
                            })
                    };
                    let below = table.rows.len().saturating_sub(1);
                    let labelled = table.rows.iter().skip(1).filter(|r| is_label(r)).count();
                    let header_row = below > 0 && labelled * 2 < below;
                    for (ri, row) in table.rows.iter().enumerate().skip(usize::from(header_row)) {
                        // A label stands in the row's first non-empty cell (Label | Value), or
                        // in the third of a four-cell row (Label | Value | Label | Value) whose
                        // first cell is a known label too: in a data table with four columns
                        // (Role | Name | Job Title | Responsibilities) a job title in the third
                        // cell is no label.
                        let first = row.iter().position(|c| !c.text.trim().is_empty());
                        let third = (row.len() == 4
                            && first == Some(0)
                            && row.first().is_some_and(|c| {
                                c.text.chars().count() <= MAX_FOLD_CHARS
                                    && all_labels.contains(&fold(&c.text))
                            }))
                        .then_some(2);
                        for i in [first, third].into_iter().flatten() {
                            let (Some(cell), Some(vc)) = (row.get(i), row.get(i + 1)) else {
                                continue;
                            };
                            if cell.highlighted || cell.text.chars().count() > 80 {
                                continue;
                            }
                            let value = usable.cell(bi, ri, i + 1, vc);
                            if value.is_empty() || vc.text == cell.text {
                                continue;
                            }
                            labels.push(LabelSpot {
                                folded: fold(&cell.text),
                                label: &cell.text,
                                value,
                                locator: &vc.locator,
                                value_folded: Some(fold_short(value)),
                                listed: false,
                            });
                        }
                    }
                }
                BlockKind::Paragraph | BlockKind::ListItem { .. } => {
                    header_folds.push(Vec::new());
                    if block.highlighted || block.region == Region::Comment {
                        continue;
                    }
                    if let Some((label, value)) = split_label(&block.text) {
                        labels.push(LabelSpot {
                            folded: fold(label),
                            label,
                            value,
                            locator: &block.locator,
                            value_folded: None,
                            listed: false,
                        });
                    }
                }
                _ => header_folds.push(Vec::new()),
            }
        }
        Prepared {
            header_folds,
            labels,
            usable,
        }
    }
}

fn applies(rule: &Rule, doc: &Document) -> bool {
    if !rule.formats.is_empty() && !rule.formats.contains(&doc.format) {
        return false;
    }
    if let Some(globs) = &rule.files {
        let name = doc.path.rsplit('/').next().unwrap_or(&doc.path);
        if !globs.is_match(&doc.path) && !globs.is_match(name) {
            return false;
        }
    }
    true
}

/// Names and their text for one match.
#[derive(Debug, Default, Clone)]
struct Vars(Vec<(String, String)>);

impl Vars {
    fn set(&mut self, k: &str, v: &str) {
        match self.0.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => self.0.push((k.to_string(), v.to_string())),
        }
    }
    fn get(&self, k: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
    }
    fn add_captures(&mut self, re: &regex::Regex, caps: &regex::Captures<'_>) {
        for name in re.capture_names().flatten() {
            self.set(name, caps.name(name).map(|m| m.as_str()).unwrap_or(""));
        }
    }
}

/// Usable text: empty for highlighted template text and placeholders.
fn usable(text: &str, highlighted: bool) -> &str {
    if highlighted || is_placeholder(text) {
        ""
    } else {
        text.trim()
    }
}

struct Emitter<'a> {
    rule: &'a Rule,
    all_labels: &'a std::collections::HashSet<String>,
    doc: &'a Document,
    prep: &'a Prepared<'a>,
    out: &'a mut Vec<Candidate>,
    seen: HashSet<String>,
    count: usize,
}

impl Emitter<'_> {
    fn full(&self) -> bool {
        self.count >= MAX_CANDIDATES_PER_RULE
    }

    /// Renders the rule's output from `vars` and emits it (once per distinct value).
    fn emit(&mut self, output: &Output, vars: &Vars, locator: &Locator, how: MatchKind) {
        if let Some(v) = render_output(output, self.rule.target, vars) {
            self.push(self.rule.target, v, locator, how);
        }
    }

    fn push(&mut self, field: &FieldSpec, value: Value, locator: &Locator, how: MatchKind) {
        if self.full() {
            return;
        }
        let key = format!("{}\u{0}{}", field.pointer, dedup_key(&value));
        if !self.seen.insert(key) {
            return;
        }
        self.count += 1;
        self.out.push(Candidate {
            field: field.pointer.to_string(),
            value,
            file: self.doc.path.clone(),
            locator: locator.to_string(),
            rule: self.rule.id.clone(),
            how,
            priority: self.rule.priority,
        });
    }
}

fn dedup_key(v: &Value) -> String {
    match v {
        Value::String(s) => fold(s),
        other => other.to_string(),
    }
}

/// Renders a rule's output into a candidate value of the field's shape, or nothing when the
/// result is empty, a placeholder, or not one of an enumerated field's values.
fn render_output(output: &Output, field: &FieldSpec, vars: &Vars) -> Option<Value> {
    let lookup = |n: &str| vars.get(n);
    match output {
        Output::Value(v) => {
            let s = v.render(&lookup);
            if s.is_empty() || is_placeholder(&s) {
                return None;
            }
            match field.kind {
                FieldKind::TextOrCount => {
                    let digits: String = s.chars().filter(|c| *c != ',' && *c != ' ').collect();
                    match digits.parse::<u64>() {
                        Ok(n) if !digits.is_empty() => Some(Value::from(n)),
                        _ => Some(Value::String(s)),
                    }
                }
                FieldKind::Choice(choices) => choices
                    .iter()
                    .find(|c| c.eq_ignore_ascii_case(s.trim()))
                    .map(|c| Value::String((*c).to_string())),
                _ => Some(Value::String(s)),
            }
        }
        Output::Record(keys) => {
            let mut obj = Map::new();
            for (k, is_list, f) in keys {
                match f {
                    FieldT::One(v) => {
                        let s = v.render(&lookup);
                        if s.is_empty() || is_placeholder(&s) {
                            continue;
                        }
                        if *is_list {
                            obj.insert(k.clone(), Value::Array(vec![Value::String(s)]));
                        } else {
                            obj.insert(k.clone(), Value::String(s));
                        }
                    }
                    FieldT::List(vs) => {
                        let items: Vec<Value> = vs
                            .iter()
                            .map(|v| v.render(&lookup))
                            .filter(|s| !s.is_empty() && !is_placeholder(s))
                            .map(Value::String)
                            .collect();
                        if !items.is_empty() {
                            obj.insert(k.clone(), Value::Array(items));
                        }
                    }
                }
            }
            // The record's first key (name, process, service) is what it is about.
            let FieldKind::RecordList(spec) = field.kind else {
                return None;
            };
            let first = spec.first()?.trim_end_matches("[]");
            obj.contains_key(first).then_some(Value::Object(obj))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text blocks

/// A reviewer's comment is not what the document states.
fn stated(b: &Block) -> bool {
    b.region != Region::Comment
}

fn is_text(b: &Block) -> bool {
    stated(b)
        && matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::ListItem { .. } | BlockKind::Heading { .. }
        )
}

/// Splits `Label: value` (or `Label – value`); the label is short and the value not empty.
/// The label of a paragraph that is only `Label:` (a list of its values follows).
fn list_label(block: &Block) -> Option<&str> {
    if !matches!(block.kind, BlockKind::Paragraph) || block.highlighted || !stated(block) {
        return None;
    }
    let label = block
        .text
        .trim()
        .strip_suffix([':', '\u{ff1a}'])?
        .trim_end_matches('*')
        .trim();
    (!label.is_empty() && label.chars().count() <= 80 && !label.contains(':')).then_some(label)
}

fn split_label(text: &str) -> Option<(&str, &str)> {
    let (i, sep_len) = match text.find([':', '\u{ff1a}']) {
        Some(i) => (i, text[i..].chars().next().map_or(1, char::len_utf8)),
        None => [" \u{2013} ", " \u{2014} ", " - "]
            .iter()
            .find_map(|d| text.find(d).map(|i| (i, d.len())))?,
    };
    let label = text[..i].trim();
    let value = text[i + sep_len..].trim();
    if label.is_empty() || label.chars().count() > 80 || value.is_empty() {
        return None;
    }
    Some((label, value))
}

// ---------------------------------------------------------------------------------------------
// Table rules

#[derive(Clone)]
struct Header {
    row: usize,
    /// Column key -> cell index, and whether the header matched the canonical name.
    cols: Vec<(String, usize, bool)>,
}

impl Header {
    fn index(&self, key: &str) -> Option<usize> {
        self.cols
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, i, _)| *i)
    }
}

/// The column a folded header cell means: its key, whether it matched exactly, and the rank
/// of the synonym that matched (0 for the first listed).
fn match_column<'a>(t: &'a TableRule, folded: &str) -> Option<(&'a str, bool, usize)> {
    t.columns.iter().find_map(|c| {
        c.synonyms
            .iter()
            .position(|(f, _)| f == folded)
            .map(|pos| (c.key.as_str(), pos == 0 || c.key_folded == folded, pos))
    })
}

fn present(t: &TableRule, cols: &[(String, usize, bool)], name: &str) -> bool {
    if cols.iter().any(|(k, _, _)| k == name) {
        return true;
    }
    t.combine
        .iter()
        .find(|(k, _)| k == name)
        .is_some_and(|(_, tmpl)| tmpl.names().all(|n| cols.iter().any(|(k, _, _)| k == n)))
}

fn find_header(t: &TableRule, folds: &[Vec<String>]) -> Option<Header> {
    for (r, row) in folds.iter().enumerate() {
        // When two cells mean the same column (a register with both "Category" and "Type"),
        // the one whose synonym is listed first wins; on a tie, the leftmost.
        let mut cols: Vec<(String, usize, bool)> = Vec::new();
        let mut ranks: Vec<usize> = Vec::new();
        for (i, f) in row.iter().enumerate() {
            if f.is_empty() {
                continue;
            }
            if let Some((key, exact, rank)) = match_column(t, f) {
                match cols.iter().position(|(k, _, _)| k == key) {
                    None => {
                        cols.push((key.to_string(), i, exact));
                        ranks.push(rank);
                    }
                    Some(j) => {
                        if let (Some(c), Some(r)) = (cols.get_mut(j), ranks.get_mut(j)) {
                            if rank < *r {
                                *c = (key.to_string(), i, exact);
                                *r = rank;
                            }
                        }
                    }
                }
            }
        }
        if !cols.is_empty()
            && t.needed.iter().all(|n| present(t, &cols, n))
            && (t.needed_any.is_empty() || t.needed_any.iter().any(|n| present(t, &cols, n)))
            && !t.forbid.iter().any(|n| cols.iter().any(|(k, _, _)| k == n))
        {
            return Some(Header { row: r, cols });
        }
    }
    None
}

/// Most blank rows between a sheet table and a header-less table below it that continues it.
const CONTINUATION_GAP: u32 = 2;

/// The sheet, first and last column, and last row of a sheet table block.
fn sheet_span(block: &Block) -> Option<(&str, u32, u32, u32, u32)> {
    match &block.locator {
        Locator::Range { sheet, first, last } => Some((&**sheet, first.0, first.1, last.0, last.1)),
        _ => None,
    }
}

/// Whether `block` continues the sheet table `prev` (a table cut by blank rows, as HR
/// exports with a blank line are): same sheet and first column, no wider, a few rows below.
fn continues(prev: &Block, block: &Block) -> bool {
    match (sheet_span(prev), sheet_span(block)) {
        (Some((s0, _, c0, r1, c1)), Some((s1, r2, c2, _, c3))) => {
            s0 == s1 && c0 == c2 && c3 <= c1 && r2 > r1 && r2 - r1 <= CONTINUATION_GAP + 1
        }
        _ => false,
    }
}

fn apply_table(em: &mut Emitter<'_>, t: &TableRule) {
    let doc = em.doc;
    // The previous table that qualified (or continued one), with its header.
    let mut prev: Option<(&Block, Header)> = None;
    // A row count in progress: the count and the locator of the table it started in.
    let mut pending: Option<(u64, &Locator)> = None;
    // For `only`: the distinct values the document's passing rows give (two are enough).
    let mut only: Vec<(String, Value, Locator)> = Vec::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let BlockKind::Table(table) = &block.kind else {
            continue;
        };
        let folds = em
            .prep
            .header_folds
            .get(bi)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let (header, start, header_row) = match find_header(t, folds) {
            Some(h) => {
                let row = h.row;
                (h, row + 1, table.rows.get(row))
            }
            None => match prev.take() {
                Some((p, h)) if continues(p, block) => (h, 0, None),
                _ => {
                    flush_count(em, t, pending.take());
                    continue;
                }
            },
        };
        if start > 0 {
            flush_count(em, t, pending.take());
        }
        prev = Some((block, header.clone()));
        let exact = header.cols.iter().all(|(_, _, e)| *e);
        let row_how = if exact {
            MatchKind::Exact
        } else {
            MatchKind::Synonym
        };
        let output_names: Vec<&str> = t.output.names();
        let mut count: u64 = 0;
        for (ri, row) in table.rows.iter().enumerate().skip(start) {
            if em.full() {
                return;
            }
            let mut vars = Vars::default();
            let mut repeats_header = true;
            for (key, idx, _) in &header.cols {
                let cell = row.get(*idx);
                let text = cell
                    .map(|c| em.prep.usable.cell(bi, ri, *idx, c))
                    .unwrap_or("");
                let head = header_row
                    .and_then(|h| h.get(*idx))
                    .map(|c| c.text.as_str())
                    .unwrap_or("");
                if !text.eq_ignore_ascii_case(head.trim()) {
                    repeats_header = false;
                }
                vars.set(key, text);
            }
            if repeats_header {
                continue;
            }
            for o in &t.optional {
                if vars.get(o).is_none() {
                    vars.set(o, "");
                }
            }
            for (k, tmpl) in &t.combine {
                if header.index(k).is_none() {
                    let v = tmpl.render(|n| vars.get(n));
                    vars.set(k, &v);
                }
            }
            if t.needed
                .iter()
                .all(|n| vars.get(n).unwrap_or("").is_empty())
            {
                continue;
            }
            let mut pass = true;
            for (col, re) in &t.filters {
                let text = vars.get(col).unwrap_or("").to_string();
                match re.captures(&text) {
                    Some(caps) => vars.add_captures(re, &caps),
                    None => {
                        pass = false;
                        break;
                    }
                }
            }
            if !pass
                || t.unless
                    .iter()
                    .any(|(col, re)| re.is_match(vars.get(col).unwrap_or("")))
            {
                continue;
            }
            let locator = row_locator(&header, row, &output_names, t, block);
            match t.aggregate {
                Aggregate::Rows => em.emit(&t.output, &vars, &locator, row_how),
                Aggregate::First => {
                    let before = em.count;
                    em.emit(&t.output, &vars, &locator, MatchKind::Derived);
                    if em.count > before {
                        break;
                    }
                }
                Aggregate::Distinct => em.emit(&t.output, &vars, &locator, MatchKind::Derived),
                Aggregate::Count => count += 1,
                Aggregate::Only => {
                    if let Some(v) = render_output(&t.output, em.rule.target, &vars) {
                        let key = dedup_key(&v);
                        if only.len() < 2 && !only.iter().any(|(k, _, _)| *k == key) {
                            only.push((key, v, locator));
                        }
                    }
                }
            }
        }
        if t.aggregate == Aggregate::Count {
            let (before, loc) = pending.unwrap_or((0, &block.locator));
            pending = Some((before + count, loc));
        }
    }
    flush_count(em, t, pending);
    if let [(_, value, locator)] = only.as_slice() {
        em.push(em.rule.target, value.clone(), locator, MatchKind::Derived);
    }
}

/// Emits a row count (of a table and the tables that continue it), if any rows counted.
fn flush_count(em: &mut Emitter<'_>, t: &TableRule, pending: Option<(u64, &Locator)>) {
    if let Some((count, locator)) = pending.filter(|(n, _)| *n > 0) {
        let mut vars = Vars::default();
        vars.set("count", &count.to_string());
        em.emit(&t.output, &vars, locator, MatchKind::Derived);
    }
}

/// The locator of the cell holding the first name the output uses, else the row's first
/// mapped cell, else the table.
fn row_locator(
    header: &Header,
    row: &[Cell],
    names: &[&str],
    t: &TableRule,
    block: &Block,
) -> Locator {
    let mut keys: Vec<&str> = Vec::new();
    for n in names {
        if header.index(n).is_some() {
            keys.push(n);
        } else if let Some((_, tmpl)) = t.combine.iter().find(|(k, _)| k == n) {
            keys.extend(tmpl.names());
        }
    }
    keys.extend(header.cols.iter().map(|(k, _, _)| k.as_str()));
    for k in keys {
        if let Some(cell) = header.index(k).and_then(|i| row.get(i)) {
            if !cell.text.trim().is_empty() {
                return cell.locator.clone();
            }
        }
    }
    block.locator.clone()
}

// ---------------------------------------------------------------------------------------------
// Label rules

fn apply_label(em: &mut Emitter<'_>, l: &LabelRule) {
    let prep = em.prep;
    for spot in &prep.labels {
        if em.full() {
            return;
        }
        let Some(pos) = l.labels.iter().position(|(x, _)| *x == spot.folded) else {
            continue;
        };
        if let Some(vf) = &spot.value_folded {
            if em.all_labels.contains(vf) {
                continue;
            }
        }
        if spot.listed && !em.rule.target.kind.is_list() {
            continue;
        }
        let how = if pos == 0 {
            MatchKind::Exact
        } else {
            MatchKind::Synonym
        };
        label_value(em, l, spot.label, spot.value, spot.locator, how);
    }
}

fn label_value(
    em: &mut Emitter<'_>,
    l: &LabelRule,
    label: &str,
    value: &str,
    locator: &Locator,
    how: MatchKind,
) {
    let raw = value;
    let value = usable(value, false);
    // "TBD. Consultant: none yet." is an unfilled value followed by another note.
    let lead = value.split(['.', ';', ',', '(']).next().unwrap_or("");
    if value.is_empty() || is_placeholder(lead) {
        // "Top management sponsor: TBD" says the field is open: the merger must know.
        let lead = raw.split(['.', ';', ',', '(']).next().unwrap_or("").trim();
        if !em.rule.target.kind.is_list() && super::says_open(lead) {
            em.push(
                em.rule.target,
                Value::String(lead.to_string()),
                locator,
                how,
            );
        }
        return;
    }
    let parts: Vec<&str> = match &l.split {
        Some(re) => re
            .split(value)
            .map(|p| trim_item_end(p.trim()))
            .filter(|p| !p.is_empty())
            .collect(),
        None => vec![value],
    };
    for part in parts {
        if l.unless.as_ref().is_some_and(|re| re.is_match(part)) {
            continue;
        }
        let mut vars = Vars::default();
        vars.set("value", part);
        vars.set("label", label);
        if let Some(re) = &l.pattern {
            let Some(caps) = re.captures(part) else {
                continue;
            };
            vars.add_captures(re, &caps);
        }
        em.emit(&l.output, &vars, locator, how);
    }
}

/// The text with its first character upper-cased.
fn capitalize_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A list item without the full stop that ends its line ("Zabbix." in "Tools: Nagios,
/// Zabbix."), keeping abbreviations of three letters or fewer ("Ltd.", "Inc.", "Co.", "S.A.").
fn trim_item_end(item: &str) -> &str {
    let Some(stem) = item.strip_suffix('.') else {
        return item;
    };
    let last = stem.rsplit([' ', '.']).next().unwrap_or("");
    let word = last.chars().count() > 3 && last.chars().all(char::is_alphanumeric);
    let number = !last.is_empty() && last.chars().all(|c| c.is_ascii_digit());
    if word || number {
        stem
    } else {
        item
    }
}

// ---------------------------------------------------------------------------------------------
// Section rules

fn apply_section(em: &mut Emitter<'_>, s: &SectionRule) {
    let doc = em.doc;
    let blocks = &doc.blocks;
    for (i, b) in blocks.iter().enumerate() {
        let BlockKind::Heading { level } = b.kind else {
            continue;
        };
        if !stated(b) {
            continue;
        }
        if b.text.chars().count() > MAX_FOLD_CHARS {
            continue;
        }
        let f = fold_heading(&b.text);
        let Some(pos) = s.headings.iter().position(|(h, _)| *h == f) else {
            continue;
        };
        let how = if pos == 0 {
            MatchKind::Exact
        } else {
            MatchKind::Synonym
        };
        let body = blocks[i + 1..]
            .iter()
            .enumerate()
            .map(|(j, x)| (i + 1 + j, x))
            .take_while(|(_, x)| !matches!(x.kind, BlockKind::Heading { level: l } if l <= level));
        let mut items: Vec<(&str, &Locator)> = Vec::new();
        let mut paras: Vec<(&str, &Locator)> = Vec::new();
        let mut all: Vec<(&str, &Locator)> = Vec::new();
        for (xi, x) in body.filter(|(_, x)| stated(x)) {
            let text = em.prep.usable.block(xi, x);
            if text.is_empty() {
                continue;
            }
            if matches!(x.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
                all.push((text, &x.locator));
            }
            match x.kind {
                BlockKind::ListItem { depth: 0, .. } => items.push((text, &x.locator)),
                BlockKind::Paragraph => paras.push((text, &x.locator)),
                _ => {}
            }
        }
        let taken: Vec<(String, &Locator)> = match s.take {
            Take::Items => items.iter().map(|(t, l)| (t.to_string(), *l)).collect(),
            Take::Paragraphs => paras.iter().map(|(t, l)| (t.to_string(), *l)).collect(),
            Take::ItemsOrParagraphs => {
                let src = if items.is_empty() { &paras } else { &items };
                src.iter().map(|(t, l)| (t.to_string(), *l)).collect()
            }
            Take::FirstParagraph => paras
                .first()
                .or(items.first())
                .map(|(t, l)| vec![(t.to_string(), *l)])
                .unwrap_or_default(),
            Take::Text => match all.first() {
                Some((_, loc)) => {
                    let mut joined = String::new();
                    for (t, _) in &all {
                        if joined.len() > MAX_SECTION_TEXT * 4 {
                            break;
                        }
                        if !joined.is_empty() {
                            joined.push(' ');
                        }
                        joined.push_str(t);
                    }
                    vec![(truncate(&joined, MAX_SECTION_TEXT), *loc)]
                }
                None => Vec::new(),
            },
        };
        for (text, loc) in taken {
            let mut vars = Vars::default();
            vars.set("text", &text);
            vars.set("heading", &b.text);
            if let Some(re) = &s.pattern {
                let Some(caps) = re.captures(&text) else {
                    continue;
                };
                vars.add_captures(re, &caps);
            }
            em.emit(&s.output, &vars, loc, how);
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Pattern rules

fn apply_pattern(em: &mut Emitter<'_>, p: &PatternRule) {
    let doc = em.doc;
    let mut texts: Vec<(&str, &Locator)> = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        if is_text(b) {
            let t = em.prep.usable.block(bi, b);
            if !t.is_empty() {
                texts.push((t, &b.locator));
            }
        } else if let BlockKind::Table(table) = &b.kind {
            if p.cells {
                let cells =
                    table.rows.iter().enumerate().flat_map(|(ri, row)| {
                        row.iter().enumerate().map(move |(ci, c)| (ri, ci, c))
                    });
                for (ri, ci, cell) in cells {
                    let t = em.prep.usable.cell(bi, ri, ci, cell);
                    if !t.is_empty() {
                        texts.push((t, &cell.locator));
                    }
                }
            }
        }
    }
    for (text, loc) in texts {
        // Most texts do not match; the DFA says so far faster than a captures search.
        if !p.regex.is_match(text) {
            continue;
        }
        for caps in p.regex.captures_iter(text) {
            if em.full() {
                return;
            }
            let mut vars = Vars::default();
            let whole = caps.get(0).map(|m| m.as_str()).unwrap_or("");
            if p.within.as_ref().is_some_and(|w| !w.is_match(whole)) {
                continue;
            }
            vars.set("match", whole);
            vars.add_captures(&p.regex, &caps);
            if let Some(words) = &p.keywords {
                let Some(k) = words.get(&fold(whole)) else {
                    continue;
                };
                vars.set("keyword", k);
            }
            match &p.split {
                Some(re) => {
                    let Some(Value::String(v)) = render_output(&p.output, em.rule.target, &vars)
                    else {
                        continue;
                    };
                    // Items after the first lost their capital only by standing mid-sentence
                    // ("Incident management and change management"): give it back.
                    let capital = v.chars().next().is_some_and(char::is_uppercase);
                    for part in re.split(&v).map(str::trim).filter(|x| !x.is_empty()) {
                        if !is_placeholder(part) {
                            let item = if capital {
                                capitalize_first(part)
                            } else {
                                part.to_string()
                            };
                            em.push(em.rule.target, Value::String(item), loc, MatchKind::Pattern);
                        }
                    }
                }
                None => em.emit(&p.output, &vars, loc, MatchKind::Pattern),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Classify rules

/// Splits text into sentences (at `.`, `!` or `?` followed by a space).
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|(_, d)| d.is_whitespace()) {
            let end = i + c.len_utf8();
            out.push(text[start..end].trim());
            start = end;
        }
    }
    if start < text.len() {
        out.push(text[start..].trim());
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Whether the clause before `at` in `sentence` negates what follows: "IT services are not
/// sold to external customers", "there is no internal customer". The clause starts after the
/// last `;`, `:`, `,` or dash before `at`.
fn negated(sentence: &str, at: usize) -> bool {
    let before = sentence.get(..at).unwrap_or("");
    let clause = before
        .rsplit([';', ':', ',', '\u{2013}', '\u{2014}'])
        .next()
        .unwrap_or(before);
    clause
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}')
        .any(|w| {
            let w = w.to_lowercase();
            matches!(
                w.as_str(),
                "not" | "no" | "never" | "neither" | "nor" | "without" | "none" | "cannot"
            ) || w.ends_with("n't")
                || w.ends_with("n\u{2019}t")
        })
}

fn apply_classify(em: &mut Emitter<'_>, c: &ClassifyRule) {
    let doc = em.doc;
    // class -> (first evidence sentence, its locator)
    let mut found: Vec<(&str, String, &Locator)> = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        if !stated(b) || !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        let text = em.prep.usable.block(bi, b);
        if text.is_empty() {
            continue;
        }
        for sentence in sentences(text) {
            for (class, res) in &c.evidence {
                if found.iter().any(|(k, _, _)| k == class) {
                    continue;
                }
                if res
                    .iter()
                    .any(|r| r.find_iter(sentence).any(|m| !negated(sentence, m.start())))
                {
                    found.push((class.as_str(), truncate(sentence, 600), &b.locator));
                }
            }
        }
    }
    let Some((when, value)) = c.outcomes.iter().find(|(when, _)| {
        !when.is_empty() && when.iter().all(|w| found.iter().any(|(k, _, _)| k == w))
    }) else {
        return;
    };
    let evidence: Vec<&(&str, String, &Locator)> = found
        .iter()
        .filter(|(k, _, _)| when.iter().any(|w| w == k))
        .collect();
    let Some(first) = evidence.first() else {
        return;
    };
    let locator = first.2.clone();
    em.push(
        em.rule.target,
        Value::String(value.clone()),
        &locator,
        MatchKind::Classified,
    );
    if let Some(field) = c.rationale {
        let mut quoted: Vec<&str> = Vec::new();
        for (_, s, _) in &evidence {
            if !quoted.contains(&s.as_str()) {
                quoted.push(s);
            }
        }
        em.push(
            field,
            Value::String(quoted.join(" ")),
            &locator,
            MatchKind::Classified,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Hints

struct Vocab<'a> {
    folded: &'a str,
    /// Characters in `folded`.
    chars: usize,
    shown: &'a str,
    rule: &'a str,
    /// The table column the synonym names, for a table rule.
    column: Option<&'a str>,
}

impl Vocab<'_> {
    /// The rule (and column) a hint names.
    fn rule_name(&self) -> String {
        match self.column {
            Some(key) => format!("{} / column {}", self.rule, key),
            None => self.rule.to_string(),
        }
    }
}

fn hints(doc: &Document, rules: &Rules, prep: &Prepared<'_>) -> Vec<Hint> {
    let mut headers: Vec<Vocab<'_>> = Vec::new();
    let mut labels: Vec<Vocab<'_>> = Vec::new();
    let mut headings: Vec<Vocab<'_>> = Vec::new();
    for r in &rules.rules {
        if !applies(r, doc) {
            continue;
        }
        match &r.body {
            Body::Table(t) => {
                for c in t.columns.iter().filter(|c| !t.forbid.contains(&c.key)) {
                    for (f, s) in &c.synonyms {
                        headers.push(Vocab {
                            folded: f,
                            chars: f.chars().count(),
                            shown: s,
                            rule: &r.id,
                            column: Some(&c.key),
                        });
                    }
                }
            }
            Body::Label(l) => {
                for (f, s) in &l.labels {
                    labels.push(Vocab {
                        folded: f,
                        chars: f.chars().count(),
                        shown: s,
                        rule: &r.id,
                        column: None,
                    });
                }
            }
            Body::Section(s) => {
                for (f, shown) in &s.headings {
                    headings.push(Vocab {
                        folded: f,
                        chars: f.chars().count(),
                        shown,
                        rule: &r.id,
                        column: None,
                    });
                }
            }
            _ => {}
        }
    }
    let mut out: Vec<Hint> = Vec::new();
    let push = |out: &mut Vec<Hint>,
                kind: HintKind,
                seen: &str,
                folded: &str,
                vocab: &[Vocab<'_>],
                loc: &Locator| {
        if out.len() >= MAX_HINTS || vocab.iter().any(|v| v.folded == folded) {
            return;
        }
        // The closest synonym; on a tie, the first rule's.
        let mut best: Option<(f64, &Vocab<'_>)> = None;
        let folded_chars = folded.chars().count();
        for v in vocab {
            let Some(score) = near_miss_score(folded, folded_chars, v.folded, v.chars) else {
                continue;
            };
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, v));
            }
        }
        let best = best.map(|(_, v)| v);
        if let Some(v) = best {
            let locator = loc.to_string();
            if out.iter().any(|h| h.locator == locator && h.seen == seen) {
                return;
            }
            out.push(Hint {
                file: doc.path.clone(),
                locator,
                kind,
                seen: seen.to_string(),
                closest: v.shown.to_string(),
                rule: v.rule_name(),
            });
        }
    };
    for (bi, b) in doc.blocks.iter().enumerate() {
        match &b.kind {
            BlockKind::Table(table) if !headers.is_empty() => {
                // The header row: the row near the top with most cells matching a synonym.
                let folds = prep.header_folds.get(bi).map(Vec::as_slice).unwrap_or(&[]);
                let mut best: Option<(usize, usize)> = None;
                for (r, row) in folds.iter().enumerate() {
                    let hits = row
                        .iter()
                        .filter(|f| !f.is_empty() && headers.iter().any(|v| v.folded == f.as_str()))
                        .count();
                    if hits > 0 && best.is_none_or(|(h, _)| hits > h) {
                        best = Some((hits, r));
                    }
                }
                if let Some((_, r)) = best {
                    let cells = table.rows.get(r).map(Vec::as_slice).unwrap_or(&[]);
                    let row_folds = folds.get(r).map(Vec::as_slice).unwrap_or(&[]);
                    for (cell, f) in cells.iter().zip(row_folds) {
                        if !f.is_empty() {
                            push(
                                &mut out,
                                HintKind::Header,
                                &cell.text,
                                f,
                                &headers,
                                &cell.locator,
                            );
                        }
                    }
                }
            }
            BlockKind::Heading { .. }
                if !headings.is_empty() && b.text.chars().count() <= MAX_FOLD_CHARS =>
            {
                let f = fold_heading(&b.text);
                if !f.is_empty() {
                    push(
                        &mut out,
                        HintKind::Heading,
                        &b.text,
                        &f,
                        &headings,
                        &b.locator,
                    );
                }
            }
            _ => {}
        }
    }
    if !labels.is_empty() {
        // `Label: value` lines only: the first cells of a data table are names, not labels.
        for spot in prep
            .labels
            .iter()
            .filter(|s| s.value_folded.is_none() && !s.listed)
        {
            if spot.label.chars().count() <= 40 && !spot.folded.is_empty() {
                push(
                    &mut out,
                    HintKind::Label,
                    spot.label,
                    &spot.folded,
                    &labels,
                    spot.locator,
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_at_a_colon_or_a_spaced_dash() {
        assert_eq!(
            split_label("Legal name: Apex Ltd"),
            Some(("Legal name", "Apex Ltd"))
        );
        assert_eq!(
            split_label("Change Manager \u{2013} Priya Patel"),
            Some(("Change Manager", "Priya Patel"))
        );
        assert_eq!(
            split_label("Stage 1 - 6 months"),
            Some(("Stage 1", "6 months"))
        );
        assert_eq!(split_label("Legal name:"), None);
        assert_eq!(split_label("No label here"), None);
    }

    #[test]
    fn sentences_split_at_end_punctuation_followed_by_space() {
        assert_eq!(
            sentences("We serve staff. We also sell to clients! Version 2.0 is out"),
            vec![
                "We serve staff.",
                "We also sell to clients!",
                "Version 2.0 is out"
            ]
        );
        assert!(sentences("").is_empty());
    }

    #[test]
    fn split_items_lose_a_closing_full_stop_but_not_an_abbreviation() {
        assert_eq!(trim_item_end("Zabbix."), "Zabbix");
        assert_eq!(trim_item_end("Microsoft 365."), "Microsoft 365");
        assert_eq!(trim_item_end("Acme Ltd."), "Acme Ltd.");
        assert_eq!(trim_item_end("S.A."), "S.A.");
        assert_eq!(trim_item_end("Nagios"), "Nagios");
    }

    #[test]
    fn evidence_in_a_negated_clause_is_no_evidence() {
        let s =
            "The IT team supports our own staff; IT services are not sold to external customers.";
        assert!(negated(s, s.find("external").unwrap_or(0)));
        assert!(!negated(s, s.find("own staff").unwrap_or(0)));
        let s = "We provide managed IT services to external customers; we do not provide them to any internal business unit.";
        assert!(!negated(s, s.find("external").unwrap_or(0)));
        assert!(negated(s, s.find("internal").unwrap_or(0)));
        assert!(negated("We don\u{2019}t serve internal customers", 16));
    }

    #[test]
    fn long_text_is_truncated_on_a_character_boundary() {
        assert_eq!(truncate("ééé", 2), "éé...");
        assert_eq!(truncate("abc", 5), "abc");
    }
}
