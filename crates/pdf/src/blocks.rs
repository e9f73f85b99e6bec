//! Lines and tables to layout blocks: headings from size, capitals and numbering; list
//! items from bullets and printed labels; paragraphs from line spacing and indentation;
//! paragraphs, list items and tables that run onto the next page are stitched.

use actionplan_layout::{Block, BlockKind, Note, Table};

use crate::table::PageTable;
use crate::text::{Line, PageLines};

/// Lines further apart than this many font sizes start a new paragraph.
const PARAGRAPH_GAP_EM: f64 = 1.5;
/// Lines at least this much larger than body text are headings.
const HEADING_RATIO: f64 = 1.15;

/// Characters printed as bullets, including the private-use glyphs of Symbol and
/// Wingdings fonts that Word uses (U+F0B7, U+F0A7, …).
fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '•' | '▪'
            | '◼'
            | '■'
            | '●'
            | '○'
            | '◦'
            | '‣'
            | '⁃'
            | '∙'
            | '·'
            | '►'
            | '▶'
            | '➢'
            | '➤'
            | '✓'
            | '✔'
            | '❖'
            | '□'
            | '◆'
            | '♦'
            | '⚫'
            | '–'
            | '-'
            | '*'
    ) || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

const ROMAN: [&str; 12] = [
    "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
];

/// Whether `label` (without its closing punctuation) is a list label: 1–3 digits, one
/// letter, or a small roman numeral.
fn is_label(label: &str) -> bool {
    let n = label.chars().count();
    (1..=3).contains(&n) && label.chars().all(|c| c.is_ascii_digit())
        || n == 1 && label.chars().all(|c| c.is_ascii_alphabetic())
        || ROMAN.contains(&label.to_ascii_lowercase().as_str())
}

/// Splits a printed list label off a line: bullets give `(None, rest)`, labels such as
/// "1.", "a)", "(ii)" give `(Some(label), rest)`. Plain text gives `None`.
pub fn split_marker(text: &str) -> Option<(Option<String>, String)> {
    let t = text.trim_start();
    let mut chars = t.chars();
    let first = chars.next()?;
    if is_bullet(first) {
        let rest = chars.as_str();
        // "-" and "–" only as bullets when followed by a space ("-5%" is a number).
        if matches!(first, '-' | '–' | '*') && !rest.starts_with(char::is_whitespace) {
            return None;
        }
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || is_bullet(c));
        return Some((None, rest.to_owned()));
    }
    let (word, rest) = match t.find(char::is_whitespace) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let rest = rest.trim_start();
    if rest.is_empty() {
        return None;
    }
    let label = if let Some(inner) = word.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
        inner
    } else if let Some(inner) = word.strip_suffix('.').or_else(|| word.strip_suffix(')')) {
        // "a." is too often an initial or an abbreviation; letters need ")".
        if word.ends_with('.') && !inner.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        inner
    } else {
        return None;
    };
    is_label(label).then(|| (Some(word.to_owned()), rest.to_owned()))
}

/// Position of a list label in its sequence: "3." → 3, "c)" → 3, "(iii)" → 3.
fn label_value(label: &str) -> Option<u32> {
    let inner = label.trim_matches(|c| matches!(c, '(' | ')' | '.'));
    if let Ok(n) = inner.parse::<u32>() {
        return Some(n);
    }
    let lower = inner.to_ascii_lowercase();
    if let Some(i) = ROMAN.iter().position(|r| *r == lower) {
        // "i", "v" and "x" are also letters; both readings are tried by the caller.
        return Some(i as u32 + 1);
    }
    let mut cs = lower.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => Some(c as u32 - 'a' as u32 + 1),
        _ => None,
    }
}

