//! HTML inside Markdown, as Confluence and Notion exports and hand-written pages carry it: a
//! tolerant tokenizer, entity decoding, and the builder that turns an HTML block into blocks.
//!
//! Takes the raw text of HTML blocks (and of inline HTML); gives [`Block`]s: `<table>` a table
//! (rows of `<tr>`, cells of `<td>`/`<th>`, `colspan`/`rowspan` ignored, a nested table's
//! words kept in the outer cell), `<ul>`/`<ol>` + `<li>` list items (depth by nesting),
//! `<h1>`..`<h6>` headings, `<p>` paragraphs, `<br>` a line break. Every other tag is markup,
//! not words: it counts as a space, and the text around it stays in the block it is in, so a
//! block without those tags is one paragraph of its words, as before this builder existed.
//!
//! HTML is not XML: end tags may be missing (`<p>a<p>b`, `<td>a<td>b`), void tags have no end
//! (`<br>`), attributes may be unquoted, and a `<` that opens no tag is text. Nothing here
//! fails on bad markup; the only error is the table cell budget ([`Limits::max_sheet_cells`],
//! shared with the Markdown tables of the document). The work is linear in the text, list
//! nesting is followed to [`MAX_LIST_DEPTH`] levels and deeper lists stay at that depth.
//!
//! [`Limits::max_sheet_cells`]: crate::read::Limits::max_sheet_cells

use super::{cell_limit, LineText};
use crate::document::{Block, BlockKind, Cell, Locator, Region, Table};
use crate::read::ReadError;
use std::borrow::Cow;

/// List levels followed; a list nested deeper gives items at this depth.
pub(super) const MAX_LIST_DEPTH: usize = 32;

/// One piece of HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Token<'a> {
    /// `<name attrs>` (or `<name/>`): `attrs` is the text between the name and the `>`.
    Start { name: &'a str, attrs: &'a str },
    /// `</name>`.
    End { name: &'a str },
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
}

/// The tokens of an HTML text with their byte offsets. Comments, `<!DOCTYPE>` and `<?...?>`
/// are dropped; a `<` that does not open markup, or markup never closed, is text.
pub(super) struct Tokens<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> Tokens<'a> {
    pub(super) fn new(html: &'a str) -> Tokens<'a> {
        Tokens { html, pos: 0 }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = (usize, Token<'a>);

    fn next(&mut self) -> Option<(usize, Token<'a>)> {
        loop {
            let start = self.pos;
            let rest = self.html.get(start..).filter(|r| !r.is_empty())?;
            // The text runs to the first `<` that opens markup.
            let mut from = 0;
            let markup = loop {
                match memchr::memchr(b'<', &rest.as_bytes()[from..]) {
                    Some(i) => match markup(&rest[from + i..]) {
                        Some(m) => break Some((from + i, m)),
                        None => from += i + 1,
                    },
                    None => break None,
                }
            };
            match markup {
                Some((0, (len, token))) => {
                    self.pos = start + len;
                    match token {
                        Some(token) => return Some((start, token)),
                        None => continue,
                    }
                }
                Some((at, _)) => {
                    self.pos = start + at;
                    return Some((start, Token::Text(&rest[..at])));
                }
                None => {
                    self.pos = self.html.len();
                    return Some((start, Token::Text(rest)));
                }
            }
        }
    }
}

/// The markup at the start of `s` (which starts with `<`): its length and its token, `None`
/// for a comment or declaration. `None` altogether when `s` opens no markup.
fn markup(s: &str) -> Option<(usize, Option<Token<'_>>)> {
    let b = s.as_bytes();
    if let Some(comment) = s.strip_prefix("<!--") {
        return comment.find("-->").map(|i| (4 + i + 3, None));
    }
    if matches!(b.get(1), Some(b'!' | b'?')) {
        return s.find('>').map(|i| (i + 1, None));
    }
    let end_tag = b.get(1) == Some(&b'/');
    let name_at = if end_tag { 2 } else { 1 };
    if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_len = b[name_at..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':' | b'_'))
        .count();
    let name = &s[name_at..name_at + name_len];
    let after = name_at + name_len;
    let close = tag_end(&b[after..]).map(|i| after + i)?;
    let token = if end_tag {
        Token::End { name }
    } else {
        Token::Start {
            name,
            attrs: s[after..close].trim_end_matches('/'),
        }
    };
    Some((close + 1, Some(token)))
}

/// The offset of the `>` that ends a tag's attributes: a quoted attribute value may hold `>`.
/// When a quote is never closed, the first `>` ends the tag.
fn tag_end(attrs: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut after_equals = false;
    while let Some(&c) = attrs.get(i) {
        match c {
            b'>' => return Some(i),
            b'"' | b'\'' if after_equals => {
                match memchr::memchr(c, &attrs[i + 1..]) {
                    Some(j) => i += j + 1,
                    None => return memchr::memchr(b'>', attrs),
                }
                after_equals = false;
            }
            b'=' => after_equals = true,
            c if c.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    None
}

/// The value of attribute `name` in a start tag's attribute text (quoted or not).
fn attribute<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_whitespace() || *c == b'/')
        {
            i += 1;
        }
        let key_start = i;
        while b
            .get(i)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'/'))
        {
            i += 1;
        }
        let key = &attrs[key_start..i];
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            if key.is_empty() {
                i += 1;
            }
            continue;
        }
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |j| i + 1 + j);
                let v = &attrs[i + 1..end];
                i = end + 1;
                v
            }
            _ => {
                let start = i;
                while b.get(i).is_some_and(|c| !c.is_ascii_whitespace()) {
                    i += 1;
                }
                &attrs[start..i]
            }
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
    }
    None
}

