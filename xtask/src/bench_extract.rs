//! `cargo xtask bench extract [--rounds N] [FILES…]`: extraction throughput (MB/s) over
//! the corpus text papers, reported against a baseline measured in the same run:
//! decoding the same bytes and splitting them into lines, the least any text reader
//! must do. The ratio, not the absolute figure, is what to compare across machines.
//! Build with `--release` (the README's command does) for meaningful figures.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let mut rounds = 5usize;
    let mut files: Vec<PathBuf> = Vec::new();
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
            other => files.push(PathBuf::from(other)),
        }
    }
    if files.is_empty() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus/text");
        for e in
            std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "txt") {
                files.push(p);
            }
        }
        files.sort();
    }
    if files.is_empty() {
        bail!("no papers to benchmark");
    }
    let papers: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            Ok((
                p.display().to_string(),
                std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let bytes: usize = papers.iter().map(|(_, b)| b.len()).sum();

    let best = |f: &dyn Fn() -> usize| -> (Duration, usize) {
        let mut best = Duration::MAX;
        let mut out = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            out = f();
            best = best.min(t.elapsed());
        }
        (best, out)
    };
    // Baseline: decode and split into lines (what any text reader must at least do).
    let (base, lines) = best(&|| {
        papers
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).lines().count())
            .sum()
    });
    let (full, actions) = best(&|| {
        papers
            .iter()
            .filter_map(|(name, b)| actionplan_pipeline::extract_bytes(name, b).ok())
            .map(|d| d.all_actions().count())
            .sum()
    });
    let mb = bytes as f64 / 1_048_576.0;
    let rate = |d: Duration| mb / d.as_secs_f64().max(1e-9);
    println!("corpus: {} papers, {:.2} MB, {lines} lines, {actions} actions (steps included); best of {rounds} rounds", papers.len(), mb);
    println!(
        "baseline (decode + split lines): {:>9.1} MB/s  ({:.2} ms)",
        rate(base),
        base.as_secs_f64() * 1e3
    );
    println!(
        "extract (layout + normalize):    {:>9.1} MB/s  ({:.2} ms)",
        rate(full),
        full.as_secs_f64() * 1e3
    );
    println!(
        "ratio extract/baseline time: {:.1}x",
        full.as_secs_f64() / base.as_secs_f64().max(1e-9)
    );
    Ok(())
}