/// Whether a line opening with `label` starts a new list item rather than continuing
/// wrapped text that happens to begin with a number ("aged between 25 and / 39) may").
pub fn opens_item(label: &str, prev_text: &str, prev_label: Option<&str>) -> bool {
    if prev_text.trim().is_empty() || ends_sentence(prev_text) {
        return true;
    }
    let Some(v) = label_value(label) else {
        return true;
    };
    if v == 1 {
        return true;
    }
    let letter = |l: &str| {
        let i = l.trim_matches(|c| matches!(c, '(' | ')' | '.'));
        let mut cs = i.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => {
                Some(c.to_ascii_lowercase() as u32 - 'a' as u32 + 1)
            }
            _ => None,
        }
    };
    prev_label.is_some_and(|p| {
        label_value(p).is_some_and(|pv| pv + 1 == v)
            || matches!((letter(p), letter(label)), (Some(a), Some(b)) if a + 1 == b)
    })
}

/// Appends a wrapped line to a paragraph's text.
pub fn join_line(text: &mut String, line: &str) {
    let line = line.trim();
    if line.is_empty() {
        return;
    }
    if text.is_empty() {
        text.push_str(line);
        return;
    }
    // Soft hyphen at a line end: the word continues.
    let hyphenated = text.ends_with('-')
        && text[..text.len() - 1].ends_with(|c: char| c.is_alphabetic())
        && line.starts_with(|c: char| c.is_lowercase());
    if !hyphenated {
        text.push(' ');
    }
    text.push_str(line);
}

/// Whether text stops where it cannot end: on a joining word or mark ("Karen Goodman &").
fn runs_on(text: &str) -> bool {
    let t = text.trim_end();
    let last = t.rsplit(char::is_whitespace).next().unwrap_or("");
    t.ends_with(['&', ',', '-', '–', '/', '+'])
        || matches!(
            last.to_lowercase().as_str(),
            "and" | "or" | "of" | "the" | "to" | "for" | "with" | "in"
        )
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', '!', '?', ':', ';'])
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn all_capitals(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// Multi-level section numbers ("2.3", "4.1.2") open headings, not list items.
fn section_number(text: &str) -> bool {
    let w = text.split_whitespace().next().unwrap_or("");
    let w = w.trim_end_matches('.');
    let parts: Vec<&str> = w.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
}

/// Sizes of the document: body text and the heading sizes, largest first.
struct Sizes {
    body: f64,
    headings: Vec<f64>,
}

fn round(size: f64) -> f64 {
    (size * 2.0).round() / 2.0
}

fn sizes(pages: &[PageLines]) -> Sizes {
    let mut weight: Vec<(f64, usize)> = Vec::new();
    for l in pages.iter().flat_map(|p| &p.lines) {
        let s = round(l.size);
        let n = l.text().chars().count();
        match weight.iter_mut().find(|(k, _)| *k == s) {
            Some(e) => e.1 += n,
            None => weight.push((s, n)),
        }
    }
    let body = weight
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(10.0, |(s, _)| *s);
    let mut headings: Vec<f64> = weight
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| *s >= body * HEADING_RATIO)
        .collect();
    headings.sort_by(|a, b| b.total_cmp(a));
    Sizes { body, headings }
}

impl Sizes {
    fn heading_level(&self, line: &Line) -> Option<u8> {
        let text = line.text();
        if words(&text) > 25 || text.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            return None;
        }
        let s = round(line.size);
        if s >= self.body * HEADING_RATIO {
            let rank = self.headings.iter().position(|h| *h <= s).unwrap_or(0);
            return Some((rank + 1).min(4) as u8);
        }
        if (all_capitals(&text) || section_number(&text))
            && words(&text) <= 12
            && !ends_sentence(&text)
        {
            return Some((self.headings.len() + 1).min(4) as u8);
        }
        None
    }
}

/// The block being assembled from lines.
struct Open {
    block: Block,
    /// Baseline and size of its last line.
    last_y: f64,
    size: f64,
    /// Where wrapped lines of a list item start.
    text_x: f64,
    /// Where the list label or the first line starts.
    start_x: f64,
    /// Right end of its last line.
    last_x1: f64,
}