/// Decodes character references: numeric ones (`&#8211;`, `&#x2013;`) and the named ones
/// documents use for punctuation, symbols and Latin letters. An unknown name is kept as written.
/// `&nbsp;` becomes a plain space.
pub(super) fn decode_entities(text: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match entity(rest) {
            Some((len, c)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character reference at the start of `s` (which starts with `&`) and its length.
fn entity(s: &str) -> Option<(usize, char)> {
    // The longest name known is 6 letters, the longest code point `&#x10FFFF;` 10 bytes.
    let semi = memchr::memchr(b';', &s.as_bytes()[..s.len().min(12)])?;
    let body = &s[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}')
    } else {
        named_entity(body)?
    };
    Some((semi + 1, c))
}

/// The named character references worth knowing in office text.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "shy" => '\u{ad}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "sbquo" => '\u{201a}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "bdquo" => '\u{201e}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        "hellip" => '\u{2026}',
        "bull" => '\u{2022}',
        "middot" => '\u{b7}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "euro" => '\u{20ac}',
        "pound" => '\u{a3}',
        "yen" => '\u{a5}',
        "cent" => '\u{a2}',
        "sect" => '\u{a7}',
        "para" => '\u{b6}',
        "deg" => '\u{b0}',
        "plusmn" => '\u{b1}',
        "times" => '\u{d7}',
        "divide" => '\u{f7}',
        "frac12" => '\u{bd}',
        "frac14" => '\u{bc}',
        "frac34" => '\u{be}',
        "rarr" => '\u{2192}',
        "larr" => '\u{2190}',
        "check" => '\u{2713}',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "auml" => 'ä',
        "aring" => 'å',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "szlig" => 'ß',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "Eacute" => 'É',
        "Ouml" => 'Ö',
        "Oslash" => 'Ø',
        "Uuml" => 'Ü',
        _ => return None,
    })
}

/// The tags the builder acts on; every other tag is [`Kind::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Table,
    Caption,
    Tr,
    Cell,
    P,
    Heading(u8),
    List { ordered: bool },
    Li,
    Br,
    Other,
}

fn kind(name: &str) -> Kind {
    let lower = |s: &str| name.eq_ignore_ascii_case(s);
    match name.len() {
        1 if lower("p") => Kind::P,
        2 if lower("br") => Kind::Br,
        2 if lower("tr") => Kind::Tr,
        2 if lower("td") || lower("th") => Kind::Cell,
        2 if lower("ul") => Kind::List { ordered: false },
        2 if lower("ol") => Kind::List { ordered: true },
        2 if lower("li") => Kind::Li,
        2 if matches!(name.as_bytes()[0], b'h' | b'H') => match name.as_bytes()[1] {
            d @ b'1'..=b'6' => Kind::Heading(d - b'0'),
            _ => Kind::Other,
        },
        5 if lower("table") => Kind::Table,
        7 if lower("caption") => Kind::Caption,
        _ => Kind::Other,
    }
}

/// Whether a piece of inline HTML is a line break (`<br>`, `<br/>`, `</br>`).
pub(super) fn is_break(html: &str) -> bool {
    matches!(
        Tokens::new(html).next(),
        Some((_, Token::Start { name, .. } | Token::End { name })) if kind(name) == Kind::Br
    )
}

