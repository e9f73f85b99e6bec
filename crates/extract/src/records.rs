//! Plan tables in plain-text exports whose column structure was lost: rows survive
//! only as a reference at the start of a line ("R7  Develop a water conservation
//! plan…", "17Develop a Communications Strategy…", "EB1 Improve…", "1.1 Deliver…")
//! followed by the row's cells glued together and wrapped over following lines.
//!
//! A run of such references in sequence (same prefix, numbers counting up) marks a
//! table; each reference starts a row of two cells, the reference and the row's text
//! (wrapped lines joined, hyphenation repaired). What the text holds (action, lead,
//! timescale) is the normalizer's business. Rows glued onto the end of the previous
//! row ("… Short/Medium  R12   Improve …") are split at the expected next reference.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// A reference opening a line: a code ("S4", "EB10", "R&W1", "A&S3"), a dotted
/// number ("2.10"), or a number glued to or followed by its text ("17Develop", "3 Reduce").
static START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:[A-Za-z][A-Za-z ,&-]{0,80}[a-z] ?)?(?P<code>[A-Z]{1,4}(?:&[A-Z]{1,3})?) ?(?P<cn>\d{1,3})|(?P<maj>\d{1,2})\.(?P<min>\d{1,2})|(?P<num>\d{1,3})(?P<dot>\.)?)(?P<sep>[ \t]+|)(?P<rest>[A-Z‘“'\x22(][^\n]*)$",
    )
    .expect("valid regex")
});

/// Words that occur in the header rows of plan tables; a line with several of them
/// (and little else) is a header repeated on a new page.
static HEADER_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(action|actions|lead|timescales?|timeframe|owner|responsib\w*|target|date|status|progress|measures?|outcomes?|ref|resources|cost|partners|when|deadline|milestones?|theme|task|activity|project|delivery|description|rag|impact|completion|indicator|officer|scope|funding|no)(?-u:\b)")
        .expect("valid regex")
});

/// A reference found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Start {
    /// The sequence the reference belongs to: the code's letters, "#.#" for dotted
    /// numbers, "#" for plain numbers.
    family: String,
    /// Order within the family (major * 1000 + minor for dotted numbers).
    key: u32,
    reference: String,
    /// Byte offset of the row text in the line.
    rest: usize,
    /// Number glued to its text ("17Develop"), which prose never does.
    glued: bool,
}

fn start(line: &str) -> Option<Start> {
    // Every reference has a digit; most lines have none, and captures are costly.
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = START.captures(line)?;
    let rest = c.name("rest")?;
    let glued = c.name("sep").is_some_and(|m| m.as_str().is_empty());
    if let (Some(code), Some(n)) = (c.name("code"), c.name("cn")) {
        // "CO2 reduction": a code needs its text to follow as a new sentence or cell.
        if glued {
            return None;
        }
        let key: u32 = n.as_str().parse().ok()?;
        return Some(Start {
            family: code.as_str().to_owned(),
            key,
            reference: format!("{}{}", code.as_str(), n.as_str()),
            rest: rest.start(),
            glued,
        });
    }
    if let (Some(maj), Some(min)) = (c.name("maj"), c.name("min")) {
        let (a, b): (u32, u32) = (maj.as_str().parse().ok()?, min.as_str().parse().ok()?);
        return Some(Start {
            family: "#.#".into(),
            key: a * 1000 + b,
            reference: format!("{a}.{b}"),
            rest: rest.start(),
            glued,
        });
    }
    let n = c.name("num")?;
    let key: u32 = n.as_str().parse().ok()?;
    if key == 0 {
        return None;
    }
    Some(Start {
        family: "#".into(),
        key,
        reference: n.as_str().to_owned(),
        rest: rest.start(),
        glued: glued && c.name("dot").is_none(),
    })
}

fn follows(family: &str, prev: u32, next: u32) -> bool {
    if family == "#.#" {
        (next / 1000 == prev / 1000 && next % 1000 == prev % 1000 + 1)
            || (next / 1000 == prev / 1000 + 1 && next % 1000 == 1)
    } else {
        next == prev + 1
    }
}

/// A line that repeats a plan table's header (several header words, short).
pub(crate) fn is_header_line(line: &str) -> bool {
    let header = |line: &str| {
        let words = line.split_whitespace().count();
        let hits = HEADER_WORD.find_iter(line).count();
        words > 0 && hits >= 2 && hits * 4 >= words.min(12)
    };
    header(line) || (has_camel_join(line) && header(&split_camel(line)))
}

/// Whether a word of `line` runs on into the next with no space ("WhenMeasures"):
/// exports that dropped the spaces between words keep only the capitals.
fn has_camel_join(line: &str) -> bool {
    line.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// `line` with a space put wherever a lower-case letter runs into a capital
/// ("OfficerProgress Corporate" → "Officer Progress Corporate").
fn split_camel(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut prev_lower = false;
    for c in line.chars() {
        if prev_lower && c.is_uppercase() {
            out.push(' ');
        }
        out.push(c);
        prev_lower = c.is_lowercase();
    }
    out
}

/// One recovered row: the reference and its text, with the source line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    pub line: usize,
    pub reference: Option<String>,
    pub text: String,
    /// The timescale printed at the end of the row, for rows found by their dates.
    pub timescale: Option<String>,
}

/// A table recovered from references: the lines it spans and its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordTable {
    /// First and one-past-last line index.
    pub start: usize,
    pub end: usize,
    pub rows: Vec<RecordRow>,
}

/// How far above a table's first row its header may be printed, in lines.
const HEADER_REACH: usize = 15;

/// Most lines a row's text may wrap over when no next reference ends it.
const LAST_ROW_LINES: usize = 25;

/// Every plan table recovered from a text export's lines, in order: reference-anchored
/// rows first, then numbered chains and dated rows in the lines still free. The lines
/// are read with no-break spaces as spaces (exports often space words with them).
pub fn find_all(raw_lines: &[&str]) -> Vec<RecordTable> {
    let owned: Vec<String> = raw_lines.iter().map(|l| l.replace('\u{a0}', " ")).collect();
    let lines: Vec<&str> = owned.iter().map(String::as_str).collect();
    let mut tables = find(&lines);
    let taken = |t: &[RecordTable]| t.iter().map(|t| (t.start, t.end)).collect::<Vec<_>>();
    let numbered = find_numbered(&lines, &taken(&tables));
    tables.extend(numbered);
    let dated = find_dated(&lines, &taken(&tables));
    tables.extend(dated);
    tables.sort_by_key(|t| t.start);
    tables
}

