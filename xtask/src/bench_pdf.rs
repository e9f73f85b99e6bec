//! `cargo xtask bench pdf [--rounds N] [DIR_OR_FILE…]`: pages per second of the PDF
//! backend (layout including table recovery) over the corpus PDFs, compared in the same
//! run with `pdftotext -layout` when it is installed. Build with `--release` for figures.
//!
//! Defaults: `corpus/pdf` and `corpus/pdf-rendered`, 3 rounds; the best round counts,
//! which is the least disturbed by other work on a shared machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

struct Paper {
    path: PathBuf,
    bytes: Vec<u8>,
    pages: u32,
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut rounds = 3usize;
    let mut inputs: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rounds" => {
                rounds = it
                    .next()
                    .context("--rounds needs a number")?
                    .parse()
                    .context("--rounds needs a number")?
            }
            other => inputs.push(PathBuf::from(other)),
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if inputs.is_empty() {
        inputs = vec![root.join("corpus/pdf"), root.join("corpus/pdf-rendered")];
    }
    let papers = load(&inputs)?;
    if papers.is_empty() {
        bail!("no PDFs found in {inputs:?}");
    }
    let pages: u32 = papers.iter().map(|p| p.pages).sum();
    let bytes: usize = papers.iter().map(|p| p.bytes.len()).sum();
    println!(
        "{} PDFs, {pages} pages, {:.1} MB; best of {rounds} rounds",
        papers.len(),
        bytes as f64 / 1e6
    );
    if cfg!(debug_assertions) {
        println!("warning: debug build; run `cargo xtask bench pdf` from a `--release` build for real figures");
    }

    let ours = best_of(rounds, || {
        for p in &papers {
            // Errors count as work done; the corpus PDFs all read.
            let _ = std::hint::black_box(actionplan_pdf::pdf_layout(&p.bytes));
        }
        Ok(())
    })?;
    report("actionplan-pdf (layout + tables)", pages, ours);

    let have_pdftotext = Command::new("pdftotext")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !have_pdftotext {
        println!("pdftotext not installed (scripts/install-pdf-tools.sh); no comparison");
        return Ok(());
    }
    let theirs = best_of(rounds, || {
        for p in &papers {
            let status = Command::new("pdftotext")
                .arg("-layout")
                .arg(&p.path)
                .arg("-")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .context("running pdftotext")?;
            if !status.success() {
                eprintln!("pdftotext failed on {}", p.path.display());
            }
        }
        Ok(())
    })?;
    report("pdftotext -layout (process per file)", pages, theirs);
    println!(
        "ratio: actionplan-pdf takes {:.2}× the time of pdftotext -layout (goal ≤ 1.5×)",
        ours.as_secs_f64() / theirs.as_secs_f64().max(1e-9)
    );
    Ok(())
}

fn load(inputs: &[PathBuf]) -> anyhow::Result<Vec<Paper>> {
    let mut files = Vec::new();
    for i in inputs {
        if i.is_dir() {
            for e in std::fs::read_dir(i).with_context(|| format!("reading {}", i.display()))? {
                let p = e?.path();
                if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("pdf")) {
                    files.push(p);
                }
            }
        } else {
            files.push(i.clone());
        }
    }
    files.sort();
    let mut papers = Vec::new();
    for path in files {
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let pages = match actionplan_pdf::pdf_layout(&bytes) {
            Ok(l) => l.pages,
            Err(e) => {
                eprintln!("skipping {}: {e}", path.display());
                continue;
            }
        };
        papers.push(Paper { path, bytes, pages });
    }
    Ok(papers)
}

fn best_of(rounds: usize, mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<Duration> {
    let mut best = Duration::MAX;
    for _ in 0..rounds.max(1) {
        let t = Instant::now();
        f()?;
        best = best.min(t.elapsed());
    }
    Ok(best)
}

fn report(name: &str, pages: u32, d: Duration) {
    println!(
        "{name:<40} {:>8.3} s  {:>8.1} pages/s",
        d.as_secs_f64(),
        pages as f64 / d.as_secs_f64().max(1e-9)
    );
}
