//! Issue 10, the stay beyond detox: treatment-plan versions, the therapy schedule and its
//! attendance rules, aftercare readiness (census marker, discharge warning, AMA record), the
//! handoff pre-fill, the printouts, snapshots of the screens, and an end-to-end run in a pty.
mod common;

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use wardterm::domain::aftercare::Item;
use wardterm::domain::handoff;
use wardterm::domain::plan::{Attendance, Modality, NewSession, PlanDraft, ward_day};
use wardterm::domain::shift::{next_shift, shift_at};
use wardterm::domain::stay::{Discharge, DischargeType};
use wardterm::domain::user::Staff;
use wardterm::store::Store;
use wardterm::tui::app::{App, Msg};

use common::app::*;

/// 14:00 in New York: the day shift; the demo's group session started at 13:20.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 19, 0, 0).unwrap()
}

fn staff(store: &mut Store, user: &str, pw: &str) -> Staff {
    store.sign_in(user, pw, now()).unwrap().unwrap()
}

fn stays(store: &Store) -> Vec<i64> {
    store.census().unwrap().into_iter().filter_map(|r| r.occupant.map(|o| o.stay_id)).collect()
}

fn draft(problems: &str, cbt: &str) -> PlanDraft {
    PlanDraft::validate(problems, "stay safe", &[(Modality::Cbt, cbt.to_string())]).unwrap()
}

#[test]
fn a_plan_change_is_a_new_version_and_old_versions_stay_readable() {
    let (_d, mut store) = demo_store_at(now());
    let nurse = staff(&mut store, "nurse", "demo-nurse1");
    let stay = stays(&store)[7]; // bed 9: no plan in the demo
    assert!(store.plan_versions(stay).unwrap().is_empty());
    assert_eq!(store.set_plan(&nurse, stay, &draft("AUD", "cravings log"), now()).unwrap(), 1);
    assert_eq!(store.set_plan(&nurse, stay, &draft("AUD; insomnia", "sleep hygiene"), now()).unwrap(), 2);
    let v = store.plan_versions(stay).unwrap();
    assert_eq!(v.iter().map(|v| v.version).collect::<Vec<_>>(), vec![2, 1], "newest first");
    assert_eq!(v[1].problems, "AUD", "version 1 is unchanged");
    assert_eq!(v[1].interventions, vec![(Modality::Cbt, "cravings log".to_string())]);
    assert_eq!(v[0].set_by, "Sam Okafor, RN");
    // The database refuses rewriting, deleting, gaps, and late interventions on an old version.
    let c = store.raw_connection();
    assert!(c.execute("UPDATE plan_version SET problems = 'x' WHERE stay_id = ?1", [stay]).is_err());
    assert!(c.execute("DELETE FROM plan_version WHERE stay_id = ?1", [stay]).is_err());
    assert!(c.execute("UPDATE plan_intervention SET detail = 'x'", []).is_err());
    assert!(c.execute("DELETE FROM plan_intervention", []).is_err());
    let gap = "INSERT INTO plan_version (stay_id, version, problems, goals, set_by, set_at)
               VALUES (?1, 5, 'p', 'g', 1, '2026-11-25T19:00:00Z')";
    assert!(c.execute(gap, [stay]).is_err(), "versions have no gaps");
    let old_id = v[1].id;
    assert!(
        c.execute("INSERT INTO plan_intervention (plan_id, modality, detail) VALUES (?1, 'dbt', 'x')", [old_id])
            .is_err(),
        "an old version takes no new interventions"
    );
    assert_eq!(store.plan_versions(stay).unwrap().len(), 2);
}

