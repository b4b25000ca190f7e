//! Bad environments: a full disk while saving, bad database files at the command line, a tiny
//! terminal, a resize in the middle of a form, TERM=dumb, a C locale. Each gets a clear message,
//! never a panic, and the database is never damaged.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use super::common::pty::Session;
use super::{WAIT, Ward, count, demo_store, integrity, path_str, sign_in, stderr, wardterm};
use wardterm::demo;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg};
use wardterm::tui::view::view;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(app: &mut App, c: char) {
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
}

fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Open the admission form on bed 5 (the first empty bed; bed 1 is selected on sign-in) and fill
/// every field by its label.
fn fill_admission(app: &mut App, name: &str, mrn: &str) {
    for _ in 0..4 {
        press(app, KeyCode::Char('j'));
    }
    press(app, KeyCode::Char('a'));
    let fields: [(&str, &str); 14] = [
        ("Name", name),
        ("Date of birth", "1985-06-15"),
        ("Sex", "F"),
        ("MRN", mrn),
        ("Admitted at", "now"),
        ("Level of care", ""),
        ("Substances", "alcohol"),
        ("Last use", "yesterday"),
        ("Allergies", "NKDA"),
        ("Precautions", "fall"),
        ("Attending", "Dr. Okonkwo"),
        ("Code status", "F"),
        ("Protocol", "c"),
        ("Observation", "q"),
    ];
    for (label, keys) in fields {
        for _ in 0..40 {
            let form = &app.model.dialog.as_ref().expect("the admission form is open").form;
            if form.fields[form.focus].label == label {
                break;
            }
            press(app, KeyCode::Tab);
        }
        if label == "Level of care" {
            (0..4).for_each(|_| press(app, KeyCode::Right));
        }
        typed(app, keys);
    }
}

fn screen_text(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| view(f, &app.model, demo::ACCOUNTS)).unwrap();
    let buf = t.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a save touches: if any of these moved, something was half-written.
fn record_counts(store: &Store) -> Vec<i64> {
    ["patient", "stay", "stay_event", "audit"].iter().map(|t| count(store.raw_connection(), t)).collect()
}

/// Try to save the open admission and check that the app said the disk is full, kept the form
/// and what was typed, wrote nothing, and keeps running.
fn save_refused_as_full(app: &mut App, name: &str) {
    let before = record_counts(&app.store);
    ctrl(app, 's');
    let d = app.model.dialog.as_ref().expect("the form stays open after a failed save");
    let error = d.form.error.clone().unwrap_or_default();
    assert!(error.contains("disk is full") && error.contains("nothing was saved"), "the nurse is told: {error:?}");
    assert_eq!(d.form.value(0), name, "what was typed is kept");
    assert!(!app.model.quit, "the app keeps running");
    assert!(screen_text(app).contains("disk is full"), "the message is on the screen:\n{}", screen_text(app));
    assert_eq!(record_counts(&app.store), before, "nothing was half-written");
}

#[test]
fn a_full_database_says_so_keeps_the_form_writes_nothing_and_recovers() {
    let dir = TempDir::new().unwrap();
    let mut store = demo_store(&dir, now());
    let me = sign_in(&mut store, "charge", "demo-charge1");
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    fill_admission(&mut app, "Quinn Harlow", "FULL-1");

    // The database may not grow (max_page_count), and the pages an admission writes to are packed
    // with admissions just like it, until a rehearsal of that very admission no longer fits.
    let conn = app.store.raw_connection();
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    conn.pragma_update(None, "max_page_count", pages).unwrap();
    let bed: i64 = conn.query_row("SELECT id FROM bed WHERE label = '5'", [], |r| r.get(0)).unwrap();
    let mut packed = false;
    for i in 0..20_000 {
        if !fits(conn, bed, "FULL-1", true) {
            packed = true;
            break;
        }
        let _ = fits(conn, bed, &format!("FULL-0{i:05}"), false);
    }
    assert!(packed, "the database reached its page limit");
    save_refused_as_full(&mut app, "Quinn Harlow");

    // Room again: the same form saves.
    app.store.raw_connection().pragma_update(None, "max_page_count", 1_000_000_000).unwrap();
    let patients = count(app.store.raw_connection(), "patient");
    ctrl(&mut app, 's');
    assert!(app.model.dialog.is_none(), "saved: {:?}", app.model.dialog.as_ref().map(|d| d.form.error.clone()));
    assert_eq!(count(app.store.raw_connection(), "patient"), patients + 1);
    assert_eq!(integrity(app.store.raw_connection()), "ok");
}

