//! The scoring screen's digits are scores (issue 14 point 6) and it shows each item's question and
//! anchors in full (point 5), driven with key events exactly as crossterm decodes them.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use wardterm::domain::scale::{Answers, Scale};
use wardterm::domain::scales::{ALL, ciwa_ar::CIWA_AR, cows::COWS};
use wardterm::domain::vitals::TempUnit;
use wardterm::tui::screens::scoring::{self, Patient, ScoringEffect, ScoringScreen};

fn screen(scale: &'static Scale) -> ScoringScreen {
    let patient = Patient {
        stay_id: 1,
        patient_id: 1,
        bed: "1".into(),
        name: "Test Patient".into(),
        allergies: "NKDA".into(),
        last: None,
    };
    ScoringScreen::new(patient, scale, scoring::bands_for(scale), TempUnit::C)
}

fn press(s: &mut ScoringScreen, code: KeyCode) -> ScoringEffect {
    s.handle(&KeyEvent::new(code, KeyModifiers::NONE))
}

fn item(scale: &Scale, key: &str) -> usize {
    scale.item(key).map(|(i, _)| i).unwrap_or_else(|| panic!("{} has no {key}", scale.name))
}

#[test]
fn cows_digit_is_the_score_and_an_illegal_digit_is_refused_naming_the_legal_values() {
    let mut s = screen(&COWS);
    let restless = item(&COWS, "restlessness");
    s.item = restless;
    press(&mut s, KeyCode::Char('3'));
    assert_eq!(s.answers.score(restless), Some(3), "3 records 3 points, not the 4th choice (5)");
    assert_eq!(s.item, restless + 1, "a recorded score moves to the next item");
    s.item = restless;
    let before = s.answers.clone();
    press(&mut s, KeyCode::Char('2'));
    assert_eq!(s.answers, before, "nothing changes");
    assert_eq!(s.item, restless, "the nurse stays on the item");
    let msg = s.error.clone().unwrap_or_default();
    assert!(msg.contains("restlessness: 0, 1, 3, 5"), "{msg}");
    // Gooseflesh has 0, 3, 5: 4 is refused (a known public-calculator error, REFERENCE.md §2).
    let goose = item(&COWS, "gooseflesh");
    s.item = goose;
    press(&mut s, KeyCode::Char('4'));
    assert_eq!(s.answers.score(goose), None);
    assert!(s.error.as_deref().unwrap_or_default().contains("gooseflesh: 0, 3, 5"), "{:?}", s.error);
    press(&mut s, KeyCode::Char('5'));
    assert_eq!((s.answers.score(goose), s.error.as_deref()), (Some(5), None));
}

#[test]
fn ciwa_ar_orientation_refuses_5_to_7_and_other_items_take_0_to_7() {
    let mut s = screen(&CIWA_AR);
    let orient = item(&CIWA_AR, "orientation");
    s.item = orient;
    for c in ['5', '6', '7', '8', '9'] {
        press(&mut s, KeyCode::Char(c));
        assert_eq!(s.answers.score(orient), None, "{c}");
        assert!(s.error.as_deref().unwrap_or_default().contains("orientation: 0, 1, 2, 3, 4"), "{:?}", s.error);
    }
    press(&mut s, KeyCode::Char('4'));
    assert_eq!(s.answers.score(orient), Some(4));
    s.item = 0;
    press(&mut s, KeyCode::Char('7'));
    assert_eq!(s.answers.score(0), Some(7), "nausea 7");
}

#[test]
fn arrow_keys_step_through_the_legal_choices() {
    let mut s = screen(&COWS);
    let restless = item(&COWS, "restlessness");
    s.item = restless;
    let mut seen = Vec::new();
    for _ in 0..5 {
        press(&mut s, KeyCode::Right);
        seen.push(s.answers.score(restless));
    }
    assert_eq!(seen, [Some(0), Some(1), Some(3), Some(5), Some(5)]);
    press(&mut s, KeyCode::Left);
    assert_eq!(s.answers.score(restless), Some(3));
    press(&mut s, KeyCode::Char('h'));
    assert_eq!(s.answers.score(restless), Some(1));
    press(&mut s, KeyCode::Backspace);
    assert_eq!(s.answers.score(restless), None);
}

#[test]
fn the_cows_pulse_item_refuses_digits_until_overridden_then_takes_legal_scores_only() {
    let mut s = screen(&COWS);
    let pulse = item(&COWS, "pulse");
    press(&mut s, KeyCode::Char('1'));
    assert_eq!(s.answers.score(pulse), None);
    assert!(s.error.as_deref().unwrap_or_default().contains("heart rate"), "{:?}", s.error);
    s.set_pulse_override("monitor reads HR with artefact".into());
    press(&mut s, KeyCode::Char('3'));
    assert_eq!(s.answers.score(pulse), None, "pulse has no 3 (REFERENCE.md §2)");
    assert!(s.error.as_deref().unwrap_or_default().contains("pulse: 0, 1, 2, 4"), "{:?}", s.error);
    press(&mut s, KeyCode::Char('4'));
    assert_eq!(s.answers.score(pulse), Some(4));
}

