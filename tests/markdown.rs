//! The Markdown reader on the shapes clients' handbooks and Confluence or Notion exports state
//! facts in: label lines inside one paragraph, HTML tables and lists, callouts and container
//! fences, Mermaid org charts, front matter. Each fixture is a small page of the kind it stands
//! for.

use orgprofile::document::{Block, BlockKind, Document, Format, Region, Table};
use orgprofile::read::{self, Limits, ReadError};
use std::time::{Duration, Instant};

fn read_md(text: &str) -> Document {
    read::read_bytes(
        text.as_bytes(),
        "handbook.md",
        Some(Format::Markdown),
        &Limits::default(),
    )
    .expect("markdown reads")
}

fn lines(block: &Block) -> Vec<&str> {
    block.lines().collect()
}

fn only_table(doc: &Document) -> (&Block, &Table) {
    let tables: Vec<(&Block, &Table)> = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some((b, t)),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 1, "{:#?}", doc.blocks);
    tables[0]
}

fn cell_texts(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

/// (kind, text, locator) of every block, for whole-document assertions.
fn outline(doc: &Document) -> Vec<(String, String, String)> {
    doc.blocks
        .iter()
        .map(|b| {
            let kind = match &b.kind {
                BlockKind::Heading { level } => format!("h{level}"),
                BlockKind::Paragraph => "p".into(),
                BlockKind::ListItem { depth, number } => {
                    format!("li{depth}{}", number.as_deref().unwrap_or(""))
                }
                BlockKind::Table(_) => "table".into(),
            };
            (kind, b.text.clone(), b.locator.to_string())
        })
        .collect()
}

// ---------------------------------------------------------------- lines inside one block

const PROFILE_PAGE: &str = "# Company profile

Legal name: Northwind Services B.V.
Industry: Managed IT services
Employees: 85

Our service desk is open
from 08:00 to 18:00.

Registered office:  
Keizersgracht 1\\
Amsterdam

| Contact | Details |
|---|---|
| Service owner | Jane Smith<br>jane@northwind.example |
";

#[test]
fn label_lines_of_one_paragraph_are_its_lines() {
    let doc = read_md(PROFILE_PAGE);
    let facts = &doc.blocks[1];
    assert_eq!(facts.kind, BlockKind::Paragraph);
    // The text is what it always was...
    assert_eq!(
        facts.text,
        "Legal name: Northwind Services B.V. Industry: Managed IT services Employees: 85"
    );
    // ...and the line structure is kept beside it.
    assert_eq!(
        lines(facts),
        [
            "Legal name: Northwind Services B.V.",
            "Industry: Managed IT services",
            "Employees: 85"
        ]
    );
    assert_eq!(facts.breaks, [35, 65]);
    // Wrapped prose is lines too; hard breaks (two spaces, a backslash) as soft ones.
    assert_eq!(
        lines(&doc.blocks[2]),
        ["Our service desk is open", "from 08:00 to 18:00."]
    );
    assert_eq!(
        lines(&doc.blocks[3]),
        ["Registered office:", "Keizersgracht 1", "Amsterdam"]
    );
    // A one-line block has no breaks and one line.
    assert!(doc.blocks[0].breaks.is_empty());
    assert_eq!(lines(&doc.blocks[0]), ["Company profile"]);
}

#[test]
fn a_br_in_a_table_cell_is_a_line_of_the_cell() {
    let doc = read_md(PROFILE_PAGE);
    let (_, t) = only_table(&doc);
    let cell = &t.rows[1][1];
    assert_eq!(cell.text, "Jane Smith jane@northwind.example");
    assert_eq!(
        cell.lines().collect::<Vec<_>>(),
        ["Jane Smith", "jane@northwind.example"]
    );
    assert!(t.rows[1][0].breaks.is_empty());
}

#[test]
fn breaks_at_the_ends_or_doubled_are_no_lines_of_their_own() {
    let doc = read_md("Owner:<br><br>\nJane Smith<br>\n\n<br>Alone\n");
    assert_eq!(lines(&doc.blocks[0]), ["Owner:", "Jane Smith"]);
    assert_eq!(lines(&doc.blocks[1]), ["Alone"]);
    assert!(doc.blocks[1].breaks.is_empty());
}

#[test]
fn json_shows_breaks_only_where_there_are_some() {
    let doc = read_md("One line\n\nTwo\nlines\n");
    let json = serde_json::to_value(&doc).unwrap();
    assert!(json["blocks"][0].get("breaks").is_none(), "{json}");
    assert_eq!(json["blocks"][1]["breaks"], serde_json::json!([3]));
}

// ---------------------------------------------------------------- HTML in Markdown

/// What a Confluence page exported to Markdown looks like: the table kept as Confluence's
/// HTML, with classes, `<colgroup>`, `<p>` and `<br/>` inside cells, an unquoted attribute and
/// entities.
const CONFLUENCE_CONTACTS: &str = r#"# Service contacts

<div class="table-wrap">
<table class="confluenceTable"><colgroup><col /><col /><col /></colgroup>
<tbody>
<tr>
<th class="confluenceTh"><p>Role</p></th>
<th class="confluenceTh"><p>Name</p></th>
<th class="confluenceTh"><p>Contact</p></th>
</tr>
<tr>
<td class="confluenceTd"><p>Service owner</p></td>
<td class="confluenceTd">Jane&nbsp;Smith</td>
<td class="confluenceTd">jane@northwind.example<br/>+31 20 123 4567</td>
</tr>
<tr>
<td class=confluenceTd colspan=2>Escalation &amp; <strong>major</strong> incidents</td>
<td class="confluenceTd"><ul><li>Tom Lee</li><li>Ann Ng</li></ul></td>
</tr>
</tbody>
</table>
</div>

Last reviewed by the SMS manager.
"#;

#[test]
fn a_confluence_table_is_a_table_with_its_header_row() {
    let doc = read_md(CONFLUENCE_CONTACTS);
    let (block, t) = only_table(&doc);
    assert_eq!(block.locator.to_string(), "line 4");
    assert_eq!(block.region, Region::Body);
    assert_eq!(
        cell_texts(t),
        vec![
            vec!["Role", "Name", "Contact"],
            vec![
                "Service owner",
                "Jane Smith",
                "jane@northwind.example +31 20 123 4567"
            ],
            vec!["Escalation & major incidents", "Tom Lee Ann Ng"],
        ]
    );
    // Cells are located as GFM cells are: the line of the cell, its column.
    assert_eq!(t.rows[0][0].locator.to_string(), "line 7 column 1");
    assert_eq!(t.rows[1][2].locator.to_string(), "line 14 column 3");
    assert_eq!(
        t.rows[1][2].lines().collect::<Vec<_>>(),
        ["jane@northwind.example", "+31 20 123 4567"]
    );
    assert_eq!(
        t.rows[2][1].lines().collect::<Vec<_>>(),
        ["Tom Lee", "Ann Ng"]
    );
    // The text around the table is still there, in order.
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Service contacts", "", "Last reviewed by the SMS manager."]
    );
}

