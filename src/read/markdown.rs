//! The Markdown and plain-text reader: bytes in, a [`Document`] of headings, paragraphs, list
//! items, tables and quoted blocks out, each located by its 1-based line.
//!
//! Markdown goes through pulldown-cmark with GFM tables, task lists, strikethrough, footnotes and
//! front matter (YAML between `---` lines, TOML between `+++` lines). Front matter fills the
//! metadata: `title`, `author` (or `authors`, `creator`), `date` (or `created`) and `updated` (or
//! `modified`, `lastmod`) go to their fields, and every key, flattened to text (`owner.name`,
//! lists joined with `, `), goes to the properties. YAML is parsed by serde-saphyr under a tight
//! budget, so alias bombs fail fast and only cost a note.
//!
//! Text rules: soft and hard breaks are spaces; inline code, link text and image alt text are
//! kept; code blocks become paragraphs; HTML blocks are kept as their text with the tags stripped
//! (comments dropped), and inline HTML tags are dropped, so no words are lost to markup; a task
//! list item starts with `[ ]` or `[x]`. Blocks inside a block quote are marked
//! [`Region::Quote`], footnote definitions [`Region::Footnote`].
//!
//! Plain text: paragraphs separated by blank lines, each located by its first line.
//!
//! Bytes that are not UTF-8 are decoded as Windows-1252 (every byte maps to a character) with a
//! note; a byte-order mark is dropped. Fails only on a limit: table cells past
//! [`Limits::max_sheet_cells`] (counted over the whole document) are a [`ReadError::Limit`], so a
//! hostile table is one clean error rather than gigabytes. Never prints.

use crate::document::{
    normalize_whitespace, Block, BlockKind, Cell, Document, Format, Locator, Metadata, Region,
    Table,
};
use crate::read::docx::push_words;
use crate::read::{Limits, ReadError};
use pulldown_cmark::{Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::cell::Cell as Cell_;
use std::collections::BTreeMap;

/// Largest front matter block parsed (bytes); a larger one is noted and skipped.
pub const MAX_FRONT_MATTER: usize = 256 * 1024;

/// Reads Markdown (`format` = Markdown) or plain text (`format` = Text). Bytes that are not UTF-8
/// are decoded as Windows-1252 with a note. Fails only when the Markdown's table cells pass
/// `limits.max_sheet_cells` ([`ReadError::Limit`]).
pub fn read(
    display: &str,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let mut notes = Vec::new();
    let text = decode(bytes, &mut notes);
    let lines = LineIndex::new(&text);
    let mut doc = Document {
        path: display.to_string(),
        format,
        metadata: Metadata::default(),
        blocks: Vec::new(),
        notes,
    };
    if format == Format::Markdown {
        read_markdown(&text, &lines, limits.max_sheet_cells, &mut doc)?;
    } else {
        doc.blocks = read_text(&text, &lines);
    }
    Ok(doc)
}

/// Decodes bytes to text: UTF-8 when valid (BOM dropped), else Windows-1252.
fn decode<'b>(bytes: &'b [u8], notes: &mut Vec<String>) -> Cow<'b, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(e) => {
            notes.push(format!(
                "the text is not valid UTF-8 (first bad byte at offset {}); decoded as Windows-1252, so some characters may be wrong (save the file as UTF-8 to be sure)",
                e.valid_up_to()
            ));
            Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect())
        }
    }
}

/// One Windows-1252 byte as a character (the five unassigned bytes map to their C1 controls,
/// as browsers do).
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}',
        '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}',
        '\u{178}',
    ];
    match b {
        0x80..=0x9F => HIGH
            .get(usize::from(b - 0x80))
            .copied()
            .unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// Byte offset to 1-based line number.
struct LineIndex {
    starts: Vec<usize>,
    /// The last line found (as a count of line starts at or before the offset): parser events
    /// mostly come in text order, so the next offset is usually on it or just after.
    hint: Cell_<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            hint: Cell_::new(0),
        }
    }

    fn line(&self, offset: usize) -> u32 {
        // The number of line starts at or before `offset`.
        let at = |k: usize| {
            k >= 1
                && self.starts.get(k - 1).is_some_and(|&s| s <= offset)
                && self.starts.get(k).is_none_or(|&s| offset < s)
        };
        let hint = self.hint.get();
        let idx = if at(hint) {
            hint
        } else if at(hint + 1) {
            hint + 1
        } else {
            self.starts.partition_point(|&s| s <= offset)
        };
        self.hint.set(idx);
        u32::try_from(idx.max(1)).unwrap_or(u32::MAX)
    }
}

