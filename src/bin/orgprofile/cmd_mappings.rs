//! `orgprofile map` and `orgprofile mappings`.

use crate::args::{MapArgs, MappingsArgs};
use crate::exit::Exit;

pub fn run_map(_args: MapArgs) -> Exit {
    eprintln!("orgprofile map: not built yet");
    Exit::Usage
}

pub fn run(_args: MappingsArgs) -> Exit {
    eprintln!("orgprofile mappings: not built yet");
    Exit::Usage
}