/// Finds the reference-anchored tables in a text export's lines (no-break spaces
/// already read as spaces: see [`find_all`]).
pub fn find(lines: &[&str]) -> Vec<RecordTable> {
    let starts: Vec<Option<Start>> = lines.iter().map(|l| start(l)).collect();
    // Which families count: several references that mostly count up one by one.
    let mut by_family: HashMap<&str, Vec<u32>> = HashMap::new();
    for s in starts.iter().flatten() {
        by_family.entry(s.family.as_str()).or_default().push(s.key);
    }
    let mut families: Vec<String> = Vec::new();
    for (family, keys) in &by_family {
        let steps = keys
            .windows(2)
            .filter(|w| follows(family, w[0], w[1]))
            .count();
        let glued = starts
            .iter()
            .flatten()
            .filter(|s| s.family == *family && s.glued)
            .count();
        let enough = match *family {
            // Plain numbers also number report paragraphs: only glued ones ("17Develop") count.
            "#" => keys.len() >= 5 && steps * 10 >= keys.len() * 6 && glued * 2 >= keys.len(),
            // Dotted numbers also number report paragraphs, which fill their first
            // line; a plan's narrow reference column wraps its text after a few words.
            "#.#" => {
                keys.len() >= 4 && steps * 10 >= keys.len() * 6 && {
                    let mut w: Vec<usize> = lines
                        .iter()
                        .zip(&starts)
                        .filter(|(_, s)| s.as_ref().is_some_and(|s| s.family == "#.#"))
                        .map(|(l, _)| l.split_whitespace().count())
                        .collect();
                    w.sort_unstable();
                    w[w.len() / 2] <= 8
                }
            }
            // Codes: counting up, or covering a run of numbers printed out of order
            // ("T3, T4, T6, T2, T5 …").
            _ => {
                let mut distinct = keys.clone();
                distinct.sort_unstable();
                distinct.dedup();
                let span = distinct.last().unwrap_or(&0) - distinct.first().unwrap_or(&0) + 1;
                keys.len() >= 3
                    && (steps * 2 >= keys.len()
                        || (distinct.len() >= 4
                            && distinct.len() * 4 >= keys.len() * 3
                            && span as usize <= distinct.len() * 2))
            }
        };
        if enough {
            families.push((*family).to_owned());
        }
    }
    if families.is_empty() {
        return Vec::new();
    }
    let counts = |s: &Start| families.contains(&s.family);
    let mut tables: Vec<RecordTable> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(s) = starts[i].as_ref().filter(|s| counts(s)) else {
            i += 1;
            continue;
        };
        let mut table = RecordTable {
            start: i,
            end: i,
            rows: Vec::new(),
        };
        let mut last_key: HashMap<String, u32> = HashMap::from([(s.family.clone(), s.key)]);
        let mut current = Some((i, s.reference.clone(), Vec::new()));
        push_line(
            &mut table,
            &mut current,
            &mut last_key,
            &lines[i][s.rest..],
            i,
        );
        let mut since_start = 0;
        let mut j = i + 1;
        while j < lines.len() {
            let line = lines[j];
            // Inside a table, a short code family of its own ("T1", "T2" under a theme
            // of two rows) starts rows too, when it counts from 1 or goes on in order.
            let minor =
                |n: &Start| !n.family.starts_with('#') && (n.key == 1 || in_sequence(n, &last_key));
            if let Some(n) = starts[j].as_ref().filter(|n| counts(n) || minor(n)) {
                flush(&mut table, current.take());
                last_key.insert(n.family.clone(), n.key);
                current = Some((j, n.reference.clone(), Vec::new()));
                push_line(&mut table, &mut current, &mut last_key, &line[n.rest..], j);
                since_start = 0;
                j += 1;
                continue;
            }
            since_start += 1;
            let blank_run =
                line.trim().is_empty() && lines.get(j + 1).is_some_and(|l| l.trim().is_empty());
            if line.trim_start().starts_with('#')
                || since_start > LAST_ROW_LINES
                || (blank_run && since_start > 3)
            {
                // Far from any reference: the table has ended unless one follows soon,
                // or, in rows of narrow cells stacked one above another (long rows, but
                // short lines, unlike the prose under numbered section headings), the
                // row's successor in sequence follows within another row's reach.
                let successor = |k: usize| {
                    starts[k]
                        .as_ref()
                        .is_some_and(|n| counts(n) && in_sequence(n, &last_key))
                        || glued_next(lines[k], &last_key).is_some()
                };
                let next = (j..lines.len().min(j + 8))
                    .find(|&k| starts[k].as_ref().is_some_and(counts))
                    .or_else(|| {
                        let row_from = current.as_ref().map_or(j, |c| c.0);
                        if median_len(&lines[row_from..j]) > NARROW_CELL {
                            return None;
                        }
                        (j..lines.len().min(j + 2 * LAST_ROW_LINES)).find(|&k| successor(k))
                    });
                if next.is_none() {
                    break;
                }
            }
            if is_header_line(line) && line.split_whitespace().count() <= 16 {
                j += 1;
                continue; // the header repeated on a new page
            }
            let before = table.rows.len();
            push_line(&mut table, &mut current, &mut last_key, line, j);
            if table.rows.len() > before {
                since_start = 0;
            }
            j += 1;
        }
        flush(&mut table, current.take());
        table.end = j;
        // Real tab-separated rows mean the export kept its cells: the ordinary table path reads them.
        let tabbed = lines[table.start..table.end]
            .iter()
            .filter(|l| is_tab_row(l))
            .count();
        // A plan table prints its header above its first rows; agenda items ("A5 Dates
        // of Meetings") and numbered report paragraphs ("2.3 The CPA will …") have none.
        let header_near = lines[table.start.saturating_sub(HEADER_REACH)..table.start]
            .iter()
            .any(|l| is_header_line(l))
            || lines[table.start..table.end]
                .iter()
                .filter(|l| is_header_line(l))
                .count()
                >= 2;
        if table.rows.len() >= 3 && tabbed < 2 && header_near {
            tables.push(table);
        }
        i = j.max(i + 1);
    }
    tables
}

/// Whether `n` is the next reference of its family after the last one seen.
fn in_sequence(n: &Start, last: &HashMap<String, u32>) -> bool {
    last.get(&n.family)
        .is_some_and(|&p| follows(&n.family, p, n.key))
}

/// Longest median line (in characters) of a row printed as narrow stacked cells.
const NARROW_CELL: usize = 40;

/// Median length in characters of the non-blank lines, 0 when there are none.
fn median_len(lines: &[&str]) -> usize {
    let mut lens: Vec<usize> = lines
        .iter()
        .map(|l| l.trim().chars().count())
        .filter(|&n| n > 0)
        .collect();
    if lens.is_empty() {
        return 0;
    }
    lens.sort_unstable();
    lens[lens.len() / 2]
}

/// Adds one line's text to the current row, starting new rows where references of
/// the next rows are glued inside it.
fn push_line(
    table: &mut RecordTable,
    current: &mut Option<(usize, String, Vec<String>)>,
    last_key: &mut HashMap<String, u32>,
    line: &str,
    at_line: usize,
) {
    let mut rest = line;
    while let Some((at, reference)) = glued_next(rest, last_key) {
        if let Some(cur) = current.as_mut() {
            cur.2.push(rest[..at].to_owned());
        }
        flush(table, current.take());
        if let Some((family, k)) = family_key(&reference) {
            last_key.insert(family, k);
        }
        rest = &rest[at + reference.len()..];
        *current = Some((at_line, reference, Vec::new()));
    }
    if let Some(cur) = current.as_mut() {
        cur.2.push(rest.to_owned());
    }
}

