//! Inspection grades and acronym glossaries.

use std::sync::LazyLock;

use actionplan_layout::{Block, BlockKind, Table};
use actionplan_model::{GlossaryEntry, Grade};
use regex::Regex;

use crate::words::clean;

use crate::pattern::re;

/// Label of a grade on the four-point scale (4 outstanding … 1 inadequate).
fn label_of(grade: u8) -> &'static str {
    match grade {
        4 => "outstanding",
        3 => "good",
        2 => "adequate",
        _ => "inadequate",
    }
}

fn grade_of(label: &str) -> Option<u8> {
    match label.trim().to_lowercase().as_str() {
        "outstanding" => Some(4),
        "good" => Some(3),
        "adequate"
        | "requires improvement"
        | "requires improvement to be good"
        | "satisfactory" => Some(2),
        "inadequate" => Some(1),
        _ => None,
    }
}

/// Grades from judgement tables ("Safeguarding | 3 | Good") and prose
/// ("Safeguarding - adequate (2)", "Service management (3) and capacity to improve - good (3)").
pub fn grades(blocks: &[Block]) -> Vec<Grade> {
    static PROSE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(.+?)\s*[-–—:]\s*(outstanding|good|adequate|inadequate|requires improvement(?: to be good)?)\s*\(([1-4])\)\s*$",
        )
    });
    static INNER: LazyLock<Regex> =
        LazyLock::new(|| re(r"^(.{3,80}?)\s*\(([1-4])\)\s+and\s+(.+)$"));
    // "awarded a grade 4 (outstanding) for Children's Services"
    static AWARDED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\bgrade\s+([1-4])\s*\((outstanding|good|adequate|inadequate)\)\s+for\s+(?:the\s+)?([A-Z][\w’' ]+?)(?:\s+since\b|\s+in\b|[.,;]|$)",
        )
    });
    // "The impact of the 13-19 strategy … was judged inadequate"
    static JUDGED: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(.+?)\s+(?:was|were|is|are|has been|have been)\s+judged\s+(?:to be\s+|as\s+)?(outstanding|good|adequate|inadequate)\.?$",
        )
    });
    let mut out = judgement_lines(blocks);
    for b in blocks {
        match &b.kind {
            BlockKind::Table(t) => out.extend(table_grades(t)),
            kind => {
                let raw = kind.text();
                let lower = raw.to_lowercase();
                // The cheap tests first: every pattern needs one of these, and most
                // blocks have none.
                if !(lower.contains("grade")
                    || lower.contains("judged")
                    || raw.trim_end().ends_with(')'))
                {
                    continue;
                }
                let text = clean(&raw);
                if lower.contains("grade") {
                    for c in AWARDED.captures_iter(&text) {
                        let grade: u8 = c[1].parse().unwrap_or(0);
                        out.push(Grade {
                            area: clean(&c[3]),
                            grade,
                            label: Some(c[2].to_lowercase()),
                            page: b.page,
                        });
                    }
                }
                let judged = lower.contains("judged") && text.len() <= 400;
                if let Some(c) = judged.then(|| JUDGED.captures(&text)).flatten() {
                    let label = c[2].to_lowercase();
                    if let Some(grade) = grade_of(&label) {
                        out.push(Grade {
                            area: clean(&c[1]),
                            grade,
                            label: Some(label),
                            page: b.page,
                        });
                    }
                    continue;
                }
                if text.len() > 200 || !text.ends_with(')') {
                    continue;
                }
                let Some(c) = PROSE.captures(&text) else {
                    continue;
                };
                if c[1].len() > 140 {
                    continue;
                }
                let grade: u8 = c[3].parse().unwrap_or(0);
                let label = c[2].to_lowercase();
                let area = clean(&c[1]);
                if let Some(i) = INNER.captures(&area) {
                    let g: u8 = i[2].parse().unwrap_or(0);
                    out.push(Grade {
                        area: clean(&i[1]),
                        grade: g,
                        label: Some(label_of(g).into()),
                        page: b.page,
                    });
                    out.push(Grade {
                        area: capitalise(&clean(&i[3])),
                        grade,
                        label: Some(label),
                        page: b.page,
                    });
                } else {
                    out.push(Grade {
                        area,
                        grade,
                        label: Some(label),
                        page: b.page,
                    });
                }
            }
        }
    }
    out
}

