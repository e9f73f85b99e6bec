//! Plain-text exports of PDFs: markdown-ish headings (`#`), bullets (`- `, `•`, `✓`),
//! numbered lines, tab-separated table rows whose cells may hold HTML fragments,
//! and running page headers repeated between table rows.
//!
//! Text exports carry no page markers. Pages are inferred: a form feed, a running
//! header (a line that repeats and at least once interrupts a table), or a table's
//! header row repeated mid-table each start a new page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use actionplan_layout::{Block, BlockKind, Cell, Layout, Note, Part, Row, Table};
use regex::Regex;

use crate::html::{fragment_parts, has_markup, squash};

static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\s*)(?:[-*•●▪◦■◼✓✔➢►]|\u{f0b7}|\u{f0a7}|\u{f0d8})\s+(.*)$").expect("valid regex")
});
/// A printed list label at the start of a line: "1.", "1)", "1.2.3", "(a)", "a)", "(iv)".
pub(crate) static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|\(\d{1,2}\)|\([a-z]\)|[a-z][.)]|\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\))\s+(\S.*)$")
        .expect("valid regex")
});
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d{1,4}\s*-)$").expect("valid regex")
});
static DASHES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s\-=_|+:]*$").expect("valid regex"));
static PIPE_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\|.*\|.*\|\s*$").expect("valid regex"));
static MULTISPACE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s{2,}").expect("valid regex"));

