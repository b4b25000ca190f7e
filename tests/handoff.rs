//! Shift handoff: completion rules, carry-forward of action items, the census flag, the screens
//! (snapshots) and the printed sheet.
mod common;

use chrono::{DateTime, Duration, Utc};
use ratatui::crossterm::event::KeyCode;
use tempfile::TempDir;

use wardterm::domain::handoff::{self, Severity, Status};
use wardterm::domain::shift::{next_shift, shift_at};
use wardterm::store::Store;
use wardterm::tui::app::App;

use common::app::*;

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
    assert!(store.raw_connection().execute("UPDATE handoff SET summary = 'x' WHERE stay_id = ?1", [stay]).is_err());
    for p in ward(&store, now()).iter().skip(1) {
        let s = p.records.stay_id;
        store.prepare_handoff(&charge, s, &w, Severity::Stable, "Settled night.", "", now()).unwrap();
        store.accept_handoff("lpn", "demo-lpn-01", s, &w, "Restated.", now()).unwrap();
    }
    let done = ward(&store, now());
    assert!(done.iter().all(|p| p.status == Status::Accepted));
    assert!(handoff::complete(&done));
    assert!(wardterm::store::ledger::verify(store.raw_connection()).unwrap().ok(), "accepted handoffs are sealed");
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

#[test]
fn census_flags_the_handoff_not_yet_accepted_and_shows_severity() {
    let (_d, mut store) = demo_store();
    let me = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    let (s, _) = shown(&app);
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
    let (s, t) = shown(&app);
    assert!(s.contains("Handoff · Night") && s.contains("0/16 accepted"), "{s}");
    insta::assert_snapshot!("handoff_list", t.backend());
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "u");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::F(5)); // clear last shift's text
    typed(&mut app, "Night 3, CIWA 25 despite lorazepam; seizure history.");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::F(5));
    typed(&mut app, "If CIWA >= 20 twice, call Dr. Patel.");
    ctrl(&mut app, 's');
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
    let (s, t) = shown(&app);
    assert!(s.contains("UNSTABLE") && s.contains("Repeat magnesium") && s.contains("Synthesis by Sam Okafor"), "{s}");
    insta::assert_snapshot!("handoff_patient_accepted", t.backend());
    // One key steps to the next patient.
    key(&mut app, KeyCode::Char('n'));
    assert!(shown(&app).0.contains("Bed 2 · James O'Connor"));
}

/// The night shift's window and the one after it.
fn shifts(store: &Store) -> (wardterm::domain::shift::ShiftWindow, wardterm::domain::shift::ShiftWindow) {
    let defs = store.shift_defs().unwrap();
    let w = shift_at(&defs, now(), tz()).unwrap();
    let next = next_shift(&defs, &w, tz()).unwrap();
    (w, next)
}

fn bed_1(store: &Store) -> handoff::PatientHandoff {
    ward(store, now()).into_iter().find(|p| p.records.bed == "1").unwrap()
}

/// Issue 20 point 4: at 80x24 the patient page scrolls with PgDn to the last line of a long
/// contingency plan and to the receiver's synthesis, and PgUp back to the top.
#[test]
fn a_long_contingency_plan_and_the_synthesis_are_reached_with_pgdn_at_80x24() {
    let (_d, mut store) = demo_store();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let (w, _) = shifts(&store);
    let stay = bed_1(&store).records.stay_id;
    let plan: Vec<String> = (1..=12).map(|i| format!("{i}. If CIWA-Ar rises again, step {i} of the plan.")).collect();
    let plan = format!("{}\nLAST LINE: call Dr. Patel at any seizure.", plan.join("\n"));
    store.prepare_handoff(&charge, stay, &w, Severity::Unstable, "Night 3.\nSeizure history.", &plan, now()).unwrap();
    store.accept_handoff("nurse", "demo-nurse1", stay, &w, "Restated all twelve steps.", now()).unwrap();
    let mut app = App::new(store, now()).unwrap().signed_in_as(charge).unwrap();
    key(&mut app, KeyCode::Char('H'));
    key(&mut app, KeyCode::Enter);
    let (top, _) = shown(&app);
    assert!(top.contains("Bed 1 · Maria Delgado") && top.contains("more below: PgDn"), "{top}");
    assert!(!top.contains("LAST LINE") && !top.contains("Restated all twelve"), "{top}");
    // The summary keeps its two lines.
    assert!(top.contains("P Night 3.") && top.contains("  Seizure history."), "{top}");
    for _ in 0..2 {
        key(&mut app, KeyCode::PageDown);
    }
    let (end, t) = shown(&app);
    assert!(end.contains("LAST LINE: call Dr. Patel at any seizure."), "{end}");
    assert!(end.contains("Synthesis by Sam Okafor, RN at 04:00: Restated all twelve steps."), "{end}");
    assert!(end.contains("end of page"), "{end}");
    insta::assert_snapshot!("handoff_long_contingency_end", t.backend());
    // Never past the end; and PgUp goes back to the top.
    key(&mut app, KeyCode::PageDown);
    assert_eq!(shown(&app).0, end);
    key(&mut app, KeyCode::PageUp);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(shown(&app).0, top);
}

