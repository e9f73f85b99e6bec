//! End-to-end tests of `actionplan index` and `actionplan search` on the corpus.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_actionplan"))
        .args(args)
        .current_dir(root())
        .env_remove("ACTIONPLAN_INDEX")
        .output()
        .expect("run actionplan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn search_json(index: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search", "--index", index, "--json"];
    all.extend_from_slice(args);
    let o = run(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("search --json prints JSON")
}

#[test]
fn index_the_corpus_then_search_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ix = tmp.path().join("ix");
    let ix = ix.to_str().unwrap();
    let o = run(&["index", "corpus/text", "--index", ix]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("indexed 5 new"), "{}", stderr(&o));

    // Unchanged papers are skipped on the next run.
    let o = run(&["index", "corpus/text", "--index", ix]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("5 unchanged skipped"), "{}", stderr(&o));

    let v = search_json(ix, &["CAMHS under-18 adult ward"]);
    let top = &v["hits"][0]["hit"];
    assert_eq!(top["ref"], "SG01");
    assert_eq!(top["document"]["council"], "Kent County Council");
    assert!(top["lead"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "Trish Dabrowski"));
    assert!(top["document"]["source_path"]
        .as_str()
        .unwrap()
        .ends_with("kent_2008_jar_action_plan_cfe_committee_report.txt"));

    let o = run(&[
        "search",
        "--index",
        ix,
        "autism strategy",
        "--council",
        "telford",
        "--limit",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(
        text.contains("Telford & Wrekin Council") && text.contains("page ") && text.contains("ASD"),
        "{text}"
    );
    assert!(!text.contains("Kent County Council"), "{text}");
    // Not a terminal: neither colour nor markup around the matches.
    assert!(!text.contains("**") && !text.contains('\x1b'), "{text}");
    let args = ["search", "--index", ix, "autism strategy", "--limit", "2"];
    let always = run(&[&args[..], &["--color", "always"]].concat());
    assert!(
        stdout(&always).contains("\x1b[1;33m"),
        "{}",
        stdout(&always)
    );
    let o = Command::new(env!("CARGO_BIN_EXE_actionplan"))
        .args([&args[..], &["--color", "auto"]].concat())
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!stdout(&o).contains('\x1b'), "{}", stdout(&o));

    // Nothing matched: exit 1, as grep and rg do, with or without --json.
    let o = run(&["search", "--index", ix, "zyzzogeton"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).is_empty() && stderr(&o).contains("no matches"));
    let o = run(&["search", "--index", ix, "zyzzogeton", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["total"], 0);

    let v = search_json(ix, &["looked after children", "--facets", "--limit", "1"]);
    let councils = v["facets"]["councils"].as_array().unwrap();
    let sum: u64 = councils.iter().map(|c| c["count"].as_u64().unwrap()).sum();
    assert_eq!(sum, v["total"].as_u64().unwrap());
    assert!(v["facets"]["years"]
        .as_array()
        .unwrap()
        .iter()
        .any(|y| y["value"] == "2011"));

    let v = search_json(
        ix,
        &["", "--council", "leicester", "--timeframe", "longer-term"],
    );
    assert_eq!(v["total"], 2, "{v}");
    let v = search_json(ix, &["", "--from", "2009", "--limit", "100"]);
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["hit"]["document"]["date"].as_str().unwrap() >= "2009"));
}

#[test]
fn extracted_json_indexes_like_the_paper_and_changes_replace() {
    let tmp = tempfile::tempdir().unwrap();
    let paper = tmp.path().join("telford.txt");
    std::fs::copy(
        root().join("corpus/text/telford_wrekin_2008_jar_action_plan.txt"),
        &paper,
    )
    .unwrap();
    let paper = paper.to_str().unwrap();
    let ix = tmp.path().join("ix");
    let ix = ix.to_str().unwrap();
    let o = run(&["index", paper, "--index", ix]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = search_json(ix, &["", "--limit", "1"])["total"]
        .as_u64()
        .unwrap();
    assert!(before > 10);

    // Change the paper: its entries are replaced, never duplicated.
    let mut text = std::fs::read_to_string(paper).unwrap();
    text = text.replace("ASD Strategy Workshop", "Autism Strategy Workshop");
    std::fs::write(paper, text).unwrap();
    let o = run(&["index", paper, "--index", ix]);
    assert!(stderr(&o).contains("1 changed"), "{}", stderr(&o));
    assert_eq!(
        search_json(ix, &["", "--limit", "1"])["total"]
            .as_u64()
            .unwrap(),
        before
    );
    let v = search_json(ix, &["\"Autism Strategy Workshop\""]);
    assert_eq!(v["hits"][0]["hit"]["ref"], "10.1", "{v}");

    // The JSON written by `extract` indexes under the paper's own path: same entries.
    let out = tmp.path().join("json");
    let o = run(&["extract", paper, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "index",
        out.join("telford.json").to_str().unwrap(),
        "--index",
        ix,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 unchanged"), "{}", stderr(&o));
    assert_eq!(
        search_json(ix, &["", "--limit", "1"])["total"]
            .as_u64()
            .unwrap(),
        before
    );
}

#[test]
fn errors_name_the_path_and_use_the_documented_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-index");
    let o = run(&["search", "wards", "--index", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no-index") && stderr(&o).contains("actionplan index"),
        "{}",
        stderr(&o)
    );

    let ix = tmp.path().join("ix");
    let ixs = ix.to_str().unwrap();
    // One good paper and one missing file: partial success.
    let o = run(&[
        "index",
        "corpus/text/telford_wrekin_2008_jar_action_plan.txt",
        "nowhere.txt",
        "--index",
        ixs,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("nowhere.txt"));

    let o = run(&["search", "wards", "--index", ixs, "--to", "someday"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--to"), "{}", stderr(&o));

    // A corrupt meta file: a clear message, and --rebuild recovers.
    std::fs::write(ix.join("actionplan-index.json"), "{").unwrap();
    let o = run(&["search", "wards", "--index", ixs]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("corrupt") && stderr(&o).contains("--rebuild"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "index",
        "--rebuild",
        "corpus/text/telford_wrekin_2008_jar_action_plan.txt",
        "--index",
        ixs,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(search_json(ixs, &["autism"])["total"].as_u64().unwrap() > 0);

    // A segment file damaged in the middle: caught by the checksum check, not a crash.
    let segment = std::fs::read_dir(&ix)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a segment file");
    let mut bytes = std::fs::read(&segment).unwrap();
    let half = bytes.len() / 2;
    for b in bytes.iter_mut().take(half).step_by(7) {
        *b = !*b;
    }
    std::fs::write(&segment, bytes).unwrap();
    let o = run(&["search", "autism", "--index", ixs]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("corrupt") && stderr(&o).contains("checksum"),
        "{}",
        stderr(&o)
    );
}
