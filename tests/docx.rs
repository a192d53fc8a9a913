//! The DOCX reader, on fixtures made here: docx-rs's writer for well-formed documents, XML parts
//! written by hand and zipped for the unusual and malformed ones.

use docx_rs::{
    AbstractNumbering, Comment, Delete, Docx, Footer, Footnote, Header, IndentLevel, Insert, Level,
    LevelJc, LevelOverride, LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Run, Start,
    Style, StyleType, Table, TableCell, TableRow, VMergeType,
};
use orgprofile::document::{Block, BlockKind, Document, Format, Locator, Region};
use orgprofile::read::{read_bytes, Limits, ReadError};
use std::io::{Cursor, Write};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const REL_DOC: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn pack(docx: Docx) -> Vec<u8> {
    let mut cur = Cursor::new(Vec::new());
    docx.build().pack(&mut cur).expect("docx-rs packs");
    cur.into_inner()
}

fn read(bytes: &[u8]) -> Result<Document, ReadError> {
    read_bytes(bytes, "t.docx", Some(Format::Docx), &Limits::default())
}

fn doc(bytes: &[u8]) -> Document {
    match read(bytes) {
        Ok(d) => d,
        Err(e) => panic!("read failed: {e}"),
    }
}

fn zip(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn package_rels(main: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_DOC}" Target="{main}"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#
    )
}

fn doc_rels(rels: &[(&str, &str)]) -> String {
    let mut s = String::from(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (kind, target)) in rels.iter().enumerate() {
        s.push_str(&format!(
            r#"<Relationship Id="rId{i}" Type="{REL}/{kind}" Target="{target}"/>"#
        ));
    }
    s.push_str("</Relationships>");
    s
}

/// A package whose main part is word/document.xml with `body` inside `w:body`, plus `extra`
/// parts related to it as `(kind, path, xml)`.
fn hand(body: &str, extra: &[(&str, &str, &str)]) -> Vec<u8> {
    hand_full(body, extra, &[])
}

/// [`hand`], plus `loose` parts that no relationship of the main part names.
fn hand_full(body: &str, extra: &[(&str, &str, &str)], loose: &[(&str, &str)]) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:r="{REL}"><w:body>{body}</w:body></w:document>"#
    );
    let rels: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, p, _)| (*k, p.trim_start_matches("word/")))
        .collect();
    let rels = doc_rels(&rels);
    let prels = package_rels("word/document.xml");
    let mut parts: Vec<(&str, &str)> = vec![
        ("_rels/.rels", &prels),
        ("word/document.xml", &document),
        ("word/_rels/document.xml.rels", &rels),
    ];
    for (_, path, xml) in extra {
        parts.push((path, xml));
    }
    parts.extend_from_slice(loose);
    zip(&parts)
}

fn w_part(root: &str, inner: &str) -> String {
    format!(r#"<w:{root} xmlns:w="{W}">{inner}</w:{root}>"#)
}

fn texts(d: &Document) -> Vec<&str> {
    d.blocks.iter().map(|b| b.text.as_str()).collect()
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn kinds(d: &Document) -> Vec<(String, &str)> {
    d.blocks
        .iter()
        .map(|b| {
            let k = match &b.kind {
                BlockKind::Heading { level } => format!("h{level}"),
                BlockKind::Paragraph => "p".to_string(),
                BlockKind::ListItem { depth, number } => {
                    format!("li{depth}:{}", number.as_deref().unwrap_or("-"))
                }
                BlockKind::Table(_) => "table".to_string(),
            };
            (k, b.text.as_str())
        })
        .collect()
}

fn table(b: &Block) -> &orgprofile::document::Table {
    match &b.kind {
        BlockKind::Table(t) => t,
        other => panic!("not a table: {other:?}"),
    }
}

fn ploc(part: &str, index: u32) -> Locator {
    Locator::Paragraph {
        part: part.into(),
        index,
    }
}

#[test]
fn headings_paragraphs_and_lists_from_docx_rs() {
    // Ids from 10: docx-rs writes a default list with abstractNum 1.
    let numbered = AbstractNumbering::new(10)
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
        ));
    let bullets = AbstractNumbering::new(11).add_level(Level::new(
        0,
        Start::new(1),
        NumberFormat::new("bullet"),
        LevelText::new("•"),
        LevelJc::new("left"),
    ));
    let d = pack(
        Docx::new()
            .add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
            .add_style(Style::new("berschrift2", StyleType::Paragraph).name("Überschrift 2"))
            .add_style(Style::new("Title", StyleType::Paragraph).name("Title"))
            .add_style(
                Style::new("Policy", StyleType::Paragraph)
                    .name("Policy heading")
                    .based_on("Heading1"),
            )
            .add_abstract_numbering(numbered)
            .add_abstract_numbering(bullets)
            .add_numbering(Numbering::new(10, 10))
            .add_numbering(Numbering::new(11, 11))
            .add_numbering(Numbering::new(12, 10).add_override(LevelOverride::new(0).start(7)))
            .add_paragraph(para("Service Management Plan").style("Title"))
            .add_paragraph(para("1 Scope").style("Heading1"))
            .add_paragraph(para(""))
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("The  service "))
                    .add_run(Run::new().add_text("desk"))
                    .add_run(Run::new().add_tab().add_text("is open.")),
            )
            .add_paragraph(para("Roles").style("berschrift2"))
            .add_paragraph(para("Policy").style("Policy"))
            .add_paragraph(para("Outlined").outline_lvl(2))
            .add_paragraph(para("first").numbering(NumberingId::new(10), IndentLevel::new(0)))
            .add_paragraph(para("sub a").numbering(NumberingId::new(10), IndentLevel::new(1)))
            .add_paragraph(para("sub b").numbering(NumberingId::new(10), IndentLevel::new(1)))
            .add_paragraph(para("second").numbering(NumberingId::new(10), IndentLevel::new(0)))
            .add_paragraph(para("sub again").numbering(NumberingId::new(10), IndentLevel::new(1)))
            .add_paragraph(para("dot").numbering(NumberingId::new(11), IndentLevel::new(0)))
            .add_paragraph(para("seventh").numbering(NumberingId::new(12), IndentLevel::new(0))),
    );
    let d = doc(&d);
    assert_eq!(d.format, Format::Docx);
    let want: Vec<(String, &str)> = vec![
        ("h0".into(), "Service Management Plan"),
        ("h1".into(), "1 Scope"),
        ("p".into(), "The service desk is open."),
        ("h2".into(), "Roles"),
        ("h1".into(), "Policy"),
        ("h3".into(), "Outlined"),
        ("li0:1.".into(), "first"),
        ("li1:1.a)".into(), "sub a"),
        ("li1:1.b)".into(), "sub b"),
        ("li0:2.".into(), "second"),
        ("li1:2.a)".into(), "sub again"),
        ("li0:-".into(), "dot"),
        ("li0:7.".into(), "seventh"),
    ];
    assert_eq!(kinds(&d), want);
    // The empty paragraph gives no block but counts.
    assert_eq!(d.blocks[1].locator, ploc("word/document.xml", 2));
    assert_eq!(d.blocks[2].locator, ploc("word/document.xml", 4));
    assert!(d.blocks.iter().all(|b| b.region == Region::Body));
}