enum Item {
    Line(Line, crate::columns::Column),
    Table(PageTable),
}

impl Item {
    fn top(&self) -> f64 {
        match self {
            Item::Line(l, _) => l.y - l.size,
            Item::Table(t) => t.top,
        }
    }
}

/// Builds the blocks of the whole document in reading order.
pub fn build(
    pages: Vec<PageLines>,
    per_page_tables: Vec<Vec<PageTable>>,
    notes: &mut Vec<Note>,
) -> Vec<Block> {
    let sizes = sizes(&pages);
    let repeated = repeated_lines(&pages);
    let mut out = Output::default();
    for (page, tables) in pages.into_iter().zip(per_page_tables) {
        let (body, footnotes) = split_footnotes(page.lines, page.height, sizes.body);
        let ordered = crate::columns::reading_order(body, page.width);
        // Each column has its own right margin for telling wrapped lines from short ones.
        let margins: Vec<f64> = (0..3u8)
            .map(|c| right_margin(ordered.iter().filter(|(_, lc)| *lc == c).map(|(l, _)| l)))
            .collect();
        let mut items: Vec<Item> = ordered.into_iter().map(|(l, c)| Item::Line(l, c)).collect();
        // Tables go where their top is, among the lines of the reading order.
        for t in tables {
            let at = items
                .iter()
                .position(|i| i.top() > t.top)
                .unwrap_or(items.len());
            items.insert(at, Item::Table(t));
        }
        let mut first = true;
        let mut text_seen = false;
        for item in items {
            match item {
                Item::Table(t) => {
                    out.flush();
                    add_table(
                        &mut out.blocks,
                        &mut out.tables_seen,
                        t,
                        page.number,
                        !text_seen,
                        &repeated,
                        &mut out.open_cells,
                        notes,
                    );
                }
                Item::Line(line, column) => {
                    let right = margins.get(column as usize).copied().unwrap_or(page.width);
                    out.add_line(line, page.number, &sizes, first, right);
                    text_seen = true;
                }
            }
            first = false;
        }
        // Footnotes must not split a paragraph that runs onto the next page: they wait
        // until the block open at the page end is complete.
        let mut noted: Option<Open> = None;
        let mut deferred = Vec::new();
        for line in footnotes {
            let text = line.text();
            match noted.as_mut() {
                Some(o)
                    if line.y - o.last_y <= PARAGRAPH_GAP_EM * o.size
                        && split_marker(&text).is_none() =>
                {
                    if let BlockKind::Paragraph { text: t } = &mut o.block.kind {
                        join_line(t, &text);
                    }
                    o.last_y = line.y;
                }
                _ => {
                    deferred.extend(noted.take().map(|o| o.block));
                    let block = Block {
                        page: page.number,
                        line: None,
                        kind: BlockKind::Paragraph {
                            text: text.trim().to_owned(),
                        },
                    };
                    noted = Some(Open {
                        block,
                        last_y: line.y,
                        size: line.size,
                        text_x: line.x0(),
                        start_x: line.x0(),
                        last_x1: line.x1(),
                    });
                }
            }
        }
        deferred.extend(noted.map(|o| o.block));
        if out.open.is_some() {
            out.deferred.extend(deferred);
        } else {
            out.blocks.extend(deferred);
        }
    }
    out.flush();
    read_markup(out.blocks)
}

