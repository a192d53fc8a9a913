//! Cell formats from `styles.xml`: which number formats show dates, times or durations, and
//! which fills are yellow (theme, indexed and RGB colors, tints), as calamine resolved them.
//!
//! Takes the styles part (and the theme part, read only when a solid fill uses a theme color);
//! gives one [`Xf`] per `cellXfs/xf`. Must not panic on input; a malformed part is an error the
//! caller turns into a note.

use super::*;

/// What a cell format (`cellXfs/xf`) says about a cell.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Xf {
    pub(super) number: Number,
    /// A solid fill in a yellow (high red and green, low blue): FFFF00, FFFF99, FFE699...
    pub(super) yellow: bool,
}

/// How a number in a cell of this format reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Number {
    #[default]
    Plain,
    Date,
    Duration,
}

/// A color as a style part writes it, resolved once the theme is known.
#[derive(Debug, Clone, Default)]
struct ColorSpec {
    rgb: Option<String>,
    theme: Option<String>,
    indexed: Option<String>,
    tint: Option<String>,
}

#[derive(Debug, Default)]
struct FillSpec {
    solid: bool,
    fg: Vec<ColorSpec>,
    bg: Vec<ColorSpec>,
}

#[derive(Debug, Default)]
pub(super) struct RawStyles {
    formats: HashMap<String, String>,
    fills: Vec<FillSpec>,
    /// Per `cellXfs/xf`: `numFmtId` as written, `fillId`.
    xfs: Vec<(Option<String>, Option<usize>)>,
}

pub(super) enum StylesError {
    Dtd,
    Xml(String),
}

fn color_spec(e: &BytesStart<'_>) -> ColorSpec {
    let mut c = ColorSpec::default();
    for (key, value) in raw_attrs(e.attributes_raw()) {
        match key {
            "rgb" => c.rgb = Some(value.to_string()),
            "theme" => c.theme = Some(value.to_string()),
            "indexed" => c.indexed = Some(value.to_string()),
            "tint" => c.tint = Some(value.to_string()),
            _ => {}
        }
    }
    c
}

pub(super) fn parse_styles(data: &[u8], part: &str) -> Result<RawStyles, StylesError> {
    let mut r = reader(data);
    let mut out = RawStyles::default();
    let (mut in_formats, mut in_fills, mut in_xfs) = (false, false, false);
    let mut fill: Option<FillSpec> = None;
    loop {
        let (e, empty) = match r.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "numFmts" => in_formats = false,
                    "fills" => in_fills = false,
                    "fill" => {
                        if let Some(f) = fill.take() {
                            out.fills.push(f);
                        }
                    }
                    "cellXfs" => in_xfs = false,
                    _ => {}
                }
                continue;
            }
            Ok(Event::DocType(_)) => return Err(StylesError::Dtd),
            Ok(Event::Eof) => return Ok(out),
            Err(e) => return Err(StylesError::Xml(format!("{part}: {}", xml_error(&r, &e)))),
            Ok(_) => continue,
        };
        match e.local_name().as_ref() {
            "numFmts" => in_formats = !empty,
            "fills" => in_fills = !empty,
            "cellXfs" => in_xfs = !empty,
            "numFmt" if in_formats => {
                let (mut id, mut code) = (None, None);
                for (key, value) in raw_attrs(e.attributes_raw()) {
                    match key {
                        "numFmtId" => id = Some(value),
                        "formatCode" => code = Some(value),
                        _ => {}
                    }
                }
                if let (Some(id), Some(code)) = (id, code) {
                    out.formats
                        .insert(id.to_string(), unescape_attr(code).into_owned());
                }
            }
            "fill" if in_fills && fill.is_none() => {
                if empty {
                    out.fills.push(FillSpec::default());
                } else {
                    fill = Some(FillSpec::default());
                }
            }
            "patternFill" => {
                if let (Some(f), Some(p)) =
                    (fill.as_mut(), raw_attr(e.attributes_raw(), "patternType"))
                {
                    f.solid = p == "solid";
                }
            }
            "fgColor" => {
                if let Some(f) = fill.as_mut() {
                    f.fg.push(color_spec(&e));
                }
            }
            "bgColor" => {
                if let Some(f) = fill.as_mut() {
                    f.bg.push(color_spec(&e));
                }
            }
            "xf" if in_xfs => {
                let (mut format, mut fill_id) = (None, None);
                for (key, value) in raw_attrs(e.attributes_raw()) {
                    match key {
                        "numFmtId" => format = Some(value.to_string()),
                        "fillId" => fill_id = value.parse::<usize>().ok(),
                        _ => {}
                    }
                }
                out.xfs.push((format, fill_id));
            }
            _ => {}
        }
    }
}

