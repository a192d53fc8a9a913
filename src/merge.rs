//! Merge: the judged candidates of every file of a client (and, optionally, a base profile) in;
//! one profile, the suggestions the evidence does not settle, the sources of every value, and
//! the conflicts to resolve out.
//!
//! A field is decided by evidence, in four steps:
//!
//! 1. **Evidence of one candidate.** The rule's priority is its prior: how likely, out of 100,
//!    a value it finds is right when nothing speaks against it. The judge's weight multiplies
//!    the prior's odds (a glossary row: x0.05; a legal-entity suffix: x2). A candidate the
//!    judge rejected counts for nothing and is listed as an alternative with the reason.
//! 2. **Classes.** Candidates that say the same thing (equal once folded, or one contained word
//!    for word in the other: "Sarah Chen" and "Sarah Chen, IT Service Manager"; see
//!    [`agrees`]) form one class. For a list field, a class is one item: candidates with the
//!    same name, and in `/locations` and `/interested_parties` a name whose words all stand in
//!    one fuller name ("Manchester" in "Manchester HQ").
//! 3. **Score.** A class's score is the chance that at least one of its independent files is
//!    right: each file counts with its best candidate, and files combine as
//!    `1 - (1 - e1)(1 - e2)...`. Four files that each say the same thing weakly beat one file
//!    that says something else.
//! 4. **Decision.** A single-valued field takes the best class when its score reaches the
//!    acceptance threshold and beats the best disagreeing class by the margin; otherwise the
//!    field stays empty and its classes become [`Suggestion`]s for the interview. A list takes
//!    every item that reaches the threshold; the others are suggestions. Free text (the
//!    description, the classification rationale) is never a conflict: two documents quoting
//!    different sentences do not disagree. Thresholds come from the judge's configuration
//!    ([`Policy`]).
//!
//! Two rules about the organization's identity: a name that is also a customer's, supplier's,
//! partner's or regulator's in the same documents never becomes the organization's; and a
//! field a document explicitly leaves open ("Top management sponsor: TBD"), by a rule that
//! ranks above every value found, stays open with the values as suggestions.
//!
//! A **base profile** (one a consultant already corrected) wins: its values are kept as they
//! are, with its unknown keys; a document value that disagrees with a base value is a conflict
//! to confirm, never an overwrite; a base list is kept as it is and document items not in it
//! are [`Unconfirmed`] additions. A base value that is missing, empty or a placeholder is
//! filled from the documents as if there were no base.
//!
//! The result never depends on the order candidates arrive in: they are sorted first, and every
//! choice follows a total order. Merge reads no files and decides nothing about completeness.

mod people;

use crate::document::natural_cmp;
use crate::judge::shape::{name_part, without_honorifics};
use crate::judge::{is_placeholder, Judged, Verdict};
use crate::map::{Candidate, MatchKind};
use crate::profile::{self, FieldKind};
use serde::Serialize;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Most values suggested for one single-valued field.
const MAX_SUGGESTIONS: usize = 3;

/// The thresholds a field is decided by (from [`crate::judge::Config`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// A class is taken when its score reaches this.
    pub accept: f64,
    /// ... and beats the best disagreeing class by this much.
    pub margin: f64,
    /// Classes below this score are not suggested.
    pub suggest: f64,
    /// A candidate the judge weighed below this does not add to the support of other files:
    /// the same doubtful text in ten templates is not ten confirmations.
    pub corroborate: f64,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy::from(&crate::judge::Config::default())
    }
}

impl From<&crate::judge::Config> for Policy {
    fn from(c: &crate::judge::Config) -> Policy {
        Policy {
            accept: c.accept,
            margin: c.margin,
            suggest: c.suggest,
            corroborate: c.corroborate,
        }
    }
}

/// Where a value came from: the base profile or a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The base profile given with `--base`.
    Base,
    /// A client document (see `file`, `locator`, `rule`, `how`).
    Document,
    /// An answer written in an interview pack (`file` is the pack, `locator` its Answer cell):
    /// it outranks the documents and the base profile.
    Answer,
}

/// A value with its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced {
    /// The value as found.
    pub value: Value,
    /// Base profile or document.
    pub from: Origin,
    /// The file, relative to the client folder (documents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where in the file (documents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
    /// The rule that found it (documents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// How the rule matched (documents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<MatchKind>,
    /// The candidate's evidence: its rule's prior weighed by the judge (documents only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<f64>,
    /// The judge's reasons, in words (documents only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Why the value was not used ("rejected: ...", "placeholder", "not in the base profile").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unused: Option<String>,
}

impl Sourced {
    fn base(value: Value) -> Sourced {
        Sourced {
            value,
            from: Origin::Base,
            file: None,
            locator: None,
            rule: None,
            how: None,
            evidence: None,
            reasons: Vec::new(),
            unused: None,
        }
    }

    fn doc(e: &Entry<'_>, value: Value) -> Sourced {
        let c = e.candidate;
        // A rejection's reason is the `unused` note; it has no evidence to show.
        let weighed = matches!(e.verdict, Verdict::Weighed { .. });
        Sourced {
            value,
            from: if is_answer(e) {
                Origin::Answer
            } else {
                Origin::Document
            },
            file: Some(c.file.clone()),
            locator: Some(c.locator.clone()),
            rule: Some(c.rule.clone()),
            how: Some(c.how),
            evidence: weighed.then(|| round(e.evidence)),
            reasons: if weighed {
                e.verdict.reasons()
            } else {
                Vec::new()
            },
            unused: None,
        }
    }

    fn unused(mut self, why: &str) -> Sourced {
        self.unused = Some(why.to_string());
        self
    }
}

/// A score for people and files: three decimals.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One item of a list field and every source that gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSources {
    /// The merged item as written to the profile.
    pub value: Value,
    /// The item's score (documents only; a base item has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// How many different files give it.
    pub support: usize,
    /// Each candidate (or the base) that contributed to it, with the value it gave.
    pub sources: Vec<Sourced>,
}

/// The sources of one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSources {
    /// The field's JSON pointer (the key in `sources.json`).
    #[serde(skip)]
    pub field: String,
    /// The value written to the profile, with its source (scalar fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Sourced>,
    /// The chosen value's score (scalar fields decided from documents).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// How many different files give the chosen value (scalar fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<usize>,
    /// The items written to the profile, each with its sources (list fields).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemSources>,
    /// Values the evidence did not settle, best first: the interview confirms them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// Every other value found: agreeing candidates of the chosen value, values that lost,
    /// rejected candidates with the judge's reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Sourced>,
}

impl FieldSources {
    fn new(field: &str) -> FieldSources {
        FieldSources {
            field: field.to_string(),
            chosen: None,
            score: None,
            support: None,
            items: Vec::new(),
            suggestions: Vec::new(),
            alternatives: Vec::new(),
        }
    }
}

/// A value the documents suggest but the evidence does not settle: it is not written to the
/// profile; the gap report and the interview pack ask the client to confirm it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// JSON pointer of the field (for a list: the list).
    pub field: String,
    /// The value (for a list: one item).
    pub value: Value,
    /// Its score.
    pub score: f64,
    /// How many different files give it.
    pub support: usize,
    /// Why it was not taken, in words.
    pub why: String,
    /// Where it was found, best first.
    pub sources: Vec<Sourced>,
}

/// Who disagrees with the chosen value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two documents (or two rules) give different values; the best was taken.
    Documents,
    /// A document disagrees with the base profile; the base value was kept. Confirm it.
    Base,
    /// A document (or the base profile) disagrees with an interview answer; the answer was kept.
    Answer,
}

/// Two sources disagree on a value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// JSON pointer of the value (for a record's field, e.g. `/locations/1/country`).
    pub field: String,
    /// Documents disagree, or a document disagrees with the base.
    pub kind: ConflictKind,
    /// The value in the profile and its source.
    pub chosen: Sourced,
    /// The disagreeing values and their sources.
    pub others: Vec<Sourced>,
}

/// A list item found in documents but not in the base profile's list (not added).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unconfirmed {
    /// JSON pointer of the list.
    pub field: String,
    /// The item as the documents give it.
    pub value: Value,
    /// Where it was found.
    pub sources: Vec<Sourced>,
}

/// A field a document explicitly leaves open ("Top management sponsor: TBD") by a rule that
/// ranks above every value found for it: the field stays missing, so the checker asks for it,
/// and the values found are suggestions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOpen {
    /// JSON pointer of the field.
    pub field: String,
    /// The statement that leaves it open (its value is the placeholder text, e.g. "TBD").
    pub statement: Sourced,
    /// The values lower-ranked rules found, best first, not used.
    pub set_aside: Vec<Sourced>,
}

/// What a merge gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The profile, keys in canonical order.
    pub profile: Value,
    /// The sources of every field that has a value or a candidate, in canonical field order.
    pub sources: Vec<FieldSources>,
    /// Disagreements, by field.
    pub conflicts: Vec<Conflict>,
    /// Values the evidence did not settle, by field then best first.
    pub suggestions: Vec<Suggestion>,
    /// Document list items a base profile does not have.
    pub unconfirmed: Vec<Unconfirmed>,
    /// Fields a higher-ranked statement leaves open although lower-ranked rules found a value
    /// (not written to the profile).
    pub left_open: Vec<LeftOpen>,
}