/// Blocks printing HTML fragments literally (a text export rendered as is) become the
/// paragraphs and list items the markup stands for.
fn read_markup(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        let (text, item) = match &b.kind {
            BlockKind::Paragraph { text } => (text, None),
            BlockKind::ListItem {
                marker,
                depth,
                text,
            } => (text, Some((marker.clone(), *depth))),
            BlockKind::Heading { level, text } if crate::markup::has_markup(text) => {
                let plain = crate::markup::fragment_parts(text)
                    .into_iter()
                    .map(|p| p.text)
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push(Block {
                    kind: BlockKind::Heading {
                        level: *level,
                        text: plain,
                    },
                    ..b
                });
                continue;
            }
            _ => {
                out.push(b);
                continue;
            }
        };
        if !crate::markup::has_markup(text) {
            out.push(b);
            continue;
        }
        let parts = crate::markup::fragment_parts(text);
        for (k, p) in parts.into_iter().enumerate() {
            let kind = match (&item, k, p.list_item) {
                (Some((marker, depth)), 0, _) => BlockKind::ListItem {
                    marker: marker.clone(),
                    depth: *depth,
                    text: p.text,
                },
                (_, _, true) => BlockKind::ListItem {
                    marker: p.marker,
                    depth: item.as_ref().map_or(0, |i| i.1 + 1),
                    text: p.text,
                },
                _ => BlockKind::Paragraph { text: p.text },
            };
            out.push(Block {
                page: b.page,
                line: b.line,
                kind,
            });
        }
    }
    out
}

/// Blocks built so far, the block being assembled, and footnotes waiting for it.
#[derive(Default)]
struct Output {
    blocks: Vec<Block>,
    open: Option<Open>,
    deferred: Vec<Block>,
    /// Label positions of the list items in progress, outermost first, for depth.
    list_x: Vec<f64>,
    /// Label of the last numbered item, to tell the next label from wrapped text.
    last_label: Option<String>,
    /// Text of each table seen and the last page it was printed on.
    tables_seen: std::collections::HashMap<Vec<Vec<String>>, u32>,
    /// Per table block index, the columns whose last cell reached the bottom border, and
    /// the column edges of the table's last piece.
    open_cells: std::collections::HashMap<usize, (Vec<bool>, Vec<f64>)>,
}

impl Output {
    fn flush(&mut self) {
        if let Some(o) = self.open.take() {
            if let BlockKind::ListItem {
                marker: Some(m), ..
            } = &o.block.kind
            {
                self.last_label = Some(m.clone());
            }
            self.blocks.push(o.block);
        }
        self.blocks.append(&mut self.deferred);
    }

    /// Text of a line and where its text starts after any list label.
    fn line_parts(line: &Line) -> (String, Option<(Option<String>, String)>, f64) {
        let text = line.text();
        let marker = split_marker(&text);
        let mut text_x = line.x0();
        if marker.is_some() {
            let words: Vec<&(f64, f64, String)> = line.runs.iter().flat_map(|r| &r.words).collect();
            // The first word after the label; a bullet glued to its word has none.
            if let Some(w) = words.get(1) {
                text_x = w.0;
            }
        }
        (text, marker, text_x)
    }

