//! Extraction in child processes, so that a paper which hangs or blows up an
//! extractor costs one file, not the import.
//!
//! A worker is a long-lived process (the CLI's hidden `__import-worker` command)
//! reading one JSON request per line on stdin and answering one JSON line on
//! stdout. It writes the document itself (`documents/<sha256>.json`, atomically),
//! so documents never travel through the pipe. The importer keeps one worker per
//! thread, kills a worker that exceeds the per-file timeout, and starts a new one;
//! the worker caps its own address space (`RLIMIT_AS`) at start.
//!
//! The same workers guard `extract` and `index` through [`GuardedExtractor`]: there
//! the request asks for the document back (`inline`), as one JSON string in the
//! answer line, and no documents folder is involved.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{io_err, store, DatasetError, Result};
use actionplan_files as atomic;

/// Environment variable naming a fault to inject, for tests of the guards:
/// `hang:NAME`, `abort:NAME`, `oom:NAME` (allocate until the memory cap) or
/// `slow:NAME` (sleep 20 ms first) or `panic:NAME` (a caught panic in the
/// extractor) acts on any file whose path ends in NAME. Read only in builds with
/// the `fault-injection` feature (the test builds: the CLI turns it on through a
/// dev-dependency); a release binary ignores it.
pub const FAULT_ENV: &str = "ACTIONPLAN_WORKER_FAULT";

/// One file to extract.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    /// Path to read.
    pub path: String,
    /// Send the document back in the answer ([`Response::Document`]) instead of
    /// storing it in the documents folder.
    #[serde(default)]
    pub inline: bool,
    /// The path to record as the stored document's `source.path` (the manifest's
    /// name for the file, relative to the input folder's parent); `path` if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// The answer for one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Response {
    /// The document was written to `documents/<sha256>.json`.
    Ok {
        sha256: String,
        bytes: u64,
        document_id: String,
    },
    /// The document itself, as JSON text (answer to an `inline` request).
    Document { json: String },
    /// The file is not a paper we read (`unsupported`) or extraction failed.
    Err {
        kind: String,
        reason: String,
        unsupported: bool,
    },
}

/// Serves requests until stdin closes: the body of the hidden worker command.
/// `memory_limit_mb` caps this process's address space first. Without a documents
/// folder only `inline` requests are served.
pub fn serve(
    input: impl BufRead,
    mut output: impl Write,
    documents_dir: Option<&Path>,
    memory_limit_mb: Option<u64>,
) -> Result<()> {
    apply_process_limits(memory_limit_mb);
    for line in input.lines() {
        let line = line.map_err(io_err(Path::new("<stdin>")))?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(req) if req.inline => extract_inline(&req.path),
            Ok(req) => match documents_dir {
                Some(dir) => extract_one(dir, &req.path, req.label.as_deref()),
                None => Response::Err {
                    kind: "protocol".into(),
                    reason: "this worker has no documents folder".into(),
                    unsupported: false,
                },
            },
            Err(e) => Response::Err {
                kind: "protocol".into(),
                reason: e.to_string(),
                unsupported: false,
            },
        };
        let text = serde_json::to_string(&response).unwrap_or_default();
        writeln!(output, "{text}")
            .and_then(|_| output.flush())
            .map_err(io_err(Path::new("<stdout>")))?;
    }
    Ok(())
}

