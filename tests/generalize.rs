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

fn assert_same_plan(
    original: &Document,
    rewritten: &Document,
    map_ref: impl Fn(&str) -> String,
    map_due: impl Fn(&str) -> String,
) {
    let (a, b) = (actions(original), actions(rewritten));
    assert!(!a.is_empty(), "original yields actions");
    assert_eq!(a.len(), b.len(), "same number of actions and steps");
    for (x, y) in a.iter().zip(&b) {
        assert!(
            same_text(&x.text, &y.text),
            "text: {:?} vs {:?}",
            x.text,
            y.text
        );
        assert_eq!(
            x.reference.as_deref().map(&map_ref),
            y.reference.clone(),
            "ref of {:?}",
            x.text
        );
        assert_eq!(x.lead, y.lead, "lead of {:?}", x.text);
        let (dx, dy) = (
            x.timescale.as_ref().and_then(|t| t.due.clone()),
            y.timescale.as_ref().and_then(|t| t.due.clone()),
        );
        assert_eq!(dx.as_deref().map(&map_due), dy, "due of {:?}", x.text);
    }
    assert_eq!(
        original.recommendations.len(),
        rewritten.recommendations.len(),
        "same recommendations"
    );
    for (x, y) in original
        .recommendations
        .iter()
        .zip(&rewritten.recommendations)
    {
        assert!(
            same_text(&x.text, &y.text),
            "recommendation text: {:?} vs {:?}",
            x.text,
            y.text
        );
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
            (
                "No\tAction to be taken\tOutcome / success criteria\tOperational lead\tTimescale",
                "Ref.\tKey actions\tMeasures of success\tResponsible officer\tTarget date",
            ),
            (
                "\tAction to be taken\tOutcome / success criteria\tOperational lead\tTimescale",
                "\tWhat we will do\tHow we will know\tOwner\tBy when",
            ),
            ("Strategic lead:", "Lead officer:"),
            ("Jan 2009", "31/01/2009"),
            ("Dec 2008", "December 2008"),
        ],
    );
    // "Recommendation 3 The local authority …" → "Area for development 3: The local authority …"
    for n in 1..=10 {
        rewritten = rewrite(
            &rewritten,
            &[(
                &format!("\nRecommendation {n} "),
                &format!("\nArea for development {n}: "),
            )],
        );
    }
    let doc = extract("telford-rewritten.txt", &rewritten);
    assert_same_plan(&original, &doc, str::to_owned, |d| {
        if d == "2009-01" {
            "2009-01-31".into()
        } else {
            d.to_owned()
        }
    });
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
            (
                "Action Summary\tPartners/Officers Involved\tResources\tTimescales",
                "Key tasks\tKey partners\tResource implications\tBy when",
            ),
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
        .map(|r| {
            (
                r.text.clone(),
                r.timeframe
                    .map(|t| format!("{:?} {:?}", t.horizon, t.months_max)),
                r.timeframe_raw.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "Ensure that all children in care have an allocated social worker".into(),
                Some("Immediate None".into()),
                Some("Immediately".into())
            ),
            (
                "Improve the timeliness of initial assessments".into(),
                Some("Immediate None".into()),
                Some("Immediately".into())
            ),
            // Schema 2: "within three months" is a timeframe too (short, due within 3 months).
            (
                "Strengthen management oversight of casework".into(),
                Some("Short Some(3)".into()),
                Some("Within three months".into())
            ),
            (
                "Review the commissioning of CAMHS".into(),
                Some("Short Some(6)".into()),
                Some("Within six months".into())
            ),
        ]
    );
}

