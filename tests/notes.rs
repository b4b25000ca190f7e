//! Progress notes in the store: drafts, signing, the database's refusal to change signed notes,
//! addenda, late entries, the timeline and full-text search.
use chrono::{DateTime, Duration, TimeZone, Utc};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::note::{Format, LateEntryRule};
use wardterm::domain::stay::validate_discharge;
use wardterm::domain::timeline::{EntryKind, Filter};
use wardterm::domain::user::Staff;
use wardterm::store::{OpenMode, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn setup() -> (TempDir, Store, Staff, Staff, i64) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let lpn = store.sign_in("lpn", "demo-lpn-01", now()).unwrap().unwrap();
    let stay = store.census().unwrap()[0].occupant.as_ref().unwrap().stay_id;
    (dir, store, nurse, lpn, stay)
}

fn dap(data: &str) -> Vec<(String, String)> {
    vec![
        ("Data".into(), data.into()),
        ("Assessment".into(), "Withdrawal moderate; oriented x3.".into()),
        ("Plan".into(), "Reassess CIWA in 1 h; encourage fluids.".into()),
    ]
}

#[test]
fn a_draft_is_private_until_signed_then_final() {
    let (_d, mut store, nurse, lpn, stay) = setup();
    let id = store.start_note(&nurse, stay, Some(Format::Dap), None, now()).unwrap();
    store.save_draft(&nurse, id, &dap("Tremor at rest, diaphoretic, café au lait ☕ 震え"), now()).unwrap();
    assert!(store.note(&lpn, id).unwrap().is_none(), "another nurse cannot read a draft");
    assert!(store.save_draft(&lpn, id, &dap("x"), now()).is_err(), "nor save over it");
    assert_eq!(store.my_drafts(&nurse).unwrap().len(), 1);
    assert!(store.sign_note(&nurse, id, "wrong-password", now(), now()).is_err());
    assert!(store.sign_note(&nurse, id, "demo-nurse1", now() + Duration::hours(1), now()).is_err(), "future event");
    let signed = store.sign_note(&nurse, id, "demo-nurse1", now() - Duration::minutes(10), now()).unwrap();
    assert_eq!(signed.signed_by.as_deref(), Some("Sam Okafor, RN"));
    assert_eq!(signed.hash.as_ref().map(String::len), Some(64));
    assert!(store.note(&lpn, id).unwrap().is_some(), "signed notes are readable");
    assert!(store.my_drafts(&nurse).unwrap().is_empty());
    // The database refuses to change or delete it, whatever the Rust code does.
    let c = store.raw_connection();
    assert!(c.execute("UPDATE note SET sections = '[]' WHERE id = ?1", [id]).is_err());
    assert!(c.execute("DELETE FROM note WHERE id = ?1", [id]).is_err());
    assert!(store.save_draft(&nurse, id, &dap("changed"), now()).is_err());
}

#[test]
fn addenda_attach_to_the_original_and_late_entries_are_labelled() {
    let (_d, mut store, nurse, lpn, stay) = setup();
    let id = store.start_note(&nurse, stay, Some(Format::Soap), None, now()).unwrap();
    store.save_draft(&nurse, id, &[("Subjective".into(), "Reports nausea.".into())], now()).unwrap();
    // Written three hours after the event: a late entry, with both times kept.
    let note = store.sign_note(&nurse, id, "demo-nurse1", now() - Duration::hours(3), now()).unwrap();
    assert!(note.is_late_entry(store.late_entry_rule().unwrap()));
    assert_eq!(note.event_at, Some(now() - Duration::hours(3)));
    assert_eq!(note.signed_at, Some(now()));
    let add = store.start_note(&lpn, stay, None, Some(id), now()).unwrap();
    store.save_draft(&lpn, add, &[("Addendum".into(), "Correction: nausea without vomiting.".into())], now()).unwrap();
    store.sign_note(&lpn, add, "demo-lpn-01", now(), now()).unwrap();
    let addenda = store.addenda(id).unwrap();
    assert_eq!(addenda.len(), 1);
    assert_eq!(addenda[0].signed_by.as_deref(), Some("Lee Park, LPN"));
    // An addendum to an addendum is refused: by the store and by the database.
    assert!(store.start_note(&nurse, stay, None, Some(add), now()).is_err());
    let raw = store.raw_connection().execute(
        "INSERT INTO note (stay_id, kind, format, addendum_to, author, sections, started_at, saved_at)
         VALUES (?1, 'addendum', 'addendum', ?2, 1, '[]', 'x', 'x')",
        [stay, add],
    );
    assert!(raw.is_err());
}

