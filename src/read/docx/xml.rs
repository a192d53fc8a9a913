//! A thin streaming layer over `quick_xml::Reader` for the parts of a Word package: resolves
//! element prefixes to the few namespaces the DOCX reader cares about (transitional and Strict
//! WordprocessingML read the same, whatever the prefix), enforces the nesting limit, refuses
//! DTDs, and turns parser errors into [`ReadError`]s that name the part and the byte position.
//!
//! Takes the inflated bytes of one part; gives events that borrow from them. Builds no DOM and
//! allocates nothing per event: namespace bindings are only looked for on elements whose
//! attributes mention `xmlns`. Entity references are never expanded beyond the five predefined
//! ones and character references; an unknown `&name;` is kept as literal text.
//!
//! In a part that is valid UTF-8 (checked once, whole), the usual tags and plain text are cut
//! from the bytes without the parser; references, comments, CDATA, processing instructions and
//! anything irregular go through it. End-tag names are checked here, against a stack of the
//! open elements, for both: the parser's own check is off, and the errors are the ones it gave.

use crate::read::ReadError;
use quick_xml::errors::IllFormedError;
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
    match name.as_bytes().iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

struct Binding {
    prefix: String,
    ns: Ns,
    depth: usize,
}

/// A streaming reader of one XML part.
pub(crate) struct Scanner<'a> {
    reader: Reader<&'a [u8]>,
    part: &'a str,
    depth: usize,
    max_depth: usize,
    bindings: Vec<Binding>,
    /// The last prefix resolved (`hot[..hot_len]`, 0 for none) and its namespace.
    hot: [u8; 8],
    hot_len: u8,
    hot_ns: Ns,
    /// The namespace of each open element, so an end tag needs no lookup.
    open: Vec<Ns>,
    input: &'a [u8],
    /// The whole part as text, when it is valid UTF-8: the byte scans then cut their text from
    /// it without checking each piece again. `None` sends every element through the parser.
    text: Option<&'a str>,
    xmlns: memchr::memmem::Finder<'static>,
    /// Offset of the next `xmlns` in the input at or after the end of the last tag checked.
    next_xmlns: usize,
    /// Bytes jumped over by [`Scanner::skip_raw`], which the parser's own offset does not count.
    skipped: u64,
    /// Names of the elements open inside a subtree being skipped, as byte ranges.
    names: Vec<(usize, usize)>,
    /// Text spans of a plain run, as byte ranges.
    spans: Vec<(usize, usize)>,
    /// Properties found by [`Scanner::para_props`]: which wanted name, and its value's byte
    /// range (`None` for no value).
    props: Vec<(usize, Option<(usize, usize)>)>,
    /// The names of the open elements, one after the other, and where each starts: end tags
    /// are checked against them here (the parser's own check is off, since the byte scans
    /// open and close elements it never sees).
    open_names: String,
    name_starts: Vec<usize>,
    /// Whether the parser's input starts where markup or text may begin (after a tag or a
    /// reference, not after text it has read), so the next event may be cut from the bytes.
    fast: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner over `bytes`, the inflated part `part`.
    pub(crate) fn new(bytes: &'a [u8], part: &'a str, max_depth: usize) -> Scanner<'a> {
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        // End tags are checked by the scanner, which sees every element open.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.check_comments = false;
        config.expand_empty_elements = false;
        Scanner {
            reader,
            part,
            depth: 0,
            max_depth,
            bindings: Vec::new(),
            hot: [0; 8],
            hot_len: 0,
            hot_ns: Ns::Other,
            open: Vec::new(),
            input: bytes,
            text: std::str::from_utf8(bytes).ok(),
            next_xmlns: 0,
            xmlns: memchr::memmem::Finder::new(b"xmlns"),
            skipped: 0,
            names: Vec::new(),
            spans: Vec::new(),
            props: Vec::new(),
            open_names: String::new(),
            name_starts: Vec::new(),
            fast: false,
        }
    }

    /// Remembers the name of an element just opened.
    #[inline(always)]
    fn open_name(&mut self, name: &str) {
        self.name_starts.push(self.open_names.len());
        self.open_names.push_str(name);
    }

    /// Checks an end tag's name (`found`) against the element it closes, as the parser would:
    /// `tag_len` is the length of the end tag just read, for the error's position (its `<`).
    #[inline(always)]
    fn close_name(&mut self, found: &str, tag_len: usize) -> Result<(), ReadError> {
        let error = match self.name_starts.pop() {
            Some(start) => {
                let expected = self.open_names.get(start..).unwrap_or_default();
                if eq_short(expected.as_bytes(), found.as_bytes()) {
                    self.open_names.truncate(start);
                    return Ok(());
                }
                let expected = expected.to_string();
                self.open_names.truncate(start);
                IllFormedError::MismatchedEndTag {
                    expected,
                    found: found.to_string(),
                }
            }
            None => IllFormedError::UnmatchedEndTag(found.to_string()),
        };
        Err(ReadError::Xml {
            part: self.part.to_string(),
            position: self.position().saturating_sub(tag_len as u64),
            message: quick_xml::Error::IllFormed(error).to_string(),
        })
    }

    /// [`Scanner::close_name`] for an end tag the parser just read.
    #[inline(always)]
    fn close_parsed(&mut self, tag: &BytesEnd<'_>) -> Result<(), ReadError> {
        let name = tag.name().into_inner();
        // The parser's input now starts just past the tag's `>`; its name starts after `</`.
        let end = self.reader.get_ref().as_ptr() as usize;
        let tag_len = end.saturating_sub(name.as_ptr() as usize).saturating_add(2);
        self.close_name(name, tag_len)
    }

    /// Offset in the part just past the last event read.
    fn position(&self) -> u64 {
        self.reader.buffer_position() + self.skipped
    }

    /// The current element depth (the root element is depth 1 while it is open).
    pub(crate) fn depth(&self) -> usize {
        self.depth
    }

    fn xml_error(&self, err: &quick_xml::Error) -> ReadError {
        ReadError::Xml {
            part: self.part.to_string(),
            position: self.reader.error_position() + self.skipped,
            message: err.to_string(),
        }
    }

    fn depth_error(&self) -> ReadError {
        depth_limit(self.part, self.max_depth)
    }

    /// The namespace of a qualified name. The last prefix resolved is kept inline, so the
    /// usual `w:` costs two byte comparisons.
    #[inline(always)]
    fn resolve(&mut self, qname: &str) -> Ns {
        let b = qname.as_bytes();
        let n = usize::from(self.hot_len);
        if n > 0
            && b.get(n) == Some(&b':')
            && eq_short(
                b.get(..n).unwrap_or_default(),
                self.hot.get(..n).unwrap_or_default(),
            )
        {
            return self.hot_ns;
        }
        self.resolve_slow(qname)
    }

    #[inline(never)]
    fn resolve_slow(&mut self, qname: &str) -> Ns {
        let prefix = match qname.as_bytes().iter().position(|&b| b == b':') {
            Some(i) => &qname[..i],
            None => "",
        };
        let ns = match self
            .bindings
            .iter()
            .rposition(|b| eq_short(b.prefix.as_bytes(), prefix.as_bytes()))
        {
            Some(i) => self.bindings.get(i).map_or(Ns::Other, |b| b.ns),
            // An undeclared `w:` prefix (some generators forget the declaration): read it as
            // WordprocessingML rather than drop the document's text.
            None if prefix == "w" => Ns::W,
            None => Ns::Other,
        };
        if (1..=self.hot.len()).contains(&prefix.len()) {
            self.hot[..prefix.len()].copy_from_slice(prefix.as_bytes());
            self.hot_len = prefix.len() as u8;
            self.hot_ns = ns;
        }
        ns
    }

    /// Whether the tag just read may declare a namespace. One SIMD search over the whole part,
    /// in pieces, replaces a look at every tag's attributes: only a tag with `xmlns` at or
    /// before its end (and after the last tag checked) is parsed for declarations.
    #[inline(always)]
    fn may_declare(&mut self) -> bool {
        let end = usize::try_from(self.position()).unwrap_or(usize::MAX);
        if self.next_xmlns >= end {
            return false;
        }
        self.next_xmlns = self
            .input
            .get(end..)
            .and_then(|rest| self.xmlns.find(rest))
            .map_or(usize::MAX, |i| i + end);
        true
    }

    #[inline(always)]
    fn push_bindings(&mut self, tag: &BytesStart<'_>, depth: usize) {
        if self.may_declare() {
            self.push_declared(tag, depth);
        }
    }

    #[inline(never)]
    fn push_declared(&mut self, tag: &BytesStart<'_>, depth: usize) {
        if !declares_namespace(tag.attributes_raw().as_bytes()) {
            return;
        }
        let mut attrs = tag.attributes();
        attrs.with_checks(false);
        for attr in attrs.flatten() {
            let key = attr.key.into_inner();
            let prefix = if key == "xmlns" {
                ""
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            self.bindings.push(Binding {
                prefix: prefix.to_string(),
                ns: classify(attr.value.trim()),
                depth,
            });
            self.hot_len = 0;
        }
    }

    fn pop_bindings(&mut self, depth: usize) {
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.bindings.pop();
            self.hot_len = 0;
        }
    }

    /// The next event.
    #[inline(always)]
    pub(crate) fn next(&mut self) -> Result<Ev<'a>, ReadError> {
        if self.fast {
            if let Some(ev) = self.next_cut()? {
                return Ok(ev);
            }
        }
        loop {
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            // After text the parser has moved on to what follows it; after anything else its
            // input starts where the next event does.
            self.fast = !matches!(event, Event::Text(_));
            return Ok(match event {
                Event::Start(tag) => {
                    if self.depth >= self.max_depth {
                        return Err(self.depth_error());
                    }
                    self.depth += 1;
                    self.push_bindings(&tag, self.depth);
                    let ns = self.resolve(tag.name().into_inner());
                    self.open.push(ns);
                    self.open_name(tag.name().into_inner());
                    Ev::Start {
                        ns,
                        tag,
                        empty: false,
                    }
                }
                Event::Empty(tag) => {
                    if self.depth >= self.max_depth {
                        return Err(self.depth_error());
                    }
                    let depth = self.depth + 1;
                    self.push_bindings(&tag, depth);
                    let ns = self.resolve(tag.name().into_inner());
                    if self.bindings.last().is_some_and(|b| b.depth >= depth) {
                        self.pop_bindings(depth);
                    }
                    Ev::Start {
                        ns,
                        tag,
                        empty: true,
                    }
                }
                Event::End(tag) => {
                    self.close_parsed(&tag)?;
                    let ns = self.open.pop().unwrap_or(Ns::Other);
                    if self.bindings.last().is_some_and(|b| b.depth >= self.depth) {
                        self.pop_bindings(self.depth);
                    }
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End { ns, tag }
                }
                Event::Text(t) => Ev::Text(t.into_inner()),
                Event::CData(t) => Ev::Text(t.into_inner()),
                Event::GeneralRef(r) => {
                    if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            Ok(Some(c)) => Ev::Char(c),
                            Ok(None) => continue,
                            Err(e) => return Err(self.xml_error(&e)),
                        }
                    } else {
                        match predefined(&r) {
                            Some(c) => Ev::Char(c),
                            None => Ev::UnknownRef(r.into_inner()),
                        }
                    }
                }
                Event::DocType(_) => {
                    return Err(ReadError::Dtd {
                        part: self.part.to_string(),
                    })
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(ReadError::Xml {
                            part: self.part.to_string(),
                            position: self.position(),
                            message: "the part ends before its elements are closed".into(),
                        });
                    }
                    Ev::Eof
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => continue,
            });
        }
    }

    /// The next event cut from the bytes, when it is a start, empty or end tag of the usual
    /// form or text without references, in a part that is valid UTF-8; `None` (nothing
    /// consumed) for anything else, which the parser then reads. What is cut is what the parser
    /// would give: the same tag content and name, the same text, the same checks of nesting and
    /// end-tag names.
    #[inline(always)]
    fn next_cut(&mut self) -> Result<Option<Ev<'a>>, ReadError> {
        let rest: &'a [u8] = self.reader.get_ref();
        let Some(&first) = rest.first() else {
            return Ok(None);
        };
        if first != b'<' {
            // Text up to the next tag; a reference (or the end of the part) is left to the
            // parser.
            let Some(len) = find_markup(rest) else {
                return Ok(None);
            };
            let Some(text) = self.text_at(rest, len) else {
                return Ok(None);
            };
            self.consume(rest, len);
            return Ok(Some(Ev::Text(Cow::Borrowed(text))));
        }
        match rest.get(1) {
            Some(b'/') => {
                if let Some((name, len)) = self.expected_end(rest) {
                    self.consume(rest, len);
                    self.pop_name();
                    let ns = self.leave();
                    return Ok(Some(Ev::End {
                        ns,
                        tag: BytesEnd::new(Cow::Borrowed(name)),
                    }));
                }
                let Some((name, len)) = self.end_tag(rest) else {
                    return Ok(None);
                };
                self.consume(rest, len);
                self.close_name(name, len)?;
                let ns = self.leave();
                Ok(Some(Ev::End {
                    ns,
                    tag: BytesEnd::new(Cow::Borrowed(name)),
                }))
            }
            Some(&c) if is_name_byte(c) => {
                // `<name attributes>` or `<name attributes/>`: the tag ends at the first `>`
                // outside quoted values, as the parser reads it.
                let mut j = 1;
                while rest.get(j).is_some_and(|&c| is_name_byte(c)) {
                    j += 1;
                }
                let name_end = j;
                let gt = loop {
                    let Some(k) = rest.get(j..).and_then(find_tag_end).map(|k| k + j) else {
                        return Ok(None);
                    };
                    let Some(&c) = rest.get(k) else {
                        return Ok(None);
                    };
                    if c == b'>' {
                        break k;
                    }
                    let Some(q) = rest.get(k + 1..).and_then(|r| find_byte(c, r)) else {
                        return Ok(None);
                    };
                    j = k + 1 + q + 1;
                };
                let empty = rest.get(gt - 1) == Some(&b'/');
                let content_end = if empty { gt - 1 } else { gt };
                // The name ends at a space or at the end of the content, as the parser has it.
                if name_end != content_end && !rest.get(name_end).is_some_and(|&c| is_space(c)) {
                    return Ok(None);
                }
                let Some(all) = self.text_at(rest, gt + 1) else {
                    return Ok(None);
                };
                let Some(content) = all.get(1..content_end) else {
                    return Ok(None);
                };
                if self.depth >= self.max_depth {
                    return Err(self.depth_error());
                }
                self.consume(rest, gt + 1);
                let tag = BytesStart::from_content(Cow::Borrowed(content), name_end - 1);
                let depth = self.depth + 1;
                self.push_bindings(&tag, depth);
                let name = content.get(..name_end - 1).unwrap_or_default();
                let ns = self.resolve(name);
                if empty {
                    if self.bindings.last().is_some_and(|b| b.depth >= depth) {
                        self.pop_bindings(depth);
                    }
                } else {
                    self.depth = depth;
                    self.open.push(ns);
                    self.open_name(name);
                }
                Ok(Some(Ev::Start { ns, tag, empty }))
            }
            _ => Ok(None),
        }
    }

    /// The end tag at the start of `rest` (the parser's input) in its usual form, `</name>`
    /// maybe with spaces before the `>`: its name and length. `None` for anything else
    /// (attributes, a quote, no `>`, bytes not UTF-8), which the parser then reads.
    #[inline(always)]
    fn end_tag(&self, rest: &'a [u8]) -> Option<(&'a str, usize)> {
        if rest.get(..2)? != b"</" {
            return None;
        }
        let gt = 2 + find_byte(b'>', rest.get(2..)?)?;
        let raw = rest.get(2..gt)?;
        let name_len = raw.iter().rposition(|&c| !is_space(c)).map_or(0, |i| i + 1);
        let name = raw.get(..name_len)?;
        if name.is_empty() || name.iter().any(|&c| !is_name_byte(c)) {
            return None;
        }
        let all = self.text_at(rest, gt + 1)?;
        Some((all.get(2..2 + name_len)?, gt + 1))
    }

    /// The end tag at the start of `rest` when it closes the innermost open element exactly as
    /// named (`</name>`, maybe with spaces before the `>`): its name and length, without the
    /// general scan of [`Scanner::end_tag`] and the name check of [`Scanner::close_name`], which
    /// it would pass. `None` for anything else, which those then read.
    #[inline(always)]
    fn expected_end(&self, rest: &'a [u8]) -> Option<(&'a str, usize)> {
        let (name_len, len) = self.expected_end_len(rest)?;
        let name = self.text_at(rest, 2 + name_len)?.get(2..)?;
        Some((name, len))
    }

    /// [`Scanner::expected_end`] without the name: its length and the end tag's. Its bytes are
    /// those of the remembered name, so they need no check as text.
    #[inline(always)]
    fn expected_end_len(&self, rest: &[u8]) -> Option<(usize, usize)> {
        let start = *self.name_starts.last()?;
        let expected = self.open_names.get(start..)?;
        let len = end_tag_at(rest, 0, expected.as_bytes())?;
        Some((expected.len(), len))
    }

    /// Forgets the name of the innermost open element, once its end tag has matched it.
    #[inline(always)]
    fn pop_name(&mut self) {
        if let Some(start) = self.name_starts.pop() {
            self.open_names.truncate(start);
        }
    }

    /// Leaves the element just closed: its namespace, its bindings, one level of depth.
    #[inline(always)]
    fn leave(&mut self) -> Ns {
        let ns = self.open.pop().unwrap_or(Ns::Other);
        if self.bindings.last().is_some_and(|b| b.depth >= self.depth) {
            self.pop_bindings(self.depth);
        }
        self.depth = self.depth.saturating_sub(1);
        ns
    }

    /// Reads the end tag that closes the element whose content was just jumped over (the
    /// parser's input starts at it): cut from the bytes when usual, else through the parser.
    fn close_skipped(&mut self) -> Result<(), ReadError> {
        let rest: &'a [u8] = self.reader.get_ref();
        if let Some((_, len)) = self.expected_end_len(rest) {
            self.consume(rest, len);
            self.pop_name();
            self.leave();
            return Ok(());
        }
        if let Some((name, len)) = self.end_tag(rest) {
            self.consume(rest, len);
            self.close_name(name, len)?;
            self.leave();
            return Ok(());
        }
        match self.reader.read_event() {
            Ok(Event::End(tag)) => {
                self.close_parsed(&tag)?;
                self.leave();
                Ok(())
            }
            Ok(_) => Err(ReadError::Xml {
                part: self.part.to_string(),
                position: self.position(),
                message: "an end tag was expected here".into(),
            }),
            Err(e) => Err(self.xml_error(&e)),
        }
    }

    /// Moves the parser's input `len` bytes on from `rest` (its current input).
    #[inline(always)]
    fn consume(&mut self, rest: &'a [u8], len: usize) {
        *self.reader.get_mut() = rest.get(len..).unwrap_or_default();
        self.skipped += len as u64;
    }

    /// Skips the content of the element just opened (a non-empty [`Ev::Start`]) up to and
    /// including its end tag, without resolving names. Still enforces the depth limit and
    /// refuses a DTD.
    pub(crate) fn skip(&mut self) -> Result<(), ReadError> {
        if self.skip_raw(&[])? {
            return Ok(());
        }
        self.skip_events()
    }

    /// Skips the content of the element just opened, as [`Scanner::skip`], unless it holds an
    /// element whose local name is one of `needles`: then nothing is consumed and `false` is
    /// returned, so the caller
    /// reads the element event by event. Also `false` for content the byte scan does not
    /// vouch for (a DTD, a mismatched or missing end tag, the depth limit, bytes that are not
    /// UTF-8): the event reader then meets it and reports it as it always has.
    ///
    /// The scan looks at the bytes between the tags without making events: one `memchr` per
    /// tag, one UTF-8 check for the whole stretch. Well-formed content is skipped exactly as
    /// the event reader would skip it.
    pub(crate) fn skip_raw(&mut self, needles: &[&[u8]]) -> Result<bool, ReadError> {
        let rest: &'a [u8] = self.reader.get_ref();
        let room = self.max_depth.saturating_sub(self.depth);
        let Some(end) = content_extent(rest, &mut self.names, room, needles) else {
            return Ok(false);
        };
        if self.text_at(rest, end).is_none() {
            return Ok(false);
        }
        let Some(tail) = rest.get(end..) else {
            return Ok(false);
        };
        *self.reader.get_mut() = tail;
        self.skipped += end as u64;
        // The end tag itself is checked against the start tag.
        self.close_skipped()?;
        Ok(true)
    }

    /// The first `len` bytes of `rest` (the parser's remaining input, a tail of the part) as
    /// text, cut from the part checked once as a whole; `None` if the part is not UTF-8 or the
    /// cut does not fall on character boundaries.
    fn text_at(&self, rest: &[u8], len: usize) -> Option<&'a str> {
        let text = self.text?;
        // Where `rest` starts within the part (the parser may have dropped a byte-order mark).
        let offset = (rest.as_ptr() as usize).checked_sub(self.input.as_ptr() as usize)?;
        if offset.checked_add(rest.len())? != self.input.len() {
            return None;
        }
        text.get(offset..offset.checked_add(len)?)
    }

    /// Reads a paragraph's properties in one go. Called just after the non-empty start tag of
    /// an element whose qualified name starts with `prefix` (`w:pPr`): when everything in it is
    /// an element named `prefix` + a local name (no comment, CDATA, processing instruction,
    /// entity or namespace declaration), gives `found` each element named `prefix` +
    /// `wanted[i]` (at any depth, but not inside another element, except a `numPr`) with `i` and
    /// its `val` attribute as [`attr`] reads it, in document order; skips every other element
    /// with its content; consumes the whole element with its end tag and returns true. A wanted
    /// element must be empty, and `numPr` may not nest. Otherwise consumes nothing and returns
    /// false, and the caller reads the element as before. What `found` gets is what the event
    /// reader would meet: the same elements in the same order, the rest skipped as
    /// [`Scanner::skip`] skips it.
    pub(crate) fn para_props(
        &mut self,
        prefix: &[u8],
        wanted: &[&[u8]],
        mut found: impl FnMut(usize, Option<&str>),
    ) -> Result<bool, ReadError> {
        let rest: &'a [u8] = self.reader.get_ref();
        if self.depth + 3 >= self.max_depth {
            return Ok(false);
        }
        // A skipped child sits one level below, or two inside `numPr`.
        let room = self.max_depth - self.depth;
        // The part was checked as UTF-8 once, whole: attribute values are cut from it.
        let Some(rest_text) = self.text_at(rest, rest.len()) else {
            return Ok(false);
        };
        let Some(end) = props_extent(
            rest_text,
            prefix,
            wanted,
            &mut self.names,
            &mut self.props,
            room,
        ) else {
            return Ok(false);
        };
        let Some(content) = self.scanned_text(rest, end) else {
            return Ok(false);
        };
        for &(i, value) in &self.props {
            match value {
                Some((s, e)) => match content.get(s..e) {
                    Some(v) => found(i, Some(v)),
                    None => return Ok(false),
                },
                None => found(i, None),
            }
        }
        self.take_scanned(rest, end)
    }

    /// Reads a plain run in one go. Called just after the non-empty start tag of a run whose
    /// qualified name is `prefix` + `r`: when the run holds nothing but run properties (with no
    /// element named in `stop` inside) and text elements (`prefix` + `t`) of plain text (no
    /// entity, CDATA, comment or namespace declaration), gives each text element's non-empty
    /// content to `text` in order, consumes the run with its end tag and returns true.
    /// Otherwise consumes nothing and returns false, and the caller reads the run event by
    /// event. The common run of a Word document costs one scan instead of five events.
    pub(crate) fn plain_run(
        &mut self,
        prefix: &[u8],
        stop: &[&[u8]],
        mut text: impl FnMut(&str),
    ) -> Result<bool, ReadError> {
        let rest: &'a [u8] = self.reader.get_ref();
        if self.depth + 3 >= self.max_depth {
            return Ok(false);
        }
        let room = self.max_depth - self.depth - 2;
        let Some(end) = run_extent(rest, prefix, stop, &mut self.names, &mut self.spans, room)
        else {
            return Ok(false);
        };
        let Some(content) = self.scanned_text(rest, end) else {
            return Ok(false);
        };
        for &(s, e) in &self.spans {
            if let Some(t) = content.get(s..e) {
                text(t);
            }
        }
        self.take_scanned(rest, end)
    }

    /// The text of the first `end` bytes of `rest` (the unread rest of the part), an element
    /// a one-pass read ([`Scanner::plain_run`], [`Scanner::para_props`]) has measured: `None`
    /// when a namespace declaration lies inside it (the next `xmlns` of the part is not beyond
    /// it) or the part's text is not at hand, and the caller reads the element event by event.
    fn scanned_text(&self, rest: &[u8], end: usize) -> Option<&'a str> {
        let here = usize::try_from(self.position()).unwrap_or(usize::MAX);
        if self.next_xmlns < here.saturating_add(end) {
            return None;
        }
        self.text_at(rest, end)
    }

    /// Consumes the first `end` bytes of `rest`, an element read in one pass, and checks its
    /// end tag against its start tag as the event reader would. False (nothing consumed) only
    /// if `end` lies past `rest`.
    fn take_scanned(&mut self, rest: &'a [u8], end: usize) -> Result<bool, ReadError> {
        let Some(tail) = rest.get(end..) else {
            return Ok(false);
        };
        *self.reader.get_mut() = tail;
        self.skipped += end as u64;
        self.close_skipped()?;
        Ok(true)
    }

    fn skip_events(&mut self) -> Result<(), ReadError> {
        let target = self.depth;
        loop {
            let event = match self.reader.read_event() {
                Ok(e) => e,
                Err(e) => return Err(self.xml_error(&e)),
            };
            self.fast = !matches!(event, Event::Text(_));
            match event {
                Event::Start(tag) => {
                    if self.depth >= self.max_depth {
                        return Err(self.depth_error());
                    }
                    self.depth += 1;
                    self.open_name(tag.name().into_inner());
                }
                Event::End(tag) => {
                    self.close_parsed(&tag)?;
                    if self.depth == target {
                        self.open.pop();
                        self.pop_bindings(self.depth);
                        self.depth -= 1;
                        return Ok(());
                    }
                    self.depth -= 1;
                }
                Event::DocType(_) => {
                    return Err(ReadError::Dtd {
                        part: self.part.to_string(),
                    })
                }
                Event::Eof => {
                    return Err(ReadError::Xml {
                        part: self.part.to_string(),
                        position: self.position(),
                        message: "the part ends before its elements are closed".into(),
                    })
                }
                _ => {}
            }
        }
    }
}

