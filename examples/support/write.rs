//! Low-level writers for the sample generators: a small seeded PRNG, an XLSX sheet writer
//! (rust_xlsxwriter) and a DOCX document builder (docx-rs) with real Heading1/Heading2 styles,
//! bullet and numbered lists and tables.
//! Takes plain strings and rows; gives file bytes. Must not read the clock: every date written
//! into document properties is a fixed value passed in by the caller.

use std::error::Error;
use std::io::Cursor;
use std::path::Path;

use docx_rs::{
    AbstractNumbering, AlignmentType, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat,
    Numbering, NumberingId, Paragraph, Run, SpecialIndentType, Start, Style, StyleType, Table,
    TableCell, TableRow,
};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// The error type of every generator function.
pub type GenResult<T> = Result<T, Box<dyn Error>>;

/// A small xorshift64* generator: deterministic from its seed, good enough for sample data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence depends only on `seed` (any seed, including 0, is fine).
    pub fn new(seed: u64) -> Self {
        // splitmix64 scramble so that nearby seeds give unrelated streams and the state is never 0.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(z | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// One spreadsheet cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    S(String),
    /// A number.
    N(f64),
    /// A date (year, month, day), written as a real Excel date with a date format.
    D(u16, u8, u8),
    /// Nothing in this cell.
    Empty,
}

/// Shorthand for a text cell; empty text becomes an empty cell.
pub fn s(text: impl Into<String>) -> Cell {
    let text = text.into();
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::S(text)
    }
}

/// One worksheet: optional title lines above the header (as report exports have), a header row
/// and data rows.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The worksheet's tab name.
    pub name: String,
    /// Lines written above the header, each in column A, followed by one blank row.
    pub title_rows: Vec<String>,
    /// The header row.
    pub header: Vec<String>,
    /// The data rows.
    pub rows: Vec<Vec<Cell>>,
}

/// Workbook or document properties: fixed values, never the clock.
#[derive(Debug, Clone, Copy)]
pub struct Props<'a> {
    /// The document title.
    pub title: &'a str,
    /// The author.
    pub author: &'a str,
    /// The company (XLSX only).
    pub company: &'a str,
    /// The creation date as (year, month, day).
    pub date: (u16, u8, u8),
}

/// Writes the sheets as an XLSX workbook and returns its bytes.
pub fn xlsx_bytes(sheets: &[Sheet], props: &Props) -> GenResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let (y, m, d) = props.date;
    let created = ExcelDateTime::from_ymd(y, m, d)?.and_hms(9, 0, 0)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(props.title)
            .set_author(props.author)
            .set_company(props.company)
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let title_format = Format::new().set_bold().set_font_size(14);
    let date_format = Format::new().set_num_format("dd/mm/yyyy");
    for sheet in sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(&sheet.name)?;
        let mut row: u32 = 0;
        for line in &sheet.title_rows {
            ws.write_string_with_format(row, 0, line, &title_format)?;
            row += 1;
        }
        if !sheet.title_rows.is_empty() {
            row += 1;
        }
        let header_row = row;
        for (col, name) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(row, col as u16, name, &bold)?;
        }
        row += 1;
        for cells in &sheet.rows {
            for (col, cell) in cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::S(text) => {
                        ws.write_string(row, col, text)?;
                    }
                    Cell::N(n) => {
                        ws.write_number(row, col, *n)?;
                    }
                    Cell::D(y, m, d) => {
                        let date = ExcelDateTime::from_ymd(*y, *m, *d)?;
                        ws.write_datetime_with_format(row, col, &date, &date_format)?;
                    }
                    Cell::Empty => {}
                }
            }
            row += 1;
        }
        if !sheet.header.is_empty() {
            let last_col = (sheet.header.len() - 1) as u16;
            ws.autofilter(
                header_row,
                0,
                row.saturating_sub(1).max(header_row),
                last_col,
            )?;
            ws.set_freeze_panes(header_row + 1, 0)?;
            for col in 0..=last_col {
                ws.set_column_width(col, 20)?;
            }
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// Re-packs a zip with every entry deflated and dated 1980-01-01, dropping directory entries,
/// as Word saves a DOCX (docx-rs stores its parts uncompressed).
pub fn deflate_zip(bytes: &[u8]) -> GenResult<Vec<u8>> {
    deflate_zip_with(bytes, |_, _| {})
}

/// Escapes text for an XML element's content.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Like [`deflate_zip`], letting `edit` change each entry's bytes (given the entry name) first.
pub fn deflate_zip_with(
    bytes: &[u8],
    mut edit: impl FnMut(&str, &mut Vec<u8>),
) -> GenResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.to_string();
        buf.clear();
        entry.read_to_end(&mut buf)?;
        edit(&name, &mut buf);
        writer.start_file(name, options)?;
        writer.write_all(&buf)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Writes `bytes` to `path`, creating its parent folders.
pub fn write_file(path: &Path, bytes: &[u8]) -> GenResult<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)?;
    Ok(())
}

