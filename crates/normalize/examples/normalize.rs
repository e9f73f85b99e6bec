//! Prints the document extracted from a text or HTML paper (debugging aid that does
//! not need the PDF backend): `cargo run -p actionplan-normalize --example normalize FILE [--explain]`.

use actionplan_model::{Source, SourceFormat};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: normalize FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let decoded = actionplan_extract::decode(&bytes).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let layout = actionplan_extract::text_layout(&decoded.text);
    let source = Source {
        path: path.clone(),
        format: SourceFormat::Text,
        sha256: String::new(),
        bytes: bytes.len() as u64,
        pages: layout.pages,
        encoding: Some(decoded.encoding.into()),
        extractor: "example".into(),
    };
    if std::env::args().nth(2).as_deref() == Some("--explain") {
        for line in actionplan_normalize::explain(&layout) {
            println!("{line}");
        }
        return;
    }
    let doc = actionplan_normalize::normalize(&layout, source, "example".into());
    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
}
