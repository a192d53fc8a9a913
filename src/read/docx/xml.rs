//! The event layer the DOCX reader parses every part through: a thin wrapper over
//! `quick_xml::Reader`.
//!
//! Takes the inflated bytes of one part; gives its events one at a time ([`Scanner::next`]),
//! borrowing from those bytes, with each element's namespace resolved to the few the reader tells
//! apart ([`Ns`]: transitional and Strict WordprocessingML read the same, whatever the prefix),
//! and skips the subtrees a caller does not read ([`Scanner::skip`]). Enforces the nesting
//! limit everywhere, skipped subtrees included; refuses a DTD; lets quick-xml check end-tag
//! names; turns every parser error into a [`ReadError`] naming the part and the byte position.
//!
//! Must not build a DOM or expand entities: only the five predefined ones and character
//! references are resolved, and an unknown `&name;` is given as [`Ev::UnknownRef`], never
//! looked up.

use crate::read::ReadError;
use quick_xml::events::{BytesEnd, BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// The namespaces the reader distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// WordprocessingML main, transitional or Strict.
    W,
    /// Markup compatibility (`mc:AlternateContent`).
    Mc,
    /// Package relationships (`_rels/*.rels`).
    Rels,
    /// Core properties (`cp:`).
    Cp,
    /// Dublin Core elements (`dc:`).
    Dc,
    /// Dublin Core terms (`dcterms:`).
    DcTerms,
    /// Any other namespace, or none.
    Other,
}

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const NS_MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
const NS_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const NS_CP: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const NS_CP_STRICT: &str = "http://purl.oclc.org/ooxml/package/metadata/core-properties";
const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_DCTERMS: &str = "http://purl.org/dc/terms/";

fn classify(uri: &str) -> Ns {
    match uri {
        NS_W | NS_W_STRICT => Ns::W,
        NS_MC => Ns::Mc,
        NS_RELS => Ns::Rels,
        NS_CP | NS_CP_STRICT => Ns::Cp,
        NS_DC => Ns::Dc,
        NS_DCTERMS => Ns::DcTerms,
        _ => Ns::Other,
    }
}

/// One event of a part, with the element's namespace resolved. Local names are read with
/// [`local`] from the tag.
#[derive(Debug)]
pub(crate) enum Ev<'a> {
    /// An element opens. `empty` is true for `<x/>`, which has no matching [`Ev::End`].
    Start {
        /// Its namespace.
        ns: Ns,
        /// The raw tag, for its name and attributes.
        tag: BytesStart<'a>,
        /// Self-closing.
        empty: bool,
    },
    /// An element closes.
    End {
        /// Its namespace.
        ns: Ns,
        /// The raw end tag.
        tag: BytesEnd<'a>,
    },
    /// Character data, as written (no entity in it).
    Text(Cow<'a, str>),
    /// A character or predefined entity reference, resolved.
    Char(char),
    /// An unknown entity reference, kept literally (`&name;`); never expanded.
    UnknownRef(Cow<'a, str>),
    /// The end of the part.
    Eof,
}

/// The local name of a tag (`w:p` -> `p`).
pub(crate) fn local(name: &str) -> &str {
    match name.bytes().position(|b| b == b':') {
        Some(i) => name.get(i + 1..).unwrap_or_default(),
        None => name,
    }
}

/// The prefix of a tag (`w:p` -> `w`; `p` -> ``).
fn prefix(name: &str) -> &str {
    match name.bytes().position(|b| b == b':') {
        Some(i) => name.get(..i).unwrap_or_default(),
        None => "",
    }
}

/// A namespace prefix in scope: declared on the element at `depth`.
struct Binding {
    prefix: String,
    ns: Ns,
    depth: usize,
}

/// A streaming reader of one XML part.
pub(crate) struct Scanner<'a> {
    reader: Reader<&'a [u8]>,
    part: &'a str,
    /// Elements open (the root element is depth 1 while it is open).
    depth: usize,
    max_depth: usize,
    /// Namespace prefixes in scope, innermost last.
    bindings: Vec<Binding>,
    /// The namespace of each open element, for its end tag.
    open: Vec<Ns>,
    /// The last prefix resolved and its namespace (`None` once the bindings change): nearly
    /// every element has its neighbour's prefix.
    hot_prefix: String,
    hot_ns: Option<Ns>,
    /// The part, and where in it the next `xmlns` starts (`usize::MAX` for none): a tag that
    /// ends before it declares nothing. One search through the part instead of one in every
    /// tag's attributes: the latter cost 2% of a 200-client batch (callgrind).
    input: &'a [u8],
    next_xmlns: usize,
}

