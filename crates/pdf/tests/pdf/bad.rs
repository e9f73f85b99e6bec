//! Bad PDFs: each gives its own error, never a panic.

use actionplan_pdf::{pdf_layout, PdfError};
use pdf_extract::{EncryptionState, EncryptionVersion, Permissions};

use crate::synth::{document, pdf, Page};

fn good() -> Vec<u8> {
    pdf(&[Page::a4().text(72.0, 100.0, 11.0, "Ensure that plans are in place.")])
}

#[test]
fn a_good_file_reads() {
    assert!(pdf_layout(&good()).is_ok());
}

#[test]
fn truncated_file_is_corrupt_or_partial() {
    let bytes = good();
    for cut in [10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 20] {
        match pdf_layout(&bytes[..cut]) {
            Ok(l) => assert!(l.pages >= 1),
            Err(e) => assert!(
                matches!(e, PdfError::Corrupt(_) | PdfError::NoTextLayer),
                "cut {cut}: {e}"
            ),
        }
    }
}

#[test]
fn garbage_and_bad_xref_are_corrupt() {
    assert!(matches!(
        pdf_layout(b"%PDF-1.4\nthis is not a pdf"),
        Err(PdfError::Corrupt(_))
    ));
    let mut bytes = good();
    // Point startxref at nonsense.
    if let Some(i) = bytes.windows(9).rposition(|w| w == b"startxref") {
        for b in bytes[i + 10..].iter_mut().take(4) {
            if b.is_ascii_digit() {
                *b = b'9';
            }
        }
    }
    // lopdf may recover by scanning objects; either way no panic and a clear answer.
    match pdf_layout(&bytes) {
        Ok(l) => assert!(!l.blocks.is_empty()),
        Err(e) => assert!(matches!(e, PdfError::Corrupt(_)), "{e}"),
    }
}

#[test]
fn password_protected_is_encrypted() {
    let (mut doc, _) = document(&[Page::a4().text(72.0, 100.0, 11.0, "Secret plan")]);
    // The standard security handler keys on the file identifier.
    let id = pdf_extract::Object::String(
        b"0123456789abcdef".to_vec(),
        pdf_extract::StringFormat::Hexadecimal,
    );
    doc.trailer
        .set("ID", pdf_extract::Object::Array(vec![id.clone(), id]));
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "owner",
        user_password: "user",
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = match EncryptionState::try_from(version) {
        Ok(s) => s,
        Err(e) => panic!("cannot build encryption state: {e}"),
    };
    if let Err(e) = doc.encrypt(&state) {
        panic!("cannot encrypt: {e}");
    }
    let mut bytes = Vec::new();
    if let Err(e) = doc.save_to(&mut bytes) {
        panic!("cannot save: {e}");
    }
    assert_eq!(pdf_layout(&bytes), Err(PdfError::Encrypted));
}

#[test]
fn image_only_needs_ocr() {
    let page = Page {
        image_only: true,
        ..Page::a4()
    };
    let err = pdf_layout(&pdf(&[page.clone(), page]));
    assert_eq!(err, Err(PdfError::NoTextLayer));
    assert_eq!(
        PdfError::NoTextLayer.to_string(),
        "no text layer; needs OCR"
    );
}

#[test]
fn pathological_sizes_do_not_hang() {
    // A page with a very large number of tiny characters and rules.
    let mut page = Page::a4();
    for i in 0..4000 {
        let (x, y) = ((i % 80) as f64 * 7.0, 20.0 + (i / 80) as f64 * 16.0);
        page = page.text(x, y, 6.0, "x").rule(x, y, x + 3.0, y);
    }
    // Hatching: hundreds of crossing rules make a "grid" no table has.
    for i in 0..400 {
        let x = 20.0 + i as f64 * 1.4;
        page = page.rule(x, 20.0, x, 820.0).rule(20.0, x, 580.0, x);
    }
    let start = std::time::Instant::now();
    let _ = pdf_layout(&pdf(&[page]));
    assert!(start.elapsed().as_secs() < 20);
    // Zero-size and enormous media boxes.
    let tiny = Page {
        width: 0.0,
        height: 0.0,
        ..Page::a4()
    }
    .text(0.0, 0.0, 1.0, "a");
    let huge = Page {
        width: 1.0e9,
        height: 1.0e9,
        ..Page::a4()
    }
    .text(10.0, 10.0, 1.0e6, "b");
    let _ = pdf_layout(&pdf(&[tiny, huge]));
}

/// Replaces the content of the `nth` page with raw operators that make pdf-extract
/// panic ("unexpected Tj operand").
fn with_panicking_page(pages: &[Page], nth: usize) -> Vec<u8> {
    let (mut doc, _) = document(pages);
    let page_ids: Vec<_> = doc.get_pages().into_values().collect();
    let content_id = page_ids
        .get(nth)
        .and_then(|id| doc.get_dictionary(*id).ok())
        .and_then(|d| d.get(b"Contents").ok())
        .and_then(|o| o.as_reference().ok());
    let Some(content_id) = content_id else {
        panic!("test PDF has no page {nth}")
    };
    if let Ok(pdf_extract::Object::Stream(s)) = doc.get_object_mut(content_id) {
        s.set_plain_content(b"BT /F1 12 Tf 100 100 Td 42 Tj ET".to_vec());
    }
    let mut bytes = Vec::new();
    if let Err(e) = doc.save_to(&mut bytes) {
        panic!("cannot save: {e}");
    }
    bytes
}

#[test]
fn library_panic_on_every_page_is_an_error() {
    let bytes = with_panicking_page(&[Page::a4().text(72.0, 100.0, 11.0, "Plan")], 0);
    assert!(
        matches!(pdf_layout(&bytes), Err(PdfError::Panicked(_))),
        "{:?}",
        pdf_layout(&bytes)
    );
}

#[test]
fn library_panic_on_one_page_skips_that_page_with_a_note() {
    let pages = [
        Page::a4().text(72.0, 100.0, 11.0, "First page text."),
        Page::a4().text(72.0, 100.0, 11.0, "Second page text."),
    ];
    let layout = match pdf_layout(&with_panicking_page(&pages, 1)) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(layout.pages, 2);
    assert_eq!(layout.blocks.len(), 1);
    assert!(
        layout
            .notes
            .iter()
            .any(|n| n.page == Some(2) && n.message.contains("panicked")),
        "{:?}",
        layout.notes
    );
}
