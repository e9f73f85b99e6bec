//! `actionplan index`: papers or extracted JSON into the search index.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use actionplan_index::{AddOutcome, SearchIndex};
use actionplan_model::Document;
use anyhow::Context;

use actionplan_dataset::worker::GuardedExtractor;

use crate::cli::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};
use crate::commands::import_worker::GuardArgs;

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
    /// No progress bar (it is drawn only when stderr is a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub guard: GuardArgs,
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
    let mut extractor = args.guard.extractor()?;
    let mut index = if args.rebuild {
        SearchIndex::recreate(&dir)?
    } else {
        SearchIndex::open_or_create(&dir)?
    };
    index.verify()?;
    // Hold the writer lock for the whole run: a concurrent run is refused up front.
    index.begin_writing()?;
    let mut tally = Tally::default();
    let (files, errors) = collect(&args.paths);
    for e in &errors {
        eprintln!("error: {e}");
        tally.failed += 1;
    }
    let bar = crate::commands::progress::file_bar(args.quiet);
    bar.set_length(files.len() as u64);
    let mut since_commit = 0;
    for file in &files {
        match index_file(&mut index, &mut extractor, file, &mut tally, &bar) {
            Ok(()) => {}
            Err(e) => {
                bar.suspend(|| eprintln!("error: {e:#}"));
                tally.failed += 1;
                bar.set_message(format!("{} failed", tally.failed));
            }
        }
        bar.inc(1);
        since_commit += 1;
        if since_commit >= COMMIT_EVERY {
            bar.set_message("committing");
            index.commit()?;
            since_commit = 0;
        }
    }
    bar.set_message("committing");
    index.commit()?;
    bar.finish_and_clear();
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

/// The papers under the PATHs by the walk `import` uses (`actionplan_files::walk`):
/// hidden names skipped, folders filtered to [`WALKED`] extensions, named files
/// always taken (special files are refused later, with the reason).
fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let walk = actionplan_files::walk::walk(
        paths,
        &actionplan_files::walk::WalkOptions {
            exclude: None,
            skip_hidden: true,
        },
    );
    let mut errors: Vec<String> = walk
        .errors
        .iter()
        .map(|(p, e)| format!("{}: cannot read: {e}", p.display()))
        .collect();
    errors.extend(walk.outside.iter().map(|p| {
        format!(
            "{}: not followed: a link to a file outside the PATHs",
            p.display()
        )
    }));
    // Special files go on to `index_file`, which refuses them unread with the reason.
    let mut files: Vec<PathBuf> = walk
        .files
        .into_iter()
        .filter(|p| paths.contains(p) || extension(p).is_some_and(|e| WALKED.contains(&e.as_str())))
        .collect();
    files.extend(walk.special);
    (files, errors)
}

fn extension(p: &Path) -> Option<String> {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

fn index_file(
    index: &mut SearchIndex,
    extractor: &mut GuardedExtractor,
    path: &Path,
    tally: &mut Tally,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<()> {
    let label = path.display().to_string();
    // Folders, FIFOs, sockets, devices and oversized files are refused unread.
    actionplan_pipeline::check_readable(path)?;
    match extension(path).as_deref() {
        Some("json") | Some("jsonl") => {
            for doc in read_documents(path)? {
                let outcome = index
                    .add_document(&doc)
                    .with_context(|| format!("{label}: {}", doc.source.path))?;
                warn_if_empty(&doc, outcome, bar);
                tally.record(outcome);
            }
            Ok(())
        }
        _ => {
            let bytes = std::fs::read(path).with_context(|| format!("{label}: cannot read"))?;
            if index.is_unchanged(&label, &actionplan_index::sha256_hex(&bytes)) {
                tally.record(AddOutcome::Unchanged);
                return Ok(());
            }
            drop(bytes);
            let doc = match extractor.extract(path)? {
                Ok(doc) => doc,
                Err(f) => anyhow::bail!("{label}: {f}"),
            };
            let outcome = index.add_document(&doc)?;
            warn_if_empty(&doc, outcome, bar);
            tally.record(outcome);
            Ok(())
        }
    }
}

fn warn_if_empty(doc: &Document, outcome: AddOutcome, bar: &indicatif::ProgressBar) {
    let empty = doc.recommendations.is_empty() && doc.decisions.is_empty();
    if empty && outcome != AddOutcome::Unchanged {
        bar.suspend(|| {
            eprintln!(
                "warning: {}: no recommendations, actions or decisions found; nothing to search in it",
                doc.source.path
            )
        });
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
