//! The organization profile's contract: its eight sections, the fields this tool knows, their
//! JSON Schema, and the clause references of both editions of ISO/IEC 20000-1.
//!
//! A profile travels as a `serde_json::Value` (a JSON object) so that nothing a user or another
//! tool wrote is lost: keys this module does not know survive every stage. The typed structs
//! below exist for the JSON Schema (`orgprofile schema profile`) and for putting a profile's keys
//! in their canonical order ([`canonical_order`]). [`FIELDS`] is the one table every stage reads:
//! the mapper validates rule targets against it, the merger learns which fields are lists from
//! it, the checker takes its questions from it.
//!
//! Key names follow the reference profile skill exactly (see `DOMAIN.md`). "Type I / II / III"
//! means what the reference means: internal, external, both.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The eight sections of the profile, in the order the checker reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// `organization`: name, industry, size, description, departments, services.
    Organization,
    /// `locations`: the sites in scope.
    Locations,
    /// `service_provider_type`: Type I (internal), II (external) or III (both).
    ServiceProviderType,
    /// `key_roles`: SMS manager, top management sponsor, process and service owners.
    KeyRoles,
    /// `technology`: the tools that support the service management system.
    Technology,
    /// `service_management_maturity`: ITIL adoption, mature and ad hoc processes, ITSM tools.
    ServiceManagementMaturity,
    /// `interested_parties`: customers, users, suppliers, regulators and their requirements.
    InterestedParties,
    /// `management_commitment`: certification drivers, resources, timeline, governance.
    ManagementCommitment,
}

/// Every section, in report order.
pub const SECTIONS: [Section; 8] = [
    Section::Organization,
    Section::Locations,
    Section::ServiceProviderType,
    Section::KeyRoles,
    Section::Technology,
    Section::ServiceManagementMaturity,
    Section::InterestedParties,
    Section::ManagementCommitment,
];

/// The order of the top-level keys in a written profile (the reference excerpt's order, then
/// the documented additions).
pub const KEY_ORDER: [&str; 8] = [
    "organization",
    "service_provider_type",
    "locations",
    "key_roles",
    "management_commitment",
    "service_management_maturity",
    "interested_parties",
    "technology",
];

/// Where a section sits in each edition of the standard, and why an auditor cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clauses {
    /// ISO/IEC 20000-1:2011 clause(s).
    pub clause_2011: &'static str,
    /// ISO/IEC 20000-1:2018 clause(s).
    pub clause_2018: &'static str,
    /// Why the section matters to the certification, in one sentence.
    pub why: &'static str,
}

impl Section {
    /// The section's key in the profile and its id in reports.
    pub fn id(self) -> &'static str {
        match self {
            Section::Organization => "organization",
            Section::Locations => "locations",
            Section::ServiceProviderType => "service_provider_type",
            Section::KeyRoles => "key_roles",
            Section::Technology => "technology",
            Section::ServiceManagementMaturity => "service_management_maturity",
            Section::InterestedParties => "interested_parties",
            Section::ManagementCommitment => "management_commitment",
        }
    }

    /// The section's name for people ("Interested parties").
    pub fn title(self) -> &'static str {
        match self {
            Section::Organization => "Organization",
            Section::Locations => "Locations",
            Section::ServiceProviderType => "Service provider type",
            Section::KeyRoles => "Key roles",
            Section::Technology => "Technology",
            Section::ServiceManagementMaturity => "Service management maturity",
            Section::InterestedParties => "Interested parties",
            Section::ManagementCommitment => "Management commitment",
        }
    }

    /// The section with this id, if any.
    pub fn from_id(id: &str) -> Option<Section> {
        SECTIONS.into_iter().find(|s| s.id() == id)
    }

    /// Clause references in both editions and why the section matters (DOMAIN.md).
    pub fn clauses(self) -> Clauses {
        let (clause_2011, clause_2018, why) = match self {
            Section::Organization => (
                "4.5.1",
                "4.1, 4.3",
                "The scope statement on the certificate names the organization and its services; auditors size the audit from it.",
            ),
            Section::ServiceProviderType => (
                "4.2, 7.2",
                "8.2.3, 8.3.4",
                "It decides which processes the provider must run itself; other parties may not run all of them.",
            ),
            Section::Locations => (
                "4.5.1",
                "4.3",
                "Every site in scope is audited and adds audit days.",
            ),
            Section::KeyRoles => (
                "4.1.3, 4.1.4",
                "5.3",
                "Auditors interview these people, and every process needs an owner.",
            ),
            Section::ManagementCommitment => (
                "4.1.1, 4.1.2, 4.4.1",
                "5.1, 5.2, 6.3, 7.1",
                "Top management commitment cannot be delegated to another party.",
            ),
            Section::InterestedParties => (
                "3, 7.1",
                "4.2, 8.3.2",
                "The requirements of customers, suppliers and regulators shape the SLAs and the scope.",
            ),
            Section::Technology => (
                "4.5.2 j)",
                "6.3, 7.1",
                "The tools in place decide which records the organization can produce as evidence.",
            ),
            Section::ServiceManagementMaturity => (
                "4.5.5",
                "9.1, 10.2",
                "The gap assessment rates each clause area from 0 to 5 starting from this baseline.",
            ),
        };
        Clauses {
            clause_2011,
            clause_2018,
            why,
        }
    }
}

