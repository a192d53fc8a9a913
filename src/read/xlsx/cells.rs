//! Worksheet cells and string items: a sheet part streamed into sparse cells and merged areas,
//! the shared-string table into one buffer.
//!
//! Takes inflated part bytes and what the workbook knows (shared strings, cell formats, the date
//! system); gives cell texts as calamine read them, and errors that name what is wrong (the
//! sheet's caller adds the sheet and the part). One parse path: quick-xml events, element by
//! element; what holds no value (formulas, the `<v>` of an inline string) is skipped with
//! `read_to_end`. Must not panic on input, and must not size an allocation from a number in
//! the file: the shared-string count is checked against the part's size before it sizes the
//! list.

use super::*;
use crate::document::push_normalized;

/// Shared strings, whitespace-normalised, in one buffer: string `i` ends at `ends[i]` and starts
/// where string `i - 1` ends.
#[derive(Default)]
pub(super) struct Strings {
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

/// What a cell needs from the workbook.
pub(super) struct Ctx<'w> {
    pub(super) strings: &'w Strings,
    pub(super) xfs: &'w [Xf],
    pub(super) is_1904: bool,
}

pub(super) enum SheetError {
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
pub(super) fn read_cells(
    r: &mut Reader<&[u8]>,
    ctx: &Ctx<'_>,
    sheet: &str,
    budget: &mut Budget,
    out: &mut SheetData,
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
    // The position of the next cell without an `r`: after the previous cell, or at the start
    // of the row.
    let mut row: u32 = 0;
    let mut col: u32 = 0;
    let mut bufs = Bufs::default();
    let mut reading = data_open;
    while reading {
        match r.read_event()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "row" => {
                    if let Some(v) = raw_attr(e.attributes_raw(), "r") {
                        row = parse_row(v).ok_or_else(|| bad_ref("row", v))?;
                    }
                }
                "c" => {
                    let cell = CellAttrs::of(&e);
                    let pos = cell.position(&mut row, &mut col)?;
                    let value = read_cell_value(r, ctx, &cell, &mut bufs)?;
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
        let mut out = CellAttrs {
            r: None,
            s: None,
            t: None,
        };
        for (key, value) in raw_attrs(e.attributes_raw()) {
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

/// Reusable text buffers.
#[derive(Default)]
struct Bufs {
    text: String,
    run: String,
}

/// Reads the content of a `<c>` element just opened, up to its end tag: the value of its last
/// `<v>` or `<is>` child (a formula alone reads as empty) with its highlight flag (its style's
/// fill), `None` when empty.
fn read_cell_value(
    r: &mut Reader<&[u8]>,
    ctx: &Ctx<'_>,
    cell: &CellAttrs<'_>,
    bufs: &mut Bufs,
) -> Result<Option<RawCell>, SheetError> {
    let mut value = None;
    loop {
        match r.read_event()? {
            Event::Start(e) => value = child_value(r, ctx, cell, &e, false, bufs)?,
            Event::Empty(e) => value = child_value(r, ctx, cell, &e, true, bufs)?,
            Event::End(e) if e.local_name().as_ref() == "c" => break,
            Event::DocType(_) => return Err(SheetError::Dtd),
            Event::Eof => return Err(SheetError::Sheet("the part ends inside a cell".into())),
            _ => {}
        }
    }
    let Some(mut raw) = value else {
        return Ok(None);
    };
    raw.highlighted = match cell.s {
        Some(s) => ctx
            .xfs
            .get(s.parse::<usize>().unwrap_or(0))
            .is_some_and(|x| x.yellow),
        None => ctx.xfs.first().is_some_and(|x| x.yellow),
    };
    Ok(Some(raw))
}

/// The value of one child of a cell (`<v>`, `<is>` or `<f>`), just opened (`empty` when it is
/// `<x/>`), read up to its end tag.
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
                read_rich(r, e.name().as_ref(), &mut bufs.text, &mut bufs.run)?;
            }
            Ok(non_empty_normalized(&bufs.text))
        }
        // An inline string's value is its `<is>`; a formula is not a value.
        "v" if matches!(cell.t, Some("inlineStr" | "is")) => skip(r, e, empty),
        "f" => skip(r, e, empty),
        "v" => {
            // The usual value is one piece of text, borrowed from the part, not copied.
            let mut text = Cow::Borrowed("");
            if !empty {
                loop {
                    match r.read_event()? {
                        Event::Text(t) if text.is_empty() => text = t.into_inner(),
                        Event::Text(t) => text.to_mut().push_str(&t),
                        Event::GeneralRef(g) => {
                            push_ref(&g, text.to_mut()).map_err(SheetError::Sheet)?
                        }
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => {
                            return Err(SheetError::Sheet("the part ends inside a value".into()))
                        }
                        _ => {}
                    }
                }
            }
            cell_value(ctx, cell, &text)
        }
        other => Err(SheetError::Sheet(format!(
            "unexpected <{other}> in a cell (a cell holds <v>, <f> or <is>)"
        ))),
    }
}

/// Skips an element just opened, up to its end tag: no value.
fn skip(
    r: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    empty: bool,
) -> Result<Option<RawCell>, SheetError> {
    if !empty {
        r.read_to_end(e.name())?;
    }
    Ok(None)
}

/// A cell's value from the text of its `<v>` (entities resolved) and its type.
fn cell_value(ctx: &Ctx<'_>, cell: &CellAttrs<'_>, v: &str) -> Result<Option<RawCell>, SheetError> {
    use crate::read::sheet::non_empty;
    match cell.t {
        Some("str") => Ok(non_empty_normalized(&unescape_xml(v))),
        Some("d") => Ok(non_empty(iso_text(v))),
        None | Some("n" | "s" | "b" | "e") if v.is_empty() => Ok(None),
        Some("s") => {
            let i = v.parse::<usize>().unwrap_or(0);
            let s = ctx.strings.get(i).ok_or_else(|| {
                SheetError::Sheet(format!(
                    "a cell refers to shared string {i}, which the workbook does not have"
                ))
            })?;
            Ok(non_empty(s.to_string()))
        }
        Some("b") => match v.trim() {
            "" => Ok(None),
            "0" => Ok(non_empty("FALSE".into())),
            "1" => Ok(non_empty("TRUE".into())),
            x if x.eq_ignore_ascii_case("false") => Ok(non_empty("FALSE".into())),
            x if x.eq_ignore_ascii_case("true") => Ok(non_empty("TRUE".into())),
            _ => Err(SheetError::Sheet(format!(
                "the boolean cell value {v:?} is neither 0 nor 1"
            ))),
        },
        Some("e") => match v {
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!" => {
                Ok(Some(crate::read::sheet::error_cell_named(v)))
            }
            _ => Err(SheetError::Sheet(format!("unknown error value {v:?}"))),
        },
        None | Some("n") => match v.parse::<f64>() {
            Ok(f) => Ok(Some(number_cell(f, cell.xf(ctx), ctx.is_1904))),
            // A cell without a type that is not a number reads as its text.
            Err(_) if cell.t.is_none() => Ok(non_empty_normalized(v)),
            Err(_) => Err(SheetError::Sheet(format!(
                "the number cell value {v:?} is not a number"
            ))),
        },
        Some(other) => Err(SheetError::Sheet(format!("unknown cell type t={other:?}"))),
    }
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
    crate::read::sheet::non_empty(text)
}

