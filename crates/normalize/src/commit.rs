//! Commitments in body text: "We will …" sentences of strategies and responses, and
//! action points of minutes ("Action: Parish Clerk to write to …", "ACTION – Director
//! of Public Health"). The openers are data (`data/commitments.tsv`).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::columns::data_lines;

/// The sentence patterns of `data/commitments.tsv`, by kind.
struct Openers(HashMap<&'static str, Vec<Regex>>);

/// The kinds a line of `data/commitments.tsv` may have.
const KINDS: [&str; 13] = [
    "not",
    "opener",
    "point",
    "resolved",
    "noting",
    "recommend",
    "directive",
    "forward",
    "narrative",
    "hedge",
    "offer",
    "spoken",
    "tasked",
];

impl Openers {
    fn of(&self, kind: &str) -> &[Regex] {
        self.0.get(kind).map_or(&[], Vec::as_slice)
    }
}

/// Whether `text` has one of `words` as a whole word, in any case: the cheap test
/// before patterns that each need one of them (the patterns ignore case, so must this).
fn has_word(text: &str, words: &[&str]) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| !w.is_empty() && words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// Whether a pattern of `kind` matches `s`.
fn says(kind: &str, s: &str) -> bool {
    OPENERS.of(kind).iter().any(|r| r.is_match(s))
}

static OPENERS: LazyLock<Openers> = LazyLock::new(|| {
    let mut o: HashMap<&'static str, Vec<Regex>> = HashMap::new();
    for (kind, p) in data_lines(include_str!("../../../data/commitments.tsv")) {
        // Every line compiles and has a known kind: `data_files_compile` checks it.
        let (Ok(re), Some(kind)) = (
            crate::pattern::data(p).ok_or(()),
            KINDS.iter().find(|k| **k == kind),
        ) else {
            continue;
        };
        o.entry(kind).or_default().push(re);
    }
    Openers(o)
});

/// Sentences of `text`, split after ". " / "! " / "? " before a capital.
fn sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        cur.push(c);
        let end = matches!(c, '.' | '!' | '?')
            && chars.get(i + 1).is_some_and(|n| n.is_whitespace())
            && chars.get(i + 2).is_some_and(|n| n.is_uppercase())
            // "1. We will …": a list number is not a sentence.
            && !cur.trim().trim_end_matches('.').chars().all(|d| d.is_ascii_digit() || d == '.');
        if end {
            out.push(cur.trim().to_owned());
            cur.clear();
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

/// The sentences of a text (for reading responses sentence by sentence).
pub fn sentences_of(text: &str) -> Vec<String> {
    sentences(&crate::words::clean(text))
}

/// True when `sentence` opens with a commitment ("We will …").
pub fn is_commitment(sentence: &str) -> bool {
    let s = sentence.trim_start();
    says("opener", s) && !says("not", s)
}

/// The commitment sentences of a paragraph, each one action. A paragraph that is only
/// the lead-in to a list ("We will:") gives none; see [`introduces_commitments`].
pub fn commitments(text: &str) -> Vec<String> {
    // Cheap test first: a commitment says "we" or "will".
    if !has_word(text, &["we", "will"]) {
        return Vec::new();
    }
    static NUMBER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\(?\d{1,2}[.)]\s+").expect("valid regex"));
    // Emphasis marks of markdown exports are never content.
    let plain = text.replace(['*', '_'], "");
    let mut out = Vec::new();
    for sentence in sentences(&plain) {
        // Commitments run together in exports that lost their line breaks ("… operations.
        // DEVELOP We will seek …"): each "We will" starts one.
        let mut pieces: Vec<&str> = Vec::new();
        let mut rest = sentence.as_str();
        while let Some(at) = rest
            .get(1..)
            .and_then(|r| r.find(" We will "))
            .map(|i| i + 2)
        {
            pieces.push(&rest[..at]);
            rest = &rest[at..];
        }
        pieces.push(rest);
        for p in pieces {
            let numbered = NUMBER.is_match(p.trim());
            let p = NUMBER.replace(p.trim(), "");
            let p = p.trim();
            // A numbered objective in the present ("3. We embed …") commits as well.
            let mut w = p.split_whitespace();
            let present = numbered
                && w.next().is_some_and(|f| f.eq_ignore_ascii_case("we"))
                && w.next().is_some_and(crate::columns::is_action_verb);
            if (present || is_commitment(p))
                && p.split_whitespace().count() >= 4
                && !p.ends_with(':')
            {
                out.push(p.to_owned());
            }
        }
    }
    out
}

/// "We will:" / "Over the next year we will:": the items that follow are commitments.
pub fn introduces_commitments(text: &str) -> bool {
    let t = text.trim();
    t.ends_with(':') && t.split_whitespace().count() <= 14 && {
        let lower = t.to_lowercase();
        lower.ends_with("we will:")
            || lower.ends_with("we will :")
            || lower.ends_with("we shall:")
            || lower.ends_with("will:")
    }
}

/// An action point: (owner, action text). "Action: AR to contact Highways" → ("AR",
/// "AR to contact Highways"); "ACTION – Director of Public Health" → (owner, "").
/// The deadline an action point states, as printed: "by 31 March 2026", "before the
/// April meeting", "by the end of June", "in time for the March County Council", "by
/// 30/06/26", "by the next meeting". None when it states none.
pub fn deadline(text: &str) -> Option<String> {
    static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(concat!(
            r"(?i)\b(?:by|before|no\s+later\s+than|in\s+time\s+for|ahead\s+of|for|in)\s+(?:the\s+)?(?:end\s+of\s+)?",
            r"(?:(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:\s+\d{4})?(?:\s+(?:(?:county|full|district|borough|parish|city|town)\s+)?(?:meeting|board|committee|council|cabinet)\b(?:\s+meeting)?)?",
            r"|\d{1,2}/\d{1,2}/\d{2,4}|next\s+(?:meeting|board|committee)\b(?:\s+meeting)?|(?:spring|summer|autumn|winter)\s+\d{4}|q[1-4]\b(?:\s+\d{4}(?:/\d{2,4})?)?)"
        ))
    });
    let m = DEADLINE.find(text)?;
    Some(m.as_str().trim().to_owned())
}

