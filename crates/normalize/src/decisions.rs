//! Decisions of minutes: each resolution ("RESOLVED that (a) … (b) …", "Agreed:",
//! "Decision:", "Council therefore resolves to: 1. … 2. …") and each decision the
//! minutes report ("The Committee noted the report", "It was agreed to …"), with the
//! minute number and title of the item it was taken under.
//!
//! Where a decision starts and what sort it is are data (`data/decisions.tsv`); this
//! module knows only the shapes minutes are printed in: numbered items with a short
//! title, resolutions with their parts as list items or inline "(a) … (b) …", and
//! sentences run together in one paragraph.

use std::sync::LazyLock;

use actionplan_layout::{Block, BlockKind};
use actionplan_model::{Decision, DecisionKind};
use regex::Regex;

use crate::columns::data_lines;
use crate::words::clean;

/// The kinds a line of `data/decisions.tsv` may have.
#[cfg(test)]
const KINDS: [&str; 12] = [
    "opener",
    "reported",
    "statement",
    "not",
    "rejected",
    "deferred",
    "recommended",
    "delegated",
    "noted_minutes",
    "noted",
    "approved",
    "agreed",
];

/// The patterns of `data/decisions.tsv`, in file order.
struct Rules {
    openers: Vec<Regex>,
    reported: Vec<Regex>,
    statements: Vec<Regex>,
    not: Vec<Regex>,
    /// Kind rules in order; `true` for the verb rules tried after the subject.
    kinds: Vec<(DecisionKind, bool, Regex)>,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| {
    let mut r = Rules {
        openers: Vec::new(),
        reported: Vec::new(),
        statements: Vec::new(),
        not: Vec::new(),
        kinds: Vec::new(),
    };
    for (kind, p) in data_lines(include_str!("../../../data/decisions.tsv")) {
        // Every line compiles and has a known kind: `data_file_compiles` checks it.
        let Some(re) = crate::pattern::data(p) else {
            continue;
        };
        match kind {
            "opener" => r.openers.push(re),
            "reported" => r.reported.push(re),
            "statement" => r.statements.push(re),
            "not" => r.not.push(re),
            "noted_minutes" => r.kinds.push((DecisionKind::Approved, false, re)),
            "noted" => r.kinds.push((DecisionKind::Noted, true, re)),
            "approved" => r.kinds.push((DecisionKind::Approved, true, re)),
            "agreed" => r.kinds.push((DecisionKind::Agreed, true, re)),
            other => {
                if let Some(k) = DecisionKind::from_name(other) {
                    r.kinds.push((k, false, re));
                }
            }
        }
    }
    r
});

/// What sort of decision `text` records. Whole-text rules first (rejected, deferred,
/// recommended, delegated, minutes approved), then the verb that opens the text once a
/// subject of up to six words is set aside ("Cabinet note …", "Members to AGREE …").
pub fn kind_of(text: &str) -> DecisionKind {
    let text = text.trim();
    for (kind, verb, re) in &RULES.kinds {
        if !verb && re.is_match(text) {
            return *kind;
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    for k in 0..words.len().min(7) {
        if k > 0 && !subject_word(words[k - 1]) {
            break;
        }
        let rest = words[k..].join(" ");
        for (kind, verb, re) in &RULES.kinds {
            if *verb && re.is_match(&rest) {
                return *kind;
            }
        }
    }
    DecisionKind::Resolved
}

/// A word that can stand in the subject before a decision's verb ("that the County
/// Council", "Members to").
fn subject_word(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    // A verb set in capitals ("PROVIDE support …") is the decision's verb, not its subject.
    let capitals = w.chars().count() >= 4 && w.chars().all(|c| c.is_uppercase());
    !capitals && w.starts_with(|c: char| c.is_uppercase())
        || matches!(
            w.to_lowercase().as_str(),
            "that"
                | "the"
                | "to"
                | "it"
                | "is"
                | "are"
                | "was"
                | "of"
                | "and"
                | "council"
                | "committee"
                | "sub-committee"
                | "board"
                | "cabinet"
                | "panel"
                | "members"
                | "meeting"
                | "group"
                | "governors"
                | "trustees"
        )
}

/// A formal decision opener at the start of `text`: (opener as printed, the rest).
pub fn opener(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let m = RULES.openers.iter().find_map(|r| r.find(t))?;
    Some((
        t[..m.end()].trim().to_owned(),
        t[m.end()..].trim().to_owned(),
    ))
}

/// A sentence that reports what the meeting decided.
pub fn reported(sentence: &str) -> bool {
    let s = sentence.trim_start_matches(|c: char| !c.is_alphanumeric());
    RULES.reported.iter().any(|r| r.is_match(s)) && !RULES.not.iter().any(|r| r.is_match(s))
}

/// A minute item's number and title: "80." + "Provisional Local Government Finance
/// Settlement 2025-26"; "22/18 Apologies and Welcome There were no …" (title and text
/// run together: the title ends where a sentence starts); "Item 6 – Governance …".
/// Returns (number, title, the text after the title).
pub fn minute_item(marker: Option<&str>, text: &str) -> Option<(String, String, String)> {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"^(?:(?i:minute|item|min\.?)\s+)?([A-Z]{0,5}\d{1,4}/\d{1,4}(?:/\d{1,4})?|[A-Z]{1,5}/\d{1,4}/\d{1,4}|\d{1,4}(?:\.\d{1,2})?)(?:\s*[.:)–—-])?\s+(\S.*)$",
        )
    });
    let (number, rest) = match marker {
        Some(m) => {
            let n = m.trim().trim_end_matches(['.', ')']);
            if n.is_empty() || !n.chars().all(|c| c.is_ascii_digit() || c == '/') {
                return None;
            }
            (n.to_owned(), text.trim().to_owned())
        }
        None => {
            let c = NUMBERED.captures(text.trim())?;
            (c[1].to_owned(), c[2].to_owned())
        }
    };
    let rest = join_drop_cap(&rest);
    let (title, after) = split_title(&rest)?;
    Some((number, title, after))
}

