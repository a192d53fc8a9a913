//! The five hand-made sample clients under `samples/clients/`: Apex IT Services Ltd (Type II, the
//! reference excerpt's facts), an internal council ICT department (Type I, Workday export), a
//! Markdown-only handbook (Type III), a client that keeps everything in DOCX tables, and a messy
//! client with placeholders and unreadable files.
//! Takes an output folder; gives the client folders and their README. Must stay byte-for-byte
//! deterministic: names come from a fixed-seed PRNG and every date is a constant.

use std::path::Path;

use super::write::{
    marked, plain, s, strong, write_file, xlsx_bytes, Cell, DocBuilder, GenResult, Props, Rng,
    Sheet,
};

/// The folder names of the sample clients, in the order they are written.
pub const CLIENTS: [&str; 5] = [
    "apex-it-services",
    "brightwave-digital",
    "kestrel-facilities",
    "meridian-hosting",
    "northshire-council-ict",
];

/// Writes every sample client and the README into `out` (created if missing).
pub fn write_all(out: &Path) -> GenResult<()> {
    std::fs::create_dir_all(out)?;
    apex(&out.join("apex-it-services"))?;
    brightwave(&out.join("brightwave-digital"))?;
    kestrel(&out.join("kestrel-facilities"))?;
    meridian(&out.join("meridian-hosting"))?;
    northshire(&out.join("northshire-council-ict"))?;
    write_file(&out.join("README.md"), README.as_bytes())
}

/// First names used for generated staff.
pub const FIRST_NAMES: [&str; 64] = [
    "Oliver", "Amelia", "Jack", "Isla", "Harry", "Ava", "George", "Mia", "Noah", "Grace", "Leo",
    "Freya", "Arthur", "Lily", "Oscar", "Sophie", "Charlie", "Ella", "Henry", "Evie", "Thomas",
    "Chloe", "William", "Ruby", "Joshua", "Poppy", "Samuel", "Hannah", "Daniel", "Zara", "Ethan",
    "Imogen", "Lucas", "Alice", "Mohammed", "Fatima", "Kwame", "Aaliyah", "Rhys", "Niamh",
    "Callum", "Eilidh", "Connor", "Siobhan", "Arjun", "Ananya", "Wei", "Mei", "Tomasz", "Zofia",
    "Luca", "Giulia", "Kofi", "Adaeze", "Ravi", "Sunita", "Liam", "Megan", "Jamal", "Yasmin",
    "Ryan", "Katie", "Dominic", "Bethany",
];

/// Surnames used for generated staff.
pub const LAST_NAMES: [&str; 64] = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Hughes",
    "Edwards",
    "Turner",
    "Hill",
    "Moore",
    "Cooper",
    "Ward",
    "Morris",
    "King",
    "Watson",
    "Harrison",
    "Morgan",
    "Baker",
    "Patel",
    "Khan",
    "Ahmed",
    "Singh",
    "Shah",
    "Begum",
    "Ali",
    "Nowak",
    "Kowalski",
    "Murphy",
    "O'Brien",
    "Kelly",
    "Campbell",
    "Stewart",
    "MacDonald",
    "Okafor",
    "Mensah",
    "Osei",
    "Adeyemi",
    "Chen",
    "Wang",
    "Li",
    "Rossi",
    "Ferrari",
    "Price",
    "Lloyd",
    "Powell",
    "Ellis",
    "Marshall",
    "Fletcher",
    "Bailey",
];

/// Draws unique names, never repeating one already taken.
pub struct NamePool {
    rng: Rng,
    taken: Vec<String>,
}

impl NamePool {
    /// A pool seeded with `seed` that will not hand out any of `reserved`.
    pub fn new(seed: u64, reserved: &[&str]) -> Self {
        NamePool {
            rng: Rng::new(seed),
            taken: reserved.iter().map(|n| n.to_string()).collect(),
        }
    }

    /// A fresh "First Last" name (falls back to a numbered name if the pool runs dry).
    pub fn next(&mut self) -> String {
        for _ in 0..200 {
            let name = format!(
                "{} {}",
                self.rng.pick(&FIRST_NAMES),
                self.rng.pick(&LAST_NAMES)
            );
            if !self.taken.contains(&name) {
                self.taken.push(name.clone());
                return name;
            }
        }
        let name = format!("Staff Member {}", self.taken.len() + 1);
        self.taken.push(name.clone());
        name
    }

    /// The generator behind the pool, for other choices that should follow the same seed.
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }
}

/// One row of an HR export before it is laid out in a vendor's columns.
#[derive(Debug, Clone)]
pub struct Person {
    /// "First Last".
    pub name: String,
    /// Job title.
    pub title: String,
    /// Department (may be empty).
    pub dept: String,
    /// The manager's name (empty for the top of the tree).
    pub manager: String,
    /// Work location.
    pub location: String,
    /// Start date (year, month, day).
    pub start: (u16, u8, u8),
}

/// Splits "First Last" into its two parts.
pub fn split_name(name: &str) -> (&str, &str) {
    name.split_once(' ').unwrap_or((name, ""))
}

/// A lower-case e-mail local part "first.last" without apostrophes.
pub fn email_local(name: &str) -> String {
    let (first, last) = split_name(name);
    format!("{first}.{last}")
        .to_lowercase()
        .replace(['\'', ' '], "")
}

fn person(
    name: &str,
    title: &str,
    dept: &str,
    manager: &str,
    location: &str,
    start: (u16, u8, u8),
) -> Person {
    Person {
        name: name.into(),
        title: title.into(),
        dept: dept.into(),
        manager: manager.into(),
        location: location.into(),
        start,
    }
}

