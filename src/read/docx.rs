//! The DOCX reader (to be written): a WordprocessingML package in, a [`Document`] out.

use super::container::Container;
use super::{Limits, ReadError};
use crate::document::Document;

/// Reads a Word package (DOCX, DOCM, DOTX) from an opened container.
pub fn read(
    display: &str,
    zip: &mut Container<'_>,
    limits: &Limits,
) -> Result<Document, ReadError> {
    let _ = (display, zip, limits);
    Err(ReadError::Internal(
        "the DOCX reader is not written yet".into(),
    ))
}
