//! Merge invariants: order independence, base values kept, placeholders never win, decisions
//! by evidence (undecided fields become suggestions), conflicts found, lists unioned and
//! records merged field by field.

use orgprofile::judge::{is_placeholder, Judged, Verdict};
use orgprofile::map::{Candidate, MatchKind};
use orgprofile::merge::{ConflictKind, Merged, Policy};
use proptest::prelude::*;
use serde_json::{json, Value};

fn c(field: &str, value: Value, file: &str, locator: &str, rule: &str) -> Candidate {
    Candidate {
        field: field.into(),
        value,
        file: file.into(),
        locator: locator.into(),
        rule: rule.into(),
        how: MatchKind::Synonym,
        priority: 60,
        shape: None,
        block: 0,
        row: None,
        at: None,
        same_as: None,
        stand_in: false,
        sole: false,
    }
}

/// Merges candidates as the pipeline does after a judge with nothing to say: placeholders are
/// rejected, every other value weighs 1.
fn merge(cands: &[Candidate], base: Option<&Value>) -> Merged {
    let judged: Vec<Judged> = cands
        .iter()
        .map(|c| {
            let placeholder = match &c.value {
                Value::String(s) => s.trim().is_empty() || is_placeholder(s),
                _ => false,
            };
            let verdict = if placeholder {
                Verdict::Rejected {
                    reason: "template text".into(),
                }
            } else {
                Verdict::Weighed {
                    weight: 1.0,
                    factors: Vec::new(),
                }
            };
            Judged {
                candidate: c.clone(),
                verdict,
            }
        })
        .collect();
    orgprofile::merge::merge(&judged, base, &Policy::default())
}

fn with(mut cand: Candidate, how: MatchKind, priority: i32) -> Candidate {
    cand.how = how;
    cand.priority = priority;
    cand
}

/// Everything a merge gives, as bytes, to compare runs.
fn bytes(m: &Merged) -> String {
    format!(
        "{}\n{}\n{}\n{}",
        serde_json::to_string(&m.profile).unwrap(),
        serde_json::to_string(&m.sources_json()).unwrap(),
        serde_json::to_string(&m.conflicts).unwrap(),
        serde_json::to_string(&m.unconfirmed).unwrap()
    )
}

fn sample() -> Vec<Candidate> {
    vec![
        with(
            c(
                "/organization/name",
                json!("Apex IT Services Ltd"),
                "policy.docx",
                "word/document.xml paragraph 3",
                "label.legal_name",
            ),
            MatchKind::Exact,
            70,
        ),
        c(
            "/organization/name",
            json!("APEX IT SERVICES LTD."),
            "handbook.md",
            "line 2",
            "label.legal_name",
        ),
        with(
            c(
                "/organization/name",
                json!("Apex Group"),
                "about.md",
                "line 9",
                "pattern.legal_suffix",
            ),
            MatchKind::Pattern,
            40,
        ),
        c(
            "/organization/size",
            json!(120),
            "staff.xlsx",
            "Staff!A2:F121",
            "hr.headcount",
        ),
        c(
            "/organization/size",
            json!("TBD"),
            "template.docx",
            "word/document.xml paragraph 4",
            "label.size",
        ),
        with(
            c(
                "/key_roles/sms_manager",
                json!("Sarah Chen, IT Service Manager"),
                "policy.docx",
                "word/document.xml paragraph 12",
                "roles.sms",
            ),
            MatchKind::Exact,
            72,
        ),
        with(
            c(
                "/key_roles/sms_manager",
                json!("Tom Baker, Service Delivery Manager"),
                "staff.xlsx",
                "Staff!B7",
                "hr.sms_title",
            ),
            MatchKind::Derived,
            45,
        ),
        c(
            "/organization/departments",
            json!("SERVICE DESK"),
            "staff.xlsx",
            "Staff!D2",
            "hr.departments",
        ),
        c(
            "/organization/departments",
            json!("Service Desk"),
            "handbook.md",
            "line 30",
            "section.departments",
        ),
        c(
            "/organization/departments",
            json!("Finance"),
            "staff.xlsx",
            "Staff!D9",
            "hr.departments",
        ),
        c(
            "/organization/departments",
            json!("[Department]"),
            "template.docx",
            "word/document.xml paragraph 5",
            "section.departments",
        ),
        c(
            "/interested_parties",
            json!({"name": "NorthBank plc", "type": "customer", "requirements": ["99.9% availability"]}),
            "parties.xlsx",
            "Register!A2",
            "register.party",
        ),
        c(
            "/interested_parties",
            json!({"name": "Northbank PLC", "requirements": ["UK GDPR", "99.9 % availability"]}),
            "policy.docx",
            "word/document.xml table 2 row 3 column 1",
            "table.parties",
        ),
        c(
            "/interested_parties",
            json!({"name": "AWS", "type": "supplier"}),
            "suppliers.xlsx",
            "Suppliers!A2",
            "register.supplier",
        ),
        c(
            "/locations",
            json!({"name": "London DC1", "type": "data_center", "country": "United Kingdom"}),
            "sites.xlsx",
            "Sites!A3",
            "sites.row",
        ),
        c(
            "/locations",
            json!({"name": "London DC1", "type": "office"}),
            "staff.xlsx",
            "Staff!E4",
            "hr.locations",
        ),
    ]
}

