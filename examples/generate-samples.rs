//! Writes the sample client folders: `cargo run --example generate-samples -- [OUT_DIR]`
//! (default `samples/clients`). Takes an optional output folder; gives five client folders and a
//! README. The output is byte-for-byte the same on every run; `tests/samples.rs` checks that the
//! committed `samples/clients/` matches it.

#[allow(dead_code)]
mod support;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("samples/clients"));
    if args.next().is_some() {
        #[allow(clippy::print_stderr)]
        {
            eprintln!("usage: generate-samples [OUT_DIR]   (default samples/clients)");
        }
        return ExitCode::from(2);
    }
    // Remove the previous sample folders first so that renamed files leave nothing stale.
    for client in support::clients::CLIENTS {
        let dir = out.join(client);
        if dir.is_dir() {
            if let Err(err) = std::fs::remove_dir_all(&dir) {
                #[allow(clippy::print_stderr)]
                {
                    eprintln!("{}: cannot remove the old sample: {err}", dir.display());
                }
                return ExitCode::FAILURE;
            }
        }
    }
    match support::clients::write_all(&out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("{}: {err}", out.display());
            }
            ExitCode::FAILURE
        }
    }
}
