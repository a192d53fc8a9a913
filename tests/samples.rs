//! The committed sample clients and the corpus generator: the files under `samples/clients/`
//! are exactly what `cargo run --example generate-samples` writes, the well-formed ones open as
//! the format their extension claims, the deliberately broken ones are broken the way the
//! README says, and the synthetic corpus has the promised shape and is deterministic.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, DataType, Reader, Xlsx};

#[path = "../examples/support/mod.rs"]
#[allow(dead_code)]
mod support;

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clients")
}

/// Every file under `root`, by path relative to it, with its bytes.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn zip_entry(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut entry = archive.by_name(name).ok()?;
    let mut out = Vec::new();
    entry.read_to_end(&mut out).ok()?;
    Some(out)
}

#[test]
fn committed_samples_match_the_generator() {
    let tmp = tempfile::tempdir().unwrap();
    support::clients::write_all(tmp.path()).unwrap();
    let fresh = tree(tmp.path());
    let committed = tree(&samples_dir());
    let fix = "regenerate with `cargo run --example generate-samples` and commit samples/clients";
    let fresh_names: Vec<&String> = fresh.keys().collect();
    let committed_names: Vec<&String> = committed.keys().collect();
    assert_eq!(
        committed_names, fresh_names,
        "samples/clients file list differs from the generator; {fix}"
    );
    for (name, bytes) in &fresh {
        assert!(
            committed[name] == *bytes,
            "samples/clients/{name} differs from the generator; {fix}"
        );
    }
}

#[test]
fn generator_is_deterministic_within_one_process() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    support::clients::write_all(a.path()).unwrap();
    support::clients::write_all(b.path()).unwrap();
    assert!(tree(a.path()) == tree(b.path()));
}

#[test]
fn samples_are_small_and_every_client_is_documented() {
    let files = tree(&samples_dir());
    let total: usize = files.values().map(Vec::len).sum();
    assert!(
        total < 400_000,
        "samples/clients is {total} bytes; keep it a few hundred KB"
    );
    let readme = String::from_utf8(files["README.md"].clone()).unwrap();
    for client in support::clients::CLIENTS {
        assert!(
            readme.contains(&format!("## {client}")),
            "README.md has no section for {client}"
        );
        assert!(
            files.keys().any(|f| f.starts_with(&format!("{client}/"))),
            "{client} has no files"
        );
    }
}

#[test]
fn well_formed_office_files_open_and_use_real_styles() {
    let broken = [
        "kestrel-facilities/Staff List FINAL v2.xlsx",
        "kestrel-facilities/Supplier Register (Protected).xlsx",
        "kestrel-facilities/~$policy.docx",
    ];
    let mut docx = 0;
    let mut xlsx = 0;
    for (name, bytes) in tree(&samples_dir()) {
        if broken.contains(&name.as_str()) {
            continue;
        }
        if name.ends_with(".docx") {
            let doc = zip_entry(&bytes, "word/document.xml")
                .unwrap_or_else(|| panic!("{name}: no word/document.xml"));
            let doc = String::from_utf8(doc).unwrap();
            assert!(doc.contains("<w:tbl>"), "{name}: no table");
            let styles = String::from_utf8(zip_entry(&bytes, "word/styles.xml").unwrap()).unwrap();
            assert!(
                styles.contains(r#"w:styleId="Heading1""#) && styles.contains("heading 1"),
                "{name}: no Heading1 style"
            );
            let core = String::from_utf8(zip_entry(&bytes, "docProps/core.xml").unwrap()).unwrap();
            assert!(
                !core.contains(">unknown<")
                    && !core.contains("1970-01-01")
                    && core.contains("<dc:title>"),
                "{name}: core properties not set: {core}"
            );
            docx += 1;
        } else if name.ends_with(".xlsx") {
            assert!(
                zip_entry(&bytes, "xl/workbook.xml").is_some(),
                "{name}: no xl/workbook.xml"
            );
            let core = String::from_utf8(zip_entry(&bytes, "docProps/core.xml").unwrap()).unwrap();
            assert!(
                !core.contains("1970-01-01"),
                "{name}: creation date not set"
            );
            xlsx += 1;
        }
    }
    assert!(docx >= 10 && xlsx >= 6, "found {docx} docx and {xlsx} xlsx");
}

#[test]
fn apex_hr_export_has_120_staff_in_seven_departments() {
    let bytes =
        fs::read(samples_dir().join("apex-it-services/HR/Apex_Headcount_Report_2026-03.xlsx"))
            .unwrap();
    let mut workbook = Xlsx::new(Cursor::new(bytes)).unwrap();
    let range = workbook.worksheet_range("Employees").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "Employee ID",
            "Employee Name",
            "Job Title",
            "Department",
            "Reports To",
            "Location",
            "Work Email",
            "Employment Type",
            "Start Date"
        ]
    );
    assert_eq!(rows.len() - 1, 120);
    let mut depts: Vec<String> = rows[1..]
        .iter()
        .map(|r| r[3].to_string())
        .filter(|d| !d.is_empty())
        .collect();
    depts.sort();
    depts.dedup();
    assert_eq!(
        depts,
        [
            "Cloud Services",
            "Finance",
            "HR",
            "Infrastructure Operations",
            "Network Engineering",
            "Security",
            "Service Desk"
        ]
    );
    let top: Vec<String> = rows[1..]
        .iter()
        .filter(|r| r[4].to_string().is_empty())
        .map(|r| format!("{}, {}", r[1], r[2]))
        .collect();
    assert_eq!(top, ["James Wright, Managing Director"]);
    let mut sites: Vec<String> = rows[1..].iter().map(|r| r[5].to_string()).collect();
    sites.sort();
    sites.dedup();
    assert_eq!(
        sites,
        [
            "Birmingham Operations Centre",
            "London DC1",
            "London DC2",
            "Manchester HQ"
        ]
    );
}

