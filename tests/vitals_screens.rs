//! Vital signs, the call to the provider and emergencies in the TUI (issue 17 points 3-5): `V`,
//! `C` and `E` from the census; every field empty is not measured; NEWS2 incomplete is said, never
//! scored; a breach's prompt is closed by the call; an emergency says the follow-ups it set.
mod common;

use common::app::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use wardterm::tui::app::App;

/// The front screen alone drawn into `w` x `h`.
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

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn stay_of(app: &App, bed: &str) -> i64 {
    app.model.board.rows.iter().find(|r| r.bed == bed).and_then(|r| r.occupant.as_ref()).map(|o| o.stay_id).unwrap()
}

/// On bed 1, `letter` from the census.
fn on_bed_1(app: &mut App, letter: char) {
    key(app, KeyCode::Home);
    key(app, KeyCode::Char(letter));
}

/// The entry form's fields, from the time taken: `[time, T, HR, SBP, DBP, RR, SpO2]`, then
/// `air` (Right once: air; twice: oxygen; 0 = left unchosen) and `acvpu` (Right count; 0 =
/// not measured).
fn fill(app: &mut App, f: [&str; 7], air: usize, acvpu: usize) {
    for v in f {
        typed(app, v);
        key(app, KeyCode::Tab);
    }
    for _ in 0..air {
        key(app, KeyCode::Right);
    }
    key(app, KeyCode::Tab);
    for _ in 0..acvpu {
        key(app, KeyCode::Right);
    }
    key(app, KeyCode::Tab);
}

#[test]
fn census_help_names_v_c_and_e() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('?'));
    let s = flat(&screen(&app));
    // The help overlay may page; the census's key table holds the line it lists.
    let rows = wardterm::tui::screens::census_keys::help(Some(wardterm::domain::user::Role::Nurse));
    assert!(rows.iter().any(|(keys, help)| keys.contains("V C E") && help.contains("call the provider")), "{rows:?}");
    assert!(s.contains("Keys: Census"), "{s}");
}

#[test]
fn entry_says_what_was_not_measured_and_never_scores_it() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    on_bed_1(&mut app, 'V');
    assert!(screen(&app).contains("vital signs (flowsheet"), "{}", screen(&app));
    key(&mut app, KeyCode::Char('n'));
    fill(&mut app, ["-5m", "37.1", "88", "128", "82", "16", "97"], 1, 0);
    let s = flat(&screen(&app));
    assert!(s.contains("NEWS2 incomplete: not measured consciousness"), "{s}");
    insta::assert_snapshot!("vitals_entry_incomplete", both(&app));
    // Consciousness chosen: the total, complete.
    key(&mut app, KeyCode::BackTab);
    key(&mut app, KeyCode::Right); // alert
    let s = flat(&screen(&app));
    assert!(s.contains("NEWS2 0: routine"), "{s}");
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: NEWS2 0"), "{s}");
    assert!(s.contains("Sam Okafor, RN"), "who took it is shown: {s}");
    let sheet = app.store.flowsheet(stay_of(&app, "1"), 10).unwrap();
    assert_eq!(sheet[0].news2, Some(0));
    insta::assert_snapshot!("vitals_flowsheet", both(&app));
}

#[test]
fn an_empty_set_and_a_typo_are_refused_with_words() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    on_bed_1(&mut app, 'V');
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "-5m");
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("No vital sign typed"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1000");
    assert!(flat(&screen(&app)).contains("Heart rate 1000/min is not plausible"), "{}", screen(&app));
    ctrl(&mut app, 's');
    assert!(app.store.flowsheet(stay_of(&app, "1"), 100).unwrap().iter().all(|v| v.vitals.heart_rate != Some(1000)));
    // Esc over typed work asks first; the second Esc discards it.
    key(&mut app, KeyCode::Esc);
    assert!(flat(&screen(&app)).contains("press Esc again to discard"), "{}", screen(&app));
    key(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("vital signs (flowsheet"), "{}", screen(&app));
}

