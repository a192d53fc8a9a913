//! Mapping rules: each rule kind from literal documents, the shipped defaults on documents in
//! the shape of real vendor exports and policies, and rule-file validation (message and
//! position of every error, all reported at once).

use orgprofile::document::{
    Block, BlockKind, Cell, Document, Format, Locator, Metadata, Region, Table,
};
use orgprofile::map::{map_document, Candidate, HintKind, MatchKind, Rules};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers: documents from literals

fn doc(path: &str, format: Format, blocks: Vec<Block>) -> Document {
    Document {
        path: path.into(),
        format,
        metadata: Metadata::default(),
        blocks,
        notes: Vec::new(),
    }
}

/// A workbook with one sheet whose rows are given; cells get `Sheet!A1` locators.
fn sheet(path: &str, sheet_name: &str, rows: &[&[&str]]) -> Document {
    doc(path, Format::Xlsx, vec![sheet_block(sheet_name, rows)])
}

fn sheet_block(sheet_name: &str, rows: &[&[&str]]) -> Block {
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(|(c, text)| Cell {
                    text: (*text).to_string(),
                    breaks: Vec::new(),
                    locator: Locator::Cell {
                        sheet: sheet_name.into(),
                        row: r as u32,
                        col: c as u32,
                        merged_from: None,
                    },
                    highlighted: false,
                    note: None,
                })
                .collect()
        })
        .collect();
    let last_col = rows
        .iter()
        .map(|r| r.len())
        .max()
        .unwrap_or(1)
        .saturating_sub(1) as u32;
    Block {
        kind: BlockKind::Table(Table {
            sheet: Some(sheet_name.into()),
            name: None,
            hidden: false,
            rows: cells,
        }),
        text: String::new(),
        breaks: Vec::new(),
        locator: Locator::Range {
            sheet: sheet_name.into(),
            first: (0, 0),
            last: (rows.len().saturating_sub(1) as u32, last_col),
        },
        region: Region::Body,
        highlighted: false,
    }
}

/// Builds DOCX-like blocks: `# ` heading 1, `## ` heading 2, `- ` list item, `| a | b |` table
/// row (consecutive rows form one table), anything else a paragraph.
fn docx(path: &str, lines: &[&str]) -> Document {
    let mut blocks: Vec<Block> = Vec::new();
    let mut para = 0u32;
    let mut table_no = 0u32;
    let mut pending: Vec<Vec<String>> = Vec::new();
    let flush = |pending: &mut Vec<Vec<String>>, blocks: &mut Vec<Block>, table_no: &mut u32| {
        if pending.is_empty() {
            return;
        }
        *table_no += 1;
        let t = *table_no;
        let rows = pending
            .drain(..)
            .enumerate()
            .map(|(r, row)| {
                row.into_iter()
                    .enumerate()
                    .map(|(c, text)| Cell {
                        text,
                        breaks: Vec::new(),
                        locator: Locator::TableCell {
                            part: "word/document.xml".into(),
                            table: t,
                            row: r as u32 + 1,
                            col: c as u32 + 1,
                        },
                        highlighted: false,
                        note: None,
                    })
                    .collect()
            })
            .collect();
        blocks.push(Block {
            kind: BlockKind::Table(Table {
                sheet: None,
                name: None,
                hidden: false,
                rows,
            }),
            text: String::new(),
            breaks: Vec::new(),
            locator: Locator::Table {
                part: "word/document.xml".into(),
                table: t,
            },
            region: Region::Body,
            highlighted: false,
        });
    };
    for line in lines {
        if let Some(row) = line.strip_prefix('|') {
            let cells = row
                .trim_end_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect();
            pending.push(cells);
            continue;
        }
        flush(&mut pending, &mut blocks, &mut table_no);
        para += 1;
        let (kind, text) = if let Some(t) = line.strip_prefix("## ") {
            (BlockKind::Heading { level: 2 }, t)
        } else if let Some(t) = line.strip_prefix("# ") {
            (BlockKind::Heading { level: 1 }, t)
        } else if let Some(t) = line.strip_prefix("- ") {
            (
                BlockKind::ListItem {
                    depth: 0,
                    number: None,
                },
                t,
            )
        } else {
            (BlockKind::Paragraph, *line)
        };
        blocks.push(Block {
            kind,
            text: text.to_string(),
            breaks: Vec::new(),
            locator: Locator::Paragraph {
                part: "word/document.xml".into(),
                index: para,
            },
            region: Region::Body,
            highlighted: false,
        });
    }
    flush(&mut pending, &mut blocks, &mut table_no);
    doc(path, Format::Docx, blocks)
}

fn apply_rule(toml: &str, d: &Document) -> Vec<Candidate> {
    let rules = Rules::from_toml("test.toml", toml).unwrap_or_else(|e| panic!("rules:\n{e}"));
    map_document(d, &rules).candidates
}

fn defaults() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| Rules::defaults().unwrap_or_else(|e| panic!("shipped rules:\n{e}")))
}

/// The candidates the shipped rules find in a document that the judge does not reject (what
/// reaches the merge as evidence).
fn with_defaults(d: &Document) -> Vec<Candidate> {
    let found = map_document(d, defaults()).candidates;
    orgprofile::judge::judge_document(d, found, &defaults().judge)
        .into_iter()
        .filter(|j| j.verdict.weight() > 0.0 || j.candidate.says_open())
        .map(|j| j.candidate)
        .collect()
}

fn values(c: &[Candidate], field: &str) -> Vec<Value> {
    c.iter()
        .filter(|c| c.field == field)
        .map(|c| c.value.clone())
        .collect()
}

fn errors_of(toml: &str) -> Vec<String> {
    match Rules::from_toml("rules/bad.toml", toml) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.to_string().lines().map(str::to_string).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Rule kinds

#[test]
fn table_rule_maps_columns_with_synonyms_below_a_title_block() {
    let d = sheet(
        "hr/staff.xlsx",
        "Staff",
        &[
            &["Acme staff list", ""],
            &["Exported 2026-01-01", ""],
            &["Full Name", "Position"],
            &["Sarah Chen", "IT Service Manager"],
            &["Mike Torres", "Service Desk Manager"],
        ],
    );
    let c = apply_rule(
        r#"
[[table]]
id = "t.people"
target = "/organization/departments"
columns = { name = ["Full Name"], title = ["Job Title", "Position"] }
value = "{name} ({title})"
"#,
        &d,
    );
    assert_eq!(
        values(&c, "/organization/departments"),
        vec![
            json!("Sarah Chen (IT Service Manager)"),
            json!("Mike Torres (Service Desk Manager)")
        ]
    );
    assert_eq!(c[0].locator, "Staff!A4");
    assert_eq!(c[0].file, "hr/staff.xlsx");
    assert_eq!(c[0].rule, "t.people");
    assert_eq!(
        c[0].how,
        MatchKind::Synonym,
        "Position is a synonym, not the first name"
    );
    assert_eq!(c[0].priority, 50);
}

#[test]
fn table_rule_combines_first_and_last_name_and_filters_rows_with_groups() {
    let d = sheet(
        "bamboo.xlsx",
        "Report",
        &[
            &["First Name", "Last Name", "Job Title"],
            &["Priya", "Patel", "Change Manager"],
            &["Tom", "Baker", "Sales Manager"],
            &["Ana", "Lopez", "Incident Process Owner"],
        ],
    );
    let c = apply_rule(
        r#"
[[table]]
id = "t.owners"
target = "/key_roles/process_owners"
columns = { first_name = ["First Name"], last_name = ["Last Name"], title = ["Job Title"] }
combine = { name = "{first_name} {last_name}" }
where = { title = '^(?P<process>change|incident)\s+(?:process\s+)?(?:manager|owner)$' }
record = { process = "{process|capitalize} management", owner = "{name}, {title}" }
"#,
        &d,
    );
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![
            json!({"process": "Change management", "owner": "Priya Patel, Change Manager"}),
            json!({"process": "Incident management", "owner": "Ana Lopez, Incident Process Owner"}),
        ]
    );
}

#[test]
fn rows_skipped_early_are_only_rows_that_could_add_nothing() {
    // A distinct value whose first row is excluded still comes from a later row (with that
    // row's place); a filter's group named like a column wins over the column's cell; a
    // filter on a column skips rows before anything else, and a repeated header row is
    // never a record.
    let d = sheet(
        "hr.xlsx",
        "Staff",
        &[
            &["Name", "Department", "Job Title", "Status"],
            &["Ann Lee", "IT", "IT Manager", "Terminated"],
            &["Bob Ray", "Finance", "Finance Manager", "Active"],
            &["Name", "Department", "Job Title", "Status"],
            &["Cy Dow", "IT", "Service Desk Analyst", "Active"],
            &["Di Fox", "IT", "Network Manager", "Active"],
        ],
    );
    let toml = r#"
[columns.people]
name = ["Name"]
department = ["Department"]
title = ["Job Title"]
status = ["Status"]

[[table]]
id = "depts"
target = "/organization/departments"
column_set = "people"
unless = { status = 'terminated' }
aggregate = "distinct"
value = "{department}"

[[table]]
id = "managed"
target = "/organization/departments"
column_set = "people"
where = { title = '^(?P<department>\w+) manager$' }
aggregate = "distinct"
value = "{department}"
"#;
    let c = apply_rule(toml, &d);
    let depts: Vec<_> = c
        .iter()
        .filter(|c| c.rule == "depts")
        .map(|c| (c.value.clone(), c.locator.clone()))
        .collect();
    assert_eq!(
        depts,
        vec![
            (json!("Finance"), "Staff!B3".to_string()),
            (json!("IT"), "Staff!B5".to_string()),
        ]
    );
    let managed: Vec<_> = c
        .iter()
        .filter(|c| c.rule == "managed")
        .map(|c| c.value.clone())
        .collect();
    assert_eq!(
        managed,
        vec![json!("IT"), json!("Finance"), json!("Network")]
    );
}

#[test]
fn table_aggregates_count_distinct_and_first() {
    let d = sheet(
        "org.xlsx",
        "Staff",
        &[
            &["Name", "Department", "Reports To"],
            &["James Wright", "Executive", ""],
            &["Sarah Chen", "IT", "James Wright"],
            &["Mike Torres", "IT", "Sarah Chen"],
            &["", "", ""],
            &["Lee Park", "Finance", "James Wright"],
        ],
    );
    let toml = r#"
[columns.people]
name = ["Name"]
department = ["Department"]
manager = ["Reports To"]

[[table]]
id = "count"
target = "/organization/size"
column_set = "people"
require = ["name"]
aggregate = "count"
value = "{count} employees"

[[table]]
id = "count.number"
target = "/organization/size"
column_set = "people"
require = ["name"]
aggregate = "count"
value = "{count}"

[[table]]
id = "depts"
target = "/organization/departments"
column_set = "people"
aggregate = "distinct"
value = "{department}"

[[table]]
id = "top"
target = "/key_roles/top_management_sponsor"
column_set = "people"
where = { manager = '^$' }
aggregate = "first"
value = "{name}"
"#;
    let c = apply_rule(toml, &d);
    let size: Vec<_> = c
        .iter()
        .filter(|c| c.field == "/organization/size")
        .collect();
    assert_eq!(size[0].value, json!("4 employees"));
    assert_eq!(size[0].how, MatchKind::Derived);
    assert_eq!(size[0].locator, "Staff!A1:C6");
    assert_eq!(size[1].value, json!(4));
    assert_eq!(
        values(&c, "/organization/departments"),
        vec![json!("Executive"), json!("IT"), json!("Finance")]
    );
    assert_eq!(
        values(&c, "/key_roles/top_management_sponsor"),
        vec![json!("James Wright")]
    );
}

#[test]
fn label_rule_reads_lines_and_two_column_tables() {
    let d = docx(
        "policy.docx",
        &[
            "Registered name: Apex IT Services Ltd",
            "Industry - Managed IT Services",
            "| Document owner | Sarah Chen |",
            "| Sector | Public sector IT |",
        ],
    );
    let toml = r#"
[[label]]
id = "name"
target = "/organization/name"
labels = ["Legal name", "Registered name"]

[[label]]
id = "industry"
target = "/organization/industry"
labels = ["Industry", "Sector"]
"#;
    let c = apply_rule(toml, &d);
    assert_eq!(
        values(&c, "/organization/name"),
        vec![json!("Apex IT Services Ltd")]
    );
    assert_eq!(c[0].how, MatchKind::Synonym);
    assert_eq!(c[0].locator, "word/document.xml paragraph 1");
    let ind: Vec<_> = c
        .iter()
        .filter(|c| c.field == "/organization/industry")
        .collect();
    assert_eq!(ind[0].value, json!("Managed IT Services"));
    assert_eq!(ind[0].how, MatchKind::Exact);
    assert_eq!(ind[1].value, json!("Public sector IT"));
    assert_eq!(ind[1].locator, "word/document.xml table 1 row 2 column 2");
}

#[test]
fn a_header_row_of_labels_is_not_a_label_and_its_value() {
    let d = docx(
        "plan.docx",
        &[
            "| Stage 1 audit | Stage 2 audit |",
            "| March 2027 | June 2027 |",
        ],
    );
    let toml = r#"
[[label]]
id = "s1"
target = "/management_commitment/target_timeline/stage_1_audit"
labels = ["Stage 1 audit"]

[[label]]
id = "s2"
target = "/management_commitment/target_timeline/stage_2_audit"
labels = ["Stage 2 audit"]
"#;
    assert!(apply_rule(toml, &d).is_empty());
}

