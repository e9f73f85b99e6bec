//! `actionplan extract`: papers to JSON documents.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One pretty-printed JSON document per input (a JSON array on stdout when several).
    Json,
    /// One compact JSON document per line.
    Jsonl,
}

/// Extract action plans from papers.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  actionplan extract corpus/text/telford_wrekin_2008_jar_action_plan.txt\n  actionplan extract corpus/text/*.txt --format jsonl > plans.jsonl\n  actionplan extract corpus/text/*.txt --out out/   # writes out/<stem>.json"
)]
pub struct Args {
    /// Papers to read (text, HTML, PDF or Word .docx; the format is sniffed from content).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write one file per input into this directory (`<stem>.json`, or `<stem>.jsonl`) instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut ok, mut failed) = (0usize, 0usize);
    let many_json = args.out.is_none() && args.format == Format::Json && args.files.len() > 1;
    if many_json {
        writeln!(out, "[")?;
    }
    for path in &args.files {
        let doc = match actionplan_pipeline::extract_file(path) {
            Ok(doc) => doc,
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
                continue;
            }
        };
        let text = match args.format {
            Format::Json => serde_json::to_string_pretty(&doc)?,
            Format::Jsonl => serde_json::to_string(&doc)?,
        };
        match &args.out {
            Some(dir) => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "document".into());
                let ext = if args.format == Format::Json {
                    "json"
                } else {
                    "jsonl"
                };
                let target = dir.join(format!("{stem}.{ext}"));
                write_atomic(&target, format!("{text}\n").as_bytes())
                    .with_context(|| format!("cannot write {}", target.display()))?;
            }
            None => {
                if many_json && ok > 0 {
                    writeln!(out, ",")?;
                }
                write!(out, "{text}")?;
                if !many_json {
                    writeln!(out)?;
                }
            }
        }
        ok += 1;
    }
    if many_json {
        writeln!(out, "\n]")?;
    }
    out.flush()?;
    Ok(ExitCode::from(match (ok, failed) {
        (_, 0) => EXIT_OK,
        (0, _) => EXIT_FATAL,
        _ => EXIT_PARTIAL,
    }))
}

fn write_atomic(target: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = target.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target)
}
