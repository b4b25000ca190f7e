//! Backups and restores through SQLite's online backup API: a consistent copy of the whole
//! database while other terminals keep writing (WAL readers never block the writer).
//!
//! A copy is written to a private (0600) temporary file beside its destination, checked with
//! `PRAGMA integrity_check`, made self-contained (rollback journal, no `-wal` beside it), synced,
//! and only then renamed into place: a half-written backup never carries the final name.
use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{
    BUSY_TIMEOUT, OpenMode, Result, Store, StoreError, audit, create_private, has_sqlite_header, refuse, require,
};
use crate::domain::user::{Action, Staff};

/// How often a backup step that found the database busy is retried, and how long it waits.
const BUSY_RETRIES: u32 = 50;
const BUSY_PAUSE: Duration = Duration::from_millis(100);

/// What a finished backup wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
}

/// `PRAGMA integrity_check`: `None` when the database is sound, else the first problem found.
pub fn integrity_problem(conn: &Connection) -> Result<Option<String>> {
    let first: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    Ok((first != "ok").then_some(first))
}

/// Copy every page of `from` into `to` in one step (a consistent snapshot), retrying a bounded
/// number of times while the destination or source is busy.
fn copy_pages(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    for _ in 0..BUSY_RETRIES {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked => thread::sleep(BUSY_PAUSE),
            // `More` after step(-1) means the source changed under us: go again.
            _ => {}
        }
    }
    Err(StoreError::Busy)
}

