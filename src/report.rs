//! Report: everything the earlier stages produced for a client in; `profile.json`,
//! `sources.json`, `report.json` and `report.md` (and a batch's `summary.json` and
//! `summary.csv`) out. Also `explain`, which reads those files back and says in words where each
//! value came from.
//!
//! The report decides nothing: the merge chose the values, the checker judged completeness, the
//! pipeline set each client's status. Outputs are deterministic (everything is sorted, nothing
//! holds a timestamp or an absolute path) and written atomically: each file goes to a temporary
//! file in the same folder and is then renamed over the old one, so an interrupted run never
//! leaves a half-written file.

use crate::check::{Findings, Severity};
use crate::document::Format;
use crate::map::Hint;
use crate::merge::{
    Conflict, ConflictKind, FieldSources, LeftOpen, Merged, Origin, Sourced, Suggestion,
    Unconfirmed,
};
use crate::profile::{self, Audience, FieldSpec, Section, SECTIONS};
use serde::Serialize;
use serde_json::Value;
use std::fmt::{self, Write as _};
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use thiserror::Error;

pub use crate::check::Edition;

/// A file that was read, and how many values the rules found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRead {
    /// Path relative to the client folder.
    pub path: String,
    /// The format the content turned out to be.
    pub format: Format,
    /// Candidates the mapping rules found in it.
    pub values: usize,
    /// What the reader wants a person to know ("decoded as Windows-1252").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A file that was skipped or could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// Path relative to the client folder (or the batch root), `/`-separated.
    pub path: String,
    /// Why, in plain words.
    pub reason: String,
}

/// Everything the report of one client is written from.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientReport {
    /// The client's name (its folder's name).
    pub client: String,
    /// The merged profile, its sources and conflicts.
    pub merged: Merged,
    /// The checker's findings on the merged profile.
    pub findings: Findings,
    /// Files read, sorted by path.
    pub files_read: Vec<FileRead>,
    /// Files deliberately left alone (lock files, hidden files, unsupported formats, empty).
    pub files_skipped: Vec<FileProblem>,
    /// Files that should have been read and could not be.
    pub files_unreadable: Vec<FileProblem>,
    /// Hints from the mapper for rule writers.
    pub hints: Vec<Hint>,
}

/// What kind of question it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Fills a gap the checker found.
    Gap,
    /// Resolves a disagreement between documents.
    Conflict,
    /// Confirms a document value against the base profile.
    Confirm,
    /// Confirms a value the documents suggest but the evidence did not settle.
    Suggestion,
}

/// An interview question, for someone in particular.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    /// Who to ask.
    pub ask: Audience,
    /// Who to ask, for people ("Top management").
    pub audience: String,
    /// The field it fills or settles.
    pub field: String,
    /// Gap, conflict or confirmation.
    pub kind: QuestionKind,
    /// The question, phrased for the client.
    pub question: String,
}

/// The known field a pointer belongs to: the field itself or the list it is an item of
/// (`/locations/0/type` belongs to `/locations`).
pub fn spec_for(pointer: &str) -> Option<&'static FieldSpec> {
    profile::FIELDS
        .iter()
        .filter(|f| {
            pointer == f.pointer
                || pointer
                    .strip_prefix(f.pointer)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|f| f.pointer.len())
}

/// The section a pointer belongs to (by its first segment).
fn section_of(pointer: &str) -> Option<Section> {
    spec_for(pointer)
        .map(|f| f.section)
        .or_else(|| Section::from_id(pointer.split('/').nth(1).unwrap_or("")))
}

/// A field's name for people: its label, with the item's field for a record
/// ("locations, item 1, country").
fn label(pointer: &str) -> String {
    match spec_for(pointer) {
        Some(f) if f.pointer == pointer => f.label.to_string(),
        Some(f) => {
            let rest = pointer
                .get(f.pointer.len() + 1..)
                .unwrap_or("")
                .split('/')
                .collect::<Vec<_>>();
            match rest.as_slice() {
                [i, key] => match i.parse::<usize>() {
                    Ok(i) => format!("{}, item {}, {}", f.label, i + 1, key),
                    Err(_) => format!("{} {}", f.label, rest.join(" ")),
                },
                _ => format!("{} {}", f.label, rest.join(" ")),
            }
        }
        None => pointer.to_string(),
    }
}

/// A value as a person reads it: text as is, records as "name (type, country)".
pub fn show_value(v: &Value) -> String {
    let mut out = String::new();
    let _ = write_value(&mut out, v);
    out
}

/// [`show_value`], written into `w` as it goes.
fn write_value<W: fmt::Write + ?Sized>(w: &mut W, v: &Value) -> fmt::Result {
    match v {
        Value::String(s) => w.write_str(s),
        Value::Number(n) => write!(w, "{n}"),
        Value::Bool(b) => write!(w, "{b}"),
        Value::Null => Ok(()),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    w.write_str("; ")?;
                }
                write_value(w, x)?;
            }
            Ok(())
        }
        Value::Object(o) => {
            // The first value, then the others in brackets; lists with their key.
            for (i, (k, x)) in o.iter().enumerate() {
                match i {
                    0 => {}
                    1 => w.write_str(" (")?,
                    _ => w.write_str(", ")?,
                }
                if i > 0 && x.is_array() {
                    write!(w, "{k}: ")?;
                }
                write_value(w, x)?;
            }
            if o.len() > 1 {
                w.write_str(")")?;
            }
            Ok(())
        }
    }
}

