//! List numbering from `word/numbering.xml`: abstract definitions (`w:abstractNum`, nine levels
//! each), instances (`w:num`) with their level overrides, and the counters that turn a numbered
//! paragraph into its rendered number ("2.", "b)", "1.3.").
//!
//! Takes the numbering part; gives [`Numbering::advance`], called once per numbered paragraph in
//! document order. Counters are kept per abstract definition, as Word keeps them: two `w:num`
//! instances of one definition continue each other's numbering, and an instance that overrides a
//! level's start (`w:startOverride`, Word's "restart numbering") restarts that level when it is
//! first used. A level restarts when a higher level advances (or as `w:lvlRestart` says); a level
//! used before its parents counts them as used at their start values, as Word does.
//!
//! Must not size anything from a number in the file: levels are bounded to 0..=8, `lvlText` to
//! [`MAX_LVL_TEXT`] characters, and a number that would render absurdly long (letters for a
//! counter in the millions) falls back to decimal.

use super::xml::{attr, attr_u32, local, Ev, Ns, Scanner};
use crate::read::ReadError;
use foldhash::HashMap;

/// Levels per list (`w:ilvl` 0..=8).
pub const LEVELS: usize = 9;
/// Longest `w:lvlText` kept, in characters.
pub const MAX_LVL_TEXT: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Fmt {
    #[default]
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    None,
}

