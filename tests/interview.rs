//! The interview loop end to end: a client with gaps is imported, its `interview.docx` is
//! answered the way Word saves a consultant's typing (answers split over runs, spelling marks
//! and bookmarks between them, one paragraph per list entry), put back in the client's folder
//! under another name and imported again. Also: answers that do not fit, a pack of another
//! format version, a pack whose property an editor dropped, and the batch overview page.

use orgprofile::map::Rules;
use orgprofile::pipeline::{self, Options, Quiet};
use serde_json::Value;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

fn options() -> Options {
    Options {
        rules: Rules::load(&[]).expect("the shipped mapping rules compile"),
        ..Options::default()
    }
}

/// A copy of the sample client with gaps (no sponsor, no drivers, no parties...).
fn client_with_gaps(root: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        fs::create_dir_all(to).unwrap();
        for e in fs::read_dir(from).unwrap() {
            let p = e.unwrap().path();
            let t = to.join(p.file_name().unwrap());
            if p.is_dir() {
                copy(&p, &t);
            } else {
                fs::copy(&p, &t).unwrap();
            }
        }
    }
    let dir = root.join("kestrel");
    copy(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clients/kestrel-facilities"),
        &dir,
    );
    dir
}

fn import(dir: &Path, out: &Path) {
    let o = pipeline::import_client(dir, out, &options(), &Quiet);
    assert!(o.error.is_none(), "{:?}", o.error);
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// The parts of a zip, in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().to_string(), data)
        })
        .filter(|(name, _)| !name.ends_with('/'))
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A line of an answer as Word saves it after typing: the text split over runs, with spelling
/// marks, a bookmark and a language change between them.
fn word_paragraph(line: &str) -> String {
    // A "\n" in a line is a Shift+Enter: a line break inside the paragraph.
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('\n', "</w:t><w:br/><w:t>")
    };
    let cut = line
        .char_indices()
        .nth(line.chars().count() / 2)
        .map_or(0, |(i, _)| i);
    let (a, b) = line.split_at(cut);
    format!(
        r#"<w:p w14:paraId="1A2B3C4D" w:rsidR="00A1"><w:pPr><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:pPr><w:r w:rsidRPr="00B2"><w:rPr><w:lang w:val="en-GB"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r><w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="7" w:name="_GoBack"/><w:bookmarkEnd w:id="7"/><w:r><w:t>{}</w:t></w:r><w:proofErr w:type="spellEnd"/></w:p>"#,
        esc(a),
        esc(b)
    )
}

/// `pack` with the Answer cell of the row for each pointer filled, one paragraph per line.
/// Panics when the pack has no row for a pointer.
fn answer(pack: &[u8], answers: &[(&str, &[&str])]) -> Vec<u8> {
    let mut parts = unzip(pack);
    let doc = parts
        .iter_mut()
        .find(|(n, _)| n == "word/document.xml")
        .unwrap();
    let mut xml = String::from_utf8(doc.1.clone()).unwrap();
    for (pointer, lines) in answers {
        let at = xml
            .find(&format!(">{pointer}</w:t>"))
            .unwrap_or_else(|| panic!("no row for {pointer}"));
        let row = xml[..at].rfind("<w:tr>").unwrap();
        // The third cell of the row: its one empty paragraph becomes the answer.
        let mut cell = row;
        for _ in 0..3 {
            cell += xml[cell..].find("<w:tc>").unwrap() + 1;
        }
        let p = cell + xml[cell..].find("<w:p ").unwrap();
        let end = p + xml[p..].find("</w:p>").unwrap() + "</w:p>".len();
        let filled: String = lines.iter().map(|l| word_paragraph(l)).collect();
        xml.replace_range(p..end, &filled);
    }
    doc.1 = xml.into_bytes();
    rezip(&parts)
}