/// [`normalize_whitespace`], as the DOCX reader joins words (one pass, whole stretches of
/// plain words copied at once).
fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    push_words(&mut out, &mut pending, text);
    out
}

fn line_locator(line: u32) -> Locator {
    Locator::Line { line, column: None }
}

/// Plain text: paragraphs separated by blank lines.
fn read_text(text: &str, lines: &LineIndex) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut first_line = 0u32;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            push_paragraph(&mut blocks, &mut current, first_line);
        } else {
            if current.is_empty() {
                first_line = lines.line(offset);
            }
            current.push_str(line);
            current.push(' ');
        }
        offset += line.len();
    }
    push_paragraph(&mut blocks, &mut current, first_line);
    blocks
}

fn push_paragraph(blocks: &mut Vec<Block>, current: &mut String, line: u32) {
    let text = normalized(current);
    current.clear();
    if !text.is_empty() {
        blocks.push(Block {
            kind: BlockKind::Paragraph,
            text,
            breaks: Vec::new(),
            locator: line_locator(line),
            region: Region::Body,
            highlighted: false,
        });
    }
}

/// A block being collected.
struct Open {
    kind: BlockKind,
    line: u32,
    text: String,
    region: Region,
}

/// A table being collected.
struct OpenTable {
    line: u32,
    region: Region,
    rows: Vec<Vec<Cell>>,
    cell: Option<(u32, String)>,
}

/// One list level: its start number (ordered lists) and the items seen so far.
struct ListLevel {
    start: Option<u64>,
    items: u64,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    open: Option<Open>,
    table: Option<OpenTable>,
    lists: Vec<ListLevel>,
    quote_depth: usize,
    footnote_depth: usize,
    /// The current list item has already emitted its first block.
    item_started: bool,
    metadata: Option<(MetadataBlockKind, String)>,
    in_html_block: bool,
    /// The raw text of the HTML block being read.
    html: String,
    /// Table cells started so far, in every table of the document.
    cells: u64,
    /// The text buffer of the last block flushed, cleared, for the next one to gather into.
    spare: String,
}

impl State {
    fn region(&self) -> Region {
        if self.footnote_depth > 0 {
            Region::Footnote
        } else if self.quote_depth > 0 {
            Region::Quote
        } else {
            Region::Body
        }
    }

    fn open(&mut self, kind: BlockKind, line: u32) {
        self.flush();
        self.open = Some(Open {
            kind,
            line,
            text: std::mem::take(&mut self.spare),
            region: self.region(),
        });
    }

    fn flush(&mut self) {
        if let Some(open) = self.open.take() {
            let text = normalized(&open.text);
            let mut buffer = open.text;
            buffer.clear();
            self.spare = buffer;
            if !text.is_empty() {
                self.blocks.push(Block {
                    kind: open.kind,
                    text,
                    breaks: Vec::new(),
                    locator: line_locator(open.line),
                    region: open.region,
                    highlighted: false,
                });
            }
        }
    }

    fn push_text(&mut self, text: &str, line: u32) {
        if let Some(table) = self.table.as_mut() {
            if let Some((_, cell)) = table.cell.as_mut() {
                cell.push_str(text);
            }
            return;
        }
        if self.open.is_none() {
            // Text outside any block (e.g. tight list items): a paragraph of its own.
            self.open(BlockKind::Paragraph, line);
        }
        if let Some(open) = self.open.as_mut() {
            open.text.push_str(text);
        }
    }
}

