//! Value templates: `"{name}, {title}"`, `"{process|capitalize} management"`, `"{count} employees"`.
//!
//! Takes a template string, gives a parsed [`Template`] (or a message saying what to write
//! instead), and renders it from a lookup of names to text. A name may carry one filter:
//! `lower`, `upper`, `capitalize` (first letter upper, the rest lower), `upper_first` (first
//! letter upper, the rest as written: "managed IT services" gives "Managed IT services") or
//! `city` (the town or city of a postal address: "Suite 400, 120 King Street West, Toronto ON
//! M5X 1A9" gives "Toronto"; see [`city_of`]). `{{` and `}}` are literal braces. Rendering
//! trims the separators an empty name leaves behind ("Sarah Chen, " becomes "Sarah Chen").

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Lit(String),
    Var { name: String, filter: Filter },
}

/// A filter applied to a name's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    None,
    Lower,
    Upper,
    Capitalize,
    UpperFirst,
    City,
    Address,
    /// "Role - Name" or "Role (Name)" as "Name, Role" (a role matrix's column header).
    NameFirst,
    /// "3 150", "2.400" or "1,850" with its thousands marked by commas ("3,150").
    Number,
    /// The core of a sector, its first letter upper case ("Australian media" is "Media").
    Sector,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a template; the error says what is wrong and what to write instead.
    pub(crate) fn parse(src: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut chars = src.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let mut inner = String::new();
                    let mut closed = false;
                    for c in chars.by_ref() {
                        if c == '}' {
                            closed = true;
                            break;
                        }
                        inner.push(c);
                    }
                    if !closed {
                        return Err(format!(
                            "template {src:?} has a `{{` without its `}}`; write `{{name}}`, or `{{{{` for a literal brace"
                        ));
                    }
                    let (name, filter) = match inner.split_once('|') {
                        Some((n, f)) => (n.trim(), Some(f.trim())),
                        None => (inner.trim(), None),
                    };
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
                    {
                        return Err(format!(
                            "template {src:?} has `{{{inner}}}`; a name is letters, digits and `_`, e.g. `{{name}}` or `{{name|lower}}`"
                        ));
                    }
                    let filter = match filter {
                        None => Filter::None,
                        Some("lower") => Filter::Lower,
                        Some("upper") => Filter::Upper,
                        Some("capitalize") => Filter::Capitalize,
                        Some("upper_first") => Filter::UpperFirst,
                        Some("city") => Filter::City,
                        Some("address") => Filter::Address,
                        Some("name_first") => Filter::NameFirst,
                        Some("number") => Filter::Number,
                        Some("sector") => Filter::Sector,
                        Some(other) => {
                            return Err(format!(
                                "template {src:?}: unknown filter `{other}`; write `lower`, `upper`, `capitalize`, `upper_first`, `city`, `address`, `name_first`, `number` or `sector`"
                            ))
                        }
                    };
                    if !lit.is_empty() {
                        pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    pieces.push(Piece::Var {
                        name: name.to_string(),
                        filter,
                    });
                }
                '}' => {
                    return Err(format!(
                        "template {src:?} has a `}}` without its `{{`; write `}}}}` for a literal brace"
                    ))
                }
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        Ok(Template { pieces })
    }

    /// The names the template uses, in order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Var { name, .. } => Some(name.as_str()),
            Piece::Lit(_) => None,
        })
    }

    /// Whether the template has no names (a constant).
    pub(crate) fn constant(&self) -> Option<String> {
        let mut out = String::new();
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Var { .. } => return None,
            }
        }
        Some(out)
    }

    /// Renders the template. Names the lookup lacks read as empty. Returns the trimmed text
    /// (empty when every name was empty and only separators remain), and whether any name
    /// had text.
    pub(crate) fn render<'a>(&self, lookup: impl Fn(&str) -> Option<&'a str>) -> String {
        // Most values (a name, a title, a department) fit: one allocation instead of a few.
        let mut out = String::with_capacity(48);
        let mut any_var = false;
        let mut any_text = false;
        for p in &self.pieces {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Var { name, filter } => {
                    any_var = true;
                    let v = lookup(name).unwrap_or("").trim();
                    if !v.is_empty() {
                        any_text = true;
                    }
                    match filter {
                        Filter::None => out.push_str(v),
                        Filter::Lower => out.push_str(&v.to_lowercase()),
                        Filter::Upper => out.push_str(&v.to_uppercase()),
                        Filter::Capitalize => {
                            let lower = v.to_lowercase();
                            let mut cs = lower.chars();
                            if let Some(first) = cs.next() {
                                out.extend(first.to_uppercase());
                                out.push_str(cs.as_str());
                            }
                        }
                        Filter::UpperFirst => {
                            let mut cs = v.chars();
                            if let Some(first) = cs.next() {
                                out.extend(first.to_uppercase());
                                out.push_str(cs.as_str());
                            }
                        }
                        Filter::City => out.push_str(&city_of(v)),
                        Filter::Address => out.push_str(&address_city(v)),
                        Filter::NameFirst => out.push_str(&name_first(v)),
                        Filter::Number => out.push_str(&thousands(v)),
                        Filter::Sector => {
                            let core = sector_core(v);
                            let mut cs = core.chars();
                            if let Some(first) = cs.next() {
                                out.extend(first.to_uppercase());
                                out.push_str(cs.as_str());
                            }
                        }
                    }
                }
            }
        }
        if any_var && !any_text {
            return String::new();
        }
        if is_tidy(&out) {
            return out;
        }
        tidy(&out)
    }
}

