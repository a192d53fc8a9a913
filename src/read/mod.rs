//! Readers: one file in, one [`Document`] (or a [`ReadError`] saying why not) out.
//!
//! [`read_file`] looks at what a file *is* (its first bytes), not only at what its extension
//! claims, and hands it to the reader of that format: [`docx`] (zip + quick-xml, streaming),
//! [`sheet`] (calamine: xlsx, xlsm, xlsb, xls, ods) or [`markdown`] (pulldown-cmark, and plain
//! text). Every read is bounded by [`Limits`]; hitting a limit is an error for that file, never
//! an unbounded allocation. A panic inside a reader is caught here and reported as
//! [`ReadError::Internal`] for that file.
//!
//! Readers know nothing of the profile or the mapping rules.

pub mod docx;
pub mod markdown;
pub mod sheet;
mod sniff;

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
/// Most non-empty cells read from one workbook.
pub const MAX_SHEET_CELLS: u64 = 20_000_000;

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
    #[error("cannot read the file: {0}")]
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
    #[error("the content is {found}, which is not supported")]
    Unsupported {
        /// What the content looks like ("a PDF document").
        found: String,
    },
    /// The extension claims one format, the content is another, and the content cannot be read
    /// either.
    #[error("the extension says {claimed} but the content is {found}")]
    WrongFormat {
        /// What the extension claims.
        claimed: String,
        /// What the content is.
        found: String,
    },
    /// A limit of [`Limits`] was hit.
    #[error(
        "{what} exceeds the limit of {limit} (the file may be damaged or a decompression bomb)"
    )]
    Limit {
        /// What was too large ("inflated size of word/document.xml").
        what: String,
        /// The limit, with its unit.
        limit: String,
    },
    /// The zip container is truncated or damaged.
    #[error("the file is damaged or truncated (not a readable zip archive: {0})")]
    CorruptZip(String),
    /// A required part is missing from the container.
    #[error("{0} is missing from the file; it is not a complete document")]
    MissingPart(String),
    /// An XML part declares a DTD or entities (refused: never expanded).
    #[error("{part}: XML with a DTD or entity declarations is refused (possible entity-expansion attack)")]
    Dtd {
        /// Part name.
        part: String,
    },
    /// An XML part is not well-formed.
    #[error("{part}: malformed XML at byte {position}: {message}")]
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
/// extension claims, if any; the content decides.
pub fn read_file(
    path: &Path,
    display: &str,
    claimed: Option<Format>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let _ = (path, display, claimed, limits);
    Err(ReadError::Internal("readers not yet wired".into()))
}
