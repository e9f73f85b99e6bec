//! From a file to a [`Document`]: size checks, format sniffing by content, decoding,
//! the right backend, normalization, and the source record (hash, pages, extractor).
//!
//! Invariants: the only crate that knows which backends exist; a failure is an
//! [`ExtractError`] naming the file and the reason, never a panic.

use std::path::Path;

use actionplan_layout::Layout;
use actionplan_model::{Document, Source, SourceFormat};

/// Digest (12 hex digits) of the sources and data files that decide extraction
/// output (`crates/{model,layout,extract,pdf,normalize,pipeline}`, `data/`),
/// computed by `build.rs` at build time: any change to them changes it.
pub const EXTRACTION_HASH: &str = env!("ACTIONPLAN_EXTRACTION_HASH");

/// Name and version of this extractor, recorded in every document's source:
/// the release and the [`EXTRACTION_HASH`], e.g. `actionplan 0.1.0+3f9c0a1b2d4e`.
pub const EXTRACTOR: &str = concat!(
    "actionplan ",
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("ACTIONPLAN_EXTRACTION_HASH")
);

/// What the dataset manifest records for each extraction and compares: a file
/// recorded with any other value is extracted again. Derived from the sources
/// ([`EXTRACTOR`]), so it cannot go stale when extraction changes.
///
/// (Before it was derived, it was a number bumped by hand: 2 read Word .docx
/// files, 3 read ruled PDF tables, text exports without spaces, timed transcripts,
/// and more; manifests holding those numbers are re-extracted.)
pub const EXTRACTOR_REVISION: &str = EXTRACTOR;

/// Largest file accepted (bytes). Council papers are rarely over 50 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Deepest level of actions kept (a top-level action is level 1, its steps level
/// 2, …). Each level is two levels of JSON, and JSON readers (serde_json among
/// them) refuse documents nested more than 128 deep, so a paper with refs
/// `1.1.1.1…` 64 levels deep would be written but could not be read back.
pub const MAX_STEP_DEPTH: usize = 32;

/// Flattens step chains deeper than [`MAX_STEP_DEPTH`]: the steps below the last
/// level kept are listed, in reading order, as steps of their ancestor at the
/// level above it; a diagnostic says how many. Returns that number.
pub fn bound_nesting(doc: &mut Document) -> usize {
    fn cap(actions: &mut [actionplan_model::Action], level: usize, moved: &mut usize) {
        for a in actions {
            if level + 1 >= MAX_STEP_DEPTH {
                // a's steps are at the last level kept: bring their descendants up.
                let mut flat = Vec::with_capacity(a.steps.len());
                let mut stack: Vec<actionplan_model::Action> =
                    std::mem::take(&mut a.steps).into_iter().rev().collect();
                let mut first_level = stack.len();
                while let Some(mut s) = stack.pop() {
                    let kids = std::mem::take(&mut s.steps);
                    if first_level > 0 {
                        first_level -= 1;
                    } else {
                        *moved += 1;
                    }
                    stack.extend(kids.into_iter().rev());
                    flat.push(s);
                }
                a.steps = flat;
            } else {
                cap(&mut a.steps, level + 1, moved);
            }
        }
    }
    let mut moved = 0;
    for r in &mut doc.recommendations {
        cap(&mut r.actions, 1, &mut moved);
    }
    if moved > 0 {
        doc.diagnostics.push(actionplan_model::Diagnostic {
            page: None,
            message: format!(
                "steps nested more than {MAX_STEP_DEPTH} levels deep: {moved} deeper steps are listed at level {MAX_STEP_DEPTH}"
            ),
        });
    }
    moved
}

/// Why a file could not be turned into a document.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: is a directory, not a paper")]
    Directory { path: String },
    /// A named pipe, socket or device: never read (it could block or never end).
    #[error("{path}: is a {what}, not a regular file; refusing to read it")]
    SpecialFile { path: String, what: &'static str },
    #[error("{path}: file is empty")]
    Empty { path: String },
    #[error("{path}: file is too large ({bytes} bytes; the limit is {limit})")]
    TooLarge {
        path: String,
        bytes: u64,
        limit: u64,
    },
    #[error("{path}: unsupported format: {reason}")]
    Unsupported { path: String, reason: String },
    #[error("{path}: {source}")]
    Pdf {
        path: String,
        source: actionplan_pdf::PdfError,
    },
    /// A Word 97–2003 binary document (OLE2 compound file).
    #[error("{path}: Word 97 .doc is not supported; save as .docx or PDF")]
    WordDoc { path: String },
    /// A Word .docx file that could not be read.
    #[error("{path}: docx: {source}")]
    Docx {
        path: String,
        source: actionplan_extract::DocxError,
    },
}

