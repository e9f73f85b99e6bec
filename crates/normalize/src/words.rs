//! Text helpers and the domain patterns the walker recognises: recommendation and
//! action labels, timeframes (thin wrappers over [`crate::timeframe`]), addressees,
//! people lists, list markers.

use std::sync::LazyLock;

use actionplan_model::Timeframe;
use regex::Regex;

use crate::pattern::re;

/// Whitespace collapsed to single spaces, trimmed.
pub fn clean(text: &str) -> String {
    actionplan_layout::squash(text)
}

/// Text exports of papers (markdown from PDF converters) keep their markup: a title
/// reads "# Joint Area Review" or "**Specialist Children's Services**", and
/// punctuation comes escaped ("Strategy 2021-25 \\(V1.0\\)"). The words without it,
/// squashed: heading hashes, bold/italic markers and backslash escapes go.
pub fn plain(text: &str) -> String {
    static HASHES: LazyLock<Regex> = LazyLock::new(|| re(r"(?m)^\s{0,3}#{1,6}\s+"));
    static BOLD: LazyLock<Regex> = LazyLock::new(|| re(r"\*\*|__"));
    // A single marker only around the whole text ("*Draft*"): a lone asterisk is
    // often a footnote mark ("Target met*").
    static ITALIC: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*[*_]([^*_].*[^*_\s])[*_]\s*$"));
    static ESCAPE: LazyLock<Regex> = LazyLock::new(|| re(r"\\([!-/:-@\[-`{-~])"));
    let t = HASHES.replace_all(text, "");
    let t = BOLD.replace_all(&t, "");
    let t = ITALIC.replace(&t, "$1");
    let t = ESCAPE.replace_all(&t, "$1");
    clean(&t)
}

/// A labelled recommendation: "JAR Recommendation 1 (…) text", "Recommendation 3:",
/// "Youth Service Area for improvement 1", "Areas for improvement 2, 3 and 4",
/// "Priority 2 – text". Up to four qualifier words may precede the label.
static REC_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:[A-Z][\w&'’]*\s+){0,4}?(recommendations?|areas?\s+for\s+(?:improvement|development)|improvement\s+areas?|priority|priorities|objective|key\s+weakness|weakness|strategic\s+priority|theme)\s+(\d{1,3}(?:\.\d{1,2})?[a-z]?(?:\s*(?:,|and|&|-|–|to)\s*\d{1,3})*)(?:\s*[:.\-–—)]\s*|\s+|$)(.*)$",
    )
});

/// A labelled recommendation: (label word, ref, rest of text).
pub fn rec_label(text: &str) -> Option<(String, String, String)> {
    let c = REC_LABEL.captures(text)?;
    Some((c[1].to_owned(), clean(&c[2]), c[3].trim().to_owned()))
}

/// "Action: COM01 - text", "Action LAC 01 – text", "Action ref: TP 03: text".
static ACTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^action\s*(?:no\.?|ref\.?|reference|number)?\s*[:.]?\s*([A-Z]{1,6}\s?\d{1,3}[a-z]?|\d{1,3}(?:\.\d{1,3}){0,3})\s*[-–—:.]\s*(.+)$",
    )
});

/// An action label: (ref, text).
pub fn action_label(text: &str) -> Option<(String, String)> {
    let c = ACTION_LABEL.captures(text)?;
    Some((c[1].to_owned(), c[2].trim().to_owned()))
}

