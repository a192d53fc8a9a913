//! The spreadsheet reader (to be written): xlsx, xlsm, xlsb, xls and ods through calamine.

use super::{Limits, ReadError};
use crate::document::{Document, Format};

/// Reads a workbook held in memory; `format` is what the content was sniffed to be.
pub fn read(
    display: &str,
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let _ = (display, bytes, format, limits);
    Err(ReadError::Internal(
        "the spreadsheet reader is not written yet".into(),
    ))
}
