//! A rule's regex, compiled on first use: takes a pattern already checked by the loader and
//! gives a [`Regex`] (through [`LazyRegex::get`] or `Deref`) built the first time a rule
//! needs it, once per process, shared by every thread.
//!
//! Compiling the shipped rules' regexes costs more than reading several clients' documents, and
//! a run uses only the regexes of the rules its documents reach (a table rule's filters only
//! when a table has its columns, a label rule's pattern only when the label is there). So the
//! loader checks the shipped patterns' syntax and capture names cheaply and leaves the build to
//! the first search; a user's rule files are still compiled at load, so every error in them
//! (the size limit included) is reported there. Several shipped rules share a pattern (the same
//! keyword test in two rules' switches): a lazy regex is built once per pattern per process, and
//! every rule with that pattern shares the build. This file must not decide what a regex
//! means: it builds exactly what [`build`] builds, the same for both.
//!
//! [`Regex`] is the regex crate's engine (regex-automata's meta regex, configured as
//! `regex::RegexBuilder` configures it: the same syntax, match semantics and limits, so the
//! same matches and capture spans) without its literal prefilters. Extracting a regex's
//! literals was about two thirds of building the shipped regexes, and on the texts the mapper
//! searches (a paragraph or a cell, already passed by its own literal prefilter, see
//! `index.rs`) the prefilters did not pay for themselves: on the shipped regexes and a sample
//! client's texts, `is_match` was 1.26x and `find_iter` 1.05x the speed without them.

use regex_automata::meta;
use regex_automata::util::captures::Captures as MetaCaptures;
use std::fmt;
use std::ops::{Deref, Range};
use std::sync::{LazyLock, Mutex, OnceLock};

/// Largest compiled regex (keyword lists grow large).
pub(crate) const REGEX_SIZE_LIMIT: usize = 8 * 1024 * 1024;

/// Builds a rule regex the one way every rule regex is built: case-insensitive, with the size
/// limit above. [`syntax`] must parse with the same settings.
pub(crate) fn build(src: &str) -> Result<Regex, regex::Error> {
    // What `regex::RegexBuilder::new(src).case_insensitive(true).size_limit(..)` configures
    // (regex 1.x: leftmost-first, empty matches only at character boundaries, a 2 MiB lazy
    // DFA cache), with literal prefilters off (see the module docs).
    let config = meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(2 * (1 << 20))
        .auto_prefilter(false);
    let syntax = regex_automata::util::syntax::Config::new()
        .case_insensitive(true)
        .utf8(true);
    match meta::Builder::new()
        .configure(config)
        .syntax(syntax)
        .build(src)
    {
        Ok(meta) => Ok(Regex {
            meta,
            pattern: src.into(),
        }),
        // The regex crate words the error (the same pattern and settings fail there, and
        // prefilters cannot make a build fail).
        Err(e) => Err(regex::RegexBuilder::new(src)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .err()
            .unwrap_or_else(|| regex::Error::Syntax(e.to_string()))),
    }
}

/// A compiled rule regex: the subset of `regex::Regex`'s API the mapper uses, over a meta
/// regex built by [`build`]. Cheap to clone (the compiled program is shared).
#[derive(Clone)]
pub(crate) struct Regex {
    meta: meta::Regex,
    pattern: std::sync::Arc<str>,
}

impl fmt::Debug for Regex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Regex").field(&self.pattern).finish()
    }
}

/// A match of a [`Regex`] in a haystack: its span and the text it covers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Match<'h> {
    hay: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn of(hay: &'h str, span: regex_automata::Span) -> Match<'h> {
        Match {
            hay,
            start: span.start,
            end: span.end,
        }
    }

    /// Byte offset where the match starts.
    pub(crate) fn start(&self) -> usize {
        self.start
    }

    /// The byte range of the match.
    pub(crate) fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The matched text.
    pub(crate) fn as_str(&self) -> &'h str {
        self.hay.get(self.start..self.end).unwrap_or("")
    }
}

/// The groups of one match of a [`Regex`].
pub(crate) struct Captures<'h> {
    hay: &'h str,
    caps: MetaCaptures,
}

impl<'h> Captures<'h> {
    /// Group `i`'s match (0: the whole match), if it took part.
    pub(crate) fn get(&self, i: usize) -> Option<Match<'h>> {
        self.caps.get_group(i).map(|span| Match::of(self.hay, span))
    }

    /// The named group's match, if it took part.
    pub(crate) fn name(&self, name: &str) -> Option<Match<'h>> {
        self.caps
            .get_group_by_name(name)
            .map(|span| Match::of(self.hay, span))
    }
}

impl Regex {
    /// The pattern as written.
    #[cfg(test)]
    pub(crate) fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the regex matches anywhere in `hay`.
    pub(crate) fn is_match(&self, hay: &str) -> bool {
        self.meta.is_match(hay)
    }