/// "Label: value" or "Label – value" where the label is short.
static KEY_VALUE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([A-Za-z][A-Za-z /&()’'-]{1,60}?)\s*(?::|\s[–—-]\s)\s*(.*)$"));

/// Splits "Lead Manager: Shelley Whittaker" into ("lead manager", "Shelley Whittaker").
pub fn key_value(text: &str) -> Option<(String, String)> {
    let c = KEY_VALUE.captures(text)?;
    Some((c[1].trim().to_lowercase(), c[2].trim().to_owned()))
}

/// Splits a line holding several labelled values at each known label:
/// "Lead Responsibility: Gillian Hall Monitoring: RBK Officer" → two segments.
pub fn split_labels(text: &str) -> Vec<String> {
    let mut cuts: Vec<usize> = Vec::new();
    for (colon, _) in text.match_indices(':') {
        let before = &text[..colon];
        // The label is the longest run of up to five words before the colon that we
        // know. Only those words are read (reading all the text before each colon
        // would be quadratic in a long block of labels).
        let mut starts: Vec<usize> = Vec::with_capacity(5);
        let mut back = before.char_indices().rev().peekable();
        while let Some((i, c)) = back.next() {
            let after_space = back.peek().is_none_or(|&(_, p)| p == ' ');
            if c != ' ' && after_space {
                starts.push(i);
                if starts.len() == 5 {
                    break;
                }
            }
        }
        let found = starts
            .iter()
            .rev()
            .find(|&&i| label_kind(&before[i..].trim().to_lowercase()).is_some())
            .copied();
        if let Some(i) = found {
            cuts.push(i);
        }
    }
    if cuts.first() != Some(&0) {
        return vec![text.to_owned()];
    }
    cuts.dedup();
    cuts.iter()
        .enumerate()
        .map(|(k, &start)| {
            text[start..cuts.get(k + 1).copied().unwrap_or(text.len())]
                .trim()
                .to_owned()
        })
        .collect()
}

/// What a key-value label means for the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Lead,
    LeadAgency,
    Partners,
    Measures,
    Timescale,
    Resources,
    Status,
    Ignore,
}

static LEAD_KEY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(lead( manager| officer| responsibility| member| person| director| contact)?|strategic lead|priority lead|operational lead|delivery lead|responsible (officer|person|manager|lead)( for .*)?|accountable (officer|lead|person)|owner|action owner|risk owner|officer responsible|responsibility|named officer|lead officer\(s\))$",
    )
});

/// The meaning of a key-value label, if it is one we use.
pub fn label_kind(key: &str) -> Option<Label> {
    let k = key.trim();
    if LEAD_KEY.is_match(k) {
        return Some(Label::Lead);
    }
    Some(match k {
        "lead agency" | "lead organisation" | "lead organization" | "lead partner"
        | "lead service" => Label::LeadAgency,
        "multi agency group" | "partners" | "key partners" | "partners involved"
        | "supported by" | "other agencies" => Label::Partners,
        "key pis"
        | "key pi"
        | "pis"
        | "kpis"
        | "key performance indicators"
        | "performance indicators"
        | "success criteria"
        | "success measures"
        | "measures"
        | "measures of success"
        | "outcome measures"
        | "targets"
        | "target"
        | "indicators" => Label::Measures,
        "timescale" | "timescales" | "target date" | "deadline" | "by when" | "due date"
        | "completion date" => Label::Timescale,
        "resources" | "resource" | "cost" | "costs" | "funding" | "budget" => Label::Resources,
        "status" | "progress" | "rag status" | "rag" => Label::Status,
        "monitoring" | "priority" | "links" | "position statement" => Label::Ignore,
        _ => return None,
    })
}

/// Timeframe wording in a heading or a recommendation's parenthesis: the normalised
/// timeframe and the wording as printed (trailing ":", "-", "." dropped). The timeframe is
/// always `Some` when wording is found; the `Option` is kept for callers written when only
/// three timeframes could be named. See [`crate::timeframe`] and `data/timeframes.tsv`.
pub fn timeframe_of(text: &str) -> Option<(Option<Timeframe>, String)> {
    let t = clean(text);
    let found = crate::timeframe::find(&t)?;
    let raw = t.trim_end_matches([':', '-', '.']).trim().to_owned();
    Some((Some(found.timeframe), raw))
}

/// A heading that is only a timeframe ("Immediate action", "4.10.2 For action over
/// the next six months", "Within three months:", "Short term actions").
pub fn timeframe_heading(text: &str) -> Option<(Option<Timeframe>, String)> {
    // A heading is short (the number aside): spare long texts the timeframe search.
    if text.len() > 120 || text.split_whitespace().count() > 12 {
        return None;
    }
    let t = strip_number(text);
    let found = crate::timeframe::heading(&t)?;
    Some((
        Some(found.timeframe),
        t.trim_end_matches([':', '-']).trim().to_owned(),
    ))
}

static NUMBER_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:\(?\d{1,2}(?:\.\d{1,2}){0,3}[.)]?\s+|\(\d{1,2}\)\s+|\([a-z]\)\s+|[a-z][.)]\s+|\([ivx]{1,5}\)\s+)+",
    )
});

