//! The census board as an 80-column printout.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{wrap, wrap_after};
use crate::domain::census::{CensusRow, Due, protocol_abbrev};
use crate::domain::rounds::{Check, ObsBoard, ObsDue, StayObs};
use crate::domain::stay::PAWSS_HIGH_RISK;
use crate::domain::text::{fit, fit_pad, inert};
use crate::domain::time::{age_years, day_of_stay, local, local_short, span};
use crate::domain::ward::Ward;

pub const WIDTH: usize = 80;

/// The row's columns and their widths (80 in all). Each cell keeps at least one space after
/// it, so two numbers never run together ("CIWA P5" then "18*" once printed "P518*").
const HEADS: [&str; 9] = ["Bed", "Patient", "MRN", "Age", "Day", "Level", "Prot", "Last score", "Next due"];
const COLS: [usize; 9] = [5, 19, 9, 4, 4, 7, 9, 14, 9];

/// A cell: cut with "…" to leave one column free, then padded to `w`.
fn col(s: &str, w: usize) -> String {
    fit_pad(&fit(s, w - 1), w)
}

/// The whole printout. Each patient takes a few lines (the row, the details, the observation
/// status, each scale's schedule); an empty bed one. `obs` is the observation board
/// (`Store::observation_board`): the level, last check, next due and the open alerts.
/// `assessments` holds each stay's admission assessment (by stay id; `Store::admission_assessment`),
/// for BAL/UDS on arrival and the assessment's state: a stay missing from it has none started.
pub fn render(
    ward: &Ward,
    rows: &[CensusRow],
    obs: &ObsBoard,
    assessments: &Assessments,
    now: DateTime<Utc>,
    printed_by: &str,
) -> String {
    render_with(ward, rows, obs, assessments, now, printed_by, None)
}

/// Each stay's admission assessment, by stay id.
pub type Assessments = std::collections::HashMap<i64, crate::domain::admission::AdmissionRecord>;

/// The printout with today's therapy schedule (`report::schedule::section`) after
/// the beds, before the notice.
pub fn render_with(
    ward: &Ward,
    rows: &[CensusRow],
    obs: &ObsBoard,
    assessments: &Assessments,
    now: DateTime<Utc>,
    printed_by: &str,
    schedule: Option<&str>,
) -> String {
    let tz = ward.tz;
    let mut out = String::new();
    let title = format!("CENSUS - {}", inert(&ward.name));
    out.push_str(&format!("{title}\n"));
    out.push_str(&format!("Printed {} ({}) by {}\n", local(now, tz), tz.name(), inert(printed_by)));
    if ward.is_demo {
        out.push_str("DEMO WARD: every patient is fictitious.\n");
    }
    let occupied = rows.iter().filter(|r| r.occupant.is_some()).count();
    out.push_str(&format!(
        "{occupied} of {} beds occupied.  ! 22m = overdue by 22m  * = severe band  P = PAWSS >= 4\n",
        rows.len()
    ));
    // Open alerts first, as the census banner shows them: what, when, who recorded it.
    if !obs.alerts.is_empty() {
        out.push_str(&format!("OPEN ALERTS (not yet acknowledged): {}\n", obs.alerts.len()));
        for a in &obs.alerts {
            let text = format!(
                "! bed {} {}: {} at {} by {}",
                inert(&a.bed),
                inert(&a.name),
                a.why.to_uppercase(),
                local_short(a.at, now, tz),
                inert(&a.by)
            );
            for l in wrap_after("  ", &text, WIDTH, "    ") {
                out.push_str(&format!("{l}\n"));
            }
        }
    }
    out.push_str(&"=".repeat(WIDTH));
    out.push('\n');
    let header: String = HEADS.iter().zip(COLS).map(|(h, w)| col(h, w)).collect();
    out.push_str(header.trim_end());
    out.push('\n');
    out.push_str(&"-".repeat(WIDTH));
    out.push('\n');
    for r in rows {
        let Some(o) = &r.occupant else {
            out.push_str(&format!("{}(empty)\n", fit_pad(&r.bed, 5)));
            continue;
        };
        let last = match o.first_series().map(|s| &s.last) {
            None if o.protocol == crate::domain::stay::Protocol::NoProtocol => "-".to_string(),
            None => "none yet".to_string(),
            Some(l) => match l.total {
                // The band in words is on the scale's own line below (bands are words, never
                // abbreviations that read as times: "7 min.").
                Some(t) => format!("{t}{} {}", if l.severe { "*" } else { "" }, local_short(l.taken_at, now, tz)),
                None => format!("UTA {}", local_short(l.taken_at, now, tz)),
            },
        };
        let due = match o.due(now) {
            Due::NotScheduled => "-".to_string(),
            // "! 22m": overdue by 22 minutes (the legend says so; the scale's line below says
            // since when in words). Never cut: the longest is "! 2d04h".
            Due::Overdue(d) => format!("! {}", span(d)),
            Due::DueIn(_) => local_short(o.due_at().unwrap_or(now), now, tz),
        };
        let prot = match o.pawss {
            Some(p) if p >= PAWSS_HIGH_RISK => format!("{} P{p}", protocol_abbrev(o.protocol.code())),
            _ => protocol_abbrev(o.protocol.code()).to_string(),
        };
        let cells = [
            r.bed.clone(),
            o.name.clone(),
            o.mrn.clone(),
            format!("{}{}", age_years(o.birth_date, now, tz), o.sex.code()),
            day_of_stay(o.admitted_at, now, tz).to_string(),
            o.level_of_care.clone(),
            prot,
            last,
            due,
        ];
        let line: String = cells.iter().zip(COLS).map(|(c, w)| col(c, w)).collect();
        out.push_str(line.trim_end());
        out.push('\n');
        let precautions = if o.precautions.is_empty() { "none" } else { &o.precautions };
        let detail = format!(
            "Allergies: {} | Precautions: {} | {} | {} | {}",
            o.allergies, precautions, o.substances, o.code_status, o.attending
        );
        for l in wrap(&inert(&detail), WIDTH - 5) {
            out.push_str(&format!("     {l}\n"));
        }
        // Issue 16: the risk screens with when and by whom, BAL/UDS on arrival, the admission
        // assessment's state; wrapped, never cut.
        for line in o.risk_lines(assessments.get(&o.stay_id), now, tz) {
            for l in wrap(&inert(&line), WIDTH - 5) {
                out.push_str(&format!("     {l}\n"));
            }
        }
        // The observation status, as the census board's detail line tells it.
        for l in wrap(&obs_status(&o.observation, obs.stay(o.stay_id), obs, now, tz), WIDTH - 5) {
            out.push_str(&format!("     {l}\n"));
        }
        // Every scale the patient is scored on, each its own schedule (REFERENCE.md §1), with
        // who took the score.
        for line in o.schedule_lines(now, tz) {
            for l in wrap(&inert(&line), WIDTH - 5) {
                out.push_str(&format!("     {l}\n"));
            }
        }
    }
    if let Some(s) = schedule {
        out.push_str(&"=".repeat(WIDTH));
        out.push('\n');
        out.push_str(s);
    }
    super::close(&mut out);
    out
}

