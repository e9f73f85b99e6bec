//! One module per command; each exposes `Args` and `run`.

pub mod export;
pub mod extract;
pub mod import;
pub mod import_worker;
pub mod index;
pub mod layout;
pub mod output;
pub mod progress;
pub mod search;
pub mod track;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Extract(a) => extract::run(a),
        Command::Index(a) => index::run(a),
        Command::Search(a) => search::run(a, cli.color),
        Command::Import(a) => import::run(a),
        Command::Export(a) => export::run(a),
        Command::Track(a) => track::run(a),
        Command::Layout(a) => layout::run(a),
        Command::ImportWorker(a) => import_worker::run(a),
    }
}