#[test]
fn tables_with_spans_merges_and_nesting() {
    let inner = Table::new(vec![TableRow::new(vec![
        TableCell::new().add_paragraph(para("inner 1")),
        TableCell::new().add_paragraph(para("inner 2")),
    ])]);
    let d = pack(
        Docx::new()
            .add_paragraph(para("before"))
            .add_table(Table::new(vec![
                TableRow::new(vec![
                    TableCell::new().add_paragraph(para("Role")).grid_span(2),
                    TableCell::new().add_paragraph(para("Owner")),
                ]),
                TableRow::new(vec![
                    TableCell::new()
                        .add_paragraph(para("Service"))
                        .add_paragraph(para("Desk"))
                        .vertical_merge(VMergeType::Restart),
                    TableCell::new().add_paragraph(para("x")),
                    TableCell::new().add_paragraph(para("Ann")).add_table(inner),
                ]),
                TableRow::new(vec![
                    TableCell::new()
                        .add_paragraph(para(""))
                        .vertical_merge(VMergeType::Continue),
                    TableCell::new().add_paragraph(para("y")),
                    TableCell::new().add_paragraph(para("Bob")),
                ]),
            ]))
            .add_paragraph(para("after")),
    );
    let d = doc(&d);
    assert_eq!(texts(&d), ["before", "", "", "after"]);
    let outer = table(&d.blocks[1]);
    assert_eq!(
        d.blocks[1].locator,
        Locator::Table {
            part: "word/document.xml".into(),
            table: 1
        }
    );
    let row0: Vec<&str> = outer.rows[0].iter().map(|c| c.text.as_str()).collect();
    assert_eq!(row0, ["Role", "Role", "Owner"]);
    assert_eq!(
        outer.rows[0][1].note.as_deref(),
        Some("merged with column 1")
    );
    assert_eq!(
        outer.rows[0][2].locator.to_string(),
        "word/document.xml table 1 row 1 column 3"
    );
    let row1: Vec<&str> = outer.rows[1].iter().map(|c| c.text.as_str()).collect();
    assert_eq!(row1, ["Service Desk", "x", "Ann"]);
    let row2: Vec<&str> = outer.rows[2].iter().map(|c| c.text.as_str()).collect();
    assert_eq!(row2, ["Service Desk", "y", "Bob"]);
    assert_eq!(outer.rows[2][0].note.as_deref(), Some("merged with row 2"));
    let nested = table(&d.blocks[2]);
    assert_eq!(
        d.blocks[2].locator,
        Locator::Table {
            part: "word/document.xml".into(),
            table: 2
        }
    );
    assert_eq!(nested.rows[0][1].text, "inner 2");
    assert_eq!(
        nested.rows[0][1].locator.to_string(),
        "word/document.xml table 2 row 1 column 2"
    );
    // Paragraphs inside tables count: before(1), Role(2), Owner(3), Service(4), Desk(5), x(6),
    // Ann(7), inner 1(8), inner 2(9), ""(10), y(11), Bob(12), after(13).
    assert_eq!(d.blocks[3].locator, ploc("word/document.xml", 13));
}

