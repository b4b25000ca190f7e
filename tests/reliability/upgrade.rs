//! Upgrades: every fixture in tests/fixtures (one demo database per released schema version, see
//! its README) opens with the current program, is migrated in place, and loses nothing.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::Utc;
use rusqlite::Connection;
use tempfile::TempDir;

use super::integrity;
use wardterm::store::{OpenMode, SCHEMA_VERSION, Store};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut v: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "db"))
        .collect();
    v.sort();
    v
}

/// Row counts of every table, shadow tables of full-text search included.
fn row_counts(conn: &Connection) -> BTreeMap<String, i64> {
    let mut st =
        conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").unwrap();
    let names: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    names
        .into_iter()
        .map(|n| {
            let c = conn.query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get(0)).unwrap();
            (n, c)
        })
        .collect()
}

/// Every table with its columns, and every index and trigger, by name: the shape of a schema.
fn shape(conn: &Connection) -> Vec<String> {
    let mut st = conn
        .prepare("SELECT type, name, tbl_name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
        .unwrap();
    let items: Vec<(String, String, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect();
    let mut out = Vec::new();
    for (kind, name, table) in items {
        if kind == "table" {
            let mut cols = conn.prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)").unwrap();
            let cols: Vec<String> = cols
                .query_map([&name], |r| {
                    Ok(format!(
                        "{} {} nn={} pk={}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?
                    ))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            out.push(format!("table {name} ({})", cols.join(", ")));
        } else {
            out.push(format!("{kind} {name} on {table}"));
        }
    }
    out
}

fn no_foreign_key_problems(conn: &Connection) -> bool {
    conn.prepare("PRAGMA foreign_key_check").unwrap().query([]).unwrap().next().unwrap().is_none()
}

/// Tables whose rows are the clinical record: no migration may add or remove one.
const RECORD: &[&str] = &["patient", "stay", "stay_event", "assessment", "prn", "note"];

#[test]
fn every_fixture_upgrades_in_place_with_nothing_lost() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "tests/fixtures holds at least the current version's demo database");
    let fresh = Store::open_in_memory().unwrap();
    let fresh_shape = shape(fresh.raw_connection());
    for fixture in fixtures {
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let dir = TempDir::new().unwrap();
        let db = dir.path().join(&name);
        fs::copy(&fixture, &db).unwrap();

        let (found, before) = {
            let raw = Connection::open(&db).unwrap();
            assert_eq!(integrity(&raw), "ok", "{name} is sound before the upgrade");
            let v: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            (v, row_counts(&raw))
        };
        assert!(found <= SCHEMA_VERSION, "{name} is from schema {found}, newer than this program");

        let mut store = Store::open(&db, OpenMode::MustExist).unwrap_or_else(|e| panic!("{name}: {e}"));
        let conn = store.raw_connection();
        assert_eq!(integrity(conn), "ok", "{name} is sound after the upgrade");
        assert!(no_foreign_key_problems(conn), "{name}: foreign keys hold after the upgrade");
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION, "{name} is at the current schema version");
        let after = row_counts(conn);
        for (table, n) in &before {
            let now = after.get(table).copied();
            assert!(now.is_some_and(|m| m >= *n), "{name}: table {table} had {n} rows, now {now:?}");
            if RECORD.contains(&table.as_str()) {
                assert_eq!(now, Some(*n), "{name}: the record in {table} is exactly what it was");
            }
        }
        let upgraded = shape(conn);
        let missing: Vec<&String> = fresh_shape.iter().filter(|s| !upgraded.contains(s)).collect();
        let hint = if found < SCHEMA_VERSION {
            "the migration steps do not produce the schema of a new database (schema.sql changed without a \
             step in src/store/migrate.rs?)"
                .to_string()
        } else {
            format!(
                "this fixture of the current version {found} was made before schema.sql last changed. If version \
                 {found} is unreleased, regenerate it: `cargo run -- init --demo --force --db tests/fixtures/{name}`. \
                 If it is released, schema.sql must not change under it: bump CURRENT and add a migration step"
            )
        };
        assert!(missing.is_empty(), "{name}: {hint}. Missing after opening it: {missing:#?}");

        // The upgraded ward works: its census loads and its charge nurse can sign in (a write).
        let ward = store.ward().unwrap().unwrap_or_else(|| panic!("{name} holds a ward"));
        assert!(!store.census().unwrap().is_empty(), "{name}: {} has beds", ward.name);
        let signed = store.sign_in("charge", "demo-charge1", Utc::now()).unwrap();
        assert!(signed.is_ok(), "{name}: the demo charge nurse signs in: {signed:?}");
        assert_eq!(integrity(store.raw_connection()), "ok");
    }
}

