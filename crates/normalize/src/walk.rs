//! The walk over a layout's blocks that finds recommendations and actions.
//!
//! One pass, in reading order, with a little state: the current recommendation,
//! the current labelled action ("Action: SG01 – …"), the open recommendation list
//! (with its timeframe and addressee), and the current table column map. Table rows
//! continued across a page break are merged before they become actions.

use actionplan_layout::{Block, BlockKind, Cell, Part, Row, Table};
use actionplan_model::{Action, Recommendation, Timeframe, Timescale};

use crate::columns::{self, ColumnMap, Role};
use crate::commit;
use crate::timescale::{self, DateContext};
use crate::words::{self, clean, Label};

/// Fewest "We will …" sentences that make a paper's prose a list of commitments.
const MIN_COMMITMENTS: usize = 3;

/// Fewest agreed actions in narrative form that make a paper narrative minutes: a few
/// "officers were asked to …" in a report pack's minutes stay narrative.
const MIN_NARRATIVE: usize = 10;

/// Fewest follow-ups promised aloud ("we'll write to …") or assigned to officers
/// ("Officers are also to …") that make them the paper's actions: a meeting
/// transcript, or a report that hands its work to officers in prose.
const MIN_SPOKEN: usize = 3;

/// A recommendation being built, with how sure we are that it is one.
pub struct Draft {
    pub rec: Recommendation,
    /// A numbered plan section: kept only if actions turn up under it.
    pub provisional: bool,
    /// Index of the block that opened it (to find its paper).
    pub block: usize,
}

/// An open list of recommendations under an intro heading.
#[derive(Default, Clone)]
struct ListCtx {
    title: Option<String>,
    timeframe: Option<Timeframe>,
    timeframe_raw: Option<String>,
    addressee: Option<String>,
    /// Marker style of the first item (bullet vs number), so a different list ends it.
    style: Option<bool>,
    /// True when the list comes from a committee's "is asked to" block.
    committee: bool,
    /// Indentation of the list's items; deeper items continue the previous one.
    depth: Option<u8>,
}

/// An open list of actions ("Mitigating actions", "MITIGATING ACTIONS").
#[derive(Clone, Copy, Default)]
struct ActionList {
    /// Opened by a form label, so plain paragraphs are actions too (not only items).
    paragraphs: bool,
    /// After a status line: the next paragraph is the action's title, then progress.
    awaiting_title: bool,
}

/// A table row mapped to columns, waiting in case the next row continues it.
#[derive(Clone)]
struct Pending {
    row: Row,
    table: u32,
    index: u32,
}

pub struct Walker {
    pub ctx: DateContext,
    pub drafts: Vec<Draft>,
    list: Option<ListCtx>,
    /// Index of the current recommendation in `drafts`.
    current: Option<usize>,
    /// Index (in the current recommendation's actions) of the labelled action whose
    /// table rows become its steps.
    labelled: Option<usize>,
    columns: Option<ColumnMap>,
    /// The last header seen: tables continued without a header row reuse it.
    last_map: Option<ColumnMap>,
    pending: Option<Pending>,
    /// Following list items are measures of the current recommendation.
    measures_mode: bool,
    /// Last heading seen: names a recommendation for actions that have none.
    last_heading: Option<String>,
    /// Key PIs collected from a "Key PIs:" part: the following parts are measures too.
    collecting_measures: bool,
    /// The current recommendation's label stood alone: the next paragraphs are its text.
    awaiting_text: bool,
    /// Items (and, after a label, paragraphs) are actions of the current recommendation.
    action_list: Option<ActionList>,
    /// A numbered outcome label stood alone ("3.1 Outcome –"): the next paragraph is
    /// the text of the outcome action just added.
    awaiting_outcome: bool,
    /// A lead label stood alone ("Responsible Officer for Mitigating Actions – Age"):
    /// the next paragraph names the lead.
    awaiting_lead: bool,
    tables: u32,
    block: usize,
    /// One line per table and list judged: what was taken or skipped, and why.
    pub explain: Vec<String>,
    /// The paper makes commitments in prose often enough ("We will …") to read them
    /// as actions; a stray one in a committee report is narrative.
    commitments: bool,
    /// An open "RESOLVED … to:" block of minutes: its items are actions (or
    /// recommendations to another body), with the depth of the resolution line.
    /// The depth is `None` when the resolution line was a paragraph, not an item: then
    /// every item that follows belongs to it ("Council therefore resolves to: 1. …").
    resolution: Option<(commit::Resolution, Option<u8>)>,
    /// The paper records what was agreed in narrative minutes often enough ("The Clerk
    /// agreed to …") to read those sentences as actions.
    narrative: bool,
    /// Response sentences already taken: a response printed again under another
    /// proposal or theme is the same commitment, read once.
    responses_seen: std::collections::HashSet<String>,
    /// The paper promises follow-ups aloud often enough (a meeting transcript) to read
    /// those sentences as actions.
    spoken: bool,
    /// The paragraph before the current one, for an owner printed after its point
    /// ("Cllr Lee reported that the bench was loose." then "ACTION – Cllr Lee").
    previous_text: Option<(String, u32, Option<u32>)>,
    current_text: Option<(String, u32, Option<u32>)>,
}

impl Walker {
    pub fn new(ctx: DateContext) -> Self {
        Walker {
            ctx,
            drafts: Vec::new(),
            list: None,
            current: None,
            labelled: None,
            columns: None,
            last_map: None,
            pending: None,
            measures_mode: false,
            last_heading: None,
            collecting_measures: false,
            awaiting_text: false,
            action_list: None,
            awaiting_outcome: false,
            awaiting_lead: false,
            tables: 0,
            block: 0,
            explain: Vec::new(),
            commitments: false,
            resolution: None,
            narrative: false,
            responses_seen: Default::default(),
            spoken: false,
            previous_text: None,
            current_text: None,
        }
    }

    pub fn walk(&mut self, blocks: &[Block]) {
        // One pass over the prose: how often it commits ("We will …"), records what was
        // agreed ("The Clerk agreed to …") and promises follow-ups aloud ("I'll …").
        let (mut said, mut agreed, mut spoken) = (0, 0, 0);
        for b in blocks {
            if let BlockKind::Paragraph { text } | BlockKind::ListItem { text, .. } = &b.kind {
                said += commit::commitments(text).len();
                agreed += commit::narrative_actions(text).len();
                spoken += commit::follow_ups(text).len();
            }
        }
        self.commitments = said >= MIN_COMMITMENTS;
        self.spoken = spoken >= MIN_SPOKEN;
        if spoken > 0 {
            let verdict = if self.spoken {
                "read as actions"
            } else {
                "too few: left as narrative"
            };
            self.explain.push(format!("{spoken} follow-ups promised aloud or assigned to officers (\"I'll take that away …\", \"Officers are to …\"): {verdict}"));
        }
        self.narrative = agreed >= MIN_NARRATIVE;
        if agreed > 0 {
            let verdict = if self.narrative {
                "read as actions"
            } else {
                "too few: left as narrative"
            };
            self.explain.push(format!(
                "{agreed} agreed actions in narrative minutes (\"X agreed to …\"): {verdict}"
            ));
        }
        if said > 0 {
            let verdict = if self.commitments {
                "read as actions"
            } else {
                "too few to be a plan: left as narrative"
            };
            self.explain.push(format!(
                "{said} \"We will …\" commitments in body text: {verdict}"
            ));
        }
        for (i, b) in blocks.iter().enumerate() {
            self.block = i;
            match &b.kind {
                BlockKind::Table(t) => self.table(t),
                kind => {
                    self.flush_pending();
                    let (text, heading, item) = match kind {
                        BlockKind::Heading { text, .. } => (text.as_str(), true, None),
                        BlockKind::Paragraph { text } => (text.as_str(), false, None),
                        BlockKind::ListItem {
                            marker,
                            depth,
                            text,
                        } => (text.as_str(), false, Some((marker.clone(), *depth))),
                        BlockKind::Table(_) => continue,
                    };
                    self.text_block(text, heading, item, b.page, b.line);
                }
            }
        }
        self.flush_pending();
    }

    fn rec_mut(&mut self) -> Option<&mut Recommendation> {
        let i = self.current?;
        self.drafts.get_mut(i).map(|d| &mut d.rec)
    }

