//! Readers: spreadsheets (rust_xlsxwriter fixtures and hand-written zip parts), Markdown and
//! plain text (strings), bad input, the `extract` command, and an ignored sweep over
//! ../shared/corpus (run with `cargo test --release -- --ignored corpus`).

use orgprofile::document::{Block, BlockKind, Cell, Document, Format, Locator, Region, Table};
use orgprofile::read::{self, Limits, ReadError};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format as XFormat, Formula, Table as XTable, Workbook,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- helpers

fn xlsx(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save_to_buffer().expect("fixture workbook")
}

fn read_xlsx(bytes: &[u8]) -> Document {
    read::read_bytes(bytes, "book.xlsx", Some(Format::Xlsx), &Limits::default())
        .expect("the workbook reads")
}

fn read_md(text: &str) -> Document {
    read::read_bytes(
        text.as_bytes(),
        "policy.md",
        Some(Format::Markdown),
        &Limits::default(),
    )
    .expect("markdown always reads")
}

fn tables(doc: &Document) -> Vec<(&Block, &Table)> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some((b, t)),
            _ => None,
        })
        .collect()
}

fn texts(t: &Table) -> Vec<Vec<&str>> {
    t.rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

fn cell(t: &Table, row: usize, col: usize) -> &Cell {
    &t.rows[row][col]
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A one-sheet xlsx from hand-written sheet XML (and optional shared strings).
fn hand_xlsx(sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_data}</worksheet>"#
    );
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(s) = shared {
        parts.push(("xl/sharedStrings.xml", s.as_bytes()));
    }
    zip_of(&parts)
}

// ---------------------------------------------------------------- spreadsheets

#[test]
fn title_block_and_two_tables_become_separate_tables_with_absolute_locators() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Staff").unwrap();
        ws.write_string(0, 0, "Staff register 2024").unwrap();
        ws.write_string(2, 0, "Name").unwrap();
        ws.write_string(2, 1, "Role").unwrap();
        ws.write_string(3, 0, "Jane Doe").unwrap();
        ws.write_string(3, 1, "SMS manager").unwrap();
        ws.write_string(4, 0, "Bob Roe").unwrap();
        // Row 5 is blank: the suppliers table below is a second table.
        ws.write_string(6, 0, "Supplier").unwrap();
        ws.write_string(7, 0, "Acme").unwrap();
    });
    let doc = read_xlsx(&bytes);
    assert_eq!(doc.format, Format::Xlsx);
    let t = tables(&doc);
    assert_eq!(t.len(), 3, "{:#?}", doc.blocks);
    assert_eq!(texts(t[0].1), vec![vec!["Staff register 2024"]]);
    assert_eq!(
        texts(t[1].1),
        vec![
            vec!["Name", "Role"],
            vec!["Jane Doe", "SMS manager"],
            vec!["Bob Roe", ""]
        ]
    );
    assert_eq!(t[1].0.locator.to_string(), "Staff!A3:B5");
    assert_eq!(cell(t[1].1, 1, 1).locator.to_string(), "Staff!B4");
    assert_eq!(t[1].1.sheet.as_deref(), Some("Staff"));
    assert_eq!(texts(t[2].1), vec![vec!["Supplier"], vec!["Acme"]]);
    assert_eq!(t[2].0.locator.to_string(), "Staff!A7:A8");
}

#[test]
fn tables_side_by_side_split_at_a_blank_column() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        for (r, (a, b)) in [("Role", "Owner"), ("CIO", "Bob")].iter().enumerate() {
            ws.write_string(r as u32, 0, *a).unwrap();
            ws.write_string(r as u32, 3, *b).unwrap();
        }
    });
    let doc = read_xlsx(&bytes);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert_eq!(t[0].0.locator.to_string(), "Sheet1!A1:A2");
    assert_eq!(t[1].0.locator.to_string(), "Sheet1!D1:D2");
}

#[test]
fn merged_cells_repeat_their_value_and_note_the_origin() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 1, 1, "Service owner", &XFormat::new())
            .unwrap();
        ws.write_string(0, 2, "Jane").unwrap();
    });
    let doc = read_xlsx(&bytes);
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    let table = t[0].1;
    assert_eq!(
        texts(table),
        vec![
            vec!["Service owner", "Service owner", "Jane"],
            vec!["Service owner", "Service owner", ""]
        ]
    );
    assert_eq!(cell(table, 0, 0).locator.to_string(), "Sheet1!A1");
    assert_eq!(
        cell(table, 1, 1).locator.to_string(),
        "Sheet1!B2 (merged from A1)"
    );
    assert!(matches!(
        cell(table, 0, 1).locator,
        Locator::Cell {
            merged_from: Some((0, 0)),
            ..
        }
    ));
}

