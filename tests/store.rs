//! The store against a real database file: round trips, the rules the database itself
//! enforces, the migration runner, and every bad input the foundation names.
use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::Connection;
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::assessment::{NewAssessment, Outcome};
use wardterm::domain::scale::Answers;
use wardterm::domain::scales;
use wardterm::domain::stay::{Admission, AdmissionForm, PRECAUTIONS, parse_precautions, validate_discharge};
use wardterm::domain::user::{Role, Staff};
use wardterm::domain::vitals::Vitals;
use wardterm::store::{OpenMode, SCHEMA_VERSION, Store, StoreError};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn demo_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    (dir, store)
}

fn sign_in(store: &mut Store, user: &str, pw: &str) -> Staff {
    store.sign_in(user, pw, now()).unwrap().unwrap()
}

fn charge(store: &mut Store) -> Staff {
    sign_in(store, "charge", "demo-charge1")
}

fn admission(name: &str, mrn: &str) -> Admission {
    AdmissionForm {
        name: name.into(),
        birth_date: "1980-01-02".into(),
        sex: "F".into(),
        mrn: mrn.into(),
        admitted_at: "now".into(),
        level_of_care: "3.7-WM".into(),
        substances: "alcohol".into(),
        last_use: "yesterday 22:00".into(),
        allergies: "NKDA".into(),
        precautions: "seizure".into(),
        attending: "Dr. Test".into(),
        code_status: "Full code".into(),
        protocol: "ciwa-ar".into(),
        observation: "q15".into(),
    }
    .validate(now(), chrono_tz::America::New_York, &["3.7-WM".into()], &["q15".into()])
    .unwrap()
}

fn empty_bed(store: &Store) -> i64 {
    store.census().unwrap().iter().find(|r| r.occupant.is_none()).unwrap().bed_id
}

#[test]
fn demo_ward_has_twenty_beds_sixteen_patients_and_history() {
    let (_d, store) = demo_store();
    let rows = store.census().unwrap();
    assert_eq!(rows.len(), 20);
    assert_eq!(rows.iter().filter(|r| r.occupant.is_some()).count(), 16);
    let scored = rows.iter().filter_map(|r| r.occupant.as_ref()).filter(|o| !o.series.is_empty()).count();
    assert!(scored >= 12, "most patients on a protocol have scores: {scored}");
    let unable = rows.iter().filter_map(|r| r.occupant.as_ref()?.latest()).filter(|l| l.total.is_none()).count();
    assert_eq!(unable, 1, "one patient could not be assessed (asleep)");
    let ward = store.ward().unwrap().unwrap();
    assert!(ward.is_demo);
    assert_eq!(ward.tz.name(), "America/New_York");
}

