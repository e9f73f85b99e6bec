//! Exports of a dataset, all made in one streaming pass over the stored documents:
//! `documents.jsonl`, `documents.json`, `actions.csv` + `recommendations.csv` +
//! `decisions.csv`, and a
//! normalized SQLite database. Each output is written to a temp file and renamed,
//! so a reader never sees half an export.

use std::io::Write;
use std::path::{Path, PathBuf};

use actionplan_model::{Action, Document, Recommendation, Timeframe};
use rusqlite::{params, Connection};
use serde::Serialize;

use crate::manifest::{FileStatus, Manifest};
use crate::{io_err, sql_err, Dataset, DatasetError, Result};
use actionplan_files::{is_special_target, AtomicFile, TempFile};

/// Version of the export shapes (CSV columns, SQLite tables). Stored in the
/// SQLite `meta` table; bump on any incompatible change.
///
/// Version 2: timeframes are horizons (`immediate`, `short`, `medium`, `long`, `ongoing`,
/// `recurring`, `event`, `complete`) with months and event columns, for recommendations
/// and for action timescales.
/// Version 3: `recommendations.kind`, `actions.state`, the decision tables.
/// Version 4: `files.extractor_revision` is the extractor (`actionplan 0.1.0+<hash>`),
/// text instead of a number; FTS tables, `*_with_council` views.
pub const EXPORT_VERSION: u32 = 4;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON document per line (`documents.jsonl`).
    Jsonl,
    /// One JSON array of documents (`documents.json`).
    Json,
    /// `actions.csv`, `recommendations.csv` and `decisions.csv` (the output path is a folder).
    Csv,
    /// A normalized SQLite database (`dataset.sqlite`).
    Sqlite,
}

impl ExportFormat {
    /// Where this format goes inside the dataset when no output path is given.
    pub fn default_path(self, dataset: &Path) -> PathBuf {
        match self {
            ExportFormat::Jsonl => dataset.join("documents.jsonl"),
            ExportFormat::Json => dataset.join("documents.json"),
            ExportFormat::Csv => dataset.to_owned(),
            ExportFormat::Sqlite => dataset.join("dataset.sqlite"),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ExportSummary {
    pub documents: u64,
    pub recommendations: u64,
    pub actions: u64,
    /// Files written.
    pub outputs: Vec<PathBuf>,
    /// What the user should know (a replaced database that held their own objects).
    pub warnings: Vec<String>,
}

/// The formats `import` keeps up to date inside the dataset.
const IMPORT_FORMATS: [ExportFormat; 3] =
    [ExportFormat::Jsonl, ExportFormat::Csv, ExportFormat::Sqlite];

/// Exports the dataset at `dataset_dir` in `format` to `out` (default: inside the dataset).
pub fn export(
    dataset_dir: &Path,
    format: ExportFormat,
    out: Option<&Path>,
) -> Result<ExportSummary> {
    let (ds, manifest) = open_for_reading(dataset_dir)?;
    if out.is_some_and(|p| p.as_os_str() == "-") {
        return match format {
            ExportFormat::Jsonl | ExportFormat::Json => {
                let stdout = stdout_file()?;
                let sink = JsonSink::with_file(
                    Path::new("-"),
                    AtomicFile::direct(Path::new("-"), stdout),
                    format == ExportFormat::Json,
                )?;
                run_export_to(&ds, &manifest, vec![Box::new(sink)])
            }
            ExportFormat::Csv => Err(refused("-", "CSV export writes two files: give a folder")),
            ExportFormat::Sqlite => Err(refused(
                "-",
                "a SQLite export cannot be streamed: give a file name",
            )),
        };
    }
    let target = out
        .map(Path::to_owned)
        .unwrap_or_else(|| format.default_path(ds.root()));
    refuse_dataset_files(&ds, &target, format)?;
    if format != ExportFormat::Csv {
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
    }
    run_export(&ds, &manifest, &[(format, target)])
}

/// The dataset at `dataset_dir` and its manifest, opened to read (export, track).
pub(crate) fn open_for_reading(dataset_dir: &Path) -> Result<(Dataset, Manifest)> {
    let ds = Dataset::open(dataset_dir)?;
    let manifest_path = ds.manifest_path();
    if !manifest_path.exists() {
        return Err(DatasetError::Corrupt {
            path: manifest_path.display().to_string(),
            reason: "manifest is missing".into(),
        });
    }
    let manifest = Manifest::open_read_only(&manifest_path)?;
    Ok((ds, manifest))
}

fn refused(path: &str, reason: &str) -> DatasetError {
    DatasetError::Io {
        path: path.to_owned(),
        source: std::io::Error::other(reason.to_owned()),
    }
}

/// The dataset's own files (manifest, dataset.json, stored documents) are never
/// export targets: overwriting the manifest would make the dataset unreadable.
fn refuse_dataset_files(ds: &Dataset, target: &Path, format: ExportFormat) -> Result<()> {
    let canonical = |p: &Path| -> Option<PathBuf> {
        let name = p.file_name()?;
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(std::fs::canonicalize(parent).ok()?.join(name))
    };
    let root = std::fs::canonicalize(ds.root()).map_err(io_err(ds.root()))?;
    let targets: Vec<PathBuf> = match format {
        ExportFormat::Csv => ["actions.csv", "recommendations.csv", "decisions.csv"]
            .iter()
            .map(|n| target.join(n))
            .collect(),
        _ => vec![target.to_owned()],
    };
    for t in targets {
        let Some(c) = canonical(&t) else { continue };
        // Follow a symlink planted at the target name too.
        let c = std::fs::canonicalize(&c).unwrap_or(c);
        let protected = c == root.join("manifest.sqlite")
            || c.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("manifest.sqlite"))
                && c.parent() == Some(root.as_path())
            || c == root.join("dataset.json")
            || c.starts_with(root.join("documents"));
        if protected {
            return Err(refused(
                &t.display().to_string(),
                "is part of the dataset itself (manifest, dataset.json or stored documents); choose another output",
            ));
        }
    }
    Ok(())
}

/// A handle on stdout that the JSON writer can own.
fn stdout_file() -> Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        let fd = std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .map_err(io_err(Path::new("<stdout>")))?;
        Ok(std::fs::File::from(fd))
    }
    #[cfg(not(unix))]
    {
        Err(refused("-", "export to stdout is supported on Unix only"))
    }
}

/// Whether every export `import` keeps is there, with `user.sql` (if any) no newer
/// than `dataset.sqlite`: an edited `user.sql` is replayed by the next import.
pub(crate) fn default_exports_exist(ds: &Dataset) -> bool {
    let all = IMPORT_FORMATS.iter().all(|f| match f {
        ExportFormat::Csv => {
            ds.root().join("actions.csv").exists() && ds.root().join("recommendations.csv").exists()
        }
        f => f.default_path(ds.root()).exists(),
    }) && ds.root().join("metadata.json").exists();
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let user_sql_newer = match (
        modified(&ds.root().join(USER_SQL)),
        modified(&ExportFormat::Sqlite.default_path(ds.root())),
    ) {
        (Some(user), Some(db)) => user >= db,
        _ => false,
    };
    all && !user_sql_newer
}

