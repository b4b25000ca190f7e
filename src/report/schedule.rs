//! Today's therapy schedule with attendance, 80 columns, for paper at downtime.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{PART2_NOTICE, glued, wrap};
use crate::domain::plan::AttendanceMark;
use crate::domain::plan::{Session, missing};
use crate::domain::text::inert;
use crate::domain::time::{local, local_short};
use crate::domain::ward::Ward;

pub const WIDTH: usize = 80;

/// The schedule section alone (no header or notice): also appended to the census printout.
/// `patients` are the ward's open stays as (stay id, "bed name").
pub fn section(
    sessions: &[Session],
    patients: &[(i64, String)],
    marks: &HashMap<(i64, i64), AttendanceMark>,
    now: DateTime<Utc>,
    ward: &Ward,
) -> String {
    let tz = ward.tz;
    let mut out = String::new();
    out.push_str("TODAY'S SCHEDULE  A=attended P=partial R=refused E=excused (medical) Z=asleep\n");
    if sessions.is_empty() {
        out.push_str("No sessions scheduled today.\n");
        return out;
    }
    for s in sessions {
        out.push_str(&"-".repeat(WIDTH));
        out.push('\n');
        let who = match &s.invited {
            None => "all patients".to_string(),
            Some(v) => format!("{} listed", v.len()),
        };
        let head = format!(
            "{}-{} {} \"{}\" with {} ({who})",
            local_short(s.starts_at, now, tz),
            s.ends_at().with_timezone(&tz).format("%H:%M"),
            s.modality.label(),
            s.title,
            s.facilitator
        );
        for l in wrap(&inert(&head), WIDTH) {
            out.push_str(&l);
            out.push('\n');
        }
        let mut parts = Vec::new();
        for (stay, label) in patients.iter().filter(|(stay, _)| s.invites(*stay)) {
            let mark = match marks.get(&(s.id, *stay)) {
                Some(m) => {
                    let letter = match m.status {
                        crate::domain::plan::Attendance::Attended => "A",
                        crate::domain::plan::Attendance::Partial => "P",
                        crate::domain::plan::Attendance::Refused => "R",
                        crate::domain::plan::Attendance::ExcusedMedical => "E",
                        crate::domain::plan::Attendance::Asleep => "Z",
                    };
                    // The box, the bed and the name are one unit that never wraps apart
                    // (issue 20, point 11); a comment wraps as words after it.
                    let boxed = glued(&inert(&format!("[{letter}] {label}")));
                    match &m.comment {
                        Some(c) => format!("{boxed} ({})", inert(c)),
                        None => boxed,
                    }
                }
                None => glued(&inert(&format!("[ ] {label}"))),
            };
            parts.push(mark);
        }
        for l in wrap(&parts.join("; "), WIDTH - 2) {
            out.push_str("  ");
            out.push_str(&l);
            out.push('\n');
        }
        // Who is still to be found or marked, by the one rule (`domain::plan::missing`): a
        // patient already marked, refused and excused too, is accounted for.
        if s.started(now) {
            let miss = missing(s, patients, marks);
            let who = if miss.is_empty() {
                "missing: none, everyone is marked".to_string()
            } else {
                format!("missing: {}", miss.iter().map(|l| glued(&inert(l))).collect::<Vec<_>>().join(", "))
            };
            for l in wrap(&who, WIDTH - 2) {
                out.push_str("  ");
                out.push_str(&l);
                out.push('\n');
            }
        }
    }
    out
}

/// The whole printout: `wardterm schedule`.
pub fn render(
    ward: &Ward,
    sessions: &[Session],
    patients: &[(i64, String)],
    marks: &HashMap<(i64, i64), AttendanceMark>,
    now: DateTime<Utc>,
    printed_by: &str,
) -> String {
    let tz = ward.tz;
    let mut out = format!(
        "THERAPY SCHEDULE - {}\nPrinted {} ({}) by {}\n",
        inert(&ward.name),
        local(now, tz),
        tz.name(),
        inert(printed_by)
    );
    if ward.is_demo {
        out.push_str("DEMO WARD: every patient is fictitious.\n");
    }
    out.push_str(&"=".repeat(WIDTH));
    out.push('\n');
    out.push_str(&section(sessions, patients, marks, now, ward));
    out.push_str(&"=".repeat(WIDTH));
    out.push('\n');
    for l in wrap(PART2_NOTICE, WIDTH) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}
