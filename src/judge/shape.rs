//! Whether a value fits its field's [`Shape`]: a person's name for a person, a place for a
//! place, a few words for a short label. Takes a shape and a value's text; gives the factors
//! that raise or lower the value's weight, or the reason it does not fit at all. Knows nothing
//! of where the value was found (that is `context`'s job).

use super::Factor;
use crate::profile::Shape;

/// Longest short label, statement and prose value, in characters.
const MAX_LABEL: usize = 80;
const MAX_STATEMENT: usize = 320;
const MAX_PROSE: usize = 6_000;

/// Checks `text` against `shape`: `Ok` with the factors (possibly none) when it fits, `Err`
/// with the reason in words when it does not.
pub fn fit(shape: Shape, text: &str) -> Result<Vec<Factor>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty".into());
    }
    match shape {
        Shape::OrganizationName => organization_name(t),
        Shape::Person => person(t),
        Shape::Post => post(t),
        Shape::Place => place(t),
        Shape::Product => short(t, 6, 60, "a product name"),
        Shape::Count => count(t),
        Shape::Period => period(t),
        Shape::Label => short(t, 10, MAX_LABEL, "a short label"),
        Shape::Statement => statement(t),
        Shape::Choice => Ok(Vec::new()),
        Shape::Prose => {
            if t.chars().count() > MAX_PROSE {
                Err(format!("longer than {MAX_PROSE} characters"))
            } else {
                Ok(Vec::new())
            }
        }
    }
}

/// The words of a text, split at whitespace, without the punctuation around them.
fn words(t: &str) -> Vec<&str> {
    t.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words that make a text a clause rather than a name or label: finite verbs and auxiliaries
/// that names and noun phrases do not contain.
const CLAUSE_WORDS: &[&str] = &[
    "is", "are", "was", "were", "shall", "will", "would", "should", "must", "may", "can", "could",
    "has", "have", "had", "means", "mean", "includes", "include", "provides", "ensures", "ensure",
    "refers", "defined", "does", "do", "did", "being", "been", "am",
];

/// The clause word a text holds, if any.
fn clause_word(t: &str) -> Option<&'static str> {
    words(t).iter().find_map(|w| {
        let lower = w.to_lowercase();
        CLAUSE_WORDS.iter().copied().find(|c| *c == lower)
    })
}

/// Whether a text has a full stop inside it that ends a sentence ("... so. The ..."), not an
/// abbreviation ("Ltd.", "B.V.", "St.").
fn has_inner_sentence_end(t: &str) -> bool {
    let b = t.as_bytes();
    t.match_indices(". ").any(|(i, _)| {
        let before = t[..i].rsplit(' ').next().unwrap_or("");
        let next_upper = b.get(i + 2).is_some_and(u8::is_ascii_uppercase);
        before.chars().count() > 3 && !before.contains('.') && next_upper
    })
}

fn short(t: &str, max_words: usize, max_chars: usize, what: &str) -> Result<Vec<Factor>, String> {
    if t.ends_with(':') {
        return Err(format!("a form's field label, not {what}"));
    }
    if t.chars().count() > max_chars || words(t).len() > max_words {
        return Err(format!("a sentence or passage, not {what}"));
    }
    // "the University's faculties" cut short: a possessive, not a name.
    if t.ends_with("'s") || t.ends_with("\u{2019}s") {
        return Err(format!("a possessive, not {what}"));
    }
    // "Stakeholders we considered": a clause with its own subject.
    if let Some(w) = words(t)
        .into_iter()
        .find(|w| ["we", "they"].iter().any(|p| w.eq_ignore_ascii_case(p)))
    {
        return Err(format!("a clause (\"{w}\"), not {what}"));
    }
    if let Some(w) = clause_word(t) {
        if words(t).len() > 2 {
            return Err(format!("a clause (\"{w}\"), not {what}"));
        }
    }
    if has_inner_sentence_end(t) {
        return Err(format!("more than one sentence, not {what}"));
    }
    Ok(Vec::new())
}

fn statement(t: &str) -> Result<Vec<Factor>, String> {
    if t.ends_with(':') {
        return Err("a form's field label, not a statement".into());
    }
    if t.chars().count() > MAX_STATEMENT {
        return Err(format!(
            "a passage of over {MAX_STATEMENT} characters, not one statement"
        ));
    }
    Ok(Vec::new())
}

/// Words of document titles and policy topics: a "name" made only of them ("Access Control",
/// "Information Security") is a topic, not an organization.
const TOPIC_WORDS: &[&str] = &[
    // A unit of the organization, not its name: "Network Operations Centre", "IT Support".
    "operations",
    "centre",
    "center",
    "support",
    "infrastructure",
    "department",
    "team",
    "noc",
    "group",
    "it",
    "ict",
    "access",
    "control",
    "controls",
    "acceptable",
    "use",
    "security",
    "information",
    "data",
    "privacy",
    "password",
    "passwords",
    "backup",
    "backups",
    "incident",
    "incidents",
    "response",
    "change",
    "changes",
    "management",
    "risk",
    "risks",
    "vendor",
    "vendors",
    "supplier",
    "suppliers",
    "business",
    "continuity",
    "disaster",
    "recovery",
    "asset",
    "assets",
    "encryption",
    "network",
    "remote",
    "working",
    "mobile",
    "device",
    "devices",
    "physical",
    "human",
    "resources",
    "code",
    "conduct",
    "ethics",
    "training",
    "awareness",
    "policy",
    "policies",
    "procedure",
    "procedures",
    "standard",
    "standards",
    "plan",
    "plans",
    "program",
    "programme",
    "service",
    "services",
    "employee",
    "employees",
    "staff",
    "handbook",
    "guide",
    "clean",
    "desk",
    "email",
    "internet",
    "social",
    "media",
    "travel",
    "expense",
    "expenses",
    "leave",
    "holiday",
    "health",
    "safety",
    "quality",
    "environmental",
    "retention",
    "classification",
    "handling",
    "logging",
    "monitoring",
    "vulnerability",
    "patch",
    "patching",
    "configuration",
    "system",
    "systems",
    "software",
    "development",
    "secure",
    "third",
    "party",
    "cloud",
    "audit",
    "audits",
    "compliance",
    "legal",
    "records",
    "document",
    "documents",
    "onboarding",
    "offboarding",
    "home",
    "it",
    "ict",
    "general",
    "overview",
    "introduction",
    "team",
    "teams",
    "company",
    "organization",
    "organisation",
    "our",
    "the",
    "and",
    "of",
    "new",
    "hire",
    "hires",
    "welcome",
    "about",
    "us",
    "key",
    "facts",
    "operations",
    "office",
    "workplace",
    "virtual",
    "engineering",
    "product",
    "products",
    "customer",
    "customers",
    "support",
    "sales",
    "marketing",
    "finance",
    "people",
    "culture",
    "values",
    "mission",
    "vision",
    "strategy",
    "governance",
    "roles",
    "responsibilities",
    "scope",
    "purpose",
    "references",
    "appendix",
    "definitions",
    "glossary",
    "contents",
    "table",
    "summary",
    "report",
    "review",
    "register",
    "log",
    "template",
    "form",
    "manual",
    "wiki",
    "intranet",
    "playbook",
    "guidebook",
    "handbooks",
    "guidelines",
    "guideline",
    "protection",
    "breach",
    "notification",
    "facility",
    "facilities",
    "contingency",
    "integrity",
    "availability",
    "confidentiality",
    "cryptography",
    "cryptographic",
    "key",
    "keys",
    "identity",
    "account",
    "accounts",
    "authentication",
    "authorization",
    "sdlc",
    "lifecycle",
    "cookie",
    "cookies",
    "annex",
    "faq",
    "faqs",
    "notice",
    "terms",
    "conditions",
    "statement",
];

