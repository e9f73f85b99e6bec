//! `cargo xtask bench import`: generates a corpus of varied papers from the corpus
//! text papers, imports it with the release binary at 1 and 2 jobs (plus a rerun
//! with nothing changed), and reports files/s, MB/s and peak resident memory as
//! ratios against the 1-job run.
//!
//! Options: `--papers N` (default 10000), `--jobs 1,2`, `--bin PATH` (skip the
//! release build), `--work DIR` (default target/bench-import).

use fastrand::Rng;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

struct Options {
    papers: usize,
    jobs: Vec<usize>,
    bin: Option<PathBuf>,
    work: PathBuf,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_owned)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn parse(args: &[String]) -> anyhow::Result<Options> {
    let mut o = Options {
        papers: 10_000,
        jobs: vec![1, 2],
        bin: None,
        work: workspace_root().join("target/bench-import"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--papers" => o.papers = value()?.parse().context("--papers N")?,
            "--jobs" => {
                o.jobs = value()?
                    .split(',')
                    .map(|j| j.trim().parse())
                    .collect::<Result<_, _>>()
                    .context("--jobs 1,2")?
            }
            "--bin" => o.bin = Some(PathBuf::from(value()?)),
            "--work" => o.work = PathBuf::from(value()?),
            other => bail!(
                "unknown option {other:?}; try --papers N, --jobs 1,2, --bin PATH, --work DIR"
            ),
        }
    }
    if o.papers == 0 || o.jobs.is_empty() || o.jobs.contains(&0) {
        bail!("--papers and --jobs must be positive");
    }
    Ok(o)
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let o = parse(args)?;
    let bin = match &o.bin {
        Some(b) => b.clone(),
        None => build_release()?,
    };
    std::fs::create_dir_all(&o.work)?;
    let corpus = o.work.join(format!("papers-{}", o.papers));
    let (files, bytes) = generate(&corpus, o.papers)?;
    let mb = bytes as f64 / 1e6;
    eprintln!("corpus: {files} papers, {mb:.1} MB in {}", corpus.display());

    let mut rows = Vec::new();
    for &jobs in &o.jobs {
        let ds = o.work.join(format!("dataset-j{jobs}"));
        let _ = std::fs::remove_dir_all(&ds);
        let m = measure(&bin, &corpus, &ds, jobs)?;
        eprintln!("jobs {jobs}: {:.2}s, exit {}", m.secs, m.exit);
        rows.push((
            format!("import, {jobs} job{}", if jobs == 1 { "" } else { "s" }),
            m,
        ));
        if jobs == *o.jobs.last().unwrap_or(&1) {
            let m = measure(&bin, &corpus, &ds, jobs)?;
            rows.push((format!("rerun, nothing changed, {jobs} jobs"), m));
        }
    }
    let Some(base) = rows.first().map(|(_, m)| m.clone()) else {
        return Ok(());
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    println!(
        "papers: {files} ({mb:.1} MB), cores: {}, cpu: {cpu}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!();
    println!("| run | wall s | files/s | MB/s | speed vs 1 job | CPU s | CPU ms/file | load before | peak RSS importer MB | peak RSS worker MB | peak RSS total MB | total RSS vs 1 job |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (name, m) in &rows {
        let fps = files as f64 / m.secs;
        // A run shorter than one sample has no memory reading.
        let mem = |kb: u64| {
            if kb == 0 {
                "–".to_owned()
            } else {
                format!("{:.1}", kb as f64 / 1024.0)
            }
        };
        let ratio = if m.total_kb == 0 {
            "–".to_owned()
        } else {
            format!("{:.2}x", m.total_kb as f64 / base.total_kb.max(1) as f64)
        };
        println!(
            "| {name} | {:.2} | {:.0} | {:.1} | {:.2}x | {:.1} | {:.2} | {:.1} | {} | {} | {} | {ratio} |",
            m.secs,
            fps,
            mb / m.secs,
            base.secs / m.secs,
            m.cpu_secs,
            m.cpu_secs * 1000.0 / files as f64,
            m.load,
            mem(m.importer_kb),
            mem(m.worker_kb),
            mem(m.total_kb),
        );
    }
    Ok(())
}

fn build_release() -> anyhow::Result<PathBuf> {
    let root = workspace_root();
    eprintln!("building the release binary (cargo build --release -p actionplan-cli)…");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "--quiet", "-p", "actionplan-cli"])
        .current_dir(&root)
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("release build failed");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release/actionplan"))
}

const COUNCILS: [&str; 8] = [
    "Kent County Council",
    "Telford & Wrekin Council",
    "Leicester City Council",
    "Royal Borough of Kingston upon Thames",
    "Walsall Council",
    "Sandwell Council",
    "Slough Borough Council",
    "City of Bradford Metropolitan District Council",
];

