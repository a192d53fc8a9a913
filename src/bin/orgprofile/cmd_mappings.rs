//! `orgprofile map FILE` (the candidates one file yields and the judge's verdict on each, to
//! test a rule) and
//! `orgprofile mappings check|list` (validate rule folders, show the effective rules).
//!
//! Takes parsed arguments, calls the library ([`orgprofile::map`], [`orgprofile::read`]), prints
//! and returns the exit status. Invalid rules exit 78 (`Exit::BadRules`) with every error on
//! standard error, one `file:line:column: message` per line.

use crate::args::{ExtractFormat, MapArgs, MappingsArgs, MappingsCommand};
use crate::exit::{self, Exit};
use orgprofile::document::Format;
use orgprofile::map::{self, Rules};
use orgprofile::read::{self, Limits};
use orgprofile::{judge, merge};
use std::fmt::Write as _;
use std::path::PathBuf;

fn load(dirs: &[PathBuf]) -> Result<Rules, Exit> {
    Rules::load(dirs).map_err(bad_rules)
}

/// Prints every rule error and the way out; the exit status for bad rules.
fn bad_rules(e: map::RuleErrors) -> Exit {
    eprintln!("{e}");
    let n = e.errors.len();
    eprintln!(
        "orgprofile: {n} error{} in the mapping rules; fix {} and run `orgprofile mappings check` again",
        if n == 1 { "" } else { "s" },
        if n == 1 { "it" } else { "them" }
    );
    Exit::BadRules
}

/// `orgprofile map FILE [--mappings DIR]... [--format text|json]`.
pub fn run_map(args: MapArgs) -> Exit {
    let rules = match load(&args.mappings) {
        Ok(r) => r,
        Err(e) => return e,
    };
    let display = args.file.display().to_string().replace('\\', "/");
    let claimed = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .and_then(Format::from_extension);
    let doc = match read::read_file(&args.file, &display, claimed, &Limits::default()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{display}: {e}");
            return Exit::Unreadable;
        }
    };
    let mapped = map::map_document(&doc, &rules);
    let judged = judge::judge_document(&doc, mapped.candidates, &rules.judge);
    match args.format {
        ExtractFormat::Json => exit::print_json(&serde_json::json!({
            "candidates": judged,
            "hints": mapped.hints,
        })),
        ExtractFormat::Text => exit::print_text(&render_mapped(&judged, &mapped.hints)),
    }
}

/// One candidate a line, then the judge's verdict and the evidence the merge starts from.
fn render_mapped(judged: &[judge::Judged], hints: &[map::Hint]) -> String {
    let mut out = String::new();
    if judged.is_empty() {
        out.push_str("no candidates: no rule matched this file\n");
    }
    for j in judged {
        let c = &j.candidate;
        let how = serde_json::to_value(c.how)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}  {}  [{}]  rule {} ({how}, priority {})",
            c.field, c.value, c.locator, c.rule, c.priority
        );
        match &j.verdict {
            judge::Verdict::Rejected { reason } => {
                let _ = writeln!(out, "    rejected: {reason}");
            }
            judge::Verdict::Weighed { weight, .. } => {
                let evidence = merge::evidence(c.priority, *weight);
                let reasons = j.verdict.reasons();
                let why = if reasons.is_empty() {
                    "nothing speaks against it".to_string()
                } else {
                    reasons.join("; ")
                };
                let _ = writeln!(
                    out,
                    "    weight {}: {why}; evidence {}",
                    judge::trim_number(*weight),
                    judge::trim_number(evidence)
                );
            }
        }
    }
    if !hints.is_empty() {
        out.push_str("\nnear misses (not matched):\n");
        for h in hints {
            let _ = writeln!(out, "  {h}");
        }
    }
    out
}

/// `orgprofile mappings check [DIR]...` and `orgprofile mappings list [--mappings DIR]...`.
pub fn run(args: MappingsArgs) -> Exit {
    match args.command {
        // The shipped regexes are built when first used; a check builds them all.
        MappingsCommand::Check { dirs } => match Rules::check_defaults()
            .map_err(bad_rules)
            .and_then(|()| load(&dirs))
        {
            Ok(rules) => {
                let what = if dirs.is_empty() {
                    "the shipped defaults".to_string()
                } else {
                    format!(
                        "the shipped defaults and {}",
                        dirs.iter()
                            .map(|d| d.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                exit::print_text(&format!(
                    "ok: {} rules in effect from {what}\n",
                    rules.len()
                ))
            }
            Err(e) => e,
        },
        MappingsCommand::List { mappings } => match load(&mappings) {
            Ok(rules) => {
                let list = rules.list();
                let w_id = list.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
                let w_target = list
                    .iter()
                    .map(|r| r.target.len())
                    .max()
                    .unwrap_or(6)
                    .max(6);
                let mut out = format!(
                    "{:<w_id$}  {:<8}  {:<w_target$}  {:>8}  origin\n",
                    "id", "kind", "target", "priority"
                );
                for r in &list {
                    let _ = writeln!(
                        out,
                        "{:<w_id$}  {:<8}  {:<w_target$}  {:>8}  {}",
                        r.id, r.kind, r.target, r.priority, r.origin
                    );
                }
                exit::print_text(&out)
            }
            Err(e) => e,
        },
    }
}
