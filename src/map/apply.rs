//! Applying compiled rules to one document: a [`Document`] and [`Rules`] in, [`Mapped`]
//! (candidates with provenance, and near-miss hints) out.
//!
//! Pure code: it never touches the filesystem, never prints, and never panics on what a
//! document holds. Text from highlighted runs (unfilled Word template text) and placeholder
//! text (`TBD`, `[Organization Name]`, ...) never becomes a value. Output is bounded: at most
//! [`MAX_CANDIDATES_PER_RULE`] candidates per rule and [`MAX_HINTS`] hints per document.

use super::compile::{
    BlockSort, Body, ClassifyRule, FieldT, LabelRule, Output, PatternRule, Rule, Rules,
    SectionRule, TableRule,
};
use super::fold::{fold, fold_heading, fold_into, MAX_FOLD_CHARS};
use super::index::{ColumnHit, Hits, Vocabulary};
use super::raw::{Aggregate, Take};
use super::{Candidate, MatchKind};
use crate::document::{Block, BlockKind, Cell, Document, Locator, Region};
use crate::judge::shape::{is_short_form, name_in_order, place_name};
use crate::judge::{is_placeholder, DocumentJudge};
use crate::profile::{FieldKind, FieldSpec, Shape};
use foldhash::{HashMap, HashSet, HashSetExt};
use regex::{Captures, Regex};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// A list item of at least this priority found by a regular rule makes a fallback rule for
/// the same list give way (a register made for the purpose, not a guess).
const LIST_BLOCKING_PRIORITY: i32 = 50;

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
    // An interview pack gives its answers and nothing else: no rule reads its questions.
    if let Some(candidates) = super::interview::answers(doc) {
        return Mapped {
            candidates,
            hints: Vec::new(),
        };
    }
    let applies: Vec<bool> = rules.rules.iter().map(|r| applies(r, doc)).collect();
    let prep = Prepared::new(doc, rules, &applies);
    let mut candidates: Vec<Candidate> = Vec::new();
    // Fallback rules run last, the higher priority first, and only for fields that no regular
    // rule has already found in this document (for a single-valued field, no fallback either):
    // for a single value, one at least as strong as the fallback (the chief executive as
    // sponsor, 55, does not silence a sentence naming the sponsor, 60, and a fallback only
    // silences a weaker fallback: two of the same strength both speak and the merge weighs
    // them); for a list, one of the usual strength ([`LIST_BLOCKING_PRIORITY`]) or the
    // fallback's. Found means a value that
    // fits the field's shape (the judge's definition) and that the judge weighs at least
    // `trusted` (judge.toml): a rejected glossary row, or a name in a document-control table, does
    // not stand in the way of the fallback that would find the real value.
    let fallback_ids: HashSet<&str> = rules
        .rules
        .iter()
        .filter(|r| r.fallback)
        .map(|r| r.id.as_str())
        .collect();
    let is_fallback = |id: &str| fallback_ids.contains(id);
    let mut order: Vec<usize> = (0..rules.rules.len())
        .filter(|&i| rules.rules.get(i).is_some_and(|r| !r.fallback))
        .collect();
    let mut fallbacks: Vec<usize> = (0..rules.rules.len())
        .filter(|&i| rules.rules.get(i).is_some_and(|r| r.fallback))
        .collect();
    fallbacks.sort_by_key(|&i| std::cmp::Reverse(rules.rules.get(i).map_or(0, |r| r.priority)));
    order.extend(fallbacks);
    // The judge of the values found so far, made when a fallback first needs it.
    let mut judge: Option<DocumentJudge<'_>> = None;
    for ri in order {
        let Some(rule) = rules.rules.get(ri) else {
            continue;
        };
        if !applies.get(ri).copied().unwrap_or(false) {
            continue;
        }
        if rule.fallback {
            let field = rule.target.pointer;
            let scalar = !rule.target.kind.is_list();
            let mut blocking = candidates.iter().filter(|c| {
                c.field == field
                    && c.priority
                        >= if scalar {
                            rule.priority
                        } else {
                            rule.priority.min(LIST_BLOCKING_PRIORITY)
                        }
                    && (!is_fallback(&c.rule) || (scalar && c.priority > rule.priority))
                    && crate::judge::fits_shape(c)
            });
            let found = blocking.any(|c| {
                judge
                    .get_or_insert_with(|| DocumentJudge::new(doc, &rules.judge))
                    .verdict(c)
                    .weight()
                    >= rules.judge.trusted
            });
            if found {
                continue;
            }
        }
        let mut em = Emitter {
            rule,
            ri,
            rules_index: &rules.index,
            all_labels: &rules.all_labels,
            doc,
            prep: &prep,
            out: &mut candidates,
            seen: HashSet::new(),
            count: 0,
            at: (0, None),
            same_as: None,
            offset: None,
            sole: false,
        };
        match &rule.body {
            Body::Table(t) => apply_table(&mut em, t),
            Body::Label(l) => apply_label(&mut em, l),
            Body::Section(s) => apply_section(&mut em, s),
            Body::Pattern(p) => apply_pattern(&mut em, p),
            Body::Classify(c) => apply_classify(&mut em, c),
        }
    }
    let hints = hints(doc, rules, &prep, &applies);
    Mapped { candidates, hints }
}

/// Folded text computed once per document and shared by every rule.
struct Prepared<'d> {
    /// Per block (same index as the document's blocks): for a table, the folded cells of its
    /// first [`HEADER_SCAN_ROWS`] rows (empty for text too long to be a header).
    header_folds: Vec<Vec<Vec<String>>>,
    /// Headings short enough to be a heading (block index, folded without numbering), for the
    /// section rules and the near-miss hints alike.
    heading_folds: Vec<(usize, String)>,
    /// `Label: value` lines and label cells of table rows.
    labels: Vec<LabelSpot<'d>>,
    /// Which blocks and cells are usable, judged once per document for every rule.
    usable: Usable<'d>,
    /// Per rule: the label spots naming one of its labels, with the label's position.
    label_hits: Vec<Hits>,
    /// Per rule: the headings (block index) naming one of its headings, with the position.
    heading_hits: Vec<Hits>,
    /// Per block (same index as the document's blocks): for a table, which rules' columns its
    /// header-scan cells name.
    table_hits: Vec<TableHits<'d>>,
    /// Usable texts of text blocks and table cells, in document order.
    texts: Vec<TextSpot<'d>>,
    /// Per rule: the texts (indices into `texts`) its pattern or evidence could match.
    text_hits: Vec<Vec<u32>>,
    /// Where a writer's text starts, and who wrote it ([`writers`]): a message and the
    /// messages quoted in it each have their own. For the template name `{writer}`; worked
    /// out when a rule that uses it first matches, as few documents need it.
    writers: std::cell::OnceCell<Vec<(usize, Option<String>)>>,
}

/// The header-scan cells of one table that name a column of some table rule.
#[derive(Default)]
struct TableHits<'r> {
    /// Per header-scan row, per cell: the columns the cell's folded text names.
    cells: Vec<Vec<Option<&'r [ColumnHit]>>>,
    /// The rules with at least one such cell, sorted.
    rules: Vec<u32>,
}

/// A usable text a pattern or classify rule may read.
struct TextSpot<'d> {
    /// The text; the short lines of a record are joined with ", " ([`record_text`]).
    text: Cow<'d, str>,
    locator: &'d Locator,
    /// The block it is (or whose table holds it).
    block: usize,
    /// It is a table cell, not a text block.
    cell: bool,
    /// For a cell: its row.
    row: Option<usize>,
}

/// Per block, its usable text ([`usable`]), and per table cell the same; judged (and trimmed)
/// once per document so that each rule does not check every cell for placeholders again.
struct Usable<'d> {
    /// Per block (same index as the document's blocks): its own usable text.
    blocks: Vec<&'d str>,
    /// Per block: for a table, where each row's cells start in `cells`.
    rows: Vec<Vec<usize>>,
    /// Per cell of every table, row by row: the cell's usable text.
    cells: Vec<&'d str>,
}

