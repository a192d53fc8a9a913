//! Walk: a client folder in, the sorted list of files to read (each with the [`Format`] its
//! extension claims) and the list of files skipped with the reason out.
//!
//! The walk looks at names and metadata only: it never opens a document (the readers decide
//! what a file really is). Nothing is silently ignored: Office lock files (`~$x.docx`), hidden
//! and system files (`.DS_Store`, `Thumbs.db`, `desktop.ini`), empty files, files over the size
//! cap and files in formats this tool does not read are each listed with their reason. Symbolic
//! links are followed only while they stay inside the client folder, and a link loop is listed,
//! not walked. Paths are relative to the client folder and `/`-separated, so outputs never hold
//! an absolute path.

use crate::document::Format;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Deepest folder nesting walked below the client folder; deeper folders are listed as skipped.
pub const MAX_DEPTH: usize = 32;
/// Most entries (files and folders) looked at in one client folder; the rest are summarised as
/// one skipped entry. Bounds memory on a folder that is not really a client's documents.
pub const MAX_ENTRIES: usize = 100_000;

/// A file the walk hands to the readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedFile {
    /// Path relative to the client folder, `/`-separated (what reports show).
    pub path: String,
    /// Where to open it (may pass through a symbolic link that stays inside the folder).
    pub full_path: PathBuf,
    /// The format the extension claims; the reader checks the content.
    pub format: Format,
    /// Size in bytes.
    pub size: u64,
}

/// Why a file was not handed to a reader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SkipReason {
    /// The extension names a format this tool does not read (or there is none).
    Unsupported {
        /// The extension, lower-case, without the dot; empty when the name has none.
        extension: String,
    },
    /// A Word or Excel lock file (`~$name.docx`) or a LibreOffice lock (`.~lock.name#`).
    LockFile,
    /// A hidden file or folder (name starting with `.`).
    Hidden,
    /// An operating-system file such as `Thumbs.db`, `desktop.ini` or `__MACOSX`.
    System,
    /// A file of 0 bytes.
    Empty,
    /// A file larger than the size cap.
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The cap in bytes.
        limit: u64,
    },
    /// A symbolic link whose target is outside the client folder.
    LinkOutside,
    /// A symbolic link to a folder already walked (a link loop or a second path to it).
    LinkLoop,
    /// A symbolic link whose target does not exist.
    BrokenLink,
    /// Not a regular file or folder (a socket, a device, a pipe).
    Special,
    /// The output folder of the run, inside the client folder (its reports are not documents).
    OutputFolder,
    /// A folder nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than [`MAX_ENTRIES`] entries in the client folder.
    TooManyEntries,
    /// The operating system refused to list or inspect it.
    Io {
        /// What the operating system said.
        message: String,
    },
}

impl SkipReason {
    /// Whether the file was meant to be read and could not be (it counts as unreadable for the
    /// exit status), as opposed to a file deliberately left alone.
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            SkipReason::TooLarge { .. }
                | SkipReason::BrokenLink
                | SkipReason::TooDeep
                | SkipReason::TooManyEntries
                | SkipReason::Io { .. }
        )
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Unsupported { extension } => match extension.as_str() {
                "" => f.write_str("no file extension, so the format is unknown; rename it with the right extension (.docx, .xlsx, .md, ...)"),
                "doc" => f.write_str("Word 97-2003 .doc files are not read; save it as .docx"),
                "pdf" => f.write_str("PDF files are not read; export the source document as .docx or .md"),
                ext => write!(f, "the .{ext} format is not read (supported: docx, xlsx, xlsm, xlsb, xls, ods, md, txt)"),
            },
            SkipReason::LockFile => f.write_str("Office lock file, left while a document is open; it holds no content"),
            SkipReason::Hidden => f.write_str("hidden file or folder"),
            SkipReason::System => f.write_str("operating-system file, not a document"),
            SkipReason::Empty => f.write_str("the file is empty (0 bytes)"),
            SkipReason::TooLarge { size, limit } => write!(
                f,
                "the file is {size} bytes, over the limit of {limit} bytes; split it or export the part that matters"
            ),
            SkipReason::LinkOutside => f.write_str("symbolic link to a place outside the client folder, not followed; copy the file into the folder to read it"),
            SkipReason::LinkLoop => f.write_str("symbolic link to a folder already walked (a link loop), not followed again"),
            SkipReason::BrokenLink => f.write_str("symbolic link whose target does not exist"),
            SkipReason::Special => f.write_str("not a regular file (a device, socket or pipe)"),
            SkipReason::OutputFolder => f.write_str("the output folder of this run; its reports are not read as documents"),
            SkipReason::TooDeep => write!(f, "folder nested more than {MAX_DEPTH} levels deep, not walked"),
            SkipReason::TooManyEntries => write!(f, "more than {MAX_ENTRIES} entries in the client folder; the rest were not walked"),
            SkipReason::Io { message } => write!(f, "cannot be listed or inspected: {message}"),
        }
    }
}

