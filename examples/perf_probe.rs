//! Whole-process probes for the performance figures (docs/PERFORMANCE.md); not part of the app.
//!
//! ```sh
//! cargo build --release --example perf_probe
//! # process start to the first census frame (sign-in skipped; argon2 is benchmarked apart):
//! target/release/examples/perf_probe first-frame target/bench-ward.db > /dev/null
//! # the store's own SQL, with the long stay's parameters, for the sqlite3 shell (the floor):
//! target/release/examples/perf_probe sql target/bench-ward.db target/bench-sql 1000
//! ```
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

use wardterm::demo::ACCOUNTS;
use wardterm::domain::mar::OVERDUE_BACK;
use wardterm::domain::time::to_db;
use wardterm::store::users::staff_by_id;
use wardterm::store::{OpenMode, Store, assessments, census, meds, notes};
use wardterm::tui::app::App;
use wardterm::tui::view::view;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["first-frame", db] => first_frame(Path::new(db)),
        ["sql", db, dir, n] => sql(Path::new(db), Path::new(dir), n.parse().unwrap_or(1000)),
        ["plans", db] => plans(Path::new(db)),
        _ => Err("usage: perf_probe first-frame DB | perf_probe sql DB OUTDIR REPEAT | perf_probe plans DB".into()),
    };
    if let Err(e) = result {
        eprintln!("perf_probe: {e}");
        std::process::exit(1);
    }
}

type Res = Result<(), Box<dyn std::error::Error>>;

/// Open the ward, load the census, and send one 80x24 frame to stdout, as the app does after
/// sign-in.
fn first_frame(db: &Path) -> Res {
    let clock = std::time::Instant::now();
    let mut phases = Vec::new();
    let store = Store::open(db, OpenMode::MustExist)?;
    phases.push(("open", clock.elapsed()));
    let me = staff_by_id(store.raw_connection(), 1)?.ok_or("no account 1")?;
    let app = App::new(store, Utc::now())?;
    phases.push(("App::new", clock.elapsed()));
    let app = app.signed_in_as(me)?;
    phases.push(("signed_in_as (census)", clock.elapsed()));
    let out = io::BufWriter::new(io::stdout().lock());
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) };
    let mut t = Terminal::with_options(CrosstermBackend::new(out), options)?;
    t.draw(|f| view(f, &app.model, ACCOUNTS))?;
    t.backend_mut().flush()?;
    phases.push(("first frame", clock.elapsed()));
    if std::env::var_os("PERF_PROBE_PHASES").is_some() {
        // What signing in loads besides the census (each timed alone, warm).
        let s = &app.store;
        let tz = app.model.ward.as_ref().map_or(chrono_tz::UTC, |w| w.tz);
        let now = Utc::now();
        let time = |what: &str, f: &dyn Fn()| {
            let c = std::time::Instant::now();
            f();
            eprintln!("  {what:<22} {:>8.2} ms", c.elapsed().as_secs_f64() * 1e3);
        };
        time("census", &|| drop(s.census()));
        time("shift_defs", &|| drop(s.shift_defs()));
        time("handoff_status", &|| drop(s.handoff_status(now)));
        time("observation_board", &|| drop(s.observation_board(now, tz)));
        time("aftercare_progress", &|| drop(s.aftercare_progress()));
        for (what, at) in phases {
            eprintln!("{what:<24} {:>8.2} ms", at.as_secs_f64() * 1e3);
        }
    }
    Ok(())
}

