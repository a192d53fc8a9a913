//! Merge: the [`Candidate`]s of every file of a client (and, optionally, a base profile) in; one
//! profile, the sources of every value, and the conflicts to resolve out.
//!
//! The result never depends on the order the candidates arrive in: they are sorted first, and
//! every choice after that follows a total order. Rules, in order:
//!
//! - **Scalars** take the best candidate: higher rule priority first, then how it matched
//!   ([`MatchKind`] order: exact, synonym, pattern, classified, derived), then file, locator and
//!   rule (numbers in file names and locators compare as numbers). Every other candidate is kept
//!   as an alternative. Two different values from different files or rules are a [`Conflict`].
//!   Values agree when they are equal after folding case, whitespace and punctuation, or when
//!   one is contained word for word in the other ("Sarah Chen" and "Sarah Chen, IT Service
//!   Manager"; see [`agrees`]). Free-text evidence (the fields marked `prose` in
//!   [`profile::FIELDS`]: the organization's description and the classification rationale) is
//!   never a conflict: two documents quoting different sentences for the same thing do not
//!   disagree, so the other wordings are only alternatives (a real disagreement on the
//!   classification is a conflict on the classification itself).
//! - **Lists** are unions, de-duplicated on a folded key: the text itself for lists of text, the
//!   record's first key (`name`, `process`, `service`) for lists of records. Records with the
//!   same key are merged field by field; their lists of text (`requirements`) are unioned.
//!   In `/locations` and `/interested_parties`, an item whose name's words all appear in
//!   exactly one other item's name, of the same type or without one, is that item
//!   ("Manchester" from "Head office: Manchester, United Kingdom" is "Manchester HQ" of the
//!   site list; "Kingsbridge - County Hall" is "County Hall, Kingsbridge"); the fuller (or, for
//!   the same words, the better-ranked) name wins and the other stays a source.
//! - **Placeholders** (`TBD`, `[Organization Name]`, `{{companyFullName}}`, ...) never win; they
//!   are listed as alternatives marked unused.
//! - **A field a document leaves open**: a labelled "Top management sponsor: TBD" reaches the
//!   merge as a candidate whose value is the placeholder ([`crate::map::says_open`]). When its
//!   rule's priority is higher than that of every real value (a sponsor guessed from an old staff
//!   list's job titles), the field is left missing, so the checker asks for it; the guesses stay
//!   alternatives marked unused and the field is listed in [`Merged::left_open`], so the report
//!   shows both. A real value of equal or higher priority wins as usual. Template text (`[Name]`)
//!   never leaves a field open, nor does a `TBD` in a file that gave no real value at all (an
//!   unfilled template).
//! - **A base profile** (one a consultant already corrected) wins: its values are kept as they
//!   are, its keys this tool does not know are kept anywhere in the tree, and a document value
//!   that disagrees with a base value is a conflict to confirm, never an overwrite. A base list
//!   is kept as it is: document items not in it are reported as [`Unconfirmed`] additions, not
//!   added. A base value that is missing, empty (`""`, `[]`) or a placeholder is filled from the
//!   documents as if there were no base.
//!
//! The merged profile holds only what documents or the base support. Merge reads no files and
//! decides nothing about completeness (that is the checker's job).

use crate::map::{Candidate, MatchKind};
use crate::profile::{self, FieldKind};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Where a value came from: the base profile or a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The base profile given with `--base`.
    Base,
    /// A client document (see `file`, `locator`, `rule`, `how`).
    Document,
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
    /// Why the value was not used although it is the only one of its kind ("placeholder").
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
            unused: None,
        }
    }

    fn doc(c: &Candidate, value: Value) -> Sourced {
        Sourced {
            value,
            from: Origin::Document,
            file: Some(c.file.clone()),
            locator: Some(c.locator.clone()),
            rule: Some(c.rule.clone()),
            how: Some(c.how),
            unused: None,
        }
    }

    fn unused(mut self, why: &str) -> Sourced {
        self.unused = Some(why.to_string());
        self
    }
}

/// One item of a list field and every source that gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemSources {
    /// The merged item as written to the profile.
    pub value: Value,
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
    /// The items written to the profile, each with its sources (list fields).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemSources>,
    /// Every other value found: other candidates, placeholders (marked unused), document list
    /// items a base profile does not have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Sourced>,
}

/// Who disagrees with the chosen value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two documents (or two rules) give different values; the best was taken.
    Documents,
    /// A document disagrees with the base profile; the base value was kept. Confirm it.
    Base,
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

/// A field a document explicitly leaves open ("Top management sponsor: TBD") with a statement
/// that outranks every value found for it: the field stays missing, so the checker asks for it,
/// and the lower-priority guesses are set aside for the consultant to confirm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOpen {
    /// JSON pointer of the field.
    pub field: String,
    /// The statement that leaves it open (its value is the placeholder text, e.g. "TBD").
    pub statement: Sourced,
    /// The values lower-priority rules found, best first, not used.
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
    /// Document list items a base profile does not have.
    pub unconfirmed: Vec<Unconfirmed>,
    /// Fields a higher-priority statement leaves open although lower-priority rules found a
    /// value (not written to the profile).
    pub left_open: Vec<LeftOpen>,
}

impl Merged {
    /// `sources.json`: an object keyed by field pointer, in canonical field order.
    pub fn sources_json(&self) -> Value {
        serde_json::to_value(self.sources_serialized()).unwrap_or(Value::Null)
    }

