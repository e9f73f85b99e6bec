//! Word (.docx) backend: the ZIP package, `word/document.xml` read with quick-xml, heading
//! styles from `word/styles.xml` and printed list numbers from `word/numbering.xml`,
//! rebuilt as the shared [`Layout`] (headings, paragraphs, list items, tables of real cells).
//!
//! What is kept and dropped:
//! - Paragraphs become headings (style `Heading N`, a style named "heading N", "Title", or
//!   an outline level), list items (numbering with the printed marker, "1.", "a)", "1.1";
//!   bullets have none; depth is the numbering level) or paragraphs.
//! - Tables keep the grid: a cell spanning columns (`gridSpan`) is followed by empty cells,
//!   the continuation of a vertical merge is an empty cell (the row above keeps the text),
//!   header rows (`tblHeader`) repeated later in the table are dropped, nested tables are
//!   flattened into the cell's parts, each paragraph of a cell is its own part.
//! - Pages are counted from `w:br w:type="page"`, `w:lastRenderedPageBreak`, "page break
//!   before" and section breaks; there are no source lines.
//! - Deleted revisions, field codes, hidden text, symbols and the fallback copy of
//!   drawings are skipped; inserted revisions and text boxes are kept.
//!
//! Invariants: bytes in, no file I/O; never panics (a panic in a dependency is caught and
//! returned as an error); decompressed part sizes, element nesting, the number of
//! elements kept and the empty cells added for merges are all bounded.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use actionplan_layout::{squash, Block, BlockKind, Cell, Layout, Note, Part, Row, Table};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::result::ZipError;
use zip::ZipArchive;

/// Largest decompressed `word/document.xml` accepted (bytes); more is taken for a zip bomb.
pub const MAX_DOCUMENT_XML: u64 = 200 * 1024 * 1024;
/// Largest decompressed `word/styles.xml` or `word/numbering.xml` accepted (bytes).
pub const MAX_PART_XML: u64 = 32 * 1024 * 1024;
/// Deepest element nesting accepted in any part.
pub const MAX_DEPTH: usize = 256;
/// The most grid columns a table may declare, and the most columns one cell may span.
const MAX_GRID: usize = 1000;
const MAX_SPAN: usize = 64;
/// The most cells kept in one table row.
const MAX_ROW_CELLS: usize = 4096;
/// The most empty cells added to a document for spans, merges and padding.
const MAX_FILLER_CELLS: usize = 2_000_000;

const DOCUMENT: &str = "word/document.xml";
const STYLES: &str = "word/styles.xml";
const NUMBERING: &str = "word/numbering.xml";

/// Why a .docx file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// The ZIP container is truncated, corrupt, encrypted or uses an unknown compression.
    #[error("not a readable zip archive: {0}")]
    Zip(String),
    /// A readable ZIP archive without `word/document.xml` (a spreadsheet, presentation, …).
    #[error("zip archive that is not a Word document (it has no word/document.xml)")]
    NotWord,
    /// A part decompresses to more than its limit.
    #[error("{part} expands to more than {limit} bytes; refused as a possible zip bomb")]
    TooLarge { part: String, limit: u64 },
    /// `word/document.xml` is not well-formed XML.
    #[error("{part} is not well-formed XML: {reason}")]
    Xml { part: String, reason: String },
    /// Elements nest deeper than [`MAX_DEPTH`].
    #[error("{part} nests elements deeper than {limit} levels")]
    TooDeep { part: String, limit: usize },
    /// A part holds more than [`MAX_NODES`] elements worth keeping.
    #[error("{part} has more than {limit} elements; refused as too large to read")]
    TooManyNodes { part: String, limit: usize },
    /// A dependency panicked on this input (caught).
    #[error("the Word reader failed on this file: {0}")]
    Panicked(String),
}

/// True when `bytes` are a ZIP archive holding `word/document.xml`. Reads the central
/// directory; when that is unreadable (a truncated file) looks for the entry's name in
/// the local headers, so a damaged Word file is still reported as one.
pub fn is_word_package(bytes: &[u8]) -> bool {
    if !bytes.starts_with(b"PK\x03\x04") {
        return false;
    }
    let opened = std::panic::catch_unwind(|| {
        ZipArchive::new(Cursor::new(bytes))
            .ok()
            .map(|a| find_entry(&a, DOCUMENT).is_some())
    });
    match opened {
        Ok(Some(found)) => found,
        _ => find(bytes, DOCUMENT.as_bytes()),
    }
}

/// What a ZIP archive that is not a Word document seems to be, for error messages.
pub fn zip_kind_hint(bytes: &[u8]) -> Option<&'static str> {
    if find(bytes, b"xl/workbook.xml") {
        Some("an Excel .xlsx workbook")
    } else if find(bytes, b"ppt/presentation.xml") {
        Some("a PowerPoint .pptx presentation")
    } else if find(bytes, b"application/vnd.oasis.opendocument") {
        Some("an OpenDocument file")
    } else {
        None
    }
}

fn find(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Layout of a .docx file's bytes.
pub fn layout(bytes: &[u8]) -> Result<Layout, DocxError> {
    match std::panic::catch_unwind(|| read(bytes)) {
        Ok(result) => result,
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(DocxError::Panicked(reason))
        }
    }
}

fn read(bytes: &[u8]) -> Result<Layout, DocxError> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::Zip(e.to_string()))?;
    let Some(document_index) = find_entry(&archive, DOCUMENT) else {
        return Err(DocxError::NotWord);
    };
    let mut notes = Vec::new();
    let styles = match optional_part(&mut archive, STYLES, skip_in_styles)? {
        Ok(Some(root)) => Styles::parse(&root),
        Ok(None) => Styles::default(),
        Err(e) => {
            notes.push(Note {
                page: None,
                message: format!("docx: {e}; headings found by style id only"),
            });
            Styles::default()
        }
    };
    let numbering = match optional_part(&mut archive, NUMBERING, skip_in_numbering)? {
        Ok(Some(root)) => Numbering::parse(&root),
        Ok(None) => Numbering::default(),
        Err(e) => {
            notes.push(Note {
                page: None,
                message: format!("docx: {e}; list numbers not shown"),
            });
            Numbering::default()
        }
    };
    let xml = read_entry(&mut archive, document_index, DOCUMENT, MAX_DOCUMENT_XML)?;
    let root = parse_xml(DOCUMENT, &xml, skip_in_document)?;
    drop(xml);

    let mut doc = Doc {
        styles: &styles,
        numbering,
        page: 1,
        content_on_page: false,
        dropped_headers: Vec::new(),
        filler_left: MAX_FILLER_CELLS,
    };
    let mut blocks = Vec::new();
    doc.blocks(&root, &mut blocks);
    for (page, n) in doc.dropped_headers {
        let rows = if n == 1 { "row" } else { "rows" };
        notes.push(Note {
            page: Some(page),
            message: format!("removed {n} repeated table header {rows}"),
        });
    }
    let pages = blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Table(t) => t.rows.iter().map(|r| r.page).max().unwrap_or(b.page),
            _ => b.page,
        })
        .max()
        .unwrap_or(1)
        .max(1);
    Ok(Layout {
        pages,
        blocks,
        notes,
    })
}

/// Index of the entry `name`, matched exactly or, failing that, ignoring case.
fn find_entry<R: Read + std::io::Seek>(archive: &ZipArchive<R>, name: &str) -> Option<usize> {
    archive.index_for_name(name).or_else(|| {
        archive.file_names().enumerate().find_map(|(i, n)| match n {
            Ok(n) if n.eq_ignore_ascii_case(name) => Some(i),
            _ => None,
        })
    })
}

