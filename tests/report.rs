//! The report stage from literal data: what report.md, report.json, sources.json and explain
//! tell a consultant, and how outputs are written.

use orgprofile::check::{Code, Finding, Findings, SectionStatus, Severity};
use orgprofile::document::Format;
use orgprofile::judge::{is_placeholder, Judged, Verdict};
use orgprofile::map::{Candidate, MatchKind};
use orgprofile::merge::{Merged, Policy};
use orgprofile::profile::{Audience, Section, SECTIONS};
use orgprofile::report::{self, ClientReport, Edition, FileProblem, FileRead, QuestionKind};
use serde_json::{json, Value};

fn c(
    field: &str,
    value: Value,
    file: &str,
    locator: &str,
    rule: &str,
    how: MatchKind,
) -> Candidate {
    Candidate {
        field: field.into(),
        value,
        file: file.into(),
        locator: locator.into(),
        rule: rule.into(),
        how,
        // As the shipped rules rank them: a label above a pattern above a derived guess.
        priority: match how {
            MatchKind::Exact => 75,
            MatchKind::Synonym => 70,
            MatchKind::Pattern => 60,
            _ => 45,
        },
        shape: None,
        block: 0,
        row: None,
        at: None,
        same_as: None,
        stand_in: false,
        sole: false,
    }
}

/// Merges as the pipeline does after a judge with nothing to say: placeholders rejected.
fn merge(cands: &[Candidate], base: Option<&Value>) -> Merged {
    let judged: Vec<Judged> = cands
        .iter()
        .map(|c| Judged {
            candidate: c.clone(),
            verdict: if c.value.as_str().is_some_and(is_placeholder) {
                Verdict::Rejected {
                    reason: "template text".into(),
                }
            } else {
                Verdict::Weighed {
                    weight: 1.0,
                    factors: Vec::new(),
                }
            },
        })
        .collect();
    orgprofile::merge::merge(&judged, base, &Policy::default())
}

fn finding(
    section: Section,
    field: &str,
    severity: Severity,
    ask: Audience,
    question: &str,
) -> Finding {
    Finding {
        severity,
        section,
        field: field.into(),
        code: Code::Missing,
        message: format!("{field} is missing"),
        question: question.into(),
        ask,
        why: "why".into(),
        clause_2011: "4.5.1".into(),
        clause_2018: "4.3".into(),
    }
}