impl Merged {
    /// Records a conflict on `field` when the documents (or the base) say something other than
    /// `chosen`: `others`, each source once; nothing when there is none.
    fn conflict(
        &mut self,
        field: String,
        kind: ConflictKind,
        chosen: Sourced,
        mut others: Vec<Sourced>,
    ) {
        dedup_sources(&mut others);
        if !others.is_empty() {
            self.conflicts.push(Conflict {
                field,
                kind,
                chosen,
                others,
            });
        }
    }

    /// `sources.json`: an object keyed by field pointer, in canonical field order.
    pub fn sources_json(&self) -> Value {
        serde_json::to_value(self.sources_serialized()).unwrap_or(Value::Null)
    }

    /// `sources.json` as serde sees it, to serialise straight to bytes without building the
    /// [`Value`] of [`Merged::sources_json`] first (the same JSON).
    pub fn sources_serialized(&self) -> SourcesJson<'_> {
        SourcesJson(&self.sources)
    }

    /// An empty result, for merging records whose conflicts are not reported.
    fn scratch() -> Merged {
        Merged {
            profile: Value::Null,
            sources: Vec::new(),
            conflicts: Vec::new(),
            suggestions: Vec::new(),
            unconfirmed: Vec::new(),
            left_open: Vec::new(),
        }
    }

    /// Whether a field was left undecided: it has suggestions and no value.
    pub fn undecided(&self, field: &str) -> bool {
        self.suggestions.iter().any(|s| s.field == field)
            && self
                .sources
                .iter()
                .find(|s| s.field == field)
                .is_none_or(|s| s.chosen.is_none() && s.items.is_empty())
    }
}

/// The sources of every field as one JSON object keyed by field pointer: what
/// [`Merged::sources_serialized`] gives.
#[derive(Debug, Clone, Copy)]
pub struct SourcesJson<'a>(pub &'a [FieldSources]);

impl Serialize for SourcesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for s in self.0 {
            map.serialize_entry(&s.field, s)?;
        }
        map.end()
    }
}

// ---- Evidence ---------------------------------------------------------------------------------

/// One judged candidate with its evidence, as the merge uses it.
struct Entry<'a> {
    candidate: &'a Candidate,
    verdict: &'a Verdict,
    /// The rule's prior weighed by the judge's weight: 0 for a rejection.
    evidence: f64,
}

/// Whether an entry is an interview answer ([`MatchKind::Answer`]).
fn is_answer(e: &Entry<'_>) -> bool {
    e.candidate.how == MatchKind::Answer
}

/// The evidence of a candidate: its rule's prior (priority / 100), its odds multiplied by the
/// judge's weight.
pub fn evidence(priority: i32, weight: f64) -> f64 {
    if weight <= 0.0 {
        return 0.0;
    }
    let p = (f64::from(priority) / 100.0).clamp(0.01, 0.99);
    let odds = p / (1.0 - p) * weight;
    odds / (1.0 + odds)
}

/// The merge order of two entries of the same field: best evidence first, then how it matched,
/// then file, locator, rule and value (numbers in names compare as numbers), so that the order
/// is total and never depends on the order files were read in.
fn rank(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let (x, y) = (a.candidate, b.candidate);
    b.evidence
        .total_cmp(&a.evidence)
        .then_with(|| x.how.cmp(&y.how))
        .then_with(|| natural_cmp(&x.file, &y.file))
        .then_with(|| natural_cmp(&x.locator, &y.locator))
        .then_with(|| x.rule.cmp(&y.rule))
        .then_with(|| x.value.to_string().cmp(&y.value.to_string()))
        .then_with(|| x.file.cmp(&y.file))
        .then_with(|| x.locator.cmp(&y.locator))
}

/// A class of agreeing candidates (or, for a list, one item) and its score.
struct Class<'a> {
    /// The folded key the class was formed by.
    key: String,
    /// Its members in rank order, each with the value (or list item) it gave.
    members: Vec<(&'a Entry<'a>, Value)>,
    score: f64,
    support: usize,
}

impl<'a> Class<'a> {
    fn new(key: String, first: (&'a Entry<'a>, Value)) -> Class<'a> {
        Class {
            key,
            members: vec![first],
            score: 0.0,
            support: 0,
        }
    }

    /// Scores the class ([`score_members`]).
    fn score(&mut self, corroborate: f64) {
        (self.score, self.support) = score_members(&self.members, corroborate);
    }

    fn best(&self) -> Option<&(&'a Entry<'a>, Value)> {
        self.members.first()
    }

    /// Whether an interview answer gives this class: it is taken whatever the documents say.
    /// Its answers are moved first, so a record takes its fields from them.
    fn answered(&mut self) -> bool {
        self.members.sort_by_key(|(e, _)| !is_answer(e));
        self.members.first().is_some_and(|(e, _)| is_answer(e))
    }

    /// The member to show: the best one, or a fuller wording of it that another member gives
    /// ("Rebecca Holt, Chief Executive Officer" for "Rebecca Holt").
    fn fullest(&self) -> Option<&(&'a Entry<'a>, Value)> {
        let best = self.members.first()?;
        let words = |v: &Value| fold_value(v).split(' ').filter(|w| !w.is_empty()).count();
        let fuller = self.members.iter().skip(1).filter(|(_, v)| {
            words(v) > words(&best.1) && agrees_folded(&fold_value(v), &fold_value(&best.1))
        });
        Some(fuller.max_by_key(|(_, v)| words(v)).unwrap_or(best))
    }

    fn sources(&self) -> Vec<Sourced> {
        self.members
            .iter()
            .map(|(e, v)| Sourced::doc(e, v.clone()))
            .collect()
    }

    fn suggestion(&self, field: &str, value: Value, why: String) -> Suggestion {
        Suggestion {
            field: field.to_string(),
            value,
            score: round(self.score),
            support: self.support,
            why,
            sources: self.sources(),
        }
    }
}

/// The score of a class's members and their support (how many files). Within a file, each rule counts once, with its best member, and
/// different rules at different places of the file combine (an org chart and a sentence
/// naming the same sponsor); the same rule again, or two rules reading the same text, add
/// nothing. Files combine as independent evidence, `1 - (1 - e1)(1 - e2)...`. Files whose
/// best member the judge doubted (weight below `corroborate`) do not add up: only the
/// strongest of them counts.
fn score_members(members: &[(&Entry<'_>, Value)], corroborate: f64) -> (f64, usize) {
    // file -> rule -> its best member (evidence, weight, locator)
    let mut by_file: BTreeMap<&str, BTreeMap<&str, (f64, f64, &str)>> = BTreeMap::new();
    for (e, _) in members {
        let c = e.candidate;
        let best = by_file
            .entry(c.file.as_str())
            .or_default()
            .entry(c.rule.as_str())
            .or_insert((0.0, 0.0, ""));
        if e.evidence > best.0 {
            *best = (e.evidence, e.verdict.weight(), c.locator.as_str());
        }
    }
    let mut clean = 1.0;
    let mut doubted: f64 = 0.0;
    for rules in by_file.values() {
        let mut found: Vec<(f64, f64, &str)> = rules.values().copied().collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut places: Vec<&str> = Vec::new();
        let mut miss = 1.0;
        for (e, _, at) in &found {
            if !places.contains(at) {
                places.push(at);
                miss *= 1.0 - e;
            }
        }
        let file_evidence = 1.0 - miss;
        let weight = found.first().map_or(0.0, |f| f.1);
        if weight >= corroborate {
            clean *= 1.0 - file_evidence;
        } else {
            doubted = doubted.max(file_evidence);
        }
    }
    (1.0 - clean * (1.0 - doubted), by_file.len())
}

/// Classes best first: score, then their best members' rank, then key.
fn by_score(a: &Class<'_>, b: &Class<'_>) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| match (a.best(), b.best()) {
            (Some((x, _)), Some((y, _))) => rank(x, y),
            _ => Ordering::Equal,
        })
        .then_with(|| a.key.cmp(&b.key))
}

// ---- Folding and agreement --------------------------------------------------------------------

/// Folds a text for comparison, as the mapper folds headers and labels: Unicode NFKC, lower
/// case, `&` as "and", every run of characters that are not letters or digits (whitespace,
/// punctuation) one space, British spellings as American. "Sarah Chen, IT Service Manager" and
/// "sarah chen - it service manager" fold the same, and so do "Data Centre" and "Data Center".
pub fn fold(text: &str) -> String {
    crate::map::fold_whole(text)
}

/// The folded form of a JSON value (strings and numbers as their text).
/// The number a count states: 140 for 140 or "140 employees" (digits grouped by commas or
/// spaces allowed).
fn leading_number(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => {
            let digits: String = s
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == ' ')
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        }
        _ => None,
    }
}

fn fold_value(v: &Value) -> String {
    match v {
        Value::String(s) => fold(s),
        Value::Number(n) => n.to_string(),
        other => fold(&other.to_string()),
    }
}

/// Whether two values say the same thing: equal once folded, or one is contained word for word
/// in the other ("Sarah Chen" and "Sarah Chen, IT Service Manager"; "120" and "120 employees";
/// a value and the same value with its label, "Budget: approved"). "Type II" and "Type III" do
/// not agree: words are compared whole.
pub fn agrees(a: &Value, b: &Value) -> bool {
    a == b || agrees_folded(&fold_value(a), &fold_value(b))
}

