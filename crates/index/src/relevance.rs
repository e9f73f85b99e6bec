//! The relevance harness: queries written the way a policy officer would write
//! them, each with the entries that should come first, evaluated as mean
//! reciprocal rank (MRR) and recall at 5. Used by the relevance tests and by
//! `cargo xtask bench index --relevance`.

use std::fmt;

use serde::Deserialize;

use crate::{Hit, Result, SearchIndex, SearchRequest};

/// Results examined per query.
pub const DEPTH: usize = 10;

/// One query and what should answer it.
#[derive(Debug, Clone, Deserialize)]
pub struct Case {
    pub query: String,
    /// Any of these is a right answer; the best-ranked one counts for MRR.
    pub expect: Vec<Expectation>,
    /// Why these answers (kept in the fixture for reviewers).
    #[serde(default)]
    pub note: Option<String>,
    /// Set when the answer is known to be out of reach for a reason outside
    /// ranking (e.g. the extractor misses the row). Such cases are reported but
    /// not held to the thresholds; the test fails once they pass, so the marker
    /// is removed rather than forgotten.
    #[serde(default)]
    pub known_gap: Option<String>,
}

/// An expected entry, identified the way a reader would: council, the paper's
/// own ref and/or a fragment of the text. Never an internal id.
#[derive(Debug, Clone, Deserialize)]
pub struct Expectation {
    /// Case-insensitive substring of the council name.
    pub council: String,
    /// The paper's label, compared ignoring case, spaces and punctuation.
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    /// Case-insensitive fragment of the entry's text (whitespace normalized).
    #[serde(default)]
    pub text: Option<String>,
}

impl Expectation {
    /// True when `hit` is the entry this expectation describes.
    pub fn matches(&self, hit: &Hit) -> bool {
        let council = hit.document.council.as_deref().unwrap_or("").to_lowercase();
        if !council.contains(&self.council.to_lowercase()) {
            return false;
        }
        if let Some(r) = &self.reference {
            if hit.reference.as_deref().map(label) != Some(label(r)) {
                return false;
            }
        }
        if let Some(t) = &self.text {
            if !words(&hit.text).contains(&words(t)) {
                return false;
            }
        }
        true
    }
}

fn label(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn words(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Parses a relevance set (a JSON array of cases).
pub fn parse_cases(json: &str) -> serde_json::Result<Vec<Case>> {
    serde_json::from_str(json)
}

/// How one query did.
#[derive(Debug, Clone)]
pub struct CaseResult {
    pub query: String,
    pub known_gap: Option<String>,
    /// 1-based rank of the first right answer within [`DEPTH`].
    pub first_rank: Option<usize>,
    /// Expectations met within the top 5.
    pub found_at_5: usize,
    pub expected: usize,
    /// A one-line description of each of the top 5 results.
    pub top: Vec<String>,
}

/// The scores of a relevance set.
#[derive(Debug, Clone)]
pub struct Report {
    pub cases: Vec<CaseResult>,
    /// Mean reciprocal rank of the first right answer (0 when none in the top 10).
    pub mrr: f64,
    /// Mean over queries of the share of expected entries found in the top 5.
    pub recall_at_5: f64,
    /// Share of queries whose first result is right.
    pub success_at_1: f64,
}

/// Runs every case against `index`.
pub fn evaluate(index: &SearchIndex, cases: &[Case]) -> Result<Report> {
    let mut out = Vec::with_capacity(cases.len());
    for case in cases {
        let mut req = SearchRequest::new(case.query.clone());
        req.limit = DEPTH;
        let results = index.search(&req)?;
        let first_rank = results
            .hits
            .iter()
            .position(|h| case.expect.iter().any(|e| e.matches(&h.hit)))
            .map(|p| p + 1);
        let top5: Vec<&Hit> = results.hits.iter().take(5).map(|h| &h.hit).collect();
        let found_at_5 = case
            .expect
            .iter()
            .filter(|e| top5.iter().any(|h| e.matches(h)))
            .count();
        let top = top5.iter().map(|h| describe(h)).collect();
        out.push(CaseResult {
            query: case.query.clone(),
            known_gap: case.known_gap.clone(),
            first_rank,
            found_at_5,
            expected: case.expect.len(),
            top,
        });
    }
    let n = out.len().max(1) as f64;
    let mrr = out
        .iter()
        .map(|c| c.first_rank.map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / n;
    let recall_at_5 = out
        .iter()
        .map(|c| c.found_at_5 as f64 / c.expected.max(1) as f64)
        .sum::<f64>()
        / n;
    let success_at_1 = out.iter().filter(|c| c.first_rank == Some(1)).count() as f64 / n;
    Ok(Report {
        cases: out,
        mrr,
        recall_at_5,
        success_at_1,
    })
}

fn describe(h: &Hit) -> String {
    let text: String = h.text.chars().take(70).collect();
    format!(
        "{} {} {}: {}",
        h.document.council.as_deref().unwrap_or("?"),
        h.kind.as_str(),
        h.reference.as_deref().unwrap_or("-"),
        text.replace('\n', " ")
    )
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.cases {
            let rank = c.first_rank.map_or("miss".to_owned(), |r| format!("#{r}"));
            writeln!(
                f,
                "{rank:>5}  {}/{} in top 5  {}",
                c.found_at_5, c.expected, c.query
            )?;
            if let Some(gap) = &c.known_gap {
                writeln!(f, "         known gap: {gap}")?;
            }
            if c.first_rank != Some(1) {
                for (i, t) in c.top.iter().enumerate() {
                    writeln!(f, "         {}. {t}", i + 1)?;
                }
            }
        }
        writeln!(
            f,
            "queries {}  MRR {:.3}  recall@5 {:.3}  success@1 {:.3}",
            self.cases.len(),
            self.mrr,
            self.recall_at_5,
            self.success_at_1
        )
    }
}
