//! The only module that speaks SQL. Rows become domain types here and back.
//!
//! Every unit of work is one IMMEDIATE transaction ([`Store::write`]), so a write either lands
//! whole or not at all, and a second terminal waits for the lock (busy timeout) instead of failing
//! half-way.
pub mod admission;
pub mod assessments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod calls;
pub mod census;
pub mod config;
pub mod events;
pub mod handoff;
pub mod ledger;
pub mod meds;
pub mod migrate;
pub mod notes;
pub mod plan;
pub mod rounds;
pub mod screens;
pub mod stays;
pub mod users;
pub mod vitals;
pub mod ward;

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use migrate::CURRENT as SCHEMA_VERSION;

/// Everything that can go wrong talking to the database, worded for the person at the terminal.
#[derive(Debug)]
pub enum StoreError {
    /// `--db` names a file in a directory that does not exist.
    NoDirectory(PathBuf),
    /// Asked to open a database that is not there (and not asked to create it).
    Missing(PathBuf),
    NotSqlite(PathBuf),
    NotWardterm,
    ReadOnly(PathBuf),
    TooNew {
        found: i64,
        known: i64,
    },
    /// An upgrade step found rows its new rules refuse; the database was left at its version.
    UpgradeRefused {
        to: i64,
        why: &'static str,
        ids: Vec<i64>,
    },
    /// Another process holds the write lock longer than the busy timeout.
    Busy,
    DiskFull,
    /// A rule of the ward refused the change; the message says which and why.
    Refused(String),
    Io(std::io::Error),
    Sqlite(rusqlite::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NoDirectory(p) => write!(f, "the directory {} does not exist", p.display()),
            StoreError::Missing(p) => write!(f, "there is no database at {}", p.display()),
            StoreError::NotSqlite(p) => write!(f, "{} is not a SQLite database; nothing was changed", p.display()),
            StoreError::NotWardterm => write!(f, "this SQLite file is not a wardterm database; nothing was changed"),
            StoreError::ReadOnly(p) => write!(f, "{} is read-only; wardterm needs to write to it", p.display()),
            StoreError::TooNew { found, known } => write!(
                f,
                "the database is from a newer wardterm (schema version {found}; this program knows up to {known}); \
                 use the newer program"
            ),
            StoreError::UpgradeRefused { to, why, ids } => write!(
                f,
                "cannot upgrade the database to schema version {to}: {why} (ids {ids:?}); nothing was changed and \
                 the previous wardterm still opens it — ask for support to correct those rows"
            ),
            StoreError::Busy => f.write_str(
                "another terminal is saving (or a stuck process holds the database); nothing was saved — try again",
            ),
            StoreError::DiskFull => write!(f, "the disk is full; nothing was saved"),
            StoreError::Refused(why) => f.write_str(why),
            StoreError::Io(e) => write!(f, "file error: {e}"),
            StoreError::Sqlite(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(PathBuf::new()),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly(PathBuf::new()),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(e: std::io::Error) -> Self {
        StoreError::Io(e)
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Refuse a change with a message for the nurse.
pub fn refuse<T>(why: impl Into<String>) -> Result<T> {
    Err(StoreError::Refused(why.into()))
}

/// A database time that must be readable: an unreadable one is an error naming the row (`what`),
/// never a guessed date.
pub(crate) fn db_time(text: &str, what: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    crate::domain::time::from_db(text).ok_or_else(|| StoreError::Refused(format!("{what}: unreadable time {text:?}")))
}

/// How long a writer waits for another terminal's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Prepared statements kept per connection (every query the app runs, with room to spare).
const STATEMENT_CACHE: usize = 256;

/// How often [`Store::write`] retries a busy answer that came back without waiting.
const QUICK_BUSY_RETRIES: u32 = 3;

/// One open ward database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Whether [`Store::open`] may create the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenMode {
    CreateIfMissing,
    MustExist,
}

impl Store {
    /// Open (or create) the ward database at `path`, check it, and bring its schema up to date.
    ///
    /// Refuses, with a clear error and without touching the file: a missing directory, a file
    /// that is not SQLite, a read-only file, a database from a newer wardterm.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store> {
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(StoreError::NoDirectory(dir.to_path_buf()));
        }
        match fs::metadata(path) {
            Ok(meta) => {
                if meta.is_dir() {
                    return Err(StoreError::NotSqlite(path.to_path_buf()));
                }
                if meta.len() > 0 && !has_sqlite_header(path)? {
                    return Err(StoreError::NotSqlite(path.to_path_buf()));
                }
                if meta.permissions().readonly() {
                    return Err(StoreError::ReadOnly(path.to_path_buf()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if mode == OpenMode::MustExist {
                    return Err(StoreError::Missing(path.to_path_buf()));
                }
                create_private(path)?;
            }
            Err(e) => return Err(e.into()),
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| match StoreError::from(e) {
            StoreError::NotSqlite(_) => StoreError::NotSqlite(path.to_path_buf()),
            StoreError::ReadOnly(_) => StoreError::ReadOnly(path.to_path_buf()),
            other => other,
        })?;
        let mut store = Store { conn, path: path.to_path_buf() };
        store.configure().map_err(|e| match e {
            StoreError::NotSqlite(_) => StoreError::NotSqlite(path.to_path_buf()),
            StoreError::ReadOnly(_) => StoreError::ReadOnly(path.to_path_buf()),
            other => other,
        })?;
        Ok(store)
    }

    /// A private in-memory database with the current schema, for tests and the calculator.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store { conn, path: PathBuf::from(":memory:") };
        store.configure()?;
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // rusqlite keeps 16 prepared statements by default; building one patient's handoff
        // alone runs more than that, so every patient re-prepared them all (a third of the
        // ward's handoff build, measured with perf). The app's whole SQL fits in this.
        self.conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Plans that do not depend on bound values (the query planner stability guarantee).
        // Without it SQLite marks a parameter the plan might depend on (a partial index's
        // condition), rusqlite clears bindings when a statement goes back to its cache, and the
        // next use re-parses and re-plans the statement: most of the observation board's and
        // the handoff's time (perf). It is also the plan tests/query_plans.rs checks, made with
        // no values bound.
        self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        // WAL: readers never block the writer; FULL: a committed entry survives a power cut.
        let mode: String = self.conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        if mode != "wal" && self.path != Path::new(":memory:") {
            return refuse(format!("could not switch the database to WAL mode (got {mode})"));
        }
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        migrate::migrate(&mut self.conn)?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Run several reads as one read transaction: one consistent snapshot of the ward (another
    /// terminal's commit lands wholly before or wholly after), and one lock and WAL check instead
    /// of one per query (a third of building the ward's handoff, 400 queries, measured). Inside a
    /// transaction already, it just runs `f`.
    pub fn snapshot<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let out = f();
        // Nothing was written: COMMIT and ROLLBACK both just end the read.
        let ended = self.conn.execute_batch(if out.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let out = out?;
        ended?;
        Ok(out)
    }

    /// Run one unit of work in an IMMEDIATE transaction: all of it lands, or none of it.
    ///
    /// Waiting for another terminal's write is the busy timeout's job (5 s). SQLite reports a few
    /// busy states without waiting (a WAL being recovered after a crash, a stale snapshot): those
    /// are retried a bounded number of times before [`StoreError::Busy`] reaches the user.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        let tx = loop {
            let started = std::time::Instant::now();
            // `new_unchecked` borrows the connection shared, so a failed attempt can loop; `&mut
            // self` still guarantees no other transaction is open on it.
            match Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate) {
                Ok(tx) => break tx,
                Err(e) => {
                    let quick = started.elapsed() < BUSY_TIMEOUT / 2;
                    let busy = e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy);
                    if busy && quick && attempt < QUICK_BUSY_RETRIES {
                        attempt += 1;
                        std::thread::sleep(Duration::from_millis(50 * u64::from(attempt)));
                        continue;
                    }
                    return Err(e.into());
                }
            }
        };
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The connection, for the store's own reads. Nothing above the store speaks SQL.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The raw connection, for tests, benchmarks and probes that inspect the file or tamper
    /// with it as an attacker with the file would. Only built with the `test-support` feature,
    /// which the crate's own dev-dependency turns on: the shipped binary cannot call it.
    #[cfg(feature = "test-support")]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }

    /// A warning when the database file (or its WAL/SHM) can be read by other users of this
    /// machine: substance-use records are confidential (REFERENCE.md section 6, 42 CFR Part 2).
    pub fn permission_warning(&self) -> Option<String> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for suffix in ["", "-wal", "-shm"] {
                let mut p = self.path.as_os_str().to_owned();
                p.push(suffix);
                if let Ok(meta) = fs::metadata(&p)
                    && meta.permissions().mode() & 0o077 != 0
                {
                    return Some(format!(
                        "WARNING: {} can be read by other users of this machine (mode {:o}); run: chmod 600 {}*",
                        PathBuf::from(&p).display(),
                        meta.permissions().mode() & 0o777,
                        self.path.display()
                    ));
                }
            }
        }
        None
    }

    /// Changes whenever another connection commits: poll it on the tick to refresh screens.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }
}

fn has_sqlite_header(path: &Path) -> Result<bool> {
    let mut head = [0u8; 16];
    let mut f = fs::File::open(path)?;
    let n = f.read(&mut head)?;
    Ok(n == 16 && &head == b"SQLite format 3\0")
}

/// Create an empty file readable and writable by its owner only (0600): the record is
/// confidential (REFERENCE.md section 6). SQLite gives the WAL and SHM files the same mode.
fn create_private(path: &Path) -> Result<()> {
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?;
    Ok(())
}

/// Refuse an action the actor's role may not take: the store checks, not only the screen.
pub fn require(actor: &crate::domain::user::Staff, action: crate::domain::user::Action) -> Result<()> {
    if crate::domain::user::can(actor.role, action) {
        Ok(())
    } else {
        refuse(format!("a {} may not {}", actor.role, action.describe()))
    }
}