    fn add_line(&mut self, line: Line, page: u32, sizes: &Sizes, first_on_page: bool, right: f64) {
        let (text, mut marker, mut text_x) = Self::line_parts(&line);
        if let (Some((Some(label), _)), Some(o)) = (&marker, &self.open) {
            let prev_label = match &o.block.kind {
                BlockKind::ListItem { marker: m, .. } => m.as_deref(),
                _ => self.last_label.as_deref(),
            };
            let near = line.y - o.last_y <= PARAGRAPH_GAP_EM * o.size && o.block.page == page;
            if near && !opens_item(label, &o.block.kind.text(), prev_label) {
                marker = None;
                text_x = line.x0();
            }
        }
        let heading = if marker.is_none() || section_number(&text) {
            sizes.heading_level(&line)
        } else {
            None
        };
        if let Some(o) = self.open.as_mut() {
            let same_size = (line.size - o.size).abs() <= 0.15 * o.size.max(1.0);
            // Wrapped text fills the line: when the first word of this line would have
            // fitted on the previous one, the previous line ended its paragraph.
            let first_word = line
                .runs
                .first()
                .and_then(|r| r.words.first())
                .map_or(0.0, |w| w.1 - w.0);
            let ended_short = o.last_x1 + first_word + 1.5 * o.size < right;
            let close = if o.block.page == page || !first_on_page {
                line.y - o.last_y <= PARAGRAPH_GAP_EM * o.size.max(line.size)
                    && line.y > o.last_y - 0.5 * o.size
            } else {
                // A paragraph running onto the next page: the text has not ended and the
                // new page opens mid-sentence.
                !ends_sentence(&o.block.kind.text()) && text.starts_with(|c: char| c.is_lowercase())
            };
            let continues = close
                && same_size
                && marker.is_none()
                && match &o.block.kind {
                    // A body-size heading ("7.1 Outcome – Develop …") that filled the line
                    // and runs on in body text was a numbered paragraph.
                    BlockKind::Heading { level, .. } => {
                        heading == Some(*level)
                            || (heading.is_none()
                                && !ended_short
                                && o.size < sizes.body * HEADING_RATIO
                                && line.x0() >= o.start_x - 0.6 * o.size)
                    }
                    BlockKind::ListItem { .. } => {
                        heading.is_none()
                            && !ended_short
                            && line.x0() >= o.text_x.min(o.start_x) - 0.6 * o.size
                    }
                    BlockKind::Paragraph { .. } => {
                        heading.is_none() && !ended_short && line.x0() >= o.start_x - 3.0 * o.size
                    }
                    BlockKind::Table(_) => false,
                };
            if continues {
                if let BlockKind::Heading { text: t, .. } = &o.block.kind {
                    if heading.is_none() {
                        o.block.kind = BlockKind::Paragraph { text: t.clone() };
                    }
                }
                match &mut o.block.kind {
                    BlockKind::Heading { text: t, .. }
                    | BlockKind::Paragraph { text: t }
                    | BlockKind::ListItem { text: t, .. } => join_line(t, &text),
                    BlockKind::Table(_) => {}
                }
                o.last_y = line.y;
                o.last_x1 = line.end();
                return;
            }
        }
        self.flush();
        let kind = match (heading, marker) {
            (Some(level), _) => BlockKind::Heading {
                level,
                text: text.trim().to_owned(),
            },
            (None, Some((m, rest))) => {
                let depth = self.depth(line.x0(), line.size);
                BlockKind::ListItem {
                    marker: m,
                    depth,
                    text: rest.trim().to_owned(),
                }
            }
            (None, None) => BlockKind::Paragraph {
                text: text.trim().to_owned(),
            },
        };
        if !matches!(kind, BlockKind::ListItem { .. })
            && line.x0() <= self.list_x.first().copied().unwrap_or(f64::MAX)
        {
            self.list_x.clear();
        }
        self.open = Some(Open {
            block: Block {
                page,
                line: None,
                kind,
            },
            last_y: line.y,
            size: line.size,
            text_x,
            start_x: line.x0(),
            last_x1: line.end(),
        });
    }

    /// Nesting of a list item from its label position relative to the items before it.
    fn depth(&mut self, x: f64, size: f64) -> u8 {
        while let Some(&last) = self.list_x.last() {
            if x < last - 0.5 * size {
                self.list_x.pop();
            } else {
                break;
            }
        }
        match self.list_x.last() {
            Some(&last) if x <= last + 0.5 * size => {}
            _ => self.list_x.push(x),
        }
        (self.list_x.len().saturating_sub(1)).min(u8::MAX as usize) as u8
    }
}

/// Lines of small print at the foot of a page (below body size, after a gap).
fn split_footnotes(mut lines: Vec<Line>, height: f64, body: f64) -> (Vec<Line>, Vec<Line>) {
    let mut start = lines.len();
    while start > 0 {
        let l = &lines[start - 1];
        if l.size < 0.9 * body && l.y > 0.6 * height {
            start -= 1;
        } else {
            break;
        }
    }
    // Small print right under body text is a caption or a note, not a footnote.
    if start == lines.len() || start == 0 || lines[start].y - lines[start - 1].y < 1.8 * body {
        return (lines, Vec::new());
    }
    let notes = lines.split_off(start);
    (lines, notes)
}

