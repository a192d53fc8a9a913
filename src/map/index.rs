//! Indexes over a compiled rule set, built once when the rules are compiled.
//!
//! Takes the compiled rules; gives lookups from a folded label, heading or table header to the
//! rules that name it, the near-miss vocabulary for hints, and a literal prefilter that tells
//! which pattern and classify rules could match a text. The prefilter reads from each regex's
//! syntax tree the words every match contains (as alternatives of words that must all appear),
//! finds the words of a text with one search of the aho-corasick crate, and leaves a rule out
//! only when no alternative's words are all there: the rules find exactly what they would find
//! if every regex ran on every text (this module's tests check it on the hard cases),
//! and a 200-client batch takes less than half the CPU time it takes without the prefilter.
//! Must not read files, print, or decide what a rule emits (the `apply` module does).

use super::compile::{Body, Rule};
use super::fold::{near_miss_score, NEAR_MISS};
use aho_corasick::AhoCorasick;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::HashMap;

/// Most literals read from one regex. Past it a requirement is weakened (a part of an "all"
/// left out) or dropped (the rule runs on every text), never made wrong.
const MAX_LITERALS: usize = 2_000;

/// Which rules name a folded word, and where: `(rule, position)` pairs in rule order, at most
/// one per rule (the first position in that rule's list).
pub(crate) type Hits = Vec<(u32, u32)>;

/// One table rule's column that a folded header names.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColumnHit {
    pub(crate) rule: u32,
    /// Index into the rule's `columns`.
    pub(crate) column: u32,
    /// Position of the synonym in the column's list (0 for the first listed).
    pub(crate) rank: u32,
    /// The header is the column's canonical name (first synonym or its own key).
    pub(crate) exact: bool,
}

/// One synonym, label or heading of one rule, for near-miss hints.
#[derive(Debug, Clone)]
pub(crate) struct Vocab {
    pub(crate) rule: u32,
    pub(crate) folded: String,
    pub(crate) shown: String,
    /// The table column the synonym names, for a table rule.
    pub(crate) column: Option<String>,
    /// `folded`'s characters, for the bound that rules most entries out ([`Bag`]).
    chars: usize,
    bag: Bag,
}

/// The vocabulary of one kind, in rule order, with the folded words' owners for exact checks.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    pub(crate) entries: Vec<Vocab>,
    /// Folded word -> the rules whose vocabulary of this kind holds it.
    pub(crate) owners: HashMap<String, Vec<u32>>,
    /// (characters, entry index) of every entry, by length then rule order: a near miss is
    /// within a fifth of the length, so [`Vocabulary::closest`] looks at a window of it.
    by_len: Vec<(usize, u32)>,
}

impl Vocabulary {
    fn push(&mut self, rule: u32, folded: &str, shown: &str, column: Option<&str>) {
        let chars = folded.chars().count();
        let at = self.by_len.partition_point(|&(c, _)| c <= chars);
        let index = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
        self.by_len.insert(at, (chars, index));
        self.entries.push(Vocab {
            rule,
            folded: folded.to_string(),
            shown: shown.to_string(),
            column: column.map(str::to_string),
            chars,
            bag: Bag::of(folded),
        });
        let owners = self.owners.entry(folded.to_string()).or_default();
        if owners.last() != Some(&rule) {
            owners.push(rule);
        }
    }

    /// Whether a rule that applies (`applies[rule]`) has exactly this folded word.
    pub(crate) fn has(&self, folded: &str, applies: &[bool]) -> bool {
        self.owners.get(folded).is_some_and(|rules| {
            rules
                .iter()
                .any(|r| applies.get(*r as usize).copied().unwrap_or(false))
        })
    }

    /// The entry closest to `folded` among the rules that apply, when it is a near miss
    /// ([`near_miss_score`]): the highest similarity, on a tie the first in rule order.
    pub(crate) fn closest(&self, folded: &str, applies: &[bool]) -> Option<&Vocab> {
        let (chars, bag) = (folded.chars().count(), Bag::of(folded));
        // Only entries within a fifth of the length can be near misses (a little wider here,
        // checked exactly below): the window and the letter counts ([`Bag`]) leave strsim a
        // few entries, taking hints from 2/3 of a 40-client batch's instructions to 1%.
        let lo = self.by_len.partition_point(|&(c, _)| c * 5 < chars * 4);
        let hi = self
            .by_len
            .partition_point(|&(c, _)| c * 4 <= chars * 5 + 4);
        let mut best: Option<(f64, u32)> = None;
        for &(_, i) in self.by_len.get(lo..hi).unwrap_or(&[]) {
            let Some(v) = self.entries.get(i as usize) else {
                continue;
            };
            if !applies.get(v.rule as usize).copied().unwrap_or(false) {
                continue;
            }
            let longer = chars.max(v.chars) as f64;
            if 1.0 - (chars.abs_diff(v.chars) as f64) / longer < NEAR_MISS
                || 1.0 - (bag.distance(&v.bag) as f64) / longer < NEAR_MISS
            {
                continue;
            }
            if let Some(score) = near_miss_score(folded, &v.folded) {
                // On a tie, the first in rule order.
                if best.is_none_or(|(b, bi)| score > b || (score == b && i < bi)) {
                    best = Some((score, i));
                }
            }
        }
        best.and_then(|(_, i)| self.entries.get(i as usize))
    }
}