/// Who in the client's organization can best answer a question about a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// The managing director, CEO or the SMS sponsor.
    TopManagement,
    /// The SMS manager or whoever runs service management day to day.
    SmsManager,
    /// Finance: budgets and funding.
    Finance,
    /// HR: headcount, departments, sites.
    Hr,
    /// The service desk and operations: tools and how processes really run.
    ServiceDesk,
    /// Procurement or vendor management: suppliers and contracts.
    Procurement,
}

impl Audience {
    /// A heading for a group of interview questions ("Top management").
    pub fn title(self) -> &'static str {
        match self {
            Audience::TopManagement => "Top management",
            Audience::SmsManager => "The SMS manager",
            Audience::Finance => "Finance",
            Audience::Hr => "HR",
            Audience::ServiceDesk => "The service desk and operations",
            Audience::Procurement => "Procurement and supplier management",
        }
    }
}

/// The JSON shape of a known field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A string.
    Text,
    /// A string ("120 employees") or a whole number (120).
    TextOrCount,
    /// A string that must be one of the listed values.
    Choice(&'static [&'static str]),
    /// A list of strings.
    TextList,
    /// A list of objects with these keys (a key whose name ends in `[]` holds a list of strings).
    RecordList(&'static [&'static str]),
}

impl FieldKind {
    /// Whether a candidate for this field is one item of a list rather than the whole value.
    pub fn is_list(self) -> bool {
        matches!(self, FieldKind::TextList | FieldKind::RecordList(_))
    }
}

/// What a value of a field must look like to be taken: the judge (`crate::judge`) checks every
/// candidate against its field's shape before the merge weighs it. One place defines them; the
/// rules reference (`mappings/README.md`) and `orgprofile schema shapes` show them, and a rule
/// may narrow its field's shape (`shape = "..."`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// An organization's name: a proper name of one to eight words ("Apex IT Services Ltd",
    /// "Northshire County Council"), not a sentence and not a common noun ("the Company").
    OrganizationName,
    /// A person: a personal name of two to four words, optionally with a job title after a
    /// comma, dash or in brackets ("Sarah Chen, IT Service Manager").
    Person,
    /// A post that stands for the person who holds it ("the Quality Manager", "Chief
    /// Information Officer"): the merge looks up its holder in the people the documents list.
    Post,
    /// A place: a town, city, site or building name ("Manchester", "London DC1"), not an
    /// address line, a cloud region or a sentence.
    Place,
    /// A product or tool name ("Jira Service Management", "1Password"): a few words.
    Product,
    /// A count or range ("120", "approx. 120", "100-150 employees").
    Count,
    /// A date or period ("6 months", "March 2027", "Q3 2027").
    Period,
    /// A short label: a noun phrase of a few words ("Managed IT services", "Incident
    /// management"), not a sentence.
    Label,
    /// A short statement: a phrase or one sentence ("SMS manager at 80% allocation").
    Statement,
    /// One of a fixed set of values (the provider type: Type I, II or III).
    Choice,
    /// Free text: a description or rationale of one or more sentences.
    Prose,
}

