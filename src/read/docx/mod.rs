//! The DOCX reader: a WordprocessingML package (DOCX, DOCM, DOTX) in, a [`Document`] out, on
//! `zip` + `quick-xml`, streaming.
//!
//! Takes an opened [`Container`]; gives the body's blocks, then those of the headers, footers,
//! footnotes, endnotes and comments (each marked with its [`Region`]), and the core properties as
//! metadata. Does not assume where the parts are: the main part is found through `_rels/.rels`
//! (the `officeDocument` relationship, transitional or Strict), and styles, numbering, headers,
//! footers and notes through the main part's own relationships. Elements are matched by local
//! name and namespace, so Strict OOXML and unusual prefixes read like transitional `w:`.
//!
//! Each part is parsed from its inflated bytes without a DOM, through one event reader
//! (`xml.rs`, over quick-xml): styles and numbering first (small), then the body, streamed (see
//! `body.rs`). Must not panic on input, size an allocation from a number in the file or expand
//! an entity; XML deeper than [`Limits::max_xml_depth`] is a [`ReadError::Limit`], a DTD is
//! [`ReadError::Dtd`].
//!
//! # Locators
//!
//! A paragraph's locator is its part and its 1-based number among the part's `w:p` elements in
//! document order: every paragraph counts, including empty ones (which give no block), those in
//! table cells, text boxes and content controls; only paragraphs inside content that is not read
//! (deleted text, the unread branch of `mc:AlternateContent`, separator footnotes) do not.
//! Tables are numbered the same way (1-based, nested tables counted where they start); a cell's
//! locator gives its 1-based row and its 1-based grid column (a cell after a two-column span is
//! in column 3).
//!
//! # Tables
//!
//! A cell's text is its paragraphs joined by spaces. A cell spanning grid columns (`gridSpan`)
//! is repeated over them, the copies noted "merged with column N"; a vertically merged cell
//! (`vMerge` continue) repeats the text of the cell that starts the merge, noted "merged with
//! row N", as spreadsheet merges are. A nested table becomes its own table block right after the
//! enclosing table; the outer cell keeps only its own text.
//!
//! # Highlights
//!
//! A block or cell is `highlighted` when one of its runs is highlighted yellow (`w:highlight
//! w:val="yellow"` or `w:shd w:fill="FFFF00"`), or when it holds the placeholder text of a
//! content control (`w:showingPlcHdr`): both are how templates mark what is still to fill in.
//!
//! # Limits and bad input
//!
//! Part sizes and ratios are the container's ([`Container::read`]). Here: XML nesting deeper
//! than [`Limits::max_xml_depth`] is a [`ReadError::Limit`]; a DTD is [`ReadError::Dtd`]; a
//! malformed main part is [`ReadError::Xml`] with its byte position, and a malformed secondary
//! part (relationships, styles, numbering, headers, notes, comments, core properties) becomes a
//! note saying what was lost. Numbers from the file are clamped before use: grid spans to
//! [`MAX_GRID_SPAN`], cells per row to [`MAX_ROW_CELLS`], list levels to 0..=8
//! ([`MAX_LIST_LEVELS`]), `lvlText` to [`MAX_LVL_TEXT`] characters, `basedOn` chains to
//! [`MAX_STYLE_CHAIN`] steps, field nesting to [`MAX_FIELD_NESTING`], core properties to
//! [`MAX_PROPERTY_CHARS`] characters.

mod body;
mod numbering;
mod styles;
mod xml;

pub(crate) use body::push_words;
pub use body::{
    MAX_FIELD_NESTING, MAX_GRID_SPAN, MAX_ROW_CELLS, TEXT_BUDGET_FACTOR, TEXT_BUDGET_FLOOR,
};
pub use numbering::{LEVELS as MAX_LIST_LEVELS, MAX_LVL_TEXT};
pub use styles::MAX_STYLE_CHAIN;

