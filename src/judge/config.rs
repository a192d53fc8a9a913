//! The judge's vocabulary and thresholds as data: the `[judge]` table of a rule file
//! (`mappings/judge.toml` ships the defaults). Takes the raw TOML structs, gives a validated
//! [`Config`]: phrases folded once, field patterns checked, weights in range. Reads no files.

use crate::document::Region;
use crate::map::fold_whole;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The `[judge]` table of a rule file, as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawJudge {
    /// A value is taken when its score reaches this (0 to 1).
    pub accept: Option<f64>,
    /// ... and beats the best disagreeing value by this much (0 to 1).
    pub margin: Option<f64>,
    /// Values scoring below this are not suggested either (0 to 1).
    pub suggest: Option<f64>,
    /// A value weighed below this adds no support from other files (0 to 10).
    pub corroborate: Option<f64>,
    /// The share of template text above which a document is a blank template (0 to 1).
    pub template_share: Option<f64>,
    /// The weight of a value from a blank template (0 to 10).
    pub template_weight: Option<f64>,
    /// The weight of a value whose own paragraph or row holds template text (0 to 10).
    pub beside_template: Option<f64>,
    /// The weight of a classified choice whose evidence says it is the only one (0 to 10).
    pub sole_weight: Option<f64>,
    /// A value found by a regular rule silences the fallback rules for its field only when
    /// weighed at least this (0 to 10).
    pub trusted: Option<f64>,
    /// Words of a file's name that say it is a template ("template", "Vorlage"); a later
    /// table's list replaces an earlier one.
    pub template_files: Option<Vec<String>>,
    /// Kinds of text a value may come from.
    #[serde(default)]
    pub context: Vec<RawContext>,
    /// Words around a value that cast doubt on it.
    #[serde(default)]
    pub cue: Vec<RawCue>,
}

/// A kind of text, as written (`[[judge.context]]`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContext {
    /// Unique id; a later file's context with the same id replaces this one.
    pub id: String,
    /// The reason given for a value found here ("from a glossary or definitions").
    pub reason: String,
    /// Phrases of the headings of the sections this kind of text stands in.
    #[serde(default)]
    pub headings: Vec<String>,
    /// Header cells of the tables of this kind.
    #[serde(default)]
    pub table_headers: Vec<String>,
    /// Phrases the header of a value's own column opens with ("Example (delete before
    /// submitting)"): the values of that column are of this kind, the rest of the table not.
    #[serde(default)]
    pub column_headers: Vec<String>,
    /// Phrases of the block (paragraph, list item or table row) itself.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Phrases a block opens with ("Example:", "For example,"): the block is of this kind.
    #[serde(default)]
    pub openers: Vec<String>,
    /// Phrases of headings, short lines and cells anywhere in the document: with at least
    /// `min_hits` different ones, the whole document is of this kind.
    #[serde(default)]
    pub document_phrases: Vec<String>,
    /// How many different `document_phrases` make the document of this kind (default 3).
    pub min_hits: Option<usize>,
    /// Words of file names: a file whose name has one is of this kind.
    #[serde(default)]
    pub files: Vec<String>,
    /// Regions of the page: header, footer, footnote, endnote, comment, text_box, quote.
    #[serde(default)]
    pub regions: Vec<String>,
    /// The document's title (its first heading) is of this kind.
    #[serde(default)]
    pub title: bool,
    /// The block is a question (its text ends with a question mark): "Do we follow ITIL?"
    /// asks, it does not state.
    #[serde(default)]
    pub question: bool,
    /// The weight of a value found here, for every field not in `weights`.
    pub weight: f64,
    /// Weights for some fields (JSON pointer, or a prefix ending in `*`).
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Only these fields are affected (all when empty).
    #[serde(default)]
    pub only: Vec<String>,
}

