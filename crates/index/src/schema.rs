//! The tantivy schema: which fields exist, how each is analysed, and what is stored.
//! Only the `hit` field is stored (the whole result as JSON); every other field
//! exists to be searched, filtered or counted.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};

use crate::analysis;

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Source path of the document the entry came from: the re-indexing key.
    pub path: Field,
    /// "action", "step" or "recommendation".
    pub kind: Field,
    /// The entry's own words: action, step or recommendation text.
    pub text: Field,
    /// The paper's own label ("SG01", "2.1.3"), word for word.
    pub reference: Field,
    /// Steps of an action (searched as part of the action).
    pub steps: Field,
    /// Measures, indicators, success criteria.
    pub measures: Field,
    /// Leads and partners.
    pub people: Field,
    /// Text the entry sits under: its recommendation, its parent action.
    pub context: Field,
    /// Timescale wording, resources, status and progress notes.
    pub timescale: Field,
    /// Council, paper title, committee, list heading.
    pub about: Field,
    /// Council name for the `--council` filter (unstemmed).
    pub council_key: Field,
    /// Lead names for the `--lead` filter (unstemmed).
    pub lead_key: Field,
    /// Timeframe horizons ("immediate", "short", "medium", …) of the recommendation and of
    /// the entry's own timescale.
    pub timeframe: Field,
    /// Earliest and latest day the document date may mean, as YYYYMMDD.
    pub date_lo: Field,
    pub date_hi: Field,
    /// `/council/<name>` and `/year/<yyyy>` facets.
    pub facets: Field,
    /// The stored [`crate::Hit`] as JSON.
    pub hit: Field,
}

/// Names of the searchable text fields with their ranking weight. The entry's own
/// text outranks its measures; context inherited from the recommendation counts least.
pub(crate) const WEIGHTS: &[(&str, f32)] = &[
    ("text", 3.0),
    ("ref", 3.0),
    ("steps", 1.2),
    ("measures", 1.0),
    ("people", 1.0),
    ("context", 0.6),
    ("timescale", 0.5),
    ("about", 0.5),
];

fn text(analyzer: &str, positions: bool) -> TextOptions {
    let record = if positions {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    )
}

pub(crate) fn build() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("path", STRING);
    b.add_text_field("kind", STRING);
    b.add_text_field("text", text(analysis::ENGLISH, true));
    b.add_text_field("ref", text(analysis::PLAIN, true));
    b.add_text_field("steps", text(analysis::ENGLISH, true));
    b.add_text_field("measures", text(analysis::ENGLISH, true));
    b.add_text_field("people", text(analysis::ENGLISH, true));
    b.add_text_field("context", text(analysis::ENGLISH, true));
    b.add_text_field("timescale", text(analysis::ENGLISH, true));
    b.add_text_field("about", text(analysis::ENGLISH, true));
    b.add_text_field("council_key", text(analysis::PLAIN, true));
    b.add_text_field("lead_key", text(analysis::PLAIN, true));
    b.add_text_field("timeframe", STRING);
    let date = NumericOptions::default() | INDEXED | FAST;
    b.add_u64_field("date_lo", date.clone());
    b.add_u64_field("date_hi", date);
    b.add_facet_field("facets", tantivy::schema::FacetOptions::default());
    b.add_text_field("hit", STORED);
    b.build()
}

/// Looks every field up by name; a missing one means the directory holds another schema.
pub(crate) fn fields(schema: &Schema) -> Result<Fields, String> {
    let f = |name: &str| {
        schema
            .get_field(name)
            .map_err(|_| format!("field `{name}` missing from the schema"))
    };
    Ok(Fields {
        path: f("path")?,
        kind: f("kind")?,
        text: f("text")?,
        reference: f("ref")?,
        steps: f("steps")?,
        measures: f("measures")?,
        people: f("people")?,
        context: f("context")?,
        timescale: f("timescale")?,
        about: f("about")?,
        council_key: f("council_key")?,
        lead_key: f("lead_key")?,
        timeframe: f("timeframe")?,
        date_lo: f("date_lo")?,
        date_hi: f("date_hi")?,
        facets: f("facets")?,
        hit: f("hit")?,
    })
}

impl Fields {
    /// The searchable text fields with their ranking weights.
    pub(crate) fn weighted(&self) -> Vec<(Field, f32, bool)> {
        WEIGHTS
            .iter()
            .map(|&(name, w)| {
                let field = match name {
                    "text" => self.text,
                    "ref" => self.reference,
                    "steps" => self.steps,
                    "measures" => self.measures,
                    "people" => self.people,
                    "context" => self.context,
                    "timescale" => self.timescale,
                    _ => self.about,
                };
                // The ref field is not stemmed: vocabulary variants never apply to it.
                (field, w, name != "ref")
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_has_every_field() {
        let s = super::build();
        assert!(super::fields(&s).is_ok());
        let _ = super::STRING;
    }
}
