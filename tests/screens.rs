//! Whole-screen snapshots (insta) at 80x24 and other sizes, and style checks where colour carries
//! meaning. The app is driven through `update` with key messages, exactly as the terminal does.
mod common;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use tempfile::TempDir;

use wardterm::demo;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};

use common::app::*;

#[test]
fn census_80x24() {
    let (_d, app) = demo_app("charge", "demo-charge1");
    insta::assert_snapshot!(render(&app, 80, 24).backend());
}

#[test]
fn census_120x40_shows_more_columns() {
    let (_d, app) = demo_app("charge", "demo-charge1");
    let t = render(&app, 120, 40);
    let s = text(t.backend().buffer());
    assert!(s.contains("Precautions") && s.contains("Level"), "wider terminals show more columns:\n{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn small_terminal_shows_enlarge_message_and_no_patient() {
    let (_d, app) = demo_app("charge", "demo-charge1");
    let t = render(&app, 60, 20);
    let s = text(t.backend().buffer());
    assert!(!s.contains("Delgado"));
    insta::assert_snapshot!(t.backend());
}

#[test]
fn sign_in_on_a_demo_ward_shows_demo_accounts() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    let app = App::new(store, now()).unwrap();
    insta::assert_snapshot!(render(&app, 80, 24).backend());
}

#[test]
fn first_run_setup_on_an_empty_database() {
    let dir = TempDir::new().unwrap();
    let store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    let mut app = App::new(store, now()).unwrap();
    insta::assert_snapshot!("setup_empty", render(&app, 80, 24).backend());
    for (i, v) in
        ["3 East", "America/Chicago", "1-6", "F", "ortiz", "Ana Ortiz", "RN", "a-long-password", "a-long-password"]
            .iter()
            .enumerate()
    {
        typed(&mut app, v);
        if i < 8 {
            key(&mut app, KeyCode::Tab);
        }
    }
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Sign in") && s.contains("The ward is set up"), "{s}");
    let ward = app.store.ward().unwrap().unwrap();
    assert_eq!((ward.name.as_str(), ward.tz.name(), ward.temp_unit), ("3 East", "America/Chicago", 'F'));
    assert_eq!(app.store.beds().unwrap().len(), 6);
    // And the new charge nurse can sign in.
    typed(&mut app, "ortiz");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "a-long-password");
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Ana Ortiz, RN (charge nurse)") && s.contains("0/6 beds occupied"), "{s}");
}

#[test]
fn admit_form_refuses_an_impossible_date() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    // Bed 5 is the first empty bed of the demo ward.
    for _ in 0..4 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('a'));
    typed(&mut app, "Test Patient");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1980-02-30");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("Date of birth: \"1980-02-30\" is not a date"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Esc);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("nothing was saved"));
    assert!(!s.contains("Test Patient"));
}

#[test]
fn help_overlay_lists_census_keys_for_the_role() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('?'));
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("Keys: Census") && s.contains("Sort by bed"));
    assert!(!s.contains("Admit a patient"), "a nurse is not offered admission");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::Char('x'));
    assert!(!text(render(&app, 80, 24).backend().buffer()).contains("Keys: Census"));
}

#[test]
fn overdue_is_red_and_marked_in_text() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    // Sorted by due time, the overdue bed is on screen at 80x24 (the detail panel is taller
    // since the risk screens have their line).
    key(&mut app, KeyCode::Char('s'));
    let t = render(&app, 80, 24);
    let buf = t.backend().buffer();
    // The first "! " below the header row: an overdue due cell ("! 31m late", or "! 31m" at 80).
    let (x, y) = (4..buf.area.height)
        .find_map(|y| {
            let row: String = (0..buf.area.width).map(|c| buf[(c, y)].symbol().to_string()).collect();
            let chars: Vec<char> = row.chars().collect();
            let at = chars.windows(3).position(|w| w[0] == '!' && w[1] == ' ' && w[2].is_ascii_digit())?;
            row.starts_with(|c: char| c.is_ascii_digit()).then_some((at as u16, y))
        })
        .expect("an overdue row");
    // The cell text carries the marker "!", and the cell is red.
    let row: String = (0..80).map(|c| buf[(c, y)].symbol().to_string()).collect();
    assert!(row.contains("! "), "{row}");
    assert_eq!(buf[(x, y)].bg, Color::Red);
    // A due-later cell is not red.
    let (x2, y2) = find(buf, "at ").expect("a row due later");
    assert_ne!(buf[(x2, y2)].bg, Color::Red);
}

