//! Tables from geometry: ruled tables from drawn segments (a cell grid with merged
//! cells) and unruled tables from column alignment under a header row. Lines used by a
//! table are taken out of the page so the block builder sees only running text.

use actionplan_layout::{Cell, Part, Row};

use crate::blocks::split_marker;
use crate::text::{Line, PageLines};

/// Distance within which drawn lines count as the same rule or as touching.
const SNAP: f64 = 2.5;

/// A table found on one page.
#[derive(Debug, Clone)]
pub struct PageTable {
    pub top: f64,
    /// Column left edges and the right edge of the last column.
    pub edges: Vec<f64>,
    pub rows: Vec<Row>,
    /// Rows of a table begun on an earlier page (known from the text flow, as in
    /// plain-text renderings): stitched to that table even when text printed between
    /// them (a running header inside the body) keeps it from opening the page.
    pub continued: bool,
    /// Per column, whether the last row's cell is printed down to the table's bottom
    /// border (its text may run on over a page break).
    pub open_bottom: Vec<bool>,
}

impl PageTable {
    pub fn columns(&self) -> usize {
        self.edges.len().saturating_sub(1)
    }
}

#[derive(Debug, Clone, Copy)]
struct HRule {
    y: f64,
    x0: f64,
    x1: f64,
}
#[derive(Debug, Clone, Copy)]
struct VRule {
    x: f64,
    y0: f64,
    y1: f64,
}

/// Finds the ruled tables of a page and removes their lines from it. Runs before
/// furniture removal: a header row repeated on every page is table, not furniture.
pub fn ruled_tables(page: &mut PageLines) -> Vec<PageTable> {
    ruled(page)
}

/// Finds unruled tables among the lines left after furniture removal.
pub fn unruled_tables(page: &mut PageLines) -> Vec<PageTable> {
    unruled(page)
}

/// Merges collinear pieces (cell borders are often drawn one cell at a time).
fn merge_intervals(mut items: Vec<(f64, f64, f64)>) -> Vec<(f64, f64, f64)> {
    items.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut groups: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    for it in items {
        match groups.last_mut() {
            Some(g) if (it.0 - g[0].0).abs() <= SNAP => g.push(it),
            _ => groups.push(vec![it]),
        }
    }
    let mut out = Vec::new();
    for mut g in groups {
        let pos = g.iter().map(|i| i.0).sum::<f64>() / g.len() as f64;
        g.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut cur: Option<(f64, f64)> = None;
        for (_, a, b) in g {
            cur = match cur {
                Some((s, e)) if a <= e + SNAP => Some((s, e.max(b))),
                Some((s, e)) => {
                    out.push((pos, s, e));
                    Some((a, b))
                }
                None => Some((a, b)),
            };
        }
        if let Some((s, e)) = cur {
            out.push((pos, s, e));
        }
    }
    out
}

fn cluster(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= SNAP => {}
            _ => out.push(x),
        }
    }
    out
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut i = i;
    while parent[i] != r {
        let next = parent[i];
        parent[i] = r;
        i = next;
    }
    r
}

