//! Tests that the literal prefilter is sound: takes regexes (the shipped rules' pattern and
//! evidence regexes, and random regexes built from the constructs the requirement reader
//! handles) and texts (made to match them, with case changes, case-fold-special characters
//! and random neighbours, and the sample clients' real texts), and checks that whenever a
//! regex matches a text the filter lists its trigger. Must not depend on which rules happen to
//! match what: every assertion is "a match implies a candidate".

use super::{pattern_req, Literals, TextFilter};
use crate::map::compile::{Body, Rules};
use proptest::prelude::*;
use regex_syntax::hir::{Class, Hir, HirKind};

/// A tiny deterministic generator (xorshift), seeded by proptest.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// A number below `n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        let i = self.below(items.len());
        items.get(i)
    }
}

/// Characters that case-fold oddly or look like ASCII letters without being them.
const SPECIAL: &[&str] = &[
    "\u{212A}", // Kelvin sign: folds to k
    "\u{17F}",  // long s: folds to s
    "\u{130}",  // capital I with dot above
    "\u{131}",  // dotless i
    "\u{1E9E}", // capital sharp s
    "\u{DF}",   // sharp s
    "\u{212B}", // Angstrom sign
    "\u{FF33}", // fullwidth S
    "\u{FF4B}", // fullwidth k
    "\u{0}",    // the separator the scan joins texts with
    "\u{E9}", "\u{C9}", "\u{2019}", "\u{A0}", "\n", "\t", " ", ".", "-", "",
];

/// Common characters tried first when a class is large (so `\w+`, `\s` and `.` give text
/// that looks like words).
const COMMON_CHARS: &[char] = &[
    'a', 'e', 's', 'k', 'T', 'R', ' ', '1', '-', '.', '\u{E9}', '\u{212A}', '\u{17F}',
];

fn class_has(class: &Class, c: char) -> bool {
    match class {
        Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= c && c <= r.end()),
        Class::Bytes(b) => u8::try_from(c)
            .map(|c| b.ranges().iter().any(|r| r.start() <= c && c <= r.end()))
            .unwrap_or(false),
    }
}

fn class_char(class: &Class, rng: &mut Rng) -> Option<char> {
    if rng.chance(60) {
        let start = rng.below(COMMON_CHARS.len());
        for i in 0..COMMON_CHARS.len() {
            let c = COMMON_CHARS[(start + i) % COMMON_CHARS.len()];
            if class_has(class, c) && (c.is_ascii() || rng.chance(30)) {
                return Some(c);
            }
        }
    }
    match class {
        Class::Unicode(u) => {
            let r = rng.pick(u.ranges())?;
            let (lo, hi) = (u32::from(r.start()), u32::from(r.end()));
            if rng.chance(50) {
                return Some(r.start());
            }
            let span = (hi - lo) as usize + 1;
            let c = lo + rng.below(span) as u32;
            Some(char::from_u32(c).unwrap_or(r.start()))
        }
        Class::Bytes(b) => {
            let r = rng.pick(b.ranges())?;
            let span = usize::from(r.end() - r.start()) + 1;
            let c = r.start() + rng.below(span) as u8;
            Some(char::from(if c.is_ascii() { c } else { r.start() }))
        }
    }
}

/// Appends to `out` a string the regex `hir` is likely to match (look-arounds are left to
/// chance: a `\b` emits nothing).
fn generate(hir: &Hir, rng: &mut Rng, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => out.push_str(&String::from_utf8_lossy(&lit.0)),
        HirKind::Class(c) => {
            if let Some(ch) = class_char(c, rng) {
                out.push(ch);
            }
        }
        HirKind::Capture(c) => generate(&c.sub, rng, out),
        HirKind::Repetition(r) => {
            let extra = r.max.map_or(3, |m| (m - r.min).min(3)) as usize;
            let n = r.min as usize + rng.below(extra + 1);
            for _ in 0..n.min(40) {
                generate(&r.sub, rng, out);
            }
        }
        HirKind::Concat(parts) => parts.iter().for_each(|p| generate(p, rng, out)),
        HirKind::Alternation(alts) => {
            if let Some(a) = rng.pick(alts) {
                generate(a, rng, out);
            }
        }
    }
}

