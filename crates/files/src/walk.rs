//! Finding input files, one rule for `import` and `index`: every regular file
//! under the roots, recursively, in sorted order, each real file once (a symlink or
//! hard link to a file also found under its own name is not taken twice). Roots
//! named as files are always taken. Symlinked folders are not followed, so a link
//! loop cannot make the walk endless; a symlink to a file outside every root is not
//! followed either (a link cannot pull a file from elsewhere on the machine in) and
//! is reported in [`Walk::outside`]. Folders that cannot be listed are reported in
//! [`Walk::errors`]; sockets, FIFOs and devices inside folders are never opened and
//! are reported in [`Walk::special`].

use std::path::PathBuf;

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Regular files (symlinks to files inside the roots included), sorted.
    pub files: Vec<PathBuf>,
    /// Roots and folders that could not be read, with the reason.
    pub errors: Vec<(PathBuf, std::io::Error)>,
    /// Symlinks (found inside a folder) to files outside every root: not followed.
    pub outside: Vec<PathBuf>,
    /// FIFOs, sockets and devices found inside folders: never opened (a FIFO would
    /// block the reader), reported so that nothing is skipped without a word.
    pub special: Vec<PathBuf>,
}

/// How to walk.
#[derive(Debug, Default, Clone)]
pub struct WalkOptions {
    /// A folder not to enter (a dataset kept inside an input folder).
    pub exclude: Option<PathBuf>,
    /// Skip names starting with `.` inside folders (as ripgrep does).
    pub skip_hidden: bool,
}

/// Lists every file under `roots` (see the module comment).
pub fn walk(roots: &[PathBuf], options: &WalkOptions) -> Walk {
    let mut out = Walk::default();
    let mut stack: Vec<PathBuf> = Vec::new();
    for root in roots {
        match std::fs::metadata(root) {
            Ok(m) if m.is_dir() => stack.push(root.clone()),
            Ok(_) => out.files.push(root.clone()),
            // A missing input or a dangling or looping link given by name.
            Err(e) => out.errors.push((root.clone(), e)),
        }
    }
    // Links are judged against the real folders of the inputs.
    let real_roots: Vec<PathBuf> = roots
        .iter()
        .map(|r| std::fs::canonicalize(r).unwrap_or_else(|_| r.clone()))
        .collect();
    let excluded = options
        .exclude
        .as_ref()
        .map(|e| std::fs::canonicalize(e).unwrap_or_else(|_| e.clone()));
    while let Some(dir) = stack.pop() {
        if excluded
            .as_ref()
            .is_some_and(|e| *e == dir || std::fs::canonicalize(&dir).is_ok_and(|d| d == *e))
        {
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
            if options.skip_hidden && entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(t) if t.is_file() => out.files.push(path),
                Ok(t) if t.is_symlink() => {
                    if path.metadata().map(|m| m.is_file()).unwrap_or(false) {
                        let inside = std::fs::canonicalize(&path)
                            .is_ok_and(|real| real_roots.iter().any(|r| real.starts_with(r)));
                        if inside {
                            out.files.push(path);
                        } else {
                            out.outside.push(path);
                        }
                    }
                }
                Ok(_) => out.special.push(path),
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
    use std::path::Path;

    fn rel(w: &Walk, root: &Path) -> Vec<String> {
        w.files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn walks_nested_folders_and_skips_the_excluded_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join("ds/documents")).unwrap();
        std::fs::write(root.join("top.txt"), "x").unwrap();
        std::fs::write(root.join(".hidden.txt"), "x").unwrap();
        std::fs::write(root.join("a/b/deep.pdf"), "x").unwrap();
        std::fs::write(root.join("ds/documents/d.json"), "{}").unwrap();
        let opts = WalkOptions {
            exclude: Some(root.join("ds")),
            skip_hidden: false,
        };
        let w = walk(std::slice::from_ref(&root), &opts);
        assert_eq!(rel(&w, &root), [".hidden.txt", "a/b/deep.pdf", "top.txt"]);
        assert!(w.errors.is_empty());
        let opts = WalkOptions {
            skip_hidden: true,
            ..opts
        };
        let w = walk(std::slice::from_ref(&root), &opts);
        assert_eq!(rel(&w, &root), ["a/b/deep.pdf", "top.txt"]);
    }

    #[test]
    fn a_missing_root_is_an_error_not_a_silent_skip() {
        let dir = tempfile::tempdir().unwrap();
        let w = walk(&[dir.path().join("nope")], &WalkOptions::default());
        assert!(w.files.is_empty());
        assert_eq!(w.errors.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_loops_aliases_and_outside_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("a.txt"), "a").unwrap();
        std::fs::write(root.join("sub/b.txt"), "b").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let link = std::os::unix::fs::symlink;
        link(".", root.join("self")).unwrap();
        link("..", root.join("sub/up")).unwrap();
        link("a.txt", root.join("alias.txt")).unwrap();
        link("loop2", root.join("loop1")).unwrap();
        link("loop1", root.join("loop2")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("s.txt")).unwrap();
        let w = walk(std::slice::from_ref(&root), &WalkOptions::default());
        assert_eq!(rel(&w, &root), ["a.txt", "sub/b.txt"]);
        assert_eq!(w.outside, [root.join("s.txt")]);
        if std::process::Command::new("mkfifo")
            .arg(root.join("pipe.txt"))
            .status()
            .is_ok_and(|s| s.success())
        {
            let w = walk(std::slice::from_ref(&root), &WalkOptions::default());
            assert_eq!(w.special, [root.join("pipe.txt")]);
            assert_eq!(rel(&w, &root), ["a.txt", "sub/b.txt"]);
        }
    }
}
