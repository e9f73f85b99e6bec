//! `actionplan index`: papers or extracted JSON into the search index.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use actionplan_index::{AddOutcome, SearchIndex};
use actionplan_model::Document;
use anyhow::Context;

use crate::cli::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// Environment variable naming the index directory when `--index` is not given.
pub const INDEX_ENV: &str = "ACTIONPLAN_INDEX";
/// Index directory used when neither `--index` nor `ACTIONPLAN_INDEX` is given.
pub const DEFAULT_INDEX_DIR: &str = ".actionplan/index";

/// File extensions picked up when walking a directory (named files are always tried).
const WALKED: &[&str] = &[
    "txt", "text", "md", "htm", "html", "pdf", "docx", "json", "jsonl",
];

/// Commit this often so an interrupted run keeps most of its work.
const COMMIT_EVERY: usize = 200;

/// Add papers or extracted JSON to a search index.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  actionplan index corpus/text/\n  actionplan index papers/kent_2008.pdf --index /srv/actionplan/index\n  actionplan extract corpus/text/*.txt --format jsonl > plans.jsonl && actionplan index plans.jsonl\n  actionplan index --rebuild corpus/text/   # after an upgrade changed the index format\n\nA paper already indexed from the same path with the same content (SHA-256) is skipped;\na changed one replaces its old entries. The index directory defaults to $ACTIONPLAN_INDEX,\nelse .actionplan/index under the current directory."
)]
pub struct Args {
    /// Papers (text, HTML, PDF, Word .docx), `.json`/`.jsonl` files written by `actionplan extract`, or directories of them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Index directory.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Delete the index first and build it again from PATHs.
    #[arg(long)]
    pub rebuild: bool,
}

/// The index directory: `--index`, else `$ACTIONPLAN_INDEX`, else `.actionplan/index`.
pub fn index_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    match std::env::var_os(INDEX_ENV) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from(DEFAULT_INDEX_DIR),
    }
}

#[derive(Default)]
struct Tally {
    added: usize,
    replaced: usize,
    unchanged: usize,
    failed: usize,
    entries: usize,
}

impl Tally {
    fn record(&mut self, outcome: AddOutcome) {
        match outcome {
            AddOutcome::Added { entries } => {
                self.added += 1;
                self.entries += entries;
            }
            AddOutcome::Replaced { entries, .. } => {
                self.replaced += 1;
                self.entries += entries;
            }
            AddOutcome::Unchanged => self.unchanged += 1,
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dir = index_dir(args.index.as_deref());
    let mut index = if args.rebuild {
        SearchIndex::recreate(&dir)?
    } else {
        SearchIndex::open_or_create(&dir)?
    };
    index.verify()?;
    let mut tally = Tally::default();
    let mut files = Vec::new();
    for path in &args.paths {
        match collect(path, &mut files) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("error: {e:#}");
                tally.failed += 1;
            }
        }
    }
    let mut since_commit = 0;
    for file in &files {
        match index_file(&mut index, file, &mut tally) {
            Ok(()) => {}
            Err(e) => {
                eprintln!("error: {e:#}");
                tally.failed += 1;
            }
        }
        since_commit += 1;
        if since_commit >= COMMIT_EVERY {
            index.commit()?;
            since_commit = 0;
        }
    }
    index.commit()?;
    let stats = index.stats();
    eprintln!(
        "indexed {} new and {} changed documents ({} entries); {} unchanged skipped; {} failed. {} now holds {} documents, {} entries.",
        tally.added,
        tally.replaced,
        tally.entries,
        tally.unchanged,
        tally.failed,
        dir.display(),
        stats.documents,
        stats.entries
    );
    let processed = tally.added + tally.replaced + tally.unchanged;
    Ok(ExitCode::from(match (processed, tally.failed) {
        (_, 0) => EXIT_OK,
        (0, _) => EXIT_FATAL,
        _ => EXIT_PARTIAL,
    }))
}

/// Adds `path` (or the supported files under it, sorted) to `out`.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if !meta.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("{}: cannot list directory", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if extension(&p).is_some_and(|e| WALKED.contains(&e.as_str())) {
            out.push(p);
        }
    }
    Ok(())
}

fn extension(p: &Path) -> Option<String> {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn index_file(index: &mut SearchIndex, path: &Path, tally: &mut Tally) -> anyhow::Result<()> {
    let label = path.display().to_string();
    match extension(path).as_deref() {
        Some("json") | Some("jsonl") => {
            for doc in read_documents(path)? {
                let outcome = index
                    .add_document(&doc)
                    .with_context(|| format!("{label}: {}", doc.source.path))?;
                warn_if_empty(&doc, outcome);
                tally.record(outcome);
            }
            Ok(())
        }
        _ => {
            let size = std::fs::metadata(path)
                .with_context(|| format!("{label}: cannot read"))?
                .len();
            if size > actionplan_pipeline::MAX_FILE_BYTES {
                // Let the pipeline word the error.
                actionplan_pipeline::extract_file(path)?;
            }
            let bytes = std::fs::read(path).with_context(|| format!("{label}: cannot read"))?;
            if index.is_unchanged(&label, &actionplan_index::sha256_hex(&bytes)) {
                tally.record(AddOutcome::Unchanged);
                return Ok(());
            }
            let doc = actionplan_pipeline::extract_bytes(&label, &bytes)?;
            let outcome = index.add_document(&doc)?;
            warn_if_empty(&doc, outcome);
            tally.record(outcome);
            Ok(())
        }
    }
}

fn warn_if_empty(doc: &Document, outcome: AddOutcome) {
    if doc.recommendations.is_empty() && outcome != AddOutcome::Unchanged {
        eprintln!(
            "warning: {}: no recommendations or actions found; nothing to search in it",
            doc.source.path
        );
    }
}

/// Documents from a `.json` file (one document or an array) or a `.jsonl` file.
fn read_documents(path: &Path) -> anyhow::Result<Vec<Document>> {
    let label = path.display().to_string();
    let file = std::fs::File::open(path).with_context(|| format!("{label}: cannot read"))?;
    if extension(path).as_deref() == Some("jsonl") {
        let mut docs = Vec::new();
        for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("{label}: cannot read"))?;
            if line.trim().is_empty() {
                continue;
            }
            let doc = serde_json::from_str(&line).with_context(|| {
                format!(
                    "{label}:{}: not a document written by `actionplan extract`",
                    n + 1
                )
            })?;
            docs.push(doc);
        }
        return Ok(docs);
    }
    let value: serde_json::Value = serde_json::from_reader(std::io::BufReader::new(file))
        .with_context(|| format!("{label}: not valid JSON"))?;
    let docs = if value.is_array() {
        serde_json::from_value(value)
    } else {
        serde_json::from_value(value).map(|d| vec![d])
    };
    docs.with_context(|| format!("{label}: not a document written by `actionplan extract`"))
}
