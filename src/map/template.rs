//! Value templates: `"{name}, {title}"`, `"{process|capitalize} management"`, `"{count} employees"`.
//!
//! Takes a template string, gives a parsed [`Template`] (or a message saying what to write
//! instead), and renders it from a lookup of names to text. A name may carry one filter:
//! `lower`, `upper`, `capitalize` (first letter upper, the rest lower) or `upper_first` (first
//! letter upper, the rest as written: "managed IT services" gives "Managed IT services"). `{{` and `}}` are literal braces. Rendering trims the
//! separators an empty name leaves behind ("Sarah Chen, " becomes "Sarah Chen").

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
                        Some(other) => {
                            return Err(format!(
                                "template {src:?}: unknown filter `{other}`; write `lower`, `upper`, `capitalize` or `upper_first`"
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
