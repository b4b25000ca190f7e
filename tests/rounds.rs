//! Observation rounds (issue 9): the census's Obs column and alert banner, the rounds screen
//! (snapshots at 80x24), one transaction per check, corrections, alerts and their
//! acknowledgement, the handoff summary, the paper sheet, the queries' plans, and an end-to-end
//! round of the demo ward in the real binary.
mod common;

use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use rusqlite::Connection;
use tempfile::TempDir;

use common::pty::Session;
use wardterm::domain::rounds::{Answer, Location, ObsDue, ObsSummary, State};
use wardterm::domain::stay::Admission;
use wardterm::store::{OpenMode, Store, rounds as sql};
use wardterm::tui::app::{App, Screen};

use common::app::*;

fn demo_app(user: &str, pw: &str) -> (TempDir, App) {
    let (dir, store) = demo_copy(now());
    (dir, app_on(store, user, pw, now()))
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn occupied(app: &App) -> usize {
    app.model.board.rows.iter().filter(|r| r.occupant.is_some()).count()
}

// ------------------------------------------------------------------------------ the census

#[test]
fn census_shows_when_each_check_is_due_with_overdue_in_colour_and_text() {
    let (_d, app) = demo_app("charge", "demo-charge1");
    let t = render(&app, 80, 24);
    let buf = t.backend().buffer();
    let s = text(buf);
    // Bed 3 missed the demo's last two rounds: overdue, marked "!" and red.
    let row3 = s.lines().find(|l| l.starts_with("3 ")).unwrap();
    assert!(row3.contains("q15 !"), "{row3}");
    let (x, y) = find(buf, "q15 !").unwrap();
    assert_eq!(buf[(x, y)].bg, Color::Red);
    // The last round was 8 minutes ago: q15 due in 7 minutes, 1:1 never due.
    let row1 = s.lines().find(|l| l.starts_with("1 ")).unwrap();
    assert!(row1.contains("q15 7m"), "{row1}");
    assert!(s.lines().find(|l| l.starts_with("2 ")).unwrap().contains("1:1 "), "{s}");
    assert!(s.contains("! 1 obs overdue"), "{s}");
    // The selected bed's detail says when the last check was, by whom, and what was seen.
    assert!(s.contains("Obs q15 next 04:07 · checked 03:52 by"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn census_help_fits_80x24_with_the_round_key() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&app);
    assert!(s.contains("Observation round (! acknowledges alerts), today's schedule"), "{s}");
    assert!(s.lines().last().is_some_and(|l| l.starts_with('└')), "the overlay fits: {s}");
}

// ------------------------------------------------------------------------------ the round

#[test]
fn rounds_screen_80x24_two_keys_a_bed() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('R'));
    assert!(matches!(app.model.screen, Screen::Rounds(_)));
    insta::assert_snapshot!("rounds_start", render(&app, 80, 24).backend());
    // Bed 1: room, asleep (one key); bed 2: day room, awake calm (two keys); bed 3: d, waiting.
    key(&mut app, KeyCode::Char(' '));
    typed(&mut app, "d2");
    typed(&mut app, "g");
    let s = screen(&app);
    assert!(s.contains("group, then how? 1-5"), "{s}");
    assert!(s.contains("bed 3 of 16 · 2 saved"), "{s}");
    insta::assert_snapshot!("rounds_after_two_beds", render(&app, 80, 24).backend());
    // A digit before a location is refused with the keys to use.
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "2");
    assert!(screen(&app).contains("Where first: r room"), "{}", screen(&app));
    // The help overlay lists every key of the round and fits.
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&app);
    assert!(s.contains("Keys: Observation round") && s.contains("Patient NOT FOUND (alert)"), "{s}");
}

#[test]
fn a_whole_round_records_every_bed_and_the_census_shows_fresh_checks() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let before = count(app.store.raw_connection(), "SELECT count(*) FROM obs_check");
    key(&mut app, KeyCode::Char('R'));
    let beds = occupied(&app);
    // Two keys a bed: location letter, state digit.
    for _ in 0..beds {
        typed(&mut app, "r2");
    }
    let s = screen(&app);
    assert!(s.contains(&format!("Round done: {beds} saved")), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.model.screen, Screen::Census));
    assert_eq!(count(app.store.raw_connection(), "SELECT count(*) FROM obs_check") - before, beds as i64);
    let s = screen(&app);
    let bed_rows = s.lines().filter(|l| l.split_whitespace().next().is_some_and(|w| w.parse::<u32>().is_ok()));
    for l in bed_rows.filter(|l| !l.contains("empty")) {
        assert!(
            l.contains("q15 15m") || l.contains("q30 30m") || l.contains("q60 60m") || l.contains("1:1"),
            "not fresh: {l}\n{s}"
        );
    }
    assert!(!s.contains("obs overdue"), "{s}");
    assert!(s.contains("Round ended: 16 saved."), "{s}");
}