/// Ofsted-style judgement summaries on a report's first pages, one judgement per line:
/// "Children who need help and protection Requires improvement", "2.1 Adoption
/// performance Good", "Overall effectiveness Requires improvement to be good".
/// At least two such lines must stand together, so a sentence ending in "good" is
/// not a grade.
fn judgement_lines(blocks: &[Block]) -> Vec<Grade> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^(?:\d{1,2}(?:\.\d{1,2})?\.?\s+)?([A-Z][^.;:]{4,120}?)\s+(Outstanding|Good|Requires improvement(?: to be good)?|Inadequate)$",
        )
    });
    let mut run: Vec<Grade> = Vec::new();
    let mut out = Vec::new();
    for b in blocks.iter().take_while(|b| b.page <= 2) {
        if matches!(b.kind, BlockKind::Table(_)) {
            continue;
        }
        let text = clean(&b.kind.text());
        let text = match &b.kind {
            BlockKind::ListItem {
                marker: Some(m), ..
            } => format!("{m} {text}"),
            _ => text,
        };
        match LINE.captures(&text) {
            Some(c) => {
                let label = c[2].to_lowercase();
                if let Some(grade) = grade_of(&label) {
                    run.push(Grade {
                        area: clean(&c[1]),
                        grade,
                        label: Some(label),
                        page: b.page,
                    });
                }
            }
            None if text.split_whitespace().count() > 12 => {
                if run.len() >= 2 {
                    out.append(&mut run);
                }
                run.clear();
            }
            None => {}
        }
    }
    if run.len() >= 2 {
        out.append(&mut run);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A table is a grade table when most data rows pair an area with a 1–4 score or a
/// judgement word; a key such as "4: outstanding; 3: good" is not needed.
fn table_grades(t: &Table) -> Vec<Grade> {
    let mut found = Vec::new();
    let mut rows = 0;
    for r in &t.rows {
        let cells: Vec<String> = r.cells.iter().map(|c| clean(&c.text())).collect();
        let filled: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
        if filled.len() < 2 || filled.len() > 4 {
            continue;
        }
        rows += 1;
        let area = filled[0];
        if area.len() > 120 || area.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let score = filled[1..]
            .iter()
            .find_map(|c| c.parse::<u8>().ok().filter(|g| (1..=4).contains(g)));
        let word = filled[1..]
            .iter()
            .find_map(|c| grade_of(c).map(|g| (g, c.to_lowercase())));
        match (score, word) {
            (Some(g), Some((_, w))) => found.push(Grade {
                area: area.clone(),
                grade: g,
                label: Some(w),
                page: r.page,
            }),
            (Some(g), None) => found.push(Grade {
                area: area.clone(),
                grade: g,
                label: Some(label_of(g).into()),
                page: r.page,
            }),
            (None, Some((g, w))) => found.push(Grade {
                area: area.clone(),
                grade: g,
                label: Some(w),
                page: r.page,
            }),
            (None, None) => {}
        }
    }
    // Bare scores count only under a header that speaks of grades or judgements.
    static HEADER: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)grade|judgement|score|assessment|rating|overall|inspection"));
    let has_words = found.iter().any(|g| {
        g.label.as_deref().is_some_and(|l| {
            t.rows
                .iter()
                .any(|r| r.cells.iter().any(|c| c.text().to_lowercase() == l))
        })
    });
    let header = t
        .rows
        .first()
        .is_some_and(|r| r.cells.iter().any(|c| HEADER.is_match(&c.text())));
    // Counts and money are not judgements: any other number rules the table out.
    let other_numbers = t.rows.iter().skip(1).any(|r| {
        r.cells.iter().skip(1).any(|c| {
            clean(&c.text())
                .replace(',', "")
                .parse::<f64>()
                .is_ok_and(|n| !(1.0..=4.0).contains(&n) || n.fract() != 0.0)
        })
    });
    if found.len() >= 2 && found.len() * 2 >= rows && (has_words || header) && !other_numbers {
        found
    } else {
        Vec::new()
    }
}

