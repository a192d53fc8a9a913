//! Spreadsheet and Markdown reader throughput against their floors, on corpora generated here,
//! so every format has a ratio as `benches/read_docx.rs` gives one for DOCX.
//!
//! - XLSX (30 workbooks from rust_xlsxwriter, 200 to 2,000 rows of a register under a title
//!   block, text, numbers and dates, a second sheet): the floor opens the zip, inflates every
//!   worksheet and the shared strings and tokenises each with `quick_xml::Reader` until `Eof`;
//!   the reader is `orgprofile::read::read_bytes`.
//! - Markdown (30 files of 200 to 2,000 blocks: front matter, headings, paragraphs, nested
//!   lists, GFM tables, quotes): the floor is pulldown-cmark parsing the same text with the
//!   options the reader turns on, doing nothing with the events; the reader is `read_bytes`.
//!
//! Each is timed over its whole corpus by the thread's CPU time (other processes on a shared
//! machine do not count), the two alternated for a few rounds, and the ratio reader/floor is
//! printed. Throughput is in file bytes.
//!
//! Run: `cargo bench --bench read_formats`. For an instruction count instead of a time:
//! `READ_FORMATS_PROFILE=1 valgrind --tool=callgrind --toggle-collect='read_formats::*' ...`
//! and compare `xlsx_floor` with `xlsx_ours`, `md_floor` with `md_ours`.
#![allow(missing_docs, clippy::print_stdout)]

use orgprofile::document::Format;
use orgprofile::read::container::Container;
use orgprofile::read::{read_bytes, Limits};
use pulldown_cmark::{Options, Parser};
use rust_xlsxwriter::{ExcelDateTime, Format as XlsxFormat, Workbook};
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

#[path = "common/mod.rs"]
mod common;
use common::{Clock, Lcg, WORDS};

fn make_xlsx(seed: u64) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let rows = 200 + rng.below(1801) as u32;
    let mut wb = Workbook::new();
    let bold = XlsxFormat::new().set_bold();
    let date = XlsxFormat::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Register").expect("name");
    ws.write_string_with_format(0, 0, "Service register", &bold)
        .expect("title");
    ws.write_string(1, 0, "Exported for the ISO/IEC 20000-1 review")
        .expect("subtitle");
    let header = ["ID", "Service", "Owner", "Description", "Hours", "Review"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold)
            .expect("header");
    }
    for r in 0..rows {
        let row = 4 + r;
        ws.write_number(row, 0, f64::from(r + 1)).expect("id");
        ws.write_string(row, 1, rng.sentence(1, 3))
            .expect("service");
        ws.write_string(row, 2, WORDS[rng.below(WORDS.len() as u64) as usize])
            .expect("owner");
        ws.write_string(row, 3, rng.sentence(1, 12)).expect("text");
        ws.write_number(row, 4, rng.below(1000) as f64 / 4.0)
            .expect("hours");
        let day = ExcelDateTime::from_ymd(2020 + rng.below(6) as u16, 1 + rng.below(12) as u8, 1)
            .expect("date");
        ws.write_datetime_with_format(row, 5, &day, &date)
            .expect("date cell");
    }
    let ws = wb.add_worksheet();
    ws.set_name("Contacts").expect("name");
    for r in 0..(20 + rng.below(100) as u32) {
        for c in 0..4u16 {
            ws.write_string(r, c, rng.sentence(1, 3)).expect("contact");
        }
    }
    wb.save_to_buffer().expect("workbook saves")
}

fn make_markdown(seed: u64) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let blocks = 200 + rng.below(1801);
    let mut s = String::from("---\ntitle: Service management plan\nowner: Service desk\n---\n\n");
    for _ in 0..blocks {
        match rng.below(100) {
            0..8 => {
                let level = 1 + rng.below(3) as usize;
                let _ = writeln!(s, "{} {}\n", "#".repeat(level), rng.sentence(1, 4));
            }
            8..28 => {
                let ordered = rng.below(2) == 0;
                for i in 0..(2 + rng.below(5)) {
                    let indent = if rng.below(4) == 0 { "   " } else { "" };
                    let marker = if ordered {
                        format!("{}.", i + 1)
                    } else {
                        "-".into()
                    };
                    let _ = writeln!(s, "{indent}{marker} {}", rng.sentence(1, 12));
                }
                s.push('\n');
            }
            28..31 => {
                let cols = 2 + rng.below(4) as usize;
                let _ = writeln!(s, "|{}", " Column |".repeat(cols));
                let _ = writeln!(s, "|{}", " --- |".repeat(cols));
                for _ in 0..(2 + rng.below(8)) {
                    s.push('|');
                    for _ in 0..cols {
                        let _ = write!(s, " {} |", rng.sentence(1, 5));
                    }
                    s.push('\n');
                }
                s.push('\n');
            }
            31..34 => {
                let _ = writeln!(s, "> {}\n", rng.sentence(1, 20));
            }
            _ => {
                let lines = 1 + rng.below(4);
                for _ in 0..lines {
                    let _ = writeln!(
                        s,
                        "{} *{}* `{}`.",
                        rng.sentence(1, 15),
                        rng.sentence(1, 2),
                        rng.sentence(1, 1)
                    );
                }
                s.push('\n');
            }
        }
    }
    s.into_bytes()
}

