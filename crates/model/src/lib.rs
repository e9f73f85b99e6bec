//! The action-plan data model: what every extractor ultimately produces and every
//! consumer (JSON export, search index, dataset) reads.
//!
//! Invariants:
//! - This crate does no I/O and knows nothing about file formats.
//! - Every change to the serialized shape bumps [`SCHEMA_VERSION`] and updates
//!   `schema/document.schema.json` (checked by a test).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod date;
pub mod id;
pub use date::{cmp_date_strings, PartialDate, Precision};
pub use id::{document_id, sha256_hex};

/// Version of the serialized [`Document`] shape. Bump on any incompatible change.
///
/// Version 2 replaced the three-valued timeframe of version 1 with [`Timeframe`] and
/// added [`Timescale::timeframe`]; version-1 documents still deserialize.
///
/// Version 3 added the decisions of minutes ([`Document::decisions`]), the normalised
/// status of an action ([`Action::state`]) and what a recommendation is
/// ([`Recommendation::kind`]); version-1 and -2 documents still deserialize (the new
/// fields are empty).
pub const SCHEMA_VERSION: u32 = 3;

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
    /// Decisions recorded in minutes ("RESOLVED that …", "Agreed:", "The Committee
    /// noted …"), in reading order. Absent before schema version 3.
    #[serde(default)]
    pub decisions: Vec<Decision>,
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
    /// Normalized timeframe of the list or parenthesis the recommendation came with,
    /// where the paper gives one we recognise.
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
    /// What the recommendation is: part of a plan, or a report's ask of the meeting it
    /// goes to ("The Board is asked to note …"). Absent before schema version 3 (read
    /// as `plan`).
    #[serde(default)]
    pub kind: RecommendationKind,
    /// 1-based page.
    pub page: u32,
    /// 1-based line in the source text, where the source has lines.
    pub line: Option<u32>,
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// What a [`Recommendation`] is.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RecommendationKind {
    /// A recommendation of an inspectorate, a committee or a plan, to be acted on.
    #[default]
    Plan,
    /// What a report or cover sheet asks the meeting it goes to ("Members are asked to
    /// note / approve / agree …", "The Board is asked to receive …"): the meeting's
    /// business, kept with its paper but not a plan's recommendation.
    Ask,
}

impl RecommendationKind {
    /// The name used in JSON, CSV, SQLite and search filters.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A decision recorded in minutes: one resolution, or one lettered or numbered part of
/// it ("RESOLVED that (a) … (b) …" gives two).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Decision {
    /// Unique within the document, e.g. "d3".
    pub id: String,
    /// The minute number of the item the decision was taken under ("80", "22/18",
    /// "306"); none when the minutes number no items.
    pub minute: Option<String>,
    /// The title of that item ("Provisional Local Government Finance Settlement").
    pub item: Option<String>,
    /// The part's own label within the resolution ("a", "2"); none for a resolution of
    /// one part.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// What was decided, as printed (without the "RESOLVED that" opener).
    pub text: String,
    /// What sort of decision it is.
    pub kind: DecisionKind,
    /// The opener as printed ("RESOLVED that", "Agreed:", "The Committee noted").
    pub opener: Option<String>,
    /// Ids of the actions the decision gave ("… delegate … to the Corporate Director").
    #[serde(default)]
    pub actions: Vec<String>,
    /// Index into [`Document::papers`].
    pub paper: Option<usize>,
    /// 1-based page.
    pub page: u32,
    /// 1-based line in the source text, where the source has lines.
    pub line: Option<u32>,
}

/// The sort of a [`Decision`], read from its wording.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DecisionKind {
    /// Resolved, with no more specific verb ("RESOLVED that the minutes be signed").
    Resolved,
    /// Agreed to do something ("Agreed: to write to …", "agree to submit a request").
    Agreed,
    /// Noted, received or endorsed ("The Committee noted the report").
    Noted,
    /// Approved, adopted or ratified ("approve the revised budget").
    Approved,
    /// Recommended to another body ("RESOLVED to recommend to Cabinet that …").
    Recommended,
    /// Delegated to an officer or member ("delegate authority to the Director …").
    Delegated,
    /// Deferred or adjourned to a later meeting.
    Deferred,
    /// Rejected, refused or not agreed (a motion or amendment lost).
    Rejected,
}

