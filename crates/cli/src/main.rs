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
            eprintln!("error: {}", error_line(&err));
            if let Some(hint) = hint(&err) {
                eprintln!("  {hint}");
            }
            ExitCode::from(cli::EXIT_FATAL)
        }
    }
}

/// The error and its causes on one line, each said once: a cause already quoted by
/// the message above it is left out, and a path that ends a context and opens its
/// cause ("cannot export DS" + "DS: not a dataset") is printed once.
fn error_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain().map(ToString::to_string) {
        let cause = cause.trim().to_owned();
        if cause.is_empty() || parts.iter().any(|p| p.contains(&cause)) {
            continue;
        }
        if let Some(last) = parts.last_mut() {
            if let Some((head, _)) = cause.split_once(": ") {
                if let Some(stripped) = last.strip_suffix(head) {
                    let stripped = stripped.trim_end();
                    if !stripped.is_empty() {
                        *last = stripped.to_owned();
                    }
                }
            }
        }
        parts.push(cause);
    }
    parts.join(": ")
}

/// What to run about an error the libraries report (they do not know the commands).
fn hint(err: &anyhow::Error) -> Option<String> {
    use actionplan_index::Error as Ix;
    err.chain().find_map(|c| match c.downcast_ref::<Ix>()? {
        Ix::Missing { path } => Some(format!(
            "build one with `actionplan index PATH... --index {}`",
            path.display()
        )),
        Ix::IncompatibleVersion { path, .. } | Ix::Corrupt { path, .. } => Some(format!(
            "rebuild it with `actionplan index --rebuild PATH... --index {}`",
            path.display()
        )),
        Ix::Locked { .. } => {
            Some("another `actionplan index` run is writing it; try again when it finishes".into())
        }
        _ => None,
    })
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

#[cfg(test)]
mod tests {
    use super::error_line;
    use anyhow::Context;

    #[test]
    fn index_errors_get_the_command_that_fixes_them() {
        let e = anyhow::Error::from(actionplan_index::Error::Missing {
            path: "/tmp/ix".into(),
        });
        assert_eq!(
            super::hint(&e).as_deref(),
            Some("build one with `actionplan index PATH... --index /tmp/ix`")
        );
        let e = anyhow::Error::from(actionplan_index::Error::Corrupt {
            path: "/tmp/ix".into(),
            reason: "bad footer".into(),
        })
        .context("cannot search");
        assert!(super::hint(&e).unwrap().contains("--rebuild"));
        assert_eq!(super::hint(&anyhow::anyhow!("other")), None);
    }

    #[test]
    fn each_reason_and_path_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = Err::<(), _>(io)
            .context("/data/ds: not a dataset (no dataset.json)")
            .context("cannot export /data/ds")
            .unwrap_err();
        assert_eq!(
            error_line(&e),
            "cannot export: /data/ds: not a dataset (no dataset.json): no such file"
        );
        // A message that already quotes its cause does not repeat it.
        let inner = anyhow::anyhow!("disk full");
        let e = inner.context("cannot write out.json: disk full");
        assert_eq!(error_line(&e), "cannot write out.json: disk full");
        // Unrelated messages are all kept, in order.
        let e = anyhow::anyhow!("permission denied").context("index failed");
        assert_eq!(error_line(&e), "index failed: permission denied");
    }
}
