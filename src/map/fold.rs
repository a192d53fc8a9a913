//! Text folding for matching headers, labels and headings, and near-miss detection for hints.
//!
//! Takes strings, gives strings and scores. Folding applies Unicode NFKC, lower-cases, turns
//! `&` into `and`, treats every run of punctuation and whitespace as one space, and evens out
//! British and American spellings ("organisation" and "organization" fold alike), so a synonym
//! list needs each header only once. Nothing here reads files or knows about rules.

use unicode_normalization::UnicodeNormalization;

/// Longest text folded for matching; longer text is not a header, label or heading.
pub(crate) const MAX_FOLD_CHARS: usize = 200;

/// Folds text for comparison: NFKC, lower case, `&` as `and`, punctuation as space, single
/// spaces, British spellings as American.
pub(crate) fn fold(text: &str) -> String {
    fold_up_to(text, MAX_FOLD_CHARS * 2)
}

/// [`fold`] of the whole text, however long: how the merger compares values (a description
/// of 4,000 characters is not the same as another that shares its first 400).
pub(crate) fn fold_whole(text: &str) -> String {
    fold_up_to(text, usize::MAX)
}

/// [`fold_whole`] with a space at each end (" words "): how the judge finds phrases whole-word.
/// Built in place: `format!(" {} ", fold_whole(text))` was a third of its cost (~32M
/// instructions of a 40-client batch).
pub(crate) fn fold_padded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    fold_into(text, usize::MAX, &mut out);
    out.insert(0, ' ');
    out.push(' ');
    out
}

/// [`fold`] of the first `limit` characters.
fn fold_up_to(text: &str, limit: usize) -> String {
    let mut out = String::new();
    fold_into(text, limit, &mut out);
    out
}

/// [`fold`] of the first `limit` characters, appended to `out` (which should be empty: the
/// words are joined to what it holds with a space).
pub(crate) fn fold_into(text: &str, limit: usize, out: &mut String) {
    if text.is_ascii() {
        fold_ascii(text, limit, out);
        return;
    }
    let spaced = spaced_unicode(text, limit);
    out.reserve(spaced.len());
    for word in spaced.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&american(word));
    }
}

/// [`fold_into`] for ASCII text, where NFKC changes nothing and case and letters are ASCII's:
/// words are built straight into `out`, without the spaced copy the Unicode path makes.
fn fold_ascii(text: &str, limit: usize, out: &mut String) {
    out.reserve(text.len().min(limit));
    // Where the word being built starts in `out`, while one is.
    let mut word: Option<usize> = None;
    let bytes = text.as_bytes();
    for &b in bytes.iter().take(limit) {
        if b.is_ascii_alphanumeric() {
            if word.is_none() {
                if !out.is_empty() {
                    out.push(' ');
                }
                word = Some(out.len());
            }
            out.push(char::from(b.to_ascii_lowercase()));
            continue;
        }
        if let Some(start) = word.take() {
            americanize(out, start);
        }
        let spelled = match b {
            b'&' => "and",
            b'#' => "number",
            _ => continue,
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(spelled);
    }
    if let Some(start) = word {
        americanize(out, start);
    }
}

/// Replaces the word that ends `out`, from `start`, by its [`american`] spelling.
fn americanize(out: &mut String, start: usize) {
    let Some(word) = out.get(start..) else {
        return;
    };
    let us = match american(word) {
        std::borrow::Cow::Owned(us) => us,
        // A whole-word spelling (a `WHOLE` entry) is borrowed too, but is not the word.
        std::borrow::Cow::Borrowed(us) if us != word => us.to_string(),
        std::borrow::Cow::Borrowed(_) => return,
    };
    out.truncate(start);
    out.push_str(&us);
}

/// NFKC, lower case, `&` and `#` spelled out, anything else not a letter or digit a space.
fn spaced_unicode(text: &str, limit: usize) -> String {
    let mut spaced = String::with_capacity(text.len());
    for c in text.nfkc().take(limit) {
        if c == '&' {
            spaced.push_str(" and ");
        } else if c == '#' {
            spaced.push_str(" number ");
        } else if c.is_alphanumeric() {
            spaced.extend(c.to_lowercase());
        } else {
            spaced.push(' ');
        }
    }
    spaced
}

/// British words folded to their American spelling whole.
const WHOLE: &[(&str, &str)] = &[
    ("centre", "center"),
    ("centres", "centers"),
    ("catalogue", "catalog"),
    ("programme", "program"),
    ("licence", "license"),
    ("behaviour", "behavior"),
    ("colour", "color"),
    ("labour", "labor"),
];

/// American spelling of a folded word, for the spellings client documents mix.
fn american(word: &str) -> std::borrow::Cow<'_, str> {
    if let Some((_, us)) = WHOLE.iter().find(|(uk, _)| *uk == word) {
        return std::borrow::Cow::Borrowed(us);
    }
    for (uk, us) in [("isation", "ization"), ("ised", "ized"), ("ising", "izing")] {
        if let Some(stem) = word.strip_suffix(uk) {
            if stem.len() >= 3 {
                return std::borrow::Cow::Owned(format!("{stem}{us}"));
            }
        }
    }
    if let Some(stem) = word.strip_suffix("isations") {
        return std::borrow::Cow::Owned(format!("{stem}izations"));
    }
    std::borrow::Cow::Borrowed(word)
}