impl<'a> Scanner<'a> {
    /// A scanner over `bytes`, the inflated part `part`.
    pub(crate) fn new(bytes: &'a [u8], part: &'a str, max_depth: usize) -> Scanner<'a> {
        // quick-xml's defaults: end-tag names checked, empty elements given as such, text as
        // written.
        Scanner {
            reader: Reader::from_reader(bytes),
            part,
            depth: 0,
            max_depth,
            bindings: Vec::new(),
            open: Vec::new(),
            hot_prefix: String::new(),
            hot_ns: None,
            input: bytes,
            next_xmlns: memchr::memmem::find(bytes, b"xmlns").unwrap_or(usize::MAX),
        }
    }

    /// The current element depth (the root element is depth 1 while it is open).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    /// The next event.
    pub(crate) fn next(&mut self) -> Result<Ev<'a>, ReadError> {
        loop {
            return Ok(match self.read()? {
                Event::Start(tag) => {
                    self.descend()?;
                    let ns = self.enter(&tag, self.depth);
                    self.open.push(ns);
                    Ev::Start {
                        ns,
                        tag,
                        empty: false,
                    }
                }
                Event::Empty(tag) => {
                    // Its declarations apply to itself only.
                    let depth = self.depth + 1;
                    if depth > self.max_depth {
                        return Err(self.too_deep());
                    }
                    let ns = self.enter(&tag, depth);
                    self.pop_bindings(depth);
                    Ev::Start {
                        ns,
                        tag,
                        empty: true,
                    }
                }
                Event::End(tag) => Ev::End {
                    ns: self.leave(),
                    tag,
                },
                Event::Text(t) => Ev::Text(t.into_inner()),
                Event::CData(t) => Ev::Text(t.into_inner()),
                Event::GeneralRef(r) if r.is_char_ref() => match r.resolve_char_ref() {
                    Ok(Some(c)) => Ev::Char(c),
                    Ok(None) => continue,
                    Err(e) => return Err(self.xml_error(&e)),
                },
                Event::GeneralRef(r) => match predefined(&r) {
                    Some(c) => Ev::Char(c),
                    None => Ev::UnknownRef(r.into_inner()),
                },
                Event::DocType(_) => return Err(self.dtd()),
                Event::Eof if self.depth > 0 => return Err(self.unclosed()),
                Event::Eof => Ev::Eof,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            });
        }
    }

    /// Skips the content of the element just opened (a non-empty [`Ev::Start`]) up to and
    /// including its end tag, without resolving names. The nesting limit (of elements with
    /// content), the DTD refusal and quick-xml's checks hold inside it: quick-xml's own
    /// `read_to_end` would skip as fast, but counts no depth and lets a DTD pass.
    pub(crate) fn skip(&mut self) -> Result<(), ReadError> {
        let target = self.depth;
        loop {
            match self.read()? {
                Event::Start(_) => self.descend()?,
                Event::End(_) if self.depth == target => {
                    self.leave();
                    return Ok(());
                }
                Event::End(_) => self.depth -= 1,
                Event::DocType(_) => return Err(self.dtd()),
                Event::Eof => return Err(self.unclosed()),
                _ => {}
            }
        }
    }

    /// The parser's next event, its error named.
    fn read(&mut self) -> Result<Event<'a>, ReadError> {
        self.reader.read_event().map_err(|e| self.xml_error(&e))
    }

    /// One level deeper, within the limit.
    fn descend(&mut self) -> Result<(), ReadError> {
        if self.depth >= self.max_depth {
            return Err(self.too_deep());
        }
        self.depth += 1;
        Ok(())
    }

    /// The namespace of an element opening at `depth`, after the declarations it makes.
    fn enter(&mut self, tag: &BytesStart<'_>, depth: usize) -> Ns {
        // The parser's input now starts just past the tag.
        let tag_end = self.input.len().saturating_sub(self.reader.get_ref().len());
        if self.next_xmlns < tag_end {
            self.declare(tag, depth);
            self.next_xmlns = self
                .input
                .get(tag_end..)
                .and_then(|rest| memchr::memmem::find(rest, b"xmlns"))
                .map_or(usize::MAX, |i| i + tag_end);
        }
        self.resolve(tag.name().into_inner())
    }

    /// Records the namespace declarations of an element opening at `depth`.
    #[inline(never)]
    fn declare(&mut self, tag: &BytesStart<'_>, depth: usize) {
        let mut attrs = tag.attributes();
        attrs.with_checks(false);
        for attr in attrs.flatten() {
            let key = attr.key.into_inner();
            let prefix = match key.strip_prefix("xmlns") {
                Some("") => "",
                Some(p) => match p.strip_prefix(':') {
                    Some(p) => p,
                    None => continue,
                },
                None => continue,
            };
            self.bindings.push(Binding {
                prefix: prefix.to_string(),
                ns: classify(attr.value.trim()),
                depth,
            });
            self.hot_ns = None;
        }
    }

    /// Closes the innermost element (quick-xml has checked the end tag's name), with the
    /// declarations it made: its namespace.
    fn leave(&mut self) -> Ns {
        self.pop_bindings(self.depth);
        self.depth = self.depth.saturating_sub(1);
        self.open.pop().unwrap_or(Ns::Other)
    }

    /// The namespace of a qualified name.
    #[inline]
    fn resolve(&mut self, qname: &str) -> Ns {
        let prefix = prefix(qname);
        match self.hot_ns {
            Some(ns) if self.hot_prefix == prefix => ns,
            _ => self.resolve_declared(prefix),
        }
    }

    /// [`Scanner::resolve`] through the declarations in scope, remembered for the next
    /// element. Out of line, so the usual element pays only for the comparison above:
    /// resolving took 2% of a 200-client batch as one function, 0.2% split (callgrind).
    #[inline(never)]
    fn resolve_declared(&mut self, prefix: &str) -> Ns {
        let ns = match self.bindings.iter().rev().find(|b| b.prefix == prefix) {
            Some(b) => b.ns,
            // An undeclared `w:` prefix (some generators forget the declaration): read it as
            // WordprocessingML rather than drop the document's text.
            None if prefix == "w" => Ns::W,
            None => Ns::Other,
        };
        self.hot_prefix.clear();
        self.hot_prefix.push_str(prefix);
        self.hot_ns = Some(ns);
        ns
    }

    /// Forgets the declarations made at `depth` or deeper.
    fn pop_bindings(&mut self, depth: usize) {
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.bindings.pop();
            self.hot_ns = None;
        }
    }

    #[cold]
    fn xml_error(&self, err: &quick_xml::Error) -> ReadError {
        ReadError::Xml {
            part: self.part.to_string(),
            position: self.reader.error_position(),
            message: err.to_string(),
        }
    }

    #[cold]
    fn unclosed(&self) -> ReadError {
        ReadError::Xml {
            part: self.part.to_string(),
            position: self.reader.buffer_position(),
            message: "the part ends before its elements are closed".into(),
        }
    }

    #[cold]
    fn dtd(&self) -> ReadError {
        ReadError::Dtd {
            part: self.part.to_string(),
        }
    }

    #[cold]
    fn too_deep(&self) -> ReadError {
        ReadError::Limit {
            what: format!("the XML nesting depth of {}", self.part),
            limit: format!("{} levels", self.max_depth),
        }
    }
}

fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// The value of the first attribute with local name `local`, whatever its prefix. Predefined
/// entities and character references are resolved; a value that cannot be unescaped is
/// returned as written.
pub(crate) fn attr<'t>(tag: &'t BytesStart<'_>, local: &str) -> Option<Cow<'t, str>> {
    let mut attrs = tag.attributes();
    attrs.with_checks(false);
    let a = attrs
        .flatten()
        .find(|a| attr_local(a.key.into_inner()) == local)?;
    Some(unescaped(a))
}

/// [`attr`] for several local names at once, in one pass over the attributes.
pub(crate) fn attrs<'t, const N: usize>(
    tag: &'t BytesStart<'_>,
    locals: [&str; N],
) -> [Option<Cow<'t, str>>; N] {
    let mut found = [const { None }; N];
    let mut attrs = tag.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        let key = attr_local(a.key.into_inner());
        let slot = locals
            .iter()
            .position(|l| *l == key)
            .and_then(|i| found.get_mut(i));
        if let Some(slot @ None) = slot {
            *slot = Some(unescaped(a));
        }
    }
    found
}

/// The local name of an attribute (`w:val` -> `val`; `a:b:val` -> `val`).
fn attr_local(key: &str) -> &str {
    match key.bytes().rposition(|b| b == b':') {
        Some(i) => key.get(i + 1..).unwrap_or_default(),
        None => key,
    }
}