#[test]
fn numbered_recommendations_and_tables_in_html() {
    let html = "<html><body><h1>Inspection action plan</h1><h2>Recommendations</h2><ol><li>Improve the quality of supervision</li><li>Ensure plans are reviewed</li></ol>\
        <h2>Recommendation 1</h2><table><tr><th>Action</th><th>Lead officer</th><th>By when</th></tr>\
        <tr><td>Audit supervision records</td><td>Head of Service</td><td>end Dec 2012</td></tr></table></body></html>";
    let doc = extract("plan.html", html);
    let refs: Vec<_> = doc
        .recommendations
        .iter()
        .map(|r| r.reference.clone())
        .collect();
    assert_eq!(
        refs,
        vec![Some("1".into()), Some("2".into()), Some("1".into())]
    );
    let a = &doc.recommendations[2].actions[0];
    assert_eq!(a.lead, vec!["Head of Service".to_owned()]);
    assert_eq!(
        a.timescale.as_ref().and_then(|t| t.due.as_deref()),
        Some("2012-12")
    );
}

#[test]
fn recommendation_column_tables_with_sub_rows_and_other_date_styles() {
    let text = "Borsetshire County Council\nChildren's Services Improvement Plan\nReport to Cabinet, 14 March 2012\n\n\
        Ref\tRecommendation\tAction\tResponsible officer\tTarget date\tRAG\n\
        R1\tImprove the quality of supervision\tIntroduce monthly supervision audits\tHead of Safeguarding\t31.03.12\tGreen\n\
        \t \tTrain all team managers in reflective supervision\tPrincipal Social Worker\tJun-12\tAmber\n\
        R2\tReduce the number of children placed out of county\tCommission local residential provision\tCommissioning Manager\tw/c 5 March 2012\tRed\n";
    let doc = extract("borsetshire.txt", text);
    assert_eq!(doc.committee.as_deref(), Some("Cabinet"));
    assert_eq!(doc.date.as_deref(), Some("2012-03-14"));
    #[allow(clippy::type_complexity)]
    let got: Vec<(
        Option<&str>,
        &str,
        Vec<(&str, &str, Option<&str>, Option<&str>)>,
    )> = doc
        .recommendations
        .iter()
        .map(|r| {
            let actions = r
                .actions
                .iter()
                .map(|a| {
                    (
                        a.text.as_str(),
                        a.lead[0].as_str(),
                        a.timescale.as_ref().and_then(|t| t.due.as_deref()),
                        a.status.as_deref(),
                    )
                })
                .collect();
            (r.reference.as_deref(), r.text.as_str(), actions)
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("R1"),
                "Improve the quality of supervision",
                vec![
                    (
                        "Introduce monthly supervision audits",
                        "Head of Safeguarding",
                        Some("2012-03-31"),
                        Some("Green")
                    ),
                    (
                        "Train all team managers in reflective supervision",
                        "Principal Social Worker",
                        Some("2012-06"),
                        Some("Amber")
                    ),
                ]
            ),
            (
                Some("R2"),
                "Reduce the number of children placed out of county",
                vec![(
                    "Commission local residential provision",
                    "Commissioning Manager",
                    Some("2012-03-05"),
                    Some("Red")
                )]
            ),
        ]
    );
}

#[test]
fn action_lists_under_labelled_recommendations_with_shared_lead_and_timescale() {
    let text = "Anyshire Council\nOfsted Improvement Action Plan\nSeptember 2013\n\n\
        Recommendation 1: Improve the timeliness of initial assessments\n\nActions:\n\
        • Recruit additional social workers to the assessment teams\n• Introduce weekly performance clinics for team managers\n\n\
        Lead: Head of Children's Social Care\nTimescale: by end of December 2013\n\n\
        Recommendation 2: Ensure that all looked after children have an up-to-date care plan\n\nActions:\n\
        1. Audit all care plans and correct those out of date\n2. Train independent reviewing officers to challenge drift\n\n\
        Lead officer: IRO Service Manager\nTimescale: March 2014\n";
    let doc = extract("anyshire.txt", text);
    assert_eq!(doc.recommendations.len(), 2);
    let r1 = &doc.recommendations[0];
    assert_eq!(
        (r1.reference.as_deref(), r1.text.as_str()),
        (Some("1"), "Improve the timeliness of initial assessments")
    );
    assert_eq!(r1.actions.len(), 2);
    for a in &r1.actions {
        assert_eq!(a.lead, vec!["Head of Children's Social Care".to_owned()]);
        assert_eq!(
            a.timescale.as_ref().and_then(|t| t.due.as_deref()),
            Some("2013-12")
        );
    }
    let r2 = &doc.recommendations[1];
    let refs: Vec<_> = r2.actions.iter().map(|a| a.reference.as_deref()).collect();
    assert_eq!(refs, vec![Some("1"), Some("2")]);
    assert!(r2
        .actions
        .iter()
        .all(|a| a.lead == vec!["IRO Service Manager".to_owned()]));
}

