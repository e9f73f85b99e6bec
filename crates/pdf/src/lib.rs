//! PDF backend: rebuilds the shared layout from positioned characters and drawn lines.
//!
//! Flow: lopdf (re-exported by pdf-extract) loads the file → [`device::Collector`] records
//! glyphs and ruling segments page by page → [`text`] groups glyphs into words and lines →
//! [`furniture`] drops running headers, footers and page numbers → [`table`] recovers
//! ruled and unruled tables → [`blocks`] builds headings, paragraphs and list items in
//! reading order and stitches tables and paragraphs across pages.
//!
//! Invariants: no panic escapes [`pdf_layout`] (pdf-extract and lopdf panics are
//! contained per page); this crate does no I/O; every block carries its page.

mod blocks;
mod columns;
mod device;
mod furniture;
mod markup;
mod table;
mod tabstops;
mod text;

use std::panic::{catch_unwind, AssertUnwindSafe};

use actionplan_layout::{Layout, Note};
use pdf_extract::{Document, Object, ObjectId};

/// Why a PDF could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// The PDF is password-protected.
    #[error("PDF is encrypted (password-protected)")]
    Encrypted,
    /// The PDF has pages but no extractable text.
    #[error("no text layer; needs OCR")]
    NoTextLayer,
    /// The file is not a readable PDF (truncated, corrupt cross-reference table, …).
    #[error("corrupt or unreadable PDF: {0}")]
    Corrupt(String),
    /// The PDF library panicked on this file; the panic was contained.
    #[error("PDF library failed on this file: {0}")]
    Panicked(String),
}

/// Pages read at most; longer files are cut with a note (council packs run to a few hundred).
pub const MAX_PAGES: usize = 3000;

/// Reads a PDF into the shared layout.
pub fn pdf_layout(bytes: &[u8]) -> Result<Layout, PdfError> {
    let (pages, mut notes) = read_pages(bytes)?;
    let page_count = pages.len() as u32;
    if pages
        .iter()
        .all(|p| p.glyphs.iter().all(|g| g.text.trim().is_empty()))
    {
        return Err(PdfError::NoTextLayer);
    }
    let mut layout = catch_unwind(AssertUnwindSafe(|| build_layout(pages)))
        .map_err(|p| PdfError::Panicked(format!("layout reconstruction: {}", panic_message(&p))))?;
    layout.pages = page_count.max(1);
    notes.append(&mut layout.notes);
    layout.notes = notes;
    Ok(layout)
}

/// Positioned content of every page, with notes on pages that could not be read.
fn read_pages(bytes: &[u8]) -> Result<(Vec<device::PageContent>, Vec<Note>), PdfError> {
    let doc = catch_unwind(|| load(bytes))
        .map_err(|p| PdfError::Panicked(format!("loading: {}", panic_message(&p))))??;
    let page_ids: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    if page_ids.is_empty() {
        return Err(PdfError::Corrupt("no pages found".into()));
    }
    let mut notes = Vec::new();
    if page_ids.len() > MAX_PAGES {
        notes.push(Note {
            page: None,
            message: format!(
                "only the first {MAX_PAGES} of {} pages read",
                page_ids.len()
            ),
        });
    }
    let mut collector = device::Collector::default();
    let mut failed = 0usize;
    let mut first_failure = String::new();
    for &(number, id) in page_ids.iter().take(MAX_PAGES) {
        // Malformed page trees and self-drawing forms make pdf-extract recurse without
        // end; a stack overflow cannot be caught, so such pages are refused up front.
        if let Some(why) = unsafe_page(&doc, id) {
            notes.push(Note {
                page: Some(number),
                message: format!("page skipped: {why}"),
            });
            failed += 1;
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            output_page(&doc, &mut collector, number)
        }));
        let why = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(p) => Some(format!("PDF library panicked: {}", panic_message(&p))),
        };
        if let Some(why) = why {
            // Keep whatever the page produced before it failed.
            if let Some(partial) = collector.abandon_page() {
                collector.pages.push(partial);
            }
            if failed == 0 {
                first_failure = why.clone();
            }
            failed += 1;
            notes.push(Note {
                page: Some(number),
                message: format!("page partly unreadable: {why}"),
            });
        }
    }
    if failed > 0 && collector.pages.iter().all(|p| p.glyphs.is_empty()) {
        return Err(if first_failure.starts_with("PDF library panicked") {
            PdfError::Panicked(first_failure)
        } else {
            PdfError::Corrupt(first_failure)
        });
    }
    for p in &collector.pages {
        if p.truncated {
            notes.push(Note {
                page: Some(p.number),
                message: "page has too many characters or lines; the rest was dropped".into(),
            });
        }
    }
    Ok((collector.pages, notes))
}

