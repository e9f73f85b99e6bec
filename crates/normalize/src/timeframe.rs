//! Timeframe wording → [`Timeframe`]: "Immediately", "Within three months", "in the next
//! 12 months", "Short/Medium/Long", "Medium term", "0–6 months", "Years 2-3", "by the next
//! inspection", "Ongoing", "Quarterly", "Complete".
//!
//! The phrases are data, not code: `data/timeframes.tsv` (compiled in) holds one pattern per
//! line with its horizon, its months and the kind of paper it was seen in; the file's header
//! describes the pattern syntax. This module compiles the table once, finds every phrase in a
//! text, drops phrases whose surroundings show they are ordinary words ("long-term sickness
//! absence", "short of staff", "Medium Term Financial Strategy", "High/Medium/Low"), and
//! merges the rest: a combination has the earliest horizon and the span of its parts.
//!
//! Used for recommendation-list headings and parentheses ([`heading`], [`find`]) and for
//! action timescale cells (`timescale::parse`). Never panics; a text with no timeframe gives
//! `None`.

use std::sync::LazyLock;

use actionplan_model::{Event, Horizon, Timeframe};
use regex::{Captures, Regex, RegexSet};

const TABLE: &str = include_str!("../../../data/timeframes.tsv");

/// A timeframe found in a text, with the byte ranges of the phrases it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub timeframe: Timeframe,
    pub spans: Vec<(usize, usize)>,
}

/// The timeframe a text states anywhere in it, if any.
pub fn of(text: &str) -> Option<Timeframe> {
    find(text).map(|f| f.timeframe)
}

/// Lines of `data/timeframes.tsv` that could not be read and were skipped (empty in a
/// correct build; a test checks).
pub fn table_problems() -> &'static [String] {
    &TIMEFRAMES.errors
}

/// Every timeframe phrase in `text`, merged into one timeframe.
pub fn find(text: &str) -> Option<Found> {
    let table = &*TIMEFRAMES;
    let hits = table.set.matches(text);
    if !hits.matched_any() {
        return None;
    }
    let mut raw: Vec<Candidate> = Vec::new();
    for i in hits.iter() {
        let Some(rule) = table.rules.get(i) else {
            continue;
        };
        let mut push = |start: usize, end: usize, caps: Option<&Captures>| {
            if start == end || !at_word_boundaries(text, start, end) {
                return;
            }
            if let Some(timeframe) = rule.timeframe(caps, &table.bands) {
                raw.push(Candidate {
                    start,
                    end,
                    rule: i,
                    timeframe,
                    numeric: rule.numeric(),
                });
            }
        };
        // Captures cost far more than a match on a long text: find the matches first, and
        // read the counts and units of the few patterns that have them from the match alone.
        let groups = rule.regex.captures_len() > 1;
        for m in rule.regex.find_iter(text) {
            if !groups {
                push(m.start(), m.end(), None);
            } else if let Some(caps) = rule.regex.captures(m.as_str()) {
                push(m.start(), m.end(), Some(&caps));
            }
        }
    }
    let mut ok: Vec<&Candidate> = raw
        .iter()
        .filter(|c| context_ok(text, c, &table.rules[c.rule], &raw))
        .collect();
    ok.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end)));
    let mut kept: Vec<&Candidate> = Vec::new();
    for c in ok {
        if kept.last().is_none_or(|k| c.start >= k.end) {
            kept.push(c);
        }
    }
    let timeframe = merge(&kept)?;
    Some(Found {
        timeframe,
        spans: kept.iter().map(|c| (c.start, c.end)).collect(),
    })
}

