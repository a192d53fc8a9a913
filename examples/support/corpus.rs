//! The synthetic benchmark corpus: N client folders, each with an HR export of 100-300 rows in
//! one of several vendors' layouts, a register workbook, 3-6 DOCX policies of 20-200 paragraphs
//! with headings, lists and tables, and 2-4 Markdown pages with front matter.
//! Takes an output folder, a client count and a seed; gives the files and their total size.
//! Must be deterministic from the seed alone (no clock, no global state) and fast enough to
//! write 200 clients in well under a minute in a release build.

use std::fmt::Write as _;
use std::path::Path;

use super::clients::{email_local, split_name, NamePool};
use super::write::{s, write_file, xlsx_bytes, Cell, DocBuilder, GenResult, Props, Rng, Sheet};

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CorpusStats {
    /// Client folders written.
    pub clients: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// The folder name of client `index` (0-based) in a corpus.
pub fn client_dir_name(index: usize) -> String {
    format!("client-{:05}", index + 1)
}

/// Writes `clients` client folders into `out` (created if missing), deterministic from `seed`.
pub fn generate(out: &Path, clients: usize, seed: u64) -> GenResult<CorpusStats> {
    std::fs::create_dir_all(out)?;
    let mut stats = CorpusStats::default();
    for index in 0..clients {
        let client_seed = seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        write_client(&out.join(client_dir_name(index)), client_seed, &mut stats)?;
        stats.clients += 1;
    }
    Ok(stats)
}

const NAME_PARTS: [&str; 24] = [
    "Northwind",
    "Bluebell",
    "Harbour",
    "Summit",
    "Ironbridge",
    "Kingfisher",
    "Lakeside",
    "Redwood",
    "Silverline",
    "Thornbury",
    "Oakridge",
    "Pennine",
    "Westgate",
    "Crescent",
    "Falcon",
    "Highland",
    "Granite",
    "Meadow",
    "Beacon",
    "Orchard",
    "Castle",
    "Riverside",
    "Eastfield",
    "Sterling",
];
const NAME_KINDS: [(&str, &str); 8] = [
    ("IT Services Ltd", "Managed IT Services"),
    ("Data Centres Ltd", "Data centre and hosting services"),
    ("Cloud Solutions Ltd", "Cloud services"),
    ("Technology Group plc", "IT outsourcing"),
    ("Digital Ltd", "Software as a Service"),
    ("Council ICT Services", "Local government"),
    ("University IT Services", "Higher education"),
    ("Health IT Services", "Healthcare IT"),
];
const CITIES: [&str; 12] = [
    "Manchester",
    "Leeds",
    "Bristol",
    "Birmingham",
    "Glasgow",
    "Cardiff",
    "Newcastle",
    "Nottingham",
    "Sheffield",
    "Edinburgh",
    "Belfast",
    "Reading",
];
const DEPARTMENTS: [(&str, &[&str]); 8] = [
    (
        "Service Desk",
        &[
            "Service Desk Analyst",
            "Senior Service Desk Analyst",
            "Service Desk Team Leader",
        ],
    ),
    (
        "Infrastructure",
        &[
            "Infrastructure Engineer",
            "Systems Administrator",
            "Storage Engineer",
        ],
    ),
    (
        "Network",
        &[
            "Network Engineer",
            "Senior Network Engineer",
            "Network Architect",
        ],
    ),
    (
        "Cloud",
        &["Cloud Engineer", "DevOps Engineer", "Platform Engineer"],
    ),
    (
        "Security",
        &["Security Analyst", "SOC Analyst", "Security Engineer"],
    ),
    (
        "Applications",
        &[
            "Application Support Analyst",
            "Developer",
            "Business Analyst",
        ],
    ),
    (
        "Finance",
        &["Accountant", "Accounts Assistant", "Procurement Officer"],
    ),
    ("People", &["HR Advisor", "HR Administrator", "Recruiter"]),
];
const TOP_TITLES: [&str; 5] = [
    "Chief Executive Officer",
    "Managing Director",
    "Chief Information Officer",
    "Chief Technology Officer",
    "Chief Operating Officer",
];
const SMS_TITLES: [&str; 5] = [
    "IT Service Manager",
    "Head of Service Management",
    "Service Delivery Manager",
    "ITSM Manager",
    "SMS Manager",
];
const PROCESSES: [&str; 10] = [
    "Incident management",
    "Service request management",
    "Change management",
    "Problem management",
    "Service level management",
    "Capacity management",
    "Availability management",
    "Information security management",
    "Supplier management",
    "Release and deployment management",
];
const ITSM: [&str; 8] = [
    "ServiceNow",
    "Jira Service Management",
    "Freshservice",
    "TOPdesk",
    "BMC Helix",
    "Ivanti",
    "ManageEngine ServiceDesk Plus",
    "SysAid",
];
const MONITORING: [&str; 8] = [
    "Nagios",
    "Zabbix",
    "PRTG",
    "Datadog",
    "SolarWinds",
    "Dynatrace",
    "LogicMonitor",
    "Prometheus",
];
const CMDB: [&str; 4] = ["ServiceNow CMDB", "Device42", "Lansweeper", "a spreadsheet"];
const CLOUD: [&str; 3] = ["AWS", "Microsoft Azure", "Google Cloud"];
const COLLAB: [&str; 4] = ["Microsoft 365", "Google Workspace", "Confluence", "Slack"];
const SUPPLIERS: [(&str, &str, &str); 12] = [
    ("Amazon Web Services", "Cloud hosting", "Cloud provider"),
    ("Microsoft Ltd", "Microsoft 365 and Azure", "Cloud provider"),
    (
        "Cisco Systems Ltd",
        "Network hardware and support",
        "Hardware",
    ),
    ("Dell Technologies", "Servers and storage", "Hardware"),
    ("BT Business", "WAN connectivity", "Telecoms"),
    ("Equinix", "Colocation", "Data centre"),
    ("Softcat plc", "Licensing", "Reseller"),
    ("Veeam Software", "Backup software", "Software"),
    ("Zen Internet", "IP transit", "Telecoms"),
    ("HP Inc", "End-user devices", "Hardware"),
    ("Computacenter", "Deskside support", "Outsourcer"),
    ("Google", "Google Workspace", "Cloud provider"),
];
const HEADINGS: [&str; 10] = [
    "Purpose",
    "Scope",
    "Roles and Responsibilities",
    "Management Commitment",
    "Objectives",
    "Interested Parties",
    "Suppliers",
    "Technology",
    "Continual Improvement",
    "Review",
];
const POLICY_TITLES: [&str; 8] = [
    "Service Management Policy",
    "Information Security Policy",
    "Change Management Procedure",
    "Incident Management Procedure",
    "Supplier Management Policy",
    "Capacity Management Plan",
    "Service Continuity Policy",
    "Acceptable Use Policy",
];
const FILLER: [&str; 16] = [
    "All changes to production services are recorded, assessed for risk and approved before they are implemented.",
    "Service levels are agreed with each customer and reviewed at least annually.",
    "Incidents are prioritised by impact and urgency and escalated when a target is at risk.",
    "Records are retained for at least three years to support audits and trend analysis.",
    "Staff complete induction training in the service management processes within their first month.",
    "Risks to services are assessed quarterly and recorded in the risk register.",
    "Suppliers that support critical services are reviewed against their contracts every quarter.",
    "Capacity is forecast from monitoring data and the business plan for the next twelve months.",
    "Known errors are recorded with their workarounds so that the service desk can apply them.",
    "Every configuration item in scope has an owner and a recorded relationship to the services it supports.",
    "Customer satisfaction is measured after each resolved incident and reported monthly.",
    "Information is classified as public, internal, confidential or restricted.",
    "Major incidents are reviewed within five working days and lessons learned are shared.",
    "This document is reviewed annually by its owner or after a significant change.",
    "Deviations from this policy require the written approval of the policy owner.",
    "Continual improvement opportunities are logged, prioritised and tracked to closure.",
];

/// The facts one synthetic client's documents agree on.
struct Client {
    name: String,
    industry: &'static str,
    city: &'static str,
    kind: usize,
    sponsor: (String, &'static str),
    sms: (String, &'static str),
    tools: [&'static str; 5],
    suppliers: Vec<usize>,
    owners: Vec<(&'static str, String, String)>,
    domain: String,
}

fn write_client(dir: &Path, seed: u64, stats: &mut CorpusStats) -> GenResult<()> {
    let mut rng = Rng::new(seed);
    let (suffix, industry) = *rng.pick(&NAME_KINDS);
    let base = *rng.pick(&NAME_PARTS);
    let name = format!("{base} {suffix}");
    let mut pool = NamePool::new(rng.next_u64(), &[]);
    let sponsor = (pool.next(), *rng.pick(&TOP_TITLES));
    let sms = (pool.next(), *rng.pick(&SMS_TITLES));
    let tools = [
        *rng.pick(&ITSM),
        *rng.pick(&MONITORING),
        *rng.pick(&CMDB),
        *rng.pick(&CLOUD),
        *rng.pick(&COLLAB),
    ];
    let mut suppliers: Vec<usize> = Vec::new();
    let supplier_count = rng.range(4, 10);
    while suppliers.len() < supplier_count {
        let i = rng.below(SUPPLIERS.len());
        if !suppliers.contains(&i) {
            suppliers.push(i);
        }
    }
    let owners = PROCESSES
        .iter()
        .take(rng.range(3, PROCESSES.len()))
        .map(|p| {
            let title = format!("{} Manager", p.trim_end_matches(" management"));
            (*p, pool.next(), title)
        })
        .collect();
    let client = Client {
        owners,
        domain: format!("{}.example", base.to_lowercase()),
        name,
        industry,
        city: CITIES[rng.below(CITIES.len())],
        // Councils, universities and health boards serve their own organisation (Type I).
        kind: if industry == "Local government" || industry == "Higher education" {
            0
        } else {
            rng.range(1, 2)
        },
        sponsor,
        sms,
        tools,
        suppliers,
    };

    let mut put = |path: &Path, bytes: &[u8]| -> GenResult<()> {
        write_file(path, bytes)?;
        stats.files += 1;
        stats.bytes += bytes.len() as u64;
        Ok(())
    };

    let (hr_name, hr_bytes) = hr_export(&client, &mut pool, &mut rng)?;
    put(&dir.join("hr").join(hr_name), &hr_bytes)?;
    put(
        &dir.join("registers/register.xlsx"),
        &register(&client, &mut rng)?,
    )?;

    let policies = rng.range(3, 6);
    let first = rng.below(POLICY_TITLES.len());
    for k in 0..policies {
        let title = POLICY_TITLES[(first + k) % POLICY_TITLES.len()];
        let file = format!("policies/{}.docx", title.replace(' ', "_"));
        put(&dir.join(file), &policy(&client, title, &mut rng)?)?;
    }

    let pages = rng.range(2, 4);
    for (file, text) in wiki_pages(&client, &mut rng).into_iter().take(pages) {
        put(&dir.join("wiki").join(file), text.as_bytes())?;
    }
    Ok(())
}

/// One HR export in one of six vendors' layouts.
fn hr_export(c: &Client, pool: &mut NamePool, rng: &mut Rng) -> GenResult<(String, Vec<u8>)> {
    let rows = rng.range(100, 300);
    let sites: Vec<String> = (0..rng.range(1, 4))
        .map(|i| {
            if i == 0 {
                format!("{} HQ", c.city)
            } else {
                format!("{} Office", CITIES[(i * 5 + rng.below(3)) % CITIES.len()])
            }
        })
        .collect();
    let dept_count = rng.range(4, DEPARTMENTS.len());
    let mut heads: Vec<String> = Vec::new();
    let mut people: Vec<[String; 5]> = vec![
        [
            c.sponsor.0.clone(),
            c.sponsor.1.into(),
            "Executive".into(),
            String::new(),
            sites[0].clone(),
        ],
        [
            c.sms.0.clone(),
            c.sms.1.into(),
            DEPARTMENTS[0].0.into(),
            c.sponsor.0.clone(),
            sites[0].clone(),
        ],
    ];
    for (_, name, title) in &c.owners {
        people.push([
            name.clone(),
            title.clone(),
            DEPARTMENTS[0].0.into(),
            c.sms.0.clone(),
            sites[0].clone(),
        ]);
    }
    for (dept, _) in DEPARTMENTS.iter().take(dept_count) {
        let head = pool.next();
        people.push([
            head.clone(),
            format!("{dept} Manager"),
            (*dept).into(),
            c.sponsor.0.clone(),
            sites[0].clone(),
        ]);
        heads.push(head);
    }
    while people.len() < rows {
        let d = rng.below(dept_count);
        let title = *rng.pick(DEPARTMENTS[d].1);
        let site = rng.pick(&sites).clone();
        people.push([
            pool.next(),
            title.into(),
            DEPARTMENTS[d].0.into(),
            heads[d].clone(),
            site,
        ]);
    }
    let layout = rng.below(6);
    let (file, header): (&str, &[&str]) = match layout {
        0 => (
            "bamboohr_employees.xlsx",
            &[
                "Employee #",
                "Employee Name",
                "Job Title",
                "Department",
                "Reports To",
                "Location",
                "Work Email",
                "Hire Date",
            ],
        ),
        1 => (
            "workday_workers.xlsx",
            &[
                "Worker",
                "Employee ID",
                "Business Title",
                "Supervisory Organization",
                "Manager",
                "Location",
                "Hire Date",
            ],
        ),
        2 => (
            "hibob_people.xlsx",
            &[
                "Display name",
                "Email",
                "Job title",
                "Department",
                "Reports to",
                "Site",
                "Start date",
            ],
        ),
        3 => (
            "personio_export.xlsx",
            &[
                "ID",
                "First name",
                "Last name",
                "Position",
                "Department",
                "Supervisor",
                "Office",
                "Hire date",
            ],
        ),
        4 => (
            "entra_users.xlsx",
            &[
                "displayName",
                "userPrincipalName",
                "jobTitle",
                "department",
                "manager",
                "city",
                "country",
            ],
        ),
        _ => (
            "orgchart_visio.xlsx",
            &["Name", "Reports_To", "Title", "Dept", "Location"],
        ),
    };
    let data: Vec<Vec<Cell>> = people
        .iter()
        .enumerate()
        .map(|(i, [name, title, dept, manager, site])| {
            let email = format!("{}@{}", email_local(name), c.domain);
            let (first, last) = split_name(name);
            let date = Cell::D(
                2010 + rng.below(16) as u16,
                1 + rng.below(12) as u8,
                1 + rng.below(28) as u8,
            );
            match layout {
                0 => vec![
                    s(format!("{}", 1000 + i)),
                    s(name),
                    s(title),
                    s(dept),
                    s(manager),
                    s(site),
                    s(email),
                    date,
                ],
                1 => vec![
                    s(name),
                    s(format!("W{:06}", 20_000 + i)),
                    s(title),
                    s(format!("{dept} ({manager})")),
                    s(manager),
                    s(site),
                    date,
                ],
                2 => vec![
                    s(name),
                    s(email),
                    s(title),
                    s(dept),
                    s(manager),
                    s(site),
                    date,
                ],
                3 => vec![
                    Cell::N((i + 1) as f64),
                    s(first),
                    s(last),
                    s(title),
                    s(dept),
                    s(manager),
                    s(site),
                    date,
                ],
                4 => vec![
                    s(name),
                    s(email),
                    s(title),
                    s(dept),
                    s(manager),
                    s(site.split(' ').next().unwrap_or("")),
                    s("United Kingdom"),
                ],
                _ => vec![s(name), s(manager), s(title), s(dept), s(site)],
            }
        })
        .collect();
    let sheet = Sheet {
        name: "Export".into(),
        title_rows: if layout == 1 {
            vec![format!("Workers - {}", c.name)]
        } else {
            vec![]
        },
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: data,
    };
    let props = Props {
        title: "Staff export",
        author: "HR",
        company: &c.name,
        date: (2026, 1, 15),
    };
    Ok((file.to_string(), xlsx_bytes(&[sheet], &props)?))
}

/// A supplier register, with an interested parties sheet in about half the clients.
fn register(c: &Client, rng: &mut Rng) -> GenResult<Vec<u8>> {
    let tiers = [
        "Tier 1 - Critical",
        "Tier 2 - High",
        "Tier 3 - Medium",
        "Tier 4 - Low",
    ];
    let rows = c
        .suppliers
        .iter()
        .map(|&i| {
            let (name, service, kind) = SUPPLIERS[i];
            vec![
                s(name),
                s(service),
                s(kind),
                s(&c.sms.0),
                s(*rng.pick(&tiers)),
                s(if rng.chance(85) {
                    "Active"
                } else {
                    "Under review"
                }),
                s(if rng.chance(70) { "ISO 27001" } else { "" }),
                s("United Kingdom"),
            ]
        })
        .collect();
    let mut sheets = vec![Sheet {
        name: "Suppliers".into(),
        title_rows: vec![],
        header: [
            "Supplier",
            "Service Provided",
            "Type",
            "Contract Owner",
            "Risk Tier",
            "Contract Status",
            "Certifications",
            "Country",
        ]
        .map(String::from)
        .to_vec(),
        rows,
    }];
    if rng.chance(50) {
        let mut rows = vec![
            vec![
                s("Customers"),
                s(customer_type(c.kind)),
                s("Agreed service levels; monthly reporting"),
                s("High"),
            ],
            vec![
                s("Information Commissioner's Office"),
                s("Regulator"),
                s("UK GDPR compliance"),
                s("High"),
            ],
        ];
        for &i in c.suppliers.iter().take(3) {
            rows.push(vec![
                s(SUPPLIERS[i].0),
                s("Supplier"),
                s("Timely payment; accurate forecasts"),
                s("Medium"),
            ]);
        }
        sheets.push(Sheet {
            name: "Interested Parties".into(),
            title_rows: vec![],
            header: ["Name", "Type", "Requirements", "Influence"]
                .map(String::from)
                .to_vec(),
            rows,
        });
    }
    let props = Props {
        title: "Registers",
        author: &c.sms.0,
        company: &c.name,
        date: (2026, 1, 20),
    };
    xlsx_bytes(&sheets, &props)
}

fn customer_type(kind: usize) -> &'static str {
    match kind {
        0 => "Customer (internal)",
        1 => "Customer",
        _ => "Customer (internal and external)",
    }
}

fn scope_sentence(c: &Client) -> String {
    match c.kind {
        0 => format!("{} provides IT services only to internal customers within the organisation; no services are sold externally.", c.name),
        1 => format!("{} provides IT services exclusively to external customers under contract.", c.name),
        _ => format!("{} provides IT services to external customers and to its own internal business units.", c.name),
    }
}

/// One policy of 20-200 paragraphs: title, document control table, headed sections of prose,
/// bullet and numbered lists and a table or two.
fn policy(c: &Client, title: &str, rng: &mut Rng) -> GenResult<Vec<u8>> {
    // Body paragraphs (not those in table cells); sections may overshoot by a heading and a
    // list, so aim below 200.
    let target = rng.range(20, 185);
    let mut d = DocBuilder::new("2026-01-15T09:00:00Z");
    d.meta(title, &c.sms.0);
    let owner = format!("{}, {}", c.sms.0, c.sms.1);
    let approver = format!("{}, {}", c.sponsor.0, c.sponsor.1);
    d.title(title).kv_table(&[
        ("Title", title),
        ("Version", "1.0"),
        ("Owner", &owner),
        ("Approver", &approver),
        ("Effective date", "15 January 2026"),
        ("Review date", "15 January 2027"),
    ]);
    let mut written = 1;
    let mut section = 0;
    while written < target {
        let heading = HEADINGS[section % HEADINGS.len()];
        section += 1;
        d.h1(&format!("{section}. {heading}"));
        written += 1;
        match heading {
            "Purpose" => {
                d.p("This document applies to:");
                d.bullets(&[
                    "all employees and contractors",
                    "all services in the SMS scope",
                    "suppliers that support those services",
                ]);
                written += 4;
            }
            "Scope" => {
                d.p(&scope_sentence(c));
                written += 1;
            }
            "Roles and Responsibilities" => {
                d.table(&[
                    vec![
                        "Role".to_string(),
                        "Name".to_string(),
                        "Job title".to_string(),
                    ],
                    vec![
                        "Top management sponsor".into(),
                        c.sponsor.0.clone(),
                        c.sponsor.1.into(),
                    ],
                    vec!["SMS manager".into(), c.sms.0.clone(), c.sms.1.into()],
                ]);
                let mut rows = vec![vec!["Process".to_string(), "Owner".to_string()]];
                for (process, name, title) in &c.owners {
                    rows.push(vec![(*process).into(), format!("{name}, {title}")]);
                }
                d.table(&rows);
            }
            "Technology" => {
                d.p(&format!(
                    "We use {} for tickets and {} for monitoring; configuration items are kept in {}. Services are hosted on {} and staff collaborate in {}.",
                    c.tools[0], c.tools[1], c.tools[2], c.tools[3], c.tools[4]
                ));
                written += 1;
            }
            "Suppliers" => {
                let names: Vec<&str> = c.suppliers.iter().map(|&i| SUPPLIERS[i].0).collect();
                d.bullets(&names);
                written += names.len();
            }
            "Objectives" => {
                let items: Vec<&str> = (0..rng.range(3, 6)).map(|_| *rng.pick(&FILLER)).collect();
                d.numbered(&items);
                written += items.len();
            }
            _ => {}
        }
        let filler = rng.range(1, 8);
        for _ in 0..filler {
            if written >= target {
                break;
            }
            if rng.chance(20) {
                let items: Vec<&str> = (0..rng.range(2, 5)).map(|_| *rng.pick(&FILLER)).collect();
                d.bullets(&items);
                written += items.len();
            } else {
                let mut text = String::new();
                for k in 0..rng.range(1, 4) {
                    if k > 0 {
                        text.push(' ');
                    }
                    text.push_str(FILLER[rng.below(FILLER.len())]);
                }
                d.p(&text);
                written += 1;
            }
        }
    }
    d.bytes()
}

/// Up to four wiki pages: about, tools, maturity, contacts.
fn wiki_pages(c: &Client, rng: &mut Rng) -> Vec<(String, String)> {
    let mut about = format!(
        "---\ntitle: About {name}\nowner: {sms}\nupdated: 2026-01-{day:02}\ntags: [company]\n---\n\n# About {name}\n\n{scope}\n\n| Fact | Value |\n|---|---|\n| Name | {name} |\n| Industry | {industry} |\n| Headquarters | {city} |\n",
        name = c.name,
        sms = c.sms.0,
        day = 1 + rng.below(28),
        scope = scope_sentence(c),
        industry = c.industry,
        city = c.city,
    );
    about.push_str("\n## Services\n\n");
    for svc in [
        "Service desk",
        "Hosting",
        "Network management",
        "Backup and recovery",
        "Security monitoring",
    ]
    .iter()
    .take(rng.range(2, 5))
    {
        let _ = writeln!(about, "- {svc}");
    }
    let tools = format!(
        "---\ntitle: Tools\nowner: {sms}\n---\n\n# Tools\n\nWe use {itsm} for tickets and {mon} for monitoring.\n\n| Tool | Type |\n|---|---|\n| {itsm} | ITSM |\n| {mon} | Monitoring |\n| {cmdb} | CMDB |\n| {cloud} | Cloud platform |\n| {collab} | Collaboration |\n",
        sms = c.sms.0,
        itsm = c.tools[0],
        mon = c.tools[1],
        cmdb = c.tools[2],
        cloud = c.tools[3],
        collab = c.tools[4],
    );
    let split = rng.range(1, PROCESSES.len() - 1);
    let mut maturity = format!(
        "---\ntitle: Process maturity\nowner: {}\n---\n\n# Process maturity\n\nITIL adoption: ITIL {} for {} years.\n\n## Mature processes\n\n",
        c.sms.0,
        if rng.chance(50) { "v3" } else { "4" },
        rng.range(1, 8)
    );
    for p in &PROCESSES[..split] {
        let _ = writeln!(maturity, "- {p}");
    }
    maturity.push_str("\n## Ad hoc processes\n\n");
    for p in &PROCESSES[split..] {
        let _ = writeln!(maturity, "- {p}");
    }
    let contacts = format!(
        "---\ntitle: Key contacts\n---\n\n# Key contacts\n\n1. **Sponsor:** {}, {}\n2. **SMS manager:** {}, {}\n",
        c.sponsor.0, c.sponsor.1, c.sms.0, c.sms.1
    );
    vec![
        ("about.md".into(), about),
        ("tools.md".into(), tools),
        ("maturity.md".into(), maturity),
        ("contacts.md".into(), contacts),
    ]
}