/// `dir/.name.partial-PID`: where a copy is written before it gets its name.
fn partial_path(dest: &Path) -> PathBuf {
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    dest.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Remove a database file and its `-wal`, `-shm` and `-journal` companions, ignoring absent ones.
fn remove_with_companions(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

/// The directory a file goes in ("." for a bare name).
fn dir_of(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; not every filesystem allows opening a directory, so best effort.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Whether two paths name the same file (both must exist to be the same).
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Write a checked, private, self-contained copy of `from` to `dest`.
fn write_copy(from: &Connection, source: &Path, dest: &Path, overwrite: bool) -> Result<Copied> {
    let dir = dir_of(dest);
    if !dir.is_dir() {
        return Err(StoreError::NoDirectory(dir.to_path_buf()));
    }
    if dest.is_dir() {
        return refuse(format!("{} is a directory; name the backup file", dest.display()));
    }
    if same_file(source, dest) {
        return refuse(format!("{} is the ward database itself; choose another file", dest.display()));
    }
    if dest.exists() && !overwrite {
        return refuse(format!("{} already exists; nothing was changed (use --force to replace it)", dest.display()));
    }
    let partial = partial_path(dest);
    remove_with_companions(&partial);
    create_private(&partial)?;
    let result = (|| -> Result<u64> {
        let mut to = Connection::open_with_flags(&partial, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        to.busy_timeout(BUSY_TIMEOUT)?;
        copy_pages(from, &mut to)?;
        // One file, no -wal beside it: a backup can be copied, mailed to tape, or opened read-only.
        let _: String = to.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
        if let Some(problem) = integrity_problem(&to)? {
            return refuse(format!("the copy failed its integrity check ({problem}); nothing was kept"));
        }
        drop(to);
        let f = fs::File::open(&partial)?;
        f.sync_all()?;
        Ok(f.metadata()?.len())
    })();
    match result {
        Ok(bytes) => {
            if let Err(e) = fs::rename(&partial, dest) {
                remove_with_companions(&partial);
                return Err(e.into());
            }
            sync_dir(dir);
            Ok(Copied { path: dest.to_path_buf(), bytes })
        }
        Err(e) => {
            remove_with_companions(&partial);
            Err(e)
        }
    }
}

impl Store {
    /// Copy the whole database to `dest` while other terminals keep working. Refuses an
    /// existing `dest` unless `overwrite`; the copy is created 0600 and checked before it is
    /// given its name.
    pub fn backup_to(&self, dest: &Path, overwrite: bool) -> Result<Copied> {
        write_copy(&self.conn, &self.path, dest, overwrite)
    }
}

/// A backup file checked and ready to restore: a private, upgraded copy beside the ward database.
/// Dropping it removes the copy.
pub struct Candidate {
    store: Option<Store>,
    tmp: PathBuf,
    pub source: PathBuf,
    /// The schema version the backup was written with (older ones have been upgraded in the copy).
    pub found_version: i64,
    pub ward_name: String,
    pub open_stays: i64,
    pub patients: i64,
    /// The newest entry of its audit trail: roughly when the backup was taken.
    pub last_entry: Option<String>,
}

impl Candidate {
    /// The checked copy, e.g. to identify the person restoring when the ward database is gone.
    pub fn store_mut(&mut self) -> &mut Store {
        self.store.as_mut().expect("a candidate holds its store until it is used")
    }

    /// Put the checked copy in place of a ward database that does not exist (lost disk).
    pub fn install_as(mut self, db: &Path, actor: &Staff, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        if db.exists() {
            return refuse(format!("{} exists; restore over it instead", db.display()));
        }
        let detail = format!("restored from {} into an empty place", self.source.display());
        let mut store = self.store.take().expect("a candidate holds its store until it is used");
        store.write(|tx| audit::record(tx, now, Some(actor.id), "db.restore", None, &detail))?;
        // Fold the WAL into the main file so the rename moves everything.
        store.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        drop(store);
        fs::rename(&self.tmp, db)?;
        sync_dir(dir_of(db));
        Ok(())
    }
}

impl Drop for Candidate {
    fn drop(&mut self) {
        self.store = None;
        remove_with_companions(&self.tmp);
    }
}

/// Check a backup before it may replace the ward database at `db`: a SQLite file, sound
/// (`integrity_check`), a wardterm database holding a ward, not from a newer wardterm. The checks
/// run on a private copy made beside `db` (older schemas are upgraded there, never in `src`).
pub fn check_backup(src: &Path, db: &Path) -> Result<Candidate> {
    match fs::metadata(src) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::Missing(src.to_path_buf())),
        Err(e) => return Err(e.into()),
        Ok(m) if m.is_dir() || m.len() == 0 || !has_sqlite_header(src)? => {
            return Err(StoreError::NotSqlite(src.to_path_buf()));
        }
        Ok(_) => {}
    }
    if same_file(src, db) {
        return refuse(format!("{} is the ward database itself; name a backup file", src.display()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let from = Connection::open_with_flags(src, flags).map_err(|e| match StoreError::from(e) {
        StoreError::NotSqlite(_) => StoreError::NotSqlite(src.to_path_buf()),
        other => other,
    })?;
    from.busy_timeout(BUSY_TIMEOUT)?;
    let not_sqlite = |e: StoreError| match e {
        StoreError::NotSqlite(_) => StoreError::NotSqlite(src.to_path_buf()),
        other => other,
    };
    match integrity_problem(&from).map_err(not_sqlite)? {
        None => {}
        Some(problem) => {
            return refuse(format!(
                "{} fails the integrity check ({problem}); it cannot be restored and nothing was changed",
                src.display()
            ));
        }
    }
    let found_version: i64 = from.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tmp = db.with_file_name(format!(
        "{}.restore-{}.tmp",
        db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    remove_with_companions(&tmp);
    // The copy is taken through the backup API too, so a source still in use is read consistently.
    write_copy(&from, src, &tmp, true)?;
    drop(from);
    let mut candidate = Candidate {
        store: None,
        tmp: tmp.clone(),
        source: fs::canonicalize(src).unwrap_or_else(|_| src.to_path_buf()),
        found_version,
        ward_name: String::new(),
        open_stays: 0,
        patients: 0,
        last_entry: None,
    };
    // Store::open's own checks: not a wardterm database, a newer schema; an older one is upgraded.
    let store = Store::open(&tmp, OpenMode::MustExist).map_err(|e| match e {
        StoreError::NotSqlite(_) => StoreError::NotSqlite(src.to_path_buf()),
        StoreError::NotWardterm => StoreError::Refused(format!(
            "{} is a SQLite file but not a wardterm database; nothing was changed",
            src.display()
        )),
        other => other,
    })?;
    let Some(ward) = store.ward()? else {
        return refuse(format!("{} holds no ward (an empty database); nothing was changed", src.display()));
    };
    if let Some(problem) = integrity_problem(&store.conn)? {
        return refuse(format!(
            "{} fails the integrity check after upgrading ({problem}); nothing was changed",
            src.display()
        ));
    }
    candidate.ward_name = ward.name;
    candidate.open_stays =
        store.conn.query_row("SELECT count(*) FROM stay WHERE discharged_at IS NULL", [], |r| r.get(0))?;
    candidate.patients = store.conn.query_row("SELECT count(*) FROM patient", [], |r| r.get(0))?;
    candidate.last_entry = store.conn.query_row("SELECT max(at) FROM audit", [], |r| r.get(0)).optional()?.flatten();
    candidate.store = Some(store);
    Ok(candidate)
}

/// Where the database a restore replaces is kept: `<db>.before-restore-<UTC timestamp>`.
pub fn kept_path(db: &Path, now: DateTime<Utc>) -> PathBuf {
    let mut p = db.as_os_str().to_owned();
    p.push(format!(".before-restore-{}", now.format("%Y%m%dT%H%M%SZ")));
    PathBuf::from(p)
}

impl Store {
    /// Replace this database's contents with a checked backup, in place, through the backup API
    /// (other terminals keep their connection and see the change on their next tick). The
    /// database being replaced is first copied to [`kept_path`], never deleted. Admin only;
    /// audited in the kept copy and in the restored database. Returns where the old one is kept.
    pub fn restore_from(&mut self, mut candidate: Candidate, actor: &Staff, now: DateTime<Utc>) -> Result<PathBuf> {
        require(actor, Action::Configure)?;
        let keep = kept_path(&self.path, now);
        if keep.exists() {
            return refuse(format!("{} already exists; wait a second and restore again", keep.display()));
        }
        let source = candidate.source.display().to_string();
        let detail = format!("replaced by a restore from {source}; this database kept as {}", keep.display());
        self.write(|tx| audit::record(tx, now, Some(actor.id), "db.restore", None, &detail))?;
        self.backup_to(&keep, false)?;
        {
            let from = candidate.store_mut();
            copy_pages(&from.conn, &mut self.conn)?;
        }
        if let Some(problem) = integrity_problem(&self.conn)? {
            return refuse(format!(
                "the restored database failed its integrity check ({problem}); the previous one is kept at {}",
                keep.display()
            ));
        }
        // The restored record names its accounts by id: audit as the same username if it has it.
        let here: Option<i64> = self
            .conn
            .query_row("SELECT id FROM user WHERE username = ?1", [&actor.username], |r| r.get(0))
            .optional()?;
        let detail =
            format!("restored from {source} by {}; previous database kept as {}", actor.username, keep.display());
        self.write(|tx| audit::record(tx, now, here, "db.restore", None, &detail))?;
        Ok(keep)
    }
}
