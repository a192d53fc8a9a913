//! Sample and corpus generation shared by the `generate-samples` and `generate-corpus` examples,
//! the sample tests and (later) the benches, which include it with `#[path]`.
//! Takes an output folder; gives client folders of XLSX, DOCX and Markdown files that look like
//! real clients' documents. Must stay deterministic: the same inputs write the same bytes, so no
//! clock, no hash-map iteration order and no thread-dependent state reaches the output.

pub mod clients;
pub mod corpus;
pub mod write;
