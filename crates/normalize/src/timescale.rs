//! Timescale and date parsing for UK council action plans.
//!
//! Action plans print their deadlines as free text: "Dec 2008", "Sept/08 release",
//! "Q3 2008/09", "1 October 2011 - 1 April 2012", "by end of Jun 07", "Ongoing".
//! This module turns such a cell into an [`actionplan_model::Timescale`] (start and
//! due as ISO strings at the precision printed: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, and
//! the timeframe its wording states, "Short/Medium", "0-6 months", "Ongoing", read by
//! [`crate::timeframe`]),
//! reads a progress status out of it ([`status`]), and parses a single date from a
//! paper header or meeting line ([`parse_date`]).
//!
//! Conventions are British: numeric dates are day first, financial years run
//! April to March, and "2008/09" means the financial year, not a fraction.
//!
//! The parser works on tokens rather than one large regex because the same
//! pieces (a month, a two-digit year, a dash) mean different things depending
//! on their neighbours, and because it must never panic on arbitrary cell text.

use actionplan_model::Timescale;
use regex::Regex;
use std::sync::LazyLock;

/// Context for resolving two-digit and missing years: the paper's own date, if known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateContext {
    pub year: Option<i32>,
    pub month: Option<u32>,
}

impl DateContext {
    /// The context year, if it is a sane calendar year. Absurd values are ignored
    /// rather than trusted, so that later arithmetic cannot overflow.
    fn year(self) -> Option<i32> {
        self.year.filter(|y| (1000..=9999).contains(y))
    }
}

/// Parses a timescale cell. Always keeps `raw` (whitespace-normalised, trimmed); start/due are what could be parsed.
///
/// How several dates in one cell combine:
/// * the due date is the latest date the cell mentions (milestone lists end
///   with the final milestone; "extended to ..." always names the later date);
/// * a start is only given by an explicit range ("X - Y", "X to Y"), a period
///   that is itself a range (season, quarter, financial year, "June/July"), or a
///   "from X" / "X onwards";
/// * a start that would fall after the due date is dropped. Such a "from" date
///   describes a follow-on activity, not the action itself: in
///   "30 September 2011; review at monthly Performance Board from 31 October 2011"
///   the action is due on 30 September and the monthly review merely follows it,
///   so neither the review's start nor its date is the action's timescale.
///   A "from" date on its own never becomes a due date.
pub fn parse(raw: &str, ctx: DateContext) -> Timescale {
    let norm = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let items = analyse(&without_named_years(&norm), ctx);

    let mut due: Option<Ymd> = None;
    let mut starts: Vec<Ymd> = Vec::new();
    for item in &items {
        match item.role {
            Role::Start => starts.push(item.lo),
            Role::Due => due = later_due(due, item.hi),
            Role::Point => {
                if item.interval {
                    starts.push(item.lo);
                }
                due = later_due(due, item.hi);
            }
        }
    }
    let start = starts
        .into_iter()
        .filter(|s| match due {
            Some(d) => s.lo_key() <= d.hi_key(),
            None => true,
        })
        .min_by_key(|s| (s.lo_key(), std::cmp::Reverse(s.precision())));

    let timeframe = crate::timeframe::of(&norm);
    Timescale {
        raw: norm,
        start: start.map(Ymd::iso),
        due: due.map(Ymd::iso),
        timeframe,
    }
}

/// Years used as names ("2007/08 Action Plan", "2008/09 capital programme") are not
/// timescales; they are blanked (same length) before dates are read.
fn without_named_years(text: &str) -> String {
    static NAMED: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(r"\b(?:19|20)\d{2}[/-](?:(?:19|20)\d{2}|\d{2})\s+([A-Za-z]+)")
    });
    let mut out = text.to_owned();
    for c in NAMED.captures_iter(text) {
        let (Some(whole), Some(word)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let w = word.as_str().to_lowercase();
        if matches!(
            w.as_str(),
            "to" | "until"
                | "till"
                | "onwards"
                | "and"
                | "or"
                | "through"
                | "inclusive"
                | "financial"
                | "fy"
        ) {
            continue;
        }
        let year_len = whole.as_str().len() - word.as_str().len();
        out.replace_range(
            whole.start()..whole.start() + year_len,
            &" ".repeat(year_len),
        );
    }
    out
}

/// A status word if the cell states one: "completed", "ongoing", "in_progress", "not_started", "overdue", "on_track", "delayed" — None otherwise.
///
/// A status phrase only counts when the cell *states* it: the phrase opens a
/// clause ("Completed – April 2008", "Action complete", "Ongoing review") or
/// closes one ("... delivery plan on-going"). Phrases that are part of a plan
/// ("to be completed by", "Audit completed by February 2007", "Complete the
/// review", "Rolling Programme to be drawn up") are not statuses.
pub fn status(raw: &str) -> Option<&'static str> {
    let lower = raw.to_lowercase();
    for clause in CLAUSE_SPLIT.split(&lower) {
        let clause = clause.trim();
        for m in STATUS_WORD.find_iter(clause) {
            let phrase = m.as_str();
            let before: Vec<&str> = clause[..m.start()].split_whitespace().collect();
            let after: Vec<&str> = clause[m.end()..].split_whitespace().collect();
            let Some((label, strict)) = classify_status(phrase) else {
                continue;
            };
            if status_counts(phrase, strict, &before, &after) {
                return Some(label);
            }
        }
    }
    None
}

/// Parses a single date phrase as printed in a paper header or meeting line, e.g. "19 September 2008", "Wednesday, 28th September, 2011", "6th August 2008", "March 2007", "9th September 2008", "Tuesday, 20 September 2011", "28/09/2011", "2011-09-28". Returns the ISO string at the precision given. Returns the FIRST date found in the text.
///
/// Periods (seasons, quarters, financial years) are not single dates and are
/// skipped. A bare year is only returned when no date with at least a month is
/// present, because headers often cite an Act ("Local Government Act 2000")
/// before the meeting date.
pub fn parse_date(text: &str, ctx: DateContext) -> Option<String> {
    let items = analyse(text, ctx);
    let singles: Vec<Ymd> = items.iter().filter_map(|i| i.first_single).collect();
    singles
        .iter()
        .find(|d| d.m.is_some())
        .or_else(|| singles.first())
        .map(|d| d.iso())
}

// ---------------------------------------------------------------------------
// Calendar dates