/// Where a sourced value came from, in words: "policy.docx, word/document.xml paragraph 3".
fn place(s: &Sourced) -> String {
    let mut out = String::new();
    let _ = write_place(&mut out, s);
    out
}

/// [`place`], written into `w`.
fn write_place<W: fmt::Write + ?Sized>(w: &mut W, s: &Sourced) -> fmt::Result {
    match s.from {
        Origin::Base => w.write_str("the base profile"),
        Origin::Document => {
            w.write_str(s.file.as_deref().unwrap_or("?"))?;
            w.write_str(", ")?;
            w.write_str(s.locator.as_deref().unwrap_or("?"))
        }
    }
}

/// Writes the distinct [`place`]s of `sources`, in order, joined by "; ", escaped for
/// Markdown: what `md_escape(&dedup(places).join("; "))` gives, without a `String` per place.
/// `scratch` is reused between calls.
fn write_places_md(md: &mut String, sources: &[Sourced], scratch: &mut String) {
    scratch.clear();
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(sources.len());
    for s in sources {
        let start = scratch.len();
        let _ = write_place(scratch, s);
        let end = scratch.len();
        let new = scratch.get(start..end).unwrap_or("");
        if spans
            .iter()
            .any(|&(a, b)| scratch.get(a..b).unwrap_or("") == new)
        {
            scratch.truncate(start);
        } else {
            spans.push((start, end));
        }
    }
    for (i, &(a, b)) in spans.iter().enumerate() {
        if i > 0 {
            md.push_str("; ");
        }
        md_escape_into(md, scratch.get(a..b).unwrap_or(""));
    }
}

/// A [`fmt::Write`] that escapes Markdown ([`md_escape`]) as it writes into a `String`.
struct MdEscaped<'a>(&'a mut String);

impl fmt::Write for MdEscaped<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        md_escape_into(self.0, s);
        Ok(())
    }
}

impl ClientReport {
    /// The interview questions: one per gap (from the checker), conflict and item to confirm,
    /// grouped by whom to ask (in [`Audience`] order), each group in section and field order.
    pub fn questions(&self) -> Vec<Question> {
        let mut out: Vec<Question> = Vec::new();
        let mut asked: Vec<String> = Vec::new();
        for f in &self.findings.findings {
            if asked.contains(&f.field) {
                continue;
            }
            asked.push(f.field.clone());
            let suggested = self.suggestions_for(&f.field);
            let question = match self.left_open(&f.field) {
                Some(o) => format!("{} ({}.)", f.question, left_open_hint(o)),
                None if !suggested.is_empty() => {
                    format!("{} {}", f.question, suggestion_hint(&suggested))
                }
                None => f.question.clone(),
            };
            out.push(Question {
                ask: f.ask,
                audience: f.ask.title().to_string(),
                field: f.field.clone(),
                kind: QuestionKind::Gap,
                question,
            });
        }
        for c in &self.merged.conflicts {
            let ask = spec_for(&c.field).map_or(Audience::SmsManager, |f| f.ask);
            out.push(Question {
                ask,
                audience: ask.title().to_string(),
                field: c.field.clone(),
                kind: QuestionKind::Conflict,
                question: conflict_question(c),
            });
        }
        // Suggestions for fields the checker does not ask about (optional fields, list items
        // below the threshold beside items that were taken).
        let mut suggested_fields: Vec<&str> = Vec::new();
        for sg in &self.merged.suggestions {
            if !asked.contains(&sg.field) && !suggested_fields.contains(&sg.field.as_str()) {
                suggested_fields.push(&sg.field);
            }
        }
        for field in suggested_fields {
            let ask = spec_for(field).map_or(Audience::SmsManager, |f| f.ask);
            let list = self.suggestions_for(field);
            out.push(Question {
                ask,
                audience: ask.title().to_string(),
                field: field.to_string(),
                kind: QuestionKind::Suggestion,
                question: format!("For the {}: {}", label(field), suggestion_hint(&list)),
            });
        }
        for u in &self.merged.unconfirmed {
            let ask = spec_for(&u.field).map_or(Audience::SmsManager, |f| f.ask);
            let from = u.sources.first().map(place).unwrap_or_default();
            out.push(Question {
                ask,
                audience: ask.title().to_string(),
                field: u.field.clone(),
                kind: QuestionKind::Confirm,
                question: format!(
                    "The documents ({from}) list \"{}\" under {}, but the agreed profile does not. Should it be added?",
                    show_value(&u.value),
                    label(&u.field)
                ),
            });
        }
        // Stable: keeps gaps, then conflicts, then confirmations within each audience.
        out.sort_by_key(|q| q.ask);
        out
    }

    /// `report.json`: the checker's result (the same contract as `orgprofile check --format
    /// json`), then the client, conflicts, items to confirm, files read, skipped and unreadable,
    /// the mapper's hints and the interview questions.
    pub fn report_json(&self) -> Value {
        to_value(&self.report_serialized(&self.questions()))
    }

    /// `report.json` as serde sees it (the same JSON as [`ClientReport::report_json`]), given
    /// the [`ClientReport::questions`].
    fn report_serialized<'a>(&'a self, questions: &'a [Question]) -> ReportJson<'a> {
        ReportJson {
            findings: &self.findings,
            client: &self.client,
            conflicts: &self.merged.conflicts,
            suggestions: &self.merged.suggestions,
            left_open: &self.merged.left_open,
            to_confirm: &self.merged.unconfirmed,
            files_read: &self.files_read,
            files_skipped: &self.files_skipped,
            files_unreadable: &self.files_unreadable,
            hints: &self.hints,
            questions,
        }
    }