/// Where running text ends on the right: the typical right end of the longer lines.
fn right_margin<'a>(lines: impl Iterator<Item = &'a Line>) -> f64 {
    let mut ends: Vec<f64> = lines.map(Line::x1).collect();
    ends.sort_by(f64::total_cmp);
    ends.get(ends.len().saturating_sub(1).min(ends.len() * 9 / 10))
        .copied()
        .unwrap_or(0.0)
}

/// Short lines printed at least three times in the paper (a running header kept in the
/// body), folded to lower case.
fn repeated_lines(pages: &[PageLines]) -> std::collections::HashSet<String> {
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for l in pages.iter().flat_map(|p| &p.lines) {
        let text = l.text();
        if (1..=8).contains(&words(&text)) {
            *counts.entry(text.trim().to_lowercase()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 3)
        .map(|(t, _)| t)
        .collect()
}

/// Text of dashes only (a plain-text table rule rendered as text), at least two.
fn dashes_only(text: &str) -> bool {
    let dashes = text.chars().filter(|c| matches!(c, '-' | '–')).count();
    dashes >= 2
        && text
            .chars()
            .all(|c| matches!(c, '-' | '–') || c.is_whitespace())
}

/// A row printing only dashes (a plain-text table rule rendered as text).
fn dash_row(r: &actionplan_layout::Row) -> bool {
    dashes_only(&r.cells.iter().map(|c| c.text()).collect::<String>())
}

/// Adds a table, continuing the previous one when a table runs onto a new page.
#[allow(clippy::too_many_arguments)] // the page walk's state, passed explicitly
fn add_table(
    blocks: &mut Vec<Block>,
    seen: &mut std::collections::HashMap<Vec<Vec<String>>, u32>,
    mut t: PageTable,
    page: u32,
    only_tables_before: bool,
    repeated: &std::collections::HashSet<String>,
    open: &mut std::collections::HashMap<usize, (Vec<bool>, Vec<f64>)>,
    notes: &mut Vec<Note>,
) {
    t.rows.retain(|r| !dash_row(r));
    for cell in t.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
        if cell.parts.len() > 1 {
            cell.parts.retain(|p| !dashes_only(&p.text));
        }
    }
    if t.rows.is_empty() {
        return;
    }
    let texts: Vec<Vec<String>> = t.rows.iter().map(row_texts).collect();
    // A box printed on every page (a running total, a logo strip) is furniture: the same
    // table on the page before is dropped, however many pages it has already run.
    let last_page = seen.insert(texts, page);
    if last_page.is_some_and(|p| p + 1 == page) {
        notes.push(Note {
            page: Some(page),
            message: "dropped a table repeated from the previous page".into(),
        });
        return;
    }
    if t.continued {
        // The text flow says these rows belong to the last table: text printed between
        // (a running header inside the body) is left where it stands.
        let at = blocks
            .iter()
            .rposition(|b| matches!(b.kind, BlockKind::Table(_)) && b.page < page);
        if let Some((
            i,
            Block {
                kind: BlockKind::Table(prev),
                ..
            },
        )) = at.and_then(|i| Some((i, blocks.get_mut(i)?)))
        {
            if prev.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0) == t.columns() {
                let ran_on = open
                    .insert(i, (t.open_bottom, t.edges))
                    .unwrap_or_default()
                    .0;
                stitch(prev, t.rows, page, &ran_on, notes);
                return;
            }
        }
    }
    // Rows cut off from their table by a short line printed all through the paper (a
    // running header kept in the body) continue it when they pick up its last row.
    let between = blocks
        .iter()
        .rev()
        .take_while(|b| match &b.kind {
            BlockKind::Paragraph { text } | BlockKind::Heading { text, .. } => {
                repeated.contains(&text.trim().to_lowercase())
            }
            _ => false,
        })
        .count();
    if between > 0 {
        let at = blocks.len().checked_sub(between + 1);
        if let Some((
            i,
            Block {
                kind: BlockKind::Table(prev),
                ..
            },
        )) = at.and_then(|i| Some((i, blocks.get_mut(i)?)))
        {
            let width = prev.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            if (2..=width).contains(&t.columns())
                && t.rows.first().is_some_and(|r| continues_row(prev, r))
            {
                let ran_on = open
                    .insert(i, (t.open_bottom, t.edges))
                    .unwrap_or_default()
                    .0;
                stitch(prev, t.rows, page, &ran_on, notes);
                return;
            }
        }
    }
    if only_tables_before {
        // Skip tables already placed on this page; the one before them may continue here.
        let back = blocks
            .iter()
            .rev()
            .take_while(|b| b.page == page && matches!(b.kind, BlockKind::Table(_)))
            .count();
        let at = blocks.len().checked_sub(back + 1);
        if let Some((
            i,
            Block {
                page: prev_page,
                kind: BlockKind::Table(prev),
                ..
            },
        )) = at.and_then(|i| Some((i, blocks.get_mut(i)?)))
        {
            let width = prev.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            // A continuation may lack columns that are empty on its page (dropped as
            // stray rules): when each of its columns ends where one of the table above
            // ends, its cells go back to those columns.
            if *prev_page < page && t.columns() < width && t.columns() >= 2 {
                if let Some(widened) = open.get(&i).and_then(|(_, e)| widen(&t, e)) {
                    if widened
                        .rows
                        .first()
                        .is_some_and(|r| continues_row_strictly(prev, r))
                    {
                        t = widened;
                    }
                }
            }
            if *prev_page < page && width == t.columns() {
                let ran_on = open
                    .insert(i, (t.open_bottom, t.edges))
                    .unwrap_or_default()
                    .0;
                stitch(prev, t.rows, page, &ran_on, notes);
                return;
            }
        }
    }
    open.insert(blocks.len(), (t.open_bottom, t.edges));
    blocks.push(Block {
        page,
        line: None,
        kind: BlockKind::Table(Table { rows: t.rows }),
    });
}

