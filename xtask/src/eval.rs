//! `cargo xtask eval`: scores every corpus paper against what a careful reader found
//! in it (`fixtures/eval/*.json`, and the golden expectations in `fixtures/expected/`),
//! and prints one table: recall and precision of recommendations and actions, and
//! field accuracy (lead, timescale, due) over matched actions.
//!
//! Matching is by words, not by exact text, because exports glue and break words: an
//! extracted item matches an expected one when it holds at least 60% of the expected
//! text's first 25 content words (40% when the refs agree). Where an expectation lists
//! only a sample (`complete: false`), precision is estimated from the paper's total.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use actionplan_model::{Action, Document};
use anyhow::{bail, Context};
use serde_json::Value;

/// One expected or extracted item, reduced to what is scored.
#[derive(Debug, Clone, Default)]
struct Item {
    reference: Option<String>,
    text: String,
    lead: Option<String>,
    timescale: Option<String>,
    due: Option<String>,
    /// For decisions: the kind ("noted", "agreed", …).
    kind: Option<String>,
}

/// Expected items of one kind in one paper.
#[derive(Debug, Default)]
struct Expected {
    total: usize,
    complete: bool,
    items: Vec<Item>,
}

/// The score of one kind of item in one paper.
#[derive(Debug, Default, Clone, Copy)]
struct Score {
    expected_total: usize,
    extracted: usize,
    matched: usize,
    recall: f64,
    precision: f64,
}

impl Score {
    fn f1(&self) -> f64 {
        if self.recall + self.precision == 0.0 {
            0.0
        } else {
            2.0 * self.recall * self.precision / (self.recall + self.precision)
        }
    }
}

/// Field accuracy over matched actions: (right, checked) per field.
#[derive(Debug, Default, Clone, Copy)]
struct Fields {
    lead: (usize, usize),
    timescale: (usize, usize),
    due: (usize, usize),
}

struct PaperResult {
    name: String,
    set: &'static str,
    recs: Score,
    actions: Score,
    fields: Fields,
    /// Decisions of minutes, when the expectation lists them.
    decisions: Option<Score>,
    /// Matched decisions whose kind is right: (right, checked).
    decision_kinds: (usize, usize),
    misses: Vec<String>,
    /// Extracted actions that match nothing expected, when the expectation is complete.
    extras: Vec<String>,
}

const STOP: &[&str] = &[
    "the", "and", "for", "with", "that", "this", "from", "are", "will", "our", "all", "its",
    "into", "have", "has", "was", "were", "their", "which", "who", "been", "not", "but", "any",
    "can", "out", "per", "via",
];

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && !STOP.contains(w))
        .map(str::to_owned)
        .collect()
}

/// Share of `expected`'s first 25 content words found in `got`.
fn overlap(expected: &str, got: &HashSet<String>, got_joined: &str) -> f64 {
    let want: Vec<String> = words(expected).into_iter().take(25).collect();
    if want.is_empty() {
        return 0.0;
    }
    // A word glued to its neighbours in the export still counts when it appears inside.
    let found = want
        .iter()
        .filter(|w| got.contains(*w) || (w.len() >= 5 && got_joined.contains(w.as_str())))
        .count();
    found as f64 / want.len() as f64
}

fn norm_ref(r: &str) -> String {
    r.trim()
        .trim_end_matches(['.', ')'])
        .trim_start_matches('(')
        .to_lowercase()
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Array(a) => {
            let parts: Vec<String> = a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" / "))
        }
        _ => None,
    }
}

fn item_of(v: &Value) -> Item {
    Item {
        reference: str_field(v, "ref"),
        text: str_field(v, "text").unwrap_or_default(),
        lead: str_field(v, "lead"),
        timescale: str_field(v, "timescale").or_else(|| str_field(v, "timescale_raw")),
        due: str_field(v, "due"),
        kind: str_field(v, "kind"),
    }
}

