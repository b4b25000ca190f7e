//! The kill harness: a writer process commits admissions, assessments and discharges in a loop
//! and reports each one on stdout only after its commit returned; the harness SIGKILLs it at a
//! random moment, many times over (bounded in count and time), and after every kill checks that
//! the database is sound (`integrity_check`, `foreign_key_check`) and that every write the writer
//! reported as committed is there.
//!
//! The writer is this same test binary run again with `WARDTERM_KILL_WRITER` set (see
//! [`writer_child`]), so no helper binary ships with the program; it uses the same library code
//! as the app.
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use chrono::Utc;
use rusqlite::Connection;
use tempfile::TempDir;

use wardterm::demo;
use wardterm::domain::assessment::{NewAssessment, Outcome};
use wardterm::domain::scale::Answers;
use wardterm::domain::scales;
use wardterm::domain::stay::{AdmissionForm, validate_discharge};
use wardterm::domain::vitals::Vitals;
use wardterm::store::{OpenMode, Store};

/// The environment variable that turns [`writer_child`] into the writer: the database path.
const CHILD_ENV: &str = "WARDTERM_KILL_WRITER";

/// At most this many kills, and no new one after this long.
const ITERATIONS: usize = 25;
const TIME_BUDGET: Duration = Duration::from_secs(20);

/// A small deterministic generator (xorshift), seeded per run and printed for a replay.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Not a test of its own: the writer process's entry point. Run without `WARDTERM_KILL_WRITER`
/// (as every normal `cargo test` does) it returns at once.
#[test]
fn writer_child() {
    let Ok(db) = std::env::var(CHILD_ENV) else { return };
    let mut store = Store::open(Path::new(&db), OpenMode::MustExist).expect("writer: open");
    let me = store.sign_in("charge", "demo-charge1", Utc::now()).expect("writer: sign in").expect("writer: password");
    let ward = store.ward().unwrap().unwrap();
    let pid = std::process::id();
    let mut out = std::io::stdout().lock();
    let mut report = |line: String| {
        // Only after the commit returned, and flushed at once: a reported write is a committed one.
        writeln!(out, "{line}").and_then(|()| out.flush()).expect("writer: report");
    };
    report("ready".into());
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut n = 0u32;
    while Instant::now() < deadline {
        n += 1;
        let now = Utc::now();
        let rows = store.census().expect("writer: census");
        // An assessment on the first patient on CIWA-Ar.
        if let Some(o) = rows
            .iter()
            .filter_map(|r| r.occupant.as_ref())
            .find(|o| o.protocol == wardterm::domain::stay::Protocol::CiwaAr)
        {
            let scores: Vec<(&str, u8)> =
                scales::ciwa_ar::CIWA_AR.items.iter().map(|i| (i.key, (n % 3) as u8)).collect();
            let answers = Answers::from_scores(&scales::ciwa_ar::CIWA_AR, &scores).expect("writer: answers");
            let a = NewAssessment {
                stay_id: o.stay_id,
                outcome: Outcome::Scored(answers),
                vitals: Vitals::default(),
                taken_at: now,
                comment: None,
            };
            let id = store.record_assessment(&me, &a, now).expect("writer: assessment").id;
            report(format!("assessment {id}"));
        }
        // Discharge a patient this writer admitted, else admit one to an empty bed.
        let mine = rows.iter().filter_map(|r| r.occupant.as_ref()).find(|o| o.mrn.starts_with("KILL-"));
        if let Some(o) = mine {
            let d =
                validate_discharge("completed", "now", "harness: outpatient follow-up", o.admitted_at, now, ward.tz)
                    .expect("writer: discharge form");
            store.discharge(&me, o.stay_id, &d, now).expect("writer: discharge");
            report(format!("discharge {}", o.stay_id));
        } else if let Some(bed) = rows.iter().find(|r| r.occupant.is_none()) {
            let mrn = format!("KILL-{pid}-{n}");
            let a = AdmissionForm {
                name: format!("Harness Patient {n}"),
                birth_date: "1980-01-02".into(),
                sex: "U".into(),
                mrn: mrn.clone(),
                admitted_at: "now".into(),
                level_of_care: "3.7-WM".into(),
                substances: "alcohol".into(),
                last_use: "unknown".into(),
                allergies: "NKDA".into(),
                precautions: String::new(),
                attending: "Dr. Harness".into(),
                code_status: "Full code".into(),
                protocol: "ciwa-ar".into(),
                observation: "q60".into(),
            }
            .validate(now, ward.tz, &["3.7-WM".into()], &["q60".into()])
            .expect("writer: admission form");
            let stay = store.admit(&me, bed.bed_id, &a, now).expect("writer: admit");
            report(format!("admit {stay}"));
        }
    }
}

/// What the writer said it committed.
#[derive(Default)]
struct Reported {
    assessments: Vec<i64>,
    admitted: Vec<i64>,
    discharged: Vec<i64>,
}

