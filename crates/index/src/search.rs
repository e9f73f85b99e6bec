//! Running a search: the scoring query, filters (council, dates, timeframe, lead,
//! kind), facet counts and highlighted snippets.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, TantivyDocument, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::Term;

use crate::hit::{date_range, Hit, HitKind};
use crate::store::{timeframe_key, SearchIndex};
use crate::vocabulary::Weight;
use crate::{analysis, query, Error, Result};

/// Most results one search returns; larger limits are clamped (the CLI says so).
pub const MAX_LIMIT: usize = 1000;
/// Most words (or quoted phrases) of a query that are searched for; the rest are
/// dropped (the CLI warns). Each word expands into several clauses, so an
/// unbounded query costs unbounded memory.
pub const MAX_QUERY_WORDS: usize = 32;
/// Longest query searched for, in characters (after the word limit).
pub const MAX_QUERY_CHARS: usize = 1000;

/// The query cut to [`MAX_QUERY_WORDS`] whitespace-separated words and
/// [`MAX_QUERY_CHARS`] characters; `None` when it is within both.
pub fn truncate_query(query: &str) -> Option<String> {
    let words = query.split_whitespace().count();
    if words <= MAX_QUERY_WORDS && query.chars().count() <= MAX_QUERY_CHARS {
        return None;
    }
    let mut kept: String = query
        .split_whitespace()
        .take(MAX_QUERY_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    if kept.chars().count() > MAX_QUERY_CHARS {
        kept = kept.chars().take(MAX_QUERY_CHARS).collect();
    }
    Some(kept)
}

/// Candidates beyond the requested limit that re-ranking considers.
const RERANK_WINDOW: usize = 60;
/// Score kept by an entry whose own words cover none of the query (it matched
/// only through inherited context).
const COVERAGE_FLOOR: f32 = 0.1;
/// How much a query word found only in an entry's steps counts towards coverage.
const STEP_COVERAGE: f32 = 0.75;

/// Longest snippet shown, in characters.
const SNIPPET_CHARS: usize = 240;

/// A search and its filters.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub query: String,
    /// Every word must appear in the council name ("kent" matches "Kent County Council").
    pub council: Option<String>,
    /// Documents dated on or after this `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Documents dated on or before this date.
    pub to: Option<String>,
    /// The timeframe horizon of the recommendation (inherited by its actions) or of an
    /// action's own timescale: immediate, short, medium, long, ongoing, recurring, event or
    /// complete; "six_months" and "longer_term" (schema version 1's names) mean short and long.
    pub timeframe: Option<String>,
    /// Every word must appear in a lead of the entry or of its recommendation.
    pub lead: Option<String>,
    /// Only this kind of entry.
    pub kind: Option<HitKind>,
    pub limit: usize,
    /// Count matches by council and year.
    pub facets: bool,
}

impl SearchRequest {
    /// A search for `query` with no filters and ten results.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            council: None,
            from: None,
            to: None,
            timeframe: None,
            lead: None,
            kind: None,
            limit: 10,
            facets: false,
        }
    }
}

/// The text of a hit with the parts that matched the query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snippet {
    /// A fragment of the entry's text.
    pub text: String,
    /// Byte ranges of `text` that matched.
    pub highlights: Vec<(usize, usize)>,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredHit {
    /// 1-based rank.
    pub rank: usize,
    pub score: f32,
    pub snippet: Snippet,
    pub hit: Hit,
    /// The same item (same council, kind, reference and text) found in other papers of
    /// the index: renders of one paper (its PDF and its text), copies, re-publications.
    /// Shown once, here, instead of as separate hits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<OtherSource>,
}

/// Where else an item that was collapsed into a hit was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherSource {
    /// The other entry's id.
    pub id: String,
    pub document_id: String,
    pub source_path: String,
    pub page: u32,
}

/// What makes two entries the same item: council, kind, reference and text, compared
/// without case, punctuation or spacing (a PDF and its text export differ in those).
fn same_item_key(h: &Hit) -> (String, &'static str, String, String) {
    let fold = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric() || c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    (
        fold(h.document.council.as_deref().unwrap_or("")),
        h.kind.as_str(),
        fold(h.reference.as_deref().unwrap_or("")),
        fold(&h.text),
    )
}

