//! The demo ward's admission assessments and risk screens (issue 16, point 7).
mod common;

use common::app::{demo_copy, now};
use wardterm::domain::census::AdmissionMark;
use wardterm::domain::screen::ScreenKind;

#[test]
fn the_demo_has_one_high_risk_cssrs_one_assessment_in_progress_and_verifies() {
    let (_d, store) = demo_copy(now());
    let rows: Vec<_> = store.census().unwrap().into_iter().filter_map(|r| r.occupant).collect();
    assert_eq!(rows.len(), 16);
    let mut high = 0;
    for o in &rows {
        let screens = store.screens(o.stay_id, Some(ScreenKind::Cssrs), 100).unwrap();
        assert!(!screens.is_empty(), "{} has a C-SSRS", o.name);
        high += screens.iter().filter(|s| s.result == "high").count();
        assert!(!store.screens(o.stay_id, Some(ScreenKind::Morse), 1).unwrap().is_empty(), "{} has a Morse", o.name);
        if wardterm::domain::census::mentions_alcohol(&o.substances) {
            assert!(o.pawss.is_some(), "{} has a PAWSS", o.name);
        }
    }
    assert_eq!(high, 1, "exactly one high-risk C-SSRS");
    let high_risk: Vec<_> = rows.iter().filter(|o| o.risk.suicide_high_risk()).collect();
    assert_eq!(high_risk.len(), 1);
    assert!(high_risk[0].precautions.contains("suicide"), "the decision added the precaution");
    assert_eq!(high_risk[0].observation, "1:1", "the decision set the observation level");
    let in_progress = rows.iter().filter(|o| matches!(o.risk.admission, AdmissionMark::InProgress { .. })).count();
    assert_eq!(in_progress, 1, "one assessment in progress");
    assert_eq!(rows.iter().filter(|o| matches!(o.risk.admission, AdmissionMark::Open(_))).count(), 1);
    assert!(rows.iter().filter(|o| o.risk.admission == AdmissionMark::Complete).count() >= 13);
    let record = store.admission_assessment(rows[1].stay_id).unwrap().unwrap();
    assert_eq!(record.addenda.len(), 1, "one section was completed by an addendum");
    assert_eq!(record.state_text(), "complete");
    assert!(rows.iter().any(|o| o.risk.pawss_not_applicable));
    assert!(rows.iter().any(|o| o.pawss.is_some_and(|p| p >= 4)));
    assert!(rows.iter().any(|o| o.pawss.is_some_and(|p| p < 4)));
    let overdue = rows.iter().filter(|o| o.risk.cssrs_due.is_some_and(|d| d <= now())).count();
    assert!((1..=2).contains(&overdue), "one or two C-SSRS overdue, not {overdue}");
    let bands: std::collections::HashSet<_> =
        rows.iter().filter_map(|o| o.risk.morse.as_ref().map(|m| m.result.clone())).collect();
    assert_eq!(bands.len(), 3, "low, moderate and high: {bands:?}");
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
}