#[test]
fn apex_policy_states_the_type_ii_evidence_and_the_roles() {
    let bytes = fs::read(
        samples_dir().join("apex-it-services/Policies/SMS-POL-001 Service Management Policy.docx"),
    )
    .unwrap();
    let doc = String::from_utf8(zip_entry(&bytes, "word/document.xml").unwrap()).unwrap();
    for needle in [
        "We provide managed IT services exclusively to external customers",
        "Sarah Chen",
        "IT Service Manager",
        "James Wright",
        "Mike Torres, Service Desk Manager",
        "SMS manager at 80% allocation",
        "Stage 1 audit: 6 months",
        r#"w:pStyle w:val="Heading1""#,
        r#"w:pStyle w:val="Heading2""#,
        "<w:numPr>",
    ] {
        assert!(doc.contains(needle), "policy lacks {needle:?}");
    }
}

#[test]
fn messy_client_files_are_broken_as_documented() {
    let dir = samples_dir().join("kestrel-facilities");
    // Template placeholders, one of them highlighted in yellow.
    let template = fs::read(dir.join("Service Management Policy - TEMPLATE.docx")).unwrap();
    let doc = String::from_utf8(zip_entry(&template, "word/document.xml").unwrap()).unwrap();
    for needle in [
        "[Organization Name]",
        "{{companyFullName}}",
        "TBD",
        r#"w:highlight w:val="yellow""#,
    ] {
        assert!(doc.contains(needle), "template lacks {needle:?}");
    }
    // Truncated workbook: not a readable zip.
    let truncated = fs::read(dir.join("Staff List FINAL v2.xlsx")).unwrap();
    assert!(truncated.starts_with(b"PK\x03\x04"));
    assert!(zip::ZipArchive::new(Cursor::new(&truncated)).is_err());
    // Word lock file: 162 bytes, length byte then the user name.
    let lock = fs::read(dir.join("~$policy.docx")).unwrap();
    assert_eq!(lock.len(), 162);
    assert_eq!(lock[0] as usize, "Nadia Brooks".len());
    assert_eq!(&lock[1..13], b"Nadia Brooks");
    // Encrypted workbook: an OLE compound file whose directory names the encryption streams.
    let ole = fs::read(dir.join("Supplier Register (Protected).xlsx")).unwrap();
    assert!(ole.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]));
    let dir_sector = u32::from_le_bytes(ole[48..52].try_into().unwrap()) as usize;
    let names: Vec<String> = (0..3)
        .map(|i| {
            let at = 512 * (dir_sector + 1) + 128 * i;
            let len = u16::from_le_bytes(ole[at + 64..at + 66].try_into().unwrap()) as usize;
            let units: Vec<u16> = ole[at..at + len - 2]
                .chunks(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).unwrap()
        })
        .collect();
    assert_eq!(names, ["Root Entry", "EncryptionInfo", "EncryptedPackage"]);
    assert_eq!(ole.len() % 512, 0);
    // Windows-1252 text: not UTF-8, with the pound sign as 0xA3.
    let notes = fs::read(dir.join("notes/kickoff-notes.md")).unwrap();
    assert!(std::str::from_utf8(&notes).is_err());
    assert!(notes.contains(&0xA3) && notes.contains(&0xE9));
    // Unsupported format.
    assert!(fs::read(dir.join("Org Chart.pdf"))
        .unwrap()
        .starts_with(b"%PDF-1.4"));
}

