//! `orgprofile import`, `batch` and `explain`: parse what the library needs from the arguments,
//! build the rayon pool and the progress bar, call the pipeline, print a short summary and map
//! the outcome to an exit status (`exit.rs`).

use crate::args::{BatchArgs, Edition, ExplainArgs, ImportArgs};
use crate::exit::{self, Exit};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orgprofile::map::Rules;
use orgprofile::pipeline::{self, Observer, Options, Quiet, Shard};
use orgprofile::report::{self, SummaryRow};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn edition(e: Edition) -> report::Edition {
    match e {
        Edition::E2011 => report::Edition::E2011,
        Edition::E2018 => report::Edition::E2018,
    }
}

fn load_rules(dirs: &[PathBuf]) -> Result<Rules, Exit> {
    Rules::load(dirs).map_err(|errors| {
        eprintln!("{errors}");
        eprintln!("orgprofile: the mapping rules above are invalid; fix them and run again");
        Exit::BadRules
    })
}

fn require_folder(what: &str, path: &Path) -> Result<(), Exit> {
    if path.is_dir() {
        Ok(())
    } else {
        eprintln!(
            "orgprofile: {}: {what} not found or not a folder",
            path.display()
        );
        Err(Exit::Usage)
    }
}

/// The outputs must not land in the folder being read (they would be read back as documents).
fn distinct_output(input: &Path, out: &Path) -> Result<(), Exit> {
    let same = match (std::fs::canonicalize(input), std::fs::canonicalize(out)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        eprintln!(
            "orgprofile: {}: the output folder is the folder being read; give another folder with -o",
            out.display()
        );
        return Err(Exit::Usage);
    }
    Ok(())
}

fn load_base(path: &Path) -> Result<serde_json::Value, Exit> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!(
            "orgprofile: {}: cannot read the base profile: {e}",
            path.display()
        );
        Exit::Usage
    })?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        eprintln!(
            "orgprofile: {}: the base profile is not valid JSON: {e}",
            path.display()
        );
        Exit::Usage
    })?;
    if !value.is_object() {
        eprintln!(
            "orgprofile: {}: the base profile must be a JSON object",
            path.display()
        );
        return Err(Exit::Usage);
    }
    Ok(value)
}

fn row_line(row: &SummaryRow) -> String {
    format!(
        "{}: {}; {}/8 sections complete, {} error(s), {} warning(s), {} conflict(s); {} file(s) read, {} unreadable, {} skipped",
        row.client,
        row.status,
        row.sections_complete,
        row.errors,
        row.warnings,
        row.conflicts,
        row.files_read,
        row.files_unreadable,
        row.files_skipped
    )
}

pub fn import(args: ImportArgs) -> Exit {
    match import_inner(args) {
        Ok(e) | Err(e) => e,
    }
}

fn import_inner(args: ImportArgs) -> Result<Exit, Exit> {
    require_folder("client folder", &args.client_dir)?;
    distinct_output(&args.client_dir, &args.out)?;
    let rules = load_rules(&args.mappings)?;
    let base = args.base.as_deref().map(load_base).transpose()?;
    let options = Options {
        rules,
        base,
        edition: edition(args.edition),
        ..Options::default()
    };
    let outcome = pipeline::import_client(&args.client_dir, &args.out, &options, &Quiet);
    if let Some(e) = &outcome.error {
        eprintln!("orgprofile: {e}");
    } else {
        exit::print_text(&format!(
            "{}\nwrote {}\n",
            row_line(&outcome.row),
            args.out.join("report.md").display()
        ));
    }
    Ok(exit::from_outcome(
        outcome.write_failed(),
        outcome.has_unreadable(),
        outcome.has_gaps(),
    ))
}

