//! SIGTERM, SIGHUP (an SSH connection dropped) and SIGINT sent to the running app: it leaves raw
//! mode and the alternate screen and exits 0, as if the nurse had pressed `q`.
use std::time::{Duration, Instant};

use super::{WAIT, Ward};

/// How soon the app must be gone after the signal (it polls for it every 200 ms). Below the
/// watchdog's 10 s `GRACE`, whose forced exit is status 1 and fails the status check anyway; not
/// tighter, because on a loaded two-core machine (a build running beside the tests) a clean exit
/// that syncs the draft to disk took over 3 s, and this is a liveness check, not a speed claim.
const EXIT_BOUND: Duration = Duration::from_secs(8);

fn ends_cleanly_on(sig: i32, name: &str) {
    let ward = Ward::demo();
    let mut s = ward.sign_in("charge", "demo-charge1", &[]);
    // Mid-work: a form open with something typed.
    s.send("jjjj");
    s.wait_for("Bed 5 is empty.", WAIT).unwrap();
    s.send("aQuinn");
    s.wait_for("Quinn", WAIT).unwrap();
    assert!(s.parser().screen().alternate_screen(), "the app draws on the alternate screen");
    assert!(!s.termios_flags().unwrap().cooked(), "the app runs in raw mode");

    let t = Instant::now();
    s.signal(sig);
    let status = s.wait_exit(WAIT).unwrap_or_else(|| panic!("the app did not exit after {name}:\n{}", s.screen()));
    let took = t.elapsed();
    assert!(status.success(), "{name}: exit status {status:?}");
    assert!(took < EXIT_BOUND, "{name}: exited after {took:?}");
    assert!(!s.parser().screen().alternate_screen(), "{name}: the alternate screen was left");
    let flags = s.termios_flags().unwrap();
    assert!(flags.cooked(), "{name}: line editing and echo are back: {flags:?}");
    assert_eq!(Some(flags), s.initial_termios_flags(), "{name}: the terminal is as it was before the app");
}

#[test]
fn sigterm_restores_the_terminal_and_exits_cleanly() {
    ends_cleanly_on(libc::SIGTERM, "SIGTERM");
}

#[test]
fn sighup_restores_the_terminal_and_exits_cleanly() {
    ends_cleanly_on(libc::SIGHUP, "SIGHUP");
}

#[test]
fn sigint_from_outside_restores_the_terminal_and_exits_cleanly() {
    ends_cleanly_on(libc::SIGINT, "SIGINT");
}

/// A real SSH drop: the terminal itself goes away (every handle on the pty master is closed), the
/// kernel sends SIGHUP, and the app must notice, not spin on a dead terminal, and exit promptly.
/// (The master is read here without a second handle, so closing it really hangs up the line.)
#[test]
fn the_terminal_going_away_ends_the_app_promptly() {
    use std::io::Write;
    use std::num::NonZeroU16;

    use portable_pty::{CommandBuilder, PtySize, native_pty_system};

    let ward = Ward::demo();
    let pty = native_pty_system()
        .openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(super::BIN);
    cmd.args(["--db", ward.db()]);
    for k in ["WARDTERM_DB", "WARDTERM_USER", "WARDTERM_PASSWORD"] {
        cmd.env_remove(k);
    }
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).expect("spawn wardterm");
    drop(pty.slave);
    let fd = pty.master.as_raw_fd().expect("the master's fd");
    let mut parser = vt100::Parser::new(NonZeroU16::new(24).unwrap(), NonZeroU16::new(80).unwrap(), 0);
    let wait_for = |parser: &mut vt100::Parser, text: &str| {
        let deadline = Instant::now() + WAIT;
        while !parser.screen().contents().contains(text) {
            assert!(Instant::now() < deadline, "waiting for {text:?}:\n{}", parser.screen().contents());
            let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
            // SAFETY: one valid pollfd, and a buffer of the length given to read(2).
            if unsafe { libc::poll(&mut pfd, 1, 20) } > 0 {
                let mut buf = [0u8; 8192];
                let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
                if n > 0 {
                    parser.process(&buf[..n as usize]);
                }
            }
        }
    };
    let mut writer = pty.master.take_writer().unwrap();
    wait_for(&mut parser, "Username");
    writer.write_all(b"charge\tdemo-charge1\r").unwrap();
    wait_for(&mut parser, "Bed  Patient");
    writer.write_all(b"jjjjaQuinn").unwrap();
    wait_for(&mut parser, "Quinn");

    let t = Instant::now();
    drop(writer);
    drop(pty.master);
    let deadline = t + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the app was still running {WAIT:?} after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = t.elapsed();
    assert!(took < EXIT_BOUND, "exited {took:?} after the hangup");
    assert!(status.success(), "a hangup is an ending, not an error: {status:?}");
    assert_eq!(super::integrity(&ward.raw()), "ok");
}
