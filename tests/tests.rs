//! Integration tests, one binary with a module per topic.

mod check;
mod cli_run;
mod docx;
mod mapping;
mod markdown;
mod merge;
mod pipeline;
mod prefilter;
mod read;
mod report;
mod samples;
mod samples_e2e;
mod walk;
mod xlsx;
