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
        // Simulated hang; the limit leaves real extractions a wide margin.
        ("hang:bad.txt", &["--timeout", "10"][..], "timeout"),
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

#[test]
fn extract_out_never_overwrites_papers_that_share_a_name() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
    }
    let a = dir.path().join("a/report.txt");
    let b = dir.path().join("b/report.txt");
    let h = dir.path().join("b/report.html");
    let other = dir.path().join("b/other.txt");
    std::fs::copy(corpus(TELFORD), &a).unwrap();
    std::fs::copy(corpus(LEICESTER), &b).unwrap();
    std::fs::write(
        &h,
        "<html><body><table><tr><th>Recommendation</th><th>Action</th></tr>\
         <tr><td>1. Improve school attendance</td><td>Audit attendance by March 2009</td></tr></table></body></html>",
    )
    .unwrap();
    std::fs::copy(corpus(KINGSTON), &other).unwrap();
    let out_dir = dir.path().join("out");
    let out = cmd(None)
        .arg("extract")
        .args([&a, &b, &h, &other])
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = names(&out_dir);
    assert_eq!(written.len(), 4, "one output per input: {written:?}");
    assert!(written.contains(&"other.json".to_string()), "{written:?}");
    // Each clashing output is `report-<sha8>.json` and holds its own paper.
    for input in [&a, &b, &h] {
        let bytes = std::fs::read(input).unwrap();
        let found = written.iter().find(|n| {
            let doc: serde_json::Value =
                serde_json::from_slice(&std::fs::read(out_dir.join(n)).unwrap()).unwrap();
            doc["source"]["path"] == input.display().to_string()
                && doc["source"]["bytes"] == bytes.len() as u64
        });
        let name =
            found.unwrap_or_else(|| panic!("no output for {}: {written:?}", input.display()));
        assert!(
            name.starts_with("report-") && name.len() == "report-12345678.json".len(),
            "{name}"
        );
    }
    // Two copies of the same paper still get two outputs.
    let copy_dir = dir.path().join("c");
    std::fs::create_dir_all(&copy_dir).unwrap();
    std::fs::copy(&a, copy_dir.join("report.txt")).unwrap();
    let out2 = dir.path().join("out2");
    let out = cmd(None)
        .arg("extract")
        .args([&a, &copy_dir.join("report.txt")])
        .arg("--out")
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&out2).len(), 2, "{:?}", names(&out2));
}

