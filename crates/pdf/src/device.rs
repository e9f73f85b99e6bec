//! The pdf-extract output device: records every character and every straight drawn line
//! of a page in top-down page coordinates, and nothing else.

use pdf_extract::{ColorSpace, MediaBox, OutputDev, OutputError, Path, PathOp, Transform};

/// Characters kept per page; past this a page is pathological (a font-less vector dump)
/// and the rest is dropped with a note rather than exhausting memory.
pub const MAX_GLYPHS_PER_PAGE: usize = 250_000;
/// Ruling segments kept per page, for the same reason.
pub const MAX_SEGMENTS_PER_PAGE: usize = 50_000;

/// One printed character.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Left edge, points from the page's left.
    pub x: f64,
    /// Baseline, points from the page's top.
    pub y: f64,
    /// Advance width in points.
    pub w: f64,
    /// Font size in points after all transforms.
    pub size: f64,
    pub text: String,
}

impl Glyph {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
}

/// A straight horizontal or vertical drawn line, in top-down page coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Segment {
    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 1.0 && (self.x1 - self.x0).abs() >= 1.0
    }
    pub fn is_vertical(&self) -> bool {
        (self.x1 - self.x0).abs() < 1.0 && (self.y1 - self.y0).abs() >= 1.0
    }
}

/// Everything recorded for one page.
#[derive(Debug, Clone, Default)]
pub struct PageContent {
    /// 1-based page number.
    pub number: u32,
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    /// Edges of filled rectangles wider and taller than a rule (cell and text shading):
    /// drawn, but not borders, so the table finder does not see them.
    pub shading: Vec<Segment>,
    /// Set when limits dropped content.
    pub truncated: bool,
}

/// Collects the pages that pdf-extract walks.
#[derive(Debug, Default)]
pub struct Collector {
    pub pages: Vec<PageContent>,
    current: Option<PageContent>,
    media: Option<MediaBox>,
    /// Characters of the current page in PDF space with their writing direction
    /// (quarter turns anticlockwise), until the page's dominant direction is known.
    raw_glyphs: Vec<(u8, Glyph)>,
    /// Segments of the current page in PDF space, each marked when it is a shading edge.
    raw_segments: Vec<(bool, Segment)>,
}

/// Maps PDF space to top-down page space for text written `dir` quarter turns
/// anticlockwise, so that text reads left to right: a page printed sideways
/// (`/Rotate`, or a landscape table turned onto a portrait page) comes out upright.
fn upright(m: &MediaBox, dir: u8, x: f64, y: f64) -> (f64, f64) {
    match dir {
        1 => (y - m.lly, x - m.llx),
        2 => (m.urx - x, y - m.lly),
        3 => (m.ury - y, m.urx - x),
        _ => (x - m.llx, m.ury - y),
    }
}

impl Collector {
    /// Takes the page being recorded (used when a page's processing fails half-way).
    pub fn abandon_page(&mut self) -> Option<PageContent> {
        self.finish_page();
        self.current.take()
    }

    /// Turns the raw content of the page into upright page coordinates, keeping the
    /// text written in the page's main direction (watermarks and margin labels go).
    fn finish_page(&mut self) {
        let (Some(page), Some(m)) = (self.current.as_mut(), self.media) else {
            return;
        };
        let mut count = [0usize; 4];
        for (d, _) in &self.raw_glyphs {
            count[(*d as usize) & 3] += 1;
        }
        let dir = (0..4u8)
            .max_by_key(|d| (count[*d as usize], 4 - *d))
            .unwrap_or(0);
        if dir % 2 == 1 {
            std::mem::swap(&mut page.width, &mut page.height);
        }
        for (d, mut g) in self.raw_glyphs.drain(..) {
            if d != dir {
                continue;
            }
            let (x, y) = upright(&m, dir, g.x, g.y);
            g.x = x;
            g.y = y;
            page.glyphs.push(g);
        }
        for (shade, s) in self.raw_segments.drain(..) {
            let a = upright(&m, dir, s.x0, s.y0);
            let b = upright(&m, dir, s.x1, s.y1);
            let seg = Segment {
                x0: a.0.min(b.0),
                y0: a.1.min(b.1),
                x1: a.0.max(b.0),
                y1: a.1.max(b.1),
            };
            if seg.is_horizontal() || seg.is_vertical() {
                if shade {
                    page.shading.push(seg);
                } else {
                    page.segments.push(seg);
                }
            }
        }
    }

    fn page(&mut self) -> Option<&mut PageContent> {
        self.current.as_mut()
    }

    /// A point of user space in PDF page space (bottom-up).
    fn to_page(&self, ctm: &Transform, x: f64, y: f64) -> (f64, f64) {
        (
            x * ctm.m11 + y * ctm.m21 + ctm.m31,
            x * ctm.m12 + y * ctm.m22 + ctm.m32,
        )
    }