#[test]
fn admit_round_trips_with_author_and_times() {
    let (_d, mut store) = demo_store();
    let me = charge(&mut store);
    let bed = empty_bed(&store);
    let stay = store.admit(&me, bed, &admission("Zoë Quinn", "T-1"), now()).unwrap();
    let row = store.census().unwrap().into_iter().find(|r| r.bed_id == bed).unwrap();
    let o = row.occupant.unwrap();
    assert_eq!((o.stay_id, o.name.as_str(), o.mrn.as_str()), (stay, "Zoë Quinn", "T-1"));
    assert_eq!(o.admitted_at, now());
    assert_eq!(o.precautions, "seizure");
    assert!(o.series.is_empty(), "no score is ever filled in");
    let (by, event): (i64, String) = store
        .raw_connection()
        .query_row("SELECT by_user, kind FROM stay_event WHERE stay_id = ?1", [stay], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((by, event.as_str()), (me.id, "admit"));
    let audited: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM audit WHERE action = 'stay.admit' AND user_id = ?1", [me.id], |r| r.get(0))
        .unwrap();
    assert_eq!(audited, 17, "16 demo admissions and this one, each audited");
}

#[test]
fn occupied_bed_and_duplicate_mrn_are_refused_and_nothing_is_written() {
    let (_d, mut store) = demo_store();
    let me = charge(&mut store);
    let occupied = store.census().unwrap()[0].bed_id;
    let before: i64 = store.raw_connection().query_row("SELECT count(*) FROM stay", [], |r| r.get(0)).unwrap();
    let e = store.admit(&me, occupied, &admission("New Person", "T-2"), now()).unwrap_err();
    assert!(e.to_string().contains("already occupied by Maria Delgado"), "{e}");
    // The MRN of a patient already on the ward, with another name.
    let mrn = store.census().unwrap()[0].occupant.as_ref().unwrap().mrn.clone();
    let bed = empty_bed(&store);
    let e = store.admit(&me, bed, &admission("Someone Else", &mrn), now()).unwrap_err();
    assert!(e.to_string().contains(&format!("MRN {mrn} already belongs to Maria Delgado")), "{e}");
    let after: i64 = store.raw_connection().query_row("SELECT count(*) FROM stay", [], |r| r.get(0)).unwrap();
    assert_eq!(before, after);
    let patients: i64 =
        store.raw_connection().query_row("SELECT count(*) FROM patient WHERE mrn = 'T-2'", [], |r| r.get(0)).unwrap();
    assert_eq!(patients, 0, "the refused admission left no patient row behind");
}

#[test]
fn transfer_level_observation_and_discharge() {
    let (_d, mut store) = demo_store();
    let me = charge(&mut store);
    let row = store.census().unwrap()[0].clone();
    let stay = row.occupant.as_ref().unwrap().stay_id;
    let to = empty_bed(&store);
    store.transfer(&me, stay, to, now()).unwrap();
    let rows = store.census().unwrap();
    assert!(rows.iter().find(|r| r.bed_id == row.bed_id).unwrap().occupant.is_none());
    assert_eq!(rows.iter().find(|r| r.bed_id == to).unwrap().occupant.as_ref().unwrap().stay_id, stay);
    // Transfer into an occupied bed is refused.
    let occupied = rows.iter().find(|r| r.occupant.is_some() && r.bed_id != to).unwrap().bed_id;
    assert!(store.transfer(&me, stay, occupied, now()).is_err());
    store.change_level_of_care(&me, stay, "4-WM", now()).unwrap();
    assert!(store.change_level_of_care(&me, stay, "9-XX", now()).is_err());
    store.change_observation(&me, stay, "1:1", now()).unwrap();
    let o = store.census().unwrap().into_iter().find(|r| r.bed_id == to).unwrap().occupant.unwrap();
    assert_eq!((o.level_of_care.as_str(), o.observation.as_str()), ("4-WM", "1:1"));
    let d = validate_discharge("ama", "now", "declined referral; given AA list", o.admitted_at, now(), chrono_tz::UTC)
        .unwrap();
    store.discharge(&me, stay, &d, now()).unwrap();
    assert!(store.census().unwrap().iter().find(|r| r.bed_id == to).unwrap().occupant.is_none());
    let kinds: Vec<String> = store
        .raw_connection()
        .prepare("SELECT kind FROM stay_event WHERE stay_id = ?1 ORDER BY id")
        .unwrap()
        .query_map([stay], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(kinds, ["admit", "transfer", "level_of_care", "observation", "discharge"]);
    // The discharged stay is final: no more changes, and the record is still there.
    assert!(store.change_observation(&me, stay, "q60", now()).is_err());
    let kept: i64 =
        store.raw_connection().query_row("SELECT count(*) FROM stay WHERE id = ?1", [stay], |r| r.get(0)).unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn a_nurse_cannot_admit_or_discharge() {
    let (_d, mut store) = demo_store();
    let nurse = sign_in(&mut store, "nurse", "demo-nurse1");
    assert_eq!(nurse.role, Role::Nurse);
    let bed = empty_bed(&store);
    assert!(matches!(store.admit(&nurse, bed, &admission("A B", "T-3"), now()), Err(StoreError::Refused(_))));
    let stay = store.census().unwrap()[0].occupant.as_ref().unwrap().stay_id;
    let d = validate_discharge("completed", "now", "IOP", now() - Duration::days(9), now(), chrono_tz::UTC).unwrap();
    assert!(store.discharge(&nurse, stay, &d, now()).is_err());
}

#[test]
fn the_database_refuses_what_the_record_forbids() {
    let (_d, store) = demo_store();
    let c = store.raw_connection();
    let refuse = |sql: &str| {
        let e = c.execute_batch(sql).expect_err(sql);
        e.to_string()
    };
    assert!(refuse("UPDATE assessment SET total = 0").contains("never edited"));
    assert!(refuse("DELETE FROM assessment").contains("never deleted"));
    assert!(refuse("DELETE FROM audit").contains("append-only"));
    assert!(refuse("UPDATE audit SET action = 'x'").contains("append-only"));
    assert!(refuse("DELETE FROM patient").contains("never deleted"));
    assert!(refuse("DELETE FROM stay").contains("never deleted"));
    assert!(refuse("UPDATE stay_event SET note = 'x'").contains("append-only"));
    assert!(refuse("DELETE FROM user").contains("never deleted"));
    // An illegal COWS score is refused by the database (pulse has no 3), not only by Rust.
    c.execute(
        "INSERT INTO assessment (stay_id, scale, taken_at, recorded_at, by_user, total, band, severe, prompts)
         SELECT stay_id, 'cows', taken_at, recorded_at, by_user, 0, 'x', 0, '' FROM assessment LIMIT 1",
        [],
    )
    .unwrap();
    let id = c.last_insert_rowid();
    let e = c
        .execute(
            "INSERT INTO assessment_item (assessment_id, scale, item, score) VALUES (?1, 'cows', 'pulse', 3)",
            [id],
        )
        .unwrap_err();
    assert!(e.to_string().contains("FOREIGN KEY"), "{e}");
    // A double booking of a bed is refused by the partial unique index.
    let e = c
        .execute_batch(
            "INSERT INTO stay (patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care, substances,
               last_use, protocol, allergies, attending, code_status, observation)
             SELECT patient_id + 0, bed_id, admitted_at, admitted_by, recorded_at, level_of_care, substances,
               last_use, protocol, allergies, attending, code_status, observation FROM stay WHERE bed_id = 1",
        )
        .unwrap_err();
    assert!(e.to_string().contains("UNIQUE"), "{e}");
    // Times must be UTC in the one format.
    let e = c.execute_batch("UPDATE stay SET admitted_at = '2026-11-25 04:00' WHERE id = 1").unwrap_err();
    assert!(!e.to_string().is_empty());
}

#[test]
fn scale_choice_table_matches_the_scale_definitions() {
    let store = Store::open_in_memory().unwrap();
    let mut st = store.raw_connection().prepare("SELECT scale, item, position, score FROM scale_choice").unwrap();
    let mut in_db: Vec<(String, String, i64, u8)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut defined = Vec::new();
    for scale in scales::ALL {
        for item in scale.items {
            for (pos, c) in item.choices.iter().enumerate() {
                defined.push((scale.key.to_string(), item.key.to_string(), pos as i64, c.score));
            }
        }
    }
    in_db.sort();
    defined.sort();
    assert_eq!(in_db, defined, "schema.sql's scale_choice rows must list exactly the scales' legal choices");
}

#[test]
fn precaution_list_table_holds_every_canonical_list_and_nothing_else() {
    let store = Store::open_in_memory().unwrap();
    let mut st = store.raw_connection().prepare("SELECT list FROM precaution_list").unwrap();
    let mut in_db: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    // Every subset of the words, in their order: what parse_precautions can write.
    let mut defined: Vec<String> = (0u32..1 << PRECAUTIONS.len())
        .map(|bits| {
            let words: Vec<&str> =
                PRECAUTIONS.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, w)| *w).collect();
            words.join(", ")
        })
        .collect();
    in_db.sort();
    defined.sort();
    assert_eq!(in_db, defined, "schema.sql's precaution_list must list exactly the canonical lists");
    for bits in [0u32, 0b101, 0b111111] {
        let typed: Vec<&str> =
            PRECAUTIONS.iter().enumerate().rev().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, w)| *w).collect();
        let canonical = parse_precautions(&typed.join(" ")).unwrap();
        assert!(in_db.contains(&canonical), "{canonical:?} written by the app is a legal list");
    }
}

