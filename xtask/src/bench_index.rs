//! `cargo xtask bench index`: builds a synthetic corpus of action plans from the
//! corpus vocabulary, indexes it, and times a fixed query mix against the index
//! and against a plain substring scan of the same JSON (the baseline).
//! `--relevance` instead prints the relevance report of the real corpus.
//!
//! Options: `--actions N` (default 100000), `--runs N` query-mix repetitions
//! (default 20), `--threads N` indexing threads (default 2), `--seed N`, `--relevance`.
//! Use a release build for figures: `cargo run --release -p xtask -- bench index`.

use fastrand::Rng;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use actionplan_index::{SearchIndex, SearchRequest};
use actionplan_model::{
    Action, Document, GlossaryEntry, Recommendation, Source, SourceFormat, Timeframe, Timescale,
    SCHEMA_VERSION,
};
use anyhow::{bail, Context};

/// The fixed query mix: policy-officer wording, some with filters.
const QUERIES: &[(&str, Option<&str>)] = &[
    ("CAMHS under-18 adult ward", None),
    ("children in care missing school", None),
    ("autism diagnosis waiting list", None),
    ("health checks for looked after children", None),
    ("NEET young people with learning disabilities", None),
    ("domestic abuse training for social workers", None),
    ("teenage pregnancy data", Some("kent")),
    ("foster carer recruitment", None),
    ("\"child protection plan\" 18 months", None),
    ("independent reviewing officer", Some("leicester")),
    ("short breaks disabled children", None),
    ("caseload", None),
];

const PLACES: &[&str] = &[
    "Kent",
    "Leicester",
    "Telford & Wrekin",
    "Kingston upon Thames",
    "Barnsley",
    "Birmingham",
    "Bristol",
    "Cornwall",
    "Cumbria",
    "Derby",
    "Devon",
    "Dorset",
    "Durham",
    "Essex",
    "Gloucestershire",
    "Hampshire",
    "Hertfordshire",
    "Lancashire",
    "Leeds",
    "Lincolnshire",
    "Liverpool",
    "Manchester",
    "Medway",
    "Norfolk",
    "Northamptonshire",
    "Nottingham",
    "Oxfordshire",
    "Plymouth",
    "Portsmouth",
    "Sheffield",
    "Shropshire",
    "Somerset",
    "Southampton",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Sunderland",
    "Swindon",
    "Wakefield",
    "Warwickshire",
    "Wiltshire",
    "Worcestershire",
    "York",
    "Hackney",
    "Camden",
    "Croydon",
    "Ealing",
    "Lambeth",
    "Newham",
    "Southwark",
];
const KINDS: &[&str] = &[
    "County Council",
    "City Council",
    "Borough Council",
    "Council",
    "Children's Trust",
];
const PEOPLE: &[&str] = &[
    "Head of Safeguarding",
    "Head of Commissioning",
    "Attendance Leader",
    "Lead Commissioner Children",
    "Head of Learning & Achievement",
    "Trish Dabrowski",
    "Paul Brightwell",
    "Donna Marriott",
    "Helen Jones",
    "Tim Wells",
    "Gillian Hall",
    "Duncan Clark",
    "Karen Ray",
    "Liz Totman",
    "Director of Children's Services",
    "PCT Director of Strategy",
    "Youth Offending Service Manager",
    "Principal Educational Psychologist",
];
const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

struct Options {
    actions: usize,
    runs: usize,
    threads: usize,
    seed: u64,
    relevance: bool,
}

