//! `orgprofile` drafts the ISO/IEC 20000-1 organization profile of an IT service provider from
//! the documents it already has, with the source of every value and a gap report for the
//! follow-up interview.
//!
//! A tour in pipeline order (see `DESIGN.md` for the contracts between stages):
//!
//! 1. [`walk`] lists the files of a client folder, with their [`document::Format`], and the files
//!    it skips with the reason.
//! 2. [`read`] turns one file into a [`document::Document`]: ordered blocks (headings,
//!    paragraphs, list items, tables), each with a [`document::Locator`] a person can open.
//! 3. [`map`] applies compiled mapping rules ([`map::Rules`]) to a document and yields
//!    [`map::Candidate`]s: a profile field, a value, and where and how it was found.
//! 4. [`merge`] folds the candidates of every file (and an optional base profile) into one
//!    profile, keeping every alternative and every conflict.
//! 5. [`check`] runs the completeness checker of the reference profile skill over a profile and
//!    gives [`check::Findings`].
//! 6. [`report`] writes `profile.json`, `sources.json`, `report.json` and `report.md`.
//!
//! [`pipeline`] strings the stages together for one client (`import`) or many (`batch`).
//! [`profile`] holds the profile's contract: its sections, fields, JSON Schema and clause
//! references. The library never prints; progress goes through [`pipeline::Observer`].
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod contain;
pub mod document;
pub mod judge;
pub mod map;
pub mod merge;
pub mod pipeline;
pub mod profile;
pub mod read;
pub mod report;
pub mod walk;
