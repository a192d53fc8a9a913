//! Answers from an interview pack: a [`Document`] that is an `orgprofile` interview pack in;
//! one [`Candidate`] per filled Answer cell out, for the field named in its row's Field cell.
//!
//! A pack is told by its document property ([`INTERVIEW_PROPERTY`], which the DOCX reader
//! keeps), or, when an editor dropped the property, by a table whose header row reads
//! Question | What the documents say | Answer | Field. Only the Answer and Field cells are
//! read: the pack's questions and the facts it quotes never become candidates, and no mapping
//! rule runs over it. A pack of a format version this build does not read gives nothing (the
//! reader notes why). An answer is given as written (a list: one entry per line; a record: the
//! written form the pack's how-to shows); the judge decides whether it fits its field.

use super::{Candidate, MatchKind};
use crate::document::{BlockKind, Cell, Document, INTERVIEW_HEADER, INTERVIEW_VERSION};
use crate::profile::{self, FieldKind};
use serde_json::{Map, Value};

/// The rule id answers carry in `sources.json`.
pub const ANSWER_RULE: &str = "interview.answer";

/// Most answers taken from one pack (entries of list answers count one each).
const MAX_ANSWERS: usize = 2000;

/// A question table of a pack: its block, rows, and its Answer and Field columns.
struct PackTable<'a> {
    block: usize,
    rows: &'a [Vec<Cell>],
    answer: usize,
    field: usize,
}

/// The answers of `doc` if it is an interview pack (empty for a pack of another format
/// version), `None` if it is an ordinary document.
pub fn answers(doc: &Document) -> Option<Vec<Candidate>> {
    let columns = |cells: &[Cell]| -> Option<(usize, usize)> {
        let at = |name: &str| {
            cells
                .iter()
                .position(|c| c.text.trim().eq_ignore_ascii_case(name))
        };
        INTERVIEW_HEADER
            .iter()
            .all(|h| at(h).is_some())
            .then(|| Some((at("Answer")?, at("Field")?)))?
    };
    let tables: Vec<PackTable<'_>> = doc
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(block, b)| match &b.kind {
            BlockKind::Table(t) => {
                let (answer, field) = columns(t.rows.first()?)?;
                Some(PackTable {
                    block,
                    rows: &t.rows,
                    answer,
                    field,
                })
            }
            _ => None,
        })
        .collect();
    match doc.interview_version() {
        Some(v) if v != INTERVIEW_VERSION => return Some(Vec::new()),
        Some(_) => {}
        None if tables.is_empty() => return None,
        None => {}
    }
    let mut out = Vec::new();
    for PackTable {
        block,
        rows,
        answer: answer_col,
        field: field_col,
    } in tables
    {
        for (r, row) in rows.iter().enumerate().skip(1) {
            let (Some(answer), Some(field)) = (row.get(answer_col), row.get(field_col)) else {
                continue;
            };
            let pointer = field.text.trim();
            let lines: Vec<&str> = answer
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            if pointer.is_empty() || lines.is_empty() {
                continue;
            }
            let values = values(pointer, &lines);
            let several = values.len() > 1;
            for (i, value) in values.into_iter().enumerate() {
                if out.len() >= MAX_ANSWERS {
                    return Some(out);
                }
                // A list's entries keep their order through their line numbers.
                let locator = if several {
                    format!("{} line {}", answer.locator, i + 1)
                } else {
                    answer.locator.to_string()
                };
                out.push(Candidate {
                    field: pointer.to_string(),
                    value,
                    file: doc.path.clone(),
                    locator,
                    rule: ANSWER_RULE.to_string(),
                    how: MatchKind::Answer,
                    priority: 100,
                    shape: None,
                    block,
                    row: Some(r),
                    at: None,
                    same_as: None,
                    stand_in: false,
                    sole: false,
                });
            }
        }
    }
    Some(out)
}

/// The candidate values an answer gives its field: one for a single value, one per line for
/// a list.
fn values(pointer: &str, lines: &[&str]) -> Vec<Value> {
    let whole = || lines.join(" ");
    match profile::field(pointer).map(|f| f.kind) {
        Some(FieldKind::TextList) => lines.iter().map(|l| Value::from(*l)).collect(),
        Some(FieldKind::RecordList(keys)) => {
            lines.iter().map(|l| record(pointer, keys, l)).collect()
        }
        Some(FieldKind::Choice(choices)) => {
            let text = whole();
            let folded = crate::merge::fold(&text);
            let choice = choices.iter().find(|c| crate::merge::fold(c) == folded);
            vec![Value::from(choice.map_or(text, |c| c.to_string()))]
        }
        Some(FieldKind::TextOrCount) => {
            let text = whole();
            match text.parse::<u64>() {
                Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => vec![Value::from(n)],
                _ => vec![Value::from(text)],
            }
        }
        _ => vec![Value::from(whole())],
    }
}

/// The known types of a record list's `type` key, if it has a fixed list.
pub fn record_types(pointer: &str) -> Option<&'static [&'static str]> {
    match pointer {
        "/locations" => Some(profile::LOCATION_TYPES),
        "/interested_parties" => Some(profile::PARTY_TYPES),
        _ => None,
    }
}

/// A record from its written form: `Process: Owner` for a record with an owner; otherwise
/// `Name (type, country)` with an optional `: item; item` for its list key (`Acme plc
/// (customer): 99.9% availability; UK GDPR`). A bracketed part that is a known type is the
/// type; another is the country where the record has one, else the type as written (which
/// the judge then refuses).
fn record(pointer: &str, keys: &[&str], line: &str) -> Value {
    let names: Vec<&str> = keys.iter().map(|k| k.trim_end_matches("[]")).collect();
    let first = names.first().copied().unwrap_or("name");
    let mut m = Map::new();
    if names.contains(&"owner") {
        match line.split_once(':') {
            Some((what, who)) => {
                m.insert(first.into(), what.trim().into());
                m.insert("owner".into(), who.trim().into());
            }
            None => {
                m.insert(first.into(), line.into());
            }
        }
        return Value::Object(m);
    }
    let list_key = keys.iter().find_map(|k| k.strip_suffix("[]"));
    let (head, tail) = match (list_key, line.split_once(':')) {
        (Some(_), Some((h, t))) => (h.trim(), Some(t)),
        _ => (line, None),
    };
    let (name, parts) = match head.strip_suffix(')').and_then(|h| h.split_once('(')) {
        Some((name, inside)) => (name.trim(), inside.split(',').map(str::trim).collect()),
        None => (head, Vec::new()),
    };
    m.insert(first.into(), name.into());
    let types = record_types(pointer).unwrap_or(profile::TECHNOLOGY_TYPES);
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        let folded = crate::merge::fold(part);
        let known = match folded.as_str() {
            "hq" | "head office" => Some("headquarters"),
            _ => types
                .iter()
                .find(|t| crate::merge::fold(t) == folded)
                .copied(),
        };
        let slot = match known {
            Some(_) => "type",
            None if names.contains(&"country") && !m.contains_key("country") => "country",
            None => "type",
        };
        if names.contains(&slot) && !m.contains_key(slot) {
            m.insert(slot.into(), known.unwrap_or(part).into());
        }
    }
    if let (Some(key), Some(tail)) = (list_key, tail) {
        let items: Vec<Value> = tail
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Value::from)
            .collect();
        if !items.is_empty() {
            m.insert(key.into(), Value::Array(items));
        }
    }
    Value::Object(m)
}