/// Reads, extracts and stores one file, recorded under `label` (its path if
/// none). Used by workers and by in-process imports.
pub(crate) fn extract_one(documents_dir: &Path, path: &str, label: Option<&str>) -> Response {
    let mut doc = match extract_guarded(path) {
        Ok(doc) => doc,
        Err(e) => return e,
    };
    if let Some(label) = label {
        // The dataset names files relative to their input, never by a local absolute path.
        doc.source.path = label.to_owned();
    }
    let text = match serde_json::to_vec(&doc) {
        Ok(t) => t,
        Err(e) => {
            return Response::Err {
                kind: "serialize".into(),
                reason: e.to_string(),
                unsupported: false,
            }
        }
    };
    // A document this build cannot read back would break every later export:
    // record it as a failed file instead.
    if let Err(reason) = store::parse_document(std::str::from_utf8(&text).unwrap_or_default()) {
        return Response::Err {
            kind: "unreadable".into(),
            reason: format!("extracted document cannot be read back: {reason}"),
            unsupported: false,
        };
    }
    let target = store::document_path(documents_dir, &doc.source.sha256);
    // Not synced here: the importer syncs the file system once per manifest batch.
    if let Err(e) = atomic::write_atomic(&target, &text, false).map_err(DatasetError::from) {
        return Response::Err {
            kind: "io".into(),
            reason: e.with_causes(),
            unsupported: false,
        };
    }
    Response::Ok {
        sha256: doc.source.sha256.clone(),
        bytes: doc.source.bytes,
        document_id: doc.id,
    }
}

/// Extracts one file and answers with the document itself.
pub(crate) fn extract_inline(path: &str) -> Response {
    match extract_guarded(path) {
        Ok(doc) => match serde_json::to_string(&doc) {
            Ok(json) => Response::Document { json },
            Err(e) => Response::Err {
                kind: "serialize".into(),
                reason: e.to_string(),
                unsupported: false,
            },
        },
        Err(e) => e,
    }
}

/// Extraction with panics caught and failures turned into an answer.
fn extract_guarded(path: &str) -> std::result::Result<actionplan_model::Document, Response> {
    let result = std::panic::catch_unwind(|| {
        inject_fault(path);
        actionplan_pipeline::extract_file(Path::new(path))
    });
    match result {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => {
            let kind = e.kind();
            let message = e.to_string();
            // The manifest row already names the file; keep only the reason.
            let reason = message
                .strip_prefix(&format!("{path}: "))
                .unwrap_or(&message)
                .to_owned();
            Err(Response::Err {
                kind: kind.into(),
                reason,
                unsupported: matches!(kind, "empty" | "unsupported" | "directory" | "special_file"),
            })
        }
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "extractor panicked".into());
            Err(Response::Err {
                kind: "panic".into(),
                reason,
                unsupported: false,
            })
        }
    }
}

#[cfg(not(feature = "fault-injection"))]
fn inject_fault(_path: &str) {}

#[cfg(feature = "fault-injection")]
fn inject_fault(path: &str) {
    let Ok(spec) = std::env::var(FAULT_ENV) else {
        return;
    };
    let Some((fault, name)) = spec.split_once(':') else {
        return;
    };
    if name.is_empty() || !path.ends_with(name) {
        return;
    }
    match fault {
        "hang" => loop {
            std::thread::sleep(Duration::from_secs(3600));
        },
        "abort" => std::process::abort(),
        "slow" => std::thread::sleep(Duration::from_millis(20)),
        "panic" => panic!("injected panic"),
        "oom" => {
            // Reserve (without touching) memory until the address-space cap stops us.
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(vec![0u8; 64 << 20]);
                std::hint::black_box(&hoard);
            }
        }
        _ => {}
    }
}

