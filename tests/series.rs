//! Each scale is its own series, everywhere (issue 14, points 1-3 and 9): the ladder, the census,
//! the handoff and the trend never mix CIWA-Ar, COWS and CIWA-B; what was saved is what the nurse
//! is told; step-down counts scheduled checks only. REFERENCE.md §1: "The ladder applies to one
//! scale's own scores only ... a patient scored on two scales has two schedules."
use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use tempfile::TempDir;

use wardterm::domain::assessment::{NewAssessment, Outcome};
use wardterm::domain::census::Due;
use wardterm::domain::handoff;
use wardterm::domain::protocol::{Charted, Entry, Prompt, Scored, default_ladder};
use wardterm::domain::scale::{Answers, Scale};
use wardterm::domain::scales;
use wardterm::domain::shift::{next_shift, shift_at};
use wardterm::domain::stay::AdmissionForm;
use wardterm::domain::user::Staff;
use wardterm::domain::vitals::Vitals;
use wardterm::store::{OpenMode, Store};

/// 04:00 in New York.
fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn at(min: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(min)
}

/// The demo ward, built once per test run and copied for each test (the property test makes
/// many wards).
fn template() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
        wardterm::demo::build(&mut store, t0() - Duration::days(3)).unwrap();
        drop(store); // closing the last connection checkpoints the WAL into the file
        dir
    })
    .path()
}

/// A copy of the demo ward with one more patient admitted at `t0` on CIWA-Ar.
fn ward() -> (TempDir, Store, Staff, i64) {
    let dir = TempDir::new().unwrap();
    std::fs::copy(template().join("w.db"), dir.path().join("w.db")).unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::MustExist).unwrap();
    let me = store.sign_in("charge", "demo-charge1", t0()).unwrap().unwrap();
    let bed = store.census().unwrap().iter().find(|r| r.occupant.is_none()).unwrap().bed_id;
    let adm = AdmissionForm {
        name: "Series Test".into(),
        birth_date: "1980-01-02".into(),
        sex: "F".into(),
        mrn: "S-1".into(),
        admitted_at: "now".into(),
        level_of_care: "3.7-WM".into(),
        substances: "alcohol, opioids".into(),
        last_use: "yesterday 22:00".into(),
        allergies: "NKDA".into(),
        precautions: "seizure".into(),
        attending: "Dr. Test".into(),
        code_status: "Full code".into(),
        protocol: "ciwa-ar".into(),
        observation: "q15".into(),
    }
    .validate(t0(), chrono_tz::America::New_York, &["3.7-WM".into()], &["q15".into()])
    .unwrap();
    let stay = store.admit(&me, bed, &adm, t0()).unwrap();
    (dir, store, me, stay)
}

/// Answers on `scale` adding up to exactly `total` (filled item by item, legal scores only).
fn answers_for(scale: &'static Scale, total: u16) -> Answers {
    let mut a = Answers::new(scale);
    let mut left = total;
    for (i, item) in scale.items.iter().enumerate() {
        let pick = item.choices.iter().rev().find(|c| u16::from(c.score) <= left).map_or(0, |c| c.score);
        a.set_score(i, pick).unwrap();
        left -= u16::from(pick);
    }
    assert_eq!(left, 0, "{} cannot make {total}", scale.name);
    a
}

fn score(store: &mut Store, me: &Staff, stay: i64, scale: &'static Scale, total: u16, min: i64) -> Charted {
    let a = NewAssessment {
        stay_id: stay,
        outcome: Outcome::Scored(answers_for(scale, total)),
        vitals: Vitals::default(),
        taken_at: at(min),
        comment: None,
    };
    store.record_assessment(me, &a, at(min) + Duration::minutes(1)).unwrap()
}

fn unable(store: &mut Store, me: &Staff, stay: i64, reason: &str, min: i64) -> Charted {
    let a = NewAssessment {
        stay_id: stay,
        outcome: Outcome::Unable { scale: "ciwa-ar".into(), reason: reason.into(), note: "tried".into() },
        vitals: Vitals::default(),
        taken_at: at(min),
        comment: None,
    };
    store.record_assessment(me, &a, at(min) + Duration::minutes(1)).unwrap()
}

const CIWA: &Scale = &scales::ciwa_ar::CIWA_AR;
const COWS: &Scale = &scales::cows::COWS;

#[test]
fn two_consecutive_ciwa_over_10_notify_across_a_cows_score() {
    let (_d, mut store, me, stay) = ward();
    score(&mut store, &me, stay, CIWA, 12, 10);
    score(&mut store, &me, stay, COWS, 2, 20);
    let c = score(&mut store, &me, stay, CIWA, 11, 70);
    assert!(c.due.prompts.contains(&Prompt::NotifyProvider), "{:?}", c.due);
}