/// Collapses entries that are the same item into the best-ranked of them, keeping the
/// others as its [`ScoredHit::also_in`]; order is kept. Returns the hits with the
/// sources of each collapsed group.
fn collapse_same_items(ranked: Vec<(f32, Hit)>) -> Vec<(f32, Hit, Vec<OtherSource>)> {
    let mut out: Vec<(f32, Hit, Vec<OtherSource>)> = Vec::with_capacity(ranked.len());
    let mut seen: std::collections::HashMap<(String, &'static str, String, String), usize> =
        std::collections::HashMap::new();
    for (score, hit) in ranked {
        let key = same_item_key(&hit);
        match seen.get(&key) {
            // An entry of the same paper is not another source of the item (a
            // table printed twice in one paper stays two entries).
            Some(&i) if out[i].1.document.id != hit.document.id => {
                out[i].2.push(OtherSource {
                    id: hit.id,
                    document_id: hit.document.id,
                    source_path: hit.document.source_path,
                    page: hit.page,
                });
            }
            Some(_) => out.push((score, hit, Vec::new())),
            None => {
                seen.insert(key, out.len());
                out.push((score, hit, Vec::new()));
            }
        }
    }
    out
}

/// A facet value and how many matching entries have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Counts of all matching entries (not only those shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub councils: Vec<FacetCount>,
    pub years: Vec<FacetCount>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Entries matching the query and filters.
    pub total: usize,
    pub hits: Vec<ScoredHit>,
    pub facets: Option<Facets>,
    /// With a `from`/`to` filter: entries that match everything else but were left out
    /// because their paper has no date (so they cannot be placed in the range).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undated_left_out: Option<usize>,
}

