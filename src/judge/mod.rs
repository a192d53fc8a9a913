//! Judge: one document and the [`Candidate`]s mapping found in it in; each candidate with its
//! [`Verdict`] out: a weight and the reasons for it in words, or a rejection and its reason.
//!
//! A candidate is judged on its own, never against other candidates (weighing candidates
//! against each other is the merge's job):
//!
//! 1. **Placeholders** (`TBD`, `[Organization Name]`, `{{name}}`): rejected. This module owns
//!    the one definition of template text ([`placeholder`]).
//! 2. **Shape**: the value must fit its field's [`Shape`] (a person's name, a place, a short
//!    label...); a value that does not is rejected with the reason ([`shape`]).
//! 3. **Kind of text**: where the value stands: a glossary, an example, a blank template or form,
//!    a job advert, a list of vendors, customers, competitors or prohibited products, a
//!    quotation, a page header or footer, a comment ([`context`]). Each kind weighs the value
//!    down (or, where the documents say who the organization is, up) by its configured weight.
//! 4. **Cues** in the value's clause: negated, past, evaluated or hypothetical, an example,
//!    another organization ([`cues`]).
//!
//! The weight is the product of the factors: 1 changes nothing, 0.1 makes the value ten times
//! less likely. The vocabulary and weights are data (`mappings/judge.toml`, [`Config`]).

pub mod config;
pub mod context;
pub mod cues;
pub mod placeholder;
pub mod shape;

pub use config::Config;
pub use placeholder::{is_blank, is_filled, is_placeholder, says_open};
pub use shape::names_role;

use crate::document::Document;
use crate::map::Candidate;
use crate::profile::{self, FieldKind, Shape};
use context::Reading;
use serde::Serialize;
use serde_json::Value;

/// One thing that raises or lowers a candidate's weight, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// What it multiplies the odds of the value by: below 1 casts doubt, above 1 supports.
    pub times: f64,
    /// Why, in words ("from a glossary or definitions").
    pub why: String,
}

impl Factor {
    /// A factor of `times` for the reason `why`.
    pub fn new(times: f64, why: &str) -> Factor {
        Factor {
            times,
            why: why.to_string(),
        }
    }
}

/// What the judge says of one candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The value may be taken, with this weight (the product of the factors).
    Weighed {
        /// The product of the factors; 1 when nothing speaks for or against the value.
        weight: f64,
        /// Every factor, in the order found.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        factors: Vec<Factor>,
    },
    /// The value is never taken.
    Rejected {
        /// Why, in words.
        reason: String,
    },
}

impl Verdict {
    /// The weight: 0 for a rejection.
    pub fn weight(&self) -> f64 {
        match self {
            Verdict::Weighed { weight, .. } => *weight,
            Verdict::Rejected { .. } => 0.0,
        }
    }

    /// The reasons in words: each factor's, or the rejection's.
    pub fn reasons(&self) -> Vec<String> {
        match self {
            Verdict::Weighed { factors, .. } => factors
                .iter()
                .map(|f| format!("{} (x{})", f.why, trim_number(f.times)))
                .collect(),
            Verdict::Rejected { reason } => vec![reason.clone()],
        }
    }
}

/// A number for people: at most two decimals, no trailing zeros ("0.1", "2", "0.33").
pub fn trim_number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A candidate and the judge's verdict on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judged {
    /// The candidate as mapping found it.
    #[serde(flatten)]
    pub candidate: Candidate,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// How the reason for doubting a record's member starts ("its owner is doubtful:"): the merge
/// recognises the doubt it may lift by it.
pub fn member_doubt(key: &str) -> String {
    format!("its {key} is doubtful:")
}

/// Judges every candidate of one document.
pub fn judge_document(doc: &Document, candidates: Vec<Candidate>, config: &Config) -> Vec<Judged> {
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut judge = DocumentJudge::new(doc, config);
    candidates
        .into_iter()
        .map(|candidate| {
            let verdict = judge.verdict(&candidate);
            Judged { candidate, verdict }
        })
        .collect()
}

/// The judge of one document's candidates: the document is read once, and each block or row
/// once however many candidates it holds (a paragraph naming ten tools).
pub struct DocumentJudge<'d> {
    reading: Reading<'d>,
    spots: std::collections::HashMap<(usize, Option<usize>), context::Spot<'d>>,
    config: &'d Config,
}

