//! Vital signs, prompts, the call to the provider and emergencies against a real database file
//! (schema version 6): what the store records, seals and prompts, and what the database itself
//! refuses when the program is bypassed (REFERENCE.md §10; issue 17 points 3-5).
use chrono::{DateTime, Duration, TimeZone, Utc};
use rusqlite::params;
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::emergency::{EventKind, Naloxone, NewEvent};
use wardterm::domain::news2::{Breathing, Consciousness};
use wardterm::domain::provider_call::{NewCall, PromptKind};
use wardterm::domain::user::Staff;
use wardterm::domain::vital_alert::{Policy, Thresholds};
use wardterm::domain::vitals::{TempUnit, Vitals};
use wardterm::store::vitals::NewVitals;
use wardterm::store::{OpenMode, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn at(mins_ago: i64) -> DateTime<Utc> {
    now() - Duration::minutes(mins_ago)
}

/// The demo ward, the demo nurse and admin, and the stay in bed 1.
fn ward() -> (TempDir, Store, Staff, Staff, i64) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let admin = store.sign_in("admin", "demo-admin1", now()).unwrap().unwrap();
    let stay = store.census().unwrap().iter().find_map(|r| r.occupant.as_ref().map(|o| o.stay_id)).unwrap();
    (dir, store, nurse, admin, stay)
}

/// `[temp, hr, sbp, dbp, rr, spo2]` as typed, with air/oxygen and consciousness.
fn set(stay: i64, f: [&str; 6], b: Option<Breathing>, c: Option<Consciousness>) -> NewVitals {
    NewVitals {
        stay_id: stay,
        taken_at: at(5),
        vitals: Vitals::parse(f, TempUnit::C).unwrap(),
        breathing: b,
        consciousness: c,
        comment: None,
    }
}

const CALM: [&str; 6] = ["37.0", "80", "120", "80", "16", "97"];

#[test]
fn news2_is_stored_complete_or_names_what_was_not_measured() {
    let (_d, mut store, nurse, _, stay) = ward();
    let r =
        store.record_vitals(&nurse, &set(stay, CALM, Some(Breathing::Air), Some(Consciousness::Alert)), now()).unwrap();
    assert_eq!(r.set.news2, Some(0));
    assert_eq!(r.set.news2_missing, "");
    assert_eq!(r.prompt_id, None);
    assert_eq!(r.set.by, "Sam Okafor, RN");
    assert_eq!(r.set.taken_at, at(5));
    // Consciousness not measured: no total, never 0.
    let r = store.record_vitals(&nurse, &set(stay, CALM, Some(Breathing::Air), None), now()).unwrap();
    assert_eq!(r.set.news2, None);
    assert_eq!(r.set.news2_text(), "NEWS2 incomplete: not measured consciousness");
    assert_eq!(r.prompt_id, None);
    // Only a pulse: every other parameter named, nothing filled in.
    let r = store.record_vitals(&nurse, &set(stay, ["", "80", "", "", "", ""], None, None), now()).unwrap();
    assert_eq!(r.set.vitals.temp_c, None);
    assert_eq!(
        r.set.news2_missing,
        "respiration rate, SpO2 (scale 1), air or oxygen, systolic BP, consciousness, temperature"
    );
    // Nothing at all is refused with words.
    let e = store.record_vitals(&nurse, &set(stay, ["", "", "", "", "", ""], None, None), now()).unwrap_err();
    assert!(e.to_string().contains("no vital sign was typed"), "{e}");
    // The flowsheet: newest first, with the vitals typed with the demo's withdrawal scores too.
    let window = store.vitals_between(stay, at(60), now()).unwrap();
    assert_eq!(window.len(), 3, "the three sets, oldest first, not the scores' vitals");
    let sheet = store.flowsheet(stay, 50).unwrap();
    assert!(sheet.len() >= 3);
    assert!(sheet.windows(2).all(|w| w[0].taken_at >= w[1].taken_at), "newest first");
    assert!(store.verify().unwrap().ok());
}

