//! `cargo xtask icdar [DIR] [--floor F1]` (also `cargo xtask eval tables`): scores the PDF
//! backend's layout tables on a folder in the ICDAR 2013 Table Competition format
//! (`NAME.pdf`, `NAME-str.xml`, `NAME-reg.xml`) with the competition's cell-adjacency
//! metric, and prints per-document and overall figures, split into ruled and unruled
//! documents, beside the other tools' figures listed in the folder's README.
//!
//! The metric: in each table, every non-empty cell is related to the nearest non-empty
//! cell to its right in the same row and to the nearest non-empty cell below it in the
//! same column (a spanning cell looks out from every row or column it covers). A
//! relation is (content, content, direction) with contents normalised (NFKC, lower
//! case, whitespace removed, every other non-alphanumeric character replaced by one
//! placeholder); relations form multisets. Each detected table (one per page: a table
//! stitched across pages is scored page by page, as the ground truth has one region per
//! page) is matched to the ground-truth table on its page sharing the most relations;
//! precision is over every detected relation, recall over every ground-truth relation.
//! Micro figures pool the counts over the folder; the mean is over per-document F1.
//! Where a document has several accepted ground truths (`eu-009a-str.xml` and
//! `eu-009b-str.xml` for `eu-009a.pdf`) the better-scoring one counts.
//!
//! A ground-truth table is *ruled* when drawn rules cross its region both ways: at least
//! three horizontal and three vertical rule positions inside it (so cell borders, not a
//! box or a pair of header rules). A document is ruled when most of its tables are.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use actionplan_layout::{BlockKind, Layout};
use anyhow::{bail, Context};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use unicode_normalization::UnicodeNormalization;

/// A cell of a table on a grid of slots; `r1`/`c1` are inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub r0: usize,
    pub r1: usize,
    pub c0: usize,
    pub c1: usize,
    pub text: String,
}

/// One table region on one page.
#[derive(Debug, Clone, Default)]
pub struct GridTable {
    pub page: u32,
    pub cells: Vec<GridCell>,
}

/// A relation: normalised contents of the two cells and the direction ('h' right, 'v' below).
type Relation = (String, String, char);

/// The competition's normalisation of a cell's content.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            continue;
        }
        out.push(if c.is_alphanumeric() { c } else { '~' });
    }
    out
}

/// The adjacency relations of a table.
pub fn relations(table: &GridTable) -> Vec<Relation> {
    let texts: Vec<String> = table.cells.iter().map(|c| normalise(&c.text)).collect();
    let mut slot: HashMap<(usize, usize), usize> = HashMap::new();
    let (mut rows, mut cols) = (0usize, 0usize);
    for (i, c) in table.cells.iter().enumerate() {
        if texts[i].is_empty() {
            continue;
        }
        rows = rows.max(c.r1 + 1);
        cols = cols.max(c.c1 + 1);
        for r in c.r0..=c.r1 {
            for k in c.c0..=c.c1 {
                slot.entry((r, k)).or_insert(i);
            }
        }
    }
    let mut out = Vec::new();
    for (i, c) in table.cells.iter().enumerate() {
        if texts[i].is_empty() {
            continue;
        }
        let mut right: Vec<usize> = Vec::new();
        for r in c.r0..=c.r1 {
            if let Some(j) =
                (c.c1 + 1..cols).find_map(|k| slot.get(&(r, k)).copied().filter(|&j| j != i))
            {
                if !right.contains(&j) {
                    right.push(j);
                }
            }
        }
        let mut below: Vec<usize> = Vec::new();
        for k in c.c0..=c.c1 {
            if let Some(j) =
                (c.r1 + 1..rows).find_map(|r| slot.get(&(r, k)).copied().filter(|&j| j != i))
            {
                if !below.contains(&j) {
                    below.push(j);
                }
            }
        }
        out.extend(
            right
                .into_iter()
                .map(|j| (texts[i].clone(), texts[j].clone(), 'h')),
        );
        out.extend(
            below
                .into_iter()
                .map(|j| (texts[i].clone(), texts[j].clone(), 'v')),
        );
    }
    out
}

