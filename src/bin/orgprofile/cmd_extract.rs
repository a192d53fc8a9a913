//! `orgprofile extract`.

use crate::args::ExtractArgs;
use crate::exit::Exit;

pub fn run(_args: ExtractArgs) -> Exit {
    eprintln!("orgprofile extract: not built yet");
    Exit::Usage
}
