//! Issue 20, point 11: the drafts reminder names the patients and the census marks beds with a
//! draft of yours; the trend list keeps RR and SpO2 at 80 columns; the charge nurse's census help
//! shows every key and the legend at 80x24. Screens rendered through `view` on a TestBackend,
//! keys sent as crossterm decodes them.
use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::note::Format;
use wardterm::domain::user::Role;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::keymap::help_lines;
use wardterm::tui::screens::census::{CensusAction, KEYS as CENSUS_KEYS};
use wardterm::tui::screens::census_keys::LEGEND as CENSUS_LEGEND;
use wardterm::tui::view::view;

/// 04:00 in New York: the night shift.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn demo_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    (dir, store)
}

fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
    t
}

fn screen(app: &App, w: u16, h: u16) -> String {
    text(render(app, w, h).backend().buffer())
}

fn key(app: &mut App, code: KeyCode) {
    let mods = if code == KeyCode::BackTab { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    app.update(Msg::Key(KeyEvent::new(code, mods)));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn text(buf: &Buffer) -> String {
    let a = buf.area;
    (0..a.height)
        .map(|y| (0..a.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The census row of a bed ("1 ✎  Maria Delgado ...").
fn bed_row(s: &str, bed: &str) -> String {
    s.lines()
        .find(|l| l.split_whitespace().next() == Some(bed) && !l.starts_with("Bed "))
        .unwrap_or_default()
        .to_string()
}

/// The nurse (Sam Okafor) leaves two drafts on Aisha Rahman (bed 3: a note and an addendum to a
/// signed note) and one on Linda Kowalski (bed 6); the charge nurse one on bed 1.
fn with_drafts() -> (TempDir, Store) {
    let (d, mut store) = demo_store();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let stay = |store: &Store, bed: &str| {
        let rows = store.census().unwrap();
        rows.iter().find(|r| r.bed == bed).and_then(|r| r.occupant.as_ref()).map(|o| o.stay_id).unwrap()
    };
    let (s3, s6, s1) = (stay(&store, "3"), stay(&store, "6"), stay(&store, "1"));
    store.start_note(&nurse, s3, Some(Format::Dap), None, now()).unwrap();
    // An addendum needs a signed note to correct.
    let signed = store.start_note(&nurse, s3, Some(Format::Narrative), None, now()).unwrap();
    store.save_draft(&nurse, signed, &[("Narrative".into(), "Resting.".into())], now()).unwrap();
    store.sign_note(&nurse, signed, "demo-nurse1", now(), now()).unwrap();
    store.start_note(&nurse, s3, None, Some(signed), now()).unwrap();
    store.start_note(&nurse, s6, Some(Format::Soap), None, now()).unwrap();
    store.start_note(&charge, s1, Some(Format::Dap), None, now()).unwrap();
    (d, store)
}

/// Sign in through the sign-in screen, as a nurse does.
fn sign_in(store: Store, user: &str, pw: &str) -> App {
    let mut app = App::new(store, now()).unwrap();
    app.update(Msg::Resize(80, 24));
    typed(&mut app, user);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, pw);
    key(&mut app, KeyCode::Enter);
    assert!(app.model.me.is_some(), "signed in:\n{}", screen(&app, 80, 24));
    app
}

// ------------------------------------------------------------------ the drafts reminder and mark

#[test]
fn the_drafts_reminder_names_the_patients_and_fits_80_columns() {
    let (_d, store) = with_drafts();
    let app = sign_in(store, "nurse", "demo-nurse1");
    let notice = app.model.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        notice.starts_with(
            "3 unsigned drafts: bed 3 Aisha Rahman (progress note, addendum), bed 6 Linda Kowalski (progress note)"
        ),
        "{notice}"
    );
    // The charge nurse's own draft is hers, not his.
    assert!(!notice.contains("Maria Delgado"), "{notice}");
    // On the screen whole, wrapped in the message area at 80 columns, not cut.
    let s = screen(&app, 80, 24);
    let shown: String = s.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    for part in
        ["bed 3 Aisha Rahman (progress note, addendum),", "bed 6 Linda Kowalski (progress note);", "(v) its addendum."]
    {
        assert!(shown.contains(part), "{part}:\n{s}");
    }
}

#[test]
fn the_reminder_names_them_again_on_unlock() {
    let (_d, store) = with_drafts();
    let mut app = sign_in(store, "nurse", "demo-nurse1");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)));
    let locked = screen(&app, 80, 24);
    assert!(!locked.contains("Aisha Rahman"), "the lock screen names no patient:\n{locked}");
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    let notice = app.model.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.starts_with("Welcome back") && notice.contains("bed 3 Aisha Rahman"), "{notice}");
}

#[test]
fn the_census_marks_beds_with_a_draft_of_yours_and_the_detail_counts_them() {
    let (_d, store) = with_drafts();
    let mut app = sign_in(store, "nurse", "demo-nurse1");
    app.model.notice = None;
    let s = screen(&app, 80, 24);
    assert!(bed_row(&s, "3").starts_with("3 ✎ "), "{s}");
    assert!(bed_row(&s, "6").starts_with("6 ✎ "), "{s}");
    assert!(!bed_row(&s, "1").contains('✎'), "the charge nurse's draft is not his:\n{s}");
    assert!(!bed_row(&s, "2").contains('✎'), "{s}");
    insta::assert_snapshot!("census_draft_marks_80x24", render(&app, 80, 24).backend());
    // Too small: no patient, no mark.
    let small = render(&app, 60, 18);
    let st = text(small.backend().buffer());
    assert!(!st.contains('✎') && !st.contains("Rahman"), "{st}");
    insta::assert_snapshot!("census_draft_marks_60x18", small.backend());
    // The detail panel of bed 3 counts them.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Down);
    let s = screen(&app, 80, 24);
    let detail: String = s.lines().skip_while(|l| !l.starts_with("Bed 3 ·")).collect::<Vec<_>>().join(" ");
    assert!(detail.contains("✎ your 2 unsigned drafts: progress note, addendum"), "{s}");
    // The charge nurse sees her own on bed 1, none of his.
    let (_d2, store) = with_drafts();
    let charge = sign_in(store, "charge", "demo-charge1");
    let s = screen(&charge, 80, 24);
    assert!(bed_row(&s, "1").starts_with("1 ✎ "), "{s}");
    assert!(!bed_row(&s, "3").contains('✎'), "{s}");
}