#[test]
fn only_date_formatted_cells_read_as_iso_dates() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        let date = XFormat::new().set_num_format("yyyy-mm-dd");
        let stamp = XFormat::new().set_num_format("dd/mm/yyyy hh:mm");
        let day = ExcelDateTime::from_ymd(2024, 3, 1).unwrap();
        ws.write_datetime_with_format(0, 0, &day, &date).unwrap();
        let at = ExcelDateTime::from_ymd(2024, 3, 1)
            .unwrap()
            .and_hms(9, 30, 0)
            .unwrap();
        ws.write_datetime_with_format(0, 1, &at, &stamp).unwrap();
        // The same serial number without a date format stays a number.
        ws.write_number(0, 2, 45352.0).unwrap();
    });
    let doc = read_xlsx(&bytes);
    let t = tables(&doc);
    assert_eq!(
        texts(t[0].1),
        vec![vec!["2024-03-01", "2024-03-01T09:30:00", "45352"]]
    );
}

#[test]
fn numbers_read_without_float_noise_and_booleans_as_words() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.write_number(0, 0, 120.0).unwrap();
        ws.write_number(0, 1, 0.1).unwrap();
        ws.write_number(0, 2, 0.1 + 0.2).unwrap();
        ws.write_number(0, 3, 1234.5).unwrap();
        ws.write_number(0, 4, -7.0).unwrap();
        ws.write_boolean(0, 5, true).unwrap();
        ws.write_boolean(0, 6, false).unwrap();
    });
    let doc = read_xlsx(&bytes);
    assert_eq!(
        texts(tables(&doc)[0].1),
        vec![vec!["120", "0.1", "0.3", "1234.5", "-7", "TRUE", "FALSE"]]
    );
}

#[test]
fn error_cells_are_empty_with_a_note() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Head count").unwrap();
        ws.write_formula(0, 1, Formula::new("=NA()").set_result("#N/A"))
            .unwrap();
    });
    let doc = read_xlsx(&bytes);
    let table = tables(&doc)[0].1;
    let c = cell(table, 0, 1);
    assert_eq!(c.text, "");
    assert_eq!(c.note.as_deref(), Some("error #N/A read as empty"));
    assert!(doc.notes.iter().any(|n| n.contains("1 error cell")));
}

#[test]
fn yellow_cells_are_flagged_highlighted() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        let yellow = XFormat::new().set_background_color(rust_xlsxwriter::Color::Yellow);
        let blue = XFormat::new().set_background_color(rust_xlsxwriter::Color::Blue);
        ws.write_string(0, 0, "SMS manager").unwrap();
        ws.write_string_with_format(0, 1, "[Enter name]", &yellow)
            .unwrap();
        ws.write_string_with_format(0, 2, "Blue", &blue).unwrap();
    });
    let doc = read_xlsx(&bytes);
    let (block, table) = tables(&doc)[0];
    let flags: Vec<bool> = table.rows[0].iter().map(|c| c.highlighted).collect();
    assert_eq!(flags, vec![false, true, false]);
    assert!(block.highlighted);
}

#[test]
fn hidden_sheets_are_flagged() {
    let bytes = xlsx(|wb| {
        wb.add_worksheet().write_string(0, 0, "visible").unwrap();
        let ws = wb.add_worksheet();
        ws.set_name("Old").unwrap();
        ws.write_string(0, 0, "stale").unwrap();
        ws.set_hidden(true);
    });
    let doc = read_xlsx(&bytes);
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert!(!t[0].1.hidden);
    assert!(t[1].1.hidden);
    assert_eq!(t[1].1.sheet.as_deref(), Some("Old"));
    assert!(doc.notes.iter().any(|n| n.contains("'Old' is hidden")));
}

#[test]
fn excel_tables_are_named_tables_of_their_own() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Roles").unwrap();
        ws.write_string(0, 0, "Key roles").unwrap();
        // The ListObject sits right under the title, with no blank row between.
        ws.write_string(1, 0, "Role").unwrap();
        ws.write_string(1, 1, "Name").unwrap();
        ws.write_string(2, 0, "CIO").unwrap();
        ws.write_string(2, 1, "Bob").unwrap();
        ws.add_table(1, 0, 2, 1, &XTable::new().set_name("KeyRoles"))
            .unwrap();
    });
    let doc = read_xlsx(&bytes);
    let t = tables(&doc);
    assert_eq!(t.len(), 2, "{:#?}", doc.blocks);
    assert_eq!(t[0].1.name, None);
    assert_eq!(texts(t[0].1), vec![vec!["Key roles"]]);
    assert_eq!(t[1].1.name.as_deref(), Some("KeyRoles"));
    assert_eq!(
        texts(t[1].1),
        vec![vec!["Role", "Name"], vec!["CIO", "Bob"]]
    );
    assert_eq!(t[1].0.locator.to_string(), "Roles!A2:B3");
}

#[test]
fn workbook_properties_become_metadata() {
    let bytes = xlsx(|wb| {
        wb.set_properties(
            &DocProperties::new()
                .set_title("Staff register")
                .set_author("Jane Doe"),
        );
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
    });
    let doc = read_xlsx(&bytes);
    assert_eq!(doc.metadata.title.as_deref(), Some("Staff register"));
    assert_eq!(doc.metadata.author.as_deref(), Some("Jane Doe"));
}

