//! Placeholders and template text: the one definition every stage uses.
//!
//! Takes a string; says whether it is blank, template text (a placeholder), or a statement that
//! a field is deliberately left open ("TBD"). The judge rejects candidates that are placeholders,
//! the mapper skips placeholder cells when it counts or lists rows, the merger never takes one,
//! and the checker reports one left in a profile. Nothing here reads documents or knows fields.

/// Whether a string is empty once whitespace (including no-break and zero-width spaces and the
/// byte order mark) is trimmed. The checker reports such a value as `missing`.
pub fn is_blank(s: &str) -> bool {
    trim(s).is_empty()
}

/// Whether a value holds real content: neither blank ([`is_blank`]) nor a placeholder
/// ([`is_placeholder`]).
pub fn is_filled(s: &str) -> bool {
    !is_blank(s) && !is_placeholder(s)
}

/// Whether a string is template text rather than a real value. After trimming whitespace, a
/// value is a placeholder when it:
///
/// - is one of the "nothing here" words, in any case, optionally followed by `.`, `:`, `!` or
///   `?`, or wrapped in `( )`: `TBD`, `TBC`, `TBA`, `TODO`, `N/A`, `NA`, `n.a.`, `none`,
///   `x`, `xx`, `XXX`, "to be determined / confirmed / defined / decided / announced";
/// - starts with `TBD`, `TBC`, `TBA` or `TODO` followed by `:`, `-`, `–`, `—` or `(`
///   ("TBD - ask HR", "TODO: fill in"), but not "Todo list service";
/// - consists only of the letter x (three or more) and separators ("xxxx-xxxx");
/// - contains "lorem ipsum", a Mustache field (`{{name}}`, "Welcome to {{company}}"), a blank
///   to fill in (`____`), or a form's prompt ("Click here to enter text", "Insert date here",
///   "Enter your company name");
/// - is wrapped whole in `[...]`, `<...>` or `{{...}}` (`[Organization Name]`, `<FILL-IN>`):
///   the opening bracket must close at the very end, so `[A] and [B]` is text, and so is "Apex
///   IT Services Ltd (UK)";
/// - has no letter or digit at all ("-", "—", "?", "...").
///
/// A blank string is not a placeholder (it is missing; see [`is_blank`]). "Not applicable" is a
/// real answer.
pub fn is_placeholder(s: &str) -> bool {
    let t = trim(s);
    if t.is_empty() {
        return false;
    }
    if !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    if wrapped_whole(t, "[", "]") || wrapped_whole(t, "<", ">") || wrapped_whole(t, "{{", "}}") {
        return true;
    }
    if is_token(t) || only_xs(t) || opens_with_open_word(t) {
        return true;
    }
    // A template field or a blank inside a short text is the text's point ("Welcome to
    // {{company}}", "Name: ____"); inside a sentence the rest of the sentence still states
    // something ("{{.Name}} is headquartered in San Francisco").
    let short = || t.split_whitespace().nth(MAX_FIELD_WORDS).is_none();
    (t.len() <= MAX_PROMPT_TEXT
        && ((holds(t, b"{{") && holds(t, b"}}")) || holds(t, b"____"))
        && short())
        || has_filler(t)
}

/// Whether `t` holds `pat`, for the short patterns above: memchr finds the pattern's first byte
/// (`str::contains` sets up a two-way searcher per call; a window-by-window scan cost 17M more
/// instructions on a 40-client batch).
fn holds(t: &str, pat: &[u8]) -> bool {
    let (b, Some(&first)) = (t.as_bytes(), pat.first()) else {
        return false;
    };
    memchr::memchr_iter(first, b).any(|i| b.get(i..).is_some_and(|r| r.starts_with(pat)))
}

