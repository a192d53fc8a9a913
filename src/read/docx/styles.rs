//! Paragraph styles from `word/styles.xml`, resolved once into what the body reader needs per
//! style: the heading level it gives (if any) and the numbering it carries (if any).
//!
//! Takes the styles part; gives a lookup by style id. A style is a heading when its *name*
//! (`w:name`, which Word writes in English even in localized documents: "heading 1") or, for a
//! style without a name, its id, is a built-in heading or title name in one of the languages
//! below, or when it sets an outline level; otherwise it inherits through `w:basedOn`.
//!
//! Must not loop on the file's say-so: `basedOn` chains are followed at most
//! [`MAX_STYLE_CHAIN`] steps, so a cycle ends. Character, table and latent styles, document
//! defaults and run properties decide nothing here and are skipped whole.

use super::xml::{attr, attr_u32, attrs, local, Ev, Ns, Scanner};
use crate::read::ReadError;
use foldhash::{HashMap, HashMapExt};

/// Most `basedOn` steps followed from one style.
pub const MAX_STYLE_CHAIN: usize = 32;

/// Numbering set on a paragraph or a style (`w:numPr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct NumPr {
    /// `w:numId`; 0 removes numbering.
    pub num_id: Option<u32>,
    /// `w:ilvl`, 0..=8.
    pub ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct RawStyle {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
    num: NumPr,
}

/// What a paragraph style gives a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Resolved {
    /// Heading level: 0 for a title, 1..=9 for headings.
    pub heading: Option<u8>,
    /// Numbering the style carries (numId, ilvl).
    pub num: Option<(u32, Option<u8>)>,
}

/// The resolved paragraph styles of a document.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    by_id: HashMap<String, Resolved>,
    /// The style paragraphs without `w:pStyle` use.
    default_id: Option<String>,
    /// Numbering styles: style id -> numId (targets of `w:numStyleLink`).
    pub num_links: Vec<(String, u32)>,
}

impl Styles {
    /// What the paragraph style `id` gives (or the default style, for `None`). A style id that
    /// styles.xml does not define is read as a name ("Heading1"), as Word would show it.
    pub(crate) fn get(&self, id: Option<&str>) -> Resolved {
        let id = match id {
            Some(id) => id,
            None => match &self.default_id {
                Some(d) => d.as_str(),
                None => return Resolved::default(),
            },
        };
        match self.by_id.get(id) {
            Some(r) => *r,
            None => Resolved {
                heading: heading_from_name(id),
                num: None,
            },
        }
    }