#[test]
fn dash_reads_one_paper_from_stdin_with_its_name() {
    let mut child = cmd(None)
        .args([
            "extract",
            "-",
            "--name",
            "minutes/telford.txt",
            "--format",
            "jsonl",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(&std::fs::read(corpus(TELFORD)).unwrap())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["source"]["path"], "minutes/telford.txt");
    assert_eq!(doc["recommendations"].as_array().map(Vec::len), Some(10));
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let mut inputs = vec![PathBuf::from("/dev/zero"), corpus(TELFORD)];
    if made {
        inputs.push(fifo.clone());
    }
    // Without the check these would block (FIFO) or never end (/dev/zero); the
    // worker timeout is a safety net that the test does not rely on.
    let out = cmd(None)
        .arg("extract")
        .args(&inputs)
        .args(["--format", "jsonl", "--timeout", "600"])
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("/dev/zero") && err.contains("device"), "{err}");
    if made {
        assert!(err.contains("pipe.txt") && err.contains("FIFO"), "{err}");
    }
    // index: a FIFO in a folder is refused with its reason, the rest indexed.
    let folder = dir.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(corpus(TELFORD), folder.join("a.txt")).unwrap();
    if made {
        Command::new("mkfifo")
            .arg(folder.join("p.txt"))
            .status()
            .unwrap();
    }
    let out = cmd(None)
        .arg("index")
        .arg(&folder)
        .arg("--index")
        .arg(dir.path().join("index"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(err.contains("indexed 1 new"), "{err}");
    if made {
        assert!(err.contains("p.txt") && err.contains("FIFO"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn symlink_loops_end_and_each_real_paper_is_indexed_once() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("in");
    std::fs::create_dir_all(folder.join("sub")).unwrap();
    std::fs::copy(corpus(TELFORD), folder.join("a.txt")).unwrap();
    std::fs::copy(corpus(LEICESTER), folder.join("sub/b.txt")).unwrap();
    std::os::unix::fs::symlink(".", folder.join("self")).unwrap();
    std::os::unix::fs::symlink("..", folder.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("a.txt", folder.join("alias.txt")).unwrap();
    std::os::unix::fs::symlink("loop2.txt", folder.join("loop1.txt")).unwrap();
    std::os::unix::fs::symlink("loop1.txt", folder.join("loop2.txt")).unwrap();
    let out = cmd(None)
        .arg("index")
        .arg(&folder)
        .arg("--index")
        .arg(dir.path().join("index"))
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("indexed 2 new"), "{err}");
    assert!(err.contains("holds 2 documents"), "{err}");

    // import: the alias is the same real file; nothing is recorded twice.
    let ds = dir.path().join("ds");
    let out = cmd(None)
        .arg("import")
        .arg(&folder)
        .arg("--out")
        .arg(&ds)
        .args(["--json", "--quiet"])
        .output()
        .unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(summary["found"], 2, "{summary}");
    assert_eq!(summary["documents"], 2, "{summary}");
}

#[test]
fn search_limit_and_query_length_are_bounded_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let out = cmd(None)
        .arg("index")
        .arg(corpus(TELFORD))
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Before the clamp this asked tantivy for 2^31 slots (32 GB) and aborted.
    let out = cmd(None)
        .args([
            "search",
            "school attendance",
            "--limit",
            "2147483647",
            "--json",
            "--index",
        ])
        .arg(&index)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("--limit 2147483647 is over the maximum of 1000"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
    // An 8,000-word query is cut to its first words, with a warning.
    let words: Vec<String> = (0..8000).map(|i| format!("school{i}")).collect();
    let query = format!("attendance {}", words.join(" "));
    let out = cmd(None)
        .args(["search", &query, "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("query of 8001 words") && err.contains("first 32 words"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["total"].as_u64().unwrap() > 0,
        "the first word still searches: {v}"
    );
}

fn small_dataset(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(corpus(TELFORD), input.join("a.txt")).unwrap();
    std::fs::copy(corpus(LEICESTER), input.join("b.txt")).unwrap();
    let ds = dir.join("ds");
    let out = cmd(None)
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&ds)
        .args(["--quiet", "--no-isolation"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    ds
}

fn export(ds: &Path, format: &str, out: &Path) -> Output {
    cmd(None)
        .arg("export")
        .arg(ds)
        .args(["--format", format, "--out"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn export_dash_is_stdout_and_special_targets_are_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let ds = small_dataset(dir.path());
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let out = cmd(None)
        .current_dir(&work)
        .arg("export")
        .arg(&ds)
        .args(["--format", "jsonl", "--out", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
    assert!(!work.join("-").exists(), "no file named -");
    for format in ["sqlite", "csv"] {
        let out = export(&ds, format, Path::new("-"));
        assert_eq!(out.status.code(), Some(2), "{format}: {}", stderr(&out));
        assert!(stderr(&out).contains('-'), "{}", stderr(&out));
    }
    #[cfg(unix)]
    {
        // A symlink stays a symlink; its target gets the export.
        let real = work.join("real.jsonl");
        std::fs::write(&real, "old").unwrap();
        let link = work.join("link.jsonl");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let out = export(&ds, "jsonl", &link);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap().lines().count(), 2);
        let real_db = work.join("real.sqlite");
        std::fs::write(&real_db, "").unwrap();
        let link_db = work.join("link.sqlite");
        std::os::unix::fs::symlink(&real_db, &link_db).unwrap();
        let out = export(&ds, "sqlite", &link_db);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(std::fs::symlink_metadata(&link_db)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(std::fs::metadata(&real_db).unwrap().len() > 0);
        // A named pipe is written to, not replaced by a regular file.
        let fifo = work.join("pipe.jsonl");
        if Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
        {
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
            };
            let out = export(&ds, "jsonl", &fifo);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            assert_eq!(reader.join().unwrap().lines().count(), 2);
            use std::os::unix::fs::FileTypeExt;
            assert!(std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo());
        }
    }
    let leftovers: Vec<_> = names(&work)
        .into_iter()
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn export_onto_the_datasets_own_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ds = small_dataset(dir.path());
    let before = std::fs::read(ds.join("manifest.sqlite")).unwrap();
    for (format, target) in [
        ("sqlite", ds.join("manifest.sqlite")),
        ("jsonl", ds.join("dataset.json")),
        ("json", ds.join("documents").join("x.json")),
    ] {
        let out = export(&ds, format, &target);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{format}: {err}");
        assert!(err.contains("part of the dataset"), "{err}");
    }
    assert_eq!(std::fs::read(ds.join("manifest.sqlite")).unwrap(), before);
    let out = export(&ds, "jsonl", &dir.path().join("fine.jsonl"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "the dataset still opens: {}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn extract_out_never_writes_through_a_planted_temp_link_and_a_full_disk_costs_one_file() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_papers(dir.path());
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    // The old temp name was `<stem>.tmp`: a link there redirected the write.
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, out_dir.join("c.tmp")).unwrap();
    // `a.json` is a link to a full disk: that output fails, the others are written.
    std::os::unix::fs::symlink("/dev/full", out_dir.join("a.json")).unwrap();
    let out = cmd(None)
        .arg("extract")
        .args(&files)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("a.json") && err.contains("space"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(names(&out_dir), ["a.json", "bad.json", "c.json", "c.tmp"]);
    assert!(std::fs::metadata(out_dir.join("c.json")).unwrap().len() > 100);
}

#[cfg(unix)]
#[test]
fn import_does_not_follow_symlinks_to_files_outside_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(corpus(TELFORD), input.join("a.txt")).unwrap();
    let secret = dir.path().join("elsewhere.txt");
    std::fs::copy(corpus(LEICESTER), &secret).unwrap();
    std::os::unix::fs::symlink(&secret, input.join("link.txt")).unwrap();
    let ds = dir.path().join("ds");
    let out = cmd(None)
        .arg("import")
        .arg(&input)
        .arg("--out")
        .arg(&ds)
        .args(["--json", "--quiet", "--no-isolation"])
        .output()
        .unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    assert_eq!(out.status.code(), Some(0), "{summary}");
    assert_eq!(summary["found"], 2, "{summary}");
    assert_eq!(summary["unsupported"], 1, "{summary}");
    assert_eq!(summary["documents"], 1, "{summary}");
    let jsonl = std::fs::read_to_string(ds.join("documents.jsonl")).unwrap();
    assert!(
        !jsonl.contains("Leicester"),
        "the outside file is not in the dataset"
    );
}

#[test]
fn layout_into_a_closed_pipe_exits_quietly() {
    use std::io::Read;
    // A layout far larger than a pipe buffer, so the write after `head` closes hits EPIPE.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let text = std::fs::read_to_string(corpus(KINGSTON)).unwrap();
    std::fs::write(&big, text.repeat(20)).unwrap();
    let mut child = cmd(None)
        .arg("layout")
        .arg(&big)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

#[cfg(unix)]
#[test]
fn layout_refuses_devices() {
    let out = cmd(None).args(["layout", "/dev/zero"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("device"), "{}", stderr(&out));
}

#[test]
fn a_caught_panic_is_one_line_not_a_backtrace() {
    let dir = tempfile::tempdir().unwrap();
    let files = three_papers(dir.path());
    for isolation in [&[][..], &["--no-isolation"][..]] {
        let out = cmd(Some("panic:bad.txt"))
            .env("RUST_BACKTRACE", "1")
            .args(["extract", "--format", "jsonl"])
            .args(isolation)
            .args(&files)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
        assert!(
            err.lines().any(|l| l.contains("bad.txt")
                && l.contains("injected panic")
                && l.contains("[panic]")),
            "{err}"
        );
        assert!(
            !err.contains("stack backtrace") && !err.contains("RUST_BACKTRACE"),
            "{err}"
        );
        assert!(err.lines().count() <= 3, "{err}");
    }
}

#[test]
fn extract_of_a_folder_says_how_to_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = cmd(None).arg("extract").arg(dir.path()).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is a directory") && err.contains("/*") && err.contains("actionplan import"),
        "{err}"
    );
}

#[test]
fn stdin_without_a_name_is_written_as_stdin_json() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let mut child = cmd(None)
        .args(["extract", "-", "--out"])
        .arg(&out_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin
            .write_all(&std::fs::read(corpus(TELFORD)).unwrap())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(names(&out_dir), ["stdin.json"]);
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("stdin.json")).unwrap()).unwrap();
    assert_eq!(doc["source"]["path"], "<stdin>");
}
