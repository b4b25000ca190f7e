//! What reaches the terminal (it matters over SSH): ratatui diffs each frame against the last,
//! so a key press on the census sends only the rows that changed, and a tick on which nothing
//! changed sends no cells at all. Counted in bytes through a real crossterm backend; no timing.
use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeZone, Utc};
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tempfile::TempDir;

use wardterm::demo;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::view::view;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

#[derive(Clone, Default)]
struct Counter(Arc<Mutex<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        *self.0.lock().unwrap() += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Counter {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

#[test]
fn a_key_sends_a_few_rows_and_an_idle_tick_sends_no_cells() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now()).unwrap();
    let me = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();

    let out = Counter::default();
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) };
    let mut t = Terminal::with_options(CrosstermBackend::new(out.clone()), options).unwrap();
    let mut frame = |app: &App| {
        t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
        out.take()
    };
    let first = frame(&app);
    assert!(first > 1500, "the first frame draws the whole screen ({first} bytes)");

    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE)));
    let j = frame(&app);
    // Two table rows and the detail panel (eight lines about the selected patient) change; the
    // header, the status line and the other beds are not sent again.
    assert!(j > 0 && j * 2 < first, "'j' redraws only what changed: {j} of {first} bytes");

    app.update(Msg::Tick(now()));
    let idle = frame(&app);
    // Only cursor bookkeeping (hide the cursor), never a cell: no full redraw on a tick.
    assert!(idle < 32, "a tick with nothing changed sent {idle} bytes");
}