/// A file or folder the walk did not hand to a reader, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Path relative to the client folder, `/`-separated; a folder ends with `/`.
    pub path: String,
    /// Why, in plain words (what reports show).
    pub reason: String,
    /// Why, as data.
    #[serde(skip)]
    pub why: SkipReason,
}

impl Skipped {
    fn new(path: String, why: SkipReason) -> Skipped {
        Skipped {
            path,
            reason: why.to_string(),
            why,
        }
    }
}

/// What a walk found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Files to read, sorted by path.
    pub files: Vec<WalkedFile>,
    /// Files and folders skipped, sorted by path.
    pub skipped: Vec<Skipped>,
}

/// The client folder itself cannot be walked.
#[derive(Debug, Error)]
pub enum WalkError {
    /// The folder does not exist or cannot be opened.
    #[error("{path}: cannot open the folder: {message}")]
    Open {
        /// The folder as given.
        path: String,
        /// What the operating system said.
        message: String,
    },
    /// The path is not a folder.
    #[error("{path}: not a folder; give the folder that holds the client's documents")]
    NotAFolder {
        /// The path as given.
        path: String,
    },
}

impl WalkError {
    /// The same error naming the folder as `shown` (a client's name rather than a full path,
    /// so that a batch summary holds no absolute path).
    pub fn with_path(self, shown: &str) -> WalkError {
        match self {
            WalkError::Open { message, .. } => WalkError::Open {
                path: shown.to_string(),
                message,
            },
            WalkError::NotAFolder { .. } => WalkError::NotAFolder {
                path: shown.to_string(),
            },
        }
    }
}

/// Options of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkOptions {
    /// Files larger than this many bytes are skipped (normally [`crate::read::MAX_FILE_SIZE`]).
    pub max_file_size: u64,
    /// A folder not to walk (the run's output folder, when it sits inside the client folder),
    /// as a canonical path.
    pub exclude: Option<PathBuf>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: crate::read::MAX_FILE_SIZE,
            exclude: None,
        }
    }
}

/// What a name says about a file before anyone opens it: `None` when it should be read.
pub fn classify_name(name: &str) -> Option<SkipReason> {
    if name.starts_with("~$") || name.starts_with(".~lock.") {
        return Some(SkipReason::LockFile);
    }
    let lower = name.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "thumbs.db" | "ehthumbs.db" | "desktop.ini" | "__macosx" | "icon\r" | "$recycle.bin"
    ) {
        return Some(SkipReason::System);
    }
    if name.starts_with('.') {
        return Some(SkipReason::Hidden);
    }
    None
}

