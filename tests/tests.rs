//! Integration tests, one binary with a module per topic.

mod merge;
mod pipeline;
mod report;
mod walk;
