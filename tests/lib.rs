//! Helpers for the corpus tests: loading hand-written expectations and comparing
//! extracted documents with them field by field, with a readable report.
//!
//! Expectations live in `fixtures/expected/<paper stem>.json`; each was written from
//! a reading of the paper, never from the program's output (see fixtures/README.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use actionplan_model::{Action, Document, Recommendation};
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Lower-cased word tokens, quotes and dashes folded.
pub fn tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['’', '‘'], "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Dice similarity of two texts' words, 0.0–1.0 (the normalizer's own measure).
pub use actionplan_normalize::words::similarity;

/// Texts that say the same thing (formatting aside).
pub fn same_text(a: &str, b: &str) -> bool {
    similarity(a, b) >= 0.85
}

/// Tallies and findings of one comparison.
#[derive(Debug, Default)]
pub struct Report {
    pub expected_recs: usize,
    pub found_recs: usize,
    pub matched_recs: usize,
    pub expected_actions: usize,
    pub found_actions: usize,
    pub matched_actions: usize,
    pub fields_checked: usize,
    pub fields_right: usize,
    pub findings: Vec<String>,
}

/// F1 of `matched` items out of `expected` and `found` (1.0 when both are empty).
pub fn f1(expected: usize, found: usize, matched: usize) -> f64 {
    if expected == 0 && found == 0 {
        return 1.0;
    }
    let p = if found == 0 {
        0.0
    } else {
        matched as f64 / found as f64
    };
    let r = if expected == 0 {
        0.0
    } else {
        matched as f64 / expected as f64
    };
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

impl Report {
    pub fn rec_f1(&self) -> f64 {
        f1(self.expected_recs, self.found_recs, self.matched_recs)
    }
    pub fn action_f1(&self) -> f64 {
        f1(
            self.expected_actions,
            self.found_actions,
            self.matched_actions,
        )
    }
    pub fn field_accuracy(&self) -> f64 {
        if self.fields_checked == 0 {
            1.0
        } else {
            self.fields_right as f64 / self.fields_checked as f64
        }
    }
    pub fn summary(&self) -> String {
        format!(
            "recommendations F1 {:.3} ({}/{} expected, {} found); actions+steps F1 {:.3} ({}/{} expected, {} found); fields {:.3} ({}/{})",
            self.rec_f1(),
            self.matched_recs,
            self.expected_recs,
            self.found_recs,
            self.action_f1(),
            self.matched_actions,
            self.expected_actions,
            self.found_actions,
            self.field_accuracy(),
            self.fields_right,
            self.fields_checked
        )
    }

    fn check(
        &mut self,
        what: &str,
        ok: bool,
        expected: &dyn std::fmt::Debug,
        got: &dyn std::fmt::Debug,
    ) {
        self.fields_checked += 1;
        if ok {
            self.fields_right += 1;
        } else {
            self.findings
                .push(format!("{what}: expected {expected:?}, got {got:?}"));
        }
    }
}

fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn count_actions(actions: &[Action]) -> usize {
    actions.iter().map(|a| 1 + count_actions(&a.steps)).sum()
}

fn count_expected(actions: &[Value]) -> usize {
    actions
        .iter()
        .map(|a| 1 + count_expected(arr(a, "steps")))
        .sum()
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Pairs expected items with extracted ones in order: by reference and text.
fn align<T>(
    expected: &[Value],
    found: &[T],
    text: impl Fn(&T) -> &str,
    reference: impl Fn(&T) -> Option<&str>,
) -> Vec<Option<usize>> {
    let mut used = vec![false; found.len()];
    let mut out = Vec::new();
    for e in expected {
        let etext = opt_str(e, "text").unwrap_or_default();
        let eref = opt_str(e, "ref");
        let mut best: Option<(usize, f64)> = None;
        for (i, f) in found.iter().enumerate() {
            if used[i] {
                continue;
            }
            let mut score = similarity(&etext, text(f));
            let same_ref = eref.is_some() && eref.as_deref() == reference(f);
            if same_ref {
                score += 0.3;
            }
            let good = score >= 0.6 || (same_ref && score >= 0.45);
            if good && best.is_none_or(|(_, s)| score > s) {
                best = Some((i, score));
            }
        }
        if let Some((i, _)) = best {
            used[i] = true;
        }
        out.push(best.map(|(i, _)| i));
    }
    out
}

/// Compares a document with its expectation.
pub fn compare(doc: &Document, expected: &Value) -> Report {
    let mut r = Report::default();
    for key in ["council", "date"] {
        if let Some(e) = expected.get(key) {
            let got = match key {
                "council" => doc.council.clone(),
                _ => doc.date.clone(),
            };
            let e = e.as_str().map(str::to_owned);
            let ok = match (&e, &got) {
                (Some(a), Some(b)) => key == "date" && a == b || key != "date" && same_text(a, b),
                (None, None) => true,
                _ => false,
            };
            r.check(key, ok, &e, &got);
        }
    }
    if let Some(grades) = expected.get("grades").and_then(Value::as_array) {
        let want: Vec<(String, u64)> = grades
            .iter()
            .map(|g| {
                (
                    opt_str(g, "area").unwrap_or_default(),
                    g.get("grade").and_then(Value::as_u64).unwrap_or(0),
                )
            })
            .collect();
        let got: Vec<(String, u64)> = doc
            .grades
            .iter()
            .map(|g| (g.area.clone(), g.grade as u64))
            .collect();
        // Same judgements, each area named alike (formatting and stray words aside).
        let covered = |a: &[(String, u64)], b: &[(String, u64)]| {
            a.iter()
                .all(|(area, g)| b.iter().any(|(x, h)| g == h && same_text(area, x)))
        };
        r.check(
            "grades",
            want.len() == got.len() && covered(&want, &got) && covered(&got, &want),
            &want,
            &got,
        );
    }
    if let Some(terms) = expected.get("glossary_terms").and_then(Value::as_array) {
        let mut want: Vec<&str> = terms.iter().filter_map(Value::as_str).collect();
        let mut got: Vec<&str> = doc.glossary.iter().map(|g| g.term.as_str()).collect();
        want.sort();
        got.sort();
        r.check("glossary terms", want == got, &want, &got);
    }
    let erecs = arr(expected, "recommendations");
    r.expected_recs = erecs.len();
    r.found_recs = doc.recommendations.len();
    r.expected_actions = erecs
        .iter()
        .map(|e| count_expected(arr(e, "actions")))
        .sum();
    r.found_actions = doc
        .recommendations
        .iter()
        .map(|x| count_actions(&x.actions))
        .sum();
    let pairs = align(
        erecs,
        &doc.recommendations,
        |x: &Recommendation| x.text.as_str(),
        |x| x.reference.as_deref(),
    );
    let mut matched = vec![false; doc.recommendations.len()];
    for (e, m) in erecs.iter().zip(&pairs) {
        let label = format!(
            "recommendation {:?} {:?}",
            opt_str(e, "ref"),
            short(&opt_str(e, "text").unwrap_or_default())
        );
        let Some(i) = *m else {
            r.findings.push(format!("MISSING {label}"));
            continue;
        };
        matched[i] = true;
        r.matched_recs += 1;
        let got = &doc.recommendations[i];
        compare_rec(&mut r, &label, e, got);
    }
    for (i, rec) in doc.recommendations.iter().enumerate() {
        if !matched[i] {
            r.findings.push(format!(
                "EXTRA recommendation {:?} {:?} (page {})",
                rec.reference,
                short(&rec.text),
                rec.page
            ));
        }
    }
    r
}

fn short(t: &str) -> String {
    t.chars().take(70).collect()
}

fn same_opt(e: Option<String>, g: Option<&str>) -> bool {
    match (e.as_deref(), g) {
        (None, None) => true,
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b) || same_text(a, b),
        _ => false,
    }
}

fn compare_rec(r: &mut Report, label: &str, e: &Value, got: &Recommendation) {
    if e.get("ref").is_some() {
        let want = opt_str(e, "ref");
        r.check(
            &format!("{label}: ref"),
            want.as_deref() == got.reference.as_deref(),
            &want,
            &got.reference,
        );
    }
    if e.get("timeframe").is_some() {
        let want = opt_str(e, "timeframe");
        // Expectations name timeframes as schema version 1 did ("immediate", "six_months", "longer_term").
        let have = got.timeframe.and_then(|t| t.v1_name()).map(str::to_owned);
        r.check(&format!("{label}: timeframe"), want == have, &want, &have);
    }
    for key in ["addressee", "lead"] {
        if e.get(key).is_some() {
            let want = opt_str(e, key);
            let have = if key == "lead" {
                got.lead.as_deref()
            } else {
                got.addressee.as_deref()
            };
            r.check(
                &format!("{label}: {key}"),
                same_opt(want.clone(), have),
                &want,
                &have,
            );
        }
    }
    compare_actions(r, label, arr(e, "actions"), &got.actions);
}

fn compare_actions(r: &mut Report, parent: &str, expected: &[Value], got: &[Action]) {
    let pairs = align(
        expected,
        got,
        |a: &Action| a.text.as_str(),
        |a| a.reference.as_deref(),
    );
    let mut used = vec![false; got.len()];
    for (e, m) in expected.iter().zip(&pairs) {
        let label = format!(
            "{parent} / action {:?} {:?}",
            opt_str(e, "ref"),
            short(&opt_str(e, "text").unwrap_or_default())
        );
        let Some(i) = *m else {
            r.findings.push(format!("MISSING {label}"));
            continue;
        };
        used[i] = true;
        r.matched_actions += 1;
        let a = &got[i];
        if e.get("ref").is_some() {
            let want = opt_str(e, "ref");
            r.check(
                &format!("{label}: ref"),
                want.as_deref() == a.reference.as_deref(),
                &want,
                &a.reference,
            );
        }
        if let Some(lead) = e.get("lead").and_then(Value::as_array) {
            let want: Vec<String> = lead
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect();
            // Every expected lead is named (formatting aside); extra detail is allowed.
            let ok = want.iter().all(|w| {
                a.lead
                    .iter()
                    .any(|l| same_text(w, l) || tokens(l).join(" ").contains(&tokens(w).join(" ")))
            }) && (want.is_empty() == a.lead.is_empty());
            r.check(&format!("{label}: lead"), ok, &want, &a.lead);
        }
        if e.get("due").is_some() {
            let want = opt_str(e, "due");
            let have = a.timescale.as_ref().and_then(|t| t.due.clone());
            // A more precise date that agrees with the expectation is right ("2009-03" for "2009").
            let ok = match (&want, &have) {
                (Some(w), Some(h)) => h.starts_with(w.as_str()),
                (w, h) => w == h,
            };
            r.check(&format!("{label}: due"), ok, &want, &have);
        }
        if let Some(raw) = e.get("timescale_raw") {
            if let Some(want) = raw.as_str() {
                let have = a.timescale.as_ref().map(|t| t.raw.clone());
                let ok = have.as_deref().is_some_and(|h| similarity(want, h) >= 0.7);
                r.check(&format!("{label}: timescale"), ok, &want, &have);
            }
        }
        compare_actions(r, &label, arr(e, "steps"), &a.steps);
    }
    for (i, a) in got.iter().enumerate() {
        if !used[i] {
            r.findings.push(format!(
                "EXTRA {parent} / action {:?} {:?} (page {})",
                a.reference,
                short(&a.text),
                a.page
            ));
        }
    }
}

/// Extracts the paper an expectation names and compares; returns the report text.
pub fn check_paper(expectation: &Path) -> Result<(Report, String), String> {
    let text = std::fs::read_to_string(expectation)
        .map_err(|e| format!("{}: {e}", expectation.display()))?;
    let expected: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", expectation.display()))?;
    let source = opt_str(&expected, "source")
        .ok_or_else(|| format!("{}: no \"source\"", expectation.display()))?;
    let doc =
        actionplan_pipeline::extract_file(&root().join(&source)).map_err(|e| e.to_string())?;
    let report = compare(&doc, &expected);
    let mut out = String::new();
    let _ = writeln!(out, "{source}: {}", report.summary());
    for f in &report.findings {
        let _ = writeln!(out, "  - {f}");
    }
    Ok((report, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_formatting_blind() {
        assert!(same_text(
            "Children’s  Services, plan.",
            "children's services plan"
        ));
        assert!(similarity("a b c d", "w x y z") < 0.1);
        assert_eq!(f1(10, 10, 10), 1.0);
        assert_eq!(f1(10, 0, 0), 0.0);
    }
}