/// Writes `count` papers (or reuses a complete earlier set): each a slice of a
/// corpus text paper, under another council's name, with dates shifted and lines
/// of its own, spread over nested folders. Returns files and bytes.
fn generate(dir: &Path, count: usize) -> anyhow::Result<(usize, u64)> {
    let done = dir.join(".complete");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(dir);
        let src_dir = workspace_root().join("corpus/text");
        let mut sources = Vec::new();
        for e in std::fs::read_dir(&src_dir)? {
            let p = e?.path();
            let text = String::from_utf8_lossy(&std::fs::read(&p)?).into_owned();
            sources.push(text.lines().map(str::to_owned).collect::<Vec<_>>());
        }
        sources.sort();
        if sources.is_empty() {
            bail!("no papers in {}", src_dir.display());
        }
        let mut rng = Rng::with_seed(0x5eed_1234_abcd_ef01);
        for i in 0..count {
            let lines = &sources[rng.usize(..sources.len())];
            // 15-60 % of the paper, from the start (titles and headers) or a random point.
            let len = (lines.len() * (15 + rng.usize(..46)) / 100)
                .max(20)
                .min(lines.len());
            let start = if rng.usize(..3) == 0 {
                0
            } else {
                rng.usize(..lines.len() - len + 1)
            };
            let council = COUNCILS[rng.usize(..COUNCILS.len())];
            let shift = rng.usize(..12) as i32;
            let mut out = String::with_capacity(len * 80);
            out.push_str(&format!(
                "{council}\n\nPaper {i} for the Children's Services Committee\n\n"
            ));
            for line in &lines[start..start + len] {
                out.push_str(&shift_years(line, shift));
                out.push('\n');
            }
            out.push_str(&format!("\nBackground papers: none. Reference {i:05}.\n"));
            let sub = dir.join(format!("council{}/{}", i % 25, 2008 + (i % 12)));
            std::fs::create_dir_all(&sub)?;
            std::fs::write(sub.join(format!("paper{i:05}.txt")), out)?;
        }
        std::fs::write(&done, b"")?;
    }
    let (mut files, mut bytes) = (0, 0);
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let e = e?;
            if e.file_type()?.is_dir() {
                stack.push(e.path());
            } else if e.file_name() != ".complete" {
                files += 1;
                bytes += e.metadata()?.len();
            }
        }
    }
    Ok((files, bytes))
}

/// Moves four-digit years 2000-2029 forward by `shift`, so generated papers differ in dates.
fn shift_years(line: &str, shift: i32) -> String {
    if shift == 0 {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let is_year = i + 4 <= chars.len()
            && chars[i] == '2'
            && chars[i + 1] == '0'
            && chars[i + 2..i + 4].iter().all(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && (i + 4 == chars.len() || !chars[i + 4].is_ascii_digit());
        if is_year {
            let year: i32 = chars[i..i + 4]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(2000);
            out.push_str(&(year + shift).to_string());
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[derive(Debug, Clone)]
struct Measurement {
    secs: f64,
    exit: i32,
    /// Peak resident set of the importing process (VmHWM), KiB.
    importer_kb: u64,
    /// Largest peak resident set of any worker process, KiB.
    worker_kb: u64,
    /// Largest sum of resident sets over the process tree, sampled every 20 ms, KiB.
    total_kb: u64,
    /// CPU seconds used by the importer and its workers.
    cpu_secs: f64,
    /// 1-minute load average when the run started (other work on the machine).
    load: f64,
}

fn measure(bin: &Path, corpus: &Path, ds: &Path, jobs: usize) -> anyhow::Result<Measurement> {
    let cpu_before = children_cpu_secs();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["import", "--quiet", "--jobs", &jobs.to_string(), "--out"])
        .arg(ds)
        .arg(corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    let pid = child.id();
    let mut peaks: HashMap<u32, u64> = HashMap::new();
    let mut total_kb = 0;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        let mut sum = 0;
        for p in std::iter::once(pid).chain(children(pid)) {
            if let Some((rss, hwm)) = rss_kb(p) {
                sum += rss;
                let peak = peaks.entry(p).or_default();
                *peak = (*peak).max(hwm);
            }
        }
        total_kb = total_kb.max(sum);
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = started.elapsed().as_secs_f64();
    let importer_kb = peaks.get(&pid).copied().unwrap_or(0);
    let worker_kb = peaks
        .iter()
        .filter(|(p, _)| **p != pid)
        .map(|(_, k)| *k)
        .max()
        .unwrap_or(0);
    let cpu_secs = children_cpu_secs() - cpu_before;
    Ok(Measurement {
        secs,
        exit: status.code().unwrap_or(-1),
        importer_kb,
        worker_kb,
        total_kb,
        cpu_secs,
        load,
    })
}

/// User + system CPU seconds of every reaped descendant of this process (the
/// importer and, through it, its workers), from /proc/self/stat.
fn children_cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the parenthesised command name; cutime and cstime are 16 and 17.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i - 3)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Clock ticks are 100 per second on Linux.
    (ticks(16) + ticks(17)) / 100.0
}

fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for t in tasks.flatten() {
        if let Ok(list) = std::fs::read_to_string(t.path().join("children")) {
            out.extend(
                list.split_whitespace()
                    .filter_map(|p| p.parse::<u32>().ok()),
            );
        }
    }
    out
}

/// (VmRSS, VmHWM) of a process in KiB, from /proc.
fn rss_kb(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