#[test]
fn timeline_merges_notes_assessments_and_prns_in_time_order_and_pages() {
    let (_d, mut store, nurse, _lpn, stay) = setup();
    let id = store.start_note(&nurse, stay, Some(Format::Narrative), None, now()).unwrap();
    store.save_draft(&nurse, id, &[("Note".into(), "Resting, no complaints.".into())], now()).unwrap();
    store.sign_note(&nurse, id, "demo-nurse1", now(), now()).unwrap();
    let first = store.timeline(stay, Filter::All, None, 5).unwrap();
    assert_eq!(first[0].kind, EntryKind::Note, "the newest entry is the note just signed");
    assert!(first.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
    let total = {
        let mut all = Vec::new();
        let mut cursor = None;
        loop {
            let page = store.timeline(stay, Filter::All, cursor, 7).unwrap();
            if page.is_empty() {
                break;
            }
            cursor = page.last().map(|e| (e.order_at, e.kind, e.id));
            all.extend(page);
        }
        all
    };
    let mut keys: Vec<_> = total.iter().map(|e| (e.kind, e.id)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), total.len(), "paging never repeats an entry");
    let assessments: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM assessment WHERE stay_id = ?1", [stay], |r| r.get(0))
        .unwrap();
    let prns: i64 =
        store.raw_connection().query_row("SELECT count(*) FROM prn WHERE stay_id = ?1", [stay], |r| r.get(0)).unwrap();
    // Issue 16: every risk screen and the signed admission assessment (and addenda) too.
    let screens: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM screen WHERE stay_id = ?1", [stay], |r| r.get(0))
        .unwrap();
    let admission: i64 = store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM admission_assessment WHERE stay_id = ?1 AND signed_at IS NOT NULL",
            [stay],
            |r| r.get(0),
        )
        .unwrap();
    assert!(screens > 0 && admission > 0, "the demo stay has screens and an admission assessment");
    // Issue 17: orders and their stops, doses, vital signs, calls and emergencies too.
    let care: i64 = store
        .raw_connection()
        .query_row(
            "SELECT (SELECT count(*) FROM med_order WHERE stay_id = ?1)
                  + (SELECT count(*) FROM med_order_stop x JOIN med_order o ON o.id = x.order_id WHERE o.stay_id = ?1)
                  + (SELECT count(*) FROM med_admin WHERE stay_id = ?1)
                  + (SELECT count(*) FROM vital_sign WHERE stay_id = ?1)
                  + (SELECT count(*) FROM provider_call WHERE stay_id = ?1)
                  + (SELECT count(*) FROM clinical_event WHERE stay_id = ?1)",
            [stay],
            |r| r.get(0),
        )
        .unwrap();
    assert!(total.iter().any(|e| e.kind == EntryKind::Call), "the demo's call about a score is an entry");
    assert_eq!(total.len() as i64, assessments + prns + screens + admission + care + 1, "paging never drops an entry");
    assert!(total.iter().any(|e| e.kind == EntryKind::Screen && e.summary.starts_with("C-SSRS ")), "screens by name");
    let only_notes = store.timeline(stay, Filter::Notes, None, 50).unwrap();
    assert!(only_notes.iter().all(|e| matches!(e.kind, EntryKind::Note | EntryKind::Admission)));
}

