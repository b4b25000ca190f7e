//! The risk screens and the admission assessment against a real database file (schema version
//! 5): what the store records and seals, and what the database itself refuses when the program is
//! bypassed (REFERENCE.md §3, §3a, §8).
use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::params;
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::admission::{Assessment, Section, SectionKey};
use wardterm::domain::cssrs::{Cssrs, Question};
use wardterm::domain::morse::{MORSE, MorseBands};
use wardterm::domain::pawss::{Bal, Known, Pawss, WithdrawalHistory};
use wardterm::domain::rass::Rass;
use wardterm::domain::scale::Answers;
use wardterm::domain::screen::{Decision, NewScreen, Occasion, ScreenAnswers, ScreenKind, choices};
use wardterm::domain::stay::AdmissionForm;
use wardterm::domain::user::Staff;
use wardterm::store::{OpenMode, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

/// A demo ward with one new patient admitted an hour ago (on no protocol, alcohol among the
/// substances) and the demo nurse signed in.
fn ward() -> (TempDir, Store, Staff, i64) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let bed = store.census().unwrap().iter().find(|r| r.occupant.is_none()).unwrap().bed_id;
    let a = AdmissionForm {
        name: "Test Patient".into(),
        birth_date: "1980-01-02".into(),
        sex: "F".into(),
        mrn: "RISK-1".into(),
        admitted_at: "-60m".into(),
        level_of_care: "3.7-WM".into(),
        substances: "alcohol, cocaine".into(),
        last_use: "yesterday 22:00".into(),
        allergies: "NKDA".into(),
        precautions: "".into(),
        attending: "Dr. Test".into(),
        code_status: "Full code".into(),
        protocol: "none".into(),
        observation: "q60".into(),
    }
    .validate(now(), chrono_tz::America::New_York, &["3.7-WM".into()], &["q60".into()])
    .unwrap();
    let stay = store.admit(&charge, bed, &a, now()).unwrap();
    (dir, store, nurse, stay)
}

fn at(mins_ago: i64) -> DateTime<Utc> {
    now() - Duration::minutes(mins_ago)
}

fn screen(stay: i64, answers: ScreenAnswers) -> NewScreen {
    NewScreen {
        stay_id: stay,
        answers,
        occasion: Occasion::Admission,
        taken_at: at(10),
        with_assessment: None,
        comment: None,
    }
}

fn high_risk() -> Cssrs {
    let mut c = Cssrs::new();
    for (q, a) in [
        (Question::Q1, true),
        (Question::Q2, true),
        (Question::Q3, true),
        (Question::Q4, false),
        (Question::Q5, false),
        (Question::Q6, true),
        (Question::Q6Recent, true),
    ] {
        c.set(q, Some(a));
    }
    c
}

fn occupant(store: &Store, stay: i64) -> wardterm::domain::census::Occupant {
    store.census().unwrap().into_iter().filter_map(|r| r.occupant).find(|o| o.stay_id == stay).unwrap()
}

#[test]
fn screen_choice_table_matches_the_screens_definitions() {
    let store = Store::open_in_memory().unwrap();
    let mut st = store.raw_connection().prepare("SELECT kind, item, answer, points FROM screen_choice").unwrap();
    let mut in_db: Vec<(String, String, String, i32)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut defined: Vec<(String, String, String, i32)> =
        choices().into_iter().map(|(k, i, a, p)| (k.to_string(), i, a, p)).collect();
    in_db.sort();
    defined.sort();
    assert_eq!(in_db, defined, "schema.sql's screen_choice rows must list exactly the screens' legal answers");
}