#[test]
fn a_first_row_that_is_a_fact_is_no_header() {
    // A project charter's cover table starts with its first fact; a header row of a label
    // beside a column heading ("Sponsor | Name") is still a header.
    let toml = r#"
[[label]]
id = "sponsor"
target = "/key_roles/top_management_sponsor"
labels = ["Patrocinador", "Sponsor"]

[[table]]
id = "names"
target = "/organization/departments"
columns = { name = ["Name"] }
value = "{name}"
"#;
    let charter = docx(
        "acta.docx",
        &[
            "| Patrocinador | Cristián Poblete Soto, Vicerrector de Administración y Finanzas |",
            "| Jefa de proyecto | Ing. María José Fuentes Araya |",
            "| Fecha | 6 de enero de 2025 |",
        ],
    );
    assert_eq!(
        values(
            &apply_rule(toml, &charter),
            "/key_roles/top_management_sponsor"
        ),
        vec![Value::from(
            "Cristián Poblete Soto, Vicerrector de Administración y Finanzas"
        )]
    );
    let headed = docx(
        "roles.docx",
        &[
            "| Sponsor | Name |",
            "| Steering group | Ana Ruiz |",
            "| Project board | Luis Gil |",
        ],
    );
    assert!(values(
        &apply_rule(toml, &headed),
        "/key_roles/top_management_sponsor"
    )
    .is_empty());
}

#[test]
fn fragments_are_shared_pieces_of_regex_and_an_unknown_one_is_an_error() {
    let toml = r#"
[fragments]
particle = 'van|de'
person = '\p{Lu}\w+(?:\s+(?:{{particle}}))?\s+\p{Lu}\w+'

[[pattern]]
id = "sponsor"
target = "/key_roles/top_management_sponsor"
regex = '(?-i:(?P<name>{{person}})) sponsors the SMS'
value = "{name}"
"#;
    let d = docx("memo.docx", &["Anke van Dijk sponsors the SMS."]);
    assert_eq!(
        values(&apply_rule(toml, &d), "/key_roles/top_management_sponsor"),
        vec![Value::from("Anke van Dijk")]
    );
    let errs = errors_of(
        r#"
[fragments]
person = '\w+'

[[pattern]]
id = "p"
target = "/organization/industry"
regex = '{{persn}} is'
"#,
    );
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains(
            "rule `p`: the regex uses `{{persn}}`, which is no fragment (did you mean `person`?)"
        ),
        "{}",
        errs[0]
    );
    // A fragment that uses an unknown one is named; a fragment that doubles itself thirty
    // times is stopped at its size, not built.
    let errs = errors_of("[fragments]\nperson = '{{nme}} \\w+'\n");
    assert!(
        errs.len() == 1 && errs[0].contains("fragment `person`: the regex uses `{{nme}}`"),
        "{errs:#?}"
    );
    let mut doubling = String::from("[fragments]\nf00 = 'ab'\n");
    for i in 1..32 {
        doubling.push_str(&format!(
            "f{i:02} = '{{{{f{:02}}}}}{{{{f{:02}}}}}'\n",
            i - 1,
            i - 1
        ));
    }
    let errs = errors_of(&doubling);
    assert!(
        !errs.is_empty() && errs.iter().all(|e| e.contains("longer than")),
        "{errs:#?}"
    );
}

#[test]
fn label_rule_splits_lists_and_applies_its_pattern() {
    let d = docx(
        "p.docx",
        &[
            "Services: Service desk; Hosting, Backup",
            "Headcount: approx. 120 staff",
        ],
    );
    let toml = r#"
[[label]]
id = "services"
target = "/organization/services"
labels = ["Services"]
split = '[,;]'

[[label]]
id = "size"
target = "/organization/size"
labels = ["Headcount"]
pattern = '(?P<n>\d+)'
value = "{n}"
"#;
    let c = apply_rule(toml, &d);
    assert_eq!(
        values(&c, "/organization/services"),
        vec![json!("Service desk"), json!("Hosting"), json!("Backup")]
    );
    assert_eq!(values(&c, "/organization/size"), vec![json!(120)]);
}

#[test]
fn section_rule_takes_items_until_the_next_heading_of_the_same_level() {
    let d = docx(
        "policy.docx",
        &[
            "# 1. Purpose",
            "This policy sets out ...",
            "# 4. Certification drivers",
            "Why we certify:",
            "- Client procurement requirements",
            "## 4.1 Detail",
            "- Process standardisation",
            "# 5. Scope",
            "- Not a driver",
        ],
    );
    let toml = r#"
[[section]]
id = "drivers"
target = "/management_commitment/certification_drivers"
headings = ["Certification drivers", "Drivers"]
take = "items"

[[section]]
id = "purpose"
target = "/organization/description"
headings = ["Purpose"]
take = "first_paragraph"
"#;
    let c = apply_rule(toml, &d);
    assert_eq!(
        values(&c, "/management_commitment/certification_drivers"),
        vec![
            json!("Client procurement requirements"),
            json!("Process standardisation")
        ]
    );
    assert_eq!(
        values(&c, "/organization/description"),
        vec![json!("This policy sets out ...")]
    );
}

#[test]
fn pattern_rule_fills_templates_and_keywords_give_canonical_names() {
    let d = docx(
        "wiki.docx",
        &["We use servicenow for tickets and Datadog for monitoring; email runs on Office 365."],
    );
    let toml = r#"
[[pattern]]
id = "tools"
target = "/technology"
keywords = ["ServiceNow", "Datadog", "Office 365 => Microsoft 365"]
record = { name = "{keyword}", type = "other" }

[[pattern]]
id = "for"
target = "/service_management_maturity/itsm_tools"
regex = '(?P<tool>\w+) for monitoring'
value = "{tool}"
"#;
    let c = apply_rule(toml, &d);
    assert_eq!(
        values(&c, "/technology"),
        vec![
            json!({"name": "ServiceNow", "type": "other"}),
            json!({"name": "Datadog", "type": "other"}),
            json!({"name": "Microsoft 365", "type": "other"}),
        ]
    );
    assert_eq!(c[0].how, MatchKind::Pattern);
    assert_eq!(
        values(&c, "/service_management_maturity/itsm_tools"),
        vec![json!("Datadog")]
    );
}

#[test]
fn classify_rule_picks_the_outcome_and_quotes_the_evidence() {
    let toml = r#"
[[classify]]
id = "type"
target = "/service_provider_type/classification"
rationale = "/service_provider_type/rationale"
evidence = { internal = ['internal (customers|business units)'], external = ['external customers'] }
[[classify.outcome]]
when = ["internal", "external"]
value = "Type III"
[[classify.outcome]]
when = ["external"]
value = "Type II"
[[classify.outcome]]
when = ["internal"]
value = "Type I"
"#;
    let ext = docx(
        "a.docx",
        &["Intro text. We serve external customers across the UK. More."],
    );
    let c = apply_rule(toml, &ext);
    assert_eq!(
        values(&c, "/service_provider_type/classification"),
        vec![json!("Type II")]
    );
    assert_eq!(
        values(&c, "/service_provider_type/rationale"),
        vec![json!("We serve external customers across the UK.")]
    );
    assert_eq!(c[0].how, MatchKind::Classified);
    let both = docx(
        "b.docx",
        &[
            "IT supports internal business units.",
            "We also serve external customers.",
        ],
    );
    let c = apply_rule(toml, &both);
    assert_eq!(
        values(&c, "/service_provider_type/classification"),
        vec![json!("Type III")]
    );
    assert_eq!(
        values(&c, "/service_provider_type/rationale"),
        vec![json!(
            "IT supports internal business units. We also serve external customers."
        )]
    );
    assert!(apply_rule(toml, &docx("c.docx", &["Nothing relevant."])).is_empty());
}

#[test]
fn placeholders_and_highlighted_template_text_never_become_values() {
    let mut d = docx(
        "template.docx",
        &[
            "Legal name: [Organization Name]",
            "Legal name: TBD",
            "Legal name: {{companyFullName}}",
            "Legal name: Real Name Ltd",
        ],
    );
    d.blocks[3].highlighted = true;
    let toml = r#"
[[label]]
id = "name"
target = "/organization/name"
labels = ["Legal name"]
"#;
    // "TBD" is only a statement that the name is open (the merger never takes it as a value).
    let c = apply_rule(toml, &d);
    assert_eq!(values(&c, "/organization/name"), vec![json!("TBD")]);
    assert!(c.iter().all(Candidate::says_open), "{c:#?}");
}

#[test]
fn a_labelled_tbd_reaches_the_merger_as_an_open_statement() {
    let d = docx(
        "policy.docx",
        &[
            "SMS manager: Nadia Brooks, ITSM Manager",
            "Top management sponsor: TBD",
            "Executive sponsor: [Insert name]",
            "Change Manager: TBD",
            "Stage 1 target: TBC (depends on the board)",
        ],
    );
    let c = with_defaults(&d);
    let sponsor = by_field(&c, "/key_roles/top_management_sponsor");
    assert_eq!(
        sponsor,
        vec![("policy.top_management_sponsor", json!("TBD"))],
        "template text is not a statement"
    );
    let tbd = c
        .iter()
        .find(|x| x.field == "/key_roles/top_management_sponsor")
        .unwrap();
    assert!(tbd.says_open());
    assert_eq!(tbd.locator, "word/document.xml paragraph 2");
    assert_eq!(
        values(&c, "/management_commitment/target_timeline/stage_1_audit"),
        vec![json!("TBC")]
    );
    // A list item that is open is simply not an item.
    assert!(values(&c, "/key_roles/process_owners").is_empty());
    assert!(!orgprofile::judge::says_open("[Insert name]"));
    assert!(!orgprofile::judge::says_open("N/A"));
    assert!(!orgprofile::judge::says_open("Todo list service"));
    assert!(orgprofile::judge::says_open("To be decided"));
    assert!(orgprofile::judge::says_open("TBD - ask the board"));
}

#[test]
fn reviewer_comments_are_not_what_the_document_states() {
    let mut d = docx(
        "p.docx",
        &["Legal name: Wrong Name Ltd", "Legal name: Apex Ltd"],
    );
    d.blocks[0].region = Region::Comment;
    let toml = r#"
[[label]]
id = "name"
target = "/organization/name"
labels = ["Legal name"]
"#;
    assert_eq!(
        values(&apply_rule(toml, &d), "/organization/name"),
        vec![json!("Apex Ltd")]
    );
}

#[test]
fn rules_are_limited_by_format_and_file_glob() {
    let toml = r#"
[[label]]
id = "name"
target = "/organization/name"
labels = ["Legal name"]
formats = ["xlsx"]

[[label]]
id = "name2"
target = "/organization/name"
labels = ["Legal name"]
files = ["*policy*"]
"#;
    let c = apply_rule(
        toml,
        &docx("docs/SMS Policy.docx", &["Legal name: Apex Ltd"]),
    );
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].rule, "name2");
    assert!(apply_rule(toml, &docx("docs/other.docx", &["Legal name: Apex Ltd"])).is_empty());
}

#[test]
fn near_miss_headers_become_hints_naming_the_closest_synonym() {
    let d = sheet(
        "hr.xlsx",
        "Staff",
        &[
            &["Name", "Job Titel", "Departmnet"],
            &["Sarah Chen", "IT Service Manager", "IT"],
        ],
    );
    let rules = Rules::from_toml(
        "t.toml",
        r#"
[[table]]
id = "t"
target = "/organization/departments"
columns = { name = ["Name"], title = ["Job Title"], department = ["Department"] }
value = "{department}"
"#,
    )
    .unwrap();
    let m = map_document(&d, &rules);
    assert!(m.candidates.is_empty());
    let seen: Vec<(&str, &str, &str)> = m
        .hints
        .iter()
        .map(|h| (h.seen.as_str(), h.closest.as_str(), h.locator.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("Job Titel", "Job Title", "Staff!B1"),
            ("Departmnet", "Department", "Staff!C1")
        ]
    );
    assert_eq!(m.hints[0].rule, "t / column title");
    assert_eq!(m.hints[0].file, "hr.xlsx");
}

#[test]
fn near_miss_headings_and_labels_become_hints_too() {
    let rules = Rules::from_toml(
        "t.toml",
        r#"
[[section]]
id = "s"
target = "/management_commitment/certification_drivers"
headings = ["Certification drivers"]
take = "items"

[[label]]
id = "l"
target = "/key_roles/top_management_sponsor"
labels = ["Sponsor"]
"#,
    )
    .unwrap();
    let d = docx(
        "policy.docx",
        &[
            "# 2. Certfication drivers",
            "- Customer tenders",
            "Sponser: Amelia Cooper",
        ],
    );
    // Asked twice: the second answer comes from the per-thread memory and must agree.
    for _ in 0..2 {
        let m = map_document(&d, &rules);
        let seen: Vec<(HintKind, &str, &str, &str)> = m
            .hints
            .iter()
            .map(|h| (h.kind, h.seen.as_str(), h.closest.as_str(), h.rule.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    HintKind::Heading,
                    "2. Certfication drivers",
                    "Certification drivers",
                    "s"
                ),
                (HintKind::Label, "Sponser", "Sponsor", "l"),
            ]
        );
    }
    // A rule that does not apply to a document gives it no hint, even when the same words
    // gave one in a document it applies to (the remembered answers depend on which apply).
    let docx_only = Rules::from_toml(
        "t.toml",
        r#"
[[label]]
id = "l"
target = "/key_roles/top_management_sponsor"
labels = ["Sponsor"]
formats = ["docx"]
"#,
    )
    .unwrap();
    assert_eq!(map_document(&d, &docx_only).hints.len(), 1);
    let mut md = d.clone();
    md.format = Format::Markdown;
    assert!(map_document(&md, &docx_only).hints.is_empty());
}

#[test]
fn rules_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Rules>();
}

// ---------------------------------------------------------------------------------------------
// Validation