/// Text without leading section numbers ("4.10.1 ", "13. (1) ").
pub fn strip_number(text: &str) -> String {
    clean(&NUMBER_PREFIX.replace(text.trim(), ""))
}

/// Who a recommendation is addressed to: "The local partnership should …",
/// "Health partners should:", "Cabinet is asked to note …", "Members are asked:-".
static ADDRESSEE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^((?:the\s+)?[A-Za-z][\w'’&,\s-]+?)\s+(?:should|must|needs? to|is asked|are asked|is requested|are requested|is recommended|are recommended)\b",
    )
});

pub fn addressee(text: &str) -> Option<String> {
    static BODY: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(committee|cabinet|board|panel|council|members|partnership|authority|partners|trust|executive)\b",
        )
    });
    let lower = text.to_lowercase();
    if ![
        "should",
        "must",
        "need",
        "asked",
        "request",
        "recommend",
        "that ",
    ]
    .iter()
    .any(|v| lower.contains(v))
    {
        return None;
    }
    let t = strip_number(text);
    // "It is recommended that Cabinet:" / "That the Committee notes …".
    static THAT: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)(?:recommended\s+that|^that)\s+((?:the\s+)?[A-Z][\w'’&,\s-]{1,100}?)(?:\s*:-?$|\s+(?:notes?|agrees?|approves?|endorses?|considers?|comments?|receives?|delegates?|supports?|authorises?|adopts?)\b)",
        )
    });
    if let Some(c) = THAT.captures(&t).filter(|_| lower.contains("that ")) {
        return Some(clean(&c[1]));
    }
    // "In order to improve …, the local authority and its partners should": the subject
    // is the clause right before the verb.
    let c = ADDRESSEE.captures(&t)?;
    let subject = c[1].rsplit(", ").next().unwrap_or(&c[1]);
    let who = clean(subject);
    let n = who.split_whitespace().count();
    (n <= 6 || (n <= 16 && BODY.is_match(&who))).then_some(who)
}

/// An addressee line that introduces a list: ends with ":" (or ":-") and names who.
pub fn addressee_intro(text: &str) -> Option<String> {
    let t = clean(text);
    let ends = t.ends_with(':') || t.ends_with(":-") || t.ends_with("to:-") || t.ends_with('-');
    if !ends || t.len() > 400 {
        return None;
    }
    addressee(&t)
}

/// A heading or line that opens a list of recommendations.
pub fn list_intro(text: &str) -> bool {
    static INTRO: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\brecommendations?\b|\bareas?\s+(for|of|requiring)\s+(improvement|development|priority action)|\bwhat\s+(does\s+.{0,80}\s+)?needs?\s+to\s+(improve|happen)|\bpriority\s+and\s+immediate\s+action|\bimprovements?\s+(required|needed)|\bpriority\s+actions?\b|\bkey\s+areas\s+for\s+action|\bactions?\s+required",
        )
    });
    static NOT: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\b(findings|strengths|progress against|summary of (the )?findings|judgements?)\b")
    });
    // Cheap test first: an intro is short, or a lead-in ending with a colon.
    let lead_in = text.trim_end().ends_with(':') || text.trim_end().ends_with(":-");
    if text.len() > 320 || (!lead_in && text.split_whitespace().count() > 14) {
        return false;
    }
    let t = strip_number(text);
    if !INTRO.is_match(&t) || NOT.is_match(&t) {
        return false;
    }
    let short = t.split_whitespace().count() <= 12 && !t.ends_with('.');
    let colon = t.ends_with(':') || t.ends_with(":-");
    short || (colon && t.len() <= 300)
}

/// A sentence about recommendations rather than one: "The recommendations identified
/// … have been the focus for the action plan".
pub fn about_recommendations(text: &str) -> bool {
    static M: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(the|these|its|key|following|all|those|\d+)\s+(key\s+)?recommendations\b|\brecommendations\s+(were|are|have|from|made|identified|set out)\b",
        )
    });
    M.is_match(text)
}

