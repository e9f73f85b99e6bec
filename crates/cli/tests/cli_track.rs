//! End-to-end test of `actionplan track`: successive action logs imported into a
//! dataset come out as histories in JSON, CSV and SQLite.

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_actionplan");

#[test]
fn successive_action_logs_become_histories_in_every_output() {
    let logs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/meetings/track");
    let tmp = tempfile::tempdir().unwrap();
    let papers = tmp.path().join("papers");
    std::fs::create_dir(&papers).unwrap();
    for e in std::fs::read_dir(&logs).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            std::fs::copy(&p, papers.join(p.file_name().unwrap())).unwrap();
        }
    }
    let ds = tmp.path().join("ds");
    let out = Command::new(BIN)
        .args(["import", "--quiet", "--out"])
        .arg(&ds)
        .arg(&papers)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(BIN).arg("track").arg(&ds).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("7 links"), "{said}");

    // JSON: the CP03 history runs through all three panel meetings, reworded twice,
    // with its state at each.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ds.join("action_history.json")).unwrap())
            .unwrap();
    let histories = json["histories"].as_array().unwrap();
    let visit = histories
        .iter()
        .find(|h| h["entries"][0]["ref"] == "CP03")
        .expect("CP03 history");
    let states: Vec<&str> = visit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(states, ["open", "in_progress", "proposed_for_closure"]);
    // The Adoption Panel's CP01 is another panel's action: in no history.
    assert!(!histories
        .iter()
        .flat_map(|h| h["entries"].as_array().unwrap())
        .any(|e| e["committee"].as_str().unwrap_or("").contains("Adoption")));

    // CSV: one row per entry (4 + 3 + 3 + ... entries of the linked histories).
    let rows = csv::Reader::from_path(ds.join("action_history.csv"))
        .unwrap()
        .records()
        .count();
    let entries: usize = histories
        .iter()
        .map(|h| h["entries"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows, entries);

    // SQLite: the same entries, queryable beside the actions.
    let conn = rusqlite::Connection::open(ds.join("dataset.sqlite")).unwrap();
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM action_history", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n as usize, entries);
    let latest: String = conn
        .query_row(
            "SELECT state FROM action_history WHERE history_id = ?1 ORDER BY position DESC LIMIT 1",
            [visit["id"].as_str().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(latest, "proposed_for_closure");
}
