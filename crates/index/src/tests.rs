//! Unit tests of the index as a whole, on small hand-built documents.

use actionplan_model::{
    Action, Document, GlossaryEntry, Recommendation, Source, SourceFormat, Timeframe, Timescale,
};

use crate::{
    AddOutcome, Error, HitKind, SearchIndex, SearchRequest, INDEX_FORMAT_VERSION, META_FILE,
};

fn action(reference: &str, text: &str, lead: &str, due: &str) -> Action {
    Action {
        id: format!("a-{reference}"),
        reference: Some(reference.into()),
        lead: vec![lead.into()],
        timescale: Some(Timescale {
            raw: due.into(),
            start: None,
            due: None,
            timeframe: None,
        }),
        ..Action::new(text, 3)
    }
}

fn rec(id: &str, text: &str, timeframe: Option<Timeframe>, actions: Vec<Action>) -> Recommendation {
    Recommendation {
        id: id.into(),
        reference: Some(id.trim_start_matches('r').into()),
        timeframe,
        actions,
        ..Recommendation::new(text, 2)
    }
}

fn doc(
    path: &str,
    sha: &str,
    council: &str,
    date: &str,
    recommendations: Vec<Recommendation>,
) -> Document {
    Document {
        schema_version: actionplan_model::SCHEMA_VERSION,
        id: sha.chars().take(16).collect(),
        source: Source {
            path: path.into(),
            format: SourceFormat::Text,
            sha256: sha.into(),
            bytes: 1,
            pages: 1,
            encoding: None,
            extractor: "test".into(),
        },
        council: Some(council.into()),
        title: Some("JAR action plan".into()),
        date: Some(date.into()),
        committee: None,
        papers: vec![],
        recommendations,
        grades: vec![],
        glossary: vec![],
        decisions: vec![],
        diagnostics: vec![],
    }
}

fn kent() -> Document {
    let mut sg01 = action(
        "SG01",
        "Avoid young people in need of in-patient mental health services from being admitted to adult psychiatric wards",
        "Trish Dabrowski",
        "September 2008",
    );
    sg01.steps = vec![
        action(
            "a",
            "Review 2007-08 u18s admitted to adult wards",
            "Duncan Ambrose",
            "September 2008",
        ),
        action(
            "c",
            "Performance management of CAMHS activity to monitor placement of u18s",
            "Duncan Ambrose",
            "September 2008",
        ),
    ];
    doc(
        "papers/kent.txt",
        "aaaa",
        "Kent County Council",
        "2008-09-19",
        vec![
            rec(
                "r1",
                "Avoid placing young people in adult psychiatric wards",
                Some(Timeframe::Immediate),
                vec![sg01],
            ),
            rec(
                "r2",
                "Improve the number of LAC receiving annual health checks",
                Some(Timeframe::SixMonths),
                vec![action(
                    "LAC 02",
                    "Improve performance on annual health assessments of KCC LAC",
                    "Paul Brightwell",
                    "December 2008",
                )],
            ),
        ],
    )
}

fn telford() -> Document {
    let mut d = doc(
        "papers/telford.txt",
        "bbbb",
        "Telford & Wrekin Council",
        "2008",
        vec![rec(
            "r2",
            "Reduce the high levels of absence from school by looked after children",
            Some(Timeframe::LongerTerm),
            vec![
                action("2.1", "Identify CiC pupils absent for more than 25 days and investigate circumstances", "Attendance Leader", "Jan 2009"),
                action("2.3", "Develop the existing reward system for CiC", "Corporate Parenting Team Manager", "Summer 2009"),
            ],
        )],
    );
    d.glossary = vec![GlossaryEntry {
        term: "EWO".into(),
        expansion: "Education Welfare Officer".into(),
    }];
    d.recommendations[0].actions[1]
        .text
        .push_str(" with the EWO");
    d
}

fn built() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(&dir.path().join("ix")).unwrap();
    index.add_document(&kent()).unwrap();
    index.add_document(&telford()).unwrap();
    index.commit().unwrap();
    (dir, index)
}

fn refs(index: &SearchIndex, req: &SearchRequest) -> Vec<String> {
    index
        .search(req)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.hit.reference.clone().unwrap_or_default())
        .collect()
}

fn q(text: &str) -> SearchRequest {
    SearchRequest::new(text)
}

