//! What kind of text a value comes from. Takes a document and the judge's [`Config`]; gives,
//! for any block (and table row) of it, the kinds of text ([`Context`]s) it stands in: by the
//! headings of its sections, the header row of its table, phrases of the block itself, its
//! region of the page, and the document as a whole (a blank template, a form, a job advert).
//! Read once per document, before any candidate is judged. Never compares candidates.

use super::config::{Config, Context};
use super::placeholder::is_placeholder;
use crate::document::{Block, BlockKind, Document};
use crate::map::{fold_padded as padded, fold_whole};

/// Most text units (blocks and cells) looked at to find a document's genre: enough to tell a
/// blank template, a form or a job advert, and a bound on the work a huge sheet can cause.
const MAX_UNITS: usize = 2_000;
/// The columns of a table whose cells are read for the document's genre (a form's labels
/// stand in its first columns; a register's data cells tell nothing).
const GENRE_COLUMNS: usize = 2;

/// A document read for its kinds of text.
pub struct Reading<'d> {
    doc: &'d Document,
    config: &'d Config,
    /// Per block: the contexts (indices into `config.contexts`) its sections' headings give.
    sections: Vec<Vec<usize>>,
    /// Contexts of the whole document (a form, a job advert, a template by its file name).
    document: Vec<usize>,
    /// The share of the document's text units that are template text.
    template_share: f64,
    /// The block that is the document's title (its first heading), if any.
    title: Option<usize>,
    /// Per table block: the contexts its header rows give (by `table_headers`).
    tables: Vec<(usize, Vec<usize>)>,
    /// The file's name says it is a template.
    named_as_template: bool,
}

/// What the judge reads of one block or table row: its text, its kinds of text, and whether it
/// holds template text.
pub struct Spot<'d> {
    /// The block's text (lines separated by "\n"), or the row's cells joined with " | ".
    pub text: String,
    /// The kinds of text it stands in.
    pub contexts: Vec<&'d Context>,
    /// It holds template text (a placeholder or a bracketed prompt).
    pub template: bool,
}

/// Whether text holds a template's prompt: a placeholder, or a bracketed prompt inside it
/// ("Contact [Name] at [Phone]", "<CSP Name> is responsible").
pub fn has_template_text(text: &str) -> bool {
    if is_placeholder(text) {
        return true;
    }
    // Most texts hold no bracket: one memchr pass spares them the two searches below (20M
    // instructions of a 40-client batch).
    if memchr::memchr2(b'[', b'<', text.as_bytes()).is_none() {
        return false;
    }
    for (open, close) in [('[', ']'), ('<', '>')] {
        let mut rest = text;
        while let Some(i) = rest.find(open) {
            let after = &rest[i + open.len_utf8()..];
            let Some(j) = after.find(close) else { break };
            let inside = &after[..j];
            let followed_by_link = after[j + close.len_utf8()..].starts_with('(');
            let n = inside.chars().count();
            if (2..=60).contains(&n)
                && !followed_by_link
                && inside.chars().any(char::is_alphabetic)
                && !inside.chars().any(|c| c.is_ascii_digit())
                && inside.chars().next().is_some_and(char::is_uppercase)
                && !inside.contains('/')
            {
                return true;
            }
            rest = &after[j..];
        }
    }
    false
}

