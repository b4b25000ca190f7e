//! Security rules (REFERENCE.md section 6), each with a test, refusals included.
mod common;

use std::process::Command;

use chrono::Duration;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tempfile::TempDir;

use wardterm::domain::note::Format;
use wardterm::domain::user::Role;
use wardterm::domain::ward::NewUser;
use wardterm::store::{Store, ledger};
use wardterm::tui::app::Msg;

use common::app::*;

#[test]
fn a_nurse_is_offered_no_discharge_and_pressing_it_is_refused() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('?'));
    assert!(!screen(&app).contains("Discharge the selected"), "help offers no discharge to a nurse");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('d'));
    let s = screen(&app);
    assert!(s.contains("may not discharge") && !s.contains("Discharge Maria"), "{s}");
}

#[test]
fn a_disabled_account_keeps_its_history_and_cannot_sign_in() {
    let (_d, mut store) = demo_store();
    let admin = store.sign_in("admin", "demo-admin1", now()).unwrap().unwrap();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    assert!(store.set_disabled(&nurse, "lpn", true, now()).is_err(), "a nurse cannot disable accounts");
    store.set_disabled(&admin, "nurse", true, now()).unwrap();
    let refused = store.sign_in("nurse", "demo-nurse1", now()).unwrap();
    assert!(matches!(refused, Err(wardterm::store::users::SignInError::Disabled)), "{refused:?}");
    let written: i64 = store
        .raw_connection()
        .query_row("SELECT count(*) FROM assessment WHERE by_user = ?1", [nurse.id], |r| r.get(0))
        .unwrap();
    assert!(written > 0, "the disabled nurse's assessments are still there");
    assert!(store.set_disabled(&admin, "admin", true, now()).is_err(), "nobody disables themselves");
    store.set_disabled(&admin, "nurse", false, now()).unwrap();
    assert!(store.sign_in("nurse", "demo-nurse1", now()).unwrap().is_ok());
}

#[test]
fn accounts_need_an_admin_and_a_long_password() {
    let (_d, mut store) = demo_store();
    let admin = store.sign_in("admin", "demo-admin1", now()).unwrap().unwrap();
    let charge = store.sign_in("charge", "demo-charge1", now()).unwrap().unwrap();
    assert!(NewUser::validate("x1", "X", "RN", Role::Nurse, "short", "short").is_err());
    let u = NewUser::validate("ortiz", "Ana Ortiz", "RN", Role::Nurse, "long-password-1", "long-password-1").unwrap();
    assert!(store.add_account(&charge, &u, now()).is_err(), "the ward has an admin: a charge nurse may not");
    store.add_account(&admin, &u, now()).unwrap();
    assert!(store.add_account(&admin, &u, now()).is_err(), "usernames are unique");
    store.reset_password(&admin, "ortiz", "another-password", now()).unwrap();
    assert!(store.sign_in("ortiz", "another-password", now()).unwrap().is_ok());
    let hash: String = store
        .raw_connection()
        .query_row("SELECT password_hash FROM user WHERE username = 'ortiz'", [], |r| r.get(0))
        .unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
}

#[test]
fn idle_lock_hides_patients_and_unlock_restores_the_same_screen() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    // Half-way through a CIWA-Ar on bed 1.
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "213");
    assert!(screen(&app).contains("Total 6/67"));
    // Five minutes (the default) without a key: the screen locks and shows no patient.
    app.update(Msg::Tick(now() + Duration::seconds(299)));
    assert!(screen(&app).contains("Maria Delgado"));
    app.update(Msg::Tick(now() + Duration::seconds(301)));
    let locked = screen(&app);
    insta::assert_snapshot!("locked_screen", locked);
    for name in ["Delgado", "O'Connor", "Rahman", "penicillin"] {
        assert!(!locked.contains(name), "{name} visible on the locked screen");
    }
    // A wrong password does not unlock.
    typed(&mut app, "wrong-password");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("wrong username or password"));
    // The same nurse unlocks (the password field keeps the focus) and finds the scores as left.
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Total 6/67") && s.contains("Welcome back"), "{s}");
}