#[test]
fn every_validation_error_is_reported_at_once_with_its_position() {
    let toml = r#"[[label]]
id = "a"
target = "/organization/name"
lables = ["Legal name"]

[[pattern]]
id = "b"
target = "/organization/name"
regex = '(?P<name>[A-Z'

[[label]]
id = "c"
target = "/organisation/name"
labels = ["Name"]

[[label]]
id = "d"
target = "/organization/industry"
labels = ["Industry"]

[[label]]
id = "d"
target = "/organization/industry"
labels = ["Sector"]

[[table]]
id = "e"
target = "/organization/departments"
columns = { department = ["Department"] }
value = "{departmnet}"
"#;
    let errs = errors_of(toml);
    assert_eq!(errs.len(), 5, "{errs:#?}");
    assert!(
        errs[0].starts_with("rules/bad.toml:4:1: unknown field `lables`"),
        "{}",
        errs[0]
    );
    assert!(errs[0].contains("did you mean `labels`?"), "{}", errs[0]);
    assert!(
        errs[1].starts_with("rules/bad.toml:9:9: rule `b`: bad regex"),
        "{}",
        errs[1]
    );
    assert!(
        errs[2].starts_with("rules/bad.toml:13:10: unknown target field `/organisation/name`"),
        "{}",
        errs[2]
    );
    assert!(
        errs[2].contains("did you mean `/organization/name`?"),
        "{}",
        errs[2]
    );
    assert!(
        errs[3].starts_with(
            "rules/bad.toml:22:6: duplicate rule id `d` (first defined at rules/bad.toml:17:6)"
        ),
        "{}",
        errs[3]
    );
    assert!(
        errs[4].starts_with("rules/bad.toml:30:9: template name `{departmnet}` is not provided"),
        "{}",
        errs[4]
    );
    assert!(
        errs[4].contains("did you mean `{department}`?"),
        "{}",
        errs[4]
    );
}

// ---------------------------------------------------------------------------------------------
// Shipped defaults

#[test]
fn every_shipped_rule_file_loads_and_compiles_on_its_own_and_together() {
    for (name, text) in orgprofile::map::DEFAULT_FILES {
        if let Err(e) = Rules::from_toml(name, text) {
            panic!("{name} does not compile:\n{e}");
        }
    }
    let rules = defaults();
    for r in rules.list() {
        assert!(
            r.origin.starts_with("default mappings/"),
            "{}: {}",
            r.id,
            r.origin
        );
    }
}

fn by_rule<'a>(c: &'a [Candidate], field: &str) -> Vec<(&'a str, Value)> {
    c.iter()
        .filter(|c| c.field == field)
        .map(|c| (c.rule.as_str(), c.value.clone()))
        .collect()
}

#[test]
fn defaults_read_a_bamboohr_directory_report() {
    let d = sheet(
        "HR/Employee Directory.xlsx",
        "Report",
        &[
            &["Employee Directory Report"],
            &["Generated 2026-11-01 by BambooHR"],
            &[],
            &[
                "Employee #",
                "First Name",
                "Last Name",
                "Job Title",
                "Department",
                "Location",
                "Reports To",
                "Work Email",
            ],
            &[
                "1001",
                "James",
                "Wright",
                "Managing Director",
                "Executive",
                "Manchester HQ",
                "",
                "jw@apex.example",
            ],
            &[
                "1002",
                "Sarah",
                "Chen",
                "IT Service Manager",
                "IT Operations",
                "Manchester HQ",
                "James Wright",
                "sc@apex.example",
            ],
            &[
                "1003",
                "Mike",
                "Torres",
                "Service Desk Manager",
                "IT Operations",
                "Manchester HQ",
                "Sarah Chen",
                "mt@apex.example",
            ],
            &[
                "1004",
                "Priya",
                "Patel",
                "Change Manager",
                "IT Operations",
                "London DC1",
                "Sarah Chen",
                "pp@apex.example",
            ],
            &[
                "1005",
                "Tom",
                "Baker",
                "Sales Manager",
                "Sales",
                "Remote",
                "James Wright",
                "tb@apex.example",
            ],
            &[
                "1006",
                "Ana",
                "Lopez",
                "Email Service Owner",
                "IT Services",
                "Manchester HQ",
                "Sarah Chen",
                "al@apex.example",
            ],
            &[
                "1007",
                "Lee",
                "Park",
                "Problem Manager",
                "IT Operations",
                "",
                "Sarah Chen",
                "lp@apex.example",
            ],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        by_rule(&c, "/organization/size"),
        vec![("hr.headcount", json!("7 employees"))]
    );
    assert_eq!(
        values(&c, "/organization/departments"),
        vec![
            json!("Executive"),
            json!("IT Operations"),
            json!("Sales"),
            json!("IT Services")
        ]
    );
    assert_eq!(
        values(&c, "/locations"),
        vec![
            json!({"name": "Manchester HQ", "type": "headquarters"}),
            json!({"name": "London DC1", "type": "data_center"}),
            json!({"name": "Remote", "type": "remote"}),
        ]
    );
    let sponsors = by_rule(&c, "/key_roles/top_management_sponsor");
    assert!(
        sponsors.contains(&(
            "hr.sponsor.chief_executive",
            json!("James Wright, Managing Director")
        )),
        "{sponsors:?}"
    );
    // The top of the chart is a fallback: the managing director's title already said it.
    assert_eq!(sponsors.len(), 1, "{sponsors:?}");
    assert_eq!(
        by_rule(&c, "/key_roles/sms_manager"),
        vec![("hr.sms_manager", json!("Sarah Chen, IT Service Manager"))]
    );
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![
            json!({"process": "Change management", "owner": "Priya Patel, Change Manager"}),
            json!({"process": "Problem management", "owner": "Lee Park, Problem Manager"}),
        ]
    );
    assert_eq!(
        values(&c, "/key_roles/service_owners"),
        vec![json!({"service": "Email", "owner": "Ana Lopez, Email Service Owner"})]
    );
    let sms = c
        .iter()
        .find(|c| c.field == "/key_roles/sms_manager")
        .unwrap();
    assert_eq!(
        sms.locator, "Report!B6",
        "the name's cell (First Name) locates the row"
    );
    // Nothing from the people table lands in other sections; the line above it says which
    // tool made the report, and that is a tool in use.
    assert!(values(&c, "/interested_parties").is_empty());
    assert_eq!(
        values(&c, "/technology"),
        vec![json!({"name": "BambooHR", "type": "finance"})]
    );
}

