//! The spreadsheet reader: workbooks into table blocks. xlsx and xlsm go through our own
//! streaming reader (`xlsx/`, zip + quick-xml); xlsb, xls and ods through calamine.
//!
//! Takes a workbook held in memory (already sniffed, so `format` is what the content is) and
//! gives a [`Document`] whose blocks are tables: every sheet is split at fully blank rows and
//! columns into regions (a title block above a register and a second table below become
//! separate tables), and every Excel table (ListObject) becomes a table of its own with its name.
//! Cell locators keep absolute sheet positions; merged areas repeat their value and note their
//! origin. Dates are ISO 8601, numbers are printed without float noise, booleans as TRUE/FALSE,
//! error cells are empty with a note. This post-processing is shared by every format: a reader
//! gives per sheet a sparse list of cells, the merged areas and the named tables.
//!
//! Bounded: zip packages are inflated through [`Container`] first (so calamine never inflates a
//! part larger than [`Limits`] allows), ODS repeat counts are checked before calamine sizes
//! anything from them (an `.xls` file's declared and spanned sheet sizes through the private
//! `ole` module), xlsx and xlsb sheets are streamed cell by cell into a sparse list (a cell at
//! XFD1048576 costs one cell, not a dense sheet), and rows and cells are counted against
//! [`Limits::max_sheet_rows`] and [`Limits::max_sheet_cells`].
//!
//! Tolerant where calamine is strict: a package with UTF-16 XML parts (Excel on Windows Phone)
//! or a pretty-printed ODS content.xml is rebuilt in memory in a form calamine parses; a sheet
//! that cannot be read is skipped with a note (the workbook fails only when no sheet reads);
//! a calamine panic on a damaged workbook becomes [`ReadError::Spreadsheet`].
//!
//! Must not decide which row is a header (the mapper does) and must not print.

use super::container::Container;
use super::{Limits, ReadError};
use crate::document::{
    normalize_whitespace, Block, BlockKind, Cell, Document, Format, Locator, Metadata, Region,
    Table,
};
use calamine::{
    CellErrorType, Data, DataRef, Dimensions, ExcelDateTime, Ods, Reader, SheetType, SheetVisible,
    WorkbookProperties, Xls, Xlsb,
};
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;

/// Reads a workbook held in memory; `format` is what the content was sniffed to be.
///
/// calamine panics on some damaged workbooks (a sheet whose relationship is missing from an
/// xlsb package); such a panic is reported as [`ReadError::Spreadsheet`] for this file.
pub fn read(
    display: &str,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Document, ReadError> {
    if format == Format::Xlsx {
        return read_xlsx(display, Container::open(bytes, limits)?, limits);
    }
    crate::contain::contain(|| read_workbook(display, bytes, format, limits)).unwrap_or_else(
        |message| {
        Err(ReadError::Spreadsheet(format!(
            "the spreadsheet library stopped on a damaged structure ({message}); open and re-save the workbook in Excel or LibreOffice"
        )))
        },
    )
}

/// Reads an xlsx or xlsm package from an opened container, with our own streaming reader.
pub fn read_xlsx(
    display: &str,
    zip: Container<'_>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let mut book = super::xlsx::Workbook::open(zip)?;
    let metadata = book.metadata();
    let sheets = book.sheets();
    let notes = std::mem::take(&mut book.notes);
    let mut doc = assemble(
        display,
        Format::Xlsx,
        metadata,
        &sheets,
        |index, _, budget| book.sheet(index, budget),
        limits,
    )?;
    doc.notes.splice(0..0, notes);
    Ok(doc)
}

fn read_workbook(
    display: &str,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let precheck = match format {
        Format::Xlsb | Format::Ods => precheck_zip(bytes, format, limits)?,
        Format::Xls => {
            super::ole::check_xls(bytes, limits)?;
            ZipFacts::default()
        }
        _ => {
            return Err(ReadError::Internal(format!(
                "the spreadsheet reader was handed {}",
                format.describe()
            )))
        }
    };
    let fail = |e: &dyn CalamineError| calamine_error(&e.to_string(), e);
    let utf8_package: Vec<u8>;
    let bytes = if precheck.utf16_parts {
        utf8_package = repack(bytes, limits, |_, data| {
            super::utf16_xml_to_utf8(&data).unwrap_or(data)
        })?;
        utf8_package.as_slice()
    } else {
        bytes
    };
    let repacked: Vec<u8>;
    let mut book = match format {
        Format::Xlsb => Book::Xlsb(Xlsb::new(Cursor::new(bytes)).map_err(|e| fail(&e))?),
        Format::Xls => Book::Xls(Xls::new(Cursor::new(bytes)).map_err(|e| fail(&e))?),
        _ => match Ods::new(Cursor::new(bytes)) {
            Ok(book) => Book::Ods(book),
            // calamine's ODS parser stops at whitespace between table elements (a
            // pretty-printed content.xml, as some generators write it); retry once without it.
            Err(calamine::OdsError::Mismatch { .. }) => {
                repacked = repack(bytes, limits, |name, data| {
                    if name == "content.xml" {
                        drop_layout_whitespace(&data)
                    } else {
                        data
                    }
                })?;
                Book::Ods(Ods::new(Cursor::new(repacked.as_slice())).map_err(|e| fail(&e))?)
            }
            Err(e) => return Err(fail(&e)),
        },
    };
    let metadata = book.metadata();
    let sheets: Vec<SheetInfo> = book
        .sheets()
        .into_iter()
        .map(|sheet| SheetInfo {
            kind: match sheet.typ {
                SheetType::WorkSheet => SheetKind::Work,
                SheetType::ChartSheet => SheetKind::Chart,
                SheetType::DialogSheet => SheetKind::Dialog,
                SheetType::MacroSheet => SheetKind::Macro,
                _ => SheetKind::Vba,
            },
            hidden: !matches!(sheet.visible, SheetVisible::Visible),
            name: sheet.name,
        })
        .collect();
    assemble(
        display,
        format,
        metadata,
        &sheets,
        |index, sheet, budget| {
            let cells = book.cells(&sheet.name, budget)?;
            let (merges, tables) = if cells.is_empty() {
                (Ok(Vec::new()), Vec::new())
            } else {
                (book.merges(&sheet.name, index, &precheck), Vec::new())
            };
            Ok(SheetData {
                cells,
                merges,
                tables,
            })
        },
        limits,
    )
}

/// What a sheet is, as the workbook lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SheetKind {
    /// A worksheet: the only kind read.
    Work,
    /// A chart sheet.
    Chart,
    /// A dialog sheet (Excel 5).
    Dialog,
    /// An Excel 4 macro sheet.
    Macro,
    /// A VBA module.
    Vba,
    /// Some other relationship type (its last segment).
    Other(String),
    /// The workbook names no part for it.
    Missing,
}

