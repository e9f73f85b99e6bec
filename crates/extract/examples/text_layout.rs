//! Prints the layout of a text, HTML or Word .docx paper as JSON (debugging aid that
//! does not need the PDF backend): `cargo run -p actionplan-extract --example text_layout FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: text_layout FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    if actionplan_extract::docx::is_word_package(&bytes) {
        match actionplan_extract::docx_layout(&bytes) {
            Ok(layout) => println!(
                "{}",
                serde_json::to_string_pretty(&layout).unwrap_or_default()
            ),
            Err(e) => {
                eprintln!("{path}: docx: {e}");
                std::process::exit(2);
            }
        }
        return;
    }
    match actionplan_extract::decode(&bytes) {
        Ok(d) => {
            let layout = if actionplan_extract::looks_like_html_document(&d.text) {
                actionplan_extract::html_layout(&d.text)
            } else {
                actionplan_extract::text_layout(&d.text)
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&layout).unwrap_or_default()
            );
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    }
}