#[test]
fn a_high_risk_cssrs_records_the_decision_and_applies_it_in_one_transaction() {
    let (_d, mut store, nurse, stay) = ward();
    let refused = store.record_screen(
        &nurse,
        &screen(stay, ScreenAnswers::Cssrs { answers: high_risk(), decision: None }),
        now(),
    );
    assert!(refused.unwrap_err().to_string().contains("high risk"), "no decision, no record");
    assert!(store.screens(stay, None, 10).unwrap().is_empty(), "nothing half-written");
    let d = Decision {
        notified: Some("Dr Test 08:55".into()),
        not_notified_because: None,
        add_suicide_precaution: true,
        observation: Some("1:1".into()),
    };
    let s = store
        .record_screen(&nurse, &screen(stay, ScreenAnswers::Cssrs { answers: high_risk(), decision: Some(d) }), now())
        .unwrap();
    assert_eq!((s.kind, s.result.as_str(), s.total), (ScreenKind::Cssrs, "high", None));
    assert_eq!(s.by, format!("{}, {}", nurse.display_name, nurse.credentials));
    let decision = s.decision.clone().unwrap();
    assert!(decision.contains("provider notified: Dr Test 08:55") && decision.contains("1:1 (was q60)"), "{decision}");
    let o = occupant(&store, stay);
    assert!(o.precautions.contains("suicide"), "{}", o.precautions);
    assert_eq!(o.observation, "1:1");
    assert!(o.risk.suicide_high_risk());
    assert_eq!(o.risk.cssrs.as_ref().unwrap().at, at(10));
    assert_eq!(o.risk.cssrs_due, Some(at(10) + Duration::hours(12)), "the unit's default interval: 12 h");
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
}

#[test]
fn pawss_not_applicable_is_stored_without_a_total_and_the_census_stops_asking() {
    let (_d, mut store, nurse, stay) = ward();
    assert!(occupant(&store, stay).pawss_owed(), "alcohol among the substances: PAWSS is owed whatever the protocol");
    let mut p = Pawss::new();
    p.alcohol_past_30_days = Some(false);
    p.bal_on_admission = Some(Bal::Negative);
    let s = store.record_screen(&nurse, &screen(stay, ScreenAnswers::Pawss(p)), now()).unwrap();
    assert_eq!((s.total, s.summary().as_str()), (None, "PAWSS not applicable"));
    let o = occupant(&store, stay);
    assert!(!o.pawss_owed() && o.pawss.is_none() && o.risk.pawss_not_applicable);
    let mut p = Pawss::new();
    p.alcohol_past_30_days = Some(true);
    for n in 1..=10 {
        p.set(n, Some(n % 2 == 0)).unwrap();
    }
    let s = store.record_screen(&nurse, &screen(stay, ScreenAnswers::Pawss(p)), now()).unwrap();
    assert_eq!(s.summary(), "PAWSS 5/10 high risk");
    assert_eq!(occupant(&store, stay).pawss, Some(5));
}

#[test]
fn morse_takes_the_units_band_set_in_force() {
    let (_d, mut store, nurse, stay) = ward();
    let mut a = Answers::new(&MORSE);
    for i in 0..MORSE.items.len() {
        a.set(i, 0).unwrap();
    }
    a.set(0, 1).unwrap(); // history of falling: 25
    let s = store.record_screen(&nurse, &screen(stay, ScreenAnswers::Morse(a.clone())), now()).unwrap();
    assert_eq!(s.summary(), "Morse 25 moderate", "the common set: 25-44 moderate");
    let admin = store.sign_in("admin", "demo-admin1", now()).unwrap().unwrap();
    store.set_morse_bands(&admin, &MorseBands::parse("0-44 low, 45+ high").unwrap(), now()).unwrap();
    let s = store.record_screen(&nurse, &screen(stay, ScreenAnswers::Morse(a)), now()).unwrap();
    assert_eq!(s.summary(), "Morse 25 low");
    assert_eq!(occupant(&store, stay).risk.morse.unwrap().result, "low");
}

#[test]
fn a_rass_goes_with_a_score_of_the_same_patient_only() {
    let (_d, mut store, nurse, stay) = ward();
    let mut s = screen(stay, ScreenAnswers::Rass(Rass::new(-3).unwrap()));
    s.with_assessment = Some(1); // the demo's first assessment is another patient's
    assert!(store.record_screen(&nurse, &s, now()).is_err());
    s.with_assessment = None;
    assert_eq!(store.record_screen(&nurse, &s, now()).unwrap().summary(), "RASS -3 moderate sedation");
    s.taken_at = now() + Duration::hours(1);
    assert!(store.record_screen(&nurse, &s, now()).unwrap_err().to_string().contains("future"));
}

