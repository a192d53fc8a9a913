//! DOCX reader throughput against its floor, on a corpus generated here with docx-rs's writer
//! (50 documents of 200 to 2,000 paragraphs: headings, numbered and bulleted lists, tables, a
//! header and a footer).
//!
//! - `floor`: open the zip, inflate the XML parts the reader reads (relationships, document,
//!   styles, numbering, headers, footers, notes, comments, core properties) and tokenise each
//!   with `quick_xml::Reader` until `Eof`, doing nothing with the events;
//! - `read_bytes`: `orgprofile::read::read_bytes` on the same bytes.
//!
//! docx-rs stores its parts uncompressed; Word deflates them. The corpus is re-zipped with
//! deflate, as Word writes it, and that is what criterion measures. Throughput is in file bytes.
//! After criterion, both are timed again over the whole corpus, deflated and as docx-rs stored
//! it, by the thread's CPU time (so other processes on a shared machine do not count), and the
//! ratios read_bytes/floor are printed.
//!
//! Run: `cargo bench --bench read_docx`.
#![allow(missing_docs, clippy::print_stdout)]

use criterion::{Criterion, Throughput};
use docx_rs::{
    AbstractNumbering, Docx, Footer, Header, IndentLevel, Level, LevelJc, LevelText, NumberFormat,
    Numbering, NumberingId, Paragraph, Run, Start, Style, StyleType, Table, TableCell, TableRow,
};
use orgprofile::document::Format;
use orgprofile::read::container::Container;
use orgprofile::read::{read_bytes, Limits};
use std::hint::black_box;
use std::io::Cursor;
use std::time::Duration;

#[path = "common/mod.rs"]
mod common;
use common::{Clock, Lcg};

fn make_doc(seed: u64) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let paragraphs = 200 + rng.below(1801);
    let mut docx =
        Docx::new()
            .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
            .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2"))
            .add_abstract_numbering(
                AbstractNumbering::new(10)
                    .add_level(Level::new(
                        0,
                        Start::new(1),
                        NumberFormat::new("decimal"),
                        LevelText::new("%1."),
                        LevelJc::new("left"),
                    ))
                    .add_level(Level::new(
                        1,
                        Start::new(1),
                        NumberFormat::new("lowerLetter"),
                        LevelText::new("%1.%2)"),
                        LevelJc::new("left"),
                    )),
            )
            .add_abstract_numbering(AbstractNumbering::new(11).add_level(Level::new(
                0,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new("•"),
                LevelJc::new("left"),
            )))
            .add_numbering(Numbering::new(10, 10))
            .add_numbering(Numbering::new(11, 11))
            .header(Header::new().add_paragraph(
                Paragraph::new().add_run(Run::new().add_text("Company confidential")),
            ))
            .footer(Footer::new().add_paragraph(
                Paragraph::new().add_run(Run::new().add_text("Service management system")),
            ));
    let mut written = 0;
    while written < paragraphs {
        let roll = rng.below(100);
        if roll < 8 {
            let style = if rng.below(3) == 0 {
                "Heading1"
            } else {
                "Heading2"
            };
            docx = docx.add_paragraph(
                Paragraph::new()
                    .style(style)
                    .add_run(Run::new().add_text(rng.sentence(3, 4))),
            );
            written += 1;
        } else if roll < 28 {
            let (id, level) = if rng.below(2) == 0 {
                (10, rng.below(2))
            } else {
                (11, 0)
            };
            docx = docx.add_paragraph(
                Paragraph::new()
                    .numbering(NumberingId::new(id), IndentLevel::new(level as usize))
                    .add_run(Run::new().add_text(rng.sentence(3, 12))),
            );
            written += 1;
        } else if roll < 31 {
            let rows = 2 + rng.below(8);
            let cols = 2 + rng.below(4);
            let mut trs = Vec::new();
            for _ in 0..rows {
                let cells = (0..cols)
                    .map(|_| {
                        TableCell::new().add_paragraph(
                            Paragraph::new().add_run(Run::new().add_text(rng.sentence(3, 5))),
                        )
                    })
                    .collect();
                trs.push(TableRow::new(cells));
                written += cols;
            }
            docx = docx.add_table(Table::new(trs));
        } else {
            let runs = 1 + rng.below(4);
            let mut p = Paragraph::new();
            for _ in 0..runs {
                let mut run = Run::new().add_text(format!("{} ", rng.sentence(3, 15)));
                if rng.below(10) == 0 {
                    run = run.bold();
                }
                p = p.add_run(run);
            }
            docx = docx.add_paragraph(p);
            written += 1;
        }
    }
    let mut out = Cursor::new(Vec::new());
    docx.build().pack(&mut out).expect("docx-rs packs");
    out.into_inner()
}