/// Countries, dropped from an address.
const COUNTRIES: &[&str] = &[
    "united kingdom",
    "uk",
    "great britain",
    "england",
    "scotland",
    "wales",
    "northern ireland",
    "ireland",
    "united states",
    "united states of america",
    "usa",
    "us",
    "canada",
    "australia",
    "new zealand",
    "germany",
    "deutschland",
    "france",
    "spain",
    "españa",
    "espana",
    "netherlands",
    "the netherlands",
    "nederland",
    "belgium",
    "belgique",
    "luxembourg",
    "switzerland",
    "austria",
    "österreich",
    "italy",
    "italia",
    "portugal",
    "poland",
    "sweden",
    "norway",
    "denmark",
    "finland",
    "india",
    "singapore",
    "south africa",
    "japan",
];

/// States and provinces written out after a town ("Denver, Colorado"), dropped like a country.
/// "New York" and "Washington" are towns too and are left out.
const REGIONS: &[&str] = &[
    "alabama",
    "alaska",
    "arizona",
    "arkansas",
    "california",
    "colorado",
    "connecticut",
    "delaware",
    "florida",
    "georgia",
    "hawaii",
    "idaho",
    "illinois",
    "indiana",
    "iowa",
    "kansas",
    "kentucky",
    "louisiana",
    "maine",
    "maryland",
    "massachusetts",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "nevada",
    "new hampshire",
    "new jersey",
    "new mexico",
    "north carolina",
    "north dakota",
    "ohio",
    "oklahoma",
    "oregon",
    "pennsylvania",
    "rhode island",
    "south carolina",
    "south dakota",
    "tennessee",
    "texas",
    "utah",
    "vermont",
    "virginia",
    "west virginia",
    "wisconsin",
    "wyoming",
    "ontario",
    "quebec",
    "british columbia",
    "alberta",
];

/// Whether a part of an address is a country or a state written out.
fn country_or_region(part: &str) -> bool {
    let p = part.to_lowercase();
    let p = p.trim_end_matches('.');
    COUNTRIES.contains(&p) || REGIONS.contains(&p)
}

/// Words of a street line or a part of a building: such a part of an address is no town.
pub(crate) const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "boulevard",
    "blvd",
    "lane",
    "ln",
    "drive",
    "dr",
    "way",
    "place",
    "pl",
    "square",
    "sq",
    "court",
    "ct",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "terrace",
    "crescent",
    "close",
    "row",
    "wharf",
    "quay",
    "suite",
    "unit",
    "floor",
    "level",
    "building",
    "bldg",
    "po",
    "box",
    "apartment",
    "apt",
    "room",
    "strasse",
    "straße",
    "str",
    "weg",
    "platz",
    "allee",
    "gasse",
    "ring",
    "rue",
    "boulevard",
    "chemin",
    "allée",
    "calle",
    "avenida",
    "paseo",
    "plaza",
    "carrer",
    "via",
    "viale",
    "piazza",
    "straat",
    "laan",
    "plein",
    "gracht",
    "kade",
    "singel",
    "dreef",
];

