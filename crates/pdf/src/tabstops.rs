//! Tables of plain text rendered with tab stops: a word processor printing a
//! tab-separated export puts each source line in one paragraph, moves to the next
//! default tab stop at every tab and wraps long lines at the right margin. No column
//! lines up, so the table is rebuilt from the text flow instead:
//!
//! - a tab is a gap with no space character printed in it (producers that print their
//!   spaces are required), or a line that opens at a tab stop; the number of tab stops a
//!   gap crosses gives the empty cells it skips;
//! - a line ends its source line when the next line's first word would have fitted after
//!   it (so the word processor did not wrap) or a blank line follows; otherwise the next
//!   line continues the cell that was cut;
//! - a source line of three or more short cells anchors a table; the source lines after
//!   it with two or more cells are its rows (a wrapped continuation stays in the cell
//!   above), through blank lines and across pages, until a line without tabs.
//!
//! Runs before the other unruled-table rules, over the whole document, because rows and
//! tables run across page breaks.

use actionplan_layout::{Cell, Part, Row};

use crate::table::PageTable;
use crate::text::{Line, PageLines};

/// A header cell longer than this many words is text, not a column name.
const HEADER_WORDS: usize = 6;
/// The smallest tab stop interval believed, in points.
const MIN_STEP: f64 = 8.0;
/// Short lines without tabs (a running header printed inside the body) a table may
/// skip when its rows resume right after them.
const MAX_INTERRUPTION: usize = 2;
/// Logical lines (sub-headings, running headers) that may come between a table and
/// rows of the same shape that carry on without a header of their own.
const MAX_HEADERLESS_GAP: usize = 8;

/// Text between two tab stops on one printed line.
#[derive(Debug, Clone)]
struct Seg {
    x1: f64,
    /// Tabs before it: from the previous segment, or from the line start.
    tabs: usize,
    words: Vec<(f64, f64, String)>,
}

/// One printed line cut at its tabs.
#[derive(Debug, Clone)]
struct Phys {
    page: usize,
    y: f64,
    size: f64,
    x1: f64,
    right: f64,
    segs: Vec<Seg>,
}

/// One source line: its printed lines and its cells.
#[derive(Debug, Clone)]
struct Logical {
    phys: Vec<usize>,
    cells: Vec<String>,
}

/// Where tab stops are on a page: the left margin and the stop interval, when the
/// positions of tabbed text agree on one.
#[derive(Debug, Clone, Copy)]
struct Grid {
    step: Option<f64>,
}

impl Grid {
    /// Tab stops `s` with `a < s <= b` (`a`, `b` from the left margin).
    fn stops(&self, a: f64, b: f64) -> usize {
        match self.step {
            Some(step) => {
                let n = |x: f64| ((x + 0.5) / step).floor().max(0.0) as usize;
                n(b).saturating_sub(n(a))
            }
            None => usize::from(b > a),
        }
    }

    /// The first tab stop after `a` (from the left margin).
    /// Whether `x` (from the left margin) is a tab stop; any place is when the stops
    /// are unknown.
    fn at_stop(&self, x: f64) -> bool {
        self.step
            .is_none_or(|step| ((x / step).round() * step - x).abs() <= 1.0 && x > 0.5 * step)
    }

    fn next(&self, a: f64, size: f64) -> f64 {
        match self.step {
            Some(step) => (((a + 0.5) / step).floor() + 1.0) * step,
            None => a + 2.0 * size,
        }
    }
}

/// Finds tab-stop tables in the document, takes their lines out of the pages and
/// returns each page's share of them.
pub fn tables(pages: &mut [PageLines]) -> Vec<Vec<PageTable>> {
    let mut out: Vec<Vec<PageTable>> = vec![Vec::new(); pages.len()];
    if !prints_spaces(pages) {
        return out;
    }
    let lefts: Vec<f64> = pages.iter().map(|p| left_margin(&p.lines)).collect();
    let grid = grid(pages, &lefts);
    let mut phys = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let right = page.lines.iter().map(Line::x1).fold(0.0, f64::max);
        for line in &page.lines {
            phys.push(cut(pi, line, lefts[pi], right, grid));
        }
    }
    if phys.is_empty() {
        return out;
    }
    let logical = logical_lines(&phys, &lefts, grid);
    let mut used = vec![false; phys.len()];
    let mut i = 0;
    // Columns of the last table recovered and the logical line after it: rows shaped
    // like its header that come soon after it (under a new sub-heading) are a table
    // without a header of their own.
    let mut last: Option<(usize, usize)> = None;
    while i < logical.len() {
        let width = last
            .filter(|&(_, end)| i - end <= MAX_HEADERLESS_GAP)
            .map(|(w, _)| w);
        match table_at(&logical, i, width) {
            Some((rows, end, w)) => {
                emit(
                    &logical, &rows, w, &phys, &lefts, pages, &mut out, &mut used,
                );
                last = Some((w, end));
                i = end;
            }
            None => i += 1,
        }
    }
    // Take the table lines out of their pages.
    let mut k = 0;
    for page in pages.iter_mut() {
        let mut keep = Vec::with_capacity(page.lines.len());
        for line in page.lines.drain(..) {
            if !used.get(k).copied().unwrap_or(false) {
                keep.push(line);
            }
            k += 1;
        }
        page.lines = keep;
    }
    out
}

