//! The XLSX and XLSM reader: a SpreadsheetML package in, the sheets' cells out, on `zip` (through
//! [`Container`]) + `quick-xml`, streaming; calamine is no longer involved for these formats.
//!
//! Takes an opened [`Container`]; gives the workbook's sheet list (name, kind, hidden or not), the
//! core properties as [`Metadata`], and per sheet a sparse list of non-empty cells with their text
//! (numbers printed by [`format_number`], date-formatted numbers by [`format_datetime`]), the
//! merged areas and the Excel tables (ListObjects). The shared post-processing (splitting sheets
//! into tables, merged-cell expansion, named tables, hidden flags) is `sheet.rs`'s.
//!
//! Parts are found the way Excel finds them: the workbook through `_rels/.rels` (the
//! `officeDocument` relationship, transitional or Strict; `xl/workbook.xml` when the package has
//! none), sheets, shared strings, styles and the theme through the workbook's relationships,
//! tables through each sheet's. Elements are matched by local name, so Strict SpreadsheetML and
//! unusual prefixes read like transitional.
//!
//! Streaming and bounded: every part is inflated through the container (sizes and ratios
//! checked), parsed from its bytes without a DOM, and a sheet is read cell by cell into a sparse
//! list (a cell at XFD1048576 costs one cell); rows and cells are counted against
//! [`Limits::max_sheet_rows`](super::Limits::max_sheet_rows) and
//! [`Limits::max_sheet_cells`](super::Limits::max_sheet_cells) as they are read. Shared strings
//! live in one `String` with end offsets, whitespace already normalised; their declared count is
//! checked against the part's size before anything is reserved. A DTD in any part read is
//! [`ReadError::Dtd`]; UTF-16 parts are re-encoded first.
//!
//! Cell values follow calamine's reading of the same XML (the reader it replaces), so documents
//! stay as they were: the same cell types (`s`, `str`, `inlineStr`, `b`, `e`, `n`, `d`), the same
//! date formats (built-in ids 14-22, 27-36, 45-47, 50-58 and custom codes with date or time
//! tokens, durations for `[h]`-style codes), the same `_x000D_` escapes and rich-text runs (each
//! run trimmed unless `xml:space="preserve"`, phonetic runs skipped). A sheet whose cells cannot
//! be read (a malformed part, an unknown error value) is [`ReadError::Spreadsheet`] for that
//! sheet only; `sheet.rs` skips it with a note.
//!
//! Must not print, panic on input, or size an allocation from a number in the file.

use super::container::Container;
use super::sheet::{
    format_datetime, format_number, iso_text, Budget, RawCell, SheetData, SheetInfo, SheetKind,
};
use super::ReadError;
use crate::document::Metadata;
use calamine::{Dimensions, ExcelDateTime, ExcelDateTimeType, WorkbookProperties};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use std::collections::HashMap;

/// An opened workbook: its sheet list, shared strings and cell formats, ready to read sheets.
pub(super) struct Workbook<'a> {
    zip: Container<'a>,
    sheets: Vec<Entry>,
    strings: Strings,
    xfs: Vec<Xf>,
    is_1904: bool,
    metadata: Metadata,
    /// Notes about the workbook as a whole (a styles part that could not be read).
    pub(super) notes: Vec<String>,
}

/// A sheet as the workbook lists it, with its part.
struct Entry {
    info: SheetInfo,
    /// The sheet part, resolved; `None` when its relationship is missing.
    path: Option<String>,
}

/// Shared strings, whitespace-normalised, in one buffer: string `i` ends at `ends[i]` and starts
/// where string `i - 1` ends.
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(p) => *self.ends.get(p)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    /// Appends one string, whitespace runs collapsed to one space and trimmed (what
    /// `normalize_whitespace` gives).
    fn push(&mut self, raw: &str) {
        push_normalized(&mut self.text, raw);
        self.ends.push(self.text.len());
    }
}