#[test]
fn a_breach_raises_a_prompt_that_a_call_closes() {
    let (_d, mut store, nurse, _, stay) = ward();
    // HR 135 (3), RR 26 (3), SBP 95 (2), T 38.6 (1), SpO2 93 (2), air, alert: NEWS2 11.
    let f = ["38.6", "135", "95", "60", "26", "93"];
    let r =
        store.record_vitals(&nurse, &set(stay, f, Some(Breathing::Air), Some(Consciousness::Alert)), now()).unwrap();
    assert_eq!(r.set.news2, Some(11));
    let alert = r.set.alert.clone().unwrap();
    assert!(alert.starts_with("NEWS2 11: high (emergency response)"), "{alert}");
    let pid = r.prompt_id.expect("a prompt");
    let open = store.open_prompts(stay).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (open[0].id, open[0].kind, open[0].source.as_str(), open[0].source_id),
        (pid, PromptKind::Notify, "vitals", r.set.id)
    );
    assert_eq!(open[0].why, alert);
    assert!(store.ward_open_prompts().unwrap().iter().any(|p| p.id == pid));
    assert_eq!(store.latest_vitals().unwrap().iter().find(|v| v.stay_id == stay).unwrap().alert, Some(alert));
    // The call closes it in the same transaction.
    let call = NewCall {
        stay_id: stay,
        provider: "Dr Patel".into(),
        called_at: at(1),
        reason: "S: NEWS2 11".into(),
        response: "coming to see; repeat vitals in 30 min".into(),
        new_order: None,
        answers: vec![pid],
    };
    let cid = store.record_call(&nurse, &call, now()).unwrap();
    assert!(store.open_prompts(stay).unwrap().is_empty());
    let (closed_by_call, by): (Option<i64>, Option<i64>) = store
        .raw_connection()
        .query_row("SELECT call_id, closed_by FROM clinical_prompt WHERE id = ?1", [pid], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((closed_by_call, by), (Some(cid), Some(nurse.id)));
    let calls = store.calls_between(stay, at(60), now()).unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!((calls[0].provider.as_str(), calls[0].by.as_str()), ("Dr Patel", "Sam Okafor, RN"));
    // A second call cannot close it again.
    let e = store.record_call(&nurse, &call, now()).unwrap_err();
    assert!(e.to_string().contains("already closed"), "{e}");
    assert_eq!(store.calls_between(stay, at(60), now()).unwrap().len(), 1, "the refused call left nothing");
    assert!(store.verify().unwrap().ok());
}

#[test]
fn an_incomplete_set_with_a_three_still_prompts() {
    let (_d, mut store, nurse, _, stay) = ward();
    let r = store.record_vitals(&nurse, &set(stay, ["", "", "", "", "7", ""], None, None), now()).unwrap();
    assert_eq!(r.set.news2, None);
    assert!(r.set.alert.as_deref().unwrap().contains("respiration rate"), "{:?}", r.set.alert);
    assert!(r.prompt_id.is_some());
}

#[test]
fn dismissing_a_prompt_needs_a_reason_and_is_final() {
    let (_d, mut store, nurse, _, stay) = ward();
    let f = ["", "135", "", "", "", ""];
    let pid = store.record_vitals(&nurse, &set(stay, f, None, None), now()).unwrap().prompt_id.unwrap();
    let e = store.dismiss_prompt(&nurse, pid, "   ", now()).unwrap_err();
    assert!(e.to_string().contains("Reason for dismissing is required"), "{e}");
    assert_eq!(store.open_prompts(stay).unwrap().len(), 1);
    store.dismiss_prompt(&nurse, pid, "rechecked: HR 88 at rest, artefact", now()).unwrap();
    assert!(store.open_prompts(stay).unwrap().is_empty());
    assert!(store.dismiss_prompt(&nurse, pid, "again", now()).unwrap_err().to_string().contains("already closed"));
}