/// Changes the case of some ASCII letters, and now and then swaps a `k` or `s` for the
/// character that case-folds to it.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let flips = rng.chance(50);
    let odd = rng.chance(10);
    text.chars()
        .map(|c| {
            if odd && c.eq_ignore_ascii_case(&'k') && rng.chance(30) {
                return '\u{212A}';
            }
            if odd && c.eq_ignore_ascii_case(&'s') && rng.chance(30) {
                return '\u{17F}';
            }
            if flips && c.is_ascii_alphabetic() && rng.chance(20) {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            } else {
                c
            }
        })
        .collect()
}

fn parse(src: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(src)
        .ok()
}

/// Every regex source the filter was built from, with the literals it needs, for making text.
struct Corpus {
    hirs: Vec<Hir>,
    words: Vec<String>,
}

impl Corpus {
    fn new(sources: &[&str]) -> Corpus {
        let hirs = sources.iter().filter_map(|s| parse(s)).collect();
        let mut lits = Literals::default();
        for s in sources {
            let _ = pattern_req(s, &mut lits);
        }
        let words = lits
            .list
            .iter()
            .map(|(b, _)| String::from_utf8_lossy(b).into_owned())
            .collect();
        Corpus { hirs, words }
    }

    /// One text: pieces of matches of random regexes, their literals, and odd characters.
    fn text(&self, rng: &mut Rng) -> String {
        let mut out = String::new();
        for _ in 0..1 + rng.below(4) {
            match rng.below(4) {
                0 | 1 => {
                    if let Some(h) = rng.pick(&self.hirs) {
                        let mut s = String::new();
                        generate(h, rng, &mut s);
                        out.push_str(&mutate(&s, rng));
                    }
                }
                2 => {
                    if let Some(w) = rng.pick(&self.words) {
                        out.push_str(&mutate(w, rng));
                    }
                }
                _ => {
                    if let Some(s) = rng.pick(SPECIAL) {
                        out.push_str(s);
                    }
                }
            }
            if rng.chance(60) {
                out.push(' ');
            }
        }
        out
    }
}

/// The shipped rules' filters and regexes: per rule with a pattern or evidence, its regexes;
/// per classify rule, its evidence regexes in filter numbering.
struct Shipped {
    rules: Rules,
    /// (rule, regex) for every pattern regex and every evidence regex.
    regexes: Vec<(u32, regex::Regex)>,
    /// (classify rule, evidence number, regex).
    evidence: Vec<(u32, u32, regex::Regex)>,
    sources: Vec<String>,
}

