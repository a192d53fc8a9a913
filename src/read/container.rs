//! The zip container of OOXML and ODF files, opened under [`Limits`]: entry count checked before
//! the zip library allocates anything, declared sizes and compression ratios checked before a part
//! is inflated, and actual inflated sizes counted while reading, per part and in total.
//!
//! Takes bytes already in memory (bounded by [`Limits::max_file_size`]); gives part names and
//! part contents. Knows nothing of Word or Excel beyond telling which one a container holds.

use super::{Limits, ReadError};
use std::cell::RefCell;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// What a zip container holds, judged by its part names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A WordprocessingML package (`word/...`).
    Word,
    /// A SpreadsheetML package (`xl/workbook.xml`).
    Excel,
    /// An Excel binary workbook (`xl/workbook.bin`).
    ExcelBinary,
    /// An OpenDocument spreadsheet.
    OdfSpreadsheet,
    /// An OpenDocument text document.
    OdfText,
    /// A PowerPoint presentation.
    PowerPoint,
    /// Some other zip archive.
    Other,
}

impl Kind {
    /// How the kind is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Word => "a Word document",
            Kind::Excel => "an Excel workbook",
            Kind::ExcelBinary => "an Excel binary workbook",
            Kind::OdfSpreadsheet => "an OpenDocument spreadsheet",
            Kind::OdfText => "an OpenDocument text document (.odt)",
            Kind::PowerPoint => "a PowerPoint presentation",
            Kind::Other => "a zip archive that is not an Office document",
        }
    }
}

/// Content types of the main part of a Word document, template, or macro-enabled one.
const WORD_MAIN_TYPES: [&str; 4] = [
    "wordprocessingml.document.main+xml",
    "wordprocessingml.template.main+xml",
    "ms-word.document.macroEnabled.main+xml",
    "ms-word.template.macroEnabledTemplate.main+xml",
];

/// An opened zip container.
pub struct Container<'a> {
    bytes: &'a [u8],
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    limits: Limits,
    inflated: u64,
}

impl std::fmt::Debug for Container<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Container")
            .field("entries", &self.archive.len())
            .field("inflated", &self.inflated)
            .finish()
    }
}

