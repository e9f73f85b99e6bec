//! Builds small PDFs for tests with pdf-extract's re-exported lopdf: text at chosen
//! positions (top-down points, Helvetica) and drawn rules, page by page.

use pdf_extract::content::{Content, Operation};
use pdf_extract::{Dictionary, Document, Object, Stream, StringFormat};

/// One page to draw.
#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    /// (x, baseline from the top, font size, text)
    pub texts: Vec<(f64, f64, f64, String)>,
    /// Straight lines (x0, y0, x1, y1), top-down.
    pub rules: Vec<(f64, f64, f64, f64)>,
    /// Draws an image and nothing else when set (a scanned page).
    pub image_only: bool,
    /// Stores the page portrait and draws its content turned a quarter turn, as a
    /// landscape table printed sideways on a portrait page.
    pub sideways: bool,
}

impl Page {
    pub fn a4() -> Page {
        Page {
            width: 595.0,
            height: 842.0,
            texts: Vec::new(),
            rules: Vec::new(),
            image_only: false,
            sideways: false,
        }
    }
    pub fn landscape() -> Page {
        Page {
            width: 842.0,
            height: 595.0,
            ..Page::a4()
        }
    }
    pub fn text(mut self, x: f64, y: f64, size: f64, t: &str) -> Page {
        self.texts.push((x, y, size, t.to_owned()));
        self
    }
    pub fn rule(mut self, x0: f64, y0: f64, x1: f64, y1: f64) -> Page {
        self.rules.push((x0, y0, x1, y1));
        self
    }
    /// A full grid: column edges `xs`, row edges `ys`.
    pub fn grid(mut self, xs: &[f64], ys: &[f64]) -> Page {
        let (x0, x1) = (xs[0], xs[xs.len() - 1]);
        let (y0, y1) = (ys[0], ys[ys.len() - 1]);
        for &y in ys {
            self.rules.push((x0, y, x1, y));
        }
        for &x in xs {
            self.rules.push((x, y0, x, y1));
        }
        self
    }
}

/// WinAnsi bytes for the test texts (ASCII plus the bullet).
fn win_ansi(t: &str) -> Vec<u8> {
    t.chars()
        .map(|c| {
            if c == '•' {
                0x95
            } else if c.is_ascii() {
                c as u8
            } else {
                b'?'
            }
        })
        .collect()
}

fn n(v: f64) -> Object {
    Object::Real(v as f32)
}

/// The bytes of a PDF with these pages.
pub fn pdf(pages: &[Page]) -> Vec<u8> {
    document(pages).1
}

/// The document and its bytes.
pub fn document(pages: &[Page]) -> (Document, Vec<u8>) {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type1".to_vec()));
    font.set("BaseFont", Object::Name(b"Helvetica".to_vec()));
    font.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
    let font_id = doc.add_object(font);
    let mut image = Dictionary::new();
    image.set("Type", Object::Name(b"XObject".to_vec()));
    image.set("Subtype", Object::Name(b"Image".to_vec()));
    image.set("Width", Object::Integer(2));
    image.set("Height", Object::Integer(2));
    image.set("ColorSpace", Object::Name(b"DeviceGray".to_vec()));
    image.set("BitsPerComponent", Object::Integer(8));
    let image_id = doc.add_object(Stream::new(image, vec![0, 255, 255, 0]));
    let mut kids = Vec::new();
    for p in pages {
        let mut ops = Vec::new();
        if p.sideways {
            ops.push(Operation::new("q", vec![]));
            ops.push(Operation::new(
                "cm",
                vec![n(0.0), n(1.0), n(-1.0), n(0.0), n(p.height), n(0.0)],
            ));
        }
        if p.image_only {
            ops.push(Operation::new("q", vec![]));
            ops.push(Operation::new(
                "cm",
                vec![n(p.width), n(0.0), n(0.0), n(p.height), n(0.0), n(0.0)],
            ));
            ops.push(Operation::new("Do", vec![Object::Name(b"Im1".to_vec())]));
            ops.push(Operation::new("Q", vec![]));
        }
        for &(x0, y0, x1, y1) in &p.rules {
            ops.push(Operation::new("m", vec![n(x0), n(p.height - y0)]));
            ops.push(Operation::new("l", vec![n(x1), n(p.height - y1)]));
            ops.push(Operation::new("S", vec![]));
        }
        for (x, y, size, t) in &p.texts {
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new(
                "Tf",
                vec![Object::Name(b"F1".to_vec()), n(*size)],
            ));
            ops.push(Operation::new("Td", vec![n(*x), n(p.height - y)]));
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(win_ansi(t), StringFormat::Literal)],
            ));
            ops.push(Operation::new("ET", vec![]));
        }
        if p.sideways {
            ops.push(Operation::new("Q", vec![]));
        }
        let content = Content { operations: ops }.encode().unwrap_or_default();
        let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
        let mut fonts = Dictionary::new();
        fonts.set("F1", Object::Reference(font_id));
        let mut xobjects = Dictionary::new();
        xobjects.set("Im1", Object::Reference(image_id));
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        resources.set("XObject", Object::Dictionary(xobjects));
        let mut page = Dictionary::new();
        page.set("Type", Object::Name(b"Page".to_vec()));
        page.set("Parent", Object::Reference(pages_id));
        let (w, h) = if p.sideways {
            (p.height, p.width)
        } else {
            (p.width, p.height)
        };
        page.set("MediaBox", Object::Array(vec![n(0.0), n(0.0), n(w), n(h)]));
        page.set("Contents", Object::Reference(content_id));
        page.set("Resources", Object::Dictionary(resources));
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Count", Object::Integer(kids.len() as i64));
    tree.set("Kids", Object::Array(kids));
    doc.objects.insert(pages_id, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap_or_default();
    (doc, bytes)
}
