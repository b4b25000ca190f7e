//! Navigation is a stack (issue 15, point 4): "back" closes the screen in front and shows the
//! one it was opened from exactly as it was left, wherever the nurse came from.
mod common;

use ratatui::crossterm::event::KeyCode;
use wardterm::tui::app::Screen;

use common::app::*;

fn front(app: &wardterm::tui::app::App) -> &'static str {
    match &app.model.screen {
        Screen::Census => "census",
        Screen::Scoring(_) => "scoring",
        Screen::History(_) => "trend",
        Screen::Timeline(_) => "timeline",
        Screen::NoteEditor(_) => "note editor",
        Screen::Schedule(_) => "schedule",
        Screen::Plan(_) => "plan",
        _ => "other",
    }
}

#[test]
fn the_trend_opened_from_scoring_goes_back_to_the_scores_being_typed() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    assert_eq!(front(&app), "scoring");
    typed(&mut app, "12");
    let Screen::Scoring(s) = &app.model.screen else { unreachable!() };
    let typed_scores = s.answers.scores().to_vec();
    assert!(typed_scores.iter().any(Option::is_some), "two items scored");
    ctrl(&mut app, 'r');
    assert_eq!(front(&app), "trend");
    key(&mut app, KeyCode::Esc);
    assert_eq!(front(&app), "scoring");
    let Screen::Scoring(s) = &app.model.screen else { unreachable!() };
    assert_eq!(s.answers.scores().to_vec(), typed_scores, "nothing typed was lost on the way");
    key(&mut app, KeyCode::Esc); // unsaved scores: the first Esc warns
    key(&mut app, KeyCode::Esc);
    assert_eq!(front(&app), "census");
    assert!(app.model.below.is_empty(), "nothing is left stacked under the census");
}

#[test]
fn a_note_begun_from_the_timeline_goes_back_to_the_timeline() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    typed(&mut app, "v");
    assert_eq!(front(&app), "timeline");
    typed(&mut app, "n");
    // The format is the nurse's choice: the dialog offers none until she picks one.
    if app.model.dialog.is_some() {
        key(&mut app, KeyCode::Right);
        key(&mut app, KeyCode::Enter);
    }
    assert_eq!(front(&app), "note editor", "{}", screen(&app));
    key(&mut app, KeyCode::Esc); // keep the draft
    assert_eq!(front(&app), "timeline", "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert_eq!(front(&app), "census");
}

#[test]
fn the_plan_opened_from_the_schedule_goes_back_to_the_same_session_and_patient() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    typed(&mut app, "S");
    assert_eq!(front(&app), "schedule", "{}", screen(&app));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    let Screen::Schedule(s) = &app.model.screen else { unreachable!() };
    let (session, selected) = (s.session, s.selected);
    key(&mut app, KeyCode::Enter);
    assert_eq!(front(&app), "plan", "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert_eq!(front(&app), "schedule");
    let Screen::Schedule(s) = &app.model.screen else { unreachable!() };
    assert_eq!((s.session, s.selected), (session, selected));
    key(&mut app, KeyCode::Esc);
    assert_eq!(front(&app), "census");
}

#[test]
fn locking_keeps_the_whole_stack_for_the_nurse_who_left_it() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'r');
    assert_eq!(front(&app), "trend");
    ctrl(&mut app, 'l');
    assert!(matches!(app.model.screen, Screen::Locked { .. }));
    assert!(app.model.below.is_empty(), "the lock screen has nothing under it to show");
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    assert_eq!(front(&app), "trend");
    key(&mut app, KeyCode::Esc);
    assert_eq!(front(&app), "scoring", "the screen under the trend came back too");
}
