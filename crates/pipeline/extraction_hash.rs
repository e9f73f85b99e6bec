//! The extraction hash: a digest of everything that decides what extraction
//! produces. A module of `build.rs` (which bakes it into the crate as
//! `ACTIONPLAN_EXTRACTION_HASH`) and of this crate's tests (which recompute it, so a
//! stale value fails them). Both have `sha2`: a build-dependency of the one, a
//! dev-dependency of the other.

/// Folders and files, relative to the workspace root, whose contents decide
/// extraction output: the sources of the crates from file to document, their
/// manifests (dependencies), and the data files compiled into them.
pub const EXTRACTION_INPUTS: &[&str] = &[
    "crates/model/src",
    "crates/model/Cargo.toml",
    "crates/layout/src",
    "crates/layout/Cargo.toml",
    "crates/extract/src",
    "crates/extract/Cargo.toml",
    "crates/pdf/src",
    "crates/pdf/Cargo.toml",
    "crates/normalize/src",
    "crates/normalize/Cargo.toml",
    "crates/pipeline/src",
    "crates/pipeline/Cargo.toml",
    "crates/pipeline/extraction_hash.rs",
    "data",
];

/// SHA-256 over every regular file under [`EXTRACTION_INPUTS`] (hidden files and
/// editor backups ending in `~` left out), in order of their `/`-separated paths:
/// each path, a NUL, its length (8 bytes, little-endian), its bytes. The first
/// twelve hex digits.
pub fn extraction_hash(workspace: &std::path::Path) -> std::io::Result<String> {
    use sha2::Digest;

    fn collect(
        dir: &std::path::Path,
        rel: String,
        out: &mut Vec<(String, std::path::PathBuf)>,
    ) -> std::io::Result<()> {
        if dir.is_file() {
            out.push((rel, dir.to_owned()));
            return Ok(());
        }
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            collect(&entry.path(), format!("{rel}/{name}"), out)?;
        }
        Ok(())
    }
    let mut files = Vec::new();
    for input in EXTRACTION_INPUTS {
        collect(&workspace.join(input), input.to_string(), &mut files)?;
    }
    files.sort();
    let mut hasher = sha2::Sha256::new();
    for (rel, path) in &files {
        let bytes = std::fs::read(path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    let mut hex = format!("{:x}", hasher.finalize());
    hex.truncate(12);
    Ok(hex)
}