/// An attribute's value with references resolved; as written if they cannot be.
fn unescaped<'t>(a: quick_xml::events::attributes::Attribute<'t>) -> Cow<'t, str> {
    if !a.value.contains('&') {
        return a.value;
    }
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .map(|v| Cow::Owned(v.into_owned()))
        .unwrap_or(a.value)
}

/// A `w:val`-style attribute as a number, if it is one.
pub(crate) fn attr_u32(tag: &BytesStart<'_>, local: &str) -> Option<u32> {
    attr(tag, local).and_then(|v| v.trim().parse::<u32>().ok())
}

/// Decodes a part to UTF-8: UTF-16 parts (with a byte-order mark) are transcoded, a UTF-8 BOM
/// is left for the parser to drop.
pub(crate) fn to_utf8(bytes: Vec<u8>) -> Vec<u8> {
    crate::read::utf16_xml_to_utf8(&bytes).unwrap_or(bytes)
}

#[cfg(test)]
mod tests {
    use super::{local, Ev, Scanner};
    use crate::read::ReadError;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// The events of a part, one line each, and how the read ended.
    fn events(xml: &str, max_depth: usize) -> (Vec<String>, Result<(), ReadError>) {
        let mut sc = Scanner::new(xml.as_bytes(), "p.xml", max_depth);
        let mut out = Vec::new();
        loop {
            match sc.next() {
                Ok(Ev::Eof) => return (out, Ok(())),
                Ok(Ev::Start { ns, tag, empty }) => out.push(format!(
                    "{} {} {ns:?}",
                    if empty { "empty" } else { "start" },
                    local(tag.name().into_inner())
                )),
                Ok(Ev::End { ns, tag }) => {
                    out.push(format!("end {} {ns:?}", local(tag.name().into_inner())))
                }
                Ok(Ev::Text(t)) => out.push(format!("text {t}")),
                Ok(Ev::Char(c)) => out.push(format!("char {c}")),
                Ok(Ev::UnknownRef(r)) => out.push(format!("ref {r}")),
                Err(e) => return (out, Err(e)),
            }
        }
    }