/// What the database refuses when the program is bypassed.
#[test]
fn the_database_refuses_illegal_screens_and_edits() {
    let (_d, mut store, nurse, stay) = ward();
    let mut c = Cssrs::new();
    for q in [Question::Q1, Question::Q2, Question::Q6] {
        c.set(q, Some(false));
    }
    let s =
        store.record_screen(&nurse, &screen(stay, ScreenAnswers::Cssrs { answers: c, decision: None }), now()).unwrap();
    let conn = store.raw_connection();
    let ins = |kind: &str, total: Option<i32>, result: &str, decision: Option<&str>| {
        conn.execute(
            "INSERT INTO screen (stay_id, kind, taken_at, recorded_at, by_user, author_name, author_credentials,
                                 occasion, total, result, decision) VALUES (?1, ?2, '2026-11-25T08:00:00Z',
                                 '2026-11-25T08:00:00Z', ?3, 'X', 'RN', 'admission', ?4, ?5, ?6)",
            params![stay, kind, nurse.id, total, result, decision],
        )
    };
    assert!(ins("cssrs", None, "high", None).is_err(), "high risk without a decision");
    assert!(ins("cssrs", None, "low", Some("x")).is_err(), "a decision on a low risk");
    assert!(ins("pawss", Some(0), "not applicable", None).is_err(), "not applicable is never 0");
    assert!(ins("pawss", Some(3), "high risk", None).is_err(), "high risk is >= 4");
    assert!(ins("rass", Some(5), "x", None).is_err(), "RASS is -5..+4");
    assert!(ins("sows", Some(65), "scored", None).is_err(), "SOWS is 0-64");
    assert!(ins("morse", Some(30), "moderate", None).is_err(), "a Morse names its band set");
    let item = |item: &str, answer: &str| {
        conn.execute(
            "INSERT INTO screen_item (screen_id, item, kind, answer) VALUES (?1, ?2, 'cssrs', ?3)",
            params![s.id, item, answer],
        )
    };
    assert!(item("q3", "maybe").is_err(), "an answer the screen does not have");
    assert!(item("q9", "yes").is_err(), "a question the screen does not have");
    assert!(conn.execute("UPDATE screen SET result = 'high' WHERE id = ?1", [s.id]).is_err());
    assert!(conn.execute("DELETE FROM screen WHERE id = ?1", [s.id]).is_err());
    assert!(conn.execute("UPDATE screen_item SET answer = 'yes' WHERE screen_id = ?1", [s.id]).is_err());
    let typed = conn.execute(
        "INSERT INTO stay (patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care, substances, last_use,
                           protocol, allergies, attending, code_status, observation, pawss)
         SELECT patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care, substances, last_use,
                protocol, allergies, attending, code_status, observation, 4 FROM stay WHERE id = ?1",
        [stay],
    );
    assert!(typed.unwrap_err().to_string().contains("item by item"), "a typed PAWSS total on a new stay");
}

fn filled() -> Assessment {
    let mut a = Assessment::default();
    let json = r#"{"substances":{"status":"answered","value":{"rows":[{"substance":"alcohol","route":"oral","amount_frequency":"1 L vodka daily","last_use":"yesterday 22:00","age_first_use":"15","pattern":"daily"}],"no_nicotine":true}},
        "medical":{"status":"answered","value":{"conditions":"none","medications":"none","pregnancy":"not_pregnant","allergies":"NKDA"}},
        "arrival":{"status":"answered","value":{"bal":{"done":"done","result":"BrAC 0.12","positive":true,"at":"2026-11-25T08:10:00Z"},"uds":{"done":"not_done","reason":"unable to void"},"search":{"done":"done","by":"Sam Okafor, RN","at":"2026-11-25T08:15:00Z","findings":"none"}}}}"#;
    let parsed = Assessment::from_json(json).unwrap();
    a.substances = parsed.substances;
    a.medical = parsed.medical;
    a.arrival = parsed.arrival;
    a.withdrawal = Section::Answered(WithdrawalHistory {
        prior_withdrawal: Known::Yes,
        seizures: Known::No,
        delirium_tremens: Known::No,
        treatment: Known::Unknown,
    });
    a.set_not_assessed(SectionKey::Psychiatric, "too intoxicated to answer");
    a
}

