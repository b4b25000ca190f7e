//! Orders and the administration record against a real database file (schema version 6): what
//! the store records and seals, and what the database itself refuses when the program is
//! bypassed (REFERENCE.md §9).
use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::params;
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::assessment::{NewAssessment, Outcome as Scored};
use wardterm::domain::mar::{AdminForm, HoldValues, IdentityProof, NewAdministration, OrderFacts, Outcome, validate};
use wardterm::domain::orders::{self, OrderForm, PrnStatus, StepForm};
use wardterm::domain::scale::{Answers, Scale};
use wardterm::domain::scales;
use wardterm::domain::stay::AdmissionForm;
use wardterm::domain::user::Staff;
use wardterm::domain::vitals::Vitals;
use wardterm::store::{OpenMode, Store};

const TZ: chrono_tz::Tz = chrono_tz::America::New_York;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn at(mins_ago: i64) -> DateTime<Utc> {
    now() - Duration::minutes(mins_ago)
}

/// A demo ward with one new patient (Test Patient, born 1980-01-02, MRN MEDS-1) admitted two
/// hours ago on the CIWA-Ar protocol, and the demo nurse signed in.
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
        mrn: "MEDS-1".into(),
        admitted_at: "-120m".into(),
        level_of_care: "3.7-WM".into(),
        substances: "alcohol".into(),
        last_use: "yesterday 22:00".into(),
        allergies: "NKDA".into(),
        precautions: "".into(),
        attending: "Dr. Test".into(),
        code_status: "Full code".into(),
        protocol: "ciwa-ar".into(),
        observation: "q60".into(),
    }
    .validate(now(), TZ, &["3.7-WM".into()], &["q60".into()])
    .unwrap();
    let stay = store.admit(&charge, bed, &a, now()).unwrap();
    (dir, store, nurse, stay)
}

fn answers_for(scale: &'static Scale, total: u16) -> Answers {
    let mut a = Answers::new(scale);
    let mut left = total;
    for (i, item) in scale.items.iter().enumerate() {
        let pick = item.choices.iter().rev().find(|c| u16::from(c.score) <= left).map_or(0, |c| c.score);
        a.set_score(i, pick).unwrap();
        left -= u16::from(pick);
    }
    a
}

fn ciwa(store: &mut Store, me: &Staff, stay: i64, total: u16, mins_ago: i64) -> i64 {
    let a = NewAssessment {
        stay_id: stay,
        outcome: Scored::Scored(answers_for(&scales::ciwa_ar::CIWA_AR, total)),
        vitals: Vitals::default(),
        taken_at: at(mins_ago),
        comment: None,
    };
    store.record_assessment(me, &a, at(mins_ago) + Duration::minutes(1)).unwrap();
    store.raw_connection().query_row("SELECT max(id) FROM assessment", [], |r| r.get(0)).unwrap()
}

fn prn_form() -> OrderForm {
    OrderForm {
        kind: "prn".into(),
        drug: "lorazepam".into(),
        dose: "2 mg".into(),
        route: "PO".into(),
        prn_indication: "alcohol withdrawal".into(),
        prn_scale: "ciwa-ar".into(),
        prn_min_score: "8".into(),
        prn_repeat_minutes: "60".into(),
        prn_max_per_24h: "4".into(),
        hold_rass: "-2".into(),
        prescriber: "Dr Ames".into(),
        ordered_at: "-90m".into(),
        mode: "written".into(),
        ..OrderForm::default()
    }
}

fn scheduled_form() -> OrderForm {
    OrderForm {
        kind: "scheduled".into(),
        drug: "chlordiazepoxide".into(),
        dose: "25 mg".into(),
        route: "PO".into(),
        every_hours: "6".into(),
        first_due_at: "2026-11-25 03:00".into(),
        hold_rass: "-2".into(),
        hold_rr: "12".into(),
        prescriber: "Dr Ames".into(),
        ordered_at: "-100m".into(),
        mode: "telephone".into(),
        read_back: true,
        ..OrderForm::default()
    }
}