/// Whether `text` opens with an action-point label ("Action:", "ACTION –").
pub fn action_point_start(text: &str) -> bool {
    let t = text.trim();
    OPENERS.of("point").iter().any(|r| r.is_match(t))
}

pub fn action_point(text: &str) -> Option<(Option<String>, String)> {
    let t = text.trim();
    let m = OPENERS.of("point").iter().find_map(|r| r.find(t))?;
    let body = t[m.end()..].trim().to_owned();
    if body.is_empty() {
        return None;
    }
    static OWNER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?P<who>(?:[A-Z][\w'’&.-]*|of|and|the|for|&|/)(?:\s+(?:[A-Z][\w'’&.-]*|of|and|the|for|&|/)){0,6})\s+(?:to|will|would|is to|are to|agreed to)\s+\S").expect("valid regex")
    });
    if let Some(c) = OWNER.captures(&body) {
        let who = c["who"].trim().to_owned();
        if crate::columns::cell_shape(&who, crate::timescale::DateContext::default()).lead {
            return Some((Some(who), body));
        }
    }
    // "ACTION – Director of Public Health": the owner alone, for the point made above.
    let words = body.split_whitespace().count();
    if words <= 6
        && body.starts_with(|c: char| c.is_uppercase())
        && !crate::columns::verb_first(&body)
    {
        return Some((Some(body), String::new()));
    }
    Some((None, body))
}

/// A heading over forward-looking plans: "Looking Ahead to 2025", "Next steps".
pub fn forward_heading(text: &str) -> bool {
    let t = crate::words::strip_number(text);
    t.split_whitespace().count() <= 8 && says("forward", &t)
}

/// A sentence under a forward-looking heading that says what will happen: "3.2 The
/// Task Group will continue to publicise …", "A second survey is planned in 2024/25".
pub fn forward_statement(text: &str) -> bool {
    static WILL: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)\b(?:will|shall|is\s+planned|are\s+planned|is\s+scheduled|are\s+scheduled|intends?\s+to|aims?\s+to)\b",
        )
    });
    text.split_whitespace().count() >= 5 && WILL.is_match(text)
}

/// A sentence of a response (to a proposal, a finding, consultation feedback) that
/// commits the responder: a commitment, a statement of what will be done, or a
/// provision offered on need ("… can be made available if required"); not a
/// reassurance ("This will not …") or a state ("… would remain at …").
pub fn response_commitment(sentence: &str) -> bool {
    (is_commitment(sentence) || forward_statement(sentence) || says("offer", sentence))
        && !says("hedge", sentence)
        && !says("not", sentence)
}

