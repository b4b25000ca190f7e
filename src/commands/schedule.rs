//! `wardterm schedule`: today's therapy schedule with attendance, as plain text for paper; the
//! same section is appended to `wardterm census`.
use chrono::{DateTime, Utc};

use super::{Failure, fail, identify, open};
use crate::cli::{DbArgs, Identity};
use crate::domain::census::CensusRow;
use crate::domain::plan::ward_day;
use crate::domain::ward::Ward;
use crate::report;
use crate::store::audit::Printed;
use crate::store::{OpenMode, Store};

/// Today's schedule section for a printout.
pub fn today(store: &Store, ward: &Ward, rows: &[CensusRow], now: DateTime<Utc>) -> Result<String, Failure> {
    let (from, to) = ward_day(now, ward.tz);
    let sessions = store.sessions_between(from, to)?;
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let marks = store.attendance_for(&ids)?;
    let patients: Vec<(i64, String)> =
        rows.iter().filter_map(|r| r.occupant.as_ref().map(|o| (o.stay_id, format!("{} {}", r.bed, o.name)))).collect();
    Ok(report::schedule::section(&sessions, &patients, &marks, now, ward))
}

pub fn print(args: &DbArgs, id: &Identity) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let Some(ward) = store.ward()? else { return fail("this database has no ward yet") };
    let me = identify(&mut store, id)?;
    let now = Utc::now();
    let rows = store.census()?;
    let (from, to) = ward_day(now, ward.tz);
    let sessions = store.sessions_between(from, to)?;
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let marks = store.attendance_for(&ids)?;
    let patients: Vec<(i64, String)> =
        rows.iter().filter_map(|r| r.occupant.as_ref().map(|o| (o.stay_id, format!("{} {}", r.bed, o.name)))).collect();
    store.record_printed(&me, Printed::Schedule, &format!("{} sessions", sessions.len()), now)?;
    print!("{}", report::schedule::render(&ward, &sessions, &patients, &marks, now, &me.signature()));
    Ok(())
}