#[test]
fn a_table_split_by_blank_lines_and_missing_end_tags_is_still_one_table() {
    // Pretty-printed exports leave blank lines inside tables (each ends a Markdown HTML block),
    // and hand-written HTML leaves out end tags.
    let doc = read_md(
        "<table>\n<tr><th>Site<th>City\n\n<tr><td>HQ<td>Utrecht\n\n<tr><td>DC<td>Amsterdam\n</table>\n\nAfter\n",
    );
    let (_, t) = only_table(&doc);
    assert_eq!(
        cell_texts(t),
        vec![
            vec!["Site", "City"],
            vec!["HQ", "Utrecht"],
            vec!["DC", "Amsterdam"]
        ]
    );
    assert_eq!(t.rows[2][1].locator.to_string(), "line 6 column 2");
    assert_eq!(doc.blocks.last().unwrap().text, "After");
}

#[test]
fn no_word_of_an_html_table_is_lost() {
    // A caption, text between cells, a nested table: all their words are kept.
    let doc = read_md(
        "<table><caption>Key staff</caption>\n<tr>stray<td>CEO</td><td><table><tr><td>Jane</td><td>Smith</td></tr></table></td></tr>\n</table>\n",
    );
    let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(texts, ["Key staff", ""]);
    let (_, t) = only_table(&doc);
    assert_eq!(cell_texts(t), vec![vec!["stray", "CEO", "Jane Smith"]]);
}

#[test]
fn html_lists_headings_and_paragraphs_are_blocks() {
    // A Notion-style export: HTML for the parts Markdown could not hold.
    let doc = read_md(
        "# Services\n\n<h2>What we run</h2>\n<p>We provide\n<ul>\n  <li>Service desk</li>\n  <li><p>Hosting</p>\n    <ul><li>Private cloud</li></ul>\n  </li>\n</ul>\n<ol start=\"3\"><li>Third<li>Fourth</ol>\n<p>Contact us.\n<p>Any time.\n",
    );
    assert_eq!(
        outline(&doc),
        vec![
            ("h1".into(), "Services".into(), "line 1".into()),
            ("h2".into(), "What we run".into(), "line 3".into()),
            ("p".into(), "We provide".into(), "line 4".into()),
            ("li0".into(), "Service desk".into(), "line 6".into()),
            ("li0".into(), "Hosting".into(), "line 7".into()),
            ("li1".into(), "Private cloud".into(), "line 8".into()),
            ("li03.".into(), "Third".into(), "line 11".into()),
            ("li04.".into(), "Fourth".into(), "line 11".into()),
            ("p".into(), "Contact us.".into(), "line 12".into()),
            ("p".into(), "Any time.".into(), "line 13".into()),
        ]
    );
}

