//! The content of one WordprocessingML part (the main document, a header, a footer, the
//! footnotes, endnotes or comments) streamed into blocks.
//!
//! Takes the inflated part, the resolved styles and the numbering counters; appends blocks in
//! reading order. Builds no DOM: one pass over the part's events (`xml.rs`) with a small stack
//! of open paragraphs, tables and text boxes; subtrees that decide nothing (section and table
//! properties, deleted text, field codes, the properties of other elements) are skipped whole.
//! Blocks found inside another block (a text box anchored in a paragraph, a table nested in a
//! cell) are placed right after the block that contains them. Must not look at the part's bytes
//! other than through those events, nor size anything from a number in the file: spans, cells
//! per row, field nesting and the text a part may emit ([`TEXT_BUDGET_FACTOR`]) are bounded.
//!
//! What is kept and what is dropped:
//! - tracked changes are accepted: `w:ins` and `w:moveTo` are read, `w:del`, `w:delText` and
//!   `w:moveFrom` are not; old properties (`w:pPrChange`, `w:rPrChange`, ...) are ignored;
//! - field codes (`w:instrText`, and text between `fldChar` begin and separate) are dropped,
//!   field results kept; `w:tab`, `w:ptab` and page or column breaks read as a space; a line
//!   break (`w:br`, `w:cr`) is a space recorded in the block's or cell's `breaks`;
//!   `w:noBreakHyphen` reads as `-`; `w:softHyphen` and `w:sym` are dropped;
//! - content controls, hyperlinks, smart tags and custom XML are read through; their properties
//!   (`w:sdtPr`: placeholders, drop-down entries) are not, but a control that shows its
//!   placeholder text flags its block `highlighted`, as a yellow run does;
//! - `mc:AlternateContent`: the first `mc:Choice` is read, other choices and `mc:Fallback` are
//!   not (the fallback is read only when there is no choice), so a text box is read once;
//! - separator and continuation footnotes and endnotes are skipped.

use super::numbering::Numbering;
use super::styles::{Resolved, Styles};
use super::xml::{attr, attr_u32, local, Ev, Ns, Scanner};
use crate::document::{Block, BlockKind, Cell, Locator, Region, Table, INTERVIEW_HEADER};
use crate::read::{container::human_bytes, Limits, ReadError};
use std::sync::Arc;

/// How many bytes of text a part may emit per byte of its XML, before the floor of
/// [`TEXT_BUDGET_FLOOR`]: merged table cells repeat their text (once per `w:gridSpan` column and
/// once per `w:vMerge` continuation row), which is what the mapper reads, but a few kilobytes of
/// spans must not repeat a large cell into gigabytes.
pub const TEXT_BUDGET_FACTOR: u64 = 4;
/// Text every document may emit whatever the size of its parts (see [`TEXT_BUDGET_FACTOR`]).
pub const TEXT_BUDGET_FLOOR: u64 = 1 << 20;

/// The text one document's parts may emit together: [`TEXT_BUDGET_FACTOR`] times the bytes of
/// the parts read so far, at least [`TEXT_BUDGET_FLOOR`], never more than
/// [`Limits::max_total_inflated`]. Shared by the part readers of one document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextBudget {
    used: u64,
    parts: u64,
    cap: u64,
}

impl TextBudget {
    /// An empty budget for one document read under `limits`.
    pub(crate) fn new(limits: &Limits) -> TextBudget {
        TextBudget {
            used: 0,
            parts: 0,
            cap: limits.max_total_inflated,
        }
    }

    fn allowed(&self) -> u64 {
        self.parts
            .saturating_mul(TEXT_BUDGET_FACTOR)
            .max(TEXT_BUDGET_FLOOR)
            .min(self.cap)
    }

    /// Whether `n` more bytes of emitted text fit.
    fn fits(&self, n: usize) -> bool {
        u64::try_from(n)
            .ok()
            .and_then(|n| self.used.checked_add(n))
            .is_some_and(|used| used <= self.allowed())
    }

    /// Charges `n` bytes of emitted text; false (and nothing charged) when they do not fit.
    fn take(&mut self, n: usize) -> bool {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        match self.used.checked_add(n) {
            Some(used) if used <= self.allowed() => {
                self.used = used;
                true
            }
            _ => false,
        }
    }
}

/// Bytes of part XML per block, about, in generated and Word documents alike (Word's are
/// wordier): what [`PartReader::read`] reserves room for.
const BYTES_PER_BLOCK: usize = 512;

/// Widest `w:gridSpan` honoured (Word allows 63 columns); larger values are clamped.
pub const MAX_GRID_SPAN: u32 = 64;
/// Most cells a table row gets from spans and `w:gridBefore`; a span past it is not repeated.
pub const MAX_ROW_CELLS: usize = 1024;
/// Deepest nesting of fields tracked (`fldChar` begin inside begin).
pub const MAX_FIELD_NESTING: usize = 64;

