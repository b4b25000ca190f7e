//! The downtime MAR (`wardterm mar --user NAME [--hours 24]`, issue 17 point 7): each patient's
//! orders as written, a grid of the doses from the start of the shift to the hours ahead with
//! what was given, held and refused as recorded and blank boxes for the doses to come, the 42
//! CFR Part 2 notice, 80 columns; the command signs in and audits like `handoff --user`.
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

use wardterm::demo;
use wardterm::domain::mar::{HoldValues, IdentityProof, NewAdministration, Outcome};
use wardterm::domain::orders::{Holds, NewOrder, OrderMode, PrnRule, Schedule, Step};
use wardterm::domain::shift::shift_at;
use wardterm::domain::ward::Ward;
use wardterm::report;
use wardterm::store::{OpenMode, Store};

fn tz() -> chrono_tz::Tz {
    chrono_tz::America::New_York
}

fn local(s: &str) -> DateTime<Utc> {
    wardterm::domain::time::parse_local("t", s, tz()).unwrap()
}

fn order(drug: &str, dose: &str, schedule: Schedule, holds: Holds, at: DateTime<Utc>) -> NewOrder {
    NewOrder {
        drug: drug.into(),
        dose: dose.into(),
        route: "PO".into(),
        schedule,
        holds,
        note: None,
        prescriber: "Dr. Patel".into(),
        ordered_at: at,
        mode: OrderMode::Written,
        read_back: false,
        replaces: None,
    }
}

fn dose(order_id: i64, due: &str, outcome: Outcome, at: &str, mrn: &str, rass: Option<i32>) -> NewAdministration {
    let given = outcome == Outcome::Given;
    NewAdministration {
        order_id,
        due_at: Some(local(due)),
        outcome,
        dose_given: given.then(|| "50 mg".into()),
        route: given.then(|| "PO".into()),
        at: local(at),
        proof: IdentityProof::Wristband(mrn.into()),
        hold_values: HoldValues { rass, ..HoldValues::default() },
        override_reason: None,
        reason: (outcome == Outcome::Held).then(|| "RASS -3, sedated; provider told".into()),
        corrects: None,
    }
}

/// The demo ward at 04:30 on a night shift (19:00-07:00). Bed 1 (Maria Delgado) has a
/// chlordiazepoxide taper from 22:00 (50 mg q6h x4, then 25 mg q6h x4; hold if RASS <= -2), a
/// thiamine 100 mg q6h from 20:00 and a lorazepam PRN (CIWA-Ar >= 8). The 22:00 taper dose was
/// given, the 20:00 thiamine refused, the 02:00 thiamine held; the 04:00 taper dose is late.
fn ward_with_orders() -> (TempDir, Store, DateTime<Utc>, String) {
    let now = local("2026-11-25 04:30");
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now - Duration::hours(12)).unwrap();
    let me = store.sign_in("nurse", "demo-nurse1", now).unwrap().unwrap();
    let bed1 = store.census().unwrap().into_iter().find(|r| r.bed == "1").unwrap().occupant.unwrap();
    let ordered = local("2026-11-24 19:30");
    let sedating = Holds { rass_at_or_below: Some(-2), ..Holds::default() };
    let steps = vec![
        Step { starts_at: local("2026-11-24 22:00"), dose: "50 mg".into(), every_hours: 6, doses: 4 },
        Step { starts_at: local("2026-11-25 22:00"), dose: "25 mg".into(), every_hours: 6, doses: 4 },
    ];
    let taper = order("chlordiazepoxide", "per steps", Schedule::Taper(steps), sedating, ordered);
    let thiamine = order(
        "thiamine",
        "100 mg",
        Schedule::Scheduled { every_hours: 6, first_due_at: local("2026-11-24 20:00"), ends_at: None },
        Holds::default(),
        ordered,
    );
    let prn = order(
        "lorazepam",
        "2 mg",
        Schedule::Prn(PrnRule {
            indication: "alcohol withdrawal".into(),
            trigger: Some(("ciwa-ar".into(), 8)),
            repeat_minutes: Some(60),
            max_per_24h: Some(4),
        }),
        sedating,
        ordered,
    );
    let at = local("2026-11-24 19:40");
    let taper = store.enter_order(&me, bed1.stay_id, &taper, at).unwrap();
    let thiamine = store.enter_order(&me, bed1.stay_id, &thiamine, at).unwrap();
    store.enter_order(&me, bed1.stay_id, &prn, at).unwrap();
    let mrn = bed1.mrn.clone();
    let record = |store: &mut Store, a: NewAdministration| store.record_administration(&me, &a, now).unwrap();
    record(&mut store, dose(taper, "2026-11-24 22:00", Outcome::Given, "2026-11-24 22:05", &mrn, Some(0)));
    record(&mut store, dose(thiamine, "2026-11-24 20:00", Outcome::Refused, "2026-11-24 20:10", &mrn, None));
    record(&mut store, dose(thiamine, "2026-11-25 02:00", Outcome::Held, "2026-11-25 02:03", &mrn, None));
    (dir, store, now, mrn)
}

fn render(store: &Store, now: DateTime<Utc>, hours: i64) -> String {
    let ward = Ward { name: "4 West".into(), tz: tz(), temp_unit: 'C', idle_lock_secs: 300, is_demo: true };
    let shift = shift_at(&store.shift_defs().unwrap(), now, tz()).unwrap();
    let rows = store.census().unwrap();
    let mars: Vec<_> = rows
        .iter()
        .filter_map(|r| r.occupant.as_ref().map(|o| (r.bed.as_str(), o, store.stay_mar(o.stay_id, now).unwrap())))
        .collect();
    let patients: Vec<_> = mars.iter().map(|(bed, o, m)| report::mar::Patient { bed, occupant: o, mar: m }).collect();
    report::mar::render(&ward, (shift.start, now + Duration::hours(hours)), &patients, now, "Sam Okafor, RN")
}

