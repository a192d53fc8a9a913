//! `orgprofile extract FILE [--format json|text]`: reads one file and prints its document model,
//! as JSON (every block and cell with its locator) or as an indented outline. Exit 0 when the
//! file was read, 2 with a one-line `FILE: reason` on stderr when it could not be.

use crate::args::{ExtractArgs, ExtractFormat};
use crate::exit::{self, Exit};
use orgprofile::document::{Block, BlockKind, Document, Format, Region};
use orgprofile::read::{self, FileError, Limits};
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
/// indented by depth), tables as one `locator: text` line per non-empty cell.
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

fn block_line(out: &mut String, block: &Block) {
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
                "{} {}    ({}){region}{mark}",
                "#".repeat(usize::from(*level).max(1)),
                block.text,
                block.locator
            );
        }
        BlockKind::Paragraph => {
            let _ = writeln!(out, "{}    ({}){region}{mark}", block.text, block.locator);
        }
        BlockKind::ListItem { depth, number } => {
            let indent = "  ".repeat(usize::from(*depth) + 1);
            let bullet = number.as_deref().unwrap_or("-");
            let _ = writeln!(
                out,
                "{indent}{bullet} {}    ({}){region}{mark}",
                block.text, block.locator
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
                    let _ = write!(out, "  {}: {}", cell.locator, cell.text);
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