/// Appends `src` with whitespace normalised as [`crate::document::normalize_whitespace`] does.
fn push_normalized(dst: &mut String, src: &str) {
    // Plain ASCII with single inner spaces (most strings) is copied as it is.
    let b = src.as_bytes();
    let plain = b.first().is_some_and(|&c| c > b' ' && c < 0x7F)
        && b.last().is_some_and(|&c| c > b' ' && c < 0x7F)
        && b.windows(2).all(|w| match w {
            [x, y] => (*x > b' ' && *x < 0x7F) || (*x == b' ' && *y > b' ' && *y < 0x7F),
            _ => true,
        });
    if plain {
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

/// What a cell format (`cellXfs/xf`) says about a cell.
#[derive(Debug, Clone, Copy, Default)]
struct Xf {
    number: Number,
    /// Solid yellow fill (see `is_yellow`).
    yellow: bool,
}

/// How a number in a cell of this format reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Number {
    #[default]
    Plain,
    Date,
    Duration,
}

/// The error for a workbook-level part that cannot be read.
fn damaged(part: &str, what: &str) -> ReadError {
    ReadError::Spreadsheet(format!(
        "{part}: {what} (the workbook may be damaged; open and re-save it in Excel or LibreOffice)"
    ))
}

fn xml_error(r: &Reader<&[u8]>, e: &quick_xml::Error) -> String {
    format!("malformed XML at byte {}: {e}", r.error_position())
}

/// A reader over one part, configured as calamine configured its own (end tag names are not
/// checked; a damaged but readable part still reads), and unmatched end tags accepted.
fn reader(data: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(data);
    let c = r.config_mut();
    c.check_end_names = false;
    // The fast paths cut whole elements, start or end tag alone, from the bytes: the parser's
    // stack of open elements is then not what it saw, and it must not care (it does not
    // check end names either).
    c.allow_unmatched_ends = true;
    c.check_comments = false;
    c.expand_empty_elements = false;
    c.trim_text(false);
    r
}

impl<'a> Workbook<'a> {
    /// Opens the workbook: relationships, sheet list, shared strings, styles, properties.
    pub(super) fn open(zip: Container<'a>) -> Result<Workbook<'a>, ReadError> {
        let mut book = Workbook {
            zip,
            sheets: Vec::new(),
            strings: Strings::default(),
            xfs: Vec::new(),
            is_1904: false,
            metadata: Metadata::default(),
            notes: Vec::new(),
        };
        // The workbook part: the package's officeDocument relationship, else the usual place.
        let main = match book.part("_rels/.rels")? {
            Some(data) => parse_rels(&data, "_rels/.rels", "")?
                .into_iter()
                .find(|r| r.kind == "officeDocument")
                .map(|r| r.target),
            None => None,
        }
        .filter(|t| book.zip.has(t))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
        let (dir, file) = split_dir(&main);
        let rels_name = format!("{dir}_rels/{file}.rels");
        let rels = match book.part(&rels_name)? {
            Some(data) => parse_rels(&data, &rels_name, dir)?,
            None => {
                return Err(damaged(
                    &rels_name,
                    "the workbook's relationships are missing, so its sheets cannot be found",
                ))
            }
        };
        if let Some(data) = book.part(&main)? {
            book.read_workbook_part(&data, &main, &rels)?;
        }
        let find = |kind: &str, fallback: &str| {
            rels.iter()
                .find(|r| r.kind == kind)
                .map_or_else(|| format!("{dir}{fallback}"), |r| r.target.clone())
        };
        let strings_part = find("sharedStrings", "sharedStrings.xml");
        if let Some(data) = book.part(&strings_part)? {
            book.strings = parse_shared_strings(&data, &strings_part)?;
        }
        let styles_part = find("styles", "styles.xml");
        let theme_part = find("theme", "theme/theme1.xml");
        if let Some(data) = book.part(&styles_part)? {
            match parse_styles(&data, &styles_part) {
                Ok(styles) => book.xfs = styles.resolve(&mut book, &theme_part)?,
                Err(StylesError::Dtd) => {
                    return Err(ReadError::Dtd {
                        part: styles_part.clone(),
                    })
                }
                Err(StylesError::Xml(why)) => book.notes.push(format!(
                    "{why}; dates read as numbers and highlights are not flagged"
                )),
            }
        }
        book.metadata = book.read_properties()?;
        Ok(book)
    }

    /// A part's bytes (UTF-16 re-encoded as UTF-8), or `None` when the package has no such part.
    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        Ok(self
            .zip
            .read(name)?
            .map(|d| super::utf16_xml_to_utf8(&d).unwrap_or(d)))
    }

    /// The core and extended properties; metadata stays empty when either part is malformed.
    fn read_properties(&mut self) -> Result<Metadata, ReadError> {
        let mut props = WorkbookProperties::default();
        for (part, core) in [("docProps/core.xml", true), ("docProps/app.xml", false)] {
            let Some(data) = self.part(part)? else {
                continue;
            };
            match read_properties_part(&data, core, &mut props) {
                Ok(()) => {}
                Err(PropsError::Dtd) => {
                    return Err(ReadError::Dtd {
                        part: part.to_string(),
                    })
                }
                Err(PropsError::Bad) => return Ok(Metadata::default()),
            }
        }
        Ok(super::sheet::metadata_of(props))
    }

    fn read_workbook_part(
        &mut self,
        data: &[u8],
        part: &str,
        rels: &[Rel],
    ) -> Result<(), ReadError> {
        let mut r = reader(data);
        loop {
            match r.read_event() {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                    "sheet" => {
                        let mut name = String::new();
                        let mut hidden = false;
                        let mut id = None;
                        for (key, value) in raw_attrs(e.attributes_raw()) {
                            match key {
                                "name" => name = unescape_attr(value).into_owned(),
                                "state" => hidden = matches!(value, "hidden" | "veryHidden"),
                                k if k == "id" || k.ends_with(":id") => id = Some(value),
                                _ => {}
                            }
                        }
                        let rel = id.and_then(|id| rels.iter().find(|r| r.id == id));
                        let kind = match rel.map(|r| r.kind.as_str()) {
                            Some("worksheet") => SheetKind::Work,
                            Some("chartsheet") => SheetKind::Chart,
                            Some("dialogsheet") => SheetKind::Dialog,
                            Some("xlMacrosheet" | "xlIntlMacrosheet") => SheetKind::Macro,
                            Some(other) => SheetKind::Other(other.to_string()),
                            None => SheetKind::Missing,
                        };
                        self.sheets.push(Entry {
                            info: SheetInfo { name, kind, hidden },
                            path: rel.map(|r| r.target.clone()),
                        });
                    }
                    "workbookPr" => {
                        if let Some(v) = raw_attr(e.attributes_raw(), "date1904") {
                            self.is_1904 = v == "1" || v == "true";
                        }
                    }
                    _ => {}
                },
                Ok(Event::DocType(_)) => {
                    return Err(ReadError::Dtd {
                        part: part.to_string(),
                    })
                }
                Ok(Event::Eof) => return Ok(()),
                Err(e) => return Err(damaged(part, &xml_error(&r, &e))),
                Ok(_) => {}
            }
        }
    }

    /// The sheets, in workbook order.
    pub(super) fn sheets(&self) -> Vec<SheetInfo> {
        self.sheets.iter().map(|s| s.info.clone()).collect()
    }

    /// The workbook's core properties.
    pub(super) fn metadata(&self) -> Metadata {
        self.metadata.clone()
    }

    /// Reads one sheet: its non-empty cells (unsorted, as the part lists them), merged areas
    /// and Excel tables. [`ReadError::Spreadsheet`] when this sheet cannot be read; limits and
    /// DTDs are errors for the workbook.
    pub(super) fn sheet(
        &mut self,
        index: usize,
        budget: &mut Budget,
    ) -> Result<SheetData, ReadError> {
        let Some(entry) = self.sheets.get(index) else {
            return Err(ReadError::Internal(format!("no sheet {index}")));
        };
        let name = entry.info.name.clone();
        let fail = |what: &str| {
            ReadError::Spreadsheet(format!(
                "sheet {}: {what} (open and re-save the workbook in Excel or LibreOffice to repair it)",
                super::sheet::quoted(&name)
            ))
        };
        let Some(path) = entry.path.clone() else {
            return Err(fail("the workbook names no part for it"));
        };
        let Some(data) = self.part(&path)? else {
            return Err(fail(&format!("its part {path} is missing")));
        };
        let mut out = SheetData::default();
        let ctx = Ctx {
            strings: &self.strings,
            xfs: &self.xfs,
            is_1904: self.is_1904,
        };
        let mut r = reader(&data);
        let mut skipped = 0;
        let has_tables = read_cells(&mut r, &ctx, &name, budget, &mut out, &mut skipped).map_err(
            |e| match e {
                SheetError::Read(e) => e,
                SheetError::Dtd => ReadError::Dtd { part: path.clone() },
                SheetError::Sheet(what) => fail(&format!("{path}: {what}")),
                SheetError::Xml(e) => fail(&format!(
                    "{path}: malformed XML at byte {}: {e}",
                    r.error_position() + skipped
                )),
            },
        )?;
        if has_tables {
            let (dir, file) = split_dir(&path);
            let rels_name = format!("{dir}_rels/{file}.rels");
            if let Some(rels) = self.part(&rels_name)? {
                let rels = match parse_rels(&rels, &rels_name, dir) {
                    Ok(rels) => rels,
                    Err(e @ ReadError::Dtd { .. }) => return Err(e),
                    // Damaged sheet relationships cost the table names, not the sheet.
                    Err(_) => Vec::new(),
                };
                for rel in rels.iter().filter(|r| r.kind == "table") {
                    if let Some(table) = self.part(&rel.target)? {
                        if let Some(t) = table_ref(&table, &rel.target)? {
                            out.tables.push(t);
                        }
                    }
                }
            }
        }
        Ok(out)
    }
}

/// What a cell needs from the workbook.
struct Ctx<'w> {
    strings: &'w Strings,
    xfs: &'w [Xf],
    is_1904: bool,
}

enum SheetError {
    /// A workbook-level error (a limit).
    Read(ReadError),
    /// The part declares a DTD.
    Dtd,
    /// The sheet cannot be read: why.
    Sheet(String),
    /// Malformed XML.
    Xml(quick_xml::Error),
}

impl From<quick_xml::Error> for SheetError {
    fn from(e: quick_xml::Error) -> Self {
        SheetError::Xml(e)
    }
}

impl From<ReadError> for SheetError {
    fn from(e: ReadError) -> Self {
        SheetError::Read(e)
    }
}

