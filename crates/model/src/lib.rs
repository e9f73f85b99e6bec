//! The action-plan data model: what every extractor ultimately produces and every
//! consumer (JSON export, search index, dataset) reads.
//!
//! Invariants:
//! - This crate does no I/O and knows nothing about file formats.
//! - Every change to the serialized shape bumps [`SCHEMA_VERSION`] and updates
//!   `schema/document.schema.json` (checked by a test).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the serialized [`Document`] shape. Bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One input file turned into a structured action plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Always [`SCHEMA_VERSION`] for documents written by this build.
    pub schema_version: u32,
    /// Stable identifier: the first 16 hex digits of the SHA-256 of the file's bytes.
    pub id: String,
    /// Where the document came from.
    pub source: Source,
    /// Issuing council or partnership, e.g. "Kent County Council".
    pub council: Option<String>,
    /// Title of the paper (or of the main paper in a pack).
    pub title: Option<String>,
    /// Date of the meeting or publication: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    /// Committee or board the paper goes to.
    pub committee: Option<String>,
    /// Papers inside the file; an agenda pack holds many.
    #[serde(default)]
    pub papers: Vec<Paper>,
    /// Every recommendation list found, in reading order.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    /// Inspection judgements, e.g. "Safeguarding — adequate (2)".
    #[serde(default)]
    pub grades: Vec<Grade>,
    /// Acronym list entries.
    #[serde(default)]
    pub glossary: Vec<GlossaryEntry>,
    /// What looked odd or was skipped during extraction; never fatal.
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

/// Provenance of the whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// Path as given on the command line or found by import.
    pub path: String,
    /// Which backend read it.
    pub format: SourceFormat,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Number of pages (for text exports: pages inferred from running headers).
    pub pages: u32,
    /// Text encoding the file was decoded from ("utf-8", "windows-1252", …); none for PDF
    /// and Word documents.
    pub encoding: Option<String>,
    /// Name and version of the extractor that produced this document.
    pub extractor: String,
}

/// The reader that produced a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// Plain-text export (may contain markdown headings, tabs and HTML fragments).
    Text,
    /// An HTML page.
    Html,
    /// A PDF with a text layer.
    Pdf,
    /// A Word document (.docx, Office Open XML).
    Docx,
}

/// One paper inside a file (cover report, minutes, appendix, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Paper {
    pub title: String,
    pub kind: PaperKind,
    pub author: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    pub page_start: u32,
    pub page_end: u32,
}

/// What sort of paper this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    Agenda,
    Minutes,
    Report,
    ActionPlan,
    Appendix,
    Other,
}

/// A recommendation: from an inspectorate, a committee, or a plan's own priority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Recommendation {
    /// Unique within the document, e.g. "r3".
    pub id: String,
    /// The paper's own label, e.g. "1", "4.10.1", "Priority 2"; none for bullets.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    /// Normalized timeframe, where the paper gives one we recognise.
    pub timeframe: Option<Timeframe>,
    /// The timeframe wording as printed ("Within three months"), kept even when
    /// `timeframe` is none.
    pub timeframe_raw: Option<String>,
    /// Who the recommendation is addressed to ("The local partnership", "Cabinet").
    pub addressee: Option<String>,
    /// Strategic lead named for the recommendation.
    pub lead: Option<String>,
    /// Measures stated for the recommendation as a whole (key PIs, indicators).
    #[serde(default)]
    pub measures: Vec<String>,
    /// Heading of the list this came from ("Immediate action", "Recommendations").
    pub list: Option<String>,
    /// Index into [`Document::papers`].
    pub paper: Option<usize>,
    /// 1-based page.
    pub page: u32,
    /// 1-based line in the source text, where the source has lines.
    pub line: Option<u32>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// How soon an inspectorate expects a recommendation to be acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timeframe {
    Immediate,
    SixMonths,
    LongerTerm,
}

