//! `orgprofile import`, `batch` and `explain` through the binary: every exit status, outputs
//! byte-identical for -j 1 and -j 4, no progress bar when stderr is not a terminal.

use crate::pipeline::{clients_root, messy_client, snapshot, write};
use assert_cmd::Command;
use serde_json::json;
use std::path::Path;

/// Standard error of a finished command.
fn err(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Standard output of a finished command.
fn out_text(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn orgprofile() -> Command {
    Command::cargo_bin("orgprofile").unwrap()
}

/// A profile every reference rule accepts.
fn complete_profile() -> serde_json::Value {
    json!({
        "organization": {"name": "Apex IT Services Ltd", "industry": "Managed IT Services",
                         "size": "120 employees", "description": "Managed service provider"},
        "service_provider_type": {"classification": "Type II",
                                  "rationale": "Provides IT services exclusively to external customers"},
        "locations": [{"name": "Manchester HQ", "type": "headquarters", "country": "United Kingdom"}],
        "key_roles": {"sms_manager": "Sarah Chen, IT Service Manager",
                      "top_management_sponsor": "James Wright, Managing Director"},
        "management_commitment": {
            "certification_drivers": ["Client procurement requirements"],
            "resource_allocation": {"dedicated_personnel": "SMS manager at 80% allocation",
                                    "external_support": "External consultant",
                                    "budget": "Dedicated certification budget approved"}},
        "service_management_maturity": {"itil_adoption": "ITIL v3 informal adoption — 2 years",
                                        "mature_processes": ["Incident management"],
                                        "ad_hoc_processes": ["Problem management"],
                                        "itsm_tools": ["Jira Service Management"]},
        "interested_parties": [{"name": "NorthBank plc", "type": "customer",
                                "requirements": ["99.9% availability"]}],
        "technology": [{"name": "Jira Service Management", "type": "itsm"}],
        "x_consultant_notes": "kept as is"
    })
}

fn base_file(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("base.json");
    std::fs::write(
        &p,
        serde_json::to_string_pretty(&complete_profile()).unwrap(),
    )
    .unwrap();
    p
}

#[test]
fn import_exits_0_when_the_profile_is_complete_and_every_file_read() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("apex");
    write(&client, "Thumbs.db", b"\0");
    let base = base_file(tmp.path());
    let out = tmp.path().join("out");
    orgprofile()
        .args(["import"])
        .arg(&client)
        .arg("-o")
        .arg(&out)
        .arg("--base")
        .arg(&base)
        .assert()
        .code(0);
    let profile: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile, complete_profile());
}

#[test]
fn import_exits_1_when_the_profile_has_error_level_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("empty-client");
    write(&client, "Thumbs.db", b"\0");
    orgprofile()
        .arg("import")
        .arg(&client)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .assert()
        .code(1);
}

#[test]
fn import_exits_2_when_a_file_cannot_be_read_and_still_writes_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("messy");
    messy_client(&client);
    let out = tmp.path().join("out");
    orgprofile()
        .arg("import")
        .arg(&client)
        .arg("-o")
        .arg(&out)
        .arg("--base")
        .arg(base_file(tmp.path()))
        .assert()
        .code(2);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("policies/corrupt.docx"));
}