#[test]
fn cover_report_with_that_recommendations_and_a_pipe_table_appendix() {
    let text = "Westshire Council\nReport to Children's Scrutiny Committee, 12 June 2014\nSubject: Ofsted Inspection Improvement Plan\n\n\
        RECOMMENDATIONS\n\nIt is recommended that the Committee:\n\n(a) notes the findings of the Ofsted inspection;\n(b) endorses the improvement plan at Appendix A.\n\n\
        Appendix A – Improvement Plan\n\n\
        | No | Area for improvement | Key actions | Lead officer | Completion date |\n|---|---|---|---|---|\n\
        | 1 | Ensure all children in need have an up-to-date plan | Audit all CIN plans; re-train staff | Head of Service, CIN | 30 Sept 2014 |\n\
        | 2 | Improve management oversight | Introduce monthly case supervision audits | Assistant Director | Q3 2014/15 |\n";
    let doc = extract("westshire.txt", text);
    assert_eq!(
        doc.committee.as_deref(),
        Some("Children's Scrutiny Committee")
    );
    let papers: Vec<_> = doc
        .papers
        .iter()
        .map(|p| (p.title.as_str(), p.date.as_deref()))
        .collect();
    assert_eq!(
        papers,
        vec![
            ("Ofsted Inspection Improvement Plan", Some("2014-06-12")),
            ("Appendix A: Improvement Plan", None)
        ]
    );
    let recs: Vec<_> = doc
        .recommendations
        .iter()
        .map(|r| (r.reference.as_deref(), r.addressee.as_deref(), r.paper))
        .collect();
    assert_eq!(
        recs,
        vec![
            (Some("a"), Some("the Committee"), Some(0)),
            (Some("b"), Some("the Committee"), Some(0)),
            (Some("1"), None, Some(1)),
            (Some("2"), None, Some(1))
        ]
    );
    let a = &doc.recommendations[3].actions[0];
    assert_eq!(a.lead, vec!["Assistant Director".to_owned()]);
    let t = a.timescale.as_ref().expect("timescale");
    assert_eq!(
        (t.start.as_deref(), t.due.as_deref()),
        (Some("2014-10"), Some("2014-12"))
    );
}

#[test]
fn html_cabinet_report_with_recommendation_column_plan() {
    // A hand-written HTML paper in a layout none of the corpus papers use.
    let path = root().join("fixtures/layouts/eastborough_cabinet_report.html");
    let doc = actionplan_pipeline::extract_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.source.format, actionplan_model::SourceFormat::Html);
    assert_eq!(
        (
            doc.council.as_deref(),
            doc.date.as_deref(),
            doc.committee.as_deref()
        ),
        (
            Some("Eastborough Borough Council"),
            Some("2015-07-09"),
            Some("Cabinet")
        )
    );
    let recs: Vec<_> = doc
        .recommendations
        .iter()
        .map(|r| {
            (
                r.reference.as_deref(),
                r.addressee.as_deref(),
                r.text.as_str(),
                r.actions.len(),
            )
        })
        .collect();
    assert_eq!(
        recs,
        vec![
            (
                Some("1"),
                Some("Cabinet"),
                "That Cabinet notes the outcome of the inspection.",
                0
            ),
            (
                Some("2"),
                Some("Cabinet"),
                "That Cabinet approves the action plan at Appendix 1.",
                0
            ),
            (Some("1"), None, "Improve the quality of assessments", 2),
            (Some("2"), None, "Reduce social worker caseloads", 1),
        ]
    );
    let a = &doc.recommendations[2].actions[0];
    assert_eq!(
        a.text,
        "Introduce an assessment quality framework; Audit 20 assessments a month"
    );
    assert_eq!(
        (
            a.status.as_deref(),
            a.timescale.as_ref().and_then(|t| t.due.as_deref())
        ),
        (Some("On track"), Some("2015-12"))
    );
    let b = &doc.recommendations[3].actions[0];
    assert_eq!(
        (
            b.status.as_deref(),
            b.timescale.as_ref().and_then(|t| t.due.as_deref())
        ),
        (Some("Delayed"), Some("2016-03-31"))
    );
}