use super::buffers;
use super::container::Container;
use super::{Limits, ReadError};
use crate::document::{natural_cmp, Block, Document, Format, Metadata, Region};
use xml::{attrs, local, Ev, Ns, Scanner};

/// Longest core property kept, in characters.
pub const MAX_PROPERTY_CHARS: usize = 4096;

/// One relationship of a part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rel {
    /// The last segment of the relationship type URI (`officeDocument`, `styles`, `header`).
    kind: String,
    /// The target part, resolved to a package path without a leading `/`.
    target: String,
}

/// What `parse` makes of a part's bytes (UTF-16 re-encoded as UTF-8), the buffer then given
/// back for the next part.
fn parsed<T>(bytes: Vec<u8>, parse: impl FnOnce(&[u8]) -> T) -> T {
    let bytes = xml::to_utf8(bytes);
    let out = parse(&bytes);
    buffers::give(bytes);
    out
}

/// Reads a Word package (DOCX, DOCM, DOTX) from an opened container.
pub fn read(
    display: &str,
    zip: &mut Container<'_>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let depth = limits.max_xml_depth;
    let mut notes = Vec::new();
    let package_rels = match zip.read("_rels/.rels")? {
        Some(bytes) => soft(
            parsed(bytes, |b| parse_rels(b, "_rels/.rels", "", depth)),
            &mut notes,
            "the main part was looked for at word/document.xml",
        )?
        .unwrap_or_default(),
        None => Vec::new(),
    };
    let main = package_rels
        .iter()
        .find(|r| r.kind == "officeDocument")
        .map(|r| r.target.clone())
        .filter(|t| zip.has(t))
        .or_else(|| {
            ["word/document.xml", "word/document2.xml"]
                .into_iter()
                .find(|n| zip.has(n))
                .map(str::to_string)
        });
    let Some(main) = main else {
        let named = package_rels
            .iter()
            .find(|r| r.kind == "officeDocument")
            .map_or("word/document.xml", |r| r.target.as_str());
        return Err(ReadError::MissingPart(format!(
            "the main document part ({named})"
        )));
    };
    let main_bytes = zip
        .read(&main)?
        .map(xml::to_utf8)
        .ok_or_else(|| ReadError::MissingPart(main.clone()))?;

    let doc_rels = match zip.read(&rels_path(&main))? {
        Some(bytes) => soft(
            parsed(bytes, |b| parse_rels(b, &rels_path(&main), &main, depth)),
            &mut notes,
            "styles, numbering, headers, footers, notes and comments were not read",
        )?
        .unwrap_or_default(),
        None => Vec::new(),
    };
    let find = |kind: &'static str| doc_rels.iter().filter(move |r| r.kind == kind);

    let styles = match find("styles").next() {
        Some(rel) => match zip.read(&rel.target)? {
            Some(b) => {
                let styles = parsed(b, |b| styles::Styles::parse(b, &rel.target, depth));
                soft(styles, &mut notes, "headings were told by style ids only")?
                    .unwrap_or_default()
            }
            None => {
                notes.push(format!("{} is referenced but missing", rel.target));
                styles::Styles::default()
            }
        },
        None => styles::Styles::default(),
    };
    let mut numbering = match find("numbering").next() {
        Some(rel) => match zip.read(&rel.target)? {
            Some(b) => {
                let numbering = parsed(b, |b| numbering::Numbering::parse(b, &rel.target, depth));
                soft(numbering, &mut notes, "list items carry no numbers")?.unwrap_or_default()
            }
            None => {
                notes.push(format!("{} is referenced but missing", rel.target));
                numbering::Numbering::default()
            }
        },
        None => numbering::Numbering::default(),
    };
    numbering.link_styles(styles.num_links.iter().cloned());

    let mut blocks: Vec<Block> = Vec::new();
    let mut budget = body::TextBudget::new(limits);
    let body_notes = body::PartReader::new(&main, Region::Body, &styles, &mut numbering).read(
        &main_bytes,
        depth,
        &mut budget,
        &mut blocks,
    );
    buffers::give(main_bytes);
    notes.extend(body_notes?);

    let mut others: Vec<(Region, &Rel)> = Vec::new();
    for (kind, region) in [
        ("header", Region::Header),
        ("footer", Region::Footer),
        ("footnotes", Region::Footnote),
        ("endnotes", Region::Endnote),
        ("comments", Region::Comment),
    ] {
        let mut rels: Vec<&Rel> = find(kind).collect();
        rels.sort_by(|a, b| {
            natural_cmp(&a.target, &b.target).then_with(|| a.target.cmp(&b.target))
        });
        rels.dedup_by(|a, b| a.target == b.target);
        others.extend(rels.into_iter().map(|r| (region, r)));
    }
    for (region, rel) in others {
        let Some(bytes) = zip.read(&rel.target)? else {
            notes.push(format!("{} is referenced but missing", rel.target));
            continue;
        };
        let bytes = xml::to_utf8(bytes);
        let mut part_blocks = Vec::new();
        let result = body::PartReader::new(&rel.target, region, &styles, &mut numbering).read(
            &bytes,
            depth,
            &mut budget,
            &mut part_blocks,
        );
        buffers::give(bytes);
        match result {
            Ok(part_notes) => {
                blocks.append(&mut part_blocks);
                notes.extend(part_notes);
            }
            // A damaged header or comment part should not cost the body; refusals stand.
            Err(ReadError::Xml {
                part,
                position,
                message,
            }) => notes.push(format!(
                "{part}: malformed XML at byte {position} ({message}); its content was not read"
            )),
            Err(e) => return Err(e),
        }
    }

    let metadata = match package_rels
        .iter()
        .find(|r| r.kind == "core-properties")
        .map(|r| r.target.clone())
        .or_else(|| {
            zip.has("docProps/core.xml")
                .then(|| "docProps/core.xml".into())
        }) {
        Some(core) => match zip.read(&core)? {
            Some(bytes) => match parsed(bytes, |b| parse_core(b, &core, depth)) {
                Ok(m) => m,
                Err(ReadError::Xml {
                    part,
                    position,
                    message,
                }) => {
                    notes.push(format!(
                        "{part}: malformed XML at byte {position} ({message}); the document properties were not read"
                    ));
                    Metadata::default()
                }
                Err(e) => return Err(e),
            },
            None => Metadata::default(),
        },
        None => Metadata::default(),
    };

    Ok(Document {
        path: display.to_string(),
        format: Format::Docx,
        metadata,
        blocks,
        notes,
    })
}

