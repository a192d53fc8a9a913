//! `orgprofile import`, `batch` and `explain`.

use crate::args::{BatchArgs, ExplainArgs, ImportArgs};
use crate::exit::Exit;

pub fn import(_args: ImportArgs) -> Exit {
    eprintln!("orgprofile import: not built yet");
    Exit::Usage
}

pub fn batch(_args: BatchArgs) -> Exit {
    eprintln!("orgprofile batch: not built yet");
    Exit::Usage
}

pub fn explain(_args: ExplainArgs) -> Exit {
    eprintln!("orgprofile explain: not built yet");
    Exit::Usage
}