/// The progress bar: clients done of the total, files read, files that failed, ETA.
struct Progress {
    bar: ProgressBar,
    files: AtomicUsize,
    failed: AtomicUsize,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
        };
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} clients  {msg}  ETA {eta}")
        {
            bar.set_style(style);
        }
        Progress {
            bar,
            files: AtomicUsize::new(0),
            failed: AtomicUsize::new(0),
        }
    }

    fn message(&self) {
        self.bar.set_message(format!(
            "{} files read, {} unreadable",
            self.files.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed)
        ));
    }
}

impl Observer for Progress {
    fn batch_started(&self, clients: usize) {
        self.bar.set_length(clients as u64);
    }
    fn file_done(&self, _client: &str, _file: &str, ok: bool) {
        if ok {
            self.files.fetch_add(1, Ordering::Relaxed);
        } else {
            self.failed.fetch_add(1, Ordering::Relaxed);
        }
        self.message();
    }
    fn client_done(&self, _row: &SummaryRow) {
        self.bar.inc(1);
    }
}

pub fn batch(args: BatchArgs) -> Exit {
    match batch_inner(args) {
        Ok(e) | Err(e) => e,
    }
}

fn batch_inner(args: BatchArgs) -> Result<Exit, Exit> {
    let shard = args
        .shard
        .as_deref()
        .map(str::parse::<Shard>)
        .transpose()
        .map_err(|e| {
            eprintln!("orgprofile: {e}");
            Exit::Usage
        })?;
    if args.jobs == Some(0) {
        eprintln!(
            "orgprofile: -j 0: give at least one worker thread, or leave -j out to use every core"
        );
        return Err(Exit::Usage);
    }
    require_folder("batch root", &args.root)?;
    distinct_output(&args.root, &args.out)?;
    let rules = load_rules(&args.mappings)?;
    let options = Options {
        rules,
        edition: edition(args.edition),
        shard,
        ..Options::default()
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(j) = args.jobs {
        pool = pool.num_threads(j);
    }
    let pool = pool.build().map_err(|e| {
        eprintln!("orgprofile: cannot start the worker threads: {e}");
        Exit::Usage
    })?;
    let progress = Progress::new(args.quiet);
    let result = pool.install(|| pipeline::run_batch(&args.root, &args.out, &options, &progress));
    progress.bar.finish_and_clear();
    let outcome = match result {
        Ok(o) => o,
        Err(e @ pipeline::BatchError::Output(_)) => {
            eprintln!("orgprofile: {e}");
            return Err(Exit::CannotWrite);
        }
        Err(e) => {
            eprintln!("orgprofile: {e}");
            return Err(Exit::Unreadable);
        }
    };
    for c in &outcome.clients {
        if let Some(e) = &c.error {
            eprintln!("orgprofile: {}: {e}", c.row.client);
        }
    }
    if let Some(e) = &outcome.summary_error {
        eprintln!("orgprofile: {e}");
    }
    let rows = &outcome.summary.clients;
    let count = |pred: &dyn Fn(&SummaryRow) -> bool| rows.iter().filter(|r| pred(r)).count();
    let text = format!(
        "{} client(s): {} ok, {} with gaps, {} with unreadable files, {} failed\nwrote {}\n",
        rows.len(),
        count(&|r| r.status == "ok"),
        count(&|r| r.errors > 0),
        count(&|r| r.files_unreadable > 0),
        count(&|r| r.status.starts_with("failed")),
        args.out.join("summary.csv").display()
    );
    let printed = exit::print_text(&text);
    let code = exit::from_outcome(
        outcome.write_failed(),
        outcome.has_unreadable(),
        outcome.has_gaps(),
    );
    Ok(if code == Exit::Ok { printed } else { code })
}

pub fn explain(args: ExplainArgs) -> Exit {
    match report::explain(&args.out_dir, args.field.as_deref()) {
        Ok(text) => exit::print_text(&text),
        Err(e @ report::ExplainError::UnknownField(_)) => {
            eprintln!("orgprofile: {e}");
            Exit::Usage
        }
        Err(e) => {
            eprintln!("orgprofile: {e}");
            Exit::Unreadable
        }
    }
}
