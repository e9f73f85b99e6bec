//! The domain vocabulary: acronyms and variants of UK children's-services and
//! local-government terms, read from `data/vocabulary.txt` and extended by the
//! glossaries of indexed documents. Queries are expanded through it (see
//! `query.rs`); the index itself stores the text as written, so changing the
//! vocabulary never needs a rebuild.

use std::collections::HashMap;

use actionplan_model::GlossaryEntry;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

/// The built-in vocabulary file, kept as data in the repository.
const BUILTIN: &str = include_str!("../../../data/vocabulary.txt");

/// Longest variant (in tokens) a glossary entry may add; longer "expansions" are
/// usually sentences the extractor mistook for an acronym list.
const MAX_GLOSSARY_TOKENS: usize = 10;

/// A stemmed token sequence, e.g. `["look", "after", "children"]`.
pub(crate) type Variant = Vec<String>;

#[derive(Debug, Clone)]
struct Concept {
    /// Variants that mean the same thing; any of them triggers the concept.
    same: Vec<Variant>,
    /// Broader terms searched (with less weight) when the concept is triggered.
    broader: Vec<Variant>,
}

/// How much a variant counts relative to the words the user typed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Weight {
    /// The words typed.
    Typed,
    /// A synonym or acronym of them.
    Same,
    /// A broader term.
    Broader,
}

/// One query word or phrase recognised in the vocabulary, with what it expands to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Expansion {
    pub variants: Vec<(Variant, Weight)>,
}

/// Acronyms and variants, matched on stemmed tokens.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    concepts: Vec<Concept>,
    /// Trigger sequence → concepts it triggers.
    triggers: HashMap<Variant, Vec<usize>>,
    longest: usize,
}

impl Vocabulary {
    /// The vocabulary shipped in `data/vocabulary.txt`.
    pub fn builtin() -> Vocabulary {
        parse(BUILTIN).0
    }