#[test]
fn corpus_smoke_two_clients() {
    let tmp = tempfile::tempdir().unwrap();
    let stats = support::corpus::generate(tmp.path(), 2, 42).unwrap();
    assert_eq!(stats.clients, 2);
    let files = tree(tmp.path());
    assert_eq!(files.len(), stats.files);
    assert_eq!(
        files.values().map(|b| b.len() as u64).sum::<u64>(),
        stats.bytes
    );
    for index in 0..2 {
        let prefix = format!("{}/", support::corpus::client_dir_name(index));
        let mine: Vec<(&String, &Vec<u8>)> = files
            .iter()
            .filter(|(n, _)| n.starts_with(&prefix))
            .collect();
        let count = |ext: &str| mine.iter().filter(|(n, _)| n.ends_with(ext)).count();
        assert_eq!(count(".xlsx"), 2, "{prefix}: HR export and register");
        assert!(
            (3..=6).contains(&count(".docx")),
            "{prefix}: {} policies",
            count(".docx")
        );
        assert!(
            (2..=4).contains(&count(".md")),
            "{prefix}: {} pages",
            count(".md")
        );
        for (name, bytes) in &mine {
            if name.ends_with(".xlsx") {
                assert!(
                    zip_entry(bytes, "xl/workbook.xml").is_some(),
                    "{name}: no xl/workbook.xml"
                );
            } else if name.ends_with(".docx") {
                assert!(
                    zip_entry(bytes, "word/document.xml").is_some(),
                    "{name}: no word/document.xml"
                );
            }
        }
        let hr = mine.iter().find(|(n, _)| n.contains("/hr/")).unwrap();
        let mut workbook = Xlsx::new(Cursor::new(hr.1.clone())).unwrap();
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        let rows = range
            .rows()
            .filter(|r| r.iter().any(|c| !c.is_empty()))
            .count();
        assert!(
            (101..=303).contains(&rows),
            "{}: {rows} non-empty rows",
            hr.0
        );
    }
    // Same seed, same bytes; another seed, other bytes.
    let again = tempfile::tempdir().unwrap();
    support::corpus::generate(again.path(), 2, 42).unwrap();
    assert!(tree(again.path()) == files);
    let other = tempfile::tempdir().unwrap();
    support::corpus::generate(other.path(), 2, 43).unwrap();
    assert!(tree(other.path()) != files);
}

#[test]
fn corpus_policies_have_20_to_200_paragraphs() {
    let tmp = tempfile::tempdir().unwrap();
    support::corpus::generate(tmp.path(), 3, 7).unwrap();
    for (name, bytes) in tree(tmp.path())
        .iter()
        .filter(|(n, _)| n.ends_with(".docx"))
    {
        let doc = String::from_utf8(zip_entry(bytes, "word/document.xml").unwrap()).unwrap();
        // Body paragraphs, not counting those inside table cells.
        let mut body = doc.clone();
        while let (Some(start), Some(end)) = (body.find("<w:tbl>"), body.find("</w:tbl>")) {
            body.replace_range(start..end + "</w:tbl>".len(), "");
        }
        let paragraphs = body.matches("<w:p ").count();
        assert!(
            (20..=200).contains(&paragraphs),
            "{name}: {paragraphs} paragraphs"
        );
        assert!(
            doc.contains("<w:numPr>") && doc.contains("<w:tbl>"),
            "{name}: no list or table"
        );
    }
}

#[test]
fn well_formed_samples_parse_with_independent_readers() {
    let broken = [
        "kestrel-facilities/Staff List FINAL v2.xlsx",
        "kestrel-facilities/Supplier Register (Protected).xlsx",
        "kestrel-facilities/~$policy.docx",
    ];
    for (name, bytes) in tree(&samples_dir()) {
        if broken.contains(&name.as_str()) {
            continue;
        }
        if name.ends_with(".xlsx") {
            let mut workbook =
                Xlsx::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{name}: {e}"));
            for sheet in workbook.sheet_names() {
                let range = workbook
                    .worksheet_range(&sheet)
                    .unwrap_or_else(|e| panic!("{name}[{sheet}]: {e}"));
                assert!(
                    range.height() >= 2,
                    "{name}[{sheet}]: {} rows",
                    range.height()
                );
            }
        } else if name.ends_with(".docx") {
            let docx = docx_rs::read_docx(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!docx.document.children.is_empty(), "{name}: empty body");
        } else if name.ends_with(".md") && !name.contains("kickoff-notes") {
            let text = String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                text.starts_with("---\n") || name == "README.md",
                "{name}: no front matter"
            );
        }
    }
}