    /// Parses styles.xml.
    pub(crate) fn parse(bytes: &[u8], part: &str, max_depth: usize) -> Result<Styles, ReadError> {
        let mut sc = Scanner::new(bytes, part, max_depth);
        let mut raw: HashMap<String, RawStyle> = HashMap::new();
        let mut default_id = None;
        let mut current: Option<(String, RawStyle)> = None;
        let mut current_is_numbering = false;
        let mut num_links = Vec::new();
        let mut in_ppr = false;
        loop {
            match sc.next()? {
                Ev::Eof => break,
                Ev::Start { ns, tag, empty } => {
                    if ns != Ns::W {
                        continue;
                    }
                    match local(tag.name().into_inner()) {
                        "style" if !empty => {
                            let [kind, id, default] = attrs(&tag, ["type", "styleId", "default"]);
                            let paragraph = kind.as_deref().is_none_or(|k| k == "paragraph");
                            let numbering = kind.as_deref() == Some("numbering");
                            let id = id.map(|s| s.into_owned());
                            match (paragraph || numbering, id) {
                                (true, Some(id)) => {
                                    current_is_numbering = numbering;
                                    if paragraph
                                        && default.as_deref().is_some_and(truthy)
                                        && default_id.is_none()
                                    {
                                        default_id = Some(id.clone());
                                    }
                                    current = Some((id, RawStyle::default()));
                                }
                                _ => sc.skip()?,
                            }
                        }
                        "latentStyles" | "docDefaults" | "rPr" | "tblPr" | "tblStylePr"
                        | "trPr" | "tcPr" | "pPrChange" | "rPrChange"
                            if !empty =>
                        {
                            sc.skip()?
                        }
                        "pPr" => in_ppr = !empty,
                        "name" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.name = attr(&tag, "val").map(|v| v.into_owned());
                            }
                        }
                        "basedOn" => {
                            if let Some((_, s)) = current.as_mut() {
                                s.based_on = attr(&tag, "val").map(|v| v.into_owned());
                            }
                        }
                        "outlineLvl" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.outline = attr_u32(&tag, "val").map(|v| v.min(9) as u8);
                            }
                        }
                        "numId" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.num.num_id = attr_u32(&tag, "val");
                            }
                        }
                        "ilvl" if in_ppr => {
                            if let Some((_, s)) = current.as_mut() {
                                s.num.ilvl = attr_u32(&tag, "val").map(|v| v.min(8) as u8);
                            }
                        }
                        _ => {}
                    }
                }
                Ev::End { ns, tag } => {
                    if ns != Ns::W {
                        continue;
                    }
                    match local(tag.name().into_inner()) {
                        "style" => {
                            if let Some((id, s)) = current.take() {
                                if current_is_numbering {
                                    if let Some(n) = s.num.num_id {
                                        num_links.push((id, n));
                                    }
                                } else {
                                    // The first definition of an id wins, as in Word.
                                    raw.entry(id).or_insert(s);
                                }
                            }
                            in_ppr = false;
                        }
                        "pPr" => in_ppr = false,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        let by_id = raw
            .keys()
            .map(|id| (id.clone(), resolve(&raw, id)))
            .collect();
        Ok(Styles {
            by_id,
            default_id,
            num_links,
        })
    }
}

fn truthy(v: &str) -> bool {
    matches!(v, "1" | "true" | "on")
}

fn resolve(raw: &HashMap<String, RawStyle>, id: &str) -> Resolved {
    let mut out = Resolved::default();
    let mut heading_done = false;
    let mut num_done = false;
    let mut current = Some(id);
    for _ in 0..MAX_STYLE_CHAIN {
        let Some(cid) = current else { break };
        let Some(style) = raw.get(cid) else { break };
        if !heading_done {
            if let Some(level) = style.outline {
                heading_done = true;
                // Level 9 is "body text": explicitly not a heading.
                out.heading = (level < 9).then_some(level + 1);
            } else if let Some(level) = heading_from_name(style.name.as_deref().unwrap_or(cid)) {
                heading_done = true;
                out.heading = Some(level);
            }
        }
        if !num_done {
            if let Some(num_id) = style.num.num_id {
                num_done = true;
                out.num = (num_id != 0).then_some((num_id, style.num.ilvl));
            }
        }
        if heading_done && num_done {
            break;
        }
        current = style.based_on.as_deref();
    }
    out
}

/// Built-in heading names, as Word writes them or a localized copy shows them, lower-cased.
/// Some localized style ids drop non-ASCII letters ("berschrift1"); those forms are listed too.
const HEADING_PREFIXES: &[&str] = &[
    "heading",
    "überschrift",
    "berschrift",
    "titre",
    "titolo",
    "kop",
    "rubrik",
    "encabezado",
    "título",
    "titulo",
    "ttulo",
    "nagłówek",
    "nagwek",
    "заголовок",
    "otsikko",
    "overskrift",
    "nadpis",
    "címsor",
    "cmsor",
    "başlık",
    "balk",
    "kopregel",
    "見出し",
    "标题",
    "標題",
    "제목",
];

/// Built-in title names.
const TITLE_NAMES: &[&str] = &[
    "title",
    "titel",
    "titre",
    "titolo",
    "título",
    "titulo",
    "ttulo",
    "tytuł",
    "tytu",
    "название",
    "otsikko",
    "nzev",
    "název",
    "cím",
    "konu başlığı",
    "表題",
    "标题",
    "제목",
];

