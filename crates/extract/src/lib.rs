//! Text and HTML backends: decode bytes, then rebuild the shared [`Layout`] from
//! markdown-ish headings, tab-separated table rows, HTML fragments and running headers.
//!
//! Invariants: no file I/O (callers pass bytes); never panics on any input.

pub mod decode;
pub mod html;
pub mod text;

pub use actionplan_layout::Layout;
pub use decode::{decode, Decoded, DecodeError};

/// Layout of a plain-text export (which may contain HTML fragments).
pub fn text_layout(text: &str) -> Layout {
    text::layout(text)
}

/// Layout of an HTML page.
pub fn html_layout(html: &str) -> Layout {
    html::layout(html)
}

/// True when decoded text is an HTML document rather than a text export with fragments.
pub fn looks_like_html_document(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<html")
        || (head.starts_with("<?xml") && head.contains("<html"))
}
