//! The paper printouts (issue 20, point 11 "Printouts"): the round sheet shows the slots before a
//! patient's admission as such, not as missed; a checkbox never wraps away from its patient; the
//! audit printout never splits a word; the census printout shows each patient's observation
//! status and the open alerts. Each test renders a document from a demo ward (or a few
//! constructed rows) and reads the text as a nurse would.
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, TimeZone, Utc};
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

use wardterm::demo;
use wardterm::domain::plan::{Modality, Session};
use wardterm::domain::rounds::Answer;
use wardterm::domain::ward::Ward;
use wardterm::report;
use wardterm::store::audit::AuditRow;
use wardterm::store::{OpenMode, Store};

fn tz() -> chrono_tz::Tz {
    chrono_tz::America::New_York
}

fn local(s: &str) -> DateTime<Utc> {
    wardterm::domain::time::parse_local("t", s, tz()).unwrap()
}

/// A copy of a demo ward built at `at` (each built once per run, then copied).
fn demo_copy(at: DateTime<Utc>) -> (TempDir, Store) {
    type Built = Vec<(DateTime<Utc>, TempDir)>;
    static BUILT: OnceLock<Mutex<Built>> = OnceLock::new();
    let mut built = BUILT.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if !built.iter().any(|(t, _)| *t == at) {
        let dir = TempDir::new().unwrap();
        let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
        demo::build(&mut store, at).unwrap();
        drop(store);
        built.push((at, dir));
    }
    let from = built.iter().find(|(t, _)| *t == at).unwrap().1.path().join("w.db");
    let dir = TempDir::new().unwrap();
    std::fs::copy(from, dir.path().join("w.db")).unwrap();
    let store = Store::open(&dir.path().join("w.db"), OpenMode::MustExist).unwrap();
    (dir, store)
}

fn ward() -> Ward {
    Ward { name: "4 West".into(), tz: tz(), temp_unit: 'C', idle_lock_secs: 300, is_demo: false }
}

/// Every line within the paper's 80 columns.
fn fits(text: &str) {
    for l in text.lines() {
        assert!(l.width() <= 80, "{} columns: {l:?}\n{text}", l.width());
    }
}

/// The lines of the block that starts with the line starting `head`, up to the next line that
/// starts with `next` (or the end).
fn block<'a>(text: &'a str, head: &str, next: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(head));
    let first = lines.next().unwrap_or_else(|| panic!("no {head:?} in:\n{text}"));
    std::iter::once(first).chain(lines.take_while(|l| !l.starts_with(next))).collect()
}

/// A bed's lines on the census printout: its row (the bed in its 5 columns) to the next bed's.
fn bed_block<'a>(paper: &'a str, rows: &[wardterm::domain::census::CensusRow], bed: &str) -> Vec<&'a str> {
    let next = rows.iter().skip_while(|x| x.bed != bed).nth(1).map_or("====".to_string(), |x| format!("{:<5}", x.bed));
    block(paper, &format!("{bed:<5}"), &next)
}

