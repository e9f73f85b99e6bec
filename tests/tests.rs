//! Corpus-level tests, one binary: golden expectations for every corpus paper,
//! generalisation to rewritten layouts, and robustness on bad and mutated input.

mod generalize;
mod golden;
mod meetings;
mod parity;
mod robustness;
mod tidy;