/// Builds the layout of a text export.
pub fn layout(text: &str) -> Layout {
    let mut notes = Vec::new();
    // A timed transcript of a meeting (captions, "00:44:36.400 a specific issue …"):
    // the times are not content, and a sentence runs on over several of them.
    let untimed;
    let mut sentence_ends: Vec<usize> = Vec::new();
    let text = match untime(text) {
        Some((plain, ends, timed)) => {
            notes.push(Note {
                page: None,
                message: format!(
                    "timed transcript: {timed} caption times removed, captions joined into paragraphs at sentence ends"
                ),
            });
            untimed = plain;
            sentence_ends = ends;
            untimed.as_str()
        }
        None => text,
    };
    let lines: Vec<&str> = text.split('\n').collect();
    let furniture = running_headers(&lines);
    let mut b = Builder {
        page: 1,
        ..Builder::default()
    };
    // Marker of the last numbered line, to tell list runs ("1.", "2.") from numbered headings.
    let mut last_item: Option<String> = None;
    let records = crate::records::find_all(&lines);
    let taken: Vec<(usize, usize)> = records.iter().map(|t| (t.start, t.end)).collect();
    let cell_tables = crate::records::find_cell_lines(&lines, &taken);
    // Last source line of the last bulleted item, so a wrapped line can continue it.
    let mut item_end: Option<u32> = None;
    let mut i = 0;
    while i < lines.len() {
        // A table exported one cell per line: its header, then its rows.
        if let Some(t) = cell_tables.iter().find(|t| t.start == i) {
            b.flush_paragraph();
            b.close_table();
            let header = Row {
                page: b.page,
                line: Some(t.start as u32 + 1),
                cells: t.header.iter().map(|h| Cell::from_text(h)).collect(),
            };
            let rows = std::iter::once(header)
                .chain(t.rows.iter().map(|(line, cells)| Row {
                    page: b.page,
                    line: Some(*line as u32 + 1),
                    cells: cells.iter().map(|c| Cell::from_text(c)).collect(),
                }))
                .collect();
            b.push(t.start as u32 + 1, BlockKind::Table(Table { rows }));
            notes.push(Note {
                page: Some(b.page),
                message: format!(
                    "lines {}-{}: a table of {} columns printed one cell per line, {} rows",
                    t.start + 1,
                    t.end,
                    t.header.len(),
                    t.rows.len()
                ),
            });
            i = t.end.max(i + 1);
            continue;
        }
        // A plan table whose columns were lost: rows recovered from their references.
        if let Some(t) = records.iter().find(|t| t.start == i) {
            b.flush_paragraph();
            b.close_table();
            let rows = t
                .rows
                .iter()
                .map(|r| Row {
                    page: b.page,
                    line: Some(r.line as u32 + 1),
                    cells: match &r.timescale {
                        // Rows found by their dates: the text and the timescale cell.
                        _ if t.rows.iter().any(|r| r.timescale.is_some()) => {
                            vec![
                                Cell::from_text(&r.text),
                                Cell::from_text(r.timescale.as_deref().unwrap_or("")),
                            ]
                        }
                        _ => vec![
                            Cell::from_text(r.reference.as_deref().unwrap_or("")),
                            Cell::from_text(&r.text),
                        ],
                    },
                })
                .collect();
            b.push(t.start as u32 + 1, BlockKind::Table(Table { rows }));
            notes.push(Note {
                page: Some(b.page),
                message: format!(
                    "lines {}-{}: {} table rows recovered from their references or dates",
                    t.start + 1,
                    t.end,
                    t.rows.len()
                ),
            });
            i = t.end.max(i + 1);
            continue;
        }
        let raw = lines[i].trim_end_matches([' ', '\r']);
        let lineno = (i + 1) as u32;
        i += 1;
        if raw.contains('\u{c}') {
            b.page_break();
        }
        let raw = raw.replace('\u{c}', "");
        let raw = unitalic(&raw);
        if raw.trim().is_empty() {
            b.flush_paragraph();
            continue;
        }
        let norm = normalize_line(&raw);
        if furniture.contains_key(&norm) || PAGE_NUMBER.is_match(&norm) {
            let first_heading = furniture.get(&norm).copied() == Some(lineno) && !b.in_table();
            b.page_break();
            if first_heading {
                b.flush_paragraph();
                b.close_table();
                b.push(
                    lineno,
                    BlockKind::Heading {
                        level: heading_level(&raw),
                        text: norm,
                    },
                );
            }
            continue;
        }
        // Markdown-style pipe tables ("| Action | Lead |") read like tab-separated rows.
        let piped = PIPE_ROW.is_match(&raw);
        if raw.contains('\t') || piped {
            b.flush_paragraph();
            let cells: Vec<Cell> = if piped {
                let inner = raw.trim().trim_start_matches('|').trim_end_matches('|');
                inner.split('|').map(cell).collect()
            } else {
                raw.split('\t').map(cell).collect()
            };
            if cells
                .iter()
                .all(|c| c.is_empty() || DASHES.is_match(&c.text()))
            {
                continue; // a ruler line such as "-----\t-----"
            }
            b.table_row(lineno, cells);
            continue;
        }
        // Any other line ends a table.
        b.close_table();
        let trimmed = raw.trim();
        if let Some(h) = trimmed.strip_prefix('#') {
            b.flush_paragraph();
            let level = 1 + h.chars().take_while(|&c| c == '#').count() as u8;
            let text = strip_emphasis(h.trim_start_matches('#'));
            if !text.is_empty() {
                b.push(
                    lineno,
                    BlockKind::Heading {
                        level: level.min(6),
                        text,
                    },
                );
            }
            continue;
        }
        if has_markup(trimmed) {
            b.flush_paragraph();
            for p in fragment_parts(trimmed) {
                let kind = if p.list_item {
                    BlockKind::ListItem {
                        marker: p.marker,
                        depth: 0,
                        text: p.text,
                    }
                } else {
                    BlockKind::Paragraph { text: p.text }
                };
                b.push(lineno, kind);
            }
            continue;
        }
        if let Some(c) = BULLET.captures(&raw) {
            b.flush_paragraph_before_list();
            let depth = c[1].chars().count().min(3) as u8;
            let body = c[2].trim();
            let (marker, text) = match MARKER.captures(body) {
                Some(m) => (Some(m[1].to_owned()), m[2].to_owned()),
                None => (None, body.to_owned()),
            };
            b.push(
                lineno,
                BlockKind::ListItem {
                    marker,
                    depth,
                    text: strip_emphasis(&text),
                },
            );
            item_end = Some(lineno);
            continue;
        }
        if let Some(m) = MARKER.captures(trimmed) {
            b.flush_paragraph_before_list();
            let marker = m[1].to_owned();
            let text = strip_emphasis(&m[2]);
            let next = next_content_line(&lines, i);
            let in_run = is_sibling(&marker, next.as_deref())
                || last_item
                    .as_deref()
                    .is_some_and(|prev| is_next(prev, &marker));
            last_item = Some(marker.clone());
            if (looks_like_heading(&text) && !in_run) || is_caps_heading(&text) {
                b.push(
                    lineno,
                    BlockKind::Heading {
                        level: 3,
                        text: format!("{marker} {text}"),
                    },
                );
            } else {
                b.push(
                    lineno,
                    BlockKind::ListItem {
                        marker: Some(marker),
                        depth: 0,
                        text,
                    },
                );
            }
            continue;
        }
        // A bullet wrapped onto the next line (no blank line between, the item not
        // finished): the line continues the item.
        if item_end == Some(lineno - 1) && b.para.is_empty() {
            let unfinished = match b.blocks.last() {
                Some(Block {
                    kind: BlockKind::ListItem { text, .. },
                    ..
                }) => !text.trim_end().ends_with(['.', '!', '?', ':', ';']),
                _ => false,
            };
            if unfinished || trimmed.starts_with(|c: char| c.is_lowercase()) {
                if let Some(Block {
                    kind: BlockKind::ListItem { text, .. },
                    ..
                }) = b.blocks.last_mut()
                {
                    text.push(' ');
                    text.push_str(&strip_emphasis(trimmed));
                    item_end = Some(lineno);
                    continue;
                }
            }
        }
        b.paragraph_line(lineno, trimmed);
        // A caption that ends a sentence ends the paragraph: a transcript has no blank lines.
        if sentence_ends.binary_search(&(lineno as usize - 1)).is_ok() {
            b.flush_paragraph();
        }
    }
    b.flush_paragraph();
    b.close_table();
    if !furniture.is_empty() {
        let mut names: Vec<_> = furniture.keys().cloned().collect();
        names.sort();
        notes.push(Note {
            page: None,
            message: format!("removed running headers: {}", names.join(" | ")),
        });
    }
    let pages = b.page;
    let mut blocks = b.blocks;
    promote_headings(&mut blocks);
    Layout {
        pages,
        blocks,
        notes,
    }
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    page: u32,
    /// Content emitted since the last page break; consecutive furniture lines
    /// (header then footer) make one break, not two.
    content_since_break: bool,
    para: Vec<String>,
    para_line: u32,
    table: Option<(u32, Table)>,
}