fn expected_of(v: Option<&Value>) -> Expected {
    let Some(v) = v else {
        return Expected {
            complete: true,
            ..Default::default()
        };
    };
    let items: Vec<Item> = v
        .get("items")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(item_of).collect())
        .unwrap_or_default();
    Expected {
        total: v
            .get("total")
            .and_then(Value::as_u64)
            .map(|n| n as usize)
            .unwrap_or(items.len()),
        complete: v.get("complete").and_then(Value::as_bool).unwrap_or(true),
        items,
    }
}

/// Golden expectations (`fixtures/expected/`) nest actions and steps under
/// recommendations; every one of them is listed, so they are complete.
fn from_golden(v: &Value) -> (Expected, Expected) {
    fn walk_actions(a: &Value, out: &mut Vec<Item>) {
        out.push(item_of(a));
        for s in a
            .get("steps")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk_actions(s, out);
        }
    }
    let mut recs = Vec::new();
    let mut actions = Vec::new();
    for r in v
        .get("recommendations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        recs.push(item_of(r));
        for a in r
            .get("actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            walk_actions(a, &mut actions);
        }
    }
    let e = |items: Vec<Item>| Expected {
        total: items.len(),
        complete: true,
        items,
    };
    (e(recs), e(actions))
}

fn extracted_actions(doc: &Document) -> Vec<Item> {
    fn push(a: &Action, out: &mut Vec<Item>) {
        out.push(Item {
            reference: a.reference.clone(),
            text: a.text.clone(),
            lead: (!a.lead.is_empty()).then(|| a.lead.join(" / ")),
            timescale: a.timescale.as_ref().map(|t| t.raw.clone()),
            due: a.timescale.as_ref().and_then(|t| t.due.clone()),
            kind: None,
        });
        for s in &a.steps {
            push(s, out);
        }
    }
    let mut out = Vec::new();
    for r in &doc.recommendations {
        for a in &r.actions {
            push(a, &mut out);
        }
    }
    out
}

fn extracted_decisions(doc: &Document) -> Vec<Item> {
    doc.decisions
        .iter()
        .map(|d| Item {
            reference: d.reference.clone(),
            text: d.text.clone(),
            kind: Some(d.kind.as_str().to_owned()),
            ..Default::default()
        })
        .collect()
}

/// Recommendations proper: those stated as such (with a ref, or with no actions);
/// a heading that only groups actions is not one.
fn extracted_recs(doc: &Document) -> Vec<Item> {
    doc.recommendations
        .iter()
        .filter(|r| r.reference.is_some() || r.actions.is_empty() || r.list.is_some())
        .map(|r| Item {
            reference: r.reference.clone(),
            text: r.text.clone(),
            ..Default::default()
        })
        .collect()
}

/// Pairs expected with extracted items; returns the pairs (expected index, extracted index).
fn pair(expected: &[Item], got: &[Item]) -> Vec<(usize, usize)> {
    let sets: Vec<(HashSet<String>, String)> = got
        .iter()
        .map(|g| {
            (
                words(&g.text).into_iter().collect(),
                g.text
                    .to_lowercase()
                    .replace(|c: char| !c.is_alphanumeric(), ""),
            )
        })
        .collect();
    let mut used = vec![false; got.len()];
    let mut pairs = Vec::new();
    for (ei, e) in expected.iter().enumerate() {
        let mut best: Option<(usize, f64)> = None;
        for (gi, g) in got.iter().enumerate() {
            if used[gi] {
                continue;
            }
            let s = overlap(&e.text, &sets[gi].0, &sets[gi].1);
            let same_ref = matches!((&e.reference, &g.reference), (Some(a), Some(b)) if norm_ref(a) == norm_ref(b));
            let ok = s >= 0.6 || (same_ref && s >= 0.4);
            let s = s + if same_ref { 0.1 } else { 0.0 };
            if ok && best.is_none_or(|(_, b)| s > b) {
                best = Some((gi, s));
            }
        }
        if let Some((gi, _)) = best {
            used[gi] = true;
            pairs.push((ei, gi));
        }
    }
    pairs
}