/// A sheet of the workbook: its name, kind and visibility.
#[derive(Debug, Clone)]
pub(super) struct SheetInfo {
    /// The sheet's name.
    pub(super) name: String,
    /// What it is.
    pub(super) kind: SheetKind,
    /// Hidden or very hidden.
    pub(super) hidden: bool,
}

/// What a reader gives for one sheet.
#[derive(Debug)]
pub(super) struct SheetData {
    /// The non-empty cells (error cells included, as empty text with a note), in any order;
    /// a later cell at the same position wins.
    pub(super) cells: Vec<Placed>,
    /// The merged areas, or why they could not be read.
    pub(super) merges: Result<Vec<Dimensions>, String>,
    /// The Excel tables (ListObjects): name and area, header row included.
    pub(super) tables: Vec<(String, Dimensions)>,
}

impl Default for SheetData {
    fn default() -> Self {
        SheetData {
            cells: Vec::new(),
            merges: Ok(Vec::new()),
            tables: Vec::new(),
        }
    }
}

/// The shared post-processing: for each worksheet, its cells (from `read_sheet`), merged areas
/// expanded, named tables and the rest split into table blocks, with the notes every reader
/// gives (hidden sheets, skipped sheets, error cells).
fn assemble(
    display: &str,
    format: Format,
    metadata: Metadata,
    sheets: &[SheetInfo],
    mut read_sheet: impl FnMut(usize, &SheetInfo, &mut Budget) -> Result<SheetData, ReadError>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let mut doc = Document {
        path: display.to_string(),
        format,
        metadata,
        blocks: Vec::new(),
        notes: Vec::new(),
    };
    let mut budget = Budget::new(limits);
    let mut errors_total = 0usize;
    let mut sheets_read = 0usize;
    let mut first_error: Option<ReadError> = None;
    for (index, sheet) in sheets.iter().enumerate() {
        let what = match &sheet.kind {
            SheetKind::Work => None,
            SheetKind::Chart => Some("a chart sheet".to_string()),
            SheetKind::Dialog => Some("a dialog sheet".to_string()),
            SheetKind::Macro => Some("a macro sheet".to_string()),
            SheetKind::Vba => Some("a VBA module".to_string()),
            SheetKind::Other(kind) => Some(format!("of an unknown kind ({kind})")),
            SheetKind::Missing => {
                doc.notes.push(format!(
                    "sheet {} is missing: the workbook names no part for it; skipped",
                    quoted(&sheet.name)
                ));
                continue;
            }
        };
        if let Some(what) = what {
            doc.notes.push(format!(
                "sheet {} is {what}, not a worksheet; skipped",
                quoted(&sheet.name)
            ));
            continue;
        }
        let hidden = sheet.hidden;
        // A sheet that cannot be read is skipped with a note; the workbook fails only when no
        // sheet could be read.
        let SheetData {
            cells: mut raw,
            merges,
            tables: named,
        } = match read_sheet(index, sheet, &mut budget) {
            Ok(data) => data,
            Err(ReadError::Spreadsheet(why)) => {
                doc.notes.push(format!("{why}; this sheet was skipped"));
                first_error.get_or_insert(ReadError::Spreadsheet(why));
                continue;
            }
            Err(other) => return Err(other),
        };
        settle(&mut raw);
        sheets_read += 1;
        if raw.is_empty() {
            if hidden {
                doc.notes.push(format!(
                    "sheet {} is hidden (and empty)",
                    quoted(&sheet.name)
                ));
            }
            continue;
        }
        if hidden {
            doc.notes.push(format!(
                "sheet {} is hidden; its tables are flagged as hidden",
                quoted(&sheet.name)
            ));
        }
        errors_total += raw.iter().filter(|(_, c)| c.note.is_some()).count();
        let merges = merges.unwrap_or_else(|e| {
            doc.notes.push(format!(
                "sheet {}: merged cells could not be read ({e}); merged areas show their value once",
                quoted(&sheet.name)
            ));
            Vec::new()
        });
        expand_merges(&mut raw, &merges, &mut budget)?;
        let tables = split_sheet(&sheet.name, hidden, raw, &named, &mut budget)?;
        doc.blocks.extend(tables);
    }
    if let (0, Some(error)) = (sheets_read, first_error) {
        return Err(error);
    }
    if errors_total > 0 {
        doc.notes.push(format!(
            "{errors_total} error cell{} (#N/A, #REF!, ...) read as empty",
            if errors_total == 1 { "" } else { "s" }
        ));
    }
    Ok(doc)
}

/// One sheet cell as read, before it is placed in a table.
#[derive(Debug, Clone)]
pub(super) struct RawCell {
    /// The cell's text, whitespace normalised.
    pub(super) text: String,
    /// Why the text is not the cell's (an error value).
    pub(super) note: Option<String>,
    /// The origin of the merged area the cell is part of.
    pub(super) merged_from: Option<(u32, u32)>,
    /// Filled in yellow: templates mark the text to replace that way.
    pub(super) highlighted: bool,
}