fn flat(lines: &[&str]) -> String {
    lines.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

// ------------------------------------------------------------------------------ the round sheet

/// 15:59 on a day shift: bed 3 (Aisha Rahman) was admitted at 09:10 this shift. Her slots from
/// 07:00 to 09:00 were never owed a check: they say so, and are not "-- none --" (missed).
#[test]
fn the_round_sheet_shows_slots_before_admission_as_not_admitted_never_as_missed() {
    let now = local("2026-11-25 15:59");
    let (_d, store) = demo_copy(now);
    let ward = store.ward().unwrap().unwrap();
    let shift = store.observation_shift(now, tz());
    let stays = store.observation_stays(shift.start).unwrap();
    let alerts = store.open_obs_alerts().unwrap();
    let sheet = report::rounds::render(&ward, &shift, &stays, &alerts, now, "Dana Reyes, RN");
    fits(&sheet);
    let late = stays.iter().find(|s| shift.contains(s.levels[0].at)).expect("a patient admitted this shift");
    let admitted = late.levels[0].at;
    let clock = wardterm::domain::time::clock(admitted, tz());
    assert!(sheet.contains("not admitted = before the patient's admission"), "the legend says so:\n{sheet}");
    let b = block(&sheet, &format!("Bed {} · ", late.bed), "---");
    assert!(flat(&b).contains(&format!("admitted {clock}")), "the heading says when:\n{}", b.join("\n"));
    // Every grid row wholly before the admission hour: every slot "not admitted", none missed.
    let hour_of_admission = admitted.with_timezone(&tz()).format(" %H ").to_string();
    let before: Vec<&&str> =
        b.iter().skip_while(|l| !l.starts_with(" 07 ")).take_while(|l| !l.starts_with(&hour_of_admission)).collect();
    assert!(!before.is_empty(), "admitted after 08:00 in the demo: {clock}\n{}", b.join("\n"));
    for row in &before {
        assert!(!row.contains("-- none --"), "a slot before the admission shown as missed: {row:?}");
        assert_eq!(row.matches("not admitted").count(), 4, "q15: four slots an hour: {row:?}");
    }
    // The slot of the admission itself names it.
    let adm_row = b.iter().find(|l| l.starts_with(&hour_of_admission)).unwrap();
    assert!(adm_row.contains(&format!("admitted {clock}")), "{adm_row:?}");
    // A patient admitted before the shift has no such slot.
    let b1 = block(&sheet, "Bed 1 · ", "---");
    assert!(!flat(&b1).contains("admitted"), "{}", b1.join("\n"));
}

// ------------------------------------------------------------------------------ checkboxes

/// Labels long and short, so a list of them wraps at every place a line can end.
fn labels(stays: &[i64]) -> Vec<(i64, String)> {
    let names = [
        "Maria Delgado",
        "James O'Connor",
        "Aisha Rahman",
        "Tomás Herrera",
        "Linda Kowalski-Brennan",
        "Kevin Brooks",
        "Hannah Lee",
        "Robert Nakamura",
        "Yusuf Demir",
        "Grace Whitfield",
        "Daniel Sørensen",
        "Priya Shah",
        "Walter Greene",
        "Chen Jing",
        "Marcus Bell",
        "Olivia Martin",
    ];
    stays.iter().zip(names.iter().cycle()).enumerate().map(|(i, (s, n))| (*s, format!("{} {n}", i + 1))).collect()
}

fn assert_boxes_stay_with_their_patients(text: &str, patients: &[(i64, String)]) {
    for l in text.lines() {
        let t = l.trim_end();
        assert!(!t.ends_with(']') && !t.ends_with('['), "a box wrapped away from its patient: {l:?}\n{text}");
    }
    for (_, label) in patients {
        assert!(
            text.lines().any(|l| l.contains(&format!("] {label}"))),
            "{label:?} is not on one line with its box:\n{text}"
        );
    }
}

/// The schedule's attendance boxes, alone and inside the census printout: `[ ] 12 Grace
/// Whitfield` is one unit that never wraps apart, at the page's 80 columns; and the one wrapping
/// rule keeps them together at a narrow width too.
#[test]
fn an_attendance_checkbox_never_wraps_away_from_its_patient() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 19, 0, 0).unwrap();
    let stays: Vec<i64> = (1..=40).collect();
    let sessions = vec![
        Session {
            id: 1,
            starts_at: now,
            minutes: 60,
            modality: Modality::Group,
            title: "Relapse prevention".into(),
            facilitator: "J. Park, LCSW".into(),
            invited: None,
        },
        Session {
            id: 2,
            starts_at: now,
            minutes: 45,
            modality: Modality::Cbt,
            title: "Thought records".into(),
            facilitator: "J. Park, LCSW".into(),
            invited: Some(stays[3..20].to_vec()),
        },
    ];
    let w = ward();
    // Every offset of the list against the line end: drop 0..8 patients from the front.
    for skip in 0..8 {
        let patients = labels(&stays[skip..]);
        let section = report::schedule::section(&sessions, &patients, &HashMap::new(), now, &w);
        fits(&section);
        assert_boxes_stay_with_their_patients(&section, &patients);
        let paper = report::schedule::render(&w, &sessions, &patients, &HashMap::new(), now, "Dana Reyes, RN");
        assert_boxes_stay_with_their_patients(&paper, &patients);
    }
    // The same units through the one wrapping rule at a narrow page and the default one.
    let units: Vec<String> = labels(&stays).iter().map(|(_, l)| report::glued(&format!("[ ] {l}"))).collect();
    for width in [40, 80] {
        let lines = report::wrap(&units.join("; "), width);
        let text = lines.join("\n");
        assert!(lines.iter().all(|l| l.width() <= width), "{text}");
        assert_boxes_stay_with_their_patients(&text, &labels(&stays));
    }
}

