//! Issue 20, point 9: a change of a stay (a new allergy at 3 a.m., a precaution, a code status, a
//! transfer) is sealed like other records: it enters the hash chain in the transaction that
//! writes it, `verify` names it when it is edited, deleted or forged, and a ward of schema
//! version 3 seals the changes it already holds at the upgrade, marked as such.
mod common;

use std::path::Path;

use chrono::Duration;
use rusqlite::{Connection, params};
use tempfile::TempDir;

use common::app::{demo_store, now};
use wardterm::domain::stay::SafetyFact;
use wardterm::store::{OpenMode, Store};

/// The allergy change of a demo patient, by the demo nurse: the stay and the new event's id.
fn allergy_change(store: &mut Store) -> (i64, i64) {
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let o = store.census().unwrap().into_iter().find_map(|r| r.occupant).unwrap();
    store
        .change_safety_fact(
            &nurse,
            o.stay_id,
            SafetyFact::Allergies,
            "penicillin, shellfish",
            "patient recalled hives",
            now() - Duration::minutes(5),
        )
        .unwrap();
    let id = store.raw_connection().query_row("SELECT max(id) FROM stay_event", [], |r| r.get(0)).unwrap();
    (o.stay_id, id)
}

fn sealed(conn: &Connection, id: i64) -> Option<(i64, bool)> {
    conn.query_row(
        "SELECT seq, sealed_at_upgrade FROM ledger WHERE kind = 'stay_event' AND record_id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .ok()
}

#[test]
fn a_safety_change_is_sealed_in_the_transaction_that_writes_it() {
    let (_d, mut store) = demo_store();
    let before = store.verify().unwrap().records;
    let (_, id) = allergy_change(&mut store);
    let conn = store.raw_connection();
    let (seq, at_upgrade) = sealed(conn, id).expect("the change is in the ledger");
    assert!(!at_upgrade, "sealed as it was written, not by an upgrade");
    let last: i64 = conn.query_row("SELECT max(seq) FROM ledger", [], |r| r.get(0)).unwrap();
    assert_eq!(seq, last, "the newest link of the chain");
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
    assert_eq!(v.records, before + 1);
    // Every stay event of the demo ward (admissions, transfers, level of care) is sealed too.
    let unsealed: i64 = conn
        .query_row(
            "SELECT count(*) FROM stay_event WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'stay_event')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unsealed, 0);
}

/// Each way of changing the record behind the program's back, and the words `verify` must say.
#[test]
fn verify_names_an_edited_deleted_or_forged_stay_change() {
    type Tamper = fn(&Connection, i64, i64);
    let cases: [(&str, Tamper, &str); 4] = [
        (
            "the new allergy edited back to NKDA",
            |c, id, _| {
                c.execute_batch("DROP TRIGGER stay_event_no_update").unwrap();
                c.execute("UPDATE stay_event SET to_value = 'NKDA' WHERE id = ?1", [id]).unwrap();
            },
            "its content has changed since it was sealed",
        ),
        (
            "the reason edited",
            |c, id, _| {
                c.execute_batch("DROP TRIGGER stay_event_no_update").unwrap();
                c.execute("UPDATE stay_event SET note = 'entered in error' WHERE id = ?1", [id]).unwrap();
            },
            "its content has changed since it was sealed",
        ),
        (
            "the change deleted",
            |c, id, _| {
                c.execute_batch("DROP TRIGGER stay_event_no_delete").unwrap();
                c.execute("DELETE FROM stay_event WHERE id = ?1", [id]).unwrap();
            },
            "the record is missing",
        ),
        (
            "a change forged with no ledger entry",
            |c, _, stay| {
                c.execute(
                    "INSERT INTO stay_event (stay_id, kind, from_value, to_value, note, at, by_user)
                     VALUES (?1, 'allergies', 'penicillin, shellfish', 'NKDA', 'forged', ?2, 1)",
                    params![stay, "2026-11-25T08:59:00Z"],
                )
                .unwrap();
            },
            "written but not in the ledger",
        ),
    ];
    for (what, tamper, says) in cases {
        let (_d, mut store) = demo_store();
        let (stay, id) = allergy_change(&mut store);
        assert!(store.verify().unwrap().ok(), "{what}: clean before");
        tamper(store.raw_connection(), id, stay);
        let v = store.verify().unwrap();
        let broken = v.first_broken.unwrap_or_else(|| panic!("{what}: verify passed"));
        assert!(broken.starts_with("stay_event "), "{what}: names the kind: {broken}");
        assert!(broken.contains(says), "{what}: {broken}");
        if !what.contains("forged") {
            assert!(broken.contains(&format!("stay_event {id}")), "{what}: names the record: {broken}");
        }
    }
}

/// The released version 3 fixture, copied: its stay events are sealed by the upgrade, in id
/// order, marked as sealed at the upgrade; the next change is sealed as it is written.
#[test]
fn a_version_3_ward_seals_its_stay_changes_at_the_upgrade() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("v3.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v3-demo.db"), &db).unwrap();
    let events: i64 = {
        let c = Connection::open(&db).unwrap();
        assert_eq!(c.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(), 3);
        c.query_row("SELECT count(*) FROM stay_event", [], |r| r.get(0)).unwrap()
    };
    assert!(events > 0, "the fixture holds stay events to seal");
    let mut store = Store::open(&db, OpenMode::MustExist).unwrap();
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
    assert_eq!(v.sealed_at_upgrade, events as u64);
    let conn = store.raw_connection();
    let order: Vec<(i64, bool)> = conn
        .prepare("SELECT record_id, sealed_at_upgrade FROM ledger WHERE kind = 'stay_event' ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(order.len() as i64, events);
    assert!(order.windows(2).all(|w| w[0].0 < w[1].0), "sealed in id order");
    assert!(order.iter().all(|(_, at_upgrade)| *at_upgrade), "every one marked as sealed at the upgrade");
    // The records sealed when they were written keep that mark.
    let written: i64 = conn
        .query_row("SELECT count(*) FROM ledger WHERE kind <> 'stay_event' AND sealed_at_upgrade = 0", [], |r| r.get(0))
        .unwrap();
    assert_eq!(written as u64, v.records - v.sealed_at_upgrade);

    let (_, id) = allergy_change(&mut store);
    assert_eq!(sealed(store.raw_connection(), id).map(|s| s.1), Some(false));
    let after = store.verify().unwrap();
    assert!(after.ok(), "{after:?}");
    assert_eq!(after.sealed_at_upgrade, v.sealed_at_upgrade);
}

/// The database refuses a mark that is neither "written" nor "at upgrade", and the ledger stays
/// append-only after its rebuild.
#[test]
fn the_rebuilt_ledger_keeps_its_rules() {
    let (_d, store) = demo_store();
    let c = store.raw_connection();
    let e = c
        .execute(
            "INSERT INTO ledger (kind, record_id, content_hash, prev_hash, hash, at, sealed_at_upgrade)
             VALUES ('stay_event', 999999, ?1, ?1, ?2, '2026-11-25T09:00:00Z', 2)",
            params!["a".repeat(64), "b".repeat(64)],
        )
        .unwrap_err();
    assert!(e.to_string().contains("CHECK"), "{e}");
    let e = c.execute("DELETE FROM ledger WHERE kind = 'stay_event'", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = c.execute("UPDATE ledger SET sealed_at_upgrade = 1", []).unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
}