/// Follow-ups promised aloud in a meeting, in the first person ("what I will do is
/// take that away and provide some information to the chair", "we'll write to …"),
/// or assigned in a report to named officers ("Officers are also to work with …").
pub fn follow_ups(text: &str) -> Vec<String> {
    // Cheap test first: every "spoken" and "tasked" pattern needs one of these words.
    const NEEDED: [&str; 13] = [
        "will",
        "ll",
        "officer",
        "officers",
        "leader",
        "services",
        "clerk",
        "director",
        "staff",
        "team",
        "asked",
        "tasked",
        "instructed",
    ];
    if !has_word(text, &NEEDED) {
        return Vec::new();
    }
    sentences_of(text)
        .into_iter()
        .filter(|s| {
            (says("spoken", s) || says("tasked", s)) && !says("not", s) && !says("hedge", s)
        })
        .collect()
}

/// Actions agreed in narrative minutes: "The Clerk agreed to invite the developer to
/// the March meeting", "It was agreed to update the plan". Each with the owner named
/// at the start of the sentence, if any ("the Clerk", "Cllr Jim McNeill", "AR").
pub fn narrative_actions(text: &str) -> Vec<(Option<String>, String)> {
    // Cheap test first: every narrative pattern needs one of these words.
    const NEEDED: [&str; 8] = [
        "agreed",
        "undertook",
        "offered",
        "volunteered",
        "resolved",
        "asked",
        "will",
        "would",
    ];
    if !has_word(text, &NEEDED) {
        return Vec::new();
    }
    static OWNER: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"^(?:[a-z]\)\s*)?((?:the\s+|The\s+)?(?:Clerk|Chair(?:man)?|Vice[- ]Chair|Footpath Warden|Treasurer)|Cllrs?\.?\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:\s+and\s+Cllr\.?\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?|[A-Z]{2,3})\b",
        )
    });
    sentences_of(text)
        .into_iter()
        .filter(|s| s.split_whitespace().count() >= 5 && says("narrative", s) && !says("not", s))
        .map(|s| {
            static ASKED: LazyLock<Regex> = LazyLock::new(|| {
                crate::pattern::re(
                    r"\b(?i:asked|tasked|instructed|requested)\s+((?:the\s+)?[A-Z][\w&’'-]*(?:\s+(?:of|for|and|&|[A-Z][\w&’'-]*)){0,6})\s+to\b",
                )
            });
            // "The Board asked the Chief Nurse to report …": the one asked acts.
            let owner = ASKED
                .captures(&s)
                .or_else(|| OWNER.captures(&s))
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().trim().to_owned());
            (owner, s)
        })
        .collect()
}

/// What a resolution of minutes asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// "RESOLVED the Leader to:" — the items that follow are actions of `owner`.
    Actions { owner: Option<String> },
    /// "RESOLVED Members to recommend to the County Council:" — the items are recommendations.
    Recommends,
    /// "RESOLVED that Cabinet … agree to delegate … to the Corporate Director …": one
    /// resolution that is itself an action.
    Action { text: String, owner: Option<String> },
    /// A resolution that only notes, endorses or comments.
    Noted,
}

/// Whom a resolution names as the one to act: "the Leader to:", "to ask the General
/// Counsel to:", "delegate … to the Corporate Director for Finance".
pub fn resolution_owner(text: &str) -> Option<String> {
    static OWNER: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?:^|\b(?i:ask|asks|request|requests|instruct|instructs|call\s+on|calls\s+on|delegate[sd]?\b[^.;]*?\bto|delegat\w+\s+authority\s+to)\s+)((?i:the)\s+[A-Z][\w&’'\- ]*?|[A-Z][\w&’'\-]*(?:\s+[A-Z][\w&’'\-]*){0,4})(?:\s+(?i:to|in\s+consultation)\b|\s*[,:;.]|$)",
        )
    });
    // "that the Cabinet Member be asked to write …": the one asked is the owner.
    static ASKED: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"^(?i:that\s+)?((?i:the)\s+[A-Z][\w&’'\- ]*?|[A-Z][\w&’'\-]*(?:\s+[A-Z][\w&’'\-]*){0,4})\s+(?i:be|is|are)\s+(?i:asked|requested|instructed|invited)\s+to\b",
        )
    });
    let c = ASKED
        .captures(text.trim())
        .or_else(|| OWNER.captures(text.trim()))?;
    let who = c.get(1)?.as_str().trim().to_owned();
    let lower = who.to_lowercase();
    // A role or name ends on a capitalised word: "The Board agreed" is who decided.
    let named = who
        .split_whitespace()
        .last()
        .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()));
    (!who.is_empty()
        && named
        && !matches!(lower.as_str(), "that" | "to" | "the")
        && !lower.starts_with("that "))
    .then_some(who)
}