fn options(args: &[String]) -> anyhow::Result<Options> {
    let mut o = Options {
        actions: 100_000,
        runs: 20,
        threads: 2,
        seed: 2008,
        relevance: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| -> anyhow::Result<usize> {
            let v = it.next().with_context(|| format!("{name} needs a value"))?;
            v.replace('_', "")
                .parse()
                .with_context(|| format!("{name} {v:?} is not a number"))
        };
        match a.as_str() {
            "--actions" => o.actions = value("--actions")?,
            "--runs" => o.runs = value("--runs")?.max(1),
            "--threads" => o.threads = value("--threads")?.max(1),
            "--seed" => o.seed = value("--seed")? as u64,
            "--relevance" => o.relevance = true,
            other => bail!("unknown option {other:?}; try --actions N, --runs N, --threads N, --seed N, --relevance"),
        }
    }
    Ok(o)
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let o = options(args)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    if o.relevance {
        return relevance(&root);
    }
    let work = scratch_dir()?;
    let result = bench(&o, &root, &work);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn scratch_dir() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("actionplan-bench-index-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn relevance(root: &Path) -> anyhow::Result<()> {
    let work = scratch_dir()?;
    let outcome = (|| -> anyhow::Result<()> {
        let mut index = SearchIndex::open_or_create(&work.join("ix"))?;
        let mut papers: Vec<PathBuf> = std::fs::read_dir(root.join("corpus/text"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        papers.sort();
        for p in &papers {
            let doc = actionplan_pipeline::extract_file(p)?;
            index.add_document(&doc)?;
        }
        index.commit()?;
        let json = std::fs::read_to_string(root.join("fixtures/relevance/corpus.json"))?;
        let cases = actionplan_index::relevance::parse_cases(&json)?;
        let report = actionplan_index::relevance::evaluate(&index, &cases)?;
        print!("{report}");
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&work);
    outcome
}

/// Phrases from the real corpus: table cells and sentences of 4 to 30 words.
fn phrase_pool(root: &Path) -> anyhow::Result<Vec<String>> {
    let mut pool = Vec::new();
    for entry in std::fs::read_dir(root.join("corpus/text"))? {
        let text = std::fs::read_to_string(entry?.path())?;
        let mut plain = String::with_capacity(text.len());
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    plain.push('\t');
                }
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        for piece in plain.split(['\t', '\n', '•']).flat_map(|p| p.split(". ")) {
            let words: Vec<&str> = piece.split_whitespace().collect();
            if (4..=30).contains(&words.len())
                && words.iter().any(|w| w.chars().any(char::is_alphabetic))
            {
                pool.push(words.join(" "));
            }
        }
    }
    pool.sort();
    pool.dedup();
    if pool.len() < 100 {
        bail!(
            "corpus/text gave only {} phrases; is the corpus there?",
            pool.len()
        );
    }
    Ok(pool)
}

fn synthetic_action(
    rng: &mut Rng,
    pool: &[String],
    id: String,
    reference: String,
    year: usize,
    depth: usize,
) -> Action {
    let mut text = pool[rng.usize(..pool.len())].clone();
    if rng.usize(..3) == 0 {
        text.push_str("; ");
        text.push_str(pool[rng.usize(..pool.len())].as_str());
    }
    let steps = if depth == 0 && rng.usize(..10) < 3 {
        (0..1 + rng.usize(..4))
            .map(|s| {
                synthetic_action(
                    rng,
                    pool,
                    format!("{id}.s{}", s + 1),
                    format!("{}", (b'a' + s as u8) as char),
                    year,
                    1,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let month = rng.usize(..12);
    Action {
        id,
        reference: Some(reference),
        text,
        lead: vec![PEOPLE[rng.usize(..PEOPLE.len())].to_string()],
        partners: if rng.usize(..2) == 0 {
            vec![PEOPLE[rng.usize(..PEOPLE.len())].to_string()]
        } else {
            vec![]
        },
        resources: None,
        timescale: Some(Timescale {
            raw: format!("{} {}", MONTHS[month], year + 1),
            start: None,
            due: Some(format!("{}-{:02}", year + 1, month + 1)),
            timeframe: None,
        }),
        measures: (0..rng.usize(..3))
            .map(|_| pool[rng.usize(..pool.len())].clone())
            .collect(),
        status: None,
        state: None,
        progress: None,
        page: 1 + rng.usize(..40) as u32,
        line: None,
        table: None,
        row: None,
        steps,
    }
}

/// Documents totalling at least `actions` actions (steps included).
fn synthetic_corpus(rng: &mut Rng, pool: &[String], actions: usize) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut total = 0;
    while total < actions {
        let n = docs.len();
        let council = format!(
            "{} {}",
            PLACES[rng.usize(..PLACES.len())],
            KINDS[rng.usize(..KINDS.len())]
        );
        let year = 2005 + rng.usize(..11);
        let mut recommendations = Vec::new();
        for r in 0..4 + rng.usize(..9) {
            let mut acts = Vec::new();
            for a in 0..2 + rng.usize(..5) {
                let act = synthetic_action(
                    rng,
                    pool,
                    format!("r{}.a{}", r + 1, a + 1),
                    format!("{}.{}", r + 1, a + 1),
                    year,
                    0,
                );
                total += 1 + act.steps.len();
                acts.push(act);
            }
            recommendations.push(Recommendation {
                id: format!("r{}", r + 1),
                kind: Default::default(),
                reference: Some((r + 1).to_string()),
                text: pool[rng.usize(..pool.len())].clone(),
                timeframe: [
                    None,
                    Some(Timeframe::Immediate),
                    Some(Timeframe::SixMonths),
                    Some(Timeframe::LongerTerm),
                ][rng.usize(..4)],
                timeframe_raw: None,
                addressee: None,
                lead: Some(PEOPLE[rng.usize(..PEOPLE.len())].to_string()),
                measures: vec![],
                list: None,
                paper: None,
                page: 1,
                line: None,
                actions: acts,
            });
        }
        let sha = format!(
            "{:016x}{:016x}{:016x}{:016x}",
            rng.u64(..),
            rng.u64(..),
            rng.u64(..),
            n
        );
        docs.push(Document {
            schema_version: SCHEMA_VERSION,
            id: sha[..16].to_owned(),
            source: Source {
                path: format!("synthetic/{n:05}.txt"),
                format: SourceFormat::Text,
                sha256: sha,
                bytes: 0,
                pages: 40,
                encoding: Some("utf-8".into()),
                extractor: "bench".into(),
            },
            council: Some(council),
            title: Some("JAR action plan".into()),
            date: Some(format!(
                "{year}-{:02}-{:02}",
                1 + rng.usize(..12),
                1 + rng.usize(..28)
            )),
            committee: None,
            papers: vec![],
            recommendations,
            grades: vec![],
            glossary: vec![GlossaryEntry {
                term: "CiC".into(),
                expansion: "Child(ren) in Care".into(),
            }],
            decisions: vec![],
            diagnostics: vec![],
        });
    }
    docs
}

/// The 1, 5 and 15 minute load averages, where the system reports them.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(idx).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn dir_size(dir: &Path) -> anyhow::Result<u64> {
    let mut total = 0;
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        total += if e.file_type()?.is_dir() {
            dir_size(&e.path())?
        } else {
            e.metadata()?.len()
        };
    }
    Ok(total)
}

/// The baseline: the whole JSONL in memory, lowercased once; a query keeps the
/// documents whose JSON contains every query word, then parses those and keeps
/// the actions whose text contains every word.
fn substring_scan(
    lines: &[String],
    lowered: &[String],
    query: &str,
    council: Option<&str>,
) -> anyhow::Result<usize> {
    let words: Vec<String> = query
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '"')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let mut hits = 0;
    for (line, low) in lines.iter().zip(lowered) {
        if !words.iter().all(|w| low.contains(w.as_str())) {
            continue;
        }
        let doc: Document = serde_json::from_str(line)?;
        if let Some(c) = council {
            if !doc
                .council
                .as_deref()
                .unwrap_or("")
                .to_lowercase()
                .contains(c)
            {
                continue;
            }
        }
        hits += doc
            .all_actions()
            .filter(|(_, a)| {
                let t = a.text.to_lowercase();
                words.iter().all(|w| t.contains(w.as_str()))
            })
            .count();
    }
    Ok(hits)
}

fn bench(o: &Options, root: &Path, work: &Path) -> anyhow::Result<()> {
    println!(
        "load average before: {} (the machine is shared; figures vary with it)",
        load_average()
    );
    let mut rng = Rng::with_seed(o.seed);
    let pool = phrase_pool(root)?;
    let docs = synthetic_corpus(&mut rng, &pool, o.actions);
    let actions: usize = docs.iter().map(|d| d.all_actions().count()).sum();
    let recommendations: usize = docs.iter().map(|d| d.recommendations.len()).sum();
    let jsonl = work.join("corpus.jsonl");
    let lines: Vec<String> = docs
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()?;
    std::fs::write(&jsonl, lines.join("\n") + "\n")?;
    let json_bytes = std::fs::metadata(&jsonl)?.len();
    drop(docs);
    println!(
        "synthetic corpus: {} documents, {} recommendations, {} actions (steps included), {} councils, years 2005-2015; {:.1} MB of JSONL ({} phrases from corpus/text)",
        lines.len(),
        recommendations,
        actions,
        PLACES.len() * KINDS.len(),
        json_bytes as f64 / 1e6,
        pool.len()
    );

    // Build: read the JSONL, parse, index, commit.
    let ix_dir = work.join("ix");
    let started = Instant::now();
    let mut index = SearchIndex::open_or_create(&ix_dir)?;
    index.set_writer_threads(o.threads);
    let text = std::fs::read_to_string(&jsonl)?;
    for line in text.lines() {
        let doc: Document = serde_json::from_str(line)?;
        index.add_document(&doc)?;
    }
    index.commit()?;
    let build = started.elapsed();
    let entries = index.stats().entries;
    let size = dir_size(&ix_dir)?;
    println!(
        "index build: {:.2} s for {} entries = {:.0} entries/s ({:.0} actions/s), {} writer threads",
        build.as_secs_f64(),
        entries,
        entries as f64 / build.as_secs_f64(),
        actions as f64 / build.as_secs_f64(),
        o.threads
    );
    println!(
        "index size: {:.1} MB ({:.2}x the JSONL)",
        size as f64 / 1e6,
        size as f64 / json_bytes as f64
    );

    // What every CLI search pays before its query: open the index and verify
    // its checksums (files in the page cache, as after a first search).
    drop(index);
    let mut open_samples = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let i = SearchIndex::open(&ix_dir)?;
        i.verify()?;
        open_samples.push(t.elapsed());
    }
    let index = SearchIndex::open(&ix_dir)?;
    println!(
        "open + checksum verification (as each CLI search does): p50 {}",
        ms(percentile(&mut open_samples, 0.5))
    );

    // Queries: warm once, then time the mix `runs` times.
    let request = |q: &str, council: Option<&str>| {
        let mut r = SearchRequest::new(q);
        r.council = council.map(str::to_owned);
        r
    };
    let mut found = Vec::new();
    for (q, c) in QUERIES {
        found.push(index.search(&request(q, *c))?.total);
    }
    let mut index_samples = Vec::new();
    for _ in 0..o.runs {
        for (q, c) in QUERIES {
            let t = Instant::now();
            let res = index.search(&request(q, *c))?;
            index_samples.push(t.elapsed());
            std::hint::black_box(res);
        }
    }

    let lowered: Vec<String> = lines.iter().map(|l| l.to_lowercase()).collect();
    let baseline_runs = (o.runs / 5).max(2);
    let mut scan_samples = Vec::new();
    let mut scan_found = Vec::new();
    for run in 0..baseline_runs {
        for (q, c) in QUERIES {
            let t = Instant::now();
            let n = substring_scan(&lines, &lowered, q, c.map(|c| c.trim()))?;
            scan_samples.push(t.elapsed());
            if run == 0 {
                scan_found.push(n);
            }
        }
    }
    let (ip50, ip99) = (
        percentile(&mut index_samples, 0.5),
        percentile(&mut index_samples, 0.99),
    );
    let (sp50, sp99) = (
        percentile(&mut scan_samples, 0.5),
        percentile(&mut scan_samples, 0.99),
    );
    println!(
        "query latency, index ({} queries x {} runs): p50 {}  p99 {}",
        QUERIES.len(),
        o.runs,
        ms(ip50),
        ms(ip99)
    );
    println!(
        "query latency, substring scan of the JSONL ({} queries x {} runs): p50 {}  p99 {}",
        QUERIES.len(),
        baseline_runs,
        ms(sp50),
        ms(sp99)
    );
    println!(
        "speed-up: p50 {:.0}x  p99 {:.0}x",
        sp50.as_secs_f64() / ip50.as_secs_f64().max(1e-9),
        sp99.as_secs_f64() / ip99.as_secs_f64().max(1e-9)
    );
    println!("load average after: {}", load_average());
    println!("matches per query (index entries | substring-scan actions containing every word):");
    for ((q, c), (a, b)) in QUERIES.iter().zip(found.iter().zip(&scan_found)) {
        let filter = c.map(|c| format!(" --council {c}")).unwrap_or_default();
        println!("  {a:>7} | {b:>7}  {q}{filter}");
    }
    Ok(())
}
