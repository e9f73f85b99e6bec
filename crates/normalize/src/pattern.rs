//! Compiling the normalizer's patterns, in code and in `data/`, one way.
//!
//! Word boundaries are read as ASCII ones (`(?-u:\b)`): a Unicode `\b` sends the regex
//! engine off its fast automaton on any text with a curly quote or a dash in it, which
//! council papers nearly all have, and the words the patterns look for are English.

use regex::Regex;

/// `pattern` with every `\b` an ASCII word boundary.
pub fn ascii_bounds(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str("(?-u:\\b)"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A pattern written in code (known to compile: the tests exercise every one).
pub fn re(pattern: &str) -> Regex {
    Regex::new(&ascii_bounds(pattern)).expect("valid regex")
}

/// The source of a pattern from a data file as compiled: case-insensitive, with ASCII
/// word boundaries (for sets of them, `RegexSet`).
pub fn data_source(pattern: &str) -> String {
    format!("(?i){}", ascii_bounds(pattern))
}

/// A pattern from a data file, or `None` if it does not compile (the
/// `data_files_compile` test names any such line).
pub fn data(pattern: &str) -> Option<Regex> {
    Regex::new(&data_source(pattern)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bounds_are_ascii_and_escapes_survive() {
        assert_eq!(ascii_bounds(r"\bwill\b"), r"(?-u:\b)will(?-u:\b)");
        assert_eq!(ascii_bounds(r"a\\b\.\s"), r"a\\b\.\s");
        let r = re(r"(?i)\bcouncil\b");
        assert!(r.is_match("the Council’s plan – 2024"));
        assert!(!r.is_match("councillors"));
    }
}
