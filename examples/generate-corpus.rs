//! Writes the synthetic benchmark corpus:
//! `cargo run --release --example generate-corpus -- OUT_DIR [--clients N] [--seed S]`
//! (defaults: 200 clients, seed 1). Takes the output folder and options; gives N client folders
//! (see `examples/support/corpus.rs`) and prints how many files and bytes it wrote. The same
//! arguments always write the same bytes.

#[allow(dead_code)]
mod support;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: generate-corpus OUT_DIR [--clients N] [--seed S]";

fn parse() -> Result<(PathBuf, usize, u64), String> {
    let mut out = None;
    let mut clients = 200usize;
    let mut seed = 1u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--clients" | "-n" => {
                let v = args.next().ok_or("--clients needs a number")?;
                clients = v
                    .parse()
                    .map_err(|_| format!("--clients {v}: not a number"))?;
            }
            "--seed" => {
                let v = args.next().ok_or("--seed needs a number")?;
                seed = v.parse().map_err(|_| format!("--seed {v}: not a number"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            _ if out.is_none() && !arg.starts_with('-') => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let out = out.ok_or("missing OUT_DIR")?;
    Ok((out, clients, seed))
}

#[allow(clippy::print_stderr, clippy::print_stdout)]
fn main() -> ExitCode {
    let (out, clients, seed) = match parse() {
        Ok(parsed) => parsed,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("generate-corpus: {msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    match support::corpus::generate(&out, clients, seed) {
        Ok(stats) => {
            println!(
                "{}: {} clients, {} files, {:.1} MB in {:.1}s (seed {seed})",
                out.display(),
                stats.clients,
                stats.files,
                stats.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{}: {err}", out.display());
            ExitCode::FAILURE
        }
    }
}