/// Write the rows an admission writes (patient, stay, its event, the audit entry) as plain SQL;
/// with `rehearse`, roll them back again. Whether they fit in the database. The filler stays are
/// discharged at once, so the bed stays free for the real admission.
fn fits(conn: &rusqlite::Connection, bed: i64, mrn: &str, rehearse: bool) -> bool {
    let at = "2026-11-25T09:00:00Z";
    conn.execute_batch("SAVEPOINT fill").unwrap();
    let r = (|| -> rusqlite::Result<()> {
        conn.execute(
            "INSERT INTO patient (mrn, name, birth_date, sex, created_at, created_by)
             VALUES (?1, 'Quinn Harlow', '1985-06-15', 'F', ?2, 1)",
            rusqlite::params![mrn, at],
        )?;
        let patient = conn.last_insert_rowid();
        let (done, by, kind) = if rehearse { (None, None, None) } else { (Some(at), Some(1), Some("completed")) };
        conn.execute(
            "INSERT INTO stay (patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care, substances,
                last_use, protocol, allergies, precautions, attending, code_status, observation,
                discharged_at, discharged_by, discharge_type)
             VALUES (?1, ?2, ?3, 1, ?3, '3.7-WM', 'alcohol', 'yesterday', 'ciwa-ar', 'NKDA', 'fall',
                'Dr. Okonkwo', 'Full code', 'q60', ?4, ?5, ?6)",
            rusqlite::params![patient, bed, at, done, by, kind],
        )?;
        let stay = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO stay_event (stay_id, kind, to_value, at, by_user) VALUES (?1, 'admit', '5', ?2, 1)",
            rusqlite::params![stay, at],
        )?;
        conn.execute(
            "INSERT INTO audit (at, user_id, action, patient_id, detail) VALUES (?1, 1, 'stay.admit', ?2, 'bed 5')",
            rusqlite::params![at, patient],
        )?;
        Ok(())
    })();
    // A full database may already have rolled the whole transaction back by itself.
    if (rehearse || r.is_err()) && !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK TO fill").unwrap();
    }
    if !conn.is_autocommit() {
        conn.execute_batch("RELEASE fill").unwrap();
    }
    match r {
        Ok(()) => true,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => false,
        Err(e) => panic!("filling the database: {e}"),
    }
}

/// A tmpfs mounted for one test, unmounted when dropped.
struct Mounted(PathBuf);

impl Mounted {
    /// `None` where this process may not mount (not root, or in a container without the right).
    fn tmpfs(dir: &Path, size: &str) -> Option<Mounted> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs", path_str(dir)])
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| Mounted(dir.to_path_buf()))
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").args(["-l", path_str(&self.0)]).output();
    }
}

/// A real ENOSPC from the filesystem, where the test may mount a small tmpfs (CI runs as root);
/// the page-limit test above covers the same path everywhere.
#[test]
fn a_really_full_disk_says_so_writes_nothing_and_recovers() {
    let outer = TempDir::new().unwrap();
    let mnt = outer.path().join("small-disk");
    fs::create_dir(&mnt).unwrap();
    let Some(_mounted) = Mounted::tmpfs(&mnt, "2m") else {
        eprintln!("skipped: cannot mount a tmpfs here (not root?); the page-limit test covers a full database");
        return;
    };
    let src = TempDir::new().unwrap();
    demo_store(&src, now());
    fs::copy(src.path().join("w.db"), mnt.join("w.db")).unwrap();
    let mut store = Store::open(&mnt.join("w.db"), OpenMode::MustExist).unwrap();
    let me = sign_in(&mut store, "charge", "demo-charge1");
    let mut app = App::new(store, now()).unwrap().signed_in_as(me).unwrap();
    fill_admission(&mut app, "Quinn Harlow", "FULL-2");

    // Fill the disk.
    let filler = mnt.join("filler");
    let mut f = fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 16 * 1024];
    let mut wrote = 0usize;
    while f.write_all(&chunk).is_ok() && wrote < 8 * 1024 * 1024 {
        wrote += chunk.len();
    }
    let _ = f.sync_all();
    save_refused_as_full(&mut app, "Quinn Harlow");

    // Space again: the same form saves, and the database is sound.
    drop(f);
    fs::remove_file(&filler).unwrap();
    ctrl(&mut app, 's');
    assert!(app.model.dialog.is_none(), "saved: {:?}", app.model.dialog.as_ref().map(|d| d.form.error.clone()));
    assert_eq!(integrity(app.store.raw_connection()), "ok");
    assert!(app.store.census().unwrap().iter().any(|r| r.occupant.as_ref().is_some_and(|o| o.mrn == "FULL-2")));
}