#[test]
fn an_admission_assessment_is_drafted_signed_sealed_and_completed_by_an_addendum() {
    let (_d, mut store, nurse, stay) = ward();
    let id = store.start_admission_assessment(&nurse, stay, now()).unwrap();
    assert_eq!(store.start_admission_assessment(&nurse, stay, now()).unwrap(), id, "resumes the nurse's own draft");
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    assert!(store.start_admission_assessment(&charge, stay, now()).unwrap_err().to_string().contains("in progress"));
    let mut body = filled();
    body.psychiatric = Section::Unanswered;
    store.save_admission_draft(&nurse, id, &body, now()).unwrap();
    assert!(matches!(
        occupant(&store, stay).risk.admission,
        wardterm::domain::census::AdmissionMark::InProgress { .. }
    ));
    let e = store.sign_admission_assessment(&nurse, id, &body, "demo-nurse1", now()).unwrap_err().to_string();
    assert!(e.contains("Psychiatric history"), "an unanswered section blocks signing: {e}");
    assert!(store.sign_admission_assessment(&nurse, id, &filled(), "wrong", now()).is_err());
    store.sign_admission_assessment(&nurse, id, &filled(), "demo-nurse1", now()).unwrap();
    assert_eq!(occupant(&store, stay).risk.admission.text(), "not assessed: Psychiatric history");
    let conn = store.raw_connection();
    assert!(conn.execute("UPDATE admission_assessment SET body = '{}' WHERE id = ?1", [id]).is_err());
    assert!(conn.execute("DELETE FROM admission_assessment WHERE id = ?1", [id]).is_err());
    let add = Assessment::from_json(
        r#"{"psychiatric":{"status":"answered","value":{"diagnoses":"depression","hospitalisation":"no","self_harm":"yes","outpatient_care":"none"}}}"#,
    )
    .unwrap();
    assert!(
        store.add_admission_addendum(&charge, id, &add, " ", "demo-charge1", now()).is_err(),
        "an addendum says why"
    );
    store
        .add_admission_addendum(&charge, id, &add, "asked once sober", "demo-charge1", now() + Duration::hours(3))
        .unwrap();
    let rec = store.admission_assessment(stay).unwrap().unwrap();
    assert_eq!(rec.addenda.len(), 1);
    assert!(rec.effective().incomplete().is_empty());
    assert_eq!(rec.original.author, format!("{}, {}", nurse.display_name, nurse.credentials));
    assert_eq!(occupant(&store, stay).risk.admission.text(), "complete");
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
}

#[test]
fn the_database_refuses_a_signed_assessment_with_a_blank_section() {
    let (_d, store, nurse, stay) = ward();
    let r = store.raw_connection().execute(
        "INSERT INTO admission_assessment (stay_id, author, body, started_at, saved_at, signed_at, author_name, author_credentials)
         VALUES (?1, ?2, ?3, '2026-11-25T08:00:00Z', '2026-11-25T08:00:00Z', '2026-11-25T08:30:00Z', 'X', 'RN')",
        params![stay, nurse.id, Assessment::default().to_json()],
    );
    assert!(r.is_err(), "every section answered or not assessed, none defaulted");
    let mut with_form = filled();
    with_form.form = Some(serde_json::json!({"typed": "half"}));
    let insert = |body: &Assessment| {
        store.raw_connection().execute(
            "INSERT INTO admission_assessment (stay_id, author, body, started_at, saved_at, signed_at, author_name, author_credentials)
             VALUES (?1, ?2, ?3, '2026-11-25T08:00:00Z', '2026-11-25T08:00:00Z', '2026-11-25T08:30:00Z', 'X', 'RN')",
            params![stay, nurse.id, body.to_json()],
        )
    };
    assert!(insert(&with_form).is_err(), "a draft's form is never signed");
    assert!(insert(&with_form.without_form()).is_ok(), "the same sections without it are");
}

