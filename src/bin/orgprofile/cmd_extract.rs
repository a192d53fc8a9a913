//! `orgprofile extract FILE [--format json|text]`: reads one file and prints its document model,
//! as JSON (every block and cell with its locator and line breaks) or as an indented outline. Exit 0 when the
//! file was read, 2 with a one-line `FILE: reason` on stderr when it could not be.

use crate::args::{ExtractArgs, ExtractFormat};
use crate::exit::{self, Exit};
use orgprofile::document::{Block, BlockKind, Document, Format, Region};
use orgprofile::read::{self, FileError, Limits};
use std::borrow::Cow;
use std::fmt::Write;

pub fn run(args: ExtractArgs) -> Exit {
    let display = args.file.display().to_string();
    let claimed = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension);
    match read::read_file(&args.file, &display, claimed, &Limits::default()) {
        Ok(doc) => match args.format {
            ExtractFormat::Json => exit::print_json(&doc),
            ExtractFormat::Text => exit::print_text(&outline(&doc)),
        },
        Err(error) => {
            eprintln!(
                "{}",
                FileError {
                    path: display,
                    error
                }
            );
            Exit::Unreadable
        }
    }
}

/// The indented outline: metadata and notes first, then one line per block (list items
/// indented by depth), tables as one `locator: text` line per non-empty cell. A block's or
/// cell's own line breaks show as ` ⏎ `.
fn outline(doc: &Document) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", doc.path, doc.format.describe());
    let m = &doc.metadata;
    for (key, value) in [
        ("title", &m.title),
        ("author", &m.author),
        ("last modified by", &m.last_modified_by),
        ("created", &m.created),
        ("modified", &m.modified),
    ] {
        if let Some(v) = value {
            let _ = writeln!(out, "  {key}: {v}");
        }
    }
    for (key, value) in &m.properties {
        let _ = writeln!(out, "  {key}: {value}");
    }
    for note in &doc.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    out.push('\n');
    for block in &doc.blocks {
        block_line(&mut out, block);
    }
    out
}

/// A text with its line breaks shown as ` ⏎ `.
fn shown<'a>(text: &'a str, breaks: &[u32], lines: impl Iterator<Item = &'a str>) -> Cow<'a, str> {
    if breaks.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(lines.collect::<Vec<_>>().join(" ⏎ "))
    }
}

fn block_line(out: &mut String, block: &Block) {
    let text = shown(&block.text, &block.breaks, block.lines());
    let region = match block.region {
        Region::Body => String::new(),
        other => format!(
            " [{}]",
            serde_json::to_value(other)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ),
    };
    let mark = if block.highlighted {
        " [highlighted]"
    } else {
        ""
    };
    match &block.kind {
        BlockKind::Heading { level } => {
            let _ = writeln!(
                out,
                "{} {text}    ({}){region}{mark}",
                "#".repeat(usize::from(*level).max(1)),
                block.locator
            );
        }
        BlockKind::Paragraph => {
            let _ = writeln!(out, "{text}    ({}){region}{mark}", block.locator);
        }
        BlockKind::ListItem { depth, number } => {
            let indent = "  ".repeat(usize::from(*depth) + 1);
            let bullet = number.as_deref().unwrap_or("-");
            let _ = writeln!(
                out,
                "{indent}{bullet} {text}    ({}){region}{mark}",
                block.locator
            );
        }
        BlockKind::Table(table) => {
            let mut title = format!("table {}", block.locator);
            if let Some(name) = &table.name {
                let _ = write!(title, " \"{name}\"");
            }
            if table.hidden {
                title.push_str(" (hidden sheet)");
            }
            let width = table.rows.iter().map(Vec::len).max().unwrap_or(0);
            let _ = writeln!(
                out,
                "{title}: {} rows x {width} columns{region}{mark}",
                table.rows.len()
            );
            for row in &table.rows {
                for cell in row {
                    if cell.text.is_empty() && cell.note.is_none() {
                        continue;
                    }
                    let text = shown(&cell.text, &cell.breaks, cell.lines());
                    let _ = write!(out, "  {}: {text}", cell.locator);
                    if let Some(note) = &cell.note {
                        let _ = write!(out, "  ({note})");
                    }
                    if cell.highlighted {
                        out.push_str(" [highlighted]");
                    }
                    out.push('\n');
                }
            }
        }
    }
}
