//! `wardterm mar`: the downtime medication administration record, as plain text for paper:
//! every patient's orders and their doses from the start of the current shift to `--hours`
//! ahead (issue 17, point 7).
use chrono::{Duration, Utc};

use super::{Failure, fail, identify, open};
use crate::cli::{DbArgs, Identity};
use crate::domain::shift::shift_at;
use crate::report;
use crate::store::OpenMode;
use crate::store::audit::Printed;

/// The longest window the sheet prints ahead (three days of doses per order still fit a page).
pub const MAX_HOURS: u32 = 72;

pub fn print(args: &DbArgs, id: &Identity, hours: u32) -> Result<(), Failure> {
    if !(1..=MAX_HOURS).contains(&hours) {
        return fail(format!("--hours: between 1 and {MAX_HOURS}"));
    }
    let mut store = open(args, OpenMode::MustExist)?;
    let Some(ward) = store.ward()? else { return fail("this database has no ward yet") };
    let me = identify(&mut store, id)?;
    let now = Utc::now();
    let defs = store.shift_defs()?;
    // From the start of the shift, so the doses given and held so far are on the sheet too.
    let from = shift_at(&defs, now, ward.tz).map_or(now, |s| s.start);
    let to = now + Duration::hours(i64::from(hours));
    let rows = store.census()?;
    let mut mars = Vec::new();
    for r in &rows {
        if let Some(o) = &r.occupant {
            mars.push((r.bed.as_str(), o, store.stay_mar(o.stay_id, now)?));
        }
    }
    let patients: Vec<report::mar::Patient<'_>> =
        mars.iter().map(|(bed, o, m)| report::mar::Patient { bed, occupant: o, mar: m }).collect();
    store.record_printed(&me, Printed::Mar, &format!("{} patients, {hours} h", patients.len()), now)?;
    print!("{}", report::mar::render(&ward, (from, to), &patients, now, &me.signature()));
    Ok(())
}
