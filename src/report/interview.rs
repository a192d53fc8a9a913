//! The interview pack: a client's [`ClientReport`] and its questions in; `interview.docx` out,
//! written with docx-rs: a title, how to fill it in, the facts found per section with their
//! files, then per audience one table of the open questions (Question | What the documents
//! say | Answer | Field), the Answer cells empty and the Field cells naming each answer's JSON
//! pointer. The document property [`INTERVIEW_PROPERTY`] marks it as a pack of format
//! [`INTERVIEW_VERSION`], so that a pack put back answered is read as answers
//! (`crate::map::interview`), not as a policy.
//!
//! Decides nothing: the questions, suggestions and conflicts are the report's. Deterministic:
//! no date (the consultant writes the interview's), fixed document properties.

use super::{place, QuestionKind};
use super::{shorten, show_value, spec_for, suggestion_phrase, ClientReport, Question};
use crate::document::{INTERVIEW_HEADER, INTERVIEW_PROPERTY, INTERVIEW_VERSION};
use crate::merge::Origin;
use crate::profile::{self, SECTIONS};
use docx_rs::{
    Docx, Paragraph, Run, Shading, Style, StyleType, Table, TableCell, TableRow, WidthType,
};
use serde_json::Value;

/// Column widths of a question table, in twentieths of a point (16 cm in all).
const WIDTHS: [usize; 4] = [3000, 2700, 2700, 1670];

/// How to fill the pack in, one paragraph each.
const HOW_TO: [&str; 4] = [
    "Go through the questions with the client and type each answer in its Answer cell, in the client's words. Leave a row empty when there is no answer yet: the next report asks again. Do not change the Field column: it says where each answer goes.",
    "Write the value itself, not \"yes\" or \"agreed\" (to confirm a suggestion, copy it). For a list, put one entry per line (press Enter between entries). Write a record as shown: a site as Leeds (headquarters, United Kingdom); a process or service owner as Incident management: Sarah Chen; an interested party as Acme plc (customer): 99.9% availability; UK GDPR; a tool as Jira Service Management (itsm).",
    "Site types: headquarters, office, data_center, remote. Party types: customer, user, supplier, regulator, internal, partner. Service provider type: Type I (internal customers only), Type II (external customers only) or Type III (both).",
    "Then save this file in the client's folder (any file name) and run the import again: each answer is taken with this file and its row as the source, and it outranks the documents. An answer that does not fit its field is reported with its row and not taken.",
];

/// `interview.docx` for a client, given the report's questions.
pub(super) fn interview_docx(
    report: &ClientReport,
    questions: &[Question],
) -> Result<Vec<u8>, String> {
    let style = |id: &str, name: &str, size: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .bold()
            .size(size)
    };
    let ids = Ids(std::cell::Cell::new(0));
    let mut doc = Docx::new()
        .add_style(style("Title", "Title", 40))
        .add_style(style("Heading1", "heading 1", 30))
        .add_style(style("Heading2", "heading 2", 24))
        .custom_property(INTERVIEW_PROPERTY, INTERVIEW_VERSION)
        .add_paragraph(ids.styled("Title", &format!("Interview: {}", report.client)))
        .add_paragraph(ids.para(
            "Date of the interview: ____________   Interviewer: ____________   Interviewee: ____________",
        ))
        .add_paragraph(ids.styled("Heading1", "How to fill it in"));
    for p in HOW_TO {
        doc = doc.add_paragraph(ids.para(p));
    }
    doc = doc.add_paragraph(ids.styled("Heading1", "What the documents say"));
    for section in SECTIONS {
        let state = if report.section_complete(section) {
            "complete"
        } else {
            "open"
        };
        doc = doc.add_paragraph(ids.styled("Heading2", &format!("{} ({state})", section.title())));
        let mut any = false;
        for s in report
            .merged
            .sources
            .iter()
            .filter(|s| super::section_of(&s.field) == Some(section))
        {
            let (value, mut files) = match &s.chosen {
                Some(c) => (show_value(&c.value), vec![place_file(c)]),
                None if !s.items.is_empty() => {
                    let values: Vec<String> =
                        s.items.iter().map(|i| show_value(&i.value)).collect();
                    let files = s
                        .items
                        .iter()
                        .flat_map(|i| i.sources.first())
                        .map(place_file);
                    (values.join("; "), files.collect())
                }
                None => continue,
            };
            files.sort();
            files.dedup();
            files.truncate(3);
            any = true;
            doc = doc.add_paragraph(ids.para(&format!(
                "{}: {} ({})",
                super::label(&s.field),
                shorten(&value, 300),
                files.join(", ")
            )));
        }
        if !any {
            doc = doc.add_paragraph(ids.para("Nothing found in the documents."));
        }
    }
    doc = doc.add_paragraph(ids.styled("Heading1", "Questions"));
    if questions.is_empty() {
        doc = doc
            .add_paragraph(ids.para("None: every section is complete and nothing is in dispute."));
    }
    // The questions come grouped by whom to ask: a heading and a table per group.
    for group in questions.chunk_by(|a, b| a.ask == b.ask) {
        if let Some(first) = group.first() {
            doc = doc
                .add_paragraph(ids.styled("Heading2", first.ask.title()))
                .add_table(question_table(&ids, report, group));
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| format!("cannot build interview.docx: {e}"))?;
    Ok(out.into_inner())
}