type Archive<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Reads and parses an optional part. The outer error (a zip bomb) is fatal; the inner
/// one (unreadable or malformed part) only loses what the part would have added.
fn optional_part(
    archive: &mut Archive<'_>,
    name: &str,
    skip: fn(&str) -> bool,
) -> Result<Result<Option<El>, DocxError>, DocxError> {
    let Some(index) = find_entry(archive, name) else {
        return Ok(Ok(None));
    };
    let xml = match read_entry(archive, index, name, MAX_PART_XML) {
        Ok(x) => x,
        Err(e @ DocxError::TooLarge { .. }) => return Err(e),
        Err(e) => return Ok(Err(e)),
    };
    Ok(parse_xml(name, &xml, skip).map(Some))
}

fn read_entry(
    archive: &mut Archive<'_>,
    index: usize,
    name: &str,
    limit: u64,
) -> Result<String, DocxError> {
    let too_large = || DocxError::TooLarge {
        part: name.to_owned(),
        limit,
    };
    let mut file = match archive.by_index(index) {
        Ok(f) => f,
        Err(ZipError::FileNotFound) => return Ok(String::new()),
        Err(e) => return Err(DocxError::Zip(format!("{name}: {e}"))),
    };
    if file.size() > limit {
        return Err(too_large());
    }
    let mut buf = Vec::new();
    (&mut file)
        .take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(|e| DocxError::Zip(format!("{name}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(xml_text(buf))
}

/// XML bytes to text: UTF-8 (BOM optional), UTF-16 with a BOM, or lossy UTF-8.
fn xml_text(mut buf: Vec<u8>) -> String {
    if buf.starts_with(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE.decode(&buf).0.into_owned();
    }
    if buf.starts_with(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE.decode(&buf).0.into_owned();
    }
    if buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
        buf.drain(..3);
    }
    match String::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// A pruned element tree: only the elements read below (by local name) become nodes; the
// children of any other element (hyperlinks, content controls, inserted revisions,
// drawings, …) are hoisted into the nearest kept ancestor. Text is kept only from `t`.

#[derive(Debug, Default)]
struct El {
    name: &'static str,
    attrs: Box<[(&'static str, Box<str>)]>,
    children: Vec<Node>,
    /// A run whose properties hide it (`w:vanish`).
    hidden: bool,
}

#[derive(Debug)]
enum Node {
    El(El),
    /// The text of one `w:t` (or `m:t`).
    Text(Box<str>),
}

/// Elements kept in the tree, from document, styles and numbering parts.
const KEPT: &[&str] = &[
    // document: paragraphs and runs
    "p",
    "pPr",
    "pStyle",
    "numPr",
    "ilvl",
    "numId",
    "outlineLvl",
    "pageBreakBefore",
    "sectPr",
    "type",
    "r",
    "tab",
    "ptab",
    "br",
    "cr",
    "noBreakHyphen",
    "lastRenderedPageBreak",
    "txbxContent",
    // document: tables
    "tbl",
    "tblGrid",
    "gridCol",
    "tr",
    "trPr",
    "tblHeader",
    "gridBefore",
    "gridAfter",
    "tc",
    "tcPr",
    "gridSpan",
    "vMerge",
    "hMerge",
    // styles
    "style",
    "name",
    "basedOn",
    // numbering
    "abstractNum",
    "lvl",
    "start",
    "numFmt",
    "lvlText",
    "isLgl",
    "lvlRestart",
    "numStyleLink",
    "num",
    "abstractNumId",
    "lvlOverride",
    "startOverride",
];

/// Attributes kept from any element (by local name).
const KEPT_ATTRS: &[&str] = &[
    "val",
    "type",
    "styleId",
    "numId",
    "abstractNumId",
    "ilvl",
    "default",
];

/// Most nodes (elements and texts) kept from one part: bounds memory on inputs made of
/// millions of tiny elements.
pub const MAX_NODES: usize = 8_000_000;

fn kept(name: &str) -> Option<&'static str> {
    KEPT.iter().find(|k| **k == name).copied()
}

impl El {
    fn new(name: &'static str, start: &BytesStart<'_>) -> El {
        let mut attrs = Vec::new();
        for a in start.attributes().with_checks(false).flatten() {
            let key = a.key.local_name().into_inner();
            if let Some(key) = KEPT_ATTRS.iter().find(|k| **k == key) {
                let value = match a.normalized_value(XmlVersion::Implicit1_0) {
                    Ok(v) => v.into_owned(),
                    Err(_) => a.value.clone().into_owned(),
                };
                attrs.push((*key, value.into_boxed_str()));
            }
        }
        El {
            name,
            attrs: attrs.into_boxed_slice(),
            children: Vec::new(),
            hidden: false,
        }
    }

    fn is(&self, name: &str) -> bool {
        self.name == name
    }

    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| &**v)
    }

    fn val(&self) -> Option<&str> {
        self.attr("val")
    }

    fn elements(&self) -> impl Iterator<Item = &El> {
        self.children.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.is(name))
    }

    /// An on/off property: present and not switched off.
    fn on(&self) -> bool {
        !matches!(self.val(), Some("0" | "false" | "off" | "none"))
    }

    fn number<T: std::str::FromStr>(&self) -> Option<T> {
        self.val().and_then(|v| v.trim().parse().ok())
    }
}

fn on(el: Option<&El>) -> bool {
    el.is_some_and(El::on)
}

/// Subtrees dropped from `word/document.xml`: deleted and moved-away revisions, field
/// codes, content-control properties, the old properties of tracked formatting changes,
/// and the fallback copy of drawings (it repeats the text boxes of the preferred copy).
fn skip_in_document(name: &str) -> bool {
    matches!(
        name,
        "rPr"
            | "del"
            | "moveFrom"
            | "delText"
            | "instrText"
            | "delInstrText"
            | "Fallback"
            | "sdtPr"
            | "sdtEndPr"
            | "pPrChange"
            | "rPrChange"
            | "sectPrChange"
            | "tblPrChange"
            | "tblGridChange"
            | "tcPrChange"
            | "trPrChange"
            | "numberingChange"
            | "tblPr"
            | "tblPrEx"
            | "cellDel"
    )
}

fn skip_in_styles(name: &str) -> bool {
    matches!(
        name,
        "rPr"
            | "latentStyles"
            | "docDefaults"
            | "tblPr"
            | "tcPr"
            | "trPr"
            | "tblStylePr"
            | "pPrChange"
            | "rPrChange"
    )
}

fn skip_in_numbering(name: &str) -> bool {
    matches!(
        name,
        "rPr" | "pPr" | "numPicBullet" | "pPrChange" | "rPrChange"
    )
}

/// Parses XML into a pruned tree rooted at a nameless element.
fn parse_xml(part: &str, xml: &str, skip: fn(&str) -> bool) -> Result<El, DocxError> {
    parse_xml_limited(part, xml, skip, MAX_NODES)
}

fn parse_xml_limited(
    part: &str,
    xml: &str,
    skip: fn(&str) -> bool,
    max_nodes: usize,
) -> Result<El, DocxError> {
    let mut reader = Reader::from_str(xml);
    // Kept elements being built; `open` has one entry per open element, true when it
    // is on `stack` (kept) and false when transparent.
    let mut stack: Vec<El> = vec![El::default()];
    let mut open: Vec<bool> = Vec::new();
    // Depth inside a skipped subtree (0: not skipping), and whether it is a run's properties.
    let mut skipping = 0usize;
    let mut skipping_run_props = false;
    // Text of the `t` being read, if any.
    let mut text: Option<String> = None;
    let mut nodes = 0usize;
    let too_deep = || DocxError::TooDeep {
        part: part.to_owned(),
        limit: MAX_DEPTH,
    };
    let too_many = || DocxError::TooManyNodes {
        part: part.to_owned(),
        limit: max_nodes,
    };
    loop {
        let event = reader.read_event().map_err(|e| DocxError::Xml {
            part: part.to_owned(),
            reason: e.to_string(),
        })?;
        match event {
            Event::Start(e) => {
                if skipping > 0 {
                    skipping += 1;
                    if skipping > MAX_DEPTH {
                        return Err(too_deep());
                    }
                    continue;
                }
                let name = e.local_name().into_inner();
                if skip(name) {
                    skipping = 1;
                    skipping_run_props = name == "rPr" && stack.last().is_some_and(|p| p.is("r"));
                    continue;
                }
                if open.len() >= MAX_DEPTH {
                    return Err(too_deep());
                }
                if name == "t" && text.is_none() {
                    text = Some(String::new());
                    open.push(false);
                    continue;
                }
                match kept(name) {
                    Some(name) => {
                        nodes += 1;
                        if nodes > max_nodes {
                            return Err(too_many());
                        }
                        stack.push(El::new(name, &e));
                        open.push(true);
                    }
                    None => open.push(false),
                }
            }
            Event::Empty(e) => {
                let name = e.local_name().into_inner();
                if skipping > 0 {
                    if skipping == 1
                        && skipping_run_props
                        && name == "vanish"
                        && El::new("vanish", &e).on()
                    {
                        if let Some(run) = stack.last_mut() {
                            run.hidden = true;
                        }
                    }
                    continue;
                }
                let Some(name) = kept(name).filter(|_| !skip(name)) else {
                    continue;
                };
                nodes += 1;
                if nodes > max_nodes {
                    return Err(too_many());
                }
                let el = El::new(name, &e);
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::El(el));
                }
            }
            Event::End(e) => {
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                match open.pop() {
                    Some(true) => close(&mut stack),
                    Some(false) if e.local_name().into_inner() == "t" => {
                        if let Some(t) = text.take().filter(|t| !t.is_empty()) {
                            nodes += 1;
                            if nodes > max_nodes {
                                return Err(too_many());
                            }
                            if let Some(parent) = stack.last_mut() {
                                parent.children.push(Node::Text(t.into_boxed_str()));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if skipping == 0 => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) if skipping == 0 => {
                if let Some(buf) = text.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if skipping == 0 => {
                if let Some(buf) = text.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => buf.push(c),
                        Ok(None) => buf.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default(),
                        ),
                        Err(_) => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    Ok(stack.pop().unwrap_or_default())
}

/// Closes the innermost kept element, attaching it to its parent.
fn close(stack: &mut Vec<El>) {
    if stack.len() > 1 {
        if let Some(el) = stack.pop() {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(Node::El(el));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Styles: which paragraph styles are headings, and which carry numbering.

#[derive(Debug, Default)]
struct Style {
    based_on: Option<String>,
    /// Heading level from the style's id or name.
    heading: Option<u8>,
    /// `w:outlineLvl` (0–8 are outline levels, 9 is body text).
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles {
    paragraph: HashMap<String, Style>,
    /// Numbering styles (`w:type="numbering"`) → their `numId`, for `w:numStyleLink`.
    numbering: HashMap<String, String>,
    default_paragraph: Option<String>,
}

/// "Heading 2", "heading2", "Title" → a heading level.
fn heading_by_name(name: &str) -> Option<u8> {
    let l = name.trim().to_ascii_lowercase();
    if l == "title" {
        return Some(1);
    }
    let n: u8 = l.strip_prefix("heading")?.trim_start().parse().ok()?;
    (1..=9).contains(&n).then_some(n)
}

impl Styles {
    fn parse(root: &El) -> Styles {
        let mut out = Styles::default();
        let styles = root.child("styles").unwrap_or(root);
        for s in styles.elements().filter(|e| e.is("style")) {
            let Some(id) = s.attr("styleId") else {
                continue;
            };
            let ppr = s.child("pPr");
            let num_pr = ppr.and_then(|p| p.child("numPr"));
            let num_id = num_pr
                .and_then(|n| n.child("numId"))
                .and_then(El::val)
                .map(str::to_owned);
            match s.attr("type").unwrap_or("paragraph") {
                "numbering" => {
                    if let Some(n) = num_id {
                        out.numbering.insert(id.to_owned(), n);
                    }
                }
                "paragraph" => {
                    let name = s.child("name").and_then(El::val);
                    let style = Style {
                        based_on: s.child("basedOn").and_then(El::val).map(str::to_owned),
                        heading: heading_by_name(id).or_else(|| name.and_then(heading_by_name)),
                        outline: ppr.and_then(|p| p.child("outlineLvl")).and_then(El::number),
                        num_id,
                        ilvl: num_pr.and_then(|n| n.child("ilvl")).and_then(El::number),
                    };
                    if matches!(s.attr("default"), Some("1" | "true" | "on")) {
                        out.default_paragraph = Some(id.to_owned());
                    }
                    out.paragraph.insert(id.to_owned(), style);
                }
                _ => {}
            }
        }
        out
    }

    /// The style and the styles it is based on, nearest first (cycles cut off).
    fn chain<'s>(&'s self, id: &'s str) -> impl Iterator<Item = (&'s str, Option<&'s Style>)> {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let id = next.take()?;
            let style = self.paragraph.get(id);
            next = style.and_then(|s| s.based_on.as_deref());
            Some((id, style))
        })
        .take(16)
    }

    fn heading_level(&self, id: &str) -> Option<u8> {
        for (id, style) in self.chain(id) {
            let Some(s) = style else {
                return heading_by_name(id);
            };
            if let Some(h) = s.heading {
                return Some(h);
            }
            if let Some(o) = s.outline {
                return (o < 9).then_some(o + 1);
            }
        }
        None
    }

    /// Numbering a style carries (directly or from a style it is based on).
    fn numbering_of(&self, id: &str) -> Option<(String, Option<u8>)> {
        self.chain(id)
            .find_map(|(_, s)| s.and_then(|s| s.num_id.clone().map(|n| (n, s.ilvl))))
    }
}

// ---------------------------------------------------------------------------------------
// Numbering: printed markers from abstractNum levels, counted per numId.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fmt {
    Decimal,
    DecimalZero,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
    None,
}

#[derive(Debug, Clone)]
struct Level {
    start: u32,
    fmt: Fmt,
    text: String,
    /// `w:isLgl`: every number in the marker is decimal.
    legal: bool,
    /// `w:lvlRestart`: restart after a use of this (1-based) level or a higher one; 0 never.
    restart: Option<u32>,
}

const LEVELS: usize = 9;

#[derive(Debug, Default)]
struct Abstract {
    levels: [Option<Level>; LEVELS],
    style_link: Option<String>,
}

#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    start_override: [Option<u32>; LEVELS],
    level_override: [Option<Level>; LEVELS],
}

#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
    counters: HashMap<String, [Option<u32>; LEVELS]>,
}

fn parse_level(lvl: &El) -> Option<(usize, Level)> {
    let ilvl: usize = lvl.attr("ilvl")?.trim().parse().ok()?;
    if ilvl >= LEVELS {
        return None;
    }
    let fmt = match lvl.child("numFmt").and_then(El::val) {
        Some("decimalZero") => Fmt::DecimalZero,
        Some("lowerLetter") => Fmt::LowerLetter,
        Some("upperLetter") => Fmt::UpperLetter,
        Some("lowerRoman") => Fmt::LowerRoman,
        Some("upperRoman") => Fmt::UpperRoman,
        Some("bullet") => Fmt::Bullet,
        Some("none") => Fmt::None,
        _ => Fmt::Decimal,
    };
    let level = Level {
        start: lvl.child("start").and_then(El::number).unwrap_or(1),
        fmt,
        text: lvl
            .child("lvlText")
            .and_then(El::val)
            .unwrap_or_default()
            .to_owned(),
        legal: on(lvl.child("isLgl")),
        restart: lvl.child("lvlRestart").and_then(El::number),
    };
    Some((ilvl, level))
}

impl Numbering {
    fn parse(root: &El) -> Numbering {
        let mut out = Numbering::default();
        let numbering = root.child("numbering").unwrap_or(root);
        for el in numbering.elements() {
            if el.is("abstractNum") {
                let Some(id) = el.attr("abstractNumId") else {
                    continue;
                };
                let mut a = Abstract {
                    style_link: el
                        .child("numStyleLink")
                        .and_then(El::val)
                        .map(str::to_owned),
                    ..Abstract::default()
                };
                for (i, level) in el
                    .elements()
                    .filter(|e| e.is("lvl"))
                    .filter_map(parse_level)
                {
                    a.levels[i] = Some(level);
                }
                out.abstracts.insert(id.to_owned(), a);
            } else if el.is("num") {
                let Some(id) = el.attr("numId") else { continue };
                let Some(abstract_id) = el.child("abstractNumId").and_then(El::val) else {
                    continue;
                };
                let mut num = Num {
                    abstract_id: abstract_id.to_owned(),
                    ..Num::default()
                };
                for o in el.elements().filter(|e| e.is("lvlOverride")) {
                    let Some(i) = o
                        .attr("ilvl")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .filter(|&i| i < LEVELS)
                    else {
                        continue;
                    };
                    num.start_override[i] = o.child("startOverride").and_then(El::number);
                    num.level_override[i] = o.child("lvl").and_then(parse_level).map(|(_, l)| l);
                }
                out.nums.insert(id.to_owned(), num);
            }
        }
        out
    }

    /// The definition of level `ilvl` of list `num_id`, with overrides applied.
    fn level(&self, num_id: &str, ilvl: usize, styles: &Styles) -> Option<Level> {
        let num = self.nums.get(num_id)?;
        let mut level = match &num.level_override[ilvl] {
            Some(l) => l.clone(),
            None => {
                let mut a = self.abstracts.get(&num.abstract_id)?;
                // A list defined by a numbering style: follow the link once.
                if let Some(link) = &a.style_link {
                    if let Some(linked) = styles
                        .numbering
                        .get(link)
                        .and_then(|n| self.nums.get(n))
                        .and_then(|n| self.abstracts.get(&n.abstract_id))
                    {
                        a = linked;
                    }
                }
                a.levels[ilvl].clone()?
            }
        };
        if let Some(s) = num.start_override[ilvl] {
            level.start = s;
        }
        Some(level)
    }

    /// Counts one paragraph of list `num_id` at level `ilvl`. `None`: not a list (the
    /// list or level is not defined); `Some(None)`: a bullet or an unnumbered level.
    fn next(&mut self, num_id: &str, ilvl: usize, styles: &Styles) -> Option<Option<String>> {
        let ilvl = ilvl.min(LEVELS - 1);
        let current = self.level(num_id, ilvl, styles)?;
        let defs: Vec<Option<Level>> = (0..LEVELS).map(|i| self.level(num_id, i, styles)).collect();
        let counters = self.counters.entry(num_id.to_owned()).or_default();
        counters[ilvl] = Some(match counters[ilvl] {
            Some(c) => c.saturating_add(1),
            None => current.start,
        });
        for (deeper, def) in defs.iter().enumerate().skip(ilvl + 1) {
            let restarts = match def.as_ref().and_then(|d| d.restart) {
                Some(0) => false,
                Some(after) => (ilvl as u32) < after,
                None => true,
            };
            if restarts {
                counters[deeper] = None;
            }
        }
        let counters = *counters;
        if current.fmt == Fmt::Bullet {
            return Some(None);
        }
        let mut marker = String::new();
        let mut chars = current.text.chars().peekable();
        while let Some(c) = chars.next() {
            let level = match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => d as usize - 1,
                _ => {
                    marker.push(c);
                    continue;
                }
            };
            chars.next();
            let Some(def) = &defs[level] else { continue };
            let value = counters[level].unwrap_or(def.start);
            let fmt = if current.legal && def.fmt != Fmt::None {
                Fmt::Decimal
            } else {
                def.fmt
            };
            marker.push_str(&format_number(value, fmt));
        }
        let marker = marker.trim();
        Some((!marker.is_empty()).then(|| marker.to_owned()))
    }
}

fn format_number(n: u32, fmt: Fmt) -> String {
    match fmt {
        Fmt::Decimal => n.to_string(),
        Fmt::DecimalZero => format!("{n:02}"),
        Fmt::LowerLetter | Fmt::UpperLetter => match letters(n) {
            Some(s) if fmt == Fmt::UpperLetter => s.to_ascii_uppercase(),
            Some(s) => s,
            None => n.to_string(),
        },
        Fmt::LowerRoman | Fmt::UpperRoman => match roman(n) {
            Some(s) if fmt == Fmt::UpperRoman => s.to_ascii_uppercase(),
            Some(s) => s,
            None => n.to_string(),
        },
        Fmt::Bullet | Fmt::None => String::new(),
    }
}

/// Word's letter numbering: a … z, then aa, bb, … zz, then aaa, ….
fn letters(n: u32) -> Option<String> {
    if n == 0 || n > 26 * 10 {
        return None;
    }
    let letter = char::from(b'a' + ((n - 1) % 26) as u8);
    Some(std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect())
}

fn roman(mut n: u32) -> Option<String> {
    if n == 0 || n > 3999 {
        return None;
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// The document walk.

enum Kind {
    Heading(u8),
    Item { marker: Option<String>, depth: u8 },
    Plain,
}

struct Para<'e> {
    /// Page of the paragraph's first text, if it has any.
    page: Option<u32>,
    kind: Kind,
    text: String,
    /// Text boxes anchored in the paragraph, read after it.
    boxes: Vec<&'e El>,
}

struct Doc<'s> {
    styles: &'s Styles,
    numbering: Numbering,
    page: u32,
    /// Whether any text has been read since the last page break: Word writes a
    /// `lastRenderedPageBreak` after a hard page break too, and that must not count twice.
    content_on_page: bool,
    /// (page, rows) for each table that lost repeated header rows.
    dropped_headers: Vec<(u32, usize)>,
    /// Empty cells still allowed for spans and padding (bounds memory on hostile input).
    filler_left: usize,
}

impl<'s> Doc<'s> {
    /// Takes up to `n` empty filler cells from the budget.
    fn filler(&mut self, n: usize) -> usize {
        let n = n.min(self.filler_left);
        self.filler_left -= n;
        n
    }

    fn page_break(&mut self) {
        if self.content_on_page {
            self.page = self.page.saturating_add(1);
            self.content_on_page = false;
        }
    }

    /// Body-level content: paragraphs and tables, through any wrappers (content
    /// controls, custom XML, inserted revisions).
    fn blocks(&mut self, el: &El, out: &mut Vec<Block>) {
        for c in el.elements() {
            match c.name {
                "p" => {
                    let para = self.paragraph(c);
                    let page = para.page.unwrap_or(self.page);
                    if let Some(kind) = block_kind(para.kind, para.text) {
                        out.push(Block {
                            page,
                            line: None,
                            kind,
                        });
                    }
                    for b in para.boxes {
                        self.blocks(b, out);
                    }
                }
                "tbl" => {
                    if let Some(table) = self.table(c) {
                        let page = table.rows.first().map_or(self.page, |r| r.page);
                        out.push(Block {
                            page,
                            line: None,
                            kind: BlockKind::Table(table),
                        });
                    }
                }
                "sectPr" | "pPr" | "trPr" | "tcPr" => {}
                _ => self.blocks(c, out),
            }
        }
    }

    /// Content of a table cell as parts; nested tables are flattened in reading order.
    fn parts(&mut self, el: &El, out: &mut Vec<Part>, first_page: &mut Option<u32>) {
        for c in el.elements() {
            match c.name {
                "p" => {
                    let para = self.paragraph(c);
                    if first_page.is_none() {
                        *first_page = para.page;
                    }
                    if !para.text.is_empty() {
                        out.push(match para.kind {
                            Kind::Item { marker, .. } => Part::item(marker, para.text),
                            Kind::Heading(_) | Kind::Plain => Part::paragraph(para.text),
                        });
                    }
                    for b in para.boxes {
                        self.parts(b, out, first_page);
                    }
                }
                "tbl" => {
                    for tr in rows_of(c) {
                        for tc in cells_of(tr) {
                            let mut inner = Vec::new();
                            self.parts(tc, &mut inner, first_page);
                            if !merge_continues(tc) {
                                out.extend(inner);
                            }
                        }
                    }
                }
                "sectPr" | "pPr" | "trPr" | "tcPr" => {}
                _ => self.parts(c, out, first_page),
            }
        }
    }

    fn paragraph<'e>(&mut self, p: &'e El) -> Para<'e> {
        let ppr = p.child("pPr");
        let prop = |name: &str| ppr.and_then(|x| x.child(name));
        if on(prop("pageBreakBefore")) {
            self.page_break();
        }
        let style = prop("pStyle")
            .and_then(El::val)
            .or(self.styles.default_paragraph.as_deref());
        let from_style = style.and_then(|s| self.styles.numbering_of(s));
        let (num_id, ilvl) = match prop("numPr") {
            Some(np) => {
                let id = np.child("numId").and_then(El::val).map(str::to_owned);
                let lvl = np.child("ilvl").and_then(El::number::<u8>);
                let (style_id, style_lvl) = from_style.map_or((None, None), |(n, l)| (Some(n), l));
                (id.or(style_id), lvl.or(style_lvl))
            }
            None => from_style.map_or((None, None), |(n, l)| (Some(n), l)),
        };
        let ilvl = ilvl.unwrap_or(0).min(LEVELS as u8 - 1);
        let list = match num_id.as_deref() {
            Some(id) if id.trim() != "0" => {
                self.numbering.next(id.trim(), ilvl as usize, self.styles)
            }
            _ => None,
        };
        let heading = style
            .and_then(|s| self.styles.heading_level(s))
            .or_else(|| {
                prop("outlineLvl")
                    .and_then(El::number::<u8>)
                    .filter(|&o| o < 9)
                    .map(|o| o + 1)
            });

        let mut raw = String::new();
        let mut page = None;
        let mut boxes = Vec::new();
        self.runs(p, &mut raw, &mut page, &mut boxes);
        let text = squash(&raw);

        // A section break in this paragraph's properties starts a new page after it.
        if let Some(sect) = prop("sectPr") {
            let kind = sect.child("type").and_then(El::val);
            if !matches!(kind, Some("continuous")) {
                self.page_break();
            }
        }
        let (kind, text) = match (heading, list) {
            (Some(level), Some(Some(marker))) if !text.is_empty() => {
                (Kind::Heading(level), format!("{marker} {text}"))
            }
            (Some(level), _) => (Kind::Heading(level), text),
            (None, Some(marker)) => (
                Kind::Item {
                    marker,
                    depth: ilvl,
                },
                text,
            ),
            (None, None) => (Kind::Plain, text),
        };
        Para {
            page,
            kind,
            text,
            boxes,
        }
    }

    /// Text of a paragraph's runs (through hyperlinks, fields, content controls, …).
    fn runs<'e>(
        &mut self,
        el: &'e El,
        out: &mut String,
        page: &mut Option<u32>,
        boxes: &mut Vec<&'e El>,
    ) {
        for node in &el.children {
            let c = match node {
                Node::El(c) => c,
                Node::Text(s) => {
                    if !s.trim().is_empty() {
                        self.content_on_page = true;
                        page.get_or_insert(self.page);
                    }
                    out.push_str(s);
                    continue;
                }
            };
            match c.name {
                "tab" | "ptab" => out.push('\t'),
                "br" => {
                    if c.attr("type") == Some("page") {
                        self.page_break();
                    }
                    out.push(' ');
                }
                "cr" => out.push(' '),
                "noBreakHyphen" => out.push('-'),
                "lastRenderedPageBreak" => self.page_break(),
                "txbxContent" => boxes.push(c),
                "r" if c.hidden => {}
                "pPr" => {}
                _ => self.runs(c, out, page, boxes),
            }
        }
    }

    fn table(&mut self, tbl: &El) -> Option<Table> {
        let columns = tbl
            .child("tblGrid")
            .map_or(0, |g| g.elements().filter(|e| e.is("gridCol")).count())
            .min(MAX_GRID);
        let mut table = Table::default();
        let mut header_keys: Vec<String> = Vec::new();
        // True while every row kept so far is a header row.
        let mut in_header = true;
        let mut dropped = 0;
        for tr in rows_of(tbl) {
            let trpr = tr.child("trPr");
            let row_prop = |name: &str| trpr.and_then(|t| t.child(name));
            let is_header = on(row_prop("tblHeader"));
            let grid = |name: &str| {
                row_prop(name)
                    .and_then(El::number::<usize>)
                    .unwrap_or(0)
                    .min(MAX_SPAN)
            };
            let start_page = self.page;
            let mut first_page = None;
            let before = self.filler(grid("gridBefore"));
            let mut cells = vec![Cell::default(); before];
            for tc in cells_of(tr) {
                let span = tc
                    .child("tcPr")
                    .and_then(|p| p.child("gridSpan"))
                    .and_then(El::number::<usize>)
                    .unwrap_or(1)
                    .clamp(1, MAX_SPAN);
                let mut parts = Vec::new();
                self.parts(tc, &mut parts, &mut first_page);
                if merge_continues(tc) {
                    parts.clear();
                }
                if cells.len() < MAX_ROW_CELLS {
                    cells.push(Cell {
                        parts,
                        ..Cell::default()
                    });
                    let fill = self.filler(span - 1);
                    cells.extend(std::iter::repeat_n(Cell::default(), fill));
                }
            }
            let after = self.filler(grid("gridAfter"));
            cells.extend(std::iter::repeat_n(Cell::default(), after));
            if cells.len() < columns {
                let fill = self.filler(columns - cells.len());
                cells.extend(std::iter::repeat_n(Cell::default(), fill));
            }
            let row = Row {
                page: first_page.unwrap_or(start_page),
                line: None,
                cells,
            };
            if row.filled() == 0 {
                continue;
            }
            let key = squash(
                &row.cells
                    .iter()
                    .map(Cell::text)
                    .collect::<Vec<_>>()
                    .join(" | "),
            );
            if is_header {
                if in_header || header_keys.is_empty() {
                    header_keys.push(key);
                    table.rows.push(row);
                } else {
                    dropped += 1;
                }
                continue;
            }
            in_header = false;
            if header_keys.contains(&key) {
                dropped += 1;
                continue;
            }
            table.rows.push(row);
        }
        if dropped > 0 {
            let page = table.rows.first().map_or(self.page, |r| r.page);
            self.dropped_headers.push((page, dropped));
        }
        (!table.rows.is_empty()).then_some(table)
    }
}