    /// `sources.json` as serde sees it, to serialise straight to bytes without building the
    /// [`Value`] of [`Merged::sources_json`] first (the same JSON).
    pub fn sources_serialized(&self) -> SourcesJson<'_> {
        SourcesJson(&self.sources)
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

use crate::check::is_placeholder;

/// Whether a JSON value is a placeholder (or empty): never a winning value.
fn value_is_placeholder(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty() || is_placeholder(s),
        Value::Array(a) => a.iter().all(value_is_placeholder),
        Value::Object(o) => o.values().all(value_is_placeholder),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// What a merge found out about the texts it met, so that each distinct text is checked for a
/// placeholder and folded once however many candidates give it (a company's name may come from
/// every document). Holds each distinct text of the client's candidates at most twice (as
/// given and folded).
#[derive(Default)]
struct Memo {
    placeholder: foldhash::HashMap<String, bool>,
    /// Each text's folded form, as an index into `folds`.
    folded: foldhash::HashMap<String, usize>,
    folds: Vec<String>,
}

impl Memo {
    /// [`value_is_placeholder`].
    fn is_placeholder(&mut self, v: &Value) -> bool {
        match v {
            Value::String(s) => match self.placeholder.get(s.as_str()) {
                Some(&p) => p,
                None => {
                    let p = value_is_placeholder(v);
                    self.placeholder.insert(s.clone(), p);
                    p
                }
            },
            Value::Array(a) => a.iter().all(|x| self.is_placeholder(x)),
            Value::Object(o) => o.values().all(|x| self.is_placeholder(x)),
            other => value_is_placeholder(other),
        }
    }

    /// [`fold_value`].
    fn fold(&mut self, v: &Value) -> Cow<'_, str> {
        let Value::String(s) = v else {
            return Cow::Owned(fold_value(v));
        };
        let i = match self.folded.get(s.as_str()) {
            Some(&i) => i,
            None => {
                self.folds.push(fold(s));
                self.folded.insert(s.clone(), self.folds.len() - 1);
                self.folds.len() - 1
            }
        };
        match self.folds.get(i) {
            Some(f) => Cow::Borrowed(f.as_str()),
            None => Cow::Owned(fold(s)),
        }
    }
}

/// Folds a text for comparison, as the mapper folds headers and labels: Unicode NFKC, lower
/// case, `&` as "and", every run of characters that are not letters or digits (whitespace,
/// punctuation) one space, British spellings as American. "Sarah Chen, IT Service Manager" and
/// "sarah chen - it service manager" fold the same, and so do "Data Centre" and "Data Center".
pub fn fold(text: &str) -> String {
    crate::map::fold_whole(text)
}

/// The folded form of a JSON value (strings and numbers as their text).
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
    // Equal values fold the same: no need to fold them.
    a == b || agrees_folded(&fold_value(a), &fold_value(b))
}

/// [`agrees`] of two values already folded ([`fold_value`]).
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

/// Whether another value disagrees with the chosen value of a field ([`Chosen::disagrees`]):
/// for a prose field ([`profile::FieldSpec`] `prose`: the description, the classification
/// rationale) never, since two documents quoting different evidence do not contradict each
/// other; otherwise when the values do not [`agree`](agrees). The one place that decides what is
/// a conflict between scalar values. Whether the field is prose and the chosen value's folded
/// form are found once, for comparing it with many others.
struct Chosen {
    prose: bool,
    folded: Option<String>,
}

impl Chosen {
    fn new(field: &str) -> Chosen {
        Chosen {
            prose: profile::field(field).is_some_and(|f| f.prose),
            folded: None,
        }
    }

    /// Whether `other` disagrees with `chosen` (always the same chosen value for one
    /// [`Chosen`]).
    fn disagrees(&mut self, memo: &mut Memo, chosen: &Value, other: &Value) -> bool {
        if self.prose || chosen == other {
            return false;
        }
        let folded = self
            .folded
            .get_or_insert_with(|| memo.fold(chosen).into_owned());
        !agrees_folded(folded, &memo.fold(other))
    }
}

