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
///
/// An existing target that is not a regular file (a symlink, a FIFO, a device such
/// as `/dev/stdout`) is written to directly instead: replacing it would break the
/// link or the pipe the user set up.
pub(crate) struct AtomicFile {
    target: PathBuf,
    /// `None`: writing straight into the target.
    temp: Option<PathBuf>,
    writer: BufWriter<File>,
    committed: bool,
}

/// True when `target` exists and is neither a regular file nor a folder.
pub(crate) fn is_special_target(target: &Path) -> bool {
    std::fs::symlink_metadata(target).is_ok_and(|m| !m.file_type().is_file() && !m.is_dir())
}

/// Creates a temp file exclusively (`O_EXCL`): a planted file or symlink under
/// the temp name makes the write fail instead of being followed.
pub(crate) fn create_exclusive(path: &Path) -> std::io::Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

impl AtomicFile {
    pub(crate) fn create(target: &Path) -> Result<Self> {
        if is_special_target(target) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(target)
                .map_err(io_err(target))?;
            return Ok(Self::direct(target, file));
        }
        let temp = temp_path(target);
        let file = create_exclusive(&temp).map_err(io_err(&temp))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            temp: Some(temp),
            writer: BufWriter::with_capacity(256 * 1024, file),
            committed: false,
        })
    }

    /// Writes into an already open file (stdout, a FIFO); commit only flushes.
    pub(crate) fn direct(target: &Path, file: File) -> Self {
        AtomicFile {
            target: target.to_owned(),
            temp: None,
            writer: BufWriter::with_capacity(256 * 1024, file),
            committed: false,
        }
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
        let Some(temp) = self.temp.clone() else {
            self.writer.flush().map_err(io_err(&self.target))?;
            self.committed = true;
            return Ok(());
        };
        self.writer.flush().map_err(io_err(&temp))?;
        if sync {
            self.writer.get_ref().sync_all().map_err(io_err(&temp))?;
        }
        std::fs::rename(&temp, &self.target).map_err(io_err(&self.target))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // An abandoned write (error on the way, a full disk) leaves no temp file behind.
        if let (false, Some(temp)) = (self.committed, &self.temp) {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Removes a temp file when dropped, unless it was renamed away first.
pub(crate) struct TempGuard(pub(crate) PathBuf);

impl Drop for TempGuard {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
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
