//! Characters to words, runs and lines: a run is text on one baseline with no wide gap;
//! a line is every run on one baseline of a page, left to right.

use crate::device::{Glyph, PageContent, Segment};

/// A gap wider than this many font sizes between characters on one baseline starts a
/// new run (a table column, a tab stop, the other column of a two-column page).
pub const RUN_GAP_EM: f64 = 1.2;
/// A gap wider than this many font sizes with no space character printed in it starts
/// a new run: the producer moved to a tab stop rather than typing a space.
pub const TAB_GAP_EM: f64 = 0.6;
/// A gap wider than this many font sizes starts a new word when no space was printed.
pub const WORD_GAP_EM: f64 = 0.15;
/// An unspaced gap inside a word wider than this many font sizes may be a tab whose
/// text ended just short of its stop (fixed-pitch text prints its glyphs a few
/// hundredths of a point apart at most).
pub const TIGHT_GAP_EM: f64 = 0.015;

/// Text on one baseline without wide gaps.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub x0: f64,
    pub x1: f64,
    /// Baseline from the page top.
    pub y: f64,
    /// Largest font size in the run.
    pub size: f64,
    pub text: String,
    /// Left edges of the words, for splitting a run at a ruling line.
    pub words: Vec<(f64, f64, String)>,
}

impl Run {
    pub fn from_words(words: Vec<(f64, f64, String)>, y: f64, size: f64) -> Option<Run> {
        let x0 = words.first()?.0;
        let x1 = words.iter().map(|w| w.1).fold(x0, f64::max);
        let text = words
            .iter()
            .map(|w| w.2.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some(Run {
            x0,
            x1,
            y,
            size,
            text,
            words,
        })
    }
}

/// Every run on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub y: f64,
    pub size: f64,
    pub runs: Vec<Run>,
    /// Right end including trailing spaces: text padded with spaces to the margin was
    /// wrapped there, not ended.
    pub trailing: f64,
    /// Left edges of words that follow a gap with no space character printed in it,
    /// however narrow: where a producer that prints its spaces moved to a tab stop.
    pub tabs: Vec<f64>,
    /// For each of `tabs`, where the text before it ends, spaces printed after that
    /// text included (a tab goes to the first stop after them).
    pub tab_from: Vec<f64>,
    /// Word gaps with a space character printed in them, to tell producers that print
    /// spaces (where an unspaced gap is a tab) from those that only position words.
    pub spaced_gaps: usize,
    /// Unspaced gaps inside words, too narrow to part them, as (left edge of the word,
    /// left edge of the glyph after the gap, byte offset of that glyph in the word's
    /// text): a tab that ended just short of its stop leaves only such a gap.
    pub tight: Vec<(f64, f64, usize)>,
}

