//! Normalised states of actions: the printed status ("Propose closure: paper on
//! agenda", "Completed – April 2008", "Amber") read as one of a few states, with the
//! printed text kept. The words are in `data/statuses.tsv`.

use std::sync::LazyLock;

use actionplan_model::{Action, ActionState, Horizon};
use regex::Regex;

use crate::columns::data_lines;

static RULES: LazyLock<Vec<(ActionState, Regex)>> = LazyLock::new(|| {
    data_lines(include_str!("../../../data/statuses.tsv"))
        // Every line compiles and names a state: `data_file_compiles` checks it.
        .filter_map(|(state, p)| Some((ActionState::from_name(state)?, crate::pattern::data(p)?)))
        .collect()
});

/// The state a printed status means, read from its opening words; none when the
/// words name no state ("See update", "Q3").
pub fn state_of(printed: &str) -> Option<ActionState> {
    opening_state(printed).map(|(s, _)| s)
}

/// The state and the text after its words.
fn opening_state(printed: &str) -> Option<(ActionState, &str)> {
    let t = printed.trim_start_matches(|c: char| !c.is_alphanumeric());
    RULES
        .iter()
        .find_map(|(s, r)| r.find(t).map(|m| (*s, &t[m.end()..])))
}

/// The state a progress update opens with, when its first words are a status set off
/// from the rest ("Ongoing – draft with legal", "Complete."); "New contract let in May"
/// opens with a word, not a status.
fn progress_state(progress: &str) -> Option<ActionState> {
    let (s, rest) = opening_state(progress)?;
    let rest = rest.trim_start();
    (rest.is_empty() || rest.starts_with(|c: char| ":;,.–—-(/".contains(c))).then_some(s)
}

/// Sets `a.state` (and its steps') from the status, else the opening of the progress
/// update, else a timescale that says the work was done ("Complete").
pub fn set_state(a: &mut Action) {
    for s in &mut a.steps {
        set_state(s);
    }
    if a.state.is_some() {
        return;
    }
    a.state = a
        .status
        .as_deref()
        .and_then(state_of)
        .or_else(|| a.progress.as_deref().and_then(progress_state))
        .or_else(|| {
            a.timescale
                .as_ref()
                .and_then(|t| t.timeframe)
                .filter(|f| f.horizon == Horizon::Complete)
                .map(|_| ActionState::Complete)
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_compiles() {
        for (state, p) in data_lines(include_str!("../../../data/statuses.tsv")) {
            assert!(
                ActionState::from_name(state).is_some(),
                "unknown state {state}"
            );
            assert!(crate::pattern::data(p).is_some(), "bad pattern: {p}");
        }
    }

    #[test]
    fn printed_statuses_from_logs_and_updates() {
        use ActionState::*;
        let cases = [
            // Trust board and treasury action logs.
            (
                "Propose closure: paper on this agenda",
                Some(ProposedForClosure),
            ),
            ("Complete", Some(Complete)),
            ("Completed – April 2008", Some(Complete)),
            ("Closed - superseded by the new plan", Some(Closed)),
            ("Open", Some(Open)),
            ("Not started", Some(Open)),
            ("Deferred to the March meeting", Some(Deferred)),
            ("On hold pending funding", Some(Deferred)),
            // Improvement plan updates with RAG ratings.
            ("Amber", Some(InProgress)),
            ("RED", Some(Overdue)),
            ("Off track", Some(Overdue)),
            ("Partially achieved", Some(InProgress)),
            ("Ongoing", Some(InProgress)),
            ("Overdue", Some(Overdue)),
            // Words that name no state, or only mention one later on.
            ("See update below", None),
            ("Q3 2024/25", None),
            ("The report will be completed in March", None),
            ("Openness and transparency review", None),
        ];
        for (printed, want) in cases {
            assert_eq!(state_of(printed), want, "{printed}");
        }
    }

    #[test]
    fn state_from_status_then_progress_then_timescale() {
        let mut a = Action::new("Circulate the slides", 1);
        a.status = Some("Complete".into());
        set_state(&mut a);
        assert_eq!(a.state, Some(ActionState::Complete));

        let mut b = Action::new("Review the policy", 1);
        b.progress = Some("Ongoing – draft with legal".into());
        set_state(&mut b);
        assert_eq!(b.state, Some(ActionState::InProgress));

        let mut c = Action::new("Review the policy", 1);
        c.progress = Some("The draft went to legal in May".into());
        set_state(&mut c);
        assert_eq!(c.state, None);

        let mut d = Action::new("Let the contract", 1);
        d.progress = Some("New contract let in May".into());
        set_state(&mut d);
        assert_eq!(
            d.state, None,
            "a word that opens a sentence is not a status"
        );
    }
}