/// Streams a worksheet part: cells into `out.cells`, then merged areas into `out.merges`.
/// Returns whether the sheet lists table parts.
fn read_cells(
    r: &mut Reader<&[u8]>,
    ctx: &Ctx<'_>,
    sheet: &str,
    budget: &mut Budget,
    out: &mut SheetData,
    skipped: &mut u64,
) -> Result<bool, SheetError> {
    // Up to <sheetData>.
    let mut first: Option<String> = None;
    let data_open = loop {
        match r.read_event()? {
            Event::Start(e) if e.local_name().as_ref() == "sheetData" => break true,
            Event::Empty(e) if e.local_name().as_ref() == "sheetData" => break false,
            Event::Start(e) | Event::Empty(e) => {
                first.get_or_insert_with(|| e.local_name().as_ref().to_string());
            }
            Event::DocType(_) => return Err(SheetError::Dtd),
            Event::Eof => {
                return Err(SheetError::Sheet(match first {
                    Some(root) => format!("not a worksheet (its root element is <{root}>)"),
                    None => "the part has no sheet data".to_string(),
                }))
            }
            _ => {}
        }
    };
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    let mut bufs = Bufs::default();
    let mut reading = data_open;
    // Whether the last event was a tag, so the input starts right after a `>` and the usual
    // cells can be cut from the bytes (after text, the parser has already taken the `<`).
    let mut after_tag = true;
    while reading {
        if after_tag {
            loop {
                let rest: &[u8] = r.get_ref();
                if rest.starts_with(b"</row>") {
                    row = row.saturating_add(1);
                    col = 0;
                    *r.get_mut() = rest.get(6..).unwrap_or_default();
                    *skipped += 6;
                    continue;
                }
                if let Some((attrs, self_closing, len)) = fast_row(rest) {
                    if let Some(v) = raw_attr(attrs, "r") {
                        row = parse_row(v).ok_or_else(|| bad_ref("row", v))?;
                    }
                    if self_closing {
                        row = row.saturating_add(1);
                        col = 0;
                    }
                    *r.get_mut() = rest.get(len..).unwrap_or_default();
                    *skipped += len as u64;
                    continue;
                }
                let Some((attrs, v, len)) = fast_cell(rest) else {
                    break;
                };
                let cell = CellAttrs::of_raw(attrs);
                let pos = cell.position(&mut row, &mut col)?;
                let value = match v {
                    Some(v) => v_value(ctx, &cell, v)?,
                    None => None,
                };
                col = pos.1.saturating_add(1);
                if let Some(raw) = finish_cell(ctx, &cell, value) {
                    budget.row(sheet, pos.0)?;
                    budget.read_cell()?;
                    out.cells.push((pos, raw));
                }
                *r.get_mut() = rest.get(len..).unwrap_or_default();
                *skipped += len as u64;
            }
        }
        let event = r.read_event()?;
        after_tag = matches!(event, Event::Start(_) | Event::End(_) | Event::Empty(_));
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "row" => {
                    if let Some(v) = raw_attr(e.attributes_raw(), "r") {
                        row = parse_row(v).ok_or_else(|| bad_ref("row", v))?;
                    }
                }
                "c" => {
                    let cell = CellAttrs::of(&e);
                    let pos = cell.position(&mut row, &mut col)?;
                    let value = read_cell_value(r, ctx, &cell, &mut bufs, skipped)?;
                    col = pos.1.saturating_add(1);
                    if let Some(raw) = value {
                        budget.row(sheet, pos.0)?;
                        budget.read_cell()?;
                        out.cells.push((pos, raw));
                    }
                }
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "row" => {
                    if let Some(v) = raw_attr(e.attributes_raw(), "r") {
                        row = parse_row(v).ok_or_else(|| bad_ref("row", v))?;
                    }
                    row = row.saturating_add(1);
                    col = 0;
                }
                "c" => {
                    let cell = CellAttrs::of(&e);
                    let pos = cell.position(&mut row, &mut col)?;
                    col = pos.1.saturating_add(1);
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "row" => {
                    row = row.saturating_add(1);
                    col = 0;
                }
                "sheetData" => reading = false,
                _ => {}
            },
            Event::DocType(_) => return Err(SheetError::Dtd),
            Event::Eof => {
                return Err(SheetError::Sheet(
                    "the part ends inside its sheet data".into(),
                ))
            }
            _ => {}
        }
    }
    // After the cells: merged areas (the first <mergeCells>) and table parts. An error here
    // costs the merged areas, not the cells.
    let mut merges: Vec<Dimensions> = Vec::new();
    let mut in_merges = false;
    let mut merges_done = false;
    let mut merge_error: Option<String> = None;
    let mut tables = false;
    loop {
        let (e, empty) = match r.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if in_merges && e.local_name().as_ref() == "mergeCells" {
                    in_merges = false;
                    merges_done = true;
                }
                continue;
            }
            Ok(Event::DocType(_)) => return Err(SheetError::Dtd),
            Ok(Event::Eof) => {
                if in_merges && merge_error.is_none() {
                    merge_error = Some("the part ends inside its merged cells".into());
                }
                break;
            }
            Err(e) => {
                if !merges_done && merge_error.is_none() {
                    merge_error =
                        Some(format!("malformed XML at byte {}: {e}", r.error_position()));
                }
                break;
            }
            Ok(_) => continue,
        };
        match e.local_name().as_ref() {
            "mergeCells" if !merges_done && !in_merges => {
                in_merges = !empty;
                merges_done = empty;
            }
            "mergeCell" if in_merges && merge_error.is_none() => {
                if let Some(v) = raw_attr(e.attributes_raw(), "ref") {
                    match get_dimension(v) {
                        Some(d) => merges.push(d),
                        None => {
                            merge_error = Some(format!("the merged area {v:?} is not a cell range"))
                        }
                    }
                }
            }
            "tablePart" => tables = true,
            _ => {}
        }
    }
    out.merges = match merge_error {
        Some(why) => Err(why),
        None => Ok(merges),
    };
    Ok(tables)
}

fn bad_ref(kind: &str, v: &str) -> SheetError {
    SheetError::Sheet(format!("the {kind} reference {v:?} is not valid"))
}

/// The `r`, `s` and `t` attributes of a `<c>` element, as written.
struct CellAttrs<'e> {
    r: Option<&'e str>,
    s: Option<&'e str>,
    t: Option<&'e str>,
}

impl<'e> CellAttrs<'e> {
    fn of(e: &'e BytesStart<'_>) -> CellAttrs<'e> {
        CellAttrs::of_raw(e.attributes_raw())
    }

    fn of_raw(raw: &'e str) -> CellAttrs<'e> {
        let mut out = CellAttrs {
            r: None,
            s: None,
            t: None,
        };
        for (key, value) in raw_attrs(raw) {
            match key {
                "r" => out.r = Some(value),
                "s" => out.s = Some(value),
                "t" => out.t = Some(value),
                _ => {}
            }
        }
        out
    }

    /// The cell's (row, column): from `r`, else the position after the previous cell.
    fn position(&self, row: &mut u32, col: &mut u32) -> Result<(u32, u32), SheetError> {
        match self.r {
            Some(v) => {
                let (r, c) = get_row_column(v).ok_or_else(|| bad_ref("cell", v))?;
                *col = c;
                Ok((r, c))
            }
            None => Ok((*row, *col)),
        }
    }

    /// The cell's format; `None` when its style id is outside the style list.
    fn xf<'w>(&self, ctx: &Ctx<'w>) -> Option<Xf> {
        match self.s {
            Some(s) => ctx.xfs.get(s.parse::<usize>().unwrap_or(0)).copied(),
            None => Some(Xf::default()),
        }
    }
}

/// Reads the content of a `<c>` element just opened, up to its end tag; the value of its last
/// `<v>`, `<is>` or `<f>` child (a formula alone reads as empty), `None` when empty.
fn read_cell_value(
    r: &mut Reader<&[u8]>,
    ctx: &Ctx<'_>,
    cell: &CellAttrs<'_>,
    text: &mut Bufs,
    skipped: &mut u64,
) -> Result<Option<RawCell>, SheetError> {
    let mut value = None;
    // The usual cell, `<v>text</v></c>`: the value is cut from the bytes, without events (the
    // end tag `</c>` still goes through the parser, which keeps its stack of open elements).
    let rest: &[u8] = r.get_ref();
    if let Some((v, len)) = plain_v(rest) {
        value = v_value(ctx, cell, v)?;
        *r.get_mut() = rest.get(len..).unwrap_or_default();
        *skipped += len as u64;
    }
    if text.skipped > 0 {
        *skipped += std::mem::take(&mut text.skipped);
    }
    loop {
        match r.read_event()? {
            Event::Start(e) => value = child_value(r, ctx, cell, &e, false, text)?,
            Event::Empty(e) => value = child_value(r, ctx, cell, &e, true, text)?,
            Event::End(e) if e.local_name().as_ref() == "c" => break,
            Event::DocType(_) => return Err(SheetError::Dtd),
            Event::Eof => return Err(SheetError::Sheet("the part ends inside a cell".into())),
            _ => {}
        }
    }
    Ok(finish_cell(ctx, cell, value))
}

/// A cell's value with its highlight flag (its style's fill), as read.
fn finish_cell(ctx: &Ctx<'_>, cell: &CellAttrs<'_>, value: Option<RawCell>) -> Option<RawCell> {
    let mut raw = value?;
    raw.highlighted = match cell.s {
        Some(s) => ctx
            .xfs
            .get(s.parse::<usize>().unwrap_or(0))
            .is_some_and(|x| x.yellow),
        None => ctx.xfs.first().is_some_and(|x| x.yellow),
    };
    Some(raw)
}

/// A whole `<c>` element at the start of `rest` in one of its usual forms, `<c .../>`,
/// `<c ...></c>` or `<c ...><v>text</v></c>`, with well-formed attributes (no `>` inside a
/// value) and no markup or entity in the text: its raw attributes, the text of its `<v>`, and
/// its length. `None` for anything else, which then goes through the parser.
fn fast_cell(rest: &[u8]) -> Option<(&str, Option<&str>, usize)> {
    let (attrs_end, self_closing, head) = start_tag(rest, b"c")?;
    let (v_range, len) = if self_closing {
        (None, head)
    } else {
        let body = rest.get(head..)?;
        if body.starts_with(b"</c>") {
            (None, head + 4)
        } else {
            let text_len = body
                .strip_prefix(b"<v>")
                .and_then(|t| memchr::memchr(b'<', t))?;
            let text = body.get(3..3 + text_len)?;
            if !body.get(3 + text_len..)?.starts_with(b"</v></c>")
                || memchr::memchr(b'&', text).is_some()
            {
                return None;
            }
            (Some(head + 3..head + 3 + text_len), head + 3 + text_len + 8)
        }
    };
    let all = std::str::from_utf8(rest.get(..len)?).ok()?;
    let attrs = all.get(2..attrs_end)?;
    let v = match v_range {
        Some(range) => Some(all.get(range)?),
        None => None,
    };
    Some((attrs, v, len))
}