/// A cue, as written (`[[judge.cue]]`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCue {
    /// Unique id; a later file's cue with the same id replaces this one.
    pub id: String,
    /// The reason given ("said of the past").
    pub reason: String,
    /// Phrases within a few words before the value.
    #[serde(default)]
    pub before: Vec<String>,
    /// Phrases right after the value.
    #[serde(default)]
    pub after: Vec<String>,
    /// Phrases anywhere in the value's clause.
    #[serde(default)]
    pub clause: Vec<String>,
    /// Phrases right before the value that cancel the cue ("replaced by" Zabbix: the new one).
    #[serde(default)]
    pub except_after: Vec<String>,
    /// Phrases of the value itself ("fully distributed" is a way of working, not an industry).
    #[serde(default)]
    pub in_value: Vec<String>,
    /// The weight of a value with the cue, for every field not in `weights`.
    pub weight: f64,
    /// Weights for some fields.
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Only these fields are affected (all when empty).
    #[serde(default)]
    pub only: Vec<String>,
}

/// Which fields a weight applies to, and how much.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldWeights {
    default: f64,
    by_field: Vec<(String, f64)>,
    only: Vec<String>,
}

impl FieldWeights {
    fn new(default: f64, by_field: &BTreeMap<String, f64>, only: &[String]) -> FieldWeights {
        // More specific patterns first: "/organization/name" before "/organization/*".
        let mut by_field: Vec<(String, f64)> =
            by_field.iter().map(|(k, v)| (k.clone(), *v)).collect();
        by_field.sort_by_key(|(k, _)| std::cmp::Reverse(k.trim_end_matches('*').len()));
        FieldWeights {
            default,
            by_field,
            only: only.to_vec(),
        }
    }

    /// The weight for `field`, or `None` when the entry does not apply to it.
    pub fn for_field(&self, field: &str) -> Option<f64> {
        if !self.only.is_empty() && !self.only.iter().any(|p| field_matches(p, field)) {
            return None;
        }
        Some(
            self.by_field
                .iter()
                .find(|(p, _)| field_matches(p, field))
                .map_or(self.default, |(_, w)| *w),
        )
    }
}

/// Whether a field pattern (a pointer, or a prefix ending in `*`) names `field`.
pub fn field_matches(pattern: &str, field: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => field.starts_with(prefix),
        None => pattern == field,
    }
}

/// A phrase folded and padded with spaces, to be found whole-word in folded, padded text.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase(String);

impl Phrase {
    fn new(text: &str) -> Option<Phrase> {
        let folded = fold_whole(text);
        (!folded.is_empty()).then(|| Phrase(format!(" {folded} ")))
    }

    /// Whether the phrase stands whole-word in `padded` (folded text with a space at each end).
    pub fn in_padded(&self, padded: &str) -> bool {
        padded.contains(&self.0)
    }

    /// Whether `padded` opens with the phrase.
    pub fn opens(&self, padded: &str) -> bool {
        padded.starts_with(&self.0)
    }

    /// The folded words, without the padding.
    pub fn words(&self) -> &str {
        self.0.trim()
    }
}

fn phrases(list: &[String]) -> Vec<Phrase> {
    list.iter().filter_map(|p| Phrase::new(p)).collect()
}

/// A kind of text, ready to use.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    /// Its id.
    pub id: String,
    /// The reason given for a value found here.
    pub reason: String,
    pub(super) headings: Vec<Phrase>,
    pub(super) table_headers: Vec<String>,
    pub(super) column_headers: Vec<Phrase>,
    pub(super) phrases: Vec<Phrase>,
    pub(super) openers: Vec<Phrase>,
    pub(super) document_phrases: Vec<Phrase>,
    pub(super) min_hits: usize,
    pub(super) files: Vec<Phrase>,
    pub(super) regions: Vec<Region>,
    pub(super) title: bool,
    pub(super) question: bool,
    /// Its weight per field.
    pub weights: FieldWeights,
}

/// A cue, ready to use.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// Its id.
    pub id: String,
    /// The reason given.
    pub reason: String,
    pub(super) before: Vec<Phrase>,
    pub(super) after: Vec<Phrase>,
    pub(super) clause: Vec<Phrase>,
    pub(super) except_after: Vec<Phrase>,
    pub(super) in_value: Vec<Phrase>,
    /// Its weight per field.
    pub weights: FieldWeights,
}

/// Phrases of several owners (contexts), found in one pass over a folded, padded text.
#[derive(Debug, Clone)]
pub struct PhraseIndex {
    searcher: Option<aho_corasick::AhoCorasick>,
    /// Per pattern: the owner (a context's index) and the phrase's number among all phrases.
    owners: Vec<usize>,
}

impl PartialEq for PhraseIndex {
    fn eq(&self, other: &Self) -> bool {
        self.owners == other.owners
    }
}