/// Issue 20 point 4: the summary is a multi-line editor; Enter adds a line, and the newline is
/// saved, shown on the page and printed as its own line.
#[test]
fn enter_in_the_summary_adds_a_line_that_is_saved_shown_and_printed() {
    let (_d, mut store) = demo_store();
    let me = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let mut app = App::new(store, now()).unwrap().signed_in_as(me.clone()).unwrap();
    key(&mut app, KeyCode::Char('H'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('e'));
    typed(&mut app, "w");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::F(5));
    typed(&mut app, "Night 3, CIWA 12.");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Eating; slept 4 h.");
    let (editing, t) = shown(&app);
    assert!(editing.contains("Night 3, CIWA 12.") && editing.contains("Eating; slept 4 h."), "{editing}");
    insta::assert_snapshot!("handoff_prepare_editor", t.backend());
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::F(5));
    typed(&mut app, "If tremor returns:");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "score CIWA and call Dr. Patel.");
    ctrl(&mut app, 's');
    let (page, _) = shown(&app);
    assert!(page.contains("Handoff prepared."), "{page}");
    let lines: Vec<&str> = page.lines().map(str::trim_end).collect();
    assert!(lines.contains(&"P Night 3, CIWA 12.") && lines.contains(&"  Eating; slept 4 h."), "{page}");
    assert!(lines.contains(&"  score CIWA and call Dr. Patel."), "{page}");
    let p = bed_1(&app.store);
    let h = p.records.this_shift.as_ref().unwrap();
    assert_eq!(h.severity, Severity::Watcher);
    assert_eq!(h.summary, "Night 3, CIWA 12.\nEating; slept 4 h.");
    assert_eq!(h.situation, "If tremor returns:\nscore CIWA and call Dr. Patel.");
    // The printed sheet (what `wardterm handoff` prints) keeps the lines under their label.
    let (w, next) = shifts(&app.store);
    let sheet =
        wardterm::report::handoff::render(&app.store.ward().unwrap().unwrap(), &w, &next, &[p], now(), &me.signature());
    assert!(sheet.contains("P  Summary:  Night 3, CIWA 12.\n             Eating; slept 4 h.\n"), "{sheet}");
    assert!(
        sheet.contains("S  If/then:  If tremor returns:\n             score CIWA and call Dr. Patel.\n"),
        "{sheet}"
    );
    assert!(!sheet.contains('⏎'), "{sheet}");
}

