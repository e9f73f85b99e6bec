//! Command-line definition. Each command's arguments live beside its code in
//! `commands/`; this file only lists the commands and the exit codes.

use clap::{Parser, Subcommand};

use crate::commands::{export, extract, import, import_worker, index, layout, search, track};

/// Every input processed without a failure.
pub const EXIT_OK: u8 = 0;
/// Some inputs failed (each named on stderr and, for import, in the manifest); the rest were processed.
pub const EXIT_PARTIAL: u8 = 1;
/// Nothing could be done: bad arguments, unreadable index, every input failed.
pub const EXIT_FATAL: u8 = 2;

/// Turn UK council committee papers into structured, searchable action plans.
#[derive(Debug, Parser)]
#[command(name = "actionplan", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success; 1 some inputs failed (others were processed); 2 nothing could be done."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract action plans from papers (text, HTML, PDF, Word .docx) as JSON.
    Extract(extract::Args),
    /// Add papers or extracted JSON to a search index.
    Index(index::Args),
    /// Search the index across councils.
    Search(search::Args),
    /// Import folders of papers into a dataset (parallel, incremental, resumable).
    Import(import::Args),
    /// Export a dataset as JSONL, JSON, CSV or SQLite.
    Export(export::Args),
    /// Link the same action across a dataset's papers over time (action histories).
    Track(track::Args),
    /// Show the layout a paper was read into (for debugging extraction).
    Layout(layout::Args),
    /// Internal worker process of `import`, `extract` and `index` (not for direct use).
    #[command(name = "__import-worker", hide = true)]
    ImportWorker(import_worker::Args),
}
