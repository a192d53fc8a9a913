//! `orgprofile check`.

use crate::args::CheckArgs;
use crate::exit::Exit;

pub fn run(_args: CheckArgs) -> Exit {
    eprintln!("orgprofile check: not built yet");
    Exit::Usage
}