/// `t` with its columns put back among `edges` (a table's column edges), matched by
/// their right edges; `None` when a column has no match.
fn widen(t: &PageTable, edges: &[f64]) -> Option<PageTable> {
    let mut slots = Vec::with_capacity(t.columns());
    let mut from = 0;
    for k in 0..t.columns() {
        let right = *t.edges.get(k + 1)?;
        let j =
            (from..edges.len().saturating_sub(1)).find(|&j| (edges[j + 1] - right).abs() <= 3.0)?;
        slots.push(j);
        from = j + 1;
    }
    let width = edges.len().saturating_sub(1);
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut cells = vec![actionplan_layout::Cell::default(); width];
            for (k, c) in r.cells.iter().enumerate() {
                if let Some(cell) = slots.get(k).and_then(|&j| cells.get_mut(j)) {
                    *cell = c.clone();
                }
            }
            actionplan_layout::Row { cells, ..r.clone() }
        })
        .collect();
    let mut open_bottom = vec![false; width];
    for (k, &j) in slots.iter().enumerate() {
        open_bottom[j] = t.open_bottom.get(k).copied().unwrap_or(false);
    }
    Some(PageTable {
        top: t.top,
        edges: edges.to_vec(),
        rows,
        continued: t.continued,
        open_bottom,
    })
}

fn row_texts(r: &actionplan_layout::Row) -> Vec<String> {
    r.cells.iter().map(|c| c.text()).collect()
}

