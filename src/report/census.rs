//! The census board as an 80-column printout.
use chrono::{DateTime, Utc};

use super::wrap;
use crate::domain::census::{CensusRow, Due, protocol_abbrev};
use crate::domain::stay::PAWSS_HIGH_RISK;
use crate::domain::text::{fit_pad, inert};
use crate::domain::time::{age_years, day_of_stay, local, local_short, span};
use crate::domain::ward::Ward;

pub const WIDTH: usize = 80;

/// The whole printout. Each patient takes two lines; an empty bed one.
pub fn render(ward: &Ward, rows: &[CensusRow], now: DateTime<Utc>, printed_by: &str) -> String {
    render_with(ward, rows, now, printed_by, None)
}

/// The printout with today's therapy schedule (issue 10, `report::schedule::section`) after
/// the beds, before the notice.
pub fn render_with(
    ward: &Ward,
    rows: &[CensusRow],
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
        "{occupied} of {} beds occupied.  ! = overdue  * = severe band  P = PAWSS >= 4\n",
        rows.len()
    ));
    out.push_str(&"=".repeat(WIDTH));
    out.push('\n');
    out.push_str("Bed  Patient             MRN      Age Day Level  Prot   Last score     Next due\n");
    out.push_str(&"-".repeat(WIDTH));
    out.push('\n');
    for r in rows {
        let Some(o) = &r.occupant else {
            out.push_str(&format!("{}(empty)\n", fit_pad(&r.bed, 5)));
            continue;
        };
        let last = match o.first_series().map(|s| &s.last) {
            None if o.protocol == "none" => "-".to_string(),
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
            Due::Overdue(d) => format!("! OVERDUE {}", span(d)),
            Due::DueIn(_) => local_short(o.due_at().unwrap_or(now), now, tz),
        };
        let prot = match o.pawss {
            Some(p) if p >= PAWSS_HIGH_RISK => format!("{} P{p}", protocol_abbrev(&o.protocol)),
            _ => protocol_abbrev(&o.protocol).to_string(),
        };
        let line = format!(
            "{}{}{}{}{}{}{}{}{}",
            fit_pad(&r.bed, 5),
            fit_pad(&o.name, 20),
            fit_pad(&o.mrn, 9),
            fit_pad(&format!("{}{}", age_years(o.birth_date, now, tz), o.sex), 4),
            fit_pad(&day_of_stay(o.admitted_at, now, tz).to_string(), 4),
            fit_pad(&o.level_of_care, 7),
            fit_pad(&prot, 7),
            fit_pad(&last, 15),
            fit_pad(&due, 9),
        );
        out.push_str(line.trim_end());
        out.push('\n');
        let precautions = if o.precautions.is_empty() { "none" } else { &o.precautions };
        let detail = format!(
            "Obs {} | Allergies: {} | Precautions: {} | {} | {} | {}",
            o.observation, o.allergies, precautions, o.substances, o.code_status, o.attending
        );
        for l in wrap(&inert(&detail), WIDTH - 5) {
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