impl ExtractError {
    /// A short machine-readable reason ("empty", "unsupported", "pdf_encrypted", …).
    /// A Word 97 .doc is "unsupported", like any other format we do not read.
    pub fn kind(&self) -> &'static str {
        use actionplan_extract::DocxError as D;
        use actionplan_pdf::PdfError as P;
        match self {
            ExtractError::Io { .. } => "io",
            ExtractError::Directory { .. } => "directory",
            ExtractError::SpecialFile { .. } => "special_file",
            ExtractError::Empty { .. } => "empty",
            ExtractError::TooLarge { .. } => "too_large",
            ExtractError::Unsupported { .. } => "unsupported",
            ExtractError::Pdf { source, .. } => match source {
                P::Encrypted => "pdf_encrypted",
                P::NoTextLayer => "pdf_no_text",
                P::Corrupt(_) => "pdf_corrupt",
                P::Panicked(_) => "pdf_panic",
            },
            ExtractError::WordDoc { .. } => "unsupported",
            ExtractError::Docx { source, .. } => match source {
                D::TooLarge { .. } | D::TooManyNodes { .. } => "docx_too_large",
                D::Panicked(_) => "docx_panic",
                D::NotWord => "unsupported",
                D::Zip(_) | D::Xml { .. } | D::TooDeep { .. } => "docx_corrupt",
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
    /// A ZIP archive with a `word/document.xml` entry.
    Docx,
    /// A ZIP archive that is not a Word document (a spreadsheet, an OpenDocument file, …).
    Zip,
    /// An OLE2 compound file: a Word 97–2003 .doc (or another legacy Office file).
    Ole2,
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
    // Container magic first: a PDF embedded in an archive is not a PDF paper.
    if bytes.starts_with(b"PK\x03\x04") {
        return if actionplan_extract::docx::is_word_package(bytes) {
            Sniffed::Docx
        } else {
            Sniffed::Zip
        };
    }
    if bytes.starts_with(&OLE2_MAGIC) {
        return Sniffed::Ole2;
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

/// First bytes of an OLE2 compound file (Word 97–2003, Excel 97–2003, encrypted OOXML).
const OLE2_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// "EncryptedPackage" in UTF-16LE: the stream a password-protected .docx is kept in.
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    find(bytes, &name).is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Checks that `path` (after following symlinks) is a regular file we may read
/// whole: not a folder, not a FIFO, socket or device (which could block forever or
/// never end, like `/dev/zero`), and not over [`MAX_FILE_BYTES`]. Returns its size.
pub fn check_readable(path: &Path) -> Result<u64, ExtractError> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|source| ExtractError::Io {
        path: label.clone(),
        source,
    })?;
    if meta.is_dir() {
        return Err(ExtractError::Directory { path: label });
    }
    if !meta.is_file() {
        return Err(ExtractError::SpecialFile {
            path: label,
            what: special_kind(&meta),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge {
            path: label,
            bytes: meta.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(meta.len())
}

fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "named pipe (FIFO)";
        }
        if t.is_socket() {
            return "socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "device";
        }
    }
    let _ = meta;
    "special file"
}

/// Reads and extracts one file.
pub fn extract_file(path: &Path) -> Result<Document, ExtractError> {
    let label = path.display().to_string();
    check_readable(path)?;
    let bytes = std::fs::read(path).map_err(|source| ExtractError::Io {
        path: label.clone(),
        source,
    })?;
    extract_bytes(&label, &bytes)
}

/// Extracts a document from bytes already in memory; `path` is recorded as its source.
pub fn extract_bytes(path: &str, bytes: &[u8]) -> Result<Document, ExtractError> {
    let (layout, format, encoding) = layout_bytes(path, bytes)?;
    let sha = actionplan_model::sha256_hex(bytes);
    let source = Source {
        path: path.to_owned(),
        format,
        sha256: sha.clone(),
        bytes: bytes.len() as u64,
        pages: layout.pages.max(1),
        encoding: encoding.map(str::to_owned),
        extractor: EXTRACTOR.to_owned(),
    };
    let mut doc =
        actionplan_normalize::normalize(&layout, source, actionplan_model::document_id(&sha));
    bound_nesting(&mut doc);
    Ok(doc)
}

/// The layout of a file's bytes, with the format and text encoding used.
pub fn layout_bytes(
    path: &str,
    bytes: &[u8],
) -> Result<(Layout, SourceFormat, Option<&'static str>), ExtractError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ExtractError::TooLarge {
            path: path.into(),
            bytes: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    match sniff(bytes) {
        Sniffed::Empty => Err(ExtractError::Empty { path: path.into() }),
        Sniffed::Pdf => actionplan_pdf::pdf_layout(bytes)
            .map(|l| (l, SourceFormat::Pdf, None))
            .map_err(|source| ExtractError::Pdf {
                path: path.into(),
                source,
            }),
        Sniffed::Docx => actionplan_extract::docx_layout(bytes)
            .map(|l| (l, SourceFormat::Docx, None))
            .map_err(|source| match source {
                actionplan_extract::DocxError::NotWord => not_word(path, bytes),
                source => ExtractError::Docx {
                    path: path.into(),
                    source,
                },
            }),
        Sniffed::Zip => Err(not_word(path, bytes)),
        Sniffed::Ole2 if is_encrypted_ooxml(bytes) => Err(ExtractError::Unsupported {
            path: path.into(),
            reason:
                "password-protected Office document; remove the password and save as .docx or PDF"
                    .into(),
        }),
        Sniffed::Ole2 => Err(ExtractError::WordDoc { path: path.into() }),
        Sniffed::Other => {
            let reason = match actionplan_extract::decode(bytes) {
                Err(e) => e.to_string(),
                Ok(_) => "not a PDF, Word, HTML or text paper".into(),
            };
            Err(ExtractError::Unsupported {
                path: path.into(),
                reason,
            })
        }
        Sniffed::Html | Sniffed::Text => {
            let decoded =
                actionplan_extract::decode(bytes).map_err(|e| ExtractError::Unsupported {
                    path: path.into(),
                    reason: e.to_string(),
                })?;
            if actionplan_extract::looks_like_html_document(&decoded.text) {
                Ok((
                    actionplan_extract::html_layout(&decoded.text),
                    SourceFormat::Html,
                    Some(decoded.encoding),
                ))
            } else {
                Ok((
                    actionplan_extract::text_layout(&decoded.text),
                    SourceFormat::Text,
                    Some(decoded.encoding),
                ))
            }
        }
    }
}

fn not_word(path: &str, bytes: &[u8]) -> ExtractError {
    let reason = match actionplan_extract::docx::zip_kind_hint(bytes) {
        Some(kind) => format!("zip archive that is not a Word document ({kind})"),
        None => "zip archive that is not a Word document".into(),
    };
    ExtractError::Unsupported {
        path: path.into(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_is_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Sniffed::Pdf);
        assert_eq!(
            sniff(b"<!DOCTYPE html><html><body>x</body></html>"),
            Sniffed::Html
        );
        assert_eq!(sniff(b"Recommendation 1\tLead"), Sniffed::Text);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Sniffed::Other);
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(
            sniff(b"PK\x03\x04\x14\0\0\0 word/document.xml"),
            Sniffed::Docx
        );
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0 xl/workbook.xml"), Sniffed::Zip);
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Sniffed::Ole2
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_without_reading() {
        let e = extract_file(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(e.kind(), "special_file");
        assert!(
            e.to_string().contains("/dev/zero") && e.to_string().contains("device"),
            "{e}"
        );
        let dir = std::env::temp_dir().join(format!("actionplan-fifo-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        let status = std::process::Command::new("mkfifo").arg(&dir).status();
        if status.map(|s| s.success()).unwrap_or(false) {
            // Opening a FIFO with no writer would block: the check must not open it.
            let e = extract_file(&dir).unwrap_err();
            let _ = std::fs::remove_file(&dir);
            assert!(e.to_string().contains("FIFO"), "{e}");
        }
    }

    #[test]
    fn step_chains_64_deep_are_bounded_and_read_back() {
        let text = "Recommendation 1\tImprove things by March 2009\n";
        let mut doc = extract_bytes("deep.txt", text.as_bytes()).unwrap();
        // A chain of refs 1.1, 1.1.1, … 64 levels deep under one action.
        let mut chain = actionplan_model::Action::new("level 64", 1);
        for level in (1..64).rev() {
            let mut a = actionplan_model::Action::new(format!("level {level}"), 1);
            a.steps.push(chain);
            chain = a;
        }
        if doc.recommendations.is_empty() {
            doc.recommendations
                .push(actionplan_model::Recommendation::new("r", 1));
        }
        doc.recommendations[0].actions.push(chain);
        let before = doc.all_actions().count();
        let unbounded = serde_json::to_string(&doc).unwrap();
        assert!(
            serde_json::from_str::<Document>(&unbounded).is_err(),
            "serde_json refuses 64 levels"
        );
        let moved = bound_nesting(&mut doc);
        assert_eq!(moved, 64 - MAX_STEP_DEPTH);
        assert_eq!(doc.all_actions().count(), before, "no step is lost");
        let json = serde_json::to_string(&doc).unwrap();
        let back: Document = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, doc);
        let texts: Vec<_> = back
            .all_actions()
            .map(|(_, a)| a.text.as_str())
            .filter(|t| t.starts_with("level"))
            .collect();
        let expected: Vec<String> = (1..=64).map(|l| format!("level {l}")).collect();
        assert_eq!(texts, expected, "reading order kept");
        assert!(back
            .diagnostics
            .iter()
            .any(|d| d.message.contains("nested more than")));
    }

    #[test]
    fn errors_name_the_file() {
        let e = extract_bytes("papers/empty.txt", b"").unwrap_err();
        assert!(e.to_string().starts_with("papers/empty.txt: "), "{e}");
        assert_eq!(e.kind(), "empty");
        let e = extract_bytes("x.bin", b"\0\x01\x02binary\0").unwrap_err();
        assert!(
            e.to_string().contains("x.bin") && e.to_string().contains("binary"),
            "{e}"
        );
    }
}

#[cfg(test)]
#[path = "../extraction_hash.rs"]
mod extraction_hash;

#[cfg(test)]
mod extraction_hash_tests {
    use super::extraction_hash::{extraction_hash, EXTRACTION_INPUTS};

    fn workspace() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn the_baked_hash_is_that_of_the_sources_now() {
        // Fails if the build did not rerun after an extraction source changed.
        assert_eq!(
            extraction_hash(&workspace()).unwrap(),
            super::EXTRACTION_HASH
        );
        assert_eq!(
            super::EXTRACTOR,
            format!(
                "actionplan {}+{}",
                env!("CARGO_PKG_VERSION"),
                super::EXTRACTION_HASH
            )
        );
        assert_eq!(super::EXTRACTION_HASH.len(), 12);
    }

    #[test]
    fn any_change_to_a_source_or_data_file_changes_the_hash() {
        let dir = tempfile::tempdir().unwrap();
        for input in EXTRACTION_INPUTS {
            let to = dir.path().join(input);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            if input.ends_with(".toml") || input.ends_with(".rs") {
                std::fs::write(&to, "x").unwrap();
            } else {
                std::fs::create_dir_all(&to).unwrap();
                std::fs::write(to.join("a.rs"), "fn a() {}").unwrap();
            }
        }
        let before = extraction_hash(dir.path()).unwrap();
        std::fs::write(dir.path().join("data/a.rs"), "fn a() { }").unwrap();
        let data_changed = extraction_hash(dir.path()).unwrap();
        assert_ne!(before, data_changed);
        std::fs::create_dir_all(dir.path().join("crates/normalize/src/deep")).unwrap();
        std::fs::write(dir.path().join("crates/normalize/src/deep/new.rs"), "").unwrap();
        assert_ne!(
            extraction_hash(dir.path()).unwrap(),
            data_changed,
            "a new file counts"
        );
        // Unrelated crates do not count.
        let now = extraction_hash(dir.path()).unwrap();
        std::fs::create_dir_all(dir.path().join("crates/index/src")).unwrap();
        std::fs::write(dir.path().join("crates/index/src/lib.rs"), "fn i() {}").unwrap();
        assert_eq!(extraction_hash(dir.path()).unwrap(), now);
    }
}