    /// The leftmost-first match.
    #[cfg(test)]
    pub(crate) fn find<'h>(&self, hay: &'h str) -> Option<Match<'h>> {
        self.meta.find(hay).map(|m| Match::of(hay, m.span()))
    }

    /// Every non-overlapping match, left to right.
    pub(crate) fn find_iter<'r, 'h>(&'r self, hay: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        self.meta
            .find_iter(hay)
            .map(move |m| Match::of(hay, m.span()))
    }

    /// The groups of the leftmost-first match.
    pub(crate) fn captures<'h>(&self, hay: &'h str) -> Option<Captures<'h>> {
        let mut caps = self.meta.create_captures();
        self.meta.captures(hay, &mut caps);
        caps.is_match().then_some(Captures { hay, caps })
    }

    /// The groups of every non-overlapping match, left to right.
    pub(crate) fn captures_iter<'r, 'h>(
        &'r self,
        hay: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        self.meta
            .captures_iter(hay)
            .map(move |caps| Captures { hay, caps })
    }

    /// The pieces of `hay` between the matches (as `regex::Regex::split`).
    #[cfg(test)]
    pub(crate) fn split<'r, 'h>(&'r self, hay: &'h str) -> impl Iterator<Item = &'h str> + 'r
    where
        'h: 'r,
    {
        self.meta
            .split(hay)
            .map(move |span| hay.get(span.range()).unwrap_or(""))
    }

    /// The name of every capture group in group order (`None` for the whole match and for
    /// unnamed groups), as `regex::Regex::capture_names` gives them.
    pub(crate) fn capture_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.meta
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
    }
}

/// The syntax tree of a rule regex, parsed with the settings [`build`] uses (any setting added
/// there must be added here): the mapper's literal prefilter reads what every match needs from
/// it, and is sound only if it reads the regex that is built.
pub(crate) fn syntax(src: &str) -> Option<regex_syntax::hir::Hir> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(src)
        .ok()
}

/// The capture group names of a pattern, in group order, from its syntax tree alone: the
/// cheap part of a build (no Unicode tables, no automata). A pattern that does not parse gives
/// the message [`build`] would give. Errors found only later in a build (an unknown Unicode
/// class, the size limit) are not seen here: only the shipped rules are checked this way, and a
/// test builds every one of them.
pub(crate) fn check(src: &str) -> Result<Vec<String>, String> {
    // The regex crate parses with these defaults (nest limit 250, no octal, no `x` flag);
    // case-insensitivity only matters after parsing.
    let ast = regex_syntax::ast::parse::Parser::new()
        .parse(src)
        .map_err(|e| regex_syntax::Error::from(e).to_string())?;
    Ok(regex_syntax::ast::visit(&ast, Names(Vec::new())).unwrap_or_default())
}

/// Collects capture names in the order their groups open.
struct Names(Vec<String>);

impl regex_syntax::ast::Visitor for Names {
    type Output = Vec<String>;
    type Err = std::convert::Infallible;

    fn finish(self) -> Result<Vec<String>, Self::Err> {
        Ok(self.0)
    }

    fn visit_pre(&mut self, ast: &regex_syntax::ast::Ast) -> Result<(), Self::Err> {
        if let regex_syntax::ast::Ast::Group(g) = ast {
            if let regex_syntax::ast::GroupKind::CaptureName { name, .. } = &g.kind {
                self.0.push(name.name.clone());
            }
        }
        Ok(())
    }
}

/// A regex built on first use (or at once, for a user's rules). Derefs to [`Regex`], so
/// `re.is_match(text)` and `&re` where a `&Regex` is wanted work as before.
#[derive(Clone)]
pub(crate) struct LazyRegex {
    src: Box<str>,
    /// The capture group names, in group order (unnamed groups left out).
    names: Box<[String]>,
    re: OnceLock<Regex>,
}

impl LazyRegex {
    /// Parses a pattern now ([`check`]) and leaves the build to the first search.
    pub(crate) fn lazy(src: &str) -> Result<LazyRegex, String> {
        #[cfg(test)]
        LAZY.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(src.into());
        Ok(LazyRegex {
            src: src.into(),
            names: check(src)?.into(),
            re: OnceLock::new(),
        })
    }

    /// Builds a pattern now ([`build`]), so every error, the size limit included, shows now.
    pub(crate) fn eager(src: &str) -> Result<LazyRegex, String> {
        let re = build(src).map_err(|e| e.to_string())?;
        let names = re.capture_names().flatten().map(str::to_string).collect();
        let cell = OnceLock::new();
        let _ = cell.set(re);
        Ok(LazyRegex {
            src: src.into(),
            names,
            re: cell,
        })
    }

    /// The capture group names in group order, without building the regex.
    pub(crate) fn group_names(&self) -> &[String] {
        &self.names
    }

    /// The compiled regex, building it now if this is the first use of its pattern.
    pub(crate) fn get(&self) -> &Regex {
        self.re.get_or_init(|| shared_build(&self.src))
    }

    /// The pattern as written, without building it.
    pub(crate) fn as_str(&self) -> &str {
        &self.src
    }

