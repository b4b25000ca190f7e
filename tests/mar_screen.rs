//! The medication administration record in the TUI (issue 17, point 2; REFERENCE.md §9): the
//! census's `m` (one patient) and `M` (the ward's doses due), identity before a dose, hold values
//! before "given", a PRN given after a score, an order entered from the keys.
mod common;

use chrono::{Duration, TimeZone, Utc};
use common::app::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use wardterm::domain::assessment::{NewAssessment, Outcome as Scored};
use wardterm::domain::mar::Outcome;
use wardterm::domain::orders::{self, OrderForm, OrderMode};
use wardterm::domain::scale::Answers;
use wardterm::domain::scales;
use wardterm::domain::vitals::Vitals;
use wardterm::tui::app::App;

fn component_at(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let v = app.model.view();
        app.model.front().expect("a front screen").draw(f, f.area(), &v);
    })
    .unwrap();
    text(t.backend().buffer())
}

fn both(app: &App) -> String {
    format!("{}\n---- 60x18 (the screen alone) ----\n{}", screen(app), component_at(app, 60, 18))
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stay_of(app: &App, bed: &str) -> i64 {
    app.model.board.rows.iter().find(|r| r.bed == bed).and_then(|r| r.occupant.as_ref()).map(|o| o.stay_id).unwrap()
}

fn answers_for(total: u16) -> Answers {
    let scale = &scales::ciwa_ar::CIWA_AR;
    let mut a = Answers::new(scale);
    let mut left = total;
    for (i, item) in scale.items.iter().enumerate() {
        let pick = item.choices.iter().rev().find(|c| u16::from(c.score) <= left).map_or(0, |c| c.score);
        a.set_score(i, pick).unwrap();
        left -= u16::from(pick);
    }
    a
}

/// Bed 1 (Maria Delgado, born 1979-03-14) gets a symptom-triggered lorazepam PRN (CIWA-Ar >= 8,
/// q1h, max 4/24 h, hold if RASS <= -2) and chlordiazepoxide 25 mg PO q6h from 03:00 (hold if
/// RASS <= -2, RR < 12), and a CIWA-Ar 12 five minutes ago.
fn with_orders(app: &mut App) -> i64 {
    let stay = stay_of(app, "1");
    let me = app.model.me.clone().unwrap();
    let tz = tz();
    let prn = OrderForm {
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
        prescriber: "Dr. Patel".into(),
        ordered_at: "-3h".into(),
        mode: "written".into(),
        ..OrderForm::default()
    };
    let sched = OrderForm {
        kind: "scheduled".into(),
        drug: "chlordiazepoxide".into(),
        dose: "25 mg".into(),
        route: "PO".into(),
        every_hours: "6".into(),
        first_due_at: "2026-11-25 03:00".into(),
        hold_rass: "-2".into(),
        hold_rr: "12".into(),
        prescriber: "Dr. Patel".into(),
        ordered_at: "-3h".into(),
        mode: "telephone".into(),
        read_back: true,
        ..OrderForm::default()
    };
    for f in [prn, sched] {
        let o = orders::validate(&f, now(), tz).unwrap();
        app.store.enter_order(&me, stay, &o, now()).unwrap();
    }
    let a = NewAssessment {
        stay_id: stay,
        outcome: Scored::Scored(answers_for(12)),
        vitals: Vitals::default(),
        taken_at: now() - Duration::minutes(5),
        comment: None,
    };
    app.store.record_assessment(&me, &a, now() - Duration::minutes(4)).unwrap();
    stay
}

fn open_mar(app: &mut App) {
    key(app, KeyCode::Home);
    key(app, KeyCode::Char('m'));
    assert!(screen(app).contains("MAR"), "{}", screen(app));
}

fn clear(app: &mut App, n: usize) {
    for _ in 0..n {
        key(app, KeyCode::Backspace);
    }
}

#[test]
fn the_record_shows_orders_doses_due_and_prns_available() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    with_orders(&mut app);
    open_mar(&mut app);
    let s = flat(&screen(&app));
    assert!(s.contains("lorazepam 2 mg PO PRN alcohol withdrawal CIWA-Ar >= 8, q1h, max 4/24 h"), "{s}");
    assert!(s.contains("available now") && s.contains("last CIWA-Ar 12 at 03:55"), "{s}");
    // 03:00 EST is overdue at 04:00; 09:00 and 15:00 are later.
    assert!(s.contains("!03:00 overdue") && s.contains("09:00"), "{s}");
    assert!(s.contains("hold if RASS <= -2, RR < 12"), "{s}");
    insta::assert_snapshot!("mar_patient", both(&app));
}