#[test]
fn the_database_refuses_precautions_the_app_would_not_write() {
    let (_dir, store) = demo_store();
    let c = store.raw_connection();
    let open: i64 = c.query_row("SELECT min(id) FROM stay WHERE discharged_at IS NULL", [], |r| r.get(0)).unwrap();
    for bad in ["Seizure", "fall, seizure", "seizure, seizure", "wobbly", "seizure,fall", " fall"] {
        let e = c.execute("UPDATE stay SET precautions = ?1 WHERE id = ?2", rusqlite::params![bad, open]).unwrap_err();
        assert!(e.to_string().contains("precautions: only seizure, fall"), "{bad:?}: {e}");
        let e = c
            .execute(
                "INSERT INTO stay (patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care,
                   substances, last_use, protocol, allergies, precautions, attending, code_status, observation)
                 SELECT patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care, substances,
                   last_use, protocol, allergies, ?1, attending, code_status, observation FROM stay WHERE id = ?2",
                rusqlite::params![bad, open],
            )
            .unwrap_err();
        assert!(e.to_string().contains("precautions: only"), "{bad:?}: {e}");
    }
    c.execute("UPDATE stay SET precautions = 'seizure, fall, suicide' WHERE id = ?1", [open]).unwrap();
    assert!(c.execute("DELETE FROM precaution_list WHERE list = ''", []).is_err(), "the lists are fixed");
    assert!(c.execute("INSERT INTO precaution_list VALUES ('wobbly')", []).is_err(), "the lists are fixed");
}