fn build(src: &str) -> regex::Regex {
    crate::map::compile::build_regex(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn shipped() -> Shipped {
    let rules = Rules::defaults().unwrap_or_else(|e| panic!("{e:?}"));
    let mut regexes = Vec::new();
    let mut evidence = Vec::new();
    let mut sources = Vec::new();
    for (ri, rule) in rules.rules.iter().enumerate() {
        let r = u32::try_from(ri).unwrap_or(u32::MAX);
        match &rule.body {
            Body::Pattern(p) => {
                regexes.push((r, build(p.regex.as_str())));
                sources.push(p.regex.as_str().to_string());
            }
            Body::Classify(c) => {
                for (n, re) in c.evidence.iter().flat_map(|(_, res)| res).enumerate() {
                    regexes.push((r, build(re.as_str())));
                    evidence.push((r, u32::try_from(n).unwrap_or(u32::MAX), build(re.as_str())));
                    sources.push(re.as_str().to_string());
                }
            }
            _ => {}
        }
    }
    assert!(regexes.len() > 10, "the shipped rules have pattern rules");
    assert!(!evidence.is_empty(), "the shipped rules have evidence");
    assert!(
        !rules.index.cells.rules().is_empty(),
        "the shipped rules have pattern rules that read cells"
    );
    // The mapper takes every candidate as a rule that reads the text: the text filter's rules
    // are the pattern and classify rules, the cell filter's the pattern rules reading cells.
    let body = |r: &u32| rules.rules.get(*r as usize).map(|r| &r.body);
    assert!(rules
        .index
        .text
        .rules()
        .iter()
        .all(|r| matches!(body(r), Some(Body::Pattern(_) | Body::Classify(_)))));
    assert!(rules
        .index
        .cells
        .rules()
        .iter()
        .all(|r| matches!(body(r), Some(Body::Pattern(p)) if p.cells)));
    Shipped {
        rules,
        regexes,
        evidence,
        sources,
    }
}

impl Shipped {
    /// Panics naming the regex and text when a regex matches a text its filter drops.
    fn check(&self, text: &str) {
        let index = &self.rules.index;
        let mut out = Vec::new();
        index.text.candidates(text, &mut out);
        // A cell's candidates are exactly the text's candidates that read cells.
        let mut in_cell = Vec::new();
        index.cells.candidates(text, &mut in_cell);
        let cell_rules: Vec<u32> = out
            .iter()
            .copied()
            .filter(|&r| {
                matches!(self.rules.rules.get(r as usize).map(|r| &r.body),
                    Some(Body::Pattern(p)) if p.cells)
            })
            .collect();
        assert_eq!(in_cell, cell_rules, "cell candidates of {text:?}");
        for (r, re) in &self.regexes {
            if re.is_match(text) {
                assert!(
                    out.binary_search(r).is_ok(),
                    "rule {r} regex {:?} matches {text:?} but the filter drops it",
                    re.as_str()
                );
            }
        }
        for (r, n, re) in &self.evidence {
            if !re.is_match(text) {
                continue;
            }
            let filter = index.evidence.get(r);
            assert!(filter.is_some(), "classify rule {r} has an evidence filter");
            if let Some(f) = filter {
                f.candidates(text, &mut out);
                assert!(
                    out.binary_search(n).is_ok(),
                    "evidence {n} of rule {r} {:?} matches {text:?} but the filter drops it",
                    re.as_str()
                );
            }
        }
    }
}

/// Scanning texts together (repeats included) gives each text what scanning it alone gives.
fn check_scan(filter: &TextFilter, texts: &[&str]) {
    let mut seen = vec![false; texts.len()];
    let mut alone = Vec::new();
    filter.scan(texts, |ti, c| {
        let Some(t) = texts.get(ti) else {
            panic!("scan gave text {ti} of {}", texts.len());
        };
        filter.candidates(t, &mut alone);
        assert_eq!(
            c,
            alone.as_slice(),
            "scanned with others: {t:?} in {texts:?}"
        );
        if let Some(s) = seen.get_mut(ti) {
            assert!(!*s, "text {ti} given twice");
            *s = true;
        }
    });
    assert!(seen.iter().all(|s| *s), "every text is given");
}

fn shipped_once() -> &'static Shipped {
    static SHIPPED: std::sync::OnceLock<Shipped> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(shipped)
}

fn corpus_once() -> &'static Corpus {
    static CORPUS: std::sync::OnceLock<Corpus> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let s = shipped_once();
        let sources: Vec<&str> = s.sources.iter().map(String::as_str).collect();
        Corpus::new(&sources)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn no_shipped_regex_is_dropped_on_a_text_it_matches(seed in any::<u64>()) {
        let shipped = shipped_once();
        let corpus = corpus_once();
        let mut rng = Rng::new(seed);
        let mut texts: Vec<String> = (0..6).map(|_| corpus.text(&mut rng)).collect();
        // A repeat, as down an HR export's column.
        if let Some(t) = texts.first().cloned() {
            texts.push(t);
        }
        for t in &texts {
            shipped.check(t);
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        check_scan(&shipped.rules.index.text, &refs);
        check_scan(&shipped.rules.index.cells, &refs);
        for f in shipped.rules.index.evidence.values() {
            check_scan(f, &refs);
        }
    }
}

/// A random regex from the constructs the requirement reader treats specially.
fn regex_source() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        // Words, some with the letters that case-fold oddly.
        prop::sample::select(vec![
            "sponsor",
            "ltd",
            "SE",
            "AG",
            "kelvin",
            "class",
            "ask",
            "is",
            "it",
            "stra\u{DF}e",
            "caf\u{E9}",
            "\u{212A}ey",
            "\u{17F}un",
            "\u{130}stanbul",
            "\u{131}x",
            "\u{1E9E}",
            "\u{FF33}\u{FF25}",
            "a b",
            "x.y",
            "\\x00ab",
            "\\u{212A}",
            "K",
            "s",
            "ss",
        ])
        .prop_map(str::to_string),
        prop::sample::select(vec![
            "\\b",
            "\\B",
            "^",
            "$",
            "(?m:^)",
            "\\s+",
            "\\w+",
            ".",
            "[kK]",
            "[sS\u{17F}]",
            "[a-c]",
            "[^x]",
            "\\d",
            "[.]",
            "(?-u:[kK])",
            "",
            "\\p{Lu}",
            "(?s:.)",
            "[k\\u{212A}]",
            "(?-i:\\u{212A})",
            "[[:upper:]]",
            "\\x{0}",
            "[s-t]",
            "(?-i:K)",
        ])
        .prop_map(str::to_string),
    ];
    atom.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| format!("(?:{})", v.join("|"))),
            inner.clone().prop_map(|s| format!("(?-i:{s})")),
            inner.clone().prop_map(|s| format!("(?i:{s})")),
            inner.clone().prop_map(|s| format!("(?P<n>{s})")),
            (
                inner.clone(),
                prop::sample::select(vec!["?", "*", "+", "{2}", "{0,2}", "{1,3}", "??"])
            )
                .prop_map(|(s, q)| format!("(?:{s}){q}")),
            inner.prop_map(|s| format!("(?=x)|{s}")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn no_random_regex_is_dropped_on_a_text_it_matches(
        sources in prop::collection::vec(regex_source(), 1..5),
        seed in any::<u64>(),
    ) {
        // Sources the regex crate rejects (look-arounds) are no rules.
        let built: Vec<(u32, &str, regex::Regex)> = sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((u32::try_from(i).ok()?, s.as_str(), build_ok(s)?)))
            .collect();
        let filter = TextFilter::new(built.iter().map(|(i, s, _)| (*i, *s)));
        let refs: Vec<&str> = built.iter().map(|(_, s, _)| *s).collect();
        let corpus = Corpus::new(&refs);
        let mut rng = Rng::new(seed);
        let mut texts: Vec<String> = (0..8).map(|_| corpus.text(&mut rng)).collect();
        if let Some(t) = texts.get(1).cloned() {
            texts.push(t);
        }
        let mut out = Vec::new();
        for t in &texts {
            filter.candidates(t, &mut out);
            for (i, s, re) in &built {
                if re.is_match(t) {
                    prop_assert!(
                        out.binary_search(i).is_ok(),
                        "regex {:?} matches {:?} but the filter drops it",
                        s,
                        t
                    );
                }
            }
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        check_scan(&filter, &refs);
    }
}