    fn new_rec(
        &mut self,
        reference: Option<String>,
        text: String,
        page: u32,
        line: Option<u32>,
        provisional: bool,
    ) -> usize {
        let addressee = words::addressee(&text);
        self.drafts.push(Draft {
            rec: Recommendation {
                reference,
                addressee,
                line,
                ..Recommendation::new(text, page)
            },
            provisional,
            block: self.block,
        });
        self.current = Some(self.drafts.len() - 1);
        self.labelled = None;
        self.measures_mode = false;
        self.awaiting_text = false;
        self.action_list = None;
        self.awaiting_lead = false;
        self.drafts.len() - 1
    }

    /// One heading, paragraph or list item (also each paragraph of a spanning table row).
    fn text_block(
        &mut self,
        raw: &str,
        heading: bool,
        item: Option<(Option<String>, u8)>,
        page: u32,
        line: Option<u32>,
    ) {
        let text = clean(raw);
        if text.is_empty() {
            return;
        }
        self.previous_text = self.current_text.replace((text.clone(), page, line));
        // "8. Recommendations" printed as a numbered item (PDFs) is a section heading.
        let title = item.as_ref().is_some_and(|(m, d)| m.is_some() && *d == 0)
            && text.split_whitespace().count() <= 5
            && !text.ends_with(['.', ':'])
            && (words::list_intro(&text) || commit::forward_heading(&text));
        let (heading, item) = if title { (true, None) } else { (heading, item) };
        // A forward-looking heading names its section even if a later rule takes it
        // (its year reads as a timeframe).
        if heading && commit::forward_heading(&text) {
            self.last_heading = Some(text.clone());
        }
        // 1. A labelled recommendation starts a new one.
        if item.is_none() {
            if let Some((label, reference, rest)) = words::rec_label(&text) {
                if self.labelled_recommendation(&label, &reference, &rest, page, line) {
                    return;
                }
            }
            // 2. A labelled action.
            if let Some((reference, body)) = words::action_label(&text) {
                self.labelled_action(reference, body, page, line);
                return;
            }
        }
        // 3. Key-value lines about the current recommendation or action.
        if item.is_none() && self.key_values(&text) {
            self.awaiting_text = false;
            return;
        }
        if std::mem::take(&mut self.awaiting_outcome)
            && item.as_ref().is_none_or(|(m, _)| m.is_none())
        {
            if let Some(a) = self
                .rec_mut()
                .and_then(|r| r.actions.last_mut())
                .filter(|a| a.text.is_empty())
            {
                a.text = text;
                return;
            }
        }
        if self.awaiting_lead && item.is_none() && !heading {
            self.awaiting_lead = false;
            self.apply_lead(&text);
            return;
        }
        if self.resolution_block(&text, heading, &item, page, line) {
            return;
        }
        if self.action_list_block(&text, heading, &item, page, line) {
            return;
        }
        if self.awaiting_text && item.is_none() && !heading {
            if let Some(r) = self.rec_mut() {
                r.text = if r.text.is_empty() {
                    text
                } else {
                    format!("{}; {}", r.text, text)
                };
                return;
            }
        }
        self.awaiting_text = false;
        if self.collecting_measures && item.is_none() && !heading && text.len() < 300 {
            if let Some(r) = self.rec_mut() {
                r.measures.push(text);
                return;
            }
        }
        self.collecting_measures = false;
        // 4. Measures announced for the current recommendation.
        if words::measures_heading(&text) && self.current.is_some() && self.list.is_none() {
            self.measures_mode = true;
            return;
        }
        if self.measures_mode {
            if item.as_ref().is_some_and(|(m, _)| m.is_none()) {
                if let Some(r) = self.rec_mut() {
                    r.measures.push(text);
                }
                return;
            }
            self.measures_mode = false;
        }
        // 5. Recommendation lists: intro, timeframe and addressee lines, items.
        if let Some((tf, tf_raw)) =
            (heading || item.is_none() || item.as_ref().is_some_and(|(m, _)| m.is_some()))
                .then(|| words::timeframe_heading(&text))
                .flatten()
                .filter(|_| self.list.is_some() || heading || text.ends_with(':'))
        {
            let list = self.list.get_or_insert_with(ListCtx::default);
            list.timeframe = tf;
            list.timeframe_raw = Some(tf_raw);
            list.style = None;
            list.depth = None;
            if list.title.is_none() {
                list.title = Some(text.trim_end_matches([':', '-']).to_owned());
            }
            if words::list_intro(&text) && text.to_lowercase().contains("priority") {
                list.title = Some(text.trim_end_matches([':', '-']).to_owned());
            }
            return;
        }
        if self.list.is_some() || words::list_intro(&text) {
            if let Some(who) = words::addressee_intro(&text) {
                let list = self.list.get_or_insert_with(ListCtx::default);
                list.addressee = Some(who);
                list.style = None;
                list.committee |= words::asks(&text);
                return;
            }
        }
        if (heading || item.is_none() || text.ends_with(':'))
            && words::list_intro(&text)
            && !words::asks(&text)
        {
            let title = words::strip_number(&text)
                .trim_end_matches([':', '-'])
                .to_owned();
            let previous = self.list.as_ref().and_then(|l| l.title.clone());
            // A long intro sentence keeps the heading it sits under as the list's name.
            // "What does the Local Authority need to improve?" names who the lists under it address.
            let addressee = words::needs_to_improve(&text)
                .or_else(|| self.list.as_ref().and_then(|l| l.addressee.clone()));
            let (timeframe, timeframe_raw) = match words::timeframe_heading(&text) {
                Some((tf, raw)) => (tf, Some(raw)),
                None => (None, None),
            };
            let title = if title.split_whitespace().count() > 12 {
                previous.or(Some(title))
            } else {
                Some(title)
            };
            self.list = Some(ListCtx {
                title,
                addressee,
                timeframe,
                timeframe_raw,
                ..ListCtx::default()
            });
            self.measures_mode = false;
            return;
        }
        if let Some(list) = self.list.clone() {
            if words::about_recommendations(&text) && !words::asks(&text) {
                // Narrative about the recommendations; an intro when it ends with a colon.
                return;
            }
            if let Some((marker, depth)) = &item {
                let numbered = marker.is_some();
                let same_style = list.style.is_none_or(|s| s == numbered);
                if list.depth.is_some_and(|d| *depth > d) {
                    if let Some(r) = self
                        .drafts
                        .last_mut()
                        .filter(|_| list.style.is_some())
                        .map(|d| &mut d.rec)
                    {
                        r.text = format!("{}; {}", r.text, text);
                        return;
                    }
                }
                if same_style && words::introduces_list(&text) {
                    // "28. In order to improve …, the local authority should take the following action:"
                    let l = self.list.get_or_insert_with(ListCtx::default);
                    l.addressee = words::addressee(&text).or(l.addressee.take());
                    return;
                }
                if same_style {
                    let d = *depth;
                    self.list_item(&list, marker.clone(), text, numbered, page, line);
                    if let Some(l) = self.list.as_mut() {
                        l.depth.get_or_insert(d);
                    }
                    return;
                }
            } else if words::asks(&text) && !heading {
                // "3.1 Cabinet is asked to note the findings …" inside a Recommendations section.
                let (reference, body) = match words::leading_marker(&text) {
                    Some((m, rest)) => (Some(m), rest),
                    None => (None, text.clone()),
                };
                let mut l = list.clone();
                l.addressee = words::addressee(&body).or(l.addressee);
                self.list_item(&l, reference, body, false, page, line);
                self.list = None;
                return;
            }
            // A theme sub-heading inside the list ("Care leavers", "Thresholds") does not
            // end it: the numbering runs on under the next theme.
            if item.is_none() && !heading && list.style != Some(false) && is_theme_line(&text) {
                return;
            }
            // Anything else closes the list.
            self.list = None;
        }
        // A numbered list item that asks a committee to decide, outside any list.
        if let Some((Some(marker), 0)) = &item {
            if words::asks(&text)
                && words::addressee(&text).is_some()
                && self.is_recommendations_heading()
            {
                let l = ListCtx {
                    title: self.last_heading.clone(),
                    committee: true,
                    ..ListCtx::default()
                };
                self.list_item(&l, Some(marker.clone()), text, true, page, line);
                return;
            }
        }
        // 6a. Commitments and action points in body text ("We will …", "Action: AR to …").
        if !heading && self.commitment_block(&text, &item, page, line) {
            return;
        }
        // 6. Numbered plan sections ("4 AVOID PLACING YOUNG PEOPLE …").
        let numbered = match &item {
            Some((Some(m), 0)) => Some(format!("{} {}", m.trim_end_matches(['.', ')']), text)),
            None => Some(text.clone()),
            _ => None,
        };
        if let Some((reference, title)) = numbered.as_deref().and_then(words::caps_section) {
            self.new_rec(Some(reference), title, page, line, true);
            self.columns = None;
            return;
        }
        // 7. "2.1 Outcome – …": a grouping action; an unnumbered outcome is a measure.
        let with_marker = match &item {
            Some((Some(m), _)) => format!("{} {text}", m.trim_end_matches(['.', ')'])),
            _ => text.clone(),
        };
        if let Some(rest) = outcome_line(&with_marker) {
            match rest {
                (Some(reference), body) => {
                    if self.current.is_some() {
                        self.labelled = None;
                        self.awaiting_outcome = body.is_empty();
                        let action = self.blank_action(Some(reference), body, page, line);
                        if let Some(r) = self.rec_mut() {
                            r.actions.push(action);
                        }
                    }
                }
                (None, body) => {
                    if let Some(r) = self.rec_mut() {
                        r.measures.push(body);
                    }
                }
            }
            return;
        }
        if heading {
            self.action_list = None;
            self.last_heading = Some(text);
            // A new heading starts new content: the last table's columns no longer apply.
            self.columns = None;
        }
    }