/// The length of an element's content: `rest` starts just after the element's start tag, and
/// the result is the offset of its end tag (`</`). `None` when the content is anything but
/// elements, text, comments, CDATA and processing instructions nested properly within `room`
/// levels (the caller then reads it with the event parser, which says what is wrong), and when
/// an element inside has a local name among `stop`.
fn content_extent(
    rest: &[u8],
    names: &mut Vec<(usize, usize)>,
    room: usize,
    stop: &[&[u8]],
) -> Option<usize> {
    names.clear();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = 0;
    loop {
        let lt = i + find_byte(b'<', rest.get(i..)?)?;
        match rest.get(lt + 1)? {
            b'/' => {
                let name_start = lt + 2;
                let gt = name_start + find_byte(b'>', rest.get(name_start..)?)?;
                let mut name_end = gt;
                while name_end > name_start && is_space(*rest.get(name_end - 1)?) {
                    name_end -= 1;
                }
                let name = rest.get(name_start..name_end)?;
                match names.pop() {
                    None => return Some(lt),
                    Some((s, e)) if rest.get(s..e)? == name => i = gt + 1,
                    Some(_) => return None,
                }
            }
            b'!' => {
                let after = rest.get(lt..)?;
                let close: &[u8] = if after.starts_with(b"<!--") {
                    b"-->"
                } else if after.starts_with(b"<![CDATA[") {
                    b"]]>"
                } else {
                    return None;
                };
                i = lt + 4 + memchr::memmem::find(rest.get(lt + 4..)?, close)? + close.len();
            }
            b'?' => i = lt + 2 + memchr::memmem::find(rest.get(lt + 2..)?, b"?>")? + 2,
            _ => {
                let name_start = lt + 1;
                let mut j = name_start;
                while rest.get(j).is_some_and(|&c| !is_name_stop(c)) {
                    j += 1;
                }
                if j == name_start {
                    return None;
                }
                let name_end = j;
                let name = rest.get(name_start..name_end)?;
                let name_local = match name.iter().rposition(|&c| c == b':') {
                    Some(c) => name.get(c + 1..)?,
                    None => name,
                };
                if stop.iter().any(|n| eq_short(n, name_local)) {
                    return None;
                }
                // The tag's end: the first `>` outside quoted attribute values.
                let gt = loop {
                    let k = j + find_tag_end(rest.get(j..)?)?;
                    let c = *rest.get(k)?;
                    if c == b'>' {
                        break k;
                    }
                    j = k + 1 + find_byte(c, rest.get(k + 1..)?)? + 1;
                };
                if rest.get(gt - 1) != Some(&b'/') {
                    if names.len() + 1 >= room {
                        return None;
                    }
                    names.push((name_start, name_end));
                }
                i = gt + 1;
            }
        }
    }
}