fn score(expected: &Expected, got: &[Item], pairs: &[(usize, usize)]) -> Score {
    let listed = expected.items.len();
    let matched = pairs.len();
    let recall = if listed == 0 {
        if got.is_empty() {
            1.0
        } else {
            0.0
        }
    } else {
        matched as f64 / listed as f64
    };
    let precision = if got.is_empty() {
        if expected.total == 0 {
            1.0
        } else {
            0.0
        }
    } else if expected.complete {
        matched as f64 / got.len() as f64
    } else {
        (recall * expected.total as f64 / got.len() as f64).min(1.0)
    };
    let recall = if listed == 0 && expected.total == 0 {
        if got.is_empty() {
            1.0
        } else {
            0.0
        }
    } else {
        recall
    };
    Score {
        expected_total: expected.total,
        extracted: got.len(),
        matched,
        recall,
        precision,
    }
}

fn lead_ok(want: &str, got: Option<&String>) -> bool {
    let Some(got) = got else { return false };
    let w = words(want);
    if w.is_empty() {
        return got.trim().eq_ignore_ascii_case(want.trim());
    }
    let g: HashSet<String> = words(got).into_iter().collect();
    let joined = got
        .to_lowercase()
        .replace(|c: char| !c.is_alphanumeric(), "");
    let found = w
        .iter()
        .filter(|x| g.contains(*x) || joined.contains(x.as_str()))
        .count();
    found * 2 >= w.len()
}

fn fields(expected: &[Item], got: &[Item], pairs: &[(usize, usize)]) -> Fields {
    let mut f = Fields::default();
    for &(ei, gi) in pairs {
        let (e, g) = (&expected[ei], &got[gi]);
        if let Some(l) = &e.lead {
            f.lead.1 += 1;
            f.lead.0 += lead_ok(l, g.lead.as_ref()) as usize;
        }
        if let Some(t) = &e.timescale {
            f.timescale.1 += 1;
            f.timescale.0 += lead_ok(t, g.timescale.as_ref()) as usize;
        }
        if let Some(d) = &e.due {
            f.due.1 += 1;
            f.due.0 += (g.due.as_deref() == Some(d.as_str())) as usize;
        }
    }
    f
}