/// A client as the pipeline would hand it over: values from literal candidates and the
/// findings the checker would give for them.
pub fn sample_report() -> ClientReport {
    let cands = vec![
        c(
            "/organization/name",
            json!("Apex IT Services Ltd"),
            "policy.docx",
            "word/document.xml paragraph 3",
            "label.legal_name",
            MatchKind::Exact,
        ),
        Candidate {
            // The shipped headcount rule counts an HR export's rows with a prior of 60.
            priority: 60,
            ..c(
                "/organization/size",
                json!(120),
                "staff.xlsx",
                "Staff!A1:F121",
                "hr.headcount",
                MatchKind::Derived,
            )
        },
        c(
            "/key_roles/sms_manager",
            json!("Sarah Chen, IT Service Manager"),
            "policy.docx",
            "word/document.xml paragraph 12",
            "roles.sms",
            MatchKind::Synonym,
        ),
        c(
            "/key_roles/sms_manager",
            json!("Tom Baker, Service Delivery Manager"),
            "staff.xlsx",
            "Staff!B7",
            "hr.sms_title",
            MatchKind::Derived,
        ),
        c(
            "/locations",
            json!({"name": "Manchester HQ", "type": "headquarters", "country": "United Kingdom"}),
            "sites.md",
            "line 4 column 1",
            "table.sites",
            MatchKind::Synonym,
        ),
        c(
            "/organization/industry",
            json!("[Industry]"),
            "template.docx",
            "word/document.xml paragraph 2",
            "label.industry",
            MatchKind::Exact,
        ),
        // A guess too weak to be taken: the interview confirms it.
        c(
            "/key_roles/top_management_sponsor",
            json!("James Wright, Managing Director"),
            "staff.xlsx",
            "Staff!B2",
            "hr.sponsor.chief_executive",
            MatchKind::Derived,
        ),
    ];
    let merged = merge(&cands, None);
    let findings = vec![
        finding(
            Section::Organization,
            "/organization/industry",
            Severity::Error,
            Audience::TopManagement,
            "Which industry or sector does the organization work in?",
        ),
        finding(
            Section::ServiceProviderType,
            "/service_provider_type/classification",
            Severity::Error,
            Audience::TopManagement,
            "Internal, external or both?",
        ),
        finding(
            Section::KeyRoles,
            "/key_roles/top_management_sponsor",
            Severity::Error,
            Audience::TopManagement,
            "Who sponsors the SMS?",
        ),
        finding(
            Section::Technology,
            "/technology",
            Severity::Warning,
            Audience::ServiceDesk,
            "Which tools?",
        ),
        finding(
            Section::InterestedParties,
            "/interested_parties",
            Severity::Warning,
            Audience::SmsManager,
            "Who are your interested parties?",
        ),
    ];
    let incomplete = [
        Section::Organization,
        Section::ServiceProviderType,
        Section::KeyRoles,
        Section::Technology,
        Section::InterestedParties,
    ];
    let sections: Vec<SectionStatus> = SECTIONS
        .iter()
        .map(|s| SectionStatus {
            section: *s,
            complete: !incomplete.contains(s),
        })
        .collect();
    ClientReport {
        client: "apex".into(),
        merged,
        findings: Findings {
            sections_complete: 3,
            sections_total: 8,
            sections,
            findings,
        },
        files_read: vec![
            FileRead {
                path: "policy.docx".into(),
                format: Format::Docx,
                values: 2,
                notes: vec![],
            },
            FileRead {
                path: "sites.md".into(),
                format: Format::Markdown,
                values: 1,
                notes: vec!["decoded as Windows-1252".into()],
            },
            FileRead {
                path: "staff.xlsx".into(),
                format: Format::Xlsx,
                values: 2,
                notes: vec![],
            },
            FileRead {
                path: "template.docx".into(),
                format: Format::Docx,
                values: 1,
                notes: vec![],
            },
        ],
        files_skipped: vec![FileProblem {
            path: "~$policy.docx".into(),
            reason: "Office lock file".into(),
        }],
        files_unreadable: vec![FileProblem {
            path: "budget.xlsx".into(),
            reason:
                "the file is password-protected (encrypted); save an unprotected copy to read it"
                    .into(),
        }],
        hints: vec![],
    }
}

#[test]
fn the_gap_report_says_what_was_found_where_what_is_missing_and_whom_to_ask() {
    let md = sample_report().markdown(Edition::E2018);
    assert!(md.contains("**3/8 sections complete.** Missing: Organization, Service provider type, Key roles, Technology, Interested parties."), "{md}");
    // Found, with file and locator.
    assert!(
        md.contains(
            "- **legal name**: Apex IT Services Ltd (policy.docx, word/document.xml paragraph 3)"
        ),
        "{md}"
    );
    assert!(
        md.contains("  - Manchester HQ (headquarters, United Kingdom) (sites.md, line 4 column 1)"),
        "{md}"
    );
    // Missing, conflicts, and the 2018 clause first.
    assert!(md.contains("- Error: `/organization/industry`"), "{md}");
    assert!(md.contains("SMS manager: the documents disagree. Kept \"Sarah Chen, IT Service Manager\" (policy.docx, word/document.xml paragraph 12); also found \"Tom Baker, Service Delivery Manager\" (staff.xlsx, Staff!B7)."), "{md}");
    assert!(
        md.contains("*ISO/IEC 20000-1:2018 4.1, 4.3; 2011 edition: 4.5.1.*"),
        "{md}"
    );
    // Questions grouped by whom to ask, in audience order.
    let top = md.find("### Top management").unwrap();
    let sms = md.find("### The SMS manager").unwrap();
    let desk = md.find("### The service desk and operations").unwrap();
    assert!(top < sms && sms < desk, "{md}");
    assert!(md.contains("The documents disagree on the SMS manager: \"Sarah Chen, IT Service Manager\" or \"Tom Baker, Service Delivery Manager\". Which is right?"), "{md}");
    // A value too weakly evidenced to be taken is asked about, with where it was found.
    assert!(md.contains("Who sponsors the SMS? The documents suggest \"James Wright, Managing Director\" (staff.xlsx, Staff!B2): confirm."), "{md}");
    // Every file named with its fate.
    assert!(
        md.contains("- budget.xlsx: the file is password-protected"),
        "{md}"
    );
    assert!(
        md.contains("- \\~$policy.docx: Office lock file")
            || md.contains("- ~$policy.docx: Office lock file"),
        "{md}"
    );
    assert!(
        md.contains("- sites.md (markdown, 1 value found): decoded as Windows-1252"),
        "{md}"
    );
    let md2011 = sample_report().markdown(Edition::E2011);
    assert!(md2011.contains("*ISO/IEC 20000-1:2011 4.5.1; 2018 edition: 4.1, 4.3.*"));
}