    /// The suggestions for a field, best first.
    fn suggestions_for(&self, field: &str) -> Vec<&Suggestion> {
        self.merged
            .suggestions
            .iter()
            .filter(|s| s.field == field)
            .collect()
    }

    /// The field's entry in [`Merged::left_open`], if a document leaves it open.
    fn left_open(&self, field: &str) -> Option<&LeftOpen> {
        self.merged.left_open.iter().find(|o| o.field == field)
    }

    fn section_complete(&self, section: Section) -> bool {
        match self.findings.sections.iter().find(|s| s.section == section) {
            Some(s) => s.complete,
            None => !self.findings.findings.iter().any(|f| f.section == section),
        }
    }

    /// `report.md`: the gap report a consultant takes to the follow-up interview.
    pub fn markdown(&self, edition: Edition) -> String {
        self.markdown_with(edition, &self.questions())
    }

    /// [`ClientReport::markdown`], given the [`ClientReport::questions`] (computed once for
    /// `report.json` and `report.md`).
    fn markdown_with(&self, edition: Edition, questions: &[Question]) -> String {
        let mut md = String::with_capacity(16 * 1024);
        md.push_str("# Gap report: ");
        md_escape_into(&mut md, &self.client);
        md.push_str("\n\n");
        let complete_flags: Vec<bool> =
            SECTIONS.iter().map(|s| self.section_complete(*s)).collect();
        let incomplete = complete_flags.iter().filter(|c| !**c).count();
        let complete = SECTIONS.len() - incomplete;
        let _ = write!(md, "**{complete}/{} sections complete.**", SECTIONS.len());
        if incomplete > 0 {
            md.push_str(" Missing: ");
            let titles = SECTIONS
                .iter()
                .zip(&complete_flags)
                .filter(|(_, c)| !**c)
                .map(|(s, _)| s.title());
            for (i, t) in titles.enumerate() {
                if i > 0 {
                    md.push_str(", ");
                }
                md.push_str(t);
            }
            md.push('.');
        }
        md.push_str("\n\n");
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        let _ = write!(
            md,
            "Drafted from {} file{} ({} could not be read, {} skipped): {} error{}, {} warning{}, {} conflict{} to resolve",
            self.files_read.len(),
            plural(self.files_read.len()),
            self.files_unreadable.len(),
            self.files_skipped.len(),
            errors,
            plural(errors),
            warnings,
            plural(warnings),
            self.merged.conflicts.len(),
            plural(self.merged.conflicts.len()),
        );
        if !self.merged.unconfirmed.is_empty() {
            let _ = write!(md, ", {} item(s) to confirm", self.merged.unconfirmed.len());
        }
        md.push_str(".\n\n");
        // The section of every source, conflict and item to confirm, found once.
        let sections = Sections {
            sources: self
                .merged
                .sources
                .iter()
                .map(|s| section_of(&s.field))
                .collect(),
            conflicts: self
                .merged
                .conflicts
                .iter()
                .map(|c| section_of(&c.field))
                .collect(),
            unconfirmed: self
                .merged
                .unconfirmed
                .iter()
                .map(|u| section_of(&u.field))
                .collect(),
        };
        let mut scratch = String::new();
        for (section, complete) in SECTIONS.iter().zip(complete_flags) {
            self.section_markdown(
                &mut md,
                *section,
                complete,
                edition,
                &sections,
                &mut scratch,
            );
        }
        questions_markdown(&mut md, questions);
        self.files_markdown(&mut md);
        md
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    fn section_markdown(
        &self,
        md: &mut String,
        section: Section,
        complete: bool,
        edition: Edition,
        sections: &Sections,
        scratch: &mut String,
    ) {
        let clauses = section.clauses();
        let state = if complete { "complete" } else { "incomplete" };
        let _ = writeln!(md, "## {} ({state})\n", section.title());
        let _ = match edition {
            Edition::E2018 => writeln!(
                md,
                "*ISO/IEC 20000-1:2018 {}; 2011 edition: {}.* {}\n",
                clauses.clause_2018, clauses.clause_2011, clauses.why
            ),
            Edition::E2011 => writeln!(
                md,
                "*ISO/IEC 20000-1:2011 {}; 2018 edition: {}.* {}\n",
                clauses.clause_2011, clauses.clause_2018, clauses.why
            ),
        };

        let mut found = self
            .merged
            .sources
            .iter()
            .zip(&sections.sources)
            .filter(|(s, sec)| {
                **sec == Some(section) && (s.chosen.is_some() || !s.items.is_empty())
            })
            .map(|(s, _)| s)
            .peekable();
        if found.peek().is_none() {
            md.push_str("Found: nothing in the documents.\n\n");
        } else {
            md.push_str("Found:\n\n");
            for s in found {
                let name = label(&s.field);
                if let Some(c) = &s.chosen {
                    md.push_str("- **");
                    md_escape_into(md, &name);
                    md.push_str("**: ");
                    let _ = write_value(&mut MdEscaped(md), &c.value);
                    md.push_str(" (");
                    let _ = write_place(&mut MdEscaped(md), c);
                    md.push_str(&corroboration(s));
                    md.push_str(")\n");
                }
                if !s.items.is_empty() {
                    md.push_str("- **");
                    md_escape_into(md, &name);
                    md.push_str("**:\n");
                    for item in &s.items {
                        md.push_str("  - ");
                        let _ = write_value(&mut MdEscaped(md), &item.value);
                        md.push_str(" (");
                        write_places_md(md, &item.sources, scratch);
                        md.push_str(")\n");
                    }
                }
            }
            md.push('\n');
        }

        let mut missing = self
            .findings
            .findings
            .iter()
            .filter(|f| f.section == section)
            .peekable();
        if missing.peek().is_some() {
            md.push_str("Missing:\n\n");
            for f in missing {
                let sev = match f.severity {
                    Severity::Error => "Error",
                    Severity::Warning => "Warning",
                };
                let _ = write!(md, "- {sev}: `{}`: ", f.field);
                md_escape_into(md, &f.message);
                if !f.message.ends_with(['.', '!', '?']) {
                    md.push('.');
                }
                let suggested = self.suggestions_for(&f.field);
                if let Some(o) = self.left_open(&f.field) {
                    md.push(' ');
                    md_escape_into(md, &left_open_sentence(o));
                } else if !suggested.is_empty() {
                    md.push(' ');
                    md_escape_into(md, &suggestion_hint(&suggested));
                } else {
                    let mut not_taken = self
                        .merged
                        .sources
                        .iter()
                        .filter(|s| s.field == f.field)
                        .flat_map(|s| &s.alternatives)
                        .filter(|a| a.unused.is_some())
                        .take(MAX_NOT_TAKEN)
                        .peekable();
                    if not_taken.peek().is_some() {
                        md.push_str(" Found but not taken: ");
                        for (i, a) in not_taken.enumerate() {
                            let mut w = MdEscaped(md);
                            if i > 0 {
                                let _ = w.write_str("; ");
                            }
                            let _ = w.write_str("\"");
                            let _ = w.write_str(&shorten(&show_value(&a.value), 80));
                            let _ = w.write_str("\" (");
                            let _ = write_place(&mut w, a);
                            let _ = write!(w, ": {})", a.unused.as_deref().unwrap_or(""));
                        }
                        md.push('.');
                    }
                }
                md.push('\n');
            }
            md.push('\n');
        }

        // Suggested list items beside the items taken: the missing lines do not show them.
        let mut extra = self
            .merged
            .suggestions
            .iter()
            .filter(|sg| {
                section_of(&sg.field) == Some(section)
                    && !self.findings.findings.iter().any(|f| f.field == sg.field)
            })
            .peekable();
        if extra.peek().is_some() {
            md.push_str("Suggested by the documents, not taken (confirm at the interview):\n\n");
            for sg in extra {
                md.push_str("- ");
                md_escape_into(md, &label(&sg.field));
                md.push_str(": ");
                md_escape_into(md, &suggestion_phrase(sg));
                md.push('\n');
            }
            md.push('\n');
        }

        let mut conflicts = self
            .merged
            .conflicts
            .iter()
            .zip(&sections.conflicts)
            .filter(|(_, sec)| **sec == Some(section))
            .map(|(c, _)| c)
            .peekable();
        if conflicts.peek().is_some() {
            md.push_str("Conflicts to resolve:\n\n");
            for c in conflicts {
                md.push_str("- ");
                md_escape_into(md, &conflict_sentence(c));
                md.push('\n');
            }
            md.push('\n');
        }

        let mut confirm = self
            .merged
            .unconfirmed
            .iter()
            .zip(&sections.unconfirmed)
            .filter(|(_, sec)| **sec == Some(section))
            .map(|(u, _)| u)
            .peekable();
        if confirm.peek().is_some() {
            md.push_str(
                "In the documents but not in the agreed profile (confirm before adding):\n\n",
            );
            for u in confirm {
                md.push_str("- ");
                md_escape_into(md, &label(&u.field));
                md.push_str(": ");
                let _ = write_value(&mut MdEscaped(md), &u.value);
                md.push_str(" (");
                write_places_md(md, &u.sources, scratch);
                md.push_str(")\n");
            }
            md.push('\n');
        }
    }

    fn files_markdown(&self, md: &mut String) {
        md.push_str("## Files\n\n");
        if self.files_read.is_empty() {
            md.push_str("Read: none.\n\n");
        } else {
            md.push_str("Read:\n\n");
            for f in &self.files_read {
                md.push_str("- ");
                md_escape_into(md, &f.path);
                let _ = write!(
                    md,
                    " ({}, {} value{} found)",
                    f.format,
                    f.values,
                    plural(f.values)
                );
                if !f.notes.is_empty() {
                    md.push_str(": ");
                    for (i, n) in f.notes.iter().enumerate() {
                        if i > 0 {
                            md.push_str("; ");
                        }
                        md_escape_into(md, n);
                    }
                }
                md.push('\n');
            }
            md.push('\n');
        }
        if !self.files_unreadable.is_empty() {
            md.push_str("Could not be read (ask the client for a readable copy):\n\n");
            problems_markdown(md, &self.files_unreadable);
        }
        if !self.files_skipped.is_empty() {
            md.push_str("Skipped:\n\n");
            problems_markdown(md, &self.files_skipped);
        }
        if !self.hints.is_empty() {
            md.push_str("Hints for the mapping rules:\n\n");
            for h in &self.hints {
                md.push_str("- ");
                let _ = write!(MdEscaped(md), "{h}");
                md.push('\n');
            }
            md.push('\n');
        }
    }
}

/// The section of each source, conflict and item to confirm of a report, in their order.
struct Sections {
    sources: Vec<Option<Section>>,
    conflicts: Vec<Option<Section>>,
    unconfirmed: Vec<Option<Section>>,
}

/// The interview questions, grouped by whom to ask.
fn questions_markdown(md: &mut String, questions: &[Question]) {
    md.push_str("## Questions for the interview\n\n");
    if questions.is_empty() {
        md.push_str("None: every section is complete and nothing is in dispute.\n\n");
        return;
    }
    let mut current: Option<Audience> = None;
    let mut n = 0;
    for q in questions {
        if current != Some(q.ask) {
            if current.is_some() {
                md.push('\n');
            }
            let _ = writeln!(md, "### {}\n", q.ask.title());
            current = Some(q.ask);
            n = 0;
        }
        n += 1;
        let _ = write!(md, "{n}. ");
        md_escape_into(md, &q.question);
        md.push('\n');
    }
    md.push('\n');
}

/// Files that could not be read or were skipped, each with why.
fn problems_markdown(md: &mut String, problems: &[FileProblem]) {
    for f in problems {
        md.push_str("- ");
        md_escape_into(md, &f.path);
        md.push_str(": ");
        md_escape_into(md, &f.reason);
        md.push('\n');
    }
    md.push('\n');
}

/// What `report.json` holds, in its order: the checker's fields, then the report's.
#[derive(Serialize)]
struct ReportJson<'a> {
    #[serde(flatten)]
    findings: &'a Findings,
    client: &'a str,
    conflicts: &'a [Conflict],
    /// Values the evidence did not settle: the interview confirms them.
    suggestions: &'a [Suggestion],
    left_open: &'a [LeftOpen],
    to_confirm: &'a [Unconfirmed],
    files_read: &'a [FileRead],
    files_skipped: &'a [FileProblem],
    files_unreadable: &'a [FileProblem],
    hints: &'a [Hint],
    questions: &'a [Question],
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// ", also in 2 other places" when other sources agree with the chosen value.
fn corroboration(s: &FieldSources) -> String {
    let Some(c) = &s.chosen else {
        return String::new();
    };
    // Alternatives often repeat a value word for word: each distinct text is folded once.
    let shown = show_value(&c.value);
    let key = crate::merge::fold(&shown);
    let mut answers: foldhash::HashMap<String, bool> = foldhash::HashMap::default();
    answers.insert(shown, true);
    let mut agree = 0;
    for a in s.alternatives.iter().filter(|a| a.unused.is_none()) {
        let text = show_value(&a.value);
        let same = match answers.get(&text) {
            Some(&same) => same,
            None => {
                let same = crate::merge::fold(&text) == key;
                answers.insert(text, same);
                same
            }
        };
        agree += usize::from(same);
    }
    match agree {
        0 => String::new(),
        1 => "; also in 1 other place".to_string(),
        n => format!("; also in {n} other places"),
    }
}

/// Most values found but not taken that a missing line lists.
const MAX_NOT_TAKEN: usize = 3;

/// The first `max` characters of a text, with "..." when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text.to_string(),
    }
}

