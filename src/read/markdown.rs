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
//! Text rules: soft and hard breaks and inline `<br>` are line breaks (a space in the text, an
//! offset in the block's or cell's `breaks`); inline code, link text and image alt text are
//! kept; other inline HTML tags are dropped, so no words are lost to markup; a task list item
//! starts with `[ ]` or `[x]`. Blocks inside a block quote are marked [`Region::Quote`],
//! footnote definitions [`Region::Footnote`].
//!
//! What exports and handbooks write, read as they mean it:
//! - HTML blocks (Confluence and Notion exports) are read by `markdown/html.rs`: `<table>` is a
//!   table located by line and column as a GFM table is, `<ul>`/`<ol>` items are list items,
//!   `<h1>` to `<h6>` headings, `<p>` paragraphs; other HTML keeps its words without its tags.
//! - Callouts (`> [!NOTE]`, `> [!info] Title`) are the author's own text: body, not quotes, and
//!   the `[!NOTE]` marker is dropped. Container fences (`:::info`, `:::note Title`, `:::`) are
//!   dropped and what they hold is read as ordinary blocks (a title stays as text).
//! - A `mermaid` code block holding a flowchart with labelled nodes is an org chart: one list
//!   item per node (`markdown/mermaid.rs`). Other code blocks become paragraphs of their text.
//!
//! Plain text: paragraphs separated by blank lines, each located by its first line.
//!
//! Bytes that are not UTF-8 are decoded as Windows-1252 (every byte maps to a character) with a
//! note; a byte-order mark is dropped. Fails only on a limit: table cells (Markdown and HTML)
//! past [`Limits::max_sheet_cells`] (counted over the whole document) are a
//! [`ReadError::Limit`], so a hostile table is one clean error rather than gigabytes. Never
//! prints.

mod html;
mod mermaid;

use crate::document::{
    normalize_whitespace, Block, BlockKind, Cell, Document, Format, Locator, Metadata, Region,
    Table,
};
use crate::read::docx::push_words;
use crate::read::{Limits, ReadError};
use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::cell::Cell as Cell_;
use std::collections::BTreeMap;
use std::ops::Range;

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

/// Text gathered for one block or cell, and where its line breaks fall.
///
/// A break is gathered as a space, so the finished text is exactly [`normalize_whitespace`] of
/// what was gathered; the breaks kept are the spaces that join two lines with words (a break at
/// either end, or next to another break, is none).
#[derive(Default)]
struct LineText {
    raw: String,
    /// Offsets in `raw` of the spaces gathered for line breaks.
    breaks: Vec<usize>,
}

impl LineText {
    fn push(&mut self, text: &str) {
        self.raw.push_str(text);
    }

    fn line_break(&mut self) {
        self.breaks.push(self.raw.len());
        self.raw.push(' ');
    }

    /// Nothing but whitespace gathered.
    fn is_blank(&self) -> bool {
        self.raw.trim().is_empty()
    }

    fn clear(&mut self) {
        self.raw.clear();
        self.breaks.clear();
    }

    /// The normalised text and the offsets in it of the spaces that stand for line breaks.
    fn finish(&self) -> (String, Vec<u32>) {
        if self.breaks.is_empty() {
            return (normalized(&self.raw), Vec::new());
        }
        let mut out = String::with_capacity(self.raw.len());
        let mut breaks = Vec::new();
        let mut pending = false;
        let mut start = 0;
        for end in self.breaks.iter().copied().chain([self.raw.len()]) {
            let before = out.len();
            push_words(
                &mut out,
                &mut pending,
                self.raw.get(start..end).unwrap_or_default(),
            );
            // A line with words after one with words: the space joining them is the break.
            if before > 0 && out.len() > before {
                breaks.extend(u32::try_from(before).ok());
            }
            pending = true;
            start = end;
        }
        (out, breaks)
    }
}

fn line_locator(line: u32) -> Locator {
    Locator::Line { line, column: None }
}