    /// One action read from a sentence of prose, with its owner if named and the
    /// deadline its clauses set, added to the current recommendation.
    fn push_sentence_action(
        &mut self,
        reference: Option<String>,
        sentence: String,
        owner: Option<String>,
        page: u32,
        line: Option<u32>,
    ) {
        let clause = dated_clause(&sentence);
        let clause = if clause.is_empty() {
            commit::deadline(&sentence).unwrap_or_default()
        } else {
            clause
        };
        let owner = owner.or_else(|| commit::resolution_owner(&sentence));
        let mut a = self.blank_action(reference, sentence, page, line);
        a.lead = owner.map(|o| vec![o]).unwrap_or_default();
        if !clause.is_empty() {
            a.timescale = Some(timescale::parse(&clause, self.ctx));
        }
        if let Some(r) = self.rec_mut() {
            r.actions.push(a);
        }
    }

    /// Resolutions of minutes: "RESOLVED the Leader to: a) CREATE … b) …" gives actions
    /// led by the one named in the lead-in; "RESOLVED … to recommend to X:" gives
    /// recommendations; a single resolution that delegates or asks is an action; items
    /// that only note or endorse are neither. Returns true when the block was used.
    fn resolution_block(
        &mut self,
        text: &str,
        heading: bool,
        item: &Option<(Option<String>, u8)>,
        page: u32,
        line: Option<u32>,
    ) -> bool {
        if heading {
            self.resolution = None;
            return false;
        }
        if let Some((res, depth)) = self.resolution.clone() {
            let sub = match item {
                Some((Some(m), d)) => {
                    depth.is_none_or(|depth| *d > depth)
                        || m.starts_with(|c: char| c.is_ascii_lowercase() || c == '(')
                }
                _ => false,
            };
            if sub {
                let reference = item
                    .as_ref()
                    .and_then(|(m, _)| m.as_deref().map(words::marker_ref));
                match res {
                    commit::Resolution::Recommends => {
                        let i = self.new_rec(reference, text.to_owned(), page, line, false);
                        if let Some(d) = self.drafts.get_mut(i) {
                            d.rec.list = Some("Resolutions".to_owned());
                        }
                    }
                    commit::Resolution::Actions { owner } if !commit::only_notes(text) => {
                        self.section_rec(page, line);
                        self.push_sentence_action(reference, text.to_owned(), owner, page, line);
                    }
                    _ => {}
                }
                return true;
            }
            self.resolution = None;
        }
        let Some(res) = commit::resolution(text) else {
            return false;
        };
        let depth = item.as_ref().map(|(_, d)| *d);
        match res {
            commit::Resolution::Action { text: body, owner } => {
                self.section_rec(page, line);
                let reference = item
                    .as_ref()
                    .and_then(|(m, _)| m.as_deref().map(words::marker_ref));
                let deadline = commit::deadline(&body);
                let mut a = self.blank_action(reference, body, page, line);
                a.lead = owner.map(|o| vec![o]).unwrap_or_default();
                if let Some(d) = deadline {
                    a.timescale = Some(timescale::parse(&d, self.ctx));
                }
                if let Some(r) = self.rec_mut() {
                    r.actions.push(a);
                }
                true
            }
            commit::Resolution::Noted => false,
            open => {
                self.resolution = Some((open, depth));
                true
            }
        }
    }

    /// "We will …" sentences, "We will:" lead-ins and minutes' action points become
    /// actions of the section they sit in. Returns true when the block was used.
    fn commitment_block(
        &mut self,
        text: &str,
        item: &Option<(Option<String>, u8)>,
        page: u32,
        line: Option<u32>,
    ) -> bool {
        if let Some((owner, body)) = commit::action_point(text) {
            if body.is_empty() {
                // "ACTION – Director of Public Health" names the owner of the point above.
                let Some(who) = owner else { return false };
                if let Some(a) = self
                    .rec_mut()
                    .and_then(|r| r.actions.last_mut())
                    .filter(|a| a.lead.is_empty())
                {
                    a.lead = words::people(&[who]);
                    return true;
                }
                // No unowned action above: the point is the paragraph before.
                let Some((point, p_page, p_line)) = self.previous_text.clone() else {
                    return false;
                };
                if point.ends_with(':') || point.split_whitespace().count() < 4 {
                    return false;
                }
                self.section_rec(p_page, p_line);
                let mut a = self.blank_action(None, point.clone(), p_page, p_line);
                a.lead = words::people(&[who]);
                if let Some(d) = commit::deadline(&point) {
                    a.timescale = Some(timescale::parse(&d, self.ctx));
                }
                if let Some(r) = self.rec_mut() {
                    r.actions.push(a);
                }
                return true;
            }
            self.section_rec(page, line);
            let deadline = commit::deadline(&body);
            let mut a = self.blank_action(None, body, page, line);
            a.lead = owner.map(|o| words::people(&[o])).unwrap_or_default();
            if let Some(d) = deadline {
                a.timescale = Some(timescale::parse(&d, self.ctx));
            }
            if let Some(r) = self.rec_mut() {
                r.actions.push(a);
            }
            return true;
        }
        if item.is_none() && self.commitments && commit::introduces_commitments(text) {
            self.section_rec(page, line);
            self.action_list = Some(ActionList {
                paragraphs: false,
                awaiting_title: false,
            });
            return true;
        }
        // Numbered statements of what will happen under "Looking ahead" / "Next steps".
        if self
            .last_heading
            .as_deref()
            .is_some_and(commit::forward_heading)
            && commit::forward_statement(text)
        {
            let marked = match item {
                Some((Some(m), _)) => Some((Some(words::marker_ref(m)), text.to_owned())),
                _ => Some(match words::leading_marker(text) {
                    Some((m, rest)) => (Some(m), rest),
                    // "3.1 11th Annual …": a dotted paragraph number.
                    None => match text.split_once(' ') {
                        Some((n, rest))
                            if n.contains('.')
                                && n.chars().all(|c| c.is_ascii_digit() || c == '.') =>
                        {
                            (Some(n.trim_end_matches('.').to_owned()), rest.to_owned())
                        }
                        _ => (None, text.to_owned()),
                    },
                }),
            };
            if let Some((reference, body)) = marked {
                self.section_rec(page, line);
                let mut a = self.blank_action(reference, body, page, line);
                let clause = dated_clause(text);
                if !clause.is_empty() {
                    a.timescale = Some(timescale::parse(&clause, self.ctx));
                }
                if let Some(r) = self.rec_mut() {
                    r.actions.push(a);
                }
                return true;
            }
        }
        if self.narrative {
            let agreed = commit::narrative_actions(text);
            if !agreed.is_empty() && commit::commitments(text).is_empty() {
                self.section_rec(page, line);
                for (owner, sentence) in agreed {
                    self.push_sentence_action(None, sentence, owner, page, line);
                }
                return true;
            }
        }
        let found = if self.commitments {
            commit::commitments(text)
        } else {
            Vec::new()
        };
        if found.is_empty() && self.spoken {
            let promised = commit::follow_ups(text);
            if promised.is_empty() {
                return false;
            }
            self.section_rec(page, line);
            for sentence in promised {
                self.push_sentence_action(None, sentence, None, page, line);
            }
            return true;
        }
        if found.is_empty() {
            return false;
        }
        self.section_rec(page, line);
        let marker = item
            .as_ref()
            .and_then(|(m, _)| m.as_deref().map(words::marker_ref));
        let single = found.len() == 1;
        for sentence in found {
            let mut a = self.blank_action(
                if single { marker.clone() } else { None },
                sentence.clone(),
                page,
                line,
            );
            let clause = dated_clause(&sentence);
            if !clause.is_empty() {
                a.timescale = Some(timescale::parse(&clause, self.ctx));
            }
            if let Some(r) = self.rec_mut() {
                r.actions.push(a);
            }
        }
        true
    }