/// "\"Apex IT Services Ltd\" (about.md, line 3; 4 files agree)".
fn suggestion_phrase(s: &Suggestion) -> String {
    let place = s.sources.first().map(place).unwrap_or_default();
    let agree = match s.support {
        0 | 1 => String::new(),
        n => format!("; {n} files agree"),
    };
    format!(
        "\"{}\" ({place}{agree})",
        shorten(&show_value(&s.value), 120)
    )
}

/// "The documents suggest \"X\" (file, place; 4 files agree) or \"Y\" (...): confirm."
fn suggestion_hint(list: &[&Suggestion]) -> String {
    let phrases: Vec<String> = list.iter().take(3).map(|s| suggestion_phrase(s)).collect();
    format!("The documents suggest {}: confirm.", phrases.join(" or "))
}

/// Why a field a lower-priority rule found is missing: "The documents leave it open: "TBD"
/// (policy.docx, word/document.xml paragraph 16). A lower-priority rule suggests "Graham Keane,
/// Chief Operating Officer" (staff list (old).xlsx, Sheet1!A2), not taken: confirm at the
/// interview."
fn left_open_sentence(o: &LeftOpen) -> String {
    let guesses: Vec<String> = o
        .set_aside
        .iter()
        .map(|s| format!("\"{}\" ({})", show_value(&s.value), place(s)))
        .collect();
    format!(
        "The documents leave it open: \"{}\" ({}). A lower-priority rule suggests {}, not taken: confirm at the interview.",
        show_value(&o.statement.value),
        place(&o.statement),
        guesses.join(" or ")
    )
}

