//! Several terminals on one database: concurrent writers never see "database is locked", each
//! screen shows the others' changes within 2 s without losing its place, and a database held
//! locked by a stuck process gets a clear message within the busy timeout instead of a hang.
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use rusqlite::Connection;
use tempfile::TempDir;

use super::{ENTER, SAVE, WAIT, Ward, admission, count, demo_store, fill_form, sign_in, stderr, stdout, wardterm};
use wardterm::store::{OpenMode, Store};

/// Writes per thread: enough that the two interleave many times, few enough to stay fast.
const WRITES: usize = 120;

#[test]
fn two_stores_writing_at_once_from_two_threads_lose_nothing() {
    let dir = TempDir::new().unwrap();
    let store = demo_store(&dir, Utc::now());
    let path = store.path().to_path_buf();
    let occupied: Vec<(i64, i64)> = store
        .census()
        .unwrap()
        .into_iter()
        .filter_map(|r| r.occupant.map(|o| (o.stay_id, o.patient_id)))
        .take(2)
        .collect();
    let events_before: Vec<i64> = occupied
        .iter()
        .map(|(stay, _)| {
            store
                .raw_connection()
                .query_row("SELECT count(*) FROM stay_event WHERE stay_id = ?1 AND kind = 'observation'", [stay], |r| {
                    r.get(0)
                })
                .unwrap()
        })
        .collect();
    drop(store);

    let started = Instant::now();
    let workers: Vec<_> = [("charge", "demo-charge1"), ("nurse", "demo-nurse1")]
        .into_iter()
        .zip(occupied.clone())
        .enumerate()
        .map(|(t, ((user, pw), (stay, patient)))| {
            let path = path.clone();
            thread::spawn(move || {
                let mut store = Store::open(&path, OpenMode::MustExist).unwrap();
                let me = sign_in(&mut store, user, pw);
                let mut errors = Vec::new();
                for i in 0..WRITES {
                    let now = Utc::now();
                    let r = if i % 2 == 0 {
                        store.audit_read(me.id, patient, &format!("concurrency t{t} #{i}"), now)
                    } else {
                        store.change_observation(&me, stay, if i % 4 == 1 { "q15" } else { "q30" }, now)
                    };
                    if let Err(e) = r {
                        errors.push(format!("write {i}: {e}"));
                    }
                }
                errors
            })
        })
        .collect();
    let errors: Vec<String> = workers.into_iter().flat_map(|w| w.join().expect("writer thread")).collect();
    assert!(errors.is_empty(), "no write may fail while another terminal writes: {errors:#?}");
    eprintln!("{} writes from two connections in {:?}", 2 * WRITES, started.elapsed());

    let conn = Connection::open(&path).unwrap();
    for t in 0..2 {
        let reads: i64 = conn
            .query_row("SELECT count(*) FROM audit WHERE detail LIKE ?1", [format!("concurrency t{t} #%")], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(reads, (WRITES / 2) as i64, "every audited read of thread {t} is there");
        let (stay, _) = occupied[t];
        let events: i64 = conn
            .query_row("SELECT count(*) FROM stay_event WHERE stay_id = ?1 AND kind = 'observation'", [stay], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(events - events_before[t], (WRITES / 2) as i64, "every observation change of thread {t} is there");
    }
    assert_eq!(super::integrity(&conn), "ok");
}

/// The patient named on the census detail line ("Bed 3 · Name MRN ...") of a screen: which bed
/// is selected, and who is in it.
fn detail_of_bed(screen: &str, bed: &str) -> Option<String> {
    let head = format!("Bed {bed} · ");
    let line = screen.lines().find(|l| l.contains(&head))?;
    let after = line.split(&head).nth(1)?;
    Some(after.split(" MRN").next().unwrap_or(after).trim().to_string())
}

/// Admit `name` to the selected empty bed of a charge nurse's session, and wait for the notice.
fn admit_here(s: &mut common_pty::Session, bed: &str, name: &str, mrn: &str) -> Instant {
    s.send("a");
    s.wait_for(&format!("Admit to bed {bed}"), WAIT).unwrap();
    fill_form(s, &admission(name, mrn));
    s.send(SAVE);
    s.wait_for(&format!("Admitted {name}."), WAIT).unwrap();
    let saved = Instant::now();
    // The admission assessment opens for the new stay (issue 16); Esc leaves it for later.
    s.wait_for(&format!("Admission assessment · Bed {bed} · {name}"), WAIT).unwrap();
    s.esc();
    s.wait_for("press i on the bed to resume it", WAIT).unwrap();
    saved
}

use super::common::pty as common_pty;

#[test]
fn another_terminal_s_admission_shows_within_two_seconds_keeping_place_and_filter() {
    let ward = Ward::demo();
    let mut a = ward.sign_in("charge", "demo-charge1", &[]);
    let mut b = ward.sign_in("nurse", "demo-nurse1", &[]);

    // B's place: bed 3 selected.
    b.send("jj");
    b.wait_for("Bed 3 · ", WAIT).unwrap();
    let b_detail = detail_of_bed(&b.screen(), "3").unwrap();

    // A admits to bed 5.
    a.send("jjjj");
    a.wait_for("Bed 5 is empty.", WAIT).unwrap();
    let saved = admit_here(&mut a, "5", "Quinn Harlow", "REL-0001");
    b.wait_for("Quinn Harlow", Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("B must show A's admission within 2 s of the save: {e}"));
    eprintln!("the other terminal showed the admission {:?} after the save", saved.elapsed());
    let screen = b.screen();
    assert_eq!(detail_of_bed(&screen, "3").as_deref(), Some(b_detail.as_str()), "B kept bed 3 selected:\n{screen}");

    // B starts typing a filter and leaves it half-typed; A admits someone who matches it.
    b.send("/Har");
    b.wait_until("the filter to apply", WAIT, |s| s.contains("Quinn Harlow") && !s.contains("Maria Delgado")).unwrap();
    a.send("jjjjjj");
    a.wait_for("Bed 11 is empty.", WAIT).unwrap();
    let saved = admit_here(&mut a, "11", "Rowan Harte", "REL-0002");
    b.wait_for("Rowan Harte", Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("B must show A's second admission within 2 s of the save: {e}"));
    eprintln!("the filtered terminal showed the admission {:?} after the save", saved.elapsed());
    assert!(!b.screen().contains("Maria Delgado"), "the half-typed filter survived the reload:\n{}", b.screen());
    // B is still typing its filter: one more letter narrows it to the new patient.
    b.send("t");
    b.wait_until("only Rowan Harte to match", WAIT, |s| s.contains("Rowan Harte") && !s.contains("Quinn Harlow"))
        .unwrap();
    b.send(ENTER);

    for s in [&mut a, &mut b] {
        s.send("q");
        assert!(s.wait_exit(WAIT).is_some_and(|st| st.success()), "clean exit:\n{}", s.screen());
    }
}

/// How long a command may take against a stuck lock: the 5 s busy timeout plus a loaded machine.
const BUSY_BOUND: Duration = Duration::from_secs(12);

#[test]
fn a_database_held_locked_by_a_stuck_process_gets_a_clear_message_not_a_hang() {
    let ward = Ward::demo();
    // A stuck writer: a transaction begun and never finished (e.g. a process stopped with ^Z).
    let stuck = Connection::open(&ward.db).unwrap();
    stuck
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO audit (at, action) VALUES ('2026-01-01T00:00:00Z', 'stuck');")
        .unwrap();
    let t = Instant::now();
    let o = wardterm(&["census", "--db", ward.db(), "--user", "charge"], &[("WARDTERM_PASSWORD", "demo-charge1")]);
    let took = t.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("another terminal is saving") && e.contains("stuck"), "a clear message: {e}");
    assert!(!e.contains("panicked") && !e.contains("database is locked"), "{e}");
    assert!(stdout(&o).is_empty(), "no printout that could not be audited");
    assert!(took < BUSY_BOUND, "gave up within the busy timeout, took {took:?}");
    drop(stuck);
    census_works_and_nothing_was_damaged(&ward);
}

#[test]
fn a_database_held_in_exclusive_mode_by_a_stuck_process_gets_the_same_clear_message() {
    let ward = Ward::demo();
    // A stuck process in exclusive locking mode keeps even readers out.
    let stuck = Connection::open(&ward.db).unwrap();
    stuck
        .execute_batch(
            "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;
             INSERT INTO audit (at, action) VALUES ('2026-01-01T00:00:00Z', 'stuck');",
        )
        .unwrap();
    let t = Instant::now();
    let o = wardterm(&["census", "--db", ward.db(), "--user", "charge"], &[("WARDTERM_PASSWORD", "demo-charge1")]);
    let took = t.elapsed();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("another terminal is saving"), "{}", stderr(&o));
    assert!(took < BUSY_BOUND, "gave up within the busy timeout, took {took:?}");
    stuck.execute_batch("ROLLBACK").unwrap();
    drop(stuck);
    census_works_and_nothing_was_damaged(&ward);
}

