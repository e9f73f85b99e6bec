//! `actionplan`: the command-line tool. Parses arguments, runs one command, maps the
//! outcome to a documented exit code. All printing happens in this crate.

mod cli;
mod commands;

use std::process::ExitCode;

fn main() -> ExitCode {
    quiet_panics();
    let args = <cli::Cli as clap::Parser>::parse();
    match commands::run(args) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(cli::EXIT_FATAL)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Extractor panics are caught and reported per file (with the message); the
/// default hook would also print its own lines (and, with `RUST_BACKTRACE`, a whole
/// backtrace) for each. One line is enough; `RUST_BACKTRACE=full` restores the default.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v == "full") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("internal error: {}{at}", msg.replace('\n', " "));
    }));
}