impl Shape {
    /// Every shape, in the order the docs list them.
    pub const ALL: [Shape; 11] = [
        Shape::OrganizationName,
        Shape::Person,
        Shape::Post,
        Shape::Place,
        Shape::Product,
        Shape::Count,
        Shape::Period,
        Shape::Label,
        Shape::Statement,
        Shape::Choice,
        Shape::Prose,
    ];

    /// The shape's name in rule files and reports (`organization_name`, `person`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Shape::OrganizationName => "organization_name",
            Shape::Person => "person",
            Shape::Post => "post",
            Shape::Place => "place",
            Shape::Product => "product",
            Shape::Count => "count",
            Shape::Period => "period",
            Shape::Label => "label",
            Shape::Statement => "statement",
            Shape::Choice => "choice",
            Shape::Prose => "prose",
        }
    }

    /// The shape with this name, if any.
    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// What the shape accepts, in one line for people.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::OrganizationName => {
                "a proper name of one to eight words, not a sentence or a common noun"
            }
            Shape::Person => {
                "a personal name of two to four words, optionally followed by a job title"
            }
            Shape::Post => "a job title of a few words, standing for the person who holds it",
            Shape::Place => {
                "a town, city, site or building name, not an address line, cloud region or sentence"
            }
            Shape::Product => "a product or tool name of a few words",
            Shape::Count => "a number or a range, optionally qualified (\"approx. 120\")",
            Shape::Period => "a date or a period (\"6 months\", \"March 2027\")",
            Shape::Label => "a noun phrase of a few words, not a sentence",
            Shape::Statement => "a phrase or one sentence",
            Shape::Choice => "one of the field's allowed values",
            Shape::Prose => "one or more sentences",
        }
    }

    /// Whether two values of this shape that word the same thing differently are only
    /// different evidence (prose: two documents quoting different sentences do not disagree),
    /// rather than a conflict to resolve.
    pub fn is_prose(self) -> bool {
        self == Shape::Prose
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A field of the profile this tool knows: where it is, its shape, and how to ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// JSON pointer of the field, e.g. `/organization/name` or `/locations`.
    pub pointer: &'static str,
    /// The section the field belongs to.
    pub section: Section,
    /// Its JSON shape.
    pub kind: FieldKind,
    /// What a value must look like: for a record list, the shape of the record's name (its
    /// first key); [`FieldSpec::members`] gives the other keys' shapes.
    pub shape: Shape,
    /// For a record list: the shapes of its other keys that the judge checks
    /// (`("owner", Shape::Person)`); keys not listed are not checked.
    pub members: &'static [(&'static str, Shape)],
    /// A short name for people ("legal name").
    pub label: &'static str,
    /// The interview question that fills it, phrased for the client.
    pub question: &'static str,
    /// Who to ask.
    pub ask: Audience,
}

/// Fields that give the reason for another field's value: the merge takes the reason the
/// document that decided the other field gives (the classification rationale goes with the
/// classification).
pub const EXPLAINS: &[(&str, &str)] = &[(
    "/service_provider_type/rationale",
    "/service_provider_type/classification",
)];

impl FieldSpec {
    /// The shape of a record key (`None` for the record's name: [`FieldSpec::shape`]), if it
    /// is checked.
    pub fn member_shape(&self, key: &str) -> Option<Shape> {
        self.members
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| *s)
    }

    /// Free-text evidence (the organization's description, the rationale of its
    /// classification): two documents that word it differently quote different evidence, they
    /// do not disagree. The merger keeps the other wordings as alternatives and never reports
    /// them as a conflict; for every other field, two different values are a conflict.
    pub fn is_prose(&self) -> bool {
        self.shape.is_prose()
    }
}

/// The valid service provider classifications (the reference skill's meaning).
pub const CLASSIFICATIONS: &[&str] = &["Type I", "Type II", "Type III"];

