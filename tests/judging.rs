//! Judgement by class of text, end to end: a client folder holds a document that states the
//! fact and a document (or passage) of a class that misleads a rule: a glossary, a vendor list,
//! a job advert, a form, a template's example, a competitor, a negated or past statement, a
//! role description, a cloud region. The profile must hold the stated fact or nothing (with
//! the doubtful value at most suggested), never the misleading value.

use orgprofile::pipeline::{self, Options, Quiet};
use orgprofile::report::ClientReport;
use serde_json::Value;
use std::fs;

/// Drafts a client from Markdown files given as (name, text).
fn draft(files: &[(&str, &str)]) -> ClientReport {
    draft_with(files, &[])
}

/// Rows of one sheet.
type Rows<'a> = &'a [&'a [&'a str]];

/// Drafts a client from Markdown files and spreadsheets given as (name, rows of one sheet).
fn draft_with(files: &[(&str, &str)], sheets: &[(&str, Rows<'_>)]) -> ClientReport {
    let books: Vec<(&str, Vec<(&str, Rows<'_>)>)> = sheets
        .iter()
        .map(|(name, rows)| (*name, vec![("Sheet1", *rows)]))
        .collect();
    draft_books(files, &books)
}

/// Drafts a client from Markdown files and workbooks given as (name, named sheets).
fn draft_books(files: &[(&str, &str)], books: &[(&str, Vec<(&str, Rows<'_>)>)]) -> ClientReport {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    for (name, sheets) in books {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for (sheet, rows) in sheets {
            let ws = wb.add_worksheet().set_name(*sheet).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    ws.write_string(r as u32, c as u16, *cell).unwrap();
                }
            }
        }
        wb.save(dir.path().join(name)).unwrap();
    }
    let options = Options {
        rules: orgprofile::map::Rules::load(&[]).unwrap(),
        ..Options::default()
    };
    pipeline::draft_client(dir.path(), "client", &options, &Quiet).unwrap()
}

/// The profile's value at a JSON pointer (null when absent).
fn at(r: &ClientReport, pointer: &str) -> Value {
    r.merged
        .profile
        .pointer(pointer)
        .cloned()
        .unwrap_or(Value::Null)
}

/// The names of a list of records (or the strings of a list of text).
/// The value at `pointer` that one document gives, a heading and a paragraph of `text` (the
/// shape of most one-sentence cases below).
fn in_a_paragraph(file: &str, heading: &str, text: &str, pointer: &str) -> Value {
    at(
        &draft(&[(file, &format!("# {heading}\n\n{text}\n"))]),
        pointer,
    )
}

fn names(r: &ClientReport, pointer: &str) -> Vec<String> {
    match at(r, pointer) {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The owners of the profile's process owners.
fn owners(r: &ClientReport) -> Vec<String> {
    match at(r, "/key_roles/process_owners") {
        Value::Array(items) => items
            .iter()
            .map(|i| i["owner"].as_str().unwrap_or_default().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

const POLICY: &str = "# Service management policy\n\nHarbour Digital Ltd is a managed IT services \
provider with 85 employees, based in Bristol.\n\nLegal name: Harbour Digital Ltd\n\n\
Industry: Managed IT services\n";

#[test]
fn a_glossary_row_is_not_the_legal_name() {
    let glossary = "# Terms and definitions\n\n| Term | Definition |\n|---|---|\n\
| Organization | A person or group of people that has its own functions |\n\
| Customer | An organization that receives a service |\n";
    let r = draft(&[("policy.md", POLICY), ("glossary.md", glossary)]);
    assert_eq!(at(&r, "/organization/name"), "Harbour Digital Ltd");
}

#[test]
fn a_glossary_in_another_language_or_a_question_states_no_practice() {
    let itil = |text: &str| {
        at(
            &draft(&[("doc.md", text)]),
            "/service_management_maturity/itil_adoption",
        )
    };
    // A Dutch glossary's row for ITIL defines the word.
    let begrippen = "# Begrippenlijst\n\n| Begrip | Betekenis |\n|---|---|\n\
| ITIL | Raamwerk met goede praktijken voor IT-dienstverlening |\n\
| CMDB | Configuratiedatabase, bijvoorbeeld Ivanti Neurons |\n";
    assert!(itil(begrippen).is_null(), "{}", itil(begrippen));
    // A heading that asks whether the team follows ITIL, answered "no".
    let faq = "# Kickoff notes\n\n## Do we follow ITIL?\n\nNot really: we borrow a few words \
and that is all.\n";
    assert!(itil(faq).is_null(), "{}", itil(faq));
    // The same words stated are a fact.
    let stated = "# Kickoff notes\n\nOur incident and change processes follow ITIL 4.\n";
    assert_eq!(itil(stated), "ITIL 4");
}

#[test]
fn an_approved_vendor_list_is_not_the_organization() {
    let vendors = "# Approved vendor list\n\n| Vendor | Service |\n|---|---|\n\
| Northgate Cloud Ltd | Hosting |\n| Brightline Networks Ltd | WAN |\n\
| Keystone Print Ltd | Printing |\n";
    let r = draft(&[("policy.md", POLICY), ("vendors.md", vendors)]);
    assert_eq!(at(&r, "/organization/name"), "Harbour Digital Ltd");
    let r = draft(&[("vendors.md", vendors)]);
    let name = at(&r, "/organization/name");
    assert!(name.is_null(), "a vendor became the organization: {name}");
}

#[test]
fn a_competitor_named_in_prose_is_not_the_organization() {
    let text = "# Market\n\nOur main competitors are Contoso Services Ltd and Fabrikam IT Ltd, \
both larger than us.\n";
    let r = draft(&[("policy.md", POLICY), ("market.md", text)]);
    assert_eq!(at(&r, "/organization/name"), "Harbour Digital Ltd");
}

#[test]
fn a_job_advert_does_not_give_the_industry_or_the_size() {
    let advert = "# Job vacancy: Service Desk Analyst\n\nWe are hiring! Our client, a leading \
logistics company with 5,000 employees, is looking for a Service Desk Analyst.\n\n\
Industry: Logistics\n\nCompany size: 5,000 employees\n\nSalary: £28,000. How to apply: send \
your CV to jobs@example.com by 30 June.\n";
    let r = draft(&[("policy.md", POLICY), ("careers.md", advert)]);
    assert_eq!(at(&r, "/organization/industry"), "Managed IT services");
    // The advert's figure never wins; the policy's may need the interview to confirm it.
    let size = at(&r, "/organization/size");
    assert!(size == "85 employees" || size.is_null(), "{size}");
}

#[test]
fn a_blank_form_gives_nothing() {
    // A shipping form: one line filled in by whoever used it last, the rest blank.
    let form = "# Consignment form\n\nPlease complete all fields in block capitals.\n\n\
Consignee name: ____\n\nIndustry: Logistics\n\nNumber of employees: ____\n\n\
Signature: ____\n\nDate: ____\n";
    let r = draft(&[("policy.md", POLICY), ("form.md", form)]);
    assert_eq!(at(&r, "/organization/industry"), "Managed IT services");
    let r = draft(&[("form.md", form)]);
    assert!(at(&r, "/organization/industry").is_null());
}

#[test]
fn a_templates_example_is_not_a_fact() {
    let template = "# Policy template\n\nReplace the example text before use.\n\n\
## Example\n\nLegal name: Acme Widgets Ltd\n\nSMS manager: Jane Example\n";
    let r = draft(&[("policy.md", POLICY), ("template.md", template)]);
    assert_eq!(at(&r, "/organization/name"), "Harbour Digital Ltd");
    assert!(
        at(&r, "/key_roles/sms_manager").is_null(),
        "{}",
        at(&r, "/key_roles/sms_manager")
    );
}

#[test]
fn a_role_description_is_not_a_person() {
    let roles = "# Roles\n\nSMS manager: The SMS manager is the one who decides which changes \
go to the change advisory board.\n\nTop management sponsor: Top management shall ensure that \
the SMS is resourced.\n";
    let r = draft(&[
        ("roles.md", roles),
        ("team.md", "# Team\n\nSMS manager: Priya Shah\n"),
    ]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), "Priya Shah");
    assert!(at(&r, "/key_roles/top_management_sponsor").is_null());
}

#[test]
fn a_replaced_or_evaluated_tool_is_not_in_use() {
    let tools = "# Tools\n\nWe use Zabbix for monitoring. Nagios was replaced by Zabbix in \
2021. We are evaluating Datadog for next year.\n";
    let r = draft(&[("tools.md", tools)]);
    let tech = names(&r, "/technology");
    assert!(tech.iter().any(|t| t == "Zabbix"), "{tech:?}");
    assert!(
        !tech.iter().any(|t| t == "Nagios" || t == "Datadog"),
        "{tech:?}"
    );
}

#[test]
fn a_cloud_region_is_not_a_site() {
    let sites = "# Where we work\n\nHead office: Bristol\n\nHosting: Azure UK South\n";
    let r = draft(&[("sites.md", sites)]);
    let locations = names(&r, "/locations");
    assert!(locations.iter().any(|l| l == "Bristol"), "{locations:?}");
    assert!(
        !locations.iter().any(|l| l.contains("UK South")),
        "{locations:?}"
    );
}

#[test]
fn a_doubtful_value_is_suggested_not_taken() {
    // The only name is in an example: not taken, but the interview may still confirm it.
    let template = "# Policy template\n\n## Example\n\nLegal name: Acme Widgets Ltd\n";
    let r = draft(&[("template.md", template)]);
    assert!(at(&r, "/organization/name").is_null());
    let suggested: Vec<&Value> = r
        .merged
        .suggestions
        .iter()
        .filter(|s| s.field == "/organization/name")
        .map(|s| &s.value)
        .collect();
    assert_eq!(suggested, [&Value::from("Acme Widgets Ltd")]);
}

#[test]
fn a_letterhead_names_the_organization() {
    // A page header or letterhead line: the name alone, with a public-body suffix.
    let paper = "Wyvern Borough Council\n\n# Cabinet report\n\nThis paper asks Cabinet to \
approve the certification plan.\n";
    let r = draft(&[("report.md", paper)]);
    assert_eq!(at(&r, "/organization/name"), "Wyvern Borough Council");
    // The same words inside a sentence about a customer are no letterhead.
    let customer = "# Customers\n\nWe support Elmbridge Parish Council under an SLA.\n";
    let r = draft(&[("customers.md", customer)]);
    assert!(at(&r, "/organization/name").is_null());
}

#[test]
fn a_contact_list_names_the_chief_executive() {
    // A continuity plan's call list: "Name, Title: phone, email". The chief executive is the
    // sponsor when no document names one; the others on the list are not.
    let plan = "# Disaster recovery plan\n\n## Who to call\n\n\
* Nadia Osei, CEO/Data Protection Officer: 0117 496 0321, nadia@harbour.example\n\
* Tom Reilly, Head of Infrastructure: 0117 496 0322\n";
    let r = draft(&[("dr-plan.md", plan)]);
    let sponsor = at(&r, "/key_roles/top_management_sponsor");
    assert!(
        sponsor
            .as_str()
            .is_some_and(|s| s.starts_with("Nadia Osei")),
        "{sponsor}"
    );
    // A title that is not the chief executive's gives no sponsor, phone or not.
    let plan = "# Disaster recovery plan\n\n* Tom Reilly, Head of Infrastructure: 0117 496 0322\n";
    let r = draft(&[("dr-plan.md", plan)]);
    assert!(at(&r, "/key_roles/top_management_sponsor").is_null());
}

#[test]
fn a_passage_that_mentions_instructions_is_not_a_templates_instructions() {
    // "Follow the vendor's instructions" is advice in a policy, not an author's note to
    // delete: the fact in the same paragraph stands.
    let policy = "# Laptop encryption\n\n## Explanation\n\nAs a managed services provider we \
hold our clients' data on our laptops, so every disk is encrypted: follow the vendor's \
instructions to turn encryption on.\n";
    let r = draft(&[("encryption.md", policy)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type II");
    // An author's note to replace the text still marks its passage as a template's.
    let template = "# Laptop encryption\n\nAs a managed services provider we hold our clients' \
data on our laptops. Replace this text with your own description.\n";
    let r = draft(&[("encryption.md", template)]);
    assert!(at(&r, "/service_provider_type/classification").is_null());
}

/// An org chart of the managers: six rows, each a person with a title and a department.
const MANAGERS: &[&[&str]] = &[
    &["Name", "Job Title", "Department", "Reports To"],
    &["Fiona Gallagher", "Managing Director", "Leadership", ""],
    &[
        "Chris Doyle",
        "Finance Director",
        "Leadership",
        "Fiona Gallagher",
    ],
    &[
        "Ravi Mistry",
        "Service Desk Manager",
        "Service Delivery",
        "Fiona Gallagher",
    ],
    &[
        "Niamh Byrne",
        "Change Manager",
        "Service Delivery",
        "Fiona Gallagher",
    ],
    &[
        "Tom Ashdown",
        "Head of Projects",
        "Projects",
        "Fiona Gallagher",
    ],
    &["Ewa Nowak", "Sales Lead", "Sales", "Chris Doyle"],
];

#[test]
fn the_rows_of_an_org_chart_are_not_the_headcount() {
    // Org charts often show only the managers: six rows are asked about, not taken.
    let r = draft_with(&[], &[("Org chart 2024.xlsx", MANAGERS)]);
    assert!(at(&r, "/organization/size").is_null());
    assert!(
        r.merged
            .suggestions
            .iter()
            .any(|s| s.field == "/organization/size"),
        "the count should still be suggested"
    );
    // The headcount the organization states of itself is taken over the chart's rows.
    let about = "# About us\n\nFifteen years on we're 86 people, and we still do the same thing.\n";
    let r = draft_with(&[("about.md", about)], &[("Org chart 2024.xlsx", MANAGERS)]);
    assert_eq!(at(&r, "/organization/size"), "86 employees");
    // So is a headcount a committee's minutes report.
    let minutes = "# Minutes\n\nThe Head of IT reported headcount as at 31 May: 58 staff.\n";
    let r = draft_with(
        &[("minutes.md", minutes)],
        &[("Org chart 2024.xlsx", MANAGERS)],
    );
    assert_eq!(at(&r, "/organization/size"), "58 employees");
    // A staff export is counted as before.
    let r = draft_with(&[], &[("HR export.xlsx", MANAGERS)]);
    assert_eq!(at(&r, "/organization/size"), "6 employees");
}

#[test]
fn a_headcount_is_read_in_the_shapes_people_write_it() {
    for (text, want) in [
        (
            "ICT Services is part of the Resources Directorate and has 118 staff (109 FTE).",
            "118",
        ),
        (
            "Founded in 2007, we today have 127 W-2 employees, plus 15 contractors.",
            "127",
        ),
        ("We are a team of 37, based in Galway.", "37"),
        ("Around 340 people work in GT, across four sites.", "340"),
        (
            "Nuvéo compte 42 collaborateurs répartis sur deux sites.",
            "42",
        ),
        ("Die Klarwerk GmbH beschäftigt 63 Mitarbeitende.", "63"),
    ] {
        assert_eq!(
            in_a_paragraph("about.md", "About", text, "/organization/size"),
            format!("{want} employees").as_str(),
            "{text}"
        );
    }
    // A key figure on a line of its own, in a brochure's list.
    let brochure = "# Chiffres clés\n\n- 15 ans d'expérience\n- 42 collaborateurs\n- 260 clients\n";
    let r = draft(&[("plaquette.md", brochure)]);
    assert_eq!(at(&r, "/organization/size"), "42 employees");
    // Customers and users are no headcount.
    let r = draft(&[(
        "about.md",
        "# About\n\nWe are 260 clients' trusted partner; we support 9,000 users.\n",
    )]);
    assert!(at(&r, "/organization/size").is_null());
}

#[test]
fn a_company_named_partners_is_no_partner_list() {
    let overview = "# Ridgeway Technology Partners: Company Overview\n\n## Who we are\n\n\
Ridgeway Technology Partners, LLC is a managed IT services provider. We are a team of 40.\n";
    let r = draft(&[("overview.md", overview)]);
    assert_eq!(at(&r, "/organization/size"), "40 employees");
    assert_eq!(
        at(&r, "/organization/name"),
        "Ridgeway Technology Partners, LLC"
    );
}

#[test]
fn a_supplier_register_suggests_interested_parties_a_stakeholder_register_states_them() {
    let suppliers = "# Supplier register\n\n| Supplier | Service | Contract End |\n|---|---|---|\n\
| Pax8 | Licensing distributor | 2026-03-31 |\n| Zen Internet | IP transit | 2025-12-31 |\n";
    let stakeholders = "# Interested parties\n\n| Interested Party | Type | Requirements |\n\
|---|---|---|\n| Customers | Customer | Services as agreed in SLAs |\n\
| Information Commissioner's Office | Regulator | Data protection compliance |\n";
    let r = draft(&[("suppliers.md", suppliers), ("parties.md", stakeholders)]);
    let parties = names(&r, "/interested_parties");
    assert!(parties.iter().any(|p| p == "Customers"), "{parties:?}");
    assert!(!parties.iter().any(|p| p == "Pax8"), "{parties:?}");
    assert!(
        r.merged
            .suggestions
            .iter()
            .any(|s| s.field == "/interested_parties" && s.value.to_string().contains("Pax8")),
        "a register's supplier should still be suggested"
    );
}

#[test]
fn the_legal_name_is_read_in_the_shapes_people_write_it() {
    for (text, want) in [
        // A suffix of another country, after the name a short name in brackets.
        (
            "# Présentation\n\nOrvelle Services SAS est une entreprise d'infogérance basée à Lyon.\n",
            "Orvelle Services SAS",
        ),
        (
            "# Empresa\n\nSoluciones Mirasol, S.L. (SOLMI) es una empresa de servicios TI.\n",
            "Soluciones Mirasol, S.L.",
        ),
        // A letterhead in capitals.
        (
            "ASHWORTH COUNTY COUNCIL\n\nCABINET - 14 MARCH 2024\n\n# ICT services\n\nThe report asks Cabinet to agree.\n",
            "ASHWORTH COUNTY COUNCIL",
        ),
        // The university whose IT department the organization is.
        (
            "# Who we are\n\nIT Services is the central IT department of the University of Kelso, a \
mid-sized Scottish higher education institution.\n",
            "University of Kelso",
        ),
    ] {
        let r = draft(&[("about.md", text)]);
        assert_eq!(at(&r, "/organization/name"), want, "{text}");
    }
    // A fact sheet whose first row is the name: a label and its value, not a header, since a
    // third of the rows below are labels a rule asks for.
    let sheet = "# Fact sheet\n\n| Registered name | Kestrel Data Centres Limited |\n|---|---|\n\
| Company number | 598112 |\n| Founded | 2009 |\n| Head office | Dublin |\n\
| Employees | 54 |\n| Certifications | ISO 27001 |\n";
    let r = draft(&[("facts.md", sheet)]);
    assert_eq!(at(&r, "/organization/name"), "Kestrel Data Centres Limited");
}

#[test]
fn roles_are_read_in_the_shapes_people_write_them() {
    let sms = "/key_roles/sms_manager";
    let sponsor = "/key_roles/top_management_sponsor";
    for (text, field, want) in [
        // A decision recorded in minutes or a report: "will be" appoints, it is no plan.
        (
            "That Cabinet notes that the Chief Digital and Information Officer, Alison Hart, \
will be the Senior Responsible Owner.",
            sponsor,
            "Alison Hart",
        ),
        (
            "That Cabinet notes that the Service Management Lead, Owen Pryor, will be the SMS Manager.",
            sms,
            "Owen Pryor",
        ),
        ("Tom Ashby is appointed SMS Manager until the audit.", sms, "Tom Ashby"),
        (
            "Padraig Connolly, Managing Director, is top management for the SMS.",
            sponsor,
            "Padraig Connolly",
        ),
        // Names with letters beyond ASCII.
        (
            "Eimear Ní Bhriain, Service Management Lead, is the SMS manager.",
            sms,
            "Eimear Ní Bhriain",
        ),
        // French and Spanish.
        (
            "Claire Vasseur est nommée pilote du système de management des services (SMS).",
            sms,
            "Claire Vasseur",
        ),
    ] {
        let got = in_a_paragraph("minutes.md", "Minutes", text, field);
        assert!(
            got.as_str().is_some_and(|g| g.starts_with(want)),
            "{text}: {got}"
        );
    }
    // Somebody responsible for something else is no SMS manager.
    let r = draft(&[(
        "minutes.md",
        "# Compte rendu\n\nClaire Vasseur est responsable de la sécurité des locaux.\n",
    )]);
    assert!(at(&r, sms).is_null());
}

#[test]
fn interested_parties_are_read_where_a_sentence_lists_them() {
    let minutes = "# Compte rendu\n\nParties intéressées identifiées : les clients (PME et \
collectivités), les collaborateurs, les fournisseurs (OVHcloud, Veeam) et la CNIL.\n";
    let r = draft(&[("cr.md", minutes)]);
    let parties = names(&r, "/interested_parties");
    for want in ["Clients (PME et collectivités)", "Collaborateurs", "CNIL"] {
        assert!(parties.iter().any(|p| p == want), "{want}: {parties:?}");
    }
    // The words that introduce the list are no party of it.
    let policy = "# SMS-Leitlinie\n\nFür das SMS relevante interessierte Parteien sind: Kunden, \
Mitarbeitende, Gesellschafter und Lieferanten.\n";
    let r = draft(&[("leitlinie.md", policy)]);
    let parties = names(&r, "/interested_parties");
    assert!(parties.iter().any(|p| p == "Kunden"), "{parties:?}");
    assert!(
        !parties.iter().any(|p| p.contains("Parteien")),
        "{parties:?}"
    );
    // A template's guidance names typical parties, not this organization's.
    let guide = "# How to use this toolkit\n\nTypical interested parties include customers, \
users, suppliers and regulators.\n";
    let r = draft(&[("README.md", guide)]);
    assert!(names(&r, "/interested_parties").is_empty());
    // A register whose columns are Party and Interest.
    let register = "# Scope\n\n| Party | Interest |\n|---|---|\n\
| Prudential Regulation Authority | Operational resilience |\n| Internal Audit | Evidence |\n";
    let r = draft(&[("scope.md", register)]);
    let parties = names(&r, "/interested_parties");
    assert!(
        parties
            .iter()
            .any(|p| p == "Prudential Regulation Authority"),
        "{parties:?}"
    );
}

#[test]
fn sites_are_read_in_the_shapes_people_write_them() {
    let about = "# About us\n\nOur headquarters is on East 6th Street in Austin and we have a \
second office in Denver, Colorado. Our 24x7 Security Operations Center (SOC) is in Pittsburgh, \
Pennsylvania.\n\n## Who we work for\n\nWe have one engineer permanently on site at Calder \
Valley Housing's offices in Halifax.\n";
    let r = draft(&[("about.md", about)]);
    let sites = names(&r, "/locations");
    for want in ["Austin", "Denver", "Pittsburgh"] {
        assert!(sites.iter().any(|s| s == want), "{want}: {sites:?}");
    }
    // A state after a city is no site; a customer's office is not ours.
    for not in ["Colorado", "Pennsylvania", "Halifax"] {
        assert!(!sites.iter().any(|s| s == not), "{not}: {sites:?}");
    }
    // An org chart's "Leeds or Cork" is either site, not a third one.
    let chart: &[&[&str]] = &[
        &["Name", "Job Title", "Department", "Office"],
        &[
            "Ravi Mistry",
            "Service Desk Manager",
            "Service Delivery",
            "Leeds",
        ],
        &["Niamh Byrne", "Change Manager", "Service Delivery", "Cork"],
        &[
            "Amira Haddad",
            "Service Delivery Manager",
            "Service Delivery",
            "Leeds or Cork",
        ],
    ];
    let r = draft_with(&[], &[("Staff.xlsx", chart)]);
    let sites = names(&r, "/locations");
    assert!(!sites.iter().any(|s| s.contains(" or ")), "{sites:?}");
    assert!(sites.iter().any(|s| s == "Cork"), "{sites:?}");
}

#[test]
fn certification_drivers_are_counted_in_the_shapes_people_list_them() {
    let count = |text: &str| match at(
        &draft(&[("doc.md", text)]),
        "/management_commitment/certification_drivers",
    ) {
        Value::Array(items) => items.len(),
        _ => 0,
    };
    // A lead-in, then items written as paragraphs.
    let report = "# Cabinet report\n\n4.1 The reasons for seeking certification are:\n\n\
(a) the shared-service agreement requires certified IT service management;\n\n\
(b) Internal Audit recommended that a recognised standard be adopted;\n\n\
(c) certification supports traded services to academies.\n\nThe rest of the report.\n";
    assert_eq!(count(report), 3);
    // "Why? Three reasons:" in a letter.
    let letter = "# Adding ISO 20000\n\nWhy? Three reasons:\n\n1. Customers audit us every year.\n\
2. We want one integrated management system.\n3. Public buyers give credit for it.\n";
    assert_eq!(count(letter), 3);
    // A heading that names the standard.
    let scope =
        "# SMS scope\n\n## Why certify to ISO/IEC 20000-1\n\n1. Operational resilience rules.\n\
2. Internal Audit findings.\n";
    assert_eq!(count(scope), 2);
    // One paragraph that gives its reasons a sentence each, after the one announcing them.
    let policy = "# IT policy\n\n## Why we are seeking certification\n\nThe directors asked IT \
to certify for two reasons. First, two hospital customers now audit our change control. \
Second, last winter's storage outage stopped the warehouse for three days.\n";
    assert_eq!(count(policy), 2);
    // Without ordinals the paragraph is one reason.
    let single = "# IT policy\n\n## Why we are seeking certification\n\nOur public-sector \
customers ask for it in every tender.\n";
    assert_eq!(count(single), 1);
    // An e-mail's list introduced by "the reasons we gave", and a Dutch "waarom ... :".
    let email = "# RE: ISO 20000\n\nFor the record, the reasons we gave the board:\n\n\
- the state panel weights certified suppliers;\n- two customers asked for evidence.\n";
    assert_eq!(count(email), 2);
    let notulen = "# Notulen\n\nDe directeur licht toe waarom we ook ISO/IEC 20000-1 willen \
behalen:\n\n1. Gemeenten vragen erom bij aanbestedingen.\n2. Eén geïntegreerd \
managementsysteem.\n";
    assert_eq!(count(notulen), 2);
    // A short line that asks why, above its list; a reason the notes reject is none.
    let notes =
        "# Notes\n\nPourquoi on y va\n\n- l'appel d'offres du Département exige ISO 20000\n\
- se structurer\n- (« faire comme les gros » n'est PAS une raison)\n";
    assert_eq!(count(notes), 2);
}

#[test]
fn a_planned_regime_does_not_doubt_a_held_one_and_common_words_bind_to_none() {
    let drivers = |text: &str| -> Vec<String> {
        match in_a_paragraph(
            "policy.md",
            "Compliance",
            text,
            "/management_commitment/certification_drivers",
        ) {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    assert_eq!(
        drivers("We are ISO 27001 certified and a SOC 2 report is on the roadmap."),
        ["ISO/IEC 27001 certification"]
    );
    assert!(drivers("Our IT and HR teams attended GDPR awareness training.").is_empty());
    assert!(drivers("The audit report was prepared by Dora Keller.").is_empty());
}

#[test]
fn certifications_and_regulations_held_are_drivers_in_any_language_and_planned_ones_are_not() {
    let drivers = |text: &str| -> Vec<String> {
        match at(
            &draft(&[("policy.md", text)]),
            "/management_commitment/certification_drivers",
        ) {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    // Two regimes in one sentence: the second after "en" follows the first's bracket.
    let dutch = "# Informatiebeveiligingsbeleid\n\nDe gemeente moet voldoen aan de Baseline \
Informatiebeveiliging Overheid (BIO) en aan de Algemene verordening gegevensbescherming (AVG).\n";
    assert_eq!(
        drivers(dutch),
        [
            "BIO (Baseline Informatiebeveiliging Overheid)",
            "GDPR compliance"
        ]
    );
    // An Italian statement of two; a regime before the words that say it binds.
    let italian = "# Manuale SGS\n\nLa società è tenuta al rispetto del Regolamento (UE) \
2016/679 (GDPR) ed è certificata ISO/IEC 27001:2022 dal luglio 2023.\n";
    let got = drivers(italian);
    assert!(got.contains(&"GDPR compliance".to_string()), "{got:?}");
    assert!(
        got.contains(&"ISO/IEC 27001 certification".to_string()),
        "{got:?}"
    );
    // A list of obligations under its lead-in, each item a driver; a report on the roadmap
    // and a regime that does not apply are none.
    let obligations = "# Compliance\n\nWe are subject to the following obligations:\n\n\
- PCI DSS v4.0, validated annually as a Level 1 service provider;\n\
- Personal Data Protection Act 2012 (PDPA).\n\n\
A SOC 2 Type II report is on the 2025 roadmap; no audit has been scheduled.\n";
    let got = drivers(obligations);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(!got.iter().any(|d| d.contains("SOC 2")), "{got:?}");
    let not_applicable = "# Privacy\n\nWe must comply with COPPA. PCI DSS does not apply to us, \
as we take no card payments.\n";
    assert_eq!(drivers(not_applicable), ["COPPA compliance"]);
}

#[test]
fn the_sponsor_is_read_in_minutes_and_charters_in_other_languages() {
    for (text, want) in [
        ("Sponsor des Vorhabens ist Dr. Matthias Krämer.", "Matthias Krämer"),
        ("Annika Sjöberg (VD) är sponsor för certifieringsprojektet.", "Annika Sjöberg, VD"),
        ("El Presidente del Directorio, Ing. Horacio Benítez Aráoz, asume el patrocinio del proyecto.", "Horacio Benítez Aráoz, Presidente del Directorio"),
        ("b) Designar al Dr. Tomás Arrieta Goñi patrocinador del proyecto ante el Comité.", "Tomás Arrieta Goñi"),
        ("| Auftraggeber (Sponsor) | lic. oec. Thomas Reinhard, COO |\n|---|---|\n| Budget | CHF 180'000 |", "Thomas Reinhard, COO"),
        ("| Opdrachtgever | drs. W.J. (Wim) Hoekstra, Gemeentesecretaris |\n|---|---|\n| Datum | 3 maart 2024 |", "Wim Hoekstra, Gemeentesecretaris"),
    ] {
        assert_eq!(
            in_a_paragraph("notes.md", "Notes", text, "/key_roles/top_management_sponsor"),
            want,
            "{text}"
        );
    }
    // A German board title in a chart's function column is no person: the sponsor is the
    // person or nobody (a surname column beside a first-name column is not yet read as one
    // name), never the title.
    let chart: Rows = &[
        &["Name", "Vorname", "Funktion"],
        &[
            "Zollinger",
            "Peter",
            "Vorsitzender der Geschäftsleitung (CEO)",
        ],
    ];
    let r = draft_with(&[], &[("Organigramm.xlsx", chart)]);
    let got = at(&r, "/key_roles/top_management_sponsor");
    assert!(
        got.is_null()
            || got
                .as_str()
                .is_some_and(|g| g.starts_with("Peter Zollinger")),
        "{got}"
    );
}

#[test]
fn the_sms_manager_is_read_in_minutes_in_other_languages() {
    for (text, want) in [
        (
            "La Responsabile del SGS è l'ing. Chiara Bellandi, Direttrice Tecnica.",
            "Chiara Bellandi",
        ),
        ("Emma Nyström utses till ansvarig för SMS.", "Emma Nyström"),
        (
            "b) Designar a la Lic. María Eugenia Sosa, Coordinadora de Gestión de Servicios, como \
Responsable del Sistema de Gestión de Servicios.",
            "María Eugenia Sosa",
        ),
        (
            "Interim SMS lead: Jordan Ellery (IT Manager)",
            "Jordan Ellery",
        ),
    ] {
        let got = in_a_paragraph("acta.md", "Acta", text, "/key_roles/sms_manager");
        assert!(
            got.as_str().is_some_and(|g| g.starts_with(want)),
            "{text}: {got}"
        );
    }
    // Minutes that appoint someone outweigh a staff list's plain "Service Manager" (of a
    // community service, not the SMS).
    let minutes = "# Board minutes\n\nDaniel Kwan will lead the readiness work as SMS manager, \
with one day a week set aside.\n";
    let staff: Rows = &[
        &["Name", "Job Title"],
        &["Hemi Parata", "Service Manager Te Māhoe"],
        &["Daniel Kwan", "Operations Manager"],
    ];
    let r = draft_with(&[("minutes.md", minutes)], &[("Staff.xlsx", staff)]);
    let got = at(&r, "/key_roles/sms_manager");
    assert!(
        got.as_str().is_some_and(|g| g.starts_with("Daniel Kwan")),
        "{got}"
    );
}

#[test]
fn a_post_given_for_the_sms_manager_is_the_one_person_who_holds_it_or_nobody() {
    let manual = "# SMS manual\n\n## Roles\n\n| Role | Held by |\n|---|---|\n\
| SMS Manager | Head of Service Delivery |\n| Process owners | See the RACI |\n";
    let chart: Rows = &[
        &["Name", "Job Title"],
        &["Aasen, Eirik", "Chief Executive Officer"],
        &["Solbakken, Ingrid", "Head of Service Delivery"],
    ];
    let r = draft_with(&[("manual.md", manual)], &[("Org chart.xlsx", chart)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Ingrid Solbakken, Head of Service Delivery"
    );
    // Nobody holds the post: no value, and no post offered as a person.
    let r = draft(&[("manual.md", manual)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
}

#[test]
fn process_owner_tables_are_read_in_other_languages_with_surnames_in_capitals() {
    let fr: Rows = &[
        &[
            "Processus ISO/IEC 20000-1",
            "Propriétaire de processus",
            "Suppléant",
        ],
        &["Gestion des incidents", "BERNARD Sophie", "SOUSA Rita"],
        &["Gestion des changements", "FAURE Nicolas", "ROUX Julien"],
    ];
    let r = draft_books(&[], &[("Matrice RACI.xlsx", vec![("Propriétaires", fr)])]);
    let mut got = owners(&r);
    got.sort();
    assert_eq!(got, ["Nicolas Faure", "Sophie Bernard"]);
    let es: Rows = &[
        &["Proceso", "Dueño(a) del proceso", "Suplente"],
        &["Gestión de problemas", "VILLAR SOTO, Marcos", "PAZ, Ana"],
    ];
    let r = draft_books(&[], &[("Matriz RACI.xlsx", vec![("Propietarios", es)])]);
    assert_eq!(owners(&r), ["Marcos Villar Soto"]);
    let sv = "# Processägare SMS\n\n| Process | Processägare | Kommentar |\n|---|---|---|\n\
| Incidenthantering | Johan Berg | |\n| Ändringshantering | Sara Holm | CAB |\n";
    let mut got = owners(&draft(&[("processer.md", sv)]));
    got.sort();
    assert_eq!(got, ["Johan Berg", "Sara Holm"]);
}

#[test]
fn process_owners_are_read_in_the_shapes_people_write_them() {
    let owners = |text: &str| -> Vec<String> {
        match at(&draft(&[("doc.md", text)]), "/key_roles/process_owners") {
            Value::Array(items) => items
                .iter()
                .filter_map(|i| i.get("owner").and_then(Value::as_str).map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
        .into_iter()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
    };
    let email = "# Kickoff\n\nProcess owners, as agreed Friday: Incident - Jordan Pike; Change - \
Alisha Grant; Supplier - Greg Moreno.\n";
    assert_eq!(
        owners(email),
        ["Alisha Grant", "Greg Moreno", "Jordan Pike"]
    );
    let politica = "# Política\n\nPropietarios de procesos: Gestión de incidencias y peticiones - \
Andrés Pastor Gil; Gestión de cambios - Raquel Ibáñez Roig.\n";
    assert_eq!(
        owners(politica),
        ["Andrés Pastor Gil", "Raquel Ibáñez Roig"]
    );
    let handbook = "# Process ownership\n\nMarcus Chen owns the incident management process. \
Change management (deploy policy, freeze windows) is owned by Elena Ruiz, our Release Manager.\n";
    assert_eq!(owners(handbook), ["Elena Ruiz", "Marcus Chen"]);
    // Pairs with the owner's title in brackets, one per item of a list.
    let kickoff = "# Kickoff\n\nAgreed owners:\n\n- Incident management - Rua Tane (Service Desk \
Lead)\n- Change and release management - Mere Hohaia (Infrastructure Lead)\n";
    assert_eq!(owners(kickoff), ["Mere Hohaia", "Rua Tane"]);
    // A table whose owner column is the DRI.
    let plan = "# Plan\n\n| Process | DRI | State |\n|---|---|---|\n\
| Incident management | Noor Haddad | Running |\n| Change management | Eli Brandt | Draft |\n";
    assert_eq!(owners(plan), ["Eli Brandt", "Noor Haddad"]);
    // A row whose owner is still open names nobody: only the named owner is taken.
    let charter = "# Charter\n\n| Process | Owner |\n|---|---|\n| Incident management | TBD |\n\
| Change management | Lea Marchetti |\n";
    let r = draft(&[("charter.md", charter)]);
    let rows = match at(&r, "/key_roles/process_owners") {
        Value::Array(items) => items,
        other => panic!("{other}"),
    };
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["owner"], "Lea Marchetti");
    // A process and a name in running text are no pair.
    let log = "# Log\n\nIncident - Jordan Pike reported the outage at 09:12 and closed it.\n";
    assert!(owners(log).is_empty());
}

#[test]
fn tools_are_stated_in_an_annual_report_and_with_the_verb_first() {
    let tools = |text: &str| names(&draft(&[("report.md", text)]), "/technology");
    let verslag = "# Jaarverslag\n\n## Werkplek\n\nOns servicemanagement draait op TOPdesk. Voor \
mail gebruiken wij Microsoft 365.\n";
    let got = tools(verslag);
    for want in ["TOPdesk", "Microsoft 365"] {
        assert!(got.iter().any(|t| t == want), "{want}: {got:?}");
    }
    let report = "# Annual report\n\nWe went live with ServiceNow in May, replacing the old \
helpdesk. SolarWinds now monitors all switches.\n";
    let got = tools(report);
    for want in ["ServiceNow", "SolarWinds"] {
        assert!(got.iter().any(|t| t == want), "{want}: {got:?}");
    }
}

#[test]
fn a_file_of_tools_states_them_and_a_lapsed_tool_is_gone() {
    let email = "# RE: tools list for the auditor\n\nFinal list below.\n\n\
- LibreNMS: monitoring and alerting for our core\n- NetBox: IPAM and inventory\n\n\
PRTG is gone (licence lapsed in 2022 and we didn't renew).\n";
    let r = draft(&[("NOC tooling.md", email)]);
    let tools = names(&r, "/technology");
    for want in ["LibreNMS", "NetBox"] {
        assert!(tools.iter().any(|t| t == want), "{want}: {tools:?}");
    }
    assert!(!tools.iter().any(|t| t == "PRTG"), "{tools:?}");
    // Named once in passing elsewhere, a tool is only suggested.
    let memo = "# Memo\n\nSomebody mentioned LibreNMS at lunch.\n";
    let r = draft(&[("memo.md", memo)]);
    assert!(names(&r, "/technology").is_empty());
}

#[test]
fn the_industry_is_read_as_the_kind_of_provider_or_institution() {
    for (text, want) in [
        ("Corran Networks Limited is a managed network services provider for the west.", "Managed network services"),
        ("Tolland Fibre Ltd is a regional telecommunications operator.", "Telecommunications"),
        ("Kauri Link Ltd is a New Zealand telecommunications operator.", "Telecommunications"),
        ("Deccan Mercantile Bank Limited is a scheduled commercial bank based in Pune.", "Scheduled commercial bank"),
        ("Die Hollmann IT GmbH ist der IT-Dienstleister der Hollmann-Gruppe.", "IT-Dienstleister"),
        ("Clínicas Ribera, S.L. es un grupo de sanidad privada con tres clínicas.", "Sanidad privada"),
        ("Loire Infogestion SARL est une société d'infogérance et de maintenance installée à Tours.", "Infogérance"),
        ("Harrow Cloud Ltd is a managed service provider (MSP) for charities.", "Managed service provider"),
        ("Ledgerline Inc. builds grant management software for Canadian foundations.", "Grant management software"),
        ("Quillbyte Ltd builds developer tools: API documentation and mocking.", "Developer tools"),
        ("IT Services is the central IT department of the University of Kelso, a mid-sized Scottish higher education institution.", "Higher education"),
        ("Orvelle Services SAS est une entreprise d'infogérance basée à Lyon.", "Infogérance"),
        // An institution, a body with an adjective, Portuguese, German and Dutch kinds.
        ("La Universidad del Mar Austral es una institución de educación superior estatal.", "Educación superior"),
        ("El Grupo Valdemoro es un grupo privado de asistencia sanitaria con cinco hospitales.", "Asistencia sanitaria"),
        ("A Transleste é uma empresa de transporte rodoviário de cargas.", "Transporte rodoviário de cargas"),
        ("Die Bank Aarwangen AG ist eine unabhängige Schweizer Privatbank mit Sitz in Bern.", "Privatbank"),
        ("Stichting Woonwijzer is een woningcorporatie in Deventer.", "Woningcorporatie"),
        ("| Registered name | Kestrel DC Limited |\n|---|---|\n| Business | Carrier-neutral data centre colocation |\n| Head office | Dublin |", "Carrier-neutral data centre colocation"),
    ] {
        assert_eq!(
            in_a_paragraph("about.md", "About", text, "/organization/industry"),
            want,
            "{text}"
        );
    }
    // A customer described in the same page does not silence the organization's own line.
    let about = "# About\n\nKeswick Hosting, LLC is a managed hosting provider for law firms.\n\n\
## Our customers\n\n- Brightwater Legal is a boutique law firm in Leeds.\n";
    let r = draft(&[("about.md", about)]);
    assert_eq!(at(&r, "/organization/industry"), "Managed hosting");
    // A licence class in capitals is no industry; the company's own line is.
    let r = draft(&[(
        "about.md",
        "# About\n\nPayLedger Pte. Ltd. is a digital payments company licensed as a Major Payment \
Institution.\n\nAs a service provider we must comply with the PDPA.\n",
    )]);
    assert_eq!(at(&r, "/organization/industry"), "Digital payments");
    // Whom it serves is the provider type, not the industry.
    let r = draft(&[(
        "about.md",
        "# About\n\nWe are an internal service provider: our customers are the schools.\n",
    )]);
    assert!(at(&r, "/organization/industry").is_null());
}

#[test]
fn the_provider_type_is_read_from_how_the_service_is_sold_or_hosted() {
    let kind = |text: &str| {
        in_a_paragraph(
            "about.md",
            "About",
            text,
            "/service_provider_type/classification",
        )
    };
    assert_eq!(
        kind("We sell it as SaaS, billed per seat, to about 1,400 customers."),
        "Type II"
    );
    assert_eq!(
        kind("More than 3,000 paying teams use Quillbyte every day."),
        "Type II"
    );
    assert_eq!(
        kind("Orvelle est une entreprise d'infogérance pour les PME."),
        "Type II"
    );
    assert_eq!(
        kind("LHIS serves its host trust and, as an external provider, its partner trusts and GP practices."),
        "Type III"
    );
    // Whom the services are for, in other languages and with a negation.
    for (text, want) in [
        ("Die Informatik erbringt keine Services für Dritte; die Bank ist interner Service-Provider.", "Type I"),
        ("La DNSI est à la fois prestataire de services interne (pour la Région) et prestataire de services externe pour les lycées.", "Type III"),
        ("Koncern-IT levererar IT-tjänster enbart till Norrskärs egna varuhus; vi säljer inga IT-tjänster externt.", "Type I"),
        ("Ponteradio fornisce servizi di connettività a clienti business esterni.", "Type II"),
        ("IT Services provides IT services only to the partners and staff of the firm; it does not provide IT services to clients or other third parties.", "Type I"),
        ("Team I&A levert ICT-diensten aan alle afdelingen van de eigen gemeentelijke organisatie en, op basis van de DVO, aan de gemeente Oosterlinde.", "Type III"),
    ] {
        assert_eq!(kind(text), want, "{text}");
    }
    // A job advert's experience asked of a candidate says nothing about the organization.
    let advert = "# Problem Manager (vacancy)\n\n## About the role\n\nHarbourline is a Leeds-based \
managed service provider. At least three years in problem management in an MSP or an internal IT \
team.\n\n## Requirements\n\n- ITIL 4 Foundation\n\n## How to apply\n\nSalary and benefits on request.\n";
    let about = "# About\n\nHarbourline Ltd is a managed service provider (MSP) for housing associations.\n";
    let r = draft(&[("vacancy.md", advert), ("about.md", about)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type II");
    // An MSP's own description, and its customers counted.
    assert_eq!(
        kind(
            "Karoo Cloud (Pty) Ltd provides managed hosting and IT services to mid-sized \
companies and public-sector entities."
        ),
        "Type II"
    );
    assert_eq!(kind("- Klanten: 2.300"), "Type II");
    assert_eq!(kind("Ruim 2.300 klanten vertrouwen op ons."), "Type II");
    // A German group IT company serving its group and, under contract, outside customers.
    assert_eq!(
        kind(
            "Die Hollmann IT GmbH ist der IT-Dienstleister der Hollmann-Gruppe und betreut \
seit 2020 auch externe Kunden aus dem Handel."
        ),
        "Type III"
    );
    // An internal IT unit that says whom it serves, and that it sells nothing outside.
    for text in [
        "The NOC's customers are Kauri Link's own business units: Consumer and Wholesale.",
        "ITD provides IT services to the Bank's business verticals. ITD does not provide IT \
services to any entity outside the group.",
        "IT Services serves the University only.",
        "La DSI presta servicios exclusivamente a las unidades del Grupo.",
    ] {
        assert_eq!(kind(text), "Type I", "{text}");
    }
    // What another unit sells is not evidence of the NOC's customers.
    assert_eq!(
        kind(
            "The NOC's customers are Kauri Link's own business units. Network services for \
enterprise clients are sold and delivered by Kauri Business, which is our customer."
        ),
        "Type I"
    );
    // A template's example of what to fill in is no evidence.
    assert!(kind(
        "Fill in the provider type, for example: Type II - external customers in \
the region."
    )
    .is_null());
}

#[test]
fn the_sms_manager_is_read_where_an_appointment_is_minuted() {
    let manager =
        |text: &str| in_a_paragraph("minutes.md", "Minutes", text, "/key_roles/sms_manager");
    assert_eq!(
        manager(
            "The Board approves the appointment of Lerato Dube, Head of Operations, as SMS \
Manager."
        ),
        "Lerato Dube"
    );
    assert_eq!(
        manager("Besluit: Femke van der Berg wordt benoemd tot SMS-manager."),
        "Femke van der Berg"
    );
    assert_eq!(
        manager(
            "Mme Aurélie Fabre, cheffe du service Usagers, est désignée responsable du \
système de management des services."
        ),
        "Aurélie Fabre"
    );
    assert_eq!(
        manager(
            "Tomasz Nowak, Head of Service Management, was appointed SMS manager in May, \
taking over from Irene Walsh, who left the company in April."
        ),
        "Tomasz Nowak"
    );
}

#[test]
fn roles_are_read_from_labels_run_together_or_naming_two_roles() {
    let roles = |text: &str| {
        let r = draft(&[("doc.md", &format!("# Roles\n\n{text}\n"))]);
        (
            at(&r, "/key_roles/sms_manager"),
            at(&r, "/key_roles/top_management_sponsor"),
        )
    };
    // Several labels in one paragraph: each value ends where the next label begins.
    let (manager, sponsor) = roles(
        "Executive sponsor: Ms. Kavita Menon, CIO. SMS Manager: Mr. Arvind Rao Pilla, AGM \u{2013} \
IT Service Management. Oversight: the IT Strategy Committee.",
    );
    assert_eq!(
        manager,
        "Arvind Rao Pilla, AGM \u{2013} IT Service Management"
    );
    assert_eq!(sponsor, "Kavita Menon, CIO");
    // A label that names two roles, in a table and in a line.
    let (manager, _) = roles(
        "| Role | Name |\n|---|---|\n| Project manager / SMS owner | Dana Kowalczyk, Director of \
Operations |",
    );
    assert_eq!(manager, "Dana Kowalczyk, Director of Operations");
    let (manager, _) = roles("Projectleider en SMS-eigenaar: Joris Hendriks, servicemanager");
    assert_eq!(manager, "Joris Hendriks, servicemanager");
    // The sponsor named in apposition, and a Spanish ratification.
    let (_, sponsor) =
        roles("Escalations go to the Chief Technology Officer, Kelvin Ang, who sponsors the ISO/IEC 20000-1 programme.");
    assert_eq!(sponsor, "Kelvin Ang");
    let (manager, _) = roles("Se ratifica a Dª Elena Torres Vidal como Responsable del SGS.");
    assert_eq!(manager, "Elena Torres Vidal");
}

#[test]
fn an_organization_is_named_after_a_dash_with_its_country_in_brackets() {
    let handbook = "# Network Operations Centre Handbook\n\nVersion 2.1 \u{2013} Internal \
\u{2013} Lotus Fibre (Malaysia) Sdn. Bhd.\n\nThe NOC watches the network day and night.\n";
    let r = draft(&[("handbook.md", handbook)]);
    assert_eq!(
        at(&r, "/organization/name"),
        "Lotus Fibre (Malaysia) Sdn. Bhd."
    );
    for (text, want) in [
        // An article before the name, and a short name defined in German quotation marks.
        (
            "Die Hollmann IT Services GmbH (im Folgenden \u{201e}HITS\u{201c}) ist der \
IT-Dienstleister der Hollmann-Gruppe.",
            "Hollmann IT Services GmbH",
        ),
        (
            "Clínicas Ribera, S.L. (en adelante, \u{ab}Ribera\u{bb}) es un grupo de sanidad privada.",
            "Clínicas Ribera, S.L.",
        ),
        // A registration number and a trading name after the legal name.
        (
            "**Karri Cloud Pty Ltd** (ABN 41 612 345 987) - trading as *Karri Cloud*",
            "Karri Cloud Pty Ltd",
        ),
        // A council's letterhead line with its directorate, and a label with the unit after
        // a comma.
        (
            "Fenmoor Borough Council \u{2013} Resources Directorate",
            "Fenmoor Borough Council",
        ),
        (
            "**Organisation:** Rheinbank AG, Bereich Informatik & Betrieb",
            "Rheinbank AG",
        ),
        // The unit a label names after the legal name is not part of it.
        (
            "**Organisation:** Deccan Mercantile Bank Limited - Information Technology Department (ITD)",
            "Deccan Mercantile Bank Limited",
        ),
    ] {
        assert_eq!(
            in_a_paragraph("doc.md", "Scope", text, "/organization/name"),
            want,
            "{text}"
        );
    }
}

#[test]
fn a_signature_under_a_firma_label_is_no_organization() {
    // "Firma" is the company in German and the signature in Spanish.
    let acta = "# Acta\n\nFirma: Andrés Ospina Duque \u{2013} Gerente General\n";
    let r = draft(&[("acta.md", acta)]);
    assert!(at(&r, "/organization/name").is_null());
}

#[test]
fn a_specimen_name_in_an_example_is_only_suggested() {
    let policy = "# Politique SMS\n\nPilotes des processus : Gestion des incidents : Jean \
Dupont ; Gestion des changements : Max Mustermann.\n";
    let r = draft(&[("politique.md", policy)]);
    assert!(at(&r, "/key_roles/process_owners").is_null());
}

#[test]
fn a_labelled_sms_manager_ends_with_the_sentence() {
    let politica = "# Política\n\nResponsable del SGS: Lucía Ferrer Soler. Propietarios de \
procesos: Gestión de cambios - Raquel Ibáñez Roig.\n";
    let r = draft(&[("politica.md", politica)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), "Lucía Ferrer Soler");
    let policy = "# Roles\n\nSMS Manager: Dr. A. Jones, Head of Service Management\n";
    let r = draft(&[("roles.md", policy)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "A. Jones, Head of Service Management"
    );
}

#[test]
fn a_role_label_alone_on_its_line_names_the_person_on_the_next_and_a_title_after_a_name_counts() {
    // A soft line break after the label (a DOCX `w:br`, two spaces in Markdown).
    let politica = "# Política del SGS\n\nResponsable del SGS:  \nLucía Ferrández Ibarra, Jefa \
de Gestión del Servicio TI\n";
    let r = draft(&[("politica.md", politica)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Lucía Ferrández Ibarra, Jefa de Gestión del Servicio TI"
    );
    // A project charter's cover: the role is the title after the name, in Spanish.
    let acta = "# Acta de constitución\n\n| Patrocinador | Cristián Poblete Soto, Vicerrector |\n\
|---|---|\n| Jefa de proyecto | Ing. María José Fuentes Araya, Encargada del SGS |\n\
| Fecha | 6 de enero de 2025 |\n";
    let r = draft(&[("acta.md", acta)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "María José Fuentes Araya, Encargada del SGS"
    );
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Cristián Poblete Soto, Vicerrector"
    );
}

#[test]
fn interested_parties_are_the_bare_items_of_a_list_under_their_heading_or_line() {
    let parties = |text: &str| {
        let mut all = names(&draft(&[("doc.md", text)]), "/interested_parties");
        all.sort();
        all
    };
    let scope = "# SMS scope\n\n## Interested parties\n\n- Board of Directors\n\
- Customers of the Bank (as users of the digital channels)\n- Reserve Bank of India\n\
- CERT-In\n";
    assert_eq!(
        parties(scope),
        [
            "Board of Directors",
            "CERT-In",
            "Customers of the Bank",
            "Reserve Bank of India"
        ]
    );
    // A line that names the section right above its list, with a note in brackets.
    let notes = "# Notes de lancement\n\nParties intéressées (première liste, à compléter)\n\n\
- clients\n- salariés\n- CNIL\n";
    assert_eq!(parties(notes), ["CNIL", "Clients", "Salariés"]);
    // A register whose requirements column is headed in other words.
    let register = "# Register\n\n| Stakeholder | Belang / eisen | Hoe |\n|---|---|---|\n\
| Medewerkers | Duidelijke rollen | Onderzoek |\n| Leveranciers | Afspraken | Overleg |\n";
    assert_eq!(parties(register), ["Leveranciers", "Medewerkers"]);
    let scope = "# Scope\n\n| Interested party | Main requirements |\n|---|---|\n\
| Students | Reliable Wi-Fi |\n| Funding authority | Annual returns |\n";
    assert_eq!(parties(scope), ["Funding authority", "Students"]);
}

#[test]
fn a_site_list_may_say_what_each_site_is_for() {
    let sites = "# Standorte\n\n| Standort | Funktion |\n|---|---|\n\
| Kiel, Hafenstraße 3 | Sitz der Gesellschaft, Service Desk |\n\
| Lübeck, Am Markt 7 | Ausweich-Rechenzentrum |\n";
    let r = draft(&[("standorte.md", sites)]);
    let names = names(&r, "/locations");
    assert!(names.iter().any(|n| n.starts_with("Kiel")), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("Lübeck")), "{names:?}");
}

#[test]
fn the_head_office_is_read_where_it_is_said_to_be_based_in_other_languages() {
    for (text, want) in [
        ("Loire Infogestion SARL est une société d'infogérance installée à Tours, au 3 rue Nationale.", "Tours"),
        ("Die Hollmann IT GmbH mit Sitz in Kiel betreut 120 Kunden.", "Kiel"),
        ("Stadsnet B.V. is gevestigd in Zwolle.", "Zwolle"),
        ("Clínicas Ribera, S.L., con sede en Valencia, gestiona tres clínicas.", "Valencia"),
    ] {
        let r = draft(&[("about.md", &format!("# About\n\n{text}\n"))]);
        assert_eq!(names(&r, "/locations"), [want], "{text}");
    }
}

#[test]
fn a_heading_with_a_note_in_brackets_is_still_its_heading() {
    let minutes = "# Kick-off minutes\n\n## 4. Interested parties (first pass)\n\n\
- Customers: services as agreed in the SLAs\n- Information Commissioner's Office: data protection\n";
    let r = draft(&[("minutes.md", minutes)]);
    let parties = names(&r, "/interested_parties");
    assert!(parties.iter().any(|p| p == "Customers"), "{parties:?}");
    assert!(
        parties
            .iter()
            .any(|p| p == "Information Commissioner's Office"),
        "{parties:?}"
    );
}

#[test]
fn a_paragraph_under_an_interested_parties_heading_that_lists_them_gives_each() {
    let manual = "# Service management manual\n\n## 4. Interested parties\n\n\
Our clients (schools, two housing trusts and a port), Ofcom, our upstream carriers \
(Openreach and Neos), and our staff.\n";
    let r = draft(&[("manual.md", manual)]);
    let got = names(&r, "/interested_parties");
    for want in [
        "Clients (schools",
        "Ofcom",
        "Upstream carriers (Openreach and Neos)",
        "Staff",
    ] {
        assert!(got.iter().any(|g| g.starts_with(want)), "{want} in {got:?}");
    }
    assert_eq!(got.len(), 4, "{got:?}");

    // Members separated by semicolons keep their commas; a remark after the list is no party.
    let minutes = "# Kick-off minutes\n\n## Partes interesadas\n\n\
Clientes; empleados; proveedores, sobre todo Telefónica y Adista; la Agencia Española de \
Protección de Datos (AEPD). Pendiente: registro formal.\n";
    let r = draft(&[("acta.md", minutes)]);
    let got = names(&r, "/interested_parties");
    assert_eq!(
        got.iter().map(String::as_str).collect::<Vec<_>>(),
        [
            "Agencia Española de Protección de Datos (AEPD)",
            "Clientes",
            "Empleados",
            "Proveedores, sobre todo Telefónica y Adista"
        ],
    );
}

#[test]
fn a_sentence_under_an_interested_parties_heading_is_no_list() {
    for text in [
        "Typical interested parties include customers, suppliers and regulators.",
        "The SMS manager maintains the register of interested parties, reviews it each year \
and reports changes to top management.",
    ] {
        let doc = format!("# SMS policy\n\n## Interested parties\n\n{text}\n");
        let r = draft(&[("policy.md", &doc)]);
        assert!(names(&r, "/interested_parties").is_empty(), "{text}");
    }
}

#[test]
fn sites_are_read_where_a_sentence_says_what_is_there() {
    let review = "# Annual service review\n\nThe service employs 180 staff. Its headquarters is \
Millbrook House on the Fairfield estate in Ashby. The service desk and the primary data centre \
are at Ashby General Hospital, and the secondary data centre is at Holt Community Hospital. Field \
engineers also work from partner sites such as Kelso Royal Infirmary.\n\n\
Our staff are based at the Riverside Campus in Perth and at the Moor Campus in Stirling. Backups \
are held by Iron Mountain in Livingston.\n\n\
We work from our head office and network operations centre (NOC) in Sligo and a sales office \
in Sandyford, Dublin.\n";
    let r = draft(&[("review.md", review)]);
    let got = names(&r, "/locations");
    for want in [
        "Millbrook House",
        "Ashby General Hospital",
        "Holt Community Hospital",
        "Riverside Campus in Perth",
        "Moor Campus in Stirling",
        "Sligo",
        "Sandyford, Dublin",
    ] {
        assert!(got.iter().any(|g| g == want), "{want} in {got:?}");
    }
    assert_eq!(got.len(), 7, "{got:?}");
}

#[test]
fn a_street_in_a_list_of_offices_is_no_site() {
    let profile =
        "# Datos básicos\n\n- Sede: Valencia\n- Oficina: Avenida de Maisonnave, Alicante\n";
    let r = draft(&[("empresa.md", profile)]);
    let got = names(&r, "/locations");
    assert!(got.iter().any(|g| g == "Alicante"), "{got:?}");
    assert!(!got.iter().any(|g| g.contains("Avenida")), "{got:?}");
}

#[test]
fn a_header_written_as_alternatives_is_known_by_either() {
    let register: &[&[&str]] = &[
        &[
            "Stakeholder",
            "Category",
            "Interest / requirements",
            "Influence",
        ],
        &[
            "Riverside NHS Trust",
            "Host / customer",
            "Reliable clinical IT",
            "High",
        ],
        &[
            "Care Quality Commission",
            "Regulator",
            "Safe digital systems",
            "Medium",
        ],
    ];
    let r = draft_with(&[], &[("stakeholder register.xlsx", register)]);
    assert_eq!(
        names(&r, "/interested_parties"),
        ["Riverside NHS Trust", "Care Quality Commission"]
    );
    assert_eq!(
        at(&r, "/interested_parties/0/requirements/0"),
        "Reliable clinical IT"
    );
}

#[test]
fn itil_adoption_is_read_where_the_framework_is_called_adopted_or_based_on() {
    for (text, want) in [
        (
            "ITIL 4 is the Bank's adopted service management framework.",
            "ITIL 4",
        ),
        (
            "Nuestros procesos de CAU se basan en ITIL 4 desde 2020.",
            "ITIL 4",
        ),
        (
            "Nos processus s'appuient sur ITIL v3 depuis 2015.",
            "ITIL v3",
        ),
        (
            "Unsere Prozesse orientieren sich seit 2016 an ITIL v3.",
            "ITIL v3",
        ),
        (
            "Die Prozesse der HITS sind seit 2017 nach ITIL V3 (Edition 2011) aufgebaut.",
            "ITIL v3",
        ),
        (
            "Los procesos del área siguen el marco ITIL 4 desde 2021.",
            "ITIL 4",
        ),
    ] {
        let doc = format!("# Operating model\n\n{text}\n");
        let r = draft(&[("model.md", &doc)]);
        assert_eq!(
            at(&r, "/service_management_maturity/itil_adoption"),
            want,
            "{text}"
        );
    }
}

#[test]
fn the_writer_who_names_themself_to_an_sms_role_is_that_role() {
    let email = "From: Dana Whitlow <dwhitlow@northfield.example>\nTo: Service leads\n\
Subject: ISO 20000 kickoff\n\nTeam,\n\nOur CEO signed off on the project, with himself as \
executive sponsor and me as SMS manager.\n";
    let r = draft(&[("email - kickoff.md", email)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), "Dana Whitlow");

    let page = "# ISO 20000 - why and how\n\nCreated by Jonas Lind \u{b7} Last edited 2 April \
2024\n\nWe are going to get certified this year. I'm running it (SMS manager, in ISO-speak).\n";
    let r = draft(&[("why and how.md", page)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), "Jonas Lind");

    let mail = "From: Mike Tallis <mike@tallis.example>\n\nHi Jo,\n\nI'll be sponsoring this \
myself, but I haven't decided who runs it day to day yet.\n";
    let r = draft(&[("email from Mike.md", mail)]);
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), "Mike Tallis");
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);

    // Nobody is known to be the writer: no value.
    let note = "# Kickoff\n\nThe CEO will sponsor it, with me as SMS manager.\n";
    let r = draft(&[("note.md", note)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
}

#[test]
fn a_raci_matrix_gives_the_owner_its_accountable_column_names() {
    let raci: &[&[&str]] = &[
        &[
            "Process",
            "CIO - Ann Pike",
            "Service Desk Manager - Tom Reyes",
            "NOC",
            "Change Manager (Lena Voss)",
        ],
        &["Incident management", "I", "A/R", "R", "C"],
        &["Change management", "I", "C", "R", "A"],
        &["Problem management", "A", "R", "", ""],
        // Accountable: a team, not a person. No owner.
        &["Capacity management", "I", "C", "A", ""],
    ];
    let r = draft_with(&[], &[("SMS RACI.xlsx", raci)]);
    let owners: Vec<(String, String)> = match at(&r, "/key_roles/process_owners") {
        Value::Array(items) => items
            .iter()
            .map(|i| {
                (
                    i["process"].as_str().unwrap().into(),
                    i["owner"].as_str().unwrap().into(),
                )
            })
            .collect(),
        other => panic!("{other}"),
    };
    let want = [
        ("Change management", "Lena Voss, Change Manager"),
        ("Incident management", "Tom Reyes, Service Desk Manager"),
        ("Problem management", "Ann Pike, CIO"),
    ];
    for (process, owner) in want {
        assert!(
            owners.iter().any(|(p, o)| p == process && o == owner),
            "{process}: {owners:?}"
        );
    }
    assert!(
        !owners.iter().any(|(p, _)| p == "Capacity management"),
        "{owners:?}"
    );
}

#[test]
fn the_chief_executive_stands_in_as_sponsor_only_when_no_one_is_named() {
    let about = "# About Northwind\n\n- Dana Frost, CEO & co-founder\n- Omar Reyes, CTO & \
co-founder\n";
    // No one named: the chief executive stands in.
    let r = draft(&[("about.md", about)]);
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Dana Frost, CEO & co-founder"
    );
    // Someone is named, even by first name only: the chief executive is only suggested.
    let plan = "# ISO 20000 plan\n\n## Who is doing what\n\n- Omar is the exec sponsor and \
signs off the scope.\n";
    let r = draft(&[("about.md", about), ("plan.md", plan)]);
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), Value::Null);
    let suggested: Vec<String> = r
        .merged
        .suggestions
        .iter()
        .filter(|s| s.field == "/key_roles/top_management_sponsor")
        .map(|s| s.value.to_string())
        .collect();
    assert!(
        suggested.iter().any(|s| s.contains("Dana Frost")),
        "{suggested:?}"
    );
    // Named in full with a title: taken.
    let summary = "# Gap assessment\n\nMeena Rao, Chief Operating Officer, is the executive \
sponsor. He reports to the board.\n";
    let r = draft(&[("about.md", about), ("summary.md", summary)]);
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Meena Rao, Chief Operating Officer"
    );
}

#[test]
fn a_quoted_message_has_its_own_writer() {
    let mail = "From: Kit Mahoney <kit@example.com>\nTo: Bea Lowe\nSubject: RE: ISO 20000\n\n\
Hi Bea,\n\nHappy to take it on: I'll act as SMS manager for the project.\n\nKit\n\n\
-----Original Message-----\nFrom: Bea Lowe\nSent: Wednesday\n\nKit,\n\nBoard said yes. I'll \
sponsor it from the exec side.\n";
    let r = draft(&[("RE ISO 20000.md", mail)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), "Kit Mahoney");
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), "Bea Lowe");
}

#[test]
fn a_paragraph_opening_with_example_is_an_example() {
    let policy = "# SMS policy\n\n## Roles\n\nTop management: [Name]. SMS manager: [Name].\n\n\
Example: Jane Doe, Managing Director, is top management; Sarah Chen, IT Service Manager, is the \
SMS manager.\n";
    let r = draft(&[("policy.md", policy)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
}

#[test]
fn a_competitor_scan_gives_no_figures_of_ours() {
    let scan = "# Competitor scan - July 2024\n\n| | Highveld Cloud | Karoo Tech | Us |\n\
|---|---|---|---|\n| Staff | ~250 | ~140 | 96 |\n| Framework | ITIL 4 | ITIL v3 | - |\n";
    let r = draft(&[("Competitor scan 2024.md", scan)]);
    assert_eq!(at(&r, "/organization/size"), Value::Null);
    assert_eq!(
        at(&r, "/service_management_maturity/itil_adoption"),
        Value::Null
    );
}

#[test]
fn headcount_is_read_in_more_shapes() {
    for (text, want) in [
        (
            "- Opgericht in 2009\n- 31 medewerkers (28 fte)\n",
            "31 employees",
        ),
        (
            "- Founded: 2019, Toronto\n- Team: 23 people, most of us remote\n",
            "23",
        ),
        (
            "Headcount at 31 July 2024 was 96 permanent staff.\n",
            "96 employees",
        ),
        (
            "Group IT is an internal department of 19 staff.\n",
            "19 employees",
        ),
        (
            "Headcount at the end of May: 74 (including 2 apprentices).\n",
            "74 employees",
        ),
        (
            "Staff strength as on 30 June 2024: 212 officers on the rolls.\n",
            "212 employees",
        ),
        ("- People: 39 of us (as of May)\n", "39"),
        (
            "Die Hollmann IT GmbH beschäftigt zum 30.06.2024 87 Mitarbeitende (80,5 VZÄ).\n",
            "87 employees",
        ),
        (
            "Eind 2023 telde Stadsnet 53 medewerkers (47,1 fte).\n",
            "53 employees",
        ),
        (
            "El área de sistemas está formada por 17 personas.\n",
            "17 employees",
        ),
        // Thousands grouped by a space or a dot, as French, Swedish and Spanish write them.
        (
            "Aujourd'hui, nous sommes 1 240 collaborateurs.\n",
            "1,240 employees",
        ),
        (
            "| Indicador | Valor |\n|---|---|\n| Funcionarios | 1.840 |\n",
            "1840",
        ),
        // A subject after a past verb, a Spanish "planta", Swedish, and "our N staff".
        (
            "Per 31. Dezember 2024 beschäftigte die Bank 214 Mitarbeitende.\n",
            "214 employees",
        ),
        (
            "La planta de la Agencia es de 214 agentes.\n",
            "214 employees",
        ),
        (
            "Norrskär har cirka 2 140 anställda, varav 46 inom IT.\n",
            "2,140 employees",
        ),
        (
            "Our 84 staff and 210 volunteers serve the district.\n",
            "84 employees",
        ),
        (
            "HMU employs 2,940 permanent and fixed-term staff.\n",
            "2,940 employees",
        ),
    ] {
        let doc = format!("# About us\n\n{text}");
        let r = draft(&[("about.md", &doc)]);
        let got = at(&r, "/organization/size").to_string();
        assert!(got.contains(want), "{text}: {got}");
    }
}

#[test]
fn south_african_and_malaysian_legal_suffixes_are_legal_names() {
    for name in [
        "Protea Managed Services (Pty) Ltd",
        "Kinabalu Systems Sdn. Bhd.",
    ] {
        let doc = format!("# Board paper\n\n{name} provides managed cloud and IT services.\n");
        let r = draft(&[("board paper.md", &doc)]);
        assert_eq!(at(&r, "/organization/name"), name);
    }
}

#[test]
fn the_industry_is_read_as_the_lead_of_a_label_or_what_the_organization_provides() {
    for (text, want) in [
        (
            "| | |\n|---|---|\n| Registered name | Gumtree IT Pty Ltd |\n| What we do | Managed \
IT services, cloud and security support for small businesses |\n",
            "Managed IT services",
        ),
        (
            "Kestrel Systems (Pty) Ltd provides managed cloud and IT services to mid-market \
companies.\n",
            "Managed cloud and IT services",
        ),
        (
            "Berkhout Hosting B.V. is een Nederlandse hostingprovider.\n",
            "Hostingprovider",
        ),
    ] {
        let doc = format!("# About us\n\n{text}");
        let r = draft(&[("about.md", &doc)]);
        assert_eq!(at(&r, "/organization/industry"), want, "{text}");
    }
    // The service desk providing services is no industry; nor is plain "IT services" (the
    // provider-type sentence of every policy).
    for doc in [
        "# Service desk\n\nThe service desk provides incident management services to all staff.\n",
        "# Policy\n\nOakridge Ltd provides IT services to external customers.\n",
    ] {
        let r = draft(&[("desk.md", doc)]);
        assert_eq!(at(&r, "/organization/industry"), Value::Null, "{doc}");
    }
}

#[test]
fn a_public_body_says_what_it_is_in_french_or_german() {
    for (text, want) in [
        (
            "La Communauté de communes du Lizon est une collectivité territoriale regroupant 12 \
communes.",
            "collectivité territoriale",
        ),
        (
            "Der Landkreis Alteburg ist eine Gebietskörperschaft mit 90.000 Einwohnern.",
            "Gebietskörperschaft",
        ),
    ] {
        let doc = format!("# Présentation\n\n{text}\n");
        let r = draft(&[("note.md", &doc)]);
        assert_eq!(at(&r, "/organization/industry"), want, "{text}");
    }
}

#[test]
fn a_role_table_names_the_holder_in_its_held_by_column() {
    let doc = "# Service management policy\n\n## Roles\n\n\
| Role | Responsibility | Held by |\n|---|---|---|\n\
| Top management | Accountable for the SMS; chairs the management review | Tomasz Wren, Managing Director |\n\
| SMS Manager (management representative) | Runs the SMS day to day | Aiyana Brooks, Service Delivery Lead |\n\
| All staff | Follow the processes | - |\n";
    let r = draft(&[("policy.md", doc)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Aiyana Brooks, Service Delivery Lead"
    );
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Tomasz Wren, Managing Director"
    );
}

#[test]
fn a_register_header_that_names_two_things_is_known_by_either() {
    let doc = "# Registre des parties intéressées\n\n\
| Partie intéressée | Type | Attentes et exigences |\n|---|---|---|\n\
| Usagers | Externe | Continuité du service |\n\
| Autorité de contrôle | Régulateur | Conformité RGPD |\n";
    let r = draft(&[("parties.md", doc)]);
    assert_eq!(
        names(&r, "/interested_parties"),
        ["Usagers", "Autorité de contrôle"]
    );
}

#[test]
fn a_french_letter_of_commitment_names_the_sponsor_and_the_sms_manager() {
    let letter = "Objet : engagement de la direction\n\n\
Je soussigné, Bastien Lemaire, directeur général de la Clinique Mutualiste des Trois Vallées, \
m'engage à soutenir la mise en place du système de management des services (SMS) de la DSI.\n\n\
Je désigne M. Karim Aït-Ali, responsable du support, comme pilote du SMS.\n";
    let r = draft(&[("lettre.md", letter)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), "Karim Aït-Ali");
    let sponsor = at(&r, "/key_roles/top_management_sponsor");
    assert!(
        sponsor
            .as_str()
            .unwrap()
            .starts_with("Bastien Lemaire, directeur général"),
        "{sponsor}"
    );
    // A commitment to something else names no sponsor.
    let other = "Je soussigné, Bastien Lemaire, directeur général, m'engage à respecter le \
règlement intérieur.\n";
    let r = draft(&[("lettre.md", other)]);
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), Value::Null);
}

#[test]
fn a_public_institution_names_itself_by_what_kind_of_body_it_is() {
    let doc = "# Contexte\n\nLe Centre Hospitalier de la Vallée Verte est un établissement public \
de santé. Il emploie 2 480 professionnels sur deux sites.\n\n\
La DSI n'a aucun client externe.\n";
    let r = draft(&[("note.md", doc)]);
    assert_eq!(
        at(&r, "/organization/name"),
        "Centre Hospitalier de la Vallée Verte"
    );
    assert_eq!(at(&r, "/organization/size"), "2,480 employees");
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type I");
    let nl = "# Wie wij zijn\n\nDe Uitvoeringsorganisatie ICT Lindeveld (UO ICT Lindeveld) is een \
openbaar lichaam. Wij hebben geen externe klanten.\n";
    let r = draft(&[("profiel.md", nl)]);
    assert_eq!(
        at(&r, "/organization/name"),
        "Uitvoeringsorganisatie ICT Lindeveld"
    );
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type I");
    // An institution, an agency, a municipality and a charity, with no legal suffix.
    for (text, want) in [
        ("La Universidad del Mar Austral es una institución de educación superior estatal.", "Universidad del Mar Austral"),
        ("La Agencia Provincial de Servicios Digitales (APSD) es un ente autárquico de la administración provincial.", "Agencia Provincial de Servicios Digitales"),
        ("Gemeente Oosterwolde is een plattelandsgemeente in de provincie Drenthe.", "Gemeente Oosterwolde"),
        ("Tidewater Community Trust is a registered charity providing social services.", "Tidewater Community Trust"),
    ] {
        assert_eq!(
            in_a_paragraph("about.md", "About", text, "/organization/name"),
            want,
            "{text}"
        );
    }
}

#[test]
fn a_legal_name_is_written_without_its_article_and_a_genitive_is_no_name() {
    let memoria = "# Memoria\n\nEl Grupo Hospitalario San Telmo, S.A. es un grupo privado de \
asistencia sanitaria.\n";
    let r = draft(&[("memoria.md", memoria)]);
    assert_eq!(
        at(&r, "/organization/name"),
        "Grupo Hospitalario San Telmo, S.A."
    );
    // "Vorgabe der Aarberg Holding AG" is a requirement of the parent, not a name.
    let auftrag = "# Projektauftrag\n\n## Treiber\n\n1. Vorgabe der Aarberg Holding AG, bis 2027 \
alle IT-Einheiten zu zertifizieren.\n";
    let r = draft(&[("auftrag.md", auftrag)]);
    assert_eq!(at(&r, "/organization/name"), Value::Null);
}

#[test]
fn itil_followed_in_german_spanish_and_portuguese_is_the_itil_adoption_and_a_glossary_is_not() {
    for (text, want) in [
        (
            "Die Informatik arbeitet seit 2016 nach ITIL v3 (Edition 2011).",
            "ITIL v3",
        ),
        (
            "Die Prozesse sind seit 2016 nach ITIL v3 (Edition 2011) eingeführt.",
            "ITIL v3",
        ),
        (
            "La mesa de ayuda opera según ITIL v3 desde 2018.",
            "ITIL v3",
        ),
        (
            "A Diretoria de TI adota as práticas do ITIL 4 desde 2021.",
            "ITIL 4",
        ),
    ] {
        assert_eq!(
            in_a_paragraph(
                "madurez.md",
                "Madurez",
                text,
                "/service_management_maturity/itil_adoption"
            ),
            want,
            "{text}"
        );
    }
    let glossario = "# Manuale SGS\n\n## Definizioni\n\n| Termine | Definizione |\n|---|---|\n\
| ITIL | Raccolta di buone pratiche per la gestione dei servizi IT |\n";
    let r = draft(&[("manuale.md", glossario)]);
    assert_eq!(
        at(&r, "/service_management_maturity/itil_adoption"),
        Value::Null
    );
}

#[test]
fn itil_adopted_in_french_prose_is_the_itil_adoption() {
    let doc = "# Référentiels\n\nLa DSI a adopté ITIL v3 en 2017 comme cadre de ses processus.\n";
    let r = draft(&[("note.md", doc)]);
    assert_eq!(
        at(&r, "/service_management_maturity/itil_adoption"),
        "ITIL v3"
    );
}

#[test]
fn an_example_row_after_its_id_is_no_interested_party() {
    let r = draft_with(
        &[],
        &[(
            "Registre des parties intéressées.xlsx",
            &[
                &["ID", "Partie intéressée", "Type", "Exigences"],
                &[
                    "PI-00",
                    "Exemple : Société ABC (client)",
                    "Client",
                    "Respect des SLA",
                ],
                &[
                    "PI-01",
                    "Clients",
                    "Client",
                    "Disponibilité, rapports mensuels",
                ],
                &[
                    "PI-02",
                    "Personnel",
                    "Interne",
                    "Processus clairs, formation",
                ],
            ],
        )],
    );
    assert_eq!(names(&r, "/interested_parties"), ["Clients", "Personnel"]);
}

/// An org chart of posts and the people who hold them.
const ORG_CHART: &[&[&str]] = &[
    &["Name", "Job Title", "Reports To"],
    &["Olu Adebayo", "Managing Director", ""],
    &["Hannah Kowalski", "Quality Manager", "Olu Adebayo"],
    &["Jonas Weber", "Change Manager", "Hannah Kowalski"],
    &["Marta Silva", "NOC Manager", "Hannah Kowalski"],
    &["Marta Reyes", "Service Desk Analyst", "Marta Silva"],
];

#[test]
fn a_role_given_to_a_post_is_the_person_the_org_chart_names_for_it() {
    let policy = "# SMS roles\n\nThe Quality Manager is the SMS manager. The Managing Director is \
the executive sponsor.\n\n## Process owners\n\n| Process | Owner |\n|---|---|\n\
| Change management | Change Manager |\n| Incident management | NOC Manager |\n\
| Problem management | Problem Manager |\n";
    let r = draft_with(&[("roles.md", policy)], &[("Org chart.xlsx", ORG_CHART)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Hannah Kowalski, Quality Manager"
    );
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Olu Adebayo, Managing Director"
    );
    let owners = owners(&r);
    assert!(
        owners.contains(&"Jonas Weber, Change Manager".to_string()),
        "{owners:?}"
    );
    assert!(
        owners.contains(&"Marta Silva, NOC Manager".to_string()),
        "{owners:?}"
    );
    // Nobody holds the Problem Manager post: no owner is made up for it.
    assert!(!owners.iter().any(|o| o.contains("Problem")), "{owners:?}");
    // The people are no field of the profile.
    assert_eq!(at(&r, "/people"), Value::Null);

    // Without the org chart, a post is not a person: suggested at most.
    let r = draft(&[("roles.md", policy)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
}

#[test]
fn a_leavers_sheet_holds_no_role_holder_and_no_staff() {
    let staff: Rows<'_> = &[
        &["Name", "Job title", "Department"],
        &["Aoife Brennan", "Managing Director", "Management"],
        &["Ines Carvalho", "Service Desk Analyst", "Operations"],
    ];
    let leavers: Rows<'_> = &[
        &["Name", "Job title", "Left on"],
        &["Gareth Pryce", "Quality Manager", "31 March 2025"],
    ];
    let manual = "# SMS manual\n\nThe Quality Manager is the SMS manager.\n";
    let r = draft_books(
        &[("manual.md", manual)],
        &[(
            "people.xlsx",
            vec![("Staff", staff), ("Leavers 2025", leavers)],
        )],
    );
    // The Quality Manager has left: the post is no person, so the field stays open.
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
    let suggested = serde_json::to_string(&r.merged.suggestions).unwrap();
    assert!(!suggested.contains("Gareth Pryce"), "{suggested}");
}

#[test]
fn sms_roles_with_the_role_first_or_an_academic_title_in_other_languages() {
    let cases = [
        (
            "Por medio de la presente se designa a la Ing. Paola Ríos Duarte, Gerente de Operaciones, \
como Responsable del Sistema de Gestión de Servicios (SGS).\n\nEl patrocinador ejecutivo es el Lic. Ernesto Vidal.\n",
            "Paola Ríos Duarte",
            "Ernesto Vidal",
        ),
        (
            "SMS-Managerin ist Ing. Renate Moosbrugger.\n\nSponsor des SMS ist Mag. Florian Pichler.\n",
            "Renate Moosbrugger",
            "Florian Pichler",
        ),
        (
            "La responsable del SGS es la Lic. Ximena Cárdenas Olmos.\n\nEl patrocinador ejecutivo es el Dr. Rodrigo Baeza, Director General.\n",
            "Ximena Cárdenas Olmos",
            "Rodrigo Baeza",
        ),
        (
            "Solène Ferrand, responsable Exploitation, agit comme responsable du SGS.\n\nM. Baptiste Roux, directeur général, est le sponsor de la direction.\n",
            "Solène Ferrand",
            "Baptiste Roux",
        ),
        (
            "SMS-manager: dhr. ir. Wouter Verhaegen\n\nLiesbeth Claes, algemeen directeur, is sponsor van het SMS.\n",
            "Wouter Verhaegen",
            "Liesbeth Claes",
        ),
    ];
    for (text, manager, sponsor) in cases {
        let r = draft(&[("rollen.md", &format!("# SMS\n\n{text}"))]);
        let got = at(&r, "/key_roles/sms_manager");
        assert!(
            got.as_str().is_some_and(|v| v.contains(manager)),
            "{text}: {got}"
        );
        let got = at(&r, "/key_roles/top_management_sponsor");
        assert!(
            got.as_str().is_some_and(|v| v.contains(sponsor)),
            "{text}: {got}"
        );
    }
    // A sponsor of something else is no sponsor of the SMS.
    let r = draft(&[(
        "news.md",
        "# News\n\nJonas Berglund is sponsor of the charity run.\n",
    )]);
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), Value::Null);
}

#[test]
fn a_surname_alone_is_the_one_person_a_surname_and_first_name_chart_names_so() {
    let chart: &[&[&str]] = &[
        &["Nom de famille", "Prénom", "Fonction", "Site"],
        &["GOOSSENS", "Anke", "Directrice ICT", "Namur"],
        &["VAN DER ELST", "Joris", "Chef de cellule Qualité", "Namur"],
        &["MAES", "Lotte", "Analyste", "Gent"],
    ];
    let minutes =
        "# Notulen\n\n**Beslissing:** het project wordt goedgekeurd; de heer Van der Elst \
treedt op als SMS-manager.\n";
    let r = draft_with(&[("notulen.md", minutes)], &[("Organigramme.xlsx", chart)]);
    let got = at(&r, "/key_roles/sms_manager");
    assert!(
        got.as_str()
            .is_some_and(|v| v.starts_with("Joris VAN DER ELST")),
        "{got}"
    );
    // Without the chart a surname alone is no full name: suggested, not taken.
    let r = draft(&[("notulen.md", minutes)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
}

#[test]
fn owners_named_short_are_the_one_person_a_surname_first_chart_names() {
    let chart: &[&[&str]] = &[
        &["Nombre completo", "Puesto", "Sede"],
        &["Salinas Cortés, Valeria", "Directora General", "Puebla"],
        &["Ibarra Luna, Tomás", "Líder de Operaciones", "Puebla"],
        &[
            "Quintero Ávila, Renata",
            "Coordinadora de Cambios",
            "Puebla",
        ],
        &["Hofbauer, Klaus", "Analyst", "Puebla"],
    ];
    let table = "# Procesos y dueños\n\n| Proceso | Dueño |\n|---|---|\n\
| Gestión de incidentes | @Tomás Ibarra |\n| Gestión de cambios | R. Quintero Ávila |\n";
    let r = draft_with(&[("procesos.md", table)], &[("Organigrama.xlsx", chart)]);
    let got = owners(&r);
    for want in [
        "Tomás Ibarra Luna, Líder de Operaciones",
        "Renata Quintero Ávila, Coordinadora de Cambios",
    ] {
        assert!(got.contains(&want.to_string()), "{want} not in {got:?}");
    }
}

#[test]
fn one_person_with_two_job_titles_is_one_value_not_a_disagreement() {
    let scope = "# Scope\n\nExecutive sponsor: Dr. Ilse Brandauer, CEO\n";
    let policy = "# Leitlinie\n\nSponsor Geschäftsleitung: Ilse Brandauer, Geschäftsführerin\n";
    let r = draft(&[("scope.md", scope), ("leitlinie.md", policy)]);
    let got = at(&r, "/key_roles/top_management_sponsor");
    assert!(
        got.as_str().is_some_and(|v| v.contains("Ilse Brandauer")),
        "{got}"
    );
    assert!(
        !r.merged
            .conflicts
            .iter()
            .any(|c| c.field == "/key_roles/top_management_sponsor"),
        "{:?}",
        r.merged.conflicts
    );
}

#[test]
fn a_template_kit_its_example_column_and_its_fictitious_company_give_no_facts() {
    let questionnaire: &[&[&str]] = &[
        &[
            "#",
            "Question",
            "Your answer",
            "Example (delete before submitting)",
        ],
        &[
            "1",
            "Legal name of the organisation",
            "",
            "Fabrikam Colocation Ltd",
        ],
        &[
            "2",
            "Top management sponsor (name, title)",
            "",
            "Oisín Kavanagh, Managing Director",
        ],
        &[
            "3",
            "SMS manager (name, title)",
            "Bríd Keane, Service Delivery Manager",
            "Aoife Nolan, Operations Manager",
        ],
    ];
    let readme = "# ISO 20000 Toolkit: read me first\n\n**Kestrelbay Advisory Ltd** | Galway\n\n\
The grey example rows describe a fictitious company, Fabrikam Colocation Ltd (80 employees, \
a data centre in Limerick, ServiceNow and Zabbix).\n\n\
Kestrelbay Advisory Ltd has supported more than 40 certifications.\n";
    let r = draft_with(
        &[("00 Read me - ISO 20000 Starter Kit.md", readme)],
        &[("01 Questionnaire.xlsx", questionnaire)],
    );
    // The answer column is the client's; the example column and the kit's author are not.
    let manager = at(&r, "/key_roles/sms_manager");
    assert!(
        manager.as_str().is_some_and(|v| v.contains("Bríd Keane")),
        "{manager}"
    );
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), Value::Null);
    assert_eq!(at(&r, "/organization/name"), Value::Null);
    assert_eq!(at(&r, "/technology"), Value::Null);
    assert_eq!(at(&r, "/locations"), Value::Null);
}

#[test]
fn a_spanish_or_french_about_page_gives_the_legal_name_and_the_headcount() {
    let about = "# Bienvenida\n\n## Quiénes somos\n\nServicios Digitales del Norte, S.A. de C.V. \
es una empresa de hospedaje fundada en 2009 en Monterrey.\n\nHoy somos 215 colaboradores.\n";
    let r = draft(&[("Quiénes somos.md", about)]);
    assert_eq!(
        at(&r, "/organization/name"),
        "Servicios Digitales del Norte, S.A. de C.V."
    );
    assert_eq!(at(&r, "/organization/size"), "215 employees");
    let about =
        "# Qui sommes-nous\n\nNous sommes aujourd'hui 64 collaborateurs répartis sur deux sites.\n";
    let r = draft(&[("a-propos.md", about)]);
    assert_eq!(at(&r, "/organization/size"), "64 employees");
}

#[test]
fn an_sms_role_given_to_a_post_role_first_is_the_person_who_holds_it() {
    let chart: &[&[&str]] = &[
        &["Name", "Funktion", "Standort"],
        &["Brigitte Lechner", "Geschäftsführerin", "Graz"],
        &["Tobias Reindl", "Leiter IT-Betrieb", "Graz"],
    ];
    let handbook =
        "# Führung\n\nSMS-Beauftragter ist der Leiter IT-Betrieb. Er hält das SMS aufrecht.\n";
    let r = draft_with(&[("handbuch.md", handbook)], &[("Organigramm.xlsx", chart)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Tobias Reindl, Leiter IT-Betrieb"
    );
}

#[test]
fn minutes_that_announce_their_reasons_give_the_drivers_in_french_and_dutch() {
    let fr = "# Procès-verbal\n\n## 4. Certification ISO/IEC 20000-1\n\nLe comité retient deux motifs pour \
la démarche :\n\n1. répondre aux exigences des appels d'offres publics;\n2. réduire les incidents \
liés aux changements.\n";
    let nl =
        "# Notulen\n\n## 3. ISO/IEC 20000-1\n\nHet directiecomité neemt akte van drie redenen:\n\n\
- de klanten vragen een certificaat;\n- de auditdienst raadt het aan;\n- de processen worden \
eenvormig.\n";
    for (name, text, n) in [("pv.md", fr, 2), ("notulen.md", nl, 3)] {
        let r = draft(&[(name, text)]);
        let got = at(&r, "/management_commitment/certification_drivers");
        assert_eq!(got.as_array().map(Vec::len), Some(n), "{name}: {got}");
    }
}

#[test]
fn a_unit_that_serves_only_its_own_body_and_says_what_it_does_not_do_is_type_one() {
    let policy = "# Scope\n\nClinical Systems provides its services only to the Board's own \
hospitals, corporate departments and staff; it does not provide services to organisations \
outside the Board.\n";
    let r = draft(&[("policy.md", policy)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type I");
    // The pronoun "It" is no "IT": a denial alone says nothing of outside customers.
    let r = draft(&[(
        "note.md",
        "# Note\n\nIt does not provide services to organisations outside the Board.\n",
    )]);
    assert_eq!(at(&r, "/service_provider_type/classification"), Value::Null);
}

#[test]
fn a_staff_list_shorter_than_the_stated_headcount_is_part_of_the_staff() {
    let team: &[&[&str]] = &[
        &["Name", "Job title", "Department"],
        &["Ava Lindgren", "Head of Platform", "Engineering"],
        &["Noah Petrakis", "SRE", "Engineering"],
        &["Mia Okonkwo", "Support Lead", "Support"],
        &["Leo Varga", "Support Engineer", "Support"],
    ];
    let about = "# About us\n\nWe're 85 people across two offices.\n";
    let r = draft_with(&[("about.md", about)], &[("Team directory.xlsx", team)]);
    assert_eq!(at(&r, "/organization/size"), "85 employees");
}

#[test]
fn an_industry_sentence_with_a_registration_note_after_the_name() {
    let about =
        "# About\n\nKarriwood Labs Pty Ltd (ACN 000 111 222) is a rostering software company.\n";
    let r = draft(&[("about.md", about)]);
    assert_eq!(at(&r, "/organization/industry"), "Rostering software");
}

#[test]
fn short_names_resolve_only_where_they_cannot_mean_someone_else() {
    let chart: Rows<'_> = &[
        &["Name", "Job Title"],
        &["Carlos Ruiz", "Service Desk Analyst"],
        &["Carlos Ruiz Díaz", "Chief Information Officer"],
        &["Claire Martin", "Payroll Officer"],
    ];
    // A staff list names "Carlos Ruiz" exactly: the longer name is someone else.
    let r = draft_with(
        &[("roles.md", "# Roles\n\nSMS Manager: Carlos Ruiz\n")],
        &[("Staff.xlsx", chart)],
    );
    let got = at(&r, "/key_roles/sms_manager");
    assert!(
        got.as_str()
            .is_some_and(|v| v.contains("Carlos Ruiz") && !v.contains("Díaz")),
        "{got}"
    );
    // "Martin" alone may be a first name: no surname is resolved from it.
    let table =
        "# Process owners\n\n| Process | Owner |\n|---|---|\n| Payroll service | Martin |\n";
    let r = draft_with(&[("owners.md", table)], &[("Staff.xlsx", chart)]);
    let got = owners(&r);
    assert!(!got.iter().any(|o| o.contains("Claire")), "{got:?}");
}

#[test]
fn german_nouns_after_an_sms_role_are_no_names_and_of_is_no_name_part() {
    let text = "# Rollen\n\nDer SMS-Manager wird Anfang Februar ernannt.\n\n\
Der SMS-Manager ist Mitglied der Geschäftsleitung.\n";
    let r = draft(&[("rollen.md", text)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
    // A customer or a parent named after "of" is no subject of its own sentence.
    let note = "# Note\n\nCustomers of Fabrikam Inc. receive a monthly report.\n\n\
Subsidiary of Northwind Holdings Ltd, we run the group IT.\n";
    let r = draft(&[("note.md", note)]);
    assert_eq!(at(&r, "/organization/name"), Value::Null);
}

#[test]
fn a_first_name_is_the_one_person_the_documents_name_so() {
    let table = "# Process owners\n\n| Process | Owner |\n|---|---|\n\
| Change management | Jonas |\n| Incident management | Hannah K. |\n\
| Service desk | Marta |\n";
    let r = draft_with(&[("owners.md", table)], &[("Team.xlsx", ORG_CHART)]);
    let got = owners(&r);
    assert!(
        got.contains(&"Jonas Weber, Change Manager".to_string()),
        "{got:?}"
    );
    assert!(
        got.contains(&"Hannah Kowalski, Quality Manager".to_string()),
        "{got:?}"
    );
    // Two people are called Marta: she stays as written (and doubted).
    assert!(!got.iter().any(|o| o.starts_with("Marta ")), "{got:?}");
}

#[test]
fn the_industry_is_what_a_provider_provides_or_an_insurer_writes() {
    for (text, want) in [
        (
            "Wharfedale IT Ltd is a provider of managed IT services for schools and charities.",
            "Managed IT services",
        ),
        (
            "Fenmoor Mutual is a UK general insurer.",
            "general insurance",
        ),
        (
            "Fenmoor Mutual Ltd writes motor insurance across the UK.",
            "motor insurance",
        ),
        (
            "Le Centre Hospitalier de Brières est un établissement public de santé.",
            "établissement public de santé",
        ),
    ] {
        let doc = format!("# About us\n\n{text}\n");
        let r = draft(&[("about.md", &doc)]);
        assert_eq!(at(&r, "/organization/industry"), want, "{text}");
    }
}

#[test]
fn reasons_counted_after_the_word_and_an_office_in_a_town_hall() {
    let mail = "From: Ines Varga\n\nFor the board pack, the reasons are two:\n\n\
1. Tenders for public buyers ask for the certificate.\n\
2. One way of working across both offices.\n";
    let r = draft(&[("mail.md", mail)]);
    assert_eq!(
        at(&r, "/management_commitment/certification_drivers")
            .as_array()
            .map_or(0, Vec::len),
        2
    );
    let nl = "# Locatie\n\nOns kantoor is gevestigd in het gemeentehuis van Wolderwijk \
(Markt 1, 8000 AA Wolderwijk).\n";
    let r = draft(&[("profiel.md", nl)]);
    assert_eq!(names(&r, "/locations"), ["Wolderwijk"]);
}

#[test]
fn a_dutch_tool_register_gives_the_tools_in_use_only() {
    let r = draft_with(
        &[],
        &[(
            "Applicatie- en toolregister.xlsx",
            &[
                &["Naam", "Leverancier", "Soort", "Status"],
                &["TOPdesk", "TOPdesk Nederland", "ITSM", "In gebruik"],
                &["Zabbix", "open source", "Monitoring", "In gebruik"],
                &[
                    "Nagios",
                    "open source",
                    "Monitoring",
                    "Vervangen door Zabbix (2021)",
                ],
                &[
                    "Freshservice",
                    "Freshworks",
                    "ITSM",
                    "Onderzocht 2023, niet gekozen",
                ],
            ],
        )],
    );
    assert_eq!(names(&r, "/technology"), ["TOPdesk", "Zabbix"]);
}

#[test]
fn an_example_row_under_the_header_does_not_make_the_whole_register_an_example() {
    let r = draft_with(
        &[],
        &[(
            "Interested Parties Register.xlsx",
            &[
                &[
                    "ID",
                    "Interested party",
                    "Category",
                    "Needs and expectations",
                ],
                &[
                    "EXAMPLE",
                    "Local Chamber of Commerce (example - delete)",
                    "External",
                    "Events",
                ],
                &[
                    "IP-01",
                    "Customers",
                    "External - customer",
                    "Agreed SLAs met",
                ],
                &["IP-02", "Employees", "Internal", "Clear processes"],
            ],
        )],
    );
    assert_eq!(names(&r, "/interested_parties"), ["Customers", "Employees"]);
}

#[test]
fn a_committee_membership_table_gives_the_sponsor_by_post() {
    let tor = "# Service Management Steering Group: terms of reference\n\n## Membership\n\n\
| Role | Steering Group role |\n|---|---|\n\
| Chief Operating Officer | Chair and executive sponsor |\n\
| Head of IT Operations | Member |\n";
    let chart: &[&[&str]] = &[
        &["Name", "Title", "Reports To"],
        &["Priya Anand", "Chief Executive Officer", ""],
        &["Tom Kerr", "Chief Operating Officer", "Priya Anand"],
        &["Lena Vos", "Head of IT Operations", "Tom Kerr"],
    ];
    let r = draft_with(&[("tor.md", tor)], &[("Org chart.xlsx", chart)]);
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Tom Kerr, Chief Operating Officer"
    );
}

#[test]
fn a_role_table_cell_gives_the_sms_roles_by_post() {
    let policy = "# Roles and responsibilities\n\n| Role | Responsibility |\n|---|---|\n\
| Director of IT | The Director of IT is the member of top management accountable for the SMS. |\n\
| Quality Manager | The Quality Manager is the SMS Manager: maintains the SMS. |\n";
    let chart: &[&[&str]] = &[
        &["Name", "Job Title", "Reports To"],
        &["Ayesha Khan", "Director of IT", ""],
        &["Bram Jansen", "Quality Manager", "Ayesha Khan"],
    ];
    let r = draft_with(&[("policy.md", policy)], &[("Structure.xlsx", chart)]);
    assert_eq!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Ayesha Khan, Director of IT"
    );
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Bram Jansen, Quality Manager"
    );
}

#[test]
fn a_doubted_value_does_not_stop_the_search_for_a_better_one() {
    // The document-control table names the author with her role (a value the judge doubts:
    // x0.4); the policy's own sentence appointing her is what settles it.
    let control = "# Politique SMS\n\n| Référence | DSI-POL-003 |\n|---|---|\n| Version | 1.4 |\n\
| Rédigé par | Claire Dubreuil, Responsable du SMS |\n";
    let policy = format!(
        "{control}\n## 4. Leadership\n\nMme Claire Dubreuil est nommée Responsable du SMS. \
Elle rend compte au comité de direction.\n"
    );
    let r = draft(&[("politique.md", &policy)]);
    assert_eq!(
        at(&r, "/key_roles/sms_manager"),
        "Claire Dubreuil, Responsable du SMS"
    );
    // Without the sentence, the table alone stays a suggestion.
    let table_only = control;
    let r = draft(&[("politique.md", table_only)]);
    assert_eq!(at(&r, "/key_roles/sms_manager"), Value::Null);
}

#[test]
fn a_catalogue_column_headed_for_tools_lists_what_the_organization_uses() {
    // A service catalogue names each service's main tool once, in one file: the column's
    // header says these are the tools in use.
    let catalogue = "# Catalogue des services\n\n| Service | Description | Outil principal |\n\
|---|---|---|\n| Support utilisateurs | Guichet, incidents | Zammad |\n\
| Supervision | Serveurs et liaisons | Checkmk |\n| Développement | Dépôts de code | GitLab |\n";
    let r = draft(&[("catalogue.md", catalogue)]);
    assert_eq!(names(&r, "/technology"), ["Zammad", "Checkmk", "GitLab"]);
    // The same products under a column of something else are not yet the tools in use.
    let compared = catalogue.replace("Outil principal", "Alternative étudiée");
    let r = draft(&[("catalogue.md", &compared)]);
    assert!(names(&r, "/technology").is_empty());
}

#[test]
fn a_name_defined_with_its_short_form_as_the_subject_is_the_organizations() {
    for (text, want) in [
        (
            "Le Port autonome du Val-de-Meuse (PAVM) est un organisme d'intérêt public chargé \
de la gestion des ports fluviaux.",
            "Port autonome du Val-de-Meuse",
        ),
        (
            "L'Institut alpin de recherche environnementale (IARE) est un institut de recherche \
scientifique.",
            "Institut alpin de recherche environnementale",
        ),
        (
            "Tamarack Valley Unified School District (TVUSD) provides K-12 public education to \
24,600 students.",
            "Tamarack Valley Unified School District",
        ),
    ] {
        assert_eq!(
            in_a_paragraph("about.md", "About", text, "/organization/name"),
            want,
            "{text}"
        );
    }
    // A term or a post defined with its short form is no organization, nor a short form that
    // is not the name's initials.
    for text in [
        "Multi-factor authentication (MFA) is a requirement for all remote access.",
        "The Chief Technology Officer (CTO) is the owner of this policy.",
        "The Recovery Time Objective (RTO) is a target of four hours.",
        "Since 2015 Nordhavel Group (NIS) is a supplier of ours.",
        // A body's name whose initials are not its short form, and a board of the SMS.
        "The Northshire Housing Trust (NIS) is a registered provider.",
        "The Change Advisory Board (CAB) is a group of people who advise on changes.",
    ] {
        assert_eq!(
            in_a_paragraph("about.md", "About", text, "/organization/name"),
            Value::Null,
            "{text}"
        );
    }
}

#[test]
fn a_page_footer_with_the_companys_registration_names_the_organization() {
    let footer = "Kelvinbrae Housing Association Limited · Registered Society No. 2417R(S) · \
Scottish Charity No. SC047719";
    let r = draft(&[(
        "policy.md",
        &format!("# ICT policy\n\nThe policy applies to all staff.\n\n{footer}\n"),
    )]);
    assert_eq!(
        at(&r, "/organization/name"),
        "Kelvinbrae Housing Association Limited"
    );
}

#[test]
fn a_provider_that_says_it_serves_only_its_own_people_is_type_one() {
    // The firm sells legal services to clients; its IT department serves only the firm. The
    // two documents do not add up to Type III.
    let plan = "# SMS Plan\n\nThe IT Department provides IT services only to the firm's own \
partners and staff: it does not provide IT services to clients or to any other organisation.\n";
    let about = "# About the firm\n\nGwynne Harcourt LLP is a full-service law firm providing \
legal services to businesses, public bodies and private clients across Wales.\n";
    let r = draft(&[("plan.md", plan), ("about.md", about)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type I");
    // A negation after the words, as German puts it, denies external customers.
    let steckbrief = "# Steckbrief\n\nDie NIS erbringt ihre IT-Leistungen ausschließlich für die \
Gesellschaften der Gruppe. Externe Kunden werden nicht bedient.\n";
    let r = draft(&[("steckbrief.md", steckbrief)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type I");
    // A negation after the words about other things is no denial: still Type III.
    let charged = "# SMS Plan\n\nInternal customers are not charged for standard services.\n";
    let msp = "# About\n\nWe also provide managed IT services to external customers.\n";
    let r = draft(&[("plan.md", charged), ("about.md", msp)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type III");
    // Without "only", internal and external evidence in two documents is still Type III.
    let mixed_plan = "# SMS Plan\n\nThe IT Department supports our internal customers.\n";
    let msp = "# About\n\nWe also provide managed IT services to external customers.\n";
    let r = draft(&[("plan.md", mixed_plan), ("about.md", msp)]);
    assert_eq!(at(&r, "/service_provider_type/classification"), "Type III");
}

#[test]
fn the_sponsor_is_read_between_commas_after_the_post_in_any_language() {
    for (text, want) in [
        (
            "Le Directeur Général, M. Étienne Marchal, parraine la démarche de certification. \
La Directrice des Systèmes d'Information, Mme Nathalie Roussel, en assure le pilotage.",
            "Étienne Marchal, Directeur Général",
        ),
        (
            "El Consejero Delegado, D. Ignacio Berrocal Sanz, es el patrocinador del SGS.",
            "Ignacio Berrocal Sanz, Consejero Delegado",
        ),
        (
            "Top management for the SMS is the Chief Executive Officer, Capt. Daniel Kiprono, who \
sponsors the certification programme.",
            "Daniel Kiprono, Chief Executive Officer",
        ),
    ] {
        assert_eq!(
            in_a_paragraph(
                "policy.md",
                "Leadership",
                text,
                "/key_roles/top_management_sponsor"
            ),
            want,
            "{text}"
        );
    }
    // Someone who reports to the sponsor is not the sponsor, nor is a post cut short.
    for text in [
        "The Head of IT, Mark Ellison, reports to the project sponsor every month.",
        "Le DSI, M. Paul Martin, rend compte au commanditaire du projet.",
    ] {
        assert_eq!(
            in_a_paragraph(
                "policy.md",
                "Leadership",
                text,
                "/key_roles/top_management_sponsor"
            ),
            Value::Null,
            "{text}"
        );
    }
    let r = draft(&[(
        "policy.md",
        "# Leadership\n\nOperations Director, Jo Bloggs, sponsors the programme.\n",
    )]);
    assert_ne!(
        at(&r, "/key_roles/top_management_sponsor"),
        "Jo Bloggs, perations Director"
    );
    // The operational lead, named the same way without a word of sponsorship, is not.
    let lead = "La Directrice des Systèmes d'Information, Mme Nathalie Roussel, en assure le \
pilotage opérationnel.";
    let r = draft(&[("policy.md", &format!("# Leadership\n\n{lead}\n"))]);
    assert_eq!(at(&r, "/key_roles/top_management_sponsor"), Value::Null);
}

#[test]
fn a_unit_before_a_labelled_role_is_not_the_person() {
    // "<unit>, <role>: <person>" in an org chart is no "<person>, <title>" line.
    let chart = "# Organigramm\n\nGeschäftsführung: Dr. Sabine Oltmanns\n\n\
Stabsstelle Servicemanagement, SMS-Manager: Jan-Henrik Brüggemann\n";
    let handbook = "# SMS-Handbuch\n\nSMS-Manager ist Jan-Henrik Brüggemann.\n";
    let r = draft(&[("organigramm.md", chart), ("handbuch.md", handbook)]);
    let manager = at(&r, "/key_roles/sms_manager");
    assert!(
        manager
            .as_str()
            .is_some_and(|m| m.starts_with("Jan-Henrik Brüggemann")),
        "{manager}"
    );
}

#[test]
fn laws_listed_under_a_regulatory_heading_or_a_must_respect_line_are_drivers() {
    let policy = "# Politique SMS\n\n## 5. Exigences réglementaires\n\nLa DSI doit respecter :\n\n\
- les Bonnes Pratiques de Fabrication (BPF), notamment l'annexe 11 ;\n\
- le 21 CFR Part 11 de la FDA, pour les lots exportés ;\n\
- le Règlement général sur la protection des données (RGPD).\n";
    let r = draft(&[("politique.md", policy)]);
    assert_eq!(
        names(&r, "/management_commitment/certification_drivers").len(),
        3
    );
    // Under the same heading, an item that names no law or standard is none.
    let spanish = "# Política\n\n## 4. Requisitos legales, reglamentarios y normativos\n\n\
- Reglamento (UE) 2022/2554 (DORA), como proveedor tercero de servicios TIC.\n\
- Atención a los clientes en horario de oficina.\n";
    let r = draft(&[("politica.md", spanish)]);
    let drivers = names(&r, "/management_commitment/certification_drivers");
    assert_eq!(drivers.len(), 1, "{drivers:?}");
    assert!(drivers[0].contains("DORA"));
}

#[test]
fn itil_conceded_or_planned_is_no_adoption() {
    for text in [
        "Our processes are our own: we have not adopted ITIL or any other published framework, \
although some of our staff hold ITIL Foundation certificates.",
        "TS does not follow a formal ITSM framework today. Twelve staff completed ITIL 4 \
Foundation training in 2023; adopting ITIL practices is a goal for 2025.",
    ] {
        assert_eq!(
            in_a_paragraph(
                "plan.md",
                "SMS Plan",
                text,
                "/service_management_maturity/itil_adoption"
            ),
            Value::Null,
            "{text}"
        );
    }
    // Adopted, with a concession after it, is still adopted.
    let adopted = "We adopted ITIL 4 in 2021, although not every practice is mature yet.";
    let r = draft(&[("plan.md", &format!("# SMS Plan\n\n{adopted}\n"))]);
    assert_eq!(
        at(&r, "/service_management_maturity/itil_adoption"),
        "ITIL 4"
    );
}

#[test]
fn a_competitors_headcount_is_not_ours() {
    let profile = "# Présentation\n\nEffectif : Boréal compte environ 3 400 employés, dont 2 900 \
en magasin.\n\n## Le marché\n\nNotre principal concurrent, Épiceries Laurentides, compte 5 200 \
employés et détient la certification ISO/IEC 27001 depuis 2022.\n";
    let r = draft(&[("presentation.md", profile)]);
    assert_eq!(at(&r, "/organization/size"), "3,400 employees");
}

#[test]
fn a_target_tool_column_or_a_finished_plan_is_read_for_what_it_is() {
    // A roadmap's target column is no tool in use; the current column is.
    let roadmap = "# Feuille de route\n\n| Service | Outil actuel | Outil cible (2026) |\n\
|---|---|---|\n| Support | Zammad | ServiceNow |\n";
    let r = draft(&[("feuille.md", roadmap)]);
    assert_eq!(names(&r, "/technology"), ["Zammad"]);
    // "As planned" is done, not planned.
    let done = "Die Einführung von ServiceNow wurde wie geplant 2022 abgeschlossen; wir nutzen \
ServiceNow für alle Tickets.";
    let r = draft(&[("bericht.md", &format!("# Bericht\n\n{done}\n"))]);
    assert_eq!(names(&r, "/technology"), ["ServiceNow"]);
}