#[test]
fn the_units_thresholds_replace_news2_when_it_chooses_them() {
    let (_d, mut store, nurse, admin, stay) = ward();
    assert_eq!(store.vitals_settings().unwrap().policy, Policy::News2 { notify_at: 5 });
    assert!(store.set_vitals_alerts(&admin, true, now()).unwrap_err().to_string().contains("thresholds first"));
    assert!(store.set_news2_notify_at(&nurse, 3, now()).is_err(), "a nurse does not configure the unit");
    let t = Thresholds::from_json(r#"{"hr_above":120,"sbp_below":90}"#).unwrap();
    store.set_vitals_thresholds(&admin, &t, now()).unwrap();
    store.set_vitals_alerts(&admin, true, now()).unwrap();
    assert_eq!(store.vitals_settings().unwrap().policy, Policy::Thresholds(t));
    // HR 125 alone: the unit's limit, not NEWS2.
    let r = store.record_vitals(&nurse, &set(stay, ["", "125", "", "", "", ""], None, None), now()).unwrap();
    assert_eq!(r.set.alert.as_deref(), Some("outside the unit's limits: HR 125 > 120"));
    // Under the thresholds, RR 7 (NEWS2 3) is inside every limit the unit set.
    let r = store.record_vitals(&nurse, &set(stay, ["", "", "", "", "7", ""], None, None), now()).unwrap();
    assert_eq!(r.set.alert, None);
    store.set_vitals_alerts(&admin, false, now()).unwrap();
    store.set_news2_notify_at(&admin, 3, now()).unwrap();
    store.set_naloxone_vitals(&admin, 10, 60, now()).unwrap();
    let s = store.vitals_settings().unwrap();
    assert_eq!(s.policy, Policy::News2 { notify_at: 3 });
    assert_eq!((s.follow_up.naloxone_vitals_every_min, s.follow_up.naloxone_vitals_for_min), (10, 60));
    assert!(store.set_naloxone_vitals(&admin, 30, 10, now()).is_err());
}

fn event(stay: i64, kind: EventKind) -> NewEvent {
    NewEvent {
        stay_id: stay,
        kind,
        started_at: at(20),
        ended_at: Some(at(12)),
        actions: "stayed with patient, vitals".into(),
        called: "Dr Patel".into(),
        outcome: "awake, oriented".into(),
        naloxone: None,
    }
}

#[test]
fn an_emergency_sets_its_follow_ups() {
    let (_d, mut store, nurse, _, stay) = ward();
    let fall = store.record_event(&nurse, &event(stay, EventKind::Fall), now()).unwrap();
    assert_eq!(fall.follow_ups.len(), 1);
    assert_eq!(fall.follow_ups[0].why, "Morse Fall Scale after the fall");
    assert_eq!(fall.follow_ups[0].kind, PromptKind::FollowUp);
    assert_eq!(fall.follow_ups[0].due_at, Some(now()));
    let mut od = event(stay, EventKind::Overdose);
    od.naloxone =
        Some(Naloxone { dose: "4 mg".into(), route: "IN".into(), at: at(18), response: "RR 14 in 3 min".into() });
    let od = store.record_event(&nurse, &od, now()).unwrap();
    // The demo's defaults: every 15 minutes for 120 minutes from 08:42 (the first is past: due now).
    assert_eq!(od.follow_ups.len(), 8);
    assert_eq!(od.follow_ups[0].due_at, Some(now()));
    assert_eq!(od.follow_ups[1].due_at, Some(at(18) + Duration::minutes(30)));
    assert_eq!(od.event.naloxone.as_ref().unwrap().dose, "4 mg");
    assert_eq!(od.event.by, "Sam Okafor, RN");
    let evs = store.events_between(stay, at(60), now()).unwrap();
    assert_eq!(evs.iter().map(|e| e.kind).collect::<Vec<_>>(), vec![EventKind::Fall, EventKind::Overdose]);
    assert_eq!(store.open_prompts(stay).unwrap().len(), 9);
    // Naloxone on a fall: refused by the program, and by the database when bypassed.
    let mut bad = event(stay, EventKind::Fall);
    bad.naloxone = od.event.naloxone.clone();
    assert!(store.record_event(&nurse, &bad, now()).unwrap_err().to_string().contains("suspected overdose"));
    let r = store.raw_connection().execute(
        "INSERT INTO clinical_event (stay_id, kind, started_at, recorded_at, by_user, actions, called, outcome,
                                     naloxone_dose, naloxone_route, naloxone_at, naloxone_response)
         VALUES (?1, 'fall', ?2, ?2, ?3, 'a', 'b', 'c', '4 mg', 'IN', ?2, 'woke')",
        params![stay, "2026-11-25T08:50:00Z", nurse.id],
    );
    assert!(r.is_err(), "naloxone on a fall");
    assert!(store.verify().unwrap().ok());
}