impl SearchIndex {
    /// Runs a search against the last committed state of the index.
    ///
    /// tantivy checks file footers but not every byte; a file damaged in the
    /// middle can make it panic while decoding. That is reported as a corrupt
    /// index, not a crash.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.search_unguarded(req)))
            .unwrap_or_else(|panic| {
                Err(Error::Corrupt {
                    path: self.dir.clone(),
                    reason: crate::error::panic_message(&*panic),
                })
            })
    }

    fn search_unguarded(&self, req: &SearchRequest) -> Result<SearchResults> {
        // Bounds for library callers too (the CLI clamps and warns first).
        let bounded;
        let req = match (truncate_query(&req.query), req.limit > MAX_LIMIT) {
            (None, false) => req,
            (query, _) => {
                bounded = SearchRequest {
                    query: query.unwrap_or_else(|| req.query.clone()),
                    limit: req.limit.min(MAX_LIMIT),
                    ..req.clone()
                };
                &bounded
            }
        };
        let f = &self.fields;
        let (scoring, units) = query::build(&req.query, f, &self.vocabulary);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, scoring.box_clone())];
        let mut filter =
            |q: Box<dyn Query>| clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        if let Some(c) = &req.council {
            filter(all_words(f.council_key, c, "--council")?);
        }
        if let Some(l) = &req.lead {
            filter(all_words(f.lead_key, l, "--lead")?);
        }
        if let Some(t) = &req.timeframe {
            let key = parse_timeframe(t)?;
            filter(Box::new(TermQuery::new(
                Term::from_field_text(f.timeframe, key),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(k) = req.kind {
            filter(Box::new(TermQuery::new(
                Term::from_field_text(f.kind, k.as_str()),
                IndexRecordOption::Basic,
            )));
        }
        let mut dates: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut date_filter = |q: Box<dyn Query>| {
            dates.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        };
        if let Some(from) = &req.from {
            let (lo, _) = filter_date(from).ok_or_else(|| bad_date("--from", from))?;
            date_filter(Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_u64(f.date_hi, lo)),
                Bound::Unbounded,
            )));
        }
        if let Some(to) = &req.to {
            let (_, hi) = filter_date(to).ok_or_else(|| bad_date("--to", to))?;
            date_filter(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(Term::from_field_u64(f.date_lo, hi)),
            )));
        }
        // The same search without the date filters, restricted to undated entries: what
        // a date filter leaves out for lack of a date, counted so it is said, not hidden.
        let undated = (!dates.is_empty()).then(|| {
            let mut c: Vec<(Occur, Box<dyn Query>)> =
                clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            c.push((
                Occur::MustNot,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.date_lo, 0)),
                    Bound::Unbounded,
                )),
            ));
            BooleanQuery::new(c)
        });
        clauses.extend(dates);
        let full = BooleanQuery::new(clauses);

        let searcher = self.reader.searcher();
        let err = |e| Error::tantivy(&self.dir, e);
        // BM25 picks candidates; coverage of the query by each candidate's own
        // words then decides the order among them.
        let window = req.limit + RERANK_WINDOW;
        let top = TopDocs::with_limit(window.max(1)).order_by_score();
        let (docs, total, facets) = if req.facets {
            let mut fc = FacetCollector::for_field("facets");
            fc.add_facet("/council");
            fc.add_facet("/year");
            let (docs, total, counts) = searcher.search(&full, &(top, Count, fc)).map_err(err)?;
            let list = |root: &str| {
                let mut v: Vec<FacetCount> = counts
                    .get(root)
                    .map(|(facet, count)| FacetCount {
                        value: facet
                            .to_path()
                            .last()
                            .map(|s| (*s).to_owned())
                            .unwrap_or_default(),
                        count,
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
                v
            };
            let facets = Facets {
                councils: list("/council"),
                years: list("/year"),
            };
            (docs, total, Some(facets))
        } else {
            let (docs, total) = searcher.search(&full, &(top, Count)).map_err(err)?;
            (docs, total, None)
        };
        let mut english = analysis::english();
        let mut ranked = Vec::with_capacity(docs.len());
        for (score, address) in docs {
            let hit = self.stored_hit(&searcher, address)?;
            let own: Vec<(Vec<String>, f32)> = own_texts(&hit)
                .map(|(t, w)| (analysis::tokens(&mut english, t), w))
                .collect();
            let c = query::coverage(&units, &own);
            ranked.push((
                score * (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * c * c),
                hit,
            ));
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut ranked = collapse_same_items(ranked);
        ranked.truncate(req.limit);

        // Highlight what the user asked for (and its variants), not every term of
        // the query: "and" inside "child and adolescent ..." is no match.
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for unit in &units {
            for (seq, w) in &unit.variants {
                for t in seq
                    .iter()
                    .filter(|t| !analysis::STOP_WORDS.iter().any(|s| s == t))
                {
                    let score = if *w == Weight::Broader { 0.5 } else { 1.0 };
                    let e = terms.entry(t.clone()).or_insert(0.0);
                    *e = e.max(score);
                }
            }
        }
        for t in query::parse(&req.query)
            .required
            .iter()
            .flat_map(|p| analysis::tokens(&mut english, p))
        {
            terms.insert(t, 1.0);
        }
        let text_snippets =
            SnippetGenerator::new(terms, analysis::english(), f.text, SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(ranked.len());
        for (rank, (score, hit, also_in)) in ranked.into_iter().enumerate() {
            let s = text_snippets.snippet(&hit.text);
            let snippet = if s.is_empty() {
                Snippet {
                    text: truncate(&hit.text, SNIPPET_CHARS),
                    highlights: Vec::new(),
                }
            } else {
                Snippet {
                    text: s.fragment().to_owned(),
                    highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                }
            };
            hits.push(ScoredHit {
                rank: rank + 1,
                score,
                snippet,
                hit,
                also_in,
            });
        }
        let undated_left_out = match &undated {
            Some(q) => Some(searcher.search(q, &Count).map_err(err)?),
            None => None,
        };
        Ok(SearchResults {
            total,
            hits,
            facets,
            undated_left_out,
        })
    }

    fn stored_hit(
        &self,
        searcher: &tantivy::Searcher,
        address: tantivy::DocAddress,
    ) -> Result<Hit> {
        let stored: TantivyDocument = searcher
            .doc(address)
            .map_err(|e| Error::tantivy(&self.dir, e))?;
        let json = stored
            .get_first(self.fields.hit)
            .and_then(|v| v.as_str())
            .ok_or_else(|| Error::Corrupt {
                path: self.dir.clone(),
                reason: "an entry has no stored hit".into(),
            })?;
        serde_json::from_str(json).map_err(|e| Error::Corrupt {
            path: self.dir.clone(),
            reason: format!("stored hit is unreadable: {e}"),
        })
    }
}

/// The texts that belong to an entry itself, as opposed to inherited context,
/// with how much a match in each counts.
fn own_texts(hit: &Hit) -> impl Iterator<Item = (&str, f32)> {
    std::iter::once(hit.text.as_str())
        .chain(hit.reference.as_deref())
        .chain(hit.measures.iter().map(String::as_str))
        .chain(hit.lead.iter().map(String::as_str))
        .chain(hit.partners.iter().map(String::as_str))
        .chain(hit.timescale.as_ref().map(|t| t.raw.as_str()))
        .map(|t| (t, 1.0))
        // A step answers its part of the query more specifically than the action
        // summarising it; steps still count, so an action whose steps cover the
        // query outranks a step covering only part of it.
        .chain(hit.steps.iter().map(|s| (s.as_str(), STEP_COVERAGE)))
}

fn all_words(field: tantivy::schema::Field, text: &str, flag: &str) -> Result<Box<dyn Query>> {
    let words = analysis::tokens(&mut analysis::plain(), text);
    if words.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "{flag} needs at least one word"
        )));
    }
    let clauses: Vec<(Occur, Box<dyn Query>)> = words
        .iter()
        .map(|w| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, w),
                IndexRecordOption::Basic,
            ));
            (Occur::Must, q)
        })
        .collect();
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The range of a `--from`/`--to` date, which must be a real calendar date
/// (`2023-02-29` and `2024-04-31` are refused; `2024-02-29` is fine).
fn filter_date(date: &str) -> Option<(u64, u64)> {
    let range = date_range(date)?;
    let parts: Vec<u64> = date
        .trim()
        .split('-')
        .filter_map(|p| p.parse().ok())
        .collect();
    if let [y, m, d] = parts[..] {
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if d == 0 || d > days {
            return None;
        }
    }
    Some(range)
}