/// A line of real tab-separated cells (several words per cell), as opposed to an
/// export that put a tab between every word.
fn is_tab_row(line: &str) -> bool {
    let cells: Vec<&str> = line.split('\t').filter(|c| !c.trim().is_empty()).collect();
    if cells.len() < 2 {
        return false;
    }
    let words: usize = cells.iter().map(|c| c.split_whitespace().count()).sum();
    words as f32 / cells.len() as f32 >= 3.0
}

/// The family and order key of a reference found glued inside a line ("R12", "1.3").
fn family_key(reference: &str) -> Option<(String, u32)> {
    if let Some((maj, min)) = reference.split_once('.') {
        let (a, b): (u32, u32) = (maj.parse().ok()?, min.parse().ok()?);
        return Some(("#.#".into(), a * 1000 + b));
    }
    let family = reference.trim_end_matches(|c: char| c.is_ascii_digit());
    let key = reference[family.len()..].parse().ok()?;
    Some((family.to_owned(), key))
}

/// Where the next reference of a code family starts inside `line`, if a row was
/// glued onto the previous one.
fn glued_next(line: &str, last: &HashMap<String, u32>) -> Option<(usize, String)> {
    for (family, key) in last {
        let wants = match family.as_str() {
            "#" => continue,
            // A dotted number glued onto a running page header ("…Strategy1.3 Reduce"):
            // the next minor number, or the first of the next major.
            "#.#" => vec![
                format!("{}.{}", key / 1000, key % 1000 + 1),
                format!("{}.1", key / 1000 + 1),
            ],
            _ => vec![format!("{family}{}", key + 1)],
        };
        for want in wants {
            let mut from = 0;
            while let Some(pos) = line[from..].find(&want) {
                let at = from + pos;
                from = at + want.len();
                if at == 0 {
                    continue;
                }
                let before = &line[..at];
                let after = &line[at + want.len()..];
                let boundary = before.ends_with("  ")
                    || before.ends_with('\t')
                    || before.trim_end().ends_with(['.', ')'])
                    || (family == "#.#" && before.ends_with(|c: char| c.is_lowercase()));
                let next_text = after.starts_with([' ', '\t'])
                    && after.trim_start().starts_with(|c: char| c.is_uppercase());
                if boundary && next_text {
                    return Some((at, want));
                }
            }
        }
    }
    None
}

fn flush(table: &mut RecordTable, row: Option<(usize, String, Vec<String>)>) {
    let Some((line, reference, parts)) = row else {
        return;
    };
    let text = join_wrapped(&parts);
    if text.is_empty() {
        return;
    }
    table.rows.push(RecordRow {
        timescale: None,
        line,
        reference: Some(reference),
        text,
    });
}

/// Wrapped lines joined into one text: tabs and runs of spaces squashed, a word
/// hyphenated across a line break rejoined ("Procure-" + "ment").
pub fn join_wrapped(parts: &[String]) -> String {
    let mut out = String::new();
    for p in parts {
        let t = crate::html::squash(&p.replace('\t', " "));
        if t.is_empty() {
            continue;
        }
        if out.ends_with('-') && !out.ends_with(" -") && t.starts_with(|c: char| c.is_lowercase()) {
            out.pop();
        } else if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t);
    }
    out
}

/// A token of a timescale cell: "Mar-22", "June-21", "Dec", "2024", "2021-2024",
/// "Q3", "Ongoing", "Annually".
static DATE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?:[-/.]?\d{2,4})?|(?:19|20)\d{2}(?:[-/](?:19|20)?\d{2})?|q[1-4]|on-?going|annual(?:ly)?|quarterly|monthly)[.,]?$")
        .expect("valid regex")
});
/// Words that join the tokens of one timescale cell ("Apr-20 to Mar-24").
static DATE_JOIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:to|-|–|and|until)$").expect("valid regex"));
/// Short codes printed after the dates (objectives supported: "A1", "A1,A2", "All"; indicators "1", "**").
static TRAILING_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z]{1,2}\d{1,2}(?:,\s*[A-Z]{1,2}\d{1,2})*,?|All|\*+|\d)$")
        .expect("valid regex")
});

/// Verbs that open an action, shared with the normalizer (`data/action_verbs.txt`).
static VERBS: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/action_verbs.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

fn verb_first(text: &str) -> bool {
    let mut w = text.split_whitespace();
    let first = w
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let second = w.next().unwrap_or("").to_lowercase();
    VERBS.contains(first.as_str()) || (first == "we" && second == "will")
}

/// Splits a timescale off the end of a line: ("Replace 5% of council vehicles …", "Jun-21").
/// The cell may be glued to the text ("…transport hubs.Mar-22") and followed by short
/// codes ("Apr-20 Mar-24 A1").
pub fn dated_tail(line: &str) -> Option<(String, String)> {
    // Cheap test first: a timescale cell holds a digit or one of a few words near the end.
    let end = line.trim_end();
    let tail_start = end
        .char_indices()
        .rev()
        .nth(40)
        .map(|(i, _)| i)
        .unwrap_or(0);
    let tail = &end[tail_start..];
    let maybe = tail.bytes().any(|b| b.is_ascii_digit())
        || ["going", "nnual", "uarterly", "onthly"]
            .iter()
            .any(|w| tail.contains(w));
    if !maybe {
        return None;
    }
    let mut tokens: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    while tokens.last().is_some_and(|t| TRAILING_CODE.is_match(t)) && tokens.len() > 3 {
        tokens.pop();
    }
    // A date glued to the last word: "hubs.Mar-22", "fleetDec".
    if let Some(last) = tokens.last().cloned() {
        if !DATE_TOKEN.is_match(&last) {
            let cut = last.char_indices().skip(1).find(|(i, c)| {
                let before = last[..*i].chars().last().unwrap_or(' ');
                (c.is_uppercase() || c.is_ascii_digit())
                    && (before == '.' || before.is_lowercase())
                    && DATE_TOKEN.is_match(&last[*i..])
            });
            if let Some((i, _)) = cut {
                tokens.pop();
                tokens.push(last[..i].to_owned());
                tokens.push(last[i..].to_owned());
            }
        }
    }
    let n = tokens.len();
    let mut start = n;
    while start > 0 && n - start < 5 {
        let t = &tokens[start - 1];
        let month_word = t.chars().next().is_some_and(char::is_alphabetic)
            && !t.contains(|c: char| c.is_ascii_digit());
        // A month name alone is a date only before a year ("Dec 2024"), never as a last word ("… in May").
        let year_follows = start < n && tokens[start].chars().any(|c| c.is_ascii_digit());
        let bare_month = month_word
            && !year_follows
            && !matches!(
                t.to_lowercase().trim_end_matches(['.', ',']),
                "ongoing" | "on-going" | "annually" | "annual" | "quarterly" | "monthly"
            );
        let date = DATE_TOKEN.is_match(t)
            && !(month_word && t.starts_with(char::is_lowercase))
            && !bare_month;
        if date || (DATE_JOIN.is_match(t) && start < n) {
            start -= 1;
        } else {
            break;
        }
    }
    while start < n && DATE_JOIN.is_match(&tokens[start]) {
        start += 1;
    }
    if start == n || start == 0 {
        return None;
    }
    Some((tokens[..start].join(" "), tokens[start..].join(" ")))
}

