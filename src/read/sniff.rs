//! Tells what a file is from its first bytes, whatever its extension says: a zip container, an
//! OLE compound file (legacy Office, or an encrypted OOXML package), another known binary format,
//! or text.

/// What a file's bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A zip archive (DOCX, XLSX, ODS, ... or any zip).
    Zip,
    /// An OLE compound file holding an encrypted OOXML package (password-protected DOCX/XLSX).
    OleEncrypted,
    /// An OLE compound file holding a Word 97-2003 document.
    OleWord,
    /// An OLE compound file holding an Excel 97-2003 workbook.
    OleExcel,
    /// Another OLE compound file.
    OleOther,
    /// A known binary format this tool does not read; the name says which.
    Binary(&'static str),
    /// Text (UTF-8 or not): Markdown, plain text, or something else textual.
    Text,
}

impl Sniffed {
    /// How the content is named in messages ("a PDF document").
    pub fn describe(self) -> &'static str {
        match self {
            Sniffed::Zip => "a zip archive",
            Sniffed::OleEncrypted => "a password-protected Office file",
            Sniffed::OleWord => "a Word 97-2003 document",
            Sniffed::OleExcel => "an Excel 97-2003 workbook",
            Sniffed::OleOther => "an OLE compound file (an older Office format)",
            Sniffed::Binary(what) => what,
            Sniffed::Text => "plain text",
        }
    }
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Looks at a file's bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(&OLE) {
        return sniff_ole(bytes);
    }
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"{\\rtf", "an RTF document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
        (b"MZ", "a Windows program"),
        (b"\x7FELF", "a program"),
    ];
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Sniffed::Binary(what);
        }
    }
    if looks_binary(bytes) {
        return Sniffed::Binary("binary data");
    }
    Sniffed::Text
}

/// An OLE file names its streams in UTF-16LE in directory sectors; the names tell what it holds.
fn sniff_ole(bytes: &[u8]) -> Sniffed {
    // Stream names compare case-insensitively (some writers store `WORKBOOK`).
    let has = |name: &str| {
        [name.to_string(), name.to_ascii_uppercase()]
            .iter()
            .any(|n| {
                let needle: Vec<u8> = n.encode_utf16().flat_map(u16::to_le_bytes).collect();
                bytes.windows(needle.len()).any(|w| w == needle.as_slice())
            })
    };
    if has("EncryptedPackage") || has("EncryptionInfo") {
        Sniffed::OleEncrypted
    } else if has("WordDocument") {
        Sniffed::OleWord
    } else if has("Workbook") || has("Book") {
        Sniffed::OleExcel
    } else {
        Sniffed::OleOther
    }
}

/// NUL bytes in the first 8 KiB mean binary (UTF-16 text is rare in client folders and is not
/// read).
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8192).any(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ole_with(name: &str) -> Vec<u8> {
        let mut b = OLE.to_vec();
        b.extend(std::iter::repeat_n(0u8, 504));
        b.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        b
    }

    #[test]
    fn tells_formats_by_content() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(&ole_with("EncryptedPackage")), Sniffed::OleEncrypted);
        assert_eq!(sniff(&ole_with("WordDocument")), Sniffed::OleWord);
        assert_eq!(sniff(&ole_with("Workbook")), Sniffed::OleExcel);
        assert_eq!(sniff(&ole_with("WORKBOOK")), Sniffed::OleExcel);
        assert_eq!(sniff(b"%PDF-1.7"), Sniffed::Binary("a PDF document"));
        assert_eq!(sniff("# Policy\n\nCaf\u{e9}".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(b"Caf\xe9 \xa3"), Sniffed::Text);
        assert_eq!(sniff(b"ab\0cd"), Sniffed::Binary("binary data"));
    }
}