/// A heading (its section number already stripped) that is only a timeframe: "Immediately:",
/// "Within three months", "For action over the next six months", "Priority and immediate
/// action", "Short term actions". Long headings and sentences are not; "ongoing",
/// "recurring" and "complete" wordings count only when they are the whole heading
/// ("Ongoing:"), since headings like "Ongoing concerns" or "Quarterly performance" are topics.
pub fn heading(text: &str) -> Option<Found> {
    let t = text.trim();
    if t.is_empty() || t.split_whitespace().count() > 10 || t.ends_with('.') {
        return None;
    }
    let found = find(t)?;
    let whole_only = matches!(
        found.timeframe.horizon,
        Horizon::Ongoing | Horizon::Recurring | Horizon::Complete
    );
    if whole_only {
        let mut rest = String::new();
        let mut at = 0;
        for &(s, e) in &found.spans {
            rest.push_str(t.get(at..s).unwrap_or(""));
            rest.push(' ');
            at = e;
        }
        rest.push_str(t.get(at..).unwrap_or(""));
        let extra = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .any(|w| !HEADING_FILLER.contains(&w.to_lowercase().as_str()));
        if extra {
            return None;
        }
    }
    Some(found)
}

/// Words a timeframe heading may carry besides the timeframe ("Actions – ongoing").
const HEADING_FILLER: &[&str] = &[
    "for",
    "action",
    "actions",
    "and",
    "the",
    "to",
    "be",
    "taken",
    "timescale",
    "timescales",
    "status",
];

/// Short words that may sit next to a phrase without making it part of a longer name:
/// "in the short term", "short to medium term", "Ongoing from April 2008".
const FUNCTION_WORDS: &[&str] = &[
    "and",
    "or",
    "nor",
    "to",
    "then",
    "the",
    "by",
    "in",
    "on",
    "at",
    "for",
    "from",
    "until",
    "till",
    "within",
    "during",
    "before",
    "after",
    "with",
    "is",
    "are",
    "be",
    "as",
    "but",
    "if",
    "than",
    "thereafter",
    "into",
];

struct Candidate {
    start: usize,
    end: usize,
    rule: usize,
    timeframe: Timeframe,
    numeric: bool,
}

/// One line of the table.
struct Rule {
    regex: Regex,
    horizon: HorizonSpec,
    min: Bound,
    max: Bound,
    /// `{start}`: must open the text or follow punctuation or a function word.
    start: bool,
    /// `{solo}`: must be the whole text or sit next to another phrase.
    solo: bool,
    /// `{end}` / `{stop}`.
    edge: Edge,
    /// The pattern has a count (`{n}`), so its months are stated, not a band's.
    counted: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Free,
    /// Closes the text, or is followed by punctuation or a function word.
    End,
    /// Closes the text, or is followed by punctuation.
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HorizonSpec {
    Fixed(Horizon, Option<Event>),
    /// The band the months fall in.
    Auto,
}

/// A months column: empty, a number of months, or a count from the phrase (in its unit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Empty,
    Months(u16),
    Count { var: char, minus_one: bool },
}

/// The month range of short, medium and long term: (horizon, from, up to).
type Band = (Horizon, u16, Option<u16>);

struct Table {
    rules: Vec<Rule>,
    set: RegexSet,
    bands: Vec<Band>,
    /// Lines that could not be read (a test keeps this empty).
    errors: Vec<String>,
}

static TIMEFRAMES: LazyLock<Table> = LazyLock::new(|| load(TABLE));

/// A count in digits or words. Longer words first, so "eighteen" is not read as "eight".
const NUMBER: &str = r"(?:\d{1,3}|twenty[\s-]?four|thirty[\s-]?six|forty[\s-]?eight|eighteen|fifteen|eleven|twelve|twenty|thirty|sixty|three|seven|eight|four|five|nine|one|two|six|ten|an?)";
const UNIT: &str = r"(?:working[\s-]+days?|days?|weeks?|wks?|months?|mths?|mnths?|years?|yrs?)";
/// What a space in a pattern matches.
const SEP: &str = r"(?:[\s\-\u{2010}-\u{2015}]+)";

