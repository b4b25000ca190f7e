//! SIGTERM, SIGHUP (an SSH connection dropped) and SIGINT end the app the normal way.
//!
//! The handlers only set a flag; the event loop looks at it after every poll (polls are short
//! while the app runs) and leaves through the same path as `q`, so raw mode and the alternate
//! screen are always undone. A second signal while the first is being handled ends the process
//! at once (exit 1), so a stuck shutdown can still be stopped.
//!
//! Drafts (progress notes) are to be saved on this path too, before the terminal is restored.
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::flag;

/// The signals that ask the app to end.
pub const ENDING: [i32; 3] = [SIGTERM, SIGHUP, SIGINT];

/// The flag the handlers set. The handlers stay installed until the process ends: a signal that
/// arrives while the terminal is being restored must not kill the process half-way.
pub struct Signals {
    flag: Arc<AtomicBool>,
}

impl Signals {
    pub fn install() -> io::Result<Signals> {
        let flag = Arc::new(AtomicBool::new(false));
        for sig in ENDING {
            // Order matters: the conditional shutdown sees the flag as it was before this signal.
            flag::register_conditional_shutdown(sig, 1, Arc::clone(&flag))?;
            flag::register(sig, Arc::clone(&flag))?;
        }
        Ok(Signals { flag })
    }

    /// Whether an ending signal has arrived.
    pub fn received(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }
}
