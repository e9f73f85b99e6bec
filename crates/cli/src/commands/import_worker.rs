//! `actionplan __import-worker` (hidden): the child process `import`, `extract` and
//! `index` run extractions in, so a file that crashes, hangs or exhausts memory
//! costs only that file. The guard options the three commands share are here too.

use std::time::Duration;

use actionplan_dataset::worker::GuardedExtractor;
use anyhow::Context;

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
    /// Folder to store extracted documents in (`import`); without it, documents are
    /// sent back on stdout (`extract`, `index`).
    pub documents_dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    actionplan_dataset::worker::serve(
        stdin.lock(),
        stdout.lock(),
        args.documents_dir.as_deref(),
        args.memory_limit,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// How each paper is guarded: shared by `import`, `extract` and `index`.
#[derive(Debug, Clone, clap::Args)]
pub struct GuardArgs {
    /// Stop extracting a file after this many seconds and record it as failed.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Address-space cap of each extraction worker, in MiB (0: no cap).
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    pub memory_limit: u64,
    /// Extract inside this process instead of a guarded worker process (faster to
    /// start, but a crashing or hanging paper stops the whole run).
    #[arg(long)]
    pub no_isolation: bool,
}

impl GuardArgs {
    /// The per-file timeout, checked.
    pub fn timeout(&self) -> anyhow::Result<Duration> {
        if !(self.timeout > 0.0 && self.timeout.is_finite()) {
            anyhow::bail!("--timeout must be a positive number of seconds");
        }
        Ok(Duration::from_secs_f64(self.timeout))
    }

    /// The worker command line (this executable's hidden worker command), or
    /// `None` with `--no-isolation`.
    pub fn worker_command(&self) -> anyhow::Result<Option<Vec<std::ffi::OsString>>> {
        if self.no_isolation {
            return Ok(None);
        }
        let exe = std::env::current_exe()
            .context("cannot find the actionplan executable to start workers")?;
        let mut command = vec![exe.into_os_string(), COMMAND.into()];
        if self.memory_limit > 0 {
            command.push("--memory-limit".into());
            command.push(self.memory_limit.to_string().into());
        }
        Ok(Some(command))
    }

    /// A one-file-at-a-time extractor for `extract` and `index`.
    pub fn extractor(&self) -> anyhow::Result<GuardedExtractor> {
        let timeout = self.timeout()?;
        Ok(match self.worker_command()? {
            Some(command) => GuardedExtractor::workers(command, timeout),
            None => GuardedExtractor::in_process(),
        })
    }
}