impl DecisionKind {
    /// Every kind.
    pub const ALL: [DecisionKind; 8] = [
        DecisionKind::Resolved,
        DecisionKind::Agreed,
        DecisionKind::Noted,
        DecisionKind::Approved,
        DecisionKind::Recommended,
        DecisionKind::Delegated,
        DecisionKind::Deferred,
        DecisionKind::Rejected,
    ];

    /// The name used in JSON, CSV, SQLite and data files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind named `name` (as [`DecisionKind::as_str`] spells it).
    pub fn from_name(name: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// An action's status, normalised from what the paper printed ("Propose closure: …",
/// "Completed", "Green", "On track", "Not started", "Carried forward").
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ActionState {
    /// Not started, or open with no progress stated.
    Open,
    /// Under way, on track, or with progress reported.
    InProgress,
    /// Done, achieved, delivered.
    Complete,
    /// Closed (by the meeting or log that carried it).
    Closed,
    /// Proposed for closure at the next meeting.
    ProposedForClosure,
    /// Late, off track, behind schedule.
    Overdue,
    /// Deferred, on hold, carried forward to a later date.
    Deferred,
}

impl ActionState {
    /// Every state.
    pub const ALL: [ActionState; 7] = [
        ActionState::Open,
        ActionState::InProgress,
        ActionState::Complete,
        ActionState::Closed,
        ActionState::ProposedForClosure,
        ActionState::Overdue,
        ActionState::Deferred,
    ];

    /// The name used in JSON, CSV, SQLite, data files and search filters.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The state named `name` (as [`ActionState::as_str`] spells it).
    pub fn from_name(name: &str) -> Option<ActionState> {
        ActionState::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// How soon something is to be done, normalised from whatever the paper printed
/// ("Immediately", "Within three months", "Short/Medium", "0–6 months", "Year 1",
/// "by the next inspection", "Ongoing", "Quarterly", "Complete"). The printed wording
/// is kept beside it (`Recommendation::timeframe_raw`, `Timescale::raw`).
///
/// Months count from the paper's own date. A combination ("Short/Medium/Long") has the
/// earliest horizon and the span of all its parts.
///
/// Schema version 1 wrote a timeframe as one of the strings `"immediate"`,
/// `"six_months"` and `"longer_term"`; those still deserialize (see
/// [`Timeframe::from_v1`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
pub struct Timeframe {
    /// The kind of timeframe; for combinations, the earliest.
    pub horizon: Horizon,
    /// Earliest month (counted from the paper's date) the work falls in; none means
    /// from the start ("within six months", "0–6 months"). For `recurring`: none.
    pub months_min: Option<u16>,
    /// Latest month the work is due by; none when open-ended ("long term", "Medium/Long")
    /// or not stated ("Immediately", "Ongoing"). For `recurring`: the interval between
    /// repetitions where one is stated ("Quarterly" 3, "Annually" 12).
    pub months_max: Option<u16>,
    /// For `event`: the event the work is due by ("by the next inspection").
    pub event: Option<Event>,
}

/// The kind of a [`Timeframe`], in order from earliest to latest (the order in which a
/// combination picks its horizon).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Horizon {
    /// Already done when the paper was written ("Complete", "Achieved").
    Complete,
    /// "Immediately", "Priority and immediate action", "Urgent".
    Immediate,
    /// Short term, or a stated span starting within the short-term band ("within three
    /// months", "0–6 months", "Year 1").
    Short,
    /// Medium term ("Medium term", "Years 2-3", "12-24 months").
    Medium,
    /// Long term ("Longer term", "Long", "within 5 years").
    Long,
    /// Continuing work with no end ("Ongoing", "Continuous", "Business as usual").
    Ongoing,
    /// Repeated at intervals ("Annually", "Quarterly", "Every six months").
    Recurring,
    /// Due by an event rather than a date ("by the next inspection", "next Board meeting").
    Event,
}

/// The event an `event` timeframe is due by.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Event {
    /// The next (re-)inspection.
    Inspection,
    /// The next review of the plan or service.
    Review,
    /// The next meeting of a board or committee.
    Meeting,
    /// Anything else ("on completion of the restructure").
    Other,
}

impl Horizon {
    /// The name used in JSON, CSV, SQLite and search filters.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every horizon, earliest first.
    pub const ALL: [Horizon; 8] = [
        Horizon::Complete,
        Horizon::Immediate,
        Horizon::Short,
        Horizon::Medium,
        Horizon::Long,
        Horizon::Ongoing,
        Horizon::Recurring,
        Horizon::Event,
    ];

    /// The horizon named `name` (as [`Horizon::as_str`] spells it).
    pub fn from_name(name: &str) -> Option<Horizon> {
        Horizon::ALL.into_iter().find(|h| h.as_str() == name)
    }
}

impl Event {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The event named `name` (as [`Event::as_str`] spells it).
    pub fn from_name(name: &str) -> Option<Event> {
        [
            Event::Inspection,
            Event::Review,
            Event::Meeting,
            Event::Other,
        ]
        .into_iter()
        .find(|e| e.as_str() == name)
    }
}

#[allow(non_upper_case_globals)]
impl Timeframe {
    /// A timeframe of `horizon` with no months and no event.
    pub const fn new(horizon: Horizon) -> Timeframe {
        Timeframe {
            horizon,
            months_min: None,
            months_max: None,
            event: None,
        }
    }

    /// Schema version 1's `immediate`.
    pub const Immediate: Timeframe = Timeframe::new(Horizon::Immediate);
    /// Schema version 1's `six_months`: short, due within six months.
    pub const SixMonths: Timeframe = Timeframe {
        months_max: Some(6),
        ..Timeframe::new(Horizon::Short)
    };
    /// Schema version 1's `longer_term`.
    pub const LongerTerm: Timeframe = Timeframe::new(Horizon::Long);

    /// The timeframe a schema-version-1 name stands for.
    pub fn from_v1(name: &str) -> Option<Timeframe> {
        match name {
            "immediate" => Some(Timeframe::Immediate),
            "six_months" => Some(Timeframe::SixMonths),
            "longer_term" => Some(Timeframe::LongerTerm),
            _ => None,
        }
    }

    /// The schema-version-1 name of this timeframe, where version 1 could express it
    /// (immediate; short within six months; long).
    pub fn v1_name(&self) -> Option<&'static str> {
        match (self.horizon, self.months_min, self.months_max) {
            (Horizon::Immediate, _, _) => Some("immediate"),
            (Horizon::Short, None, Some(6)) => Some("six_months"),
            (Horizon::Long, _, _) => Some("longer_term"),
            _ => None,
        }
    }
}

/// A short reading of the timeframe: "immediate", "short term (up to 6 months)",
/// "medium term (12–36 months)", "long term (from 36 months)", "recurring (every 3
/// months)", "by the next inspection".
impl std::fmt::Display for Timeframe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.horizon {
            Horizon::Short | Horizon::Medium | Horizon::Long => {
                write!(f, "{} term", self.horizon.as_str())?;
                match (self.months_min, self.months_max) {
                    (None, None) => Ok(()),
                    (None, Some(hi)) => write!(f, " (up to {hi} months)"),
                    (Some(lo), None) => write!(f, " (from {lo} months)"),
                    (Some(lo), Some(hi)) => write!(f, " ({lo}–{hi} months)"),
                }
            }
            Horizon::Recurring => match self.months_max {
                Some(1) => f.write_str("recurring (monthly)"),
                Some(n) => write!(f, "recurring (every {n} months)"),
                None => f.write_str("recurring"),
            },
            Horizon::Event => match self.event {
                Some(Event::Other) | None => f.write_str("by an event"),
                Some(e) => write!(f, "by the next {}", e.as_str()),
            },
            h => f.write_str(h.as_str()),
        }
    }
}

