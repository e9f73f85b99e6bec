//! The same plan in other words: corpus papers rewritten with other header wordings,
//! labels, numbering and date styles must give the same actions. This guards against
//! rules that only fit one council's template.

use actionplan_model::{Action, Document};
use actionplan_tests::{root, same_text};

fn extract(name: &str, text: &str) -> Document {
    actionplan_pipeline::extract_bytes(name, text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn flatten(actions: &[Action], out: &mut Vec<Action>) {
    for a in actions {
        out.push(a.clone());
        flatten(&a.steps, out);
    }
}

fn actions(doc: &Document) -> Vec<Action> {
    let mut out = Vec::new();
    for r in &doc.recommendations {
        flatten(&r.actions, &mut out);
    }
    out
}

fn corpus(name: &str) -> String {
    std::fs::read_to_string(root().join("corpus/text").join(name)).expect("corpus paper")
}

/// Applies literal replacements, failing loudly if one no longer applies (so the
/// rewrite cannot silently become a no-op).
fn rewrite(text: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = text.to_owned();
    for (from, to) in pairs {
        assert!(out.contains(from), "rewrite pattern {from:?} not found");
        out = out.replace(from, to);
    }
    out
}

fn assert_same_plan(original: &Document, rewritten: &Document, map_ref: impl Fn(&str) -> String, map_due: impl Fn(&str) -> String) {
    let (a, b) = (actions(original), actions(rewritten));
    assert!(!a.is_empty(), "original yields actions");
    assert_eq!(a.len(), b.len(), "same number of actions and steps");
    for (x, y) in a.iter().zip(&b) {
        assert!(same_text(&x.text, &y.text), "text: {:?} vs {:?}", x.text, y.text);
        assert_eq!(x.reference.as_deref().map(&map_ref), y.reference.clone(), "ref of {:?}", x.text);
        assert_eq!(x.lead, y.lead, "lead of {:?}", x.text);
        let (dx, dy) = (x.timescale.as_ref().and_then(|t| t.due.clone()), y.timescale.as_ref().and_then(|t| t.due.clone()));
        assert_eq!(dx.as_deref().map(&map_due), dy, "due of {:?}", x.text);
    }
    assert_eq!(original.recommendations.len(), rewritten.recommendations.len(), "same recommendations");
    for (x, y) in original.recommendations.iter().zip(&rewritten.recommendations) {
        assert!(same_text(&x.text, &y.text), "recommendation text: {:?} vs {:?}", x.text, y.text);
        assert_eq!(x.lead, y.lead);
    }
}

#[test]
fn telford_with_other_headers_labels_and_dates() {
    let text = corpus("telford_wrekin_2008_jar_action_plan.txt");
    let original = extract("telford.txt", &text);
    let mut rewritten = rewrite(
        &text,
        &[
            ("No\tAction to be taken\tOutcome / success criteria\tOperational lead\tTimescale", "Ref.\tKey actions\tMeasures of success\tResponsible officer\tTarget date"),
            ("\tAction to be taken\tOutcome / success criteria\tOperational lead\tTimescale", "\tWhat we will do\tHow we will know\tOwner\tBy when"),
            ("Strategic lead:", "Lead officer:"),
            ("Jan 2009", "31/01/2009"),
            ("Dec 2008", "December 2008"),
        ],
    );
    // "Recommendation 3 The local authority …" → "Area for development 3: The local authority …"
    for n in 1..=10 {
        rewritten = rewrite(&rewritten, &[(&format!("\nRecommendation {n} "), &format!("\nArea for development {n}: "))]);
    }
    let doc = extract("telford-rewritten.txt", &rewritten);
    assert_same_plan(&original, &doc, str::to_owned, |d| if d == "2009-01" { "2009-01-31".into() } else { d.to_owned() });
}

#[test]
fn kent_action_blocks_with_other_labels_and_numbering() {
    let text = corpus("kent_2008_jar_action_plan_cfe_committee_report.txt");
    let original = extract("kent.txt", &text);
    let rewritten = rewrite(
        &text,
        &[
            ("Action: ", "Action ref "),
            ("Lead Manager:", "Responsible officer:"),
            ("Lead Agency:", "Lead organisation:"),
            ("Action Summary\tPartners/Officers Involved\tResources\tTimescales", "Key tasks\tKey partners\tResource implications\tBy when"),
            ("a) Summarise", "(a) Summarise"),
            (" b) Align", " (b) Align"),
            (" c) Disseminate", " (c) Disseminate"),
        ],
    );
    // "Action: SG01 - text" became "Action ref SG01 - text": same refs, same plan.
    let doc = extract("kent-rewritten.txt", &rewritten);
    assert_same_plan(&original, &doc, str::to_owned, str::to_owned);
}

#[test]
fn recommendation_lists_under_other_headings() {
    let text = "Report to Cabinet, 3 March 2010\n\nAreas for improvement\n\nImmediately:\n\n• Ensure that all children in care have an allocated social worker\n• Improve the timeliness of initial assessments\n\nWithin three months:\n\n• Strengthen management oversight of casework\n\nWithin six months:\n\n• Review the commissioning of CAMHS\n\nFindings\n\n• The service is improving\n";
    let doc = extract("ofsted-style.txt", text);
    let got: Vec<(String, Option<String>, Option<String>)> = doc
        .recommendations
        .iter()
        .map(|r| (r.text.clone(), r.timeframe.map(|t| format!("{t:?}")), r.timeframe_raw.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Ensure that all children in care have an allocated social worker".into(), Some("Immediate".into()), Some("Immediately".into())),
            ("Improve the timeliness of initial assessments".into(), Some("Immediate".into()), Some("Immediately".into())),
            ("Strengthen management oversight of casework".into(), None, Some("Within three months".into())),
            ("Review the commissioning of CAMHS".into(), Some("SixMonths".into()), Some("Within six months".into())),
        ]
    );
}

#[test]
fn numbered_recommendations_and_tables_in_html() {
    let html = "<html><body><h1>Inspection action plan</h1><h2>Recommendations</h2><ol><li>Improve the quality of supervision</li><li>Ensure plans are reviewed</li></ol>\
        <h2>Recommendation 1</h2><table><tr><th>Action</th><th>Lead officer</th><th>By when</th></tr>\
        <tr><td>Audit supervision records</td><td>Head of Service</td><td>end Dec 2012</td></tr></table></body></html>";
    let doc = extract("plan.html", html);
    let refs: Vec<_> = doc.recommendations.iter().map(|r| r.reference.clone()).collect();
    assert_eq!(refs, vec![Some("1".into()), Some("2".into()), Some("1".into())]);
    let a = &doc.recommendations[2].actions[0];
    assert_eq!(a.lead, vec!["Head of Service".to_owned()]);
    assert_eq!(a.timescale.as_ref().and_then(|t| t.due.as_deref()), Some("2012-12"));
}
