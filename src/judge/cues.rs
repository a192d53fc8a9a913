//! Words around a value that cast doubt on it: negation ("we do not use X"), the past ("X was
//! replaced by Y"), evaluation or hypothesis ("X is still to be evaluated"), examples ("tools
//! such as X"), another organization ("a subsidiary of X"). Takes the text a value was found
//! in, the value, its field and the configured [`Cue`]s; gives the factors of the value's best
//! mention. Knows nothing of sections or documents (that is `context`'s job).

use super::config::{Config, PhraseIndex};
use super::Factor;
use crate::map::fold_padded;

/// Words before a value searched for `before` phrases and `except_after` phrases.
const BEFORE_WORDS: usize = 6;
/// Words after a value searched for `after` phrases.
const AFTER_WORDS: usize = 4;
/// Longest text searched, in bytes: a value's clause is in the first part of a long block.
const MAX_TEXT: usize = 20_000;

/// The factors of the cues around the best mention of `value` in `text`, or, when the match's
/// byte offset `at` is known, around the mention in the clause where the match stands. A
/// value not found in the text (a product named by an alias, a regime given its one name) is
/// judged by the clause cues of the words from its match up to the next "and" or comma.
pub fn cue_factors(
    text: &str,
    value: &str,
    at: Option<usize>,
    field: &str,
    config: &Config,
) -> Vec<Factor> {
    let applicable: Vec<(&super::config::Cue, f64)> = config
        .cues
        .iter()
        .filter_map(|c| c.weights.for_field(field).map(|w| (c, w)))
        .collect();
    if applicable.is_empty() {
        return Vec::new();
    }
    // With the match's place known, only the clause it stands in is read.
    let full_text = text;
    let known_clause = at.and_then(|at| clause_at(text, at));
    let text = match known_clause {
        Some(clause) => without_addresses(clause),
        None => without_addresses(cut(text, MAX_TEXT)),
    };
    let padded_value = fold_padded(value);
    let value_words = padded_value.trim_matches(' ');
    if value_words.is_empty() {
        return Vec::new();
    }
    // Cues in the value itself hold wherever it was found.
    let mut own: Vec<Factor> = Vec::new();
    for (cue, weight) in &applicable {
        if let Some(p) = cue.in_value.iter().find(|p| p.in_padded(&padded_value)) {
            own.push(Factor::new(
                *weight,
                &format!("{} (\"{}\")", cue.reason, p.words()),
            ));
        }
    }
    let value_words: Vec<&str> = value_words.split(' ').collect();
    // Only clauses that hold the value's first word are folded and read (a long paragraph
    // naming ten tools is read ten times otherwise).
    let first_word = value_words
        .first()
        .copied()
        .filter(|w| w.is_ascii() && !w.is_empty());
    let mut best: Option<Vec<Factor>> = None;
    for clause in clauses(&text) {
        if first_word.is_some_and(|w| !super::placeholder::contains_words(clause, w)) {
            continue;
        }
        let padded_clause = fold_padded(clause);
        // A phrase before the value or elsewhere in its clause is first of all in the clause.
        let found = config.cue_index.found(&padded_clause);
        let words: Vec<&str> = padded_clause.split(' ').filter(|w| !w.is_empty()).collect();
        let n = value_words.len();
        for start in (0..words.len()).filter(|&i| words.get(i..i + n) == Some(&value_words[..])) {
            let before_p = padded_words(&words[start.saturating_sub(BEFORE_WORDS)..start]);
            let after_p = padded_words(
                &words[(start + n).min(words.len())..(start + n + AFTER_WORDS).min(words.len())],
            );
            let rest = padded_words(
                words[..start]
                    .iter()
                    .chain(&words[(start + n).min(words.len())..]),
            );
            let mut factors = Vec::new();
            for (cue, weight) in &applicable {
                if cue.before.is_empty() && cue.after.is_empty() && cue.clause.is_empty() {
                    continue;
                }
                let excepted = cue
                    .except_after
                    .iter()
                    .any(|p| ends_with_words(&before_p, p.words()));
                if excepted {
                    continue;
                }
                let hit = cue
                    .before
                    .iter()
                    .find(|p| PhraseIndex::holds(&found, p) && p.in_padded(&before_p))
                    .or_else(|| {
                        cue.after
                            .iter()
                            .find(|p| starts_with_words(&after_p, p.words()))
                    })
                    .or_else(|| {
                        cue.clause
                            .iter()
                            .find(|p| PhraseIndex::holds(&found, p) && p.in_padded(&rest))
                    });
                if let Some(p) = hit {
                    factors.push(Factor::new(
                        *weight,
                        &format!("{} (\"{}\")", cue.reason, p.words()),
                    ));
                }
            }
            let product = |fs: &[Factor]| fs.iter().map(|f| f.times).product::<f64>();
            if best.as_ref().is_none_or(|b| product(&factors) > product(b)) {
                best = Some(factors);
            }
        }
    }
    // A value the rule renamed ("SOC 2 audit" for "A SOC 2 Type II report is on the
    // roadmap", "5,200 employees" for "compte 5 200 employés") is not in its clause: with its
    // place known, the clause's words around the match speak of it: from a few words before it
    // (not past an "and": "Notre principal concurrent, Épiceries Laurentides, compte 5 200
    // employés" is a competitor's figure) up to the next "and" or comma after it ("We are ISO 27001 certified
    // and a SOC 2 report is on the roadmap" plans the second only).
    let from_match = known_clause.zip(at).and_then(|(clause, at)| {
        let start = (clause.as_ptr() as usize).checked_sub(full_text.as_ptr() as usize)?;
        let at = at.checked_sub(start)?;
        let before = clause.get(..at)?;
        let after_and = before.rfind(" and ").map_or(0, |i| i + " and ".len());
        // At most the few words before the match: the subject of a long sentence ("Group IT
        // is an internal department of 19 staff") is not read as a cue.
        let few_words = before
            .char_indices()
            .rev()
            .filter(|(i, c)| c.is_whitespace() && *i + 1 < before.len())
            .nth(BEFORE_MATCH_WORDS - 1)
            .map_or(0, |(i, _)| i + 1);
        let from = after_and.max(few_words);
        let rest = clause.get(at..)?;
        let end = [" and ", ", "]
            .iter()
            .filter_map(|sep| rest.find(sep))
            .min()
            .unwrap_or(rest.len());
        clause.get(from..at + end)
    });
    if let (None, Some(rest)) = (&best, from_match) {
        let padded_clause = fold_padded(&without_addresses(rest));
        let found = config.cue_index.found(&padded_clause);
        best = applicable
            .iter()
            .filter_map(|(cue, weight)| {
                let p = cue
                    .clause
                    .iter()
                    .find(|p| PhraseIndex::holds(&found, p) && p.in_padded(&padded_clause))?;
                Some(Factor::new(
                    *weight,
                    &format!("{} (\"{}\")", cue.reason, p.words()),
                ))
            })
            .min_by(|a, b| a.times.total_cmp(&b.times))
            .map(|f| vec![f]);
    }
    own.extend(best.unwrap_or_default());
    own
}