#[test]
fn another_nurse_gets_her_own_session_and_the_first_nurses_work_is_kept_unseen() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "2134");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('l'), KeyModifiers::CONTROL)));
    // Lee Park signs in on the same terminal: a fresh census, none of Sam's unsaved scores.
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    key(&mut app, KeyCode::BackTab);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "lpn");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "demo-lpn-01");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Lee Park, LPN") && s.contains("Bed  Patient") && !s.contains("Total 10/67"), "{s}");
    // Lee locks; Sam signs in again and gets his scoring screen back.
    key(&mut app, KeyCode::Char('L'));
    key(&mut app, KeyCode::BackTab);
    for _ in 0..20 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "nurse");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "demo-nurse1");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("Total 10/67"), "{}", screen(&app));
}

#[test]
fn a_note_being_written_is_saved_as_a_draft_when_the_screen_locks() {
    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('n'));
    typed(&mut app, "n");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "Resting quietly");
    app.update(Msg::Tick(now() + Duration::seconds(301)));
    let me = app.store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let drafts = app.store.my_drafts(&me).unwrap();
    assert_eq!(drafts[0].sections[0].1, "Resting quietly");
    assert!(!screen(&app).contains("Resting quietly"), "the draft is not shown on the lock screen");
}

#[test]
fn verify_finds_a_note_edited_with_raw_sql_after_its_triggers_were_dropped() {
    let (_d, mut store) = demo_store();
    let nurse = store.sign_in("nurse", "demo-nurse1", now()).unwrap().unwrap();
    let stay = store.census().unwrap()[0].occupant.as_ref().unwrap().stay_id;
    let id = store.start_note(&nurse, stay, Some(Format::Narrative), None, now()).unwrap();
    store.save_draft(&nurse, id, &[("Note".into(), "Calm, slept well.".into())], now()).unwrap();
    store.sign_note(&nurse, id, "demo-nurse1", now(), now()).unwrap();
    let ok = ledger::verify(store.raw_connection()).unwrap();
    assert!(ok.ok(), "{ok:?}");
    store
        .raw_connection()
        .execute_batch(&format!(
            "DROP TRIGGER note_signed_is_final;
             UPDATE note SET sections = '[[\"Note\",\"Agitated, did not sleep.\"]]' WHERE id = {id};"
        ))
        .unwrap();
    let v = ledger::verify(store.raw_connection()).unwrap();
    assert_eq!(v.integrity, "ok", "the file itself is fine: only the chain can tell");
    assert_eq!(
        v.first_broken.as_deref(),
        Some(format!("note {id}: its content has changed since it was sealed (ledger entry {})", v.records).as_str())
    );
}

#[test]
fn verify_finds_a_deleted_assessment_and_a_removed_ledger_entry() {
    let (_d, store) = demo_store();
    store
        .raw_connection()
        .execute_batch(
            "DROP TRIGGER assessment_no_delete; DROP TRIGGER assessment_item_no_delete;
             DELETE FROM assessment_item WHERE assessment_id = 5; DELETE FROM assessment WHERE id = 5;",
        )
        .unwrap();
    let v = ledger::verify(store.raw_connection()).unwrap();
    assert!(v.first_broken.as_deref().unwrap_or("").starts_with("assessment 5: the record is missing"), "{v:?}");
    let (_d2, store) = demo_store();
    store.raw_connection().execute_batch("DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE seq = 10;").unwrap();
    let v = ledger::verify(store.raw_connection()).unwrap();
    assert!(v.first_broken.as_deref().unwrap_or("").contains("does not follow"), "{v:?}");
}

