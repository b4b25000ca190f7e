//! SIGTERM, SIGHUP (an SSH connection dropped) and SIGINT sent to the running app: it leaves raw
//! mode and the alternate screen and exits 0, as if the nurse had pressed `q`.
use std::time::{Duration, Instant};

use super::{WAIT, Ward};

/// How soon the app must be gone after the signal (it polls for it every 200 ms).
const EXIT_BOUND: Duration = Duration::from_secs(3);

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
