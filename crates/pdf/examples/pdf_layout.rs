//! Prints the layout JSON of a PDF, for checking the backend without the rest of the
//! workspace: `cargo run -p actionplan-pdf --example pdf_layout -- FILE.pdf [--page N | --tabs]`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pdf_layout FILE.pdf");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let args: Vec<String> = std::env::args().collect();
    if let Some(n) = args
        .iter()
        .position(|a| a == "--page")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
    {
        match actionplan_pdf::debug_page(&bytes, n) {
            Ok(s) => print!("{s}"),
            Err(e) => eprintln!("{path}: {e}"),
        }
        return;
    }
    if args.iter().any(|a| a == "--tabs") {
        match actionplan_pdf::debug_tab_lines(&bytes) {
            Ok(s) => print!("{s}"),
            Err(e) => eprintln!("{path}: {e}"),
        }
        return;
    }
    match actionplan_pdf::pdf_layout(&bytes) {
        Ok(layout) => match serde_json::to_string_pretty(&layout) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("{e}"),
        },
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