    #[test]
    fn elements_resolve_by_namespace_not_prefix() {
        let strict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
        let xml = format!(
            r#"<x:doc xmlns:x="{W}"><x:p/><s:p xmlns:s="{strict}"/><w:p/><o:p/><r xmlns:x="urn:other"><x:p/><x:q xmlns:x="{W}"/><x:p/></r><x:p/></x:doc>"#
        );
        let (evs, end) = events(&xml, 8);
        assert!(end.is_ok());
        assert_eq!(
            evs,
            [
                "start doc W",
                "empty p W",
                // Strict reads as transitional.
                "empty p W",
                // An undeclared `w:` is read as WordprocessingML; another undeclared prefix not.
                "empty p W",
                "empty p Other",
                "start r Other",
                "empty p Other",
                // An empty element's declaration is its own.
                "empty q W",
                "empty p Other",
                "end r Other",
                "empty p W",
                "end doc W",
            ]
        );
    }

    #[test]
    fn references_resolve_and_unknown_entities_stay_literal() {
        let (evs, end) = events(
            "<a>x &amp; &#65;&#x42;<![CDATA[<c>]]><!--n--><?p?>&lol;</a>",
            8,
        );
        assert!(end.is_ok());
        assert_eq!(
            evs,
            [
                "start a Other",
                "text x ",
                "char &",
                "text  ",
                "char A",
                "char B",
                "text <c>",
                "ref lol",
                "end a Other",
            ]
        );
    }

    #[test]
    fn the_depth_limit_and_the_dtd_refusal_hold_in_skipped_content() {
        let deep = "<a><b><c><d></d></c></b></a>";
        let (_, end) = events(deep, 3);
        assert!(matches!(end, Err(ReadError::Limit { what, .. }) if what.contains("p.xml")));
        let (_, end) = events("<a><b><c><d/></c></b></a>", 3);
        assert!(matches!(end, Err(ReadError::Limit { .. })));

        let skipped = |xml: &str, max_depth| {
            let mut sc = Scanner::new(xml.as_bytes(), "p.xml", max_depth);
            assert!(matches!(sc.next(), Ok(Ev::Start { .. })));
            let skip = sc.skip();
            skip.and_then(|()| sc.next().map(|ev| format!("{ev:?}")))
        };
        assert!(matches!(skipped(deep, 3), Err(ReadError::Limit { .. })));
        assert_eq!(skipped(deep, 4).ok().as_deref(), Some("Eof"));
        assert!(matches!(
            skipped("<a><b><!DOCTYPE x></b></a>", 8),
            Err(ReadError::Dtd { part }) if part == "p.xml"
        ));
        assert!(matches!(
            skipped("<a><b></c></a>", 8),
            Err(ReadError::Xml { position: 6, .. })
        ));
    }

    #[test]
    fn malformed_parts_are_errors_with_the_part_and_the_position() {
        let xml_error = |xml: &str| match events(xml, 8).1 {
            Err(ReadError::Xml {
                part,
                position,
                message,
            }) => format!("{part} {position}: {message}"),
            other => format!("{other:?}"),
        };
        assert_eq!(
            xml_error("<a><b></c></a>"),
            "p.xml 6: ill-formed document: expected `</b>`, but `</c>` was found"
        );
        assert_eq!(
            xml_error("<a></a></a>"),
            "p.xml 7: ill-formed document: close tag `</a>` does not match any open tag"
        );
        assert_eq!(
            xml_error("<a><b>text"),
            "p.xml 10: the part ends before its elements are closed"
        );
        assert!(matches!(
            events("<!DOCTYPE x><a/>", 8).1,
            Err(ReadError::Dtd { .. })
        ));
        let (_, end) = events(&format!("<w:p xmlns:w=\"{W}\">\u{e9}</w:p>"), 8);
        assert!(end.is_ok());
    }

    #[test]
    fn attributes_are_found_by_local_name_and_unescaped() {
        let tag = quick_xml::events::BytesStart::from_content(
            r#"w:x w:val=" 12 " other:fill='a&amp;b' bad"#,
            3,
        );
        assert_eq!(super::attr(&tag, "val").as_deref(), Some(" 12 "));
        assert_eq!(super::attr_u32(&tag, "val"), Some(12));
        assert_eq!(super::attr(&tag, "fill").as_deref(), Some("a&b"));
        assert_eq!(super::attr(&tag, "missing"), None);
    }
}
