//! Hostile input: random key, paste and tick sequences fed to the app's `update` and drawn at
//! random sizes (1x1 included); random command lines; a megabyte pasted into fields; control
//! characters and escape sequences in names, which are refused on the way in and shown inert
//! everywhere if they reach the database anyway. Nothing may panic; every loop is bounded.
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use clap::Parser;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use tempfile::TempDir;

use wardterm::cli::{Cli, Command as Sub};
use wardterm::commands;
use wardterm::demo;
use wardterm::domain::scale;
use wardterm::domain::stay::AdmissionForm;
use wardterm::domain::user::Staff;
use wardterm::store::users::staff_by_id;
use wardterm::store::{OpenMode, Store, StoreError};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::view::view;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

/// A demo ward database to copy from, built once per test.
struct Template {
    dir: TempDir,
    db: PathBuf,
}

impl Template {
    fn new() -> Template {
        let dir = TempDir::new().unwrap();
        let db = dir.path().join("template.db");
        let mut store = Store::open(&db, OpenMode::CreateIfMissing).unwrap();
        demo::build(&mut store, now()).unwrap();
        drop(store); // checkpoints: the whole ward is in the one file
        Template { dir, db }
    }

    /// A fresh copy of the ward, in its own directory.
    fn copy(&self) -> (TempDir, PathBuf) {
        let dir = TempDir::new_in(self.dir.path()).unwrap();
        let db = dir.path().join("w.db");
        fs::copy(&self.db, &db).unwrap();
        (dir, db)
    }
}

fn staff(store: &Store, username: &str) -> Staff {
    let id: i64 =
        store.raw_connection().query_row("SELECT id FROM user WHERE username = ?1", [username], |r| r.get(0)).unwrap();
    staff_by_id(store.raw_connection(), id).unwrap().unwrap()
}

fn app_as(db: &Path, username: &str) -> App {
    let store = Store::open(db, OpenMode::MustExist).unwrap();
    let me = staff(&store, username);
    App::new(store, now()).unwrap().signed_in_as(me).unwrap()
}

/// Draw the whole app into a `w`x`h` test terminal; the buffer's cells.
fn draw(app: &App, w: u16, h: u16) -> ratatui::buffer::Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &ratatui::buffer::Buffer) -> String {
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A key as crossterm decodes it from a real terminal: Shift-Tab (`ESC [ Z`) is BackTab with SHIFT.
fn press(app: &mut App, code: KeyCode) {
    let mods = if code == KeyCode::BackTab { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    app.update(Msg::Key(KeyEvent::new(code, mods)));
}

// ------------------------------------------------------------------ random messages to update

fn key_code() -> impl Strategy<Value = KeyCode> {
    let special = prop_oneof![
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::Home),
        Just(KeyCode::End),
        Just(KeyCode::Backspace),
        Just(KeyCode::Delete),
        Just(KeyCode::Insert),
        Just(KeyCode::Null),
        (1u8..=12).prop_map(KeyCode::F),
    ];
    // The app's own keys, digits for scores and a few letters, far more often than random ones.
    let app_keys: Vec<char> = "jkgGsatlodpnvhUA?/LrR0123456789 -:.,yYnNcfq".chars().collect();
    prop_oneof![
        6 => proptest::sample::select(app_keys).prop_map(KeyCode::Char),
        3 => special,
        2 => any::<char>().prop_map(KeyCode::Char),
    ]
}

fn key_event() -> impl Strategy<Value = KeyEvent> {
    let modifiers = prop_oneof![
        8 => Just(KeyModifiers::NONE),
        1 => Just(KeyModifiers::CONTROL),
        1 => Just(KeyModifiers::SHIFT),
        1 => Just(KeyModifiers::ALT),
        1 => Just(KeyModifiers::CONTROL | KeyModifiers::SHIFT),
    ];
    let kind =
        prop_oneof![8 => Just(KeyEventKind::Press), 1 => Just(KeyEventKind::Repeat), 1 => Just(KeyEventKind::Release)];
    (key_code(), modifiers, kind).prop_map(|(code, modifiers, kind)| KeyEvent {
        code,
        modifiers,
        kind,
        state: KeyEventState::NONE,
    })
}

/// Pasted text: ordinary words, control characters and escape sequences, some long.
fn pasted() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ,.:-]{0,40}",
        ".{0,80}",
        Just("\x1b[2J\x1b]0;owned\x07\r\nEvil\u{9b}31m".to_string()),
        (1usize..3000).prop_map(|n| "ab\u{e9}\u{1F600}".repeat(n)),
    ]
}

