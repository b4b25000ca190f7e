//! Shift handoff: completion rules, carry-forward of action items, the census flag, the screens
//! (snapshots) and the printed sheet.
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::handoff::{self, Severity, Status};
use wardterm::domain::shift::{next_shift, shift_at};
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::view::view;

/// 04:00 in New York: the night shift (19:00-07:00) is under way.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn tz() -> chrono_tz::Tz {
    chrono_tz::America::New_York
}

fn demo_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    (dir, store)
}

fn ward(store: &Store, at: DateTime<Utc>) -> Vec<handoff::PatientHandoff> {
    let defs = store.shift_defs().unwrap();
    let w = shift_at(&defs, at, tz()).unwrap();
    let next = next_shift(&defs, &w, tz()).unwrap();
    store
        .ward_handoff_records(&w, next.start, at, tz())
        .unwrap()
        .iter()
        .map(|r| handoff::build(r, &w, at, tz()))
        .collect()
}

#[test]
fn the_ward_handoff_completes_only_when_every_bed_is_accepted_by_someone_else() {
    let (_d, mut store) = demo_store();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let defs = store.shift_defs().unwrap();
    let w = shift_at(&defs, now(), tz()).unwrap();
    assert_eq!(w.name, "Night");
    let patients = ward(&store, now());
    assert_eq!(patients.len(), 16);
    assert!(!handoff::complete(&patients));
    let stay = patients[0].records.stay_id;
    // Accepting before preparing is refused; so is accepting your own handoff.
    assert!(store.accept_handoff("nurse", "demo-nurse1", stay, &w, "ok", now()).is_err());
    store
        .prepare_handoff(&charge, stay, &w, Severity::Unstable, "CIWA climbing", "If two > 20 call MD", now())
        .unwrap();
    assert!(store.accept_handoff("charge", "demo-charge1", stay, &w, "restated", now()).is_err(), "not to yourself");
    assert!(store.accept_handoff("nurse", "wrong-password", stay, &w, "restated", now()).is_err());
    assert!(store.accept_handoff("nurse", "demo-nurse1", stay, &w, "  ", now()).is_err(), "synthesis required");
    store.accept_handoff("nurse", "demo-nurse1", stay, &w, "Restated: hourly CIWA.", now()).unwrap();
    // Accepted is final, in the store and in the database.
    assert!(store.prepare_handoff(&charge, stay, &w, Severity::Stable, "x", "", now()).is_err());
    assert!(store.conn().execute("UPDATE handoff SET summary = 'x' WHERE stay_id = ?1", [stay]).is_err());
    for p in ward(&store, now()).iter().skip(1) {
        let s = p.records.stay_id;
        store.prepare_handoff(&charge, s, &w, Severity::Stable, "Settled night.", "", now()).unwrap();
        store.accept_handoff("lpn", "demo-lpn-01", s, &w, "Restated.", now()).unwrap();
    }
    let done = ward(&store, now());
    assert!(done.iter().all(|p| p.status == Status::Accepted));
    assert!(handoff::complete(&done));
    assert!(wardterm::store::ledger::verify(store.conn()).unwrap().ok(), "accepted handoffs are sealed");
}

#[test]
fn open_action_items_carry_forward_until_closed() {
    let (_d, mut store) = demo_store();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let stay = ward(&store, now())[0].records.stay_id;
    let id = store.add_action_item(&nurse, stay, "Repeat BMP", "day RN", now() + Duration::hours(3), now()).unwrap();
    // In this shift's handoff, the next shift's, and the one after: until someone closes it.
    for hours in [0, 12, 24] {
        let at = now() + Duration::hours(hours);
        let p = ward(&store, at).into_iter().find(|p| p.records.stay_id == stay).unwrap();
        assert_eq!(p.records.open_items.len(), 1, "{hours} h later");
        assert_eq!(!p.overdue_items.is_empty(), hours > 0, "overdue once its time has passed");
    }
    store.close_action_item(&nurse, id, "done, K 4.1", now() + Duration::hours(25)).unwrap();
    let p = ward(&store, now() + Duration::hours(36)).into_iter().find(|p| p.records.stay_id == stay).unwrap();
    assert!(p.records.open_items.is_empty());
    assert!(store.close_action_item(&nurse, id, "again", now()).is_err(), "closed is final");
}

fn screen(app: &App) -> (String, Terminal<TestBackend>) {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
    let buf = t.backend().buffer().clone();
    let s = (0..24)
        .map(|y| (0..80).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    (s, t)
}

/// A key as crossterm decodes it from a real terminal: Shift-Tab (`ESC [ Z`) is BackTab with SHIFT.
fn key(app: &mut App, code: KeyCode) {
    let mods = if code == KeyCode::BackTab { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    app.update(Msg::Key(KeyEvent::new(code, mods)));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[test]
fn census_flags_the_handoff_not_yet_accepted_and_shows_severity() {
    let (_d, mut store) = demo_store();
    let me = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    let (s, _) = screen(&app);
    // The demo's handoff into the night shift: accepted for all but one patient.
    let row = |bed: &str| s.lines().find(|l| l.split_whitespace().next() == Some(bed)).unwrap().to_string();
    let waiting: Vec<&str> = s.lines().filter(|l| l.trim_end().ends_with('?')).collect();
    assert_eq!(waiting.len(), 1, "{s}");
    assert!(row("1").trim_end().ends_with('U'), "bed 1 was handed over unstable: {}", row("1"));
    assert!(row("7").trim_end().ends_with('S'), "bed 7 stable: {}", row("7"));
}

#[test]
fn handoff_screens_80x24_and_a_whole_patient_flow() {
    let (_d, mut store) = demo_store();
    let me = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    key(&mut app, KeyCode::Char('H'));
    let (s, t) = screen(&app);
    assert!(s.contains("Handoff · Night") && s.contains("0/16 accepted"), "{s}");
    insta::assert_snapshot!("handoff_list", t.backend());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "u");
    key(&mut app, KeyCode::Tab);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    typed(&mut app, "Night 3, CIWA 25 despite lorazepam; seizure history.");
    key(&mut app, KeyCode::Tab);
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    typed(&mut app, "If CIWA >= 20 twice, call Dr. Patel.");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "Repeat magnesium");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "day RN");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2026-11-25 08:00");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "Restated: hourly CIWA, call if two over 20.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "nurse");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    let (s, t) = screen(&app);
    assert!(s.contains("UNSTABLE") && s.contains("Repeat magnesium") && s.contains("Synthesis by Sam Okafor"), "{s}");
    insta::assert_snapshot!("handoff_patient_accepted", t.backend());
    // One key steps to the next patient.
    key(&mut app, KeyCode::Char('n'));
    assert!(screen(&app).0.contains("Bed 2 · James O'Connor"));
}
