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
//! checked), parsed from its bytes as quick-xml events (one path, no DOM), and a sheet is read cell by cell into a sparse
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
//! Here: the package (relationships, the sheet list, properties, tables); `cells.rs` streams
//! sheets and the shared strings; `styles.rs` reads cell formats and fills.
//!
//! Must not print, panic on input, or size an allocation from a number in the file.

mod cells;
mod styles;

use crate::document::Metadata;
use crate::read::container::Container;
use crate::read::sheet::{
    format_datetime, format_number, iso_text, Budget, RawCell, SheetData, SheetInfo, SheetKind,
};
use crate::read::ReadError;
use calamine::{Dimensions, ExcelDateTime, ExcelDateTimeType, WorkbookProperties};
use cells::{parse_shared_strings, push_ref, read_cells, Ctx, SheetError, Strings};
use foldhash::HashMap;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;
use styles::{parse_styles, Number, StylesError, Xf};

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

/// The error for a workbook-level part that cannot be read.
fn damaged(part: &str, what: &str) -> ReadError {
    ReadError::Spreadsheet(format!(
        "{part}: {what} (the workbook may be damaged; open and re-save it in Excel or LibreOffice)"
    ))
}

fn xml_error(r: &Reader<&[u8]>, e: &quick_xml::Error) -> String {
    format!("malformed XML at byte {}: {e}", r.error_position())
}

/// A reader over one part. As calamine configured its own, end tag names are not checked, so a
/// damaged but readable part still reads; for the same reason a stray end tag (with nothing
/// open) is accepted.
fn reader(data: &[u8]) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(data);
    let c = r.config_mut();
    c.check_end_names = false;
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
    fn part(&mut self, name: &str) -> Result<Option<Part>, ReadError> {
        Ok(self
            .zip
            .read(name)?
            .map(|d| Part(crate::read::utf16_xml_to_utf8(&d).unwrap_or(d))))
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
        Ok(crate::read::sheet::metadata_of(props))
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
                crate::read::sheet::quoted(&name)
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
        let has_tables =
            read_cells(&mut r, &ctx, &name, budget, &mut out).map_err(|e| match e {
                SheetError::Read(e) => e,
                SheetError::Dtd => ReadError::Dtd { part: path.clone() },
                SheetError::Sheet(what) => fail(&format!("{path}: {what}")),
                SheetError::Xml(e) => fail(&format!("{path}: {}", xml_error(&r, &e))),
            })?;
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

/// A part's bytes, given back to the thread's buffers once read.
struct Part(Vec<u8>);

impl std::ops::Deref for Part {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Part {
    fn drop(&mut self) {
        crate::read::buffers::give(std::mem::take(&mut self.0));
    }
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
                        "ref" => area = crate::read::sheet::parse_area(value),
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
}
