//! Pretty JSON written straight into a byte buffer, for the largest outputs (`sources.json`,
//! `profile.json`): a [`Value`] and the merge's sources in, the bytes `serde_json`'s pretty
//! printer gives for them out (two-space indent, `": "` after keys, the same string escapes),
//! without going through serde's serializer machinery.
//!
//! It must give exactly what `serde_json::to_string_pretty` gives: the tests compare the two
//! on random values. It decides nothing about what is written; the report does.

use crate::map::MatchKind;
use crate::merge::{FieldSources, ItemSources, Origin, Sourced};
use serde_json::Value;

/// Enough spaces for eight levels of indent in one copy; deeper levels take several.
const SPACES: &[u8] = b"                ";

/// A comma, a line break and the indent of up to fifteen levels.
const NEXT_LINE: &[u8] = b",\n                              ";

fn indent(out: &mut Vec<u8>, depth: usize) {
    let mut n = depth.saturating_mul(2);
    while n > 0 {
        let k = n.min(SPACES.len());
        out.extend_from_slice(SPACES.get(..k).unwrap_or_default());
        n -= k;
    }
}

/// Whether JSON needs `b` escaped: a control character, a quote or a backslash.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Whether any of eight bytes needs escaping (a word at a time: bytes below 0x20, quotes and
/// backslashes found with the usual has-zero-byte tests).
fn word_needs_escape(bytes: [u8; 8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = u64::from_le_bytes(bytes);
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    below_space | has_zero(x ^ (ONES * u64::from(b'"'))) | has_zero(x ^ (ONES * u64::from(b'\\')))
        != 0
}

/// Whether any byte of `bytes` needs escaping, eight at a time.
fn any_needs_escape(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        if word_needs_escape(word) {
            return true;
        }
    }
    let rest = chunks.remainder();
    // The last few bytes, padded with spaces (which need no escape).
    let mut word = [b' '; 8];
    if let Some(head) = word.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    word_needs_escape(word)
}

/// A JSON string, quoted and escaped as `serde_json` escapes it: `\"`, `\\`, `\b`, `\t`, `\n`,
/// `\f`, `\r`, other control characters as `\u00xx`; everything else as is.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    if any_needs_escape(bytes) {
        escaped(out, bytes);
    } else {
        out.extend_from_slice(bytes);
    }
    out.push(b'"');
}

/// The bytes of a string that has something to escape.
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        let short = match b {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            b'\t' => Some(b't'),
            b'\n' => Some(b'n'),
            0x0C => Some(b'f'),
            b'\r' => Some(b'r'),
            _ => None,
        };
        match short {
            Some(c) => out.extend_from_slice(&[b'\\', c]),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0x0F)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// Writes the members of an object or array: each on its own line at `depth + 1`, separated by
/// commas, the closing bracket on its own line at `depth`; `[]` or `{}` when there are none.
struct Members<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    any: bool,
    close: u8,
}