/// `pack` with its custom properties part replaced (`None`: removed).
fn with_custom(pack: &[u8], custom: Option<&str>) -> Vec<u8> {
    let mut parts = unzip(pack);
    parts.retain(|(n, _)| n != "docProps/custom.xml");
    if let Some(c) = custom {
        parts.push(("docProps/custom.xml".into(), c.as_bytes().to_vec()));
    }
    rezip(&parts)
}

const PACK_NAME: &str = "Interview answers (final).docx";

#[test]
fn an_answered_pack_fills_the_profile_with_the_pack_as_source() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = client_with_gaps(tmp.path());
    let first = tmp.path().join("first");
    import(&dir, &first);
    let before = json(&first.join("profile.json"));
    assert!(before
        .pointer("/key_roles/top_management_sponsor")
        .is_none());
    let pack = fs::read(first.join("interview.docx")).unwrap();
    let answered = answer(
        &pack,
        &[
            (
                "/key_roles/top_management_sponsor",
                &["Rebecca Holt, Managing Director"],
            ),
            (
                "/management_commitment/certification_drivers",
                &["Customer contract requirements", "Public sector tenders"],
            ),
            (
                "/service_management_maturity/itil_adoption",
                &["ITIL 4, informally, since 2022"],
            ),
            (
                "/service_management_maturity/mature_processes",
                &["Incident management\nChange management"],
            ),
            (
                "/interested_parties",
                &[
                    "Reading Borough Council (customer): Monthly service reports; 99.5% availability",
                    "Zabbix SIA (supplier)",
                ],
            ),
        ],
    );
    fs::write(dir.join(PACK_NAME), &answered).unwrap();
    let second = tmp.path().join("second");
    import(&dir, &second);
    let after = json(&second.join("profile.json"));
    let sources = json(&second.join("sources.json"));

    assert_eq!(
        after["key_roles"]["top_management_sponsor"],
        "Rebecca Holt, Managing Director"
    );
    assert_eq!(
        after["management_commitment"]["certification_drivers"],
        serde_json::json!(["Customer contract requirements", "Public sector tenders"])
    );
    assert_eq!(
        after["service_management_maturity"]["itil_adoption"],
        "ITIL 4, informally, since 2022"
    );
    assert_eq!(
        after["service_management_maturity"]["mature_processes"],
        serde_json::json!(["Incident management", "Change management"])
    );
    let parties = after["interested_parties"].as_array().unwrap();
    assert!(parties
        .iter()
        .any(|p| p["name"] == "Reading Borough Council"
            && p["type"] == "customer"
            && p["requirements"]
                == serde_json::json!(["Monthly service reports", "99.5% availability"])));
    assert!(parties
        .iter()
        .any(|p| p["name"] == "Zabbix SIA" && p["type"] == "supplier"));

    // Each answer's source is the pack and its row.
    let chosen = &sources["/key_roles/top_management_sponsor"]["chosen"];
    assert_eq!(chosen["from"], "answer");
    assert_eq!(chosen["file"], PACK_NAME);
    assert!(chosen["locator"].as_str().unwrap().contains(" row "));
    for item in sources["/management_commitment/certification_drivers"]["items"]
        .as_array()
        .unwrap()
    {
        assert_eq!(item["sources"][0]["file"], PACK_NAME);
    }
    // The staff list's guess disagrees with the answer: a conflict, the answer kept.
    let report = json(&second.join("report.json"));
    let conflict = report["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "/key_roles/top_management_sponsor")
        .expect("the guess is a conflict");
    assert_eq!(conflict["kind"], "answer");
    assert_eq!(conflict["chosen"]["file"], PACK_NAME);
    let explained =
        orgprofile::report::explain(&second, Some("/key_roles/top_management_sponsor")).unwrap();
    assert!(
        explained.contains("answer in an interview pack"),
        "{explained}"
    );

    // Nothing else lost: every value of the first profile is still there.
    fn leaves(v: &Value, at: String, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, x)| leaves(x, format!("{at}/{k}"), out)),
            _ => out.push((at, v.clone())),
        }
    }
    let mut old = Vec::new();
    leaves(&before, String::new(), &mut old);
    for (pointer, value) in old {
        assert_eq!(after.pointer(&pointer), Some(&value), "{pointer} lost");
    }
    // The pack's questions and quoted facts became nothing else: only answered fields changed.
    let mut new = Vec::new();
    leaves(&after, String::new(), &mut new);
    for (pointer, _) in new {
        if before.pointer(&pointer).is_none() {
            assert!(
                [
                    "/key_roles/top_management_sponsor",
                    "/management_commitment/certification_drivers",
                    "/service_management_maturity/itil_adoption",
                    "/service_management_maturity/mature_processes",
                    "/interested_parties",
                ]
                .contains(&pointer.as_str()),
                "{pointer} came from the pack's text"
            );
        }
    }
    // The next pack no longer asks what was answered.
    let next = unzip(&fs::read(second.join("interview.docx")).unwrap());
    let xml = String::from_utf8(
        next.iter()
            .find(|p| p.0 == "word/document.xml")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(!xml.contains(">/service_management_maturity/itil_adoption</w:t>"));
}