/// A resolved date at year, month or day precision. Constructed only through
/// [`Ymd::new`], which guarantees it names a real calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ymd {
    y: i32,
    m: Option<u32>,
    d: Option<u32>,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Ymd {
    /// An impossible day (31 April, 29 February 2009) is dropped rather than
    /// the whole date: the month is almost always what the author meant.
    fn new(y: i32, m: Option<u32>, d: Option<u32>) -> Ymd {
        let m = m.filter(|m| (1..=12).contains(m));
        let d = match m {
            Some(m) => d.filter(|d| *d >= 1 && *d <= days_in_month(y, m)),
            None => None,
        };
        Ymd { y, m, d }
    }

    fn iso(self) -> String {
        match (self.m, self.d) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.y, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.y, m),
            _ => format!("{:04}", self.y),
        }
    }

    /// Earliest day the date covers ("2008" starts on 1 January).
    fn lo_key(self) -> (i32, u32, u32) {
        (self.y, self.m.unwrap_or(1), self.d.unwrap_or(1))
    }

    /// Last day the date covers ("2008-12" runs to 31 December).
    fn hi_key(self) -> (i32, u32, u32) {
        let m = self.m.unwrap_or(12);
        (
            self.y,
            m,
            self.d.unwrap_or_else(|| days_in_month(self.y, m)),
        )
    }

    fn precision(self) -> u8 {
        match (self.m, self.d) {
            (Some(_), Some(_)) => 2,
            (Some(_), None) => 1,
            _ => 0,
        }
    }
}

/// Keeps the later due date; on a tie ("31/03/25 – extended to end of March 2025")
/// the more precise spelling wins since both name the same day.
fn later_due(cur: Option<Ymd>, new: Ymd) -> Option<Ymd> {
    match cur {
        Some(c) if (c.hi_key(), c.precision()) >= (new.hi_key(), new.precision()) => Some(c),
        _ => Some(new),
    }
}

/// Two-digit years go to whichever century puts them nearest the paper's own
/// year; without context, the corpus is overwhelmingly 21st century.
fn resolve_yy(v: u32, ctx: DateContext) -> i32 {
    let v = (v % 100) as i32;
    match ctx.year() {
        None => 2000 + v,
        Some(c) => {
            let (a, b) = (1900 + v, 2000 + v);
            if (b - c).abs() <= (a - c).abs() {
                b
            } else {
                a
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Word(String),
    /// `len` is the digit count, which carries meaning ("08" vs "2008");
    /// runs longer than four digits keep value 0 and never match a date.
    Num {
        v: u32,
        len: usize,
    },
    Sym(char),
}

#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    space_before: bool,
    /// First letter upper case: distinguishes the month "May" from the verb.
    cap: bool,
    /// "1st", "28th": the suffix is folded into the number.
    ordinal: bool,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let mut toks = Vec::new();
    let mut i = 0;
    let mut space = true;
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let st = i;
            while i < n && chars[i].is_ascii_digit() {
                i += 1;
            }
            let len = i - st;
            let v = if len <= 4 {
                chars[st..i]
                    .iter()
                    .fold(0u32, |a, c| a * 10 + c.to_digit(10).unwrap_or(0))
            } else {
                0
            };
            let mut ordinal = false;
            if i + 1 < n {
                let suf: String = chars[i..i + 2]
                    .iter()
                    .flat_map(|c| c.to_lowercase())
                    .collect();
                let ends = i + 2 >= n || !chars[i + 2].is_alphanumeric();
                if ends && matches!(suf.as_str(), "st" | "nd" | "rd" | "th") {
                    ordinal = true;
                    i += 2;
                }
            }
            toks.push(Tok {
                kind: Kind::Num { v, len },
                space_before: space,
                cap: false,
                ordinal,
            });
        } else if c.is_alphabetic() {
            let st = i;
            while i < n && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[st..i].iter().flat_map(|c| c.to_lowercase()).collect();
            toks.push(Tok {
                kind: Kind::Word(word),
                space_before: space,
                cap: c.is_uppercase(),
                ordinal: false,
            });
        } else {
            let c = match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                '\u{2018}' | '\u{2019}' | '`' => '\'',
                _ => c,
            };
            toks.push(Tok {
                kind: Kind::Sym(c),
                space_before: space,
                cap: false,
                ordinal: false,
            });
            i += 1;
        }
        space = false;
    }
    toks
}

fn month_of(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" | "febuary" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// (first month, last month, whether the last month is in the next year).
fn season_of(w: &str) -> Option<(u32, u32, i32)> {
    Some(match w {
        "spring" => (3, 5, 0),
        "summer" => (6, 8, 0),
        "autumn" => (9, 11, 0),
        "winter" => (12, 2, 1),
        _ => return None,
    })
}

/// Words that make a following number a label ("Phase 2 May 2008"), not a day.
const NUMBER_LABELS: &[&str] = &[
    "phase",
    "stage",
    "para",
    "paragraph",
    "section",
    "appendix",
    "annex",
    "item",
    "recommendation",
    "rec",
    "action",
    "point",
    "no",
    "number",
    "step",
    "part",
    "chapter",
    "page",
    "p",
    "pp",
    "level",
    "priority",
    "objective",
    "outcome",
    "week",
    "weeks",
    "year",
    "years",
    "tier",
    "version",
];

const START_CUES: &[&str] = &[
    "from",
    "starting",
    "start",
    "starts",
    "started",
    "commencing",
    "commence",
    "commences",
    "since",
    "begin",
    "begins",
    "wef",
];
const DUE_CUES: &[&str] = &[
    "by",
    "end",
    "before",
    "until",
    "till",
    "deadline",
    "due",
    "latest",
    "than",
    "completion",
];
/// Words that introduce a date without saying whether it starts or ends something.
const POINT_CUES: &[&str] = &[
    "in",
    "during",
    "on",
    "at",
    "for",
    "after",
    "around",
    "approximately",
    "approx",
    "circa",
    "next",
    "this",
    "throughout",
    "within",
    "held",
    "date",
    "target",
];
/// Skipped when looking for a cue; all but "the" also count as a cue themselves.
const FILLERS: &[&str] = &["the", "of", "early", "mid", "late", "beginning"];
const RANGE_WORDS: &[&str] = &["to", "until", "till", "through", "thru"];

// ---------------------------------------------------------------------------
// Mentions: one date-like expression, possibly with an unknown year.

/// A date expression found in the text. When the year is unknown (`y` is None)
/// it is filled in later from a range partner or the context; `hi_off` keeps
/// the gap between the first and last year so winter and December–January
/// periods stay correct whichever year they receive.
#[derive(Debug, Clone)]
struct Mention {
    y: Option<i32>,
    lo: (Option<u32>, Option<u32>),
    hi: (Option<u32>, Option<u32>),
    hi_off: i32,
    /// Covers more than one date (season, quarter, financial year, "June/July").
    interval: bool,
    /// Month or season with neither day nor year: needs a cue word to count,
    /// because "March", "May" and "Spring" are ordinary words too.
    bare: bool,
    from: usize,
    to: usize,
}

impl Mention {
    fn point(y: Option<i32>, m: Option<u32>, d: Option<u32>, from: usize, to: usize) -> Mention {
        Mention {
            y,
            lo: (m, d),
            hi: (m, d),
            hi_off: 0,
            interval: false,
            bare: false,
            from,
            to,
        }
    }

    fn period(y: i32, lo_m: u32, hi_off: i32, hi_m: u32, from: usize, to: usize) -> Mention {
        Mention {
            y: Some(y),
            lo: (Some(lo_m), None),
            hi: (Some(hi_m), None),
            hi_off,
            interval: true,
            bare: false,
            from,
            to,
        }
    }

    fn financial_year(y: i32, from: usize, to: usize) -> Mention {
        Mention::period(y, 4, 1, 3, from, to)
    }
}

struct Scanner<'a> {
    t: &'a [Tok],
    ctx: DateContext,
}