impl<'a> Container<'a> {
    /// Opens a zip archive held in memory. Fails on a damaged archive or too many entries.
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Container<'a>, ReadError> {
        let declared = declared_entries(bytes)?;
        if declared > limits.max_zip_entries as u64 {
            return Err(ReadError::Limit {
                what: format!("the number of zip entries ({declared})"),
                limit: format!("{} entries", limits.max_zip_entries),
            });
        }
        let archive = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ReadError::CorruptZip(e.to_string()))?;
        if archive.len() > limits.max_zip_entries {
            return Err(ReadError::Limit {
                what: format!("the number of zip entries ({})", archive.len()),
                limit: format!("{} entries", limits.max_zip_entries),
            });
        }
        let names = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        Ok(Container {
            bytes,
            archive,
            names,
            limits: limits.clone(),
            inflated: 0,
        })
    }

    /// Every part name, in archive order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Whether a part exists. OOXML part names are case-insensitive; so is this, and a
    /// backslash-separated name (written by some tools) matches its `/` form.
    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    fn find(&self, name: &str) -> Option<String> {
        let wanted = name.trim_start_matches('/');
        if self.archive.index_for_name(wanted).is_some() {
            return Some(wanted.to_string());
        }
        self.names
            .iter()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(wanted))
            .cloned()
    }

    /// What the container holds.
    pub fn kind(&mut self) -> Kind {
        if self.has("word/document.xml") {
            return Kind::Word;
        }
        if self.has("xl/workbook.xml") {
            return Kind::Excel;
        }
        if self.has("xl/workbook.bin") {
            return Kind::ExcelBinary;
        }
        if self.has("ppt/presentation.xml") {
            return Kind::PowerPoint;
        }
        if let Ok(Some(mime)) = self.read("mimetype") {
            let mime = String::from_utf8_lossy(&mime);
            if mime.contains("opendocument.spreadsheet") {
                return Kind::OdfSpreadsheet;
            }
            if mime.contains("opendocument.text") {
                return Kind::OdfText;
            }
        }
        // A package whose main part is not at the usual place: ask the relationships.
        if let Ok(Some(rels)) = self.read("_rels/.rels") {
            let rels = String::from_utf8_lossy(&rels);
            if rels.contains("word/") || rels.contains("wordprocessingml") {
                return Kind::Word;
            }
            if rels.contains("spreadsheetml") {
                return Kind::Excel;
            }
        }
        // Strict OOXML names no `wordprocessingml` in its relationship types; the content type
        // of the main part still says what the package is.
        if let Ok(Some(types)) = self.read("[Content_Types].xml") {
            let types = String::from_utf8_lossy(&types);
            if WORD_MAIN_TYPES.iter().any(|t| types.contains(t)) {
                return Kind::Word;
            }
        }
        Kind::Other
    }

    /// Reads a whole part, or `None` if there is no such part. Checks the declared size and
    /// compression ratio first, then counts what is actually inflated.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(name) = self.find(name) else {
            return Ok(None);
        };
        if let Some(out) = self.read_direct(&name)? {
            return Ok(Some(out));
        }
        self.read_through_zip(&name).map(Some)
    }

    /// The usual part (stored or deflated, not encrypted, whole within the archive) inflated
    /// straight from the archive bytes into a buffer of its declared size, with one decompressor
    /// reused per thread. `None` when anything is out of the ordinary (another method, a stream
    /// that does not end where its sizes say, a checksum that does not match): then
    /// [`Container::read_through_zip`] reads the part, and says what is wrong, as it always did.
    /// The limits are checked here exactly as there.
    fn read_direct(&mut self, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
        let Some(index) = self.archive.index_for_name(name) else {
            return Ok(None);
        };
        let Ok(file) = self.archive.by_index_raw(index) else {
            return Ok(None);
        };
        let method = file.compression();
        if file.encrypted()
            || !matches!(
                method,
                zip::CompressionMethod::Stored | zip::CompressionMethod::Deflated
            )
        {
            return Ok(None);
        }
        let (Some(start), declared, compressed_size, crc) = (
            file.data_start(),
            file.size(),
            file.compressed_size(),
            file.crc32(),
        ) else {
            return Ok(None);
        };
        drop(file);
        let bytes: &'a [u8] = self.bytes;
        let input = usize::try_from(start)
            .ok()
            .zip(usize::try_from(compressed_size).ok())
            .and_then(|(s, n)| bytes.get(s..s.checked_add(n)?));
        let Some(input) = input else {
            return Ok(None);
        };
        check_declared(&self.limits, name, declared, compressed_size)?;
        let remaining = self.limits.max_total_inflated.saturating_sub(self.inflated);
        let cap = self.limits.max_part_size.min(remaining);
        // Past the budget the part goes the long way, which counts what it really holds.
        let Some(size) = usize::try_from(declared).ok().filter(|_| declared <= cap) else {
            return Ok(None);
        };
        let out = match method {
            zip::CompressionMethod::Stored => (input.len() <= size
                && crc32fast::hash(input) == crc)
                .then(|| super::buffers::take(input.len()))
                .flatten()
                .map(|mut out| {
                    out.extend_from_slice(input);
                    out
                }),
            _ => inflate(input, size).and_then(|out| {
                if crc32fast::hash(&out) == crc {
                    Some(out)
                } else {
                    super::buffers::give(out);
                    None
                }
            }),
        };
        let Some(out) = out else {
            return Ok(None);
        };
        let read = out.len() as u64;
        check_ratio(&self.limits, name, declared, read, compressed_size)?;
        self.inflated += read;
        Ok(Some(out))
    }

    /// Reads a part through the zip library's reader, which checks sizes and the checksum as it
    /// goes and names what is wrong.
    fn read_through_zip(&mut self, name: &str) -> Result<Vec<u8>, ReadError> {
        let mut file = self
            .archive
            .by_name(name)
            .map_err(|e| ReadError::CorruptZip(format!("{name}: {e}")))?;
        if file.encrypted() {
            return Err(ReadError::Encrypted);
        }
        let declared = file.size();
        let compressed = file.compressed_size();
        let part_limit = self.limits.max_part_size;
        let limits = &self.limits;
        check_declared(limits, name, declared, compressed)?;
        let remaining = self.limits.max_total_inflated.saturating_sub(self.inflated);
        let cap = part_limit.min(remaining);
        // Capacity from the declared size is safe: it was checked against the limit above.
        let mut out = super::buffers::take(usize::try_from(declared.min(cap)).unwrap_or(0))
            .unwrap_or_default();
        let read = (&mut file)
            .take(cap.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| ReadError::CorruptZip(format!("{name}: {e}")))?;
        drop(file);
        let read = read as u64;
        if read > cap {
            if cap == remaining && remaining < part_limit {
                return Err(ReadError::Limit {
                    what: "the total inflated size of the parts read".into(),
                    limit: human_bytes(self.limits.max_total_inflated),
                });
            }
            return Err(limit_error(name, read, part_limit));
        }
        check_ratio(&self.limits, name, declared, read, compressed)?;
        self.inflated += read;
        Ok(out)
    }
}