/// Keeps one of each (value, file, locator): two rules reading the same cell are one source of
/// disagreement, not two. Values are folded only when a kept source has the same file and
/// locator, each at most once.
fn dedup_sources(list: &mut Vec<Sourced>) {
    if list.len() < 2 {
        return;
    }
    let mut folded: Vec<Option<String>> = vec![None; list.len()];
    let mut keep = vec![true; list.len()];
    for i in 1..list.len() {
        for j in 0..i {
            if !keep[j] || list[j].file != list[i].file || list[j].locator != list[i].locator {
                continue;
            }
            if list[j].value == list[i].value {
                keep[i] = false;
                break;
            }
            let (before, from_i) = folded.split_at_mut(i);
            let (Some(fi), Some(fj)) = (from_i.first_mut(), before.get_mut(j)) else {
                continue;
            };
            let fi = fi.get_or_insert_with(|| fold_value(&list[i].value));
            let fj = fj.get_or_insert_with(|| fold_value(&list[j].value));
            if fi == fj {
                keep[i] = false;
                break;
            }
        }
    }
    let mut k = 0;
    list.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

pub use crate::document::natural_cmp;

/// [`natural_cmp`], skipping the bytes the two texts share ("word/document.xml paragraph 22"
/// and "... paragraph 95" differ only in their last digits): the comparison starts at the
/// digit run the shared bytes end in, or at the first byte that differs, where both texts are
/// in the same state of the natural order.
fn natural_cmp_after_prefix(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let common = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    if common == x.len() && common == y.len() {
        return Ordering::Equal;
    }
    let shared = x.get(..common).unwrap_or_default();
    let mut start = shared
        .iter()
        .rposition(|c| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    // The first byte that differs may be inside a character both texts begin alike.
    while start > 0 && !(a.is_char_boundary(start) && b.is_char_boundary(start)) {
        start -= 1;
    }
    match (a.get(start..), b.get(start..)) {
        (Some(ra), Some(rb)) => natural_cmp(ra, rb),
        _ => natural_cmp(a, b),
    }
}

/// The merge order of two candidates of the same field: best first.
fn rank(a: &Candidate, b: &Candidate) -> Ordering {
    b.priority
        .cmp(&a.priority)
        .then_with(|| a.how.cmp(&b.how))
        .then_with(|| natural_cmp_after_prefix(&a.file, &b.file))
        .then_with(|| natural_cmp_after_prefix(&a.locator, &b.locator))
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.value.to_string().cmp(&b.value.to_string()))
        // Natural order calls "v01" and "v1" equal; the byte order makes the order total, so
        // the chosen source never depends on the order the files were read in.
        .then_with(|| a.file.cmp(&b.file))
        .then_with(|| a.locator.cmp(&b.locator))
}

/// The order fields are merged and reported in: [`profile::FIELDS`] order, then unknown
/// pointers alphabetically.
fn field_order(pointer: &str) -> (usize, &str) {
    let idx = profile::FIELDS
        .iter()
        .position(|f| f.pointer == pointer)
        .unwrap_or(usize::MAX);
    (idx, pointer)
}

/// Merges candidates (in any order) and an optional base profile into one profile.
pub fn merge(candidates: &[Candidate], base: Option<&Value>) -> Merged {
    let base = base.filter(|b| b.is_object());
    // Each candidate's place in the field order, found once (not in every comparison).
    let mut sorted: Vec<((usize, &str), &Candidate)> = candidates
        .iter()
        .map(|c| (field_order(&c.field), c))
        .collect();
    // By field, then each field's candidates by rank: the order of one stable sort by both,
    // with candidates of different fields never ranked against each other.
    sorted.sort_by_key(|(f, _)| *f);
    for run in sorted.chunk_by_mut(|(fa, _), (fb, _)| fa == fb) {
        run.sort_by(|(_, a), (_, b)| rank(a, b));
    }
    let mut by_field: Vec<(String, Vec<&Candidate>)> = Vec::new();
    for (_, c) in sorted {
        match by_field.last_mut() {
            Some((f, list)) if *f == c.field => list.push(c),
            _ => by_field.push((c.field.clone(), vec![c])),
        }
    }
    // Known fields the base has but no document mentions still get their sources listed.
    if let Some(b) = base {
        for f in profile::FIELDS {
            if b.pointer(f.pointer).is_some() && !by_field.iter().any(|(p, _)| p == f.pointer) {
                by_field.push((f.pointer.to_string(), Vec::new()));
            }
        }
        by_field.sort_by(|a, b| field_order(&a.0).cmp(&field_order(&b.0)));
    }

    // Files that gave at least one real value: only their "TBD"s are statements (a file that
    // gave nothing but placeholders is an unfilled template).
    let mut memo = Memo::default();
    let mut filled: BTreeSet<&str> = BTreeSet::new();
    for c in candidates {
        // One real value is enough: a file already known to have one is not looked at again.
        if !filled.contains(c.file.as_str()) && !memo.is_placeholder(&c.value) {
            filled.insert(&c.file);
        }
    }
    let mut out = Merged {
        profile: base.cloned().unwrap_or_else(|| Value::Object(Map::new())),
        sources: Vec::new(),
        conflicts: Vec::new(),
        unconfirmed: Vec::new(),
        left_open: Vec::new(),
    };
    for (field, cands) in &by_field {
        let kind = profile::field(field)
            .map(|f| f.kind)
            .unwrap_or(FieldKind::Text);
        let base_value = base.and_then(|b| b.pointer(field)).cloned();
        let sources = match kind {
            FieldKind::TextList | FieldKind::RecordList(_) => {
                merge_list(field, kind, cands, base_value, &mut out, &mut memo)
            }
            _ => merge_scalar(field, kind, cands, base_value, &filled, &mut out, &mut memo),
        };
        if sources.chosen.is_some() || !sources.items.is_empty() || !sources.alternatives.is_empty()
        {
            out.sources.push(sources);
        }
    }
    profile::canonical_order(&mut out.profile);
    out
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

fn merge_scalar(
    field: &str,
    kind: FieldKind,
    cands: &[&Candidate],
    base_value: Option<Value>,
    filled: &BTreeSet<&str>,
    out: &mut Merged,
    memo: &mut Memo,
) -> FieldSources {
    let mut fs = FieldSources {
        field: field.to_string(),
        chosen: None,
        items: Vec::new(),
        alternatives: Vec::new(),
    };
    let base_value = base_value.filter(|v| !v.is_null());
    if let Some(b) = base_value.clone().filter(|b| !value_is_placeholder(b)) {
        let chosen = Sourced::base(b.clone());
        let mut others = Vec::new();
        let mut base_chosen = Chosen::new(field);
        for c in cands {
            let v = canonical_choice(kind, &c.value);
            let mut s = Sourced::doc(c, v.clone());
            if memo.is_placeholder(&v) {
                s = s.unused("placeholder");
            } else if base_chosen.disagrees(memo, &b, &v) {
                others.push(s.clone());
            }
            fs.alternatives.push(s);
        }
        dedup_sources(&mut others);
        if !others.is_empty() {
            out.conflicts.push(Conflict {
                field: field.to_string(),
                kind: ConflictKind::Base,
                chosen: chosen.clone(),
                others,
            });
        }
        fs.chosen = Some(chosen);
        return fs;
    }
    if let Some(b) = base_value {
        fs.alternatives
            .push(Sourced::base(b).unused("placeholder in the base profile"));
    }
    let mut best: Option<(&Candidate, Value)> = None;
    // The best-ranked statement that the field is open ("TBD"), if it ranks above every value.
    let mut open: Option<&Candidate> = None;
    let mut others = Vec::new();
    let mut chosen = Chosen::new(field);
    for c in cands {
        let v = canonical_choice(kind, &c.value);
        if memo.is_placeholder(&v) {
            if best.is_none() && open.is_none() && c.says_open() && filled.contains(c.file.as_str())
            {
                open = Some(c);
            }
            fs.alternatives
                .push(Sourced::doc(c, v).unused("placeholder"));
            continue;
        }
        match &best {
            None => best = Some((c, v)),
            Some((b, bv)) => {
                let differs =
                    (c.file != b.file || c.rule != b.rule) && chosen.disagrees(memo, bv, &v);
                let s = Sourced::doc(c, v);
                if differs {
                    others.push(s.clone());
                }
                fs.alternatives.push(s);
            }
        }
    }
    dedup_sources(&mut others);
    if let (Some(o), Some((c, v))) = (open, &best) {
        if o.priority > c.priority {
            leave_open(field, o, Sourced::doc(c, v.clone()), &mut fs, out);
            return fs;
        }
    }
    if let Some((c, v)) = best {
        let chosen = Sourced::doc(c, v.clone());
        if set_pointer(&mut out.profile, field, v.clone()) {
            if !others.is_empty() {
                out.conflicts.push(Conflict {
                    field: field.to_string(),
                    kind: ConflictKind::Documents,
                    chosen: chosen.clone(),
                    others,
                });
            }
            fs.chosen = Some(chosen);
        } else {
            fs.alternatives.insert(
                0,
                chosen.unused("the base profile has another kind of value where this field goes"),
            );
        }
    }
    // Placeholders last, keeping their rank order.
    fs.alternatives.sort_by_key(|s| s.unused.is_some());
    fs
}

/// Leaves a field open: `statement` ("Sponsor: TBD") outranks every value found (by rule
/// priority), so nothing is written to the profile. The statement comes first among the
/// alternatives, then every value found (`best` first), marked unused with the statement that
/// outranks it, then any other placeholder; the field is listed in [`Merged::left_open`].
fn leave_open(
    field: &str,
    statement: &Candidate,
    best: Sourced,
    fs: &mut FieldSources,
    out: &mut Merged,
) {
    let why = format!(
        "{} ({}) says \"{}\" and its rule has a higher priority; confirm before using this",
        statement.file,
        statement.locator,
        statement.value.as_str().unwrap_or_default()
    );
    let said = Sourced::doc(statement, statement.value.clone())
        .unused("the document leaves this field open");
    let mut set_aside = vec![best.unused(&why)];
    let mut placeholders = Vec::new();
    for a in std::mem::take(&mut fs.alternatives) {
        if a.unused.is_none() {
            set_aside.push(a.unused(&why));
        } else if a.file != said.file || a.locator != said.locator || a.rule != said.rule {
            placeholders.push(a);
        }
    }
    dedup_sources(&mut set_aside);
    fs.alternatives = std::iter::once(said.clone())
        .chain(set_aside.iter().cloned())
        .chain(placeholders)
        .collect();
    out.left_open.push(LeftOpen {
        field: field.to_string(),
        statement: said,
        set_aside,
    });
}

/// The key of a list item: the folded text, or the folded first key of a record. `None` when
/// the item has no usable key (a placeholder, or a record without its name).
fn item_key<'m>(kind: FieldKind, item: &Value, memo: &'m mut Memo) -> Option<Cow<'m, str>> {
    let v = match kind {
        FieldKind::RecordList(keys) => member(item, keys.first()?.trim_end_matches("[]"))?,
        _ => item,
    };
    if memo.is_placeholder(v) {
        return None;
    }
    Some(memo.fold(v))
}

