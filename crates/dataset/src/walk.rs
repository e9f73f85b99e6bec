//! Finding input files: every regular file under the roots, recursively, in a
//! stable order. Which of them are papers is decided later by content.

use std::path::{Path, PathBuf};

use crate::{DatasetError, Result};

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Walk {
    /// Absolute paths of regular files (symlinks to files included), sorted.
    pub files: Vec<PathBuf>,
    /// Folders that could not be listed, with the reason; recorded as failures.
    pub errors: Vec<(PathBuf, std::io::Error)>,
    /// Symlinks (found inside a folder) to files outside every input root: not
    /// followed, so a link cannot pull a file from elsewhere on the machine into
    /// the dataset; recorded as unsupported.
    pub outside: Vec<PathBuf>,
}

/// Makes each root absolute and canonical, so the same folder imported from
/// another working directory maps to the same manifest rows.
pub(crate) fn canonical_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>> {
    roots
        .iter()
        .map(|r| {
            std::fs::canonicalize(r).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => DatasetError::MissingInput {
                    path: r.display().to_string(),
                },
                _ => DatasetError::Io {
                    path: r.display().to_string(),
                    source: e,
                },
            })
        })
        .collect()
}

/// Lists every file under `roots`, skipping `exclude` (the dataset itself, which
/// may sit inside an input folder). Symlinked folders are not followed, so a link
/// loop cannot make the walk endless.
pub(crate) fn walk(roots: &[PathBuf], exclude: &Path) -> Walk {
    let mut out = Walk::default();
    let mut stack: Vec<PathBuf> = Vec::new();
    for root in roots {
        if root.is_dir() {
            stack.push(root.clone());
        } else {
            out.files.push(root.clone());
        }
    }
    while let Some(dir) = stack.pop() {
        if dir == exclude {
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.errors.push((dir, e));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    out.errors.push((dir.clone(), e));
                    continue;
                }
            };
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => out.files.push(path),
                Ok(t) if t.is_symlink() => {
                    if path.metadata().map(|m| m.is_file()).unwrap_or(false) {
                        let inside = std::fs::canonicalize(&path)
                            .is_ok_and(|real| roots.iter().any(|r| real.starts_with(r)));
                        if inside {
                            out.files.push(path);
                        } else {
                            out.outside.push(path);
                        }
                    }
                }
                Ok(_) => {} // sockets, fifos, devices: never papers
                Err(e) => out.errors.push((path, e)),
            }
        }
    }
    out.files.sort();
    out.files.dedup();
    dedup_real_files(&mut out.files);
    out
}

/// Keeps the first path (in sorted order) of each real file, so a symlink or hard
/// link to a file that is also found under its own name is not imported twice.
fn dedup_real_files(files: &mut Vec<PathBuf>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mut seen = std::collections::HashSet::new();
        files.retain(|p| match std::fs::metadata(p) {
            Ok(m) => seen.insert((m.dev(), m.ino())),
            Err(_) => true,
        });
    }
    #[cfg(not(unix))]
    {
        let mut seen = std::collections::HashSet::new();
        files.retain(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_nested_folders_and_skips_the_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("ds/documents")).unwrap();
        std::fs::write(root.join("top.txt"), "x").unwrap();
        std::fs::write(root.join("a/b/deep.pdf"), "x").unwrap();
        std::fs::write(root.join("ds/documents/d.json"), "{}").unwrap();
        let w = walk(std::slice::from_ref(&root), &root.join("ds"));
        let rel: Vec<_> = w
            .files
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["a/b/deep.pdf", "top.txt"]);
        assert!(w.errors.is_empty());
    }
}
