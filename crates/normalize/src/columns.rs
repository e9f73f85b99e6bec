//! Column roles by meaning: a table column's header wording *and* its cells → the
//! field it holds. Councils word headers differently ("Lead", "Delivery by", "By
//! whom") or print none; a column of dates is a timescale and a column of team names
//! is a lead whatever its header says. The vocabularies are data (`data/`); this
//! module only scores evidence, like a type inferrer sampling cells.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::timescale::{self, DateContext};

/// The field a table column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The paper's own number for the row ("No", "Ref", "#").
    Reference,
    /// What will be done.
    Action,
    /// Who leads.
    Lead,
    /// Who else is involved.
    Partners,
    /// Money, staff, budget.
    Resources,
    /// When: deadlines, milestones.
    Timescale,
    /// How success is measured: outcomes, targets, indicators.
    Measures,
    /// RAG or completion status.
    Status,
    /// Progress commentary, updates, comments.
    Progress,
    /// The recommendation or weakness a row responds to.
    Recommendation,
    /// A grouping label repeated over rows (theme, workstream, scope).
    Theme,
}

impl Role {
    fn parse(name: &str) -> Option<Role> {
        Some(match name {
            "reference" => Role::Reference,
            "action" => Role::Action,
            "lead" => Role::Lead,
            "partners" => Role::Partners,
            "resources" => Role::Resources,
            "timescale" => Role::Timescale,
            "measures" => Role::Measures,
            "status" => Role::Status,
            "progress" => Role::Progress,
            "recommendation" => Role::Recommendation,
            "theme" => Role::Theme,
            _ => return None,
        })
    }

    /// Lower-case name, as in the data files and `--explain`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Reference => "reference",
            Role::Action => "action",
            Role::Lead => "lead",
            Role::Partners => "partners",
            Role::Resources => "resources",
            Role::Timescale => "timescale",
            Role::Measures => "measures",
            Role::Status => "status",
            Role::Progress => "progress",
            Role::Recommendation => "recommendation",
            Role::Theme => "theme",
        }
    }
}

/// The header rules in one set, searched in one pass: each pattern's role, in order.
struct Rules {
    roles: Vec<Role>,
    set: RegexSet,
}

/// Non-comment lines of a data file split on tabs: (first field, second field).
pub(crate) fn data_lines(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?.trim(), f.next()?.trim()))
        })
}

/// Header wordings, in order (the first match wins): `data/column_headers.tsv`.
static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let (roles, patterns): (Vec<Role>, Vec<String>) =
        data_lines(include_str!("../../../data/column_headers.tsv"))
            .filter_map(|(role, p)| Some((Role::parse(role)?, crate::pattern::data_source(p))))
            .filter(|(_, p)| Regex::new(p).is_ok())
            .unzip();
    let set = RegexSet::new(&patterns).expect("each header pattern compiles");
    Rules { roles, set }
});

/// Cell evidence kinds: `data/cell_lexicon.tsv`.
struct CellLexicon {
    lead: Vec<Regex>,
    status: Vec<Regex>,
    resource: Vec<Regex>,
    measure: Vec<Regex>,
}

static CELLS: LazyLock<CellLexicon> = LazyLock::new(|| {
    let mut lex = CellLexicon {
        lead: Vec::new(),
        status: Vec::new(),
        resource: Vec::new(),
        measure: Vec::new(),
    };
    for (kind, p) in data_lines(include_str!("../../../data/cell_lexicon.tsv")) {
        // Initials must stay case-sensitive; everything else is case-insensitive.
        let flags = if p.starts_with("^([A-Z]") { "" } else { "(?i)" };
        let Ok(re) = Regex::new(&format!("{flags}{p}")) else {
            continue;
        };
        match kind {
            "lead" => lex.lead.push(re),
            "status" => lex.status.push(re),
            "resource" => lex.resource.push(re),
            "measure" => lex.measure.push(re),
            _ => {}
        }
    }
    lex
});

/// Verbs that open an action: `data/action_verbs.txt`.
static VERBS: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../../data/action_verbs.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// True when `word` (any case) is an action verb from the vocabulary.
pub fn is_action_verb(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .to_lowercase();
    VERBS.contains(w.as_str())
}

