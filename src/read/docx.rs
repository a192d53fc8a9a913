//! docx reader (to be written).