fn output_page(
    doc: &Document,
    collector: &mut device::Collector,
    number: u32,
) -> Result<(), String> {
    pdf_extract::output_doc_page(doc, collector, number).map_err(|e| e.to_string())
}

fn load(bytes: &[u8]) -> Result<Document, PdfError> {
    let mut doc = match Document::load_mem(bytes) {
        Ok(d) => d,
        Err(pdf_extract::Error::Decryption(_)) => return Err(PdfError::Encrypted),
        Err(e) => {
            let msg = e.to_string();
            if msg.to_ascii_lowercase().contains("password")
                || msg.to_ascii_lowercase().contains("decrypt")
            {
                return Err(PdfError::Encrypted);
            }
            return Err(PdfError::Corrupt(msg));
        }
    };
    // lopdf already opens files protected only by an empty user password (permission
    // flags); anything still encrypted needs a password we do not have.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    blank_images(&mut doc);
    Ok(doc)
}

/// Empties image streams. pdf-extract runs every `Do` target as a content stream, so an
/// image's pixels would be parsed as drawing operators: slow, and a panic that loses the
/// rest of the page. Images carry no text layer, so nothing is lost.
fn blank_images(doc: &mut Document) {
    for obj in doc.objects.values_mut() {
        if let Object::Stream(s) = obj {
            let is_image = s
                .dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Image");
            if is_image {
                s.set_plain_content(Vec::new());
            }
        }
    }
}

/// Why pdf-extract must not be run on this page, if anything.
fn unsafe_page(doc: &Document, page: ObjectId) -> Option<String> {
    // Parent chain: pdf-extract follows it recursively for inherited attributes.
    let mut id = page;
    for _ in 0..64 {
        let dict = doc.get_dictionary(id).ok()?;
        match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) => id = parent,
            Err(_) => break,
        }
        if id == page {
            return Some("page tree loops".into());
        }
    }
    if doc
        .get_dictionary(id)
        .ok()
        .and_then(|d| d.get(b"Parent").ok())
        .is_some()
    {
        return Some("page tree too deep or looping".into());
    }
    // Form XObjects drawing themselves (directly or through others).
    let (own, inherited) = doc.get_page_resources(page).ok()?;
    let mut stack: Vec<(&pdf_extract::Dictionary, usize)> = Vec::new();
    if let Some(d) = own {
        stack.push((d, 0));
    }
    for rid in inherited {
        if let Ok(d) = doc.get_dictionary(rid) {
            stack.push((d, 0));
        }
    }
    let mut visits = 0usize;
    while let Some((res, depth)) = stack.pop() {
        visits += 1;
        if depth > 24 || visits > 10_000 {
            return Some("form XObjects nest too deeply (possible loop)".into());
        }
        let Ok(xobjects) = res.get(b"XObject").and_then(|o| deref_dict(doc, o)) else {
            continue;
        };
        for (_, obj) in xobjects.iter() {
            let Ok(id) = obj.as_reference() else { continue };
            let Ok(Object::Stream(s)) = doc.get_object(id) else {
                continue;
            };
            if let Ok(r) = s.dict.get(b"Resources").and_then(|o| deref_dict(doc, o)) {
                stack.push((r, depth + 1));
            }
        }
    }
    None
}

fn deref_dict<'a>(
    doc: &'a Document,
    o: &'a Object,
) -> Result<&'a pdf_extract::Dictionary, pdf_extract::Error> {
    match o {
        Object::Reference(id) => doc.get_dictionary(*id),
        other => other.as_dict(),
    }
}

fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

