//! Readers: one file in, one [`Document`] (or a [`ReadError`] saying why not) out.
//!
//! [`read_file`] looks at what a file *is* (its first bytes), not only at what its extension
//! claims, and hands it to the reader of that format: [`docx`] (zip + quick-xml, streaming),
//! [`sheet`] (xlsx and xlsm through the private `xlsx` module, zip + quick-xml, streaming; xlsb,
//! xls and ods through calamine) or [`markdown`] (pulldown-cmark, and plain text). Every read
//! is bounded by [`Limits`]; hitting a limit is an error for that file, never an unbounded
//! allocation. A panic inside a reader is caught here and reported as
//! [`ReadError::Internal`] for that file.
//!
//! Readers know nothing of the profile or the mapping rules.

mod buffers;
pub mod container;
pub mod docx;
pub mod markdown;
mod ole;
pub mod sheet;
mod sniff;
mod xlsx;

use crate::document::{Document, Format};
use std::path::Path;
use thiserror::Error;

pub use sniff::{sniff, Sniffed};

/// Largest file read, in bytes (64 MiB). Client documents are far smaller; a larger file is
/// most likely an export gone wrong or an attack.
pub const MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;
/// Most entries a zip container (DOCX, XLSX, ODS) may have.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// Largest inflated size of one zip entry (256 MiB), declared or actual.
pub const MAX_PART_SIZE: u64 = 256 * 1024 * 1024;
/// Largest inflated size of all the entries read from one file (512 MiB).
pub const MAX_TOTAL_INFLATED: u64 = 512 * 1024 * 1024;
/// Largest ratio of inflated to compressed size for one entry (zip bombs exceed it).
pub const MAX_COMPRESSION_RATIO: u64 = 200;
/// Deepest XML element nesting accepted.
pub const MAX_XML_DEPTH: usize = 256;
/// Most rows read from one sheet.
pub const MAX_SHEET_ROWS: u32 = 1_048_576;
/// Most non-empty cells read from one workbook, and most table cells read from one Markdown file
/// (2 million; a 20,000-row HR export of 60 columns is 1.2 million). Each cell costs about 120
/// bytes in the document model, so this caps one file's tables at a few hundred MB.
pub const MAX_SHEET_CELLS: u64 = 2_000_000;

/// The limits every read obeys. [`Limits::default`] uses the constants above; tests lower them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// See [`MAX_FILE_SIZE`].
    pub max_file_size: u64,
    /// See [`MAX_ZIP_ENTRIES`].
    pub max_zip_entries: usize,
    /// See [`MAX_PART_SIZE`].
    pub max_part_size: u64,
    /// See [`MAX_TOTAL_INFLATED`].
    pub max_total_inflated: u64,
    /// See [`MAX_COMPRESSION_RATIO`].
    pub max_compression_ratio: u64,
    /// See [`MAX_XML_DEPTH`].
    pub max_xml_depth: usize,
    /// See [`MAX_SHEET_ROWS`].
    pub max_sheet_rows: u32,
    /// See [`MAX_SHEET_CELLS`].
    pub max_sheet_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: MAX_FILE_SIZE,
            max_zip_entries: MAX_ZIP_ENTRIES,
            max_part_size: MAX_PART_SIZE,
            max_total_inflated: MAX_TOTAL_INFLATED,
            max_compression_ratio: MAX_COMPRESSION_RATIO,
            max_xml_depth: MAX_XML_DEPTH,
            max_sheet_rows: MAX_SHEET_ROWS,
            max_sheet_cells: MAX_SHEET_CELLS,
        }
    }
}