/// A number opening a row anywhere in a line: "  1. Implement …", "Strategy  4. Switch …".
static NUMBER_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s.;:)])(\d{1,3})(?:\.\s*[A-Z0-9‘“'\x22]|\s+[A-Z‘“'\x22])|[a-z](\d{1,3})\.\s*[A-Z‘“'\x22]").expect("valid regex")
});

/// A coded reference anywhere in a line, before its row's text: "A2 Ensure …", "A&S1 Work …".
static CODE_ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:^|[\s.;:)])([A-Z]{1,3}(?:&[A-Z]{1,3})?) ?(\d{1,2})(?:\s+([A-Z‘“'\x22][a-z])|\s*$)",
    )
    .expect("valid regex")
});

/// Farthest apart (in lines) two consecutive numbers of one list may be.
const NUMBER_GAP: usize = 45;
/// Fewest rows in a numbered list read as a table.
const MIN_NUMBERED: usize = 6;

/// Numbered actions whose numbers survive but whose column layout did not: "1."…"24."
/// counted up through the text, often mid-line after another column's cell
/// ("Lead: Property & Estates Manager  4. Switch to a green energy tariff"). A chain of
/// consecutive numbers under a table header, most rows opening with an action verb
/// (or a long strict sequence), is a table of reference + text rows.
pub fn find_numbered(lines: &[&str], taken: &[(usize, usize)]) -> Vec<RecordTable> {
    let free =
        |i: usize| !taken.iter().any(|(a, b)| (*a..*b).contains(&i)) && !is_tab_row(lines[i]);
    // Every numbered opening: (line, byte offset of the row text, number, code), the
    // code empty for plain numbers ("4. Switch …") and a prefix for coded rows
    // printed mid-line ("… 1 2 3 4 5 A2 Ensure that …").
    let mut marks: Vec<(usize, usize, u32, String)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !free(i) || !l.bytes().any(|b| b.is_ascii_digit()) {
            continue;
        }
        for c in NUMBER_ANYWHERE.captures_iter(l) {
            let (Some(num), Some(whole)) = (c.get(1).or_else(|| c.get(2)), c.get(0)) else {
                continue;
            };
            let Ok(n) = num.as_str().parse::<u32>() else {
                continue;
            };
            // The row text starts at the capital letter that ends the match.
            let text_at = whole.end()
                - whole
                    .as_str()
                    .chars()
                    .last()
                    .map(char::len_utf8)
                    .unwrap_or(1);
            marks.push((i, text_at, n, String::new()));
        }
        for c in CODE_ANYWHERE.captures_iter(l) {
            let (Some(code), Some(num)) = (c.get(1), c.get(2)) else {
                continue;
            };
            let Ok(n) = num.as_str().parse::<u32>() else {
                continue;
            };
            // The text follows on the same line, or starts on the next.
            let at = c.get(3).map(|t| t.start()).unwrap_or(l.len());
            marks.push((i, at, n, code.as_str().to_owned()));
        }
    }
    marks.sort_by_key(|m| (m.0, m.1));
    let mut tables = Vec::new();
    let mut used_until = 0usize;
    for (k, (line, _, n, family)) in marks.iter().enumerate() {
        let (line, n) = (*line, *n);
        if n != 1 || line < used_until {
            continue;
        }
        // Follow 1, 2, 3, … forward.
        let mut chain = vec![k];
        let mut want = 2;
        let mut last_line = line;
        // Numbers jumped over, which may still come later ("43" printed before "40").
        let mut skipped: Vec<u32> = Vec::new();
        for (m, (l2, _, n2, f2)) in marks.iter().enumerate().skip(k + 1) {
            let (l2, n2) = (*l2, *n2);
            if l2 > last_line + NUMBER_GAP {
                break;
            }
            if f2 != family {
                continue;
            }
            // Rows printed out of order ("43" before "40") skip a few numbers; the
            // chain goes on once it is long enough to be sure of itself, and takes the
            // numbers it jumped over when they come.
            let skip = chain.len() >= MIN_NUMBERED && n2 > want && n2 <= want + 4;
            if n2 == want || skip {
                skipped.extend(want..n2);
                chain.push(m);
                want = n2 + 1;
                last_line = l2;
            } else if let Some(at) = skipped.iter().position(|&s| s == n2) {
                skipped.remove(at);
                chain.push(m);
                last_line = l2;
            }
        }
        if chain.len() < MIN_NUMBERED {
            continue;
        }
        let header_near = lines[line.saturating_sub(HEADER_REACH)..=line]
            .iter()
            .any(|l| is_header_line(l));
        // Plain numbers need a table header above them; coded references in sequence
        // ("A1" … "A23") speak for themselves when their rows read as actions.
        if !header_near && family.is_empty() {
            continue;
        }
        let mut table = RecordTable {
            start: line,
            end: last_line + 1,
            rows: Vec::new(),
        };
        for (c, &m) in chain.iter().enumerate() {
            let (l, at, n) = (marks[m].0, marks[m].1, marks[m].2);
            let (end_line, end_at) = match chain.get(c + 1) {
                Some(&next) => (marks[next].0, marks[next].1),
                None => (l, lines[l].len()),
            };
            let mut parts: Vec<String> = Vec::new();
            for (li, text) in lines.iter().enumerate().take(end_line + 1).skip(l) {
                let from = if li == l { at } else { 0 };
                let to = if li == end_line { end_at } else { text.len() };
                if from >= to || (li != l && is_header_line(text)) {
                    continue;
                }
                let piece = &text[from..to];
                // The next number's own digits and dot (or code) end this row's text.
                let piece = if li == end_line && c + 1 < chain.len() {
                    piece
                        .trim_end()
                        .trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == '.')
                        .trim_end()
                        .trim_end_matches(family.as_str())
                } else {
                    piece
                };
                parts.push(piece.to_owned());
            }
            let text = without_scale(&join_wrapped(&parts));
            if !text.is_empty() {
                table.rows.push(RecordRow {
                    line: l,
                    reference: Some(format!("{family}{n}")),
                    text,
                    timescale: None,
                });
            }
        }
        // One numbered line after another is an ordinary list, which the list reader takes.
        let plain_list = chain.iter().all(|&m| {
            marks[m].1 <= lines[marks[m].0].len() - lines[marks[m].0].trim_start().len() + 4
        }) && chain.windows(2).all(|w| marks[w[1]].0 == marks[w[0]].0 + 1);
        if plain_list {
            continue;
        }
        let verbs = table.rows.iter().filter(|r| verb_first(&r.text)).count();
        // A long strict sequence right under its header is a table even when rows open
        // with a theme rather than a verb ("1 Communications … Launch of …").
        let header_above = lines[line.saturating_sub(6)..=line]
            .iter()
            .any(|l| is_header_line(l));
        let strict = table.rows.len() >= 15 && header_above;
        if verbs * 2 >= table.rows.len() || strict {
            used_until = table.end;
            tables.push(table);
        }
    }
    tables
}

