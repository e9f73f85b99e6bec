//! Importing folders of papers into a dataset: walk, hash, compare with the
//! manifest, extract what changed (in parallel, in guarded worker processes),
//! record every outcome, note removed files, then refresh the exports.

use std::ffi::OsString;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actionplan_pipeline::{EXTRACTOR_REVISION, MAX_FILE_BYTES};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::export::{export_all_default, ExportSummary};
use crate::manifest::{FileStatus, Manifest, Previous, Reader, Record};
use crate::worker::{self, Call, Response, Worker, WorkerSpec};
use crate::{io_err, store, walk, Dataset, DatasetError, Result};

/// How files are extracted.
#[derive(Debug, Clone)]
pub enum Extraction {
    /// In the importing process: fastest, but a hang or crash in an extractor
    /// stops the import. For tests and trusted inputs.
    InProcess,
    /// In long-lived child processes started with `command` (the documents folder
    /// is appended as the last argument), each file bounded by `timeout`.
    Workers {
        command: Vec<OsString>,
        timeout: Duration,
    },
}

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Folders (walked recursively) and files to import.
    pub inputs: Vec<PathBuf>,
    /// Parallel extractions; 0 means one per core.
    pub jobs: usize,
    pub extraction: Extraction,
    /// Extract again files that failed before even if unchanged.
    pub retry_failed: bool,
    /// Refresh `documents.jsonl`, the CSVs and `dataset.sqlite` at the end.
    pub write_exports: bool,
}

/// What happened to one file in this run.
#[derive(Debug, Clone)]
pub enum FileOutcome {
    /// Extracted, document stored.
    Extracted,
    /// Same content as a file already extracted: stored once, this path recorded.
    Duplicate,
    /// Same content and extractor revision as last time: nothing done.
    Unchanged(FileStatus),
    Failed {
        kind: String,
        reason: String,
    },
    Unsupported {
        kind: String,
        reason: String,
    },
}

/// Where import progress goes (the CLI draws a progress bar from it).
pub trait Progress: Sync {
    /// Files found; called once before any `file_done`.
    fn start(&self, _total: u64) {}
    fn file_done(&self, _path: &Path, _outcome: &FileOutcome) {}
    /// A named phase after extraction ("marking removed files", "writing exports").
    fn phase(&self, _name: &str) {}
}

impl Progress for () {}

/// One failure, for the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub path: String,
    pub kind: String,
    pub reason: String,
}

/// Counts for one run, also stored in the manifest's `runs` table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportSummary {
    pub run: i64,
    /// Files found under the inputs.
    pub found: u64,
    /// Bytes of the files hashed.
    pub bytes: u64,
    pub extracted: u64,
    pub duplicates: u64,
    /// Unchanged files skipped (any status).
    pub unchanged: u64,
    /// Files that failed in this run.
    pub failed: u64,
    /// Unchanged files still failed from an earlier run (not retried).
    pub failed_unchanged: u64,
    pub unsupported: u64,
    /// Files recorded before but no longer found under the inputs.
    pub removed: u64,
    /// Files under the inputs that have a document now (extracted, duplicate or unchanged).
    pub ok_files: u64,
    /// Documents in the dataset after this run (distinct contents).
    pub documents: u64,
    pub elapsed_secs: f64,
    /// Whether exports were rewritten in this run.
    pub exports_written: bool,
    /// The first failures (all are in the manifest).
    pub failures: Vec<Failure>,
    /// What the user should know about the exports (a rebuilt `dataset.sqlite` that
    /// held objects added by hand, kept beside it).
    pub warnings: Vec<String>,
}

const MAX_LISTED_FAILURES: usize = 50;
const BATCH_ROWS: usize = 512;
const BATCH_WAIT: Duration = Duration::from_millis(250);