struct Para {
    depth: usize,
    index: u32,
    text: String,
    pending: bool,
    /// A line break was read since the last word: the next space joining words stands for it.
    line_break: bool,
    /// Offsets in `text` of the spaces that stand for line breaks.
    breaks: Vec<u32>,
    /// `w:pStyle`; empty for none.
    style: String,
    num_id: Option<u32>,
    ilvl: Option<u8>,
    outline: Option<u8>,
    highlighted: bool,
    run_depth: usize,
    run_hl: bool,
    /// The current run is bold (`w:b` in its own properties).
    run_bold: bool,
    /// Some text was read outside a bold run: the paragraph is not all bold.
    plain: bool,
    region: Region,
    deferred: Vec<Block>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum VMerge {
    No,
    Restart,
    Continue,
}

struct CellCtx {
    text: String,
    breaks: Vec<u32>,
    pending: bool,
    highlighted: bool,
    span: u32,
    vmerge: VMerge,
    start_col: u32,
}

struct Origin {
    col: u32,
    row: u32,
    text: String,
    breaks: Vec<u32>,
    highlighted: bool,
}

struct TableFrame {
    /// Whether its cells keep their paragraphs as lines ([`Cell::breaks`]): only an interview
    /// pack's question table (its first row is [`INTERVIEW_HEADER`]), whose Answer cells hold
    /// one list entry per line. Other tables keep the plain join.
    lines: bool,
    number: u32,
    rows: Vec<Vec<Cell>>,
    row: Option<Vec<Cell>>,
    row_index: u32,
    grid_col: u32,
    cell: Option<CellCtx>,
    origins: Vec<Origin>,
    region: Region,
    highlighted: bool,
    deferred: Vec<Block>,
}

enum Frame {
    Para(Para),
    Table(Box<TableFrame>),
    TextBox(Vec<Block>),
}

impl Para {
    /// Appends a piece of run text; a line break read before it becomes the space that joins
    /// it to the words before (none at the start of the paragraph).
    fn push(&mut self, s: &str) {
        let before = self.text.len();
        push_words(&mut self.text, &mut self.pending, s);
        if self.line_break && self.text.len() > before {
            self.line_break = false;
            if before > 0 {
                self.breaks.extend(u32::try_from(before).ok());
            }
        }
    }
}

impl Frame {
    fn deferred(&mut self) -> &mut Vec<Block> {
        match self {
            Frame::Para(p) => &mut p.deferred,
            Frame::Table(t) => &mut t.deferred,
            Frame::TextBox(d) => d,
        }
    }
}

#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Appends `s` to `out` with whitespace runs collapsed to one space; `pending` carries a space
/// seen at the end of the previous piece. Copies whole stretches of singly spaced words at once;
/// only a stretch with non-ASCII text is split on Unicode whitespace (no-break spaces and the
/// like).
pub(crate) fn push_words(out: &mut String, pending: &mut bool, s: &str) {
    // The common case: ASCII words with single spaces, maybe a space at either end. Checked
    // with passes the compiler vectorises, then copied at once.
    let trimmed = s.trim_matches(' ');
    let t = trimmed.as_bytes();
    let odd = t
        .iter()
        .fold(false, |acc, &c| acc | !(0x20..0x80).contains(&c));
    let double = t
        .iter()
        .zip(t.iter().skip(1))
        .fold(false, |acc, (&x, &y)| acc | ((x == b' ') & (y == b' ')));
    let plain = !odd && !double;
    if plain {
        if trimmed.len() < s.len() && s.starts_with(' ') {
            *pending = true;
        }
        push_word(out, pending, trimmed);
        if s.ends_with(' ') && !trimmed.is_empty() {
            *pending = true;
        }
        return;
    }
    let bytes = s.as_bytes();
    let len = bytes.len();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_ascii_space(b) {
            *pending = true;
            i += 1;
            continue;
        }
        let start = i;
        let mut ascii = true;
        let end = loop {
            while let Some(&c) = bytes.get(i) {
                if is_ascii_space(c) {
                    break;
                }
                ascii &= c < 0x80;
                i += 1;
            }
            // A single space followed by more text continues the stretch.
            if i + 1 < len
                && bytes.get(i) == Some(&b' ')
                && bytes.get(i + 1).is_some_and(|&c| !is_ascii_space(c))
            {
                i += 1;
                continue;
            }
            break i;
        };
        // Both ends sit next to ASCII bytes (or the ends of `s`), so they are char boundaries.
        let Some(chunk) = s.get(start..end) else {
            return;
        };
        if ascii {
            push_word(out, pending, chunk);
        } else {
            let mut first = true;
            for word in chunk.split(char::is_whitespace) {
                if !first {
                    *pending = true;
                }
                first = false;
                push_word(out, pending, word);
            }
        }
    }
}

#[inline]
fn push_word(out: &mut String, pending: &mut bool, word: &str) {
    if word.is_empty() {
        return;
    }
    if *pending && !out.is_empty() {
        out.push(' ');
    }
    *pending = false;
    out.push_str(word);
}

/// The WordprocessingML elements the reader acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    P,
    R,
    T,
    PPr,
    RPr,
    PStyle,
    NumId,
    Ilvl,
    OutlineLvl,
    NumPr,
    Highlight,
    /// `b`: bold, in a run's properties.
    Bold,
    Shd,
    /// `tab`, `ptab`: read as a space.
    Space,
    /// `br`, `cr`: a line break, or with `w:type` page or column a space.
    Break,
    NoBreakHyphen,
    FldChar,
    Tbl,
    Tr,
    TrPr,
    GridBefore,
    Tc,
    TcPr,
    GridSpan,
    VMerge,
    AltChunk,
    TxbxContent,
    /// `footnote`, `endnote`.
    Note,
    /// A content control, its properties, and the flag that it shows its placeholder.
    Sdt,
    SdtPr,
    ShowingPlcHdr,
    /// Content never read: deletions, moved-from text, field codes, old properties, section
    /// and table properties, content-control properties.
    Skip,
    Other,
}