/// Writes the formats `import` keeps inside the dataset, in one pass.
pub(crate) fn export_all_default(ds: &Dataset, manifest: &Manifest) -> Result<ExportSummary> {
    let targets: Vec<_> = IMPORT_FORMATS
        .iter()
        .map(|f| (*f, f.default_path(ds.root())))
        .collect();
    run_export(ds, manifest, &targets)
}

fn run_export(
    ds: &Dataset,
    manifest: &Manifest,
    targets: &[(ExportFormat, PathBuf)],
) -> Result<ExportSummary> {
    let mut sinks: Vec<Box<dyn Sink>> = Vec::new();
    for (format, path) in targets {
        sinks.push(match format {
            ExportFormat::Jsonl => Box::new(JsonSink::create(path, false)?),
            ExportFormat::Json => Box::new(JsonSink::create(path, true)?),
            ExportFormat::Csv => {
                std::fs::create_dir_all(path).map_err(io_err(path))?;
                Box::new(CsvSink::create(path)?)
            }
            ExportFormat::Sqlite => Box::new(SqliteSink::create(ds.root(), path)?),
        });
    }
    run_export_to(ds, manifest, sinks)
}

fn run_export_to(
    ds: &Dataset,
    manifest: &Manifest,
    mut sinks: Vec<Box<dyn Sink>>,
) -> Result<ExportSummary> {
    let mut summary = ExportSummary::default();
    manifest.for_each_document(|sha, canonical_path| {
        let mut doc = ds.read_document(sha)?;
        // The stored document names whichever duplicate was extracted first; the
        // export names the smallest path, so it does not depend on thread timing.
        doc.source.path = canonical_path.to_owned();
        summary.documents += 1;
        summary.recommendations += doc.recommendations.len() as u64;
        summary.actions += doc.all_actions().count() as u64;
        for sink in sinks.iter_mut() {
            sink.document(&doc)?;
        }
        Ok(())
    })?;
    for mut sink in sinks {
        sink.files(manifest)?;
        sink.finish(&mut summary)?;
    }
    Ok(summary)
}

/// One output being written.
trait Sink {
    fn document(&mut self, doc: &Document) -> Result<()>;
    /// Called once after the documents, with the manifest (for the `files` table).
    fn files(&mut self, _manifest: &Manifest) -> Result<()> {
        Ok(())
    }
    /// Commits the output; adds the files written (and any warning) to `summary`.
    fn finish(self: Box<Self>, summary: &mut ExportSummary) -> Result<()>;
}

struct JsonSink {
    path: PathBuf,
    file: AtomicFile,
    /// A pretty JSON array instead of one compact document per line.
    array: bool,
    count: u64,
}

impl JsonSink {
    fn create(path: &Path, array: bool) -> Result<Self> {
        JsonSink::with_file(path, AtomicFile::create(path)?, array)
    }

    fn with_file(path: &Path, mut file: AtomicFile, array: bool) -> Result<Self> {
        if array {
            file.writer().write_all(b"[").map_err(io_err(path))?;
        }
        Ok(JsonSink {
            path: path.to_owned(),
            file,
            array,
            count: 0,
        })
    }
}

impl Sink for JsonSink {
    fn document(&mut self, doc: &Document) -> Result<()> {
        let path = &self.path;
        let w = self.file.writer();
        let json_err = |e: serde_json::Error| DatasetError::Io {
            path: path.display().to_string(),
            source: e.into(),
        };
        if self.array {
            w.write_all(if self.count == 0 { b"\n" } else { b",\n" })
                .map_err(io_err(path))?;
            serde_json::to_writer_pretty(&mut *w, doc).map_err(json_err)?;
        } else {
            serde_json::to_writer(&mut *w, doc).map_err(json_err)?;
            w.write_all(b"\n").map_err(io_err(path))?;
        }
        self.count += 1;
        Ok(())
    }

    fn finish(mut self: Box<Self>, summary: &mut ExportSummary) -> Result<()> {
        if self.array {
            let end: &[u8] = if self.count == 0 { b"]\n" } else { b"\n]\n" };
            self.file
                .writer()
                .write_all(end)
                .map_err(io_err(&self.path))?;
        }
        let JsonSink { path, file, .. } = *self;
        file.commit(true)?;
        summary.outputs.push(path);
        Ok(())
    }
}

/// A CSV cell that a spreadsheet would run as a formula (it starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading `'`, as OWASP advises
/// against CSV injection; every other cell is written as is. See docs/dataset.md.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn safe_cells<const N: usize>(cells: [&str; N]) -> [String; N] {
    cells.map(|c| csv_safe(c).into_owned())
}

/// Columns of `actions.csv`, in order.
pub const ACTION_COLUMNS: [&str; 30] = [
    "document_id",
    "recommendation_id",
    "action_id",
    "parent_id",
    "council",
    "committee",
    "paper_title",
    "date",
    "recommendation_ref",
    "ref",
    "text",
    "lead",
    "partners",
    "resources",
    "timescale_raw",
    "timescale_start",
    "timescale_due",
    "timescale_horizon",
    "timescale_months_min",
    "timescale_months_max",
    "timescale_event",
    "measures",
    "status",
    "state",
    "progress",
    "page",
    "line",
    "source_path",
    "sha256",
    "depth",
];

/// Columns of `recommendations.csv`, in order.
pub const RECOMMENDATION_COLUMNS: [&str; 23] = [
    "document_id",
    "recommendation_id",
    "council",
    "committee",
    "paper_title",
    "date",
    "ref",
    "kind",
    "text",
    "list",
    "addressee",
    "lead",
    "timeframe",
    "timeframe_months_min",
    "timeframe_months_max",
    "timeframe_event",
    "timeframe_raw",
    "measures",
    "page",
    "line",
    "actions",
    "source_path",
    "sha256",
];

/// Columns of `decisions.csv`, in order.
pub const DECISION_COLUMNS: [&str; 16] = [
    "document_id",
    "decision_id",
    "council",
    "committee",
    "paper_title",
    "date",
    "minute",
    "item",
    "ref",
    "kind",
    "text",
    "actions",
    "page",
    "line",
    "source_path",
    "sha256",
];

/// Separator for list fields (leads, partners, measures) in flat outputs.
const LIST_SEP: &str = "; ";

struct CsvSink {
    dir: PathBuf,
    actions: csv::Writer<AtomicFile>,
    recommendations: csv::Writer<AtomicFile>,
    decisions: csv::Writer<AtomicFile>,
}

impl CsvSink {
    fn create(dir: &Path) -> Result<Self> {
        let open = |name: &str, header: &[&str]| -> Result<csv::Writer<AtomicFile>> {
            let path = dir.join(name);
            let mut w = csv::Writer::from_writer(AtomicFile::create(&path)?);
            w.write_record(header).map_err(|source| DatasetError::Csv {
                path: path.display().to_string(),
                source,
            })?;
            Ok(w)
        };
        Ok(CsvSink {
            dir: dir.to_owned(),
            actions: open("actions.csv", &ACTION_COLUMNS)?,
            recommendations: open("recommendations.csv", &RECOMMENDATION_COLUMNS)?,
            decisions: open("decisions.csv", &DECISION_COLUMNS)?,
        })
    }
}