/// Acronym lists: table rows or lines "ASD - Autistic Spectrum Disorder", "CAF: Common …".
pub fn glossary(blocks: &[Block]) -> Vec<GlossaryEntry> {
    static LINE: LazyLock<Regex> = LazyLock::new(|| {
        re(r"^([A-Za-z][A-Za-z0-9&/+]{1,11}s?)\s*(?:[-–—:=]|\s{2,}|\t)\s*([A-Z][^\t]{3,120})$")
    });
    let mut out: Vec<GlossaryEntry> = Vec::new();
    let mut in_glossary = false;
    for b in blocks {
        match &b.kind {
            BlockKind::Heading { text, .. } | BlockKind::Paragraph { text } if text.len() < 80 => {
                let t = text.to_lowercase();
                if t.contains("glossary") || t.contains("acronyms") || t.contains("abbreviations") {
                    in_glossary = true;
                    continue;
                }
                if in_glossary {
                    if let Some(e) = entry(&LINE, text) {
                        push(&mut out, e);
                        continue;
                    }
                    in_glossary = false;
                }
            }
            BlockKind::Table(t) => {
                let entries: Vec<GlossaryEntry> = t
                    .rows
                    .iter()
                    .filter_map(|r| {
                        let cells: Vec<String> = r
                            .cells
                            .iter()
                            .map(|c| clean(&c.text()))
                            .filter(|c| {
                                !c.is_empty() && !matches!(c.as_str(), "-" | "–" | "=" | ":")
                            })
                            .collect();
                        (cells.len() == 2)
                            .then(|| entry(&LINE, &format!("{} - {}", cells[0], cells[1])))
                            .flatten()
                    })
                    .collect();
                if in_glossary || entries.len() * 10 >= t.rows.len() * 7 && entries.len() >= 3 {
                    for e in entries {
                        push(&mut out, e);
                    }
                }
            }
            _ => {
                if in_glossary {
                    if let Some(e) = entry(&LINE, &b.kind.text()) {
                        push(&mut out, e);
                        continue;
                    }
                }
                in_glossary = false;
            }
        }
    }
    out
}

fn entry(line: &Regex, text: &str) -> Option<GlossaryEntry> {
    let c = line.captures(text.trim())?;
    let term = c[1].to_owned();
    // An acronym has capitals: "CiC", "LAC", "KPI"; not an ordinary word.
    if term.chars().filter(|c| c.is_uppercase()).count() < 2 {
        return None;
    }
    Some(GlossaryEntry {
        term,
        expansion: clean(&c[2]),
    })
}

