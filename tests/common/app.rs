//! The helpers every screen test uses: a demo ward, an app signed in on it, keys typed as
//! crossterm decodes them from a real terminal, and the screen read back as text.
//!
//! One copy here, not one per test file (issue 15, point 11).
use std::sync::{Mutex, OnceLock};

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::view::view;

/// The demo ward's "now" in most tests: a Wednesday morning, 04:00 in New York.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

/// The demo ward's zone.
pub fn tz() -> chrono_tz::Tz {
    chrono_tz::America::New_York
}

/// A fresh demo ward built at `at`, in its own directory.
pub fn demo_store_at(at: DateTime<Utc>) -> (TempDir, Store) {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, at).unwrap();
    (dir, store)
}

/// A fresh demo ward built at [`now`].
pub fn demo_store() -> (TempDir, Store) {
    demo_store_at(now())
}

/// A copy of a demo ward built once per test binary for each `at` (building one costs four
/// argon2 hashes; tests that only read or add a little start from a copy).
pub fn demo_copy(at: DateTime<Utc>) -> (TempDir, Store) {
    type Built = Vec<(DateTime<Utc>, TempDir)>;
    static BUILT: OnceLock<Mutex<Built>> = OnceLock::new();
    let mut built = BUILT.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if !built.iter().any(|(t, _)| *t == at) {
        let (dir, store) = demo_store_at(at);
        drop(store); // the last connection closes: the WAL is checkpointed into the file
        built.push((at, dir));
    }
    let from = built.iter().find(|(t, _)| *t == at).unwrap().1.path().join("w.db");
    let dir = TempDir::new().unwrap();
    std::fs::copy(from, dir.path().join("w.db")).unwrap();
    let store = Store::open(&dir.path().join("w.db"), OpenMode::MustExist).unwrap();
    (dir, store)
}

/// The app on `store`, signed in as `user` at `at`.
pub fn app_on(mut store: Store, user: &str, pw: &str, at: DateTime<Utc>) -> App {
    let me = store.sign_in(user, pw, at).unwrap().unwrap();
    App::new(store, at).unwrap().signed_in_as(me).unwrap()
}

/// A demo ward (fresh, at [`now`]) with `user` signed in.
pub fn demo_app(user: &str, pw: &str) -> (TempDir, App) {
    let (dir, store) = demo_store();
    (dir, app_on(store, user, pw, now()))
}

/// The whole screen drawn at `w` x `h`.
pub fn render(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
    t
}

/// A buffer's text, row by row.
pub fn text(buf: &Buffer) -> String {
    let a = buf.area;
    (0..a.height)
        .map(|y| (0..a.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The screen's text at `w` x `h`.
pub fn screen_at(app: &App, w: u16, h: u16) -> String {
    text(render(app, w, h).backend().buffer())
}

/// The screen's text at 80x24.
pub fn screen(app: &App) -> String {
    screen_at(app, 80, 24)
}

/// Where `needle` first appears: (column, row).
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let a = buf.area;
    for y in 0..a.height {
        let joined: String = (0..a.width).map(|x| buf[(x, y)].symbol().to_string()).collect();
        if let Some(byte) = joined.find(needle) {
            return Some((joined[..byte].chars().count() as u16, y));
        }
    }
    None
}

/// A key as crossterm decodes it from a real terminal (Shift-Tab is BackTab with SHIFT).
pub fn key(app: &mut App, code: KeyCode) {
    let mods = if code == KeyCode::BackTab { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    app.update(Msg::Key(KeyEvent::new(code, mods)));
}

/// Shift-Tab, as a real terminal sends it.
pub fn shift_tab(app: &mut App) {
    key(app, KeyCode::BackTab);
}

/// Ctrl and a letter.
pub fn ctrl(app: &mut App, c: char) {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

/// Typed text, one key per character.
pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The screen's text at 80x24 and the terminal it was drawn on (for snapshots and styles).
pub fn shown(app: &App) -> (String, Terminal<TestBackend>) {
    let t = render(app, 80, 24);
    (text(t.backend().buffer()), t)
}