fn agrees_folded(fa: &str, fb: &str) -> bool {
    if fa == fb {
        return true;
    }
    let wa: Vec<&str> = fa.split(' ').filter(|w| !w.is_empty()).collect();
    let wb: Vec<&str> = fb.split(' ').filter(|w| !w.is_empty()).collect();
    let (short, long) = if wa.len() <= wb.len() {
        (wa, wb)
    } else {
        (wb, wa)
    };
    !short.is_empty() && long.windows(short.len()).any(|w| w == short.as_slice())
}

/// Whether one folded value is the initials of the other's first words: "gl" and "gareth lumb
/// managing director". Initials are one word of two or three letters.
fn initials_agree(fa: &str, fb: &str) -> bool {
    let (short, long) = if fa.len() <= fb.len() {
        (fa, fb)
    } else {
        (fb, fa)
    };
    let n = short.chars().count();
    if !(2..=3).contains(&n) || !short.chars().all(|c| c.is_alphabetic()) {
        return false;
    }
    let firsts: String = long
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(n)
        .filter_map(|w| w.chars().next())
        .collect();
    firsts == short
}

/// Whether a JSON value is a placeholder (or empty): never a value to keep.
fn value_is_placeholder(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty() || is_placeholder(s),
        Value::Array(a) => a.iter().all(value_is_placeholder),
        Value::Object(o) => o.values().all(value_is_placeholder),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A candidate value in the canonical spelling of a choice field ("type ii" -> "Type II").
fn canonical_choice(kind: FieldKind, v: &Value) -> Value {
    if let (FieldKind::Choice(choices), Value::String(s)) = (kind, v) {
        let f = fold(s);
        if let Some(c) = choices.iter().find(|c| fold(c) == f) {
            return Value::String((*c).to_string());
        }
    }
    v.clone()
}

// ---- The merge --------------------------------------------------------------------------------

/// The order fields are merged and reported in: [`profile::FIELDS`] order, then unknown
/// pointers alphabetically.
fn field_order(pointer: &str) -> (usize, &str) {
    let idx = profile::FIELDS
        .iter()
        .position(|f| f.pointer == pointer)
        .unwrap_or(usize::MAX);
    (idx, pointer)
}

/// Merges judged candidates (in any order) and an optional base profile into one profile.
pub fn merge(judged: &[Judged], base: Option<&Value>, policy: &Policy) -> Merged {
    let base = base.filter(|b| b.is_object());
    // Who is meant by a post or a first name, from the people the documents list.
    // The people are not a field: they only say who is meant.
    let resolved = people::resolve(judged);
    let entries: Vec<Entry<'_>> = judged
        .iter()
        .enumerate()
        .filter(|(_, j)| j.candidate.field != profile::PEOPLE.pointer)
        .map(|(i, j)| resolved.get(&i).unwrap_or(j))
        .map(|j| Entry {
            candidate: &j.candidate,
            verdict: &j.verdict,
            evidence: evidence(j.candidate.priority, j.verdict.weight()),
        })
        .collect();
    // Each field's entries, best first.
    let mut by_field: BTreeMap<(usize, &str), Vec<&Entry<'_>>> = BTreeMap::new();
    for e in &entries {
        by_field
            .entry(field_order(&e.candidate.field))
            .or_default()
            .push(e);
    }
    for list in by_field.values_mut() {
        list.sort_by(|a, b| rank(a, b));
    }
    // Known fields the base has but no document mentions still get their sources listed.
    if let Some(b) = base {
        for f in profile::FIELDS {
            if b.pointer(f.pointer).is_some() {
                by_field.entry(field_order(f.pointer)).or_default();
            }
        }
    }
    // Files that gave at least one real value: only their "TBD"s are statements (a file that
    // gave nothing but placeholders is an unfilled template).
    let filled: BTreeSet<&str> = entries
        .iter()
        .filter(|e| e.evidence > 0.0)
        .map(|e| e.candidate.file.as_str())
        .collect();
    // Names the documents give to other organizations: never this organization's name.
    let others = other_organizations(&entries);

    let mut out = Merged {
        profile: base.cloned().unwrap_or_else(|| Value::Object(Map::new())),
        sources: Vec::new(),
        conflicts: Vec::new(),
        suggestions: Vec::new(),
        unconfirmed: Vec::new(),
        left_open: Vec::new(),
    };
    for ((_, field), list) in &by_field {
        let kind = profile::field(field).map_or(FieldKind::Text, |f| f.kind);
        let base_value = base.and_then(|b| b.pointer(field)).cloned();
        let mut fs = FieldSources::new(field);
        // Rejected candidates are never weighed: they are listed with the judge's reason.
        let (weighed, rejected): (Vec<&Entry<'_>>, Vec<&Entry<'_>>) =
            list.iter().partition(|e| e.evidence > 0.0);
        let ctx = FieldCtx {
            field,
            kind,
            policy,
            filled: &filled,
            others: &others,
            rejected: &rejected,
        };
        if kind.is_list() {
            merge_list(&ctx, &weighed, base_value, &mut fs, &mut out);
        } else {
            merge_scalar(&ctx, &weighed, base_value, &mut fs, &mut out);
        }
        for e in rejected {
            let why = match e.verdict {
                Verdict::Rejected { reason } => format!("rejected: {reason}"),
                Verdict::Weighed { .. } => "rejected".to_string(),
            };
            let v = canonical_choice(kind, &e.candidate.value);
            fs.alternatives.push(Sourced::doc(e, v).unused(&why));
        }
        let any = fs.chosen.is_some()
            || !fs.items.is_empty()
            || !fs.alternatives.is_empty()
            || !fs.suggestions.is_empty();
        out.suggestions.extend(fs.suggestions.iter().cloned());
        if any {
            out.sources.push(fs);
        }
    }
    profile::canonical_order(&mut out.profile);
    out
}

/// What every field's decision reads besides its own candidates.
struct FieldCtx<'a> {
    field: &'a str,
    kind: FieldKind,
    policy: &'a Policy,
    /// Files that gave a real value.
    filled: &'a BTreeSet<&'a str>,
    /// Folded names of other organizations (customers, suppliers, ...), with where from.
    others: &'a BTreeMap<String, String>,
    /// The field's rejected candidates.
    rejected: &'a [&'a Entry<'a>],
}

/// The folded names of the customers, suppliers, partners and regulators the documents name
/// with some evidence, and the technology products, each with where it was named.
fn other_organizations(entries: &[Entry<'_>]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in entries.iter().filter(|e| e.evidence > 0.0) {
        let c = e.candidate;
        let what = match c.field.as_str() {
            "/interested_parties" => match c.value.get("type").and_then(Value::as_str) {
                Some("internal") | Some("user") | None => continue,
                Some(t) => t.to_string(),
            },
            "/technology" => "product".to_string(),
            _ => continue,
        };
        if let Some(name) = c.value.get("name").and_then(Value::as_str) {
            let key = fold(name);
            if key.split(' ').count() >= 1 && !key.is_empty() {
                out.entry(key)
                    .or_insert_with(|| format!("a {what} in {} ({})", c.file, c.locator));
            }
        }
    }
    out
}

