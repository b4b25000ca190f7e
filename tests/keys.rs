//! Keys as a real terminal sends them (issue 20, points 5, 7 and 8): nothing acts while the
//! window is too small; Shift-Tab (BackTab with SHIFT, as crossterm decodes `ESC [ Z`) moves back
//! in every form; Ctrl-C never silently throws away unsaved work.
mod common;

use ratatui::crossterm::event::KeyCode;
use tempfile::TempDir;

use wardterm::tui::app::{App, Msg, Screen};
use wardterm::tui::screens::scoring::Focus;

use common::app::*;

fn demo_app(user: &str, pw: &str) -> (TempDir, App) {
    let (dir, store) = demo_store();
    let mut app = app_on(store, user, pw, now());
    app.update(Msg::Resize(80, 24));
    (dir, app)
}

/// The scoring screen of bed 1 (Maria Delgado, CIWA-Ar): Enter on the first bed.
fn score_bed_1(app: &mut App) {
    key(app, KeyCode::Home);
    key(app, KeyCode::Enter);
    assert!(matches!(app.model.screen, Screen::Scoring(_)), "{}", screen(app));
}

fn scoring(app: &App) -> &wardterm::tui::screens::scoring::ScoringScreen {
    match &app.model.screen {
        Screen::Scoring(s) => s,
        _ => panic!("not on the scoring screen:\n{}", screen(app)),
    }
}

fn answered(app: &App) -> usize {
    scoring(app).answers.scores().iter().filter(|s| s.is_some()).count()
}

// ------------------------------------------------------------------ point 5: too small

#[test]
fn no_key_acts_while_the_window_is_too_small() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    let before = screen(&app);
    // The nurse's terminal shrinks to 60x18: the screen says "Window too small".
    app.update(Msg::Resize(60, 18));
    let small = screen_at(&app, 60, 18);
    assert!(small.contains("Window too small") && !small.contains("Delgado"), "{small}");
    assert!(small.contains("only Ctrl-C quits and Ctrl-L locks"), "{small}");
    // Typing `4 4` blind sets nothing; nor do Tab, Esc, a paste or Ctrl-S.
    typed(&mut app, "44");
    key(&mut app, KeyCode::Tab);
    app.update(Msg::Paste("120".into()));
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert_eq!(answered(&app), 0, "no CIWA item was set while the screen could not be seen");
    assert_eq!(scoring(&app).focus, Focus::Items);
    assert!(scoring(&app).vitals.iter().all(String::is_empty));
    // Back to 80x24: the screen is exactly as it was.
    app.update(Msg::Resize(80, 24));
    assert_eq!(screen(&app), before);
    // And keys act again.
    typed(&mut app, "4");
    assert_eq!(answered(&app), 1);
}

#[test]
fn lock_and_quit_still_work_while_the_window_is_too_small() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    typed(&mut app, "2");
    app.update(Msg::Resize(79, 40));
    ctrl(&mut app, 'l');
    assert!(matches!(app.model.screen, Screen::Locked { .. }), "Ctrl-L locks at any size");
    app.update(Msg::Resize(80, 24));
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    assert_eq!(answered(&app), 1, "the scores were kept by the lock");
    // Too small with unsaved scores: Ctrl-C asks (the question waits for a window that fits);
    // neither `d` nor Enter answers it blind.
    app.update(Msg::Resize(80, 23));
    ctrl(&mut app, 'c');
    assert!(!app.model.quit && app.model.confirm_quit.is_some());
    assert!(screen_at(&app, 80, 23).contains("A question is waiting"), "{}", screen_at(&app, 80, 23));
    typed(&mut app, "d");
    key(&mut app, KeyCode::Enter);
    assert!(!app.model.quit && app.model.confirm_quit.is_some());
    app.update(Msg::Resize(80, 24));
    assert!(screen(&app).contains("Quit wardterm?"), "{}", screen(&app));
    // With nothing unsaved, Ctrl-C quits at once, at any size.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.model.screen, Screen::Census), "{}", screen(&app));
    app.update(Msg::Resize(40, 10));
    ctrl(&mut app, 'c');
    assert!(app.model.quit);
}

// ------------------------------------------------------------------ point 7: Shift-Tab

#[test]
fn shift_tab_moves_back_in_the_scoring_screen_and_its_vitals_row() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    shift_tab(&mut app);
    assert_eq!(scoring(&app).focus, Focus::Taken, "from the items, back to the time taken");
    shift_tab(&mut app);
    assert_eq!(scoring(&app).focus, Focus::Vital(5));
    shift_tab(&mut app);
    assert_eq!(scoring(&app).focus, Focus::Vital(4), "back along the vitals row");
    typed(&mut app, "18");
    assert_eq!(scoring(&app).vitals[4], "18");
}

#[test]
fn shift_tab_moves_back_in_a_form_dialog() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('c')); // change allergies, precautions or code status
    let focus = |app: &App| app.model.dialog.as_ref().expect("the change form is open").form.focus;
    assert_eq!(focus(&app), 0);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(focus(&app), 2);
    shift_tab(&mut app);
    assert_eq!(focus(&app), 1);
    shift_tab(&mut app);
    shift_tab(&mut app);
    let n = app.model.dialog.as_ref().unwrap().form.fields.len();
    assert_eq!(focus(&app), n - 1, "from the first field, round to the last");
}

#[test]
fn shift_tab_moves_back_a_section_in_the_note_editor() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "s"); // SOAP: several sections
    key(&mut app, KeyCode::Enter);
    let current = |app: &App| match &app.model.screen {
        Screen::NoteEditor(e) => e.current,
        _ => panic!("not in the note editor:\n{}", screen(app)),
    };
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(current(&app), 2);
    shift_tab(&mut app);
    assert_eq!(current(&app), 1, "Shift-Tab goes back a section, it is not typed into the text");
    typed(&mut app, "calm");
    let Screen::NoteEditor(e) = &app.model.screen else { unreachable!() };
    assert_eq!(e.sections()[1].1, "calm");
}