/// A sentence that announces the list after it: ends with a colon, or with "the
/// following action(s)." ("… the local authority should take the following action.").
pub fn introduces_list(text: &str) -> bool {
    static F: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\bthe following\s+(?:\w+\s+)?(?:actions?|recommendations?|areas?(?:\s+for\s+improvement)?|steps|improvements?|priorities|points)\s*[.:]?$|\b(?:as follows|below)\s*[.:]?$",
        )
    });
    let t = text.trim();
    t.ends_with(':') || t.ends_with(":-") || F.is_match(t)
}

/// Who a "What does X need to improve?" heading addresses.
pub fn needs_to_improve(text: &str) -> Option<String> {
    static W: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)\bwhat\s+(?:does|do)\s+(.{3,80}?)\s+needs?\s+to\s+(?:do\s+to\s+)?improve")
    });
    W.captures(text).map(|c| clean(&c[1]))
}

/// A committee recommendation sentence: "Cabinet is asked to note …".
pub fn asks(text: &str) -> bool {
    static ASK: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)\b(is|are)\s+(asked|requested|recommended|invited)\s+to\b|\bit is recommended that\b|\brecommended to\b|^that\s+(?:the\s+)?[A-Z][\w'’ ]{1,80}?\s+(?:notes?|agrees?|approves?|endorses?|considers?|comments?|receives?|delegates?|supports?|authorises?|authorizes?|adopts?)\b",
        )
    });
    // Cheap test first: most blocks mention none of these words.
    let lower = text.to_lowercase();
    let worth = ["asked", "requested", "recommended", "invited"]
        .iter()
        .any(|w| lower.contains(w))
        || lower.starts_with("that ");
    worth && ASK.is_match(text)
}

/// A heading announcing measures for the current recommendation.
pub fn measures_heading(text: &str) -> bool {
    static M: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(indicators?\b|key (performance )?indicators|performance (measures|indicators)|success (criteria|measures)|measures of success|how (we will|will we) (know|measure)|key pis|outcome measures|targets and measures)",
        )
    });
    M.is_match(&strip_number(text))
}

/// Leading list marker of a part: "a) text" → ("a", "text"); "(ii) text"; "1. text".
static LEAD_MARKER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\(?([a-z]|[ivx]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3})[.)]\s+(\S.*)$"));

pub fn leading_marker(text: &str) -> Option<(String, String)> {
    let c = LEAD_MARKER.captures(text.trim())?;
    Some((c[1].to_owned(), c[2].to_owned()))
}

/// Normalises a printed marker to a ref: "a)" → "a", "(ii)" → "ii", "1." → "1".
pub fn marker_ref(marker: &str) -> String {
    marker
        .trim()
        .trim_matches(|c| matches!(c, '(' | ')' | '.' | ' '))
        .to_owned()
}

/// Splits "a) first b) second c) third" (or "1. first 2. second") into items when the
/// labels run in sequence from the start of the text.
pub fn inline_items(text: &str) -> Vec<(String, String)> {
    static LETTERS: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)\(?([a-h])\)\s"));
    static NUMBERS: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)\(?([1-9])[.)]\s"));
    let letters = sequence(
        &LETTERS,
        text,
        |k| ((b'a' + k as u8) as char).to_string(),
        false,
    )
    .1;
    if letters.len() >= 2 {
        return letters;
    }
    sequence(&NUMBERS, text, |k| (k + 1).to_string(), false).1
}

/// Like [`inline_items`], but the list may follow an introduction that ends a sentence
/// ("Performance is mixed. 1. Undertake an audit 2. Monitor …"): (intro, items).
pub fn inline_items_after_intro(text: &str) -> Option<(String, Vec<(String, String)>)> {
    static LETTERS: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)\(?([a-h])\)\s"));
    static NUMBERS: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)\(?([1-9])[.)]\s"));
    for (pattern, label) in [
        (
            &*LETTERS,
            &(|k: usize| ((b'a' + k as u8) as char).to_string()) as &dyn Fn(usize) -> String,
        ),
        (&*NUMBERS, &|k: usize| (k + 1).to_string()),
    ] {
        let (intro, items) = sequence(pattern, text, label, true);
        if items.len() >= 2 {
            return Some((intro, items));
        }
    }
    None
}