/// Bed 1 prepared by the charge nurse and assigned for the day shift to Lee Park, LPN; Sam
/// Okafor, RN then types her synthesis and password on the app.
fn assigned_to_lee_and_sam_receives() -> (TempDir, App) {
    let (dir, mut store) = demo_store();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let lee = store.sign_in("lpn", "demo-lpn-01", now()).unwrap().unwrap();
    let (w, next) = shifts(&store);
    let p = bed_1(&store);
    store
        .prepare_handoff(&charge, p.records.stay_id, &w, Severity::Watcher, "Night 3.", "If CIWA > 20, call.", now())
        .unwrap();
    store.assign(&charge, next.start, p.records.bed_id, lee.id, now()).unwrap();
    // Without a confirmation the store refuses to accept for someone else's patient.
    let e = store.accept_handoff("nurse", "demo-nurse1", p.records.stay_id, &w, "Restated.", now()).unwrap_err();
    assert!(e.to_string().contains("assigned to Lee Park, LPN"), "{e}");
    let mut app = App::new(store, now()).unwrap().signed_in_as(charge).unwrap();
    key(&mut app, KeyCode::Char('H'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "Restated: CIWA q1h.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "nurse");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    let (s, _) = shown(&app);
    assert!(s.contains("assigned to Lee Park, LPN") && s.contains("accepted in place of Lee Park, LPN"), "{s}");
    assert!(bed_1(&app.store).status == Status::Prepared, "nothing accepted before the confirmation");
    (dir, app)
}

/// Issue 20 point 6: accepting a patient assigned to another nurse asks first, and the record,
/// the page, the printout and the audit say "accepted in place of ...".
#[test]
fn accepting_a_patient_assigned_to_another_nurse_asks_and_records_in_place_of() {
    let (_d, mut app) = assigned_to_lee_and_sam_receives();
    insta::assert_snapshot!("handoff_confirm_in_place", shown(&app).1.backend());
    typed(&mut app, "y");
    key(&mut app, KeyCode::Enter);
    let (s, _) = shown(&app);
    assert!(s.contains("Accepted by Sam Okafor, RN in place of Lee Park, LPN."), "{s}");
    let page = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(page.contains("(accepted in place of Lee Park, LPN, who was assigned): Restated: CIWA q1h."), "{s}");
    let p = bed_1(&app.store);
    let a = p.records.this_shift.as_ref().unwrap().accepted.clone().unwrap();
    assert_eq!(a.by, "Sam Okafor, RN");
    assert_eq!(a.synthesis, "Restated: CIWA q1h.", "the typed synthesis, whole");
    assert_eq!(a.in_place_of.as_deref(), Some("Lee Park, LPN"));
    let detail: String = app
        .store
        .raw_connection()
        .query_row("SELECT detail FROM audit WHERE action = 'handoff.accept' ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(detail.contains("accepted in place of Lee Park, LPN"), "{detail}");
    let (w, next) = shifts(&app.store);
    let sheet = wardterm::report::handoff::render(
        &app.store.ward().unwrap().unwrap(),
        &w,
        &next,
        &[p],
        now(),
        "Dana Reyes, RN",
    );
    let words = sheet.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("accepted by Sam Okafor, RN at 04:00 (accepted in place of Lee Park, LPN, who was assigned)"),
        "{sheet}"
    );
    assert!(wardterm::store::ledger::verify(app.store.raw_connection()).unwrap().ok(), "sealed with the acceptance");
}

/// Issue 20 point 6: declining (n, or Esc) leaves the handoff unaccepted.
#[test]
fn declining_to_accept_in_place_of_the_assigned_nurse_leaves_it_unaccepted() {
    let (_d, mut app) = assigned_to_lee_and_sam_receives();
    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    let (s, _) = shown(&app);
    assert!(s.contains("Not accepted: the patient stays assigned to Lee Park, LPN."), "{s}");
    assert_eq!(bed_1(&app.store).status, Status::Prepared);
    let (_d2, mut app) = assigned_to_lee_and_sam_receives();
    key(&mut app, KeyCode::Esc);
    assert!(app.model.dialog.is_none());
    assert_eq!(bed_1(&app.store).status, Status::Prepared);
    // The nurse who is assigned accepts without being asked, and nothing says "in place of".
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "Restated.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "lpn");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "demo-lpn-01");
    key(&mut app, KeyCode::Enter);
    let p = bed_1(&app.store);
    assert_eq!(p.status, Status::Accepted, "{}", shown(&app).0);
    assert_eq!(p.records.this_shift.unwrap().accepted.unwrap().in_place_of, None);
}

/// A refused write keeps its dialog open as the nurse left it, saying why: a wrong password
/// keeps the synthesis typed, and nothing is accepted; the right one then accepts.
#[test]
fn a_wrong_receiver_password_keeps_the_dialog_and_the_synthesis() {
    let (_d, mut store) = demo_store();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let (w, _) = shifts(&store);
    let stay = bed_1(&store).records.stay_id;
    store.prepare_handoff(&charge, stay, &w, Severity::Stable, "Night 3.", "If CIWA > 20, call.", now()).unwrap();
    let mut app = App::new(store, now()).unwrap().signed_in_as(charge).unwrap();
    key(&mut app, KeyCode::Char('H'));
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "Restated: stable.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "nurse");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "wrong-password");
    key(&mut app, KeyCode::Enter);
    let d = app.model.dialog.as_ref().expect("the dialog stays open");
    assert!(d.form.error.as_deref().is_some_and(|e| e.contains("could not be identified")), "{:?}", d.form.error);
    assert_eq!(d.form.value(0), "Restated: stable.");
    assert_eq!(bed_1(&app.store).status, Status::Prepared);
    // The cursor is still in the password.
    for _ in 0.."wrong-password".len() {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    assert!(app.model.dialog.is_none());
    assert!(shown(&app).0.contains("Accepted by Sam Okafor, RN."), "{}", shown(&app).0);
    assert_eq!(bed_1(&app.store).status, Status::Accepted);
}
