//! `wardterm rounds`: the shift's observation round sheet on paper, for downtime.
use std::io::Write;

use chrono::{Duration, Utc};

use super::{Failure, fail, identify, open};
use crate::cli::{DbArgs, Identity};
use crate::report;
use crate::store::OpenMode;
use crate::store::audit::Printed;

/// Print the round sheet of the current shift (or `next` / `previous`): who prints it is
/// identified by their password and audited; the sheet carries the Part 2 notice.
pub fn print(args: &DbArgs, id: &Identity, which: &str) -> Result<(), Failure> {
    let mut store = open(args, OpenMode::MustExist)?;
    let Some(ward) = store.ward()? else {
        return fail("this database has no ward yet; start the app to set it up");
    };
    let me = identify(&mut store, id)?;
    let now = Utc::now();
    let current = store.observation_shift(now, ward.tz);
    let shift = match which {
        "current" => current,
        "next" => store.observation_shift(current.end, ward.tz),
        "previous" => store.observation_shift(current.start - Duration::seconds(1), ward.tz),
        other => {
            return Err(Failure {
                message: format!("--shift: {other:?} is not one of current, next, previous"),
                code: 2,
            });
        }
    };
    let stays = store.observation_stays(shift.start)?;
    let alerts = store.open_obs_alerts()?;
    let text = report::rounds::render(&ward, &shift, &stays, &alerts, now, &me.signature());
    let detail =
        format!("{} shift from {} · {} beds", shift.name, crate::domain::time::to_db(shift.start), stays.len());
    store.record_printed(&me, Printed::Rounds, &detail, now)?;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
