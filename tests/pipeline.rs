//! The pipeline end to end on client folders made in the tests: every file accounted for,
//! byte-identical outputs for any thread count, failures contained in their row, shards.

use orgprofile::pipeline::{self, ClientError, Observer, Options, Quiet, Shard};
use orgprofile::report::SummaryRow;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

pub fn write(dir: &Path, rel: &str, content: &[u8]) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

/// Every file under `dir`, relative path to bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn go(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                go(base, &p, out);
            } else {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    go(dir, dir, &mut out);
    out
}

const HANDBOOK: &str = "# Apex IT Services Ltd handbook\n\nLegal name: Apex IT Services Ltd\n\nIndustry: Managed IT Services\n\n## Tools\n\nWe use Jira Service Management for tickets and Nagios for monitoring.\n";

/// A client with one good file, a corrupt one and every kind of skipped file.
pub fn messy_client(dir: &Path) {
    write(dir, "handbook.md", HANDBOOK.as_bytes());
    write(
        dir,
        "policies/corrupt.docx",
        b"PK\x03\x04 this zip is cut short",
    );
    write(dir, "policies/~$policy.docx", b"lock");
    write(dir, "scan.pdf", b"%PDF-1.7");
    write(dir, "empty.md", b"");
    write(dir, ".DS_Store", b"\0\0");
    write(dir, "Thumbs.db", b"\0");
}

/// A root of several clients, a loose file and a hidden folder.
pub fn clients_root(root: &Path) {
    for (i, name) in ["acme", "apex", "beta", "delta", "gamma", "zeta"]
        .iter()
        .enumerate()
    {
        let dir = root.join(name);
        write(
            &dir,
            "handbook.md",
            HANDBOOK.replace("Apex", name).as_bytes(),
        );
        for k in 0..i {
            write(
                &dir,
                &format!("notes/note-{k}.md"),
                format!("Note {k}\n").as_bytes(),
            );
        }
        write(&dir, "broken.xlsx", b"not a workbook");
        write(&dir, "~$open.docx", b"lock");
    }
    messy_client(&root.join("messy"));
    write(root, "loose.xlsx", b"loose");
    write(root, ".git/HEAD", b"ref");
}

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .unwrap()
}

fn report_json(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("report.json")).unwrap()).unwrap()
}

fn paths(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_client_with_corrupt_and_unsupported_files_still_gets_a_report_naming_each() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("messy");
    messy_client(&client);
    let out = tmp.path().join("out");
    let outcome = pipeline::import_client(&client, &out, &Options::default(), &Quiet);
    assert!(outcome.error.is_none(), "{:?}", outcome.error);
    let r = report_json(&out);
    assert!(paths(&r["files_unreadable"]).contains(&"policies/corrupt.docx".to_string()));
    assert_eq!(
        paths(&r["files_skipped"]),
        [
            ".DS_Store",
            "Thumbs.db",
            "empty.md",
            "policies/~$policy.docx",
            "scan.pdf"
        ]
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    for name in [
        "policies/corrupt.docx",
        "scan.pdf",
        "policies/~$policy.docx",
        "empty.md",
        ".DS_Store",
        "Thumbs.db",
        "handbook.md",
    ] {
        assert!(md.contains(name), "{name} missing from report.md:\n{md}");
    }
    assert!(outcome.has_unreadable());
    assert_eq!(outcome.row.client, "messy");
    assert_eq!(outcome.row.files_skipped, 5);
    for f in ["profile.json", "sources.json", "report.json", "report.md"] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

#[test]
fn outputs_are_byte_identical_for_one_and_four_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let (one, four) = (tmp.path().join("out1"), tmp.path().join("out4"));
    let opts = Options::default();
    pool(1)
        .install(|| pipeline::run_batch(&root, &one, &opts, &Quiet))
        .unwrap();
    pool(4)
        .install(|| pipeline::run_batch(&root, &four, &opts, &Quiet))
        .unwrap();
    let (a, b) = (snapshot(&one), snapshot(&four));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between -j 1 and -j 4");
    }
    assert!(a.contains_key("summary.csv") && a.contains_key("apex/report.md"));
}

#[test]
fn the_summary_has_a_row_per_client_sorted_and_lists_loose_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let out = tmp.path().join("out");
    let outcome = pipeline::run_batch(&root, &out, &Options::default(), &Quiet).unwrap();
    let names: Vec<_> = outcome
        .summary
        .clients
        .iter()
        .map(|r| r.client.as_str())
        .collect();
    assert_eq!(
        names,
        ["acme", "apex", "beta", "delta", "gamma", "messy", "zeta"]
    );
    let summary: Value =
        serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(paths(&summary["skipped"]), [".git/", "loose.xlsx"]);
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "client,status,sections_complete,errors,warnings,conflicts,files_read,files_unreadable,files_skipped"
    );
    assert!(lines.next().unwrap().starts_with("acme,"));
    assert_eq!(csv.lines().count(), 8);
    // The broken workbook of every client is unreadable, and says so.
    assert!(outcome.has_unreadable());
    assert!(outcome
        .summary
        .clients
        .iter()
        .all(|r| r.files_unreadable >= 1));
}