impl<'d> DocumentJudge<'d> {
    /// A judge for the candidates of `doc`.
    pub fn new(doc: &'d Document, config: &'d Config) -> DocumentJudge<'d> {
        DocumentJudge {
            reading: Reading::new(doc, config),
            spots: std::collections::HashMap::new(),
            config,
        }
    }

    /// The verdict on one candidate of the document.
    pub fn verdict(&mut self, c: &Candidate) -> Verdict {
        let reading = &self.reading;
        let spot = self
            .spots
            .entry((c.block, c.row))
            .or_insert_with(|| reading.spot(c.block, c.row));
        judge(reading, spot, c, self.config)
    }
}

/// Whether a candidate's value is a value at all: not template text, and of its field's shape
/// (a post where a person's name belongs is not yet one). The mapper asks this before a
/// fallback rule gives way to a value already found.
pub fn fits_shape(c: &Candidate) -> bool {
    let Some(spec) = profile::target(&c.field) else {
        return true;
    };
    let texts = shaped_texts(c, spec);
    texts.first().is_some_and(|(t, shape, _)| {
        !is_placeholder(t)
            && shape::fit(*shape, t)
                .is_ok_and(|fs| !fs.iter().any(|f| f.why == shape::POST_FOR_PERSON))
    })
}

/// The text of a JSON value for the shape and cue checks (numbers as their digits).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The value's texts to check, each with its shape: the value itself, or a record's name and
/// its checked members.
fn shaped_texts(
    c: &Candidate,
    spec: &profile::FieldSpec,
) -> Vec<(String, Shape, Option<&'static str>)> {
    let shape = c.shape.unwrap_or(spec.shape);
    match (spec.kind, &c.value) {
        (FieldKind::RecordList(keys), Value::Object(record)) => {
            let mut out = Vec::new();
            let first = keys
                .first()
                .map(|k| k.trim_end_matches("[]"))
                .unwrap_or("name");
            if let Some(t) = record.get(first).and_then(text_of) {
                out.push((t, shape, None));
            }
            for (key, s) in spec.members {
                match record.get(*key) {
                    Some(Value::Array(items)) => out.extend(
                        items
                            .iter()
                            .filter_map(text_of)
                            .map(|t| (t, *s, Some(*key))),
                    ),
                    Some(v) => out.extend(text_of(v).map(|t| (t, *s, Some(*key)))),
                    None => {}
                }
            }
            out
        }
        (_, v) => text_of(v).map(|t| (t, shape, None)).into_iter().collect(),
    }
}