/// A piece of a paragraph: its text and whether Word shows it highlighted in yellow.
#[derive(Debug, Clone, Copy)]
pub struct Span<'a> {
    /// The text.
    pub text: &'a str,
    /// Highlighted in yellow, as template fields to fill in often are.
    pub highlight: bool,
    /// Bold.
    pub bold: bool,
}

/// Plain text span.
pub fn plain(text: &str) -> Span<'_> {
    Span {
        text,
        highlight: false,
        bold: false,
    }
}

/// Yellow-highlighted span.
pub fn marked(text: &str) -> Span<'_> {
    Span {
        text,
        highlight: true,
        bold: false,
    }
}

/// Bold span.
pub fn strong(text: &str) -> Span<'_> {
    Span {
        text,
        highlight: false,
        bold: true,
    }
}

/// The abstract numbering and numbering id used for every bulleted list.
const BULLET_NUM: usize = 1;

/// Builds a DOCX with Word's built-in style ids (Title, Heading1, Heading2, ListParagraph,
/// TableGrid), bullet lists, restarting numbered lists and tables.
pub struct DocBuilder {
    docx: Docx,
    next_num: usize,
    title: Option<String>,
    author: Option<String>,
}

impl DocBuilder {
    /// A new document whose core properties carry `date` (W3CDTF, e.g. "2026-03-02T09:00:00Z")
    /// as both created and modified time.
    pub fn new(date: &str) -> Self {
        // docx-rs numbers paragraphs from a thread-local counter that packing resets; building an
        // empty document first makes the ids independent of what this thread wrote before.
        let _ = Docx::new().build();
        let docx = Docx::new()
            .created_at(date)
            .updated_at(date)
            .add_style(
                Style::new("Title", StyleType::Paragraph)
                    .name("Title")
                    .based_on("Normal")
                    .next("Normal")
                    .size(48),
            )
            .add_style(
                Style::new("Heading1", StyleType::Paragraph)
                    .name("heading 1")
                    .based_on("Normal")
                    .next("Normal")
                    .outline_lvl(0)
                    .bold()
                    .size(32)
                    .color("2F5496"),
            )
            .add_style(
                Style::new("Heading2", StyleType::Paragraph)
                    .name("heading 2")
                    .based_on("Normal")
                    .next("Normal")
                    .outline_lvl(1)
                    .bold()
                    .size(26)
                    .color("2F5496"),
            )
            .add_style(
                Style::new("ListParagraph", StyleType::Paragraph)
                    .name("List Paragraph")
                    .based_on("Normal")
                    .indent(Some(720), None, None, None),
            )
            .add_style(Style::new("TableGrid", StyleType::Table).name("Table Grid"))
            .add_abstract_numbering(
                AbstractNumbering::new(BULLET_NUM).add_level(
                    Level::new(
                        0,
                        Start::new(1),
                        NumberFormat::new("bullet"),
                        LevelText::new("\u{2022}"),
                        LevelJc::new("left"),
                    )
                    .indent(
                        Some(720),
                        Some(SpecialIndentType::Hanging(360)),
                        None,
                        None,
                    ),
                ),
            )
            .add_numbering(Numbering::new(BULLET_NUM, BULLET_NUM));
        DocBuilder {
            docx,
            next_num: BULLET_NUM + 1,
            title: None,
            author: None,
        }
    }