    /// Whether the regex has been built yet (for tests of the laziness itself).
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.re.get().is_some()
    }

    /// [`Regex::is_match`].
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        self.get().is_match(haystack)
    }
}

/// The lazy regexes built so far in this process, by pattern. A [`Regex`] clone shares the
/// compiled program; the map holds at most one entry per distinct shipped pattern.
static BUILT: LazyLock<Mutex<foldhash::HashMap<Box<str>, Regex>>> =
    LazyLock::new(|| Mutex::new(foldhash::HashMap::default()));

/// [`build`] once per pattern per process: a pattern built before (for another rule) is shared.
/// The build itself runs without the lock, so threads building different patterns do not wait
/// for each other; two threads racing on one pattern both build it and keep the first.
fn shared_build(src: &str) -> Regex {
    let known = BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(src)
        .cloned();
    if let Some(re) = known {
        return re;
    }
    let re = match build(src) {
        Ok(re) => re,
        // Only the shipped rules are lazy, and a test builds every one of them: match
        // nothing rather than panic if that ever fails.
        Err(_) => never(),
    };
    #[cfg(test)]
    BUILDS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(src.into());
    BUILT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(src.into())
        .or_insert(re)
        .clone()
}

/// Every pattern made lazy so far (the shipped rules' patterns once they are loaded), for
/// tests over every shipped pattern.
#[cfg(test)]
pub(crate) static LAZY: Mutex<std::collections::BTreeSet<Box<str>>> =
    Mutex::new(std::collections::BTreeSet::new());

/// Every pattern [`shared_build`] built, in order (for tests of the sharing).
#[cfg(test)]
static BUILDS: Mutex<Vec<Box<str>>> = Mutex::new(Vec::new());

/// A regex that matches nothing (the empty class).
fn never() -> Regex {
    static NEVER: OnceLock<Regex> = OnceLock::new();
    NEVER
        .get_or_init(|| build(r"[^\s\S]").unwrap_or_else(|_| unreachable!()))
        .clone()
}

impl Deref for LazyRegex {
    type Target = Regex;
    fn deref(&self) -> &Regex {
        self.get()
    }
}

impl fmt::Debug for LazyRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LazyRegex").field(&self.as_str()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_in_group_order_and_match_the_built_regex() {
        let src = r"(?P<a>x)(y)(?:(?P<b>z)|(?<c>w))*";
        let names = check(src).unwrap();
        let built: Vec<String> = build(src)
            .unwrap()
            .capture_names()
            .flatten()
            .map(str::to_string)
            .collect();
        assert_eq!(names, built);
        assert_eq!(names, ["a", "b", "c"]);
    }

    #[test]
    fn check_gives_the_message_build_gives() {
        for src in [
            r"(?P<n>a",
            r"(?z)a",
            r"(?P<n>a)(?P<n>b)",
            r"a{2,1}",
            r"[z-a]",
        ] {
            let checked = check(src).unwrap_err();
            let built = build(src).unwrap_err().to_string();
            assert_eq!(checked, built, "{src}");
        }
    }

    #[test]
    fn a_lazy_regex_is_built_on_first_search_and_matches_case_insensitively() {
        let re = LazyRegex::lazy(r"\bservice\s+(?P<what>desk)\b").unwrap();
        assert!(!re.is_built());
        assert_eq!(re.group_names(), ["what"]);
        assert_eq!(re.as_str(), r"\bservice\s+(?P<what>desk)\b");
        assert!(!re.is_built());
        assert!(re.is_match("Our SERVICE  Desk"));
        assert!(re.is_built());
        assert_eq!(re.find("a service desk").map(|m| m.start()), Some(2));
    }

    #[test]
    fn rules_with_one_pattern_share_one_build() {
        // A pattern no other test uses, so the count below is this test's alone.
        let src = r"\bshared\s+(?P<w>build)\b once";
        let builds = || {
            BUILDS
                .lock()
                .unwrap()
                .iter()
                .filter(|b| &***b == src)
                .count()
        };
        let (a, b) = (LazyRegex::lazy(src).unwrap(), LazyRegex::lazy(src).unwrap());
        assert_eq!(builds(), 0);
        assert!(a.is_match("a Shared BUILD once"));
        assert_eq!(builds(), 1);
        assert!(!b.is_built());
        let caps = b.captures("shared  build once").unwrap();
        assert_eq!(caps.name("w").map(|m| m.range()), Some(8..13));
        assert!(b.is_built());
        assert_eq!(builds(), 1);
        assert_eq!(a.as_str(), b.as_str());
    }

    #[test]
    fn a_pattern_too_big_to_build_matches_nothing_instead_of_panicking() {
        let src = r"\w{1000}\w{1000}\w{1000}";
        assert!(LazyRegex::eager(src).is_err());
        let re = LazyRegex::lazy(src).unwrap();
        assert!(!re.is_match(&"a".repeat(3000)));
        assert!(never().find("anything at all\n").is_none());
    }
}