fn build_layout(pages: Vec<device::PageContent>) -> Layout {
    let mut notes = Vec::new();
    let mut lined: Vec<text::PageLines> = pages.iter().map(text::page_lines).collect();
    let mut tables: Vec<Vec<table::PageTable>> =
        lined.iter_mut().map(table::ruled_tables).collect();
    furniture::remove(&mut lined, &mut notes);
    for (found, tabbed) in tables.iter_mut().zip(tabstops::tables(&mut lined)) {
        found.extend(tabbed);
    }
    for (page, found) in lined.iter_mut().zip(tables.iter_mut()) {
        found.extend(table::unruled_tables(page));
        found.sort_by(|a, b| a.top.total_cmp(&b.top));
    }
    let blocks = blocks::build(lined, tables, &mut notes);
    Layout {
        pages: pages.len() as u32,
        blocks,
        notes,
    }
}

/// The source lines that tab-stop table recovery rebuilds from the whole document
/// (after furniture removal), with their cells, for debugging
/// (`cargo run -p actionplan-pdf --example pdf_layout -- FILE --tabs`).
#[doc(hidden)]
pub fn debug_tab_lines(bytes: &[u8]) -> Result<String, PdfError> {
    let (pages, _) = read_pages(bytes)?;
    let mut lined: Vec<text::PageLines> = pages.iter().map(text::page_lines).collect();
    for page in lined.iter_mut() {
        table::ruled_tables(page);
    }
    furniture::remove(&mut lined, &mut Vec::new());
    Ok(tabstops::debug_source_lines(&lined))
}

/// Lines (with runs) and ruling segments of one page as text, for debugging the
/// backend (`cargo run -p actionplan-pdf --example pdf_layout -- FILE --page N`).
#[doc(hidden)]
pub fn debug_page(bytes: &[u8], number: u32) -> Result<String, PdfError> {
    use std::fmt::Write;
    let (pages, _) = read_pages(bytes)?;
    let mut out = String::new();
    for p in pages.iter().filter(|p| p.number == number) {
        let lines = text::page_lines(p);
        let _ = writeln!(out, "page {} {}x{}", p.number, p.width, p.height);
        for l in &lines.lines {
            let runs: Vec<String> = l
                .runs
                .iter()
                .map(|r| format!("[{:.1}-{:.1} {:?}]", r.x0, r.x1, r.text))
                .collect();
            let tight: Vec<String> = l.tight.iter().map(|t| format!("{:.1}", t.1)).collect();
            let tight = if tight.is_empty() {
                String::new()
            } else {
                format!(" tight at {}", tight.join(", "))
            };
            let _ = writeln!(
                out,
                "y={:.1} size={:.1} {}{tight}",
                l.y,
                l.size,
                runs.join(" ")
            );
        }
        if std::env::var_os("AP_GLYPHS").is_some() {
            for g in &p.glyphs {
                let _ = writeln!(out, "g {:.1} {:.1} {:.1} {:?}", g.x, g.y, g.w, g.text);
            }
        }
        for s in &p.segments {
            let _ = writeln!(out, "seg {:.1},{:.1} - {:.1},{:.1}", s.x0, s.y0, s.x1, s.y1);
        }
    }
    Ok(out)
}

/// One page's straight drawn rules, for tools that need to know whether a region of a
/// page is ruled (`cargo xtask icdar` splits its scores that way).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct PageRules {
    /// 1-based page number.
    pub number: u32,
    pub width: f64,
    pub height: f64,
    /// `[x0, y0, x1, y1]` in top-down page coordinates (upright, as the text is read).
    pub segments: Vec<[f64; 4]>,
}

/// Every straight drawn edge of every page: rules (thin filled rectangles as rules, box
/// outlines as their four edges) and the edges of shading fills, which the table finder
/// does not use as rules.
#[doc(hidden)]
pub fn debug_rules(bytes: &[u8]) -> Result<Vec<PageRules>, PdfError> {
    let (pages, _) = read_pages(bytes)?;
    Ok(pages
        .iter()
        .map(|p| PageRules {
            number: p.number,
            width: p.width,
            height: p.height,
            segments: p
                .segments
                .iter()
                .chain(&p.shading)
                .map(|s| [s.x0, s.y0, s.x1, s.y1])
                .collect(),
        })
        .collect())
}
