//! The pipeline: walk, read, map, judge, merge, check and report for one client
//! ([`import_client`]) or every client folder under a root ([`run_batch`]).
//!
//! Work runs on the current rayon pool (the binary sizes it with `-j`), over clients and, inside
//! each client, over files. Each document is mapped to candidates and judged right after it is
//! read (the judge reads the text around each value) and then dropped, so memory is bounded by
//! the files in flight, not by the number of clients. One
//! client's failure, even a panic, becomes its row in the summary; the run goes on. Results are
//! sorted before they are written, so any number of threads gives the same bytes.
//!
//! Progress goes through the [`Observer`] trait; the library never prints.

use crate::check;
use crate::contain::contain;
use crate::judge::{self, Judged};
use crate::map::{self, Hint, Rules};
use crate::merge;
use crate::read::{self, Limits};
use crate::report::{self, ClientReport, Edition, FileProblem, FileRead, Summary, SummaryRow};
use crate::walk::{self, WalkError, WalkOptions, WalkedFile};
use rayon::prelude::*;
use serde_json::Value;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use thiserror::Error;

/// Receives progress events; the binary implements it with progress bars. Every method has an
/// empty default. Calls come from several threads at once.
pub trait Observer: Sync {
    /// A batch is about to process this many clients.
    fn batch_started(&self, _clients: usize) {}
    /// A client's folder was walked and this many files will be read.
    fn client_started(&self, _client: &str, _files: usize) {}
    /// A file was read (or failed to be).
    fn file_done(&self, _client: &str, _file: &str, _ok: bool) {}
    /// A client is finished (its outputs written, or it failed).
    fn client_done(&self, _row: &SummaryRow) {}
}

/// An [`Observer`] that ignores every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Observer for Quiet {}

/// Which clients of a batch one run takes: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based shard number (K).
    pub index: u64,
    /// Number of shards (N).
    pub count: u64,
}

/// `--shard` is not `K/N` with 1 <= K <= N.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("--shard {0}: expected K/N with 1 <= K <= N, e.g. --shard 2/8")]
pub struct ShardError(pub String);

impl FromStr for Shard {
    type Err = ShardError;
    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let bad = || ShardError(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the client folder with this name belongs to this shard: FNV-1a 64 of the name's
    /// UTF-8 bytes, modulo N, equals K - 1. Stable across machines, releases and runs.
    pub fn contains(&self, client: &str) -> bool {
        fnv1a64(client.as_bytes()) % self.count == self.index - 1
    }
}

/// FNV-1a, 64 bits: a stable hash for sharding (std's `DefaultHasher` may change between Rust
/// releases, so shards computed by different builds could disagree).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// What every client of a run shares.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Compiled mapping rules.
    pub rules: Rules,
    /// A profile whose values win over the documents' (see [`crate::merge`]).
    pub base: Option<Value>,
    /// Read limits (the walk skips files over `limits.max_file_size`).
    pub limits: Limits,
    /// Which edition's clauses the reports cite first.
    pub edition: Edition,
    /// Only the clients of this shard (batch only).
    pub shard: Option<Shard>,
}