impl Line {
    pub fn x0(&self) -> f64 {
        self.runs.first().map_or(0.0, |r| r.x0)
    }
    pub fn x1(&self) -> f64 {
        self.runs.iter().map(|r| r.x1).fold(0.0, f64::max)
    }
    /// Where the line's printing ends, trailing spaces included.
    pub fn end(&self) -> f64 {
        self.trailing.max(self.x1())
    }
    pub fn text(&self) -> String {
        self.runs
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A page as lines, top to bottom, plus its ruling.
#[derive(Debug, Clone, Default)]
pub struct PageLines {
    pub number: u32,
    pub width: f64,
    pub height: f64,
    pub lines: Vec<Line>,
    pub segments: Vec<Segment>,
}

/// Groups a page's glyphs into lines of runs.
pub fn page_lines(page: &PageContent) -> PageLines {
    let mut glyphs: Vec<&Glyph> = page.glyphs.iter().collect();
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut clusters: Vec<Vec<&Glyph>> = Vec::new();
    let mut last_y = f64::NEG_INFINITY;
    for g in glyphs {
        let tol = (g.size * 0.25).max(1.0);
        match clusters.last_mut() {
            Some(c) if g.y - last_y <= tol => c.push(g),
            _ => clusters.push(vec![g]),
        }
        last_y = g.y;
    }
    let mut lines: Vec<Line> = clusters.into_iter().filter_map(cluster_line).collect();
    attach_superscripts(&mut lines);
    for l in &mut lines {
        join_label_run(l);
    }
    PageLines {
        number: page.number,
        width: page.width,
        height: page.height,
        lines,
        segments: page.segments.clone(),
    }
}

fn cluster_line(mut glyphs: Vec<&Glyph>) -> Option<Line> {
    glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
    // Fake bold prints each character twice at almost the same place.
    glyphs.dedup_by(|b, a| {
        a.text == b.text && (a.x - b.x).abs() < 0.3 * a.w.max(0.5) && a.text.trim() != ""
    });
    let y = glyphs
        .iter()
        .filter(|g| !g.text.trim().is_empty())
        .map(|g| g.y)
        .next()?;
    let trailing = glyphs.iter().map(|g| g.right()).fold(0.0, f64::max);
    let mut runs = Vec::new();
    let mut words: Vec<(f64, f64, String)> = Vec::new();
    let mut word: Option<(f64, f64, String)> = None;
    let mut run_size: f64 = 0.0;
    let mut pending_space = false;
    // Right end of the spaces printed since the last word.
    let mut space_end = f64::NEG_INFINITY;
    let mut tabs = Vec::new();
    let mut tab_from = Vec::new();
    let mut spaced_gaps = 0usize;
    let mut tight = Vec::new();
    for g in glyphs {
        let blank = g.text.trim().is_empty();
        if blank {
            pending_space = true;
            space_end = space_end.max(g.right());
            continue;
        }
        let size = g.size.max(1.0);
        if let Some((wx0, wx1, wt)) = word.take() {
            let gap = g.x - wx1;
            // Some producers print a tab as a space glyph and then move on to the tab
            // stop: the gap left after the space shows it.
            let after_space = g.x - space_end.max(wx1);
            if pending_space && after_space <= WORD_GAP_EM * size {
                spaced_gaps += 1;
            } else if (pending_space && after_space > WORD_GAP_EM * size)
                || gap > WORD_GAP_EM * size
            {
                tabs.push(g.x);
                tab_from.push(space_end.max(wx1));
            }
            // A wide gap with no space character printed in it is a tab stop.
            let tab = !pending_space && gap > TAB_GAP_EM * size;
            if tab || gap > RUN_GAP_EM * size.max(run_size) {
                words.push((wx0, wx1, wt));
                if let Some(r) = Run::from_words(std::mem::take(&mut words), y, run_size) {
                    runs.push(r);
                }
                run_size = 0.0;
                word = Some((g.x, g.right(), g.text.clone()));
            } else if pending_space || gap > WORD_GAP_EM * size {
                words.push((wx0, wx1, wt));
                word = Some((g.x, g.right(), g.text.clone()));
            } else {
                if !pending_space && gap > TIGHT_GAP_EM * size {
                    tight.push((wx0, g.x, wt.len()));
                }
                word = Some((wx0, g.right().max(wx1), wt + &g.text));
            }
        } else {
            word = Some((g.x, g.right(), g.text.clone()));
        }
        run_size = run_size.max(size);
        pending_space = false;
        space_end = f64::NEG_INFINITY;
    }
    if let Some(w) = word {
        words.push(w);
    }
    if let Some(r) = Run::from_words(words, y, run_size) {
        runs.push(r);
    }
    let size = runs.iter().map(|r| r.size).fold(0.0, f64::max);
    (!runs.is_empty()).then_some(Line {
        y,
        size,
        runs,
        trailing,
        tabs,
        tab_from,
        spaced_gaps,
        tight,
    })
}

/// A bullet or list label set off by a tab ("•      Ensure…", "1.     Improve…") is part
/// of the text after it, not a column of its own.
fn join_label_run(line: &mut Line) {
    if line.runs.len() < 2 {
        return;
    }
    let first = &line.runs[0];
    let label_only = first.text.chars().count() <= 6
        && crate::blocks::split_marker(&format!("{} x", first.text))
            .is_some_and(|(_, rest)| rest == "x");
    if label_only && line.runs[1].x0 - first.x1 < 6.0 * line.size.max(1.0) {
        let second = line.runs.remove(1);
        let first = &mut line.runs[0];
        first.x1 = second.x1;
        first.size = first.size.max(second.size);
        first.text = format!("{} {}", first.text, second.text);
        first.words.extend(second.words);
    }
}

/// Footnote markers and other raised small text get their own baseline; they belong to
/// the line they are printed on ("improve?1"), not a line of their own.
fn attach_superscripts(lines: &mut Vec<Line>) {
    // Merged lines are marked and dropped at the end: removing one by one would be
    // quadratic on pathological pages.
    let mut merged = vec![false; lines.len()];
    for i in 0..lines.len() {
        let small = &lines[i];
        let host = (i + 1..lines.len().min(i + 3)).find(|&j| {
            let h = &lines[j];
            small.size < 0.8 * h.size
                && h.y - small.y > 0.0
                && h.y - small.y < 0.6 * h.size
                && small.runs.iter().all(|r| r.text.chars().count() <= 4)
                && small.runs.iter().all(|r| {
                    h.runs
                        .iter()
                        .any(|hr| r.x0 >= hr.x0 && r.x0 <= hr.x1 + h.size)
                })
        });
        let Some(j) = host else { continue };
        let small_runs = std::mem::take(&mut lines[i].runs);
        merged[i] = true;
        let h = &mut lines[j];
        let hsize = h.size;
        for r in small_runs {
            let Some(hr) = h.runs.iter_mut().filter(|hr| hr.x0 <= r.x0).last() else {
                continue;
            };
            // Glued to the word it follows, as printed ("19th", "improve?1"); the
            // normalizer strips footnote digits.
            if let Some(w) = hr
                .words
                .iter_mut()
                .filter(|w| w.1 <= r.x0 + 0.5 * hsize)
                .last()
            {
                w.2.push_str(&r.text);
            }
            hr.x1 = hr.x1.max(r.x1);
            hr.text = hr
                .words
                .iter()
                .map(|w| w.2.as_str())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    let mut keep = merged.iter().map(|m| !m);
    lines.retain(|_| keep.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(s: &str, x: f64, y: f64, size: f64) -> Vec<Glyph> {
        s.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * size * 0.5,
                y,
                w: size * 0.5,
                size,
                text: c.to_string(),
            })
            .collect()
    }

    #[test]
    fn words_runs_and_lines() {
        let mut g = glyphs("Ensure plans", 72.0, 100.0, 10.0);
        g.extend(glyphs("March 2008", 300.0, 100.4, 10.0));
        g.extend(glyphs("next line", 72.0, 114.0, 10.0));
        let page = PageContent {
            number: 1,
            width: 595.0,
            height: 842.0,
            glyphs: g,
            ..Default::default()
        };
        let pl = page_lines(&page);
        assert_eq!(pl.lines.len(), 2);
        let texts: Vec<_> = pl.lines[0].runs.iter().map(|r| r.text.clone()).collect();
        assert_eq!(texts, ["Ensure plans", "March 2008"]);
        assert_eq!(pl.lines[1].text(), "next line");
    }
}
