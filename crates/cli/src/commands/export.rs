//! `actionplan export`: a dataset as JSONL, JSON, CSV or SQLite.

use std::path::PathBuf;
use std::process::ExitCode;

use actionplan_dataset::ExportFormat;
use anyhow::Context;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One document per line, the full model [default path: DATASET/documents.jsonl].
    Jsonl,
    /// One JSON array of documents [DATASET/documents.json].
    Json,
    /// actions.csv, recommendations.csv and decisions.csv; --out is a folder [DATASET/].
    Csv,
    /// Normalized SQLite database [DATASET/dataset.sqlite].
    Sqlite,
}

/// Export a dataset made by `actionplan import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  actionplan export ds --format sqlite --out councils.sqlite\n  actionplan export ds --format csv --out csv/     # csv/actions.csv, csv/recommendations.csv, csv/decisions.csv\n  actionplan export ds --format json"
)]
pub struct Args {
    /// The dataset folder.
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Output file (a folder for csv) [default: inside the dataset].
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Json => ExportFormat::Json,
        Format::Csv => ExportFormat::Csv,
        Format::Sqlite => ExportFormat::Sqlite,
    };
    let summary = actionplan_dataset::export(&args.dataset, format, args.out.as_deref())
        .with_context(|| format!("cannot export {}", args.dataset.display()))?;
    let outputs: Vec<String> = summary
        .outputs
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    eprintln!(
        "wrote {} ({} documents, {} recommendations, {} actions)",
        outputs.join(", "),
        summary.documents,
        summary.recommendations,
        summary.actions
    );
    for w in &summary.warnings {
        eprintln!("warning: {w}");
    }
    Ok(ExitCode::SUCCESS)
}