/// Reads a resolution line of minutes; none when the text is not a resolution.
pub fn resolution(text: &str) -> Option<Resolution> {
    let t = text.trim();
    let m = OPENERS.of("resolved").iter().find_map(|r| r.find(t))?;
    // "Resolved – that:": the dash is punctuation, not part of the lead-in.
    let body = t[m.end()..]
        .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '–' | '—' | '-' | ','))
        .trim();
    if body.is_empty() {
        return Some(Resolution::Actions { owner: None });
    }
    if body.ends_with(':') {
        if says("recommend", body) {
            return Some(Resolution::Recommends);
        }
        let lead_in = body.trim_end_matches(':').trim();
        let lead_in = lead_in.strip_prefix("that").unwrap_or(lead_in).trim();
        // "the Leader to" / "to ask the General Counsel to" / "Cabinet".
        let who = lead_in.strip_suffix(" to").unwrap_or(lead_in).trim();
        let who = who.strip_prefix("to ").unwrap_or(who).trim();
        let owner = resolution_owner(who).or_else(|| {
            (!who.is_empty()
                && who.starts_with(|c: char| c.is_uppercase())
                && who.split_whitespace().count() <= 6)
                .then(|| who.to_owned())
        });
        return Some(Resolution::Actions { owner });
    }
    let rest = body.strip_prefix("that").unwrap_or(body).trim();
    if says("directive", rest) {
        return Some(Resolution::Action {
            text: rest.to_owned(),
            owner: resolution_owner(rest),
        });
    }
    Some(Resolution::Noted)
}

