//! Atomic file replacement: write a temp file in the same folder, then rename it
//! over the target, so a reader (or a rerun after `kill -9`) sees the old file or
//! the new one, never half of one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{io_err, Result};

/// Prefix of every temp file; stale ones (from a killed run) are removed when the
/// dataset is next opened for writing.
pub(crate) const TEMP_PREFIX: &str = ".tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    target.with_file_name(format!("{TEMP_PREFIX}{}-{n}-{name}", std::process::id()))
}

/// A file being written; invisible under its real name until [`AtomicFile::commit`].
pub(crate) struct AtomicFile {
    target: PathBuf,
    temp: PathBuf,
    writer: BufWriter<File>,
    committed: bool,
}

impl AtomicFile {
    pub(crate) fn create(target: &Path) -> Result<Self> {
        let temp = temp_path(target);
        let file = File::create(&temp).map_err(io_err(&temp))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            temp,
            writer: BufWriter::with_capacity(256 * 1024, file),
            committed: false,
        })
    }

    /// A temp path beside `target` for writers (such as SQLite) that open files by
    /// name; pair with [`commit_path`].
    pub(crate) fn temp_for(target: &Path) -> PathBuf {
        temp_path(target)
    }

    pub(crate) fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// Flushes, optionally syncs, and renames over the target.
    pub(crate) fn commit(mut self, sync: bool) -> Result<()> {
        self.writer.flush().map_err(io_err(&self.temp))?;
        if sync {
            self.writer
                .get_ref()
                .sync_all()
                .map_err(io_err(&self.temp))?;
        }
        std::fs::rename(&self.temp, &self.target).map_err(io_err(&self.target))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // An abandoned write (error on the way) leaves no temp file behind.
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Syncs a finished temp file and renames it over `target`.
pub(crate) fn commit_path(temp: &Path, target: &Path) -> Result<()> {
    File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(io_err(temp))?;
    std::fs::rename(temp, target).map_err(io_err(target))
}

/// Writes `bytes` to `target` atomically. `sync` makes it durable before the
/// rename; callers that sync many files in one go (see `store::sync_fs`) pass false.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.writer().write_all(bytes).map_err(io_err(target))?;
    f.commit(sync)
}

/// Removes temp files left in `dir` by a killed run.
pub(crate) fn remove_stale_temps(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io_err(dir))?;
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_write_leaves_nothing_and_commit_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        std::fs::write(&target, b"old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.writer().write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic(&target, b"new", true).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
