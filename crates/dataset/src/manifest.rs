//! The manifest: a SQLite file recording every input path ever imported (content
//! hash, size, status, reason, extractor revision) and every import run. All
//! changes happen in transactions, so a killed import leaves it as of the last
//! committed batch.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use crate::{sql_err, DatasetError, Result};

/// Version of the manifest tables. Bump on any incompatible change.
///
/// 2: `files.path` and `runs.roots` name files relative to the parent of their
///    input folder (`papers/kent/report.pdf`), not by absolute path; a version 1
///    manifest is migrated when opened for an import (see [`Manifest::open`]).
pub const MANIFEST_VERSION: u32 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    path               TEXT PRIMARY KEY,
    sha256             TEXT,
    bytes              INTEGER,
    status             TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'unsupported', 'removed')),
    reason_kind        TEXT,
    reason             TEXT,
    extractor_revision TEXT NOT NULL,
    document_id        TEXT,
    last_outcome       TEXT NOT NULL,
    first_run          INTEGER NOT NULL,
    last_run           INTEGER NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_sha256 ON files (sha256);
CREATE TABLE IF NOT EXISTS runs (
    id                 INTEGER PRIMARY KEY,
    started_at         TEXT NOT NULL,
    finished_at        TEXT,
    roots              TEXT NOT NULL,
    jobs               INTEGER NOT NULL,
    extractor_revision TEXT NOT NULL,
    summary            TEXT
);
";

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// Where a path stands after its latest import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Extracted; its document is in `documents/<sha256>.json`.
    Ok,
    /// The extractor failed, timed out or crashed; `reason` says why.
    Failed,
    /// Not a paper format we read (empty, binary, …).
    Unsupported,
    /// No longer found under the roots it was imported from.
    Removed,
}

impl FileStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FileStatus::Ok => "ok",
            FileStatus::Failed => "failed",
            FileStatus::Unsupported => "unsupported",
            FileStatus::Removed => "removed",
        }
    }

    fn parse(s: &str) -> Option<FileStatus> {
        Some(match s {
            "ok" => FileStatus::Ok,
            "failed" => FileStatus::Failed,
            "unsupported" => FileStatus::Unsupported,
            "removed" => FileStatus::Removed,
            _ => return None,
        })
    }
}

/// What the manifest knew about a path before this run.
#[derive(Debug, Clone)]
pub(crate) struct Previous {
    pub sha256: Option<String>,
    pub status: FileStatus,
    /// The extractor that made the row ([`actionplan_pipeline::EXTRACTOR_REVISION`];
    /// a number for rows of builds before it was derived from the sources).
    pub revision: String,
}

/// One row to write: the outcome of one path in this run.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub path: String,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    pub status: FileStatus,
    pub reason_kind: Option<String>,
    pub reason: Option<String>,
    pub document_id: Option<String>,
    /// extracted, duplicate, unchanged, failed, unsupported.
    pub outcome: &'static str,
}

impl Record {
    /// Whether this row changes what the exports contain.
    fn changes_exports(&self) -> bool {
        self.outcome != "unchanged"
    }
}

/// Read-write handle used by the single writer thread and for run bookkeeping.
pub(crate) struct Manifest {
    conn: Connection,
    path: PathBuf,
}

fn open_conn(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, flags).map_err(sql_err(path))?;
    // Readers and the writer run at once; let a reader wait out a commit.
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sql_err(path))?;
    Ok(conn)
}

