//! Finding input files: every regular file under the roots, recursively, in a
//! stable order. Which of them are papers is decided later by content.

use std::path::{Path, PathBuf};

use crate::{DatasetError, Result};

/// Lists every file under `roots`, skipping `exclude` (the dataset itself, which
/// may sit inside an input folder), by the walk `index` uses too.
pub(crate) fn walk(roots: &[PathBuf], exclude: &Path) -> actionplan_files::walk::Walk {
    actionplan_files::walk::walk(
        roots,
        &actionplan_files::walk::WalkOptions {
            exclude: Some(exclude.to_owned()),
            skip_hidden: false,
        },
    )
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