/// Panics while processing one client (and inside the parallel file loop of another), as a bug
/// in a later stage would.
struct PanicOn(&'static str, &'static str);

impl Observer for PanicOn {
    fn client_started(&self, client: &str, _files: usize) {
        if client == self.0 {
            panic!("simulated bug while processing {client}");
        }
    }
    fn file_done(&self, client: &str, file: &str, _ok: bool) {
        if client == self.1 && file == "handbook.md" {
            panic!("simulated bug while reading {client}/{file}");
        }
    }
}

#[test]
fn a_panicking_client_is_a_failed_row_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let out = tmp.path().join("out");
    let outcome = pool(2)
        .install(|| {
            pipeline::run_batch(&root, &out, &Options::default(), &PanicOn("beta", "gamma"))
        })
        .unwrap();
    let beta = outcome
        .clients
        .iter()
        .find(|c| c.row.client == "beta")
        .unwrap();
    assert!(matches!(beta.error, Some(ClientError::Panic(_))));
    assert_eq!(
        beta.row.status,
        "failed: internal error (please report it): simulated bug while processing beta"
    );
    let gamma = outcome
        .clients
        .iter()
        .find(|c| c.row.client == "gamma")
        .unwrap();
    assert_eq!(
        gamma.row.status,
        "failed: internal error (please report it): simulated bug while reading gamma/handbook.md"
    );
    assert!(outcome.has_unreadable());
    let others: Vec<&SummaryRow> = outcome
        .summary
        .clients
        .iter()
        .filter(|r| r.client != "beta" && r.client != "gamma")
        .collect();
    assert_eq!(others.len(), 5);
    assert!(others.iter().all(|r| !r.status.starts_with("failed")));
    assert!(out.join("apex/report.md").is_file());
    let csv = fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.contains("beta,failed: internal error"), "{csv}");
}

/// Counts the progress events a progress bar would get.
#[derive(Default)]
struct Counter {
    total: std::sync::atomic::AtomicUsize,
    started: std::sync::atomic::AtomicUsize,
    files: std::sync::atomic::AtomicUsize,
    done: std::sync::atomic::AtomicUsize,
}

impl Observer for Counter {
    fn batch_started(&self, clients: usize) {
        self.total
            .store(clients, std::sync::atomic::Ordering::SeqCst);
    }
    fn client_started(&self, _client: &str, files: usize) {
        self.started
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let _ = files;
    }
    fn file_done(&self, _client: &str, _file: &str, _ok: bool) {
        self.files.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
    fn client_done(&self, _row: &SummaryRow) {
        self.done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

#[test]
fn the_observer_hears_about_every_client_and_file() {
    use std::sync::atomic::Ordering::SeqCst;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let counter = Counter::default();
    let o = pool(3)
        .install(|| {
            pipeline::run_batch(
                &root,
                &tmp.path().join("out"),
                &Options::default(),
                &counter,
            )
        })
        .unwrap();
    assert_eq!(counter.total.load(SeqCst), 7);
    assert_eq!(counter.started.load(SeqCst), 7);
    assert_eq!(counter.done.load(SeqCst), 7);
    let files: usize = o
        .summary
        .clients
        .iter()
        .map(|r| r.files_read + r.files_unreadable)
        .sum();
    assert_eq!(counter.files.load(SeqCst), files);
}

#[test]
fn shards_cover_every_client_once_and_loose_files_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let mut seen = Vec::new();
    let mut skipped = 0;
    for k in 1..=3 {
        let out = tmp.path().join(format!("out{k}"));
        let opts = Options {
            shard: Some(Shard { index: k, count: 3 }),
            ..Options::default()
        };
        let o = pipeline::run_batch(&root, &out, &opts, &Quiet).unwrap();
        assert_eq!(o.summary.shard.as_deref(), Some(format!("{k}/3").as_str()));
        seen.extend(o.summary.clients.iter().map(|r| r.client.clone()));
        skipped += o.summary.skipped.len();
        for r in &o.summary.clients {
            assert!(out.join(&r.client).join("report.json").is_file());
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        ["acme", "apex", "beta", "delta", "gamma", "messy", "zeta"]
    );
    assert_eq!(skipped, 2);
}

#[test]
fn a_second_run_replaces_outputs_and_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let out = tmp.path().join("out");
    pipeline::run_batch(&root, &out, &Options::default(), &Quiet).unwrap();
    let first = snapshot(&out);
    pipeline::run_batch(&root, &out, &Options::default(), &Quiet).unwrap();
    let second = snapshot(&out);
    assert_eq!(first, second);
    assert!(
        second.keys().all(|k| !k.contains(".tmp")),
        "{:?}",
        second.keys()
    );
}

#[test]
fn an_output_folder_inside_the_root_is_not_a_client() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    clients_root(&root);
    let out = root.join("out");
    pipeline::run_batch(&root, &out, &Options::default(), &Quiet).unwrap();
    let o = pipeline::run_batch(&root, &out, &Options::default(), &Quiet).unwrap();
    assert!(o.summary.clients.iter().all(|r| r.client != "out"));
    assert!(o.summary.skipped.iter().any(|s| s.path == "out/"));
}

#[test]
fn an_output_folder_inside_the_client_folder_is_not_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("apex");
    write(&client, "handbook.md", HANDBOOK.as_bytes());
    let out = client.join("drafts");
    pipeline::import_client(&client, &out, &Options::default(), &Quiet);
    let o = pipeline::import_client(&client, &out, &Options::default(), &Quiet);
    let r = report_json(&out);
    assert!(
        paths(&r["files_skipped"]).contains(&"drafts/".to_string()),
        "{r}"
    );
    assert_eq!(o.row.files_skipped, 1);
}