    /// The recommendation that actions found in body text belong to: the current one
    /// when it is the section's own (or a stated recommendation), else a new one named
    /// after the section heading.
    fn section_rec(&mut self, page: u32, line: Option<u32>) {
        let heading = self.last_heading.clone();
        let reuse = self
            .current
            .and_then(|i| self.drafts.get(i))
            .is_some_and(|d| {
                d.rec.reference.is_some()
                    || heading.as_deref().is_some_and(|h| d.rec.text == h)
                    || (heading.is_none() && d.rec.text == "Commitments")
            });
        if !reuse {
            let title = heading.unwrap_or_else(|| "Commitments".to_owned());
            self.new_rec(None, title, page, line, false);
        }
    }

    /// Names the lead of the current recommendation's actions that have none (or of
    /// the recommendation itself when it has no actions yet).
    fn apply_lead(&mut self, value: &str) {
        let people = words::people(&[value.to_owned()]);
        let Some(r) = self.rec_mut() else { return };
        let mut applied = false;
        for a in r.actions.iter_mut().filter(|a| a.lead.is_empty()) {
            a.lead = people.clone();
            applied = true;
        }
        if !applied && r.lead.is_none() {
            r.lead = Some(clean(value));
        }
    }

    /// Action lists: group headings, intros, coded risk titles, status lines, items.
    /// Returns true when the block was used.
    fn action_list_block(
        &mut self,
        text: &str,
        heading: bool,
        item: &Option<(Option<String>, u8)>,
        page: u32,
        line: Option<u32>,
    ) -> bool {
        let with_marker = match item {
            Some((Some(m), _)) => format!("{} {text}", m.trim_end_matches(['.', ')'])),
            _ => text.to_owned(),
        };
        if item.as_ref().is_none_or(|(m, _)| m.is_some()) {
            if let Some((reference, title)) = words::action_group(&with_marker) {
                self.flush_pending();
                self.list = None;
                self.new_rec(reference, title, page, line, true);
                return true;
            }
            if words::action_list_intro(text) {
                self.flush_pending();
                self.list = None;
                // "Actions:" under a recommendation (or a group heading) that has none yet
                // lists that recommendation's actions; items of a recommendation list do not.
                let reuse = self
                    .current
                    .and_then(|i| self.drafts.get(i))
                    .is_some_and(|d| {
                        d.rec.actions.is_empty() && d.rec.list.is_none() && !d.rec.text.is_empty()
                    });
                if !reuse {
                    self.new_rec(None, text.to_owned(), page, line, true);
                }
                self.action_list = Some(ActionList {
                    paragraphs: !heading,
                    awaiting_title: false,
                });
                return true;
            }
        }
        let Some(mut list) = self.action_list else {
            return false;
        };
        if heading && !words::status_line(text) {
            self.action_list = None;
            return false;
        }
        if item.is_none() {
            if let Some((code, title)) = words::coded_title(text) {
                self.new_rec(Some(code), title, page, line, true);
                self.action_list = Some(ActionList {
                    paragraphs: false,
                    awaiting_title: false,
                });
                return true;
            }
            if words::status_line(text) && self.current.is_some() {
                let mut a = self.blank_action(None, String::new(), page, line);
                a.status = Some(text.to_owned());
                if let Some(r) = self.rec_mut() {
                    r.actions.push(a);
                }
                list.awaiting_title = true;
                self.action_list = Some(list);
                return true;
            }
        }
        let ctx = self.ctx;
        let Some(r) = self.rec_mut() else {
            return false;
        };
        if let Some(last) = r
            .actions
            .last_mut()
            .filter(|a| a.status.is_some() && item.is_none())
        {
            // Coded entries: status, then the action's title, then progress narrative.
            let titled = list.awaiting_title;
            if titled {
                last.text = text.to_owned();
            } else if !last.text.is_empty() {
                last.progress = Some(match last.progress.take() {
                    Some(p) => format!("{p} {text}"),
                    None => text.to_owned(),
                });
            } else {
                return false;
            }
            // A deadline stated in the title or the narrative is the action's timescale.
            let said = format!(
                "{} {}",
                last.text,
                last.progress.as_deref().unwrap_or_default()
            );
            let clause = dated_clause(&said);
            if last.timescale.is_none() && !clause.is_empty() {
                last.timescale = Some(timescale::parse(&clause, ctx));
            }
            if titled {
                list.awaiting_title = false;
                self.action_list = Some(list);
            }
            return true;
        }
        match item {
            Some((marker, _)) => {
                let a = self.blank_action(
                    marker.as_deref().map(words::marker_ref),
                    text.to_owned(),
                    page,
                    line,
                );
                if let Some(r) = self.rec_mut() {
                    r.actions.push(a);
                }
                true
            }
            None if list.paragraphs && text.split_whitespace().count() >= 4 => {
                let a = self.blank_action(None, text.to_owned(), page, line);
                if let Some(r) = self.rec_mut() {
                    r.actions.push(a);
                }
                true
            }
            None => false,
        }
    }

    fn is_recommendations_heading(&self) -> bool {
        self.last_heading.as_deref().is_some_and(words::list_intro)
    }

    fn list_item(
        &mut self,
        list: &ListCtx,
        marker: Option<String>,
        text: String,
        numbered: bool,
        page: u32,
        line: Option<u32>,
    ) {
        let (marker, text) = match (marker, words::leading_marker(&text)) {
            // "(a) NOTE …" or "a) NOTE …" printed as a plain item: the label is in the text.
            (None, Some((m, rest)))
                if m.len() <= 3
                    && (text.starts_with('(') || m.chars().all(|c| c.is_ascii_lowercase())) =>
            {
                (Some(m), rest)
            }
            (m, _) => (m, text),
        };
        let mut reference = marker.as_deref().map(words::marker_ref);
        let text = text
            .trim_end_matches(';')
            .trim_end_matches(" and")
            .trim_end_matches(';')
            .trim();
        // "4. (1) Members … are asked to": the sub-paragraph number belongs to the ref.
        let text = match words::leading_marker(text) {
            Some((m, rest)) if text.starts_with('(') && m.chars().all(|c| c.is_ascii_digit()) => {
                reference = Some(match reference {
                    Some(r) => format!("{r}({m})"),
                    None => format!("({m})"),
                });
                rest
            }
            _ => text.to_owned(),
        };
        let i = self.new_rec(reference, text, page, line, false);
        let r = &mut self.drafts[i].rec;
        r.timeframe = list.timeframe;
        r.timeframe_raw = list.timeframe_raw.clone();
        if r.addressee.is_none() {
            r.addressee = list.addressee.clone();
        }
        r.list = list.title.clone().or_else(|| list.timeframe_raw.clone());
        // What a report asks its meeting ("Members are asked to: 1. NOTE …") is the
        // meeting's business, not a plan's recommendation.
        if list.committee || words::asks(&r.text) {
            r.kind = actionplan_model::RecommendationKind::Ask;
        }
        if let Some(l) = self.list.as_mut() {
            l.style.get_or_insert(numbered);
        }
        // A list item is not a plan section: actions that follow belong to plan sections.
        self.current = Some(i);
    }

    /// Handles "Recommendation N …"; returns false when the label is only a mention.
    fn labelled_recommendation(
        &mut self,
        label: &str,
        reference: &str,
        rest: &str,
        page: u32,
        line: Option<u32>,
    ) -> bool {
        // "Recommendations 7" is a contents line pointing at page 7, not a recommendation.
        if rest.trim().is_empty()
            && label.to_lowercase().ends_with('s')
            && reference.chars().all(|c| c.is_ascii_digit())
        {
            return false;
        }
        let mut text = rest.trim().to_owned();
        let mut timeframe = None;
        if let Some(inner) = leading_parenthesis(&text) {
            if let Some(tf) = words::timeframe_of(&inner) {
                timeframe = Some(tf);
                text = text[inner.len() + 2..].trim().to_owned();
            }
        }
        let text = text
            .trim_start_matches(['-', '–', '—', ':', ' '])
            .to_owned();
        if text.len() > 2000 {
            return false;
        }
        self.flush_pending();
        self.list = None;
        self.columns = None;
        let empty = text.is_empty();
        let i = self.new_rec(Some(reference.to_owned()), text, page, line, false);
        self.awaiting_text = empty;
        if let Some((tf, raw)) = timeframe {
            self.drafts[i].rec.timeframe = tf;
            self.drafts[i].rec.timeframe_raw = Some(raw);
        }
        true
    }

