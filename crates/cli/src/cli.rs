//! Command-line definition. Each command's arguments live beside its code in
//! `commands/`; this file only lists the commands and the exit codes.

use clap::{Parser, Subcommand};

use crate::commands::{export, extract, import, import_worker, index, layout, search, track};

/// Every input processed without a failure.
pub const EXIT_OK: u8 = 0;
/// Some inputs failed (each named on stderr and, for import, in the manifest); the rest were processed.
pub const EXIT_PARTIAL: u8 = 1;
/// `search` only: nothing matched (as grep and ripgrep exit 1).
pub const EXIT_NO_MATCH: u8 = 1;
/// Nothing could be done: bad arguments, unreadable index, every input failed.
pub const EXIT_FATAL: u8 = 2;

/// Turn UK council committee papers into structured, searchable action plans.
#[derive(Debug, Parser)]
#[command(name = "actionplan", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 success; 1 some inputs failed (others were processed), or for search nothing matched; 2 nothing could be done."
)]
pub struct Cli {
    /// Colour and emphasis in output: auto (only on a terminal, and not when NO_COLOR is
    /// set), always, or never. Without colour, matches are not marked at all.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`: as in ripgrep and `ls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a stream that is (or is not) a terminal.
    /// `auto` honours NO_COLOR (<https://no-color.org>: set and not empty means no colour).
    pub fn enabled(self, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::ColorChoice;
    use std::ffi::OsStr;

    #[test]
    fn colour_follows_the_terminal_no_color_and_the_flag() {
        assert!(ColorChoice::Auto.enabled(true, None));
        assert!(!ColorChoice::Auto.enabled(false, None));
        assert!(!ColorChoice::Auto.enabled(true, Some(OsStr::new("1"))));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(ColorChoice::Auto.enabled(true, Some(OsStr::new(""))));
        assert!(ColorChoice::Always.enabled(false, Some(OsStr::new("1"))));
        assert!(!ColorChoice::Never.enabled(true, None));
    }
}