/// Words of standards, laws and frameworks: a name holding one is not an organization's.
const STANDARD_WORDS: &[&str] = &[
    "iso", "iec", "nist", "soc", "hipaa", "hitrust", "gdpr", "pci", "dss", "itil", "cobit",
    "fedramp", "sox", "ccpa", "fisma", "cmmc", "nis2", "dora",
];

/// Legal-entity suffixes: a name that ends in one names a company.
const LEGAL_SUFFIXES: &[&str] = &[
    "ltd",
    "bhd",
    "limited",
    "plc",
    "llp",
    "llc",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "sàrl",
    "bv",
    "nv",
    "pty",
    "spa",
    "srl",
    "oy",
    "ab",
    "as",
    "aps",
    "se",
    "sl",
    "slu",
    "bvba",
    "cic",
    "lp",
    "cv",
    "dac",
    "ltda",
];

/// Nouns that end a public body's name.
const PUBLIC_BODIES: &[&str] = &[
    "council",
    "university",
    "college",
    "trust",
    "authority",
    "agency",
    "department",
    "ministry",
    "police",
    "service",
    "board",
    "commission",
    "institute",
    "school",
    "hospital",
];

/// Kinds of body that open a name in French, Spanish, Italian and Portuguese, whose other
/// words may be in lower case ("Institut alpin de recherche environnementale", "Port autonome
/// du Val-de-Meuse", "Caja rural de Almenara").
const KINDS_NAMED_FIRST: &[&str] = &[
    "institut",
    "instituto",
    "istituto",
    "port",
    "porto",
    "puerto",
    "université",
    "universidad",
    "università",
    "universidade",
    "hôpital",
    "hospital",
    "ospedale",
    "centre",
    "centro",
    "agence",
    "agencia",
    "agenzia",
    "office",
    "oficina",
    "société",
    "sociedad",
    "società",
    "sociedade",
    "caisse",
    "caja",
    "cassa",
    "caixa",
    "banque",
    "banco",
    "banca",
    "régie",
    "établissement",
    "ente",
    "consorzio",
    "consorcio",
    "ayuntamiento",
    "comune",
    "commune",
    "ville",
    "câmara",
    "municipalidad",
    "fondation",
    "fundación",
    "fondazione",
    "fundação",
    "association",
    "asociación",
    "associazione",
    "associação",
    "syndicat",
    "mutuelle",
    "groupe",
    "grupo",
    "gruppo",
    "autorité",
    "autoridad",
    "autorità",
    "conseil",
    "consejo",
    "consiglio",
    "servicio",
    "servizio",
    "serviço",
    "direction",
    "dirección",
    "direzione",
    "laboratoire",
    "laboratoires",
    "laboratorio",
    "empresa",
    "compagnie",
    "compañía",
    "compagnia",
    "companhia",
    "école",
    "escuela",
    "scuola",
    "escola",
    "collège",
    "colegio",
    "lycée",
    "conservatoire",
    "musée",
    "museo",
    "théâtre",
    "teatro",
    "organisme",
    "organismo",
    "entreprise",
    "coopérative",
    "cooperativa",
    "mairie",
    "département",
    "región",
    "regione",
    "région",
    "provincia",
];

/// Words of a job title after a name: "Gerente General", "Managing Director", "CEO".
const JOB_WORDS: &[&str] = &[
    "manager",
    "director",
    "directeur",
    "directrice",
    "gerente",
    "geschäftsführer",
    "geschäftsführerin",
    "directeur-generaal",
    "ceo",
    "cio",
    "cto",
    "coo",
    "cfo",
    "president",
    "head",
    "officer",
    "chief",
    "secretary",
    "chair",
    "chairman",
    "consultant",
    "founder",
];

/// Common nouns that stand for "the organization" in policies and definitions: never a name.
const GENERIC_NAMES: &[&str] = &[
    "organization",
    "organisation",
    "the organization",
    "the organisation",
    "company",
    "the company",
    "client",
    "the client",
    "customer",
    "the customer",
    "supplier",
    "vendor",
    "provider",
    "the provider",
    "service provider",
    "the service provider",
    "business",
    "firm",
    "entity",
    "the entity",
    "we",
    "us",
    "our company",
    "our organization",
    "our organisation",
    "employer",
    "the employer",
    "group",
    "the group",
    "name",
    "company name",
    "organization name",
    "organisation name",
    "legal name",
    "covered entity",
    "business associate",
];

/// Whether a name's last word is a legal-entity suffix ("Apex IT Services Ltd", "Datica
/// Health, Inc", "Acme B.V.").
pub fn has_legal_suffix(t: &str) -> bool {
    words(t).last().is_some_and(|w| {
        let w: String = w
            .chars()
            .filter(|c| *c != '.')
            .collect::<String>()
            .to_lowercase();
        LEGAL_SUFFIXES.contains(&w.as_str())
    })
}