impl<'d> Usable<'d> {
    fn new(doc: &'d Document) -> Usable<'d> {
        let mut blocks = Vec::with_capacity(doc.blocks.len());
        let mut rows = Vec::with_capacity(doc.blocks.len());
        let mut cells = Vec::new();
        // A cell text is judged once per document however often it repeats down a column.
        let mut judged: HashMap<&'d str, &'d str> = HashMap::default();
        for block in &doc.blocks {
            blocks.push(usable(&block.text, block.highlighted));
            let mut starts = Vec::new();
            if let BlockKind::Table(table) = &block.kind {
                starts.reserve(table.rows.len());
                for row in &table.rows {
                    starts.push(cells.len());
                    cells.extend(row.iter().map(|c| {
                        if c.highlighted || c.text.is_empty() {
                            return "";
                        }
                        *judged
                            .entry(c.text.as_str())
                            .or_insert_with_key(|raw| usable(raw, false))
                    }));
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

    /// The usable text of block `bi`: as [`usable`].
    fn block(&self, bi: usize) -> &'d str {
        self.blocks.get(bi).copied().unwrap_or("")
    }

    /// The usable text of cell `ci` of row `ri` of the table in block `bi`: as [`usable`].
    fn cell(&self, bi: usize, ri: usize, ci: usize) -> &'d str {
        self.rows
            .get(bi)
            .and_then(|starts| starts.get(ri))
            .and_then(|start| self.cells.get(start + ci))
            .copied()
            .unwrap_or("")
    }

    /// The usable texts of row `ri` (of `len` cells) of the table in block `bi`.
    fn row(&self, bi: usize, ri: usize, len: usize) -> &[&'d str] {
        self.rows
            .get(bi)
            .and_then(|starts| starts.get(ri))
            .and_then(|&start| self.cells.get(start..start + len))
            .unwrap_or(&[])
    }
}

/// The lines of a short record, joined with ", ": a list item or cell of two to four short
/// lines that are not sentences or label lines ("Jane Smith" / "Chief Executive Officer") is
/// one record, "Jane Smith, Chief Executive Officer". `None` for anything else (a wrapped
/// paragraph keeps its text as one sentence).
fn record_text<'a>(lines: impl Iterator<Item = &'a str>, breaks: usize) -> Option<String> {
    if !(1..=3).contains(&breaks) {
        return None;
    }
    let lines: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
    let short = lines.iter().all(|l| {
        l.chars().count() <= 60 && !l.ends_with(['.', '!', '?', ';', ',', ':']) && !l.contains(": ")
    });
    (lines.len() >= 2 && short).then(|| lines.join(", "))
}

/// Where a candidate was found: its block, and its row for a table.
type Spot = (usize, Option<usize>);

/// The locator of line `li` (0-based) of a block: the next lines of a Markdown paragraph are
/// the next lines of the file; a Word paragraph's lines share its locator.
fn line_locator(block: &Locator, li: usize) -> Cow<'_, Locator> {
    match block {
        Locator::Line { line, column: None } if li > 0 => Cow::Owned(Locator::Line {
            line: line.saturating_add(u32::try_from(li).unwrap_or(u32::MAX)),
            column: None,
        }),
        other => Cow::Borrowed(other),
    }
}

/// A place where a label may stand, with its value.
struct LabelSpot<'d> {
    folded: String,
    label: &'d str,
    /// The value; a cell's short lines joined as a record ([`record_text`]).
    value: Cow<'d, str>,
    locator: Cow<'d, Locator>,
    /// The value folded, when it might itself be a label (a short table cell).
    value_folded: Option<String>,
    /// The value is one item of a list under a `Label:` line with nothing after the colon
    /// ("Certification drivers:" then a numbered list); only list fields take such values.
    listed: bool,
    /// The block the value stands in, and its row for a table.
    at: (usize, Option<usize>),
}

/// The folded form under which the rules know a label: the text itself, or, for a label with
/// a qualifier in brackets ("Responsable du SMS (ISO 20000)", "Leiterin Servicemanagement
/// (SMS-Managerin)"), the part before the brackets or else the part inside them.
fn known_label(all_labels: &foldhash::HashSet<String>, text: &str) -> Option<String> {
    if text.chars().count() > MAX_FOLD_CHARS {
        return None;
    }
    let whole = fold(text);
    if all_labels.contains(&whole) {
        return Some(whole);
    }
    if let Some((head, inner)) = with_note(text) {
        return [head, inner]
            .into_iter()
            .map(fold)
            .find(|f| !f.is_empty() && all_labels.contains(f));
    }
    // Two roles in one label: "Project manager / SMS owner", "Projectleider en SMS-eigenaar".
    alternatives(text)?
        .into_iter()
        .map(fold)
        .find(|f| !f.is_empty() && all_labels.contains(f))
}

/// The parts of a label that names two things: "A / B", "A & B", "A and B" (and in French,
/// German, Dutch and Spanish), or `None` for a label of one part.
fn alternatives(text: &str) -> Option<Vec<&str>> {
    const JOINS: [&str; 7] = ["/", "&", " and ", " et ", " und ", " en ", " y "];
    let join = JOINS.iter().find(|j| text.contains(*j))?;
    Some(text.split(join).map(str::trim).collect())
}

/// A text that ends with a note in brackets, split into the words before the note and the
/// note: "Process owner (A)" is ("Process owner ", "A"). Labels, table headers and headings
/// with such a note are known by the words before it.
fn with_note(text: &str) -> Option<(&str, &str)> {
    let (head, rest) = text.split_once('(')?;
    let note = rest.trim_end().strip_suffix(')')?;
    (!head.trim().is_empty()).then_some((head, note))
}

/// Whether a paragraph opens with an item's marker: "(a) ", "a) ", "2) ", "(iv) ".
fn enumerated(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix('(').unwrap_or(t);
    t.split_once(')').is_some_and(|(marker, rest)| {
        (1..=4).contains(&marker.len())
            && marker.chars().all(|c| c.is_ascii_alphanumeric())
            && rest.starts_with(' ')
    })
}

/// `text` folded by `fold`; for a text whose whole is not among `known`: with a note in
/// brackets ([`with_note`]), the words before the note ("Process owner (A)" is "process
/// owner"); written as alternatives, the first alternative known ("Interest / requirements"
/// is "requirements" when only that is known).
fn fold_known<V>(
    text: &str,
    fold: impl Fn(&str) -> String,
    known: &std::collections::HashMap<String, V>,
) -> String {
    let whole = fold(text);
    if known.contains_key(&whole) {
        return whole;
    }
    if let Some((head, _)) = with_note(text) {
        return fold(head);
    }
    if text.contains('/') {
        if let Some(f) = text.split('/').map(&fold).find(|f| known.contains_key(f)) {
            return f;
        }
    }
    whole
}

/// A table header as the rules know it ([`fold_known`]); for a header that names two things
/// ("Attentes et exigences", "Needs and expectations"), its first known part.
fn fold_header<V>(text: &str, known: &std::collections::HashMap<String, V>) -> String {
    let whole = fold_known(text, fold_short, known);
    if known.contains_key(&whole) {
        return whole;
    }
    alternatives(&text.to_lowercase())
        .and_then(|parts| {
            parts
                .into_iter()
                .map(fold_short)
                .find(|f| known.contains_key(f))
        })
        .unwrap_or(whole)
}

fn fold_short(text: &str) -> String {
    if text.chars().count() > MAX_FOLD_CHARS {
        String::new()
    } else {
        fold(text)
    }
}

impl<'d> Prepared<'d> {
    fn new(doc: &'d Document, rules: &'d Rules, applies: &[bool]) -> Prepared<'d> {
        let all_labels = &rules.all_labels;
        let usable = Usable::new(doc);
        let mut header_folds: Vec<Vec<Vec<String>>> = Vec::with_capacity(doc.blocks.len());
        let mut labels = Vec::new();
        for (bi, block) in doc.blocks.iter().enumerate() {
            if let Some(label) = list_label(block) {
                listed_label_spots(doc, bi, label, &usable, all_labels, &mut labels);
            }
            let mut folds = Vec::new();
            match &block.kind {
                BlockKind::Table(table) => {
                    folds = table
                        .rows
                        .iter()
                        .take(HEADER_SCAN_ROWS)
                        .map(|row| {
                            row.iter()
                                .map(|c| fold_header(&c.text, &rules.index.headers))
                                .collect()
                        })
                        .collect();
                    let header_word = |text: &str| {
                        let f = fold_header(text, &rules.index.headers);
                        rules.index.headers.contains_key(&f) || all_labels.contains(&f)
                    };
                    table_label_spots(table, bi, &usable, all_labels, header_word, &mut labels);
                }
                BlockKind::Paragraph | BlockKind::ListItem { .. } => {
                    line_label_spots(block, bi, all_labels, &mut labels);
                }
                _ => {}
            }
            header_folds.push(folds);
        }
        let n = rules.rules.len();
        let index = &rules.index;
        let on = |r: u32| applies.get(r as usize).copied().unwrap_or(false);
        let mut label_hits: Vec<Hits> = vec![Vec::new(); n];
        for (si, spot) in labels.iter().enumerate() {
            for &(r, pos) in index
                .labels
                .get(&spot.folded)
                .map_or(&[][..], Vec::as_slice)
            {
                if let (true, Some(h)) = (on(r), label_hits.get_mut(r as usize)) {
                    h.push((u32::try_from(si).unwrap_or(u32::MAX), pos));
                }
            }
        }
        let mut heading_hits: Vec<Hits> = vec![Vec::new(); n];
        let mut heading_folds: Vec<(usize, String)> = Vec::new();
        let mut table_hits: Vec<TableHits<'d>> = Vec::with_capacity(doc.blocks.len());
        // Block `bi` opens the sections whose heading folds to `f`.
        let mut opens_sections = |bi: usize, f: &str| {
            for &(r, pos) in index.headings.get(f).map_or(&[][..], Vec::as_slice) {
                if let (true, Some(h)) = (on(r), heading_hits.get_mut(r as usize)) {
                    h.push((u32::try_from(bi).unwrap_or(u32::MAX), pos));
                }
            }
        };
        for (bi, b) in doc.blocks.iter().enumerate() {
            let mut th = TableHits::default();
            match &b.kind {
                BlockKind::Heading { .. } if b.text.chars().count() <= MAX_FOLD_CHARS => {
                    // "4. Interested parties (first pass)": the heading before its note.
                    let f = fold_known(&b.text, fold_heading, &index.headings);
                    if stated(b) {
                        opens_sections(bi, &f);
                    }
                    heading_folds.push((bi, f));
                }
                // A short line that names a section right above a list is its heading:
                // "Parties intéressées (première liste, à compléter)" then its items.
                BlockKind::Paragraph
                    if b.text.chars().count() <= MAX_FOLD_CHARS
                        && stated(b)
                        && matches!(
                            doc.blocks.get(bi + 1).map(|n| &n.kind),
                            Some(BlockKind::ListItem { .. })
                        ) =>
                {
                    let line = b.text.trim_end().trim_end_matches([':', '\u{ff1a}']);
                    opens_sections(bi, &fold_known(line, fold_heading, &index.headings));
                }
                BlockKind::Table(_) => {
                    for row in header_folds.get(bi).map_or(&[][..], Vec::as_slice) {
                        let cells: Vec<Option<&'d [ColumnHit]>> = row
                            .iter()
                            .map(|f| {
                                let hits = index.headers.get(f)?.as_slice();
                                th.rules
                                    .extend(hits.iter().map(|h| h.rule).filter(|&r| on(r)));
                                Some(hits)
                            })
                            .collect();
                        th.cells.push(cells);
                    }
                    th.rules.sort_unstable();
                    th.rules.dedup();
                }
                _ => {}
            }
            table_hits.push(th);
        }
        // Cells are read only by pattern rules that take cells, found by their own filter.
        let texts = if index.text.rules().iter().any(|&r| on(r)) {
            text_spots(doc, &usable, index.cells.rules().iter().any(|&r| on(r)))
        } else {
            Vec::new()
        };
        let mut text_hits: Vec<Vec<u32>> = vec![Vec::new(); n];
        let in_cells = texts.iter().filter(|t| t.cell).count();
        let mut blocks = index.text.scanner(texts.len() - in_cells);
        let mut cells = index.cells.scanner(in_cells);
        for (ti, spot) in texts.iter().enumerate() {
            // The text filter's rules are the pattern and classify rules, the cell filter's
            // the pattern rules that read cells: every candidate takes the text.
            let candidates = if spot.cell {
                cells.candidates(&spot.text)
            } else {
                blocks.candidates(&spot.text)
            };
            for &r in candidates {
                if let (true, Some(h)) = (on(r), text_hits.get_mut(r as usize)) {
                    h.push(u32::try_from(ti).unwrap_or(u32::MAX));
                }
            }
        }
        Prepared {
            header_folds,
            heading_folds,
            labels,
            usable,
            label_hits,
            heading_hits,
            table_hits,
            texts,
            text_hits,
            writers: std::cell::OnceCell::new(),
        }
    }
}

