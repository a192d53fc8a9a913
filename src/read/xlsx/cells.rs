//! Worksheet cells and string items: a sheet part streamed into sparse cells and merged areas,
//! the shared-string table into one buffer.
//!
//! Takes inflated part bytes and what the workbook knows (shared strings, cell formats, the date
//! system); gives cell texts as calamine read them, errors that name what is wrong. The usual
//! forms (`<row>`, `<c ...><v>text</v></c>`, `<si><t>text</t></si>`) are cut from the bytes
//! without parser events; anything else goes through quick-xml. Must not panic on input.

use super::*;

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
    // The rest of the part checked as UTF-8 once: the usual cells are then cut from it.
    let whole = std::str::from_utf8(r.get_ref()).ok();
    // Room for the cells the rest of the part likely holds (a usual cell takes 30 bytes or
    // more), so the list is not copied as it grows; at most `MOST_RESERVED` (empty cells can
    // fill a part) and what the budget has left.
    const MOST_RESERVED: usize = 16_384;
    let likely = (r.get_ref().len() / 32)
        .min(MOST_RESERVED)
        .min(usize::try_from(budget.cells_left()).unwrap_or(MOST_RESERVED));
    out.cells.reserve(likely);
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
                if rest.get(1) == Some(&b'/') && rest.starts_with(b"</row>") {
                    row = row.saturating_add(1);
                    col = 0;
                    *r.get_mut() = rest.get(6..).unwrap_or_default();
                    *skipped += 6;
                    continue;
                }
                if let Some((r_value, self_closing, len)) = fast_row(whole, rest) {
                    if let Some(v) = r_value {
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
                let Some((cell, v, len)) = fast_cell(whole, rest) else {
                    break;
                };
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
#[derive(Debug, PartialEq, Eq)]
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
fn fast_cell<'a>(
    whole: Option<&'a str>,
    rest: &'a [u8],
) -> Option<(CellAttrs<'a>, Option<&'a str>, usize)> {
    // The usual tag is read in one pass (`plain_c_tag`); anything else is cut as a tag, then
    // its attributes read as `CellAttrs::of_raw` reads them.
    let (attrs, self_closing, head) = match plain_tag(rest, b"c") {
        Some((ranges, self_closing, head)) => (Ok(ranges), self_closing, head),
        None => {
            let (attrs_end, self_closing, head) = start_tag(rest, b"c")?;
            (Err(attrs_end), self_closing, head)
        }
    };
    let (v_range, len) = if self_closing {
        (None, head)
    } else {
        let body = rest.get(head..)?;
        if body.starts_with(b"</c>") {
            (None, head + 4)
        } else {
            let text_len = body.strip_prefix(b"<v>").and_then(plain_text_len)?;
            if !body.get(3 + text_len..)?.starts_with(b"</v></c>") {
                return None;
            }
            (Some(head + 3..head + 3 + text_len), head + 3 + text_len + 8)
        }
    };
    let all = utf8_at(whole, rest, len)?;
    let attrs = match attrs {
        Ok([r, s, t]) => {
            let cut = |range: Option<(usize, usize)>| match range {
                Some((from, to)) => all.get(from..to).map(Some),
                None => Some(None),
            };
            CellAttrs {
                r: cut(r)?,
                s: cut(s)?,
                t: cut(t)?,
            }
        }
        Err(attrs_end) => CellAttrs::of_raw(all.get(2..attrs_end)?),
    };
    let v = match v_range {
        Some(range) => Some(all.get(range)?),
        None => None,
    };
    Some((attrs, v, len))
}

/// Where the `r`, `s` and `t` values of a `<c>` tag lie (byte ranges in the part).
type CellRanges = [Option<(usize, usize)>; 3];

/// [`CLASS`] bit: a byte of an attribute name in a plain tag.
const NAME_BYTE: u8 = 1;
/// [`CLASS`] bit: a byte of an attribute value in a plain tag.
const VALUE_BYTE: u8 = 2;

/// [`CLASS`] bit: a byte of a plain shared string other than a space ([`plain_si`]).
const TEXT_BYTE: u8 = 4;

/// What each byte may be in a plain tag ([`plain_tag`]): name bytes are ASCII letters, digits,
/// `:`, `_`, `-` and `.`; value bytes are printable ASCII other than `"`, `'`, `<`, `>`, `&`;
/// and in a plain shared string, text bytes are printable ASCII other than space, `<`, `&`, `_`.
const CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.') {
            class[c] |= NAME_BYTE;
        }
        if b >= b' ' && b < 0x7F && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'&') {
            class[c] |= VALUE_BYTE;
        }
        if b > b' ' && b < 0x7F && !matches!(b, b'<' | b'&' | b'_') {
            class[c] |= TEXT_BYTE;
        }
        c += 1;
    }
    class
};