    fn add_segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        self.add_edge(a, b, false);
    }

    /// Records a segment; `shade` marks an edge of a shading fill.
    fn add_edge(&mut self, a: (f64, f64), b: (f64, f64), shade: bool) {
        let seg = Segment {
            x0: a.0.min(b.0),
            y0: a.1.min(b.1),
            x1: a.0.max(b.0),
            y1: a.1.max(b.1),
        };
        if !(seg.x0.is_finite() && seg.y0.is_finite() && seg.x1.is_finite() && seg.y1.is_finite()) {
            return;
        }
        if !(seg.is_horizontal() || seg.is_vertical()) || self.current.is_none() {
            return;
        }
        if self.raw_segments.len() >= MAX_SEGMENTS_PER_PAGE {
            if let Some(p) = self.page() {
                p.truncated = true;
            }
        } else {
            self.raw_segments.push((shade, seg));
        }
    }

    /// Turns a drawn path into ruling segments. Rectangles thinner than 3 pt are rules
    /// (Word and Excel draw cell borders as filled slivers); larger stroked ones
    /// contribute their edges; larger filled ones are shading (a cell's or a line's
    /// background, often inset from the cell's borders, which would split cells and
    /// rows that the borders do not) and are kept apart; near-page-size fills are
    /// backgrounds.
    fn add_path(&mut self, ctm: &Transform, path: &Path, filled: bool) {
        let mut start: Option<(f64, f64)> = None;
        let mut cur: Option<(f64, f64)> = None;
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => {
                    let p = self.to_page(ctm, x, y);
                    start = Some(p);
                    cur = Some(p);
                }
                PathOp::LineTo(x, y) => {
                    let p = self.to_page(ctm, x, y);
                    if let Some(c) = cur {
                        self.add_segment(c, p);
                    }
                    cur = Some(p);
                }
                PathOp::CurveTo(_, _, _, _, x, y) => cur = Some(self.to_page(ctm, x, y)),
                PathOp::Close => {
                    if let (Some(c), Some(s)) = (cur, start) {
                        self.add_segment(c, s);
                    }
                    cur = start;
                }
                PathOp::Rect(x, y, w, h) => {
                    let a = self.to_page(ctm, x, y);
                    let b = self.to_page(ctm, x + w, y + h);
                    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
                    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
                    let (pw, ph) = self
                        .current
                        .as_ref()
                        .map(|p| (p.width, p.height))
                        .unwrap_or((0.0, 0.0));
                    if (x1 - x0) < 3.0 && (y1 - y0) >= 1.0 {
                        let xm = (x0 + x1) / 2.0;
                        self.add_segment((xm, y0), (xm, y1));
                    } else if (y1 - y0) < 3.0 && (x1 - x0) >= 1.0 {
                        let ym = (y0 + y1) / 2.0;
                        self.add_segment((x0, ym), (x1, ym));
                    } else if filled && (x1 - x0) * (y1 - y0) > 0.5 * pw * ph {
                        // A page or panel background.
                    } else if filled {
                        self.add_edge((x0, y0), (x1, y0), true);
                        self.add_edge((x0, y1), (x1, y1), true);
                        self.add_edge((x0, y0), (x0, y1), true);
                        self.add_edge((x1, y0), (x1, y1), true);
                    } else {
                        self.add_segment((x0, y0), (x1, y0));
                        self.add_segment((x0, y1), (x1, y1));
                        self.add_segment((x0, y0), (x0, y1));
                        self.add_segment((x1, y0), (x1, y1));
                    }
                    start = Some(a);
                    cur = Some(a);
                }
            }
        }
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let m = MediaBox {
            llx: media_box.llx.min(media_box.urx),
            lly: media_box.lly.min(media_box.ury),
            urx: media_box.llx.max(media_box.urx),
            ury: media_box.lly.max(media_box.ury),
        };
        self.media = Some(m);
        self.raw_glyphs.clear();
        self.raw_segments.clear();
        let width = (media_box.urx - media_box.llx).abs();
        let height = (media_box.ury - media_box.lly).abs();
        self.current = Some(PageContent {
            number: page_num,
            width,
            height,
            ..Default::default()
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.finish_page();
        if let Some(p) = self.current.take() {
            self.pages.push(p);
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        ch: &str,
    ) -> Result<(), OutputError> {
        let _ = spacing;
        // The x axis of text space in page space gives both the scale and the direction.
        let scale_x = (trm.m11 * trm.m11 + trm.m12 * trm.m12).sqrt();
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = (font_size * scale).abs();
        let (x, y) = (trm.m31, trm.m32);
        let w = (width * font_size * scale_x).abs();
        if !(x.is_finite() && y.is_finite() && size.is_finite() && w.is_finite()) || size <= 0.0 {
            return Ok(());
        }
        // Writing direction in quarter turns; text at other angles (diagonal
        // watermarks) is skipped.
        let (c, s) = (trm.m11 / scale_x.max(1e-9), trm.m12 / scale_x.max(1e-9));
        let dir = if c > 0.99 {
            0
        } else if s > 0.99 {
            1
        } else if c < -0.99 {
            2
        } else if s < -0.99 {
            3
        } else {
            return Ok(());
        };
        let text: String = ch.chars().filter(|c| !c.is_control()).collect();
        if text.is_empty() || self.current.is_none() {
            return Ok(());
        }
        if self.raw_glyphs.len() >= MAX_GLYPHS_PER_PAGE {
            if let Some(p) = self.page() {
                p.truncated = true;
            }
        } else {
            self.raw_glyphs.push((
                dir,
                Glyph {
                    x,
                    y,
                    w,
                    size,
                    text,
                },
            ));
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn stroke(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        _color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_path(ctm, path, false);
        Ok(())
    }

    fn fill(
        &mut self,
        ctm: &Transform,
        _cs: &ColorSpace,
        color: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        // White fills paint over, they do not draw borders.
        if !color.is_empty() && color.len() <= 3 && color.iter().all(|c| *c >= 0.99) {
            return Ok(());
        }
        self.add_path(ctm, path, true);
        Ok(())
    }
}
