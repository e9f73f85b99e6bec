//! The relevance set over the real corpus: every paper in `corpus/text` is
//! extracted with the pipeline, indexed, and the queries in
//! `fixtures/relevance/corpus.json` are scored (MRR, recall@5).
//!
//! Thresholds: MRR >= 0.8 and every query's first right answer within the top 5.
//! Five is what a results screen shows without scrolling; an MRR of 0.8 means
//! the right answer is first for most queries and second at worst for the rest.

use std::path::Path;

use actionplan_index::relevance::{evaluate, parse_cases};
use actionplan_index::SearchIndex;

const MIN_MRR: f64 = 0.8;
const MAX_RANK: usize = 5;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn corpus_relevance_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut index = SearchIndex::open_or_create(&dir.path().join("ix")).expect("create index");
    let mut papers: Vec<_> = std::fs::read_dir(root().join("corpus/text"))
        .expect("corpus/text")
        .map(|e| e.expect("dir entry").path())
        .collect();
    papers.sort();
    let mut actions = 0;
    for paper in &papers {
        let doc = actionplan_pipeline::extract_file(paper).expect("corpus paper extracts");
        actions += doc.all_actions().count();
        index.add_document(&doc).expect("index");
    }
    index.commit().expect("commit");
    assert!(
        actions > 0,
        "the pipeline extracted no actions from the corpus; the relevance set cannot run"
    );

    let json = std::fs::read_to_string(root().join("fixtures/relevance/corpus.json"))
        .expect("relevance set");
    let cases = parse_cases(&json).expect("relevance set parses");
    assert!(
        cases.len() >= 25,
        "the relevance set needs at least 25 queries"
    );
    let report = evaluate(&index, &cases).expect("search");
    println!("{report}");

    let held: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.known_gap.is_none())
        .collect();
    let mrr = held
        .iter()
        .map(|c| c.first_rank.map_or(0.0, |r| 1.0 / r as f64))
        .sum::<f64>()
        / held.len() as f64;
    let late: Vec<_> = held
        .iter()
        .filter(|c| c.first_rank.is_none_or(|r| r > MAX_RANK))
        .map(|c| &c.query)
        .collect();
    let fixed: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.known_gap.is_some() && c.first_rank.is_some_and(|r| r <= MAX_RANK))
        .map(|c| &c.query)
        .collect();
    assert!(
        late.is_empty(),
        "right answer not in the top {MAX_RANK} for: {late:#?}\n{report}"
    );
    assert!(mrr >= MIN_MRR, "MRR {mrr:.3} below {MIN_MRR}\n{report}");
    assert!(
        fixed.is_empty(),
        "these known gaps now pass: remove their `known_gap` marker: {fixed:#?}"
    );
}