/// Once the stuck process is gone, the same command works and nothing was damaged.
fn census_works_and_nothing_was_damaged(ward: &Ward) {
    let o = wardterm(&["census", "--db", ward.db(), "--user", "charge"], &[("WARDTERM_PASSWORD", "demo-charge1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let conn = ward.raw();
    assert_eq!(super::integrity(&conn), "ok");
    let stuck_rows: i64 =
        conn.query_row("SELECT count(*) FROM audit WHERE action = 'stuck'", [], |r| r.get(0)).unwrap();
    assert_eq!(stuck_rows, 0, "the stuck transactions never committed");
    assert!(count(&conn, "patient") > 0);
}

#[test]
fn the_app_tells_the_nurse_when_a_stuck_process_holds_the_lock() {
    let ward = Ward::demo();
    let mut s = common_pty::Session::spawn(&["--db", ward.db()], 80, 24, &[]);
    s.wait_for("Username", WAIT).unwrap();
    let stuck = Connection::open(&ward.db).unwrap();
    stuck
        .execute_batch("BEGIN IMMEDIATE; INSERT INTO audit (at, action) VALUES ('2026-01-01T00:00:00Z', 'stuck');")
        .unwrap();
    // Signing in is audited, so it needs the write lock.
    s.send("charge\tdemo-charge1\r");
    s.wait_for("stuck process", BUSY_BOUND).unwrap();
    assert!(!s.screen().contains("Bed  Patient"), "not signed in without an audit entry");
    stuck.execute_batch("ROLLBACK").unwrap();
    drop(stuck);
    // The app kept running, with what was typed: the nurse presses Enter again and gets in.
    s.send("\r");
    s.wait_for("Bed  Patient", WAIT).unwrap();
    s.send("q");
    assert!(s.wait_exit(WAIT).is_some_and(|st| st.success()));
}
