//! Layout to model. Placeholder until the normalizer lands.
use actionplan_layout::Layout;
use actionplan_model::{Document, Source, SCHEMA_VERSION};
pub mod timescale;
pub fn normalize(layout: &Layout, source: Source, id: String) -> Document {
    let _ = layout;
    Document { schema_version: SCHEMA_VERSION, id, source, council: None, title: None, date: None, committee: None,
        papers: vec![], recommendations: vec![], grades: vec![], glossary: vec![], diagnostics: vec![] }
}
