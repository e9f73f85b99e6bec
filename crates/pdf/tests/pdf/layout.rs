//! Layout recovery on small PDFs built in the test: word and line grouping, headings and
//! lists, ruled and unruled tables, cross-page stitching, furniture, reading order.

use actionplan_layout::{BlockKind, Layout};
use actionplan_pdf::pdf_layout;

use crate::synth::{pdf, Page};

/// The layout as one line per block (tables one line per row), for readable diffs.
pub fn render(layout: &Layout) -> String {
    let mut out = Vec::new();
    for b in &layout.blocks {
        match &b.kind {
            BlockKind::Heading { level, text } => out.push(format!("p{} H{level} {text}", b.page)),
            BlockKind::Paragraph { text } => out.push(format!("p{} P {text}", b.page)),
            BlockKind::ListItem {
                marker,
                depth,
                text,
            } => out.push(format!(
                "p{} LI{depth}[{}] {text}",
                b.page,
                marker.as_deref().unwrap_or("")
            )),
            BlockKind::Table(t) => {
                out.push(format!("p{} TABLE", b.page));
                for r in &t.rows {
                    let cells: Vec<String> = r
                        .cells
                        .iter()
                        .map(|c| {
                            c.parts
                                .iter()
                                .map(|p| match (&p.marker, p.list_item) {
                                    (Some(m), _) => format!("{m} {}", p.text),
                                    (None, true) => format!("* {}", p.text),
                                    _ => p.text.clone(),
                                })
                                .collect::<Vec<_>>()
                                .join(" / ")
                        })
                        .collect();
                    out.push(format!("  p{} | {}", r.page, cells.join(" | ")));
                }
            }
        }
    }
    out.join("\n")
}

fn check(pages: &[Page], expected: &str) {
    let layout = match pdf_layout(&pdf(pages)) {
        Ok(l) => l,
        Err(e) => panic!("layout failed: {e}"),
    };
    let got = render(&layout)
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n");
    let want = expected
        .trim()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(got, want, "\n--- got ---\n{got}\n--- want ---\n{want}\n");
}

#[test]
fn words_lines_paragraphs_headings_and_lists() {
    let page = Page::a4()
        .text(72.0, 80.0, 18.0, "Areas for improvement")
        .text(
            72.0,
            110.0,
            11.0,
            "In order to improve the quality of provision the local authority and its partners",
        )
        .text(72.0, 124.0, 11.0, "should take the following action.")
        .text(72.0, 150.0, 11.0, "Immediately:")
        .text(90.0, 170.0, 11.0, "•")
        .text(
            108.0,
            170.0,
            11.0,
            "Ensure that a clear plan is in place to improve the effectiveness of the",
        )
        .text(
            108.0,
            184.0,
            11.0,
            "Independent Reviewing Officers service.",
        )
        .text(90.0, 200.0, 11.0, "•")
        .text(
            108.0,
            200.0,
            11.0,
            "Review all children on care orders placed at home.",
        )
        .text(72.0, 230.0, 11.0, "1. Ensure thresholds are understood.")
        .text(
            72.0,
            246.0,
            11.0,
            "2. Improve the response to children at risk.",
        )
        .text(90.0, 262.0, 11.0, "a) including missing children")
        .text(72.0, 290.0, 11.0, "Target date          March 2008");
    check(
        &[page],
        "
        p1 H1 Areas for improvement
        p1 P In order to improve the quality of provision the local authority and its partners should take the following action.
        p1 P Immediately:
        p1 LI0[] Ensure that a clear plan is in place to improve the effectiveness of the Independent Reviewing Officers service.
        p1 LI0[] Review all children on care orders placed at home.
        p1 LI0[1.] Ensure thresholds are understood.
        p1 LI0[2.] Improve the response to children at risk.
        p1 LI1[a)] including missing children
        p1 P Target date March 2008
        ",
    );
}

#[test]
fn ruled_table_with_multi_line_cells_and_merged_header() {
    let xs = [60.0, 200.0, 400.0, 530.0];
    let page = Page::a4()
        .text(60.0, 80.0, 11.0, "Action plan")
        // Header row: "Action" spans the first two columns (no inner rule in that row).
        .rule(60.0, 100.0, 530.0, 100.0)
        .rule(60.0, 100.0, 60.0, 200.0)
        .rule(400.0, 100.0, 400.0, 200.0)
        .rule(530.0, 100.0, 530.0, 200.0)
        .rule(200.0, 120.0, 200.0, 200.0)
        .rule(60.0, 120.0, 530.0, 120.0)
        .rule(60.0, 160.0, 530.0, 160.0)
        .rule(60.0, 200.0, 530.0, 200.0)
        .text(64.0, 114.0, 10.0, "Action and detail")
        .text(404.0, 114.0, 10.0, "Lead")
        .text(64.0, 134.0, 10.0, "1.1")
        .text(204.0, 134.0, 10.0, "Case audits undertaken for")
        .text(204.0, 146.0, 10.0, "social care teams")
        .text(404.0, 134.0, 10.0, "Head of Service")
        .text(64.0, 174.0, 10.0, "1.2")
        .text(204.0, 174.0, 10.0, "Review plans")
        .text(204.0, 188.0, 10.0, "• monthly")
        .text(404.0, 174.0, 10.0, "Director");
    let _ = xs;
    check(
        &[page],
        "
        p1 P Action plan
        p1 TABLE
          p1 | Action and detail |  | Lead
          p1 | 1.1 | Case audits undertaken for social care teams | Head of Service
          p1 | 1.2 | Review plans / * monthly | Director
        ",
    );
}

