//! `actionplan layout`: shows the format-agnostic layout a backend built, for
//! debugging extraction (what the normalizer sees).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// Print the layout (pages, headings, paragraphs, list items, tables) of one paper as JSON.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The paper to read.
    pub file: PathBuf,
    /// Instead of the layout, say how each table and list was read: columns → roles
    /// with the evidence for each, and why a table was or was not taken as a plan.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let label = args.file.display().to_string();
    // Folders, FIFOs and devices are refused unread, as by `extract`.
    actionplan_pipeline::check_readable(&args.file)?;
    let bytes = std::fs::read(&args.file).with_context(|| format!("{label}: cannot read"))?;
    let (layout, _, _) = actionplan_pipeline::layout_bytes(&label, &bytes)?;
    // Written with `?`, not println!, so a closed pipe (`| head`) ends the command
    // quietly instead of panicking.
    let mut out = std::io::stdout().lock();
    if args.explain {
        for line in actionplan_normalize::explain(&layout) {
            writeln!(out, "{line}")?;
        }
    } else {
        writeln!(out, "{}", serde_json::to_string_pretty(&layout)?)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