impl<'a> Members<'a> {
    fn open(out: &'a mut Vec<u8>, depth: usize, open: u8, close: u8) -> Members<'a> {
        out.push(open);
        Members {
            out,
            depth,
            any: false,
            close,
        }
    }

    /// Starts the next member; gives the buffer and the member's depth.
    fn next(&mut self) -> (&mut Vec<u8>, usize) {
        let depth = self.depth + 1;
        // The comma (after the first member), the line break and the indent in one copy.
        let from = if self.any { 0 } else { 1 };
        match NEXT_LINE.get(from..2 + 2 * depth) {
            Some(line) => self.out.extend_from_slice(line),
            None => {
                self.out
                    .extend_from_slice(NEXT_LINE.get(from..2).unwrap_or_default());
                indent(self.out, depth);
            }
        }
        self.any = true;
        (self.out, depth)
    }

    /// Starts the next member of an object: its key and `": "`.
    fn key(&mut self, key: &str) -> (&mut Vec<u8>, usize) {
        let (out, depth) = self.next();
        string(out, key);
        out.extend_from_slice(b": ");
        (out, depth)
    }

    /// [`Members::key`] for a key known to need no escape, given quoted with its `": "`.
    fn raw_key(&mut self, quoted: &[u8]) -> (&mut Vec<u8>, usize) {
        let (out, depth) = self.next();
        out.extend_from_slice(quoted);
        (out, depth)
    }

    fn close(self) {
        if self.any {
            self.out.push(b'\n');
            indent(self.out, self.depth);
        }
        self.out.push(self.close);
    }
}

/// A JSON value at `depth`.
pub(super) fn value(out: &mut Vec<u8>, v: &Value, depth: usize) {
    match v {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => {
            if serde_json::to_writer(&mut *out, n).is_err() {
                out.extend_from_slice(b"null");
            }
        }
        Value::String(s) => string(out, s),
        Value::Array(a) => {
            let mut m = Members::open(out, depth, b'[', b']');
            for x in a {
                let (out, d) = m.next();
                value(out, x, d);
            }
            m.close();
        }
        Value::Object(o) => {
            let mut m = Members::open(out, depth, b'{', b'}');
            for (k, x) in o {
                let (out, d) = m.key(k);
                value(out, x, d);
            }
            m.close();
        }
    }
}

/// How a rule matched, as serde names it (`"exact"`; the tests compare the two).
fn how(out: &mut Vec<u8>, how: MatchKind) {
    out.extend_from_slice(match how {
        MatchKind::Exact => b"\"exact\"",
        MatchKind::Synonym => b"\"synonym\"",
        MatchKind::Pattern => b"\"pattern\"",
        MatchKind::Classified => b"\"classified\"",
        MatchKind::Derived => b"\"derived\"",
    });
}

fn sourced(out: &mut Vec<u8>, s: &Sourced, depth: usize) {
    let mut m = Members::open(out, depth, b'{', b'}');
    let (out, d) = m.raw_key(b"\"value\": ");
    value(out, &s.value, d);
    let (out, _) = m.raw_key(b"\"from\": ");
    out.extend_from_slice(match s.from {
        Origin::Base => b"\"base\"",
        Origin::Document => b"\"document\"",
    });
    for (key, text) in [
        (&b"\"file\": "[..], &s.file),
        (b"\"locator\": ", &s.locator),
        (b"\"rule\": ", &s.rule),
    ] {
        if let Some(t) = text {
            let (out, _) = m.raw_key(key);
            string(out, t);
        }
    }
    if let Some(h) = s.how {
        let (out, _) = m.raw_key(b"\"how\": ");
        how(out, h);
    }
    if let Some(t) = &s.unused {
        let (out, _) = m.raw_key(b"\"unused\": ");
        string(out, t);
    }
    m.close();
}

fn sourced_list(out: &mut Vec<u8>, list: &[Sourced], depth: usize) {
    let mut m = Members::open(out, depth, b'[', b']');
    for s in list {
        let (out, d) = m.next();
        sourced(out, s, d);
    }
    m.close();
}

fn item_sources(out: &mut Vec<u8>, item: &ItemSources, depth: usize) {
    let mut m = Members::open(out, depth, b'{', b'}');
    let (out, d) = m.raw_key(b"\"value\": ");
    value(out, &item.value, d);
    let (out, d) = m.raw_key(b"\"sources\": ");
    sourced_list(out, &item.sources, d);
    m.close();
}

fn field_sources(out: &mut Vec<u8>, fs: &FieldSources, depth: usize) {
    let mut m = Members::open(out, depth, b'{', b'}');
    if let Some(c) = &fs.chosen {
        let (out, d) = m.raw_key(b"\"chosen\": ");
        sourced(out, c, d);
    }
    if !fs.items.is_empty() {
        let (out, d) = m.raw_key(b"\"items\": ");
        let mut items = Members::open(out, d, b'[', b']');
        for item in &fs.items {
            let (out, d) = items.next();
            item_sources(out, item, d);
        }
        items.close();
    }
    if !fs.alternatives.is_empty() {
        let (out, d) = m.raw_key(b"\"alternatives\": ");
        sourced_list(out, &fs.alternatives, d);
    }
    m.close();
}

/// `sources.json`: one object keyed by field pointer (what
/// [`crate::merge::Merged::sources_serialized`] gives through serde).
pub(super) fn sources(out: &mut Vec<u8>, sources: &[FieldSources]) {
    let mut m = Members::open(out, 0, b'{', b'}');
    for fs in sources {
        let (out, d) = m.key(&fs.field);
        field_sources(out, fs, d);
    }
    m.close();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::SourcesJson;
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// Texts with what JSON escapes: quotes, backslashes, every control character, and
    /// non-ASCII text, at lengths around the eight-byte steps of the escape scan.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z \"\\\\/]{0,20}",
            vec(0u8..0x80, 0..24).prop_map(|b| String::from_utf8(b).unwrap_or_default()),
            any::<String>(),
            "\\PC{0,30}",
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..5).prop_map(Value::Array),
                vec((text(), inner), 0..5).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    fn sourced() -> impl Strategy<Value = Sourced> {
        let how = prop_oneof![
            Just(MatchKind::Exact),
            Just(MatchKind::Synonym),
            Just(MatchKind::Pattern),
            Just(MatchKind::Classified),
            Just(MatchKind::Derived),
        ];
        (
            json_value(),
            any::<bool>(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(how),
            proptest::option::of(text()),
        )
            .prop_map(|(value, base, file, locator, rule, how, unused)| Sourced {
                value,
                from: if base { Origin::Base } else { Origin::Document },
                file,
                locator,
                rule,
                how,
                unused,
            })
    }

    fn field_sources() -> impl Strategy<Value = FieldSources> {
        (
            text(),
            proptest::option::of(sourced()),
            vec(
                (json_value(), vec(sourced(), 0..3))
                    .prop_map(|(value, sources)| ItemSources { value, sources }),
                0..3,
            ),
            vec(sourced(), 0..3),
        )
            .prop_map(|(field, chosen, items, alternatives)| FieldSources {
                field,
                chosen,
                items,
                alternatives,
            })
    }

    fn written(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn values_are_written_as_serde_json_writes_them(v in json_value()) {
            prop_assert_eq!(
                written(|out| value(out, &v, 0)),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }

        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(s in text()) {
            prop_assert_eq!(written(|out| string(out, &s)), serde_json::to_string(&s).unwrap());
        }

        #[test]
        fn sources_are_written_as_serde_json_writes_them(list in vec(field_sources(), 0..4)) {
            prop_assert_eq!(
                written(|out| sources(out, &list)),
                serde_json::to_string_pretty(&SourcesJson(&list)).unwrap()
            );
        }
    }

    #[test]
    fn every_control_character_is_escaped_as_serde_json_escapes_it() {
        for b in 0u8..0x80 {
            let s = format!("ab{}cdefghij{}", char::from(b), char::from(b));
            assert_eq!(
                written(|out| string(out, &s)),
                serde_json::to_string(&s).unwrap(),
                "{b:#x}"
            );
        }
        // Deeper than the one-copy indents go.
        let mut deep = serde_json::json!({"a": [1.5, -2, null, true, "x", {}, []]});
        for depth in 0..24 {
            deep = serde_json::json!([deep, {"depth": depth}]);
            assert_eq!(
                written(|out| value(out, &deep, 0)),
                serde_json::to_string_pretty(&deep).unwrap()
            );
        }
    }
}