/// Words of a site's kind that follow a town in a list ("Indianapolis, IN Office").
const SITE_WORDS: &[&str] = &[
    "office",
    "offices",
    "hq",
    "headquarters",
    "head",
    "site",
    "campus",
    "branch",
    "data",
    "centre",
    "center",
    "dc",
];

/// Whether a word is a postcode, a US, Canadian or Australian state code, or a similar token
/// of an address (digits, or two or three capitals).
fn is_code(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    !w.is_empty()
        && (w.chars().any(|c| c.is_ascii_digit())
            || (w.len() <= 3 && w.chars().all(|c| c.is_ascii_uppercase())))
}

/// The town or city of a postal address, or the text itself when it does not look like an
/// address (no comma and no street line): "Suite 400, 120 King Street West, Toronto ON M5X 1A9"
/// gives "Toronto", "Portland, OR" gives "Portland", "Paseo de la Castellana 95, 28046 Madrid"
/// gives "Madrid", "Manchester" and "London DC1" stay as they are. Bracketed notes are ignored.
pub(crate) fn city_of(address: &str) -> String {
    // Text outside brackets: "Madrid (head office and data centre)" is Madrid.
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in address.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let parts: Vec<&str> = outside
        .split([',', ';', '\n', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let street_line = |p: &str| {
        let words: Vec<String> = p
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .collect();
        let street = words.iter().any(|w| STREET_WORDS.contains(&w.as_str()));
        let digits = p.chars().any(|c| c.is_ascii_digit());
        street && (digits || p.starts_with(|c: char| c.is_ascii_digit()))
    };
    // Only an address gives its town: a street line, a postcode or state, or a country among
    // its parts ("County Hall, Kingsbridge" is a site's name and stays as it is).
    let marked = parts
        .iter()
        .any(|p| street_line(p) || p.split_whitespace().any(is_code) || country_or_region(p));
    if !marked {
        return crate::document::normalize_whitespace(&outside);
    }
    if parts.len() < 2 && !parts.first().is_some_and(|p| street_line(p)) {
        // A state or postcode alone ("OR", "AB") is no town.
        let text = crate::document::normalize_whitespace(&outside);
        return if text.split_whitespace().all(is_code) {
            String::new()
        } else {
            text
        };
    }
    let mut towns: Vec<String> = Vec::new();
    for p in parts {
        if street_line(p) || country_or_region(p) {
            continue;
        }
        let mut words: Vec<&str> = p.split_whitespace().collect();
        // A postcode or state after the town, a postcode before it, a site word after it.
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| is_code(w) || SITE_WORDS.contains(&w.to_lowercase().as_str()))
        {
            words.pop();
        }
        while words.len() > 1 && words.first().is_some_and(|w| is_code(w)) {
            words.remove(0);
        }
        let town = words.join(" ");
        if town.is_empty()
            || is_code(&town)
            || SITE_WORDS.contains(&town.to_lowercase().as_str())
            || !town.chars().next().is_some_and(char::is_uppercase)
        {
            continue;
        }
        towns.push(town);
    }
    towns.pop().unwrap_or_default()
}

/// The core of a sector as people write it, without what qualifies it: its level or
/// nationality ("Australian media", "administración pública provincial", "B2B SaaS"), its
/// customers after "for" ("IT-Dienstleistungen für die Versicherungswirtschaft") or a note
/// after a colon or dash. Customers are cut only when what stays is a phrase of its own (two
/// words, or a long compound): "software for schools" stays whole. Two activities ("managed
/// hosting and private cloud") are both the sector.
pub(crate) fn sector_core(text: &str) -> String {
    // Not the names of languages ("English language schools", "German engineering").
    const LEADING: &[&str] = &[
        "australian",
        "british",
        "american",
        "canadian",
        "irish",
        "scottish",
        "welsh",
        "belgian",
        "swiss",
        "austrian",
        "brazilian",
        "mexican",
        "argentine",
        "argentinian",
        "chilean",
        "kenyan",
        "nigerian",
        "indian",
        "singaporean",
        "european",
        "leading",
        "independent",
        "specialist",
        "b2b",
        "b2c",
        "b2g",
        "community-based",
        "uk-based",
        "us-based",
        "family-owned",
        "nederlandse",
        "deutsche",
        "österreichische",
        "schweizer",
        "svensk",
        "svenska",
        "dansk",
        "danske",
    ];
    const TRAILING: &[&str] = &[
        "provincial",
        "provinciale",
        "estatal",
        "estadual",
        "fédérale",
        "fédéral",
        "federal",
        "municipal",
        "municipale",
        "nacional",
        "nationale",
        "statale",
        "comunale",
        "regionale",
        "régional",
        "régionale",
        "français",
        "française",
        "belge",
        "suisse",
        "québécois",
        "québécoise",
        "española",
        "español",
        "mexicana",
        "mexicano",
        "argentina",
        "argentino",
        "italiano",
        "italiana",
        "portuguesa",
        "português",
        "brasileira",
        "brasileiro",
        "chileno",
        "chilena",
        "alemán",
        "alemana",
        "allemand",
        "allemande",
    ];
    const CUTS: &[&str] = &[
        " for ", " für ", " pour ", " para ", " voor ", " per ", " för ",
    ];
    let mut core = text.trim();
    for stop in [":", " \u{2013} ", " \u{2014} ", " - "] {
        if let Some((head, _)) = core.split_once(stop) {
            core = head.trim();
        }
    }
    // The first cut that leaves a phrase before it: two words or more, or one long or
    // hyphenated compound ("IT-Dienstleistungen", "Energieversorgung").
    let phrase = |head: &str| {
        let words: Vec<&str> = head.split_whitespace().collect();
        match words.as_slice() {
            [one] => one.contains('-') || one.chars().count() >= 12,
            more => more.len() >= 2,
        }
    };
    // Lower case letter by letter, keeping a letter whose lower case is longer ("İ"): the
    // positions found in it are the text's.
    let lowered: String = core
        .chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect();
    let cut = CUTS
        .iter()
        .filter_map(|c| lowered.find(c))
        .filter(|&at| core.get(..at).is_some_and(phrase))
        .min();
    if let Some(at) = cut {
        core = core.get(..at).unwrap_or(core).trim();
    }
    let mut words: Vec<&str> = core.split_whitespace().collect();
    while words.len() > 1
        && words
            .first()
            .is_some_and(|w| LEADING.contains(&w.to_lowercase().as_str()))
    {
        words.remove(0);
    }
    // A level after the noun goes only when a phrase stays ("Administración federal" stays).
    while words.len() > 2
        && words
            .last()
            .is_some_and(|w| TRAILING.contains(&w.to_lowercase().as_str()))
    {
        words.pop();
    }
    words.join(" ")
}

/// A number written with its thousands apart by a space, a dot or a comma ("3 150", "2.400",
/// "1,850"), with commas ("3,150", "2,400"); a separator not followed by exactly three digits
/// (a decimal: "46,3", "1.5") and any other text are kept as written.
fn thousands(text: &str) -> String {
    let cs: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in cs.iter().enumerate() {
        let group = |j: usize| {
            (j..j + 3).all(|k| cs.get(k).is_some_and(char::is_ascii_digit))
                && !cs.get(j + 3).is_some_and(char::is_ascii_digit)
        };
        // The digits before the separator: one to three, not a leading zero ("0.125").
        let run = cs[..i]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let lead = cs.get(i - run).copied();
        let between = (1..=3).contains(&run) && lead != Some('0') && group(i + 1);
        if between && matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '.' | ',') {
            out.push(',');
        } else {
            out.push(c);
        }
    }
    out
}

