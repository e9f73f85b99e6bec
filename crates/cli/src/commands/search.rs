//! `actionplan search`: ranked actions and recommendations across councils.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use actionplan_index::{HitKind, ScoredHit, SearchIndex, SearchRequest, SearchResults};

use crate::cli::{ColorChoice, EXIT_NO_MATCH, EXIT_OK};
use crate::commands::index::index_dir;

/// `--kind`: the index's own names of its kinds of entry.
fn kind_parser() -> impl clap::builder::TypedValueParser<Value = HitKind> {
    use clap::builder::TypedValueParser;
    use strum::VariantArray;
    clap::builder::PossibleValuesParser::new(HitKind::VARIANTS.iter().map(|k| k.as_str())).map(
        |name| {
            name.parse::<HitKind>()
                .expect("a possible value names a kind")
        },
    )
}

/// Search the index across councils.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Query syntax:\n  words            any may match; entries matching more of them, closer together, in their\n                   own text rank first. Acronyms and variants are expanded (CAMHS, LAC/CiC,\n                   under-18/u18s, ASD/autism, ...; see data/vocabulary.txt).\n  \"a phrase\"       must appear as written\n  -word -\"phrase\"  must not appear\n\nExamples:\n  actionplan search 'CAMHS under-18 adult ward'\n  actionplan search 'children in care missing school' --council telford\n  actionplan search 'autism' --from 2008 --to 2008-12 --facets\n  actionplan search '' --council kent --timeframe immediate --limit 50\n  actionplan search 'health checks' --lead brightwell --json"
)]
pub struct Args {
    /// What to look for (may be empty when filters say enough).
    pub query: String,
    /// Index directory (default: $ACTIONPLAN_INDEX, else .actionplan/index).
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Only councils whose name contains these words ("kent", "telford").
    #[arg(long, value_name = "NAME")]
    pub council: Option<String>,
    /// Only papers dated on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only papers dated on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only entries with this timeframe, the recommendation's (inherited by its actions) or an
    /// action's own: immediate, short, medium, long, ongoing, recurring, event, complete
    /// (six_months and longer_term, the old names, mean short and long).
    #[arg(long, value_name = "T")]
    pub timeframe: Option<String>,
    /// Only entries whose lead (or their recommendation's lead) contains these words.
    #[arg(long, value_name = "NAME")]
    pub lead: Option<String>,
    /// Only this kind of entry: an action, a step of one, a plan's recommendation, an
    /// ask (what a report asks its meeting: "Members are asked to note …") or a
    /// decision of minutes ("RESOLVED that …").
    #[arg(long, value_parser = kind_parser())]
    pub kind: Option<HitKind>,
    /// Number of results (at most 1000).
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Print the full results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Count all matches by council and by year.
    #[arg(long)]
    pub facets: bool,
}