/// Counts rows and cells against the limits.
pub(super) struct Budget {
    max_rows: u32,
    max_cells: u64,
    read: u64,
    emitted: u64,
}

impl Budget {
    fn new(limits: &Limits) -> Budget {
        Budget {
            max_rows: limits.max_sheet_rows,
            max_cells: limits.max_sheet_cells,
            read: 0,
            emitted: 0,
        }
    }

    /// Refuses a cell in a row past [`Limits::max_sheet_rows`].
    #[inline]
    pub(super) fn row(&self, sheet: &str, row: u32) -> Result<(), ReadError> {
        if row >= self.max_rows {
            return Err(self.too_many_rows(sheet, row));
        }
        Ok(())
    }

    #[cold]
    fn too_many_rows(&self, sheet: &str, row: u32) -> ReadError {
        ReadError::Limit {
            what: format!(
                "sheet {}: the number of rows (a cell in row {})",
                quoted(sheet),
                u64::from(row) + 1
            ),
            limit: format!("{} rows per sheet", self.max_rows),
        }
    }

    /// Counts one non-empty cell against [`Limits::max_sheet_cells`].
    #[inline]
    pub(super) fn read_cell(&mut self) -> Result<(), ReadError> {
        self.read += 1;
        if self.read > self.max_cells {
            return Err(self.too_many_cells());
        }
        Ok(())
    }

    #[cold]
    fn too_many_cells(&self) -> ReadError {
        ReadError::Limit {
            what: "the number of non-empty cells in the workbook".into(),
            limit: format!("{} cells", self.max_cells),
        }
    }

    fn emit(&mut self, n: u64) -> Result<(), ReadError> {
        self.emitted = self.emitted.saturating_add(n);
        if self.emitted > self.max_cells {
            return Err(ReadError::Limit {
                what: "the number of table cells (blank cells inside tables included)".into(),
                limit: format!("{} cells", self.max_cells),
            });
        }
        Ok(())
    }
}

type Cursor0<'a> = Cursor<&'a [u8]>;

enum Book<'a> {
    Xlsb(Xlsb<Cursor0<'a>>),
    Xls(Xls<Cursor0<'a>>),
    Ods(Ods<Cursor0<'a>>),
}

impl Book<'_> {
    fn sheets(&self) -> Vec<calamine::Sheet> {
        match self {
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b) => b.sheets_metadata().to_vec(),
        }
    }

    fn metadata(&mut self) -> Metadata {
        let props = match self {
            Book::Xlsb(b) => b.workbook_properties().ok(),
            Book::Xls(b) => b.workbook_properties().ok(),
            Book::Ods(b) => b.workbook_properties().ok(),
        };
        props.map(metadata_of).unwrap_or_default()
    }

    /// The non-empty cells of a sheet (error cells included, as empty text with a note).
    fn cells(&mut self, sheet: &str, budget: &mut Budget) -> Result<Vec<Placed>, ReadError> {
        let mut out = Vec::new();
        let where_ = |e: &dyn std::fmt::Display| {
            ReadError::Spreadsheet(format!(
                "sheet {}: {e} (open and re-save the workbook in Excel or LibreOffice to repair it)",
                quoted(sheet)
            ))
        };
        match self {
            Book::Xlsb(b) => {
                let mut reader = b.worksheet_cells_reader(sheet).map_err(|e| where_(&e))?;
                while let Some(cell) = reader.next_cell().map_err(|e| where_(&e))? {
                    let (row, col) = cell.get_position();
                    if let Some(raw) = convert_ref(cell.get_value()) {
                        budget.row(sheet, row)?;
                        budget.read_cell()?;
                        out.push(((row, col), raw));
                    }
                }
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(sheet).map_err(|e| where_(&e))?;
                collect_range(sheet, &range, budget, &mut out)?;
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(sheet).map_err(|e| where_(&e))?;
                collect_range(sheet, &range, budget, &mut out)?;
            }
        }
        Ok(out)
    }

    fn merges(
        &mut self,
        sheet: &str,
        index: usize,
        facts: &ZipFacts,
    ) -> Result<Vec<Dimensions>, String> {
        match self {
            Book::Xls(b) => b
                .merge_cells_by_sheet_name(sheet)
                .map_err(|e| e.to_string()),
            Book::Ods(_) => Ok(facts.ods_merges.get(index).cloned().unwrap_or_default()),
            Book::Xlsb(_) => Ok(Vec::new()),
        }
    }
}

/// The workbook properties calamine or the xlsx reader found, as document metadata.
pub(super) fn metadata_of(p: WorkbookProperties) -> Metadata {
    let clean = |s: Option<String>| {
        s.map(|s| normalize_whitespace(&s))
            .filter(|s| !s.is_empty())
    };
    let mut properties = BTreeMap::new();
    for (key, value) in [
        ("subject", p.subject),
        ("description", p.description),
        ("keywords", p.keywords),
        ("category", p.category),
        ("company", p.company),
        ("manager", p.manager),
    ] {
        if let Some(v) = clean(value) {
            properties.insert(key.to_string(), v);
        }
    }
    Metadata {
        title: clean(p.title),
        author: clean(p.creator),
        last_modified_by: clean(p.last_modified_by),
        created: clean(p.created),
        modified: clean(p.modified),
        properties,
    }
}

fn collect_range(
    sheet: &str,
    range: &calamine::Range<Data>,
    budget: &mut Budget,
    out: &mut Vec<Placed>,
) -> Result<(), ReadError> {
    for (r, c, value) in range.used_cells() {
        let (Some(row), Some(col)) = (
            range
                .start()
                .and_then(|s| s.0.checked_add(u32::try_from(r).ok()?)),
            range
                .start()
                .and_then(|s| s.1.checked_add(u32::try_from(c).ok()?)),
        ) else {
            continue;
        };
        if let Some(raw) = convert(value) {
            budget.row(sheet, row)?;
            budget.read_cell()?;
            out.push(((row, col), raw));
        }
    }
    Ok(())
}

