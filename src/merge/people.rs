//! Who is meant: before the fields are merged, a person given by post alone ("the Quality
//! Manager is the SMS manager", a process owner "NOC Manager") or by first name alone ("Hannah",
//! "Hannah K.") is resolved to the one person the client's documents name so: in an org chart
//! or staff list (the rules' [`PEOPLE`] target) or with a job title in another role.
//!
//! A resolution is the merge's: it compares candidates across files, which the judge never
//! does. It only lifts the judge's doubt about the post or the first name, and only when the
//! documents name exactly one such person; otherwise the value stays doubted (a suggestion).
//! The people themselves are not a field of the profile: the merge leaves them out.

use super::fold;
use crate::judge::shape::{name_part, without_honorifics, A_POST, POST_FOR_PERSON, SINGLE_NAME};
use crate::judge::{member_doubt, names_role, Factor, Judged, Verdict};
use crate::profile::{self, Shape, PEOPLE};
use serde_json::Value;
use std::collections::BTreeMap;

/// A person the documents name with a full name, and the post they give them.
struct Known {
    /// Folded full name ("hannah kowalczyk").
    key: String,
    /// As written ("Hannah Kowalczyk").
    name: String,
    /// Folded post, if any ("head of support operations").
    post: String,
    /// As written.
    title: String,
    /// Where the documents say so: "file, locator".
    at: String,
    /// From a staff list or org chart (not a role holder found elsewhere).
    listed: bool,
}

/// Weights at or above this name a person surely enough to resolve others by.
const SURE: f64 = 0.5;

/// The candidates whose post or first name the documents resolve to one person, by their
/// index in `judged`, as they read resolved.
/// A post written where a person's name belongs that nobody holds is dropped, with the reason.
pub(super) fn resolve(judged: &[Judged]) -> BTreeMap<usize, Judged> {
    let known = directory(judged);
    judged
        .iter()
        .enumerate()
        .filter_map(|(i, j)| Some((i, resolved(j, &known).or_else(|| unheld(j))?)))
        .collect()
}

/// A post written where a person's name belongs, that the documents give to nobody, rejected.
/// A record keeps it, doubted: "Problem management (Service Desk Manager)" still tells the
/// interview which post owns the process.
fn unheld(j: &Judged) -> Option<Judged> {
    let Verdict::Weighed { factors, .. } = &j.verdict else {
        return None;
    };
    if !j.candidate.value.is_string() {
        return None;
    }
    factors.iter().find(|f| f.why == POST_FOR_PERSON)?;
    let text = person_text(&j.candidate.field, &j.candidate.value).unwrap_or_default();
    let mut judged = j.clone();
    judged.verdict = Verdict::Rejected {
        reason: format!(
            "\"{}\" is a post, and no document names the one person who holds it",
            name_part(text.trim())
        ),
    };
    Some(judged)
}

/// Everyone named with a full name: the people rows, and the role holders found surely.
fn directory(judged: &[Judged]) -> Vec<Known> {
    let mut known = Vec::new();
    for j in judged {
        if j.verdict.weight() < SURE {
            continue;
        }
        let c = &j.candidate;
        let at = format!("{}, {}", c.file, c.locator);
        if c.field == PEOPLE.pointer {
            let get = |k: &str| c.value.get(k).and_then(Value::as_str).unwrap_or_default();
            push(&mut known, get("name"), get("title"), &at, true);
            continue;
        }
        if let Some(text) = person_text(&j.candidate.field, &c.value) {
            let doubted = match &j.verdict {
                Verdict::Weighed { factors, .. } => factors.iter().any(|f| is_doubt(f, &c.field)),
                Verdict::Rejected { .. } => true,
            };
            if doubted {
                continue;
            }
            // `name_part` of a trimmed text starts where the text does.
            let text = text.trim();
            let name = name_part(text);
            let title = text[name.len()..].trim_start_matches(|c: char| !c.is_alphanumeric());
            push(&mut known, name, title, &at, false);
        }
    }
    known
}

