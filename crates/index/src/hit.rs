//! What one search result is, and how a [`Document`] becomes index entries: one per
//! recommendation and one per action or step, each carrying the context needed to
//! show it without reopening the paper.

use actionplan_model::{Action, Document, Recommendation, Timeframe, Timescale};
use serde::{Deserialize, Serialize};

/// Which part of a plan an entry is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum HitKind {
    Recommendation,
    Action,
    /// A step nested inside an action.
    Step,
    /// What a report or cover sheet asks its meeting ("Members are asked to note …"):
    /// a recommendation of kind `ask`, kept apart so plan searches can leave it out.
    Ask,
    /// A decision of minutes ("RESOLVED that …"); its kind is in `decision_kind`.
    Decision,
}

impl HitKind {
    /// The name in JSON, in the index and on the command line.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The document an entry came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentContext {
    pub id: String,
    pub council: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    pub committee: Option<String>,
    pub source_path: String,
    pub sha256: String,
}

/// The recommendation or action an entry sits under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParentContext {
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
}

/// One search result: an action, step or recommendation with its context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub kind: HitKind,
    /// The model id within the document ("r3.a2").
    pub id: String,
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub text: String,
    pub lead: Vec<String>,
    pub partners: Vec<String>,
    pub resources: Option<String>,
    pub timescale: Option<Timescale>,
    pub measures: Vec<String>,
    pub status: Option<String>,
    /// Progress commentary printed with the action.
    #[serde(default)]
    pub progress: Option<String>,
    /// The action's status normalised (`complete`, `proposed_for_closure`, …).
    #[serde(default)]
    pub state: Option<actionplan_model::ActionState>,
    /// For decisions: resolved, agreed, noted, approved, recommended, delegated,
    /// deferred or rejected; with the minute number it was taken under.
    #[serde(default)]
    pub decision_kind: Option<actionplan_model::DecisionKind>,
    #[serde(default)]
    pub minute: Option<String>,
    /// Text of the steps of an action (nested steps included, depth first); for a
    /// recommendation, the text of its actions.
    pub steps: Vec<String>,
    /// The recommendation's timeframe (inherited by its actions).
    pub timeframe: Option<Timeframe>,
    pub timeframe_raw: Option<String>,
    /// The recommendation's own lead, when the paper names one.
    pub strategic_lead: Option<String>,
    pub page: u32,
    pub line: Option<u32>,
    /// For actions and steps: the recommendation they answer.
    pub recommendation: Option<ParentContext>,
    /// For steps: the action they belong to.
    pub parent_action: Option<ParentContext>,
    pub document: DocumentContext,
}

/// A hit plus what is searched but not part of the result (the list heading).
pub(crate) struct Entry {
    pub hit: Hit,
    pub list: Option<String>,
}

