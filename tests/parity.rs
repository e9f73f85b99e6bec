//! PDF parity: each corpus paper rendered to PDF (as plain text and as HTML with
//! bordered tables, `corpus/pdf-rendered/`) must yield the same recommendations and
//! actions as its text version: F1 of at least 0.9 for each, printed per paper with
//! `--nocapture`.

use actionplan_model::{Action, Document};
use actionplan_tests::{f1, root, similarity};

fn flatten<'a>(actions: &'a [Action], out: &mut Vec<&'a Action>) {
    for a in actions {
        out.push(a);
        flatten(&a.steps, out);
    }
}

/// Pairs items by text (and ref), greedily best-first; returns the number matched.
fn matched(a: &[(Option<&str>, &str)], b: &[(Option<&str>, &str)]) -> usize {
    let mut used = vec![false; b.len()];
    let mut n = 0;
    for (ra, ta) in a {
        let best = b
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, (rb, tb))| (i, similarity(ta, tb) + if ra.is_some() && ra == rb { 0.2 } else { 0.0 }))
            .filter(|(_, s)| *s >= 0.7)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        if let Some((i, _)) = best {
            used[i] = true;
            n += 1;
        }
    }
    n
}

fn view(v: &[(Option<String>, String)]) -> Vec<(Option<&str>, &str)> {
    v.iter().map(|(r, t)| (r.as_deref(), t.as_str())).collect()
}

/// F1 of recommendations and actions (steps included) of `pdf` against `text`.
fn parity(text: &Document, pdf: &Document) -> (f64, f64) {
    let recs = |d: &Document| d.recommendations.iter().map(|r| (r.reference.clone(), r.text.clone())).collect::<Vec<_>>();
    let acts = |d: &Document| {
        let mut all = Vec::new();
        for r in &d.recommendations {
            flatten(&r.actions, &mut all);
        }
        all.into_iter().map(|a| (a.reference.clone(), a.text.clone())).collect::<Vec<_>>()
    };
    let (rt, rp) = (recs(text), recs(pdf));
    let (at, ap) = (acts(text), acts(pdf));
    let rm = matched(&view(&rt), &view(&rp));
    let am = matched(&view(&at), &view(&ap));
    (f1(rt.len(), rp.len(), rm), f1(at.len(), ap.len(), am))
}

fn extract(path: &std::path::Path) -> Document {
    actionplan_pipeline::extract_file(path).unwrap_or_else(|e| panic!("{e}"))
}

/// (paper stem, rendering, minimum recommendations F1, minimum actions F1): the
/// target of 0.9 for every rendering of every corpus paper.
const FLOORS: &[(&str, &str, f64, f64)] = &[
    ("kent_2008_jar_action_plan_cfe_committee_report", "html", 0.9, 0.9),
    ("kent_2008_jar_action_plan_cfe_committee_report", "text", 0.9, 0.9),
    ("kent_2011_specialist_childrens_services_posc_agenda_pack", "html", 0.9, 0.9),
    ("kent_2011_specialist_childrens_services_posc_agenda_pack", "text", 0.9, 0.9),
    ("kingston_2007_jar_enhanced_youth_inspection_action_plan", "html", 0.9, 0.9),
    ("kingston_2007_jar_enhanced_youth_inspection_action_plan", "text", 0.9, 0.9),
    ("leicester_2008_jar_action_plan_cabinet_report", "html", 0.9, 0.9),
    ("leicester_2008_jar_action_plan_cabinet_report", "text", 0.9, 0.9),
    ("telford_wrekin_2008_jar_action_plan", "html", 0.9, 0.9),
    ("telford_wrekin_2008_jar_action_plan", "text", 0.9, 0.9),
];

#[test]
fn pdf_renderings_match_their_text_versions() {
    let mut failures = Vec::new();
    println!("{:<58} {:<5} {:>9} {:>9}", "paper", "pdf", "recs F1", "acts F1");
    for (stem, kind, min_recs, min_acts) in FLOORS {
        let text = extract(&root().join("corpus/text").join(format!("{stem}.txt")));
        let pdf = extract(&root().join("corpus/pdf-rendered").join(format!("{stem}.{kind}.pdf")));
        let (r, a) = parity(&text, &pdf);
        println!("{stem:<58} {kind:<5} {r:>9.3} {a:>9.3}");
        if r < *min_recs || a < *min_acts {
            failures.push(format!("{stem}.{kind}.pdf: recommendations F1 {r:.3} (floor {min_recs}), actions F1 {a:.3} (floor {min_acts})"));
        }
    }
    assert!(failures.is_empty(), "PDF parity regressed:\n{}", failures.join("\n"));
}