/// Multiset of relations.
fn bag(rels: Vec<Relation>) -> HashMap<Relation, usize> {
    let mut m = HashMap::new();
    for r in rels {
        *m.entry(r).or_insert(0) += 1;
    }
    m
}

fn shared(a: &HashMap<Relation, usize>, b: &HashMap<Relation, usize>) -> usize {
    a.iter()
        .map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0)))
        .sum()
}

/// Counts for one document: (correct, detected, expected).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub correct: usize,
    pub detected: usize,
    pub expected: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.detected == 0 {
            0.0
        } else {
            self.correct as f64 / self.detected as f64
        }
    }
    fn recall(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            self.correct as f64 / self.expected as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.correct += o.correct;
        self.detected += o.detected;
        self.expected += o.expected;
    }
}

/// Scores detected tables against ground-truth tables of one document.
pub fn score(truth: &[GridTable], detected: &[GridTable]) -> Counts {
    let truth_bags: Vec<(u32, HashMap<Relation, usize>)> =
        truth.iter().map(|t| (t.page, bag(relations(t)))).collect();
    let mut remaining: Vec<HashMap<Relation, usize>> =
        truth_bags.iter().map(|(_, b)| b.clone()).collect();
    let mut counts = Counts {
        expected: truth_bags
            .iter()
            .map(|(_, b)| b.values().sum::<usize>())
            .sum(),
        ..Counts::default()
    };
    for d in detected {
        let db = bag(relations(d));
        counts.detected += db.values().sum::<usize>();
        let best = truth_bags
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| *p == d.page)
            .map(|(i, (_, b))| (i, shared(&db, b)))
            .filter(|&(_, n)| n > 0)
            .max_by_key(|&(i, n)| (n, std::cmp::Reverse(i)));
        if let Some((i, _)) = best {
            // Against what is left of the ground truth, so two detected tables matched to
            // one true table cannot both claim the same relations.
            for (k, n) in &db {
                if let Some(left) = remaining[i].get_mut(k) {
                    let take = (*n).min(*left);
                    *left -= take;
                    counts.correct += take;
                }
            }
        }
    }
    counts
}

/// The layout's tables as grid tables, one per page a table covers.
pub fn layout_tables(layout: &Layout) -> Vec<GridTable> {
    let mut out = Vec::new();
    for b in &layout.blocks {
        let BlockKind::Table(t) = &b.kind else {
            continue;
        };
        let mut current: Option<(GridTable, usize)> = None;
        for row in &t.rows {
            let same = current.as_ref().is_some_and(|(g, _)| g.page == row.page);
            if !same {
                out.extend(current.take().map(|(g, _)| g));
                current = Some((
                    GridTable {
                        page: row.page,
                        cells: Vec::new(),
                    },
                    0,
                ));
            }
            let Some((g, r)) = current.as_mut() else {
                continue;
            };
            // Covered slots stay in place as empty cells, so the index is the column.
            for (c, cell) in row.cells.iter().enumerate() {
                let (cols, rows) = (cell.colspan.max(1) as usize, cell.rowspan.max(1) as usize);
                g.cells.push(GridCell {
                    r0: *r,
                    r1: *r + rows - 1,
                    c0: c,
                    c1: c + cols - 1,
                    text: cell.text(),
                });
            }
            *r += 1;
        }
        out.extend(current.map(|(g, _)| g));
    }
    out
}

