//! Mutation fuzzing over the corpus PDFs: truncations and byte flips with a fixed seed.
//! No panic may escape `pdf_layout` and no case may hang.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use actionplan_pdf::pdf_layout;

/// Mutations per corpus file; bounded so the test runs well under a minute in debug.
const CASES_PER_FILE: usize = 30;
/// Any single case slower than this counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(20);

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/pdf");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "pdf"));
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                std::fs::read(&p).ok()?,
            ))
        })
        .collect()
}

fn mutate(rng: &mut fastrand::Rng, bytes: &[u8]) -> Vec<u8> {
    let mut m = bytes.to_vec();
    match rng.usize(..4) {
        0 => m.truncate(rng.usize(..m.len())),
        1 => {
            for _ in 0..1 + rng.usize(..16) {
                let i = rng.usize(..m.len());
                m[i] ^= 1 << rng.usize(..8);
            }
        }
        2 => {
            // Overwrite a run with a random byte (breaks xref offsets and stream lengths).
            let i = rng.usize(..m.len());
            let b = rng.u8(..);
            for x in m.iter_mut().skip(i).take(1 + rng.usize(..64)) {
                *x = b;
            }
        }
        _ => {
            // Damage the tail, where the xref table and trailer live.
            let start = m.len().saturating_sub(1 + rng.usize(..2048));
            for x in m.iter_mut().skip(start) {
                if rng.usize(..8) == 0 {
                    *x = rng.u8(..);
                }
            }
        }
    }
    m
}

#[test]
fn mutated_corpus_pdfs_never_panic_or_hang() {
    let files = corpus();
    assert!(!files.is_empty(), "no corpus PDFs found");
    let mut rng = fastrand::Rng::with_seed(0x5EED_2026_0000_0006);
    let started = Instant::now();
    let (mut ok, mut err) = (0, 0);
    for (name, bytes) in &files {
        for case in 0..CASES_PER_FILE {
            let m = mutate(&mut rng, bytes);
            let t = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| pdf_layout(&m)));
            assert!(
                outcome.is_ok(),
                "{name} case {case}: a panic escaped pdf_layout"
            );
            assert!(
                t.elapsed() < CASE_LIMIT,
                "{name} case {case}: took {:?}",
                t.elapsed()
            );
            match outcome {
                Ok(Ok(_)) => ok += 1,
                _ => err += 1,
            }
        }
    }
    eprintln!(
        "fuzz: {} cases ({ok} read, {err} refused) in {:?}",
        ok + err,
        started.elapsed()
    );
}