/// Title and date of the paper a recommendation came from, falling back to the document's.
fn paper_of<'a>(doc: &'a Document, rec: &Recommendation) -> (Option<&'a str>, Option<&'a str>) {
    let paper = rec.paper.and_then(|i| doc.papers.get(i));
    let title = paper.map(|p| p.title.as_str()).or(doc.title.as_deref());
    let date = paper
        .and_then(|p| p.date.as_deref())
        .or(doc.date.as_deref());
    (title, date)
}

/// Every action of a recommendation with its parent and depth, steps after their action.
fn actions_with_parents(rec: &Recommendation) -> Vec<(&Action, Option<&Action>, u32)> {
    fn walk<'a>(
        a: &'a Action,
        parent: Option<&'a Action>,
        depth: u32,
        out: &mut Vec<(&'a Action, Option<&'a Action>, u32)>,
    ) {
        out.push((a, parent, depth));
        for s in &a.steps {
            walk(s, Some(a), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for a in &rec.actions {
        walk(a, None, 0, &mut out);
    }
    out
}

fn opt(s: Option<&str>) -> &str {
    s.unwrap_or("")
}

/// A timeframe as flat columns: horizon, months_min, months_max, event.
struct TimeframeColumns {
    horizon: Option<&'static str>,
    months_min: Option<u16>,
    months_max: Option<u16>,
    event: Option<&'static str>,
}

fn timeframe_columns(t: Option<Timeframe>) -> TimeframeColumns {
    TimeframeColumns {
        horizon: t.map(|t| t.horizon.as_str()),
        months_min: t.and_then(|t| t.months_min),
        months_max: t.and_then(|t| t.months_max),
        event: t.and_then(|t| t.event).map(|e| e.as_str()),
    }
}

impl TimeframeColumns {
    /// The CSV cells, empty where there is nothing.
    fn cells(&self) -> [String; 4] {
        let n = |v: Option<u16>| v.map(|v| v.to_string()).unwrap_or_default();
        [
            opt(self.horizon).to_owned(),
            n(self.months_min),
            n(self.months_max),
            opt(self.event).to_owned(),
        ]
    }
}

impl Sink for CsvSink {
    fn document(&mut self, doc: &Document) -> Result<()> {
        let dir = &self.dir;
        let csv_err = |name: &str| {
            let path = dir.join(name).display().to_string();
            move |source| DatasetError::Csv { path, source }
        };
        for rec in &doc.recommendations {
            let (title, date) = paper_of(doc, rec);
            let actions = actions_with_parents(rec);
            let page = rec.page.to_string();
            let line = rec.line.map(|l| l.to_string()).unwrap_or_default();
            let count = actions.len().to_string();
            let [horizon, months_min, months_max, event] = timeframe_columns(rec.timeframe).cells();
            self.recommendations
                .write_record(safe_cells([
                    doc.id.as_str(),
                    &rec.id,
                    opt(doc.council.as_deref()),
                    opt(doc.committee.as_deref()),
                    opt(title),
                    opt(date),
                    opt(rec.reference.as_deref()),
                    rec.kind.as_str(),
                    &rec.text,
                    opt(rec.list.as_deref()),
                    opt(rec.addressee.as_deref()),
                    opt(rec.lead.as_deref()),
                    &horizon,
                    &months_min,
                    &months_max,
                    &event,
                    opt(rec.timeframe_raw.as_deref()),
                    &rec.measures.join(LIST_SEP),
                    &page,
                    &line,
                    &count,
                    &doc.source.path,
                    &doc.source.sha256,
                ]))
                .map_err(csv_err("recommendations.csv"))?;
            for (a, parent, depth) in actions {
                let ts = a.timescale.as_ref();
                let [horizon, months_min, months_max, event] =
                    timeframe_columns(ts.and_then(|t| t.timeframe)).cells();
                self.actions
                    .write_record(safe_cells([
                        doc.id.as_str(),
                        &rec.id,
                        &a.id,
                        parent.map(|p| p.id.as_str()).unwrap_or(""),
                        opt(doc.council.as_deref()),
                        opt(doc.committee.as_deref()),
                        opt(title),
                        opt(date),
                        opt(rec.reference.as_deref()),
                        opt(a.reference.as_deref()),
                        &a.text,
                        &a.lead.join(LIST_SEP),
                        &a.partners.join(LIST_SEP),
                        opt(a.resources.as_deref()),
                        ts.map(|t| t.raw.as_str()).unwrap_or(""),
                        opt(ts.and_then(|t| t.start.as_deref())),
                        opt(ts.and_then(|t| t.due.as_deref())),
                        &horizon,
                        &months_min,
                        &months_max,
                        &event,
                        &a.measures.join(LIST_SEP),
                        opt(a.status.as_deref()),
                        a.state.map(|s| s.as_str()).unwrap_or(""),
                        opt(a.progress.as_deref()),
                        &a.page.to_string(),
                        &a.line.map(|l| l.to_string()).unwrap_or_default(),
                        &doc.source.path,
                        &doc.source.sha256,
                        &depth.to_string(),
                    ]))
                    .map_err(csv_err("actions.csv"))?;
            }
        }
        for d in &doc.decisions {
            let paper = d.paper.and_then(|i| doc.papers.get(i));
            let title = paper.map(|p| p.title.as_str()).or(doc.title.as_deref());
            let date = paper
                .and_then(|p| p.date.as_deref())
                .or(doc.date.as_deref());
            self.decisions
                .write_record(safe_cells([
                    doc.id.as_str(),
                    &d.id,
                    opt(doc.council.as_deref()),
                    opt(doc.committee.as_deref()),
                    opt(title),
                    opt(date),
                    opt(d.minute.as_deref()),
                    opt(d.item.as_deref()),
                    opt(d.reference.as_deref()),
                    d.kind.as_str(),
                    &d.text,
                    &d.actions.join(LIST_SEP),
                    &d.page.to_string(),
                    &d.line.map(|l| l.to_string()).unwrap_or_default(),
                    &doc.source.path,
                    &doc.source.sha256,
                ]))
                .map_err(csv_err("decisions.csv"))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>, summary: &mut ExportSummary) -> Result<()> {
        for (name, w) in [
            ("recommendations.csv", self.recommendations),
            ("actions.csv", self.actions),
            ("decisions.csv", self.decisions),
        ] {
            let path = self.dir.join(name);
            let file = w
                .into_inner()
                .map_err(|e| io_err(&path)(std::io::Error::other(e.to_string())))?;
            file.commit(true)?;
            summary.outputs.push(path);
        }
        Ok(())
    }
}

const SQLITE_SCHEMA: &str = "
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE documents (
    id             TEXT PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE,
    schema_version INTEGER NOT NULL,
    council        TEXT,
    title          TEXT,
    date           TEXT,
    committee      TEXT,
    source_path    TEXT NOT NULL,
    format         TEXT NOT NULL,
    bytes          INTEGER NOT NULL,
    pages          INTEGER NOT NULL,
    encoding       TEXT,
    extractor      TEXT NOT NULL
);
CREATE TABLE files (
    path               TEXT PRIMARY KEY,
    document_id        TEXT REFERENCES documents (id),
    sha256             TEXT,
    bytes              INTEGER,
    status             TEXT NOT NULL,
    reason_kind        TEXT,
    reason             TEXT,
    extractor_revision TEXT NOT NULL
);
CREATE TABLE papers (
    key         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    author      TEXT,
    date        TEXT,
    page_start  INTEGER NOT NULL,
    page_end    INTEGER NOT NULL
);
CREATE TABLE recommendations (
    key           INTEGER PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES documents (id),
    id            TEXT NOT NULL,
    paper_key     INTEGER REFERENCES papers (key),
    position      INTEGER NOT NULL,
    ref           TEXT,
    kind          TEXT NOT NULL,
    text          TEXT NOT NULL,
    timeframe            TEXT,
    timeframe_months_min INTEGER,
    timeframe_months_max INTEGER,
    timeframe_event      TEXT,
    timeframe_raw        TEXT,
    addressee     TEXT,
    lead          TEXT,
    measures      TEXT,
    list          TEXT,
    page          INTEGER NOT NULL,
    line          INTEGER
);
CREATE TABLE actions (
    key                INTEGER PRIMARY KEY,
    document_id        TEXT NOT NULL REFERENCES documents (id),
    recommendation_key INTEGER NOT NULL REFERENCES recommendations (key),
    parent_key         INTEGER REFERENCES actions (key),
    id                 TEXT NOT NULL,
    recommendation_id  TEXT NOT NULL,
    parent_id          TEXT,
    depth              INTEGER NOT NULL,
    position           INTEGER NOT NULL,
    ref                TEXT,
    text               TEXT NOT NULL,
    lead               TEXT,
    partners           TEXT,
    resources          TEXT,
    timescale_raw      TEXT,
    timescale_start    TEXT,
    timescale_due        TEXT,
    timescale_horizon    TEXT,
    timescale_months_min INTEGER,
    timescale_months_max INTEGER,
    timescale_event      TEXT,
    measures           TEXT,
    status             TEXT,
    state              TEXT,
    progress           TEXT,
    page               INTEGER NOT NULL,
    line               INTEGER,
    source_table       INTEGER,
    source_row         INTEGER
);
CREATE TABLE decisions (
    key         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    id          TEXT NOT NULL,
    paper_key   INTEGER REFERENCES papers (key),
    position    INTEGER NOT NULL,
    minute      TEXT,
    item        TEXT,
    ref         TEXT,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    opener      TEXT,
    page        INTEGER NOT NULL,
    line        INTEGER
);
CREATE TABLE decision_actions (
    decision_key INTEGER NOT NULL REFERENCES decisions (key),
    document_id  TEXT NOT NULL REFERENCES documents (id),
    action_id    TEXT NOT NULL
);
CREATE TABLE grades (
    key         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    area        TEXT NOT NULL,
    grade       INTEGER NOT NULL,
    label       TEXT,
    page        INTEGER NOT NULL
);
CREATE TABLE glossary (
    key         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    term        TEXT NOT NULL,
    expansion   TEXT NOT NULL
);
CREATE TABLE diagnostics (
    key         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id),
    page        INTEGER,
    message     TEXT NOT NULL
);
";

const SQLITE_INDEXES: &str = "
CREATE INDEX files_document ON files (document_id);
CREATE INDEX papers_document ON papers (document_id);
CREATE INDEX recommendations_document ON recommendations (document_id);
CREATE INDEX actions_document ON actions (document_id);
CREATE INDEX actions_recommendation ON actions (recommendation_key);
CREATE INDEX actions_parent ON actions (parent_key);
CREATE INDEX decisions_document ON decisions (document_id);
CREATE INDEX decision_actions_decision ON decision_actions (decision_key);
CREATE INDEX grades_document ON grades (document_id);
CREATE INDEX glossary_document ON glossary (document_id);
CREATE INDEX diagnostics_document ON diagnostics (document_id);
";

/// Full-text tables and views, made once the tables are filled. Each FTS5 table's
/// `rowid` is the `key` of the row it indexes (Datasette's `fts_pk`), so
/// `SELECT a.* FROM actions a JOIN actions_fts f ON f.rowid = a.key WHERE actions_fts MATCH 'solar'`.
const SQLITE_SEARCH: &str = "
CREATE VIRTUAL TABLE actions_fts USING fts5 (
    text, lead, partners, council, committee, tokenize = 'porter unicode61'
);
INSERT INTO actions_fts (rowid, text, lead, partners, council, committee)
    SELECT a.key, a.text, a.lead, a.partners, d.council, d.committee
      FROM actions a JOIN documents d ON d.id = a.document_id;
CREATE VIRTUAL TABLE recommendations_fts USING fts5 (
    text, lead, addressee, council, committee, tokenize = 'porter unicode61'
);
INSERT INTO recommendations_fts (rowid, text, lead, addressee, council, committee)
    SELECT r.key, r.text, r.lead, r.addressee, d.council, d.committee
      FROM recommendations r JOIN documents d ON d.id = r.document_id;
CREATE VIRTUAL TABLE decisions_fts USING fts5 (
    text, item, council, committee, tokenize = 'porter unicode61'
);
INSERT INTO decisions_fts (rowid, text, item, council, committee)
    SELECT x.key, x.text, x.item, d.council, d.committee
      FROM decisions x JOIN documents d ON d.id = x.document_id;
CREATE VIEW actions_with_council AS
    SELECT a.key, d.council, d.committee, COALESCE(p.date, d.date) AS date,
           COALESCE(p.title, d.title) AS paper_title, r.ref AS recommendation_ref,
           a.ref, a.text, a.lead, a.partners, a.timescale_raw, a.timescale_due,
           a.timescale_horizon, a.status, a.state, a.progress, a.depth,
           d.source_path, a.page, a.line, a.document_id, a.id AS action_id
      FROM actions a
      JOIN documents d ON d.id = a.document_id
      JOIN recommendations r ON r.key = a.recommendation_key
      LEFT JOIN papers p ON p.key = r.paper_key;
CREATE VIEW recommendations_with_council AS
    SELECT r.key, d.council, d.committee, COALESCE(p.date, d.date) AS date,
           COALESCE(p.title, d.title) AS paper_title, r.ref, r.kind, r.text, r.lead,
           r.addressee, r.timeframe, r.timeframe_raw,
           (SELECT COUNT(*) FROM actions a WHERE a.recommendation_key = r.key) AS actions,
           d.source_path, r.page, r.line, r.document_id, r.id AS recommendation_id
      FROM recommendations r
      JOIN documents d ON d.id = r.document_id
      LEFT JOIN papers p ON p.key = r.paper_key;
CREATE VIEW decisions_with_council AS
    SELECT x.key, d.council, d.committee, COALESCE(p.date, d.date) AS date,
           COALESCE(p.title, d.title) AS paper_title, x.minute, x.item, x.ref, x.kind,
           x.text, d.source_path, x.page, x.line, x.document_id, x.id AS decision_id
      FROM decisions x
      JOIN documents d ON d.id = x.document_id
      LEFT JOIN papers p ON p.key = x.paper_key;
";

/// Name of the file of user additions replayed into every SQLite export of a
/// dataset (`DATASET/user.sql`), see docs/dataset.md.
pub const USER_SQL: &str = "user.sql";

/// Where the Datasette metadata of a SQLite export goes: `metadata.json` beside the
/// dataset's own `dataset.sqlite`, `<stem>.metadata.json` beside any other target
/// (so an unrelated `metadata.json` in that folder is never overwritten).
pub fn metadata_path(ds_root: &Path, target: &Path) -> PathBuf {
    if target == ExportFormat::Sqlite.default_path(ds_root) {
        return ds_root.join("metadata.json");
    }
    let stem = target
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    target.with_file_name(format!("{stem}.metadata.json"))
}

/// Datasette metadata for a SQLite export served as database `db_name`: titles,
/// descriptions, and the full-text table of each searchable table and view.
fn datasette_metadata(db_name: &str) -> serde_json::Value {
    use serde_json::json;
    let fts = |table: &str, description: &str| json!({"description": description, "fts_table": format!("{table}_fts"), "fts_pk": "key"});
    let fts_view = |fts_table: &str, description: &str| json!({"description": description, "fts_table": fts_table, "fts_pk": "key"});
    let plain = |description: &str| json!({ "description": description });
    json!({
        "title": "Council action plans",
        "description": "Recommendations, actions and decisions extracted from UK council committee papers by actionplan. Each row names the paper it came from (documents.source_path, relative to the imported folder) and its page. This database is rebuilt by every import and export; see docs/dataset.md.",
        "source": format!("Council committee papers, extracted by {}", actionplan_pipeline::EXTRACTOR),
        "license": "The papers' own terms (each council's; often the Open Government Licence v3.0): check the source paper before reuse",
        "databases": {
            db_name: {
                "tables": {
                    "documents": plain("One row per distinct paper file: council, title, date, committee, source path, format, pages."),
                    "files": plain("Every input file the import saw, with its status (ok, failed, unsupported, removed) and reason; ok files point at their document."),
                    "papers": plain("The papers a document holds (a report and its appendices), with title, kind, author, date and pages."),
                    "recommendations": fts("recommendations", "Recommendations of plans, and what reports ask their meeting (kind = 'ask')."),
                    "actions": fts("actions", "Actions and their steps (parent_key, depth), with lead, partners, timescale, status and page."),
                    "decisions": fts("decisions", "Decisions of minutes (each part of a multi-part resolution is a row)."),
                    "decision_actions": plain("Which actions each decision gives."),
                    "grades": plain("Inspection grades printed in the papers."),
                    "glossary": plain("Abbreviations the papers expand."),
                    "diagnostics": plain("What the extractor noticed and could not resolve, per document."),
                    "action_history": plain("The same action linked across papers of one council and committee over time (written by actionplan track)."),
                    "meta": plain("Export version, document schema version and extractor."),
                    "actions_with_council": fts_view("actions_fts", "Actions with their paper's council, committee, date, title, source path and page."),
                    "recommendations_with_council": fts_view("recommendations_fts", "Recommendations with their paper's council, committee, date, title and source path."),
                    "decisions_with_council": fts_view("decisions_fts", "Decisions with their paper's council, committee, date, title and source path."),
                }
            }
        }
    })
}

/// Runs `user.sql` (when the dataset has one) on a freshly built database. A
/// statement that fails stops the export: the previous database stays in place.
fn apply_user_sql(conn: &Connection, user_sql: &Path) -> Result<()> {
    let sql = match std::fs::read_to_string(user_sql) {
        Ok(sql) => sql,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(user_sql)(e)),
    };
    conn.execute_batch(&sql).map_err(sql_err(user_sql))
}

/// A free name beside `target` for keeping the file it replaces.
fn kept_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (0u32..)
        .map(|n| {
            let suffix = if n == 0 {
                String::new()
            } else {
                format!("-{n}")
            };
            target.with_file_name(format!("{name}.kept-{secs}{suffix}"))
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| target.with_file_name(format!("{name}.kept")))
}

/// Names of the schema objects (tables, views, indexes, triggers) of a database,
/// SQLite's own excepted.
fn schema_objects(conn: &Connection) -> rusqlite::Result<std::collections::BTreeSet<String>> {
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")?;
    let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
    names.collect()
}

/// Key of the `meta` row listing the objects `user.sql` made (a JSON array of
/// "type name"), so that dropping one from `user.sql` is not taken for a loss.
const USER_SQL_OBJECTS: &str = "user_sql_objects";

/// Objects of the database being replaced that the new one lacks and that its own
/// `user.sql` run did not make: things a user added by hand instead of through
/// `user.sql`.
fn objects_only_in(old: &Path, new: &Connection) -> Vec<String> {
    let Ok(old) = Connection::open_with_flags(old, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
    else {
        return Vec::new();
    };
    let (Ok(before), Ok(after)) = (schema_objects(&old), schema_objects(new)) else {
        return Vec::new();
    };
    let from_user_sql: std::collections::BTreeSet<String> = old
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [USER_SQL_OBJECTS],
            |r| r.get::<_, String>(0),
        )
        .ok()
        .and_then(|v| serde_json::from_str(&v).ok())
        .unwrap_or_default();
    before
        .difference(&after)
        .filter(|o| !from_user_sql.contains(*o))
        .cloned()
        .collect()
}

struct SqliteSink {
    target: PathBuf,
    temp: PathBuf,
    /// `DATASET/user.sql`, replayed after the tables are made.
    user_sql: PathBuf,
    /// Where the Datasette metadata goes, and the database name it describes.
    metadata: PathBuf,
    db_name: String,
    /// Declared after `conn`, so the connection closes before the temp file goes.
    conn: Connection,
    /// Removes the temp file of an export that failed (a full disk, an error).
    guard: TempFile,
}

impl SqliteSink {
    fn create(ds_root: &Path, target: &Path) -> Result<Self> {
        let metadata = metadata_path(ds_root, target);
        let db_name = target
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dataset".into());
        let user_sql = ds_root.join(USER_SQL);
        // A symlink is kept and its target replaced; a FIFO or device cannot hold a database.
        let target = match std::fs::symlink_metadata(target) {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::canonicalize(target).unwrap_or_else(|_| target.to_owned())
            }
            _ => target.to_owned(),
        };
        let target = target.as_path();
        if is_special_target(target) {
            return Err(DatasetError::Io {
                path: target.display().to_string(),
                source: std::io::Error::other(
                    "a SQLite export must go to a regular file, not a pipe or device",
                ),
            });
        }
        let guard = TempFile::beside(target)?;
        let temp = guard.path().to_owned();
        let conn = Connection::open(&temp).map_err(sql_err(&temp))?;
        // The file is renamed into place only when complete, so no journal is needed.
        conn.execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON; BEGIN;",
        )
        .map_err(sql_err(&temp))?;
        conn.execute_batch(SQLITE_SCHEMA).map_err(sql_err(&temp))?;
        conn.execute_batch(crate::track::ACTION_HISTORY_TABLE)
            .map_err(sql_err(&temp))?;
        let meta = [
            ("export_version", EXPORT_VERSION.to_string()),
            (
                "document_schema_version",
                actionplan_model::SCHEMA_VERSION.to_string(),
            ),
            ("extractor", actionplan_pipeline::EXTRACTOR.to_string()),
            (
                "extractor_revision",
                actionplan_pipeline::EXTRACTOR_REVISION.to_string(),
            ),
        ];
        for (k, v) in meta {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                [k, v.as_str()],
            )
            .map_err(sql_err(&temp))?;
        }
        Ok(SqliteSink {
            target: target.to_owned(),
            temp,
            user_sql,
            metadata,
            db_name,
            conn,
            guard,
        })
    }

    fn insert_document(&self, doc: &Document) -> rusqlite::Result<()> {
        let c = &self.conn;
        let format = serde_json::to_value(doc.source.format)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        c.prepare_cached(
            "INSERT INTO documents (id, sha256, schema_version, council, title, date, committee, source_path, format, bytes, pages, encoding, extractor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            doc.id,
            doc.source.sha256,
            doc.schema_version,
            doc.council,
            doc.title,
            doc.date,
            doc.committee,
            doc.source.path,
            format,
            doc.source.bytes as i64,
            doc.source.pages,
            doc.source.encoding,
            doc.source.extractor
        ])?;
        let mut paper_keys = Vec::with_capacity(doc.papers.len());
        for (i, p) in doc.papers.iter().enumerate() {
            let kind = serde_json::to_value(p.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            c.prepare_cached(
                "INSERT INTO papers (document_id, position, title, kind, author, date, page_start, page_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![doc.id, i as i64, p.title, kind, p.author, p.date, p.page_start, p.page_end])?;
            paper_keys.push(c.last_insert_rowid());
        }
        for (i, rec) in doc.recommendations.iter().enumerate() {
            let paper_key = rec.paper.and_then(|p| paper_keys.get(p).copied());
            let tf = timeframe_columns(rec.timeframe);
            c.prepare_cached(
                "INSERT INTO recommendations (document_id, id, paper_key, position, ref, text, timeframe, timeframe_months_min, timeframe_months_max,
                                              timeframe_event, timeframe_raw, addressee, lead, measures, list, page, line, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?
            .execute(params![
                doc.id,
                rec.id,
                paper_key,
                i as i64,
                rec.reference,
                rec.text,
                tf.horizon,
                tf.months_min,
                tf.months_max,
                tf.event,
                rec.timeframe_raw,
                rec.addressee,
                rec.lead,
                rec.measures.join(LIST_SEP),
                rec.list,
                rec.page,
                rec.line,
                rec.kind.as_str()
            ])?;
            let rec_key = c.last_insert_rowid();
            for (j, a) in rec.actions.iter().enumerate() {
                self.insert_action(doc, rec, rec_key, a, None, 0, j)?;
            }
        }
        for (i, d) in doc.decisions.iter().enumerate() {
            let paper_key = d.paper.and_then(|p| paper_keys.get(p).copied());
            c.prepare_cached(
                "INSERT INTO decisions (document_id, id, paper_key, position, minute, item, ref, kind, text, opener, page, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                doc.id,
                d.id,
                paper_key,
                i as i64,
                d.minute,
                d.item,
                d.reference,
                d.kind.as_str(),
                d.text,
                d.opener,
                d.page,
                d.line
            ])?;
            let key = c.last_insert_rowid();
            for a in &d.actions {
                c.prepare_cached(
                    "INSERT INTO decision_actions (decision_key, document_id, action_id) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![key, doc.id, a])?;
            }
        }
        for g in &doc.grades {
            c.prepare_cached("INSERT INTO grades (document_id, area, grade, label, page) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![doc.id, g.area, g.grade, g.label, g.page])?;
        }
        for g in &doc.glossary {
            c.prepare_cached(
                "INSERT INTO glossary (document_id, term, expansion) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![doc.id, g.term, g.expansion])?;
        }
        for d in &doc.diagnostics {
            c.prepare_cached(
                "INSERT INTO diagnostics (document_id, page, message) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![doc.id, d.page, d.message])?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_action(
        &self,
        doc: &Document,
        rec: &Recommendation,
        rec_key: i64,
        a: &Action,
        parent: Option<(i64, &str)>,
        depth: u32,
        position: usize,
    ) -> rusqlite::Result<()> {
        let ts = a.timescale.as_ref();
        let tf = timeframe_columns(ts.and_then(|t| t.timeframe));
        self.conn
            .prepare_cached(
                "INSERT INTO actions (document_id, recommendation_key, parent_key, id, recommendation_id, parent_id, depth, position, ref, text,
                                      lead, partners, resources, timescale_raw, timescale_start, timescale_due, timescale_horizon,
                                      timescale_months_min, timescale_months_max, timescale_event, measures, status, progress, page, line,
                                      source_table, source_row, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24,
                         ?25, ?26, ?27, ?28)",
            )?
            .execute(params![
                doc.id,
                rec_key,
                parent.map(|p| p.0),
                a.id,
                rec.id,
                parent.map(|p| p.1),
                depth,
                position as i64,
                a.reference,
                a.text,
                a.lead.join(LIST_SEP),
                a.partners.join(LIST_SEP),
                a.resources,
                ts.map(|t| t.raw.as_str()),
                ts.and_then(|t| t.start.as_deref()),
                ts.and_then(|t| t.due.as_deref()),
                tf.horizon,
                tf.months_min,
                tf.months_max,
                tf.event,
                a.measures.join(LIST_SEP),
                a.status,
                a.progress,
                a.page,
                a.line,
                a.table,
                a.row,
                a.state.map(|s| s.as_str())
            ])?;
        let key = self.conn.last_insert_rowid();
        for (i, s) in a.steps.iter().enumerate() {
            self.insert_action(
                doc,
                rec,
                rec_key,
                s,
                Some((key, a.id.as_str())),
                depth + 1,
                i,
            )?;
        }
        Ok(())
    }
}

impl Sink for SqliteSink {
    fn document(&mut self, doc: &Document) -> Result<()> {
        self.insert_document(doc)
            .map_err(|source| DatasetError::Sqlite {
                path: format!("{} (document {})", self.target.display(), doc.source.path),
                source,
            })
    }

    fn files(&mut self, manifest: &Manifest) -> Result<()> {
        let temp = self.temp.clone();
        manifest.for_each_file(|f| {
            // Only `ok` rows point at a document that is in the export.
            let document_id = if f.status == FileStatus::Ok { f.document_id.as_deref() } else { None };
            self.conn
                .prepare_cached(
                    "INSERT INTO files (path, document_id, sha256, bytes, status, reason_kind, reason, extractor_revision)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        f.path,
                        document_id,
                        f.sha256,
                        f.bytes.map(|b| b as i64),
                        f.status.as_str(),
                        f.reason_kind,
                        f.reason,
                        f.extractor_revision
                    ])
                })
                .map(drop)
                .map_err(sql_err(&temp))
        })
    }

    fn finish(self: Box<Self>, summary: &mut ExportSummary) -> Result<()> {
        let SqliteSink {
            target,
            temp,
            user_sql,
            metadata,
            db_name,
            conn,
            guard,
        } = *self;
        conn.execute_batch(SQLITE_INDEXES).map_err(sql_err(&temp))?;
        conn.execute_batch(SQLITE_SEARCH).map_err(sql_err(&temp))?;
        let ours = schema_objects(&conn).map_err(sql_err(&temp))?;
        apply_user_sql(&conn, &user_sql)?;
        let theirs = schema_objects(&conn).map_err(sql_err(&temp))?;
        let made: Vec<&String> = theirs.difference(&ours).collect();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
            [USER_SQL_OBJECTS, &serde_json::to_string(&made).unwrap_or_default()],
        )
        .map_err(sql_err(&temp))?;
        conn.execute_batch("COMMIT;").map_err(sql_err(&temp))?;
        let mut outputs = vec![target.clone()];
        // Never drop silently what a user added to the file being replaced: keep
        // that file beside the new one and say so.
        let added = if target.is_file() {
            objects_only_in(&target, &conn)
        } else {
            Vec::new()
        };
        conn.close().map_err(|(_, e)| sql_err(&temp)(e))?;
        let mut kept = None;
        if !added.is_empty() {
            let keep = kept_path(&target);
            std::fs::hard_link(&target, &keep)
                .or_else(|_| std::fs::copy(&target, &keep).map(drop))
                .map_err(io_err(&keep))?;
            kept = Some((keep, added));
        }
        guard.commit(&target, true)?;
        let mut f = AtomicFile::create(&metadata)?;
        serde_json::to_writer_pretty(f.writer(), &datasette_metadata(&db_name))
            .map_err(|e| io_err(&metadata)(std::io::Error::other(e)))?;
        f.writer().write_all(b"\n").map_err(io_err(&metadata))?;
        f.commit(true)?;
        outputs.push(metadata);
        summary.outputs.extend(outputs);
        if let Some((keep, added)) = kept {
            summary.warnings.push(format!(
                "{}: rebuilt; the old file held {} that exports do not make (added by hand?), so it is kept as {}; put additions in {} to have them replayed on every rebuild (docs/dataset.md)",
                target.display(),
                added.join(", "),
                keep.display(),
                user_sql.display()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
        csv::Reader::from_path(path)
            .unwrap()
            .records()
            .map(Result::unwrap)
            .collect()
    }

    fn col(cols: &[&str], name: &str) -> usize {
        cols.iter().position(|c| *c == name).unwrap()
    }

    /// A document written by schema version 1, as an old dataset's `documents/` holds it.
    fn v1_document() -> Document {
        serde_json::from_str(include_str!(
            "../../../fixtures/schema/v1/leicester_2008_jar_action_plan_cabinet_report.json"
        ))
        .expect("v1 document reads")
    }

    /// A v2 document whose actions carry timescale timeframes.
    fn v2_document() -> Document {
        use actionplan_model::{Horizon, Timescale};
        let mut doc = v1_document();
        doc.schema_version = actionplan_model::SCHEMA_VERSION;
        let timescale = Timescale {
            raw: "Short/Medium".into(),
            start: None,
            due: None,
            timeframe: Some(Timeframe {
                months_max: Some(36),
                ..Timeframe::new(Horizon::Short)
            }),
        };
        let action = Action {
            id: "r1.a1".into(),
            timescale: Some(timescale),
            ..Action::new("Install solar panels", 1)
        };
        doc.recommendations[0].actions = vec![action];
        doc
    }

    #[test]
    fn csv_cells_that_spreadsheets_would_run_are_neutralised() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink: Box<dyn Sink> = Box::new(CsvSink::create(dir.path()).unwrap());
        let mut doc = v2_document();
        doc.recommendations[0].text = "=HYPERLINK(\"http://x\",\"click\")".into();
        doc.recommendations[0].actions[0].text = "@SUM(A1:A9)".into();
        doc.recommendations[0].actions[0].lead = vec!["+44 1234".into()];
        sink.document(&doc).unwrap();
        sink.finish(&mut ExportSummary::default()).unwrap();
        let recs = std::fs::read_to_string(dir.path().join("recommendations.csv")).unwrap();
        let actions = std::fs::read_to_string(dir.path().join("actions.csv")).unwrap();
        assert!(recs.contains("\"'=HYPERLINK("), "{recs}");
        assert!(
            actions.contains(",'@SUM(A1:A9),") && actions.contains(",'+44 1234,"),
            "{actions}"
        );
        assert_eq!(csv_safe("-5"), "'-5");
        assert_eq!(csv_safe("Improve attendance"), "Improve attendance");
    }

    #[test]
    fn csv_has_timeframe_columns_for_v1_and_v2_documents() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink: Box<dyn Sink> = Box::new(CsvSink::create(dir.path()).unwrap());
        let v1 = v1_document();
        sink.document(&v1).unwrap();
        sink.document(&v2_document()).unwrap();
        sink.finish(&mut ExportSummary::default()).unwrap();
        let rows = |name: &str| csv_rows(&dir.path().join(name));
        let recs = rows("recommendations.csv");
        let (h, lo, hi, raw) = (
            col(&RECOMMENDATION_COLUMNS, "timeframe"),
            col(&RECOMMENDATION_COLUMNS, "timeframe_months_min"),
            col(&RECOMMENDATION_COLUMNS, "timeframe_months_max"),
            col(&RECOMMENDATION_COLUMNS, "timeframe_raw"),
        );
        let got: Vec<(&str, &str, &str)> = recs
            .iter()
            .take(v1.recommendations.len())
            .map(|r| (&r[h], &r[lo], &r[hi]))
            .collect();
        assert!(got.contains(&("immediate", "", "")), "{got:?}");
        assert!(got.contains(&("short", "", "6")), "{got:?}");
        assert!(got.contains(&("long", "", "")), "{got:?}");
        assert!(
            recs.iter().all(|r| r[h].is_empty() || !r[raw].is_empty()),
            "the wording is kept beside the horizon"
        );
        let actions = rows("actions.csv");
        let a = &actions[0];
        assert_eq!(
            (
                &a[col(&ACTION_COLUMNS, "timescale_horizon")],
                &a[col(&ACTION_COLUMNS, "timescale_months_max")]
            ),
            ("short", "36")
        );
    }

    /// A v2 document with a decision of its minutes, an action state and an ask.
    fn minutes_document() -> Document {
        use actionplan_model::{ActionState, Decision, DecisionKind, RecommendationKind};
        let mut doc = v2_document();
        doc.recommendations[0].kind = RecommendationKind::Ask;
        doc.recommendations[0].actions[0].status = Some("Propose closure: done".into());
        doc.recommendations[0].actions[0].state = Some(ActionState::ProposedForClosure);
        doc.decisions = vec![Decision {
            id: "d1".into(),
            minute: Some("80".into()),
            item: Some("Finance Settlement".into()),
            reference: Some("3".into()),
            text: "Cabinet note the settlement and delegate the response".into(),
            kind: DecisionKind::Delegated,
            opener: Some("RESOLVED that".into()),
            actions: vec!["r1.a1".into()],
            paper: None,
            page: 3,
            line: None,
        }];
        doc
    }

    #[test]
    fn decisions_states_and_asks_reach_csv_and_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let mut sink: Box<dyn Sink> = Box::new(CsvSink::create(dir.path()).unwrap());
        sink.document(&minutes_document()).unwrap();
        sink.finish(&mut ExportSummary::default()).unwrap();
        let rows = |name: &str| csv_rows(&dir.path().join(name));
        let d = &rows("decisions.csv")[0];
        let got: Vec<&str> = ["minute", "item", "ref", "kind", "actions", "page"]
            .iter()
            .map(|c| &d[col(&DECISION_COLUMNS, c)])
            .collect();
        assert_eq!(
            got,
            ["80", "Finance Settlement", "3", "delegated", "r1.a1", "3"]
        );
        assert_eq!(
            &rows("actions.csv")[0][col(&ACTION_COLUMNS, "state")],
            "proposed_for_closure"
        );
        assert_eq!(
            &rows("recommendations.csv")[0][col(&RECOMMENDATION_COLUMNS, "kind")],
            "ask"
        );

        let db = dir.path().join("d.sqlite");
        let mut sink: Box<dyn Sink> = Box::new(SqliteSink::create(dir.path(), &db).unwrap());
        sink.document(&minutes_document()).unwrap();
        sink.finish(&mut ExportSummary::default()).unwrap();
        let conn = Connection::open(&db).unwrap();
        let (kind, minute, action): (String, String, String) = conn
            .query_row(
                "SELECT d.kind, d.minute, a.action_id FROM decisions d JOIN decision_actions a ON a.decision_key = d.key",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            (kind.as_str(), minute.as_str(), action.as_str()),
            ("delegated", "80", "r1.a1")
        );
        let state: String = conn
            .query_row("SELECT state FROM actions WHERE id = 'r1.a1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(state, "proposed_for_closure");
        let asks: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM recommendations WHERE kind = 'ask'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(asks, 1);
    }

    #[test]
    fn sqlite_has_timeframe_columns() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite");
        let mut sink: Box<dyn Sink> = Box::new(SqliteSink::create(dir.path(), &db).unwrap());
        sink.document(&v2_document()).unwrap();
        sink.finish(&mut ExportSummary::default()).unwrap();
        let conn = Connection::open(&db).unwrap();
        let n: i64 = conn
            .query_row("SELECT COUNT(*) FROM recommendations WHERE timeframe = 'short' AND timeframe_months_max = 6", [], |r| r.get(0))
            .unwrap();
        assert!(n > 0);
        let (h, max): (String, i64) = conn
            .query_row(
                "SELECT timescale_horizon, timescale_months_max FROM actions",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((h.as_str(), max), ("short", 36));
        let version: String = conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'export_version'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(version, EXPORT_VERSION.to_string());
    }

    #[test]
    fn sqlite_export_has_full_text_search_views_and_datasette_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("d.sqlite");
        let mut sink: Box<dyn Sink> = Box::new(SqliteSink::create(dir.path(), &db).unwrap());
        let doc = minutes_document();
        let council = doc.council.clone().expect("the fixture names its council");
        sink.document(&doc).unwrap();
        let mut summary = ExportSummary::default();
        sink.finish(&mut summary).unwrap();
        let conn = Connection::open(&db).unwrap();

        // FTS5 is compiled into the bundled SQLite, with stemming.
        let found: Vec<(String, String)> = conn
            .prepare(
                "SELECT a.id, a.text FROM actions_fts JOIN actions a ON a.key = actions_fts.rowid
                  WHERE actions_fts MATCH 'installing solar' ORDER BY rank",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            found,
            [("r1.a1".to_string(), "Install solar panels".to_string())]
        );
        let by_council: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM actions_fts WHERE actions_fts MATCH ?1",
                [format!("council : \"{council}\"")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(by_council, 1);
        let decision: String = conn
            .query_row(
                "SELECT x.minute FROM decisions_fts JOIN decisions x ON x.key = decisions_fts.rowid
                  WHERE decisions_fts MATCH 'settlement'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(decision, "80");
        let recs: i64 = conn
            .query_row("SELECT COUNT(*) FROM recommendations_fts", [], |r| r.get(0))
            .unwrap();
        assert_eq!(recs as usize, doc.recommendations.len());

        // The view gives each action its paper's council, date, title, path and page.
        let rec = &doc.recommendations[0];
        let (title, date) = paper_of(&doc, rec);
        let row: (String, Option<String>, Option<String>, String, i64) = conn
            .query_row(
                "SELECT council, date, paper_title, source_path, page FROM actions_with_council WHERE action_id = 'r1.a1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(
            row,
            (
                council.clone(),
                date.map(str::to_owned),
                title.map(str::to_owned),
                doc.source.path.clone(),
                1
            )
        );
        assert!(
            date.is_some(),
            "the fixture is dated, so the view's date is tested"
        );

        // metadata.json names tables that exist and FTS tables that index them.
        let meta_path = dir.path().join("d.metadata.json");
        assert!(
            summary.outputs.contains(&meta_path),
            "{:?}",
            summary.outputs
        );
        let meta: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
        let tables = meta["databases"]["d"]["tables"].as_object().unwrap();
        let exists = |name: &str| -> bool {
            conn.query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = ?1 AND type IN ('table', 'view')",
                [name],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
                == 1
        };
        let mut searchable = 0;
        for (name, t) in tables {
            assert!(
                exists(name),
                "metadata names {name}, which is not in the database"
            );
            assert!(
                t["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{name}"
            );
            if let Some(fts) = t["fts_table"].as_str() {
                searchable += 1;
                assert!(exists(fts), "{fts}");
                let pk = t["fts_pk"].as_str().unwrap();
                let sql = format!("SELECT COUNT(*) FROM [{name}] WHERE [{pk}] IN (SELECT rowid FROM [{fts}] WHERE [{fts}] MATCH 'solar OR settlement OR improve')");
                conn.query_row(&sql, [], |r| r.get::<_, i64>(0)).unwrap();
            }
        }
        assert_eq!(searchable, 6, "three tables and their three views");
        assert_eq!(
            metadata_path(Path::new("ds"), Path::new("ds/dataset.sqlite")),
            Path::new("ds/metadata.json")
        );
    }

    #[test]
    fn steps_follow_their_action_with_parent_and_depth() {
        let action = |id: &str, steps: Vec<Action>| Action {
            id: id.into(),
            steps,
            ..Action::new(id, 1)
        };
        let rec = Recommendation {
            id: "r1".into(),
            actions: vec![
                action("r1.a1", vec![action("r1.a1.s1", vec![])]),
                action("r1.a2", vec![]),
            ],
            ..Recommendation::new("t", 1)
        };
        let got: Vec<_> = actions_with_parents(&rec)
            .iter()
            .map(|(a, p, d)| (a.id.clone(), p.map(|p| p.id.clone()), *d))
            .collect();
        assert_eq!(
            got,
            [
                ("r1.a1".into(), None, 0),
                ("r1.a1.s1".into(), Some("r1.a1".into()), 1),
                ("r1.a2".into(), None, 0)
            ]
        );
    }
}
