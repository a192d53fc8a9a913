//! Exit codes, in one place. The README's "Exit status" table mirrors this file.

use std::io::Write;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: every profile complete and every file read.
    Ok,
    /// 1: some profile has error-level gaps.
    Gaps,
    /// 2: some file or client could not be read (the rest was still written).
    Unreadable,
    /// 64: bad arguments.
    Usage,
    /// 74: output cannot be written.
    CannotWrite,
    /// 78: invalid mapping rules.
    BadRules,
}

impl Exit {
    /// The process exit status.
    pub fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::Gaps => 1,
            Exit::Unreadable => 2,
            Exit::Usage => 64,
            Exit::CannotWrite => 74,
            Exit::BadRules => 78,
        }
    }
}

/// The status of a run from what happened, most serious first: an output that could not be
/// written (74), then a file or client that could not be read (2), then error-level gaps (1).
pub fn from_outcome(write_failed: bool, unreadable: bool, gaps: bool) -> Exit {
    if write_failed {
        Exit::CannotWrite
    } else if unreadable {
        Exit::Unreadable
    } else if gaps {
        Exit::Gaps
    } else {
        Exit::Ok
    }
}

/// Writes text to stdout; a closed pipe (`orgprofile ... | head`) is not an error.
pub fn print_text(text: &str) -> Exit {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Exit::Ok,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(e) => {
            eprintln!("orgprofile: cannot write to standard output: {e}");
            Exit::CannotWrite
        }
    }
}

/// Pretty-prints JSON to stdout, with a final newline.
pub fn print_json<T: serde::Serialize>(value: &T) -> Exit {
    match serde_json::to_string_pretty(value) {
        Ok(mut s) => {
            s.push('\n');
            print_text(&s)
        }
        Err(e) => {
            eprintln!("orgprofile: cannot serialise the output: {e}");
            Exit::CannotWrite
        }
    }
}