/// Character counts of a folded word in 38 buckets (a-z, 0-9, space, anything else). An edit
/// changes the difference of two bags by one at most and a transposition not at all, so the
/// bags' distance is a lower bound on the words' edit distance (merging characters into one
/// bucket only lowers it); it is never below the difference in length.
#[derive(Debug, Clone, Copy)]
struct Bag([u8; 38]);

impl Bag {
    fn of(text: &str) -> Bag {
        let mut counts = [0u8; 38];
        for c in text.chars() {
            let i = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                ' ' => 36,
                _ => 37,
            };
            if let Some(n) = counts.get_mut(i) {
                *n = n.saturating_add(1);
            }
        }
        Bag(counts)
    }

    /// The larger of what each bag has beyond the other (saturated counts only lower it).
    fn distance(&self, other: &Bag) -> usize {
        // max(more, fewer) = (more + fewer + |more - fewer|) / 2. The sums (at most 38 * 255)
        // cannot wrap; wrapping adds let the compiler vectorise them despite overflow checks,
        // which made this loop 5x cheaper.
        let (mut apart, mut mine, mut theirs) = (0u32, 0u32, 0u32);
        for (a, b) in self.0.iter().zip(other.0.iter()) {
            apart = apart.wrapping_add(u32::from(a.abs_diff(*b)));
            mine = mine.wrapping_add(u32::from(*a));
            theirs = theirs.wrapping_add(u32::from(*b));
        }
        (apart.wrapping_add(mine.abs_diff(theirs)) / 2) as usize
    }
}

/// The lookups of one rule set (see the module docs).
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleIndex {
    /// Folded label -> label rules naming it.
    pub(crate) labels: HashMap<String, Hits>,
    /// Folded heading -> section rules naming it.
    pub(crate) headings: HashMap<String, Hits>,
    /// Folded header -> the table rules' columns naming it (one per rule: its first column
    /// listing the header).
    pub(crate) headers: HashMap<String, Vec<ColumnHit>>,
    pub(crate) header_vocab: Vocabulary,
    pub(crate) label_vocab: Vocabulary,
    pub(crate) heading_vocab: Vocabulary,
    /// Which pattern and classify rules could match a text.
    pub(crate) text: TextFilter,
    /// Which pattern rules that read table cells (`cells = true`) could match a cell's text:
    /// for every text, exactly `text`'s candidates that are such rules, from a search holding
    /// only their literals (classify rules never read cells).
    pub(crate) cells: TextFilter,
    /// Per classify rule: which of its evidence patterns (numbered in order, class by class)
    /// could match a text.
    pub(crate) evidence: HashMap<u32, TextFilter>,
}

fn add_hit(map: &mut HashMap<String, Hits>, folded: &str, rule: u32, pos: u32) {
    let hits = map.entry(folded.to_string()).or_default();
    if hits.last().is_none_or(|(r, _)| *r != rule) {
        hits.push((rule, pos));
    }
}

impl RuleIndex {
    pub(crate) fn build(rules: &[Rule]) -> RuleIndex {
        let mut index = RuleIndex::default();
        let mut patterns: Vec<(u32, &str)> = Vec::new();
        let mut cell_patterns: Vec<(u32, &str)> = Vec::new();
        let mut evidence_of: Vec<(u32, Vec<&str>)> = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            let r = u32::try_from(ri).unwrap_or(u32::MAX);
            match &rule.body {
                Body::Table(t) => {
                    for (ci, c) in t.columns.iter().enumerate() {
                        for (pos, (f, shown)) in c.synonyms.iter().enumerate() {
                            let hits = index.headers.entry(f.clone()).or_default();
                            if hits.last().is_none_or(|h| h.rule != r) {
                                hits.push(ColumnHit {
                                    rule: r,
                                    column: u32::try_from(ci).unwrap_or(u32::MAX),
                                    rank: u32::try_from(pos).unwrap_or(u32::MAX),
                                    exact: pos == 0 || c.key_folded == *f,
                                });
                            }
                            if !t.forbid.contains(&c.key) {
                                index.header_vocab.push(r, f, shown, Some(&c.key));
                            }
                        }
                    }
                }
                Body::Label(l) => {
                    for (pos, (f, shown)) in l.labels.iter().enumerate() {
                        add_hit(&mut index.labels, f, r, u32::try_from(pos).unwrap_or(0));
                        index.label_vocab.push(r, f, shown, None);
                    }
                }
                Body::Section(s) => {
                    for (pos, (f, shown)) in s.headings.iter().enumerate() {
                        add_hit(&mut index.headings, f, r, u32::try_from(pos).unwrap_or(0));
                        index.heading_vocab.push(r, f, shown, None);
                    }
                }
                Body::Pattern(p) => {
                    patterns.push((r, p.regex.as_str()));
                    if p.cells {
                        cell_patterns.push((r, p.regex.as_str()));
                    }
                }
                Body::Classify(c) => {
                    let evidence: Vec<&str> = c
                        .evidence
                        .iter()
                        .flat_map(|(_, res)| res)
                        .map(|re| re.as_str())
                        .collect();
                    patterns.extend(evidence.iter().map(|src| (r, *src)));
                    evidence_of.push((r, evidence));
                }
            }
        }
        // Each regex parsed once (an evidence regex is in two filters); parsing with Unicode
        // case folding is most of the cost of building the filters.
        let mut parsed: HashMap<&str, Option<Hir>> = HashMap::new();
        for (_, src) in &patterns {
            parsed.entry(src).or_insert_with(|| syntax(src));
        }
        let hir = |src: &str| parsed.get(src).and_then(Option::as_ref);
        for (r, evidence) in evidence_of {
            let each = evidence
                .iter()
                .enumerate()
                .map(|(i, src)| (u32::try_from(i).unwrap_or(u32::MAX), hir(src)));
            index.evidence.insert(r, TextFilter::of_syntax(each));
        }
        index.text = TextFilter::of_syntax(patterns.iter().map(|(r, src)| (*r, hir(src))));
        index.cells = TextFilter::of_syntax(cell_patterns.iter().map(|(r, src)| (*r, hir(src))));
        index
    }
}

