//! Batch safety (issues 14 and 15): one bad paper costs one file in `extract` and
//! `index`, special files and symlink loops are handled, outputs are never
//! overwritten silently, and `-` means stdin/stdout.
//!
//! Faults are injected with the worker's fault hook (`ACTIONPLAN_WORKER_FAULT`), so
//! no test depends on the machine's speed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_actionplan");

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/text")
        .join(name)
}

const TELFORD: &str = "telford_wrekin_2008_jar_action_plan.txt";
const LEICESTER: &str = "leicester_2008_jar_action_plan_cabinet_report.txt";
const KINGSTON: &str = "kingston_2007_jar_enhanced_youth_inspection_action_plan.txt";

fn cmd(fault: Option<&str>) -> Command {
    let mut c = Command::new(BIN);
    c.env_remove("ACTIONPLAN_WORKER_FAULT");
    c.env_remove("ACTIONPLAN_INDEX");
    if let Some(f) = fault {
        c.env("ACTIONPLAN_WORKER_FAULT", f);
    }
    c.stdin(Stdio::null());
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Three papers, the middle one named `bad.txt`.
fn three_papers(dir: &Path) -> [PathBuf; 3] {
    let a = dir.join("a.txt");
    let bad = dir.join("bad.txt");
    let c = dir.join("c.txt");
    std::fs::copy(corpus(TELFORD), &a).unwrap();
    std::fs::copy(corpus(LEICESTER), &bad).unwrap();
    std::fs::copy(corpus(KINGSTON), &c).unwrap();
    [a, bad, c]
}

#[test]
fn extract_out_survives_a_crashing_hanging_or_bloated_paper() {
    for (fault, extra, word) in [
        ("abort:bad.txt", &[][..], "crashed"),
        ("hang:bad.txt", &["--timeout", "3"][..], "timeout"),
        (
            "oom:bad.txt",
            &["--memory-limit", "512"][..],
            "memory_limit",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let files = three_papers(dir.path());
        let out_dir = dir.path().join("out");
        let out = cmd(Some(fault))
            .arg("extract")
            .args(&files)
            .arg("--out")
            .arg(&out_dir)
            .args(extra)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{fault}: {err}");
        assert_eq!(names(&out_dir), ["a.json", "c.json"], "{fault}: {err}");
        assert!(
            err.lines()
                .any(|l| l.starts_with("error") && l.contains("bad.txt") && l.contains(word)),
            "{fault}: the failure names the file and the reason: {err}"
        );
    }
}

#[test]
fn extract_to_stdout_survives_a_crashing_paper() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_papers(dir.path());
    let out = cmd(Some("abort:bad.txt"))
        .args(["extract", "--format", "jsonl"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    assert_eq!(lines, 2);
    assert!(stderr(&out).contains("bad.txt"));
}

#[test]
fn index_survives_a_crashing_paper_and_commits_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    three_papers(&input);
    let index = dir.path().join("index");
    let out = cmd(Some("abort:bad.txt"))
        .arg("index")
        .arg(&input)
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.lines()
            .any(|l| l.contains("bad.txt") && l.starts_with("error")),
        "{err}"
    );
    assert!(err.contains("indexed 2 new"), "{err}");
    assert!(err.contains("1 failed"), "{err}");
}