fn organization_name(t: &str) -> Result<Vec<Factor>, String> {
    let ws = words(t);
    if ws.is_empty() || ws.len() > 10 || t.chars().count() > 100 {
        return Err("too long for a name".into());
    }
    let lower = t.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    // "The University", "the Trust": a common noun with its article.
    let the_noun = ws.len() == 2 && ws.first().is_some_and(|w| w.eq_ignore_ascii_case("the"));
    if GENERIC_NAMES.contains(&bare) || the_noun {
        return Err(format!("\"{t}\" is a common noun, not a name"));
    }
    if t.contains(['"', '\u{201c}', '\u{201d}']) {
        return Err("holds a quotation, not a name".into());
    }
    // "Andrés Ospina – Gerente General" (a signature under a "Firma:" label): a person with
    // a job title.
    let titled = [" \u{2013} ", " \u{2014} ", " - ", ", "].iter().any(|sep| {
        t.split_once(sep).is_some_and(|(_, tail)| {
            words(tail)
                .iter()
                .any(|w| JOB_WORDS.contains(&w.to_lowercase().as_str()))
        })
    });
    if titled {
        return Err("a person with a job title, not an organization".into());
    }
    if let Some(w) = clause_word(t) {
        return Err(format!("a clause (\"{w}\"), not a name"));
    }
    if has_inner_sentence_end(t) || t.ends_with(':') {
        return Err("a sentence, not a name".into());
    }
    let topic = |w: &str| {
        let lower = w.to_lowercase();
        TOPIC_WORDS.contains(&lower.as_str())
            || lower.chars().count() == 1
            || lower.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
    };
    if ws.iter().all(|w| topic(w)) {
        return Err(format!(
            "\"{t}\" names a topic or document, not an organization"
        ));
    }
    if ws
        .iter()
        .any(|w| STANDARD_WORDS.contains(&w.to_lowercase().as_str()))
    {
        return Err(format!(
            "\"{t}\" names a standard or law, not an organization"
        ));
    }
    let first = t.chars().next().unwrap_or(' ');
    let second_upper = t.chars().nth(1).is_some_and(char::is_uppercase);
    if first.is_lowercase() && !second_upper {
        return Err("starts in lower case, as names do not".into());
    }
    let capitalised = ws
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        })
        .count();
    // French, Spanish, Italian and Portuguese names capitalise their first word only when it
    // says what kind of body it is ("Institut alpin de recherche environnementale").
    let kind_first = ws.len() >= 2
        && ws.first().is_some_and(|w| {
            w.starts_with(char::is_uppercase)
                && KINDS_NAMED_FIRST.contains(&w.to_lowercase().as_str())
        });
    if capitalised * 2 < ws.len() && !kind_first {
        return Err("mostly lower-case words, not a name".into());
    }
    let mut factors = Vec::new();
    if has_legal_suffix(t) {
        factors.push(Factor::new(2.0, "ends in a legal-entity suffix"));
    } else if ws
        .last()
        .is_some_and(|w| PUBLIC_BODIES.contains(&w.to_lowercase().as_str()))
    {
        factors.push(Factor::new(1.5, "names a public body"));
    }
    Ok(factors)
}

/// Whether a text holds a word of job titles, teams or processes ("Service Desk Manager",
/// "CIO"): a role, not a person.
pub fn names_role(t: &str) -> bool {
    words(t)
        .iter()
        .any(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
}

/// Words of job titles, teams and processes: a "name" made of them is a role, not a person.
const ROLE_WORDS: &[&str] = &[
    "manager",
    "management",
    "officer",
    "director",
    "head",
    "lead",
    "leader",
    "team",
    "department",
    "committee",
    "board",
    "group",
    "owner",
    "process",
    "service",
    "services",
    "support",
    "desk",
    "responsible",
    "accountable",
    "top",
    "chief",
    "executive",
    "president",
    "ceo",
    "cio",
    "cto",
    "coo",
    "cfo",
    "ciso",
    "cdio",
    "cdo",
    "dpo",
    "vp",
    "council",
    "ltd",
    "inc",
    "plc",
    "company",
    "organization",
    "organisation",
    "staff",
    "employees",
    "administrator",
    "coordinator",
    "analyst",
    "engineer",
    "specialist",
    "representative",
    "sponsor",
    "security",
    "information",
    "it",
    "ict",
    "hr",
    "finance",
    "operations",
    "the",
    "all",
    "each",
    "any",
    "our",
    "role",
    "roles",
    "tbd",
    "n/a",
    "name",
    "title",
    "vacant",
    "various",
    "see",
    "policy",
    "system",
    "sms",
    "isms",
    "resources",
    "corporate",
    "digital",
    "technology",
    "systems",
    "strategy",
    "governance",
    "legal",
    "commercial",
    "procurement",
    "estates",
    "planner",
    "architect",
    "consultant",
    "technician",
    "controller",
    "assistant",
    "auditor",
    "advisor",
    "adviser",
    "developer",
    "supervisor",
    "deputy",
    "responsable",
    "directeur",
    "directrice",
    "leiter",
    "leiterin",
    "jefe",
    "jefa",
    "hoofd",
    "teamleider",
    "beheerder",
    "office",
    "unit",
    "division",
    "directorate",
    "customer",
    "customers",
    "people",
    "platform",
    "engineering",
    "product",
    // German board titles, capitalised as names are: "Vorsitzender der Geschäftsleitung".
    "vorsitzender",
    "vorsitzende",
    "geschäftsleitung",
    "geschäftsführung",
    "vorstand",
];

/// Capitalised words that start German (and other) phrases a role sentence may hold where a
/// name would stand ("Der SMS-Manager wird Anfang Februar ernannt", "ist Mitglied der
/// Geschäftsleitung"): months (not those that are also first names: April, June, August),
/// parts of a period and membership.
const NOT_NAMES: &[&str] = &[
    "januar",
    "februar",
    "märz",
    "september",
    "oktober",
    "november",
    "dezember",
    "anfang",
    "ende",
    "mitte",
    "mitglied",
    "teil",
    "januari",
    "februari",
    "maart",
    "augustus",
    "january",
    "february",
    "march",
    "june",
    "october",
    "december",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "janvier",
    "février",
    "mars",
    "avril",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Lower-case particles of personal names ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "del", "dos", "das", "bin",
    "al", "ter", "ten", "y",
];

/// Forms of address and academic titles written before a name ("Dr.", "Ing.", "Mag.",
/// "Dipl.-Ing.", "Lic.", "Mme", "dhr. ir."), compared without their dot.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "dra",
    "prof",
    "sir",
    "dame",
    "ing",
    "mag",
    "dipl-ing",
    "dipl.-ing",
    "lic",
    "sr",
    "sra",
    "mme",
    "mlle",
    "herr",
    "frau",
    "dhr",
    "mevr",
    "ir",
    "drs",
    // The field of a Swiss or Austrian degree after "lic." or "Dr.": "lic. oec.", "Dr. iur."
    // (not "phil" or "nat": Phil and Nat are first names).
    "oec",
    "iur",
];