/// True when a resolution's item only notes, endorses or comments ("NOTE with thanks …",
/// "To NOTE the outputs …").
pub fn only_notes(item: &str) -> bool {
    says("noting", item.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn we_will_sentences_are_commitments() {
        // Shaped like a climate strategy's "Our Ambition" block.
        let p = "We have already installed LED lighting. We will install solar panels on ten council buildings by March 2022. We will work with schools to cut car journeys.";
        assert_eq!(
            commitments(p),
            [
                "We will install solar panels on ten council buildings by March 2022.",
                "We will work with schools to cut car journeys."
            ]
        );
        assert!(commitments("We have switched to a green energy tariff.").is_empty());
        // Run together in an export, with a stage cell between them; markdown emphasis.
        assert_eq!(
            commitments("We will embed climate considerations in the Council Plan. DEVELOP We will seek advice on treasury investment PREPARE"),
            ["We will embed climate considerations in the Council Plan.", "We will seek advice on treasury investment PREPARE"]
        );
        assert_eq!(
            commitments("*1. We will specify a new temporary staffing model *"),
            ["We will specify a new temporary staffing model"]
        );
        assert!(commitments("The Council will be asked to approve the plan in May.").is_empty());
        assert_eq!(
            commitments("The Council will publish an annual progress report.").len(),
            1
        );
        assert!(introduces_commitments("Over the next three years we will:"));
        assert!(!introduces_commitments("We will publish the strategy."));
    }

    #[test]
    fn resolutions_of_minutes() {
        // Shaped like committee minutes.
        assert_eq!(
            resolution("RESOLVED the Leader to:"),
            Some(Resolution::Actions {
                owner: Some("the Leader".into())
            })
        );
        assert_eq!(
            resolution("RESOLVED to ask the General Counsel to:"),
            Some(Resolution::Actions {
                owner: Some("the General Counsel".into())
            })
        );
        assert_eq!(
            resolution("RESOLVED Members to recommend to the County Council:"),
            Some(Resolution::Recommends)
        );
        assert_eq!(
            resolution("RESOLVED that Cabinet note the settlement and agree to delegate finalising any response to the Corporate Director for Finance, in consultation with the Leader."),
            Some(Resolution::Action {
                text: "Cabinet note the settlement and agree to delegate finalising any response to the Corporate Director for Finance, in consultation with the Leader.".into(),
                owner: Some("the Corporate Director for Finance".into())
            })
        );
        assert_eq!(
            resolution("RESOLVED that the report be noted."),
            Some(Resolution::Noted)
        );
        assert_eq!(resolution("The Committee resolved to meet again"), None);
        assert!(only_notes(
            "NOTE with thanks the contribution of the Members"
        ));
        assert!(only_notes("To NOTE the outputs of the Working Party."));
        assert!(!only_notes("CREATE an Education Cabinet Committee."));
        // Decisions that take effect by the vote itself.
        assert!(only_notes(
            "Adopts the Minerals and Waste Local Plan 2024-2039 as set out in the appendix."
        ));
        assert!(only_notes(
            "Approves the relevant changes to the Constitution."
        ));
        assert!(only_notes(
            "Agrees that the Chair of the Scrutiny Committee should be an opposition Member."
        ));
        assert!(!only_notes(
            "Agrees to delegate authority to the Corporate Director to finalise the response."
        ));
        assert!(!only_notes(
            "Delegates authority to the Monitoring Officer to make the changes."
        ));
    }

    #[test]
    fn forward_sections() {
        // Shaped like a council annual report.
        assert!(forward_heading("Looking Ahead to 2025"));
        assert!(forward_heading("4. Next steps"));
        assert!(!forward_heading(
            "Looking after children in care: findings of the review"
        ));
        assert!(forward_statement("3.3 A second Councillor and Staff Survey is planned in 2024/25 to help understand the workforce."));
        assert!(!forward_statement(
            "3.4 Training was delivered to 200 staff in 2024."
        ));
    }

    #[test]
    fn narrative_minutes() {
        // Shaped like parish minutes.
        let p = "The Clerk agreed to invite the developer to the March meeting. The hall was busy. It was agreed to update the plan further and revisit at the next meeting. Cllr Jim Smith advised that he would be prepared to stand.";
        let found = narrative_actions(p);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0.as_deref(), Some("The Clerk"));
        assert_eq!(found[1].0, None);
        assert!(narrative_actions(
            "The works were agreed to be completed last year by the contractor."
        )
        .is_empty());
    }

    #[test]
    fn response_sentences_that_commit() {
        // Council responses to consultation feedback and task-force proposals.
        for yes in [
            "As a result of this feedback, the Council will provide bus tickets for those affected.",
            "Additional spaces can be made available if required at the library site.",
            "Time-limited assistance to cover the cost of transport would be offered to service users.",
            "We will review the timetable with partners after six months.",
        ] {
            assert!(response_commitment(yes), "{yes}");
        }
        for no in [
            "This will not interfere with the universal access of the building.",
            "Other services such as nurseries would remain at the current site.",
            "The service will still be available to local people online.",
            "We will have the opportunity to review the opening hours.",
            "The provision of nine hours per week can be accommodated at the other centres.",
            "The Council will be asked to approve the budget.",
        ] {
            assert!(!response_commitment(no), "{no}");
        }
    }

    #[test]
    fn follow_ups_promised_aloud() {
        // Captions of a webcast scrutiny board.
        assert_eq!(
            follow_ups("I don't think I can answer that today but what I will do is take that away and provide some information to the chair following this meeting. Um in response to that I am aware of it."),
            ["I don't think I can answer that today but what I will do is take that away and provide some information to the chair following this meeting."]
        );
        assert_eq!(follow_ups("So as a recommendation we'll write to the Confederation of GPs about answer phone messages.").len(), 1);
        assert_eq!(follow_ups("So we'll we'll work with our public health colleagues to see if there is any impact.").len(), 1);
        // Written commitments, what was done, and what will not be done are not.
        assert!(follow_ups("We will work with partners to reduce emissions.").is_empty());
        assert!(follow_ups("I wrote to the Minister and we worked with the trust.").is_empty());
        assert!(follow_ups("I'll not write to them again about this.").is_empty());
        assert!(follow_ups("We'll start by introducing board members.").is_empty());
        // The patterns ignore case and line breaks; so does the cheap test before them.
        assert_eq!(
            follow_ups("The Clerk is to write to the Highways team.").len(),
            1
        );
        assert_eq!(
            follow_ups("OFFICERS ARE TO\nREPORT BACK in March.").len(),
            1
        );
        assert_eq!(commitments("WE WILL PLANT 500 TREES BY 2025.").len(), 1);
        assert_eq!(
            narrative_actions("The Clerk AGREED to contact the school.").len(),
            1
        );
        // Work a committee report hands to officers.
        for yes in [
            "Officers are also to work with colleagues in other Councils to try and avoid duplication of training.",
            "Officers will be tasked to draft the appropriate governance for annual reporting.",
            "The working party have asked officers to explore a number of potential actions.",
            "Any changes made by the Leader following the debate will be communicated to Members in writing.",
        ] {
            assert_eq!(follow_ups(yes).len(), 1, "{yes}");
        }
        for no in [
            "Officers reported that the review was complete.",
            "The Monitoring Officer is responsible for the Constitution.",
            "Officers are not to approve any spending above the limit.",
            "The findings will be of interest to Members.",
        ] {
            assert!(follow_ups(no).is_empty(), "{no}");
        }
    }

    #[test]
    fn data_files_compile() {
        for (kind, p) in data_lines(include_str!("../../../data/commitments.tsv")) {
            assert!(Regex::new(p).is_ok(), "data/commitments.tsv {kind}: {p}");
            assert!(
                KINDS.contains(&kind),
                "data/commitments.tsv: unknown kind {kind}"
            );
        }
        for (kind, p) in data_lines(include_str!("../../../data/column_headers.tsv")) {
            assert!(Regex::new(p).is_ok(), "data/column_headers.tsv {kind}: {p}");
        }
        for (kind, p) in data_lines(include_str!("../../../data/list_headings.tsv")) {
            assert!(Regex::new(p).is_ok(), "data/list_headings.tsv {kind}: {p}");
            assert_eq!(
                kind, "action",
                "data/list_headings.tsv: unknown kind {kind}"
            );
        }
        for (kind, p) in data_lines(include_str!("../../../data/cell_lexicon.tsv")) {
            assert!(Regex::new(p).is_ok(), "data/cell_lexicon.tsv {kind}: {p}");
        }
    }

    #[test]
    fn owners_of_resolutions() {
        // Shaped like committee minutes.
        assert_eq!(
            resolution_owner(
                "the Cabinet Member be asked to write to the Department for Transport"
            )
            .as_deref(),
            Some("the Cabinet Member")
        );
        assert_eq!(
            resolution_owner(
                "Delegates authority to the Monitoring Officer in consultation with the Leader"
            )
            .as_deref(),
            Some("the Monitoring Officer")
        );
        // Who decided is not who acts.
        assert_eq!(
            resolution_owner("The Board agreed to fund 12 additional posts"),
            None
        );
        assert_eq!(
            resolution_owner("a further report be brought to the committee"),
            None
        );
    }

    #[test]
    fn deadlines_of_action_points() {
        // Shaped like parish and committee minutes.
        assert_eq!(
            deadline("Clerk to obtain three quotes by 31 March 2026.").as_deref(),
            Some("by 31 March 2026")
        );
        assert_eq!(
            deadline("AP to contact the police before the April meeting.").as_deref(),
            Some("before the April meeting")
        );
        assert_eq!(
            deadline("JB to circulate by 31 March").as_deref(),
            Some("by 31 March")
        );
        assert_eq!(
            deadline("Report back by the next meeting").as_deref(),
            Some("by the next meeting")
        );
        assert_eq!(
            deadline("PROVIDE support in time for the March County Council.").as_deref(),
            Some("in time for the March County Council")
        );
        assert_eq!(
            deadline("Return the form by 30/06/26").as_deref(),
            Some("by 30/06/26")
        );
        // No deadline: people, places and past dates.
        assert_eq!(
            deadline("a further report be brought to the committee in July 2026.").as_deref(),
            Some("in July 2026")
        );
        assert_eq!(deadline("Clerk to write to Denver School"), None);
        assert_eq!(deadline("Bench repaired by the handyman"), None);
        assert_eq!(deadline("Approved for mayoral nomination"), None);
    }

    #[test]
    fn action_points_name_their_owner() {
        // Shaped like parish minutes.
        assert_eq!(
            action_point("Action: Parish Clerk to write to the school"),
            Some((
                Some("Parish Clerk".into()),
                "Parish Clerk to write to the school".into()
            ))
        );
        assert_eq!(
            action_point("Action: AR to contact Highways"),
            Some((Some("AR".into()), "AR to contact Highways".into()))
        );
        assert_eq!(
            action_point("ACTION – Director of Public Health"),
            Some((Some("Director of Public Health".into()), String::new()))
        );
        assert_eq!(
            action_point("Action: Poster to be displayed on the notice board"),
            Some((None, "Poster to be displayed on the notice board".into()))
        );
        assert_eq!(
            action_point("Actions agreed at the last meeting were reviewed"),
            None
        );
        assert_eq!(
            action_point("The actions from the meeting were considered"),
            None
        );
    }
}