/// The extension of a file name, lower-case, without the dot ("" when there is none).
fn extension(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Walks a client folder. Fails only when the folder itself cannot be opened; everything below
/// it that cannot be read is listed in [`Walk::skipped`].
pub fn walk(dir: &Path, options: &WalkOptions) -> Result<Walk, WalkError> {
    let shown = dir.display().to_string();
    let meta = fs::metadata(dir).map_err(|e| WalkError::Open {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    if !meta.is_dir() {
        return Err(WalkError::NotAFolder { path: shown });
    }
    let root = fs::canonicalize(dir).map_err(|e| WalkError::Open {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let mut state = State {
        root: root.clone(),
        options: options.clone(),
        visited: BTreeSet::from([root.clone()]),
        seen: 0,
        out: Walk::default(),
        truncated: false,
    };
    state.dir(&root, "", 0);
    state.out.files.sort_by(|a, b| path_cmp(&a.path, &b.path));
    state.out.skipped.sort_by(|a, b| path_cmp(&a.path, &b.path));
    Ok(state.out)
}

/// Orders paths component by component, so `a/b` sorts with `a` and before `a-b`.
fn path_cmp(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

struct State {
    root: PathBuf,
    options: WalkOptions,
    /// Canonical folders entered so far (link loops end here).
    visited: BTreeSet<PathBuf>,
    seen: usize,
    out: Walk,
    truncated: bool,
}

impl State {
    fn skip(&mut self, path: String, why: SkipReason) {
        self.out.skipped.push(Skipped::new(path, why));
    }

    fn dir(&mut self, dir: &Path, prefix: &str, depth: usize) {
        let entries = match fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                let path = if prefix.is_empty() {
                    "./".to_string()
                } else {
                    format!("{prefix}/")
                };
                self.skip(
                    path,
                    SkipReason::Io {
                        message: e.to_string(),
                    },
                );
                return;
            }
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => names.push(entry.file_name()),
                Err(e) => {
                    let path = if prefix.is_empty() {
                        "./".to_string()
                    } else {
                        format!("{prefix}/")
                    };
                    self.skip(
                        path,
                        SkipReason::Io {
                            message: e.to_string(),
                        },
                    );
                }
            }
        }
        names.sort();
        for name in names {
            if self.seen >= MAX_ENTRIES {
                if !self.truncated {
                    self.truncated = true;
                    self.skip(
                        if prefix.is_empty() {
                            "./".to_string()
                        } else {
                            format!("{prefix}/")
                        },
                        SkipReason::TooManyEntries,
                    );
                }
                return;
            }
            self.seen += 1;
            let name_text = name.to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name_text.clone()
            } else {
                format!("{prefix}/{name_text}")
            };
            self.entry(&dir.join(&name), &name_text, rel, depth);
        }
    }

    fn entry(&mut self, full: &Path, name: &str, rel: String, depth: usize) {
        let meta = match fs::symlink_metadata(full) {
            Ok(m) => m,
            Err(e) => {
                self.skip(
                    rel,
                    SkipReason::Io {
                        message: e.to_string(),
                    },
                );
                return;
            }
        };
        let mut is_dir = meta.is_dir();
        let mut is_file = meta.is_file();
        let mut len = meta.len();
        let mut canonical_dir = None;
        if meta.file_type().is_symlink() {
            let target = match fs::canonicalize(full) {
                Ok(t) => t,
                Err(_) => {
                    self.skip(rel, SkipReason::BrokenLink);
                    return;
                }
            };
            if !target.starts_with(&self.root) {
                self.skip(rel, SkipReason::LinkOutside);
                return;
            }
            let target_meta = match fs::metadata(&target) {
                Ok(m) => m,
                Err(e) => {
                    self.skip(
                        rel,
                        SkipReason::Io {
                            message: e.to_string(),
                        },
                    );
                    return;
                }
            };
            is_dir = target_meta.is_dir();
            is_file = target_meta.is_file();
            len = target_meta.len();
            canonical_dir = Some(target);
        }
        if is_dir {
            if let Some(why) = classify_name(name) {
                self.skip(format!("{rel}/"), why);
                return;
            }
            if depth + 1 > MAX_DEPTH {
                self.skip(format!("{rel}/"), SkipReason::TooDeep);
                return;
            }
            let canonical = match canonical_dir {
                Some(c) => c,
                None => match fs::canonicalize(full) {
                    Ok(c) => c,
                    Err(e) => {
                        self.skip(
                            format!("{rel}/"),
                            SkipReason::Io {
                                message: e.to_string(),
                            },
                        );
                        return;
                    }
                },
            };
            if self.options.exclude.as_ref() == Some(&canonical) {
                self.skip(format!("{rel}/"), SkipReason::OutputFolder);
                return;
            }
            if !self.visited.insert(canonical) {
                self.skip(format!("{rel}/"), SkipReason::LinkLoop);
                return;
            }
            self.dir(full, &rel, depth + 1);
            return;
        }
        if !is_file {
            self.skip(rel, SkipReason::Special);
            return;
        }
        if let Some(why) = classify_name(name) {
            self.skip(rel, why);
            return;
        }
        let ext = extension(name);
        let Some(format) = Format::from_extension(&ext) else {
            self.skip(rel, SkipReason::Unsupported { extension: ext });
            return;
        };
        if len == 0 {
            self.skip(rel, SkipReason::Empty);
            return;
        }
        if len > self.options.max_file_size {
            self.skip(
                rel,
                SkipReason::TooLarge {
                    size: len,
                    limit: self.options.max_file_size,
                },
            );
            return;
        }
        self.out.files.push(WalkedFile {
            path: rel,
            full_path: full.to_path_buf(),
            format,
            size: len,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified_before_extensions() {
        assert_eq!(classify_name("~$policy.docx"), Some(SkipReason::LockFile));
        assert_eq!(
            classify_name(".~lock.staff.xlsx#"),
            Some(SkipReason::LockFile)
        );
        assert_eq!(classify_name(".DS_Store"), Some(SkipReason::Hidden));
        assert_eq!(classify_name("Thumbs.db"), Some(SkipReason::System));
        assert_eq!(classify_name("desktop.ini"), Some(SkipReason::System));
        assert_eq!(classify_name("policy.docx"), None);
    }

    #[test]
    fn extension_of_dotless_and_dotfile_names_is_empty() {
        assert_eq!(extension("README"), "");
        assert_eq!(extension("Staff.XLSX"), "xlsx");
        assert_eq!(extension("a.b.md"), "md");
    }

    #[test]
    fn paths_sort_by_component() {
        let mut v = vec!["a-b.md", "a/z.md", "a.md", "B.md"];
        v.sort_by(|a, b| path_cmp(a, b));
        assert_eq!(v, ["B.md", "a/z.md", "a-b.md", "a.md"]);
    }
}