/// An upgrade whose new rules would refuse rows already in the record stops with their ids and
/// leaves the database exactly at its old version: nothing half-upgraded, nothing rewritten.
#[test]
fn an_upgrade_that_would_refuse_old_rows_changes_nothing() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1-demo.db");
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("v1.db");
    fs::copy(&fixture, &db).unwrap();
    let stay: i64 = {
        let raw = Connection::open(&db).unwrap();
        let stay = raw.query_row("SELECT min(id) FROM stay WHERE discharged_at IS NULL", [], |r| r.get(0)).unwrap();
        // Version 1 had no rule in the database about precautions.
        raw.execute("UPDATE stay SET precautions = 'Wobbly' WHERE id = ?1", [stay]).unwrap();
        stay
    };
    let e = Store::open(&db, OpenMode::MustExist).err().expect("the upgrade is refused");
    let msg = e.to_string();
    assert!(msg.contains("schema version 2") && msg.contains(&format!("[{stay}]")), "{msg}");
    let raw = Connection::open(&db).unwrap();
    let v: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 1, "the database stays at version 1");
    let tables: i64 =
        raw.query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'precaution_list'", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 0, "the refused step left nothing behind");
    let p: String = raw.query_row("SELECT precautions FROM stay WHERE id = ?1", [stay], |r| r.get(0)).unwrap();
    assert_eq!(p, "Wobbly", "the record is not rewritten by an upgrade");
    assert_eq!(integrity(&raw), "ok");
}

/// Version 3 (issue 14): a ward still on the shipped CIWA-Ar ladder and COWS bands moves to the
/// new defaults as a new policy version (the 20+ rung keeps "PRN per order", rungs name their
/// source, COWS below 5 is not a band); the versions that scored earlier assessments stay.
#[test]
fn the_v2_fixture_moves_to_the_current_default_policies_as_new_versions() {
    use wardterm::domain::protocol::{Ladder, default_ladder};
    use wardterm::domain::scale::{BandSet, default_bands};
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("w.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2-demo.db");
    fs::copy(&fixture, &db).unwrap();
    let before: i64 =
        Connection::open(&db).unwrap().query_row("SELECT count(*) FROM policy", [], |r| r.get(0)).unwrap();
    drop(Store::open(&db, OpenMode::MustExist).unwrap());
    let conn = Connection::open(&db).unwrap();
    let after: i64 = conn.query_row("SELECT count(*) FROM policy WHERE scale <> 'morse'", [], |r| r.get(0)).unwrap();
    assert_eq!(after, before + 2, "one new ladder version and one new band version");
    let morse: i64 = conn.query_row("SELECT count(*) FROM policy WHERE scale = 'morse'", [], |r| r.get(0)).unwrap();
    assert_eq!(morse, 1, "version 5 gives the ward the common Morse band set as its version 1");
    let latest = |scale: &str, kind: &str| -> String {
        conn.query_row(
            "SELECT body FROM policy WHERE scale = ?1 AND kind = ?2 ORDER BY version DESC LIMIT 1",
            [scale, kind],
            |r| r.get(0),
        )
        .unwrap()
    };
    let ladder: Ladder = serde_json::from_str(&latest("ciwa-ar", "ladder")).unwrap();
    assert_eq!(ladder, default_ladder("ciwa-ar"));
    let bands: BandSet = serde_json::from_str(&latest("cows", "bands")).unwrap();
    assert_eq!(bands, default_bands("cows"));
    // Every assessment still points at the version that scored it (version 1).
    let moved: i64 = conn
        .query_row(
            "SELECT count(*) FROM assessment a JOIN policy p ON p.id = a.ladder_policy WHERE p.version <> 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(moved, 0);
}
