//! Fields glued onto the end of a row's text. Text exports of plan tables often lose
//! the column breaks, so a row reads "Develop a water conservation plan. Property
//! Services Short/Medium" or "…reporting Ongoing to 2030 Climate Change Team 1": the
//! action, then the lead and timescale cells (in either order), then perhaps a status
//! or indicator. The fields are recognised by their shape, from the end, with the
//! same cell evidence the column scorer uses.

use std::sync::LazyLock;

use regex::Regex;

use crate::columns::{cell_shape, CellShape};
use crate::timescale::DateContext;

/// A row's text split into the action and the fields found after it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tail {
    pub text: String,
    pub lead: Option<String>,
    pub timescale: Option<String>,
    /// A measure cell glued after the lead ("…Property#%Reduction in Carbon Emissions").
    pub measure: Option<String>,
}

/// Longest timescale phrase tried, in words ("Ongoing to 2030", "April 2025 and ongoing").
const MAX_TIME_WORDS: usize = 5;
/// Longest lead tried ("Head of Parks, Estates and Property").
const MAX_LEAD_WORDS: usize = 7;

/// Marks a word that was glued to the one before it (a lost cell boundary).
const GLUE: char = '\u{1}';

/// Breaks words glued across a lost cell boundary: "fleetStreetscene" → "fleet
/// Streetscene", "Mar-21Finance" → "Mar-21 Finance", "possible.Head" → "possible. Head".
pub fn unglue(text: &str) -> String {
    unglue_marked(text).replace(GLUE, "")
}

fn unglue_marked(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && c.is_uppercase() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let glued =
                (prev.is_lowercase() && next_lower && i >= 2 && chars[i - 2].is_lowercase())
                    || (prev.is_ascii_digit() && next_lower)
                    || (matches!(prev, '.' | ';')
                        && next_lower
                        && i >= 2
                        && chars[i - 2].is_alphabetic());
            if glued {
                out.push(' ');
                out.push(GLUE);
            }
        }
        out.push(c);
    }
    out
}

fn is_indicator(word: &str) -> bool {
    let w = word.trim();
    w.chars().all(|c| c == '*')
        || (w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()))
        || w == "&"
}

fn lead_like(words: &[&str], ctx: DateContext) -> bool {
    if words.is_empty() || words.len() > MAX_LEAD_WORDS {
        return false;
    }
    let first = words[0];
    if !first.starts_with(|c: char| c.is_uppercase() || c == '(') {
        return false;
    }
    let s: CellShape = cell_shape(&words.join(" "), ctx);
    s.lead && !s.timescale
}

/// Words a bare timescale cell is made of: months, seasons, years, quarters, horizons.
static DATE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[-/.]?\d{0,4}|\d{1,4}(?:[-/.]\d{1,4}){0,2}|q[1-4]|spring|summer|autumn|winter|on-?going|annual(?:ly)?|quarterly|monthly|weekly|short|medium|long|term|short/medium|medium/long|short/medium/|short/medium/long|to|and|end|-|–|/|immediate(?:ly)?|year|years|months?)[.,]?$")
        .expect("valid regex")
});

fn time_like(words: &[&str], ctx: DateContext) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    if matches!(
        first.to_lowercase().as_str(),
        "to" | "and" | "-" | "–" | "/" | "term" | "end"
    ) {
        return false;
    }
    words.iter().all(|w| DATE_WORD.is_match(w)) && cell_shape(&words.join(" "), ctx).timescale
}

/// A sentence or cell ends before word `i` (so a field may start there).
fn boundary_before(words: &[&str], i: usize) -> bool {
    i == 0 || words[i - 1].ends_with(['.', ')', ';', ':', '!', '?', '"', '”'])
}