/// A `<row ...>` start tag (or `<row .../>`) at the start of `rest`, unprefixed: its raw
/// attributes, whether it closes itself, and its length.
fn fast_row(rest: &[u8]) -> Option<(&str, bool, usize)> {
    let (attrs_end, self_closing, len) = start_tag(rest, b"row")?;
    let attrs = std::str::from_utf8(rest.get(4..attrs_end)?).ok()?;
    Some((attrs, self_closing, len))
}

/// An unprefixed start tag named `name` at the start of `rest`: where its attributes end (a
/// byte offset in `rest`), whether it closes itself (`/>`), and its length. The tag ends at the
/// first `>` outside a quoted value; `None` when `rest` holds no such whole tag (another name,
/// a stray `<` inside).
fn start_tag(rest: &[u8], name: &[u8]) -> Option<(usize, bool, usize)> {
    let after_name = rest.strip_prefix(b"<")?.strip_prefix(name)?;
    let mut quote = None;
    let gt = after_name.iter().position(|&c| match quote {
        Some(q) => {
            if c == q {
                quote = None;
            }
            false
        }
        None if c == b'"' || c == b'\'' => {
            quote = Some(c);
            false
        }
        None => c == b'>' || c == b'<',
    })?;
    let tag = after_name.get(..gt)?;
    // The name ends here (`<c` is not `<col`), and the tag is not cut by a stray `<`.
    if after_name.get(gt) != Some(&b'>')
        || !tag
            .first()
            .is_none_or(|c| c.is_ascii_whitespace() || *c == b'/')
    {
        return None;
    }
    let head = 1 + name.len();
    let self_closing = tag.last() == Some(&b'/');
    let attrs_end = head + gt - usize::from(self_closing);
    Some((attrs_end, self_closing, head + gt + 1))
}

/// Reusable text buffers.
#[derive(Default)]
struct Bufs {
    text: String,
    run: String,
    /// Bytes cut from the part by the fast paths of inline strings (which the parser's
    /// position does not count).
    skipped: u64,
}

fn child_value(
    r: &mut Reader<&[u8]>,
    ctx: &Ctx<'_>,
    cell: &CellAttrs<'_>,
    e: &BytesStart<'_>,
    empty: bool,
    bufs: &mut Bufs,
) -> Result<Option<RawCell>, SheetError> {
    match e.local_name().as_ref() {
        "is" => {
            bufs.text.clear();
            if !empty {
                read_rich(
                    r,
                    e.name().as_ref(),
                    &mut bufs.text,
                    &mut bufs.run,
                    &mut bufs.skipped,
                )?;
            }
            Ok(non_empty_normalized(&bufs.text))
        }
        "v" => {
            if matches!(cell.t, Some("inlineStr" | "is")) {
                if !empty {
                    r.read_to_end(e.name())?;
                }
                return Ok(None);
            }
            if matches!(cell.t, None | Some("n" | "s" | "b" | "e")) {
                if empty {
                    return Ok(None);
                }
                // These hold plain ASCII: the first text event is the value.
                let raw: Cow<'_, str> = match r.read_event()? {
                    Event::Text(t) => t.into_inner(),
                    Event::End(end) if end.name() == e.name() => return Ok(None),
                    Event::Eof => {
                        return Err(SheetError::Sheet("the part ends inside a value".into()))
                    }
                    _ => Cow::Borrowed(""),
                };
                r.read_to_end(e.name())?;
                if raw.is_empty() {
                    return Ok(None);
                }
                return plain_value(ctx, cell, &raw);
            }
            // Types whose text may hold entities: all of it.
            bufs.text.clear();
            if !empty {
                loop {
                    match r.read_event()? {
                        Event::Text(t) => bufs.text.push_str(&t),
                        Event::GeneralRef(g) => {
                            push_ref(&g, &mut bufs.text).map_err(SheetError::Sheet)?
                        }
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => {
                            return Err(SheetError::Sheet("the part ends inside a value".into()))
                        }
                        _ => {}
                    }
                }
            }
            text_value(cell, &bufs.text)
        }
        "f" => {
            if !empty {
                r.read_to_end(e.name())?;
            }
            Ok(None)
        }
        other => Err(SheetError::Sheet(format!(
            "unexpected <{other}> in a cell (a cell holds <v>, <f> or <is>)"
        ))),
    }
}

/// A `<v>` of type `str`, `d` or another, its whole text (entities resolved).
fn text_value(cell: &CellAttrs<'_>, text: &str) -> Result<Option<RawCell>, SheetError> {
    match cell.t {
        Some("str") => Ok(non_empty_normalized(&unescape_xml(text))),
        Some("d") => Ok(super::sheet::non_empty(iso_text(text))),
        Some(other) => Err(SheetError::Sheet(format!("unknown cell type t={other:?}"))),
        None => Ok(None),
    }
}

/// The value of a `<v>` whose text has no markup and no entity: what the event path gives.
fn v_value(ctx: &Ctx<'_>, cell: &CellAttrs<'_>, v: &str) -> Result<Option<RawCell>, SheetError> {
    match cell.t {
        Some("inlineStr" | "is") => Ok(None),
        None | Some("n" | "s" | "b" | "e") if v.is_empty() => Ok(None),
        None | Some("n" | "s" | "b" | "e") => plain_value(ctx, cell, v),
        _ => text_value(cell, v),
    }
}

/// `<v>text</v></c>` at the start of `rest`, the text free of markup and entities: the text
/// and the length of `<v>text</v>`.
fn plain_v(rest: &[u8]) -> Option<(&str, usize)> {
    let body = rest.strip_prefix(b"<v>")?;
    let end = memchr::memchr(b'<', body)?;
    let text = body.get(..end)?;
    if !body.get(end..)?.starts_with(b"</v></c>") || memchr::memchr(b'&', text).is_some() {
        return None;
    }
    Some((std::str::from_utf8(text).ok()?, end + 7))
}

/// A `<v>` of type `n`, `s`, `b`, `e` or none, not empty.
fn plain_value(
    ctx: &Ctx<'_>,
    cell: &CellAttrs<'_>,
    v: &str,
) -> Result<Option<RawCell>, SheetError> {
    match cell.t {
        Some("s") => {
            let i = v.parse::<usize>().unwrap_or(0);
            let s = ctx.strings.get(i).ok_or_else(|| {
                SheetError::Sheet(format!(
                    "a cell refers to shared string {i}, which the workbook does not have"
                ))
            })?;
            Ok(super::sheet::non_empty(s.to_string()))
        }
        Some("b") => match v.trim() {
            "" => Ok(None),
            "0" => Ok(super::sheet::non_empty("FALSE".into())),
            "1" => Ok(super::sheet::non_empty("TRUE".into())),
            x if x.eq_ignore_ascii_case("false") => Ok(super::sheet::non_empty("FALSE".into())),
            x if x.eq_ignore_ascii_case("true") => Ok(super::sheet::non_empty("TRUE".into())),
            _ => Err(SheetError::Sheet(format!(
                "the boolean cell value {v:?} is neither 0 nor 1"
            ))),
        },
        Some("e") => match v {
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" => {
                Ok(Some(super::sheet::error_cell_named(v)))
            }
            _ => Err(SheetError::Sheet(format!("unknown error value {v:?}"))),
        },
        _ => match parse_number(v) {
            Ok(f) => Ok(Some(number_cell(f, cell.xf(ctx), ctx.is_1904))),
            Err(_) if cell.t.is_none() => Ok(non_empty_normalized(v)),
            Err(_) => Err(SheetError::Sheet(format!(
                "the number cell value {v:?} is not a number"
            ))),
        },
    }
}

/// A number as `str::parse` reads it; whole numbers of up to 15 digits (most cells) without the
/// general float parser.
fn parse_number(v: &str) -> Result<f64, std::num::ParseFloatError> {
    let (negative, digits) = match v.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, v),
    };
    if !digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n = digits
            .bytes()
            .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        // Below 10^15 < 2^53: exact, as the float parser would give it.
        let f = n as f64;
        return Ok(if negative { -f } else { f });
    }
    v.parse::<f64>()
}

fn number_cell(f: f64, xf: Option<Xf>, is_1904: bool) -> RawCell {
    let kind = match xf.map(|x| x.number) {
        Some(Number::Date) => Some(ExcelDateTimeType::DateTime),
        Some(Number::Duration) => Some(ExcelDateTimeType::TimeDelta),
        _ => None,
    };
    let text = match kind {
        Some(k) => format_datetime(&ExcelDateTime::new(f, k, is_1904)),
        None => format_number(f),
    };
    RawCell {
        text,
        note: None,
        merged_from: None,
        highlighted: false,
    }
}

