//! Schema version 6 (medications, vital signs, calls, emergencies, prompts): the released v5 ward
//! upgrades to the same schema a new ward gets, keeps its ledger, and the database itself
//! refuses what the record must never hold (REFERENCE.md §9, §10), whatever program writes it.
use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;
use tempfile::TempDir;
use wardterm::store::{OpenMode, Store};

type Shape = BTreeMap<String, Vec<String>>;

/// Every table's columns (name, type, not null, default) and every index's and trigger's name.
fn shape(conn: &Connection) -> Shape {
    let mut out = Shape::new();
    let objects: Vec<(String, String)> = conn
        .prepare("SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (kind, name) in objects {
        let cols = if kind == "table" {
            conn.prepare(&format!(
                "SELECT name, type, \"notnull\", coalesce(dflt_value, '') FROM pragma_table_info('{name}')"
            ))
            .unwrap()
            .query_map([], |r| {
                Ok(format!(
                    "{} {} {} {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        } else {
            Vec::new()
        };
        out.insert(format!("{kind} {name}"), cols);
    }
    out
}

fn upgraded_v5() -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("w.db");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v5-demo.db"), &db).unwrap();
    (dir, db)
}

fn ledger(conn: &Connection) -> Vec<(i64, String, i64, String)> {
    conn.prepare("SELECT seq, kind, record_id, hash FROM ledger ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_v5_fixture_upgrades_to_the_schema_a_new_ward_gets_and_keeps_its_ledger() {
    let (dir, db) = upgraded_v5();
    let before = {
        let conn = Connection::open(&db).unwrap();
        assert_eq!(conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(), 5);
        ledger(&conn)
    };
    assert!(!before.is_empty());
    let store = Store::open(&db, OpenMode::MustExist).unwrap();
    let conn = store.raw_connection();
    assert_eq!(conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(), 6);
    assert_eq!(ledger(conn), before, "every ledger entry kept, in order");
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
    // The unit's settings arrive with their documented defaults.
    let (alerts, at, every, during): (String, i64, i64, i64) = conn
        .query_row(
            "SELECT vitals_alerts, news2_notify_at, naloxone_vitals_every_min, naloxone_vitals_for_min FROM ward",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((alerts.as_str(), at, every, during), ("news2", 5, 15, 120));

    let fresh_path = dir.path().join("fresh.db");
    drop(Store::open(&fresh_path, OpenMode::CreateIfMissing).unwrap());
    let fresh = Connection::open(&fresh_path).unwrap();
    let (a, b) = (shape(conn), shape(&fresh));
    let only_upgraded: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_fresh: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(only_upgraded.is_empty() && only_fresh.is_empty(), "upgraded {only_upgraded:?} fresh {only_fresh:?}");
    for (k, cols) in &b {
        assert_eq!(&a[k], cols, "{k}: the upgraded columns differ from a new ward's");
    }
}

/// A v6 ward with one order of each kind on the first open stay, written by plain SQL.
fn ward_with_orders() -> (TempDir, Connection, i64) {
    let (dir, db) = upgraded_v5();
    drop(Store::open(&db, OpenMode::MustExist).unwrap());
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
    let stay: i64 = conn.query_row("SELECT min(id) FROM stay WHERE discharged_at IS NULL", [], |r| r.get(0)).unwrap();
    conn.execute(
        "INSERT INTO med_order (id, stay_id, kind, drug, dose, route, every_hours, first_due_at, hold_rass_at_or_below,
                                hold_rr_below, prescriber, ordered_at, order_mode, read_back, entered_by, entered_at)
         VALUES (900, ?1, 'scheduled', 'chlordiazepoxide', '25 mg', 'PO', 6, '2026-12-03T06:00:00Z', -2, 12,
                 'Dr Okafor', '2026-12-03T05:00:00Z', 'written', 0, 1, '2026-12-03T05:10:00Z')",
        [stay],
    )
    .unwrap();
    (dir, conn, stay)
}

fn give(conn: &Connection, stay: i64, hold_values: &str, override_reason: Option<&str>) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO med_admin (order_id, stay_id, due_at, outcome, dose_given, route, at, recorded_at, by_user,
                                identified_by, hold_values, override_reason)
         VALUES (900, ?1, '2026-12-03T06:00:00Z', 'given', '25 mg', 'PO', '2026-12-03T06:05:00Z',
                 '2026-12-03T06:06:00Z', 1, 'name+dob', ?2, ?3)",
        rusqlite::params![stay, hold_values, override_reason],
    )
}

fn refused(r: rusqlite::Result<usize>, words: &str) {
    match r {
        Ok(_) => panic!("the database took it; expected a refusal saying {words:?}"),
        Err(e) => assert!(e.to_string().contains(words), "{e}"),
    }
}

#[test]
fn the_database_refuses_a_dose_given_without_its_hold_values_or_past_a_hold_without_a_reason() {
    let (_dir, conn, stay) = ward_with_orders();
    refused(give(&conn, stay, "{}", None), "each hold parameter's value");
    refused(give(&conn, stay, r#"{"rass":0}"#, None), "each hold parameter's value");
    // RASS -3 is at or below the order's -2: a hold, unless overridden with a reason.
    refused(give(&conn, stay, r#"{"rass":-3,"rr":14}"#, None), "past a hold parameter");
    refused(give(&conn, stay, r#"{"rass":0,"rr":10}"#, None), "past a hold parameter");
    assert_eq!(give(&conn, stay, r#"{"rass":-1,"rr":12}"#, None).unwrap(), 1, "at the RR limit is not below it");
    assert_eq!(give(&conn, stay, r#"{"rass":-3,"rr":14}"#, Some("provider at bedside, ordered to give")).unwrap(), 1);
    // Held needs a reason; given needs its dose and route.
    refused(
        conn.execute(
            "INSERT INTO med_admin (order_id, stay_id, due_at, outcome, at, recorded_at, by_user, identified_by)
             VALUES (900, ?1, '2026-12-03T12:00:00Z', 'held', '2026-12-03T12:00:00Z', '2026-12-03T12:01:00Z', 1, 'wristband')",
            [stay],
        ),
        "CHECK",
    );
    // A recorded administration is never edited or deleted.
    refused(conn.execute("UPDATE med_admin SET dose_given = '50 mg'", []), "never edited");
    refused(conn.execute("DELETE FROM med_admin", []), "never deleted");
    refused(conn.execute("UPDATE med_order SET dose = '50 mg'", []), "never edited");
    refused(conn.execute("DELETE FROM med_order", []), "never deleted");
}

#[test]
fn the_database_refuses_orders_and_events_the_record_must_not_hold() {
    let (_dir, conn, stay) = ward_with_orders();
    // Steps belong to a taper only.
    refused(
        conn.execute(
            "INSERT INTO med_order_step (order_id, seq, starts_at, dose, every_hours, doses)
             VALUES (900, 1, '2026-12-03T06:00:00Z', '25 mg', 6, 4)",
            [],
        ),
        "taper",
    );
    // A telephone order is read back (REFERENCE.md §9).
    refused(
        conn.execute(
            "INSERT INTO med_order (stay_id, kind, drug, dose, route, prn_indication, prescriber, ordered_at,
                                    order_mode, read_back, entered_by, entered_at)
             VALUES (?1, 'prn', 'ondansetron', '4 mg', 'PO', 'nausea', 'Dr Okafor', '2026-12-03T05:00:00Z',
                     'telephone', 0, 1, '2026-12-03T05:10:00Z')",
            [stay],
        ),
        "CHECK",
    );
    // Naloxone belongs to an overdose.
    refused(
        conn.execute(
            "INSERT INTO clinical_event (stay_id, kind, started_at, recorded_at, by_user, actions, called, outcome,
                                         naloxone_dose, naloxone_route, naloxone_at, naloxone_response)
             VALUES (?1, 'fall', '2026-12-03T03:00:00Z', '2026-12-03T03:20:00Z', 1, 'assessed', 'Dr Okafor',
                     'no injury', '0.4 mg', 'IM', '2026-12-03T03:05:00Z', 'woke')",
            [stay],
        ),
        "CHECK",
    );
    // A prompt closes with a call or a reason, once.
    conn.execute(
        "INSERT INTO clinical_prompt (id, stay_id, kind, source, source_id, why, raised_at)
         VALUES (1, ?1, 'notify', 'vitals', 1, 'NEWS2 7: high', '2026-12-03T03:00:00Z')",
        [stay],
    )
    .unwrap();
    refused(
        conn.execute("UPDATE clinical_prompt SET closed_at = '2026-12-03T03:10:00Z', closed_by = 1 WHERE id = 1", []),
        "CHECK",
    );
    conn.execute(
        "UPDATE clinical_prompt SET closed_at = '2026-12-03T03:10:00Z', closed_by = 1, dismiss_reason = 'repeat set normal'
         WHERE id = 1",
        [],
    )
    .unwrap();
    refused(
        conn.execute("UPDATE clinical_prompt SET dismiss_reason = 'other words' WHERE id = 1", []),
        "closed prompt is final",
    );
    refused(conn.execute("DELETE FROM clinical_prompt", []), "never deleted");
}

#[test]
fn verify_names_an_administration_written_behind_the_applications_back() {
    let (dir, conn, stay) = ward_with_orders();
    give(&conn, stay, r#"{"rass":0,"rr":16}"#, None).unwrap();
    drop(conn);
    let store = Store::open(&dir.path().join("w.db"), OpenMode::MustExist).unwrap();
    let v = store.verify().unwrap();
    let broken = v.first_broken.unwrap_or_default();
    assert!(broken.contains("med_order 900") || broken.contains("med_admin"), "{broken}");
}