/// Choices that are the sum of two others: evidence for both parts, from one document or from
/// several, is evidence for the whole. Internal customers (Type I) and external customers
/// (Type II) both served is Type III.
pub const CHOICE_SUMS: &[(&str, [&str; 2])] = &[("Type III", ["Type I", "Type II"])];
/// Location types.
pub const LOCATION_TYPES: &[&str] = &["headquarters", "office", "data_center", "remote"];
/// Interested party types.
pub const PARTY_TYPES: &[&str] = &[
    "customer",
    "user",
    "supplier",
    "regulator",
    "internal",
    "partner",
];
/// Words that name kinds of interested party rather than a party ("customers", "all staff",
/// "government entities"). Where the documents name specific parties, the profile lists those
/// and only suggests the kinds (see `crate::merge`).
pub const PARTY_KIND_WORDS: &[&str] = &[
    "customer",
    "customers",
    "client",
    "clients",
    "employee",
    "employees",
    "staff",
    "workforce",
    "contractor",
    "contractors",
    "subcontractor",
    "subcontractors",
    "sub",
    "partner",
    "partners",
    "vendor",
    "vendors",
    "supplier",
    "suppliers",
    "shareholder",
    "shareholders",
    "investor",
    "investors",
    "regulator",
    "regulators",
    "government",
    "entities",
    "agencies",
    "auditor",
    "auditors",
    "user",
    "users",
    "end",
    "member",
    "members",
    "student",
    "students",
    "patient",
    "patients",
    "resident",
    "residents",
    "citizen",
    "citizens",
    "public",
    "board",
    "developer",
    "developers",
    "contracted",
    "consultant",
    "consultants",
    "volunteer",
    "volunteers",
    "third",
    "parties",
    "party",
    "all",
    "our",
    "its",
    "other",
    "external",
    "internal",
    "key",
    "relevant",
    "the",
    "and",
    "of",
    "stakeholders",
    "interested",
];

/// Common technology types; rule files may use others.
pub const TECHNOLOGY_TYPES: &[&str] = &[
    "itsm",
    "monitoring",
    "cmdb",
    "cloud_platform",
    "network",
    "collaboration",
    "security",
    "other",
];

macro_rules! field {
    ($pointer:literal, $section:ident, $kind:expr, $shape:ident, $label:literal, $ask:ident, $question:literal) => {
        field!($pointer, $section, $kind, $shape [], $label, $ask, $question)
    };
    ($pointer:literal, $section:ident, $kind:expr, $shape:ident [$(($m:literal, $ms:ident)),*], $label:literal, $ask:ident, $question:literal) => {
        FieldSpec {
            pointer: $pointer,
            section: Section::$section,
            kind: $kind,
            shape: Shape::$shape,
            members: &[$(($m, Shape::$ms)),*],
            label: $label,
            question: $question,
            ask: Audience::$ask,
        }
    };
}