#[test]
fn consultation_response_table_one_action_per_committing_sentence() {
    // A hand-written consultation report in HTML: feedback | council response. A
    // response that commits in two sentences gives two actions; the same response
    // printed again under another theme is read once; reassurances are not actions.
    let html = "<html><body><h1>Consultation on library opening hours</h1><table>\
        <tr><th>What residents said</th><th>Our response</th></tr>\
        <tr><td>Evening opening matters to working parents</td><td>We will keep two late evenings at the central library. Extra sessions can be made available if required during exams.</td></tr>\
        <tr><td>Staff will lose their jobs</td><td>This will not affect the number of staff employed.</td></tr>\
        <tr><td>Travel to the central library is costly</td><td>We will keep two late evenings at the central library. Time-limited travel assistance would be offered to regular users.</td></tr>\
        </table></body></html>";
    let doc = extract("consultation.html", html);
    let texts: Vec<String> = actions(&doc).into_iter().map(|a| a.text).collect();
    assert_eq!(
        texts,
        [
            "We will keep two late evenings at the central library.",
            "Extra sessions can be made available if required during exams.",
            "Time-limited travel assistance would be offered to regular users.",
        ],
        "{texts:?}"
    );
}

#[test]
fn numbered_register_after_an_unnumbered_plan_is_a_table_of_its_own() {
    // A hand-written text export: a two-column plan (action | date) with tab-separated
    // cells, then a numbered project register of 16 projects. The register's rows must not be read
    // as more rows of the plan (its numbers as actions, its text as dates).
    let mut text = String::from("Schedule of actions\n\nChange action\tCompletion date\nDevelop a communications plan\tMarch 2019\nPublish the plan on the intranet\tJune 2019\nProduce an annual progress report\tAnnual\n\nAppendix 1: Project Register\n\nID Project Lead Capital Savings Start Year\n");
    let names = [
        "Street lights",
        "School heating",
        "Fleet renewal",
        "Solar panels",
        "Wind turbine",
        "LED lighting",
        "Heat pumps",
        "Depot roof",
        "Pool covers",
        "Library glazing",
        "Office lighting",
        "Museum boiler",
        "Leisure centre",
        "Car park lights",
        "Town hall",
        "Data centre",
    ];
    for (n, name) in names.iter().enumerate() {
        text.push_str(&format!("{} {name}  TBC  £{}00,000.00  £63,350.50  179 13.72  13.8%  2019\nA programme to improve the {name} estate.\n", n + 1, n + 2));
    }
    let doc = extract("register.txt", &text);
    let acts = actions(&doc);
    let register: Vec<_> = acts.iter().filter(|a| a.reference.is_some()).collect();
    assert_eq!(register.len(), 16, "{acts:#?}");
    assert!(
        register[0].text.starts_with("Street lights"),
        "{:?}",
        register[0].text
    );
    assert!(acts
        .iter()
        .all(|a| a.text.chars().any(char::is_alphabetic) && a.text != "1"));
    let plan: Vec<_> = acts.iter().filter(|a| a.reference.is_none()).collect();
    assert_eq!(plan.len(), 3);
    assert_eq!(
        plan[0].timescale.as_ref().map(|t| t.raw.as_str()),
        Some("March 2019")
    );
}