fn apply_process_limits(memory_limit_mb: Option<u64>) {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl/setrlimit with plain integer arguments and a struct we own.
    unsafe {
        // Die with the importer, even when it is killed with -9.
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if let Some(mb) = memory_limit_mb {
            let bytes = mb.saturating_mul(1024 * 1024) as libc::rlim_t;
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            libc::setrlimit(libc::RLIMIT_AS, &lim);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = memory_limit_mb;
}

/// How to start workers and guard each file.
#[derive(Debug, Clone)]
pub(crate) struct WorkerSpec {
    /// Program and arguments; the documents folder, if any, is appended as the last argument.
    pub command: Vec<OsString>,
    pub timeout: Duration,
    pub documents_dir: Option<PathBuf>,
}

/// Result of asking a worker for one file.
pub(crate) enum Call {
    Done(Response),
    /// The worker died or timed out on this file and has been discarded.
    Lost {
        kind: &'static str,
        reason: String,
    },
}

/// A running worker process.
pub(crate) struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr_tail: Arc<Mutex<Vec<String>>>,
}

impl Worker {
    pub(crate) fn spawn(spec: &WorkerSpec) -> Result<Worker> {
        let describe = || {
            spec.command
                .iter()
                .map(|s| s.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let (program, args) =
            spec.command
                .split_first()
                .ok_or_else(|| DatasetError::WorkerSpawn {
                    command: String::new(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        "empty worker command",
                    ),
                })?;
        let mut child = Command::new(program)
            .args(args)
            .args(spec.documents_dir.iter())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| DatasetError::WorkerSpawn {
                command: describe(),
                source,
            })?;
        let stdin = child.stdin.take();
        let (tx, lines) = std::sync::mpsc::channel();
        if let Some(stdout) = child.stdout.take() {
            // A reader thread turns the blocking pipe into a channel we can wait on
            // with a timeout; it ends when the worker's stdout closes.
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        let stderr_tail = Arc::new(Mutex::new(Vec::new()));
        if let Some(stderr) = child.stderr.take() {
            let tail = Arc::clone(&stderr_tail);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Ok(mut t) = tail.lock() {
                        if t.len() >= 4 {
                            t.remove(0);
                        }
                        t.push(line);
                    }
                }
            });
        }
        Ok(Worker {
            child,
            stdin,
            lines,
            stderr_tail,
        })
    }

    /// Sends one request and waits at most the timeout. On `Lost`, the caller must
    /// drop this worker (it has been killed and reaped).
    pub(crate) fn call(
        &mut self,
        path: &str,
        label: Option<&str>,
        inline: bool,
        timeout: Duration,
    ) -> Call {
        let req = serde_json::to_string(&Request {
            path: path.to_owned(),
            inline,
            label: label.map(str::to_owned),
        })
        .unwrap_or_default();
        let sent = match self.stdin.as_mut() {
            Some(stdin) => writeln!(stdin, "{req}").and_then(|_| stdin.flush()).is_ok(),
            None => false,
        };
        if !sent {
            return self.lost(
                "crashed",
                "extraction worker exited before the request".into(),
            );
        }
        match self.lines.recv_timeout(timeout) {
            Ok(line) => match serde_json::from_str::<Response>(&line) {
                Ok(r) => Call::Done(r),
                Err(e) => self.lost(
                    "crashed",
                    format!("extraction worker answered garbage ({e})"),
                ),
            },
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Call::Lost {
                    kind: "timeout",
                    reason: format!(
                        "extraction took longer than {} s and was stopped",
                        timeout.as_secs_f64()
                    ),
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.lost("crashed", "extraction worker died".into())
            }
        }
    }

    fn lost(&mut self, kind: &'static str, what: String) -> Call {
        let _ = self.child.kill();
        let status = self.child.wait().ok();
        // Let the stderr reader drain the last words of the worker.
        std::thread::sleep(Duration::from_millis(20));
        let tail = self
            .stderr_tail
            .lock()
            .map(|t| t.join(" | "))
            .unwrap_or_default();
        let mut reason = what;
        if let Some(status) = status {
            reason.push_str(&format!(" ({})", describe_exit(status)));
        }
        if tail.contains("memory allocation") {
            reason.push_str(": over the worker memory limit");
        } else if tail.contains("overflowed its stack") {
            reason.push_str(": stack overflow (input nested too deeply)");
        }
        if !tail.is_empty() {
            reason.push_str(&format!("; stderr: {tail}"));
        }
        let kind = if tail.contains("memory allocation") {
            "memory_limit"
        } else if tail.contains("overflowed its stack") {
            "stack_overflow"
        } else {
            kind
        };
        Call::Lost { kind, reason }
    }
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            return format!("killed by signal {sig}");
        }
    }
    match status.code() {
        Some(c) => format!("exit code {c}"),
        None => "no exit code".into(),
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin tells an idle worker to exit; give it a moment, then make sure.
        self.stdin = None;
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Why a guarded extraction produced no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractFailure {
    /// Machine-readable kind ("crashed", "timeout", "memory_limit", "pdf_corrupt", …).
    pub kind: String,
    /// What went wrong, without the file name.
    pub reason: String,
    /// The file is not a paper format we read (as opposed to a failed extraction).
    pub unsupported: bool,
}

impl std::fmt::Display for ExtractFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} [{}]", self.reason, self.kind)
    }
}