    /// Parses vocabulary text; returns the vocabulary and a note for every line
    /// that was skipped.
    pub fn parse(text: &str) -> (Vocabulary, Vec<String>) {
        parse(text)
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    /// True when there are no concepts.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// Adds glossary entries: a term and its expansion become synonyms, joining an
    /// existing concept when either is already known.
    pub fn extend_with_glossary(&mut self, entries: &[GlossaryEntry]) {
        let mut analyzer = analysis::english();
        for entry in entries {
            let term = analysis::tokens(&mut analyzer, &entry.term);
            let expansions: Vec<Variant> = expansion_forms(&entry.expansion)
                .iter()
                .map(|e| analysis::tokens(&mut analyzer, e))
                .filter(|v| !v.is_empty() && v.len() <= MAX_GLOSSARY_TOKENS)
                .collect();
            if term.is_empty()
                || term.len() > 4
                || expansions.is_empty()
                || expansions.contains(&term)
                || !abbreviates(&entry.term, &entry.expansion)
            {
                continue;
            }
            let mut all = vec![term];
            all.extend(expansions);
            let known = all
                .iter()
                .find_map(|v| self.triggers.get(v).and_then(|c| c.first().copied()));
            let idx = match known {
                Some(i) => i,
                None => {
                    self.concepts.push(Concept {
                        same: Vec::new(),
                        broader: Vec::new(),
                    });
                    self.concepts.len() - 1
                }
            };
            for v in all {
                if !self.concepts[idx].same.contains(&v) {
                    self.concepts[idx].same.push(v.clone());
                    self.add_trigger(v, idx);
                }
            }
        }
    }

    fn add_trigger(&mut self, v: Variant, idx: usize) {
        self.longest = self.longest.max(v.len());
        let list = self.triggers.entry(v).or_default();
        if !list.contains(&idx) {
            list.push(idx);
        }
    }

    /// Finds the longest vocabulary trigger starting at `tokens[at]`; returns its
    /// length in tokens and the expansion.
    pub(crate) fn match_at(&self, tokens: &[String], at: usize) -> Option<(usize, Expansion)> {
        let max = self.longest.min(tokens.len().saturating_sub(at));
        for len in (1..=max).rev() {
            let key = &tokens[at..at + len];
            let Some(concepts) = self.triggers.get(key) else {
                continue;
            };
            let typed: Variant = key.to_vec();
            let mut variants: Vec<(Variant, Weight)> = vec![(typed.clone(), Weight::Typed)];
            for &c in concepts {
                for v in &self.concepts[c].same {
                    push_variant(&mut variants, v, Weight::Same);
                }
            }
            for &c in concepts {
                for v in &self.concepts[c].broader {
                    push_variant(&mut variants, v, Weight::Broader);
                }
            }
            return Some((len, Expansion { variants }));
        }
        None
    }
}

fn push_variant(list: &mut Vec<(Variant, Weight)>, v: &Variant, w: Weight) {
    if !list.iter().any(|(x, _)| x == v) {
        list.push((v.clone(), w));
    }
}

/// "Child(ren) in Care" reads as both "Child in Care" and "Children in Care".
fn expansion_forms(expansion: &str) -> Vec<String> {
    let Some(open) = expansion.find('(') else {
        return vec![expansion.to_owned()];
    };
    let Some(close_rel) = expansion[open..].find(')') else {
        return vec![expansion.to_owned()];
    };
    let close = open + close_rel;
    let inner = &expansion[open + 1..close];
    let attached = expansion[..open]
        .chars()
        .last()
        .is_some_and(char::is_alphanumeric);
    if attached && inner.len() <= 4 && inner.chars().all(char::is_alphabetic) {
        let without = format!("{}{}", &expansion[..open], &expansion[close + 1..]);
        let with = format!("{}{}{}", &expansion[..open], inner, &expansion[close + 1..]);
        vec![without, with]
    } else {
        vec![format!(
            "{} {}",
            &expansion[..open],
            &expansion[close + 1..]
        )]
    }
}

fn parse(text: &str) -> (Vocabulary, Vec<String>) {
    let mut analyzer: TextAnalyzer = analysis::english();
    let mut vocab = Vocabulary {
        concepts: Vec::new(),
        triggers: HashMap::new(),
        longest: 0,
    };
    let mut notes = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (same, broader) = match line.split_once("=>") {
            Some((l, r)) => (l, Some(r)),
            None => (line, None),
        };
        let split = |side: &str, analyzer: &mut TextAnalyzer| -> Vec<Variant> {
            let mut out: Vec<Variant> = Vec::new();
            for v in side.split('|') {
                let t = analysis::tokens(analyzer, v.trim());
                if !t.is_empty() && !out.contains(&t) {
                    out.push(t);
                }
            }
            out
        };
        let same = split(same, &mut analyzer);
        let broader = broader.map(|b| split(b, &mut analyzer)).unwrap_or_default();
        if same.is_empty() || (same.len() < 2 && broader.is_empty()) {
            notes.push(format!(
                "line {}: needs at least two variants or a `=>` expansion: {line}",
                n + 1
            ));
            continue;
        }
        let idx = vocab.concepts.len();
        vocab.concepts.push(Concept {
            same: same.clone(),
            broader,
        });
        for v in same {
            vocab.add_trigger(v, idx);
        }
    }
    (vocab, notes)
}