    fn labelled_action(&mut self, reference: String, body: String, page: u32, line: Option<u32>) {
        self.flush_pending();
        self.list = None;
        if self.current.is_none() {
            let heading = self.last_heading.clone().unwrap_or_else(|| body.clone());
            self.new_rec(None, heading, page, line, false);
        }
        let action = self.blank_action(Some(reference), body, page, line);
        if let Some(r) = self.rec_mut() {
            r.actions.push(action);
            let n = r.actions.len() - 1;
            self.labelled = Some(n);
        }
        self.columns = None;
    }

    fn blank_action(
        &self,
        reference: Option<String>,
        text: String,
        page: u32,
        line: Option<u32>,
    ) -> Action {
        Action {
            reference,
            line,
            ..Action::new(clean(&text), page)
        }
    }

    /// One or more labelled values on a line ("Lead Responsibility: X Monitoring: Y").
    /// Returns true when the line was used.
    fn key_values(&mut self, text: &str) -> bool {
        // A lead label on its own line ("Responsible Officer for Disability"): the next
        // paragraph names the lead, and the list of actions it closes is complete.
        if words::label_kind(&text.trim_end_matches(':').to_lowercase()) == Some(Label::Lead) {
            self.awaiting_lead = true;
            self.action_list = None;
            return true;
        }
        let segments = words::split_labels(text);
        if segments.len() <= 1 {
            return self.key_value(text);
        }
        let mut used = false;
        for seg in segments {
            used |= self.key_value(&seg);
        }
        used
    }

    /// "Lead Manager: X", "Strategic lead: Y", "Key PIs: …". Returns true when used.
    fn key_value(&mut self, text: &str) -> bool {
        let Some((key, value)) = words::key_value(text) else {
            return false;
        };
        let Some(kind) = words::label_kind(&key) else {
            return false;
        };
        // "Responsible Officer for Mitigating Actions – Age": the dash gives the subject,
        // the value follows on its own line.
        if kind == Label::Lead
            && (value.trim().is_empty()
                || (key.contains(" for ") && value.split_whitespace().count() <= 2))
        {
            self.awaiting_lead = true;
            self.action_list = None;
            return true;
        }
        if kind == Label::Lead && self.action_list.is_some() {
            self.apply_lead(&value);
            return true;
        }
        // "Timescale: …", "Resources: …" after a list of actions apply to each of them.
        if self.action_list.is_some()
            && !matches!(
                kind,
                Label::Lead | Label::LeadAgency | Label::Measures | Label::Ignore
            )
        {
            let ctx = self.ctx;
            let value = clean(&value);
            if let Some(r) = self.rec_mut() {
                for a in r.actions.iter_mut() {
                    match kind {
                        Label::Timescale if a.timescale.is_none() => {
                            a.timescale = Some(timescale::parse(&value, ctx))
                        }
                        Label::Resources if a.resources.is_none() => {
                            a.resources = Some(value.clone())
                        }
                        Label::Status if a.status.is_none() => a.status = Some(value.clone()),
                        Label::Partners => a
                            .partners
                            .extend(words::people(std::slice::from_ref(&value))),
                        _ => {}
                    }
                }
                return true;
            }
        }
        let target_action = self.labelled;
        let from_list = self
            .current
            .and_then(|i| self.drafts.get(i))
            .is_some_and(|d| d.rec.list.is_some());
        let value = clean(&value);
        match kind {
            Label::Ignore => {}
            Label::Measures => {
                self.collecting_measures = true;
                if let Some(r) = self.rec_mut() {
                    if !value.is_empty() {
                        r.measures.push(value);
                    }
                }
            }
            Label::Lead
            | Label::LeadAgency
            | Label::Partners
            | Label::Timescale
            | Label::Resources
            | Label::Status => {
                if value.is_empty() || words::is_none_word(&value) {
                    return true;
                }
                let ctx = self.ctx;
                let Some(r) = self.rec_mut() else {
                    return false;
                };
                match (target_action.and_then(|a| r.actions.get_mut(a)), kind) {
                    (Some(a), Label::Lead | Label::LeadAgency) => {
                        // The named manager first, the agency after.
                        for (k, p) in words::people(std::slice::from_ref(&value))
                            .into_iter()
                            .enumerate()
                        {
                            if !a.lead.contains(&p) {
                                if kind == Label::Lead {
                                    a.lead.insert(k, p)
                                } else {
                                    a.lead.push(p)
                                }
                            }
                        }
                    }
                    (Some(a), Label::Partners) => a.partners.extend(words::people(&[value])),
                    (Some(a), Label::Timescale) => {
                        a.timescale = Some(timescale::parse(&value, ctx))
                    }
                    (Some(a), Label::Resources) => a.resources = Some(value),
                    (Some(a), Label::Status) => a.status = Some(value),
                    (None, Label::Lead) if !from_list => r.lead = Some(value),
                    (None, _) => {}
                    _ => {}
                }
            }
        }
        true
    }

    // ---- tables ----