#[test]
fn headers_footers_notes_and_comments_come_after_the_body() {
    let d = pack(
        Docx::new()
            .header(Header::new().add_paragraph(para("Company confidential")))
            .footer(Footer::new().add_paragraph(para("Page footer")))
            .add_paragraph(
                Paragraph::new()
                    .add_comment_start(
                        Comment::new(1)
                            .author("QA")
                            .add_paragraph(para("Who owns this?")),
                    )
                    .add_run(Run::new().add_text("Body text"))
                    .add_comment_end(1)
                    .add_run(Run::new().add_footnote_reference(
                        Footnote::new().add_content(para("See ISO/IEC 20000-1")),
                    )),
            ),
    );
    let d = doc(&d);
    let got: Vec<(Region, &str)> = d
        .blocks
        .iter()
        .map(|b| (b.region, b.text.as_str()))
        .collect();
    assert_eq!(got[0], (Region::Body, "Body text"));
    for want in [
        (Region::Header, "Company confidential"),
        (Region::Footer, "Page footer"),
        (Region::Footnote, "See ISO/IEC 20000-1"),
        (Region::Comment, "Who owns this?"),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:?}");
    }
    let footnote = d
        .blocks
        .iter()
        .find(|b| b.region == Region::Footnote)
        .unwrap();
    assert!(
        matches!(&footnote.locator, Locator::Paragraph { part, .. } if &**part == "word/footnotes.xml")
    );
}

#[test]
fn tracked_changes_are_accepted_and_yellow_runs_flagged() {
    let d = pack(
        Docx::new()
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Kept "))
                    .add_insert(Insert::new(Run::new().add_text("inserted ")))
                    .add_delete(Delete::new().add_run(Run::new().add_delete_text("deleted "))),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Owner: "))
                    .add_run(Run::new().add_text("[name]").highlight("yellow")),
            )
            .add_paragraph(para("Plain").add_run(Run::new().add_text(" green").highlight("green"))),
    );
    let d = doc(&d);
    assert_eq!(texts(&d), ["Kept inserted", "Owner: [name]", "Plain green"]);
    let flags: Vec<bool> = d.blocks.iter().map(|b| b.highlighted).collect();
    assert_eq!(flags, [false, true, false]);
}

#[test]
fn strict_namespace_odd_prefix_and_main_part_elsewhere() {
    let document = format!(
        r#"<ns0:document xmlns:ns0="{W_STRICT}"><ns0:body>
        <ns0:p><ns0:pPr><ns0:pStyle ns0:val="Heading1"/></ns0:pPr><ns0:r><ns0:t>Strict heading</ns0:t></ns0:r></ns0:p>
        <ns0:p><ns0:r><ns0:t xml:space="preserve">Strict </ns0:t></ns0:r><ns0:r><ns0:t>body</ns0:t></ns0:r></ns0:p>
        <x:p xmlns:x="urn:not-word"><x:r><x:t>not word</x:t></x:r></x:p>
        </ns0:body></ns0:document>"#
    );
    let prels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/content/main.xml"/></Relationships>"#;
    let drels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/styles" Target="st.xml"/></Relationships>"#;
    let styles = format!(
        r#"<s:styles xmlns:s="{W_STRICT}"><s:style s:type="paragraph" s:styleId="Heading1"><s:name s:val="heading 1"/></s:style></s:styles>"#
    );
    let types = r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/content/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let bytes = zip(&[
        ("[Content_Types].xml", types),
        ("_rels/.rels", prels),
        ("content/main.xml", &document),
        ("content/_rels/main.xml.rels", drels),
        ("content/st.xml", &styles),
    ]);
    let d = doc(&bytes);
    assert_eq!(
        kinds(&d),
        [
            ("h1".to_string(), "Strict heading"),
            ("p".into(), "Strict body")
        ]
    );
    assert_eq!(d.blocks[0].locator, ploc("content/main.xml", 1));
}

#[test]
fn text_boxes_are_read_once_with_their_region() {
    let body = r#"<w:p><w:r><w:t>Anchor</w:t></w:r><w:r><mc:AlternateContent>
        <mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
          <w:p><w:r><w:t>In the box</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
        <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
          <w:p><w:r><w:t>In the box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
        </mc:AlternateContent></w:r><w:r><w:t> text</w:t></w:r></w:p>
        <w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Old VML box</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>
        <w:p><w:r><w:t>End</w:t></w:r></w:p>"#;
    let d = doc(&hand(body, &[]));
    let got: Vec<(Region, &str)> = d
        .blocks
        .iter()
        .map(|b| (b.region, b.text.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (Region::Body, "Anchor text"),
            (Region::TextBox, "In the box"),
            (Region::TextBox, "Old VML box"),
            (Region::Body, "End"),
        ]
    );
    assert_eq!(d.blocks[1].locator, ploc("word/document.xml", 2));
    assert_eq!(d.blocks[3].locator, ploc("word/document.xml", 5));
}