/// Whether a paragraph is one short line all in bold that does not end as a sentence or a
/// label does ("Why certify", "Resources"): a heading by its looks.
fn bold_heading(p: &Para) -> bool {
    let t = p.text.trim();
    !p.plain
        && p.breaks.is_empty()
        && (1..=80).contains(&t.chars().count())
        && !t.ends_with(['.', ',', ';', ':', '!', '?'])
}

/// Classifies a local name (grouped by length, so a name meets one or two comparisons).
#[inline]
fn classify(name: &str) -> Tag {
    use Tag::*;
    match name.len() {
        1 => match name {
            "p" => P,
            "r" => R,
            "t" => T,
            "b" => Bold,
            _ => Other,
        },
        2 => match name {
            "br" | "cr" => Break,
            "tr" => Tr,
            "tc" => Tc,
            _ => Other,
        },
        3 => match name {
            "pPr" => PPr,
            "rPr" => RPr,
            "tab" => Space,
            "shd" => Shd,
            "tbl" => Tbl,
            "del" => Skip,
            "sdt" => Sdt,
            _ => Other,
        },
        4 => match name {
            "ilvl" => Ilvl,
            "ptab" => Space,
            "trPr" => TrPr,
            "tcPr" => TcPr,
            _ => Other,
        },
        5 => match name {
            "numId" => NumId,
            "numPr" => NumPr,
            "sdtPr" => SdtPr,
            "tblPr" => Skip,
            _ => Other,
        },
        6 => match name {
            "pStyle" => PStyle,
            "vMerge" => VMerge,
            "sectPr" => Skip,
            _ => Other,
        },
        7 => match name {
            "fldChar" => FldChar,
            "endnote" => Note,
            "delText" | "tblGrid" | "tblPrEx" | "fldData" => Skip,
            _ => Other,
        },
        8 => match name {
            "gridSpan" => GridSpan,
            "altChunk" => AltChunk,
            "footnote" => Note,
            "moveFrom" | "sdtEndPr" => Skip,
            _ => Other,
        },
        9 => match name {
            "highlight" => Highlight,
            "instrText" | "pPrChange" | "rPrChange" => Skip,
            _ => Other,
        },
        10 => match name {
            "outlineLvl" => OutlineLvl,
            "gridBefore" => GridBefore,
            "trPrChange" | "tcPrChange" => Skip,
            _ => Other,
        },
        11 => match name {
            "txbxContent" => TxbxContent,
            "tblPrChange" | "customXmlPr" => Skip,
            _ => Other,
        },
        12 => match name {
            "delInstrText" => Skip,
            _ => Other,
        },
        13 => match name {
            "noBreakHyphen" => NoBreakHyphen,
            "showingPlcHdr" => ShowingPlcHdr,
            _ => Other,
        },
        _ => Other,
    }
}

/// Reads one part into `out`.
pub(crate) struct PartReader<'x> {
    part: &'x str,
    /// The part name every locator of this part shares.
    shared_part: Arc<str>,
    base: Region,
    styles: &'x Styles,
    numbering: &'x mut Numbering,
    frames: Vec<Frame>,
    paragraphs: u32,
    tables: u32,
    textboxes: u32,
    in_t: bool,
    ppr_depth: usize,
    in_run_rpr: bool,
    /// The level of the last heading (0 before the first): a bold paragraph's is one more.
    heading_level: u8,
    in_tcpr: bool,
    in_trpr: bool,
    alternates: Vec<bool>,
    fields: Vec<bool>,
    field_overflow: usize,
    /// Text buffers of finished paragraphs, reused (a block gets an exact-size copy).
    spare: Vec<(String, String)>,
    /// The last paragraph style looked up and what it gave: runs of paragraphs share a style.
    last_style: Option<(String, Resolved)>,
    /// `w:altChunk` elements seen: embedded documents this reader does not open.
    alt_chunks: u32,
    /// Open content controls, each true when it shows its placeholder text.
    sdts: Vec<bool>,
    /// How many open content controls show their placeholder: their text is flagged like a
    /// yellow run, since it is what a template shows where nothing was filled in.
    placeholders: usize,
    in_sdtpr: bool,
    /// The document's text budget while this part is read.
    budget: TextBudget,
    /// Set when text did not fit the budget: the read stops with [`ReadError::Limit`].
    over_budget: bool,
}