#[test]
fn one_entry_per_recommendation_action_and_step() {
    let (_d, index) = built();
    // kent: 2 recommendations + SG01 + its 2 steps + LAC 02; telford: 1 + 2
    assert_eq!(index.stats().entries, 9);
    assert_eq!(index.stats().documents, 2);
}

#[test]
fn synonyms_and_acronyms_find_the_plan_wording() {
    let (_d, index) = built();
    assert_eq!(refs(&index, &q("CAMHS under-18 adult ward"))[0], "SG01");
    let r = refs(&index, &q("children in care school truancy"));
    assert!(
        r[..2].contains(&"2".to_owned()) || r[..2].contains(&"2.1".to_owned()),
        "{r:?}"
    );
    // Learned from Telford's own glossary.
    assert_eq!(refs(&index, &q("education welfare officer"))[0], "2.3");
}

#[test]
fn hits_carry_their_context_and_a_highlighted_snippet() {
    let (_d, index) = built();
    let res = index.search(&q("psychiatric")).unwrap();
    let top = &res.hits[0];
    assert_eq!(
        top.hit.document.council.as_deref(),
        Some("Kent County Council")
    );
    assert_eq!(top.hit.document.source_path, "papers/kent.txt");
    assert!(!top.snippet.highlights.is_empty());
    let (s, e) = top.snippet.highlights[0];
    assert_eq!(&top.snippet.text[s..e].to_lowercase(), "psychiatric");
    let step = index
        .search(&q("u18s"))
        .unwrap()
        .hits
        .into_iter()
        .find(|h| h.hit.kind == HitKind::Step)
        .unwrap();
    assert_eq!(
        step.hit
            .parent_action
            .as_ref()
            .and_then(|p| p.reference.as_deref()),
        Some("SG01")
    );
}

#[test]
fn filters_narrow_results() {
    let (_d, index) = built();
    let mut r = q("");
    r.council = Some("telford".into());
    r.limit = 50;
    assert_eq!(index.search(&r).unwrap().total, 3);
    r.council = Some("Kent County".into());
    assert_eq!(index.search(&r).unwrap().total, 6);
    r.council = None;
    r.from = Some("2008-09".into());
    assert_eq!(
        index.search(&r).unwrap().total,
        9,
        "Telford's '2008' overlaps September 2008"
    );
    r.from = Some("2008-10".into());
    assert_eq!(index.search(&r).unwrap().total, 3);
    r.from = None;
    r.to = Some("2007".into());
    assert_eq!(index.search(&r).unwrap().total, 0);
    r.to = None;
    r.timeframe = Some("six-months".into());
    assert_eq!(refs(&index, &r), ["2", "LAC 02"]);
    r.timeframe = None;
    r.lead = Some("brightwell".into());
    assert_eq!(refs(&index, &r), ["LAC 02"]);
    r.lead = None;
    r.kind = Some(HitKind::Recommendation);
    assert_eq!(index.search(&r).unwrap().total, 3);
}

#[test]
fn bad_filters_are_reported() {
    let (_d, index) = built();
    let mut r = q("x");
    r.from = Some("last year".into());
    assert!(matches!(index.search(&r), Err(Error::InvalidRequest(_))));
    let mut r = q("x");
    r.timeframe = Some("soon".into());
    assert!(matches!(index.search(&r), Err(Error::InvalidRequest(_))));
}

#[test]
fn facets_count_all_matches_by_council_and_year() {
    let (_d, index) = built();
    let mut r = q("looked after children");
    r.facets = true;
    r.limit = 1;
    let res = index.search(&r).unwrap();
    let f = res.facets.unwrap();
    let total: u64 = f.councils.iter().map(|c| c.count).sum();
    assert_eq!(total as usize, res.total);
    assert!(f
        .councils
        .iter()
        .any(|c| c.value == "Telford & Wrekin Council"));
    assert!(f.years.iter().all(|y| y.value == "2008"));
}

#[test]
fn reindexing_a_changed_paper_replaces_its_entries() {
    let (_d, mut index) = built();
    let mut changed = kent();
    changed.source.sha256 = "cccc".into();
    changed.recommendations.truncate(1);
    changed.recommendations[0].actions[0].text = "Keep under-18s off adult wards".into();
    assert_eq!(
        index.add_document(&changed).unwrap(),
        AddOutcome::Replaced {
            entries: 4,
            previous: 6
        }
    );
    index.commit().unwrap();
    assert_eq!(index.stats().entries, 7);
    assert!(refs(&index, &q("annual health assessments"))
        .iter()
        .all(|r| r != "LAC 02"));
    // Same path again in another form ("./" prefix) is the same paper.
    changed.source.path = "./papers/kent.txt".into();
    assert_eq!(index.add_document(&changed).unwrap(), AddOutcome::Unchanged);
    changed.source.sha256 = "dddd".into();
    index.add_document(&changed).unwrap();
    index.add_document(&changed).unwrap();
    index.commit().unwrap();
    assert_eq!(index.stats().entries, 7, "never duplicates");
}

