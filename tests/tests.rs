//! Integration tests, one binary with a module per topic.

mod cli_run;
mod merge;
mod pipeline;
mod report;
mod walk;