#[test]
fn severe_scores_are_marked_with_a_star_and_colour() {
    let (_d, app) = demo_app("charge", "demo-charge1");
    let t = render(&app, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "* ").expect("a severe score on the demo board");
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
}

#[test]
fn sorting_by_due_puts_the_most_overdue_first_and_filter_narrows() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    key(&mut app, KeyCode::Char('s'));
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("sorted by due time"));
    let first_row = s.lines().nth(4).unwrap();
    assert!(first_row.contains("! "), "{first_row}");
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "cows");
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("filter: cows"));
    assert!(!s.contains("Maria Delgado"), "a CIWA patient is filtered out");
    assert!(s.contains("Aisha Rahman"));
    // Esc on the board clears the applied filter (issue 20, point 11).
    key(&mut app, KeyCode::Esc);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(!s.contains("filter: cows") && s.contains("Maria Delgado"), "{s}");
}

#[test]
fn tick_keeps_time_since_true() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let before = text(render(&app, 80, 24).backend().buffer());
    app.update(Msg::Tick(now() + chrono::Duration::hours(3)));
    let after = text(render(&app, 80, 24).backend().buffer());
    assert_ne!(before, after);
    assert!(after.contains("07:00"), "the header clock moved: {after}");
}

// ------------------------------------------------------------------ withdrawal scoring

/// Select a bed by its label on the board (bed order) and press Enter to score.
fn open_scoring(app: &mut App, bed: usize) {
    key(app, KeyCode::Home);
    for _ in 1..bed {
        key(app, KeyCode::Down);
    }
    key(app, KeyCode::Enter);
}