/// True when a sentence opens like an action: an imperative verb ("Develop …"),
/// "We will …", "To …", "<Body> will …".
pub fn verb_first(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let second = words.next().unwrap_or("").to_lowercase();
    if is_action_verb(first) {
        return true;
    }
    let f = first.to_lowercase();
    (f == "we"
        && matches!(
            second.as_str(),
            "will" | "shall" | "are" | "intend" | "plan" | "propose" | "commit"
        ))
        || (f == "to" && is_action_verb(&second))
        || f == "we'll"
        || f == "we’ll"
}

/// The role of a header cell, if its wording names one.
pub fn role_of(header: &str) -> Option<Role> {
    let h = header.trim().trim_end_matches(':').trim();
    if h.is_empty() || h.len() > 80 {
        return None;
    }
    let first = RULES.set.matches(h).into_iter().next()?;
    RULES.roles.get(first).copied()
}

/// A header row mapped to roles, one per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    pub roles: Vec<Option<Role>>,
    /// The row's cells were glued together in the export (a reference and one text):
    /// the lead and timescale are read from the end of the text.
    pub glued: bool,
    /// A proposal → response table (consultation feedback, task-force proposals): the
    /// response is the action, and only its commitments ("KCC will provide …") count.
    pub responses: bool,
}

impl ColumnMap {
    /// Maps a row of header texts. Returns none unless the row reads as a header of
    /// an action table: an action column plus at least one of lead / timescale /
    /// measures / partners / resources / status, and every filled cell short and recognised.
    pub fn from_header(cells: &[String]) -> Option<ColumnMap> {
        let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
        // Headers are short labels; a row of long cells is data (and checking it is costly).
        if filled.len() < 2 || filled.iter().any(|c| c.len() > 80) {
            return None;
        }
        // A data row that happens to contain a keyword: more than a quarter of its
        // filled cells unrecognised (stop counting as soon as that is certain).
        let mut roles: Vec<Option<Role>> = Vec::with_capacity(cells.len());
        let mut unknown = 0;
        for c in cells {
            let role = role_of(c);
            if role.is_none() && !c.trim().is_empty() {
                unknown += 1;
                if unknown * 4 > filled.len() {
                    return None;
                }
            }
            roles.push(role);
        }
        // The action column: the explicit one, else a "Recommendation/weakness" column
        // when nothing else describes the work.
        if !roles.contains(&Some(Role::Action)) {
            let rec = roles
                .iter()
                .position(|r| *r == Some(Role::Recommendation))?;
            roles[rec] = Some(Role::Action);
        }
        let supporting = roles
            .iter()
            .filter(|r| {
                matches!(
                    r,
                    Some(
                        Role::Lead
                            | Role::Timescale
                            | Role::Measures
                            | Role::Partners
                            | Role::Resources
                            | Role::Status
                    )
                )
            })
            .count();
        if supporting == 0 {
            return None;
        }
        // An unlabeled first column in a table whose other columns are named holds refs.
        if cells.first().is_some_and(|c| c.trim().is_empty()) && roles.first() == Some(&None) {
            roles[0] = Some(Role::Reference);
        }
        Some(ColumnMap {
            roles,
            glued: false,
            responses: false,
        })
    }

    /// Column index of the first column with `role`.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(role))
    }

    /// All column indices with `role` (a table may have two timing columns).
    pub fn columns(&self, role: Role) -> Vec<usize> {
        self.roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == Some(role))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What a cell's text looks like, for judging its column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellShape {
    pub words: usize,
    pub timescale: bool,
    pub lead: bool,
    pub status: bool,
    pub reference: bool,
    pub resource: bool,
    pub measure: bool,
    pub verb_first: bool,
    pub numeric: bool,
}

static REF_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[A-Z]{1,5}(?:&[A-Z]{1,3})?[ .-]?)?\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?[.)]?$")
        .expect("valid regex")
});
static NUMERIC_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[-+£$]?\s*[\d,]+(?:\.\d+)?\s*(?:%|k|m|p|pts?)?$").expect("valid regex")
});
static TIMEFRAME_CELL: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    data_lines(include_str!("../../../data/cell_lexicon.tsv"))
        .filter(|(k, _)| *k == "timescale")
        .filter_map(|(_, p)| crate::pattern::data(p))
        .collect()
});

