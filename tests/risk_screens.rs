//! The risk screens in the TUI (issue 16 points 2-5): C-SSRS, Morse, RASS, SOWS and PAWSS from the
//! census's `r`, a RASS or SOWS beside a saved withdrawal score, and every path through the
//! C-SSRS branching checked against the reference's rules written out here (REFERENCE.md §3a).
mod common;

use chrono::Duration;
use common::app::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use wardterm::domain::admission::{Arrival, Assessment, Search, Section, Test};
use wardterm::domain::cssrs::{Cssrs, Question, Triage};
use wardterm::domain::pawss::{Known, WithdrawalHistory};
use wardterm::domain::screen::{Occasion, ScreenKind};
use wardterm::tui::app::App;

/// The front screen alone drawn into `w` x `h` (the app itself asks for 80x24 at least; the
/// screen's own layout is checked at a small size too).
fn component_at(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let v = app.model.view();
        app.model.front().expect("a front screen").draw(f, f.area(), &v);
    })
    .unwrap();
    text(t.backend().buffer())
}

/// Both sizes in one snapshot.
fn both(app: &App) -> String {
    format!("{}\n---- 60x18 (the screen alone) ----\n{}", screen(app), component_at(app, 60, 18))
}

/// `r` on bed `n` (counted from the top), then the picker's letter; occasion "on admission",
/// time taken as typed.
fn open_on(app: &mut App, down: usize, letter: char, taken: &str) {
    key(app, KeyCode::Home);
    for _ in 0..down {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Char('r'));
    assert!(screen(app).contains("Which screen?"), "{}", screen(app));
    key(app, KeyCode::Char(letter));
    key(app, KeyCode::Right); // the first occasion: on admission
    key(app, KeyCode::Enter);
    typed(app, taken);
    key(app, KeyCode::Enter);
}

fn yn(app: &mut App, answers: &str) {
    for c in answers.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stay_of(app: &App, bed: &str) -> i64 {
    app.model.board.rows.iter().find(|r| r.bed == bed).and_then(|r| r.occupant.as_ref()).map(|o| o.stay_id).unwrap()
}

#[test]
fn cssrs_mid_way_shows_only_the_questions_asked_and_the_triage_so_far() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 0, 'c', "-5m");
    yn(&mut app, "yy"); // 1 yes, 2 yes: 3-5 are asked
    let s = screen(&app);
    assert!(s.contains("thought about how you might do this"), "{s}");
    assert!(flat(&s).contains("at least low risk so far"), "{s}");
    insta::assert_snapshot!("cssrs_mid_way", both(&app));
}

#[test]
fn cssrs_with_2_no_never_shows_questions_3_to_5() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 0, 'c', "-5m");
    let q3 = Question::Q3.text();
    let q4 = Question::Q4.text();
    assert!(!screen(&app).contains(q3));
    yn(&mut app, "n");
    assert!(!screen(&app).contains(q3));
    yn(&mut app, "n");
    for s in [screen(&app), component_at(&app, 60, 18)] {
        assert!(!s.contains(q3) && !s.contains(&q4[..30]) && !s.contains("thought about how"), "{s}");
    }
    yn(&mut app, "n"); // 6 no: complete
    let s = screen(&app);
    assert!(s.contains("no risk identified") && !s.contains(q3), "{s}");
    key(&mut app, KeyCode::Enter); // on the last question: save
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: C-SSRS no risk identified") && s.contains("Sam Okafor, RN"), "{s}");
    let rec = app.store.screens(stay_of(&app, "1"), Some(ScreenKind::Cssrs), 1).unwrap();
    assert_eq!(rec[0].result, "none");
    assert!(rec[0].items.iter().all(|(i, _)| !["q3", "q4", "q5"].contains(&i.as_str())), "{:?}", rec[0].items);
}

#[test]
fn changing_2_to_no_clears_3_to_5_and_says_so() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 0, 'c', "-5m");
    yn(&mut app, "yyyyy"); // 1-5 yes
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Up); // on question 2
    yn(&mut app, "n");
    let s = flat(&screen(&app));
    assert!(s.contains("Question(s) 3, 4, 5 no longer asked") && !s.contains("thought about how"), "{s}");
}