/// A person's name in the order "First Last", without forms of address, as the profile writes
/// it, from the orders
/// registers and charts use: "PEETERS Sarah" (the surname in capitals first), "Garza Treviño,
/// Fernando, Director General" or "Lévesque, Martin" (the surname, a comma, the first name),
/// and a chat mention "@Jorge Méndez". A surname in capitals is written in capitals only at
/// its words' starts ("Van den Broeck"). Any other text is given back as it is.
///
/// "Jane Doe, Principal" is a name and a title as often as "Garza Treviño, Fernando" is a
/// surname of two words and a first name: the second is read only from a text known to be a
/// name alone (`name_alone`: a staff list's name column).
pub fn name_in_order(text: &str, name_alone: bool) -> String {
    let text = text.trim();
    let text = text.strip_prefix('@').unwrap_or(text).trim_start();
    // Forms of address are no part of the name ("Mme Claire Dubreuil" is Claire Dubreuil),
    // but a surname alone keeps its own ("Dr Ashworth"): the merge resolves it by it.
    let bare = without_honorifics(text);
    let text = if words(name_part(bare)).len() >= 2 {
        bare
    } else {
        text
    };
    if let Some(called) = called_name(text) {
        return called;
    }
    // "Surname, First[, Title]": the first name one capitalised word that names no role or
    // team. Outside a name column only a one-word surname ("Benali, Karim", "Okafor, Daniel,
    // Managing Director"; "Sarah Chen, Partner" is a name and a title); in a name column also
    // "Garza Treviño, Fernando".
    let parts: Vec<&str> = text.splitn(3, ',').map(str::trim).collect();
    if let [surname, first, rest @ ..] = parts.as_slice() {
        let one_word = |t: &str| !t.is_empty() && !t.contains(char::is_whitespace);
        let capitalised = |t: &str| {
            t.chars().next().is_some_and(char::is_uppercase)
                && t.chars().skip(1).all(|c| c.is_lowercase() || c == '-')
        };
        let surname_words = words(surname);
        // A surname in capitals says which part is the surname, in any column ("VILLAR SOTO,
        // Marcos"), the last word of four letters or more ("SAP, Basis" is no name).
        let all_capitals = surname_words.iter().all(|w| {
            w.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !w.chars().any(char::is_lowercase)
        });
        let in_capitals = all_capitals
            && surname_words
                .last()
                .is_some_and(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4);
        let titled = rest.first().is_some_and(|t| names_role(t));
        // Teams a "Name, Team" line gives that no list of role words holds.
        const TEAMS: &[&str] = &[
            "sales",
            "marketing",
            "admin",
            "accounts",
            "quality",
            "infrastructure",
            "network",
            "networks",
            "cloud",
            "devops",
            "facilities",
            "compliance",
            "risk",
            "audit",
            "purchasing",
            "logistics",
            "research",
            "development",
            "networking",
            "data",
            // Titles of one word: "Jones, Treasurer", "García, Gerente".
            "treasurer",
            "partner",
            "secretary",
            "chair",
            "chairman",
            "chairwoman",
            "chairperson",
            "founder",
            "principal",
            "dean",
            "gerente",
            "presidente",
            "tesorero",
            "secretario",
            "président",
            "présidente",
            "trésorier",
            "secrétaire",
            "vertrieb",
            "einkauf",
            "finanzen",
            "vorsitzender",
            "voorzitter",
            "penningmeester",
            "secretaris",
        ];
        if one_word(first)
            && capitalised(first)
            && !names_role(first)
            && !TEAMS.contains(&first.to_lowercase().as_str())
            && !names_role(surname)
            && (1..=3).contains(&surname_words.len())
            && surname_words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
            && (name_alone || surname_words.len() == 1 || in_capitals)
            && (in_capitals || !all_capitals || surname_words.len() == 1)
            && (rest.is_empty() || titled)
        {
            let surname = if all_capitals {
                surname_case(&surname_words)
            } else {
                surname.to_string()
            };
            return match rest.first() {
                Some(title) => format!("{first} {surname}, {title}"),
                None => format!("{first} {surname}"),
            };
        }
    }
    // "PEETERS Sarah[, Title]": one to three words in capitals, the last of four letters or
    // more ("SAP Basis", "NTT Data" are names of teams and firms), then a first name (two in
    // a name column: "RSSI Marc Dupont" is a title and a name).
    let name = name_part(text);
    let ws: Vec<&str> = name.split_whitespace().collect();
    let upper = |w: &&str| {
        w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
    };
    let caps = ws.iter().take_while(|w| upper(w)).count();
    let firsts = &ws[caps..];
    let first_name = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().any(char::is_lowercase)
    };
    let long_last = caps > 0 && ws[caps - 1].chars().filter(|c| c.is_alphabetic()).count() >= 4;
    let most_firsts = if name_alone { 2 } else { 1 };
    if (1..=3).contains(&caps)
        && long_last
        && (1..=most_firsts).contains(&firsts.len())
        && firsts.iter().all(first_name)
        && !names_role(name)
    {
        let rest = text.strip_prefix(name).unwrap_or("");
        return format!("{} {}{}", firsts.join(" "), surname_case(&ws[..caps]), rest);
    }
    text.to_string()
}

/// A site's place as the profile writes it: without the word for a branch or site before
/// its town ("Sede Osorno", "Niederlassung Genf", "Vestiging Zwolle" are Osorno, Genf and
/// Zwolle) and without a US state's code after it ("Ambergate, OR" is Ambergate). Any other
/// text is given back as it is.
pub fn place_name(text: &str) -> String {
    const SITE_WORDS: &[&str] = &[
        "sede",
        "niederlassung",
        "standort",
        "filiale",
        "zweigstelle",
        "geschäftsstelle",
        "vestiging",
        "agence",
        "sucursal",
        "delegación",
        "filial",
        "unidade",
        "kontor",
        "branch",
    ];
    let text = text.trim();
    let mut ws = text.split_whitespace();
    let first = ws.next().unwrap_or_default();
    let rest: Vec<&str> = ws.collect();
    // "Sede Central", "Branch Office" name a kind of site, not a town.
    const SITE_KINDS: &[&str] = &["central", "principal", "office", "offices", "hauptsitz"];
    let stripped = if SITE_WORDS.contains(&first.to_lowercase().as_str())
        && (1..=3).contains(&rest.len())
        && rest
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && !rest
            .iter()
            .any(|w| SITE_KINDS.contains(&w.to_lowercase().as_str()))
    {
        rest.join(" ")
    } else {
        text.to_string()
    };
    // "Ambergate, OR": a town, a comma and a US state's code ("London, UK" stays).
    const US_STATES: &[&str] = &[
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
        "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
        "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
        "VA", "WA", "WV", "WI", "WY", "DC",
    ];
    match stripped.rsplit_once(", ") {
        Some((town, state)) if US_STATES.contains(&state) && !town.contains(',') => {
            town.to_string()
        }
        _ => stripped,
    }
}

