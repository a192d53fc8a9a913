//! The document model every reader produces and the mapper consumes: a file's path, format,
//! metadata and an ordered list of blocks (headings, paragraphs, list items, tables), each with a
//! [`Locator`] a person can open.
//!
//! Plain owned data: no reader types (calamine, quick-xml, pulldown-cmark) appear here, and
//! nothing here knows about the profile or the mapping rules.

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The formats this tool reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Word 2007+ document, macro-enabled document or template (`.docx`, `.docm`, `.dotx`).
    Docx,
    /// Excel 2007+ workbook (`.xlsx`, `.xlsm`, `.xltx`).
    Xlsx,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97-2003 workbook (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// Plain text (`.txt`).
    Text,
}

impl Format {
    /// The format a file name's extension claims, if it is one this tool reads.
    pub fn from_extension(ext: &str) -> Option<Format> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "docx" | "docm" | "dotx" | "dotm" => Format::Docx,
            "xlsx" | "xlsm" | "xltx" | "xltm" => Format::Xlsx,
            "xlsb" => Format::Xlsb,
            "xls" => Format::Xls,
            "ods" => Format::Ods,
            "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
            "txt" | "text" => Format::Text,
            _ => return None,
        })
    }

    /// Lower-case name, as used in rule files (`formats = ["xlsx"]`) and reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Markdown => "markdown",
            Format::Text => "text",
        }
    }

    /// How the format is named in messages ("a Word document").
    pub fn describe(self) -> &'static str {
        match self {
            Format::Docx => "a Word document",
            Format::Xlsx => "an Excel workbook",
            Format::Xlsb => "an Excel binary workbook",
            Format::Xls => "an Excel 97-2003 workbook",
            Format::Ods => "an OpenDocument spreadsheet",
            Format::Markdown => "Markdown",
            Format::Text => "plain text",
        }
    }

    /// Whether the format is a spreadsheet (every sheet becomes tables).
    pub fn is_spreadsheet(self) -> bool {
        matches!(
            self,
            Format::Xlsx | Format::Xlsb | Format::Xls | Format::Ods
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file read into blocks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// The path as the caller named it (relative to the client folder in a pipeline run), with
    /// `/` separators.
    pub path: String,
    /// What the content turned out to be (which may differ from what the extension claimed).
    pub format: Format,
    /// Title, author, dates, front matter.
    pub metadata: Metadata,
    /// The content, in reading order. Headers, footers, notes and comments come after the body.
    pub blocks: Vec<Block>,
    /// Things the reader wants a person to know but that did not stop it: "decoded as
    /// Windows-1252", "sheet Old is hidden", "3 error cells read as empty".
    pub notes: Vec<String>,
}

/// The document property (a DOCX custom property) that marks an `orgprofile` interview pack;
/// its value is the pack's format version. The reader keeps it in [`Metadata::properties`].
pub const INTERVIEW_PROPERTY: &str = "orgprofile-interview";

/// The interview pack format version this build writes and reads back.
pub const INTERVIEW_VERSION: &str = "1";

/// The header row of an interview pack's question tables. A DOCX table with this first row
/// keeps its cells' paragraphs as lines ([`Cell::breaks`]): an Answer cell holds one list
/// entry per line.
pub const INTERVIEW_HEADER: [&str; 4] = ["Question", "What the documents say", "Answer", "Field"];

impl Document {
    /// The format version of the interview pack this document is, if it is one.
    pub fn interview_version(&self) -> Option<&str> {
        self.metadata
            .properties
            .get(INTERVIEW_PROPERTY)
            .map(String::as_str)
    }
}

/// Document properties. Every field is optional; readers fill what the file records.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metadata {
    /// Document title (core properties, front matter `title`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Creator / author.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Last modified by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<String>,
    /// Creation date, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Last modification date, ISO 8601.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Other properties: Markdown front matter keys, flattened to text; a DOCX's
    /// [`INTERVIEW_PROPERTY`].
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, String>,
}

/// Where a block sits in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The main text.
    #[default]
    Body,
    /// A page header.
    Header,
    /// A page footer.
    Footer,
    /// A footnote.
    Footnote,
    /// An endnote.
    Endnote,
    /// A reviewer's comment.
    Comment,
    /// A text box or shape.
    TextBox,
    /// A block quote (Markdown).
    Quote,
}

/// One block of content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// What kind of block this is; tables carry their rows here.
    #[serde(flatten)]
    pub kind: BlockKind,
    /// The block's text, whitespace-normalised (single spaces, trimmed). Empty for tables.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The line breaks inside the block: the byte offsets in `text` of the single spaces that
    /// stand for them (Markdown soft and hard breaks, HTML `<br>`), ascending. Empty when the
    /// block is one line. [`Block::lines`] gives the lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<u32>,
    /// Where to find it.
    pub locator: Locator,
    /// Body, header, footer, note, comment, text box or quote.
    #[serde(skip_serializing_if = "is_body")]
    pub region: Region,
    /// Some run of the block was highlighted (templates mark unfilled text in yellow).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub highlighted: bool,
}