#[test]
fn defaults_read_a_workday_worker_export_and_prefer_the_cio_without_a_ceo() {
    let d = sheet(
        "workday.xlsx",
        "Workers",
        &[
            &[
                "Worker",
                "Business Title",
                "Supervisory Organization",
                "Location",
                "Manager",
            ],
            &[
                "Dana Scully",
                "Chief Information Officer",
                "Technology (Dana Scully)",
                "Dublin",
                "",
            ],
            &[
                "Fox Mulder",
                "Service Delivery Manager",
                "Service Delivery",
                "Dublin",
                "Dana Scully",
            ],
            &[
                "Walter Skinner",
                "Incident Manager",
                "Service Delivery",
                "Cork",
                "Fox Mulder",
            ],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(values(&c, "/organization/size"), vec![json!("3 employees")]);
    let sponsors = by_rule(&c, "/key_roles/top_management_sponsor");
    assert!(sponsors.contains(&(
        "hr.sponsor.chief_officer",
        json!("Dana Scully, Chief Information Officer")
    )));
    assert_eq!(
        by_rule(&c, "/key_roles/sms_manager"),
        vec![(
            "hr.sms_manager.delivery",
            json!("Fox Mulder, Service Delivery Manager")
        )]
    );
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![
            json!({"process": "Incident management", "owner": "Walter Skinner, Incident Manager"})
        ]
    );
    // A work location named by its city has no type: the city may be the head office.
    assert_eq!(
        values(&c, "/locations"),
        vec![json!({"name": "Dublin"}), json!({"name": "Cork"})]
    );
    // Workday names a supervisory organization after its manager: the department is the
    // name without "(Dana Scully)".
    assert_eq!(
        values(&c, "/organization/departments"),
        vec![json!("Service Delivery"), json!("Technology")]
    );
}

#[test]
fn defaults_read_an_entra_id_user_export() {
    let d = sheet(
        "exportUsers_2026-11-20.xlsx",
        "Users",
        &[
            &[
                "userPrincipalName",
                "displayName",
                "givenName",
                "surname",
                "jobTitle",
                "department",
                "officeLocation",
                "usageLocation",
            ],
            &[
                "ceo@contoso.example",
                "Ada King",
                "Ada",
                "King",
                "CEO",
                "Board",
                "Berlin Head Office",
                "DE",
            ],
            &[
                "itsm@contoso.example",
                "Bob Stone",
                "Bob",
                "Stone",
                "ITSM Manager",
                "IT",
                "Berlin Head Office",
                "DE",
            ],
            &[
                "srv@contoso.example",
                "Cy Young",
                "Cy",
                "Young",
                "Service Owner - Collaboration",
                "IT",
                "Hamburg",
                "DE",
            ],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(values(&c, "/organization/size"), vec![json!("3 employees")]);
    assert!(values(&c, "/key_roles/top_management_sponsor").contains(&json!("Ada King, CEO")));
    assert_eq!(
        values(&c, "/key_roles/sms_manager"),
        vec![json!("Bob Stone, ITSM Manager")]
    );
    assert_eq!(
        values(&c, "/key_roles/service_owners"),
        vec![
            json!({"service": "Collaboration", "owner": "Cy Young, Service Owner - Collaboration"})
        ]
    );
    assert_eq!(
        values(&c, "/locations"),
        vec![
            json!({"name": "Berlin Head Office", "type": "headquarters", "country": "DE"}),
            json!({"name": "Hamburg", "country": "DE"}),
        ]
    );
}

#[test]
fn defaults_read_a_visio_org_chart_where_the_top_person_reports_to_nobody() {
    let d = sheet(
        "orgchart.xlsx",
        "Sheet1",
        &[
            &["Name", "Title", "Reports To"],
            &["Jane Doe", "Principal", ""],
            &["Raj Iyer", "Head of Service Management", "Jane Doe"],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        by_rule(&c, "/key_roles/top_management_sponsor"),
        vec![("hr.sponsor.top_of_chart", json!("Jane Doe, Principal"))]
    );
    assert_eq!(
        values(&c, "/key_roles/sms_manager"),
        vec![json!("Raj Iyer, Head of Service Management")]
    );
    assert_eq!(values(&c, "/organization/size"), vec![json!("2 employees")]);
}

#[test]
fn defaults_read_a_supplier_register() {
    let d = sheet(
        "Supplier Register.xlsx",
        "Suppliers",
        &[
            &["Supplier Register v3", "", "", ""],
            &[
                "Supplier",
                "Service Provided",
                "Type",
                "Contract Owner",
                "Risk Tier",
                "Contract Status",
                "Certifications",
                "Country",
                "Key Terms",
            ],
            &[
                "Equinix (UK) Ltd",
                "Colocation for London DC1",
                "Hosting",
                "Sarah Chen",
                "1",
                "Active",
                "ISO 27001",
                "UK",
                "99.99% power availability",
            ],
            &[
                "Atlassian",
                "Jira Service Management licences",
                "Software",
                "Mike Torres",
                "2",
                "Active",
                "SOC 2",
                "AU",
                "",
            ],
            &[
                "OldCo",
                "Printing",
                "Services",
                "Tom Baker",
                "3",
                "Terminated",
                "",
                "UK",
                "",
            ],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        by_rule(&c, "/interested_parties"),
        vec![
            (
                "parties.suppliers",
                json!({"name": "Equinix (UK) Ltd", "type": "supplier",
                "requirements": ["Colocation for London DC1", "99.99% power availability"]})
            ),
            (
                "parties.suppliers",
                json!({"name": "Atlassian", "type": "supplier",
                "requirements": ["Jira Service Management licences"]})
            ),
        ]
    );
    // A supplier's legal suffix in a cell is not the client's legal name.
    assert!(values(&c, "/organization/name").is_empty());
}

#[test]
fn defaults_read_a_stakeholder_register() {
    let d = sheet(
        "Interested Parties.xlsx",
        "Register",
        &[
            &[
                "Interested Party",
                "Type",
                "Needs and Expectations",
                "Influence",
                "How monitored",
            ],
            &[
                "Customers",
                "External",
                "Reliable services within agreed SLAs",
                "High",
                "Service reviews",
            ],
            &[
                "Information Commissioner's Office",
                "Regulator",
                "UK GDPR compliance",
                "High",
                "Audits",
            ],
            &[
                "Employees",
                "Internal",
                "Clear roles and training",
                "Medium",
                "Surveys",
            ],
            &[
                "Key suppliers",
                "External",
                "Timely payment",
                "Medium",
                "Supplier reviews",
            ],
            &["TBD", "External", "TBD", "", ""],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/interested_parties"),
        vec![
            json!({"name": "Customers", "type": "customer", "requirements": ["Reliable services within agreed SLAs"]}),
            json!({"name": "Information Commissioner's Office", "type": "regulator", "requirements": ["UK GDPR compliance"]}),
            json!({"name": "Employees", "type": "internal", "requirements": ["Clear roles and training"]}),
            json!({"name": "Key suppliers", "type": "supplier", "requirements": ["Timely payment"]}),
        ]
    );
}

#[test]
fn defaults_read_a_site_list_with_location_types() {
    let d = sheet(
        "sites.xlsx",
        "Sites",
        &[
            &["Site", "Site Type", "Country", "Address"],
            &[
                "Manchester",
                "Head office",
                "United Kingdom",
                "1 Piccadilly",
            ],
            &["London DC1", "Colocation", "United Kingdom", "Slough"],
            &["Leeds", "Office", "United Kingdom", "2 Park Row"],
            &["Home workers", "Remote", "United Kingdom", ""],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/locations"),
        vec![
            json!({"name": "Manchester", "type": "headquarters", "country": "United Kingdom"}),
            json!({"name": "London DC1", "type": "data_center", "country": "United Kingdom"}),
            json!({"name": "Leeds", "type": "office", "country": "United Kingdom"}),
            json!({"name": "Home workers", "type": "remote", "country": "United Kingdom"}),
        ]
    );
    assert!(
        values(&c, "/organization/size").is_empty(),
        "a site list is not a people table"
    );
}

#[test]
fn defaults_read_a_tool_inventory() {
    let d = sheet(
        "tools.xlsx",
        "Tools",
        &[
            &["Tool", "Category", "Vendor"],
            &[
                "Jira Service Management",
                "Service desk / ticketing",
                "Atlassian",
            ],
            &["Nagios XI", "Monitoring", "Nagios Enterprises"],
            &["Asset register", "CMDB", "In-house (Excel)"],
            &["Microsoft 365", "Collaboration and email", "Microsoft"],
            &["AWS", "Cloud hosting", "Amazon"],
        ],
    );
    let c = with_defaults(&d);
    let inventory: Vec<Value> = by_rule(&c, "/technology")
        .into_iter()
        .filter(|(r, _)| *r == "tools.inventory")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        inventory,
        vec![
            json!({"name": "Jira Service Management", "type": "itsm"}),
            json!({"name": "Nagios XI", "type": "monitoring"}),
            json!({"name": "Asset register", "type": "cmdb"}),
            json!({"name": "Microsoft 365", "type": "collaboration"}),
            json!({"name": "AWS", "type": "cloud_platform"}),
        ]
    );
    let itsm: Vec<Value> = by_rule(&c, "/service_management_maturity/itsm_tools")
        .into_iter()
        .filter(|(r, _)| *r == "tools.inventory.itsm_tools")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(
        itsm,
        vec![
            json!("Jira Service Management"),
            json!("Nagios XI"),
            json!("Asset register")
        ]
    );
}

#[test]
fn defaults_find_well_known_products_named_in_prose() {
    let d = docx(
        "wiki/Tooling.docx",
        &["We use ServiceNow for tickets and Datadog for monitoring. Staff work in Office 365 and Confluence; workloads run on Amazon Web Services. The CMDB is kept in an Excel spreadsheet."],
    );
    let c = with_defaults(&d);
    let tech = values(&c, "/technology");
    for expected in [
        json!({"name": "ServiceNow", "type": "itsm"}),
        json!({"name": "Datadog", "type": "monitoring"}),
        // Named as the document names them; the merge knows "Office 365" is Microsoft 365.
        json!({"name": "Office 365", "type": "collaboration"}),
        json!({"name": "Confluence", "type": "collaboration"}),
        json!({"name": "Amazon Web Services", "type": "cloud_platform"}),
        json!({"name": "Spreadsheet-based CMDB", "type": "cmdb"}),
    ] {
        assert!(tech.contains(&expected), "{expected} missing from {tech:?}");
    }
    assert_eq!(
        values(&c, "/service_management_maturity/itsm_tools"),
        // The rule files' own rules first, then the product catalog's.
        vec![
            json!("Spreadsheet-based CMDB"),
            json!("ServiceNow"),
            json!("Datadog"),
        ]
    );
    assert!(c.iter().all(|c| c.how == MatchKind::Pattern));
}

fn sms_policy() -> Document {
    docx(
        "Policies/SMS Policy v2.docx",
        &[
            "# Service Management Policy",
            "| Title | Service Management Policy | Version | 2.0 |",
            "| Owner | Sarah Chen | Approver | James Wright |",
            "# 1. Purpose",
            "Apex IT Services Ltd provides managed IT services to external customers across the North West.",
            "# 2. Organisation",
            "Legal name: Apex IT Services Ltd",
            "Industry: Managed IT Services",
            "Headcount: 120",
            "Services: Service desk; Infrastructure hosting; Backup and recovery",
            "# 3. Roles and Responsibilities",
            "- SMS Manager: Sarah Chen, IT Service Manager",
            "- Top management sponsor: James Wright, Managing Director",
            "- Change Manager – Priya Patel",
            "# 4. Management Commitment",
            "Top management is committed to the SMS.",
            "A dedicated certification budget has been approved by the board.",
            "The SMS Manager is allocated at 80% to the SMS.",
            "An external consultant will support Stage 1 readiness.",
            "## 4.1 Certification drivers",
            "- Client procurement requirements (public sector tenders)",
            "- Process standardisation across sites",
            "## 4.2 Timeline",
            "| Milestone | Target |",
            "| Stage 1 audit | 6 months |",
            "| Stage 2 audit | 9 months |",
            "# 5. Governance",
            "A Service Management Steering Group chaired by the Managing Director meets monthly.",
            "# 6. Current maturity",
            "We adopted ITIL v3 informally two years ago.",
            "## Mature processes",
            "- Incident management",
            "- Change management (CAB weekly)",
            "## Ad hoc processes",
            "- Problem management",
            "- Capacity management",
        ],
    )
}

#[test]
fn defaults_read_a_service_management_policy() {
    let c = with_defaults(&sms_policy());
    let first = |field: &str| -> Value {
        // The highest-priority candidate, as the merger would choose.
        c.iter()
            .filter(|c| c.field == field)
            .max_by_key(|c| c.priority)
            .map(|c| c.value.clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(first("/organization/name"), json!("Apex IT Services Ltd"));
    assert_eq!(
        first("/organization/industry"),
        json!("Managed IT Services")
    );
    assert_eq!(first("/organization/size"), json!(120));
    assert_eq!(
        values(&c, "/organization/services"),
        vec![
            json!("Service desk"),
            json!("Infrastructure hosting"),
            json!("Backup and recovery")
        ]
    );
    assert_eq!(
        first("/key_roles/sms_manager"),
        json!("Sarah Chen, IT Service Manager")
    );
    assert_eq!(
        first("/key_roles/top_management_sponsor"),
        json!("James Wright, Managing Director")
    );
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![json!({"process": "Change management", "owner": "Priya Patel"})]
    );
    assert_eq!(
        first("/management_commitment/resource_allocation/budget"),
        json!("A dedicated certification budget has been approved by the board.")
    );
    assert_eq!(
        first("/management_commitment/resource_allocation/dedicated_personnel"),
        json!("The SMS Manager is allocated at 80% to the SMS.")
    );
    assert_eq!(
        first("/management_commitment/resource_allocation/external_support"),
        json!("An external consultant will support Stage 1 readiness.")
    );
    assert_eq!(
        values(&c, "/management_commitment/certification_drivers"),
        vec![
            json!("Client procurement requirements (public sector tenders)"),
            json!("Process standardisation across sites")
        ]
    );
    assert_eq!(
        first("/management_commitment/target_timeline/stage_1_audit"),
        json!("6 months")
    );
    assert_eq!(
        first("/management_commitment/target_timeline/stage_2_audit"),
        json!("9 months")
    );
    assert_eq!(
        first("/management_commitment/governance_structure"),
        json!(
            "A Service Management Steering Group chaired by the Managing Director meets monthly."
        )
    );
    assert_eq!(
        first("/service_management_maturity/itil_adoption"),
        json!("ITIL v3")
    );
    assert_eq!(
        values(&c, "/service_management_maturity/mature_processes"),
        vec![json!("Incident management"), json!("Change management")]
    );
    assert_eq!(
        values(&c, "/service_management_maturity/ad_hoc_processes"),
        vec![json!("Problem management"), json!("Capacity management")]
    );
    assert_eq!(
        first("/service_provider_type/classification"),
        json!("Type II")
    );
    assert_eq!(
        first("/service_provider_type/rationale"),
        json!("Apex IT Services Ltd provides managed IT services to external customers across the North West.")
    );
    // Every candidate says where it came from.
    for cand in &c {
        assert_eq!(cand.file, "Policies/SMS Policy v2.docx");
        assert!(cand.locator.starts_with("word/document.xml"), "{cand:?}");
    }
}

#[test]
fn defaults_accept_british_and_american_spellings_and_label_tables() {
    let d = docx(
        "profile.docx",
        &[
            "| Organisation name | Contoso Group |",
            "| Number of employees | approximately 340 |",
            "# Certification Drivers",
            "Our largest customer requires ISO/IEC 20000-1.",
            "# Governance Structure",
            "The IT Governance Board reviews the SMS quarterly.",
        ],
    );
    let c = with_defaults(&d);
    assert!(
        by_rule(&c, "/organization/name").contains(&("policy.legal_name", json!("Contoso Group")))
    );
    assert!(values(&c, "/organization/size").contains(&json!("approximately 340")));
    assert_eq!(
        values(&c, "/management_commitment/certification_drivers"),
        vec![json!("Our largest customer requires ISO/IEC 20000-1.")]
    );
    assert!(values(&c, "/management_commitment/governance_structure")
        .contains(&json!("The IT Governance Board reviews the SMS quarterly.")));
}

#[test]
fn defaults_classify_the_service_provider_type_from_how_customers_are_described() {
    let internal = docx(
        "it-strategy.docx",
        &[
            "Group IT provides IT services to the business units of the Group.",
            "We have no external customers",
        ],
    );
    let c = with_defaults(&internal);
    // "no external customers" is a negated clause: no evidence of external customers.
    assert_eq!(
        values(&c, "/service_provider_type/classification"),
        vec![json!("Type I")]
    );
    // The shapes of real scope statements: a negated second clause does not count.
    let type_ii = docx(
        "SMS-POL-001.docx",
        &["We provide managed IT services exclusively to external customers under contract; we do not provide these services to any internal business unit."],
    );
    assert_eq!(
        values(
            &with_defaults(&type_ii),
            "/service_provider_type/classification"
        ),
        vec![json!("Type II")]
    );
    let type_i = docx(
        "policy.docx",
        &["The IT team supports Kestrel\u{2019}s own staff, depots and client sites; IT services are not sold to external customers."],
    );
    assert_eq!(
        values(
            &with_defaults(&type_i),
            "/service_provider_type/classification"
        ),
        vec![json!("Type I")]
    );
    let internal_only = docx(
        "it-strategy.docx",
        &["Group IT provides IT services to the business units of the Group."],
    );
    let c = with_defaults(&internal_only);
    assert_eq!(
        values(&c, "/service_provider_type/classification"),
        vec![json!("Type I")]
    );
    assert_eq!(
        values(&c, "/service_provider_type/rationale"),
        vec![json!(
            "Group IT provides IT services to the business units of the Group."
        )]
    );
    let both = docx(
        "scope.md",
        &[
            "The service desk supports internal customers in Finance and HR.",
            "We also sell hosting to external clients.",
        ],
    );
    let c = with_defaults(&both);
    assert_eq!(
        values(&c, "/service_provider_type/classification"),
        vec![json!("Type III")]
    );
    let stated = docx(
        "p.docx",
        &["Service provider type: Type II (external customers only)"],
    );
    let c = with_defaults(&stated);
    assert!(by_rule(&c, "/service_provider_type/classification")
        .contains(&("policy.provider_type", json!("Type II"))));
}

#[test]
fn defaults_recognise_a_legal_name_by_its_suffix_at_low_priority() {
    let d = docx(
        "letter.docx",
        &[
            "Northwind Traders GmbH is a wholesaler based in Hamburg.",
            "Welcome to Fabrikam Inc. We build things.",
            "Contoso Ltd (the Company) operates two sites.",
            // Customers, auditors and suppliers carry suffixes too: not the organization.
            "Audited by Smith & Jones LLP.",
            "Key accounts are NorthBank plc, Greenfield Healthcare and Metro Logistics.",
            "Our main supplier is Cisco Systems Ltd for network hardware.",
        ],
    );
    let c = with_defaults(&d);
    let names = by_rule(&c, "/organization/name");
    assert_eq!(
        names,
        vec![
            ("prose.legal_name.suffix", json!("Northwind Traders GmbH")),
            ("prose.legal_name.suffix", json!("Fabrikam Inc.")),
            ("prose.legal_name.suffix", json!("Contoso Ltd")),
        ]
    );
    let label = c.iter().find(|c| c.field == "/organization/name").unwrap();
    assert!(label.priority < 50, "a suffix match yields to any label");
}

#[test]
fn defaults_read_owner_tables_and_service_catalogues() {
    let d = docx(
        "catalogue.docx",
        &[
            "| Service | Description | Service Owner | Hours |",
            "| Email | Exchange Online mailboxes | Ana Lopez | 24x7 |",
            "| Service Desk | Single point of contact | Mike Torres | 08:00-18:00 |",
            "",
            "| Process | Process Owner |",
            "| Incident management | Mike Torres |",
            "| Change management | Priya Patel |",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/organization/services"),
        vec![json!("Email"), json!("Service Desk")]
    );
    assert_eq!(
        values(&c, "/key_roles/service_owners"),
        vec![
            json!({"service": "Email", "owner": "Ana Lopez"}),
            json!({"service": "Service Desk", "owner": "Mike Torres"})
        ]
    );
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![
            json!({"process": "Incident management", "owner": "Mike Torres"}),
            json!({"process": "Change management", "owner": "Priya Patel"}),
        ]
    );
}

#[test]
fn defaults_take_nothing_from_an_unfilled_template() {
    let mut d = docx(
        "Template - SMS Policy.docx",
        &[
            "Legal name: [Organization Name]",
            "Industry: <FILL-IN>",
            "Headcount: TBD",
            "SMS Manager: {{smsManager}}",
            "Stage 1 audit: [Insert date]",
            "Top management sponsor: Jane Example",
        ],
    );
    d.blocks[5].highlighted = true;
    let c = with_defaults(&d);
    // Only "Headcount: TBD" comes out, as a statement that the field is open, not a value.
    assert!(c.iter().all(Candidate::says_open), "{c:#?}");
    assert_eq!(values(&c, "/organization/size"), vec![json!("TBD")]);
}

// ---------------------------------------------------------------------------------------------
// Layers: user folders add, replace and disable rules

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_user_folder_replaces_a_rule_by_id_disables_rules_and_extends_column_sets() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "client.toml",
        r#"
disable = ["hr.departments", "prose.legal_name.suffix"]

# The client's export says "Job Titel"; add it to the shipped column set.
[columns.people]
title = ["Job Titel"]

[[table]]
id = "hr.headcount"
target = "/organization/size"
priority = 90
column_set = "people"
combine = { name = "{first_name} {last_name}" }
require = ["name"]
aggregate = "count"
value = "{count}"
"#,
    );
    let rules = Rules::load(&[tmp.path().to_path_buf()]).unwrap_or_else(|e| panic!("{e}"));
    let list = rules.list();
    let headcount = list.iter().find(|r| r.id == "hr.headcount").unwrap();
    assert_eq!(headcount.priority, 90);
    assert!(
        headcount.origin.ends_with("client.toml"),
        "{}",
        headcount.origin
    );
    assert!(!list
        .iter()
        .any(|r| r.id == "hr.departments" || r.id == "prose.legal_name.suffix"));
    let d = sheet(
        "hr.xlsx",
        "Staff",
        &[
            &["Name", "Job Titel", "Department"],
            &["Sarah Chen", "IT Service Manager", "IT"],
            &["Bo Li", "Analyst", "IT"],
        ],
    );
    let m = map_document(&d, &rules);
    assert_eq!(
        by_rule(&m.candidates, "/organization/size"),
        vec![("hr.headcount", json!(2))]
    );
    assert!(values(&m.candidates, "/organization/departments").is_empty());
    assert_eq!(
        values(&m.candidates, "/key_roles/sms_manager"),
        vec![json!("Sarah Chen, IT Service Manager")]
    );
    assert!(
        m.hints.is_empty(),
        "the added synonym is no longer a near miss: {:?}",
        m.hints
    );
}

#[test]
fn the_shipped_rules_hint_at_near_miss_headers_of_an_hr_export() {
    let d = sheet(
        "hr.xlsx",
        "Staff",
        &[
            &["Name", "Job Titel", "Departmnet"],
            &["Sarah Chen", "IT Service Manager", "IT"],
        ],
    );
    let m = map_document(&d, defaults());
    let seen: Vec<(&str, &str)> = m
        .hints
        .iter()
        .map(|h| (h.seen.as_str(), h.closest.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![("Job Titel", "Job Title"), ("Departmnet", "Department")]
    );
    assert!(m.hints[0].rule.starts_with("hr."), "{}", m.hints[0].rule);
    assert!(m.hints[0]
        .to_string()
        .starts_with("hr.xlsx [Staff!B1]: header \"Job Titel\" is close to \"Job Title\""));
}

#[test]
fn duplicate_ids_within_one_folder_are_errors_but_a_later_folder_may_replace() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let rule = r#"
[[label]]
id = "x.name"
target = "/organization/name"
labels = ["Trading name"]
"#;
    write(a.path(), "1.toml", rule);
    write(b.path(), "1.toml", rule);
    assert!(Rules::load(&[a.path().into(), b.path().into()]).is_ok());
    write(a.path(), "2.toml", rule);
    let e = Rules::load(&[a.path().into()]).unwrap_err();
    assert_eq!(e.errors.len(), 1, "{e}");
    assert!(
        e.errors[0]
            .message
            .starts_with("duplicate rule id `x.name` (first defined at "),
        "{e}"
    );
    assert!(e.errors[0].file.ends_with("2.toml"));
    assert_eq!((e.errors[0].line, e.errors[0].column), (3, 6));
}

#[test]
fn unknown_disable_ids_missing_folders_and_unknown_top_level_keys_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "a.toml",
        "disable = [\"hr.headcont\"]\n\n[[tabel]]\nid = \"x\"\n",
    );
    let missing = tmp.path().join("no-such-folder");
    let e = Rules::load(&[tmp.path().into(), missing]).unwrap_err();
    let text = e.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("no-such-folder: cannot read the mappings folder")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("a.toml:3:3: unknown key `tabel`; did you mean `table`?")),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.contains(
            "a.toml:1:12: disable: no rule has id `hr.headcont` (did you mean `hr.headcount`?)"
        )),
        "{text}"
    );
}