/// "drs. W.J. (Wim) Hoekstra, Gemeentesecretaris": initials, then the name the person goes by
/// in brackets, then the surname (as Dutch documents write names) is "Wim Hoekstra,
/// Gemeentesecretaris".
fn called_name(text: &str) -> Option<String> {
    let (before, rest) = text.split_once('(')?;
    let (called, after) = rest.split_once(')')?;
    let initials: Vec<&str> = without_honorifics(before).split_whitespace().collect();
    let initial = |w: &&str| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        w.ends_with('.')
            && (1..=4).contains(&letters)
            && w.chars().next().is_some_and(char::is_uppercase)
    };
    let called = called.trim();
    let after = after.trim_start();
    let one_name = !called.is_empty()
        && !called.contains(char::is_whitespace)
        && called.chars().next().is_some_and(char::is_uppercase)
        && called.chars().skip(1).all(char::is_lowercase);
    (!initials.is_empty()
        && initials.iter().all(initial)
        && one_name
        && (after.starts_with(|c: char| c.is_uppercase())
            || after
                .split_whitespace()
                .next()
                .is_some_and(|w| PARTICLES.contains(&w))))
    .then(|| format!("{called} {after}"))
}

/// A surname written in capitals as a name is written: "VAN DER BERG" is "van der Berg" after
/// the first word, "DUPONT-MORETTI" is "Dupont-Moretti", "O'BRIEN" is "O'Brien".
fn surname_case(words: &[&str]) -> String {
    let cased: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i > 0 && PARTICLES.contains(&lower.as_str()) {
                return lower;
            }
            let mut out = String::with_capacity(lower.len());
            let mut upper_next = true;
            for c in lower.chars() {
                if upper_next {
                    out.extend(c.to_uppercase());
                } else {
                    out.push(c);
                }
                upper_next = matches!(c, '-' | '\'' | '\u{2019}');
            }
            out
        })
        .collect();
    cased.join(" ")
}

/// Whether `short` is the short form of `name`: its letters are the initials of the name's
/// words, all of them or its capitalised ones, without the little words between ("PAVM" of
/// "Port autonome du Val-de-Meuse", "TVUSD" of "Tamarack Valley Unified School District",
/// "IARE" of "Institut alpin de recherche environnementale").
pub fn is_short_form(short: &str, name: &str) -> bool {
    const LITTLE: &[&str] = &[
        "de", "du", "des", "d", "la", "le", "les", "l", "of", "the", "and", "for", "y", "e", "et",
        "und", "für", "van", "der", "den", "het", "di", "del", "della", "da", "do", "dos", "das",
        "för", "och", "og", "en", "a", "al", "au", "aux", "el",
    ];
    let letters: String = short
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.chars().count() < 2 {
        return false;
    }
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '\'' | '\u{2019}'))
        .filter(|w| !w.is_empty() && !LITTLE.contains(&w.to_lowercase().as_str()))
        .collect();
    let initials = |capitalised_only: bool| -> String {
        words
            .iter()
            .filter(|w| !capitalised_only || w.starts_with(char::is_uppercase))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect()
    };
    letters == initials(false) || letters == initials(true)
}

/// A name without the forms of address and academic titles before it ("Mag. Verena Hofer" is
/// "Verena Hofer").
pub fn without_honorifics(name: &str) -> &str {
    let mut rest = name.trim_start();
    while let Some((word, after)) = rest.split_once(char::is_whitespace) {
        if !is_honorific(word) {
            break;
        }
        rest = after.trim_start();
    }
    rest
}

/// Whether a word is a form of address or an academic title; "DI" (Diplom-Ingenieur) only in
/// capitals, as "Di" is a name's particle.
fn is_honorific(word: &str) -> bool {
    word == "DI" || HONORIFICS.contains(&word.to_lowercase().trim_end_matches('.'))
}

/// The personal-name part of "Name, Job title", "Name - Job title", "Name (Job title)" or
/// "Name | Job title".
pub fn name_part(t: &str) -> &str {
    let cut = t
        .find([',', '(', '|', '/', ';'])
        .into_iter()
        .chain(
            [" - ", " \u{2013} ", " \u{2014} "]
                .iter()
                .filter_map(|d| t.find(d)),
        )
        .min()
        .unwrap_or(t.len());
    t[..cut].trim()
}

/// The doubt about a person's first name alone: the merge lifts it when the documents name
/// one person so.
pub const SINGLE_NAME: &str = "a single name, not a full name";

/// The doubt about a post given for a person: the merge lifts it when the documents name
/// the one person who holds the post.
pub const A_POST: &str = "a post, not the person who holds it";

/// Words of posts one person holds besides [`JOB_WORDS`] ("Vicerrector de ...", "Leiterin
/// IT", "Teamleider Servicemanagement"), unlike a team, a unit or a process ("Service Desk
/// Team", "Incident management").
const HOLDER_WORDS: &[&str] = &[
    "directora",
    "lead",
    "leader",
    "coordinator",
    "administrator",
    "rector",
    "vicerrector",
    "vicerrectora",
    "jefe",
    "jefa",
    "leiter",
    "leiterin",
    "chef",
    "cheffe",
    "responsable",
    "verantwortlicher",
    "verantwortliche",
    "beauftragter",
    "beauftragte",
    "teamleider",
    "hoofd",
    "bestuurder",
    "voorzitter",
    "vorsitzender",
    "vorsitzende",
];

/// The doubt about a post written where a person's name belongs: resolved as [`A_POST`] is,
/// and dropped by the merge when the documents name nobody who holds it.
pub const POST_FOR_PERSON: &str = "a post where a person's name belongs";

/// A job title standing for its holder: a few words, one of them a word of job titles, and no
/// clause. It stays doubted until the merge finds who holds it.
fn post(t: &str) -> Result<Vec<Factor>, String> {
    let ws = words(t);
    if ws.len() > 8 {
        return Err("too long for a job title".into());
    }
    if let Some(w) = clause_word(t) {
        return Err(format!("a clause (\"{w}\"), not a job title"));
    }
    // Compounds name posts too: "Kwaliteitsmanager", "IT-Leiterin", "Geschäftsführer".
    const POST_ENDINGS: &[&str] = &[
        "manager",
        "managerin",
        "leiter",
        "leiterin",
        "führer",
        "führerin",
        "directeur",
        "verantwortliche",
        "verantwortlicher",
        "coördinator",
        "beauftragter",
        "beauftragte",
    ];
    let compound = ws.iter().any(|w| {
        let w = w.to_lowercase();
        POST_ENDINGS.iter().any(|e| w.ends_with(e))
    });
    if !names_role(t) && !compound {
        return Err(format!("\"{t}\" names no post"));
    }
    Ok(vec![Factor::new(0.3, A_POST)])
}