/// Every field this tool reads, maps, merges and checks, in canonical order.
pub const FIELDS: &[FieldSpec] = &[
    field!("/organization/name", Organization, FieldKind::Text, OrganizationName, "legal name", TopManagement,
        "What is the organization's full legal name, as it should appear on the certificate?"),
    field!("/organization/industry", Organization, FieldKind::Text, Label, "industry", TopManagement,
        "Which industry or sector does the organization work in?"),
    field!("/organization/size", Organization, FieldKind::TextOrCount, Count, "size", Hr,
        "How many people does the organization employ (headcount, and roughly how many work on IT services)?"),
    field!("/organization/description", Organization, FieldKind::Text, Prose, "description", TopManagement,
        "In two or three sentences, what does the organization do and for whom?"),
    field!("/organization/departments", Organization, FieldKind::TextList, Label, "departments", Hr,
        "Which departments or teams does the organization have?"),
    field!("/organization/services", Organization, FieldKind::TextList, Label, "services", SmsManager,
        "Which IT services do you deliver, and to whom?"),
    field!("/service_provider_type/classification", ServiceProviderType,
        FieldKind::Choice(CLASSIFICATIONS), Choice, "service provider type", TopManagement,
        "Do you provide IT services to internal customers only (Type I), external customers only (Type II), or both (Type III)?"),
    field!("/service_provider_type/rationale", ServiceProviderType, FieldKind::Text, Prose,
        "classification rationale", TopManagement,
        "Who are the customers of your IT services: parts of your own organization, other companies, or both?"),
    field!("/locations", Locations, FieldKind::RecordList(&["name", "type", "country"]), Place, "locations", Hr,
        "Which sites are in scope (head office, offices, data centres, remote working), and in which countries?"),
    field!("/key_roles/sms_manager", KeyRoles, FieldKind::Text, Person, "SMS manager", TopManagement,
        "Who manages the service management system day to day (name and job title)?"),
    field!("/key_roles/top_management_sponsor", KeyRoles, FieldKind::Text, Person,
        "top management sponsor", TopManagement,
        "Who in top management sponsors the service management system (name and job title)?"),
    field!("/key_roles/process_owners", KeyRoles, FieldKind::RecordList(&["process", "owner"]), Label [("owner", Person)],
        "process owners", SmsManager,
        "Who owns each service management process (incident, change, problem, and so on)?"),
    field!("/key_roles/service_owners", KeyRoles, FieldKind::RecordList(&["service", "owner"]), Label [("owner", Person)],
        "service owners", SmsManager,
        "Who owns each service you deliver?"),
    field!("/management_commitment/certification_drivers", ManagementCommitment,
        FieldKind::TextList, Statement, "certification drivers", TopManagement,
        "Why are you seeking ISO/IEC 20000-1 certification (customer requirements, tenders, process improvement)?"),
    field!("/management_commitment/resource_allocation/dedicated_personnel", ManagementCommitment,
        FieldKind::Text, Statement, "dedicated personnel", TopManagement,
        "Who will work on the service management system, and for what share of their time?"),
    field!("/management_commitment/resource_allocation/external_support", ManagementCommitment,
        FieldKind::Text, Statement, "external support", TopManagement,
        "Will you use external support (a consultant, training) for the certification?"),
    field!("/management_commitment/resource_allocation/budget", ManagementCommitment,
        FieldKind::Text, Statement, "budget", Finance,
        "Is there an approved budget for the certification, and how large is it?"),
    field!("/management_commitment/target_timeline/stage_1_audit", ManagementCommitment,
        FieldKind::Text, Period, "Stage 1 audit target", TopManagement,
        "When do you aim to hold the Stage 1 audit?"),
    field!("/management_commitment/target_timeline/stage_2_audit", ManagementCommitment,
        FieldKind::Text, Period, "Stage 2 audit target", TopManagement,
        "When do you aim to hold the Stage 2 (certification) audit?"),
    field!("/management_commitment/governance_structure", ManagementCommitment, FieldKind::Text, Prose,
        "governance structure", TopManagement,
        "How is the service management system governed (steering group, management review, who chairs it)?"),
    field!("/service_management_maturity/itil_adoption", ServiceManagementMaturity, FieldKind::Text, Label,
        "ITIL adoption", SmsManager,
        "Have you adopted ITIL or another framework, which version, how formally, and for how long?"),
    field!("/service_management_maturity/mature_processes", ServiceManagementMaturity,
        FieldKind::TextList, Label, "mature processes", SmsManager,
        "Which service management processes are documented and followed consistently today?"),
    field!("/service_management_maturity/ad_hoc_processes", ServiceManagementMaturity,
        FieldKind::TextList, Label, "ad hoc processes", SmsManager,
        "Which processes happen informally or not at all yet?"),
    field!("/service_management_maturity/itsm_tools", ServiceManagementMaturity, FieldKind::TextList, Product,
        "ITSM tools", ServiceDesk,
        "Which tools do you use for tickets, monitoring and the CMDB?"),
    field!("/interested_parties", InterestedParties,
        FieldKind::RecordList(&["name", "type", "requirements[]"]), Label [("requirements", Statement)], "interested parties", SmsManager,
        "Who are your key customers, suppliers, regulators and other interested parties, and what do they require of your services?"),
    field!("/technology", Technology, FieldKind::RecordList(&["name", "type"]), Product, "technology", ServiceDesk,
        "Which tools and platforms support your services (ITSM, monitoring, CMDB, cloud, network, collaboration)?"),
];

/// The shapes for people: each shape's name, what it accepts, and the fields (and record keys)
/// it checks; what `orgprofile schema shapes` prints.
pub fn shapes_text() -> String {
    let mut out = String::from(
        "Shapes: what a value must look like to be taken. A rule may narrow its field's shape \
         with `shape = \"NAME\"`.\n",
    );
    for shape in Shape::ALL {
        out.push_str(&format!("\n{}: {}\n", shape.name(), shape.describe()));
        for f in FIELDS {
            if f.shape == shape {
                out.push_str(&format!("  {} ({})\n", f.pointer, f.label));
            }
            for (key, s) in f.members {
                if *s == shape {
                    out.push_str(&format!("  {} key `{key}`\n", f.pointer));
                }
            }
        }
    }
    out
}