#[test]
fn an_assessment_is_saved_whole_with_next_due_from_the_protocol() {
    let (_d, mut store) = demo_store();
    let nurse = sign_in(&mut store, "nurse", "demo-nurse1");
    let o = store.census().unwrap()[0].occupant.clone().unwrap();
    let answers = Answers::from_scores(
        &scales::ciwa_ar::CIWA_AR,
        &[
            ("nausea", 2),
            ("tremor", 2),
            ("sweats", 2),
            ("anxiety", 2),
            ("agitation", 2),
            ("tactile", 0),
            ("auditory", 0),
            ("visual", 0),
            ("headache", 2),
            ("orientation", 0),
        ],
    )
    .unwrap();
    let a = NewAssessment {
        stay_id: o.stay_id,
        outcome: Outcome::Scored(answers),
        vitals: Vitals::default(),
        taken_at: now(),
        comment: None,
    };
    store.record_assessment(&nurse, &a, now()).unwrap();
    let last = store.census().unwrap()[0].occupant.clone().unwrap();
    let l = last.latest().unwrap();
    assert_eq!((l.total, l.band.as_deref(), l.by.as_str()), (Some(12), Some("moderate"), "Sam Okafor, RN"));
    assert_eq!(
        last.series[0].next_due,
        Some(now() + Duration::hours(1)),
        "11-15 reassesses in 1 h (REFERENCE.md section 1)"
    );
    // An incomplete set is refused: a total is final only when every item is answered.
    let partial = Answers::from_scores(&scales::ciwa_ar::CIWA_AR, &[("nausea", 1)]).unwrap();
    let a = NewAssessment {
        stay_id: o.stay_id,
        outcome: Outcome::Scored(partial),
        vitals: Vitals::default(),
        taken_at: now(),
        comment: None,
    };
    assert!(store.record_assessment(&nurse, &a, now()).is_err());
}

#[test]
fn sign_in_locks_after_five_failures_even_for_the_right_password() {
    let (_d, mut store) = demo_store();
    for _ in 0..5 {
        assert!(store.sign_in("nurse", "wrong-password", now()).unwrap().is_err());
    }
    let sixth = store.sign_in("nurse", "demo-nurse1", now()).unwrap();
    assert!(matches!(sixth, Err(wardterm::store::users::SignInError::Locked { .. })), "{sixth:?}");
    let later = store.sign_in("nurse", "demo-nurse1", now() + Duration::minutes(16)).unwrap();
    assert!(later.is_ok());
    assert!(store.sign_in("nobody", "whatever-pw", now()).unwrap().is_err());
}

// ------------------------------------------------------------------ migrations and bad files

#[test]
fn fresh_database_gets_the_current_schema_and_reopens_unchanged() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path, OpenMode::CreateIfMissing).unwrap());
    let c = Connection::open(&path).unwrap();
    let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let tables: i64 = c.query_row("SELECT count(*) FROM sqlite_schema WHERE type='table'", [], |r| r.get(0)).unwrap();
    drop(c);
    let store = Store::open(&path, OpenMode::MustExist).unwrap();
    assert!(store.ward().unwrap().is_none(), "an empty database waits for first-run setup");
    let again: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM sqlite_schema WHERE type='table'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, again);
}