fn load(text: &str) -> Table {
    let mut rules = Vec::new();
    let mut bands = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 5 || cols[4].trim().is_empty() {
            errors.push(format!(
                "line {line_no}: want 5 tab-separated columns with a 'seen in' note, got {}",
                cols.len()
            ));
            continue;
        }
        let (pattern, horizon, min, max) = (
            cols[0].trim(),
            cols[1].trim(),
            cols[2].trim(),
            cols[3].trim(),
        );
        if pattern == "[band]" {
            match (
                Horizon::from_name(horizon),
                parse_months(min),
                parse_months(max),
            ) {
                (Some(h @ (Horizon::Short | Horizon::Medium | Horizon::Long)), Ok(lo), Ok(hi)) => {
                    bands.push((h, lo.unwrap_or(0), hi));
                }
                _ => errors.push(format!(
                    "line {line_no}: a band is short, medium or long with whole months"
                )),
            }
            continue;
        }
        match rule(pattern, horizon, min, max) {
            Ok(r) => rules.push(r),
            Err(e) => errors.push(format!("line {line_no}: {e}")),
        }
    }
    for h in [Horizon::Short, Horizon::Medium, Horizon::Long] {
        if !bands.iter().any(|b| b.0 == h) {
            errors.push(format!("no [band] line for {}", h.as_str()));
        }
    }
    let set = match RegexSet::new(rules.iter().map(|r| r.regex.as_str())) {
        Ok(s) => s,
        Err(e) => {
            errors.push(format!("the patterns do not combine: {e}"));
            rules.clear();
            RegexSet::empty()
        }
    };
    Table {
        rules,
        set,
        bands,
        errors,
    }
}

fn parse_months(col: &str) -> Result<Option<u16>, String> {
    if col.is_empty() {
        return Ok(None);
    }
    col.parse::<u16>()
        .map(Some)
        .map_err(|_| format!("{col:?} is not a number of months"))
}

fn parse_bound(col: &str) -> Result<Bound, String> {
    Ok(match col {
        "" => Bound::Empty,
        "n" => Bound::Count {
            var: 'n',
            minus_one: false,
        },
        "m" => Bound::Count {
            var: 'm',
            minus_one: false,
        },
        "n-1" => Bound::Count {
            var: 'n',
            minus_one: true,
        },
        "m-1" => Bound::Count {
            var: 'm',
            minus_one: true,
        },
        _ => Bound::Months(
            col.parse()
                .map_err(|_| format!("months {col:?}: use a number, n, m, n-1 or m-1"))?,
        ),
    })
}

fn rule(pattern: &str, horizon: &str, min: &str, max: &str) -> Result<Rule, String> {
    let mut p = pattern;
    let mut opener = |marker: &str| match p.strip_prefix(marker) {
        Some(rest) => {
            p = rest;
            true
        }
        None => false,
    };
    let start = opener("{start}");
    let solo = opener("{solo}");
    let edge = if let Some(rest) = p.strip_suffix("{end}") {
        p = rest;
        Edge::End
    } else if let Some(rest) = p.strip_suffix("{stop}") {
        p = rest;
        Edge::Stop
    } else {
        Edge::Free
    };
    if ["{start}", "{solo}", "{end}", "{stop}"]
        .iter()
        .any(|m| p.contains(m))
    {
        return Err(
            "{start} and {solo} only open a pattern, {end} and {stop} only close one".into(),
        );
    }
    let counted = p.contains("{n}");
    let body = p
        .replace(' ', SEP)
        .replace("{n}", &format!("(?P<n>{NUMBER})"))
        .replace("{m}", &format!("(?P<m>{NUMBER})"))
        .replace("{unit}", &format!("(?P<unit>{UNIT})"));
    // Word boundaries inside the regex, so alternatives are retried ("completed" after
    // "complete"); ASCII ones, which keep the set on its fast automaton (Unicode `\b`
    // made it ten times slower).
    let regex = Regex::new(&format!(r"(?i)(?-u:\b)(?:{body})(?-u:\b)"))
        .map_err(|e| format!("pattern {pattern:?}: {e}"))?;
    let horizon = match horizon {
        "auto" => HorizonSpec::Auto,
        h => match h.strip_prefix("event:") {
            Some(e) => HorizonSpec::Fixed(
                Horizon::Event,
                Some(Event::from_name(e).ok_or_else(|| format!("unknown event {e:?}"))?),
            ),
            None => HorizonSpec::Fixed(
                Horizon::from_name(h).ok_or_else(|| format!("unknown horizon {h:?}"))?,
                None,
            ),
        },
    };
    let (min, max) = (parse_bound(min)?, parse_bound(max)?);
    for b in [min, max] {
        if let Bound::Count { var, .. } = b {
            let needs = if var == 'n' { "{unit}" } else { "{m}" };
            if !(p.contains(needs) || (var == 'n' && p.contains("{n}"))) {
                return Err(format!(
                    "months use {var} but the pattern has no {{{var}}} or {{unit}}"
                ));
            }
        }
    }
    if horizon == HorizonSpec::Auto && min == Bound::Empty && max == Bound::Empty {
        return Err("auto needs months".into());
    }
    Ok(Rule {
        regex,
        horizon,
        min,
        max,
        start,
        solo,
        edge,
        counted,
    })
}