/// Whether `name` is `prefix` followed by `local`.
#[inline]
fn is_named(name: &[u8], prefix: &[u8], local: &[u8]) -> bool {
    name.len() == prefix.len() + local.len()
        && name
            .get(..prefix.len())
            .is_some_and(|p| eq_short(p, prefix))
        && name.get(prefix.len()..).is_some_and(|l| eq_short(l, local))
}

/// Where the end tag of the element whose name is `name` sits at `rest[at..]`: the offset just
/// past its `>`, if `rest[at..]` starts with exactly that end tag.
#[inline]
fn end_tag_at(rest: &[u8], at: usize, name: &[u8]) -> Option<usize> {
    let n = at + 2 + name.len();
    if rest.get(at..at + 2)? != b"</" || !eq_short(rest.get(at + 2..n)?, name) {
        return None;
    }
    let mut k = n;
    while matches!(rest.get(k)?, b' ' | b'\t' | b'\n' | b'\r') {
        k += 1;
    }
    (*rest.get(k)? == b'>').then_some(k + 1)
}

/// The content of a plain run (see [`Scanner::plain_run`]): the offset of the run's end tag in
/// `rest`, with the text elements' contents left in `spans`; `None` for anything else.
fn run_extent(
    rest: &[u8],
    prefix: &[u8],
    stop: &[&[u8]],
    names: &mut Vec<(usize, usize)>,
    spans: &mut Vec<(usize, usize)>,
    room: usize,
) -> Option<usize> {
    spans.clear();
    let mut i = 0;
    loop {
        let lt = i + find_markup(rest.get(i..)?)?;
        match rest.get(lt + 1)? {
            // The run's own end tag: the parser checks its name.
            b'/' => return Some(lt),
            b'!' | b'?' => return None,
            _ => {}
        }
        let name_start = lt + 1;
        let mut j = name_start;
        while rest.get(j).is_some_and(|&c| !is_name_stop(c)) {
            j += 1;
        }
        let name = rest.get(name_start..j)?;
        let gt = loop {
            let k = j + find_tag_end(rest.get(j..)?)?;
            let c = *rest.get(k)?;
            if c == b'>' {
                break k;
            }
            j = k + 1 + find_byte(c, rest.get(k + 1..)?)? + 1;
        };
        let empty = rest.get(gt - 1) == Some(&b'/');
        if empty {
            if !(is_named(name, prefix, b"t") || is_named(name, prefix, b"rPr")) {
                return None;
            }
            i = gt + 1;
        } else if is_named(name, prefix, b"t") {
            let start = gt + 1;
            // Text runs long: straight to the vector search.
            let hay = rest.get(start..)?;
            let close =
                start + memchr::memchr2(b'<', b'&', hay).filter(|&k| hay.get(k) == Some(&b'<'))?;
            i = end_tag_at(rest, close, name)?;
            if close > start {
                spans.push((start, close));
            }
        } else if is_named(name, prefix, b"rPr") {
            let start = gt + 1;
            let close = start + content_extent(rest.get(start..)?, names, room, stop)?;
            i = end_tag_at(rest, close, name)?;
        } else {
            return None;
        }
    }
}