/// The error for a document whose table cells pass the budget; `line` is the table's.
fn cell_limit(line: u32, max_cells: u64) -> ReadError {
    ReadError::Limit {
        what: format!(
            "the number of table cells (the table at line {line} passes it; split the table or keep it in a spreadsheet)"
        ),
        limit: format!("{max_cells} cells"),
    }
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
    text: LineText,
    region: Region,
}

/// A table being collected.
struct OpenTable {
    line: u32,
    region: Region,
    rows: Vec<Vec<Cell>>,
    cell: Option<(u32, LineText)>,
}

/// One list level: its start number (ordered lists) and the items seen so far.
struct ListLevel {
    start: Option<u64>,
    items: u64,
}

/// The code block being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Code {
    /// A `mermaid` block, whose code starts on this line: maybe an org chart.
    Mermaid(u32),
    /// Any other: a paragraph of its text.
    Other,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    open: Option<Open>,
    table: Option<OpenTable>,
    lists: Vec<ListLevel>,
    /// The block quotes the reader is in, innermost last: `true` for a callout (`> [!NOTE]`).
    quotes: Vec<bool>,
    /// The quotes of `quotes` that are quotations.
    quote_depth: usize,
    /// A block quote has just started: its first paragraph may be a callout's marker.
    quote_started: bool,
    footnote_depth: usize,
    /// The current list item has already emitted its first block.
    item_started: bool,
    metadata: Option<(MetadataBlockKind, String)>,
    code: Option<Code>,
    in_html_block: bool,
    /// The raw text of the HTML block being read, and its first line.
    html: String,
    html_line: u32,
    /// HTML blocks read so far whose table or list may go on in the next HTML block.
    html_blocks: Option<html::Builder>,
    /// Source bytes whose text is a marker, not words (`[!NOTE]`, `:::info`).
    marker: Range<usize>,
    /// Table cells started so far, in every table of the document.
    cells: u64,
    /// The text buffer of the last block flushed, cleared, for the next one to gather into.
    spare: LineText,
    /// The level of the last heading (0 before the first).
    heading_level: u8,
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
            let (text, breaks) = open.text.finish();
            let mut buffer = open.text;
            buffer.clear();
            self.spare = buffer;
            if !text.is_empty() {
                self.blocks.push(Block {
                    kind: open.kind,
                    text,
                    breaks,
                    locator: line_locator(open.line),
                    region: open.region,
                    highlighted: false,
                });
            }
        }
    }

    /// Where text goes: the open table cell, else the open block (a paragraph is opened for
    /// text outside any block, e.g. in tight list items).
    fn target(&mut self, line: u32) -> Option<&mut LineText> {
        if self.table.is_some() {
            return self
                .table
                .as_mut()
                .and_then(|t| t.cell.as_mut())
                .map(|(_, cell)| cell);
        }
        if self.open.is_none() {
            self.open(BlockKind::Paragraph, line);
        }
        self.open.as_mut().map(|open| &mut open.text)
    }

    fn push_text(&mut self, text: &str, line: u32) {
        if let Some(target) = self.target(line) {
            target.push(text);
        }
    }

    fn line_break(&mut self, line: u32) {
        if let Some(target) = self.target(line) {
            target.line_break();
        }
    }

    /// Ends the HTML blocks read so far: what they left open is complete.
    fn finish_html(&mut self) {
        if let Some(builder) = self.html_blocks.take() {
            builder.finish(&mut self.blocks);
        }
    }

    /// The part of a text event that is not a marker (`[!NOTE]`, `:::info`). A container fence
    /// found at the start of a line becomes the marker.
    fn unmarked<'t>(&mut self, text: &'t str, range: Range<usize>, source: &str) -> &'t str {
        if self.code.is_none() && self.table.is_none() {
            if let Some(len) = fence_marker(source, range.start) {
                self.marker = range.start..range.start + len;
            }
        }
        // A marker starts where a text event starts: it covers the event or its front.
        let marker = &self.marker;
        if range.start < marker.start || marker.end <= range.start {
            return text;
        }
        if range.end <= marker.end {
            return "";
        }
        // Cut off when the text is the source as written (no escapes or entities in it).
        match source.get(range.clone()) {
            Some(written) if written == text => {
                text.get(marker.end - range.start..).unwrap_or(text)
            }
            _ => text,
        }
    }
}

