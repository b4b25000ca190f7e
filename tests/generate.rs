//! The big-ward generator (`wardterm init --demo --beds N --years N`), at a small size: every row
//! it writes satisfies the schema (foreign keys included), and the ward it makes is one the app
//! can use.
use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;

use wardterm::domain::note::Signed;
use wardterm::generate::{self, Plan};
use wardterm::store::{OpenMode, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.raw_connection().query_row(sql, [], |r| r.get(0)).unwrap()
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
    let ok: String = store.raw_connection().query_row("PRAGMA quick_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    let mode: String = store.raw_connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
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
    let (long_stay, longest) = s.longest_open_stay.unwrap();
    assert!(longest > 1000, "the long stay has {longest} assessments");

    // The medication record (schema v6): orders, their doses given, held and refused, PRNs
    // against the PRN order with their triggering score, vital signs with NEWS2.
    assert_eq!(s.orders as i64, count(&store, "SELECT count(*) FROM med_order"));
    assert_eq!(s.administrations as i64, count(&store, "SELECT count(*) FROM med_admin"));
    assert_eq!(s.vital_signs as i64, count(&store, "SELECT count(*) FROM vital_sign"));
    for kind in ["prn", "taper", "scheduled"] {
        assert!(count(&store, &format!("SELECT count(*) FROM med_order WHERE kind = '{kind}'")) > 0, "{kind}");
    }
    for outcome in ["given", "held", "refused"] {
        let n = count(&store, &format!("SELECT count(*) FROM med_admin WHERE outcome = '{outcome}'"));
        assert!(n > 0, "{outcome}: {n}");
    }
    assert_eq!(s.prns as i64, count(&store, "SELECT count(*) FROM med_admin WHERE due_at IS NULL"));
    assert_eq!(count(&store, "SELECT count(*) FROM med_admin WHERE due_at IS NULL AND assessment_id IS NULL"), 0);
    // A PRN is given only at or above its order's score trigger.
    let below = "SELECT count(*) FROM med_admin m JOIN assessment a ON a.id = m.assessment_id
                 JOIN med_order o ON o.id = m.order_id WHERE a.total IS NULL OR a.total < o.prn_min_score";
    assert_eq!(count(&store, below), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM med_admin WHERE at > '2026-11-25T09:00:00Z'"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM vital_sign WHERE news2 IS NULL"), 0);
    // Every discharged stay's orders are discontinued; the open stays' are not.
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM med_order o JOIN stay s ON s.id = o.stay_id
             WHERE (s.discharged_at IS NULL) = (o.id IN (SELECT order_id FROM med_order_stop))"
        ),
        0
    );
    // Notes: about 3.5 a patient-day, every one signed, indexed and hashed as the app does it.
    assert_eq!(s.notes as i64, count(&store, "SELECT count(*) FROM note WHERE kind = 'note'"));
    assert_eq!(s.addenda as i64, count(&store, "SELECT count(*) FROM note WHERE kind = 'addendum'"));
    let long_notes = count(&store, &format!("SELECT count(*) FROM note WHERE stay_id = {long_stay}"));
    assert!(long_notes > 400, "the long stay has {long_notes} notes");
    assert!(s.addenda > 0 && s.notes > 20 * s.addenda, "{s:?}");
    assert_eq!(
        count(&store, "SELECT count(*) FROM note WHERE signed_at IS NULL OR signed_at > '2026-11-25T09:00:00Z'"),
        0
    );
    assert_eq!(count(&store, "SELECT count(*) FROM note_fts"), count(&store, "SELECT count(*) FROM note"));
    // The index holds exactly what the signing trigger would have put there.
    let unlike_trigger = count(
        &store,
        "SELECT count(*) FROM note n JOIN note_fts f ON f.rowid = n.id
         WHERE f.body IS NOT (SELECT group_concat(json_extract(value, '$[0]') || ': ' || json_extract(value, '$[1]'),
                                                  char(10)) FROM json_each(n.sections))",
    );
    assert_eq!(unlike_trigger, 0);
    let mut st = store
        .raw_connection()
        .prepare(
            "SELECT id, stay_id, kind, format, addendum_to, author, author_name, author_credentials, event_at,
                    signed_at, sections, hash FROM note WHERE id % 97 = 1",
        )
        .unwrap();
    let mut checked = 0;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, i64>(5)?,
                [r.get::<_, String>(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?],
            ))
        })
        .unwrap();
    for row in rows {
        let (id, stay_id, kind, format, addendum_to, author_id, [name, cred, event_at, signed_at, sections, hash]) =
            row.unwrap();
        let sections: Vec<(String, String)> = serde_json::from_str(&sections).unwrap();
        let signed = Signed {
            id,
            stay_id,
            kind: &kind,
            format: &format,
            addendum_to,
            author_id,
            author_name: &name,
            author_credentials: &cred,
            event_at: &event_at,
            signed_at: &signed_at,
            sections: &sections,
        };
        assert_eq!(signed.hash(), hash, "note {id} carries the hash signing computes");
        checked += 1;
    }
    assert!(checked > 10);
    let hits = store.search_notes(long_stay, "tremor", 20).unwrap();
    assert_eq!(hits.len(), 20, "'tremor' is in most notes, as in a real record");

    // Handoffs: every patient at every change of the ward's shifts (07:00 and 19:00 New York).
    assert_eq!(s.handoffs as i64, count(&store, "SELECT count(*) FROM handoff"));
    assert_eq!(s.action_items as i64, count(&store, "SELECT count(*) FROM action_item"));
    assert!(s.handoffs > 2 * 365 * 4 && s.action_items > 0, "{s:?}");
    let off_shift = count(
        &store,
        "SELECT count(*) FROM handoff WHERE substr(shift_start, 12, 5) NOT IN ('11:00', '12:00', '23:00', '00:00')",
    );
    assert_eq!(off_shift, 0, "handoffs start at the ward's shift starts, in local time");
    assert!(count(&store, "SELECT count(*) FROM handoff WHERE accepted_at IS NOT NULL") > 0);

    // Observation rounds over the last two days: every patient on the ward was seen within the
    // last hour and a half (q60 at most, a few minutes late), none before the window.
    assert_eq!(s.obs_checks as i64, count(&store, "SELECT count(*) FROM obs_check"));
    assert_eq!(count(&store, "SELECT count(*) FROM obs_check WHERE checked_at < '2026-11-23T08:00:00Z'"), 0);
    let unseen = count(
        &store,
        "SELECT count(*) FROM stay s WHERE s.discharged_at IS NULL AND NOT EXISTS
           (SELECT 1 FROM obs_check c WHERE c.stay_id = s.id AND c.checked_at >= '2026-11-25T07:30:00Z')",
    );
    assert_eq!(unseen, 0, "every open stay has a recent check");
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
        s.raw_connection()
            .query_row(
                "SELECT count(*), sum(coalesce(total, 0)), max(taken_at) || group_concat(band, '') FROM assessment",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?.chars().take(80).collect())),
            )
            .unwrap()
    };
    assert_eq!(digest(&sa), digest(&sb));
    let notes = |s: &Store| -> String {
        s.raw_connection()
            .query_row("SELECT count(*) || ' ' || (SELECT group_concat(hash, '') FROM note) FROM handoff", [], |r| {
                r.get(0)
            })
            .unwrap()
    };
    assert_eq!(notes(&sa), notes(&sb));
}