fn build_ok(src: &str) -> Option<regex::Regex> {
    crate::map::compile::build_regex(src).ok()
}

/// Every text of every sample client's documents (block texts and table cells, as written
/// and trimmed as the mapper uses them), against every shipped regex.
#[test]
fn no_shipped_regex_is_dropped_on_a_sample_clients_text() {
    let shipped = shipped_once();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clients");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let limits = crate::read::Limits::default();
    let (mut docs, mut texts) = (0, 0);
    for f in &files {
        let Ok(doc) = crate::read::read_file(f, &f.to_string_lossy(), None, &limits) else {
            continue;
        };
        docs += 1;
        let mut all: Vec<&str> = Vec::new();
        for b in &doc.blocks {
            all.push(&b.text);
            if let crate::document::BlockKind::Table(t) = &b.kind {
                for row in &t.rows {
                    all.extend(row.iter().map(|c| c.text.as_str()));
                }
            }
        }
        all.extend(all.clone().into_iter().map(str::trim));
        for t in &all {
            shipped.check(t);
        }
        texts += all.len();
        check_scan(&shipped.rules.index.text, &all);
        check_scan(&shipped.rules.index.cells, &all);
    }
    assert!(
        docs >= 10,
        "the sample clients were read ({docs} documents)"
    );
    assert!(texts > 100);
}