#[test]
fn schema_sql_runs_as_is_in_a_plain_connection() {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(wardterm::store::migrate::SCHEMA).unwrap();
}

#[test]
fn a_database_from_a_newer_wardterm_is_refused() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path, OpenMode::CreateIfMissing).unwrap());
    Connection::open(&path).unwrap().pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    let e = Store::open(&path, OpenMode::MustExist).err().unwrap();
    assert!(matches!(e, StoreError::TooNew { .. }), "{e}");
    assert!(e.to_string().contains("newer wardterm"));
}

#[test]
fn bad_files_get_clear_messages_and_stay_untouched() {
    let dir = TempDir::new().unwrap();
    // A missing directory.
    let e = Store::open(&dir.path().join("nope/w.db"), OpenMode::CreateIfMissing).err().unwrap();
    assert!(e.to_string().contains("does not exist"), "{e}");
    // A file that is not SQLite.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "shopping list\n".repeat(100)).unwrap();
    let e = Store::open(&text, OpenMode::CreateIfMissing).err().unwrap();
    assert!(e.to_string().contains("not a SQLite database"), "{e}");
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "shopping list\n".repeat(100));
    // A SQLite file that is some other program's.
    let other = dir.path().join("other.db");
    Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let e = Store::open(&other, OpenMode::CreateIfMissing).err().unwrap();
    assert!(matches!(e, StoreError::NotWardterm), "{e}");
    // A read-only file.
    let ro = dir.path().join("ro.db");
    drop(Store::open(&ro, OpenMode::CreateIfMissing).unwrap());
    let mut perm = std::fs::metadata(&ro).unwrap().permissions();
    perm.set_readonly(true);
    std::fs::set_permissions(&ro, perm).unwrap();
    let e = Store::open(&ro, OpenMode::MustExist).err().unwrap();
    assert!(e.to_string().contains("read-only"), "{e}");
}

#[cfg(unix)]
#[test]
fn a_new_database_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _store) = demo_store();
    for name in ["w.db", "w.db-wal", "w.db-shm"] {
        let p = dir.path().join(name);
        if p.exists() {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name}");
        }
    }
}

#[test]
fn prn_reassessment_is_the_earliest_pending_and_never_later_than_the_schedule() {
    let (_d, mut store) = demo_store();
    let nurse = sign_in(&mut store, "nurse", "demo-nurse1");
    let o = store.census().unwrap()[0].occupant.clone().unwrap();
    let zeros: Vec<(&str, u8)> = scales::ciwa_ar::CIWA_AR.items.iter().map(|i| (i.key, 0)).collect();
    let answers = Answers::from_scores(&scales::ciwa_ar::CIWA_AR, &zeros).unwrap();
    let a = NewAssessment {
        stay_id: o.stay_id,
        outcome: Outcome::Scored(answers),
        vitals: Vitals::default(),
        taken_at: now(),
        comment: None,
    };
    store.record_assessment(&nurse, &a, now()).unwrap();
    let due = |store: &Store| store.census().unwrap()[0].occupant.clone().unwrap().due_at().unwrap();
    assert_eq!(due(&store), now() + Duration::hours(2), "0-7 reassesses in 2 h");
    let prn = |at| wardterm::domain::prn::Prn {
        medication: "lorazepam".into(),
        dose: "1 mg".into(),
        route: "PO".into(),
        given_at: at,
    };
    let later = now() + Duration::minutes(30);
    store.record_prn(&nurse, o.stay_id, &prn(now() + Duration::minutes(10)), later).unwrap();
    store.record_prn(&nurse, o.stay_id, &prn(now() + Duration::minutes(30)), later).unwrap();
    assert_eq!(due(&store), now() + Duration::minutes(70), "the earlier dose's reassessment is still owed");
    // The dose links the assessment that prompted it.
    let linked: Option<i64> = store
        .raw_connection()
        .query_row("SELECT assessment_id FROM prn ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(linked.is_some());
    // A PRN in the future is refused by the domain; one already recorded is never edited.
    assert!(store.raw_connection().execute_batch("UPDATE prn SET dose = '9 mg'").is_err());
}