#[test]
fn cssrs_high_risk_goes_through_the_decision_and_applies_it() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = stay_of(&app, "1");
    open_on(&mut app, 0, 'c', "-5m");
    yn(&mut app, "yynyn"); // 1 yes, 2 yes, 3 no, 4 yes, 5 no
    yn(&mut app, "n"); // 6 no
    let s = screen(&app);
    assert!(s.contains("Triage: * high risk"), "{s}");
    key(&mut app, KeyCode::Enter); // save: the decision step first
    let s = screen(&app);
    assert!(s.contains("HIGH RISK") && s.contains("notify the provider") && s.contains("[ ] add the suicide"), "{s}");
    assert!(s.contains("unchanged (q15)") && s.contains("precautions now: seizure, fall"), "{s}");
    insta::assert_snapshot!("cssrs_high_risk_decision", both(&app));
    // Saving with nothing said is refused: who was notified, or why not.
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("say who was notified"), "{}", screen(&app));
    typed(&mut app, "Dr Patel 03:58");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Char(' ')); // tick the precaution
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right); // q60
    key(&mut app, KeyCode::Right); // q30
    key(&mut app, KeyCode::Right); // q15
    key(&mut app, KeyCode::Right); // 1:1
    assert!(screen(&app).contains("← 1:1 One-to-one"), "{}", screen(&app));
    key(&mut app, KeyCode::Enter); // save
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: * C-SSRS high risk") && s.contains("by Sam Okafor, RN"), "{s}");
    assert!(
        s.contains("provider notified: Dr Patel 03:58; suicide precaution added; observation set to 1:1 (was q15)"),
        "{s}"
    );
    let rec = app.store.screens(stay, Some(ScreenKind::Cssrs), 1).unwrap();
    assert_eq!(rec[0].result, "high");
    assert_eq!(rec[0].occasion, Occasion::Admission);
    let o = app.model.board.rows.iter().find_map(|r| r.occupant.as_ref().filter(|o| o.stay_id == stay)).unwrap();
    assert!(o.precautions.contains("suicide"), "{}", o.precautions);
    assert_eq!(o.observation, "1:1");
    let v = app.store.verify().unwrap();
    assert!(v.first_broken.is_none(), "{v:?}");
    // Nothing left unsaved; Esc goes back to the census.
    assert!(app.model.front().unwrap().unsaved().is_none());
    key(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("sorted by"), "{}", screen(&app));
}

#[test]
fn morse_items_points_total_and_the_units_band() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 0, 'm', "-5m");
    yn(&mut app, "2112"); // history yes 25, secondary no 0, aid none 0, IV yes 20
    let s = flat(&screen(&app));
    assert!(s.contains("Total so far 45: 2 item(s) unanswered"), "{s}");
    yn(&mut app, "21"); // gait weak 10, mental oriented 0
    let s = flat(&screen(&app));
    assert!(s.contains("Total 55/125 · high"), "{s}");
    assert!(s.contains("1 oriented to own ability (0 points)"), "{s}");
    insta::assert_snapshot!("morse", both(&app));
    // An option the item does not have is refused, nothing changed.
    key(&mut app, KeyCode::Char('9'));
    assert!(flat(&screen(&app)).contains("9 is not an option here"), "{}", screen(&app));
    key(&mut app, KeyCode::Enter);
    let rec = app.store.screens(stay_of(&app, "1"), Some(ScreenKind::Morse), 1).unwrap();
    assert_eq!((rec[0].total, rec[0].result.as_str()), (Some(55), "high"));
}

#[test]
fn rass_one_choice_of_ten_with_labels() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 0, 'r', "-5m");
    yn(&mut app, "-2");
    let s = screen(&app);
    assert!(s.contains("RASS -2 light sedation") && s.contains("+4 combative") && s.contains("-5 unarousable"), "{s}");
    insta::assert_snapshot!("rass", both(&app));
    yn(&mut app, "-7");
    assert!(flat(&screen(&app)).contains("-7 is not a RASS level"), "{}", screen(&app));
    ctrl(&mut app, 's');
    let rec = app.store.screens(stay_of(&app, "1"), Some(ScreenKind::Rass), 1).unwrap();
    assert_eq!((rec[0].total, rec[0].result.as_str()), (Some(-2), "light sedation"));
}

#[test]
fn sows_sixteen_patient_rated_items_total_of_64_and_no_bands() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 2, 'w', "-5m");
    yn(&mut app, "1234012340123401");
    let s = flat(&screen(&app));
    assert!(s.contains("Total 31/64 · no bands in the reference"), "{s}");
    insta::assert_snapshot!("sows", both(&app));
    key(&mut app, KeyCode::Char('5'));
    assert!(flat(&screen(&app)).contains("5 is not a score here"), "{}", screen(&app));
    key(&mut app, KeyCode::Enter);
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: SOWS 31/64") && s.contains("its own series"), "{s}");
    let footer = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(footer.contains("back") && !footer.contains("save"), "nothing is left to save: {footer}");
}

