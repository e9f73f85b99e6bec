//! Document metadata: council, title, date, committee, and the papers inside a pack.

use std::sync::LazyLock;

use actionplan_layout::{Block, BlockKind};
use actionplan_model::{Paper, PaperKind};
use regex::Regex;

use crate::timescale::{self, DateContext};
use crate::words::{clean, plain, title_case_if_caps};

use crate::pattern::re;

/// Text of the first `n` blocks, one line each, without markup. A cover table of
/// labels and values ("To: | Full Council", "Date: | 13 March 2025") gives one line per
/// row; other tables are body, not header, and are left out.
fn head_lines(blocks: &[Block], n: usize) -> Vec<String> {
    blocks
        .iter()
        .filter(|b| !matches!(&b.kind, BlockKind::Table(t) if !is_cover_table(t)))
        .take(n)
        .flat_map(|b| match &b.kind {
            BlockKind::Table(t) => t
                .rows
                .iter()
                .map(|r| {
                    let cells: Vec<String> = r.cells.iter().map(|c| plain(&c.text())).collect();
                    cells
                        .into_iter()
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>(),
            kind => kind.text().lines().map(plain).collect(),
        })
        .filter(|l| !l.is_empty())
        .collect()
}

/// A table of a report's cover: a few rows of a short label ending in a colon
/// ("To:", "Date:", "Subject:") and its value.
fn is_cover_table(t: &actionplan_layout::Table) -> bool {
    let labelled = t
        .rows
        .iter()
        .filter(|r| {
            let texts: Vec<String> = r.cells.iter().map(|c| clean(&c.text())).collect();
            let filled: Vec<&String> = texts.iter().filter(|c| !c.is_empty()).collect();
            matches!(filled.first(), Some(l) if l.ends_with(':') && l.split_whitespace().count() <= 3)
                && filled.len() <= 2
        })
        .count();
    (2..=15).contains(&t.rows.len()) && labelled * 2 > t.rows.len()
}

/// The issuing council: "Kent County Council", "Royal Borough of Kingston upon Thames",
/// "Leicester City Council" (even when split over two lines).
pub fn council(blocks: &[Block]) -> Option<String> {
    static C: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b((?i:royal|london|metropolitan)\s+(?i:borough)\s+(?i:of)\s+[A-Z][\w'’-]+(?:[ \t]+(?:upon|on|and|&)[ \t]+[A-Z][\w'’-]+)?|(?:[A-Z][\w'’.-]+\s+(?:&\s+|and\s+)?){1,4}(?:(?i:county|city|borough|district|metropolitan\s+borough|town|unitary)\s+)?(?:Council|COUNCIL))\b",
        )
    });
    static NOT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(the\s+)?(city|county|borough|district|local|parish|town|full|the|this|each|every|our|children|safeguarding|youth|school|care|in\s+care|trust|executive)\b",
        )
    });
    // Words that never begin a council's name (sentence words picked up by the pattern).
    static GENERIC: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"^(?:[A-Z]{2,}\s+|(?:All|Revenue|Inflation|Capital|Risk|Budget|Report|Agenda|Item|Appendix|Director|Cabinet|Member|Members|Leader|Chief|Head|Corporate|Annual|Total|Our|Your|Each|Every|New|Local)\b)",
        )
    });
    let find = |text: &str| -> Option<String> {
        for m in C.find_iter(text) {
            let mut name = clean(m.as_str());
            // Keep only the words after a stray "The"/"the" inside the match.
            if let Some(pos) = name.rfind(" The ").or_else(|| name.rfind(" the ")) {
                name = name[pos + 5..].to_owned();
            }
            let all_caps = !name.chars().any(|c| c.is_lowercase());
            if !all_caps && GENERIC.is_match(&name) {
                continue;
            }
            if let Some(rest) = name
                .strip_prefix("the ")
                .or_else(|| name.strip_prefix("The "))
            {
                name = rest.to_owned();
            }
            if name.split_whitespace().count() < 2 {
                continue;
            }
            if NOT.is_match(&name) && !name.to_lowercase().starts_with("city of") {
                continue;
            }
            return Some(title_case_if_caps(&name));
        }
        None
    };
    // Children's services run by a trust name the trust ("Bradford Children and Families Trust").
    static TRUST: LazyLock<Regex> = LazyLock::new(|| {
        re(r"\b((?:[A-Z][\w'’&-]+\s+){1,3}Children(?:’s|'s)?\s+(?:and\s+Families\s+)?Trust)\b")
    });
    let head = head_lines(blocks, 25).join(" ");
    find(&head)
        .or_else(|| {
            let all: String = blocks
                .iter()
                .take(400)
                .map(|b| b.kind.text())
                .collect::<Vec<_>>()
                .join(" ");
            find(&all.replace('\n', " "))
        })
        .or_else(|| TRUST.captures(&head).map(|c| clean(&c[1])))
}