/// Appends a page's rows to a table begun on an earlier page: repeated header rows go,
/// and a first row with an empty first cell continues the last row.
///
/// `ran_on` tells, per column, whether the last row's cell was printed down to the
/// bottom border: its last paragraph was cut by the page break unless it ended a sentence.
pub(crate) fn stitch(
    prev: &mut Table,
    rows: Vec<actionplan_layout::Row>,
    page: u32,
    ran_on: &[bool],
    notes: &mut Vec<Note>,
) {
    let headers: Vec<Vec<String>> = prev.rows.iter().take(2).map(row_texts).collect();
    let mut rows = rows.into_iter().peekable();
    let mut dropped = 0;
    while rows.peek().is_some_and(|r| headers.contains(&row_texts(r))) {
        rows.next();
        dropped += 1;
    }
    if dropped > 0 {
        notes.push(Note {
            page: Some(page),
            message: format!("dropped {dropped} repeated table header row(s)"),
        });
    }
    if let Some(first) = rows.peek() {
        if continues_row_strictly(prev, first) {
            if let (Some(first), Some(last)) = (rows.next(), prev.rows.last_mut()) {
                for (i, cell) in first.cells.into_iter().enumerate() {
                    match last.cells.get_mut(i) {
                        Some(c) => continue_cell(c, cell, ran_on.get(i).copied().unwrap_or(false)),
                        None => last.cells.push(cell),
                    }
                }
            }
        }
    }
    prev.rows.extend(rows);
}

/// Whether `first` carries on the last row of `prev`: it has nothing in the first
/// column, or picks up a cell mid-sentence.
fn continues_row(prev: &Table, first: &actionplan_layout::Row) -> bool {
    let last = prev.rows.last();
    let mid_sentence = first.cells.iter().enumerate().any(|(i, c)| {
        let before = last.map(|r| r.cell_text(i)).unwrap_or_default();
        !c.is_empty()
            && !before.trim().is_empty()
            && !ends_sentence(&before)
            && c.text().starts_with(|ch: char| ch.is_lowercase())
    });
    (first.cells.first().is_some_and(|c| c.is_empty()) || mid_sentence) && first.filled() > 0
}

/// `continues_row`, unless the first cell opens with a row reference ("2.1.2"): such a
/// row is a new one whatever its other cells begin with.
fn continues_row_strictly(prev: &Table, first: &actionplan_layout::Row) -> bool {
    let lead = first.cells.first().map(|c| c.text()).unwrap_or_default();
    let word = lead.split_whitespace().next().unwrap_or("");
    let reference = word.chars().any(|c| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.');
    !reference && continues_row(prev, first)
}

/// Appends the part of a cell printed on the next page; a paragraph cut mid-sentence
/// by the page break is joined back together.
fn continue_cell(
    cell: &mut actionplan_layout::Cell,
    mut next: actionplan_layout::Cell,
    ran_on: bool,
) {
    let joins = match (cell.parts.last(), next.parts.first()) {
        (Some(a), Some(b)) => {
            !b.list_item
                && !ends_sentence(&a.text)
                && (ran_on || b.text.starts_with(|c: char| c.is_lowercase()) || runs_on(&a.text))
        }
        _ => false,
    };
    if joins {
        let first = next.parts.remove(0);
        if let Some(last) = cell.parts.last_mut() {
            join_line(&mut last.text, &first.text);
        }
    }
    cell.append(next);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(
            split_marker("\u{F0B7} Ensure plans"),
            Some((None, "Ensure plans".into()))
        );
        assert_eq!(split_marker("◼ leaders"), Some((None, "leaders".into())));
        assert_eq!(
            split_marker("12. Improve"),
            Some((Some("12.".into()), "Improve".into()))
        );
        assert_eq!(
            split_marker("(iv) Review"),
            Some((Some("(iv)".into()), "Review".into()))
        );
        assert_eq!(
            split_marker("a) yes"),
            Some((Some("a)".into()), "yes".into()))
        );
        assert_eq!(split_marker("2008. The"), None);
        assert_eq!(split_marker("-5% change"), None);
        assert_eq!(split_marker("Ensure"), None);
        assert_eq!(split_marker("A. Smith"), None);
    }

    #[test]
    fn joins_hyphenated_words() {
        let mut t = String::from("recom-");
        join_line(&mut t, "mendations follow");
        assert_eq!(t, "recom-mendations follow");
        let mut t = String::from("Ensure");
        join_line(&mut t, "plans");
        assert_eq!(t, "Ensure plans");
    }
}