/// A row's text without a printed scale at its end ("… disinvestment. 1 2 3 4 5"): a
/// progress bar whose value was graphical and is lost.
fn without_scale(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let digits = words
        .iter()
        .rev()
        .take_while(|w| w.len() == 1 && w.chars().all(|c| c.is_ascii_digit()))
        .count();
    if digits >= 3 {
        words[..words.len() - digits].join(" ")
    } else {
        text.to_owned()
    }
}

/// Header words that name a timing column.
static TIMING_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:timescales?|timeframe|date|completion|when|deadline|milestones?|target\s+date|due)(?-u:\b)").expect("valid regex")
});

/// Most lines one dated row may wrap over.
const DATED_ROW_LINES: usize = 6;

/// Plan tables printed one row per line (or a few wrapped lines) with the timescale
/// cell last: "Replace 5% of council vehicles with electric vehicles. Jun-21". A run
/// of at least five dated rows, most of them opening with an action verb, is a table;
/// a dateless sentence between them is a grouping row. Lines inside `taken` ranges
/// (tables found otherwise) are left alone.
pub fn find_dated(lines: &[&str], taken: &[(usize, usize)]) -> Vec<RecordTable> {
    let free =
        |i: usize| !taken.iter().any(|(a, b)| (*a..*b).contains(&i)) && !is_tab_row(lines[i]);
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !free(i) || dated_tail(lines[i]).is_none() {
            i += 1;
            continue;
        }
        // Back up over the undated lines that wrap into this first row.
        let mut first = i;
        while first > 0 && i - first < DATED_ROW_LINES - 1 && free(first - 1) {
            let prev = lines[first - 1].trim();
            if prev.is_empty()
                || prev.ends_with(['.', ':'])
                || is_header_line(prev)
                || dated_tail(prev).is_some()
            {
                break;
            }
            first -= 1;
        }
        let mut table = RecordTable {
            start: first,
            end: first,
            rows: Vec::new(),
        };
        let mut pending: Vec<(usize, String)> = Vec::new();
        let mut j = first;
        let mut undated = 0;
        while j < lines.len() && free(j) {
            let line = lines[j].trim();
            if line.is_empty() {
                if lines.get(j + 1).is_none_or(|l| l.trim().is_empty()) {
                    break;
                }
                j += 1;
                continue;
            }
            if is_header_line(line) && dated_tail(line).is_none() {
                j += 1;
                continue; // the header repeated on a new page
            }
            match dated_tail(line) {
                Some((text, time)) => {
                    let at = pending.first().map(|p| p.0).unwrap_or(j);
                    let mut parts: Vec<String> = pending.drain(..).map(|p| p.1).collect();
                    parts.push(text);
                    table.rows.push(RecordRow {
                        line: at,
                        reference: None,
                        text: join_wrapped(&parts),
                        timescale: Some(time),
                    });
                    undated = 0;
                }
                None => {
                    undated += 1;
                    // A sentence standing alone between dated rows groups the rows after it.
                    let next_starts = lines
                        .get(j + 1)
                        .is_some_and(|n| n.trim_start().starts_with(char::is_uppercase));
                    if pending.is_empty()
                        && line.ends_with('.')
                        && next_starts
                        && line.split_whitespace().count() <= 25
                    {
                        table.rows.push(RecordRow {
                            line: j,
                            reference: None,
                            text: join_wrapped(&[line.to_owned()]),
                            timescale: None,
                        });
                    } else {
                        pending.push((j, line.to_owned()));
                    }
                    if undated >= DATED_ROW_LINES || pending.len() >= DATED_ROW_LINES {
                        break;
                    }
                }
            }
            j += 1;
        }
        // Rows end at the last dated one; what follows is the next part of the paper.
        while table.rows.last().is_some_and(|r| r.timescale.is_none()) {
            table.rows.pop();
        }
        table.end = table.rows.last().map(|r| r.line + 1).unwrap_or(first + 1);
        // The end is the last dated row's last line: find it.
        if let Some(last) = table.rows.last() {
            let mut e = last.line;
            while e < j && dated_tail(lines[e]).is_none() {
                e += 1;
            }
            table.end = (e + 1).min(lines.len());
        }
        let dated: Vec<&RecordRow> = table
            .rows
            .iter()
            .filter(|r| r.timescale.is_some())
            .collect();
        let verbs = dated.iter().filter(|r| verb_first(&r.text)).count();
        if reads_as_dated_table(lines, first, dated.len(), verbs) {
            i = table.end;
            tables.push(table);
        } else {
            // A start further into this run reads a suffix of these rows: go to the
            // first suffix that would be taken, or past the run, instead of reading
            // the run again from each of its lines (quadratic on long runs).
            i = dated_suffix(lines, &table.rows).unwrap_or(j).max(i + 1);
        }
    }
    tables
}

/// Whether rows starting at line `first`, `dated` of them dated and `verbs` of those
/// starting with a verb, read as a dated table: five dated rows or more, half of them
/// starting with a verb, or under a header that names a timing column (the dates then
/// speak for the rows even when the actions are written as nouns, "Publication of
/// this plan …").
fn reads_as_dated_table(lines: &[&str], first: usize, dated: usize, verbs: usize) -> bool {
    dated >= 5
        && (verbs * 2 >= dated
            || lines[first.saturating_sub(HEADER_REACH)..=first]
                .iter()
                .any(|l| is_header_line(l) && TIMING_WORD.is_match(l)))
}

/// The line of the first row (after the first) from which `rows` would read as a
/// dated table ([`reads_as_dated_table`]).
fn dated_suffix(lines: &[&str], rows: &[RecordRow]) -> Option<usize> {
    let (mut dated, mut verbs) = (0usize, 0usize);
    let mut found = None;
    for row in rows.iter().skip(1).rev() {
        if row.timescale.is_none() {
            continue;
        }
        dated += 1;
        verbs += usize::from(verb_first(&row.text));
        if reads_as_dated_table(lines, row.line, dated, verbs) {
            found = Some(row.line);
        }
    }
    found
}

/// A table exported one cell per line: a header of short lines, one per column
/// ("Ref", "Action", "Owner", "Due", "Status"), then each row's cells, one per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellTable {
    /// First and one-past-last line index.
    pub start: usize,
    pub end: usize,
    pub header: Vec<String>,
    /// Each row's first line and its cells (as many as the header; missing ones empty).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Column header words of action logs and plans that [`HEADER_WORD`] does not hold