fn merge_scalar(
    ctx: &FieldCtx<'_>,
    weighed: &[&Entry<'_>],
    base_value: Option<Value>,
    fs: &mut FieldSources,
    out: &mut Merged,
) {
    let field = ctx.field;
    let prose = profile::field(field).is_some_and(profile::FieldSpec::is_prose);
    let person = profile::field(field).is_some_and(|f| f.shape == profile::Shape::Person);
    // Classes of agreeing values, formed in rank order (deterministic; agreement by
    // containment is not transitive, so the order matters and is fixed). A person's initials
    // agree with the full name ("GL will act as executive sponsor" and "Gareth Lumb").
    let mut classes: Vec<Class<'_>> = Vec::new();
    for e in weighed {
        let v = canonical_choice(ctx.kind, &e.candidate.value);
        // A person is one person whatever job title each document gives them ("Ing. Matteo
        // Zanella, CEO" and "Matteo Zanella, Geschäftsführer").
        let key = match &v {
            Value::String(s) if person => fold(without_honorifics(name_part(s))),
            _ => fold_value(&v),
        };
        let home = classes.iter_mut().find(|c| {
            if prose {
                c.key == key
            } else {
                agrees_folded(&c.key, &key) || (person && initials_agree(&c.key, &key))
            }
        });
        match home {
            Some(c) => c.members.push((e, v)),
            None => classes.push(Class::new(key, (e, v))),
        }
    }
    for c in &mut classes {
        c.score(ctx.policy.corroborate);
    }
    if matches!(ctx.kind, FieldKind::Choice(_)) {
        sum_choices(&mut classes, ctx.policy);
    }
    // A reason goes with the value it explains: the classes found where that value was found
    // come first.
    if let Some((_, explained)) = profile::EXPLAINS.iter().find(|(f, _)| *f == field) {
        let decided = out.sources.iter().find(|s| s.field == *explained);
        let value = decided.and_then(|s| s.chosen.as_ref()).map(|c| &c.value);
        let places: Vec<(&str, &str)> = decided
            .into_iter()
            .flat_map(|s| s.chosen.iter().chain(&s.alternatives))
            .filter(|s| s.unused.is_none() && Some(&s.value) == value)
            .filter_map(|s| Some((s.file.as_deref()?, s.locator.as_deref()?)))
            .collect();
        let near = |c: &Class<'_>| {
            c.members.iter().any(|(e, _)| {
                places.contains(&(e.candidate.file.as_str(), e.candidate.locator.as_str()))
            })
        };
        classes.sort_by(|a, b| near(b).cmp(&near(a)).then_with(|| by_score(a, b)));
    } else {
        classes.sort_by(by_score);
    }
    // The organization's name is never another organization's.
    if field == "/organization/name" {
        classes.retain(|c| match ctx.others.get(&c.key) {
            Some(whose) => {
                for (e, v) in &c.members {
                    fs.alternatives.push(
                        Sourced::doc(e, v.clone())
                            .unused(&format!("rejected: the documents name it as {whose}")),
                    );
                }
                false
            }
            None => true,
        });
    }

    // An interview answer wins over the documents and the base profile.
    if let Some(i) = classes.iter_mut().position(|c| c.answered()) {
        let won = classes.remove(i);
        take_answer(ctx, &won, &classes, base_value, fs, out);
        return;
    }

    // A base value wins; documents that disagree with it are conflicts to confirm.
    let base_value = base_value.filter(|v| !v.is_null());
    if let Some(b) = base_value.clone().filter(|b| !value_is_placeholder(b)) {
        let mut others = Vec::new();
        for c in &classes {
            let disagrees = !prose && !agrees(&b, &c.best().map_or(Value::Null, |m| m.1.clone()));
            for s in c.sources() {
                if disagrees && c.score >= ctx.policy.suggest {
                    others.push(s.clone());
                }
                fs.alternatives.push(s);
            }
        }
        let chosen = Sourced::base(b);
        out.conflict(
            field.to_string(),
            ConflictKind::Base,
            chosen.clone(),
            others,
        );
        fs.chosen = Some(chosen);
        return;
    }
    if let Some(b) = base_value {
        fs.alternatives
            .push(Sourced::base(b).unused("placeholder in the base profile"));
    }

    // A document that says the field is open, by a rule ranked above every value found.
    let best_prior = classes
        .iter()
        .flat_map(|c| c.members.iter())
        .map(|(e, _)| e.candidate.priority)
        .max();
    let open = ctx.rejected.iter().find(|e| {
        e.candidate.says_open()
            && ctx.filled.contains(e.candidate.file.as_str())
            && best_prior.is_some_and(|p| e.candidate.priority > p)
    });
    if let Some(o) = open {
        let statement = Sourced::doc(o, o.candidate.value.clone())
            .unused("the document leaves this field open");
        let why = format!(
            "{} ({}) says \"{}\" by a rule ranked above this one; confirm before using it",
            o.candidate.file,
            o.candidate.locator,
            o.candidate.value.as_str().unwrap_or_default()
        );
        let mut set_aside = Vec::new();
        for c in &classes {
            if let Some((_, v)) = c.best() {
                fs.suggestions
                    .push(c.suggestion(field, v.clone(), why.clone()));
            }
            set_aside.extend(c.sources().into_iter().map(|s| s.unused(&why)));
        }
        out.left_open.push(LeftOpen {
            field: field.to_string(),
            statement,
            set_aside,
        });
        return;
    }

    // A stand-in (the chief executive as the sponsor, "when no one is named as such") yields
    // to a value another rule found for the field, however weak ("Arjun is the exec
    // sponsor"): the documents name someone, so the stand-in is only suggested.
    let stands_in = |c: &Class<'_>| c.members.iter().all(|(e, _)| e.candidate.stand_in);
    if let Some((e, v)) = classes
        .iter()
        .find(|c| !stands_in(c))
        .and_then(Class::best)
        .filter(|_| classes.iter().any(stands_in))
    {
        let why = format!(
            "{} ({}) names \"{}\" for this field; a stand-in is not taken over it",
            e.candidate.file,
            e.candidate.locator,
            v.as_str().unwrap_or_default()
        );
        for c in classes.iter().filter(|c| stands_in(c)) {
            if let Some((_, v)) = c.best().filter(|_| c.score >= ctx.policy.suggest) {
                fs.suggestions
                    .push(c.suggestion(field, v.clone(), why.clone()));
            }
        }
        classes.retain(|c| !stands_in(c));
    }

    // A count of a list's rows is a floor: a staff list of 12 beside "we're 140 people" holds
    // part of the staff, so it yields to a larger headcount a document states and the merge
    // takes.
    if field == "/organization/size" {
        let counted = |c: &Class<'_>| {
            c.members
                .iter()
                .all(|(e, _)| e.candidate.how == MatchKind::Derived)
        };
        let stated = classes
            .iter()
            .filter(|c| !counted(c) && c.score >= ctx.policy.accept)
            .filter_map(|c| c.best().and_then(|(_, v)| leading_number(v)))
            .max();
        if let Some(stated) = stated {
            let partial = |c: &Class<'_>| {
                counted(c)
                    && c.best()
                        .and_then(|(_, v)| leading_number(v))
                        .is_some_and(|n| n < stated)
            };
            let why = format!(
                "a list of fewer people than the {stated} the documents state: part of the staff"
            );
            for c in classes.iter().filter(|c| partial(c)) {
                for s in c.sources() {
                    fs.alternatives.push(s.unused(&why));
                }
            }
            classes.retain(|c| !partial(c));
        }
    }

    let Some(best) = classes.first() else {
        return;
    };
    let runner = classes.get(1).filter(|_| !prose);
    let clears = best.score >= ctx.policy.accept;
    let beats = runner.is_none_or(|r| best.score - r.score >= ctx.policy.margin);
    if !(clears && beats) {
        let why = if !clears {
            format!(
                "the evidence ({}) is below the threshold ({})",
                crate::judge::trim_number(best.score),
                crate::judge::trim_number(ctx.policy.accept)
            )
        } else {
            format!(
                "values disagree and none clearly wins ({} against {})",
                crate::judge::trim_number(best.score),
                crate::judge::trim_number(runner.map_or(0.0, |r| r.score))
            )
        };
        // The best few are suggested; the rest are listed as values not used.
        let suggested = classes
            .iter()
            .take_while(|c| c.score >= ctx.policy.suggest)
            .take(MAX_SUGGESTIONS)
            .count();
        for c in &classes[..suggested] {
            if let Some((_, v)) = c.best() {
                fs.suggestions
                    .push(c.suggestion(field, v.clone(), why.clone()));
            }
        }
        for c in &classes[suggested..] {
            fs.alternatives
                .extend(c.sources().into_iter().map(|s| s.unused(&why)));
        }
        return;
    }
    let Some((e, v)) = (if person { best.fullest() } else { best.best() }) else {
        return;
    };
    let chosen = Sourced::doc(e, v.clone());
    if !set_pointer(&mut out.profile, field, v.clone()) {
        fs.alternatives.push(
            chosen.unused("the base profile has another kind of value where this field goes"),
        );
        return;
    }
    fs.chosen = Some(chosen.clone());
    fs.score = Some(round(best.score));
    fs.support = Some(best.support);
    // The chosen class's other members agree: they are alternatives that support it.
    fs.alternatives.extend(
        best.members
            .iter()
            .skip(1)
            .map(|(e, v)| Sourced::doc(e, v.clone())),
    );
    let mut others = Vec::new();
    for c in classes.iter().skip(1) {
        let lost = format!(
            "another value has more evidence ({} against {})",
            crate::judge::trim_number(best.score),
            crate::judge::trim_number(c.score)
        );
        for s in c.sources() {
            if !prose && c.score >= ctx.policy.suggest {
                others.push(s.clone());
            }
            fs.alternatives
                .push(if prose { s } else { s.unused(&lost) });
        }
    }
    out.conflict(field.to_string(), ConflictKind::Documents, chosen, others);
}