fn is_body(r: &Region) -> bool {
    *r == Region::Body
}

impl Block {
    /// The block's lines: `text` cut at its [`breaks`](Block::breaks), without the spaces that
    /// stood for the breaks. One line when there are no breaks; none when the text is empty.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        lines_of(&self.text, &self.breaks)
    }
}

impl Cell {
    /// The cell's lines: `text` cut at its [`breaks`](Cell::breaks), as [`Block::lines`].
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        lines_of(&self.text, &self.breaks)
    }
}

/// `text` cut at the spaces `breaks` points at. An offset that does not point at a space after
/// the previous one is passed over, so a hand-built block cannot make this panic.
fn lines_of<'a>(text: &'a str, breaks: &'a [u32]) -> impl Iterator<Item = &'a str> {
    let mut start = 0;
    let mut breaks = breaks.iter();
    let mut done = text.is_empty();
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        for &b in breaks.by_ref() {
            let Ok(b) = usize::try_from(b) else { break };
            if b >= start && text.as_bytes().get(b) == Some(&b' ') {
                let line = text.get(start..b);
                start = b + 1;
                return line;
            }
        }
        done = true;
        text.get(start..)
    })
}

/// The kinds of block.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading; level 1 is the top (a document Title is level 0).
    Heading {
        /// 0 for a title, 1..=9 for headings.
        level: u8,
    },
    /// A paragraph of text.
    Paragraph,
    /// An item of a bulleted or numbered list.
    ListItem {
        /// Nesting depth, 0 for the outermost list.
        depth: u8,
        /// The number as the source renders it ("2.", "b)", "iii."), if it is numbered.
        #[serde(skip_serializing_if = "Option::is_none")]
        number: Option<String>,
    },
    /// A table: a spreadsheet region, or a table in a DOCX or Markdown file.
    Table(Table),
}

/// A table. Rows may have different lengths; no row is assumed to be the header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// The sheet's name for a spreadsheet table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The table's own name: an Excel table (ListObject) name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The sheet is hidden.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
    /// Rows of cells.
    pub rows: Vec<Vec<Cell>>,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Text of the cell, whitespace-normalised. Dates are ISO 8601, whole numbers have no `.0`.
    pub text: String,
    /// The line breaks inside the cell, as [`Block::breaks`]: the byte offsets in `text` of the
    /// spaces that stand for them. [`Cell::lines`] gives the lines.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub breaks: Vec<u32>,
    /// Where to find it.
    pub locator: Locator,
    /// Some run of the cell was highlighted.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub highlighted: bool,
    /// Why the cell reads as it does, when that is not obvious ("error #N/A read as empty").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a block or cell is, in terms a person can open the file and find.
///
/// Displays as `Staff!B7`, `Staff!B7 (merged from B6)`, `word/document.xml paragraph 42`,
/// `word/document.xml table 3 row 2 column 1`, `line 17`; serialises as that text.
///
/// Sheet and part names are shared (`Arc<str>`): every cell and paragraph of a part points at
/// one copy of its name instead of allocating its own. Build them with `.into()` from a `&str`
/// or `String`; compare with `&*sheet == "Staff"`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Locator {
    /// A spreadsheet cell. Rows and columns are 0-based here and shown 1-based / lettered.
    Cell {
        /// Sheet name.
        sheet: Arc<str>,
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
        /// The top-left cell of the merged area this cell belongs to, when it is not itself.
        merged_from: Option<(u32, u32)>,
    },
    /// A spreadsheet region (a table block).
    Range {
        /// Sheet name.
        sheet: Arc<str>,
        /// 0-based first row and column.
        first: (u32, u32),
        /// 0-based last row and column (inclusive).
        last: (u32, u32),
    },
    /// A paragraph of an XML part (DOCX). 1-based index among the part's paragraphs.
    Paragraph {
        /// Part name, e.g. `word/document.xml`.
        part: Arc<str>,
        /// 1-based paragraph number within the part.
        index: u32,
    },
    /// A table of an XML part (DOCX). 1-based, counting nested tables in document order.
    Table {
        /// Part name.
        part: Arc<str>,
        /// 1-based table number within the part.
        table: u32,
    },
    /// A table cell of an XML part (DOCX). All numbers 1-based; `col` counts grid columns.
    TableCell {
        /// Part name.
        part: Arc<str>,
        /// 1-based table number.
        table: u32,
        /// 1-based row.
        row: u32,
        /// 1-based grid column.
        col: u32,
    },
    /// A line of a text file (Markdown, text), 1-based; `column` is a table column (1-based).
    Line {
        /// 1-based line.
        line: u32,
        /// 1-based column of a table cell.
        column: Option<u32>,
    },
}

/// Spreadsheet column letters for a 0-based column (0 -> A, 26 -> AA).
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
}

