//! `actionplan extract`: papers to JSON documents.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use actionplan_model::Document;
use anyhow::Context;

use crate::cli::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};
use crate::commands::import_worker::GuardArgs;
use crate::commands::output::{is_dash, write_output};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One pretty-printed JSON document per input (a JSON array on stdout when several).
    Json,
    /// One compact JSON document per line.
    Jsonl,
}

/// Extract action plans from papers.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  actionplan extract corpus/text/telford_wrekin_2008_jar_action_plan.txt\n  actionplan extract corpus/text/*.txt --format jsonl > plans.jsonl\n  actionplan extract corpus/text/*.txt --out out/   # writes out/<stem>.json\n  curl -s https://example.org/paper.pdf | actionplan extract - --name paper.pdf\n\nWith --out, each input is written to DIR/<stem>.json; when two inputs share a stem\n(a/report.txt, b/report.txt, b/report.html) each of them is written to\nDIR/<stem>-<first 8 hex digits of its SHA-256>.json instead, so nothing is overwritten.\n\nEach paper is extracted in a guarded worker process: a paper that crashes the\nextractor, runs past --timeout or over --memory-limit is reported and skipped, and\nthe other papers are still extracted (exit code 1)."
)]
pub struct Args {
    /// Papers to read (text, HTML, PDF or Word .docx; the format is sniffed from content); `-` reads one paper from stdin.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write one file per input into this directory (`<stem>.json`, or `<stem>.jsonl`) instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Name of the paper read from stdin (`-`): recorded as its source path and used for its output name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    #[command(flatten)]
    pub guard: GuardArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.files.iter().filter(|f| is_dash(f)).count() > 1 {
        anyhow::bail!("`-` (stdin) can be given only once");
    }
    if args.name.is_some() && !args.files.iter().any(|f| is_dash(f)) {
        anyhow::bail!("--name names the paper read from stdin; give `-` among the files");
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output directory {}", dir.display()))?;
    }
    let mut extractor = args.guard.extractor()?;
    // Stdin is copied to a private temp file so the guarded worker can read it.
    let stdin_copy = match args.files.iter().any(|f| is_dash(f)) {
        true => Some(read_stdin(args.name.as_deref())?),
        false => None,
    };
    let stdin_label = args.name.clone().unwrap_or_else(|| "<stdin>".into());
    let stems: Vec<String> = args
        .files
        .iter()
        .map(|p| {
            if is_dash(p) {
                stem_of(Path::new(args.name.as_deref().unwrap_or("stdin")))
            } else {
                stem_of(p)
            }
        })
        .collect();
    let mut stem_count: HashMap<String, usize> = HashMap::new();
    for s in &stems {
        *stem_count.entry(s.to_lowercase()).or_default() += 1;
    }
    let mut used: HashSet<String> = HashSet::new();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let (mut ok, mut failed) = (0usize, 0usize);
    let many_json = args.out.is_none() && args.format == Format::Json && args.files.len() > 1;
    if many_json {
        writeln!(out, "[")?;
    }
    for (path, stem) in args.files.iter().zip(&stems) {
        let (read_path, label) = match (&stdin_copy, is_dash(path)) {
            (Some((_, tmp)), true) => (tmp.clone(), stdin_label.clone()),
            _ => (path.clone(), path.display().to_string()),
        };
        let doc: Document = match extractor.extract(&read_path)? {
            Ok(mut doc) => {
                if is_dash(path) {
                    doc.source.path = label.clone();
                }
                doc
            }
            Err(f) if f.kind == "directory" => {
                eprintln!(
                    "error: {label}: is a directory; give the papers inside ({}/*) or import the folder with `actionplan import {label} --out DATASET`",
                    label.trim_end_matches('/')
                );
                failed += 1;
                continue;
            }
            Err(f) => {
                eprintln!("error: {label}: {f}");
                failed += 1;
                continue;
            }
        };
        let text = match args.format {
            Format::Json => serde_json::to_string_pretty(&doc)?,
            Format::Jsonl => serde_json::to_string(&doc)?,
        };
        match &args.out {
            Some(dir) => {
                let ext = if args.format == Format::Json {
                    "json"
                } else {
                    "jsonl"
                };
                let shared = stem_count.get(&stem.to_lowercase()).copied().unwrap_or(0) > 1;
                let name = unique_name(stem, shared, &doc.source.sha256, ext, &mut used);
                let target = dir.join(&name);
                if let Err(e) = write_output(&target, format!("{text}\n").as_bytes()) {
                    eprintln!("error: {label}: cannot write {}: {e}", target.display());
                    failed += 1;
                    continue;
                }
            }
            None => {
                if many_json && ok > 0 {
                    writeln!(out, ",")?;
                }
                write!(out, "{text}")?;
                if !many_json {
                    writeln!(out)?;
                }
            }
        }
        ok += 1;
    }
    if many_json {
        writeln!(out, "\n]")?;
    }
    out.flush()?;
    if failed > 0 {
        eprintln!(
            "extracted {ok} of {} papers; {failed} failed (named above)",
            ok + failed
        );
    }
    Ok(ExitCode::from(match (ok, failed) {
        (_, 0) => EXIT_OK,
        (0, _) => EXIT_FATAL,
        _ => EXIT_PARTIAL,
    }))
}

fn stem_of(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty() && s != "-")
        .unwrap_or_else(|| "document".into())
}

/// `<stem>.<ext>`, or `<stem>-<sha8>.<ext>` when another input shares the stem;
/// `-2`, `-3`… only when even that is taken (two copies of the same paper).
fn unique_name(
    stem: &str,
    shared: bool,
    sha256: &str,
    ext: &str,
    used: &mut HashSet<String>,
) -> String {
    let base = if shared {
        format!("{stem}-{}", &sha256[..sha256.len().min(8)])
    } else {
        stem.to_owned()
    };
    let mut name = format!("{base}.{ext}");
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{base}-{n}.{ext}");
        n += 1;
    }
    name
}

/// Copies stdin (at most the pipeline's file size limit) into a private temp folder.
fn read_stdin(name: Option<&str>) -> anyhow::Result<(tempfile::TempDir, PathBuf)> {
    let dir = tempfile::tempdir().context("cannot create a temp folder for stdin")?;
    // Keep the extension of --name: it is part of the provenance, and harmless.
    let file = match name.and_then(|n| Path::new(n).extension()) {
        Some(ext) => format!("stdin.{}", ext.to_string_lossy()),
        None => "stdin".into(),
    };
    let path = dir.path().join(file);
    let limit = actionplan_pipeline::MAX_FILE_BYTES;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .context("cannot read stdin")?;
    if bytes.len() as u64 > limit {
        anyhow::bail!("<stdin>: paper is too large (over {limit} bytes)");
    }
    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok((dir, path))
}