impl Manifest {
    pub(crate) fn open(path: &Path) -> Result<Manifest> {
        let conn = open_conn(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        // WAL: readers never block the writer; NORMAL sync is durable at each
        // checkpoint and never corrupts, which is what a resumable log needs.
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
            .map_err(sql_err(path))?;
        conn.execute_batch(SCHEMA).map_err(sql_err(path))?;
        let mut m = Manifest {
            conn,
            path: path.to_owned(),
        };
        match m.meta("manifest_version")? {
            None => m.set_meta("manifest_version", &MANIFEST_VERSION.to_string())?,
            Some(v) => {
                let found: u32 = v.parse().map_err(|_| DatasetError::Corrupt {
                    path: path.display().to_string(),
                    reason: format!("manifest_version {v:?} is not a number"),
                })?;
                if found > MANIFEST_VERSION {
                    return Err(DatasetError::IncompatibleVersion {
                        path: path.display().to_string(),
                        found,
                        supported: MANIFEST_VERSION,
                    });
                }
                if found < 2 {
                    m.migrate_absolute_paths()?;
                }
            }
        }
        Ok(m)
    }

    /// Version 1 → 2: renames every absolute path to its name relative to the
    /// parent of the outermost input folder of any run that holds it (the roots
    /// every run recorded), and the runs' roots likewise. A path under no recorded
    /// root, or whose new name is taken, keeps its absolute path. The file is then
    /// vacuumed, so the old paths do not linger in free pages.
    fn migrate_absolute_paths(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        let runs: Vec<(i64, String)> = {
            let mut st = tx
                .prepare("SELECT id, roots FROM runs")
                .map_err(sql_err(&path))?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql_err(&path))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(sql_err(&path))?
        };
        let mut all: Vec<PathBuf> = Vec::new();
        for (_, roots) in &runs {
            let roots: Vec<String> = serde_json::from_str(roots).unwrap_or_default();
            all.extend(
                roots
                    .into_iter()
                    .map(PathBuf::from)
                    .filter(|p| p.is_absolute()),
            );
        }
        all.sort();
        all.dedup();
        let tops: Vec<(PathBuf, String)> = all
            .iter()
            .filter(|p| !all.iter().any(|q| q != *p && p.starts_with(q)))
            .map(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                (p.clone(), name.unwrap_or_default())
            })
            .collect();
        let label = |p: &str| {
            crate::walk::label_under(
                tops.iter().map(|(t, n)| (t.as_path(), n.as_str())),
                Path::new(p),
            )
        };
        let files: Vec<String> = {
            let mut st = tx
                .prepare("SELECT path FROM files WHERE substr(path, 1, 1) = '/'")
                .map_err(sql_err(&path))?;
            let rows = st.query_map([], |r| r.get(0)).map_err(sql_err(&path))?;
            rows.collect::<rusqlite::Result<_>>()
                .map_err(sql_err(&path))?
        };
        for old in &files {
            if let Some(new) = label(old) {
                tx.execute(
                    "UPDATE OR IGNORE files SET path = ?2 WHERE path = ?1",
                    [old, &new],
                )
                .map_err(sql_err(&path))?;
            }
        }
        for (id, roots) in &runs {
            let roots: Vec<String> = serde_json::from_str(roots).unwrap_or_default();
            let named: Vec<String> = roots
                .iter()
                .map(|r| label(r).unwrap_or_else(|| r.clone()))
                .collect();
            tx.execute(
                "UPDATE runs SET roots = ?2 WHERE id = ?1",
                params![id, serde_json::to_string(&named).unwrap_or_default()],
            )
            .map_err(sql_err(&path))?;
        }
        tx.execute(
            "UPDATE meta SET value = ?1 WHERE key = 'manifest_version'",
            [MANIFEST_VERSION.to_string()],
        )
        .map_err(sql_err(&path))?;
        // The exports still name files by their absolute paths: rewrite them.
        tx.execute("INSERT INTO meta (key, value) VALUES ('exports_stale', '1') ON CONFLICT (key) DO UPDATE SET value = '1'", [])
            .map_err(sql_err(&path))?;
        tx.commit().map_err(sql_err(&path))?;
        self.conn
            .execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
            .map_err(sql_err(&path))
    }

    /// Opens an existing manifest read-only (for exports).
    pub(crate) fn open_read_only(path: &Path) -> Result<Manifest> {
        let conn = open_conn(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(Manifest {
            conn,
            path: path.to_owned(),
        })
    }

    fn err(&self) -> impl FnOnce(rusqlite::Error) -> DatasetError {
        sql_err(&self.path)
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2", [key, value])
            .map(drop)
            .map_err(self.err())
    }

    /// Whether some change since the last complete export is not in the exports yet.
    pub(crate) fn exports_stale(&self) -> Result<bool> {
        Ok(self.meta("exports_stale")?.as_deref() != Some("0"))
    }

    /// Records a run over the inputs named `roots` (as [`crate::walk::Roots::labels`]).
    pub(crate) fn begin_run(&self, roots: &[String], jobs: usize, revision: &str) -> Result<i64> {
        let roots = serde_json::to_string(roots).unwrap_or_default();
        self.conn
            .execute(
                &format!("INSERT INTO runs (started_at, roots, jobs, extractor_revision) VALUES ({NOW}, ?1, ?2, ?3)"),
                params![roots, jobs as i64, revision],
            )
            .map_err(self.err())?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(crate) fn finish_run(&self, run: i64, summary_json: &str) -> Result<()> {
        self.conn
            .execute(
                &format!("UPDATE runs SET finished_at = {NOW}, summary = ?2 WHERE id = ?1"),
                params![run, summary_json],
            )
            .map(drop)
            .map_err(self.err())
    }

    /// Writes a batch of rows in one transaction. `exports_stale` is set in the same
    /// transaction, so a kill between here and the export cannot hide the change.
    pub(crate) fn write_batch(
        &mut self,
        run: i64,
        revision: &str,
        records: &[Record],
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        {
            let mut upsert = tx
                .prepare_cached(&format!(
                    "INSERT INTO files (path, sha256, bytes, status, reason_kind, reason, extractor_revision,
                                        document_id, last_outcome, first_run, last_run, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, {NOW})
                     ON CONFLICT (path) DO UPDATE SET
                        sha256 = ?2, bytes = ?3, status = ?4, reason_kind = ?5, reason = ?6,
                        extractor_revision = ?7, document_id = ?8, last_outcome = ?9, last_run = ?10, updated_at = {NOW}"
                ))
                .map_err(sql_err(&path))?;
            let mut touch = tx
                .prepare_cached(
                    "UPDATE files SET last_run = ?2, last_outcome = 'unchanged' WHERE path = ?1",
                )
                .map_err(sql_err(&path))?;
            for r in records {
                if r.outcome == "unchanged" {
                    touch
                        .execute(params![r.path, run])
                        .map_err(sql_err(&path))?;
                } else {
                    upsert
                        .execute(params![
                            r.path,
                            r.sha256,
                            r.bytes.map(|b| b as i64),
                            r.status.as_str(),
                            r.reason_kind,
                            r.reason,
                            revision,
                            r.document_id,
                            r.outcome,
                            run
                        ])
                        .map_err(sql_err(&path))?;
                }
            }
            if records.iter().any(Record::changes_exports) {
                tx.execute("INSERT INTO meta (key, value) VALUES ('exports_stale', '1') ON CONFLICT (key) DO UPDATE SET value = '1'", [])
                    .map_err(sql_err(&path))?;
            }
        }
        tx.commit().map_err(sql_err(&path))
    }

    /// Marks as removed every path under `roots` that this run did not see. Roots
    /// and paths are the manifest's names ([`crate::walk::Roots::label`]).
    ///
    /// Files under `unlisted` (folders that could not be listed this run) were not
    /// seen, but are not gone either: they keep their status and documents, and the
    /// folder itself is recorded as failed by the caller.
    pub(crate) fn mark_removed(
        &mut self,
        run: i64,
        roots: &[String],
        unlisted: &[String],
    ) -> Result<u64> {
        // "" names the root folder itself: every path is under it.
        let under = |dir: &str| match dir.trim_end_matches('/') {
            "" => String::new(),
            d => format!("{d}/"),
        };
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sql_err(&path))?;
        for dir in unlisted {
            let prefix = under(dir);
            tx.execute(
                "UPDATE files SET last_run = ?1 WHERE last_run < ?1 AND status != 'removed'
                   AND substr(path, 1, length(?2)) = ?2",
                params![run, prefix],
            )
            .map_err(sql_err(&path))?;
        }
        let mut removed = 0;
        for root in roots {
            let exact = root.clone();
            let prefix = under(root);
            removed += tx
                .execute(
                    &format!(
                        "UPDATE files SET status = 'removed', last_outcome = 'removed', last_run = ?1, updated_at = {NOW}
                         WHERE last_run < ?1 AND status != 'removed'
                           AND (path = ?2 OR substr(path, 1, length(?3)) = ?3)"
                    ),
                    params![run, exact, prefix],
                )
                .map_err(sql_err(&path))? as u64;
        }
        if removed > 0 {
            tx.execute("INSERT INTO meta (key, value) VALUES ('exports_stale', '1') ON CONFLICT (key) DO UPDATE SET value = '1'", [])
                .map_err(sql_err(&path))?;
        }
        tx.commit().map_err(sql_err(&path))?;
        Ok(removed)
    }

    /// Whether any path still points at this content.
    pub(crate) fn is_live(&self, sha256: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM files WHERE sha256 = ?1 AND status = 'ok' LIMIT 1",
                [sha256],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(self.err())
    }

    /// Calls `f(sha256, canonical_path)` for every live document, in path order.
    /// The canonical path is the smallest of the paths holding that content, so
    /// exports do not depend on which duplicate happened to be extracted first.
    pub(crate) fn for_each_document(
        &self,
        mut f: impl FnMut(&str, &str) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT sha256, MIN(path) AS p FROM files WHERE status = 'ok' GROUP BY sha256 ORDER BY p")
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(sql_err(&self.path))? {
            let sha: String = row.get(0).map_err(sql_err(&self.path))?;
            let path: String = row.get(1).map_err(sql_err(&self.path))?;
            f(&sha, &path)?;
        }
        Ok(())
    }

    /// Calls `f` with every manifest row, in path order.
    pub(crate) fn for_each_file(&self, mut f: impl FnMut(FileRow) -> Result<()>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT path, sha256, bytes, status, reason_kind, reason, CAST(extractor_revision AS TEXT), document_id, last_outcome, last_run
                 FROM files ORDER BY path",
            )
            .map_err(self.err())?;
        let mut rows = stmt.query([]).map_err(self.err())?;
        while let Some(row) = rows.next().map_err(sql_err(&self.path))? {
            let status: String = row.get(3).map_err(sql_err(&self.path))?;
            let status = FileStatus::parse(&status).ok_or_else(|| DatasetError::Corrupt {
                path: self.path.display().to_string(),
                reason: format!("unknown status {status:?}"),
            })?;
            let file = (|| {
                Ok::<_, rusqlite::Error>(FileRow {
                    path: row.get(0)?,
                    sha256: row.get(1)?,
                    bytes: row.get::<_, Option<i64>>(2)?.map(|b| b as u64),
                    status,
                    reason_kind: row.get(4)?,
                    reason: row.get(5)?,
                    extractor_revision: row.get(6)?,
                    document_id: row.get(7)?,
                    last_outcome: row.get(8)?,
                    last_run: row.get(9)?,
                })
            })()
            .map_err(sql_err(&self.path))?;
            f(file)?;
        }
        Ok(())
    }
}