#[test]
fn a_wrong_date_of_birth_is_refused_and_the_prn_given_after_ciwa_12_shows_its_reassessment() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = with_orders(&mut app);
    open_mar(&mut app);
    key(&mut app, KeyCode::Enter); // the PRN (first order): identity first
    assert!(screen(&app).contains("Identify the patient"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "maria delgado");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1979-03-15");
    key(&mut app, KeyCode::Enter);
    let s = flat(&screen(&app));
    assert!(s.contains("the date of birth does not match this patient's record"), "{s}");
    assert!(app.store.administrations(stay).unwrap().is_empty());
    clear(&mut app, 10);
    typed(&mut app, "1979-03-14");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Hold if RASS <= -2: type each value"), "{}", screen(&app));
    typed(&mut app, "0");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right); // given
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2 mg");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "PO");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("CIWA-Ar reassessment due 05:00"), "{s}");
    assert!(s.contains("reassess by 05:00") && s.contains("next at 05:00 (q1h)"), "{s}");
    let given = &app.store.administrations(stay).unwrap()[0];
    assert_eq!((given.outcome, given.trigger.map(|t| t.1)), (Outcome::Given, Some(Some(12))));
    assert_eq!(given.reassess_due_at, Some(now() + Duration::minutes(60)));
    insta::assert_snapshot!("mar_prn_given", both(&app));
    // The census: the ladder's 1 h after the 12 (04:55) is earlier than the PRN's 05:00, so
    // it stands (the PRN's due counts on the board: tests/meds_store.rs).
    key(&mut app, KeyCode::Esc);
    let row = screen(&app).lines().find(|l| l.starts_with("1 ")).unwrap().to_string();
    assert!(row.contains("04:55"), "{row}");
}

#[test]
fn a_scheduled_dose_with_rass_minus_3_is_held_unless_overridden() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = with_orders(&mut app);
    let mrn = app.model.board.rows[0].occupant.as_ref().unwrap().mrn.clone();
    open_mar(&mut app);
    key(&mut app, KeyCode::Down); // chlordiazepoxide, its 03:00 dose chosen
    let start = |app: &mut App| {
        key(app, KeyCode::Enter);
        typed(app, &mrn); // the scanner types the MRN, then Enter
        key(app, KeyCode::Enter);
        assert!(screen(app).contains("Hold if RASS <= -2, RR < 12"), "{}", screen(app));
        typed(app, "-3");
        key(app, KeyCode::Tab);
        typed(app, "16");
        key(app, KeyCode::Enter);
    };
    start(&mut app);
    let s = flat(&screen(&app));
    assert!(s.contains("RASS -3 (hold if <= -2): HOLD, unless given with an override reason"), "{s}");
    insta::assert_snapshot!("mar_hold_rass_minus_3", both(&app));
    // "Given" without an override is refused.
    key(&mut app, KeyCode::Right); // given
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "25 mg");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "PO");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("hold the dose, or give it with an override reason"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(app.store.administrations(stay).unwrap().is_empty());
    // Held: the reason is the value she typed, shown and kept.
    start(&mut app);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right); // held
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: chlordiazepoxide held: RASS -3 (hold if <= -2)"), "{s}");
    let held = &app.store.administrations(stay).unwrap()[0];
    assert_eq!((held.outcome, held.hold_values.rass), (Outcome::Held, Some(-3)));
    assert_eq!(held.due_at, Some(Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap()));
    assert_eq!(held.identity, wardterm::domain::mar::Identity::Wristband);
    assert!(!flat(&screen(&app)).contains("!03:00 overdue"), "{}", screen(&app));
}

#[test]
fn the_ward_due_list_puts_overdue_doses_first() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    with_orders(&mut app);
    key(&mut app, KeyCode::Char('M'));
    let s = flat(&screen(&app));
    // The demo's own overdue taper dose (bed 2) is listed too; Maria Delgado's 03:00 is overdue.
    assert!(s.contains("Doses due in the next hour ·") && s.contains("overdue"), "{s}");
    assert!(
        s.contains("!03:00 1h00 late") && s.contains("Maria Delgado") && s.contains("chlordiazepoxide 25 mg PO"),
        "{s}"
    );
    insta::assert_snapshot!("mar_ward_due", both(&app));
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Bed 1 · Maria Delgado · MRN"), "{}", screen(&app));
}