fn read_markdown(
    text: &str,
    lines: &LineIndex,
    max_cells: u64,
    doc: &mut Document,
) -> Result<(), ReadError> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut st = State::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let line = lines.line(range.start);
        match event {
            Event::Start(Tag::TableCell) if st.cells >= max_cells => {
                return Err(ReadError::Limit {
                    what: format!(
                        "the number of table cells (the table at line {} passes it; split the table or keep it in a spreadsheet)",
                        st.table.as_ref().map_or(line, |t| t.line)
                    ),
                    limit: format!("{max_cells} cells"),
                });
            }
            Event::Start(tag) => start(&mut st, tag, line),
            Event::End(tag) => end(&mut st, tag, &mut doc.metadata, &mut doc.notes),
            Event::Text(t) => {
                if let Some((_, meta)) = st.metadata.as_mut() {
                    if meta.len() + t.len() <= MAX_FRONT_MATTER + 1 {
                        meta.push_str(&t);
                    }
                } else if st.in_html_block {
                    st.html.push_str(&t);
                } else {
                    st.push_text(&t, line);
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => st.push_text(&t, line),
            // HTML block lines are gathered and stripped at the block's end (a tag may span
            // lines).
            Event::Html(t) if st.in_html_block => st.html.push_str(&t),
            Event::Html(t) => st.push_text(&strip_tags(&t), line),
            // Inline tags (`<br>`, `<span>`) are markup, not words.
            Event::InlineHtml(_) => st.push_text(" ", line),
            Event::FootnoteReference(label) => st.push_text(&format!("[^{label}]"), line),
            Event::SoftBreak | Event::HardBreak => st.push_text(" ", line),
            Event::Rule => st.flush(),
            Event::TaskListMarker(done) => st.push_text(if done { "[x] " } else { "[ ] " }, line),
        }
    }
    st.flush();
    doc.blocks = st.blocks;
    Ok(())
}

fn start(st: &mut State, tag: Tag<'_>, line: u32) {
    match tag {
        Tag::Heading { level, .. } => st.open(BlockKind::Heading { level: level as u8 }, line),
        Tag::Paragraph | Tag::CodeBlock(_) | Tag::DefinitionListTitle => {
            // The first paragraph of a list item is the item's own text.
            if st
                .open
                .as_ref()
                .is_some_and(|o| matches!(o.kind, BlockKind::ListItem { .. }) && !st.item_started)
            {
                return;
            }
            if st.table.is_none() {
                st.open(BlockKind::Paragraph, line);
            }
        }
        Tag::HtmlBlock => {
            st.open(BlockKind::Paragraph, line);
            st.in_html_block = true;
        }
        Tag::List(start) => {
            st.flush();
            st.item_started = false;
            st.lists.push(ListLevel { start, items: 0 });
        }
        Tag::Item => {
            let depth = u8::try_from(st.lists.len().saturating_sub(1)).unwrap_or(u8::MAX);
            let number = st.lists.last_mut().and_then(|level| {
                let n = level.start?.saturating_add(level.items);
                level.items += 1;
                Some(format!("{n}."))
            });
            st.open(BlockKind::ListItem { depth, number }, line);
            st.item_started = false;
        }
        Tag::BlockQuote(_) => {
            st.flush();
            st.quote_depth += 1;
        }
        Tag::FootnoteDefinition(_) => {
            st.flush();
            st.footnote_depth += 1;
        }
        Tag::Table(_) => {
            st.flush();
            st.table = Some(OpenTable {
                line,
                region: st.region(),
                rows: Vec::new(),
                cell: None,
            });
        }
        Tag::TableHead | Tag::TableRow => {
            if let Some(t) = st.table.as_mut() {
                t.rows.push(Vec::new());
            }
        }
        Tag::TableCell => {
            st.cells = st.cells.saturating_add(1);
            if let Some(t) = st.table.as_mut() {
                t.cell = Some((line, String::new()));
            }
        }
        Tag::MetadataBlock(kind) => {
            st.flush();
            st.metadata = Some((kind, String::new()));
        }
        Tag::DefinitionListDefinition => st.open(BlockKind::Paragraph, line),
        // Inline containers: their text flows into the open block.
        _ => {}
    }
}