/// The content of an element's properties (see [`Scanner::para_props`]): the offset of its
/// end tag in `rest`, with the wanted elements and their value ranges left in `props`; `None`
/// for anything the event reader should read.
fn props_extent(
    rest_text: &str,
    prefix: &[u8],
    wanted: &[&[u8]],
    names: &mut Vec<(usize, usize)>,
    props: &mut Vec<(usize, Option<(usize, usize)>)>,
    room: usize,
) -> Option<usize> {
    props.clear();
    let rest = rest_text.as_bytes();
    // The open `numPr`, by its name's range, if any.
    let mut num_pr: Option<(usize, usize)> = None;
    let mut i = 0;
    loop {
        let lt = i + find_markup(rest.get(i..)?)?;
        match rest.get(lt + 1)? {
            b'/' => match num_pr.take() {
                // The element's own end tag: the caller checks its name.
                None => return Some(lt),
                Some((s, e)) => {
                    i = end_tag_at(rest, lt, rest.get(s..e)?)?;
                    continue;
                }
            },
            b'!' | b'?' => return None,
            _ => {}
        }
        let name_start = lt + 1;
        let mut j = name_start;
        // One pass: the name's end, whether every byte may stand in a name, the last `:`.
        let mut odd = false;
        let mut after_colon = name_start;
        while let Some(&c) = rest.get(j) {
            if is_name_stop(c) {
                break;
            }
            odd |= !is_name_byte(c);
            j += 1;
            if c == b':' {
                after_colon = j;
            }
        }
        let name_end = j;
        let name = rest.get(name_start..name_end)?;
        // A name of the properties' own prefix, with no other `:` in its local part.
        if odd || after_colon != name_start + prefix.len() || !name.starts_with(prefix) {
            return None;
        }
        let local = rest.get(after_colon..name_end)?;
        if local.is_empty() {
            return None;
        }
        let gt = loop {
            let k = j + find_tag_end(rest.get(j..)?)?;
            let c = *rest.get(k)?;
            if c == b'>' {
                break k;
            }
            j = k + 1 + find_byte(c, rest.get(k + 1..)?)? + 1;
        };
        let empty = rest.get(gt - 1) == Some(&b'/');
        let content_end = if empty { gt - 1 } else { gt };
        // The name ends at a space or at the end of the content, as the parser has it.
        if name_end != content_end && !rest.get(name_end).is_some_and(|&c| is_space(c)) {
            return None;
        }
        if let Some(w) = wanted.iter().position(|w| eq_short(w, local)) {
            if !empty {
                return None;
            }
            let raw = rest_text.get(name_end..content_end)?;
            let value = match scan_attr(raw, "val") {
                Scan::Found(v) if !v.contains('&') => {
                    // `v` lies within `raw`, which starts at `name_end`.
                    let s = name_end + (v.as_ptr() as usize - raw.as_ptr() as usize);
                    Some((s, s + v.len()))
                }
                Scan::Absent => None,
                Scan::Found(_) | Scan::Irregular => return None,
            };
            props.push((w, value));
            i = gt + 1;
        } else if empty {
            i = gt + 1;
        } else if local == b"numPr" && num_pr.is_none() {
            num_pr = Some((name_start, name_end));
            i = gt + 1;
        } else if local == b"numPr" {
            return None;
        } else {
            // Any other element is skipped whole, as the event reader skips it.
            let depth = if num_pr.is_some() { 2 } else { 1 };
            let start = gt + 1;
            let close =
                start + content_extent(rest.get(start..)?, names, room.checked_sub(depth)?, &[])?;
            i = end_tag_at(rest, close, name)?;
        }
    }
}