#[derive(Clone, Debug)]
enum Step {
    Key(KeyEvent),
    Paste(String),
    /// Seconds from the demo's "now"; negative goes back in time.
    Tick(i64),
    /// A nurse signing in again (after a random `L`).
    SignIn,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        40 => key_event().prop_map(Step::Key),
        2 => pasted().prop_map(Step::Paste),
        3 => (-7200i64..4 * 86_400).prop_map(Step::Tick),
        1 => Just(Step::SignIn),
    ]
}

/// Terminal sizes: tiny ones (the "too small" message), the 80x24 of a ward terminal, and larger.
fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        1 => Just((1u16, 1u16)),
        1 => Just((20, 10)),
        1 => Just((79, 23)),
        1 => (1u16..100, 1u16..30),
        6 => Just((80, 24)),
        2 => (80u16..140, 24u16..45),
        1 => Just((200, 60)),
    ]
}

#[test]
fn random_keys_pastes_and_ticks_never_panic_at_any_size() {
    let template = Template::new();
    // PROPTEST_CASES=1000 for a deeper run by hand; CI runs 64.
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64);
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 300,
        max_shrink_time: 60_000,
        ..Config::default()
    };
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let strategy = (
        proptest::sample::select(vec!["charge", "nurse", "lpn", "admin"]),
        proptest::collection::vec((step(), size()), 1..120),
    );
    let result = runner.run(&strategy, |(user, steps)| {
        let (_dir, db) = template.copy();
        let mut app = app_as(&db, user);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        for (step, (w, h)) in steps {
            match step {
                Step::Key(k) => app.update(Msg::Key(k)),
                Step::Paste(s) => app.update(Msg::Paste(s)),
                Step::Tick(secs) => app.update(Msg::Tick(now() + chrono::Duration::seconds(secs))),
                Step::SignIn => {
                    for c in "charge\tdemo-charge1\r".chars() {
                        let code = match c {
                            '\t' => KeyCode::Tab,
                            '\r' => KeyCode::Enter,
                            c => KeyCode::Char(c),
                        };
                        press(&mut app, code);
                    }
                }
            }
            // Keep exploring after a random `q`: quitting is the loop's business, not update's.
            app.model.quit = false;
            terminal.backend_mut().resize(w, h);
            terminal.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
            let escaped = terminal.backend().buffer().content().iter().any(|c| c.symbol().contains('\x1b'));
            prop_assert!(!escaped, "an escape character reached the screen");
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!("{cases} random sessions in {:?}", started.elapsed());
}

// ------------------------------------------------------------------ random command lines

fn arg() -> impl Strategy<Value = OsString> {
    let words = vec![
        "census",
        "score",
        "init",
        "backup",
        "restore",
        "verify",
        "audit",
        "user",
        "list",
        "add",
        "--db",
        "--demo",
        "--user",
        "--as",
        "--force",
        "--yes",
        "--json",
        "--list",
        "--hr",
        "--help",
        "--version",
        "-h",
        "-V",
        "--",
        "ciwa-ar",
        "cows",
        "ciwa-b",
        "tremor=4",
        "pulse=2",
        "nausea=7",
        "orientation=4",
        "gooseflesh=5",
        "=",
        "x=",
        "=5",
        "tremor=-1",
        "tremor=99999999999999999999",
        "tremor=٣",
        "--hr=65535",
        "--hr=-1",
        "--hr",
        "999999",
        "--beds",
        "0",
        "--years",
        "31",
        "--since",
        "9999-99-99",
        "--limit",
        "-1",
    ];
    prop_oneof![
        6 => proptest::sample::select(words).prop_map(OsString::from),
        2 => ".{0,20}".prop_map(OsString::from),
        1 => "[a-z_]{1,12}=[0-9-]{0,6}".prop_map(OsString::from),
        1 => proptest::collection::vec(any::<u8>(), 0..12).prop_map(|b| {
            use std::os::unix::ffi::OsStringExt;
            OsString::from_vec(b)
        }),
    ]
}

#[test]
fn random_command_lines_never_panic_and_score_never_panics() {
    let dir = TempDir::new().unwrap();
    // Anything that would touch a database gets one that does not exist (and is never created:
    // only `score`, which opens none, is run).
    let missing = dir.path().join("absent.db");
    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    let result = runner.run(&proptest::collection::vec(arg(), 0..8), |args| {
        let mut argv = vec![OsString::from("wardterm")];
        argv.extend(args);
        if let Ok(cli) = Cli::try_parse_from(&argv)
            && let Some(Sub::Score { .. }) = &cli.command
        {
            let mut db = cli.db.clone();
            db.db = Some(missing.clone());
            let _ = commands::run(cli.command, &db);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    assert!(!missing.exists(), "the score calculator never creates a database");

    let mut runner = TestRunner::new(Config { cases: 256, failure_persistence: None, ..Config::default() });
    let items = proptest::collection::vec(".{0,16}", 0..12);
    let result = runner.run(&(".{0,8}", items, proptest::option::of(any::<u16>())), |(key, items, hr)| {
        for k in [key.as_str(), "ciwa-ar", "cows", "ciwa-b"] {
            let _ = scale::calculate(k, &items, hr, None);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ------------------------------------------------------------------ a megabyte pasted

/// About a megabyte: letters, multibyte characters, escape sequences and line breaks.
fn megabyte() -> String {
    "Quinn \u{e9}\u{1F600} \x1b[2J\x07\r\n".repeat(1 << 16)
}

/// How long one paste of a megabyte may take in a debug build.
const PASTE_BOUND: Duration = Duration::from_secs(2);

#[test]
fn a_megabyte_pasted_into_a_field_is_capped_fast_and_inert() {
    let template = Template::new();
    let (_dir, db) = template.copy();
    let mut app = app_as(&db, "charge");
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char('a'));
    assert!(app.model.dialog.is_some(), "the admission form is open");
    let big = megabyte();
    assert!(big.len() > 1_000_000);
    for round in 1..=3 {
        let t = Instant::now();
        app.update(Msg::Paste(big.clone()));
        assert!(t.elapsed() < PASTE_BOUND, "paste {round} took {:?}", t.elapsed());
        let name = app.model.dialog.as_ref().unwrap().form.value(0);
        let n = name.chars().count();
        assert!(n > 0 && n <= 500, "paste {round}: the field holds at most 500 characters, it holds {n}");
        assert!(!name.chars().any(char::is_control), "paste {round}: control characters are dropped");
        let t = Instant::now();
        let shown = text(&draw(&app, 80, 24));
        assert!(t.elapsed() < PASTE_BOUND, "drawing took {:?}", t.elapsed());
        assert!(shown.contains("Quinn"), "{shown}");
    }
    // Saving it is refused with a message (the name is too long), not a panic.
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    assert!(app.model.dialog.as_ref().is_some_and(|d| d.form.error.is_some()));

    // The census filter.
    let mut app = app_as(&db, "nurse");
    press(&mut app, KeyCode::Char('/'));
    for round in 1..=3 {
        let t = Instant::now();
        app.update(Msg::Paste(big.clone()));
        assert!(t.elapsed() < PASTE_BOUND, "filter paste {round} took {:?}", t.elapsed());
        let n = app.model.census.filter.chars().count();
        assert!(n <= 100, "filter paste {round}: at most 100 characters, it holds {n}");
        let _ = draw(&app, 80, 24);
    }

    // The sign-in form, before anyone is signed in.
    let store = Store::open(&db, OpenMode::MustExist).unwrap();
    let mut app = App::new(store, now()).unwrap();
    for _ in 0..2 {
        app.update(Msg::Paste(big.clone()));
    }
    let _ = draw(&app, 80, 24);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert!(app.model.me.is_none());
}

// ------------------------------------------------------------------ escape sequences in names

const EVIL: &str = "\x1b[2J\x07Evil\r\n";

/// Characters that would act on a terminal: C0 (except newline, for printouts), DEL, C1.
fn acts_on_a_terminal(c: char) -> bool {
    c != '\n' && c.is_control()
}

fn admission(name: &str, mrn: &str) -> AdmissionForm {
    AdmissionForm {
        name: name.into(),
        birth_date: "1980-01-02".into(),
        sex: "F".into(),
        mrn: mrn.into(),
        admitted_at: "now".into(),
        level_of_care: "3.7-WM".into(),
        substances: "alcohol".into(),
        last_use: "yesterday".into(),
        allergies: "NKDA".into(),
        precautions: String::new(),
        attending: "Dr. Test".into(),
        code_status: "Full code".into(),
        protocol: "ciwa-ar".into(),
        observation: "q15".into(),
    }
}

#[test]
fn control_characters_in_a_name_are_refused_by_the_domain_and_by_the_store() {
    let tz = chrono_tz::America::New_York;
    let (levels, obs) = (["3.7-WM".to_string()], ["q15".to_string()]);
    let refused = admission(EVIL, "EVIL-1").validate(now(), tz, &levels, &obs).unwrap_err();
    assert!(refused.contains("Name") && refused.contains("control characters"), "{refused}");

    let template = Template::new();
    let (_dir, db) = template.copy();
    let mut store = Store::open(&db, OpenMode::MustExist).unwrap();
    let charge = staff(&store, "charge");
    let bed = store.census().unwrap().iter().find(|r| r.occupant.is_none()).unwrap().bed_id;
    let patients: i64 = store.raw_connection().query_row("SELECT count(*) FROM patient", [], |r| r.get(0)).unwrap();
    // Built past the form, as a future import or a careless caller might.
    let mut a = admission("Plain Name", "EVIL-1").validate(now(), tz, &levels, &obs).unwrap();
    for field in ["name", "mrn", "allergies", "attending"] {
        let mut bad = a.clone();
        match field {
            "name" => bad.name = EVIL.into(),
            "mrn" => bad.mrn = "EV\x1bIL".into(),
            "allergies" => bad.allergies = "NKDA\x07".into(),
            _ => bad.attending = "Dr.\u{9b}2J".into(),
        }
        match store.admit(&charge, bed, &bad, now()) {
            Err(StoreError::Refused(why)) => assert!(why.contains("control characters"), "{field}: {why}"),
            other => panic!("{field}: the store must refuse control characters, got {other:?}"),
        }
    }
    let after: i64 = store.raw_connection().query_row("SELECT count(*) FROM patient", [], |r| r.get(0)).unwrap();
    assert_eq!(after, patients, "nothing was written");
    a.name = "Plain Name".into();
    store.admit(&charge, bed, &a, now()).expect("the same admission with a plain name is saved");
}

/// Put escape sequences straight into the database, as a bad import or the sqlite3 shell could.
fn poison(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    let patient: i64 = conn
        .query_row(
            "SELECT s.patient_id FROM stay s JOIN bed b ON b.id = s.bed_id WHERE s.discharged_at IS NULL
             ORDER BY b.sort LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute("UPDATE patient SET name = ?2 WHERE id = ?1", rusqlite::params![patient, EVIL]).unwrap();
    conn.execute(
        "UPDATE stay SET allergies = 'NKDA' || char(27) || ']0;t' || char(7), attending = 'Dr' || char(13) || 'X'
         WHERE patient_id = ?1 AND discharged_at IS NULL",
        [patient],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO audit (at, user_id, action, patient_id, detail) VALUES ('2026-11-25T08:00:00Z', 1, 'read', ?1, ?2)",
        rusqlite::params![patient, format!("opened {EVIL}")],
    )
    .unwrap();
    // A signed note whose text and signer carry escape sequences (found by searching "poisoned").
    let sections = serde_json::to_string(&[("Note", format!("poisoned {EVIL} text\u{1b}[31m red"))]).unwrap();
    conn.execute(
        "INSERT INTO note (stay_id, kind, format, author, sections, started_at, saved_at)
         SELECT id, 'note', 'narrative', 1, ?2, '2026-11-25T07:00:00Z', '2026-11-25T07:00:00Z'
         FROM stay WHERE patient_id = ?1 AND discharged_at IS NULL",
        rusqlite::params![patient, sections],
    )
    .unwrap();
    conn.execute(
        "UPDATE note SET event_at = '2026-11-25T07:00:00Z', signed_at = '2026-11-25T07:05:00Z',
           author_name = ?1, author_credentials = 'RN', hash = ?2 WHERE id = last_insert_rowid()",
        rusqlite::params![EVIL, "0".repeat(64)],
    )
    .unwrap();
    patient
}

#[test]
fn escape_sequences_already_in_the_database_are_shown_inert_on_every_screen() {
    let template = Template::new();
    let (_dir, db) = template.copy();
    poison(&db);
    // Bed 1 (selected on sign-in) holds the poisoned patient. Each key opens one more screen.
    for keys in
        ["", "\n", "h", "v", "n", "p", "t", "l", "o", "d", "A", "U", "?", "/Evil", "Fpoisoned\n", "Fpoisoned\n\n"]
    {
        let mut app = app_as(&db, "admin");
        for c in keys.chars() {
            press(&mut app, if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) });
        }
        if keys.starts_with('F') {
            let shown = text(&draw(&app, 80, 24));
            assert!(shown.contains("1 note with \"poisoned\""), "the search finds the poisoned note:\n{shown}");
        }
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let buf = draw(&app, w, h);
            for cell in buf.content() {
                assert!(
                    !cell.symbol().chars().any(acts_on_a_terminal),
                    "after keys {keys:?} at {w}x{h}, a cell holds {:?}:\n{}",
                    cell.symbol(),
                    text(&buf)
                );
            }
        }
    }
}

fn wardterm(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wardterm"))
        .args(args)
        .env_remove("WARDTERM_DB")
        .env_remove("WARDTERM_USER")
        .env("WARDTERM_PASSWORD", "demo-charge1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn escape_sequences_already_in_the_database_are_inert_in_printouts_and_messages() {
    let template = Template::new();
    let (_dir, db) = template.copy();
    poison(&db);
    let db = db.to_str().unwrap();
    let census = wardterm(&["census", "--db", db, "--user", "charge"]);
    assert!(census.status.success(), "{}", String::from_utf8_lossy(&census.stderr));
    let out = String::from_utf8(census.stdout).unwrap();
    assert!(out.contains("Evil"), "the poisoned name is printed, as text:\n{out}");
    assert!(!out.chars().any(acts_on_a_terminal), "the census printout holds a control character:\n{out:?}");

    let audit = wardterm(&["audit", "--db", db, "--as", "charge"]);
    assert!(audit.status.success(), "{}", String::from_utf8_lossy(&audit.stderr));
    let out = String::from_utf8(audit.stdout).unwrap();
    assert!(out.contains("Evil"), "the poisoned entry is printed, as text:\n{out}");
    assert!(!out.chars().any(acts_on_a_terminal), "the audit printout holds a control character:\n{out:?}");

    // What a user types comes back in error messages inert too.
    let o = wardterm(&["score", "ciwa-ar", "\x1b[2J\x07=1"]);
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(!e.chars().any(acts_on_a_terminal), "an error message echoed a control character: {e:?}");
}