#[test]
fn full_text_search_finds_signed_notes_only() {
    let (_d, mut store, nurse, _lpn, stay) = setup();
    let signed = store.start_note(&nurse, stay, Some(Format::Dap), None, now()).unwrap();
    store.save_draft(&nurse, signed, &dap("Coarse tremor, diaphoresis overnight."), now()).unwrap();
    store.sign_note(&nurse, signed, "demo-nurse1", now(), now()).unwrap();
    let draft = store.start_note(&nurse, stay, Some(Format::Dap), None, now()).unwrap();
    store.save_draft(&nurse, draft, &dap("Tremor again, private draft."), now()).unwrap();
    let hits = store.search_notes(stay, "tremor", 10).unwrap();
    assert_eq!(hits.iter().map(|n| n.id).collect::<Vec<_>>(), vec![signed]);
    assert_eq!(store.search_notes(stay, "DIAPHORESIS", 10).unwrap().len(), 1, "case-insensitive");
    assert!(store.search_notes(stay, "\" OR NEAR(", 10).is_ok(), "FTS syntax typed by a nurse is just text");
}

#[test]
fn ward_and_whole_record_searches_find_the_right_notes_newest_first() {
    let (_d, mut store, nurse, _lpn, first) = setup();
    let census = store.census().unwrap();
    let second = census.iter().filter_map(|r| r.occupant.as_ref()).map(|o| o.stay_id).find(|s| *s != first).unwrap();
    let sign = |store: &mut Store, stay: i64, text: &str, hours_ago: i64| {
        let id = store.start_note(&nurse, stay, Some(Format::Dap), None, now()).unwrap();
        store.save_draft(&nurse, id, &dap(text), now()).unwrap();
        store.sign_note(&nurse, id, "demo-nurse1", now() - Duration::hours(hours_ago), now()).unwrap();
        id
    };
    let older = sign(&mut store, first, "Brief myoclonus of the left arm.", 3);
    let newer = sign(&mut store, second, "Myoclonus again, settled.", 1);
    let draft = store.start_note(&nurse, first, Some(Format::Dap), None, now()).unwrap();
    store.save_draft(&nurse, draft, &dap("Myoclonus in a private draft."), now()).unwrap();
    let ids = |v: Vec<wardterm::domain::note::Note>| v.into_iter().map(|n| n.id).collect::<Vec<_>>();

    assert_eq!(ids(store.search_current_notes("myoclonus", 10).unwrap()), vec![newer, older]);
    assert_eq!(ids(store.search_current_notes("myoclonus", 1).unwrap()), vec![newer], "the limit holds");
    assert_eq!(ids(store.search_all_notes("myoclonus", 10).unwrap()), vec![newer, older]);
    assert!(store.search_current_notes("\" OR NEAR(", 10).is_ok(), "FTS syntax typed by a nurse is just text");
    assert!(store.search_all_notes("   ", 10).unwrap().is_empty());

    // Discharged: gone from the ward's search, still in the record's.
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let admitted = census.iter().filter_map(|r| r.occupant.as_ref()).find(|o| o.stay_id == second).unwrap().admitted_at;
    let tz = store.ward().unwrap().unwrap().tz;
    let d = validate_discharge("completed", "now", "outpatient follow-up", admitted, now(), tz).unwrap();
    store.discharge(&charge, second, &d, now()).unwrap();
    assert_eq!(ids(store.search_current_notes("myoclonus", 10).unwrap()), vec![older]);
    assert_eq!(ids(store.search_all_notes("myoclonus", 10).unwrap()), vec![newer, older]);
}

