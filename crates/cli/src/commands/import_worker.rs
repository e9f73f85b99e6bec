//! `actionplan __import-worker` (hidden): the child process `import` runs
//! extractions in, so a file that hangs or exhausts memory costs only that file.

use std::path::PathBuf;
use std::process::ExitCode;

/// Name of the hidden subcommand, as `import` passes it to the child.
pub const COMMAND: &str = "__import-worker";

/// Internal: reads JSON requests on stdin, writes one JSON answer per line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Cap this process's address space (MiB).
    #[arg(long, value_name = "MIB")]
    pub memory_limit: Option<u64>,
    /// Folder to store extracted documents in.
    pub documents_dir: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    actionplan_dataset::worker::serve(
        stdin.lock(),
        stdout.lock(),
        &args.documents_dir,
        args.memory_limit,
    )?;
    Ok(ExitCode::SUCCESS)
}