    fn table(&mut self, table: &Table) {
        let index = self.tables;
        self.tables += 1;
        let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        if self
            .columns
            .as_ref()
            .is_some_and(|m| m.roles.len() != width)
        {
            self.flush_pending();
            self.columns = None;
        }
        self.list = None;
        self.measures_mode = false;
        let all: Vec<Vec<String>> = table
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| clean(&c.text())).collect())
            .collect();
        let skip = self.judge_table(table, index, &all);
        for (ri, row) in table.rows.iter().enumerate() {
            if skip == Some(ri) {
                continue;
            }
            let texts = &all[ri];
            if let Some(map) = ColumnMap::from_header(texts) {
                self.flush_pending();
                self.last_map = Some(map.clone());
                self.columns = Some(map);
                continue;
            }
            if self.columns.is_none() {
                self.columns = self.last_map.clone().filter(|m| continues_table(m, row));
            }
            if self.columns.is_none() && width == 2 && self.label_value_row(row) {
                continue;
            }
            let filled = row.filled();
            let joined = texts
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let anchor = words::caps_section(&joined).is_some()
                || words::action_label(&joined).is_some()
                || words::rec_label(&joined)
                    .is_some_and(|(_, _, rest)| !rest.is_empty() || filled == 1);
            let spanning =
                anchor || filled <= 1 || self.columns.as_ref().is_none_or(|m| m.roles.len() < 2);
            if self.columns.is_none() || anchor || (spanning && !self.is_continuation(row)) {
                self.flush_pending();
                self.spanning_row(row, filled);
                continue;
            }
            if self.is_continuation(row) {
                if let Some(p) = self.pending.as_mut() {
                    let split = p.row.page != row.page;
                    merge_rows(&mut p.row, row, split);
                    continue;
                }
            }
            self.flush_pending();
            self.pending = Some(Pending {
                row: row.clone(),
                table: index,
                index: ri as u32,
            });
        }
    }

    /// Decides how a table will be read before its rows are walked: by a known header
    /// row, as a continuation of the last table, or by the evidence of its header
    /// words and cells (`columns::infer`). Returns the row to skip as the header when
    /// the columns were inferred. Records the decision in `explain`.
    fn judge_table(&mut self, table: &Table, index: u32, texts: &[Vec<String>]) -> Option<usize> {
        let page = table.rows.first().map(|r| r.page).unwrap_or(0);
        let at = format!(
            "table {} (page {page}, {} rows)",
            index + 1,
            table.rows.len()
        );
        if let Some(h) = texts
            .iter()
            .position(|t| ColumnMap::from_header(t).is_some())
        {
            let roles = ColumnMap::from_header(&texts[h])
                .map(|m| describe_roles(&texts[h], &m))
                .unwrap_or_default();
            self.explain.push(format!(
                "{at}: action table by its header row {}: {roles}",
                h + 1
            ));
            return None;
        }
        let continues = |m: &ColumnMap| table.rows.iter().any(|r| continues_table(m, r));
        let continued = self.columns.as_ref().is_some_and(continues)
            || self.last_map.as_ref().is_some_and(continues);
        if !continued && self.columns.is_some() {
            // Same width as the open table, but none of its rows fit it: a new table.
            self.flush_pending();
            self.columns = None;
        }
        if continued {
            self.explain
                .push(format!("{at}: continues the previous action table"));
            return None;
        }
        let inf = columns::infer(texts, self.ctx);
        // A two-column form ("Label | long answer") is read row by row as labels and
        // values, unless its header names proposals (or feedback) and responses.
        let form = !inf.map.as_ref().is_some_and(|m| m.responses)
            && inf.columns.len() == 2
            && inf.columns[0].mean_words <= 6.0
            && inf.columns[1].mean_words >= 8.0
            && inf.columns[0].role != Some(Role::Reference);
        if form {
            self.explain.push(format!(
                "{at}: a two-column form (labels and answers): read row by row"
            ));
            return None;
        }
        let detail = inf
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let scores = c
                    .scores
                    .iter()
                    .map(|(r, s)| format!("{} {s:.2}", r.name()))
                    .collect::<Vec<_>>()
                    .join(" ");
                let head = if c.header.is_empty() {
                    "(no header)".to_owned()
                } else {
                    format!("{:?}", c.header)
                };
                format!(
                    "col {} {head} → {} [{scores}]",
                    i + 1,
                    c.role.map(Role::name).unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        self.explain.push(format!("{at}: {}; {detail}", inf.reason));
        let map = inf.map?;
        self.flush_pending();
        self.last_map = Some(map.clone());
        self.columns = Some(map);
        inf.header_row
    }

    /// A form row "label | value" (equality impact assessments, proformas). Returns
    /// true when used.
    fn label_value_row(&mut self, row: &Row) -> bool {
        let (Some(label_cell), Some(value_cell)) = (row.cells.first(), row.cells.get(1)) else {
            return false;
        };
        let label = clean(&label_cell.text());
        if label.is_empty() || value_cell.is_empty() || label.split_whitespace().count() > 15 {
            return false;
        }
        let key = label.trim_end_matches(':').to_lowercase();
        let key = key.split(" – ").next().unwrap_or(&key).trim().to_owned();
        if words::label_kind(&key) == Some(Label::Lead) {
            self.apply_lead(&value_cell.text());
            return true;
        }
        if words::action_list_intro(&label) || words::action_group(&label).is_some() {
            self.text_block(&label, false, None, row.page, row.line);
            for p in &value_cell.parts {
                let item = p.list_item.then(|| (p.marker.clone(), 0u8));
                self.text_block(&p.text, false, item, row.page, row.line);
            }
            self.action_list = None;
            return true;
        }
        false
    }

    /// A row that holds one block of text: read its paragraphs like body text.
    fn spanning_row(&mut self, row: &Row, filled: usize) {
        if filled == 1 {
            if let Some(c) = row.cells.iter().find(|c| !c.is_empty()) {
                // A label split from its text across lines ("2.1 Outcome" / "Deliver …").
                let whole = clean(&c.text());
                if c.parts.len() > 1
                    && outcome_line(&whole).is_some_and(|(_, body)| !body.is_empty())
                    && outcome_line(&clean(&c.parts[0].text)).is_some()
                {
                    self.text_block(&whole, false, None, row.page, row.line);
                    return;
                }
                for p in &c.parts {
                    let item = p.list_item.then(|| (p.marker.clone(), 0u8));
                    self.text_block(&p.text, false, item, row.page, row.line);
                }
            }
        } else {
            let joined = row
                .cells
                .iter()
                .map(|c| clean(&c.text()))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            self.text_block(&joined, false, None, row.page, row.line);
        }
    }

    fn is_continuation(&self, row: &Row) -> bool {
        let (Some(map), Some(p)) = (self.columns.as_ref(), self.pending.as_ref()) else {
            return false;
        };
        let cell = |r: &Row, role| {
            map.column(role)
                .map(|c| r.cell_text(c).trim().to_owned())
                .unwrap_or_default()
        };
        let own_ref = cell(row, Role::Reference);
        if !own_ref.is_empty() && own_ref != cell(&p.row, Role::Reference) {
            return false;
        }
        let action_empty = cell(row, Role::Action).is_empty() && own_ref.is_empty();
        if action_empty && row.filled() > 0 {
            return true;
        }
        if row.page != p.row.page {
            let starts_lower = |t: &str| {
                let t = t.trim_start();
                words::leading_marker(t).is_none()
                    && t.chars().next().is_some_and(|c| c.is_lowercase())
            };
            let first = row
                .cells
                .iter()
                .map(|c| c.text())
                .find(|t| !t.trim().is_empty())
                .unwrap_or_default();
            // Any cell picking up mid-sentence where the previous row's cell stopped.
            let resumes = row.cells.iter().enumerate().any(|(i, c)| {
                let before = p.row.cell_text(i);
                let unfinished = !before.trim().is_empty()
                    && !before.trim_end().ends_with(['.', '!', '?', ';', ':']);
                unfinished && starts_lower(&c.text())
            });
            let lower = starts_lower(&first) || resumes;
            let ref_missing = map.column(Role::Reference).is_some()
                && cell(row, Role::Reference).is_empty()
                && !cell(&p.row, Role::Reference).is_empty();
            return lower || ref_missing;
        }
        false
    }

    fn flush_pending(&mut self) {
        let Some(p) = self.pending.take() else { return };
        let Some(map) = self.columns.clone() else {
            return;
        };
        self.row_to_actions(&map, p);
    }

    fn row_to_actions(&mut self, map: &ColumnMap, p: Pending) {
        // A response is an action only where it commits to something, and each
        // sentence that commits is one action.
        if map.responses {
            let Some(c) = map.column(Role::Action) else {
                return;
            };
            let said = p.row.cell_text(c);
            let committed: Vec<String> = commit::sentences_of(&said)
                .into_iter()
                .filter(|s| {
                    commit::response_commitment(s) && self.responses_seen.insert(s.to_lowercase())
                })
                .collect();
            for sentence in committed {
                let mut one = p.clone();
                if let Some(cell) = one.row.cells.get_mut(c) {
                    *cell = Cell::from_text(&sentence);
                }
                self.row_to_action(map, one);
            }
            return;
        }
        self.row_to_action(map, p);
    }

    fn row_to_action(&mut self, map: &ColumnMap, p: Pending) {
        let row = &p.row;
        let parts = |role: Role| -> Vec<String> {
            map.columns(role)
                .into_iter()
                .flat_map(|c| {
                    row.cells
                        .get(c)
                        .map(|cell| {
                            cell.parts
                                .iter()
                                .map(|x| clean(&x.text))
                                .filter(|t| !t.is_empty())
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                })
                .collect()
        };
        let action_cell: Cell = map
            .column(Role::Action)
            .and_then(|c| row.cells.get(c).cloned())
            .unwrap_or_default();
        let mut reference = map
            .column(Role::Reference)
            .map(|c| clean(&row.cell_text(c)))
            .filter(|s| !s.is_empty())
            .map(|s| s.trim_end_matches('.').to_owned());
        // A separate "Recommendation" column names the recommendation each row serves.
        if map.column(Role::Recommendation).is_some() {
            let rec_text = parts(Role::Recommendation).join(" ");
            if !rec_text.is_empty() {
                let (r, body) = match words::rec_label(&rec_text) {
                    Some((_, r, body)) if !body.is_empty() => (Some(r), body),
                    _ => match words::leading_marker(&rec_text) {
                        Some((m, body)) => (Some(m), body),
                        // The row's reference numbers the recommendation it states.
                        None => (reference.take(), rec_text.clone()),
                    },
                };
                self.new_rec(r, body, row.page, row.line, false);
            }
        }
        // Items inside the action cell: lettered/numbered paragraphs or inline "a) … b) …".
        let mut items: Vec<(String, Vec<String>)> = Vec::new();
        let mut intro: Vec<String> = Vec::new();
        for part in &action_cell.parts {
            let t = clean(&part.text);
            if t.is_empty() {
                continue;
            }
            // A marked part may carry the next items inline ("a) … b) … c) …").
            let with_marker = match &part.marker {
                Some(m) if part.list_item => format!("{m} {t}"),
                _ => t.clone(),
            };
            let inline = words::inline_items(&with_marker);
            if inline.len() >= 2 {
                items.extend(inline.into_iter().map(|(m, t)| (m, vec![t])));
                continue;
            }
            let marked = match (&part.marker, words::leading_marker(&t)) {
                (Some(m), _) if part.list_item => Some((words::marker_ref(m), t.clone())),
                (_, Some((m, rest))) => Some((m, rest)),
                _ => None,
            };
            let bullet = part.list_item && part.marker.is_none();
            match marked {
                Some((m, rest)) => items.push((m, vec![rest])),
                None => {
                    let target = match items.last_mut() {
                        Some(last) => &mut last.1,
                        None => &mut intro,
                    };
                    // Bullets read as one sentence list: "focussing on: a; b; c".
                    match target.last_mut() {
                        Some(prev) if bullet => {
                            let sep = if prev.ends_with(':') { " " } else { "; " };
                            prev.push_str(sep);
                            prev.push_str(&t);
                        }
                        _ => target.push(t),
                    }
                }
            }
        }
        // Lines of a cell (PDF) may split "a) … b) …" or "… 1. … 2. …" across parts.
        if items.is_empty() && !intro.is_empty() {
            if let Some((lead_in, found)) = words::inline_items_after_intro(&intro.join(" ")) {
                intro = if lead_in.is_empty() {
                    Vec::new()
                } else {
                    vec![lead_in]
                };
                items = found.into_iter().map(|(m, t)| (m, vec![t])).collect();
            }
        }
        if items.len() == 1 && intro.is_empty() && reference.is_none() {
            let (m, texts) = items.remove(0);
            reference = Some(m);
            intro = texts;
        }
        // Cells glued into one text in the export: the lead and timescale end it.
        let mut glued_lead: Vec<String> = Vec::new();
        let mut glued_time: Vec<String> = Vec::new();
        let mut glued_measures: Vec<String> = Vec::new();
        if map.glued && items.is_empty() {
            let t = crate::tail::split(&intro.join(" "), self.ctx);
            intro = vec![t.text];
            glued_lead.extend(t.lead);
            glued_time.extend(t.timescale);
            glued_measures.extend(t.measure);
        }
        // Without a lead column, the officers involved in a row are who carries it out.
        let lead_role = if map.column(Role::Lead).is_none() && map.column(Role::Partners).is_some()
        {
            Role::Partners
        } else {
            Role::Lead
        };
        let mut lead = words::people(&parts(lead_role));
        if lead.is_empty() {
            lead = glued_lead;
        }
        let partners = if lead_role == Role::Partners {
            Vec::new()
        } else {
            words::people(&parts(Role::Partners))
        };
        let resources_parts = parts(Role::Resources);
        let mut timescale_parts = parts(Role::Timescale);
        if timescale_parts.is_empty() {
            timescale_parts = glued_time;
        }
        let mut measures = parts(Role::Measures);
        if measures.is_empty() {
            measures = glued_measures;
        }
        let status_parts = parts(Role::Status);
        let progress_parts = parts(Role::Progress);
        let ctx = self.ctx;
        let make = |reference: Option<String>,
                    text: String,
                    lead: Vec<String>,
                    partners: Vec<String>,
                    resources: &[String],
                    time: &[String],
                    measures: Vec<String>| {
            let mut distinct: Vec<&String> = Vec::new();
            for t in time {
                if !distinct.contains(&t) {
                    distinct.push(t);
                }
            }
            let timescale = (!distinct.is_empty()).then(|| {
                timescale::parse(
                    &distinct
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    ctx,
                )
            });
            let status = status_parts.first().cloned().or_else(|| {
                timescale
                    .as_ref()
                    .and_then(|t| timescale::status(&t.raw))
                    .map(str::to_owned)
            });
            let resources = resources
                .iter()
                .filter(|r| !words::is_none_word(r))
                .cloned()
                .collect::<Vec<_>>();
            Action {
                id: String::new(),
                reference,
                text: clean(&text),
                lead,
                partners,
                resources: (!resources.is_empty()).then(|| resources.join("; ")),
                timescale,
                measures,
                // A progress cell that only says "On track" / "Delayed" is a status too.
                status: status.or_else(|| {
                    progress_parts
                        .first()
                        .filter(|p| progress_parts.len() == 1 && words::status_line(p))
                        .cloned()
                }),
                state: None,
                progress: (!progress_parts.is_empty()).then(|| progress_parts.join(" ")),
                page: row.page,
                line: row.line,
                table: Some(p.table),
                row: Some(p.index),
                steps: Vec::new(),
            }
        };
        // Steps from items; a column with one paragraph per item is split across them.
        let aligned = |v: &[String], k: usize, n: usize| -> Vec<String> {
            if v.len() == n {
                vec![v[k].clone()]
            } else {
                v.to_vec()
            }
        };
        let n = items.len();
        let steps: Vec<Action> = if n >= 2 {
            items
                .iter()
                .enumerate()
                .map(|(k, (m, texts))| {
                    let lead_k = if parts(lead_role).len() == n {
                        words::people(&aligned(&parts(lead_role), k, n))
                    } else {
                        lead.clone()
                    };
                    let partners_k =
                        if lead_role != Role::Partners && parts(Role::Partners).len() == n {
                            words::people(&aligned(&parts(Role::Partners), k, n))
                        } else {
                            partners.clone()
                        };
                    make(
                        Some(m.clone()),
                        texts.join(" "),
                        lead_k,
                        partners_k,
                        &aligned(&resources_parts, k, n),
                        &aligned(&timescale_parts, k, n),
                        aligned(&measures, k, n),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let text = if n >= 2 {
            intro.join(" ")
        } else {
            let mut t = intro.clone();
            for (_, texts) in &items {
                t.extend(texts.iter().cloned());
            }
            t.join(" ")
        };
        if self.current.is_none() {
            let heading = self
                .last_heading
                .clone()
                .unwrap_or_else(|| "Action plan".to_owned());
            self.new_rec(None, heading, row.page, row.line, false);
        }
        let labelled = self.labelled;
        let Some(rec) = self.rec_mut() else { return };
        // Under "Action: X": the row (or its items) are the action's steps.
        if let Some(a) = labelled.and_then(|i| rec.actions.get_mut(i)) {
            if n >= 2 {
                a.steps.extend(steps);
            } else {
                a.steps.push(make(
                    reference,
                    text,
                    lead,
                    partners,
                    &resources_parts,
                    &timescale_parts,
                    measures,
                ));
            }
            return;
        }
        let mut action = make(
            reference.clone(),
            text,
            lead,
            partners,
            &resources_parts,
            &timescale_parts,
            measures,
        );
        if n >= 2 {
            action.steps = steps;
            if action.text.is_empty() {
                action.text = action
                    .steps
                    .iter()
                    .map(|s| s.text.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
            }
        }
        if action.text.is_empty() && action.steps.is_empty() {
            return;
        }
        // "2.1.3" nests under an earlier "2.1".
        if let Some(r) = reference.as_deref() {
            if let Some(parent) = find_parent(&mut rec.actions, r) {
                parent.steps.push(action);
                return;
            }
        }
        rec.actions.push(action);
    }
}

/// A short title line (no sentence end) such as a theme name between list items.
fn is_theme_line(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=14).contains(&words)
        && !text.ends_with(['.', ':', ';', '?', '!', ','])
        && text.starts_with(|c: char| c.is_uppercase())
}

/// "Action → action, Lead → lead" for `--explain`.
fn describe_roles(header: &[String], map: &ColumnMap) -> String {
    header
        .iter()
        .zip(&map.roles)
        .filter(|(h, _)| !h.is_empty())
        .map(|(h, r)| format!("{h:?} → {}", r.map(Role::name).unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when `row` can be read with an earlier table's columns: same width, and a
/// reference-like first cell where the map has a reference column.
fn continues_table(map: &ColumnMap, row: &Row) -> bool {
    if row.cells.len() != map.roles.len() || row.filled() < 2 {
        return false;
    }
    let reference_like = |r: &str, longest: usize| {
        !r.is_empty()
            && r.len() <= longest
            && r.chars().any(|ch| ch.is_ascii_digit())
            && r.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '.')
    };
    match map.column(Role::Reference) {
        Some(c) => reference_like(&clean(&row.cell_text(c)), 12),
        // A row whose action cell is a bare reference ("7") belongs to another table
        // (a register of numbered projects after a plan of unnumbered actions).
        None => !map
            .roles
            .iter()
            .position(|r| *r == Some(Role::Action))
            .is_some_and(|c| reference_like(&clean(&row.cell_text(c)), 6)),
    }
}

/// The sentences of a narrative that set a deadline ("Action target date: 31/03/25",
/// "extended to end of March 2025", "will report in May 2025"), as the raw timescale.
/// Dates of things already done ("approved on 19 December 2024") are not deadlines.
fn dated_clause(text: &str) -> String {
    use std::sync::LazyLock;
    static CUE: LazyLock<regex::Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)\b(target|due|deadline|end of|extended|expected|will|planned|scheduled|aim to|timescale)\b|\bby\s+(?:the\s+)?(?:end\s+of\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|spring|summer|autumn|winter|q[1-4])",
        )
    });
    let sentences: Vec<&str> = text
        .split_inclusive(". ")
        .filter(|s| CUE.is_match(s) && s.chars().any(|c| c.is_ascii_digit() || c.is_alphabetic()))
        .filter(|s| timescale::parse(s, DateContext::default()).due.is_some())
        .collect();
    clean(&sentences.join(" "))
}

/// The deepest action whose ref is a dotted prefix of `reference`.
fn find_parent<'a>(actions: &'a mut [Action], reference: &str) -> Option<&'a mut Action> {
    let idx = actions.iter().rposition(|a| {
        a.reference.as_deref().is_some_and(|p| {
            reference.len() > p.len() + 1
                && reference.starts_with(p)
                && reference.as_bytes()[p.len()] == b'.'
        })
    })?;
    let a = &mut actions[idx];
    let deeper = a.steps.iter().any(|s| {
        s.reference.as_deref().is_some_and(|p| {
            reference.len() > p.len() + 1
                && reference.starts_with(p)
                && reference.as_bytes()[p.len()] == b'.'
        })
    });
    if deeper {
        find_parent(&mut a.steps, reference)
    } else {
        Some(a)
    }
}

/// Appends a continuation row cell by cell. Across a page break (`page_split`), text
/// split mid-sentence rejoins with a space; otherwise each cell's text stays separate.
fn merge_rows(into: &mut Row, next: &Row, page_split: bool) {
    for (i, c) in next.cells.iter().enumerate() {
        if c.is_empty() {
            continue;
        }
        while into.cells.len() <= i {
            into.cells.push(Cell::default());
        }
        let target = &mut into.cells[i];
        let mut parts: Vec<Part> = c
            .parts
            .iter()
            .filter(|p| !p.text.trim().is_empty())
            .cloned()
            .collect();
        if let (Some(last), Some(first)) = (target.parts.last_mut(), parts.first()) {
            let ends_sentence = last.text.trim_end().ends_with(['.', '!', '?', ':', ';']);
            let starts_lower = first
                .text
                .trim_start()
                .chars()
                .next()
                .is_some_and(|ch| ch.is_lowercase());
            // Short values (names, dates) on both sides of a break are separate entries.
            let long = last.text.split_whitespace().count() >= 5;
            if page_split
                && ((!ends_sentence && long) || starts_lower)
                && first.marker.is_none()
                && !first.list_item
            {
                last.text = format!("{} {}", last.text.trim_end(), first.text.trim_start());
                parts.remove(0);
            }
        }
        target.parts.extend(parts);
    }
}

/// "(for action in next 6 months (end June 07)) text" → "for action in next 6 months (end June 07)".
fn leading_parenthesis(text: &str) -> Option<String> {
    let rest = text.strip_prefix('(')?;
    let mut depth = 1;
    for (i, ch) in rest.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(rest[..i].to_owned());
                }
            }
            _ => {}
        }
    }
    None
}

