//! `wardterm backup` and `wardterm restore`: a consistent, private, checked copy taken while
//! another terminal writes; a restore that refuses every bad source and changes nothing then,
//! and that otherwise replaces the record in place, keeps the old one, and audits.
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use rusqlite::Connection;

use super::common::pty::Session;
use super::{WAIT, Ward, count, integrity, path_str, sign_in, stderr, stdout, wardterm};
use wardterm::domain::stay::AdmissionForm;
use wardterm::store::{OpenMode, Store};

const ADMIN: (&str, &str) = ("WARDTERM_PASSWORD", "demo-admin1");

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Files in `dir` that a backup or restore may leave behind by mistake.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.contains(".partial") || n.contains(".restore-") || n.ends_with("-journal"))
        .collect()
}

/// The writer's sequence numbers ("bk #N") present in a database, sorted.
fn writer_rows(conn: &Connection) -> Vec<usize> {
    let mut st = conn.prepare("SELECT detail FROM audit WHERE detail LIKE 'bk #%'").unwrap();
    let mut v: Vec<usize> = st
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|d| d.unwrap()["bk #".len()..].parse().unwrap())
        .collect();
    v.sort_unstable();
    v
}

#[test]
fn backup_while_another_terminal_writes_is_consistent_private_and_checked() {
    let ward = Ward::demo();
    let stop = Arc::new(AtomicBool::new(false));
    let committed = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (path, stop, committed) = (ward.db.clone(), Arc::clone(&stop), Arc::clone(&committed));
        thread::spawn(move || {
            let mut store = Store::open(&path, OpenMode::MustExist).unwrap();
            let me = sign_in(&mut store, "nurse", "demo-nurse1");
            let deadline = Instant::now() + Duration::from_secs(20);
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                store.audit_read(me.id, 1, &format!("bk #{i}"), Utc::now()).expect("the writer is never refused");
                i += 1;
                committed.store(i, Ordering::SeqCst);
                // A terminal saves a few times a second at most. SQLite's lock is not a fair
                // queue: a writer looping with no pause at all could starve the backup's own
                // audit row past the busy timeout, which no ward does.
                thread::sleep(Duration::from_millis(2));
            }
        })
    };
    while committed.load(Ordering::SeqCst) < 20 {
        thread::sleep(Duration::from_millis(5));
    }
    for n in 0..3 {
        let dest = ward.dir.path().join(format!("backup-{n}.db"));
        let before = committed.load(Ordering::SeqCst);
        let o = wardterm(&["backup", "--db", ward.db(), path_str(&dest)], &[]);
        let after = committed.load(Ordering::SeqCst);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("integrity check ok"), "{}", stdout(&o));
        assert_eq!(mode(&dest), 0o600, "a backup is readable by its owner only");
        let mut wal = dest.as_os_str().to_owned();
        wal.push("-wal");
        assert!(!Path::new(&wal).exists(), "a backup is one self-contained file");
        let copy = Connection::open(&dest).unwrap();
        assert_eq!(integrity(&copy), "ok");
        let journal: String = copy.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(journal, "delete");
        // A consistent snapshot: the writer's commits up to some moment during the backup, no gaps.
        let rows = writer_rows(&copy);
        let k = rows.len();
        assert_eq!(rows, (0..k).collect::<Vec<_>>(), "backup {n} holds a prefix of the writer's commits");
        assert!(before <= k && k <= after, "backup {n}: {k} rows, the writer had committed {before}..{after}");
        drop(copy);
        // The backup is a wardterm database this program opens as-is.
        let store = Store::open(&dest, OpenMode::MustExist).unwrap();
        assert_eq!(store.ward().unwrap().unwrap().name, "4 West Detox");
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    assert!(leftovers(ward.dir.path()).is_empty(), "{:?}", leftovers(ward.dir.path()));
    // Each copy of the whole record is an export, and the audit trail says so.
    let c = Connection::open(ward.db()).unwrap();
    let exports: i64 =
        c.query_row("SELECT count(*) FROM audit WHERE action = 'export.backup'", [], |r| r.get(0)).unwrap();
    assert_eq!(exports, 3);
}