/// Whether `short` can abbreviate `long` (Schwartz and Hearst, "A simple algorithm for
/// identifying abbreviation definitions in biomedical text", 2003): every letter or
/// digit of the short form appears in the long form in order, matched from the end,
/// and the first one opens a word. Glossaries are merged into one vocabulary for
/// every council, so an entry that does not spell its term ("CAMHS – Budget", a
/// table cell read as a definition) must not change other papers' searches.
pub(crate) fn abbreviates(short: &str, long: &str) -> bool {
    let s: Vec<char> = short
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let l: Vec<char> = long.chars().flat_map(char::to_lowercase).collect();
    if s.is_empty() || !s[0].is_alphanumeric() {
        return false;
    }
    let mut li = l.len();
    for (si, &c) in s.iter().enumerate().rev() {
        loop {
            if li == 0 {
                return false;
            }
            li -= 1;
            let opens_word = li == 0 || !l[li - 1].is_alphanumeric();
            if l[li] == c && (si > 0 || opens_word) {
                break;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        analysis::tokens(&mut analysis::english(), s)
    }

    fn expand(v: &Vocabulary, q: &str) -> Vec<String> {
        let t = toks(q);
        v.match_at(&t, 0)
            .map(|(_, e)| e.variants.iter().map(|(v, _)| v.join(" ")).collect())
            .unwrap_or_default()
    }

    #[test]
    fn builtin_vocabulary_parses_cleanly() {
        let (v, notes) = Vocabulary::parse(BUILTIN);
        assert!(notes.is_empty(), "{notes:#?}");
        assert!(v.len() > 80, "{}", v.len());
    }

    #[test]
    fn acronyms_expand_both_ways() {
        let v = Vocabulary::builtin();
        assert!(expand(&v, "CAMHS").contains(&"child and adolesc mental health servic".to_owned()));
        assert!(
            expand(&v, "child and adolescent mental health services").contains(&"camh".to_owned())
        );
        let lac = expand(&v, "children in care");
        assert!(
            lac.contains(&"lac".to_owned()) && lac.contains(&"cic".to_owned()),
            "{lac:?}"
        );
        assert!(expand(&v, "autism").contains(&"asd".to_owned()));
        assert!(expand(&v, "under-18").contains(&"u18".to_owned()));
        assert!(expand(&v, "u18s").contains(&"under 18".to_owned()));
    }

    #[test]
    fn broader_terms_do_not_expand_back() {
        let v = Vocabulary::builtin();
        assert!(expand(&v, "send").contains(&"sen".to_owned()));
        assert!(!expand(&v, "sen").contains(&"send".to_owned()));
    }

    #[test]
    fn longest_match_wins() {
        let v = Vocabulary::builtin();
        let t = toks("child protection plan reviews");
        let (len, e) = v.match_at(&t, 0).unwrap();
        assert_eq!(len, 3);
        assert!(e.variants.iter().any(|(v, _)| v.join(" ") == "cpp"));
    }

    #[test]
    fn glossary_entries_must_spell_their_term() {
        // Every glossary entry the corpus papers print (Kent, Leicester, Telford,
        // Kingston JAR plans) spells its term.
        for (term, long) in [
            ("ACMT", "Assessment and Case Management Team"),
            (
                "CASPA",
                "Comparison and Analysis of Special Pupil Attainment",
            ),
            ("CiC", "Child(ren) in Care"),
            ("CTB", "Children's Trust Board"),
            ("EET", "Education, Employment or Training"),
            ("LAC", "Looked After Child(ren)"),
            ("NEET", "Not in Education, Employment or Training"),
            ("RSE", "Relationships and Sexuality Education"),
            ("YPF", "Young People's Forum"),
            ("EKC PCT", "East Kent Coastal Primary Care Trust"),
        ] {
            assert!(abbreviates(term, long), "{term} = {long}");
        }
        // Cells misread as definitions: a budget line, a colour key, a status.
        for (term, long) in [
            ("CAMHS", "Budget"),
            ("SEN", "Green"),
            ("KPI", "Target met"),
            ("LAC", "Cabinet"),
            ("", "nothing"),
        ] {
            assert!(!abbreviates(term, long), "{term} = {long}");
        }
        // Such an entry changes nothing: CAMHS keeps its meaning.
        let mut v = Vocabulary::builtin();
        let before = expand(&v, "CAMHS");
        v.extend_with_glossary(&[GlossaryEntry {
            term: "CAMHS".into(),
            expansion: "Budget".into(),
        }]);
        assert_eq!(expand(&v, "CAMHS"), before);
        assert!(expand(&v, "budget").iter().all(|x| !x.starts_with("camh")));
    }

    #[test]
    fn glossary_entries_extend_the_vocabulary() {
        let mut v = Vocabulary::builtin();
        assert!(
            expand(&v, "EWO").is_empty()
                || !expand(&v, "EWO").contains(&"educ welfar offic".to_owned())
        );
        v.extend_with_glossary(&[
            GlossaryEntry {
                term: "EWO".into(),
                expansion: "Education Welfare Officer".into(),
            },
            GlossaryEntry {
                term: "CiC".into(),
                expansion: "Child(ren) in Care".into(),
            },
            GlossaryEntry {
                term: "".into(),
                expansion: "nothing".into(),
            },
        ]);
        assert!(expand(&v, "education welfare officer").contains(&"ewo".to_owned()));
        assert!(expand(&v, "EWO").contains(&"educ welfar offic".to_owned()));
        // Joins the existing concept rather than creating a second one.
        assert!(expand(&v, "child in care").contains(&"lac".to_owned()));
    }

    #[test]
    fn parenthesised_plurals_give_both_forms() {
        assert_eq!(
            expansion_forms("Child(ren) in Care"),
            ["Child in Care", "Children in Care"]
        );
        assert_eq!(expansion_forms("Team (local)"), ["Team  "]);
    }
}