/// The paper's date: "To: … - 19 September 2008", a date line in the header, else none.
pub fn date(blocks: &[Block]) -> Option<String> {
    static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:19|20)\d{2}\b")
    });
    static PUBLISHED: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)^(?:report\s+)?(?:published|publication\s+date|date\s+of\s+publication)\b")
    });
    let lines = head_lines(blocks, 30);
    // A stated publication date ("Report published: 4 September 2017") is the paper's
    // date, whatever dates precede it.
    for (i, _) in lines
        .iter()
        .enumerate()
        .filter(|(_, l)| PUBLISHED.is_match(l) && l.len() <= 160)
    {
        // The value may sit on its own line after the label (two-column cover pages).
        for candidate in lines.iter().skip(i).take(4) {
            if let Some(d) =
                timescale::parse_date(candidate, DateContext::default()).filter(|d| d.len() >= 7)
            {
                return Some(d);
            }
        }
    }
    for l in &lines {
        // "Inspection dates: 12 to 23 January 2026": the inspection ended on the later date.
        if l.to_lowercase().starts_with("inspection date") {
            if let Some(d) = timescale::parse(l, DateContext::default()).due {
                return Some(d);
            }
        }
    }
    // A report on a period is dated by its end: "Quarter 3" over "2024/25" (a
    // financial quarter, October to December 2024), "Q2 2023".
    static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(?:q[1-4]|quarter\s+[1-4]|(?:1st|2nd|3rd|4th|first|second|third|fourth)\s+quarter)\b",
        )
    });
    for (i, l) in lines.iter().enumerate() {
        if l.len() > 160 {
            break; // body text has started: a date in it is not the paper's date
        }
        if QUARTER.is_match(l) && l.len() <= 40 {
            let with_next = lines
                .get(i + 1)
                .filter(|n| n.len() <= 20)
                .map(|n| format!("{l} {n}"));
            for candidate in [Some(l.clone()), with_next].into_iter().flatten() {
                let t = timescale::parse(&candidate, DateContext::default());
                if let (Some(_), Some(due)) = (t.start, t.due) {
                    return Some(due.chars().take(7).collect());
                }
            }
        }
        if let Some(d) = timescale::parse_date(l, DateContext::default()) {
            if d.len() >= 7 {
                return Some(d);
            }
        }
        // A short date line the parser could not read in full: at least the month.
        if let Some(m) = MONTH_YEAR.find(l).filter(|_| l.len() <= 40) {
            if let Some(d) = timescale::parse_date(m.as_str(), DateContext::default()) {
                return Some(d);
            }
        }
    }
    None
}

/// Best guess at a title: "Subject: X", else the first top-level heading(s), else the
/// first short line naming a plan or report.
pub fn title(blocks: &[Block]) -> Option<String> {
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^subject\s*:\s*(.+)$"));
    static PLAN: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(action plan|improvement plan|inspection|review|report|plan|strategy|agenda)\b")
    });
    let lines = head_lines(blocks, 40);
    for l in &lines {
        if let Some(c) = SUBJECT.captures(l) {
            return Some(title_case_if_caps(&clean(&c[1])));
        }
    }
    // An agenda pack is named by its meeting.
    if lines
        .iter()
        .take(30)
        .any(|l| l == "AGENDA" || l == "Agenda")
    {
        if let Some(c) = committee(blocks) {
            return Some(format!("{c}: Agenda"));
        }
    }
    // Top-level headings, each with a level-2 heading printed right under it.
    let mut top: Vec<String> = Vec::new();
    for (i, b) in blocks.iter().take(40).enumerate() {
        if let BlockKind::Heading { level: 1, text } = &b.kind {
            top.push(plain(text));
            if let Some(BlockKind::Heading { level: 2, text }) = blocks.get(i + 1).map(|n| &n.kind)
            {
                top.push(plain(text));
            }
        }
    }
    if let Some(t) = top.iter().find(|t| PLAN.is_match(t)) {
        // "Joint Area Review Enhanced Youth Inspection" + "Action Plan"
        let next = top.iter().skip_while(|x| *x != t).nth(1);
        return Some(match next {
            Some(n) if n.split_whitespace().count() <= 4 && PLAN.is_match(n) => format!("{t} {n}"),
            _ => t.clone(),
        });
    }
    lines
        .iter()
        .filter(|l| l.len() <= 120 && l.split_whitespace().count() >= 2)
        .find(|l| PLAN.is_match(l) && !l.ends_with('.'))
        .map(|l| title_case_if_caps(l))
}