#[test]
fn bad_arguments_exit_64() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let out = tmp.path().join("out");
    for shard in ["0/3", "4/3", "x", "1/0"] {
        let a = orgprofile()
            .arg("batch")
            .arg(&root)
            .arg("-o")
            .arg(&out)
            .args(["--shard", shard])
            .assert()
            .code(64);
        assert!(err(&a).contains("--shard"), "{}", err(&a));
    }
    orgprofile()
        .arg("batch")
        .arg(&root)
        .arg("-o")
        .arg(&out)
        .args(["-j", "0"])
        .assert()
        .code(64);
    let a = orgprofile()
        .arg("batch")
        .arg(tmp.path().join("missing"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(64);
    assert!(err(&a).contains("not found"), "{}", err(&a));
    orgprofile()
        .arg("import")
        .arg(tmp.path().join("missing"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(64);
    let bad_base = tmp.path().join("bad.json");
    std::fs::write(&bad_base, "[1, 2]").unwrap();
    let a = orgprofile()
        .arg("import")
        .arg(root.join("apex"))
        .arg("-o")
        .arg(&out)
        .arg("--base")
        .arg(&bad_base)
        .assert()
        .code(64);
    assert!(err(&a).contains("JSON object"), "{}", err(&a));
    orgprofile()
        .args(["import", "--no-such-flag"])
        .assert()
        .code(64);
    let a = orgprofile()
        .arg("batch")
        .arg(&root)
        .arg("-o")
        .arg(&root)
        .assert()
        .code(64);
    assert!(err(&a).contains("output folder"), "{}", err(&a));
    assert!(!out.exists(), "nothing written on bad arguments");
}

#[test]
fn an_output_that_cannot_be_written_exits_74() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    orgprofile()
        .arg("batch")
        .arg(&root)
        .arg("-o")
        .arg(file.join("out"))
        .assert()
        .code(74);
    let a = orgprofile()
        .arg("import")
        .arg(root.join("apex"))
        .arg("-o")
        .arg(file.join("out"))
        .assert()
        .code(74);
    assert!(err(&a).contains("cannot write"), "{}", err(&a));
}

#[test]
fn invalid_mapping_rules_exit_78_with_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    write(
        &rules,
        "bad.toml",
        b"[[rule]]\nid = \"x\"\npriority = = 3\n",
    );
    let client = tmp.path().join("apex");
    write(&client, "a.md", b"# a\n");
    let a = orgprofile()
        .arg("import")
        .arg(&client)
        .arg("-o")
        .arg(tmp.path().join("out"))
        .arg("--mappings")
        .arg(&rules)
        .assert()
        .code(78);
    assert!(err(&a).contains("bad.toml:3:"), "{}", err(&a));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn batch_outputs_are_byte_identical_for_j1_and_j4_and_no_bar_off_a_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let (one, four) = (tmp.path().join("o1"), tmp.path().join("o4"));
    for (j, out) in [("1", &one), ("4", &four)] {
        let a = orgprofile()
            .arg("batch")
            .arg(&root)
            .arg("-o")
            .arg(out)
            .args(["-j", j])
            .assert()
            .code(2);
        assert_eq!(err(&a), "");
        assert!(out_text(&a).contains("7 client(s)"), "{}", out_text(&a));
    }
    assert_eq!(snapshot(&one), snapshot(&four));
}

#[test]
fn explain_reads_an_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("apex");
    write(&client, "Thumbs.db", b"\0");
    let out = tmp.path().join("out");
    orgprofile()
        .arg("import")
        .arg(&client)
        .arg("-o")
        .arg(&out)
        .arg("--base")
        .arg(base_file(tmp.path()))
        .assert()
        .code(0);
    let a = orgprofile()
        .arg("explain")
        .arg(&out)
        .arg("/key_roles/sms_manager")
        .assert()
        .code(0);
    assert!(
        out_text(&a).contains("Sarah Chen, IT Service Manager"),
        "{}",
        out_text(&a)
    );
    assert!(
        out_text(&a).contains("the base profile"),
        "{}",
        out_text(&a)
    );
    orgprofile()
        .arg("explain")
        .arg(&out)
        .arg("/nope")
        .assert()
        .code(64);
    orgprofile()
        .arg("explain")
        .arg(tmp.path().join("missing"))
        .assert()
        .code(2);
}

#[test]
fn schema_shapes_lists_every_shape_with_the_fields_it_checks() {
    let a = orgprofile().args(["schema", "shapes"]).assert().success();
    let text = out_text(&a);
    for shape in orgprofile::profile::Shape::ALL {
        assert!(
            text.contains(&format!("\n{}: ", shape.name())),
            "{shape:?}\n{text}"
        );
    }
    let person = text.split("\nperson: ").nth(1).unwrap_or_default();
    let person = person.split("\n\n").next().unwrap_or_default();
    assert!(person.contains("/key_roles/sms_manager"), "{person}");
    assert!(
        person.contains("/key_roles/process_owners key `owner`"),
        "{person}"
    );
}