/// Pushes an HTML fragment's words onto `out`: `<br>` is a line break, any other tag a space.
pub(super) fn push_inline(html: &str, out: &mut LineText) {
    for (_, token) in Tokens::new(html) {
        match token {
            Token::Text(t) => out.push(&decode_entities(t)),
            Token::Start { name, .. } | Token::End { name } if kind(name) == Kind::Br => {
                out.line_break();
            }
            _ => out.push(" "),
        }
    }
}

/// The text block being gathered.
struct Current {
    kind: BlockKind,
    line: u32,
    text: LineText,
}

/// A table being gathered.
struct OpenTable {
    line: u32,
    rows: Vec<Vec<Cell>>,
    /// A `<tr>` is open: the last row takes the cells.
    row_open: bool,
    /// The open cell: its line and its text.
    cell: Option<(u32, LineText)>,
    /// Tables opened inside this one: their words go to the open cell.
    nested: u32,
    /// Inside `<caption>`: the words are a paragraph before the table.
    caption: bool,
}

impl OpenTable {
    fn close_cell(&mut self) {
        let Some((line, text)) = self.cell.take() else {
            return;
        };
        let (text, breaks) = text.finish();
        if !self.row_open {
            self.rows.push(Vec::new());
            self.row_open = true;
        }
        if let Some(row) = self.rows.last_mut() {
            let column = u32::try_from(row.len() + 1).unwrap_or(u32::MAX);
            row.push(Cell {
                text,
                breaks,
                locator: Locator::Line {
                    line,
                    column: Some(column),
                },
                highlighted: false,
                note: None,
            });
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        self.row_open = false;
    }
}

/// One list level: the next number of an ordered list.
struct Level {
    next: Option<u64>,
}

/// Turns the HTML blocks of a Markdown document into blocks.
///
/// A table or list left open at the end of an HTML block (a blank line inside a pretty-printed
/// table ends the Markdown HTML block) stays open for the next HTML block; the caller
/// [`finish`](Builder::finish)es the builder at the first event that is not one.
pub(super) struct Builder {
    region: Region,
    /// The Markdown list depth the HTML sits in: its lists nest below it.
    base_depth: usize,
    current: Option<Current>,
    table: Option<OpenTable>,
    lists: Vec<Level>,
    /// Lists opened past [`MAX_LIST_DEPTH`] and not closed yet.
    deeper: usize,
    /// The line of the first token since the last block ended: where loose text starts.
    loose_line: Option<u32>,
}

impl Builder {
    pub(super) fn new(region: Region, base_depth: usize) -> Builder {
        Builder {
            region,
            base_depth,
            current: None,
            table: None,
            lists: Vec::new(),
            deeper: 0,
            loose_line: None,
        }
    }

    /// Reads one HTML block whose first line is `first_line`, pushing the blocks it completes
    /// onto `out`. `cells` counts table cells over the document; passing `max_cells` is the
    /// only error.
    pub(super) fn feed(
        &mut self,
        html: &str,
        first_line: u32,
        cells: &mut u64,
        max_cells: u64,
        out: &mut Vec<Block>,
    ) -> Result<(), ReadError> {
        let mut line = first_line;
        let mut counted = 0;
        for (offset, token) in Tokens::new(html) {
            let newlines = memchr::memchr_iter(b'\n', &html.as_bytes()[counted..offset]).count();
            line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            counted = offset;
            if self.loose_line.is_none() && !matches!(token, Token::Text(t) if t.trim().is_empty())
            {
                self.loose_line = Some(line);
            }
            match token {
                Token::Text(t) => self.text(&decode_entities(t), line, cells, max_cells)?,
                Token::Start { name, attrs } => {
                    self.start(kind(name), attrs, line, cells, max_cells, out)?;
                }
                Token::End { name } => self.end(kind(name), out),
            }
        }
        // A blank line ends a paragraph, heading or list item, not a table or a list.
        self.close_current(out);
        Ok(())
    }

    /// Ends whatever is still open.
    pub(super) fn finish(mut self, out: &mut Vec<Block>) {
        self.close_current(out);
        self.close_table(out);
    }