/// ("Action agreed", "Date closed", "Progress update", "Agenda item").
const HEADER_EXTRA: [&str; 16] = [
    "due", "update", "updates", "agreed", "item", "minute", "comments", "comment", "closed",
    "name", "number", "id", "agenda", "person", "meeting", "notes",
];

/// Small words a header cell may hold besides its header words ("Date of completion").
const HEADER_SMALL: [&str; 6] = ["by", "of", "and", "the", "to", "for"];

/// Whether a line reads as one column header: at most four words, each a header word
/// or a small word, at least one a header word.
fn header_cell(line: &str) -> bool {
    let words: Vec<String> = line
        .split(|c: char| c.is_whitespace() || c == '/' || c == '&')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 4 || line.len() > 40 {
        return false;
    }
    let header = |w: &str| {
        HEADER_EXTRA.contains(&w) || HEADER_WORD.find(w).is_some_and(|m| m.len() == w.len())
    };
    words.iter().any(|w| header(w))
        && words
            .iter()
            .all(|w| header(w) || HEADER_SMALL.contains(&w.as_str()))
}

/// The shape of a reference cell: its letters, whether it has digits, its length class.
fn ref_shape(cell: &str) -> Option<(String, bool)> {
    let c = cell.trim().trim_end_matches(['.', ')']);
    if c.is_empty() || c.len() > 12 || c.contains(' ') || !c.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let letters: String = c.chars().filter(|ch| ch.is_ascii_alphabetic()).collect();
    Some((letters.to_uppercase(), c.contains('/')))
}