#[test]
fn scalars_take_the_best_candidate_and_keep_the_rest() {
    let m = merge(&sample(), None);
    assert_eq!(m.profile["organization"]["name"], "Apex IT Services Ltd");
    let name = m
        .sources
        .iter()
        .find(|s| s.field == "/organization/name")
        .unwrap();
    let chosen = name.chosen.as_ref().unwrap();
    assert_eq!(chosen.file.as_deref(), Some("policy.docx"));
    assert_eq!(name.alternatives.len(), 2);
    // Case and punctuation differences are not a conflict; a different name from a lower
    // priority rule in another file is.
    let conflict = m
        .conflicts
        .iter()
        .find(|c| c.field == "/organization/name")
        .unwrap();
    assert_eq!(conflict.others.len(), 1);
    assert_eq!(conflict.others[0].value, "Apex Group");
}

#[test]
fn more_evidence_wins_and_equal_evidence_leaves_the_field_undecided() {
    let industry = |v: &str, file: &str, how: MatchKind, p: i32| {
        with(
            c("/organization/industry", json!(v), file, "line 1", "r"),
            how,
            p,
        )
    };
    let cands = vec![
        industry("Retail", "a.md", MatchKind::Exact, 40),
        industry("Managed IT Services", "z.md", MatchKind::Derived, 70),
    ];
    assert_eq!(
        merge(&cands, None).profile["organization"]["industry"],
        "Managed IT Services"
    );
    // How a rule matched does not make up for evidence: two equally strong values that
    // disagree are both suggested, and the field is left for the interview.
    let cands = vec![
        industry("Retail", "a.md", MatchKind::Pattern, 60),
        industry("Managed IT Services", "z.md", MatchKind::Exact, 60),
    ];
    let m = merge(&cands, None);
    assert_eq!(m.profile.pointer("/organization/industry"), None);
    assert!(m.undecided("/organization/industry"));
    assert_eq!(m.suggestions.len(), 2);
}

#[test]
fn two_documents_naming_different_sms_managers_is_a_conflict() {
    let m = merge(&sample(), None);
    let conflict = m
        .conflicts
        .iter()
        .find(|c| c.field == "/key_roles/sms_manager")
        .expect("conflict");
    assert_eq!(conflict.kind, ConflictKind::Documents);
    assert_eq!(conflict.chosen.value, "Sarah Chen, IT Service Manager");
    assert_eq!(conflict.others[0].file.as_deref(), Some("staff.xlsx"));
}

#[test]
fn a_name_and_the_name_with_its_title_are_not_a_conflict() {
    let cands = vec![
        c(
            "/key_roles/sms_manager",
            json!("Sarah Chen"),
            "policy.docx",
            "table 3 row 3 column 2",
            "policy.roles",
        ),
        c(
            "/key_roles/sms_manager",
            json!("Sarah Chen, IT Service Manager"),
            "staff.xlsx",
            "Staff!B3",
            "hr.sms_title",
        ),
        c(
            "/organization/size",
            json!(120),
            "staff.xlsx",
            "Staff!A1:F121",
            "hr.headcount",
        ),
        c(
            "/organization/size",
            json!("120 employees"),
            "policy.docx",
            "paragraph 22",
            "label.size",
        ),
        c(
            "/organization/size",
            json!("120 employees"),
            "policy.docx",
            "paragraph 22",
            "pattern.size",
        ),
    ];
    let m = merge(&cands, None);
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    // A genuinely different value is still a conflict, reported once per place.
    let mut more = cands.clone();
    for rule in ["label.size", "pattern.size"] {
        more.push(with(
            c(
                "/organization/size",
                json!("3 employees"),
                "isms.docx",
                "table 2",
                rule,
            ),
            MatchKind::Pattern,
            40,
        ));
    }
    let m = merge(&more, None);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].others.len(), 1);
    assert_eq!(m.conflicts[0].others[0].value, "3 employees");
}