    fn start(
        &mut self,
        kind: Kind,
        attrs: &str,
        line: u32,
        cells: &mut u64,
        max_cells: u64,
        out: &mut Vec<Block>,
    ) -> Result<(), ReadError> {
        if let Some(t) = self.table.as_mut() {
            match kind {
                Kind::Table => {
                    t.nested = t.nested.saturating_add(1);
                    cell_break(t);
                }
                Kind::Cell if t.nested == 0 => {
                    if *cells >= max_cells {
                        return Err(cell_limit(t.line, max_cells));
                    }
                    *cells += 1;
                    t.close_cell();
                    t.cell = Some((line, LineText::default()));
                }
                Kind::Tr if t.nested == 0 => {
                    t.close_row();
                    t.rows.push(Vec::new());
                    t.row_open = true;
                }
                Kind::Caption if t.nested == 0 => {
                    t.close_cell();
                    t.caption = true;
                    self.open(BlockKind::Paragraph, line, out);
                }
                Kind::Other | Kind::Cell => self.push(" "),
                _ => self.line_break(),
            }
            return Ok(());
        }
        match kind {
            Kind::Table => {
                self.close_current(out);
                self.table = Some(OpenTable {
                    line,
                    rows: Vec::new(),
                    row_open: false,
                    cell: None,
                    nested: 0,
                    caption: false,
                });
            }
            Kind::P => {
                // The first paragraph of a list item is the item's own text.
                let item_text = self.current.as_ref().is_some_and(|c| {
                    matches!(c.kind, BlockKind::ListItem { .. }) && c.text.is_blank()
                });
                if !item_text {
                    self.open(BlockKind::Paragraph, line, out);
                }
            }
            Kind::Heading(level) => self.open(BlockKind::Heading { level }, line, out),
            Kind::List { ordered } => {
                self.close_current(out);
                if self.lists.len() < MAX_LIST_DEPTH {
                    let start = attribute(attrs, "start").and_then(|s| s.trim().parse().ok());
                    self.lists.push(Level {
                        next: ordered.then_some(start.unwrap_or(1)),
                    });
                } else {
                    self.deeper = self.deeper.saturating_add(1);
                }
            }
            Kind::Li => {
                let depth = self.base_depth + self.lists.len().saturating_sub(1);
                let number = match self.deeper {
                    0 => self.lists.last_mut().and_then(|level| {
                        let n = level.next?;
                        level.next = Some(n.saturating_add(1));
                        Some(format!("{n}."))
                    }),
                    _ => None,
                };
                let depth = u8::try_from(depth).unwrap_or(u8::MAX);
                self.open(BlockKind::ListItem { depth, number }, line, out);
            }
            Kind::Br => self.line_break(),
            Kind::Tr | Kind::Cell | Kind::Caption | Kind::Other => self.push(" "),
        }
        Ok(())
    }

    fn end(&mut self, kind: Kind, out: &mut Vec<Block>) {
        if let Some(t) = self.table.as_mut() {
            match kind {
                Kind::Table if t.nested > 0 => {
                    t.nested -= 1;
                    cell_break(t);
                }
                Kind::Table => self.close_table(out),
                Kind::Cell if t.nested == 0 => t.close_cell(),
                Kind::Tr if t.nested == 0 => t.close_row(),
                Kind::Caption if t.caption => {
                    t.caption = false;
                    self.close_current(out);
                }
                Kind::Other | Kind::Cell | Kind::Caption => self.push(" "),
                _ => self.line_break(),
            }
            return;
        }
        match kind {
            Kind::P => {
                if self
                    .current
                    .as_ref()
                    .is_some_and(|c| c.kind == BlockKind::Paragraph)
                {
                    self.close_current(out);
                }
            }
            Kind::Heading(_) | Kind::Li => self.close_current(out),
            Kind::List { .. } => {
                self.close_current(out);
                if self.deeper > 0 {
                    self.deeper -= 1;
                } else {
                    self.lists.pop();
                }
            }
            Kind::Br => self.line_break(),
            _ => self.push(" "),
        }
    }

    fn text(
        &mut self,
        text: &str,
        line: u32,
        cells: &mut u64,
        max_cells: u64,
    ) -> Result<(), ReadError> {
        let blank = text.trim().is_empty();
        if let Some(t) = self.table.as_mut() {
            if !t.caption && t.cell.is_none() {
                if blank {
                    return Ok(());
                }
                // Words between cells: a cell of their own, so none is lost.
                if *cells >= max_cells {
                    return Err(cell_limit(t.line, max_cells));
                }
                *cells += 1;
                t.cell = Some((line, LineText::default()));
            }
        } else if self.current.is_none() {
            if blank {
                return Ok(());
            }
            let line = self.loose_line.unwrap_or(line);
            self.current = Some(Current {
                kind: BlockKind::Paragraph,
                line,
                text: LineText::default(),
            });
        }
        self.push(text);
        Ok(())
    }