/// "A pologies for Absence" (a PDF's drop capital set apart) → "Apologies for Absence".
fn join_drop_cap(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), Some(' '), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            format!("{a}{}", &text[a.len_utf8() + 1..])
        }
        _ => text.to_owned(),
    }
}

/// A title at the start of `text`, and what follows it. The title is short, starts
/// with a capital, does not end a sentence, and ends where a sentence starts ("…
/// Welcome There were no apologies").
fn split_title(text: &str) -> Option<(String, String)> {
    const MAX_WORDS: usize = 22;
    if !text.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()) || opener(text).is_some()
    {
        return None;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // Where a sentence starts inside the run: a capitalised opener word followed by
    // more words ("There were", "The Chair", "It was", "a) It was").
    let start = (1..words.len()).find(|&i| sentence_start(words[i], words.get(i + 1).copied()));
    let (title, after) = match start {
        Some(i) => (words[..i].join(" "), words[i..].join(" ")),
        None => (text.trim().to_owned(), String::new()),
    };
    let n = title.split_whitespace().count();
    // A title does not stop on a word that needs one after it ("… questions from").
    let dangling = title.split_whitespace().last().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "a" | "an"
                | "and"
                | "at"
                | "by"
                | "for"
                | "from"
                | "in"
                | "of"
                | "on"
                | "or"
                | "the"
                | "to"
                | "with"
        )
    });
    // A title names; a run with a verb of being is a sentence ("Action plans are being …").
    let verb = title.split_whitespace().any(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "is" | "are" | "was" | "were" | "be" | "been" | "being" | "has" | "have" | "had"
        )
    });
    let ends_sentence = title.ends_with(['.', ':', ';', ',']) && !title.ends_with("etc.");
    (n <= MAX_WORDS && !ends_sentence && !dangling && !verb && !title.is_empty())
        .then_some((title, after))
}

/// A word that starts a sentence after a title run together with it.
fn sentence_start(word: &str, next: Option<&str>) -> bool {
    const OPENERS: [&str; 19] = [
        "The",
        "That",
        "A",
        "An",
        "There",
        "It",
        "This",
        "These",
        "He",
        "She",
        "They",
        "We",
        "Following",
        "Cllr",
        "Councillor",
        "Members",
        "Mr",
        "Mrs",
        "Ms",
    ];
    // "a)" or "ii)": a lettered sub-item; not "pm)" closing "(4-5.30 pm)".
    let inner = word.trim_matches(['(', ')']);
    let letter = word.ends_with(')')
        && (inner.len() == 1 && inner.chars().all(|c| c.is_ascii_lowercase())
            || !inner.is_empty()
                && inner.len() <= 4
                && inner.chars().all(|c| matches!(c, 'i' | 'v' | 'x')));
    // An article opens a sentence when a lower-case word follows ("A meeting was due").
    let article = matches!(word, "That" | "A" | "An");
    letter
        || OPENERS.contains(&word)
            && next.is_some_and(|n| {
                !n.starts_with('(') && (!article || n.starts_with(|c: char| c.is_lowercase()))
            })
}

/// Parts of a resolution printed inline: "that (a) … ; and (b) …" → [("a", …), ("b", …)].
/// None unless the labels run in order from a / i / 1.
fn inline_parts(body: &str) -> Option<Vec<(String, String)>> {
    inline_parts_after(body, None)
}

/// As [`inline_parts`], for the text of an item numbered `first` whose later parts
/// run on inline ("1." + "That the DSEAR … 2) The HSE be asked … 3) …"): the text
/// before the first label is part `first`.
fn inline_parts_after(body: &str, first: Option<&str>) -> Option<Vec<(String, String)>> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(r"(?:^|[\s;:,])\(?([a-h]|i{1,3}|iv|vi{0,3}|ix|x|\d{1,2})\)\s+")
    });
    let found: Vec<(usize, usize, String)> = LABEL
        .captures_iter(body)
        .filter_map(|c| {
            let all = c.get(0)?;
            let label = c.get(1)?;
            Some((label.start(), all.end(), label.as_str().to_owned()))
        })
        .collect();
    let continues = first.is_some_and(|f| {
        f.parse::<u32>()
            .ok()
            .zip(found.first().and_then(|x| x.2.parse::<u32>().ok()))
            .is_some_and(|(a, b)| b == a + 1)
    });
    let enough = if continues { 1 } else { 2 };
    if found.len() < enough || !continues && !matches!(found[0].2.as_str(), "a" | "i" | "1") {
        return None;
    }
    // In order: each label the successor of the one before.
    let ordinal = |l: &str| -> Option<u32> {
        const ROMAN: [&str; 10] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];
        if let Ok(n) = l.parse::<u32>() {
            return Some(n);
        }
        if found[0].2 == "i" {
            return ROMAN.iter().position(|r| *r == l).map(|p| p as u32 + 1);
        }
        l.chars().next().map(|c| c as u32 - 'a' as u32 + 1)
    };
    let ords: Vec<Option<u32>> = found.iter().map(|f| ordinal(&f.2)).collect();
    if ords
        .windows(2)
        .any(|w| w[0].zip(w[1]).is_none_or(|(a, b)| b != a + 1))
    {
        return None;
    }
    let mut parts = Vec::new();
    if let (true, Some(f)) = (continues, first) {
        let head = body[..found[0].0.saturating_sub(1)]
            .trim()
            .trim_end_matches([';', ',']);
        parts.push((f.to_owned(), head.trim().to_owned()));
    }
    for (i, (_, text_start, label)) in found.iter().enumerate() {
        let end = found
            .get(i + 1)
            .map(|f| f.0.saturating_sub(1))
            .unwrap_or(body.len());
        let end = end.max(*text_start);
        let text = body[*text_start..end]
            .trim()
            .trim_end_matches([';', ','])
            .trim();
        let text = text.strip_suffix(" and").unwrap_or(text).trim();
        parts.push((label.clone(), text.to_owned()));
    }
    Some(parts)
}