/// One action (or, nested in `steps`, one step of an action).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Action {
    /// Unique within the document, e.g. "r3.a2" or "r3.a2.s1".
    pub id: String,
    /// The paper's own label ("SG01", "2.1.3", "b").
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    #[serde(default)]
    pub lead: Vec<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    pub resources: Option<String>,
    pub timescale: Option<Timescale>,
    #[serde(default)]
    pub measures: Vec<String>,
    /// Progress or RAG status as printed ("Completed", "On track").
    pub status: Option<String>,
    /// Progress commentary or notes printed with the action ("Progress to date", an
    /// update narrative).
    pub progress: Option<String>,
    /// 1-based page.
    pub page: u32,
    /// 1-based line in the source text, where the source has lines.
    pub line: Option<u32>,
    /// Index of the source table within the document (0-based), if from a table.
    pub table: Option<u32>,
    /// Index of the row within that table (0-based, header rows included).
    pub row: Option<u32>,
    #[serde(default)]
    pub steps: Vec<Action>,
}

/// When an action is due: the raw text plus what could be parsed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Timescale {
    /// The wording as printed.
    pub raw: String,
    /// Earliest date mentioned as a start: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub start: Option<String>,
    /// The due date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub due: Option<String>,
}

/// An inspection judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Grade {
    pub area: String,
    /// 1 (inadequate) to 4 (outstanding).
    pub grade: u8,
    pub label: Option<String>,
    pub page: u32,
}

/// One entry of an acronym list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GlossaryEntry {
    pub term: String,
    pub expansion: String,
}

/// Something the extractor noticed but could work around.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Diagnostic {
    pub page: Option<u32>,
    pub message: String,
}

/// The JSON Schema of [`Document`], pretty-printed.
pub fn document_schema() -> String {
    let schema = schemars::schema_for!(Document);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}

impl Action {
    /// An action with only its text and page; every other field empty.
    pub fn new(text: impl Into<String>, page: u32) -> Action {
        Action {
            id: String::new(),
            reference: None,
            text: text.into(),
            lead: Vec::new(),
            partners: Vec::new(),
            resources: None,
            timescale: None,
            measures: Vec::new(),
            status: None,
            progress: None,
            page,
            line: None,
            table: None,
            row: None,
            steps: Vec::new(),
        }
    }
}

impl Recommendation {
    /// A recommendation with only its text and page; every other field empty.
    pub fn new(text: impl Into<String>, page: u32) -> Recommendation {
        Recommendation {
            id: String::new(),
            reference: None,
            text: text.into(),
            timeframe: None,
            timeframe_raw: None,
            addressee: None,
            lead: None,
            measures: Vec::new(),
            list: None,
            paper: None,
            page,
            line: None,
            actions: Vec::new(),
        }
    }
}

impl Document {
    /// Every action in the document, steps included, depth first.
    pub fn all_actions(&self) -> impl Iterator<Item = (&Recommendation, &Action)> {
        self.recommendations.iter().flat_map(|r| {
            let mut out = Vec::new();
            for a in &r.actions {
                push_with_steps(a, &mut out);
            }
            out.into_iter().map(move |a| (r, a))
        })
    }
}

fn push_with_steps<'a>(a: &'a Action, out: &mut Vec<&'a Action>) {
    out.push(a);
    for s in &a.steps {
        push_with_steps(s, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_schema_matches_types() {
        let committed = include_str!("../../../schema/document.schema.json");
        let current = document_schema();
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(
                concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/document.schema.json"),
                &current,
            )
            .expect("write schema");
            return;
        }
        assert_eq!(
            committed, current,
            "schema/document.schema.json is stale: run `UPDATE_EXPECT=1 cargo test -p actionplan-model` and review"
        );
    }

    #[test]
    fn reference_serializes_as_ref() {
        let t = Timescale { raw: "Dec 2008".into(), start: None, due: Some("2008-12".into()) };
        let a = Action { id: "r1.a1".into(), reference: Some("1.1".into()), timescale: Some(t), ..Action::new("Do it", 1) };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["ref"], "1.1");
        assert!(v.get("reference").is_none());
    }
}
