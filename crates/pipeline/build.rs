//! Bakes the extraction hash (see `extraction_hash.rs`) into the crate, so the
//! extractor's revision changes whenever extraction code or data change.

#[path = "extraction_hash.rs"]
mod extraction_hash;
use extraction_hash::{extraction_hash, EXTRACTION_INPUTS};

fn main() {
    let manifest_dir = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR")
            .expect("cargo sets CARGO_MANIFEST_DIR for build scripts"),
    );
    let workspace = manifest_dir
        .parent()
        .and_then(|p| p.parent())
        .expect("crates/pipeline sits two levels below the workspace root");
    for input in EXTRACTION_INPUTS {
        // A folder is watched recursively (any file in it newer than the last build).
        println!("cargo:rerun-if-changed={}", workspace.join(input).display());
    }
    let hash = extraction_hash(workspace).unwrap_or_else(|e| {
        panic!(
            "cannot hash the extraction sources under {} (build actionplan-pipeline inside its workspace): {e}",
            workspace.display()
        )
    });
    println!("cargo:rustc-env=ACTIONPLAN_EXTRACTION_HASH={hash}");
}