/// The census printout carries today's schedule with its boxes (the demo ward's real one).
#[test]
fn the_census_printouts_schedule_keeps_each_box_with_its_bed() {
    let now = local("2026-11-25 14:00");
    let (_d, store) = demo_copy(now);
    let ward = store.ward().unwrap().unwrap();
    let (from, to) = wardterm::domain::plan::ward_day(now, tz());
    let sessions = store.sessions_between(from, to).unwrap();
    let marks = store.attendance_for(&sessions.iter().map(|s| s.id).collect::<Vec<_>>()).unwrap();
    let rows = store.census().unwrap();
    let patients: Vec<(i64, String)> =
        rows.iter().filter_map(|r| r.occupant.as_ref().map(|o| (o.stay_id, format!("{} {}", r.bed, o.name)))).collect();
    let section = report::schedule::section(&sessions, &patients, &marks, now, &ward);
    let obs = store.observation_board(now, tz()).unwrap();
    let census =
        report::census::render_with(&ward, &rows, &obs, &Default::default(), now, "Dana Reyes, RN", Some(&section));
    fits(&census);
    for l in census.lines() {
        assert!(!l.trim_end().ends_with(']'), "a box wrapped away from its patient: {l:?}\n{census}");
    }
    assert!(census.lines().any(|l| l.contains("[R] 3 Aisha Rahman")), "{census}");
}

/// The handoff sheet's action boxes start their line with the item's first word beside them.
#[test]
fn a_handoff_action_box_stays_with_its_item() {
    let now = local("2026-11-25 04:00");
    let (_d, mut store) = demo_copy(now);
    let ward = store.ward().unwrap().unwrap();
    let defs = store.shift_defs().unwrap();
    let w = wardterm::domain::shift::shift_at(&defs, now, tz()).unwrap();
    let next = wardterm::domain::shift::next_shift(&defs, &w, tz()).unwrap();
    let rows = store.census().unwrap();
    let stay = rows[0].occupant.as_ref().unwrap().stay_id;
    let nurse = store.sign_in("nurse", "demo-nurse1", now).unwrap().unwrap();
    // One item whose first word is longer than the rest of the line, one ordinary.
    let long = "Recheck-potassium-magnesium-phosphate-after-the-second-bag-of-fluids then call";
    store.add_action_item(&nurse, stay, long, "day RN", now + chrono::Duration::hours(3), now).unwrap();
    store.add_action_item(&nurse, stay, "Repeat BMP", "day RN", now + chrono::Duration::hours(2), now).unwrap();
    let records = store.ward_handoff_records(&w, next.start, now, tz()).unwrap();
    let patients: Vec<_> = records.iter().map(|r| wardterm::domain::handoff::build(r, &w, now, tz())).collect();
    let sheet = report::handoff::render(&ward, &w, &next, &patients, now, "Dana Reyes, RN");
    fits(&sheet);
    assert!(sheet.contains("[ ] "), "the demo has open actions:\n{sheet}");
    for l in sheet.lines() {
        if let Some(i) = l.find("[ ]") {
            assert!(l[i + 3..].trim().len() > 1, "a box alone: {l:?}\n{sheet}");
        }
    }
    assert!(sheet.contains("[ ] Repeat BMP (owner day RN"), "{sheet}");
    assert!(sheet.contains("[ ] Recheck-"), "{sheet}");
}

// ------------------------------------------------------------------------------ the audit trail

/// A long detail wraps on words under the columns: every word of it is printed whole, and the
/// time, user and action keep their columns on the first line.
#[test]
fn the_audit_printout_never_splits_a_word() {
    let detail = "Day shift from 2026-12-02T12:00:00Z · 16 beds printed for downtime; acknowledged \
                  PATIENT NOT FOUND alert: searched the unit, the chapel and the courtyard; security \
                  informed at 04:12 and the attending notified by telephone";
    let rows = vec![
        AuditRow {
            at: local("2026-11-25 04:10"),
            user: "charge".into(),
            action: "print.rounds".into(),
            patient: String::new(),
            detail: detail.into(),
        },
        AuditRow {
            at: local("2026-11-25 04:12"),
            user: "a-very-long-user-name-indeed".into(),
            action: "obs.alert.acknowledge".into(),
            patient: "Maria Delgado (D100200)".into(),
            detail: detail.into(),
        },
    ];
    let now = local("2026-11-25 05:00");
    let text = report::audit::render(&ward(), &rows, "patient any", now, "Dana Reyes, RN");
    fits(&text);
    let printed: Vec<&str> = text.split_whitespace().collect();
    for word in detail.split_whitespace().chain("Maria Delgado (D100200)".split_whitespace()) {
        assert!(printed.contains(&word), "{word:?} was split:\n{text}");
    }
    assert!(text.contains("\n2026-11-25 04:10 charge       print.rounds         Day shift from"), "{text}");
    let first = text.lines().find(|l| l.starts_with("2026-11-25 04:12")).unwrap();
    assert!(first.starts_with("2026-11-25 04:12 a-very-long-user-name-indeed obs.alert.acknowledge"), "{first:?}");
    let cont = text.lines().filter(|l| l.starts_with("    ")).count();
    assert!(cont >= 4, "the rest indented under the columns:\n{text}");
}