#[test]
fn a_cell_at_the_last_row_and_column_costs_one_cell_not_a_dense_sheet() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "top").unwrap();
        ws.write_string(1_048_575, 16_383, "far").unwrap();
    });
    let start = Instant::now();
    let doc = read_xlsx(&bytes);
    assert!(start.elapsed() < Duration::from_secs(10));
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    assert_eq!(t[1].0.locator.to_string(), "Sheet1!XFD1048576:XFD1048576");
}

#[test]
fn rows_past_the_limit_are_a_clean_error() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        for r in 0..20 {
            ws.write_number(r, 0, f64::from(r)).unwrap();
        }
    });
    let limits = Limits {
        max_sheet_rows: 10,
        ..Limits::default()
    };
    let err = read::read_bytes(&bytes, "big.xlsx", Some(Format::Xlsx), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    assert!(err.to_string().contains("rows"), "{err}");
}

#[test]
fn cells_past_the_limit_are_a_clean_error() {
    let bytes = xlsx(|wb| {
        let ws = wb.add_worksheet();
        for r in 0..10 {
            for c in 0..10 {
                ws.write_number(r, c, 1.0).unwrap();
            }
        }
    });
    let limits = Limits {
        max_sheet_cells: 50,
        ..Limits::default()
    };
    let err = read::read_bytes(&bytes, "big.xlsx", Some(Format::Xlsx), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
}

#[test]
fn hand_written_sheet_reads_inline_and_shared_strings() {
    let bytes = hand_xlsx(
        r#"<sheetData><row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="inlineStr"><is><t>  Service   desk </t></is></c></row></sheetData>"#,
        Some(
            r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>Owner</t></si></sst>"#,
        ),
    );
    let doc = read_xlsx(&bytes);
    let t = tables(&doc);
    assert_eq!(texts(t[0].1), vec![vec!["Owner", "Service desk"]]);
    assert_eq!(t[0].0.locator.to_string(), "Sheet1!B2:C2");
}

/// A two-sheet xlsx from hand-written sheet XML.
fn hand_xlsx_two_sheets(first: &str, second: &str) -> Vec<u8> {
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Good" sheetId="1" r:id="rId1"/><sheet name="Bad" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#;
    let wrap = |d: &str| {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{d}</worksheet>"#
        )
    };
    let (a, b) = (wrap(first), wrap(second));
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", a.as_bytes()),
        ("xl/worksheets/sheet2.xml", b.as_bytes()),
    ])
}

#[test]
fn a_sheet_calamine_cannot_read_is_skipped_with_a_note() {
    let good = r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>kept</t></is></c></row></sheetData>"#;
    let bad = r#"<sheetData><row r="1"><c r="A1" t="e"><v>NOT-AN-ERROR</v></c></row></sheetData>"#;
    let doc = read_xlsx(&hand_xlsx_two_sheets(good, bad));
    assert_eq!(texts(tables(&doc)[0].1), vec![vec!["kept"]]);
    assert!(
        doc.notes
            .iter()
            .any(|n| n.contains("'Bad'") && n.contains("skipped")),
        "{:?}",
        doc.notes
    );
    // When no sheet can be read, the workbook is an error.
    let err = read::read_bytes(
        &hand_xlsx_two_sheets(bad, bad),
        "b.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::Spreadsheet(_)), "{err:?}");
}

#[test]
fn utf16_package_parts_are_read() {
    // Excel on Windows Phone wrote some parts in UTF-16; calamine reads only UTF-8.
    let utf16 = |s: &str| -> Vec<u8> {
        let s = s.replace("UTF-8", "UTF-16");
        [0xFF, 0xFE]
            .into_iter()
            .chain(s.encode_utf16().flat_map(u16::to_le_bytes))
            .collect()
    };
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Pfand</t></is></c></row></sheetData></worksheet>"#;
    let bytes = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", ROOT_RELS.as_bytes()),
        ("xl/workbook.xml", &utf16(WORKBOOK)),
        ("xl/_rels/workbook.xml.rels", &utf16(WORKBOOK_RELS)),
        ("xl/worksheets/sheet1.xml", &utf16(sheet)),
    ]);
    let doc = read_xlsx(&bytes);
    assert_eq!(texts(tables(&doc)[0].1), vec![vec!["Pfand"]]);
}

#[test]
fn malformed_sheet_xml_is_a_spreadsheet_error() {
    let bytes = hand_xlsx(
        r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x"#,
        None,
    );
    let err =
        read::read_bytes(&bytes, "bad.xlsx", Some(Format::Xlsx), &Limits::default()).unwrap_err();
    assert!(matches!(err, ReadError::Spreadsheet(_)), "{err:?}");
}

#[test]
fn an_absurd_shared_string_count_is_refused_before_allocating() {
    let bytes = hand_xlsx(
        r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>"#,
        Some(
            r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000000"><si><t>x</t></si></sst>"#,
        ),
    );
    let err =
        read::read_bytes(&bytes, "bomb.xlsx", Some(Format::Xlsx), &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("shared strings"), "{err}");
}

