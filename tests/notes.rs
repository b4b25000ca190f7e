//! Progress notes in the store: drafts, signing, the database's refusal to change signed notes,
//! addenda, late entries, the timeline and full-text search.
use chrono::{DateTime, Duration, TimeZone, Utc};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::note::Format;
use wardterm::domain::stay::validate_discharge;
use wardterm::domain::user::Staff;
use wardterm::store::notes::{EntryKind, Filter};
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
    let c = store.conn();
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
    assert!(note.is_late_entry());
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
    let raw = store.conn().execute(
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
            cursor = page.last().map(|e| (e.at, e.kind, e.id));
            all.extend(page);
        }
        all
    };
    let mut keys: Vec<_> = total.iter().map(|e| (e.kind, e.id)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), total.len(), "paging never repeats an entry");
    let assessments: i64 =
        store.conn().query_row("SELECT count(*) FROM assessment WHERE stay_id = ?1", [stay], |r| r.get(0)).unwrap();
    let prns: i64 =
        store.conn().query_row("SELECT count(*) FROM prn WHERE stay_id = ?1", [stay], |r| r.get(0)).unwrap();
    assert_eq!(total.len() as i64, assessments + prns + 1, "paging never drops an entry");
    let only_notes = store.timeline(stay, Filter::Notes, None, 50).unwrap();
    assert!(only_notes.iter().all(|e| e.kind == EntryKind::Note));
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
    let ids = |v: Vec<wardterm::store::notes::Note>| v.into_iter().map(|n| n.id).collect::<Vec<_>>();

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