impl Fmt {
    fn parse(v: &str) -> Fmt {
        match v {
            "decimalZero" => Fmt::DecimalZero,
            "lowerLetter" => Fmt::LowerLetter,
            "upperLetter" => Fmt::UpperLetter,
            "lowerRoman" => Fmt::LowerRoman,
            "upperRoman" => Fmt::UpperRoman,
            "bullet" => Fmt::Bullet,
            "none" => Fmt::None,
            _ => Fmt::Decimal,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    fmt: Fmt,
    text: Option<String>,
    /// `w:lvlRestart`: restart after a level numbered `<` this (1-based) is used; 0 = never.
    restart: Option<u32>,
    legal: bool,
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: [Level; LEVELS],
    style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: u32,
    start_override: [Option<u32>; LEVELS],
    level_override: [Option<Level>; LEVELS],
}

/// A list instance as used: its abstract definition's id and its levels after overrides.
struct State {
    abstract_id: u32,
    levels: [Level; LEVELS],
}

/// A document's list definitions and the counters of the lists read so far.
#[derive(Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<u32, Abstract>,
    nums: HashMap<u32, Num>,
    /// Numbering styles (`w:numStyleLink` targets) to their numId, from styles.xml.
    style_nums: HashMap<String, u32>,
    states: HashMap<u32, State>,
    /// Counters per abstract definition: instances of one definition continue each other's
    /// numbering, as in Word, unless an instance overrides a level's start.
    counters: HashMap<u32, [Option<u32>; LEVELS]>,
}

enum Target {
    None,
    Abstract(u32),
    Num(u32),
}

impl Numbering {
    /// Parses numbering.xml.
    pub(crate) fn parse(
        bytes: &[u8],
        part: &str,
        max_depth: usize,
    ) -> Result<Numbering, ReadError> {
        let mut sc = Scanner::new(bytes, part, max_depth);
        let mut out = Numbering::default();
        let mut target = Target::None;
        let mut cur_abs = Abstract::default();
        let mut cur_num = Num::default();
        let mut override_lvl: Option<usize> = None;
        let mut lvl: Option<(usize, Level)> = None;
        loop {
            match sc.next()? {
                Ev::Eof => break,
                Ev::Start { ns, tag, empty } => {
                    if ns != Ns::W {
                        continue;
                    }
                    match local(tag.name().into_inner()) {
                        "abstractNum" if !empty => match attr_u32(&tag, "abstractNumId") {
                            Some(id) => {
                                target = Target::Abstract(id);
                                cur_abs = Abstract::default();
                            }
                            None => sc.skip()?,
                        },
                        "num" if !empty => match attr_u32(&tag, "numId") {
                            Some(id) => {
                                target = Target::Num(id);
                                cur_num = Num::default();
                            }
                            None => sc.skip()?,
                        },
                        "numPicBullet" | "pPr" | "rPr" if !empty => sc.skip()?,
                        "abstractNumId" => {
                            if let Some(v) = attr_u32(&tag, "val") {
                                cur_num.abstract_id = v;
                            }
                        }
                        "numStyleLink" => {
                            cur_abs.style_link = attr(&tag, "val").map(|v| v.into_owned());
                        }
                        "lvlOverride" if !empty => {
                            override_lvl = attr_u32(&tag, "ilvl")
                                .map(|v| v as usize)
                                .filter(|&v| v < LEVELS);
                        }
                        "startOverride" => {
                            if let (Some(i), Some(v)) = (override_lvl, attr_u32(&tag, "val")) {
                                if let Some(slot) = cur_num.start_override.get_mut(i) {
                                    *slot = Some(v);
                                }
                            }
                        }
                        "lvl" if !empty => {
                            let i = attr_u32(&tag, "ilvl")
                                .map(|v| v as usize)
                                .or(override_lvl)
                                .filter(|&v| v < LEVELS);
                            match i {
                                Some(i) => lvl = Some((i, Level::default())),
                                None => sc.skip()?,
                            }
                        }
                        name => {
                            if let Some((_, l)) = lvl.as_mut() {
                                match name {
                                    "start" => {
                                        if let Some(v) = attr_u32(&tag, "val") {
                                            l.start = v;
                                        }
                                    }
                                    "numFmt" => {
                                        l.fmt = attr(&tag, "val")
                                            .map_or(Fmt::Decimal, |v| Fmt::parse(&v))
                                    }
                                    "lvlText" => {
                                        l.text = attr(&tag, "val")
                                            .map(|v| v.chars().take(MAX_LVL_TEXT).collect());
                                    }
                                    "lvlRestart" => l.restart = attr_u32(&tag, "val"),
                                    "isLgl" => {
                                        l.legal = attr(&tag, "val")
                                            .is_none_or(|v| matches!(&*v, "1" | "true" | "on"))
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
                Ev::End { ns, tag } => {
                    if ns != Ns::W {
                        continue;
                    }
                    match local(tag.name().into_inner()) {
                        "lvl" => {
                            if let Some((i, l)) = lvl.take() {
                                if override_lvl.is_some() {
                                    if let Some(slot) = cur_num.level_override.get_mut(i) {
                                        *slot = Some(l);
                                    }
                                } else if let Some(slot) = cur_abs.levels.get_mut(i) {
                                    *slot = l;
                                }
                            }
                        }
                        "lvlOverride" => override_lvl = None,
                        "abstractNum" => {
                            if let Target::Abstract(id) = target {
                                out.abstracts
                                    .entry(id)
                                    .or_insert(std::mem::take(&mut cur_abs));
                            }
                            target = Target::None;
                        }
                        "num" => {
                            if let Target::Num(id) = target {
                                out.nums.entry(id).or_insert(std::mem::take(&mut cur_num));
                            }
                            target = Target::None;
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Records the numbering styles of styles.xml (style id -> numId), for `w:numStyleLink`.
    pub(crate) fn link_styles(&mut self, links: impl IntoIterator<Item = (String, u32)>) {
        self.style_nums.extend(links);
    }

    fn abstract_of(&self, num: &Num) -> Option<(u32, &Abstract)> {
        let mut id = num.abstract_id;
        let mut abs = self.abstracts.get(&id)?;
        // A list that takes its definition from a numbering style: one hop (bounded, no loops).
        for _ in 0..2 {
            let Some(link) = abs.style_link.as_deref() else {
                break;
            };
            let linked = self
                .style_nums
                .get(link)
                .and_then(|id| self.nums.get(id))
                .and_then(|n| Some((n.abstract_id, self.abstracts.get(&n.abstract_id)?)));
            match linked {
                Some((lid, l)) => {
                    id = lid;
                    abs = l;
                }
                None => break,
            }
        }
        Some((id, abs))
    }

    /// Advances the counter of list `num_id` at level `ilvl` for one paragraph. `None` when the
    /// document defines no such list (Word shows no number); otherwise the rendered number, or
    /// `Some(None)` for a bullet or an unnumbered level.
    pub(crate) fn advance(&mut self, num_id: u32, ilvl: u8) -> Option<Option<String>> {
        if !self.states.contains_key(&num_id) {
            let num = self.nums.get(&num_id)?;
            let (abstract_id, abs) = self.abstract_of(num)?;
            let mut levels = abs.levels.clone();
            let mut restarts = [false; LEVELS];
            for (i, level) in levels.iter_mut().enumerate() {
                // A whole level redefined keeps counting; only a start override restarts.
                if let Some(Some(l)) = num.level_override.get(i) {
                    *level = l.clone();
                }
                if let Some(Some(s)) = num.start_override.get(i) {
                    level.start = *s;
                    restarts[i] = true;
                }
            }
            // The first use of an instance with start overrides restarts those levels.
            let counters = self.counters.entry(abstract_id).or_insert([None; LEVELS]);
            for (counter, restart) in counters.iter_mut().zip(restarts) {
                if restart {
                    *counter = None;
                }
            }
            self.states.insert(
                num_id,
                State {
                    abstract_id,
                    levels,
                },
            );
        }
        let state = self.states.get(&num_id)?;
        let counters = self
            .counters
            .entry(state.abstract_id)
            .or_insert([None; LEVELS]);
        let lvl = usize::from(ilvl).min(LEVELS - 1);
        // A level used before its parents: Word shows the parents at their start values and
        // counts them as used, so the next parent item is start + 1.
        for (counter, level) in counters.iter_mut().zip(&state.levels).take(lvl) {
            if counter.is_none() {
                *counter = Some(level.start);
            }
        }
        let start = state.levels[lvl].start;
        counters[lvl] = Some(match counters[lvl] {
            Some(c) => c.saturating_add(1),
            None => start,
        });
        let deeper = counters
            .iter_mut()
            .zip(&state.levels)
            .enumerate()
            .skip(lvl + 1);
        for (i, (counter, level)) in deeper {
            let restart = level.restart.unwrap_or(i as u32);
            if restart != 0 && (lvl as u32) < restart {
                *counter = None;
            }
        }
        Some(render(&state.levels, counters, lvl))
    }
}

fn render(
    levels: &[Level; LEVELS],
    counters: &[Option<u32>; LEVELS],
    lvl: usize,
) -> Option<String> {
    let level = &levels[lvl];
    if level.fmt == Fmt::Bullet {
        return None;
    }
    let default_text;
    let text = match &level.text {
        Some(t) => t.as_str(),
        None => {
            default_text = format!("%{}.", lvl + 1);
            default_text.as_str()
        }
    };
    // Room for the usual number ("1.2.3."): one allocation instead of a few growths.
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(d @ '1'..='9') = chars.peek().copied() {
                chars.next();
                let i = (d as usize) - ('1' as usize);
                let l = &levels[i];
                let value = counters[i].unwrap_or(l.start);
                let fmt = if level.legal && i < lvl {
                    Fmt::Decimal
                } else {
                    l.fmt
                };
                format_number(&mut out, value, fmt);
                continue;
            }
        }
        out.push(c);
    }
    let trimmed = out.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == out.len() {
        Some(out)
    } else {
        Some(trimmed.to_string())
    }
}

fn format_number(out: &mut String, n: u32, fmt: Fmt) {
    use std::fmt::Write;
    match fmt {
        Fmt::None => {}
        Fmt::Bullet => {}
        Fmt::Decimal => {
            let _ = write!(out, "{n}");
        }
        Fmt::DecimalZero => {
            let _ = write!(out, "{n:02}");
        }
        Fmt::LowerLetter | Fmt::UpperLetter => {
            // a..z, then aa..zz, aaa..: letters repeat. Past a few repeats, decimal.
            if n == 0 || n > 26 * 8 {
                let _ = write!(out, "{n}");
                return;
            }
            let base = if fmt == Fmt::LowerLetter { b'a' } else { b'A' };
            let letter = char::from(base + ((n - 1) % 26) as u8);
            for _ in 0..(n - 1) / 26 + 1 {
                out.push(letter);
            }
        }
        Fmt::LowerRoman | Fmt::UpperRoman => {
            if n == 0 || n >= 4000 {
                let _ = write!(out, "{n}");
                return;
            }
            let roman = roman(n);
            if fmt == Fmt::LowerRoman {
                out.push_str(&roman.to_lowercase());
            } else {
                out.push_str(&roman);
            }
        }
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {

    use super::*;

    fn numbering(body: &str) -> Numbering {
        let xml = format!(
            r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{body}</w:numbering>"#
        );
        Numbering::parse(xml.as_bytes(), "word/numbering.xml", 256).unwrap()
    }

    const ABS: &str = r#"<w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1.%2)"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%3."/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
        <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%5"/></w:lvl>
        </w:abstractNum>"#;

    #[test]
    fn counters_render_and_restart() {
        let mut n = numbering(&format!(
            r#"{ABS}<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
               <w:num w:numId="2"><w:abstractNumId w:val="0"/>
               <w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>"#
        ));
        let mut next = |id, l| n.advance(id, l).unwrap();
        assert_eq!(next(1, 0).as_deref(), Some("1."));
        assert_eq!(next(1, 1).as_deref(), Some("1.a)"));
        assert_eq!(next(1, 1).as_deref(), Some("1.b)"));
        assert_eq!(next(1, 2).as_deref(), Some("i."));
        assert_eq!(next(1, 2).as_deref(), Some("ii."));
        assert_eq!(next(1, 3), None);
        assert_eq!(next(1, 0).as_deref(), Some("2."));
        // Level 1 restarted when level 0 advanced.
        assert_eq!(next(1, 1).as_deref(), Some("2.a)"));
        assert_eq!(next(1, 4).as_deref(), Some("I"));
        // Another instance of the same list, restarting level 0 at 5 ...
        assert_eq!(next(2, 0).as_deref(), Some("5."));
        assert_eq!(next(2, 0).as_deref(), Some("6."));
        // ... and the first instance continues the shared numbering, as Word shows it.
        assert_eq!(next(1, 0).as_deref(), Some("7."));
        assert!(n.advance(99, 0).is_none());
    }

    #[test]
    fn a_level_used_before_its_parent_counts_the_parent() {
        let mut n = numbering(&format!(
            r#"{ABS}<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#
        ));
        assert_eq!(n.advance(1, 1).unwrap().as_deref(), Some("1.a)"));
        assert_eq!(n.advance(1, 0).unwrap().as_deref(), Some("2."));
    }

    #[test]
    fn absurd_values_stay_small() {
        let mut n = numbering(
            r#"<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="4000000000"/>
               <w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1%1%1%1"/></w:lvl>
               <w:lvl w:ilvl="99"><w:start w:val="1"/></w:lvl></w:abstractNum>
               <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        );
        let s = n.advance(1, 0).unwrap().unwrap();
        assert_eq!(s, "4000000000".repeat(4));
        let s = n.advance(1, 200).unwrap();
        assert!(s.is_some_and(|s| s.len() < 64));
    }

    #[test]
    fn roman_and_letters() {
        let mut s = String::new();
        format_number(&mut s, 1994, Fmt::UpperRoman);
        assert_eq!(s, "MCMXCIV");
        s.clear();
        format_number(&mut s, 28, Fmt::LowerLetter);
        assert_eq!(s, "bb");
    }
}
