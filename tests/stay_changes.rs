//! Issue 20, point 9: allergies, precautions and code status can change after admission (a newly
//! found allergy at 3 a.m.), each change with who, when and why, in the stay's append-only
//! history, the timeline, the handoff and the audit trail; the database refuses a change with no
//! reason and refuses to edit or delete one.
use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::handoff;
use wardterm::domain::shift::{next_shift, shift_at};
use wardterm::domain::stay::SafetyFact;
use wardterm::domain::timeline::{EntryKind, Filter};
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::view::view;

/// 04:00 in New York: the night shift.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn demo_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    (dir, store)
}

#[test]
fn a_new_allergy_at_3am_is_recorded_with_who_when_and_why_and_shown_everywhere() {
    let (d, mut store) = demo_store();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let o = store.census().unwrap().into_iter().find_map(|r| r.occupant).unwrap();
    let at = now() - Duration::minutes(50);
    store
        .change_safety_fact(&nurse, o.stay_id, SafetyFact::Allergies, "penicillin, shellfish", "", at)
        .expect_err("a change needs a reason");
    store
        .change_safety_fact(
            &nurse,
            o.stay_id,
            SafetyFact::Allergies,
            "penicillin, shellfish",
            "patient recalled hives",
            at,
        )
        .unwrap();
    let e = store
        .change_safety_fact(&nurse, o.stay_id, SafetyFact::CodeStatus, "DNR", "order", at)
        .unwrap_err()
        .to_string();
    assert!(e.contains("may not"), "code status is the charge nurse's to record: {e}");
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    store.change_safety_fact(&charge, o.stay_id, SafetyFact::CodeStatus, "DNR", "order from Dr Patel", at).unwrap();
    let now_o =
        store.census().unwrap().into_iter().find_map(|r| r.occupant.filter(|x| x.stay_id == o.stay_id)).unwrap();
    assert_eq!((now_o.allergies.as_str(), now_o.code_status.code()), ("penicillin, shellfish", "DNR"));

    // The timeline shows both changes with who and when.
    let t = store.timeline(o.stay_id, Filter::All, None, 50).unwrap();
    let changes: Vec<_> = t.iter().filter(|e| e.kind == EntryKind::Change).collect();
    assert_eq!(changes.len(), 2, "{t:?}");
    assert!(changes.iter().any(|e| e.summary.contains("-> penicillin, shellfish (patient recalled hives)")));
    assert!(changes.iter().all(|e| e.at == at && e.by.contains(", ")));

    // The handoff of the shift says what changed.
    let tz = chrono_tz::America::New_York;
    let defs = store.shift_defs().unwrap();
    let shift = shift_at(&defs, now(), tz).unwrap();
    let next = next_shift(&defs, &shift, tz).unwrap();
    let r = store.ward_handoff_records(&shift, next.start, now(), tz).unwrap();
    let r = r.iter().find(|r| r.stay_id == o.stay_id).unwrap();
    let h = handoff::build(r, &shift, now(), tz);
    assert!(
        h.records.changes.iter().any(|c| c.starts_with("CHANGED Allergies: ") && c.contains("by Sam Okafor, RN")),
        "{:?}",
        h.records.changes
    );

    // The history is append-only and a safety change without a reason is refused by the database.
    drop(store);
    let c = rusqlite::Connection::open(d.path().join("w.db")).unwrap();
    let e = c.execute("UPDATE stay_event SET note = 'x' WHERE kind = 'allergies'", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = c
        .execute(
            "INSERT INTO stay_event (stay_id, kind, from_value, to_value, note, at, by_user)
             VALUES (?1, 'allergies', 'a', 'b', '  ', '2026-11-25T08:00:00Z', 1)",
            [o.stay_id],
        )
        .unwrap_err();
    assert!(e.to_string().contains("CHECK"), "{e}");
}

#[test]
fn the_census_key_c_records_a_change_through_the_dialog() {
    let (_d, store) = demo_store();
    let mut store = store;
    let me = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    let key = |app: &mut App, code: KeyCode| app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Right); // Change: allergies
    key(&mut app, KeyCode::Tab);
    for ch in "penicillin, latex".chars() {
        key(&mut app, KeyCode::Char(ch));
    }
    key(&mut app, KeyCode::Tab);
    for ch in "found on old chart".chars() {
        key(&mut app, KeyCode::Char(ch));
    }
    key(&mut app, KeyCode::Enter);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
    let buf = t.backend().buffer();
    let s: String =
        (0..24).map(|y| (0..80).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>() + "\n").collect();
    assert!(s.contains("Allergies changed") && s.contains("Allergies: penicillin, latex"), "{s}");
}