/// The committee or board: "To: X - date", else a header line naming one.
pub fn committee(blocks: &[Block]) -> Option<String> {
    static TO: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)^(?:to\s*:|(?:a\s+)?report\s+to(?:\s+the)?)\s*(.+)$"));
    static BODY: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(committee|cabinet|board|panel|council meeting|scrutiny|executive|forum|OSMB|OSC)\b",
        )
    });
    static TRAILING_DATE: LazyLock<Regex> =
        LazyLock::new(|| re(r"\s*[-–—,]?\s*(\d{1,2}(st|nd|rd|th)?\s+\w+\s+\d{4})?\s*[-–—]?\s*$"));
    let lines = head_lines(blocks, 30);
    for l in &lines {
        if let Some(c) = TO.captures(l) {
            let v = TRAILING_DATE.replace(&c[1], "").trim().to_owned();
            if !v.is_empty() {
                return Some(title_case_if_caps(&v));
            }
        }
    }
    for b in blocks.iter().take(20) {
        let text = b.kind.text();
        if text.len() > 160 {
            break;
        }
        let one = plain(&text);
        // A multi-line header block: use the line that names the body.
        if text.lines().count() > 3 {
            if let Some(l) = text.lines().map(clean).find(|l| {
                BODY.is_match(l) && l.split_whitespace().count() <= 10 && !l.contains(':')
            }) {
                return Some(title_case_if_caps(&l));
            }
            continue;
        }
        if BODY.is_match(&one) && one.split_whitespace().count() <= 14 && !one.contains(':') {
            let joined = text
                .lines()
                .map(clean)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            let joined = if joined.contains(';') && one.split_whitespace().count() <= 3 {
                joined
            } else {
                one
            };
            // "Cabinet, 9 July 2015": the meeting's date is not part of its name.
            let name = TRAILING_DATE.replace(&joined, "").trim().to_owned();
            return Some(title_case_if_caps(if name.is_empty() {
                &joined
            } else {
                &name
            }));
        }
    }
    None
}