fn sequence(
    pattern: &Regex,
    text: &str,
    label: impl Fn(usize) -> String,
    allow_intro: bool,
) -> (String, Vec<(String, String)>) {
    let mut cuts = Vec::new();
    for c in pattern.captures_iter(text) {
        let (Some(whole), Some(letter)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if letter.as_str() == label(cuts.len()) {
            cuts.push((whole.start(), whole.end(), letter.as_str().to_owned()));
        }
    }
    if cuts.len() < 2 {
        return (String::new(), Vec::new());
    }
    let intro = text[..cuts[0].0].trim();
    // An introduction must end its sentence, so a number inside a sentence never starts a list.
    let intro_ok = intro.is_empty() || (allow_intro && intro.ends_with(['.', ':', ';', '?', '!']));
    if !intro_ok {
        return (String::new(), Vec::new());
    }
    let mut out = Vec::new();
    for (k, (_, end, letter)) in cuts.iter().enumerate() {
        let stop = cuts.get(k + 1).map(|c| c.0).unwrap_or(text.len());
        out.push((letter.clone(), clean(&text[*end..stop])));
    }
    (clean(intro), out)
}

/// People or bodies named in a lead/partners cell, one per entry: split on
/// separate paragraphs, " / ", ";" — but not inside "and/or" or role titles.
pub fn people(parts: &[String]) -> Vec<String> {
    static SLASH: LazyLock<Regex> = LazyLock::new(|| re(r"\s*/\s*|\s*;\s*"));
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        let p = clean(p);
        if is_none_word(&p) {
            continue;
        }
        let protected = p
            .replace("and/or", "and\u{1}or")
            .replace("and/ or", "and\u{1}or");
        for piece in SLASH.split(&protected) {
            let piece = clean(&piece.replace('\u{1}', "/"))
                .trim_matches([',', '.', ' '])
                .to_owned();
            if piece.is_empty() || is_none_word(&piece) {
                continue;
            }
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&piece)) {
                out.push(piece);
            }
        }
    }
    out
}

/// "N/A", "None", "na", "-", "TBC": a cell that says nothing.
pub fn is_none_word(text: &str) -> bool {
    matches!(
        text.trim().trim_end_matches('.').to_lowercase().as_str(),
        "" | "n/a" | "na" | "none" | "-" | "–" | "nil" | "not applicable" | "tbc" | "tba"
    )
}

/// Dice similarity of two texts' words (0.0–1.0), for spotting the same sentence
/// printed twice with small differences ("Phase 2" / "Phase Two").
pub fn similarity(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> Vec<String> {
        t.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let (wa, mut wb) = (words(a), words(b));
    let total = wa.len() + wb.len();
    if total == 0 {
        return 1.0;
    }
    let mut common = 0;
    for w in &wa {
        if let Some(i) = wb.iter().position(|x| x == w) {
            wb.swap_remove(i);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

/// A heading or label that opens a list of actions: "Mitigating Actions for Age",
/// "MITIGATING ACTIONS", "Actions to be taken", "Proposed actions".
pub fn action_list_intro(text: &str) -> bool {
    // The wordings are data: `data/list_headings.tsv`.
    static A: LazyLock<regex::RegexSet> = LazyLock::new(|| {
        let patterns: Vec<String> =
            crate::columns::data_lines(include_str!("../../../data/list_headings.tsv"))
                .filter(|(kind, _)| *kind == "action")
                .map(|(_, p)| crate::pattern::data_source(p))
                .collect();
        regex::RegexSet::new(patterns).expect("each list heading pattern compiles")
    });
    if text.split_whitespace().count() > 14 {
        return false;
    }
    let t = strip_number(text);
    t.split_whitespace().count() <= 12 && A.is_match(&t)
}

/// A heading grouping impacts and actions per subject: "19. Negative Impacts and
/// Mitigating actions for Age".
pub fn action_group(text: &str) -> Option<(Option<String>, String)> {
    static G: LazyLock<Regex> = LazyLock::new(|| {
        re(r"(?i)^(\d{1,3})?\.?\s*((?:negative\s+)?impacts?\s+and\s+mitigating\s+actions?\b.*)$")
    });
    let c = G.captures(text.trim())?;
    let t = clean(&c[2]);
    (t.split_whitespace().count() <= 14).then(|| (c.get(1).map(|m| m.as_str().to_owned()), t))
}

/// A line that is only a status: "Complete", "Partially Complete", "Regular Review",
/// "Action Outstanding", "Green".
pub fn status_line(text: &str) -> bool {
    static S: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?i)^(?:action\s+)?(?:complete[d]?|partially\s+complete[d]?|regular\s+review|outstanding|in\s+progress|not\s+started|on\s+track|off\s+track|delayed|ongoing|on-going|overdue|closed|open|green|amber|red|blue|rag:?\s*\w+)$",
        )
    });
    S.is_match(text.trim().trim_end_matches('.'))
}

