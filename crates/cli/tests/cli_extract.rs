//! `actionplan extract` end to end: output formats, `--out`, and a batch of mixed
//! good and bad files that must not stop at the first failure.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_actionplan"))
}

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus/text")
        .join(name)
}

#[test]
fn json_for_one_file_jsonl_for_many() {
    let out = bin()
        .arg("extract")
        .arg(corpus("telford_wrekin_2008_jar_action_plan.txt"))
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["schema_version"], actionplan_model::SCHEMA_VERSION);
    assert_eq!(doc["recommendations"].as_array().map(Vec::len), Some(10));

    let out = bin()
        .args(["extract", "--format", "jsonl"])
        .arg(corpus("telford_wrekin_2008_jar_action_plan.txt"))
        .arg(corpus("leicester_2008_jar_action_plan_cabinet_report.txt"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["council"], "Leicester City Council");
}

#[test]
fn several_files_as_json_make_an_array() {
    let out = bin()
        .arg("extract")
        .arg(corpus("telford_wrekin_2008_jar_action_plan.txt"))
        .arg(corpus(
            "kingston_2007_jar_enhanced_youth_inspection_action_plan.txt",
        ))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let docs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("a JSON array");
    assert_eq!(docs.len(), 2);
}

#[test]
fn mixed_batch_reports_each_failure_and_keeps_going() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0").expect("write");
    let truncated = dir.path().join("truncated.pdf");
    std::fs::write(&truncated, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog").expect("write");
    let missing = dir.path().join("missing.txt");
    let out_dir = dir.path().join("out");
    let out = bin()
        .arg("extract")
        .arg(&empty)
        .arg(corpus("telford_wrekin_2008_jar_action_plan.txt"))
        .arg(&binary)
        .arg(&truncated)
        .arg(&missing)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "partial failure exit code");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (file, reason) in [
        ("empty.txt", "empty"),
        ("photo.txt", "binary"),
        ("truncated.pdf", "PDF"),
        ("missing.txt", "cannot read"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "no error naming {file} ({reason}) in:\n{stderr}"
        );
    }
    let written: Vec<_> = std::fs::read_dir(&out_dir)
        .expect("out dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        written,
        vec![std::ffi::OsString::from(
            "telford_wrekin_2008_jar_action_plan.json"
        )]
    );
}

#[test]
fn nothing_readable_is_exit_code_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"   \n").expect("write");
    let out = bin().arg("extract").arg(&empty).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("extract").arg(dir.path()).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("directory"));
}

#[test]
fn help_shows_examples() {
    let out = bin().args(["extract", "--help"]).output().expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("Examples:") && help.contains("--format"),
        "{help}"
    );
}