#[test]
fn attendance_only_for_a_started_session_and_an_admitted_patient() {
    let (_d, mut store) = demo_store_at(now());
    let nurse = staff(&mut store, "nurse", "demo-nurse1");
    let charge = staff(&mut store, "charge", "demo-charge1");
    let (from, to) = ward_day(now(), tz());
    let day = store.sessions_between(from, to).unwrap();
    assert_eq!(day.len(), 3, "group now, CBT and yoga later");
    let (group, cbt) = (&day[0], &day[1]);
    assert!(group.started(now()) && !cbt.started(now()));
    let all = stays(&store);
    // A session that has not started: refused by the store and by the database.
    let e = store.record_attendance(&nurse, cbt.id, all[0], Attendance::Attended, None, now()).unwrap_err();
    assert!(e.to_string().contains("not started"), "{e}");
    let raw = "INSERT INTO attendance (session_id, stay_id, status, recorded_at, by_user)
               VALUES (?1, ?2, 'attended', '2026-11-25T19:00:00Z', 1)";
    assert!(store.raw_connection().execute(raw, [cbt.id, all[0]]).is_err(), "the trigger refuses it too");
    // Not on the session's list (CBT is for beds 1-3), once it has started.
    let later = cbt.starts_at + Duration::minutes(5);
    assert!(store.record_attendance(&nurse, cbt.id, all[5], Attendance::Attended, None, later).is_err());
    store.record_attendance(&nurse, cbt.id, all[0], Attendance::Partial, Some("left early"), later).unwrap();
    // Re-recording adds a row; the latest counts and the first is kept.
    store.record_attendance(&nurse, group.id, all[0], Attendance::Asleep, None, now()).unwrap();
    store.record_attendance(&nurse, group.id, all[0], Attendance::Attended, Some("woke, joined"), now()).unwrap();
    let marks = store.attendance_for(&[group.id]).unwrap();
    assert_eq!(marks[&(group.id, all[0])].status, Attendance::Attended);
    let rows: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM attendance WHERE session_id = ?1 AND stay_id = ?2", [group.id, all[0]], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(rows, 2);
    assert!(store.raw_connection().execute("UPDATE attendance SET status = 'refused'", []).is_err());
    assert!(store.raw_connection().execute("DELETE FROM attendance", []).is_err());
    // A discharged patient: refused by the store and by the database.
    let d = Discharge { kind: DischargeType::Completed, at: now(), aftercare: "IOP Monday".into() };
    store.discharge(&charge, all[4], &d, now()).unwrap();
    let e = store.record_attendance(&nurse, group.id, all[4], Attendance::Attended, None, now()).unwrap_err();
    assert!(e.to_string().contains("discharged"), "{e}");
    assert!(store.raw_connection().execute(raw.replace("19:00", "19:01").as_str(), [group.id, all[4]]).is_err());
    // Scheduling is the charge nurse's; a session may be planned ahead.
    let s = NewSession::validate("2026-11-26 10:00", "60", "dbt", "Distress tolerance", "R. Diaz", "all", now(), tz())
        .unwrap();
    assert!(store.add_session(&nurse, &s, now()).is_err());
    assert!(store.add_session(&charge, &s, now()).is_ok());
}