#[test]
fn a_cows_score_over_10_never_counts_in_a_ciwa_run() {
    let (_d, mut store, me, stay) = ward();
    score(&mut store, &me, stay, COWS, 12, 10);
    let c = score(&mut store, &me, stay, CIWA, 11, 20);
    assert!(!c.due.prompts.contains(&Prompt::NotifyProvider), "{:?}", c.due);
}

#[test]
fn a_cows_score_leaves_the_ciwa_schedule_on_the_board() {
    let (_d, mut store, me, stay) = ward();
    let ciwa = score(&mut store, &me, stay, CIWA, 18, 10);
    assert_eq!(ciwa.due.at, at(70), "CIWA-Ar 18: reassess in 1 h");
    score(&mut store, &me, stay, COWS, 2, 20);
    let board = store.census().unwrap();
    let o = board.iter().filter_map(|r| r.occupant.as_ref()).find(|o| o.stay_id == stay).unwrap();
    assert_eq!(o.series.len(), 2, "one series per scale");
    let first = &o.series[0];
    assert_eq!(first.last.scale, "ciwa-ar", "the earlier due first");
    assert_eq!(first.due_at(), Some(at(70)));
    assert!(first.prompts.contains("PRN per order"), "{}", first.prompts);
    assert_eq!(o.due_at(), Some(at(70)));
    assert_eq!(o.due(at(30)), Due::DueIn(Duration::minutes(40)));
    let cows = &o.series[1];
    assert_eq!((cows.last.scale.as_str(), cows.last.total), ("cows", Some(2)));
}

#[test]
fn a_cows_score_does_not_step_ciwa_down() {
    let (_d, mut store, me, stay) = ward();
    score(&mut store, &me, stay, CIWA, 5, 0);
    score(&mut store, &me, stay, COWS, 3, 120);
    let c = score(&mut store, &me, stay, CIWA, 4, 240);
    assert_eq!(c.due.interval_minutes, 120, "{:?}", c.due);
}

#[test]
fn the_handoff_trend_never_mixes_scales() {
    let (_d, mut store, me, stay) = ward();
    score(&mut store, &me, stay, CIWA, 12, 10);
    score(&mut store, &me, stay, COWS, 3, 20);
    score(&mut store, &me, stay, CIWA, 11, 70);
    let tz = chrono_tz::America::New_York;
    let defs = store.shift_defs().unwrap();
    let now = at(90);
    let shift = shift_at(&defs, now, tz).unwrap();
    let next = next_shift(&defs, &shift, tz).unwrap();
    let records = store.ward_handoff_records(&shift, next.start, now, tz).unwrap();
    let r = records.iter().find(|r| r.stay_id == stay).unwrap();
    let h = handoff::build(r, &shift, now, tz);
    assert_eq!(h.trend, "CIWA-Ar 12 → 11 · COWS 3");
    assert!(h.last.contains("CIWA-Ar 11") && h.last.contains("COWS 3"), "{}", h.last);
}

#[test]
fn quick_re_scores_do_not_step_down() {
    let (_d, mut store, me, stay) = ward();
    for m in [0, 10, 20, 30] {
        let c = score(&mut store, &me, stay, CIWA, 3, m);
        assert_eq!(c.due.interval_minutes, 120, "score at {m} min: {:?}", c.due);
    }
    // Three scheduled checks two hours apart do.
    score(&mut store, &me, stay, CIWA, 3, 150);
    let c = score(&mut store, &me, stay, CIWA, 3, 270);
    assert_eq!(c.due.interval_minutes, 240, "{:?}", c.due);
}

#[test]
fn unable_to_assess_breaks_a_run_and_delirium_notifies() {
    let (_d, mut store, me, stay) = ward();
    score(&mut store, &me, stay, CIWA, 3, 0);
    score(&mut store, &me, stay, CIWA, 3, 120);
    let u = unable(&mut store, &me, stay, "delirious", 200);
    assert!(u.due.prompts.contains(&Prompt::NotifyProvider), "{:?}", u.due);
    let asleep = unable(&mut store, &me, stay, "asleep", 230);
    assert!(!asleep.due.prompts.contains(&Prompt::NotifyProvider), "{:?}", asleep.due);
    let c = score(&mut store, &me, stay, CIWA, 3, 240);
    assert_eq!(c.due.interval_minutes, 120, "the run starts again: {:?}", c.due);
}