#[test]
fn answers_that_do_not_fit_are_reported_with_their_row_and_not_taken() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = client_with_gaps(tmp.path());
    let first = tmp.path().join("first");
    import(&dir, &first);
    let pack = fs::read(first.join("interview.docx")).unwrap();
    let answered = answer(
        &pack,
        &[
            (
                "/key_roles/top_management_sponsor",
                &["We have not yet decided who in the board will take this on, maybe next quarter when the new structure is agreed"],
            ),
            ("/interested_parties", &["Acme plc (friend)"]),
            ("/service_management_maturity/itil_adoption", &["yes"]),
        ],
    );
    fs::write(dir.join("pack.docx"), &answered).unwrap();
    let second = tmp.path().join("second");
    import(&dir, &second);
    let after = json(&second.join("profile.json"));
    assert!(after.pointer("/key_roles/top_management_sponsor").is_none());
    assert!(after.pointer("/interested_parties").is_none());
    assert!(after
        .pointer("/service_management_maturity/itil_adoption")
        .is_none());
    let md = fs::read_to_string(second.join("report.md")).unwrap();
    let section = md
        .split("## Interview answers not taken")
        .nth(1)
        .expect("a section lists the answers not taken");
    for needle in [
        "pack.docx, word/document.xml table",
        "friend",
        "\"yes\" is not a value",
        "does not fit the shape person",
    ] {
        assert!(section.contains(needle), "{needle} in {section}");
    }
    let report = json(&second.join("report.json"));
    assert_eq!(report["answers_not_taken"].as_array().unwrap().len(), 3);
}

#[test]
fn a_pack_of_another_format_version_is_reported_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = client_with_gaps(tmp.path());
    let first = tmp.path().join("first");
    import(&dir, &first);
    let pack = fs::read(first.join("interview.docx")).unwrap();
    let answered = answer(
        &pack,
        &[("/service_management_maturity/itil_adoption", &["ITIL 4"])],
    );
    let old = with_custom(
        &answered,
        Some(
            r#"<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="orgprofile-interview"><vt:lpwstr>0</vt:lpwstr></property></Properties>"#,
        ),
    );
    fs::write(dir.join("old pack.docx"), &old).unwrap();
    let second = tmp.path().join("second");
    import(&dir, &second);
    // Nothing from the pack: not its answer, not its text.
    assert_eq!(
        json(&second.join("profile.json")),
        json(&first.join("profile.json"))
    );
    let md = fs::read_to_string(second.join("report.md")).unwrap();
    assert!(
        md.contains("old pack.docx (docx, 0 values found): an orgprofile interview pack of format version \"0\""),
        "{md}"
    );
}