/// The same, for the interview question: "policy.docx says "TBD"; staff list (old).xlsx
/// suggests "Graham Keane, Chief Operating Officer"".
fn left_open_hint(o: &LeftOpen) -> String {
    let guesses: Vec<String> = o
        .set_aside
        .iter()
        .map(|s| {
            format!(
                "{} suggests \"{}\"",
                s.file.as_deref().unwrap_or("the base profile"),
                show_value(&s.value)
            )
        })
        .collect();
    format!(
        "{} says \"{}\"; {}",
        o.statement.file.as_deref().unwrap_or("a document"),
        show_value(&o.statement.value),
        guesses.join("; ")
    )
}

/// "SMS manager: the documents disagree. Kept "A" (file, locator); also found "B" (file, ...)."
fn conflict_sentence(c: &Conflict) -> String {
    // One entry per distinct value, with every place that gives it.
    let mut grouped: Vec<(String, String, Vec<String>)> = Vec::new();
    for o in &c.others {
        let key = crate::merge::fold(&show_value(&o.value));
        match grouped.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.2.push(place(o)),
            None => grouped.push((key, show_value(&o.value), vec![place(o)])),
        }
    }
    let others: Vec<String> = grouped
        .into_iter()
        .map(|(_, v, places)| format!("\"{v}\" ({})", places.join("; ")))
        .collect();
    match c.kind {
        ConflictKind::Documents => format!(
            "{}: the documents disagree. Kept \"{}\" ({}); also found {}.",
            label(&c.field),
            show_value(&c.chosen.value),
            place(&c.chosen),
            others.join(", ")
        ),
        ConflictKind::Base => format!(
            "{}: the agreed profile says \"{}\", but the documents say {}. The agreed value was kept.",
            label(&c.field),
            show_value(&c.chosen.value),
            others.join(", ")
        ),
    }
}