impl<'de> Deserialize<'de> for Timeframe {
    /// Reads the version-2 object, or a version-1 name ("immediate", "six_months",
    /// "longer_term").
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            V1(String),
            V2 {
                horizon: Horizon,
                #[serde(default)]
                months_min: Option<u16>,
                #[serde(default)]
                months_max: Option<u16>,
                #[serde(default)]
                event: Option<Event>,
            },
        }
        use serde::de::Error;
        let repr = Repr::deserialize(d).map_err(|_| {
            D::Error::custom(
                "a timeframe is an object {horizon, months_min, months_max, event} with horizon one of complete, \
                 immediate, short, medium, long, ongoing, recurring, event (or, from schema version 1, one of \
                 \"immediate\", \"six_months\", \"longer_term\")",
            )
        })?;
        match repr {
            Repr::V2 { horizon, months_min, months_max, event } => Ok(Timeframe { horizon, months_min, months_max, event }),
            Repr::V1(name) => Timeframe::from_v1(&name).ok_or_else(|| {
                D::Error::custom(format!(
                    "unknown timeframe {name:?}: schema version 1 timeframes are \"immediate\", \"six_months\" and \"longer_term\""
                ))
            }),
        }
    }
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
    /// Progress or RAG status as printed ("Completed", "On track", "Propose closure:
    /// report received").
    pub status: Option<String>,
    /// `status` normalised, where its wording is one we know. Absent before schema
    /// version 3.
    #[serde(default)]
    pub state: Option<ActionState>,
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
    /// The wording read as a timeframe ("Short/Medium", "0-6 months", "Ongoing",
    /// "Quarterly"); none for plain dates. Absent in schema version 1.
    #[serde(default)]
    pub timeframe: Option<Timeframe>,
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
            state: None,
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
            kind: RecommendationKind::Plan,
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

    /// One spelling per variant: the name in JSON (serde) is the name of `as_str` and
    /// `FromStr` (strum), for every variant of every enum written as a string.
    #[test]
    fn enum_names_agree_between_json_and_strings() {
        fn check<T>()
        where
            T: strum::VariantArray
                + Serialize
                + std::str::FromStr
                + PartialEq
                + std::fmt::Debug
                + Copy,
            &'static str: From<T>,
        {
            for v in T::VARIANTS {
                let name: &'static str = (*v).into();
                assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{name}\""));
                assert_eq!(name.parse::<T>().ok(), Some(*v), "{name}");
            }
        }
        check::<RecommendationKind>();
        check::<DecisionKind>();
        check::<ActionState>();
        check::<Horizon>();
        check::<Event>();
        assert_eq!(
            ActionState::ProposedForClosure.as_str(),
            "proposed_for_closure"
        );
    }

    #[test]
    fn committed_schema_matches_types() {
        let committed = include_str!("../../../schema/document.schema.json");
        let current = document_schema();
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../schema/document.schema.json"
                ),
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
    fn committed_v1_documents_deserialize() {
        let leicester: Document = serde_json::from_str(include_str!(
            "../../../fixtures/schema/v1/leicester_2008_jar_action_plan_cabinet_report.json"
        ))
        .expect("v1 Leicester document reads");
        assert_eq!(leicester.schema_version, 1);
        // Fields added since (v3) take their defaults.
        assert!(leicester.decisions.is_empty());
        assert!(leicester
            .recommendations
            .iter()
            .all(|r| r.kind == RecommendationKind::Plan));
        assert!(leicester
            .recommendations
            .iter()
            .flat_map(|r| &r.actions)
            .all(|a| a.state.is_none()));
        let tfs: Vec<Option<Timeframe>> = leicester
            .recommendations
            .iter()
            .map(|r| r.timeframe)
            .collect();
        for want in [
            Timeframe::Immediate,
            Timeframe::SixMonths,
            Timeframe::LongerTerm,
        ] {
            assert!(tfs.contains(&Some(want)), "{want:?} missing from {tfs:?}");
        }
        assert_eq!(
            Timeframe::SixMonths,
            Timeframe {
                horizon: Horizon::Short,
                months_min: None,
                months_max: Some(6),
                event: None
            }
        );
        let kingston: Document = serde_json::from_str(include_str!(
            "../../../fixtures/schema/v1/kingston_2007_jar_enhanced_youth_inspection_action_plan.json"
        ))
        .expect("v1 Kingston document reads");
        let timescales: Vec<&Timescale> = kingston
            .all_actions()
            .filter_map(|(_, a)| a.timescale.as_ref())
            .collect();
        assert!(!timescales.is_empty());
        assert!(timescales.iter().all(|t| t.timeframe.is_none()));
        // Written again, a v1 document takes the v2 shape and reads back the same.
        let again: Document =
            serde_json::from_str(&serde_json::to_string(&kingston).unwrap()).unwrap();
        assert_eq!(again, kingston);
    }

    #[test]
    fn timeframes_serialize_as_objects_and_read_both_versions() {
        let tf = Timeframe {
            horizon: Horizon::Short,
            months_min: Some(6),
            months_max: Some(12),
            event: None,
        };
        let v = serde_json::to_value(tf).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"horizon": "short", "months_min": 6, "months_max": 12, "event": null})
        );
        assert_eq!(serde_json::from_value::<Timeframe>(v).unwrap(), tf);
        let cases = [
            (
                serde_json::json!("immediate"),
                Some(Timeframe::new(Horizon::Immediate)),
            ),
            (
                serde_json::json!("six_months"),
                Some(Timeframe {
                    months_max: Some(6),
                    ..Timeframe::new(Horizon::Short)
                }),
            ),
            (
                serde_json::json!("longer_term"),
                Some(Timeframe::new(Horizon::Long)),
            ),
            (
                serde_json::json!({"horizon": "event", "event": "inspection"}),
                Some(Timeframe {
                    event: Some(Event::Inspection),
                    ..Timeframe::new(Horizon::Event)
                }),
            ),
            (
                serde_json::json!({"horizon": "ongoing"}),
                Some(Timeframe::new(Horizon::Ongoing)),
            ),
            (serde_json::json!("soon"), None),
            (serde_json::json!("short"), None),
            (serde_json::json!({"horizon": "sometime"}), None),
            (serde_json::json!(3), None),
        ];
        for (json, want) in cases {
            let got = serde_json::from_value::<Timeframe>(json.clone()).ok();
            assert_eq!(got, want, "{json}");
        }
        // A v1 timescale (no `timeframe` key) reads with none.
        let t: Timescale =
            serde_json::from_str(r#"{"raw": "Dec 2008", "start": null, "due": "2008-12"}"#)
                .unwrap();
        assert_eq!(t.timeframe, None);
    }

    #[test]
    fn v1_names_and_labels() {
        assert_eq!(Timeframe::Immediate.v1_name(), Some("immediate"));
        assert_eq!(Timeframe::SixMonths.v1_name(), Some("six_months"));
        assert_eq!(Timeframe::LongerTerm.v1_name(), Some("longer_term"));
        let three = Timeframe {
            months_max: Some(3),
            ..Timeframe::new(Horizon::Short)
        };
        assert_eq!(three.v1_name(), None);
        assert_eq!(Timeframe::new(Horizon::Medium).v1_name(), None);
        assert_eq!(three.to_string(), "short term (up to 3 months)");
        assert_eq!(
            Timeframe {
                months_min: Some(12),
                months_max: Some(36),
                ..Timeframe::new(Horizon::Medium)
            }
            .to_string(),
            "medium term (12–36 months)"
        );
        assert_eq!(
            Timeframe {
                months_min: Some(36),
                ..Timeframe::new(Horizon::Long)
            }
            .to_string(),
            "long term (from 36 months)"
        );
        assert_eq!(
            Timeframe {
                months_max: Some(3),
                ..Timeframe::new(Horizon::Recurring)
            }
            .to_string(),
            "recurring (every 3 months)"
        );
        assert_eq!(
            Timeframe {
                event: Some(Event::Inspection),
                ..Timeframe::new(Horizon::Event)
            }
            .to_string(),
            "by the next inspection"
        );
        assert_eq!(Timeframe::new(Horizon::Ongoing).to_string(), "ongoing");
        for h in Horizon::ALL {
            assert_eq!(Horizon::from_name(h.as_str()), Some(h));
            assert_eq!(serde_json::to_value(h).unwrap(), h.as_str());
        }
        assert!(
            Horizon::Complete < Horizon::Immediate
                && Horizon::Short < Horizon::Long
                && Horizon::Long < Horizon::Ongoing
        );
    }

    #[test]
    fn reference_serializes_as_ref() {
        let t = Timescale {
            raw: "Dec 2008".into(),
            start: None,
            due: Some("2008-12".into()),
            timeframe: None,
        };
        let a = Action {
            id: "r1.a1".into(),
            reference: Some("1.1".into()),
            timescale: Some(t),
            ..Action::new("Do it", 1)
        };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["ref"], "1.1");
        assert!(v.get("reference").is_none());
    }
}