impl Builder {
    fn push(&mut self, line: u32, kind: BlockKind) {
        self.blocks.push(Block {
            page: self.page,
            line: Some(line),
            kind,
        });
        self.content_since_break = true;
    }

    fn page_break(&mut self) {
        if self.content_since_break {
            self.page += 1;
            self.content_since_break = false;
        }
    }

    fn in_table(&self) -> bool {
        self.table.is_some()
    }

    fn paragraph_line(&mut self, line: u32, text: &str) {
        if self.para.is_empty() {
            self.para_line = line;
        }
        self.para.push(text.to_owned());
    }

    /// Ends the paragraph before a list: a last line that introduces the list ("Council
    /// therefore resolves to:") after a finished sentence stands as its own paragraph.
    fn flush_paragraph_before_list(&mut self) {
        let n = self.para.len();
        let lead_in = n >= 2
            && self.para[n - 1].trim_end().ends_with(':')
            && self.para[n - 2].trim_end().ends_with(['.', ';', '!', '?']);
        if !lead_in {
            return self.flush_paragraph();
        }
        let last = self.para.pop().unwrap_or_default();
        let line = self.para_line + (n - 1) as u32;
        self.flush_paragraph();
        self.paragraph_line(line, &last);
        self.flush_paragraph();
    }