#[test]
fn aftercare_progress_discharge_warning_and_the_ama_record() {
    let (_d, mut store) = demo_store_at(now());
    let nurse = staff(&mut store, "nurse", "demo-nurse1");
    let charge = staff(&mut store, "charge", "demo-charge1");
    let all = stays(&store);
    let stay = all[0]; // demo: 3 of 6 done
    assert_eq!(store.aftercare(stay).unwrap().progress(), (3, 6));
    assert!(store.toggle_aftercare(&nurse, stay, Item::RelapsePlan, now()).unwrap());
    assert!(!store.toggle_aftercare(&nurse, stay, Item::Outpatient, now()).unwrap(), "toggled back open");
    let c = store.aftercare(stay).unwrap();
    assert_eq!(c.progress(), (3, 6));
    assert_eq!(c.open(), vec![Item::Outpatient, Item::HousingTransport, Item::Medications]);
    assert_eq!(store.aftercare_progress().unwrap()[&stay], (3, 6));
    assert!(store.raw_connection().execute("UPDATE aftercare_mark SET done = 1", []).is_err());
    assert!(store.raw_connection().execute("DELETE FROM aftercare_mark", []).is_err());
    // The discharge dialog says what is open.
    let mut app = App::new(store, now()).unwrap().signed_in_as(charge.clone()).unwrap();
    key(&mut app, KeyCode::Char('d'));
    let (s, _) = shown(&app);
    assert!(s.contains("Aftercare still OPEN (3 of 6 done)") && s.contains("outpatient appt"), "{s}");
    assert!(shown(&app).0.contains("AMA discharge records them"));
    let mut store = app.store;
    // AMA: the open items go on record in the stay and its history.
    let d = Discharge { kind: DischargeType::Ama, at: now(), aftercare: "declined referral".into() };
    store.discharge(&charge, stay, &d, now()).unwrap();
    let (kept, event): (String, String) = store
        .raw_connection()
        .query_row(
            "SELECT s.aftercare, e.note FROM stay s JOIN stay_event e ON e.stay_id = s.id AND e.kind = 'discharge'
             WHERE s.id = ?1",
            [stay],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(kept.contains("aftercare open at AMA discharge: outpatient appt, housing/transport, meds/scripts"));
    assert_eq!(kept, event);
    assert!(store.toggle_aftercare(&nurse, stay, Item::Outpatient, now()).is_err(), "a discharged stay is final");
}

#[test]
fn the_handoff_prefills_attendance_refusals_and_open_aftercare() {
    let (_d, store) = demo_store_at(now());
    let defs = store.shift_defs().unwrap();
    let w = shift_at(&defs, now(), tz()).unwrap();
    let next = next_shift(&defs, &w, tz()).unwrap();
    let records = store.ward_handoff_records(&w, next.start, now(), tz()).unwrap();
    let notes = |i: usize| records[i].plan_notes.join(" | ");
    assert!(notes(0).contains("Aftercare open (3 of 6 done): relapse plan"), "{}", notes(0));
    assert!(notes(1).contains("\"Relapse prevention\" attended (Sam Okafor, RN)"), "{}", notes(1));
    assert!(!notes(1).contains("Aftercare open"), "bed 2 is ready: {}", notes(1));
    assert!(notes(2).contains("REFUSED - nauseated, stayed in room"), "{}", notes(2));
    let ward = store.ward().unwrap().unwrap();
    let patients: Vec<_> = records.iter().map(|r| handoff::build(r, &w, now(), tz())).collect();
    let sheet = wardterm::report::handoff::render(&ward, &w, &next, &patients, now(), "Test, RN");
    assert!(sheet.contains("REFUSED - nauseated") && sheet.lines().all(|l| l.chars().count() <= 80), "{sheet}");
}

#[test]
fn schedule_and_aftercare_screens_80x24() {
    let (_d, mut store) = demo_store_at(now());
    let me = staff(&mut store, "nurse", "demo-nurse1");
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    // The census shows the compact marker for the selected bed.
    assert!(shown(&app).0.contains("AC 3/6"), "{}", shown(&app).0);
    key(&mut app, KeyCode::Char('S'));
    let (s, t) = shown(&app);
    assert!(s.contains("Today's schedule") && s.contains("Now: 13:20 Group \"Relapse prevention\""), "{s}");
    assert!(s.contains("missing 14: beds 1 4 6 7"), "{s}");
    insta::assert_snapshot!("plan_schedule_80x24", t.backend());
    // One key per status: bed 1 attended, the cursor moves on to bed 2.
    key(&mut app, KeyCode::Char('a'));
    let (s, _) = shown(&app);
    assert!(s.contains("Maria Delgado: attended.") && s.contains("missing 13: beds 4 6"), "{s}");
    // A future session refuses attendance with a message.
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char('r'));
    assert!(shown(&app).0.contains("has not started"), "{}", shown(&app).0);
    key(&mut app, KeyCode::Left);
    // The patient view: plan and aftercare in full; 4 toggles relapse-housing item.
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char('4'));
    let (s, t) = shown(&app);
    assert!(s.contains("Version 2 of 2 (current)") && s.contains("4 of 6 done"), "{s}");
    insta::assert_snapshot!("plan_patient_aftercare_80x24", t.backend());
    // A new version through the dialog; the earlier one is one key away.
    key(&mut app, KeyCode::Char('e'));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    typed(&mut app, "AUD, severe; insomnia resolved");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    let (s, _) = shown(&app);
    assert!(s.contains("Plan version 3 saved") && s.contains("insomnia resolved"), "{s}");
    key(&mut app, KeyCode::Char('v'));
    assert!(shown(&app).0.contains("Version 2 of 3 (EARLIER VERSION)"));
    key(&mut app, KeyCode::Esc);
    assert!(shown(&app).0.contains("Today's schedule"));
    key(&mut app, KeyCode::Esc);
    assert!(shown(&app).0.contains("Bed  Patient"));
}

#[test]
fn schedule_printout_and_the_census_printout_include_today() {
    let (_d, store) = demo_store_at(now());
    let ward = store.ward().unwrap().unwrap();
    let (from, to) = ward_day(now(), tz());
    let sessions = store.sessions_between(from, to).unwrap();
    let marks = store.attendance_for(&sessions.iter().map(|s| s.id).collect::<Vec<_>>()).unwrap();
    let rows = store.census().unwrap();
    let patients: Vec<(i64, String)> =
        rows.iter().filter_map(|r| r.occupant.as_ref().map(|o| (o.stay_id, format!("{} {}", r.bed, o.name)))).collect();
    let text = wardterm::report::schedule::render(&ward, &sessions, &patients, &marks, now(), "Test, RN");
    assert!(text.starts_with("THERAPY SCHEDULE - 4 West Detox\nPrinted 2026-11-25 14:00"), "{text}");
    assert!(text.contains("13:20-14:20 Group \"Relapse prevention\"") && text.contains("[A] 2 James O'Connor"));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("[R] 3 Aisha Rahman (nauseated, stayed in room)") && text.contains("42 CFR part 2"));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    let section = wardterm::report::schedule::section(&sessions, &patients, &marks, now(), &ward);
    let obs = store.observation_board(now(), tz()).unwrap();
    let census = wardterm::report::census::render_with(
        &ward,
        &rows,
        &obs,
        &Default::default(),
        now(),
        "Test, RN",
        Some(&section),
    );
    assert!(census.contains("TODAY'S SCHEDULE") && census.lines().all(|l| l.chars().count() <= 80));
    assert!(census.find("TODAY'S SCHEDULE") < census.find("CONFIDENTIAL"), "before the notice");
}