#[test]
fn a_late_entry_is_told_as_charted_and_labelled_superseded() {
    let (_d, mut store, me, stay) = ward();
    score(&mut store, &me, stay, CIWA, 12, 0);
    score(&mut store, &me, stay, CIWA, 3, 120);
    // Charted late: 11 at 01:00 after the 3 at 02:00 was already charted.
    let a = NewAssessment {
        stay_id: stay,
        outcome: Outcome::Scored(answers_for(CIWA, 11)),
        vitals: Vitals::default(),
        taken_at: at(60),
        comment: None,
    };
    let c = store.record_assessment(&me, &a, at(130)).unwrap();
    assert!(c.superseded);
    assert!(c.due.prompts.contains(&Prompt::NotifyProvider), "12 then 11: {:?}", c.due);
    let told = wardterm::domain::protocol::saved_summary(&c, at(130), chrono_tz::America::New_York);
    assert!(told[0].starts_with("Saved CIWA-Ar 11"), "{told:?}");
    assert!(told.iter().any(|l| l.contains("late entry")), "{told:?}");
    assert!(told.iter().any(|l| l.contains("Notify provider now")), "{told:?}");
    // The board still shows the latest-by-time score's schedule.
    let board = store.census().unwrap();
    let o = board.iter().filter_map(|r| r.occupant.as_ref()).find(|o| o.stay_id == stay).unwrap();
    assert_eq!(o.series[0].last.total, Some(3));
}

#[test]
fn the_database_refuses_a_total_above_the_scale_maximum_and_items_of_another_scale() {
    let (d, store, _me, stay) = ward();
    drop(store);
    let conn = rusqlite::Connection::open(d.path().join("w.db")).unwrap();
    let insert = |scale: &str, total: i64| {
        conn.execute(
            "INSERT INTO assessment (stay_id, scale, taken_at, recorded_at, by_user, total, band, severe, prompts)
             VALUES (?1, ?2, '2026-11-25T09:30:00Z', '2026-11-25T09:31:00Z', 1, ?3, 'x', 0, '')",
            rusqlite::params![stay, scale, total],
        )
    };
    let e = insert("cows", 49).unwrap_err().to_string();
    assert!(e.contains("above the scale"), "{e}");
    let e = insert("ciwa-ar", 68).unwrap_err().to_string();
    assert!(e.contains("above the scale"), "{e}");
    insert("ciwa-b", 80).unwrap();
    insert("cows", 48).unwrap();
    let id = conn.last_insert_rowid();
    let e = conn
        .execute(
            "INSERT INTO assessment_item (assessment_id, scale, item, score) VALUES (?1, 'ciwa-ar', 'tremor', 4)",
            [id],
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("its assessment's scale"), "{e}");
    conn.execute(
        "INSERT INTO assessment_item (assessment_id, scale, item, score) VALUES (?1, 'cows', 'tremor', 4)",
        [id],
    )
    .unwrap();
}

/// One interleaved history: (is CIWA-Ar, total, minutes since the previous entry).
fn steps() -> impl Strategy<Value = Vec<(bool, u16, i64)>> {
    prop::collection::vec((any::<bool>(), 0u16..25, 5i64..240), 1..10)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// For any interleaving of two scales' scores, what the store charts for a CIWA-Ar score
    /// equals the ladder's result on the CIWA-Ar scores alone.
    #[test]
    fn another_scale_never_changes_a_scales_charting(steps in steps()) {
        let (_d, mut store, me, stay) = ward();
        let ladder = default_ladder("ciwa-ar");
        let mut alone: Vec<Entry> = Vec::new();
        let mut t = 0;
        for (ciwa, total, gap) in steps {
            t += gap;
            if ciwa {
                let c = score(&mut store, &me, stay, CIWA, total.min(67), t);
                alone.push(Entry::Scored(Scored { at: at(t), total: total.min(67) }));
                let expected = ladder.chart(&alone, None).unwrap();
                prop_assert_eq!(c.due, expected);
            } else {
                score(&mut store, &me, stay, COWS, total.min(48), t);
            }
        }
    }
}

#[test]
fn a_ladder_is_refused_under_another_scale_naming_both() {
    let (_d, mut store, _me, _stay) = ward();
    let admin = store.sign_in("admin", "demo-admin1", t0()).unwrap().unwrap();
    let e = store.set_ladder(&admin, "cows", &default_ladder("ciwa-ar"), t0()).unwrap_err().to_string();
    assert!(e.contains("CIWA-Ar") && e.contains("COWS"), "{e}");
    store.set_ladder(&admin, "cows", &default_ladder("cows"), t0()).unwrap();
}

#[test]
fn every_rung_says_where_it_comes_from() {
    let (_d, store, _me, _stay) = ward();
    let text = store.config_text().unwrap();
    assert!(
        text.contains("20+: every 1 h; PRN per order; Notify provider now; Evaluate for higher level of care"),
        "{text}"
    );
    assert!(text.contains("[CCJM table (REFERENCE.md §1)]") && text.contains("[unit default]"), "{text}");
    let json = store.config_json().unwrap();
    let ladders: Vec<&serde_json::Value> =
        json["policies"].as_array().unwrap().iter().filter(|p| p["kind"] == "ladder").collect();
    assert_eq!(ladders.len(), 3);
    for l in ladders {
        for r in l["body"]["rungs"].as_array().unwrap() {
            assert!(r["source"].is_string() && r["prompts"].is_array(), "{r}");
        }
    }
}