impl RawStyles {
    /// The cell formats, with fills resolved to "yellow or not" (reading the theme only when a
    /// solid fill uses a theme color).
    pub(super) fn resolve(
        self,
        book: &mut Workbook<'_>,
        theme_part: &str,
    ) -> Result<Vec<Xf>, ReadError> {
        let needs_theme = self.fills.iter().any(|f| {
            f.solid
                && f.fg
                    .iter()
                    .chain(&f.bg)
                    .any(|c| c.rgb.is_none() && c.theme.is_some())
        });
        let theme = if needs_theme {
            match book.part(theme_part)? {
                Some(data) => match read_theme_colors(&data) {
                    Ok(colors) => colors,
                    Err(StylesError::Dtd) => {
                        return Err(ReadError::Dtd {
                            part: theme_part.to_string(),
                        })
                    }
                    Err(StylesError::Xml(_)) => default_theme_colors(),
                },
                None => default_theme_colors(),
            }
        } else {
            default_theme_colors()
        };
        let last = |specs: &[ColorSpec]| specs.iter().rev().find_map(|c| resolve_color(c, &theme));
        let yellow: Vec<bool> = self
            .fills
            .iter()
            .map(|f| {
                f.solid
                    && last(&f.fg)
                        .or_else(|| last(&f.bg))
                        .is_some_and(|[r, g, b]| r >= 0xE0 && g >= 0xC0 && b <= 0x99)
            })
            .collect();
        Ok(self
            .xfs
            .iter()
            .map(|(format, fill)| Xf {
                number: match format {
                    None => Number::Plain,
                    Some(id) => match self.formats.get(id) {
                        Some(code) => custom_format(code),
                        None => builtin_format(id),
                    },
                },
                yellow: fill.and_then(|i| yellow.get(i).copied()).unwrap_or(false),
            })
            .collect())
    }
}

/// Whether a custom number format code shows a date, a time or a duration (its first section
/// only; quoted text, escapes and colors do not count). Ported from calamine (MIT), so cells
/// read as they did.
fn custom_format(format: &str) -> Number {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return Number::Plain,
            ('[', ..) => brackets = brackets.saturating_add(1),
            (']', .., 1) if hms => return Number::Duration,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Number::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Number::Date
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Number::Plain
}

/// The built-in number formats that show dates and times (ECMA-376 18.8.30, with the East
/// Asian ones), and `[h]:mm:ss` (46), a duration.
fn builtin_format(id: &str) -> Number {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "47" | "27"
        | "28" | "29" | "30" | "31" | "32" | "33" | "34" | "35" | "36" | "50" | "51" | "52"
        | "53" | "54" | "55" | "56" | "57" | "58" => Number::Date,
        "46" => Number::Duration,
        _ => Number::Plain,
    }
}

type Rgb = [u8; 3];

/// The default Office theme, in the order of the `theme` attribute (lt1, dk1, lt2, dk2, ...).
fn default_theme_colors() -> Vec<Rgb> {
    vec![
        [255, 255, 255],
        [0, 0, 0],
        [238, 236, 225],
        [31, 73, 125],
        [79, 129, 189],
        [192, 80, 77],
        [155, 187, 89],
        [128, 100, 162],
        [75, 172, 198],
        [247, 150, 70],
        [0, 0, 255],
        [128, 0, 128],
    ]
}

/// The theme's color scheme, in `theme` attribute order (Excel swaps dk1/lt1 and dk2/lt2).
fn read_theme_colors(data: &[u8]) -> Result<Vec<Rgb>, StylesError> {
    const SLOTS: [&str; 12] = [
        "dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5",
        "accent6", "hlink", "folHlink",
    ];
    let mut r = reader(data);
    let mut colors: Vec<Rgb> = Vec::new();
    let mut in_scheme = false;
    let mut slot_open = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let local = e.local_name();
                let local = local.as_ref();
                if local == "clrScheme" {
                    in_scheme = true;
                } else if in_scheme {
                    if SLOTS.contains(&local) {
                        slot_open = true;
                    } else if slot_open && matches!(local, "srgbClr" | "sysClr") {
                        let raw = e.attributes_raw();
                        let c = raw_attr(raw, "lastClr")
                            .and_then(parse_hex_color)
                            .or_else(|| raw_attr(raw, "val").and_then(parse_hex_color));
                        if let Some(c) = c {
                            colors.push(c);
                            slot_open = false;
                        }
                    }
                }
            }
            Ok(Event::End(e)) => {
                let local = e.local_name();
                let local = local.as_ref();
                if local == "clrScheme" {
                    break;
                }
                if slot_open && SLOTS.contains(&local) {
                    colors.push([0, 0, 0]);
                    slot_open = false;
                }
            }
            Ok(Event::DocType(_)) => return Err(StylesError::Dtd),
            Ok(Event::Eof) => break,
            Err(e) => return Err(StylesError::Xml(e.to_string())),
            Ok(_) => {}
        }
    }
    if colors.len() >= 4 {
        colors.swap(0, 1);
        colors.swap(2, 3);
        Ok(colors)
    } else {
        Ok(default_theme_colors())
    }
}

/// `RRGGBB` or `AARRGGBB`.
fn parse_hex_color(v: &str) -> Option<Rgb> {
    let pair = |at: usize| u8::from_str_radix(v.get(at..at + 2)?, 16).ok();
    match v.len() {
        6 => Some([pair(0)?, pair(2)?, pair(4)?]),
        8 => {
            pair(0)?;
            Some([pair(2)?, pair(4)?, pair(6)?])
        }
        _ => None,
    }
}