fn bed_block(paper: &str, bed: &str) -> String {
    let head = format!("BED {bed} - ");
    let mut lines = paper.lines().skip_while(|l| !l.starts_with(&head));
    let first = lines.next().unwrap_or_else(|| panic!("no {head:?} in:\n{paper}"));
    std::iter::once(first).chain(lines.take_while(|l| !l.starts_with("====="))).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_sheet_shows_what_was_given_held_and_refused_and_boxes_for_what_is_to_come() {
    let (_d, store, now, mrn) = ward_with_orders();
    let paper = render(&store, now, 24);
    for l in paper.lines() {
        assert!(l.width() <= 80, "{} columns: {l:?}\n{paper}", l.width());
    }
    assert!(paper.starts_with("MEDICATION ADMINISTRATION RECORD (DOWNTIME) - 4 West\n"), "{paper}");
    assert!(paper.contains("Doses due 2026-11-24 19:00 to 2026-11-26 04:30 (America/New_York), 33 h"), "{paper}");
    assert!(paper.contains("42 CFR part 2") && paper.trim_end().ends_with("42 CFR part 2."), "{paper}");
    let bed = bed_block(&paper, "1");
    // Two identifiers, then each order as written with its hold parameters and prescriber.
    assert!(bed.starts_with(&format!("BED 1 - Maria Delgado - DOB 1979-03-14 - MRN {mrn}")), "{bed}");
    assert!(bed.contains("1. chlordiazepoxide per steps PO taper, 2 steps"), "{bed}");
    assert!(bed.contains("HOLD IF RASS <= -2 | Dr. Patel, written 2026-11-24 19:30"), "{bed}");
    // The taper's doses, each step's own dose: given as recorded, late, boxes to come.
    assert!(bed.contains("22:00 50 mg GIVEN 22:05 SO"), "{bed}");
    assert!(bed.contains("04:00 50 mg LATE [__:__ _ ___]"), "{bed}");
    assert!(bed.contains("10:00 50 mg [__:__ _ ___]"), "{bed}");
    assert!(bed.contains("22:00 25 mg [__:__ _ ___]"), "{bed}");
    assert!(bed.contains("Tue 24 Nov") && bed.contains("Wed 25 Nov"), "{bed}");
    // Thiamine: refused at 20:00, held at 02:00 with the nurse's reason as a footnote.
    assert!(bed.contains("20:00 100 mg REFUSED 20:10 SO"), "{bed}");
    assert!(bed.contains("02:00 100 mg HELD 02:03 SO"), "{bed}");
    assert!(bed.contains("* Wed 02:00 held: RASS -3, sedated; provider told"), "{bed}");
    // The PRN: its rule, its state now, lines to write doses on.
    assert!(bed.contains("lorazepam 2 mg PO PRN alcohol withdrawal CIWA-Ar >= 8, q1h, max 4/24 h"), "{bed}");
    assert!(bed.contains("Now: "), "{bed}");
    assert!(bed.contains("[__:__] score ____ dose ________"), "{bed}");
    // Nothing after the window (04:30 tomorrow): the taper's 10:00 25 mg dose is not on it.
    assert!(bed.contains("Thu 26 Nov") && bed.contains("04:00 25 mg [__:__ _ ___]"), "{bed}");
    assert!(!bed.contains("10:00 25 mg"), "{bed}");
    insta::assert_snapshot!("mar_printout_bed_1", bed);
    // A patient without orders says so.
    assert!(bed_block(&paper, "3").contains("No medication orders."), "{paper}");
}

#[test]
fn a_shorter_window_prints_fewer_boxes() {
    let (_d, store, now, _) = ward_with_orders();
    let bed = bed_block(&render(&store, now, 4), "1");
    assert!(bed.contains("04:00 50 mg LATE"), "{bed}");
    assert!(!bed.contains("10:00 50 mg"), "{bed}");
}

#[test]
fn the_command_signs_in_prints_and_audits() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("w.db").to_string_lossy().into_owned();
    let run = |args: &[&str], pw: &str| {
        Command::new(env!("CARGO_BIN_EXE_wardterm"))
            .args(args)
            .env_remove("WARDTERM_DB")
            .env_remove("WARDTERM_USER")
            .env("WARDTERM_PASSWORD", pw)
            .output()
            .unwrap()
    };
    assert!(run(&["init", "--demo", "--db", &db], "").status.success());
    let o = run(&["mar", "--db", &db, "--user", "nurse", "--hours", "8"], "demo-nurse1");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.starts_with("MEDICATION ADMINISTRATION RECORD (DOWNTIME) - 4 West Detox\n"), "{text}");
    assert!(text.contains("by Sam Okafor, RN") && text.contains("42 CFR part 2"), "{text}");
    assert!(text.lines().all(|l| l.width() <= 80), "{text}");
    let wrong = run(&["mar", "--db", &db, "--user", "nurse"], "not-the-password");
    assert_eq!(wrong.status.code(), Some(1));
    let bad = run(&["mar", "--db", &db, "--user", "nurse", "--hours", "0"], "demo-nurse1");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--hours: between 1 and 72"));
    let store = Store::open(std::path::Path::new(&db), OpenMode::MustExist).unwrap();
    let printed: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM audit WHERE action = 'print.mar' AND detail LIKE '%, 8 h'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(printed, 1);
}