#[test]
fn unchanged_papers_are_skipped_across_runs() {
    let (d, index) = built();
    drop(index);
    let mut again = SearchIndex::open_or_create(&d.path().join("ix")).unwrap();
    assert!(again.is_unchanged("papers/kent.txt", "aaaa"));
    assert_eq!(again.add_document(&kent()).unwrap(), AddOutcome::Unchanged);
    again.commit().unwrap();
    assert_eq!(again.stats().entries, 9);
}

#[test]
fn removing_a_paper_removes_its_entries() {
    let (_d, mut index) = built();
    assert!(index.remove_document("papers/telford.txt").unwrap());
    assert!(!index.remove_document("papers/nowhere.txt").unwrap());
    index.commit().unwrap();
    assert_eq!(index.stats().entries, 6);
}

#[test]
fn an_index_of_another_version_asks_for_a_rebuild() {
    let (d, index) = built();
    drop(index);
    let dir = d.path().join("ix");
    let meta = std::fs::read_to_string(dir.join(META_FILE)).unwrap();
    let old = meta.replace(
        &format!("\"version\": {INDEX_FORMAT_VERSION}"),
        "\"version\": 0",
    );
    assert_ne!(meta, old);
    std::fs::write(dir.join(META_FILE), old).unwrap();
    let err = SearchIndex::open(&dir).unwrap_err();
    assert!(
        matches!(err, Error::IncompatibleVersion { found: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("must be rebuilt"), "{err}");
    // --rebuild starts over.
    let fresh = SearchIndex::recreate(&dir).unwrap();
    assert_eq!(fresh.stats().entries, 0);
}

#[test]
fn missing_and_foreign_directories_are_named() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("nope");
    let err = SearchIndex::open(&missing).unwrap_err();
    assert!(
        matches!(err, Error::Missing { .. }) && err.to_string().contains("nope"),
        "{err}"
    );
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(matches!(
        SearchIndex::open(&empty),
        Err(Error::Missing { .. })
    ));
    let foreign = d.path().join("photos");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("cat.jpg"), b"x").unwrap();
    assert!(matches!(
        SearchIndex::open(&foreign),
        Err(Error::NotAnIndex { .. })
    ));
    assert!(matches!(
        SearchIndex::open_or_create(&foreign),
        Err(Error::NotAnIndex { .. })
    ));
    assert!(matches!(
        SearchIndex::recreate(&foreign),
        Err(Error::NotAnIndex { .. })
    ));
    assert!(
        foreign.join("cat.jpg").exists(),
        "never deletes what is not an index"
    );
}

#[test]
fn corrupt_indexes_are_reported_not_crashed_on() {
    let (d, index) = built();
    drop(index);
    let dir = d.path().join("ix");
    std::fs::write(dir.join(META_FILE), b"{ not json").unwrap();
    let err = SearchIndex::open(&dir).unwrap_err();
    assert!(
        matches!(err, Error::Corrupt { .. }) && err.to_string().contains("ix"),
        "{err}"
    );

    let (d, index) = built();
    drop(index);
    let dir = d.path().join("ix");
    std::fs::remove_file(dir.join("meta.json")).unwrap();
    assert!(matches!(
        SearchIndex::open(&dir),
        Err(Error::Corrupt { .. })
    ));

    // Truncate every segment file: opening or searching must fail with an error.
    let (d, index) = built();
    drop(index);
    let dir = d.path().join("ix");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name != "meta.json" && name != META_FILE && !name.starts_with('.') {
            std::fs::write(&p, b"").unwrap();
        }
    }
    let outcome = SearchIndex::open(&dir).and_then(|i| i.search(&q("wards")).map(|_| ()));
    assert!(outcome.is_err(), "a truncated index must not answer");
}

fn format_version() -> u32 {
    INDEX_FORMAT_VERSION
}