impl Rule {
    fn numeric(&self) -> bool {
        self.counted
            || matches!(self.min, Bound::Count { .. })
            || matches!(self.max, Bound::Count { .. })
    }

    /// The timeframe this match stands for; none when its numbers make no sense.
    fn timeframe(&self, caps: Option<&Captures>, bands: &[Band]) -> Option<Timeframe> {
        let group = |name: &str| caps.and_then(|c| c.name(name));
        let unit = group("unit").map(|u| u.as_str().to_lowercase());
        // "in the coming years": without a count only a single unit is meant.
        if group("n").is_none() && unit.as_deref().is_some_and(|u| u.ends_with('s')) {
            return None;
        }
        let months = |b: Bound, round_up: bool| -> Option<Option<u16>> {
            Some(match b {
                Bound::Empty => None,
                Bound::Months(v) => Some(v),
                Bound::Count { var, minus_one } => {
                    let name = if var == 'n' { "n" } else { "m" };
                    let count = match group(name) {
                        Some(c) => number(c.as_str())?,
                        None => 1,
                    };
                    let count = if minus_one {
                        count.saturating_sub(1)
                    } else {
                        count
                    };
                    Some(to_months(count, unit.as_deref(), round_up))
                }
            })
        };
        let mut min = months(self.min, false)?;
        let mut max = months(self.max, true)?;
        if let (Some(lo), Some(hi)) = (min, max) {
            if lo > hi {
                return None;
            }
        }
        min = min.filter(|&m| m > 0);
        let (horizon, event) = match self.horizon {
            HorizonSpec::Fixed(h, e) => (h, e),
            HorizonSpec::Auto => (band_of(min, max, bands)?, None),
        };
        if matches!(horizon, Horizon::Short | Horizon::Medium | Horizon::Long)
            && self.min == Bound::Empty
            && self.max == Bound::Empty
        {
            if let Some(&(_, lo, hi)) = bands.iter().find(|b| b.0 == horizon) {
                min = Some(lo).filter(|&m| m > 0);
                max = hi;
            }
        }
        Some(Timeframe {
            horizon,
            months_min: min,
            months_max: max,
            event,
        })
    }
}

/// The band a span falls in: the band of its start, or of its end when it runs from now.
fn band_of(min: Option<u16>, max: Option<u16>, bands: &[Band]) -> Option<Horizon> {
    match (min, max) {
        (Some(lo), _) => bands
            .iter()
            .find(|b| b.1 <= lo && b.2.is_none_or(|hi| lo < hi))
            .map(|b| b.0),
        (None, Some(0)) => Some(Horizon::Immediate),
        (None, Some(hi)) => bands
            .iter()
            .find(|b| b.1 < hi && b.2.is_none_or(|bh| hi <= bh))
            .map(|b| b.0),
        (None, None) => None,
    }
}