#[test]
fn ciwa_ar_scoring_screen_80x24() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 1);
    typed(&mut app, "21");
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("CIWA-Ar items") && s.contains("Maria Delgado"), "{s}");
    assert!(s.contains("not a final total"), "an incomplete total is never called final");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn cows_digits_are_scores_and_pulse_comes_from_heart_rate() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 3); // Aisha Rahman, COWS
    // Vitals first: Tab to temperature, then heart rate 104.
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "37.0");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "104");
    for _ in 0..6 {
        key(&mut app, KeyCode::Tab);
    }
    // Back on the items: the pulse item was derived: HR 101-120 scores 2 (REFERENCE.md section 2).
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("2·HR"), "{s}");
    // The pulse item cannot be typed over without a reason.
    typed(&mut app, "3");
    assert!(text(render(&app, 80, 24).backend().buffer()).contains("comes from the heart rate"));
    // Items 2..11: each digit is the score (REFERENCE.md section 2, keyboard note, revised).
    key(&mut app, KeyCode::Down);
    typed(&mut app, "12"); // sweating 1; restlessness has no 2: refused on the spot
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("2 is not a score here. restlessness: 0, 1, 3, 5 (nothing changed)"), "{s}");
    assert!(s.contains("Total 3/48"), "the refused 2 changed nothing: {s}");
    typed(&mut app, "3012101"); // restlessness 3, pupils 0, aches 1, nose 2, gi 1, tremor 0, yawning 1
    typed(&mut app, "04"); // anxiety 0; gooseflesh has no 4 (REFERENCE.md section 2)
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("gooseflesh: 0, 3, 5"), "{s}");
    typed(&mut app, "5");
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    // 2 (pulse) + 1 + 3 + 0 + 1 + 2 + 1 + 0 + 1 + 0 + 5 = 16
    assert!(s.contains("Total 16/48"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn ciwa_ar_tactile_shows_its_question_and_every_anchor_in_full_at_80x24() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 1);
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    // REFERENCE.md section 1, item 6: the question and levels 5-6 in the form's words.
    assert!(s.contains("Tactile disturbances") && s.contains("bugs crawling"), "{s}");
    assert!(s.contains("5  severe hallucinations") && s.contains("6  extremely severe hallucinations"), "{s}");
    assert!(s.contains("7  continuous hallucinations"), "{s}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn saving_a_score_updates_the_census_with_next_due_and_prompts() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 1);
    // CIWA-Ar: 10 items; positions are scores. 2+2+2+2+2+0+0+0+2+0 = 12.
    typed(&mut app, "2222200020");
    ctrl(&mut app, 's');
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Time taken is required"), "no time is filled in for the nurse: {s}");
    // The refusal put the cursor on the time taken.
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    // The message wraps at 80 columns: read it with the lines joined.
    let s = text(render(&app, 80, 24).backend().buffer()).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(s.contains("Saved CIWA-Ar 12 moderate") && s.contains("next due 05:00"), "{s}");
    assert!(s.contains("PRN per order"), "{s}");
    key(&mut app, KeyCode::Esc);
    let s = text(render(&app, 80, 24).backend().buffer());
    let row = s.lines().find(|l| l.contains("Maria Delgado")).unwrap();
    assert!(row.contains("12 ") && row.contains("0s ago") && row.contains("05:00"), "{row}");
}

#[test]
fn unable_to_assess_is_recorded_never_as_zero() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 2);
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, "now");
    ctrl(&mut app, 'u');
    typed(&mut app, "s"); // sedated
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "sedated after PRN, rousable to voice");
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Saved CIWA-Ar: unable to assess (sedated)"), "{s}");
    key(&mut app, KeyCode::Esc);
    let s = text(render(&app, 80, 24).backend().buffer());
    let row = s.lines().find(|l| l.contains("James O'Connor")).unwrap();
    assert!(row.contains("UTA ") && row.contains("0s ago") && !row.contains(" 0 "), "{row}");
}

#[test]
fn a_prn_brings_the_reassessment_forward_on_the_board() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    // A CIWA-Ar of 9 at 04:00 is reassessed in 2 h (REFERENCE.md section 1): due 06:00.
    open_scoring(&mut app, 1);
    typed(&mut app, "4500000000");
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    key(&mut app, KeyCode::Esc);
    let row = |app: &App| {
        text(render(app, 80, 24).backend().buffer()).lines().find(|l| l.starts_with("1 ")).unwrap().to_string()
    };
    assert!(row(&app).contains("06:00"), "{}", row(&app));
    // Issue 17: the PRN is given from the record, against the patient's order.
    let occupant = app.model.board.rows[0].occupant.clone().unwrap();
    let me = app.model.me.clone().unwrap();
    let order = wardterm::domain::orders::OrderForm {
        kind: "prn".into(),
        drug: "lorazepam".into(),
        dose: "1 mg".into(),
        route: "PO".into(),
        prn_indication: "alcohol withdrawal".into(),
        prn_scale: "ciwa-ar".into(),
        prn_min_score: "8".into(),
        prescriber: "Dr. Patel".into(),
        ordered_at: "-1h".into(),
        mode: "written".into(),
        ..Default::default()
    };
    let order = wardterm::domain::orders::validate(&order, now(), tz()).unwrap();
    app.store.enter_order(&me, occupant.stay_id, &order, now()).unwrap();
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Enter);
    typed(&mut app, &occupant.mrn); // the wristband scanned
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Right); // given
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1 mg");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "PO");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    let after = text(render(&app, 80, 24).backend().buffer());
    assert!(after.contains("Recorded: lorazepam given 1 mg PO at 04:00"), "{after}");
    key(&mut app, KeyCode::Esc);
    // The dose calls for a reassessment 1 h later (ladder policy), earlier than 06:00.
    assert!(row(&app).contains("05:00"), "{}", row(&app));
}