fn convert_ref(value: &DataRef<'_>) -> Option<RawCell> {
    let text = match value {
        DataRef::Empty => return None,
        DataRef::SharedString(s) => normalize_whitespace(s),
        DataRef::String(s) => normalize_whitespace(s),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => format_number(*f),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(d) => format_datetime(d),
        DataRef::DateTimeIso(s) => iso_text(s),
        DataRef::DurationIso(s) => normalize_whitespace(s),
        DataRef::Error(e) => return Some(error_cell(e)),
    };
    non_empty(text)
}

fn convert(value: &Data) -> Option<RawCell> {
    let text = match value {
        Data::Empty => return None,
        Data::String(s) => normalize_whitespace(s),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format_number(*f),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(d) => format_datetime(d),
        Data::DateTimeIso(s) => iso_text(s),
        Data::DurationIso(s) => normalize_whitespace(s),
        Data::Error(e) => return Some(error_cell(e)),
    };
    non_empty(text)
}

/// A cell with this text, or `None` when the text is empty.
pub(super) fn non_empty(text: String) -> Option<RawCell> {
    (!text.is_empty()).then_some(RawCell {
        text,
        note: None,
        merged_from: None,
        highlighted: false,
    })
}

fn error_cell(e: &CellErrorType) -> RawCell {
    error_cell_named(&e.to_string())
}