/// Where each paper of a pack begins: (block index, paper).
pub fn papers(blocks: &[Block], ctx: DateContext, doc_title: Option<&str>) -> Vec<(usize, Paper)> {
    static APPENDIX: LazyLock<Regex> =
        LazyLock::new(|| re(r"(?i)^appendix\s+([0-9A-Z]{1,3})\b[\s:.\-–—]*(.{0,100})$"));
    static MINUTES: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^minutes\s+of\s+(a|the)\b"));
    static AGENDA: LazyLock<Regex> = LazyLock::new(|| re(r"^(AGENDA|Agenda)$"));
    static BY: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^by\s*:\s*(.+)$"));
    static SUBJECT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^subject\s*:\s*(.+)$"));
    static REPORT_OF: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^report of (the )?(.+)$"));
    let mut out: Vec<(usize, Paper)> = Vec::new();
    let mut pending_author: Option<(usize, String)> = None;
    let paper = |title: String, kind, author, date, page| Paper {
        title,
        kind,
        author,
        date,
        page_start: page,
        page_end: page,
    };
    for (i, b) in blocks.iter().enumerate() {
        if matches!(b.kind, BlockKind::Table(_)) {
            continue;
        }
        let text = b.kind.text();
        // A cover block may hold several lines ("Council / Report to … / Subject: …"):
        // the paper's marker can be any of its first few lines.
        let first = text
            .lines()
            .take(8)
            .map(clean)
            .find(|l| SUBJECT.is_match(l) || BY.is_match(l))
            .unwrap_or_else(|| clean(text.lines().next().unwrap_or("")));
        if AGENDA.is_match(first.trim()) {
            out.push((
                i,
                paper("Agenda".into(), PaperKind::Agenda, None, None, b.page),
            ));
        } else if MINUTES.is_match(&first) {
            let date = timescale::parse_date(&clean(&text), ctx);
            let title = clean(&text).chars().take(160).collect::<String>();
            out.push((i, paper(title, PaperKind::Minutes, None, date, b.page)));
        } else if BY.is_match(&first) {
            let author = clean(&text.replace('\n', " "))
                .trim_start_matches("By:")
                .trim()
                .to_owned();
            pending_author = Some((i, author));
        } else if let Some(c) = SUBJECT.captures(&first) {
            let title = title_case_if_caps(&clean(&c[1]));
            let (start, author) = match pending_author.take() {
                Some((at, a)) if i - at <= 6 => (at, Some(a)),
                _ => (i, None),
            };
            let date = blocks[start..=i].iter().find_map(|b| {
                let t = clean(&b.kind.text());
                let lower = t.to_lowercase();
                (lower.starts_with("to:") || lower.contains("report to"))
                    .then(|| timescale::parse_date(&t, ctx))
                    .flatten()
            });
            let kind = if title.to_lowercase().contains("action plan") {
                PaperKind::ActionPlan
            } else {
                PaperKind::Report
            };
            out.push((start, paper(title, kind, author, date, blocks[start].page)));
        } else if let Some(c) = APPENDIX.captures(&first) {
            if first.to_lowercase().contains(" see ") || first.ends_with('.') {
                continue;
            }
            let mut title = format!("Appendix {}", &c[1]);
            let inline = clean(&c[2]);
            let same_block = text.lines().nth(1).map(clean).unwrap_or_default();
            let next = if same_block.is_empty() {
                blocks
                    .get(i + 1)
                    .map(|n| clean(n.kind.text().lines().next().unwrap_or("")))
                    .unwrap_or_default()
            } else {
                same_block
            };
            let subtitle = if !inline.is_empty() {
                inline
            } else if next.len() <= 120 && !next.is_empty() {
                next
            } else {
                String::new()
            };
            if !subtitle.is_empty() {
                title = format!("{title}: {}", title_case_if_caps(&subtitle));
            }
            let kind = if subtitle.to_lowercase().contains("plan") {
                PaperKind::ActionPlan
            } else {
                PaperKind::Appendix
            };
            out.push((i, paper(title, kind, None, None, b.page)));
        } else if out.is_empty() && i < 40 {
            if let Some(c) = REPORT_OF.captures(&first) {
                let author = clean(&c[2]);
                out.push((
                    0,
                    paper(
                        doc_title.unwrap_or("Report").to_owned(),
                        PaperKind::Report,
                        Some(author),
                        None,
                        1,
                    ),
                ));
            }
        }
    }
    // Everything before the first paper found is a paper of its own, unless it is
    // only a cover sheet (short lines: committee name, date, venue).
    let substantive = |upto: usize| {
        blocks[..upto.min(blocks.len())]
            .iter()
            .any(|b| b.kind.text().len() > 200)
    };
    if let Some(first) = out
        .first_mut()
        .filter(|(_, p)| !p.title.starts_with("Appendix"))
    {
        if !substantive(first.0) {
            first.0 = 0;
            first.1.page_start = 1;
        }
    }
    if out.first().is_none_or(|(i, _)| *i > 0) {
        // The file opens with a paper of its own (a cover report or a plan).
        let title = doc_title.unwrap_or("Untitled paper").to_owned();
        let kind = if title.to_lowercase().contains("plan") {
            PaperKind::ActionPlan
        } else {
            PaperKind::Report
        };
        out.insert(0, (0, paper(title, kind, None, None, 1)));
    }
    let last_page = blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Table(t) => t.rows.iter().map(|r| r.page).max().unwrap_or(b.page),
            _ => b.page,
        })
        .max()
        .unwrap_or(1);
    for k in 0..out.len() {
        let end = out
            .get(k + 1)
            .map(|(_, p)| p.page_start.max(out[k].1.page_start))
            .unwrap_or(last_page);
        let next_starts_same_page = out.get(k + 1).is_some_and(|(_, p)| p.page_start == end);
        out[k].1.page_end = if next_starts_same_page || k + 1 == out.len() {
            end
        } else {
            end.saturating_sub(1).max(out[k].1.page_start)
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use actionplan_layout::{Cell, Row, Table};

    fn block(kind: BlockKind) -> Block {
        Block {
            page: 1,
            line: None,
            kind,
        }
    }
    fn heading(text: &str) -> Block {
        block(BlockKind::Heading {
            level: 1,
            text: text.into(),
        })
    }
    fn para(text: &str) -> Block {
        block(BlockKind::Paragraph { text: text.into() })
    }
    fn table(rows: &[&[&str]]) -> Block {
        block(BlockKind::Table(Table {
            rows: rows
                .iter()
                .map(|cells| Row {
                    page: 1,
                    line: None,
                    cells: cells.iter().map(|c| Cell::from_text(c)).collect(),
                })
                .collect(),
        }))
    }

    #[test]
    fn a_cover_table_of_labels_gives_date_subject_and_committee() {
        // A county council report's cover, printed as a two-column table.
        let blocks = [
            para("From: Armed Forces Champion"),
            table(&[
                &["To:", "Full Council"],
                &["Date:", "13 March 2025"],
                &[
                    "Subject:",
                    "2024 Annual Report on the Implementation of the Covenant",
                ],
                &["Classification:", "Unrestricted"],
                &["Summary:", ""],
            ]),
            para("This report provides a briefing on the council's work."),
        ];
        assert_eq!(date(&blocks).as_deref(), Some("2025-03-13"));
        assert_eq!(
            title(&blocks).as_deref(),
            Some("2024 Annual Report on the Implementation of the Covenant")
        );
        assert_eq!(committee(&blocks).as_deref(), Some("Full Council"));
    }

    #[test]
    fn a_table_of_the_plan_is_not_a_cover() {
        // An action table whose cells hold dates is body, not the paper's header.
        let blocks = [
            heading("Action Plan"),
            table(&[
                &["Action", "Lead", "Date"],
                &["Review the policy", "Head of Service", "March 2009"],
                &["Train the staff", "HR Manager", "June 2009"],
            ]),
        ];
        assert_eq!(date(&blocks), None);
        // Labels with colons but long rows of text are not a cover either.
        let prose = [table(&[
            &["Note:", "the council will review", "every year", "extra"],
            &["Action:", "ask", "the", "board"],
        ])];
        assert!(!matches!(&prose[0].kind, BlockKind::Table(t) if is_cover_table(t)));
    }

    #[test]
    fn a_quarterly_report_is_dated_by_the_end_of_its_quarter() {
        // Cover of a quarterly performance report: the quarter and the financial
        // year on separate lines (financial year 2024/25: Q3 is October–December 2024).
        let blocks = [
            heading("Kent County Council"),
            heading("Quarterly Performance Report"),
            heading("Quarter 3"),
            para("2024/25"),
            para("Produced by: Analytics"),
        ];
        assert_eq!(date(&blocks).as_deref(), Some("2024-12"));
        let calendar = [heading("Performance report"), para("Q2 2023")];
        assert_eq!(date(&calendar).as_deref(), Some("2023-06"));
        // A strategy's span is not the paper's date, nor a quarter named in a sentence.
        let span = [heading("Climate Change Strategy 2017-50")];
        assert_eq!(date(&span), None);
        let sentence = [para(
            "Progress will be reported to Cabinet each quarter, starting in Quarter 3.",
        )];
        assert_eq!(date(&sentence), None);
    }

    #[test]
    fn titles_and_committees_lose_the_markup_of_text_exports() {
        let blocks = [
            para("# Joint Area Review Enhanced Youth Inspection Action Plan"),
            para("**Specialist Children's Services Policy Overview and Scrutiny Committee**"),
        ];
        assert_eq!(
            title(&blocks).as_deref(),
            Some("Joint Area Review Enhanced Youth Inspection Action Plan")
        );
        assert_eq!(
            committee(&blocks).as_deref(),
            Some("Specialist Children's Services Policy Overview and Scrutiny Committee")
        );
        let escaped = [para(r"LCH Workforce Strategy 2021-25 \(V1.0\)")];
        assert_eq!(
            title(&escaped).as_deref(),
            Some("LCH Workforce Strategy 2021-25 (V1.0)")
        );
        // A committee named by its acronym keeps it.
        assert_eq!(committee(&[para("**OSMB**")]).as_deref(), Some("OSMB"));
    }
}