fn person(t: &str) -> Result<Vec<Factor>, String> {
    let name = name_part(t);
    let title = t[name.len()..].trim_start_matches(|c: char| !c.is_alphanumeric());
    if let Some(w) = clause_word(title) {
        return Err(format!(
            "its title reads as a sentence (\"{w}\"), not a job title"
        ));
    }
    if words(title).len() > 12 {
        return Err("its title is too long for a job title".into());
    }
    let mut ws = words(name);
    while ws.first().is_some_and(|w| is_honorific(w)) {
        ws.remove(0);
    }
    if ws.is_empty() {
        return Err("no personal name".into());
    }
    // A verb in a name is written in lower case ("Ross is the SMS manager"); a capitalised
    // "Will" or "May" is a first name ("Will Castellano", "May Chen").
    if let Some(w) = ws.iter().find(|w| CLAUSE_WORDS.contains(w)) {
        return Err(format!("a clause (\"{w}\"), not a person"));
    }
    if let Some(w) = ws
        .iter()
        .find(|w| ROLE_WORDS.contains(&w.to_lowercase().as_str()))
    {
        // A post where a person belongs ("SMS Manager | Head of Service Delivery"): the merge
        // takes the one person who holds it, or drops it (a post is no person's name).
        let holder = ws.iter().any(|w| {
            let w = w.to_lowercase();
            JOB_WORDS.contains(&w.as_str()) || HOLDER_WORDS.contains(&w.as_str())
        });
        return post(t)
            .ok()
            .filter(|_| holder)
            .map(|_| vec![Factor::new(0.3, POST_FOR_PERSON)])
            .ok_or_else(|| format!("\"{name}\" names a role or team (\"{w}\"), not a person"));
    }
    if ws.len() > 4 {
        return Err("too many words for a personal name".into());
    }
    if let Some(w) = ws
        .iter()
        .find(|w| NOT_NAMES.contains(&w.to_lowercase().as_str()))
    {
        return Err(format!(
            "\"{w}\" is a word of dates or membership, not a name"
        ));
    }
    for w in &ws {
        let lower = w.to_lowercase();
        if PARTICLES.contains(&lower.as_str()) {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            return Err(format!("\"{w}\" has digits, as names do not"));
        }
        if !w.chars().next().is_some_and(char::is_uppercase) {
            return Err(format!("\"{w}\" is not capitalised, as names are"));
        }
    }
    const PRONOUNS: &[&str] = &[
        "he", "she", "they", "it", "i", "we", "you", "il", "elle", "er", "sie", "es", "él", "ella",
        "hij", "zij", "ze",
    ];
    if ws.len() == 1 {
        if PRONOUNS.contains(&ws[0].to_lowercase().as_str()) {
            return Err(format!("\"{}\" is a pronoun, not a person's name", ws[0]));
        }
        return Ok(vec![Factor::new(0.3, SINGLE_NAME)]);
    }
    // A surname alone starts with its particle ("de heer Van den Broeck", "Mme De Smet"); a
    // full name puts the first name before it.
    if PARTICLES.contains(&ws[0].to_lowercase().as_str()) {
        return Ok(vec![Factor::new(0.3, SINGLE_NAME)]);
    }
    let full = ws.join(" ").to_lowercase();
    if SPECIMEN_NAMES.contains(&full.as_str()) {
        return Ok(vec![Factor::new(
            0.2,
            &format!("\"{}\" is a name used in examples and forms", ws.join(" ")),
        )]);
    }
    Ok(Vec::new())
}

/// Names that examples, templates and forms use for "some person" in English, French, German,
/// Dutch, Spanish, Italian and Polish: possible as a real person, but to be confirmed.
const SPECIMEN_NAMES: &[&str] = &[
    "john doe",
    "jane doe",
    "richard roe",
    "joe bloggs",
    "joe public",
    "john smith",
    "jane smith",
    "jean dupont",
    "marie dupont",
    "pierre dupont",
    "paul durand",
    "pierre durand",
    "marie martin",
    "max mustermann",
    "erika mustermann",
    "jan jansen",
    "piet jansen",
    "jan modaal",
    "juan pérez",
    "juan perez",
    "fulano de tal",
    "mario rossi",
    "jan kowalski",
];

/// Cloud regions (AWS, Azure, Google Cloud): where servers run, not a site of the organization.
pub fn is_cloud_region(t: &str) -> bool {
    let lower = t.to_lowercase();
    let region_code = lower.split_whitespace().any(|w| {
        let parts: Vec<&str> = w
            .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
            .split('-')
            .collect();
        parts.len() >= 3
            && parts[0].len() == 2
            && parts
                .last()
                .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
    });
    let compass = [
        "east",
        "west",
        "north",
        "south",
        "central",
        "southeast",
        "northeast",
    ];
    let areas = [
        "us",
        "eu",
        "uk",
        "asia",
        "europe",
        "canada",
        "australia",
        "japan",
        "india",
        "brazil",
        "france",
        "germany",
        "uae",
    ];
    let ws: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let area_compass = ws.windows(2).any(|p| {
        (areas.contains(&p[0]) && compass.contains(&p[1]))
            || (compass.contains(&p[0]) && areas.contains(&p[1]))
    });
    region_code
        || area_compass
        || lower.contains("availability zone")
        || ws.contains(&"region")
        || ws.contains(&"regions")
}

/// Words of kinds of site: "Head office" or "Data centre" alone names no place.
const SITE_KINDS: &[&str] = &[
    "head",
    "office",
    "offices",
    "headquarters",
    "hq",
    "main",
    "registered",
    "data",
    "centre",
    "center",
    "centres",
    "centers",
    "dc",
    "branch",
    "site",
    "sites",
    "campus",
    "building",
    "location",
    "locations",
    "the",
    "our",
    "primary",
    "secondary",
    "regional",
    "corporate",
    "hauptsitz",
    "sitz",
    "standort",
    "standorte",
    "niederlassung",
    "zentrale",
    "rechenzentrum",
    "siège",
    "siege",
    "social",
    "bureau",
    "bureaux",
    "agence",
    "sede",
    "central",
    "oficina",
    "oficinas",
    "sedes",
    "cpd",
    "vestiging",
    "vestigingen",
    "kantoor",
    "hoofdkantoor",
];