/// Keeps a malformed secondary part from costing the whole document: its XML error becomes a
/// note saying what was lost (`consequence`). Refusals (a DTD, a limit) still fail the file.
fn soft<T>(
    result: Result<T, ReadError>,
    notes: &mut Vec<String>,
    consequence: &str,
) -> Result<Option<T>, ReadError> {
    match result {
        Ok(v) => Ok(Some(v)),
        Err(ReadError::Xml {
            part,
            position,
            message,
        }) => {
            notes.push(format!(
                "{part}: malformed XML at byte {position} ({message}); {consequence}"
            ));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// `word/document.xml` -> `word/_rels/document.xml.rels`.
fn rels_path(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/_rels/{name}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// Resolves a relationship target against the part that holds the relationship (`source`, ""
/// for the package): absolute targets start at the root, relative ones at the source's folder;
/// `.` and `..` segments and `%XX` escapes are resolved.
fn resolve_target(source: &str, target: &str) -> String {
    let target = percent_decode(target.trim());
    let mut segments: Vec<&str> = Vec::new();
    let rest = if let Some(abs) = target.strip_prefix('/') {
        abs
    } else {
        if let Some((dir, _)) = source.rsplit_once('/') {
            segments.extend(dir.split('/').filter(|s| !s.is_empty()));
        }
        target.as_str()
    };
    for seg in rest.split(['/', '\\']) {
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

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes.get(i), bytes.get(i + 1), bytes.get(i + 2)) {
            (Some(b'%'), Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let v = hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0);
                out.push(v as u8);
                i += 3;
            }
            (Some(&b), _, _) => {
                out.push(b);
                i += 1;
            }
            _ => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a relationships part. `source` is the part the relationships belong to.
fn parse_rels(bytes: &[u8], part: &str, source: &str, depth: usize) -> Result<Vec<Rel>, ReadError> {
    let mut sc = Scanner::new(bytes, part, depth);
    let mut out = Vec::new();
    loop {
        match sc.next()? {
            Ev::Eof => break,
            Ev::Start { tag, .. } => {
                if local(tag.name().into_inner()) != "Relationship" {
                    continue;
                }
                let [mode, kind, target] = attrs(&tag, ["TargetMode", "Type", "Target"]);
                if mode.is_some_and(|m| m.eq_ignore_ascii_case("External")) {
                    continue;
                }
                let (Some(kind), Some(target)) = (kind, target) else {
                    continue;
                };
                let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                out.push(Rel {
                    kind,
                    target: resolve_target(source, &target),
                });
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Parses docProps/core.xml.
fn parse_core(bytes: &[u8], part: &str, depth: usize) -> Result<Metadata, ReadError> {
    #[derive(Clone, Copy)]
    enum Field {
        Title,
        Creator,
        LastModifiedBy,
        Created,
        Modified,
    }
    let mut sc = Scanner::new(bytes, part, depth);
    let mut m = Metadata::default();
    let mut current: Option<(Field, String)> = None;
    loop {
        match sc.next()? {
            Ev::Eof => break,
            Ev::Start { ns, tag, empty } => {
                if empty {
                    continue;
                }
                let field = match (ns, local(tag.name().into_inner())) {
                    (Ns::Dc, "title") => Field::Title,
                    (Ns::Dc, "creator") => Field::Creator,
                    (Ns::Cp, "lastModifiedBy") => Field::LastModifiedBy,
                    (Ns::DcTerms, "created") => Field::Created,
                    (Ns::DcTerms, "modified") => Field::Modified,
                    _ => continue,
                };
                current = Some((field, String::new()));
            }
            Ev::Text(t) => {
                if let Some((_, s)) = current.as_mut() {
                    let room = MAX_PROPERTY_CHARS.saturating_sub(s.len());
                    s.extend(t.chars().take(room));
                }
            }
            Ev::Char(c) => {
                if let Some((_, s)) = current.as_mut() {
                    if s.len() < MAX_PROPERTY_CHARS {
                        s.push(c);
                    }
                }
            }
            Ev::End { .. } => {
                if let Some((field, s)) = current.take() {
                    let v = crate::document::normalize_whitespace(&s);
                    if v.is_empty() {
                        continue;
                    }
                    let slot = match field {
                        Field::Title => &mut m.title,
                        Field::Creator => &mut m.author,
                        Field::LastModifiedBy => &mut m.last_modified_by,
                        Field::Created => &mut m.created,
                        Field::Modified => &mut m.modified,
                    };
                    *slot = Some(v);
                }
            }
            _ => {}
        }
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_their_source() {
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("", "/word/document.xml"),
            "word/document.xml"
        );
        assert_eq!(
            resolve_target("", "./word/document.xml"),
            "word/document.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "styles.xml"),
            "word/styles.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("content/main doc.xml", "/content/head%20er.xml"),
            "content/head er.xml"
        );
        assert_eq!(resolve_target("a/b.xml", "../../../x.xml"), "x.xml");
        assert_eq!(
            rels_path("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
        assert_eq!(rels_path("doc.xml"), "_rels/doc.xml.rels");
    }

    #[test]
    fn header_parts_sort_naturally() {
        let mut v = vec!["word/header10.xml", "word/header2.xml", "word/header1.xml"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["word/header1.xml", "word/header2.xml", "word/header10.xml"]
        );
    }
}