#[test]
fn fields_controls_links_and_special_characters() {
    let body = r#"<w:p><w:r><w:t>Page </w:t></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
        <w:p><w:hyperlink r:id="rId9"><w:r><w:t>the portal</w:t></w:r></w:hyperlink>
        <w:smartTag w:uri="x" w:element="place"><w:r><w:t> Berlin</w:t></w:r></w:smartTag></w:p>
        <w:sdt><w:sdtPr><w:alias w:val="Owner"/><w:dropDownList><w:listItem w:displayText="Choose" w:value="x"/></w:dropDownList></w:sdtPr>
        <w:sdtContent><w:p><w:r><w:t>Jane Roe</w:t></w:r></w:p></w:sdtContent></w:sdt>
        <w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>non</w:t><w:noBreakHyphen/><w:t>stop co</w:t><w:softHyphen/><w:t>operate</w:t><w:sym w:font="Wingdings" w:char="F0E0"/></w:r></w:p>
        <w:p><w:r><w:t>AT&amp;T &#169; &lt;x&gt;</w:t></w:r></w:p>
        <w:p><w:moveFrom><w:r><w:t>moved away</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>moved here</w:t></w:r></w:moveTo></w:p>
        <w:p><w:r><w:rPr><w:shd w:val="clear" w:fill="FFFF00"/></w:rPr><w:t>shaded</w:t></w:r></w:p>"#;
    let d = doc(&hand(body, &[]));
    assert_eq!(
        texts(&d),
        [
            "Page 3",
            "the portal Berlin",
            "Jane Roe",
            "a b c non-stop cooperate",
            "AT&T © <x>",
            "moved here",
            "shaded"
        ]
    );
    assert!(d.blocks[6].highlighted);
    // `w:br` and `w:cr` are line breaks; `w:tab` is a space.
    assert_eq!(d.blocks[3].breaks, [3, 5]);
    let lines: Vec<&str> = d.blocks[3].lines().collect();
    assert_eq!(lines, ["a b", "c", "non-stop cooperate"]);
}

#[test]
fn line_breaks_inside_paragraphs_and_cells_are_kept() {
    let body = r#"<w:p><w:r><w:br/><w:t>Name:</w:t><w:br/><w:br/><w:t xml:space="preserve"> Jane </w:t></w:r><w:r><w:br/></w:r></w:p>
        <w:p><w:r><w:t>before</w:t><w:br w:type="page"/><w:t>after</w:t><w:br w:type="textWrapping"/><w:t>end</w:t></w:r></w:p>
        <w:tbl><w:tr><w:tc><w:p><w:r><w:t>one</w:t></w:r></w:p><w:p><w:r><w:t>two</w:t><w:br/><w:t>three</w:t></w:r></w:p></w:tc>
        <w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>x</w:t><w:br/><w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let d = doc(&hand(body, &[]));
    assert_eq!(texts(&d), ["Name: Jane", "before after end", ""]);
    // Breaks at either end, or next to another, join no two lines: none recorded.
    assert_eq!(d.blocks[0].breaks, [5]);
    // A page break is a space, a text-wrapping break a line break.
    assert_eq!(d.blocks[1].breaks, [12]);
    let BlockKind::Table(t) = &d.blocks[2].kind else {
        panic!("not a table")
    };
    let cells: Vec<(&str, Vec<&str>)> = t.rows[0]
        .iter()
        .map(|c| (c.text.as_str(), c.lines().collect()))
        .collect();
    assert_eq!(
        cells,
        [
            ("one two three", vec!["one two", "three"]),
            ("x y", vec!["x", "y"]),
            ("x y", vec!["x", "y"]),
        ]
    );
}

#[test]
fn separator_footnotes_are_skipped_and_core_properties_read() {
    let notes = w_part(
        "footnotes",
        r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
           <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>cont</w:t></w:r></w:p></w:footnote>
           <w:footnote w:id="1"><w:p><w:r><w:t>A real note</w:t></w:r></w:p></w:footnote>"#,
    );
    let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
        <dc:title>Service Catalogue</dc:title><dc:creator>Ann Smith</dc:creator>
        <cp:lastModifiedBy>Bob &amp; Co</cp:lastModifiedBy>
        <dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z</dcterms:created>
        <dcterms:modified xsi:type="dcterms:W3CDTF">2024-02-03T04:05:06Z</dcterms:modified></cp:coreProperties>"#;
    let d = doc(&hand_full(
        "<w:p><w:r><w:t>Body</w:t></w:r></w:p>",
        &[("footnotes", "word/footnotes.xml", notes.as_str())],
        &[("docProps/core.xml", core)],
    ));
    assert_eq!(texts(&d), ["Body", "A real note"]);
    assert_eq!(d.blocks[1].locator, ploc("word/footnotes.xml", 1));
    let m = &d.metadata;
    assert_eq!(m.title.as_deref(), Some("Service Catalogue"));
    assert_eq!(m.author.as_deref(), Some("Ann Smith"));
    assert_eq!(m.last_modified_by.as_deref(), Some("Bob & Co"));
    assert_eq!(m.created.as_deref(), Some("2024-01-02T03:04:05Z"));
    assert_eq!(m.modified.as_deref(), Some("2024-02-03T04:05:06Z"));
}