fn non_empty_normalized(s: &str) -> Option<RawCell> {
    let mut text = String::with_capacity(s.len());
    push_normalized(&mut text, s);
    super::sheet::non_empty(text)
}

/// Resolves an entity reference into `out`: the five predefined entities and character
/// references; anything else is an error (never expanded).
fn push_ref(g: &quick_xml::events::BytesRef<'_>, out: &mut String) -> Result<(), String> {
    let name: &str = g;
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => match g.resolve_char_ref() {
            Ok(Some(c)) => c,
            _ => return Err(format!("the entity &{name}; is not defined")),
        },
    };
    out.push(c);
    Ok(())
}

/// Reads a string item (`<si>` or `<is>`) just opened, up to the end tag named `closing`: the
/// text of its `<t>` elements, rich-text runs concatenated, phonetic runs (`<rPh>`) skipped.
/// Each `<t>` is trimmed of ASCII whitespace unless `xml:space="preserve"`, then its
/// `_xHHHH_` escapes are decoded, as Excel (and calamine) read them.
fn read_rich(
    r: &mut Reader<&[u8]>,
    closing: &str,
    out: &mut String,
    run: &mut String,
    skipped: &mut u64,
) -> Result<(), SheetError> {
    let mut phonetic = false;
    // The usual item, `<t>text</t>` with no markup or entity in the text: cut from the bytes.
    let rest: &[u8] = r.get_ref();
    if let Some((text, len)) = plain_t(rest) {
        out.push_str(&unescape_xml(text.trim_matches([' ', '\t', '\r', '\n'])));
        *r.get_mut() = rest.get(len..).unwrap_or_default();
        *skipped += len as u64;
    }
    loop {
        match r.read_event()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "rPh" => phonetic = true,
                "t" if !phonetic => {
                    let preserve = raw_attr(e.attributes_raw(), "xml:space") == Some("preserve");
                    run.clear();
                    loop {
                        match r.read_event()? {
                            Event::Text(t) => run.push_str(&t),
                            Event::CData(t) => run.push_str(&t),
                            Event::GeneralRef(g) => push_ref(&g, run).map_err(SheetError::Sheet)?,
                            Event::End(end) if end.name() == e.name() => break,
                            Event::Eof => {
                                return Err(SheetError::Sheet(
                                    "the part ends inside a string".into(),
                                ))
                            }
                            _ => {}
                        }
                    }
                    let text = if preserve {
                        run.as_str()
                    } else {
                        run.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    out.push_str(&unescape_xml(text));
                }
                _ => {}
            },
            Event::End(e) => {
                if e.name().as_ref() == closing {
                    return Ok(());
                }
                if e.local_name().as_ref() == "rPh" {
                    phonetic = false;
                }
            }
            Event::DocType(_) => return Err(SheetError::Dtd),
            Event::Eof => return Err(SheetError::Sheet("the part ends inside a string".into())),
            _ => {}
        }
    }
}

/// `<t>text</t>` at the start of `rest`, the text free of markup and entities: the text and
/// the length of the element.
fn plain_t(rest: &[u8]) -> Option<(&str, usize)> {
    let body = rest.strip_prefix(b"<t>")?;
    let end = memchr::memchr(b'<', body)?;
    let text = body.get(..end)?;
    if !body.get(end..)?.starts_with(b"</t>") || memchr::memchr(b'&', text).is_some() {
        return None;
    }
    Some((std::str::from_utf8(text).ok()?, end + 7))
}

/// Decodes Excel's `_xHHHH_` escapes (a UTF-16 code unit each; `_x005F_` escapes an
/// underscore); borrows when there is none. Lone surrogates become U+FFFD.
fn unescape_xml(s: &str) -> Cow<'_, str> {
    let Some((mut at, mut unit)) = find_escape(s, 0) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    loop {
        out.push_str(s.get(copied..at).unwrap_or_default());
        at += 7;
        match unit {
            0xD800..=0xDBFF => match parse_escape(s, at) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let cp =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER));
                    at += 7;
                }
                _ => out.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => out.push(char::REPLACEMENT_CHARACTER),
            _ => out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = at;
        match find_escape(s, at) {
            Some(next) => (at, unit) = next,
            None => break,
        }
    }
    out.push_str(s.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

fn find_escape(s: &str, mut from: usize) -> Option<(usize, u16)> {
    while let Some(offset) = s.get(from..)?.find('_') {
        let at = from + offset;
        if let Some(unit) = parse_escape(s, at) {
            return Some((at, unit));
        }
        from = at + 1;
    }
    None
}

fn parse_escape(s: &str, at: usize) -> Option<u16> {
    let b = s.as_bytes().get(at..at + 7)?;
    if b.first() != Some(&b'_') || b.get(1) != Some(&b'x') || b.get(6) != Some(&b'_') {
        return None;
    }
    let hex = b.get(2..6)?;
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

// ---------------------------------------------------------------- references and attributes

/// `(row, column)` of an `A1`-style reference (0-based; no `$`), or `None` when it is not one.
fn get_row_column(s: &str) -> Option<(u32, u32)> {
    let (row, col) = row_and_column(s)?;
    Some((row, col?))
}

/// The row of a reference that may omit its column (`<row r="5">`).
fn parse_row(s: &str) -> Option<u32> {
    row_and_column(s).map(|(row, _)| row)
}

fn row_and_column(s: &str) -> Option<(u32, Option<u32>)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut col: u32 = 0;
    let mut row: u32 = 0;
    while let Some(&c) = b.get(i) {
        i += 1;
        match c {
            b'A'..=b'Z' => col = col.checked_mul(26)?.checked_add(u32::from(c - b'A') + 1)?,
            b'a'..=b'z' => col = col.checked_mul(26)?.checked_add(u32::from(c - b'a') + 1)?,
            b'0'..=b'9' => {
                row = u32::from(c - b'0');
                break;
            }
            _ => return None,
        }
    }
    while let Some(&c) = b.get(i) {
        i += 1;
        match c {
            b'0'..=b'9' => row = row.checked_mul(10)?.checked_add(u32::from(c - b'0'))?,
            _ => return None,
        }
    }
    Some((row.checked_sub(1)?, col.checked_sub(1)))
}

/// A merged area (`A1:C2`, or one cell), as written: not reordered.
fn get_dimension(s: &str) -> Option<Dimensions> {
    let mut parts = s.split(':');
    let start = get_row_column(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => get_row_column(p)?,
        None => start,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Dimensions { start, end })
}

/// The attributes of a tag as written (`key="value"` pairs; values not unescaped). Stops at
/// the first malformed pair.
fn raw_attrs(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    let b = raw.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let key_start = i;
        while b.get(i).is_some_and(|&c| c != b'=') {
            i += 1;
        }
        let key = raw.get(key_start..i)?.trim_ascii_end();
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let quote = *b.get(i).filter(|&&q| q == b'"' || q == b'\'')?;
        i += 1;
        let value_start = i;
        while b.get(i).is_some_and(|&c| c != quote) {
            i += 1;
        }
        let value = raw.get(value_start..i)?;
        i += 1;
        Some((key, value))
    })
}

fn raw_attr<'t>(raw: &'t str, key: &str) -> Option<&'t str> {
    raw_attrs(raw).find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// An attribute value with its entities resolved (as written when it has a bad one).
fn unescape_attr(v: &str) -> Cow<'_, str> {
    if !v.contains('&') {
        return Cow::Borrowed(v);
    }
    quick_xml::escape::unescape(v).unwrap_or(Cow::Borrowed(v))
}

// ---------------------------------------------------------------- package parts

/// One relationship: its id, the last segment of its type (`worksheet`, `sharedStrings`,
/// `table`; the same for transitional and Strict), its target resolved to a package path.
struct Rel {
    id: String,
    kind: String,
    target: String,
}

/// `xl/worksheets/sheet1.xml` -> (`xl/worksheets/`, `sheet1.xml`).
fn split_dir(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => (
            path.get(..=i).unwrap_or_default(),
            path.get(i + 1..).unwrap_or_default(),
        ),
        None => ("", path),
    }
}