impl Scanner<'_> {
    fn word(&self, i: usize) -> Option<&str> {
        match self.t.get(i).map(|t| &t.kind) {
            Some(Kind::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }

    fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    fn num(&self, i: usize) -> Option<(u32, usize)> {
        match self.t.get(i).map(|t| &t.kind) {
            Some(Kind::Num { v, len }) => Some((*v, *len)),
            _ => None,
        }
    }

    fn sym(&self, i: usize) -> Option<char> {
        match self.t.get(i).map(|t| &t.kind) {
            Some(Kind::Sym(c)) => Some(*c),
            _ => None,
        }
    }

    fn is_sym(&self, i: usize, cs: &str) -> bool {
        self.sym(i).is_some_and(|c| cs.contains(c))
    }

    /// True when token `i` exists and touches the token before it.
    fn tight(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.space_before)
    }

    fn ordinal(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| t.ordinal)
    }

    fn month(&self, i: usize) -> Option<u32> {
        self.word(i).and_then(month_of)
    }

    fn is_lower_may(&self, i: usize) -> bool {
        self.is_word(i, "may") && !self.t.get(i).is_some_and(|t| t.cap)
    }

    fn full_year(&self, i: usize) -> Option<i32> {
        match self.num(i) {
            Some((v, 4)) if (1900..=2099).contains(&v) && !self.word_glued_after(i) => {
                Some(v as i32)
            }
            _ => None,
        }
    }

    /// "5pm", "18s", "2000s": a number glued to a word is not a date part.
    fn word_glued_after(&self, i: usize) -> bool {
        self.word(i + 1).is_some() && self.tight(i + 1)
    }

    /// A year after a month or day: four digits, or two digits that are not
    /// part of a time ("10:30"), decimal, percentage or fraction.
    fn year(&self, i: usize) -> Option<(i32, usize)> {
        if let Some(y) = self.full_year(i) {
            return Some((y, i + 1));
        }
        let (v, len) = self.num(i)?;
        if len != 2 || self.word_glued_after(i) {
            return None;
        }
        if self.tight(i + 1) && self.is_sym(i + 1, ":.%/") {
            return None;
        }
        Some((resolve_yy(v, self.ctx), i + 1))
    }

    /// The second half of a financial year after `y` ("/09", "-09", "/2009").
    fn fy_tail(&self, y: i32, i: usize) -> Option<usize> {
        if !self.is_sym(i, "/-") {
            return None;
        }
        match self.num(i + 1) {
            Some((v, 2)) if v as i32 == (y + 1).rem_euclid(100) => Some(i + 2),
            Some((v, 4)) if v as i32 == y + 1 => Some(i + 2),
            _ => None,
        }
    }

    /// Finds every date mention, left to right, never overlapping.
    fn scan(&self) -> Vec<Mention> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            let found = self
                .quarter(i)
                .or_else(|| self.numeric(i))
                .or_else(|| self.month_first(i))
                .or_else(|| self.season(i));
            match found {
                Some(m) if m.to > i => {
                    i = m.to;
                    out.push(m);
                }
                _ => i += 1,
            }
        }
        out
    }

    /// "Q3 2008/09" (financial quarter), "Q3 2008" (calendar quarter),
    /// also "Quarter 3" and "3rd quarter".
    fn quarter(&self, i: usize) -> Option<Mention> {
        let q = if self.is_word(i, "q") && self.tight(i + 1) {
            self.num(i + 1).filter(|(_, len)| *len == 1)?.0
        } else if matches!(self.word(i), Some("quarter" | "qtr")) {
            self.num(i + 1).filter(|(_, len)| *len == 1)?.0
        } else if self.ordinal(i) && matches!(self.word(i + 1), Some("quarter" | "qtr")) {
            self.num(i).filter(|(_, len)| *len == 1)?.0
        } else {
            return None;
        };
        if !(1..=4).contains(&q) {
            return None;
        }
        let mut j = i + 2;
        if self.is_word(j, "of") || self.is_sym(j, ",") {
            j += 1;
        }
        let q = q as i32;
        if let Some(y) = self.full_year(j) {
            if let Some(end) = self.fy_tail(y, j + 1) {
                return Some(fy_quarter(y, q, i, end));
            }
            let lo = (q - 1) * 3 + 1;
            return Some(Mention::period(y, lo as u32, 0, (lo + 2) as u32, i, j + 1));
        }
        // "Q3 08/09"
        if let (Some((a, 2)), true, Some((b, 2))) =
            (self.num(j), self.is_sym(j + 1, "/-"), self.num(j + 2))
        {
            if b == (a + 1) % 100 {
                return Some(fy_quarter(resolve_yy(a, self.ctx), q, i, j + 3));
            }
        }
        None
    }

    /// Mentions that open with a number: ISO dates, dd/mm/yy, years, financial
    /// years, year ranges and day-month dates.
    fn numeric(&self, i: usize) -> Option<Mention> {
        let (v, len) = self.num(i)?;
        // A number glued to a word ("u18", "q3") or continuing another number
        // ("3.2.10", "10:30", "£2000") is not the start of a date.
        if i > 0 && self.tight(i) {
            let prev_blocks = match &self.t[i - 1].kind {
                Kind::Word(_) | Kind::Num { .. } => true,
                Kind::Sym(c) => ".:/£$€#".contains(*c),
            };
            if prev_blocks {
                return None;
            }
        }
        if self.word_glued_after(i) {
            return None;
        }
        if len == 4 {
            return self.year_first(i);
        }
        if len > 2 {
            return None;
        }
        if let Some(m) = self.dmy(i, v, len) {
            return Some(m);
        }
        // "08/09": a two-digit financial year.
        if len == 2 && self.tight(i + 1) && self.is_sym(i + 1, "/-") && self.tight(i + 2) {
            if let Some((b, 2)) = self.num(i + 2) {
                let continues = self.tight(i + 3) && self.is_sym(i + 3, "/-.");
                if b == (v + 1) % 100 && !continues {
                    return Some(Mention::financial_year(resolve_yy(v, self.ctx), i, i + 3));
                }
            }
        }
        self.day_month(i, v)
    }

    /// "31/03/25", "28/09/2011", "01.04.08": day first, as in the UK.
    fn dmy(&self, i: usize, d: u32, dlen: usize) -> Option<Mention> {
        let sep = self.sym(i + 1).filter(|c| "/.-".contains(*c))?;
        if !(self.tight(i + 1) && self.tight(i + 2) && self.tight(i + 3) && self.tight(i + 4)) {
            return None;
        }
        let (m, mlen) = self.num(i + 2).filter(|(_, l)| *l <= 2)?;
        if self.sym(i + 3) != Some(sep) {
            return None;
        }
        let (yv, ylen) = self.num(i + 4)?;
        // Dotted numbers are usually paragraph references ("2.3.14"); only
        // accept them when they look unmistakably like a date.
        if sep == '.' && !(ylen == 4 || (dlen == 2 && mlen == 2)) {
            return None;
        }
        if self.tight(i + 5) && (self.is_sym(i + 5, "/.-") || self.word(i + 5).is_some()) {
            return None;
        }
        let y = match ylen {
            4 if (1900..=2099).contains(&yv) => yv as i32,
            2 => resolve_yy(yv, self.ctx),
            _ => return None,
        };
        if !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        Some(Mention::point(Some(y), Some(m), Some(d), i, i + 5))
    }

    /// Mentions that open with a four-digit year.
    fn year_first(&self, i: usize) -> Option<Mention> {
        if i > 0 && self.is_sym(i - 1, "£$€") {
            return None;
        }
        let y = self.full_year(i)?;
        // ISO "2011-09-28" and "2011-09".
        if self.is_sym(i + 1, "-") && self.tight(i + 1) && self.tight(i + 2) {
            if let Some((m, 2)) = self.num(i + 2) {
                if self.is_sym(i + 3, "-") && self.tight(i + 3) && self.tight(i + 4) {
                    if let Some((d, 1..=2)) = self.num(i + 4) {
                        if (1..=12).contains(&m) {
                            return Some(Mention::point(Some(y), Some(m), Some(d), i, i + 5));
                        }
                    }
                }
            }
        }
        if let Some(end) = self.fy_tail(y, i + 1) {
            return Some(Mention::financial_year(y, i, end));
        }
        if self.is_sym(i + 1, "-") && self.tight(i + 1) && self.tight(i + 2) {
            if let Some((m, 2)) = self.num(i + 2) {
                if (1..=12).contains(&m) {
                    return Some(Mention::point(Some(y), Some(m), None, i, i + 3));
                }
            }
        }
        // "2008-2010": a span of whole years.
        if self.is_sym(i + 1, "/-") {
            if let Some(y2) = self.full_year(i + 2) {
                if y2 > y && y2 - y <= 30 {
                    return Some(Mention {
                        y: Some(y),
                        lo: (None, None),
                        hi: (None, None),
                        hi_off: y2 - y,
                        interval: true,
                        bare: false,
                        from: i,
                        to: i + 3,
                    });
                }
            }
        }
        Some(Mention::point(Some(y), None, None, i, i + 1))
    }

    /// "19 January", "1st September 2011", "28th of September, 2011",
    /// "1-5 March 2008".
    fn day_month(&self, i: usize, d: u32) -> Option<Mention> {
        if !(1..=31).contains(&d) {
            return None;
        }
        if i > 0 && self.word(i - 1).is_some_and(|w| NUMBER_LABELS.contains(&w)) {
            return None;
        }
        let mut j = i + 1;
        let mut d2 = None;
        if self.is_sym(j, "-") || self.is_word(j, "to") {
            if let Some((v2, 1..=2)) = self.num(j + 1) {
                if (1..=31).contains(&v2) && v2 > d {
                    d2 = Some(v2);
                    j += 2;
                }
            }
        }
        if self.is_word(j, "of") {
            j += 1;
        }
        let m = self.month(j)?;
        if self.is_lower_may(j) {
            return None;
        }
        j += 1;
        if self.is_sym(j, ".") && self.tight(j) {
            j += 1;
        }
        let mut yj = j;
        if self.is_sym(yj, ",") {
            yj += 1;
        }
        let (y, end) = match self.year(yj) {
            Some((y, end)) => (Some(y), end),
            None => (None, j),
        };
        let mut out = Mention::point(y, Some(m), Some(d), i, end);
        if let Some(d2) = d2 {
            out.hi = (Some(m), Some(d2));
            out.interval = true;
        }
        Some(out)
    }

    /// Mentions that open with a month name: "March 2007", "Sept/08", "Oct 07",
    /// "June/July 08", "September 28, 2011", or a bare "September".
    fn month_first(&self, i: usize) -> Option<Mention> {
        let m = self.month(i)?;
        let mut j = i + 1;
        if self.is_sym(j, ".") && self.tight(j) {
            j += 1;
        }
        // US order, occasionally seen in headers: "September 28, 2011".
        if let Some((d, 1..=2)) = self.num(j) {
            let yj = if self.is_sym(j + 1, ",") {
                j + 2
            } else {
                j + 1
            };
            if let Some(y) = self.full_year(yj) {
                if (1..=31).contains(&d) && !self.is_lower_may(i) {
                    return Some(Mention::point(Some(y), Some(m), Some(d), i, yj + 1));
                }
            }
        }
        // Alternatives "June/July 08": the action falls in one of the two months.
        if self.is_sym(j, "/") || self.is_word(j, "or") {
            if let Some(m2) = self.month(j + 1) {
                let mut k = j + 2;
                if self.is_sym(k, ".") && self.tight(k) {
                    k += 1;
                }
                if self.is_sym(k, "/',") {
                    k += 1;
                }
                let (y, end) = match self.year(k) {
                    Some((y, end)) => (Some(y), end),
                    None => (None, j + 2),
                };
                let hi_off = i32::from(m > m2);
                return Some(Mention {
                    y: y.map(|y| y - hi_off),
                    lo: (Some(m), None),
                    hi: (Some(m2), None),
                    hi_off,
                    interval: true,
                    bare: y.is_none(),
                    from: i,
                    to: end,
                });
            }
        }
        let year = match self.sym(j) {
            Some('/') => self.year(j + 1),
            Some('-') if self.tight(j) && self.tight(j + 1) => self.year(j + 1),
            Some('\'') => self
                .year(j + 1)
                .filter(|_| self.num(j + 1).is_some_and(|(_, l)| l == 2)),
            Some(',') => self.full_year(j + 1).map(|y| (y, j + 2)),
            _ => self.year(j),
        };
        if let Some((y, end)) = year {
            return Some(Mention::point(Some(y), Some(m), None, i, end));
        }
        if self.is_lower_may(i) {
            return None;
        }
        let mut bare = Mention::point(None, Some(m), None, i, j);
        bare.bare = true;
        Some(bare)
    }

    /// "Spring 2009", "Summer term 2007", "Winter 2008/09".
    fn season(&self, i: usize) -> Option<Mention> {
        let (lo, hi, off) = season_of(self.word(i)?)?;
        let mut j = i + 1;
        if self.is_word(j, "term") {
            j += 1;
        }
        let (y, end) = match self.year(j) {
            Some((y, k)) => (Some(y), self.fy_tail(y, k).unwrap_or(k)),
            None => (None, j),
        };
        Some(Mention {
            y,
            lo: (Some(lo), None),
            hi: (Some(hi), None),
            hi_off: off,
            interval: true,
            bare: y.is_none(),
            from: i,
            to: end,
        })
    }
}

