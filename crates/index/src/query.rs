//! From what a policy officer types to a tantivy query.
//!
//! Syntax: free words (any may match; entries matching more of them, closer
//! together, in their own text rank first), `"quoted phrases"` (must appear),
//! and `-word` or `-"phrase"` (must not appear). Free words are expanded through
//! the [`Vocabulary`]: `under-18` also searches `u18`, `u18s` and, with less
//! weight, `young people`.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use crate::analysis;
use crate::schema::Fields;
use crate::vocabulary::{Variant, Vocabulary, Weight};

/// Variants of one unit used when building proximity pairs (the rest still match).
const PAIR_VARIANTS: usize = 3;
/// Field weight × variant weight below which a clause is not worth its cost.
const MIN_CLAUSE_WEIGHT: f32 = 0.45;
/// Words allowed between two query units for the proximity boost.
const PAIR_SLOP: u32 = 4;
const PAIR_BOOST: f32 = 1.5;
/// Tie-breaker inside a unit: the best field/variant counts fully, others a little,
/// so an entry mentioning a term in its text and its measures edges ahead.
const UNIT_TIE: f32 = 0.2;

/// The parts of a query string.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Parsed {
    /// Free text, in order.
    pub free: String,
    /// Quoted phrases that must match.
    pub required: Vec<String>,
    /// Words or phrases that must not match.
    pub excluded: Vec<String>,
}

/// Splits a query into free text, required phrases and exclusions.
pub(crate) fn parse(text: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut chars = text.chars().peekable();
    let mut free = Vec::new();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negate = c == '-'
            && chars
                .clone()
                .nth(1)
                .is_some_and(|n| n == '"' || n.is_alphanumeric());
        if negate {
            chars.next();
        }
        let quoted = chars.peek() == Some(&'"');
        let mut word = String::new();
        if quoted {
            chars.next();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                word.push(c);
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        if word.trim().is_empty() {
            continue;
        }
        match (negate, quoted) {
            (true, _) => out.excluded.push(word),
            (false, true) => out.required.push(word),
            (false, false) => free.push(word),
        }
    }
    out.free = free.join(" ");
    out
}

/// One thing the user asked for: a word, or a vocabulary concept with its variants.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub variants: Vec<(Variant, Weight)>,
}

/// Free text to units: longest vocabulary match first, stop words dropped.
pub(crate) fn units(free: &str, vocabulary: &Vocabulary) -> Vec<Unit> {
    let tokens = analysis::tokens(&mut analysis::english(), free);
    let stops: Vec<String> = analysis::STOP_WORDS
        .to_vec()
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((len, e)) = vocabulary.match_at(&tokens, i) {
            out.push(Unit {
                variants: e.variants,
            });
            i += len;
            continue;
        }
        if !stops.contains(&tokens[i]) {
            out.push(Unit {
                variants: vec![(vec![tokens[i].clone()], Weight::Typed)],
            });
        }
        i += 1;
    }
    out
}

fn variant_weight(w: Weight) -> f32 {
    match w {
        Weight::Typed => 1.0,
        Weight::Same => 0.85,
        Weight::Broader => 0.4,
    }
}

fn term_or_phrase(field: Field, seq: &[String], slop: u32) -> Box<dyn Query> {
    if seq.len() == 1 {
        return Box::new(TermQuery::new(
            Term::from_field_text(field, &seq[0]),
            IndexRecordOption::WithFreqs,
        ));
    }
    let terms: Vec<(usize, Term)> = seq
        .iter()
        .enumerate()
        .map(|(i, t)| (i, Term::from_field_text(field, t)))
        .collect();
    Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, boost))
    }
}