#[test]
fn other_html_keeps_its_words_without_its_tags() {
    let doc = read_md(
        "<div class=\"panel\"><span>Owner:</span> Jane &ndash; <em>SMS</em> manager<br>Since 2021 <3</div>\n",
    );
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(doc.blocks[0].kind, BlockKind::Paragraph);
    assert_eq!(
        lines(&doc.blocks[0]),
        ["Owner: Jane \u{2013} SMS manager", "Since 2021 <3"]
    );
}

#[test]
fn html_table_cells_count_against_the_cell_limit() {
    let limits = Limits {
        max_sheet_cells: 100,
        ..Limits::default()
    };
    let row = format!("<tr>{}</tr>\n", "<td>x</td>".repeat(10));
    let md = format!(
        "| a |\n|---|\n| b |\n\n<table>\n{}</table>\n",
        row.repeat(10)
    );
    let err = read::read_bytes(md.as_bytes(), "t.md", Some(Format::Markdown), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    assert!(err.to_string().contains("line 5"), "{err}");
}

#[test]
fn deeply_nested_html_is_read_in_bounded_work() {
    let md = format!(
        "{}<li>deep{}\n\n{}x\n",
        "<ul>".repeat(50_000),
        "</ul>".repeat(50_000),
        "<table><tr><td>".repeat(20_000)
    );
    let start = Instant::now();
    let doc = read_md(&md);
    assert!(start.elapsed() < Duration::from_secs(5));
    let item = doc.blocks.iter().find(|b| b.text == "deep").unwrap();
    assert!(
        matches!(item.kind, BlockKind::ListItem { depth: 31, .. }),
        "{item:?}"
    );
    assert!(doc.blocks.iter().any(|b| match &b.kind {
        BlockKind::Table(t) => t.rows[0][0].text == "x",
        _ => false,
    }));
}

// ---------------------------------------------------------------- callouts and fences

#[test]
fn callouts_are_the_authors_text_and_quotations_stay_quotes() {
    let doc = read_md(
        "> [!NOTE]\n> Legal name: Northwind Services B.V.\n> Employees: 85\n\n> [!info]- Company facts\n> Founded: 2009\n\n> \"Northwind kept our desk running,\" said a customer.\n\n> > [!TIP] Nested in a quote\n",
    );
    let got: Vec<(Region, Vec<&str>)> = doc.blocks.iter().map(|b| (b.region, lines(b))).collect();
    assert_eq!(
        got,
        vec![
            (
                Region::Body,
                vec!["Legal name: Northwind Services B.V.", "Employees: 85"]
            ),
            (Region::Body, vec!["Company facts", "Founded: 2009"]),
            (
                Region::Quote,
                vec!["\"Northwind kept our desk running,\" said a customer."]
            ),
            (Region::Quote, vec!["Nested in a quote"]),
        ]
    );
}

#[test]
fn container_fences_are_dropped_and_their_content_kept() {
    let doc = read_md(
        ":::info\nLegal name: Northwind Services B.V.\nIndustry: Managed IT services\n:::\n\n:::note Scope\n\nThe SMS covers the service desk.\n\n- Hosting\n- Backup\n\n:::\n\nNot a fence: a::: b\n",
    );
    assert_eq!(
        outline(&doc),
        vec![
            (
                "p".into(),
                "Legal name: Northwind Services B.V. Industry: Managed IT services".into(),
                "line 1".into()
            ),
            ("p".into(), "Scope".into(), "line 6".into()),
            (
                "p".into(),
                "The SMS covers the service desk.".into(),
                "line 8".into()
            ),
            ("li0".into(), "Hosting".into(), "line 10".into()),
            ("li0".into(), "Backup".into(), "line 11".into()),
            ("p".into(), "Not a fence: a::: b".into(), "line 15".into()),
        ]
    );
    assert_eq!(
        lines(&doc.blocks[0]),
        [
            "Legal name: Northwind Services B.V.",
            "Industry: Managed IT services"
        ]
    );
    assert!(doc.blocks.iter().all(|b| b.region == Region::Body));
}

#[test]
fn fences_inside_code_stay_code() {
    let doc = read_md("```\n:::info\n```\n");
    assert_eq!(doc.blocks[0].text, ":::info");
}

// ---------------------------------------------------------------- Mermaid org charts

const ORG_CHART: &str = r#"## Organisation

```mermaid
graph TD
    %% Leadership
    CEO["Jane Smith<br>Chief Executive Officer"]
    CEO --> CTO(Tom Lee - CTO)
    CEO --> CFO{Ann Ng<br/>CFO}
    CTO --> SD[["Priya Patel<br>Service Desk Manager"]]
    classDef exec fill:#f9f
    class CEO exec
```
"#;

#[test]
fn a_mermaid_org_chart_gives_one_list_item_per_person() {
    let doc = read_md(ORG_CHART);
    let items: Vec<(u8, Vec<&str>, String)> = doc.blocks[1..]
        .iter()
        .map(|b| match &b.kind {
            BlockKind::ListItem {
                depth,
                number: None,
            } => (*depth, lines(b), b.locator.to_string()),
            other => panic!("not a list item: {other:?}"),
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (
                0,
                vec!["Jane Smith", "Chief Executive Officer"],
                "line 6".into()
            ),
            (1, vec!["Tom Lee - CTO"], "line 7".into()),
            (
                2,
                vec!["Priya Patel", "Service Desk Manager"],
                "line 9".into()
            ),
            (1, vec!["Ann Ng", "CFO"], "line 8".into()),
        ]
    );
}

#[test]
fn other_code_blocks_stay_paragraphs_of_their_code() {
    let doc = read_md(
        "```mermaid\nsequenceDiagram\n  Desk->>Ops: escalate\n```\n\n```mermaid\ngraph LR\n  A --> B\n```\n\n```sh\norgprofile run\n```\n",
    );
    let texts: Vec<(&BlockKind, &str)> = doc
        .blocks
        .iter()
        .map(|b| (&b.kind, b.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        vec![
            (
                &BlockKind::Paragraph,
                "sequenceDiagram Desk->>Ops: escalate"
            ),
            (&BlockKind::Paragraph, "graph LR A --> B"),
            (&BlockKind::Paragraph, "orgprofile run"),
        ]
    );
    assert!(doc.blocks.iter().all(|b| b.breaks.is_empty()));
}

// ---------------------------------------------------------------- front matter

#[test]
fn front_matter_organisation_keys_go_to_the_properties() {
    for key in ["company", "organization", "organisation"] {
        let doc = read_md(&format!(
            "---\ntitle: Employee handbook\n{key}: Northwind Services B.V.\n---\n# Welcome\n"
        ));
        assert_eq!(
            doc.metadata.properties.get(key).map(String::as_str),
            Some("Northwind Services B.V."),
            "{key}"
        );
        assert_eq!(doc.metadata.title.as_deref(), Some("Employee handbook"));
    }
}

// ---------------------------------------------------------------- orgprofile extract

#[test]
fn extract_outline_shows_the_lines_of_a_block() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.md");
    std::fs::write(&path, PROFILE_PAGE).unwrap();
    let out = assert_cmd::Command::cargo_bin("orgprofile")
        .unwrap()
        .arg("extract")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Legal name: Northwind Services B.V. ⏎ Industry: Managed IT services ⏎ Employees: 85    (line 3)"),
        "{text}"
    );
    assert!(
        text.contains("line 16 column 2: Jane Smith ⏎ jane@northwind.example"),
        "{text}"
    );
}

#[test]
fn a_short_paragraph_all_in_bold_is_a_heading_below_the_last() {
    let doc = read_md(
        "# Board paper\n\n**Why certify**\n\n1. Tenders ask for it.\n\n\
__Resources__\n\n**Approved by the board.**\n\n**Owner:** Jane Smith\n\n> **Quoted**\n",
    );
    let got: Vec<(String, String)> = outline(&doc)
        .into_iter()
        .map(|(kind, text, _)| (kind, text))
        .collect();
    let want = [
        ("h1", "Board paper"),
        ("h2", "Why certify"),
        ("li01.", "Tenders ask for it."),
        ("h2", "Resources"),
        // A sentence, a label with its value and a quotation stay as they are.
        ("p", "Approved by the board."),
        ("p", "Owner: Jane Smith"),
    ];
    for (i, (kind, text)) in want.iter().enumerate() {
        assert_eq!(
            (got[i].0.as_str(), got[i].1.as_str()),
            (*kind, *text),
            "{got:?}"
        );
    }
    assert_ne!(got.last().map(|g| g.0.as_str()), Some("h2"), "{got:?}");
}
