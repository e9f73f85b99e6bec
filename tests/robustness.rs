//! Bad input never panics and never passes silently: empty, binary, wrong encoding,
//! truncated and randomly mutated papers give a document or a named error.

use actionplan_pipeline::{extract_bytes, ExtractError};
use actionplan_tests::root;
use proptest::prelude::*;

fn corpus_bytes() -> Vec<Vec<u8>> {
    let dir = root().join("corpus/text");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("corpus/text") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "txt") {
            out.push(std::fs::read(p).expect("readable"));
        }
    }
    out.sort();
    out
}

#[test]
fn empty_binary_and_non_utf8_inputs() {
    let e = extract_bytes("empty.txt", b"").unwrap_err();
    assert!(
        matches!(e, ExtractError::Empty { .. }) && e.to_string().contains("empty.txt"),
        "{e}"
    );
    let e = extract_bytes("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap_err();
    assert!(
        e.to_string().contains("image.png") && e.to_string().contains("binary"),
        "{e}"
    );
    // Windows-1252 text reads, with its curly quotes and pound signs intact.
    let doc = extract_bytes("cp1252.txt", b"Recommendations\n\nThe council should:\n\n- Review the \x93Staying Safe\x94 budget of \xa3170,000\n").unwrap();
    assert_eq!(doc.source.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(
        doc.recommendations[0].text,
        "Review the “Staying Safe” budget of £170,000"
    );
    // A paper without a plan is a valid, empty document.
    let doc = extract_bytes(
        "minutes.txt",
        b"Minutes of the meeting\n\nThe meeting closed at 4pm.\n",
    )
    .unwrap();
    assert!(doc.recommendations.is_empty());
}

#[test]
fn truncated_corpus_papers_still_extract() {
    for bytes in corpus_bytes() {
        for cut in [1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
            // Cutting may split a UTF-8 sequence: the file then reads as Windows-1252.
            let _ = extract_bytes("truncated.txt", &bytes[..cut]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = extract_bytes("random.bin", &bytes);
    }

    #[test]
    fn random_text_with_structure_never_panics(lines in proptest::collection::vec(
        prop_oneof![
            "[A-Za-z ]{0,40}",
            "\t{0,4}[a-z]{0,10}\t[A-Z0-9 /]{0,12}\t{0,3}",
            "#{1,3} [A-Z ]{0,30}",
            "- \\(?[a-z0-9]{1,2}[.)] [a-z ]{0,20}",
            "<p><b>[A-Za-z :]{0,20}</b>[a-z ]{0,20}</p>\t<ul><li>[a-z]{0,10}",
            "(Recommendation|Priority|Action:) [0-9A-Z ]{0,6}[-:]? [a-z ]{0,30}",
            "[0-9]{1,2}(/[0-9]{1,2}){0,2} (Dec|June/July|Q3|Spring) [0-9]{2,4}",
        ],
        0..60,
    )) {
        let text = lines.join("\n");
        let _ = extract_bytes("random.txt", text.as_bytes());
    }

    #[test]
    fn mutated_corpus_papers_never_panic(paper in 0usize..5, seed in any::<u64>(), flips in 1usize..64) {
        let papers = corpus_bytes();
        let mut bytes = papers[paper % papers.len()].clone();
        // A deterministic stream from the proptest seed.
        let mut rng = fastrand::Rng::with_seed(seed);
        for _ in 0..flips {
            let i = rng.usize(..bytes.len());
            bytes[i] = match rng.u8(..4) {
                0 => b'\t',
                1 => b'\n',
                2 => rng.u8(..),
                _ => b'<',
            };
        }
        let _ = extract_bytes("mutated.txt", &bytes);
    }
}
