//! `wardterm handoff`: the ward's I-PASS sheet for the current shift, as plain text for paper.
use chrono::Utc;

use super::{Failure, fail, identify, open};
use crate::cli::{DbArgs, Identity};
use crate::domain::handoff;
use crate::domain::shift::{next_shift, shift_at};
use crate::report;
use crate::store::OpenMode;
use crate::store::audit::Printed;

pub fn print(args: &DbArgs, id: &Identity) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let Some(ward) = store.ward()? else { return fail("this database has no ward yet") };
    let me = identify(&mut store, id)?;
    let now = Utc::now();
    let defs = store.shift_defs()?;
    let Some(shift) = shift_at(&defs, now, ward.tz) else { return fail("the ward has no shifts defined") };
    let Some(next) = next_shift(&defs, &shift, ward.tz) else { return fail("the ward has no shifts defined") };
    let records = store.ward_handoff_records(&shift, next.start, now, ward.tz)?;
    let patients: Vec<_> = records.iter().map(|r| handoff::build(r, &shift, now, ward.tz)).collect();
    store.record_printed(&me, Printed::Handoff, &format!("{} patients", patients.len()), now)?;
    print!("{}", report::handoff::render(&ward, &shift, &next, &patients, now, &me.signature()));
    Ok(())
}