/// An error cell (`#N/A`): empty, with a note.
pub(super) fn error_cell_named(e: &str) -> RawCell {
    RawCell {
        text: String::new(),
        note: Some(format!("error {e} read as empty")),
        merged_from: None,
        highlighted: false,
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// ISO text from ODS and xlsx `t="d"` cells: a date at midnight loses its `T00:00:00`.
pub(super) fn iso_text(s: &str) -> String {
    let s = normalize_whitespace(s);
    match s.strip_suffix("T00:00:00") {
        Some(date) if date.len() == 10 => date.to_string(),
        _ => s,
    }
}

/// A number as a person typed it: whole numbers without `.0`, and float noise (0.1 + 0.2)
/// rounded away at 15 significant digits, as Excel shows it.
pub(crate) fn format_number(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f == f.trunc() && f.abs() < 1e15 {
        // Exact: whole numbers below 1e15 convert to i64 without loss.
        return (f as i64).to_string();
    }
    // The shortest form that reads back as `f`, when it has at most 15 significant digits, is
    // what rounding to 15 digits gives too (the rounding moves `f` by less than half a unit in
    // the last place). Taken as it is, the read_formats corpus's numbers print in 40M
    // instructions instead of 134M.
    if (1e-5..1e15).contains(&f.abs()) {
        let shortest = f.to_string();
        let digits = shortest
            .bytes()
            .filter(u8::is_ascii_digit)
            .skip_while(|&d| d == b'0')
            .count();
        if digits <= 15 {
            return shortest;
        }
    }
    format_number_rounded(f)
}

/// [`format_number`] the long way: round to 15 significant digits, then print the shortest
/// form that reads back the same.
fn format_number_rounded(f: f64) -> String {
    if f == f.trunc() && f.abs() < 1e15 {
        return (f as i64).to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded.abs() >= 1e15 || rounded.abs() < 1e-5 {
        format!("{rounded:e}")
    } else {
        format!("{rounded}")
    }
}

/// A date cell as ISO 8601: `2024-03-01`, `2024-03-01T09:30:00`, or `09:30:00` for a time
/// alone; durations as ISO 8601 durations (`PT36H30M0S`), as ODS gives them.
pub(crate) fn format_datetime(d: &ExcelDateTime) -> String {
    let value = d.as_f64();
    if d.is_duration() {
        let total = (value * 86_400.0).round();
        if !total.is_finite() || total.abs() > 1e12 {
            return format_number(value);
        }
        let total = total as i64;
        let t = total.unsigned_abs();
        let mut out = String::with_capacity(16);
        out.push_str(if total < 0 { "-PT" } else { "PT" });
        for (n, unit) in [(t / 3600, 'H'), ((t / 60) % 60, 'M'), (t % 60, 'S')] {
            push_padded(&mut out, n, 1);
            out.push(unit);
        }
        return out;
    }
    if !value.is_finite() || value < 0.0 {
        return format_number(value);
    }
    let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
    let has_time = h != 0 || mi != 0 || s != 0 || ms != 0;
    // Digits pushed by hand, not through format!: -4% XLSX read instructions.
    let mut out = String::with_capacity(19);
    if value >= 1.0 {
        push_padded(&mut out, y.into(), 4);
        for (sep, n) in [('-', mo), ('-', day)] {
            out.push(sep);
            push_padded(&mut out, n.into(), 2);
        }
        if !has_time {
            return out;
        }
        out.push('T');
    }
    push_padded(&mut out, h.into(), 2);
    for n in [mi, s] {
        out.push(':');
        push_padded(&mut out, n.into(), 2);
    }
    out
}

/// Appends `n` in decimal, zero-padded to at least `width` digits (`{n:0width$}`).
fn push_padded(out: &mut String, mut n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut len = 0;
    while n > 0 || len < width.max(1) {
        if let Some(d) = digits.get_mut(len) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        len += 1;
        if len >= digits.len() {
            break;
        }
    }
    out.extend(digits.iter().take(len).rev().map(|&d| char::from(d)));
}

/// Largest merged area repeated in full; larger ones are clipped to the sheet's used area.
const MAX_MERGE_AREA: u64 = 65_536;

/// A cell and its (row, column).
pub(super) type Placed = ((u32, u32), RawCell);

/// Sorts cells by position and keeps one per position: the one pushed last.
fn settle(cells: &mut Vec<Placed>) {
    // Readers give cells in order: then there is nothing to do.
    if cells.windows(2).all(|w| match w {
        [a, b] => a.0 < b.0,
        _ => true,
    }) {
        return;
    }
    cells.reverse();
    cells.sort_by_key(|(pos, _)| *pos); // stable: the last pushed comes first among equals
    cells.dedup_by_key(|(pos, _)| *pos);
}

/// Repeats each merged area's value over the area. `cells` is settled (sorted, unique).
fn expand_merges(
    cells: &mut Vec<Placed>,
    merges: &[Dimensions],
    budget: &mut Budget,
) -> Result<(), ReadError> {
    let (Some(max_row), Some(max_col)) = (
        cells.iter().map(|(p, _)| p.0).max(),
        cells.iter().map(|(p, _)| p.1).max(),
    ) else {
        return Ok(());
    };
    let mut added = Vec::new();
    for m in merges {
        let origin = m.start;
        let Ok(at) = cells.binary_search_by_key(&origin, |(p, _)| *p) else {
            continue;
        };
        let value = &cells[at].1;
        // A merged area keeps its full size when that is modest (a title merged over a few
        // rows below the data); a huge one (A1:XFD1048576) is clipped to the used area.
        let full = (u64::from(m.end.0.saturating_sub(origin.0)) + 1)
            * (u64::from(m.end.1.saturating_sub(origin.1)) + 1);
        let (last_row, last_col) = if full <= MAX_MERGE_AREA {
            m.end
        } else {
            (m.end.0.min(max_row), m.end.1.min(max_col))
        };
        if last_row < origin.0 || last_col < origin.1 {
            continue;
        }
        let area = (u64::from(last_row - origin.0) + 1) * (u64::from(last_col - origin.1) + 1);
        budget.emit(area)?;
        for r in origin.0..=last_row {
            for c in origin.1..=last_col {
                if (r, c) != origin {
                    added.push((
                        (r, c),
                        RawCell {
                            merged_from: Some(origin),
                            ..value.clone()
                        },
                    ));
                }
            }
        }
    }
    if !added.is_empty() {
        cells.append(&mut added);
        settle(cells);
    }
    Ok(())
}

/// Splits one sheet's cells into table blocks: Excel tables first (each its own block, named),
/// then the rest at fully blank rows and columns. Blocks come in reading order.
fn split_sheet(
    sheet: &str,
    hidden: bool,
    cells: Vec<Placed>,
    named: &[(String, Dimensions)],
    budget: &mut Budget,
) -> Result<Vec<Block>, ReadError> {
    let positions: Vec<(u32, u32)> = cells.iter().map(|(p, _)| *p).collect();
    let mut cells = cells;
    let mut taken = vec![false; positions.len()];
    // (name, area, indices of its cells)
    let mut regions: Vec<(Option<String>, Dimensions, Vec<usize>)> = Vec::new();
    for (name, dims) in named {
        let inside: Vec<usize> = (0..positions.len())
            .filter(|&i| !taken[i] && dims.contains(positions[i].0, positions[i].1))
            .collect();
        let Some(bounds) = bounds_of(inside.iter().map(|&i| positions[i])) else {
            continue;
        };
        inside.iter().for_each(|&i| taken[i] = true);
        // The table's own area, clipped to where it has cells (a ref can be a whole sheet).
        let area = Dimensions::new(
            dims.start,
            (dims.end.0.min(bounds.end.0), dims.end.1.min(bounds.end.1)),
        );
        regions.push((Some(name.clone()), area, inside));
    }
    let rest: Vec<usize> = (0..positions.len()).filter(|&i| !taken[i]).collect();
    for group in xy_cut(&positions, rest) {
        if let Some(bounds) = bounds_of(group.iter().map(|&i| positions[i])) {
            regions.push((None, bounds, group));
        }
    }
    regions.sort_by_key(|(_, d, _)| (d.start.0, d.start.1));
    // One copy of the sheet name, shared by every cell locator.
    let shared: Arc<str> = Arc::from(sheet);
    let mut blocks = Vec::with_capacity(regions.len());
    for (name, dims, members) in regions {
        let height = u64::from(dims.end.0 - dims.start.0) + 1;
        let width = u64::from(dims.end.1 - dims.start.1) + 1;
        budget.emit(height * width)?;
        // The budget bounds height x width, so the rows are bounded too. Cells are sorted by
        // position, so are their indices: the region is filled by one walk over its members.
        let mut members = members;
        members.sort_unstable();
        let mut next = members.iter().peekable();
        let w = usize::try_from(width).unwrap_or(0);
        let mut rows = Vec::with_capacity(usize::try_from(height).unwrap_or(0));
        let mut any_highlighted = false;
        for r in dims.start.0..=dims.end.0 {
            let mut row = Vec::with_capacity(w);
            for c in dims.start.1..=dims.end.1 {
                let here = next
                    .next_if(|&&i| positions.get(i) == Some(&(r, c)))
                    .and_then(|&i| cells.get_mut(i));
                let (text, note, merged_from, highlighted) = match here {
                    Some((_, raw)) => (
                        std::mem::take(&mut raw.text),
                        raw.note.take(),
                        raw.merged_from,
                        raw.highlighted,
                    ),
                    None => (String::new(), None, None, false),
                };
                any_highlighted |= highlighted;
                row.push(Cell {
                    text,
                    breaks: Vec::new(),
                    locator: Locator::Cell {
                        sheet: Arc::clone(&shared),
                        row: r,
                        col: c,
                        merged_from,
                    },
                    highlighted,
                    note,
                });
            }
            rows.push(row);
        }
        blocks.push(Block {
            kind: BlockKind::Table(Table {
                sheet: Some(sheet.to_string()),
                name,
                hidden,
                rows,
            }),
            text: String::new(),
            breaks: Vec::new(),
            locator: Locator::Range {
                sheet: Arc::clone(&shared),
                first: dims.start,
                last: dims.end,
            },
            region: Region::Body,
            highlighted: any_highlighted,
        });
    }
    Ok(blocks)
}

fn bounds_of(points: impl Iterator<Item = (u32, u32)>) -> Option<Dimensions> {
    let mut out: Option<Dimensions> = None;
    for (r, c) in points {
        out = Some(match out {
            None => Dimensions::new((r, c), (r, c)),
            Some(d) => Dimensions::new(
                (d.start.0.min(r), d.start.1.min(c)),
                (d.end.0.max(r), d.end.1.max(c)),
            ),
        });
    }
    out
}

/// Recursive XY-cut over cells (indices into `positions`): splits a group at fully blank rows,
/// then each band at fully blank columns, until no group splits further. Iterative (an explicit
/// stack), and bounded: past a work budget proportional to the number of cells, groups are no
/// longer split.
fn xy_cut(positions: &[(u32, u32)], cells: Vec<usize>) -> Vec<Vec<usize>> {
    let mut work_left = (cells.len() as u64).saturating_mul(64) + 100_000;
    let mut out = Vec::new();
    let mut stack = vec![cells];
    let row = |i: usize| positions.get(i).map_or(0, |p| p.0);
    let col = |i: usize| positions.get(i).map_or(0, |p| p.1);
    while let Some(group) = stack.pop() {
        if group.len() <= 1 || work_left == 0 {
            if !group.is_empty() {
                out.push(group);
            }
            continue;
        }
        work_left = work_left.saturating_sub(group.len() as u64);
        if let Some(by_rows) = split_runs(&group, row) {
            stack.extend(by_rows);
            continue;
        }
        if let Some(by_cols) = split_runs(&group, col) {
            stack.extend(by_cols);
            continue;
        }
        out.push(group);
    }
    out
}

/// Splits a group wherever a value of one coordinate is skipped (a blank row or column), runs
/// in ascending order; `None` when the group is one run.
fn split_runs(group: &[usize], key: impl Fn(usize) -> u32) -> Option<Vec<Vec<usize>>> {
    let mut sorted = group.to_vec();
    sorted.sort_unstable_by_key(|&i| key(i));
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut last: Option<u32> = None;
    for i in sorted {
        let k = key(i);
        match (last, runs.last_mut()) {
            (Some(prev), Some(run)) if k <= prev.saturating_add(1) => run.push(i),
            _ => runs.push(vec![i]),
        }
        last = Some(k);
    }
    (runs.len() > 1).then_some(runs)
}

/// What the zip pre-pass learned.
#[derive(Debug, Default)]
struct ZipFacts {
    /// ODS merged areas, per sheet in order.
    ods_merges: Vec<Vec<Dimensions>>,
    /// Some XML part is UTF-16, which calamine cannot parse: the package is rebuilt in UTF-8.
    utf16_parts: bool,
}

/// Inflates every part under the limits before calamine does (calamine's own zip reads are not
/// bounded), refuses DTDs, and checks the counts calamine would size allocations from.
fn precheck_zip(bytes: &[u8], format: Format, limits: &Limits) -> Result<ZipFacts, ReadError> {
    let mut zip = Container::open(bytes, limits)?;
    let names: Vec<String> = zip.names().map(str::to_string).collect();
    let mut facts = ZipFacts::default();
    for name in names {
        let lower = name.to_ascii_lowercase();
        // Images are never inflated by calamine (its `picture` feature is off): skip them.
        const IMAGES: [&str; 9] = [
            ".png", ".jpg", ".jpeg", ".gif", ".emf", ".wmf", ".bmp", ".tif", ".tiff",
        ];
        if name.ends_with('/') || IMAGES.iter().any(|ext| lower.ends_with(ext)) {
            continue;
        }
        let Some(data) = zip.read(&name)? else {
            continue;
        };
        let is_xml = lower.ends_with(".xml") || lower.ends_with(".rels");
        let data = match super::utf16_xml_to_utf8(&data) {
            Some(utf8) if is_xml => {
                facts.utf16_parts = true;
                utf8
            }
            _ => data,
        };
        if is_xml && declares_dtd(&data) {
            return Err(ReadError::Dtd { part: name });
        }
        if format == Format::Ods && lower == "content.xml" {
            facts.ods_merges = check_ods_content(&data, limits)?;
        }
    }
    Ok(facts)
}

fn declares_dtd(data: &[u8]) -> bool {
    data.split(|&b| b == b'<')
        .skip(1)
        .any(|after| after.starts_with(b"!DOCTYPE") || after.starts_with(b"!ENTITY"))
}

/// `B2:D10` (or a single `B2`) as 0-based dimensions.
pub(crate) fn parse_area(s: &str) -> Option<Dimensions> {
    let (a, b) = s.split_once(':').unwrap_or((s, s));
    let start = parse_cell_ref(a)?;
    let end = parse_cell_ref(b)?;
    Some(Dimensions::new(
        (start.0.min(end.0), start.1.min(end.1)),
        (start.0.max(end.0), start.1.max(end.1)),
    ))
}

fn parse_cell_ref(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().replace('$', "");
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for ch in letters.chars() {
        if !ch.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + (ch.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// Pre-scans ODS content.xml the way calamine will expand it (repeated rows and columns), so a
/// few hundred bytes declaring a billion repeated cells are refused before calamine builds its
/// dense grid.
fn check_ods_content(data: &[u8], limits: &Limits) -> Result<Vec<Vec<Dimensions>>, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(data);
    let mut buf = Vec::new();
    let mut total: u64 = 0;
    // Merged areas (`number-columns-spanned`, `number-rows-spanned`) per table, in order.
    let mut merges: Vec<Vec<Dimensions>> = Vec::new();
    let mut merge_count = 0usize;
    // The dense grids calamine builds: the finished tables' and the current one's.
    let mut dense_done: u64 = 0;
    let mut table_dense: u64 = 0;
    // The cells calamine holds for the current table before trimming it to its used area.
    let mut raw_table: u64 = 0;
    // Per table: next row index, bounding box of cells with content.
    let mut row: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut col: u64 = 0;
    let mut row_has_content = false;
    let mut row_cols: (u64, u64) = (u64::MAX, 0);
    let mut table_rows: (u64, u64) = (u64::MAX, 0);
    let mut table_cols: (u64, u64) = (u64::MAX, 0);
    let mut cell_depth: Option<(u64, u64, bool)> = None; // (first col, repeat, has content)
    let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == key)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .clamp(
                1,
                if key == "number-rows-repeated" {
                    ODS_MAX_ROWS
                } else {
                    ODS_MAX_COLUMNS
                },
            )
    };
    let has_value = |e: &quick_xml::events::BytesStart<'_>| {
        e.attributes()
            .flatten()
            .any(|a| matches!(a.key.local_name().as_ref(), "value-type" | "formula"))
    };
    let max = limits.max_sheet_cells;
    let too_many = |n: u64| ReadError::Limit {
        what: format!(
            "the number of cells content.xml expands to ({n}, counting repeated rows and columns)"
        ),
        limit: format!("{max} cells"),
    };
    loop {
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            // Malformed XML: calamine will report it.
            Err(_) => return Ok(merges),
        };
        if let Event::Start(e) | Event::Empty(e) = &ev {
            if e.local_name().as_ref() == "table-cell" && merge_count < MAX_ODS_MERGES {
                let span = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == key)
                        .and_then(|a| a.value.trim().parse::<u32>().ok())
                        .unwrap_or(1)
                        .max(1)
                };
                let (rows, cols) = (span("number-rows-spanned"), span("number-columns-spanned"));
                if rows > 1 || cols > 1 {
                    if let (Ok(r), Ok(c), Some(table)) =
                        (u32::try_from(row), u32::try_from(col), merges.last_mut())
                    {
                        table.push(Dimensions::new(
                            (r, c),
                            (r.saturating_add(rows - 1), c.saturating_add(cols - 1)),
                        ));
                        merge_count += 1;
                    }
                }
            }
        }
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "table" => {
                    merges.push(Vec::new());
                    dense_done = dense_done.saturating_add(table_dense);
                    table_dense = 0;
                    raw_table = 0;
                    row = 0;
                    table_rows = (u64::MAX, 0);
                    table_cols = (u64::MAX, 0);
                }
                "table-row" => {
                    row_repeat = repeat(&e, "number-rows-repeated");
                    col = 0;
                    row_has_content = false;
                    row_cols = (u64::MAX, 0);
                }
                "table-cell" | "covered-table-cell" => {
                    let n = repeat(&e, "number-columns-repeated");
                    cell_depth = Some((col, n, has_value(&e)));
                }
                "p" => {
                    if let Some(c) = cell_depth.as_mut() {
                        c.2 = true;
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "table-cell" | "covered-table-cell" => {
                    let n = repeat(&e, "number-columns-repeated");
                    if has_value(&e) {
                        row_has_content = true;
                        row_cols = (
                            row_cols.0.min(col),
                            row_cols.1.max(col.saturating_add(n - 1)),
                        );
                    }
                    col = col.saturating_add(n);
                }
                "table-row" => {
                    row = row.saturating_add(repeat(&e, "number-rows-repeated"));
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "table-cell" | "covered-table-cell" => {
                    if let Some((first, n, content)) = cell_depth.take() {
                        if content {
                            row_has_content = true;
                            row_cols = (
                                row_cols.0.min(first),
                                row_cols.1.max(first.saturating_add(n - 1)),
                            );
                        }
                        col = first.saturating_add(n);
                    }
                }
                "table-row" => {
                    if row_has_content {
                        let cells = span_len(row_cols).saturating_mul(row_repeat);
                        total = total.saturating_add(cells);
                        if total > max {
                            return Err(too_many(total));
                        }
                        table_rows = (
                            table_rows.0.min(row),
                            table_rows
                                .1
                                .max(row.saturating_add(row_repeat.saturating_sub(1))),
                        );
                        table_cols = (table_cols.0.min(row_cols.0), table_cols.1.max(row_cols.1));
                        table_dense = span_len(table_rows).saturating_mul(span_len(table_cols));
                        if dense_done.saturating_add(table_dense) > max {
                            return Err(too_many(dense_done.saturating_add(table_dense)));
                        }
                        // Before trimming, calamine keeps every cell of a row element up to
                        // its last non-empty one (at most 16,384 columns).
                        raw_table = raw_table
                            .saturating_add(row_cols.1.saturating_add(1).min(ODS_MAX_COLUMNS));
                        if dense_done.saturating_add(raw_table) > max {
                            return Err(too_many(dense_done.saturating_add(raw_table)));
                        }
                    }
                    row = row.saturating_add(row_repeat);
                    row_repeat = 1;
                }
                _ => {}
            },
            Event::Eof => return Ok(merges),
            _ => {}
        }
        buf.clear();
    }
}

