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
use wardterm::store::users::staff_by_id;
use wardterm::store::{OpenMode, Store, assessments, census};
use wardterm::tui::app::App;
use wardterm::tui::view::view;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["first-frame", db] => first_frame(Path::new(db)),
        ["sql", db, dir, n] => sql(Path::new(db), Path::new(dir), n.parse().unwrap_or(1000)),
        _ => Err("usage: perf_probe first-frame DB | perf_probe sql DB OUTDIR REPEAT".into()),
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
    let store = Store::open(db, OpenMode::MustExist)?;
    let me = staff_by_id(store.conn(), 1)?.ok_or("no account 1")?;
    let app = App::new(store, Utc::now())?.signed_in_as(me)?;
    let out = io::BufWriter::new(io::stdout().lock());
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) };
    let mut t = Terminal::with_options(CrosstermBackend::new(out), options)?;
    t.draw(|f| view(f, &app.model, ACCOUNTS))?;
    t.backend_mut().flush()?;
    Ok(())
}

/// Write each screen query as a sqlite3-shell script: `NAME.sql` runs it once and prints the
/// rows; `NAME.repeat.sql` runs it `n` times with output discarded (divide the time by `n`).
fn sql(db: &Path, dir: &Path, n: usize) -> Res {
    let store = Store::open(db, OpenMode::MustExist)?;
    let long: i64 = store.conn().query_row(
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
    println!("long stay {long}; scripts in {}", dir.display());
    Ok(())
}

fn path(dir: &Path, name: &str, ext: &str) -> PathBuf {
    dir.join(format!("{name}.{ext}"))
}