/// The length of a container fence marker (`:::`, `:::info`, `::: warning`) at `at` in
/// `source`, when it starts a line (after indentation or quote markers).
fn fence_marker(source: &str, at: usize) -> Option<usize> {
    let rest = source.get(at..)?;
    let colons = rest.bytes().take_while(|&c| c == b':').count();
    if colons < 3 {
        return None;
    }
    let line_start = source.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    if !source[line_start..at]
        .bytes()
        .all(|c| c == b' ' || c == b'\t' || c == b'>')
    {
        return None;
    }
    let after = &rest[colons..];
    let spaces = after.bytes().take_while(|&c| c == b' ').count();
    let word = after[spaces..]
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
        .count();
    Some(if word > 0 {
        colons + spaces + word
    } else {
        colons
    })
}

/// The length of a callout marker (`[!NOTE]`, `[!info]-`) at the start of `text`.
fn callout_marker(text: &str) -> Option<usize> {
    let kind = text.strip_prefix("[!")?;
    let len = kind
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
        .count();
    if len == 0 || kind.as_bytes().get(len) != Some(&b']') {
        return None;
    }
    let fold = usize::from(matches!(kind.as_bytes().get(len + 1), Some(b'+' | b'-')));
    Some(2 + len + 1 + fold)
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
        // HTML blocks separated only by blank lines are read as one: anything else ends them.
        if st.html_blocks.is_some()
            && !st.in_html_block
            && !matches!(event, Event::Start(Tag::HtmlBlock))
        {
            st.finish_html();
        }
        match event {
            Event::Start(Tag::TableCell) if st.cells >= max_cells => {
                return Err(cell_limit(
                    st.table.as_ref().map_or(line, |t| t.line),
                    max_cells,
                ));
            }
            Event::Start(Tag::Paragraph) if st.quote_started => {
                st.quote_started = false;
                if let Some(len) = text.get(range.start..).and_then(callout_marker) {
                    // A callout: the author's own text, without its marker.
                    st.marker = range.start..range.start + len;
                    if let Some(callout @ false) = st.quotes.last_mut() {
                        *callout = true;
                        st.quote_depth = st.quote_depth.saturating_sub(1);
                    }
                }
                start(&mut st, Tag::Paragraph, line);
            }
            Event::Start(tag) => {
                st.quote_started = false;
                start(&mut st, tag, line);
            }
            Event::End(TagEnd::HtmlBlock) => {
                st.in_html_block = false;
                let html = std::mem::take(&mut st.html);
                let mut builder = st
                    .html_blocks
                    .take()
                    .unwrap_or_else(|| html::Builder::new(st.region(), st.lists.len()));
                builder.feed(
                    &html,
                    st.html_line,
                    &mut st.cells,
                    max_cells,
                    &mut st.blocks,
                )?;
                st.html_blocks = Some(builder);
                st.html = html;
                st.html.clear();
            }
            Event::End(TagEnd::CodeBlock) => end_code(&mut st),
            Event::End(TagEnd::Paragraph) => {
                // A short paragraph all in bold ("**Why certify**") is a heading one level
                // below the last heading: the list or text under it is its section.
                let level = st.heading_level.saturating_add(1).min(6);
                if let Some(open) = st
                    .open
                    .as_mut()
                    .filter(|o| matches!(o.kind, BlockKind::Paragraph) && o.region == Region::Body)
                {
                    if text.get(range).is_some_and(bold_heading) {
                        open.kind = BlockKind::Heading { level };
                    }
                }
                end(
                    &mut st,
                    TagEnd::Paragraph,
                    &mut doc.metadata,
                    &mut doc.notes,
                );
            }
            Event::End(tag) => end(&mut st, tag, &mut doc.metadata, &mut doc.notes),
            Event::Text(t) => {
                if let Some((_, meta)) = st.metadata.as_mut() {
                    if meta.len() + t.len() <= MAX_FRONT_MATTER + 1 {
                        meta.push_str(&t);
                    }
                } else if st.in_html_block {
                    st.html.push_str(&t);
                } else {
                    let kept = st.unmarked(&t, range, text);
                    st.push_text(kept, line);
                }
            }
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => st.push_text(&t, line),
            // HTML block lines are gathered and read at the block's end (a tag may span lines).
            Event::Html(t) if st.in_html_block => st.html.push_str(&t),
            Event::Html(t) => {
                if let Some(target) = st.target(line) {
                    html::push_inline(&t, target);
                }
            }
            // Inline tags: `<br>` breaks the line; others (`<span>`) are markup, not words.
            Event::InlineHtml(t) if html::is_break(&t) => st.line_break(line),
            Event::InlineHtml(_) => st.push_text(" ", line),
            Event::FootnoteReference(label) => st.push_text(&format!("[^{label}]"), line),
            Event::SoftBreak | Event::HardBreak => st.line_break(line),
            Event::Rule => st.flush(),
            Event::TaskListMarker(done) => st.push_text(if done { "[x] " } else { "[ ] " }, line),
        }
    }
    st.finish_html();
    st.flush();
    doc.blocks = st.blocks;
    Ok(())
}