/// Who a document's "I" is, by where the writing starts: the sender of a memo or e-mail
/// ("From: Priya Raman, Director of Service Operations"), again for each message quoted in
/// it; the page's author ("Created by Hannah Okoye · Last edited ..."). Before the first such
/// line, the author in the document's properties. A sender that reads as no person's name
/// (a team's mailbox) is an unknown writer.
fn writers(doc: &Document) -> Vec<(usize, Option<String>)> {
    const OPENERS: &[&str] = &[
        "from:",
        "de :",
        "de:",
        "von:",
        "van:",
        "created by",
        "written by",
        "author:",
        "prepared by:",
        "prepared by",
    ];
    let mut out = vec![(0, doc.metadata.author.as_deref().and_then(person_name))];
    for (bi, b) in doc.blocks.iter().enumerate() {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        for line in b.lines() {
            let line = line.trim();
            let opens = |o: &&&str| {
                line.get(..o.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(o))
            };
            if let Some(opener) = OPENERS.iter().find(opens) {
                out.push((bi, line.get(opener.len()..).and_then(person_name)));
                break;
            }
        }
    }
    out
}

/// The writer of block `bi` ([`writers`]).
fn writer_at(writers: &[(usize, Option<String>)], bi: usize) -> Option<&str> {
    writers
        .iter()
        .rev()
        .find(|(at, _)| *at <= bi)
        .and_then(|(_, w)| w.as_deref())
}

/// The name at the start of `text` ("Tanya Whitcomb <tw@example.com>", "Priya Raman,
/// Director"): its first two to four capitalised words, else `None`.
fn person_name(text: &str) -> Option<String> {
    let end = text
        .find([',', '(', '|', '\u{b7}', '\u{2013}', '\u{2014}', ';'])
        .unwrap_or(text.len());
    let words: Vec<&str> = text[..end]
        .split_whitespace()
        .take_while(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
        })
        .collect();
    (2..=4).contains(&words.len()).then(|| words.join(" "))
}

/// The values of a `Label:` line with nothing after the colon (block `bi`), when a list
/// follows: each top-level item is a value of the label, unless the item is itself a known
/// label's line ("Budget: ...").
fn listed_label_spots<'d>(
    doc: &'d Document,
    bi: usize,
    label: &'d str,
    usable: &Usable<'d>,
    all_labels: &foldhash::HashSet<String>,
    labels: &mut Vec<LabelSpot<'d>>,
) {
    let Some(block) = doc.blocks.get(bi) else {
        return;
    };
    let items =
        doc.blocks.iter().skip(bi + 1).take_while(|b| {
            matches!(b.kind, BlockKind::ListItem { .. }) && b.region == block.region
        });
    for (ii, item) in items.enumerate() {
        if !matches!(item.kind, BlockKind::ListItem { depth: 0, .. }) || !stated(item) {
            continue;
        }
        let value = usable.block(bi + 1 + ii);
        let own_label = split_label(value).is_some_and(|(l, _)| {
            l.chars().count() <= MAX_FOLD_CHARS && all_labels.contains(&fold(l))
        });
        if value.is_empty() || own_label {
            continue;
        }
        labels.push(LabelSpot {
            folded: known_label(all_labels, label).unwrap_or_else(|| fold(label)),
            label,
            value: Cow::Borrowed(value),
            locator: Cow::Borrowed(&item.locator),
            value_folded: None,
            listed: true,
            at: (bi + 1 + ii, None),
        });
    }
}

/// The label cells of a table (block `bi`) that name a known label, with the cell after each
/// as its value. A label stands in a row's first non-empty cell (Label | Value), or in the
/// third of a four-cell row (Label | Value | Label | Value) whose first cell is a known label
/// too: in a data table with four columns (Role | Name | Job Title | Responsibilities) a job
/// title in the third cell is no label. The first row of a data table is its header
/// ("Organisation | Requirements"), not a label and its value: it is read as one only when at
/// least a third of the rows below start with a known label (a fact sheet, whose other rows
/// carry labels no rule asks for: "Company number", "Founded").
fn table_label_spots<'d>(
    table: &'d crate::document::Table,
    bi: usize,
    usable: &Usable<'d>,
    all_labels: &foldhash::HashSet<String>,
    header_word: impl Fn(&str) -> bool,
    labels: &mut Vec<LabelSpot<'d>>,
) {
    // Each row's first non-empty cell after its number ("3 | SMS manager | ..."), and its
    // folded text when that is a known label (folded into one scratch buffer: most first
    // cells are not).
    let mut scratch = String::new();
    let firsts: Vec<(Option<usize>, Option<String>)> = table
        .rows
        .iter()
        .map(|row| {
            let first = row
                .iter()
                .position(|c| !c.text.trim().is_empty() && !is_numbering(&c.text));
            let folded = first
                .and_then(|i| row.get(i))
                .filter(|c| c.text.chars().count() <= MAX_FOLD_CHARS)
                .and_then(|c| {
                    scratch.clear();
                    fold_into(&c.text, MAX_FOLD_CHARS * 2, &mut scratch);
                    if all_labels.contains(scratch.as_str()) {
                        Some(scratch.clone())
                    } else if c.text.contains('(') || alternatives(&c.text).is_some() {
                        known_label(all_labels, &c.text)
                    } else {
                        None
                    }
                });
            (first, folded)
        })
        .collect();
    let known = |f: &Option<String>| f.as_ref().is_some_and(|f| all_labels.contains(f));
    let below = table.rows.len().saturating_sub(1);
    let labelled = firsts.iter().skip(1).filter(|(_, f)| known(f)).count();
    // A first row is the table's header unless it is itself a fact: a known label beside a
    // value that reads as no column heading, having a comma, a digit, or three words with two
    // capitalised ("Patrocinador | Cristián Poblete Soto, Vicerrector", "Statutaire naam |
    // Stichting Woongoed IJsselkring"; not "Organisation | Requirements" or "Locations | Staff
    // per site").
    let fact_like = |v: &str| {
        let capitalised = v
            .split_whitespace()
            .filter(|w| w.starts_with(char::is_uppercase))
            .count();
        v.contains(',')
            || v.contains(|c: char| c.is_ascii_digit())
            || (v.split_whitespace().nth(2).is_some() && capitalised >= 2)
    };
    let first_is_fact = firsts.first().is_some_and(|(first, folded)| {
        known(folded)
            && first
                .and_then(|i| table.rows.first()?.get(i + 1))
                .is_some_and(|v| fact_like(&v.text) && !header_word(&v.text))
    });
    let header_row = below > 0 && labelled * 3 < below && !first_is_fact;
    let rows = table.rows.iter().zip(&firsts).enumerate();
    for (ri, (row, (first, first_folded))) in rows.skip(usize::from(header_row)) {
        let third = (row.len() == 4 && *first == Some(0) && known(first_folded)).then_some(2);
        for i in [*first, third].into_iter().flatten() {
            let (Some(cell), Some(vc)) = (row.get(i), row.get(i + 1)) else {
                continue;
            };
            if cell.highlighted || cell.text.chars().count() > 80 {
                continue;
            }
            let folded = if Some(i) == *first {
                first_folded.clone().unwrap_or_default()
            } else {
                known_label(all_labels, &cell.text).unwrap_or_default()
            };
            if !all_labels.contains(&folded) {
                continue;
            }
            let value = usable.cell(bi, ri, i + 1);
            if value.is_empty() || vc.text == cell.text {
                continue;
            }
            let value =
                record_text(vc.lines(), vc.breaks.len()).map_or(Cow::Borrowed(value), Cow::Owned);
            labels.push(LabelSpot {
                folded,
                label: &cell.text,
                value_folded: Some(fold_short(&value)),
                value,
                locator: Cow::Borrowed(&vc.locator),
                listed: false,
                at: (bi, Some(ri)),
            });
        }
    }
}

/// Whether a cell only numbers its row: "3", "3.2", "Q3", "#3", "a)".
fn is_numbering(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['.', ')']);
    let t = t.strip_prefix(['Q', 'q', '#']).unwrap_or(t);
    let letter = t.len() == 1 && t.chars().all(|c| c.is_ascii_lowercase());
    let number = !t.is_empty()
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.starts_with(|c: char| c.is_ascii_digit());
    letter || number
}