#[cfg(unix)]
#[test]
fn a_client_folder_linked_from_outside_the_root_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("clients");
    write(&root, "apex/handbook.md", HANDBOOK.as_bytes());
    write(tmp.path(), "elsewhere/secret.md", b"secret");
    std::os::unix::fs::symlink(tmp.path().join("elsewhere"), root.join("linked")).unwrap();
    std::os::unix::fs::symlink(root.join("apex"), root.join("apex-again")).unwrap();
    let o =
        pipeline::run_batch(&root, &tmp.path().join("out"), &Options::default(), &Quiet).unwrap();
    let names: Vec<_> = o
        .summary
        .clients
        .iter()
        .map(|r| r.client.as_str())
        .collect();
    assert_eq!(names, ["apex", "apex-again"]);
    assert_eq!(o.summary.skipped.len(), 1);
    assert_eq!(o.summary.skipped[0].path, "linked");
    assert!(o.summary.skipped[0].reason.contains("outside"));
}

#[test]
fn a_base_profile_is_kept_whole_even_when_no_document_says_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("client");
    write(&client, "Thumbs.db", b"\0");
    let base = json!({
        "x_engagement": {"consultant": "R. Patel", "tags": ["priority"]},
        "organization": {"name": "Apex IT Services Ltd", "x_crm": 7},
        "locations": [{"name": "Manchester HQ", "type": "headquarters", "country": "United Kingdom", "x_floor": 3}]
    });
    let opts = Options {
        base: Some(base.clone()),
        ..Options::default()
    };
    let out = tmp.path().join("out");
    let o = pipeline::import_client(&client, &out, &opts, &Quiet);
    assert!(o.error.is_none());
    let profile: Value =
        serde_json::from_slice(&fs::read(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile, base);
    let keys: Vec<_> = profile.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["organization", "locations", "x_engagement"]);
}

#[test]
fn a_missing_client_folder_is_a_failed_outcome_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let o = pipeline::import_client(
        &tmp.path().join("nope"),
        &tmp.path().join("out"),
        &Options::default(),
        &Quiet,
    );
    assert!(matches!(o.error, Some(ClientError::Walk(_))));
    assert!(o.row.status.starts_with("failed: "));
}

#[test]
fn a_markdown_handbook_is_read_and_its_values_have_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("apex");
    write(&client, "handbook.md", HANDBOOK.as_bytes());
    let out = tmp.path().join("out");
    let opts = Options {
        rules: orgprofile::map::Rules::load(&[]).unwrap(),
        ..Options::default()
    };
    let o = pipeline::import_client(&client, &out, &opts, &Quiet);
    assert!(o.error.is_none());
    assert_eq!(o.row.files_read, 1);
    assert_eq!(o.row.files_unreadable, 0);
    let profile: Value =
        serde_json::from_slice(&fs::read(out.join("profile.json")).unwrap()).unwrap();
    assert_eq!(profile["organization"]["name"], "Apex IT Services Ltd");
    let sources: Value =
        serde_json::from_slice(&fs::read(out.join("sources.json")).unwrap()).unwrap();
    assert_eq!(
        sources["/organization/name"]["chosen"]["file"],
        "handbook.md"
    );
    assert!(sources["/organization/name"]["chosen"]["locator"]
        .as_str()
        .unwrap()
        .starts_with("line "));
    // Checker findings come through: sponsor and SMS manager are not in the handbook.
    let r = report_json(&out);
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["field"] == "/key_roles/sms_manager"));
    assert!(o.has_gaps());
}