#[test]
fn damaged_segment_files_are_reported_as_corrupt() {
    let (d, index) = built();
    drop(index);
    let pristine = d.path().join("ix");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let names: Vec<String> = std::fs::read_dir(&pristine)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let segment_files: Vec<&String> = names
        .iter()
        .filter(|n| !n.ends_with(".json") && !n.starts_with('.'))
        .collect();
    assert!(segment_files.len() >= 5, "{names:?}");
    let mut caught = 0;
    for round in 0..36 {
        let dir = d.path().join(format!("damaged{round}"));
        std::fs::create_dir(&dir).unwrap();
        // One segment file per round; only its first half, so tantivy's footer
        // (a JSON trailer it checks on open) stays intact and the damage is met
        // while decoding postings, terms, norms or fast fields.
        let victim = segment_files[round % segment_files.len()];
        for name in &names {
            let mut bytes = std::fs::read(pristine.join(name)).unwrap();
            if name == victim {
                let half = bytes.len() / 2;
                for b in bytes.iter_mut().take(half) {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    if seed.is_multiple_of(16) {
                        *b = (seed >> 32) as u8;
                    }
                }
            }
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        let index = match SearchIndex::open(&dir) {
            Ok(i) => i,
            Err(e) => {
                assert!(matches!(e, Error::Corrupt { .. }), "{e}");
                continue;
            }
        };
        let verified = index.verify();
        assert!(
            matches!(verified, Err(Error::Corrupt { .. })),
            "damage to {victim} went unnoticed"
        );
        caught += 1;
        // Searching such an index may panic in tantivy's decoders (turned into
        // an error by `search`) or abort on a huge allocation (which nothing can
        // catch): hence the CLI verifies before searching, and so does this test.
    }
    assert!(caught > 0);
}

/// Indexes committed under `fixtures/index/vN`, each written by the build that introduced
/// format N. Write the current one with `UPDATE_EXPECT=1 cargo test -p actionplan-index
/// committed` right after a version bump; an existing one is never rewritten, since its
/// point is to have been written by an earlier build. The current version's index must
/// open and answer (a format change without a bump breaks this), and every older one must
/// be refused with the rebuild message.
#[test]
fn committed_indexes_open_at_their_version_and_older_ones_are_refused() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/index"));
    let current = root.join(format!("v{INDEX_FORMAT_VERSION}"));
    if std::env::var_os("UPDATE_EXPECT").is_some() && !current.exists() {
        let mut index = SearchIndex::open_or_create(&current).unwrap();
        index.add_document(&kent()).unwrap();
        index.add_document(&telford()).unwrap();
        index.add_document(&climate()).unwrap();
        index.commit().unwrap();
        drop(index);
        for entry in std::fs::read_dir(&current).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().ends_with(".lock"))
            {
                std::fs::remove_file(p).unwrap();
            }
        }
    }
    for version in 1..=INDEX_FORMAT_VERSION {
        let fixture = root.join(format!("v{version}"));
        // Work on a copy: opening must never need to write, but the fixture stays pristine regardless.
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join("ix");
        std::fs::create_dir(&copy).unwrap();
        for entry in std::fs::read_dir(&fixture)
            .unwrap_or_else(|e| panic!("{} is committed: {e}", fixture.display()))
        {
            let p = entry.unwrap().path();
            std::fs::copy(&p, copy.join(p.file_name().unwrap())).unwrap();
        }
        match (version == format_version(), SearchIndex::open(&copy)) {
            (true, Ok(index)) => {
                let camhs = refs(&index, &q("CAMHS under-18 adult ward"));
                assert!(camhs[..2].contains(&"SG01".to_owned()), "{camhs:?}");
                assert_eq!(refs(&index, &q("solar panels"))[0], "R1");
                let mut r = q("");
                r.timeframe = Some("medium".into());
                let hits = index.search(&r).unwrap().hits;
                assert_eq!(hits.len(), 1);
                let ts = hits[0].hit.timescale.as_ref().and_then(|t| t.timeframe);
                assert_eq!(
                    ts.map(|t| t.horizon),
                    Some(actionplan_model::Horizon::Medium)
                );
            }
            (true, Err(e)) => {
                panic!("the committed version-{version} index cannot be read by this build: {e}")
            }
            (
                false,
                Err(Error::IncompatibleVersion {
                    found, expected, ..
                }),
            ) => {
                assert_eq!((found, expected), (version, INDEX_FORMAT_VERSION));
            }
            (false, Ok(_)) => {
                panic!("a version-{version} index opened after the bump to {INDEX_FORMAT_VERSION}")
            }
            (false, Err(e)) => {
                panic!("the version-{version} index must be refused as incompatible, not: {e}")
            }
        }
    }
}