pub fn run(args: Args, color: ColorChoice) -> anyhow::Result<ExitCode> {
    let dir = index_dir(args.index.as_deref());
    let index = SearchIndex::open(&dir)?;
    // A damaged file can make tantivy abort while decoding; checking first
    // turns that into a clear "corrupt, rebuild" error.
    index.verify()?;
    let limit = if args.limit > actionplan_index::MAX_LIMIT {
        eprintln!(
            "warning: --limit {} is over the maximum of {}; showing at most {}",
            args.limit,
            actionplan_index::MAX_LIMIT,
            actionplan_index::MAX_LIMIT
        );
        actionplan_index::MAX_LIMIT
    } else {
        args.limit
    };
    let query = match actionplan_index::truncate_query(&args.query) {
        Some(q) => {
            eprintln!(
                "warning: query of {} words / {} characters is too long; searching for the first {} words (at most {} characters): {q}",
                args.query.split_whitespace().count(),
                args.query.chars().count(),
                actionplan_index::MAX_QUERY_WORDS,
                actionplan_index::MAX_QUERY_CHARS
            );
            q
        }
        None => args.query.clone(),
    };
    let request = SearchRequest {
        query,
        council: args.council.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
        timeframe: args.timeframe.clone(),
        lead: args.lead.clone(),
        kind: args.kind,
        limit,
        facets: args.facets,
    };
    let results = index.search(&request)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.json {
        let value = serde_json::json!({
            "query": args.query,
            "total": results.total,
            "hits": results.hits,
            "facets": results.facets,
            "undated_left_out": results.undated_left_out,
        });
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else {
        let color = color.enabled(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        );
        print_human(&mut out, &results, color)?;
    }
    out.flush()?;
    if let Some(n) = results.undated_left_out.filter(|n| *n > 0) {
        eprintln!(
            "{n} {} left out by --from/--to: {} paper has no date",
            if n == 1 { "match" } else { "matches" },
            if n == 1 { "its" } else { "their" }
        );
    }
    if results.total == 0 {
        eprintln!("no matches in {}", dir.display());
        return Ok(ExitCode::from(EXIT_NO_MATCH));
    }
    Ok(ExitCode::from(EXIT_OK))
}

fn print_human(out: &mut impl Write, results: &SearchResults, color: bool) -> std::io::Result<()> {
    for h in &results.hits {
        print_hit(out, h, color)?;
    }
    if let Some(f) = &results.facets {
        let line = |list: &[actionplan_index::FacetCount]| {
            list.iter()
                .map(|c| format!("{} {}", c.value, c.count))
                .collect::<Vec<_>>()
                .join(" · ")
        };
        writeln!(out, "matches by council: {}", line(&f.councils))?;
        writeln!(out, "matches by year:    {}", line(&f.years))?;
    }
    if results.total > 0 {
        writeln!(
            out,
            "showing {} of {} matches",
            results.hits.len(),
            results.total
        )?;
    }
    Ok(())
}

fn print_hit(out: &mut impl Write, h: &ScoredHit, color: bool) -> std::io::Result<()> {
    let hit = &h.hit;
    let council = hit
        .document
        .council
        .as_deref()
        .unwrap_or("(council unknown)");
    let date = hit.document.date.as_deref().unwrap_or("(undated)");
    let reference = hit
        .reference
        .as_deref()
        .map(|r| format!(" {r}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{}. {} · {} · {}{}",
        h.rank,
        clean(council),
        clean(date),
        hit.kind.as_str(),
        clean(&reference)
    )?;
    writeln!(out, "   {}", highlight(&h.snippet, color))?;
    let mut facts = Vec::new();
    if !hit.lead.is_empty() {
        facts.push(format!("lead: {}", clean(&hit.lead.join(", "))));
    } else if let Some(l) = &hit.strategic_lead {
        facts.push(format!("lead: {}", clean(l)));
    }
    if let Some(t) = &hit.timescale {
        facts.push(format!("timescale: {}", clean(&t.raw)));
    }
    if let Some(s) = hit.state {
        facts.push(format!("state: {}", s.as_str()));
    }
    if let Some(k) = hit.decision_kind {
        let minute = hit
            .minute
            .as_deref()
            .map(|m| format!(" (minute {})", clean(m)))
            .unwrap_or_default();
        facts.push(format!("decision: {}{minute}", k.as_str()));
    }
    if let Some(t) = hit
        .timeframe_raw
        .clone()
        .or_else(|| hit.timeframe.map(timeframe_label))
    {
        facts.push(format!("timeframe: {}", clean(&t)));
    }
    if !facts.is_empty() {
        writeln!(out, "   {}", facts.join(" · "))?;
    }
    if let Some(p) = hit.parent_action.as_ref().or(hit.recommendation.as_ref()) {
        let label = p
            .reference
            .as_deref()
            .map(|r| format!("{r} "))
            .unwrap_or_default();
        writeln!(
            out,
            "   under: {}{}",
            clean(&label),
            one_line(&clean(&p.text), 100)
        )?;
    }
    writeln!(
        out,
        "   {}, page {}",
        clean(&hit.document.source_path),
        hit.page
    )?;
    const SHOWN: usize = 3;
    if !h.also_in.is_empty() {
        let mut list: Vec<String> = h
            .also_in
            .iter()
            .take(SHOWN)
            .map(|o| format!("{}, page {}", clean(&o.source_path), o.page))
            .collect();
        if h.also_in.len() > SHOWN {
            list.push(format!("{} more", h.also_in.len() - SHOWN));
        }
        writeln!(out, "   also in: {}", list.join("; "))?;
    }
    writeln!(out)
}

/// A timeframe in words, for entries whose paper printed none: "immediate", "short term
/// (up to 6 months)", "long term (from 36 months)", "by the next inspection".
fn timeframe_label(t: actionplan_model::Timeframe) -> String {
    t.to_string()
}

/// The snippet with matches in bold yellow when colour is on, unmarked otherwise
/// (a pipe or a file gets the paper's words, not markup; `--json` has the offsets).
fn highlight(s: &actionplan_index::Snippet, color: bool) -> String {
    let (open, close) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("", "")
    };
    let mut out = String::new();
    let mut at = 0;
    for &(start, end) in &s.highlights {
        let (Some(before), Some(word)) = (s.text.get(at..start), s.text.get(start..end)) else {
            continue;
        };
        out.push_str(&clean(before));
        out.push_str(open);
        out.push_str(&clean(word));
        out.push_str(close);
        at = end;
    }
    out.push_str(&clean(s.text.get(at..).unwrap_or("")));
    one_line(&out, usize::MAX)
}

/// Paper text made safe for a terminal: control characters (escape sequences,
/// carriage returns, bells) become spaces and bidirectional overrides are dropped,
/// so a paper cannot move the cursor, recolour or reorder what is shown.
fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}');
    if !text.chars().any(|c| c.is_control() || bidi(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .filter(|&c| !bidi(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .into()
}

fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_overrides_from_papers_are_not_printed() {
        let hostile = "ok\x1b[2J\x1b]0;pwned\x07 \u{202E}txt.exe\u{202C} done\r";
        let c = clean(hostile);
        assert!(!c.chars().any(|ch| ch.is_control()), "{c:?}");
        assert!(!c.contains('\u{202E}') && !c.contains('\u{202C}'));
        assert!(c.contains("txt.exe") && c.contains("done"));
        assert!(matches!(clean("plain text"), std::borrow::Cow::Borrowed(_)));
        let snippet = actionplan_index::Snippet {
            text: "a\x1b[31mred b".into(),
            highlights: vec![(0, 1)],
        };
        assert_eq!(highlight(&snippet, false), "a [31mred b");
        assert_eq!(highlight(&snippet, true), "\x1b[1;33ma\x1b[0m [31mred b");
    }
}