#[test]
fn trend_screen_shows_chart_and_a_page_of_assessments() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('h'));
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("Totals over the stay") && s.contains("Past assessments"), "{s}");
    insta::assert_snapshot!(t.backend());
    key(&mut app, KeyCode::PageDown);
    let older = text(render(&app, 80, 24).backend().buffer());
    assert_ne!(s, older, "PgDn shows an older page");
    key(&mut app, KeyCode::PageUp);
    assert_eq!(s, text(render(&app, 80, 24).backend().buffer()), "PgUp comes back to the same page");
}

// ------------------------------------------------------------------ progress notes

#[test]
fn note_editor_with_sections_then_sign_preview_and_timeline() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "D"); // DAP
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Tremor at rest; pt says «je tremble», 眠れない. Diaphoretic.");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Moderate withdrawal.");
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("DAP note · Bed 1 · Maria Delgado") && s.contains("Moderate withdrawal."), "{s}");
    insta::assert_snapshot!("note_editor_80x24", t.backend());
    // Autosave: a few seconds after typing stops the draft is in the database.
    app.update(Msg::Tick(now() + chrono::Duration::seconds(4)));
    let me = app.model.me.clone().unwrap();
    let drafts = app.store.my_drafts(&me).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].sections[1].1, "Moderate withdrawal.");
    // Sign: the preview, then a wrong password is refused and nothing is signed.
    ctrl(&mut app, 's');
    typed(&mut app, "now");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "not-my-password");
    key(&mut app, KeyCode::Enter);
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("The note as it will stand") && s.contains("password is wrong"), "{s}");
    insta::assert_snapshot!("note_sign_preview_80x24", t.backend());
    // The password field is cleared and keeps the focus.
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("timeline") && s.contains("NOTE") && s.contains("Signed."), "{s}");
    insta::assert_snapshot!("timeline_80x24", t.backend());
    assert!(app.store.my_drafts(&me).unwrap().is_empty());
}

#[test]
fn note_screens_at_a_small_size_say_enlarge() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('v'));
    let s = text(render(&app, 40, 12).backend().buffer());
    assert!(s.contains("Window too small") && !s.contains("Delgado"), "{s}");
}

#[test]
fn escape_sequences_in_a_note_are_shown_inert() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "n"); // narrative
    key(&mut app, KeyCode::Enter);
    app.update(Msg::Paste("evil \u{1b}[2J\u{7} text".into()));
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "{s:?}");
    assert!(s.contains("evil [2J text"), "{s}");
}

#[test]
fn a_megabyte_pasted_into_a_note_is_refused_whole_and_the_draft_is_intact() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Resting.");
    let started = std::time::Instant::now();
    app.update(Msg::Paste("tremor ".repeat(150_000)));
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Nothing pasted"), "{s}");
    assert!(s.contains("Resting."), "what was typed is still there: {s}");
    // A paste that fits goes in.
    app.update(Msg::Paste(" Slept 4 h.".into()));
    assert!(text(render(&app, 80, 24).backend().buffer()).contains("Resting. Slept 4 h."));
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "no hang");
}

#[test]
fn a_full_disk_while_saving_a_draft_keeps_the_text_and_says_so() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    // The database can grow no more: the next page it needs is refused, as on a full disk.
    let pages: i64 = app.store.raw_connection().query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    app.store.raw_connection().execute_batch(&format!("PRAGMA max_page_count = {pages}")).unwrap();
    let long = "Patient tremulous, diaphoretic, asking for water. ".repeat(200);
    app.update(Msg::Paste(long.clone()));
    key(&mut app, KeyCode::Tab); // a section change saves the draft now
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Draft NOT saved"), "{s}");
    assert!(s.contains("Patient tremulous"), "the text stays on screen: {s}");
    // With room again, the same draft saves.
    app.store.raw_connection().execute_batch("PRAGMA max_page_count = 1073741823").unwrap();
    key(&mut app, KeyCode::BackTab);
    let me = app.model.me.clone().unwrap();
    let drafts = app.store.my_drafts(&me).unwrap();
    assert!(drafts[0].sections[0].1.starts_with("Patient tremulous"), "saved once there was room");
}