/// "CRR0003: Securing resources …" → ("CRR0003", "Securing resources …"): a coded
/// risk or action title.
pub fn coded_title(text: &str) -> Option<(String, String)> {
    static C: LazyLock<Regex> =
        LazyLock::new(|| re(r"^([A-Z]{2,6}\s?\d{2,5}[a-z]?)\s*[:\-–—]\s*(.+)$"));
    let c = C.captures(text.trim())?;
    Some((c[1].to_owned(), clean(&c[2])))
}

/// Title-cases an all-capitals line ("KENT COUNTY COUNCIL" → "Kent County Council").
pub fn title_case_if_caps(text: &str) -> String {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    // One word in capitals is an acronym ("OSMB"), not a shouted name.
    if letters.is_empty() || letters.iter().any(|c| c.is_lowercase()) || !text.trim().contains(' ')
    {
        return text.to_owned();
    }
    text.split(' ')
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &cs.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A numbered all-capitals section title, as action plans print their sections:
/// "4 AVOID PLACING YOUNG PEOPLE IN ADULT PSYCHIATRIC WARDS".
pub fn caps_section(text: &str) -> Option<(String, String)> {
    static S: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,2})[.)]?\s+(.+)$"));
    let c = S.captures(text.trim())?;
    let title = c[2].trim();
    if title.len() < 8 || title.len() > 200 {
        return None;
    }
    let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
    let caps = letters.len() >= 6 && letters.iter().all(|c| c.is_uppercase());
    (caps && title.split_whitespace().count() >= 2).then(|| (c[1].to_owned(), title.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_drops_markdown_but_not_words() {
        assert_eq!(plain("## Action Plan 2024"), "Action Plan 2024");
        assert_eq!(plain("**Net Zero** 2030 __Plan__"), "Net Zero 2030 Plan");
        assert_eq!(
            plain(r"Strategy \(V1.0\) \- draft"),
            "Strategy (V1.0) - draft"
        );
        // Not markup: a hash inside a line, snake_case, an asterisk of a footnote.
        assert_eq!(plain("Item #3 of file_name"), "Item #3 of file_name");
        assert_eq!(plain("Target met*"), "Target met*");
    }

    #[test]
    fn recommendation_labels_with_any_qualifier_and_numbering() {
        let (l, r, rest) = rec_label(
            "JAR Recommendation 1 (for action in next 6 months (end June 07)) In relation to x",
        )
        .unwrap();
        assert_eq!((l.as_str(), r.as_str()), ("Recommendation", "1"));
        assert!(rest.starts_with("(for action"));
        let (_, r, rest) =
            rec_label("Recommendation 10 The local partnership should promote").unwrap();
        assert_eq!(
            (r.as_str(), rest.as_str()),
            ("10", "The local partnership should promote")
        );
        let (_, r, _) =
            rec_label("Youth Service Inspection Areas for improvement 2, 3 and 4").unwrap();
        assert_eq!(r, "2, 3 and 4");
        let (_, r, rest) =
            rec_label("Priority 1 – Maintain the timeliness of assessments").unwrap();
        assert_eq!(
            (r.as_str(), rest.as_str()),
            ("1", "Maintain the timeliness of assessments")
        );
        let (_, r, _) = rec_label("Recommendation 3.2: Improve").unwrap();
        assert_eq!(r, "3.2");
        assert!(rec_label("The report sets out 16 recommendations for action").is_none());
        assert!(rec_label("Priority: Recommendation / Important Weakness").is_none());
        assert!(rec_label("(cross reference recommendation 5 position statement)").is_none());
    }

    #[test]
    fn action_labels() {
        assert_eq!(
            action_label("Action: COM01 - Ensure the dissemination"),
            Some(("COM01".into(), "Ensure the dissemination".into()))
        );
        assert_eq!(
            action_label("Action: LAC 02 – Improve performance"),
            Some(("LAC 02".into(), "Improve performance".into()))
        );
        assert_eq!(
            action_label("Action 3.1: Review"),
            Some(("3.1".into(), "Review".into()))
        );
        assert!(action_label("Actions are being taken").is_none());
    }

    #[test]
    fn timeframes() {
        use actionplan_model::Horizon;
        let v1 = |t: &str| {
            timeframe_heading(t)
                .and_then(|(tf, _)| tf)
                .and_then(|tf| tf.v1_name())
        };
        assert_eq!(v1("Immediate action"), Some("immediate"));
        assert_eq!(
            v1("4.10.2 For action over the next six months"),
            Some("six_months")
        );
        assert_eq!(v1("Action over the next 6 months"), Some("six_months"));
        assert_eq!(v1("For action in the longer term"), Some("longer_term"));
        assert_eq!(
            timeframe_heading("Immediately:").unwrap(),
            (Some(Timeframe::Immediate), "Immediately".into())
        );
        let three = Timeframe {
            months_max: Some(3),
            ..Timeframe::new(Horizon::Short)
        };
        assert_eq!(
            timeframe_heading("Within three months:").unwrap(),
            (Some(three), "Within three months".into())
        );
        assert_eq!(
            timeframe_heading("2.1 Short term actions:")
                .map(|(tf, raw)| (tf.map(|t| t.horizon), raw)),
            Some((Some(Horizon::Short), "Short term actions".into()))
        );
        assert!(timeframe_heading("Introduction").is_none());
        assert!(timeframe_heading("Long-term sickness absence").is_none());
        assert!(timeframe_heading(
            "Within three months the partnership should review every plan and report to the board."
        )
        .is_none());
        // In a recommendation's parenthesis.
        assert_eq!(
            timeframe_of("(immediate)").map(|(tf, _)| tf),
            Some(Some(Timeframe::Immediate))
        );
        assert_eq!(
            timeframe_of("within 6 months.").map(|(tf, raw)| (tf.and_then(|t| t.v1_name()), raw)),
            Some((Some("six_months"), "within 6 months".into()))
        );
        assert!(timeframe_of("in line with the strategy").is_none());
    }

    #[test]
    fn addressees() {
        assert_eq!(
            addressee_intro("The local partnership should:").as_deref(),
            Some("The local partnership")
        );
        assert_eq!(
            addressee_intro("Health partners should:").as_deref(),
            Some("Health partners")
        );
        assert_eq!(
            addressee_intro("Members are asked:-").as_deref(),
            Some("Members")
        );
        assert_eq!(addressee_intro("13. (1) The Specialist Children's Services Policy Overview and Scrutiny Committee is asked to:").as_deref(), Some("The Specialist Children's Services Policy Overview and Scrutiny Committee"));
        assert_eq!(
            addressee("Cabinet is asked to note the findings").as_deref(),
            Some("Cabinet")
        );
        assert_eq!(
            addressee("The local authority should ensure that all cases").as_deref(),
            Some("The local authority")
        );
        assert!(addressee_intro("The local partnership should ensure that x").is_none());
        assert_eq!(
            addressee("In order to improve the quality of provision, the local authority and its partners should take the following action:").as_deref(),
            Some("the local authority and its partners")
        );
        assert!(addressee(
            "Proposed developments in the evaluation of training should be put into practice"
        )
        .is_none());
        assert_eq!(
            addressee_intro("It is recommended that Cabinet:").as_deref(),
            Some("Cabinet")
        );
        assert_eq!(
            addressee("That the Children's Services Committee notes the progress made").as_deref(),
            Some("the Children's Services Committee")
        );
        assert!(asks("That Cabinet approves the revised plan"));
    }

    #[test]
    fn sentences_that_introduce_lists() {
        assert!(introduces_list(
            "In Sandwell, the local authority should take the following action."
        ));
        assert!(introduces_list("The Committee is asked to:"));
        assert!(!introduces_list(
            "Ensure that the following year is planned."
        ));
    }

    #[test]
    fn list_intros() {
        for t in [
            "Recommendations",
            "JAR Recommendations",
            "3. Recommendations (or OPTIONS)",
            "Areas for improvement",
            "What needs to improve?",
            "What does the local authority need to improve?",
            "Building on Success - JAR recommendations for further action",
            "The recommendations from inspectors were:",
            "RECOMMENDATIONS",
            "Recommendation:-",
        ] {
            assert!(list_intro(t), "{t}");
        }
        for t in ["The report sets out 16 recommendations for action and explains the background of each in some detail.", "Main findings", "Key strengths and weaknesses"] {
            assert!(!list_intro(t), "{t}");
        }
    }

    #[test]
    fn several_labels_on_one_line() {
        assert_eq!(
            split_labels(
                "Lead Responsibility: Gillian Hall Monitoring: RBK Health and Safety Officer"
            ),
            vec![
                "Lead Responsibility: Gillian Hall",
                "Monitoring: RBK Health and Safety Officer"
            ]
        );
        assert_eq!(
            split_labels("Note: this is not split: at all"),
            vec!["Note: this is not split: at all"]
        );
    }

    #[test]
    fn action_lists_groups_and_statuses() {
        assert!(action_list_intro("Mitigating Actions for Age"));
        assert!(action_list_intro("MITIGATING ACTIONS"));
        assert!(action_list_intro("Actions to be taken"));
        assert!(action_list_intro("OBJECTIVES"));
        assert!(action_list_intro("3. Key objectives"));
        assert!(!action_list_intro(
            "The objectives of this report are to inform Members"
        ));
        assert!(!action_list_intro(
            "Actions are being taken across the partnership to improve attendance and more besides"
        ));
        assert_eq!(
            action_group("19.Negative Impacts and Mitigating actions for Age"),
            Some((
                Some("19".into()),
                "Negative Impacts and Mitigating actions for Age".into()
            ))
        );
        assert!(
            status_line("Partially Complete")
                && status_line("Action Outstanding")
                && !status_line("Complete the review")
        );
        assert_eq!(
            coded_title("CRR0003: Securing resources to aid economic recovery").map(|c| c.0),
            Some("CRR0003".into())
        );
        assert!(coded_title("Note: this").is_none());
    }

    #[test]
    fn people_split() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            people(&v(&["Diane Webb/Tim Wells"])),
            v(&["Diane Webb", "Tim Wells"])
        );
        assert_eq!(
            people(&v(&["Trish Dabrowski / Duncan Ambrose"])),
            v(&["Trish Dabrowski", "Duncan Ambrose"])
        );
        assert_eq!(
            people(&v(&["Head of Safeguarding & Corporate Parenting"])),
            v(&["Head of Safeguarding & Corporate Parenting"])
        );
        assert_eq!(
            people(&v(&["Gillian Hall", "Gillian Hall"])),
            v(&["Gillian Hall"])
        );
        assert_eq!(people(&v(&["N/A"])), Vec::<String>::new());
        assert_eq!(
            people(&v(&["children with LDD and/or disabilities"])),
            v(&["children with LDD and/or disabilities"])
        );
    }

    #[test]
    fn inline_lettered_items() {
        let items = inline_items(
            "a) Summarise findings; develop formats b) Align with reports. c) Disseminate widely",
        );
        assert_eq!(items.len(), 3);
        assert_eq!(items[1], ("b".into(), "Align with reports.".into()));
        assert!(inline_items("Change contract (July) and b) later").is_empty());
        let items = inline_items(
            "1. Undertake a practice audit 2. Monitor performance 3. Revise the contract",
        );
        assert_eq!(
            items.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(),
            vec!["1", "2", "3"]
        );
        assert!(inline_items("Tier 4 clinician 2. later").is_empty());
        let (intro, items) =
            inline_items_after_intro("Performance is mixed. 1. Undertake an audit 2. Monitor it")
                .unwrap();
        assert_eq!((intro.as_str(), items.len()), ("Performance is mixed.", 2));
        assert!(
            inline_items_after_intro("Review 1. the plan and 2. the budget").is_none(),
            "numbers inside a sentence"
        );
    }

    #[test]
    fn caps_sections() {
        assert_eq!(
            caps_section("4 AVOID PLACING YOUNG PEOPLE IN ADULT PSYCHIATRIC WARDS")
                .unwrap()
                .0,
            "4"
        );
        assert!(caps_section("4 Avoid placing young people").is_none());
        assert_eq!(
            title_case_if_caps("KENT COUNTY COUNCIL"),
            "Kent County Council"
        );
    }
}