/// A record's field: `v.get(name)`, by a look along the few fields of a record rather than a
/// hash of the name (the maps of `serde_json` hash with SipHash).
fn member<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    match v {
        Value::Object(o) if o.len() <= 16 => o.iter().find(|(k, _)| *k == name).map(|(_, x)| x),
        other => other.get(name),
    }
}

/// Turns a candidate value into list items: an array gives its elements; for a record list a
/// bare string names the record.
fn items_of(kind: FieldKind, v: &Value) -> impl Iterator<Item = Value> + '_ {
    let one = move |v: &Value| -> Value {
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
    let items = match v {
        Value::Array(a) => a.as_slice(),
        other => std::slice::from_ref(other),
    };
    items.iter().map(one)
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

/// The `type` of a group's best member that has one.
fn group_type(g: &Group, memo: &mut Memo) -> Option<String> {
    let t = g
        .members
        .iter()
        .find_map(|(_, v)| member(v, "type").filter(|t| !memo.is_placeholder(t)))?;
    Some(memo.fold(t).into_owned())
}

/// Folds a group whose name's words all appear in exactly one other group's name, of the same
/// type or without one, into that group: "Manchester" into "Manchester HQ", "Kingsbridge - County
/// Hall" into "County Hall, Kingsbridge" (the same words: into the better-ranked one). Its
/// members go after the other's, so that name and its fields win and this one stays a source.
/// A name inside two others of its type ("London" in "London DC1" and "London DC2") stays on
/// its own; "Leeds" (headquarters) is "Leeds HQ", not "Leeds DC".
/// Deterministic: groups are taken fewest words first, then by key.
fn absorb_contained_names(groups: &mut Vec<Group>, memo: &mut Memo) {
    let sets: Vec<Vec<&str>> = groups.iter().map(|g| word_set(&g.key)).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| {
        sets[a]
            .len()
            .cmp(&sets[b].len())
            .then_with(|| groups[a].key.cmp(&groups[b].key))
    });
    let ranks_above =
        |j: usize, i: usize| match (groups[j].members.first(), groups[i].members.first()) {
            (Some((cj, _)), Some((ci, _))) => rank(cj, ci) == Ordering::Less,
            _ => false,
        };
    let mut absorbed = vec![false; groups.len()];
    let mut moves: Vec<(usize, usize)> = Vec::new();
    for &i in &order {
        let containers: Vec<usize> = (0..groups.len())
            .filter(|&j| {
                j != i
                    && !absorbed[j]
                    && words_within(&sets[j], &sets[i])
                    && (sets[j].len() > sets[i].len() || ranks_above(j, i))
                    && match (group_type(&groups[i], memo), group_type(&groups[j], memo)) {
                        (Some(ti), Some(tj)) => ti == tj,
                        _ => true,
                    }
            })
            .collect();
        let [j] = containers[..] else { continue };
        moves.push((i, j));
        absorbed[i] = true;
    }
    // In order: a group that absorbed others and is then absorbed itself takes them along.
    for (i, j) in moves {
        let members = std::mem::take(&mut groups[i].members);
        groups[j].members.extend(members);
    }
    let mut k = 0;
    groups.retain(|_| {
        k += 1;
        !absorbed[k - 1]
    });
}

