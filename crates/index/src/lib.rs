//! Cross-council search over action plans: a tantivy index with one entry per action
//! (steps included) and per recommendation, domain-aware text analysis, ranking and
//! the relevance harness that keeps the ranking honest.
//!
//! Invariants:
//! - The only crate in the workspace that depends on tantivy.
//! - Prints nothing; every outcome is a value or an [`Error`].
//! - Every index directory carries [`META_FILE`] with [`INDEX_FORMAT_VERSION`]; an index
//!   of another version is refused with a rebuild message, never read.

mod analysis;
mod error;
mod hit;
mod meta;
mod query;
pub mod relevance;
mod schema;
mod search;
mod store;
mod vocabulary;

pub use error::{Error, Result};
pub use hit::{DocumentContext, Hit, HitKind, ParentContext};
pub use search::{
    truncate_query, FacetCount, Facets, OtherSource, ScoredHit, SearchRequest, SearchResults,
    Snippet, MAX_LIMIT, MAX_QUERY_CHARS, MAX_QUERY_WORDS,
};
pub use store::{AddOutcome, IndexStats, SearchIndex};
pub use vocabulary::Vocabulary;

/// Version of the on-disk index (schema, analyzers, stored hit shape). Bump on any
/// change that makes an existing index answer differently; older indexes are refused.
///
/// Version 2: stored hits carry schema-version-2 timeframes (and timescales with their
/// own timeframe); the timeframe filter field holds horizons.
pub const INDEX_FORMAT_VERSION: u32 = 2;

/// The file beside tantivy's own files that marks a directory as an actionplan index.
pub const META_FILE: &str = "actionplan-index.json";

/// Lowercase hex SHA-256 of some bytes: how papers are recognised as unchanged
/// (the model's one rule, re-exported for index users).
pub use actionplan_model::sha256_hex;

#[cfg(test)]
mod tests;