impl PhraseIndex {
    fn new<'p>(phrases: impl Iterator<Item = (usize, &'p Phrase)>) -> PhraseIndex {
        let (owners, patterns): (Vec<usize>, Vec<&str>) =
            phrases.map(|(o, p)| (o, p.0.as_str())).unzip();
        let searcher = (!patterns.is_empty())
            .then(|| aho_corasick::AhoCorasick::new(&patterns).ok())
            .flatten();
        PhraseIndex { searcher, owners }
    }

    /// The padded phrases that stand whole-word in `padded`, as slices of it.
    pub fn found<'t>(&self, padded: &'t str) -> std::collections::HashSet<&'t str> {
        let Some(ac) = &self.searcher else {
            return Default::default();
        };
        ac.find_overlapping_iter(padded)
            .filter_map(|m| padded.get(m.start()..m.end()))
            .collect()
    }

    /// Whether `phrase` is among the phrases [`PhraseIndex::found`] gave.
    pub fn holds(found: &std::collections::HashSet<&str>, phrase: &Phrase) -> bool {
        found.contains(phrase.0.as_str())
    }

    /// Every (owner, phrase number) whose phrase stands whole-word in `padded` (folded text
    /// with a space at each end; see [`Phrase::in_padded`]).
    pub fn hits(&self, padded: &str) -> Vec<(usize, usize)> {
        let Some(ac) = &self.searcher else {
            return Vec::new();
        };
        let mut out: Vec<(usize, usize)> = ac
            .find_overlapping_iter(padded)
            .filter_map(|m| {
                let p = m.pattern().as_usize();
                self.owners.get(p).map(|o| (*o, p))
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The judge's configuration: thresholds, kinds of text and cues.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// A value is taken when its score reaches this.
    pub accept: f64,
    /// ... and beats the best disagreeing value by this much.
    pub margin: f64,
    /// Values below this score are not suggested.
    pub suggest: f64,
    /// A value weighed below this adds no support from other files.
    pub corroborate: f64,
    /// The share of template text above which a document is a blank template.
    pub template_share: f64,
    /// The weight of a value from a blank template.
    pub template_weight: f64,
    /// The weight of a value whose own paragraph or row holds template text.
    pub beside_template: f64,
    /// The weight of a classified choice whose evidence says it is the only one.
    pub sole_weight: f64,
    /// The weight from which a regular rule's value silences the fallbacks for its field.
    pub trusted: f64,
    /// Words of a file's name that say it is a template.
    pub template_files: Vec<Phrase>,
    /// Kinds of text.
    pub contexts: Vec<Context>,
    /// Cues.
    pub cues: Vec<Cue>,
    /// The contexts' heading phrases, one automaton.
    pub(super) heading_index: PhraseIndex,
    /// The contexts' block phrases.
    pub(super) phrase_index: PhraseIndex,
    /// The contexts' document phrases.
    pub(super) document_index: PhraseIndex,
    /// The cues' `before` and `clause` phrases: which of them a clause holds at all, found in
    /// one pass before any is looked for around a value (x0.6 judge instructions).
    pub(super) cue_index: PhraseIndex,
}

/// The shipped judge table (`mappings/judge.toml`).
pub const DEFAULT_JUDGE: &str = include_str!("../../mappings/judge.toml");

/// The whole of `mappings/judge.toml`: a rule file with only a `[judge]` table.
#[derive(Deserialize)]
struct JudgeFile {
    judge: RawJudge,
}

impl Default for Config {
    fn default() -> Config {
        // The shipped table is tested to parse and validate (see the tests below), so the
        // fallback to no contexts and cues is never taken.
        toml::from_str::<JudgeFile>(DEFAULT_JUDGE)
            .ok()
            .and_then(|f| Config::build(&[f.judge]).ok())
            .unwrap_or_else(Config::bare)
    }
}

fn region(name: &str) -> Option<Region> {
    Some(match name {
        "body" => Region::Body,
        "header" => Region::Header,
        "footer" => Region::Footer,
        "footnote" => Region::Footnote,
        "endnote" => Region::Endnote,
        "comment" => Region::Comment,
        "text_box" => Region::TextBox,
        "quote" => Region::Quote,
        _ => return None,
    })
}

fn check_weight(what: &str, w: f64, errors: &mut Vec<String>) {
    if !(0.0..=10.0).contains(&w) || w.is_nan() {
        errors.push(format!("{what}: weight {w} is out of range; write a number from 0 to 10 (1 changes nothing, 0.1 weighs a value down tenfold)"));
    }
}

fn check_share(what: &str, v: Option<f64>, errors: &mut Vec<String>) {
    if let Some(v) = v {
        if !(0.0..=1.0).contains(&v) || v.is_nan() {
            errors.push(format!(
                "judge.{what} = {v} is out of range; write a number from 0 to 1"
            ));
        }
    }
}

fn check_fields(what: &str, patterns: impl Iterator<Item = String>, errors: &mut Vec<String>) {
    for p in patterns {
        let known = crate::profile::FIELDS
            .iter()
            .chain([&crate::profile::PEOPLE])
            .any(|f| field_matches(&p, f.pointer));
        if !known {
            errors.push(format!(
                "{what}: \"{p}\" names no field of the profile; write a JSON pointer such as \"/organization/name\" or a prefix such as \"/key_roles/*\" (`orgprofile schema shapes` lists the fields; \"/people\" is the directory of people)"
            ));
        }
    }
}

impl Config {
    /// No contexts or cues, default thresholds.
    fn bare() -> Config {
        Config {
            accept: 0.5,
            margin: 0.15,
            suggest: 0.12,
            corroborate: 0.5,
            template_share: 0.3,
            template_weight: 0.3,
            beside_template: 0.5,
            sole_weight: 2.0,
            trusted: 0.5,
            template_files: Vec::new(),
            contexts: Vec::new(),
            cues: Vec::new(),
            heading_index: PhraseIndex::new(std::iter::empty()),
            phrase_index: PhraseIndex::new(std::iter::empty()),
            document_index: PhraseIndex::new(std::iter::empty()),
            cue_index: PhraseIndex::new(std::iter::empty()),
        }
    }

    /// Builds the configuration from `[judge]` tables in order: a later table's thresholds
    /// replace earlier ones; a context or cue with an id already seen replaces it. Gives every
    /// problem found, in words, or the configuration.
    pub fn build(layers: &[RawJudge]) -> Result<Config, Vec<String>> {
        let mut config = Config::bare();
        let mut errors = Vec::new();
        for raw in layers {
            check_share("accept", raw.accept, &mut errors);
            check_share("margin", raw.margin, &mut errors);
            check_share("suggest", raw.suggest, &mut errors);
            check_share("template_share", raw.template_share, &mut errors);
            config.accept = raw.accept.unwrap_or(config.accept);
            config.margin = raw.margin.unwrap_or(config.margin);
            config.suggest = raw.suggest.unwrap_or(config.suggest);
            if let Some(w) = raw.corroborate {
                check_weight("judge.corroborate", w, &mut errors);
            }
            config.corroborate = raw.corroborate.unwrap_or(config.corroborate);
            config.template_share = raw.template_share.unwrap_or(config.template_share);
            for (what, v) in [
                ("template_weight", raw.template_weight),
                ("beside_template", raw.beside_template),
                ("sole_weight", raw.sole_weight),
                ("trusted", raw.trusted),
            ] {
                if let Some(w) = v {
                    check_weight(&format!("judge.{what}"), w, &mut errors);
                }
            }
            config.template_weight = raw.template_weight.unwrap_or(config.template_weight);
            config.beside_template = raw.beside_template.unwrap_or(config.beside_template);
            config.sole_weight = raw.sole_weight.unwrap_or(config.sole_weight);
            config.trusted = raw.trusted.unwrap_or(config.trusted);
            if let Some(words) = &raw.template_files {
                config.template_files = phrases(words);
            }
            for c in &raw.context {
                let what = format!("judge.context \"{}\"", c.id);
                check_weight(&what, c.weight, &mut errors);
                for (f, w) in &c.weights {
                    check_weight(&format!("{what} weights.\"{f}\""), *w, &mut errors);
                }
                check_fields(&what, c.weights.keys().chain(&c.only).cloned(), &mut errors);
                let mut regions = Vec::new();
                for r in &c.regions {
                    match region(r) {
                        Some(r) => regions.push(r),
                        None => errors.push(format!("{what}: unknown region \"{r}\"; write one of body, header, footer, footnote, endnote, comment, text_box, quote")),
                    }
                }
                let context = Context {
                    id: c.id.clone(),
                    reason: c.reason.clone(),
                    headings: phrases(&c.headings),
                    table_headers: c.table_headers.iter().map(|h| fold_whole(h)).collect(),
                    column_headers: phrases(&c.column_headers),
                    phrases: phrases(&c.phrases),
                    openers: phrases(&c.openers),
                    document_phrases: phrases(&c.document_phrases),
                    min_hits: c.min_hits.unwrap_or(3).max(1),
                    files: phrases(&c.files),
                    regions,
                    title: c.title,
                    question: c.question,
                    weights: FieldWeights::new(c.weight, &c.weights, &c.only),
                };
                match config.contexts.iter_mut().find(|x| x.id == c.id) {
                    Some(slot) => *slot = context,
                    None => config.contexts.push(context),
                }
            }
            for c in &raw.cue {
                let what = format!("judge.cue \"{}\"", c.id);
                check_weight(&what, c.weight, &mut errors);
                for (f, w) in &c.weights {
                    check_weight(&format!("{what} weights.\"{f}\""), *w, &mut errors);
                }
                check_fields(&what, c.weights.keys().chain(&c.only).cloned(), &mut errors);
                let cue = Cue {
                    id: c.id.clone(),
                    reason: c.reason.clone(),
                    before: phrases(&c.before),
                    after: phrases(&c.after),
                    clause: phrases(&c.clause),
                    except_after: phrases(&c.except_after),
                    in_value: phrases(&c.in_value),
                    weights: FieldWeights::new(c.weight, &c.weights, &c.only),
                };
                match config.cues.iter_mut().find(|x| x.id == c.id) {
                    Some(slot) => *slot = cue,
                    None => config.cues.push(cue),
                }
            }
        }
        let index = |pick: fn(&Context) -> &Vec<Phrase>, contexts: &[Context]| {
            PhraseIndex::new(
                contexts
                    .iter()
                    .enumerate()
                    .flat_map(move |(i, c)| pick(c).iter().map(move |p| (i, p))),
            )
        };
        config.heading_index = index(|c| &c.headings, &config.contexts);
        config.phrase_index = index(|c| &c.phrases, &config.contexts);
        config.document_index = index(|c| &c.document_phrases, &config.contexts);
        config.cue_index = PhraseIndex::new(
            config
                .cues
                .iter()
                .enumerate()
                .flat_map(|(i, c)| c.before.iter().chain(&c.clause).map(move |p| (i, p))),
        );
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_judge_table_parses_and_validates() {
        let file: JudgeFile = toml::from_str(DEFAULT_JUDGE).expect("judge.toml parses");
        let config = Config::build(&[file.judge]).expect("judge.toml validates");
        assert!(config.contexts.iter().any(|c| c.id == "glossary"));
        assert!(config.cues.iter().any(|c| c.id == "past"));
        assert_eq!(Config::default(), config);
    }

    #[test]
    fn weights_pick_the_most_specific_pattern_and_respect_only() {
        let mut by = BTreeMap::new();
        by.insert("/organization/*".to_string(), 0.5);
        by.insert("/organization/name".to_string(), 0.02);
        let w = FieldWeights::new(0.2, &by, &[]);
        assert_eq!(w.for_field("/organization/name"), Some(0.02));
        assert_eq!(w.for_field("/organization/size"), Some(0.5));
        assert_eq!(w.for_field("/technology"), Some(0.2));
        let only = FieldWeights::new(0.2, &BTreeMap::new(), &["/technology".to_string()]);
        assert_eq!(only.for_field("/locations"), None);
    }

    #[test]
    fn bad_values_are_reported_in_words() {
        let raw: JudgeFile = toml::from_str(
            "[judge]\naccept = 2.0\n[[judge.context]]\nid = \"x\"\nreason = \"r\"\nweight = -1\nonly = [\"/nope\"]\nregions = [\"margin\"]\n",
        )
        .unwrap();
        let errors = Config::build(&[raw.judge]).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert!(errors.iter().any(|e| e.contains("judge.accept = 2")));
        assert!(errors.iter().any(|e| e.contains("names no field")));
    }
}