fn number(word: &str) -> Option<u16> {
    if let Ok(v) = word.parse::<u16>() {
        return Some(v);
    }
    let w: String = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    Some(match w.as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "fifteen" => 15,
        "eighteen" => 18,
        "twenty" => 20,
        "twentyfour" => 24,
        "thirty" => 30,
        "thirtysix" => 36,
        "fortyeight" => 48,
        "sixty" => 60,
        _ => return None,
    })
}

/// A count of `unit` in months: rounded down for a start, up for an end.
fn to_months(count: u16, unit: Option<&str>, round_up: bool) -> u16 {
    let div = |num: u32, den: u32| -> u16 {
        let v = if round_up {
            num.div_ceil(den)
        } else {
            num / den
        };
        u16::try_from(v).unwrap_or(u16::MAX)
    };
    let c = u32::from(count);
    let Some(u) = unit else { return count };
    if u.starts_with("working") {
        return div(c, 21);
    }
    match u.chars().next() {
        Some('y') => count.saturating_mul(12),
        Some('w') => div(c * 12, 52),
        Some('d') => div(c, 30),
        _ => count,
    }
}

/// A phrase that starts or ends with a letter or digit must not continue a longer word.
fn at_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let inner_first = text.get(start..).and_then(|s| s.chars().next());
    let inner_last = text.get(..end).and_then(|s| s.chars().next_back());
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    let clash = |a: Option<char>, b: Option<char>| matches!((a, b), (Some(a), Some(b)) if a.is_alphanumeric() && b.is_alphanumeric());
    !clash(before, inner_first) && !clash(inner_last, after)
}

fn is_function_word(w: &str) -> bool {
    FUNCTION_WORDS.contains(&w.to_lowercase().as_str())
}

/// Characters that join two words into one name or combination ("Short/Medium",
/// "Medium-Long", "long-term"); a dash with spaces round it is ordinary punctuation.
fn is_joiner(c: char, spaced: bool) -> bool {
    c == '/' || (!spaced && matches!(c, '-' | '\u{2010}'..='\u{2015}'))
}

/// Words that join the parts of a combination ("short to medium", "medium and long").
const CONNECTIVES: &[&str] = &["and", "or", "to", "then", "into"];

/// `{solo}`: the phrase is all the text has (besides punctuation), or another phrase sits
/// next to it across punctuation and connectives.
fn solo_ok(text: &str, c: &Candidate, all: &[Candidate]) -> bool {
    let before = text.get(..c.start).unwrap_or("");
    let after = text.get(c.end..).unwrap_or("");
    if !before.chars().any(char::is_alphanumeric) && !after.chars().any(char::is_alphanumeric) {
        return true;
    }
    let other = |pred: &dyn Fn(&Candidate) -> bool| {
        all.iter()
            .any(|o| (o.start, o.end) != (c.start, c.end) && pred(o))
    };
    let connective = |w: &str| CONNECTIVES.contains(&w.to_lowercase().as_str());
    let mut b = before;
    loop {
        let t = b.trim_end_matches(|ch: char| !ch.is_alphanumeric());
        if other(&|o| o.end == t.len()) {
            return true;
        }
        match last_word(t) {
            Some(w) if connective(w) => b = &t[..t.len() - w.len()],
            _ => break,
        }
    }
    let mut a = after;
    loop {
        let t = a.trim_start_matches(|ch: char| !ch.is_alphanumeric());
        let at = text.len() - t.len();
        if other(&|o| o.start == at) {
            return true;
        }
        match first_word(t) {
            Some(w) if connective(w) => a = &t[w.len()..],
            _ => return false,
        }
    }
}