fn wardterm(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wardterm"));
    c.args(args).env_remove("WARDTERM_DB").env_remove("WARDTERM_USER").env_remove("WARDTERM_PASSWORD");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

#[test]
fn cli_user_audit_and_verify() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("w.db").to_string_lossy().into_owned();
    assert!(wardterm(&["init", "--demo", "--db", &db], &[]).status.success());
    let admin = [("WARDTERM_PASSWORD", "demo-admin1"), ("WARDTERM_NEW_PASSWORD", "a-new-password")];
    let o = wardterm(
        &[
            "user",
            "add",
            "ortiz",
            "--name",
            "Ana Ortiz",
            "--credentials",
            "RN",
            "--role",
            "nurse",
            "--user",
            "admin",
            "--db",
            &db,
        ],
        &admin,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = wardterm(&["user", "list", "--user", "admin", "--db", &db], &admin);
    assert!(String::from_utf8_lossy(&o.stdout).contains("Ana Ortiz, RN"));
    let o = wardterm(
        &["user", "disable", "ortiz", "--user", "nurse", "--db", &db],
        &[("WARDTERM_PASSWORD", "demo-nurse1")],
    );
    assert_eq!(o.status.code(), Some(1), "a nurse may not disable accounts");
    let o = wardterm(&["user", "disable", "ortiz", "--user", "admin", "--db", &db], &admin);
    assert!(o.status.success());
    let o = wardterm(&["census", "--user", "ortiz", "--db", &db], &[("WARDTERM_PASSWORD", "a-new-password")]);
    assert_eq!(o.status.code(), Some(1), "a disabled account cannot print either");
    // The audit: who did what; a nurse may not read it; filters narrow it.
    let o = wardterm(&["audit", "--as", "nurse", "--db", &db], &[("WARDTERM_PASSWORD", "demo-nurse1")]);
    assert_eq!(o.status.code(), Some(1));
    let o = wardterm(
        &["audit", "--as", "charge", "--user", "admin", "--db", &db],
        &[("WARDTERM_PASSWORD", "demo-charge1")],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("user.add") && text.contains("user.disable") && text.contains("42 CFR"), "{text}");
    assert!(!text.contains(" nurse "), "only admin's rows: {text}");
    let o = wardterm(
        &["audit", "--as", "charge", "--patient", "D100200", "--db", &db],
        &[("WARDTERM_PASSWORD", "demo-charge1")],
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Maria Delgado") && !text.contains("Aisha Rahman"), "{text}");
    // The census printout is audited as a read by its printer.
    let o = wardterm(&["audit", "--as", "admin", "--user", "charge", "--db", &db], &admin);
    assert!(String::from_utf8_lossy(&o.stdout).contains("print.audit"));
    let o = wardterm(&["verify", "--db", &db], &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("DROP TRIGGER prn_no_update; UPDATE prn SET dose = '20 mg' WHERE id = 1;").unwrap();
    drop(c);
    let o = wardterm(&["verify", "--db", &db], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("prn 1: its content has changed"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_world_readable_database_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, store) = demo_store();
    assert!(store.permission_warning().is_none(), "created owner-only");
    let p = dir.path().join("w.db");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    let w = store.permission_warning().unwrap();
    assert!(w.contains("can be read by other users") && w.contains("chmod 600"), "{w}");
}

/// Passwords are hashed with argon2id at 7 MiB x 5 passes (src/store/users.rs). A hash made with
/// other parameters (the 19 MiB x 2 of earlier versions) still signs in, and is re-hashed then;
/// a wrong password changes nothing.
#[test]
fn hashes_use_the_current_parameters_and_old_ones_are_upgraded_at_sign_in() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let (_d, mut store) = demo_store();
    let hash_of = |store: &Store| -> String {
        store
            .raw_connection()
            .query_row("SELECT password_hash FROM user WHERE username = 'nurse'", [], |r| r.get(0))
            .unwrap()
    };
    assert!(hash_of(&store).starts_with("$argon2id$v=19$m=7168,t=5,p=1$"), "{}", hash_of(&store));

    let salt = SaltString::from_b64("c2FsdHNhbHRzYWx0c2FsdA").unwrap();
    let old = argon2::Argon2::default().hash_password(b"demo-nurse1", &salt).unwrap().to_string();
    assert!(old.contains("m=19456,t=2,p=1"), "{old}");
    store.raw_connection().execute("UPDATE user SET password_hash = ?1 WHERE username = 'nurse'", [&old]).unwrap();

    assert!(store.sign_in("nurse", "wrong-password", now()).unwrap().is_err());
    assert_eq!(hash_of(&store), old, "a failed sign-in leaves the hash alone");
    assert!(store.sign_in("nurse", "demo-nurse1", now()).unwrap().is_ok(), "the old hash still verifies");
    let new = hash_of(&store);
    assert!(new.starts_with("$argon2id$v=19$m=7168,t=5,p=1$") && new != old, "{new}");
    assert!(store.sign_in("nurse", "demo-nurse1", now()).unwrap().is_ok(), "and the new one too");
    assert_eq!(hash_of(&store), new, "a current hash is not re-hashed");
}

/// The accounts screen (admins): an add the store refuses keeps the form and what was typed; a
/// password reset the store refuses too; a good reset lets the account sign in; disabling marks
/// the row and keeps the account.
#[test]
fn an_admin_adds_resets_and_disables_accounts_on_the_accounts_screen() {
    use wardterm::tui::app::{App, Screen};
    fn accounts(app: &App) -> &wardterm::tui::screens::admin::AccountsScreen {
        match &app.model.screen {
            Screen::Accounts(a) => a,
            _ => panic!("not the accounts screen:\n{}", screen(app)),
        }
    }
    fn add(app: &mut App, username: &str) {
        key(app, KeyCode::Char('a'));
        for (i, text) in [username, "Ann Smith", "RN", "", "a-long-password1", "a-long-password1"].iter().enumerate() {
            if i == 3 {
                key(app, KeyCode::Right);
            }
            typed(app, text);
            if i < 5 {
                key(app, KeyCode::Tab);
            }
        }
        key(app, KeyCode::Enter);
    }
    let (_d, mut app) = demo_app("admin", "demo-admin1");
    key(&mut app, KeyCode::Char('U'));
    assert!(screen(&app).contains("Accounts") && accounts(&app).rows.len() == 4, "{}", screen(&app));

    add(&mut app, "lpn");
    let d = app.model.dialog.as_ref().expect("a refused add keeps its form open");
    assert!(d.form.error.as_deref().unwrap_or_default().contains("already taken"), "{:?}", d.form.error);
    assert_eq!(d.form.value(1), "Ann Smith", "what was typed is kept");
    key(&mut app, KeyCode::Esc);
    assert!(app.model.dialog.is_none());

    add(&mut app, "ann.smith");
    assert!(app.model.dialog.is_none(), "{:?}", app.model.dialog.as_ref().map(|d| &d.form.error));
    assert!(app.model.notice.as_ref().is_some_and(|n| n.text.starts_with("Added ann.smith (") && !n.error));
    assert_eq!(accounts(&app).rows.len(), 5, "the list is read again");
    while accounts(&app).current().map(|(u, _)| u.username.as_str()) != Some("ann.smith") {
        key(&mut app, KeyCode::Down);
    }

    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "short");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "short");
    key(&mut app, KeyCode::Enter);
    let d = app.model.dialog.as_ref().expect("a refused password keeps its form open");
    assert!(d.form.error.is_some());
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('r'));
    typed(&mut app, "a-new-password-2");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "a-new-password-2");
    key(&mut app, KeyCode::Enter);
    assert!(app.model.dialog.is_none());
    assert_eq!(app.model.notice.as_ref().map(|n| n.text.as_str()), Some("New password set for ann.smith."));
    assert!(app.store.sign_in("ann.smith", "a-new-password-2", now()).unwrap().is_ok());

    key(&mut app, KeyCode::Char('d'));
    assert_eq!(app.model.notice.as_ref().map(|n| n.text.as_str()), Some("ann.smith disabled; their history is kept."));
    assert!(accounts(&app).rows.iter().any(|(u, disabled)| u.username == "ann.smith" && *disabled), "read again");
    assert!(screen(&app).contains("DISABLED"), "{}", screen(&app));
    while accounts(&app).current().map(|(u, _)| u.username.as_str()) != Some("admin") {
        key(&mut app, KeyCode::Up);
    }
    key(&mut app, KeyCode::Char('d'));
    assert!(app.model.notice.as_ref().is_some_and(|n| n.error && n.text.contains("your own account")));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.model.screen, Screen::Census), "{}", screen(&app));
}

