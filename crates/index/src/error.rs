//! The one error type of the index crate.

use std::path::PathBuf;

/// `Result` with the index crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why the index could not be opened, written or searched. Messages give the path and
/// the reason; what to run about it is the caller's to say (the CLI adds its commands).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Nothing has been indexed at this path yet.
    #[error("no search index at {path}")]
    Missing { path: PathBuf },
    /// The path exists but is a file, or a directory holding something other than an index.
    #[error("{path} is not an actionplan index (no {meta}): choose a new or empty directory", meta = crate::META_FILE)]
    NotAnIndex { path: PathBuf },
    /// The index was written by a build with another index format.
    #[error("the index at {path} has format version {found} but this build reads version {expected}: it must be rebuilt")]
    IncompatibleVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    /// Files are missing, truncated or unreadable as an index.
    #[error("the index at {path} is corrupt ({reason}): it must be rebuilt")]
    Corrupt { path: PathBuf, reason: String },
    /// Another process holds the index writer lock.
    #[error("the index at {path} is locked by another writer")]
    Locked { path: PathBuf },
    /// An operating-system error reading or writing the index directory.
    #[error("index at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Any other failure reported by tantivy.
    #[error("index at {path}: {source}")]
    Tantivy {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    /// The search request cannot be run (bad date, unknown timeframe, …).
    #[error("invalid search: {0}")]
    InvalidRequest(String),
}

impl Error {
    /// Classifies a tantivy error raised while working on the index at `path`.
    pub(crate) fn tantivy(path: &std::path::Path, source: tantivy::TantivyError) -> Error {
        use tantivy::TantivyError as T;
        let path = path.to_path_buf();
        match source {
            T::LockFailure(..) => Error::Locked { path },
            T::DataCorruption(c) => Error::Corrupt {
                path,
                reason: format!("{c:?}"),
            },
            T::OpenReadError(e) => Error::Corrupt {
                path,
                reason: e.to_string(),
            },
            T::IncompatibleIndex(e) => Error::Corrupt {
                path,
                reason: format!("{e:?}"),
            },
            T::SchemaError(e) => Error::Corrupt { path, reason: e },
            T::FieldNotFound(e) => Error::Corrupt {
                path,
                reason: format!("field {e} not found"),
            },
            T::DeserializeError(e) => Error::Corrupt {
                path,
                reason: e.to_string(),
            },
            source => Error::Tantivy { path, source },
        }
    }
}

/// The message of a caught panic, for an error saying what went wrong.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".to_owned());
    format!("reading it failed: {text}")
}
