//! Word documents through the pipeline: sniffing by content, dispatch to the .docx
//! backend, an action-plan table end to end, and the refusals (corrupt .docx, other
//! ZIP archives, Word 97 .doc), each naming the file.

use std::io::{Cursor, Write};

use actionplan_model::SourceFormat;
use actionplan_pipeline::{extract_bytes, layout_bytes, sniff, Sniffed};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn zip_of(files: &[(&str, String)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in files {
        w.start_file(*name, options).unwrap();
        w.write_all(text.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn docx(body: &str, styles: &str) -> Vec<u8> {
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.into(),
        ),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#)),
        ("word/styles.xml", format!(r#"<?xml version="1.0"?><w:styles xmlns:w="{W}">{styles}</w:styles>"#)),
    ])
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn heading(level: u8, text: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"Heading{level}\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn row(header: bool, cells: &[&str]) -> String {
    let pr = if header {
        "<w:trPr><w:tblHeader/></w:trPr>"
    } else {
        ""
    };
    let cells: String = cells
        .iter()
        .map(|c| format!("<w:tc>{}</w:tc>", p(c)))
        .collect();
    format!("<w:tr>{pr}{cells}</w:tr>")
}

const STYLES: &str = r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>"#;

fn action_plan() -> Vec<u8> {
    let table = [
        "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>".to_owned(),
        row(true, &["Action", "Lead", "Timescale"]),
        row(false, &["Audit all child in need plans", "Head of Service, Children in Need", "September 2014"]),
        // The header row repeated where the table ran over a page, as some authors type it.
        "<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:lastRenderedPageBreak/><w:t>Action</w:t></w:r></w:p></w:tc><w:tc>".to_owned()
            + &p("Lead")
            + "</w:tc><w:tc>"
            + &p("Timescale")
            + "</w:tc></w:tr>",
        row(false, &["Introduce monthly case supervision audits", "Assistant Director", "December 2014"]),
        "</w:tbl>".to_owned(),
    ]
    .concat();
    let body = [
        heading(1, "Westshire Council Improvement Plan"),
        p("Report to Children's Scrutiny Committee, 12 June 2014"),
        heading(2, "Recommendation 1: Improve the quality of assessments"),
        table,
    ]
    .concat();
    docx(&body, STYLES)
}

#[test]
fn docx_is_sniffed_by_content_and_read() {
    let bytes = action_plan();
    assert_eq!(sniff(&bytes), Sniffed::Docx);
    let (layout, format, encoding) =
        layout_bytes("plan.bin", &bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((format, encoding), (SourceFormat::Docx, None));
    assert_eq!(layout.pages, 2);
}

#[test]
fn docx_action_plan_end_to_end() {
    let doc = extract_bytes("papers/westshire_plan.docx", &action_plan())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.source.format, SourceFormat::Docx);
    assert_eq!(doc.source.encoding, None);
    assert_eq!(doc.source.pages, 2);
    let actions: Vec<_> = doc
        .recommendations
        .iter()
        .flat_map(|r| &r.actions)
        .collect();
    let got: Vec<_> = actions
        .iter()
        .map(|a| {
            (
                a.text.as_str(),
                a.lead.clone(),
                a.timescale.as_ref().map(|t| t.raw.as_str()),
                a.page,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Audit all child in need plans",
                vec!["Head of Service, Children in Need".to_owned()],
                Some("September 2014"),
                1
            ),
            (
                "Introduce monthly case supervision audits",
                vec!["Assistant Director".to_owned()],
                Some("December 2014"),
                2
            ),
        ],
        "{:#?}",
        doc.recommendations
    );
    assert_eq!(
        actions[1].timescale.as_ref().and_then(|t| t.due.as_deref()),
        Some("2014-12")
    );
    assert!(actions
        .iter()
        .all(|a| a.table == Some(0) && a.line.is_none()));
}

#[test]
fn corrupt_docx_is_an_error_naming_the_file() {
    let bytes = action_plan();
    let e = extract_bytes("papers/cut.docx", &bytes[..bytes.len() / 2]).unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("papers/cut.docx: docx: "), "{msg}");
    assert_eq!(e.kind(), "docx_corrupt");
}

#[test]
fn other_zip_archives_are_refused() {
    let xlsx = zip_of(&[
        ("[Content_Types].xml", "<Types/>".into()),
        ("xl/workbook.xml", "<workbook/>".into()),
    ]);
    assert_eq!(sniff(&xlsx), Sniffed::Zip);
    let e = extract_bytes("budget.xlsx", &xlsx).unwrap_err();
    assert_eq!(e.to_string(), "budget.xlsx: unsupported format: zip archive that is not a Word document (an Excel .xlsx workbook)");
    assert_eq!(e.kind(), "unsupported");
    let plain = zip_of(&[("notes.txt", "hello".into())]);
    let e = extract_bytes("bundle.zip", &plain).unwrap_err();
    assert_eq!(
        e.to_string(),
        "bundle.zip: unsupported format: zip archive that is not a Word document"
    );
}

#[test]
fn word_97_doc_is_refused_with_a_clear_message() {
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend_from_slice(&[0u8; 504]);
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(sniff(&doc), Sniffed::Ole2);
    let e = extract_bytes("papers/old report.doc", &doc).unwrap_err();
    assert_eq!(
        e.to_string(),
        "papers/old report.doc: Word 97 .doc is not supported; save as .docx or PDF"
    );
    assert_eq!(e.kind(), "unsupported");
    // A password-protected .docx is an OLE2 file too, but not a Word 97 document.
    let mut encrypted = doc[..512].to_vec();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let e = extract_bytes("locked.docx", &encrypted).unwrap_err();
    assert!(e.to_string().contains("password-protected"), "{e}");
}