fn context_ok(text: &str, c: &Candidate, rule: &Rule, all: &[Candidate]) -> bool {
    if rule.solo && !solo_ok(text, c, all) {
        return false;
    }
    let before_ok = !rule.start || {
        let before = text.get(..c.start).unwrap_or("");
        let b = before.trim_end();
        match b.chars().next_back() {
            None => true,
            Some(ch) if is_joiner(ch, b.len() < before.len()) => {
                let b2 = b[..b.len() - ch.len_utf8()].trim_end();
                b2.is_empty()
                    || all.iter().any(|o| o.end == b2.len())
                    || last_word(b2).is_some_and(is_function_word)
            }
            Some(ch) if !ch.is_alphanumeric() => true,
            Some(_) => last_word(b).is_some_and(is_function_word),
        }
    };
    let after_ok = rule.edge == Edge::Free || {
        let after = text.get(c.end..).unwrap_or("");
        let a = after.trim_start();
        let offset = c.end + (after.len() - a.len());
        let mut chars = a.chars();
        match chars.next() {
            None => true,
            Some(ch) if is_joiner(ch, chars.next().is_some_and(char::is_whitespace)) => {
                let a2 = a[ch.len_utf8()..].trim_start();
                let at = text.len() - a2.len();
                a2.is_empty()
                    || all.iter().any(|o| o.start == at)
                    || (rule.edge == Edge::End && first_word(a2).is_some_and(is_function_word))
            }
            Some(ch) if !ch.is_alphanumeric() => true,
            Some(_) => {
                rule.edge == Edge::End
                    && first_word(text.get(offset..).unwrap_or("")).is_some_and(is_function_word)
            }
        }
    };
    before_ok && after_ok
}

fn last_word(s: &str) -> Option<&str> {
    s.rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .filter(|w| !w.is_empty())
}

fn first_word(s: &str) -> Option<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .next()
        .filter(|w| !w.is_empty())
}

fn on_scale(h: Horizon) -> bool {
    matches!(
        h,
        Horizon::Immediate | Horizon::Short | Horizon::Medium | Horizon::Long
    )
}

