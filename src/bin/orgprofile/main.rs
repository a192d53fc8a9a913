//! The `orgprofile` command: parses arguments, runs one library call per command, prints the
//! result and maps it to an exit code (see `exit.rs`). All behaviour lives in the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod cmd_check;
mod cmd_extract;
mod cmd_mappings;
mod cmd_run;
mod exit;

use args::{Cli, Command, SchemaKind};
use clap::Parser;
use exit::Exit;

/// mimalloc rather than the system allocator: see its entry in Cargo.toml for the figures.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Panics inside a reader, a mapping or a batch client are contained by the library and
    // reported as an unreadable file or a failed client; only the others reach the terminal.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !orgprofile::contain::is_contained() {
            default_hook(info);
        }
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            let _ = e.print();
            std::process::exit(code.code());
        }
    };
    let exit = match cli.command {
        Command::Check(a) => cmd_check::run(a),
        Command::Extract(a) => cmd_extract::run(a),
        Command::Map(a) => cmd_mappings::run_map(a),
        Command::Mappings(a) => cmd_mappings::run(a),
        Command::Import(a) => cmd_run::import(a),
        Command::Batch(a) => cmd_run::batch(a),
        Command::Explain(a) => cmd_run::explain(a),
        Command::Schema { kind } => schema(kind),
    };
    std::process::exit(exit.code());
}

fn schema(kind: SchemaKind) -> Exit {
    let schema = match kind {
        SchemaKind::Profile => orgprofile::profile::json_schema(),
        SchemaKind::Mappings => orgprofile::map::rules_json_schema(),
        SchemaKind::Shapes => return exit::print_text(&orgprofile::profile::shapes_text()),
    };
    exit::print_json(&schema)
}