/// One manifest row, as exported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileRow {
    pub path: String,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    #[serde(serialize_with = "ser_status")]
    pub status: FileStatus,
    pub reason_kind: Option<String>,
    pub reason: Option<String>,
    pub extractor_revision: String,
    pub document_id: Option<String>,
    pub last_outcome: String,
    pub last_run: i64,
}

fn ser_status<S: serde::Serializer>(
    s: &FileStatus,
    ser: S,
) -> std::result::Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// A read-only connection for the lookups each import thread makes.
pub(crate) struct Reader {
    conn: Connection,
    path: PathBuf,
}

impl Reader {
    pub(crate) fn open(path: &Path) -> Result<Reader> {
        Ok(Reader {
            conn: open_conn(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?,
            path: path.to_owned(),
        })
    }

    pub(crate) fn previous(&self, file: &str) -> Result<Option<Previous>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT sha256, status, CAST(extractor_revision AS TEXT) FROM files WHERE path = ?1")
            .map_err(sql_err(&self.path))?;
        let row = stmt
            .query_row([file], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()
            .map_err(sql_err(&self.path))?;
        let Some((sha256, status, revision)) = row else {
            return Ok(None);
        };
        let status = FileStatus::parse(&status).ok_or_else(|| DatasetError::Corrupt {
            path: self.path.display().to_string(),
            reason: format!("unknown status {status:?} for {file}"),
        })?;
        Ok(Some(Previous {
            sha256,
            status,
            revision,
        }))
    }

    /// Whether some path already holds this content, extracted by `revision`.
    pub(crate) fn has_ok(&self, sha256: &str, revision: &str) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM files WHERE sha256 = ?1 AND status = 'ok' AND CAST(extractor_revision AS TEXT) = ?2 LIMIT 1")
            .map_err(sql_err(&self.path))?;
        stmt.query_row(params![sha256, revision], |_| Ok(()))
            .optional()
            .map(|o| o.is_some())
            .map_err(sql_err(&self.path))
    }
}