/// The panel text right of the item list, one string with runs of spaces collapsed.
fn anchor_panel_text(s: &ScoringScreen, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    t.draw(|f| scoring::draw(f, f.area(), s, now, chrono_tz::America::New_York)).unwrap();
    let buf = t.backend().buffer().clone();
    // The anchors panel starts where the second box's top-left corner is on row 2.
    let row2: Vec<String> = (0..w).map(|x| buf[(x, 2)].symbol().to_string()).collect();
    let left = row2.iter().rposition(|c| c == "┌").expect("anchors panel") as u16;
    (2..h)
        .map(|y| (left..w).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['│', '┐', '┌', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_question_and_anchor_is_shown_in_full_at_80x24() {
    // With the demo banner the view gives the scoring screen 80x20 of an 80x24 terminal.
    for scale in ALL {
        let mut s = screen(scale);
        for (i, it) in scale.items.iter().enumerate() {
            s.item = i;
            let shown = anchor_panel_text(&s, 80, 20);
            let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(shown.contains(&words(it.label)), "{} {}: label not in {shown:?}", scale.key, it.key);
            assert!(shown.contains(&words(it.question)), "{} {}: question not in {shown:?}", scale.key, it.key);
            for c in it.choices {
                let text = if c.anchor.is_empty() { "·" } else { c.anchor };
                let line = format!("{} {}", c.score, words(text));
                assert!(shown.contains(&line), "{} {}: {line:?} not in {shown:?}", scale.key, it.key);
            }
        }
    }
}

#[test]
fn the_footer_hint_says_digits_are_scores_with_the_items_legal_values() {
    let mut s = screen(&COWS);
    s.item = item(&COWS, "restlessness");
    let mut t = Terminal::new(TestBackend::new(80, 20)).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    t.draw(|f| scoring::draw(f, f.area(), &s, now, chrono_tz::America::New_York)).unwrap();
    let buf = t.backend().buffer();
    let last: String = (0..80).map(|x| buf[(x, 19)].symbol().to_string()).collect();
    assert!(last.contains("Type the score (restlessness: 0, 1, 3, 5)"), "{last}");
    s.item = item(&COWS, "sweating");
    t.draw(|f| scoring::draw(f, f.area(), &s, now, chrono_tz::America::New_York)).unwrap();
    let last: String = (0..80).map(|x| t.backend().buffer()[(x, 19)].symbol().to_string()).collect();
    assert!(last.contains("Type the score (sweating: 0-4)") && last.contains("Backspace clears"), "{last}");
    let help: Vec<&str> = scoring::ITEM_KEYS.iter().map(|b| b.help).collect();
    assert!(help.iter().any(|h| h.starts_with("Type the score itself")), "{help:?}");
    assert!(!help.iter().any(|h| h.contains("position")), "{help:?}");
}

fn scale_item_answers() -> impl Strategy<Value = (usize, usize, Vec<Option<usize>>, bool)> {
    (0..ALL.len()).prop_flat_map(|s| {
        let n = ALL[s].items.len();
        let picks: Vec<_> = ALL[s].items.iter().map(|it| proptest::option::of(0..it.choices.len())).collect();
        (Just(s), 0..n, picks, any::<bool>())
    })
}

proptest! {
    /// For every item of every scale, whatever was answered before, every digit key either sets
    /// exactly that score on that item (and nothing else), or is refused and changes nothing.
    #[test]
    fn every_digit_sets_exactly_that_score_or_is_refused((s, i, picks, overridden) in scale_item_answers(), d in 0u8..10) {
        let scale = ALL[s];
        let mut screen = screen(scale);
        let mut answers = Answers::new(scale);
        for (k, p) in picks.iter().enumerate() {
            if let Some(p) = p {
                answers.set(k, *p).expect("a legal position");
            }
        }
        screen.answers = answers.clone();
        if overridden {
            screen.set_pulse_override("set by hand".into());
        }
        screen.item = i;
        let effect = press(&mut screen, KeyCode::Char(char::from(b'0' + d)));
        prop_assert_eq!(effect, ScoringEffect::None);
        let it = &scale.items[i];
        let pulse_locked = scale.key == COWS.key && it.key == "pulse" && !overridden;
        if it.position_of(d).is_some() && !pulse_locked {
            prop_assert_eq!(screen.answers.score(i), Some(d));
            for k in (0..scale.items.len()).filter(|&k| k != i) {
                prop_assert_eq!(screen.answers.score(k), answers.score(k));
            }
            prop_assert_eq!(screen.error.as_deref(), None);
        } else {
            prop_assert_eq!(&screen.answers, &answers);
            prop_assert_eq!(screen.item, i);
            let msg = screen.error.clone().unwrap_or_default();
            if !pulse_locked {
                let legal: Vec<String> = it.legal_scores().iter().map(u8::to_string).collect();
                let named = format!("{}: {}", it.key, legal.join(", "));
                prop_assert!(msg.contains(&named), "{}", msg);
            } else {
                prop_assert!(msg.contains("heart rate"), "{}", msg);
            }
        }
    }
}

/// Issue 20, point 11: the footer says what Enter does. In a vital Enter moves to the next field
/// and the footer's table says so; on the items Enter is not bound, and the footer names none.
#[test]
fn in_a_vital_the_footer_says_enter_moves_on_and_enter_does() {
    let mut s = screen(&CIWA_AR);
    let footer = |s: &ScoringScreen| -> Vec<String> {
        s.tables()
            .into_iter()
            .flat_map(|t| wardterm::tui::keymap::footer_hints(t, |_| true))
            .map(|(k, w)| format!("{k} {w}"))
            .collect()
    };
    assert!(!footer(&s).iter().any(|h| h.starts_with("Enter")), "{:?}", footer(&s));
    press(&mut s, KeyCode::Tab); // to the temperature
    assert_eq!(footer(&s).first().map(String::as_str), Some("Enter next field"), "{:?}", footer(&s));
    for c in "37.2".chars() {
        press(&mut s, KeyCode::Char(c));
    }
    press(&mut s, KeyCode::Enter);
    press(&mut s, KeyCode::Char('9'));
    press(&mut s, KeyCode::Char('0'));
    assert_eq!(s.vitals[0], "37.2");
    assert_eq!(s.vitals[1], "90", "Enter moved on to the heart rate");
}