/// Fills `count` generated staff of one team under `manager`.
fn fill_team(
    staff: &mut Vec<Person>,
    pool: &mut NamePool,
    count: usize,
    dept: &str,
    manager: &str,
    titles: &[&str],
    locations: &[&str],
) {
    for _ in 0..count {
        let name = pool.next();
        let rng = pool.rng();
        let title = rng.pick(titles).to_string();
        let location = rng.pick(locations).to_string();
        let start = (
            2012 + rng.below(14) as u16,
            1 + rng.below(12) as u8,
            1 + rng.below(28) as u8,
        );
        staff.push(Person {
            name,
            title,
            dept: dept.into(),
            manager: manager.into(),
            location,
            start,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Apex IT Services Ltd: Type II, every section supported by some document.
// ---------------------------------------------------------------------------------------------

const APEX_DATE: &str = "2026-03-02T09:00:00Z";

fn apex_staff() -> Vec<Person> {
    let hq = "Manchester HQ";
    let bham = "Birmingham Operations Centre";
    let dc1 = "London DC1";
    let dc2 = "London DC2";
    let key = vec![
        person(
            "James Wright",
            "Managing Director",
            "",
            "",
            hq,
            (2009, 4, 1),
        ),
        person(
            "Sarah Chen",
            "IT Service Manager",
            "Service Desk",
            "James Wright",
            hq,
            (2015, 9, 7),
        ),
        person(
            "Mike Torres",
            "Service Desk Manager",
            "Service Desk",
            "Sarah Chen",
            hq,
            (2016, 2, 1),
        ),
        person(
            "Tom Baker",
            "Problem Manager",
            "Service Desk",
            "Sarah Chen",
            hq,
            (2019, 6, 3),
        ),
        person(
            "Emma Clarke",
            "Service Level Manager",
            "Service Desk",
            "Sarah Chen",
            hq,
            (2018, 1, 8),
        ),
        person(
            "Hannah Moore",
            "Service Desk Team Leader",
            "Service Desk",
            "Mike Torres",
            hq,
            (2017, 5, 15),
        ),
        person(
            "Rhys Evans",
            "Service Desk Team Leader",
            "Service Desk",
            "Mike Torres",
            bham,
            (2018, 11, 5),
        ),
        person(
            "Raj Mehta",
            "Infrastructure Operations Manager",
            "Infrastructure Operations",
            "James Wright",
            bham,
            (2012, 3, 19),
        ),
        person(
            "Priya Patel",
            "Change Manager",
            "Infrastructure Operations",
            "Raj Mehta",
            bham,
            (2017, 8, 21),
        ),
        person(
            "Ben Foster",
            "Data Centre Manager",
            "Infrastructure Operations",
            "Raj Mehta",
            dc1,
            (2014, 10, 6),
        ),
        person(
            "Owen Jones",
            "Network Engineering Manager",
            "Network Engineering",
            "James Wright",
            bham,
            (2013, 7, 1),
        ),
        person(
            "Aisha Rahman",
            "Cloud Services Manager",
            "Cloud Services",
            "James Wright",
            hq,
            (2019, 1, 14),
        ),
        person(
            "Daniel Hughes",
            "Information Security Manager",
            "Security",
            "James Wright",
            hq,
            (2020, 4, 20),
        ),
        person(
            "Graham Lee",
            "Head of Finance",
            "Finance",
            "James Wright",
            hq,
            (2011, 6, 1),
        ),
        person(
            "Laura Bennett",
            "Commercial Manager",
            "Finance",
            "Graham Lee",
            hq,
            (2018, 3, 12),
        ),
        person(
            "Claire Adams",
            "HR Manager",
            "HR",
            "James Wright",
            hq,
            (2016, 9, 26),
        ),
    ];
    let reserved: Vec<&str> = key.iter().map(|p| p.name.as_str()).collect();
    let mut pool = NamePool::new(20_260_302, &reserved);
    let mut staff = key.clone();
    let desk = [
        "Service Desk Analyst",
        "Service Desk Analyst",
        "Senior Service Desk Analyst",
    ];
    fill_team(
        &mut staff,
        &mut pool,
        14,
        "Service Desk",
        "Hannah Moore",
        &desk,
        &[hq],
    );
    fill_team(
        &mut staff,
        &mut pool,
        14,
        "Service Desk",
        "Rhys Evans",
        &desk,
        &[bham],
    );
    let infra = [
        "Infrastructure Engineer",
        "Senior Infrastructure Engineer",
        "Operations Analyst",
        "Backup Administrator",
    ];
    fill_team(
        &mut staff,
        &mut pool,
        15,
        "Infrastructure Operations",
        "Raj Mehta",
        &infra,
        &[bham, bham, hq],
    );
    let dc = ["Data Centre Technician", "Data Centre Engineer"];
    fill_team(
        &mut staff,
        &mut pool,
        8,
        "Infrastructure Operations",
        "Ben Foster",
        &dc,
        &[dc1, dc2],
    );
    let net = [
        "Network Engineer",
        "Senior Network Engineer",
        "Network Architect",
    ];
    fill_team(
        &mut staff,
        &mut pool,
        15,
        "Network Engineering",
        "Owen Jones",
        &net,
        &[bham, bham, hq],
    );
    let cloud = [
        "Cloud Engineer",
        "Senior Cloud Engineer",
        "DevOps Engineer",
        "Cloud Architect",
    ];
    fill_team(
        &mut staff,
        &mut pool,
        17,
        "Cloud Services",
        "Aisha Rahman",
        &cloud,
        &[hq],
    );
    let sec = [
        "Security Analyst",
        "SOC Analyst",
        "Senior Security Engineer",
    ];
    fill_team(
        &mut staff,
        &mut pool,
        9,
        "Security",
        "Daniel Hughes",
        &sec,
        &[hq],
    );
    let fin = [
        "Management Accountant",
        "Accounts Assistant",
        "Billing Coordinator",
    ];
    fill_team(
        &mut staff,
        &mut pool,
        6,
        "Finance",
        "Graham Lee",
        &fin,
        &[hq],
    );
    let hr = [
        "HR Advisor",
        "HR Administrator",
        "Recruitment Partner",
        "Learning and Development Coordinator",
    ];
    fill_team(&mut staff, &mut pool, 6, "HR", "Claire Adams", &hr, &[hq]);
    staff
}

fn apex(dir: &Path) -> GenResult<()> {
    // HR export, BambooHR-style columns.
    let staff = apex_staff();
    let rows = staff
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let part_time = i % 17 == 9;
            vec![
                s(format!("APX{:04}", 1001 + i)),
                s(&p.name),
                s(&p.title),
                s(&p.dept),
                s(&p.manager),
                s(&p.location),
                s(format!("{}@apexits.co.uk", email_local(&p.name))),
                s(if part_time { "Part-Time" } else { "Full-Time" }),
                Cell::D(p.start.0, p.start.1, p.start.2),
            ]
        })
        .collect();
    let sheet = Sheet {
        name: "Employees".into(),
        title_rows: vec![],
        header: [
            "Employee ID",
            "Employee Name",
            "Job Title",
            "Department",
            "Reports To",
            "Location",
            "Work Email",
            "Employment Type",
            "Start Date",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    let props = Props {
        title: "Headcount report March 2026",
        author: "Claire Adams",
        company: "Apex IT Services Ltd",
        date: (2026, 3, 2),
    };
    write_file(
        &dir.join("HR/Apex_Headcount_Report_2026-03.xlsx"),
        &xlsx_bytes(&[sheet], &props)?,
    )?;

    // Supplier register.
    let suppliers = Sheet {
        name: "Suppliers".into(),
        title_rows: vec![],
        header: [
            "Supplier", "Service Provided", "Type", "Contract Owner", "Risk Tier",
            "Contract Status", "Certifications", "Country", "Contract End",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![
            vec![
                s("Amazon Web Services (AWS)"),
                s("Cloud hosting (IaaS and managed databases) for customer workloads in the eu-west-2 London region"),
                s("Cloud provider"),
                s("Aisha Rahman"),
                s("Tier 1 - Critical"),
                s("Active"),
                s("ISO 27001, ISO 27017, ISO 27018, SOC 2 Type II"),
                s("United Kingdom"),
                Cell::D(2027, 6, 30),
            ],
            vec![
                s("Cisco Systems Ltd"),
                s("Network hardware, Smart Net Total Care support and TAC escalation"),
                s("Hardware and support"),
                s("Owen Jones"),
                s("Tier 1 - Critical"),
                s("Active"),
                s("ISO 9001, ISO 27001"),
                s("United Kingdom"),
                Cell::D(2026, 12, 31),
            ],
        ],
    };
    let props = Props {
        title: "Supplier Register",
        author: "Laura Bennett",
        company: "Apex IT Services Ltd",
        date: (2026, 2, 9),
    };
    write_file(
        &dir.join("Registers/Supplier_Register_v3.xlsx"),
        &xlsx_bytes(&[suppliers], &props)?,
    )?;

    // Interested parties register.
    let ip = |name: &str, cat: &str, ty: &str, req: &str, infl: &str, how: &str| {
        vec![s(name), s(cat), s(ty), s(req), s(infl), s(how)]
    };
    let parties = Sheet {
        name: "Register".into(),
        title_rows: vec!["Interested Parties Register (ISO/IEC 20000-1 clause 4.2)".into()],
        header: ["Name", "Category", "Type", "Needs and Expectations", "Influence", "How Monitored"]
            .map(String::from)
            .to_vec(),
        rows: vec![
            ip("NorthBank plc", "External", "Customer", "99.9% availability of managed infrastructure; evidence for FCA operational resilience reporting; monthly service reports", "High", "Monthly service review and SLA report"),
            ip("Greenfield Healthcare", "External", "Customer", "NHS Data Security and Protection Toolkit (DSPT) compliance; UK GDPR for patient data; 24x7 response for clinical systems", "High", "Quarterly service review and DSPT evidence pack"),
            ip("Metro Logistics", "External", "Customer", "24x7 service desk; 4-hour fix for depot network faults", "Medium", "Monthly service review"),
            ip("Amazon Web Services (AWS)", "External", "Supplier", "Adherence to the shared responsibility model; timely payment", "Medium", "Quarterly supplier review"),
            ip("Cisco Systems Ltd", "External", "Supplier", "Accurate device inventory for support entitlement; timely renewals", "Medium", "Quarterly supplier review"),
            ip("Information Commissioner's Office (ICO)", "External", "Regulator", "UK GDPR and Data Protection Act 2018 compliance; personal data breaches reported within 72 hours", "High", "Annual data protection review"),
            ip("NHS England (formerly NHS Digital)", "External", "Regulator", "Annual DSPT submission meeting 'Standards Met' for health customers", "High", "Annual DSPT submission"),
            ip("Apex employees", "Internal", "Internal", "Clear roles, training in SMS processes, manageable on-call rota", "Medium", "Staff survey and one-to-ones"),
        ],
    };
    let props = Props {
        title: "Interested Parties Register",
        author: "Sarah Chen",
        company: "Apex IT Services Ltd",
        date: (2026, 2, 16),
    };
    write_file(
        &dir.join("Registers/Interested_Parties_Register.xlsx"),
        &xlsx_bytes(&[parties], &props)?,
    )?;

    apex_sms_policy(&dir.join("Policies/SMS-POL-001 Service Management Policy.docx"))?;
    apex_isms_policy(&dir.join("Policies/ISMS-POL-001 Information Security Policy.docx"))?;

    write_file(&dir.join("Wiki/About-Apex.md"), APEX_ABOUT.as_bytes())?;
    write_file(&dir.join("Wiki/ITSM-Tooling.md"), APEX_TOOLING.as_bytes())?;
    write_file(
        &dir.join("Wiki/Process-Maturity.md"),
        APEX_MATURITY.as_bytes(),
    )?;
    Ok(())
}

fn apex_sms_policy(path: &Path) -> GenResult<()> {
    let mut d = DocBuilder::new(APEX_DATE);
    d.meta("Service Management Policy", "Sarah Chen");
    d.note("INTERNAL")
        .title("Service Management Policy")
        .kv_table(&[
            ("Title", "Service Management Policy"),
            ("Document ID", "SMS-POL-001"),
            ("Version", "1.2"),
            ("Owner", "Sarah Chen, IT Service Manager"),
            ("Approver", "James Wright, Managing Director"),
            ("Effective date", "2 March 2026"),
            ("Review date", "2 March 2027"),
            ("Classification", "Internal"),
        ])
        .h1("1. Purpose")
        .p("This policy sets out how Apex IT Services Ltd establishes, implements, maintains and continually improves its service management system (SMS) in line with ISO/IEC 20000-1:2018. It applies to every service we deliver to customers.")
        .h1("2. Scope")
        .p("Apex IT Services Ltd is a Managed IT Services company with 120 employees. We provide managed IT services exclusively to external customers under contract, including NorthBank plc, Greenfield Healthcare and Metro Logistics; we do not provide these services to any internal business unit.")
        .p("The SMS covers the following services:")
        .bullets(&[
            "Managed Service Desk (24x7 first and second line support)",
            "Infrastructure Monitoring and Management",
            "Managed Network Services",
            "Cloud Hosting on AWS",
            "Managed Security Services",
        ])
        .p("The SMS covers the following locations:")
        .table(&[
            vec!["Location", "Type", "Country"],
            vec!["Manchester HQ", "Headquarters", "United Kingdom"],
            vec!["Birmingham Operations Centre", "Office", "United Kingdom"],
            vec!["London DC1", "Data centre", "United Kingdom"],
            vec!["London DC2", "Data centre", "United Kingdom"],
        ])
        .h1("3. Leadership and Management Commitment")
        .p("Top management demonstrates leadership and commitment to the SMS. The Managing Director, James Wright, is the top management sponsor and chairs the SMS steering group.")
        .h2("3.1 Certification drivers")
        .bullets(&[
            "Client procurement requirements (NorthBank plc and Greenfield Healthcare require ISO/IEC 20000-1 certification in tenders)",
            "Process standardization across the Manchester and Birmingham teams",
            "Competitive differentiation in the managed services market",
        ])
        .h2("3.2 Resource allocation")
        .bullets(&[
            "Dedicated personnel: SMS manager at 80% allocation",
            "External support: External consultant for Stage 1 readiness",
            "Budget: Dedicated certification budget approved",
        ])
        .h2("3.3 Target timeline")
        .p("Stage 1 audit: 6 months")
        .p("Stage 2 audit: 9 months")
        .h2("3.4 Governance structure")
        .p("An SMS steering group chaired by the Managing Director meets monthly and reviews service performance, audit results, risks and improvement actions. The IT Service Manager reports to it.")
        .h1("4. Roles and Responsibilities")
        .table(&[
            vec!["Role", "Name", "Job title"],
            vec!["Top management sponsor", "James Wright", "Managing Director"],
            vec!["SMS manager", "Sarah Chen", "IT Service Manager"],
        ])
        .h2("4.1 Process owners")
        .table(&[
            vec!["Process", "Owner"],
            vec!["Incident and service request management", "Mike Torres, Service Desk Manager"],
            vec!["Change management", "Priya Patel, Change Manager"],
            vec!["Problem management", "Tom Baker, Problem Manager"],
            vec!["Service level management", "Emma Clarke, Service Level Manager"],
            vec!["Capacity and availability management", "Raj Mehta, Infrastructure Operations Manager"],
            vec!["Information security management", "Daniel Hughes, Information Security Manager"],
            vec!["Supplier management", "Laura Bennett, Commercial Manager"],
        ])
        .h2("4.2 Service owners")
        .table(&[
            vec!["Service", "Service Owner"],
            vec!["Managed Service Desk", "Mike Torres, Service Desk Manager"],
            vec!["Infrastructure Monitoring and Management", "Raj Mehta, Infrastructure Operations Manager"],
            vec!["Managed Network Services", "Owen Jones, Network Engineering Manager"],
            vec!["Cloud Hosting on AWS", "Aisha Rahman, Cloud Services Manager"],
            vec!["Managed Security Services", "Daniel Hughes, Information Security Manager"],
        ])
        .h1("5. Objectives")
        .numbered(&[
            "Meet or exceed the agreed service levels for every customer each month.",
            "Resolve 90% of P1 incidents within 4 hours.",
            "Complete Stage 1 and Stage 2 certification audits on the target timeline.",
            "Reduce repeat incidents by 20% through problem management within 12 months.",
        ])
        .h1("6. Interested Parties")
        .p("Our interested parties and their requirements are kept in the Interested Parties Register. The main ones are our customers NorthBank plc, Greenfield Healthcare and Metro Logistics, the Information Commissioner's Office for UK GDPR, and NHS England for the Data Security and Protection Toolkit that applies to our health customers.")
        .h1("7. Suppliers and Other Parties")
        .p("Amazon Web Services (AWS) provides the cloud platform for customer hosting and Cisco provides network hardware and support. Both are managed through the supplier register. No SMS process is operated by another party.")
        .h1("8. Continual Improvement")
        .p("Improvement opportunities are logged in Jira Service Management, prioritised by the steering group and reviewed at each management review.")
        .h1("9. Approval")
        .p("Approved by James Wright, Managing Director, on 2 March 2026.");
    d.save(path)
}

fn apex_isms_policy(path: &Path) -> GenResult<()> {
    let mut d = DocBuilder::new("2025-11-17T10:30:00Z");
    d.meta("Information Security Policy", "Daniel Hughes");
    d.title("Information Security Policy")
        .kv_table(&[
            ("Title", "Information Security Policy"),
            ("Document ID", "ISMS-POL-001"),
            ("Version", "3.0"),
            ("Owner", "Daniel Hughes, Information Security Manager"),
            ("Approver", "James Wright, Managing Director"),
            ("Effective date", "17 November 2025"),
            ("Review date", "17 November 2026"),
        ])
        .h1("Purpose")
        .p("This policy protects the confidentiality, integrity and availability of the information Apex IT Services Ltd holds for itself and for its customers.")
        .h1("Scope")
        .p("All Apex employees, contractors and systems at Manchester HQ, the Birmingham Operations Centre and the London data centres (London DC1 and London DC2).")
        .h1("Legal, Regulatory and Contractual Requirements")
        .bullets(&[
            "UK GDPR and the Data Protection Act 2018",
            "NHS Data Security and Protection Toolkit (DSPT), required by Greenfield Healthcare",
            "The security schedule of the NorthBank plc master services agreement",
            "Network and Information Systems (NIS) Regulations 2018 where a customer is an operator of essential services",
        ])
        .h1("Roles and Responsibilities")
        .table(&[
            vec!["Role", "Name"],
            vec!["Information Security Manager", "Daniel Hughes"],
            vec!["Data Protection Officer", "Graham Lee, Head of Finance"],
            vec!["Senior Information Risk Owner", "James Wright, Managing Director"],
        ])
        .h1("Technology")
        .p("Security events from customer estates are monitored in Nagios and raised as incidents in Jira Service Management. Privileged access to AWS accounts uses single sign-on with multi-factor authentication.")
        .h1("Review")
        .p("This policy is reviewed annually or after a significant change.");
    d.save(path)
}

const APEX_ABOUT: &str = r#"---
title: About Apex IT Services
space: COMPANY
owner: Sarah Chen
last_reviewed: 2026-02-16
tags: [company, overview, iso20000]
---

# About Apex IT Services

Apex IT Services Ltd is a managed service provider based in Manchester. We run service desks,
infrastructure, networks, cloud hosting and security operations for mid-sized organisations in
finance, healthcare and logistics.

| Fact | Value |
|---|---|
| Legal name | Apex IT Services Ltd |
| Industry | Managed IT Services |
| Employees | 120 |
| Founded | 2009 |
| Registered office | Manchester, United Kingdom |

## Locations

| Site | Type | City | Country |
|---|---|---|---|
| Manchester HQ | Headquarters | Manchester | United Kingdom |
| Birmingham Operations Centre | Office | Birmingham | United Kingdom |
| London DC1 | Data centre | London | United Kingdom |
| London DC2 | Data centre | London | United Kingdom |

## Services we offer

- Managed Service Desk (24x7 first and second line support)
- Infrastructure Monitoring and Management
- Managed Network Services
- Cloud Hosting on AWS
- Managed Security Services

## Departments

- Service Desk
- Infrastructure Operations
- Network Engineering
- Cloud Services
- Security
- Finance
- HR

## Customers

Our customers are all external organisations under contract. Key accounts are NorthBank plc,
Greenfield Healthcare and Metro Logistics.
"#;

const APEX_TOOLING: &str = r#"---
title: ITSM tooling
space: SERVICEDESK
owner: Mike Torres
last_reviewed: 2026-01-28
---

# ITSM tooling

We use **Jira Service Management** for incidents, service requests and changes, and **Nagios**
for infrastructure and network monitoring. Our CMDB is a spreadsheet (`CMDB.xlsx` on
SharePoint) maintained by Infrastructure Operations; replacing it is on the roadmap.

| Tool | Type | Used for | Owner |
|---|---|---|---|
| Jira Service Management | ITSM | Incidents, service requests, changes, problems | Mike Torres |
| Nagios | Monitoring | Infrastructure, network and URL monitoring | Raj Mehta |
| Spreadsheet-based CMDB | CMDB | Configuration items and relationships | Raj Mehta |
| AWS | Cloud platform | Customer hosting | Aisha Rahman |
| Cisco | Network | Core and customer edge network | Owen Jones |
| Microsoft 365 | Collaboration | Email, Teams, SharePoint | Sarah Chen |

## Integrations

1. Nagios raises alerts into Jira Service Management through its e-mail channel.
2. Change records link to CMDB rows by asset tag.
"#;

const APEX_MATURITY: &str = r#"---
title: Process maturity
space: SERVICEDESK
owner: Sarah Chen
last_reviewed: 2026-02-02
---

# Process maturity

We adopted ITIL v3 informally two years ago: staff hold ITIL Foundation certificates and our
processes follow ITIL v3 practice, but nothing has been audited against ISO/IEC 20000-1.

ITIL adoption: ITIL v3 informal adoption — 2 years

## Mature processes

- Incident management
- Change management

## Ad hoc processes

- Problem management
- Capacity management

| Process | Owner | Maturity |
|---|---|---|
| Incident and service request management | Mike Torres | Mature: documented, measured monthly |
| Change management | Priya Patel | Mature: weekly CAB, standard changes catalogued |
| Problem management | Tom Baker | Ad hoc: no trend analysis |
| Capacity management | Raj Mehta | Ad hoc: reactive only |
| Service level management | Emma Clarke | Defined: SLAs per customer, reported monthly |
"#;

// ---------------------------------------------------------------------------------------------
// Northshire County Council ICT Services: Type I, Workday-style export.
// ---------------------------------------------------------------------------------------------

fn northshire(dir: &Path) -> GenResult<()> {
    let hall = "Kingsbridge - County Hall";
    let river = "Kingsbridge - Riverside House";
    let dc = "Eastgate Data Centre";
    let org = |name: &str, head: &str| format!("{name} ({head})");
    let key = vec![
        person(
            "Helen Okafor",
            "Chief Information Officer",
            &org("ICT Services", "Helen Okafor"),
            "Karen Whitfield",
            hall,
            (2018, 5, 1),
        ),
        person(
            "David Price",
            "Head of Service Management",
            &org("ICT Service Management", "David Price"),
            "Helen Okafor",
            hall,
            (2014, 2, 3),
        ),
        person(
            "Mark Ellis",
            "Service Desk Lead",
            &org("ICT Service Desk", "Mark Ellis"),
            "David Price",
            river,
            (2016, 10, 10),
        ),
        person(
            "Joanne Fraser",
            "Change and Release Manager",
            &org("ICT Service Management", "David Price"),
            "David Price",
            hall,
            (2019, 3, 4),
        ),
        person(
            "Peter Lindqvist",
            "Head of Infrastructure",
            &org("ICT Infrastructure", "Peter Lindqvist"),
            "Helen Okafor",
            dc,
            (2011, 1, 17),
        ),
        person(
            "Samira Haddad",
            "Applications Manager",
            &org("ICT Applications", "Samira Haddad"),
            "Helen Okafor",
            hall,
            (2020, 9, 1),
        ),
        person(
            "Gareth Pugh",
            "Information Governance Manager",
            &org("ICT Service Management", "David Price"),
            "David Price",
            hall,
            (2015, 6, 22),
        ),
    ];
    let reserved: Vec<&str> = key.iter().map(|p| p.name.as_str()).collect();
    let mut pool = NamePool::new(27_022_026, &reserved);
    let mut staff = key.clone();
    fill_team(
        &mut staff,
        &mut pool,
        18,
        &org("ICT Service Desk", "Mark Ellis"),
        "Mark Ellis",
        &[
            "ICT Support Analyst",
            "ICT Support Analyst",
            "Desktop Support Technician",
            "Senior ICT Support Analyst",
        ],
        &[river, hall],
    );
    fill_team(
        &mut staff,
        &mut pool,
        14,
        &org("ICT Infrastructure", "Peter Lindqvist"),
        "Peter Lindqvist",
        &[
            "Infrastructure Engineer",
            "Network Engineer",
            "Server Engineer",
            "Data Centre Operator",
        ],
        &[dc, dc, hall],
    );
    fill_team(
        &mut staff,
        &mut pool,
        12,
        &org("ICT Applications", "Samira Haddad"),
        "Samira Haddad",
        &[
            "Application Support Analyst",
            "Business Systems Analyst",
            "Developer",
            "Database Administrator",
        ],
        &[hall, river],
    );
    fill_team(
        &mut staff,
        &mut pool,
        6,
        &org("ICT Service Management", "David Price"),
        "David Price",
        &[
            "Service Management Analyst",
            "Asset and Configuration Analyst",
            "Supplier and Contracts Officer",
        ],
        &[hall],
    );
    let rows = staff
        .iter()
        .enumerate()
        .map(|(i, p)| {
            vec![
                s(&p.name),
                s(format!("{}", 100_400 + i * 7)),
                s(&p.title),
                s(&p.dept),
                s(&p.manager),
                s(&p.location),
                s(if p.location == dc {
                    "CC4410 ICT Infrastructure"
                } else {
                    "CC4400 ICT Services"
                }),
                s(if i % 13 == 5 { "Fixed Term" } else { "Regular" }),
                Cell::D(p.start.0, p.start.1, p.start.2),
            ]
        })
        .collect();
    let sheet = Sheet {
        name: "Workers".into(),
        title_rows: vec![
            "Workers by Organization - ICT Services".into(),
            "Effective as of: 27/02/2026   Include Subordinate Organizations: Yes".into(),
        ],
        header: [
            "Worker",
            "Employee ID",
            "Business Title",
            "Supervisory Organization",
            "Manager",
            "Location",
            "Cost Center",
            "Worker Type",
            "Hire Date",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    };
    let props = Props {
        title: "Workers by Organization",
        author: "Workday",
        company: "Northshire County Council",
        date: (2026, 2, 27),
    };
    write_file(
        &dir.join("Workday/Workers_by_Organization_ICT_2026-02-27.xlsx"),
        &xlsx_bytes(&[sheet], &props)?,
    )?;

    let sup = |name: &str,
               r: &str,
               svc: &str,
               cat: &str,
               mgr: &str,
               risk: &str,
               end: (u16, u8, u8),
               iso: &str| {
        vec![
            s(name),
            s(r),
            s(svc),
            s(cat),
            s(mgr),
            s(risk),
            Cell::D(end.0, end.1, end.2),
            s(iso),
        ]
    };
    let suppliers = Sheet {
        name: "Contracts".into(),
        title_rows: vec![],
        header: [
            "Supplier Name",
            "Contract Ref",
            "Services",
            "Category",
            "Contract Manager",
            "Risk Rating",
            "Contract End Date",
            "ISO 27001 Certified",
        ]
        .map(String::from)
        .to_vec(),
        rows: vec![
            sup(
                "Microsoft Ltd",
                "NCC-ICT-0112",
                "Microsoft 365 E3 and Azure (via CSP)",
                "Cloud",
                "Joanne Fraser",
                "High",
                (2027, 3, 31),
                "Yes",
            ),
            sup(
                "ServiceNow UK Ltd",
                "NCC-ICT-0140",
                "ServiceNow ITSM subscription",
                "Software",
                "David Price",
                "High",
                (2026, 9, 30),
                "Yes",
            ),
            sup(
                "BT Business",
                "NCC-ICT-0098",
                "Wide area network and PSN connectivity",
                "Telecoms",
                "Peter Lindqvist",
                "High",
                (2028, 1, 31),
                "Yes",
            ),
            sup(
                "Softcat plc",
                "NCC-ICT-0131",
                "Software licensing reseller",
                "Reseller",
                "Gareth Pugh",
                "Low",
                (2026, 6, 30),
                "Yes",
            ),
            sup(
                "SolarWinds",
                "NCC-ICT-0077",
                "Network and server monitoring licences",
                "Software",
                "Peter Lindqvist",
                "Medium",
                (2026, 11, 30),
                "Yes",
            ),
        ],
    };
    let props = Props {
        title: "ICT Supplier Contracts Register",
        author: "Gareth Pugh",
        company: "Northshire County Council",
        date: (2026, 1, 12),
    };
    write_file(
        &dir.join("Registers/ICT Supplier Contracts Register.xlsx"),
        &xlsx_bytes(&[suppliers], &props)?,
    )?;

    let mut d = DocBuilder::new("2025-10-06T08:15:00Z");
    d.meta("ICT Service Management Policy", "David Price");
    d.title("ICT Service Management Policy")
        .kv_table(&[
            ("Title", "ICT Service Management Policy"),
            ("Version", "2.1"),
            ("Owner", "David Price, Head of Service Management"),
            ("Approver", "Helen Okafor, Chief Information Officer"),
            ("Effective date", "6 October 2025"),
            ("Review date", "6 October 2026"),
        ])
        .h1("Purpose")
        .p("This policy establishes the service management system (SMS) through which ICT Services plans, delivers and improves IT services for Northshire County Council.")
        .h1("Scope")
        .p("ICT Services is the internal IT department of Northshire County Council, a local authority (public sector, local government). We provide IT services only to the Council's own directorates, maintained schools and elected members; we do not provide IT services to external organisations.")
        .p("Our internal customers are:")
        .bullets(&[
            "Adult Social Care directorate",
            "Children's Services directorate",
            "Place and Economy directorate",
            "Resources directorate",
            "Maintained schools on the Council network",
            "Elected members",
        ])
        .p("In scope locations: County Hall, Kingsbridge (headquarters); Riverside House, Kingsbridge (office); Eastgate Data Centre (data centre). ICT Services has 57 staff.")
        .h1("Leadership")
        .p("The Chief Information Officer, Helen Okafor, is the senior sponsor of the SMS and reports on it to the Corporate Leadership Team. The Head of Service Management, David Price, is the SMS manager and is accountable for the day-to-day operation of the SMS.")
        .h2("Why we are seeking certification")
        .bullets(&[
            "Internal audit recommendation (2025) to formalise ICT service management",
            "The Council's Digital Strategy 2025-2028 commits ICT Services to an externally recognised standard",
            "Schools traded-services buyers ask for evidence of service quality",
        ])
        .h2("Resources")
        .p("The Head of Service Management is allocated 50% of his time to the SMS. A budget of £40,000 over two years was approved by the Corporate Leadership Team in September 2025. No external consultant will be used; two analysts will attend ISO/IEC 20000 Practitioner training.")
        .p("We are targeting a Stage 1 audit in 8 months and a Stage 2 audit in 12 months.")
        .h1("Roles and Responsibilities")
        .table(&[
            vec!["Process", "Process Owner", "Job Title"],
            vec!["Incident management", "Mark Ellis", "Service Desk Lead"],
            vec!["Service request management", "Mark Ellis", "Service Desk Lead"],
            vec!["Change management", "Joanne Fraser", "Change and Release Manager"],
            vec!["Release and deployment management", "Joanne Fraser", "Change and Release Manager"],
            vec!["Capacity management", "Peter Lindqvist", "Head of Infrastructure"],
            vec!["Information security management", "Gareth Pugh", "Information Governance Manager"],
        ])
        .h1("Tools")
        .p("Tickets are logged in ServiceNow. Infrastructure is monitored with SolarWinds and assets are discovered with Lansweeper. Staff collaborate in Microsoft 365 and some line-of-business systems are hosted in Microsoft Azure.")
        .h1("Continual Improvement")
        .p("Improvements are recorded in the ServiceNow improvement register and reviewed quarterly by the ICT Management Team.");
    d.save(&dir.join("Policies/ICT Service Management Policy v2.1.docx"))?;

    let mut d = DocBuilder::new("2025-04-14T12:00:00Z");
    d.meta("ICT Strategy 2025-2028", "Helen Okafor");
    d.title("ICT Strategy 2025-2028")
        .p("Northshire County Council - ICT Services")
        .h1("Our customers and stakeholders")
        .p("ICT Services serves internal customers only. The table lists our interested parties and what they need from us.")
        .table(&[
            vec!["Stakeholder", "Type", "Requirements"],
            vec!["Council directorates", "Customer (internal)", "Reliable line-of-business systems; support during office hours; 4-hour response for P2 incidents"],
            vec!["Maintained schools", "Customer (internal)", "Safe internet filtering; support during term time"],
            vec!["Elected members", "User", "Secure mobile access to committee papers"],
            vec!["Information Commissioner's Office", "Regulator", "UK GDPR compliance; breach notification within 72 hours"],
            vec!["Cabinet Office (PSN)", "Regulator", "Annual Public Services Network compliance certificate"],
            vec!["Internal Audit", "Internal", "Evidence that agreed audit actions are implemented"],
        ])
        .h1("Where we are today")
        .p("ICT Services adopted ITIL 4 in 2022, and service desk staff are ITIL 4 Foundation trained. Incident management and change management are mature and measured; problem management and capacity management are ad hoc.")
        .h1("Priorities")
        .numbered(&[
            "Achieve ISO/IEC 20000-1 certification for ICT Services.",
            "Replace the on-premises file servers with Microsoft 365.",
            "Consolidate the Eastgate and County Hall server rooms into Eastgate Data Centre.",
        ]);
    d.save(&dir.join("Strategy/ICT Strategy 2025-2028.docx"))
}

// ---------------------------------------------------------------------------------------------
// Brightwave Digital Ltd: a Markdown-only handbook, Type III.
// ---------------------------------------------------------------------------------------------

fn brightwave(dir: &Path) -> GenResult<()> {
    let h = dir.join("handbook");
    write_file(&h.join("index.md"), BW_INDEX.as_bytes())?;
    write_file(&h.join("company/locations.md"), BW_LOCATIONS.as_bytes())?;
    write_file(&h.join("company/people.md"), bw_people().as_bytes())?;
    write_file(
        &h.join("service-management/sms-policy.md"),
        BW_POLICY.as_bytes(),
    )?;
    write_file(&h.join("service-management/tools.md"), BW_TOOLS.as_bytes())?;
    write_file(
        &h.join("service-management/interested-parties.md"),
        BW_PARTIES.as_bytes(),
    )?;
    write_file(
        &h.join("service-management/suppliers.md"),
        BW_SUPPLIERS.as_bytes(),
    )?;
    write_file(
        &h.join("service-management/maturity.md"),
        BW_MATURITY.as_bytes(),
    )?;
    Ok(())
}

fn bw_people() -> String {
    let mut out = String::from(
        "---\ntitle: People and teams\nowner: people-team@brightwave.io\nupdated: 2026-02-20\n---\n\n# People and teams\n\nHeadcount: 85 (February 2026). The table lists leads and the people who own a process;\nthe full directory lives in HiBob.\n\n| Name | Role | Team | Reports to | Location |\n|---|---|---|---|---|\n",
    );
    let rows = [
        (
            "Nina Castellano",
            "Chief Executive Officer",
            "Leadership",
            "",
            "Bristol",
        ),
        (
            "Marcus Obi",
            "Chief Technology Officer",
            "Leadership",
            "Nina Castellano",
            "Bristol",
        ),
        (
            "Fiona Gallagher",
            "Head of Service Management",
            "Service Operations",
            "Marcus Obi",
            "Bristol",
        ),
        (
            "Tariq Aziz",
            "Support Team Lead",
            "Customer Support",
            "Fiona Gallagher",
            "Cardiff",
        ),
        (
            "Lena Vogel",
            "Platform Engineering Manager",
            "Platform",
            "Marcus Obi",
            "Remote",
        ),
        (
            "Owain Price",
            "Internal IT Manager",
            "Internal IT",
            "Fiona Gallagher",
            "Bristol",
        ),
        (
            "Grace Mbeki",
            "Release Manager",
            "Platform",
            "Lena Vogel",
            "Bristol",
        ),
        (
            "Sam Whitaker",
            "Security Lead",
            "Security",
            "Marcus Obi",
            "Remote",
        ),
        (
            "Jess Harper",
            "Head of People",
            "People",
            "Nina Castellano",
            "Bristol",
        ),
        (
            "Alex Dunn",
            "Finance Director",
            "Finance",
            "Nina Castellano",
            "Bristol",
        ),
    ];
    for (name, role, team, boss, loc) in rows {
        out.push_str(&format!("| {name} | {role} | {team} | {boss} | {loc} |\n"));
    }
    out
}

const BW_INDEX: &str = r#"---
title: Brightwave Handbook
owner: Fiona Gallagher
updated: 2026-02-20
tags:
  - handbook
  - company
---

# Brightwave Handbook

Welcome to the Brightwave handbook. Everything we know about how we work is written here, in
Markdown, and changed by pull request.

## Who we are

Brightwave Digital Ltd builds and hosts a customer engagement platform (SaaS) for retailers and
runs managed support for it.

| | |
|---|---|
| Company | Brightwave Digital Ltd |
| Industry | Software as a Service (SaaS) and cloud hosting |
| Size | 85 employees |
| Founded | 2014, Bristol |

## What we offer

- Brightwave Engage (hosted SaaS platform)
- Premium support (24x7 for enterprise plans)
- Integration and onboarding services
"#;

const BW_LOCATIONS: &str = r#"---
title: Where we work
owner: Jess Harper
updated: 2026-01-05
---

# Where we work

| Location | Type | Country |
|---|---|---|
| Bristol HQ | Headquarters | United Kingdom |
| Cardiff office | Office | United Kingdom |
| Azure UK South | Data centre | United Kingdom |
| Remote (UK) | Remote | United Kingdom |

About a third of us work remotely across the UK; the platform runs in Microsoft Azure UK South
with disaster recovery in UK West.
"#;

const BW_POLICY: &str = r#"---
title: Service management policy
owner: Fiona Gallagher
approved_by: Nina Castellano
version: 1.0
effective: 2026-01-15
review: 2027-01-15
---

# Service management policy

## Purpose

This policy sets out how Brightwave runs its service management system (SMS) to meet
ISO/IEC 20000-1:2018.

## Scope

We provide the Brightwave Engage platform and its support services to external customers, and
our Internal IT team provides IT services to our own staff. Both the external and the internal
services are in scope of the SMS.

## Roles and responsibilities

- **Top management sponsor:** Nina Castellano, Chief Executive Officer
- **SMS manager:** Fiona Gallagher, Head of Service Management
- **Incident management owner:** Tariq Aziz, Support Team Lead
- **Change and release management owner:** Grace Mbeki, Release Manager
- **Internal IT service owner:** Owain Price, Internal IT Manager
- **Information security owner:** Sam Whitaker, Security Lead

## Management commitment

Certification drivers:

1. Enterprise retail customers ask for ISO/IEC 20000-1 in procurement questionnaires
2. One way of working for external support and internal IT

Resources:

- Dedicated personnel: Head of Service Management at 60% allocation
- External support: none planned; internal audit by a trained colleague
- Budget: £25,000 approved by the board for 2026

Target timeline: Stage 1 audit in 5 months, Stage 2 audit in 8 months.

Governance: a monthly service review chaired by the CTO reports to the board each quarter.

## Continual improvement

Ideas go into the `#improve` Slack channel and the Freshservice improvement register.
"#;

const BW_TOOLS: &str = r#"---
title: Tools we use
owner: Owain Price
updated: 2026-02-01
---

# Tools we use

Customer tickets and internal IT requests both live in Freshservice; we monitor the platform
with Datadog and keep assets in Device42.

| Tool | Kind | What for |
|---|---|---|
| Freshservice | ITSM | Customer and internal tickets, changes |
| Datadog | Monitoring | Platform metrics, logs, alerting |
| Device42 | CMDB | Assets and dependencies |
| Microsoft Azure | Cloud platform | Hosting Brightwave Engage |
| Google Workspace | Collaboration | Email, documents |
| Slack | Collaboration | Chat, incident channels |
| GitHub | Development | Source code, this handbook |
"#;

const BW_PARTIES: &str = r#"---
title: Interested parties
owner: Fiona Gallagher
updated: 2026-01-15
---

# Interested parties

| Name | Type | Requirements |
|---|---|---|
| Enterprise retail customers | Customer | 99.95% platform availability; 1-hour response to P1 incidents |
| SME customers | Customer | Self-service onboarding; support in office hours |
| Brightwave staff | User | Working laptops and accounts from day one; fast IT support |
| Microsoft (Azure) | Supplier | Adherence to Azure terms; capacity reservations renewed |
| Information Commissioner's Office | Regulator | UK GDPR compliance for customer shopper data |
| Board of directors | Internal | Monthly service performance and risk reporting |
"#;

const BW_SUPPLIERS: &str = r#"---
title: Suppliers
owner: Alex Dunn
updated: 2025-12-10
---

# Suppliers

| Supplier | Service | Risk tier | Owner |
|---|---|---|---|
| Microsoft | Azure hosting (UK South, UK West) | Critical | Lena Vogel |
| Datadog | Monitoring SaaS | High | Lena Vogel |
| Freshworks | Freshservice ITSM | High | Fiona Gallagher |
| Google | Google Workspace | Medium | Owain Price |
"#;

const BW_MATURITY: &str = r#"---
title: How mature are we?
owner: Fiona Gallagher
updated: 2026-02-10
---

# How mature are we?

We have followed ITIL 4 since 2023, with about half the support team Foundation certified.

### Mature processes

- Incident management
- Change management
- Release and deployment management

### Ad hoc processes

- Problem management
- Capacity management
- Service continuity management
"#;

// ---------------------------------------------------------------------------------------------
// Meridian Hosting Ltd: everything in DOCX tables.
// ---------------------------------------------------------------------------------------------

fn meridian(dir: &Path) -> GenResult<()> {
    let mut d = DocBuilder::new("2026-01-20T14:00:00Z");
    d.meta("Company Fact Sheet", "Louise Carter");
    d.title("Company Fact Sheet")
        .kv_table(&[
            ("Organisation name", "Meridian Hosting Ltd"),
            ("Industry", "Data centre and hosting services"),
            ("Number of employees", "64"),
            ("Headquarters", "Leeds, United Kingdom"),
            ("Description", "Colocation, managed hosting and backup services for SMEs and housing associations in the north of England"),
            ("Customers", "External customers only: about 140 SMEs and two housing associations"),
            ("Services", "Colocation; Managed hosting; Backup as a Service; Disaster recovery"),
            ("Company number", "07654321"),
        ])
        .h1("Sites")
        .table(&[
            vec!["Site", "Type", "Address", "Country"],
            vec!["Leeds HQ", "Headquarters", "Wellington Place, Leeds", "United Kingdom"],
            vec!["Leeds DC (Thorpe Park)", "Data centre", "Thorpe Park, Leeds", "United Kingdom"],
            vec!["Sheffield DR site", "Data centre", "Sheffield Digital Campus", "United Kingdom"],
        ]);
    d.save(&dir.join("Company Fact Sheet.docx"))?;

    let mut d = DocBuilder::new("2026-01-22T11:00:00Z");
    d.meta("SMS Roles and Responsibilities Matrix", "Simon Akhtar");
    d.title("SMS Roles and Responsibilities Matrix")
        .table(&[
            vec!["Role", "Name", "Job Title", "SMS Responsibilities"],
            vec![
                "Top management",
                "Rebecca Holt",
                "Chief Executive Officer",
                "Sponsors the SMS, approves the policy, chairs management review",
            ],
            vec![
                "Management representative",
                "Simon Akhtar",
                "Service Delivery Manager",
                "Runs the SMS day to day; reports on performance",
            ],
            vec![
                "Incident management owner",
                "Kelly Brennan",
                "Support Manager",
                "Incident and service request process",
            ],
            vec![
                "Change management owner",
                "Dev Sharma",
                "Change Manager",
                "Change and release process; CAB chair",
            ],
            vec![
                "Capacity management owner",
                "Ian Rowe",
                "Data Centre Operations Manager",
                "Power, cooling, rack and storage capacity",
            ],
            vec![
                "Supplier management owner",
                "Louise Carter",
                "Finance Manager",
                "Supplier contracts and reviews",
            ],
        ])
        .h1("Service owners")
        .table(&[
            vec!["Service", "Service Owner"],
            vec!["Colocation", "Ian Rowe, Data Centre Operations Manager"],
            vec!["Managed hosting", "Kelly Brennan, Support Manager"],
            vec!["Backup as a Service", "Dev Sharma, Change Manager"],
        ]);
    d.save(&dir.join("Roles and Responsibilities Matrix.docx"))?;

    let mut d = DocBuilder::new("2025-12-01T09:00:00Z");
    d.meta("Supplier Register", "Louise Carter");
    d.title("Supplier Register").table(&[
        vec![
            "Supplier",
            "Service Provided",
            "Type",
            "Contract Owner",
            "Risk Tier",
            "Contract Status",
            "Certifications",
            "Country",
        ],
        vec![
            "Equinix",
            "Interconnection and cross-connects",
            "Data centre",
            "Ian Rowe",
            "Tier 1",
            "Active",
            "ISO 27001, ISO 50001",
            "United Kingdom",
        ],
        vec![
            "Dell Technologies",
            "Servers and storage, ProSupport",
            "Hardware",
            "Ian Rowe",
            "Tier 2",
            "Active",
            "ISO 9001",
            "Ireland",
        ],
        vec![
            "Veeam Software",
            "Backup software licences",
            "Software",
            "Dev Sharma",
            "Tier 2",
            "Active",
            "ISO 27001",
            "Switzerland",
        ],
        vec![
            "Zen Internet",
            "IP transit",
            "Telecoms",
            "Ian Rowe",
            "Tier 1",
            "Active",
            "ISO 27001",
            "United Kingdom",
        ],
        vec![
            "Northern Powergrid",
            "Grid power supply",
            "Utility",
            "Louise Carter",
            "Tier 1",
            "Active",
            "",
            "United Kingdom",
        ],
    ]);
    d.save(&dir.join("Supplier Register.docx"))?;

    let mut d = DocBuilder::new("2026-01-09T16:45:00Z");
    d.meta("IT Tools", "Kelly Brennan");
    d.title("IT Tools").table(&[
        vec!["Tool", "Category", "Purpose", "Owner"],
        vec![
            "TOPdesk",
            "ITSM",
            "Incidents, requests, changes, customer portal",
            "Kelly Brennan",
        ],
        vec![
            "PRTG",
            "Monitoring",
            "Network, power and environmental monitoring",
            "Ian Rowe",
        ],
        vec![
            "Lansweeper",
            "CMDB / asset management",
            "Asset discovery and inventory",
            "Dev Sharma",
        ],
        vec![
            "VMware vSphere",
            "Virtualisation",
            "Managed hosting platform",
            "Kelly Brennan",
        ],
        vec![
            "Microsoft 365",
            "Collaboration",
            "Email, Teams, SharePoint",
            "Simon Akhtar",
        ],
    ]);
    d.save(&dir.join("IT Tools.docx"))?;

    let mut d = DocBuilder::new("2026-02-03T10:00:00Z");
    d.meta("SMS Plan 2026", "Simon Akhtar");
    d.title("SMS Plan 2026")
        .kv_table(&[
            ("Document owner", "Simon Akhtar, Service Delivery Manager"),
            ("Approved by", "Rebecca Holt, Chief Executive Officer"),
            ("Version", "0.9"),
            ("Date", "3 February 2026"),
        ])
        .h1("Management commitment")
        .kv_table(&[
            ("Certification drivers", "Housing association tenders require ISO/IEC 20000-1; Insurance premium reduction; Process standardization"),
            ("Dedicated personnel", "Service Delivery Manager at 70% allocation"),
            ("External support", "External consultant for gap analysis and internal audit"),
            ("Budget", "£32,000 approved for 2026"),
            ("Stage 1 audit", "7 months"),
            ("Stage 2 audit", "10 months"),
            ("Governance structure", "Monthly SMS board chaired by the CEO"),
        ])
        .h1("Service management maturity")
        .kv_table(&[
            ("ITIL adoption", "ITIL v3 practices since 2019, informal"),
            ("Mature processes", "Incident management; Change management; Capacity management"),
            ("Ad hoc processes", "Problem management; Service continuity management"),
        ])
        .h1("Interested parties")
        .table(&[
            vec!["Name", "Type", "Requirements"],
            vec!["Colocation customers", "Customer", "99.99% power availability; 24x7 site access"],
            vec!["Housing associations", "Customer", "UK GDPR; Cyber Essentials Plus; quarterly service reports"],
            vec!["Information Commissioner's Office", "Regulator", "UK GDPR compliance"],
            vec!["Equinix", "Supplier", "Adherence to interconnection terms"],
        ])
        .h1("Customers")
        .p("Meridian provides all of its services to external customers; there is no internal customer of the SMS.");
    d.save(&dir.join("SMS Plan 2026.docx"))
}

// ---------------------------------------------------------------------------------------------
// Kestrel Facilities Group: the messy client.
// ---------------------------------------------------------------------------------------------

fn kestrel(dir: &Path) -> GenResult<()> {
    // An unfilled template with placeholders of every common kind.
    let mut d = DocBuilder::new("2024-06-11T08:00:00Z");
    d.meta("[Document Title]", "Template Author");
    d.title("[Organization Name] Service Management Policy")
        .kv_table(&[
            ("Title", "Service Management Policy"),
            ("Version", "0.1 DRAFT"),
            ("Owner", "[Insert name]"),
            ("Approver", "TBD"),
            ("Effective date", "[DD Month YYYY]"),
            ("Review date", "<FILL-IN>"),
        ])
        .h1("Purpose")
        .p("{{companyFullName}} is committed to delivering services that meet agreed requirements.")
        .h1("Scope")
        .spans(&[
            plain("The SMS applies to "),
            marked("[describe services and locations in scope]"),
            plain(" delivered from "),
            marked("[Insert sites]"),
            plain("."),
        ])
        .h1("Roles and Responsibilities")
        .table(&[
            vec!["Role", "Name", "Job title"],
            vec!["Top management sponsor", "TBD", "TBD"],
            vec!["SMS manager", "[Name]", "[Job Title]"],
        ])
        .h1("Management Commitment")
        .spans(&[
            strong("Certification drivers: "),
            marked("XXX"),
        ])
        .p("Target timeline: TBC")
        .p("Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
    d.save(&dir.join("Service Management Policy - TEMPLATE.docx"))?;

    // The real, partly filled policy (Type I evidence; sponsor still TBD).
    let mut d = DocBuilder::new("2026-02-25T15:20:00Z");
    d.meta("IT Service Policy", "Nadia Brooks");
    d.title("IT Service Policy")
        .kv_table(&[
            ("Title", "IT Service Policy"),
            ("Version", "0.4"),
            ("Owner", "Nadia Brooks, ITSM Manager"),
            ("Approver", "TBD"),
            ("Effective date", "TBC"),
        ])
        .h1("Scope")
        .p("Kestrel Facilities Group plc is a facilities management company. The IT team supports Kestrel's own staff, depots and client sites where our engineers work; IT services are not sold to external customers.")
        .h1("Roles and Responsibilities")
        .p("SMS manager: Nadia Brooks, ITSM Manager")
        .p("Top management sponsor: TBD")
        .h1("Tools")
        .p("We use ManageEngine ServiceDesk Plus for tickets and Zabbix for monitoring.");
    let policy = d.bytes()?;
    write_file(&dir.join("policy.docx"), &policy)?;

    // Word's owner ("lock") file for policy.docx, as Word leaves it while the document is open.
    write_file(&dir.join("~$policy.docx"), &word_lock_file("Nadia Brooks"))?;

    // An older staff list with messy headers, a blank row and a totals row.
    let kestrel_staff = [
        (
            "Graham Keane",
            "Chief Operating Officer",
            "Operations",
            "",
            "Reading",
        ),
        (
            "Nadia Brooks",
            "ITSM Manager",
            "IT",
            "Graham Keane",
            "Reading",
        ),
        (
            "Lewis Carr",
            "IT Support Engineer",
            "IT",
            "Nadia Brooks",
            "Reading",
        ),
        (
            "Amira Yusuf",
            "IT Support Engineer",
            "IT",
            "Nadia Brooks",
            "Swindon depot",
        ),
        (
            "Jordan Blake",
            "Infrastructure Engineer",
            "IT",
            "Nadia Brooks",
            "Reading",
        ),
        (
            "Sophie Marsh",
            "Service Desk Analyst",
            "IT",
            "Nadia Brooks",
            "Reading",
        ),
    ];
    let mut rows: Vec<Vec<Cell>> = kestrel_staff
        .iter()
        .map(|(n, t, d, m, l)| vec![s(*n), s(*t), s(*d), s(*m), s(*l)])
        .collect();
    rows.insert(3, vec![Cell::Empty; 5]);
    rows.push(vec![
        s("Total: 6"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]);
    let old = Sheet {
        name: "Sheet1".into(),
        title_rows: vec![],
        header: ["Full Name ", "JobTitle", "Dept", "Reports_To", "Site"]
            .map(String::from)
            .to_vec(),
        rows,
    };
    let props = Props {
        title: "",
        author: "Nadia Brooks",
        company: "Kestrel Facilities Group plc",
        date: (2023, 4, 3),
    };
    let old_bytes = xlsx_bytes(std::slice::from_ref(&old), &props)?;
    write_file(&dir.join("staff list (old).xlsx"), &old_bytes)?;

    // The current staff list, cut in half as an interrupted sync leaves it.
    let mut current = old;
    current.rows.retain(|r| r.iter().any(|c| *c != Cell::Empty));
    current.rows.pop();
    let full = xlsx_bytes(&[current], &props)?;
    write_file(
        &dir.join("Staff List FINAL v2.xlsx"),
        &full[..full.len() / 2],
    )?;

    // A password-protected workbook: an OLE compound file holding EncryptionInfo and
    // EncryptedPackage streams instead of a zip.
    write_file(
        &dir.join("Supplier Register (Protected).xlsx"),
        &encrypted_ooxml_container(0x4B45_5354),
    )?;

    // Kick-off notes saved by an old editor in Windows-1252 (not UTF-8).
    let notes = "# Kick-off notes - ISO 20000 project\r\n\r\n- Met at the Caf\u{e9} on 12 Feb.\r\n- Budget agreed in principle: \u{a3}18,000.\r\n- Stage 1 target: TBD. Consultant: none yet.\r\n- Tools: ManageEngine ServiceDesk Plus, Zabbix.\r\n";
    write_file(&dir.join("notes/kickoff-notes.md"), &to_windows_1252(notes))?;

    // A file type the tool does not read.
    write_file(
        &dir.join("Org Chart.pdf"),
        &minimal_pdf("Kestrel IT organisation chart"),
    )?;

    write_file(&dir.join("wiki/it-tools.md"), KESTREL_TOOLS.as_bytes())?;
    Ok(())
}

const KESTREL_TOOLS: &str = r#"---
title: IT tools
owner: "{{owner}}"
updated: TBD
---

# IT tools

We use ManageEngine ServiceDesk Plus for tickets and Zabbix for monitoring. Laptops are managed
in Microsoft Intune and everybody works in Microsoft 365.

| Tool | Type |
|---|---|
| ManageEngine ServiceDesk Plus | ITSM |
| Zabbix | Monitoring |
| Microsoft 365 | Collaboration |
| [Tool name] | [Type] |
"#;

/// The 162-byte owner file Word writes as `~$name.docx` while a document is open: a length byte
/// and the user name in the ANSI code page padded to 54 bytes, then the length again and the
/// name in UTF-16LE, padded with spaces.
pub fn word_lock_file(user: &str) -> Vec<u8> {
    let name: Vec<u8> = user.bytes().filter(u8::is_ascii).take(53).collect();
    let mut out = Vec::with_capacity(162);
    out.push(name.len() as u8);
    out.extend_from_slice(&name);
    out.resize(54, b' ');
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    for b in &name {
        out.extend_from_slice(&[*b, 0]);
    }
    while out.len() < 162 {
        out.extend_from_slice(&[b' ', 0]);
    }
    out.truncate(162);
    out
}

/// Encodes text in Windows-1252 (only the characters the samples use outside ASCII).
pub fn to_windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{a3}' => 0xA3,
            '\u{e9}' => 0xE9,
            '\u{2013}' => 0x96,
            '\u{2019}' => 0x92,
            c if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect()
}

/// A one-page PDF showing `text`, with a correct cross-reference table.
pub fn minimal_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 18 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, obj) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{obj}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

const SECTOR: usize = 512;
const FREESECT: u32 = 0xFFFF_FFFF;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FATSECT: u32 = 0xFFFF_FFFD;

/// A valid OLE compound file (CFB version 3) laid out as Office saves a password-protected OOXML
/// file: a root storage holding an `EncryptionInfo` stream and an `EncryptedPackage` stream.
/// Both streams are 4096 bytes or more so that they live in regular sectors (no mini stream).
/// The stream contents are deterministic filler from `seed`, not real ciphertext.
pub fn encrypted_ooxml_container(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    // EncryptionInfo: version 4.4 (agile) followed by its XML descriptor, padded.
    let mut info = vec![4, 0, 4, 0, 0x40, 0, 0, 0];
    info.extend_from_slice(
        br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>"#,
    );
    info.resize(4096, 0);
    // EncryptedPackage: an 8-byte plaintext size, then "ciphertext".
    let mut package = 6144u64.to_le_bytes().to_vec();
    while package.len() < 6144 + 8 + 8 {
        package.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    let info_sectors = info.len().div_ceil(SECTOR);
    let package_sectors = package.len().div_ceil(SECTOR);
    // Sector 0: FAT, sector 1: directory, then the two streams.
    let dir_sector = 1u32;
    let info_start = 2u32;
    let package_start = info_start + info_sectors as u32;
    let total_sectors = 2 + info_sectors + package_sectors;

    let mut fat = vec![FREESECT; SECTOR / 4];
    fat[0] = FATSECT;
    fat[1] = ENDOFCHAIN;
    let chain = |start: u32, count: usize, fat: &mut Vec<u32>| {
        for i in 0..count {
            let at = start as usize + i;
            fat[at] = if i + 1 == count {
                ENDOFCHAIN
            } else {
                at as u32 + 1
            };
        }
    };
    chain(info_start, info_sectors, &mut fat);
    chain(package_start, package_sectors, &mut fat);

    let mut out = Vec::with_capacity(SECTOR * (1 + total_sectors));
    // Header.
    out.extend_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    out.extend_from_slice(&[0; 16]); // CLSID
    out.extend_from_slice(&0x003Eu16.to_le_bytes()); // minor version
    out.extend_from_slice(&0x0003u16.to_le_bytes()); // major version 3
    out.extend_from_slice(&0xFFFEu16.to_le_bytes()); // little-endian
    out.extend_from_slice(&9u16.to_le_bytes()); // sector shift: 512
    out.extend_from_slice(&6u16.to_le_bytes()); // mini sector shift: 64
    out.extend_from_slice(&[0; 6]);
    out.extend_from_slice(&0u32.to_le_bytes()); // directory sectors (0 for v3)
    out.extend_from_slice(&1u32.to_le_bytes()); // FAT sectors
    out.extend_from_slice(&dir_sector.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // transaction signature
    out.extend_from_slice(&4096u32.to_le_bytes()); // mini stream cutoff
    out.extend_from_slice(&ENDOFCHAIN.to_le_bytes()); // first mini FAT sector
    out.extend_from_slice(&0u32.to_le_bytes()); // mini FAT sectors
    out.extend_from_slice(&ENDOFCHAIN.to_le_bytes()); // first DIFAT sector
    out.extend_from_slice(&0u32.to_le_bytes()); // DIFAT sectors
    out.extend_from_slice(&0u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    while out.len() < SECTOR {
        out.extend_from_slice(&FREESECT.to_le_bytes());
    }
    // Sector 0: FAT.
    for entry in &fat {
        out.extend_from_slice(&entry.to_le_bytes());
    }
    // Sector 1: directory (4 entries of 128 bytes).
    // Siblings form a red-black tree ordered by name length then name: "EncryptionInfo" (14)
    // is the child of the root and "EncryptedPackage" (16) its right sibling.
    out.extend_from_slice(&dir_entry(
        "Root Entry",
        5,
        0xFFFF_FFFF,
        0xFFFF_FFFF,
        1,
        ENDOFCHAIN,
        0,
    ));
    out.extend_from_slice(&dir_entry(
        "EncryptionInfo",
        2,
        0xFFFF_FFFF,
        2,
        0xFFFF_FFFF,
        info_start,
        info.len() as u64,
    ));
    out.extend_from_slice(&dir_entry(
        "EncryptedPackage",
        2,
        0xFFFF_FFFF,
        0xFFFF_FFFF,
        0xFFFF_FFFF,
        package_start,
        package.len() as u64,
    ));
    out.extend_from_slice(&dir_entry(
        "",
        0,
        0xFFFF_FFFF,
        0xFFFF_FFFF,
        0xFFFF_FFFF,
        0,
        0,
    ));
    // Streams, each padded to whole sectors.
    for stream in [&info, &package] {
        out.extend_from_slice(stream);
        let pad = stream.len().div_ceil(SECTOR) * SECTOR - stream.len();
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    out
}

/// One 128-byte CFB directory entry (object type 5 root, 2 stream, 0 unused).
fn dir_entry(
    name: &str,
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    size: u64,
) -> Vec<u8> {
    let mut e = Vec::with_capacity(128);
    let utf16: Vec<u16> = name.encode_utf16().collect();
    for unit in &utf16 {
        e.extend_from_slice(&unit.to_le_bytes());
    }
    e.resize(64, 0);
    let name_len = if name.is_empty() {
        0
    } else {
        (utf16.len() as u16 + 1) * 2
    };
    e.extend_from_slice(&name_len.to_le_bytes());
    e.push(kind);
    e.push(1); // colour: black
    e.extend_from_slice(&left.to_le_bytes());
    e.extend_from_slice(&right.to_le_bytes());
    e.extend_from_slice(&child.to_le_bytes());
    e.extend_from_slice(&[0; 16]); // CLSID
    e.extend_from_slice(&[0; 4]); // state bits
    e.extend_from_slice(&[0; 16]); // creation and modification times
    e.extend_from_slice(&start.to_le_bytes());
    e.extend_from_slice(&size.to_le_bytes());
    e
}

/// The README written beside the sample clients.
const README: &str = include_str!("clients_readme.md");