type Run = fn(&[u8], &Limits) -> usize;

fn ratio(label: &str, corpus: &[Vec<u8>], limits: &Limits, floor: Run, ours: Run, rounds: usize) {
    let total: usize = corpus.iter().map(Vec::len).sum();
    let mut t_floor = Duration::ZERO;
    let mut t_ours = Duration::ZERO;
    for _ in 0..rounds {
        let t = Clock::start();
        for d in corpus {
            black_box(floor(black_box(d), limits));
        }
        t_floor += t.elapsed();
        let t = Clock::start();
        for d in corpus {
            black_box(ours(black_box(d), limits));
        }
        t_ours += t.elapsed();
    }
    let mib = (total * rounds) as f64 / (1024.0 * 1024.0);
    println!(
        "{label}: floor {:.1} MiB/s, read_bytes {:.1} MiB/s (thread CPU time), ratio read_bytes/floor = {:.3}",
        mib / t_floor.as_secs_f64(),
        mib / t_ours.as_secs_f64(),
        t_ours.as_secs_f64() / t_floor.as_secs_f64()
    );
}

fn tokenise(xml: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            Ok(e) => {
                black_box(&e);
                events += 1;
            }
        }
    }
    events
}

#[inline(never)]
fn xlsx_floor(bytes: &[u8], limits: &Limits) -> usize {
    let mut zip = Container::open(bytes, limits).expect("zip opens");
    let parts: Vec<String> = zip
        .names()
        .filter(|n| {
            n.starts_with("xl/worksheets/sheet") && n.ends_with(".xml")
                || *n == "xl/sharedStrings.xml"
        })
        .map(str::to_string)
        .collect();
    let mut events = 0;
    for part in parts {
        if let Ok(Some(xml)) = zip.read(&part) {
            events += tokenise(&xml);
        }
    }
    events
}

#[inline(never)]
fn xlsx_ours(bytes: &[u8], limits: &Limits) -> usize {
    let doc = read_bytes(bytes, "bench.xlsx", Some(Format::Xlsx), limits).expect("reads");
    doc.blocks.len()
}

fn md_options() -> Options {
    // The options `read::markdown` parses with.
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

#[inline(never)]
fn md_floor(bytes: &[u8], _limits: &Limits) -> usize {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let mut events = 0;
    for e in Parser::new_ext(text, md_options()).into_offset_iter() {
        black_box(&e);
        events += 1;
    }
    events
}

#[inline(never)]
fn md_ours(bytes: &[u8], limits: &Limits) -> usize {
    let doc = read_bytes(bytes, "bench.md", Some(Format::Markdown), limits).expect("reads");
    doc.blocks.len()
}

fn main() {
    let n = if std::env::var("EXPERIMENT").is_ok() {
        5
    } else {
        30
    };
    let limits = Limits::default();
    let xlsx: Vec<Vec<u8>> = (0..n).map(|i| make_xlsx(0x5eed + i)).collect();
    let md: Vec<Vec<u8>> = (0..n).map(|i| make_markdown(0x5eed + i)).collect();
    if std::env::var("READ_FORMATS_PROFILE").is_ok() {
        let a: usize = xlsx.iter().map(|d| xlsx_floor(d, &limits)).sum();
        let b: usize = xlsx.iter().map(|d| xlsx_ours(d, &limits)).sum();
        let c: usize = md.iter().map(|d| md_floor(d, &limits)).sum();
        let d: usize = md.iter().map(|d| md_ours(d, &limits)).sum();
        println!("profile pass: {a} {b} {c} {d}");
        return;
    }
    for (label, corpus) in [("xlsx", &xlsx), ("markdown", &md)] {
        println!(
            "{label} corpus: {} files, {} bytes",
            corpus.len(),
            corpus.iter().map(Vec::len).sum::<usize>()
        );
    }
    let blocks: usize = xlsx.iter().map(|d| xlsx_ours(d, &limits)).sum();
    println!("xlsx: {blocks} tables read");
    let blocks: usize = md.iter().map(|d| md_ours(d, &limits)).sum();
    println!("markdown: {blocks} blocks read");
    ratio("xlsx", &xlsx, &limits, xlsx_floor, xlsx_ours, 5);
    ratio("markdown", &md, &limits, md_floor, md_ours, 5);
}