/// An ICDAR structure file's tables (`*-str.xml`).
pub fn parse_structure(xml: &str) -> anyhow::Result<Vec<GridTable>> {
    let mut reader = Reader::from_str(xml);
    let mut tables: Vec<GridTable> = Vec::new();
    let mut cell: Option<GridCell> = None;
    let mut in_content = false;
    loop {
        match reader.read_event().context("reading structure XML")? {
            Event::Start(e) | Event::Empty(e) if name_is(&e, "region") => {
                let page = attr(&e, "page")
                    .and_then(|p| p.trim().parse().ok())
                    .unwrap_or(1);
                tables.push(GridTable {
                    page,
                    cells: Vec::new(),
                });
            }
            Event::Start(e) if name_is(&e, "cell") => {
                let num = |k: &str| attr(&e, k).and_then(|v| v.trim().parse::<usize>().ok());
                let (r0, c0) = (num("start-row").unwrap_or(0), num("start-col").unwrap_or(0));
                let r1 = num("end-row").unwrap_or(r0).max(r0);
                let c1 = num("end-col").unwrap_or(c0).max(c0);
                cell = Some(GridCell {
                    r0,
                    r1,
                    c0,
                    c1,
                    text: String::new(),
                });
            }
            Event::Start(e) if name_is(&e, "content") => in_content = true,
            Event::End(e) => match e.local_name().as_ref() {
                "content" => in_content = false,
                "cell" => {
                    if let (Some(c), Some(t)) = (cell.take(), tables.last_mut()) {
                        t.cells.push(c);
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_content => {
                if let Some(c) = cell.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_content => {
                if let Some(c) = cell.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(ch)) => c.text.push(ch),
                        _ => c.text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&r).unwrap_or_default(),
                        ),
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(tables)
}

/// An ICDAR region file's table regions (`*-reg.xml`): page and bounding box
/// `[x1, y1, x2, y2]` in PDF coordinates (origin bottom left), in table order.
pub fn parse_regions(xml: &str) -> anyhow::Result<Vec<(u32, [f64; 4])>> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut page = 1u32;
    loop {
        match reader.read_event().context("reading region XML")? {
            Event::Start(e) | Event::Empty(e) if name_is(&e, "region") => {
                page = attr(&e, "page")
                    .and_then(|p| p.trim().parse().ok())
                    .unwrap_or(1);
            }
            Event::Start(e) | Event::Empty(e) if name_is(&e, "bounding-box") => {
                let f = |k: &str| {
                    attr(&e, k)
                        .and_then(|v| v.trim().parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                out.push((page, [f("x1"), f("y1"), f("x2"), f("y2")]));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn name_is(e: &BytesStart<'_>, name: &str) -> bool {
    e.local_name().as_ref() == name
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.clone().into_owned())
        })
}

/// Whether a region (PDF coordinates) of a page is ruled both ways.
fn region_ruled(rules: &[actionplan_pdf::PageRules], page: u32, bbox: [f64; 4]) -> bool {
    let Some(p) = rules.iter().find(|p| p.number == page) else {
        return false;
    };
    let pad = 4.0;
    let (x0, x1) = (bbox[0].min(bbox[2]) - pad, bbox[0].max(bbox[2]) + pad);
    let (y0, y1) = (
        p.height - bbox[1].max(bbox[3]) - pad,
        p.height - bbox[1].min(bbox[3]) + pad,
    );
    let inside = |s: &[f64; 4]| s[0] >= x0 && s[2] <= x1 && s[1] >= y0 && s[3] <= y1;
    let mut hy: Vec<f64> = Vec::new();
    let mut vx: Vec<f64> = Vec::new();
    for s in p.segments.iter().filter(|s| inside(s)) {
        if (s[3] - s[1]).abs() < 1.0 && s[2] - s[0] >= 0.2 * (x1 - x0) {
            hy.push(s[1]);
        } else if (s[2] - s[0]).abs() < 1.0 && s[3] - s[1] >= 4.0 {
            vx.push(s[0]);
        }
    }
    let distinct = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.dedup_by(|a, b| (*a - *b).abs() <= 2.5);
        v.len()
    };
    distinct(hy) >= 3 && distinct(vx) >= 3
}

struct DocResult {
    name: String,
    ruled: bool,
    truth_tables: usize,
    found_tables: usize,
    counts: Counts,
}

/// Other tools' figures from the folder's README: lines `| tool | micro | mean |`.
fn readme_figures(dir: &Path) -> Vec<(String, String, String)> {
    let Ok(text) = std::fs::read_to_string(dir.join("README.md")) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            (cols.len() == 3 && cols[1].parse::<f64>().is_ok() && cols[2].parse::<f64>().is_ok())
                .then(|| (cols[0].to_owned(), cols[1].to_owned(), cols[2].to_owned()))
        })
        .collect()
}

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut dir: Option<PathBuf> = std::env::var_os("ICDAR_DIR").map(PathBuf::from);
    let mut floor: Option<f64> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--floor" => {
                floor = Some(
                    it.next()
                        .context("--floor needs a number")?
                        .parse()
                        .context("--floor needs a number")?,
                )
            }
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let dir = dir.unwrap_or_else(|| root.join("../shared/icdar2013-eu"));
    let mut pdfs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdfs.sort();
    if pdfs.is_empty() {
        bail!("no PDFs in {}", dir.display());
    }
    if cfg!(debug_assertions) {
        println!("warning: debug build; timings are not representative");
    }
    let started = Instant::now();
    let mut results = Vec::new();
    for pdf in &pdfs {
        let stem = pdf
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let bytes = std::fs::read(pdf).with_context(|| format!("reading {}", pdf.display()))?;
        // Ground truths: NAME-str.xml, and for NAMEa also NAMEb-str.xml.
        let mut truths = Vec::new();
        let mut names = vec![format!("{stem}-str.xml")];
        if let Some(base) = stem.strip_suffix('a') {
            names.push(format!("{base}b-str.xml"));
        }
        for n in &names {
            if let Ok(xml) = std::fs::read_to_string(dir.join(n)) {
                truths.push(parse_structure(&xml).with_context(|| n.clone())?);
            }
        }
        if truths.is_empty() {
            continue;
        }
        let regions = match std::fs::read_to_string(dir.join(format!("{stem}-reg.xml"))) {
            Ok(xml) => parse_regions(&xml).with_context(|| format!("{stem}-reg.xml"))?,
            Err(_) => Vec::new(),
        };
        let rules = actionplan_pdf::debug_rules(&bytes).unwrap_or_default();
        let ruled_tables = regions
            .iter()
            .filter(|(p, b)| region_ruled(&rules, *p, *b))
            .count();
        let ruled = !regions.is_empty() && ruled_tables * 2 > regions.len();
        let detected = match actionplan_pdf::pdf_layout(&bytes) {
            Ok(layout) => layout_tables(&layout),
            Err(e) => {
                println!("{stem}: {e}");
                Vec::new()
            }
        };
        let (counts, truth_tables) = truths
            .iter()
            .map(|t| (score(t, &detected), t.len()))
            .max_by(|a, b| a.0.f1().total_cmp(&b.0.f1()))
            .unwrap_or_default();
        results.push(DocResult {
            name: stem,
            ruled,
            truth_tables,
            found_tables: detected.len(),
            counts,
        });
    }
    let elapsed = started.elapsed();

    println!(
        "ICDAR 2013 table competition metric over {} ({} documents)",
        dir.display(),
        results.len()
    );
    println!(
        "{:<10} {:<7} {:>5} {:>5} {:>6} {:>6} {:>6} {:>6}",
        "document", "kind", "truth", "found", "rels", "prec", "recall", "F1"
    );
    for r in &results {
        println!(
            "{:<10} {:<7} {:>5} {:>5} {:>6} {:>6.3} {:>6.3} {:>6.3}",
            r.name,
            if r.ruled { "ruled" } else { "unruled" },
            r.truth_tables,
            r.found_tables,
            r.counts.expected,
            r.counts.precision(),
            r.counts.recall(),
            r.counts.f1()
        );
    }
    println!();
    println!("| set | documents | micro P | micro R | micro F1 | mean per-document F1 |");
    println!("|---|---|---|---|---|---|");
    let mut all_micro = 0.0;
    for (label, filter) in [
        ("all", None),
        ("ruled", Some(true)),
        ("unruled", Some(false)),
    ] {
        let docs: Vec<&DocResult> = results
            .iter()
            .filter(|r| filter.is_none_or(|f| r.ruled == f))
            .collect();
        let mut pooled = Counts::default();
        for d in &docs {
            pooled.add(d.counts);
        }
        let mean = if docs.is_empty() {
            0.0
        } else {
            docs.iter().map(|d| d.counts.f1()).sum::<f64>() / docs.len() as f64
        };
        if filter.is_none() {
            all_micro = pooled.f1();
        }
        println!(
            "| {label} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            docs.len(),
            pooled.precision(),
            pooled.recall(),
            pooled.f1(),
            mean
        );
    }
    let others = readme_figures(&dir);
    if !others.is_empty() {
        println!();
        println!(
            "Figures given in {} (all documents):",
            dir.join("README.md").display()
        );
        println!("| tool | micro F1 | mean per-document F1 |");
        println!("|---|---|---|");
        for (tool, micro, mean) in others {
            println!("| {tool} | {micro} | {mean} |");
        }
    }
    println!();
    println!(
        "layout of {} PDFs (with rule scan) took {:.2} s",
        results.len(),
        elapsed.as_secs_f64()
    );
    if let Some(f) = floor {
        if all_micro < f {
            bail!("micro F1 {all_micro:.3} is below the floor {f}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(page: u32, rows: &[&[&str]]) -> GridTable {
        let mut cells = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                cells.push(GridCell {
                    r0: r,
                    r1: r,
                    c0: c,
                    c1: c,
                    text: (*t).into(),
                });
            }
        }
        GridTable { page, cells }
    }

    #[test]
    fn relations_skip_empty_cells_and_normalise() {
        let t = table(
            1,
            &[
                &["Year", "", "Total"],
                &["2010", "x", ""],
                &["", "", "1 234,5"],
            ],
        );
        let mut rels = relations(&t);
        rels.sort();
        let want: Vec<Relation> = vec![
            ("2010".into(), "x".into(), 'h'),
            ("total".into(), "1234~5".into(), 'v'),
            ("year".into(), "2010".into(), 'v'),
            ("year".into(), "total".into(), 'h'),
        ];
        assert_eq!(rels, want);
    }

    #[test]
    fn spanning_cell_relates_to_every_row_it_covers() {
        let mut t = table(1, &[&["", "a"], &["", "b"]]);
        t.cells.push(GridCell {
            r0: 0,
            r1: 1,
            c0: 0,
            c1: 0,
            text: "Group".into(),
        });
        let rels = relations(&t);
        assert!(rels.contains(&("group".into(), "a".into(), 'h')));
        assert!(rels.contains(&("group".into(), "b".into(), 'h')));
    }

    #[test]
    fn perfect_and_partial_scores() {
        let truth = vec![table(1, &[&["a", "b"], &["c", "d"]])];
        assert_eq!(score(&truth, &truth.clone()).f1(), 1.0);
        // A table on another page matches nothing and costs precision only.
        let mut other = truth.clone();
        other[0].page = 2;
        let c = score(&truth, &other);
        assert_eq!((c.correct, c.detected, c.expected), (0, 4, 4));
        // Rows collapsed into one: only the across relations survive.
        let collapsed = vec![table(1, &[&["a c", "b d"]])];
        assert_eq!(score(&truth, &collapsed).correct, 0);
        // Two detections of one table do not both claim the same relations.
        let twice = vec![truth[0].clone(), truth[0].clone()];
        let c = score(&truth, &twice);
        assert_eq!((c.correct, c.detected), (4, 8));
    }

    #[test]
    fn structure_xml_parses_spans_and_quotes() {
        let xml = r#"<document><table id='1'><region page='2' id='1'>
            <cell id='1' start-row='0' start-col='0' end-col="1"><content>A &amp; B</content></cell>
            <cell id='2' start-row="1" start-col="0"><content>x
y</content></cell></region></table></document>"#;
        let t = parse_structure(xml).unwrap();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].page, 2);
        assert_eq!(
            t[0].cells[0],
            GridCell {
                r0: 0,
                r1: 0,
                c0: 0,
                c1: 1,
                text: "A & B".into()
            }
        );
        assert_eq!(normalise(&t[0].cells[1].text), "xy");
    }
}