/// A decision found, with the block it came from.
pub(crate) struct Found {
    pub decision: Decision,
    pub block: usize,
}

/// An open resolution whose parts follow as items or paragraphs.
struct Open {
    opener: String,
    /// Under a lead-in of beliefs ("This Council believes that:"): parts are not decisions.
    statements: bool,
    /// The resolution's own number ("7" of "7. RESOLVED that Cabinet:").
    reference: Option<String>,
    /// The lead-in recommends to another body: each part is a recommendation.
    recommends: bool,
    /// Depth of the resolution's own list item; none when it was a paragraph.
    depth: Option<u8>,
    parts: usize,
}

/// Whether the blocks read as minutes: their opening says so, or they hold a formal
/// resolution. Only then are decisions read from reported sentences.
fn minutes_like(blocks: &[Block]) -> bool {
    let opening = blocks.iter().take(15).any(|b| {
        let t = b.kind.text().to_lowercase();
        t.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "minutes")
            || [
                "record of decisions",
                "decision notice",
                "decision sheet",
                "decisions of the",
                "schedule of decisions",
            ]
            .iter()
            .any(|p| t.contains(p))
    });
    // A formal opener at the start of a block or of one of its lines.
    opening
        || blocks.iter().any(|b| match &b.kind {
            BlockKind::Paragraph { text } | BlockKind::ListItem { text, .. } => {
                text.lines().any(|l| opener(l).is_some())
            }
            _ => false,
        })
}

/// Minutes exported as text keep each statement on its own line inside one paragraph
/// ("101/26 Apologies⏎Apologies were received …⏎Action: Clerk to …"). For minutes,
/// such paragraphs are split into one block per statement: a line starts a new one when
/// the line before ends a sentence, when it opens a decision or an action point, or
/// when the line before is a minute number and title. Wrapped lines stay joined. None
/// when nothing needs splitting (or the blocks are not minutes).
pub(crate) fn split_statement_lines(blocks: &[Block]) -> Option<Vec<Block>> {
    let splits = |text: &str| text.contains('\n');
    if !blocks
        .iter()
        .any(|b| matches!(&b.kind, BlockKind::Paragraph { text } if splits(text)))
        || !minutes_like(blocks)
    {
        return None;
    }
    let mut out = Vec::with_capacity(blocks.len() + 16);
    for b in blocks {
        let BlockKind::Paragraph { text } = &b.kind else {
            out.push(b.clone());
            continue;
        };
        if !splits(text) {
            out.push(b.clone());
            continue;
        }
        let mut units: Vec<(usize, String)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let new_unit = match units.last() {
                None => true,
                Some((_, prev)) => {
                    prev.ends_with(['.', ':', ';', '!', '?'])
                        || opener(line).is_some()
                        || crate::commit::action_point_start(line)
                        || units.len() == 1
                            && minute_item(None, prev).is_some_and(|(_, _, after)| after.is_empty())
                            && prev.split_whitespace().count() <= 12
                }
            };
            if new_unit {
                units.push((n, line.to_owned()));
            } else if let Some((_, u)) = units.last_mut() {
                u.push(' ');
                u.push_str(line);
            }
        }
        if units.len() <= 1 {
            out.push(b.clone());
            continue;
        }
        for (n, unit) in units {
            out.push(Block {
                page: b.page,
                line: b.line.map(|l| l + n as u32),
                kind: BlockKind::Paragraph { text: unit },
            });
        }
    }
    Some(out)
}

