//! Walk behaviour: sorted relative paths, every skipped file named with its reason, no link
//! followed out of the client folder, no hang on a link loop.

use orgprofile::document::Format;
use orgprofile::walk::{walk, SkipReason, WalkOptions};
use std::fs;
use std::path::Path;

fn write(dir: &Path, rel: &str, content: &[u8]) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

fn reason_of<'a>(w: &'a orgprofile::walk::Walk, path: &str) -> &'a SkipReason {
    &w.skipped
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("{path} not in {:?}", w.skipped))
        .why
}

#[test]
fn files_are_sorted_relative_and_slash_separated() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Policies/sms policy.docx", b"x");
    write(tmp.path(), "Policies/Archive/old.md", b"x");
    write(tmp.path(), "staff.XLSX", b"x");
    write(tmp.path(), "about.md", b"x");
    let w = walk(tmp.path(), &WalkOptions::default()).unwrap();
    let paths: Vec<_> = w.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Policies/Archive/old.md",
            "Policies/sms policy.docx",
            "about.md",
            "staff.XLSX"
        ]
    );
    assert_eq!(w.files[3].format, Format::Xlsx);
    assert!(w.skipped.is_empty(), "{:?}", w.skipped);
}

#[test]
fn every_skipped_file_is_listed_with_its_reason() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "~$policy.docx", b"lock");
    write(tmp.path(), ".DS_Store", b"x");
    write(tmp.path(), "scans/Thumbs.db", b"x");
    write(tmp.path(), "desktop.ini", b"x");
    write(tmp.path(), "empty.md", b"");
    write(tmp.path(), "contract.pdf", b"%PDF");
    write(tmp.path(), "old.doc", b"x");
    write(tmp.path(), "README", b"x");
    write(tmp.path(), "big.md", &[b'a'; 100]);
    write(tmp.path(), ".git/config", b"x");
    write(tmp.path(), "ok.md", b"# ok");
    let w = walk(
        tmp.path(),
        &WalkOptions {
            max_file_size: 50,
            ..WalkOptions::default()
        },
    )
    .unwrap();
    assert_eq!(w.files.len(), 1);
    assert_eq!(w.files[0].path, "ok.md");
    assert_eq!(reason_of(&w, "~$policy.docx"), &SkipReason::LockFile);
    assert_eq!(reason_of(&w, ".DS_Store"), &SkipReason::Hidden);
    assert_eq!(reason_of(&w, ".git/"), &SkipReason::Hidden);
    assert_eq!(reason_of(&w, "scans/Thumbs.db"), &SkipReason::System);
    assert_eq!(reason_of(&w, "desktop.ini"), &SkipReason::System);
    assert_eq!(reason_of(&w, "empty.md"), &SkipReason::Empty);
    assert_eq!(
        reason_of(&w, "contract.pdf"),
        &SkipReason::Unsupported {
            extension: "pdf".into()
        }
    );
    assert!(w
        .skipped
        .iter()
        .any(|s| s.path == "old.doc" && s.reason.contains("save it as .docx")));
    assert_eq!(
        reason_of(&w, "README"),
        &SkipReason::Unsupported {
            extension: String::new()
        }
    );
    assert_eq!(
        reason_of(&w, "big.md"),
        &SkipReason::TooLarge {
            size: 100,
            limit: 50
        }
    );
    assert_eq!(w.skipped.len(), 10);
    // Sorted like the files.
    let paths: Vec<_> = w.skipped.iter().map(|s| s.path.clone()).collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| a.split('/').cmp(b.split('/')));
    assert_eq!(paths, sorted);
}

#[test]
fn a_missing_folder_or_a_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(walk(&tmp.path().join("nope"), &WalkOptions::default()).is_err());
    write(tmp.path(), "f.md", b"x");
    let e = walk(&tmp.path().join("f.md"), &WalkOptions::default()).unwrap_err();
    assert!(e.to_string().contains("not a folder"), "{e}");
}

#[cfg(unix)]
#[test]
fn links_stay_inside_the_client_folder_and_loops_end() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.md", b"secret");
    let tmp = tempfile::tempdir().unwrap();
    let client = tmp.path().join("client");
    write(&client, "docs/policy.md", b"# policy");
    symlink(outside.path().join("secret.md"), client.join("secret.md")).unwrap();
    symlink(outside.path(), client.join("elsewhere")).unwrap();
    symlink(&client, client.join("docs/loop")).unwrap();
    symlink(client.join("docs"), client.join("docs-again")).unwrap();
    symlink(client.join("docs/policy.md"), client.join("policy-link.md")).unwrap();
    symlink(client.join("missing.md"), client.join("broken.md")).unwrap();
    let w = walk(&client, &WalkOptions::default()).unwrap();
    let paths: Vec<_> = w.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["docs/policy.md", "policy-link.md"]);
    assert_eq!(reason_of(&w, "secret.md"), &SkipReason::LinkOutside);
    assert_eq!(reason_of(&w, "elsewhere"), &SkipReason::LinkOutside);
    assert_eq!(reason_of(&w, "docs/loop/"), &SkipReason::LinkLoop);
    assert_eq!(reason_of(&w, "docs-again/"), &SkipReason::LinkLoop);
    assert_eq!(reason_of(&w, "broken.md"), &SkipReason::BrokenLink);
}