impl<'d> Reading<'d> {
    /// Reads `doc` once: its sections' contexts, its genre and its share of template text.
    pub fn new(doc: &'d Document, config: &'d Config) -> Reading<'d> {
        let contexts = &config.contexts;
        // Sections: a stack of open headings (level, their contexts).
        let mut stack: Vec<(u8, Vec<usize>)> = Vec::new();
        let mut sections = Vec::with_capacity(doc.blocks.len());
        let mut title = None;
        let mut units = 0usize;
        let mut template_units = 0usize;
        // Per context, the different document phrases seen (by phrase number).
        let mut hits: Vec<Vec<usize>> = vec![Vec::new(); contexts.len()];
        let mut tables = Vec::new();
        let wants_document = contexts.iter().any(|c| !c.document_phrases.is_empty());
        let count_unit = |text: &str, units: &mut usize, template_units: &mut usize| {
            if *units < MAX_UNITS && !text.trim().is_empty() {
                *units += 1;
                if has_template_text(text) {
                    *template_units += 1;
                }
            }
        };
        for (bi, block) in doc.blocks.iter().enumerate() {
            let short = |t: &str| t.chars().count() <= 80;
            if let BlockKind::Heading { level } = block.kind {
                if title.is_none() {
                    title = Some(bi);
                }
                while stack.last().is_some_and(|(l, _)| *l >= level) {
                    stack.pop();
                }
                let mut own: Vec<usize> = config
                    .heading_index
                    .hits(&padded(&block.text))
                    .into_iter()
                    .map(|(c, _)| c)
                    .collect();
                own.dedup();
                stack.push((level, own));
            }
            let mut here: Vec<usize> = stack.iter().flat_map(|(_, c)| c.iter().copied()).collect();
            // A sheet's name heads its tables as a heading would ("Leavers", "Glossary").
            if let BlockKind::Table(table) = &block.kind {
                if let Some(sheet) = &table.sheet {
                    let hits = config.heading_index.hits(&padded(sheet));
                    here.extend(hits.into_iter().map(|(c, _)| c));
                }
            }
            here.sort_unstable();
            here.dedup();
            sections.push(here);
            match &block.kind {
                BlockKind::Table(table) => {
                    for row in &table.rows {
                        for cell in row.iter().take(GENRE_COLUMNS) {
                            count_unit(&cell.text, &mut units, &mut template_units);
                            if wants_document && units < MAX_UNITS && short(&cell.text) {
                                note_hits(config, &cell.text, &mut hits);
                            }
                        }
                    }
                    let opens_example = |text: &str| {
                        let text = padded(text);
                        contexts
                            .iter()
                            .any(|c| c.openers.iter().any(|o| o.opens(&text)))
                    };
                    let headers = header_cells(table, opens_example);
                    let by_header: Vec<usize> = contexts
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| c.table_headers.iter().any(|h| headers.contains(h)))
                        .map(|(i, _)| i)
                        .collect();
                    if !by_header.is_empty() {
                        tables.push((bi, by_header));
                    }
                }
                _ => {
                    count_unit(&block.text, &mut units, &mut template_units);
                    let headline =
                        matches!(block.kind, BlockKind::Heading { .. }) || short(&block.text);
                    if wants_document && units < MAX_UNITS && headline {
                        note_hits(config, &block.text, &mut hits);
                    }
                }
            }
        }
        let file = padded(doc.path.rsplit('/').next().unwrap_or(&doc.path));
        let document = contexts
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.files.iter().any(|p| p.in_padded(&file))
                    || (!c.document_phrases.is_empty()
                        && hits.get(*i).is_some_and(|h| h.len() >= c.min_hits))
            })
            .map(|(i, _)| i)
            .collect();
        Reading {
            doc,
            config,
            sections,
            document,
            template_share: if units == 0 {
                0.0
            } else {
                template_units as f64 / units as f64
            },
            title,
            tables,
            named_as_template: config.template_files.iter().any(|w| w.in_padded(&file)),
        }
    }

    /// The share of the document's text that is template text.
    pub fn template_share(&self) -> f64 {
        self.template_share
    }

    /// Whether the file's name says it is a template ("Policy - TEMPLATE.docx").
    pub fn named_as_template(&self) -> bool {
        self.named_as_template
    }

    /// What the judge reads of block `bi` (row `row` of a table), once for all the candidates
    /// found there.
    pub fn spot(&self, bi: usize, row: Option<usize>) -> Spot<'d> {
        let text = self.text(bi, row);
        Spot {
            template: has_template_text(&text),
            contexts: self.contexts(bi, row),
            text,
        }
    }

    /// The contexts block `bi` (and, for a table, row `row`) stands in, each once.
    pub fn contexts(&self, bi: usize, row: Option<usize>) -> Vec<&'d Context> {
        let contexts = &self.config.contexts;
        let mut ids: Vec<usize> = self.sections.get(bi).cloned().unwrap_or_default();
        ids.extend(self.document.iter().copied());
        if let Some(block) = self.doc.blocks.get(bi) {
            let text = padded(&block_text(block, row));
            // A row's opener may stand in its first cells, after an id ("IP-00 | Example:
            // ACME SA"); a note further right ("e.g. monthly reports") does not make it one.
            let cells: Vec<String> = match (&block.kind, row) {
                (BlockKind::Table(t), Some(r)) => t.rows.get(r).map_or_else(Vec::new, |cells| {
                    cells
                        .iter()
                        .skip(1)
                        .take(2)
                        .map(|c| padded(&c.text))
                        .collect()
                }),
                _ => Vec::new(),
            };
            ids.extend(
                self.config
                    .phrase_index
                    .hits(&text)
                    .into_iter()
                    .map(|(c, _)| c),
            );
            for (i, c) in contexts.iter().enumerate() {
                let by_region = c.regions.contains(&block.region);
                let by_title = c.title && self.title == Some(bi);
                let by_opener = c
                    .openers
                    .iter()
                    .any(|o| o.opens(&text) || cells.iter().any(|cell| o.opens(cell)));
                let by_question = c.question
                    && row.is_none()
                    && block.text.trim_end().ends_with(['?', '\u{ff1f}']);
                if by_region || by_title || by_opener || by_question {
                    ids.push(i);
                }
            }
            if let Some((_, by_header)) = self.tables.iter().find(|(tb, _)| *tb == bi) {
                ids.extend(by_header.iter().copied());
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().filter_map(|i| contexts.get(i)).collect()
    }

    /// The contexts the header of the column holding `value` in row `row` of table block `bi`
    /// gives: the value's own column, not the whole table ("Example (delete before
    /// submitting)" beside "Your answer").
    pub fn column_contexts(&self, bi: usize, row: Option<usize>, value: &str) -> Vec<&'d Context> {
        let contexts = &self.config.contexts;
        if !contexts.iter().any(|c| !c.column_headers.is_empty()) {
            return Vec::new();
        }
        let Some(BlockKind::Table(table)) = self.doc.blocks.get(bi).map(|b| &b.kind) else {
            return Vec::new();
        };
        let (Some(r), Some(header)) = (row.filter(|r| *r > 0), table.rows.first()) else {
            return Vec::new();
        };
        let value = padded(value);
        if value.trim().is_empty() {
            return Vec::new();
        }
        let column = table
            .rows
            .get(r)
            .and_then(|cells| cells.iter().position(|c| padded(&c.text).contains(&value)));
        let Some(head) = column.and_then(|i| header.get(i)).map(|c| padded(&c.text)) else {
            return Vec::new();
        };
        contexts
            .iter()
            .filter(|c| c.column_headers.iter().any(|p| p.opens(&head)))
            .collect()
    }

    /// The text a candidate from block `bi` (row `row` of a table) stands in: the block's text,
    /// or the row's cells joined with " | ".
    pub fn text(&self, bi: usize, row: Option<usize>) -> String {
        self.doc
            .blocks
            .get(bi)
            .map(|b| block_text(b, row))
            .unwrap_or_default()
    }
}