/// Write each screen query as a sqlite3-shell script: `NAME.sql` runs it once and prints the
/// rows; `NAME.repeat.sql` runs it `n` times with output discarded (divide the time by `n`).
fn sql(db: &Path, dir: &Path, n: usize) -> Res {
    let store = Store::open(db, OpenMode::MustExist)?;
    let long: i64 = store.raw_connection().query_row(
        "SELECT s.id FROM stay s WHERE s.discharged_at IS NULL
         ORDER BY (SELECT count(*) FROM assessment a WHERE a.stay_id = s.id) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?;
    std::fs::create_dir_all(dir)?;
    let scripts: &[(&str, &str, String)] = &[
        ("census", census::CENSUS_SQL, String::new()),
        (
            "assessments_page",
            assessments::ASSESSMENTS_PAGE_SQL,
            format!(".param set ?1 {long}\n.param set ?2 '9999'\n.param set ?3 9223372036854775807\n.param set ?4 8\n"),
        ),
        ("trend", assessments::TREND_SQL, format!(".param set ?1 {long}\n.param set ?2 500\n")),
        ("prns", assessments::PRNS_SQL, format!(".param set ?1 {long}\n.param set ?2 500\n")),
        (
            "timeline",
            notes::TIMELINE_SQL,
            format!(
                ".param set ?1 {long}\n.param set ?2 '9999-12-31T23:59:59Z'\n.param set ?3 ''\n\
                 .param set ?4 9223372036854775807\n.param set ?5 20\n.param set ?6 1\n.param set ?7 1\n\
                 .param set ?8 1\n"
            ),
        ),
        (
            "search_stay_common",
            notes::SEARCH_STAY_SQL,
            format!(".param set ?1 tremor\n.param set ?2 {long}\n.param set ?3 20\n"),
        ),
        (
            "search_stay_rare",
            notes::SEARCH_STAY_SQL,
            format!(".param set ?1 spouse\n.param set ?2 {long}\n.param set ?3 20\n"),
        ),
        ("search_ward_common", notes::SEARCH_OPEN_STAYS_SQL, ".param set ?1 tremor\n.param set ?2 50\n".into()),
        ("search_ward_rare", notes::SEARCH_OPEN_STAYS_SQL, ".param set ?1 spouse\n.param set ?2 50\n".into()),
        ("search_all_common", notes::SEARCH_ALL_SQL, ".param set ?1 tremor\n.param set ?2 50\n".into()),
    ];
    for (name, sql, params) in scripts {
        let one = format!("{params}{};\n", sql.trim());
        std::fs::write(path(dir, name, "sql"), &one)?;
        let mut many = format!("{params}.output /dev/null\n");
        for _ in 0..n {
            many.push_str(sql.trim());
            many.push_str(";\n");
        }
        std::fs::write(path(dir, name, "repeat.sql"), many)?;
        // The same prologue with no query: the shell's own start-up, to subtract.
        std::fs::write(path(dir, name, "empty.sql"), format!("{params}.output /dev/null\n"))?;
    }
    // The medication record: several statements each, their parameters set between them as the
    // store binds them (the MAR screen of the long stay; the ward's due list for the next hour).
    let conn = store.raw_connection();
    let now = Utc::now();
    let (from, to) = (to_db(now - OVERDUE_BACK), to_db(now + chrono::Duration::hours(1)));
    let mut mar = format!(".param set ?1 {long}\n{};\n", meds::ORDERS_OF_STAY_SQL.trim());
    let mut st = conn.prepare("SELECT id, kind, prn_scale FROM med_order WHERE stay_id = ?1 ORDER BY id")?;
    let orders: Vec<(i64, String, Option<String>)> =
        st.query_map([long], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    for (id, kind, _) in &orders {
        if kind == "taper" {
            mar.push_str(&format!(".param set ?1 {id}\n{};\n", meds::ORDER_STEPS_SQL.trim()));
        }
    }
    mar.push_str(&format!(".param set ?1 {long}\n{};\n", meds::ADMINS_OF_STAY_SQL.trim()));
    for (_, _, scale) in &orders {
        if let Some(scale) = scale {
            let at = to_db(now);
            mar.push_str(&format!(
                ".param set ?1 {long}\n.param set ?2 '{scale}'\n.param set ?3 '{at}'\n{}",
                meds::LAST_SCORE_SQL.trim()
            ));
            mar.push_str(";\n");
        }
    }
    let mut due = format!(".param set ?1 '{from}'\n{};\n", meds::WARD_ORDERS_SQL.trim());
    let mut st = conn.prepare(meds::WARD_ORDERS_SQL)?;
    let ward: Vec<(i64, i64, String)> =
        st.query_map([&from], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    for (id, stay, kind) in &ward {
        if kind == "taper" {
            due.push_str(&format!(".param set ?1 {id}\n{};\n", meds::ORDER_STEPS_SQL.trim()));
        }
        due.push_str(&format!(
            ".param set ?1 {id}\n.param set ?2 '{from}'\n.param set ?3 '{to}'\n{};\n",
            meds::ADMINS_DUE_SQL.trim()
        ));
        due.push_str(&format!(".param set ?1 {stay}\n{};\n", meds::STAY_PATIENT_SQL.trim()));
    }
    for (name, body) in [("mar_stay", mar), ("ward_due", due)] {
        std::fs::write(path(dir, name, "sql"), &body)?;
        let mut many = String::from(".output /dev/null\n");
        for _ in 0..n {
            many.push_str(&body);
        }
        std::fs::write(path(dir, name, "repeat.sql"), many)?;
        std::fs::write(path(dir, name, "empty.sql"), ".output /dev/null\n")?;
    }
    println!("long stay {long}; scripts in {}", dir.display());
    Ok(())
}

/// The bundled SQLite's plan of each screen query on this database.
fn plans(db: &Path) -> Res {
    let store = Store::open(db, OpenMode::MustExist)?;
    let queries = [
        ("census", census::CENSUS_SQL),
        ("assessments_page", assessments::ASSESSMENTS_PAGE_SQL),
        ("trend", assessments::TREND_SQL),
        ("prns", assessments::PRNS_SQL),
        ("timeline", notes::TIMELINE_SQL),
        ("search_stay", notes::SEARCH_STAY_SQL),
        ("search_ward", notes::SEARCH_OPEN_STAYS_SQL),
        ("search_all", notes::SEARCH_ALL_SQL),
        ("scale series", assessments::SERIES_SQL),
        ("prn_prompted_by", assessments::PRN_PROMPTED_BY_SQL),
        ("obs_stays", wardterm::store::rounds::OBS_STAYS_SQL),
        ("obs_levels", wardterm::store::rounds::LEVELS_SQL),
        ("obs_check_before", wardterm::store::rounds::CHECK_BEFORE_SQL),
        ("obs_checks_between", wardterm::store::rounds::CHECKS_BETWEEN_SQL),
        ("obs_open_alerts", wardterm::store::rounds::OPEN_ALERTS_SQL),
        ("obs_open_levels", wardterm::store::rounds::OPEN_LEVELS_SQL),
        ("obs_open_check_before", wardterm::store::rounds::OPEN_CHECK_BEFORE_SQL),
        ("obs_open_checks_between", wardterm::store::rounds::OPEN_CHECKS_BETWEEN_SQL),
        ("mar orders_of_stay", meds::ORDERS_OF_STAY_SQL),
        ("mar admins_of_stay", meds::ADMINS_OF_STAY_SQL),
        ("mar ward_orders", meds::WARD_ORDERS_SQL),
        ("mar admins_due", meds::ADMINS_DUE_SQL),
        ("mar last_score", meds::LAST_SCORE_SQL),
    ];
    for (name, sql) in queries {
        println!("== {name}");
        let mut st = store.raw_connection().prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let mut rows = st.raw_query();
        while let Some(r) = rows.next()? {
            println!("  {}", r.get::<_, String>(3)?);
        }
    }
    Ok(())
}

fn path(dir: &Path, name: &str, ext: &str) -> PathBuf {
    dir.join(format!("{name}.{ext}"))
}