/// The source lines rebuilt from tab stops, one a line ("page y: cells"), for
/// debugging; empty when the producer does not print its spaces.
pub fn debug_source_lines(pages: &[PageLines]) -> String {
    if !prints_spaces(pages) {
        return String::new();
    }
    let lefts: Vec<f64> = pages.iter().map(|p| left_margin(&p.lines)).collect();
    let grid = grid(pages, &lefts);
    let mut phys = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let right = page.lines.iter().map(Line::x1).fold(0.0, f64::max);
        phys.extend(
            page.lines
                .iter()
                .map(|l| cut(pi, l, lefts[pi], right, grid)),
        );
    }
    let mut out = format!("tab stop every {:?} pt\n", grid.step);
    for l in logical_lines(&phys, &lefts, grid) {
        let Some(p) = l.phys.first().and_then(|&i| phys.get(i)) else {
            continue;
        };
        let number = pages.get(p.page).map_or(0, |pg| pg.number);
        let cells: Vec<String> = l
            .cells
            .iter()
            .map(|c| c.chars().take(40).collect())
            .collect();
        out.push_str(&format!(
            "p{number} y={:.1} {}: {cells:?}\n",
            p.y,
            l.cells.len()
        ));
    }
    out
}

/// Whether the producer prints space characters between words, so that an unspaced
/// gap means a tab. Producers that only position their words make every gap unspaced.
pub fn prints_spaces(pages: &[PageLines]) -> bool {
    let lines = pages.iter().flat_map(|p| &p.lines);
    let (spaced, unspaced) = lines.fold((0usize, 0usize), |(s, u), l| {
        (s + l.spaced_gaps, u + l.tabs.len())
    });
    spaced >= 20 && unspaced * 4 < spaced
}

/// The left margin: where most lines start.
fn left_margin(lines: &[Line]) -> f64 {
    let mut counts: Vec<(f64, usize)> = Vec::new();
    for l in lines {
        let x = l.x0();
        match counts.iter_mut().find(|(c, _)| (c - x).abs() <= 1.0) {
            Some(e) => e.1 += 1,
            None => counts.push((x, 1)),
        }
    }
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)))
        .map_or(0.0, |c| c.0)
}

/// The tab stop interval: tabbed text starts at multiples of it from the left margin.
fn grid(pages: &[PageLines], lefts: &[f64]) -> Grid {
    let mut offsets = Vec::new();
    for (page, &left) in pages.iter().zip(lefts) {
        for l in &page.lines {
            let size = l.size.max(1.0);
            if l.x0() > left + 0.5 * size {
                offsets.push(l.x0() - left);
            }
            offsets.extend(l.tabs.iter().map(|t| t - left).filter(|o| *o > 0.5 * size));
        }
    }
    // Lines indented by a space or two (a leading space in the export) are not tabbed.
    let Some(min) = offsets
        .iter()
        .copied()
        .filter(|o| *o >= MIN_STEP)
        .reduce(f64::min)
    else {
        return Grid { step: None };
    };
    // The first stop may never be used on its own; try fractions of the smallest offset.
    for k in 1..=3 {
        let step = min / k as f64;
        if step < MIN_STEP {
            break;
        }
        let fits = offsets.iter().filter(|o| {
            let r = *o / step;
            (r - r.round()).abs() * step <= 1.0
        });
        if fits.count() * 10 >= offsets.len() * 9 {
            return Grid { step: Some(step) };
        }
    }
    Grid { step: None }
}