struct Group<'a> {
    key: String,
    members: Vec<(&'a Candidate, Value)>,
}

fn merge_list(
    field: &str,
    kind: FieldKind,
    cands: &[&Candidate],
    base_value: Option<Value>,
    out: &mut Merged,
    memo: &mut Memo,
) -> FieldSources {
    let mut fs = FieldSources {
        field: field.to_string(),
        chosen: None,
        items: Vec::new(),
        alternatives: Vec::new(),
    };
    // Group items by key; candidates arrive in rank order, so members do too.
    let mut groups: Vec<Group> = Vec::new();
    let mut index: foldhash::HashMap<String, usize> = foldhash::HashMap::default();
    for c in cands {
        for item in items_of(kind, &c.value) {
            let Some(key) = item_key(kind, &item, memo) else {
                fs.alternatives
                    .push(Sourced::doc(c, item).unused("placeholder or no name"));
                continue;
            };
            match index.get(key.as_ref()) {
                Some(&i) => {
                    if let Some(g) = groups.get_mut(i) {
                        g.members.push((c, item));
                    }
                }
                None => {
                    let key = key.into_owned();
                    index.insert(key.clone(), groups.len());
                    groups.push(Group {
                        key,
                        members: vec![(c, item)],
                    });
                }
            }
        }
    }
    if NAMED_PLACES.contains(&field) {
        absorb_contained_names(&mut groups, memo);
    }
    groups.sort_by(|a, b| match (a.members.first(), b.members.first()) {
        (Some((ca, _)), Some((cb, _))) => rank(ca, cb).then_with(|| a.key.cmp(&b.key)),
        _ => a.key.cmp(&b.key),
    });

    let base_list = base_value.filter(|v| match v {
        Value::Array(a) => !a.is_empty() && !value_is_placeholder(v),
        Value::Null => false,
        _ => true,
    });
    if let Some(base) = base_list {
        merge_list_with_base(field, kind, &groups, base, &mut fs, out, memo);
        return fs;
    }

    let mut items = Vec::with_capacity(groups.len());
    for (i, g) in groups.into_iter().enumerate() {
        let value = merge_group(field, Some(i), kind, &g, out, memo);
        fs.items.push(ItemSources {
            value: value.clone(),
            // The members' values are no longer needed: they move into their sources.
            sources: g
                .members
                .into_iter()
                .map(|(c, v)| Sourced::doc(c, v))
                .collect(),
        });
        items.push(value);
    }
    if !items.is_empty() && !set_pointer(&mut out.profile, field, Value::Array(items)) {
        for item in std::mem::take(&mut fs.items) {
            fs.alternatives.push(Sourced {
                unused: Some(
                    "the base profile has another kind of value where this field goes".into(),
                ),
                ..Sourced::base(item.value)
            });
        }
    }
    fs
}

