//! Benchmarks at ten years of ward data (issue 8; figures and commands in docs/PERFORMANCE.md).
//!
//! Build the big ward once, then point the benchmarks at it:
//!
//! ```sh
//! cargo build --release
//! target/release/wardterm init --demo --beds 40 --years 10 --db target/bench-ward.db
//! WARDTERM_BENCH_DB=target/bench-ward.db cargo bench --bench ward
//! ```
//!
//! Without `WARDTERM_BENCH_DB` a small ward (12 beds, one year) is generated into a temporary
//! directory, so `cargo bench` always runs; its figures say little about year ten.
//!
//! Reads run on the bench database itself. Opening the scoring and trend screens appends an
//! audit row each time, as it does for a nurse. Saves and sign-ins run on a temporary copy.
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use tempfile::TempDir;

use wardterm::demo::ACCOUNTS;
use wardterm::domain::assessment::{NewAssessment, Outcome};
use wardterm::domain::handoff;
use wardterm::domain::scale::Answers;
use wardterm::domain::scales;
use wardterm::domain::shift::{next_shift, shift_at};
use wardterm::domain::timeline::Filter;
use wardterm::domain::vitals::Vitals;
use wardterm::generate::{self, Plan};
use wardterm::store::notes;
use wardterm::store::users::staff_by_id;
use wardterm::store::{OpenMode, Store};
use wardterm::tui::app::{App, Msg, Screen};
use wardterm::tui::view::view;

struct Ward {
    path: PathBuf,
    _tmp: Option<TempDir>,
}

fn ward() -> &'static Ward {
    static WARD: OnceLock<Ward> = OnceLock::new();
    WARD.get_or_init(|| match std::env::var_os("WARDTERM_BENCH_DB") {
        Some(p) => {
            let path = PathBuf::from(p);
            assert!(
                path.is_file(),
                "WARDTERM_BENCH_DB={} does not exist; build it with \
                 `target/release/wardterm init --demo --beds 40 --years 10 --db {}`",
                path.display(),
                path.display()
            );
            Ward { path, _tmp: None }
        }
        None => {
            let tmp = TempDir::new().expect("temp dir");
            let path = tmp.path().join("small-ward.db");
            eprintln!("WARDTERM_BENCH_DB is not set: generating a small ward (12 beds, 1 year) to measure on");
            let mut store = Store::open(&path, OpenMode::CreateIfMissing).expect("open");
            generate::build(&mut store, &Plan::new(12, 1, Utc::now()), &mut |_| {}).expect("generate");
            Ward { path, _tmp: Some(tmp) }
        }
    })
}

fn open(path: &Path) -> Store {
    Store::open(path, OpenMode::MustExist).expect("open the bench database")
}