/// Why a client produced no report.
#[derive(Debug, Error)]
pub enum ClientError {
    /// The client folder could not be walked.
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// An output could not be written.
    #[error(transparent)]
    Write(#[from] report::WriteError),
    /// A bug: something panicked while processing the client.
    #[error("internal error (please report it): {0}")]
    Panic(String),
}

/// How one client ended.
#[derive(Debug)]
pub struct ClientOutcome {
    /// Its summary row (status `failed: ...` when it failed).
    pub row: SummaryRow,
    /// Why it failed, if it did.
    pub error: Option<ClientError>,
}

impl ClientOutcome {
    /// Whether the profile has error-level gaps.
    pub fn has_gaps(&self) -> bool {
        self.row.errors > 0
    }
    /// Whether some file could not be read, or the client failed for a reason other than
    /// writing.
    pub fn has_unreadable(&self) -> bool {
        self.row.files_unreadable > 0
            || matches!(
                self.error,
                Some(ClientError::Walk(_)) | Some(ClientError::Panic(_))
            )
    }
    /// Whether an output could not be written.
    pub fn write_failed(&self) -> bool {
        matches!(self.error, Some(ClientError::Write(_)))
    }
}

/// What one file gave.
enum FileOutcome {
    Read {
        read: FileRead,
        judged: Vec<Judged>,
        hints: Vec<Hint>,
    },
    Unreadable(FileProblem),
}

fn process_file(f: &WalkedFile, options: &Options) -> FileOutcome {
    let doc = match read::read_file(&f.full_path, &f.path, Some(f.format), &options.limits) {
        Ok(doc) => doc,
        Err(e) => {
            return FileOutcome::Unreadable(FileProblem {
                path: f.path.clone(),
                reason: e.to_string(),
            })
        }
    };
    // The document is dropped at the end of this function: only its judged candidates live on.
    let mapped = contain(|| {
        let m = map::map_document(&doc, &options.rules);
        (
            judge::judge_document(&doc, m.candidates, &options.rules.judge),
            m.hints,
        )
    });
    match mapped {
        Ok((judged, hints)) => FileOutcome::Read {
            read: FileRead {
                path: f.path.clone(),
                format: doc.format,
                // The people of an org chart are not values of the profile.
                values: judged
                    .iter()
                    .filter(|j| {
                        j.verdict.weight() > 0.0
                            && j.candidate.field != crate::profile::PEOPLE.pointer
                    })
                    .count(),
                notes: doc.notes.clone(),
            },
            judged,
            hints,
        },
        Err(p) => FileOutcome::Unreadable(FileProblem {
            path: f.path.clone(),
            reason: format!("internal error while mapping (please report it): {p}"),
        }),
    }
}

/// Drafts one client's profile and report, without writing anything: walk, read and map every
/// file (in parallel on the current rayon pool), merge, check.
pub fn draft_client(
    dir: &Path,
    client: &str,
    options: &Options,
    observer: &dyn Observer,
) -> Result<ClientReport, ClientError> {
    draft(dir, client, options, observer, None)
}

/// [`draft_client`], not walking the output folder `exclude` if it is inside the client folder.
fn draft(
    dir: &Path,
    client: &str,
    options: &Options,
    observer: &dyn Observer,
    exclude: Option<PathBuf>,
) -> Result<ClientReport, ClientError> {
    let walked = walk::walk(
        dir,
        &WalkOptions {
            max_file_size: options.limits.max_file_size,
            exclude,
        },
    )
    .map_err(|e| e.with_path(client))?;
    observer.client_started(client, walked.files.len());
    let outcomes: Vec<FileOutcome> = walked
        .files
        .par_iter()
        .map(|f| {
            let out = process_file(f, options);
            observer.file_done(client, &f.path, matches!(out, FileOutcome::Read { .. }));
            out
        })
        .collect();

    let mut judged = Vec::new();
    let mut hints = Vec::new();
    let mut files_read = Vec::new();
    let mut files_unreadable = Vec::new();
    let mut files_skipped = Vec::new();
    for o in outcomes {
        match o {
            FileOutcome::Read {
                read,
                judged: j,
                hints: h,
            } => {
                files_read.push(read);
                judged.extend(j);
                hints.extend(h);
            }
            FileOutcome::Unreadable(p) => files_unreadable.push(p),
        }
    }
    for s in walked.skipped {
        let p = FileProblem {
            path: s.path,
            reason: s.reason,
        };
        if s.why.is_unreadable() {
            files_unreadable.push(p);
        } else {
            files_skipped.push(p);
        }
    }
    let by_path = |a: &FileProblem, b: &FileProblem| a.path.cmp(&b.path);
    files_unreadable.sort_by(by_path);
    files_skipped.sort_by(by_path);
    let mut keyed: Vec<(String, Hint)> = hints
        .into_iter()
        .map(|h| (serde_json::to_string(&h).unwrap_or_default(), h))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.0 == b.0);
    let hints = keyed.into_iter().map(|(_, h)| h).collect();

    let policy = merge::Policy::from(&options.rules.judge);
    let merged = merge::merge(&judged, options.base.as_ref(), &policy);
    let findings = check::check(&merged.profile);
    Ok(ClientReport {
        client: client.to_string(),
        merged,
        findings,
        files_read,
        files_skipped,
        files_unreadable,
        hints,
    })
}

