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
    assert_eq!(high_risk[0].observation, "q15", "the decision set the observation level");
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

use common::app::{demo_app, find, key, render, screen_at, text, typed};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;

/// The board with the filter `who` applied (the patient selected, the detail below).
fn board_filtered(who: &str) -> wardterm::tui::app::App {
    let (d, mut app) = demo_app("charge", "demo-charge1");
    std::mem::forget(d); // the ward file lives for the test
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, who);
    key(&mut app, KeyCode::Enter);
    app
}

/// Issue 16 point 3: the census shows the current suicide risk and the fall-risk band; high risk
/// and overdue carry colour AND a text mark (a capital H; "!").
#[test]
fn the_census_marks_high_risk_and_overdue_screens_in_colour_and_text() {
    let app = board_filtered("Chen");
    let t = render(&app, 80, 24);
    let buf = t.backend().buffer();
    let s = text(buf);
    let (x, _) = find(buf, "S/F").expect("the S/F column at 80x24");
    let (_, y) = find(buf, "Chen Jing").expect("her row");
    assert_eq!(buf[(x, y)].symbol(), "H", "suicide risk high reads H:\n{s}");
    // The row is selected (reversed); the mark keeps its colour beneath.
    assert_eq!(buf[(x, y)].fg, Color::LightRed, "{s}");
    assert!(s.contains("C-SSRS HIGH RISK"), "the detail says it in words:\n{s}");
    assert!(s.contains("by Sam Okafor, RN") || s.contains("by Lee Park, LPN") || s.contains("by Dana Reyes, RN"));
    insta::assert_snapshot!("census_high_risk_selected_80x24", screen_at(&app, 80, 24));

    let app = board_filtered("Herrera");
    let t = render(&app, 80, 24);
    let buf = t.backend().buffer();
    let s = text(buf);
    let (x, _) = find(buf, "S/F").unwrap();
    let (_, y) = find(buf, "Tomás Herrera").unwrap();
    let cell: String = (x..x + 3).map(|c| buf[(c, y)].symbol().to_string()).collect();
    assert_eq!(cell, "n!l", "C-SSRS overdue reads !:\n{s}");
    assert_eq!(buf[(x + 1, y)].bg, Color::Red, "and is red");
    assert!(s.contains("C-SSRS none") && s.contains("late)"), "the detail says how late:\n{s}");
}

/// The census detail names each screen with when and by whom, PAWSS, and the admission
/// assessment's state (in progress; not assessed).
#[test]
fn the_census_detail_says_each_screen_and_the_assessment_state() {
    let s = screen_at(&board_filtered("Aisha"), 80, 24);
    assert!(s.contains("Assessment in progress (Sam Okafor, RN)"), "{s}");
    let s = screen_at(&board_filtered("Whitfield"), 80, 24).replace('\n', " ");
    assert!(s.contains("not assessed: Psychiatric history"), "{s}");
    assert!(s.contains("PAWSS"), "{s}");
    let s = screen_at(&board_filtered("Greene"), 80, 24);
    assert!(s.contains("Morse 90 high"), "the Morse after the fall:\n{s}");
    let s = screen_at(&board_filtered("Kevin"), 80, 24);
    assert!(s.contains("PAWSS not applicable"), "{s}");
}

use wardterm::report;
use wardterm::store::Store;

fn fits_80(text: &str) {
    use unicode_width::UnicodeWidthStr;
    for l in text.lines() {
        assert!(l.width() <= 80, "{} columns: {l:?}\n{text}", l.width());
        let risk = ["C-SSRS", "Morse", "PAWSS", "BAL", "UDS", "Admission assessment"].iter().any(|w| l.contains(w));
        assert!(!(risk && l.contains('…')), "no risk line is cut: {l:?}");
    }
}