fn bad_date(flag: &str, value: &str) -> Error {
    Error::InvalidRequest(format!(
        "{flag} {value:?} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (a real calendar day)"
    ))
}

/// Accepts the horizon names and the spellings people use for them, including schema
/// version 1's "six_months" (short) and "longer_term" (long).
pub(crate) fn parse_timeframe(t: &str) -> Result<&'static str> {
    use actionplan_model::{Horizon as H, Timeframe};
    let norm: String = t
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let horizon = match norm.as_str() {
        "immediate" | "immediately" | "now" | "urgent" => H::Immediate,
        "short" | "shortterm" | "sixmonths" | "6months" | "sixmonth" | "6month" | "6m" => H::Short,
        "medium" | "mediumterm" | "midterm" => H::Medium,
        "long" | "longterm" | "longer" | "longerterm" => H::Long,
        "ongoing" | "continuous" => H::Ongoing,
        "recurring" | "regular" => H::Recurring,
        "event" => H::Event,
        "complete" | "completed" | "done" => H::Complete,
        _ => {
            return Err(Error::InvalidRequest(format!(
                "--timeframe {t:?}: use immediate, short, medium, long, ongoing, recurring, event or complete \
                 (six_months and longer_term also work)"
            )))
        }
    };
    Ok(timeframe_key(Timeframe::new(horizon)))
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod limit_tests {
    use super::*;

    #[test]
    fn filter_dates_must_be_real_days() {
        assert!(filter_date("2023-02-29").is_none());
        assert!(filter_date("2024-04-31").is_none());
        assert!(filter_date("2024-02-29").is_some());
        assert!(filter_date("1900-02-29").is_none());
        assert!(filter_date("2000-02-29").is_some());
        assert!(filter_date("2023-02").is_some());
        assert!(filter_date("2023").is_some());
        let e = bad_date("--from", "2023-02-29").to_string();
        assert!(e.contains("2023-02-29"), "{e}");
    }

    #[test]
    fn long_queries_are_cut_to_the_word_and_character_limits() {
        assert_eq!(truncate_query("school attendance"), None);
        let long: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let cut = truncate_query(&long.join(" ")).unwrap();
        assert_eq!(cut.split_whitespace().count(), MAX_QUERY_WORDS);
        assert!(cut.starts_with("w0 w1 "));
        let one_word = "x".repeat(5000);
        assert_eq!(
            truncate_query(&one_word).unwrap().chars().count(),
            MAX_QUERY_CHARS
        );
    }
}