#[test]
fn a_dtd_in_a_workbook_part_is_refused() {
    let bytes = hand_xlsx(
        r#"<sheetData/>"#,
        Some(
            r#"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaa">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a;</t></si></sst>"#,
        ),
    );
    let err =
        read::read_bytes(&bytes, "dtd.xlsx", Some(Format::Xlsx), &Limits::default()).unwrap_err();
    assert!(matches!(err, ReadError::Dtd { .. }), "{err:?}");
}

fn ods(content: &str) -> Vec<u8> {
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", ODS_MANIFEST.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

const ODS_MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
const ODS_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>"#;
const ODS_TAIL: &str = "</office:spreadsheet></office:body></office:document-content>";

#[test]
fn ods_sheets_read_into_tables() {
    let content = format!(
        r#"{ODS_HEAD}<table:table table:name="Roles"><table:table-row><table:table-cell office:value-type="string"><text:p>Role</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="date" office:date-value="2024-03-01"><text:p>01/03/24</text:p></table:table-cell></table:table-row></table:table>{ODS_TAIL}"#
    );
    let doc = read::read_bytes(
        &ods(&content),
        "roles.ods",
        Some(Format::Ods),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.format, Format::Ods);
    let t = tables(&doc);
    assert_eq!(
        texts(t[0].1),
        vec![vec!["Role", "3"], vec!["2024-03-01", ""]]
    );
    assert_eq!(cell(t[0].1, 1, 0).locator.to_string(), "Roles!A2");
}

#[test]
fn pretty_printed_ods_content_is_read() {
    // Whitespace between table elements, as some generators write it; calamine alone refuses it.
    let content = format!(
        "{ODS_HEAD}\n  <table:table table:name=\"S\">\n    <table:table-row>\n      <table:table-cell office:value-type=\"string\">\n        <text:p>Service  desk</text:p>\n      </table:table-cell>\n    </table:table-row>\n  </table:table>\n{ODS_TAIL}"
    );
    let doc = read::read_bytes(
        &ods(&content),
        "p.ods",
        Some(Format::Ods),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(texts(tables(&doc)[0].1), vec![vec!["Service desk"]]);
}

#[test]
fn ods_merged_cells_repeat_their_value() {
    let content = format!(
        r#"{ODS_HEAD}<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="2" table:number-rows-spanned="1"><text:p>Owner</text:p></table:table-cell><table:covered-table-cell/><table:table-cell office:value-type="string"><text:p>Jane</text:p></table:table-cell></table:table-row></table:table>{ODS_TAIL}"#
    );
    let doc = read::read_bytes(
        &ods(&content),
        "m.ods",
        Some(Format::Ods),
        &Limits::default(),
    )
    .unwrap();
    let t = tables(&doc)[0].1;
    assert_eq!(texts(t), vec![vec!["Owner", "Owner", "Jane"]]);
    assert_eq!(cell(t, 0, 1).locator.to_string(), "S!B1 (merged from A1)");
}

#[test]
fn ods_repeat_bomb_is_refused_before_calamine_expands_it() {
    let content = format!(
        r#"{ODS_HEAD}<table:table table:name="S"><table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>{ODS_TAIL}"#
    );
    let err = read::read_bytes(
        &ods(&content),
        "bomb.ods",
        Some(Format::Ods),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
}

#[test]
fn ods_repeat_count_near_u64_max_is_refused_instead_of_wrapping() {
    // A repeat count of u64::MAX once wrapped the pre-scan's arithmetic, so the cell limit was
    // never hit and calamine tried to build ~98 million cells (the process aborted).
    for repeated in [
        "18446744073709551615",
        "18446744073709551614",
        "99999999999999999999",
    ] {
        let content = format!(
            r#"{ODS_HEAD}<table:table table:name="S"><table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="{repeated}" office:value-type="string"><text:p>b</text:p></table:table-cell><table:table-cell table:number-columns-repeated="{repeated}" office:value-type="string"><text:p>c</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="{repeated}"><table:table-cell office:value-type="string"><text:p>d</text:p></table:table-cell></table:table-row></table:table>{ODS_TAIL}"#
        );
        let limits = Limits {
            max_sheet_cells: 10_000,
            ..Limits::default()
        };
        let err =
            read::read_bytes(&ods(&content), "wrap.ods", Some(Format::Ods), &limits).unwrap_err();
        assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    }
}

/// A minimal OLE compound file (512-byte sectors) holding one `Workbook` stream.
fn ole_workbook(stream: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut data = stream.to_vec();
    data.resize(data.len().max(4096).div_ceil(512) * 512, 0);
    let n = data.len() / 512;
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put16 =
        |h: &mut Vec<u8>, at: usize, v: u16| h[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 =
        |h: &mut Vec<u8>, at: usize, v: u32| h[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut header, 0x18, 0x3E);
    put16(&mut header, 0x1A, 3);
    put16(&mut header, 0x1C, 0xFFFE);
    put16(&mut header, 0x1E, 9);
    put16(&mut header, 0x20, 6);
    put32(&mut header, 0x2C, 1);
    put32(&mut header, 0x30, 1);
    put32(&mut header, 0x38, 4096);
    put32(&mut header, 0x3C, END);
    put32(&mut header, 0x44, END);
    for i in 0..109 {
        put32(&mut header, 0x4C + 4 * i, FREE);
    }
    put32(&mut header, 0x4C, 0);
    // FAT: sector 0 is the FAT, 1 the directory, 2.. the stream.
    let mut fat = vec![0xFFFF_FFFDu32, END];
    for i in 0..n {
        fat.push(if i + 1 == n { END } else { (i + 3) as u32 });
    }
    fat.resize(128, FREE);
    let fat: Vec<u8> = fat.iter().flat_map(|v| v.to_le_bytes()).collect();
    let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        e[..units.len()].copy_from_slice(&units);
        e[64..66].copy_from_slice(&(units.len() as u16).to_le_bytes());
        e[66] = typ;
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&FREE.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = entry("Root Entry", 5, 1, END, 0);
    dir.extend(entry("Workbook", 2, FREE, 2, data.len() as u32));
    dir.resize(512, 0);
    [header, fat, dir, data].concat()
}

fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut r = typ.to_le_bytes().to_vec();
    r.extend((data.len() as u16).to_le_bytes());
    r.extend(data);
    r
}

#[test]
fn an_xls_declaring_billions_of_cells_is_refused_before_calamine_allocates() {
    let mut bof = vec![0u8; 16];
    bof[..2].copy_from_slice(&0x0600u16.to_le_bytes());
    bof[2..4].copy_from_slice(&0x0010u16.to_le_bytes());
    let mut dims = Vec::new();
    dims.extend(0u32.to_le_bytes());
    dims.extend(u32::MAX.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    dims.extend(255u16.to_le_bytes());
    dims.extend(0u16.to_le_bytes());
    let stream = [biff(0x0809, &bof), biff(0x0200, &dims), biff(0x000A, &[])].concat();
    let bytes = ole_workbook(&stream);
    let err =
        read::read_bytes(&bytes, "bomb.xls", Some(Format::Xls), &Limits::default()).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err:?}");
    assert!(err.to_string().contains("DIMENSIONS"), "{err}");
}

#[test]
fn ods_rows_padded_to_the_last_column_are_counted_before_calamine_holds_them() {
    // Each row has one value in the last column: calamine keeps 16,384 cells per row element
    // before trimming, so a few thousand short rows would cost gigabytes.
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#;
    let content = format!(
        r#"{ODS_HEAD}<table:table table:name="S">{}</table:table>{ODS_TAIL}"#,
        row.repeat(100)
    );
    let limits = Limits {
        max_sheet_cells: 1_000_000,
        ..Limits::default()
    };
    let err = read::read_bytes(&ods(&content), "wide.ods", Some(Format::Ods), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
}

#[test]
fn ods_tables_count_together_against_the_cell_limit() {
    let table = |name: &str| {
        format!(
            r#"<table:table table:name="{name}"><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="599"><table:table-cell table:number-columns-repeated="9"/><table:table-cell office:value-type="string"><text:p>b</text:p></table:table-cell></table:table-row></table:table>"#
        )
    };
    // Each table spans 600 x 10 = 6,000 cells; three of them exceed 15,000.
    let content = format!(
        "{ODS_HEAD}{}{}{}{ODS_TAIL}",
        table("A"),
        table("B"),
        table("C")
    );
    let limits = Limits {
        max_sheet_cells: 15_000,
        ..Limits::default()
    };
    let err = read::read_bytes(&ods(&content), "many.ods", Some(Format::Ods), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    let limits = Limits {
        max_sheet_cells: 20_000,
        ..Limits::default()
    };
    assert!(read::read_bytes(&ods(&content), "many.ods", Some(Format::Ods), &limits).is_ok());
}

// ---------------------------------------------------------------- bad input

#[test]
fn a_zero_byte_file_is_named_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.xlsx");
    std::fs::write(&path, b"").unwrap();
    let err = read::read_file(
        &path,
        "register.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err, ReadError::Empty);
}

#[test]
fn an_office_lock_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("~$register.xlsx");
    std::fs::write(&path, b"\x0cJane Doe     ").unwrap();
    let err = read::read_file(
        &path,
        "~$register.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err, ReadError::LockFile);
}

#[test]
fn a_truncated_xlsx_is_named_damaged() {
    let bytes = xlsx(|wb| {
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
    });
    let err = read::read_bytes(
        &bytes[..bytes.len() / 2],
        "cut.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::CorruptZip(_)), "{err:?}");
    assert!(err.to_string().contains("truncated"), "{err}");
}

#[test]
fn text_named_xlsx_is_the_wrong_format() {
    let err = read::read_bytes(
        b"Name,Role\nJane,CIO\n",
        "export.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::WrongFormat { .. }), "{err:?}");
}

#[test]
fn a_docx_named_xlsx_goes_to_the_word_reader_not_calamine() {
    let bytes = zip_of(&[(
        "word/document.xml",
        br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>"#,
    )]);
    let doc = read::read_bytes(
        &bytes,
        "policy.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(doc.format, Format::Docx);
    assert_eq!(doc.blocks[0].text, "Hi");
    assert!(
        doc.notes
            .iter()
            .any(|n| n.contains("extension says .xlsx") && n.contains("Word document")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn an_xls_named_xlsx_is_read_as_what_it_is() {
    // A text file is not an xls; but an xlsx named .xls is read as xlsx with a note.
    let bytes = xlsx(|wb| {
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
    });
    let doc = read::read_bytes(&bytes, "old.xls", Some(Format::Xls), &Limits::default()).unwrap();
    assert_eq!(doc.format, Format::Xlsx);
    assert!(doc.notes.iter().any(|n| n.contains(".xls but")));
}

#[test]
fn an_encrypted_ole_file_is_named_password_protected() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0u8, 504));
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let err = read::read_bytes(
        &bytes,
        "salaries.xlsx",
        Some(Format::Xlsx),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err, ReadError::Encrypted);
    assert!(err.to_string().contains("password"));
}

#[test]
fn a_damaged_ole_workbook_is_a_spreadsheet_error() {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.extend(std::iter::repeat_n(0xFFu8, 504));
    bytes.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
    let err =
        read::read_bytes(&bytes, "old.xls", Some(Format::Xls), &Limits::default()).unwrap_err();
    assert!(matches!(err, ReadError::Spreadsheet(_)), "{err:?}");
}

// ---------------------------------------------------------------- markdown and text

#[test]
fn markdown_headings_and_paragraphs_carry_their_lines() {
    let doc = read_md("# Policy\n\nThe *service desk* is `open`\nfrom 8 to 6.\n\n## Scope\n\nAll [services](http://x).\n");
    let got: Vec<(String, String, String)> = doc
        .blocks
        .iter()
        .map(|b| {
            (
                format!("{:?}", b.kind),
                b.text.clone(),
                b.locator.to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Heading { level: 1 }".into(),
                "Policy".into(),
                "line 1".into()
            ),
            (
                "Paragraph".into(),
                "The service desk is open from 8 to 6.".into(),
                "line 3".into()
            ),
            (
                "Heading { level: 2 }".into(),
                "Scope".into(),
                "line 6".into()
            ),
            ("Paragraph".into(), "All services.".into(), "line 8".into()),
        ]
    );
}

#[test]
fn markdown_lists_have_depth_and_rendered_numbers() {
    let doc = read_md("3. third\n4. fourth\n   - nested\n     1. deep\n5. fifth\n");
    let items: Vec<(u8, Option<String>, &str, String)> = doc
        .blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::ListItem { depth, number } => (
                *depth,
                number.clone(),
                b.text.as_str(),
                b.locator.to_string(),
            ),
            other => panic!("not a list item: {other:?}"),
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (0, Some("3.".into()), "third", "line 1".into()),
            (0, Some("4.".into()), "fourth", "line 2".into()),
            (1, None, "nested", "line 3".into()),
            (2, Some("1.".into()), "deep", "line 4".into()),
            (0, Some("5.".into()), "fifth", "line 5".into()),
        ]
    );
}

#[test]
fn loose_list_items_keep_their_first_paragraph_as_the_item() {
    let doc = read_md("- first item\n\n  more about it\n\n- second\n");
    let kinds: Vec<(&str, &str)> = doc
        .blocks
        .iter()
        .map(|b| {
            let k = match b.kind {
                BlockKind::ListItem { .. } => "item",
                BlockKind::Paragraph => "para",
                _ => "other",
            };
            (k, b.text.as_str())
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("item", "first item"),
            ("para", "more about it"),
            ("item", "second")
        ]
    );
}

#[test]
fn gfm_tables_locate_cells_by_line_and_column() {
    let doc = read_md("Roles:\n\n| Role | Name |\n|---|---|\n| SMS manager | Jane **Doe** |\n");
    let t = tables(&doc);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].0.locator.to_string(), "line 3");
    assert_eq!(
        texts(t[0].1),
        vec![vec!["Role", "Name"], vec!["SMS manager", "Jane Doe"]]
    );
    assert_eq!(cell(t[0].1, 1, 1).locator.to_string(), "line 5 column 2");
}

#[test]
fn block_quotes_are_marked() {
    let doc = read_md("Intro\n\n> Quoted policy text\n> - quoted item\n\nAfter\n");
    let regions: Vec<(Region, &str)> = doc
        .blocks
        .iter()
        .map(|b| (b.region, b.text.as_str()))
        .collect();
    assert_eq!(
        regions,
        vec![
            (Region::Body, "Intro"),
            (Region::Quote, "Quoted policy text"),
            (Region::Quote, "quoted item"),
            (Region::Body, "After"),
        ]
    );
}

#[test]
fn yaml_front_matter_fills_metadata_and_properties() {
    let doc = read_md("---\ntitle: Service Management Policy\nauthor: Jane Doe\ndate: 2024-03-01\nowner:\n  name: Bob\nscope: [desk, hosting]\n---\n# Body\n");
    assert_eq!(
        doc.metadata.title.as_deref(),
        Some("Service Management Policy")
    );
    assert_eq!(doc.metadata.author.as_deref(), Some("Jane Doe"));
    assert_eq!(doc.metadata.created.as_deref(), Some("2024-03-01"));
    assert_eq!(
        doc.metadata
            .properties
            .get("owner.name")
            .map(String::as_str),
        Some("Bob")
    );
    assert_eq!(
        doc.metadata.properties.get("scope").map(String::as_str),
        Some("desk, hosting")
    );
    assert_eq!(doc.blocks.len(), 1);
    assert_eq!(doc.blocks[0].locator.to_string(), "line 9");
}

#[test]
fn toml_front_matter_fills_metadata() {
    let doc = read_md("+++\ntitle = \"Supplier policy\"\nupdated = 2024-05-01\n[owner]\nname = \"Jane\"\n+++\nText\n");
    assert_eq!(doc.metadata.title.as_deref(), Some("Supplier policy"));
    assert_eq!(doc.metadata.modified.as_deref(), Some("2024-05-01"));
    assert_eq!(
        doc.metadata
            .properties
            .get("owner.name")
            .map(String::as_str),
        Some("Jane")
    );
}

#[test]
fn a_yaml_alias_bomb_costs_a_note_not_the_machine() {
    let mut fm = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        fm.push_str(&format!(
            "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
        prev = n;
    }
    fm.push_str("---\n# Still read\n");
    let start = Instant::now();
    let doc = read_md(&fm);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(
        doc.notes.iter().any(|n| n.contains("front matter")),
        "{:?}",
        doc.notes
    );
    assert_eq!(doc.blocks[0].text, "Still read");
}

#[test]
fn non_utf8_markdown_is_decoded_as_windows_1252_with_a_note() {
    let bytes = b"# Caf\xe9 policy\n\nOwner: \x93Jane\x94\n";
    let doc = read::read_bytes(bytes, "p.md", Some(Format::Markdown), &Limits::default()).unwrap();
    assert_eq!(doc.blocks[0].text, "Café policy");
    assert_eq!(doc.blocks[1].text, "Owner: \u{201C}Jane\u{201D}");
    assert!(doc.notes.iter().any(|n| n.contains("Windows-1252")));
}

#[test]
fn a_byte_order_mark_is_dropped() {
    let doc = read_md("\u{feff}# Title\n");
    assert_eq!(doc.blocks[0].kind, BlockKind::Heading { level: 1 });
    assert_eq!(doc.blocks[0].text, "Title");
    assert!(doc.notes.is_empty());
}

#[test]
fn html_blocks_keep_their_text_without_tags() {
    let doc = read_md(
        "<div align=\"center\"\n  class=\"x\">\n<b>Owner:</b> Jane <!-- hidden -->\n</div>\n\nAfter<br>line\n",
    );
    let t: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
    assert_eq!(t, vec!["Owner: Jane", "After line"]);
}

#[test]
fn plain_text_paragraphs_carry_their_first_line() {
    let doc = read::read_bytes(
        b"Service catalogue\r\n\r\nDesk: 24x7\r\nHosting: 8x5\r\n\r\n\r\nEnd\n",
        "notes.txt",
        Some(Format::Text),
        &Limits::default(),
    )
    .unwrap();
    let got: Vec<(&str, String)> = doc
        .blocks
        .iter()
        .map(|b| (b.text.as_str(), b.locator.to_string()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Service catalogue", "line 1".to_string()),
            ("Desk: 24x7 Hosting: 8x5", "line 3".to_string()),
            ("End", "line 7".to_string()),
        ]
    );
    assert!(doc.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
}

// ---------------------------------------------------------------- orgprofile extract

fn orgprofile() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("orgprofile").unwrap()
}

#[test]
fn extract_prints_json_with_locators() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("staff.xlsx");
    std::fs::write(
        &path,
        xlsx(|wb| {
            let ws = wb.add_worksheet();
            ws.set_name("Staff").unwrap();
            ws.write_string(0, 0, "Name").unwrap();
            ws.write_string(1, 0, "Jane").unwrap();
        }),
    )
    .unwrap();
    let out = orgprofile()
        .args(["extract", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["format"], "xlsx");
    let block = &json["blocks"][0];
    assert_eq!(block["kind"], "table");
    assert_eq!(block["locator"], "Staff!A1:A2");
    assert_eq!(block["rows"][1][0]["text"], "Jane");
    assert_eq!(block["rows"][1][0]["locator"], "Staff!A2");
}

#[test]
fn extract_prints_an_indented_outline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.md");
    std::fs::write(&path, "# Policy\n\n- top\n  - nested\n").unwrap();
    let out = orgprofile().arg("extract").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# Policy    (line 1)"), "{text}");
    assert!(text.contains("\n  - top    (line 3)"), "{text}");
    assert!(text.contains("\n    - nested    (line 4)"), "{text}");
}

#[test]
fn extract_of_an_unreadable_file_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.xlsx");
    std::fs::write(&path, b"").unwrap();
    let out = orgprofile().arg("extract").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with(&path.display().to_string()), "{err}");
    assert!(err.contains("empty"), "{err}");
}

// ---------------------------------------------------------------- corpus sweep

/// Reads every file under ../shared/corpus (skipped when absent) with a per-file deadline.
/// Fails on a panic (`ReadError::Internal`) or a hang; prints counts of what read, what failed
/// cleanly and why. `CORPUS_EXT=xlsx,md` limits the sweep to some extensions.
#[test]
#[ignore = "needs ../shared/corpus; run with `cargo test --release -- --ignored corpus`"]
#[allow(clippy::print_stderr)] // the counts are the point of this test
fn corpus_sweep() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("corpus sweep skipped: {} is absent", root.display());
        return;
    }
    let only: Option<Vec<String>> = std::env::var("CORPUS_EXT").ok().map(|s| {
        s.split(',')
            .map(|e| e.trim().to_ascii_lowercase())
            .collect()
    });
    let deadline = Duration::from_secs(
        std::env::var("CORPUS_TIMEOUT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(30),
    );
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut ok = 0usize;
    let mut clean: std::collections::BTreeMap<&'static str, usize> = Default::default();
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, PathBuf::new());
    for path in files {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        if let Some(only) = &only {
            if !only.contains(&ext) {
                continue;
            }
        }
        let claimed = Format::from_extension(&ext);
        let display = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let (tx, rx) = mpsc::channel();
        let p = path.clone();
        let d = display.clone();
        let start = Instant::now();
        std::thread::spawn(move || {
            let _ = tx.send(read::read_file(&p, &d, claimed, &Limits::default()));
        });
        match rx.recv_timeout(deadline) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(ReadError::Internal(m))) => failures.push(format!("{display}: internal: {m}")),
            Ok(Err(e)) => *clean.entry(kind(&e)).or_default() += 1,
            Err(_) => {
                failures.push(format!("{display}: no answer within {deadline:?} (hang)"));
                continue;
            }
        }
        let took = start.elapsed();
        if took > slowest.0 {
            slowest = (took, path.clone());
        }
    }
    let clean_total: usize = clean.values().sum();
    eprintln!(
        "corpus sweep: {ok} read, {clean_total} clean errors {clean:?}, {} failures; slowest {:?} ({})",
        failures.len(),
        slowest.0,
        slowest.1.display()
    );
    for f in &failures {
        eprintln!("  FAIL {f}");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

fn kind(e: &ReadError) -> &'static str {
    match e {
        ReadError::Io(_) => "io",
        ReadError::Empty => "empty",
        ReadError::LockFile => "lock_file",
        ReadError::Encrypted => "encrypted",
        ReadError::LegacyDoc => "legacy_doc",
        ReadError::Unsupported { .. } => "unsupported",
        ReadError::WrongFormat { .. } => "wrong_format",
        ReadError::Limit { .. } => "limit",
        ReadError::CorruptZip(_) => "corrupt_zip",
        ReadError::MissingPart(_) => "missing_part",
        ReadError::Dtd { .. } => "dtd",
        ReadError::Xml { .. } => "xml",
        ReadError::Spreadsheet(_) => "spreadsheet",
        ReadError::Internal(_) => "internal",
    }
}