/// Every decision in `blocks`, in reading order (ids not yet set).
pub(crate) fn find(blocks: &[Block]) -> Vec<Found> {
    let minutes = minutes_like(blocks);
    if !minutes {
        return Vec::new();
    }
    let mut out: Vec<Found> = Vec::new();
    let mut minute: Option<(String, String)> = None;
    let mut open: Option<Open> = None;
    let mut last_text = String::new();
    let push = |out: &mut Vec<Found>,
                minute: &Option<(String, String)>,
                reference: Option<String>,
                text: String,
                opener: Option<String>,
                b: &Block,
                i: usize| {
        let text = clean(&text);
        if text.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            return;
        }
        // Words that name no kind take the opener's ("Agreed: to add an item …").
        let kind = match kind_of(&text) {
            DecisionKind::Resolved => opener
                .as_deref()
                .map(kind_of)
                .unwrap_or(DecisionKind::Resolved),
            k => k,
        };
        out.push(Found {
            decision: Decision {
                id: String::new(),
                minute: minute.as_ref().map(|m| m.0.clone()),
                item: minute.as_ref().map(|m| m.1.clone()),
                reference,
                kind,
                text,
                opener,
                actions: Vec::new(),
                paper: None,
                page: b.page,
                line: b.line,
            },
            block: i,
        });
    };
    for (i, b) in blocks.iter().enumerate() {
        let (text, marker, depth, heading) = match &b.kind {
            BlockKind::Heading { text, .. } => (clean(text), None, None, true),
            BlockKind::Paragraph { text } => (clean(text), None, None, false),
            BlockKind::ListItem {
                marker,
                depth,
                text,
            } => (clean(text), marker.clone(), Some(*depth), false),
            BlockKind::Table(_) => continue,
        };
        if text.is_empty() {
            continue;
        }
        // A new minute item closes any open resolution.
        let item = minute_item(marker.as_deref(), &text).filter(|(n, _, _)| {
            heading
                || marker.is_none()
                || depth == Some(0) && minute.as_ref().is_none_or(|(m, _)| later(n, m))
        });
        let mut body = text.clone();
        if let Some((number, title, after)) = item {
            if heading || marker.is_some() || number.contains('/') || after.is_empty() {
                minute = Some((number, title));
                open = None;
                body = after;
            }
        } else if heading {
            // "RESOLVED" set as a heading opens a resolution; any other heading ends one.
            open = opener(&text)
                .filter(|(_, rest)| rest.is_empty() || rest.ends_with(':'))
                .map(|(printed, rest)| Open {
                    statements: false,
                    recommends: kind_of(&rest) == DecisionKind::Recommended,
                    opener: format!("{printed} {rest}").trim().to_owned(),
                    reference: None,
                    depth: None,
                    parts: 0,
                });
            continue;
        }
        if body.is_empty() {
            continue;
        }
        // The parts of an open resolution: deeper or lettered items, or (after a
        // paragraph or an item) the paragraphs that follow it.
        if let Some(o) = open.as_mut() {
            let part = match (&marker, depth) {
                (Some(m), Some(d)) => {
                    o.depth.is_none_or(|od| d > od)
                        || m.starts_with(|c: char| c.is_ascii_lowercase() || c == '(')
                }
                (None, Some(d)) => o.depth.is_none_or(|od| d > od),
                _ => o.parts == 0 || o.depth.is_some(),
            } && o.parts < 16
                && opener(&body).is_none();
            if part && body.ends_with(':') {
                // A lead-in inside the resolution ("This Council agrees to call on the
                // Cabinet Member to:"): its parts follow.
                o.statements = RULES.statements.iter().any(|r| r.is_match(&body));
                o.recommends = kind_of(&body) == DecisionKind::Recommended;
                o.opener = body.clone();
                o.parts += 1;
                last_text = body;
                continue;
            }
            if part && (o.statements || body.split_whitespace().count() < 2) {
                // A belief, or a connective ("And;").
                o.parts += 1;
                continue;
            }
            if part {
                o.parts += 1;
                let reference = marker
                    .as_deref()
                    .map(|m| part_ref(o.reference.as_deref(), &crate::words::marker_ref(m)));
                let opener_text = Some(o.opener.clone());
                let before = out.len();
                let own = marker.as_deref().map(crate::words::marker_ref);
                match inline_parts_after(&body, own.as_deref()).filter(|_| own.is_some()) {
                    Some(parts) => {
                        for (label, text) in parts {
                            let r = part_ref(o.reference.as_deref(), &label);
                            push(&mut out, &minute, Some(r), text, opener_text.clone(), b, i);
                        }
                    }
                    None => push(
                        &mut out,
                        &minute,
                        reference,
                        body.clone(),
                        opener_text,
                        b,
                        i,
                    ),
                }
                // A part says what; its kind is the lead-in's when the lead-in
                // recommends, or when the part's own words name no kind ("agrees to
                // call on the Cabinet Member to: a) Write again …").
                let lead_kind = kind_of(&o.opener);
                for f in &mut out[before..] {
                    if o.recommends {
                        f.decision.kind = DecisionKind::Recommended;
                    } else if f.decision.kind == DecisionKind::Resolved {
                        f.decision.kind = lead_kind;
                    }
                }
                last_text = body;
                continue;
            }
            open = None;
        }
        if let Some((printed, rest)) = opener(&body) {
            let rest = rest.trim().to_owned();
            let own_ref = marker.as_deref().map(crate::words::marker_ref);
            if rest.is_empty() || rest.ends_with(':') {
                // "RESOLVED that Cabinet:" / "Agreed unanimously." — parts follow, or
                // the decision is the proposal just put.
                let proposal = proposal_of(&last_text);
                // "Agreed." / "Agreed unanimously." is finished: it decides the
                // proposal before it, if any, and opens nothing.
                let closed = rest.is_empty() && printed.ends_with('.');
                if closed || rest.is_empty() && !proposal.is_empty() && !lead_in_follows(blocks, i)
                {
                    if !proposal.is_empty() {
                        let before = out.len();
                        push(
                            &mut out,
                            &minute,
                            None,
                            proposal,
                            Some(printed.clone()),
                            b,
                            i,
                        );
                        // "Agreed." decides the proposal: it was agreed, whatever its verb.
                        for f in &mut out[before..] {
                            if f.decision.kind == DecisionKind::Resolved {
                                f.decision.kind = kind_of(&printed);
                            }
                        }
                    }
                } else {
                    let lead_in = format!("{printed} {rest}").trim().to_owned();
                    open = Some(Open {
                        recommends: kind_of(&rest) == DecisionKind::Recommended,
                        statements: RULES.statements.iter().any(|r| r.is_match(&rest)),
                        opener: lead_in,
                        reference: own_ref,
                        depth,
                        parts: 0,
                    });
                }
            } else if let Some(parts) = inline_parts(&rest) {
                for (label, text) in parts {
                    push(
                        &mut out,
                        &minute,
                        Some(part_ref(own_ref.as_deref(), &label)),
                        text,
                        Some(printed.clone()),
                        b,
                        i,
                    );
                }
            } else {
                push(&mut out, &minute, own_ref, rest, Some(printed), b, i);
            }
            last_text = body;
            continue;
        }
        // Decisions reported in the minutes' prose, sentence by sentence.
        let mut previous: Option<String> = None;
        let mut previous_taken = false;
        // "a) It was agreed … b) The Clerk advised …": matters lettered inside one
        // paragraph, each read on its own.
        let segments: Vec<(Option<String>, String)> = match inline_parts(&body) {
            Some(parts) => parts.into_iter().map(|(l, t)| (Some(l), t)).collect(),
            None => vec![(None, body.clone())],
        };
        let sentences: Vec<(Option<String>, String)> = segments
            .iter()
            .flat_map(|(l, t)| {
                crate::commit::sentences_of(t)
                    .into_iter()
                    .map(move |s| (l.clone(), s.trim().to_owned()))
            })
            .collect();
        for (label, s) in sentences {
            let s = s.as_str();
            let before = out.len();
            if let Some((printed, rest)) = opener(s).filter(|(_, r)| !r.is_empty()) {
                push(&mut out, &minute, label, rest, Some(printed), b, i);
            } else if carried(s)
                && previous
                    .as_deref()
                    .is_some_and(|p| !proposal_of(p).is_empty())
            {
                // "It was moved … that the report be accepted. On being put to the vote
                // the motion was CARRIED.": the proposal is what was decided.
                let p = previous.as_deref().map(proposal_of).unwrap_or_default();
                push(&mut out, &minute, label, p, Some(s.to_owned()), b, i);
                if let Some(f) = out.get_mut(before) {
                    if f.decision.kind == DecisionKind::Resolved {
                        f.decision.kind = DecisionKind::Agreed;
                    }
                }
            } else if opener(s).is_some() || all_agreed(s) {
                // "… that a grant of £250 be made. Agreed." / "… to object. All agreed.":
                // the sentence before is what was agreed (its proposal, if it puts one).
                if let Some(p) = previous.as_ref().filter(|_| !previous_taken) {
                    let proposal = proposal_of(p);
                    let text = if proposal.is_empty() {
                        format!("{p} {s}")
                    } else {
                        proposal
                    };
                    push(&mut out, &minute, label, text, None, b, i);
                    if let Some(f) = out.get_mut(before) {
                        if f.decision.kind == DecisionKind::Resolved {
                            f.decision.kind = DecisionKind::Agreed;
                        }
                    }
                }
            } else if reported(s) {
                push(&mut out, &minute, label, s.to_owned(), None, b, i);
            } else if let Some(clause) = agreed_clause(s) {
                // "… but it was agreed to reschedule in April."
                push(&mut out, &minute, label, clause.to_owned(), None, b, i);
            }
            previous_taken = out.len() > before;
            previous = Some(s.to_owned());
        }
        last_text = body;
    }
    out
}