#[test]
fn report_md_snapshot() {
    insta::assert_snapshot!(sample_report().markdown(Edition::E2018));
}

#[test]
fn report_json_extends_the_check_contract() {
    let r = sample_report();
    let j = r.report_json();
    assert_eq!(j["sections_complete"], 3);
    assert_eq!(j["sections_total"], 8);
    assert_eq!(
        j["sections"][0],
        json!({"section": "organization", "complete": false})
    );
    assert_eq!(j["findings"][0]["field"], "/organization/industry");
    assert_eq!(j["client"], "apex");
    assert_eq!(j["conflicts"][0]["field"], "/key_roles/sms_manager");
    assert_eq!(j["files_unreadable"][0]["path"], "budget.xlsx");
    assert_eq!(j["files_skipped"][0]["path"], "~$policy.docx");
    assert_eq!(j["files_read"].as_array().unwrap().len(), 4);
    let qs = r.questions();
    assert_eq!(
        qs.iter()
            .filter(|q| q.kind == QuestionKind::Conflict)
            .count(),
        1
    );
    // Sorted by audience, stable inside a group.
    let asks: Vec<_> = qs.iter().map(|q| q.ask).collect();
    let mut sorted = asks.clone();
    sorted.sort();
    assert_eq!(asks, sorted);
}

#[test]
fn sources_json_names_file_locator_rule_and_alternatives() {
    let s = sample_report().merged.sources_json();
    let sms = &s["/key_roles/sms_manager"];
    assert_eq!(sms["chosen"]["value"], "Sarah Chen, IT Service Manager");
    assert_eq!(sms["chosen"]["file"], "policy.docx");
    assert_eq!(sms["chosen"]["locator"], "word/document.xml paragraph 12");
    assert_eq!(sms["chosen"]["rule"], "roles.sms");
    assert_eq!(sms["chosen"]["how"], "synonym");
    assert_eq!(sms["alternatives"][0]["file"], "staff.xlsx");
    assert_eq!(
        s["/organization/industry"]["alternatives"][0]["unused"],
        "rejected: template text"
    );
    assert_eq!(
        s["/locations"]["items"][0]["sources"][0]["file"],
        "sites.md"
    );
    // A field left open lists its suggestions with their score and support.
    let sponsor = &s["/key_roles/top_management_sponsor"];
    assert!(sponsor.get("chosen").is_none());
    assert_eq!(
        sponsor["suggestions"][0]["value"],
        "James Wright, Managing Director"
    );
    assert_eq!(sponsor["suggestions"][0]["support"], 1);
    assert_eq!(sms["score"], 0.7);
    let keys: Vec<_> = s.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "/organization/name",
            "/organization/industry",
            "/organization/size",
            "/locations",
            "/key_roles/sms_manager",
            "/key_roles/top_management_sponsor"
        ]
    );
}

#[test]
fn outputs_are_written_atomically_and_replaced_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = sample_report();
    report::write_client(&out, &r, Edition::E2018).unwrap();
    let first = std::fs::read(out.join("report.md")).unwrap();
    report::write_client(&out, &r, Edition::E2018).unwrap();
    assert_eq!(first, std::fs::read(out.join("report.md")).unwrap());
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "interview.docx",
            "profile.json",
            "report.json",
            "report.md",
            "sources.json"
        ]
    );
    let profile: Value =
        serde_json::from_slice(&std::fs::read(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile["organization"]["size"], 120);
    // No absolute path anywhere in the outputs.
    for n in &names {
        // The pack's parts are stored uncompressed: a path in them would show.
        let text = String::from_utf8_lossy(&std::fs::read(out.join(n)).unwrap()).into_owned();
        assert!(!text.contains(tmp.path().to_str().unwrap()), "{n}");
    }
}