/// One timeframe from the phrases of a text: the earliest horizon; for immediate to long,
/// the span of all the parts, stated numbers winning over band months.
fn merge(parts: &[&Candidate]) -> Option<Timeframe> {
    let horizon = parts.iter().map(|c| c.timeframe.horizon).min()?;
    if !on_scale(horizon) {
        return parts
            .iter()
            .find(|c| c.timeframe.horizon == horizon)
            .map(|c| c.timeframe);
    }
    let scale: Vec<&&Candidate> = parts
        .iter()
        .filter(|c| on_scale(c.timeframe.horizon))
        .collect();
    let pool: Vec<&&Candidate> = if scale.iter().any(|c| c.numeric) {
        scale.into_iter().filter(|c| c.numeric).collect()
    } else {
        scale
    };
    let min = pool
        .iter()
        .map(|c| c.timeframe.months_min.unwrap_or(0))
        .min()
        .filter(|&m| m > 0);
    let open = pool
        .iter()
        .any(|c| c.timeframe.horizon != Horizon::Immediate && c.timeframe.months_max.is_none());
    let max = if open {
        None
    } else {
        pool.iter().filter_map(|c| c.timeframe.months_max).max()
    };
    Some(Timeframe {
        horizon,
        months_min: min,
        months_max: max,
        event: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tf(horizon: Horizon, min: Option<u16>, max: Option<u16>) -> Option<Timeframe> {
        Some(Timeframe {
            horizon,
            months_min: min,
            months_max: max,
            event: None,
        })
    }

    #[test]
    fn the_table_loads_without_errors() {
        let t = &*TIMEFRAMES;
        assert!(
            table_problems().is_empty(),
            "data/timeframes.tsv: {:#?}",
            t.errors
        );
        assert!(t.rules.len() > 30);
        assert_eq!(t.bands.len(), 3);
        // Unicode classes would take the set off its fast automaton.
        let patterns = TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| l.split('\t').next().unwrap_or(""));
        assert!(
            patterns.clone().all(|p| !p.contains("\\w")),
            "write [a-z], not \\w, in data/timeframes.tsv"
        );
    }

    #[test]
    fn bad_lines_are_reported_not_fatal() {
        let t = load("x\tshort\t\t\n(\tshort\t\t\tnote\nfoo\tsoonish\t\t\tnote\nbar\tauto\t\t\tnote\n[band]\tshort\t\t12\tnote\n");
        assert_eq!(t.rules.len(), 0);
        assert_eq!(t.errors.len(), 6, "{:#?}", t.errors);
    }

    #[test]
    fn wordings() {
        use Horizon::{Complete, Immediate, Long, Medium, Ongoing, Recurring, Short};
        let inspection = Some(Timeframe {
            event: Some(Event::Inspection),
            ..Timeframe::new(Horizon::Event)
        });
        let meeting = Some(Timeframe {
            event: Some(Event::Meeting),
            ..Timeframe::new(Horizon::Event)
        });
        let cases: &[(&str, Option<Timeframe>)] = &[
            // Inspection reports.
            ("Immediately", tf(Immediate, None, None)),
            ("Immediately:", tf(Immediate, None, None)),
            ("Priority and immediate action", tf(Immediate, None, None)),
            ("Areas for immediate action", tf(Immediate, None, None)),
            ("Immediate action required", tf(Immediate, None, None)),
            ("Urgent", tf(Immediate, None, None)),
            ("Within three months", tf(Short, None, Some(3))),
            ("Within six months", tf(Short, None, Some(6))),
            ("within 6 months", tf(Short, None, Some(6))),
            (
                "For action over the next six months",
                tf(Short, None, Some(6)),
            ),
            ("in the next 12 months", tf(Short, None, Some(12))),
            ("over the next 6 months", tf(Short, None, Some(6))),
            ("in next 6 months", tf(Short, None, Some(6))),
            ("within a year", tf(Short, None, Some(12))),
            ("in the coming year", tf(Short, None, Some(12))),
            ("within 2 years", tf(Medium, None, Some(24))),
            ("within five years", tf(Long, None, Some(60))),
            ("within 4 weeks", tf(Short, None, Some(1))),
            ("For action in the longer term", tf(Long, Some(36), None)),
            ("by the next inspection", inspection),
            ("Before re-inspection", inspection),
            ("Next inspection", inspection),
            ("Report back to the next Board meeting", meeting),
            ("Next meeting", meeting),
            // Climate and improvement plans.
            ("Short term", tf(Short, None, Some(12))),
            ("Short-term", tf(Short, None, Some(12))),
            ("Medium term", tf(Medium, Some(12), Some(36))),
            ("Medium \n term", tf(Medium, Some(12), Some(36))),
            ("Long term", tf(Long, Some(36), None)),
            ("Short", tf(Short, None, Some(12))),
            ("Longer", tf(Long, Some(36), None)),
            ("the short, medium and long term", tf(Short, None, None)),
            ("Short/Medium", tf(Short, None, Some(36))),
            ("Medium/Long", tf(Medium, Some(12), None)),
            ("Short/Medium/Long", tf(Short, None, None)),
            ("Short/Medium/ Long", tf(Short, None, None)),
            ("Short / medium / long term", tf(Short, None, None)),
            ("short, medium and long term", tf(Short, None, None)),
            ("Short to medium term", tf(Short, None, Some(36))),
            ("Medium-Long", tf(Medium, Some(12), None)),
            ("Short term (within 6 months)", tf(Short, None, Some(6))),
            ("0–6 months", tf(Short, None, Some(6))),
            ("0-6 months", tf(Short, None, Some(6))),
            ("6-12 months", tf(Short, Some(6), Some(12))),
            ("12 - 24 months", tf(Medium, Some(12), Some(24))),
            ("2-5 years", tf(Medium, Some(24), Some(60))),
            ("6 months", tf(Short, None, Some(6))),
            ("Year 1", tf(Short, None, Some(12))),
            ("Year 2", tf(Medium, Some(12), Some(24))),
            ("Years 2-3", tf(Medium, Some(12), Some(36))),
            ("Year 1 Actions", tf(Short, None, Some(12))),
            ("by Year 2", tf(Medium, None, Some(24))),
            ("Ongoing", tf(Ongoing, None, None)),
            ("On-going", tf(Ongoing, None, None)),
            ("Ongoing from April 2008", tf(Ongoing, None, None)),
            (
                "Detailed in CAF delivery plan on-going",
                tf(Ongoing, None, None),
            ),
            ("Rolling programme", tf(Ongoing, None, None)),
            ("2021 onwards", tf(Ongoing, None, None)),
            ("Annually", tf(Recurring, None, Some(12))),
            ("Reported annually", tf(Recurring, None, Some(12))),
            ("Quarterly", tf(Recurring, None, Some(3))),
            ("Monthly", tf(Recurring, None, Some(1))),
            ("Six-monthly", tf(Recurring, None, Some(6))),
            ("every 2 years", tf(Recurring, None, Some(24))),
            ("Weekly", tf(Recurring, None, None)),
            ("Immediate and ongoing", tf(Immediate, None, None)),
            ("Complete", tf(Complete, None, None)),
            ("Completed – April 2008", tf(Complete, None, None)),
            ("Action complete", tf(Complete, None, None)),
        ];
        for (text, want) in cases {
            assert_eq!(of(text), *want, "{text:?}");
        }
    }

    #[test]
    fn ordinary_words_are_not_timeframes() {
        for text in [
            "short of staff",
            "The service is short of social workers",
            "Long-term sickness absence rates remain high",
            "long-term sickness absence rates",
            "medium-sized employers",
            "Medium Term Financial Strategy",
            "Medium Term Financial Plan 2024-28",
            "NHS Long Term Plan",
            "High/Medium/Low",
            "Immediate family members",
            "Urgent care centre",
            "Date of next meeting",
            "The review was completed by February 2007",
            "To be completed by March 2009",
            "Year 11 attainment",
            "Climate Emergency Year 1 Action Plan",
            "children aged 16-18 years",
            "over 80 years",
            "in the coming years",
            "Quarterly performance report",
            "Rolling Programme to be drawn up by 31 October 2011",
            "Annual report 2009",
            "In short, the plan is late",
            "The meeting ran longer than planned",
            "a long way to go",
            "6-12",
            "shortlisted",
            "Dec 2008",
            "by end of March 2025",
            "Q3 2008/09",
            "TBC",
            "",
        ] {
            assert_eq!(of(text), None, "{text:?}");
        }
    }

    #[test]
    fn headings() {
        let yes = [
            ("Immediately:", Horizon::Immediate),
            ("Within three months:", Horizon::Short),
            ("For action over the next six months", Horizon::Short),
            ("Priority and immediate action", Horizon::Immediate),
            ("Short term actions", Horizon::Short),
            ("Longer term", Horizon::Long),
            ("Ongoing:", Horizon::Ongoing),
            ("Actions – ongoing", Horizon::Ongoing),
        ];
        for (text, h) in yes {
            assert_eq!(
                heading(text).map(|f| f.timeframe.horizon),
                Some(h),
                "{text:?}"
            );
        }
        for text in [
            // A sentence, however it starts, is not a heading.
            "Within three months the local authority should ensure that every child in care has an allocated social worker and a plan.",
            "The partnership should, within six months, review the commissioning of CAMHS for all young people",
            "Immediately after the inspection the council appointed a new director.",
            "Ongoing concerns about placement stability",
            "Quarterly performance",
            "Long-term sickness absence",
            "Recommendations",
            "Areas for improvement",
        ] {
            assert_eq!(heading(text), None, "{text:?}");
        }
    }

    #[test]
    fn spans_name_the_phrases() {
        let f = find("Short/Medium (see 2.1)").unwrap();
        assert_eq!(f.spans, vec![(0, 5), (6, 12)]);
    }

    #[test]
    fn never_panics() {
        let long = "within three months ".repeat(5_000);
        for text in [
            "ünïcödé – — ‑ Short/",
            "/",
            "-",
            "—Long—",
            "Year 999999",
            "within 999 years",
            "0-0 months",
            "12-6 months",
            long.as_str(),
        ] {
            let _ = find(text);
            let _ = heading(text);
        }
        assert_eq!(of("12-6 months"), None);
        assert_eq!(of("within 999 years"), tf(Horizon::Long, None, Some(11988)));
    }
}