// ------------------------------------------------------------------------------ the census

/// 04:00: bed 1 (q15, last seen 03:52) is NOT FOUND on the round by Lee Park. The printed census
/// says so at the top, as the banner does, and on bed 1's observation line with when she was
/// last seen; every other patient's line says the level, when next due and the last check.
#[test]
fn the_census_printout_shows_observation_status_and_open_alerts() {
    let now = local("2026-11-25 04:00");
    let (_d, mut store) = demo_copy(now);
    let lpn = store.sign_in("lpn", "demo-lpn-01", now).unwrap().unwrap();
    let rows = store.census().unwrap();
    let stay = |bed: &str| rows.iter().find(|r| r.bed == bed).unwrap().occupant.as_ref().unwrap().stay_id;
    store.record_check(&lpn, stay("1"), Answer::NOT_FOUND, None, now).unwrap();
    let at = local("2026-11-25 04:02");
    let ward = store.ward().unwrap().unwrap();
    let rows = store.census().unwrap();
    let obs = store.observation_board(at, tz()).unwrap();
    let paper = report::census::render(&ward, &rows, &obs, &Default::default(), at, "Dana Reyes, RN");
    fits(&paper);
    let top = block(&paper, "CENSUS - ", "Bed  Patient");
    assert!(
        flat(&top).contains(
            "OPEN ALERTS (not yet acknowledged): 1 ! bed 1 Maria Delgado: PATIENT NOT FOUND at 04:00 by Lee Park, LPN"
        ),
        "{paper}"
    );
    let b1 = flat(&bed_block(&paper, &rows, "1"));
    assert!(
        b1.contains("Obs q15 next 04:07 · ! NOT FOUND at 04:00 by Lee Park, LPN · last seen 03:52 by"),
        "bed 1: {b1}"
    );
    // Every occupied bed has its observation line: level, next due (or continuous) and the last
    // check with who made it.
    for r in &rows {
        let Some(o) = &r.occupant else { continue };
        let b = flat(&bed_block(&paper, &rows, &r.bed));
        let head = format!("Obs {} ", o.observation);
        assert!(b.contains(&head), "bed {}: {b}", r.bed);
        assert!(
            b.contains(" checked ") || b.contains(" last seen ") || b.contains("no check yet"),
            "bed {}: {b}",
            r.bed
        );
    }
    // Acknowledged: the top list empties, but the bed stays marked until she is seen.
    let charge = store.sign_in("charge", "demo-charge1", at).unwrap().unwrap();
    let id = store.open_obs_alerts().unwrap()[0].check_id;
    store.acknowledge_alert(&charge, id, "Searched the unit; security told", at).unwrap();
    let obs = store.observation_board(at, tz()).unwrap();
    let paper = report::census::render(&ward, &rows, &obs, &Default::default(), at, "Dana Reyes, RN");
    assert!(!paper.contains("OPEN ALERTS"), "{paper}");
    assert!(flat(&bed_block(&paper, &rows, "1")).contains("! NOT FOUND at 04:00 by Lee Park, LPN"), "{paper}");
}

/// Two numbers never run together in the census row: PAWSS 5 and a CIWA-Ar of 18 once printed
/// "CIWA P518*"; and an overdue score keeps how long ("! OVERDU…" once).
#[test]
fn census_printout_columns_never_run_together_or_cut_the_overdue_time() {
    let now = local("2026-11-25 15:59");
    let (_d, store) = demo_copy(now);
    let ward = store.ward().unwrap().unwrap();
    let rows = store.census().unwrap();
    let obs = store.observation_board(now, tz()).unwrap();
    let paper = report::census::render(&ward, &rows, &obs, &Default::default(), now, "Dana Reyes, RN");
    fits(&paper);
    for r in &rows {
        let Some(o) = &r.occupant else { continue };
        let line = bed_block(&paper, &rows, &r.bed)[0];
        if let Some(p) = o.pawss.filter(|p| *p >= 4) {
            assert!(line.contains(&format!(" P{p} ")), "PAWSS {p} stands alone: {line:?}");
        }
        assert!(!line.contains('…') || !line.contains('!'), "{line:?}");
    }
    assert!(!paper.contains("OVERDU…"), "{paper}");
}
