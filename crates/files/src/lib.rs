//! File-system conventions shared by the crates that read input folders and write
//! user files (the CLI, the dataset and the index), so they hold one rule each: the
//! walk of input folders ([`walk`]) and atomic replacement (below).
//!
//! Atomic replacement: a write goes to a temp file created exclusively in the
//! target's folder and is renamed over the target when complete, so a reader (or a
//! rerun after `kill -9`) sees the old file or the new one, never half of one; a
//! failed or abandoned write (a full disk, an error on the way) leaves no temp file
//! behind. An existing target that is not a regular file (a symlink, a FIFO, a
//! device such as `/dev/stdout`) is written to directly instead: replacing it would
//! break the link or the pipe the user set up.

pub mod walk;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// An I/O failure and the file it happened to.
#[derive(Debug)]
pub struct Error {
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Attaches `path` to an I/O error.
pub fn at(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error {
        path: path.to_owned(),
        source,
    }
}

/// Prefix of every temp file; [`remove_stale_temps`] removes those a killed run left.
pub const TEMP_PREFIX: &str = ".tmp-";

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh temp path beside `target` (not created).
fn temp_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let file = format!("{TEMP_PREFIX}{}-{n}-{name}", std::process::id());
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.join(file),
        _ => PathBuf::from(file),
    }
}

/// True when `target` exists and is neither a regular file nor a folder.
pub fn is_special_target(target: &Path) -> bool {
    std::fs::symlink_metadata(target).is_ok_and(|m| !m.file_type().is_file() && !m.is_dir())
}

/// Creates a file exclusively (`O_EXCL`): a planted file or symlink under the name
/// makes the call fail instead of being followed.
fn create_exclusive(path: &Path) -> Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(at(path))
}

/// A file being written; invisible under its real name until [`AtomicFile::commit`].
pub struct AtomicFile {
    target: PathBuf,
    /// `None`: writing straight into the target (a special file, stdout).
    temp: Option<TempFile>,
    writer: BufWriter<File>,
}

impl AtomicFile {
    /// Starts replacing `target` (see the crate comment). A folder is refused.
    pub fn create(target: &Path) -> Result<Self> {
        if target.is_dir() {
            return Err(Error {
                path: target.to_owned(),
                source: std::io::Error::other("is a directory"),
            });
        }
        if is_special_target(target) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(target)
                .map_err(at(target))?;
            return Ok(Self::direct(target, file));
        }
        let temp = TempFile::beside(target)?;
        let file = temp.file.try_clone().map_err(at(&temp.path))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            temp: Some(temp),
            writer: BufWriter::with_capacity(256 * 1024, file),
        })
    }

    /// Writes into an already open file (stdout, a FIFO); commit only flushes.
    pub fn direct(target: &Path, file: File) -> Self {
        AtomicFile {
            target: target.to_owned(),
            temp: None,
            writer: BufWriter::with_capacity(256 * 1024, file),
        }
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// Flushes, syncs when `sync` (durable before the rename; callers that sync
    /// many files in one go pass false), and renames over the target.
    pub fn commit(mut self, sync: bool) -> Result<()> {
        let Some(temp) = self.temp.take() else {
            return self.writer.flush().map_err(at(&self.target));
        };
        self.writer.flush().map_err(at(&temp.path))?;
        temp.commit(&self.target, sync)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

/// An empty temp file beside a target, for writers (such as SQLite) that open files
/// by name: removed when dropped unless [`TempFile::commit`]ted.
pub struct TempFile {
    path: PathBuf,
    file: File,
    committed: bool,
}

impl TempFile {
    /// Creates the temp file exclusively in `target`'s folder.
    pub fn beside(target: &Path) -> Result<Self> {
        let path = temp_path(target);
        let file = create_exclusive(&path)?;
        Ok(TempFile {
            path,
            file,
            committed: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Syncs when `sync` and renames the temp file over `target`.
    pub fn commit(mut self, target: &Path, sync: bool) -> Result<()> {
        if sync {
            // Another handle (SQLite's) may have written it: sync what is on disk.
            File::open(&self.path)
                .and_then(|f| f.sync_all())
                .map_err(at(&self.path))?;
        }
        std::fs::rename(&self.path, target).map_err(at(target))?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to `target` atomically (see [`AtomicFile`]).
pub fn write_atomic(target: &Path, bytes: &[u8], sync: bool) -> Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.writer().write_all(bytes).map_err(at(target))?;
    f.commit(sync)
}

/// Removes temp files left in `dir` by a killed run (a missing folder is fine).
pub fn remove_stale_temps(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(at(dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(at(dir))?;
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn dropped_write_leaves_nothing_and_commit_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.json");
        std::fs::write(&target, b"old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.writer().write_all(b"half").unwrap();
            assert_eq!(names(dir.path()).len(), 2, "the temp file is beside it");
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        assert_eq!(names(dir.path()), ["a.json"]);
        write_atomic(&target, b"new", true).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
        assert_eq!(names(dir.path()), ["a.json"]);
    }

    #[test]
    fn a_folder_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x", false).unwrap_err();
        assert!(e.to_string().contains("is a directory"), "{e}");
        assert!(
            e.to_string().contains(&*dir.path().to_string_lossy()),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_and_fifos_are_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"through", false).unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "through");
    }

    #[test]
    fn a_temp_file_goes_unless_committed_and_stale_ones_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("db.sqlite");
        let t = TempFile::beside(&target).unwrap();
        assert!(t.path().exists());
        drop(t);
        assert!(names(dir.path()).is_empty());
        let t = TempFile::beside(&target).unwrap();
        std::fs::write(t.path(), b"db").unwrap();
        t.commit(&target, true).unwrap();
        assert_eq!(names(dir.path()), ["db.sqlite"]);
        std::fs::write(dir.path().join(format!("{TEMP_PREFIX}1-0-x")), b"").unwrap();
        std::fs::write(dir.path().join("keep.tmp"), b"").unwrap();
        remove_stale_temps(dir.path()).unwrap();
        assert_eq!(names(dir.path()), ["db.sqlite", "keep.tmp"]);
    }
}