/// What every match of a regex needs: a literal, all of several, or one of several. A regex
/// with no such need has no `Req` (`None`: it may match any text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Req {
    /// The literal (an index into the filter's literals) stands in the text.
    Lit(u32),
    All(Vec<Req>),
    Any(Vec<Req>),
}

/// A literal: its bytes and whether it must match exactly (a case-sensitive `(?-i:...)` word
/// such as `Ltd` or `SE`) or in any ASCII case (the bytes are then lower case).
type Literal = (Vec<u8>, bool);

/// The literals of all requirements, numbered.
#[derive(Debug, Default)]
struct Literals {
    ids: HashMap<Literal, u32>,
    list: Vec<Literal>,
}

impl Literals {
    fn id(&mut self, lit: Literal) -> u32 {
        if let Some(id) = self.ids.get(&lit) {
            return *id;
        }
        let id = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(lit.clone());
        self.ids.insert(lit, id);
        id
    }
}

/// Whether a literal is worth looking for: a two-letter word only when it must match exactly
/// and has a capital or non-ASCII letter ("SE", "AG"); otherwise at least three bytes.
fn useful((bytes, exact): &Literal) -> bool {
    let distinctive = *exact
        && bytes
            .iter()
            .any(|b| b.is_ascii_uppercase() || !b.is_ascii());
    bytes.len() >= 3 || (distinctive && bytes.len() >= 2)
}

/// The syntax tree of a rule regex, parsed as the rules build it (case-insensitive).
fn syntax(src: &str) -> Option<Hir> {
    super::compile::parse_regex(src).ok()
}

/// Parses `pattern` as the rules compile it (case-insensitive) and reads its requirement.
#[cfg(test)]
fn pattern_req(pattern: &str, lits: &mut Literals) -> Option<Req> {
    hir_req(&syntax(pattern)?, lits)
}

/// The requirement of a parsed pattern (see [`pattern_req`]).
fn hir_req(hir: &Hir, lits: &mut Literals) -> Option<Req> {
    let mut budget = MAX_LITERALS;
    req(hir, lits, &mut budget)
}

/// A single-character piece of a run: the class's one character (exact), or an ASCII letter in
/// both cases (with the Kelvin sign and long s that Unicode case folding adds to `k` and `s`).
fn class_piece(class: &Class) -> Option<Literal> {
    let mut chars: Vec<char> = Vec::new();
    match class {
        Class::Unicode(u) => {
            for r in u.ranges() {
                let n = u32::from(r.end()) - u32::from(r.start()) + 1;
                if chars.len() + n as usize > 4 {
                    return None;
                }
                chars.extend(r.start()..=r.end());
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                let n = usize::from(r.end() - r.start()) + 1;
                if chars.len() + n > 4 {
                    return None;
                }
                chars.extend((r.start()..=r.end()).map(char::from));
            }
        }
    }
    match chars.as_slice() {
        [c] => {
            let mut buf = [0u8; 4];
            Some((c.encode_utf8(&mut buf).as_bytes().to_vec(), true))
        }
        _ => {
            let lower = chars.iter().find(|c| c.is_ascii_lowercase())?;
            let fits = chars.iter().all(|c| {
                c.eq_ignore_ascii_case(lower)
                    || (*lower == 'k' && *c == '\u{212A}')
                    || (*lower == 's' && *c == '\u{17F}')
            });
            fits.then(|| (vec![*lower as u8], false))
        }
    }
}