/// Cheap test before parsing a cell as a date: a digit, or a month or season name.
fn plausible_date(text: &str) -> bool {
    static MONTHS: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|winter)",
        )
    });
    text.bytes().any(|b| b.is_ascii_digit()) || MONTHS.is_match(text)
}

/// The shape of one cell's text.
pub fn cell_shape(text: &str, ctx: DateContext) -> CellShape {
    let t = text.trim();
    let words = t.split_whitespace().count();
    if words == 0 {
        return CellShape::default();
    }
    let short = words <= 10;
    let reference = words == 1 && t.len() <= 10 && REF_CELL.is_match(t);
    let numeric = !reference && NUMERIC_CELL.is_match(t);
    let timescale = short
        && !numeric
        && !reference
        && (TIMEFRAME_CELL.iter().any(|r| r.is_match(t)) || {
            // Dates need a digit or a month or season name; most cells have neither.
            plausible_date(t) && {
                let ts = timescale::parse(t, ctx);
                ts.due.is_some() || ts.start.is_some()
            }
        });
    let verb_first = verb_first(t);
    let lead = words <= 8
        && !verb_first
        && !timescale
        && !numeric
        && CELLS.lead.iter().any(|r| r.is_match(t));
    let status = words <= 6 && CELLS.status.iter().any(|r| r.is_match(t));
    let resource = words <= 12 && CELLS.resource.iter().any(|r| r.is_match(t));
    let measure = CELLS.measure.iter().any(|r| r.is_match(t));
    CellShape {
        words,
        timescale,
        lead,
        status,
        reference,
        resource,
        measure,
        verb_first,
        numeric,
    }
}

/// The evidence for one column, as `layout --explain` prints it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnEvidence {
    pub header: String,
    pub header_role: Option<Role>,
    pub filled: usize,
    pub mean_words: f32,
    /// Content score for each role that has any.
    pub scores: Vec<(Role, f32)>,
    pub role: Option<Role>,
}

/// A table judged by its header and cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    /// Set when the table reads as an action plan.
    pub map: Option<ColumnMap>,
    /// The row taken as the header, if any.
    pub header_row: Option<usize>,
    pub columns: Vec<ColumnEvidence>,
    /// Why the table was or was not taken, in one line.
    pub reason: String,
}

/// Rows sampled for content evidence: enough to judge, bounded for huge tables.
const SAMPLE_ROWS: usize = 80;

/// A row that reads as a header: short labels, none a sentence, date or reference,
/// and at least one naming a role.
fn looks_like_header(cells: &[String]) -> bool {
    let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
    if filled.len() < 2 {
        return false;
    }
    let labels = filled.iter().all(|c| {
        let w = c.split_whitespace().count();
        w <= 8 && c.len() <= 70 && !c.trim_end().ends_with('.') && !REF_CELL.is_match(c.trim())
    });
    labels && filled.iter().any(|c| role_of(c).is_some())
}