    /// The text being gathered: the open cell, else the open block.
    fn target(&mut self) -> Option<&mut LineText> {
        match self.table.as_mut() {
            Some(t) if !t.caption => t.cell.as_mut().map(|(_, text)| text),
            _ => self.current.as_mut().map(|c| &mut c.text),
        }
    }

    fn push(&mut self, text: &str) {
        if let Some(target) = self.target() {
            target.push(text);
        }
    }

    fn line_break(&mut self) {
        if let Some(target) = self.target() {
            target.line_break();
        }
    }

    fn open(&mut self, kind: BlockKind, line: u32, out: &mut Vec<Block>) {
        self.close_current(out);
        self.current = Some(Current {
            kind,
            line,
            text: LineText::default(),
        });
    }

    fn close_current(&mut self, out: &mut Vec<Block>) {
        self.loose_line = None;
        let Some(current) = self.current.take() else {
            return;
        };
        let (text, breaks) = current.text.finish();
        if !text.is_empty() {
            out.push(Block {
                kind: current.kind,
                text,
                breaks,
                locator: Locator::Line {
                    line: current.line,
                    column: None,
                },
                region: self.region,
                highlighted: false,
            });
        }
    }

    fn close_table(&mut self, out: &mut Vec<Block>) {
        let Some(mut t) = self.table.take() else {
            return;
        };
        self.loose_line = None;
        t.close_row();
        t.rows.retain(|row| !row.is_empty());
        if !t.rows.is_empty() {
            out.push(Block {
                kind: BlockKind::Table(Table {
                    sheet: None,
                    name: None,
                    hidden: false,
                    rows: t.rows,
                }),
                text: String::new(),
                breaks: Vec::new(),
                locator: Locator::Line {
                    line: t.line,
                    column: None,
                },
                region: self.region,
                highlighted: false,
            });
        }
    }
}

/// A block boundary inside a table cell: a line break in the cell.
fn cell_break(t: &mut OpenTable) {
    if let Some((_, text)) = t.cell.as_mut() {
        text.line_break();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(html: &str) -> Vec<Token<'_>> {
        Tokens::new(html).map(|(_, t)| t).collect()
    }

    #[test]
    fn tags_need_a_name_and_an_end() {
        assert_eq!(
            tokens("a < b <br>c</P><!-- x -->d<td class=x title='a>b'>e"),
            vec![
                Token::Text("a < b "),
                Token::Start {
                    name: "br",
                    attrs: ""
                },
                Token::Text("c"),
                Token::End { name: "P" },
                Token::Text("d"),
                Token::Start {
                    name: "td",
                    attrs: " class=x title='a>b'"
                },
                Token::Text("e"),
            ]
        );
        // Markup never closed is text.
        assert_eq!(
            tokens("x <b unclosed <!-- open"),
            vec![Token::Text("x <b unclosed <!-- open")]
        );
    }

    #[test]
    fn attributes_are_read_quoted_or_not() {
        let attrs = " class=\"a b\" start=3 reversed data-x='y'";
        assert_eq!(attribute(attrs, "start"), Some("3"));
        assert_eq!(attribute(attrs, "CLASS"), Some("a b"));
        assert_eq!(attribute(attrs, "data-x"), Some("y"));
        assert_eq!(attribute(attrs, "reversed"), None);
    }

    #[test]
    fn entities_are_decoded_and_unknown_ones_kept() {
        assert_eq!(
            decode_entities("R&amp;D &ndash; caf&eacute; &#8211; &#x41;&nbsp;&bogus; & AT&T"),
            "R&D \u{2013} café \u{2013} A &bogus; & AT&T"
        );
        assert_eq!(decode_entities("&amp;lt;"), "&lt;");
    }

    #[test]
    fn inline_html_keeps_words_and_breaks_lines() {
        let mut text = LineText::default();
        push_inline(
            "<div><!-- x -->Owner: <b>Jane</b> &amp; co<br/>Deputy</div>",
            &mut text,
        );
        let (text, breaks) = text.finish();
        assert_eq!(text, "Owner: Jane & co Deputy");
        assert_eq!(breaks, [16]);
        assert!(is_break("<BR />") && is_break("</br>") && !is_break("<b>"));
    }
}