fn end(st: &mut State, tag: TagEnd, metadata: &mut Metadata, notes: &mut Vec<String>) {
    match tag {
        TagEnd::Heading(_) | TagEnd::CodeBlock | TagEnd::DefinitionListTitle => st.flush(),
        TagEnd::DefinitionListDefinition => st.flush(),
        TagEnd::Paragraph => {
            if st
                .open
                .as_ref()
                .is_some_and(|o| matches!(o.kind, BlockKind::ListItem { .. }))
            {
                // The item's first paragraph ends; later ones are paragraphs of their own.
                st.flush();
                st.item_started = true;
            } else if st.table.is_none() {
                st.flush();
            }
        }
        TagEnd::HtmlBlock => {
            st.in_html_block = false;
            let html = std::mem::take(&mut st.html);
            if let Some(open) = st.open.as_mut() {
                open.text.push_str(&strip_tags(&html));
            }
            st.flush();
        }
        TagEnd::Item => {
            st.flush();
            st.item_started = false;
        }
        TagEnd::List(_) => {
            st.flush();
            st.lists.pop();
        }
        TagEnd::BlockQuote(_) => {
            st.flush();
            st.quote_depth = st.quote_depth.saturating_sub(1);
        }
        TagEnd::FootnoteDefinition => {
            st.flush();
            st.footnote_depth = st.footnote_depth.saturating_sub(1);
        }
        TagEnd::TableCell => {
            if let Some(t) = st.table.as_mut() {
                if let Some((line, text)) = t.cell.take() {
                    let column = t.rows.last().map_or(0, Vec::len) + 1;
                    let cell = Cell {
                        text: normalized(&text),
                        breaks: Vec::new(),
                        locator: Locator::Line {
                            line,
                            column: Some(u32::try_from(column).unwrap_or(u32::MAX)),
                        },
                        highlighted: false,
                        note: None,
                    };
                    if let Some(row) = t.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
        }
        TagEnd::Table => {
            if let Some(t) = st.table.take() {
                st.blocks.push(Block {
                    kind: BlockKind::Table(Table {
                        sheet: None,
                        name: None,
                        hidden: false,
                        rows: t.rows,
                    }),
                    text: String::new(),
                    breaks: Vec::new(),
                    locator: line_locator(t.line),
                    region: t.region,
                    highlighted: false,
                });
            }
        }
        TagEnd::MetadataBlock(_) => {
            if let Some((kind, text)) = st.metadata.take() {
                front_matter(kind, &text, metadata, notes);
            }
        }
        _ => {}
    }
}

/// Drops HTML tags and comments, keeping the text between them.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt..];
        let close = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match close {
            Some(end) => {
                out.push(' ');
                rest = &after[end..];
            }
            // An unclosed `<`: keep it as text.
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Parses front matter into the metadata; a block that does not parse only costs a note.
fn front_matter(
    kind: MetadataBlockKind,
    text: &str,
    metadata: &mut Metadata,
    notes: &mut Vec<String>,
) {
    if text.len() > MAX_FRONT_MATTER {
        notes.push(format!(
            "the front matter is larger than {} KiB; skipped",
            MAX_FRONT_MATTER / 1024
        ));
        return;
    }
    let parsed = match kind {
        MetadataBlockKind::YamlStyle => parse_yaml(text).map_err(|e| ("YAML", e)),
        MetadataBlockKind::PlusesStyle => parse_toml(text).map_err(|e| ("TOML", e)),
    };
    let value = match parsed {
        Ok(v) => v,
        Err((what, e)) => {
            let first = e.lines().next().unwrap_or_default().to_string();
            notes.push(format!(
                "the {what} front matter could not be parsed ({first}); its keys are not read"
            ));
            return;
        }
    };
    let serde_json::Value::Object(map) = value else {
        if !value.is_null() {
            notes.push("the front matter is not a list of `key: value` pairs; skipped".into());
        }
        return;
    };
    let mut props = BTreeMap::new();
    for (key, value) in &map {
        flatten(key, value, &mut props, 0);
    }
    let pick = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            map.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| scalar_text(v))
                .filter(|s| !s.is_empty())
        })
    };
    metadata.title = pick(&["title"]);
    metadata.author = pick(&["author", "authors", "creator", "owner"]);
    metadata.created = pick(&["date", "created"]);
    metadata.modified = pick(&["updated", "modified", "lastmod", "last_modified"]);
    metadata.last_modified_by = pick(&["last_modified_by", "modified_by"]);
    metadata.properties = props;
}