/// The `Label: value` lines of a paragraph or list item (block `bi`): each line may be one
/// ("Legal name: X" then "Industry: Y" in one paragraph with line breaks).
fn line_label_spots<'d>(
    block: &'d Block,
    bi: usize,
    all_labels: &foldhash::HashSet<String>,
    labels: &mut Vec<LabelSpot<'d>>,
) {
    if block.highlighted || block.region == Region::Comment {
        return;
    }
    let lines: Vec<&str> = block.lines().collect();
    for (li, line) in lines.iter().copied().enumerate() {
        // A known label alone on its line gives the next line ("Responsable del SGS:" then
        // "Lucía Ferrández Ibarra, Jefa de Gestión del Servicio TI" after a line break).
        let own_line = line
            .trim_end()
            .strip_suffix([':', '\u{ff1a}'])
            .filter(|l| known_label(all_labels, l.trim()).is_some());
        // The next line is the value when it is short and no sentence: a name, a number.
        let next_line = lines.get(li + 1).map(|n| n.trim()).filter(|n| {
            !n.is_empty()
                && split_label(n).is_none()
                && !n.ends_with([':', '\u{ff1a}'])
                && n.split_whitespace().count() <= 12
                && !(n.ends_with('.') && n.split_whitespace().count() > 4)
        });
        if let (Some(label), Some(value)) = (own_line, next_line) {
            labels.push(LabelSpot {
                folded: known_label(all_labels, label.trim()).unwrap_or_else(|| fold(label)),
                label: label.trim(),
                value: Cow::Borrowed(value),
                locator: line_locator(&block.locator, li + 1),
                value_folded: None,
                listed: false,
                at: (bi, None),
            });
            continue;
        }
        let Some((mut label, mut value)) = split_label(line) else {
            continue;
        };
        loop {
            // "Executive sponsor: Ms. R. Iyer, CIO. SMS Manager: Mr. S. Rao" and "Status: Draft -
            // Sponsor: Ana Ruiz": the value ends where the next known label begins.
            let next = next_label(value, all_labels);
            let (own, rest) = match next {
                Some((cut, after)) => (value[..cut].trim_end(), Some(after)),
                None => (value, None),
            };
            labels.push(LabelSpot {
                folded: known_label(all_labels, label).unwrap_or_else(|| fold(label)),
                label,
                value: Cow::Borrowed(own),
                locator: line_locator(&block.locator, li),
                value_folded: None,
                listed: false,
                at: (bi, None),
            });
            match rest.and_then(split_label) {
                Some((l, v)) => (label, value) = (l, v),
                None => break,
            }
        }
    }
}

/// Where a known label starts again in a label's value, after a sentence end or a separator
/// ("... CIO. SMS Manager: ...", "Draft - Sponsor: ...", "x | Owner: ..."): the byte the value
/// ends at, and the text from the next label on.
fn next_label<'t>(
    value: &'t str,
    all_labels: &foldhash::HashSet<String>,
) -> Option<(usize, &'t str)> {
    const SEPARATORS: [&str; 6] = [". ", "; ", " - ", " \u{2013} ", " | ", " \u{b7} "];
    let mut from = 0;
    while let Some((at, sep)) = SEPARATORS
        .iter()
        .filter_map(|sep| value.get(from..)?.find(sep).map(|i| (from + i, sep.len())))
        .min()
    {
        let after = value.get(at + sep..).unwrap_or("");
        let colon = after.find(':').filter(|&c| c > 0 && c <= 60);
        if let Some(c) = colon {
            let candidate = &after[..c];
            if !candidate.contains(['.', ';', '|']) && known_label(all_labels, candidate).is_some()
            {
                return Some((at, after));
            }
        }
        from = at + sep;
    }
    None
}

/// The usable texts a pattern or classify rule may read, in document order: every text
/// block's, and with `cells` every table cell's.
fn text_spots<'d>(doc: &'d Document, usable: &Usable<'d>, cells: bool) -> Vec<TextSpot<'d>> {
    let mut texts = Vec::new();
    for (bi, b) in doc.blocks.iter().enumerate() {
        if is_text(b) {
            let t = usable.block(bi);
            if !t.is_empty() {
                texts.push(TextSpot {
                    text: record_text(b.lines(), b.breaks.len())
                        .map_or(Cow::Borrowed(t), Cow::Owned),
                    locator: &b.locator,
                    block: bi,
                    cell: false,
                    row: None,
                });
            }
        } else if let (true, BlockKind::Table(table)) = (cells, &b.kind) {
            for (ri, row) in table.rows.iter().enumerate() {
                for (ci, cell) in row.iter().enumerate() {
                    let t = usable.cell(bi, ri, ci);
                    if !t.is_empty() {
                        texts.push(TextSpot {
                            text: record_text(cell.lines(), cell.breaks.len())
                                .map_or(Cow::Borrowed(t), Cow::Owned),
                            locator: &cell.locator,
                            block: bi,
                            cell: true,
                            row: Some(ri),
                        });
                    }
                }
            }
        }
    }
    texts
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

/// Names and their text for one match: names borrowed from the rules, text borrowed from the
/// document where it can be (a cell, a capture of a cell) and owned where it was made here.
#[derive(Debug, Default, Clone)]
struct Vars<'a>(Vec<(&'a str, Cow<'a, str>)>);

impl<'a> Vars<'a> {
    fn set(&mut self, k: &'a str, v: impl Into<Cow<'a, str>>) {
        let v = v.into();
        match self.0.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }
    fn get(&self, k: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.as_ref())
    }
    /// The text of `k`, read at slot `at` when `k` is known to stand there.
    fn at(&self, at: Option<usize>, k: &str) -> Option<&str> {
        match at {
            Some(i) => self.0.get(i).map(|(_, v)| v.as_ref()),
            None => self.get(k),
        }
    }
    /// [`Vars::get_cow`], read at slot `at` when `k` is known to stand there.
    fn cow_at(&self, at: Option<usize>, k: &str) -> Cow<'a, str> {
        match at.and_then(|i| self.0.get(i)) {
            Some((_, v)) => v.clone(),
            None => self.get_cow(k),
        }
    }
    /// The text of `k` as stored (cheap to clone when it borrows the document).
    fn get_cow(&self, k: &str) -> Cow<'a, str> {
        self.0
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or(Cow::Borrowed(""))
    }
    /// Sets every named group of `re` from `caps`, a match on `text`.
    #[allow(
        clippy::ptr_arg,
        reason = "whether the text borrows the document decides whether the groups can"
    )]
    fn add_captures(&mut self, re: &'a Regex, caps: &Captures<'_>, text: &Cow<'a, str>) {
        for name in re.capture_names().flatten() {
            let value = match (caps.name(name), text) {
                (None, _) => Cow::Borrowed(""),
                (Some(m), Cow::Borrowed(t)) => Cow::Borrowed(t.get(m.range()).unwrap_or("")),
                (Some(m), Cow::Owned(_)) => Cow::Owned(m.as_str().to_string()),
            };
            self.set(name, value);
        }
    }
}

/// Whether `re` matches `text`, setting its named groups in `vars` when it does. The DFA
/// answers whether; the slower captures search runs only on a match of a regex with names.
#[allow(
    clippy::ptr_arg,
    reason = "whether the text borrows the document decides whether the groups can"
)]
fn filter<'a>(vars: &mut Vars<'a>, re: &'a Regex, text: &Cow<'a, str>) -> bool {
    re.is_match(text) && add_groups(vars, re, text)
}

/// For a regex known to match `text`: sets its named groups in `vars` (false only if the
/// captures search disagrees, which it cannot).
#[allow(
    clippy::ptr_arg,
    reason = "whether the text borrows the document decides whether the groups can"
)]
fn add_groups<'a>(vars: &mut Vars<'a>, re: &'a Regex, text: &Cow<'a, str>) -> bool {
    if re.capture_names().flatten().next().is_none() {
        return true;
    }
    match re.captures(text) {
        Some(caps) => {
            vars.add_captures(re, &caps, text);
            true
        }
        None => false,
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
    /// The rule's index in the rule set.
    ri: usize,
    rules_index: &'a super::index::RuleIndex,
    all_labels: &'a HashSet<String>,
    doc: &'a Document,
    prep: &'a Prepared<'a>,
    out: &'a mut Vec<Candidate>,
    /// The (field, value key) pairs already emitted.
    seen: HashSet<(&'static str, String)>,
    count: usize,
    /// The block (and table row) the next candidates come from: set by each rule kind before
    /// it emits, so the judge can read the text around a value.
    at: (usize, Option<usize>),
    /// What the next candidates stand for when their text may differ (a keyword's product).
    same_as: Option<String>,
    /// Where in the block's text the next candidates' match starts, when known.
    offset: Option<usize>,
    /// Whether the next candidates' evidence says they are the only choice.
    sole: bool,
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
        if !self.seen.insert((field.pointer, dedup_key(&value))) {
            return;
        }
        self.count += 1;
        self.out.push(Candidate {
            field: field.pointer.to_string(),
            value,
            file: self.doc.path.clone(),
            locator: locator_text(locator),
            rule: self.rule.id.clone(),
            how,
            priority: self.rule.priority,
            shape: self.rule.shape,
            block: self.at.0,
            row: self.at.1,
            same_as: self.same_as.clone(),
            at: self.offset,
            stand_in: self.rule.stand_in,
            sole: self.sole,
        });
    }
}

/// A locator as text, written into a buffer sized for the usual locator
/// (`word/document.xml table 3 row 12 cell 2`) instead of grown piece by piece.
fn locator_text(locator: &Locator) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(64);
    // Writing into a String cannot fail.
    let _ = write!(text, "{locator}");
    text
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
                _ if field.shape == Shape::Person => Some(Value::String(name_in_order(&s, false))),
                _ if field.shape == Shape::Place => Some(Value::String(place_name(&s))),
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
                        // The record's name (its first key) has the field's shape.
                        let name_key = matches!(field.kind, FieldKind::RecordList(keys) if keys.first() == Some(&k.as_str()));
                        let shape = if name_key {
                            Some(field.shape)
                        } else {
                            field.member_shape(k)
                        };
                        let s = match shape {
                            Some(Shape::Person) => name_in_order(&s, name_key),
                            Some(Shape::Place) => place_name(&s),
                            _ => s,
                        };
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
    // Most text has none of the separators' bytes (':', the fullwidth colon's lead byte, '-',
    // the dashes' lead byte): one quick pass says so.
    if memchr::memchr3(b':', b'-', 0xE2, text.as_bytes()).is_none()
        && memchr::memchr(0xEF, text.as_bytes()).is_none()
    {
        return None;
    }
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
struct Header<'r> {
    row: usize,
    /// Column key -> cell index, and whether the header matched the canonical name.
    cols: Vec<(&'r str, usize, bool)>,
}

impl Header<'_> {
    fn index(&self, key: &str) -> Option<usize> {
        self.cols
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, i, _)| *i)
    }
}

