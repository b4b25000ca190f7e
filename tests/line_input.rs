//! One line editor (issue 15, point 5): every single-line field takes the same keys and a
//! paste, including the two that used to drop it (the scoring screen's vitals and time).
mod common;

use ratatui::crossterm::event::KeyCode;
use wardterm::tui::app::{Msg, Screen};
use wardterm::tui::screens::scoring::Focus;

use common::app::*;

fn scoring(app: &wardterm::tui::app::App) -> &wardterm::tui::screens::scoring::ScoringScreen {
    match &app.model.screen {
        Screen::Scoring(s) => s,
        _ => panic!("not on the scoring screen:\n{}", screen(app)),
    }
}

#[test]
fn a_paste_lands_in_the_focused_vital_and_control_characters_do_not() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Tab);
    assert_eq!(scoring(&app).focus, Focus::Vital(0));
    app.update(Msg::Paste("37.2\x1b[2J".into()));
    assert_eq!(scoring(&app).vitals[0], "37.2[2J", "printable characters only");
    ctrl(&mut app, 'u');
    // Ctrl-U on the scoring screen is "unable to assess" (its own key), never a silent clear.
    assert!(app.model.dialog.is_some(), "Ctrl-U opened the unable-to-assess dialog");
    key(&mut app, KeyCode::Esc);
    for _ in 0..4 {
        key(&mut app, KeyCode::Backspace);
    }
    assert_eq!(scoring(&app).vitals[0], "37.");
    app.update(Msg::Paste("x".repeat(100)));
    assert_eq!(scoring(&app).vitals[0].chars().count(), 20, "the field's limit holds for a paste too");
}

#[test]
fn a_paste_on_the_items_changes_nothing() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    let before = scoring(&app).answers.scores().to_vec();
    app.update(Msg::Paste("4444".into()));
    assert_eq!(scoring(&app).answers.scores().to_vec(), before, "a paste never scores an item");
    assert!(scoring(&app).vitals.iter().all(String::is_empty));
}

#[test]
fn a_paste_lands_in_the_time_taken() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    for _ in 0..7 {
        key(&mut app, KeyCode::Tab);
    }
    assert_eq!(scoring(&app).focus, Focus::Taken, "{}", screen(&app));
    app.update(Msg::Paste("03:30".into()));
    assert_eq!(scoring(&app).taken, "03:30");
}