/// A paragraph's block, or none when it has no text. Plain paragraphs typed with a list
/// label ("1. Ensure …", "(a) …") are list items, as the text and HTML backends read them.
fn block_kind(kind: Kind, text: String) -> Option<BlockKind> {
    if text.is_empty() {
        return None;
    }
    Some(match kind {
        Kind::Heading(level) => BlockKind::Heading { level, text },
        Kind::Item { marker, depth } => BlockKind::ListItem {
            marker,
            depth,
            text,
        },
        Kind::Plain => match crate::text::MARKER.captures(&text) {
            Some(m) => BlockKind::ListItem {
                marker: Some(m[1].to_owned()),
                depth: 0,
                text: m[2].to_owned(),
            },
            None => BlockKind::Paragraph { text },
        },
    })
}

/// True for the continuation of a merged cell: `w:vMerge` without `restart`, or the
/// legacy `w:hMerge` continuation.
fn merge_continues(tc: &El) -> bool {
    let Some(pr) = tc.child("tcPr") else {
        return false;
    };
    let v = pr
        .child("vMerge")
        .is_some_and(|m| m.val().is_none_or(|v| v != "restart"));
    let h = pr
        .child("hMerge")
        .is_some_and(|m| m.val().is_none_or(|v| v != "restart"));
    v || h
}