/// The file a value came from, or "the base profile".
fn place_file(s: &crate::merge::Sourced) -> String {
    s.file.clone().unwrap_or_else(|| "the base profile".into())
}

/// Numbers the pack's paragraphs itself: docx-rs's own paragraph ids come from a per-thread
/// counter, which would make the bytes depend on what the thread wrote before.
struct Ids(std::cell::Cell<u32>);

impl Ids {
    /// A new empty paragraph with the next id.
    fn p(&self) -> Paragraph {
        let n = self.0.get().saturating_add(1);
        self.0.set(n);
        Paragraph::new().id(format!("{n:08X}"))
    }

    fn para(&self, text: &str) -> Paragraph {
        self.p().add_run(Run::new().add_text(text))
    }

    fn styled(&self, style: &str, text: &str) -> Paragraph {
        self.para(text).style(style)
    }
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new().width(width, WidthType::Dxa), |c, p| {
            c.add_paragraph(p)
        })
}

/// One audience's table: the header row, then a row per answer the questions ask for.
fn question_table(ids: &Ids, report: &ClientReport, questions: &[Question]) -> Table {
    let header = TableRow::new(
        INTERVIEW_HEADER
            .iter()
            .zip(WIDTHS)
            .map(|(h, w)| {
                cell(w, vec![ids.p().add_run(Run::new().add_text(*h).bold())])
                    .shading(Shading::new().fill("D9D9D9"))
            })
            .collect(),
    );
    let mut rows = vec![header];
    for q in questions {
        for (question, at, field) in answer_rows(q) {
            let says = says(report, &at);
            let says = if says.is_empty() {
                vec![ids.para("Nothing found.")]
            } else {
                says.iter().map(|s| ids.para(s)).collect()
            };
            let pointer = ids
                .p()
                .add_run(Run::new().add_text(field).size(16).color("808080"));
            rows.push(TableRow::new(vec![
                cell(WIDTHS[0], vec![ids.para(&question)]),
                cell(WIDTHS[1], says),
                cell(WIDTHS[2], vec![ids.p()]),
                cell(WIDTHS[3], vec![pointer]),
            ]));
        }
    }
    Table::new(rows).set_grid(WIDTHS.to_vec())
}

/// The rows a question asks: (question, the pointer it is about, the field its answer fills).
/// A gap in a group of fields (resource allocation, existing processes) asks each member; a
/// record's field (`/locations/1/country`) is answered as a whole item of its list.
fn answer_rows(q: &Question) -> Vec<(String, String, String)> {
    let group = profile::field_group(&q.field)
        .filter(|g| q.kind == QuestionKind::Gap && g.pointer == q.field);
    match group {
        Some(g) => g
            .members
            .iter()
            .filter_map(|m| profile::field(m))
            .map(|f| {
                (
                    f.question.to_string(),
                    f.pointer.to_string(),
                    f.pointer.to_string(),
                )
            })
            .collect(),
        None => {
            let field = spec_for(&q.field).map_or(q.field.as_str(), |f| f.pointer);
            vec![(q.question.clone(), q.field.clone(), field.to_string())]
        }
    }
}

/// What the documents say about a pointer, a line each: the value the profile holds, a
/// statement that leaves it open, suggestions, conflicting values and items to confirm, each
/// with where it was found.
fn says(report: &ClientReport, pointer: &str) -> Vec<String> {
    let m = &report.merged;
    let quote = |v: &Value| format!("\"{}\"", shorten(&show_value(v), 120));
    let mut out: Vec<String> = Vec::new();
    if let Some(v) = m.profile.pointer(pointer).filter(|v| !v.is_null()) {
        out.push(format!("Now: {}", quote(v)));
    }
    if let Some(o) = report.left_open(pointer) {
        out.push(format!(
            "Left open: {} ({})",
            quote(&o.statement.value),
            place(&o.statement)
        ));
    }
    for s in m.suggestions.iter().filter(|s| s.field == pointer) {
        out.push(format!("Suggested: {}", suggestion_phrase(s)));
    }
    for c in m
        .conflicts
        .iter()
        .filter(|c| super::within(&c.field, pointer))
    {
        out.push(format!(
            "Kept: {} ({})",
            quote(&c.chosen.value),
            place(&c.chosen)
        ));
        for o in &c.others {
            out.push(format!("Also: {} ({})", quote(&o.value), place(o)));
        }
    }
    for u in m.unconfirmed.iter().filter(|u| u.field == pointer) {
        let from = u.sources.first().map(place).unwrap_or_default();
        out.push(format!("To confirm: {} ({from})", quote(&u.value)));
    }
    let field = spec_for(pointer).map_or(pointer, |f| f.pointer);
    let rejected = m
        .sources
        .iter()
        .filter(|s| s.field == field)
        .flat_map(|s| &s.alternatives)
        .filter(|a| a.from == Origin::Answer && a.unused.is_some());
    for a in rejected {
        out.push(format!(
            "Answer not taken: {} ({}): {}",
            quote(&a.value),
            place(a),
            a.unused.as_deref().unwrap_or("")
        ));
    }
    out.dedup();
    out
}
