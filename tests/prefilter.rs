//! The mapper's literal prefilter, through the public API: takes pattern rules whose regexes
//! need literals (exact words, words in any case, words next to `\b`, optional parts) and
//! documents of paragraphs and table cells made of those words, characters that case-fold to
//! ASCII letters (the Kelvin sign, the long s) and other odd characters; checks that a rule
//! yields a candidate exactly when its regex matches one of the document's usable texts, as if
//! every regex ran on every text.

use orgprofile::document::{
    Block, BlockKind, Cell, Document, Format, Locator, Metadata, Region, Table,
};
use orgprofile::map::{map_document, Rules};
use proptest::prelude::*;

/// The rules' regexes: each needs literals, so the prefilter decides for it.
const REGEXES: &[&str] = &[
    r"\bkelvin\b",
    r"(?-i:(?:Ltd|SE|AG))\b",
    r"\bJira\s+Service\s+Management\b",
    r"(?:sponsor|owner)ship",
    r"\bask(?:ed)?\s+desk\b",
    r"class(?:ic)?",
    r"stra\u{DF}e",
    r"caf\u{E9}",
    r"(?-i:Kelvin)",
    r"(?:^|\.\s+)head(?:quartered)?\s+in\b",
    r"ss[kK]\w*s",
    r"(?:x|)yzzy",
];

/// Pieces texts are made of.
const PIECES: &[&str] = &[
    "kelvin",
    "\u{212A}elvin",
    "KELVIN",
    "Kelvin",
    "Ltd",
    "LTD",
    "SE",
    "se",
    "AG",
    "Jira",
    "service",
    "Management",
    "sponsor",
    "ownership",
    "ſhip",
    "ship",
    "asked",
    "a\u{17F}k",
    "desk",
    "de\u{17F}\u{212A}",
    "class",
    "cla\u{17F}\u{17F}ic",
    "stra\u{DF}e",
    "STRA\u{1E9E}E",
    "caf\u{E9}",
    "CAF\u{C9}",
    "head",
    "headquartered",
    "in",
    "ss\u{212A}ies",
    "xyzzy",
    "yzzy",
    "\u{130}",
    "\u{131}",
    "\u{FF33}\u{FF25}",
    "\u{0}",
    ".",
    " ",
    " ",
    "  ",
    "\t",
    "\u{A0}",
];

fn rules() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut toml = String::new();
        for (i, re) in REGEXES.iter().enumerate() {
            toml.push_str(&format!(
                "[[pattern]]\nid = \"p{i}\"\ntarget = \"/service_management_maturity/itsm_tools\"\ncells = true\nregex = '{re}'\nvalue = \"found\"\n\n"
            ));
        }
        Rules::from_toml("prefilter.toml", &toml).unwrap_or_else(|e| panic!("rules:\n{e}"))
    })
}

fn paragraph(text: String, index: u32) -> Block {
    Block {
        kind: BlockKind::Paragraph,
        text,
        breaks: Vec::new(),
        locator: Locator::Paragraph {
            part: "word/document.xml".into(),
            index,
        },
        region: Region::Body,
        highlighted: false,
    }
}

fn table(cells: Vec<String>) -> Block {
    let row = cells
        .into_iter()
        .enumerate()
        .map(|(c, text)| Cell {
            text,
            breaks: Vec::new(),
            locator: Locator::TableCell {
                part: "word/document.xml".into(),
                table: 1,
                row: 1,
                col: u32::try_from(c).unwrap_or(u32::MAX) + 1,
            },
            highlighted: false,
            note: None,
        })
        .collect();
    Block {
        kind: BlockKind::Table(Table {
            sheet: None,
            name: None,
            hidden: false,
            rows: vec![row],
        }),
        text: String::new(),
        breaks: Vec::new(),
        locator: Locator::Table {
            part: "word/document.xml".into(),
            table: 1,
        },
        region: Region::Body,
        highlighted: false,
    }
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_pattern_rule_finds_what_its_regex_matches_in_any_text(
        paragraphs in prop::collection::vec(text(), 0..6),
        cells in prop::collection::vec(text(), 0..4),
        repeat in any::<bool>(),
    ) {
        let mut paragraphs = paragraphs;
        if repeat {
            // The same text twice (scanned once).
            if let Some(p) = paragraphs.first().cloned() {
                paragraphs.push(p);
            }
        }
        let mut blocks: Vec<Block> = paragraphs
            .iter()
            .enumerate()
            .map(|(i, t)| paragraph(t.clone(), u32::try_from(i).unwrap_or(0) + 1))
            .collect();
        blocks.push(table(cells.clone()));
        let doc = Document {
            path: "policy.docx".into(),
            format: Format::Docx,
            metadata: Metadata::default(),
            blocks,
            notes: Vec::new(),
        };
        let found = map_document(&doc, rules()).candidates;
        // What the mapper reads: trimmed texts that are not placeholders.
        let texts: Vec<&str> = paragraphs
            .iter()
            .chain(cells.iter())
            .filter(|t| !orgprofile::check::is_placeholder(t))
            .map(|t| t.trim())
            .collect();
        for (i, src) in REGEXES.iter().enumerate() {
            let re = regex::RegexBuilder::new(src)
                .case_insensitive(true)
                .build()
                .unwrap_or_else(|e| panic!("{src}: {e}"));
            let id = format!("p{i}");
            let matched = texts.iter().any(|t| re.is_match(t));
            let has = found.iter().any(|c| c.rule == id);
            prop_assert_eq!(has, matched, "{} on {:?}", src, texts);
        }
    }
}