/// Cuts a printed line at its tabs.
fn cut(page: usize, line: &Line, left: f64, right: f64, grid: Grid) -> Phys {
    let size = line.size.max(1.0);
    let mut segs: Vec<Seg> = Vec::new();
    for (piece, w) in line
        .runs
        .iter()
        .flat_map(|r| &r.words)
        .flat_map(|w| tight_pieces(w, line, left, grid).into_iter().enumerate())
    {
        // Text after a tab starts at a tab stop; an unspaced gap elsewhere is kerning.
        let tab = piece > 0
            || line.tabs.iter().any(|t| (t - w.0).abs() < 0.01) && grid.at_stop(w.0 - left);
        let w = &w;
        match segs.last_mut() {
            Some(s) if !tab => {
                s.x1 = s.x1.max(w.1);
                s.words.push(w.clone());
            }
            last => {
                let tabs = match last {
                    Some(s) => {
                        // Spaces printed before the tab count: it goes to the first stop
                        // after them.
                        let from = line
                            .tabs
                            .iter()
                            .position(|t| (t - w.0).abs() < 0.01)
                            .and_then(|k| line.tab_from.get(k))
                            .map_or(s.x1, |f| f.max(s.x1));
                        grid.stops(from - left, w.0 - left).max(1)
                    }
                    None if w.0 > left + 0.5 * size && grid.at_stop(w.0 - left) => {
                        grid.stops(0.0, w.0 - left).max(1)
                    }
                    None => 0,
                };
                segs.push(Seg {
                    x1: w.1,
                    tabs,
                    words: vec![w.clone()],
                });
            }
        }
    }
    Phys {
        page,
        y: line.y,
        size: line.size,
        x1: line.x1(),
        right,
        segs,
    }
}

/// A word cut at its tight gaps that fall on a tab stop: a tab whose text ended just
/// short of its stop prints no space and almost no gap ("cases forConsistent"), but the
/// text after it starts exactly on the stop.
fn tight_pieces(
    w: &(f64, f64, String),
    line: &Line,
    left: f64,
    grid: Grid,
) -> Vec<(f64, f64, String)> {
    let mut cuts: Vec<(f64, usize)> = line
        .tight
        .iter()
        .filter(|t| {
            (t.0 - w.0).abs() < 0.01
                && t.1 > w.0
                && t.1 < w.1
                && grid.step.is_some()
                && grid.at_stop(t.1 - left)
        })
        .filter(|t| t.2 > 0 && t.2 < w.2.len() && w.2.is_char_boundary(t.2))
        .map(|t| (t.1, t.2))
        .collect();
    if cuts.is_empty() {
        return vec![w.clone()];
    }
    cuts.sort_by_key(|c| c.1);
    cuts.dedup_by(|a, b| a.1 == b.1);
    let mut out = Vec::new();
    let (mut x0, mut from) = (w.0, 0);
    for (x, at) in cuts {
        out.push((x0, x, w.2[from..at].to_owned()));
        (x0, from) = (x, at);
    }
    out.push((x0, w.1, w.2[from..].to_owned()));
    out
}

/// Text of a segment; gaps of several spaces (flattened line breaks in the export)
/// become line breaks.
fn seg_text(seg: &Seg, size: f64) -> String {
    let mut out = String::new();
    let mut last: Option<f64> = None;
    for (x0, x1, t) in &seg.words {
        if let Some(prev) = last {
            // Average character width of the word: one space in a fixed-pitch font.
            let n = t.chars().count().max(1) as f64;
            let space = ((x1 - x0) / n).clamp(0.2 * size, 0.7 * size);
            out.push(if x0 - prev > 1.7 * space { '\n' } else { ' ' });
        }
        out.push_str(t);
        last = Some(*x1);
    }
    out
}

/// Whether the printed line `q` starts a new source line after `p`.
fn hard_break(p: &Phys, q: &Phys, lefts: &[f64], grid: Grid) -> bool {
    let size = p.size.max(1.0);
    if p.page == q.page && q.y - p.y > 1.6 * size {
        return true;
    }
    if p.page == q.page && q.y <= p.y {
        return true;
    }
    let (Some(first), Some(seg)) = (q.segs.first().and_then(|s| s.words.first()), q.segs.first())
    else {
        return true;
    };
    let w = first.1 - first.0;
    let n = first.2.chars().count().max(1) as f64;
    let left = lefts.get(p.page).copied().unwrap_or(0.0);
    // Where the word would have gone on the previous line.
    let end = if seg.tabs == 0 {
        p.x1 + w / n + w
    } else {
        let mut stop = grid.next(p.x1 - left, size);
        for _ in 1..seg.tabs {
            stop = grid.next(stop, size);
        }
        left + stop + w
    };
    end <= p.right + 0.5
}