/// Rows of a table, through content controls and other wrappers (not nested tables).
fn rows_of(tbl: &El) -> Vec<&El> {
    let mut out = Vec::new();
    collect(tbl, "tr", &["tbl", "tblGrid", "tblPr"], &mut out);
    out
}

/// Cells of a row, through wrappers.
fn cells_of(tr: &El) -> Vec<&El> {
    let mut out = Vec::new();
    collect(tr, "tc", &["tbl", "trPr", "tblPrEx", "p"], &mut out);
    out
}

fn collect<'e>(el: &'e El, name: &str, stop: &[&str], out: &mut Vec<&'e El>) {
    for c in el.elements() {
        if c.is(name) {
            out.push(c);
        } else if !stop.contains(&c.name) {
            collect(c, name, stop, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /// A .docx package built in memory: `[Content_Types].xml`, `word/document.xml` around
    /// `body`, and the optional styles and numbering parts.
    fn docx(body: &str, styles: Option<&str>, numbering: Option<&str>) -> Vec<u8> {
        let mut files = vec![
            ("[Content_Types].xml".to_owned(), content_types()),
            (
                "word/document.xml".to_owned(),
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}<w:sectPr/></w:body></w:document>"#
                ),
            ),
        ];
        if let Some(s) = styles {
            files.push((
                "word/styles.xml".into(),
                format!(r#"<?xml version="1.0"?><w:styles xmlns:w="{W}">{s}</w:styles>"#),
            ));
        }
        if let Some(n) = numbering {
            files.push((
                "word/numbering.xml".into(),
                format!(r#"<?xml version="1.0"?><w:numbering xmlns:w="{W}">{n}</w:numbering>"#),
            ));
        }
        zip_of(&files)
    }

    fn content_types() -> String {
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_owned()
    }

    fn zip_of(files: &[(String, String)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in files {
            w.start_file(name.as_str(), options).unwrap();
            w.write_all(text.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    fn styled(style: &str, text: &str) -> String {
        format!(
            "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    }

    fn numbered(num_id: u32, ilvl: u32, text: &str) -> String {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num_id}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    }

    fn tc(inner: &str) -> String {
        format!("<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>{inner}</w:tc>")
    }

    fn tr(cells: &[String]) -> String {
        format!("<w:tr>{}</w:tr>", cells.concat())
    }

    fn header_tr(cells: &[String]) -> String {
        format!(
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>{}</w:tr>",
            cells.concat()
        )
    }

    fn tbl(columns: usize, rows: &[String]) -> String {
        let grid = "<w:gridCol w:w=\"2000\"/>".repeat(columns);
        format!("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>", rows.concat())
    }

    fn kinds(l: &Layout) -> Vec<(u32, String)> {
        l.blocks
            .iter()
            .map(|b| {
                let k = match &b.kind {
                    BlockKind::Heading { level, text } => format!("h{level} {text}"),
                    BlockKind::Paragraph { text } => format!("p {text}"),
                    BlockKind::ListItem {
                        marker,
                        depth,
                        text,
                    } => {
                        format!("li{depth} {} {text}", marker.as_deref().unwrap_or("•"))
                    }
                    BlockKind::Table(t) => format!(
                        "table {}x{}",
                        t.rows.len(),
                        t.rows.first().map_or(0, |r| r.cells.len())
                    ),
                };
                (b.page, k)
            })
            .collect()
    }

    fn only_table(l: &Layout) -> &Table {
        l.blocks
            .iter()
            .find_map(|b| match &b.kind {
                BlockKind::Table(t) => Some(t),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no table in {:?}", l.blocks))
    }

    fn texts(row: &Row) -> Vec<String> {
        row.cells.iter().map(Cell::text).collect()
    }

    const STYLES: &str = r#"
        <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
        <w:style w:type="paragraph" w:styleId="ReportSection"><w:name w:val="Report Section"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="AppendixHeading"><w:name w:val="Appendix Heading"/><w:basedOn w:val="Heading1"/></w:style>
        <w:style w:type="paragraph" w:styleId="BodyOutline"><w:name w:val="Body Outline"/><w:basedOn w:val="Heading1"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
        <w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>"#;

    #[test]
    fn headings_from_style_ids_names_outline_levels_and_inheritance() {
        let body = [
            styled("Title", "Ofsted Improvement Plan"),
            styled("Heading1", "Introduction"),
            p("Plain text."),
            styled("berschrift2", "Background"),
            styled("ReportSection", "Detail"),
            styled("AppendixHeading", "Appendix A"),
            styled("BodyOutline", "Not a heading"),
            "<w:p><w:pPr><w:outlineLvl w:val=\"3\"/></w:pPr><w:r><w:t>Direct outline</w:t></w:r></w:p>".into(),
            styled("Heading3", "No styles entry"),
        ]
        .concat();
        let l = layout(&docx(&body, Some(STYLES), None)).unwrap();
        let k: Vec<_> = kinds(&l).into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            k,
            [
                "h1 Ofsted Improvement Plan",
                "h1 Introduction",
                "p Plain text.",
                "h2 Background",
                "h3 Detail",
                "h1 Appendix A",
                "p Not a heading",
                "h4 Direct outline",
                "h3 No styles entry",
            ]
        );
        // Without styles.xml, ids still name headings.
        let l = layout(&docx(&styled("Heading2", "Scope"), None, None)).unwrap();
        assert_eq!(kinds(&l), [(1, "h2 Scope".to_owned())]);
    }

    const NUMBERING: &str = r#"
        <w:abstractNum w:abstractNumId="0">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
          <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="1">
          <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>
          <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="2">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
        </w:abstractNum>
        <w:abstractNum w:abstractNumId="3">
          <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1."/></w:lvl>
          <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%2"/></w:lvl>
        </w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>
        <w:num w:numId="5"><w:abstractNumId w:val="3"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>"#;

    #[test]
    fn list_markers_decimal_letters_roman_nested_and_bullets() {
        let body = [
            numbered(1, 0, "Improve assessments"),
            numbered(1, 1, "Audit cases"),
            numbered(1, 1, "Train staff"),
            numbered(1, 2, "Quarterly"),
            numbered(1, 0, "Reduce caseloads"),
            numbered(1, 1, "Recruit"),
            numbered(3, 0, "A bullet"),
            numbered(3, 1, "A sub-bullet"),
            numbered(4, 0, "Governance"),
            numbered(4, 1, "Board"),
            numbered(4, 1, "Terms"),
            numbered(4, 0, "Finance"),
            numbered(4, 1, "Budget"),
            numbered(2, 0, "Restarted list"),
            numbered(1, 0, "Continued list"),
            numbered(5, 0, "Third"),
            numbered(5, 1, "Roman"),
            numbered(0, 0, "Numbering switched off"),
            numbered(99, 0, "Undefined list"),
        ]
        .concat();
        let l = layout(&docx(&body, None, Some(NUMBERING))).unwrap();
        let k: Vec<_> = kinds(&l).into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            k,
            [
                "li0 1. Improve assessments",
                "li1 a) Audit cases",
                "li1 b) Train staff",
                "li2 (i) Quarterly",
                "li0 2. Reduce caseloads",
                "li1 a) Recruit",
                "li0 • A bullet",
                "li1 • A sub-bullet",
                "li0 1. Governance",
                "li1 1.1 Board",
                "li1 1.2 Terms",
                "li0 2. Finance",
                "li1 2.1 Budget",
                "li0 1. Restarted list",
                "li0 3. Continued list",
                "li0 C. Third",
                "li1 I Roman",
                "p Numbering switched off",
                "p Undefined list",
            ]
        );
    }

    #[test]
    fn numbered_headings_and_list_styles() {
        let styles = r#"
            <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="4"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#;
        let body = [
            styled("Heading1", "Recommendations"),
            styled("Heading2", "Safeguarding"),
            styled("ListNumber", "First"),
            styled("ListNumber", "Second"),
        ]
        .concat();
        let l = layout(&docx(&body, Some(styles), Some(NUMBERING))).unwrap();
        let k: Vec<_> = kinds(&l).into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            k,
            [
                "h1 1. Recommendations",
                "h2 1.1 Safeguarding",
                "li0 1. First",
                "li0 2. Second"
            ]
        );
    }

    #[test]
    fn typed_list_labels_in_plain_paragraphs_are_items() {
        let l = layout(&docx(
            &[
                p("1.2\tEnsure plans are reviewed"),
                p("(a) note the report"),
            ]
            .concat(),
            None,
            None,
        ))
        .unwrap();
        let k: Vec<_> = kinds(&l).into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            k,
            [
                "li0 1.2 Ensure plans are reviewed",
                "li0 (a) note the report"
            ]
        );
    }

    #[test]
    fn repeated_header_rows_are_dropped() {
        let header = header_tr(&[tc(&p("Action")), tc(&p("Lead")), tc(&p("Timescale"))]);
        let body = tbl(
            3,
            &[
                header.clone(),
                tr(&[
                    tc(&p("Audit all plans")),
                    tc(&p("Head of Service")),
                    tc(&p("March 2015")),
                ]),
                header.clone(),
                tr(&[
                    tc(&p("Re-train staff")),
                    tc(&p("Principal Social Worker")),
                    tc(&p("June 2015")),
                ]),
                // The same header typed again without the flag is dropped too.
                tr(&[tc(&p("Action")), tc(&p("Lead")), tc(&p("Timescale"))]),
            ],
        );
        let l = layout(&docx(&body, None, None)).unwrap();
        let t = only_table(&l);
        let rows: Vec<_> = t.rows.iter().map(texts).collect();
        assert_eq!(
            rows,
            [
                ["Action", "Lead", "Timescale"],
                ["Audit all plans", "Head of Service", "March 2015"],
                ["Re-train staff", "Principal Social Worker", "June 2015"],
            ]
        );
        assert!(
            l.notes
                .iter()
                .any(|n| n.message == "removed 2 repeated table header rows"),
            "{:?}",
            l.notes
        );
    }

    #[test]
    fn multi_row_headers_are_kept_at_the_top() {
        let body = tbl(
            2,
            &[
                header_tr(&[tc(&p("Improvement plan")), tc(&p(""))]),
                header_tr(&[tc(&p("Action")), tc(&p("Lead"))]),
                tr(&[tc(&p("Audit")), tc(&p("Jo"))]),
            ],
        );
        let l = layout(&docx(&body, None, None)).unwrap();
        let rows: Vec<_> = only_table(&l).rows.iter().map(texts).collect();
        assert_eq!(
            rows,
            [
                ["Improvement plan", ""],
                ["Action", "Lead"],
                ["Audit", "Jo"]
            ]
        );
        assert!(l.notes.is_empty());
    }

    #[test]
    fn merged_cells_keep_columns_aligned() {
        let span = |n: usize, text: &str| {
            format!(
                "<w:tc><w:tcPr><w:gridSpan w:val=\"{n}\"/></w:tcPr>{}</w:tc>",
                p(text)
            )
        };
        let vstart = |text: &str| {
            format!(
                "<w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>{}</w:tc>",
                p(text)
            )
        };
        let vcont = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>".to_owned();
        let vcont_explicit =
            "<w:tc><w:tcPr><w:vMerge w:val=\"continue\"/></w:tcPr><w:p/></w:tc>".to_owned();
        let body = tbl(
            4,
            &[
                tr(&[
                    tc(&p("Ref")),
                    tc(&p("Action")),
                    tc(&p("Lead")),
                    tc(&p("Date")),
                ]),
                tr(&[tc(&p("1")), span(3, "Priority: improve assessments")]),
                tr(&[
                    vstart("2"),
                    tc(&p("Audit")),
                    tc(&p("Jo")),
                    tc(&p("May 2015")),
                ]),
                tr(&[vcont, tc(&p("Train")), tc(&p("Al")), tc(&p("June 2015"))]),
                tr(&[vcont_explicit, span(2, "Review"), tc(&p("July 2015"))]),
                "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>".to_owned()
                    + &tc(&p("Note"))
                    + "</w:tr>",
            ],
        );
        let l = layout(&docx(&body, None, None)).unwrap();
        let rows: Vec<_> = only_table(&l).rows.iter().map(texts).collect();
        assert_eq!(
            rows,
            [
                ["Ref", "Action", "Lead", "Date"],
                ["1", "Priority: improve assessments", "", ""],
                ["2", "Audit", "Jo", "May 2015"],
                ["", "Train", "Al", "June 2015"],
                ["", "Review", "", "July 2015"],
                ["", "Note", "", ""],
            ]
        );
    }

    #[test]
    fn cell_paragraphs_bullets_and_nested_tables_are_parts() {
        let cell = [
            p("Undertake an audit"),
            p("then report to the Board"),
            numbered(3, 0, "weekly monitoring"),
            numbered(1, 0, "numbered step"),
            tbl(
                2,
                &[
                    tr(&[tc(&p("inner a")), tc(&p("inner b"))]),
                    tr(&[tc(&p("inner c")), tc("<w:p/>")]),
                ],
            ),
            "<w:p/>".into(),
        ]
        .concat();
        let body = tbl(
            2,
            &[
                tr(&[tc(&p("Action")), tc(&p("Lead"))]),
                tr(&[tc(&cell), tc(&p("Jo Bloggs"))]),
            ],
        );
        let l = layout(&docx(&body, None, Some(NUMBERING))).unwrap();
        let t = only_table(&l);
        let parts: Vec<_> = t.rows[1].cells[0]
            .parts
            .iter()
            .map(|p| (p.list_item, p.marker.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(
            parts,
            [
                (false, None, "Undertake an audit"),
                (false, None, "then report to the Board"),
                (true, None, "weekly monitoring"),
                (true, Some("1."), "numbered step"),
                (false, None, "inner a"),
                (false, None, "inner b"),
                (false, None, "inner c"),
            ]
        );
        assert_eq!(t.rows[1].cell_text(1), "Jo Bloggs");
        assert_eq!(
            l.blocks.len(),
            1,
            "the nested table is not a block of its own"
        );
    }

    #[test]
    fn pages_from_breaks_without_double_counting() {
        let body = [
            p("Page one"),
            // Word writes its rendered-break marker right after a hard break: one page, not two.
            "<w:p><w:r><w:br w:type=\"page\"/></w:r><w:r><w:lastRenderedPageBreak/><w:t>Page two</w:t></w:r></w:p>".into(),
            p("Still two"),
            "<w:p><w:r><w:t>Runs over</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t> the page</w:t></w:r></w:p>".into(),
            p("Page three"),
            "<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Page four</w:t></w:r></w:p>".into(),
            "<w:p><w:pPr><w:sectPr><w:type w:val=\"continuous\"/></w:sectPr></w:pPr><w:r><w:t>Continuous section</w:t></w:r></w:p>".into(),
            "<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>End of section</w:t></w:r></w:p>".into(),
            tbl(1, &[tr(&[tc(&p("Row on five"))]), tr(&[tc("<w:p><w:r><w:br w:type=\"page\"/><w:t>Row on six</w:t></w:r></w:p>")])]),
            "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>".into(),
        ]
        .concat();
        let l = layout(&docx(&body, None, None)).unwrap();
        let pages: Vec<_> = kinds(&l)
            .into_iter()
            .map(|(p, k)| format!("{p} {k}"))
            .collect();
        assert_eq!(
            pages,
            [
                "1 p Page one",
                "2 p Page two",
                "2 p Still two",
                "2 p Runs over the page",
                "3 p Page three",
                "4 p Page four",
                "4 p Continuous section",
                "4 p End of section",
                "5 table 2x1",
            ]
        );
        let t = only_table(&l);
        assert_eq!((t.rows[0].page, t.rows[1].page), (5, 6));
        assert_eq!(l.pages, 6, "a trailing break starts no page");
        assert!(l.blocks.iter().all(|b| b.line.is_none()));
    }

    #[test]
    fn run_text_revisions_fields_and_hidden_text() {
        let body = concat!(
            "<w:p><w:r><w:t>Lead:</w:t></w:r><w:r><w:tab/><w:t>Jo</w:t><w:br/><w:t>Bloggs</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">The \u{2018}Front Door\u{2019} &amp; MASH </w:t></w:r><w:r><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/></w:r>",
            "<w:del w:id=\"1\" w:author=\"A\"><w:r><w:delText>old wording </w:delText></w:r></w:del>",
            "<w:ins w:id=\"2\" w:author=\"A\"><w:r><w:t>new wording</w:t></w:r></w:ins></w:p>",
            "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>Page 7</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\"> shown</w:t></w:r>",
            "<w:hyperlink><w:r><w:t> link&#8217;s text</w:t></w:r></w:hyperlink></w:p>",
            "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>In a text box</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice>",
            "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>In a text box</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Anchor</w:t></w:r></w:p>",
            "<w:sdt><w:sdtPr><w:alias w:val=\"x\"/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>In a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>",
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr></w:p>",
        );
        let l = layout(&docx(body, None, None)).unwrap();
        let k: Vec<_> = kinds(&l).into_iter().map(|(_, k)| k).collect();
        assert_eq!(
            k,
            [
                "p Lead: Jo Bloggs",
                "p The \u{2018}Front Door\u{2019} & MASH new wording",
                "p Page 7 shown link\u{2019}s text",
                "p Anchor",
                "p In a text box",
                "p In a content control",
            ]
        );
    }

    #[test]
    fn corrupt_and_truncated_packages_are_errors_not_panics() {
        let good = docx(
            &[styled("Heading1", "Plan"), p("Some text")].concat(),
            Some(STYLES),
            Some(NUMBERING),
        );
        assert!(layout(&good).is_ok());
        for cut in [0, 1, 4, 30, good.len() / 2, good.len() - 10, good.len() - 1] {
            match layout(&good[..cut]) {
                Err(DocxError::Zip(_)) => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
        // A truncated Word file is still recognised as one (so the error says docx).
        assert!(is_word_package(&good[..good.len() / 2]));
        assert!(matches!(
            layout(b"PK\x03\x04 then garbage"),
            Err(DocxError::Zip(_))
        ));
        // Every byte flipped in turn, every tenth length: an error or a layout, never a panic.
        for i in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[i] ^= 0x5A;
            assert!(
                !matches!(layout(&bad), Err(DocxError::Panicked(_))),
                "byte {i}"
            );
        }
        for cut in (0..good.len()).step_by(10) {
            assert!(
                !matches!(layout(&good[..cut]), Err(DocxError::Panicked(_))),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn malformed_xml_and_deep_nesting_are_errors() {
        let bad = zip_of(&[(
            "word/document.xml".into(),
            "<w:document><w:body><w:p></w:body>".into(),
        )]);
        assert!(
            matches!(layout(&bad), Err(DocxError::Xml { .. })),
            "{:?}",
            layout(&bad)
        );
        let deep = format!(
            "<w:document xmlns:w=\"{W}\"><w:body>{}{}</w:body></w:document>",
            "<w:sdt><w:sdtContent>".repeat(200),
            "</w:sdtContent></w:sdt>".repeat(200)
        );
        let deep = zip_of(&[("word/document.xml".into(), deep)]);
        assert_eq!(
            layout(&deep),
            Err(DocxError::TooDeep {
                part: DOCUMENT.into(),
                limit: MAX_DEPTH
            })
        );
        // A broken styles part loses only the headings it would have named.
        let doc = format!(
            "<w:document xmlns:w=\"{W}\"><w:body>{}</w:body></w:document>",
            p("Text")
        );
        let l = layout(&zip_of(&[
            ("word/document.xml".into(), doc),
            ("word/styles.xml".into(), "<w:styles><w:style>".into()),
        ]))
        .unwrap();
        assert_eq!(kinds(&l), [(1, "p Text".to_owned())]);
    }

    #[test]
    fn oversized_parts_are_refused() {
        let big = zip_of(&[("word/document.xml".into(), " ".repeat(10_000))]);
        let mut archive = ZipArchive::new(Cursor::new(&big[..])).unwrap();
        assert_eq!(
            read_entry(&mut archive, 0, DOCUMENT, 9_999),
            Err(DocxError::TooLarge {
                part: DOCUMENT.into(),
                limit: 9_999
            })
        );
        assert_eq!(
            read_entry(&mut archive, 0, DOCUMENT, 10_000).map(|s| s.len()),
            Ok(10_000)
        );
        // Millions of tiny elements are refused before they fill memory.
        let xml = format!(
            "<w:document xmlns:w=\"{W}\"><w:body><w:p><w:r>{}</w:r></w:p></w:body></w:document>",
            "<w:tab/>".repeat(1001)
        );
        assert!(parse_xml_limited(DOCUMENT, &xml, skip_in_document, 1000).is_err());
        assert!(parse_xml_limited(DOCUMENT, &xml, skip_in_document, 1010).is_ok());
        let e = DocxError::TooLarge {
            part: DOCUMENT.into(),
            limit: MAX_DOCUMENT_XML,
        };
        assert!(e.to_string().contains("zip bomb"), "{e}");
    }

    #[test]
    fn zip_archives_that_are_not_word_documents() {
        let xlsx = zip_of(&[
            ("[Content_Types].xml".into(), content_types()),
            ("xl/workbook.xml".into(), "<workbook/>".into()),
        ]);
        assert_eq!(layout(&xlsx), Err(DocxError::NotWord));
        assert!(!is_word_package(&xlsx));
        assert_eq!(zip_kind_hint(&xlsx), Some("an Excel .xlsx workbook"));
        assert!(!is_word_package(b"%PDF-1.4"));
        assert!(is_word_package(&docx(&p("x"), None, None)));
    }

    #[test]
    fn number_formats() {
        assert_eq!(letters(1).as_deref(), Some("a"));
        assert_eq!(letters(26).as_deref(), Some("z"));
        assert_eq!(letters(27).as_deref(), Some("aa"));
        assert_eq!(letters(53).as_deref(), Some("aaa"));
        assert_eq!(roman(4).as_deref(), Some("iv"));
        assert_eq!(roman(1994).as_deref(), Some("mcmxciv"));
        assert_eq!(format_number(0, Fmt::LowerRoman), "0");
        assert_eq!(format_number(3, Fmt::DecimalZero), "03");
        assert_eq!(format_number(28, Fmt::UpperLetter), "BB");
    }
}