/// REFERENCE.md section 5: "late entry" is the unit's threshold, by default an entry signed more
/// than 15 minutes after its event; an admin changes it, audited, as a new policy version, and
/// the label follows at once.
#[test]
fn the_late_entry_label_follows_the_units_threshold_default_15_minutes() {
    let (_d, mut store, nurse, _lpn, stay) = setup();
    let sign = |store: &mut Store, minutes_late: i64| {
        let id = store.start_note(&nurse, stay, Some(Format::Narrative), None, now()).unwrap();
        store.save_draft(&nurse, id, &[("Note".into(), "Resting.".into())], now()).unwrap();
        store.sign_note(&nurse, id, "demo-nurse1", now() - Duration::minutes(minutes_late), now()).unwrap()
    };
    let on_time = sign(&mut store, 15);
    let late = sign(&mut store, 16);
    let rule = store.late_entry_rule().unwrap();
    assert_eq!(rule, LateEntryRule { after_minutes: 15 }, "the default of REFERENCE.md section 5");
    assert!(!on_time.is_late_entry(rule), "15 minutes is not more than 15");
    assert!(late.is_late_entry(rule), "16 minutes is");
    assert!(
        store
            .config_text()
            .unwrap()
            .contains("late entry       signed more than 15 minutes after the event (unit default")
    );

    let admin = store.sign_in("admin", "demo-admin1", now()).unwrap().unwrap();
    assert!(store.set_late_entry_rule(&nurse, LateEntryRule { after_minutes: 30 }, now()).is_err(), "admins only");
    assert_eq!(store.set_late_entry_rule(&admin, LateEntryRule { after_minutes: 10 }, now()).unwrap(), 1);
    let rule = store.late_entry_rule().unwrap();
    assert!(on_time.is_late_entry(rule), "15 minutes is late on a unit that says 10");
    let text = store.config_text().unwrap();
    assert!(text.contains("late entry       signed more than 10 minutes after the event v1 ("), "{text}");
    assert!(!text.contains("late-entry bands"), "shown once, as the threshold it is: {text}");
    let audited: i64 = store
        .raw_connection()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'config.policy' AND detail = 'late-entry bands v1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, 1);
    // A policy row this program did not write is refused, not read as the default.
    store
        .raw_connection()
        .execute(
            "INSERT INTO policy (scale, kind, version, body, created_at) VALUES ('late-entry', 'bands', 2, ?1, 'x')",
            [serde_json::to_string(&wardterm::domain::scale::default_bands("cows")).unwrap()],
        )
        .unwrap();
    let err = store.late_entry_rule().unwrap_err().to_string();
    assert!(err.contains("late-entry policy v2 is unreadable"), "{err}");
}

/// An addendum is never placed before the note it corrects, even when its event time is earlier
/// than the note's: newest first, it stands above its note.
#[test]
fn the_timeline_orders_an_addendum_after_the_note_it_corrects() {
    let (_d, mut store, nurse, lpn, stay) = setup();
    let id = store.start_note(&nurse, stay, Some(Format::Narrative), None, now()).unwrap();
    store.save_draft(&nurse, id, &[("Note".into(), "Ate breakfast.".into())], now()).unwrap();
    store.sign_note(&nurse, id, "demo-nurse1", now() - Duration::minutes(10), now() - Duration::minutes(5)).unwrap();
    // The correction is about something that happened before the note's event.
    let add = store.start_note(&lpn, stay, None, Some(id), now()).unwrap();
    store.save_draft(&lpn, add, &[("Addendum".into(), "Correction: vomited at 03:40.".into())], now()).unwrap();
    store.sign_note(&lpn, add, "demo-lpn-01", now() - Duration::minutes(20), now()).unwrap();
    let keys =
        |page: &[wardterm::domain::timeline::TimelineEntry]| page.iter().map(|e| (e.kind, e.id)).collect::<Vec<_>>();
    let all = store.timeline(stay, Filter::All, None, 50).unwrap();
    let pos = |k: EntryKind, i: i64| keys(&all).iter().position(|x| *x == (k, i)).unwrap();
    assert!(pos(EntryKind::Addendum, add) < pos(EntryKind::Note, id), "newest first, the addendum above its note");
    let shown = &all[pos(EntryKind::Addendum, add)];
    assert_eq!(shown.at, now() - Duration::minutes(20), "it still shows its own event time");
    assert_eq!(shown.order_at, now() - Duration::minutes(10), "ordered at its note's");
    let notes: Vec<_> = store.timeline(stay, Filter::Notes, None, 50).unwrap();
    let notes: Vec<_> = notes.into_iter().filter(|e| e.kind != EntryKind::Admission).collect();
    assert_eq!(keys(&notes), vec![(EntryKind::Addendum, add), (EntryKind::Note, id)]);
    // Paged one entry at a time, the same order and nothing twice or lost.
    let mut paged = Vec::new();
    let mut cursor = None;
    while let Some(e) = store.timeline(stay, Filter::All, cursor, 1).unwrap().pop() {
        cursor = Some((e.order_at, e.kind, e.id));
        paged.push(e);
        if paged.len() > all.len() {
            break;
        }
    }
    assert_eq!(keys(&paged), keys(&all));
}
