//! Issue 20, point 10: every time field takes `08:30`, `now`, `-15m` and a full date, and the
//! screen echoes the time it understood as she types. The demo ward's now is Wednesday
//! 2026-11-25 04:00 EST, so "08:30" is yesterday's (today's is still ahead).
mod common;
use common::app::*;

use ratatui::crossterm::event::KeyCode;
use wardterm::tui::app::App;

/// What a nurse types in a time field, and the echo she must read beside it.
const UNDERSTOOD: [(&str, &str); 5] = [
    ("08:30", "→ yesterday 08:30 EST (19h30 ago)"),
    ("now", "→ today 04:00 EST (now)"),
    ("-15m", "→ today 03:45 EST (15m ago)"),
    ("2026-11-24 22:10", "→ yesterday 22:10 EST (5h50 ago)"),
    ("2026-11-23 21:00", "→ Mon 2026-11-23 21:00 EST (1d07h ago)"),
];

/// What she reads under the fields when the text is not a time (yet).
const WHAT_TO_TYPE: &str = "not a time yet: type 08:30, now, -15m or 2026-11-25 08:30";

/// The focused field's row, `▶ Label ... value  echo`.
fn focused_row(s: &str) -> String {
    s.lines().find(|l| l.contains("▶ ")).unwrap_or_default().to_string()
}

/// Type each form of time into the focused time field (clearing it between, Ctrl-U, as she
/// would), and check the echo beside it at 80x24; then garbage, and the half-typed time that
/// becomes one as she finishes it.
fn echoes_as_she_types(app: &mut App, label: &str) {
    let s = screen(app);
    assert!(focused_row(&s).contains(label), "focus is on {label}:\n{s}");
    for (typed_text, echo) in UNDERSTOOD {
        ctrl(app, 'u');
        typed(app, typed_text);
        let s = screen(app);
        let row = focused_row(&s);
        assert!(row.contains(typed_text) && row.contains(echo), "{typed_text:?} echoes {echo:?}:\n{s}");
        assert!(!s.contains("not a time yet"), "{s}");
    }
    ctrl(app, 'u');
    typed(app, "half past");
    let s = screen(app);
    assert!(focused_row(&s).contains("half past▏  not a time yet"), "{s}");
    assert!(s.contains(WHAT_TO_TYPE), "what to type is said under the fields:\n{s}");
    // Half typed, then finished: the echo follows each key.
    ctrl(app, 'u');
    typed(app, "08:3");
    assert!(focused_row(&screen(app)).contains("not a time yet"), "{}", screen(app));
    typed(app, "0");
    let s = screen(app);
    assert!(focused_row(&s).contains("→ yesterday 08:30 EST") && !s.contains(WHAT_TO_TYPE), "{s}");
    // A charted time ahead of now is refused, and the echo says so before she saves.
    ctrl(app, 'u');
    typed(app, "+2h");
    let s = screen(app);
    assert!(s.contains("not a time yet: today 06:00 EST is in the future; nothing is charted ahead"), "{s}");
    // Nothing typed: no echo, the field's hint.
    ctrl(app, 'u');
    let s = screen(app);
    assert!(!focused_row(&s).contains("→ ") && !s.contains("not a time yet"), "{s}");
}

/// The charge nurse on the admission form for empty bed 5, its "Admitted at" focused.
fn admission(app: &mut App) {
    typed(app, "jjjj");
    key(app, KeyCode::Char('a'));
    assert!(screen(app).contains("Admit to bed 5"), "{}", screen(app));
    for _ in 0..4 {
        key(app, KeyCode::Tab);
    }
}

#[test]
fn the_admission_time_is_echoed_as_understood() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    admission(&mut app);
    echoes_as_she_types(&mut app, "Admitted at");
}

#[test]
fn the_order_time_is_echoed_as_understood() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('m'));
    key(&mut app, KeyCode::Char('o'));
    key(&mut app, KeyCode::Char('s'));
    assert!(screen(&app).contains("New scheduled order"), "{}", screen(&app));
    for _ in 0..9 {
        key(&mut app, KeyCode::Tab);
    }
    echoes_as_she_types(&mut app, "Ordered at");
}

#[test]
fn the_discharge_time_is_echoed_as_understood() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    key(&mut app, KeyCode::Char('d'));
    assert!(screen(&app).contains("Discharge Maria Delgado"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    echoes_as_she_types(&mut app, "Discharged at");
}

#[test]
fn the_note_event_time_is_echoed_as_understood() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Resting, no tremor.");
    ctrl(&mut app, 's');
    assert!(screen(&app).contains("Event time"), "{}", screen(&app));
    echoes_as_she_types(&mut app, "Event time");
}

/// The echo on a field that is not focused stays beside it: she reads back every time in the
/// form before saving, and the understood time is the one saved.
#[test]
fn every_time_field_keeps_its_echo_and_saves_what_it_echoed() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    key(&mut app, KeyCode::Char('d'));
    typed(&mut app, "c");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "-15m");
    key(&mut app, KeyCode::Tab);
    let s = screen(&app);
    let row = s.lines().find(|l| l.contains("Discharged at")).unwrap();
    assert!(row.contains("-15m  → today 03:45 EST (15m ago)") && !row.contains('▶'), "{s}");
    typed(&mut app, "Outpatient IOP referral");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Discharged (completed treatment)."), "{}", screen(&app));
}

/// A planned time (an action item's due time) reads `08:30` as the next one.
#[test]
fn the_action_item_due_time_is_the_next_one() {
    use wardterm::domain::time::{TimeEcho, TimeRule, time_echo};
    let echo = time_echo("08:30", now(), tz(), TimeRule::Planned);
    assert_eq!(echo.text(), "→ today 08:30 EST (in 4h30)");
    assert!(matches!(time_echo("16:00", now(), tz(), TimeRule::Charted), TimeEcho::Understood { .. }));
    assert_eq!(time_echo("16:00", now(), tz(), TimeRule::Charted).text(), "→ yesterday 16:00 EST (12h00 ago)");
}

/// The admission form at 80x24 with the echo beside "Admitted at".
#[test]
fn snapshot_admission_with_the_echo_80x24() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    admission(&mut app);
    typed(&mut app, "08:30");
    insta::assert_snapshot!("admission_time_echo_80x24", render(&app, 80, 24).backend());
}