fn enter(store: &mut Store, me: &Staff, stay: i64, f: &OrderForm) -> i64 {
    let o = orders::validate(f, now(), TZ).unwrap();
    store.enter_order(me, stay, &o, now()).unwrap()
}

fn named() -> IdentityProof {
    IdentityProof::NameDob { name: "patient, test".into(), dob: "1980-01-02".into() }
}

fn admin(
    store: &Store,
    order_id: i64,
    due_at: Option<DateTime<Utc>>,
    proof: IdentityProof,
    values: HoldValues,
    outcome: Outcome,
    form: AdminForm,
) -> Result<NewAdministration, String> {
    let o = store.order(order_id).unwrap().unwrap();
    let facts = OrderFacts { id: o.id, kind: o.kind(), holds: &o.holds };
    validate(facts, due_at, Some(proof), &values, outcome, &form, None, now(), TZ)
}

fn given() -> AdminForm {
    AdminForm { dose: "2 mg".into(), route: "PO".into(), at: "now".into(), ..AdminForm::default() }
}

fn alert() -> HoldValues {
    HoldValues { rass: Some(0), rr: Some(16), ..HoldValues::default() }
}

/// A symptom-triggered PRN given after a CIWA-Ar 12: the triggering score is linked, the
/// reassessment is due by the ladder, the census shows it, the order's state says why not now.
#[test]
fn a_prn_given_after_ciwa_12_links_its_score_and_makes_a_reassessment_due() {
    let (_d, mut store, nurse, stay) = ward();
    let order = enter(&mut store, &nurse, stay, &prn_form());
    let mar = store.stay_mar(stay, now()).unwrap();
    assert_eq!(mar.prn[0].1, PrnStatus::NoScore { scale: "ciwa-ar".into() });
    // The store refuses it with no score, whatever the screen did.
    let a = admin(&store, order, None, named(), alert(), Outcome::Given, given()).unwrap();
    assert!(store.record_administration(&nurse, &a, now()).unwrap_err().to_string().contains("no CIWA-Ar"));
    let scored = ciwa(&mut store, &nurse, stay, 12, 5);
    assert!(store.stay_mar(stay, now()).unwrap().prn[0].1.is_available());
    let id = store.record_administration(&nurse, &a, now()).unwrap();
    let rec = store.administration(id).unwrap().unwrap();
    assert_eq!(rec.trigger, Some((scored, Some(12))));
    // The shipped CIWA-Ar ladder reassesses a PRN after 60 minutes.
    assert_eq!(rec.reassess_due_at, Some(now() + Duration::minutes(60)));
    let row = store.census().unwrap().into_iter().find(|r| r.occupant.as_ref().is_some_and(|o| o.stay_id == stay));
    let series = &row.unwrap().occupant.unwrap().series;
    assert!(series.iter().any(|s| s.prn_due == Some(now() + Duration::minutes(60))), "{series:?}");
    // The trend chart's PRN marks read the record's PRNs too, with the score that prompted them.
    let marks = store.prns(stay, 20).unwrap();
    let last = marks.last().unwrap();
    assert_eq!((last.given_at, last.prompted_by_total), (rec.at, Some(12)));
    // Now too soon, then scored before the last dose.
    let mar = store.stay_mar(stay, now() + Duration::minutes(10)).unwrap();
    assert!(matches!(mar.prn[0].1, PrnStatus::TooSoon { .. }), "{:?}", mar.prn);
    let mar = store.stay_mar(stay, now() + Duration::minutes(70)).unwrap();
    assert!(matches!(mar.prn[0].1, PrnStatus::ScoreBeforeLastDose { .. }), "{:?}", mar.prn);
    assert!(store.verify().unwrap().ok());
}