#[test]
fn skip_keeps_a_bed_due_and_backspace_goes_back_to_correct() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char(' ')); // bed 1
    key(&mut app, KeyCode::Char('n')); // bed 2 skipped
    key(&mut app, KeyCode::Char('x')); // bed 3 NOT FOUND: an alert
    let s = screen(&app);
    assert!(s.contains("ALERT bed 3 Aisha Rahman: PATIENT NOT FOUND"), "{s}");
    insta::assert_snapshot!("rounds_alert", render(&app, 80, 24).backend());
    // Back to bed 3: she was in the bathroom after all. The correction replaces the check,
    // both stay in the record, and the alert it raised is closed saying why.
    key(&mut app, KeyCode::Backspace);
    typed(&mut app, "b2");
    let conn = Connection::open(app.store.path()).unwrap();
    let (stay3, first): (i64, i64) = conn
        .query_row("SELECT stay_id, id FROM obs_check WHERE location = 'not_found'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let fix: (String, Option<i64>) = conn
        .query_row("SELECT location, supersedes FROM obs_check WHERE supersedes IS NOT NULL", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(fix, ("bathroom".to_string(), Some(first)));
    let note: String =
        conn.query_row("SELECT ack_note FROM obs_alert WHERE check_id = ?1", [first], |r| r.get(0)).unwrap();
    assert!(note.contains("entered in error"), "{note}");
    assert!(app.model.board.obs.alerts.is_empty());
    let s = screen(&app);
    assert!(s.contains("✓ 04:00 b2 corrected:") && !s.contains("ALERT bed 3"), "{s}");
    // The skipped bed stays due; the corrected bed counts once.
    key(&mut app, KeyCode::Esc);
    let s = screen(&app);
    assert!(s.contains("Round ended: 2 saved, 1 skipped (bed 2: still due), 13 not reached"), "{s}");
    let obs = app.model.board.obs.stay(stay3).unwrap();
    assert_eq!(obs.last_check().unwrap().answer, Answer::new(Location::Bathroom, Some(State::Calm)).unwrap());
    // A check is never edited or deleted.
    let conn = app.store.raw_connection();
    assert!(conn.execute("UPDATE obs_check SET location = 'room' WHERE id = ?1", [first]).is_err());
    assert!(conn.execute("DELETE FROM obs_check WHERE id = ?1", [first]).is_err());
}

#[test]
fn an_alert_stays_on_the_census_until_someone_acknowledges_it() {
    let (_d, mut app) = demo_app("lpn", "demo-lpn-01");
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char(' '));
    typed(&mut app, "h5"); // bed 2: hallway, distressed
    key(&mut app, KeyCode::Esc);
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    // Who recorded it stays in the banner at 80 columns; the hint is the part that shortens.
    assert!(s.contains("! ALERT bed 2 James O'Connor: DISTRESSED at 04:00 by Lee Park, LPN · R, ! to ack"), "{s}");
    let (x, y) = find(t.backend().buffer(), "! ALERT").unwrap();
    assert_eq!(t.backend().buffer()[(x, y)].bg, Color::Red);
    insta::assert_snapshot!("census_with_alert", t.backend());
    // Another terminal's census (another nurse) sees it too, and it survives a restart.
    let other = Store::open(app.store.path(), OpenMode::MustExist).unwrap();
    assert_eq!(other.open_obs_alerts().unwrap().len(), 1);

    // The charge nurse acknowledges: R, !, what was done, Enter.
    let charge = app.store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let mut app = App::new(other, now()).unwrap().signed_in_as(charge).unwrap();
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char('!'));
    typed(&mut app, "Sat with him; PRN per order; calm at 04:10");
    let s = screen(&app);
    assert!(s.contains("Acknowledge the alert: bed 2 James O'Connor (distressed 04:00)"), "{s}");
    assert!(s.contains("> Sat with him; PRN per order; calm at 04:10▏"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Acknowledged"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(!screen(&app).contains("! ALERT"), "{}", screen(&app));
    let (by, note): (String, String) = app
        .store
        .raw_connection()
        .query_row(
            "SELECT u.username, a.ack_note FROM obs_alert a JOIN user u ON u.id = a.acked_by WHERE a.why = 'distressed'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((by.as_str(), note.as_str()), ("charge", "Sat with him; PRN per order; calm at 04:10"));
    let audited = count(app.store.raw_connection(), "SELECT count(*) FROM audit WHERE action = 'obs.alert_ack'");
    assert_eq!(audited, 2, "the demo's acknowledged alert, and this one");
    // Acknowledged is final.
    assert!(
        app.store.raw_connection().execute("UPDATE obs_alert SET ack_note = 'x' WHERE why = 'distressed'", []).is_err()
    );
}

// ------------------------------------------------------------------------------ exceptions (issue 20)

/// The whole text of a page, each run of whitespace one space (a printout wraps at 80 columns).
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The census row of a bed, and the Obs cell's text and background colour in it.
fn obs_of_row(app: &App, bed: &str) -> (String, String, Color) {
    let t = render(app, 80, 24);
    let buf = t.backend().buffer();
    let s = text(buf);
    let (y, row) = s.lines().enumerate().find(|(_, l)| l.starts_with(&format!("{bed} "))).unwrap();
    let header = s.lines().find(|l| l.starts_with("Bed  Patient")).unwrap();
    let x = header.find("Obs").unwrap();
    let cell: String = row.chars().skip(x).take(7).collect();
    (row.to_string(), cell.trim_end().to_string(), buf[(x as u16, y as u16)].bg)
}

#[test]
fn patient_not_found_is_never_a_completed_check_and_stays_marked_until_seen() {
    // 04:00: bed 1 (q15, last seen 03:52: due 04:07) is NOT FOUND on the round.
    let (d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay1 = app.model.board.rows[0].occupant.as_ref().unwrap().stay_id;
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Esc);
    let obs = app.model.board.obs.stay(stay1).unwrap();
    // (a) The interval does not restart: still due 04:07, from the 03:52 sighting (not 04:15).
    assert_eq!(obs.due(now()), ObsDue::DueIn(Duration::minutes(7)));
    assert_eq!(obs.due_at(now()), Some(local("2026-11-25 04:07")));
    assert_eq!(obs.last_seen().unwrap().at, local("2026-11-25 03:52"));
    // The row is marked with `!` and the paper code, in the alert style.
    let (row, cell, bg) = obs_of_row(&app, "1");
    assert_eq!(cell, "q15 !x", "{row}");
    assert_eq!(bg, Color::Red, "{row}");
    assert_eq!(wardterm::tui::theme::alert().bg, Some(Color::Red));
    // The selected bed's detail says what was recorded, by whom, and when she was last seen.
    let s = screen(&app);
    assert!(s.contains("Obs q15 next 04:07 · ! NOT FOUND at 04:00 by Sam Okafor, RN · last seen 03:52 by"), "{s}");
    // (c) The banner names who recorded it, at 80 columns.
    assert!(s.contains("! ALERT bed 1 Maria Delgado: PATIENT NOT FOUND at 04:00 by Sam Okafor, RN"), "{s}");
    drop(app);

    // 04:05 the charge nurse acknowledges the alert: the row stays marked (she is still not seen).
    let mut store = Store::open(&d.path().join("w.db"), OpenMode::MustExist).unwrap();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let check_id = store.open_obs_alerts().unwrap()[0].check_id;
    store.acknowledge_alert(&charge, check_id, "Searched the unit; security told", local("2026-11-25 04:05")).unwrap();
    let at = local("2026-11-25 04:10");
    let app = App::new(store, at).unwrap().signed_in_as(charge.clone()).unwrap();
    let obs = app.model.board.obs.stay(stay1).unwrap();
    assert_eq!(obs.due(at), ObsDue::Overdue(Duration::minutes(3)), "overdue from the 03:52 sighting");
    let (row, cell, bg) = obs_of_row(&app, "1");
    assert_eq!((cell.as_str(), bg), ("q15 !x", Color::Red), "{row}");
    assert!(!screen(&app).contains("! ALERT"), "acknowledged: no banner");
    drop(app);

    // (b) 04:12 she is seen in the day room: the mark clears, the interval restarts from 04:12,
    // and the 04:07 check counts late (answered by the sighting), not on time at 04:00.
    let store = Store::open(&d.path().join("w.db"), OpenMode::MustExist).unwrap();
    let at = local("2026-11-25 04:12");
    let mut app = App::new(store, at).unwrap().signed_in_as(charge).unwrap();
    key(&mut app, KeyCode::Char('R'));
    typed(&mut app, "d2");
    key(&mut app, KeyCode::Esc);
    let obs = app.model.board.obs.stay(stay1).unwrap();
    assert_eq!(obs.due(at), ObsDue::DueIn(Duration::minutes(15)));
    assert!(obs.exception().is_none());
    let (row, cell, bg) = obs_of_row(&app, "1");
    assert_eq!(cell, "q15 15m", "{row}");
    assert_ne!(bg, Color::Red, "{row}");
    let shift = app.store.observation_shift(at, chrono_tz::America::New_York);
    let s = app.store.observation_summary(stay1, shift.start, at).unwrap();
    let t = obs.tally(shift.start, at);
    assert_eq!((s.checks, s.late, s.missed), (t.checks, t.late, t.missed), "handoff and census agree");
    assert_eq!(t.late, 1, "04:07 answered at 04:12: {t:?}");
}

#[test]
fn the_handoff_and_the_round_sheet_say_what_the_exception_was_who_recorded_it_and_when() {
    use wardterm::domain::handoff;
    use wardterm::domain::shift::{next_shift, shift_at};
    let tz = chrono_tz::America::New_York;
    let (_d, mut store) = demo_copy(now());
    let lpn = store.sign_in("lpn", "demo-lpn-01", now()).unwrap().unwrap();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let rows = store.census().unwrap();
    let stay = |bed: &str| rows.iter().find(|r| r.bed == bed).unwrap().occupant.as_ref().unwrap().stay_id;
    // 03:58 bed 4 off the unit without staff; 04:00 bed 1 not found, acknowledged at 04:03.
    let u = store.record_check(&lpn, stay("4"), Answer::OFF_UNIT_NO_STAFF, None, local("2026-11-25 03:58")).unwrap();
    let x = store.record_check(&lpn, stay("1"), Answer::NOT_FOUND, None, now()).unwrap();
    assert!(u.alert.is_some() && x.alert.is_some());
    store.acknowledge_alert(&charge, x.id, "Found in the chapel, escorted back", local("2026-11-25 04:03")).unwrap();
    let at = local("2026-11-25 04:05");

    // (d) The handoff: what the alert was, who recorded it and when, and what became of it.
    let defs = store.shift_defs().unwrap();
    let w = shift_at(&defs, at, tz).unwrap();
    let next = next_shift(&defs, &w, tz).unwrap();
    let records = store.ward_handoff_records(&w, next.start, at, tz).unwrap();
    let note = |bed: &str| records.iter().find(|r| r.bed == bed).unwrap().observation_note.clone().unwrap();
    assert!(
        note("1").ends_with(
            "1 alert, 0 still open: PATIENT NOT FOUND 04:00 recorded by Lee Park, LPN, acknowledged 04:03 by \
             Dana Reyes, RN: Found in the chapel, escorted back"
        ),
        "{}",
        note("1")
    );
    assert!(
        note("4").ends_with("1 still open: OFF UNIT WITHOUT STAFF 03:58 recorded by Lee Park, LPN, STILL OPEN"),
        "{}",
        note("4")
    );
    let patients: Vec<_> = records.iter().map(|r| handoff::build(r, &w, at, tz)).collect();
    let ward = store.ward().unwrap().unwrap();
    let sheet = wardterm::report::handoff::render(&ward, &w, &next, &patients, at, "Dana Reyes, RN");
    assert!(sheet.lines().all(|l| l.chars().count() <= 80), "{sheet}");
    assert!(flat(&sheet).contains("OFF UNIT WITHOUT STAFF 03:58 recorded by Lee Park, LPN, STILL OPEN"), "{sheet}");

    // (e) The round sheet marks the exception slots with `!` as its legend promises, and the
    // bed's heading says the latest check is one.
    let shift = store.observation_shift(at, tz);
    let stays = store.observation_stays(shift.start).unwrap();
    let alerts = store.open_obs_alerts().unwrap();
    let paper = wardterm::report::rounds::render(&ward, &shift, &stays, &alerts, at, "Dana Reyes, RN");
    assert!(paper.contains("! = an exception"), "{paper}");
    assert!(paper.lines().all(|l| l.chars().count() <= 80), "{paper}");
    let block = |bed: &str| -> String {
        let start = paper.find(&format!("\nBed {bed} · ")).unwrap();
        let end = paper[start + 1..].find("\nBed ").map_or(paper.len(), |e| start + 1 + e);
        paper[start..end].to_string()
    };
    let b1 = block("1");
    assert!(b1.contains(" 04    04:00 x! LP"), "{b1}");
    assert!(flat(&b1).contains("next 04:07 · ! NOT FOUND 04:00 (Lee Park, LPN)"), "{b1}");
    assert!(b1.contains(", 1 exception!"), "{b1}");
    let b4 = block("4");
    assert!(b4.contains("03:58 u! LP"), "{b4}");
    // An ordinary check has no mark.
    assert!(block("6").contains(" r1 ") && !block("6").contains("1! "), "{}", block("6"));
}

#[test]
fn an_exception_before_the_shift_began_still_runs_the_interval_from_the_last_sighting() {
    let (_d, mut store, charge, stay) = one_bed_ward();
    let tz = chrono_tz::America::New_York;
    // Admitted 18:00 on q15: seen 18:50, not found 18:58 (day shift); the night starts at 19:00.
    store.record_check(&charge, stay, Answer::ASLEEP_IN_ROOM, None, local("2026-11-24 18:50")).unwrap();
    store.record_check(&charge, stay, Answer::NOT_FOUND, None, local("2026-11-24 18:58")).unwrap();
    let board = store.observation_board(local("2026-11-24 19:02"), tz).unwrap();
    let obs = board.stay(stay).unwrap();
    assert_eq!(obs.due(local("2026-11-24 19:02")), ObsDue::DueIn(Duration::minutes(3)), "due 19:05, from 18:50");
    assert_eq!(obs.exception().unwrap().answer, Answer::NOT_FOUND);
    let night = store.observation_shift(local("2026-11-24 22:00"), tz);
    let s = store.observation_summary(stay, night.start, local("2026-11-24 19:25")).unwrap();
    assert_eq!((s.checks, s.late, s.missed, s.open_alerts), (0, 0, 2, 1), "19:05 and 19:20 owed: {s:?}");
    // Agitated is an exception, but she was seen: the interval restarts from that check, and
    // the row stays marked until a check that is not an exception.
    let agitated = Answer::new(Location::Hallway, Some(State::Agitated)).unwrap();
    store.record_check(&charge, stay, agitated, None, local("2026-11-24 19:30")).unwrap();
    let at = local("2026-11-24 19:31");
    let board = store.observation_board(at, tz).unwrap();
    let obs = board.stay(stay).unwrap();
    assert_eq!(obs.due(at), ObsDue::DueIn(Duration::minutes(14)));
    let (cell, style) = wardterm::tui::screens::rounds::obs_cell("q15", Some(obs), at);
    assert_eq!((cell.as_str(), style), ("q15 !h4", wardterm::tui::theme::alert()));
    store.record_check(&charge, stay, Answer::ASLEEP_IN_ROOM, None, local("2026-11-24 19:40")).unwrap();
    let at = local("2026-11-24 19:41");
    let board = store.observation_board(at, tz).unwrap();
    let (cell, style) = wardterm::tui::screens::rounds::obs_cell("q15", board.stay(stay), at);
    assert_eq!((cell.as_str(), style), ("q15 14m", wardterm::tui::theme::base()));
}

// ------------------------------------------------------------------------------ the store

fn one_bed_ward() -> (TempDir, Store, wardterm::domain::user::Staff, i64) {
    let (dir, mut store) = demo_copy(now() - Duration::days(30));
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    // Discharge nobody; admit to the first empty bed at 18:00 on q15.
    let bed = store.census().unwrap().iter().find(|r| r.occupant.is_none()).unwrap().bed_id;
    let a = Admission {
        name: "Ana Test".into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
        sex: wardterm::domain::stay::Sex::Female,
        mrn: "RND-1".into(),
        admitted_at: local("2026-11-24 18:00"),
        level_of_care: "3.7-WM".into(),
        substances: "alcohol".into(),
        last_use: "unknown".into(),
        allergies: "NKDA".into(),
        precautions: String::new(),
        attending: "Dr. Test".into(),
        code_status: wardterm::domain::stay::CodeStatus::FullCode,
        protocol: wardterm::domain::stay::Protocol::NoProtocol,
        observation: "q15".into(),
    };
    let stay = store.admit(&charge, bed, &a, local("2026-11-24 18:01")).unwrap();
    (dir, store, charge, stay)
}

fn local(s: &str) -> DateTime<Utc> {
    wardterm::domain::time::parse_local("t", s, chrono_tz::America::New_York).unwrap()
}

#[test]
fn a_check_is_one_transaction_with_its_alert_and_audit_row() {
    let (dir, mut store, charge, stay) = one_bed_ward();
    let checks = |c: &Connection| count(c, "SELECT count(*) FROM obs_check");
    let alerts = |c: &Connection| count(c, "SELECT count(*) FROM obs_alert");
    let (c0, a0) = (checks(store.raw_connection()), alerts(store.raw_connection()));
    // Make the audit write fail: the check and its alert must not land without it.
    store
        .raw_connection()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit WHEN NEW.action = 'obs.check'
             BEGIN SELECT RAISE(ABORT, 'disk trouble'); END;",
        )
        .unwrap();
    let err = store.record_check(&charge, stay, Answer::NOT_FOUND, None, local("2026-11-24 18:10")).unwrap_err();
    assert!(err.to_string().contains("disk trouble"), "{err}");
    assert_eq!(
        (checks(store.raw_connection()), alerts(store.raw_connection())),
        (c0, a0),
        "nothing of the failed check landed"
    );
    store.raw_connection().execute_batch("DROP TRIGGER temp.fail_audit").unwrap();
    // Each check is committed when record_check returns: another connection sees it at once.
    let other = Connection::open(dir.path().join("w.db")).unwrap();
    for (i, m) in [10, 24, 39].iter().enumerate() {
        store
            .record_check(
                &charge,
                stay,
                Answer::ASLEEP_IN_ROOM,
                None,
                local("2026-11-24 18:00") + Duration::minutes(*m),
            )
            .unwrap();
        assert_eq!(checks(&other), c0 + i as i64 + 1);
    }
    // The store checks the role, the stay and the correction rules itself.
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let last: i64 = count(store.raw_connection(), "SELECT max(id) FROM obs_check");
    let e =
        store.record_check(&nurse, stay, Answer::ASLEEP_IN_ROOM, Some(last), local("2026-11-24 18:45")).unwrap_err();
    assert!(e.to_string().contains("only the nurse who recorded"), "{e}");
    let e = store.acknowledge_alert(&nurse, last, "x", local("2026-11-24 18:45")).unwrap_err();
    assert!(e.to_string().contains("no such alert"), "{e}");
}

#[test]
fn the_handoff_summary_counts_checks_late_missed_and_open_alerts_per_shift() {
    let (_d, mut store, charge, stay) = one_bed_ward();
    let tz = chrono_tz::America::New_York;
    let day = store.observation_shift(local("2026-11-24 12:00"), tz);
    let night = store.observation_shift(local("2026-11-24 22:00"), tz);
    assert_eq!((day.end, night.start, night.end), (local("2026-11-24 19:00"), day.end, local("2026-11-25 07:00")));
    let check = |store: &mut Store, t: &str, a: Answer| store.record_check(&charge, stay, a, None, local(t)).unwrap();
    // Admitted 18:00 on q15. 18:14, 18:28, 18:43 on time; due 18:58 answered at 19:03 (late, day's);
    // 19:18 on time; then no sighting: 19:33, 19:48 and 20:03 pass unanswered, because the
    // 20:00 "not found" (an alert) is never a completed check (issue 20).
    for t in ["2026-11-24 18:14", "2026-11-24 18:28", "2026-11-24 18:43", "2026-11-24 19:03", "2026-11-24 19:18"] {
        check(&mut store, t, Answer::ASLEEP_IN_ROOM);
    }
    let x = check(&mut store, "2026-11-24 20:00", Answer::NOT_FOUND);
    assert_eq!(
        store.observation_summary(stay, day.start, day.end).unwrap(),
        ObsSummary { checks: 3, late: 1, missed: 0, open_alerts: 0, alerts: 0 }
    );
    assert_eq!(
        store.observation_summary(stay, night.start, local("2026-11-24 20:05")).unwrap(),
        ObsSummary { checks: 2, late: 0, missed: 3, open_alerts: 1, alerts: 1 }
    );
    // Acknowledged at 20:20: open at 20:10, not at 20:30. Acknowledging is not seeing her: reckoned
    // at 20:30 the 20:18 check is owed too.
    store.acknowledge_alert(&charge, x.id, "found in the chapel; escorted back", local("2026-11-24 20:20")).unwrap();
    let s = store.observation_summary(stay, night.start, local("2026-11-24 20:10")).unwrap();
    assert_eq!((s.open_alerts, s.alerts), (1, 1));
    let s = store.observation_summary(stay, night.start, local("2026-11-24 20:30")).unwrap();
    assert_eq!((s.checks, s.late, s.missed, s.open_alerts), (2, 0, 4, 0));
    // The level is data, set with who and when; 1:1 is never due.
    store.change_observation(&charge, stay, "1:1", local("2026-11-24 20:31")).unwrap();
    let board = store.observation_board(local("2026-11-24 23:00"), tz).unwrap();
    let obs = board.stay(stay).unwrap();
    assert_eq!(obs.due(local("2026-11-24 23:00")), ObsDue::Continuous);
    assert_eq!(obs.level_set().unwrap().by.as_deref(), Some("Dana Reyes, RN"));
    let s = store.observation_summary(stay, night.start, local("2026-11-24 23:00")).unwrap();
    assert_eq!((s.late, s.missed), (0, 4), "20:18 was owed before 1:1 began at 20:31; nothing after it");
}

/// The plan lines of the round queries that scan a table other than the few-row `bed`.
fn round_query_scans(conn: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    for (what, q) in [
        ("open stays", sql::OBS_STAYS_SQL),
        ("levels", sql::LEVELS_SQL),
        ("check before", sql::CHECK_BEFORE_SQL),
        ("check preceding", sql::CHECK_PRECEDING_SQL),
        ("stay alerts", sql::STAY_ALERTS_SQL),
        ("checks between", sql::CHECKS_BETWEEN_SQL),
        ("open alerts", sql::OPEN_ALERTS_SQL),
        ("alert counts", sql::ALERT_COUNTS_SQL),
    ] {
        let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {q}")).unwrap();
        let mut rows = st.raw_query();
        let mut plan = Vec::new();
        while let Some(r) = rows.next().unwrap() {
            plan.push(r.get::<_, String>(3).unwrap());
        }
        let scans: Vec<&String> = plan
            .iter()
            .filter(|l| l.starts_with("SCAN ") && !l.starts_with("SCAN b") && !l.contains("USING INDEX obs_alert_open"))
            .collect();
        if !scans.is_empty() {
            out.push(format!("{what}: {plan:?}"));
        }
    }
    out
}

#[test]
fn observation_queries_use_indexes_fresh_and_after_weeks_of_checks() {
    let fresh = Store::open_in_memory().unwrap();
    assert_eq!(round_query_scans(fresh.raw_connection()), Vec::<String>::new(), "fresh schema");
    // Two weeks of q15 checks on a 16-bed ward, one in 200 an alert, then ANALYZE.
    let (_d, store, _, _) = one_bed_ward();
    store
        .raw_connection()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO obs_check (stay_id, checked_at, by_user, level, location, state)
             SELECT 1 + i % 16, strftime('%Y-%m-%dT%H:%M:%SZ', '2025-10-01', '+' || (i / 16 * 60) || ' seconds'),
                    1, 'q15', 'room', 'asleep_breathing' FROM n;
             INSERT INTO obs_alert (check_id, stay_id, raised_at, why, acked_at, acked_by, ack_note)
             SELECT id, stay_id, checked_at, 'agitated', checked_at, 1, 'seen' FROM obs_check WHERE id % 200 = 0;
             ANALYZE;",
        )
        .unwrap();
    assert_eq!(round_query_scans(store.raw_connection()), Vec::<String>::new(), "after ANALYZE");
}

