//! `orgprofile check`: reads one profile file, runs the library's checker and prints the
//! findings as text, JSON or Markdown. Exit 0 without error-level findings, 1 with some, 2 when
//! the file cannot be read or is not a JSON object (one line on stderr naming the file). The
//! rules and the renderings live in `orgprofile::check`; this file only does the I/O.

use crate::args::{CheckArgs, ReportFormat};
use crate::exit::{self, Exit};
use orgprofile::check::{self, Findings};
use orgprofile::profile::{self, MAX_PROFILE_BYTES};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

pub fn run(args: CheckArgs) -> Exit {
    let profile = match load(&args.profile) {
        Ok(v) => v,
        Err(message) => {
            eprintln!("{}: {message}", args.profile.display());
            return Exit::Unreadable;
        }
    };
    let findings = check::check(&profile);
    let edition = args.edition.into();
    let printed = match args.format {
        ReportFormat::Text => exit::print_text(&check::render_text(&findings, edition)),
        ReportFormat::Json => exit::print_json(&findings),
        ReportFormat::Markdown => exit::print_text(&check::render_markdown(
            &findings,
            edition,
            &title(&profile, &args.profile),
        )),
    };
    match printed {
        Exit::Ok => verdict(&findings),
        other => other,
    }
}

fn verdict(findings: &Findings) -> Exit {
    if findings.has_errors() {
        Exit::Gaps
    } else {
        Exit::Ok
    }
}

/// Reads at most `MAX_PROFILE_BYTES` (+1 to notice a larger file) and parses the profile.
fn load(path: &Path) -> Result<Value, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_PROFILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    profile::parse_profile(&bytes).map_err(|e| e.to_string())
}

/// "Organization profile: Apex IT Services Ltd", or the file name when the name is not filled.
fn title(profile: &Value, path: &Path) -> String {
    match profile
        .pointer("/organization/name")
        .and_then(Value::as_str)
    {
        Some(name) if check::is_filled(name) => {
            format!("Organization profile: {}", name.trim())
        }
        _ => format!(
            "Organization profile: {}",
            path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned()
            )
        ),
    }
}