/// Merges the members of one list group into one item; records field by field. A conflict on
/// a record's field is reported at `{field}/{index}/{name}` (`{field}/{name}` without an index).
fn merge_group(
    field: &str,
    index: Option<usize>,
    kind: FieldKind,
    g: &Group,
    out: &mut Merged,
    memo: &mut Memo,
) -> Value {
    let FieldKind::RecordList(keys) = kind else {
        return g
            .members
            .first()
            .map(|m| m.1.clone())
            .unwrap_or(Value::Null);
    };
    let mut names: Vec<&str> = keys.iter().map(|k| k.trim_end_matches("[]")).collect();
    let mut extra: Vec<&str> = g
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
        let is_list = list_keys.contains(&name);
        if is_list {
            let mut seen: Vec<String> = Vec::new();
            let mut list = Vec::new();
            for (_, v) in &g.members {
                let Some(x) = member(v, name) else { continue };
                let elems = match x {
                    Value::Array(a) => a.as_slice(),
                    other => std::slice::from_ref(other),
                };
                for e in elems {
                    if memo.is_placeholder(e) {
                        continue;
                    }
                    let k = memo.fold(e);
                    if !seen.iter().any(|s| *s == k) {
                        seen.push(k.into_owned());
                        list.push(e.clone());
                    }
                }
            }
            if !list.is_empty() {
                record.insert(name.to_string(), Value::Array(list));
            }
            continue;
        }
        // The name that made the group: its members already name the same item (equal once
        // folded, or absorbed by `absorb_contained_names`), so their spellings never conflict.
        let is_key = keys
            .first()
            .is_some_and(|k| k.trim_end_matches("[]") == name);
        let mut best: Option<(&Candidate, &Value)> = None;
        let mut others = Vec::new();
        // Like a prose field, the key never conflicts; other fields when they do not agree.
        let mut chosen = Chosen {
            prose: is_key,
            folded: None,
        };
        for (c, v) in &g.members {
            let Some(x) = member(v, name) else { continue };
            if memo.is_placeholder(x) {
                continue;
            }
            match best {
                None => best = Some((c, x)),
                Some((bc, bx)) => {
                    if (c.file != bc.file || c.rule != bc.rule) && chosen.disagrees(memo, bx, x) {
                        others.push(Sourced::doc(c, x.clone()));
                    }
                }
            }
        }
        dedup_sources(&mut others);
        if let Some((c, x)) = best {
            record.insert(name.to_string(), x.clone());
            if !others.is_empty() {
                out.conflicts.push(Conflict {
                    field: match index {
                        Some(i) => format!("{field}/{i}/{name}"),
                        None => format!("{field}/{name}"),
                    },
                    kind: ConflictKind::Documents,
                    chosen: Sourced::doc(c, x.clone()),
                    others,
                });
            }
        }
    }
    Value::Object(record)
}

