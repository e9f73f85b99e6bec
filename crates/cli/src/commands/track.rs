//! `actionplan track`: link the same action across a dataset's papers into histories.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

/// Link each action across the papers of one council and committee over time.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Writes DATASET/action_history.json (each history: its entries in date order, with\npaper, date, status, state and update text), DATASET/action_history.csv (one row per\nentry) and an action_history table in DATASET/dataset.sqlite when it exists.\nThe linking rule and its error modes: docs/dataset.md#action-histories.\n\nExample:\n  actionplan import minutes/ --out ds && actionplan track ds"
)]
pub struct Args {
    /// The dataset folder (made by `actionplan import`).
    #[arg(value_name = "DATASET")]
    pub dataset: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let s = actionplan_dataset::track(&args.dataset)
        .with_context(|| format!("cannot track {}", args.dataset.display()))?;
    let outputs: Vec<String> = s.outputs.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "{} actions of {} documents: {} histories of two or more entries ({} links); wrote {}",
        s.actions,
        s.documents,
        s.histories,
        s.links,
        outputs.join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