#[test]
fn bad_database_files_get_clear_messages_at_the_command_line_and_stay_untouched() {
    let ward = Ward::demo();
    let pw = [("WARDTERM_PASSWORD", "demo-charge1")];

    // A database from a newer wardterm.
    ward.raw().pragma_update(None, "user_version", 99).unwrap();
    let bytes = fs::read(&ward.db).unwrap();
    let o = wardterm(&["census", "--db", ward.db(), "--user", "charge"], &pw);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("newer wardterm"), "{}", stderr(&o));
    assert_eq!(fs::read(&ward.db).unwrap(), bytes, "a newer database is not touched");
    ward.raw().pragma_update(None, "user_version", 1).unwrap();

    // A read-only file (as root too: the mode bits are checked, not only the open).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&ward.db, fs::Permissions::from_mode(0o400)).unwrap();
        let bytes = fs::read(&ward.db).unwrap();
        for args in [vec!["census", "--db", ward.db(), "--user", "charge"], vec!["backup", "--db", ward.db(), "/tmp/x"]]
        {
            let o = wardterm(&args, &pw);
            assert_eq!(o.status.code(), Some(1));
            assert!(stderr(&o).contains("is read-only"), "{args:?}: {}", stderr(&o));
            assert!(!stderr(&o).contains("panicked"));
        }
        assert_eq!(fs::read(&ward.db).unwrap(), bytes, "a read-only database is not touched");
        fs::set_permissions(&ward.db, fs::Permissions::from_mode(0o600)).unwrap();
    }

    // Not SQLite at all.
    let words = ward.dir.path().join("ward.txt");
    fs::write(&words, "night shift notes\n").unwrap();
    let o = wardterm(&["census", "--db", path_str(&words), "--user", "charge"], &pw);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a SQLite database"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&words).unwrap(), "night shift notes\n");
    assert_eq!(integrity(&ward.raw()), "ok");
}

/// Open the app in a `cols`x`rows` pty with `env`, not signed in.
fn spawn(ward: &Ward, cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
    Session::spawn(&["--db", ward.db()], cols, rows, env)
}

#[test]
fn a_20x10_terminal_shows_window_too_small_and_no_patient_data() {
    let ward = Ward::demo();
    let mut s = spawn(&ward, 20, 10, &[]);
    s.wait_for("Window too small", WAIT).unwrap();
    s.resize(80, 24);
    s.wait_for("Username", WAIT).unwrap();
    s.send("charge\tdemo-charge1\r");
    s.wait_for("Maria Delgado", WAIT).unwrap();
    s.resize(20, 10);
    s.wait_until("the too-small message and no patient", WAIT, |scr| {
        scr.contains("Window too small") && !scr.contains("Maria") && !scr.contains("Delgado")
    })
    .unwrap();
    s.resize(80, 24);
    s.wait_for("Maria Delgado", WAIT).unwrap();
    s.send("q");
    assert!(s.wait_exit(WAIT).is_some_and(|st| st.success()));
}

#[test]
fn a_resize_in_the_middle_of_a_form_keeps_what_was_typed() {
    let ward = Ward::demo();
    let mut s = ward.sign_in("charge", "demo-charge1", &[]);
    s.send("jjjj");
    s.wait_for("Bed 5 is empty.", WAIT).unwrap();
    s.send("a");
    s.wait_for("Admit to bed 5", WAIT).unwrap();
    s.send("Quinn Harl");
    s.wait_for("Quinn Harl", WAIT).unwrap();
    for (cols, rows) in [(20, 10), (60, 20), (120, 40), (80, 24)] {
        s.resize(cols, rows);
        if cols < 80 {
            s.wait_for("Window too small", WAIT).unwrap();
        } else {
            s.wait_until("the form with the typed name", WAIT, |scr| {
                scr.contains("Admit to bed 5") && scr.contains("Quinn Harl") && !scr.contains("too small")
            })
            .unwrap();
        }
    }
    s.send("ow");
    s.wait_for("Quinn Harlow", WAIT).unwrap();
    s.esc();
    s.wait_for("nothing was saved", WAIT).unwrap();
    s.send("q");
    assert!(s.wait_exit(WAIT).is_some_and(|st| st.success()));
}

#[test]
fn term_dumb_is_refused_with_a_message() {
    let ward = Ward::demo();
    let mut s = spawn(&ward, 80, 24, &[("TERM", "dumb")]);
    let status = s.wait_exit(WAIT).expect("the app exits at once");
    assert_eq!(status.exit_code(), 1);
    let screen = s.screen();
    assert!(screen.contains("TERM=dumb") && screen.contains("wardterm census"), "{screen}");
    assert!(!s.parser().screen().alternate_screen());
}

#[test]
fn a_c_locale_still_starts_draws_and_quits_cleanly() {
    let ward = Ward::demo();
    let env = [("LANG", "C"), ("LC_ALL", "C"), ("LC_CTYPE", "C")];
    let mut s = ward.sign_in("charge", "demo-charge1", &env);
    s.wait_for("Maria Delgado", WAIT).unwrap();
    s.wait_for("Bed 1 · Maria Delgado", WAIT).unwrap();
    s.send("q");
    let status = s.wait_exit(WAIT).expect("exit");
    assert!(status.success());
    assert!(s.termios_flags().unwrap().cooked());
    assert_eq!(integrity(&ward.raw()), "ok");
}