fn logical_lines(phys: &[Phys], lefts: &[f64], grid: Grid) -> Vec<Logical> {
    let mut out: Vec<Logical> = Vec::new();
    // Cells of the last header row: a row that has them all is complete, so a line that
    // opens with a cell and a tab is the next row even when its first word would not
    // have fitted after the last one (a wrapped last cell has no tab).
    let mut width: Option<usize> = None;
    // When the open source line got every column: its printed lines and cells then.
    let mut complete: Option<(usize, Vec<String>)> = None;
    for (i, p) in phys.iter().enumerate() {
        let is_full = |l: &Logical, width: Option<usize>| width.is_some_and(|w| l.cells.len() >= w);
        let full = out.last().is_some_and(|l| is_full(l, width)) && p.segs.len() >= 2;
        let broken = i == 0 || hard_break(&phys[i - 1], p, lefts, grid);
        let starts = full || broken;
        // Lines without tabs that followed a complete row, before a line that brings
        // more cells: they began the next row, whose first cell wrapped (its last line
        // reached the margin, so the row above seemed to wrap into it).
        let adds_cells = p.segs.len() >= 2 || p.segs.first().is_some_and(|s| s.tabs > 0);
        let moved = match (&complete, out.last()) {
            (Some((n, _)), Some(log)) if !broken => {
                let after = log.phys.get(*n..).unwrap_or(&[]);
                let plain_lines = after
                    .iter()
                    .all(|&k| phys[k].segs.len() == 1 && phys[k].segs[0].tabs == 0);
                let opens = after
                    .first()
                    .and_then(|&k| phys[k].segs.first())
                    .is_some_and(|s| !starts_lower(&seg_text(s, p.size.max(1.0))));
                adds_cells && !after.is_empty() && plain_lines && opens
            }
            _ => false,
        };
        if moved {
            let Some((n, cells)) = complete.take() else {
                continue;
            };
            let Some(log) = out.last_mut() else { continue };
            let lines = log.phys.split_off(n);
            log.cells = cells;
            let mut next = Logical {
                phys: Vec::new(),
                cells: Vec::new(),
            };
            for k in lines {
                add_line(&mut next, k, &phys[k]);
            }
            out.push(next);
        } else if starts {
            if let Some(done) = out.last() {
                if is_header(done) {
                    width = Some(done.cells.len());
                }
            }
            out.push(Logical {
                phys: Vec::new(),
                cells: Vec::new(),
            });
            complete = None;
        }
        let Some(log) = out.last_mut() else { continue };
        add_line(log, i, p);
        if complete.is_none() && is_full(log, width) {
            complete = Some((log.phys.len(), log.cells.clone()));
        }
    }
    out
}

/// Adds printed line `i` to a source line.
fn add_line(log: &mut Logical, i: usize, p: &Phys) {
    let first_line = log.phys.is_empty();
    log.phys.push(i);
    for (k, seg) in p.segs.iter().enumerate() {
        let text = seg_text(seg, p.size.max(1.0));
        if k == 0 && !first_line && seg.tabs == 0 {
            // The wrapped rest of the cell that was cut.
            match log.cells.last_mut() {
                Some(c) => {
                    let mut lines = text.split('\n');
                    if let Some(head) = lines.next() {
                        crate::blocks::join_line(c, head);
                    }
                    for more in lines {
                        c.push('\n');
                        c.push_str(more);
                    }
                }
                None => log.cells.push(text),
            }
            continue;
        }
        let empties = if k == 0 && first_line {
            seg.tabs
        } else {
            seg.tabs.saturating_sub(1)
        };
        log.cells
            .extend(std::iter::repeat_n(String::new(), empties));
        log.cells.push(text);
    }
}