#[test]
fn a_breach_prompts_and_the_call_closes_it() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = stay_of(&app, "1");
    on_bed_1(&mut app, 'V');
    key(&mut app, KeyCode::Char('n'));
    fill(&mut app, ["-5m", "38.6", "135", "95", "60", "26", "93"], 1, 1);
    assert!(flat(&screen(&app)).contains("prompts notify provider: NEWS2 11"), "{}", screen(&app));
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("prompt raised: notify provider"), "{s}");
    assert_eq!(app.store.open_prompts(stay).unwrap().len(), 1);
    key(&mut app, KeyCode::Esc);
    on_bed_1(&mut app, 'C');
    let s = flat(&screen(&app));
    assert!(s.contains("[ ]") && s.contains("* notify") && s.contains("NEWS2 11"), "{s}");
    key(&mut app, KeyCode::Char(' '));
    assert!(flat(&screen(&app)).contains("[x]"));
    insta::assert_snapshot!("prompts_open_ticked", both(&app));
    key(&mut app, KeyCode::Char('c'));
    let s = flat(&screen(&app));
    assert!(s.contains("S: NEWS2 11") && s.contains("Closes: NEWS2 11"), "the reason is suggested: {s}");
    typed(&mut app, "Dr Patel");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "-1m");
    insta::assert_snapshot!("call_form", both(&app));
    // Without the response: refused, nothing saved.
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("Response is required"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "coming to see; repeat vitals in 30 min");
    // The new order is never assumed: none is chosen until the nurse says.
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("New order: choose the order this call gave, or none"), "{}", screen(&app));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right);
    assert!(flat(&screen(&app)).contains("none on this call"), "{}", screen(&app));
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Call documented; 1 prompt closed by it."), "{s}");
    assert!(s.contains("No open prompt") && s.contains("Dr Patel") && s.contains("by Sam Okafor, RN"), "{s}");
    assert!(app.store.open_prompts(stay).unwrap().is_empty());
    insta::assert_snapshot!("prompts_after_call", both(&app));
}

#[test]
fn a_prompt_is_dismissed_only_with_a_reason() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = stay_of(&app, "1");
    on_bed_1(&mut app, 'V');
    key(&mut app, KeyCode::Char('n'));
    fill(&mut app, ["-5m", "", "135", "", "", "", ""], 0, 0);
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Esc);
    on_bed_1(&mut app, 'C');
    key(&mut app, KeyCode::Char('x'));
    key(&mut app, KeyCode::Enter);
    assert!(flat(&screen(&app)).contains("a prompt is dismissed only with one"), "{}", screen(&app));
    assert_eq!(app.store.open_prompts(stay).unwrap().len(), 1);
    typed(&mut app, "rechecked at rest: HR 84");
    key(&mut app, KeyCode::Enter);
    assert!(flat(&screen(&app)).contains("Prompt dismissed"), "{}", screen(&app));
    assert!(app.store.open_prompts(stay).unwrap().is_empty());
}

#[test]
fn an_overdose_with_naloxone_sets_vitals_follow_ups() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let stay = stay_of(&app, "1");
    on_bed_1(&mut app, 'E');
    assert!(screen(&app).contains("What happened?"), "{}", screen(&app));
    insta::assert_snapshot!("emergency_pick", both(&app));
    key(&mut app, KeyCode::Char('o'));
    for v in ["-20m", "-10m", "sternal rub, airway, naloxone, O2", "Dr Patel, rapid response", "awake, RR 14"] {
        typed(&mut app, v);
        key(&mut app, KeyCode::Tab);
    }
    // Naloxone given: not chosen; saving says so.
    ctrl(&mut app, 's');
    assert!(flat(&screen(&app)).contains("Naloxone given: choose yes or no"), "{}", screen(&app));
    key(&mut app, KeyCode::Right);
    key(&mut app, KeyCode::Right); // yes
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "4 mg");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Right); // IN
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "-18m");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "RR 14, rousable in 3 min");
    insta::assert_snapshot!("emergency_overdose_form", both(&app));
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: Suspected overdose") && s.contains("naloxone 4 mg IN"), "{s}");
    assert!(s.contains("Follow-ups set (8)") && s.contains("vitals after naloxone (1 of 8"), "{s}");
    insta::assert_snapshot!("emergency_saved", both(&app));
    assert_eq!(app.store.open_prompts(stay).unwrap().len(), 8);
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.model.screen, wardterm::tui::app::Screen::Census));
}

#[test]
fn a_fall_sets_a_morse_screen_and_naloxone_is_not_asked() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    on_bed_1(&mut app, 'E');
    key(&mut app, KeyCode::Char('f'));
    assert!(!screen(&app).contains("Naloxone"), "{}", screen(&app));
    for v in ["-10m", "", "helped up, checked for injury", "nobody", "no injury"] {
        typed(&mut app, v);
        key(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 's');
    let s = flat(&screen(&app));
    assert!(s.contains("Recorded: Fall") && s.contains("ended not ended / not known"), "{s}");
    assert!(s.contains("Morse Fall Scale after the fall"), "{s}");
}