impl Reported {
    fn take(&mut self, line: &str) {
        let mut w = line.split_whitespace();
        let (Some(kind), Some(id)) = (w.next(), w.next().and_then(|s| s.parse::<i64>().ok())) else { return };
        match kind {
            "assessment" => self.assessments.push(id),
            "admit" => self.admitted.push(id),
            "discharge" => self.discharged.push(id),
            _ => {}
        }
    }

    fn total(&self) -> usize {
        self.assessments.len() + self.admitted.len() + self.discharged.len()
    }

    /// Every reported write is in the database; the first one missing, if any.
    fn missing_from(&self, conn: &Connection) -> Option<String> {
        let exists = |sql: &str, id: i64| -> bool { conn.query_row(sql, [id], |r| r.get::<_, bool>(0)).unwrap() };
        for &id in &self.assessments {
            if !exists("SELECT EXISTS (SELECT 1 FROM assessment WHERE id = ?1)", id) {
                return Some(format!("assessment {id}"));
            }
        }
        for &id in &self.admitted {
            if !exists("SELECT EXISTS (SELECT 1 FROM stay WHERE id = ?1)", id) {
                return Some(format!("admission {id}"));
            }
        }
        for &id in &self.discharged {
            if !exists("SELECT EXISTS (SELECT 1 FROM stay WHERE id = ?1 AND discharged_at IS NOT NULL)", id) {
                return Some(format!("discharge of stay {id}"));
            }
        }
        None
    }
}

fn check_sound(conn: &Connection, i: usize, seed: u64) {
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok", "kill {i} (seed {seed}): integrity_check");
    let fk_problem = conn.prepare("PRAGMA foreign_key_check").unwrap().query([]).unwrap().next().unwrap().is_some();
    assert!(!fk_problem, "kill {i} (seed {seed}): foreign_key_check found a problem");
    // Units of work landed whole: every stay has its admission event, every discharge its event.
    let half_written: i64 = conn
        .query_row(
            "SELECT count(*) FROM stay s WHERE NOT EXISTS
                 (SELECT 1 FROM stay_event e WHERE e.stay_id = s.id AND e.kind = 'admit')
             OR (s.discharged_at IS NOT NULL AND NOT EXISTS
                 (SELECT 1 FROM stay_event e WHERE e.stay_id = s.id AND e.kind = 'discharge'))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(half_written, 0, "kill {i} (seed {seed}): a stay without its history event");
}

#[test]
fn sigkill_at_random_moments_loses_no_reported_commit_and_never_damages_the_database() {
    let seed = std::env::var("KILL_HARNESS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| Utc::now().timestamp_micros() as u64 | 1);
    eprintln!("kill harness seed {seed} (replay with KILL_HARNESS_SEED={seed})");
    let mut rng = Rng(seed);
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("ward.db");
    {
        let mut store = Store::open(&db, OpenMode::CreateIfMissing).unwrap();
        demo::build(&mut store, Utc::now()).unwrap();
    }
    let me = std::env::current_exe().unwrap();
    let started = Instant::now();
    let mut reported = Reported::default();
    let mut kills_while_writing = 0;
    let mut iterations = 0;
    while iterations < ITERATIONS && started.elapsed() < TIME_BUDGET {
        iterations += 1;
        let mut child = Command::new(&me)
            .args(["writer_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the writer");
        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().unwrap();
        let reader = thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait until it is writing (bounded), then let it write for a random while.
        let ready_by = Instant::now() + Duration::from_secs(10);
        let mut lines = Vec::new();
        while Instant::now() < ready_by {
            match rx.recv_timeout(Duration::from_millis(50)) {
                // libtest prints "test writer_child ... " before the test runs, on the same line.
                Ok(l) if l.ends_with("ready") => break,
                Ok(l) => lines.push(l),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        thread::sleep(Duration::from_millis(rng.below(250)));
        if matches!(child.try_wait(), Ok(None)) {
            kills_while_writing += 1;
        }
        child.kill().expect("SIGKILL the writer");
        let _ = child.wait();
        reader.join().unwrap();
        lines.extend(rx.try_iter());
        for l in &lines {
            reported.take(l);
        }

        let conn = Connection::open(&db).unwrap();
        check_sound(&conn, iterations, seed);
        if let Some(lost) = reported.missing_from(&conn) {
            panic!("kill {iterations} (seed {seed}): the writer reported {lost} as committed, but it is not there");
        }
    }
    eprintln!(
        "{iterations} kills ({kills_while_writing} mid-write) in {:?}; {} reported commits all present",
        started.elapsed(),
        reported.total()
    );
    assert!(iterations >= 5, "at least a few kills within the time budget");
    assert!(kills_while_writing * 2 >= iterations, "most kills land while the writer is writing");
    assert!(reported.total() >= iterations, "the writer committed and reported writes");
    // The database is still a working ward: the app's store opens it and a write succeeds.
    let mut store = Store::open(&db, OpenMode::MustExist).unwrap();
    assert!(store.sign_in("nurse", "demo-nurse1", Utc::now()).unwrap().is_ok());
}