#[test]
fn written_outputs_are_the_pretty_json_of_the_report_values() {
    // The files are written straight to bytes; they must be what the values the library also
    // offers (`report_json`, `sources_json`, `profile`, `markdown`) print as.
    let tmp = tempfile::tempdir().unwrap();
    let mut r = sample_report();
    // Text that JSON and Markdown escape, in values, files and locators.
    r.merged = merge(
        &[
            c(
                "/organization/name",
                json!("Apex \"IT\" \\ Services\tLtd\u{1}"),
                "dir\\policy \"v2\".docx",
                "word/document.xml paragraph 3",
                "label.legal_name",
                MatchKind::Exact,
            ),
            c(
                "/organization/name",
                json!("Apex*IT* [Services] <Ltd> | — Zürich\nline"),
                "notes.md",
                "line 2\r\n",
                "label.legal_name",
                MatchKind::Pattern,
            ),
            c(
                "/interested_parties",
                json!({"name": "Bank `plc`", "requirements": ["99.9%", "ISO\u{7f}"]}),
                "parties.xlsx",
                "Sheet1!A2",
                "table.parties",
                MatchKind::Synonym,
            ),
        ],
        None,
    );
    for edition in [Edition::E2018, Edition::E2011] {
        report::write_client(tmp.path(), &r, edition).unwrap();
        let read = |name: &str| std::fs::read_to_string(tmp.path().join(name)).unwrap();
        let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap() + "\n";
        assert_eq!(read("profile.json"), pretty(&r.merged.profile));
        assert_eq!(read("sources.json"), pretty(&r.merged.sources_json()));
        assert_eq!(read("report.json"), pretty(&r.report_json()));
        assert_eq!(read("report.md"), r.markdown(edition));
    }
}

#[test]
fn explain_tells_where_a_value_came_from_and_what_disagrees() {
    let tmp = tempfile::tempdir().unwrap();
    report::write_client(tmp.path(), &sample_report(), Edition::E2018).unwrap();
    let text = report::explain(tmp.path(), Some("/key_roles/sms_manager")).unwrap();
    assert!(
        text.contains("SMS manager (/key_roles/sms_manager)"),
        "{text}"
    );
    assert!(
        text.contains("Value: \"Sarah Chen, IT Service Manager\""),
        "{text}"
    );
    assert!(text.contains("From: policy.docx at word/document.xml paragraph 12, rule roles.sms (its header or label matched a synonym); evidence 0.7."), "{text}");
    assert!(
        text.contains("Taken: its evidence clears the threshold"),
        "{text}"
    );
    assert!(
        text.contains("\"Tom Baker, Service Delivery Manager\" in staff.xlsx at Staff!B7"),
        "{text}"
    );
    assert!(text.contains("Conflict (/key_roles/sms_manager)"), "{text}");
    assert!(text.contains("Confirm with top management."), "{text}");
    let section = report::explain(tmp.path(), Some("organization")).unwrap();
    assert!(
        section.contains("legal name (/organization/name)"),
        "{section}"
    );
    assert!(
        section.contains("\"[Industry]\" in template.docx"),
        "{section}"
    );
    assert!(!section.contains("SMS manager"), "{section}");
    let all = report::explain(tmp.path(), None).unwrap();
    assert!(all.starts_with("apex: 3/8 sections complete."), "{all}");
    let gap = report::explain(tmp.path(), Some("/technology")).unwrap();
    assert!(gap.contains("no document gave a value"), "{gap}");
    assert!(matches!(
        report::explain(tmp.path(), Some("/nonsense")),
        Err(report::ExplainError::UnknownField(_))
    ));
    assert!(matches!(
        report::explain(&tmp.path().join("missing"), None),
        Err(report::ExplainError::Unreadable { .. })
    ));
}