/// The lines of one patient's block in a printout, from the line containing `name` to `end`.
fn patient_block(text: &str, name: &str, end: &str) -> String {
    let lines: Vec<&str> = text.lines().skip_while(|l| !l.contains(name)).collect();
    let block: Vec<&str> =
        lines.iter().take(1).chain(lines.iter().skip(1).take_while(|l| !l.starts_with(end))).copied().collect();
    block.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assessments(store: &Store) -> report::census::Assessments {
    let mut m = report::census::Assessments::new();
    for o in store.census().unwrap().into_iter().filter_map(|r| r.occupant) {
        if let Some(a) = store.admission_assessment(o.stay_id).unwrap() {
            m.insert(o.stay_id, a);
        }
    }
    m
}

/// Issue 16 point 6: the printed handoff sheet carries each patient's C-SSRS, Morse, PAWSS,
/// BAL/UDS and the admission assessment's state, within 80 columns, wrapped, never cut.
#[test]
fn the_handoff_sheet_carries_the_risk_screens_bal_uds_and_the_assessment_state() {
    let (_d, store) = demo_copy(now());
    let ward = store.ward().unwrap().unwrap();
    let tz = ward.tz;
    let defs = store.shift_defs().unwrap();
    let w = wardterm::domain::shift::shift_at(&defs, now(), tz).unwrap();
    let next = wardterm::domain::shift::next_shift(&defs, &w, tz).unwrap();
    let records = store.ward_handoff_records(&w, next.start, now(), tz).unwrap();
    let patients: Vec<_> = records.iter().map(|r| wardterm::domain::handoff::build(r, &w, now(), tz)).collect();
    let sheet = report::handoff::render(&ward, &w, &next, &patients, now(), "Dana Reyes, RN");
    fits_80(&sheet);
    let chen = patient_block(&sheet, "Chen Jing", "=====");
    assert!(chen.contains("Risk: C-SSRS high risk 01:34 by"), "{chen}");
    assert!(chen.contains("Morse 15 low"), "{chen}");
    assert!(chen.contains("PAWSS 3/10"), "{chen}");
    assert!(chen.contains("BAL BrAC"), "{chen}");
    assert!(chen.contains("UDS negative at"), "{chen}");
    assert!(chen.contains("Admission assessment: complete"), "{chen}");
    let aisha = patient_block(&sheet, "Aisha Rahman", "=====");
    assert!(aisha.contains("BAL/UDS: not recorded yet (admission assessment in progress)"), "{aisha}");
    assert!(aisha.contains("Admission assessment: in progress (Sam Okafor, RN)"), "{aisha}");
    let grace = patient_block(&sheet, "Grace Whitfield", "=====");
    assert!(grace.contains("Admission assessment: not assessed: Psychiatric history"), "{grace}");
    assert!(grace.contains("PAWSS"), "{grace}");
    let tomas = patient_block(&sheet, "Tomás Herrera", "=====");
    assert!(tomas.contains("late)"), "an overdue C-SSRS says so: {tomas}");
    assert!(tomas.contains("UDS positive: opiates at"), "{tomas}");
}

/// The census printout carries the same lines.
#[test]
fn the_census_printout_carries_the_risk_screens_bal_uds_and_the_assessment_state() {
    let (_d, store) = demo_copy(now());
    let ward = store.ward().unwrap().unwrap();
    let rows = store.census().unwrap();
    let obs = store.observation_board(now(), ward.tz).unwrap();
    let paper = report::census::render(&ward, &rows, &obs, &assessments(&store), now(), "Dana Reyes, RN");
    fits_80(&paper);
    let chen = patient_block(&paper, "Chen Jing", "17 ");
    assert!(chen.contains("C-SSRS high risk 01:34 by"), "{chen}");
    assert!(chen.contains("Morse 15 low") && chen.contains("PAWSS 3/10"), "{chen}");
    assert!(chen.contains("BAL BrAC") && chen.contains("UDS negative"), "{chen}");
    assert!(chen.contains("Admission assessment: complete"), "{chen}");
    let aisha = patient_block(&paper, "Aisha Rahman", "4 ");
    assert!(aisha.contains("Admission assessment: in progress"), "{aisha}");
    let kevin = patient_block(&paper, "Kevin Brooks", "8 ");
    assert!(kevin.contains("PAWSS not applicable"), "{kevin}");
}

/// Issue 16 point 6: each screen and the admission assessment are entries of the timeline, with
/// who and when; reading one shows its items and decision, or its sections.
#[test]
fn the_timeline_shows_screens_and_the_admission_assessment_and_reads_them() {
    use wardterm::domain::timeline::{EntryKind, Filter};
    let (_d, store) = demo_copy(now());
    let chen = store.census().unwrap().into_iter().filter_map(|r| r.occupant).find(|o| o.name == "Chen Jing").unwrap();
    let all = store.timeline(chen.stay_id, Filter::All, None, 100).unwrap();
    let summaries: Vec<&str> = all.iter().map(|e| e.summary.as_str()).collect();
    assert!(summaries.contains(&"C-SSRS high risk · decision recorded"), "{summaries:?}");
    assert!(summaries.contains(&"Morse 15 low"), "{summaries:?}");
    assert!(summaries.contains(&"PAWSS 3/10 not high risk"), "{summaries:?}");
    assert!(summaries.contains(&"Admission assessment signed: complete"), "{summaries:?}");
    let james = store.census().unwrap()[1].occupant.clone().unwrap();
    let j = store.timeline(james.stay_id, Filter::All, None, 500).unwrap();
    assert!(j.iter().any(|e| e.summary == "Admission assessment signed: not assessed: Psychiatric history"));
    assert!(j.iter().any(|e| e.kind == EntryKind::Admission
        && e.summary.starts_with("Admission assessment addendum: Psychiatric history (")));
    assert!(j.iter().any(|e| e.summary.starts_with("RASS -1 drowsy")), "a RASS beside a score");

    // On screen: read the high-risk C-SSRS, then the admission assessment.
    let at =
        |kind: EntryKind, start: &str| all.iter().position(|e| e.kind == kind && e.summary.starts_with(start)).unwrap();
    for (pos, expect) in [
        (
            at(EntryKind::Screen, "C-SSRS high"),
            vec!["Decision: provider notified: Dr. Adeyemi", "precaution added", "4. had these thoughts"],
        ),
        (
            at(EntryKind::Admission, "Admission assessment"),
            vec!["Substance use", "alcohol: oral;", "Medical history", "started 2026-11-25"],
        ),
    ] {
        let mut app = board_filtered("Chen");
        key(&mut app, KeyCode::Char('v'));
        let list = screen_at(&app, 80, 24);
        assert!(list.contains("SCREEN") && list.contains("taken"), "{list}");
        for _ in 0..pos {
            key(&mut app, KeyCode::Down);
        }
        key(&mut app, KeyCode::Enter);
        let s = text(render(&app, 80, 24).backend().buffer()).replace('\n', " ");
        let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        for e in expect {
            assert!(s.contains(e), "{e}: {s}");
        }
    }
    let mut app = board_filtered("Chen");
    key(&mut app, KeyCode::Char('v'));
    insta::assert_snapshot!("timeline_with_screens_80x24", screen_at(&app, 80, 24));
}