/// Imports `options.inputs` into the dataset at `dataset_dir`.
pub fn import(
    dataset_dir: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportSummary> {
    let started = Instant::now();
    let roots = walk::Roots::new(&options.inputs)?;
    let ds = Dataset::create_or_open(dataset_dir)?;
    let ds_root = std::fs::canonicalize(ds.root()).map_err(io_err(ds.root()))?;
    let manifest_path = ds.manifest_path();
    let manifest = Manifest::open(&manifest_path)?;
    let jobs = if options.jobs == 0 {
        rayon::current_num_threads().max(1)
    } else {
        options.jobs
    };
    let run = manifest.begin_run(&roots.labels(), jobs, EXTRACTOR_REVISION)?;

    let found = walk::walk(roots.paths(), &ds_root);
    let mut summary = ImportSummary {
        run,
        found: (found.files.len() + found.errors.len() + found.outside.len() + found.special.len())
            as u64,
        ..Default::default()
    };
    progress.start(summary.found);

    let documents_dir = ds.documents_dir();
    let ctx = Context {
        documents_dir: documents_dir.clone(),
        manifest_path: manifest_path.clone(),
        roots: roots.clone(),
        retry_failed: options.retry_failed,
        extraction: match &options.extraction {
            Extraction::InProcess => None,
            Extraction::Workers { command, timeout } => Some(WorkerSpec {
                command: command.clone(),
                timeout: *timeout,
                documents_dir: Some(documents_dir.clone()),
            }),
        },
        workers: Mutex::new(Vec::new()),
        readers: Mutex::new(Vec::new()),
    };

    // One writer owns the manifest; extraction threads send it rows through a
    // bounded channel, so a slow disk slows extraction instead of filling memory.
    let (tx, rx) = sync_channel::<(Record, Option<Failure>)>(1024);
    let writer = std::thread::scope(|scope| -> Result<(Manifest, Tally)> {
        let handle = scope.spawn(|| write_records(manifest, run, &documents_dir, rx));
        for (dir, e) in &found.errors {
            let rec = failed_record(
                roots.label(dir),
                "io",
                &format!("cannot list folder: {e}"),
                None,
            );
            progress.file_done(
                dir,
                &FileOutcome::Failed {
                    kind: "io".into(),
                    reason: e.to_string(),
                },
            );
            let failure = Failure {
                path: rec.path.clone(),
                kind: "io".into(),
                reason: rec.reason.clone().unwrap_or_default(),
            };
            if tx.send((rec, Some(failure))).is_err() {
                break;
            }
        }
        let unread = found
            .outside
            .iter()
            .map(|p| {
                (
                    p,
                    "symlink_outside",
                    "symlink to a file outside the input folders; not followed",
                )
            })
            .chain(found.special.iter().map(|p| {
                (
                    p,
                    "special_file",
                    "a FIFO, socket or device, not a regular file; not read",
                )
            }));
        for (link, kind, reason) in unread {
            let mut rec = failed_record(roots.label(link), kind, reason, None);
            rec.status = FileStatus::Unsupported;
            rec.outcome = "unsupported";
            progress.file_done(
                link,
                &FileOutcome::Unsupported {
                    kind: kind.into(),
                    reason: reason.into(),
                },
            );
            if tx.send((rec, None)).is_err() {
                break;
            }
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .map_err(|e| DatasetError::Io {
                path: "<thread pool>".into(),
                source: std::io::Error::other(e),
            })?;
        let fatal: Mutex<Option<DatasetError>> = Mutex::new(None);
        pool.install(|| {
            found
                .files
                .par_iter()
                .for_each_with(tx.clone(), |tx, path| {
                    if fatal.lock().map(|f| f.is_some()).unwrap_or(true) {
                        return;
                    }
                    match ctx.process(path) {
                        Ok((outcome, record)) => {
                            progress.file_done(path, &outcome);
                            let failure = match &outcome {
                                FileOutcome::Failed { kind, reason } => Some(Failure {
                                    path: record.path.clone(),
                                    kind: kind.clone(),
                                    reason: reason.clone(),
                                }),
                                _ => None,
                            };
                            if tx.send((record, failure)).is_err() {
                                // The writer stopped (its error is returned below): stop too.
                                if let Ok(mut f) = fatal.lock() {
                                    f.get_or_insert(DatasetError::Corrupt {
                                        path: manifest_path.display().to_string(),
                                        reason: "manifest writer stopped".into(),
                                    });
                                }
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = fatal.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                });
        });
        drop(tx);
        // Workers exit when their stdin closes.
        if let Ok(mut w) = ctx.workers.lock() {
            w.clear();
        }
        let written = handle.join().unwrap_or_else(|_| {
            Err(DatasetError::Corrupt {
                path: manifest_path.display().to_string(),
                reason: "manifest writer panicked".into(),
            })
        });
        // The writer's own error explains a stop better than ours.
        let (manifest, tally) = written?;
        if let Some(e) = fatal.into_inner().ok().flatten() {
            return Err(e);
        }
        Ok((manifest, tally))
    });
    let (mut manifest, tally) = writer?;
    summary.bytes = tally.bytes;
    summary.extracted = tally.extracted;
    summary.duplicates = tally.duplicates;
    summary.unchanged = tally.unchanged;
    summary.failed = tally.failed;
    summary.failed_unchanged = tally.failed_unchanged;
    summary.unsupported = tally.unsupported;
    summary.ok_files = tally.ok_files;
    summary.failures = tally.failures;

    progress.phase("noting removed files");
    let unlisted: Vec<String> = found
        .errors
        .iter()
        .map(|(dir, _)| roots.label(dir))
        .collect();
    summary.removed = manifest.mark_removed(run, &roots.labels(), &unlisted)?;
    remove_orphan_documents(&ds, &manifest)?;

    if options.write_exports
        && (manifest.exports_stale()? || !crate::export::default_exports_exist(&ds))
    {
        progress.phase("writing exports");
        let ExportSummary { warnings, .. } = export_all_default(&ds, &manifest)?;
        summary.warnings = warnings;
        // Action histories across the papers, into the exports just written.
        crate::track::track_with(&ds, &manifest)?;
        manifest.set_meta("exports_stale", "0")?;
        summary.exports_written = true;
    }
    summary.documents = count_documents(&manifest)?;
    summary.elapsed_secs = started.elapsed().as_secs_f64();
    let json = serde_json::to_string(&summary).unwrap_or_default();
    manifest.finish_run(run, &json)?;
    Ok(summary)
}

fn count_documents(m: &Manifest) -> Result<u64> {
    let mut n = 0;
    m.for_each_document(|_, _| {
        n += 1;
        Ok(())
    })?;
    Ok(n)
}

/// Deletes stored documents no path points at any more (changed or removed files).
/// Runs after the manifest commit, so a kill here only leaves garbage, never a gap.
fn remove_orphan_documents(ds: &Dataset, manifest: &Manifest) -> Result<()> {
    let dir = ds.documents_dir();
    for entry in std::fs::read_dir(&dir).map_err(io_err(&dir))? {
        let entry = entry.map_err(io_err(&dir))?;
        let name = entry.file_name();
        let Some(sha) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        if sha.len() == 64 && !manifest.is_live(sha)? {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

struct Context {
    documents_dir: PathBuf,
    manifest_path: PathBuf,
    /// Names files in the manifest (relative to their input's parent).
    roots: walk::Roots,
    retry_failed: bool,
    extraction: Option<WorkerSpec>,
    /// Idle workers and manifest readers, checked out by whichever thread needs one.
    workers: Mutex<Vec<Worker>>,
    readers: Mutex<Vec<Reader>>,
}

impl Context {
    fn process(&self, path: &Path) -> Result<(FileOutcome, Record)> {
        let label = self.roots.label(path);
        let Some(path_str) = path.to_str() else {
            let reason = "path is not valid UTF-8; rename the file".to_string();
            let rec = failed_record(label, "path", &reason, None);
            return Ok((
                FileOutcome::Failed {
                    kind: "path".into(),
                    reason,
                },
                rec,
            ));
        };
        let (sha, bytes) = match hash_file(path) {
            Ok(h) => h,
            Err(HashError::TooLarge(bytes)) => {
                let reason =
                    format!("file is too large ({bytes} bytes; the limit is {MAX_FILE_BYTES})");
                let mut rec = failed_record(label, "too_large", &reason, None);
                rec.bytes = Some(bytes);
                return Ok((
                    FileOutcome::Failed {
                        kind: "too_large".into(),
                        reason,
                    },
                    rec,
                ));
            }
            Err(HashError::Io(e)) => {
                let reason = format!("cannot read: {e}");
                let rec = failed_record(label, "io", &reason, None);
                return Ok((
                    FileOutcome::Failed {
                        kind: "io".into(),
                        reason,
                    },
                    rec,
                ));
            }
        };
        let (previous, duplicate) = {
            let reader = self.reader()?;
            let previous = reader.previous(&label);
            let duplicate = reader.has_ok(&sha, EXTRACTOR_REVISION);
            if let Ok(mut pool) = self.readers.lock() {
                pool.push(reader);
            }
            (previous?, duplicate?)
        };
        let doc_exists = || store::document_path(&self.documents_dir, &sha).exists();
        let record = |status, outcome, kind: Option<&str>, reason: Option<&str>| Record {
            path: label.clone(),
            sha256: Some(sha.clone()),
            bytes: Some(bytes),
            status,
            reason_kind: kind.map(str::to_owned),
            reason: reason.map(str::to_owned),
            document_id: (status == FileStatus::Ok).then(|| sha[..16].to_owned()),
            outcome,
        };
        if let Some(Previous {
            sha256: Some(prev_sha),
            status,
            revision,
        }) = &previous
        {
            // Any other extractor, older or newer, may have given another document.
            let same = *prev_sha == sha && revision == EXTRACTOR_REVISION;
            let skip = match status {
                FileStatus::Ok => same && doc_exists(),
                FileStatus::Unsupported => same,
                FileStatus::Failed => same && !self.retry_failed,
                FileStatus::Removed => false,
            };
            if skip {
                return Ok((
                    FileOutcome::Unchanged(*status),
                    record(*status, "unchanged", None, None),
                ));
            }
        }
        if duplicate && doc_exists() {
            return Ok((
                FileOutcome::Duplicate,
                record(FileStatus::Ok, "duplicate", None, None),
            ));
        }
        let response = match &self.extraction {
            None => worker::extract_one(&self.documents_dir, path_str, Some(&label)),
            Some(spec) => self.call_worker(spec, path_str, &label)?,
        };
        Ok(match response {
            Response::Ok {
                sha256,
                bytes,
                document_id,
            } => {
                // The worker's hash wins: the file may have changed since we hashed it.
                let mut rec = record(FileStatus::Ok, "extracted", None, None);
                rec.sha256 = Some(sha256);
                rec.bytes = Some(bytes);
                rec.document_id = Some(document_id);
                (FileOutcome::Extracted, rec)
            }
            Response::Err {
                kind,
                reason,
                unsupported: true,
            } => (
                FileOutcome::Unsupported {
                    kind: kind.clone(),
                    reason: reason.clone(),
                },
                record(
                    FileStatus::Unsupported,
                    "unsupported",
                    Some(&kind),
                    Some(&reason),
                ),
            ),
            Response::Document { .. } => (
                FileOutcome::Failed {
                    kind: "protocol".into(),
                    reason: "worker returned the document inline".into(),
                },
                record(
                    FileStatus::Failed,
                    "failed",
                    Some("protocol"),
                    Some("worker returned the document inline"),
                ),
            ),
            Response::Err {
                kind,
                reason,
                unsupported: false,
            } => (
                FileOutcome::Failed {
                    kind: kind.clone(),
                    reason: reason.clone(),
                },
                record(FileStatus::Failed, "failed", Some(&kind), Some(&reason)),
            ),
        })
    }

    fn reader(&self) -> Result<Reader> {
        let pooled = self.readers.lock().ok().and_then(|mut p| p.pop());
        match pooled {
            Some(r) => Ok(r),
            None => Reader::open(&self.manifest_path),
        }
    }

    fn call_worker(&self, spec: &WorkerSpec, path: &str, label: &str) -> Result<Response> {
        let pooled = self.workers.lock().ok().and_then(|mut p| p.pop());
        let mut worker = match pooled {
            Some(w) => w,
            None => Worker::spawn(spec)?,
        };
        match worker.call(path, Some(label), false, spec.timeout) {
            Call::Done(r) => {
                if let Ok(mut pool) = self.workers.lock() {
                    pool.push(worker);
                }
                Ok(r)
            }
            // The worker is gone; the next file starts a fresh one.
            Call::Lost { kind, reason } => Ok(Response::Err {
                kind: kind.into(),
                reason,
                unsupported: false,
            }),
        }
    }
}

fn failed_record(label: String, kind: &str, reason: &str, sha256: Option<String>) -> Record {
    Record {
        path: label,
        sha256,
        bytes: None,
        status: FileStatus::Failed,
        reason_kind: Some(kind.into()),
        reason: Some(reason.into()),
        document_id: None,
        outcome: "failed",
    }
}

enum HashError {
    TooLarge(u64),
    Io(std::io::Error),
}

/// SHA-256 and size of a file, read in chunks so memory does not depend on its size.
fn hash_file(path: &Path) -> std::result::Result<(String, u64), HashError> {
    let mut file = std::fs::File::open(path).map_err(HashError::Io)?;
    let len = file.metadata().map_err(HashError::Io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(HashError::TooLarge(len));
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(HashError::Io)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    Ok((digest.iter().map(|b| format!("{b:02x}")).collect(), total))
}

#[derive(Default)]
struct Tally {
    bytes: u64,
    extracted: u64,
    duplicates: u64,
    unchanged: u64,
    failed: u64,
    failed_unchanged: u64,
    unsupported: u64,
    ok_files: u64,
    failures: Vec<Failure>,
}

/// The manifest writer: batches rows into transactions. Before each commit it
/// syncs the file system, so no committed `ok` row can point at a document that a
/// power cut could still lose.
fn write_records(
    mut manifest: Manifest,
    run: i64,
    documents_dir: &Path,
    rx: Receiver<(Record, Option<Failure>)>,
) -> Result<(Manifest, Tally)> {
    let mut tally = Tally::default();
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH_ROWS);
    let mut open = true;
    while open {
        let deadline = Instant::now() + BATCH_WAIT;
        while batch.len() < BATCH_ROWS {
            let wait = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok((rec, failure)) => {
                    count(&mut tally, &rec, failure);
                    batch.push(rec);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    open = false;
                    break;
                }
            }
        }
        if batch.is_empty() {
            continue;
        }
        if batch.iter().any(|r| r.outcome == "extracted") {
            store::sync_fs(documents_dir)?;
        }
        manifest.write_batch(run, EXTRACTOR_REVISION, &batch)?;
        batch.clear();
    }
    Ok((manifest, tally))
}

fn count(t: &mut Tally, rec: &Record, failure: Option<Failure>) {
    t.bytes += rec.bytes.unwrap_or(0);
    if rec.status == FileStatus::Ok {
        t.ok_files += 1;
    }
    match (rec.outcome, rec.status) {
        ("extracted", _) => t.extracted += 1,
        ("duplicate", _) => t.duplicates += 1,
        ("unchanged", FileStatus::Failed) => {
            t.unchanged += 1;
            t.failed_unchanged += 1;
        }
        ("unchanged", _) => t.unchanged += 1,
        ("unsupported", _) => t.unsupported += 1,
        _ => t.failed += 1,
    }
    if let Some(f) = failure {
        if t.failures.len() < MAX_LISTED_FAILURES {
            t.failures.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(input: &Path) -> ImportOptions {
        ImportOptions {
            inputs: vec![input.to_owned()],
            jobs: 2,
            extraction: Extraction::InProcess,
            retry_failed: false,
            write_exports: true,
        }
    }

    #[test]
    fn in_process_import_is_incremental() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(input.join("sub")).unwrap();
        std::fs::write(
            input.join("a.txt"),
            "Recommendation 1\tImprove things by March 2009\n",
        )
        .unwrap();
        std::fs::write(
            input.join("sub/b.txt"),
            "Recommendation 1\tImprove things by March 2009\n",
        )
        .unwrap();
        std::fs::write(input.join("sub/c.bin"), b"\0\x01\x02binary\0\0").unwrap();
        let ds = dir.path().join("ds");
        let s = import(&ds, &options(&input), &()).unwrap();
        assert_eq!(
            (s.found, s.ok_files, s.unsupported, s.failed, s.documents),
            (3, 2, 1, 0, 1)
        );
        assert!(s.exports_written);
        let s = import(&ds, &options(&input), &()).unwrap();
        assert_eq!((s.unchanged, s.extracted, s.duplicates), (3, 0, 0));
        assert!(!s.exports_written);
        std::fs::remove_file(input.join("a.txt")).unwrap();
        let s = import(&ds, &options(&input), &()).unwrap();
        assert_eq!((s.removed, s.documents), (1, 1));
        let jsonl = std::fs::read_to_string(ds.join("documents.jsonl")).unwrap();
        assert_eq!(jsonl.lines().count(), 1);
        assert!(
            jsonl.contains("sub/b.txt"),
            "the remaining path names the document"
        );
    }

    fn objects(db: &Path) -> Vec<String> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.map(Result::unwrap).collect()
    }

    #[test]
    fn user_sql_is_replayed_after_every_rebuild_and_hand_additions_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        let paper = |name: &str, text: &str| {
            std::fs::write(
                input.join(name),
                format!("Recommendation 1\t{text} by March 2009\n"),
            )
            .unwrap()
        };
        paper("a.txt", "Improve the libraries");
        let ds = dir.path().join("ds");
        let db = ds.join("dataset.sqlite");
        import(&ds, &options(&input), &()).unwrap();

        // Additions in user.sql survive every rebuild.
        std::fs::write(
            ds.join("user.sql"),
            "CREATE VIEW my_recommendations AS SELECT text FROM recommendations;
             CREATE VIRTUAL TABLE my_fts USING fts5 (text);
             INSERT INTO my_fts SELECT text FROM recommendations;",
        )
        .unwrap();
        paper("b.txt", "Repair the swimming pool");
        let s = import(&ds, &options(&input), &()).unwrap();
        assert!(s.exports_written && s.warnings.is_empty(), "{s:?}");
        let names = objects(&db);
        assert!(names.iter().any(|n| n == "my_recommendations"), "{names:?}");
        let conn = rusqlite::Connection::open(&db).unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM my_fts WHERE my_fts MATCH 'pool'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "user.sql ran on the rebuilt tables");

        // Something added by hand to dataset.sqlite is not dropped silently: the old
        // file is kept beside the new one, and the import says so.
        conn.execute_batch("CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
        drop(conn);
        paper("c.txt", "Open a youth centre");
        let s = import(&ds, &options(&input), &()).unwrap();
        assert_eq!(s.warnings.len(), 1, "{s:?}");
        assert!(s.warnings[0].contains("table notes"), "{}", s.warnings[0]);
        assert!(
            !s.warnings[0].contains("my_"),
            "user.sql's own: {}",
            s.warnings[0]
        );
        let kept: Vec<PathBuf> = std::fs::read_dir(&ds)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("dataset.sqlite.kept-"))
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        let note: String = rusqlite::Connection::open(&kept[0])
            .unwrap()
            .query_row("SELECT t FROM notes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(note, "mine");
        assert!(!objects(&db).iter().any(|n| n == "notes"));
        assert!(objects(&db).iter().any(|n| n == "my_recommendations"));

        // An edited user.sql is replayed by the next import, even with no new paper.
        std::fs::write(
            ds.join("user.sql"),
            "CREATE VIEW leads AS SELECT lead FROM actions;",
        )
        .unwrap();
        let later = std::time::SystemTime::now() + Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(ds.join("user.sql"))
            .unwrap()
            .set_modified(later)
            .unwrap();
        let s = import(&ds, &options(&input), &()).unwrap();
        assert!(s.exports_written);
        assert!(objects(&db).iter().any(|n| n == "leads"));
        // What the old user.sql made and the new one does not is no loss.
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        assert!(!objects(&db).iter().any(|n| n == "my_recommendations"));

        // A user.sql that fails stops the export with its name and reason; the
        // database in place is left as it was.
        std::fs::write(
            ds.join("user.sql"),
            "CREATE INDEX broken ON no_such_table (x);",
        )
        .unwrap();
        std::fs::File::options()
            .write(true)
            .open(ds.join("user.sql"))
            .unwrap()
            .set_modified(later + Duration::from_secs(5))
            .unwrap();
        let e = import(&ds, &options(&input), &())
            .unwrap_err()
            .with_causes();
        assert!(e.contains("user.sql") && e.contains("no_such_table"), "{e}");
        assert!(objects(&db).iter().any(|n| n == "leads"));
    }

    /// Every file under `dir` (recursively) whose bytes contain one of `needles`.
    fn files_containing(dir: &Path, needles: &[String]) -> Vec<PathBuf> {
        let mut hits = Vec::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let bytes = std::fs::read(&p).unwrap();
                if needles
                    .iter()
                    .any(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
                {
                    hits.push(p);
                }
            }
        }
        hits
    }

    /// The spellings of a temp folder's absolute path (as given and canonical).
    fn spellings(dir: &Path) -> Vec<String> {
        let mut out = vec![dir.display().to_string()];
        out.push(std::fs::canonicalize(dir).unwrap().display().to_string());
        out.dedup();
        out
    }

    #[test]
    fn moving_the_input_and_the_dataset_changes_nothing_and_leaks_no_absolute_path() {
        let here = tempfile::tempdir().unwrap();
        let input = here.path().join("papers");
        std::fs::create_dir_all(input.join("kent/2008")).unwrap();
        std::fs::write(
            input.join("kent/2008/report.txt"),
            "Recommendation 1\tImprove the libraries by March 2009\n",
        )
        .unwrap();
        std::fs::write(
            input.join("top.txt"),
            "Recommendation 1\tRepair the swimming pool by May 2010\n",
        )
        .unwrap();
        std::fs::write(input.join("kent/empty.txt"), "").unwrap();
        let ds = here.path().join("ds");
        let s = import(&ds, &options(&input), &()).unwrap();
        assert_eq!((s.extracted, s.unsupported, s.failed), (2, 1, 0), "{s:?}");

        // Move both to another place; import again from there.
        let there = tempfile::tempdir().unwrap();
        let (input2, ds2) = (there.path().join("papers"), there.path().join("moved-ds"));
        std::fs::rename(&input, &input2).unwrap();
        std::fs::rename(&ds, &ds2).unwrap();
        let s = import(&ds2, &options(&input2), &()).unwrap();
        assert_eq!(
            (
                s.found,
                s.unchanged,
                s.extracted,
                s.duplicates,
                s.removed,
                s.documents
            ),
            (3, 3, 0, 0, 0, 2),
            "nothing is re-registered: {s:?}"
        );
        assert!(!s.exports_written, "nothing changed: {s:?}");

        // Names are relative to the input folder's parent, in the manifest and exports.
        let conn = rusqlite::Connection::open(ds2.join("manifest.sqlite")).unwrap();
        let mut st = conn
            .prepare("SELECT path FROM files ORDER BY path")
            .unwrap();
        let paths: Vec<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            paths,
            [
                "papers/kent/2008/report.txt",
                "papers/kent/empty.txt",
                "papers/top.txt"
            ]
        );
        let jsonl = std::fs::read_to_string(ds2.join("documents.jsonl")).unwrap();
        assert!(
            jsonl.contains(r#""path":"papers/kent/2008/report.txt""#),
            "{jsonl}"
        );
        let mut needles = spellings(here.path());
        needles.extend(spellings(there.path()));
        let leaks = files_containing(&ds2, &needles);
        assert!(leaks.is_empty(), "absolute paths in {leaks:?}");

        // A second folder imported into the same dataset later keeps the first's files.
        let other = there.path().join("leicester");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(
            other.join("plan.txt"),
            "Recommendation 1\tOpen a youth centre by June 2011\n",
        )
        .unwrap();
        let s = import(&ds2, &options(&other), &()).unwrap();
        assert_eq!((s.extracted, s.removed, s.documents), (1, 0, 3), "{s:?}");

        // Two inputs of one name cannot be told apart: refused, naming both.
        let twin = here.path().join("b/papers");
        std::fs::create_dir_all(&twin).unwrap();
        let mut both = options(&input2);
        both.inputs.push(twin);
        let e = import(&ds2, &both, &()).unwrap_err();
        assert!(matches!(e, DatasetError::InputNameClash { .. }), "{e}");
    }

    #[test]
    fn a_version_1_manifest_of_absolute_paths_is_migrated_and_survives_a_move() {
        let here = tempfile::tempdir().unwrap();
        let input = here.path().join("papers");
        std::fs::create_dir_all(input.join("sub")).unwrap();
        std::fs::write(
            input.join("sub/a.txt"),
            "Recommendation 1\tImprove the libraries by March 2009\n",
        )
        .unwrap();
        std::fs::write(input.join("b.bin"), b"\0\x01binary\0").unwrap();
        let ds = here.path().join("ds");
        import(&ds, &options(&input), &()).unwrap();

        // Make it what version 1 wrote: absolute paths in files, runs and documents.
        let parent = std::fs::canonicalize(here.path()).unwrap();
        let abs = |label: &str| parent.join(label).display().to_string();
        {
            let conn = rusqlite::Connection::open(ds.join("manifest.sqlite")).unwrap();
            conn.execute_batch(&format!(
                "UPDATE files SET path = '{}/' || path;
                 UPDATE runs SET roots = '[\"{}\"]';
                 UPDATE meta SET value = '1' WHERE key = 'manifest_version';
                 UPDATE meta SET value = '0' WHERE key = 'exports_stale';",
                parent.display(),
                abs("papers"),
            ))
            .unwrap();
        }
        for e in std::fs::read_dir(ds.join("documents")).unwrap() {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p).unwrap();
            let text = text.replace(
                "\"papers/sub/a.txt\"",
                &format!("{:?}", abs("papers/sub/a.txt")),
            );
            std::fs::write(&p, text).unwrap();
        }
        crate::export::export_all_default(
            &Dataset::open(&ds).unwrap(),
            &Manifest::open_read_only(&ds.join("manifest.sqlite")).unwrap(),
        )
        .unwrap();
        let jsonl = std::fs::read_to_string(ds.join("documents.jsonl")).unwrap();
        assert!(
            jsonl.contains(&abs("papers/sub/a.txt")),
            "the old export: {jsonl}"
        );

        // Moved, then imported: the rows are found under their new names.
        let there = tempfile::tempdir().unwrap();
        let input2 = there.path().join("papers");
        std::fs::rename(&input, &input2).unwrap();
        let s = import(&ds, &options(&input2), &()).unwrap();
        assert_eq!(
            (s.found, s.unchanged, s.extracted, s.duplicates, s.removed),
            (2, 2, 0, 0, 0),
            "{s:?}"
        );
        assert!(
            s.exports_written,
            "exports naming absolute paths are rewritten"
        );
        let conn = rusqlite::Connection::open(ds.join("manifest.sqlite")).unwrap();
        let (version, roots): (String, String) = conn
            .query_row(
                "SELECT (SELECT value FROM meta WHERE key = 'manifest_version'), (SELECT roots FROM runs WHERE id = 1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((version.as_str(), roots.as_str()), ("2", r#"["papers"]"#));
        drop(conn);
        let mut needles = spellings(here.path());
        needles.extend(spellings(there.path()));
        // Stored documents keep the path they were extracted from until re-extracted
        // (docs/dataset.md); nothing else does, not even the manifest's free pages.
        let leaks: Vec<PathBuf> = files_containing(&ds, &needles)
            .into_iter()
            .filter(|p| !p.starts_with(ds.join("documents")))
            .collect();
        assert!(leaks.is_empty(), "absolute paths in {leaks:?}");
    }

    #[test]
    fn files_extracted_by_another_extractor_are_extracted_again() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        for (name, text) in [
            ("a.txt", "Improve the libraries"),
            ("b.txt", "Repair the swimming pool"),
            ("c.txt", "Open a youth centre"),
        ] {
            std::fs::write(
                input.join(name),
                format!("Recommendation 1\t{text} by March 2009\n"),
            )
            .unwrap();
        }
        let ds = dir.path().join("ds");
        import(&ds, &options(&input), &()).unwrap();
        let conn = rusqlite::Connection::open(ds.join("manifest.sqlite")).unwrap();
        let recorded: String = conn
            .query_row("SELECT DISTINCT extractor_revision FROM files", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(recorded, EXTRACTOR_REVISION);
        // a.txt by a build of a number-revision era, b.txt by other extraction code
        // of the same release; c.txt by this build.
        conn.execute_batch(
            "UPDATE files SET extractor_revision = 3 WHERE path = 'in/a.txt';
             UPDATE files SET extractor_revision = 'actionplan 0.1.0+000000000000' WHERE path = 'in/b.txt';",
        )
        .unwrap();
        drop(conn);
        let s = import(&ds, &options(&input), &()).unwrap();
        assert_eq!((s.extracted, s.unchanged, s.duplicates), (2, 1, 0), "{s:?}");
        let conn = rusqlite::Connection::open(ds.join("manifest.sqlite")).unwrap();
        let n: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM files WHERE extractor_revision = ?1",
                [EXTRACTOR_REVISION],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 3);
        let docs = std::fs::read_to_string(ds.join("documents.jsonl")).unwrap();
        assert_eq!(docs.matches(actionplan_pipeline::EXTRACTOR).count(), 3);
    }
}