/// "2.1 Outcome – text" → (Some("2.1"), text); "Outcome – text" → (None, text).
fn outcome_line(text: &str) -> Option<(Option<String>, String)> {
    use std::sync::LazyLock;
    static O: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)^(\d{1,2}(?:\.\d{1,2}){0,2})?\s*(?:outcome|objective|aim)\s*(?:\d{1,2})?\s*(?:[:–—-]\s*(.*))?$").expect("valid regex")
    });
    let lower = text.to_lowercase();
    if !(lower.contains("outcome") || lower.contains("objective") || lower.contains("aim")) {
        return None;
    }
    let c = O.captures(text)?;
    let reference = c.get(1).map(|m| m.as_str().to_owned());
    let body = c.get(2).map(|m| clean(m.as_str())).unwrap_or_default();
    // "2.1 Outcome" alone on its line: its text follows in the next block.
    (body.len() >= 10 || (body.is_empty() && reference.is_some())).then_some((reference, body))
}

/// Combines steps' timescales into their action's when it has none of its own.
pub fn combine_timescales(steps: &[Action]) -> Option<Timescale> {
    let ts: Vec<&Timescale> = steps.iter().filter_map(|s| s.timescale.as_ref()).collect();
    if ts.is_empty() {
        return None;
    }
    let mut raws: Vec<String> = Vec::new();
    for t in &ts {
        if !raws.contains(&t.raw) {
            raws.push(t.raw.clone());
        }
    }
    let due = ts.iter().filter_map(|t| t.due.clone()).max();
    // A start after the last due date belongs to a follow-on step, not to the action.
    let start = ts
        .iter()
        .filter_map(|t| t.start.clone())
        .min()
        .filter(|s| due.as_ref().is_none_or(|d| s <= d));
    let timeframe = ts.iter().find_map(|t| t.timeframe);
    Some(Timescale {
        raw: raws.join("; "),
        start,
        due,
        timeframe,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(page: u32, cells: &[&str]) -> Row {
        Row {
            page,
            line: None,
            cells: cells.iter().map(|c| Cell::from_text(c)).collect(),
        }
    }

    #[test]
    fn continuation_merge_rejoins_split_sentences() {
        let mut a = row(
            1,
            &[
                "Case audits undertaken on domestic violence cases for",
                "monitored on 6",
                "standard for domestic",
                "DMT",
            ],
        );
        let b = row(
            2,
            &[
                "social care",
                "monthly basis",
                "violence to ensure quality",
                "",
            ],
        );
        merge_rows(&mut a, &b, true);
        assert_eq!(
            a.cell_text(0),
            "Case audits undertaken on domestic violence cases for social care"
        );
        assert_eq!(
            a.cell_text(2),
            "standard for domestic violence to ensure quality"
        );
        assert_eq!(a.cell_text(3), "DMT");
    }

    #[test]
    fn continuation_keeps_new_paragraphs_apart() {
        let mut a = row(1, &["Do the thing.", "x"]);
        let b = Row {
            page: 2,
            line: None,
            cells: vec![
                Cell {
                    parts: vec![Part::paragraph("Another point")],
                    ..Cell::default()
                },
                Cell::default(),
            ],
        };
        merge_rows(&mut a, &b, true);
        assert_eq!(a.cells[0].parts.len(), 2);
        let mut a = row(1, &["Develop proposals", "Jean Imray"]);
        merge_rows(&mut a, &row(1, &["", "Jean Imray"]), false);
        assert_eq!(
            a.cells[1].parts.len(),
            2,
            "a sub-row on the same page keeps its own values"
        );
    }

    #[test]
    fn parenthesis_and_outcomes() {
        assert_eq!(
            leading_parenthesis("(for action in next 6 months (end June 07)) In relation")
                .as_deref(),
            Some("for action in next 6 months (end June 07)")
        );
        assert_eq!(
            outcome_line("2.1 Outcome – Deliver a robust programme"),
            Some((Some("2.1".into()), "Deliver a robust programme".into()))
        );
        assert_eq!(
            outcome_line("Outcome – The excellent progress is maintained"),
            Some((None, "The excellent progress is maintained".into()))
        );
        assert_eq!(
            outcome_line("Outcomes for children are good in all areas"),
            None
        );
    }

    #[test]
    fn parents_by_dotted_reference() {
        let mk = |r: &str| Action {
            id: String::new(),
            reference: Some(r.into()),
            text: r.into(),
            lead: vec![],
            partners: vec![],
            resources: None,
            timescale: None,
            measures: vec![],
            status: None,
            state: None,
            progress: None,
            page: 1,
            line: None,
            table: None,
            row: None,
            steps: vec![],
        };
        let mut actions = vec![mk("2.1"), mk("2.2")];
        assert_eq!(
            find_parent(&mut actions, "2.1.3")
                .and_then(|a| a.reference.clone())
                .as_deref(),
            Some("2.1")
        );
        assert!(find_parent(&mut actions, "2.10").is_none());
        assert!(find_parent(&mut actions, "3.1.1").is_none());
    }
}
