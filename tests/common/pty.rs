//! A pseudo-terminal harness for end-to-end tests: the real binary runs in a pty, its output is
//! fed to a vt100 parser, and the test reads the screen as a person would.
//!
//! Every wait is bounded: a test that does not see what it expects fails with the whole screen,
//! it never hangs. The child is killed when the session is dropped.
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// How often waits look at the screen.
const POLL: Duration = Duration::from_millis(20);

/// Environment variables of the app that the caller's environment must not leak into a test.
const APP_ENV: &[&str] = &["WARDTERM_DB", "WARDTERM_USER", "WARDTERM_PASSWORD"];

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("terminal dimensions must be non-zero")
}

/// The app running in a pseudo-terminal, and what its screen shows.
pub struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Set by the reader thread when the pty reports end of output (the app and every process
    /// holding its terminal are gone).
    eof: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
    /// The pty's modes before the app started.
    initial_flags: Option<TermFlags>,
}

impl Session {
    /// Start the wardterm binary with `args` in a `cols`x`rows` pty, TERM=xterm-256color, plus
    /// `env`. The app's own WARDTERM_* variables are removed from the inherited environment.
    pub fn spawn(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system().openpty(size(cols, rows)).expect("open a pty");
        let initial_flags = termios_flags(&*pty.master);
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_wardterm"));
        cmd.args(args);
        for k in APP_ENV {
            cmd.env_remove(k);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(std::env::temp_dir());
        let child = pty.slave.spawn_command(cmd).expect("spawn wardterm");
        // Only the child keeps the slave open, so the reader sees end of output when it exits.
        drop(pty.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let eof = Arc::new(AtomicBool::new(false));
        let mut reader = pty.master.try_clone_reader().expect("pty reader");
        let reader = {
            let parser = Arc::clone(&parser);
            let eof = Arc::clone(&eof);
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => parser.lock().unwrap_or_else(|p| p.into_inner()).process(&buf[..n]),
                    }
                }
                eof.store(true, Ordering::SeqCst);
            })
        };
        let writer = pty.master.take_writer().expect("pty writer");
        Session { master: pty.master, writer, child, parser, eof, reader: Some(reader), status: None, initial_flags }
    }

    /// Type bytes at the terminal: "\t" Tab, "\r" Enter, "\x1b" Esc, "\x1b[A" Up, "\x03" Ctrl-C.
    ///
    /// A lone Esc must be sent on its own (and the test should wait for its effect before
    /// typing on): followed at once by more bytes it would read as the start of a sequence.
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .and_then(|()| self.writer.flush())
            .unwrap_or_else(|e| panic!("typing {keys:?}: {e}"));
    }

    /// Type a lone Esc key, and give the app a moment to read it on its own.
    pub fn esc(&mut self) {
        self.send("\x1b");
        thread::sleep(Duration::from_millis(100));
    }

    /// The screen's text, rows joined by newlines.
    pub fn screen(&self) -> String {
        self.parser().screen().contents()
    }

    /// Lock the parser for anything else about the screen (alternate screen, cursor, cells).
    pub fn parser(&self) -> std::sync::MutexGuard<'_, vt100::Parser> {
        self.parser.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The screen row that contains `needle`, if any.
    pub fn line_with(&self, needle: &str) -> Option<String> {
        self.screen().lines().find(|l| l.contains(needle)).map(str::to_string)
    }

    /// Wait until `pred` holds for the screen; on timeout, an error with the whole screen.
    pub fn wait_until(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> Result<(), String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return Ok(());
            }
            if start.elapsed() >= timeout {
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what}; the screen shows:\n{}\n{}\n{}",
                    "-".repeat(80),
                    screen,
                    "-".repeat(80)
                ));
            }
            if self.eof.load(Ordering::SeqCst) {
                // No more output will come: one last look, then give up early.
                let screen = self.screen();
                if pred(&screen) {
                    return Ok(());
                }
                return Err(format!(
                    "the app closed its terminal while waiting for {what}; the screen shows:\n{}",
                    screen
                ));
            }
            thread::sleep(POLL);
        }
    }

    /// Wait until the screen contains `text`.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> Result<(), String> {
        self.wait_until(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    /// Resize the terminal, as a person dragging the window would (the app gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.parser().screen_mut().set_size(nz(rows), nz(cols));
        self.master.resize(size(cols, rows)).expect("resize the pty");
    }

    /// Wait for the app to exit and its last output to reach the screen; `None` on timeout.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while self.status.is_none() {
            match self.child.try_wait() {
                Ok(Some(s)) => self.status = Some(s),
                Ok(None) if start.elapsed() < timeout => thread::sleep(POLL),
                _ => return None,
            }
        }
        // Drain: everything the app wrote before exiting is parsed once the reader hits the end.
        while !self.eof.load(Ordering::SeqCst) && start.elapsed() < timeout {
            thread::sleep(POLL);
        }
        if self.eof.load(Ordering::SeqCst)
            && let Some(r) = self.reader.take()
        {
            let _ = r.join();
        }
        self.status.clone()
    }

    /// The app's process id.
    #[allow(dead_code)] // not every test crate sends signals
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a process id")
    }

    /// Send a signal to the app, as `kill -SIG` would (e.g. `libc::SIGTERM`, `libc::SIGHUP`).
    #[allow(dead_code)] // not every test crate sends signals
    pub fn signal(&self, sig: i32) {
        let pid = i32::try_from(self.pid()).expect("pid fits in pid_t");
        // SAFETY: kill(2) with a pid we started and a valid signal number has no memory effects.
        let rc = unsafe { libc::kill(pid, sig) };
        assert_eq!(rc, 0, "kill({pid}, {sig}): {}", std::io::Error::last_os_error());
    }

    /// The terminal's mode flags (termios) now, e.g. to see whether raw mode is on.
    pub fn termios_flags(&self) -> Option<TermFlags> {
        termios_flags(&*self.master)
    }

    /// The terminal's mode flags as they were before the app started.
    pub fn initial_termios_flags(&self) -> Option<TermFlags> {
        self.initial_flags.clone()
    }
}

/// The pty's termios flags, by name. The names are read from termios' Debug text
/// (`LocalFlags(ECHO | ICANON | ...)`), which needs no direct dependency on the termios crate.
fn termios_flags(master: &dyn MasterPty) -> Option<TermFlags> {
    let t = master.get_termios()?;
    let words = |dbg: String| -> Vec<String> {
        dbg.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    Some(TermFlags {
        local: words(format!("{:?}", t.local_flags)),
        input: words(format!("{:?}", t.input_flags)),
        output: words(format!("{:?}", t.output_flags)),
    })
}

/// The termios flag names that are set, per group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermFlags {
    pub local: Vec<String>,
    pub input: Vec<String>,
    pub output: Vec<String>,
}

impl TermFlags {
    /// Line editing (canonical mode) and echo: what raw mode turns off and quitting restores.
    pub fn cooked(&self) -> bool {
        self.local.iter().any(|w| w == "ICANON") && self.local.iter().any(|w| w == "ECHO")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let deadline = Instant::now() + Duration::from_secs(5);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                thread::sleep(POLL);
            }
        }
        // The reader thread ends when the pty closes; it is not joined here so a stuck child
        // can never hang the test run.
    }
}