// ------------------------------------------------------------------------------ paper

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wardterm"));
    c.env_remove("WARDTERM_DB").env_remove("WARDTERM_USER").env_remove("WARDTERM_PASSWORD").stdin(Stdio::null());
    c
}

/// A demo ward built at the real time (the binary's clock), for the printout and the pty tests.
fn live_demo() -> (TempDir, String) {
    static AT: OnceLock<DateTime<Utc>> = OnceLock::new();
    let (dir, store) = demo_copy(*AT.get_or_init(Utc::now));
    drop(store);
    let db = dir.path().join("w.db").to_str().unwrap().to_string();
    (dir, db)
}

#[test]
fn the_round_sheet_prints_for_paper_identified_and_audited() {
    let (_dir, db) = live_demo();
    let out = bin()
        .args(["rounds", "--db", &db, "--user", "nurse", "--shift"])
        .env("WARDTERM_PASSWORD", "demo-nurse1")
        .output()
        .unwrap();
    let paper = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(paper.starts_with("OBSERVATION ROUND SHEET - 4 West Detox"), "{paper}");
    assert!(paper.contains("by Sam Okafor, RN") && paper.contains("42 CFR part 2"), "{paper}");
    assert!(paper.contains("Bed 1 · Maria Delgado (D100200) · q15 every 15 min"), "{paper}");
    assert!(paper.contains("16 occupied beds") && paper.contains("__:__ ___ ___"), "{paper}");
    assert!(paper.lines().all(|l| l.chars().count() <= 80), "{paper}");
    let next = bin()
        .args(["rounds", "--db", &db, "--user", "nurse", "--shift", "next"])
        .env("WARDTERM_PASSWORD", "demo-nurse1")
        .output()
        .unwrap();
    let next = String::from_utf8_lossy(&next.stdout);
    assert!(!next.contains(" r1 ") && next.contains("__:__ ___ ___"), "the next shift is all blank boxes:\n{next}");
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM audit WHERE action = 'print.rounds'"), 2);
    let bad = bin()
        .args(["rounds", "--db", &db, "--user", "nurse", "--shift", "tomorrow"])
        .env("WARDTERM_PASSWORD", "demo-nurse1")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let wrong = bin()
        .args(["rounds", "--db", &db, "--user", "nurse"])
        .env("WARDTERM_PASSWORD", "nope-nope-nope")
        .output()
        .unwrap();
    assert!(!wrong.status.success() && wrong.stdout.is_empty(), "no patient data without identification");
}