#[test]
fn numbering_from_styles_overrides_and_restarts_by_hand() {
    let styles = w_part(
        "styles",
        r#"<w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/>
           <w:pPr><w:numPr><w:numId w:val="5"/></w:numPr></w:pPr></w:style>
           <w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="Kop 1"/></w:style>"#,
    );
    let numbering = w_part(
        "numbering",
        r#"<w:abstractNum w:abstractNumId="3">
             <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
             <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%2)"/></w:lvl>
           </w:abstractNum>
           <w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
           <w:num w:numId="6"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>"#,
    );
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Kop1"/></w:pPr><w:r><w:t>Doel</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>one</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr><w:r><w:t>deep</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr><w:r><w:t>deeper</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="ListNumber"/></w:pPr><w:r><w:t>two</w:t></w:r></w:p>
        <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="6"/></w:numPr></w:pPr><w:r><w:t>third</w:t></w:r></w:p>
        <w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>not a list</w:t></w:r></w:p>
        <w:p><w:pPr><w:numPr><w:ilvl w:val="99"/><w:numId w:val="42"/></w:numPr></w:pPr><w:r><w:t>unknown list</w:t></w:r></w:p>"#;
    let d = doc(&hand(
        body,
        &[
            ("styles", "word/styles.xml", &styles),
            ("numbering", "word/numbering.xml", &numbering),
        ],
    ));
    let want: Vec<(String, &str)> = vec![
        ("h1".into(), "Doel"),
        ("li0:A.".into(), "one"),
        ("li1:(i)".into(), "deep"),
        ("li1:(ii)".into(), "deeper"),
        ("li0:B.".into(), "two"),
        ("li0:C.".into(), "third"),
        ("p".into(), "not a list"),
        ("p".into(), "unknown list"),
    ];
    assert_eq!(kinds(&d), want);
}

#[test]
fn huge_spans_and_indices_do_not_allocate() {
    let body = r#"<w:tbl><w:tr><w:trPr><w:gridBefore w:val="4000000000"/></w:trPr>
        <w:tc><w:tcPr><w:gridSpan w:val="4000000000"/></w:tcPr><w:p><w:r><w:t>wide</w:t></w:r></w:p></w:tc>
        <w:tc><w:p><w:r><w:t>next</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let d = doc(&hand(body, &[]));
    let t = table(&d.blocks[0]);
    assert!(t.rows[0].len() <= 1 + orgprofile::read::docx::MAX_GRID_SPAN as usize);
    assert_eq!(t.rows[0].last().unwrap().text, "next");
}

#[test]
fn spanned_and_vmerged_big_cell_is_refused_instead_of_repeating_into_gigabytes() {
    // One large cell spanning 64 columns, continued down 50 rows, repeated its text into every
    // copy: a 146 KB file grew to gigabytes. Now the repeats are charged to a text budget.
    let big = "word ".repeat(800); // 4 KB
    let first = format!(
        r#"<w:tr><w:tc><w:tcPr><w:gridSpan w:val="64"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>{big}</w:t></w:r></w:p></w:tc></w:tr>"#
    );
    let cont =
        r#"<w:tr><w:tc><w:tcPr><w:gridSpan w:val="64"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"#;
    let body = format!("<w:tbl>{first}{}</w:tbl>", cont.repeat(50));
    let bytes = hand(&body, &[]);
    let limits = Limits {
        max_total_inflated: 256 * 1024,
        ..Limits::default()
    };
    let err = read_bytes(&bytes, "span.docx", Some(Format::Docx), &limits).unwrap_err();
    assert!(matches!(err, ReadError::Limit { .. }), "{err}");
    assert!(err.to_string().starts_with("word/document.xml:"), "{err}");
    // A few repeats of the same cell stay within the budget and keep repeating their text,
    // which the mapper relies on.
    let body = format!("<w:tbl>{first}{}</w:tbl>", cont.repeat(2));
    let limits = Limits {
        max_total_inflated: 1024 * 1024,
        ..Limits::default()
    };
    let d = read_bytes(&hand(&body, &[]), "ok.docx", Some(Format::Docx), &limits).unwrap();
    let t = table(&d.blocks[0]);
    assert_eq!(t.rows.len(), 3);
    assert!(t
        .rows
        .iter()
        .all(|r| r.len() == 64 && r[63].text == big.trim_end()));
}

#[test]
fn dtd_is_refused_and_entities_never_expanded() {
    let body = "<w:p><w:r><w:t>&lol;</w:t></w:r></w:p>";
    let doc_xml = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lololol">]><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#
    );
    let prels = package_rels("word/document.xml");
    let bytes = zip(&[("_rels/.rels", &prels), ("word/document.xml", &doc_xml)]);
    let err = read(&bytes).unwrap_err();
    assert_eq!(
        err,
        ReadError::Dtd {
            part: "word/document.xml".into()
        }
    );
    // Without a DTD, an unknown entity reference stays literal text.
    let d = doc(&hand(body, &[]));
    assert_eq!(texts(&d), ["&lol;"]);
}

#[test]
fn depth_bombs_malformed_xml_and_missing_parts_are_clean_errors() {
    let deep = "<w:sdt><w:sdtContent>".repeat(200) + &"</w:sdtContent></w:sdt>".repeat(200);
    let err = read(&hand(&deep, &[])).unwrap_err();
    assert!(
        matches!(&err, ReadError::Limit { what, .. } if what.contains("word/document.xml")),
        "{err}"
    );

    let broken = "<w:p><w:r><w:t>unclosed</w:r></w:p>";
    let err = read(&hand(broken, &[])).unwrap_err();
    match &err {
        ReadError::Xml { part, position, .. } => {
            assert_eq!(part, "word/document.xml");
            assert!(*position > 0);
        }
        other => panic!("expected an XML error, got {other}"),
    }
    assert!(err
        .to_string()
        .starts_with("word/document.xml: malformed XML at byte"));

    // Relationships point at a part that is not there, and there is no word/document.xml.
    let prels = package_rels("word/missing.xml");
    let bytes = zip(&[("_rels/.rels", &prels), ("word/styles.xml", "<x/>")]);
    let err = read(&bytes).unwrap_err();
    assert!(
        matches!(&err, ReadError::MissingPart(p) if p.contains("word/missing.xml")),
        "{err}"
    );
}

