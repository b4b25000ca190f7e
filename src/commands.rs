//! The subcommands: each opens what it needs, does one thing, and returns a message on failure.
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::cli::{Command, DbArgs, Identity};
use crate::domain::scale;
use crate::domain::user::Staff;
use crate::store::audit::Printed;
use crate::store::{OpenMode, Store};
use crate::{demo, report, tui};

mod backup;
mod big_ward;
mod config;
mod handoff;
mod mar;
mod rounds;
mod schedule;
mod security;

/// A failure for the person at the keyboard, and the exit code to leave with.
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure { message: e.to_string(), code: 1 }
    }
}

fn fail<T>(message: impl Into<String>) -> Result<T, Failure> {
    Err(Failure { message: message.into(), code: 1 })
}

/// Where the database lives: --db, else WARDTERM_DB (both via clap), else the data directory.
pub fn db_path(args: &DbArgs) -> Result<PathBuf, Failure> {
    if let Some(p) = &args.db {
        return Ok(p.clone());
    }
    let Some(base) = dirs::data_dir() else {
        return fail("cannot find your data directory; pass --db PATH");
    };
    let dir = base.join("wardterm");
    std::fs::create_dir_all(&dir).map_err(|e| Failure::from(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir.join(if args.demo { "demo.db" } else { "ward.db" }))
}

/// Open the database; with --demo, build the demo ward into it first if it is empty.
fn open(args: &DbArgs, mode: OpenMode) -> Result<Store, Failure> {
    let path = db_path(args)?;
    let mut store = Store::open(&path, if args.demo { OpenMode::CreateIfMissing } else { mode })?;
    if let Some(w) = store.permission_warning() {
        eprintln!("wardterm: {w}");
    }
    if args.demo && store.ward()?.is_none() {
        demo::build(&mut store, Utc::now())?;
    }
    Ok(store)
}

pub fn run(command: Option<Command>, args: &DbArgs) -> Result<(), Failure> {
    match command {
        None => run_app(args),
        Some(Command::Init { force, beds, years }) => init(args, force, beds, years),
        Some(Command::Census(id)) => census(args, &id),
        Some(Command::Score { scale, items, hr, bands, json, list }) => {
            score(scale.as_deref(), &items, hr, bands.as_deref(), json, list)
        }
        Some(Command::Backup { dest, force }) => backup::backup(args, &dest, force),
        Some(Command::Restore { src, id, yes }) => backup::restore(args, &src, &id, yes),
        Some(Command::Handoff(id)) => handoff::print(args, &id),
        Some(Command::Mar { id, hours }) => mar::print(args, &id, hours),
        Some(Command::Rounds { id, shift }) => rounds::print(args, &id, &shift),
        Some(Command::Schedule(id)) => schedule::print(args, &id),
        Some(Command::Config { cmd }) => config::run(args, cmd),
        Some(Command::Verify) => security::verify(args),
        Some(Command::Audit { patient, user, since, as_user, limit }) => {
            security::audit(args, &as_user, patient, user, since, limit)
        }
        Some(Command::User { cmd }) => security::user(args, cmd),
    }
}

fn run_app(args: &DbArgs) -> Result<(), Failure> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return fail("the app needs a terminal; for a printout use `wardterm census`");
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return fail("TERM=dumb cannot draw the app; use a real terminal (TERM=xterm-256color) or `wardterm census`");
    }
    let store = open(args, OpenMode::CreateIfMissing)?;
    tui::run(store, demo::ACCOUNTS)?;
    Ok(())
}

fn remove_db(path: &Path) -> Result<(), Failure> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return fail(format!("cannot remove {}: {e}", PathBuf::from(p).display())),
        }
    }
    Ok(())
}

fn init(args: &DbArgs, force: bool, beds: Option<u32>, years: Option<u32>) -> Result<(), Failure> {
    let big = beds.is_some() || years.is_some();
    if big && !args.demo {
        return fail("--beds and --years generate a demo ward: add --demo");
    }
    let path = db_path(args)?;
    if path.exists() {
        let holds_ward = Store::open(&path, OpenMode::MustExist).map(|s| s.ward().ok().flatten().is_some());
        match holds_ward {
            Ok(true) if !force => {
                return fail(format!(
                    "{} already holds a ward; nothing was changed (use --force to replace it)",
                    path.display()
                ));
            }
            Err(e) if !force => return Err(e.into()),
            _ => remove_db(&path)?,
        }
    }
    let mut store = Store::open(&path, OpenMode::CreateIfMissing)?;
    if big {
        big_ward::generate(&mut store, beds.unwrap_or(40), years.unwrap_or(10))?;
        println!("Open it with: wardterm --db {}", path.display());
    } else if args.demo {
        demo::build(&mut store, Utc::now())?;
        println!("Demo ward created at {}", path.display());
        println!("Open it with: wardterm --db {}", path.display());
    } else {
        println!("Empty ward database created at {}; the app sets it up on first start.", path.display());
    }
    Ok(())
}

/// Identify the person printing patient data: their password from WARDTERM_PASSWORD (scripts)
/// or typed on the terminal.
fn identify(store: &mut Store, id: &Identity) -> Result<Staff, Failure> {
    let password = match std::env::var("WARDTERM_PASSWORD") {
        Ok(p) => p,
        Err(_) if std::io::stdin().is_terminal() => rpassword::prompt_password(format!("Password for {}: ", id.user))?,
        Err(_) => return fail("set WARDTERM_PASSWORD or run on a terminal to type the password"),
    };
    match store.sign_in(&id.user, &password, Utc::now())? {
        Ok(staff) => Ok(staff),
        Err(refused) => fail(refused.to_string()),
    }
}

fn census(args: &DbArgs, id: &Identity) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let Some(ward) = store.ward()? else {
        return fail("this database has no ward yet; start the app to set it up");
    };
    let me = identify(&mut store, id)?;
    let now = Utc::now();
    let rows = store.census()?;
    let today = schedule::today(&store, &ward, &rows, now)?;
    let obs = store.observation_board(now, ward.tz)?;
    let mut assessments = report::census::Assessments::new();
    for o in rows.iter().filter_map(|r| r.occupant.as_ref()) {
        if let Some(a) = store.admission_assessment(o.stay_id)? {
            assessments.insert(o.stay_id, a);
        }
    }
    let text = report::census::render_with(&ward, &rows, &obs, &assessments, now, &me.signature(), Some(&today));
    store.record_printed(&me, Printed::Census, &format!("{} beds", rows.len()), now)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn score(
    scale_key: Option<&str>,
    items: &[String],
    hr: Option<u16>,
    bands: Option<&str>,
    json: bool,
    list: bool,
) -> Result<(), Failure> {
    if list {
        print!("{}", scale::list_text());
        return Ok(());
    }
    let Some(key) = scale_key else {
        return fail("name a scale (wardterm score --list shows them)");
    };
    let report = scale::calculate(key, items, hr, bands).map_err(|e| Failure { message: e.to_string(), code: 2 })?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", report.text());
    }
    Ok(())
}