/// `F` on the census finds notes across the ward, newest first, says whose each is, opens one
/// whole, switches to the whole record with Tab, and audits every patient whose notes it showed.
#[test]
fn find_in_notes_over_the_ward_and_the_record() {
    use chrono::Duration;
    use wardterm::domain::note::Format;
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let me = app.model.me.clone().unwrap();
    let stays: Vec<i64> =
        app.store.census().unwrap().iter().filter_map(|r| r.occupant.as_ref()).map(|o| o.stay_id).collect();
    for (stay, text, hours) in
        [(stays[0], "Brief myoclonus of the left arm.", 2), (stays[1], "Myoclonus again, settled.", 1)]
    {
        let id = app.store.start_note(&me, stay, Some(Format::Narrative), None, now()).unwrap();
        app.store.save_draft(&me, id, &[("Note".to_string(), text.to_string())], now()).unwrap();
        app.store.sign_note(&me, id, "demo-nurse1", now() - Duration::hours(hours), now()).unwrap();
    }
    key(&mut app, KeyCode::Char('F'));
    typed(&mut app, "myoclonus");
    let t = render(&app, 80, 24);
    assert!(text(t.backend().buffer()).contains("find: myoclonus"), "{}", text(t.backend().buffer()));
    key(&mut app, KeyCode::Enter);
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("2 notes with \"myoclonus\", newest first") && s.contains("patients on the ward"), "{s}");
    let newer = s.find("Myoclonus again").expect("the newer note");
    let older = s.find("Brief myoclonus").expect("the older note");
    assert!(newer < older, "newest first: {s}");
    insta::assert_snapshot!("find_in_notes_80x24", t.backend());
    let small = text(render(&app, 60, 20).backend().buffer());
    assert!(small.contains("Window too small") && !small.contains("myoclonus"), "no note text when it cannot fit");
    let audited: i64 = app
        .store
        .raw_connection()
        .query_row("SELECT count(DISTINCT patient_id) FROM audit WHERE detail = 'notes found by a search'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(audited, 2, "each patient whose notes were shown is an audited read");

    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    // Signed an hour after its event: both times, and the label (REFERENCE.md section 5).
    assert!(s.contains("Myoclonus again, settled."), "{s}");
    assert!(s.contains("LATE ENTRY · event 2026-11-25 03:00 · signed 04:00 by Sam Okafor, RN"), "{s}");
    assert!(s.contains(&format!("┌ Bed 2 {}", app.store.census().unwrap()[1].occupant.as_ref().unwrap().name)), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Tab);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Find in notes · the whole record") && s.contains("2 notes with"), "{s}");
    key(&mut app, KeyCode::Char('/'));
    typed(&mut app, "nothinglikethis");
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("no signed note has \"nothinglikethis\""), "{s}");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.model.screen, wardterm::tui::app::Screen::Census));
}