/// A person written after their role ("Service Desk Manager - Kwame Osei", "CIO (Helen
/// Marsh)") as "Kwame Osei, Service Desk Manager"; any other text as it is.
fn name_first(text: &str) -> String {
    let split = [" - ", " \u{2013} ", " \u{2014} ", " | ", "("]
        .iter()
        .filter_map(|d| text.find(d).map(|at| (at, d.len())))
        .min();
    let Some((at, len)) = split else {
        return text.to_string();
    };
    let role = text[..at].trim();
    let name = text[at + len..].trim().trim_end_matches(')').trim();
    if crate::judge::names_role(role) && !name.is_empty() && !crate::judge::names_role(name) {
        format!("{name}, {role}")
    } else {
        text.to_string()
    }
}

/// The town of a text that is a postal address (it has a street line or a postcode), else
/// nothing: under a "Contact" heading, "Privacy Officer: privacy@example.com" is no site, and
/// "3527 Mount Diablo Blvd., Unit 269, Lafayette, CA 94549" is Lafayette.
pub(crate) fn address_city(text: &str) -> String {
    let parts: Vec<&str> = text
        .split([',', ';', '\n', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let street = parts.iter().any(|p| {
        let lower = p.to_lowercase();
        p.chars().any(|c| c.is_ascii_digit())
            && lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| STREET_WORDS.contains(&w))
    });
    let postcode = parts.iter().any(|p| {
        p.split_whitespace()
            .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphanumeric))
            && p.split_whitespace().count() <= 4
    });
    if street && (postcode || parts.len() >= 3) {
        city_of(text)
    } else {
        String::new()
    }
}