fn fy_quarter(y: i32, q: i32, from: usize, to: usize) -> Mention {
    match q {
        4 => Mention::period(y + 1, 1, 0, 3, from, to),
        _ => {
            let lo = q * 3 + 1;
            Mention::period(y, lo as u32, 0, (lo + 2) as u32, from, to)
        }
    }
}

// ---------------------------------------------------------------------------
// From mentions to dated items

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A date or period the action happens at or by.
    Point,
    /// "from X", "X onwards": only the start is known.
    Start,
    /// "by X", "end X", "before X": only the end matters, even for a period.
    Due,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Start,
    Due,
    Other,
}

#[derive(Debug, Clone)]
struct Item {
    lo: Ymd,
    hi: Ymd,
    interval: bool,
    role: Role,
    /// The first single date in the item, for [`parse_date`].
    first_single: Option<Ymd>,
}

/// The cue word before a mention, looking back a few tokens but not past the
/// previous mention or a clause break.
fn cue_before(t: &[Tok], from: usize, floor: usize) -> Option<Cue> {
    let mut noted = None;
    let mut i = from;
    let mut seen = 0;
    while i > floor && seen < 5 {
        i -= 1;
        seen += 1;
        match &t[i].kind {
            Kind::Sym(c) if ";.()".contains(*c) => break,
            Kind::Sym(_) => continue,
            Kind::Num { .. } => break,
            Kind::Word(w) => {
                let w = w.as_str();
                if START_CUES.contains(&w) {
                    return Some(Cue::Start);
                }
                if DUE_CUES.contains(&w) {
                    return Some(Cue::Due);
                }
                if POINT_CUES.contains(&w) {
                    return Some(Cue::Other);
                }
                if FILLERS.contains(&w) {
                    if w != "the" {
                        noted = Some(Cue::Other);
                    }
                    continue;
                }
                break;
            }
        }
    }
    noted
}