/// Issue 20, point 1: nothing clinical is cut to mean something else. At 80, 120 and 200 columns
/// every demo patient's allergies and precautions are on their row in full or counted ("+N"),
/// wherever their column shows; the PAWSS is never cut; and the selected patient's detail panel
/// always lists them whole.
#[test]
fn every_allergy_and_precaution_is_visible_or_counted_at_every_width() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let rows = app.model.board.rows.clone();
    // Tall enough for every bed of the demo ward to have its row on screen at once.
    for (w, h) in [(80u16, 40u16), (120, 40), (200, 50)] {
        let s = text(render(&app, w, h).backend().buffer());
        let header = s.lines().find(|l| l.starts_with("Bed ")).expect("header");
        assert!(header.contains("Allergies"), "allergies shown at {w}: {header}");
        if w >= 120 {
            assert!(header.contains("Precautions"), "precautions shown at {w}: {header}");
        }
        for r in &rows {
            let Some(o) = &r.occupant else { continue };
            let line = s
                .lines()
                .find(|l| l.split_whitespace().next() == Some(r.bed.as_str()))
                .unwrap_or_else(|| panic!("bed {} at {w}:\n{s}", r.bed));
            let mut lists = vec![("allergies", &o.allergies)];
            if header.contains("Precautions") {
                lists.push(("precautions", &o.precautions));
            }
            for (what, list) in lists {
                let items: Vec<&str> = list.split(',').map(str::trim).filter(|i| !i.is_empty()).collect();
                let shown = items.iter().filter(|i| line.contains(*i)).count();
                let hidden = items.len() - shown;
                if hidden > 0 {
                    assert!(line.contains(&format!("+{hidden}")), "bed {} {what} {list:?} at {w}: {line}", r.bed);
                }
            }
            if let Some(p) = o.pawss.filter(|p| *p >= 4) {
                assert!(line.contains(&format!("P{p} ")), "PAWSS {p} whole at {w}: {line}");
            }
        }
    }
    // The detail panel names them whole for each patient in turn, at 80x24.
    for r in &rows {
        let s = text(render(&app, 80, 24).backend().buffer());
        if let Some(o) = &r.occupant {
            let flat = s.replace('\n', " ");
            assert!(flat.contains(&format!("Allergies: {}", o.allergies)), "{}:\n{s}", o.name);
            let pre = if o.precautions.is_empty() { "none".to_string() } else { o.precautions.clone() };
            assert!(flat.contains(&format!("Precautions: {pre}")), "{}:\n{s}", o.name);
            assert!(s.contains("Obs "), "the detail panel keeps its observation line:\n{s}");
        }
        key(&mut app, KeyCode::Down);
    }
}

/// A PAWSS of 10 is never cut to "P1" (issue 20, point 1).
#[test]
fn a_pawss_of_ten_shows_whole() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let before = app.model.board.clone();
    let o = app.model.board.rows.iter_mut().find_map(|r| r.occupant.as_mut()).unwrap();
    o.pawss = Some(10);
    let now = app.model.now;
    app.model.census.board_changed(&before, &app.model.board, now);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains(" P10 "), "{s}");
}

/// Sign the note being edited with an event time typed as the nurse types it.
fn sign_with_event(app: &mut App, event: &str) {
    ctrl(app, 's');
    typed(app, event);
    key(app, KeyCode::Tab);
    typed(app, "demo-nurse1");
    key(app, KeyCode::Enter);
}

/// Start a narrative note on bed 1 and type its text.
fn narrative(app: &mut App, text: &str) {
    key(app, KeyCode::Char('n'));
    typed(app, "n");
    key(app, KeyCode::Enter);
    typed(app, text);
}

/// REFERENCE.md section 5: an entry written after its event shows both times wherever it is read,
/// and "late entry" past the unit's threshold (default: more than 15 minutes): in the timeline
/// list and in the reading frame. Now is 04:00 on the ward.
#[test]
fn a_note_written_after_its_event_shows_both_times_and_late_past_15_minutes() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    narrative(&mut app, "Vomited once, small amount.");
    sign_with_event(&mut app, "2026-11-25 03:44"); // 16 minutes before signing
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Signed (late entry)."), "{s}");
    assert!(s.contains("2026-11-25 03:44 NOTE     LATE ENTRY · event 03:44"), "{s}");
    assert!(s.contains("    signed 04:00 by Sam Okafor, RN"), "the signing time on its own line, not cut: {s}");
    key(&mut app, KeyCode::Esc);
    narrative(&mut app, "Settled after ondansetron.");
    sign_with_event(&mut app, "2026-11-25 03:45"); // 15 minutes: both times, not late
    let t = render(&app, 80, 24);
    let s = text(t.backend().buffer());
    assert!(s.contains("Signed. It is now"), "{s}");
    assert!(s.contains("2026-11-25 03:45 NOTE     event 03:45 · signed 04:00 by Sam Okafor, RN"), "{s}");
    insta::assert_snapshot!("timeline_written_after_the_event_80x24", t.backend());
    key(&mut app, KeyCode::Enter); // read the newest (the 15-minute one)
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("event 2026-11-25 03:45 · signed 04:00 by Sam Okafor, RN") && !s.contains("LATE"), "{s}");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("LATE ENTRY · event 2026-11-25 03:44 · signed 04:00 by Sam Okafor, RN"), "{s}");
}