/// A scheduled dose with a RASS -3 is a hold; the database itself refuses a given dose without
/// its hold values, and one past a hold without an override reason.
#[test]
fn the_database_refuses_a_given_dose_without_hold_values_or_past_a_hold() {
    let (_d, mut store, nurse, stay) = ward();
    let order = enter(&mut store, &nurse, stay, &scheduled_form());
    let due = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    // 03:00 EST is 08:00 UTC; the doses fall at 08:00, 14:00, 20:00 UTC.
    let list = store.ward_due(now(), Duration::hours(1)).unwrap();
    let mine: Vec<_> = list.iter().filter(|d| d.stay_id == stay).collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(mine[0].overdue && mine[0].due.at == due);
    // RASS -3: the screen and the store both refuse "given" without an override.
    let sedated = HoldValues { rass: Some(-3), rr: Some(16), ..HoldValues::default() };
    let e = admin(&store, order, Some(due), named(), sedated, Outcome::Given, given()).unwrap_err();
    assert!(e.contains("RASS -3"), "{e}");
    let held = AdminForm { at: "now".into(), reason: "RASS -3 (hold if <= -2)".into(), ..AdminForm::default() };
    let a = admin(&store, order, Some(due), named(), sedated, Outcome::Held, held).unwrap();
    let id = store.record_administration(&nurse, &a, now()).unwrap();
    assert_eq!(store.administration(id).unwrap().unwrap().hold_values, sedated);
    assert!(store.ward_due(now(), Duration::hours(1)).unwrap().iter().all(|d| d.stay_id != stay));
    // A second entry on the same dose is a correction, not a second answer.
    let again = admin(&store, order, Some(due), named(), alert(), Outcome::Given, given()).unwrap();
    assert!(store.record_administration(&nurse, &again, now()).unwrap_err().to_string().contains("correction"));

    let conn = store.raw_connection();
    let insert = |hold_values: &str, override_reason: Option<&str>| {
        conn.execute(
            "INSERT INTO med_admin (order_id, stay_id, due_at, outcome, dose_given, route, at, recorded_at, by_user,
                 identified_by, hold_values, override_reason)
             VALUES (?1, ?2, '2026-11-25T14:00:00Z', 'given', '25 mg', 'PO', '2026-11-25T09:00:00Z',
                     '2026-11-25T09:00:00Z', ?3, 'wristband', ?4, ?5)",
            params![order, stay, nurse.id, hold_values, override_reason],
        )
        .unwrap_err()
        .to_string()
    };
    assert!(insert("{}", None).contains("hold parameter's value"));
    assert!(insert(r#"{"rass":0}"#, None).contains("hold parameter's value"), "RR missing");
    assert!(insert(r#"{"rass":-3,"rr":16}"#, None).contains("override reason"));
    assert!(insert(r#"{"rass":0,"rr":10}"#, None).contains("override reason"), "RR 10 < 12");
    // A given dose without its dose or route, a held one without a reason.
    let e = conn
        .execute(
            "INSERT INTO med_admin (order_id, stay_id, outcome, at, recorded_at, by_user, identified_by)
             VALUES (?1, ?2, 'held', '2026-11-25T09:00:00Z', '2026-11-25T09:00:00Z', ?3, 'wristband')",
            params![order, stay, nurse.id],
        )
        .unwrap_err();
    assert!(e.to_string().contains("CHECK"), "{e}");
}

/// Recorded administrations and orders are never edited or deleted; a step belongs to a taper.
#[test]
fn the_database_refuses_edits_and_a_step_on_a_non_taper_order() {
    let (_d, mut store, nurse, stay) = ward();
    let order = enter(&mut store, &nurse, stay, &scheduled_form());
    let due = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    let a = admin(&store, order, Some(due), named(), alert(), Outcome::Given, given()).unwrap();
    let id = store.record_administration(&nurse, &a, now()).unwrap();
    let conn = store.raw_connection();
    let e = |sql: &str| conn.execute(sql, []).unwrap_err().to_string();
    assert!(e(&format!("UPDATE med_admin SET dose_given = '50 mg' WHERE id = {id}")).contains("never edited"));
    assert!(e(&format!("DELETE FROM med_admin WHERE id = {id}")).contains("never deleted"));
    assert!(e(&format!("UPDATE med_order SET dose = '50 mg' WHERE id = {order}")).contains("never edited"));
    assert!(e(&format!("DELETE FROM med_order WHERE id = {order}")).contains("never deleted"));
    assert!(
        e(&format!(
            "INSERT INTO med_order_step (order_id, seq, starts_at, dose, every_hours, doses)
             VALUES ({order}, 1, '2026-11-25T10:00:00Z', '10 mg', 6, 2)"
        ))
        .contains("belong to a taper")
    );
    // Verbal without read-back.
    assert!(
        e(&format!(
            "INSERT INTO med_order (stay_id, kind, drug, dose, route, prn_indication, prescriber, ordered_at,
                 order_mode, read_back, entered_by, entered_at)
             VALUES ({stay}, 'prn', 'x', '1 mg', 'PO', 'pain', 'Dr', '2026-11-25T08:00:00Z', 'verbal', 0,
                 {}, '2026-11-25T08:00:00Z')",
            nurse.id
        ))
        .contains("CHECK")
    );
}

/// A correction is a new entry naming the old one and saying why; an edit behind the program's
/// back is named by `verify`.
#[test]
fn a_correction_is_a_new_entry_and_verify_names_an_edited_administration() {
    let (_d, mut store, nurse, stay) = ward();
    let order = enter(&mut store, &nurse, stay, &scheduled_form());
    let due = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    let a = admin(&store, order, Some(due), named(), alert(), Outcome::Given, given()).unwrap();
    let first = store.record_administration(&nurse, &a, now()).unwrap();
    let o = store.order(order).unwrap().unwrap();
    let facts = OrderFacts { id: o.id, kind: o.kind(), holds: &o.holds };
    let fix =
        AdminForm { at: "now".into(), reason: "charted on the wrong patient's order".into(), ..AdminForm::default() };
    let c =
        validate(facts, Some(due), Some(named()), &alert(), Outcome::Omitted, &fix, Some(first), now(), TZ).unwrap();
    let second = store.record_administration(&nurse, &c, now()).unwrap();
    assert_eq!(store.administration(second).unwrap().unwrap().corrects, Some(first));
    let shift = store.administrations_between(stay, now() - Duration::hours(1), now() + Duration::seconds(1)).unwrap();
    assert_eq!(shift.iter().map(|a| a.id).collect::<Vec<_>>(), vec![first, second]);
    assert!(
        store.administrations_between(stay, now() - Duration::hours(2), now() - Duration::hours(1)).unwrap().is_empty()
    );
    assert!(store.verify().unwrap().ok());
    let conn = store.raw_connection();
    conn.execute_batch("DROP TRIGGER med_admin_no_update").unwrap();
    conn.execute("UPDATE med_admin SET dose_given = '50 mg' WHERE id = ?1", [first]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("med_admin {first}"))), "{v:?}");
}

/// The identifiers are checked by the store too: a wrong date of birth or another wristband is
/// refused, the right wristband is taken.
#[test]
fn the_store_checks_the_identifiers_against_the_record() {
    let (_d, mut store, nurse, stay) = ward();
    let order = enter(&mut store, &nurse, stay, &scheduled_form());
    let due = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
    let wrong = IdentityProof::NameDob { name: "Test Patient".into(), dob: "1980-01-03".into() };
    let a = admin(&store, order, Some(due), wrong, alert(), Outcome::Given, given()).unwrap();
    assert!(store.record_administration(&nurse, &a, now()).unwrap_err().to_string().contains("date of birth"));
    let other =
        admin(&store, order, Some(due), IdentityProof::Wristband("X-1".into()), alert(), Outcome::Given, given());
    assert!(store.record_administration(&nurse, &other.unwrap(), now()).is_err());
    let band =
        admin(&store, order, Some(due), IdentityProof::Wristband("MEDS-1".into()), alert(), Outcome::Given, given());
    let id = store.record_administration(&nurse, &band.unwrap(), now()).unwrap();
    assert_eq!(store.administration(id).unwrap().unwrap().identity, wardterm::domain::mar::Identity::Wristband);
}

/// A taper is entered with its steps (sealed with them), read back whole, and discontinued once.
#[test]
fn a_taper_reads_back_with_its_steps_and_stops_once() {
    let (_d, mut store, nurse, stay) = ward();
    let step =
        |s: &str, d: &str| StepForm { starts_at: s.into(), dose: d.into(), every_hours: "6".into(), doses: "4".into() };
    let taper = OrderForm {
        kind: "taper".into(),
        every_hours: "".into(),
        first_due_at: "".into(),
        steps: vec![step("2026-11-25 10:00", "50 mg"), step("2026-11-26 10:00", "25 mg")],
        ..scheduled_form()
    };
    let id = enter(&mut store, &nurse, stay, &taper);
    let o = store.orders_of_stay(stay).unwrap().into_iter().find(|o| o.id == id).unwrap();
    let due = orders::due_times(&o, now(), now() + Duration::days(3));
    assert_eq!(due.len(), 8);
    assert_eq!((due[0].dose.as_str(), due[4].dose.as_str()), ("50 mg", "25 mg"));
    store.discontinue_order(&nurse, id, now(), "switched to phenobarbital", now()).unwrap();
    let e = store.discontinue_order(&nurse, id, now(), "again", now()).unwrap_err();
    assert!(e.to_string().contains("already discontinued"));
    let o = store.order(id).unwrap().unwrap();
    assert!(o.stop.as_ref().is_some_and(|s| s.reason == "switched to phenobarbital"));
    assert!(orders::due_times(&o, now(), now() + Duration::days(3)).is_empty());
    assert!(store.verify().unwrap().ok());
    // The steps are in the order's seal.
    let conn = store.raw_connection();
    conn.execute_batch("DROP TRIGGER med_order_step_no_update").unwrap();
    conn.execute("UPDATE med_order_step SET dose = '100 mg' WHERE order_id = ?1 AND seq = 2", [id]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("med_order {id}"))), "{v:?}");
}