/// Most columns a spreadsheet has (OpenDocument and OOXML alike); a larger
/// `number-columns-repeated` read from a file is clamped to it.
const ODS_MAX_COLUMNS: u64 = 16_384;

/// Most rows a spreadsheet has; a larger `number-rows-repeated` read from a file is clamped to it.
const ODS_MAX_ROWS: u64 = 1_048_576;

/// How many indices the inclusive range `(first, last)` covers, 0 when it is empty; never
/// overflows whatever the file says.
fn span_len((first, last): (u64, u64)) -> u64 {
    if first > last {
        0
    } else {
        (last - first).saturating_add(1)
    }
}

/// Most merged areas read from one ODS file.
const MAX_ODS_MERGES: usize = 100_000;

/// The zip package again with each part passed through `change`, stored uncompressed (the
/// inflated sizes were already bounded by [`Container`]). Used to hand calamine a package it can
/// parse: UTF-16 parts as UTF-8, an ODS content.xml without layout whitespace.
fn repack(
    bytes: &[u8],
    limits: &Limits,
    change: impl Fn(&str, Vec<u8>) -> Vec<u8>,
) -> Result<Vec<u8>, ReadError> {
    use std::io::Write;
    let mut zip = Container::open(bytes, limits)?;
    let names: Vec<String> = zip.names().map(str::to_string).collect();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let failed = |e: &dyn std::fmt::Display| {
        ReadError::Internal(format!("cannot rebuild the package in memory: {e}"))
    };
    for name in names {
        if name.ends_with('/') {
            continue;
        }
        let Some(data) = zip.read(&name)? else {
            continue;
        };
        let data = change(&name, data);
        out.start_file(name.as_str(), options)
            .map_err(|e| failed(&e))?;
        out.write_all(&data).map_err(|e| failed(&e))?;
    }
    Ok(out.finish().map_err(|e| failed(&e))?.into_inner())
}