/// Strips a heading's leading numbering ("3.2", "A.", "IV)", "Section 4:") before folding.
pub(crate) fn fold_heading(text: &str) -> String {
    let folded = fold(text);
    let mut words: Vec<&str> = folded.split(' ').collect();
    if words.first() == Some(&"section") && words.len() > 2 {
        words.remove(0);
    }
    while words.len() > 1 {
        let w = words[0];
        let numbering = w.chars().all(|c| c.is_ascii_digit())
            || (w.len() == 1
                && w.chars().all(|c| c.is_ascii_alphabetic())
                && text_has_numbering_dot(text))
            || is_roman(w) && text_has_numbering_dot(text);
        if numbering {
            words.remove(0);
        } else {
            break;
        }
    }
    words.join(" ")
}

fn text_has_numbering_dot(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    first.ends_with('.') || first.ends_with(')')
}

fn is_roman(w: &str) -> bool {
    !w.is_empty() && w.len() <= 5 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
}

/// Whether `seen` is a near miss of `known`: close but not equal, and long enough to mean it.
#[cfg(test)]
pub(crate) fn near_miss(seen: &str, known: &str) -> bool {
    near_miss_score(seen, known).is_some()
}

/// How close `seen` is to `known` (normalised Damerau-Levenshtein, 0.0 to 1.0) when `seen` is a
/// near miss of it: at least [`NEAR_MISS`], not equal, both at least four characters long.
pub(crate) fn near_miss_score(seen: &str, known: &str) -> Option<f64> {
    if seen == known || seen.chars().count() < 4 || known.chars().count() < 4 {
        return None;
    }
    let score = strsim::normalized_damerau_levenshtein(seen, known);
    (score >= NEAR_MISS).then_some(score)
}

/// Similarity at or above which a header or label is reported as a near miss.
pub(crate) const NEAR_MISS: f64 = 0.8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_evens_out_case_space_punctuation_and_spelling() {
        assert_eq!(fold("  Job_Title: "), "job title");
        assert_eq!(
            fold("Roles & Responsibilities"),
            "roles and responsibilities"
        );
        assert_eq!(fold("ORGANISATION  Name"), "organization name");
        assert_eq!(fold("Data Centre"), "data center");
        assert_eq!(fold("Ｊｏｂ Ｔｉｔｌｅ"), "job title");
        assert_eq!(fold("Reports_To"), "reports to");
        assert_eq!(fold("Employee #"), "employee number");
    }

    /// Folding as first written: the spaced copy, then its words joined.
    fn fold_reference(text: &str, limit: usize) -> String {
        let spaced = spaced_unicode(text, limit);
        let mut out = String::new();
        for word in spaced.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&american(word));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn ascii_folding_agrees_with_the_unicode_path(s in "[ -~]{0,450}") {
            proptest::prop_assert_eq!(fold_up_to(&s, 400), fold_reference(&s, 400));
        }

        #[test]
        fn ascii_folding_of_spelling_variants_agrees_with_the_unicode_path(
            words in proptest::collection::vec(
                "(centre|Centres|catalogue|programme|licence|behaviour|colour|labour|organisation|organisations|organised|organising|isation|ised|R&D|#|&|[a-zA-Z0-9]{1,6}|[ ,.;:_/()-]{1,3})",
                0..12,
            )
        ) {
            let s: String = words.concat();
            proptest::prop_assert_eq!(fold_up_to(&s, 40), fold_reference(&s, 40));
            proptest::prop_assert_eq!(fold_up_to(&s, usize::MAX), fold_reference(&s, usize::MAX));
        }
    }

    #[test]
    fn heading_numbering_is_ignored() {
        assert_eq!(
            fold_heading("3.2 Roles and responsibilities"),
            "roles and responsibilities"
        );
        assert_eq!(fold_heading("IV. Scope"), "scope");
        assert_eq!(fold_heading("A) Scope"), "scope");
        assert_eq!(fold_heading("Section 4: Suppliers"), "suppliers");
        assert_eq!(fold_heading("Scope"), "scope");
    }

    #[test]
    fn near_misses_are_close_but_not_equal() {
        assert!(near_miss("job titel", "job title"));
        assert!(near_miss("departmnet", "department"));
        assert!(!near_miss("job title", "job title"));
        assert!(!near_miss("start date", "department"));
    }
}