/// A relationship target resolved against the folder of its source part (`base`, ending with
/// `/` or empty): absolute targets drop their `/`, `.` and `..` segments are applied.
fn resolve(base: &str, target: &str) -> String {
    let joined;
    let path = match target.strip_prefix('/') {
        Some(abs) => abs,
        None => {
            joined = format!("{base}{target}");
            &joined
        }
    };
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

fn parse_rels(data: &[u8], part: &str, base: &str) -> Result<Vec<Rel>, ReadError> {
    let mut r = reader(data);
    let mut out = Vec::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let (mut id, mut kind, mut target, mut external) = (None, "", None, false);
                for (key, value) in raw_attrs(e.attributes_raw()) {
                    match key {
                        "Id" => id = Some(value),
                        "Type" => kind = value.rsplit('/').next().unwrap_or_default(),
                        "Target" => target = Some(unescape_attr(value)),
                        "TargetMode" => external = value == "External",
                        _ => {}
                    }
                }
                if let (Some(id), Some(target), false) = (id, target, external) {
                    out.push(Rel {
                        id: id.to_string(),
                        kind: kind.to_string(),
                        target: resolve(base, &target),
                    });
                }
            }
            Ok(Event::DocType(_)) => {
                return Err(ReadError::Dtd {
                    part: part.to_string(),
                })
            }
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(damaged(part, &xml_error(&r, &e))),
            Ok(_) => {}
        }
    }
}

/// Most shared strings a part of `len` bytes can hold (each takes at least `<si/>`).
fn most_strings(len: usize) -> u64 {
    len as u64 / 5 + 1
}

fn parse_shared_strings(data: &[u8], part: &str) -> Result<Strings, ReadError> {
    let mut r = reader(data);
    let mut out = Strings::default();
    // Up to <sst>, whose declared count is checked before anything is reserved.
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                if let Some(count) = raw_attr(e.attributes_raw(), "uniqueCount") {
                    let declared: u64 = count.trim().parse().unwrap_or(0);
                    let most = most_strings(data.len());
                    if declared > most {
                        return Err(ReadError::Spreadsheet(format!(
                            "{part}: declares {declared} shared strings but can hold at most {most}; the workbook is damaged (open and re-save it in Excel)"
                        )));
                    }
                    out.ends.reserve(usize::try_from(declared).unwrap_or(0));
                }
                out.text.reserve(data.len() / 2);
                break;
            }
            Ok(Event::DocType(_)) => {
                return Err(ReadError::Dtd {
                    part: part.to_string(),
                })
            }
            Ok(Event::Eof) => return Err(damaged(part, "there is no <sst> element")),
            Err(e) => return Err(damaged(part, &xml_error(&r, &e))),
            Ok(_) => {}
        }
    }
    let mut text = String::new();
    let mut run = String::new();
    let mut skipped = 0;
    let bad = |r: &Reader<&[u8]>, e: &quick_xml::Error, skipped: u64| {
        damaged(
            part,
            &format!(
                "malformed XML at byte {}: {e}",
                r.error_position() + skipped
            ),
        )
    };
    let mut after_tag = true;
    loop {
        if after_tag {
            // The usual item, `<si><t>text</t></si>`: cut from the bytes.
            loop {
                let rest: &[u8] = r.get_ref();
                let Some((t, len)) =
                    rest.strip_prefix(b"<si>")
                        .and_then(plain_t)
                        .and_then(|(t, len)| {
                            rest.get(4 + len..)?
                                .starts_with(b"</si>")
                                .then_some((t, 4 + len + 5))
                        })
                else {
                    break;
                };
                text.clear();
                text.push_str(&unescape_xml(t.trim_matches([' ', '\t', '\r', '\n'])));
                out.push(&text);
                *r.get_mut() = rest.get(len..).unwrap_or_default();
                skipped += len as u64;
            }
        }
        let event = r.read_event();
        after_tag = matches!(
            event,
            Ok(Event::Start(_)) | Ok(Event::End(_)) | Ok(Event::Empty(_))
        );
        match event {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "si" => {
                text.clear();
                let got = read_rich(&mut r, e.name().as_ref(), &mut text, &mut run, &mut skipped);
                got.map_err(|err| match err {
                    SheetError::Xml(e) => bad(&r, &e, skipped),
                    SheetError::Sheet(why) => damaged(part, &why),
                    SheetError::Dtd => ReadError::Dtd {
                        part: part.to_string(),
                    },
                    SheetError::Read(e) => e,
                })?;
                out.push(&text);
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "si" => out.push(""),
            Ok(Event::End(e)) if e.local_name().as_ref() == "sst" => return Ok(out),
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(bad(&r, &e, skipped)),
            Ok(_) => {}
        }
    }
}

/// The name and area of an Excel table part (`xl/tables/table1.xml`); `None` when it has no
/// usable name or area.
fn table_ref(data: &[u8], part: &str) -> Result<Option<(String, Dimensions)>, ReadError> {
    let mut r = reader(data);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "table" => {
                let (mut name, mut display, mut area) = (None, None, None);
                for (key, value) in raw_attrs(e.attributes_raw()) {
                    match key {
                        "name" => name = Some(unescape_attr(value).into_owned()),
                        "displayName" => display = Some(unescape_attr(value).into_owned()),
                        "ref" => area = super::sheet::parse_area(value),
                        _ => {}
                    }
                }
                return Ok(display.or(name).zip(area));
            }
            Ok(Event::DocType(_)) => {
                return Err(ReadError::Dtd {
                    part: part.to_string(),
                })
            }
            Ok(Event::Eof) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
}

// ---------------------------------------------------------------- styles

/// A color as a style part writes it, resolved once the theme is known.
#[derive(Debug, Clone, Default)]
struct ColorSpec {
    rgb: Option<String>,
    theme: Option<String>,
    indexed: Option<String>,
    tint: Option<String>,
}

#[derive(Debug, Default)]
struct FillSpec {
    solid: bool,
    fg: Vec<ColorSpec>,
    bg: Vec<ColorSpec>,
}

#[derive(Debug, Default)]
struct RawStyles {
    formats: HashMap<String, String>,
    fills: Vec<FillSpec>,
    /// Per `cellXfs/xf`: `numFmtId` as written, `fillId`.
    xfs: Vec<(Option<String>, Option<usize>)>,
}

enum StylesError {
    Dtd,
    Xml(String),
}

fn color_spec(e: &BytesStart<'_>) -> ColorSpec {
    let mut c = ColorSpec::default();
    for (key, value) in raw_attrs(e.attributes_raw()) {
        match key {
            "rgb" => c.rgb = Some(value.to_string()),
            "theme" => c.theme = Some(value.to_string()),
            "indexed" => c.indexed = Some(value.to_string()),
            "tint" => c.tint = Some(value.to_string()),
            _ => {}
        }
    }
    c
}

fn parse_styles(data: &[u8], part: &str) -> Result<RawStyles, StylesError> {
    let mut r = reader(data);
    let mut out = RawStyles::default();
    let (mut in_formats, mut in_fills, mut in_xfs) = (false, false, false);
    let mut fill: Option<FillSpec> = None;
    loop {
        let (e, empty) = match r.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "numFmts" => in_formats = false,
                    "fills" => in_fills = false,
                    "fill" => {
                        if let Some(f) = fill.take() {
                            out.fills.push(f);
                        }
                    }
                    "cellXfs" => in_xfs = false,
                    _ => {}
                }
                continue;
            }
            Ok(Event::DocType(_)) => return Err(StylesError::Dtd),
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(StylesError::Xml(format!("{part}: {}", xml_error(&r, &e)))),
            Ok(_) => continue,
        };
        match e.local_name().as_ref() {
            "numFmts" => in_formats = !empty,
            "fills" => in_fills = !empty,
            "cellXfs" => in_xfs = !empty,
            "numFmt" if in_formats => {
                let (mut id, mut code) = (None, None);
                for (key, value) in raw_attrs(e.attributes_raw()) {
                    match key {
                        "numFmtId" => id = Some(value),
                        "formatCode" => code = Some(value),
                        _ => {}
                    }
                }
                if let (Some(id), Some(code)) = (id, code) {
                    out.formats
                        .insert(id.to_string(), unescape_attr(code).into_owned());
                }
            }
            "fill" if in_fills && fill.is_none() => {
                if empty {
                    out.fills.push(FillSpec::default());
                } else {
                    fill = Some(FillSpec::default());
                }
            }
            "patternFill" => {
                if let (Some(f), Some(p)) =
                    (fill.as_mut(), raw_attr(e.attributes_raw(), "patternType"))
                {
                    f.solid = p == "solid";
                }
            }
            "fgColor" => {
                if let Some(f) = fill.as_mut() {
                    f.fg.push(color_spec(&e));
                }
            }
            "bgColor" => {
                if let Some(f) = fill.as_mut() {
                    f.bg.push(color_spec(&e));
                }
            }
            "xf" if in_xfs => {
                let (mut format, mut fill_id) = (None, None);
                for (key, value) in raw_attrs(e.attributes_raw()) {
                    match key {
                        "numFmtId" => format = Some(value.to_string()),
                        "fillId" => fill_id = value.parse::<usize>().ok(),
                        _ => {}
                    }
                }
                out.xfs.push((format, fill_id));
            }
            _ => {}
        }
    }
}

