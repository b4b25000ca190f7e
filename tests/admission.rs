//! The admission assessment screen (issue 16 point 1; REFERENCE.md §8): it opens after the
//! admission form and with `i` on the census, every section is answered or "not assessed" with a
//! reason, the draft survives, signing needs every section, a signed one is read with its addenda.
mod common;

use chrono::Duration;
use ratatui::crossterm::event::KeyCode;

use wardterm::domain::admission::{Section, SectionKey, Status};
use wardterm::domain::pawss::Known;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg, Screen};

use common::app::*;

/// Keys pressed so far in a test (to count what a whole assessment takes).
struct Counted<'a> {
    app: &'a mut App,
    keys: usize,
}

impl Counted<'_> {
    fn key(&mut self, code: KeyCode) {
        key(self.app, code);
        self.keys += 1;
    }
    fn typed(&mut self, s: &str) {
        typed(self.app, s);
        self.keys += s.chars().count();
    }
    fn ctrl(&mut self, c: char) {
        ctrl(self.app, c);
        self.keys += 1;
    }
    /// Type a field and go on to the next one.
    fn field(&mut self, s: &str) {
        self.typed(s);
        self.key(KeyCode::Enter);
    }
}

/// The front screen is the admission assessment.
fn on_assessment(app: &App) -> bool {
    matches!(&app.model.screen, Screen::Other(_)) && screen(app).contains("Admission assessment ·")
}

/// Admit a new patient to the first empty bed through the admission form (charge nurse), which
/// opens the admission assessment for the new stay. Returns the new stay's id.
fn admit(app: &mut App) -> i64 {
    for _ in 0..30 {
        if app.model.census.current(&app.model.board).is_some_and(|r| r.occupant.is_none()) {
            break;
        }
        key(app, KeyCode::Down);
    }
    assert!(app.model.census.current(&app.model.board).is_some_and(|r| r.occupant.is_none()), "an empty bed");
    key(app, KeyCode::Char('a'));
    let fields: [&str; 14] = [
        "Test Patient",
        "1980-02-03",
        "f",
        "MRN-T-1",
        "-10m",
        "",
        "alcohol",
        "yesterday 22:00",
        "penicillin: hives",
        "fall",
        "Dr Who",
        "",
        "",
        "",
    ];
    for (i, v) in fields.iter().enumerate() {
        if v.is_empty() {
            key(app, KeyCode::Right);
        } else {
            typed(app, v);
        }
        if i < 13 {
            key(app, KeyCode::Tab);
        }
    }
    key(app, KeyCode::Enter);
    assert!(on_assessment(app), "{}", screen(app));
    app.model
        .board
        .rows
        .iter()
        .find_map(|r| r.occupant.as_ref().filter(|o| o.name == "Test Patient").map(|o| o.stay_id))
        .expect("the new stay")
}

/// The front screen drawn alone at `w` x `h` (the app asks for 80x24 before it shows patient
/// data; the screen itself must still lay out, and be usable, when given less).
fn component_at(app: &App, w: u16, h: u16) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use wardterm::tui::component::View;
    let m = &app.model;
    let view = View {
        now: m.now,
        tz: m.tz(),
        me: m.me.as_ref(),
        ward: m.ward.as_ref(),
        board: &m.board,
        late_entry: m.late_entry,
    };
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let c = m.screen.component().expect("a component in front");
    t.draw(|f| c.draw(f, f.area(), &view)).unwrap();
    text(t.backend().buffer())
}

/// Fill the substance section: alcohol and nicotine, one row each. Ends on the next section.
fn fill_substances(k: &mut Counted<'_>) {
    for v in ["alcohol", "oral", "1 L vodka daily", "yesterday 22:00", "15", "daily"] {
        k.field(v);
    }
    k.ctrl('a');
    for v in ["nicotine (cigarettes)", "smoked", "1 pack daily", "this morning", "16", "daily"] {
        k.field(v);
    }
    k.key(KeyCode::Enter); // past "no nicotine use", which a nicotine row makes moot
}

