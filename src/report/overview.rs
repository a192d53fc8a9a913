//! The batch overview: a batch's [`Summary`] in; `index.html` out, one self-contained page
//! (inline CSS, print CSS included; nothing remote, so it opens from disk) with a row per
//! client sorted by name: status, sections complete, a cell per section coloured complete,
//! missing or undecided, errors, conflicts, unreadable files and a link to the client's
//! `report.md`; then, per section, how many clients have it open.
//!
//! Decides nothing: every figure is the summary row's. Every client-provided string is
//! HTML-escaped; links are relative. Deterministic: no date, rows in the summary's order.

use super::{SectionState, Summary, SummaryRow};
use crate::profile::SECTIONS;
use std::fmt::Write as _;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:.9em}
th,td{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#eee}
td.n{text-align:right}
td.complete{background:#cdeccd}
td.missing{background:#f6c6c6}
td.undecided{background:#fbe7a6}
td.none{background:#eee}
tfoot td{font-weight:bold}
@media print{body{margin:0;font-size:9pt}a{color:inherit;text-decoration:none}
td.complete,td.missing,td.undecided,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
tr{page-break-inside:avoid}}
";

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A relative link to a client's `report.md`: the folder name percent-encoded except for
/// unreserved characters, so any name stays one path segment.
fn report_href(client: &str) -> String {
    let mut out = String::new();
    for b in client.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out.push_str("/report.md");
    out
}

/// `index.html` for a batch.
pub fn index_html(summary: &Summary) -> String {
    let mut h = String::with_capacity(4096 + 512 * summary.clients.len());
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<title>orgprofile: batch overview</title>\n<style>\n");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<h1>Batch overview</h1>\n");
    let _ = write!(h, "<p>{} client(s)", summary.clients.len());
    if let Some(shard) = &summary.shard {
        let _ = write!(h, ", shard {}", html_escape(shard));
    }
    h.push_str(". A section is <b>complete</b>, <b>missing</b> (a required value is absent) or <b>undecided</b> (the documents suggest values the evidence does not settle).</p>\n");
    h.push_str("<table>\n<thead>\n<tr><th>Client</th><th>Status</th><th>Sections</th>");
    for s in SECTIONS {
        let _ = write!(h, "<th>{}</th>", html_escape(s.title()));
    }
    h.push_str("<th>Errors</th><th>Conflicts</th><th>Unreadable files</th><th>Report</th></tr>\n</thead>\n<tbody>\n");
    let mut open = [0usize; SECTIONS.len()];
    for r in &summary.clients {
        row(&mut h, r, &mut open);
    }
    h.push_str("</tbody>\n<tfoot>\n<tr><td colspan=\"3\">Clients with the section open</td>");
    for n in open {
        let _ = write!(h, "<td class=\"n\">{n}</td>");
    }
    h.push_str("<td colspan=\"4\"></td></tr>\n</tfoot>\n</table>\n</body>\n</html>\n");
    h
}

fn row(h: &mut String, r: &SummaryRow, open: &mut [usize]) {
    let name = html_escape(&r.client);
    let _ = write!(
        h,
        "<tr><td>{name}</td><td>{}</td><td class=\"n\">{}/{}</td>",
        html_escape(&r.status),
        r.sections_complete,
        SECTIONS.len()
    );
    for (i, slot) in open.iter_mut().enumerate() {
        let state = r.sections.get(i).copied();
        let (class, text) = match state {
            Some(SectionState::Complete) => ("complete", "complete"),
            Some(SectionState::Missing) => ("missing", "missing"),
            Some(SectionState::Undecided) => ("undecided", "undecided"),
            None => ("none", "-"),
        };
        if matches!(
            state,
            Some(SectionState::Missing) | Some(SectionState::Undecided)
        ) {
            *slot += 1;
        }
        let _ = write!(h, "<td class=\"{class}\">{text}</td>");
    }
    let _ = write!(
        h,
        "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
        r.errors, r.conflicts, r.files_unreadable
    );
    if r.status.starts_with("failed") {
        h.push_str("<td></td></tr>\n");
    } else {
        let _ = writeln!(
            h,
            "<td><a href=\"{}\">report.md</a></td></tr>",
            html_escape(&report_href(&r.client))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_links_stay_one_segment() {
        assert_eq!(
            html_escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
        assert_eq!(report_href("a b/../c"), "a%20b%2F..%2Fc/report.md");
    }
}