/// Joins pieces into one literal: exact only when every piece is, else lower-cased.
fn join_run(pieces: &[Literal]) -> Literal {
    let exact = pieces.iter().all(|(_, e)| *e);
    let mut bytes: Vec<u8> = pieces.iter().flat_map(|(b, _)| b.iter().copied()).collect();
    if !exact {
        bytes.make_ascii_lowercase();
    }
    (bytes, exact)
}

fn literal_req(lit: Literal, lits: &mut Literals, budget: &mut usize) -> Option<Req> {
    if !useful(&lit) || *budget == 0 {
        return None;
    }
    *budget -= 1;
    Some(Req::Lit(lits.id(lit)))
}

/// The requirement of every match of `hir` (see [`Req`]); `budget` bounds the literals.
fn req(hir: &Hir, lits: &mut Literals, budget: &mut usize) -> Option<Req> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => literal_req((lit.0.to_vec(), true), lits, budget),
        HirKind::Class(c) => literal_req(class_piece(c)?, lits, budget),
        HirKind::Capture(c) => req(&c.sub, lits, budget),
        HirKind::Repetition(r) => {
            if r.min >= 1 {
                req(&r.sub, lits, budget)
            } else {
                None
            }
        }
        HirKind::Alternation(alts) => {
            let mut any = Vec::with_capacity(alts.len());
            for a in alts {
                any.push(req(a, lits, budget)?);
            }
            Some(Req::Any(any))
        }
        HirKind::Concat(parts) => {
            // Runs of single characters make words; every run and every part's own need must
            // all hold.
            let mut all = Vec::new();
            let mut run: Vec<Literal> = Vec::new();
            for part in parts {
                let piece = match part.kind() {
                    HirKind::Literal(lit) => Some((lit.0.to_vec(), true)),
                    HirKind::Class(c) => class_piece(c),
                    _ => None,
                };
                match piece {
                    Some(p) => run.push(p),
                    None => {
                        if !run.is_empty() {
                            all.extend(literal_req(join_run(&run), lits, budget));
                            run.clear();
                        }
                        all.extend(req(part, lits, budget));
                    }
                }
            }
            if !run.is_empty() {
                all.extend(literal_req(join_run(&run), lits, budget));
            }
            match all.len() {
                0 => None,
                1 => all.pop(),
                _ => Some(Req::All(all)),
            }
        }
    }
}

/// Most alternatives one trigger's requirement is expanded into.
const MAX_CONJUNCTIONS: usize = 256;

impl Req {
    /// The requirement as alternatives, each a set of literals that must all stand in the
    /// text (`None`: no requirement, or one too large to expand). A part of an "all" that
    /// would expand too far is left out: the requirement is then weaker, never wrong.
    fn alternatives(&self) -> Option<Vec<Vec<u32>>> {
        match self {
            Req::Lit(id) => Some(vec![vec![*id]]),
            Req::Any(v) => {
                let mut out = Vec::new();
                for r in v {
                    out.extend(r.alternatives()?);
                    if out.len() > MAX_CONJUNCTIONS {
                        return None;
                    }
                }
                Some(out)
            }
            Req::All(v) => {
                let mut acc: Vec<Vec<u32>> = vec![Vec::new()];
                for r in v {
                    let Some(alts) = r.alternatives() else {
                        continue;
                    };
                    if acc.len() * alts.len() > MAX_CONJUNCTIONS {
                        continue;
                    }
                    acc = acc
                        .iter()
                        .flat_map(|a| {
                            alts.iter().map(move |b| {
                                let mut c = a.clone();
                                c.extend_from_slice(b);
                                c
                            })
                        })
                        .collect();
                }
                if acc.iter().any(Vec::is_empty) {
                    return None;
                }
                Some(acc)
            }
        }
    }
}

/// One alternative of a trigger's requirement: the literal it is keyed by (looked at first),
/// and the others, which must then also stand in the text.
#[derive(Debug, Clone)]
struct Conjunction {
    trigger: u32,
    others: Vec<u32>,
}

/// A literal prefilter over numbered triggers (rules, or one classify rule's evidence
/// patterns): which triggers' regexes could match a text.
///
/// Each trigger's requirement is expanded into alternatives (sets of literals that must all
/// stand in the text), each keyed by its longest literal. One overlapping Aho-Corasick search
/// (the aho-corasick crate, in any ASCII case) finds every literal in a text; only the
/// alternatives keyed by a literal found are then looked at, each by checking that its other
/// literals were found too.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextFilter {
    /// Finds the literals (numbered as in `keyed`) and, numbered after them, the characters
    /// that case-fold to an ASCII letter without being one (see [`ODD`]). `None` when there is
    /// no alternative to look for (every trigger is then in `always`).
    finder: Option<AhoCorasick>,
    /// Per literal: its bytes when they must stand exactly (an exact literal found in another
    /// case does not count).
    exact: Vec<Option<Vec<u8>>>,
    /// Per literal: the alternatives it keys.
    keyed: Vec<Vec<u32>>,
    /// The finder's number of the first odd character.
    odd: u32,
    conjunctions: Vec<Conjunction>,
    /// Triggers without a requirement: candidates on every text. Sorted.
    always: Vec<u32>,
    /// Every trigger, sorted (the candidates when a text holds an odd character).
    all: Vec<u32>,
}