impl RawStyles {
    /// The cell formats, with fills resolved to "yellow or not" (reading the theme only when a
    /// solid fill uses a theme color).
    fn resolve(self, book: &mut Workbook<'_>, theme_part: &str) -> Result<Vec<Xf>, ReadError> {
        let needs_theme = self.fills.iter().any(|f| {
            f.solid
                && f.fg
                    .iter()
                    .chain(&f.bg)
                    .any(|c| c.rgb.is_none() && c.theme.is_some())
        });
        let theme = if needs_theme {
            match book.part(theme_part)? {
                Some(data) => match read_theme_colors(&data) {
                    Ok(colors) => colors,
                    Err(StylesError::Dtd) => {
                        return Err(ReadError::Dtd {
                            part: theme_part.to_string(),
                        })
                    }
                    Err(StylesError::Xml(_)) => default_theme_colors(),
                },
                None => default_theme_colors(),
            }
        } else {
            default_theme_colors()
        };
        let last = |specs: &[ColorSpec]| specs.iter().rev().find_map(|c| resolve_color(c, &theme));
        let yellow: Vec<bool> = self
            .fills
            .iter()
            .map(|f| {
                f.solid
                    && last(&f.fg)
                        .or_else(|| last(&f.bg))
                        .is_some_and(|[r, g, b]| r >= 0xE0 && g >= 0xC0 && b <= 0x99)
            })
            .collect();
        Ok(self
            .xfs
            .iter()
            .map(|(format, fill)| Xf {
                number: match format {
                    None => Number::Plain,
                    Some(id) => match self.formats.get(id) {
                        Some(code) => custom_format(code),
                        None => builtin_format(id),
                    },
                },
                yellow: fill.and_then(|i| yellow.get(i).copied()).unwrap_or(false),
            })
            .collect())
    }
}

/// Whether a custom number format code shows a date, a time or a duration (its first section
/// only; quoted text, escapes and colors do not count). Ported from calamine (MIT), so cells
/// read as they did.
fn custom_format(format: &str) -> Number {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return Number::Plain,
            ('[', ..) => brackets = brackets.saturating_add(1),
            (']', .., 1) if hms => return Number::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Number::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Number::Date
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Number::Plain
}

/// The built-in number formats that show dates and times (ECMA-376 18.8.30, with the East
/// Asian ones), and `[h]:mm:ss` (46), a duration.
fn builtin_format(id: &str) -> Number {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" | "27"
        | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51" | "52"
        | "53" | "54" | "55" | "56" | "57" | "58" => Number::Date,
        "46" => Number::Duration,
        _ => Number::Plain,
    }
}

type Rgb = [u8; 3];

/// The default Office theme, in the order of the `theme` attribute (lt1, dk1, lt2, dk2, ...).
fn default_theme_colors() -> Vec<Rgb> {
    vec![
        [255, 255, 255],
        [0, 0, 0],
        [238, 236, 225],
        [31, 73, 125],
        [79, 129, 189],
        [192, 80, 77],
        [155, 187, 89],
        [128, 100, 162],
        [75, 172, 198],
        [247, 150, 70],
        [0, 0, 255],
        [128, 0, 128],
    ]
}

/// The theme's color scheme, in `theme` attribute order (Excel swaps dk1/lt1 and dk2/lt2).
fn read_theme_colors(data: &[u8]) -> Result<Vec<Rgb>, StylesError> {
    const SLOTS: [&str; 12] = [
        "dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5",
        "accent6", "hlink", "folHlink",
    ];
    let mut r = reader(data);
    let mut colors: Vec<Rgb> = Vec::new();
    let mut in_scheme = false;
    let mut slot_open = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let local = e.local_name();
                let local = local.as_ref();
                if local == "clrScheme" {
                    in_scheme = true;
                } else if in_scheme {
                    if SLOTS.contains(&local) {
                        slot_open = true;
                    } else if slot_open && matches!(local, "srgbClr" | "sysClr") {
                        let raw = e.attributes_raw();
                        let c = raw_attr(raw, "lastClr")
                            .and_then(parse_hex_color)
                            .or_else(|| raw_attr(raw, "val").and_then(parse_hex_color));
                        if let Some(c) = c {
                            colors.push(c);
                            slot_open = false;
                        }
                    }
                }
            }
            Ok(Event::End(e)) => {
                let local = e.local_name();
                let local = local.as_ref();
                if local == "clrScheme" {
                    break;
                }
                if slot_open && SLOTS.contains(&local) {
                    colors.push([0, 0, 0]);
                    slot_open = false;
                }
            }
            Ok(Event::DocType(_)) => return Err(StylesError::Dtd),
            Ok(Event::Eof) => break,
            Err(e) => return Err(StylesError::Xml(e.to_string())),
            Ok(_) => {}
        }
    }
    if colors.len() >= 4 {
        colors.swap(0, 1);
        colors.swap(2, 3);
        Ok(colors)
    } else {
        Ok(default_theme_colors())
    }
}

/// `RRGGBB` or `AARRGGBB`.
fn parse_hex_color(v: &str) -> Option<Rgb> {
    let pair = |at: usize| u8::from_str_radix(v.get(at..at + 2)?, 16).ok();
    match v.len() {
        6 => Some([pair(0)?, pair(2)?, pair(4)?]),
        8 => {
            pair(0)?;
            Some([pair(2)?, pair(4)?, pair(6)?])
        }
        _ => None,
    }
}

fn resolve_color(c: &ColorSpec, theme: &[Rgb]) -> Option<Rgb> {
    let color = if let Some(rgb) = &c.rgb {
        parse_hex_color(rgb)
    } else if let Some(t) = &c.theme {
        t.parse::<u8>()
            .ok()
            .map(|t| theme.get(usize::from(t)).copied().unwrap_or([0, 0, 0]))
    } else if let Some(i) = &c.indexed {
        i.parse::<u8>().ok().map(indexed_color)
    } else {
        None
    };
    let tint = c.tint.as_deref().and_then(|t| t.parse::<f64>().ok());
    color.map(|c| match tint {
        Some(t) if t != 0.0 => apply_tint(c, t),
        _ => c,
    })
}

/// The default indexed palette (ECMA-376 18.8.27); 64 is black, 65 white, others black.
fn indexed_color(i: u8) -> Rgb {
    const PALETTE: [u32; 64] = [
        0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x000000,
        0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x800000, 0x008000,
        0x000080, 0x808000, 0x800080, 0x008080, 0xC0C0C0, 0x808080, 0x9999FF, 0x993366, 0xFFFFCC,
        0xCCFFFF, 0x660066, 0xFF8080, 0x0066CC, 0xCCCCFF, 0x000080, 0xFF00FF, 0xFFFF00, 0x00FFFF,
        0x800080, 0x800000, 0x008080, 0x0000FF, 0x00CCFF, 0xCCFFFF, 0xCCFFCC, 0xFFFF99, 0x99CCFF,
        0xFF99CC, 0xCC99FF, 0xFFCC99, 0x3366FF, 0x33CCCC, 0x99CC00, 0xFFCC00, 0xFF9900, 0xFF6600,
        0x666699, 0x969696, 0x003366, 0x339966, 0x003300, 0x333300, 0x993300, 0x993366, 0x333399,
        0x333333,
    ];
    match PALETTE.get(usize::from(i)) {
        Some(&c) => {
            let [_, r, g, b] = c.to_be_bytes();
            [r, g, b]
        }
        None if i == 65 => [255, 255, 255],
        None => [0, 0, 0],
    }
}

/// A tint applied to the luminance in HSL space (ECMA-376 18.8.19).
fn apply_tint([red, green, blue]: Rgb, tint: f64) -> Rgb {
    let (h, s, l) = rgb_to_hsl(red, green, blue);
    let l = if tint < 0.0 {
        l * (1.0 + tint)
    } else {
        l * (1.0 - tint) + tint
    };
    hsl_to_rgb(h, s, l.clamp(0.0, 1.0))
}