/// Builds the scoring query for `text` (filters are added by the caller), and
/// returns the units it looks for, which re-ranking measures coverage with.
pub(crate) fn build(
    text: &str,
    fields: &Fields,
    vocabulary: &Vocabulary,
) -> (Box<dyn Query>, Vec<Unit>) {
    let parsed = parse(text);
    let weighted = fields.weighted();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let units = units(&parsed.free, vocabulary);

    for unit in &units {
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        for &(field, fw, stemmed) in &weighted {
            if !stemmed {
                continue;
            }
            for (seq, w) in &unit.variants {
                // Variants whose best possible contribution is negligible cost a
                // scorer each on every matching entry: leave them out.
                let weight = fw * variant_weight(*w);
                if weight < MIN_CLAUSE_WEIGHT {
                    continue;
                }
                disjuncts.push(boosted(term_or_phrase(field, seq, 0), weight));
            }
        }
        clauses.push((
            Occur::Should,
            Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, UNIT_TIE)),
        ));
    }

    // Proximity: neighbouring units close together in the entry's own text.
    for pair in units.windows(2) {
        let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
        for (a, wa) in pair[0].variants.iter().take(PAIR_VARIANTS) {
            for (b, wb) in pair[1].variants.iter().take(PAIR_VARIANTS) {
                let seq: Vec<String> = a.iter().chain(b.iter()).cloned().collect();
                let w = variant_weight(*wa) * variant_weight(*wb);
                disjuncts.push(boosted(
                    term_or_phrase(fields.text, &seq, PAIR_SLOP),
                    PAIR_BOOST * w,
                ));
            }
        }
        clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(disjuncts))));
    }

    // The paper's own labels: "SG01", "LAC 01", "4.1.7".
    let mut plain = analysis::plain();
    for token in analysis::tokens(&mut plain, &parsed.free) {
        if analysis::STOP_WORDS.contains(&token.as_str()) {
            continue;
        }
        let q = TermQuery::new(
            Term::from_field_text(fields.reference, &token),
            IndexRecordOption::WithFreqs,
        );
        clauses.push((Occur::Should, boosted(Box::new(q), 3.0)));
    }

    let mut english = analysis::english();
    for phrase in &parsed.required {
        let seq = analysis::tokens(&mut english, phrase);
        if seq.is_empty() {
            continue;
        }
        let disjuncts: Vec<Box<dyn Query>> = weighted
            .iter()
            .filter(|(_, _, stemmed)| *stemmed)
            .map(|&(field, fw, _)| boosted(term_or_phrase(field, &seq, 0), fw))
            .collect();
        clauses.push((
            Occur::Must,
            Box::new(DisjunctionMaxQuery::with_tie_breaker(disjuncts, UNIT_TIE)),
        ));
    }
    let mut excluded = 0;
    for phrase in &parsed.excluded {
        let seq = analysis::tokens(&mut english, phrase);
        if seq.is_empty() {
            continue;
        }
        let disjuncts: Vec<Box<dyn Query>> = weighted
            .iter()
            .filter(|(_, _, s)| *s)
            .map(|&(field, _, _)| term_or_phrase(field, &seq, 0))
            .collect();
        clauses.push((
            Occur::MustNot,
            Box::new(DisjunctionMaxQuery::new(disjuncts)),
        ));
        excluded += 1;
    }
    if clauses.len() == excluded {
        // Nothing positive to look for: every entry (minus exclusions) matches, so
        // filters alone can list a council's plan.
        if parsed.free.trim().is_empty() && parsed.required.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        } else {
            // The user typed only stop words.
            return (Box::new(EmptyQuery), units);
        }
    }
    (Box::new(BooleanQuery::new(clauses)), units)
}

/// The share of `units` an entry's own words cover, from 0 to 1. Synonyms count
/// fully, broader terms half. Text the entry only inherits (its recommendation,
/// its parent action) does not count: that is what makes the most specific entry
/// rank first.
pub(crate) fn coverage(units: &[Unit], own: &[(Vec<String>, f32)]) -> f32 {
    if units.is_empty() {
        return 1.0;
    }
    let mut sum = 0.0;
    for unit in units {
        let mut best: f32 = 0.0;
        for (seq, w) in &unit.variants {
            let kind = if *w == Weight::Broader { 0.5 } else { 1.0 };
            for (toks, weight) in own {
                if toks.windows(seq.len()).any(|win| win == seq.as_slice()) {
                    best = best.max(kind * weight);
                }
            }
        }
        sum += best;
    }
    sum / units.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_phrases_and_exclusions() {
        let p = parse(r#"CAMHS "adult ward" -"learning disability" -audit under-18"#);
        assert_eq!(p.free, "CAMHS under-18");
        assert_eq!(p.required, ["adult ward"]);
        assert_eq!(p.excluded, ["learning disability", "audit"]);
    }

    #[test]
    fn units_follow_the_vocabulary() {
        let v = Vocabulary::builtin();
        let u = units("CAMHS for the under-18s on adult wards", &v);
        // camhs, under-18s, adult, ward ("for", "the", "on" dropped)
        assert_eq!(u.len(), 4, "{u:?}");
        assert!(u[1].variants.iter().any(|(v, _)| v == &["u18".to_owned()]));
    }
}