/// The summary row of a drafted client.
pub fn summarize(report: &ClientReport) -> SummaryRow {
    let errors = report
        .findings
        .findings
        .iter()
        .filter(|f| f.severity == check::Severity::Error)
        .count();
    let warnings = report.findings.findings.len() - errors;
    let status = match (errors > 0, !report.files_unreadable.is_empty()) {
        (false, false) => "ok",
        (true, false) => "gaps",
        (false, true) => "unreadable files",
        (true, true) => "gaps, unreadable files",
    };
    SummaryRow {
        client: report.client.clone(),
        status: status.to_string(),
        sections_complete: report.findings.sections_complete,
        errors,
        warnings,
        conflicts: report.merged.conflicts.len(),
        files_read: report.files_read.len(),
        files_unreadable: report.files_unreadable.len(),
        files_skipped: report.files_skipped.len(),
        sections: report.section_states(),
    }
}

fn failed_row(client: &str, reason: &str) -> SummaryRow {
    SummaryRow {
        client: client.to_string(),
        status: format!("failed: {reason}"),
        sections_complete: 0,
        errors: 0,
        warnings: 0,
        conflicts: 0,
        files_read: 0,
        files_unreadable: 0,
        files_skipped: 0,
        sections: Vec::new(),
    }
}

/// Drafts one client and writes its outputs into `out`. Never panics: a panic while processing
/// the client becomes [`ClientError::Panic`]. `shown_out` is how messages name the output
/// folder (so a batch's summary holds no absolute path).
fn run_client(
    dir: &Path,
    client: &str,
    out: &Path,
    exclude: &Path,
    shown_out: &str,
    options: &Options,
    observer: &dyn Observer,
) -> ClientOutcome {
    let result = contain(|| {
        let report = draft(
            dir,
            client,
            options,
            observer,
            std::fs::canonicalize(exclude).ok(),
        )?;
        report::write_client(out, &report, options.edition).map_err(|e| {
            let name = e
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ClientError::Write(report::WriteError {
                path: Path::new(shown_out).join(name),
                message: e.message,
            })
        })?;
        Ok::<_, ClientError>(summarize(&report))
    });
    let outcome = match result {
        Ok(Ok(row)) => ClientOutcome { row, error: None },
        Ok(Err(e)) => ClientOutcome {
            row: failed_row(client, &e.to_string()),
            error: Some(e),
        },
        Err(p) => {
            let e = ClientError::Panic(p);
            ClientOutcome {
                row: failed_row(client, &e.to_string()),
                error: Some(e),
            }
        }
    };
    observer.client_done(&outcome.row);
    outcome
}

/// `orgprofile import`: drafts the client in `dir` and writes `profile.json`, `sources.json`,
/// `report.json` and `report.md` into `out`. The client's name is the folder's name.
pub fn import_client(
    dir: &Path,
    out: &Path,
    options: &Options,
    observer: &dyn Observer,
) -> ClientOutcome {
    let client = client_name(dir);
    run_client(
        dir,
        &client,
        out,
        out,
        &out.display().to_string(),
        options,
        observer,
    )
}

fn client_name(dir: &Path) -> String {
    fs_canonical(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "client".to_string())
}

fn fs_canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// A batch's result.
#[derive(Debug)]
pub struct BatchOutcome {
    /// One outcome per client of the shard, sorted by client name.
    pub clients: Vec<ClientOutcome>,
    /// The summary that was written.
    pub summary: Summary,
    /// Why `summary.json` / `summary.csv` could not be written, if they could not.
    pub summary_error: Option<report::WriteError>,
}

impl BatchOutcome {
    /// Some profile has error-level gaps.
    pub fn has_gaps(&self) -> bool {
        self.clients.iter().any(ClientOutcome::has_gaps)
    }
    /// Some file or client could not be read.
    pub fn has_unreadable(&self) -> bool {
        self.clients.iter().any(ClientOutcome::has_unreadable)
    }
    /// Some output could not be written.
    pub fn write_failed(&self) -> bool {
        self.summary_error.is_some() || self.clients.iter().any(ClientOutcome::write_failed)
    }
}

