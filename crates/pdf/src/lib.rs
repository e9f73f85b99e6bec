//! PDF backend: rebuilds the shared layout from positioned characters and drawn lines.

use actionplan_layout::Layout;

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

/// Reads a PDF into the shared layout.
pub fn pdf_layout(_bytes: &[u8]) -> Result<Layout, PdfError> {
    Err(PdfError::Corrupt("PDF backend not implemented yet".into()))
}
