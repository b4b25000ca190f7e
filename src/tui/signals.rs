//! How the app learns that it must end: SIGTERM, SIGHUP (an SSH connection dropped), SIGINT, or
//! its terminal going away.
//!
//! The handlers only set a flag; the event loop looks at it after every wait (waits are short)
//! and leaves through the same path as `q`, so drafts are saved and raw mode and the alternate
//! screen are undone. A second signal ends the process at once (exit 1).
//!
//! A terminal that has gone away stays "readable" forever, and crossterm 0.29 then re-reads it in
//! a loop that never returns (crossterm issue #793, fix proposed in PR #1067). So the loop waits
//! for input itself ([`wait_for_input`]) and calls crossterm only when the terminal is alive; and
//! a watchdog ends the process if, [`GRACE`] after an ending signal, the loop has still not
//! finished (it was caught in that crossterm loop in the instant the terminal went away).
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::flag;

/// The signals that ask the app to end.
pub const ENDING: [i32; 3] = [SIGTERM, SIGHUP, SIGINT];

/// How long the normal ending may take (saving drafts may wait out another terminal's write).
pub const GRACE: Duration = Duration::from_secs(10);

/// After a hangup, how long the event loop may take to leave: it looks every `SIGNAL_POLL`
/// (200 ms), and a write it is in the middle of may wait out another terminal's transaction (the
/// store's 5 s busy timeout), so 6 s. A loop that has not left by then while its terminal is gone
/// is caught in crossterm's endless re-read (see above) and will never save anything: waiting
/// out the whole [`GRACE`] would only keep a dead session's process around.
pub const STUCK_AFTER_HANGUP: Duration = Duration::from_secs(6);

/// The flag the handlers set. The handlers stay installed until the process ends: a signal that
/// arrives while the terminal is being restored must not kill the process half-way.
pub struct Signals {
    flag: Arc<AtomicBool>,
    finished: Arc<AtomicBool>,
    loop_left: Arc<AtomicBool>,
}

impl Signals {
    pub fn install() -> io::Result<Signals> {
        let flag = Arc::new(AtomicBool::new(false));
        for sig in ENDING {
            // Order matters: the conditional shutdown sees the flag as it was before this signal.
            flag::register_conditional_shutdown(sig, 1, Arc::clone(&flag))?;
            flag::register(sig, Arc::clone(&flag))?;
        }
        let finished = Arc::new(AtomicBool::new(false));
        let loop_left = Arc::new(AtomicBool::new(false));
        let mut watched = signal_hook::iterator::Signals::new(ENDING)?;
        let (done, left) = (Arc::clone(&finished), Arc::clone(&loop_left));
        thread::Builder::new().name("ending-watchdog".into()).spawn(move || {
            if watched.forever().next().is_some() {
                let since = std::time::Instant::now();
                while since.elapsed() < GRACE {
                    thread::sleep(Duration::from_millis(100));
                    if done.load(Ordering::SeqCst) {
                        return;
                    }
                    // Stuck in crossterm on a dead terminal: a hangup is an ending (exit 0).
                    if since.elapsed() >= STUCK_AFTER_HANGUP && !left.load(Ordering::SeqCst) && hung_up() {
                        std::process::exit(0);
                    }
                }
                if !done.load(Ordering::SeqCst) {
                    std::process::exit(1);
                }
            }
        })?;
        Ok(Signals { flag, finished, loop_left })
    }

    /// The event loop has returned: what follows (saving drafts) may take the whole [`GRACE`].
    pub fn loop_left(&self) {
        self.loop_left.store(true, Ordering::SeqCst);
    }

    /// Whether an ending signal has arrived.
    pub fn received(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// The normal ending is done: the watchdog stands down.
    pub fn finished(&self) {
        self.finished.store(true, Ordering::SeqCst);
    }
}

/// What waiting on the terminal found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// Something to read (a key, a paste).
    Ready,
    /// Nothing within the timeout (or a signal interrupted the wait).
    Quiet,
    /// The terminal is gone (hung up, closed): there will never be input again.
    HungUp,
}

/// Wait up to `timeout` for input on the terminal the app reads (standard input, which
/// `run_app` has checked is a terminal).
pub fn wait_for_input(timeout: Duration) -> Input {
    let mut pfd = libc::pollfd { fd: libc::STDIN_FILENO, events: libc::POLLIN, revents: 0 };
    let ms = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: one valid pollfd for the duration of the call.
    let n = unsafe { libc::poll(&mut pfd, 1, ms) };
    if n < 0 {
        return Input::Quiet; // EINTR: a signal; the caller looks at the flag
    }
    if pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
        return Input::HungUp;
    }
    if pfd.revents & libc::POLLIN == 0 {
        return Input::Quiet;
    }
    // Readable with nothing to read is end-of-file: the terminal is hanging up (the kernel sets
    // POLLHUP a moment later). Handing that to crossterm would spin in its read loop.
    let mut pending: libc::c_int = 0;
    // SAFETY: FIONREAD writes one c_int through the pointer given.
    let ok = unsafe { libc::ioctl(libc::STDIN_FILENO, libc::FIONREAD, &mut pending) } == 0;
    if ok && pending == 0 { Input::HungUp } else { Input::Ready }
}

/// Whether the terminal has gone away (checked without waiting).
pub fn hung_up() -> bool {
    wait_for_input(Duration::ZERO) == Input::HungUp
}

/// Point standard output and error at /dev/null once the terminal is gone: restoring it and
/// any last message would otherwise fail, and `eprintln!` (ratatui's restore, the terminal's
/// drop) panics on a failed write, which aborts the process instead of letting it exit cleanly.
pub fn detach_from_dead_terminal() {
    // SAFETY: open(2) of a constant path; dup2(2) onto the standard descriptors; close(2) of ours.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if null >= 0 {
            libc::dup2(null, libc::STDOUT_FILENO);
            libc::dup2(null, libc::STDERR_FILENO);
            libc::close(null);
        }
    }
}