/// The declared size against the part limit, and the declared ratio of a large part.
fn check_declared(
    limits: &Limits,
    name: &str,
    declared: u64,
    compressed: u64,
) -> Result<(), ReadError> {
    let compressed = compressed.max(1);
    let part_limit = limits.max_part_size;
    if declared > part_limit {
        return Err(limit_error(name, declared, part_limit));
    }
    // Small parts compress extremely well (runs of spaces); only judge the ratio of parts
    // large enough to matter.
    if declared > 1024 * 1024 && declared / compressed > limits.max_compression_ratio {
        return Err(ReadError::Limit {
            what: format!(
                "the compression ratio of {name} ({}:1)",
                declared / compressed
            ),
            limit: format!("{}:1", limits.max_compression_ratio),
        });
    }
    Ok(())
}

/// The actual ratio of a large part, once inflated.
fn check_ratio(
    limits: &Limits,
    name: &str,
    declared: u64,
    read: u64,
    compressed: u64,
) -> Result<(), ReadError> {
    let compressed = compressed.max(1);
    if declared > 1024 * 1024 && read / compressed > limits.max_compression_ratio {
        return Err(ReadError::Limit {
            what: format!("the compression ratio of {name} ({}:1)", read / compressed),
            limit: format!("{}:1", limits.max_compression_ratio),
        });
    }
    Ok(())
}

thread_local! {
    /// The thread's decompressor, reused for each part: making one costs more than inflating a
    /// small part.
    static INFLATER: RefCell<Option<libdeflater::Decompressor>> = const { RefCell::new(None) };
}

/// Inflates a raw deflate stream that should give at most `size` bytes, into a buffer of at
/// least that capacity (a reused one, see [`super::buffers`]). `None` unless the stream ends,
/// without error, within `size` bytes.
///
/// The whole stream is inflated at once by libdeflate, into exactly `size` bytes of room: a
/// stream that would need more is refused as the streaming decompressor refused it. Whatever it
/// refuses goes the long way ([`Container::read_through_zip`]), which reads it as it always did
/// and says what is wrong; what it accepts is checked against the part's CRC by the caller.
fn inflate(input: &[u8], size: usize) -> Option<Vec<u8>> {
    let mut out = super::buffers::take_filled(size)?;
    let read = INFLATER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        let inflater = slot.get_or_insert_with(libdeflater::Decompressor::new);
        inflater.deflate_decompress(input, &mut out).ok()
    });
    match read {
        Some(n) if n <= size => {
            out.truncate(n);
            Some(out)
        }
        _ => {
            super::buffers::give(out);
            None
        }
    }
}