/// The first `needle` in `hay`. Markup distances are short, so the first bytes are looked at
/// one by one before a `memchr` call pays for its setup.
#[inline(always)]
fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(32);
    match hay.get(..head)?.iter().position(|&c| c == needle) {
        Some(i) => Some(i),
        None => memchr::memchr(needle, hay.get(head..)?).map(|i| i + head),
    }
}

/// The first `<` in `hay`, as [`find_byte`] looks; `None` when a `&` (an entity, which the
/// event parser resolves) comes first.
#[inline]
fn find_markup(hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(32);
    let hit = |c: &u8| matches!(c, b'<' | b'&');
    let i = match hay.get(..head)?.iter().position(hit) {
        Some(i) => i,
        None => memchr::memchr2(b'<', b'&', hay.get(head..)?)? + head,
    };
    (*hay.get(i)? == b'<').then_some(i)
}

/// The first `>`, `"` or `'` in `hay`, as [`find_byte`] looks.
#[inline]
fn find_tag_end(hay: &[u8]) -> Option<usize> {
    let head = hay.len().min(32);
    let hit = |&c: &u8| class(c) & TAG_END != 0;
    match hay.get(..head)?.iter().position(hit) {
        Some(i) => Some(i),
        None => memchr::memchr3(b'>', b'"', b'\'', hay.get(head..)?).map(|i| i + head),
    }
}

/// Whether a tag's attribute text declares a namespace: an attribute name starting `xmlns`
/// right after whitespace. Looks for `x` eight bytes at a time, so the attributes of ordinary
/// tags cost a few instructions.
#[inline]
fn declares_namespace(raw: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const X: u64 = LO * b'x' as u64;
    let mut start = 0;
    let mut chunks = raw.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let t = u64::from_le_bytes(word) ^ X;
        if t.wrapping_sub(LO) & !t & HI != 0 && xmlns_at(raw, start, start + 8) {
            return true;
        }
        start += 8;
    }
    xmlns_at(raw, start, raw.len())
}

/// Whether an `xmlns` attribute name starts in `raw[from..to]`.
fn xmlns_at(raw: &[u8], from: usize, to: usize) -> bool {
    (from..to).any(|i| {
        raw.get(i) == Some(&b'x')
            && raw.get(i..i + 5) == Some(&b"xmlns"[..])
            && i.checked_sub(1)
                .and_then(|p| raw.get(p))
                .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    })
}

#[inline(always)]
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

/// Byte classes for the scans, one table lookup instead of a chain of comparisons per byte.
/// [`NAME`]: may stand in a tag name as the byte scans read one (not space, markup, a quote or
/// an entity). [`TAG_END`]: `>` or a quote. [`NAME_STOP`]: ends a name in the subtree scans
/// (space, `>`, `/`).
const CLASS: [u8; 256] = {
    let mut t = [NAME; 256];
    let not_name: &[u8] = b" \t\n\r<>/\"'&=!?";
    let mut i = 0;
    while i < not_name.len() {
        t[not_name[i] as usize] &= !NAME;
        i += 1;
    }
    let tag_end: &[u8] = b">\"'";
    let mut i = 0;
    while i < tag_end.len() {
        t[tag_end[i] as usize] |= TAG_END;
        i += 1;
    }
    let stop: &[u8] = b" \t\n\r>/";
    let mut i = 0;
    while i < stop.len() {
        t[stop[i] as usize] |= NAME_STOP;
        i += 1;
    }
    t
};
const NAME: u8 = 1;
const TAG_END: u8 = 2;
const NAME_STOP: u8 = 4;

/// The class bits of a byte (see [`CLASS`]); a `u8` always indexes the 256-entry table.
#[inline(always)]
fn class(c: u8) -> u8 {
    CLASS[usize::from(c)]
}

/// A byte that may stand in a tag name as the byte scans read one: not space, markup, a quote
/// or an entity.
#[inline(always)]
fn is_name_byte(c: u8) -> bool {
    class(c) & NAME != 0
}

/// A byte that ends a name in the subtree scans: a space, `>` or `/`.
#[inline(always)]
fn is_name_stop(c: u8) -> bool {
    class(c) & NAME_STOP != 0
}

