//! The terminal front end: a synchronous Elm loop (crossterm event -> Msg -> update -> view).
//!
//! The terminal is restored on quit, on error and on panic (ratatui's init installs a panic hook
//! that restores it before the message prints).
pub mod app;
pub mod component;
pub mod keymap;
pub mod leave_flow;
pub mod runner;
pub mod screens;
pub mod session;
pub mod signals;
pub mod theme;
pub mod view;
pub mod widgets;

use std::io;
use std::time::{Duration, Instant};

use chrono::Utc;
use ratatui::crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use ratatui::crossterm::execute;

use crate::store::Store;
use app::{App, Msg};
use view::DemoAccounts;

/// How often the clock ticks: "time since" and "overdue" stay true, other terminals' writes show.
const TICK: Duration = Duration::from_secs(1);

/// The longest wait for a key: how soon SIGTERM or SIGHUP is noticed.
const SIGNAL_POLL: Duration = Duration::from_millis(200);

/// Run the app on the real terminal until the user quits.
pub fn run(store: Store, demo_accounts: DemoAccounts) -> io::Result<()> {
    let mut app = App::new(store, Utc::now()).map_err(io::Error::other)?;
    let signals = signals::Signals::install()?;
    let mut terminal = ratatui::try_init()?;
    let _ = execute!(io::stdout(), EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, demo_accounts, &signals);
    signals.loop_left();
    if signals::hung_up() {
        signals::detach_from_dead_terminal();
    }
    // Whatever ended the loop (quit, error, signal), save what the nurse typed first.
    app.shutdown();
    let _ = execute!(io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    signals.finished();
    result
}

/// Keys are judged by the terminal's size now: crossterm may read the resize event after keys
/// typed once the window had changed (and a tick may already have drawn the new size).
fn sync_size(terminal: &ratatui::DefaultTerminal, app: &mut App) {
    if let Ok(size) = terminal.size()
        && app.model.size != Some((size.width, size.height))
    {
        app.update(Msg::Resize(size.width, size.height));
    }
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    demo: DemoAccounts,
    signals: &signals::Signals,
) -> io::Result<()> {
    // A terminal that went away in the middle of a draw or a read: an ending, not an error.
    let gone = |e: io::Error| if signals::hung_up() || signals.received() { Ok(()) } else { Err(e) };
    let mut last_tick = Instant::now();
    // Keys must know whether the screen can be seen (none act while it is too small).
    match terminal.size() {
        Ok(size) => app.update(Msg::Resize(size.width, size.height)),
        Err(e) => return gone(e),
    }
    if let Err(e) = terminal.draw(|f| view::view(f, &app.model, demo)) {
        return gone(e);
    }
    while !app.model.quit && !signals.received() {
        let timeout = TICK.saturating_sub(last_tick.elapsed()).min(SIGNAL_POLL);
        let mut dirty = false;
        // Wait on the terminal here, not in crossterm: crossterm never returns from a terminal
        // that has gone away (see signals.rs). A hangup is an ending, not an error.
        if signals::wait_for_input(timeout) == signals::Input::HungUp || signals.received() {
            break;
        }
        // Everything crossterm has read or can read now (keys, a paste, a resize), without waiting.
        loop {
            // A terminal that went away while keys were still arriving: crossterm's read of it can
            // block, so look before every read (tests/reliability/signals.rs).
            if signals::hung_up() {
                return Ok(());
            }
            match event::poll(Duration::ZERO) {
                Ok(true) if !app.model.quit && !signals.received() => {}
                Ok(_) => break,
                Err(e) => return gone(e),
            }
            let event = match event::read() {
                Ok(ev) => ev,
                Err(e) => return gone(e),
            };
            if matches!(event, Event::Key(_) | Event::Paste(_)) {
                sync_size(terminal, app);
            }
            match event {
                Event::Key(k) => {
                    app.update(Msg::Key(k));
                    dirty = true;
                }
                Event::Paste(s) => {
                    app.update(Msg::Paste(s));
                    dirty = true;
                }
                Event::Resize(w, h) => {
                    app.update(Msg::Resize(w, h));
                    dirty = true;
                }
                _ => {}
            }
        }
        if last_tick.elapsed() >= TICK {
            app.update(Msg::Tick(Utc::now()));
            last_tick = Instant::now();
            dirty = true;
        }
        if dirty && !app.model.quit && !signals.received() {
            // ratatui diffs against the last frame: only changed cells reach the terminal.
            if let Err(e) = terminal.draw(|f| view::view(f, &app.model, demo)) {
                return gone(e);
            }
        }
    }
    Ok(())
}