/// One file at a time through a guarded worker process (restarted after a crash
/// or timeout), or in this process when no worker command is given. Used by the
/// `extract` and `index` commands; `import` drives the same workers in parallel.
pub struct GuardedExtractor {
    spec: Option<WorkerSpec>,
    worker: Option<Worker>,
}

impl GuardedExtractor {
    /// Workers started with `command` (program and arguments of the hidden worker
    /// command), each file bounded by `timeout`.
    pub fn workers(command: Vec<OsString>, timeout: Duration) -> GuardedExtractor {
        GuardedExtractor {
            spec: Some(WorkerSpec {
                command,
                timeout,
                documents_dir: None,
            }),
            worker: None,
        }
    }

    /// Extraction in this process (no guard against crashes, hangs or memory).
    pub fn in_process() -> GuardedExtractor {
        GuardedExtractor {
            spec: None,
            worker: None,
        }
    }

    /// Extracts `path`. `Err` of the outer result: no worker could be started at all.
    pub fn extract(
        &mut self,
        path: &Path,
    ) -> Result<std::result::Result<actionplan_model::Document, ExtractFailure>> {
        let Some(path_str) = path.to_str() else {
            return Ok(Err(ExtractFailure {
                kind: "path".into(),
                reason: "path is not valid UTF-8; rename the file".into(),
                unsupported: false,
            }));
        };
        let response = match &self.spec {
            None => extract_inline(path_str),
            Some(spec) => {
                let mut worker = match self.worker.take() {
                    Some(w) => w,
                    None => Worker::spawn(spec)?,
                };
                match worker.call(path_str, None, true, spec.timeout) {
                    Call::Done(r) => {
                        self.worker = Some(worker);
                        r
                    }
                    Call::Lost { kind, reason } => Response::Err {
                        kind: kind.into(),
                        reason,
                        unsupported: false,
                    },
                }
            }
        };
        Ok(match response {
            Response::Document { json } => {
                crate::store::parse_document(&json).map_err(|reason| ExtractFailure {
                    kind: "corrupt".into(),
                    reason,
                    unsupported: false,
                })
            }
            Response::Err {
                kind,
                reason,
                unsupported,
            } => Err(ExtractFailure {
                kind,
                reason,
                unsupported,
            }),
            Response::Ok { .. } => Err(ExtractFailure {
                kind: "protocol".into(),
                reason: "extraction worker stored the document instead of returning it".into(),
                unsupported: false,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hook acts only in builds with the `fault-injection` feature: with it, the
    /// named file panics; without it (a release build), the variable is ignored.
    #[test]
    fn the_fault_hook_is_a_test_build_feature() {
        // SAFETY: this test is the only reader or writer of the variable.
        unsafe { std::env::set_var(FAULT_ENV, "panic:hooked.txt") };
        let caught = std::panic::catch_unwind(|| inject_fault("/in/hooked.txt"));
        let other = std::panic::catch_unwind(|| inject_fault("/in/other.txt"));
        unsafe { std::env::remove_var(FAULT_ENV) };
        assert!(other.is_ok(), "another file is untouched");
        assert_eq!(caught.is_err(), cfg!(feature = "fault-injection"));
    }
}