fn evaluate(
    root: &Path,
    file: &Path,
    set: &'static str,
    golden: bool,
) -> anyhow::Result<PaperResult> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("{}: cannot read", file.display()))?;
    let v: Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", file.display()))?;
    let source = v
        .get("source")
        .and_then(Value::as_str)
        .with_context(|| format!("{}: no source", file.display()))?;
    let (recs_exp, actions_exp) = if golden {
        from_golden(&v)
    } else {
        (
            expected_of(v.get("recommendations")),
            expected_of(v.get("actions")),
        )
    };
    let doc = actionplan_pipeline::extract_file(&root.join(source))
        .with_context(|| format!("{source}: extraction failed"))?;
    let decisions_exp = v.get("decisions").map(|d| expected_of(Some(d)));
    let got_decisions = extracted_decisions(&doc);
    let mut decision_misses = Vec::new();
    let (decisions, decision_kinds) = match &decisions_exp {
        Some(e) => {
            let dp = pair(&e.items, &got_decisions);
            let (found, paired): (HashSet<usize>, HashSet<usize>) = dp.iter().copied().unzip();
            let short = |i: &Item| {
                format!(
                    "{} {}",
                    i.reference.clone().unwrap_or_default(),
                    i.text.chars().take(70).collect::<String>()
                )
            };
            for (_, x) in e
                .items
                .iter()
                .enumerate()
                .filter(|(k, _)| !found.contains(k))
            {
                decision_misses.push(format!("decision missed: {}", short(x)));
            }
            if e.complete {
                for (_, x) in got_decisions
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !paired.contains(k))
                {
                    decision_misses.push(format!("decision extra: {}", short(x)));
                }
            }
            let kinds = dp.iter().fold((0, 0), |(right, checked), &(ei, gi)| {
                match &e.items[ei].kind {
                    Some(k) => (
                        right + (got_decisions[gi].kind.as_deref() == Some(k.as_str())) as usize,
                        checked + 1,
                    ),
                    None => (right, checked),
                }
            });
            (Some(score(e, &got_decisions, &dp)), kinds)
        }
        None => (None, (0, 0)),
    };
    let got_recs = extracted_recs(&doc);
    let got_actions = extracted_actions(&doc);
    let rp = pair(&recs_exp.items, &got_recs);
    let ap = pair(&actions_exp.items, &got_actions);
    let matched: HashSet<usize> = ap.iter().map(|p| p.0).collect();
    let misses: Vec<String> = actions_exp
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched.contains(i))
        .map(|(_, e)| {
            format!(
                "action missed: {} {}",
                e.reference.clone().unwrap_or_default(),
                e.text.chars().take(70).collect::<String>()
            )
        })
        .collect();
    let paired: HashSet<usize> = ap.iter().map(|p| p.1).collect();
    let extras = if actions_exp.complete {
        got_actions
            .iter()
            .enumerate()
            .filter(|(i, _)| !paired.contains(i))
            .map(|(_, g)| {
                format!(
                    "{} {}",
                    g.reference.clone().unwrap_or_default(),
                    g.text.chars().take(70).collect::<String>()
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let name = Path::new(source)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(source)
        .to_owned();
    Ok(PaperResult {
        name,
        set,
        recs: score(&recs_exp, &got_recs, &rp),
        actions: score(&actions_exp, &got_actions, &ap),
        fields: fields(&actions_exp.items, &got_actions, &ap),
        decisions,
        decision_kinds,
        misses: misses.into_iter().chain(decision_misses).collect(),
        extras,
    })
}

fn json_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("{}: cannot list", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    v.sort();
    Ok(v)
}

fn ratio((a, b): (usize, usize)) -> String {
    if b == 0 {
        "—".into()
    } else {
        format!("{a}/{b}")
    }
}

/// `cargo xtask eval [--floor F1] [--decisions-floor F1] [--misses] [--only SUBSTRING]`;
/// `--misses` lists the expected actions and decisions not found and, where the
/// expectation is complete, the extra ones. The floors fail the run when the real2 mean
/// actions F1, or the mean decisions F1 over the minutes with decisions listed, drop.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut floor: Option<f64> = None;
    let mut decisions_floor: Option<f64> = None;
    let mut show_misses = false;
    let mut only: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--floor" => {
                floor = Some(
                    it.next()
                        .context("--floor needs a number")?
                        .parse()
                        .context("--floor needs a number")?,
                )
            }
            "--decisions-floor" => {
                decisions_floor = Some(
                    it.next()
                        .context("--decisions-floor needs a number")?
                        .parse()
                        .context("--decisions-floor needs a number")?,
                )
            }
            "--misses" => show_misses = true,
            "--only" => only = Some(it.next().context("--only needs a name")?.clone()),
            other => bail!(
                "unknown option {other:?}; try --floor 0.5, --decisions-floor 0.8, --misses, --only NAME"
            ),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut results = Vec::new();
    let sets: [(&str, &'static str, bool); 2] = [
        ("fixtures/expected", "corpus", true),
        ("fixtures/eval", "real2", false),
    ];
    for (dir, set, golden) in sets {
        for f in json_files(&root.join(dir))? {
            if only
                .as_ref()
                .is_some_and(|o| !f.to_string_lossy().contains(o.as_str()))
            {
                continue;
            }
            results.push(evaluate(&root, &f, set, golden)?);
        }
    }
    println!("| paper | set | recommendations R / P (expected, extracted) | actions R / P / F1 (expected, extracted) | lead | timescale | due | decisions R / P (expected, extracted), kind |");
    println!("|---|---|---|---|---|---|---|---|");
    for r in &results {
        let rec = if r.recs.expected_total == 0 && r.recs.extracted == 0 {
            "—".to_owned()
        } else {
            format!(
                "{:.2} / {:.2} ({}, {})",
                r.recs.recall, r.recs.precision, r.recs.expected_total, r.recs.extracted
            )
        };
        let act = if r.actions.expected_total == 0 && r.actions.extracted == 0 {
            "—".to_owned()
        } else {
            format!(
                "{:.2} / {:.2} / {:.2} ({}, {})",
                r.actions.recall,
                r.actions.precision,
                r.actions.f1(),
                r.actions.expected_total,
                r.actions.extracted
            )
        };
        let dec = match r.decisions {
            Some(d) => format!(
                "{:.2} / {:.2} ({}, {}), {}",
                d.recall,
                d.precision,
                d.expected_total,
                d.extracted,
                ratio(r.decision_kinds)
            ),
            None => "—".to_owned(),
        };
        println!(
            "| {} | {} | {rec} | {act} | {} | {} | {} | {dec} |",
            r.name,
            r.set,
            ratio(r.fields.lead),
            ratio(r.fields.timescale),
            ratio(r.fields.due)
        );
        if show_misses {
            for m in r.misses.iter().take(40) {
                println!("|   {m} | | | | | | | |");
            }
            for m in r.extras.iter().take(12) {
                println!("|   action extra: {m} | | | | | | | |");
            }
        }
    }
    let mut failed = false;
    for set in ["corpus", "real2"] {
        let with_actions: Vec<&PaperResult> = results
            .iter()
            .filter(|r| r.set == set && r.actions.expected_total > 0)
            .collect();
        let with_recs: Vec<&PaperResult> = results
            .iter()
            .filter(|r| r.set == set && r.recs.expected_total > 0)
            .collect();
        if with_actions.is_empty() && with_recs.is_empty() {
            continue;
        }
        let mean = |v: &[&PaperResult], f: fn(&PaperResult) -> f64| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().map(|r| f(r)).sum::<f64>() / v.len() as f64
            }
        };
        let actions_f1 = mean(&with_actions, |r| r.actions.f1());
        let recs_f1 = mean(&with_recs, |r| r.recs.f1());
        let zero = with_actions
            .iter()
            .filter(|r| r.actions.matched == 0)
            .count();
        println!(
            "\n{set}: mean actions F1 {actions_f1:.3} over {} papers with actions ({zero} at 0); mean recommendations F1 {recs_f1:.3} over {} papers",
            with_actions.len(),
            with_recs.len()
        );
        if set == "real2" {
            if let Some(f) = floor {
                if actions_f1 < f {
                    eprintln!("eval: real2 mean actions F1 {actions_f1:.3} is below the floor {f}");
                    failed = true;
                }
            }
        }
    }
    let scored: Vec<Score> = results.iter().filter_map(|r| r.decisions).collect();
    if !scored.is_empty() {
        let n = scored.len() as f64;
        let recall = scored.iter().map(|d| d.recall).sum::<f64>() / n;
        let precision = scored.iter().map(|d| d.precision).sum::<f64>() / n;
        let f1 = scored.iter().map(|d| d.f1()).sum::<f64>() / n;
        let kinds = results.iter().fold((0, 0), |a, r| {
            (a.0 + r.decision_kinds.0, a.1 + r.decision_kinds.1)
        });
        println!(
            "decisions: mean recall {recall:.3}, precision {precision:.3}, F1 {f1:.3} over {} sets of minutes; kind right {}",
            scored.len(),
            ratio(kinds)
        );
        if let Some(f) = decisions_floor {
            if f1 < f {
                eprintln!("eval: mean decisions F1 {f1:.3} is below the floor {f}");
                failed = true;
            }
        }
    }
    // Action histories: links between successive action logs, against links written
    // by hand (fixtures/meetings/track/links.json).
    let track = root.join("fixtures/meetings/track");
    match actionplan_dataset::track::evaluate_links(&track) {
        Ok(l) => {
            println!(
                "action histories: links precision {:.3}, recall {:.3} ({} expected, {} found, {} right) on fixtures/meetings/track",
                l.precision, l.recall, l.expected, l.found, l.right
            );
            if show_misses {
                for m in &l.missed {
                    println!("  link missed: {m}");
                }
                for m in &l.wrong {
                    println!("  link wrong: {m}");
                }
            }
        }
        Err(e) => {
            eprintln!("eval: action histories: {e}");
            failed = true;
        }
    }
    if failed {
        bail!("evaluation below its floor");
    }
    Ok(())
}
