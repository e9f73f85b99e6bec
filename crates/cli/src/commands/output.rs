//! Writing an output file the way users expect: `-` is stdout; an existing target
//! that is not a regular file (a FIFO, `/dev/stdout`, a symlink) is written to, not
//! replaced; a regular file is replaced atomically through a temp file created
//! exclusively beside it (so a pre-planted symlink is never followed, and a failed
//! write, such as a full disk, leaves no temp file behind). The rule lives in
//! `actionplan-files`, shared with the dataset and the index.

use std::io::Write;
use std::path::Path;

/// True when `path` is `-` (stdout for outputs, stdin for inputs).
pub fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `bytes` to `target` (see the module comment).
pub fn write_output(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if is_dash(target) {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        return out.flush();
    }
    actionplan_files::write_atomic(target, bytes, false).map_err(|e| e.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_replaced_and_symlinks_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        write_output(&real, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            write_output(&link, b"through").unwrap();
            assert!(
                std::fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink(),
                "the link stays a link"
            );
            assert_eq!(std::fs::read_to_string(&real).unwrap(), "through");
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
            "{names:?}"
        );
    }
}