/// Counts, per context, the different document phrases that `text` holds.
fn note_hits(config: &Config, text: &str, hits: &mut [Vec<usize>]) {
    for (c, phrase) in config.document_index.hits(&padded(text)) {
        if let Some(h) = hits.get_mut(c).filter(|h| !h.contains(&phrase)) {
            h.push(phrase);
        }
    }
}

/// A block's text, its lines separated by "\n"; for a table, the cells of row `row` joined
/// with " | " (the whole first row when no row is given).
fn block_text(block: &Block, row: Option<usize>) -> String {
    match &block.kind {
        BlockKind::Table(t) => t
            .rows
            .get(row.unwrap_or(0))
            .map(|cells| {
                cells
                    .iter()
                    .map(|c| c.text.as_str())
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .unwrap_or_default(),
        // Line breaks become "\n" (each stands where a single space was, so byte offsets in
        // the text stay right): a label line is its own clause to the cues.
        _ => {
            let mut bytes = block.text.clone().into_bytes();
            for &b in &block.breaks {
                if let Some(c) = bytes.get_mut(b as usize).filter(|c| **c == b' ') {
                    *c = b'\n';
                }
            }
            String::from_utf8(bytes).unwrap_or_else(|_| block.text.clone())
        }
    }
}

/// The short cells of a table's first three rows, folded: its header (below a title line or
/// two), which a context's `table_headers` are compared with; without a row that opens as an example does ("EXAMPLE | Local Chamber of Commerce"
/// under a register's header is a row of the register, not its header).
fn header_cells(t: &crate::document::Table, example: impl Fn(&str) -> bool) -> Vec<String> {
    t.rows
        .iter()
        .take(3)
        .filter(|row| !row.first().is_some_and(|c| example(&c.text)))
        .flatten()
        .filter(|cell| cell.text.chars().count() <= 40)
        .map(|cell| fold_whole(&cell.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_prompts_are_template_text_and_links_are_not() {
        assert!(has_template_text("Contact [Name] at [Phone]"));
        assert!(has_template_text(
            "<CSP Name> is responsible for the system"
        ));
        assert!(has_template_text("[Insert date]"));
        assert!(!has_template_text(
            "See [the handbook](https://example.com)"
        ));
        assert!(!has_template_text("ISO/IEC 20000-1 [1]"));
        assert!(!has_template_text("Apex IT Services Ltd"));
    }
}