#[test]
fn rule_shape_errors_say_what_to_write_instead() {
    let errs = errors_of(
        r#"[[table]]
id = "t1"
target = "/locations"
columns = { site = ["Site"] }
value = "{site}"

[[table]]
id = "t2"
target = "/organization/industry"
column_set = "peeple"
value = "{x}"

[[label]]
id = "l1"
target = "/technology"
labels = ["Tool"]
record = { name = "{value}", kind = "itsm" }

[[classify]]
id = "c1"
target = "/service_provider_type/classification"
evidence = { internal = ['internal'] }
[[classify.outcome]]
when = ["external"]
value = "Type 2"

[[pattern]]
id = "p1"
target = "/organization/name"
formats = ["pdf"]
regex = 'x'

[[table]]
id = "t3"
target = "/organization/size"
columns = { name = ["Name"] }
aggregate = "count"
value = "{name}"
"#,
    );
    let all = errs.join("\n");
    assert!(all.contains("bad.toml:5:9: target `/locations` is a list of records; write `record = { name = \"...\", type = \"...\", country = \"...\" }` instead of `value`"), "{all}");
    assert!(
        all.contains("bad.toml:10:14: no column set named `peeple`"),
        "{all}"
    );
    assert!(
        all.contains("`/technology` records have no key `kind`; write one of: name, type"),
        "{all}"
    );
    assert!(
        all.contains("`external` is not an evidence class of this rule; write one of: internal"),
        "{all}"
    );
    assert!(all.contains("`Type 2` is not a value of `/service_provider_type/classification`; write one of: Type I, Type II, Type III"), "{all}");
    assert!(
        all.contains("bad.toml:30:12: unknown format `pdf`; write one of: docx, xlsx"),
        "{all}"
    );
    assert!(
        all.contains("bad.toml:38:9: a count rule's value uses `{count}` and nothing else"),
        "{all}"
    );
}

#[test]
fn a_header_may_mean_only_one_column_of_a_set() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "x.toml",
        "[columns.people]\nname = [\"Job Title\"]\n",
    );
    let e = Rules::load(&[tmp.path().into()]).unwrap_err();
    assert_eq!(e.errors.len(), 1, "{e}");
    assert!(
        e.to_string().contains("x.toml:2:8: the header \"Job Title\" is already a synonym of column `title` in `[columns.people]`"),
        "{e}"
    );
}

#[test]
fn the_rule_file_schema_describes_every_rule_kind() {
    let schema = orgprofile::map::rules_json_schema();
    let text = schema.to_string();
    for key in [
        "table",
        "label",
        "section",
        "pattern",
        "classify",
        "disable",
        "columns",
        "require_any",
        "keywords",
    ] {
        assert!(text.contains(&format!("\"{key}\"")), "schema lacks {key}");
    }
}

// ---------------------------------------------------------------------------------------------
// CLI

fn orgprofile() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("orgprofile").unwrap()
}

#[test]
fn cli_mappings_check_passes_on_the_defaults_and_exits_78_on_bad_rules() {
    let out = orgprofile().args(["mappings", "check"]).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("rules in effect"));
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "bad.toml",
        "[[label]]\nid = \"a\"\ntarget = \"/nope\"\nlabels = [\"x\"]\n",
    );
    let out = orgprofile()
        .args(["mappings", "check"])
        .arg(tmp.path())
        .assert()
        .code(78);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("bad.toml:3:10: unknown target field `/nope`"),
        "{stderr}"
    );
}

#[test]
fn cli_mappings_list_shows_the_origin_of_each_rule() {
    let out = orgprofile().args(["mappings", "list"]).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("hr.headcount") && l.ends_with("default mappings/people.toml")),
        "{stdout}"
    );
}

#[test]
fn cli_map_reports_an_unreadable_file_and_bad_rules_first() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("missing.xlsx");
    orgprofile().arg("map").arg(&file).assert().code(2);
    write(tmp.path(), "bad.toml", "nonsense = 1\n");
    orgprofile()
        .arg("map")
        .arg(&file)
        .arg("--mappings")
        .arg(tmp.path())
        .assert()
        .code(78);
}

#[test]
fn cli_schema_mappings_prints_a_json_schema() {
    let out = orgprofile().args(["schema", "mappings"]).assert().success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["title"], json!("orgprofile mapping rules"));
}

#[test]
fn the_worked_examples_of_the_rule_reference_compile() {
    let readme = include_str!("../mappings/README.md");
    let mut n = 0;
    for block in readme.split("```toml\n").skip(1) {
        let body = block.split("```").next().unwrap_or("");
        if body.trim_start().starts_with('[') {
            n += 1;
            if let Err(e) = Rules::from_toml("mappings/README.md", body) {
                panic!("example does not compile:\n{body}\n{e}");
            }
        }
    }
    assert!(n >= 6, "only {n} examples found");
}

#[test]
fn the_worked_examples_of_the_rule_reference_give_what_it_says() {
    let readme = include_str!("../mappings/README.md");
    let examples: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .filter(|b| b.trim_start().starts_with('['))
        .collect();
    let layer = orgprofile::map::RuleLayer {
        default: false,
        sources: examples
            .iter()
            .enumerate()
            .map(|(i, text)| orgprofile::map::RuleSource {
                name: format!("README example {i}"),
                text: text.to_string(),
            })
            .collect(),
    };
    let rules = Rules::from_layers(&[layer]).unwrap_or_else(|e| panic!("{e}"));
    let d = docx(
        "policy.docx",
        &[
            "We use servicenow for tickets.",
            "The Stage 1 audit is planned for March 2027.",
            "Headcount: 120",
            "## Mature processes",
            "- Incident management",
            "- Change management (CAB weekly)",
            "Apex provides managed IT services to external customers across the North West.",
        ],
    );
    let c = map_document(&d, &rules).candidates;
    assert_eq!(
        values(&c, "/technology"),
        vec![json!({"name": "ServiceNow", "type": "itsm"})]
    );
    assert_eq!(
        values(&c, "/management_commitment/target_timeline/stage_1_audit"),
        vec![json!("March 2027")]
    );
    assert_eq!(values(&c, "/organization/size"), vec![json!(120)]);
    assert_eq!(
        values(&c, "/service_management_maturity/mature_processes"),
        vec![json!("Incident management"), json!("Change management")]
    );
    assert_eq!(
        values(&c, "/service_provider_type/classification"),
        vec![json!("Type II")]
    );
    let hr = sheet(
        "hr.xlsx",
        "Staff",
        &[
            &["First Name", "Last Name", "Job Title"],
            &["Priya", "Patel", "Change Manager"],
        ],
    );
    let c = map_document(&hr, &rules).candidates;
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![json!({"process": "Change management", "owner": "Priya Patel, Change Manager"})]
    );
}

// ---------------------------------------------------------------------------------------------
// Robustness

#[test]
fn a_large_hr_export_maps_in_bounded_time_and_output() {
    let mut rows: Vec<Vec<String>> = vec![vec![
        "Name".into(),
        "Job Title".into(),
        "Department".into(),
        "Location".into(),
    ]];
    for i in 0..20_000 {
        rows.push(vec![
            format!("Person {i}"),
            format!("Analyst {}", i % 7),
            format!("Dept {}", i % 40),
            format!("Site {}", i % 5),
        ]);
    }
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let d = sheet("big.xlsx", "Staff", &slices);
    let start = std::time::Instant::now();
    let c = with_defaults(&d);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(
        values(&c, "/organization/size"),
        vec![json!("20000 employees")]
    );
    assert_eq!(values(&c, "/organization/departments").len(), 40);
    assert_eq!(values(&c, "/locations").len(), 5);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn arb_text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ -~]{0,40}",
            "\\PC{0,30}",
            Just("Legal name: ".to_string()),
            Just("Job Title".to_string()),
            Just(": - \u{2013} :".to_string()),
            Just("{{x}} [TBD] <y>".to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn mapping_arbitrary_text_and_tables_never_panics(
            paras in proptest::collection::vec(arb_text(), 0..8),
            cells in proptest::collection::vec(proptest::collection::vec(arb_text(), 0..5), 0..6),
        ) {
            let mut lines: Vec<String> = paras.iter().map(|p| {
                if p.starts_with('|') { format!(" {p}") } else { p.clone() }
            }).collect();
            for row in &cells {
                lines.push(format!("|{}|", row.iter().map(|c| c.replace('|', "/")).collect::<Vec<_>>().join("|")));
            }
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let d = docx("fuzz.docx", &refs);
            let m = map_document(&d, defaults());
            for c in &m.candidates {
                prop_assert!(!c.rule.is_empty());
            }
        }
    }
}

#[test]
fn defaults_read_customer_lists_and_interested_party_sections() {
    let customers = sheet(
        "Customers.xlsx",
        "Accounts",
        &[
            &["Customer", "Services", "SLA"],
            &[
                "Globex plc",
                "Managed desktop; Service desk",
                "Gold (99.9%)",
            ],
            &["Initech", "Hosting", ""],
        ],
    );
    let c = with_defaults(&customers);
    assert_eq!(
        values(&c, "/interested_parties"),
        vec![
            json!({"name": "Globex plc", "type": "customer", "requirements": ["Managed desktop; Service desk", "Gold (99.9%)"]}),
            json!({"name": "Initech", "type": "customer", "requirements": ["Hosting"]}),
        ]
    );
    let policy = docx(
        "context.docx",
        &[
            "# 4.2 Interested parties",
            "- Customers: availability and security of contracted services",
            "- Regulators (ICO) – compliance with UK GDPR",
            "- Staff: clear roles and training",
        ],
    );
    let c = with_defaults(&policy);
    assert_eq!(
        values(&c, "/interested_parties"),
        vec![
            json!({"name": "Customers", "type": "customer", "requirements": ["availability and security of contracted services"]}),
            json!({"name": "Regulators (ICO)", "type": "regulator", "requirements": ["compliance with UK GDPR"]}),
            json!({"name": "Staff", "type": "internal", "requirements": ["clear roles and training"]}),
        ]
    );
}

#[test]
fn defaults_read_sites_and_roles_named_in_prose_and_labels() {
    // "headquartered in" is a fallback: a document that also lists its sites by label names
    // the head office as the client does, so the prose sentence is read from its own page.
    let d = docx(
        "handbook.md",
        &[
            "Data centres: London DC1; Slough (Equinix LD4)",
            "Offices: Leeds, Dublin",
            "James Wright, Managing Director, is the executive sponsor of the SMS.",
            "The SMS Manager is Sarah Chen.",
        ],
    );
    let about = docx(
        "about.md",
        &["Apex is headquartered in Manchester and most staff work remotely two days a week."],
    );
    let mut c = with_defaults(&d);
    c.extend(with_defaults(&about));
    let locations = values(&c, "/locations");
    for expected in [
        json!({"name": "Manchester", "type": "headquarters"}),
        json!({"name": "Remote working", "type": "remote"}),
        json!({"name": "London DC1", "type": "data_center"}),
        json!({"name": "Slough (Equinix LD4)", "type": "data_center"}),
        json!({"name": "Leeds", "type": "office"}),
        json!({"name": "Dublin", "type": "office"}),
    ] {
        assert!(
            locations.contains(&expected),
            "{expected} missing from {locations:?}"
        );
    }
    assert_eq!(
        values(&c, "/key_roles/top_management_sponsor"),
        vec![json!("James Wright, Managing Director")]
    );
    assert_eq!(
        values(&c, "/key_roles/sms_manager"),
        vec![json!("Sarah Chen, SMS Manager")]
    );
}

