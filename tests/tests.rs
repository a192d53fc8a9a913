//! Integration tests, one binary with a module per topic.
mod docx;