fn merge_list_with_base(
    field: &str,
    kind: FieldKind,
    groups: &[Group],
    base: Value,
    fs: &mut FieldSources,
    out: &mut Merged,
    memo: &mut Memo,
) {
    let base_items: Vec<Value> = match &base {
        Value::Array(a) => a.clone(),
        _ => Vec::new(),
    };
    let base_keys: Vec<Option<String>> = base_items
        .iter()
        .map(|i| item_key(kind, i, memo).map(Cow::into_owned))
        .collect();
    let mut matched: Vec<Vec<Sourced>> = vec![Vec::new(); base_items.len()];
    for g in groups {
        let pos = base_keys.iter().position(|k| k.as_deref() == Some(&g.key));
        let Some(pos) = pos else {
            let mut scratch = Merged {
                profile: Value::Null,
                sources: Vec::new(),
                conflicts: Vec::new(),
                unconfirmed: Vec::new(),
                left_open: Vec::new(),
            };
            let value = merge_group(field, None, kind, g, &mut scratch, memo);
            let sources: Vec<Sourced> = g
                .members
                .iter()
                .map(|(c, v)| Sourced::doc(c, v.clone()))
                .collect();
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
                let mut others: Vec<Sourced> = g
                    .members
                    .iter()
                    .filter_map(|(c, v)| {
                        let x = v.get(name)?;
                        (!value_is_placeholder(x) && !x.is_array() && !agrees(x, bv))
                            .then(|| Sourced::doc(c, x.clone()))
                    })
                    .collect();
                dedup_sources(&mut others);
                if !others.is_empty() {
                    out.conflicts.push(Conflict {
                        field: format!("{field}/{pos}/{name}"),
                        kind: ConflictKind::Base,
                        chosen: Sourced::base(bv.clone()),
                        others,
                    });
                }
            }
        }
        if let Some(m) = matched.get_mut(pos) {
            m.extend(g.members.iter().map(|(c, v)| Sourced::doc(c, v.clone())));
        }
    }
    for (item, docs) in base_items.into_iter().zip(matched) {
        let mut sources = vec![Sourced::base(item.clone())];
        sources.extend(docs);
        fs.items.push(ItemSources {
            value: item,
            sources,
        });
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
        .map(|p| {
            if p.contains('~') {
                p.replace("~1", "/").replace("~0", "~")
            } else {
                p.to_string()
            }
        })
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
        }
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
                30,
            ),
            site(
                "County Hall, Kingsbridge",
                "headquarters",
                "b.md",
                "list",
                55,
            ),
        ];
        let m = merge(&cands, None);
        let names: Vec<&str> = m.profile["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "Birmingham",
                "London",
                "Birmingham DC",
                "County Hall, Kingsbridge",
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

        // Other lists keep items that are contained in one another.
        let procs = [
            cand(
                "/service_management_maturity/mature_processes",
                json!("Incident management"),
                "a.md",
                "r",
                50,
            ),
            cand(
                "/service_management_maturity/mature_processes",
                json!("Major incident management"),
                "a.md",
                "r",
                50,
            ),
        ];
        let m = merge(&procs, None);
        assert_eq!(
            m.profile["service_management_maturity"]["mature_processes"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
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
                40,
            ),
            cand(
                rationale,
                json!("Apex IT Services Ltd is a managed service provider based in Manchester."),
                "about.md",
                "provider.type",
                40,
            ),
            cand(
                "/organization/description",
                json!("A managed service provider."),
                "about.md",
                "d",
                40,
            ),
            cand(
                "/organization/description",
                json!("We run IT for mid-sized firms in the North West."),
                "policy.docx",
                "d",
                40,
            ),
            // A fact still conflicts.
            cand(
                "/key_roles/sms_manager",
                json!("Sarah Chen"),
                "a.md",
                "r",
                50,
            ),
            cand(
                "/key_roles/sms_manager",
                json!("Tom Baker"),
                "b.md",
                "r",
                50,
            ),
        ];
        let m = merge(&cands, None);
        let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["/key_roles/sms_manager"]);
        let fs = m.sources.iter().find(|f| f.field == rationale).unwrap();
        assert_eq!(
            fs.chosen.as_ref().unwrap().value,
            json!("Apex IT Services Ltd is a managed service provider based in Manchester.")
        );
        assert_eq!(
            fs.alternatives.len(),
            1,
            "the other sentence stays an alternative"
        );
        assert!(fs.alternatives[0].unused.is_none());

        // Nor is a different wording a conflict with a base profile: the base is kept.
        let base = json!({"service_provider_type": {"rationale": "External customers only."}});
        let m = merge(&cands[..2], Some(&base));
        assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        assert_eq!(
            m.profile["service_provider_type"]["rationale"],
            "External customers only."
        );
    }

    #[test]
    fn a_higher_priority_tbd_leaves_the_field_open_and_sets_the_guess_aside() {
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
                45,
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
            let m = merge(&cands, None);
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
            let fs = m.sources.iter().find(|f| f.field == sponsor).unwrap();
            assert!(fs.chosen.is_none());
            assert_eq!(fs.alternatives[0].value, json!("TBD"));
            let why = fs.alternatives[1].unused.as_deref().unwrap();
            assert!(
                why.contains("policy.docx (word/document.xml paragraph 16) says \"TBD\""),
                "{why}"
            );
            assert!(m.conflicts.is_empty());
        }

        // A real value of equal or higher priority wins over the TBD.
        for p in [60, 62] {
            let named = cand(sponsor, json!("James Wright"), "roles.xlsx", "roles", p);
            let m = merge(&[tbd.clone(), named, guess.clone(), sms.clone()], None);
            assert_eq!(m.profile.pointer(sponsor), Some(&json!("James Wright")));
            assert!(m.left_open.is_empty());
        }
        // Template text is not a statement: the guess stays the value.
        let template = cand(
            sponsor,
            json!("[Insert name]"),
            "template.docx",
            "policy",
            60,
        );
        let m = merge(&[template, guess.clone()], None);
        assert_eq!(
            m.profile.pointer(sponsor),
            Some(&json!("Graham Keane, Chief Operating Officer"))
        );
        assert!(m.left_open.is_empty());
        // Nor is a TBD in a file that gave no real value (an unfilled template).
        let template_tbd = Candidate {
            file: "Policy - TEMPLATE.docx".into(),
            ..tbd.clone()
        };
        let m = merge(&[template_tbd, guess.clone()], None);
        assert!(m.left_open.is_empty());
        assert!(m.profile.pointer(sponsor).is_some());
        // A base profile's value still wins over both.
        let base = json!({"key_roles": {"top_management_sponsor": "Ann Lee, CEO"}});
        let m = merge(&[tbd, guess, sms], Some(&base));
        assert_eq!(m.profile.pointer(sponsor), Some(&json!("Ann Lee, CEO")));
        assert!(m.left_open.is_empty());
    }

    #[test]
    fn fold_ignores_case_whitespace_and_punctuation() {
        assert_eq!(
            fold("Sarah Chen, IT Service Manager"),
            fold(" sarah chen - it  service manager.")
        );
        assert_ne!(fold("Sarah Chen"), fold("Sara Chen"));
        assert_eq!(fold("ＡＢＣ"), "abc");
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
    }

    #[test]
    fn natural_order_compares_numbers_as_numbers() {
        assert_eq!(natural_cmp("line 9", "line 10"), Ordering::Less);
        assert_eq!(natural_cmp("Staff!B10", "Staff!B9"), Ordering::Greater);
        assert_eq!(natural_cmp("a007", "a7"), Ordering::Equal);
        assert_eq!(natural_cmp("a", "b"), Ordering::Less);
    }

    #[test]
    fn placeholders_are_recognised() {
        for p in [
            "TBD",
            "n/a",
            "[Organization Name]",
            "<FILL-IN>",
            "{{companyFullName}}",
            "Lorem ipsum dolor",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(value_is_placeholder(&serde_json::json!("  ")));
        for p in [
            "Apex IT Services Ltd (UK)",
            "NA Holdings",
            "[a] and [b] apply",
        ] {
            assert!(!is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn size_stays_a_number() {
        let m = merge(
            &[cand(
                "/organization/size",
                json!(120),
                "hr.xlsx",
                "hr.count",
                1,
            )],
            None,
        );
        assert_eq!(m.profile, json!({"organization": {"size": 120}}));
    }

    #[test]
    fn choice_values_take_the_canonical_spelling() {
        let m = merge(
            &[cand(
                "/service_provider_type/classification",
                json!("type ii"),
                "p.md",
                "r",
                1,
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

#[cfg(test)]
mod fast_path_tests {
    //! The shortcuts taken for speed (comparing equal values without folding them, folding a
    //! chosen value once) give what the plain definitions give.
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// Values from a small pool, so that equal, fold-equal and contained values meet.
    fn value() -> impl Strategy<Value = Value> {
        prop::sample::select(vec![
            json!("Data Centre"),
            json!("data center"),
            json!("Data Centre, London"),
            json!("Sarah Chen"),
            json!("Sarah Chen, IT Service Manager"),
            json!("Tom Baker"),
            json!(120),
            json!("120 employees"),
            json!({"name": "Manchester HQ"}),
            json!({"name": "TBD", "type": "[Type]"}),
            json!("TBD"),
            json!(["TBD", "n/a"]),
            json!(["TBD", "Tom Baker"]),
            json!(null),
        ])
    }

    fn sourced() -> impl Strategy<Value = Sourced> {
        (
            value(),
            prop::sample::select(vec!["a.md", "b.docx"]),
            prop::sample::select(vec!["line 1", "line 2"]),
        )
            .prop_map(|(value, file, locator)| Sourced {
                file: Some(file.into()),
                locator: Some(locator.into()),
                ..Sourced::base(value)
            })
    }

    /// `dedup_sources` as first written: a folded key per source.
    fn dedup_reference(list: &mut Vec<Sourced>) {
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

    proptest! {
        #[test]
        fn dedup_keeps_what_the_folded_keys_keep(list in prop::collection::vec(sourced(), 0..12)) {
            let mut fast = list.clone();
            dedup_sources(&mut fast);
            let mut reference = list;
            dedup_reference(&mut reference);
            prop_assert_eq!(fast, reference);
        }

        #[test]
        fn natural_order_after_the_shared_prefix_is_the_natural_order(
            a in "[a0-9é. ]{0,12}",
            b in "[a0-9é. ]{0,12}",
            prefix in "[a0-9è. ]{0,6}",
        ) {
            let (a, b) = (format!("{prefix}{a}"), format!("{prefix}{b}"));
            prop_assert_eq!(natural_cmp_after_prefix(&a, &b), natural_cmp(&a, &b));
        }

        #[test]
        fn a_member_is_what_get_gives(
            keys in prop::collection::vec("[a-c]{1,2}", 0..20),
            name in "[a-c]{1,2}",
        ) {
            let record = Value::Object(keys.iter().map(|k| (k.clone(), json!(k.len()))).collect());
            prop_assert_eq!(member(&record, &name), record.get(&name));
            let text = json!(name.clone());
            prop_assert_eq!(member(&text, &name), None);
        }

        #[test]
        fn remembered_answers_are_the_answers(values in prop::collection::vec(value(), 0..12)) {
            let mut memo = Memo::default();
            // Each value twice: the second answer comes from the memo.
            for v in values.iter().chain(&values) {
                prop_assert_eq!(memo.is_placeholder(v), value_is_placeholder(v));
                prop_assert_eq!(memo.fold(v).into_owned(), fold_value(v));
            }
        }

        #[test]
        fn a_chosen_value_disagrees_as_agrees_says(
            chosen in value(),
            others in prop::collection::vec(value(), 0..8),
            prose in any::<bool>(),
        ) {
            let field = if prose { "/organization/description" } else { "/key_roles/sms_manager" };
            let mut c = Chosen::new(field);
            let mut memo = Memo::default();
            for o in &others {
                let is_prose = profile::field(field).is_some_and(|f| f.prose);
                let agree = fold_value(&chosen) == fold_value(o)
                    || agrees_folded(&fold_value(o), &fold_value(&chosen));
                let plain = !is_prose && !agree;
                prop_assert_eq!(c.disagrees(&mut memo, &chosen, o), plain);
            }
        }
    }
}

#[cfg(test)]
mod fold_tests {
    use super::fold;

    #[test]
    fn values_fold_as_the_mapper_folds_headers() {
        assert_eq!(fold("Data Centre"), fold("data center"));
        assert_eq!(
            fold("Service Desk & Support"),
            fold("Service desk and support")
        );
        assert_eq!(fold("Organisation"), fold("organization"));
        assert_ne!(fold("Type II"), fold("Type III"));
        // Long values are compared whole, not by their first few hundred characters.
        let a = format!("{} first", "x ".repeat(600));
        let b = format!("{} second", "x ".repeat(600));
        assert_ne!(fold(&a), fold(&b));
    }
}