fn push(known: &mut Vec<Known>, name: &str, title: &str, at: &str, listed: bool) {
    let name = name_part(without_honorifics(name));
    let key = fold(name);
    if full_name(&key) {
        known.push(Known {
            key,
            name: name.trim().to_string(),
            post: post_key(title),
            title: title.trim().to_string(),
            at: at.to_string(),
            listed,
        });
    }
}

/// A folded name of two words or more whose first and last are not initials ("hannah k" and
/// "h kowalski" are not).
fn full_name(key: &str) -> bool {
    let ws: Vec<&str> = key.split(' ').collect();
    let word = |w: Option<&&str>| w.is_some_and(|w| w.chars().count() > 1);
    ws.len() >= 2 && word(ws.first()) && word(ws.last())
}

/// A post folded for comparison, without an article or a note in brackets: "The Quality
/// Manager (interim)" is "quality manager".
fn post_key(title: &str) -> String {
    let head = title.split('(').next().unwrap_or(title);
    let key = fold(head);
    const ARTICLES: &[&str] = &[
        "the ", "de ", "het ", "le ", "la ", "l ", "el ", "der ", "die ",
    ];
    match ARTICLES.iter().find_map(|a| key.strip_prefix(a)) {
        Some(rest) => rest.to_string(),
        None => key,
    }
}

/// The text of a person in a candidate: the value of a person field, or a record's owner.
fn person_text<'v>(field: &str, value: &'v Value) -> Option<&'v str> {
    let spec = profile::field(field)?;
    match value {
        Value::String(s) if spec.shape == Shape::Person => Some(s),
        Value::Object(record) => record.get(person_member(field)?)?.as_str(),
        _ => None,
    }
}

/// The candidate with its person resolved, when it is a post or a first name the documents
/// give to exactly one person.
fn resolved(j: &Judged, known: &[Known]) -> Option<Judged> {
    let Verdict::Weighed { factors, .. } = &j.verdict else {
        return None;
    };
    let text = person_text(&j.candidate.field, &j.candidate.value)?.trim();
    let field = j.candidate.field.as_str();
    let doubt = factors.iter().position(|f| is_doubt(f, field));
    let by_post = doubt.is_some_and(|i| {
        factors[i].why == A_POST
            || factors[i].why == POST_FOR_PERSON
            || (is_member_doubt(&factors[i], field) && names_role(text))
    });
    // "Hannah K." or "H. Kowalski": a name with an initial passes as a name, and is resolved
    // all the same.
    let initialled = !full_name(&fold(name_part(text)));
    let who = if doubt.is_none() && !initialled {
        // "Jorge Méndez" for "Jorge Méndez Ochoa": a full name the documents also write longer.
        longer(text, known)?
    } else {
        holder(text, by_post, known)?
    };
    let mut factors = factors.clone();
    let lifted = Factor::new(
        1.0,
        &format!("\"{}\" is {} ({})", name_part(text), who.name, who.at),
    );
    match doubt {
        Some(i) => factors[i] = lifted,
        None => factors.push(lifted),
    }
    let full = if who.title.is_empty() {
        who.name.clone()
    } else {
        format!("{}, {}", who.name, who.title)
    };
    let mut judged = j.clone();
    match &mut judged.candidate.value {
        Value::Object(record) => {
            let key = person_member(field)?;
            record.insert(key.to_string(), Value::String(full));
        }
        v => *v = Value::String(full),
    }
    judged.verdict = Verdict::Weighed {
        weight: factors.iter().map(|f| f.times).product(),
        factors,
    };
    Some(judged)
}

/// Whether a factor is the judge's doubt that a value of `field` names a person in full: a
/// post, a first name alone, or a record's person that is no person's name.
fn is_doubt(f: &Factor, field: &str) -> bool {
    f.why == SINGLE_NAME || f.why == A_POST || f.why == POST_FOR_PERSON || is_member_doubt(f, field)
}