/// Fill the whole assessment through keys, psychiatric history "not assessed", and sign.
fn fill_and_sign(app: &mut App) -> usize {
    let mut k = Counted { app, keys: 0 };
    fill_substances(&mut k);
    // Withdrawal history: a letter answers and moves on.
    for c in ["y", "n", "u", "y"] {
        k.typed(c);
    }
    // Medical history.
    k.field("none");
    k.field("thiamine 100 mg daily");
    k.typed("a"); // pregnancy: not applicable
    k.field("penicillin: hives");
    // Psychiatric history: not assessed, and why.
    k.ctrl('n');
    k.field("too intoxicated to answer");
    // On arrival: BAL done, UDS not done, search done.
    k.typed("d");
    k.field("BrAC 0.12");
    k.typed("y");
    k.field("-20m");
    k.typed("n");
    k.field("unable to void");
    k.typed("d");
    k.field("Dana Reyes");
    k.field("-15m");
    k.field("none");
    k.ctrl('s');
    k.typed("demo-charge1");
    k.key(KeyCode::Enter);
    k.keys
}

#[test]
fn the_admission_form_opens_a_fresh_draft() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let stay = admit(&mut app);
    let s = screen(&app);
    assert!(s.contains("Substance use") && s.contains("not yet"), "{s}");
    let rec = app.store.admission_assessment(stay).unwrap().expect("a draft was started");
    assert!(!rec.signed());
    insta::assert_snapshot!("fresh_draft_80x24", s);
    insta::assert_snapshot!("fresh_draft_60x18", component_at(&app, 60, 18));
    // The app at 60x18 asks for a larger window and does not panic.
    assert!(screen_at(&app, 60, 18).contains("too small"));
}

#[test]
fn a_filled_section_shows_its_state_and_the_nicotine_rule() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    admit(&mut app);
    let mut k = Counted { app: &mut app, keys: 0 };
    for v in ["alcohol", "oral", "1 L vodka daily", "yesterday 22:00", "15", "daily"] {
        k.field(v);
    }
    let s = screen(&app);
    assert!(s.contains("nicotine not asked"), "the nicotine rule's message is shown: {s}");
    // "no nicotine use", marked with Space, answers it.
    key(&mut app, KeyCode::Char(' '));
    let s = screen(&app);
    assert!(!s.contains("nicotine not asked") && s.contains("answered"), "{s}");
    insta::assert_snapshot!("filled_section_80x24", s);
    insta::assert_snapshot!("filled_section_60x18", component_at(&app, 60, 18));
    // The allergies on the board are shown beside the allergies field, not copied in.
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::PageDown);
    let s = screen(&app);
    assert!(s.contains("on the board: penicillin: hives"), "{s}");
    assert!(s.contains("pregnancy status") && s.contains("◂ p/n/u, a n/a ▸"), "nothing chosen for her: {s}");
}

#[test]
fn a_whole_assessment_through_keys_is_signed_sealed_and_read_with_its_addendum() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let stay = admit(&mut app);
    let keys = fill_and_sign(&mut app);
    let s = screen(&app);
    assert!(s.contains("Signed: the admission assessment is part of the record"), "{s}");
    let rec = app.store.admission_assessment(stay).unwrap().unwrap();
    assert!(rec.signed());
    let body = &rec.original.body;
    assert_eq!(body.status(SectionKey::Psychiatric), Status::NotAssessed("too intoxicated to answer".into()));
    assert_eq!(body.incomplete(), vec![SectionKey::Psychiatric]);
    assert!(body.ready_to_sign().is_ok());
    assert!(app.store.verify().unwrap().ok(), "the signed assessment is sealed and the chain verifies");
    // A typical complete assessment (two substances, one section not assessed): the keys it took.
    println!("keys for a whole assessment, signing included: {keys}");
    assert!(keys < 400, "{keys}");

    // An addendum completes the psychiatric history: select it, a, fill, sign with why.
    for _ in 0..3 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('a'));
    let mut k = Counted { app: &mut app, keys: 0 };
    k.field("depression");
    k.typed("n");
    k.typed("y");
    k.field("none");
    k.ctrl('s');
    k.typed("patient able to answer now");
    k.key(KeyCode::Enter);
    k.typed("demo-charge1");
    k.key(KeyCode::Enter);
    let rec = app.store.admission_assessment(stay).unwrap().unwrap();
    assert_eq!(rec.addenda.len(), 1);
    assert!(rec.effective().incomplete().is_empty());
    assert!(app.store.verify().unwrap().ok());
    let s = screen(&app);
    assert!(s.contains("Addendum signed") && s.contains("from addendum 1 by Dana Reyes"), "{s}");
    assert!(s.contains("signed 2026-11-25 04:00") && s.contains("depression"), "{s}");
    insta::assert_snapshot!("signed_with_addendum_80x24", s);
    insta::assert_snapshot!("signed_with_addendum_60x18", component_at(&app, 60, 18));
    // Esc back to the census, and i opens it again to read.
    key(&mut app, KeyCode::Esc);
    assert!(!on_assessment(&app));
    key(&mut app, KeyCode::Char('i'));
    assert!(screen(&app).contains("signed 2026-11-25 04:00 by Dana Reyes"), "{}", screen(&app));
}