#[test]
fn backup_refuses_to_overwrite_unless_forced_and_other_bad_destinations() {
    let ward = Ward::demo();
    let dest = ward.dir.path().join("nightly.db");
    fs::write(&dest, "yesterday's backup").unwrap();
    let o = wardterm(&["backup", "--db", ward.db(), path_str(&dest)], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already exists") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&dest).unwrap(), "yesterday's backup", "DEST untouched");

    let o = wardterm(&["backup", "--db", ward.db(), path_str(&dest), "--force"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(integrity(&Connection::open(&dest).unwrap()), "ok");
    assert_eq!(mode(&dest), 0o600);

    let o = wardterm(&["backup", "--db", ward.db(), ward.db(), "--force"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ward database itself"), "{}", stderr(&o));
    let o = wardterm(&["backup", "--db", ward.db(), path_str(&ward.dir.path().join("no/such/dir/b.db"))], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    let o = wardterm(&["backup", "--db", ward.db(), path_str(ward.dir.path())], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    assert_eq!(integrity(&ward.raw()), "ok");
    assert!(leftovers(ward.dir.path()).is_empty(), "{:?}", leftovers(ward.dir.path()));
}

/// A fresh backup of the ward, to spoil in different ways.
fn backup_of(ward: &Ward, name: &str) -> PathBuf {
    let dest = ward.dir.path().join(name);
    let o = wardterm(&["backup", "--db", ward.db(), path_str(&dest)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    dest
}

fn kept_copies(ward: &Ward) -> Vec<PathBuf> {
    fs::read_dir(ward.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".before-restore-"))
        .collect()
}

fn restore(ward: &Ward, src: &Path, user: &str, pw: &str) -> std::process::Output {
    wardterm(&["restore", path_str(src), "--db", ward.db(), "--user", user, "--yes"], &[("WARDTERM_PASSWORD", pw)])
}

#[test]
fn restore_refuses_bad_sources_non_admins_and_unconfirmed_runs_changing_nothing() {
    let ward = Ward::demo();
    let dir = ward.dir.path();
    let good = backup_of(&ward, "good.db");

    let text = dir.join("notes.txt");
    fs::write(&text, "not a database").unwrap();

    let foreign = dir.join("foreign.db");
    Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE recipes (name TEXT);").unwrap();

    let newer = backup_of(&ward, "newer.db");
    Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();

    // Corrupt: an index whose definition no longer matches its rows, as a bad disk might leave it.
    let corrupt = backup_of(&ward, "corrupt.db");
    {
        let c = Connection::open(&corrupt).unwrap();
        c.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX stay_patient ON stay (bed_id, admitted_at)'
             WHERE name = 'stay_patient';",
        )
        .unwrap();
    }
    assert_ne!(integrity(&Connection::open(&corrupt).unwrap()), "ok", "the fixture really is corrupt");

    let empty_ward = dir.join("empty.db");
    let o = wardterm(&["init", "--db", path_str(&empty_ward)], &[]);
    assert!(o.status.success(), "{}", stderr(&o));

    let patients = count(&ward.raw(), "patient");
    let cases: [(&Path, &str); 6] = [
        (&text, "not a SQLite database"),
        (&foreign, "not a wardterm database"),
        (&newer, "newer wardterm"),
        (&corrupt, "integrity check"),
        (&empty_ward, "holds no ward"),
        (&dir.join("absent.db"), "there is no database"),
    ];
    for (src, says) in cases {
        let o = restore(&ward, src, "admin", "demo-admin1");
        assert_eq!(o.status.code(), Some(1), "{}: {}", src.display(), stderr(&o));
        assert!(stderr(&o).contains(says), "{}: expected {says:?} in {}", src.display(), stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    assert_eq!(fs::read_to_string(&text).unwrap(), "not a database", "the source is never changed");
    let v: i64 = Connection::open(&newer).unwrap().query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 99, "the source is never changed");

    // The right file, the wrong person or no confirmation.
    let o = restore(&ward, &good, "charge", "demo-charge1");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("only an admin"), "{}", stderr(&o));
    let o = restore(&ward, &good, "admin", "wrong-password");
    assert_eq!(o.status.code(), Some(1));
    let o = wardterm(&["restore", path_str(&good), "--db", ward.db(), "--user", "admin"], &[ADMIN]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--yes"), "{}", stderr(&o));

    let conn = ward.raw();
    assert_eq!(integrity(&conn), "ok");
    assert_eq!(count(&conn, "patient"), patients);
    assert!(kept_copies(&ward).is_empty(), "nothing was replaced, so nothing was set aside");
    assert!(leftovers(dir).is_empty(), "{:?}", leftovers(dir));
}

#[test]
fn restore_replaces_the_record_in_place_keeps_the_old_one_and_audits() {
    let ward = Ward::demo();
    let backup = backup_of(&ward, "nightly.db");
    // After the backup: an admission that the restore will take away.
    let mut terminal = ward.store();
    let charge = sign_in(&mut terminal, "charge", "demo-charge1");
    let now = Utc::now();
    let bed = terminal.census().unwrap().iter().find(|r| r.occupant.is_none()).unwrap().bed_id;
    let form = AdmissionForm {
        name: "After Backup".into(),
        birth_date: "1980-01-02".into(),
        sex: "F".into(),
        mrn: "AFTER-1".into(),
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
    };
    let a = form.validate(now, chrono_tz::America::New_York, &["3.7-WM".into()], &["q15".into()]).unwrap();
    terminal.admit(&charge, bed, &a, now).unwrap();
    let version_before = terminal.data_version().unwrap();

    // `terminal` stays open through the restore, as another nurse's app would.
    let o = restore(&ward, &backup, "admin", "demo-admin1");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("kept at"), "{}", stdout(&o));

    let conn = ward.raw();
    assert_eq!(integrity(&conn), "ok");
    let after: i64 = conn.query_row("SELECT count(*) FROM patient WHERE mrn = 'AFTER-1'", [], |r| r.get(0)).unwrap();
    assert_eq!(after, 0, "the database now holds the backup's record");
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal", "the ward database is still in WAL mode");
    let audited: String = conn
        .query_row("SELECT detail FROM audit WHERE action = 'db.restore' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(audited.contains("nightly.db") && audited.contains("by admin"), "{audited}");

    let kept = kept_copies(&ward);
    assert_eq!(kept.len(), 1, "the replaced database is kept: {kept:?}");
    assert_eq!(mode(&kept[0]), 0o600);
    let old = Connection::open(&kept[0]).unwrap();
    assert_eq!(integrity(&old), "ok");
    let there: i64 = old.query_row("SELECT count(*) FROM patient WHERE mrn = 'AFTER-1'", [], |r| r.get(0)).unwrap();
    assert_eq!(there, 1, "the kept copy still has what the restore replaced");
    let why: String = old
        .query_row("SELECT detail FROM audit WHERE action = 'db.restore' ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(why.contains("replaced by a restore"), "{why}");

    // The terminal that stayed open sees the restored record on its next look.
    assert_ne!(terminal.data_version().unwrap(), version_before, "other connections notice the change");
    assert!(terminal.census().unwrap().iter().all(|r| r.occupant.as_ref().is_none_or(|o| o.mrn != "AFTER-1")));
    assert!(leftovers(ward.dir.path()).is_empty(), "{:?}", leftovers(ward.dir.path()));
}

#[test]
fn restore_asks_on_a_terminal_and_no_cancels() {
    let ward = Ward::demo();
    let backup = backup_of(&ward, "nightly.db");
    let args = ["restore", path_str(&backup), "--db", ward.db(), "--user", "admin"];
    let mut s = Session::spawn(&args, 100, 30, &[ADMIN]);
    s.wait_for("[y/N]", WAIT).unwrap();
    assert!(s.screen().contains("4 West Detox"), "the question says what is replaced by what:\n{}", s.screen());
    s.send("n\r");
    let status = s.wait_exit(WAIT).expect("exit after no");
    assert!(!status.success());
    assert!(s.screen().contains("cancelled; nothing was changed"), "{}", s.screen());
    assert!(kept_copies(&ward).is_empty());

    let mut s = Session::spawn(&args, 100, 30, &[ADMIN]);
    s.wait_for("[y/N]", WAIT).unwrap();
    s.send("y\r");
    let status = s.wait_exit(WAIT).expect("exit after yes");
    assert!(status.success(), "{}", s.screen());
    assert!(s.screen().contains("Restored"), "{}", s.screen());
    assert_eq!(kept_copies(&ward).len(), 1);
}

#[test]
fn restore_onto_a_lost_database_puts_the_backup_in_place() {
    let ward = Ward::demo();
    let backup = backup_of(&ward, "nightly.db");
    let fresh = ward.dir.path().join("new-disk.db");
    let o = wardterm(&["restore", path_str(&backup), "--db", path_str(&fresh), "--user", "admin", "--yes"], &[ADMIN]);
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&fresh, OpenMode::MustExist).unwrap();
    assert_eq!(integrity(store.raw_connection()), "ok");
    assert_eq!(store.ward().unwrap().unwrap().name, "4 West Detox");
    assert_eq!(mode(&fresh), 0o600);
    assert!(leftovers(ward.dir.path()).is_empty(), "{:?}", leftovers(ward.dir.path()));
}
