//! A dataset is a folder that many papers are imported into, incrementally and
//! crash-safely, and that researchers export as JSONL, JSON, CSV or SQLite.
//!
//! Layout of `DATASET/` (see `docs/dataset.md`):
//! - `dataset.json`: format name and version, written once.
//! - `manifest.sqlite`: one row per input path (hash, size, status, reason,
//!   extractor revision) and one row per import run; only changed in transactions.
//! - `documents/<sha256>.json`: one extracted [`actionplan_model::Document`] per
//!   distinct content, written with temp file + rename.
//! - exports written by `import` (and `export`): `documents.jsonl`, `actions.csv`,
//!   `recommendations.csv`, `dataset.sqlite`.
//!
//! Invariants:
//! - This crate prints nothing; progress goes through [`Progress`].
//! - A manifest row says `ok` only after its document file is on disk and synced,
//!   so `kill -9` at any point loses nothing: the rerun redoes what was not committed.
//! - Nothing here knows the `actionplan` binary: worker processes are started from
//!   the command line the caller passes in [`Extraction::Workers`].
//! - Memory does not grow with the number of documents: documents stream between
//!   disk and disk one at a time. (The list of input paths is held, ~100 bytes each.)

mod export;
mod import;
mod manifest;
mod store;
pub mod track;
mod walk;
pub mod worker;

pub use export::{export, ExportFormat, ExportSummary};
pub use import::{import, Extraction, FileOutcome, ImportOptions, ImportSummary, Progress};
pub use manifest::{FileStatus, MANIFEST_VERSION};
pub use store::{parse_document, Dataset, DATASET_FORMAT_VERSION};
pub use track::{track, History, TrackSummary, TrackedAction};

/// Why a dataset operation could not be carried out. Per-file extraction failures
/// are not errors: they are recorded in the manifest and counted in the summary.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// A file or folder of the dataset or the inputs could not be read or written.
    #[error("{path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The manifest or the SQLite export could not be read or written.
    #[error("{path}: SQLite")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    /// A stored document or manifest field is not what this build wrote (corruption
    /// or a hand edit).
    #[error("{path}: corrupt: {reason}")]
    Corrupt { path: String, reason: String },
    /// The dataset was written by a newer, incompatible build.
    #[error("{path}: dataset format {found} is newer than this build understands ({supported})")]
    IncompatibleVersion {
        path: String,
        found: u32,
        supported: u32,
    },
    /// The folder has no `dataset.json`: it was not made by `actionplan import`.
    #[error("{path}: not a dataset (no dataset.json); create one with `actionplan import`")]
    NotADataset { path: String },
    /// Another import is writing to the same dataset.
    #[error("{path}: another import is using this dataset")]
    Locked { path: String },
    /// Two inputs of one import have the same name: the dataset records files
    /// under their input's name, so the two would be confused.
    #[error("{first} and {second} have the same name; the dataset names files by their input folder's name, so import them into separate datasets or rename one")]
    InputNameClash { first: String, second: String },
    /// An input folder or file given on the command line does not exist.
    #[error("{path}: no such file or folder")]
    MissingInput { path: String },
    /// The CSV writer failed.
    #[error("{path}: CSV")]
    Csv { path: String, source: csv::Error },
    /// A worker process could not be started at all (as opposed to one file
    /// crashing it, which is a per-file failure).
    #[error("cannot start extraction worker `{command}`")]
    WorkerSpawn {
        command: String,
        source: std::io::Error,
    },
}

impl DatasetError {
    /// The message with its causes, for places that keep errors as text (manifest reasons).
    pub fn with_causes(&self) -> String {
        let mut out = self.to_string();
        let mut cur = std::error::Error::source(self);
        while let Some(c) = cur {
            out.push_str(": ");
            out.push_str(&c.to_string());
            cur = c.source();
        }
        out
    }
}

/// Result alias for this crate.
pub type Result<T, E = DatasetError> = std::result::Result<T, E>;

impl From<actionplan_files::Error> for DatasetError {
    fn from(e: actionplan_files::Error) -> Self {
        DatasetError::Io {
            path: e.path.display().to_string(),
            source: e.source,
        }
    }
}

pub(crate) fn io_err(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> DatasetError {
    let path = path.display().to_string();
    move |source| DatasetError::Io { path, source }
}

pub(crate) fn sql_err(path: &std::path::Path) -> impl FnOnce(rusqlite::Error) -> DatasetError {
    let path = path.display().to_string();
    move |source| DatasetError::Sqlite { path, source }
}
