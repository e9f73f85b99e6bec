//! `actionplan import`: folders of papers into a dataset, in parallel, incrementally
//! and crash-safely, with a progress bar and a summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use actionplan_dataset::{Extraction, FileOutcome, ImportOptions, ImportSummary, Progress};
use anyhow::Context;
use indicatif::ProgressBar;

use crate::cli::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};
use crate::commands::import_worker;

/// Import folders of papers into a dataset.
///
/// Every file under the folders is examined; papers (text, HTML, PDF, Word .docx) are
/// recognised by content, not extension. A rerun skips unchanged files, re-extracts
/// changed ones, and notes removed ones. Killing an import and rerunning it loses nothing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  actionplan import ~/papers --out ~/councils-dataset\n  actionplan import kent/ leicester/ --out ds --jobs 2 --quiet --json > run.json\n\nThe dataset then holds documents.jsonl, actions.csv, recommendations.csv,\ndecisions.csv and dataset.sqlite (see docs/dataset.md).\n\nExit codes: 0 every paper imported; 1 some files failed (listed, and recorded in\nDATASET/manifest.sqlite); 2 nothing could be done (bad arguments, no paper imported)."
)]
pub struct Args {
    /// Folders (walked recursively) or files to import.
    #[arg(required = true, value_name = "DIR")]
    pub inputs: Vec<PathBuf>,
    /// The dataset folder (created if missing).
    #[arg(long, value_name = "DATASET_DIR")]
    pub out: PathBuf,
    /// Files extracted at once [default: one per core].
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// No progress bar and no summary on stderr (failures are still in the manifest).
    #[arg(long)]
    pub quiet: bool,
    /// Print the run summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub guard: import_worker::GuardArgs,
    /// Extract again files that failed before, even if unchanged.
    #[arg(long)]
    pub retry_failed: bool,
    /// Do not refresh documents.jsonl, the CSVs and dataset.sqlite at the end.
    #[arg(long)]
    pub no_export: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let timeout = args.guard.timeout()?;
    if args.jobs == Some(0) {
        anyhow::bail!("--jobs must be at least 1");
    }
    let extraction = match args.guard.worker_command()? {
        None => Extraction::InProcess,
        Some(command) => Extraction::Workers { command, timeout },
    };
    let options = ImportOptions {
        inputs: args.inputs.clone(),
        jobs: args.jobs.unwrap_or(0),
        extraction,
        retry_failed: args.retry_failed,
        write_exports: !args.no_export,
    };
    let progress = Bar::new(args.quiet);
    let result = actionplan_dataset::import(&args.out, &options, &progress);
    progress.bar.finish_and_clear();
    let summary = result.with_context(|| format!("import into {} failed", args.out.display()))?;
    if !args.quiet {
        print_summary(&summary, &args.out);
    }
    // Even with --quiet: a warning says where something of the user's was kept.
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    if args.json {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
        out.flush()?;
    }
    let failed = summary.failed + summary.failed_unchanged;
    Ok(ExitCode::from(if summary.ok_files == 0 {
        EXIT_FATAL
    } else if failed > 0 {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    }))
}

fn print_summary(s: &ImportSummary, out: &std::path::Path) {
    let rate = if s.elapsed_secs > 0.0 {
        (s.extracted + s.duplicates) as f64 / s.elapsed_secs
    } else {
        0.0
    };
    eprintln!(
        "imported {} files in {:.1}s ({rate:.0} files/s): {} extracted, {} duplicates, {} unchanged, {} failed{}, {} unsupported, {} removed; dataset has {} documents",
        s.found,
        s.elapsed_secs,
        s.extracted,
        s.duplicates,
        s.unchanged,
        s.failed + s.failed_unchanged,
        if s.failed_unchanged > 0 { format!(" ({} unchanged since an earlier run; --retry-failed retries them)", s.failed_unchanged) } else { String::new() },
        s.unsupported,
        s.removed,
        s.documents,
    );
    const SHOWN: usize = 10;
    for f in s.failures.iter().take(SHOWN) {
        eprintln!("  failed: {} [{}] {}", f.path, f.kind, f.reason);
    }
    let total_failed = s.failed as usize;
    if total_failed > SHOWN {
        eprintln!("  … and {} more", total_failed - SHOWN);
    }
    if s.failed + s.failed_unchanged > 0 {
        eprintln!(
            "  all failures: sqlite3 {} \"SELECT path, reason_kind, reason FROM files WHERE status = 'failed'\"",
            out.join("manifest.sqlite").display()
        );
    }
    if s.ok_files == 0 {
        eprintln!("error: no paper could be imported");
    }
}

/// The progress bar: files done/total, rate, ETA and failures so far. Hidden when
/// stderr is not a terminal (batch jobs) or with `--quiet`.
struct Bar {
    bar: ProgressBar,
    failed: AtomicU64,
}

impl Bar {
    fn new(quiet: bool) -> Bar {
        let bar = crate::commands::progress::file_bar(quiet);
        bar.set_message("walking folders");
        Bar {
            bar,
            failed: AtomicU64::new(0),
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
        self.bar.set_message("0 failed");
    }

    fn file_done(&self, _path: &std::path::Path, outcome: &FileOutcome) {
        if let FileOutcome::Failed { .. } = outcome {
            let n = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
            self.bar.set_message(format!("{n} failed"));
        }
        self.bar.inc(1);
    }

    fn phase(&self, name: &str) {
        self.bar.set_message(name.to_owned());
    }
}
