//! Column mapping by meaning: a header cell's wording → the field it holds.
//! Councils word headers differently ("Lead", "Responsibility/lead", "Delivery Lead",
//! "By whom"); this module knows the vocabulary, not any one council's layout.

use std::sync::LazyLock;

use regex::Regex;

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
}

struct Rule {
    role: Role,
    pattern: Regex,
}

/// Ordered: the first matching rule wins, so more specific wordings come first
/// ("Partners/Officers involved" is partners, not lead; "Target date" is timing,
/// "Targets" is measures).
static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let r = |role, p: &str| Rule { role, pattern: Regex::new(&format!("(?i){p}")).expect("valid regex") };
    vec![
        r(Role::Reference, r"^(no\.?|nos?\.|number|ref\.?|reference|ref\s*no\.?|item|#|id|action\s*(no|ref|number)\.?)$"),
        r(Role::Partners, r"partner|involved|supported by|support from|contributors?|key (stakeholders|agencies)|other agencies|in conjunction"),
        r(Role::Status, r"^(current )?(status|rag|rag rating|rag status|completion status)\b|^(status|rag)$"),
        r(Role::Progress, r"^(current )?(progress|progress to date|update|updates|position|comments?|progress update|current position|commentary|notes?)\b"),
        r(Role::Timescale, r"timescale|time ?frame|timing|by when|when\??$|deadline|target (completion )?date|due( date)?|completion date|milestones?|date(s)?( for completion)?$|^dates?\b|target end|review date|start date|end date"),
        r(Role::Lead, r"\blead\b|responsib|owner|accountab|by whom|who\??$|officer|manager|^person|champion"),
        r(Role::Resources, r"resourc|cost|fund|budget|financ|£"),
        r(Role::Measures, r"measure|indicator|outcome|success|criteria|target|evidence|kpi|\bpis?\b|impact|monitor|how will we know|expected result|deliverable"),
        r(Role::Recommendation, r"recommendation|weakness|area for (improvement|development)|issue|finding|priority$|objective|risk"),
        r(Role::Action, r"action|task|activit|what (we will|will be) do|what\??$|steps?|tasks|initiative|intervention|how$|description|detail|response|proposal|mitigation|work ?stream"),
    ]
});

/// The role of a header cell, if its wording names one.
pub fn role_of(header: &str) -> Option<Role> {
    let h = header.trim().trim_end_matches(':').trim();
    if h.is_empty() || h.len() > 80 {
        return None;
    }
    RULES.iter().find(|r| r.pattern.is_match(h)).map(|r| r.role)
}

/// A header row mapped to roles, one per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    pub roles: Vec<Option<Role>>,
}

impl ColumnMap {
    /// Maps a row of header texts. Returns none unless the row reads as a header of
    /// an action table: an action column plus at least one of lead / timescale /
    /// measures / partners / resources, and every filled cell short and recognised.
    pub fn from_header(cells: &[String]) -> Option<ColumnMap> {
        let filled: Vec<&String> = cells.iter().filter(|c| !c.trim().is_empty()).collect();
        // Headers are short labels; a row of long cells is data (and checking it is costly).
        if filled.len() < 2 || filled.iter().any(|c| c.len() > 80) {
            return None;
        }
        let mut roles: Vec<Option<Role>> = cells.iter().map(|c| role_of(c)).collect();
        let recognised = roles.iter().filter(|r| r.is_some()).count();
        if recognised * 4 < filled.len() * 3 {
            return None; // a data row that happens to contain a keyword
        }
        // The action column: the explicit one, else a "Recommendation/weakness" column
        // when nothing else describes the work.
        if !roles.contains(&Some(Role::Action)) {
            let rec = roles.iter().position(|r| *r == Some(Role::Recommendation))?;
            roles[rec] = Some(Role::Action);
        }
        let supporting = roles
            .iter()
            .filter(|r| matches!(r, Some(Role::Lead | Role::Timescale | Role::Measures | Role::Partners | Role::Resources)))
            .count();
        if supporting == 0 {
            return None;
        }
        // An unlabeled first column in a table whose other columns are named holds refs.
        if cells.first().is_some_and(|c| c.trim().is_empty()) && roles.first() == Some(&None) {
            roles[0] = Some(Role::Reference);
        }
        Some(ColumnMap { roles })
    }

    /// Column index of the first column with `role`.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(role))
    }

    /// All column indices with `role` (a table may have two timing columns).
    pub fn columns(&self, role: Role) -> Vec<usize> {
        self.roles.iter().enumerate().filter(|(_, r)| **r == Some(role)).map(|(i, _)| i).collect()
    }
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
        let m = ColumnMap::from_header(&strings(&["No", "Action to be taken", "Outcome / success criteria", "Operational lead", "Timescale"])).unwrap();
        assert_eq!(
            m.roles,
            vec![Some(Role::Reference), Some(Role::Action), Some(Role::Measures), Some(Role::Lead), Some(Role::Timescale)]
        );
        // Telford's sixth table leaves the number column's header blank.
        let m = ColumnMap::from_header(&strings(&["", "Action to be taken", "Outcome / success criteria", "Operational lead", "Timescale"])).unwrap();
        assert_eq!(m.column(Role::Reference), Some(0));
        let m = ColumnMap::from_header(&strings(&["What", "Who", "When", "How will we know"])).unwrap();
        assert_eq!(m.roles, vec![Some(Role::Action), Some(Role::Lead), Some(Role::Timescale), Some(Role::Measures)]);
        let m = ColumnMap::from_header(&strings(&["Recommendation", "Lead", "Target date"])).unwrap();
        assert_eq!(m.column(Role::Action), Some(0));
    }

    #[test]
    fn data_rows_and_other_tables_are_not_headers() {
        assert!(ColumnMap::from_header(&strings(&["Audit of domestic violence Training", "Audit completed by February 2007", "Data available", "Diane Webb"])).is_none());
        assert!(ColumnMap::from_header(&strings(&["Area of service activity", "Kent service score overall", "JAR Assessment"])).is_none());
        assert!(ColumnMap::from_header(&strings(&["Agenda Setting*", "Time", "Meeting", "Time"])).is_none());
        assert!(ColumnMap::from_header(&strings(&["KPI", "Latest", "Previous", "DoT"])).is_none());
        assert!(ColumnMap::from_header(&strings(&["Actions"])).is_none());
    }
}