#[test]
fn a_damaged_comments_part_is_noted_not_fatal() {
    let d = doc(&hand(
        "<w:p><w:r><w:t>Body</w:t></w:r></w:p>",
        &[("comments", "word/comments.xml", "<w:comments><w:comment>")],
    ));
    assert_eq!(texts(&d), ["Body"]);
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("word/comments.xml: malformed XML")),
        "{:?}",
        d.notes
    );
}

#[test]
fn an_unclosed_field_does_not_swallow_later_paragraphs() {
    let body = r#"<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>code</w:t></w:r></w:p>
        <w:p><w:r><w:t>Still here</w:t></w:r></w:p>"#;
    let d = doc(&hand(body, &[]));
    assert_eq!(texts(&d), ["Still here"]);
}

#[test]
fn utf16_parts_are_transcoded() {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Größe</w:t></w:r></w:p></w:body></w:document>"#
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in xml.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let prels = package_rels("word/document.xml");
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    w.start_file("_rels/.rels", opts).unwrap();
    w.write_all(prels.as_bytes()).unwrap();
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(&utf16).unwrap();
    let bytes = w.finish().unwrap().into_inner();
    assert_eq!(texts(&doc(&bytes)), ["Größe"]);
}

#[test]
fn cells_flag_highlight_and_grid_before_shifts_columns() {
    let body = r#"<w:tbl><w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>
        <w:tc><w:p><w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>[Owner]</w:t></w:r></w:p>
        <w:p><w:r><w:t>second line</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    let d = doc(&hand(body, &[]));
    let t = table(&d.blocks[0]);
    let cell = &t.rows[0][0];
    assert_eq!(cell.text, "[Owner] second line");
    assert!(cell.highlighted);
    assert!(d.blocks[0].highlighted);
    assert_eq!(
        cell.locator.to_string(),
        "word/document.xml table 1 row 1 column 3"
    );
}

#[test]
fn outline_level_nine_and_numbering_overrides_by_level() {
    let styles = w_part(
        "styles",
        r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
           <w:style w:type="numbering" w:styleId="Outline"><w:name w:val="Outline list"/>
           <w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>"#,
    );
    let numbering = w_part(
        "numbering",
        r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
           <w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="Outline"/></w:abstractNum>
           <w:num w:numId="1"><w:abstractNumId w:val="1"/>
             <w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:lvlOverride></w:num>
           <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
           <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>"#,
    );
    let body = r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>Looks like a heading</w:t></w:r></w:p>
        <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>four</w:t></w:r></w:p>
        <w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>linked</w:t></w:r></w:p>"#;
    let d = doc(&hand(
        body,
        &[
            ("styles", "word/styles.xml", &styles),
            ("numbering", "word/numbering.xml", &numbering),
        ],
    ));
    let want: Vec<(String, &str)> = vec![
        ("p".into(), "Looks like a heading"),
        ("li0:IV.".into(), "four"),
        // Linked through the numbering style to the same definition as "four": it continues
        // that list (IV -> 5), in its own format.
        ("li0:5)".into(), "linked"),
    ];
    assert_eq!(kinds(&d), want);
}

#[test]
fn endnotes_and_comments_keep_their_regions_and_parts() {
    let endnotes = w_part(
        "endnotes",
        r#"<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>
           <w:endnote w:id="1"><w:p><w:r><w:t>End note text</w:t></w:r></w:p></w:endnote>"#,
    );
    let comments = w_part(
        "comments",
        r#"<w:comment w:id="0" w:author="QA"><w:p><w:r><w:t>Check owner</w:t></w:r></w:p></w:comment>"#,
    );
    let d = doc(&hand(
        "<w:p><w:r><w:t>Body</w:t></w:r></w:p>",
        &[
            ("endnotes", "word/endnotes.xml", &endnotes),
            ("comments", "word/comments.xml", &comments),
        ],
    ));
    let got: Vec<(Region, String)> = d
        .blocks
        .iter()
        .map(|b| (b.region, b.locator.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (Region::Body, "word/document.xml paragraph 1".to_string()),
            (Region::Endnote, "word/endnotes.xml paragraph 1".to_string()),
            (Region::Comment, "word/comments.xml paragraph 1".to_string()),
        ]
    );
}