    fn flush_paragraph(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let lines = std::mem::take(&mut self.para);
        let joined = lines.join("\n");
        let bold = joined.starts_with("**") && joined.ends_with("**") && joined.len() > 4;
        let text = lines
            .iter()
            .map(|l| strip_emphasis(l))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if text.is_empty() {
            return;
        }
        let kind = if lines.len() == 1 && (bold && text.len() <= 120 || is_caps_heading(&text)) {
            BlockKind::Heading { level: 3, text }
        } else {
            BlockKind::Paragraph { text }
        };
        let line = self.para_line;
        self.push(line, kind);
    }

    fn table_row(&mut self, line: u32, cells: Vec<Cell>) {
        let (_, table) = self.table.get_or_insert_with(|| (line, Table::default()));
        // A header row repeated inside the same table means the table continued on a new page.
        if let Some(first) = table.rows.first() {
            if table.rows.len() > 1 && same_row(first, &cells) {
                self.page_break();
                return;
            }
        }
        let page = self.page;
        if let Some((_, t)) = self.table.as_mut() {
            t.rows.push(Row {
                page,
                line: Some(line),
                cells,
            });
        }
        self.content_since_break = true;
    }

    fn close_table(&mut self) {
        if let Some((line, table)) = self.table.take() {
            let page = table.rows.first().map(|r| r.page).unwrap_or(self.page);
            self.blocks.push(Block {
                page,
                line: Some(line),
                kind: BlockKind::Table(table),
            });
        }
    }
}

fn same_row(a: &Row, cells: &[Cell]) -> bool {
    let key = |t: String| squash(&t).to_lowercase();
    let a_texts: Vec<String> = a
        .cells
        .iter()
        .map(|c| key(c.text()))
        .filter(|t| !t.is_empty())
        .collect();
    let b_texts: Vec<String> = cells
        .iter()
        .map(|c| key(c.text()))
        .filter(|t| !t.is_empty())
        .collect();
    a_texts.len() >= 2 && a_texts == b_texts
}

/// One tab-separated cell: HTML fragments parsed, and runs of two or more spaces
/// (where the export flattened line breaks) split into separate paragraphs.
fn cell(raw: &str) -> Cell {
    let raw = raw.trim();
    if raw.is_empty() {
        return Cell::default();
    }
    // Runs of spaces are where the export flattened line breaks: keep them as breaks.
    let parts = if has_markup(raw) {
        fragment_parts(&MULTISPACE.replace_all(raw, "<br>"))
    } else {
        vec![Part::paragraph(raw)]
    };
    let mut out = Vec::new();
    for p in parts {
        let pieces: Vec<&str> = MULTISPACE
            .split(p.text.trim())
            .filter(|s| !s.trim().is_empty())
            .collect();
        for (k, piece) in pieces.iter().enumerate() {
            let text = strip_emphasis(piece);
            if text.is_empty() {
                continue;
            }
            if k == 0 {
                out.push(Part {
                    marker: p.marker.clone(),
                    list_item: p.list_item,
                    text,
                });
            } else {
                out.push(Part::paragraph(text));
            }
        }
    }
    Cell {
        parts: out,
        ..Cell::default()
    }
}

/// A line without markdown heading marks, emphasis or extra spaces, used to compare lines.
fn normalize_line(raw: &str) -> String {
    strip_emphasis(raw.trim().trim_start_matches('#'))
}

/// A caption time opening a transcript line: "00:44:36.400 ", "1:02:03 ", "12:05 ".
static CAPTION_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\[?(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?\]?\s+").expect("valid regex")
});

/// The text of a timed transcript without its caption times (line for line), with
/// the indexes of the captions that end a sentence and the number of times; `None` unless most lines open
/// with a caption time.
fn untime(text: &str) -> Option<(String, Vec<usize>, usize)> {
    let content: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .collect();
    let timed = content.iter().filter(|l| CAPTION_TIME.is_match(l)).count();
    if content.len() < 10 || timed * 10 < content.len() * 8 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut ends = Vec::new();
    for (i, l) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match CAPTION_TIME.find(l) {
            Some(m) => {
                let said = l[m.end()..].trim_end();
                if said.ends_with(['.', '?', '!']) {
                    ends.push(i);
                }
                out.push_str(said);
            }
            None => out.push_str(l),
        }
    }
    Some((out, ends, timed))
}