#[test]
fn shift_tab_moves_back_on_the_lock_screen() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    ctrl(&mut app, 'l');
    let focus = |app: &App| match &app.model.screen {
        Screen::Locked { form, .. } => form.focus,
        _ => panic!("not locked"),
    };
    assert_eq!(focus(&app), 1, "the password field has the focus");
    shift_tab(&mut app);
    assert_eq!(focus(&app), 0, "Shift-Tab reaches the username, for another nurse to sign in");
}

// ------------------------------------------------------------------ point 8: Ctrl-C

#[test]
fn ctrl_c_over_unsaved_scores_asks_and_going_back_loses_nothing() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    typed(&mut app, "21");
    let before = screen(&app);
    ctrl(&mut app, 'c');
    assert!(!app.model.quit, "Ctrl-C did not quit over unsaved scores");
    let s = screen(&app);
    assert!(s.contains("Quit wardterm?") && s.contains("CIWA-Ar scores for bed 1"), "{s}");
    assert!(s.contains("Keep it") && s.contains("Discard") && s.contains("Go back"), "{s}");
    // Digits do not reach the scores behind the question; a second Ctrl-C does not quit.
    typed(&mut app, "3");
    ctrl(&mut app, 'c');
    assert!(!app.model.quit && answered(&app) == 2);
    key(&mut app, KeyCode::Esc);
    assert!(app.model.confirm_quit.is_none());
    let after = screen(&app);
    assert!(after.contains("nothing was lost"), "{after}");
    // The screen is as it was, but for the notice line.
    let body = |s: &str| s.lines().take(21).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&after), body(&before));
    assert_eq!(answered(&app), 2);
}

#[test]
fn ctrl_c_keep_locks_and_the_scores_come_back() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    typed(&mut app, "21");
    ctrl(&mut app, 'c');
    typed(&mut app, "k");
    assert!(!app.model.quit);
    let locked = screen(&app);
    assert!(matches!(app.model.screen, Screen::Locked { .. }) && !locked.contains("Delgado"), "{locked}");
    // On the lock screen, Ctrl-C asks again (the kept work would go), and names no patient.
    ctrl(&mut app, 'c');
    let s = screen(&app);
    assert!(!app.model.quit && s.contains("1 locked session") && !s.contains("Delgado"), "{s}");
    assert!(!s.contains("Keep it"), "nobody is signed in to keep it for: {s}");
    key(&mut app, KeyCode::Esc);
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    assert_eq!(answered(&app), 2, "the scores came back with the nurse");
}

#[test]
fn ctrl_c_discard_quits() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    typed(&mut app, "2");
    ctrl(&mut app, 'c');
    typed(&mut app, "d");
    assert!(app.model.quit);
}

#[test]
fn ctrl_c_with_nothing_unsaved_quits_as_before() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    ctrl(&mut app, 'c');
    assert!(app.model.quit, "an empty scoring screen holds nothing to lose");
}

#[test]
fn ctrl_c_over_a_form_typed_into_asks_and_an_untouched_one_does_not() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Tab); // moving about is not work
    ctrl(&mut app, 'c');
    assert!(app.model.quit, "an untouched form: Ctrl-C quits as before");

    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "latex");
    ctrl(&mut app, 'c');
    assert!(!app.model.quit);
    let s = screen(&app);
    assert!(s.contains("the form") && s.contains("not saved"), "{s}");
    key(&mut app, KeyCode::Esc);
    let d = app.model.dialog.as_ref().expect("the change form is still open");
    assert_eq!(d.form.value(1), "latex", "going back keeps what was typed");
}

#[test]
fn ctrl_c_in_the_note_editor_saves_the_draft_and_asks_only_if_that_fails() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    // The disk is full: the draft cannot be saved, so quitting would lose the text.
    let pages: i64 = app.store.raw_connection().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    app.store.raw_connection().execute_batch(&format!("PRAGMA max_page_count = {pages}")).unwrap();
    app.update(Msg::Paste("Patient tremulous, diaphoretic, asking for water. ".repeat(200)));
    ctrl(&mut app, 'c');
    assert!(!app.model.quit, "Ctrl-C did not quit over a draft it could not save");
    assert!(screen(&app).contains("Maria Delgado: draft NOT saved"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    // With room again, Ctrl-C saves the draft and quits, as it always did.
    app.store.raw_connection().execute_batch("PRAGMA max_page_count = 1073741823").unwrap();
    ctrl(&mut app, 'c');
    assert!(app.model.quit);
    let me = app.model.me.clone().unwrap();
    assert!(app.store.my_drafts(&me).unwrap()[0].sections[0].1.starts_with("Patient tremulous"));
}

#[test]
fn q_on_the_census_does_not_throw_away_a_locked_sessions_scores() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    score_bed_1(&mut app);
    typed(&mut app, "2");
    ctrl(&mut app, 'l');
    // Lee Park signs in on the same terminal; Sam's scores wait, locked away.
    shift_tab(&mut app);
    ctrl(&mut app, 'u');
    typed(&mut app, "lpn");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "demo-lpn-01");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.model.screen, Screen::Census), "{}", screen(&app));
    key(&mut app, KeyCode::Char('q'));
    assert!(!app.model.quit, "q would have lost Sam's unsaved scores");
    let s = screen(&app);
    assert!(s.contains("1 locked session") && !s.contains("CIWA-Ar scores"), "{s}");
    typed(&mut app, "d");
    assert!(app.model.quit);
}