/// Why a file could not be read. Messages do not repeat the file name: [`FileError`] adds it.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The operating system refused to open or read the file.
    #[error("cannot read the file: {0}; check that it still exists and that you may read it")]
    Io(String),
    /// The file has no content.
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// A Word or Excel lock file (`~$name.docx`): Office leaves one while the document is open.
    #[error("this is an Office lock file, left while the document is open in Word or Excel; it holds no content (close the document and delete the file)")]
    LockFile,
    /// An encrypted or password-protected OOXML file (an OLE container where a zip was expected).
    #[error("the file is password-protected (encrypted); save an unprotected copy to read it")]
    Encrypted,
    /// A Word 97-2003 `.doc` file.
    #[error("this is a Word 97-2003 .doc file, which is not supported; save it as .docx")]
    LegacyDoc,
    /// The content is a format this tool does not read.
    #[error("the content is {found}, which is not read; save the document as .docx, .xlsx or .md")]
    Unsupported {
        /// What the content looks like ("a PDF document").
        found: String,
    },
    /// The extension claims one format, the content is another, and the content cannot be read
    /// either.
    #[error("the extension says {claimed} but the content is {found}; rename the file with its real extension, or save it again in the format its name says")]
    WrongFormat {
        /// What the extension claims.
        claimed: String,
        /// What the content is.
        found: String,
    },
    /// A limit of [`Limits`] was hit.
    #[error(
        "{what} exceeds the limit of {limit}; the file is damaged or built to exhaust memory: save a fresh copy from the program that made it (Word, Excel, a text editor), or ask the client for the original"
    )]
    Limit {
        /// What was too large ("inflated size of word/document.xml").
        what: String,
        /// The limit, with its unit.
        limit: String,
    },
    /// The zip container is truncated or damaged.
    #[error("the file is damaged or truncated (not a readable zip archive: {0}); ask the client for a fresh copy")]
    CorruptZip(String),
    /// A required part is missing from the container.
    #[error("{0} is missing from the file, so it is not a complete document; open it in Word or Excel and save it again")]
    MissingPart(String),
    /// An XML part declares a DTD or entities (refused: never expanded).
    #[error("{part}: XML with a DTD or entity declarations is refused (entities could expand without bound); open the document in Word or Excel and save it again")]
    Dtd {
        /// Part name.
        part: String,
    },
    /// An XML part is not well-formed.
    #[error("{part}: malformed XML at byte {position}: {message}; open the document in Word, Excel or LibreOffice and save it again")]
    Xml {
        /// Part name.
        part: String,
        /// Byte offset in the inflated part.
        position: u64,
        /// What the parser said.
        message: String,
    },
    /// The spreadsheet library could not read the workbook.
    #[error("cannot read the workbook: {0}")]
    Spreadsheet(String),
    /// A bug in this tool: a reader panicked. The rest of the run goes on.
    #[error("internal error while reading (please report it): {0}")]
    Internal(String),
}

/// A [`ReadError`] with the file it happened to, displayed as `path: reason`.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{path}: {error}")]
pub struct FileError {
    /// The file, as the caller named it.
    pub path: String,
    /// Why it could not be read.
    pub error: ReadError,
}

/// Reads one file into a [`Document`]. `display` is the name used in the document and in
/// messages (relative to the client folder in a pipeline run). `claimed` is the format the
/// extension claims, if any; the content decides, and a mismatch is noted on the document.
///
/// Never panics on input: a panic inside a reader becomes [`ReadError::Internal`].
pub fn read_file(
    path: &Path,
    display: &str,
    claimed: Option<Format>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    if is_lock_file_name(path) {
        return Err(ReadError::LockFile);
    }
    let bytes = read_bounded(path, limits)?;
    let doc = read_bytes(&bytes, display, claimed, limits);
    buffers::give(bytes);
    doc
}

/// Reads a file already in memory; see [`read_file`].
pub fn read_bytes(
    bytes: &[u8],
    display: &str,
    claimed: Option<Format>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_large(bytes.len() as u64, limits));
    }
    crate::contain::contain(|| dispatch(bytes, display, claimed, limits))
        .unwrap_or_else(|panic| Err(ReadError::Internal(panic)))
}

/// Whether a file name is an Office lock file (`~$Policy.docx`).
pub fn is_lock_file_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"))
}