/// The parts `docx::read` reads, as the floor reads them.
fn floor_parts(names: &[String]) -> Vec<String> {
    names
        .iter()
        .filter(|n| {
            let n = n.as_str();
            n == "_rels/.rels"
                || n == "word/_rels/document.xml.rels"
                || n == "word/document.xml"
                || n == "word/styles.xml"
                || n == "word/numbering.xml"
                || n == "word/footnotes.xml"
                || n == "word/endnotes.xml"
                || n == "word/comments.xml"
                || n == "docProps/core.xml"
                || (n.starts_with("word/header") && n.ends_with(".xml"))
                || (n.starts_with("word/footer") && n.ends_with(".xml"))
        })
        .cloned()
        .collect()
}

/// The same package with every entry deflated (level 6), as Word writes it.
fn deflated(stored: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(stored)).expect("zip reads");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().expect("name").to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).expect("inflates");
        out.start_file(name, options).expect("starts");
        out.write_all(&data).expect("writes");
    }
    out.finish().expect("finishes").into_inner()
}

fn ratio(label: &str, corpus: &[Vec<u8>], limits: &Limits, rounds: usize) {
    let total: usize = corpus.iter().map(Vec::len).sum();
    let mut t_floor = Duration::ZERO;
    let mut t_ours = Duration::ZERO;
    // Alternate the two so drift on a shared machine hits both.
    for _ in 0..rounds {
        let t = Clock::start();
        for d in corpus {
            black_box(floor(d, limits));
        }
        t_floor += t.elapsed();
        let t = Clock::start();
        for d in corpus {
            black_box(ours(d, limits));
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

#[inline(never)]
fn floor(bytes: &[u8], limits: &Limits) -> usize {
    let mut zip = Container::open(bytes, limits).expect("zip opens");
    let names: Vec<String> = zip.names().map(str::to_string).collect();
    let mut events = 0;
    for part in floor_parts(&names) {
        let Ok(Some(xml)) = zip.read(&part) else {
            continue;
        };
        let mut reader = quick_xml::Reader::from_reader(&xml[..]);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(e) => {
                    black_box(&e);
                    events += 1;
                }
                Err(_) => break,
            }
        }
    }
    events
}

#[inline(never)]
fn ours(bytes: &[u8], limits: &Limits) -> usize {
    let doc = read_bytes(bytes, "bench.docx", Some(Format::Docx), limits).expect("reads");
    doc.blocks.len()
}

fn main() {
    let docs = if std::env::var("EXPERIMENT").is_ok() {
        5
    } else {
        50
    };
    let stored: Vec<Vec<u8>> = (0..docs).map(|i| make_doc(0x5eed + i)).collect();
    let corpus: Vec<Vec<u8>> = stored.iter().map(|d| deflated(d)).collect();
    let total: usize = corpus.iter().map(Vec::len).sum();
    let limits = Limits::default();
    if std::env::var("READ_DOCX_PROFILE").is_ok() {
        // One pass of each, for an instruction counter: `valgrind --tool=callgrind`, then
        // `callgrind_annotate --inclusive=yes` and compare `read_docx::floor` with
        // `read_docx::ours`.
        let f: usize = corpus.iter().map(|d| floor(d, &limits)).sum();
        let o: usize = corpus.iter().map(|d| ours(d, &limits)).sum();
        println!("profile pass: {f} events, {o} blocks");
        return;
    }

    let blocks: usize = corpus.iter().map(|d| ours(d, &limits)).sum();
    println!(
        "corpus: {} documents, {} bytes deflated ({} stored), {} blocks",
        corpus.len(),
        total,
        stored.iter().map(Vec::len).sum::<usize>(),
        blocks
    );

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    {
        let mut group = c.benchmark_group("docx");
        group.throughput(Throughput::Bytes(total as u64));
        group.bench_function("floor", |b| {
            b.iter(|| {
                corpus
                    .iter()
                    .map(|d| floor(black_box(d), &limits))
                    .sum::<usize>()
            })
        });
        group.bench_function("read_bytes", |b| {
            b.iter(|| {
                corpus
                    .iter()
                    .map(|d| ours(black_box(d), &limits))
                    .sum::<usize>()
            })
        });
        group.finish();
    }
    c.final_summary();

    ratio("deflated (as Word writes)", &corpus, &limits, 5);
    ratio("stored (as docx-rs writes)", &stored, &limits, 5);
}
