//! Text analysis shared by indexing, query building and vocabulary matching: the
//! same tokenizer and English stemmer everywhere, so a variant matches the text it
//! was written for.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// Analyzer name for stemmed English text fields.
pub(crate) const ENGLISH: &str = "actionplan_en";
/// Analyzer name for fields matched word for word (council and lead filters, refs).
pub(crate) const PLAIN: &str = "actionplan_plain";

/// Words dropped from free-text queries: they match nearly every entry and only
/// blur ranking. Phrases and vocabulary variants keep them ("children in care").
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "of",
    "on", "or", "the", "their", "them", "they", "this", "to", "with", "what", "which", "who",
    "about", "all", "any", "how", "our", "we", "s",
];

pub(crate) fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub(crate) fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Registers both analyzers on an index (needed after every open).
pub(crate) fn register(index: &tantivy::Index) {
    index.tokenizers().register(ENGLISH, english());
    index.tokenizers().register(PLAIN, plain());
}

/// The tokens of `text` as `analyzer` produces them.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stems_and_splits_like_the_papers_need() {
        let mut a = english();
        assert_eq!(
            tokens(&mut a, "Looked-after Children's u18s"),
            ["look", "after", "children", "s", "u18"]
        );
        assert_eq!(tokens(&mut a, "under-18s wards"), ["under", "18s", "ward"]);
        let mut p = plain();
        assert_eq!(
            tokens(&mut p, "Kent County Council"),
            ["kent", "county", "council"]
        );
    }
}