/// Whether the text holds "lorem ipsum" or, when it is short enough to be a field, a form's
/// prompt: one pass of one automaton (built once), ASCII case ignored. Readers give texts with
/// single spaces between words.
fn has_filler(t: &str) -> bool {
    static FILLER: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let searcher = FILLER.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(std::iter::once("lorem").chain(FORM_PROMPTS))
            .ok()
    });
    let Some(ac) = searcher else {
        return false;
    };
    // A long text can only hold "lorem ipsum": one memchr pass instead of the automaton.
    if t.len() > MAX_PROMPT_TEXT {
        return contains_words(t, "lorem ipsum");
    }
    // Every prompt holds "here" or "name": a memchr pass for an 'h' and one for an 'm' (rarer
    // than the 'n' and 'l' these words start with, and in both "name" and "lorem") spare most
    // texts the automaton (a pass per first letter cost 36M more instructions on a 40-client
    // batch).
    let b = t.as_bytes();
    let stands_at = |p: usize, back: usize, w: &[u8]| {
        p.checked_sub(back)
            .and_then(|s| b.get(s..s + w.len()))
            .is_some_and(|x| x.eq_ignore_ascii_case(w))
    };
    let by_m = memchr::memchr2_iter(b'm', b'M', b)
        .any(|p| stands_at(p, 2, b"name") || stands_at(p, 4, b"lorem"));
    if !by_m && find_ascii_nocase(b, 0, b"here").is_none() {
        return false;
    }
    // "lorem" is confirmed as "lorem ipsum" with any whitespace between the words.
    ac.find_iter(t).any(|m| match m.pattern().as_usize() {
        0 => contains_words(t, "lorem ipsum"),
        _ => t.len() <= MAX_PROMPT_TEXT,
    })
}

/// Longest text, in bytes, searched for a form's prompt: a prompt fills a field, not a page.
const MAX_PROMPT_TEXT: usize = 200;

/// Whether `hay` holds the ASCII words of `phrase` (lower case, single spaces) in order, in any
/// case, with any run of whitespace between them. No allocation: most texts are checked.
pub(crate) fn contains_words(hay: &str, phrase: &str) -> bool {
    let words: Vec<&str> = phrase.split(' ').collect();
    let b = hay.as_bytes();
    let Some(first) = words.first() else {
        return false;
    };
    let mut from = 0;
    while let Some(at) = find_ascii_nocase(b, from, first.as_bytes()) {
        let mut pos = at + first.len();
        let all = words.iter().skip(1).all(|w| {
            let gap = b.get(pos..).map_or(0, |r| {
                r.iter().take_while(|c| c.is_ascii_whitespace()).count()
            });
            let ok = gap > 0
                && b.get(pos + gap..pos + gap + w.len())
                    .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()));
            pos += gap + w.len();
            ok
        });
        if all {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The first position at or after `from` where `needle` stands in `hay`, in any ASCII case.
fn find_ascii_nocase(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = hay.get(from..)?;
    let first = *needle.first()?;
    memchr::memchr2_iter(first.to_ascii_lowercase(), first.to_ascii_uppercase(), rest)
        .find(|&p| {
            rest.get(p..p + needle.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        })
        .map(|p| p + from)
}

/// Longest text, in words, that a template field or blank inside it makes a placeholder.
const MAX_FIELD_WORDS: usize = 6;

/// Prompts that Word and PDF form templates leave where a value goes.
const FORM_PROMPTS: [&str; 8] = [
    "click here to enter",
    "click or tap here to enter",
    "tap here to enter",
    "insert date here",
    "insert text here",
    "enter text here",
    "type here",
    "your company name",
];

/// Longest text [`says_open`] accepts ("TBD - to be agreed at the March board").
pub const MAX_OPEN_CHARS: usize = 80;

/// Whether a value says that its field is deliberately still open: `TBD`, `TBC`, `TBA`, `TODO`
/// or "to be decided / confirmed / determined / defined / announced", alone or leading a short
/// note ("TBD - ask the board"). Such a value is a placeholder that somebody wrote on purpose;
/// template text (`[Name]`, `{{name}}`, `<FILL-IN>`) and `N/A` are not statements and do not
/// count. The merger learns from it that a document left the field open.
pub fn says_open(text: &str) -> bool {
    let t = trim(text);
    if t.chars().count() > MAX_OPEN_CHARS || !is_placeholder(t) {
        return false;
    }
    let lower = t.to_lowercase();
    let lower = lower.trim_start_matches(['(', ' ']);
    ["tbd", "tbc", "tba", "todo", "to do", "to be "]
        .iter()
        .any(|p| lower.starts_with(p))
}

fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}'))
}