/// Every index entry of a document, recommendations first, in reading order.
pub(crate) fn entries(doc: &Document, source_path: &str) -> Vec<Entry> {
    let document = DocumentContext {
        id: doc.id.clone(),
        council: doc.council.clone(),
        title: doc.title.clone(),
        date: doc.date.clone(),
        committee: doc.committee.clone(),
        source_path: source_path.to_owned(),
        sha256: doc.source.sha256.clone(),
    };
    let mut out = Vec::new();
    for rec in &doc.recommendations {
        let date = rec
            .paper
            .and_then(|p| doc.papers.get(p))
            .and_then(|p| p.date.clone());
        let mut document = document.clone();
        if document.date.is_none() {
            document.date = date;
        }
        out.push(Entry {
            hit: Hit {
                kind: match rec.kind {
                    actionplan_model::RecommendationKind::Ask => HitKind::Ask,
                    actionplan_model::RecommendationKind::Plan => HitKind::Recommendation,
                },
                id: rec.id.clone(),
                reference: rec.reference.clone(),
                text: rec.text.clone(),
                lead: rec.lead.iter().cloned().collect(),
                partners: rec.addressee.iter().cloned().collect(),
                resources: None,
                timescale: None,
                measures: rec.measures.clone(),
                status: None,
                progress: None,
                state: None,
                decision_kind: None,
                minute: None,
                steps: rec.actions.iter().map(|a| a.text.clone()).collect(),
                timeframe: rec.timeframe,
                timeframe_raw: rec.timeframe_raw.clone(),
                strategic_lead: rec.lead.clone(),
                page: rec.page,
                line: rec.line,
                recommendation: None,
                parent_action: None,
                document: document.clone(),
            },
            list: rec.list.clone(),
        });
        for action in &rec.actions {
            push_action(&mut out, rec, action, None, &document);
        }
    }
    for d in &doc.decisions {
        let mut document = document.clone();
        if document.date.is_none() {
            document.date = d
                .paper
                .and_then(|p| doc.papers.get(p))
                .and_then(|p| p.date.clone());
        }
        out.push(Entry {
            hit: Hit {
                kind: HitKind::Decision,
                id: d.id.clone(),
                reference: d.reference.clone(),
                text: d.text.clone(),
                lead: Vec::new(),
                partners: Vec::new(),
                resources: None,
                timescale: None,
                measures: Vec::new(),
                status: None,
                progress: None,
                state: None,
                decision_kind: Some(d.kind),
                minute: d.minute.clone(),
                steps: Vec::new(),
                timeframe: None,
                timeframe_raw: None,
                strategic_lead: None,
                page: d.page,
                line: d.line,
                recommendation: d.item.as_ref().map(|item| ParentContext {
                    id: d.id.clone(),
                    reference: d.minute.clone(),
                    text: item.clone(),
                }),
                parent_action: None,
                document,
            },
            list: d.item.clone(),
        });
    }
    out
}

fn push_action(
    out: &mut Vec<Entry>,
    rec: &Recommendation,
    a: &Action,
    parent: Option<&Action>,
    doc: &DocumentContext,
) {
    let mut steps = Vec::new();
    collect_steps(a, &mut steps);
    out.push(Entry {
        hit: Hit {
            kind: if parent.is_some() {
                HitKind::Step
            } else {
                HitKind::Action
            },
            id: a.id.clone(),
            reference: a.reference.clone(),
            text: a.text.clone(),
            lead: a.lead.clone(),
            partners: a.partners.clone(),
            resources: a.resources.clone(),
            timescale: a.timescale.clone(),
            measures: a.measures.clone(),
            status: a.status.clone(),
            progress: a.progress.clone(),
            state: a.state,
            decision_kind: None,
            minute: None,
            steps,
            timeframe: rec.timeframe,
            timeframe_raw: rec.timeframe_raw.clone(),
            strategic_lead: rec.lead.clone(),
            page: a.page,
            line: a.line,
            recommendation: Some(ParentContext {
                id: rec.id.clone(),
                reference: rec.reference.clone(),
                text: rec.text.clone(),
            }),
            parent_action: parent.map(|p| ParentContext {
                id: p.id.clone(),
                reference: p.reference.clone(),
                text: p.text.clone(),
            }),
            document: doc.clone(),
        },
        list: rec.list.clone(),
    });
    for s in &a.steps {
        push_action(out, rec, s, Some(a), doc);
    }
}

fn collect_steps(a: &Action, out: &mut Vec<String>) {
    for s in &a.steps {
        out.push(s.text.clone());
        collect_steps(s, out);
    }
}

/// The inclusive YYYYMMDD range a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` date covers (to the
/// month's real last day).
pub(crate) fn date_range(date: &str) -> Option<(u64, u64)> {
    let d = actionplan_model::PartialDate::parse(date)?;
    Some((d.first_key().into(), d.last_key().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_cover_their_whole_period() {
        assert_eq!(date_range("2008"), Some((20080101, 20081231)));
        assert_eq!(date_range("2008-09"), Some((20080901, 20080930)));
        assert_eq!(date_range("2008-02"), Some((20080201, 20080229)));
        assert_eq!(date_range("2009-02-29"), None);
        assert_eq!(date_range("2008-09-19"), Some((20080919, 20080919)));
        assert_eq!(date_range("Sept 2008"), None);
        assert_eq!(date_range("2008-13"), None);
    }
}