fn sheet_ref(sheet: &str) -> String {
    if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_string()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Locator::Cell {
                sheet,
                row,
                col,
                merged_from,
            } => {
                write!(f, "{}!{}", sheet_ref(sheet), cell_name(*row, *col))?;
                if let Some((r, c)) = merged_from {
                    write!(f, " (merged from {})", cell_name(*r, *c))?;
                }
                Ok(())
            }
            Locator::Range { sheet, first, last } => write!(
                f,
                "{}!{}:{}",
                sheet_ref(sheet),
                cell_name(first.0, first.1),
                cell_name(last.0, last.1)
            ),
            Locator::Paragraph { part, index } => write!(f, "{part} paragraph {index}"),
            Locator::Table { part, table } => write!(f, "{part} table {table}"),
            Locator::TableCell {
                part,
                table,
                row,
                col,
            } => write!(f, "{part} table {table} row {row} column {col}"),
            Locator::Line { line, column: None } => write!(f, "line {line}"),
            Locator::Line {
                line,
                column: Some(c),
            } => write!(f, "line {line} column {c}"),
        }
    }
}

impl Serialize for Locator {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Collapses every run of whitespace (including tabs, breaks and non-breaking spaces) into one
/// space and trims the ends. Every word is kept.
pub fn normalize_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_normalized(&mut out, text);
    out
}

/// Appends `src` to `dst` as [`normalize_whitespace`] gives it.
pub fn push_normalized(dst: &mut String, src: &str) {
    // Printable ASCII with single inner spaces is its own normal form: copied at once, checked
    // with passes the compiler vectorises (-9% XLSX read instructions).
    let b = src.as_bytes();
    let odd = b
        .iter()
        .fold(false, |acc, &c| acc | !(0x20..0x80).contains(&c));
    let double = b
        .iter()
        .zip(b.iter().skip(1))
        .fold(false, |acc, (&x, &y)| acc | ((x == b' ') & (y == b' ')));
    if !odd && !double && b.first() != Some(&b' ') && b.last() != Some(&b' ') {
        dst.push_str(src);
        return;
    }
    let mut first = true;
    for word in src.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !first {
            dst.push(' ');
        }
        dst.push_str(word);
        first = false;
    }
}

/// Compares texts with runs of digits as numbers ("line 9" before "line 10",
/// `word/header2.xml` before `word/header10.xml`). Leading zeros do not count, so "v01" and
/// "v1" compare equal: break ties with the byte order where a total order matters.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, ra) = a.split_at(da);
                let (nb, rb) = b.split_at(db);
                let ta = trim_zeros(na);
                let tb = trim_zeros(nb);
                let ord = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb));
                if ord != std::cmp::Ordering::Equal {
                    return ord;
                }
                a = ra;
                b = rb;
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let n = digits.iter().take_while(|c| **c == b'0').count();
    &digits[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_read_like_spreadsheet_and_word_references() {
        let cell = Locator::Cell {
            sheet: "Staff".into(),
            row: 6,
            col: 1,
            merged_from: None,
        };
        assert_eq!(cell.to_string(), "Staff!B7");
        let merged = Locator::Cell {
            sheet: "HR export".into(),
            row: 6,
            col: 27,
            merged_from: Some((5, 27)),
        };
        assert_eq!(merged.to_string(), "'HR export'!AB7 (merged from AB6)");
        let para = Locator::Paragraph {
            part: "word/document.xml".into(),
            index: 42,
        };
        assert_eq!(para.to_string(), "word/document.xml paragraph 42");
        assert_eq!(
            Locator::Line {
                line: 17,
                column: None
            }
            .to_string(),
            "line 17"
        );
    }

    #[test]
    fn lines_cut_the_text_at_its_breaks_and_never_panic() {
        let block = |text: &str, breaks: Vec<u32>| Block {
            kind: BlockKind::Paragraph,
            text: text.to_string(),
            breaks,
            locator: Locator::Line {
                line: 1,
                column: None,
            },
            region: Region::Body,
            highlighted: false,
        };
        let b = block("Legal name: Acme Employees: 85", vec![16]);
        assert_eq!(
            b.lines().collect::<Vec<_>>(),
            ["Legal name: Acme", "Employees: 85"]
        );
        assert_eq!(block("One line", vec![]).lines().count(), 1);
        assert_eq!(block("", vec![]).lines().count(), 0);
        // Offsets that point at no space, go backwards or past the end are passed over.
        let b = block("ab cd ef", vec![1, 5, 2, 99, u32::MAX]);
        assert_eq!(b.lines().collect::<Vec<_>>(), ["ab cd", "ef"]);
    }

    #[test]
    fn column_letters_roll_over() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn whitespace_is_normalised_and_words_kept() {
        assert_eq!(
            normalize_whitespace("  Service\tDesk \u{a0} Manager\n"),
            "Service Desk Manager"
        );
        // The plain fast path and the general one agree at their edges.
        for (text, normal) in [
            ("plain words", "plain words"),
            (" lead", "lead"),
            ("trail ", "trail"),
            ("a  b", "a b"),
            ("tab\there", "tab here"),
            ("nbsp\u{a0}inside", "nbsp inside"),
            ("東京 タワー", "東京 タワー"),
            ("", ""),
            ("   ", ""),
        ] {
            let mut out = String::from("x");
            push_normalized(&mut out, text);
            assert_eq!(out, format!("x{normal}"), "{text:?}");
        }
    }
}