/// A whole value that is one of the placeholder words, in any case, possibly in parentheses
/// or followed by punctuation.
fn is_token(text: &str) -> bool {
    if text.len() > 24 {
        return false;
    }
    let mut t = text.trim();
    if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        t = inner.trim();
    }
    let t = t.trim_end_matches(['.', ':', '!', '?']).trim();
    [
        "tbd",
        "tbc",
        "tba",
        "todo",
        "to do",
        "n/a",
        "n.a",
        "na",
        "none",
        "none yet",
        "none so far",
        "not yet",
        "nobody yet",
        "no one yet",
        "x",
        "xx",
        "to be determined",
        "to be confirmed",
        "to be defined",
        "to be decided",
        "to be announced",
    ]
    .iter()
    .any(|w| t.eq_ignore_ascii_case(w))
}

/// "TBD - ask HR", "TODO: fill in": an open word, then a separator.
fn opens_with_open_word(t: &str) -> bool {
    // Every open word starts with a 't': most texts are told by their first byte (this function
    // was 22M instructions of a 40-client batch, now next to nothing).
    if !t
        .as_bytes()
        .first()
        .is_some_and(|b| b.eq_ignore_ascii_case(&b't'))
    {
        return false;
    }
    ["tbd", "tbc", "tba", "todo"].iter().any(|word| {
        t.get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
            && t.get(word.len()..)
                .unwrap_or("")
                .trim_start()
                .starts_with([':', '-', '–', '—', '('])
    })
}

/// "XXX", "xxxx-xxxx": three or more x's and nothing else but separators.
fn only_xs(t: &str) -> bool {
    let mut letters = 0usize;
    for c in t.chars().filter(|c| c.is_alphanumeric()) {
        if !matches!(c, 'x' | 'X') {
            return false;
        }
        letters += 1;
    }
    letters >= 3
}

/// Whether `t` opens with `open` and the bracket opened there closes exactly at the end.
fn wrapped_whole(t: &str, open: &str, close: &str) -> bool {
    if !(t.starts_with(open) && t.ends_with(close)) || t.len() < open.len() + close.len() {
        return false;
    }
    let mut depth = 0usize;
    let mut rest = t;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix(open) {
            depth += 1;
            rest = r;
        } else if let Some(r) = rest.strip_prefix(close) {
            depth = depth.saturating_sub(1);
            rest = r;
            if depth == 0 {
                return rest.is_empty();
            }
        } else {
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_prompt_passes_the_quick_check() {
        // has_filler looks for a prompt only in texts holding "here" or "name".
        for p in FORM_PROMPTS {
            assert!(p.contains("here") || p.contains("name"), "{p}");
            assert!(is_placeholder(&p.to_uppercase()), "{p}");
        }
    }

    #[test]
    fn template_text_is_a_placeholder() {
        for p in [
            "TBD",
            "tbc.",
            "(TBA)",
            "TODO: fill in",
            "TBD - ask HR",
            "N/A",
            "NA",
            "None",
            "XXX",
            "xxxx-xxxx",
            "[Organization Name]",
            "<FILL-IN>",
            "{{companyFullName}}",
            "Welcome to {{company}}",
            "Lorem ipsum dolor sit amet",
            "Click here to enter text.",
            "Name: ________",
            "—",
            "...",
            "To be confirmed",
            "\u{200B}tbd",
            "Our lorem  IPSUM text",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
    }

    #[test]
    fn real_values_are_not_placeholders() {
        for v in [
            "Apex IT Services Ltd (UK)",
            "[A] and [B]",
            "Todo list service",
            "Not applicable",
            "Xerox",
            "Nagios",
            "120",
            "Tbilisi",
            "Manchester [HQ]",
            "Team {A}",
            "2 London data centres",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
        assert!(!is_placeholder("  "));
        assert!(is_blank(" \u{200B} "));
        assert!(is_filled("Apex"));
    }

    #[test]
    fn only_deliberate_open_statements_say_open() {
        assert!(says_open("TBD"));
        assert!(says_open("TBD - to be agreed at the March board"));
        assert!(says_open("To be confirmed"));
        assert!(!says_open("[Name]"));
        assert!(!says_open("N/A"));
        assert!(!says_open("Sarah Chen"));
    }
}