impl<'x> PartReader<'x> {
    /// A reader for `part`, whose blocks get region `base`.
    pub(crate) fn new(
        part: &'x str,
        base: Region,
        styles: &'x Styles,
        numbering: &'x mut Numbering,
    ) -> PartReader<'x> {
        PartReader {
            part,
            shared_part: Arc::from(part),
            base,
            styles,
            numbering,
            frames: Vec::new(),
            paragraphs: 0,
            tables: 0,
            textboxes: 0,
            in_t: false,
            ppr_depth: 0,
            in_run_rpr: false,
            heading_level: 0,
            in_tcpr: false,
            in_trpr: false,
            alternates: Vec::new(),
            fields: Vec::new(),
            field_overflow: 0,
            spare: Vec::new(),
            last_style: None,
            alt_chunks: 0,
            sdts: Vec::new(),
            placeholders: 0,
            in_sdtpr: false,
            budget: TextBudget {
                used: 0,
                parts: 0,
                cap: 0,
            },
            over_budget: false,
        }
    }

    fn region(&self) -> Region {
        if self.textboxes > 0 {
            Region::TextBox
        } else {
            self.base
        }
    }

    fn emit(&mut self, block: Block, out: &mut Vec<Block>) {
        match self.frames.last_mut() {
            Some(frame) => frame.deferred().push(block),
            None => out.push(block),
        }
    }

    fn emit_all(&mut self, blocks: Vec<Block>, out: &mut Vec<Block>) {
        match self.frames.last_mut() {
            Some(frame) => frame.deferred().extend(blocks),
            None => out.extend(blocks),
        }
    }

    fn para(&mut self) -> Option<&mut Para> {
        match self.frames.last_mut() {
            Some(Frame::Para(p)) => Some(p),
            _ => None,
        }
    }

    fn table(&mut self) -> Option<&mut TableFrame> {
        match self.frames.last_mut() {
            Some(Frame::Table(t)) => Some(t),
            _ => None,
        }
    }

    fn in_field_code(&self) -> bool {
        self.field_overflow == 0 && self.fields.last() == Some(&false)
    }

    /// Streams the part into `out`, charging the text it emits to `budget` (the part's size is
    /// added to it first); gives notes on what was seen but not read. Text past the budget is a
    /// [`ReadError::Limit`] naming the part.
    pub(crate) fn read(
        mut self,
        bytes: &[u8],
        max_depth: usize,
        budget: &mut TextBudget,
        out: &mut Vec<Block>,
    ) -> Result<Vec<String>, ReadError> {
        self.budget = *budget;
        self.budget.parts = self
            .budget
            .parts
            .saturating_add(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        // Room for the blocks a part of this size usually gives (one per few hundred bytes of
        // XML), so the list is not copied over and over as it grows; a hint, bounded by the part.
        if out.is_empty() {
            let _ = out.try_reserve(bytes.len() / BYTES_PER_BLOCK);
        }
        let result = self.read_part(bytes, max_depth, out);
        *budget = self.budget;
        result
    }

    fn over_budget_error(&self) -> ReadError {
        ReadError::Limit {
            what: format!(
                "{}: the text it expands to (merged table cells repeat their text in every column and row they span)",
                self.part
            ),
            limit: human_bytes(self.budget.allowed()),
        }
    }

    fn read_part(
        &mut self,
        bytes: &[u8],
        max_depth: usize,
        out: &mut Vec<Block>,
    ) -> Result<Vec<String>, ReadError> {
        let mut sc = Scanner::new(bytes, self.part, max_depth);
        loop {
            match sc.next()? {
                Ev::Eof => break,
                Ev::Start { ns, tag, empty } => match ns {
                    Ns::W => {
                        let name = local(tag.name().into_inner());
                        self.start_w(&mut sc, classify(name), &tag, empty)?;
                    }
                    Ns::Mc => match local(tag.name().into_inner()) {
                        "AlternateContent" if !empty => self.alternates.push(false),
                        "Choice" | "Fallback" if !empty => match self.alternates.last_mut() {
                            Some(taken) if *taken => sc.skip()?,
                            Some(taken) => *taken = true,
                            None => {}
                        },
                        _ => {}
                    },
                    _ => {}
                },
                Ev::End { ns, tag } => match ns {
                    Ns::W => {
                        let name = local(tag.name().into_inner());
                        self.end_w(classify(name), sc.depth() + 1, out);
                        if self.over_budget {
                            return Err(self.over_budget_error());
                        }
                    }
                    Ns::Mc if local(tag.name().into_inner()) == "AlternateContent" => {
                        self.alternates.pop();
                    }
                    _ => {}
                },
                Ev::Text(t) => self.text(&t),
                Ev::Char(c) => {
                    let mut buf = [0u8; 4];
                    self.text(c.encode_utf8(&mut buf));
                }
                Ev::UnknownRef(name) => {
                    if self.in_t {
                        self.text(&format!("&{name};"));
                    }
                }
            }
        }
        // A well-formed part closes every frame; flush whatever a damaged one left open.
        while let Some(frame) = self.frames.pop() {
            match frame {
                Frame::Para(p) => self.finish_para(p, out),
                Frame::Table(t) => self.finish_table(*t, out),
                Frame::TextBox(d) => self.emit_all(d, out),
            }
            if self.over_budget {
                return Err(self.over_budget_error());
            }
        }
        let mut notes = Vec::new();
        if self.alt_chunks > 0 {
            notes.push(format!(
                "{}: {} embedded document chunk(s) (w:altChunk) were not read; open the file in Word and save it to merge them",
                self.part, self.alt_chunks
            ));
        }
        Ok(notes)
    }

    fn text(&mut self, t: &str) {
        // Text inside paragraph or run properties is no content (only a `w:t` left open around
        // a nested paragraph or run can put it there).
        if !self.in_t || self.in_field_code() || self.ppr_depth > 0 || self.in_run_rpr {
            return;
        }
        let placeholder = self.placeholders > 0;
        if let Some(p) = self.para() {
            p.push(t);
            if p.run_hl || placeholder {
                p.highlighted = true;
            }
            if !p.run_bold && !t.trim().is_empty() {
                p.plain = true;
            }
        }
    }

    fn start_w(
        &mut self,
        sc: &mut Scanner<'_>,
        name: Tag,
        tag: &quick_xml::events::BytesStart<'_>,
        empty: bool,
    ) -> Result<(), ReadError> {
        let depth = sc.depth();
        // Paragraph properties: only the few that decide the block kind.
        if self.ppr_depth > 0 {
            match name {
                Tag::PStyle => {
                    if let Some(v) = attr(tag, "val") {
                        if let Some(p) = self.para() {
                            p.style.clear();
                            p.style.push_str(&v);
                        }
                    }
                }
                Tag::NumId => {
                    let v = attr_u32(tag, "val");
                    if let Some(p) = self.para() {
                        p.num_id = v;
                    }
                }
                Tag::Ilvl => {
                    let v = attr_u32(tag, "val").map(|v| v.min(8) as u8);
                    if let Some(p) = self.para() {
                        p.ilvl = v;
                    }
                }
                Tag::OutlineLvl => {
                    let v = attr_u32(tag, "val").map(|v| v.min(9) as u8);
                    if let Some(p) = self.para() {
                        p.outline = v;
                    }
                }
                Tag::NumPr => {}
                _ if !empty => sc.skip()?,
                _ => {}
            }
            return Ok(());
        }
        if self.in_sdtpr {
            match name {
                Tag::ShowingPlcHdr => {
                    let on = attr(tag, "val").is_none_or(|v| !matches!(&*v, "0" | "false" | "off"));
                    if let Some(last) = self.sdts.last_mut() {
                        if on && !*last {
                            *last = true;
                            self.placeholders += 1;
                        }
                    }
                }
                _ if !empty => sc.skip()?,
                _ => {}
            }
            return Ok(());
        }
        if self.in_run_rpr {
            match name {
                Tag::Highlight
                    if attr(tag, "val").is_some_and(|v| v.eq_ignore_ascii_case("yellow")) =>
                {
                    if let Some(p) = self.para() {
                        p.run_hl = true;
                    }
                }
                Tag::Shd if attr(tag, "fill").is_some_and(|v| v.eq_ignore_ascii_case("FFFF00")) => {
                    if let Some(p) = self.para() {
                        p.run_hl = true;
                    }
                }
                Tag::Bold => {
                    let on = attr(tag, "val").is_none_or(|v| !matches!(&*v, "0" | "false" | "off"));
                    if let Some(p) = self.para() {
                        p.run_bold = on;
                    }
                }
                _ if !empty => sc.skip()?,
                _ => {}
            }
            return Ok(());
        }
        match name {
            Tag::T => {
                self.in_t = !empty && matches!(self.frames.last(), Some(Frame::Para(_)));
            }
            Tag::R => {
                if let Some(p) = self.para() {
                    p.run_hl = false;
                    p.run_bold = false;
                    p.run_depth = depth;
                }
            }
            Tag::RPr if !empty => {
                // A run's own properties are read for a highlight or a shading; any other
                // properties decide nothing.
                let in_run = match self.frames.last() {
                    Some(Frame::Para(p)) => p.run_depth != 0 && depth == p.run_depth + 1,
                    _ => false,
                };
                if in_run {
                    self.in_run_rpr = true;
                } else {
                    sc.skip()?;
                }
            }
            Tag::Space => {
                if let Some(p) = self.para() {
                    p.pending = true;
                }
            }
            Tag::Break => {
                let line = !self.in_field_code()
                    && !attr(tag, "type").is_some_and(|t| matches!(&*t, "page" | "column"));
                if let Some(p) = self.para() {
                    p.pending = true;
                    p.line_break |= line;
                }
            }
            Tag::NoBreakHyphen if !self.in_field_code() => {
                if let Some(p) = self.para() {
                    p.push("-");
                }
            }
            Tag::P => {
                self.paragraphs = self.paragraphs.saturating_add(1);
                // A field code does not run across paragraphs; one left open by a damaged part
                // must not swallow the text that follows.
                if self.in_field_code() || self.field_overflow > 0 {
                    self.fields.clear();
                    self.field_overflow = 0;
                }
                if empty {
                    return Ok(());
                }
                let region = self.region();
                let (text, style) = self.spare.pop().unwrap_or_default();
                self.frames.push(Frame::Para(Para {
                    depth,
                    index: self.paragraphs,
                    text,
                    pending: false,
                    line_break: false,
                    breaks: Vec::new(),
                    style,
                    num_id: None,
                    ilvl: None,
                    outline: None,
                    highlighted: false,
                    run_depth: 0,
                    run_hl: false,
                    run_bold: false,
                    plain: false,
                    region,
                    deferred: Vec::new(),
                }));
            }
            Tag::PPr if !empty => {
                // A paragraph's own properties are read for the few that decide the block
                // kind; any other properties decide nothing.
                let own =
                    matches!(self.frames.last(), Some(Frame::Para(p)) if depth == p.depth + 1);
                if own {
                    self.ppr_depth = depth;
                } else {
                    sc.skip()?;
                }
            }
            Tag::FldChar => match attr(tag, "fldCharType").as_deref() {
                Some("begin") => {
                    if self.fields.len() < MAX_FIELD_NESTING {
                        self.fields.push(false);
                    } else {
                        self.field_overflow += 1;
                    }
                }
                Some("separate") if self.field_overflow == 0 => {
                    if let Some(f) = self.fields.last_mut() {
                        *f = true;
                    }
                }
                Some("end") => {
                    if self.field_overflow > 0 {
                        self.field_overflow -= 1;
                    } else {
                        self.fields.pop();
                    }
                }
                _ => {}
            },
            Tag::Tbl => {
                self.tables = self.tables.saturating_add(1);
                if empty {
                    return Ok(());
                }
                let region = self.region();
                self.frames.push(Frame::Table(Box::new(TableFrame {
                    lines: false,
                    number: self.tables,
                    rows: Vec::new(),
                    row: None,
                    row_index: 0,
                    grid_col: 0,
                    cell: None,
                    origins: Vec::new(),
                    region,
                    highlighted: false,
                    deferred: Vec::new(),
                })));
            }
            Tag::Tr if !empty => {
                if let Some(t) = self.table() {
                    t.row_index = t.row_index.saturating_add(1);
                    t.row = Some(Vec::new());
                    t.grid_col = 0;
                }
            }
            Tag::TrPr if !empty => self.in_trpr = true,
            Tag::GridBefore if self.in_trpr => {
                let n = attr_u32(tag, "val").unwrap_or(0).min(MAX_GRID_SPAN);
                if let Some(t) = self.table() {
                    t.grid_col = t.grid_col.saturating_add(n);
                }
            }
            Tag::Tc if !empty => {
                if let Some(t) = self.table() {
                    if t.row.is_some() {
                        t.cell = Some(CellCtx {
                            text: String::new(),
                            breaks: Vec::new(),
                            pending: false,
                            highlighted: false,
                            span: 1,
                            vmerge: VMerge::No,
                            start_col: t.grid_col,
                        });
                    }
                }
            }
            Tag::TcPr if !empty => self.in_tcpr = true,
            Tag::GridSpan if self.in_tcpr => {
                let n = attr_u32(tag, "val").unwrap_or(1).clamp(1, MAX_GRID_SPAN);
                if let Some(c) = self.table().and_then(|t| t.cell.as_mut()) {
                    c.span = n;
                }
            }
            Tag::VMerge if self.in_tcpr => {
                let v = match attr(tag, "val").as_deref() {
                    Some("restart") => VMerge::Restart,
                    _ => VMerge::Continue,
                };
                if let Some(c) = self.table().and_then(|t| t.cell.as_mut()) {
                    c.vmerge = v;
                }
            }
            Tag::AltChunk => self.alt_chunks = self.alt_chunks.saturating_add(1),
            Tag::Sdt if !empty => self.sdts.push(false),
            Tag::SdtPr if !empty => self.in_sdtpr = true,
            Tag::TxbxContent if !empty => {
                self.textboxes += 1;
                self.frames.push(Frame::TextBox(Vec::new()));
            }
            Tag::Note
                if !empty
                    && attr(tag, "type").is_some_and(|t| {
                        matches!(
                            &*t,
                            "separator" | "continuationSeparator" | "continuationNotice"
                        )
                    }) =>
            {
                sc.skip()?
            }
            Tag::Skip if !empty => sc.skip()?,
            _ => {}
        }
        Ok(())
    }

    fn end_w(&mut self, name: Tag, depth: usize, out: &mut Vec<Block>) {
        match name {
            Tag::T => self.in_t = false,
            Tag::R => {
                if let Some(p) = self.para() {
                    p.run_depth = 0;
                    p.run_hl = false;
                }
            }
            Tag::RPr => self.in_run_rpr = false,
            Tag::PPr if depth == self.ppr_depth => self.ppr_depth = 0,
            Tag::P => {
                if let Some(Frame::Para(_)) = self.frames.last() {
                    if let Some(Frame::Para(p)) = self.frames.pop() {
                        self.finish_para(p, out);
                    }
                }
            }
            Tag::Tc => self.finish_cell(),
            Tag::SdtPr => self.in_sdtpr = false,
            Tag::Sdt => {
                let showed_placeholder = self.sdts.pop() == Some(true);
                self.placeholders = self
                    .placeholders
                    .saturating_sub(usize::from(showed_placeholder));
            }
            Tag::Tr => {
                if let Some(t) = self.table() {
                    if let Some(row) = t.row.take() {
                        if t.rows.is_empty() {
                            t.lines = row.len() == INTERVIEW_HEADER.len()
                                && row
                                    .iter()
                                    .zip(INTERVIEW_HEADER)
                                    .all(|(c, h)| c.text.eq_ignore_ascii_case(h));
                        }
                        if !row.is_empty() {
                            t.rows.push(row);
                        }
                    }
                }
            }
            Tag::TrPr => self.in_trpr = false,
            Tag::TcPr => self.in_tcpr = false,
            Tag::Tbl => {
                if let Some(Frame::Table(_)) = self.frames.last() {
                    if let Some(Frame::Table(t)) = self.frames.pop() {
                        self.finish_table(*t, out);
                    }
                }
            }
            Tag::TxbxContent => {
                if let Some(Frame::TextBox(_)) = self.frames.last() {
                    if let Some(Frame::TextBox(d)) = self.frames.pop() {
                        self.textboxes = self.textboxes.saturating_sub(1);
                        self.emit_all(d, out);
                    }
                }
            }
            _ => {}
        }
    }

    fn finish_para(&mut self, p: Para, out: &mut Vec<Block>) {
        let style = match &self.last_style {
            Some((id, r)) if *id == p.style => *r,
            _ => {
                let r = self
                    .styles
                    .get((!p.style.is_empty()).then_some(p.style.as_str()));
                self.last_style = Some((p.style.clone(), r));
                r
            }
        };
        let heading = match p.outline {
            Some(9) => None,
            Some(l) => Some(l + 1),
            None => style.heading,
        };
        let num = match p.num_id {
            Some(0) => None,
            Some(id) => Some((id, p.ilvl.or(style.num.and_then(|n| n.1)).unwrap_or(0))),
            None => style.num.map(|(id, il)| (id, p.ilvl.or(il).unwrap_or(0))),
        };
        // A short paragraph all in bold ("Why certify") is a heading one level below the last.
        let heading = match heading {
            Some(level) => {
                self.heading_level = level;
                Some(level)
            }
            None if num.is_none() && p.region == Region::Body && bold_heading(&p) => {
                Some(self.heading_level.saturating_add(1).min(9))
            }
            None => None,
        };
        // Counters advance for every numbered paragraph, shown or not.
        let list = num.and_then(|(id, l)| self.numbering.advance(id, l).map(|n| (l, n)));
        if let Some(Frame::Table(t)) = self.frames.last_mut() {
            if let Some(cell) = t.cell.as_mut() {
                if !p.text.is_empty() {
                    // In an interview pack's table, where two paragraphs meet is a line too.
                    if t.lines && !cell.text.is_empty() {
                        cell.breaks.extend(u32::try_from(cell.text.len()).ok());
                    }
                    cell.pending = true;
                    push_word(&mut cell.text, &mut cell.pending, &p.text);
                    // The paragraph's breaks, moved to where its text now starts.
                    let start = cell.text.len() - p.text.len();
                    let shifted = p
                        .breaks
                        .iter()
                        .map(|&b| u32::try_from(start).map(|s| s + b));
                    cell.breaks.extend(shifted.flatten());
                }
                cell.highlighted |= p.highlighted;
                t.deferred.extend(p.deferred);
                self.recycle(p.text, p.style);
                return;
            }
        }
        if !p.text.is_empty() && !self.budget.take(p.text.len()) {
            self.over_budget = true;
        } else if !p.text.is_empty() {
            let kind = match (heading, list) {
                (Some(level), _) => BlockKind::Heading { level },
                (None, Some((depth, number))) => BlockKind::ListItem { depth, number },
                (None, None) => BlockKind::Paragraph,
            };
            let block = Block {
                kind,
                text: p.text.as_str().to_owned(),
                breaks: p.breaks,
                locator: Locator::Paragraph {
                    part: Arc::clone(&self.shared_part),
                    index: p.index,
                },
                region: p.region,
                highlighted: p.highlighted,
            };
            self.emit(block, out);
        }
        self.recycle(p.text, p.style);
        self.emit_all(p.deferred, out);
    }

    fn recycle(&mut self, mut text: String, mut style: String) {
        if self.spare.len() < 16 {
            text.clear();
            style.clear();
            self.spare.push((text, style));
        }
    }

    fn finish_cell(&mut self) {
        let part = Arc::clone(&self.shared_part);
        let budget = &mut self.budget;
        let over_budget = &mut self.over_budget;
        let Some(Frame::Table(t)) = self.frames.last_mut() else {
            return;
        };
        let Some(cell) = t.cell.take() else { return };
        let Some(row) = t.row.as_mut() else { return };
        let col = cell.start_col;
        let mut text = cell.text;
        let mut breaks = cell.breaks;
        let mut highlighted = cell.highlighted;
        let mut note = None;
        match cell.vmerge {
            VMerge::Continue => {
                if let Some(o) = t.origins.iter().find(|o| o.col == col) {
                    if text.is_empty() {
                        // Repeated only while the budget allows; the loop below charges it.
                        if budget.fits(o.text.len()) {
                            text = o.text.clone();
                            breaks = o.breaks.clone();
                            highlighted |= o.highlighted;
                        } else {
                            *over_budget = true;
                        }
                    }
                    note = Some(format!("merged with row {}", o.row));
                }
            }
            VMerge::Restart => {
                t.origins.retain(|o| o.col != col);
                t.origins.push(Origin {
                    col,
                    row: t.row_index,
                    text: text.clone(),
                    breaks: breaks.clone(),
                    highlighted,
                });
            }
            VMerge::No => t
                .origins
                .retain(|o| o.col < col || o.col >= col + cell.span),
        }
        t.highlighted |= highlighted;
        // The first copy, then the span's repeats; the text moves into the last one made.
        let copies = if row.len() >= MAX_ROW_CELLS {
            1
        } else {
            cell.span.min((MAX_ROW_CELLS - row.len()) as u32).max(1)
        };
        // Every copy is charged to the budget (a cell's paragraphs are not charged on their own);
        // past it nothing more is cloned and the read stops with a limit error.
        for k in 0..copies {
            if !budget.take(text.len()) {
                *over_budget = true;
                break;
            }
            let locator = Locator::TableCell {
                part: Arc::clone(&part),
                table: t.number,
                row: t.row_index,
                col: col.saturating_add(k).saturating_add(1),
            };
            let note = if k == 0 {
                note.clone()
            } else {
                Some(
                    note.clone()
                        .unwrap_or_else(|| format!("merged with column {}", col + 1)),
                )
            };
            let (text, breaks) = if k + 1 == copies {
                (std::mem::take(&mut text), std::mem::take(&mut breaks))
            } else {
                (text.clone(), breaks.clone())
            };
            row.push(Cell {
                text,
                breaks,
                locator,
                highlighted,
                note,
            });
        }
        t.grid_col = col.saturating_add(cell.span);
    }

    fn finish_table(&mut self, mut t: TableFrame, out: &mut Vec<Block>) {
        if let Some(row) = t.row.take() {
            if !row.is_empty() {
                t.rows.push(row);
            }
        }
        if !t.rows.is_empty() {
            let block = Block {
                kind: BlockKind::Table(Table {
                    sheet: None,
                    name: None,
                    hidden: false,
                    rows: t.rows,
                }),
                text: String::new(),
                breaks: Vec::new(),
                locator: Locator::Table {
                    part: Arc::clone(&self.shared_part),
                    table: t.number,
                },
                region: t.region,
                highlighted: t.highlighted,
            };
            self.emit(block, out);
        }
        self.emit_all(t.deferred, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(pieces: &[&str]) -> String {
        let mut out = String::new();
        let mut pending = false;
        for p in pieces {
            push_words(&mut out, &mut pending, p);
        }
        out
    }

    #[test]
    fn names_classify_to_their_tags() {
        for (name, tag) in [
            ("p", Tag::P),
            ("tab", Tag::Space),
            ("ptab", Tag::Space),
            ("br", Tag::Break),
            ("cr", Tag::Break),
            ("noBreakHyphen", Tag::NoBreakHyphen),
            ("txbxContent", Tag::TxbxContent),
            ("footnote", Tag::Note),
            ("endnote", Tag::Note),
            ("outlineLvl", Tag::OutlineLvl),
            ("gridBefore", Tag::GridBefore),
            ("gridSpan", Tag::GridSpan),
            ("vMerge", Tag::VMerge),
            ("altChunk", Tag::AltChunk),
            ("highlight", Tag::Highlight),
            ("pStyle", Tag::PStyle),
            ("numId", Tag::NumId),
            ("numPr", Tag::NumPr),
            ("ilvl", Tag::Ilvl),
            ("fldChar", Tag::FldChar),
            ("trPr", Tag::TrPr),
            ("tcPr", Tag::TcPr),
            ("pPr", Tag::PPr),
            ("rPr", Tag::RPr),
            ("shd", Tag::Shd),
            ("tbl", Tag::Tbl),
            ("tr", Tag::Tr),
            ("tc", Tag::Tc),
            ("r", Tag::R),
            ("t", Tag::T),
            ("sdt", Tag::Sdt),
            ("sdtPr", Tag::SdtPr),
            ("showingPlcHdr", Tag::ShowingPlcHdr),
            ("bookmarkStart", Tag::Other),
            ("proofErr", Tag::Other),
        ] {
            assert_eq!(classify(name), tag, "{name}");
        }
        for name in [
            "del",
            "moveFrom",
            "instrText",
            "delText",
            "delInstrText",
            "sdtEndPr",
            "pPrChange",
            "rPrChange",
            "tblPrChange",
            "trPrChange",
            "tcPrChange",
            "sectPr",
            "tblGrid",
            "tblPr",
            "tblPrEx",
            "customXmlPr",
            "fldData",
        ] {
            assert_eq!(classify(name), Tag::Skip, "{name}");
        }
    }

    #[test]
    fn words_join_across_runs_and_collapse_space() {
        assert_eq!(words(&["Hel", "lo ", " world"]), "Hello world");
        assert_eq!(words(&["  a\t\tb  ", "c"]), "a b c");
        assert_eq!(words(&["Serv", "ice\u{a0}", "Desk"]), "Service Desk");
        assert_eq!(words(&["", "x", "", "y"]), "xy");
        assert_eq!(words(&["x ", "", "y"]), "x y");
        assert_eq!(words(&["a  b c\u{2003}d e", " f"]), "a b c d e f");
    }

    proptest::proptest! {
        #[test]
        fn pieces_read_like_their_normalised_concatenation(
            pieces in proptest::collection::vec("[ a-cé\t\n\u{a0}\u{3000}]{0,8}", 0..6)
        ) {
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let joined: String = pieces.concat();
            proptest::prop_assert_eq!(
                words(&refs),
                crate::document::normalize_whitespace(&joined)
            );
        }
    }
}
