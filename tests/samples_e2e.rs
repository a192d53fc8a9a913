//! The committed sample clients end to end: each client of `samples/clients/` is drafted with the
//! shipped rules exactly as `orgprofile import` / `batch` would, and its `profile.json` and
//! `report.md` (and the batch's `summary.csv`) are compared with reviewed insta snapshots under
//! `tests/snapshots/`. The facts a consultant relies on are also asserted outright, so a snapshot
//! accepted by mistake cannot hide them: Apex complete with its name, type, people, sites,
//! customers and tools; the messy client's unreadable and skipped files named with their reason.
//!
//! To review a change: `cargo insta test --review` (or `INSTA_UPDATE=always cargo test
//! samples_e2e`, then read the `.snap` diff before committing).

use orgprofile::map::Rules;
use orgprofile::pipeline::{self, Options, Quiet};
use orgprofile::report::md_escape;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/clients")
}

fn options() -> Options {
    Options {
        rules: Rules::load(&[]).expect("the shipped mapping rules compile"),
        ..Options::default()
    }
}

/// One client's outputs, read back from disk.
struct Drafted {
    profile_json: String,
    profile: Value,
    report: Value,
    report_md: String,
}

/// Drafts `samples/clients/CLIENT` into a temporary folder, as `orgprofile import` does.
fn import(client: &str) -> Drafted {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(client);
    let outcome = pipeline::import_client(&samples_dir().join(client), &out, &options(), &Quiet);
    assert!(
        outcome.error.is_none(),
        "{client}: {:?} ({})",
        outcome.error,
        outcome.row.status
    );
    let read = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    let profile_json = read("profile.json");
    Drafted {
        profile: serde_json::from_str(&profile_json).unwrap(),
        profile_json,
        report: serde_json::from_str(&read("report.json")).unwrap(),
        report_md: read("report.md"),
    }
}

fn snapshot_client(client: &str) -> Drafted {
    let d = import(client);
    insta::assert_snapshot!(format!("{client}__profile_json"), d.profile_json);
    insta::assert_snapshot!(format!("{client}__report_md"), d.report_md);
    d
}

fn text<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{pointer} is not text in {v:#}"))
}

fn list<'a>(v: &'a Value, pointer: &str) -> &'a Vec<Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{pointer} is not a list in {v:#}"))
}

/// The names of the items of a list of records (or the items of a list of text).
fn names(v: &Value, pointer: &str) -> Vec<String> {
    list(v, pointer)
        .iter()
        .map(|item| match item {
            Value::String(s) => s.clone(),
            other => other
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        })
        .collect()
}

fn sections_complete(report: &Value) -> u64 {
    report["sections_complete"].as_u64().unwrap()
}

/// Every section of the profile is complete: no finding at all.
fn assert_complete(client: &str, d: &Drafted) {
    assert_eq!(
        sections_complete(&d.report),
        8,
        "{client}: findings {:#}",
        d.report["findings"]
    );
    assert!(
        d.report_md.contains("8/8 sections complete"),
        "{client}: {}",
        d.report_md
    );
}

#[test]
fn apex_is_complete_with_the_reference_facts() {
    let d = snapshot_client("apex-it-services");
    assert_complete("apex-it-services", &d);
    let p = &d.profile;
    assert_eq!(text(p, "/organization/name"), "Apex IT Services Ltd");
    assert_eq!(text(p, "/service_provider_type/classification"), "Type II");
    assert!(text(p, "/key_roles/sms_manager").contains("Sarah Chen"));
    assert!(text(p, "/key_roles/top_management_sponsor").contains("James Wright"));

    let locations = names(p, "/locations");
    assert_eq!(locations.len(), 4, "{locations:?}");
    for site in ["Manchester", "Birmingham", "London DC1", "London DC2"] {
        assert!(
            locations.iter().any(|l| l.contains(site)),
            "{site} missing from {locations:?}"
        );
    }
    assert!(
        !locations.iter().any(|l| l == "United Kingdom"),
        "a country is not a site: {locations:?}"
    );

    let parties = list(p, "/interested_parties");
    for customer in ["NorthBank plc", "Greenfield Healthcare", "Metro Logistics"] {
        let party = parties
            .iter()
            .find(|x| x["name"] == customer)
            .unwrap_or_else(|| panic!("{customer} is not an interested party: {parties:#?}"));
        assert_eq!(party["type"], "customer", "{party:#}");
    }

    let technology = names(p, "/technology");
    for tool in ["Jira Service Management", "Nagios"] {
        assert!(
            technology.iter().any(|t| t == tool),
            "{tool} missing from {technology:?}"
        );
    }
}

#[test]
fn northshire_is_an_internal_provider() {
    let d = snapshot_client("northshire-council-ict");
    assert_complete("northshire-council-ict", &d);
    assert_eq!(
        text(&d.profile, "/service_provider_type/classification"),
        "Type I"
    );
}