/// Checks `filter` (triggers numbered as `sources`) on `texts`: a match implies a candidate.
fn assert_sound(sources: &[String], texts: &[String]) {
    let filter = TextFilter::new(
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| (u32::try_from(i).unwrap_or(u32::MAX), s.as_str())),
    );
    let mut out = Vec::new();
    for t in texts {
        filter.candidates(t, &mut out);
        for (i, s) in sources.iter().enumerate() {
            let re = build(s);
            if re.is_match(t) {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                assert!(out.binary_search(&i).is_ok(), "{s:?} matches {t:?}");
            }
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    check_scan(&filter, &refs);
}

/// Texts made to match each source (and the same with odd characters and case changes).
fn texts_for(sources: &[String], seed: u64, each: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut texts = Vec::new();
    for s in sources {
        let Some(h) = parse(s) else {
            continue;
        };
        for _ in 0..each {
            let mut t = String::from(" ");
            generate(&h, &mut rng, &mut t);
            t.push(' ');
            texts.push(mutate(&t, &mut rng));
            texts.push(t);
        }
    }
    texts
}

#[test]
fn a_regex_past_the_literal_budget_or_the_expansion_limit_still_runs_where_it_matches() {
    // More alternatives than the expansion limit, more literals than the budget.
    let words: Vec<String> = (0..2_100).map(|i| format!("w{i:04}x")).collect();
    let many = format!(r"\b(?:{})\b", words.join("|"));
    // The budget runs out inside a later part of a concatenation.
    let parts: Vec<String> = (0..9)
        .map(|p| {
            let alts: Vec<String> = (0..250).map(|i| format!("p{p}q{i:03}")).collect();
            format!("(?:{})", alts.join("|"))
        })
        .collect();
    let long = parts.join(r"\s+");
    // Ten two-way choices in a row: 1024 ways, more than the limit of expansions.
    let choices = (0..10)
        .map(|i| format!("(?:aa{i}a|bb{i}b)"))
        .collect::<Vec<_>>()
        .join(" ");
    // Literals holding the separator.
    let nul = r"abc\x00def|ghi\x00".to_string();
    let sources = vec![many, long, choices, nul];
    let mut texts = texts_for(&sources, 7, 20);
    texts.extend(
        ["w2099x", "w0000x w2099x", "abc\0def", "ghi\0", "abc", "\0"]
            .iter()
            .map(|s| s.to_string()),
    );
    assert_sound(&sources, &texts);
}

#[test]
fn characters_that_case_fold_to_ascii_letters_never_hide_a_match() {
    let sources: Vec<String> = [
        r"\bkelvin\b",
        r"\bask\b",
        r"(?-i:Desk)",
        r"class",
        r"\u{212A}ey",
        r"\u{17F}un",
        r"(?-i:[sS\u{17F}]ky)",
        r"(?-u:kkk)",
        r"\bst[r]a\u{DF}e",
        r"\u{130}stanbul",
        r"caf\u{E9}",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut texts: Vec<String> = [
        "\u{212A}elvin",
        "KELVIN",
        "a\u{17F}\u{212A}",
        "De\u{17F}k",
        "cla\u{17F}\u{17F}",
        "\u{212A}EY",
        "KEY",
        "\u{17F}UN",
        "SUN",
        "\u{17F}ky",
        "kkk",
        "\u{212A}\u{212A}\u{212A}",
        "STRA\u{1E9E}E",
        "stra\u{DF}e",
        "\u{130}STANBUL",
        "istanbul",
        "CAF\u{C9}",
        "caf\u{E9}",
        "\u{FF4B}elvin",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    texts.extend(texts_for(&sources, 11, 10));
    assert_sound(&sources, &texts);
}

#[test]
fn texts_scanned_together_keep_their_own_candidates() {
    let sources: Vec<String> = [r"\bsponsor\b", r"(?-i:SE)\b", r"abc", r"^$", r"x\z"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // Empty texts, repeats, a literal cut by the join, texts holding the separator.
    let texts: Vec<String> = [
        "", "spon", "sor", "sponsor", "", "sponsor", "ab", "c", "S", "E", "SE", "a\0bc", "abc\0",
        "\0abc", "x", "\u{212A}", "abc",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_sound(&sources, &texts);
    let filter = TextFilter::new(
        sources
            .iter()
            .enumerate()
            .map(|(i, s)| (u32::try_from(i).unwrap_or(u32::MAX), s.as_str())),
    );
    let mut out = Vec::new();
    filter.candidates("spon", &mut out);
    assert!(!out.contains(&0), "half a word is not the word");
}
