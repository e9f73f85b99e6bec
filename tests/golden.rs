//! Every `fixtures/expected/*.json` (written from a reading of the paper) compared
//! with what the pipeline extracts, field by field. The report lists every missing,
//! extra or differing item; run with `--nocapture` to see it when the test passes.

use actionplan_tests::{check_paper, root};

/// Minimum scores per paper, set so that losing a single recommendation or action in
/// any corpus paper fails; fields leave room for genuinely debatable readings
/// (documented in each expectation's "notes"), not for misses.
const MIN_REC_F1: f64 = 0.98;
const MIN_ACTION_F1: f64 = 0.975;
const MIN_FIELDS: f64 = 0.90;

fn run(stem: &str) {
    let path = root()
        .join("fixtures/expected")
        .join(format!("{stem}.json"));
    let (report, text) = check_paper(&path).unwrap_or_else(|e| panic!("{e}"));
    println!("{text}");
    assert!(
        report.rec_f1() >= MIN_REC_F1 && report.action_f1() >= MIN_ACTION_F1 && report.field_accuracy() >= MIN_FIELDS,
        "{stem} below thresholds (recommendations F1 ≥ {MIN_REC_F1}, actions F1 ≥ {MIN_ACTION_F1}, fields ≥ {MIN_FIELDS}):\n{text}"
    );
}

macro_rules! golden {
    ($($name:ident => $stem:literal),* $(,)?) => {
        $( #[test] fn $name() { run($stem); } )*

        #[test]
        fn every_expectation_has_a_test() {
            let known = [$($stem),*];
            let dir = root().join("fixtures/expected");
            for entry in std::fs::read_dir(&dir).expect("fixtures/expected exists") {
                let path = entry.expect("readable entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                    assert!(known.contains(&stem.as_str()), "{} has no golden test: add it to tests/golden.rs", path.display());
                }
            }
        }
    };
}

golden! {
    kent_2008 => "kent_2008_jar_action_plan_cfe_committee_report",
    kingston_2007 => "kingston_2007_jar_enhanced_youth_inspection_action_plan",
    kent_2011 => "kent_2011_specialist_childrens_services_posc_agenda_pack",
    leicester_2008 => "leicester_2008_jar_action_plan_cabinet_report",
    telford_2008 => "telford_wrekin_2008_jar_action_plan",
    sandwell_2013_pdf => "ofsted_2013_sandwell_LAC_inspection_areas_for_improvement_by_timescale",
    slough_2014_pdf => "ofsted_2014_slough_SIF_priority_immediate_action_and_areas_for_improvement",
    walsall_2017_pdf => "ofsted_2017_walsall_SIF_numbered_recommendations_plus_LSCB_bullets",
    bradford_2026_pdf => "ofsted_2026_bradford_ILACS_what_needs_to_improve_framework_tags",
    kent_eqia_sis_2025_pdf => "kent_2025_18-25_SIS_transfer_EqIA_numbered_mitigating_actions_responsible_officer",
    kent_eqia_family_hubs_2025_pdf => "kent_2025_family_hub_contracts_EqIA_mitigating_actions_responsible_officer",
    kent_qpr_2025_pdf => "kent_2025_QPR_Q3_performance_report_KPI_targets_and_corporate_risk_actions",
    kent_budget_risks_2025_pdf => "kent_2025_budget_risk_register_landscape_table",
}
