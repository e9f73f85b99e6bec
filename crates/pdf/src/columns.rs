//! Reading order for two-column pages: a gutter that no line crosses, with full lines of
//! text on both sides, means the left column is read before the right one.
//!
//! Label/value forms also have a gutter, but their left side holds short labels; they
//! keep line order so each label stays next to its value.

use crate::text::{Line, Run};

/// Share of each column's width that its lines must fill on average to be prose.
const PROSE_FILL: f64 = 0.7;

/// Which part of the page a line was read from: 0 full width, 1 left column, 2 right.
pub type Column = u8;

/// The page's lines in reading order, each with its column.
pub fn reading_order(lines: Vec<Line>, width: f64) -> Vec<(Line, Column)> {
    match gutter(&lines, width) {
        Some(g) => two_columns(lines, g),
        None => lines.into_iter().map(|l| (l, 0)).collect(),
    }
}

fn crosses(r: &Run, x: f64) -> bool {
    r.x0 < x - 1.0 && r.x1 > x + 1.0
}

fn gutter(lines: &[Line], width: f64) -> Option<f64> {
    if lines.len() < 8 || width <= 0.0 {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    let mut x = width * 0.3;
    while x <= width * 0.7 {
        let n = lines
            .iter()
            .filter(|l| l.runs.iter().any(|r| crosses(r, x)))
            .count();
        let better = match best {
            None => true,
            Some((bn, bx)) => {
                n < bn || (n == bn && (x - width / 2.0).abs() < (bx - width / 2.0).abs())
            }
        };
        if better {
            best = Some((n, x));
        }
        x += 2.0;
    }
    let (crossing, g) = best?;
    if crossing * 10 > lines.len() {
        return None;
    }
    let left: Vec<&Run> = lines
        .iter()
        .flat_map(|l| &l.runs)
        .filter(|r| r.x1 <= g + 1.0)
        .collect();
    let right: Vec<&Run> = lines
        .iter()
        .flat_map(|l| &l.runs)
        .filter(|r| r.x0 >= g - 1.0)
        .collect();
    if left.len() < 8 || right.len() < 8 {
        return None;
    }
    let fill = |runs: &[&Run]| {
        let x0 = runs.iter().map(|r| r.x0).fold(f64::INFINITY, f64::min);
        let x1 = runs.iter().map(|r| r.x1).fold(0.0, f64::max);
        let span = (x1 - x0).max(1.0);
        runs.iter().map(|r| (r.x1 - r.x0) / span).sum::<f64>() / runs.len() as f64
    };
    (fill(&left) >= PROSE_FILL && fill(&right) >= PROSE_FILL).then_some(g)
}

fn two_columns(lines: Vec<Line>, g: f64) -> Vec<(Line, Column)> {
    let mut out = Vec::with_capacity(lines.len());
    let mut left: Vec<(Line, Column)> = Vec::new();
    let mut right: Vec<(Line, Column)> = Vec::new();
    for l in lines {
        if l.runs.iter().any(|r| crosses(r, g)) {
            // A full-width line (title, spanning heading) closes the band above it.
            out.append(&mut left);
            out.append(&mut right);
            out.push((l, 0));
            continue;
        }
        let (a, b): (Vec<Run>, Vec<Run>) = l.runs.into_iter().partition(|r| r.x1 <= g + 1.0);
        if !a.is_empty() {
            left.push((
                Line {
                    y: l.y,
                    size: a.iter().map(|r| r.size).fold(0.0, f64::max),
                    runs: a,
                    trailing: 0.0,
                    tabs: l.tabs.clone(),
                    tab_from: l.tab_from.clone(),
                    spaced_gaps: 0,
                    tight: l.tight.clone(),
                },
                1,
            ));
        }
        if !b.is_empty() {
            right.push((
                Line {
                    y: l.y,
                    size: b.iter().map(|r| r.size).fold(0.0, f64::max),
                    runs: b,
                    trailing: l.trailing,
                    tabs: l.tabs.clone(),
                    tab_from: l.tab_from.clone(),
                    spaced_gaps: 0,
                    tight: l.tight.clone(),
                },
                2,
            ));
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}
