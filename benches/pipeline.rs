//! The whole-pipeline benchmark: `cargo bench --bench pipeline [-- CLIENTS] [--floor-only]
//! [--corpus FOLDER] [--out FOLDER]`.
//!
//! Takes a client count (argument, or `ORGPROFILE_BENCH_CLIENTS`; default 200) and an iteration
//! count (`ORGPROFILE_BENCH_ITERS`, default 3); generates that many synthetic clients with the
//! corpus generator (`examples/support/corpus.rs`, seed 1) into a temporary folder, outside the
//! timed part (or takes an existing folder of client folders with `--corpus`), then times, at
//! 1 thread, 2 threads and every core:
//!
//! - the **floor**: every DOCX and XLSX file read from disk, its zip opened, every XML part
//!   inflated and tokenised with `quick_xml::Reader` (`read_event` until `Eof`), and every
//!   Markdown file's bytes read. No reader of this crate can do less work on the same files.
//!   Timed twice: inflating with the zip crate (the floor as issue 6 defines it, `floor`), and
//!   inflating the raw streams with libdeflate, as the readers do for ordinary parts
//!   (`floor-ld`): the pipeline is reported against both.
//! - the **pipeline**: `orgprofile::pipeline::run_batch` over the corpus with every output
//!   (`profile.json`, `sources.json`, `report.json`, `report.md`, the summaries) written into a
//!   fresh temporary folder.
//!
//! - the **outputs**: the output files of the last pipeline run written again into a fresh
//!   folder the same way (a folder per client, each file to a temporary name then renamed),
//!   from memory: what the file system charges for the writing alone.
//!
//! Each figure is the median of the iterations. Prints a table of files/s and MB/s (bytes of
//! the input files) and the ratios the README quotes: pipeline / floor at 1 thread and at every
//! core, and the speed-up of 2 threads over 1. Must not write anywhere but temporary folders.

#![allow(clippy::print_stdout, clippy::print_stderr, missing_docs)]

#[path = "../examples/support/mod.rs"]
#[allow(dead_code)]
mod support;

use orgprofile::map::Rules;
use orgprofile::pipeline::{self, Options, Quiet};
use quick_xml::events::Event;
use rayon::prelude::*;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The allocator the binary uses, so the pipeline is timed as users run it (the floor runs
/// under it too).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What one floor pass saw (checked to be the same on every pass).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct FloorCount {
    files: usize,
    parts: usize,
    events: u64,
    inflated: u64,
}

impl std::ops::Add for FloorCount {
    type Output = FloorCount;
    fn add(self, o: FloorCount) -> FloorCount {
        FloorCount {
            files: self.files + o.files,
            parts: self.parts + o.parts,
            events: self.events + o.events,
            inflated: self.inflated + o.inflated,
        }
    }
}

/// The input files of the corpus, with their sizes.
struct Corpus {
    files: Vec<PathBuf>,
    bytes: u64,
}

fn list(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for p in entries {
        if p.is_dir() {
            list(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Inflates and tokenises one DOCX/XLSX file, or reads one Markdown file.
/// How the floor inflates a part: with the zip crate (as the issue defines the floor), or the
/// raw deflate stream with libdeflate, the inflater the readers use for ordinary parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Inflate {
    Zip,
    Libdeflate,
}

thread_local! {
    static LIBDEFLATE: std::cell::RefCell<libdeflater::Decompressor> =
        std::cell::RefCell::new(libdeflater::Decompressor::new());
}

/// Inflates entry `i` of `zip` (over `bytes`) with libdeflate, straight from the archive's
/// bytes, into the front of `part` (grown as needed, never zeroed again: the readers do not
/// zero their reused buffers either); gives the inflated length (a stored entry is copied).
fn inflate_libdeflate(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    bytes: &[u8],
    i: usize,
    part: &mut Vec<u8>,
) -> Result<usize, String> {
    let raw = zip.by_index_raw(i).map_err(|e| e.to_string())?;
    let size = usize::try_from(raw.size()).map_err(|e| e.to_string())?;
    let start =
        usize::try_from(raw.data_start().ok_or("no data start")?).map_err(|e| e.to_string())?;
    let len = usize::try_from(raw.compressed_size()).map_err(|e| e.to_string())?;
    let input = start
        .checked_add(len)
        .and_then(|end| bytes.get(start..end))
        .ok_or("entry past the end of the archive")?;
    if part.len() < size.max(input.len()) {
        part.resize(size.max(input.len()), 0);
    }
    if raw.compression() == zip::CompressionMethod::Stored {
        part[..input.len()].copy_from_slice(input);
        return Ok(input.len());
    }
    LIBDEFLATE
        .with(|d| d.borrow_mut().deflate_decompress(input, &mut part[..size]))
        .map_err(|e| format!("{e:?}"))
}

fn floor_file(path: &Path, how: Inflate) -> Result<FloorCount, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut count = FloorCount {
        files: 1,
        ..FloorCount::default()
    };
    match extension(path).as_str() {
        "docx" | "xlsx" => {}
        _ => {
            // Markdown: reading its bytes is the floor.
            std::hint::black_box(&bytes);
            return Ok(count);
        }
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..]))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut part = Vec::new();
    for i in 0..zip.len() {
        let (name, len) = match how {
            Inflate::Zip => {
                part.clear();
                let mut entry = zip
                    .by_index(i)
                    .map_err(|e| format!("{}: entry {i}: {e}", path.display()))?;
                let name = entry
                    .name()
                    .map_err(|e| format!("{}: entry {i}: {e}", path.display()))?
                    .to_ascii_lowercase();
                if !(name.ends_with(".xml") || name.ends_with(".rels")) {
                    continue;
                }
                entry
                    .read_to_end(&mut part)
                    .map_err(|e| format!("{}: {name}: {e}", path.display()))?;
                (name, part.len())
            }
            Inflate::Libdeflate => {
                let name = zip
                    .name_for_index(i)
                    .ok_or_else(|| format!("{}: entry {i}: no name", path.display()))?
                    .map_err(|e| format!("{}: entry {i}: {e}", path.display()))?
                    .to_ascii_lowercase();
                if !(name.ends_with(".xml") || name.ends_with(".rels")) {
                    continue;
                }
                let len = inflate_libdeflate(&mut zip, &bytes, i, &mut part)
                    .map_err(|e| format!("{}: {name}: {e}", path.display()))?;
                (name, len)
            }
        };
        let part = part.get(..len).unwrap_or(&[]);
        count.parts += 1;
        count.inflated += part.len() as u64;
        let mut reader = quick_xml::Reader::from_reader(part);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) => break,
                Ok(ev) => {
                    std::hint::black_box(&ev);
                    count.events += 1;
                }
                Err(e) => return Err(format!("{}: {name}: {e}", path.display())),
            }
        }
    }
    Ok(count)
}