/// The audit viewer (charge nurses and admins): every viewing is itself audited, a filter
/// replaces the page (one Esc goes back to the census), a bad date keeps the filter open, and a
/// nurse is refused.
#[test]
fn the_audit_viewer_records_each_viewing_and_filters_in_place() {
    use wardterm::tui::app::{App, Screen};
    let viewed = |app: &App| -> i64 {
        app.store
            .raw_connection()
            .query_row("SELECT count(*) FROM audit WHERE action = 'read.audit'", [], |r| r.get(0))
            .unwrap()
    };
    let audit = |app: &App| match &app.model.screen {
        Screen::Audit(a) => (**a).clone(),
        _ => panic!("not the audit viewer:\n{}", screen(app)),
    };
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    key(&mut app, KeyCode::Char('A'));
    assert!(screen(&app).contains("Audit trail, newest first"), "{}", screen(&app));
    assert_eq!(viewed(&app), 1, "opening the viewer is audited");
    let first = audit(&app);
    assert!(first.next.is_some(), "the demo ward's trail is longer than a page");
    key(&mut app, KeyCode::Char('n'));
    assert_ne!(audit(&app).rows, first.rows, "older entries");
    key(&mut app, KeyCode::Char('p'));
    let newest = audit(&app);
    assert!(newest.start.is_none() && newest.rows.contains(&first.rows[0]), "back to the newest page");
    key(&mut app, KeyCode::Char('p'));
    assert_eq!(app.model.notice.as_ref().map(|n| n.text.as_str()), Some("This is the newest page."));

    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "yesterday");
    ctrl(&mut app, 's');
    assert!(app.model.dialog.as_ref().is_some_and(|d| d.form.error.is_some()), "a bad date keeps the filter open");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "admin");
    ctrl(&mut app, 's');
    assert!(app.model.dialog.is_none());
    let filtered = audit(&app);
    assert_eq!(filtered.filter.username.as_deref(), Some("admin"));
    assert!(filtered.rows.iter().all(|r| r.user == "admin"), "{:?}", filtered.rows);
    assert!(screen(&app).contains("user admin"), "{}", screen(&app));
    assert_eq!(viewed(&app), 2, "each filtered viewing is audited");
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.model.screen, Screen::Census), "{}", screen(&app));

    let (_d, mut app) = demo_app("nurse", "demo-nurse1");
    key(&mut app, KeyCode::Char('A'));
    assert!(matches!(app.model.screen, Screen::Census));
    assert!(app.model.notice.as_ref().is_some_and(|n| n.error), "a nurse may not read the audit trail");
    assert_eq!(viewed(&app), 0);
}