/// Drops whitespace-only text outside paragraphs (`text:p`, `text:h`); on malformed XML gives
/// the input back unchanged (calamine then reports the error).
fn drop_layout_whitespace(data: &[u8]) -> Vec<u8> {
    let mut reader = quick_xml::Reader::from_reader(data);
    let mut writer = quick_xml::Writer::new(Vec::with_capacity(data.len()));
    let mut buf = Vec::new();
    let mut in_paragraph = 0usize;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => break,
            Ok(ev) => ev,
            Err(_) => return data.to_vec(),
        };
        let skip = match &event {
            Event::Start(e) if matches!(e.local_name().as_ref(), "p" | "h") => {
                in_paragraph += 1;
                false
            }
            Event::End(e) if matches!(e.local_name().as_ref(), "p" | "h") => {
                in_paragraph = in_paragraph.saturating_sub(1);
                false
            }
            Event::Text(t) => in_paragraph == 0 && t.trim().is_empty(),
            _ => false,
        };
        if !skip && writer.write_event(event).is_err() {
            return data.to_vec();
        }
        buf.clear();
    }
    writer.into_inner()
}

/// What calamine's error types have in common.
trait CalamineError: std::fmt::Display + std::fmt::Debug {}
impl<T: std::fmt::Display + std::fmt::Debug> CalamineError for T {}

