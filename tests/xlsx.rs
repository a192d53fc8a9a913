//! The xlsx/xlsm reader on hand-written SpreadsheetML parts (zipped here): what the reader that
//! replaced calamine for these formats handles — rich-text and inline strings, cells and rows
//! without `r`, the 1904 date system, custom date formats, Strict OOXML, theme and indexed
//! fills — and what it refuses or survives (hostile counts and references, DTDs, sheets that
//! are not worksheets, missing parts). Each test names what a user relies on.

use orgprofile::document::{BlockKind, Document, Format, Table};
use orgprofile::read::{self, Limits, ReadError};
use std::io::Write;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A package: the root relationships pointing at `xl/workbook.xml`, plus `parts`.
fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let root = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let mut all: Vec<(&str, &[u8])> = vec![("_rels/.rels", root.as_bytes())];
    all.extend(parts.iter().map(|(n, d)| (*n, d.as_bytes())));
    zip_of(&all)
}

/// A one-sheet workbook: `sheet_data` inside `<worksheet>`, optional shared strings and styles,
/// `workbook_pr` attributes on `<workbookPr>`.
fn book(sheet: &str, shared: Option<&str>, styles: Option<&str>, workbook_pr: &str) -> Vec<u8> {
    package(&book_parts(sheet, shared, styles, workbook_pr))
}

/// The parts of [`book`], for a test that adds one (a theme).
fn book_parts(
    sheet: &str,
    shared: Option<&str>,
    styles: Option<&str>,
    workbook_pr: &str,
) -> Vec<(&'static str, String)> {
    let mut parts = vec![
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr {workbook_pr}/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<worksheet xmlns="{MAIN}">{sheet}</worksheet>"#),
        ),
    ];
    if let Some(s) = shared {
        parts.push((
            "xl/sharedStrings.xml",
            format!(r#"<sst xmlns="{MAIN}">{s}</sst>"#),
        ));
    }
    if let Some(s) = styles {
        parts.push((
            "xl/styles.xml",
            format!(r#"<styleSheet xmlns="{MAIN}">{s}</styleSheet>"#),
        ));
    }
    parts
}

fn read_ok(bytes: &[u8]) -> Document {
    read::read_bytes(bytes, "book.xlsx", Some(Format::Xlsx), &Limits::default())
        .expect("the workbook reads")
}

fn read_err(bytes: &[u8], limits: &Limits) -> ReadError {
    read::read_bytes(bytes, "book.xlsx", Some(Format::Xlsx), limits).unwrap_err()
}

fn tables(doc: &Document) -> Vec<&Table> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some(t),
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

fn only_table(doc: &Document) -> Vec<Vec<&str>> {
    let t = tables(doc);
    assert_eq!(t.len(), 1, "{:#?}", doc.blocks);
    texts(t[0])
}

#[test]
fn rich_text_shared_strings_join_their_runs_and_skip_phonetic_text() {
    let shared = concat!(
        // Runs: spaces kept where xml:space says so, trimmed where it does not.
        r#"<si><r><rPr><b/></rPr><t>Service</t></r><r><t xml:space="preserve"> desk </t></r><r><t>owner</t></r></si>"#,
        // A phonetic reading (Japanese ruby) is not part of the text.
        r#"<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>"#,
        // Excel's escapes and XML entities.
        r#"<si><t>Line_x000D_break &amp; more</t></si>"#,
        r#"<si><t>_x005F_x000D_ literal</t></si>"#,
        r#"<si/>"#,
    );
    let sheet = r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1"><v>1</v></c><c r="F1" t="s"><v>4</v></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, Some(shared), None, ""));
    assert_eq!(
        only_table(&doc),
        vec![vec![
            "Service desk owner",
            "東京",
            "Line break & more",
            "_x000D_ literal",
            "1"
        ]]
    );
}

#[test]
fn inline_strings_plain_and_rich_read_like_shared_ones() {
    let sheet = r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Plain</t></is></c><c r="B1" t="inlineStr"><is><r><t>Ri</t></r><r><t xml:space="preserve">ch </t></r><r><t>text</t></r></is></c><c r="C1" t="inlineStr"><v>ignored</v><is><t>kept</t></is></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, None, None, ""));
    assert_eq!(only_table(&doc), vec![vec!["Plain", "Rich text", "kept"]]);
}