// ------------------------------------------------------------------------------ end to end

const WAIT: StdDuration = StdDuration::from_secs(10);

fn sign_in_nurse(db: &str) -> Session {
    let mut s = Session::spawn(&["--db", db], 80, 24, &[]);
    s.wait_for("Username", WAIT).unwrap();
    s.send("nurse\tdemo-nurse1\r");
    s.wait_for("Sam Okafor, RN (nurse)", WAIT).unwrap();
    s.wait_until("the census footer", WAIT, |scr| scr.lines().last().unwrap_or_default().contains("q quit")).unwrap();
    s
}

#[test]
fn e2e_a_round_of_the_demo_ward_in_the_real_binary() {
    let (_dir, db) = live_demo();
    let before = count(&Connection::open(&db).unwrap(), "SELECT max(id) FROM obs_check");
    let mut s = sign_in_nurse(&db);
    s.wait_for("obs overdue", WAIT).unwrap();
    s.send("R");
    s.wait_for("Observation round · started", WAIT).unwrap();
    s.wait_for("bed 1 of 16", WAIT).unwrap();
    // Sixteen beds: the night answer is one key; one patient is awake in the day room (two keys).
    s.send("    ");
    s.wait_for("bed 5 of 16", WAIT).unwrap();
    s.send("d2");
    s.send(&" ".repeat(11));
    s.wait_for("Round done: 16 saved", WAIT).unwrap();
    s.esc();
    s.wait_for("Round ended: 16 saved.", WAIT).unwrap();
    s.wait_for("Bed  Patient", WAIT).unwrap();
    let scr = s.screen();
    assert!(!scr.contains("obs overdue"), "{scr}");
    let fresh = scr.lines().filter(|l| l.contains("q15 15m") || l.contains("q30 30m") || l.contains("q60 60m")).count();
    // Nine beds show at 80x24 since the detail panel has its risk-screen line and its
    // medication line: the seven occupied ones not on 1:1 read their fresh check.
    assert!(fresh >= 7, "the census shows the fresh checks:\n{scr}");
    s.send("q");
    assert!(s.wait_exit(WAIT).is_some_and(|st| st.success()));
    let conn = Connection::open(&db).unwrap();
    let mine = format!(
        "SELECT count(*) FROM obs_check c JOIN user u ON u.id = c.by_user WHERE c.id > {before} AND u.username = 'nurse'"
    );
    assert_eq!(count(&conn, &mine), 16);
    let awake =
        format!("SELECT count(*) FROM obs_check WHERE id > {before} AND location = 'day_room' AND state = 'calm'");
    assert_eq!(count(&conn, &awake), 1);
}