/// "X onwards" marks X as a start.
fn onwards_after(t: &[Tok], to: usize) -> bool {
    let mut i = to;
    while let Some(tok) = t.get(i) {
        match &tok.kind {
            Kind::Sym(c) if "),".contains(*c) => i += 1,
            Kind::Word(w) => return w == "onwards" || w == "onward",
            _ => return false,
        }
    }
    false
}

/// Whether the tokens between two mentions join them into a range.
fn is_range_connector(t: &[Tok], a: &Mention, b: &Mention, floor: usize) -> bool {
    let between = t.get(a.to..b.from).unwrap_or(&[]);
    match between {
        [Tok {
            kind: Kind::Sym('-'),
            ..
        }] => true,
        [Tok {
            kind: Kind::Word(w),
            ..
        }] if RANGE_WORDS.contains(&w.as_str()) => true,
        [Tok {
            kind: Kind::Sym('-'),
            ..
        }, Tok {
            kind: Kind::Word(w),
            ..
        }] => w == "to",
        [Tok {
            kind: Kind::Word(w),
            ..
        }] if w == "and" => {
            // Only "between X and Y" is a range; "X and Y" lists two dates.
            let lo = a.from.saturating_sub(2).max(floor);
            t.get(lo..a.from)
                .unwrap_or(&[])
                .iter()
                .any(|x| x.kind == Kind::Word("between".into()))
        }
        _ => false,
    }
}

/// Fills the unknown year of one end of a range from the other end. A range
/// never runs backwards, so "December – February 2009" starts in 2008.
fn fill_range_years(a: &mut Mention, b: &mut Mention) {
    let wraps = match (a.hi.0, b.lo.0) {
        (Some(am), Some(bm)) => am > bm,
        _ => false,
    };
    match (a.y, b.y) {
        (None, Some(by)) => a.y = Some(by - i32::from(wraps) - a.hi_off),
        (Some(ay), None) => b.y = Some(ay + a.hi_off + i32::from(wraps)),
        _ => {}
    }
}

fn resolve(m: &Mention, ctx: DateContext) -> Option<(Ymd, Ymd)> {
    let y = m.y.or(ctx.year())?;
    let lo = Ymd::new(y, m.lo.0, m.lo.1);
    let hi = Ymd::new(y.checked_add(m.hi_off)?, m.hi.0, m.hi.1);
    Some((lo, hi))
}

fn analyse(text: &str, ctx: DateContext) -> Vec<Item> {
    let toks = tokenize(text);
    let scanner = Scanner { t: &toks, ctx };
    let mut ms = scanner.scan();
    // A bare month that is the whole cell ("May") is clearly a date. Counted
    // once up front so that long cells stay linear.
    let words_total = toks
        .iter()
        .filter(|t| !matches!(t.kind, Kind::Sym(_)))
        .count();
    let only_syms_besides = |m: &Mention| {
        let inside = toks
            .get(m.from..m.to)
            .unwrap_or(&[])
            .iter()
            .filter(|t| !matches!(t.kind, Kind::Sym(_)))
            .count();
        inside == words_total
    };

    let mut items = Vec::new();
    let mut k = 0;
    let mut floor = 0;
    while k < ms.len() {
        let cue = cue_before(&toks, ms[k].from, floor);
        let linked = k + 1 < ms.len() && is_range_connector(&toks, &ms[k], &ms[k + 1], floor);
        if linked {
            let (left, right) = ms.split_at_mut(k + 1);
            let (a, b) = (&mut left[k], &mut right[0]);
            fill_range_years(a, b);
            if let (Some((alo, _)), Some((blo, bhi))) = (resolve(a, ctx), resolve(b, ctx)) {
                let first_single = if !a.interval {
                    Some(alo)
                } else if !b.interval {
                    Some(blo)
                } else {
                    None
                };
                items.push(Item {
                    lo: alo,
                    hi: bhi,
                    interval: true,
                    role: Role::Point,
                    first_single,
                });
            }
            floor = b.to;
            k += 2;
            continue;
        }
        let m = &ms[k];
        floor = m.to;
        k += 1;
        let capitalised_month = toks
            .get(m.from)
            .is_some_and(|t| t.cap && t.kind != Kind::Word("may".into()));
        if m.bare && cue.is_none() && !capitalised_month && !only_syms_besides(m) {
            continue;
        }
        let Some((lo, hi)) = resolve(m, ctx) else {
            continue;
        };
        let role = if onwards_after(&toks, m.to) {
            Role::Start
        } else {
            match cue {
                Some(Cue::Start) => Role::Start,
                Some(Cue::Due) => Role::Due,
                _ => Role::Point,
            }
        };
        let first_single = (!m.interval).then_some(lo);
        items.push(Item {
            lo,
            hi,
            interval: m.interval,
            role,
            first_single,
        });
    }
    items
}