fn floor(corpus: &Corpus, how: Inflate) -> Result<FloorCount, String> {
    corpus
        .files
        .par_iter()
        .map(|p| floor_file(p, how))
        .try_reduce(FloorCount::default, |a, b| Ok(a + b))
}

fn pipeline_once(root: &Path, scratch: &Path, options: &Options) -> Result<Duration, String> {
    let out = scratch.join("out");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let started = Instant::now();
    let outcome = pipeline::run_batch(root, &out, options, &Quiet).map_err(|e| e.to_string())?;
    let took = started.elapsed();
    if let Some(e) = outcome.summary_error {
        return Err(e.to_string());
    }
    if let Some(failed) = outcome.clients.iter().find(|c| c.error.is_some()) {
        return Err(format!("{}: {}", failed.row.client, failed.row.status));
    }
    Ok(took)
}

/// Every output file of a pipeline run, relative path and bytes (read outside the timing).
fn outputs_of(out: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let mut files = Vec::new();
    list(out, &mut files).map_err(|e| format!("{}: {e}", out.display()))?;
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            let rel = p
                .strip_prefix(out)
                .map_err(|e| e.to_string())?
                .to_path_buf();
            Ok((rel, bytes))
        })
        .collect()
}

/// Writes the same output files again into a fresh folder the way the pipeline does (a folder
/// per client, each file to a temporary name then renamed): what writing the outputs alone
/// costs on this file system.
fn write_outputs(files: &[(PathBuf, Vec<u8>)], scratch: &Path) -> Result<Duration, String> {
    let out = scratch.join("rewrite");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    let started = Instant::now();
    files.par_iter().try_for_each(|(rel, bytes)| {
        let path = out.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        orgprofile::report::write_atomic(&path, bytes).map_err(|e| e.to_string())
    })?;
    Ok(started.elapsed())
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

struct Row {
    what: &'static str,
    threads: usize,
    time: Duration,
}

fn parse_usize_env(name: &str, default: usize) -> Result<usize, String> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| format!("{name}={v}: not a whole number")),
        Err(_) => Ok(default),
    }
}