/// The protocol's "Notify provider now" after a score is a prompt that stays open until a call
/// is documented (REFERENCE.md §1's ladder, §10): one per scale while it is open, none for a
/// score that does not ask for it, and a new one after the call answered the last.
#[test]
fn a_score_that_asks_for_the_provider_opens_a_prompt_until_the_call() {
    use wardterm::domain::provider_call::NewCall;
    let (_d, mut store, nurse, stay) = ward();
    let score_prompts = |store: &Store| -> Vec<i64> {
        store.open_prompts(stay).unwrap().into_iter().filter(|p| p.source == "score").map(|p| p.id).collect()
    };
    ciwa(&mut store, &nurse, stay, 3, 50);
    assert!(score_prompts(&store).is_empty(), "a low score asks for nobody");
    ciwa(&mut store, &nurse, stay, 25, 40);
    let open = score_prompts(&store);
    assert_eq!(open.len(), 1);
    let why = &store.open_prompts(stay).unwrap()[0].why;
    assert!(why.starts_with("CIWA-Ar 25 severe") && why.contains("notify the provider"), "{why}");
    ciwa(&mut store, &nurse, stay, 24, 30);
    assert_eq!(score_prompts(&store), open, "one open prompt per scale");
    let call = NewCall {
        stay_id: stay,
        provider: "Dr Ames".into(),
        called_at: at(25),
        reason: "S: CIWA-Ar 25 then 24".into(),
        response: "lorazepam per order; reassess in 1 h".into(),
        new_order: None,
        answers: open.clone(),
    };
    store.record_call(&nurse, &call, now()).unwrap();
    assert!(score_prompts(&store).is_empty());
    ciwa(&mut store, &nurse, stay, 23, 10);
    assert_eq!(score_prompts(&store).len(), 1, "a new high score after the call asks again");
}