fn resolve_color(c: &ColorSpec, theme: &[Rgb]) -> Option<Rgb> {
    let color = if let Some(rgb) = &c.rgb {
        parse_hex_color(rgb)
    } else if let Some(t) = &c.theme {
        t.parse::<u8>()
            .ok()
            .map(|t| theme.get(usize::from(t)).copied().unwrap_or([0, 0, 0]))
    } else if let Some(i) = &c.indexed {
        i.parse::<u8>().ok().map(indexed_color)
    } else {
        None
    };
    let tint = c.tint.as_deref().and_then(|t| t.parse::<f64>().ok());
    color.map(|c| match tint {
        Some(t) if t != 0.0 => apply_tint(c, t),
        _ => c,
    })
}

/// The default indexed palette (ECMA-376 18.8.27); 64 is black, 65 white, others black.
fn indexed_color(i: u8) -> Rgb {
    const PALETTE: [u32; 64] = [
        0x000000, 0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x000000,
        0xFFFFFF, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0xFF00FF, 0x00FFFF, 0x800000, 0x008000,
        0x000080, 0x808000, 0x800080, 0x008080, 0xC0C0C0, 0x808080, 0x9999FF, 0x993366, 0xFFFFCC,
        0xCCFFFF, 0x660066, 0xFF8080, 0x0066CC, 0xCCCCFF, 0x000080, 0xFF00FF, 0xFFFF00, 0x00FFFF,
        0x800080, 0x800000, 0x008080, 0x0000FF, 0x00CCFF, 0xCCFFFF, 0xCCFFCC, 0xFFFF99, 0x99CCFF,
        0xFF99CC, 0xCC99FF, 0xFFCC99, 0x3366FF, 0x33CCCC, 0x99CC00, 0xFFCC00, 0xFF9900, 0xFF6600,
        0x666699, 0x969696, 0x003366, 0x339966, 0x003300, 0x333300, 0x993300, 0x993366, 0x333399,
        0x333333,
    ];
    match PALETTE.get(usize::from(i)) {
        Some(&c) => {
            let [_, r, g, b] = c.to_be_bytes();
            [r, g, b]
        }
        None if i == 65 => [255, 255, 255],
        None => [0, 0, 0],
    }
}

/// A tint applied to the luminance in HSL space (ECMA-376 18.8.19).
fn apply_tint([red, green, blue]: Rgb, tint: f64) -> Rgb {
    let (h, s, l) = rgb_to_hsl(red, green, blue);
    let l = if tint < 0.0 {
        l * (1.0 + tint)
    } else {
        l * (1.0 - tint) + tint
    };
    hsl_to_rgb(h, s, l.clamp(0.0, 1.0))
}

fn rgb_to_hsl(red: u8, green: u8, blue: u8) -> (f64, f64, f64) {
    let r = f64::from(red) / 255.0;
    let g = f64::from(green) / 255.0;
    let b = f64::from(blue) / 255.0;
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let lum = (max + min) / 2.0;
    if max == min {
        return (0.0, 0.0, lum);
    }
    let delta = max - min;
    let sat = if lum > 0.5 {
        delta / (2.0 - max - min)
    } else {
        delta / (max + min)
    };
    let hue = if max == r {
        (g - b) / delta + if g < b { 6.0 } else { 0.0 }
    } else if max == g {
        (b - r) / delta + 2.0
    } else {
        (r - g) / delta + 4.0
    };
    (hue / 6.0, sat, lum)
}

fn hsl_to_rgb(hue: f64, sat: f64, lum: f64) -> Rgb {
    let channel = |v: f64| (v * 255.0).round().clamp(0.0, 255.0) as u8;
    if sat == 0.0 {
        let g = channel(lum);
        return [g, g, g];
    }
    let q = if lum < 0.5 {
        lum * (1.0 + sat)
    } else {
        lum + sat - lum * sat
    };
    let p = 2.0 * lum - q;
    let hue_channel = |h: f64| {
        let h = h.rem_euclid(1.0);
        let v = if h < 1.0 / 6.0 {
            p + (q - p) * 6.0 * h
        } else if h < 0.5 {
            q
        } else if h < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - h) * 6.0
        } else {
            p
        };
        channel(v)
    };
    [
        hue_channel(hue + 1.0 / 3.0),
        hue_channel(hue),
        hue_channel(hue - 1.0 / 3.0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_formats_tell_dates_from_numbers() {
        assert_eq!(custom_format("dd/mm/yyyy"), Number::Date);
        assert_eq!(custom_format("[h]:mm:ss"), Number::Duration);
        assert_eq!(custom_format("\"Day\" 0"), Number::Plain);
        assert_eq!(custom_format("0.00;[Red]-0.00"), Number::Plain);
        assert_eq!(custom_format("#,##0*y"), Number::Plain);
        assert_eq!(custom_format("h:mm AM/PM"), Number::Date);
        assert_eq!(builtin_format("14"), Number::Date);
        assert_eq!(builtin_format("2"), Number::Plain);
    }
}