/// The sign dialog states the unit's threshold as configured, and a threshold set from another
/// terminal (`wardterm config set late-entry-minutes`) changes the label at the next tick.
#[test]
fn the_sign_dialog_and_the_label_follow_the_configured_threshold() {
    let (d, mut app) = demo_app("nurse", "demo-nurse1");
    narrative(&mut app, "Anxious, pacing.");
    ctrl(&mut app, 's');
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Late entry: signed more than 15 minutes after the event (unit policy)."), "{s}");
    key(&mut app, KeyCode::Esc);
    // An admin at another terminal.
    let mut other = Store::open(&d.path().join("w.db"), OpenMode::MustExist).unwrap();
    let admin = other.sign_in("admin", "demo-admin1", now()).unwrap().unwrap();
    other.set_late_entry_rule(&admin, wardterm::domain::note::LateEntryRule { after_minutes: 5 }, now()).unwrap();
    app.update(Msg::Tick(now()));
    ctrl(&mut app, 's');
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Late entry: signed more than 5 minutes after the event (unit policy)."), "{s}");
    key(&mut app, KeyCode::Esc);
    sign_with_event(&mut app, "2026-11-25 03:54"); // 6 minutes: late on this unit
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Signed (late entry).") && s.contains("LATE ENTRY · event 03:54"), "{s}");
}

/// Issue 20, point 10: the time taken is typed as nurses type it and echoed as understood.
#[test]
fn the_time_taken_is_echoed_as_understood() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 1);
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, "03:30");
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Time taken: → today 03:30 EST (30m ago)"), "{s}");
    for _ in 0..5 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "-15m");
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Time taken: → today 03:45 EST (15m ago)"), "{s}");
}

/// Issue 20, point 11: the cursor follows a transferred patient to the new bed.
#[test]
fn the_cursor_follows_a_transferred_patient() {
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    key(&mut app, KeyCode::Char('t'));
    key(&mut app, KeyCode::Right); // the first empty bed
    key(&mut app, KeyCode::Enter);
    let s = text(render(&app, 80, 24).backend().buffer());
    assert!(s.contains("Transferred."), "{s}");
    let detail = s.lines().find(|l| l.starts_with("Bed ") && l.contains("Maria Delgado")).unwrap_or_default();
    assert!(detail.starts_with("Bed 5 · Maria Delgado"), "the selection moved with her:\n{s}");
}

/// Issue 20, point 11: `?` on the census lists what each marker means.
#[test]
fn the_census_help_has_a_legend_of_every_marker() {
    // A nurse at 80x24; the charge nurse, who has more keys, on a taller terminal.
    for (user, pw, h) in [("nurse", "demo-nurse1", 24), ("charge", "demo-charge1", 30)] {
        let (_d, mut app) = demo_app(user, pw);
        key(&mut app, KeyCode::Char('?'));
        let mut s = text(render(&app, 80, h).backend().buffer());
        // Issue 17's keys (V C E) made the nurse's help one line longer than 80x24: the legend
        // ends on the next page.
        if s.contains("PgDn / PgUp more") {
            key(&mut app, KeyCode::PageDown);
            s.push_str(&text(render(&app, 80, h).backend().buffer()));
        }
        for mark in [
            "! overdue",
            "* severe band",
            "P4+ PAWSS",
            "+N more",
            "AC 3/6 = 3 of 6 done",
            "UTA unable",
            "? not done",
            "S/F C-SSRS/Morse",
            "M ! dose overdue",
            "N notify provider",
            "H high",
            "I SWU",
        ] {
            assert!(s.contains(mark), "{mark}:\n{s}");
        }
    }
}