/// A sentence that only records agreement: "All agreed.", "Agreed unanimously.".
fn carried(s: &str) -> bool {
    static CARRIED: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)^(?:on\s+being\s+put\s+to\s+the\s+vote,?\s+)?(?:the\s+)?(?:substantive\s+)?(?:motion|proposal|recommendation)s?\s+(?:was|were)?\s*carried(?:\s+unanimously)?\s*[.!]?$|^carried(?:\s+unanimously)?\s*[.!]?$",
        )
    });
    CARRIED.is_match(s.trim())
}

fn all_agreed(s: &str) -> bool {
    static ALL: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)^(?:all|unanimously)?\s*agreed(?:\s+unanimously|\s+by\s+all)?\s*[.!]?$",
        )
    });
    ALL.is_match(s.trim())
}

/// A decision reported in a clause after the start of a sentence: "…, but it was
/// agreed to reschedule in April" → "it was agreed to reschedule in April".
fn agreed_clause(s: &str) -> Option<&str> {
    static CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)(?:(?:[,;]|\s)\s*(it\s+was\s+(?:then\s+|also\s+|unanimously\s+)?(?:agreed|resolved|decided)\b.*)|[,;]\s*(the\s+(?:\w+\s+)?(?:council|committee|cabinet|board|panel|pc)\s+(?:all\s+|unanimously\s+)?(?:agreed|resolved|decided)\s+to\b.*))$",
        )
    });
    let caps = CLAUSE.captures(s)?;
    let c = caps.get(1).or_else(|| caps.get(2))?;
    // "… put the motion and it was agreed unanimously.": a vote, not what was decided.
    let says_what = c.as_str().split_whitespace().count() > 4;
    (says_what && reported(c.as_str())).then_some(c.as_str())
}

/// A part's reference under its resolution's number: "7" + "1" → "7.1", "5" + "a" →
/// "5a", "3" + "iv" → "3(iv)"; the part's own label when the resolution has no number.
fn part_ref(parent: Option<&str>, label: &str) -> String {
    let Some(p) = parent.filter(|p| !p.is_empty()) else {
        return label.to_owned();
    };
    let roman = label.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    if label.chars().all(|c| c.is_ascii_digit()) {
        format!("{p}.{label}")
    } else if roman {
        format!("{p}({label})")
    } else {
        format!("{p}{label}")
    }
}