#[test]
fn markdown_table_cells_past_the_cell_limit_are_refused() {
    // An 8 MB Markdown table of 200 rows x 20,000 columns once grew to 900 MB: table cells now
    // count against the cell limit, over every table of the document.
    let table = |rows: usize, cols: usize| {
        let row = format!("{}|\n", "|a".repeat(cols));
        let rule = format!("{}|\n", "|-".repeat(cols));
        format!("{row}{rule}{}", row.repeat(rows - 1))
    };
    let limits = Limits {
        max_sheet_cells: 1_000,
        ..Limits::default()
    };
    let md = format!("# T\n\n{}", table(10, 200));
    let err = read::read_bytes(md.as_bytes(), "t.md", Some(Format::Markdown), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    assert!(err.to_string().contains("line 3"), "{err}");
    // Two tables of 600 cells: each fits, together they do not.
    let md = format!("{}\ntext\n\n{}", table(6, 100), table(6, 100));
    let err = read::read_bytes(md.as_bytes(), "t.md", Some(Format::Markdown), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    // At the limit the table is read whole.
    let md = table(10, 100);
    let doc = read::read_bytes(md.as_bytes(), "t.md", Some(Format::Markdown), &limits).unwrap();
    let BlockKind::Table(t) = &doc.blocks[0].kind else {
        panic!("not a table: {:?}", doc.blocks[0].kind)
    };
    assert_eq!((t.rows.len(), t.rows[0].len()), (10, 100));
}