/// The field with this JSON pointer, if this tool knows it.
pub fn field(pointer: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|f| f.pointer == pointer)
}

/// Who holds which post: the people an org chart or staff list names, `{name, title}`. Not a
/// field of the profile: rules may target it, and the merge reads it to know who "the Quality
/// Manager" or "Hannah" is, then drops it.
pub const PEOPLE: FieldSpec = field!(
    "/people",
    KeyRoles,
    FieldKind::RecordList(&["name", "title"]),
    Person,
    "people",
    Hr,
    "Who works in the organization (name and job title)?"
);

/// What a mapping rule may target: a field of the profile, or [`PEOPLE`].
pub fn target(pointer: &str) -> Option<&'static FieldSpec> {
    field(pointer).or_else(|| (pointer == PEOPLE.pointer).then_some(&PEOPLE))
}

/// A checker requirement that any one of several fields satisfies: "existing processes" (mature
/// or ad hoc) and "resource allocation" (people, external support or budget). The checker
/// reports a gap in the group at [`FieldGroup::pointer`], with the group's own question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldGroup {
    /// JSON pointer the checker reports the group's gap at.
    pub pointer: &'static str,
    /// The section the group belongs to.
    pub section: Section,
    /// The fields that can satisfy the group (pointers of [`FIELDS`] entries or, for an object
    /// group, the object whose values count).
    pub members: &'static [&'static str],
    /// A short name for people ("existing processes").
    pub label: &'static str,
    /// The interview question that fills the group, phrased for the client.
    pub question: &'static str,
    /// Who to ask.
    pub ask: Audience,
}

/// The field groups the checker knows, in canonical order.
pub const FIELD_GROUPS: &[FieldGroup] = &[
    FieldGroup {
        pointer: "/service_management_maturity/mature_processes",
        section: Section::ServiceManagementMaturity,
        members: &[
            "/service_management_maturity/mature_processes",
            "/service_management_maturity/ad_hoc_processes",
        ],
        label: "existing processes",
        question: "Which service management processes do you run today: which are documented and followed consistently, and which happen informally?",
        ask: Audience::SmsManager,
    },
    FieldGroup {
        pointer: "/management_commitment/resource_allocation",
        section: Section::ManagementCommitment,
        members: &[
            "/management_commitment/resource_allocation/dedicated_personnel",
            "/management_commitment/resource_allocation/external_support",
            "/management_commitment/resource_allocation/budget",
        ],
        label: "resource allocation",
        question: "What resources are committed to the certification: people and their share of time, external support, and budget?",
        ask: Audience::TopManagement,
    },
];

/// The field group reported at this pointer, or having this pointer as a member, if any.
pub fn field_group(pointer: &str) -> Option<&'static FieldGroup> {
    FIELD_GROUPS
        .iter()
        .find(|g| g.pointer == pointer || g.members.contains(&pointer))
}

/// The largest profile file `orgprofile` reads (16 MiB); a real profile is a few kilobytes.
pub const MAX_PROFILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why bytes are not a profile.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The bytes are not JSON (or not UTF-8); the message carries serde_json's line and column.
    #[error("not JSON: {0}")]
    NotJson(#[from] serde_json::Error),
    /// Valid JSON, but not an object (`[...]`, a string, a number, ...).
    #[error("not a JSON object (found {found}); a profile is an object such as {{\"organization\": {{...}}}}")]
    NotObject {
        /// The JSON type found ("a list", "a string", ...).
        found: &'static str,
    },
    /// Larger than [`MAX_PROFILE_BYTES`].
    #[error(
        "too large: over {max} bytes, while a profile is a few kilobytes; is this the right file?"
    )]
    TooLarge {
        /// The size seen.
        size: u64,
        /// The limit.
        max: u64,
    },
}