/// A batch cannot start.
#[derive(Debug, Error)]
pub enum BatchError {
    /// The root folder cannot be listed.
    #[error("{path}: cannot list the folder of clients: {message}")]
    Root {
        /// The root as given.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// The output folder cannot be created.
    #[error(transparent)]
    Output(#[from] report::WriteError),
}

/// What a batch root holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootListing {
    /// Client folders (name, path), sorted by name.
    pub clients: Vec<(String, PathBuf)>,
    /// Entries that are not clients (loose files, hidden and system folders, the output folder).
    pub skipped: Vec<FileProblem>,
}

/// The clients under a batch root (immediate subfolders, sorted by name) and the entries that
/// are not clients (loose files, hidden and system folders, the output folder itself).
pub fn list_clients(root: &Path, out: &Path) -> Result<RootListing, BatchError> {
    let err = |e: std::io::Error| BatchError::Root {
        path: root.display().to_string(),
        message: e.to_string(),
    };
    let out_canonical = fs_canonical(out);
    let root_canonical = fs_canonical(root);
    let mut clients = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(root).map_err(err)? {
        let entry = entry.map_err(err)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_link = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if is_link && !fs_canonical(&path).starts_with(&root_canonical) {
            let reason = if path.exists() {
                "symbolic link to a place outside the batch root, not followed; copy the client folder into the root to include it".to_string()
            } else {
                walk::SkipReason::BrokenLink.to_string()
            };
            skipped.push(FileProblem { path: name, reason });
            continue;
        }
        let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir {
            let reason = match walk::classify_name(&name) {
                Some(why) => why.to_string(),
                None => "a loose file at the batch root, not in a client folder; move it into its client's folder".to_string(),
            };
            skipped.push(FileProblem { path: name, reason });
            continue;
        }
        if let Some(why) = walk::classify_name(&name) {
            skipped.push(FileProblem {
                path: format!("{name}/"),
                reason: why.to_string(),
            });
            continue;
        }
        if fs_canonical(&path) == out_canonical {
            skipped.push(FileProblem {
                path: format!("{name}/"),
                reason: "the output folder of this run".to_string(),
            });
            continue;
        }
        clients.push((name, path));
    }
    clients.sort_by(|a, b| a.0.cmp(&b.0));
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(RootListing { clients, skipped })
}

/// `orgprofile batch`: drafts every client folder under `root` (those of `options.shard`) on the
/// current rayon pool, writes each into `out/CLIENT/`, then `summary.json` and `summary.csv`.
/// Fails only when the root cannot be listed or the output folder cannot be created; every
/// other problem is a row of the summary.
pub fn run_batch(
    root: &Path,
    out: &Path,
    options: &Options,
    observer: &dyn Observer,
) -> Result<BatchOutcome, BatchError> {
    std::fs::create_dir_all(out).map_err(|e| report::WriteError {
        path: out.to_path_buf(),
        message: e.to_string(),
    })?;
    let RootListing {
        clients,
        mut skipped,
    } = list_clients(root, out)?;
    let clients: Vec<_> = clients
        .into_iter()
        .filter(|(name, _)| options.shard.is_none_or(|s| s.contains(name)))
        .collect();
    // Loose files belong to no shard: list them once, in shard 1.
    if options.shard.is_some_and(|s| s.index != 1) {
        skipped.clear();
    }
    observer.batch_started(clients.len());
    let outcomes: Vec<ClientOutcome> = clients
        .par_iter()
        .map(|(name, dir)| run_client(dir, name, &out.join(name), out, name, options, observer))
        .collect();
    let summary = Summary {
        shard: options.shard.map(|s| s.to_string()),
        clients: outcomes.iter().map(|o| o.row.clone()).collect(),
        skipped,
    };
    let summary_error = report::write_summary(out, &summary).err();
    Ok(BatchOutcome {
        clients: outcomes,
        summary,
        summary_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn shards_parse_and_reject_nonsense() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "x/3", "3", "1/0", "", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_cover_every_client_exactly_once() {
        let names: Vec<String> = (0..500).map(|i| format!("client-{i:03}")).collect();
        for n in [1u64, 2, 3, 7] {
            for name in &names {
                let hits = (1..=n)
                    .filter(|k| {
                        Shard {
                            index: *k,
                            count: n,
                        }
                        .contains(name)
                    })
                    .count();
                assert_eq!(hits, 1, "{name} in {hits} of {n} shards");
            }
        }
    }
}