/// Where the run of bytes of [`CLASS`] bit `bit` that starts at `i` in `rest` ends.
#[inline(always)]
fn run_end(rest: &[u8], mut i: usize, bit: u8) -> usize {
    while rest
        .get(i)
        .is_some_and(|&c| CLASS[usize::from(c)] & bit != 0)
    {
        i += 1;
    }
    i
}

/// A start tag named `name` (a `<c>` or a `<row>`) at the start of `rest` in its plain form:
/// ` key="value"` pairs, one space before each, keys of name bytes, values of printable ASCII
/// other than `"`, `'`, `<`, `>` and `&`, no `r`, `s` or `t` twice, then `>` or `/>`. Gives
/// where its `r`, `s` and `t` values lie, whether it closes itself, and its length: what
/// [`start_tag`] then [`CellAttrs::of_raw`] (or [`raw_attr`]) give for such a tag. `None` for
/// anything else.
#[inline(always)]
fn plain_tag(rest: &[u8], name: &[u8]) -> Option<(CellRanges, bool, usize)> {
    if rest.first() != Some(&b'<') || !rest.get(1..)?.starts_with(name) {
        return None;
    }
    let mut ranges: CellRanges = [None; 3];
    let mut i = 1 + name.len();
    loop {
        match *rest.get(i)? {
            b'>' => return Some((ranges, false, i + 1)),
            b'/' => return (rest.get(i + 1) == Some(&b'>')).then_some((ranges, true, i + 2)),
            b' ' => {
                i += 1;
                let key_start = i;
                i = run_end(rest, i, NAME_BYTE);
                let key = rest.get(key_start..i)?;
                if key.is_empty() || rest.get(i) != Some(&b'=') || rest.get(i + 1) != Some(&b'"') {
                    return None;
                }
                i += 2;
                let value_start = i;
                i = run_end(rest, i, VALUE_BYTE);
                if rest.get(i) != Some(&b'"') {
                    return None;
                }
                let slot = match key {
                    b"r" => ranges.get_mut(0),
                    b"s" => ranges.get_mut(1),
                    b"t" => ranges.get_mut(2),
                    _ => None,
                };
                if let Some(slot) = slot {
                    if slot.is_some() {
                        return None;
                    }
                    *slot = Some((value_start, i));
                }
                i += 1;
            }
            _ => return None,
        }
    }
}

/// A `<row ...>` start tag (or `<row .../>`) at the start of `rest`, unprefixed: its raw
/// attributes, whether it closes itself, and its length.
fn fast_row<'a>(whole: Option<&'a str>, rest: &'a [u8]) -> Option<(Option<&'a str>, bool, usize)> {
    if rest.get(1) != Some(&b'r') {
        return None;
    }
    // The plain tag in one pass; anything else cut as a tag, then its `r` looked up.
    if let Some(([r, _, _], self_closing, len)) = plain_tag(rest, b"row") {
        let all = utf8_at(whole, rest, len)?;
        let r = match r {
            Some((from, to)) => Some(all.get(from..to)?),
            None => None,
        };
        return Some((r, self_closing, len));
    }
    let (attrs_end, self_closing, len) = start_tag(rest, b"row")?;
    let attrs = utf8_at(whole, rest, attrs_end)?.get(4..)?;
    Some((raw_attr(attrs, "r"), self_closing, len))
}