fn judge(
    reading: &Reading<'_>,
    spot: &context::Spot<'_>,
    c: &Candidate,
    config: &Config,
) -> Verdict {
    if c.how == crate::map::MatchKind::Answer {
        return judge_answer(c);
    }
    let Some(spec) = profile::target(&c.field) else {
        return Verdict::Weighed {
            weight: 1.0,
            factors: Vec::new(),
        };
    };
    let texts = shaped_texts(c, spec);
    if texts.is_empty() {
        return Verdict::Rejected {
            reason: "no value to take".into(),
        };
    }
    // A record of a person's role without the person ("Incident management | TBD") names
    // nobody: the role is open, not filled.
    if let Value::Object(record) = &c.value {
        let open = spec.members.iter().find(|(key, shape)| {
            *shape == Shape::Person
                && record
                    .get(*key)
                    .and_then(text_of)
                    .is_none_or(|t| is_placeholder(&t))
        });
        if let Some((key, _)) = open {
            return Verdict::Rejected {
                reason: format!("names no {key}: the document leaves it open"),
            };
        }
    }
    let mut factors = Vec::new();
    // Placeholders and shape: the name (or whole value) must fit; a member that does not fit
    // is only doubted (a record's name is what it is about).
    for (text, shape, member) in &texts {
        if is_placeholder(text) {
            if member.is_some() {
                continue;
            }
            let reason = if says_open(text) {
                format!("the document leaves this open (\"{}\")", text.trim())
            } else {
                format!("template text (\"{}\"), not a value", shorten(text))
            };
            return Verdict::Rejected { reason };
        }
        match shape::fit(*shape, text) {
            Ok(fs) => factors.extend(fs),
            Err(why) => match member {
                None => {
                    return Verdict::Rejected {
                        reason: format!(
                            "\"{}\" does not fit the shape {shape}: {why}",
                            shorten(text)
                        ),
                    }
                }
                Some(key) => {
                    factors.push(Factor::new(0.3, &format!("{} {why}", member_doubt(key))))
                }
            },
        }
    }
    if let FieldKind::Choice(choices) = spec.kind {
        let ok = c.value.as_str().is_some_and(|v| choices.contains(&v));
        if !ok {
            return Verdict::Rejected {
                reason: format!("not one of {}", choices.join(", ")),
            };
        }
    }
    // Where it stands: its block or row, and its column.
    let column = match texts.first() {
        Some((text, _, _)) => reading.column_contexts(c.block, c.row, shape::name_part(text)),
        None => Vec::new(),
    };
    let own = column
        .iter()
        .filter(|k| !spot.contexts.iter().any(|s| s.id == k.id));
    for context in spot.contexts.iter().chain(own) {
        if let Some(w) = context.weights.for_field(&c.field) {
            if w == 0.0 {
                return Verdict::Rejected {
                    reason: context.reason.clone(),
                };
            }
            if w != 1.0 {
                factors.push(Factor::new(w, &context.reason));
            }
        }
    }
    // Templates: the document as a whole, and the value's own paragraph or row.
    let share = reading.template_share();
    if reading.named_as_template() {
        factors.push(Factor::new(
            config.template_weight,
            "from a file named as a template or example",
        ));
    } else if share >= config.template_share {
        factors.push(Factor::new(
            config.template_weight,
            &format!(
                "from a document that is {}% template text",
                (share * 100.0).round()
            ),
        ));
    }
    let around = &spot.text;
    if spot.template {
        factors.push(Factor::new(
            config.beside_template,
            "beside template text in its paragraph or row",
        ));
    }
    // Its own words.
    if let Some((text, _, _)) = texts.first() {
        let value = if spec.shape == Shape::Person {
            shape::name_part(text).to_string()
        } else {
            text.clone()
        };
        factors.extend(cues::cue_factors(around, &value, c.at, &c.field, config));
    }
    if c.sole {
        factors.push(Factor::new(
            config.sole_weight,
            "its evidence says it is the only kind (\"only\", or the other kinds denied)",
        ));
    }
    let weight = factors.iter().map(|f| f.times).product();
    Verdict::Weighed { weight, factors }
}

/// An interview answer: the client's own word, so the text around it is not weighed; it must
/// only fit its field (a known field, no template text or bare yes or no, every part of its
/// shape, a listed choice or type). What does not fit is rejected with the reason.
fn judge_answer(c: &Candidate) -> Verdict {
    let reject = |reason: String| Verdict::Rejected { reason };
    let Some(spec) = profile::target(&c.field) else {
        return reject(format!("{} is not a field of the profile", c.field));
    };
    let texts = shaped_texts(c, spec);
    if texts.is_empty() {
        return reject("no value to take".into());
    }
    for (text, shape, member) in &texts {
        let what = member.map_or(String::new(), |m| format!("its {m} "));
        let folded = crate::merge::fold(text);
        if matches!(
            folded.as_str(),
            "yes" | "no" | "ok" | "y" | "n" | "confirmed" | "agreed"
        ) {
            return reject(format!(
                "\"{}\" is not a value: write the value itself",
                text.trim()
            ));
        }
        if is_placeholder(text) {
            return reject(format!("{what}\"{}\" is template text", shorten(text)));
        }
        if let Err(why) = shape::fit(*shape, text) {
            return reject(format!(
                "{what}\"{}\" does not fit the shape {shape}: {why}",
                shorten(text)
            ));
        }
    }
    if let FieldKind::Choice(choices) = spec.kind {
        if !c.value.as_str().is_some_and(|v| choices.contains(&v)) {
            return reject(format!("not one of {}", choices.join(", ")));
        }
    }
    let types = crate::map::interview::record_types(&c.field);
    if let (Some(types), Some(t)) = (types, c.value.get("type").and_then(Value::as_str)) {
        if !types.contains(&t) {
            return reject(format!(
                "its type \"{t}\" is not one of {}",
                types.join(", ")
            ));
        }
    }
    Verdict::Weighed {
        weight: 1.0,
        factors: Vec::new(),
    }
}

/// The first 60 characters of a text, for messages.
fn shorten(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &t[..i]),
        None => t.to_string(),
    }
}