fn present(t: &TableRule, cols: &[(&str, usize, bool)], name: &str) -> bool {
    if cols.iter().any(|(k, _, _)| *k == name) {
        return true;
    }
    t.combine
        .iter()
        .find(|(k, _)| k == name)
        .is_some_and(|(_, tmpl)| tmpl.names().all(|n| cols.iter().any(|(k, _, _)| *k == n)))
}

/// The first row near the top of a table that names every column the rule needs, from the
/// cells' column hits (see [`TableHits`]).
fn find_header<'r>(t: &'r TableRule, rule: usize, hits: &TableHits<'_>) -> Option<Header<'r>> {
    let rule = u32::try_from(rule).ok()?;
    hits.rules.binary_search(&rule).ok()?;
    for (r, row) in hits.cells.iter().enumerate() {
        // When two cells mean the same column (a register with both "Category" and "Type"),
        // the one whose synonym is listed first wins; on a tie, the leftmost.
        let mut cols: Vec<(&str, usize, bool)> = Vec::with_capacity(row.len());
        let mut ranks: Vec<u32> = Vec::with_capacity(row.len());
        for (i, cell) in row.iter().enumerate() {
            let Some(hit) = cell.and_then(|hs| hs.iter().find(|h| h.rule == rule)) else {
                continue;
            };
            let Some(column) = t.columns.get(hit.column as usize) else {
                continue;
            };
            let (key, exact, rank) = (column.key.as_str(), hit.exact, hit.rank);
            match cols.iter().position(|(k, _, _)| *k == key) {
                None => {
                    cols.push((key, i, exact));
                    ranks.push(rank);
                }
                Some(j) => {
                    if let (Some(c), Some(r)) = (cols.get_mut(j), ranks.get_mut(j)) {
                        if rank < *r {
                            *c = (key, i, exact);
                            *r = rank;
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
    // A row count in progress: the count, and the locator and index of the table it started in.
    let mut pending: Option<(u64, &Locator, usize)> = None;
    // For `only`: the distinct values the document's passing rows give (two are enough), with
    // where each was found.
    let mut only: Vec<(String, Value, Locator, Spot)> = Vec::new();
    // The output names' texts of the rows already rendered (see the row loop).
    let mut tried: HashSet<String> = HashSet::new();
    let mut memo_key = String::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        let BlockKind::Table(table) = &block.kind else {
            continue;
        };
        let found = em
            .prep
            .table_hits
            .get(bi)
            .and_then(|hits| find_header(t, em.ri, hits));
        let (header, start, header_row) = match found {
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
        // Combined names the header does not give as a column of their own.
        let combines: Vec<&(String, super::template::Template)> = t
            .combine
            .iter()
            .filter(|(k, _)| header.index(k).is_none())
            .collect();
        let mut count: u64 = 0;
        // The header row's text in each mapped column: a row that repeats it is no record.
        let heads: Vec<&str> = header
            .cols
            .iter()
            .map(|(_, idx, _)| {
                header_row
                    .and_then(|h| h.get(*idx))
                    .map_or("", |c| c.text.trim())
            })
            .collect();
        // One buffer for every row's names. The header's columns come first, in order, so a
        // name that is a column is read at its column's slot, without a search by name
        // (`set` changes a name's text in place; nothing is removed).
        let mut vars = Vars(Vec::with_capacity(header.cols.len() + t.optional.len() + 4));
        let slot = |n: &str| header.cols.iter().position(|(k, _, _)| *k == n);
        let needed: Vec<(Option<usize>, &str)> =
            t.needed.iter().map(|n| (slot(n), n.as_str())).collect();
        let filter_slots: Vec<Option<usize>> = t.filters.iter().map(|(c, _)| slot(c)).collect();
        let unless_slots: Vec<Option<usize>> = t.unless.iter().map(|(c, _)| slot(c)).collect();
        let output_slots: Vec<(Option<usize>, &str)> =
            output_names.iter().map(|n| (slot(n), *n)).collect();
        // Optional names the header lacks: empty in every row.
        let mut missing: Vec<&str> = Vec::new();
        for o in &t.optional {
            if slot(o).is_none() && !missing.contains(&o.as_str()) {
                missing.push(o);
            }
        }
        // Names whose text a row's cells alone do not fix: made by a combination, or by a
        // filter's group.
        let made = |n: &str| {
            combines.iter().any(|(k, _)| k == n)
                || t.filters
                    .iter()
                    .any(|(_, re)| re.capture_names().flatten().any(|g| g == n))
        };
        // Every check below only skips a row, so their order does not matter: the first
        // filter, on a column of the header, is asked first, from the cell itself, and most
        // rows of an HR export (every one not holding the job title a rule looks for) are
        // skipped before their names are set up.
        let early_filter: Option<usize> = filter_slots
            .first()
            .copied()
            .flatten()
            .and_then(|at| header.cols.get(at))
            .map(|(_, idx, _)| *idx);
        // A row whose output names hold what an earlier rendered row's held is skipped below;
        // when those names are the row's cells (or always empty), that is known at once too.
        let early_key: Option<Vec<Option<usize>>> = if matches!(
            t.aggregate,
            Aggregate::Rows | Aggregate::Distinct | Aggregate::First
        ) {
            output_slots
                .iter()
                .map(|&(at, n)| match at {
                    Some(at) if !made(n) => header.cols.get(at).map(|(_, idx, _)| Some(*idx)),
                    None if missing.contains(&n) && !made(n) => Some(None),
                    _ => None,
                })
                .collect()
        } else {
            None
        };
        for (ri, row) in table.rows.iter().enumerate().skip(start) {
            if em.full() {
                return;
            }
            let texts = em.prep.usable.row(bi, ri, row.len());
            if let (Some(idx), Some((_, re))) = (early_filter, t.filters.first()) {
                let text = texts.get(idx).copied().unwrap_or("");
                if !re.is_match(text) {
                    continue;
                }
            }
            if let Some(parts) = &early_key {
                memo_key.clear();
                for part in parts {
                    if let Some(idx) = part {
                        memo_key.push_str(texts.get(*idx).copied().unwrap_or(""));
                    }
                    memo_key.push('\u{1}');
                }
                if tried.contains(&memo_key) {
                    continue;
                }
            }
            vars.0.clear();
            let mut repeats_header = true;
            for ((key, idx, _), head) in header.cols.iter().zip(&heads) {
                let text = texts.get(*idx).copied().unwrap_or("");
                if !text.eq_ignore_ascii_case(head) {
                    repeats_header = false;
                }
                // Columns are distinct names (see `find_header`).
                vars.0.push((key, Cow::Borrowed(text)));
            }
            if repeats_header {
                continue;
            }
            for o in &missing {
                vars.0.push((o, Cow::Borrowed("")));
            }
            for (k, tmpl) in &combines {
                let v = tmpl.render(|n| vars.get(n));
                vars.set(k.as_str(), v);
            }
            if let Some(mark) = &t.matrix {
                // A role matrix: the person or role is the header of the first column the
                // header does not map whose cell in this row carries the mark ("A").
                let marked = (0..row.len())
                    .filter(|i| !header.cols.iter().any(|(_, idx, _)| idx == i))
                    .find(|&i| mark.is_match(texts.get(i).copied().unwrap_or("")));
                let head = marked
                    .and_then(|i| header_row.and_then(|h| h.get(i)))
                    .map_or("", |c| c.text.trim());
                if head.is_empty() {
                    continue;
                }
                vars.set("column", head);
            }
            if needed
                .iter()
                .all(|&(at, n)| vars.at(at, n).unwrap_or("").is_empty())
            {
                continue;
            }
            let mut pass = true;
            for ((col, re), &at) in t.filters.iter().zip(&filter_slots) {
                let text = vars.cow_at(at, col);
                if !re.is_match(&text) || !add_groups(&mut vars, re, &text) {
                    pass = false;
                    break;
                }
            }
            if !pass
                || t.unless
                    .iter()
                    .zip(&unless_slots)
                    .any(|((col, re), &at)| re.is_match(&vars.cow_at(at, col)))
            {
                continue;
            }
            // A row whose output names hold what an earlier row's held renders the same value,
            // which the emitter would drop as a repeat: skip the rendering.
            if matches!(
                t.aggregate,
                Aggregate::Rows | Aggregate::Distinct | Aggregate::First
            ) {
                memo_key.clear();
                for &(at, n) in &output_slots {
                    match vars.at(at, n) {
                        Some(v) => memo_key.push_str(v),
                        None => memo_key.push('\u{2}'),
                    }
                    memo_key.push('\u{1}');
                }
                if tried.contains(&memo_key) {
                    continue;
                }
                tried.insert(memo_key.clone());
            }
            let locator = row_locator(&header, row, &output_names, t, block);
            em.at = (bi, Some(ri));
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
                        if only.len() < 2 && !only.iter().any(|(k, _, _, _)| *k == key) {
                            only.push((key, v, locator, em.at));
                        }
                    }
                }
            }
        }
        if t.aggregate == Aggregate::Count {
            let (before, loc, start) = pending.unwrap_or((0, &block.locator, bi));
            pending = Some((before + count, loc, start));
        }
    }
    flush_count(em, t, pending);
    if let [(_, value, locator, at)] = only.as_slice() {
        em.at = *at;
        em.push(em.rule.target, value.clone(), locator, MatchKind::Derived);
    }
}

/// Emits a row count (of a table and the tables that continue it), if any rows counted.
fn flush_count(em: &mut Emitter<'_>, t: &TableRule, pending: Option<(u64, &Locator, usize)>) {
    if let Some((count, locator, bi)) = pending.filter(|(n, _, _)| *n > 0) {
        em.at = (bi, None);
        let mut vars = Vars::default();
        vars.set("count", count.to_string());
        em.emit(&t.output, &vars, locator, MatchKind::Derived);
    }
}

/// The locator of the cell holding the first name the output uses, else the row's first
/// mapped cell, else the table.
fn row_locator(
    header: &Header<'_>,
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
    keys.extend(header.cols.iter().map(|(k, _, _)| *k));
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
    let hits = prep.label_hits.get(em.ri).map_or(&[][..], Vec::as_slice);
    for &(si, pos) in hits {
        if em.full() {
            return;
        }
        let Some(spot) = prep.labels.get(si as usize) else {
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
        em.at = spot.at;
        label_value(em, l, spot.label, &spot.value, &spot.locator, how);
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
        if !em.rule.target.kind.is_list() && crate::judge::says_open(lead) {
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
        Some(re) => split_outside_brackets(re, value)
            .into_iter()
            .map(|p| trim_item_end(trim_enumerator(p.trim())))
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
            if !filter(&mut vars, re, &Cow::Borrowed(part)) {
                continue;
            }
        }
        em.emit(&l.output, &vars, locator, how);
    }
}

/// Splits `text` at the matches of `re` that stand outside brackets: "Sheffield (Cutlers
/// Court, S1 2HH), Leeds" split at commas is "Sheffield (Cutlers Court, S1 2HH)" and "Leeds".
fn split_outside_brackets<'t>(re: &Regex, text: &'t str) -> Vec<&'t str> {
    split_at(text, separators(re, text))
}

/// Splits a list written in a sentence as [`split_outside_brackets`] does, except that where
/// some members are separated by semicolons only those separate: the commas are then inside
/// members ("our staff; suppliers, notably Pax8 and ConnectWise; the ICO").
fn split_sentence_list<'t>(re: &Regex, text: &'t str) -> Vec<&'t str> {
    let mut seps = separators(re, text);
    if seps.iter().any(|m| m.as_str().contains(';')) {
        seps.retain(|m| m.as_str().contains(';'));
    }
    split_at(text, seps)
}