/// Tables exported one cell per line (action logs converted to text): a run of at
/// least three header lines, then rows of as many lines. Rows are told apart by their
/// reference when the first column holds one ("CP01", "24/061", "3"), else by counting
/// lines; a run that neither divides into rows is left as text. Lines inside `taken`
/// ranges are left alone.
pub fn find_cell_lines(lines: &[&str], taken: &[(usize, usize)]) -> Vec<CellTable> {
    const MIN_COLUMNS: usize = 3;
    const MAX_COLUMNS: usize = 10;
    // Rows a table may have: bounds the lines read after one header, so text with
    // many header-like runs stays linear.
    const MAX_ROWS: usize = 2000;
    let free = |i: usize| !taken.iter().any(|&(s, e)| i >= s && i < e);
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut k = 0;
        while i + k < lines.len() && free(i + k) && header_cell(lines[i + k].trim()) {
            k += 1;
        }
        if !(MIN_COLUMNS..=MAX_COLUMNS).contains(&k) {
            i += k.max(1);
            continue;
        }
        let header: Vec<String> = lines[i..i + k]
            .iter()
            .map(|l| l.trim().to_owned())
            .collect();
        // The rows: the non-blank lines that follow, up to a blank line that is not
        // followed by another row's reference (or the end).
        let mut body: Vec<(usize, &str)> = Vec::new();
        let mut j = i + k;
        while j < lines.len() && free(j) && body.len() < MAX_ROWS * k {
            let l = lines[j].trim();
            if l.is_empty() {
                j += 1;
                continue;
            }
            if j > i + k
                && lines[j - 1].trim().is_empty()
                && body.len().is_multiple_of(k)
                && !body.is_empty()
            {
                // After a blank line, a new row must start with a reference like the first.
                let first = ref_shape(body[0].1);
                if first.is_none() || ref_shape(l) != first {
                    break;
                }
            }
            body.push((j, l));
            j += 1;
        }
        let first_ref = body.first().and_then(|(_, l)| ref_shape(l));
        let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
        let mut end = i + k;
        if let Some(shape) = first_ref {
            // Rows start at lines shaped like the first row's reference.
            let starts: Vec<usize> = body
                .iter()
                .enumerate()
                .filter(|(_, (_, l))| ref_shape(l).as_ref() == Some(&shape))
                .map(|(n, _)| n)
                .collect();
            for (s_n, &s) in starts.iter().enumerate() {
                let next = starts
                    .get(s_n + 1)
                    .copied()
                    .unwrap_or(body.len().min(s + k));
                if next - s > k || next - s < 2 {
                    break;
                }
                let mut cells: Vec<String> =
                    body[s..next].iter().map(|(_, l)| (*l).to_owned()).collect();
                cells.resize(k, String::new());
                rows.push((body[s].0, cells));
                end = body[next - 1].0 + 1;
            }
        } else if !body.is_empty() && body.len().is_multiple_of(k) {
            for chunk in body.chunks(k) {
                rows.push((
                    chunk[0].0,
                    chunk.iter().map(|(_, l)| (*l).to_owned()).collect(),
                ));
            }
            end = body.last().map(|(n, _)| n + 1).unwrap_or(end);
        }
        if rows.is_empty() {
            i += k;
            continue;
        }
        out.push(CellTable {
            start: i,
            end,
            header,
            rows,
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<&str> {
        text.split('\n').collect()
    }

    #[test]
    fn code_references_make_rows_and_wrapped_lines_join() {
        // Shaped like a carbon plan exported to text: REF | PROJECT | ACTION | DELIVERY BY | TIMESCALES.
        let text = "REF PROJECT ACTION DELIVERY BY TIMESCALES\nR1  Develop a water conservation  plan.  Look at opportunities to reduce\nwater use. Property Services  Short\nR2  Continue to rationalise  our non domestic\nproperty portfolio.  Property Services  Short/Medium  \nR3 Introduce pilot projects.  Housing  Short/Medium  R4   Survey all homes to establish their rating.  Housing  Short\nNext paragraph of prose.";
        let t = find(&lines(text));
        assert_eq!(t.len(), 1);
        let refs: Vec<_> = t[0]
            .rows
            .iter()
            .map(|r| r.reference.clone().unwrap())
            .collect();
        assert_eq!(refs, ["R1", "R2", "R3", "R4"]);
        assert_eq!(t[0].rows[0].text, "Develop a water conservation plan. Look at opportunities to reduce water use. Property Services Short");
        assert_eq!(
            t[0].rows[2].text,
            "Introduce pilot projects. Housing Short/Medium"
        );
        assert!(t[0].rows[3].text.starts_with("Survey all homes"));
    }

    #[test]
    fn glued_numbers_and_repeated_headers() {
        // Shaped like a climate strategy appendix: numbers glued to the action text.
        let text = "Action NoDescription of Action Planned Outcome Completion Target Service Lead\n1Review of standard procedures Mar-21Finance 1\n2Develop targets for all actions Ongoing Climate Change Team 1\nAction NoDescription of Action Planned Outcome Completion Target Service Lead\n3Apply zero carbon objectives Mar-22 Climate Change Team 2\n4Work with our partners\nto source funding Ongoing to 2030 Climate Change Team **\n5Embed the targets Complete Climate Change Team 0";
        let t = find(&lines(text));
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows.len(), 5);
        assert_eq!(
            t[0].rows[3].text,
            "Work with our partners to source funding Ongoing to 2030 Climate Change Team **"
        );
    }

    #[test]
    fn prose_numbering_and_stray_codes_are_not_tables() {
        // Numbered paragraphs of a report, with no plan header: not a table.
        let prose = "1. Introduction\n2. The Council has set out its plans.\n3. Members are asked to note this.\n4. Background\n5. Further detail follows.\n6. Conclusion";
        assert!(find(&lines(prose)).is_empty());
        // Two codes and a chemical formula are not a sequence.
        let codes = "CO2 reduction targets\nS1 Embed green technologies\nThe CO2 figure\nS2 Maintain regular review";
        assert!(find(&lines(codes)).is_empty());
        // A progress bar printed as numbers does not start rows.
        assert!(start("1 2 3 4 5").is_none());
    }

    #[test]
    fn dated_rows_one_per_line() {
        // Shaped like a climate action plan export: Action Plan Commitment | Timescale.
        let text = "Action Plan Commitment Timescale\nContinue to reduce the emissions associated with the fleet.\nReplace 5% of council vehicles with electric vehicles. Jun-21\nInvestigate opportunities to electrify a further 5% of the fleet. Mar-23\nEvaluate the feasibility of introducing further cycle parking across the borough and focus on all local\ntransport hubs.Mar-22\nDeliver the solar farm project Both Property Env Team Apr-20 Mar-22 A2\nRoll out 10 school streets programmes. Dec-21\n\n\nThe council has already done a great deal.";
        let t = find_dated(&lines(text), &[]);
        assert_eq!(t.len(), 1);
        let rows: Vec<(&str, Option<&str>)> = t[0]
            .rows
            .iter()
            .map(|r| (r.text.as_str(), r.timescale.as_deref()))
            .collect();
        assert_eq!(
            rows,
            vec![
                ("Replace 5% of council vehicles with electric vehicles.", Some("Jun-21")),
                ("Investigate opportunities to electrify a further 5% of the fleet.", Some("Mar-23")),
                ("Evaluate the feasibility of introducing further cycle parking across the borough and focus on all local transport hubs.", Some("Mar-22")),
                ("Deliver the solar farm project Both Property Env Team", Some("Apr-20 Mar-22")),
                ("Roll out 10 school streets programmes.", Some("Dec-21")),
            ]
        );
    }

    #[test]
    fn dates_in_prose_and_meeting_lists_are_not_tables() {
        let meetings = "Thursday 19 January 2012\nThursday 22 March 2012\nThursday 17 May 2012\nThursday 12 July 2012\nThursday 20 September 2012\nThursday 22 November 2012";
        assert!(find_dated(&lines(meetings), &[]).is_empty());
        assert_eq!(dated_tail("The plan was agreed in May"), None);
        assert_eq!(dated_tail("Sept 2019"), None);
        assert_eq!(
            dated_tail("Review the scheme. Ongoing"),
            Some(("Review the scheme.".into(), "Ongoing".into()))
        );
    }

    #[test]
    fn numbered_rows_mid_line_under_a_header() {
        // Shaped like a climate action plan: Action | Scope | Target | Timeframe, with a
        // theme and lead cell printed before the numbered actions.
        let text = "Action Scope Target Other Measures Timeframe Cost\nProcurement\nLead: Director of Services  1. Implement social value guidance for staff\n2. Evaluate the climate impact of goods\n3. Undertake supply chain emissions analysis  Scope 3  April 2023\nEstate\nLead: Estates Manager  4. Switch to a green energy tariff\n5. Continue to reduce electricity usage\n6. Install LED lighting in all buildings  Scope 2  April 2023";
        let t = find_numbered(&lines(text), &[]);
        assert_eq!(t.len(), 1);
        let refs: Vec<_> = t[0]
            .rows
            .iter()
            .map(|r| (r.reference.clone().unwrap(), r.text.clone()))
            .collect();
        assert_eq!(
            refs[0],
            (
                "1".into(),
                "Implement social value guidance for staff".into()
            )
        );
        assert_eq!(refs[2].1, "Undertake supply chain emissions analysis Scope 3 April 2023 Estate Lead: Estates Manager");
        assert_eq!(
            refs[3],
            ("4".into(), "Switch to a green energy tariff".into())
        );
        assert_eq!(refs.len(), 6);
        // The same numbers without a table header are report paragraphs.
        let prose = text.replacen(
            "Action Scope Target Other Measures Timeframe Cost",
            "Introduction",
            1,
        );
        assert!(find_numbered(&lines(&prose), &[]).is_empty());
        // One numbered line after another is an ordinary list.
        let list = "Action Lead Timescale\n1. Maintain the timeliness of assessments\n2. Raise the quality of casework\n3. Put in place preventative services\n4. Improve care planning\n5. Reduce the numbers of children in care\n6. Deliver services through localities";
        assert!(find_numbered(&lines(list), &[]).is_empty());
    }

    #[test]
    fn coded_cards_mid_line() {
        // Shaped like a progress report laid out as cards: the code sits after page
        // furniture or a progress bar, the text on the same or the next line.
        let text = "PAGE 2 A1\nDevelop a list of carbon offset opportunities.\nPROGRESS UPDATE - under way.\n 1 2 3 4 5 A2 Ensure that pension fund representatives lobby for disinvestment.\n 1 2 3 4 5 A3 Review the council fleet replacement plan.\nPROGRESS UPDATE - done.\n 1 2 3 4 5 A4 Install solar panels on depots.\n 1 2 3 4 5 A5 Publish a heat network study.\n 1 2 3 4 5 A6 Support schools to cut energy use.";
        let t = find_numbered(&lines(text), &[]);
        assert_eq!(t.len(), 1);
        let refs: Vec<_> = t[0]
            .rows
            .iter()
            .map(|r| r.reference.clone().unwrap())
            .collect();
        assert_eq!(refs, ["A1", "A2", "A3", "A4", "A5", "A6"]);
        assert!(t[0].rows[0]
            .text
            .starts_with("Develop a list of carbon offset opportunities."));
        assert_eq!(
            t[0].rows[1].text,
            "Ensure that pension fund representatives lobby for disinvestment."
        );
    }

    #[test]
    fn codes_out_of_order_still_make_a_table() {
        // Shaped like a carbon reduction plan whose rows were exported out of order.
        let text = "Ref Activity Lead Timescale Resources\nT3 Explore electric pool cars HOS P&E Sept 2019\nT4 Introduce a cycle to work scheme HR Mar 2019\nT6 Further promote car sharing SAMT Ongoing\nT2 Further reduce business mileage HOS SS Ongoing\nT5 Expand home working ICT Mar 2020";
        let t = find(&lines(text));
        assert_eq!(t.len(), 1);
        let refs: Vec<_> = t[0]
            .rows
            .iter()
            .map(|r| r.reference.clone().unwrap())
            .collect();
        assert_eq!(refs, ["T3", "T4", "T6", "T2", "T5"]);
    }

    #[test]
    fn hyphenated_words_rejoin() {
        assert_eq!(
            join_wrapped(&["HOS Procure-".into(), "ment manager.".into()]),
            "HOS Procurement manager."
        );
        assert_eq!(
            join_wrapped(&["2020 -".into(), "2024".into()]),
            "2020 - 2024"
        );
    }

    #[test]
    fn glued_word_export_with_stacked_cells() {
        // Shaped like a climate plan whose export dropped the spaces between words: the
        // header is camel-joined, each row's cells stack in short lines over 30 lines,
        // and a row's number is glued onto the running page header.
        let filler = "Wewillagree\nandresourcea\ncarbonplan.\n".repeat(10);
        let text = format!(
            "1. Whatwewilldo Howwewillprogressthisin2022/23 By\nWhenMeasuresofsuccess Responsible\nOfficerProgress\n\
             1.1 Upskilltheworkforce\n{filler}\
             1.2Yearonyear,reducethe\ncarbonfootprint\n{filler}\
             3f5AClimate Change Strategy1.3 Reducetheuseof\nfossilfuels\n{filler}\
             1.4 Embedsustainablepractices\n{filler}\
             1.5 Improvetheenergyefficiency\n{filler}\
             1.6 Supportlocalbusinesses\n{filler}"
        );
        let tables = find(&lines(&text));
        assert_eq!(tables.len(), 1, "{tables:?}");
        let refs: Vec<_> = tables[0]
            .rows
            .iter()
            .map(|r| r.reference.clone().unwrap_or_default())
            .collect();
        assert_eq!(refs, ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]);
        assert!(tables[0].rows[2].text.starts_with("Reducetheuseof"));
        assert!(tables[0].rows[1]
            .text
            .starts_with("Yearonyear,reducethe carbonfootprint"));
    }

    #[test]
    fn numbered_sections_of_prose_are_not_one_long_table() {
        // Numbered section headings, each over a page of full-width prose: the
        // numbers count up, but the long reach between rows is only for narrow cells.
        let prose = "The Council has chosen the financial year as its baseline and will report against it each year in the annual report.\n".repeat(40);
        let text = format!(
            "Action Lead Timescale Status\n1.1 Scope and data sources\n{prose}1.2 Baseline year\n{prose}1.3 Projections\n{prose}1.4 Monitoring\n{prose}"
        );
        assert!(find(&lines(&text)).is_empty());
        // The camel-joined header reading does not make a header of ordinary prose.
        assert!(!is_header_line("TheCouncil agreed the budget for the year"));
        assert!(is_header_line("WhenMeasuresofsuccess Responsible"));
    }

    #[test]
    fn numbered_rows_printed_out_of_order_stay_in_the_chain() {
        // Shaped like a climate strategy whose task numbers were printed out of order
        // across a page break ("9." and "10." before "7."), each row far from the next.
        let filler = "Desired outcome text of the row\n".repeat(12);
        let mut text = String::from("Key Action Key Task Desired Outcome Target Owner\n");
        for n in [1, 2, 3, 4, 5, 6, 9, 7, 8, 10, 11, 12, 13, 14, 15] {
            text.push_str(&format!(
                "Theme cell  {n}. Deliver task number {n}\n{filler}"
            ));
        }
        let t = find_numbered(&lines(&text), &[]);
        assert_eq!(t.len(), 1, "{t:?}");
        let refs: Vec<_> = t[0]
            .rows
            .iter()
            .map(|r| r.reference.clone().unwrap())
            .collect();
        assert_eq!(
            refs,
            ["1", "2", "3", "4", "5", "6", "9", "7", "8", "10", "11", "12", "13", "14", "15"]
        );
        assert!(t[0].rows[7]
            .text
            .starts_with("Deliver task number 7 Desired outcome"));
    }

    #[test]
    fn codes_after_long_theme_labels_and_short_families() {
        // Shaped like a city climate plan: Theme | Code | Action | Lead | Partners, the
        // theme cell glued to (or spaced from) the code, and themes of one or two rows
        // with codes of their own.
        let text = "By 2022, unless stated, we will... Lead Partners\n\
            Educating and engagementEA1 Deliver citywide campaigns MCC Partners\n\
            EA2 Use arts and culture to engage people MCC\n\
            Enabling and incentivising institutional investmentEA3 Establish incentives for investment GMCA\n\
            Buildings EA4 Support the development sector MCC\n\
            Transport T1 Implement the transport delivery plans TfGM\n\
            T2 Undertake research on vehicles MCC\n\
            Food F1 Investigate sustainable diets MCC\n\
            EA5 Encourage government to set a carbon budget MCC";
        let t = find(&lines(text));
        assert_eq!(t.len(), 1, "{t:?}");
        let refs: Vec<_> = t[0]
            .rows
            .iter()
            .map(|r| r.reference.clone().unwrap())
            .collect();
        assert_eq!(refs, ["EA1", "EA2", "EA3", "EA4", "T1", "T2", "F1", "EA5"]);
        assert!(t[0].rows[2].text.starts_with("Establish incentives"));
        // A lone code in prose after the table is not a row of it.
        let after = format!("{text}\n\n\n\nAppendix\n\n\nTable A1 Summary of emissions");
        assert_eq!(find(&lines(&after))[0].rows.len(), 8);
    }

    #[test]
    fn action_logs_one_cell_per_line() {
        // Shaped like a committee action log converted to text.
        let text = "Action Log\n\nRef\nAction\nOwner\nDue\nStatus\nCP01\nWrite to all schools\nVirtual School Head\n28 February 2026\nComplete\nCP02\nPresent the strategy\nHead of Commissioning\nMarch 2026\nDeferred\n\nNext meeting: June";
        let lines: Vec<&str> = text.lines().collect();
        let t = find_cell_lines(&lines, &[]);
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].header, ["Ref", "Action", "Owner", "Due", "Status"]);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(t[0].rows[1].1[2], "Head of Commissioning");
        assert!(lines[t[0].end..]
            .iter()
            .any(|l| l.starts_with("Next meeting")));
        // Without references, rows are counted out; a ragged run is left as text.
        let even = "Action\nLead\nTimescale\nReview the policy\nHead of HR\nMay 2026\nTrain managers\nHR team\nJuly 2026";
        let t = find_cell_lines(&even.lines().collect::<Vec<_>>(), &[]);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].rows[1].1, ["Train managers", "HR team", "July 2026"]);
        let ragged =
            "Action\nLead\nTimescale\nReview the policy\nHead of HR\nMay 2026\nTrain managers";
        assert!(find_cell_lines(&ragged.lines().collect::<Vec<_>>(), &[]).is_empty());
        // Prose is not a header: short lines that are not column words.
        let prose = "Present\nApologies\nMinutes\nThe Chair welcomed members.";
        assert!(find_cell_lines(&prose.lines().collect::<Vec<_>>(), &[]).is_empty());
    }
}