fn place(t: &str) -> Result<Vec<Factor>, String> {
    if is_cloud_region(t) {
        return Err("a cloud region, not a site".into());
    }
    if t.ends_with(':') {
        return Err("a form's field label, not a place".into());
    }
    let ws = words(t);
    if ws.len() > 6 || t.chars().count() > 70 {
        return Err("a sentence or address, not a place name".into());
    }
    // In lower case only: a capitalised "Am" or "An" begins a German street ("Am Markt 7").
    if let Some(w) = ws.iter().find(|w| CLAUSE_WORDS.contains(w)) {
        return Err(format!("a clause (\"{w}\"), not a place"));
    }
    if !t
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    {
        return Err("starts in lower case, as place names do not".into());
    }
    let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
    if t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && lower
            .iter()
            .any(|w| crate::map::template::STREET_WORDS.contains(&w.as_str()))
    {
        return Ok(vec![Factor::new(0.3, "an address line, not a place name")]);
    }
    // "Avenida de Maisonnave", "Rue de la Paix": the languages that name the street first.
    const STREET_FIRST: &[&str] = &[
        "avenida",
        "calle",
        "carrer",
        "paseo",
        "rue",
        "avenue",
        "boulevard",
        "chemin",
        "allée",
        "via",
        "viale",
        "piazza",
        "rua",
        "travessa",
    ];
    if ws.len() >= 2
        && lower
            .first()
            .is_some_and(|w| STREET_FIRST.contains(&w.as_str()))
    {
        return Ok(vec![Factor::new(0.3, "a street, not a place name")]);
    }
    if lower.iter().all(|w| SITE_KINDS.contains(&w.as_str())) {
        return Err(format!("\"{t}\" is a kind of site, not a place"));
    }
    // "Leeds or Cork" (an org chart's office column): either site, named on its own elsewhere.
    if lower
        .iter()
        .any(|w| ["or", "ou", "oder"].contains(&w.as_str()))
        && ws.len() >= 3
    {
        return Err("two places as alternatives, not one place".into());
    }
    // "Our incident": a possessive opens a common noun, not a place name.
    if lower
        .first()
        .is_some_and(|w| ["our", "your", "their", "its", "my", "we"].contains(&w.as_str()))
    {
        return Err("opens with a possessive, as place names do not".into());
    }
    if lower.iter().all(|w| {
        [
            "remote", "working", "home", "hybrid", "virtual", "workers", "staff", "based", "from",
        ]
        .contains(&w.as_str())
    }) {
        return Ok(vec![Factor::new(
            0.4,
            "a way of working, not a named place",
        )]);
    }
    Ok(Vec::new())
}