#[test]
fn cells_and_rows_without_references_take_the_next_position() {
    // Some generators omit `r`: a cell follows the previous one, a row the previous row.
    let sheet = r#"<sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c r="B2"><v>2</v></c><c><v>3</v></c></row><row r="4"><c><v>4</v></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, None, None, ""));
    let t = tables(&doc);
    assert_eq!(t.len(), 2, "{:#?}", doc.blocks);
    assert_eq!(texts(t[0]), vec![vec!["a", "1", ""], vec!["", "2", "3"]]);
    assert_eq!(doc.blocks[0].locator.to_string(), "Sheet1!A1:C2");
    assert_eq!(texts(t[1]), vec![vec!["4"]]);
    assert_eq!(doc.blocks[1].locator.to_string(), "Sheet1!A4:A4");
}

/// Styles with a built-in date (14), a number (2), custom date, time, duration and text codes.
const STYLES: &str = r#"<numFmts count="4"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="&quot;Day&quot; 0"/><numFmt numFmtId="167" formatCode="h:mm AM/PM"/></numFmts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="2"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/></cellXfs>"#;

#[test]
fn only_date_formats_make_dates_builtin_and_custom() {
    let sheet = r#"<sheetData><row r="1"><c r="A1" s="1"><v>45352</v></c><c r="B1" s="2"><v>45352</v></c><c r="C1" s="3"><v>45352.5</v></c><c r="D1" s="4"><v>1.5</v></c><c r="E1" s="5"><v>7</v></c><c r="F1" s="6"><v>0.75</v></c><c r="G1" s="99"><v>45352</v></c><c r="H1"><v>45352</v></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, None, Some(STYLES), ""));
    assert_eq!(
        only_table(&doc),
        vec![vec![
            "2024-03-01",
            "45352",
            "2024-03-01T12:00:00",
            "PT36H0M0S",
            "7",
            "18:00:00",
            "45352",
            "45352"
        ]]
    );
}