/// What was saved is told whole at 80x24: a CIWA-Ar 20+ save keeps every prompt and the rung's
/// source on screen (issue 14, points 2 and 8; issue 20, point 11: messages wrap).
#[test]
fn a_saved_severe_score_shows_every_prompt_and_its_source_at_80x24() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 1);
    typed(&mut app, "7777777774");
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, "now");
    ctrl(&mut app, 's');
    let s = text(render(&app, 80, 24).backend().buffer()).replace('\n', " ");
    for part in
        ["Saved CIWA-Ar 67 severe", "PRN per order", "Notify provider now", "Evaluate for higher level", "CCJM table"]
    {
        assert!(s.contains(part), "{part}: {s}");
    }
}

/// Issue 20, point 11: after a refused save the cursor is on the field the message is about.
#[test]
fn a_refused_vital_puts_the_cursor_on_that_field() {
    use wardterm::tui::app::Screen;
    use wardterm::tui::screens::scoring::Focus;
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    open_scoring(&mut app, 1);
    typed(&mut app, "2222200020");
    key(&mut app, KeyCode::Tab); // temperature
    key(&mut app, KeyCode::Tab); // heart rate
    typed(&mut app, "400");
    key(&mut app, KeyCode::Tab); // on to the blood pressure
    ctrl(&mut app, 's');
    let Screen::Scoring(s) = &app.model.screen else { panic!("still scoring") };
    assert_eq!(s.focus, Focus::Vital(1), "{:?}", s.error);
    assert!(s.error.as_deref().is_some_and(|e| e.starts_with("Heart rate")), "{:?}", s.error);
}

/// The trend's table shows what fits of a loaded page; PgDn shows the rest of the page before
/// loading an older one, so at 80x24 no assessment is skipped unseen, and PgUp comes back.
#[test]
fn trend_paging_at_80x24_skips_no_assessment() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    let Some(o) = app.model.board.rows.first().and_then(|r| r.occupant.clone()) else { panic!("bed 1 occupied") };
    let all: Vec<String> = app
        .store
        .assessments_page(o.stay_id, None, 1000)
        .unwrap()
        .iter()
        .map(|a| wardterm::domain::time::local(a.taken_at, tz()))
        .collect();
    assert!(all.len() > wardterm::tui::screens::history::PAGE, "a stay with more than a page: {}", all.len());
    key(&mut app, KeyCode::Char('h'));
    let mut seen: Vec<String> = Vec::new();
    let mut screens = Vec::new();
    for _ in 0..all.len() + 2 {
        let s = text(render(&app, 80, 24).backend().buffer());
        for t in &all {
            if s.contains(t.as_str()) && !seen.contains(t) {
                seen.push(t.clone());
            }
        }
        screens.push(s);
        key(&mut app, KeyCode::PageDown);
    }
    let missed: Vec<&String> = all.iter().filter(|t| !seen.contains(t)).collect();
    assert!(missed.is_empty(), "PgDn skipped {missed:?}");
    // Back to the newest with PgUp, through the same screens.
    let first = screens[0].clone();
    for _ in 0..all.len() + 2 {
        key(&mut app, KeyCode::PageUp);
    }
    // The same screen above the message line (which now says this is the newest page).
    let body = |s: &str| s.lines().take(22).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&text(render(&app, 80, 24).backend().buffer())), body(&first), "PgUp comes back to the newest");
}