fn read_bounded(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let len = file
        .metadata()
        .map_err(|e| ReadError::Io(e.to_string()))?
        .len();
    if len > limits.max_file_size {
        return Err(too_large(len, limits));
    }
    let mut bytes = buffers::take(usize::try_from(len).unwrap_or(0)).unwrap_or_default();
    file.take(limits.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limits.max_file_size {
        return Err(too_large(bytes.len() as u64, limits));
    }
    Ok(bytes)
}

fn too_large(len: u64, limits: &Limits) -> ReadError {
    ReadError::Limit {
        what: format!("the file size ({})", container::human_bytes(len)),
        limit: container::human_bytes(limits.max_file_size),
    }
}

fn claimed_name(claimed: Option<Format>) -> String {
    claimed.map_or_else(|| "an unknown format".to_string(), |f| format!(".{f}"))
}

fn dispatch(
    bytes: &[u8],
    display: &str,
    claimed: Option<Format>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let sniffed = sniff(bytes);
    let (format, mut doc) = match sniffed {
        Sniffed::Zip => {
            let mut zip = container::Container::open(bytes, limits)?;
            let kind = zip.kind();
            let format = match kind {
                container::Kind::Word => Format::Docx,
                container::Kind::Excel => Format::Xlsx,
                container::Kind::ExcelBinary => Format::Xlsb,
                container::Kind::OdfSpreadsheet => Format::Ods,
                other => {
                    return Err(mismatch(claimed, other.describe()));
                }
            };
            let doc = if format == Format::Docx {
                docx::read(display, &mut zip, limits)?
            } else if format == Format::Xlsx {
                sheet::read_xlsx(display, zip, limits)?
            } else {
                drop(zip);
                sheet::read(display, bytes, format, limits)?
            };
            (format, doc)
        }
        Sniffed::OleEncrypted => return Err(ReadError::Encrypted),
        Sniffed::OleWord => return Err(ReadError::LegacyDoc),
        Sniffed::OleExcel => (
            Format::Xls,
            sheet::read(display, bytes, Format::Xls, limits)?,
        ),
        Sniffed::OleOther | Sniffed::Binary(_) => {
            return Err(mismatch(claimed, sniffed.describe()))
        }
        Sniffed::Text => match claimed {
            Some(f @ (Format::Markdown | Format::Text)) => {
                (f, markdown::read(display, bytes, f, limits)?)
            }
            // A text file named .docx or .xlsx: reading it as text would be guessing.
            Some(other) => {
                return Err(ReadError::WrongFormat {
                    claimed: format!(".{other}"),
                    found: sniffed.describe().to_string(),
                })
            }
            None => (
                Format::Text,
                markdown::read(display, bytes, Format::Text, limits)?,
            ),
        },
    };
    if let Some(claimed) = claimed {
        if claimed != format {
            doc.notes.push(format!(
                "the extension says .{claimed} but the content is {}; read as such",
                format.describe()
            ));
        }
    }
    Ok(doc)
}

fn mismatch(claimed: Option<Format>, found: &str) -> ReadError {
    match claimed {
        Some(_) => ReadError::WrongFormat {
            claimed: claimed_name(claimed),
            found: found.to_string(),
        },
        None => ReadError::Unsupported {
            found: found.to_string(),
        },
    }
}

/// An XML part stored as UTF-16 (with its byte-order mark) re-encoded as UTF-8, its
/// declaration saying so; `None` when the part has no UTF-16 byte-order mark. Some tools write
/// OOXML parts this way; quick-xml and calamine read UTF-8.
pub(crate) fn utf16_xml_to_utf8(data: &[u8]) -> Option<Vec<u8>> {
    let little = match data.get(..2)? {
        [0xFF, 0xFE] => true,
        [0xFE, 0xFF] => false,
        _ => return None,
    };
    let units = data.get(2..).unwrap_or_default().chunks_exact(2).map(|c| {
        if little {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect();
    let text = match text.find("?>") {
        Some(end) if text.starts_with("<?xml") => {
            let decl = text[..end]
                .replace("UTF-16", "UTF-8")
                .replace("utf-16", "UTF-8");
            format!("{decl}{}", &text[end..])
        }
        _ => text,
    };
    Some(text.into_bytes())
}