/// The heading level a style name (or id) stands for: `Some(0)` for a title, `Some(1..=9)` for
/// "Heading 1".."Heading 9" in any of the known languages, `None` otherwise.
pub(crate) fn heading_from_name(name: &str) -> Option<u8> {
    let folded: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    if folded.is_empty() {
        return None;
    }
    for prefix in HEADING_PREFIXES {
        if let Some(rest) = folded.strip_prefix(prefix) {
            if let [d @ b'1'..=b'9'] = rest.as_bytes() {
                return Some(d - b'0');
            }
        }
    }
    let spaced: String = name.trim().to_lowercase();
    if TITLE_NAMES.contains(&folded.as_str()) || TITLE_NAMES.contains(&spaced.as_str()) {
        return Some(0);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_names_in_several_languages() {
        assert_eq!(heading_from_name("heading 1"), Some(1));
        assert_eq!(heading_from_name("Heading 3"), Some(3));
        assert_eq!(heading_from_name("Heading3"), Some(3));
        assert_eq!(heading_from_name("Überschrift 2"), Some(2));
        assert_eq!(heading_from_name("berschrift2"), Some(2));
        assert_eq!(heading_from_name("Titre 1"), Some(1));
        assert_eq!(heading_from_name("Titolo 4"), Some(4));
        assert_eq!(heading_from_name("Kop 1"), Some(1));
        assert_eq!(heading_from_name("Rubrik 1"), Some(1));
        assert_eq!(heading_from_name("Encabezado 1"), Some(1));
        assert_eq!(heading_from_name("Título 2"), Some(2));
        assert_eq!(heading_from_name("Title"), Some(0));
        assert_eq!(heading_from_name("Titre"), Some(0));
        assert_eq!(heading_from_name("Heading 10"), None);
        assert_eq!(heading_from_name("Heading 1 Char"), None);
        assert_eq!(heading_from_name("Normal"), None);
        assert_eq!(heading_from_name("Kopfzeile"), None);
    }

    fn styles(body: &str) -> Styles {
        let xml = format!(
            r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{body}</w:styles>"#
        );
        Styles::parse(xml.as_bytes(), "word/styles.xml", 256).unwrap()
    }

    #[test]
    fn name_not_id_decides_and_based_on_is_followed() {
        let s = styles(
            r#"<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>
               <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="Body Text"/></w:style>
               <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My heading"/><w:basedOn w:val="1"/></w:style>
               <w:style w:type="paragraph" w:styleId="Out"><w:name w:val="Outlined"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
               <w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="Heading 1 Char"/></w:style>"#,
        );
        assert_eq!(s.get(Some("1")).heading, Some(1));
        assert_eq!(s.get(Some("Heading2")).heading, None);
        assert_eq!(s.get(Some("Mine")).heading, Some(1));
        assert_eq!(s.get(Some("Out")).heading, Some(3));
        // Not defined: the id is read as a name.
        assert_eq!(s.get(Some("Heading4")).heading, Some(4));
        assert_eq!(s.get(Some("Heading1Char")).heading, None);
    }

    #[test]
    fn based_on_cycles_end() {
        let s = styles(
            r#"<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>
               <w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style>"#,
        );
        assert_eq!(s.get(Some("A")), Resolved::default());
    }

    #[test]
    fn style_numbering_and_default_style() {
        let s = styles(
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
               <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/>
               <w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="7"/></w:numPr></w:pPr></w:style>
               <w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="Sub"/><w:basedOn w:val="ListBullet"/></w:style>"#,
        );
        assert_eq!(s.get(Some("ListBullet")).num, Some((7, Some(1))));
        assert_eq!(s.get(Some("Sub")).num, Some((7, Some(1))));
        assert_eq!(s.get(None), Resolved::default());
    }
}