mod random_markup {
    use super::*;
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z ]{0,6}".prop_map(|t| format!("<w:r><w:t>{t}</w:t></w:r>")),
            Just("<w:tab/>".to_string()),
            Just(r#"<w:fldChar w:fldCharType="begin"/>"#.to_string()),
            Just(r#"<w:fldChar w:fldCharType="separate"/>"#.to_string()),
            Just(r#"<w:fldChar w:fldCharType="end"/>"#.to_string()),
            Just(r#"<w:tcPr><w:gridSpan w:val="4000000000"/><w:vMerge/></w:tcPr>"#.to_string()),
            Just(r#"<w:pPr><w:pStyle w:val="Heading1"/><w:numPr><w:ilvl w:val="300"/><w:numId w:val="1"/></w:numPr></w:pPr>"#.to_string()),
            Just("<w:r><w:t>&amp;&unknown;</w:t></w:r>".to_string()),
        ]
    }

    fn markup() -> impl Strategy<Value = String> {
        leaf().prop_recursive(5, 64, 6, |inner| {
            let tags = prop_oneof![
                Just("w:p"),
                Just("w:tbl"),
                Just("w:tr"),
                Just("w:tc"),
                Just("w:sdt"),
                Just("w:sdtContent"),
                Just("w:txbxContent"),
                Just("w:hyperlink"),
                Just("w:ins"),
                Just("w:del"),
                Just("w:r"),
                Just("mc:AlternateContent"),
                Just("mc:Choice"),
                Just("mc:Fallback"),
            ];
            (tags, proptest::collection::vec(inner, 0..5))
                .prop_map(|(tag, kids)| format!("<{tag}>{}</{tag}>", kids.concat()))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn any_well_formed_body_reads_without_panic(body in proptest::collection::vec(markup(), 0..6)) {
            let d = read(&hand(&body.concat(), &[])).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for b in &d.blocks {
                prop_assert_eq!(b.text.trim(), b.text.as_str());
                prop_assert!(!b.text.contains("  "));
                if let BlockKind::Table(t) = &b.kind {
                    for row in &t.rows {
                        prop_assert!(row.len() <= orgprofile::read::docx::MAX_ROW_CELLS + 64);
                    }
                }
            }
        }

        #[test]
        fn any_byte_soup_is_a_clean_error_or_a_document(body in "[<>/a-z:=\" &;]{0,200}") {
            let result = read(&hand(&body, &[]));
            prop_assert!(
                !matches!(result, Err(ReadError::Internal(_))),
                "a reader panicked: {:?}",
                result
            );
        }
    }
}

#[test]
fn damaged_styles_and_embedded_chunks_are_noted() {
    let d = doc(&hand(
        r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>Scope</w:t></w:r></w:p><w:altChunk r:id="rId7"/>"#,
        &[("styles", "word/styles.xml", "<w:styles><w:style>")],
    ));
    // Without styles.xml the style id still reads as a heading name.
    assert_eq!(kinds(&d), [("h2".to_string(), "Scope")]);
    assert!(
        d.notes
            .iter()
            .any(|n| n.starts_with("word/styles.xml: malformed XML")),
        "{:?}",
        d.notes
    );
    assert!(
        d.notes.iter().any(|n| n.contains("w:altChunk")),
        "{:?}",
        d.notes
    );
}

#[test]
fn content_controls_showing_their_placeholder_are_flagged() {
    let body = r#"<w:p><w:r><w:t>Owner: </w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr>
        <w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt></w:p>
        <w:p><w:sdt><w:sdtPr><w:alias w:val="Scope"/></w:sdtPr><w:sdtContent><w:r><w:t>All services</w:t></w:r></w:sdtContent></w:sdt></w:p>"#;
    let d = doc(&hand(body, &[]));
    assert_eq!(
        texts(&d),
        ["Owner: Click or tap here to enter text.", "All services"]
    );
    let flags: Vec<bool> = d.blocks.iter().map(|b| b.highlighted).collect();
    assert_eq!(flags, [true, false]);
}

/// Reads every Word file under ../shared/corpus (not part of the repository): no panic, no
/// hang, and a clean error wherever a file cannot be read. Run with
/// `cargo test --test tests docx_corpus_sweep -- --ignored --nocapture`.
#[test]
#[ignore]
#[allow(clippy::print_stderr)]
fn docx_corpus_sweep() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                matches!(
                    x.to_ascii_lowercase().as_str(),
                    "docx" | "docm" | "dotx" | "dotm"
                )
            }) {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut ok, mut failed, mut blocks) = (0, 0, 0);
    for f in &files {
        let start = std::time::Instant::now();
        let result = orgprofile::read::read_file(
            f,
            &f.display().to_string(),
            Some(Format::Docx),
            &Limits::default(),
        );
        let took = start.elapsed();
        assert!(took.as_secs() < 10, "{}: took {took:?}", f.display());
        match result {
            Ok(d) => {
                ok += 1;
                blocks += d.blocks.len();
                if d.blocks.is_empty() {
                    eprintln!("{}: no blocks", f.display());
                }
            }
            Err(ReadError::Internal(m)) => panic!("{}: a reader panicked: {m}", f.display()),
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e}", f.display());
            }
        }
    }
    eprintln!(
        "{} Word files: {ok} read ({blocks} blocks), {failed} clean errors",
        files.len()
    );
}

/// As Word numbers them (tika's testWORD_override_list_numbering.docx, "Test 4"): instances of
/// one list definition continue each other, a redefined level keeps counting, and only a start
/// override restarts.
#[test]
fn list_instances_share_their_definition_counters() {
    let numbering = w_part(
        "numbering",
        r#"<w:abstractNum w:abstractNumId="9"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>
           <w:abstractNum w:abstractNumId="25"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>
           <w:num w:numId="19"><w:abstractNumId w:val="9"/></w:num>
           <w:num w:numId="22"><w:abstractNumId w:val="9"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1"/></w:lvl></w:lvlOverride></w:num>
           <w:num w:numId="23"><w:abstractNumId w:val="25"/></w:num>
           <w:num w:numId="24"><w:abstractNumId w:val="9"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
    );
    let item = |num: u32, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        item(19, "1"),
        item(22, "B"),
        item(22, "C"),
        item(23, "A"),
        item(23, "B"),
        item(19, "4"),
        item(24, "1"),
    ]
    .concat();
    let d = doc(&hand(
        &body,
        &[("numbering", "word/numbering.xml", &numbering)],
    ));
    for b in &d.blocks {
        match &b.kind {
            BlockKind::ListItem { number, .. } => {
                assert_eq!(number.as_deref(), Some(b.text.as_str()), "{}", b.locator)
            }
            other => panic!("not a list item: {other:?}"),
        }
    }
    assert_eq!(d.blocks.len(), 7);
}