/// Byte equality for short names, without a `memcmp` call.
#[inline]
fn eq_short(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// The error for XML nested deeper than the limit.
pub(crate) fn depth_limit(part: &str, max: usize) -> ReadError {
    ReadError::Limit {
        what: format!("the XML nesting depth of {part}"),
        limit: format!("{max} levels"),
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

/// The value of the attribute with local name `local`, whatever its prefix. Predefined entities
/// are resolved; a value that cannot be unescaped is returned as written.
pub(crate) fn attr<'t>(tag: &'t BytesStart<'_>, local: &str) -> Option<Cow<'t, str>> {
    match scan_attr(tag.attributes_raw(), local) {
        Scan::Found(v) if !v.contains('&') => Some(Cow::Borrowed(v)),
        Scan::Absent => None,
        // Escapes and anything irregular go the long way, which reads them as it always did.
        Scan::Found(_) | Scan::Irregular => attr_slow(tag, local),
    }
}

enum Scan<'t> {
    Found(&'t str),
    Absent,
    Irregular,
}

/// Finds an attribute by local name in a tag's raw attribute text (`w:val="1" w:x='2'`) with
/// one pass over the bytes; gives up (`Irregular`) on anything but `name = "value"` pairs.
#[inline]
fn scan_attr<'t>(raw: &'t str, local: &str) -> Scan<'t> {
    let mut at = 0;
    loop {
        match next_attr(raw, &mut at) {
            Step::Pair(name, value) if eq_short(name.as_bytes(), local.as_bytes()) => {
                return Scan::Found(value)
            }
            Step::Pair(..) => {}
            Step::End => return Scan::Absent,
            Step::Irregular => return Scan::Irregular,
        }
    }
}

/// One step through a tag's raw attribute text.
enum Step<'t> {
    /// An attribute: its local name (prefix dropped) and its raw value.
    Pair(&'t str, &'t str),
    /// No attribute left.
    End,
    /// Anything but `name = "value"` pairs: leave the tag to quick-xml.
    Irregular,
}

/// The attribute of `raw` that starts at or after byte `at`, moving `at` past it.
#[inline]
fn next_attr<'t>(raw: &'t str, at: &mut usize) -> Step<'t> {
    let b = raw.as_bytes();
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = *at;
    while b.get(i).is_some_and(|&c| ws(c)) {
        i += 1;
    }
    if i >= b.len() {
        return Step::End;
    }
    // The local name starts after the name's last `:`, as `rsplit_once(':')` has it.
    let mut local_start = i;
    while let Some(&c) = b.get(i) {
        if c == b'=' || ws(c) {
            break;
        }
        i += 1;
        if c == b':' {
            local_start = i;
        }
    }
    let name_end = i;
    while b.get(i).is_some_and(|&c| ws(c)) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return Step::Irregular;
    }
    i += 1;
    while b.get(i).is_some_and(|&c| ws(c)) {
        i += 1;
    }
    let Some(&quote) = b.get(i).filter(|&&q| q == b'"' || q == b'\'') else {
        return Step::Irregular;
    };
    let value_start = i + 1;
    let Some(len) = b.get(value_start..).and_then(|rest| find_byte(quote, rest)) else {
        return Step::Irregular;
    };
    let value_end = value_start + len;
    *at = value_end + 1;
    // Every index sits next to an ASCII byte, so these are char boundaries.
    let (Some(local), Some(value)) = (
        raw.get(local_start..name_end),
        raw.get(value_start..value_end),
    ) else {
        return Step::Irregular;
    };
    Step::Pair(local, value)
}