/// Parses a profile file's bytes: a JSON object, with an optional UTF-8 byte order mark (as
/// Windows tools write). Does no I/O; the caller names the file in its message.
pub fn parse_profile(bytes: &[u8]) -> Result<Value, ProfileError> {
    if bytes.len() as u64 > MAX_PROFILE_BYTES {
        return Err(ProfileError::TooLarge {
            size: bytes.len() as u64,
            max: MAX_PROFILE_BYTES,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes)?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(ProfileError::NotObject {
            found: json_type(&value),
        })
    }
}

/// The JSON type of a value for messages: "null", "a boolean", "a number", "a string", "a list",
/// "an object".
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reorders a profile's keys into the canonical order (reference order first; keys this tool does
/// not know keep their relative order after the known ones). Values are never changed or dropped.
pub fn canonical_order(profile: &mut Value) {
    let Value::Object(map) = profile else { return };
    let mut ordered = Map::new();
    for key in KEY_ORDER {
        if let Some(v) = map.remove(key) {
            ordered.insert(key.to_string(), v);
        }
    }
    ordered.append(map);
    *map = ordered;
    for (key, value) in map.iter_mut() {
        if let Some(schema_order) = nested_order(key) {
            if let Value::Object(inner) = value {
                let mut ordered = Map::new();
                for k in schema_order {
                    if let Some(v) = inner.remove(*k) {
                        ordered.insert((*k).to_string(), v);
                    }
                }
                ordered.append(inner);
                *inner = ordered;
            }
        }
    }
}

fn nested_order(section: &str) -> Option<&'static [&'static str]> {
    Some(match section {
        "organization" => &[
            "name",
            "industry",
            "size",
            "description",
            "departments",
            "services",
        ],
        "service_provider_type" => &["classification", "rationale"],
        "key_roles" => &[
            "sms_manager",
            "top_management_sponsor",
            "process_owners",
            "service_owners",
        ],
        "management_commitment" => &[
            "certification_drivers",
            "resource_allocation",
            "target_timeline",
            "governance_structure",
        ],
        "service_management_maturity" => &[
            "itil_adoption",
            "mature_processes",
            "ad_hoc_processes",
            "itsm_tools",
        ],
        _ => return None,
    })
}

// ---- Typed model, for the JSON Schema ----------------------------------------------------------

/// An ISO/IEC 20000-1 organization profile. Every section is optional (a draft has gaps), and
/// every object accepts keys beyond the ones listed: they are kept as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Profile {
    /// Who the organization is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Type I (internal customers only), Type II (external only) or Type III (both).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_provider_type: Option<ServiceProviderType>,
    /// Sites in scope.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
    /// The people auditors will interview.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_roles: Option<KeyRoles>,
    /// Why and with what resources the organization seeks certification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub management_commitment: Option<ManagementCommitment>,
    /// Where service management stands today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_management_maturity: Option<ServiceManagementMaturity>,
    /// Customers, users, suppliers, regulators, partners and internal parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interested_parties: Vec<InterestedParty>,
    /// Tools and platforms that support the SMS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub technology: Vec<Technology>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `organization` section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Organization {
    /// Legal name, as on the certificate ("Apex IT Services Ltd").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Industry or sector ("Managed IT Services").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Headcount, as text ("120 employees") or a number (120).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<Size>,
    /// What the organization does and for whom.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Departments or teams.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
    /// The services the organization offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A headcount: text or a whole number.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Size {
    /// A number of employees.
    Count(u64),
    /// A description such as "120 employees".
    Text(String),
}