/// Whether a factor is the judge's doubt about the person of a record of `field` ("its owner
/// is doubtful: ...").
fn is_member_doubt(f: &Factor, field: &str) -> bool {
    person_member(field).is_some_and(|key| f.why.starts_with(&member_doubt(key)))
}

/// The key of the person in a record of `field` ("owner" of a process owner), if it has one.
fn person_member(field: &str) -> Option<&'static str> {
    let spec = profile::field(field)?;
    spec.members
        .iter()
        .find(|(_, shape)| *shape == Shape::Person)
        .map(|(key, _)| *key)
}

/// The one person whose full name begins with the name of `text` and goes on (a second
/// surname, a middle name).
fn longer<'k>(text: &str, known: &'k [Known]) -> Option<&'k Known> {
    let name = fold(without_honorifics(name_part(text)));
    // Someone a staff list names exactly so is meant as written ("Carlos Ruiz" beside "Carlos
    // Ruiz Díaz").
    if known.iter().any(|k| k.listed && k.key == name) {
        return None;
    }
    let prefix = format!("{name} ");
    // One or two more words: a second surname or a middle name.
    let matches: Vec<&Known> = known
        .iter()
        .filter(|k| {
            k.key
                .strip_prefix(&prefix)
                .is_some_and(|more| more.split(' ').count() <= 2)
        })
        .collect();
    one(&matches)
}

/// The one person `text` names: by post ("Change Manager", "the Kwaliteitsmanager"), by a
/// first name, perhaps with the initial of the surname ("Hannah", "Hannah K."), or by a
/// surname alone ("Van den Broeck").
fn holder<'k>(text: &str, by_post: bool, known: &'k [Known]) -> Option<&'k Known> {
    // "Dr Ashworth", "de heer Van den Broeck": a form of address says a surname follows.
    let addressed = without_honorifics(name_part(text)) != name_part(text).trim_start();
    let name = fold(without_honorifics(name_part(text)));
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let matches: Vec<&Known> = if by_post {
        let post = post_key(text);
        known
            .iter()
            .filter(|k| !post.is_empty() && k.post == post)
            .collect()
    } else {
        // A first name ("Hannah"), with the initial of the surname ("Hannah K."), or a surname
        // alone ("Delvaux", "Van den Broeck"): the known full names it begins or ends.
        let (first, initial) = match words.as_slice() {
            [first] => (Some(*first), None),
            [first, initial] if initial.chars().count() == 1 => (Some(*first), Some(*initial)),
            _ => (None, None),
        };
        // "H. Kowalski": the initial of the first name, then the surname.
        let (first_initial, surname) = match words.split_first() {
            Some((i, rest)) if i.chars().count() == 1 && !rest.is_empty() => {
                (Some(*i), format!(" {}", rest.join(" ")))
            }
            _ => (None, format!(" {name}")),
        };
        known
            .iter()
            .filter(|k| {
                let mut ws = k.key.split(' ');
                let by_first = first.is_some_and(|f| ws.next() == Some(f))
                    && initial.is_none_or(|i| ws.next_back().is_some_and(|l| l.starts_with(i)));
                // A surname alone only when it cannot be a first name: with its particle
                // ("Van den Broeck"), after an initial ("L. Oberhofer") or a form of address
                // ("Dr Ashworth"); "Martin" alone may be either.
                let by_surname = initial.is_none()
                    && (words.len() > 1 || first_initial.is_some() || addressed)
                    && k.key.ends_with(&surname)
                    && first_initial.is_none_or(|i| k.key.starts_with(i));
                by_first || by_surname
            })
            .collect()
    };
    one(&matches)
}

/// The one person of `matches`, perhaps named in several places: the first place in file
/// order, so the result never depends on the order candidates arrive in.
fn one<'k>(matches: &[&'k Known]) -> Option<&'k Known> {
    let first = *matches
        .iter()
        .min_by(|a, b| (&a.at, &a.title).cmp(&(&b.at, &b.title)))?;
    matches.iter().all(|k| k.key == first.key).then_some(first)
}