// ---------------------------------------------------------------------------
// Status

/// Clause boundaries: punctuation, spaced dashes, and the runs of spaces that
/// separate lines of a PDF table cell.
static CLAUSE_SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[.;:!?()\[\]/,|•\u{2013}\u{2014}]|\s-\s|\s-$|^-\s|\s{2,}|\n")
        .expect("clause regex is valid")
});

static STATUS_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:partially\s+completed?|completed?|done|achieved|on\s*-?\s*going|rolling\s+programme",
        r"|in\s+progress|not\s+(?:yet\s+)?started|outstanding|overdue|on\s+track|delayed|extended)\b"
    ))
    .expect("status regex is valid")
});

/// Maps a matched phrase to its label, and whether it is "strict": strict
/// words are also ordinary verbs or adjectives ("Complete the review",
/// "Outstanding performance"), so they need stronger evidence.
fn classify_status(phrase: &str) -> Option<(&'static str, bool)> {
    let p: String = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match p.as_str() {
        _ if p.starts_with("partially") => ("in_progress", false),
        "complete" | "completed" | "done" | "achieved" => ("completed", true),
        _ if p.starts_with("on") && p.ends_with("going") => ("ongoing", false),
        "rolling programme" => ("ongoing", false),
        "in progress" => ("in_progress", false),
        _ if p.starts_with("not") => ("not_started", false),
        "outstanding" => ("not_started", true),
        "overdue" => ("overdue", true),
        "on track" => ("on_track", false),
        "delayed" | "extended" => ("delayed", true),
        _ => return None,
    })
}

/// Words that may precede a status at the start of a clause ("Action complete",
/// "Work is ongoing").
const STATUS_LEADS: &[&str] = &[
    "action",
    "actions",
    "status",
    "now",
    "is",
    "are",
    "has",
    "have",
    "been",
    "all",
    "work",
    "this",
    "task",
    "currently",
    "was",
    "were",
];
/// Words that may follow a strict status ("Completed in April 2008").
const STATUS_TAILS: &[&str] = &[
    "in", "on", "since", "at", "from", "and", "but", "with", "until", "till", "as", "for",
    "during", "pending", "awaiting", "see", "except", "apart", "subject", "-", "–",
];
/// Words before a clause-final status that make it a plan, not a statement.
const STATUS_FUTURE: &[&str] = &[
    "be", "to", "will", "when", "once", "if", "not", "until", "being", "should", "must",
];