/// How many words before a renamed value's match are read for its cues.
const BEFORE_MATCH_WORDS: usize = 4;

/// `words` joined with single spaces, with a space at each end (" a b ", "  " for none): what
/// `format!(" {} ", words.join(" "))` gives, without its allocations and formatting (with
/// `fold_padded`, this function went from 188M to 173M instructions on a 40-client batch).
fn padded_words<'w>(words: impl IntoIterator<Item = &'w &'w str>) -> String {
    let mut out = String::from(" ");
    for (i, w) in words.into_iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.push(' ');
    out
}

/// Whether `padded` (" words ") ends with the whole words `words`.
fn ends_with_words(padded: &str, words: &str) -> bool {
    padded
        .strip_suffix(' ')
        .and_then(|p| p.strip_suffix(words))
        .is_some_and(|p| p.ends_with(' '))
}

/// Whether `padded` (" words ") starts with the whole words `words`.
fn starts_with_words(padded: &str, words: &str) -> bool {
    padded
        .strip_prefix(' ')
        .and_then(|p| p.strip_prefix(words))
        .is_some_and(|p| p.starts_with(' '))
}

/// The text without e-mail and web addresses: their words ("name@firm.example",
/// "www.example.com") are no cue.
fn without_addresses(text: &str) -> String {
    // Most texts hold no address: one search for each mark over the text spares them the
    // `contains` per word (17M instructions of a 40-client batch).
    if !(text.contains('@') || text.contains("://") || text.contains("www.")) {
        return text.to_string();
    }
    text.split(' ')
        .filter(|w| !(w.contains('@') || w.contains("://") || w.starts_with("www.")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The clause of `text` that holds byte `at` (see [`clauses`]).
fn clause_at(text: &str, at: usize) -> Option<&str> {
    clauses(text).into_iter().find(|c| {
        // Each clause is a slice of `text`: its offset is where it starts in it.
        let from = c.as_ptr() as usize - text.as_ptr() as usize;
        (from..from + c.len().max(1)).contains(&at)
    })
}

/// The first `max` bytes of `text`, cut at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The clauses of a text: its sentences and lines, split again at `;`, dashes and "but" /
/// "however" / "whereas" / ", although". A table row's cells (joined with " | ") stay one clause: a row's status cell
/// speaks for the whole row.
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let sentence_end = matches!(c, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
            && !abbreviation_before(text, i);
        if sentence_end || c == b';' || c == b'\n' {
            out.push(&text[start..=i]);
            start = i + 1;
        } else if let Some(len) = (c == b' ' || c == b',')
            .then(|| conjunction_at(text, i))
            .flatten()
        {
            out.push(&text[start..i]);
            start = i + len;
            i = start;
            continue;
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out.retain(|c| !c.trim().is_empty());
    out
}

/// Whether the full stop at `i` ends an abbreviation ("e.g.", "Ltd.", "Inc.", "St.") rather
/// than a sentence: the word before it is short or has a full stop of its own.
fn abbreviation_before(text: &str, i: usize) -> bool {
    let word = text[..i]
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("");
    word.contains('.')
        || (word.chars().count() <= 3 && word.chars().next().is_some_and(char::is_uppercase))
        || word.chars().count() <= 1
}

/// What breaks a sentence into clauses, besides punctuation (see [`conjunction_at`]).
const CLAUSE_BREAKS: [&str; 10] = [
    " but ",
    " however ",
    " whereas ",
    " \u{2013} ",
    " \u{2014} ",
    ", but ",
    // "we have not adopted ITIL, although some of our staff hold ITIL certificates": what is
    // conceded is another clause.
    ", although ",
    ", though ",
    ", even though ",
    ", while ",
];

/// Words after a comma that hand a role or a tool over from one to another: the clause starts
/// with them, so the one handed over from ("taking over from Anita Kulkarni, who left") is in
/// another clause than the one who takes over.
const HANDOVERS: [&str; 6] = [
    "taking over from ",
    "replacing ",
    "succeeding ",
    "in succession to ",
    "who replaces ",
    "who replaced ",
];

/// The length of a clause break at byte `i` (" but ", " however ", " whereas ", " - "), if any;
/// before a handover (", taking over from ...") only the comma and space are the break.
fn conjunction_at(text: &str, i: usize) -> Option<usize> {
    let rest = text.get(i..)?;
    if let Some(after) = rest.strip_prefix(", ") {
        if HANDOVERS.iter().any(|h| {
            after
                .get(..h.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(h))
        }) {
            return Some(2);
        }
    }
    // Every break's second byte is one of these: most spaces and commas are told by it alone
    // (22M instructions of a 40-client batch).
    let second = rest.as_bytes().get(1).map(u8::to_ascii_lowercase);
    if !matches!(second, Some(b'b' | b'h' | b'w' | b' ' | 0xE2)) {
        return None;
    }
    CLAUSE_BREAKS
        .iter()
        .find(|c| {
            rest.get(..c.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(c))
        })
        .map(|c| c.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::config::Config;

    fn weight(text: &str, value: &str, field: &str) -> f64 {
        let config = Config::default();
        cue_factors(text, value, None, field, &config)
            .iter()
            .map(|f| f.times)
            .product()
    }

    #[test]
    fn tools_in_use_are_not_doubted() {
        assert_eq!(
            weight(
                "We use Slack for chat and Jira for tickets.",
                "Slack",
                "/technology"
            ),
            1.0
        );
        assert_eq!(
            weight(
                "Nagios was replaced by Zabbix in 2024.",
                "Zabbix",
                "/technology"
            ),
            1.0
        );
        assert_eq!(
            weight("We replaced Nagios with Zabbix.", "Zabbix", "/technology"),
            1.0
        );
    }

    #[test]
    fn past_negated_and_evaluated_tools_are_doubted() {
        assert!(
            weight(
                "Nagios was replaced by Zabbix in 2024.",
                "Nagios",
                "/technology"
            ) < 0.5
        );
        assert!(weight("We no longer use HipChat.", "HipChat", "/technology") < 0.5);
        assert!(
            weight(
                "We evaluated Freshservice but did not choose it.",
                "Freshservice",
                "/technology"
            ) < 0.5
        );
        assert!(
            weight(
                "Examples of services needing evaluation: ChatGPT, Zoom.",
                "Zoom",
                "/technology"
            ) < 0.5
        );
        assert!(
            weight(
                "Experience of tools such as ServiceNow or Splunk.",
                "Splunk",
                "/technology"
            ) < 0.5
        );
    }

    #[test]
    fn the_clause_of_the_match_counts_when_its_place_is_known() {
        let config = Config::default();
        let text = "Our documents use ITIL 4 terms, but we have not adopted ITIL as such.";
        let at = text.find("adopted").unwrap();
        let w: f64 = cue_factors(
            text,
            "ITIL",
            Some(at),
            "/service_management_maturity/itil_adoption",
            &config,
        )
        .iter()
        .map(|f| f.times)
        .product();
        assert!(w < 0.5, "{w}");
    }

    #[test]
    fn addresses_are_no_cue() {
        let row = "Leeds | ann.lee@apexbridge.example | www.example.com";
        assert_eq!(weight(row, "Leeds", "/locations"), 1.0);
    }

    #[test]
    fn the_best_mention_counts() {
        let text = "We evaluated Teams. Today all staff use Teams for meetings.";
        assert_eq!(weight(text, "Teams", "/technology"), 1.0);
    }

    #[test]
    fn another_organization_before_a_name_is_doubted() {
        assert!(
            weight(
                "Apex Ltd is a subsidiary of Zenith Group plc.",
                "Zenith Group plc",
                "/organization/name"
            ) < 0.5
        );
        assert_eq!(
            weight(
                "Apex Ltd is a subsidiary of Zenith Group plc.",
                "Apex Ltd",
                "/organization/name"
            ),
            1.0
        );
    }

    #[test]
    fn every_clause_break_passes_the_quick_check() {
        for c in CLAUSE_BREAKS {
            assert_eq!(conjunction_at(c, 0), Some(c.len()), "{c}");
            assert_eq!(conjunction_at(&c.to_uppercase(), 0), Some(c.len()), "{c}");
        }
    }

    #[test]
    fn clauses_split_at_sentences_semicolons_and_but() {
        assert_eq!(
            clauses("We use Slack; Teams was retired. Jira, but not Trello."),
            vec![
                "We use Slack;",
                " Teams was retired.",
                " Jira",
                "not Trello."
            ]
        );
        assert_eq!(
            clauses("Apex Ltd. is in Leeds."),
            vec!["Apex Ltd. is in Leeds."]
        );
    }

    #[test]
    fn a_handover_puts_the_one_handed_over_from_in_a_clause_of_its_own() {
        let text = "Ravi Menon, Head of Service, was appointed SMS manager, taking over from \
                    Joan Tully, who left the company in May.";
        assert_eq!(
            clauses(text).last().copied(),
            Some("taking over from Joan Tully, who left the company in May.")
        );
        assert_eq!(weight(text, "Ravi Menon", "/key_roles/sms_manager"), 1.0);
        assert!(weight(text, "Joan Tully", "/key_roles/sms_manager") < 0.5);
    }
}