#[test]
fn runs_read_the_same_whatever_their_markup() {
    // Properties, entities, comments, CDATA, tabs, empty and odd text elements, a `w:t` of
    // another namespace: each run gives the text Word shows.
    let p = |runs: &str| format!("<w:p>{runs}</w:p>");
    let body = [
        p(r#"<w:r><w:rPr><w:b/><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve">Plain </w:t><w:t>two</w:t></w:r><w:r><w:rPr/><w:t>three</w:t></w:r>"#),
        p("<w:r><w:t>A &amp; B</w:t></w:r>"),
        p("<w:r><!-- note --><w:t>commented</w:t></w:r>"),
        p("<w:r><w:t><![CDATA[<kept>]]></w:t></w:r>"),
        p("<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>"),
        p(r#"<w:r><w:rPr><w:highlight w:val="yellow"/></w:rPr><w:t>marked</w:t></w:r>"#),
        p(r#"<w:r><w:rPr><w:rPrChange><w:rPr><w:highlight w:val="yellow"/></w:rPr></w:rPrChange></w:rPr><w:t>was marked</w:t></w:r>"#),
        p(r#"<w:r><w:t/><w:t a=">"></w:t><w:t>  spaced   out </w:t></w:r><w:r><w:t>end</w:t></w:r>"#),
        p(r#"<w:r><w:t xmlns:w="urn:other">hidden</w:t><w:t>shown</w:t></w:r>"#),
    ]
    .concat();
    let d = doc(&hand(&body, &[]));
    assert_eq!(
        texts(&d),
        [
            "Plain twothree",
            "A & B",
            "commented",
            "<kept>",
            "a b",
            "marked",
            "was marked",
            "spaced out end",
            "shown"
        ]
    );
    let flagged: Vec<bool> = d.blocks.iter().map(|b| b.highlighted).collect();
    assert_eq!(
        flagged,
        [false, false, false, false, false, true, false, false, false]
    );

    // Malformed markup inside a run is still an error, wherever it sits.
    for broken in [
        "<w:p><w:r><w:rPr><w:b></w:i></w:rPr><w:t>x</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>x</w:tt></w:r></w:p>",
        "<w:p><w:r><w:t>x</w:t></w:rr></w:p>",
        "<w:p><w:pPr><w:jc></w:pPr></w:p>",
    ] {
        let err = read(&hand(broken, &[])).unwrap_err();
        assert!(matches!(err, ReadError::Xml { .. }), "{broken}: {err}");
    }
}

#[test]
fn text_left_inside_paragraph_or_run_properties_is_never_content() {
    // A `w:t` left open around a nested paragraph or run puts text inside its properties: the
    // text is dropped, whatever else the properties hold.
    let nested_para = |props: &str| {
        format!(
            "<w:p><w:r><w:t>A<w:p><w:pPr>{props}LEAK</w:pPr><w:r><w:t>B</w:t></w:r></w:p></w:t></w:r></w:p>"
        )
    };
    let nested_run = |props: &str| {
        format!(
            "<w:p><w:r><w:t>A<w:r><w:rPr>{props}LEAK</w:rPr><w:t>B</w:t></w:r></w:t></w:r></w:p>"
        )
    };
    for body in [
        nested_para(r#"<w:pStyle w:val="Heading1"/>"#),
        nested_para(r#"<!--c--><w:pStyle w:val="Heading1"/>"#),
        nested_para(r#"<w:jc w:val="left"/>"#),
        nested_run(r#"<w:b/>"#),
        nested_run(r#"<w:highlight w:val="yellow"/>"#),
    ] {
        let d = doc(&hand(&body, &[]));
        let all: String = texts(&d).concat();
        assert!(!all.contains("LEAK"), "{body}: {:?}", texts(&d));
        assert!(
            all.contains('A') && all.contains('B'),
            "{body}: {:?}",
            texts(&d)
        );
    }
}

#[test]
fn a_short_paragraph_all_in_bold_is_a_heading_below_the_last() {
    let bold = |t: &str| Paragraph::new().add_run(Run::new().add_text(t).bold());
    let d = doc(&pack(
        Docx::new()
            .add_paragraph(para("Heading one").style("Heading1"))
            .add_paragraph(bold("Why certify"))
            .add_paragraph(para("Tenders ask for it."))
            .add_paragraph(bold("Approved by the board."))
            .add_paragraph(
                Paragraph::new()
                    .add_run(Run::new().add_text("Owner: ").bold())
                    .add_run(Run::new().add_text("Jane Smith")),
            ),
    ));
    let got = kinds(&d);
    assert_eq!(got[1], ("h2".to_string(), "Why certify"), "{got:?}");
    assert_eq!(got[2].0, "p", "{got:?}");
    // A sentence in bold and a bold label with its value stay paragraphs.
    assert_eq!(got[3].0, "p", "{got:?}");
    assert_eq!(got[4].0, "p", "{got:?}");
}