/// Collapses whitespace, removes separators left by empty names (", ," and a dangling ", ").
/// Callers ask [`is_tidy`] first: most rendered text is already tidy.
fn tidy(s: &str) -> String {
    let collapsed = crate::document::normalize_whitespace(s);
    let mut out = collapsed
        .replace(" ,", ",")
        .replace(",,", ",")
        .replace("()", "");
    let seps: &[char] = &[',', ';', ':', '-', '\u{2013}', '|', '/', ' '];
    out = out.trim_matches(seps).to_string();
    crate::document::normalize_whitespace(&out)
}

/// Whether [`tidy`] would give `s` back unchanged, judged in one pass over ASCII text: single
/// spaces between words, none of the leftovers it removes, no separator at either end.
fn is_tidy(s: &str) -> bool {
    const SEPS: &[u8] = b",;:-|/ ";
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) if !SEPS.contains(f) && !SEPS.contains(l) => {}
        _ => return false,
    }
    let mut prev = 0u8;
    for &c in b {
        let clean = c.is_ascii()
            && (c == b' ' || !c.is_ascii_whitespace())
            && !matches!(
                (prev, c),
                (b' ', b' ') | (b' ', b',') | (b',', b',') | (b'(', b')')
            )
            && c != 0x0b
            && c != 0x1c
            && c != 0x1d
            && c != 0x1e
            && c != 0x1f;
        if !clean {
            return false;
        }
        prev = c;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sector_is_its_core_without_its_qualifiers() {
        for (text, want) in [
            ("Australian media", "media"),
            (
                "administración pública provincial",
                "administración pública",
            ),
            ("educación superior estatal", "educación superior"),
            (
                "managed hosting and private cloud",
                "managed hosting and private cloud",
            ),
            (
                "IT-Dienstleistungen für die Versicherungswirtschaft",
                "IT-Dienstleistungen",
            ),
            (
                "Managed security services: 24/7 security operations centre",
                "Managed security services",
            ),
            ("B2B SaaS", "SaaS"),
            ("Local government", "Local government"),
            ("English language schools", "English language schools"),
            ("Administración federal", "Administración federal"),
            ("İİ software for ΩΩ", "İİ software"),
            // A phrase whose first part alone is no sector stays whole.
            ("oil and gas", "oil and gas"),
            ("research and development", "research and development"),
            ("software for schools", "software for schools"),
            ("collectivité territoriale", "collectivité territoriale"),
        ] {
            assert_eq!(sector_core(text), want, "{text}");
        }
    }

    #[test]
    fn the_number_filter_marks_thousands_with_commas_and_keeps_decimals() {
        for (written, number) in [
            ("3 150", "3,150"),
            ("3\u{202f}150", "3,150"),
            ("2.400", "2,400"),
            ("1,850", "1,850"),
            ("1 250 000", "1,250,000"),
            ("46,3", "46,3"),
            ("1.5", "1.5"),
            ("120", "120"),
            ("12.3456", "12.3456"),
            ("0.125", "0.125"),
            ("12345.678", "12345.678"),
        ] {
            assert_eq!(thousands(written), number, "{written}");
        }
    }

    #[test]
    fn only_an_address_gives_a_town_to_the_address_filter() {
        assert_eq!(
            address_city(
                "CivicActions, Inc.\n3527 Mount Diablo Blvd., Unit 269\nLafayette, CA 94549"
            ),
            "Lafayette"
        );
        assert_eq!(address_city("Privacy Officer: privacy@example.com"), "");
        assert_eq!(address_city("Call us on 0800 123 456"), "");
    }

    #[test]
    fn the_city_of_an_address_is_its_town() {
        for (address, city) in [
            (
                "Suite 400, 120 King Street West, Toronto ON M5X 1A9",
                "Toronto",
            ),
            ("Portland, OR", "Portland"),
            (
                "3527 Mount Diablo Blvd., Unit 269, Lafayette, CA 94549",
                "Lafayette",
            ),
            ("Cutlers Court, Sheffield S1 2HH", "Sheffield"),
            ("Level 9, 123 Eagle St, Brisbane QLD 4000", "Brisbane"),
            ("Paseo de la Castellana 95, 28046 Madrid", "Madrid"),
            (
                "Madrid (Paseo de la Castellana, head office and data centre)",
                "Madrid",
            ),
            ("Indianapolis, IN Office", "Indianapolis"),
            ("Manchester", "Manchester"),
            ("London DC1", "London DC1"),
            ("County Hall, Kingsbridge", "County Hall, Kingsbridge"),
            ("Manchester, United Kingdom", "Manchester"),
            (
                "Kaiserstraße 12, 60311 Frankfurt am Main, Germany",
                "Frankfurt am Main",
            ),
        ] {
            assert_eq!(city_of(address), city, "{address}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_tidy_shortcut_changes_nothing_tidy_would(s in "[a-c ,;:()|/\t\u{b}\u{1f}\u{a0}é-]{0,12}") {
            if is_tidy(&s) {
                proptest::prop_assert_eq!(tidy(&s), s.clone());
            }
        }
    }

    fn render(t: &str, vars: &[(&str, &str)]) -> String {
        let t = Template::parse(t).unwrap();
        t.render(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| *v))
    }

    #[test]
    fn renders_names_filters_and_braces() {
        assert_eq!(
            render(
                "{name}, {title}",
                &[("name", "Sarah Chen"), ("title", "IT Service Manager")]
            ),
            "Sarah Chen, IT Service Manager"
        );
        assert_eq!(
            render("{name}, {title}", &[("name", "Sarah Chen")]),
            "Sarah Chen"
        );
        assert_eq!(
            render("{p|capitalize} management", &[("p", "INCIDENT")]),
            "Incident management"
        );
        assert_eq!(
            render("{i|upper_first}", &[("i", "managed IT services")]),
            "Managed IT services"
        );
        assert_eq!(render("{{x}} {n|lower}", &[("n", "AB")]), "{x} ab");
        assert_eq!(render("{count} employees", &[]), "");
        assert_eq!(render("supplier", &[]), "supplier");
    }

    #[test]
    fn bad_templates_say_what_to_write() {
        assert!(Template::parse("{name")
            .unwrap_err()
            .contains("without its"));
        assert!(Template::parse("{na me}")
            .unwrap_err()
            .contains("letters, digits"));
        assert!(Template::parse("{name|shout}")
            .unwrap_err()
            .contains("unknown filter"));
    }
}