/// A plan whose timeframes are in the actions' timescale cells, as in climate action plans.
fn climate() -> Document {
    use actionplan_model::Horizon;
    let timed = |reference: &str, text: &str, raw: &str, timeframe: Timeframe| {
        let mut a = action(reference, text, "Property Services", raw);
        if let Some(t) = a.timescale.as_mut() {
            t.timeframe = Some(timeframe);
        }
        a
    };
    doc(
        "papers/climate.txt",
        "cccc",
        "Northshire District Council",
        "2021",
        vec![rec(
            "r1",
            "Reduce emissions from council buildings",
            None,
            vec![
                timed(
                    "R1",
                    "Install solar panels on council depots",
                    "Short/Medium",
                    Timeframe {
                        months_max: Some(36),
                        ..Timeframe::new(Horizon::Short)
                    },
                ),
                timed(
                    "R2",
                    "Retrofit the leisure centres",
                    "Medium/Long",
                    Timeframe {
                        months_min: Some(12),
                        ..Timeframe::new(Horizon::Medium)
                    },
                ),
            ],
        )],
    )
}

#[test]
fn the_timeframe_filter_reads_horizons_old_names_and_action_timescales() {
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(&dir.path().join("ix")).unwrap();
    for d in [kent(), telford(), climate()] {
        index.add_document(&d).unwrap();
    }
    index.commit().unwrap();
    let sorted_refs = |t: &str| {
        let mut r = q("");
        r.limit = 50;
        r.timeframe = Some(t.into());
        let mut v = refs(&index, &r);
        v.sort();
        v
    };
    // Kent's recommendation 2 is due within six months (with its action); climate R1 is Short/Medium.
    assert_eq!(sorted_refs("short"), ["2", "LAC 02", "R1"]);
    assert_eq!(sorted_refs("six_months"), sorted_refs("short"));
    assert_eq!(sorted_refs("Short term"), sorted_refs("short"));
    assert_eq!(sorted_refs("medium"), ["R2"]);
    assert_eq!(sorted_refs("longer_term"), ["2", "2.1", "2.3"]);
    assert_eq!(sorted_refs("long"), sorted_refs("longer-term"));
    assert_eq!(sorted_refs("immediate"), ["1", "SG01", "a", "c"]);
    assert!(sorted_refs("ongoing").is_empty());
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let mut first = SearchIndex::open_or_create(&path).unwrap();
    first.begin_writing().unwrap();
    let mut second = SearchIndex::open_or_create(&path).unwrap();
    let err = second.begin_writing().unwrap_err();
    assert!(matches!(err, crate::Error::Locked { .. }), "{err}");
    drop(first);
    second.begin_writing().unwrap();
}

#[test]
fn asks_and_decisions_are_kinds_of_their_own() {
    use actionplan_model::{ActionState, Decision, DecisionKind, RecommendationKind};
    let dir = tempfile::tempdir().unwrap();
    let mut index = SearchIndex::open_or_create(&dir.path().join("ix")).unwrap();
    let mut done = action(
        "1",
        "Circulate the winter plan to members",
        "Director of Operations",
        "October 2025",
    );
    done.state = Some(ActionState::ProposedForClosure);
    let mut ask = rec(
        "r2",
        "The Board is asked to note the winter plan",
        None,
        vec![],
    );
    ask.kind = RecommendationKind::Ask;
    let mut d = doc(
        "board.txt",
        "cafe0000000000000000000000000000000000000000000000000000000000aa",
        "Any Trust",
        "2025-09-04",
        vec![rec("r1", "Winter plan actions", None, vec![done]), ask],
    );
    d.decisions = vec![Decision {
        id: "d1".into(),
        minute: Some("24/061".into()),
        item: Some("Winter plan".into()),
        reference: Some("3".into()),
        text: "The Board approved the winter plan".into(),
        kind: DecisionKind::Approved,
        opener: Some("RESOLVED:".into()),
        actions: vec![],
        paper: None,
        page: 4,
        line: None,
    }];
    index.add_document(&d).unwrap();
    index.commit().unwrap();
    let kinds = |kind: Option<HitKind>| -> Vec<HitKind> {
        let mut r = q("winter plan");
        r.kind = kind;
        index
            .search(&r)
            .unwrap()
            .hits
            .iter()
            .map(|h| h.hit.kind)
            .collect()
    };
    let all = kinds(None);
    for k in [
        HitKind::Recommendation,
        HitKind::Action,
        HitKind::Ask,
        HitKind::Decision,
    ] {
        assert!(all.contains(&k), "{k:?} missing from {all:?}");
    }
    // A plan search leaves the meeting's business out.
    assert_eq!(
        kinds(Some(HitKind::Recommendation)),
        [HitKind::Recommendation]
    );
    let mut r = q("winter plan");
    r.kind = Some(HitKind::Decision);
    let hit = &index.search(&r).unwrap().hits[0].hit;
    assert_eq!(
        (hit.decision_kind, hit.minute.as_deref(), hit.page),
        (Some(DecisionKind::Approved), Some("24/061"), 4)
    );
    r.kind = Some(HitKind::Action);
    let hit = &index.search(&r).unwrap().hits[0].hit;
    assert_eq!(hit.state, Some(ActionState::ProposedForClosure));
}