fn run() -> Result<(), String> {
    let mut clients = parse_usize_env("ORGPROFILE_BENCH_CLIENTS", 200)?;
    let iters = parse_usize_env("ORGPROFILE_BENCH_ITERS", 3)?.max(1);
    let mut floor_only = false;
    let mut given: Option<PathBuf> = None;
    let mut out_root: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // cargo bench passes --bench to every harness = false target.
            "--bench" => {}
            "--floor-only" => floor_only = true,
            "--corpus" => {
                given = Some(PathBuf::from(args.next().ok_or("--corpus needs a folder")?));
            }
            "--out" => {
                out_root = Some(PathBuf::from(args.next().ok_or("--out needs a folder")?));
            }
            n if n.parse::<usize>().is_ok() => clients = n.parse().unwrap_or(clients),
            other => return Err(format!("unexpected argument {other}; usage: cargo bench --bench pipeline [-- CLIENTS] [--floor-only] [--corpus FOLDER] [--out FOLDER]")),
        }
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut thread_counts = vec![1, 2, cores];
    thread_counts.sort_unstable();
    thread_counts.dedup();

    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = match given {
        // A folder of client folders already there (a generated corpus, or real clients).
        Some(dir) => {
            println!(
                "corpus: {} (given); {} core(s); median of {} run(s)",
                dir.display(),
                cores,
                iters
            );
            dir
        }
        None => {
            let root = tmp.path().join("corpus");
            let started = Instant::now();
            let stats = support::corpus::generate(&root, clients, 1).map_err(|e| e.to_string())?;
            println!(
                "corpus: {} clients, {} files, {:.1} MB (generated in {:.1}s, seed 1); {} core(s); median of {} run(s)",
                stats.clients,
                stats.files,
                stats.bytes as f64 / 1e6,
                started.elapsed().as_secs_f64(),
                cores,
                iters
            );
            root
        }
    };
    let mut files = Vec::new();
    list(&root, &mut files).map_err(|e| e.to_string())?;
    let bytes = files
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    let corpus = Corpus { files, bytes };

    let options = Options {
        rules: Rules::load(&[]).map_err(|e| e.to_string())?,
        ..Options::default()
    };
    // Outputs go to a temporary folder, under --out when given (a tmpfs such as /dev/shm
    // takes the file system's cost out of the comparison).
    let out_tmp = match &out_root {
        Some(dir) => {
            Some(tempfile::tempdir_in(dir).map_err(|e| format!("{}: {e}", dir.display()))?)
        }
        None => None,
    };
    let scratch = out_tmp
        .as_ref()
        .map_or_else(|| tmp.path().join("scratch"), |t| t.path().join("scratch"));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;

    let mut rows = Vec::new();
    let mut expected: Option<FloorCount> = None;
    for &threads in &thread_counts {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| e.to_string())?;
        // Floor: one untimed pass to warm the page cache, then the timed ones; then the same
        // with libdeflate inflating.
        for (what, how) in [("floor", Inflate::Zip), ("floor-ld", Inflate::Libdeflate)] {
            let mut times = Vec::new();
            for i in 0..=iters {
                let started = Instant::now();
                let count = pool.install(|| floor(&corpus, how))?;
                let took = started.elapsed();
                if *expected.get_or_insert(count) != count {
                    return Err(format!("floor passes disagree: {count:?} vs {expected:?}"));
                }
                if i > 0 {
                    times.push(took);
                }
            }
            rows.push(Row {
                what,
                threads,
                time: median(times),
            });
        }
        if floor_only {
            continue;
        }
        let mut times = Vec::new();
        for i in 0..=iters {
            let took = pool.install(|| pipeline_once(&root, &scratch, &options))?;
            if i > 0 {
                times.push(took);
            }
        }
        rows.push(Row {
            what: "pipeline",
            threads,
            time: median(times),
        });
        let written = outputs_of(&scratch.join("out"))?;
        let mut times = Vec::new();
        for i in 0..=iters {
            let took = pool.install(|| write_outputs(&written, &scratch))?;
            if i > 0 {
                times.push(took);
            }
        }
        rows.push(Row {
            what: "outputs",
            threads,
            time: median(times),
        });
    }
    if let Some(c) = expected {
        println!(
            "floor work: {} files, {} XML parts, {:.1} MB inflated, {} XML events",
            c.files,
            c.parts,
            c.inflated as f64 / 1e6,
            c.events
        );
    }

    println!();
    println!(
        "{:<9} {:>7} {:>9} {:>9} {:>8}",
        "what", "threads", "time (s)", "files/s", "MB/s"
    );
    for r in &rows {
        let secs = r.time.as_secs_f64();
        println!(
            "{:<9} {:>7} {:>9.3} {:>9.0} {:>8.1}",
            r.what,
            r.threads,
            secs,
            corpus.files.len() as f64 / secs,
            corpus.bytes as f64 / 1e6 / secs
        );
    }
    let time_of = |what: &str, threads: usize| {
        rows.iter()
            .find(|r| r.what == what && r.threads == threads)
            .map(|r| r.time.as_secs_f64())
    };
    println!();
    for &threads in &[1, cores] {
        if let (Some(p), Some(f)) = (time_of("pipeline", threads), time_of("floor", threads)) {
            println!(
                "pipeline / floor at {threads} thread(s): {:.2}x (goal <= 1.5x)",
                p / f
            );
            if let Some(ld) = time_of("floor-ld", threads) {
                println!(
                    "  against a floor inflating with libdeflate (as the readers do): {:.2}x",
                    p / ld
                );
            }
            if let Some(o) = time_of("outputs", threads) {
                println!(
                    "  of which writing the outputs alone: {:.2}x the floor; the rest: {:.2}x",
                    o / f,
                    (p - o).max(0.0) / f
                );
            }
        }
    }
    for what in ["floor", "floor-ld", "pipeline"] {
        if let (Some(one), Some(two)) = (time_of(what, 1), time_of(what, 2)) {
            println!(
                "{what}: 2 threads are {:.2}x the speed of 1{}",
                one / two,
                if what == "pipeline" {
                    " (goal >= 1.8x)"
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench pipeline: {e}");
            ExitCode::FAILURE
        }
    }
}