#[test]
fn unruled_table_anchored_on_header_row() {
    let page = Page::a4()
        .text(72.0, 80.0, 11.0, "The plan is summarised below.")
        .text(72.0, 110.0, 10.0, "Ref")
        .text(120.0, 110.0, 10.0, "Action")
        .text(340.0, 110.0, 10.0, "Timescale")
        .text(440.0, 110.0, 10.0, "Lead")
        .text(72.0, 126.0, 10.0, "A1")
        .text(120.0, 126.0, 10.0, "Recruit permanent social")
        .text(340.0, 126.0, 10.0, "March 2008")
        .text(440.0, 126.0, 10.0, "HR Manager")
        .text(120.0, 138.0, 10.0, "workers to vacant posts")
        .text(72.0, 154.0, 10.0, "A2")
        .text(120.0, 154.0, 10.0, "Audit case files")
        .text(340.0, 154.0, 10.0, "Monthly")
        .text(440.0, 154.0, 10.0, "Head of QA");
    check(
        &[page],
        "
        p1 P The plan is summarised below.
        p1 TABLE
          p1 | Ref | Action | Timescale | Lead
          p1 | A1 | Recruit permanent social workers to vacant posts | March 2008 | HR Manager
          p1 | A2 | Audit case files | Monthly | Head of QA
        ",
    );
}

fn table_page(rows: &[[&str; 2]], top: f64) -> Page {
    let mut p = Page::a4();
    let mut y = top;
    let mut ys = vec![y];
    for r in rows {
        if !r[0].is_empty() {
            p = p.text(64.0, y + 14.0, 10.0, r[0]);
        }
        p = p.text(204.0, y + 14.0, 10.0, r[1]);
        y += 22.0;
        ys.push(y);
    }
    p.grid(&[60.0, 200.0, 530.0], &ys)
}

#[test]
fn table_rows_stitched_across_pages_and_repeated_header_dropped() {
    let p1 = table_page(
        &[
            ["Action", "Progress"],
            ["Recruit staff", "Twelve posts filled and"],
        ],
        700.0,
    );
    let p2 = table_page(
        &[
            ["Action", "Progress"],
            ["", "four more advertised"],
            ["Audit files", "Complete"],
        ],
        60.0,
    );
    check(
        &[p1, p2],
        "
        p1 TABLE
          p1 | Action | Progress
          p1 | Recruit staff | Twelve posts filled and four more advertised
          p2 | Audit files | Complete
        ",
    );
}

#[test]
fn running_headers_footers_and_page_numbers_removed() {
    let pages: Vec<Page> = (1..=3)
        .map(|i| {
            Page::a4()
                .text(
                    72.0,
                    40.0,
                    9.0,
                    "Inspection of services for children in Sandwell",
                )
                .text(
                    72.0,
                    120.0,
                    11.0,
                    &format!("Body text of page {i} ends here."),
                )
                .text(290.0, 810.0, 9.0, &i.to_string())
                .text(72.0, 825.0, 9.0, &format!("Report {i} of 3"))
        })
        .collect();
    check(
        &pages,
        "
        p1 P Body text of page 1 ends here.
        p2 P Body text of page 2 ends here.
        p3 P Body text of page 3 ends here.
        ",
    );
}

#[test]
fn paragraph_continued_on_next_page_is_joined() {
    let p1 = Page::a4()
        .text(
            72.0,
            100.0,
            11.0,
            "The board should ensure that the neglect strategy is agreed by all partners",
        )
        .text(
            72.0,
            114.0,
            11.0,
            "and that progress is reported to the board by the",
        );
    let p2 = Page::a4().text(72.0, 100.0, 11.0, "end of the year.");
    check(
        &[p1, p2],
        "p1 P The board should ensure that the neglect strategy is agreed by all partners and that progress is reported to the board by the end of the year.",
    );
}

#[test]
fn two_columns_read_left_then_right() {
    let mut page = Page::a4().text(72.0, 60.0, 16.0, "Newsletter");
    let left = "Left column text that runs across the whole width of the column here";
    let right = "Right column text that also runs the full width of its own column";
    for i in 0..10 {
        let y = 100.0 + i as f64 * 8.5;
        page = page.text(50.0, y, 7.0, left).text(310.0, y, 7.0, right);
    }
    let layout = match pdf_layout(&pdf(&[page])) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    let texts: Vec<String> = layout.blocks.iter().map(|b| b.kind.text()).collect();
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(
        texts[1].starts_with("Left column") && !texts[1].contains("Right"),
        "{texts:?}"
    );
    assert!(texts[2].starts_with("Right column"), "{texts:?}");
}

#[test]
fn landscape_page_with_wide_table() {
    check(&[wide_table(Page::landscape())], WIDE_TABLE);
}

#[test]
fn landscape_table_printed_sideways_on_a_portrait_page() {
    check(
        &[wide_table(Page {
            sideways: true,
            ..Page::landscape()
        })],
        WIDE_TABLE,
    );
}

const WIDE_TABLE: &str = "
    p1 TABLE
      p1 | Directorate | Risk Title | Risk Event | Consequence | Likelihood
      p1 | CYPE | High Needs Spending | Deficit grows | Overspend | 4
    ";

fn wide_table(page: Page) -> Page {
    let xs = [40.0, 140.0, 300.0, 460.0, 620.0, 800.0];
    let ys = [60.0, 90.0, 120.0];
    let mut page = page.grid(&xs, &ys);
    let head = [
        "Directorate",
        "Risk Title",
        "Risk Event",
        "Consequence",
        "Likelihood",
    ];
    let row = [
        "CYPE",
        "High Needs Spending",
        "Deficit grows",
        "Overspend",
        "4",
    ];
    for (i, (h, r)) in head.iter().zip(row).enumerate() {
        page = page
            .text(xs[i] + 4.0, 78.0, 9.0, h)
            .text(xs[i] + 4.0, 108.0, 9.0, r);
    }
    page
}