#[test]
fn defaults_read_a_maturity_assessment_table() {
    let d = sheet(
        "Gap assessment.xlsx",
        "Maturity",
        &[
            &["Process", "Current Maturity", "Notes"],
            &["Incident management", "4 - Managed", ""],
            &["Change management", "Level 3", ""],
            &["Problem management", "Ad hoc", ""],
            &["Capacity management", "1", ""],
            &["Release management", "Not yet implemented", ""],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/service_management_maturity/mature_processes"),
        vec![json!("Incident management"), json!("Change management")]
    );
    assert_eq!(
        values(&c, "/service_management_maturity/ad_hoc_processes"),
        vec![
            json!("Problem management"),
            json!("Capacity management"),
            json!("Release management")
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Precision of the shipped rules on the shapes of real client documents

/// A Markdown page: the same block shapes as [`docx`], read as Markdown.
fn md(path: &str, lines: &[&str]) -> Document {
    let mut d = docx(path, lines);
    d.format = Format::Markdown;
    d
}

fn by_field<'a>(c: &'a [Candidate], field: &str) -> Vec<(&'a str, Value)> {
    c.iter()
        .filter(|c| c.field == field)
        .map(|c| (c.rule.as_str(), c.value.clone()))
        .collect()
}

#[test]
fn an_interested_parties_register_is_not_a_site_list() {
    // A handbook page (Name | Type | Requirements) and a register sheet with a title row,
    // Category and Type columns and Influence / How Monitored, as clause 4.2 registers have.
    let page = md(
        "handbook/interested-parties.md",
        &[
            "# Interested parties",
            "| Name | Type | Requirements |",
            "| Enterprise retail customers | Customer | 99.95% platform availability |",
            "| Microsoft (Azure) | Supplier | Adherence to Azure terms |",
            "| Information Commissioner's Office | Regulator | UK GDPR compliance |",
            "| Board of directors | Internal | Monthly service performance reporting |",
        ],
    );
    let register = sheet(
        "Registers/Interested_Parties_Register.xlsx",
        "Register",
        &[
            &["Interested Parties Register (ISO/IEC 20000-1 clause 4.2)"],
            &[],
            &[
                "Name",
                "Category",
                "Type",
                "Needs and Expectations",
                "Influence",
                "How Monitored",
            ],
            &[
                "NorthBank plc",
                "External",
                "Customer",
                "99.9% availability",
                "High",
                "Monthly review",
            ],
            &[
                "Cisco Systems Ltd",
                "External",
                "Supplier",
                "Timely renewals",
                "Medium",
                "Quarterly",
            ],
            &[
                "NHS England",
                "External",
                "Regulator",
                "Annual DSPT submission",
                "High",
                "Annual",
            ],
            &[
                "Apex employees",
                "Internal",
                "Internal",
                "Clear roles",
                "Medium",
                "Staff survey",
            ],
        ],
    );
    for d in [&page, &register] {
        let c = with_defaults(d);
        assert!(
            values(&c, "/locations").is_empty(),
            "{}: parties became locations: {:?}",
            d.path,
            by_field(&c, "/locations")
        );
        assert_eq!(values(&c, "/interested_parties").len(), 4, "{}", d.path);
    }
}

#[test]
fn a_site_list_is_recognised_by_site_headers_or_by_location_types() {
    // "Name | Type | Address": a plain Name column counts when the Type column holds location
    // types; a row whose type is not one is not a site.
    let d = docx(
        "Company Fact Sheet.docx",
        &[
            "| Name | Type | Address | Country |",
            "| Leeds HQ | Head office | 1 Park Row | United Kingdom |",
            "| Slough DC | Data centre | Equinix LD4 | United Kingdom |",
            "| Dublin | Branch office | 2 Dame St | Ireland |",
            "| Acme Ltd | Customer | 3 Main St | Ireland |",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/locations"),
        vec![
            json!({"name": "Leeds HQ", "type": "headquarters", "country": "United Kingdom"}),
            json!({"name": "Slough DC", "type": "data_center", "country": "United Kingdom"}),
            json!({"name": "Dublin", "type": "office", "country": "Ireland"}),
        ]
    );
    // The site-headed list of a wiki page; a cloud region in it is not a site of the
    // organization (the judge rejects it).
    let page = md(
        "company/locations.md",
        &[
            "| Location | Type | Country |",
            "| Bristol HQ | Headquarters | United Kingdom |",
            "| Azure UK South | Data centre | United Kingdom |",
            "| Remote (UK) | Remote | United Kingdom |",
        ],
    );
    assert_eq!(
        by_field(&with_defaults(&page), "/locations"),
        vec![
            (
                "sites.list",
                json!({"name": "Bristol HQ", "type": "headquarters", "country": "United Kingdom"})
            ),
            (
                "sites.list",
                json!({"name": "Remote (UK)", "type": "remote", "country": "United Kingdom"})
            ),
        ]
    );
}

#[test]
fn a_headcount_label_gives_the_number_not_the_sentence_and_a_leads_table_is_no_headcount() {
    // A handbook page: the stated headcount is followed by more text, and the table below it
    // lists only the leads (a HiBob directory holds everyone).
    let d = md(
        "handbook/company/people.md",
        &[
            "# People and teams",
            "Headcount: 85 (February 2026). The table lists leads and the people who own a process; the full directory lives in HiBob.",
            "| Name | Role | Team | Reports to | Location |",
            "| Nina Castellano | Chief Executive Officer | Leadership |  | Bristol |",
            "| Fiona Gallagher | Head of Service Management | Service Operations | Nina Castellano | Bristol |",
            "| Grace Mbeki | Release Manager | Platform | Fiona Gallagher | Bristol |",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        by_field(&c, "/organization/size"),
        vec![("policy.headcount", json!(85))]
    );
    // Qualifiers and ranges stay; text around the number does not.
    let d = docx(
        "facts.docx",
        &[
            "| Number of employees | approximately 340 (UK and Ireland) |",
            "| Staff numbers | 50-100 employees, plus contractors |",
            "| FTE | 95.5 |",
            "| Company size | SME |",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        by_field(&c, "/organization/size"),
        vec![
            ("policy.headcount", json!("approximately 340")),
            ("policy.headcount", json!("50-100")),
            ("policy.headcount.fte", json!("95.5 FTE")),
        ]
    );
}

/// A sheet whose blocks start at the given rows (0-based) in column A, as the reader cuts a
/// sheet at blank rows.
fn sheet_blocks(path: &str, sheet_name: &str, parts: &[(u32, &[&[&str]])]) -> Document {
    let blocks = parts
        .iter()
        .map(|(top, rows)| {
            let mut b = sheet_block(sheet_name, rows);
            if let BlockKind::Table(t) = &mut b.kind {
                for (r, row) in t.rows.iter_mut().enumerate() {
                    for (c, cell) in row.iter_mut().enumerate() {
                        cell.locator = Locator::Cell {
                            sheet: sheet_name.into(),
                            row: top + r as u32,
                            col: c as u32,
                            merged_from: None,
                        };
                    }
                }
            }
            if let Locator::Range { first, last, .. } = &mut b.locator {
                first.0 += top;
                last.0 += top;
            }
            b
        })
        .collect();
    doc(path, Format::Xlsx, blocks)
}

#[test]
fn a_staff_list_cut_by_a_blank_row_is_one_list() {
    // The old staff list: a blank row after three people splits the sheet in two blocks; the
    // second has no header of its own and ends with a totals row.
    let d = sheet_blocks(
        "staff list (old).xlsx",
        "Sheet1",
        &[
            (
                0,
                &[
                    &["Full Name ", "JobTitle", "Dept", "Reports_To", "Site"],
                    &[
                        "Graham Keane",
                        "Chief Operating Officer",
                        "Operations",
                        "",
                        "Reading",
                    ],
                    &[
                        "Nadia Brooks",
                        "ITSM Manager",
                        "IT",
                        "Graham Keane",
                        "Reading",
                    ],
                    &[
                        "Lewis Carr",
                        "IT Support Engineer",
                        "IT",
                        "Nadia Brooks",
                        "Reading",
                    ],
                ],
            ),
            (
                5,
                &[
                    &[
                        "Amira Yusuf",
                        "IT Support Engineer",
                        "IT",
                        "Nadia Brooks",
                        "Swindon depot",
                    ],
                    &[
                        "Jordan Blake",
                        "Infrastructure Engineer",
                        "IT",
                        "Nadia Brooks",
                        "Reading",
                    ],
                    &[
                        "Sophie Marsh",
                        "Service Desk Analyst",
                        "IT",
                        "Nadia Brooks",
                        "Reading",
                    ],
                    &["Total: 6", "", "", "", ""],
                ],
            ),
            // Far below: another table, not a continuation.
            (
                20,
                &[
                    &["Notes", "", "", "", ""],
                    &["Updated 2023", "", "", "", ""],
                ],
            ),
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(values(&c, "/organization/size"), vec![json!("6 employees")]);
    assert_eq!(
        values(&c, "/locations"),
        vec![json!({"name": "Reading"}), json!({"name": "Swindon depot"})]
    );
}

#[test]
fn a_totals_row_is_not_a_person() {
    let d = sheet(
        "staff list (old).xlsx",
        "Sheet1",
        &[
            &["Full Name ", "JobTitle", "Dept", "Reports_To", "Site"],
            &[
                "Graham Keane",
                "Chief Operating Officer",
                "Operations",
                "",
                "Reading",
            ],
            &[
                "Nadia Brooks",
                "ITSM Manager",
                "IT",
                "Graham Keane",
                "Reading",
            ],
            &[
                "Lewis Carr",
                "IT Support Engineer",
                "IT",
                "Nadia Brooks",
                "Reading",
            ],
            &["Total: 3"],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(values(&c, "/organization/size"), vec![json!("3 employees")]);
}

#[test]
fn services_offered_come_from_the_organizations_own_catalogue_not_from_its_suppliers() {
    // A supplier list with Service and Owner columns: what Microsoft and Datadog provide to
    // the organization, owned (as contracts) by its staff.
    let suppliers = md(
        "handbook/suppliers.md",
        &[
            "# Suppliers",
            "| Supplier | Service | Risk tier | Owner |",
            "| Microsoft | Azure hosting (UK South, UK West) | Critical | Lena Vogel |",
            "| Datadog | Monitoring SaaS | High | Lena Vogel |",
        ],
    );
    let c = with_defaults(&suppliers);
    assert!(values(&c, "/organization/services").is_empty(), "{c:?}");
    assert!(values(&c, "/key_roles/service_owners").is_empty(), "{c:?}");
    assert_eq!(values(&c, "/interested_parties").len(), 2);
    // A contracts register (Supplier Name | Services | Contract Manager) likewise.
    let contracts = sheet(
        "ICT Supplier Contracts Register.xlsx",
        "Contracts",
        &[
            &[
                "Supplier Name",
                "Contract Ref",
                "Services",
                "Category",
                "Contract Manager",
            ],
            &[
                "BT Business",
                "NCC-ICT-0098",
                "WAN and PSN connectivity",
                "Telecoms",
                "Peter Lindqvist",
            ],
        ],
    );
    assert!(values(&with_defaults(&contracts), "/organization/services").is_empty());
    // What the organization offers, under a "What we offer" / "Services we offer" heading.
    let index = md(
        "handbook/index.md",
        &[
            "## What we offer",
            "- Brightwave Engage (hosted SaaS platform)",
            "- Premium support (24x7 for enterprise plans)",
            "## Services we offer",
            "- Managed Service Desk",
        ],
    );
    assert_eq!(
        values(&with_defaults(&index), "/organization/services"),
        vec![
            json!("Brightwave Engage"),
            json!("Premium support"),
            json!("Managed Service Desk"),
        ],
        "the service's name, without the description in parentheses"
    );
}

#[test]
fn owners_named_in_process_owner_and_service_owner_lines() {
    let d = md(
        "service-management/sms-policy.md",
        &[
            "## Roles and responsibilities",
            "- Top management sponsor: Nina Castellano, Chief Executive Officer",
            "- SMS manager: Fiona Gallagher, Head of Service Management",
            "- Incident management owner: Tariq Aziz, Support Team Lead",
            "- Change and release management owner: Grace Mbeki, Release Manager",
            "- Internal IT service owner: Owain Price, Internal IT Manager",
            "- Information security owner: Sam Whitaker, Security Lead",
            "- Document owner: Fiona Gallagher",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![
            json!({"process": "Incident management", "owner": "Tariq Aziz, Support Team Lead"}),
            json!({"process": "Change and release management", "owner": "Grace Mbeki, Release Manager"}),
            json!({"process": "Information security management", "owner": "Sam Whitaker, Security Lead"}),
        ]
    );
    assert_eq!(
        values(&c, "/key_roles/service_owners"),
        vec![json!({"service": "Internal IT", "owner": "Owain Price, Internal IT Manager"})]
    );
}

#[test]
fn a_register_with_category_and_type_columns_takes_the_party_type_from_type() {
    // ISO 20000 / ISMS registers often have Category (Internal / External) before Type
    // (Customer, Supplier, Regulator): the type synonym listed first wins.
    let d = sheet(
        "Registers/Interested_Parties_Register.xlsx",
        "Register",
        &[
            &[
                "Name",
                "Category",
                "Type",
                "Needs and Expectations",
                "Influence",
            ],
            &[
                "NorthBank plc",
                "External",
                "Customer",
                "99.9% availability",
                "High",
            ],
            &[
                "NHS England",
                "External",
                "Regulator",
                "Annual DSPT submission",
                "High",
            ],
        ],
    );
    let c = with_defaults(&d);
    let types: Vec<Value> = values(&c, "/interested_parties")
        .iter()
        .map(|p| p["type"].clone())
        .collect();
    assert_eq!(types, vec![json!("customer"), json!("regulator")]);
}

#[test]
fn guesses_give_way_to_what_the_same_document_states() {
    // A leads table with a CEO and a CTO: the CEO is the sponsor; the CTO rule (for exports
    // without a CEO) and the top-of-chart rule stay silent.
    let d = md(
        "handbook/company/people.md",
        &[
            "| Name | Role | Team | Reports to |",
            "| Nina Castellano | Chief Executive Officer | Leadership |  |",
            "| Marcus Obi | Chief Technology Officer | Leadership | Nina Castellano |",
        ],
    );
    assert_eq!(
        by_field(&with_defaults(&d), "/key_roles/top_management_sponsor"),
        vec![(
            "hr.sponsor.chief_executive",
            json!("Nina Castellano, Chief Executive Officer")
        )]
    );
    // A stated value and a prose sentence about the same thing: the statement only.
    let d = md(
        "Wiki/Process-Maturity.md",
        &[
            "We adopted ITIL v3 informally two years ago: staff hold ITIL Foundation certificates.",
            "ITIL adoption: ITIL v3 informal adoption \u{2014} 2 years",
        ],
    );
    assert_eq!(
        by_field(
            &with_defaults(&d),
            "/service_management_maturity/itil_adoption"
        ),
        vec![(
            "policy.itil_adoption",
            json!("ITIL v3 informal adoption \u{2014} 2 years")
        )]
    );
    // Without a statement, the prose sentence is still found.
    let d = md(
        "maturity.md",
        &["We have followed ITIL 4 since 2023, with half the team Foundation certified."],
    );
    assert_eq!(
        by_field(
            &with_defaults(&d),
            "/service_management_maturity/itil_adoption"
        ),
        vec![("prose.itil_adoption", json!("ITIL 4"))]
    );
}

#[test]
fn a_fallback_rule_runs_only_for_fields_the_document_has_not_given() {
    let toml = r#"
[[label]]
id = "stated"
target = "/organization/industry"
priority = 60
labels = ["Industry"]

[[pattern]]
id = "guess"
target = "/organization/industry"
priority = 30
fallback = true
regex = 'we are an? (?P<i>[a-z ]+?) (company|firm)'
value = "{i}"
"#;
    let both = docx(
        "a.docx",
        &[
            "Industry: Facilities management",
            "We are a cleaning company.",
        ],
    );
    assert_eq!(
        values(&apply_rule(toml, &both), "/organization/industry"),
        vec![json!("Facilities management")]
    );
    let prose = docx("b.docx", &["We are a cleaning company."]);
    assert_eq!(
        values(&apply_rule(toml, &prose), "/organization/industry"),
        vec![json!("cleaning")]
    );
}

#[test]
fn a_label_line_followed_by_a_list_gives_each_item_to_a_list_field() {
    let d = md(
        "service-management/sms-policy.md",
        &[
            "## Management commitment",
            "Certification drivers:",
            "- Enterprise retail customers ask for ISO/IEC 20000-1 in procurement questionnaires",
            "- One way of working for external support and internal IT",
            "Resources:",
            "- Dedicated personnel: Head of Service Management at 60% allocation",
            "- External support: none planned; internal audit by a trained colleague",
            "- Budget: \u{a3}25,000 approved by the board for 2026",
        ],
    );
    let c = with_defaults(&d);
    // The label rule reads the list under "Certification drivers:"; so does the drivers
    // section, which takes such a line as a lead-in (the merge counts the same place once).
    let mut drivers: Vec<Value> = values(&c, "/management_commitment/certification_drivers");
    drivers.dedup();
    drivers.sort_by_key(|v| v.to_string());
    drivers.dedup();
    assert_eq!(
        drivers,
        vec![
            json!(
                "Enterprise retail customers ask for ISO/IEC 20000-1 in procurement questionnaires"
            ),
            json!("One way of working for external support and internal IT"),
        ]
    );
    // "Resources:" is a label of a text field: its list items are labels of their own.
    assert_eq!(
        by_field(
            &c,
            "/management_commitment/resource_allocation/dedicated_personnel"
        ),
        vec![(
            "policy.dedicated_personnel",
            json!("Head of Service Management at 60% allocation")
        )]
    );
    assert_eq!(
        by_field(
            &c,
            "/management_commitment/resource_allocation/external_support"
        ),
        vec![(
            "policy.external_support",
            json!("none planned; internal audit by a trained colleague")
        )]
    );
}

#[test]
fn a_label_whose_value_starts_unfilled_gives_nothing_and_list_items_lose_the_full_stop() {
    let d = md(
        "notes/kickoff-notes.md",
        &[
            "# Kick-off notes - ISO 20000 project",
            "- Stage 1 target: TBD. Consultant: none yet.",
            "- Budget: TBC, depends on the board",
            "- Tools: ManageEngine ServiceDesk Plus, Zabbix.",
        ],
    );
    let c = with_defaults(&d);
    // The TBD and TBC are statements that the fields are open, never values.
    assert_eq!(
        values(&c, "/management_commitment/target_timeline/stage_1_audit"),
        vec![json!("TBD")]
    );
    assert!(
        by_field(&c, "/management_commitment/resource_allocation/budget")
            .iter()
            .all(|(rule, v)| *rule != "policy.budget" || v == &json!("TBC"))
    );
    assert_eq!(
        by_field(&c, "/service_management_maturity/itsm_tools")
            .into_iter()
            .filter(|(r, _)| *r == "policy.itsm_tools")
            .collect::<Vec<_>>(),
        vec![
            ("policy.itsm_tools", json!("ManageEngine ServiceDesk Plus")),
            ("policy.itsm_tools", json!("Zabbix")),
        ]
    );
}

#[test]
fn an_sms_role_matrix_names_the_sponsor_the_sms_manager_and_owners_with_their_titles() {
    let d = docx(
        "Roles and Responsibilities Matrix.docx",
        &[
            "SMS Roles and Responsibilities Matrix",
            "| Role | Name | Job Title | SMS Responsibilities |",
            "| Top management | Rebecca Holt | Chief Executive Officer | Sponsors the SMS |",
            "| Management representative | Simon Akhtar | Service Delivery Manager | Runs the SMS day to day |",
            "| Incident management owner | Kelly Brennan | Support Manager | Incident and service request process |",
            "| Change management owner | Dev Sharma | Change Manager | Change and release process; CAB chair |",
            "| Supplier management owner | Louise Carter | Finance Manager | Supplier contracts and reviews |",
        ],
    );
    let c = with_defaults(&d);
    let best = |field: &str| {
        c.iter()
            .filter(|c| c.field == field)
            .max_by_key(|c| c.priority)
            .map(|c| c.value.clone())
    };
    assert_eq!(
        best("/key_roles/top_management_sponsor"),
        Some(json!("Rebecca Holt, Chief Executive Officer"))
    );
    assert_eq!(
        best("/key_roles/sms_manager"),
        Some(json!("Simon Akhtar, Service Delivery Manager"))
    );
    let owners: Vec<(&str, Value)> = by_field(&c, "/key_roles/process_owners")
        .into_iter()
        .filter(|(r, _)| *r == "roles.process_owners")
        .collect();
    assert_eq!(
        owners,
        vec![
            (
                "roles.process_owners",
                json!({"process": "Incident management", "owner": "Kelly Brennan, Support Manager"})
            ),
            (
                "roles.process_owners",
                json!({"process": "Change management", "owner": "Dev Sharma, Change Manager"})
            ),
            (
                "roles.process_owners",
                json!({"process": "Supplier management", "owner": "Louise Carter, Finance Manager"})
            ),
        ]
    );
    // A role matrix lists role holders, not the staff: no headcount, and the Job Title column
    // (not Role) is the people table's title.
    assert!(values(&c, "/organization/size").is_empty());
    assert!(values(&c, "/locations").is_empty());
}

#[test]
fn a_policy_in_prose_gives_name_industry_size_sites_drivers_roles_and_owners() {
    // The shapes of a council ICT policy and an MSP policy written in sentences.
    let d = docx(
        "ICT Service Management Policy v2.1.docx",
        &[
            "# Scope",
            "ICT Services is the internal IT department of Northshire County Council, a local authority.",
            "The Council's Digital Strategy 2025-2028 commits ICT Services to a recognised standard.",
            "In scope locations: County Hall, Kingsbridge (headquarters); Riverside House, Kingsbridge (office); Eastgate Data Centre (data centre). ICT Services has 57 staff.",
            "# Leadership",
            "The Chief Information Officer, Helen Okafor, is the senior sponsor of the SMS and reports on it to the Corporate Leadership Team. The Head of Service Management, David Price, is the SMS manager and is accountable for the SMS.",
            "# Why we are seeking certification",
            "- Internal audit recommendation (2025) to formalise ICT service management",
            "- Schools traded-services buyers ask for evidence of service quality",
            "# Roles and Responsibilities",
            "| Process | Process Owner | Job Title |",
            "| Incident management | Mark Ellis | Service Desk Lead |",
            "| Change management | Joanne Fraser | Change and Release Manager |",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/organization/name"),
        vec![json!("Northshire County Council")]
    );
    assert_eq!(
        values(&c, "/organization/size"),
        vec![json!("57 employees")]
    );
    assert_eq!(
        values(&c, "/locations"),
        vec![
            json!({"name": "County Hall, Kingsbridge", "type": "headquarters"}),
            json!({"name": "Riverside House, Kingsbridge", "type": "office"}),
            json!({"name": "Eastgate Data Centre", "type": "data_center"}),
        ]
    );
    assert_eq!(
        values(&c, "/key_roles/top_management_sponsor"),
        vec![json!("Helen Okafor, Chief Information Officer")]
    );
    assert_eq!(
        values(&c, "/key_roles/sms_manager"),
        vec![json!("David Price, Head of Service Management")]
    );
    assert_eq!(
        values(&c, "/management_commitment/certification_drivers").len(),
        2
    );
    assert_eq!(
        values(&c, "/key_roles/process_owners"),
        vec![
            json!({"process": "Incident management", "owner": "Mark Ellis, Service Desk Lead"}),
            json!({"process": "Change management", "owner": "Joanne Fraser, Change and Release Manager"}),
        ]
    );
    let d = docx(
        "policy.docx",
        &[
            "Kestrel Facilities Group plc is a facilities management company.",
            "Apex IT Services Ltd is a Managed IT Services company with 120 employees.",
            "Offices: Leeds, United Kingdom",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/organization/industry"),
        vec![json!("Facilities management"), json!("Managed IT Services")]
    );
    assert_eq!(
        values(&c, "/locations"),
        vec![json!({"name": "Leeds", "type": "office"})],
        "a country is not an office"
    );
}

#[test]
fn fact_sheet_and_matrix_rows_are_read_as_what_they_are() {
    // A four-column data table: "Change Manager" in the third cell is a job title, not a
    // label whose value is the fourth cell.
    let matrix = docx(
        "Roles and Responsibilities Matrix.docx",
        &[
            "| Role | Name | Job Title | SMS Responsibilities |",
            "| Change management owner | Dev Sharma | Change Manager | Change and release process; CAB chair |",
        ],
    );
    let owners = values(&with_defaults(&matrix), "/key_roles/process_owners");
    assert!(
        owners
            .iter()
            .all(|o| o["owner"] != json!("Change and release process; CAB chair")),
        "{owners:?}"
    );
    // A document-control grid still reads both labels of a row.
    let grid = docx(
        "plan.docx",
        &["| Stage 1 audit | 6 months | Stage 2 audit | 9 months |"],
    );
    let c = with_defaults(&grid);
    assert_eq!(
        values(&c, "/management_commitment/target_timeline/stage_2_audit"),
        vec![json!("9 months")]
    );
    // A fact sheet: the head office label and the Sites table name the same place; the sites
    // table wins in that document. "Colocation" is a service here, not a data centre.
    let sheet_doc = docx(
        "Company Fact Sheet.docx",
        &[
            "| Organisation name | Meridian Hosting Ltd |",
            "| Headquarters | Leeds, United Kingdom |",
            "| Services | Colocation; Managed hosting |",
            "Sites",
            "| Site | Type | Address | Country |",
            "| Leeds HQ | Headquarters | Wellington Place, Leeds | United Kingdom |",
            "Service owners",
            "| Service | Service Owner |",
            "| Colocation | Ian Rowe, Data Centre Operations Manager |",
        ],
    );
    assert_eq!(
        values(&with_defaults(&sheet_doc), "/locations"),
        vec![json!({"name": "Leeds HQ", "type": "headquarters", "country": "United Kingdom"})]
    );
    // A Resources paragraph: the sentence about people, not the budget after it.
    let res = docx(
        "policy.docx",
        &[
            "# Resources",
            "The Head of Service Management is allocated 50% of his time to the SMS. A budget of \u{a3}40,000 was approved in September 2025.",
        ],
    );
    assert_eq!(
        values(
            &with_defaults(&res),
            "/management_commitment/resource_allocation/dedicated_personnel"
        ),
        vec![json!(
            "The Head of Service Management is allocated 50% of his time to the SMS."
        )]
    );
    // The text of a Leadership / Management Commitment section is not a governance
    // structure (in a template it is "Target timeline: TBC").
    let template = docx(
        "Service Management Policy - TEMPLATE.docx",
        &[
            "# Management Commitment",
            "Certification drivers: XXX",
            "Target timeline: TBC",
        ],
    );
    assert!(values(
        &with_defaults(&template),
        "/management_commitment/governance_structure"
    )
    .is_empty());
}

#[test]
fn maturity_stated_in_a_sentence_gives_each_process() {
    let d = docx(
        "ICT Strategy 2025-2028.docx",
        &[
            "# Where we are today",
            "Service desk staff have been ITIL 4 Foundation trained since 2022. Incident management and change management are mature and measured; problem management and capacity management are ad hoc.",
            "We think release management is not mature yet.",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/service_management_maturity/mature_processes"),
        vec![json!("Incident management"), json!("Change management")]
    );
    assert_eq!(
        values(&c, "/service_management_maturity/ad_hoc_processes"),
        vec![json!("Problem management"), json!("Capacity management")]
    );
}

#[test]
fn a_pattern_split_needs_a_list_of_text_field() {
    let e = errors_of(
        "[[pattern]]\nid = \"p\"\ntarget = \"/organization/name\"\nregex = 'x'\nsplit = ','\n",
    );
    assert!(
        e.iter()
            .any(|l| l.contains("`split` works on a `value` for a list-of-text field")),
        "{e:?}"
    );
}

#[test]
fn a_section_split_group_needs_a_split_and_a_group_of_its_pattern() {
    let e = errors_of(
        "[[section]]\nid = \"s\"\ntarget = \"/interested_parties\"\nheadings = [\"Parties\"]\n\
pattern = '(?P<list>.+)'\nsplit_group = \"list\"\nrecord = { name = \"{list}\" }\n",
    );
    assert!(
        e.iter()
            .any(|l| l.contains("there is no `split`") && l.contains("rules/bad.toml:")),
        "{e:?}"
    );
    let e = errors_of(
        "[[section]]\nid = \"s\"\ntarget = \"/interested_parties\"\nheadings = [\"Parties\"]\n\
pattern = '(?P<list>.+)'\nsplit = ','\nsplit_group = \"items\"\nrecord = { name = \"{list}\" }\n",
    );
    assert!(
        e.iter()
            .any(|l| l.contains("`split_group = \"items\"` names no group")),
        "{e:?}"
    );
}

#[test]
fn a_people_table_with_a_role_column_is_not_an_sms_role_matrix() {
    // A handbook's leads table: Role is the job title. The stated "SMS manager:" line keeps
    // its title; no role-matrix rule outranks it with the bare name.
    let d = md(
        "handbook/company/people.md",
        &[
            "| Name | Role | Team | Reports to | Location |",
            "| Fiona Gallagher | Head of Service Management | Service Operations | Marcus Obi | Bristol |",
        ],
    );
    let c = with_defaults(&d);
    assert!(
        c.iter().all(|c| !c.rule.starts_with("roles.")),
        "{:?}",
        by_field(&c, "/key_roles/sms_manager")
    );
    assert_eq!(
        values(&c, "/key_roles/sms_manager"),
        vec![json!("Fiona Gallagher, Head of Service Management")]
    );
}

#[test]
fn leavers_contractors_guests_and_disabled_accounts_are_not_headcount() {
    // A BambooHR report with Status and Employment Type, and an Entra ID export with
    // accountEnabled and userType.
    let hr = sheet(
        "BambooHR.xlsx",
        "Report",
        &[
            &[
                "Employee Name",
                "Job Title",
                "Department",
                "Status",
                "Employment Type",
            ],
            &["Ana Lopez", "Engineer", "IT", "Active", "Full-Time"],
            &["Ben Ode", "Engineer", "IT", "Terminated", "Full-Time"],
            &["Cy Park", "Analyst", "IT", "Active", "Fixed Term"],
            &["Dee Contractor", "Engineer", "IT", "Active", "Contractor"],
        ],
    );
    assert_eq!(
        values(&with_defaults(&hr), "/organization/size"),
        vec![json!("2 employees")]
    );
    let entra = sheet(
        "users.xlsx",
        "Users",
        &[
            &[
                "displayName",
                "jobTitle",
                "department",
                "accountEnabled",
                "userType",
            ],
            &["Ana Lopez", "Engineer", "IT", "True", "Member"],
            &["Old Account", "Engineer", "IT", "False", "Member"],
            &["Partner Person", "Consultant", "", "True", "Guest"],
        ],
    );
    assert_eq!(
        values(&with_defaults(&entra), "/organization/size"),
        vec![json!("1 employees")]
    );
    // Prose: the organization's own size, not a customer's employees.
    let d = docx(
        "scope.docx",
        &[
            "ICT Services has 57 staff.",
            "We support customers with 500 employees or more.",
        ],
    );
    assert_eq!(
        values(&with_defaults(&d), "/organization/size"),
        vec![json!("57 employees")]
    );
    let d = docx(
        "scope.docx",
        &[
            "We support customers with 500 employees or more.",
            "Our 85 employees work in Bristol.",
        ],
    );
    assert_eq!(
        values(&with_defaults(&d), "/organization/size"),
        vec![json!("85 employees")]
    );
}

#[test]
fn the_header_row_of_a_data_table_is_not_a_label_and_its_value() {
    // "Organisation | Requirements" heads a register; "Company | Contact" a contact list.
    let d = md(
        "contacts.md",
        &[
            "| Organisation | Requirements |",
            "| NorthBank plc | 99.9% availability |",
            "| ICO | UK GDPR |",
            "",
            "| Company | Contact |",
            "| Cisco Systems Ltd | Jo Bloggs |",
        ],
    );
    assert!(values(&with_defaults(&d), "/organization/name").is_empty());
    // A fact sheet whose rows are labels still reads its first row.
    let facts = docx(
        "Company Fact Sheet.docx",
        &[
            "| Organisation name | Meridian Hosting Ltd |",
            "| Industry | Data centre and hosting services |",
            "| Number of employees | 64 |",
            "| Company number | 07654321 |",
        ],
    );
    assert_eq!(
        values(&with_defaults(&facts), "/organization/name"),
        vec![json!("Meridian Hosting Ltd")]
    );
}

#[test]
fn generic_labels_take_only_values_of_their_kind() {
    let d = docx(
        "isms.docx",
        &[
            "| Size | 2.5 MB |",
            "| Framework | ISO/IEC 27001:2022 |",
            "Tools: see the tooling page.",
            "Personnel: 120",
        ],
    );
    let c = with_defaults(&d);
    assert!(values(&c, "/organization/size").is_empty(), "{c:?}");
    assert!(values(&c, "/service_management_maturity/itil_adoption").is_empty());
    assert!(values(&c, "/service_management_maturity/itsm_tools").is_empty());
    let d = docx(
        "plan.docx",
        &[
            "Framework: ITIL 4, adopted 2023",
            "Tools: Nagios, Jira Service Management.",
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/service_management_maturity/itil_adoption"),
        vec![json!("ITIL 4, adopted 2023")]
    );
    assert_eq!(
        by_field(&c, "/service_management_maturity/itsm_tools")
            .into_iter()
            .filter(|(r, _)| *r == "policy.itsm_tools")
            .map(|(_, v)| v)
            .collect::<Vec<_>>(),
        vec![json!("Nagios"), json!("Jira Service Management")]
    );
}

#[test]
fn a_pattern_within_keeps_only_sentences_about_the_sms() {
    let d = docx(
        "policies.docx",
        &[
            "The service desk team is dedicated to customers around the clock.",
            "The SMS manager is allocated 50% of her time to the SMS.",
        ],
    );
    assert_eq!(
        values(
            &with_defaults(&d),
            "/management_commitment/resource_allocation/dedicated_personnel"
        ),
        vec![json!(
            "The SMS manager is allocated 50% of her time to the SMS."
        )]
    );
}

#[test]
fn an_internal_it_department_calling_its_users_customers_is_not_external() {
    let d = docx(
        "ICT Service Catalogue.docx",
        &["ICT provides IT services to our customers across the Council; our internal customers are the directorates."],
    );
    assert_eq!(
        values(&with_defaults(&d), "/service_provider_type/classification"),
        vec![json!("Type I")]
    );
}

#[test]
fn several_people_with_an_sms_or_sponsor_title_are_a_question_not_a_guess() {
    // An MSP export: account-level "Service Manager"s and several chief officers.
    let d = sheet(
        "HR/staff.xlsx",
        "Staff",
        &[
            &["Employee Name", "Job Title", "Department"],
            &["Ann Lee", "Service Manager", "Accounts"],
            &["Bo Chan", "Service Manager", "Accounts"],
            &["Cy Dunn", "Chief Technology Officer", "Leadership"],
            &["Di Eze", "Chief Operating Officer", "Leadership"],
        ],
    );
    let c = with_defaults(&d);
    assert!(values(&c, "/key_roles/sms_manager").is_empty(), "{c:?}");
    assert!(values(&c, "/key_roles/top_management_sponsor").is_empty());
    // One holder of the title is taken.
    let d = sheet(
        "HR/staff.xlsx",
        "Staff",
        &[
            &["Employee Name", "Job Title", "Department"],
            &["Ann Lee", "Service Manager", "Operations"],
            &["Cy Dunn", "Chief Technology Officer", "Leadership"],
        ],
    );
    let c = with_defaults(&d);
    assert_eq!(
        values(&c, "/key_roles/sms_manager"),
        vec![json!("Ann Lee, Service Manager")]
    );
    assert_eq!(
        values(&c, "/key_roles/top_management_sponsor"),
        vec![json!("Cy Dunn, Chief Technology Officer")]
    );
}

#[test]
fn site_labels_take_place_names_not_sentences() {
    let d = docx(
        "handbook.docx",
        &[
            "Locations: see appendix A",
            "Office: open plan, hot desks",
            "Offices: Leeds, and Dublin",
        ],
    );
    assert_eq!(
        values(&with_defaults(&d), "/locations"),
        vec![
            json!({"name": "Leeds", "type": "office"}),
            json!({"name": "Dublin", "type": "office"})
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Shipped regexes rewritten to build faster keep what they match

fn industries(lines: &[&str]) -> Vec<Value> {
    let c = with_defaults(&md("wiki/about.md", lines));
    by_field(&c, "/organization/industry")
        .into_iter()
        .filter(|(r, _)| *r == "prose.industry")
        .map(|(_, v)| v)
        .collect()
}

#[test]
fn prose_industry_takes_three_to_51_characters_and_no_more() {
    let of_len = |n: usize| {
        let word: String = "abcdefghij".chars().cycle().take(n).collect();
        format!("Acme Ltd is a {word} company.")
    };
    assert_eq!(industries(&[&of_len(51)]).len(), 1);
    assert_eq!(industries(&[&of_len(3)]).len(), 1);
    assert_eq!(industries(&[&of_len(52)]), Vec::<Value>::new());
    assert_eq!(industries(&[&of_len(2)]), Vec::<Value>::new());
    // A long description before "specialist" is a phrase, not an industry.
    assert_eq!(
        industries(&["Apex IT Services Ltd is a managed service provider, cloud, telecoms and cyber security specialist."]),
        Vec::<Value>::new()
    );
    // Nor does a later, shorter "is a ... company" stand in for it.
    assert_eq!(
        industries(&["Apex is a provider of managed hosting and support for clients, which is a growing company."]),
        Vec::<Value>::new()
    );
    assert_eq!(
        industries(&["Kestrel Facilities Group plc is a facilities management company."]),
        vec![json!("Facilities management")]
    );
    assert_eq!(
        industries(&["Straße Café GmbH is a café chain company."]),
        vec![json!("Café chain")]
    );
}

#[test]
fn prose_headcount_takes_the_number_after_a_long_name_with_has() {
    let c = with_defaults(&md(
        "wiki/about.md",
        &["The ICT Service Desk Team North West has 57 staff."],
    ));
    assert_eq!(
        by_field(&c, "/organization/size"),
        vec![("prose.headcount", json!("57 employees"))]
    );
}

#[test]
fn tool_and_party_types_match_words_that_start_with_a_stem() {
    let d = sheet(
        "tools.xlsx",
        "Tools",
        &[
            &["Tool", "Category"],
            &["Halo", "Ticketing"],
            &["Snipe", "Asset tracking"],
            &["Opsgenie", "Alerting"],
            &["Meraki", "Networking / switches"],
            &["Teams", "Collaboration"],
            &["Widget", "xticket"],
        ],
    );
    let c = with_defaults(&d);
    let types: Vec<Value> = by_rule(&c, "/technology")
        .into_iter()
        .filter(|(r, _)| *r == "tools.inventory")
        .map(|(_, v)| v["type"].clone())
        .collect();
    assert_eq!(
        types,
        vec![
            json!("itsm"),
            json!("cmdb"),
            json!("monitoring"),
            json!("network"),
            json!("collaboration"),
            json!("other"),
        ]
    );
    let itsm: Vec<Value> = by_rule(&c, "/service_management_maturity/itsm_tools")
        .into_iter()
        .filter(|(r, _)| *r == "tools.inventory.itsm_tools")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(itsm, vec![json!("Halo"), json!("Snipe"), json!("Opsgenie")]);

    let parties = sheet(
        "parties.xlsx",
        "Register",
        &[
            &["Interested Party", "Type", "Requirements"],
            &["Acme Outsourcing", "Outsourced service desk", "SLA"],
        ],
    );
    let types: Vec<Value> = by_rule(&with_defaults(&parties), "/interested_parties")
        .into_iter()
        .map(|(_, v)| v["type"].clone())
        .collect();
    assert_eq!(types, vec![json!("supplier")]);
}

#[test]
fn a_short_form_rule_keeps_matches_whose_short_form_is_the_initials_and_names_bad_groups() {
    let toml = r#"
[[pattern]]
id = "defined"
target = "/organization/name"
short_form = ["short", "name"]
regex = '^(?P<name>[\w ]+?) \((?P<short>[A-Z]+)\) is'
value = "{name}"
"#;
    let d = docx(
        "about.docx",
        &[
            "Kestrel Shared Service (KSS) is a body.",
            "Kestrel Shared Service (ABC) is a body.",
        ],
    );
    assert_eq!(
        values(&apply_rule(toml, &d), "/organization/name"),
        vec![Value::from("Kestrel Shared Service")]
    );
    // A group the regex does not have, and one group alone, are errors naming the rule's file.
    let errs = errors_of(&toml.replace(r#"["short", "name"]"#, r#"["abbr", "name"]"#));
    assert!(
        errs.iter()
            .any(|l| l.contains("rules/bad.toml") && l.contains("`short_form` names `abbr`")),
        "{errs:?}"
    );
    let errs = errors_of(&toml.replace(r#"["short", "name"]"#, r#"["short"]"#));
    assert!(
        errs.iter()
            .any(|l| l.contains("`short_form` takes two groups")),
        "{errs:?}"
    );
}