fn count(t: &str) -> Result<Vec<Factor>, String> {
    let first_number: Option<u64> = t
        .split(|c: char| !c.is_ascii_digit() && c != ',')
        .find(|p| p.chars().any(|c| c.is_ascii_digit()))
        .and_then(|p| p.replace(',', "").parse().ok());
    let Some(n) = first_number else {
        return Err("no number".into());
    };
    if words(t).len() > 6 {
        return Err("a sentence, not a count".into());
    }
    if n <= 2 {
        return Ok(vec![Factor::new(0.2, "too small to be a headcount")]);
    }
    Ok(Vec::new())
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn period(t: &str) -> Result<Vec<Factor>, String> {
    let lower = t.to_lowercase();
    let timely = lower.chars().any(|c| c.is_ascii_digit())
        || MONTHS.iter().any(|m| lower.contains(m))
        || [
            "month", "week", "year", "quarter", "spring", "summer", "autumn", "fall", "winter",
            "next",
        ]
        .iter()
        .any(|w| lower.contains(w));
    if !timely {
        return Err("names no date or period".into());
    }
    if words(t).len() > 10 {
        return Err("a sentence, not a date or period".into());
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {

    #[test]
    fn names_are_written_first_name_first() {
        for (text, want) in [
            ("PEETERS Sarah", "Sarah Peeters"),
            ("VAN DEN BROECK Pieter", "Pieter Van den Broeck"),
            (
                "EL AMRANI Mehdi, Responsable infrastructure",
                "Mehdi El Amrani, Responsable infrastructure",
            ),
            (
                "Okafor, Daniel, Managing Director",
                "Daniel Okafor, Managing Director",
            ),
            ("@ GARCÍA José", "José García"),
            ("DUPONT-MORETTI Éric", "Éric Dupont-Moretti"),
            ("SAP Basis", "SAP Basis"),
            ("NTT Data", "NTT Data"),
            ("RSSI Marc Dupont", "RSSI Marc Dupont"),
            (
                "Sarah Chen, Dublin, Service Desk Manager",
                "Sarah Chen, Dublin, Service Desk Manager",
            ),
            ("Jones, Treasurer", "Jones, Treasurer"),
            ("@Jorge Méndez", "Jorge Méndez"),
            ("drs. W.J. (Wim) Hoekstra", "Wim Hoekstra"),
            ("W. (Wim) de Vries, Directeur", "Wim de Vries, Directeur"),
            ("Team (Alpha) Ops", "Team (Alpha) Ops"),
            // A surname in capitals is one in any column, of one word or more.
            ("VILLAR SOTO, Marcos", "Marcos Villar Soto"),
            ("BENALI, Karim", "Karim Benali"),
            ("LEE, Sarah", "Sarah Lee"),
            // Already in order, or not a surname and a first name.
            ("Sarah Chen, SMS Manager", "Sarah Chen, SMS Manager"),
            ("Sarah Chen, Sales", "Sarah Chen, Sales"),
            ("Chen, CEO", "Chen, CEO"),
            ("IT Operations", "IT Operations"),
            ("Jane Doe, Principal", "Jane Doe, Principal"),
            ("CIO", "CIO"),
            ("NOC Manager", "NOC Manager"),
        ] {
            assert_eq!(name_in_order(text, false), want, "{text}");
        }
        // In a staff list's name column, a surname may have two words.
        assert_eq!(
            name_in_order("Garza Treviño, Fernando", true),
            "Fernando Garza Treviño"
        );
        assert_eq!(name_in_order("Lévesque, Martin", true), "Martin Lévesque");
    }

    #[test]
    fn a_place_is_its_town_without_a_site_word_or_a_state_code() {
        for (text, want) in [
            ("Sede Osorno", "Osorno"),
            ("Niederlassung Genf", "Genf"),
            ("Vestiging Zwolle", "Zwolle"),
            ("Ambergate, OR", "Ambergate"),
            ("Sede", "Sede"),
            ("Portland, Oregon", "Portland, Oregon"),
            ("Head office", "Head office"),
            ("Branch office network", "Branch office network"),
            ("Sede Central", "Sede Central"),
            ("London, UK", "London, UK"),
        ] {
            assert_eq!(place_name(text), want, "{text}");
        }
    }

    #[test]
    fn a_short_form_is_the_initials_of_its_name() {
        assert!(is_short_form("PAVM", "Port autonome du Val-de-Meuse"));
        assert!(is_short_form(
            "TVUSD",
            "Tamarack Valley Unified School District"
        ));
        assert!(is_short_form(
            "IARE",
            "Institut alpin de recherche environnementale"
        ));
        assert!(is_short_form("NHS", "National Health Service"));
        // The capitalised words alone: "Commission Nationale de l'Informatique et des Libertés".
        assert!(is_short_form(
            "CNIL",
            "Commission Nationale de l'Informatique et des Libertés"
        ));
        assert!(!is_short_form(
            "ICO",
            "Tamarack Valley Unified School District"
        ));
        assert!(!is_short_form("A", "Apex"));
        assert!(!is_short_form("SV", "Since 2015 Nordhavel"));
    }

    #[test]
    fn honorifics_are_no_part_of_a_name() {
        assert_eq!(without_honorifics("Mag. Verena Hofer"), "Verena Hofer");
        assert_eq!(without_honorifics("dhr. ir. Pieter Claes"), "Pieter Claes");
        assert_eq!(without_honorifics("DI Markus Leitner"), "Markus Leitner");
        assert_eq!(without_honorifics("Di Stefano Rossi"), "Di Stefano Rossi");
        assert!(fits(Shape::Person, "Ing. Petra Huber"));
    }

    use super::*;

    fn fits(shape: Shape, t: &str) -> bool {
        fit(shape, t).is_ok()
    }

    /// What the shape multiplies a fitting value's odds by.
    fn factor(shape: Shape, t: &str) -> f64 {
        fit(shape, t).unwrap().iter().map(|f| f.times).product()
    }

    #[test]
    fn names_are_names_and_definitions_are_not() {
        assert!(fits(Shape::OrganizationName, "Apex IT Services Ltd"));
        assert!(fits(Shape::OrganizationName, "Datica Health, Inc"));
        assert!(fits(Shape::OrganizationName, "Lullabot"));
        assert!(fits(Shape::OrganizationName, "Northshire County Council"));
        assert!(!fits(Shape::OrganizationName, "The University"));
        assert!(!fits(
            Shape::OrganizationName,
            "For the purposes of this policy, the term \"organization\" shall mean Datica."
        ));
        assert!(!fits(Shape::OrganizationName, "The Company"));
        assert!(!fits(Shape::OrganizationName, "Access Control"));
        assert!(!fits(Shape::OrganizationName, "ISO 27001"));
        assert!(!fits(
            Shape::OrganizationName,
            "means any legal entity that provides services"
        ));
        let bonus = fit(Shape::OrganizationName, "Datica Health, Inc").unwrap();
        assert!(bonus.iter().any(|f| f.times > 1.0));
    }

    #[test]
    fn people_are_people_and_roles_or_clauses_are_not() {
        assert!(fits(Shape::Person, "Sarah Chen, IT Service Manager"));
        assert!(fits(Shape::Person, "Dr. Ludwig van Dijk (CEO)"));
        assert!(fits(Shape::Person, "Henry Poole"));
        assert!(!fits(
            Shape::Person,
            "James Wright, Managing Director, is the executive sponsor of the SMS."
        ));
        assert!(!fits(
            Shape::Person,
            "Top management shall demonstrate leadership"
        ));
        assert!(!fits(
            Shape::Person,
            "The change manager is the one who decides"
        ));
        assert!(!fits(Shape::Person, "Responsible for incident management"));
        assert!(!fits(Shape::Person, "Service Desk Team"));
        assert!(!fits(Shape::Person, "Incident management"));
        // A post one person holds is doubted as such, for the merge to resolve.
        let doubt = fit(Shape::Person, "Head of Service Delivery").unwrap();
        assert!(doubt.iter().any(|f| f.why == POST_FOR_PERSON), "{doubt:?}");
    }

    #[test]
    fn labels_are_not_possessives_or_clauses_with_a_subject() {
        assert!(fits(Shape::Label, "Customers"));
        assert!(fits(Shape::Label, "Our customers"));
        assert!(fits(Shape::Label, "Information Commissioner's Office"));
        assert!(!fits(Shape::Label, "University's"));
        assert!(!fits(Shape::Label, "Stakeholders we considered"));
    }

    #[test]
    fn a_first_name_that_is_also_a_verb_is_a_name() {
        assert!(fits(Shape::Person, "Will Castellano, CEO & co-founder"));
        assert!(fits(Shape::Person, "May Chen - SMS Manager"));
        assert!(!fits(Shape::Person, "Ross is the SMS manager"));
    }

    #[test]
    fn places_are_not_regions_sentences_or_prompts() {
        assert!(fits(Shape::Place, "Manchester"));
        assert!(fits(Shape::Place, "London DC1"));
        assert!(!fits(Shape::Place, "eu-west-2"));
        assert!(!fits(Shape::Place, "Leeds or Cork"));
        assert!(!fits(Shape::Place, "Our incident"));
        assert!(fits(Shape::Place, "City of London"));
        assert!(!fits(Shape::Place, "US East (Ohio)"));
        assert!(!fits(Shape::Place, "UK South region"));
        assert!(!fits(
            Shape::Place,
            "Physical location of hardware. Could include Data Center ID, Cage#, Rack#"
        ));
        let remote = fit(Shape::Place, "Remote working").unwrap();
        assert!(remote.iter().any(|f| f.times < 1.0));
    }

    #[test]
    fn a_street_named_first_is_not_a_place() {
        assert_eq!(factor(Shape::Place, "Avenida de Maisonnave"), 0.3);
        assert_eq!(factor(Shape::Place, "Rue de la République"), 0.3);
        assert_eq!(factor(Shape::Place, "Alicante"), 1.0);
        assert_eq!(factor(Shape::Place, "Via Roma"), 0.3);
    }

    #[test]
    fn labels_are_short_and_not_sentences() {
        assert!(fits(Shape::Label, "Managed IT Services"));
        assert!(!fits(Shape::Label, "Industry:"));
        assert!(!fits(
            Shape::Label,
            "We are looking for someone with experience of ITIL who is able to manage a team"
        ));
    }

    #[test]
    fn counts_need_a_number_and_tiny_ones_are_doubted() {
        assert!(fits(Shape::Count, "approx. 120"));
        assert!(!fits(Shape::Count, "many"));
        let tiny = fit(Shape::Count, "1 employees").unwrap();
        assert!(tiny.iter().any(|f| f.times < 1.0));
    }
}