/// Judges a table whose header (if any) is not a known action-plan header: each
/// column is scored for each role from its header words and the shape of its cells,
/// roles are assigned greedily by score, and the table is taken as an action plan
/// when it has an action column and at least one column saying who, when, how
/// much, how far or how measured.
pub fn infer(rows: &[Vec<String>], ctx: DateContext) -> Inference {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Inference {
        map: None,
        header_row: None,
        columns: Vec::new(),
        reason: String::new(),
    };
    if width < 2 {
        out.reason = "one column: read as text".into();
        return out;
    }
    let header_row = rows.iter().take(3).position(|r| looks_like_header(r));
    out.header_row = header_row;
    let header: Vec<String> = header_row.map(|h| rows[h].clone()).unwrap_or_default();
    let data: Vec<&Vec<String>> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            Some(*i) != header_row && r.iter().filter(|c| !c.trim().is_empty()).count() >= 2
        })
        .map(|(_, r)| r)
        .take(SAMPLE_ROWS)
        .collect();
    if data.is_empty() {
        out.reason = "no rows with two or more filled cells".into();
        return out;
    }
    let mut numeric_columns = 0;
    let mut candidates: Vec<(usize, Role, f32)> = Vec::new();
    for c in 0..width {
        let head = header
            .get(c)
            .map(|h| h.trim().to_owned())
            .unwrap_or_default();
        let header_role = role_of(&head);
        let shapes: Vec<CellShape> = data
            .iter()
            .filter_map(|r| r.get(c))
            .filter(|t| !t.trim().is_empty())
            .map(|t| cell_shape(t, ctx))
            .collect();
        let n = shapes.len().max(1) as f32;
        let share = |f: fn(&CellShape) -> bool| shapes.iter().filter(|s| f(s)).count() as f32 / n;
        let mean_words = shapes.iter().map(|s| s.words).sum::<usize>() as f32 / n;
        let fill = shapes.len() as f32 / data.len() as f32;
        let long = share(|s| s.words >= 5);
        let verb = share(|s| s.verb_first);
        let numeric = share(|s| s.numeric);
        if numeric >= 0.6 && shapes.len() >= 2 {
            numeric_columns += 1;
        }
        let mut scores: Vec<(Role, f32)> = vec![
            (
                Role::Reference,
                if mean_words <= 2.0 {
                    share(|s| s.reference)
                } else {
                    0.0
                },
            ),
            (Role::Action, long * (0.4 + 0.6 * verb) * fill.sqrt()),
            (
                Role::Lead,
                if mean_words <= 8.0 {
                    share(|s| s.lead)
                } else {
                    0.0
                },
            ),
            (Role::Timescale, share(|s| s.timescale)),
            (Role::Status, share(|s| s.status)),
            (Role::Resources, share(|s| s.resource) * 0.9),
            (Role::Measures, share(|s| s.measure) * 0.7),
        ];
        scores.retain(|(_, s)| *s > 0.0);
        for (role, s) in &scores {
            let bonus = if header_role == Some(*role) { 0.8 } else { 0.0 };
            candidates.push((c, *role, s + bonus));
        }
        if let Some(r) = header_role {
            if !scores.iter().any(|(x, _)| *x == r) {
                candidates.push((c, r, 0.8));
            }
        }
        out.columns.push(ColumnEvidence {
            header: head,
            header_role,
            filled: shapes.len(),
            mean_words,
            scores,
            role: None,
        });
    }
    // Greedy assignment: best evidence first; one role per column; one column per
    // role, except timing, measures and progress, which plans often split in two.
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut roles: Vec<Option<Role>> = vec![None; width];
    for (c, role, score) in candidates {
        if score < 0.5 || roles[c].is_some() {
            continue;
        }
        let multi = matches!(role, Role::Timescale | Role::Measures | Role::Progress);
        if !multi && roles.contains(&Some(role)) {
            continue;
        }
        roles[c] = Some(role);
    }
    // No column scored as actions: the widest free text column, if it is prose.
    if !roles.contains(&Some(Role::Action)) {
        let best = (0..width).filter(|c| roles[*c].is_none()).max_by(|a, b| {
            out.columns[*a]
                .mean_words
                .total_cmp(&out.columns[*b].mean_words)
        });
        if let Some(c) = best.filter(|c| out.columns[*c].mean_words >= 5.0) {
            roles[c] = Some(Role::Action);
        }
    }
    // Rows of a reference and one other cell: whatever that cell's words look like
    // (a project register's name, cost and savings glued together), it is the row.
    if roles.len() == 2
        && roles[0] == Some(Role::Reference)
        && roles[1].is_some_and(|r| r != Role::Action)
    {
        roles[1] = Some(Role::Action);
    }
    for (c, r) in roles.iter().enumerate() {
        out.columns[c].role = *r;
    }
    let Some(action) = roles.iter().position(|r| *r == Some(Role::Action)) else {
        out.reason = "no column of actions (no action header, no column of sentences)".into();
        return out;
    };
    let supporting: Vec<&'static str> = roles
        .iter()
        .enumerate()
        .filter(|(c, r)| {
            matches!(
                r,
                Some(Role::Lead | Role::Timescale | Role::Status | Role::Resources)
            ) || (matches!(r, Some(Role::Measures | Role::Partners))
                && out.columns[*c].header_role == **r)
        })
        .filter_map(|(_, r)| r.map(Role::name))
        .collect();
    // Rows of a reference and one text (cells glued together in a text export): the
    // references in sequence make it a plan; its fields are read from the text's end.
    let filled_roles: Vec<Role> = roles.iter().flatten().copied().collect();
    let refs = roles.iter().position(|r| *r == Some(Role::Reference));
    if supporting.is_empty() && filled_roles == [Role::Reference, Role::Action] && data.len() >= 3 {
        let ref_share = refs
            .and_then(|c| {
                out.columns[c]
                    .scores
                    .iter()
                    .find(|(r, _)| *r == Role::Reference)
            })
            .map(|(_, s)| *s)
            .unwrap_or(0.0);
        if ref_share >= 0.8 {
            out.reason = format!("rows of a reference and one text: action plan with fields read from the end of column {}", action + 1);
            out.map = Some(ColumnMap {
                roles,
                glued: true,
                responses: false,
            });
            return out;
        }
    }
    // Proposals or feedback beside the council's responses, both named by their headers.
    let named = |role: Role| {
        roles
            .iter()
            .enumerate()
            .any(|(c, r)| *r == Some(role) && out.columns[c].header_role == Some(role))
    };
    if supporting.is_empty()
        && named(Role::Recommendation)
        && out.columns[action].header_role == Some(Role::Action)
    {
        out.reason = format!(
            "proposal → response table: the commitments in column {} are the actions",
            action + 1
        );
        out.map = Some(ColumnMap {
            roles,
            glued: false,
            responses: true,
        });
        return out;
    }
    if supporting.is_empty() {
        out.reason =
            "no column saying who, when, status or resources beside the text column".into();
        return out;
    }
    if numeric_columns >= 2 {
        out.reason = format!(
            "{numeric_columns} numeric columns: a performance or finance table, not a plan"
        );
        return out;
    }
    let action_ev = &out.columns[action];
    if action_ev.mean_words < 5.0 {
        out.reason = format!(
            "column {} is too short to hold actions (names or labels, {:.1} words a cell)",
            action + 1,
            action_ev.mean_words
        );
        out.map = None;
        return out;
    }
    let verb_share = action_ev
        .scores
        .iter()
        .find(|(r, _)| *r == Role::Action)
        .map(|(_, s)| *s)
        .unwrap_or(0.0);
    let has_lead_and_time =
        roles.contains(&Some(Role::Lead)) && roles.contains(&Some(Role::Timescale));
    if action_ev.header_role != Some(Role::Action) && verb_share < 0.45 && !has_lead_and_time {
        out.reason = "the text column does not read as actions (few verb-first cells) and no lead and timescale".into();
        return out;
    }
    out.reason = format!(
        "action plan: actions in column {}, with {}",
        action + 1,
        supporting.join(", ")
    );
    // Text and a timing cell only, with no header row: the row's other cells (lead,
    // partners) were glued into the text by the export; read them from its end.
    let glued = out.header_row.is_none()
        && width == 2
        && roles == [Some(Role::Action), Some(Role::Timescale)];
    out.map = Some(ColumnMap {
        roles,
        glued,
        responses: false,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_wordings_map_by_meaning() {
        let cases = [
            ("Lead", Role::Lead),
            ("Lead Officer", Role::Lead),
            ("Responsibility/lead", Role::Lead),
            ("Delivery Lead", Role::Lead),
            ("Operational lead", Role::Lead),
            ("Responsible Officer", Role::Lead),
            ("Owner", Role::Lead),
            ("By whom", Role::Lead),
            ("Timescale", Role::Timescale),
            ("Timescales", Role::Timescale),
            ("Key milestones and timescales", Role::Timescale),
            ("By when", Role::Timescale),
            ("Target date", Role::Timescale),
            ("Deadline", Role::Timescale),
            ("Due Date for Review or Completion", Role::Timescale),
            ("Outcome / success criteria", Role::Measures),
            ("Targets & Measures", Role::Measures),
            ("Performance measures and indicators", Role::Measures),
            ("Performance indicators", Role::Measures),
            ("Success measures", Role::Measures),
            ("Partners/Officers Involved", Role::Partners),
            ("Key partners", Role::Partners),
            ("Resources", Role::Resources),
            ("Resource implications", Role::Resources),
            ("Action Summary", Role::Action),
            ("Actions", Role::Action),
            ("Action to be taken", Role::Action),
            ("Key tasks", Role::Action),
            ("What we will do", Role::Action),
            ("No", Role::Reference),
            ("Ref", Role::Reference),
            ("Progress", Role::Progress),
            ("Progress to date", Role::Progress),
            ("Comments", Role::Progress),
            ("RAG status", Role::Status),
            ("Recommendation", Role::Recommendation),
        ];
        for (header, role) in cases {
            assert_eq!(role_of(header), Some(role), "{header}");
        }
        assert_eq!(role_of("Safeguarding"), None);
        assert_eq!(role_of(""), None);
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn header_rows_are_recognised_with_any_wording() {
        let m = ColumnMap::from_header(&strings(&[
            "No",
            "Action to be taken",
            "Outcome / success criteria",
            "Operational lead",
            "Timescale",
        ]))
        .unwrap();
        assert_eq!(
            m.roles,
            vec![
                Some(Role::Reference),
                Some(Role::Action),
                Some(Role::Measures),
                Some(Role::Lead),
                Some(Role::Timescale)
            ]
        );
        // Telford's sixth table leaves the number column's header blank.
        let m = ColumnMap::from_header(&strings(&[
            "",
            "Action to be taken",
            "Outcome / success criteria",
            "Operational lead",
            "Timescale",
        ]))
        .unwrap();
        assert_eq!(m.column(Role::Reference), Some(0));
        let m =
            ColumnMap::from_header(&strings(&["What", "Who", "When", "How will we know"])).unwrap();
        assert_eq!(
            m.roles,
            vec![
                Some(Role::Action),
                Some(Role::Lead),
                Some(Role::Timescale),
                Some(Role::Measures)
            ]
        );
        let m =
            ColumnMap::from_header(&strings(&["Recommendation", "Lead", "Target date"])).unwrap();
        assert_eq!(m.column(Role::Action), Some(0));
    }

    #[test]
    fn data_rows_and_other_tables_are_not_headers() {
        assert!(ColumnMap::from_header(&strings(&[
            "Audit of domestic violence Training",
            "Audit completed by February 2007",
            "Data available",
            "Diane Webb"
        ]))
        .is_none());
        assert!(ColumnMap::from_header(&strings(&[
            "Area of service activity",
            "Kent service score overall",
            "JAR Assessment"
        ]))
        .is_none());
        assert!(
            ColumnMap::from_header(&strings(&["Agenda Setting*", "Time", "Meeting", "Time"]))
                .is_none()
        );
        assert!(ColumnMap::from_header(&strings(&["KPI", "Latest", "Previous", "DoT"])).is_none());
        assert!(ColumnMap::from_header(&strings(&["Actions"])).is_none());
    }

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    fn ctx() -> DateContext {
        DateContext {
            year: Some(2022),
            month: Some(6),
        }
    }

    #[test]
    fn unfamiliar_headers_are_read_from_their_cells() {
        // A slide-deck delivery plan: no header word the lexicon knows for the action column.
        let t = rows(&[
            &["Deliverable", "Who", "Date", "How we measure it"],
            &[
                "Deliver a new contact centre for the borough",
                "Head of Customer Services",
                "March 2023",
                "Calls answered in 60 seconds",
            ],
            &[
                "Review the housing allocations policy with partners",
                "Housing Team",
                "Dec 2022",
                "Policy adopted",
            ],
            &[
                "Introduce a single front door for referrals",
                "Director of Children's Services",
                "Q3 2022/23",
                "% referrals triaged in 24 hours",
            ],
        ]);
        let inf = infer(&t, ctx());
        let map = inf.map.expect(&inf.reason);
        assert_eq!(inf.header_row, Some(0));
        assert_eq!(map.column(Role::Action), Some(0));
        assert_eq!(map.column(Role::Lead), Some(1));
        assert_eq!(map.column(Role::Timescale), Some(2));
    }

    #[test]
    fn headerless_tables_are_judged_on_content() {
        let t = rows(&[
            &[
                "1",
                "Develop a water conservation plan for council buildings",
                "Property Services",
                "Short term",
            ],
            &[
                "2",
                "Install LED lighting in all depots and offices",
                "Facilities Team",
                "Mar-23",
            ],
            &[
                "3",
                "Publish an annual carbon report to Cabinet",
                "Climate Change Officer",
                "Annually",
            ],
        ]);
        let inf = infer(&t, ctx());
        let map = inf.map.expect(&inf.reason);
        assert_eq!(inf.header_row, None);
        assert_eq!(
            map.roles,
            vec![
                Some(Role::Reference),
                Some(Role::Action),
                Some(Role::Lead),
                Some(Role::Timescale)
            ]
        );
        // A column of dates under a "Lead" header is still timing, not a lead.
        let t = rows(&[
            &["Task", "Lead"],
            &[
                "Review the corporate travel policy and publish it",
                "June 2023",
            ],
            &["Consult residents on the draft strategy", "Sept 2022"],
        ]);
        let map = infer(&t, ctx()).map.expect("plan");
        assert_eq!(map.column(Role::Timescale), Some(1));
        assert_eq!(map.column(Role::Lead), None);
    }

    #[test]
    fn decoy_tables_are_refused_with_a_reason() {
        // A KPI table: names of indicators and numbers.
        let kpi = rows(&[
            &["Indicator", "Target", "Q1", "Q2"],
            &[
                "Percentage of assessments completed within 45 working days",
                "85%",
                "81%",
                "88%",
            ],
            &[
                "Number of children in care per 10,000 children",
                "60",
                "62",
                "59",
            ],
        ]);
        let inf = infer(&kpi, ctx());
        assert!(inf.map.is_none(), "{}", inf.reason);
        // An attendance list: names and organisations.
        let people = rows(&[
            &["Paul Stepto – MEM", "Chris Ellis - KCC"],
            &["Jane Doe – Link Group", "John Smith - KCC"],
            &["Ann Lee – KCC", "Bob Ray - MEM"],
        ]);
        let inf = infer(&people, ctx());
        assert!(inf.map.is_none(), "{}", inf.reason);
        // A contents page.
        let contents = rows(&[
            &["Introduction", "3"],
            &["Our approach to climate change", "5"],
            &["Action plan", "12"],
        ]);
        assert!(infer(&contents, ctx()).map.is_none());
    }

    #[test]
    fn a_reference_beside_one_cell_is_a_row_whatever_the_cell_holds() {
        // Shaped like a carbon plan's project register recovered from a text export:
        // ID, then name, lead, cost, savings and start year glued in one cell.
        let t = rows(&[
            &[
                "1",
                "Street Lights TBC £869,200.00 £63,350.50 179 13.72 13.8% 2018",
            ],
            &[
                "2",
                "School heating 1 TBC £343,500.00 £20,000.75 17 17.17 1.3% 2019",
            ],
            &[
                "3",
                "Fleet renewal TBC £2,227,861.00 £13,567.67 28 164.20 2.1% 2019",
            ],
            &[
                "4",
                "Solar PV TBC £500,000.00 £57,097.95 161 8.76 12.4% 2021",
            ],
        ]);
        let inf = infer(&t, ctx());
        let map = inf.map.expect("a plan of numbered rows");
        assert_eq!(map.roles, vec![Some(Role::Reference), Some(Role::Action)]);
        assert!(map.glued);
        // A KPI table of three columns keeps its refusal.
        let kpi = rows(&[
            &["1", "Carbon emissions", "12%"],
            &["2", "Fleet mileage", "8%"],
            &["3", "Waste recycled", "45%"],
        ]);
        assert!(infer(&kpi, ctx()).map.is_none());
    }

    #[test]
    fn proposal_response_tables_read_responses() {
        let t = rows(&[
            &["Consultation Feedback", "Draft KCC Response"],
            &[
                "Parents worry about travel costs to the new site",
                "KCC will provide bus tickets for families who used the old site.",
            ],
            &[
                "The building is too small",
                "The building was assessed as suitable for the numbers expected.",
            ],
        ]);
        let map = infer(&t, ctx()).map.expect("response table");
        assert!(map.responses);
    }
}