/// A screen edited behind the program's back (triggers dropped) is named by `verify`.
#[test]
fn verify_names_an_edited_screen_and_an_edited_assessment() {
    let (_d, mut store, nurse, stay) = ward();
    let mut a = Answers::new(&MORSE);
    for i in 0..MORSE.items.len() {
        a.set(i, 0).unwrap();
    }
    let s = store.record_screen(&nurse, &screen(stay, ScreenAnswers::Morse(a)), now()).unwrap();
    let id = store.start_admission_assessment(&nurse, stay, now()).unwrap();
    store.sign_admission_assessment(&nurse, id, &filled(), "demo-nurse1", now()).unwrap();
    assert!(store.verify().unwrap().ok());
    let conn = store.raw_connection();
    conn.execute_batch("DROP TRIGGER screen_no_update; DROP TRIGGER admission_signed_is_final;").unwrap();
    conn.execute("UPDATE screen SET result = 'high' WHERE id = ?1", [s.id]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("screen {}", s.id))), "{v:?}");
    conn.execute("UPDATE screen SET result = 'low' WHERE id = ?1", [s.id]).unwrap();
    assert!(store.verify().unwrap().ok());
    conn.execute("UPDATE admission_assessment SET note = 'x' WHERE id = ?1", [id]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("admission {id}"))), "{v:?}");
}

/// The released version 4 ward upgrades to version 5 keeping every ledger entry as it was (the
/// ledger is rebuilt over `ledger_kind`), still verifies, keeps the PAWSS totals typed before
/// version 5, and takes a screen at once.
#[test]
fn the_v4_fixture_upgrades_keeping_its_ledger_and_typed_pawss() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("w.db");
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v4-demo.db"), &db).unwrap();
    let ledger = |conn: &rusqlite::Connection| -> Vec<(i64, String, i64, String)> {
        conn.prepare("SELECT seq, kind, record_id, hash FROM ledger ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let (before, typed): (_, Vec<(i64, i64)>) = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let typed = conn
            .prepare("SELECT id, pawss FROM stay WHERE pawss IS NOT NULL AND discharged_at IS NULL ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        (ledger(&conn), typed)
    };
    assert!(!before.is_empty() && !typed.is_empty(), "the fixture holds a ledger and typed PAWSS totals");
    let mut store = Store::open(&db, OpenMode::MustExist).unwrap();
    assert_eq!(ledger(store.raw_connection()), before, "every ledger entry kept, in order");
    let v = store.verify().unwrap();
    assert!(v.ok(), "{v:?}");
    let board = store.census().unwrap();
    for (stay, p) in &typed {
        let o = board.iter().filter_map(|r| r.occupant.as_ref()).find(|o| o.stay_id == *stay).unwrap();
        assert_eq!(o.pawss, Some(*p as u8), "stay {stay} keeps the PAWSS typed at its admission");
    }
    assert_eq!(store.morse_bands().unwrap(), MorseBands::common_set());
    let nurse = store.sign_in("nurse", "demo-nurse1", Utc::now()).unwrap().unwrap();
    let stay = typed[0].0;
    let s = NewScreen {
        stay_id: stay,
        answers: ScreenAnswers::Rass(Rass::new(0).unwrap()),
        occasion: Occasion::Routine,
        taken_at: Utc::now() - Duration::minutes(1),
        with_assessment: None,
        comment: None,
    };
    store.record_screen(&nurse, &s, Utc::now()).unwrap();
    assert!(store.verify().unwrap().ok());
}
