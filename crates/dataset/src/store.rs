//! The dataset folder: its version file, its lock, and where documents live.

use std::fs::File;
use std::path::{Path, PathBuf};

use actionplan_model::Document;
use serde::{Deserialize, Serialize};

use crate::{io_err, DatasetError, Result};
use actionplan_files as atomic;

/// Version of the dataset folder layout (`dataset.json`, manifest, documents).
/// Bump on any incompatible change; older builds refuse newer datasets.
pub const DATASET_FORMAT_VERSION: u32 = 1;

const FORMAT_NAME: &str = "actionplan-dataset";

#[derive(Debug, Serialize, Deserialize)]
struct DatasetFile {
    format: String,
    schema_version: u32,
}

/// An opened dataset folder.
#[derive(Debug)]
pub struct Dataset {
    root: PathBuf,
    /// Held for as long as the dataset is open for writing; the OS releases it
    /// when the process dies, even by `kill -9`.
    _lock: Option<File>,
}

impl Dataset {
    /// Opens `root` for importing, creating it if needed, and takes its lock.
    pub fn create_or_open(root: &Path) -> Result<Dataset> {
        std::fs::create_dir_all(root.join("documents")).map_err(io_err(root))?;
        let lock_path = root.join(".lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        try_lock(&lock, &lock_path)?;
        let meta = root.join("dataset.json");
        if meta.exists() {
            check_version(&meta)?;
        } else {
            let body = DatasetFile {
                format: FORMAT_NAME.into(),
                schema_version: DATASET_FORMAT_VERSION,
            };
            let text = serde_json::to_string_pretty(&body).unwrap_or_default() + "\n";
            atomic::write_atomic(&meta, text.as_bytes(), true)?;
        }
        let ds = Dataset {
            root: root.to_owned(),
            _lock: Some(lock),
        };
        atomic::remove_stale_temps(&ds.documents_dir())?;
        atomic::remove_stale_temps(root)?;
        Ok(ds)
    }

    /// Opens an existing dataset for reading (exports), without the lock.
    pub fn open(root: &Path) -> Result<Dataset> {
        let meta = root.join("dataset.json");
        if !meta.exists() {
            return Err(DatasetError::NotADataset {
                path: root.display().to_string(),
            });
        }
        check_version(&meta)?;
        Ok(Dataset {
            root: root.to_owned(),
            _lock: None,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn documents_dir(&self) -> PathBuf {
        self.root.join("documents")
    }

    pub(crate) fn manifest_path(&self) -> PathBuf {
        self.root.join("manifest.sqlite")
    }

    pub(crate) fn document_path(&self, sha256: &str) -> PathBuf {
        document_path(&self.documents_dir(), sha256)
    }

    /// Reads one stored document.
    pub(crate) fn read_document(&self, sha256: &str) -> Result<Document> {
        let path = self.document_path(sha256);
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| DatasetError::Corrupt {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        parse_document(text).map_err(|reason| DatasetError::Corrupt {
            path: path.display().to_string(),
            reason,
        })
    }
}

/// Parses one document written by this build (JSON text).
pub fn parse_document(json: &str) -> std::result::Result<Document, String> {
    serde_json::from_str(json).map_err(|e| e.to_string())
}

/// Where the document for content `sha256` is stored under `documents_dir`.
pub(crate) fn document_path(documents_dir: &Path, sha256: &str) -> PathBuf {
    documents_dir.join(format!("{sha256}.json"))
}

fn check_version(meta: &Path) -> Result<()> {
    let bytes = std::fs::read(meta).map_err(io_err(meta))?;
    let file: DatasetFile = serde_json::from_slice(&bytes).map_err(|e| DatasetError::Corrupt {
        path: meta.display().to_string(),
        reason: e.to_string(),
    })?;
    if file.format != FORMAT_NAME {
        return Err(DatasetError::Corrupt {
            path: meta.display().to_string(),
            reason: format!("format is {:?}, expected {FORMAT_NAME:?}", file.format),
        });
    }
    if file.schema_version > DATASET_FORMAT_VERSION {
        return Err(DatasetError::IncompatibleVersion {
            path: meta.display().to_string(),
            found: file.schema_version,
            supported: DATASET_FORMAT_VERSION,
        });
    }
    Ok(())
}

#[cfg(unix)]
fn try_lock(file: &File, path: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: flock on a file descriptor we own; no memory is passed.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    if err.kind() == std::io::ErrorKind::WouldBlock {
        Err(DatasetError::Locked {
            path: path.display().to_string(),
        })
    } else {
        Err(io_err(path)(err))
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File, _path: &Path) -> Result<()> {
    Ok(())
}

/// Makes every document written so far durable before the manifest says they
/// exist. One `syncfs` per manifest batch is far cheaper than one `fsync` per file.
pub(crate) fn sync_fs(dir: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let f = File::open(dir).map_err(io_err(dir))?;
        // SAFETY: syncfs on a descriptor we own.
        let rc = unsafe { libc::syncfs(f.as_raw_fd()) };
        if rc != 0 {
            return Err(io_err(dir)(std::io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Elsewhere, fall back to syncing every document file.
        for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
            let entry = entry.map_err(io_err(dir))?;
            File::open(entry.path())
                .and_then(|f| f.sync_all())
                .map_err(io_err(&entry.path()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_and_newer_format_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let ds = Dataset::create_or_open(dir.path()).unwrap();
        assert!(matches!(
            Dataset::create_or_open(dir.path()),
            Err(DatasetError::Locked { .. })
        ));
        drop(ds);
        Dataset::create_or_open(dir.path()).unwrap();
        std::fs::write(
            dir.path().join("dataset.json"),
            r#"{"format":"actionplan-dataset","schema_version":99}"#,
        )
        .unwrap();
        assert!(matches!(
            Dataset::open(dir.path()),
            Err(DatasetError::IncompatibleVersion { found: 99, .. })
        ));
    }
}