#[test]
fn the_database_refuses_an_edit_a_delete_and_a_second_close() {
    let (_d, mut store, nurse, _, stay) = ward();
    let r = store.record_vitals(&nurse, &set(stay, ["", "135", "", "", "", ""], None, None), now()).unwrap();
    let pid = r.prompt_id.unwrap();
    let ev = store.record_event(&nurse, &event(stay, EventKind::Seizure), now()).unwrap();
    let call = NewCall {
        stay_id: stay,
        provider: "Dr Patel".into(),
        called_at: at(1),
        reason: "HR 135".into(),
        response: "ECG".into(),
        new_order: None,
        answers: vec![pid],
    };
    let cid = store.record_call(&nurse, &call, now()).unwrap();
    let conn = store.raw_connection();
    for sql in [
        format!("UPDATE vital_sign SET heart_rate = 80 WHERE id = {}", r.set.id),
        format!("DELETE FROM vital_sign WHERE id = {}", r.set.id),
        format!("UPDATE provider_call SET response = 'x' WHERE id = {cid}"),
        format!("DELETE FROM provider_call WHERE id = {cid}"),
        format!("UPDATE clinical_event SET outcome = 'x' WHERE id = {}", ev.event.id),
        format!("DELETE FROM clinical_event WHERE id = {}", ev.event.id),
        format!("UPDATE clinical_prompt SET dismiss_reason = 'x', call_id = NULL WHERE id = {pid}"),
        format!("DELETE FROM clinical_prompt WHERE id = {pid}"),
    ] {
        assert!(conn.execute(&sql, []).is_err(), "{sql}");
    }
    // An open prompt closed with neither a call nor a reason, or with both: refused.
    let other = store.record_vitals(&nurse, &set(stay, ["", "135", "", "", "", ""], None, None), now()).unwrap();
    let p2 = other.prompt_id.unwrap();
    let conn = store.raw_connection();
    let close = |call: Option<i64>, reason: Option<&str>| {
        conn.execute(
            "UPDATE clinical_prompt SET closed_at = ?1, closed_by = ?2, call_id = ?3, dismiss_reason = ?4 WHERE id = ?5",
            params!["2026-11-25T09:00:00Z", nurse.id, call, reason, p2],
        )
    };
    assert!(close(None, None).is_err(), "closed by nothing");
    assert!(close(Some(cid), Some("and a reason")).is_err(), "closed twice over");
    assert!(close(None, Some("ok")).is_ok());
    assert!(close(None, Some("again")).is_err(), "a closed prompt is final");
    // verify names an edited vital-sign set.
    conn.execute_batch("DROP TRIGGER vital_sign_no_update").unwrap();
    conn.execute("UPDATE vital_sign SET heart_rate = 80 WHERE id = ?1", [r.set.id]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("vital_sign {}", r.set.id))), "{v:?}");
    conn.execute("UPDATE vital_sign SET heart_rate = 135 WHERE id = ?1", [r.set.id]).unwrap();
    assert!(store.verify().unwrap().ok());
    // And an edited call, and an edited emergency.
    conn.execute_batch("DROP TRIGGER provider_call_no_update; DROP TRIGGER clinical_event_no_update").unwrap();
    conn.execute("UPDATE provider_call SET response = 'no answer' WHERE id = ?1", [cid]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("provider_call {cid}"))), "{v:?}");
    conn.execute("UPDATE provider_call SET response = 'ECG' WHERE id = ?1", [cid]).unwrap();
    conn.execute("UPDATE clinical_event SET outcome = 'x' WHERE id = ?1", [ev.event.id]).unwrap();
    let v = store.verify().unwrap();
    assert!(v.first_broken.as_deref().is_some_and(|b| b.contains(&format!("clinical_event {}", ev.event.id))), "{v:?}");
}