fn status_counts(phrase: &str, strict: bool, before: &[&str], after: &[&str]) -> bool {
    let leads_ok = before.iter().all(|w| STATUS_LEADS.contains(w));
    if leads_ok {
        match after.first() {
            None => return true,
            Some(w) => {
                let w = *w;
                let datey = w.starts_with(|c: char| c.is_ascii_digit())
                    || month_of(w.trim_end_matches('.')).is_some()
                    || season_of(w).is_some();
                let extends =
                    matches!(phrase, "extended" | "delayed") && matches!(w, "to" | "until");
                if datey || extends || STATUS_TAILS.contains(&w) {
                    return true;
                }
                if !strict && w != "to" {
                    return true;
                }
            }
        }
    }
    after.is_empty() && !before.last().is_some_and(|w| STATUS_FUTURE.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(year: Option<i32>) -> DateContext {
        DateContext { year, month: None }
    }

    /// Asserts the parse and that every date produced is a well-formed ISO date.
    fn check(raw: &str, ctx_year: Option<i32>, start: Option<&str>, due: Option<&str>) {
        let t = parse(raw, ctx(ctx_year));
        assert_eq!(
            (t.start.as_deref(), t.due.as_deref()),
            (start, due),
            "parsing {raw:?} with context year {ctx_year:?}"
        );
        assert_eq!(t.raw, raw.split_whitespace().collect::<Vec<_>>().join(" "));
        for d in [t.start, t.due].into_iter().flatten() {
            assert!(valid_iso(&d), "invalid date {d:?} from {raw:?}");
        }
    }

    fn valid_iso(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str| p.parse::<u32>().ok();
        match parts.as_slice() {
            [y] => y.len() == 4 && num(y).is_some(),
            [y, m] => y.len() == 4 && num(m).is_some_and(|m| (1..=12).contains(&m)),
            [y, m, d] => match (num(y), num(m), num(d)) {
                (Some(y), Some(m), Some(d)) => {
                    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y as i32, m)
                }
                _ => false,
            },
            _ => false,
        }
    }

    #[test]
    fn single_months_and_years() {
        check("Dec 2008", None, None, Some("2008-12"));
        check("Sept/08 release", None, None, Some("2008-09"));
        check(
            "September 2008 Sept/08 release",
            None,
            None,
            Some("2008-09"),
        );
        check("August 08", None, None, Some("2008-08"));
        check("Oct 2008", None, None, Some("2008-10"));
        check("Jan 2009", None, None, Some("2009-01"));
        check("Mar 2009", None, None, Some("2009-03"));
        check("end June 07", None, None, Some("2007-06"));
        check("end Dec 2008", None, None, Some("2008-12"));
        check("end of March 2025", None, None, Some("2025-03"));
        check("by March 2009", None, None, Some("2009-03"));
        check("2009", None, None, Some("2009"));
        check("Sep. 2008", None, None, Some("2008-09"));
        check("Feb. 2009", None, None, Some("2009-02"));
        check("SEPT 2008", None, None, Some("2008-09"));
        check("Sep-08", None, None, Some("2008-09"));
        check(
            "Audit completed by February 2007",
            None,
            None,
            Some("2007-02"),
        );
        check(
            "Training package developed and delivered to staff by June 2007",
            None,
            None,
            Some("2007-06"),
        );
        check("Completed – April 2008", None, None, Some("2008-04"));
    }

    #[test]
    fn full_dates() {
        check("1 September 2011", None, None, Some("2011-09-01"));
        check("1st September 2011", None, None, Some("2011-09-01"));
        check("31/03/25", None, None, Some("2025-03-31"));
        check("31/03/2025", None, None, Some("2025-03-31"));
        check("2011-09-28", None, None, Some("2011-09-28"));
        check("1 March 2012 (Review)", None, None, Some("2012-03-01"));
        check(
            "Rolling Programme to be drawn up by 31 October 2011",
            None,
            None,
            Some("2011-10-31"),
        );
        // The target and its "extension" name the same day; the exact day is kept.
        check(
            "Action Target date: 31/03/25 – extended to end of March 2025",
            None,
            None,
            Some("2025-03-31"),
        );
    }

    #[test]
    fn impossible_days_keep_the_month() {
        check("31 April 2009", None, None, Some("2009-04"));
        check("31/04/09", None, None, Some("2009-04"));
        check("29 February 2009", None, None, Some("2009-02"));
        check("29 February 2012", None, None, Some("2012-02-29"));
        check("15/13/2008", None, None, None);
    }

    #[test]
    fn two_digit_years_follow_context() {
        check("Oct 07", None, None, Some("2007-10"));
        check("Oct 98", Some(2001), None, Some("1998-10"));
        check("Oct 98", None, None, Some("2098-10"));
        check("31/03/99", Some(2000), None, Some("1999-03-31"));
    }

    #[test]
    fn missing_years_take_context() {
        check(
            "The new model SLA will be available for Partnership use by September",
            Some(2008),
            None,
            Some("2008-09"),
        );
        check(
            "The new model SLA will be available for Partnership use by September",
            None,
            None,
            None,
        );
        check(
            "Review complete before September",
            Some(2008),
            None,
            Some("2008-09"),
        );
        check("Review complete before September", None, None, None);
        check(
            "Event held 19 January Report to Trust Board 5 March",
            Some(2007),
            None,
            Some("2007-03-05"),
        );
        check(
            "Event held 19 January Report to Trust Board 5 March",
            None,
            None,
            None,
        );
        // "may" the verb is not a month.
        check("Staff may be trained in due course", Some(2008), None, None);
        check("Inspection in May", Some(2008), None, Some("2008-05"));
    }

    #[test]
    fn alternatives_and_ranges() {
        check("June/July 08", None, Some("2008-06"), Some("2008-07"));
        check(
            "April 2008 – March 2009",
            None,
            Some("2008-04"),
            Some("2009-03"),
        );
        check(
            "1 October 2011 - 1 April 2012",
            None,
            Some("2011-10-01"),
            Some("2012-04-01"),
        );
        check(
            "1 September 2011 - 1 January 2012 ongoing",
            None,
            Some("2011-09-01"),
            Some("2012-01-01"),
        );
        check(
            "1 December 2011 – 29 February 2012.",
            None,
            Some("2011-12-01"),
            Some("2012-02-29"),
        );
        check(
            "May to September 2008",
            None,
            Some("2008-05"),
            Some("2008-09"),
        );
        check("Nov 07 – Aug 09", None, Some("2007-11"), Some("2009-08"));
        check(
            "Consultation held June – July 2007",
            None,
            Some("2007-06"),
            Some("2007-07"),
        );
        check(
            "December – February 2009",
            None,
            Some("2008-12"),
            Some("2009-02"),
        );
        check(
            "between March and June 2010",
            None,
            Some("2010-03"),
            Some("2010-06"),
        );
        check(
            "1-5 March 2008",
            None,
            Some("2008-03-01"),
            Some("2008-03-05"),
        );
        check("2008-2010", None, Some("2008"), Some("2010"));
        // A year naming a plan or programme is not a deadline.
        check("2007/08 Action Plan agreed by C&YP Partnership April 2007 By Sept 2007 identified lead officers report on progress", Some(2007), None, Some("2007-09"));
        check(
            "Work to be carried out in April as part of 2007/08 capital programme",
            Some(2007),
            None,
            Some("2007-04"),
        );
    }

    #[test]
    fn starts_only() {
        check("From September 2008", None, Some("2008-09"), None);
        check("July 2008 onwards", None, Some("2008-07"), None);
        check(
            "From September 2008, report by March 2009",
            None,
            Some("2008-09"),
            Some("2009-03"),
        );
        // A "from" after the due date starts a follow-on review, not the action.
        check(
            "30 September 2011; review at monthly Performance Board from 31 October 2011",
            None,
            None,
            Some("2011-09-30"),
        );
    }

    #[test]
    fn seasons_quarters_financial_years() {
        check("Spring 2009", None, Some("2009-03"), Some("2009-05"));
        check("Autumn 2008", None, Some("2008-09"), Some("2008-11"));
        check("Summer 2009", None, Some("2009-06"), Some("2009-08"));
        check("Winter 2008", None, Some("2008-12"), Some("2009-02"));
        check("Summer term 2007", None, Some("2007-06"), Some("2007-08"));
        check("by Spring 2009", None, None, Some("2009-05"));
        check("Q3 2008/09", None, Some("2008-10"), Some("2008-12"));
        check("Q4 2008/09", None, Some("2009-01"), Some("2009-03"));
        check("Q3 2008", None, Some("2008-07"), Some("2008-09"));
        check("2008/09", None, Some("2008-04"), Some("2009-03"));
        check("2008-09", None, Some("2008-04"), Some("2009-03"));
        check("2008/2009", None, Some("2008-04"), Some("2009-03"));
        check("during 2008/09", None, Some("2008-04"), Some("2009-03"));
        check(
            "During annual auditing cycle for 2008/09",
            None,
            Some("2008-04"),
            Some("2009-03"),
        );
        // A year followed by a word names something ("2007-08 u18s programme"): not a timescale.
        check("2007-08 u18s programme", None, None, None);
    }

    #[test]
    fn milestone_lists_take_the_latest() {
        check(
            "Funding for strategy development agreed by end May 2007  Focus group including parents to shape \
             strategy by end of Jun 07  Prepare consultation document by end August 2007 (6 week consultation).  \
             Agree strategy with stakeholders by end Oct 07",
            None,
            None,
            Some("2007-10"),
        );
    }

    #[test]
    fn no_dates() {
        for raw in [
            "Ongoing",
            "on-going",
            "Completed",
            "Monthly",
            "Quarterly",
            "Annually",
            "Weekly",
            "TBC",
            "N/A",
            "",
            "   ",
            "To be agreed by chair of JPPB",
            "Detailed in CAF delivery plan on-going",
            "Within existing budgets",
            "£2000 from reserves",
            "See paragraph 2.3.14",
            "Phase 2 of the programme",
        ] {
            check(raw, Some(2008), None, None);
        }
    }

    #[test]
    fn timeframes_of_cells() {
        use actionplan_model::{Horizon, Timeframe};
        let tf = |h: Horizon, min: Option<u16>, max: Option<u16>| {
            Some(Timeframe {
                horizon: h,
                months_min: min,
                months_max: max,
                event: None,
            })
        };
        let cases = [
            ("Ongoing", tf(Horizon::Ongoing, None, None)),
            ("Short term", tf(Horizon::Short, None, Some(12))),
            ("Medium/Long", tf(Horizon::Medium, Some(12), None)),
            ("Short/Medium/\nLong", tf(Horizon::Short, None, None)),
            ("Year 1", tf(Horizon::Short, None, Some(12))),
            ("0-6 months", tf(Horizon::Short, None, Some(6))),
            ("within 3 months", tf(Horizon::Short, None, Some(3))),
            ("Quarterly", tf(Horizon::Recurring, None, Some(3))),
            ("Completed", tf(Horizon::Complete, None, None)),
            ("Immediately", tf(Horizon::Immediate, None, None)),
            // Plain dates and other wording state no timeframe.
            ("Dec 2008", None),
            ("by end of March 2025", None),
            ("Q3 2008/09", None),
            ("1 October 2011 - 1 April 2012", None),
            ("TBC", None),
            ("Within existing budgets", None),
            ("To be completed by March 2009", None),
        ];
        for (raw, want) in cases {
            assert_eq!(
                parse(raw, DateContext::default()).timeframe,
                want,
                "{raw:?}"
            );
        }
        // Both at once: the wording and the date.
        let t = parse("Short term (by March 2010)", DateContext::default());
        assert_eq!(
            (t.timeframe.map(|t| t.horizon), t.due.as_deref()),
            (Some(Horizon::Short), Some("2010-03"))
        );
        let t = parse("Ongoing from April 2008", DateContext::default());
        assert_eq!(
            (t.timeframe.map(|t| t.horizon), t.start.as_deref()),
            (Some(Horizon::Ongoing), Some("2008-04"))
        );
    }

    #[test]
    fn raw_is_normalised() {
        let t = parse("  by\n end   of\tMarch 2025 ", DateContext::default());
        assert_eq!(t.raw, "by end of March 2025");
        assert_eq!(t.due.as_deref(), Some("2025-03"));
    }

    #[test]
    fn status_words() {
        let cases = [
            ("Completed", Some("completed")),
            ("Complete", Some("completed")),
            ("Done", Some("completed")),
            ("Achieved", Some("completed")),
            ("Action complete", Some("completed")),
            ("Completed – April 2008", Some("completed")),
            ("Ongoing", Some("ongoing")),
            ("on-going", Some("ongoing")),
            ("Detailed in CAF delivery plan on-going", Some("ongoing")),
            ("1 September 2011 - 1 January 2012 ongoing", Some("ongoing")),
            ("Rolling programme", Some("ongoing")),
            ("In progress", Some("in_progress")),
            ("Partially complete", Some("in_progress")),
            ("Not started", Some("not_started")),
            ("Outstanding", Some("not_started")),
            ("Action Outstanding", Some("not_started")),
            ("Overdue", Some("overdue")),
            ("On track", Some("on_track")),
            ("Delayed", Some("delayed")),
            (
                "Action Target date: 31/03/25 – extended to end of March 2025",
                Some("delayed"),
            ),
            ("To be completed by March 2009", None),
            ("Completion due March 2009", None),
            ("Audit completed by February 2007", None),
            ("Review complete before September", None),
            ("Complete the review of charges", None),
            ("Rolling Programme to be drawn up by 31 October 2011", None),
            ("Outstanding performance to be recognised", None),
            ("Extended schools programme", None),
            ("Dec 2008", None),
            ("", None),
        ];
        for (raw, want) in cases {
            assert_eq!(status(raw), want, "status of {raw:?}");
        }
    }

    #[test]
    fn single_dates() {
        let c = DateContext::default();
        let cases = [
            ("19 September 2008", Some("2008-09-19")),
            ("Wednesday, 28th September, 2011", Some("2011-09-28")),
            ("6th August 2008", Some("2008-08-06")),
            ("March 2007", Some("2007-03")),
            ("9th September 2008", Some("2008-09-09")),
            ("Tuesday, 20 September 2011", Some("2011-09-20")),
            ("28/09/2011", Some("2011-09-28")),
            ("2011-09-28", Some("2011-09-28")),
            ("6th August 2008 1st September 2008", Some("2008-08-06")),
            ("Meeting of the Executive, 5 March", None),
            ("September 28, 2011", Some("2011-09-28")),
            (
                "Local Government Act 2000 – meeting 19 September 2008",
                Some("2008-09-19"),
            ),
            ("Annual report 2009", Some("2009")),
            ("no date here", None),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_date(raw, c).as_deref(), want, "parse_date of {raw:?}");
        }
        let c2007 = DateContext {
            year: Some(2007),
            month: Some(1),
        };
        assert_eq!(
            parse_date("Meeting of the Executive, 5 March", c2007).as_deref(),
            Some("2007-03-05")
        );
    }

    #[test]
    fn other_spellings() {
        check("by 31st March 2009", None, None, Some("2009-03-31"));
        check("w/c 5 March 2008", None, None, Some("2008-03-05"));
        check("mid-March 2009", None, None, Some("2009-03"));
        check("Jun'07", None, None, Some("2007-06"));
        check("01.04.09", None, None, Some("2009-04-01"));
        check("Q2 08/09", None, Some("2008-07"), Some("2008-09"));
        check(
            "3rd quarter 2008/09",
            None,
            Some("2008-10"),
            Some("2008-12"),
        );
        check("Winter 2008/09", None, Some("2008-12"), Some("2009-02"));
        check("Dec/Jan 09", None, Some("2008-12"), Some("2009-01"));
        check("by end of 2008/09", None, None, Some("2009-03"));
        check("Ongoing from April 2008", None, Some("2008-04"), None);
        check("2000 homes by 2010", None, None, Some("2010"));
        check("spring clean of offices", Some(2009), None, None);
        check(
            "Report in March and again in June",
            Some(2008),
            None,
            Some("2008-06"),
        );
    }

    #[test]
    fn never_panics() {
        let long = "by end of March 2025 ".repeat(20_000);
        let many_bare = "march ".repeat(200_000);
        let weird = [
            "ünïcödé 日本語 🎉 – — ‑ 31/02/2024",
            "9999999999999999999999/99/99",
            "Q9 2008/09 Q0 2008",
            "99/99/99 00/00/00 0 January 0000",
            "–––///…",
            "2099-2100 1899/1900",
            "Winter 2099",
            "Dec/Jan",
            "31st",
            "q",
            "May",
            long.as_str(),
            many_bare.as_str(),
        ];
        for raw in weird {
            for year in [None, Some(2008), Some(i32::MAX), Some(i32::MIN)] {
                let c = DateContext {
                    year,
                    month: Some(99),
                };
                let t = parse(raw, c);
                for d in [t.start, t.due].into_iter().flatten() {
                    assert!(valid_iso(&d), "invalid date {d:?} from {raw:?}");
                }
                let _ = status(raw);
                let _ = parse_date(raw, c);
            }
        }
    }
}