/// A viewing of the audit trail that cannot be recorded is not shown: the viewer opened from
/// the census closes again, and a new filter leaves the page that was shown (and recorded).
#[test]
fn an_audit_viewing_that_cannot_be_recorded_is_not_shown() {
    use wardterm::tui::app::Screen;
    let (_d, mut app) = demo_app("charge", "demo-charge1");
    let refuse = "CREATE TEMP TRIGGER no_viewing BEFORE INSERT ON audit WHEN NEW.action = 'read.audit'
                  BEGIN SELECT RAISE(ABORT, 'the disk is full'); END";
    app.store.raw_connection().execute(refuse, []).unwrap();
    key(&mut app, KeyCode::Char('A'));
    assert!(matches!(app.model.screen, Screen::Census), "{}", screen(&app));
    assert!(
        app.model.notice.as_ref().is_some_and(|n| n.error && n.text.contains("disk is full")),
        "{:?}",
        app.model.notice
    );
    assert!(app.model.below.is_empty(), "nothing left under the census");

    app.store.raw_connection().execute("DROP TRIGGER no_viewing", []).unwrap();
    key(&mut app, KeyCode::Char('A'));
    let shown = match &app.model.screen {
        Screen::Audit(a) => a.rows.clone(),
        _ => panic!("the viewer opens once the viewing can be recorded:\n{}", screen(&app)),
    };
    app.store.raw_connection().execute(refuse, []).unwrap();
    key(&mut app, KeyCode::Char('f'));
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "admin");
    ctrl(&mut app, 's');
    match &app.model.screen {
        Screen::Audit(a) => assert!(a.filter.username.is_none() && a.rows == shown && a.before.is_none()),
        _ => panic!("the page shown before stays:\n{}", screen(&app)),
    }
    assert!(app.model.notice.as_ref().is_some_and(|n| n.error && n.text.contains("disk is full")));
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.model.screen, Screen::Census), "{}", screen(&app));
}