fn push(out: &mut Vec<GlossaryEntry>, e: GlossaryEntry) {
    if !out.iter().any(|o| o.term == e.term) {
        out.push(e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actionplan_layout::{Cell, Row};

    fn para(text: &str) -> Block {
        Block {
            page: 1,
            line: None,
            kind: BlockKind::Paragraph { text: text.into() },
        }
    }

    #[test]
    fn prose_grades_including_a_pair() {
        let g = grades(&[
            para("Safeguarding - adequate (2)"),
            para("Service management (3) and capacity to improve - good (3)"),
        ]);
        let got: Vec<_> = g
            .iter()
            .map(|g| (g.area.as_str(), g.grade, g.label.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Safeguarding", 2, Some("adequate")),
                ("Service management", 3, Some("good")),
                ("Capacity to improve", 3, Some("good"))
            ]
        );
    }

    #[test]
    fn judgement_summaries_on_the_cover() {
        let g = grades(&[
            para("Children who need help and protection Requires improvement"),
            Block { page: 1, line: None, kind: BlockKind::ListItem { marker: Some("2.1".into()), depth: 0, text: "Adoption performance Good".into() } },
            para("Overall effectiveness Requires improvement to be good"),
            para("Ofsted produces this report under its power to combine reports in accordance with section 152 of the Act."),
            para("The service is good"),
        ]);
        let got: Vec<_> = g.iter().map(|g| (g.area.as_str(), g.grade)).collect();
        assert_eq!(
            got,
            vec![
                ("Children who need help and protection", 2),
                ("Adoption performance", 3),
                ("Overall effectiveness", 2)
            ]
        );
        assert!(
            grades(&[para("Practice is Good")]).is_empty(),
            "a lone line is not a judgement table"
        );
    }

    #[test]
    fn grades_awarded_or_judged_in_sentences() {
        let g = grades(&[
            para("Kingston was the first area to be awarded a grade 4 (outstanding) for Children's Services since the JAR inspections started"),
            para("The impact of the 13-19 strategy in improving outcomes for young people was judged inadequate"),
            para("The service was judged to be very effective"),
        ]);
        let got: Vec<_> = g.iter().map(|g| (g.area.as_str(), g.grade)).collect();
        assert_eq!(
            got,
            vec![
                ("Children's Services", 4),
                (
                    "The impact of the 13-19 strategy in improving outcomes for young people",
                    1
                )
            ]
        );
    }

    #[test]
    fn grade_tables_need_most_rows_to_be_grades() {
        let row = |a: &str, b: &str| Row {
            page: 1,
            line: None,
            cells: vec![Cell::from_text(a), Cell::from_text(b)],
        };
        let t = Table {
            rows: vec![
                row("", "Local services overall"),
                row("Safeguarding", "3"),
                row("Service management", "2"),
            ],
        };
        let g = grades(&[Block {
            page: 1,
            line: None,
            kind: BlockKind::Table(t),
        }]);
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].label.as_deref(), Some("adequate"));
        let t = Table {
            rows: vec![
                row("Complaint type (overall)", "Number"),
                row("Advocate", "1"),
                row("Parent", "4"),
                row("Delay", "58"),
            ],
        };
        assert!(
            grades(&[Block {
                page: 1,
                line: None,
                kind: BlockKind::Table(t)
            }])
            .is_empty(),
            "counts are not grades"
        );
        let t = Table {
            rows: vec![
                row("Agenda Setting", "Time"),
                row("12 April", "4 pm"),
                row("3 May", "11 am"),
                row("7 June", "2"),
            ],
        };
        assert!(grades(&[Block {
            page: 1,
            line: None,
            kind: BlockKind::Table(t)
        }])
        .is_empty());
    }

    #[test]
    fn glossary_tables_and_lines() {
        let row = |a: &str, b: &str, c: &str| Row {
            page: 1,
            line: None,
            cells: vec![Cell::from_text(a), Cell::from_text(b), Cell::from_text(c)],
        };
        let t = Table {
            rows: vec![
                row("ASD", "-", "Autistic Spectrum Disorder"),
                row("CiC", "-", "Child(ren) in Care"),
                row("LA", "-", "Local Authority"),
            ],
        };
        let g = glossary(&[Block {
            page: 1,
            line: None,
            kind: BlockKind::Table(t),
        }]);
        assert_eq!(g.len(), 3);
        assert_eq!(g[1].term, "CiC");
        let g = glossary(&[
            para("Glossary"),
            para("CAMHS: Child and Adolescent Mental Health Services"),
            para("Some prose follows here."),
        ]);
        assert_eq!(
            g,
            vec![GlossaryEntry {
                term: "CAMHS".into(),
                expansion: "Child and Adolescent Mental Health Services".into()
            }]
        );
    }
}