/// Cell text without markup, for judging what a cell is.
fn plain(cell: &str) -> String {
    crate::markup::fragment_parts(cell)
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A header row: three or more short cells naming columns.
fn is_header(log: &Logical) -> bool {
    let named: Vec<String> = log
        .cells
        .iter()
        .map(|c| plain(c))
        .filter(|c| !c.trim().is_empty())
        .collect();
    named.len() >= 3
        && log.cells.len() <= 12
        && named.iter().all(|c| {
            let t = c.trim();
            t.split_whitespace().count() <= HEADER_WORDS
                && !t.ends_with(['.', ':', ';'])
                && t.chars().any(char::is_alphabetic)
        })
}

fn same_cells(a: &Logical, b: &Logical) -> bool {
    a.cells.len() == b.cells.len()
        && a.cells
            .iter()
            .zip(&b.cells)
            .all(|(x, y)| plain(x).trim() == plain(y).trim())
}

/// A first cell that names a row: a short reference such as "4.1.3", "12" or "R2".
fn ref_like(cell: &str) -> bool {
    let t = plain(cell);
    let t = t.trim().trim_end_matches(['.', ')']);
    let n = t.chars().count();
    (1..=10).contains(&n)
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && t.chars().filter(|c| c.is_ascii_alphabetic()).count() <= 2
}

/// A source line shaped like a row of a table with `width` columns: a reference in the
/// first column and every column of the header but possibly one (a tab lost where text
/// ended on its stop), three at least.
fn headerless_row(log: &Logical, width: usize) -> bool {
    let n = log.cells.len();
    n >= 3
        && (n == width || n + 1 == width && width >= 4)
        && log.cells.first().is_some_and(|c| ref_like(c))
        && !is_header(log)
}

/// The rows (indexes of logical lines, header first) of a table whose header is at
/// `start`, the first logical line after it and its number of columns. When `width`
/// is given (the columns of a table just before), a table may also start with a row
/// shaped like that table's rows; it then has no header row.
fn table_at(
    logs: &[Logical],
    start: usize,
    width: Option<usize>,
) -> Option<(Vec<usize>, usize, usize)> {
    let head = &logs[start];
    let headed = is_header(head);
    let columns = match width {
        _ if headed => head.cells.len(),
        Some(w) if headerless_row(head, w) => w,
        _ => return None,
    };
    let mut rows = vec![start];
    let mut j = start + 1;
    while j < logs.len() {
        let l = &logs[j];
        // Rows of a headerless table keep the shape of its first row (or continue the
        // row above with an empty first column).
        let shaped =
            headerless_row(l, columns) || l.cells.first().is_some_and(|c| c.trim().is_empty());
        if !headed && (is_header(l) || l.cells.len() >= 2 && !shaped) {
            break;
        }
        if l.cells.len() >= 2 {
            if headed && same_cells(l, head) {
                // The header again: repeated on a new page, or the next table.
                let last_page = rows.last().and_then(|&r| logs[r].phys.first());
                let (Some(&a), Some(&b)) = (last_page, l.phys.first()) else {
                    break;
                };
                if a == b || rows.len() == 1 {
                    break;
                }
                rows.push(j);
                j += 1;
                continue;
            }
            rows.push(j);
            j += 1;
            continue;
        }
        // A short line without tabs may interrupt the rows (a running header printed
        // inside the body); the table goes on if a row follows right after.
        let resumes =
            (j..logs.len().min(j + MAX_INTERRUPTION + 1)).find(|&k| logs[k].cells.len() >= 2);
        // Only text printed again elsewhere in the paper (running headers repeat) may
        // interrupt; a one-off line (a new section's title) ends the table.
        let short = |k: usize| {
            let text = plain(logs[k].cells.first().map_or("", |c| c.as_str()));
            let repeats = logs
                .iter()
                .filter(|l| {
                    l.cells.len() <= 1 && plain(l.cells.first().map_or("", |c| c.as_str())) == text
                })
                .count();
            logs[k].cells.len() <= 1 && text.split_whitespace().count() <= 8 && repeats >= 2
        };
        match resumes {
            Some(k) if (j..k).all(short) && !is_header(&logs[k]) => j = k,
            _ => break,
        }
    }
    (rows.len() >= 2 || !headed).then_some((rows, j, columns))
}

/// A cell from its text, markup read as paragraphs and list items.
fn cell(text: &str) -> Cell {
    let parts: Vec<Part> = crate::markup::fragment_parts(text);
    Cell {
        parts,
        ..Cell::default()
    }
}

fn starts_lower(text: &str) -> bool {
    let t = plain(text);
    let t = t.trim_start();
    crate::blocks::split_marker(t).is_none() && t.chars().next().is_some_and(char::is_lowercase)
}

fn unfinished(text: &str) -> bool {
    let t = plain(text);
    !t.trim().is_empty() && !t.trim_end().ends_with(['.', '!', '?', ':', ';'])
}

/// Whether `next` carries on `prev`: its first text starts in lower case, or one of
/// its cells does where `prev`'s cell stopped mid-sentence, and it has no reference of
/// its own.
fn resumes(prev: &Row, next: &Row) -> bool {
    // A row with a reference of its own is a row of its own.
    let own = next.cells.first().map(Cell::text).unwrap_or_default();
    if ref_like(&own)
        && prev
            .cells
            .first()
            .is_none_or(|p| p.text().trim() != own.trim())
    {
        return false;
    }
    let first = next
        .cells
        .iter()
        .map(Cell::text)
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    starts_lower(&first)
        || next
            .cells
            .iter()
            .zip(&prev.cells)
            .any(|(n, p)| !n.is_empty() && unfinished(&p.text()) && starts_lower(&n.text()))
}

/// Appends the rest of a cell cut by a page break: text cut mid-sentence (a long
/// unfinished sentence, or a continuation in lower case) rejoins it; short values
/// (names, dates) stay separate entries.
fn resume_cell(cell: &mut Cell, next: Cell) {
    let mut parts: Vec<Part> = next
        .parts
        .into_iter()
        .filter(|p| !p.text.trim().is_empty())
        .collect();
    if let (Some(last), Some(first)) = (cell.parts.last_mut(), parts.first()) {
        let long = last.text.split_whitespace().count() >= 5;
        if (unfinished(&last.text) && long || starts_lower(&first.text))
            && first.marker.is_none()
            && !first.list_item
        {
            let first = parts.remove(0);
            crate::blocks::join_line(&mut last.text, &first.text);
        }
    }
    cell.parts.extend(parts);
}

#[allow(clippy::too_many_arguments)]
fn emit(
    logs: &[Logical],
    rows: &[usize],
    width: usize,
    phys: &[Phys],
    lefts: &[f64],
    pages: &[PageLines],
    out: &mut [Vec<PageTable>],
    used: &mut [bool],
) {
    let headed = logs.get(rows[0]).is_some_and(is_header);
    // The piece of the table on the page being read: a new piece on each page it reaches.
    let mut current: Option<(usize, PageTable)> = None;
    let mut last_row: Option<usize> = None;
    for &r in rows {
        // Lines skipped since the last row: a running header printed where the
        // original document's page broke, perhaps in the middle of a row.
        let interrupted = last_row.is_some_and(|l| r > l + 1);
        last_row = Some(r);
        let log = &logs[r];
        let Some(&p0) = log.phys.first() else {
            continue;
        };
        let first = &phys[p0];
        for &p in &log.phys {
            if let Some(u) = used.get_mut(p) {
                *u = true;
            }
        }
        let mut texts = log.cells.clone();
        // Extra cells (a tab too many) join the last column; missing ones are empty.
        if texts.len() > width && width > 0 {
            let extra = texts.split_off(width);
            if let Some(last) = texts.last_mut() {
                for e in extra.iter().filter(|e| !e.trim().is_empty()) {
                    crate::blocks::join_line(last, e);
                }
            }
        }
        texts.resize(width, String::new());
        let number = pages.get(first.page).map_or(1, |p| p.number);
        let row = Row {
            page: number,
            line: None,
            cells: texts.iter().map(|t| cell(t)).collect(),
        };
        if current.as_ref().is_none_or(|(pg, _)| *pg != first.page) {
            let continued = current.is_some();
            if let Some((pg, t)) = current.take() {
                if let Some(v) = out.get_mut(pg) {
                    v.push(t);
                }
            }
            let left = lefts.get(first.page).copied().unwrap_or(0.0);
            let right = first.right.max(left + 1.0);
            let edges = (0..=width)
                .map(|k| left + (right - left) * k as f64 / width.max(1) as f64)
                .collect();
            current = Some((
                first.page,
                PageTable {
                    top: first.y - first.size,
                    edges,
                    rows: Vec::new(),
                    continued,
                    open_bottom: Vec::new(),
                },
            ));
        }
        if let Some((_, t)) = current.as_mut() {
            // A source line with nothing in the first column continues the row above
            // (the export's rendering of a row cut by a page break); the first column
            // is where rows start new text.
            let header_only = headed && t.rows.len() <= 1 && r != rows[0] && !t.continued;
            match t.rows.last_mut() {
                Some(prev)
                    if r != rows[0]
                        && !header_only
                        && row.cells.first().is_some_and(Cell::is_empty)
                        && row.filled() > 0 =>
                {
                    for (c, cell) in prev.cells.iter_mut().zip(row.cells) {
                        c.append(cell);
                    }
                }
                // After a running header, a row that picks up a cell mid-sentence is
                // the rest of the row the original page break cut.
                Some(prev) if interrupted && !header_only && resumes(prev, &row) => {
                    for (c, cell) in prev.cells.iter_mut().zip(row.cells) {
                        resume_cell(c, cell);
                    }
                }
                _ => t.rows.push(row),
            }
        }
    }
    if let Some((pg, t)) = current.take() {
        if let Some(v) = out.get_mut(pg) {
            v.push(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{Glyph, PageContent};

    const LEFT: f64 = 56.8;
    const STEP: f64 = 35.43;
    const RIGHT: f64 = 538.0;
    const CW: f64 = 6.0;

    /// Lays source lines out the way a word processor prints plain text: fixed-pitch
    /// characters with their spaces, tabs to the next default stop, words wrapped at the
    /// right margin (a tab that does not fit moves to the next line).
    fn render(source: &[&str]) -> PageContent {
        let mut glyphs = Vec::new();
        let mut y = 60.0;
        for line in source {
            let mut x = LEFT;
            let mut after_tab = false;
            let tokens: Vec<String> = line
                .split_inclusive(['\t', ' '])
                .map(str::to_owned)
                .collect();
            for tok in tokens {
                let (word, sep) = match tok.strip_suffix(['\t', ' ']) {
                    Some(w) => (w.to_owned(), tok.chars().last()),
                    None => (tok.clone(), None),
                };
                if x + word.chars().count() as f64 * CW > RIGHT && x > LEFT {
                    // A tab whose text does not fit moves to the next line with it.
                    x = if after_tab { LEFT + STEP } else { LEFT };
                    y += 11.65;
                }
                after_tab = false;
                for c in word.chars() {
                    glyphs.push(Glyph {
                        x,
                        y,
                        w: CW,
                        size: 10.0,
                        text: c.to_string(),
                    });
                    x += CW;
                }
                match sep {
                    Some(' ') => {
                        glyphs.push(Glyph {
                            x,
                            y,
                            w: CW,
                            size: 10.0,
                            text: " ".into(),
                        });
                        x += CW;
                    }
                    Some(_) => {
                        after_tab = true;
                        let next = LEFT + (((x - LEFT) / STEP).floor() + 1.0) * STEP;
                        x = if next > RIGHT {
                            y += 11.65;
                            LEFT + STEP
                        } else {
                            next
                        };
                    }
                    None => {}
                }
            }
            y += 11.65;
        }
        PageContent {
            number: 1,
            width: 595.0,
            height: 842.0,
            glyphs,
            ..Default::default()
        }
    }

    fn texts(t: &PageTable) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(Cell::text).collect())
            .collect()
    }

    #[test]
    fn rebuilds_wrapped_tab_rows_under_a_header() {
        let page = render(&[
            "Some running text before the table, long enough to be a paragraph of prose.",
            "No\tAction to be taken\tOutcome / success criteria\tOperational lead\tTimescale",
            "1.1\tConsult with children and young people through the forum to determine how they would like to learn about the findings\tThe forum will share its views on how best to disseminate the report\tActive Involvement Service Manager\tDec 2008",
            "1.2\tPublish a short version of the report\tYoung people will be given simple information <ul style=\"x\"> • posters • leaflets\tService Manager\tJan 2009",
            "",
            "Links: the business plan",
        ]);
        let mut pages = vec![crate::text::page_lines(&page)];
        let found = tables(&mut pages);
        assert_eq!(found[0].len(), 1);
        let rows = texts(&found[0][0]);
        assert_eq!(
            rows[0],
            [
                "No",
                "Action to be taken",
                "Outcome / success criteria",
                "Operational lead",
                "Timescale"
            ]
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1][0], "1.1");
        assert!(
            rows[1][1].starts_with("Consult with children")
                && rows[1][1].ends_with("learn about the findings")
        );
        assert_eq!(rows[1][3], "Active Involvement Service Manager");
        assert_eq!(rows[1][4], "Dec 2008");
        assert_eq!(
            rows[2][2],
            "Young people will be given simple information\nposters\nleaflets"
        );
        assert!(found[0][0].rows[2].cells[2].parts[1].list_item);
        // The prose around the table stays running text.
        let left: Vec<String> = pages[0].lines.iter().map(Line::text).collect();
        assert_eq!(left.len(), 2, "{left:?}");
    }

    #[test]
    fn rows_shaped_like_the_last_table_need_no_header() {
        let page = render(&[
            "Some running text before the table, long enough to be a paragraph of prose. It goes on for a while so that the page prints enough spaces between its words to show that the producer prints them, which tells a tab from a space, and it has to go on for quite a few more words than that before the table starts.",
            "Ref\tActions\tTimescale\tDelivery Lead\tTargets & Measures",
            "1.1.1\tReview open cases\tMarch 2012\tHeads\tAll reviewed",
            "1.2 Outcome - Supervision is regular and recorded.",
            "1.2.1\tAudit supervision records\tJune 2012\tDistrict Managers\tAudit completed",
            "1.2.2\tTrain new managers\tJuly 2012\tWorkforce Lead\tAll managers trained",
            "",
            "1. A numbered point\tset off by a tab.",
        ]);
        let mut pages = vec![crate::text::page_lines(&page)];
        let found = tables(&mut pages);
        assert_eq!(found[0].len(), 2);
        assert_eq!(texts(&found[0][0]).len(), 2);
        let rows = texts(&found[0][1]);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(
            rows[0],
            [
                "1.2.1",
                "Audit supervision records",
                "June 2012",
                "District Managers",
                "Audit completed"
            ]
        );
        assert_eq!(rows[1][0], "1.2.2");
        let left: Vec<String> = pages[0].lines.iter().map(Line::text).collect();
        assert_eq!(left.len(), 6, "{left:?}");
    }

    #[test]
    fn a_tab_ending_just_short_of_its_stop_still_parts_cells() {
        // 47 characters end 1.44 pt before the eighth stop: the tab leaves no space and
        // almost no gap.
        let action = "Case audits undertaken on violence cases for al";
        assert_eq!(action.len(), 47);
        let row = format!("{action}\tMonthly audit\tDMT");
        let page = render(&[
            "Some running text before the table, long enough to be a paragraph of prose. It goes on for a while so that the page prints enough spaces between its words to show that the producer prints them.",
            "Action\tMilestone\tLead",
            &row,
            "Review the audit tool\tMay 2007\tDMT",
        ]);
        let mut pages = vec![crate::text::page_lines(&page)];
        let found = tables(&mut pages);
        assert_eq!(found[0].len(), 1);
        let rows = texts(&found[0][0]);
        assert_eq!(rows[1], [action, "Monthly audit", "DMT"]);
    }

    #[test]
    fn a_row_cut_by_a_running_header_is_joined_back() {
        let page = render(&[
            "Action Plan",
            "Some running text before the table, long enough to be a paragraph of prose. It goes on for a while so that the page prints enough spaces between its words to show that the producer prints them.",
            "Action\tMilestone\tLead",
            "Case audits on domestic violence cases for\tConsistent practice monitored on a\tDMT",
            "Action Plan",
            "social care\tmonthly basis\t",
            "Review the audit tool\tMay 2007\tDMT",
        ]);
        let mut pages = vec![crate::text::page_lines(&page)];
        let found = tables(&mut pages);
        assert_eq!(found[0].len(), 1);
        let rows = texts(&found[0][0]);
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(
            rows[1],
            [
                "Case audits on domestic violence cases for social care",
                "Consistent practice monitored on a monthly basis",
                "DMT"
            ]
        );
    }

    #[test]
    fn a_wrapped_first_cell_after_a_complete_row_starts_the_next_row() {
        // The first row's last cell ends at the margin, so the next row's first line
        // (no tab yet: its first cell wraps) could have been the rest of that cell.
        let lead = "Domestic Violence Subgroup with the Safeguarding Board members";
        let page = render(&[
            "Some running text before the table, long enough to be a paragraph of prose. It goes on for a while so that the page prints enough spaces between its words to show that the producer prints them.",
            "Action\tMilestone\tLead",
            &format!("Audit\tMay 2007\t{lead}"),
            "Letter to provider to ensure admission of an u18 to an adult ward triggers a serious untoward incident report\tJune 2007\tDMT",
        ]);
        let mut pages = vec![crate::text::page_lines(&page)];
        let found = tables(&mut pages);
        assert_eq!(found[0].len(), 1);
        let rows = texts(&found[0][0]);
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[1], ["Audit", "May 2007", lead]);
        assert!(
            rows[2][0].starts_with("Letter to provider") && rows[2][0].ends_with("incident report"),
            "{rows:?}"
        );
        assert_eq!(rows[2][1..], ["June 2007", "DMT"]);
    }

    #[test]
    fn prose_without_tabs_is_left_alone() {
        let page = render(&["A paragraph of prose that wraps onto a second printed line because it is long enough to do so.", "Another line."]);
        let mut pages = vec![crate::text::page_lines(&page)];
        assert!(tables(&mut pages)[0].is_empty());
        assert_eq!(pages[0].lines.len(), 3);
    }
}
