//! From a file to a [`Document`]: size checks, format sniffing by content, decoding,
//! the right backend, normalization, and the source record (hash, pages, extractor).
//!
//! Invariants: the only crate that knows which backends exist; a failure is an
//! [`ExtractError`] naming the file and the reason, never a panic.

use std::path::Path;

use actionplan_layout::Layout;
use actionplan_model::{Document, Source, SourceFormat};
use sha2::{Digest, Sha256};

/// Name and version of this extractor, recorded in every document's source.
pub const EXTRACTOR: &str = concat!("actionplan ", env!("CARGO_PKG_VERSION"));

/// Bumped whenever extraction output may change for the same input; the dataset
/// manifest re-extracts files recorded with an older revision.
pub const EXTRACTOR_REVISION: u32 = 1;

/// Largest file accepted (bytes). Council papers are rarely over 50 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a file could not be turned into a document.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{path}: cannot read: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: is a directory, not a paper")]
    Directory { path: String },
    #[error("{path}: file is empty")]
    Empty { path: String },
    #[error("{path}: file is too large ({bytes} bytes; the limit is {limit})")]
    TooLarge { path: String, bytes: u64, limit: u64 },
    #[error("{path}: unsupported format: {reason}")]
    Unsupported { path: String, reason: String },
    #[error("{path}: {source}")]
    Pdf { path: String, source: actionplan_pdf::PdfError },
}

impl ExtractError {
    /// A short machine-readable reason ("empty", "binary", "pdf_encrypted", …).
    pub fn kind(&self) -> &'static str {
        use actionplan_pdf::PdfError as P;
        match self {
            ExtractError::Io { .. } => "io",
            ExtractError::Directory { .. } => "directory",
            ExtractError::Empty { .. } => "empty",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::Unsupported { .. } => "unsupported",
            ExtractError::Pdf { source, .. } => match source {
                P::Encrypted => "pdf_encrypted",
                P::NoTextLayer => "pdf_no_text",
                P::Corrupt(_) => "pdf_corrupt",
                P::Panicked(_) => "pdf_panic",
            },
        }
    }
}

/// What the bytes of a file are, judged by content, not by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Pdf,
    Html,
    Text,
    /// Not a paper format we read (binary data of another kind).
    Other,
    Empty,
}

/// Judges a file's format from its first bytes.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(1024)];
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Sniffed::Empty;
    }
    if find(head, b"%PDF-").is_some() {
        return Sniffed::Pdf;
    }
    // Classify from a prefix: decoding a whole large file just to name its format is waste.
    let mut end = bytes.len().min(16 * 1024);
    while end < bytes.len() && end > 0 && (bytes[end] & 0xC0) == 0x80 {
        end -= 1; // do not cut a UTF-8 sequence in half
    }
    match actionplan_extract::decode(&bytes[..end]) {
        Ok(d) if actionplan_extract::looks_like_html_document(&d.text) => Sniffed::Html,
        Ok(_) => Sniffed::Text,
        Err(actionplan_extract::DecodeError::Empty) => Sniffed::Empty,
        Err(_) => Sniffed::Other,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads and extracts one file.
pub fn extract_file(path: &Path) -> Result<Document, ExtractError> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ExtractError::Io { path: label.clone(), source })?;
    if meta.is_dir() {
        return Err(ExtractError::Directory { path: label });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge { path: label, bytes: meta.len(), limit: MAX_FILE_BYTES });
    }
    let bytes = std::fs::read(path).map_err(|source| ExtractError::Io { path: label.clone(), source })?;
    extract_bytes(&label, &bytes)
}

/// Extracts a document from bytes already in memory; `path` is recorded as its source.
pub fn extract_bytes(path: &str, bytes: &[u8]) -> Result<Document, ExtractError> {
    let (layout, format, encoding) = layout_bytes(path, bytes)?;
    let sha = hex(&Sha256::digest(bytes));
    let source = Source {
        path: path.to_owned(),
        format,
        sha256: sha.clone(),
        bytes: bytes.len() as u64,
        pages: layout.pages.max(1),
        encoding: encoding.map(str::to_owned),
        extractor: EXTRACTOR.to_owned(),
    };
    Ok(actionplan_normalize::normalize(&layout, source, sha[..16].to_owned()))
}

/// The layout of a file's bytes, with the format and text encoding used.
pub fn layout_bytes(
    path: &str,
    bytes: &[u8],
) -> Result<(Layout, SourceFormat, Option<&'static str>), ExtractError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge { path: path.into(), bytes: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    match sniff(bytes) {
        Sniffed::Empty => Err(ExtractError::Empty { path: path.into() }),
        Sniffed::Pdf => actionplan_pdf::pdf_layout(bytes)
            .map(|l| (l, SourceFormat::Pdf, None))
            .map_err(|source| ExtractError::Pdf { path: path.into(), source }),
        Sniffed::Other => {
            let reason = match actionplan_extract::decode(bytes) {
                Err(e) => e.to_string(),
                Ok(_) => "not a PDF, HTML or text paper".into(),
            };
            Err(ExtractError::Unsupported { path: path.into(), reason })
        }
        Sniffed::Html | Sniffed::Text => {
            let decoded = actionplan_extract::decode(bytes)
                .map_err(|e| ExtractError::Unsupported { path: path.into(), reason: e.to_string() })?;
            if actionplan_extract::looks_like_html_document(&decoded.text) {
                Ok((actionplan_extract::html_layout(&decoded.text), SourceFormat::Html, Some(decoded.encoding)))
            } else {
                Ok((actionplan_extract::text_layout(&decoded.text), SourceFormat::Text, Some(decoded.encoding)))
            }
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_is_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Sniffed::Pdf);
        assert_eq!(sniff(b"<!DOCTYPE html><html><body>x</body></html>"), Sniffed::Html);
        assert_eq!(sniff(b"Recommendation 1\tLead"), Sniffed::Text);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Sniffed::Other);
        assert_eq!(sniff(b""), Sniffed::Empty);
    }

    #[test]
    fn errors_name_the_file() {
        let e = extract_bytes("papers/empty.txt", b"").unwrap_err();
        assert!(e.to_string().starts_with("papers/empty.txt: "), "{e}");
        assert_eq!(e.kind(), "empty");
        let e = extract_bytes("x.bin", b"\0\x01\x02binary\0").unwrap_err();
        assert!(e.to_string().contains("x.bin") && e.to_string().contains("binary"), "{e}");
    }
}