fn limit_error(name: &str, size: u64, limit: u64) -> ReadError {
    ReadError::Limit {
        what: format!("the inflated size of {name} ({})", human_bytes(size)),
        limit: human_bytes(limit),
    }
}

/// `1.5 MiB`-style sizes for messages.
pub fn human_bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// The entry count the end-of-central-directory record declares, read before the zip library
/// sizes anything from it.
fn declared_entries(bytes: &[u8]) -> Result<u64, ReadError> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const EOCD64_LOCATOR: [u8; 4] = [0x50, 0x4b, 0x06, 0x07];
    const EOCD64: [u8; 4] = [0x50, 0x4b, 0x06, 0x06];
    if bytes.len() < 22 {
        return Err(ReadError::CorruptZip(
            "too short to hold a zip directory".into(),
        ));
    }
    // The EOCD record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let Some(pos) = (search_from..=bytes.len() - 22)
        .rev()
        .find(|&i| bytes.get(i..i + 4) == Some(&EOCD[..]))
    else {
        return Err(ReadError::CorruptZip(
            "the end of the zip directory is missing (the file is probably truncated)".into(),
        ));
    };
    let u16_at = |i: usize| {
        bytes
            .get(i..i + 2)
            .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let entries = u16_at(pos + 10).unwrap_or(0);
    if entries != 0xFFFF {
        return Ok(entries);
    }
    // Zip64: the locator sits just before the EOCD and points at the zip64 EOCD record.
    let loc = pos
        .checked_sub(20)
        .filter(|&l| bytes.get(l..l + 4) == Some(&EOCD64_LOCATOR[..]));
    let Some(loc) = loc else { return Ok(entries) };
    let offset = bytes
        .get(loc + 8..loc + 16)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .and_then(|o| usize::try_from(o).ok());
    let Some(offset) = offset.filter(|&o| bytes.get(o..o + 4) == Some(&EOCD64[..])) else {
        return Ok(entries);
    };
    Ok(bytes
        .get(offset + 32..offset + 40)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(u64::from_le_bytes)
        .unwrap_or(entries))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in parts {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_parts_and_tells_the_kind() {
        let bytes = zip_of(&[("word/document.xml", b"<w:document/>")]);
        let mut c = Container::open(&bytes, &Limits::default()).unwrap();
        assert_eq!(c.kind(), Kind::Word);
        assert_eq!(
            c.read("word/document.xml").unwrap().unwrap(),
            b"<w:document/>"
        );
        assert_eq!(c.read("word/missing.xml").unwrap(), None);
    }

    #[test]
    fn part_names_match_case_insensitively_and_with_backslashes() {
        let bytes = zip_of(&[("xl\\Workbook.xml", b"<workbook/>")]);
        let mut c = Container::open(&bytes, &Limits::default()).unwrap();
        assert_eq!(c.kind(), Kind::Excel);
    }

    #[test]
    fn too_many_entries_is_refused_before_opening() {
        let parts: Vec<(String, Vec<u8>)> = (0..20).map(|i| (format!("f{i}"), vec![])).collect();
        let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (n.as_str(), &d[..])).collect();
        let bytes = zip_of(&refs);
        let limits = Limits {
            max_zip_entries: 10,
            ..Limits::default()
        };
        let err = Container::open(&bytes, &limits).unwrap_err();
        assert!(
            err.to_string().contains("number of zip entries (20)"),
            "{err}"
        );
    }

    #[test]
    fn oversized_part_is_refused_and_total_is_counted() {
        let big = vec![b' '; 10_000];
        let bytes = zip_of(&[("a.xml", &big), ("b.xml", &big)]);
        let limits = Limits {
            max_part_size: 5_000,
            ..Limits::default()
        };
        let mut c = Container::open(&bytes, &limits).unwrap();
        assert!(matches!(c.read("a.xml"), Err(ReadError::Limit { .. })));

        let limits = Limits {
            max_total_inflated: 15_000,
            ..Limits::default()
        };
        let mut c = Container::open(&bytes, &limits).unwrap();
        assert!(c.read("a.xml").unwrap().is_some());
        let err = c.read("b.xml").unwrap_err();
        assert!(err.to_string().contains("total inflated size"), "{err}");
    }

    #[test]
    fn high_compression_ratio_is_refused() {
        let bomb = vec![0u8; 4 * 1024 * 1024];
        let bytes = zip_of(&[("bomb.xml", &bomb)]);
        let mut c = Container::open(&bytes, &Limits::default()).unwrap();
        let err = c.read("bomb.xml").unwrap_err();
        assert!(err.to_string().contains("compression ratio"), "{err}");
    }

    #[test]
    fn stored_and_deflated_parts_read_alike_and_count_against_the_total() {
        let text: Vec<u8> = b"<w:t>Service desk</w:t>".repeat(200);
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        w.start_file("stored.xml", stored).unwrap();
        w.write_all(&text).unwrap();
        w.start_file("deflated.xml", SimpleFileOptions::default())
            .unwrap();
        w.write_all(&text).unwrap();
        w.start_file("empty.xml", SimpleFileOptions::default())
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let mut c = Container::open(&bytes, &Limits::default()).unwrap();
        assert_eq!(c.read("stored.xml").unwrap().unwrap(), text);
        assert_eq!(c.read("deflated.xml").unwrap().unwrap(), text);
        assert_eq!(c.read("empty.xml").unwrap().unwrap(), b"");
        assert_eq!(c.inflated, 2 * text.len() as u64);
    }

    #[test]
    fn a_damaged_part_is_refused_as_before() {
        let text: Vec<u8> = (0..4000u32)
            .flat_map(|i| format!("<c r=\"A{i}\"><v>{}</v></c>", i * 7919 % 1000).into_bytes())
            .collect();
        let good = zip_of(&[("xl/sheet.xml", &text)]);
        let at = good.windows(12).position(|w| w == b"xl/sheet.xml").unwrap();
        // Damage the compressed data of the part (past its local header), not the directory.
        for offset in [60, 400, 900] {
            let mut bad = good.clone();
            bad[at + 12 + offset] ^= 0x55;
            let mut c = Container::open(&bad, &Limits::default()).unwrap();
            match c.read("xl/sheet.xml") {
                Err(ReadError::CorruptZip(m)) => assert!(m.starts_with("xl/sheet.xml: "), "{m}"),
                other => panic!("damaged part read as {other:?}"),
            }
        }
    }

    #[test]
    fn truncated_zip_is_named_as_such() {
        let bytes = zip_of(&[("word/document.xml", &[b'x'; 2000][..])]);
        let err = Container::open(&bytes[..bytes.len() / 2], &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
    }

    /// What the streaming decoder (flate2, as zip reads a part) makes of a raw deflate stream.
    fn streamed(input: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(input)
            .read_to_end(&mut out)
            .ok()
            .map(|_| out)
    }

    proptest::proptest! {
        #[test]
        fn inflate_reads_what_the_streaming_decoder_reads(
            data in proptest::collection::vec(proptest::sample::select(b"<w:t> abc".to_vec()), 0..3000),
            level in 0u32..10,
            damage in proptest::option::of((0usize..4000, 1u8..=255)),
            slack in 0usize..3,
        ) {
            let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
            enc.write_all(&data).unwrap();
            let mut stream = enc.finish().unwrap();
            match damage {
                None => {
                    // An intact stream reads whole into its size, and not into less.
                    proptest::prop_assert_eq!(inflate(&stream, data.len() + slack), Some(data.clone()));
                    if !data.is_empty() {
                        proptest::prop_assert_eq!(inflate(&stream, data.len() - 1), None);
                    }
                }
                Some((at, flip)) => {
                    let at = at % stream.len();
                    stream[at] ^= flip;
                    // A damaged stream that both decoders accept reads the same in both.
                    if let (Some(ours), Some(theirs)) = (inflate(&stream, data.len() + slack), streamed(&stream)) {
                        proptest::prop_assert_eq!(ours, theirs);
                    }
                }
            }
        }
    }
}