/// The matches of `re` in `text` that end outside brackets: "Madrid (head office), Valencia"
/// splits at "), " with `\)\s*,\s*`, a comma inside "(Cutlers Court, S1 2HH)" does not.
fn separators<'t>(re: &Regex, text: &'t str) -> Vec<regex::Match<'t>> {
    // The bracket depth before each byte.
    let mut depth_at = Vec::with_capacity(text.len() + 1);
    let mut depth = 0i32;
    for b in text.bytes() {
        depth_at.push(depth);
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    depth_at.push(depth);
    re.find_iter(text)
        .filter(|m| depth_at.get(m.end()).copied().unwrap_or(0) == 0)
        .collect()
}

fn split_at<'t>(text: &'t str, separators: Vec<regex::Match<'t>>) -> Vec<&'t str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for m in separators {
        if m.start() < start {
            continue;
        }
        parts.push(&text[start..m.start()]);
        start = m.end();
    }
    parts.push(&text[start..]);
    parts
}

/// A list member without the letter or number that enumerates it inline: "(a) customer
/// contracts", "b) tender rules", "(iii) audits".
fn trim_enumerator(item: &str) -> &str {
    let rest = item.strip_prefix('(').unwrap_or(item);
    let Some((mark, after)) = rest.split_once(')') else {
        return item;
    };
    let roman = !mark.is_empty() && mark.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    let letter = mark.chars().count() == 1 && mark.chars().all(|c| c.is_ascii_lowercase());
    let number = !mark.is_empty() && mark.len() <= 2 && mark.chars().all(|c| c.is_ascii_digit());
    if (roman || letter || number) && after.starts_with(' ') {
        after.trim_start()
    } else {
        item
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
    let hits = em
        .prep
        .heading_hits
        .get(em.ri)
        .map_or(&[][..], Vec::as_slice);
    // Sections opened by a heading: the blocks under it, to the next heading of its level or
    // higher. Sections opened by a lead-in line ("... for the following reasons:"): the list
    // right under it.
    let mut sections: Vec<(usize, MatchKind, Vec<usize>)> = Vec::new();
    for &(i, pos) in hits {
        let i = i as usize;
        let how = if pos == 0 {
            MatchKind::Exact
        } else {
            MatchKind::Synonym
        };
        let body = match blocks.get(i).map(|b| &b.kind) {
            Some(BlockKind::Heading { level }) => (i + 1..blocks.len())
                .take_while(
                    |&j| !matches!(blocks[j].kind, BlockKind::Heading { level: l } if l <= *level),
                )
                .collect(),
            // A line that names the section: the list right under it.
            Some(BlockKind::Paragraph) => (i + 1..blocks.len())
                .take_while(|&j| matches!(blocks[j].kind, BlockKind::ListItem { .. }))
                .collect(),
            _ => continue,
        };
        sections.push((i, how, body));
    }
    if !s.lead_ins.is_empty() {
        for (i, b) in blocks.iter().enumerate() {
            if !matches!(b.kind, BlockKind::Paragraph) || !stated(b) {
                continue;
            }
            let text = b.text.trim_end();
            if !text.ends_with([':', '\u{ff1a}']) || text.chars().count() > 400 {
                continue;
            }
            if !s.lead_ins.iter().any(|l| l.is_match(text)) {
                continue;
            }
            let mut body: Vec<usize> = (i + 1..blocks.len())
                .take_while(|&j| matches!(blocks[j].kind, BlockKind::ListItem { .. }))
                .collect();
            if body.is_empty() {
                // Items written as paragraphs: "(a) the agreement requires ...", "2) ...".
                body = (i + 1..blocks.len())
                    .take_while(|&j| {
                        matches!(blocks[j].kind, BlockKind::Paragraph)
                            && enumerated(&blocks[j].text)
                    })
                    .collect();
            }
            sections.push((i, MatchKind::Synonym, body));
        }
    }
    for (i, how, body) in sections {
        let Some(b) = blocks.get(i) else { continue };
        let mut items: Vec<(&str, &Locator, usize)> = Vec::new();
        let mut paras: Vec<(&str, &Locator, usize)> = Vec::new();
        let mut all: Vec<(&str, &Locator, usize)> = Vec::new();
        for xi in body {
            let Some(x) = blocks.get(xi).filter(|x| stated(x)) else {
                continue;
            };
            let text = em.prep.usable.block(xi);
            if text.is_empty() {
                continue;
            }
            if matches!(x.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
                all.push((text, &x.locator, xi));
            }
            match x.kind {
                BlockKind::ListItem { depth: 0, .. } => items.push((text, &x.locator, xi)),
                BlockKind::Paragraph => paras.push((text, &x.locator, xi)),
                _ => {}
            }
        }
        fn own<'l>(list: &[(&str, &'l Locator, usize)]) -> Vec<(String, &'l Locator, usize)> {
            list.iter()
                .map(|(t, l, xi)| (t.to_string(), *l, *xi))
                .collect()
        }
        let taken: Vec<(String, &Locator, usize)> = match s.take {
            Take::Items => own(&items),
            Take::Paragraphs => own(&paras),
            Take::ItemsOrParagraphs => own(if items.is_empty() { &paras } else { &items }),
            Take::FirstParagraph => own(paras
                .get(..1)
                .filter(|p| !p.is_empty())
                .unwrap_or(items.get(..1).unwrap_or(&[]))),
            Take::Text => match all.first() {
                Some((_, loc, xi)) => {
                    let mut joined = String::new();
                    for (t, _, _) in &all {
                        if joined.len() > MAX_SECTION_TEXT * 4 {
                            break;
                        }
                        if !joined.is_empty() {
                            joined.push(' ');
                        }
                        joined.push_str(t);
                    }
                    vec![(truncate(&joined, MAX_SECTION_TEXT), *loc, *xi)]
                }
                None => Vec::new(),
            },
        };
        for (text, loc, xi) in taken {
            em.at = (xi, None);
            let mut vars = Vars::default();
            // `{lines}`: the block's lines one per line, for values such as an address.
            if let Some(x) = blocks.get(xi).filter(|x| !x.breaks.is_empty()) {
                vars.set("lines", x.lines().collect::<Vec<_>>().join("\n"));
            } else {
                vars.set("lines", text.clone());
            }
            vars.set("text", text.as_str());
            vars.set("heading", b.text.as_str());
            if let Some(re) = &s.pattern {
                if !filter(&mut vars, re, &Cow::Borrowed(text.as_str())) {
                    continue;
                }
            }
            if let Some(unless) = &s.unless {
                let checked = match &s.split {
                    Some((_, group)) => vars.get(group).unwrap_or(""),
                    None => text.as_str(),
                };
                if unless.is_match(checked) {
                    continue;
                }
            }
            match &s.split {
                Some((re, group)) => emit_parts(em, &s.output, &mut vars, (re, group), loc, how),
                None => em.emit(&s.output, &vars, loc, how),
            }
        }
    }
}