fn conflict_question(c: &Conflict) -> String {
    let mut options = vec![format!("\"{}\"", show_value(&c.chosen.value))];
    for o in &c.others {
        let s = format!("\"{}\"", show_value(&o.value));
        if !options.contains(&s) {
            options.push(s);
        }
    }
    match c.kind {
        ConflictKind::Documents => format!(
            "The documents disagree on the {}: {}. Which is right?",
            label(&c.field),
            options.join(" or ")
        ),
        ConflictKind::Base => format!(
            "The agreed profile gives the {} as {}, but the documents say {}. Which is right now?",
            label(&c.field),
            options.first().cloned().unwrap_or_default(),
            options.get(1..).unwrap_or_default().join(" or ")
        ),
    }
}

/// Escapes the characters Markdown would treat as markup, and makes line breaks spaces.
pub fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    md_escape_into(&mut out, text);
    out
}

/// [`md_escape`], appended to `out`: runs of plain text are copied whole.
fn md_escape_into(out: &mut String, text: &str) {
    let mut rest = text;
    // Every character handled is ASCII, so a byte position is a character boundary.
    while let Some(i) = rest.bytes().position(|b| {
        matches!(
            b,
            b'\\' | b'*' | b'`' | b'[' | b']' | b'<' | b'>' | b'|' | b'\n' | b'\r'
        )
    }) {
        let (plain, tail) = rest.split_at(i);
        out.push_str(plain);
        match tail.as_bytes().first() {
            Some(b'\n' | b'\r') => out.push(' '),
            Some(&b) => {
                out.push('\\');
                out.push(char::from(b));
            }
            None => {}
        }
        rest = tail.get(1..).unwrap_or("");
    }
    out.push_str(rest);
}

// ---- Writing -----------------------------------------------------------------------------------

/// An output file could not be written.
#[derive(Debug, Error)]
#[error("{path}: cannot write: {message}; check that the output folder is writable and the disk is not full")]
pub struct WriteError {
    /// The file or folder.
    pub path: PathBuf,
    /// What the operating system said.
    pub message: String,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes a file atomically: to a temporary file in the same folder, then renamed over `path`.
/// An interrupted run leaves the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let err = |e: std::io::Error| WriteError {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        drop(f);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}

/// `v` as serde_json's pretty JSON (two-space indent, keys in their order) and a final newline.
fn json_bytes<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).unwrap_or_else(|_| b"null".to_vec());
    bytes.push(b'\n');
    bytes
}

/// Writes `profile.json`, `sources.json`, `report.json` and `report.md` into `out` (created if
/// missing).
pub fn write_client(out: &Path, report: &ClientReport, edition: Edition) -> Result<(), WriteError> {
    fs::create_dir_all(out).map_err(|e| WriteError {
        path: out.to_path_buf(),
        message: e.to_string(),
    })?;
    write_atomic(
        &out.join("profile.json"),
        &json_bytes(&report.merged.profile),
    )?;
    write_atomic(
        &out.join("sources.json"),
        &json_bytes(&report.merged.sources_serialized()),
    )?;
    let questions = report.questions();
    write_atomic(
        &out.join("report.json"),
        &json_bytes(&report.report_serialized(&questions)),
    )?;
    write_atomic(
        &out.join("report.md"),
        report.markdown_with(edition, &questions).as_bytes(),
    )?;
    Ok(())
}

/// One client's row in `summary.json` and `summary.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRow {
    /// The client folder's name.
    pub client: String,
    /// `ok`, `gaps`, `unreadable files`, `gaps, unreadable files` or `failed: reason`.
    pub status: String,
    /// Sections complete, out of 8.
    pub sections_complete: usize,
    /// Error-level findings.
    pub errors: usize,
    /// Warning-level findings.
    pub warnings: usize,
    /// Conflicts to resolve.
    pub conflicts: usize,
    /// Files read.
    pub files_read: usize,
    /// Files that could not be read.
    pub files_unreadable: usize,
    /// Files skipped (lock, hidden, unsupported, empty).
    pub files_skipped: usize,
}

/// A batch's summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// `K/N` when the batch ran one shard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// One row per client, sorted by name.
    pub clients: Vec<SummaryRow>,
    /// Entries at the batch root that are not client folders (loose files, hidden folders).
    pub skipped: Vec<FileProblem>,
}