#[test]
fn a_pack_whose_property_was_dropped_is_known_by_its_table() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = client_with_gaps(tmp.path());
    let first = tmp.path().join("first");
    import(&dir, &first);
    let pack = fs::read(first.join("interview.docx")).unwrap();
    let answered = answer(
        &pack,
        &[
            ("/service_management_maturity/itil_adoption", &["ITIL 4"]),
            (
                "/service_management_maturity/mature_processes",
                &["Incident management", "Change management"],
            ),
        ],
    );
    fs::write(
        dir.join("saved elsewhere.docx"),
        with_custom(&answered, None),
    )
    .unwrap();
    let second = tmp.path().join("second");
    import(&dir, &second);
    let after = json(&second.join("profile.json"));
    assert_eq!(
        after["service_management_maturity"]["itil_adoption"],
        "ITIL 4"
    );
    assert_eq!(
        after["service_management_maturity"]["mature_processes"],
        serde_json::json!(["Incident management", "Change management"])
    );
    let before = json(&first.join("profile.json"));
    assert_eq!(after["organization"], before["organization"]);
}

#[test]
fn the_pack_is_deterministic_and_marked_as_a_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = client_with_gaps(tmp.path());
    import(&dir, &tmp.path().join("a"));
    import(&dir, &tmp.path().join("b"));
    let a = fs::read(tmp.path().join("a/interview.docx")).unwrap();
    assert_eq!(a, fs::read(tmp.path().join("b/interview.docx")).unwrap());
    let doc = orgprofile::read::read_bytes(
        &a,
        "interview.docx",
        None,
        &orgprofile::read::Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.interview_version(), Some("1"));
    let header: Vec<&str> = doc
        .blocks
        .iter()
        .find_map(|b| match &b.kind {
            orgprofile::document::BlockKind::Table(t) => {
                Some(t.rows[0].iter().map(|c| c.text.as_str()).collect())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(
        header,
        ["Question", "What the documents say", "Answer", "Field"]
    );
}

/// The tags of an HTML page, checked for balance (void elements excepted): a small
/// well-formedness check, enough for the page this tool writes.
fn check_balanced(html: &str) {
    const VOID: [&str; 3] = ["meta", "br", "!DOCTYPE"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("a tag is closed");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.as_str()), "</{name}>");
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn the_batch_overview_names_every_client_links_its_report_and_loads_nothing_remote() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clients");
    let out = tmp.path().join("out");
    let batch = pipeline::run_batch(&root, &out, &options(), &Quiet).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    check_balanced(&html);
    let body = html
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap();
    let rows: Vec<&str> = body.matches("<tr>").collect();
    assert_eq!(rows.len(), batch.clients.len());
    let mut last = "";
    for c in &batch.clients {
        let name = c.row.client.as_str();
        let at = body.find(&format!("<td>{name}</td>")).expect(name);
        assert!(body[at..].contains(&format!("href=\"{name}/report.md\"")));
        assert!(name > last, "sorted by name");
        last = name;
        assert!(out.join(name).join("interview.docx").is_file());
    }
    assert!(body.contains("class=\"missing\"") && body.contains("class=\"complete\""));
    assert!(html.contains("<tfoot>"));
    for remote in ["http://", "https://", "src=", "@import", "url("] {
        assert!(!html.contains(remote), "{remote}");
    }
    // Client names are escaped.
    let odd = tmp.path().join("odd");
    fs::create_dir_all(odd.join("<b>&co")).unwrap();
    fs::write(odd.join("<b>&co/notes.md"), "Legal name: X Ltd\n").unwrap();
    pipeline::run_batch(&odd, &tmp.path().join("odd-out"), &options(), &Quiet).unwrap();
    let html = fs::read_to_string(tmp.path().join("odd-out/index.html")).unwrap();
    check_balanced(&html);
    assert!(html.contains("<td>&lt;b&gt;&amp;co</td>"));
    assert!(html.contains("href=\"%3Cb%3E%26co/report.md\""));
}

/// A pack made here: the property, then a question table with these (Field, Answer lines).
fn tiny_pack(rows: &[(&str, &[&str])]) -> orgprofile::document::Document {
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
    let cell = |lines: &[&str]| {
        lines.iter().fold(TableCell::new(), |c, l| {
            c.add_paragraph(Paragraph::new().add_run(Run::new().add_text(*l)))
        })
    };
    let mut table = vec![TableRow::new(
        ["Question", "What the documents say", "Answer", "Field"]
            .iter()
            .map(|h| cell(&[h]))
            .collect(),
    )];
    for (field, answer) in rows {
        table.push(TableRow::new(vec![
            cell(&["Q?"]),
            cell(&["Legal name: Not A Fact Ltd"]),
            cell(answer),
            cell(&[field]),
        ]));
    }
    let mut bytes = Cursor::new(Vec::new());
    Docx::new()
        .custom_property("orgprofile-interview", "1")
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text("Legal name: Other Ltd")))
        .add_table(Table::new(table))
        .build()
        .pack(&mut bytes)
        .unwrap();
    let limits = orgprofile::read::Limits::default();
    orgprofile::read::read_bytes(bytes.get_ref(), "p.docx", None, &limits).unwrap()
}

