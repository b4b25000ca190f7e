//! The big-ward generator (`wardterm init --demo --beds N --years N`), at a small size: every row
//! it writes satisfies the schema (foreign keys included), and the ward it makes is one the app
//! can use.
use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;

use wardterm::generate::{self, Plan};
use wardterm::store::{OpenMode, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_generated_ward_keeps_every_rule_of_the_schema() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("big.db");
    let mut store = Store::open(&path, OpenMode::CreateIfMissing).unwrap();
    let s = generate::build(&mut store, &Plan::new(6, 1, now()), &mut |_| {}).unwrap();
    drop(store);
    let store = Store::open(&path, OpenMode::MustExist).unwrap();

    let fk: i64 = count(&store, "SELECT count(*) FROM pragma_foreign_key_check");
    assert_eq!(fk, 0, "every foreign key holds");
    let ok: String = store.conn().query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let mode: String = store.conn().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal", "the loader hands back a WAL database");

    assert_eq!(s.stays as i64, count(&store, "SELECT count(*) FROM stay"));
    assert_eq!(s.assessments as i64, count(&store, "SELECT count(*) FROM assessment"));
    assert_eq!(s.items as i64, count(&store, "SELECT count(*) FROM assessment_item"));
    assert_eq!(s.audit as i64 + 5, count(&store, "SELECT count(*) FROM audit"), "plus setup's own rows");
    assert!(s.stays > 20 && s.assessments > 1000 && s.prns > 0, "{s:?}");
    // Every scored assessment has all its scale's items, and its total is their sum.
    let bad_totals = count(
        &store,
        "SELECT count(*) FROM assessment a WHERE a.total IS NOT NULL
           AND a.total <> (SELECT sum(score) FROM assessment_item i WHERE i.assessment_id = a.id)",
    );
    assert_eq!(bad_totals, 0);
    // Rows are written in time order across the ward, as the app writes them.
    let out_of_order = count(
        &store,
        "SELECT count(*) FROM assessment a JOIN assessment b ON b.id = a.id + 1 WHERE b.taken_at < a.taken_at",
    );
    assert_eq!(out_of_order, 0);
    // Open stays end now: none has an assessment after `now`, and most beds are occupied.
    let census = store.census().unwrap();
    let occupied = census.iter().filter(|r| r.occupant.is_some()).count();
    assert!(occupied >= 4, "{occupied} of 6 beds occupied");
    assert_eq!(count(&store, "SELECT count(*) FROM assessment WHERE taken_at > '2026-11-25T09:00:00Z'"), 0);
    // The first bed holds the long taper: hundreds of assessments in one open stay.
    let (_, longest) = s.longest_open_stay.unwrap();
    assert!(longest > 1000, "the long stay has {longest} assessments");
}

#[test]
fn the_same_plan_generates_the_same_ward() {
    let a = TempDir::new().unwrap();
    let b = TempDir::new().unwrap();
    let mut sa = Store::open(&a.path().join("a.db"), OpenMode::CreateIfMissing).unwrap();
    let mut sb = Store::open(&b.path().join("b.db"), OpenMode::CreateIfMissing).unwrap();
    let plan = Plan::new(2, 1, now());
    generate::build(&mut sa, &plan, &mut |_| {}).unwrap();
    generate::build(&mut sb, &plan, &mut |_| {}).unwrap();
    let digest = |s: &Store| -> (i64, i64, String) {
        s.conn()
            .query_row(
                "SELECT count(*), sum(coalesce(total, 0)), max(taken_at) || group_concat(band, '') FROM assessment",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?.chars().take(80).collect())),
            )
            .unwrap()
    };
    assert_eq!(digest(&sa), digest(&sb));
}