/// A calamine error in plain words.
fn calamine_error(message: &str, e: &dyn std::fmt::Debug) -> ReadError {
    let debug = format!("{e:?}");
    if debug.contains("Password") {
        return ReadError::Encrypted;
    }
    ReadError::Spreadsheet(format!(
        "{message} (the workbook may be damaged; open and re-save it in Excel or LibreOffice)"
    ))
}

/// A sheet name as messages quote it.
pub(super) fn quoted(sheet: &str) -> String {
    format!("'{sheet}'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_without_float_noise() {
        assert_eq!(format_number(120.0), "120");
        assert_eq!(format_number(-3.0), "-3");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(1234.5), "1234.5");
        assert_eq!(format_number(1e20), "1e20");
        assert_eq!(format_number(1.5e-7), "1.5e-7");
        assert_eq!(format_number(1.0 / 3.0), "0.333333333333333");
        assert_eq!(format_number(-0.25), "-0.25");
        assert_eq!(format_number(123_456_789_012_345.6), "123456789012346");
    }

    #[test]
    fn the_short_number_path_prints_what_rounding_prints() {
        // Many magnitudes and digit counts, including float noise and 16-17 digit values.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut values = vec![
            0.1 + 0.2,
            1.0 / 3.0,
            2.0 / 3.0,
            1e-5,
            9.99999e-6,
            123.456,
            -0.5,
        ];
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mantissa = (x >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (x % 40) as i32 - 20;
            let digits = 10f64.powi((x % 9) as i32);
            values.push(mantissa * 10f64.powi(exponent));
            values.push((mantissa * digits).round() / digits * 10f64.powi(exponent));
        }
        for v in values {
            for f in [v, -v] {
                assert_eq!(format_number(f), format_number_rounded(f), "{f:e}");
            }
        }
    }

    #[test]
    fn dates_print_as_iso() {
        let d = |v: f64| {
            format_datetime(&ExcelDateTime::new(
                v,
                calamine::ExcelDateTimeType::DateTime,
                false,
            ))
        };
        assert_eq!(d(45352.0), "2024-03-01");
        assert_eq!(d(45352.5), "2024-03-01T12:00:00");
        assert_eq!(d(0.25), "06:00:00");
        assert_eq!(d(1.0), "1900-01-01");
        let span = |v: f64| {
            format_datetime(&ExcelDateTime::new(
                v,
                calamine::ExcelDateTimeType::TimeDelta,
                false,
            ))
        };
        assert_eq!(span(1.5208333333333333), "PT36H30M0S");
        assert_eq!(span(-0.5), "-PT12H0M0S");
        assert_eq!(span(0.0), "PT0H0M0S");
    }

    #[test]
    fn xy_cut_splits_at_blank_rows_and_columns() {
        // A title in A1, a table at A3:B4, a side table at D3:D4.
        let pts = vec![(0, 0), (2, 0), (2, 1), (3, 0), (3, 1), (2, 3), (3, 3)];
        let mut groups: Vec<Vec<(u32, u32)>> = xy_cut(&pts, (0..pts.len()).collect())
            .into_iter()
            .map(|g| {
                let mut g: Vec<(u32, u32)> = g.into_iter().map(|i| pts[i]).collect();
                g.sort();
                g
            })
            .collect();
        groups.sort();
        assert_eq!(
            groups,
            vec![
                vec![(0, 0)],
                vec![(2, 0), (2, 1), (3, 0), (3, 1)],
                vec![(2, 3), (3, 3)]
            ]
        );
    }

    #[test]
    fn areas_parse() {
        let d = parse_area("$B$2:D10").unwrap();
        assert_eq!((d.start, d.end), ((1, 1), (9, 3)));
        assert_eq!(parse_area("XFD1048576").unwrap().start, (1_048_575, 16_383));
        assert!(parse_area("B0").is_none());
    }
}
