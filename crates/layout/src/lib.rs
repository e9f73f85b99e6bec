//! The format-agnostic layout of a paper: pages of headings, paragraphs, list items
//! and tables of rows and cells, each tagged with its page (and source line where
//! the format has lines).
//!
//! Invariants:
//! - Every extractor backend (text, HTML, PDF) produces exactly this type; nothing
//!   downstream knows which backend ran.
//! - Page furniture (running headers, footers, page numbers) is already removed; a
//!   page break shows only as a change of `page` between consecutive blocks or rows.
//! - This crate does no I/O and has no dependencies beyond serde.

use serde::Serialize;

/// A whole paper as blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Layout {
    /// Number of pages (at least 1 for any non-empty paper).
    pub pages: u32,
    pub blocks: Vec<Block>,
    /// What the backend noticed while reading (skipped furniture, odd markup, …).
    pub notes: Vec<Note>,
}

/// Something a backend noticed; becomes a diagnostic on the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub page: Option<u32>,
    pub message: String,
}

/// One block with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// 1-based page.
    pub page: u32,
    /// 1-based source line, where the format has lines.
    pub line: Option<u32>,
    pub kind: BlockKind,
}

/// What a block is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    /// A heading; level 1 is the largest. Backends without levels use 2.
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A list item; `marker` is the printed label without bullets ("1.", "a)", "(ii)"),
    /// none for plain bullets. `depth` is 0 for top-level items.
    ListItem {
        marker: Option<String>,
        depth: u8,
        text: String,
    },
    Table(Table),
}

/// A table as printed: rows of cells, no interpretation of headers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Table {
    pub rows: Vec<Row>,
}

/// One table row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Row {
    pub page: u32,
    pub line: Option<u32>,
    pub cells: Vec<Cell>,
}

/// One cell: paragraphs and list items in order.
///
/// A cell spanning several columns or rows (a merged cell of a ruled table) says so in
/// `colspan`/`rowspan` and sits in its top-left slot; the slots it covers stay in their
/// rows as empty cells, so a cell's index is its column whether or not spans are read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub parts: Vec<Part>,
    /// Columns the cell covers (1 for an ordinary cell); left out of JSON when 1.
    #[serde(skip_serializing_if = "is_one")]
    pub colspan: u32,
    /// Rows the cell covers (1 for an ordinary cell); left out of JSON when 1.
    #[serde(skip_serializing_if = "is_one")]
    pub rowspan: u32,
}

impl Default for Cell {
    fn default() -> Self {
        Cell {
            parts: Vec::new(),
            colspan: 1,
            rowspan: 1,
        }
    }
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// A paragraph or list item inside a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// Printed list label ("1.", "a)") for numbered items; none otherwise.
    pub marker: Option<String>,
    /// True when the part was a list item (bulleted or numbered).
    pub list_item: bool,
    pub text: String,
}

/// Collapses runs of whitespace (non-breaking spaces included) to single spaces and
/// trims: how every backend and the normalizer compare and store text.
pub fn squash(text: &str) -> String {
    if is_squashed(text) {
        return text.to_owned();
    }
    if text.is_ascii() {
        // Byte by byte: every ASCII whitespace run becomes one space.
        let mut out = String::with_capacity(text.len());
        let mut gap = false;
        for &b in text.as_bytes() {
            if b.is_ascii_whitespace() || b == 0x0b {
                gap = !out.is_empty();
            } else {
                if gap {
                    out.push(' ');
                    gap = false;
                }
                out.push(b as char);
            }
        }
        return out;
    }
    let mut out = String::with_capacity(text.len());
    for w in text
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Whether `text` is already squashed: single ASCII spaces between words, none at
/// the ends, no other whitespace. Most texts are, and a byte scan tells.
fn is_squashed(text: &str) -> bool {
    let mut prev_space = true;
    let mut ascii = true;
    for &c in text.as_bytes() {
        match c {
            b' ' if prev_space => return false,
            b' ' => prev_space = true,
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return false,
            c => {
                ascii &= c < 0x80;
                prev_space = false;
            }
        }
    }
    (!prev_space || text.is_empty())
        && (ascii || !text.chars().any(|c| !c.is_ascii() && c.is_whitespace()))
}

impl Part {
    pub fn paragraph(text: impl Into<String>) -> Self {
        Part {
            marker: None,
            list_item: false,
            text: text.into(),
        }
    }
    pub fn item(marker: Option<String>, text: impl Into<String>) -> Self {
        Part {
            marker,
            list_item: true,
            text: text.into(),
        }
    }
}

impl Cell {
    /// A cell holding one paragraph (none if `text` is blank).
    pub fn from_text(text: &str) -> Self {
        let t = text.trim();
        if t.is_empty() {
            Cell::default()
        } else {
            Cell {
                parts: vec![Part::paragraph(t)],
                ..Cell::default()
            }
        }
    }

    /// All parts joined by newlines.
    pub fn text(&self) -> String {
        self.parts
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|p| p.text.trim().is_empty())
    }

    /// Appends another cell's parts (used when a row continues on the next page).
    pub fn append(&mut self, other: Cell) {
        self.parts.extend(
            other
                .parts
                .into_iter()
                .filter(|p| !p.text.trim().is_empty()),
        );
    }
}

impl Row {
    /// Text of cell `i`, empty when the row is shorter.
    pub fn cell_text(&self, i: usize) -> String {
        self.cells.get(i).map(Cell::text).unwrap_or_default()
    }

    /// Number of cells with any text.
    pub fn filled(&self) -> usize {
        self.cells.iter().filter(|c| !c.is_empty()).count()
    }
}

impl BlockKind {
    /// The block's text; tables give their cells joined by tabs and newlines.
    pub fn text(&self) -> String {
        match self {
            BlockKind::Heading { text, .. }
            | BlockKind::Paragraph { text }
            | BlockKind::ListItem { text, .. } => text.clone(),
            BlockKind::Table(t) => t
                .rows
                .iter()
                .map(|r| {
                    r.cells
                        .iter()
                        .map(Cell::text)
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_append_keeps_order_and_drops_blanks() {
        let mut a = Cell::from_text("Case audits undertaken for");
        a.append(Cell {
            parts: vec![Part::paragraph("  "), Part::paragraph("social care")],
            ..Cell::default()
        });
        assert_eq!(a.text(), "Case audits undertaken for\nsocial care");
        assert!(Cell::from_text("   ").is_empty());
    }

    #[test]
    fn squash_collapses_all_whitespace() {
        assert_eq!(squash("  a\u{a0}\u{a0}b\n\tc  "), "a b c");
        assert_eq!(squash(" \n "), "");
        // Texts already squashed come back as they are, whatever their letters.
        for t in [
            "",
            "a",
            "Council’s plan – 2024",
            "a b c",
            "x\u{2003}y",
            "a ",
            " a",
            "a  b",
            "a\u{a0}b",
            "\ta\n\n b\x0b c\r\n",
            "  ",
        ] {
            let slow: Vec<&str> = t
                .split(|c: char| c.is_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(squash(t), slow.join(" "), "{t:?}");
        }
    }

    #[test]
    fn row_helpers() {
        let r = Row {
            page: 1,
            line: None,
            cells: vec![Cell::from_text("a"), Cell::default()],
        };
        assert_eq!(r.filled(), 1);
        assert_eq!(r.cell_text(5), "");
    }
}