/// "Obs q15 next 16:05 · checked 15:50 by Lee Park, LPN: in room, calm · q15 since admission";
/// with an exception "Obs q15 ! OVERDUE by 22m · ! NOT FOUND at 15:40 by ... · last seen ...":
/// the level, when the next check is due (or how long overdue), the latest check and who made
/// it, what is missed this shift, and who set the level when. The same facts, in the same
/// order, as the census board's detail line (`tui::screens::rounds::detail_line`).
fn obs_status(level: &str, o: Option<&StayObs>, obs: &ObsBoard, now: DateTime<Utc>, tz: Tz) -> String {
    let level = inert(level);
    let Some(o) = o else {
        // No checks loaded for this stay: say so rather than print a level as if all were well.
        return format!("Obs {level} (no observation record for this stay)");
    };
    let due = match o.due(now) {
        ObsDue::Continuous => "continuous".to_string(),
        ObsDue::Overdue(d) => format!("! OVERDUE by {}", span(d)),
        ObsDue::DueIn(_) => format!("next {}", o.due_at(now).map_or(String::new(), |t| local_short(t, now, tz))),
    };
    let checked = |c: &Check, what: &str| {
        format!("{what} {} by {}: {}", local_short(c.at, now, tz), inert(&c.by), c.answer.describe())
    };
    // An exception stays marked until a check that is not one (domain::rounds); one in which
    // nobody saw the patient also says when they were last seen (the interval runs from then).
    let mut s = format!("Obs {level} {due}");
    match (o.exception(), o.last_check()) {
        (Some(x), _) => {
            s.push_str(&format!(
                " · ! {} at {} by {}",
                x.answer.describe().to_uppercase(),
                local_short(x.at, now, tz),
                inert(&x.by)
            ));
            match o.last_seen() {
                _ if x.answer.seen() => {}
                Some(c) => s.push_str(&format!(" · {}", checked(c, "last seen"))),
                None => s.push_str(" · not seen on a check since admission"),
            }
        }
        (None, Some(c)) => s.push_str(&format!(" · {}", checked(c, "checked"))),
        (None, None) => s.push_str(" · no check yet"),
    }
    let shift = obs.shift(now, tz);
    let t = o.tally(shift.start, now);
    if t.late + t.missed > 0 {
        s.push_str(&format!(" · this shift {} late, {} missed", t.late, t.missed));
    }
    if let Some(l) = o.level_set() {
        match &l.by {
            Some(by) => {
                s.push_str(&format!(" · {} set {} by {}", inert(&l.code), local_short(l.at, now, tz), inert(by)))
            }
            None => s.push_str(&format!(" · {} since admission", inert(&l.code))),
        }
    }
    s
}
