//! `orgprofile check` through the binary: the JSON contract, exit codes, the one-line errors for
//! unreadable files, the Markdown a consultant pastes into an email (insta snapshots), the
//! bundled sample profiles, the profile round trip that keeps unknown keys, and a property
//! test that the checker never panics on any JSON.

use assert_cmd::Command;
use orgprofile::check::{self, Code, Severity};
use orgprofile::profile::{self, Profile};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/profiles")
}

fn orgprofile() -> Command {
    Command::new(env!("CARGO_BIN_EXE_orgprofile"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = orgprofile().args(args).output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Writes `content` to a temporary file and runs `check` on it with `extra` arguments.
fn check_bytes(content: &[u8], extra: &[&str]) -> (Run, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profile.json");
    std::fs::write(&path, content).unwrap();
    let mut args = vec!["check", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    (run(&args), dir, path)
}

fn apex() -> Value {
    let text = std::fs::read_to_string(samples().join("apex.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn complete_sample_exits_0() {
    let path = samples().join("apex.json");
    let r = run(&["check", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "8/8 sections complete.\n");
    assert_eq!(r.stderr, "");
}

#[test]
fn incomplete_sample_exits_1_and_leads_with_the_summary() {
    let path = samples().join("incomplete.json");
    let r = run(&["check", path.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        "1/8 sections complete. Missing: Organization, Service provider type, Key roles, \
         Technology, Service management maturity, Interested parties, Management commitment"
    );
    assert!(r.stdout.contains("error: /organization/name (placeholder)"));
    assert!(
        r.stdout.ends_with("4 errors, 5 warnings.\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn warnings_alone_exit_0() {
    let mut p = apex();
    p.as_object_mut().unwrap().remove("technology");
    p["interested_parties"] = json!([]);
    let (r, _dir, _) = check_bytes(p.to_string().as_bytes(), &[]);
    assert_eq!(r.code, 0);
    assert!(r
        .stdout
        .starts_with("6/8 sections complete. Missing: Technology, Interested parties\n"));
    assert!(r.stdout.contains("warning: /technology (missing)"));
}

#[test]
fn one_error_exits_1() {
    let mut p = apex();
    p["key_roles"]["top_management_sponsor"] = json!("  ");
    let (r, _dir, _) = check_bytes(p.to_string().as_bytes(), &["--format", "json"]);
    assert_eq!(r.code, 1);
}

#[test]
fn edition_chooses_the_clause_shown_first() {
    let path = samples().join("incomplete.json");
    let path = path.to_str().unwrap();
    let r2018 = run(&["check", path]);
    assert!(r2018
        .stdout
        .contains("Clause: ISO/IEC 20000-1:2018 clause 5.3 [2011: 4.1.3, 4.1.4]"));
    let r2011 = run(&["check", path, "--edition", "2011"]);
    assert!(r2011
        .stdout
        .contains("Clause: ISO/IEC 20000-1:2011 clause 4.1.3, 4.1.4 [2018: 5.3]"));
    let bad = run(&["check", path, "--edition", "2005"]);
    assert_eq!(bad.code, 64);
}

/// The JSON output is a contract: exact keys, key order, section order, value sets.
#[test]
fn json_output_is_the_contract() {
    let path = samples().join("incomplete.json");
    let r = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        top,
        [
            "sections_complete",
            "sections_total",
            "sections",
            "findings"
        ]
    );
    assert_eq!(v["sections_total"], 8);
    assert_eq!(v["sections_complete"], 1);
    let ids: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "organization",
            "locations",
            "service_provider_type",
            "key_roles",
            "technology",
            "service_management_maturity",
            "interested_parties",
            "management_commitment"
        ]
    );
    let complete: Vec<bool> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["complete"].as_bool().unwrap())
        .collect();
    assert_eq!(
        complete,
        [false, true, false, false, false, false, false, false]
    );
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 9);
    for f in findings {
        let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "severity",
                "section",
                "field",
                "code",
                "message",
                "question",
                "ask",
                "why",
                "clause_2011",
                "clause_2018"
            ]
        );
        assert!(["error", "warning"].contains(&f["severity"].as_str().unwrap()));
        assert!(["missing", "placeholder", "invalid"].contains(&f["code"].as_str().unwrap()));
        assert!(f["field"].as_str().unwrap().starts_with('/'));
        for k in ["message", "question", "why", "clause_2011", "clause_2018"] {
            assert!(!f[k].as_str().unwrap().is_empty(), "{k}");
        }
    }
    let sponsor = findings
        .iter()
        .find(|f| f["field"] == "/key_roles/top_management_sponsor")
        .unwrap();
    assert_eq!(
        sponsor,
        &json!({
            "severity": "error",
            "section": "key_roles",
            "field": "/key_roles/top_management_sponsor",
            "code": "placeholder",
            "message": "Top management sponsor is still a placeholder: \"{{sponsorName}}\".",
            "question": "Who in top management sponsors the service management system (name and job title)?",
            "ask": "top_management",
            "why": "Auditors interview these people, and every process needs an owner.",
            "clause_2011": "4.1.3, 4.1.4",
            "clause_2018": "5.3"
        })
    );
    // The binary prints exactly what the library's `Findings` serialises to.
    let text = std::fs::read_to_string(&path).unwrap();
    let lib = check::check(&serde_json::from_str(&text).unwrap());
    assert_eq!(v, serde_json::to_value(&lib).unwrap());
}

#[test]
fn complete_json_has_no_findings() {
    let path = samples().join("apex.json");
    let r = run(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["sections_complete"], 8);
    assert_eq!(v["findings"], json!([]));
}

/// Exit 2 with one line on stderr that names the file and says what is wrong.
#[test]
fn unreadable_files_exit_2_with_one_line() {
    let cases: [(&[u8], &str); 6] = [
        (
            b"",
            "not JSON: EOF while parsing a value at line 1 column 0",
        ),
        (
            b"{\n  \"organization\": {\"name\": \"Apex\",}\n}",
            "not JSON: trailing comma at line 2 column 35",
        ),
        (b"[1, 2]", "not a JSON object (found a list)"),
        (b"\"Apex\"", "not a JSON object (found a string)"),
        (b"null", "not a JSON object (found null)"),
        (b"{\"a\": \"\xff\"}", "not JSON: invalid unicode"),
    ];
    for (content, expected) in cases {
        for format in ["text", "json", "markdown"] {
            let (r, _dir, path) = check_bytes(content, &["--format", format]);
            assert_eq!(r.code, 2, "{expected}");
            assert_eq!(r.stdout, "", "{expected}");
            assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
            assert!(
                r.stderr.starts_with(&format!("{}: ", path.display())),
                "{}",
                r.stderr
            );
            assert!(r.stderr.contains(expected), "{} / {expected}", r.stderr);
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let r = run(&["check", missing.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r
        .stderr
        .starts_with(&format!("{}: cannot read: ", missing.display())));
    assert_eq!(r.stderr.lines().count(), 1);
    let r = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
}

#[test]
fn a_huge_file_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(profile::MAX_PROFILE_BYTES * 4).unwrap();
    let r = run(&["check", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with(&format!(
            "{}: too large: over 16777216 bytes",
            path.display()
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let mut content = b"\xEF\xBB\xBF".to_vec();
    content.extend_from_slice(apex().to_string().as_bytes());
    let (r, _dir, _) = check_bytes(&content, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Wrong types everywhere are findings, never a crash.
#[test]
fn wrong_types_are_findings_through_the_binary() {
    let junk = json!({
        "organization": {"name": 7, "industry": ["IT"], "size": -3, "description": false},
        "service_provider_type": "Type II",
        "locations": {"name": "HQ"},
        "key_roles": [],
        "technology": [1, "Jira", null],
        "service_management_maturity": {"itil_adoption": {}, "mature_processes": "Incident"},
        "interested_parties": [{"name": "Bank", "type": "customer", "requirements": "SLA"}],
        "management_commitment": {"certification_drivers": [true], "resource_allocation": 5}
    });
    let (r, _dir, _) = check_bytes(junk.to_string().as_bytes(), &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["sections_complete"], 0);
    let codes: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("/organization/name", "invalid")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("/organization/size", "invalid")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("/organization/description", "invalid")),
        "{codes:?}"
    );
    assert!(codes.contains(&("/locations", "invalid")), "{codes:?}");
    assert!(
        codes.contains(&("/key_roles/sms_manager", "invalid")),
        "{codes:?}"
    );
    assert!(codes.contains(&("/technology", "invalid")), "{codes:?}");
    assert!(
        codes.contains(&("/management_commitment/resource_allocation", "invalid")),
        "{codes:?}"
    );
}

#[test]
fn markdown_for_the_client_email() {
    let path = samples().join("incomplete.json");
    let r = run(&["check", path.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("markdown_incomplete_2018", r.stdout);
    let r = run(&[
        "check",
        path.to_str().unwrap(),
        "--format",
        "markdown",
        "--edition",
        "2011",
    ]);
    insta::assert_snapshot!("markdown_incomplete_2011", r.stdout);
    let path = samples().join("apex.json");
    let r = run(&["check", path.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "# Organization profile: Apex IT Services Ltd\n\n**8/8 sections complete.** \
         The organization profile has no open questions.\n"
    );
}

#[test]
fn schema_profile_prints_the_json_schema() {
    let r = run(&["schema", "profile"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["$schema"].as_str().unwrap().contains("json-schema.org"));
    let props = v["properties"].as_object().unwrap();
    for key in profile::KEY_ORDER {
        assert!(props.contains_key(key), "{key}");
    }
}

/// Every bundled sample parses, and the typed model round-trips it. The typed model drops
/// known lists that are empty (they say nothing); every other key and value comes back.
#[test]
fn bundled_samples_parse_and_round_trip() {
    let dropped: &[(&str, &[&str])] = &[
        ("apex.json", &[]),
        (
            "incomplete.json",
            &[
                "/service_management_maturity/mature_processes",
                "/interested_parties/0/requirements",
                "/technology",
            ],
        ),
    ];
    for (name, empty_lists) in dropped {
        let bytes = std::fs::read(samples().join(name)).unwrap();
        let mut v = profile::parse_profile(&bytes).unwrap();
        let typed: Profile = serde_json::from_value(v.clone()).unwrap();
        let back = serde_json::to_value(&typed).unwrap();
        for pointer in *empty_lists {
            let (parent, key) = pointer.rsplit_once('/').unwrap();
            let parent = if parent.is_empty() {
                &mut v
            } else {
                v.pointer_mut(parent).unwrap()
            };
            let removed = parent.as_object_mut().unwrap().remove(key);
            assert_eq!(removed, Some(json!([])), "{name}{pointer}");
        }
        assert_eq!(back, v, "{name}");
    }
    let listed = std::fs::read_dir(samples())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "json")
        })
        .count();
    assert_eq!(listed, dropped.len(), "a new sample needs a line here");
}

/// A user's keys, anywhere in the tree, survive reading into the typed model and writing back,
/// and `canonical_order` changes only the order of keys.
#[test]
fn unknown_keys_survive_a_round_trip() {
    let mut p = apex();
    p["x_top"] = json!({"nested": [1, {"deep": true}]});
    p["organization"]["legal_form"] = json!("Ltd");
    p["organization"]["size"] = json!(120);
    p["service_provider_type"]["x_note"] = json!(null);
    p["locations"][0]["address"] = json!({"street": "1 Deansgate", "postcode": "M3"});
    p["key_roles"]["deputy_sms_manager"] = json!("Ann Lee");
    p["key_roles"]["process_owners"][0]["backup"] = json!("Tom Cole");
    p["key_roles"]["service_owners"][0]["since"] = json!(2021);
    p["management_commitment"]["resource_allocation"]["training"] = json!("Foundation course");
    p["management_commitment"]["target_timeline"]["surveillance"] = json!("annual");
    p["management_commitment"]["x_board_minutes"] = json!(["2025-01-10"]);
    p["service_management_maturity"]["maturity_score"] = json!(2.5);
    p["interested_parties"][0]["influence"] = json!("high");
    p["technology"][0]["version"] = json!("Cloud");

    let typed: Profile = serde_json::from_value(p.clone()).unwrap();
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, p);

    // canonical_order: same content, known keys first in the reference order.
    let mut shuffled: serde_json::Map<String, Value> = serde_json::Map::new();
    for (k, v) in p.as_object().unwrap().iter().rev() {
        shuffled.insert(k.clone(), v.clone());
    }
    let mut ordered = Value::Object(shuffled);
    profile::canonical_order(&mut ordered);
    assert_eq!(ordered, p);
    let keys: Vec<&str> = ordered
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: Vec<&str> = profile::KEY_ORDER.to_vec();
    expected.push("x_top");
    assert_eq!(keys, expected);

    // The checker ignores the extra keys.
    assert_eq!(check::check(&ordered).findings, []);
}

#[test]
fn placeholder_is_public_for_the_mapper_and_merger() {
    assert!(check::is_placeholder("{{companyFullName}}"));
    assert!(!check::is_placeholder("Apex IT Services Ltd (UK)"));
    assert!(check::is_filled("Apex"));
    assert!(!check::is_filled(" "));
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "organization",
        "locations",
        "service_provider_type",
        "key_roles",
        "technology",
        "service_management_maturity",
        "interested_parties",
        "management_commitment",
        "name",
        "industry",
        "size",
        "type",
        "requirements",
        "classification",
        "sms_manager",
        "top_management_sponsor",
        "itil_adoption",
        "mature_processes",
        "ad_hoc_processes",
        "itsm_tools",
        "certification_drivers",
        "resource_allocation",
        "budget",
        "process_owners",
        "owner",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop::sample::select(vec![
            "",
            " ",
            "TBD",
            "[x]",
            "<y>",
            "{{z}}",
            "Type II",
            "Apex",
            "lorem ipsum",
            "ⅡⅢ"
        ])
        .prop_map(|s| json!(s)),
        ".*".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

proptest! {
    /// Any JSON at all: the checker returns eight sections and never panics; an error-level
    /// finding exists whenever a section with error rules is incomplete.
    #[test]
    fn the_checker_never_panics(v in arbitrary_json()) {
        let f = check::check(&v);
        prop_assert_eq!(f.sections.len(), 8);
        prop_assert_eq!(f.sections_total, 8);
        prop_assert_eq!(f.sections_complete, f.sections.iter().filter(|s| s.complete).count());
        for finding in &f.findings {
            prop_assert!(finding.field.starts_with('/'));
            if finding.code == Code::Placeholder {
                prop_assert!(!finding.message.is_empty());
            }
        }
        let _ = check::render_text(&f, check::Edition::E2011);
        let _ = check::render_markdown(&f, check::Edition::E2018, "t");
        // Four sections have error-level rules; a complete profile has all of them.
        if f.sections_complete == 8 {
            prop_assert!(!f.findings.iter().any(|x| x.severity == Severity::Error));
        }
    }
}

proptest! {
    /// Any text: `is_placeholder` never panics, blank is never a placeholder, and anything
    /// wrapped whole in brackets or braces is one.
    #[test]
    fn placeholder_rules_hold_for_any_text(s in ".*") {
        let p = check::is_placeholder(&s);
        if check::is_blank(&s) {
            prop_assert!(!p);
        }
        prop_assert_eq!(check::is_filled(&s), !check::is_blank(&s) && !p);
        if !s.contains(['[', ']', '<', '>', '{', '}']) {
            let square = format!("[{s}]");
            let angle = format!(" <{s}> ");
            let braces = format!("{{{{{s}}}}}");
            let inside = format!("Apex [{s}] Ltd");
            prop_assert!(check::is_placeholder(&square));
            prop_assert!(check::is_placeholder(&angle));
            prop_assert!(check::is_placeholder(&braces));
            // Real text around brackets is not a placeholder (unless it holds filler text).
            if !s.to_lowercase().contains("lorem") && !s.to_lowercase().contains("ipsum") {
                prop_assert!(!check::is_placeholder(&inside));
            }
        }
    }
}
