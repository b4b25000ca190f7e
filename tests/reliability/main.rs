//! Reliability (issue 7): several terminals on one database, signals, backups and restores, bad
//! environments, and upgrades from every released schema. Each module names what it proves.
//!
//! Every wait is bounded; a test that does not see what it expects fails with what it saw.
#[path = "../common/mod.rs"]
mod common;

mod backup;
mod bad_env;
mod concurrency;
mod signals;
mod upgrade;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use tempfile::TempDir;

use common::pty::Session;
use wardterm::demo;
use wardterm::domain::user::Staff;
use wardterm::store::{OpenMode, Store};

/// Long enough for a loaded CI machine; a passing test never waits this long.
pub const WAIT: Duration = Duration::from_secs(10);

pub const BIN: &str = env!("CARGO_BIN_EXE_wardterm");

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
/// Ctrl-S: save a form from any field.
pub const SAVE: &str = "\x13";

/// The binary with none of the caller's WARDTERM_* settings and no terminal on stdin.
pub fn wardterm(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_remove("WARDTERM_DB")
        .env_remove("WARDTERM_USER")
        .env_remove("WARDTERM_PASSWORD")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run wardterm")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// A demo ward built by the real binary (`init --demo`) in its own temporary directory.
pub struct Ward {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Ward {
    pub fn demo() -> Ward {
        let dir = TempDir::new().expect("temp dir");
        let db = dir.path().join("ward.db");
        let o = wardterm(&["init", "--demo", "--db", path_str(&db)], &[]);
        assert!(o.status.success(), "init --demo failed: {}", stderr(&o));
        Ward { dir, db }
    }

    pub fn db(&self) -> &str {
        path_str(&self.db)
    }

    pub fn store(&self) -> Store {
        Store::open(&self.db, OpenMode::MustExist).expect("open the demo ward")
    }

    /// A plain connection, as the sqlite3 shell would open it.
    pub fn raw(&self) -> Connection {
        Connection::open(&self.db).expect("open the demo ward raw")
    }

    /// Open the app in an 80x24 pty and sign in; returns at the census board.
    pub fn sign_in(&self, user: &str, password: &str, env: &[(&str, &str)]) -> Session {
        let mut s = Session::spawn(&["--db", self.db()], 80, 24, env);
        s.wait_for("Username", WAIT).unwrap();
        s.send(&format!("{user}{TAB}{password}{ENTER}"));
        s.wait_for("Bed  Patient", WAIT).unwrap();
        s.wait_until("the census footer", WAIT, |scr| scr.lines().last().unwrap_or("").contains("q quit")).unwrap();
        s
    }
}

pub fn sign_in(store: &mut Store, user: &str, pw: &str) -> Staff {
    store.sign_in(user, pw, Utc::now()).expect("sign in").expect("demo password")
}

/// Count the rows of a table through any connection.
pub fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| r.get(0)).expect("count rows")
}

pub fn integrity(conn: &Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

/// Build the demo ward in-process (times relative to `now`).
pub fn demo_store(dir: &TempDir, now: DateTime<Utc>) -> Store {
    let mut store = Store::open(&dir.path().join("w.db"), OpenMode::CreateIfMissing).unwrap();
    demo::build(&mut store, now).unwrap();
    store
}

/// The label of the focused form field on a pty screen (the row marked `▶`).
pub fn focused_label(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains("▶ "))?;
    let after = line.split("▶ ").nth(1)?;
    let label = after.split("  ").next()?.trim();
    (!label.is_empty()).then(|| label.to_string())
}

/// Fill a form on a pty screen by its labels: Tab to each field, type its keys.
pub fn fill_form(s: &mut Session, fields: &[(&str, &str)]) {
    for (label, keys) in fields {
        let mut tabs = 0;
        loop {
            let now = focused_label(&s.screen());
            if now.as_deref() == Some(*label) {
                break;
            }
            assert!(tabs < 40, "no field {label:?} in the form; the screen shows:\n{}", s.screen());
            s.send(TAB);
            tabs += 1;
            s.wait_until(&format!("focus to leave {now:?}"), WAIT, |scr| {
                focused_label(scr).is_some_and(|f| Some(f) != now)
            })
            .unwrap();
        }
        s.send(keys);
    }
}

/// An admission form's fields, every one valid.
pub fn admission<'a>(name: &'a str, mrn: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("Name", name),
        ("Date of birth", "1985-06-15"),
        ("Sex", "F"),
        ("MRN", mrn),
        ("Admitted at", "now"),
        ("Level of care", "\x1b[C\x1b[C\x1b[C\x1b[C"),
        ("Substances", "alcohol"),
        ("Last use", "yesterday evening, per patient"),
        ("Allergies", "NKDA"),
        ("Precautions", "seizure"),
        ("Attending", "Dr. Okonkwo"),
        ("Code status", "F"),
        ("Protocol", "c"),
        ("Observation", "q"),
    ]
}