/// A line of a markdown export without its italics: exports wrap whole lines in
/// them ("*1. We will …*", "*text;* *more text*") and leave empty emphasis between
/// paragraphs ("* *", "****"). Neither is a bullet or content: an opening `*` glued
/// to the text is emphasis, while a bullet is followed by a space.
fn unitalic(line: &str) -> Cow<'_, str> {
    let t = line.trim_start();
    if !t.starts_with('*') {
        return Cow::Borrowed(line);
    }
    if t.chars().all(|c| c == '*' || c.is_whitespace()) {
        return Cow::Borrowed("");
    }
    let italic = t[1..].starts_with(|c: char| c != '*' && !c.is_whitespace());
    if !italic {
        return Cow::Borrowed(line);
    }
    let indent = &line[..line.len() - t.len()];
    Cow::Owned(format!(
        "{indent}{}",
        squash(&t.replace("* *", " ").replace('*', ""))
    ))
}

fn strip_emphasis(s: &str) -> String {
    if !s.contains("**") && !s.contains("__") {
        return squash(s);
    }
    squash(&s.replace("**", "").replace("__", ""))
}

fn heading_level(raw: &str) -> u8 {
    let n = raw.trim_start().chars().take_while(|&c| c == '#').count() as u8;
    if n == 0 {
        2
    } else {
        n.min(6)
    }
}

/// Running headers: short lines that repeat and at least once sit between two table
/// rows (a header printed on every page of a long table). Returns each with the line
/// number of its first occurrence.
fn running_headers(lines: &[&str]) -> HashMap<String, u32> {
    let mut seen: HashMap<String, (u32, usize, usize)> = HashMap::new();
    let is_row = |l: &str| l.contains('\t');
    let neighbour = |start: usize, step: isize| -> Option<&str> {
        let mut k = start as isize + step;
        while k >= 0 && (k as usize) < lines.len() {
            let l = lines[k as usize];
            if !l.trim().is_empty() {
                return Some(l);
            }
            k += step;
        }
        None
    };
    for (i, l) in lines.iter().enumerate() {
        if l.trim().is_empty() || is_row(l) || l.len() > 120 {
            continue;
        }
        let norm = normalize_line(l);
        if norm.len() < 4 || MARKER.is_match(&norm) {
            continue;
        }
        let between_rows =
            neighbour(i, -1).is_some_and(is_row) && neighbour(i, 1).is_some_and(is_row);
        let e = seen.entry(norm).or_insert(((i + 1) as u32, 0, 0));
        e.1 += 1;
        if between_rows {
            e.2 += 1;
        }
    }
    seen.into_iter()
        .filter(|(_, (_, count, between))| *count >= 2 && *between >= 1)
        .map(|(k, (first, _, _))| (k, first))
        .collect()
}

fn next_content_line<'a>(lines: &[&'a str], from: usize) -> Option<Cow<'a, str>> {
    lines[from.min(lines.len())..]
        .iter()
        .map(|l| unitalic(l))
        .find(|l| !l.trim().is_empty())
}

/// True when `next` is the next item of the same numbered list as `marker`
/// ("1." followed by "2. …"), so `marker`'s line is a list item, not a heading.
fn is_sibling(marker: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return false };
    let next = BULLET
        .captures(next)
        .map(|c| c[2].to_owned())
        .unwrap_or_else(|| next.trim().to_owned());
    let Some(m) = MARKER.captures(&next) else {
        return false;
    };
    is_next(marker, &m[1])
}