/// Takes the answered class `won` for a single-valued field: its answer is the value; every
/// other class, and a base value, that disagrees with it (and would have been suggested) is a
/// conflict of kind [`ConflictKind::Answer`], the answer kept.
fn take_answer(
    ctx: &FieldCtx<'_>,
    won: &Class<'_>,
    classes: &[Class<'_>],
    base_value: Option<Value>,
    fs: &mut FieldSources,
    out: &mut Merged,
) {
    let field = ctx.field;
    let prose = profile::field(field).is_some_and(profile::FieldSpec::is_prose);
    let Some((e, v)) = won.best() else { return };
    let chosen = Sourced::doc(e, v.clone());
    let outranked = "an interview answer outranks it";
    if !set_pointer(&mut out.profile, field, v.clone()) {
        fs.alternatives.push(
            chosen.unused("the base profile has another kind of value where this field goes"),
        );
        return;
    }
    fs.chosen = Some(chosen.clone());
    fs.score = Some(1.0);
    fs.support = Some(won.support);
    let mut sources = won.sources().into_iter().skip(1);
    fs.alternatives.extend(sources.by_ref());
    let mut others = Vec::new();
    for c in classes {
        for s in c.sources() {
            if !prose && c.score >= ctx.policy.suggest {
                others.push(s.clone());
            }
            fs.alternatives.push(s.unused(outranked));
        }
    }
    if let Some(b) = base_value.filter(|b| !b.is_null() && !value_is_placeholder(b)) {
        let s = Sourced::base(b);
        if !prose && !agrees(&s.value, v) {
            others.push(s.clone());
        }
        fs.alternatives.push(s.unused(outranked));
    }
    out.conflict(field.to_string(), ConflictKind::Answer, chosen, others);
}

/// Choices that are the sum of two others ([`profile::CHOICE_SUMS`]): when the evidence for
/// each part (its own class and the sum's) clears the threshold, the parts and the sum become
/// one class of the sum, scored by its weaker part. "Type II" in one document and "Type III"
/// in another, or "Type I" and "Type II" in two, is Type III; not when a part's evidence says
/// it is the only one ([`crate::map::Candidate::sole`]).
fn sum_choices(classes: &mut Vec<Class<'_>>, policy: &Policy) {
    for (sum, [a, b]) in profile::CHOICE_SUMS {
        let of = |v: &str| fold(v);
        let keys = [of(sum), of(a), of(b)];
        let members = |want: &[&String], classes: &[Class<'_>]| -> f64 {
            let part: Vec<(&Entry<'_>, Value)> = classes
                .iter()
                .filter(|c| want.contains(&&c.key))
                .flat_map(|c| c.members.iter().cloned())
                .collect();
            score_members(&part, policy.corroborate).0
        };
        let part_a = members(&[&keys[0], &keys[1]], classes);
        let part_b = members(&[&keys[0], &keys[2]], classes);
        if part_a < policy.accept || part_b < policy.accept {
            continue;
        }
        // A part whose evidence says it is the only one ("only to our own staff") is not
        // added to the other: the documents then disagree.
        let sole = classes.iter().any(|c| {
            (c.key == keys[1] || c.key == keys[2])
                && c.members.iter().any(|(e, _)| e.candidate.sole)
        });
        if sole {
            continue;
        }
        let mut whole: Vec<(&Entry<'_>, Value)> = Vec::new();
        classes.retain(|c| {
            if keys.contains(&c.key) {
                whole.extend(c.members.iter().cloned());
                false
            } else {
                true
            }
        });
        // Members that found the sum itself come first: they show it and its reason.
        let is_sum = |v: &Value| v.as_str() == Some(*sum);
        whole.sort_by(|x, y| is_sum(&y.1).cmp(&is_sum(&x.1)).then_with(|| rank(x.0, y.0)));
        let mut c = Class {
            key: keys[0].clone(),
            members: whole,
            score: 0.0,
            support: 0,
        };
        c.score(policy.corroborate);
        c.score = part_a.min(part_b);
        // The class is shown as the sum, also when no member found the sum itself.
        if let Some(first) = c.members.first_mut() {
            first.1 = Value::String((*sum).to_string());
        }
        classes.push(c);
        classes.sort_by(by_score);
    }
}

/// Keeps one of each (value, file, locator): two rules reading the same cell are one source of
/// disagreement, not two.
fn dedup_sources(list: &mut Vec<Sourced>) {
    let mut seen: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    list.retain(|s| {
        let key = (fold_value(&s.value), s.file.clone(), s.locator.clone());
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

// ---- Lists ------------------------------------------------------------------------------------

/// The name of a list item: its text, or a record's first key (`name`, `process`, `service`).
fn item_name(kind: FieldKind, item: &Value) -> Option<&Value> {
    match kind {
        FieldKind::RecordList(keys) => item.get(keys.first()?.trim_end_matches("[]")),
        _ => Some(item),
    }
}

/// The folded key of a list item, or `None` when it has no usable name.
fn item_key(kind: FieldKind, item: &Value) -> Option<String> {
    let v = item_name(kind, item)?;
    (!value_is_placeholder(v)).then(|| fold_value(v))
}

/// A product's name folded without its version or a note in brackets: "GLPI 10", "VMware
/// vSphere 7" and "Microsoft Exchange 2019 (on premises)" are GLPI, VMware vSphere and
/// Microsoft Exchange.
fn product_key(name: &str) -> String {
    let head = fold(name.split('(').next().unwrap_or(name));
    let mut words: Vec<&str> = head.split(' ').filter(|w| !w.is_empty()).collect();
    // "v3", "10", "7", "2019"; not "365" ("Microsoft 365" is a product of its own).
    let version = |w: &str| {
        let numeric = |d: &str| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit());
        match w.strip_prefix('v') {
            Some(d) => numeric(d),
            None => numeric(w) && (w.len() <= 2 || (w.len() == 4 && w.starts_with(['1', '2']))),
        }
    };
    while words.len() > 1 && words.last().is_some_and(|w| version(w)) {
        words.pop();
    }
    if words.is_empty() {
        fold(name)
    } else {
        words.join(" ")
    }
}

/// Turns a candidate value into list items: an array gives its elements; for a record list a
/// bare string names the record.
fn items_of(kind: FieldKind, v: &Value) -> Vec<Value> {
    let one = |v: &Value| -> Value {
        match (kind, v) {
            (FieldKind::RecordList(keys), Value::String(_)) => {
                let mut m = Map::new();
                if let Some(first) = keys.first() {
                    m.insert(first.trim_end_matches("[]").to_string(), v.clone());
                }
                Value::Object(m)
            }
            _ => v.clone(),
        }
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect(),
        other => vec![one(other)],
    }
}

/// Record lists whose items are places or parties named more or less fully: "Manchester" (from
/// "Head office: Manchester, United Kingdom") is the site "Manchester HQ" of the site list.
const NAMED_PLACES: [&str; 2] = ["/locations", "/interested_parties"];

/// The folded words of a key, sorted: "Kingsbridge - County Hall" and "County Hall,
/// Kingsbridge" have the same.
fn word_set(key: &str) -> Vec<&str> {
    let mut words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Whether every word of `short` is a word of `long` (both from [`word_set`]).
fn words_within(long: &[&str], short: &[&str]) -> bool {
    !short.is_empty() && short.iter().all(|w| long.binary_search(w).is_ok())
}

/// The folded `type` of a class's best member that has one.
fn class_type(c: &Class<'_>) -> Option<String> {
    c.members
        .iter()
        .find_map(|(_, v)| v.get("type").filter(|t| !value_is_placeholder(t)))
        .map(fold_value)
}

/// Folds a class whose name's words all appear in exactly one other class's name, of the same
/// type or without one, into that class: "Manchester" into "Manchester HQ", "Kingsbridge -
/// County Hall" into "County Hall, Kingsbridge" (the same words: into the better-ranked one).
/// Its members go after the other's, so that name and its fields win and this one stays a
/// source. A name inside two others of its type ("London" in "London DC1" and "London DC2")
/// stays on its own. Deterministic: classes are taken fewest words first, then by key.
fn absorb_contained_names(classes: &mut Vec<Class<'_>>) {
    let sets: Vec<Vec<&str>> = classes.iter().map(|c| word_set(&c.key)).collect();
    let types: Vec<Option<String>> = classes.iter().map(class_type).collect();
    let mut order: Vec<usize> = (0..classes.len()).collect();
    order.sort_by(|&a, &b| {
        sets[a]
            .len()
            .cmp(&sets[b].len())
            .then_with(|| classes[a].key.cmp(&classes[b].key))
    });
    let ranks_above = |j: usize, i: usize| match (classes[j].best(), classes[i].best()) {
        (Some((cj, _)), Some((ci, _))) => rank(cj, ci) == Ordering::Less,
        _ => false,
    };
    let mut absorbed = vec![false; classes.len()];
    let mut moves: Vec<(usize, usize)> = Vec::new();
    for &i in &order {
        let containers: Vec<usize> = (0..classes.len())
            .filter(|&j| {
                j != i
                    && !absorbed[j]
                    && words_within(&sets[j], &sets[i])
                    && (sets[j].len() > sets[i].len() || ranks_above(j, i))
                    && match (&types[i], &types[j]) {
                        (Some(ti), Some(tj)) => ti == tj,
                        _ => true,
                    }
            })
            .collect();
        let [j] = containers[..] else { continue };
        moves.push((i, j));
        absorbed[i] = true;
    }
    // In order: a class that absorbed others and is then absorbed itself takes them along.
    for (i, j) in moves {
        let members = std::mem::take(&mut classes[i].members);
        classes[j].members.extend(members);
    }
    let mut k = 0;
    classes.retain(|_| {
        k += 1;
        !absorbed[k - 1]
    });
}

fn merge_list(
    ctx: &FieldCtx<'_>,
    weighed: &[&Entry<'_>],
    base_value: Option<Value>,
    fs: &mut FieldSources,
    out: &mut Merged,
) {
    let (field, kind) = (ctx.field, ctx.kind);
    let products = profile::field(field).is_some_and(|f| f.shape == profile::Shape::Product);
    // One class per item key; entries arrive in rank order, so members do too.
    let mut classes: Vec<Class<'_>> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for e in weighed {
        for item in items_of(kind, &e.candidate.value) {
            // What the item stands for: the product a spelling names, else its name.
            let same_as =
                e.candidate.same_as.as_deref().map(
                    |n| {
                        if products {
                            product_key(n)
                        } else {
                            fold(n)
                        }
                    },
                );
            let key = if products {
                item_name(kind, &item)
                    .filter(|v| !value_is_placeholder(v))
                    .and_then(Value::as_str)
                    .map(product_key)
            } else {
                item_key(kind, &item)
            };
            let Some(key) = same_as.or(key) else {
                fs.alternatives
                    .push(Sourced::doc(e, item).unused("placeholder or no name"));
                continue;
            };
            match index.get(&key) {
                Some(&i) => classes[i].members.push((e, item)),
                None => {
                    index.insert(key.clone(), classes.len());
                    classes.push(Class::new(key, (e, item)));
                }
            }
        }
    }
    if NAMED_PLACES.contains(&field) {
        absorb_contained_names(&mut classes);
    }
    for c in &mut classes {
        c.score(ctx.policy.corroborate);
        // An answered item is the client's word: taken.
        if c.answered() {
            c.score = 1.0;
        }
    }
    classes.sort_by(by_score);

    let base_list = base_value.filter(|v| match v {
        Value::Array(a) => !a.is_empty() && !value_is_placeholder(v),
        Value::Null => false,
        _ => true,
    });
    if let Some(base) = base_list {
        merge_list_with_base(ctx, &classes, base, fs, out);
        return;
    }

    // Interested parties: where the documents name at least two specific parties, the kinds
    // of party that prose alone mentions ("applies to employees and contractors") are only
    // suggested. A kind that a register or a list of interested parties names (a rule's prior
    // of 50 or more) is a party as stated.
    let a_kind = |c: &Class<'_>| {
        c.key
            .split(' ')
            .all(|w| profile::PARTY_KIND_WORDS.contains(&w))
    };
    let in_prose_only = |c: &Class<'_>| c.members.iter().all(|(e, _)| e.candidate.priority < 50);
    let named = field == "/interested_parties"
        && classes
            .iter()
            .filter(|c| c.score >= ctx.policy.accept && !a_kind(c))
            .count()
            >= 2;
    let mut items = Vec::new();
    for c in &classes {
        let only_mentioned = a_kind(c) && in_prose_only(c);
        if named && only_mentioned && c.score >= ctx.policy.suggest && c.score < 1.0 {
            let value = merge_record(field, None, kind, c, &mut Merged::scratch());
            let why =
                "the documents name specific parties; this is only a kind of party".to_string();
            fs.suggestions.push(c.suggestion(field, value, why));
            continue;
        }
        if c.score >= ctx.policy.accept {
            let value = merge_record(field, Some(items.len()), kind, c, out);
            fs.items.push(ItemSources {
                value: value.clone(),
                score: Some(round(c.score)),
                support: c.support,
                sources: c.sources(),
            });
            items.push(value);
        } else if c.score >= ctx.policy.suggest {
            // Not in the profile: its records' disagreements are not conflicts of the profile.
            let value = merge_record(field, None, kind, c, &mut Merged::scratch());
            let why = format!(
                "the evidence ({}) is below the threshold ({})",
                crate::judge::trim_number(c.score),
                crate::judge::trim_number(ctx.policy.accept)
            );
            fs.suggestions.push(c.suggestion(field, value, why));
        } else {
            let why = format!(
                "too little evidence ({})",
                crate::judge::trim_number(c.score)
            );
            fs.alternatives
                .extend(c.sources().into_iter().map(|s| s.unused(&why)));
        }
    }
    if !items.is_empty() && !set_pointer(&mut out.profile, field, Value::Array(items)) {
        for item in std::mem::take(&mut fs.items) {
            fs.alternatives.push(
                Sourced::base(item.value)
                    .unused("the base profile has another kind of value where this field goes"),
            );
        }
    }
}

/// Merges the members of one list item into one value; records field by field, each field from
/// the best member that has it. A conflict on a record's field is reported at
/// `{field}/{index}/{name}` (`{field}/{name}` without an index).
fn merge_record(
    field: &str,
    index: Option<usize>,
    kind: FieldKind,
    c: &Class<'_>,
    out: &mut Merged,
) -> Value {
    let FieldKind::RecordList(keys) = kind else {
        return c.best().map_or(Value::Null, |m| m.1.clone());
    };
    let mut names: Vec<&str> = keys.iter().map(|k| k.trim_end_matches("[]")).collect();
    let mut extra: Vec<&str> = c
        .members
        .iter()
        .filter_map(|(_, v)| v.as_object())
        .flat_map(|o| o.keys().map(String::as_str))
        .filter(|k| !names.contains(k))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    names.extend(extra);
    let list_keys: Vec<&str> = keys.iter().filter_map(|k| k.strip_suffix("[]")).collect();
    let mut record = Map::new();
    for &name in &names {
        if list_keys.contains(&name) {
            // A list in the record (requirements): the union of the members' lists.
            let mut seen: Vec<String> = Vec::new();
            let mut list = Vec::new();
            for (_, v) in &c.members {
                let elems = match v.get(name) {
                    Some(Value::Array(a)) => a.clone(),
                    Some(other) => vec![other.clone()],
                    None => continue,
                };
                for e in elems {
                    let k = fold_value(&e);
                    if !value_is_placeholder(&e) && !seen.contains(&k) {
                        seen.push(k);
                        list.push(e);
                    }
                }
            }
            if !list.is_empty() {
                record.insert(name.to_string(), Value::Array(list));
            }
            continue;
        }
        // The name that made the item never conflicts: its members name the same item.
        let is_key = keys
            .first()
            .is_some_and(|k| k.trim_end_matches("[]") == name);
        let mut best: Option<(&Entry<'_>, &Value)> = None;
        let mut others = Vec::new();
        for (e, v) in &c.members {
            let Some(x) = v.get(name).filter(|x| !value_is_placeholder(x)) else {
                continue;
            };
            match best {
                None => best = Some((e, x)),
                Some((be, bx)) => {
                    let other_source = e.candidate.file != be.candidate.file
                        || e.candidate.rule != be.candidate.rule;
                    if !is_key && other_source && !agrees(bx, x) {
                        others.push(Sourced::doc(e, x.clone()));
                    }
                }
            }
        }
        // A person is shown in the fullest wording the agreeing members give ("Daniel Hughes,
        // Information Security Manager" for "Daniel Hughes").
        let person = profile::field(field).and_then(|f| f.member_shape(name))
            == Some(profile::Shape::Person);
        if let (true, Some((be, bx))) = (person, best) {
            let words = |v: &Value| fold_value(v).split(' ').count();
            best = c
                .members
                .iter()
                .filter_map(|(e, v)| Some((*e, v.get(name)?)))
                .filter(|(_, x)| {
                    words(x) > words(bx) && agrees_folded(&fold_value(x), &fold_value(bx))
                })
                .max_by_key(|(_, x)| words(x))
                .or(Some((be, bx)));
        }
        if let Some((e, x)) = best {
            record.insert(name.to_string(), x.clone());
            let at = match index {
                Some(i) => format!("{field}/{i}/{name}"),
                None => format!("{field}/{name}"),
            };
            let kind = if is_answer(e) {
                ConflictKind::Answer
            } else {
                ConflictKind::Documents
            };
            out.conflict(at, kind, Sourced::doc(e, x.clone()), others);
        }
    }
    Value::Object(record)
}

fn merge_list_with_base(
    ctx: &FieldCtx<'_>,
    classes: &[Class<'_>],
    base: Value,
    fs: &mut FieldSources,
    out: &mut Merged,
) {
    let (field, kind) = (ctx.field, ctx.kind);
    let base_items: Vec<Value> = match &base {
        Value::Array(a) => a.clone(),
        _ => Vec::new(),
    };
    let base_keys: Vec<Option<String>> = base_items.iter().map(|i| item_key(kind, i)).collect();
    let mut matched: Vec<Vec<Sourced>> = vec![Vec::new(); base_items.len()];
    // Answered items the base does not have: added, as the client's word.
    let mut answered: Vec<ItemSources> = Vec::new();
    for c in classes {
        let Some(pos) = base_keys.iter().position(|k| k.as_deref() == Some(&c.key)) else {
            if c.members.first().is_some_and(|(e, _)| is_answer(e)) {
                answered.push(ItemSources {
                    value: merge_record(field, None, kind, c, &mut Merged::scratch()),
                    score: Some(1.0),
                    support: c.support,
                    sources: c.sources(),
                });
                continue;
            }
            if c.score < ctx.policy.suggest {
                continue;
            }
            let value = merge_record(field, None, kind, c, &mut Merged::scratch());
            let sources = c.sources();
            for s in &sources {
                fs.alternatives
                    .push(s.clone().unused("not in the base profile; confirm it"));
            }
            out.unconfirmed.push(Unconfirmed {
                field: field.to_string(),
                value,
                sources,
            });
            continue;
        };
        let base_item = base_items.get(pos).cloned().unwrap_or(Value::Null);
        if let (FieldKind::RecordList(_), Value::Object(bo)) = (kind, &base_item) {
            for (name, bv) in bo {
                if value_is_placeholder(bv) || bv.is_array() {
                    continue;
                }
                let others: Vec<Sourced> = c
                    .members
                    .iter()
                    .filter_map(|(e, v)| {
                        let x = v.get(name)?;
                        (!value_is_placeholder(x) && !x.is_array() && !agrees(x, bv))
                            .then(|| Sourced::doc(e, x.clone()))
                    })
                    .collect();
                out.conflict(
                    format!("{field}/{pos}/{name}"),
                    ConflictKind::Base,
                    Sourced::base(bv.clone()),
                    others,
                );
            }
        }
        if let Some(m) = matched.get_mut(pos) {
            m.extend(c.sources());
        }
    }
    for (item, docs) in base_items.into_iter().zip(matched) {
        let mut sources = vec![Sourced::base(item.clone())];
        let support = docs
            .iter()
            .filter_map(|s| s.file.as_deref())
            .collect::<BTreeSet<_>>()
            .len();
        sources.extend(docs);
        fs.items.push(ItemSources {
            value: item,
            score: None,
            support,
            sources,
        });
    }
    if !answered.is_empty() && base.is_array() {
        let mut list: Vec<Value> = fs.items.iter().map(|i| i.value.clone()).collect();
        list.extend(answered.iter().map(|i| i.value.clone()));
        if set_pointer(&mut out.profile, field, Value::Array(list)) {
            fs.items.extend(answered);
        }
    }
    if !base.is_array() {
        fs.chosen = Some(Sourced::base(base));
    }
}

/// Sets a value at a JSON pointer, creating objects on the way. False when something on the
/// way is not an object (a base profile with another kind of value there).
fn set_pointer(root: &mut Value, pointer: &str, value: Value) -> bool {
    let mut cur = root;
    let mut parts = pointer
        .split('/')
        .skip(1)
        .map(|p| p.replace("~1", "/").replace("~0", "~"))
        .peekable();
    while let Some(part) = parts.next() {
        let Value::Object(map) = cur else {
            return false;
        };
        if parts.peek().is_none() {
            map.insert(part, value);
            return true;
        }
        cur = map.entry(part).or_insert_with(|| Value::Object(Map::new()));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cand(field: &str, value: Value, file: &str, rule: &str, priority: i32) -> Candidate {
        Candidate {
            field: field.into(),
            value,
            file: file.into(),
            locator: "line 1".into(),
            rule: rule.into(),
            how: MatchKind::Exact,
            priority,
            shape: None,
            block: 0,
            row: None,
            same_as: None,
            at: None,
            stand_in: false,
            sole: false,
        }
    }

    /// Judged as the judge would with nothing to say: placeholders rejected, the rest weight 1.
    fn judged(c: &Candidate) -> Judged {
        let verdict = match c.value.as_str() {
            Some(s) if is_placeholder(s) => Verdict::Rejected {
                reason: "template text".into(),
            },
            _ => Verdict::Weighed {
                weight: 1.0,
                factors: Vec::new(),
            },
        };
        Judged {
            candidate: c.clone(),
            verdict,
        }
    }

    fn weighed(c: Candidate, weight: f64) -> Judged {
        Judged {
            candidate: c,
            verdict: Verdict::Weighed {
                weight,
                factors: Vec::new(),
            },
        }
    }

    fn run(cands: &[Candidate], base: Option<&Value>) -> Merged {
        let judged: Vec<Judged> = cands.iter().map(judged).collect();
        merge(&judged, base, &Policy::default())
    }

    #[test]
    fn a_product_with_a_version_is_the_same_item_as_without_it() {
        let r = merge(
            &[
                judged(&cand(
                    "/technology",
                    json!({"name": "GLPI 10", "type": "itsm"}),
                    "tools.xlsx",
                    "tools.inventory",
                    65,
                )),
                judged(&cand(
                    "/technology",
                    json!({"name": "GLPI", "type": "itsm"}),
                    "policy.md",
                    "products.itsm",
                    65,
                )),
                judged(&cand(
                    "/technology",
                    json!({"name": "Microsoft 365", "type": "collaboration"}),
                    "policy.md",
                    "products.collaboration",
                    65,
                )),
            ],
            None,
            &Policy::default(),
        );
        let names: Vec<&str> = r.profile["technology"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(product_key("VMware vSphere 7"), "vmware vsphere");
        assert_eq!(
            product_key("Microsoft Exchange 2019 (on premises)"),
            "microsoft exchange"
        );
        assert_eq!(product_key("Microsoft 365"), "microsoft 365");
        assert_eq!(product_key("ITIL v3"), "itil");
    }

    #[test]
    fn evidence_raises_the_prior_odds_by_the_weight() {
        assert!((evidence(50, 1.0) - 0.5).abs() < 1e-9);
        assert!((evidence(50, 2.0) - 2.0 / 3.0).abs() < 1e-9);
        assert!(evidence(70, 0.05) < 0.15);
        assert_eq!(evidence(70, 0.0), 0.0);
    }

    #[test]
    fn several_files_that_agree_beat_one_that_is_ranked_higher() {
        let name = "/organization/name";
        let mut cands = vec![cand(
            name,
            json!("Organization"),
            "terms.md",
            "policy.legal_name",
            70,
        )];
        for f in ["a.md", "b.md", "c.md", "d.md"] {
            cands.push(cand(
                name,
                json!("Datica Health, Inc"),
                f,
                "prose.legal_name",
                30,
            ));
        }
        // The glossary row is weighed down by the judge; the name is found in four files.
        let mut judged: Vec<Judged> = cands.iter().map(judged).collect();
        judged[0].verdict = Verdict::Weighed {
            weight: 0.05,
            factors: Vec::new(),
        };
        let m = merge(&judged, None, &Policy::default());
        assert_eq!(m.profile.pointer(name), Some(&json!("Datica Health, Inc")));
        let fs = m.sources.iter().find(|f| f.field == name).unwrap();
        assert_eq!(fs.support, Some(4));
        assert!(fs.score.unwrap() > 0.7);
    }

    #[test]
    fn weak_evidence_becomes_a_suggestion_not_a_value() {
        let name = "/organization/name";
        let m = run(&[cand(name, json!("Apex Ltd"), "a.md", "prose", 30)], None);
        assert_eq!(m.profile.pointer(name), None);
        assert!(m.undecided(name));
        assert_eq!(m.suggestions.len(), 1);
        assert_eq!(m.suggestions[0].value, json!("Apex Ltd"));
        assert!(
            m.suggestions[0].why.contains("below the threshold"),
            "{}",
            m.suggestions[0].why
        );

        // A list item below the threshold is suggested; the one above it is taken.
        let tools = [
            cand(
                "/technology",
                json!({"name": "Jira", "type": "itsm"}),
                "a.md",
                "products",
                60,
            ),
            cand(
                "/technology",
                json!({"name": "Splunk", "type": "monitoring"}),
                "a.md",
                "products",
                20,
            ),
        ];
        let m = run(&tools, None);
        assert_eq!(
            m.profile["technology"],
            json!([{"name": "Jira", "type": "itsm"}])
        );
        assert_eq!(m.suggestions.len(), 1);
        assert_eq!(m.suggestions[0].value["name"], "Splunk");
    }

    #[test]
    fn two_close_values_leave_the_field_undecided() {
        let f = "/key_roles/sms_manager";
        let m = run(
            &[
                cand(f, json!("Sarah Chen"), "a.md", "r", 60),
                cand(f, json!("Tom Baker"), "b.md", "r", 58),
            ],
            None,
        );
        assert_eq!(m.profile.pointer(f), None);
        let values: Vec<&Value> = m.suggestions.iter().map(|s| &s.value).collect();
        assert_eq!(values, [&json!("Sarah Chen"), &json!("Tom Baker")]);
        assert!(m.suggestions[0].why.contains("none clearly wins"));
    }

    #[test]
    fn another_organizations_name_never_becomes_the_organizations() {
        let m = run(
            &[
                cand(
                    "/organization/name",
                    json!("NorthBank plc"),
                    "a.md",
                    "r",
                    70,
                ),
                cand(
                    "/interested_parties",
                    json!({"name": "NorthBank plc", "type": "customer"}),
                    "b.xlsx",
                    "parties",
                    55,
                ),
            ],
            None,
        );
        assert_eq!(m.profile.pointer("/organization/name"), None);
        let fs = m
            .sources
            .iter()
            .find(|f| f.field == "/organization/name")
            .unwrap();
        assert!(fs.alternatives[0]
            .unused
            .as_deref()
            .unwrap()
            .contains("a customer in b.xlsx"));
    }

    #[test]
    fn the_result_does_not_depend_on_the_order_of_the_candidates() {
        let f = "/organization/industry";
        let a = cand(f, json!("Managed IT services"), "a.md", "r", 40);
        let b = cand(f, json!("Managed IT Services"), "b.md", "r", 40);
        let c = cand(f, json!("Hosting"), "c.md", "r", 45);
        let one = run(&[a.clone(), b.clone(), c.clone()], None);
        let two = run(&[c, b, a], None);
        assert_eq!(one, two);
        assert_eq!(one.profile.pointer(f), Some(&json!("Managed IT services")));
    }

    #[test]
    fn a_site_named_by_its_town_is_the_site_of_the_list_that_names_it_fully() {
        let site = |name: &str, ty: &str, file: &str, rule: &str, p: i32| {
            cand(
                "/locations",
                json!({"name": name, "type": ty}),
                file,
                rule,
                p,
            )
        };
        let cands = [
            site("Manchester", "headquarters", "a.md", "label", 60),
            site("Manchester HQ", "headquarters", "b.md", "list", 55),
            site("London DC1", "data_center", "b.md", "list", 55),
            site("London DC2", "data_center", "b.md", "list", 55),
            // In two fuller names: which one is meant is unknown, so it stays.
            site("London", "office", "a.md", "label", 60),
            // Another type: another place.
            site("Birmingham", "office", "a.md", "label", 60),
            site("Birmingham DC", "data_center", "b.md", "list", 55),
            // The same words in another order: the better-ranked spelling wins, no conflict.
            cand(
                "/locations",
                json!({"name": "Kingsbridge - County Hall"}),
                "hr.xlsx",
                "hr",
                52,
            ),
            site(
                "County Hall, Kingsbridge",
                "headquarters",
                "b.md",
                "list",
                55,
            ),
        ];
        let m = run(&cands, None);
        let mut names: Vec<&str> = m.profile["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap())
            .collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "Birmingham",
                "Birmingham DC",
                "County Hall, Kingsbridge",
                "London",
                "London DC1",
                "London DC2",
                "Manchester HQ"
            ]
        );
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        let manchester = m
            .sources
            .iter()
            .find(|f| f.field == "/locations")
            .unwrap()
            .items
            .iter()
            .find(|i| i.value["name"] == "Manchester HQ")
            .unwrap();
        assert_eq!(manchester.sources.len(), 2, "the short name stays a source");
        assert_eq!(manchester.support, 2);
    }

    #[test]
    fn different_evidence_sentences_are_alternatives_not_conflicts() {
        let rationale = "/service_provider_type/rationale";
        let cands = [
            cand(
                rationale,
                json!("We provide managed IT services exclusively to external customers."),
                "policy.docx",
                "provider.type",
                50,
            ),
            cand(
                rationale,
                json!("Apex IT Services Ltd is a managed service provider based in Manchester."),
                "about.md",
                "provider.type",
                50,
            ),
            // A fact still conflicts.
            cand(
                "/key_roles/sms_manager",
                json!("Sarah Chen"),
                "a.md",
                "r",
                70,
            ),
            cand(
                "/key_roles/sms_manager",
                json!("Tom Baker"),
                "b.md",
                "r",
                40,
            ),
        ];
        let m = run(&cands, None);
        let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["/key_roles/sms_manager"]);
        assert_eq!(
            m.profile.pointer("/key_roles/sms_manager"),
            Some(&json!("Sarah Chen"))
        );
        let fs = m.sources.iter().find(|f| f.field == rationale).unwrap();
        assert!(fs.chosen.is_some());
        assert_eq!(
            fs.alternatives.len(),
            1,
            "the other sentence stays an alternative"
        );
        assert!(fs.alternatives[0].unused.is_none());

        // Nor is a different wording a conflict with a base profile: the base is kept.
        let base = json!({"service_provider_type": {"rationale": "External customers only."}});
        let m = run(&cands[..2], Some(&base));
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(
            m.profile["service_provider_type"]["rationale"],
            "External customers only."
        );
    }

    #[test]
    fn a_higher_ranked_tbd_leaves_the_field_open_and_suggests_the_guess() {
        let sponsor = "/key_roles/top_management_sponsor";
        let tbd = Candidate {
            locator: "word/document.xml paragraph 16".into(),
            ..cand(sponsor, json!("TBD"), "policy.docx", "policy.sponsor", 60)
        };
        let guess = Candidate {
            how: MatchKind::Derived,
            locator: "Sheet1!A2".into(),
            ..cand(
                sponsor,
                json!("Graham Keane, Chief Operating Officer"),
                "staff list (old).xlsx",
                "hr.sponsor.chief_officer",
                40,
            )
        };
        // The policy states other things: it is a real document, not an empty template.
        let sms = cand(
            "/key_roles/sms_manager",
            json!("Nadia Brooks, ITSM Manager"),
            "policy.docx",
            "policy.sms_manager",
            60,
        );
        for cands in [
            vec![tbd.clone(), guess.clone(), sms.clone()],
            vec![guess.clone(), sms.clone(), tbd.clone()],
        ] {
            let m = run(&cands, None);
            assert_eq!(m.profile.pointer(sponsor), None, "the guess is not taken");
            assert_eq!(m.left_open.len(), 1);
            let open = &m.left_open[0];
            assert_eq!(open.statement.value, json!("TBD"));
            assert_eq!(
                open.statement.locator.as_deref(),
                Some("word/document.xml paragraph 16")
            );
            assert_eq!(
                open.set_aside
                    .iter()
                    .map(|s| s.value.clone())
                    .collect::<Vec<_>>(),
                [json!("Graham Keane, Chief Operating Officer")]
            );
            let s = m.suggestions.iter().find(|s| s.field == sponsor).unwrap();
            assert!(
                s.why
                    .contains("policy.docx (word/document.xml paragraph 16) says \"TBD\""),
                "{}",
                s.why
            );
            assert!(m.conflicts.is_empty());
        }
        // A real value of equal or higher priority wins over the TBD.
        for p in [60, 62] {
            let named = cand(sponsor, json!("James Wright"), "roles.xlsx", "roles", p);
            let m = run(&[tbd.clone(), named, guess.clone(), sms.clone()], None);
            assert_eq!(m.profile.pointer(sponsor), Some(&json!("James Wright")));
            assert!(m.left_open.is_empty());
        }
        // Template text is not a statement: the field is not left open, and the guess (a weak
        // one on its own) is suggested.
        let template = cand(
            sponsor,
            json!("[Insert name]"),
            "template.docx",
            "policy",
            60,
        );
        let m = run(&[template, guess.clone()], None);
        assert!(m.left_open.is_empty());
        assert!(m.undecided(sponsor));
        // Nor is a TBD in a file that gave no real value (an unfilled template).
        let template_tbd = Candidate {
            file: "Policy - TEMPLATE.docx".into(),
            ..tbd.clone()
        };
        let m = run(&[template_tbd, guess.clone()], None);
        assert!(m.left_open.is_empty());
        assert!(m.undecided(sponsor));
        // A base profile's value still wins over both.
        let base = json!({"key_roles": {"top_management_sponsor": "Ann Lee, CEO"}});
        let m = run(&[tbd, guess, sms], Some(&base));
        assert_eq!(m.profile.pointer(sponsor), Some(&json!("Ann Lee, CEO")));
        assert!(m.left_open.is_empty());
    }

    #[test]
    fn rejected_candidates_are_listed_with_the_judges_reason() {
        let f = "/organization/industry";
        let c = cand(f, json!("fully distributed"), "a.md", "policy.industry", 60);
        let j = Judged {
            candidate: c,
            verdict: Verdict::Rejected {
                reason: "a way of working, not an industry".into(),
            },
        };
        let m = merge(&[j], None, &Policy::default());
        assert_eq!(m.profile.pointer(f), None);
        let fs = m.sources.iter().find(|s| s.field == f).unwrap();
        assert_eq!(
            fs.alternatives[0].unused.as_deref(),
            Some("rejected: a way of working, not an industry")
        );
        assert!(m.suggestions.is_empty());
    }

    #[test]
    fn a_weighed_down_candidate_is_not_taken() {
        let f = "/technology";
        let c = cand(
            f,
            json!({"name": "ZTE", "type": "network"}),
            "banned.md",
            "products",
            60,
        );
        let m = merge(&[weighed(c, 0.02)], None, &Policy::default());
        assert_eq!(m.profile.pointer(f), None);
    }

    #[test]
    fn values_agree_when_one_is_contained_word_for_word_in_the_other() {
        assert!(agrees(
            &json!("Sarah Chen"),
            &json!("Sarah Chen, IT Service Manager")
        ));
        assert!(agrees(&json!(120), &json!("120 employees")));
        assert!(agrees(&json!("Budget: approved"), &json!("approved")));
        assert!(!agrees(&json!("Type II"), &json!("Type III")));
        assert!(!agrees(&json!("3 employees"), &json!("120 employees")));
        assert!(!agrees(&json!("Sarah Chen"), &json!("Tom Baker")));
        assert!(!agrees(&json!("—"), &json!("Tom Baker")));
        assert_eq!(
            fold("Sarah Chen, IT Service Manager"),
            fold(" sarah chen - it  service manager.")
        );
        assert_eq!(fold("Data Centre"), fold("data center"));
    }

    #[test]
    fn a_persons_initials_agree_with_the_full_name() {
        let gl = fold("GL");
        assert!(initials_agree(&gl, &fold("Gareth Lumb, Managing Director")));
        assert!(initials_agree(&fold("Gareth Lumb"), &gl));
        assert!(!initials_agree(&gl, &fold("Grace Hopper")));
        assert!(!initials_agree(&fold("G"), &fold("Grace Hopper")));
        assert!(!initials_agree(&fold("Gareth Lumb"), &fold("Grace Lee")));
    }

    #[test]
    fn size_stays_a_number_and_choices_take_their_canonical_spelling() {
        let m = run(
            &[cand(
                "/organization/size",
                json!(120),
                "hr.xlsx",
                "hr.count",
                60,
            )],
            None,
        );
        assert_eq!(m.profile, json!({"organization": {"size": 120}}));
        let m = run(
            &[cand(
                "/service_provider_type/classification",
                json!("type ii"),
                "p.md",
                "r",
                60,
            )],
            None,
        );
        assert_eq!(
            m.profile["service_provider_type"]["classification"],
            "Type II"
        );
    }

    #[test]
    fn set_pointer_refuses_to_replace_a_non_object() {
        let mut v = json!({"organization": "Apex"});
        assert!(!set_pointer(&mut v, "/organization/name", json!("x")));
        assert_eq!(v, json!({"organization": "Apex"}));
    }
}