#[test]
fn the_draft_survives_a_crash_after_an_autosave_tick() {
    let (dir, mut app) = demo_app("charge", "demo-charge1");
    let stay = admit(&mut app);
    typed(&mut app, "alcohol");
    key(&mut app, KeyCode::PageDown);
    typed(&mut app, "yn");
    assert!(app.model.screen.component().unwrap().unsaved().is_some(), "Ctrl-C would ask");
    // A pause: the draft saves itself.
    app.update(Msg::Tick(now() + Duration::seconds(5)));
    // The app dies; another process opens the ward.
    let other = Store::open(&dir.path().join("w.db"), OpenMode::MustExist).unwrap();
    let rec = other.admission_assessment(stay).unwrap().unwrap();
    match &rec.original.body.substances {
        Section::Answered(s) => assert_eq!(s.rows[0].substance, "alcohol"),
        s => panic!("{s:?}"),
    }
    // Two of four withdrawal answers: not yet a section (nothing is chosen for her), and the
    // screen says so.
    assert!(rec.original.body.withdrawal.is_unanswered());
    // But what she chose is not lost to the crash: the draft keeps the form as typed, and a
    // terminal that resumes it has both answers (and still not the two she has not given).
    let resumed = wardterm::tui::screens::admission_sections::Draft::from_body(&rec.original.body, tz());
    assert_eq!(resumed.history[..2], [Some(Known::Yes), Some(Known::No)]);
    assert_eq!(resumed.history[2..], [None, None]);
    assert_eq!(resumed.rows[0].substance, "alcohol");
    assert!(screen(&app).contains("begun: 2 to choose"), "{}", screen(&app));
    // Resumed with i after Esc: the typed substance is there.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('i'));
    let s = screen(&app);
    assert!(s.contains("Resumed your draft") && s.contains("answered"), "{s}");
    key(&mut app, KeyCode::PageUp);
    assert!(screen(&app).contains("alcohol"), "{}", screen(&app));
}

#[test]
fn an_empty_section_blocks_signing_with_a_message() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let stay = admit(&mut app);
    let mut k = Counted { app: &mut app, keys: 0 };
    fill_substances(&mut k);
    ctrl(&mut app, 's');
    let s = screen(&app);
    assert!(s.contains("Not ready to sign") && s.contains("Withdrawal history: answer it or mark it not"), "{s}");
    assert!(!s.contains("Password"), "no password is asked for: {s}");
    assert!(!app.store.admission_assessment(stay).unwrap().unwrap().signed());
}

#[test]
fn another_nurses_draft_is_shown_read_only() {
    let (dir, mut app) = demo_app("charge", "demo-charge1");
    let stay = admit(&mut app);
    typed(&mut app, "alcohol");
    key(&mut app, KeyCode::Esc);
    let store = Store::open(&dir.path().join("w.db"), OpenMode::MustExist).unwrap();
    let mut nurse = app_on(store, "nurse", "demo-nurse1", now());
    for _ in 0..30 {
        if nurse
            .model
            .census
            .current(&nurse.model.board)
            .and_then(|r| r.occupant.as_ref())
            .is_some_and(|o| o.stay_id == stay)
        {
            break;
        }
        key(&mut nurse, KeyCode::Down);
    }
    key(&mut nurse, KeyCode::Char('i'));
    let s = screen(&nurse);
    assert!(s.contains("In progress by Dana Reyes") && s.contains("alcohol"), "{s}");
    typed(&mut nurse, "a");
    assert!(screen(&nurse).contains("Not signed yet"), "{}", screen(&nurse));
}