fn parse_yaml(text: &str) -> Result<serde_json::Value, String> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_reader_input_bytes = Some(MAX_FRONT_MATTER);
    budget.max_events = 50_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 10_000;
    budget.max_recorded_anchor_bytes = MAX_FRONT_MATTER;
    budget.max_depth = 32;
    budget.max_documents = 1;
    budget.max_nodes = 20_000;
    budget.max_total_scalar_bytes = MAX_FRONT_MATTER;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options::<serde_json::Value>(text, options)
        .map_err(|e| e.to_string())
}

fn parse_toml(text: &str) -> Result<serde_json::Value, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.message().to_string())?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// A value as one line of text: scalars as written, lists of scalars joined with `, `.
fn scalar_text(value: &serde_json::Value) -> String {
    use serde_json::Value as J;
    match value {
        J::Null => String::new(),
        J::Bool(b) => b.to_string(),
        J::Number(n) => n.to_string(),
        J::String(s) => normalize_whitespace(s),
        J::Array(items) => items
            .iter()
            .map(scalar_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        J::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", scalar_text(v)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Flattens nested front matter: `owner: {name: X}` becomes `owner.name = X`; a list of
/// scalars becomes one property, a list of maps `key.0.name`, `key.1.name`...
fn flatten(key: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>, depth: u32) {
    use serde_json::Value as J;
    match value {
        J::Object(map) if depth < 16 => {
            for (k, v) in map {
                flatten(&format!("{key}.{k}"), v, out, depth + 1);
            }
        }
        J::Array(items)
            if depth < 16
                && items
                    .iter()
                    .any(|v| matches!(v, J::Object(_) | J::Array(_))) =>
        {
            for (i, v) in items.iter().enumerate() {
                flatten(&format!("{key}.{i}"), v, out, depth + 1);
            }
        }
        _ => {
            out.insert(key.to_string(), scalar_text(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
        // In any order, as the plain search gives it.
        let text = "one\ntwo\n\nthree\nfour\n";
        let idx = LineIndex::new(text);
        for offset in [0, 25, 3, 4, 4, 8, 9, 2, 15, 14, 21, 22, 100, 0, 1] {
            let want = idx.starts.partition_point(|&s| s <= offset).max(1) as u32;
            assert_eq!(idx.line(offset), want, "{offset}");
        }
    }

    #[test]
    fn texts_normalise_as_the_document_model_does() {
        for text in [
            "",
            "  ",
            "plain words here",
            "  lead and trail  ",
            "tabs\tand\nnew\r\nlines",
            "vt\x0bff\x0cx",
            "ctl\x01 and del\x7f kept",
            "nbsp\u{a0}nel\u{85}ls\u{2028}ideo\u{3000}x",
            "caf\u{e9}  cr\u{e8}me \u{1680} br\u{fb}l\u{e9}e ",
            "a \u{200b}zero-width stays",
        ] {
            assert_eq!(normalized(text), normalize_whitespace(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_normalises_as_the_document_model_does(
            text in "[ a-z\t\n\r\x0b\x0c\x01\u{a0}\u{85}\u{2028}\u{3000}\u{e9}\u{200b}]{0,40}"
        ) {
            proptest::prop_assert_eq!(normalized(&text), normalize_whitespace(&text));
        }
    }

    #[test]
    fn windows_1252_maps_the_high_range() {
        assert_eq!(windows_1252(0x80), '€');
        assert_eq!(windows_1252(0x93), '\u{201C}');
        assert_eq!(windows_1252(0xE9), 'é');
    }

    #[test]
    fn tags_are_stripped_and_words_kept() {
        assert_eq!(
            normalize_whitespace(&strip_tags(
                "<div><!-- x -->Owner: <b>Jane</b> &amp; co</div>"
            )),
            "Owner: Jane & co"
        );
    }
}