#[test]
fn one_rule_in_one_file_giving_two_values_is_undecided_not_a_conflict() {
    let cands = vec![
        c(
            "/key_roles/sms_manager",
            json!("Sarah Chen"),
            "staff.xlsx",
            "Staff!B7",
            "hr.sms_title",
        ),
        c(
            "/key_roles/sms_manager",
            json!("Tom Baker"),
            "staff.xlsx",
            "Staff!B9",
            "hr.sms_title",
        ),
    ];
    let m = merge(&cands, None);
    assert!(m.conflicts.is_empty());
    assert_eq!(m.profile.pointer("/key_roles/sms_manager"), None);
    let suggested: Vec<&Value> = m.suggestions.iter().map(|s| &s.value).collect();
    assert_eq!(suggested, [&json!("Sarah Chen"), &json!("Tom Baker")]);
}

#[test]
fn placeholders_never_win() {
    let m = merge(&sample(), None);
    assert_eq!(m.profile["organization"]["size"], 120);
    assert_eq!(
        m.profile["organization"]["departments"],
        json!(["Service Desk", "Finance"])
    );
    // A field whose only candidates are placeholders stays out of the profile.
    let only = vec![
        c("/organization/industry", json!("TBD"), "a.docx", "p 1", "r"),
        c(
            "/organization/industry",
            json!("[Industry]"),
            "b.docx",
            "p 1",
            "r",
        ),
        c("/organization/industry", json!("  "), "c.docx", "p 1", "r"),
    ];
    let m = merge(&only, None);
    assert_eq!(m.profile, json!({}));
    let s = &m.sources[0];
    assert!(s.chosen.is_none());
    assert_eq!(s.alternatives.len(), 3);
    assert!(s.alternatives.iter().all(|a| a.unused.is_some()));
}

#[test]
fn lists_are_unions_and_records_merge_field_by_field() {
    let m = merge(&sample(), None);
    let parties = m.profile["interested_parties"].as_array().unwrap();
    assert_eq!(parties.len(), 2, "{parties:?}");
    let northbank = &parties[0];
    assert_eq!(northbank["name"], "NorthBank plc");
    assert_eq!(northbank["type"], "customer");
    // 99.9% and 99.9 % fold the same; UK GDPR comes from the second source.
    assert_eq!(
        northbank["requirements"],
        json!(["99.9% availability", "UK GDPR"])
    );
    let items = &m
        .sources
        .iter()
        .find(|s| s.field == "/interested_parties")
        .unwrap()
        .items;
    assert_eq!(items[0].sources.len(), 2);
    // A record field two sources disagree on is a conflict with the item's pointer.
    let loc = m
        .conflicts
        .iter()
        .find(|c| c.field == "/locations/0/type")
        .expect("location type conflict");
    assert_eq!(loc.chosen.value, "data_center");
}

#[test]
fn british_and_american_spellings_and_ampersands_name_one_item() {
    let cands = vec![
        c(
            "/locations",
            json!({"name": "London Data Centre", "type": "data_center"}),
            "sites.xlsx",
            "Sites!A2",
            "sites.list",
        ),
        c(
            "/locations",
            json!({"name": "London data center", "type": "data_center"}),
            "policy.docx",
            "word/document.xml paragraph 9",
            "policy.data_centre",
        ),
        c(
            "/organization/departments",
            json!("Service Desk & Support"),
            "hr.xlsx",
            "Staff!D2",
            "hr.departments",
        ),
        c(
            "/organization/departments",
            json!("Service Desk and Support"),
            "handbook.md",
            "line 12",
            "label.departments",
        ),
    ];
    let m = merge(&cands, None);
    let locations = m.profile["locations"].as_array().unwrap();
    assert_eq!(locations.len(), 1, "{locations:?}");
    assert!(
        ["London Data Centre", "London data center"]
            .contains(&locations[0]["name"].as_str().unwrap_or("")),
        "{locations:?}"
    );
    let departments = m.profile["organization"]["departments"].as_array().unwrap();
    assert_eq!(departments.len(), 1, "{departments:?}");
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
}

#[test]
fn keys_are_written_in_canonical_order() {
    let m = merge(&sample(), None);
    let keys: Vec<_> = m.profile.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "organization",
            "locations",
            "key_roles",
            "interested_parties"
        ]
    );
    let org: Vec<_> = m.profile["organization"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(org, ["name", "size", "departments"]);
}

