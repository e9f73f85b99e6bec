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
fn canonical_roots(roots: &[PathBuf]) -> Result<Vec<PathBuf>> {
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

/// The inputs of one import and the names the dataset records their files under.
///
/// A file is named by its path relative to the parent of the outermost input
/// holding it: importing `/home/me/papers` records `papers/kent/report.pdf`. So
/// the manifest and exports hold no local absolute path, and moving the folder
/// (or the dataset) elsewhere changes no name. The input's own name is kept so
/// that several folders imported into one dataset (in one run or in several)
/// stay apart.
#[derive(Debug, Clone)]
pub(crate) struct Roots {
    /// Canonical paths of the inputs, as given.
    paths: Vec<PathBuf>,
    /// The inputs inside no other input, with their names.
    tops: Vec<(PathBuf, String)>,
}

impl Roots {
    /// Canonicalizes the inputs; two outermost inputs with the same name are refused.
    pub(crate) fn new(inputs: &[PathBuf]) -> Result<Roots> {
        let paths = canonical_roots(inputs)?;
        let mut tops: Vec<(PathBuf, String)> = Vec::new();
        for p in &paths {
            if paths.iter().any(|q| q != p && p.starts_with(q)) || tops.iter().any(|(t, _)| t == p)
            {
                continue;
            }
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some((other, _)) = tops.iter().find(|(_, n)| *n == name) {
                return Err(DatasetError::InputNameClash {
                    first: other.display().to_string(),
                    second: p.display().to_string(),
                });
            }
            tops.push((p.clone(), name));
        }
        Ok(Roots { paths, tops })
    }

    pub(crate) fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The names of the inputs, as recorded in the manifest's `runs.roots`.
    pub(crate) fn labels(&self) -> Vec<String> {
        self.paths.iter().map(|p| self.label(p)).collect()
    }

    /// The dataset's name for `path` (a file or folder under one of the inputs).
    pub(crate) fn label(&self, path: &Path) -> String {
        label_under(
            self.tops.iter().map(|(p, n)| (p.as_path(), n.as_str())),
            path,
        )
        .unwrap_or_else(|| path.display().to_string())
    }
}

/// `path` relative to the parent of the first of `tops` holding it, `/`-separated.
pub(crate) fn label_under<'a>(
    tops: impl IntoIterator<Item = (&'a Path, &'a str)>,
    path: &Path,
) -> Option<String> {
    tops.into_iter().find_map(|(top, name)| {
        let rel = path.strip_prefix(top).ok()?;
        let mut parts: Vec<String> = Vec::new();
        if !name.is_empty() {
            parts.push(name.to_owned());
        }
        parts.extend(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned()),
        );
        Some(parts.join("/"))
    })
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