#[test]
fn the_same_item_from_several_papers_is_one_hit_with_its_other_sources() {
    let (_d, mut index) = built();
    // The same plan imported again from its PDF render: same council, refs and text,
    // another path and content; the PDF's text differs in spacing and punctuation.
    let mut render = kent();
    render.source.path = "papers/kent.pdf".into();
    render.source.sha256 = "f".repeat(64);
    render.id = "ffffffffffffffff".into();
    for r in &mut render.recommendations {
        for a in &mut r.actions {
            a.text = format!("{}.", a.text.replace(' ', "  "));
        }
    }
    index.add_document(&render).unwrap();
    index.commit().unwrap();
    let res = index.search(&q("psychiatric wards")).unwrap();
    let sg01: Vec<_> = res
        .hits
        .iter()
        .filter(|h| h.hit.reference.as_deref() == Some("SG01"))
        .collect();
    assert_eq!(sg01.len(), 1, "{:#?}", res.hits);
    assert_eq!(sg01[0].also_in.len(), 1);
    let other = &sg01[0].also_in[0];
    assert_ne!(other.source_path, sg01[0].hit.document.source_path);
    assert!(["papers/kent.txt", "papers/kent.pdf"].contains(&other.source_path.as_str()));
    // Ranks stay consecutive after collapsing.
    let ranks: Vec<usize> = res.hits.iter().map(|h| h.rank).collect();
    assert_eq!(ranks, (1..=res.hits.len()).collect::<Vec<_>>());

    // Another council's action with the same words is its own hit.
    let mut other_council = kent();
    other_council.council = Some("Telford & Wrekin Council".into());
    other_council.source.path = "papers/telford-copy.txt".into();
    other_council.source.sha256 = "e".repeat(64);
    other_council.id = "eeeeeeeeeeeeeeee".into();
    index.add_document(&other_council).unwrap();
    index.commit().unwrap();
    let res = index.search(&q("psychiatric wards")).unwrap();
    let n = res
        .hits
        .iter()
        .filter(|h| h.hit.reference.as_deref() == Some("SG01"))
        .count();
    assert_eq!(n, 2, "one hit per council");
}

#[test]
fn a_date_filter_says_how_many_undated_matches_it_left_out() {
    let (_d, mut index) = built();
    let mut undated = kent();
    undated.date = None;
    undated.council = Some("Undated Borough Council".into());
    undated.source.path = "papers/undated.txt".into();
    undated.source.sha256 = "d".repeat(64);
    undated.id = "dddddddddddddddd".into();
    index.add_document(&undated).unwrap();
    index.commit().unwrap();

    let mut r = q("psychiatric wards");
    let all = index.search(&r).unwrap();
    assert_eq!(
        all.undated_left_out, None,
        "no date filter, nothing left out"
    );
    assert!(all
        .hits
        .iter()
        .any(|h| h.hit.document.council.as_deref() == Some("Undated Borough Council")));

    r.from = Some("2000".into());
    let dated = index.search(&r).unwrap();
    assert!(dated.hits.iter().all(|h| h.hit.document.date.is_some()));
    // Exactly the undated paper's matches are counted: all matches minus the dated ones.
    assert_eq!(dated.undated_left_out, Some(all.total - dated.total));
    assert!(dated.undated_left_out.unwrap() > 0);

    // A query the undated paper does not match counts nothing.
    let mut other = q("");
    other.council = Some("telford".into());
    other.to = Some("2030".into());
    assert_eq!(index.search(&other).unwrap().undated_left_out, Some(0));
}