/// Characters that case-fold to an ASCII letter without being one (the Kelvin sign to `k`,
/// the long s to `s`): a regex's `k` or `s` matches them, a literal in any ASCII case does not,
/// so a text holding one gets every trigger.
const ODD: [&str; 2] = ["\u{212A}", "\u{17F}"];

impl TextFilter {
    /// A filter over `patterns`: trigger number and regex source (compiled case-insensitively).
    /// A trigger listed with several patterns is a candidate when any of them could match.
    #[cfg(test)]
    pub(crate) fn new<'p>(patterns: impl IntoIterator<Item = (u32, &'p str)>) -> TextFilter {
        let parsed: Vec<(u32, Option<Hir>)> =
            patterns.into_iter().map(|(t, p)| (t, syntax(p))).collect();
        TextFilter::of_syntax(parsed.iter().map(|(t, h)| (*t, h.as_ref())))
    }

    /// [`TextFilter::new`] of patterns already parsed by [`syntax`] (`None`: the pattern did
    /// not parse, and its trigger runs on every text).
    fn of_syntax<'h>(patterns: impl IntoIterator<Item = (u32, Option<&'h Hir>)>) -> TextFilter {
        let mut lits = Literals::default();
        let mut per_trigger: Vec<(u32, Option<Req>)> = Vec::new();
        for (trigger, hir) in patterns {
            let r = hir.and_then(|h| hir_req(h, &mut lits));
            match per_trigger.iter_mut().find(|(t, _)| *t == trigger) {
                // Another pattern of the same trigger: either may match.
                Some((_, slot)) => {
                    *slot = match (slot.take(), r) {
                        (Some(Req::Any(mut v)), Some(r)) => {
                            v.push(r);
                            Some(Req::Any(v))
                        }
                        (Some(a), Some(b)) => Some(Req::Any(vec![a, b])),
                        _ => None,
                    }
                }
                None => per_trigger.push((trigger, r)),
            }
        }
        let mut filter = TextFilter::default();
        // The literals some alternative names, numbered in order of first use (a literal of a
        // requirement too large to expand is not looked for).
        let mut literals: Vec<Literal> = Vec::new();
        let mut number: HashMap<u32, u32> = HashMap::new();
        let mut renumber = |id: u32| -> u32 {
            *number.entry(id).or_insert_with(|| {
                literals.push(lits.list.get(id as usize).cloned().unwrap_or_default());
                u32::try_from(literals.len() - 1).unwrap_or(u32::MAX)
            })
        };
        for (trigger, r) in per_trigger {
            filter.all.push(trigger);
            let Some(alternatives) = r.and_then(|r| r.alternatives()) else {
                filter.always.push(trigger);
                continue;
            };
            for mut alt in alternatives {
                alt.sort_unstable();
                alt.dedup();
                // Keyed by its longest literal: a long word is found in few texts.
                let Some(key) = alt
                    .iter()
                    .copied()
                    .max_by_key(|id| lits.list.get(*id as usize).map_or(0, |(b, _)| b.len()))
                else {
                    continue;
                };
                alt.retain(|id| *id != key);
                let key = renumber(key) as usize;
                let c = u32::try_from(filter.conjunctions.len()).unwrap_or(u32::MAX);
                filter
                    .keyed
                    .resize(filter.keyed.len().max(key + 1), Vec::new());
                if let Some(k) = filter.keyed.get_mut(key) {
                    k.push(c);
                }
                let mut others: Vec<u32> = alt.into_iter().map(&mut renumber).collect();
                others.sort_unstable();
                filter.conjunctions.push(Conjunction { trigger, others });
            }
        }
        if !filter.conjunctions.is_empty() {
            filter.odd = u32::try_from(literals.len()).unwrap_or(u32::MAX);
            literals.extend(ODD.iter().map(|c| (c.as_bytes().to_vec(), true)));
            filter.exact = literals.iter().map(|(b, e)| e.then(|| b.clone())).collect();
            // A DFA, not what the crate picks for this many literals (an NFA): scans 1.7x faster.
            filter.finder = AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(literals.iter().map(|(b, _)| b))
                .ok();
            if filter.finder.is_none() {
                // Never expected: without the search every trigger runs on every text.
                filter.always.clone_from(&filter.all);
            }
        }
        filter.all.sort_unstable();
        filter.all.dedup();
        filter.always.sort_unstable();
        filter.always.dedup();
        filter
    }

    /// Every trigger the filter decides for, sorted.
    pub(crate) fn rules(&self) -> &[u32] {
        &self.all
    }

    /// The triggers that could match `text`, sorted and without repeats, into `out`.
    pub(crate) fn candidates(&self, text: &str, out: &mut Vec<u32>) {
        self.look(text, &mut Vec::new(), out);
    }

    /// [`TextFilter::candidates`], with a buffer for the literals found.
    fn look(&self, text: &str, found: &mut Vec<u32>, out: &mut Vec<u32>) {
        out.clone_from(&self.always);
        let Some(finder) = &self.finder else {
            return;
        };
        found.clear();
        for m in finder.find_overlapping_iter(text) {
            let id = m.pattern().as_u32();
            if let Some(Some(bytes)) = self.exact.get(id as usize) {
                if text.as_bytes().get(m.range()) != Some(bytes.as_slice()) {
                    continue;
                }
            }
            if id >= self.odd {
                out.clone_from(&self.all);
                return;
            }
            found.push(id);
        }
        if found.is_empty() {
            return;
        }
        found.sort_unstable();
        found.dedup();
        for &id in found.iter() {
            for &c in self.keyed.get(id as usize).map_or(&[][..], Vec::as_slice) {
                let Some(conj) = self.conjunctions.get(c as usize) else {
                    continue;
                };
                if conj.others.iter().all(|o| found.binary_search(o).is_ok()) {
                    out.push(conj.trigger);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }

    /// For each of `texts`, in order, calls `each(index, candidates)` with the triggers that
    /// could match it (sorted, without repeats).
    #[cfg(test)]
    pub(crate) fn scan(&self, texts: &[&str], mut each: impl FnMut(usize, &[u32])) {
        let mut scan = self.scanner(texts.len());
        for (ti, text) in texts.iter().enumerate() {
            each(ti, scan.candidates(text));
        }
    }

    /// A scan of one document's texts (about `texts` of them), given one at a time to
    /// [`Scan::candidates`].
    pub(crate) fn scanner<'t>(&self, texts: usize) -> Scan<'_, 't> {
        Scan {
            filter: self,
            first: foldhash::HashMapExt::with_capacity(texts),
            flat: Vec::new(),
            found: Vec::new(),
            out: Vec::new(),
        }
    }
}

/// One document's texts looked at with one filter, text by text; a text that repeats an
/// earlier one (a department or job title down an HR export) is looked at only once, which
/// makes the prefilter a fifth cheaper on a 200-client batch.
pub(crate) struct Scan<'f, 't> {
    filter: &'f TextFilter,
    /// Each distinct text looked at so far, and where its candidates are in `flat`.
    first: foldhash::HashMap<&'t str, (u32, u32)>,
    /// The candidates of every distinct text, one after another.
    flat: Vec<u32>,
    /// Buffers for [`TextFilter::look`].
    found: Vec<u32>,
    out: Vec<u32>,
}

impl<'t> Scan<'_, 't> {
    /// The triggers that could match `text` (sorted, without repeats): what
    /// [`TextFilter::candidates`] gives.
    pub(crate) fn candidates(&mut self, text: &'t str) -> &[u32] {
        let (from, to) = match self.first.get(text) {
            Some(&range) => range,
            None => {
                self.filter.look(text, &mut self.found, &mut self.out);
                let from = u32::try_from(self.flat.len()).unwrap_or(u32::MAX);
                self.flat.extend_from_slice(&self.out);
                let to = u32::try_from(self.flat.len()).unwrap_or(u32::MAX);
                self.first.insert(text, (from, to));
                (from, to)
            }
        };
        self.flat.get(from as usize..to as usize).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The literals a pattern's requirement names, as text.
    fn lits(p: &str) -> Option<String> {
        let mut table = Literals::default();
        let r = pattern_req(p, &mut table)?;
        fn show(r: &Req, t: &Literals) -> String {
            match r {
                Req::Lit(id) => t
                    .list
                    .get(*id as usize)
                    .map(|(b, e)| {
                        let w = String::from_utf8_lossy(b).into_owned();
                        if *e {
                            format!("={w}")
                        } else {
                            w
                        }
                    })
                    .unwrap_or_default(),
                Req::All(v) => format!(
                    "all({})",
                    v.iter().map(|r| show(r, t)).collect::<Vec<_>>().join(", ")
                ),
                Req::Any(v) => format!(
                    "any({})",
                    v.iter().map(|r| show(r, t)).collect::<Vec<_>>().join(", ")
                ),
            }
        }
        Some(show(&r, &table))
    }

    #[test]
    fn requirements_come_from_words_every_match_needs() {
        assert_eq!(lits(r"\bsponsor\b").as_deref(), Some("sponsor"));
        assert_eq!(
            lits(r"(?P<t>SMS Manager|IT Service Manager)\s+is").as_deref(),
            Some("any(sms manager, it service manager)")
        );
        assert_eq!(
            lits(r"\bJira\s+Service\s+Management\b").as_deref(),
            Some("all(jira, service, management)")
        );
        // Case-sensitive words are found exactly, and two capitals are enough.
        assert_eq!(
            lits(r"(?-i:(?:Ltd|SE|AG))\b").as_deref(),
            Some("any(=Ltd, =SE, =AG)")
        );
        // Nothing fixed: no prefilter.
        assert_eq!(lits(r"^(?P<x>.+)$"), None);
        assert_eq!(lits(r"(?:foo)?bar|\w+"), None);
        // Short words in any case are no filter.
        assert_eq!(lits(r"\b(?:it|is)\b"), None);
    }

    #[test]
    fn the_filter_never_drops_a_pattern_that_matches() {
        let patterns = [
            r"\b(?:headquartered|head office is|HQ is|based)\s+in\s+(?-i:(?P<place>[A-Z]\w+))",
            r"(?P<name>(?-i:[A-Z][a-z]+)),?\s+(?:our\s+)?(?P<title>SMS Manager|CEO)\b",
            r"^(?P<x>.+)$",
            r"\bkelvin\b",
            r"\bJira\s+Service\s+Management\b",
            r"(?-i:(?P<n>[A-Z]\w+\s+(?:Ltd|SE|AG)))\b",
        ];
        let filter = TextFilter::new(
            patterns
                .iter()
                .enumerate()
                .map(|(i, p)| (u32::try_from(i).unwrap_or(0), *p)),
        );
        let regexes: Vec<regex::Regex> = patterns
            .iter()
            .map(|p| {
                regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .unwrap_or_else(|e| panic!("{p}: {e}"))
            })
            .collect();
        let texts = [
            "Our head office is in Manchester.",
            "Acme\0SE",
            "We are BASED IN Leeds",
            "Sarah Chen, our SMS manager, owns the SMS.",
            "Nothing to see here",
            "\u{212A}elvin scale",
            "ſms manager",
            "We use JIRA service   management daily",
            "Service management is our business",
            "Acme SE and Beta AG",
            "we see a gap",
        ];
        let mut out = Vec::new();
        for t in texts {
            filter.candidates(t, &mut out);
            for (i, re) in regexes.iter().enumerate() {
                if re.is_match(t) {
                    assert!(out.contains(&(i as u32)), "pattern {i} dropped for {t:?}");
                }
            }
        }
        filter.candidates("Nothing to see here", &mut out);
        assert_eq!(out, vec![2], "only the pattern without literals runs");
        filter.candidates("Service management is our business", &mut out);
        assert_eq!(out, vec![2], "Jira is missing");
        filter.candidates("we see a gap", &mut out);
        assert_eq!(out, vec![2], "`SE` must be a capitalised word");
    }

    /// More triggers and literals than one 64-bit word holds, numbered with gaps: a text's
    /// candidates are exactly the triggers whose word stands in it (in any case, or exactly
    /// for the exact ones), plus the one without a requirement.
    #[test]
    fn many_triggers_get_exactly_the_texts_holding_their_words() {
        let words: Vec<String> = (0..150).map(|i| format!("w{i}q")).collect();
        let mut patterns: Vec<(u32, String)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let re = if i.is_multiple_of(10) {
                    format!("(?-i:{})", w.to_uppercase())
                } else {
                    format!(r"\b{w}\b")
                };
                (u32::try_from(i * 7).unwrap_or(0), re)
            })
            .collect();
        patterns.push((5_000, r"^.+$".to_string()));
        let filter = TextFilter::new(patterns.iter().map(|(t, p)| (*t, p.as_str())));
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let mut texts = Vec::new();
        let mut wanted = Vec::new();
        for _ in 0..200 {
            let mut text = String::new();
            let mut want = vec![5_000u32];
            for _ in 0..(next() % 6) {
                let i = (next() % 150) as usize;
                let upper = next() % 2 == 0;
                let w = &words[i];
                text.push_str(&if upper { w.to_uppercase() } else { w.clone() });
                text.push(' ');
                if !i.is_multiple_of(10) || upper {
                    want.push(u32::try_from(i * 7).unwrap_or(0));
                }
            }
            want.sort_unstable();
            want.dedup();
            texts.push(text);
            wanted.push(want);
        }
        let mut out = Vec::new();
        for (t, want) in texts.iter().zip(&wanted) {
            filter.candidates(t, &mut out);
            assert_eq!(&out, want, "{t:?}");
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let mut given = 0;
        filter.scan(&refs, |ti, c| {
            assert_eq!(c, wanted[ti].as_slice(), "{:?}", refs[ti]);
            given += 1;
        });
        assert_eq!(given, texts.len());
    }

    #[test]
    fn a_near_miss_names_the_closest_synonym_of_a_rule_that_applies() {
        let mut vocab = Vocabulary::default();
        for (i, w) in ["process owner", "service owner", "proces owners"]
            .iter()
            .enumerate()
        {
            vocab.push(u32::try_from(i).unwrap_or(0), w, w, None);
        }
        let (all, first, second) = ([true; 3], [true, false, false], [false, true, false]);
        assert_eq!(vocab.closest("proces owner", &all).map(|v| v.rule), Some(0));
        assert_eq!(
            vocab.closest("service ownr", &second).map(|v| v.rule),
            Some(1)
        );
        assert!(vocab.closest("service ownr", &first).is_none());
        assert!(vocab.closest("proces owner", &[false; 3]).is_none());
        assert!(
            vocab.closest("process owner", &first).is_none(),
            "equal is no near miss"
        );
        assert!(vocab.closest("nothing alike", &all).is_none());
        // Every entry scored, the best kept, the first on a tie: what the window finds.
        let words = [
            "abcd", "abce", "abcdx", "abcdxy", "bacd", "abcdefgh", "abdc", "xbcd",
        ];
        let mut vocab = Vocabulary::default();
        for (i, w) in words.iter().enumerate() {
            vocab.push(u32::try_from(i).unwrap_or(0), w, w, None);
        }
        let on = [true; 8];
        for probe in ["abcd", "abcx", "abcdxyz", "abcdefg", "bacdx", "dcba"] {
            let mut best: Option<(f64, usize)> = None;
            for (i, w) in words.iter().enumerate() {
                if let Some(s) = near_miss_score(probe, w) {
                    if best.is_none_or(|(b, _)| s > b) {
                        best = Some((s, i));
                    }
                }
            }
            let got = vocab.closest(probe, &on).map(|v| v.rule as usize);
            assert_eq!(got, best.map(|(_, i)| i), "{probe}");
        }
    }

    /// A filter over `sources` (triggers numbered in order) lists, for every text, each
    /// trigger whose regex matches it; scanning the texts together gives each its own answer.
    fn assert_sound(sources: &[&str], texts: &[&str]) {
        let filter = TextFilter::new(
            sources
                .iter()
                .enumerate()
                .map(|(i, s)| (u32::try_from(i).unwrap_or(u32::MAX), *s)),
        );
        let built: Vec<regex::Regex> = sources
            .iter()
            .map(|s| super::super::compile::build_regex(s).unwrap())
            .collect();
        let mut out = Vec::new();
        for t in texts {
            filter.candidates(t, &mut out);
            for (i, re) in built.iter().enumerate() {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                assert!(!re.is_match(t) || out.contains(&i), "{re} matches {t:?}");
            }
        }
        let mut alone = Vec::new();
        filter.scan(texts, |ti, c| {
            filter.candidates(texts.get(ti).copied().unwrap_or(""), &mut alone);
            assert_eq!(c, alone.as_slice(), "text {ti} scanned with the others");
        });
    }

    #[test]
    fn a_regex_past_the_literal_budget_still_runs_where_it_matches() {
        let words: Vec<String> = (0..2_100).map(|i| format!("w{i:04}x")).collect();
        let many = format!(r"\b(?:{})\b", words.join("|"));
        // Ten two-way choices in a row: more ways than the expansion limit.
        let choices = (0..10)
            .map(|i| format!("(?:aa{i}a|bb{i}b)"))
            .collect::<Vec<_>>()
            .join(" ");
        let all_a = (0..10)
            .map(|i| format!("aa{i}a"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_sound(
            &[&many, &choices, r"abc\x00def|ghi\x00"],
            &[
                "w2099x",
                "w0000x w2099x",
                &all_a,
                "abc\0def",
                "ghi\0",
                "abc",
                "\0",
            ],
        );
    }

    #[test]
    fn characters_that_case_fold_to_ascii_letters_never_hide_a_match() {
        assert_sound(
            &[
                r"\bkelvin\b",
                r"(?-i:Desk)",
                r"\u{17F}un",
                r"\bst[r]a\u{DF}e",
                r"caf\u{E9}",
            ],
            &[
                "\u{212A}elvin",
                "KELVIN",
                "De\u{17F}k",
                "SUN",
                "\u{17F}UN",
                "STRA\u{1E9E}E",
                "stra\u{DF}e",
                "CAF\u{C9}",
            ],
        );
    }

    #[test]
    fn texts_scanned_together_keep_their_own_candidates() {
        let sources = [r"\bsponsor\b", r"(?-i:SE)\b", r"abc", r"^$", r"x\z"];
        assert_sound(
            &sources,
            &[
                "", "spon", "sor", "sponsor", "", "sponsor", "ab", "c", "SE", "a\0bc", "abc\0",
                "x", "abc",
            ],
        );
        let filter = TextFilter::new((0..).zip(sources));
        let mut out = Vec::new();
        filter.candidates("spon", &mut out);
        assert!(!out.contains(&0), "half a word is not the word");
    }

    #[test]
    fn the_bag_distance_is_a_lower_bound_of_the_edit_distance() {
        for (a, b) in [
            ("job titel", "job title"),
            ("departmnet", "department"),
            ("start date", "department"),
            ("équipe", "equipe"),
        ] {
            let d = Bag::of(a).distance(&Bag::of(b));
            assert!(d <= strsim::damerau_levenshtein(a, b), "{a} {b}");
        }
    }
}