#[test]
fn p_on_the_census_opens_the_prn_orders_and_an_order_is_entered_from_the_keys() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = stay_of(&app, "1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('p'));
    assert!(flat(&screen(&app)).contains("No running PRN order for this patient"), "{}", screen(&app));
    key(&mut app, KeyCode::Char('o'));
    key(&mut app, KeyCode::Char('p'));
    assert!(screen(&app).contains("New PRN order"), "{}", screen(&app));
    for (text, then) in [
        ("lorazepam", KeyCode::Tab),
        ("1 mg", KeyCode::Tab),
        ("SL", KeyCode::Tab),
        ("alcohol withdrawal", KeyCode::Tab),
        ("c", KeyCode::Tab), // CIWA-Ar
        ("10", KeyCode::Tab),
        ("60", KeyCode::Tab),
        ("", KeyCode::Tab),
        ("RASS <= -2", KeyCode::Tab),
        ("", KeyCode::Tab),
        ("Dr. Patel", KeyCode::Tab),
        ("-10m", KeyCode::Tab),
        ("v", KeyCode::Tab), // verbal
        ("n", KeyCode::Tab), // not read back
    ] {
        typed(&mut app, text);
        key(&mut app, then);
    }
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("A verbal order is read back"), "{}", screen(&app));
    key(&mut app, KeyCode::BackTab); // on Read back
    typed(&mut app, "y");
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(
        s.contains("entered as written") && s.contains("lorazepam 1 mg SL PRN alcohol withdrawal CIWA-Ar >= 10"),
        "{s}"
    );
    let o = &app.store.orders_of_stay(stay).unwrap()[0];
    assert_eq!((o.mode, o.read_back, o.holds.rass_at_or_below), (OrderMode::Verbal, true, Some(-2)));
    assert_eq!(o.prn().unwrap().max_per_24h, None, "not typed, not filled in");
    // Discontinued with a reason: shown, and no dose is recorded against it.
    key(&mut app, KeyCode::Char('x'));
    typed(&mut app, "now");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "changed to a taper");
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Order discontinued.") && s.contains("changed to a taper"), "{s}");
    key(&mut app, KeyCode::Enter);
    assert!(flat(&screen(&app)).contains("This order is discontinued"), "{}", screen(&app));
}

#[test]
fn a_refusal_needs_no_hold_value_but_given_does() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = with_orders(&mut app);
    let mrn = app.model.board.rows[0].occupant.as_ref().unwrap().mrn.clone();
    open_mar(&mut app);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, &mrn);
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 's'); // no value measured: the patient refuses
    let s = flat(&screen(&app));
    assert!(s.contains("Not measured: the order holds on RASS, RR"), "{s}");
    key(&mut app, KeyCode::Right); // given
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "25 mg");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "PO");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("type the value before the dose"), "{}", screen(&app));
    key(&mut app, KeyCode::BackTab); // from the time to the route
    clear(&mut app, 2);
    key(&mut app, KeyCode::BackTab);
    clear(&mut app, 5);
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right); // given, held, refused
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: chlordiazepoxide refused at 04:00"), "{s}");
    assert_eq!(app.store.administrations(stay).unwrap()[0].outcome, Outcome::Refused);
}

#[test]
fn a_recorded_dose_is_corrected_by_a_new_entry_and_ctrl_p_on_the_score_opens_the_prns() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = with_orders(&mut app);
    let mrn = app.model.board.rows[0].occupant.as_ref().unwrap().mrn.clone();
    open_mar(&mut app);
    key(&mut app, KeyCode::Down); // chlordiazepoxide 03:00
    let identify = |app: &mut App| {
        key(app, KeyCode::Enter);
        typed(app, &mrn);
        key(app, KeyCode::Enter);
        typed(app, "0");
        key(app, KeyCode::Tab);
        typed(app, "16");
        key(app, KeyCode::Enter);
    };
    identify(&mut app);
    key(&mut app, KeyCode::Right); // given
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "25 mg");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "PO");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    let first = app.store.administrations(stay).unwrap()[0].id;
    // Enter on the recorded dose says how to correct it; c does, with a reason.
    key(&mut app, KeyCode::Left);
    key(&mut app, KeyCode::Enter);
    assert!(flat(&screen(&app)).contains("already recorded (given): c corrects it"), "{}", screen(&app));
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, &mrn);
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "0");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "16");
    key(&mut app, KeyCode::Enter);
    assert!(flat(&screen(&app)).contains(&format!("Corrects entry {first}")), "{}", screen(&app));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right); // omitted
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    typed(&mut app, "now");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "charted in error: the dose was not given");
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains(&format!("omitted: charted in error: the dose was not given [corrects entry {first}]")), "{s}");
    let all = app.store.administrations(stay).unwrap();
    assert_eq!((all.len(), all[1].corrects), (2, Some(first)));
    // The scoring screen's PRN key opens the record on the PRN orders.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'p');
    let s = screen(&app);
    assert!(s.lines().any(|l| l.starts_with("▶") && l.contains("lorazepam")), "{s}");
}