/// One record per part of the group that `split` splits: "customers, partners and vendors".
fn emit_parts<'a>(
    em: &mut Emitter<'_>,
    output: &Output,
    vars: &mut Vars<'a>,
    (re, group): (&Regex, &'a String),
    loc: &Locator,
    how: MatchKind,
) {
    let whole = vars.get(group).unwrap_or("").to_string();
    for part in split_sentence_list(re, &whole) {
        let part = part.trim();
        if !part.is_empty() && !is_placeholder(part) {
            vars.set(group.as_str(), part.to_string());
            em.emit(output, vars, loc, how);
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
    let prep = em.prep;
    let hits = prep.text_hits.get(em.ri).map_or(&[][..], Vec::as_slice);
    let doc = em.doc;
    let sort_of = |spot: &TextSpot<'_>| {
        if spot.cell {
            return BlockSort::Cell;
        }
        match doc.blocks.get(spot.block).map(|b| &b.kind) {
            Some(BlockKind::Heading { .. }) => BlockSort::Heading,
            Some(BlockKind::ListItem { .. }) => BlockSort::ListItem,
            _ => BlockSort::Paragraph,
        }
    };
    let texts = hits
        .iter()
        .filter_map(|&ti| prep.texts.get(ti as usize))
        .filter(|spot| p.blocks.is_empty() || p.blocks.contains(&sort_of(spot)))
        .map(|spot| {
            let own = matches!(spot.text, Cow::Borrowed(_)) && !spot.cell;
            (
                spot.text.as_ref(),
                spot.locator,
                (spot.block, spot.row),
                own,
            )
        });
    let uses_writer = p.output.names().contains(&"writer");
    for (text, loc, at, own) in texts {
        em.at = at;
        // A match's offset is only meaningful in the block's own text (not a record's joined
        // lines, nor a cell). The usable text is the block's text trimmed: the offset is
        // counted from where it starts in the block (found once the text matches).
        let mut base: Option<Option<usize>> = None;
        // Most texts do not match; the DFA says so far faster than a captures search.
        if !p.regex.is_match(text) {
            continue;
        }
        for caps in p.regex.captures_iter(text) {
            if em.full() {
                return;
            }
            let start = *base.get_or_insert_with(|| {
                doc.blocks
                    .get(at.0)
                    .and_then(|b| b.text.find(text))
                    .filter(|_| own)
            });
            em.offset = start.zip(caps.get(0)).map(|(b, m)| b + m.start());
            let mut vars = Vars::default();
            let whole = caps.get(0).map(|m| m.as_str()).unwrap_or("");
            if p.within.as_ref().is_some_and(|w| !w.is_match(whole)) {
                continue;
            }
            if let Some((short, name)) = &p.short_form {
                let group = |g: &str| caps.name(g).map_or("", |m| m.as_str());
                if !is_short_form(group(short), group(name)) {
                    continue;
                }
            }
            vars.set("match", whole);
            if uses_writer {
                let writers = prep.writers.get_or_init(|| writers(doc));
                if let Some(w) = writer_at(writers, at.0) {
                    vars.set("writer", w);
                }
            }
            vars.add_captures(&p.regex, &caps, &Cow::Borrowed(text));
            // A keyword rule knows the product a spelling names: candidates that spell it
            // differently ("Office 365", "Microsoft 365") are one item to the merge.
            em.same_as = None;
            if let Some(words) = &p.keywords {
                let Some((give, spelling)) = words.get(&fold(whole)) else {
                    continue;
                };
                vars.set("keyword", give.as_str());
                vars.set("spelling", spelling.as_str());
                em.same_as = Some(give.clone());
            }
            match (&p.split, &p.split_group) {
                (Some(re), Some(group)) => {
                    emit_parts(
                        em,
                        &p.output,
                        &mut vars,
                        (re, group),
                        loc,
                        MatchKind::Pattern,
                    );
                }
                (Some(re), None) => {
                    let Some(Value::String(v)) = render_output(&p.output, em.rule.target, &vars)
                    else {
                        continue;
                    };
                    // Items after the first lost their capital only by standing mid-sentence
                    // ("Incident management and change management"): give it back.
                    let capital = v.chars().next().is_some_and(char::is_uppercase);
                    let parts = split_outside_brackets(re, &v);
                    for part in parts.into_iter().map(str::trim).filter(|x| !x.is_empty()) {
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
                (None, _) => em.emit(&p.output, &vars, loc, MatchKind::Pattern),
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

/// Whether the clause before the match `at` in `sentence` negates it: "IT services are not
/// sold to external customers", "there is no internal customer", "n'a pas de clients externes".
/// The clause starts after the last `;`, `:`, `,` or dash before the match. (A negation after
/// the words, "Externe Kunden werden nicht bedient", is evidence of its own in the rule file:
/// "Internal customers are not charged" must stay internal.)
fn negated(sentence: &str, at: std::ops::Range<usize>) -> bool {
    let before = sentence.get(..at.start).unwrap_or("");
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
                    // French, German, Dutch and Spanish ("no" is Spanish too).
                    | "pas" | "jamais" | "aucun" | "aucune" | "sans"
                    | "nicht" | "kein" | "keine" | "keinen" | "keiner" | "nie" | "ohne"
                    | "niet" | "geen" | "nooit" | "zonder"
                    | "nunca" | "sin" | "ningún" | "ninguna" | "ninguno"
            ) || w.ends_with("n't")
                || w.ends_with("n\u{2019}t")
        })
}

/// Whether the match `start..end` of `sentence` says it is the only one: "only" or its like
/// as its first word or in the two words before it ("... its services only to the Trust's own
/// divisions"; not a wider match that merely holds the word).
fn exclusive(sentence: &str, start: usize, end: usize) -> bool {
    let before = sentence.get(..start).unwrap_or("");
    let lead: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    let within = sentence.get(start..end).unwrap_or("");
    lead.into_iter()
        .chain(within.split_whitespace().take(1))
        .any(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            matches!(
                w.as_str(),
                "only"
                    | "exclusively"
                    | "solely"
                    | "uniquement"
                    | "exclusivement"
                    | "seulement"
                    | "nur"
                    | "ausschließlich"
                    | "alleen"
                    | "uitsluitend"
                    | "solo"
                    | "únicamente"
                    | "exclusivamente"
                    | "solamente"
            )
        })
}

fn apply_classify(em: &mut Emitter<'_>, c: &ClassifyRule) {
    let doc = em.doc;
    let prep = em.prep;
    // class -> (first evidence sentence, its locator, its block)
    let mut found: Vec<(&str, String, &Locator, usize)> = Vec::new();
    // The classes some evidence says are the only ones ("only to our own staff"), and the
    // classes a negated clause denies ("external customers are not served").
    let mut only_classes: Vec<&str> = Vec::new();
    let mut denied: Vec<&str> = Vec::new();
    let evidence_filter = u32::try_from(em.ri)
        .ok()
        .and_then(|r| em.rules_index.evidence.get(&r));
    let total: usize = c.evidence.iter().map(|(_, res)| res.len()).sum();
    let mut could = Vec::new();
    let hits = prep.text_hits.get(em.ri).map_or(&[][..], Vec::as_slice);
    for spot in hits.iter().filter_map(|&ti| prep.texts.get(ti as usize)) {
        let Some(b) = doc.blocks.get(spot.block) else {
            continue;
        };
        if spot.cell || !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        let text = spot.text.as_ref();
        // Which evidence patterns (numbered class by class) could match anywhere in the text.
        match evidence_filter {
            Some(f) => f.candidates(text, &mut could),
            None => could = (0..u32::try_from(total).unwrap_or(u32::MAX)).collect(),
        }
        if could.is_empty() {
            continue;
        }
        for sentence in sentences(text) {
            if c.unless.as_ref().is_some_and(|u| u.is_match(sentence)) {
                continue;
            }
            // The evidence this sentence gives: class, span, and whether it says "only".
            let mut here: Vec<(&str, std::ops::Range<usize>, bool)> = Vec::new();
            let mut first = 0u32;
            for (class, res) in &c.evidence {
                let numbers = first..first + u32::try_from(res.len()).unwrap_or(0);
                first = numbers.end;
                for (r, n) in res.iter().zip(numbers) {
                    if could.binary_search(&n).is_err() {
                        continue;
                    }
                    for m in r.find_iter(sentence) {
                        if negated(sentence, m.range()) {
                            denied.push(class.as_str());
                        } else {
                            let only = exclusive(sentence, m.start(), m.end());
                            here.push((class.as_str(), m.range(), only));
                        }
                    }
                }
            }
            // "... provides its services only to the Trust's own hospitals": evidence said to
            // be the only one outweighs other evidence over the same words (not the rest of
            // the sentence: "... now also serves other NHS bodies").
            let only: Vec<std::ops::Range<usize>> = here
                .iter()
                .filter(|(_, _, only)| *only)
                .map(|(_, r, _)| r.clone())
                .collect();
            let overlaps = |r: &std::ops::Range<usize>| {
                only.iter().any(|o| o.start < r.end && r.start < o.end)
            };
            // Of two readings of the same words, the longer speaks (unless the shorter says
            // "only"): "external customers are not served" is internal evidence, whatever
            // "external customers" alone says.
            let within_longer = |class: &str, r: &std::ops::Range<usize>| {
                here.iter().any(|(k, o, _)| {
                    *k != class && o.start <= r.start && r.end <= o.end && o.len() > r.len()
                })
            };
            for (class, range, is_only) in &here {
                if !is_only && (overlaps(range) || within_longer(class, range)) {
                    continue;
                }
                if *is_only {
                    only_classes.push(class);
                }
                if !found.iter().any(|(k, _, _, _)| k == class) {
                    found.push((class, truncate(sentence, 600), &b.locator, spot.block));
                }
            }
        }
    }
    let Some((when, value)) = c.outcomes.iter().find(|(when, _)| {
        !when.is_empty() && when.iter().all(|w| found.iter().any(|(k, _, _, _)| k == w))
    }) else {
        return;
    };
    let evidence: Vec<&(&str, String, &Locator, usize)> = found
        .iter()
        .filter(|(k, _, _, _)| when.iter().any(|w| w == k))
        .collect();
    let Some(first) = evidence.first() else {
        return;
    };
    let locator = first.2.clone();
    em.at = (first.3, None);
    // One class, said to be the only one or with the others denied: the only choice.
    em.sole = when.len() == 1
        && (when.iter().any(|w| only_classes.contains(&w.as_str()))
            || denied.iter().any(|d| !when.iter().any(|w| w == d)));
    em.push(
        em.rule.target,
        Value::String(value.clone()),
        &locator,
        MatchKind::Classified,
    );
    em.sole = false;
    if let Some(field) = c.rationale {
        let mut quoted: Vec<&str> = Vec::new();
        for (_, s, _, _) in &evidence {
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

/// The rule (and column) a hint names.
fn rule_name(rules: &Rules, v: &super::index::Vocab) -> String {
    let id = rules
        .rules
        .get(v.rule as usize)
        .map_or("", |r| r.id.as_str());
    match &v.column {
        Some(key) => format!("{id} / column {key}"),
        None => id.to_string(),
    }
}

fn hints(doc: &Document, rules: &Rules, prep: &Prepared<'_>, applies: &[bool]) -> Vec<Hint> {
    let index = &rules.index;
    let in_use = |vocab: &Vocabulary| {
        vocab
            .entries
            .iter()
            .any(|v| applies.get(v.rule as usize).copied().unwrap_or(false))
    };
    let (headers, labels, headings) = (
        &index.header_vocab,
        &index.label_vocab,
        &index.heading_vocab,
    );
    let (any_headers, any_labels, any_headings) =
        (in_use(headers), in_use(labels), in_use(headings));
    let mut out: Vec<Hint> = Vec::new();
    let push = |out: &mut Vec<Hint>,
                kind: HintKind,
                seen: &str,
                folded: &str,
                vocab: &Vocabulary,
                loc: &Locator| {
        if out.len() >= MAX_HINTS || vocab.has(folded, applies) {
            return;
        }
        // The closest synonym; on a tie, the first rule's.
        if let Some(v) = vocab.closest(folded, applies) {
            let locator = loc.to_string();
            if out.iter().any(|h| h.locator == locator && h.seen == seen) {
                return;
            }
            out.push(Hint {
                file: doc.path.clone(),
                locator,
                kind,
                seen: seen.to_string(),
                closest: v.shown.clone(),
                rule: rule_name(rules, v),
            });
        }
    };
    for (bi, b) in doc.blocks.iter().enumerate() {
        match &b.kind {
            BlockKind::Table(table) if any_headers => {
                // The header row: the row near the top with most cells matching a synonym.
                let folds = prep.header_folds.get(bi).map(Vec::as_slice).unwrap_or(&[]);
                let mut best: Option<(usize, usize)> = None;
                for (r, row) in folds.iter().enumerate() {
                    let hits = row
                        .iter()
                        .filter(|f| !f.is_empty() && headers.has(f, applies))
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
                                headers,
                                &cell.locator,
                            );
                        }
                    }
                }
            }
            BlockKind::Heading { .. } if any_headings => {
                let folded = prep
                    .heading_folds
                    .binary_search_by_key(&bi, |(i, _)| *i)
                    .ok()
                    .and_then(|k| prep.heading_folds.get(k));
                let Some((_, f)) = folded else {
                    continue;
                };
                if !f.is_empty() {
                    push(
                        &mut out,
                        HintKind::Heading,
                        &b.text,
                        f,
                        headings,
                        &b.locator,
                    );
                }
            }
            _ => {}
        }
    }
    if any_labels {
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
                    labels,
                    &spot.locator,
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
    fn items_written_as_paragraphs_and_notes_in_brackets() {
        for item in [
            "(a) the agreement requires it",
            "b) internal audit",
            "2) the tender",
            "(iv) x",
        ] {
            assert!(enumerated(item), "{item}");
        }
        for text in [
            "(ISO 20000) is the standard",
            "Plain text",
            "(a)no space",
            "() empty",
        ] {
            assert!(!enumerated(text), "{text}");
        }
        assert_eq!(
            with_note("Process owner (A)"),
            Some(("Process owner ", "A"))
        );
        assert_eq!(with_note("(A) first"), None);
        assert_eq!(with_note("Owner (A) of"), None);
    }

    #[test]
    fn cell_texts_are_trimmed_and_placeholders_read_as_empty() {
        let cell = |text: &str, row: u32, col: u32| Cell {
            text: text.to_string(),
            breaks: Vec::new(),
            locator: Locator::Cell {
                sheet: "Staff".into(),
                row,
                col,
                merged_from: None,
            },
            highlighted: false,
            note: None,
        };
        let table = crate::document::Table {
            sheet: Some("Staff".into()),
            name: None,
            hidden: false,
            rows: vec![
                vec![cell("Service Desk", 0, 0), cell(" Analyst ", 0, 1)],
                vec![cell("Service Desk", 1, 0), cell("Analyst", 1, 1)],
                vec![cell("Finance", 2, 0), cell("TBD", 2, 1)],
            ],
        };
        let doc = Document {
            path: "staff.xlsx".into(),
            format: crate::document::Format::Xlsx,
            metadata: Default::default(),
            blocks: vec![Block {
                text: String::new(),
                breaks: Vec::new(),
                kind: BlockKind::Table(table),
                locator: Locator::Range {
                    sheet: "Staff".into(),
                    first: (0, 0),
                    last: (2, 1),
                },
                region: Region::Body,
                highlighted: false,
            }],
            notes: Vec::new(),
        };
        let usable = Usable::new(&doc);
        assert_eq!(usable.cell(0, 0, 1), "Analyst");
        assert_eq!(usable.cell(0, 1, 0), "Service Desk");
        assert_eq!(usable.row(0, 2, 2), ["Finance", ""]);
    }

    #[test]
    fn a_label_is_known_by_itself_or_by_its_bracketed_qualifier() {
        let known: foldhash::HashSet<String> = ["responsable du sms", "sms manager"]
            .map(String::from)
            .into_iter()
            .collect();
        let k = |t: &str| known_label(&known, t);
        assert_eq!(k("SMS Manager").as_deref(), Some("sms manager"));
        assert_eq!(
            k("Responsable du SMS (ISO 20000)").as_deref(),
            Some("responsable du sms")
        );
        assert_eq!(
            k("Head of Service (SMS Manager)").as_deref(),
            Some("sms manager")
        );
        assert_eq!(k("Head of Service (Operations)"), None);
        assert_eq!(k("Head of Service"), None);
    }

    #[test]
    fn a_writer_is_the_first_capitalised_words_of_a_from_line() {
        assert_eq!(
            person_name(" Tanya Whitcomb tw@example.com").as_deref(),
            Some("Tanya Whitcomb")
        );
        assert_eq!(
            person_name("Priya Raman, Director").as_deref(),
            Some("Priya Raman")
        );
        assert_eq!(person_name("Marketing"), None);
        assert_eq!(person_name("the service desk team"), None);
    }

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
    fn split_items_lose_their_inline_enumerator() {
        assert_eq!(
            trim_enumerator("(a) customer contracts"),
            "customer contracts"
        );
        assert_eq!(trim_enumerator("b) tender rules"), "tender rules");
        assert_eq!(trim_enumerator("(iii) audits"), "audits");
        assert_eq!(trim_enumerator("(2) NIS2"), "NIS2");
        assert_eq!(trim_enumerator("(DORA) resilience"), "(DORA) resilience");
        assert_eq!(
            trim_enumerator("Zabbix (monitoring)"),
            "Zabbix (monitoring)"
        );
    }

    #[test]
    fn evidence_said_to_be_the_only_one_says_so_at_its_start() {
        let s = "It provides its services only to the Trust's own divisions";
        let at = s.find("only").unwrap();
        assert!(exclusive(s, at, s.len()));
        let at = s.find("provides").unwrap();
        assert!(!exclusive(s, at, s.len()));
    }

    #[test]
    fn evidence_in_a_negated_clause_is_no_evidence() {
        let s =
            "The IT team supports our own staff; IT services are not sold to external customers.";
        let at = |s: &str, w: &str| {
            let i = s.find(w).unwrap_or(0);
            i..i + w.len()
        };
        assert!(negated(s, at(s, "external customers")));
        assert!(!negated(s, at(s, "own staff")));
        let s = "We provide managed IT services to external customers; we do not provide them to any internal business unit.";
        assert!(!negated(s, at(s, "external customers")));
        assert!(negated(s, at(s, "internal business unit")));
        assert!(negated("We don\u{2019}t serve internal customers", 16..34));
        // A negation after the words is not read: the customers are still internal.
        let s = "Internal customers are not charged for standard services.";
        assert!(!negated(s, at(s, "Internal customers")));
    }

    #[test]
    fn long_text_is_truncated_on_a_character_boundary() {
        assert_eq!(truncate("ééé", 2), "éé...");
        assert_eq!(truncate("abc", 5), "abc");
    }
}