#[test]
fn answers_are_read_from_their_written_forms_and_nothing_else_is() {
    use serde_json::json;
    let doc = tiny_pack(&[
        (
            "/locations",
            &["Leeds (headquarters, United Kingdom)", "York (Data Centre)"],
        ),
        (
            "/key_roles/process_owners",
            &["Incident management: Sarah Chen"],
        ),
        (
            "/interested_parties",
            &["Acme plc (customer): 99.9%; UK GDPR", "Beta (friend)"],
        ),
        ("/service_provider_type/classification", &["type ii"]),
        ("/organization/size", &["120"]),
        ("/organization/industry", &[]),
    ]);
    let rules = Rules::load(&[]).unwrap();
    let found = orgprofile::map::map_document(&doc, &rules).candidates;
    let got: Vec<(&str, &Value)> = found.iter().map(|c| (c.field.as_str(), &c.value)).collect();
    assert_eq!(
        got,
        [
            (
                "/locations",
                &json!({"name": "Leeds", "type": "headquarters", "country": "United Kingdom"})
            ),
            (
                "/locations",
                &json!({"name": "York", "type": "data_center"})
            ),
            (
                "/key_roles/process_owners",
                &json!({"process": "Incident management", "owner": "Sarah Chen"})
            ),
            (
                "/interested_parties",
                &json!({"name": "Acme plc", "type": "customer", "requirements": ["99.9%", "UK GDPR"]})
            ),
            (
                "/interested_parties",
                &json!({"name": "Beta", "type": "friend"})
            ),
            ("/service_provider_type/classification", &json!("Type II")),
            ("/organization/size", &json!(120)),
        ]
    );
    assert!(found
        .iter()
        .all(|c| c.rule == "interview.answer" && c.file == "p.docx"));
    assert!(
        found[1].locator.ends_with("row 2 column 3 line 2"),
        "{}",
        found[1].locator
    );
}

#[test]
fn the_judge_refuses_answers_that_do_not_fit_their_field() {
    let doc = tiny_pack(&[
        (
            "/organization/size",
            &["We have about fifty people in two offices and some contractors"],
        ),
        ("/service_provider_type/classification", &["Type IV"]),
        ("/interested_parties", &["Beta (friend)"]),
        ("/organization/colour", &["Blue"]),
        ("/key_roles/sms_manager", &["TBD"]),
        ("/organization/industry", &["Managed IT services"]),
    ]);
    let rules = Rules::load(&[]).unwrap();
    let found = orgprofile::map::map_document(&doc, &rules).candidates;
    let judged = orgprofile::judge::judge_document(&doc, found, &rules.judge);
    let verdicts: Vec<(&str, bool)> = judged
        .iter()
        .map(|j| (j.candidate.field.as_str(), j.verdict.weight() > 0.0))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("/organization/size", false),
            ("/service_provider_type/classification", false),
            ("/interested_parties", false),
            ("/organization/colour", false),
            ("/key_roles/sms_manager", false),
            ("/organization/industry", true),
        ]
    );
}
