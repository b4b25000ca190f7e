//! `wardterm backup DEST` and `wardterm restore SRC`: the nightly copy and its way back.
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use chrono::Utc;

use super::{Failure, db_path, fail, identify, open};
use crate::cli::{DbArgs, Identity};
use crate::domain::text::inert;
use crate::domain::user::{Action, Staff, can};
use crate::store::backup::{Candidate, check_backup, kept_path};
use crate::store::{OpenMode, Store, StoreError};

/// Copy the database to `dest` while terminals are in use.
pub(super) fn backup(args: &DbArgs, dest: &Path, force: bool) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let copied = store.backup_to(dest, force)?;
    // The whole record left the database: say so in its audit trail (42 CFR Part 2 exports are
    // deliberate and audited). A nightly cron job has no signed-in user, so none is recorded.
    let detail = format!("backup copy to {}", copied.path.display());
    store.record_backup(&detail, Utc::now())?;
    println!(
        "Backed up {} to {} ({} KiB, integrity check ok, readable by its owner only).",
        store.path().display(),
        copied.path.display(),
        copied.bytes.div_ceil(1024)
    );
    Ok(())
}

fn require_admin(me: &Staff) -> Result<(), Failure> {
    if can(me.role, Action::Configure) {
        Ok(())
    } else {
        fail(format!("only an admin may restore the database; {} is a {}", me.username, me.role))
    }
}

/// Ask on the terminal; anything but y/yes cancels.
fn confirm(question: &str) -> Result<bool, Failure> {
    let mut err = std::io::stderr().lock();
    write!(err, "{question} [y/N] ")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

fn describe(c: &Candidate) -> String {
    format!(
        "ward \"{}\", {} patients on record, {} in beds, last entry {}, schema version {}",
        inert(&c.ward_name),
        c.patients,
        c.open_stays,
        c.last_entry.as_deref().unwrap_or("none"),
        c.found_version
    )
}

/// Replace the ward database with a checked backup (admin, confirmed), keeping the old one.
pub(super) fn restore(args: &DbArgs, src: &Path, id: &Identity, yes: bool) -> Result<(), Failure> {
    if !yes && !std::io::stdin().is_terminal() {
        return fail("restore replaces the whole ward database: run it on a terminal to confirm, or pass --yes");
    }
    let db = db_path(args)?;
    let now = Utc::now();
    if !db.exists() {
        return restore_into_nothing(&db, src, id, yes);
    }
    let mut current = Store::open(&db, OpenMode::MustExist).map_err(|e| match e {
        StoreError::NotSqlite(_) | StoreError::NotWardterm | StoreError::Sqlite(_) => Failure::from(format!(
            "{e}. To restore over a damaged database, move it away first (mv {0} {0}.damaged) and run restore again",
            db.display()
        )),
        other => Failure::from(other),
    })?;
    let me = identify(&mut current, id)?;
    require_admin(&me)?;
    let candidate = check_backup(src, &db)?;
    if !yes {
        let (ward, beds) = match (current.ward()?, current.census()) {
            (Some(w), Ok(rows)) => (inert(&w.name), rows.iter().filter(|r| r.occupant.is_some()).count()),
            _ => ("(none)".to_string(), 0),
        };
        let question = format!(
            "Restore {} over {}?\n  backup:  {}\n  current: ward \"{ward}\", {beds} in beds; kept as {}\nEveryone \
             should sign out first: the terminals will show the backup's record.\nRestore now?",
            src.display(),
            db.display(),
            describe(&candidate),
            kept_path(&db, now).display()
        );
        if !confirm(&question)? {
            return fail("restore cancelled; nothing was changed");
        }
    }
    let keep = current.restore_from(candidate, &me, now)?;
    println!("Restored {} into {}.", src.display(), db.display());
    println!("The database it replaced is kept at {}.", keep.display());
    println!("Terminals still open reload by themselves; ask everyone to sign in again.");
    Ok(())
}

/// The ward database is gone (a lost disk): identify against the backup itself and put it in place.
fn restore_into_nothing(db: &Path, src: &Path, id: &Identity, yes: bool) -> Result<(), Failure> {
    for companion in ["-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(companion);
        if Path::new(&p).exists() {
            return fail(format!(
                "there is no database at {} but its {companion} file is still there; move it away and run restore again",
                db.display()
            ));
        }
    }
    let mut candidate = check_backup(src, db)?;
    let me = identify(candidate.store_mut(), id)?;
    require_admin(&me)?;
    if !yes {
        let question =
            format!("There is no database at {}.\n  backup: {}\nRestore it there?", db.display(), describe(&candidate));
        if !confirm(&question)? {
            return fail("restore cancelled; nothing was changed");
        }
    }
    candidate.install_as(db, &me, Utc::now())?;
    println!("Restored {} into {} (there was no database there).", src.display(), db.display());
    Ok(())
}