/// The first `len` bytes of `rest` as text: cut from `whole` (the part, checked as UTF-8 once)
/// when `rest` is a tail of it, else checked here.
#[inline]
fn utf8_at<'a>(whole: Option<&'a str>, rest: &'a [u8], len: usize) -> Option<&'a str> {
    if let Some(w) = whole {
        let offset = (rest.as_ptr() as usize).checked_sub(w.as_ptr() as usize)?;
        if offset.checked_add(rest.len()) == Some(w.len()) {
            return w.get(offset..offset.checked_add(len)?);
        }
    }
    std::str::from_utf8(rest.get(..len)?).ok()
}

/// An unprefixed start tag named `name` at the start of `rest`: where its attributes end (a
/// byte offset in `rest`), whether it closes itself (`/>`), and its length. The tag ends at the
/// first `>` outside a quoted value; `None` when `rest` holds no such whole tag (another name,
/// a stray `<` inside).
fn start_tag(rest: &[u8], name: &[u8]) -> Option<(usize, bool, usize)> {
    let after_name = rest.strip_prefix(b"<")?.strip_prefix(name)?;
    // The usual tag: its first `>` has no `<` or `'` before it and an even number of `"`, so
    // it lies outside every quoted value. Anything else is walked byte by byte.
    let gt = match memchr::memchr(b'>', after_name) {
        Some(gt)
            if after_name.get(..gt).is_some_and(|head| {
                let mut quotes = 0u8;
                let mut odd = 0u8;
                for &c in head {
                    quotes ^= u8::from(c == b'"');
                    odd |= u8::from(c == b'<') | u8::from(c == b'\'');
                }
                quotes | odd == 0
            }) =>
        {
            gt
        }
        _ => quoted_tag_end(after_name)?,
    };
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

/// Where a tag's content `after_name` ends: the first `>` or `<` outside quoted values.
fn quoted_tag_end(after_name: &[u8]) -> Option<usize> {
    let mut quote = None;
    after_name.iter().position(|&c| match quote {
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
    })
}

/// Where the text at the start of `body` ends (its first `<`) when it holds no `&`: a text
/// free of markup and entities. `None` when there is no `<`, or an `&` comes before it. Short
/// texts (most values) are walked; the rest is left to `memchr`.
#[inline]
fn plain_text_len(body: &[u8]) -> Option<usize> {
    for (i, &c) in body.iter().enumerate().take(24) {
        if c == b'<' {
            return Some(i);
        }
        if c == b'&' {
            return None;
        }
    }
    // The first 24 bytes hold neither.
    let tail = body.get(24..)?;
    let end = memchr::memchr(b'<', tail)?;
    memchr::memchr(b'&', tail.get(..end)?)
        .is_none()
        .then_some(24 + end)
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
        Some("d") => Ok(crate::read::sheet::non_empty(iso_text(text))),
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
    let end = plain_text_len(body)?;
    let text = body.get(..end)?;
    if !body.get(end..)?.starts_with(b"</v></c>") {
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
            Ok(crate::read::sheet::non_empty(s.to_string()))
        }
        Some("b") => match v.trim() {
            "" => Ok(None),
            "0" => Ok(crate::read::sheet::non_empty("FALSE".into())),
            "1" => Ok(crate::read::sheet::non_empty("TRUE".into())),
            x if x.eq_ignore_ascii_case("false") => {
                Ok(crate::read::sheet::non_empty("FALSE".into()))
            }
            x if x.eq_ignore_ascii_case("true") => Ok(crate::read::sheet::non_empty("TRUE".into())),
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
    // Strings are often long: found by `memchr` rather than walked.
    let end = memchr::memchr(b'<', body)?;
    let text = body.get(..end)?;
    if !body.get(end..)?.starts_with(b"</t>") || memchr::memchr(b'&', text).is_some() {
        return None;
    }
    Some((std::str::from_utf8(text).ok()?, end + 7))
}

/// `<si><t>text</t></si>` at the start of `rest`, the text printable ASCII with single inner
/// spaces, no leading or trailing space, no `&` and no `_`: what trimming, decoding `_xHHHH_`
/// escapes and normalising whitespace leave as it is. The text and the length of the item;
/// `None` for anything else (which the general path reads).
fn plain_si(rest: &[u8]) -> Option<(&str, usize)> {
    let body = rest.strip_prefix(b"<si><t>")?;
    let mut end = 0;
    // Where the text after the last space starts: a space there is a second one in a row.
    let mut after_space = usize::MAX;
    loop {
        let c = *body.get(end)?;
        if CLASS[usize::from(c)] & TEXT_BYTE != 0 {
            end += 1;
        } else if c == b' ' && end != 0 && end != after_space {
            end += 1;
            after_space = end;
        } else if c == b'<' {
            break;
        } else {
            return None;
        }
    }
    if end == 0 || end == after_space || !body.get(end..)?.starts_with(b"</t></si>") {
        return None;
    }
    let text = std::str::from_utf8(body.get(..end)?).ok()?;
    Some((text, 7 + end + 9))
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

/// Most shared strings a part of `len` bytes can hold (each takes at least `<si/>`).
fn most_strings(len: usize) -> u64 {
    len as u64 / 5 + 1
}

pub(super) fn parse_shared_strings(data: &[u8], part: &str) -> Result<Strings, ReadError> {
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
                if let Some((t, len)) = plain_si(rest) {
                    out.text.push_str(t);
                    out.ends.push(out.text.len());
                    *r.get_mut() = rest.get(len..).unwrap_or_default();
                    skipped += len as u64;
                    continue;
                }
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
        let (attrs, v, len) = fast_cell(None, br#"<c r="A1" t="s"><v>3</v></c><c"#).unwrap();
        let of = CellAttrs::of_raw;
        assert_eq!((attrs, v, len), (of(r#" r="A1" t="s""#), Some("3"), 28));
        let (attrs, v, _) = fast_cell(None, br#"<c r="B2" s="1"/>"#).unwrap();
        assert_eq!((attrs, v), (of(r#" r="B2" s="1""#), None));
        assert!(fast_cell(None, br#"<c r="A1"><f>1</f><v>1</v></c>"#).is_none());
        assert!(fast_cell(None, br#"<c r="A1"><v>a&amp;b</v></c>"#).is_none());
        assert!(fast_cell(None, br#"<col min="1"/>"#).is_none());
        // A `>` inside a quoted value does not end the tag.
        let (attrs, v, _) = fast_cell(None, br#"<c r="A1" x="a>b"><v>1</v></c>"#).unwrap();
        assert_eq!((attrs, v), (of(r#" r="A1" x="a>b""#), Some("1")));
        assert!(fast_cell(None, br#"<c r="A1><v>1</v></c>"#).is_none());
        // Cut from the part checked once, the same; a tail that is not UTF-8 is declined.
        let part = "<x><c r=\"A1\"><v>caf\u{e9}</v></c>";
        let rest = &part.as_bytes()[3..];
        let (attrs, v, len) = fast_cell(Some(part), rest).unwrap();
        assert_eq!(
            (attrs, v, len),
            (of(r#" r="A1""#), Some("caf\u{e9}"), rest.len())
        );
        assert_eq!(fast_cell(None, rest), fast_cell(Some(part), rest));
        assert!(fast_cell(None, b"<c r=\"A1\"><v>\xFF</v></c>").is_none());
    }

    #[test]
    fn plain_cell_tags_read_as_the_tag_cut_then_its_attributes_read() {
        for tag in [
            r#"<c r="A1" s="2" t="s">"#,
            r#"<c r="A1" s="2" t="s"/>"#,
            r#"<c r="A1">"#,
            r#"<c>"#,
            r#"<c/>"#,
            r#"<c r="A1" r="B2" t="n" t="s">"#,
            r#"<c x:r="A1" r="C3" data-x="1.5" s="">"#,
            r#"<c r="A1" t="inlineStr" s="12" cm="1" vm="2" ph="1">"#,
            r#"<c r="A1"  s="2">"#,
            r#"<c r="A1" >"#,
            r#"<c r = "A1">"#,
            r#"<c r='A1'>"#,
            r#"<c r="A'1">"#,
            r#"<c r="A&amp;1">"#,
            r#"<c r="A1"s="2">"#,
            r#"<c	r="A1">"#,
            r#"<c r="A1" x="a>b">"#,
            r#"<c r="A1" x="a<b">"#,
            r#"<c r="A1"/ >"#,
            r#"<c r="A1 <d/>"#,
            r#"<c r="A1""#,
            r#"<c r="A1"#,
            r#"<col min="1">"#,
            r#"<cc r="A1">"#,
            "<c r=\"caf\u{e9}\">",
            "<c r=\"A\t1\">",
        ] {
            let bytes = tag.as_bytes();
            let general = start_tag(bytes, b"c").and_then(|(attrs_end, closing, len)| {
                Some((CellAttrs::of_raw(tag.get(2..attrs_end)?), closing, len))
            });
            if let Some(([r, s, t], closing, len)) = plain_tag(bytes, b"c") {
                let cut = |range: Option<(usize, usize)>| range.and_then(|(a, b)| tag.get(a..b));
                let plain = CellAttrs {
                    r: cut(r),
                    s: cut(s),
                    t: cut(t),
                };
                assert_eq!(Some((plain, closing, len)), general, "{tag}");
            }
            // The whole cell reads the same through either way of reading its tag.
            let cell = format!("{tag}<v>1</v></c>");
            let got = fast_cell(None, cell.as_bytes());
            let want = general.and_then(|(attrs, closing, len)| {
                (!closing).then_some((attrs, Some("1"), len + 12))
            });
            if !tag.ends_with("/>") {
                assert_eq!(got, want, "{tag}");
            }
        }
        for (tag, plain) in [
            (r#"<c r="A1" s="2" t="s">"#, true),
            (r#"<c/>"#, true),
            (r#"<c r = "A1">"#, false),
            (r#"<c r='A1'>"#, false),
        ] {
            assert_eq!(plain_tag(tag.as_bytes(), b"c").is_some(), plain, "{tag}");
        }
        // Rows: the first `r`, as `raw_attr` finds it.
        for tag in [
            r#"<row r="5" spans="1:7" x14ac:dyDescent="0.25">"#,
            r#"<row r="5"/>"#,
            r#"<row>"#,
            r#"<row spans="1:3">"#,
            r#"<row r="5" r="6">"#,
            r#"<row r='5'>"#,
            r#"<row  r="5">"#,
            r#"<rows r="5">"#,
            r#"<row r="5" x="a>b">"#,
        ] {
            let bytes = tag.as_bytes();
            let general = start_tag(bytes, b"row").and_then(|(attrs_end, closing, len)| {
                Some((raw_attr(tag.get(4..attrs_end)?, "r"), closing, len))
            });
            if let Some(([r, _, _], closing, len)) = plain_tag(bytes, b"row") {
                let r = r.and_then(|(a, b)| tag.get(a..b));
                assert_eq!(Some((r, closing, len)), general, "{tag}");
            }
            assert_eq!(fast_row(None, bytes), general, "{tag}");
        }
        assert!(plain_tag(br#"<row r="5" r="6">"#, b"row").is_none());
        assert!(plain_tag(br#"<row r="5" spans="1:7">"#, b"row").is_some());
    }

    #[test]
    fn plain_texts_end_where_memchr_finds_them() {
        let long = "x".repeat(40);
        for text in [
            "",
            "<",
            "12</v>",
            "a&amp;b<",
            "&",
            "abc",
            "no end",
            "&<",
            "<&",
            &format!("{long}</v>"),
            &format!("{long}&amp;</v>"),
            &long,
            &format!("{}&{long}<", "y".repeat(23)),
            &format!("{}<{long}&", "y".repeat(23)),
            &format!("{}&<", "y".repeat(24)),
            &format!("{}<&", "y".repeat(24)),
        ] {
            let b = text.as_bytes();
            let want =
                memchr::memchr(b'<', b).filter(|&end| memchr::memchr(b'&', &b[..end]).is_none());
            assert_eq!(plain_text_len(b), want, "{text:?}");
        }
    }

    #[test]
    fn plain_string_items_read_as_the_general_path_reads_them() {
        let mut plain = 0;
        for item in [
            "<si><t>Name</t></si>",
            "<si><t>Head of IT</t></si>",
            "<si><t>a > b</t></si>",
            "<si><t> padded</t></si>",
            "<si><t>padded </t></si>",
            "<si><t>two  spaces</t></si>",
            "<si><t>tab\there</t></si>",
            "<si><t>a_x000D_b</t></si>",
            "<si><t>snake_case</t></si>",
            "<si><t>R&amp;D</t></si>",
            "<si><t>caf\u{e9}</t></si>",
            "<si><t></t></si>",
            "<si><t>x</t></si>",
            "<si><t> </t></si>",
            "<si><t>a b c</t></si>",
            "<si><t>a b  c</t></si>",
            "<si><t>a b </t></si>",
            "<si><t>a\u{7f}b</t></si>",
            "<si><t>x</t><rPh><t>y</t></rPh></si>",
            "<si><t>no end",
            "<si><t xml:space=\"preserve\"> a </t></si>",
            "<si><r><t>a</t></r></si>",
            "<si><t>~!@#$%^*()[]{}|;:'\",./?`=+-</t></si>",
        ] {
            let rest = item.as_bytes();
            let Some((t, len)) = plain_si(rest) else {
                continue;
            };
            plain += 1;
            let (general, general_len) = rest
                .strip_prefix(b"<si>")
                .and_then(plain_t)
                .expect("the general path reads it");
            assert!(rest[4 + general_len..].starts_with(b"</si>"), "{item}");
            assert_eq!(len, 4 + general_len + 5, "{item}");
            let mut want = String::new();
            push_normalized(
                &mut want,
                &unescape_xml(general.trim_matches([' ', '\t', '\r', '\n'])),
            );
            assert_eq!(t, want, "{item}");
        }
        assert_eq!(plain, 6);
    }

    #[test]
    fn tag_ends_are_found_as_the_quote_walk_finds_them() {
        for tag in [
            r#"<c r="A1" s="2" t="s">"#,
            r#"<c r='A1' t="s">"#,
            r#"<c r="A1" x="a>b">"#,
            r#"<c r="A1" x='a">b'>"#,
            r#"<c r="A1 <d/>"#,
            r#"<c r="A1"/>"#,
            r#"<c r="A1""#,
            r#"<c>"#,
            r#"<col min="1">"#,
            r#"<c x="<" y=">">"#,
        ] {
            let bytes = tag.as_bytes();
            let walked = bytes.strip_prefix(b"<c").and_then(quoted_tag_end);
            let found = start_tag(bytes, b"c");
            match found {
                Some((_, _, len)) => assert_eq!(walked, Some(len - 3), "{tag}"),
                None => assert!(
                    walked.is_none_or(|i| bytes.get(2 + i) != Some(&b'>'))
                        || !matches!(bytes.get(2), Some(b' ' | b'/' | b'>')),
                    "{tag}"
                ),
            }
        }
    }
}
