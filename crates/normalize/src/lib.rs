//! The normalizer: a format-agnostic [`Layout`] in, a [`Document`] of
//! recommendations and actions out.
//!
//! Invariants: no I/O; never knows which backend produced the layout; never fails
//! (odd input gives fewer items and diagnostics, not errors).

pub mod columns;
pub mod commit;
pub mod decisions;
mod extras;
mod meta;
mod pattern;
pub mod status;
pub mod tail;
pub mod timeframe;
pub mod timescale;
mod walk;
pub mod words;

use actionplan_layout::{Block, Layout};
use actionplan_model::{
    Action, Decision, Diagnostic, Document, Recommendation, Source, SCHEMA_VERSION,
};

use crate::timescale::DateContext;

/// Why each table was or was not read as an action plan, one line each (columns →
/// roles with their evidence), for `actionplan layout --explain`.
pub fn explain(layout: &Layout) -> Vec<String> {
    let split = decisions::split_statement_lines(&layout.blocks);
    let blocks: &[Block] = split.as_deref().unwrap_or(&layout.blocks);
    let date = meta::date(blocks);
    let ctx = date_context(date.as_deref(), blocks);
    let mut walker = walk::Walker::new(ctx);
    walker.walk(blocks);
    walker.explain
}

/// Builds the document for `layout`; `source` and `id` describe the file it came from.
pub fn normalize(layout: &Layout, source: Source, id: String) -> Document {
    // Minutes exported as text: one block per statement line (see the function).
    let split = decisions::split_statement_lines(&layout.blocks);
    let blocks: &[Block] = split.as_deref().unwrap_or(&layout.blocks);
    let date = meta::date(blocks);
    let ctx = date_context(date.as_deref(), blocks);
    let title = meta::title(blocks);
    let papers = meta::papers(blocks, ctx, title.as_deref());

    let mut walker = walk::Walker::new(ctx);
    walker.walk(blocks);
    let mut diagnostics: Vec<Diagnostic> = layout
        .notes
        .iter()
        .map(|n| Diagnostic {
            page: n.page,
            message: n.message.clone(),
        })
        .collect();

    let mut recommendations = Vec::new();
    for mut d in walker.drafts {
        // An action must say something: a stray number or symbol is layout debris.
        d.rec
            .actions
            .retain(|a| a.text.chars().any(char::is_alphabetic) || !a.steps.is_empty());
        // Sections that promised actions but held none, and labels that never got text.
        let empty_list = words::action_list_intro(&d.rec.text);
        if (d.provisional || empty_list || d.rec.text.trim().is_empty()) && d.rec.actions.is_empty()
        {
            continue;
        }
        let mut rec = d.rec;
        rec.paper = papers.iter().rposition(|(start, _)| *start <= d.block);
        recommendations.push(rec);
    }
    dedupe(&mut recommendations);
    finish(&mut recommendations);
    let decisions = decisions_of(blocks, &papers, &recommendations);
    if recommendations.is_empty() {
        diagnostics.push(Diagnostic {
            page: None,
            message: "no recommendations or actions found".into(),
        });
    }

    Document {
        schema_version: SCHEMA_VERSION,
        id,
        source,
        council: meta::council(blocks),
        title,
        date,
        committee: meta::committee(blocks),
        papers: papers.into_iter().map(|(_, p)| p).collect(),
        recommendations,
        decisions,
        grades: extras::grades(blocks),
        glossary: extras::glossary(blocks),
        diagnostics,
    }
}