#[test]
fn the_mark_goes_when_the_draft_is_signed_and_comes_with_a_new_one() {
    let (_d, store) = demo_store();
    let mut app = sign_in(store, "nurse", "demo-nurse1");
    assert!(!bed_row(&screen(&app, 80, 24), "1").contains('✎'));
    // n on bed 1, a format, Esc keeps the draft.
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "D");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Tremor at rest.");
    key(&mut app, KeyCode::Esc);
    let s = screen(&app, 80, 24);
    assert!(bed_row(&s, "1").starts_with("1 ✎ "), "{s}");
    // Discarded: the mark goes.
    key(&mut app, KeyCode::Char('n'));
    key(&mut app, KeyCode::F(8));
    key(&mut app, KeyCode::F(8));
    let me = app.model.me.clone().unwrap();
    assert!(app.store.my_drafts(&me).unwrap().is_empty());
    let s = screen(&app, 80, 24);
    assert!(!bed_row(&s, "1").contains('✎'), "{s}");
}

#[test]
fn the_legend_explains_the_draft_mark() {
    let (_d, store) = demo_store();
    let mut app = sign_in(store, "nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('?'));
    let mut s = screen(&app, 80, 24);
    // A nurse's keys and the legend fitted one page at 80x24 until issue 17's keys (V C E, one
    // line); the legend now ends on the next page, whole.
    if s.contains("PgDn / PgUp more") {
        key(&mut app, KeyCode::PageDown);
        s = screen(&app, 80, 24);
    }
    assert!(s.contains("✎ your draft"), "{s}");
}

// ------------------------------------------------------------------ the trend list

#[test]
fn the_trend_list_keeps_rr_and_spo2_whole_at_80_columns() {
    let (_d, store) = demo_store();
    let mut app = sign_in(store, "nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('h'));
    let s = screen(&app, 80, 24);
    let rr = s.lines().filter(|l| l.contains(" RR ") && l.contains(" SpO2 ")).count();
    assert!(rr >= 3, "every assessment shown keeps RR and SpO2:\n{s}");
    // Whole: each shown vitals line is one the store holds, number by number.
    let wardterm::tui::app::Screen::History(h) = &app.model.screen else { panic!("not the trend") };
    let mut seen = 0;
    for a in &h.page {
        let v = a.vitals.summary(h.temp_unit);
        if s.contains(&format!("   {v}")) {
            seen += 1;
        }
    }
    assert!(seen >= 3, "{s}");
    // Items that do not fit are counted, never cut mid-item.
    assert!(s.contains(" items"), "{s}");
    assert!(!s.lines().any(|l| l.contains("SpO2") && l.trim_end().ends_with('…')), "{s}");
}

// ------------------------------------------------------------------ the charge nurse's help

/// Every key line the role may use, and the legend.
fn census_help(role: Role) -> Vec<String> {
    let mut v: Vec<String> =
        help_lines(CENSUS_KEYS, |a: CensusAction| a.allowed(role)).into_iter().map(|(_, h)| h.to_string()).collect();
    v.extend(CENSUS_LEGEND.iter().map(|(_, h)| h.to_string()));
    v
}

#[test]
fn the_charge_nurse_help_shows_every_key_and_the_legend_at_80x24() {
    let (_d, store) = demo_store();
    let mut app = sign_in(store, "charge", "demo-charge1");
    key(&mut app, KeyCode::Char('?'));
    let first = render(&app, 80, 24);
    let page1 = text(first.backend().buffer());
    assert!(page1.contains("PgDn / PgUp more") && page1.contains("below: PgDn"), "{page1}");
    insta::assert_snapshot!("charge_help_80x24_page1", first.backend());
    key(&mut app, KeyCode::PageDown);
    assert!(app.model.help_open, "PgDn pages, it does not close the help");
    let second = render(&app, 80, 24);
    let page2 = text(second.backend().buffer());
    assert!(page2.contains("above: PgUp"), "{page2}");
    insta::assert_snapshot!("charge_help_80x24_page2", second.backend());
    // Every key line and every legend line is whole on one of the two pages (a line cut with
    // "…" or left off fails).
    let both = format!("{page1}\n{page2}");
    for line in census_help(Role::Charge) {
        assert!(both.contains(&line), "{line}:\n{both}");
    }
    assert!(!both.contains('…'), "{both}");
    // PgDn at the end stays; PgUp comes back to the first page; any other key closes.
    key(&mut app, KeyCode::PageDown);
    assert_eq!(text(render(&app, 80, 24).backend().buffer()), page2);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(text(render(&app, 80, 24).backend().buffer()), page1);
    key(&mut app, KeyCode::Char('x'));
    assert!(!app.model.help_open);
    // Opened again, it starts at its first page.
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::Char('?'));
    assert_eq!(text(render(&app, 80, 24).backend().buffer()), page1);
}