/// The real binary: a nurse records attendance at the group session, and the charge nurse's
/// printed handoff sheet shows it.
#[test]
fn attendance_recorded_in_the_app_appears_on_the_printed_handoff_sheet() {
    const WAIT: StdDuration = StdDuration::from_secs(10);
    let bin = env!("CARGO_BIN_EXE_wardterm");
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("ward.db");
    let db = db.to_str().unwrap();
    let out = std::process::Command::new(bin).args(["init", "--demo", "--db", db]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut s = common::pty::Session::spawn(&["--db", db], 80, 24, &[]);
    s.wait_for("Username", WAIT).unwrap();
    s.send("nurse\tdemo-nurse1\r");
    s.wait_for("Bed 1 · Maria Delgado", WAIT).unwrap();
    s.send("S");
    s.wait_for("Relapse prevention", WAIT).unwrap();
    s.wait_for("missing 14: beds 1 4", WAIT).unwrap();
    s.send("c");
    s.wait_for("Attendance: Maria Delgado", WAIT).unwrap();
    s.send("p\tleft after 20 min, nausea\r");
    s.wait_for("Recorded: partial.", WAIT).unwrap();
    s.wait_for("missing 13: beds 4", WAIT).unwrap();
    s.send("\x1b");
    s.wait_until("the census", WAIT, |scr| scr.contains("Bed 1 · Maria Delgado") && scr.contains("q quit")).unwrap();
    s.send("q");
    assert!(s.wait_exit(WAIT).is_some_and(|st| st.success()), "{}", s.screen());
    let out = std::process::Command::new(bin)
        .args(["handoff", "--db", db, "--user", "charge"])
        .env("WARDTERM_PASSWORD", "demo-charge1")
        .env_remove("WARDTERM_DB")
        .env_remove("WARDTERM_USER")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sheet = String::from_utf8_lossy(&out.stdout);
    let bed1 = sheet.split("BED 2 - ").next().unwrap();
    let flat = bed1.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Therapy this shift:")
            && flat.contains("Group \"Relapse prevention\" partial - left after 20 min, nausea (Sam Okafor, RN)"),
        "{sheet}"
    );
    assert!(sheet.lines().all(|l| l.chars().count() <= 80));
}

/// Issue 20, point 11: help lists only the keys the signed-in role may use. Adding a session is
/// the charge nurse's: her schedule help lists it, a nurse's does not (and the key tells a nurse
/// why not rather than doing nothing).
#[test]
fn schedule_help_lists_new_session_for_the_charge_nurse_only() {
    for (user, pw, listed) in [("charge", "demo-charge1", true), ("nurse", "demo-nurse1", false)] {
        let (_d, mut store) = demo_store_at(now());
        let me = staff(&mut store, user, pw);
        let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
        key(&mut app, KeyCode::Char('S'));
        key(&mut app, KeyCode::Char('?'));
        let s = shown(&app).0;
        assert_eq!(s.contains("Add a session to the schedule"), listed, "{user}:\n{s}");
        key(&mut app, KeyCode::Esc);
        if !listed {
            key(&mut app, KeyCode::Char('N'));
            assert!(shown(&app).0.contains("may not add sessions"), "{}", shown(&app).0);
        }
    }
}

/// The store's refusal of a dialog's write (attendance at a session not yet started) keeps the
/// dialog, as the nurse filled it in, with the reason; nothing is recorded.
#[test]
fn a_refused_attendance_dialog_comes_back_with_the_reason() {
    let (_d, mut store) = demo_store_at(now());
    let me = staff(&mut store, "nurse", "demo-nurse1");
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    key(&mut app, KeyCode::Char('S'));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "r");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "not yet");
    key(&mut app, KeyCode::Enter);
    let d = app.model.dialog.as_ref().expect("the dialog is still open");
    assert!(d.form.error.as_deref().is_some_and(|e| e.contains("has not started")), "{:?}", d.form.error);
    assert_eq!(d.form.value(1), "not yet");
    key(&mut app, KeyCode::Esc);
    assert!(app.model.dialog.is_none() && shown(&app).0.contains("nothing was saved"), "{}", shown(&app).0);
}