#[test]
fn e2e_a_killed_terminal_loses_no_check_already_recorded() {
    let (_dir, db) = live_demo();
    let before = count(&Connection::open(&db).unwrap(), "SELECT max(id) FROM obs_check");
    let mut s = sign_in_nurse(&db);
    s.send("R");
    s.wait_for("bed 1 of 16", WAIT).unwrap();
    s.send("     ");
    s.wait_for("bed 6 of 16 · 5 saved", WAIT).unwrap();
    s.signal(libc::SIGKILL);
    s.wait_exit(WAIT);
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, &format!("SELECT count(*) FROM obs_check WHERE id > {before}")), 5);
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
}

/// Issue 20, point 11: with two alerts open, the nurse says which one she dealt with: ↑/↓ choose
/// among the open alerts, the screen names the chosen one, and only it is acknowledged.
#[test]
fn acknowledging_lets_the_nurse_choose_which_alert() {
    let (_d, mut app) = demo_app("lpn", "demo-lpn-01");
    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char(' '));
    typed(&mut app, "h5"); // bed 2: hallway, distressed
    key(&mut app, KeyCode::Char('x')); // bed 3: not found
    key(&mut app, KeyCode::Esc);
    let open = |app: &App| -> Vec<String> {
        let mut st = app
            .store
            .raw_connection()
            .prepare("SELECT why FROM obs_alert WHERE acked_at IS NULL ORDER BY check_id")
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(open(&app), vec!["distressed", "patient not found"]);

    key(&mut app, KeyCode::Char('R'));
    key(&mut app, KeyCode::Char('!'));
    let s = screen(&app);
    assert!(s.contains("Acknowledge alert 1 of 2: bed 2 James O'Connor (distressed 04:00)"), "{s}");
    assert!(s.contains("↑/↓ another"), "{s}");
    key(&mut app, KeyCode::Down);
    let s = screen(&app);
    assert!(s.contains("Acknowledge alert 2 of 2: bed 3"), "{s}");
    key(&mut app, KeyCode::Down); // wraps round to the first
    assert!(screen(&app).contains("alert 1 of 2"), "{}", screen(&app));
    key(&mut app, KeyCode::Up);
    typed(&mut app, "Found in the chapel; escorted back");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Acknowledged: bed 3"), "{s}");
    assert_eq!(open(&app), vec!["distressed"], "only the chosen alert is acknowledged");
    let note: String = app
        .store
        .raw_connection()
        .query_row("SELECT ack_note FROM obs_alert WHERE acked_at IS NOT NULL AND why = 'patient not found'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(note, "Found in the chapel; escorted back");
}
