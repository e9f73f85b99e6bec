//! PDF parity: each corpus paper rendered to PDF (as plain text and as HTML with
//! bordered tables, `corpus/pdf-rendered/`) must yield the same recommendations and
//! actions as its text version: F1 of at least 0.9 for recommendations, for actions
//! (matched by text and ref), and for actions whose lead and due date agree too;
//! printed per paper with `--nocapture`. The 0.9 target is reported; the test fails
//! only below a floor of 0.6, where the PDF backend is broken rather than different.

use actionplan_model::{Action, Document};
use actionplan_tests::{f1, root, similarity};

fn flatten<'a>(actions: &'a [Action], out: &mut Vec<&'a Action>) {
    for a in actions {
        out.push(a);
        flatten(&a.steps, out);
    }
}

/// Pairs items by text (and ref), greedily best-first; returns the pairs (a, b).
fn pairs(a: &[(Option<&str>, &str)], b: &[(Option<&str>, &str)]) -> Vec<(usize, usize)> {
    let mut used = vec![false; b.len()];
    let mut out = Vec::new();
    for (ia, (ra, ta)) in a.iter().enumerate() {
        let best = b
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, (rb, tb))| {
                (
                    i,
                    similarity(ta, tb) + if ra.is_some() && ra == rb { 0.2 } else { 0.0 },
                )
            })
            .filter(|(_, s)| *s >= 0.7)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, _)) = best {
            used[i] = true;
            out.push((ia, i));
        }
    }
    out
}

fn view(v: &[(Option<String>, String)]) -> Vec<(Option<&str>, &str)> {
    v.iter().map(|(r, t)| (r.as_deref(), t.as_str())).collect()
}

/// Scores of a PDF rendering against the text version of the same paper.
struct Parity {
    /// F1 of recommendations (matched by text and ref).
    recs: f64,
    /// F1 of actions, steps included (matched by text and ref).
    actions: f64,
    /// F1 of actions counting a match only when its lead and due date agree too.
    fields: f64,
}

fn parity(text: &Document, pdf: &Document) -> Parity {
    let recs = |d: &Document| {
        d.recommendations
            .iter()
            .map(|r| (r.reference.clone(), r.text.clone()))
            .collect::<Vec<_>>()
    };
    let acts = |d: &Document| {
        let mut all = Vec::new();
        for r in &d.recommendations {
            flatten(&r.actions, &mut all);
        }
        all.into_iter().cloned().collect::<Vec<Action>>()
    };
    let keys = |v: &[Action]| {
        v.iter()
            .map(|a| (a.reference.clone(), a.text.clone()))
            .collect::<Vec<_>>()
    };
    let (rt, rp) = (recs(text), recs(pdf));
    let (at, ap) = (acts(text), acts(pdf));
    let rm = pairs(&view(&rt), &view(&rp)).len();
    let (kt, kp) = (keys(&at), keys(&ap));
    let matched = pairs(&view(&kt), &view(&kp));
    let due = |a: &Action| a.timescale.as_ref().and_then(|t| t.due.clone());
    let agree = matched
        .iter()
        .filter(|&&(i, j)| {
            let (x, y) = (&at[i], &ap[j]);
            x.reference == y.reference
                && due(x) == due(y)
                && x.lead.len() == y.lead.len()
                && x.lead
                    .iter()
                    .zip(&y.lead)
                    .all(|(l, m)| similarity(l, m) >= 0.8)
        })
        .count();
    Parity {
        recs: f1(rt.len(), rp.len(), rm),
        actions: f1(at.len(), ap.len(), matched.len()),
        fields: f1(at.len(), ap.len(), agree),
    }
}

fn extract(path: &std::path::Path) -> Document {
    actionplan_pipeline::extract_file(path).unwrap_or_else(|e| panic!("{e}"))
}

/// Every rendering of every corpus paper: (paper stem, rendering).
const RENDERINGS: &[(&str, &str)] = &[
    ("kent_2008_jar_action_plan_cfe_committee_report", "html"),
    ("kent_2008_jar_action_plan_cfe_committee_report", "text"),
    (
        "kent_2011_specialist_childrens_services_posc_agenda_pack",
        "html",
    ),
    (
        "kent_2011_specialist_childrens_services_posc_agenda_pack",
        "text",
    ),
    (
        "kingston_2007_jar_enhanced_youth_inspection_action_plan",
        "html",
    ),
    (
        "kingston_2007_jar_enhanced_youth_inspection_action_plan",
        "text",
    ),
    ("leicester_2008_jar_action_plan_cabinet_report", "html"),
    ("leicester_2008_jar_action_plan_cabinet_report", "text"),
    ("telford_wrekin_2008_jar_action_plan", "html"),
    ("telford_wrekin_2008_jar_action_plan", "text"),
];

/// The F1 reported as the parity target for recommendations, actions, and actions
/// with lead and due date agreeing. It is a report, not a gate: the renderings are
/// our own, and real papers are what the code is designed for (`cargo xtask eval`).
const TARGET: f64 = 0.9;

/// Below this the PDF backend is broken, not merely different: the test fails.
const FLOOR: f64 = 0.6;

#[test]
fn pdf_renderings_match_their_text_versions() {
    let mut failures = Vec::new();
    println!(
        "{:<58} {:<5} {:>8} {:>8} {:>12}",
        "paper", "pdf", "recs F1", "acts F1", "+lead+due F1"
    );
    for (stem, kind) in RENDERINGS {
        let text = extract(&root().join("corpus/text").join(format!("{stem}.txt")));
        let pdf = extract(
            &root()
                .join("corpus/pdf-rendered")
                .join(format!("{stem}.{kind}.pdf")),
        );
        let p = parity(&text, &pdf);
        println!(
            "{stem:<58} {kind:<5} {:>8.3} {:>8.3} {:>12.3}",
            p.recs, p.actions, p.fields
        );
        if p.recs < TARGET || p.actions < TARGET || p.fields < TARGET {
            println!("  below the {TARGET} target (reported, not a failure)");
        }
        if p.recs < FLOOR || p.actions < FLOOR || p.fields < FLOOR {
            failures.push(format!(
                "{stem}.{kind}.pdf: recommendations {:.3}, actions {:.3}, with lead and due {:.3} (floor {FLOOR})",
                p.recs, p.actions, p.fields
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "PDF parity regressed:\n{}",
        failures.join("\n")
    );
}
