//! Page furniture: running headers, footers and page numbers, found by repetition in
//! the top and bottom bands of the pages and removed before any structure is built.

use std::collections::{HashMap, HashSet};

use actionplan_layout::Note;

use crate::text::PageLines;

/// Share of the page height, from the top and from the bottom, where furniture lives.
const BAND: f64 = 0.14;

/// Text with digits folded, so "Page 3 of 9" and "Page 4 of 9" compare equal.
fn shape(text: &str) -> String {
    let mut out = String::new();
    let mut last_digit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
        } else {
            last_digit = false;
            if !c.is_whitespace() {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

/// A line that is nothing but a page number ("7", "- 7 -", "Page 7 of 20", "7/20").
fn is_page_number(text: &str) -> bool {
    let s = shape(text);
    let s = s.trim_matches(|c| c == '-' || c == '–' || c == '|');
    matches!(
        s,
        "#" | "page#" | "page#of#" | "#of#" | "#/#" | "p#" | "p.#" | "-#-"
    )
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Band {
    Top,
    Bottom,
}

fn band(height: f64, y: f64) -> Option<Band> {
    if height <= 0.0 {
        return None;
    }
    if y < height * BAND {
        Some(Band::Top)
    } else if y > height * (1.0 - BAND) {
        Some(Band::Bottom)
    } else {
        None
    }
}

/// Removes furniture lines from every page, noting how many went.
pub fn remove(pages: &mut [PageLines], notes: &mut Vec<Note>) {
    let n = pages.len();
    // On how many pages each (band, shape) occurs.
    let mut seen: HashMap<(Band, String), usize> = HashMap::new();
    for p in pages.iter() {
        let mut on_page = HashSet::new();
        for l in &p.lines {
            if let Some(b) = band(p.height, l.y) {
                on_page.insert((b, shape(&l.text())));
            }
        }
        for k in on_page {
            *seen.entry(k).or_default() += 1;
        }
    }
    // Repeated on at least two pages and on a fair share of them: short papers have few.
    let needed = if n <= 2 {
        2
    } else {
        ((n as f64) * 0.3).ceil().max(2.0) as usize
    };
    // A header row of a tab-stop table (plain text rendered by a word processor) repeats
    // like a running header but is part of its table: lines cut by two or more tabs stay
    // when the producer prints its spaces (so unspaced gaps are tabs).
    let tabbed = crate::tabstops::prints_spaces(pages);
    let mut removed = 0usize;
    for p in pages.iter_mut() {
        let height = p.height;
        let before = p.lines.len();
        let keep: Vec<bool> = p
            .lines
            .iter()
            .map(|l| match band(height, l.y) {
                None => true,
                Some(b) => {
                    let t = l.text();
                    let repeated =
                        seen.get(&(b, shape(&t))).copied().unwrap_or(0) >= needed && n >= 2;
                    let table_row = tabbed && l.tabs.len() >= 2;
                    !((repeated && !table_row) || is_page_number(&t))
                }
            })
            .collect();
        let mut it = keep.iter();
        p.lines.retain(|_| it.next().copied().unwrap_or(true));
        removed += before - p.lines.len();
    }
    if removed > 0 {
        notes.push(Note {
            page: None,
            message: format!("removed {removed} running header, footer and page-number lines"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        assert!(is_page_number("12"));
        assert!(is_page_number("Page 3 of 20"));
        assert!(is_page_number("- 4 -"));
        assert!(!is_page_number("12 months"));
        assert_eq!(shape("Sandwell 10 of 24"), shape("Sandwell 9 of 24"));
    }
}