fn start(st: &mut State, tag: Tag<'_>, line: u32) {
    match tag {
        Tag::Heading { level, .. } => st.open(BlockKind::Heading { level: level as u8 }, line),
        Tag::CodeBlock(CodeBlockKind::Fenced(info))
            if info
                .split_whitespace()
                .next()
                .is_some_and(|lang| lang.eq_ignore_ascii_case("mermaid")) =>
        {
            // Its own block whatever it sits in: it may turn into list items.
            st.code = Some(Code::Mermaid(line.saturating_add(1)));
            st.open(BlockKind::Paragraph, line);
        }
        Tag::Paragraph | Tag::CodeBlock(_) | Tag::DefinitionListTitle => {
            if matches!(tag, Tag::CodeBlock(_)) {
                st.code = Some(Code::Other);
            }
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
            st.flush();
            st.in_html_block = true;
            st.html_line = line;
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
            st.quotes.push(false);
            st.quote_depth += 1;
            st.quote_started = true;
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
                t.cell = Some((line, LineText::default()));
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

/// The end of a code block: a Mermaid org chart becomes list items, any other code a
/// paragraph of its text.
fn end_code(st: &mut State) {
    let chart = match (st.code.take(), st.open.as_ref()) {
        (Some(Code::Mermaid(first_line)), Some(open)) => {
            mermaid::org_chart(&open.text.raw, first_line)
        }
        _ => None,
    };
    let Some(nodes) = chart else {
        st.flush();
        return;
    };
    let region = st.open.take().map_or(Region::Body, |open| open.region);
    for node in nodes {
        let (text, breaks) = node.text.finish();
        if !text.is_empty() {
            st.blocks.push(Block {
                kind: BlockKind::ListItem {
                    depth: node.depth,
                    number: None,
                },
                text,
                breaks,
                locator: line_locator(node.line),
                region,
                highlighted: false,
            });
        }
    }
}

/// Whether a paragraph's source is one short run of bold text that does not end as a
/// sentence or a label does: `**Why certify**`, `__Resources__`.
fn bold_heading(source: &str) -> bool {
    let s = source.trim();
    let inner = ["**", "__"].iter().find_map(|m| {
        s.strip_prefix(m)
            .and_then(|rest| rest.strip_suffix(m))
            .filter(|inner| !inner.contains(m))
    });
    inner.is_some_and(|t| {
        let t = t.trim();
        (1..=80).contains(&t.chars().count())
            && !t.contains('\n')
            && !t.ends_with(['.', ',', ';', ':', '!', '?'])
    })
}

fn end(st: &mut State, tag: TagEnd, metadata: &mut Metadata, notes: &mut Vec<String>) {
    match tag {
        TagEnd::Heading(level) => {
            st.heading_level = level as u8;
            st.flush();
        }
        TagEnd::DefinitionListTitle => st.flush(),
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
            if st.quotes.pop() == Some(false) {
                st.quote_depth = st.quote_depth.saturating_sub(1);
            }
        }
        TagEnd::FootnoteDefinition => {
            st.flush();
            st.footnote_depth = st.footnote_depth.saturating_sub(1);
        }
        TagEnd::TableCell => {
            if let Some(t) = st.table.as_mut() {
                if let Some((line, text)) = t.cell.take() {
                    let column = t.rows.last().map_or(0, Vec::len) + 1;
                    let (text, breaks) = text.finish();
                    let cell = Cell {
                        text,
                        breaks,
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

    proptest::proptest! {
        #[test]
        fn line_text_is_the_normalised_text_cut_at_spaces(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(None),
                    proptest::strategy::Strategy::prop_map("[ a-z\t\n\u{a0}\u{e9}]{0,8}", Some),
                ],
                0..12,
            )
        ) {
            use proptest::prop_assert;
            use proptest::prop_assert_eq;
            let mut gathered = LineText::default();
            let mut raw = String::new();
            for piece in &pieces {
                match piece {
                    Some(text) => {
                        gathered.push(text);
                        raw.push_str(text);
                    }
                    None => {
                        gathered.line_break();
                        raw.push(' ');
                    }
                }
            }
            let (text, breaks) = gathered.finish();
            prop_assert_eq!(&text, &normalize_whitespace(&raw));
            prop_assert!(breaks.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(breaks.iter().all(|&b| text.as_bytes().get(b as usize) == Some(&b' ')));
            let block = Block {
                kind: BlockKind::Paragraph,
                text: text.clone(),
                breaks,
                locator: line_locator(1),
                region: Region::Body,
                highlighted: false,
            };
            prop_assert_eq!(block.lines().collect::<Vec<_>>().join(" "), text);
            prop_assert!(block.lines().all(|l| !l.is_empty()));
        }

        #[test]
        fn html_in_any_shape_keeps_every_word(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>",
                    "<caption>", "</caption>", "<p>", "</p>", "<ul>", "</ul>", "<ol start=2>",
                    "<li>", "</li>", "<h2>", "</h2>", "<br>", "<div>", "</div>", "<b x='>'>",
                    "\n", "\n\n", "  ", "&amp;", "&#65;", "\"",
                ]),
                0..40,
            )
        ) {
            // Each gap between two pieces holds a word of its own: every one must be read.
            let mut md = String::from("<div>");
            for (i, piece) in pieces.iter().enumerate() {
                md.push_str(&format!(" w{i}x "));
                md.push_str(piece);
            }
            let doc = read("t.md", md.as_bytes(), Format::Markdown, &Limits::default())
                .expect("reads");
            let mut all = String::new();
            for block in &doc.blocks {
                all.push_str(&block.text);
                all.push(' ');
                if let BlockKind::Table(t) = &block.kind {
                    for cell in t.rows.iter().flatten() {
                        all.push_str(&cell.text);
                        all.push(' ');
                    }
                }
            }
            for i in 0..pieces.len() {
                let word = format!("w{i}x");
                proptest::prop_assert!(
                    all.split(' ').any(|w| w == word),
                    "{} lost from {:?}: {}", word, md, all
                );
            }
        }
    }

    #[test]
    fn windows_1252_maps_the_high_range() {
        assert_eq!(windows_1252(0x80), '€');
        assert_eq!(windows_1252(0x93), '\u{201C}');
        assert_eq!(windows_1252(0xE9), 'é');
    }
}