/// An emergency's follow-up is done by the record it asked for: vital signs close the naloxone
/// checks due by then (not the later ones), a Morse after the fall closes the Morse prompt; each
/// closed prompt says what closed it, and one not yet answered stays open.
#[test]
fn the_record_a_follow_up_asks_for_closes_it() {
    use wardterm::domain::morse::MORSE;
    use wardterm::domain::scale::Answers;
    use wardterm::domain::screen::{NewScreen, Occasion, ScreenAnswers};
    let (_d, mut store, nurse, _, stay) = ward();
    store.record_event(&nurse, &event(stay, EventKind::Fall), now()).unwrap();
    let mut od = event(stay, EventKind::Overdose);
    od.naloxone =
        Some(Naloxone { dose: "4 mg".into(), route: "IN".into(), at: at(18), response: "RR 14 in 3 min".into() });
    store.record_event(&nurse, &od, now()).unwrap();
    assert_eq!(store.open_prompts(stay).unwrap().len(), 9);
    // Vitals now answer the check due now; the next (12 minutes ahead) stays open.
    store.record_vitals(&nurse, &set(stay, CALM, Some(Breathing::Air), Some(Consciousness::Alert)), now()).unwrap();
    let open = store.open_prompts(stay).unwrap();
    assert_eq!(open.len(), 8, "{open:?}");
    assert!(open.iter().any(|p| p.why.starts_with("Morse")));
    assert!(open.iter().filter(|p| p.why.starts_with("vitals")).all(|p| p.due_at > Some(now())));
    // The Morse after the fall closes its prompt.
    let mut a = Answers::new(&MORSE);
    for i in 0..MORSE.items.len() {
        a.set(i, 0).unwrap();
    }
    a.set(0, 1).unwrap();
    let s = NewScreen {
        stay_id: stay,
        answers: ScreenAnswers::Morse(a),
        occasion: Occasion::AfterFall,
        taken_at: now(),
        with_assessment: None,
        comment: None,
    };
    store.record_screen(&nurse, &s, now()).unwrap();
    let open = store.open_prompts(stay).unwrap();
    assert_eq!(open.len(), 7);
    assert!(!open.iter().any(|p| p.why.starts_with("Morse")));
    let reasons: Vec<String> = store
        .raw_connection()
        .prepare(
            "SELECT dismiss_reason FROM clinical_prompt
             WHERE stay_id = ?1 AND kind = 'follow-up' AND closed_at IS NOT NULL ORDER BY id",
        )
        .unwrap()
        .query_map([stay], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(reasons.len(), 2);
    assert!(
        reasons.iter().any(|r| r.starts_with("done: vital signs"))
            && reasons.iter().any(|r| r.starts_with("done: Morse"))
    );
}

/// A call names the order it gave only when that order is the patient's own.
#[test]
fn a_calls_new_order_is_the_patients_own() {
    let (_d, mut store, nurse, _, stay) = ward();
    let other = store.census().unwrap().iter().filter_map(|r| r.occupant.as_ref()).nth(1).unwrap().stay_id;
    let order_of = |store: &Store, s: i64| store.orders_of_stay(s).unwrap().first().map(|o| o.id);
    // The demo's second patient has a taper; bed 1 has none, so give it one by the order form.
    let form = wardterm::domain::orders::OrderForm {
        kind: "prn".into(),
        drug: "ondansetron".into(),
        dose: "4 mg".into(),
        route: "PO".into(),
        prn_indication: "nausea".into(),
        prescriber: "Dr. Patel".into(),
        ordered_at: "-5m".into(),
        mode: "telephone".into(),
        read_back: true,
        ..Default::default()
    };
    let order = wardterm::domain::orders::validate(&form, now(), chrono_tz::America::New_York).unwrap();
    store.enter_order(&nurse, stay, &order, now()).unwrap();
    let mine = order_of(&store, stay).unwrap();
    let theirs = order_of(&store, other).unwrap();
    let call = |new_order| NewCall {
        stay_id: stay,
        provider: "Dr Patel".into(),
        called_at: at(2),
        reason: "S: nausea, vomiting twice".into(),
        response: "ondansetron 4 mg PO PRN, read back".into(),
        new_order,
        answers: Vec::new(),
    };
    let e = store.record_call(&nurse, &call(Some(theirs)), now()).unwrap_err();
    assert!(e.to_string().contains("not this patient's"), "{e}");
    let id = store.record_call(&nurse, &call(Some(mine)), now()).unwrap();
    let linked: Option<i64> = store
        .raw_connection()
        .query_row("SELECT new_order FROM provider_call WHERE id = ?1", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(linked, Some(mine));
}