fn rgb_to_hsl(red: u8, green: u8, blue: u8) -> (f64, f64, f64) {
    let r = f64::from(red) / 255.0;
    let g = f64::from(green) / 255.0;
    let b = f64::from(blue) / 255.0;
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let lum = (max + min) / 2.0;
    if max == min {
        return (0.0, 0.0, lum);
    }
    let delta = max - min;
    let sat = if lum > 0.5 {
        delta / (2.0 - max - min)
    } else {
        delta / (max + min)
    };
    let hue = if max == r {
        (g - b) / delta + if g < b { 6.0 } else { 0.0 }
    } else if max == g {
        (b - r) / delta + 2.0
    } else {
        (r - g) / delta + 4.0
    };
    (hue / 6.0, sat, lum)
}

fn hsl_to_rgb(hue: f64, sat: f64, lum: f64) -> Rgb {
    let channel = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    if sat == 0.0 {
        let g = channel(lum);
        return [g, g, g];
    }
    let q = if lum < 0.5 {
        lum * (1.0 + sat)
    } else {
        lum + sat - lum * sat
    };
    let p = 2.0 * lum - q;
    let hue_channel = |h: f64| {
        let h = h.rem_euclid(1.0);
        let v = if h < 1.0 / 6.0 {
            p + (q - p) * 6.0 * h
        } else if h < 0.5 {
            q
        } else if h < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - h) * 6.0
        } else {
            p
        };
        channel(v)
    };
    [
        hue_channel(hue + 1.0 / 3.0),
        hue_channel(hue),
        hue_channel(hue - 1.0 / 3.0),
    ]
}

// ---------------------------------------------------------------- properties

enum PropsError {
    Dtd,
    Bad,
}

/// Reads `docProps/core.xml` (`core`) or `docProps/app.xml` into `props`, as calamine did: the
/// text of each known element, later ones overriding earlier ones.
fn read_properties_part(
    data: &[u8],
    core: bool,
    props: &mut WorkbookProperties,
) -> Result<(), PropsError> {
    #[derive(Clone, Copy)]
    enum P {
        Creator,
        LastModifiedBy,
        Created,
        Modified,
        Title,
        Subject,
        Description,
        Keywords,
        Category,
        Company,
        Manager,
        Ignored,
    }
    let mut r = reader(data);
    let mut current: Option<P> = None;
    let mut value = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                value.clear();
                current = match (e.local_name().as_ref(), core) {
                    ("creator", true) => Some(P::Creator),
                    ("lastModifiedBy", true) => Some(P::LastModifiedBy),
                    ("created", true) => Some(P::Created),
                    ("modified", true) => Some(P::Modified),
                    ("title", true) => Some(P::Title),
                    ("subject", true) => Some(P::Subject),
                    ("description", true) => Some(P::Description),
                    ("keywords", true) => Some(P::Keywords),
                    ("category", true) => Some(P::Category),
                    ("contentStatus" | "revision" | "version", true) => Some(P::Ignored),
                    ("Application" | "AppVersion" | "Template", _) => Some(P::Ignored),
                    ("Company", _) => Some(P::Company),
                    ("Manager", _) => Some(P::Manager),
                    _ => None,
                };
            }
            Ok(Event::Text(t)) => {
                if current.is_some() {
                    value.push_str(&t);
                }
            }
            Ok(Event::GeneralRef(g)) => {
                if current.is_some() {
                    push_ref(&g, &mut value).map_err(|_| PropsError::Bad)?;
                }
            }
            Ok(Event::End(_)) => {
                if let Some(field) = current.take().filter(|_| !value.is_empty()) {
                    let v = Some(std::mem::take(&mut value));
                    match field {
                        P::Creator => props.creator = v,
                        P::LastModifiedBy => props.last_modified_by = v,
                        P::Created => props.created = v,
                        P::Modified => props.modified = v,
                        P::Title => props.title = v,
                        P::Subject => props.subject = v,
                        P::Description => props.description = v,
                        P::Keywords => props.keywords = v,
                        P::Category => props.category = v,
                        P::Company => props.company = v,
                        P::Manager => props.manager = v,
                        P::Ignored => {}
                    }
                }
            }
            Ok(Event::DocType(_)) => return Err(PropsError::Dtd),
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return Err(PropsError::Bad),
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_parse_as_the_float_parser_reads_them() {
        for v in [
            "0",
            "-0",
            "7",
            "-12",
            "45352",
            "999999999999999",
            "1000000000000000",
            "0012",
            "1.5",
            "1e3",
            "",
            "-",
            "+5",
            "1 ",
            "inf",
        ] {
            let ours = parse_number(v).map(f64::to_bits).ok();
            let std = v.parse::<f64>().map(f64::to_bits).ok();
            assert_eq!(ours, std, "{v:?}");
        }
    }

    #[test]
    fn normalised_strings_match_the_document_model() {
        for s in [
            "plain",
            "two words",
            "  padded  ",
            "tab\there",
            "line\r\nbreak",
            "nbsp\u{a0}inside",
            "a  b",
            "",
            "   ",
            "東京 タワー",
        ] {
            let mut ours = String::new();
            push_normalized(&mut ours, s);
            assert_eq!(ours, crate::document::normalize_whitespace(s), "{s:?}");
        }
    }

    #[test]
    fn references_parse_without_overflow() {
        assert_eq!(get_row_column("A1"), Some((0, 0)));
        assert_eq!(get_row_column("xfd1048576"), Some((1_048_575, 16_383)));
        assert_eq!(get_row_column("A0"), None);
        assert_eq!(get_row_column("5"), None);
        assert_eq!(parse_row("5"), Some(4));
        assert_eq!(get_row_column("ZZZZZZZZZZ1"), None);
        assert_eq!(get_row_column("A99999999999"), None);
        assert_eq!(get_row_column("$A$1"), None);
        let d = get_dimension("B2:A1").unwrap();
        assert_eq!((d.start, d.end), ((1, 1), (0, 0)));
        assert!(get_dimension("A1:B2:C3").is_none());
    }

    #[test]
    fn relationship_targets_resolve_against_their_folder() {
        assert_eq!(
            resolve("xl/", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(
            resolve("xl/worksheets/", "../tables/t1.xml"),
            "xl/tables/t1.xml"
        );
        assert_eq!(resolve("", "./xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(resolve("", "../../x.xml"), "x.xml");
    }

    #[test]
    fn excel_escapes_decode_as_excel_writes_them() {
        assert_eq!(unescape_xml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_xml("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_xml("_xD83D__xDCF7_"), "\u{1F4F7}");
        assert_eq!(unescape_xml("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(unescape_xml("_x12G4_ plain_"), "_x12G4_ plain_");
        assert!(matches!(unescape_xml("no escape"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_usual_cell_is_cut_from_the_bytes_and_anything_else_is_left_to_the_parser() {
        let (attrs, v, len) = fast_cell(br#"<c r="A1" t="s"><v>3</v></c><c"#).unwrap();
        assert_eq!((attrs, v, len), (r#" r="A1" t="s""#, Some("3"), 28));
        let (attrs, v, _) = fast_cell(br#"<c r="B2" s="1"/>"#).unwrap();
        assert_eq!((attrs, v), (r#" r="B2" s="1""#, None));
        assert!(fast_cell(br#"<c r="A1"><f>1</f><v>1</v></c>"#).is_none());
        assert!(fast_cell(br#"<c r="A1"><v>a&amp;b</v></c>"#).is_none());
        assert!(fast_cell(br#"<col min="1"/>"#).is_none());
        // A `>` inside a quoted value does not end the tag.
        let (attrs, v, _) = fast_cell(br#"<c r="A1" x="a>b"><v>1</v></c>"#).unwrap();
        assert_eq!((attrs, v), (r#" r="A1" x="a>b""#, Some("1")));
        assert!(fast_cell(br#"<c r="A1><v>1</v></c>"#).is_none());
    }

    #[test]
    fn custom_formats_tell_dates_from_numbers() {
        assert_eq!(custom_format("dd/mm/yyyy"), Number::Date);
        assert_eq!(custom_format("[h]:mm:ss"), Number::Duration);
        assert_eq!(custom_format("\"Day\" 0"), Number::Plain);
        assert_eq!(custom_format("0.00;[Red]-0.00"), Number::Plain);
        assert_eq!(custom_format("#,##0*y"), Number::Plain);
        assert_eq!(custom_format("h:mm AM/PM"), Number::Date);
        assert_eq!(builtin_format("14"), Number::Date);
        assert_eq!(builtin_format("2"), Number::Plain);
    }
}