/// [`attr`] for several local names at once, with one pass over the attributes when they are
/// all plain `name="value"` pairs without escapes; otherwise [`attr`] for each name.
pub(crate) fn attrs<'t, const N: usize>(
    tag: &'t BytesStart<'_>,
    locals: [&str; N],
) -> [Option<Cow<'t, str>>; N] {
    let raw = tag.attributes_raw();
    let mut found: [Option<&'t str>; N] = [None; N];
    if scan_attrs(raw, &locals, &mut found) && found.iter().flatten().all(|v| !v.contains('&')) {
        return found.map(|v| v.map(Cow::Borrowed));
    }
    locals.map(|l| attr(tag, l))
}

/// Fills `found[i]` with the value of the first attribute whose local name is `locals[i]`, in
/// one pass over a tag's raw attribute text; false (and `found` not to be used) on anything but
/// `name = "value"` pairs, as [`scan_attr`] gives up.
fn scan_attrs<'t>(raw: &'t str, locals: &[&str], found: &mut [Option<&'t str>]) -> bool {
    let mut at = 0;
    loop {
        match next_attr(raw, &mut at) {
            Step::Pair(name, value) => {
                for (want, slot) in locals.iter().zip(found.iter_mut()) {
                    if slot.is_none() && eq_short(name.as_bytes(), want.as_bytes()) {
                        *slot = Some(value);
                    }
                }
            }
            Step::End => return true,
            Step::Irregular => return false,
        }
    }
}

/// [`attr`] through quick-xml's attribute parser.
fn attr_slow<'t>(tag: &'t BytesStart<'_>, local: &str) -> Option<Cow<'t, str>> {
    let mut attrs = tag.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        let key = a.key.into_inner();
        let key_local = key.rsplit_once(':').map_or(key, |(_, l)| l);
        if key_local == local {
            if !a.value.contains('&') {
                return Some(a.value);
            }
            return Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map(|v| Cow::Owned(v.into_owned()))
                    .unwrap_or(a.value),
            );
        }
    }
    None
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
    use super::{
        attr, attr_slow, content_extent, declares_namespace, local, next_attr, Ev, Ns, Scanner,
        Step,
    };
    use crate::read::ReadError;
    use quick_xml::events::{BytesStart, Event};

    /// The events of a part as the scanner gives them, and how it ends.
    fn scanned(xml: &[u8]) -> (Vec<String>, String) {
        let mut sc = Scanner::new(xml, "p.xml", 8);
        let mut out = Vec::new();
        loop {
            match sc.next() {
                Ok(Ev::Eof) => return (out, "eof".into()),
                Ok(Ev::Start { tag, empty, .. }) => out.push(format!(
                    "{} {:?} {:?}",
                    if empty { "empty" } else { "start" },
                    tag.name().into_inner(),
                    tag.attributes_raw()
                )),
                Ok(Ev::End { tag, .. }) => out.push(format!("end {:?}", tag.name().into_inner())),
                Ok(Ev::Text(t)) => out.push(format!("text {t:?}")),
                Ok(Ev::Char(c)) => out.push(format!("text {:?}", c.to_string())),
                Ok(Ev::UnknownRef(r)) => out.push(format!("ref {r:?}")),
                Err(ReadError::Xml {
                    position, message, ..
                }) => return (out, format!("error at {position}: {message}")),
                Err(e) => return (out, format!("{e}")),
            }
        }
    }

    /// The same through quick-xml alone, checking end names itself.
    fn parsed(xml: &[u8]) -> (Vec<String>, String) {
        let mut r = quick_xml::Reader::from_reader(xml);
        r.config_mut().check_end_names = true;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            match r.read_event() {
                Ok(Event::Eof) if depth > 0 => return (out, "unclosed".into()),
                Ok(Event::Eof) => return (out, "eof".into()),
                Ok(Event::Start(t)) => {
                    depth += 1;
                    if depth > 8 {
                        return (out, "deep".into());
                    }
                    out.push(format!(
                        "start {:?} {:?}",
                        t.name().into_inner(),
                        t.attributes_raw()
                    ))
                }
                Ok(Event::Empty(_)) if depth >= 8 => return (out, "deep".into()),
                Ok(Event::Empty(t)) => out.push(format!(
                    "empty {:?} {:?}",
                    t.name().into_inner(),
                    t.attributes_raw()
                )),
                Ok(Event::End(t)) => {
                    depth = depth.saturating_sub(1);
                    out.push(format!("end {:?}", t.name().into_inner()))
                }
                Ok(Event::Text(t)) => out.push(format!("text {:?}", t.into_inner())),
                Ok(Event::CData(t)) => out.push(format!("text {:?}", t.into_inner())),
                Ok(Event::GeneralRef(g)) => match &*g {
                    "amp" => out.push("text \"&\"".into()),
                    "lt" => out.push("text \"<\"".into()),
                    "gt" => out.push("text \">\"".into()),
                    "quot" => out.push("text \"\\\"\"".into()),
                    "apos" => out.push("text \"'\"".into()),
                    _ => match g.resolve_char_ref() {
                        Ok(Some(c)) => out.push(format!("text {:?}", c.to_string())),
                        _ => out.push(format!("ref {:?}", g.into_inner())),
                    },
                },
                Ok(Event::DocType(_)) => return (out, "dtd".into()),
                Ok(_) => {}
                Err(e) => return (out, format!("error at {}: {e}", r.error_position())),
            }
        }
    }

    #[test]
    fn skipped_and_plain_content_checks_its_end_tag_as_the_parser_does() {
        let error = |r: Result<bool, ReadError>| match r {
            Err(ReadError::Xml {
                position, message, ..
            }) => format!("error at {position}: {message}"),
            other => format!("{other:?}"),
        };
        let xml = b"<w:r><w:rPr><w:b/></w:rPrX></w:r>";
        let mut sc = Scanner::new(xml, "p.xml", 8);
        sc.next().unwrap();
        sc.next().unwrap();
        assert_eq!(error(sc.skip_raw(&[])), parsed(xml).1);

        let xml = b"<w:p><w:r><w:t>x</w:t></w:rr></w:p>";
        let mut sc = Scanner::new(xml, "p.xml", 8);
        sc.next().unwrap();
        sc.next().unwrap();
        assert_eq!(error(sc.plain_run(b"w:", &[], |_| {})), parsed(xml).1);

        let xml = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>";
        let mut sc = Scanner::new(xml, "p.xml", 8);
        sc.next().unwrap();
        sc.next().unwrap();
        let mut text = String::new();
        assert!(sc.plain_run(b"w:", &[], |t| text.push_str(t)).unwrap());
        assert_eq!(text, "x");
        assert!(matches!(sc.next(), Ok(Ev::End { .. })));
        assert!(matches!(sc.next(), Ok(Ev::Eof)));

        // Inside skipped content the events go through the parser, checked the same way.
        let xml = b"<w:sectPr><a><b></a></b></w:sectPr>";
        let mut sc = Scanner::new(xml, "p.xml", 8);
        sc.next().unwrap();
        let got = match sc.skip() {
            Err(ReadError::Xml {
                position, message, ..
            }) => format!("error at {position}: {message}"),
            other => format!("{other:?}"),
        };
        assert_eq!(got, parsed(xml).1);
    }

    #[test]
    fn cut_events_read_as_the_parser_reads_them() {
        let cases: &[&[u8]] = &[
            b"<?xml version=\"1.0\"?><w:p a=\"1\"><w:r><w:t>Hi there</w:t></w:r></w:p>",
            b"\xEF\xBB\xBF<a><b x='>' y=\"/>\">t</b><c/><d /></a>",
            b"<a>one &amp; two &#65;&unknown; three</a>",
            b"<a><!-- c --><![CDATA[<x>]]><?pi x?>z</a>",
            b"<a>\n  <b\tk=\"v\"\n/>\n</a >",
            b"<a><b></c></a>",
            b"<a><b>text</B></a>",
            b"<a></a></a>",
            b"</a>",
            b"<a><b/ ></a>",
            b"<a><b attr></b></a>",
            b"<a></ a></a>",
            b"<a><b></b x></a>",
            b"<a>\xFF<b/></a>",
            b"<a><b>caf\xC3\xA9</b></a>",
            b"<a><b>",
            b"<a><b",
            b"<a>text",
            b"<a><b><c><d><e><f><g><h><i/></h></g></f></e></d></c></b></a>",
            b"<a><!DOCTYPE x></a>",
            b"<a><x:b xmlns:x=\"u\"><x:c/></x:b></a>",
        ];
        for xml in cases {
            let (events, end) = scanned(xml);
            let (want_events, want_end) = parsed(xml);
            let text = String::from_utf8_lossy(xml);
            assert_eq!(events, want_events, "{text}");
            let same_end = end == want_end
                || (want_end == "unclosed" && end.contains("before its elements are closed"))
                || (want_end == "deep" && end.contains("nesting depth"))
                || (want_end == "dtd" && end.contains("DTD"));
            assert!(same_end, "{text}: {end} / {want_end}");
        }
    }

    proptest::proptest! {
        /// Random sequences of tags, near-miss end tags and text read as the parser reads them.
        #[test]
        fn cut_events_read_as_the_parser_reads_random_markup(
            tokens in proptest::collection::vec(proptest::sample::select(vec![
                "<a>", "<b>", "<ab>", "<w:a>", "</a>", "</b>", "</ab>", "</w:a>", "</a >",
                "</a\n>", "</ a>", "</a x>", "</A>", "<a/>", "<b x=\"1\">", "t", " ", "\u{e9}",
                "&amp;", "<!--c-->",
            ]), 0..14)
        ) {
            let xml: String = tokens.concat();
            let (events, end) = scanned(xml.as_bytes());
            let (want_events, want_end) = parsed(xml.as_bytes());
            proptest::prop_assert_eq!(&events, &want_events, "{}", xml);
            let same_end = end == want_end
                || (want_end == "unclosed" && end.contains("before its elements are closed"))
                || (want_end == "deep" && end.contains("nesting depth"));
            proptest::prop_assert!(same_end, "{}: {} / {}", xml, end, want_end);
        }
    }

    const WANTED: [&[u8]; 4] = [b"pStyle", b"numId", b"ilvl", b"outlineLvl"];

    /// What follows in a scanner, as [`scanned`] lists it.
    fn rest_of(sc: &mut Scanner<'_>) -> (Vec<String>, String) {
        let mut out = Vec::new();
        loop {
            match sc.next() {
                Ok(Ev::Eof) => return (out, "eof".into()),
                Ok(Ev::Start { tag, empty, .. }) => out.push(format!(
                    "{} {:?}",
                    if empty { "empty" } else { "start" },
                    tag.name().into_inner()
                )),
                Ok(Ev::End { tag, .. }) => out.push(format!("end {:?}", tag.name().into_inner())),
                Ok(Ev::Text(t)) => out.push(format!("text {t:?}")),
                Ok(_) => out.push("other".into()),
                Err(e) => return (out, format!("{e:?}")),
            }
        }
    }

    type Props = Vec<(usize, Option<String>)>;

    /// The properties of the element just opened read event by event, as the body reader reads
    /// them when `para_props` declines: wanted elements recorded, `numPr` and elements of
    /// other namespaces read through, other elements skipped.
    fn props_by_events(sc: &mut Scanner<'_>) -> Result<Props, String> {
        let mut out = Vec::new();
        let top = sc.depth();
        loop {
            match sc.next().map_err(|e| format!("{e:?}"))? {
                Ev::Start { ns, tag, empty } => {
                    if ns != Ns::W {
                        continue;
                    }
                    let name = local(tag.name().into_inner());
                    if let Some(i) = WANTED.iter().position(|w| *w == name.as_bytes()) {
                        out.push((i, attr(&tag, "val").map(|v| v.into_owned())));
                    } else if name != "numPr" && !empty {
                        sc.skip().map_err(|e| format!("{e:?}"))?;
                    }
                }
                Ev::End { .. } if sc.depth() + 1 == top => return Ok(out),
                Ev::Eof => return Err("eof".into()),
                _ => {}
            }
        }
    }

    /// `xml` read past `<w:p><w:pPr>` both ways: what `para_props` found (None when it
    /// declined) and what the events give, each with what follows.
    #[allow(clippy::type_complexity)]
    fn props_both(
        xml: &[u8],
    ) -> (
        Result<Option<Props>, String>,
        (Vec<String>, String),
        Result<Props, String>,
        (Vec<String>, String),
    ) {
        let mut sc = Scanner::new(xml, "p.xml", 8);
        sc.next().unwrap();
        sc.next().unwrap();
        let mut found = Vec::new();
        let fast = match sc.para_props(b"w:", &WANTED, |i, v| {
            found.push((i, v.map(str::to_string)))
        }) {
            Ok(true) => Ok(Some(found)),
            Ok(false) => {
                assert!(found.is_empty());
                Ok(None)
            }
            Err(e) => Err(format!("{e:?}")),
        };
        let fast_rest = match &fast {
            Ok(None) => {
                // Declined: nothing consumed, so the events still read it all.
                let by_events = props_by_events(&mut sc);
                let rest = rest_of(&mut sc);
                let mut again = Scanner::new(xml, "p.xml", 8);
                again.next().unwrap();
                again.next().unwrap();
                assert_eq!(by_events, props_by_events(&mut again));
                assert_eq!(rest, rest_of(&mut again));
                rest
            }
            _ => rest_of(&mut sc),
        };
        let mut sc = Scanner::new(xml, "p.xml", 8);
        sc.next().unwrap();
        sc.next().unwrap();
        let slow = props_by_events(&mut sc);
        let slow_rest = rest_of(&mut sc);
        (fast, fast_rest, slow, slow_rest)
    }

    fn assert_props_agree(content: &str) -> bool {
        let xml = format!("<w:p><w:pPr>{content}</w:pPr><w:t>x</w:t></w:p>");
        let (fast, fast_rest, slow, slow_rest) = props_both(xml.as_bytes());
        match fast {
            Ok(Some(found)) => {
                assert_eq!(Ok(found), slow, "{xml}");
                assert_eq!(fast_rest, slow_rest, "{xml}");
                true
            }
            Ok(None) => false,
            Err(e) => {
                assert_eq!(Err(e), slow, "{xml}");
                true
            }
        }
    }

    #[test]
    fn paragraph_properties_read_in_one_scan_as_by_events() {
        for (content, taken) in [
            ("", true),
            ("<w:rPr/>", true),
            ("<w:pStyle w:val=\"Heading1\"/><w:rPr><w:b/></w:rPr>", true),
            (
                "<w:numPr><w:ilvl w:val=\" 2 \"/><w:numId w:val=\"7\" /></w:numPr>",
                true,
            ),
            (
                "<w:outlineLvl w:val='12'/><w:pStyle/><w:numId w:val=\"x\"/>",
                true,
            ),
            (
                "<w:pPrChange><w:pPr><w:pStyle w:val=\"Old\"/></w:pPr></w:pPrChange>",
                true,
            ),
            ("<w:ind w:left=\"1\" />\n  <w:jc w:val=\"left\"/>", true),
            ("<w:numPr><w:numPr/></w:numPr>", true),
            ("<w:numPr></w:numPrX>", false),
            ("<w:pStyle w:val=\"a&amp;b\"/>", false),
            ("<w:pStyle w:val=\"B\"></w:pStyle>", false),
            ("<w14:x/>", false),
            ("<!--c--><w:pStyle w:val=\"C\"/>", false),
            ("<w:numPr><w:numPr>", false),
            ("t&amp;", false),
            ("<w:rPr></w:rPrX>", false),
        ] {
            assert_eq!(assert_props_agree(content), taken, "{content}");
        }
        // A mismatched end tag of the properties themselves is the error the events give.
        let xml = b"<w:p><w:pPr><w:rPr/></w:pPrX><w:t>x</w:t></w:p>";
        let (fast, _, slow, _) = props_both(xml);
        assert!(fast.is_err());
        assert_eq!(fast.map(|_| Vec::new()), slow);
    }

    proptest::proptest! {
        /// Random paragraph properties read the same in one scan as event by event.
        #[test]
        fn random_paragraph_properties_read_as_by_events(
            tokens in proptest::collection::vec(proptest::sample::select(vec![
                "<w:rPr/>", "<w:rPr><w:b/></w:rPr>", "<w:pStyle w:val=\"H1\"/>", "<w:pStyle/>",
                "<w:pStyle w:val='A' />", "<w:numPr>", "</w:numPr>", "<w:ilvl w:val=\" 2 \"/>",
                "<w:numId w:val=\"x\"/>", "<w:numId w:val=\"3\"/>", "<w:outlineLvl w:val=\"12\"/>",
                "<w:pStyle w:val=\"a&amp;b\"/>", "<w:jc w:val=\"left\"/>", "<w14:x/>",
                "<w:pPrChange><w:pPr><w:pStyle w:val=\"Old\"/></w:pPr></w:pPrChange>", " ",
                "<!--c-->", "<w:pStyle w:val=\"B\"></w:pStyle>", "</w:x>", "text", "<w:numPr/>",
                "<w:ilvl w:val=\"1\"><w:b/></w:ilvl>", "<w:x><w:y></w:x>",
            ]), 0..10)
        ) {
            assert_props_agree(&tokens.concat());
        }
    }

    #[test]
    fn content_extent_finds_the_end_tag_or_declines() {
        let mut names = Vec::new();
        let mut extent =
            |s: &str, stop: &[&[u8]]| content_extent(s.as_bytes(), &mut names, 10, stop);
        assert_eq!(extent("</w:rPr>", &[]), Some(0));
        assert_eq!(extent("<w:b/><w:sz w:val=\"2\" /></w:rPr>", &[]), Some(24));
        let nested =
            "<a x='>' y=\"/>\"><a>t&amp;</a ></a><!-- </x> --><![CDATA[</y>]]><?p </z>?></w:rPr>";
        assert_eq!(extent(nested, &[]), nested.find("</w:rPr>"));
        assert_eq!(
            extent("<w:highlight w:val=\"yellow\"/></w:rPr>", &[b"highlight"]),
            None
        );
        assert_eq!(extent("<w:b/></w:rPr>", &[b"highlight"]), Some(6));
        // Left to the event parser: a mismatched end, a DTD, no end, too deep, no name.
        assert_eq!(extent("<a></b></w:rPr>", &[]), None);
        assert_eq!(extent("<!DOCTYPE x></w:rPr>", &[]), None);
        assert_eq!(extent("<a>", &[]), None);
        assert_eq!(extent(&"<a>".repeat(12), &[]), None);
        assert_eq!(extent("< a/></w:rPr>", &[]), None);
        assert_eq!(extent("<a b='unclosed></w:rPr>", &[]), None);
    }

    #[test]
    fn the_attribute_scan_reads_like_quick_xml() {
        for raw in [
            r#"w:val="11""#,
            r#" w:val = '3' w:other="x""#,
            r#"w:fill="FFFF00" w:val="clear""#,
            r#"w:x="a&amp;b" w:val="c&lt;d""#,
            r#"val="plain""#,
            r#"w:val=broken"#,
            r#"w:val"#,
            r#"w:val="unclosed"#,
            r#"a:b:val="deep" w:val="w""#,
            "\tw:val=\"tab\"\n",
            "",
        ] {
            let text = format!("x {raw}");
            let tag = BytesStart::from_content(text.as_str(), 1);
            for name in ["val", "fill", "x", "other", "missing"] {
                assert_eq!(attr(&tag, name), attr_slow(&tag, name), "{raw:?} {name}");
            }
            let names = ["val", "fill", "x", "other", "missing"];
            assert_eq!(
                super::attrs(&tag, names),
                names.map(|n| attr(&tag, n)),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn namespace_declarations_are_found_anywhere_in_the_attributes() {
        assert!(declares_namespace(br#" xmlns:w="u""#));
        assert!(declares_namespace(br#" a="1" b="2" c="3"  xmlns="u""#));
        assert!(declares_namespace(b" w14:paraId=\"1\"\n\txmlns:x=\"u\""));
        assert!(!declares_namespace(br#" xml:space="preserve""#));
        assert!(!declares_namespace(br#" w:val="xmlns""#));
        assert!(!declares_namespace(b""));
    }

    proptest::proptest! {
        #[test]
        fn attribute_local_names_are_rsplit_once(name in "[a-zé:]{1,8}", value in "[a-z]{0,3}") {
            let raw = format!(" {name}=\"{value}\"");
            let mut at = 0;
            let want = name.rsplit_once(':').map_or(name.as_str(), |(_, l)| l);
            match next_attr(&raw, &mut at) {
                Step::Pair(local, v) => {
                    proptest::prop_assert_eq!(local, want);
                    proptest::prop_assert_eq!(v, value.as_str());
                }
                _ => proptest::prop_assert!(false, "{} not read", raw),
            }
        }
    }

    #[test]
    fn byte_classes_are_the_comparisons_they_replace() {
        for c in 0..=255u8 {
            let name = !matches!(
                c,
                b' ' | b'\t'
                    | b'\n'
                    | b'\r'
                    | b'<'
                    | b'>'
                    | b'/'
                    | b'"'
                    | b'\''
                    | b'&'
                    | b'='
                    | b'!'
                    | b'?'
            );
            assert_eq!(super::is_name_byte(c), name, "{c}");
            let stop = matches!(c, b' ' | b'\t' | b'\n' | b'\r') || c == b'>' || c == b'/';
            assert_eq!(super::is_name_stop(c), stop, "{c}");
            let hay = [c];
            let tag_end = matches!(c, b'>' | b'"' | b'\'');
            assert_eq!(super::find_tag_end(&hay).is_some(), tag_end, "{c}");
        }
    }
}