/// The open stay with the most assessments (the long taper on a generated ward).
fn longest_open_stay(store: &Store) -> i64 {
    store
        .raw_connection()
        .query_row(
            "SELECT s.id FROM stay s WHERE s.discharged_at IS NULL
             ORDER BY (SELECT count(*) FROM assessment a WHERE a.stay_id = s.id) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .expect("an open stay")
}

/// The open stay with a taper and the most assessments after the long stay.
fn detox_stay(store: &Store) -> i64 {
    store
        .raw_connection()
        .query_row(
            "SELECT s.id FROM stay s JOIN med_order o ON o.stay_id = s.id AND o.kind = 'taper'
             WHERE s.discharged_at IS NULL
             ORDER BY (SELECT count(*) FROM assessment a WHERE a.stay_id = s.id) DESC LIMIT 1 OFFSET 1",
            [],
            |r| r.get(0),
        )
        .expect("an open stay with a taper")
}

/// The app signed in as the demo charge nurse (no argon2: the sign-in is benchmarked apart).
fn app(path: &Path) -> App {
    let store = open(path);
    let me = staff_by_id(store.raw_connection(), 1).expect("query").expect("the first charge nurse");
    App::new(store, Utc::now()).expect("app").signed_in_as(me).expect("census")
}

/// Select the bed of `stay_id` on the board.
fn select_stay(app: &mut App, stay_id: i64) {
    let (census, board) = (&mut app.model.census, &app.model.board);
    let pos = census
        .order
        .iter()
        .position(|&i| board.rows[i].occupant.as_ref().is_some_and(|o| o.stay_id == stay_id))
        .expect("the stay is on the board");
    census.selected = pos;
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn terminal(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("terminal")
}

fn draw(t: &mut Terminal<TestBackend>, app: &App) {
    t.draw(|f| view(f, &app.model, ACCOUNTS)).expect("draw");
}

fn queries(c: &mut Criterion) {
    let w = ward();
    let store = open(&w.path);
    let long = longest_open_stay(&store);
    let mut g = c.benchmark_group("query");
    g.bench_function("census", |b| b.iter(|| store.census().expect("census")));
    // What the app reloads after every write: the census with the handoff flags, the rounds'
    // board, aftercare, and the medication marks (next dose due over 24 h, open prompts, the
    // latest vital signs).
    let tz = store.ward().expect("ward").expect("a ward").tz;
    g.bench_function("ward_board (census + handoff, rounds, aftercare, doses due, prompts, vitals)", |b| {
        b.iter(|| store.ward_board(None, Utc::now(), tz).expect("board"))
    });
    g.bench_function("assessments_page (8, newest, long stay)", |b| {
        b.iter(|| store.assessments_page(long, None, 8).expect("page"))
    });
    let page = store.assessments_page(long, None, 400).expect("page");
    let deep = page.last().map(|a| (a.taken_at, a.id));
    g.bench_function("assessments_page (8, 400 back, long stay)", |b| {
        b.iter(|| store.assessments_page(long, deep, 8).expect("page"))
    });
    g.bench_function("trend (500 points, long stay)", |b| b.iter(|| store.trend(long, 500).expect("trend")));
    g.bench_function("prns (500, long stay)", |b| b.iter(|| store.prns(long, 500).expect("prns")));
    g.bench_function("timeline page (20, newest, long stay)", |b| {
        b.iter(|| store.timeline(long, Filter::All, None, 20).expect("timeline"))
    });
    // Search: a common word (in most notes) and a rare one, over one stay, the patients on the
    // ward now, and the whole record.
    for word in [COMMON_WORD, RARE_WORD] {
        g.bench_function(format!("note search '{word}', long stay (20 newest)"), |b| {
            b.iter(|| store.search_notes(long, word, 20).expect("search"))
        });
        g.bench_function(format!("note search '{word}', patients on the ward (50 newest)"), |b| {
            b.iter(|| store.search_current_notes(word, 50).expect("search"))
        });
        g.bench_function(format!("note search '{word}', whole record (50 newest)"), |b| {
            b.iter(|| store.search_all_notes(word, 50).expect("search"))
        });
    }
    // The search SQL alone (the ids, as the sqlite3 shell floor runs it), without loading the
    // notes found.
    let ids = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> Vec<i64> {
        let mut st = store.raw_connection().prepare_cached(sql).expect("prepare");
        st.query_map(params, |r| r.get(0)).expect("query").collect::<Result<_, _>>().expect("rows")
    };
    for word in [COMMON_WORD, RARE_WORD] {
        g.bench_function(format!("search SQL only '{word}', long stay (20)"), |b| {
            b.iter(|| ids(notes::SEARCH_STAY_SQL, &[&word, &long, &20]))
        });
        g.bench_function(format!("search SQL only '{word}', patients on the ward (50)"), |b| {
            b.iter(|| ids(notes::SEARCH_OPEN_STAYS_SQL, &[&word, &50]))
        });
    }
    g.bench_function(format!("search SQL only '{COMMON_WORD}', whole record (50)"), |b| {
        b.iter(|| ids(notes::SEARCH_ALL_SQL, &[&COMMON_WORD, &50]))
    });
    g.finish();

    // The medication record (schema v6): one patient's MAR screen (orders with steps and stops,
    // every administration, each PRN's state from its last score) for the long stay (a 180-day
    // taper) and for a detox stay, and the ward's doses due in the next hour (and overdue).
    let mut g = c.benchmark_group("mar");
    g.bench_function("stay_mar (MAR screen reads, long stay)", |b| {
        b.iter(|| store.stay_mar(long, Utc::now()).expect("mar"))
    });
    let detox = detox_stay(&store);
    g.bench_function("stay_mar (MAR screen reads, the next longest stay with a taper)", |b| {
        b.iter(|| store.stay_mar(detox, Utc::now()).expect("mar"))
    });
    g.bench_function("ward_due (doses due in the next hour, overdue first)", |b| {
        b.iter(|| store.ward_due(Utc::now(), chrono::Duration::hours(1)).expect("due"))
    });
    g.finish();

    // The whole ward's handoff for the shift ending now: every occupied bed's records (scores,
    // PRNs, notes, rounds, therapy, action items, the last accepted handoff) and its I-PASS page.
    let mut g = c.benchmark_group("handoff");
    let tz = store.ward().expect("ward").expect("a ward").tz;
    let defs = store.shift_defs().expect("shifts");
    g.bench_function("build the ward's handoff (records + pages)", |b| {
        b.iter(|| {
            let now = Utc::now();
            let shift = shift_at(&defs, now, tz).expect("a shift");
            let next = next_shift(&defs, &shift, tz).expect("the next shift");
            let records = store.ward_handoff_records(&shift, next.start, now, tz).expect("records");
            records.iter().map(|r| handoff::build(r, &shift, now, tz)).collect::<Vec<_>>()
        })
    });
    g.finish();
}

/// A word in most generated notes ("no tremor", "fine tremor on extension"), and a rare one.
const COMMON_WORD: &str = "tremor";
const RARE_WORD: &str = "spouse";

fn frames(c: &mut Criterion) {
    let w = ward();
    let app = app(&w.path);
    let mut g = c.benchmark_group("frame");
    for (cols, rows) in [(80, 24), (200, 60)] {
        let mut t = terminal(cols, rows);
        g.bench_function(format!("census full redraw {cols}x{rows}"), |b| {
            b.iter(|| {
                t.clear().expect("clear");
                draw(&mut t, &app);
            })
        });
    }
    g.finish();
}

fn keys(c: &mut Criterion) {
    let w = ward();
    let mut g = c.benchmark_group("key_to_frame");

    // Census: j and k in turn, each followed by the frame it causes.
    let mut a = app(&w.path);
    let mut t = terminal(80, 24);
    draw(&mut t, &a);
    let mut down = true;
    g.bench_function("census j/k 80x24", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char(if down { 'j' } else { 'k' })));
            down = !down;
            draw(&mut t, &a);
        })
    });

    // Scoring: on the long-stay patient, move between items and pick levels.
    let mut a = app(&w.path);
    let long = longest_open_stay(&a.store);
    select_stay(&mut a, long);
    a.update(key(KeyCode::Enter));
    assert!(matches!(a.model.screen, Screen::Scoring(_)), "Enter opens scoring");
    let mut t = terminal(80, 24);
    draw(&mut t, &a);
    let mut n = 0u32;
    g.bench_function("scoring down/up and a level 80x24", |b| {
        b.iter(|| {
            let k = match n % 3 {
                0 => KeyCode::Down,
                1 => KeyCode::Char('2'),
                _ => KeyCode::Up,
            };
            n += 1;
            a.update(key(k));
            draw(&mut t, &a);
        })
    });

    // Trend and past assessments of the long stay: older and newer pages from the database.
    let mut a = app(&w.path);
    select_stay(&mut a, long);
    a.update(key(KeyCode::Char('h')));
    assert!(matches!(a.model.screen, Screen::History { .. }), "h opens the trend");
    let mut t = terminal(80, 24);
    draw(&mut t, &a);
    let mut older = true;
    g.bench_function("trend older/newer page 80x24 (long stay)", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char(if older { 'n' } else { 'p' })));
            older = !older;
            draw(&mut t, &a);
        })
    });

    // The timeline of the long stay (about 2,000 assessments and 690 notes): the cursor, and
    // older and newer pages from the database.
    let mut a = app(&w.path);
    select_stay(&mut a, long);
    a.update(key(KeyCode::Char('v')));
    assert!(matches!(a.model.screen, Screen::Timeline(_)), "v opens the timeline");
    let mut t = terminal(80, 24);
    draw(&mut t, &a);
    let mut down = true;
    g.bench_function("timeline j/k 80x24 (long stay)", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char(if down { 'j' } else { 'k' })));
            down = !down;
            draw(&mut t, &a);
        })
    });
    let mut older = true;
    g.bench_function("timeline older/newer page 80x24 (long stay)", |b| {
        b.iter(|| {
            a.update(key(if older { KeyCode::PageDown } else { KeyCode::PageUp }));
            older = !older;
            draw(&mut t, &a);
        })
    });

    // Opening the handoff (the whole ward built) and going back to the census.
    let mut a = app(&w.path);
    let mut t = terminal(80, 24);
    draw(&mut t, &a);
    g.bench_function("open handoff (H) and back (Esc) 80x24", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char('H')));
            draw(&mut t, &a);
            a.update(key(KeyCode::Esc));
            draw(&mut t, &a);
        })
    });

    // Opening the trend (500 points, PRNs, first page, an audited read) and going back.
    let mut a = app(&w.path);
    select_stay(&mut a, long);
    let mut t = terminal(80, 24);
    draw(&mut t, &a);
    g.bench_function("open trend (h) and back (Esc) 80x24, audited (long stay)", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char('h')));
            draw(&mut t, &a);
            a.update(key(KeyCode::Esc));
            draw(&mut t, &a);
        })
    });
    g.finish();
}