#[test]
fn pawss_shows_the_withdrawal_history_and_bal_beside_the_items_never_filled() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    // Bed 3: the demo's admission assessment in progress (the nurse's own draft, resumed here).
    let stay = stay_of(&app, "3");
    let me = app.store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let id = app.store.start_admission_assessment(&me, stay, now() - Duration::minutes(30)).unwrap();
    let body = Assessment {
        withdrawal: Section::Answered(WithdrawalHistory {
            prior_withdrawal: Known::Yes,
            seizures: Known::Yes,
            delirium_tremens: Known::No,
            treatment: Known::Unknown,
        }),
        arrival: Section::Answered(Arrival {
            bal: Test::Done { result: "BAL 210 mg/dL".into(), positive: true, at: now() - Duration::minutes(50) },
            uds: Test::NotDone { reason: "refused".into() },
            search: Search::NotDone { reason: "asleep".into() },
        }),
        ..Assessment::default()
    };
    app.store.save_admission_draft(&me, id, &body, now() - Duration::minutes(20)).unwrap();
    open_on(&mut app, 2, 'p', "-5m");
    let s = flat(&screen(&app));
    assert!(!s.contains("recently intoxicated"), "items are not asked before the gate: {s}");
    yn(&mut app, "y"); // alcohol in the past 30 days
    let s = flat(&screen(&app));
    assert!(s.contains("BAL recorded: BAL 210 mg/dL (positive) at 03:10; confirm"), "{s}");
    yn(&mut app, "p"); // BAL positive, as she confirms
    yn(&mut app, "yyy"); // items 1, 2, 3
    key(&mut app, KeyCode::Down); // item 5, seizures: the history says yes; the answer is hers
    let s = flat(&screen(&app));
    assert!(s.contains("suggested from withdrawal history (prior withdrawal seizures): yes; confirm"), "{s}");
    assert!(s.contains("admission assessment draft by Sam Okafor, RN"), "{s}");
    insta::assert_snapshot!("pawss_suggestion", both(&app));
    // Nothing was answered for her: 4 and 5 still open.
    assert!(s.contains("item(s) 4, 5, 6, 7, 8, 9, 10 not answered"), "{s}");
}

#[test]
fn pawss_gate_negative_is_not_applicable_never_0() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_on(&mut app, 0, 'p', "-5m");
    yn(&mut app, "nn"); // no alcohol in 30 days, BAL negative
    let s = flat(&screen(&app));
    assert!(s.contains("PAWSS not applicable") && s.contains("Items 1-10 not asked"), "{s}");
    assert!(!s.contains("recently intoxicated"), "{s}");
    insta::assert_snapshot!("pawss_not_applicable", both(&app));
    key(&mut app, KeyCode::Enter);
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: PAWSS not applicable"), "{s}");
    let rec = app.store.screens(stay_of(&app, "1"), Some(ScreenKind::Pawss), 1).unwrap();
    assert_eq!((rec[0].total, rec[0].result.as_str()), (None, "not applicable"));
}

#[test]
fn save_refuses_without_occasion_or_time_and_esc_asks_before_discarding() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Char('r'));
    key(&mut app, KeyCode::Char('r'));
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("Occasion: choose one with ←/→"), "{}", screen(&app));
    key(&mut app, KeyCode::Right);
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("Time taken"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(flat(&screen(&app)).contains("press Esc again to discard"), "{}", screen(&app));
    assert!(app.model.front().unwrap().unsaved().is_some());
    key(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("sorted by"), "{}", screen(&app));
}

#[test]
fn a_rass_saved_from_the_scoring_screen_links_to_the_assessment() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = stay_of(&app, "2");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter); // scoring, CIWA-Ar
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, "now");
    ctrl(&mut app, 'u');
    typed(&mut app, "s"); // sedated
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "sedated after PRN, rousable to voice");
    key(&mut app, KeyCode::Enter);
    let s = flat(&screen(&app));
    assert!(s.contains("unable to assess: record a RASS (r)"), "{s}");
    key(&mut app, KeyCode::Char('r'));
    let s = screen(&app);
    assert!(s.contains("Richmond Agitation-Sedation Scale") && s.contains("with CIWA-Ar: unable to assess"), "{s}");
    typed(&mut app, "-1m");
    key(&mut app, KeyCode::Enter);
    yn(&mut app, "-3");
    key(&mut app, KeyCode::Enter);
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: RASS -3 moderate sedation"), "{s}");
    let rec = app.store.screens(stay, Some(ScreenKind::Rass), 1).unwrap();
    assert_eq!(rec[0].occasion, Occasion::WithScore);
    let linked = rec[0].with_assessment.expect("linked to the assessment");
    let latest = &app.store.assessments_page(stay, None, 1).unwrap()[0];
    assert_eq!(linked, latest.id);
    assert_eq!(latest.unable_reason.as_deref(), Some("sedated"));
    // Back to the scoring screen it came from.
    key(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("CIWA-Ar"), "{}", screen(&app));
}