#[cfg(test)]
mod unlisted_tests {
    use super::*;

    fn ok(path: &str, sha: &str) -> Record {
        Record {
            path: path.into(),
            sha256: Some(sha.into()),
            bytes: Some(1),
            status: FileStatus::Ok,
            reason_kind: None,
            reason: None,
            document_id: Some(sha[..16].into()),
            outcome: "extracted",
        }
    }

    #[test]
    fn files_in_an_unreadable_folder_are_kept_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::open(&dir.path().join("manifest.sqlite")).unwrap();
        let roots = vec!["r".to_string()];
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let run1 = m.begin_run(&roots, 1, "x").unwrap();
        m.write_batch(
            run1,
            "x",
            &[
                ok("r/a.txt", &a),
                ok("r/sub/b.txt", &b),
                ok("r/gone.txt", &a),
            ],
        )
        .unwrap();
        assert_eq!(m.mark_removed(run1, &roots, &[]).unwrap(), 0);
        // Second run: r/sub could not be listed, r/gone.txt really went.
        let run2 = m.begin_run(&roots, 1, "x").unwrap();
        m.write_batch(run2, "x", &[ok("r/a.txt", &a)]).unwrap();
        assert_eq!(
            m.mark_removed(run2, &roots, &["r/sub".to_string()])
                .unwrap(),
            1
        );
        assert!(
            m.is_live(&b).unwrap(),
            "the document of the unlisted folder's file is kept"
        );
    }
}