/// Resolves an entity reference into `out`: the five predefined entities and character
/// references; anything else is an error (never expanded).
pub(super) fn push_ref(
    g: &quick_xml::events::BytesRef<'_>,
    out: &mut String,
) -> Result<(), String> {
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
) -> Result<(), SheetError> {
    let mut phonetic = false;
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
    while let Some(offset) = memchr::memchr(b'_', s.as_bytes().get(from..)?) {
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

/// Most shared strings a part of `len` bytes can hold (each takes at least `<si/>`).
fn most_strings(len: usize) -> u64 {
    len as u64 / 5 + 1
}

/// Reads the shared-string table: each `<si>`, in order, as [`read_rich`] reads it.
pub(super) fn parse_shared_strings(data: &[u8], part: &str) -> Result<Strings, ReadError> {
    let mut r = reader(data);
    let mut out = Strings::default();
    // Up to <sst>, whose declared count is checked before it sizes the list.
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
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "si" => {
                text.clear();
                read_rich(&mut r, e.name().as_ref(), &mut text, &mut run).map_err(
                    |err| match err {
                        SheetError::Xml(e) => damaged(part, &xml_error(&r, &e)),
                        SheetError::Sheet(why) => damaged(part, &why),
                        SheetError::Dtd => ReadError::Dtd {
                            part: part.to_string(),
                        },
                        SheetError::Read(e) => e,
                    },
                )?;
                out.push(&text);
            }
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "si" => out.push(""),
            Ok(Event::End(e)) if e.local_name().as_ref() == "sst" => return Ok(out),
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(damaged(part, &xml_error(&r, &e))),
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes_decode_as_excel_writes_them() {
        assert_eq!(unescape_xml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_xml("_x005F_x000D_"), "_x000D_");
        assert_eq!(unescape_xml("_xD83D__xDCF7_"), "\u{1F4F7}");
        assert_eq!(unescape_xml("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(unescape_xml("_x12G4_ plain_"), "_x12G4_ plain_");
        assert!(matches!(unescape_xml("no escape"), Cow::Borrowed(_)));
    }
}