#[test]
fn brightwave_from_markdown_alone() {
    let d = snapshot_client("brightwave-digital");
    assert_complete("brightwave-digital", &d);
    assert_eq!(
        text(&d.profile, "/service_provider_type/classification"),
        "Type III"
    );
}

#[test]
fn meridian_from_docx_tables() {
    let d = snapshot_client("meridian-hosting");
    assert_complete("meridian-hosting", &d);
    assert_eq!(
        text(&d.profile, "/service_provider_type/classification"),
        "Type II"
    );
    assert!(text(&d.profile, "/key_roles/sms_manager").contains("Simon Akhtar"));
}

/// The `- PATH: REASON` line report.md gives a file, if any.
fn file_line<'a>(report_md: &'a str, path: &str) -> Option<&'a str> {
    let prefix = format!("- {}: ", md_escape(path));
    report_md.lines().find(|l| l.starts_with(&prefix))
}

#[test]
fn kestrel_names_every_file_it_could_not_use_and_why() {
    let d = snapshot_client("kestrel-facilities");
    assert!(sections_complete(&d.report) < 8);
    // (file, list in report.json, words the reason must hold)
    let expected: [(&str, &str, &[&str]); 4] = [
        (
            "Staff List FINAL v2.xlsx",
            "files_unreadable",
            &["damaged or truncated"],
        ),
        (
            "Supplier Register (Protected).xlsx",
            "files_unreadable",
            &["password-protected"],
        ),
        ("~$policy.docx", "files_skipped", &["lock file"]),
        (
            "Org Chart.pdf",
            "files_skipped",
            &["PDF files are not read"],
        ),
    ];
    for (file, key, words) in expected {
        let entry = list(&d.report, &format!("/{key}"))
            .iter()
            .find(|e| e["path"] == file)
            .unwrap_or_else(|| panic!("{file} not in {key}: {:#}", d.report[key]));
        let reason = entry["reason"].as_str().unwrap();
        let line = file_line(&d.report_md, file)
            .unwrap_or_else(|| panic!("report.md does not name {file}:\n{}", d.report_md));
        for w in words {
            assert!(reason.contains(w), "{file}: {reason}");
            assert!(line.contains(w), "{file}: {line}");
        }
    }
    assert!(text(&d.profile, "/key_roles/sms_manager").contains("Nadia Brooks"));
    // The policy's "Top management sponsor: TBD" outranks the COO guessed from the old staff
    // list's job titles: the sponsor stays missing (an error and a question), and the report
    // names both the statement and the guess set aside.
    assert_eq!(d.profile.pointer("/key_roles/top_management_sponsor"), None);
    let open = &d.report["left_open"][0];
    assert_eq!(open["field"], "/key_roles/top_management_sponsor");
    assert_eq!(open["statement"]["file"], "policy.docx");
    assert_eq!(
        open["set_aside"][0]["value"],
        "Graham Keane, Chief Operating Officer"
    );
    let missing = d
        .report_md
        .lines()
        .find(|l| l.starts_with("- Error: `/key_roles/top_management_sponsor`"))
        .unwrap_or_else(|| panic!("no sponsor gap in:\n{}", d.report_md));
    for words in [
        "\"TBD\" (policy.docx",
        "Graham Keane",
        "staff list (old).xlsx",
    ] {
        assert!(missing.contains(words), "{missing}");
    }
    // No template placeholder became a value anywhere in the profile.
    for placeholder in [
        "[Organization Name]",
        "[Insert name]",
        "<FILL-IN>",
        "{{companyFullName}}",
        "Lorem ipsum",
        "[Tool name]",
    ] {
        assert!(
            !d.profile_json.contains(placeholder),
            "{placeholder} in {}",
            d.profile_json
        );
    }
}

#[test]
fn batch_summary_of_the_samples() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let outcome = pipeline::run_batch(&samples_dir(), &out, &options(), &Quiet).unwrap();
    assert!(outcome.summary_error.is_none());
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    insta::assert_snapshot!("summary_csv", csv);
    let clients: Vec<&str> = outcome
        .clients
        .iter()
        .map(|c| c.row.client.as_str())
        .collect();
    assert_eq!(
        clients,
        [
            "apex-it-services",
            "brightwave-digital",
            "kestrel-facilities",
            "meridian-hosting",
            "northshire-council-ict"
        ]
    );
    // The loose README at the root is listed, not taken for a client.
    assert!(outcome
        .summary
        .skipped
        .iter()
        .any(|s| s.path == "README.md"));
    // A batch writes for each client what `import` writes for it alone.
    let apex = import("apex-it-services");
    assert_eq!(
        fs::read_to_string(out.join("apex-it-services/profile.json")).unwrap(),
        apex.profile_json
    );
    assert_eq!(
        fs::read_to_string(out.join("apex-it-services/report.md")).unwrap(),
        apex.report_md
    );
}
