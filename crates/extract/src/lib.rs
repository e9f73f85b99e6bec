//! Text, HTML and Word (.docx) backends: decode bytes, then rebuild the shared [`Layout`]
//! from markdown-ish headings, tab-separated table rows, HTML fragments and running
//! headers, or from a Word document's paragraphs, numbering and tables.
//!
//! Invariants: no file I/O (callers pass bytes); never panics on any input.

pub mod decode;
pub mod docx;
pub mod html;
pub mod records;
pub mod text;

pub use actionplan_layout::Layout;
pub use decode::{decode, DecodeError, Decoded};
pub use docx::DocxError;

/// Layout of a plain-text export (which may contain HTML fragments).
pub fn text_layout(text: &str) -> Layout {
    text::layout(text)
}

/// Layout of an HTML page.
pub fn html_layout(html: &str) -> Layout {
    html::layout(html)
}

/// Layout of a Word .docx file (the ZIP package's bytes).
pub fn docx_layout(bytes: &[u8]) -> Result<Layout, DocxError> {
    docx::layout(bytes)
}

/// True when decoded text is an HTML document rather than a text export with fragments.
pub fn looks_like_html_document(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<html")
        || (head.starts_with("<?xml") && head.contains("<html"))
}