/// True when marker `b` directly follows marker `a` in one list ("3." then "4.", "2.1" then "2.2").
fn is_next(a: &str, b: &str) -> bool {
    let (a, b) = (
        a.trim_end_matches(['.', ')']),
        b.trim_end_matches(['.', ')']),
    );
    let (a_head, a_last) = a.rsplit_once('.').unwrap_or(("", a));
    let (b_head, b_last) = b.rsplit_once('.').unwrap_or(("", b));
    match (a_last.parse::<u32>(), b_last.parse::<u32>()) {
        (Ok(x), Ok(y)) => a_head == b_head && y == x + 1,
        _ => false,
    }
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
}

fn is_caps_heading(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 6
        && text.len() <= 150
        && letters.iter().all(|c| c.is_uppercase())
        && words(text).count() >= 2
        && !text.contains('@')
}

/// Short, unpunctuated, capitalised: "Purpose of Report", "For immediate action",
/// "DISSEMINATE THE FINDINGS".
fn looks_like_heading(text: &str) -> bool {
    let n = words(text).count();
    let last = text.chars().last().unwrap_or('.');
    (1..=14).contains(&n)
        && text.len() <= 100
        && !matches!(last, '.' | ',' | ';' | ':' | '-')
        && text.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A one-line paragraph standing alone between blank lines, short and unpunctuated,
/// is a heading ("Immediate action", "Position statement").
fn promote_headings(blocks: &mut [Block]) {
    for b in blocks.iter_mut() {
        if let BlockKind::Paragraph { text } = &b.kind {
            if !text.contains('\n')
                && looks_like_heading(text)
                && words(text).count() <= 10
                && !text.contains(':')
            {
                let text = text.clone();
                b.kind = BlockKind::Heading { level: 4, text };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(l: &Layout) -> Vec<String> {
        l.blocks
            .iter()
            .map(|b| match &b.kind {
                BlockKind::Heading { text, .. } => format!("H[{}] {text}", b.page),
                BlockKind::Paragraph { text } => format!("P[{}] {text}", b.page),
                BlockKind::ListItem { marker, text, .. } => format!(
                    "L[{}] {} {text}",
                    b.page,
                    marker.clone().unwrap_or_default()
                ),
                BlockKind::Table(t) => format!("T[{}] {} rows", b.page, t.rows.len()),
            })
            .collect()
    }

    #[test]
    fn running_header_between_rows_is_removed_and_breaks_the_page() {
        let text =
            "## Plan\n\nA\tB\tC\nx1\ty1\tz1\n\n## Plan\n\nx2\ty2\tz2\n\n## Plan\n\nx3\ty3\tz3\n";
        let l = layout(text);
        // The first "## Plan" precedes the table: kept as its heading.
        assert_eq!(kinds(&l), vec!["H[1] Plan", "T[1] 4 rows"]);
        let BlockKind::Table(t) = &l.blocks[1].kind else {
            unreachable!()
        };
        let pages: Vec<u32> = t.rows.iter().map(|r| r.page).collect();
        assert_eq!(pages, vec![1, 1, 2, 3]);
        assert_eq!(l.pages, 3);
    }

    #[test]
    fn repeated_header_row_is_dropped_and_starts_a_page() {
        let text =
            "Action\tLead\tWhen\na\tJo\tDec 2008\n\nAction\tLead\tWhen\ncontinued text\t\t\n";
        let l = layout(text);
        let BlockKind::Table(t) = &l.blocks[0].kind else {
            panic!("{:?}", l.blocks)
        };
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.rows[2].page, 2);
    }

    #[test]
    fn repeated_label_lines_that_never_interrupt_tables_are_content() {
        let text = "Links:\n\nPosition statement\n\nLinks:\n\nPosition statement\n\nLinks:\n";
        let l = layout(text);
        assert_eq!(l.blocks.len(), 5);
        assert_eq!(l.pages, 1);
    }

    #[test]
    fn bullets_markers_and_depth() {
        let l = layout("- 1) Multi-agency work is good\n- (i) to NOTE the plan\n - nested point\n✓ outstanding services\n");
        assert_eq!(
            kinds(&l),
            vec![
                "L[1] 1) Multi-agency work is good",
                "L[1] (i) to NOTE the plan",
                "L[1]  nested point",
                "L[1]  outstanding services"
            ]
        );
        assert!(matches!(
            l.blocks[2].kind,
            BlockKind::ListItem { depth: 1, .. }
        ));
    }

    #[test]
    fn numbered_lines_become_headings_or_items() {
        let l = layout("1 DISSEMINATE THE FINDINGS\n\n1. Increasing the numbers of children\n2. Extending the provision\n\n4.10.1 For immediate action\n\nThe local partnership should:\n");
        assert_eq!(
            kinds(&l),
            vec![
                "H[1] 1 DISSEMINATE THE FINDINGS",
                "L[1] 1. Increasing the numbers of children",
                "L[1] 2. Extending the provision",
                "H[1] 4.10.1 For immediate action",
                "P[1] The local partnership should:",
            ]
        );
    }

    #[test]
    fn cells_split_html_and_flattened_line_breaks() {
        let c = cell("<p><b>Key PIs:</b> % referrals          % children on register</p>");
        let t: Vec<_> = c.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(t, vec!["Key PIs: % referrals", "% children on register"]);
    }

    #[test]
    fn pipe_tables_are_tables() {
        let l = layout(
            "| Action | Lead | By when |\n|---|---|---|\n| Audit files | Jo Bloggs | Dec 2012 |\n",
        );
        let BlockKind::Table(t) = &l.blocks[0].kind else {
            panic!("{:?}", l.blocks)
        };
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cell_text(1), "Jo Bloggs");
    }

    #[test]
    fn ruler_rows_and_multiline_paragraphs() {
        let l = layout("Leicester\nCity Council\n\nA\tB\n---\t---\nc\td\n");
        assert_eq!(
            kinds(&l),
            vec!["P[1] Leicester\nCity Council", "T[1] 2 rows"]
        );
    }

    #[test]
    fn italic_lines_of_markdown_exports_are_text_not_bullets() {
        // Shaped like a strategy exported to markdown: each objective wrapped in
        // italics, empty emphasis between them, and a real bullet list after.
        let text = "**OBJECTIVES **\n\n*1. We will specify a new staffing model;* *to improve resilience *\n\n* *\n\n*2. We will enhance our internal Bank capacity *\n\n****\n\n* A real bullet\n* Another bullet";
        let l = layout(text);
        assert_eq!(
            kinds(&l),
            [
                "H[1] OBJECTIVES",
                "L[1] 1. We will specify a new staffing model; to improve resilience",
                "L[1] 2. We will enhance our internal Bank capacity",
                "L[1]  A real bullet",
                "L[1]  Another bullet",
            ]
        );
    }

    #[test]
    fn timed_transcripts_lose_their_times_and_break_at_sentence_ends() {
        let mut text = String::from("# caption export\n");
        for i in 0..12 {
            let end = if i == 11 { "." } else { " and then" };
            text.push_str(&format!(
                "00:{:02}:0{}.480 we talked about item {i}{end}\n",
                i,
                i % 10
            ));
        }
        text.push_str("00:13:10.080 what I will do is take that away and provide some information\n00:13:18.080 following this meeting. Thank you chair.\n00:13:26.080 Next item please\n");
        let l = layout(&text);
        let paras: Vec<(Option<u32>, String)> = l
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Paragraph { text } => Some((b.line, text.replace('\n', " "))),
                _ => None,
            })
            .collect();
        assert!(paras.iter().all(|(_, t)| !t.contains("00:")), "{paras:?}");
        let (line, said) = &paras[1];
        assert_eq!(*line, Some(14), "the paragraph keeps its source line");
        assert_eq!(said, "what I will do is take that away and provide some information following this meeting. Thank you chair.");
        assert!(l
            .notes
            .iter()
            .any(|n| n.message.starts_with("timed transcript: 15 caption times")));
        // A paper with a few times in it is not a transcript.
        let agenda = "Agenda\n10:00 Welcome\nApologies\n10:15 Minutes of the last meeting\nMatters arising\nBudget\nAny other business\nClose\nDate of next meeting\nVenue";
        assert!(untime(agenda).is_none());
    }
}