/// Whether minute number `n` comes after `m` ("81" after "80", "23/18" after "22/18").
fn later(n: &str, m: &str) -> bool {
    let first = |s: &str| -> Option<u32> { s.split(['/', '.']).next()?.parse().ok() };
    match (first(n), first(m)) {
        (Some(a), Some(b)) => a > b,
        _ => true,
    }
}

/// The proposal a bare "Agreed." or "Agreed unanimously." decides: the clause after
/// "proposed … that" in the block before; empty when there is none.
fn proposal_of(previous: &str) -> String {
    static PROPOSED: LazyLock<Regex> = LazyLock::new(|| {
        crate::pattern::re(
            r"(?i)\b(?:proposed|moved)\b[^.]*?\bthat\s+(?:the\s+(?:council|committee|cabinet|board|panel|meeting)\s+)?(.+)$",
        )
    });
    PROPOSED
        .captures(previous)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim().to_owned())
        .unwrap_or_default()
}

/// Whether the block after `i` is a part of a resolution opened at `i`.
fn lead_in_follows(blocks: &[Block], i: usize) -> bool {
    matches!(
        blocks.get(i + 1).map(|b| &b.kind),
        Some(BlockKind::ListItem { .. })
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use actionplan_layout::Block;

    fn para(text: &str) -> Block {
        Block {
            page: 1,
            line: None,
            kind: BlockKind::Paragraph { text: text.into() },
        }
    }

    fn item(marker: &str, depth: u8, text: &str) -> Block {
        Block {
            page: 1,
            line: None,
            kind: BlockKind::ListItem {
                marker: (!marker.is_empty()).then(|| marker.into()),
                depth,
                text: text.into(),
            },
        }
    }

    fn found(blocks: &[Block]) -> Vec<Decision> {
        find(blocks).into_iter().map(|f| f.decision).collect()
    }

    #[test]
    fn data_file_compiles() {
        for (kind, p) in data_lines(include_str!("../../../data/decisions.tsv")) {
            assert!(Regex::new(p).is_ok(), "data/decisions.tsv {kind}: {p}");
            assert!(
                KINDS.contains(&kind),
                "data/decisions.tsv: unknown kind {kind}"
            );
        }
    }

    #[test]
    fn kinds_from_the_wording() {
        use DecisionKind::*;
        for (text, want) in [
            // Kent cabinet minutes.
            ("Cabinet note the Quarter 2 Performance Report and the actions being taken", Noted),
            ("the minutes of the meeting on 28 November 2024 were a correct record and that they be signed by the Chair", Approved),
            ("Cabinet note the provisional settlement and agree to delegate finalising any response to the Corporate Director for Finance", Delegated),
            ("Agree to submit a request to Government, jointly with Medway Council", Agreed),
            // Kent county council minutes.
            ("Adopts the Kent Minerals and Waste Local Plan 2024-2039 as set out in Appendix B", Approved),
            ("the Leader’s report be noted.", Noted),
            ("Members to recommend to the County Council:", Recommended),
            ("discussions around hybrid/physical/remote meetings be paused until the Government determines any changes", Deferred),
            // Parish minutes.
            ("The PC agreed not to assist as the policy is only to support local charities.", Rejected),
            ("It was agreed that we should leave the box unlocked as a trial until the first water bill.", Agreed),
            ("This was noted and there were no comments.", Noted),
            ("the County Council makes comments but does not require reconsideration of the decision", Resolved),
        ] {
            assert_eq!(kind_of(text), want, "{text}");
        }
    }

    #[test]
    fn openers_and_reported_sentences() {
        assert!(opener("Decision-making by the service is good.").is_none());
        assert!(opener("Decision: It was agreed that the plan be adopted.").is_some());
        assert_eq!(
            opener("RESOLVED that Cabinet note the report."),
            Some(("RESOLVED that".into(), "Cabinet note the report.".into()))
        );
        assert_eq!(
            opener("RESOLVED: That the report be noted"),
            Some(("RESOLVED: That".into(), "the report be noted".into()))
        );
        assert!(opener("Agreed unanimously.").is_some());
        assert!(
            opener("DECISION: It was agreed that the following needed to be actioned:").is_some()
        );
        // Not openers: the word in running text, or a title.
        assert!(opener("Resolution of the dispute with the contractor").is_none());
        assert!(opener("Agreed actions from the last meeting were reviewed").is_none());
        assert!(reported(
            "The Parish Council noted the visit, the Clerk advised …"
        ));
        assert!(reported(
            "It was agreed to add item regarding Training for Councillors to the next agenda."
        ));
        assert!(reported("The minutes of the Ordinary Parish Council Meeting held on 3 January 2018 were approved."));
        assert!(reported(
            "Cabinet Member updates were deferred to the next meeting of the Cabinet"
        ));
        // Not decisions: opinions and reports of what was said.
        assert!(!reported(
            "He agreed with Mr Hook that a worthwhile conversation was needed."
        ));
        assert!(reported(
            "The minutes of the 10th July were agreed with the following corrections."
        ));
        assert!(!reported(
            "It was noted that risk CRR0015 would likely remain at its current level."
        ));
        assert!(!reported(
            "Members noted that the new authorities would strengthen the Council's voice."
        ));
        assert!(reported("The Committee noted the report."));
        assert!(!reported(
            "Further to comments and questions from Members it was noted:"
        ));
        assert!(!reported(
            "The Clerk agreed to invite the developer to the March meeting."
        ));
    }

    #[test]
    fn minute_items_and_titles() {
        assert_eq!(
            minute_item(
                Some("80."),
                "Provisional Local Government Finance Settlement 2025-26"
            ),
            Some((
                "80".into(),
                "Provisional Local Government Finance Settlement 2025-26".into(),
                String::new()
            ))
        );
        assert_eq!(
            minute_item(Some("292."), "A pologies for Absence").map(|m| m.1),
            Some("Apologies for Absence".into())
        );
        let (n, title, after) = minute_item(
            None,
            "22/18 Apologies and Welcome There were no apologies received for absence.",
        )
        .unwrap();
        assert_eq!(
            (n.as_str(), title.as_str()),
            ("22/18", "Apologies and Welcome")
        );
        assert!(after.starts_with("There were no apologies"));
        // Paragraph numbers with sentences are not items.
        assert!(minute_item(
            Some("1."),
            "Mr Shipton introduced the report that set out the detail."
        )
        .is_none());
        assert!(minute_item(
            Some("2."),
            "Further to comments and questions from Members it was noted:"
        )
        .is_none());
        assert!(minute_item(Some("a)"), "Thanks was given to everyone").is_none());
        assert!(minute_item(Some("8."), "Action plans are currently being developed").is_none());
        // A closing "pm)" is not a lettered item; "That the …" and "A meeting …" start sentences.
        let (_, title, after) = minute_item(
            None,
            "39/18 MP Visit – Friday 16 March 2018 (4-5.30 pm) The Council noted the visit.",
        )
        .unwrap();
        assert_eq!(
            (title.as_str(), after.as_str()),
            (
                "MP Visit – Friday 16 March 2018 (4-5.30 pm)",
                "The Council noted the visit."
            )
        );
        let (_, title, _) = minute_item(
            None,
            "43/18 Approval of Payments That the following payments were approved:",
        )
        .unwrap();
        assert_eq!(title, "Approval of Payments");
        let (_, title, _) = minute_item(
            None,
            "42/18 Public Rights of Way A meeting was due to be held",
        )
        .unwrap();
        assert_eq!(title, "Public Rights of Way");
    }

    #[test]
    fn resolutions_with_parts_and_items() {
        let blocks = [
            item("80.", 0, "Provisional Local Government Finance Settlement 2025-26"),
            para("(Item 5)"),
            item("1.", 0, "Mr Shipton introduced the report that set out the detail."),
            item("3.", 0, "RESOLVED that Cabinet note the provisional settlement."),
            item("83.", 0, "English Devolution White Paper"),
            item("7.", 0, "RESOLVED that Cabinet:"),
            item("1.", 1, "Agree to submit a request to Government;"),
            item("2.", 1, "Note that acceptance will commit Kent to elections in May 2026;"),
            item("8.", 0, "The Leader thanked Members."),
            para("RESOLVED that (a) the report be noted; and (b) the Director be asked to report back in March."),
        ];
        let d = found(&blocks);
        let got: Vec<(Option<&str>, Option<&str>, &str, DecisionKind)> = d
            .iter()
            .map(|d| {
                (
                    d.minute.as_deref(),
                    d.reference.as_deref(),
                    &d.text[..12],
                    d.kind,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some("80"), Some("3"), "Cabinet note", DecisionKind::Noted),
                (
                    Some("83"),
                    Some("7.1"),
                    "Agree to sub",
                    DecisionKind::Agreed
                ),
                (Some("83"), Some("7.2"), "Note that ac", DecisionKind::Noted),
                (Some("83"), Some("a"), "the report b", DecisionKind::Noted),
                (
                    Some("83"),
                    Some("b"),
                    "the Director",
                    DecisionKind::Resolved
                ),
            ]
        );
        assert_eq!(
            d[0].item.as_deref(),
            Some("Provisional Local Government Finance Settlement 2025-26")
        );
        assert_eq!(d[1].opener.as_deref(), Some("RESOLVED that Cabinet:"));
    }

    #[test]
    fn lettered_parts_of_a_recommending_lead_in() {
        let blocks = [
            para("Minutes of the Committee"),
            item(
                "7.",
                0,
                "RESOLVED Members to recommend to the County Council:",
            ),
            item(
                "a)",
                1,
                "To AGREE the introduction of an annual item at County Council.",
            ),
            item("b)", 1, "To NOTE the outputs of the Working Party."),
            item("10.", 0, "RESOLVED to ask the General Counsel to:"),
            item(
                "b)",
                1,
                "PROVIDE support to the Working Party in time for the March meeting.",
            ),
        ];
        let d = found(&blocks);
        let got: Vec<(&str, DecisionKind)> = d
            .iter()
            .map(|d| (d.reference.as_deref().unwrap_or(""), d.kind))
            .collect();
        assert_eq!(
            got,
            [
                ("7a", DecisionKind::Recommended),
                ("7b", DecisionKind::Recommended),
                // A verb in capitals is not read as the subject: "support" is not the verb.
                ("10b", DecisionKind::Resolved),
            ]
        );
        assert_eq!(part_ref(Some("3"), "iv"), "3(iv)");
        assert_eq!(part_ref(None, "c"), "c");
    }

    #[test]
    fn a_motion_resolved_keeps_its_calls_not_its_beliefs() {
        let blocks = [
            para("Minutes of the County Council"),
            item(
                "10)",
                1,
                "Mr A proposed, and Mr B seconded, that the Council formally record its thanks.",
            ),
            para("Agreed unanimously."),
            item("11)", 1, "The Chairman held a one-minute silence."),
            item(
                "5)",
                1,
                "The Chairman put the motion to the vote and the voting was as follows:",
            ),
            para("Mr A, Mr B"),
            para("Agreed."),
            item(
                "6)",
                1,
                "Following the debate, the Chairman put the substantive motion to the vote.",
            ),
            item("7.", 1, "RESOLVED that:"),
            para("This Council believes that:"),
            item("a)", 2, "Immediate and decisive action is needed."),
            para("And;"),
            para("This Council agrees to call on the Cabinet Member for Public Health to:"),
            item("a)", 2, "Write again to the government."),
            item("b)", 2, "Encourage proper disposal of vapes."),
        ];
        let d = found(&blocks);
        let got: Vec<(&str, &str)> = d
            .iter()
            .map(|d| (d.reference.as_deref().unwrap_or(""), d.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("", "formally record its thanks."),
                ("7a", "Write again to the government."),
                ("7b", "Encourage proper disposal of vapes."),
            ]
        );
        assert!(d[1]
            .opener
            .as_deref()
            .unwrap()
            .starts_with("This Council agrees to call on"));
    }

    #[test]
    fn decisions_in_parish_prose() {
        let blocks = [
            para("Minutes of the Parish Council"),
            item("1.", 0, "Planning"),
            para("PM reported this is a small building and saw no reason to object. All agreed."),
            para("A meeting was due in February, but it was agreed to reschedule in April. The Chair would attend."),
            para("a) It was agreed to add training to the next agenda. b) The Clerk advised that courses exist."),
            para("It was summarised that the issue was about safety."),
        ];
        let d = found(&blocks);
        let got: Vec<(Option<&str>, &str, DecisionKind)> = d
            .iter()
            .map(|d| (d.reference.as_deref(), d.text.as_str(), d.kind))
            .collect();
        assert_eq!(
            got,
            [
                (
                    None,
                    "PM reported this is a small building and saw no reason to object. All agreed.",
                    DecisionKind::Agreed
                ),
                (
                    None,
                    "it was agreed to reschedule in April.",
                    DecisionKind::Agreed
                ),
                (
                    Some("a"),
                    "It was agreed to add training to the next agenda.",
                    DecisionKind::Agreed
                ),
            ]
        );
        assert!(!all_agreed(
            "All members agreed that the road was dangerous."
        ));
        assert!(agreed_clause("He said the plan was agreed by the Borough").is_none());
        assert!(
            agreed_clause("The Chairman put the motion and it was agreed unanimously.").is_none()
        );
        assert_eq!(
            agreed_clause(
                "There was one vacancy, the Parish Council all agreed to co-opt Gail Boughen."
            ),
            Some("the Parish Council all agreed to co-opt Gail Boughen.")
        );
    }

    #[test]
    fn later_parts_run_on_inline() {
        let parts = inline_parts_after(
            "That the report be appended. 2) The HSE be asked to attend. 3) The issue be raised with the MP.",
            Some("1"),
        )
        .unwrap();
        let labels: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(labels, ["1", "2", "3"]);
        assert_eq!(parts[0].1, "That the report be appended.");
        assert_eq!(parts[2].1, "The issue be raised with the MP.");
        // Without the item's own number, a list that starts at 2 is not a list.
        assert!(
            inline_parts("That the report be appended. 2) The HSE be asked. 3) Raise it.")
                .is_none()
        );
    }

    #[test]
    fn resolved_as_a_heading_resolution_label_and_motion_carried() {
        let heading = |text: &str| Block {
            page: 1,
            line: None,
            kind: BlockKind::Heading {
                level: 2,
                text: text.into(),
            },
        };
        let blocks = [
            para("MINUTES OF THE AUDIT COMMITTEE"),
            heading("Minute 45/2026 – Internal audit plan"),
            para("The Head of Internal Audit presented the draft plan."),
            heading("RESOLVED"),
            para("That the internal audit plan for 2026/27 be approved."),
            heading("Minute 46/2026 – Risk update"),
            para("Resolution: That the committee notes the update."),
            heading("Minute 47/2026 – External audit"),
            para("It was moved by Cllr Shah and seconded by Cllr Cole that the report be accepted. On being put to the vote the motion was CARRIED."),
            para("Motion carried."),
        ];
        let d = found(&blocks);
        let got: Vec<(Option<&str>, &str, DecisionKind)> = d
            .iter()
            .map(|d| (d.minute.as_deref(), d.text.as_str(), d.kind))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Some("45/2026"),
                    "That the internal audit plan for 2026/27 be approved.",
                    DecisionKind::Approved
                ),
                (
                    Some("46/2026"),
                    "the committee notes the update.",
                    DecisionKind::Noted
                ),
                (
                    Some("47/2026"),
                    "the report be accepted.",
                    DecisionKind::Approved
                ),
            ]
        );
        assert!(!carried("The motion was put to the vote."));
    }

    #[test]
    fn bare_agreed_takes_the_proposal() {
        let blocks = [
            para("The minutes of the meeting held on 8 January were approved and signed."),
            item("10)", 1, "Mr A proposed, and Mr B seconded, that the Council formally record the sense of loss it feels."),
            para("Agreed unanimously."),
        ];
        let d = found(&blocks);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].kind, DecisionKind::Approved);
        assert_eq!(d[1].kind, DecisionKind::Agreed);
        assert_eq!(d[1].text, "formally record the sense of loss it feels.");
    }

    #[test]
    fn reports_are_not_minutes() {
        // A report that says what a committee agreed last year has no decisions.
        let blocks = [
            para("Report of the Director of Finance"),
            para("The Committee agreed in March to establish a working group on waste."),
        ];
        assert!(found(&blocks).is_empty());
    }
}