fn base() -> Value {
    json!({
        "organization": {"name": "Apex IT Services Limited", "industry": "TBD", "x_crm_id": 42},
        "key_roles": {"sms_manager": "Sarah Chen, IT Service Manager"},
        "interested_parties": [{"name": "NorthBank plc", "type": "partner", "x_note": "keep"}],
        "x_consultant": {"notes": ["met on 3 May"]}
    })
}

#[test]
fn base_values_win_and_unknown_keys_are_kept() {
    let mut cands = sample();
    cands.push(c(
        "/organization/industry",
        json!("Managed IT Services"),
        "policy.docx",
        "p 2",
        "label.industry",
    ));
    let m = merge(&cands, Some(&base()));
    let p = &m.profile;
    assert_eq!(p["organization"]["name"], "Apex IT Services Limited");
    assert_eq!(p["organization"]["x_crm_id"], 42);
    assert_eq!(p["x_consultant"], json!({"notes": ["met on 3 May"]}));
    // A placeholder in the base is filled from the documents.
    assert_eq!(p["organization"]["industry"], "Managed IT Services");
    // Base list kept as it is; AWS is reported to confirm, not added.
    assert_eq!(
        p["interested_parties"],
        json!([{"name": "NorthBank plc", "type": "partner", "x_note": "keep"}])
    );
    assert_eq!(m.unconfirmed.len(), 1);
    assert_eq!(m.unconfirmed[0].value["name"], "AWS");
    // Documents disagreeing with the base are conflicts to confirm, never overwrites.
    let kinds: Vec<_> = m
        .conflicts
        .iter()
        .filter(|c| c.kind == ConflictKind::Base)
        .map(|c| c.field.as_str())
        .collect();
    assert!(kinds.contains(&"/organization/name"), "{kinds:?}");
    assert!(kinds.contains(&"/key_roles/sms_manager"), "{kinds:?}");
    assert!(kinds.contains(&"/interested_parties/0/type"), "{kinds:?}");
    // Base fields no document mentions still have their source listed.
    let sms = m
        .sources
        .iter()
        .find(|s| s.field == "/key_roles/sms_manager")
        .unwrap();
    assert_eq!(
        sms.chosen.as_ref().unwrap().from,
        orgprofile::merge::Origin::Base
    );
}

#[test]
fn a_base_with_the_wrong_shape_is_kept_not_crashed_on() {
    let base = json!({"organization": "Apex", "locations": "Manchester"});
    let m = merge(&sample(), Some(&base));
    assert_eq!(m.profile["organization"], "Apex");
    assert_eq!(m.profile["locations"], "Manchester");
    assert!(m.profile["key_roles"]["sms_manager"].is_string());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn merge_does_not_depend_on_candidate_order(seed in any::<u64>(), use_base in any::<bool>()) {
        let cands = sample();
        let mut shuffled = cands.clone();
        // Fisher-Yates with a small LCG, driven by the seed.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (s >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let b = base();
        let base = use_base.then_some(&b);
        prop_assert_eq!(bytes(&merge(&cands, base)), bytes(&merge(&shuffled, base)));
    }

    #[test]
    fn merge_of_arbitrary_values_never_panics_and_never_picks_a_placeholder(
        values in proptest::collection::vec(
            prop_oneof![Just("TBD".to_string()), Just("[Name]".to_string()), "[a-zA-Z ]{0,12}"],
            0..8)
    ) {
        let cands: Vec<_> = values
            .iter()
            .enumerate()
            .map(|(i, v)| c("/organization/industry", json!(v), &format!("f{i}.md"), "line 1", "r"))
            .collect();
        let m = merge(&cands, None);
        if let Some(v) = m.profile.pointer("/organization/industry") {
            let v = v.as_str().unwrap();
            prop_assert!(v != "TBD" && v != "[Name]" && !v.trim().is_empty());
        }
    }
}

#[test]
fn files_whose_names_sort_equal_naturally_still_give_one_order() {
    // "v01" and "v1" are equal in natural order; the chosen source must not depend on which
    // file was read first.
    let a = c(
        "/organization/name",
        json!("Apex IT Services Ltd"),
        "Policy v01.docx",
        "word/document.xml paragraph 3",
        "policy.legal_name",
    );
    let b = c(
        "/organization/name",
        json!("Apex IT Services Ltd"),
        "Policy v1.docx",
        "word/document.xml paragraph 3",
        "policy.legal_name",
    );
    let one = merge(&[a.clone(), b.clone()], None);
    let other = merge(&[b, a], None);
    assert_eq!(bytes(&one), bytes(&other));
}