/// Splits the lead and timescale off the end of `text`.
pub fn split(text: &str, ctx: DateContext) -> Tail {
    // A cell opening with "#" or "%" is a measure ("# of participants", "%Reduction"):
    // it and what follows are measures, the fields before it end the action's cells.
    if let Some(at) = text.find(['#', '%']).filter(|&i| {
        i > 0
            && !text[..i].ends_with(|c: char| {
                c.is_ascii_digit()
                    || c == ' ' && text[..i].trim_end().ends_with(|d: char| d.is_ascii_digit())
            })
    }) {
        let (head, measure) = text.split_at(at);
        let mut t = split(head, ctx);
        let mut m = measure.trim().to_owned();
        // The lead and timescale may come after the measure instead ("% of projects
        // evaluated Ongoing to 2030 Climate Change Team").
        if t.lead.is_none() && t.timescale.is_none() {
            let after = split(&m, ctx);
            if after.lead.is_some() || after.timescale.is_some() {
                t.lead = after.lead;
                t.timescale = after.timescale;
                m = after.text;
            }
        }
        t.measure = (!m.is_empty()).then_some(m);
        return t;
    }
    let owned = unglue_marked(text);
    let glued_at: Vec<bool> = owned
        .split_whitespace()
        .map(|w| w.starts_with(GLUE))
        .collect();
    let clean = owned.replace(GLUE, "");
    let mut words: Vec<&str> = clean.split_whitespace().collect();
    while words.last().is_some_and(|w| is_indicator(w)) && words.len() > 3 {
        words.pop();
    }
    let n = words.len();
    // The timescale's span, and the lead's span after it if any. The timescale either
    // ends the text or is followed by a lead.
    type Found = (usize, usize, Option<(usize, usize)>);
    let mut best: Option<Found> = None;
    for end in (n.saturating_sub(MAX_LEAD_WORDS + 1)..=n).rev() {
        let after = &words[end..];
        if !after.is_empty() && !lead_like(after, ctx) {
            continue;
        }
        for len in (1..=MAX_TIME_WORDS.min(end)).rev() {
            let start = end - len;
            if start < 3 || !time_like(&words[start..end], ctx) {
                continue;
            }
            // "… by March 2021" inside a sentence is the action's own deadline text;
            // a bare timescale cell follows a cell or sentence boundary, a lead, or nothing prose-like.
            let prev = words[start - 1].to_lowercase();
            if matches!(
                prev.as_str(),
                "by" | "in"
                    | "from"
                    | "until"
                    | "to"
                    | "of"
                    | "the"
                    | "and"
                    | "within"
                    | "before"
                    | "after"
                    | "during"
                    | "for"
                    | "on"
                    | "at"
            ) {
                continue;
            }
            let lead = (!after.is_empty()).then_some((end, n));
            best = Some((start, end, lead));
            break;
        }
        if best.is_some() {
            break;
        }
    }
    let (mut cut, timescale, mut lead) = match best {
        Some((s, e, lead)) => (
            s,
            Some(words[s..e].join(" ")),
            lead.map(|(a, b)| words[a..b].join(" ")),
        ),
        None => (n, None, None),
    };
    // A lead printed before the timescale (or alone at the end): the words after the
    // last sentence boundary, when they name a team, role or body.
    if lead.is_none() {
        for len in (1..=MAX_LEAD_WORDS.min(cut.saturating_sub(3))).rev() {
            let s = cut - len;
            let glued = glued_at.get(s).copied().unwrap_or(false);
            // After a lost cell boundary, a short capitalised name needs no lexicon word.
            let named = glued
                && len <= 3
                && words[s].starts_with(|c: char| c.is_uppercase())
                && !time_like(&words[s..cut], ctx);
            if named
                || (lead_like(&words[s..cut], ctx)
                    && (boundary_before(&words, s) || glued || len <= 3 && timescale.is_some()))
            {
                lead = Some(words[s..cut].join(" "));
                cut = s;
                break;
            }
        }
    }
    if timescale.is_none() && lead.is_none() {
        return Tail {
            text: words.join(" "),
            lead: None,
            timescale: None,
            measure: None,
        };
    }
    Tail {
        text: words[..cut].join(" "),
        lead,
        timescale,
        measure: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> DateContext {
        DateContext::default()
    }

    fn check(text: &str, action: &str, lead: Option<&str>, time: Option<&str>) {
        let t = split(text, ctx());
        assert_eq!(
            (t.text.as_str(), t.lead.as_deref(), t.timescale.as_deref()),
            (action, lead, time),
            "{text}"
        );
    }

    #[test]
    fn lead_then_timescale() {
        // Shaped like a decarbonisation plan: ACTION | DELIVERY BY | TIMESCALES.
        check(
            "Develop a water conservation plan. Look at opportunities to reduce water consumption. Property Services Short/Medium/ Long",
            "Develop a water conservation plan. Look at opportunities to reduce water consumption.",
            Some("Property Services"),
            Some("Short/Medium/ Long"),
        );
    }

    #[test]
    fn timescale_then_lead_then_indicator() {
        // Shaped like a climate strategy appendix: … Completion Target | Service Lead | Delivery Indicator.
        check(
            "Embed the targets of the Strategy within the Corporate Plan Priorities and actions incorporated Mar-21Climate Change Team 1",
            "Embed the targets of the Strategy within the Corporate Plan Priorities and actions incorporated",
            Some("Climate Change Team"),
            Some("Mar-21"),
        );
    }

    #[test]
    fn glued_lead_and_date() {
        // Shaped like a climate strategy: ACTION | LEAD | COMPLETION DATE, cells glued.
        check(
            "Review the use of the fleetStreetscene Dec 2022",
            "Review the use of the fleet",
            Some("Streetscene"),
            Some("Dec 2022"),
        );
    }

    #[test]
    fn measure_cells_glued_after_the_lead() {
        // Shaped like a climate action plan: Action | Lead | Performance measure.
        let t = split("Improve the energy efficiency of Council buildings where possible.Head of Parks, Estates and Property#%Reduction in Carbon Emissions", ctx());
        assert_eq!(
            t.text,
            "Improve the energy efficiency of Council buildings where possible."
        );
        assert_eq!(
            t.lead.as_deref(),
            Some("Head of Parks, Estates and Property")
        );
        assert_eq!(
            t.measure.as_deref(),
            Some("#%Reduction in Carbon Emissions")
        );
        // A percentage inside the action is not a measure cell.
        assert_eq!(
            split(
                "Replace 5% of council vehicles with electric vehicles",
                ctx()
            )
            .measure,
            None
        );
    }

    #[test]
    fn deadlines_inside_the_sentence_stay() {
        let t = split("Plant 1,000 trees in the borough by March 2025", ctx());
        assert_eq!(t.timescale, None);
        assert_eq!(t.text, "Plant 1,000 trees in the borough by March 2025");
        let t = split("Work with schools to promote walking and cycling", ctx());
        assert_eq!((t.lead, t.timescale), (None, None));
    }

    #[test]
    fn unglue_splits_only_lost_boundaries() {
        assert_eq!(
            unglue("the fleetStreetscene Dec 2022"),
            "the fleet Streetscene Dec 2022"
        );
        assert_eq!(unglue("Mar-21Finance 1"), "Mar-21 Finance 1");
        assert_eq!(
            unglue("where possible.Head of Parks"),
            "where possible. Head of Parks"
        );
        assert_eq!(
            unglue("McDonald and LEDs in CO2 plans"),
            "McDonald and LEDs in CO2 plans"
        );
    }
}