#[test]
fn the_1904_date_system_shifts_dates_by_four_years() {
    let sheet = r#"<sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43890</v></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, None, Some(STYLES), r#"date1904="1""#));
    // Serial 0 is 1904-01-01 there (a date, not a time of day as 0 is in the 1900 system);
    // 43890 is 2024-03-01 instead of 2020-02-29.
    let t = only_table(&doc);
    assert_eq!(t[0][1], "2024-03-01");
    let doc = read_ok(&book(sheet, None, Some(STYLES), r#"date1904="false""#));
    assert_eq!(only_table(&doc)[0][1], "2020-02-29");
}

#[test]
fn cell_types_read_as_excel_shows_them() {
    let sheet = r#"<sheetData><row r="1"><c r="A1" t="str"><f>CONCAT("a","b")</f><v>a &amp; b</v></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="e"><v>#REF!</v></c><c r="D1" t="d"><v>2024-03-01T00:00:00</v></c><c r="E1" t="n"><v>0.30000000000000004</v></c><c r="F1"><f>1+1</f><v>2</v></c><c r="G1" t="str"><v>x_x000D_y</v></c><c r="H1"><f>1+1</f></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, None, None, ""));
    let t = tables(&doc);
    assert_eq!(
        texts(t[0]),
        vec![vec!["a & b", "TRUE", "", "2024-03-01", "0.3", "2", "x y"]]
    );
    assert_eq!(
        t[0].rows[0][2].note.as_deref(),
        Some("error #REF! read as empty")
    );
}

#[test]
fn values_read_whole_with_their_character_references() {
    // `&#49;` is "1": a value is all of its text, references resolved, whatever the cell type.
    let sheet = r#"<sheetData><row r="1"><c r="A1"><v>&#49;2</v></c><c r="B1" t="s"><v>&#48;</v></c><c r="C1" t="str"><v>R&amp;D</v></c></row></sheetData>"#;
    let doc = read_ok(&book(sheet, Some("<si><t>x</t></si>"), None, ""));
    assert_eq!(only_table(&doc), vec![vec!["12", "x", "R&D"]]);
}

#[test]
fn pretty_printed_sheets_read_like_compact_ones() {
    let compact = r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1"><v>12</v></c></row></sheetData>"#;
    let pretty = "<sheetData>\n  <row r=\"1\">\n    <c r=\"A1\" t=\"inlineStr\">\n      <is><t>Name</t></is>\n    </c>\n    <c r=\"B1\">\n      <v>12</v>\n    </c>\n  </row>\n</sheetData>";
    let a = read_ok(&book(compact, None, None, ""));
    let b = read_ok(&book(pretty, None, None, ""));
    assert_eq!(only_table(&a), vec![vec!["Name", "12"]]);
    assert_eq!(a.blocks, b.blocks);
}

/// A Strict OOXML workbook: purl.oclc.org namespaces and relationship types, a table.
#[test]
fn strict_ooxml_workbooks_read_with_their_tables() {
    const S_MAIN: &str = "http://purl.oclc.org/ooxml/spreadsheetml/main";
    const S_REL: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";
    let root = format!(
        r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{S_REL}/officeDocument" Target="/xl/workbook.xml"/></Relationships>"#
    );
    let parts: Vec<(&str, String)> = vec![
        ("_rels/.rels", root),
        (
            "xl/workbook.xml",
            format!(
                r#"<x:workbook xmlns:x="{S_MAIN}" xmlns:r="{S_REL}"><x:sheets><x:sheet name="Roles" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{S_REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{S_REL}/sharedStrings" Target="strings.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/strings.xml",
            format!(
                r#"<x:sst xmlns:x="{S_MAIN}"><x:si><x:t>Role</x:t></x:si><x:si><x:t>CIO</x:t></x:si></x:sst>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<x:worksheet xmlns:x="{S_MAIN}" xmlns:r="{S_REL}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c></x:row></x:sheetData><x:tableParts count="1"><x:tablePart r:id="rId1"/></x:tableParts></x:worksheet>"#
            ),
        ),
        (
            "xl/worksheets/_rels/sheet1.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{S_REL}/table" Target="../tables/table1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/tables/table1.xml",
            format!(
                r#"<x:table xmlns:x="{S_MAIN}" id="1" name="Table1" displayName="KeyRoles" ref="A1:A2"/>"#
            ),
        ),
    ];
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, d)| (*n, d.as_bytes())).collect();
    let doc = read_ok(&zip_of(&refs));
    let t = tables(&doc);
    assert_eq!(t.len(), 1, "{:#?}", doc.blocks);
    // calamine matched table relationships by their transitional type only: Strict tables
    // were not named.
    assert_eq!(t[0].name.as_deref(), Some("KeyRoles"));
    assert_eq!(texts(t[0]), vec![vec!["Role"], vec!["CIO"]]);
}

#[test]
fn fills_in_theme_and_indexed_yellows_are_highlights() {
    // fill 2: theme 7 (accent4 in a custom theme: gold) lightened; fill 3: indexed 13 (FFFF00);
    // fill 4: indexed 12 (blue).
    let styles = r#"<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor theme="7" tint="0.3999"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor indexed="13"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor indexed="12"/></patternFill></fill></fills><cellXfs count="4"><xf numFmtId="0" fillId="0"/><xf numFmtId="0" fillId="2"/><xf numFmtId="0" fillId="3"/><xf numFmtId="0" fillId="4"/></cellXfs>"#;
    let theme = String::from(
        r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme name="x"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4F81BD"/></a:accent1><a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr val="9BBB59"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4><a:accent5><a:srgbClr val="4BACC6"/></a:accent5><a:accent6><a:srgbClr val="F79646"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme></a:themeElements></a:theme>"#,
    );
    let sheet = r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c><c r="B1" s="1" t="inlineStr"><is><t>theme</t></is></c><c r="C1" s="2" t="inlineStr"><is><t>indexed</t></is></c><c r="D1" s="3" t="inlineStr"><is><t>blue</t></is></c></row></sheetData>"#;
    let mut parts = book_parts(sheet, None, Some(styles), "");
    parts.push(("xl/theme/theme1.xml", theme));
    let doc = read_ok(&package(&parts));
    let t = tables(&doc);
    let flags: Vec<bool> = t[0].rows[0].iter().map(|c| c.highlighted).collect();
    assert_eq!(flags, vec![false, true, true, false]);
}

#[test]
fn sheets_that_are_not_worksheets_or_have_no_part_are_skipped_with_a_note() {
    let parts = vec![
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="2" r:id="rId2"/><sheet name="Ghost" sheetId="3" r:id="rId9"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>"#
            ),
        ),
    ];
    // calamine refused the whole workbook for either sheet.
    let doc = read_ok(&package(&parts));
    assert_eq!(only_table(&doc), vec![vec!["1"]]);
    assert!(
        doc.notes
            .iter()
            .any(|n| n.contains("'Macro1' is a macro sheet")),
        "{:?}",
        doc.notes
    );
    assert!(
        doc.notes.iter().any(|n| n.contains("'Ghost' is missing")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn a_shared_string_index_past_the_table_skips_the_sheet_with_a_note() {
    let good = book(
        r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>"#,
        Some("<si><t>only</t></si>"),
        None,
        "",
    );
    assert_eq!(only_table(&read_ok(&good)), vec![vec!["only"]]);
    let bad = book(
        r#"<sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData>"#,
        Some("<si><t>only</t></si>"),
        None,
        "",
    );
    let err = read_err(&bad, &Limits::default());
    assert!(matches!(err, ReadError::Spreadsheet(_)), "{err:?}");
    assert!(err.to_string().contains("shared string 7"), "{err}");
}

#[test]
fn hostile_references_and_counts_are_errors_not_panics() {
    for sheet in [
        // Column letters past u32.
        r#"<sheetData><row r="1"><c r="ZZZZZZZZZZ1"><v>1</v></c></row></sheetData>"#,
        // A row number past u32.
        r#"<sheetData><row r="99999999999"><c><v>1</v></c></row></sheetData>"#,
        // Row 0 does not exist.
        r#"<sheetData><row r="1"><c r="A0"><v>1</v></c></row></sheetData>"#,
        // Not a number for a number cell.
        r#"<sheetData><row r="1"><c r="A1" t="n"><v>twelve</v></c></row></sheetData>"#,
        // An undefined entity.
        r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&bogus;</t></is></c></row></sheetData>"#,
        // Cut off inside the sheet data.
        r#"<sheetData><row r="1"><c r="A1"><v>1</v>"#,
    ] {
        let err = read_err(&book(sheet, None, None, ""), &Limits::default());
        assert!(matches!(err, ReadError::Spreadsheet(_)), "{sheet}: {err:?}");
        assert!(err.to_string().contains("'Sheet1'"), "{err}");
    }
    // A shared-string table declaring more strings than its bytes can hold.
    let sst =
        format!(r#"<sst xmlns="{MAIN}" uniqueCount="99999999999999"><si><t>x</t></si></sst>"#);
    let bytes = package(&[
        (
            "xl/workbook.xml",
            format!(r#"<workbook xmlns="{MAIN}"><sheets/></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<Relationships xmlns="{PKG}"/>"#),
        ),
        ("xl/sharedStrings.xml", sst),
    ]);
    let err = read_err(&bytes, &Limits::default());
    assert!(err.to_string().contains("shared strings"), "{err}");
    // A merged area over the whole sheet is clipped, not expanded to 17 billion cells.
    let doc = read_ok(&book(
        r#"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>"#,
        None,
        None,
        "",
    ));
    assert_eq!(only_table(&doc), vec![vec!["1", "1"]]);
}

#[test]
fn rows_and_cells_past_the_limits_are_refused_while_streaming() {
    let row = |r: u32| {
        format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>1</v></c></row>"#)
    };
    let sheet = format!(
        "<sheetData>{}</sheetData>",
        (1..=30).map(row).collect::<String>()
    );
    let bytes = book(&sheet, None, None, "");
    let err = read_err(
        &bytes,
        &Limits {
            max_sheet_rows: 20,
            ..Limits::default()
        },
    );
    assert!(matches!(err, ReadError::Limit { .. }), "{err:?}");
    assert!(err.to_string().contains("a cell in row 21"), "{err}");
    let err = read_err(
        &bytes,
        &Limits {
            max_sheet_cells: 40,
            ..Limits::default()
        },
    );
    assert!(
        err.to_string().contains("number of non-empty cells"),
        "{err}"
    );
}

#[test]
fn a_dtd_in_a_sheet_is_refused() {
    let sheet = r#"<sheetData/>"#;
    let mut bytes = book(sheet, None, None, "");
    let doc = read_ok(&bytes);
    assert!(doc.blocks.is_empty());
    let dtd = format!(
        r#"<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet xmlns="{MAIN}"><sheetData/></worksheet>"#
    );
    bytes = package(&[
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", dtd),
    ]);
    let err = read_err(&bytes, &Limits::default());
    assert!(
        matches!(&err, ReadError::Dtd { part } if part == "xl/worksheets/sheet1.xml"),
        "{err:?}"
    );
}

#[test]
fn a_workbook_without_package_relationships_is_found_at_its_usual_place() {
    // calamine refused a package without `_rels/.rels`.
    let bytes = zip_of(&[
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            )
            .as_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/../worksheets/sheet1.xml"/></Relationships>"#
            )
            .as_bytes(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>5</v></c></row></sheetData></worksheet>"#
            )
            .as_bytes(),
        ),
    ]);
    assert_eq!(only_table(&read_ok(&bytes)), vec![vec!["5"]]);
}

#[test]
fn merged_cells_after_malformed_xml_cost_the_merges_not_the_cells() {
    let sheet = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><bad attr=></bad>"#;
    // The error comes after the merged cells were read: both are kept.
    let doc = read_ok(&book(sheet, None, None, ""));
    assert_eq!(only_table(&doc), vec![vec!["1", "1"]]);
    let sheet = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B"/></mergeCells>"#;
    let doc = read_ok(&book(sheet, None, None, ""));
    assert_eq!(only_table(&doc), vec![vec!["1", "2"]]);
    assert!(
        doc.notes
            .iter()
            .any(|n| n.contains("merged cells could not be read")),
        "{:?}",
        doc.notes
    );
}

#[test]
fn malformed_xml_is_reported_at_its_byte_after_many_cells() {
    // Fifty rows of cells read before the error: the position in the message is where a
    // parser reading the whole part stops.
    let cells: String = (1..=50)
        .map(|r| {
            format!(
                r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="s"><v>0</v></c></row>"#
            )
        })
        .collect();
    let sheet = format!(
        r#"<worksheet xmlns="{MAIN}"><sheetData>{cells}<row r="51"><c r="A51" t="inlineStr"><is><t>a & b</t></is></c></row></sheetData></worksheet>"#
    );
    let mut parser = quick_xml::Reader::from_str(&sheet);
    let expected = loop {
        match parser.read_event() {
            Ok(quick_xml::events::Event::Eof) => panic!("the sheet should be malformed"),
            Ok(_) => {}
            Err(_) => break parser.error_position(),
        }
    };
    let parts = vec![
        (
            "xl/workbook.xml",
            format!(
                r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet.clone()),
        (
            "xl/sharedStrings.xml",
            format!(r#"<sst xmlns="{MAIN}"><si><t>x</t></si></sst>"#),
        ),
    ];
    let err = read_err(&package(&parts), &Limits::default());
    assert!(
        err.to_string()
            .contains(&format!("malformed XML at byte {expected}:")),
        "{err}"
    );
}

#[test]
fn mangled_sheets_and_strings_never_panic() {
    // Byte-level damage (cut, duplicated or replaced bytes, stray markup) anywhere in a sheet
    // or the shared strings: a note, an error or a document, never a panic (which read_bytes
    // would report as an internal error).
    let sheet = format!(
        r#"<worksheet xmlns="{MAIN}"><sheetData><row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45352</v></c><c r="C1" t="inlineStr"><is><r><t xml:space="preserve">a </t></r><r><t>b_x000D_</t></r></is></c></row><row><c><v>1.5</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c><c t="str"><f>x</f><v>a&amp;b</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells></worksheet>"#
    );
    let strings = format!(
        r#"<sst xmlns="{MAIN}" count="2" uniqueCount="2"><si><t>Owner</t></si><si><r><t>x</t></r><rPh><t>y</t></rPh></si></sst>"#
    );
    let marks: &[u8] = b"<>/\"'&;=_x:0 \n";
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    for round in 0..600 {
        let (mut s, mut t) = (sheet.clone().into_bytes(), strings.clone().into_bytes());
        let target = if round % 3 == 0 { &mut t } else { &mut s };
        for _ in 0..1 + next(3) {
            let at = next(target.len());
            match next(4) {
                0 => target.truncate(at),
                1 => {
                    let len = next(8);
                    let piece: Vec<u8> = target.iter().skip(at).take(len).copied().collect();
                    target.splice(at..at, piece);
                }
                2 => {
                    if at < target.len() {
                        target[at] = marks[next(marks.len())];
                    }
                }
                _ => {
                    if at < target.len() {
                        target.remove(at);
                    }
                }
            }
        }
        let parts = vec![
            (
                "xl/workbook.xml",
                format!(
                    r#"<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    r#"<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/worksheets/sheet1.xml",
                String::from_utf8_lossy(&s).into_owned(),
            ),
            (
                "xl/sharedStrings.xml",
                String::from_utf8_lossy(&t).into_owned(),
            ),
            (
                "xl/styles.xml",
                format!(r#"<styleSheet xmlns="{MAIN}">{STYLES}</styleSheet>"#),
            ),
        ];
        let got = read::read_bytes(
            &package(&parts),
            "m.xlsx",
            Some(Format::Xlsx),
            &Limits::default(),
        );
        assert!(
            !matches!(got, Err(ReadError::Internal(_))),
            "round {round}: {got:?}"
        );
    }
}