    /// Sets the core properties' title and author (docx-rs writes "unknown" as the author).
    pub fn meta(&mut self, title: &str, author: &str) -> &mut Self {
        self.title = Some(title.to_string());
        self.author = Some(author.to_string());
        self
    }

    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn push_table(&mut self, t: Table) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(t);
    }

    /// A paragraph in the Title style.
    pub fn title(&mut self, text: &str) -> &mut Self {
        self.push(
            Paragraph::new()
                .style("Title")
                .add_run(Run::new().add_text(text)),
        );
        self
    }

    /// A Heading 1 paragraph.
    pub fn h1(&mut self, text: &str) -> &mut Self {
        self.push(
            Paragraph::new()
                .style("Heading1")
                .add_run(Run::new().add_text(text)),
        );
        self
    }

    /// A Heading 2 paragraph.
    pub fn h2(&mut self, text: &str) -> &mut Self {
        self.push(
            Paragraph::new()
                .style("Heading2")
                .add_run(Run::new().add_text(text)),
        );
        self
    }

    /// A plain paragraph.
    pub fn p(&mut self, text: &str) -> &mut Self {
        self.push(Paragraph::new().add_run(Run::new().add_text(text)));
        self
    }

    /// A paragraph made of several runs, some highlighted or bold.
    pub fn spans(&mut self, spans: &[Span]) -> &mut Self {
        let mut p = Paragraph::new();
        for span in spans {
            let mut run = Run::new().add_text(span.text);
            if span.highlight {
                run = run.highlight("yellow");
            }
            if span.bold {
                run = run.bold();
            }
            p = p.add_run(run);
        }
        self.push(p);
        self
    }

    /// A bulleted list, one paragraph per item.
    pub fn bullets<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        for item in items {
            self.push(
                Paragraph::new()
                    .style("ListParagraph")
                    .numbering(NumberingId::new(BULLET_NUM), IndentLevel::new(0))
                    .add_run(Run::new().add_text(item.as_ref())),
            );
        }
        self
    }

    /// A numbered list starting at 1.
    pub fn numbered<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        let id = self.next_num;
        self.next_num += 1;
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx
            .add_abstract_numbering(
                AbstractNumbering::new(id).add_level(
                    Level::new(
                        0,
                        Start::new(1),
                        NumberFormat::new("decimal"),
                        LevelText::new("%1."),
                        LevelJc::new("left"),
                    )
                    .indent(
                        Some(720),
                        Some(SpecialIndentType::Hanging(360)),
                        None,
                        None,
                    ),
                ),
            )
            .add_numbering(Numbering::new(id, id));
        for item in items {
            self.push(
                Paragraph::new()
                    .style("ListParagraph")
                    .numbering(NumberingId::new(id), IndentLevel::new(0))
                    .add_run(Run::new().add_text(item.as_ref())),
            );
        }
        self
    }

    /// A table whose first row is a bold header row.
    pub fn table<S: AsRef<str>>(&mut self, rows: &[Vec<S>]) -> &mut Self {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let width = 9000 / cols;
        let table_rows: Vec<TableRow> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                TableRow::new(
                    row.iter()
                        .map(|text| {
                            let mut run = Run::new().add_text(text.as_ref());
                            if i == 0 {
                                run = run.bold();
                            }
                            TableCell::new().add_paragraph(Paragraph::new().add_run(run))
                        })
                        .collect(),
                )
            })
            .collect();
        self.push_table(
            Table::new(table_rows)
                .style("TableGrid")
                .set_grid(vec![width; cols]),
        );
        self
    }

    /// A two-column Label | Value table without a header row, labels in bold.
    pub fn kv_table(&mut self, pairs: &[(&str, &str)]) -> &mut Self {
        let rows: Vec<TableRow> = pairs
            .iter()
            .map(|(label, value)| {
                TableRow::new(vec![
                    TableCell::new().add_paragraph(
                        Paragraph::new().add_run(Run::new().add_text(*label).bold()),
                    ),
                    TableCell::new()
                        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(*value))),
                ])
            })
            .collect();
        self.push_table(
            Table::new(rows)
                .style("TableGrid")
                .set_grid(vec![3000, 6000]),
        );
        self
    }

    /// A right-aligned small paragraph, as a classification marking or footer line.
    pub fn note(&mut self, text: &str) -> &mut Self {
        self.push(
            Paragraph::new()
                .align(AlignmentType::Right)
                .add_run(Run::new().add_text(text).size(16).italic()),
        );
        self
    }

    /// Packs the document and returns the DOCX bytes.
    pub fn bytes(&mut self) -> GenResult<Vec<u8>> {
        let docx = std::mem::take(&mut self.docx);
        let mut out = Cursor::new(Vec::new());
        docx.pack(&mut out)?;
        let title = self.title.as_deref().map(xml_escape);
        let author = self.author.as_deref().map(xml_escape);
        deflate_zip_with(&out.into_inner(), |name, xml| {
            if name != "docProps/core.xml" {
                return;
            }
            let mut text = String::from_utf8_lossy(xml).into_owned();
            if let Some(author) = &author {
                text = text
                    .replace(
                        "<dc:creator>unknown</dc:creator>",
                        &format!("<dc:creator>{author}</dc:creator>"),
                    )
                    .replace(
                        "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                        &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
                    );
            }
            if let Some(title) = &title {
                text = text.replace(
                    "</cp:coreProperties>",
                    &format!("<dc:title>{title}</dc:title></cp:coreProperties>"),
                );
            }
            *xml = text.into_bytes();
        })
    }

    /// Packs the document and writes it to `path`.
    pub fn save(&mut self, path: &Path) -> GenResult<()> {
        let bytes = self.bytes()?;
        write_file(path, &bytes)
    }
}