#[test]
fn a_sows_goes_beside_a_cows_only() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter); // CIWA-Ar
    key(&mut app, KeyCode::Char('s'));
    assert!(flat(&screen(&app)).contains("Save the score first"), "{}", screen(&app));
}

// ---- every path through the C-SSRS branching (REFERENCE.md §3a) ----

/// The reference's triage, written out again here from REFERENCE.md §3a: "low risk = yes to 1
/// or 2 only; moderate risk = yes to 3, or yes to 6 more than 3 months ago; high risk = yes to 4
/// or 5, or yes to 6 within the past 3 months". All no: no risk identified (TODO(clinical) in
/// `cssrs.rs`).
fn reference_triage(yes: &[(Question, bool)]) -> Triage {
    let y = |q: Question| yes.iter().any(|(x, a)| *x == q && *a);
    let answered = |q: Question| yes.iter().any(|(x, _)| *x == q);
    if y(Question::Q4) || y(Question::Q5) || (y(Question::Q6) && y(Question::Q6Recent)) {
        Triage::High
    } else if y(Question::Q3) || (y(Question::Q6) && answered(Question::Q6Recent) && !y(Question::Q6Recent)) {
        Triage::Moderate
    } else if y(Question::Q1) || y(Question::Q2) {
        Triage::Low
    } else {
        Triage::NoRiskIdentified
    }
}

/// Walk the branching as the screen does: ask `next()`, answer yes and no, until nothing is left.
fn walk(c: Cssrs, path: Vec<(Question, bool)>, out: &mut Vec<(Cssrs, Vec<(Question, bool)>)>) {
    match c.next() {
        None => out.push((c, path)),
        Some(q) => {
            for a in [true, false] {
                let mut next = c;
                next.set(q, Some(a));
                let mut p = path.clone();
                p.push((q, a));
                walk(next, p, out);
            }
        }
    }
}

#[test]
fn every_path_through_the_cssrs_branching_triages_by_the_reference() {
    let mut paths = Vec::new();
    walk(Cssrs::new(), Vec::new(), &mut paths);
    // 1 (2) x [2 no: 6 (no, or yes then 6b yes/no) = 3; 2 yes: 3-5 (8) x 3 = 24] = 54.
    assert_eq!(paths.len(), 54);
    for (c, path) in &paths {
        let asked: Vec<Question> = path.iter().map(|(q, _)| *q).collect();
        let q2 = path.iter().find(|(q, _)| *q == Question::Q2).map(|(_, a)| *a).unwrap();
        let q6 = path.iter().find(|(q, _)| *q == Question::Q6).map(|(_, a)| *a).unwrap();
        // The reference's branching: 1, 2 and 6 of everyone; 3-5 exactly when 2 is yes; 6b
        // exactly when 6 is yes; in order.
        let mut expect = vec![Question::Q1, Question::Q2];
        if q2 {
            expect.extend([Question::Q3, Question::Q4, Question::Q5]);
        }
        expect.push(Question::Q6);
        if q6 {
            expect.push(Question::Q6Recent);
        }
        assert_eq!(asked, expect, "{path:?}");
        assert_eq!(c.to_ask(), expect);
        assert_eq!(c.triage(), Ok(reference_triage(path)), "{path:?}");
    }
    let count = |t| paths.iter().filter(|(c, _)| c.triage() == Ok(t)).count();
    // By hand: none 1 (all no); low 3 (1 or 2 yes, 3-6 no); moderate: 3 yes with 4, 5 no and 6
    // not recent (2 x 3 = 6 ... q1 x {6 no, 6 earlier}) plus 6 earlier with no 3-5 yes (q1,q2
    // paths: 2 with 2 no + 2 with 2 yes = 4) = 2*2 + 4 = 8; high the rest.
    assert_eq!(count(Triage::NoRiskIdentified), 1);
    assert_eq!(count(Triage::Low), 3);
    assert_eq!(count(Triage::Moderate), 8);
    assert_eq!(count(Triage::High), 54 - 1 - 3 - 8);
}