/// The `service_provider_type` section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ServiceProviderType {
    /// `Type I` (internal), `Type II` (external) or `Type III` (both).
    #[schemars(extend("enum" = ["Type I", "Type II", "Type III"]))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<String>,
    /// Why, in the organization's own words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One site.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// Name of the site ("Manchester HQ").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `headquarters`, `office`, `data_center` or `remote`.
    #[schemars(extend("enum" = ["headquarters", "office", "data_center", "remote"]))]
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Country of the site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `key_roles` section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct KeyRoles {
    /// "Name, Job title" of the SMS manager.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sms_manager: Option<String>,
    /// "Name, Job title" of the top management sponsor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_management_sponsor: Option<String>,
    /// Owner of each process.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub process_owners: Vec<ProcessOwner>,
    /// Owner of each service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_owners: Vec<ServiceOwner>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A process and its owner.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ProcessOwner {
    /// The process ("Incident and service request management").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// "Name, Job title".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A service and its owner.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ServiceOwner {
    /// The service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// "Name, Job title".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `management_commitment` section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ManagementCommitment {
    /// Why the organization seeks certification.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certification_drivers: Vec<String>,
    /// People, external help and budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ResourceAllocation>,
    /// Target dates of the audits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_timeline: Option<TargetTimeline>,
    /// How the SMS is governed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub governance_structure: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `management_commitment.resource_allocation`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ResourceAllocation {
    /// "SMS manager at 80% allocation".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedicated_personnel: Option<String>,
    /// "External consultant for Stage 1 readiness".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_support: Option<String>,
    /// "Dedicated certification budget approved".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `management_commitment.target_timeline`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct TargetTimeline {
    /// "6 months".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_1_audit: Option<String>,
    /// "9 months".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_2_audit: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The `service_management_maturity` section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ServiceManagementMaturity {
    /// "ITIL v3 informal adoption — 2 years".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub itil_adoption: Option<String>,
    /// Processes that are documented and followed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mature_processes: Vec<String>,
    /// Processes that run informally or not at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ad_hoc_processes: Vec<String>,
    /// ITSM tools in use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub itsm_tools: Vec<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One interested party.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct InterestedParty {
    /// Name ("NorthBank plc").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `customer`, `user`, `supplier`, `regulator`, `internal` or `partner`.
    #[schemars(extend("enum" = ["customer", "user", "supplier", "regulator", "internal", "partner"]))]
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What the party requires of the services.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One tool or platform.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Technology {
    /// Product name ("Jira Service Management").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Kind of tool: itsm, monitoring, cmdb, cloud_platform, network, collaboration, ...
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Keys this tool does not know; kept as they are.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The profile's JSON Schema (draft 2020-12), as `orgprofile schema profile` prints it.
pub fn json_schema() -> Value {
    serde_json::to_value(schemars::schema_for!(Profile)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_has_fields_and_every_field_a_question() {
        for section in SECTIONS {
            assert!(
                FIELDS.iter().any(|f| f.section == section),
                "{section:?} has no field"
            );
        }
        for f in FIELDS {
            assert!(f.pointer.starts_with('/'), "{}", f.pointer);
            assert!(f.question.ends_with('?'), "{}", f.pointer);
            let top = f.pointer.split('/').nth(1).unwrap();
            assert_eq!(Section::from_id(top), Some(f.section), "{}", f.pointer);
        }
    }

    #[test]
    fn canonical_order_keeps_unknown_keys_after_known_ones() {
        let mut v = serde_json::json!({
            "x_custom": {"a": 1},
            "technology": [],
            "organization": {"zz": true, "name": "Apex"}
        });
        canonical_order(&mut v);
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["organization", "technology", "x_custom"]);
        let org: Vec<_> = v["organization"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(org, ["name", "zz"]);
    }

    #[test]
    fn field_groups_are_made_of_known_fields() {
        for g in FIELD_GROUPS {
            assert!(g.question.ends_with('?'), "{}", g.pointer);
            assert_eq!(field_group(g.pointer), Some(g));
            for m in g.members {
                let spec = field(m).unwrap();
                assert_eq!(spec.section, g.section, "{m}");
                assert_eq!(field_group(m), Some(g));
            }
        }
    }

    #[test]
    fn parse_profile_wants_a_json_object() {
        assert!(parse_profile(b"{}").is_ok());
        assert!(parse_profile(b"\xEF\xBB\xBF{\"a\": 1}").is_ok());
        let e = parse_profile(b"[]").unwrap_err().to_string();
        assert!(e.starts_with("not a JSON object (found a list)"), "{e}");
        let e = parse_profile(b"{\n\"a\": }").unwrap_err().to_string();
        assert_eq!(e, "not JSON: expected value at line 2 column 6");
        let big = vec![b' '; MAX_PROFILE_BYTES as usize + 1];
        assert!(matches!(
            parse_profile(&big),
            Err(ProfileError::TooLarge { .. })
        ));
    }

    #[test]
    fn schema_names_every_section() {
        let schema = json_schema().to_string();
        for key in KEY_ORDER {
            assert!(schema.contains(key), "{key}");
        }
    }
}