fn ruled(page: &mut PageLines) -> Vec<PageTable> {
    let hs: Vec<HRule> = merge_intervals(
        page.segments
            .iter()
            .filter(|s| s.is_horizontal())
            .map(|s| ((s.y0 + s.y1) / 2.0, s.x0, s.x1))
            .collect(),
    )
    .into_iter()
    .map(|(y, x0, x1)| HRule { y, x0, x1 })
    .collect();
    let vs: Vec<VRule> = merge_intervals(
        page.segments
            .iter()
            .filter(|s| s.is_vertical())
            .map(|s| ((s.x0 + s.x1) / 2.0, s.y0, s.y1))
            .collect(),
    )
    .into_iter()
    .map(|(x, y0, y1)| VRule { x, y0, y1 })
    .collect();
    if hs.len() < 2 || vs.len() < 2 || hs.len() * vs.len() > 4_000_000 {
        return Vec::new();
    }
    // Connected components of touching rules are separate tables.
    let mut parent: Vec<usize> = (0..hs.len() + vs.len()).collect();
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if v.x >= h.x0 - SNAP && v.x <= h.x1 + SNAP && h.y >= v.y0 - SNAP && h.y <= v.y1 + SNAP
            {
                let (a, b) = (find(&mut parent, i), find(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut comps: std::collections::BTreeMap<usize, (Vec<HRule>, Vec<VRule>)> = Default::default();
    for (i, h) in hs.iter().enumerate() {
        let r = find(&mut parent, i);
        comps.entry(r).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        let r = find(&mut parent, hs.len() + j);
        comps.entry(r).or_default().1.push(*v);
    }
    let mut tables = Vec::new();
    for (_, (h, v)) in comps {
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        for (h, v) in split_stacked(&h, &v) {
            if let Some(t) = grid_table(page, &h, &v) {
                tables.push(t);
            }
        }
    }
    tables
}

/// Splits touching rules into the tables stacked in them: two tables printed one
/// straight under the other share a border, but no inner column rule crosses it and
/// their inner column rules differ (neither set holds the other, as a row of merged
/// cells would).
fn split_stacked(hs: &[HRule], vs: &[VRule]) -> Vec<(Vec<HRule>, Vec<VRule>)> {
    let whole = || vec![(hs.to_vec(), vs.to_vec())];
    let (Some(left), Some(right)) = (
        vs.iter().map(|v| v.x).reduce(f64::min),
        vs.iter().map(|v| v.x).reduce(f64::max),
    ) else {
        return whole();
    };
    let inner: Vec<&VRule> = vs
        .iter()
        .filter(|v| v.x > left + SNAP && v.x < right - SNAP)
        .collect();
    let contains = |a: &[f64], b: &[f64]| b.iter().all(|x| a.iter().any(|y| (x - y).abs() <= SNAP));
    let mut cuts: Vec<f64> = Vec::new();
    for y in cluster(
        hs.iter()
            .filter(|h| h.x0 <= left + SNAP && h.x1 >= right - SNAP)
            .map(|h| h.y)
            .collect(),
    ) {
        if inner.iter().any(|v| v.y0 < y - SNAP && v.y1 > y + SNAP) {
            continue;
        }
        let above: Vec<f64> = inner
            .iter()
            .filter(|v| (v.y1 - y).abs() <= SNAP)
            .map(|v| v.x)
            .collect();
        let below: Vec<f64> = inner
            .iter()
            .filter(|v| (v.y0 - y).abs() <= SNAP)
            .map(|v| v.x)
            .collect();
        if !above.is_empty()
            && !below.is_empty()
            && !contains(&above, &below)
            && !contains(&below, &above)
        {
            cuts.push(y);
        }
    }
    if cuts.is_empty() {
        return whole();
    }
    let mut bounds = vec![f64::NEG_INFINITY];
    bounds.extend(cuts);
    bounds.push(f64::INFINITY);
    bounds
        .windows(2)
        .map(|w| {
            let (lo, hi) = (w[0], w[1]);
            let h: Vec<HRule> = hs
                .iter()
                .filter(|h| h.y >= lo - SNAP && h.y <= hi + SNAP)
                .copied()
                .collect();
            let v: Vec<VRule> = vs
                .iter()
                .map(|v| VRule {
                    x: v.x,
                    y0: v.y0.max(lo),
                    y1: v.y1.min(hi),
                })
                .filter(|v| v.y1 - v.y0 > SNAP)
                .collect();
            (h, v)
        })
        .filter(|(h, v)| h.len() >= 2 && v.len() >= 2)
        .collect()
}

/// Builds a table from one connected set of rules, taking the page lines inside it.
fn grid_table(page: &mut PageLines, hs: &[HRule], vs: &[VRule]) -> Option<PageTable> {
    // Vertical rules reaching past the last horizontal one close the table there: a
    // table cut by a page break often lacks its top or bottom border.
    let mut y_all: Vec<f64> = hs.iter().map(|h| h.y).collect();
    y_all.extend(vs.iter().map(|v| v.y0).reduce(f64::min));
    y_all.extend(vs.iter().map(|v| v.y1).reduce(f64::max));
    let ys = cluster(y_all);
    let xs = cluster(vs.iter().map(|v| v.x).collect());
    if ys.len() < 2 || xs.len() < 3 {
        // One column: a box around text, not a table.
        return None;
    }
    if xs.len() > 200 || ys.len() > 2000 {
        // Hatching or a vector drawing, not a table; the checks below would be slow.
        return None;
    }
    // Rows drawn without rules between them (columns ruled, rows not): one line per row.
    let between = unruled_row_breaks(&page.lines, &ys, &xs);
    let mut hs = hs.to_vec();
    let ys = if between.is_empty() {
        ys
    } else {
        hs.extend(between.iter().map(|&y| HRule {
            y,
            x0: xs[0],
            x1: xs[xs.len() - 1],
        }));
        let mut all = ys;
        all.extend(between);
        cluster(all)
    };
    let hs = &hs[..];
    let (top, bottom) = (ys[0], ys[ys.len() - 1]);
    let (left, right) = (xs[0], xs[xs.len() - 1]);
    let rows_n = ys.len() - 1;
    let cols_n = xs.len() - 1;
    let has_v = |x: f64, y: f64| {
        vs.iter()
            .any(|v| (v.x - x).abs() <= SNAP && v.y0 - SNAP <= y && y <= v.y1 + SNAP)
    };
    let has_h = |y: f64, x: f64| {
        hs.iter()
            .any(|h| (h.y - y).abs() <= SNAP && h.x0 - SNAP <= x && x <= h.x1 + SNAP)
    };
    // Word extents of the lines in each row of slots, to tell a merged cell from a
    // column whose rule is drawn only in the header (tables ruled between rows only).
    let mut row_lines: Vec<Vec<LineWords>> = vec![Vec::new(); rows_n];
    for line in &page.lines {
        let mid = line.y - line.size * 0.3;
        if let Some(r) = ys.windows(2).position(|w| mid > w[0] && mid <= w[1]) {
            let words = line
                .runs
                .iter()
                .flat_map(|run| run.words.iter().map(|w| (w.0, w.1)))
                .collect();
            row_lines[r].push((line.size, words));
        }
    }
    // owner[r][c]: the top-left slot of the merged cell that slot (r, c) belongs to.
    let mut owner = vec![vec![(0usize, 0usize); cols_n]; rows_n];
    for r in 0..rows_n {
        let ymid = (ys[r] + ys[r + 1]) / 2.0;
        for c in 0..cols_n {
            let xmid = (xs[c] + xs[c + 1]) / 2.0;
            let merged_left = c > 0 && !has_v(xs[c], ymid) && {
                let from = if owner[r][c - 1].0 == r {
                    xs[owner[r][c - 1].1]
                } else {
                    xs[c - 1]
                };
                !separate_columns(&row_lines[r], from, xs[c], xs[c + 1])
            };
            owner[r][c] = if merged_left {
                owner[r][c - 1]
            } else if r > 0 && !has_h(ys[r], xmid) {
                owner[r - 1][c]
            } else {
                (r, c)
            };
        }
    }
    // Words to slots.
    let mut frags: Vec<Vec<Vec<Frag>>> = vec![vec![Vec::new(); cols_n]; rows_n];
    let mut used_any = false;
    let mut keep = Vec::with_capacity(page.lines.len());
    for line in page.lines.iter().cloned() {
        let mid = line.y - line.size * 0.3;
        let inside = mid > top && mid < bottom && line.x1() > left && line.x0() < right;
        if !inside {
            keep.push(line);
            continue;
        }
        let Some(r) = ys.windows(2).position(|w| mid > w[0] && mid <= w[1]) else {
            keep.push(line);
            continue;
        };
        let mut outside = Vec::new();
        for run in &line.runs {
            for w in &run.words {
                let cx = (w.0 + w.1) / 2.0;
                match xs.windows(2).position(|e| cx >= e[0] && cx < e[1]) {
                    Some(c) => {
                        let (orow, ocol) = owner[r][c];
                        frags[orow][ocol].push(Frag {
                            y: line.y,
                            x: w.0,
                            size: run.size,
                            text: w.2.clone(),
                        });
                        used_any = true;
                    }
                    None => outside.push(w.clone()),
                }
            }
        }
        // Words beside the table (a margin note) stay running text.
        if let Some(run) = crate::text::Run::from_words(outside, line.y, line.size) {
            keep.push(Line {
                y: line.y,
                size: line.size,
                runs: vec![run],
                trailing: 0.0,
                tabs: Vec::new(),
                tab_from: Vec::new(),
                spaced_gaps: 0,
                tight: Vec::new(),
            });
        }
    }
    if !used_any {
        return None;
    }
    // Cells of the last row printed down to the bottom border.
    let open_bottom_all: Vec<bool> = (0..cols_n)
        .map(|c| {
            let (orow, ocol) = owner[rows_n - 1][c];
            frags[orow][ocol]
                .iter()
                .max_by(|a, b| a.y.total_cmp(&b.y))
                .is_some_and(|f| bottom - f.y < 0.9 * f.size)
        })
        .collect();
    let last_row_empty = owner[rows_n - 1]
        .iter()
        .all(|&(r, c)| frags[r][c].is_empty());
    let mut grid: Vec<Vec<Cell>> = frags
        .into_iter()
        .map(|slots| slots.into_iter().map(cell_from_frags).collect())
        .collect();
    // Columns empty in every row come from stray rules (a merged header's inner border).
    let mut edges = vec![xs[0]];
    let mut kept_cols = Vec::new();
    for c in 0..cols_n {
        if grid.iter().any(|r| !r[c].is_empty()) {
            kept_cols.push(c);
            edges.push(xs[c + 1]);
        }
    }
    // A table cut by a page break may show text in one column only; its other columns
    // fill on the next page, so they stay.
    if kept_cols.len() < 2 {
        kept_cols = (0..cols_n).collect();
        edges = xs.clone();
    }
    let kept_rows: Vec<usize> = (0..rows_n)
        .filter(|&r| kept_cols.iter().any(|&c| !grid[r][c].is_empty()))
        .collect();
    // Merged cells report the kept columns they cover. Row spans are not reported: a
    // slot with no rule under it is as often a row the drawing left open as a cell
    // running down (on the ICDAR 2013 set row spans cost more precision than they gave).
    for &r in &kept_rows {
        for &c in &kept_cols {
            if owner[r][c] != (r, c) || grid[r][c].is_empty() {
                continue;
            }
            let cols = kept_cols.iter().filter(|&&k| owner[r][k] == (r, c)).count();
            grid[r][c].colspan = cols.max(1) as u32;
        }
    }
    let grid: Vec<Vec<Cell>> = kept_rows
        .iter()
        .map(|&r| {
            kept_cols
                .iter()
                .map(|&c| std::mem::take(&mut grid[r][c]))
                .collect::<Vec<Cell>>()
        })
        .collect();
    let open_bottom: Vec<bool> = kept_cols
        .iter()
        .map(|&c| !last_row_empty && open_bottom_all[c])
        .collect();
    let cols = kept_cols.len();
    let filled: usize = grid
        .iter()
        .map(|r| r.iter().filter(|c| !c.is_empty()).count())
        .sum();
    // Boxes around words (highlights, form fields) and one-column boxes are not tables;
    // nor are rules that running text flows straight across.
    if crossed_edges(&page.lines, &xs, top, bottom, &has_v) * 2 > xs.len().saturating_sub(2).max(1)
    {
        return None;
    }
    if cols < 2 || grid.is_empty() || (filled as f64) < 0.25 * (cols * grid.len()) as f64 {
        return None;
    }
    page.lines = keep;
    let rows = grid
        .into_iter()
        .map(|cells| Row {
            page: page.number,
            line: None,
            cells,
        })
        .collect();
    Some(PageTable {
        top,
        edges,
        rows,
        continued: false,
        open_bottom,
    })
}

/// Where rows that the drawing leaves unruled part: inside one space between
/// horizontal rules, three or more lines each printing in the first column that the
/// space holds text in and in another (at least half of them in every such column),
/// none picking up a cell's unfinished text in lower
/// case (wrapped cells, which print their lines in some columns only, or continue a
/// sentence). Returns the boundaries, halfway between consecutive lines.
fn unruled_row_breaks(lines: &[Line], ys: &[f64], xs: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    for w in ys.windows(2) {
        let inside: Vec<&Line> = lines
            .iter()
            .filter(|l| {
                let mid = l.y - 0.3 * l.size;
                mid > w[0] && mid <= w[1] && l.x1() > xs[0] && l.x0() < xs[xs.len() - 1]
            })
            .collect();
        if inside.len() < 3 {
            continue;
        }
        // Per line, the text of each column.
        let cols: Vec<Vec<String>> = inside
            .iter()
            .map(|l| {
                let mut c = vec![String::new(); xs.len() - 1];
                for word in l.runs.iter().flat_map(|r| &r.words) {
                    let cx = (word.0 + word.1) / 2.0;
                    if let Some(k) = xs.windows(2).position(|e| cx >= e[0] && cx < e[1]) {
                        crate::blocks::join_line(&mut c[k], &word.2);
                    }
                }
                c
            })
            .collect();
        let used: Vec<usize> = (0..xs.len() - 1)
            .filter(|&k| cols.iter().any(|c| !c[k].is_empty()))
            .collect();
        let full = cols
            .iter()
            .filter(|c| used.iter().all(|&k| !c[k].is_empty()))
            .count();
        let labelled = cols
            .iter()
            .all(|c| !c[used[0]].is_empty() && used[1..].iter().any(|&k| !c[k].is_empty()));
        if used.len() < 2 || !labelled || full * 2 < cols.len() {
            continue;
        }
        let continues = cols.windows(2).any(|p| {
            used.iter().any(|&k| {
                !p[0][k].trim_end().ends_with(['.', ':', ';', '?', '!'])
                    && p[1][k].starts_with(char::is_lowercase)
            })
        });
        if continues {
            continue;
        }
        out.extend(
            inside
                .windows(2)
                .map(|p| (p[0].y - 0.3 * p[0].size + p[1].y - 0.3 * p[1].size) / 2.0),
        );
    }
    out
}

/// A line's font size and the left and right edges of its words.
type LineWords = (f64, Vec<(f64, f64)>);

/// Whether a row's text on both sides of `edge` (from `left` to `right`), where no
/// rule is drawn, stands in two columns: words on both sides and no line running
/// across the edge (a word over it, or ordinary word spacing across it). A table ruled
/// between rows only, with column rules in its header, has its columns so.
fn separate_columns(lines: &[LineWords], left: f64, edge: f64, right: f64) -> bool {
    let centre = |w: &(f64, f64)| (w.0 + w.1) / 2.0;
    let any_side = |lo: f64, hi: f64| {
        lines
            .iter()
            .any(|(_, ws)| ws.iter().any(|w| centre(w) >= lo && centre(w) < hi))
    };
    if !any_side(left, edge) || !any_side(edge, right) {
        return false;
    }
    lines.iter().all(|(size, ws)| {
        let over = ws.iter().any(|w| w.0 < edge - 1.0 && w.1 > edge + 1.0);
        let tight = ws
            .windows(2)
            .any(|p| centre(&p[0]) < edge && centre(&p[1]) >= edge && p[1].0 - p[0].1 < 0.5 * size);
        !over && !tight
    })
}

/// How many inner column edges have text flowing across them (a word over the edge or
/// ordinary word spacing) on at least half of the lines that reach them.
fn crossed_edges(
    lines: &[Line],
    xs: &[f64],
    top: f64,
    bottom: f64,
    has_v: &dyn Fn(f64, f64) -> bool,
) -> usize {
    let inner = xs.get(1..xs.len().saturating_sub(1)).unwrap_or(&[]);
    inner
        .iter()
        .filter(|&&x| {
            let (mut reach, mut crossed) = (0usize, 0usize);
            // Only where the rule is drawn: merged cells legitimately run across.
            for l in lines
                .iter()
                .filter(|l| l.y > top && l.y < bottom && has_v(x, l.y - 0.3 * l.size))
            {
                let words: Vec<&(f64, f64, String)> =
                    l.runs.iter().flat_map(|r| &r.words).collect();
                if words.first().is_some_and(|w| w.0 < x) && words.last().is_some_and(|w| w.1 > x) {
                    reach += 1;
                    // Only a real gap at the edge separates cells; a word over the edge or
                    // ordinary word spacing across it means the text runs on.
                    let gap = words.windows(2).any(|w| {
                        w[0].1 <= x + 1.0 && w[1].0 >= x - 1.0 && w[1].0 - w[0].1 >= 0.3 * l.size
                    });
                    if !gap {
                        crossed += 1;
                    }
                }
            }
            reach > 0 && crossed * 2 >= reach
        })
        .count()
}

/// A word placed in a cell.
#[derive(Debug, Clone)]
pub struct Frag {
    pub y: f64,
    pub x: f64,
    pub size: f64,
    pub text: String,
}

/// Joins a cell's words into lines and its lines into paragraphs and list items.
pub fn cell_from_frags(mut frags: Vec<Frag>) -> Cell {
    if frags.is_empty() {
        return Cell::default();
    }
    frags.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Lines of the cell: (baseline, size, text, left).
    let mut lines: Vec<(f64, f64, String, f64)> = Vec::new();
    for f in frags {
        match lines.last_mut() {
            Some(l) if (f.y - l.0).abs() <= 0.3 * l.1.max(f.size) => {
                l.2.push(' ');
                l.2.push_str(&f.text);
                l.1 = l.1.max(f.size);
            }
            _ => lines.push((f.y, f.size, f.text, f.x)),
        }
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut last: Option<(f64, f64)> = None;
    for (y, size, text, _x) in lines {
        let gap_break = last.is_some_and(|(ly, ls)| y - ly > 1.5 * ls.max(size));
        let marker = split_marker(&text).filter(|(label, _)| match (label, parts.last()) {
            (Some(label), Some(p)) if !gap_break => {
                let prev_label = parts.iter().rev().find_map(|p| p.marker.as_deref());
                crate::blocks::opens_item(label, &p.text, prev_label)
            }
            // A dash opening a line straight under a paragraph line (no paragraph gap)
            // is a dash in the text that wrapped ("Completed / – April 2008"), unless
            // the paragraph introduces a list.
            (None, Some(p))
                if !gap_break && !p.list_item && text.trim_start().starts_with(['-', '–']) =>
            {
                p.text.trim_end().ends_with(':')
            }
            _ => true,
        });
        match (marker, parts.last_mut()) {
            (Some((m, rest)), _) => parts.push(Part::item(m, rest)),
            (None, Some(p)) if !gap_break => crate::blocks::join_line(&mut p.text, &text),
            (None, _) => parts.push(Part::paragraph(text.trim())),
        }
        last = Some((y, size));
    }
    parts.retain(|p| !p.text.trim().is_empty() || p.list_item);
    Cell {
        parts,
        ..Cell::default()
    }
}

/// Unruled tables: a header line of at least three separated runs, followed by lines
/// whose runs start under those columns.
fn unruled(page: &mut PageLines) -> Vec<PageTable> {
    let mut tables = Vec::new();
    let mut ends: Vec<f64> = page.lines.iter().map(Line::x1).collect();
    ends.sort_by(f64::total_cmp);
    let right = ends.get(ends.len() * 9 / 10).copied().unwrap_or(0.0);
    let mut i = 0;
    while i < page.lines.len() {
        if let Some((edges, end)) = unruled_span(&page.lines, i) {
            let lines: Vec<Line> = page.lines.drain(i..end).collect();
            tables.push(unruled_table(page.number, &edges, &lines));
        } else if let Some(end) = tab_rows_span(&page.lines, i) {
            let lines: Vec<Line> = page.lines.drain(i..end).collect();
            tables.push(tab_rows_table(page.number, &lines));
        } else if let Some((end, rows)) = wrapped_tab_rows(&page.lines, i, right) {
            let first = &page.lines[i];
            let top = first.y - first.size;
            let mut edges: Vec<f64> = first.runs.iter().map(|r| r.x0).collect();
            edges.push(first.x1());
            page.lines.drain(i..end);
            let rows = rows
                .into_iter()
                .map(|cells| Row {
                    page: page.number,
                    line: None,
                    cells: cells.iter().map(|c| Cell::from_text(c)).collect(),
                })
                .collect();
            tables.push(PageTable {
                top,
                edges,
                rows,
                continued: false,
                open_bottom: Vec::new(),
            });
        } else {
            i += 1;
        }
    }
    tables
}

/// Lines of tab-separated cells whose tab stops do not line up (plain text rendered with
/// default tab stops): at least three consecutive lines with the same number of runs.
fn tab_rows_span(lines: &[Line], start: usize) -> Option<usize> {
    let k = lines[start].runs.len();
    if k < 2 {
        return None;
    }
    let mut end = start + 1;
    while end < lines.len()
        && lines[end].runs.len() == k
        && lines[end].y - lines[end - 1].y <= 2.0 * lines[end - 1].size.max(1.0)
    {
        end += 1;
    }
    if end - start < 3 {
        return None;
    }
    // Two columns of prose also give k runs a line, but every run fills its column to the
    // same right edge; table cells are ragged somewhere.
    let span = &lines[start..end];
    let ragged = (0..k).any(|j| {
        let ends: Vec<f64> = span
            .iter()
            .filter_map(|l| l.runs.get(j).map(|r| r.x1))
            .collect();
        let (lo, hi) = ends
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        hi - lo > 2.0 * lines[start].size.max(1.0)
    });
    ragged.then_some(end)
}

/// Tab-separated lines long enough to wrap (plain text rendered by a word processor):
/// a line that reaches the right margin continues on the next line at the left margin,
/// its first run joining the cell that was cut. At least two such logical lines with
/// the same number of cells (three when there are only two cells) make a table.
fn wrapped_tab_rows(lines: &[Line], start: usize, right: f64) -> Option<(usize, Vec<Vec<String>>)> {
    let left = lines[start].x0();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut i = start;
    let mut wrapped_any = false;
    while i < lines.len() && (lines[i].x0() - left).abs() <= lines[i].size {
        let (cells, next) = logical_line(lines, i, left, right);
        if cells.len() < 2 || rows.first().is_some_and(|r| r.len() != cells.len()) {
            break;
        }
        wrapped_any |= next > i + 1;
        rows.push(cells);
        i = next;
        // Rows are separated by at most a blank line.
        if i < lines.len() && lines[i].y - lines[i - 1].y > 2.5 * lines[i - 1].size.max(1.0) {
            break;
        }
    }
    let k = rows.first().map_or(0, Vec::len);
    (wrapped_any && rows.len() >= if k == 2 { 3 } else { 2 }).then_some((i, rows))
}

/// The cells of the source line that starts at physical line `i`, and where the next
/// one starts: lines reaching the right margin continue at the left margin, the first
/// run of the continuation joining the cell that was cut.
fn logical_line(lines: &[Line], i: usize, left: f64, right: f64) -> (Vec<String>, usize) {
    let mut cells: Vec<String> = lines[i].runs.iter().map(|r| r.text.clone()).collect();
    let mut j = i + 1;
    while j < lines.len() {
        let (prev, next) = (&lines[j - 1], &lines[j]);
        let size = prev.size.max(1.0);
        let wrapped = prev.end() >= right - 2.0 * size
            && (next.x0() - left).abs() <= size
            && next.y - prev.y <= 1.6 * size;
        if !wrapped {
            break;
        }
        for (k, r) in next.runs.iter().enumerate() {
            match (k, cells.last_mut()) {
                (0, Some(c)) => crate::blocks::join_line(c, &r.text),
                _ => cells.push(r.text.clone()),
            }
        }
        j += 1;
    }
    (cells, j)
}

fn tab_rows_table(page: u32, lines: &[Line]) -> PageTable {
    let rows = lines
        .iter()
        .map(|l| Row {
            page,
            line: None,
            cells: l.runs.iter().map(|r| Cell::from_text(&r.text)).collect(),
        })
        .collect();
    let first = &lines[0];
    let mut edges: Vec<f64> = first.runs.iter().map(|r| r.x0).collect();
    edges.push(first.x1());
    PageTable {
        top: first.y - first.size,
        edges,
        rows,
        continued: false,
        open_bottom: Vec::new(),
    }
}

/// Where a header row at `start` anchors a table: the column edges and the end line.
fn unruled_span(lines: &[Line], start: usize) -> Option<(Vec<f64>, usize)> {
    let head = &lines[start];
    // Two-column headers are common ("Judgement | Grade") but so are label/value lines;
    // they need short header words and more aligned rows below.
    let two = head.runs.len() == 2;
    let max_words = if two { 3 } else { 6 };
    if head.runs.len() < 2
        || head
            .runs
            .iter()
            .any(|r| r.text.split_whitespace().count() > max_words)
    {
        return None;
    }
    let mut edges: Vec<f64> = head.runs.iter().map(|r| r.x0).collect();
    edges.push(f64::INFINITY);
    let size = head.size.max(1.0);
    let col_of = |x: f64| {
        edges
            .windows(2)
            .position(|w| x >= w[0] - size && x < w[1] - size)
    };
    let mut end = start + 1;
    let mut aligned = 0;
    let mut last_y = head.y;
    while end < lines.len() {
        let l = &lines[end];
        if l.y - last_y > 3.0 * size {
            break;
        }
        // A run crossing into the next column by a lot is running text, not a cell.
        let crosses = l.runs.iter().any(|r| match col_of(r.x0) {
            Some(c) => r.x1 > edges[c + 1] + size,
            None => true,
        });
        if crosses {
            break;
        }
        // Aligned: at least two runs, each starting at a header column's left edge.
        let starts_at_edge = |x: f64| edges.iter().any(|e| (x - e).abs() <= size);
        if l.runs.len() >= 2 && l.runs.iter().all(|r| starts_at_edge(r.x0)) {
            aligned += 1;
        }
        last_y = l.y;
        end += 1;
    }
    (aligned >= if two { 3 } else { 2 }).then_some((edges, end))
}

fn unruled_table(page: u32, edges: &[f64], lines: &[Line]) -> PageTable {
    let cols = edges.len() - 1;
    let size = lines.first().map_or(10.0, |l| l.size.max(1.0));
    let leading = lines
        .windows(2)
        .map(|w| w[1].y - w[0].y)
        .filter(|d| *d > 0.0)
        .fold(f64::INFINITY, f64::min);
    let mut rows: Vec<Vec<Vec<Frag>>> = Vec::new();
    let mut last_y = f64::NEG_INFINITY;
    for l in lines {
        let mut slots: Vec<Vec<Frag>> = vec![Vec::new(); cols];
        for r in &l.runs {
            let c = edges
                .windows(2)
                .position(|w| r.x0 >= w[0] - size && r.x0 < w[1] - size)
                .unwrap_or(0);
            slots[c].push(Frag {
                y: l.y,
                x: r.x0,
                size: r.size,
                text: r.text.clone(),
            });
        }
        let filled = slots.iter().filter(|s| !s.is_empty()).count();
        // A first cell that wraps mid-sentence continues the row even when the line also
        // holds the row's other cells (a contents entry and its page number).
        let wraps = rows.last().is_some_and(|r: &Vec<Vec<Frag>>| {
            let before = r[0].last().map(|f| f.text.as_str()).unwrap_or("");
            let now = slots[0].first().map(|f| f.text.as_str()).unwrap_or("");
            !before.is_empty()
                && !before.trim_end().ends_with(['.', ':', ';', '?', '!'])
                && now.starts_with(char::is_lowercase)
        });
        let new_row = rows.is_empty()
            || (!slots[0].is_empty() && !wraps && (filled >= 2 || l.y - last_y > 1.3 * leading));
        if new_row {
            rows.push(slots);
        } else if let Some(row) = rows.last_mut() {
            for (c, s) in slots.into_iter().enumerate() {
                row[c].extend(s);
            }
        }
        last_y = l.y;
    }
    let top = lines.first().map_or(0.0, |l| l.y - l.size);
    let right = lines.iter().map(Line::x1).fold(0.0, f64::max);
    let mut e = edges[..cols].to_vec();
    e.push(right);
    PageTable {
        top,
        continued: false,
        open_bottom: Vec::new(),
        edges: e,
        rows: rows
            .into_iter()
            .map(|slots| Row {
                page,
                line: None,
                cells: slots.into_iter().map(cell_from_frags).collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(xs: &[f64], y0: f64, y1: f64) -> (Vec<HRule>, Vec<VRule>) {
        let h = vec![
            HRule {
                y: y0,
                x0: xs[0],
                x1: xs[xs.len() - 1],
            },
            HRule {
                y: y1,
                x0: xs[0],
                x1: xs[xs.len() - 1],
            },
        ];
        let v = xs.iter().map(|&x| VRule { x, y0, y1 }).collect();
        (h, v)
    }

    #[test]
    fn stacked_tables_with_other_columns_split() {
        let (mut h, mut v) = grid(&[50.0, 220.0, 350.0, 490.0, 567.0], 300.0, 762.0);
        let (h2, v2) = grid(&[50.0, 210.0, 290.0, 490.0, 567.0], 763.0, 811.0);
        h.extend(h2);
        v.extend(v2);
        assert_eq!(split_stacked(&h, &v).len(), 2);
        // A row of merged cells (fewer inner rules) keeps the table whole.
        let (mut h, mut v) = grid(&[50.0, 220.0, 350.0, 567.0], 300.0, 400.0);
        let (h2, v2) = grid(&[50.0, 567.0], 400.0, 450.0);
        h.extend(h2);
        v.extend(v2);
        assert_eq!(split_stacked(&h, &v).len(), 1);
    }

    /// A line of words `(x0, text)`, each word 20 pt wide, 8 pt type.
    fn line(y: f64, words: &[(f64, &str)]) -> Line {
        let words = words
            .iter()
            .map(|&(x, t)| (x, x + 20.0, t.to_owned()))
            .collect();
        let run = crate::text::Run::from_words(words, y, 8.0).unwrap_or_else(|| unreachable!());
        Line {
            y,
            size: 8.0,
            runs: vec![run],
            trailing: 0.0,
            tabs: Vec::new(),
            tab_from: Vec::new(),
            spaced_gaps: 0,
            tight: Vec::new(),
        }
    }

    fn page(lines: Vec<Line>, segs: &[(f64, f64, f64, f64)]) -> PageLines {
        let segments = segs
            .iter()
            .map(|&(x0, y0, x1, y1)| crate::device::Segment { x0, y0, x1, y1 })
            .collect();
        PageLines {
            number: 1,
            width: 595.0,
            height: 842.0,
            lines,
            segments,
        }
    }

    fn texts(t: &PageTable) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| r.cells.iter().map(Cell::text).collect())
            .collect()
    }

    #[test]
    fn grid_from_pieces_of_rules() {
        // Borders drawn cell by cell (collinear pieces, touching within a point or two).
        let mut segs = Vec::new();
        for y in [100.0, 120.0, 140.0] {
            segs.push((100.0, y, 199.0, y));
            segs.push((200.5, y, 300.0, y));
        }
        for x in [100.0, 200.0, 300.0] {
            segs.push((x, 100.0, x, 119.0));
            segs.push((x, 120.5, x, 140.0));
        }
        let lines = vec![
            line(114.0, &[(105.0, "Year"), (205.0, "Total")]),
            line(134.0, &[(105.0, "2010"), (205.0, "12")]),
        ];
        let mut p = page(lines, &segs);
        let tables = ruled(&mut p);
        assert_eq!(tables.len(), 1);
        assert_eq!(texts(&tables[0]), [["Year", "Total"], ["2010", "12"]]);
        assert!(p.lines.is_empty(), "table lines are taken out of the page");
    }

    #[test]
    fn header_rules_give_the_columns_of_rows_ruled_between_only() {
        let mut segs = vec![
            (100.0, 100.0, 300.0, 100.0),
            (100.0, 120.0, 300.0, 120.0),
            (100.0, 140.0, 300.0, 140.0),
            (100.0, 160.0, 300.0, 160.0),
        ];
        segs.extend([
            (100.0, 100.0, 100.0, 160.0),
            (300.0, 100.0, 300.0, 160.0),
            (200.0, 100.0, 200.0, 120.0),
        ]);
        let lines = vec![
            line(114.0, &[(105.0, "Country"), (205.0, "Total")]),
            line(134.0, &[(105.0, "Austria"), (240.0, "3,375")]),
            line(154.0, &[(105.0, "Belgium"), (240.0, "3,973")]),
        ];
        let tables = ruled(&mut page(lines, &segs));
        assert_eq!(
            texts(&tables[0]),
            [
                ["Country", "Total"],
                ["Austria", "3,375"],
                ["Belgium", "3,973"]
            ]
        );
    }

    #[test]
    fn merged_cells_report_their_column_span() {
        let mut segs = vec![
            (100.0, 100.0, 400.0, 100.0),
            (100.0, 120.0, 400.0, 120.0),
            (100.0, 140.0, 400.0, 140.0),
        ];
        // The rule between the last two columns is drawn in the body row only.
        segs.extend([
            (100.0, 100.0, 100.0, 140.0),
            (200.0, 100.0, 200.0, 140.0),
            (300.0, 120.0, 300.0, 140.0),
            (400.0, 100.0, 400.0, 140.0),
        ]);
        let lines = vec![
            line(
                114.0,
                &[
                    (105.0, "Substance"),
                    (260.0, "Threshold"),
                    (282.0, "for"),
                    (304.0, "releases"),
                ],
            ),
            line(134.0, &[(105.0, "Methane"), (205.0, "100"), (305.0, "-")]),
        ];
        let tables = ruled(&mut page(lines, &segs));
        let spans: Vec<Vec<u32>> = tables[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.colspan).collect())
            .collect();
        assert_eq!(
            texts(&tables[0]),
            [
                ["Substance", "Threshold for releases", ""],
                ["Methane", "100", "-"]
            ]
        );
        assert_eq!(spans, [[1, 2, 1], [1, 1, 1]]);
    }

    #[test]
    fn boxes_and_pairs_of_rules_are_not_tables() {
        // A box around a paragraph.
        let box_segs = [
            (100.0, 100.0, 300.0, 100.0),
            (100.0, 160.0, 300.0, 160.0),
            (100.0, 100.0, 100.0, 160.0),
            (300.0, 100.0, 300.0, 160.0),
        ];
        let prose = vec![
            line(
                114.0,
                &[
                    (105.0, "Key"),
                    (127.0, "findings"),
                    (149.0, "of"),
                    (171.0, "the"),
                ],
            ),
            line(
                134.0,
                &[
                    (105.0, "review"),
                    (127.0, "are"),
                    (149.0, "set"),
                    (171.0, "out"),
                ],
            ),
        ];
        let mut p = page(prose.clone(), &box_segs);
        assert!(ruled(&mut p).is_empty());
        assert_eq!(p.lines.len(), 2);
        // Two horizontal rules (a header underline and a foot rule): no grid.
        let mut p = page(
            prose.clone(),
            &[(100.0, 100.0, 300.0, 100.0), (100.0, 160.0, 300.0, 160.0)],
        );
        assert!(ruled(&mut p).is_empty());
        // Rules that text runs straight across (a highlight box split by a stray rule).
        let mut segs = box_segs.to_vec();
        segs.push((150.0, 100.0, 150.0, 160.0));
        let across = vec![line(
            114.0,
            &[
                (105.0, "Key"),
                (127.0, "findings"),
                (149.0, "of"),
                (171.0, "the"),
            ],
        )];
        let mut p = page(across, &segs);
        assert!(ruled(&mut p).is_empty());
    }

    #[test]
    fn rows_without_rules_part_at_each_line() {
        let xs = [100.0, 190.0, 290.0, 400.0];
        let ys = [100.0, 160.0];
        let body = vec![
            line(
                112.0,
                &[(105.0, "Bulgaria"), (200.0, "2.3"), (300.0, "5.5")],
            ),
            line(
                125.0,
                &[(105.0, "Cyprus"), (200.0, "0.21"), (300.0, "0.21")],
            ),
            line(138.0, &[(105.0, "Assistance"), (300.0, "0.87")]),
        ];
        assert_eq!(unruled_row_breaks(&body, &ys, &xs).len(), 2);
        // Two lines are not a run of rows (a header wrapped in every column).
        assert!(unruled_row_breaks(&body[..2], &ys, &xs).is_empty());
        // A cell wrapped over several lines continues in lower case: one row.
        let wrapped = vec![
            line(
                112.0,
                &[(105.0, "Reduce"), (200.0, "Head"), (300.0, "March")],
            ),
            line(125.0, &[(105.0, "waste"), (200.0, "of"), (300.0, "2025")]),
            line(138.0, &[(105.0, "in"), (200.0, "Waste")]),
        ];
        assert!(unruled_row_breaks(&wrapped, &ys, &xs).is_empty());
        // Continuation lines with nothing in the first column: one row.
        let ragged = vec![
            line(
                112.0,
                &[(105.0, "Action"), (200.0, "Lead"), (300.0, "Date")],
            ),
            line(125.0, &[(200.0, "Officer"), (300.0, "Q1")]),
            line(138.0, &[(200.0, "Team")]),
        ];
        assert!(unruled_row_breaks(&ragged, &ys, &xs).is_empty());
        // A box around a paragraph: one column of text.
        let prose = vec![
            line(112.0, &[(105.0, "One")]),
            line(125.0, &[(105.0, "Two")]),
            line(138.0, &[(105.0, "Three")]),
        ];
        assert!(unruled_row_breaks(&prose, &ys, &[100.0, 400.0]).is_empty());
    }

    #[test]
    fn header_column_rules_hold_in_rows_ruled_between_only() {
        // "Austria 86.2": words on both sides of the header's column edge at 170, a
        // wide gap at it: two columns.
        let row = vec![(8.0, vec![(88.8, 112.2), (201.7, 215.7)])];
        assert!(separate_columns(&row, 85.0, 170.0, 255.0));
        // Running text across the edge (a merged cell): ordinary word spacing at it.
        let prose = vec![(8.0, vec![(88.8, 165.0), (167.0, 200.0)])];
        assert!(!separate_columns(&prose, 85.0, 170.0, 255.0));
        // A word printed over the edge.
        let over = vec![(8.0, vec![(88.8, 120.0), (150.0, 190.0)])];
        assert!(!separate_columns(&over, 85.0, 170.0, 255.0));
        // Text on one side only: nothing to part (a centred spanning heading).
        let one = vec![(8.0, vec![(200.0, 230.0)])];
        assert!(!separate_columns(&one, 85.0, 170.0, 255.0));
    }

    #[test]
    fn wrapped_dash_stays_in_paragraph() {
        let f = |y: f64, t: &str| Frag {
            y,
            x: 10.0,
            size: 12.0,
            text: t.into(),
        };
        let cell = cell_from_frags(vec![
            f(100.0, "July 2008"),
            f(128.0, "Completed"),
            f(142.0, "– April 2008"),
        ]);
        let texts: Vec<&str> = cell.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["July 2008", "Completed – April 2008"]);
    }
}