/// The decisions of minutes, numbered, each with its paper and the actions it gave
/// (an action read from the decision's own words, on its page).
fn decisions_of(
    blocks: &[Block],
    papers: &[(usize, actionplan_model::Paper)],
    recs: &[Recommendation],
) -> Vec<Decision> {
    let mut out = Vec::new();
    for (n, f) in decisions::find(blocks).into_iter().enumerate() {
        let mut d = f.decision;
        d.id = format!("d{}", n + 1);
        d.paper = papers.iter().rposition(|(start, _)| *start <= f.block);
        let decided = d.text.to_lowercase();
        for rec in recs {
            for a in rec.actions.iter().filter(|a| a.page == d.page) {
                let text = a.text.to_lowercase();
                let same = !text.is_empty()
                    && (decided.contains(&text)
                        || text.contains(&decided)
                        || words::similarity(&text, &decided) >= 0.6);
                if same {
                    d.actions.push(a.id.clone());
                }
            }
        }
        out.push(d);
    }
    out
}

/// The year two-digit and missing years resolve against: the paper's date, else the
/// first plausible four-digit year in the text.
fn date_context(date: Option<&str>, blocks: &[Block]) -> DateContext {
    let from_date = date.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok());
    let month = date.and_then(|d| d.get(5..7)).and_then(|m| m.parse().ok());
    let year = from_date.or_else(|| {
        blocks.iter().take(200).find_map(|b| {
            let t = b.kind.text();
            t.split(|c: char| !c.is_ascii_digit())
                .filter(|w| w.len() == 4)
                .filter_map(|w| w.parse::<i32>().ok())
                .find(|y| (1990..=2100).contains(y))
        })
    });
    DateContext { year, month }
}

/// A report that states its recommendations twice (summary and end) lists each once.
fn dedupe(recs: &mut Vec<Recommendation>) {
    let mut seen: Vec<(Option<usize>, String, Option<String>)> = Vec::new();
    recs.retain(|r| {
        if !r.actions.is_empty() {
            return true;
        }
        let key = (r.paper, r.text.to_lowercase(), r.reference.clone());
        let repeat = seen.iter().any(|(paper, text, reference)| {
            *paper == key.0 && *reference == key.2 && words::similarity(text, &key.1) >= 0.8
        });
        if repeat {
            return false;
        }
        seen.push(key);
        true
    });
}

/// Ids, inheritance of recommendation-level measures, and roll-up of steps into
/// actions that state nothing of their own.
fn finish(recs: &mut [Recommendation]) {
    for (ri, rec) in recs.iter_mut().enumerate() {
        rec.id = format!("r{}", ri + 1);
        let rec_measures = rec.measures.clone();
        for (ai, a) in rec.actions.iter_mut().enumerate() {
            let id = format!("{}.a{}", rec.id, ai + 1);
            roll_up(a, &id);
            status::set_state(a);
            if a.measures.is_empty() {
                a.measures = rec_measures.clone();
            }
        }
    }
}

fn roll_up(a: &mut Action, id: &str) {
    a.id = id.to_owned();
    for (si, s) in a.steps.iter_mut().enumerate() {
        roll_up(s, &format!("{id}.s{}", si + 1));
    }
    if a.steps.is_empty() {
        return;
    }
    if a.timescale.is_none() {
        a.timescale = walk::combine_timescales(&a.steps);
    }
    for s in &a.steps {
        for p in &s.partners {
            if !a.partners.contains(p) && !a.lead.contains(p) {
                a.partners.push(p.clone());
            }
        }
    }
    // Whoever leads a step is involved in the action; the action's own lead is only
    // what the paper names for it.
    for s in &a.steps {
        for l in &s.lead {
            if !a.lead.contains(l) && !a.partners.contains(l) {
                a.partners.push(l.clone());
            }
        }
    }
    if a.resources.is_none() {
        let r: Vec<String> =
            a.steps
                .iter()
                .filter_map(|s| s.resources.clone())
                .fold(Vec::new(), |mut v, x| {
                    if !v.contains(&x) {
                        v.push(x);
                    }
                    v
                });
        if !r.is_empty() {
            a.resources = Some(r.join("; "));
        }
    }
    if a.measures.is_empty() {
        for s in &a.steps {
            for m in &s.measures {
                if !a.measures.contains(m) {
                    a.measures.push(m.clone());
                }
            }
        }
    }
}
