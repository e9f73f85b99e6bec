//! Project chores: `cargo xtask <task>`. See `cargo xtask help`.

mod bench_extract;
mod bench_import;
mod bench_index;
mod bench_pdf;
mod eval;
mod icdar;
mod render_pdfs;

use anyhow::bail;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = &args.get(1..).unwrap_or_default().to_vec();
    match args.first().map(String::as_str) {
        Some("bench") => match rest.first().map(String::as_str) {
            None | Some("extract") => bench_extract::run(rest.get(1..).unwrap_or_default()),
            Some("index") => bench_index::run(&rest[1..]),
            Some("import") => bench_import::run(&rest[1..]),
            Some("pdf") => bench_pdf::run(&rest[1..]),
            Some(other) => bail!("unknown benchmark {other:?}; try extract, index, import or pdf"),
        },
        Some("render-pdfs") => render_pdfs::run(rest),
        Some("eval") if rest.first().is_some_and(|a| a == "tables") => icdar::run(&rest[1..]),
        Some("eval") => eval::run(rest),
        Some("icdar") => icdar::run(rest),
        Some("help") | None => {
            println!("cargo xtask bench [extract|index|import|pdf] [options]   run a benchmark (see README)");
            println!("cargo xtask eval [--floor F1] [--misses] [--only NAME]  score every corpus paper against its hand-written expectation");
            println!("cargo xtask icdar [DIR] [--floor F1]                 score PDF tables on an ICDAR 2013 folder (default ../shared/icdar2013-eu; alias: eval tables)");
            println!("cargo xtask render-pdfs                              render corpus papers to PDF with LibreOffice");
            Ok(())
        }
        Some(other) => bail!("unknown task {other:?}; try `cargo xtask help`"),
    }
}