/// A copy of the bench database for writes, checkpointed first so the copy is whole.
fn scratch_copy(path: &Path) -> (TempDir, PathBuf) {
    {
        let s = open(path);
        s.raw_connection().execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
    }
    let dir = TempDir::new_in(path.parent().unwrap_or(Path::new("."))).expect("temp dir beside the database");
    let copy = dir.path().join("scratch.db");
    std::fs::copy(path, &copy).expect("copy the bench database");
    (dir, copy)
}

fn writes(c: &mut Criterion) {
    let w = ward();
    let (_dir, copy) = scratch_copy(&w.path);
    let mut store = open(&copy);
    let long = longest_open_stay(&store);
    let me = staff_by_id(store.raw_connection(), 1).expect("query").expect("charge");
    let scale = scales::by_key("ciwa-b").expect("ciwa-b");
    let protocol: String = store
        .raw_connection()
        .query_row("SELECT protocol FROM stay WHERE id = ?1", [long], |r| r.get(0))
        .expect("protocol");
    let scale = scales::by_key(&protocol).unwrap_or(scale);
    let mut answers = Answers::new(scale);
    for i in 0..scale.items.len() {
        answers.set(i, 1).expect("a legal level");
    }
    let mut g = c.benchmark_group("write");
    g.sample_size(30).measurement_time(Duration::from_secs(10));
    g.bench_function("durable assessment save (fsync, synchronous=FULL)", |b| {
        b.iter(|| {
            let now = Utc::now();
            let a = NewAssessment {
                stay_id: long,
                outcome: Outcome::Scored(answers.clone()),
                vitals: Vitals { heart_rate: Some(88), ..Vitals::default() },
                taken_at: now,
                comment: None,
            };
            store.record_assessment(&me, &a, now).expect("saved")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("signin");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("argon2id sign-in (deliberately slow)", |b| {
        b.iter_batched(
            Utc::now,
            |now| store.sign_in(ACCOUNTS[0].0, ACCOUNTS[0].1, now).expect("sign-in").expect("accepted"),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

/// A writer that counts what the terminal would receive.
#[derive(Clone, Default)]
struct Counter(Arc<Mutex<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        *self.0.lock().expect("count") += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Counter {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().expect("count"))
    }
}

/// Bytes a real (crossterm) terminal is sent: the first frame, a `j` on the census, and a tick
/// on which nothing changed. Printed, not timed.
fn terminal_bytes(_c: &mut Criterion) {
    let w = ward();
    let mut a = app(&w.path);
    let now = Utc.timestamp_opt(a.model.now.timestamp() / 60 * 60, 0).single().unwrap_or(a.model.now);
    a.update(Msg::Tick(now));
    for (cols, rows) in [(80u16, 24u16), (200, 60)] {
        let out = Counter::default();
        let backend = CrosstermBackend::new(out.clone());
        let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, cols, rows)) };
        let mut t = Terminal::with_options(backend, options).expect("terminal");
        t.draw(|f| view(f, &a.model, ACCOUNTS)).expect("draw");
        let first = out.take();
        a.update(key(KeyCode::Char('j')));
        t.draw(|f| view(f, &a.model, ACCOUNTS)).expect("draw");
        let j = out.take();
        a.update(Msg::Tick(now));
        t.draw(|f| view(f, &a.model, ACCOUNTS)).expect("draw");
        let tick = out.take();
        a.update(key(KeyCode::Char('k')));
        t.draw(|f| view(f, &a.model, ACCOUNTS)).expect("draw");
        let k = out.take();
        println!(
            "terminal bytes {cols}x{rows}: first frame {first}, census 'j' {j}, 'k' {k}, tick with nothing changed {tick}"
        );
    }
}

criterion_group!(benches, terminal_bytes, queries, frames, keys, writes);
criterion_main!(benches);