/// The column names of `summary.csv`, in order.
pub const SUMMARY_COLUMNS: [&str; 9] = [
    "client",
    "status",
    "sections_complete",
    "errors",
    "warnings",
    "conflicts",
    "files_read",
    "files_unreadable",
    "files_skipped",
];

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `summary.csv`: a header, then a row per client (RFC 4180 quoting).
pub fn summary_csv(summary: &Summary) -> String {
    let mut out = SUMMARY_COLUMNS.join(",");
    out.push('\n');
    for r in &summary.clients {
        let cells = [
            csv_field(&r.client),
            csv_field(&r.status),
            r.sections_complete.to_string(),
            r.errors.to_string(),
            r.warnings.to_string(),
            r.conflicts.to_string(),
            r.files_read.to_string(),
            r.files_unreadable.to_string(),
            r.files_skipped.to_string(),
        ];
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Writes `summary.json` and `summary.csv` into `out`.
pub fn write_summary(out: &Path, summary: &Summary) -> Result<(), WriteError> {
    write_atomic(&out.join("summary.json"), &json_bytes(summary))?;
    write_atomic(&out.join("summary.csv"), summary_csv(summary).as_bytes())
}

// ---- Explain -----------------------------------------------------------------------------------

/// `explain` cannot answer.
#[derive(Debug, Error)]
pub enum ExplainError {
    /// `sources.json` or `report.json` is missing or not JSON.
    #[error("{path}: {message}; give the output folder of `orgprofile import` (or one client's folder of a batch)")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The field asked about is neither a known field nor a section.
    #[error("{0}: not a field or section of the profile; give a pointer such as /key_roles/sms_manager or a section such as key_roles")]
    UnknownField(String),
}

fn read_json(path: &Path) -> Result<Value, ExplainError> {
    let text = fs::read_to_string(path).map_err(|e| ExplainError::Unreadable {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    serde_json::from_str(&text).map_err(|e| ExplainError::Unreadable {
        path: path.to_path_buf(),
        message: format!("not valid JSON ({e})"),
    })
}

fn how_words(how: &str) -> &'static str {
    match how {
        "exact" => "its header or label matched exactly",
        "synonym" => "its header or label matched a synonym",
        "pattern" => "a text pattern matched",
        "classified" => "classified from keyword evidence in the text",
        "derived" => "derived from other values: a count, a list of distinct values or a job title",
        _ => "matched",
    }
}

fn explain_source(s: &Value) -> String {
    let text = |k: &str| s.get(k).and_then(Value::as_str).unwrap_or("?").to_string();
    if s.get("from").and_then(Value::as_str) == Some("base") {
        return "the base profile (a consultant's agreed values)".to_string();
    }
    let mut out = format!(
        "{} at {}, rule {} ({})",
        text("file"),
        text("locator"),
        text("rule"),
        how_words(s.get("how").and_then(Value::as_str).unwrap_or(""))
    );
    if let Some(e) = s.get("evidence").and_then(Value::as_f64) {
        let _ = write!(out, "; evidence {}", crate::judge::trim_number(e));
    }
    let reasons: Vec<&str> = s
        .get("reasons")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !reasons.is_empty() {
        let _ = write!(out, " ({})", reasons.join("; "));
    }
    out
}

/// "score 0.82, from 3 files" for a chosen value or item.
fn explain_score(entry: &Value) -> String {
    let score = entry.get("score").and_then(Value::as_f64);
    let support = entry.get("support").and_then(Value::as_u64).unwrap_or(0);
    match score {
        Some(s) => format!(
            "score {}, from {support} file{}",
            crate::judge::trim_number(s),
            plural(support as usize)
        ),
        None => String::new(),
    }
}

/// Explains, in words a consultant reads, where each value of a drafted profile came from, its
/// alternatives and its conflicts. `field` narrows it to a pointer (`/key_roles/sms_manager`) or
/// a section (`key_roles`).
pub fn explain(out_dir: &Path, field: Option<&str>) -> Result<String, ExplainError> {
    let sources = read_json(&out_dir.join("sources.json"))?;
    let report = read_json(&out_dir.join("report.json"))?;
    let prefix = field.map(|f| {
        if f.starts_with('/') {
            f.trim_end_matches('/').to_string()
        } else {
            format!("/{f}")
        }
    });
    if let Some(p) = &prefix {
        let known = spec_for(p).is_some() || Section::from_id(p.trim_start_matches('/')).is_some();
        let present = sources
            .as_object()
            .is_some_and(|m| m.keys().any(|k| within(k, p)));
        if !known && !present {
            return Err(ExplainError::UnknownField(field.unwrap_or("").to_string()));
        }
    }
    let mut out = String::new();
    if prefix.is_none() {
        let complete = report
            .get("sections_complete")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let total = report
            .get("sections_total")
            .and_then(Value::as_u64)
            .unwrap_or(8);
        let _ = writeln!(
            out,
            "{}: {complete}/{total} sections complete.\n",
            report
                .get("client")
                .and_then(Value::as_str)
                .unwrap_or("profile")
        );
    }
    let conflicts: Vec<&Value> = report
        .get("conflicts")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let mut any = false;
    if let Some(map) = sources.as_object() {
        for (pointer, entry) in map {
            if prefix.as_ref().is_some_and(|p| !within(pointer, p)) {
                continue;
            }
            any = true;
            explain_field(&mut out, pointer, entry, &conflicts);
        }
    }
    if !any {
        let p = prefix.unwrap_or_default();
        let _ = writeln!(out, "{p}: no document gave a value.");
        for f in profile::FIELDS.iter().filter(|f| within(f.pointer, &p)) {
            let _ = writeln!(
                out,
                "  To fill {}, ask {}: {}",
                f.label,
                f.ask.title().to_lowercase(),
                f.question
            );
        }
    }
    Ok(out)
}

fn within(pointer: &str, prefix: &str) -> bool {
    pointer == prefix
        || pointer
            .strip_prefix(prefix)
            .is_some_and(|r| r.starts_with('/'))
}

fn explain_field(out: &mut String, pointer: &str, entry: &Value, conflicts: &[&Value]) {
    let _ = writeln!(out, "{} ({pointer})", label(pointer));
    if let Some(chosen) = entry.get("chosen") {
        let _ = writeln!(out, "  Value: \"{}\"", show_value(&chosen["value"]));
        let score = explain_score(entry);
        if !score.is_empty() {
            let _ = writeln!(
                out,
                "  Taken: its evidence clears the threshold and no other value comes close ({score})."
            );
        }
        let _ = writeln!(out, "  From: {}.", explain_source(chosen));
    }
    if let Some(items) = entry.get("items").and_then(Value::as_array) {
        let _ = writeln!(out, "  {} item{}:", items.len(), plural(items.len()));
        for item in items {
            let score = explain_score(item);
            let score = if score.is_empty() {
                String::new()
            } else {
                format!(" ({score})")
            };
            let _ = writeln!(out, "    - \"{}\"{score}", show_value(&item["value"]));
            for s in item
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let _ = writeln!(out, "        from {}", explain_source(s));
            }
        }
    }
    let suggestions: Vec<&Value> = entry
        .get("suggestions")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if entry.get("chosen").is_none() && entry.get("items").is_none() {
        if suggestions.is_empty() {
            out.push_str("  No usable value was found.\n");
        } else {
            out.push_str(
                "  Left open: the evidence does not settle it. Ask the client to confirm.\n",
            );
        }
    }
    if !suggestions.is_empty() {
        out.push_str("  Suggested (not taken):\n");
        for sg in suggestions {
            let _ = writeln!(
                out,
                "    - \"{}\" ({}): {}",
                show_value(&sg["value"]),
                explain_score(sg),
                sg.get("why").and_then(Value::as_str).unwrap_or("")
            );
            for s in sg
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let _ = writeln!(out, "        from {}", explain_source(s));
            }
        }
    }
    let alternatives: Vec<&Value> = entry
        .get("alternatives")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let (unused, other): (Vec<&Value>, Vec<&Value>) = alternatives
        .into_iter()
        .partition(|a| a.get("unused").is_some());
    if !other.is_empty() {
        out.push_str("  Also found:\n");
        for a in other {
            let _ = writeln!(
                out,
                "    - \"{}\" in {}",
                show_value(&a["value"]),
                explain_source(a)
            );
        }
    }
    if !unused.is_empty() {
        out.push_str("  Not used:\n");
        for a in unused {
            let _ = writeln!(
                out,
                "    - \"{}\" in {}: {}",
                show_value(&a["value"]),
                explain_source(a),
                a.get("unused").and_then(Value::as_str).unwrap_or("")
            );
        }
    }
    for c in conflicts {
        let field = c.get("field").and_then(Value::as_str).unwrap_or("");
        if !within(field, pointer) {
            continue;
        }
        let others: Vec<String> = c
            .get("others")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|o| format!("\"{}\" ({})", show_value(&o["value"]), explain_source(o)))
            .collect();
        let chosen = show_value(&c["chosen"]["value"]);
        let ask = spec_for(field).map_or("the client", |f| f.ask.title());
        if c.get("kind").and_then(Value::as_str) == Some("base") {
            let _ = writeln!(
                out,
                "  To confirm ({field}): the agreed profile says \"{chosen}\", but the documents say {}. The agreed value was kept; check with {}.",
                others.join(", "),
                ask.to_lowercase()
            );
        } else {
            let _ = writeln!(
                out,
                "  Conflict ({field}): \"{chosen}\" was kept because it has more evidence, but the documents also say {}. Confirm with {}.",
                others.join(", "),
                ask.to_lowercase()
            );
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_read_as_name_then_details() {
        let v = json!({"name": "London DC1", "type": "data_center", "country": "United Kingdom"});
        assert_eq!(show_value(&v), "London DC1 (data_center, United Kingdom)");
        let p = json!({"name": "NorthBank plc", "requirements": ["UK GDPR", "99.9%"]});
        assert_eq!(
            show_value(&p),
            "NorthBank plc (requirements: UK GDPR; 99.9%)"
        );
    }

    #[test]
    fn item_pointers_belong_to_their_list() {
        assert_eq!(spec_for("/locations/0/type").unwrap().pointer, "/locations");
        assert_eq!(label("/locations/0/type"), "locations, item 1, type");
        assert!(spec_for("/organizationx").is_none());
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    proptest::proptest! {
        #[test]
        fn markdown_escapes_every_markup_character_and_nothing_else(s in "\\PC{0,40}|[\\\\*`<>|\\[\\]\r\na-z]{0,20}") {
            let expected: String = s
                .chars()
                .flat_map(|c| match c {
                    '\\' | '*' | '`' | '[' | ']' | '<' | '>' | '|' => vec!['\\', c],
                    '\n' | '\r' => vec![' '],
                    c => vec![c],
                })
                .collect();
            proptest::prop_assert_eq!(md_escape(&s), expected);
        }
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            md_escape("[Name] *x*\nnext_id"),
            "\\[Name\\] \\*x\\* next_id"
        );
    }
}
