//! The round sheet: every occupied bed, its level, and a grid of the shift's check slots, filled
//! with the checks recorded so far and left as blank boxes for the times to come, so the round can
//! go on by hand during downtime. The codes are the keys of the rounds screen (`r1` = room,
//! asleep - breathing seen), so paper and screen read the same.
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use super::{close, wrap};
use crate::domain::rounds::{Check, ObsDue, OpenAlert, StayObs, legend};
use crate::domain::shift::{ShiftWindow, describe};
use crate::domain::text::{fit_pad, inert};
use crate::domain::time::{local, local_short, span};
use crate::domain::ward::Ward;

pub const WIDTH: usize = 80;

/// Width of the hour label at the start of each grid row.
const HOUR_W: usize = 7;
/// Slots per grid row, and each slot's width.
const SLOTS: usize = 4;
const SLOT_W: usize = (WIDTH - HOUR_W) / SLOTS;

/// A box to fill by hand: time, code, initials.
const BLANK: &str = "__:__ ___ ___";

/// "Lee Park, LPN" -> "LP".
fn initials(by: &str) -> String {
    let name = by.split(',').next().unwrap_or(by);
    name.split_whitespace().filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).take(3).collect()
}

/// A slot wholly before the patient's admission: no check was owed, so it is not "none".
pub const NOT_ADMITTED: &str = "not admitted";

/// What one slot `[from, to)` shows: the first exception recorded in it (its code marked `!`,
/// as the legend says) or else the first check, `+N` for the others; with none, `not admitted`
/// if the patient came after it, `admitted HH:MM` in the slot of the admission, a dash line if
/// its time passed with none, a blank box if it is still to come.
fn slot_text(
    checks: &[&Check],
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    admitted: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    tz: Tz,
) -> String {
    let inside: Vec<&&Check> = checks.iter().filter(|c| from <= c.at && c.at < to).collect();
    match inside.iter().find(|c| c.answer.alert().is_some()).or(inside.first()) {
        Some(c) => {
            let more = if inside.len() > 1 { format!(" +{}", inside.len() - 1) } else { String::new() };
            let mark = if c.answer.alert().is_some() { "!" } else { "" };
            format!(
                "{} {}{mark} {}{more}",
                crate::domain::time::clock(c.at, tz),
                c.answer.code(),
                inert(&initials(&c.by))
            )
        }
        None if admitted.is_some_and(|a| to <= a) => NOT_ADMITTED.to_string(),
        None if let Some(a) = admitted.filter(|a| from <= *a) => {
            format!("admitted {}", crate::domain::time::clock(a, tz))
        }
        None if to <= now => "-- none --".to_string(),
        None => BLANK.to_string(),
    }
}

/// The grid of one patient over the shift: a row per real hour (so the night the clocks fall back
/// has its repeated hour twice, marked with the zone), slots at the level's interval.
fn grid(o: &StayObs, shift: &ShiftWindow, now: DateTime<Utc>, tz: Tz) -> Vec<String> {
    let step = o.levels.last().and_then(|l| l.interval).unwrap_or(Duration::hours(1)).min(Duration::hours(1));
    let per_row = (Duration::hours(1).num_seconds() / step.num_seconds().max(1)).clamp(1, SLOTS as i64) as usize;
    let checks: Vec<&Check> = o.checks.iter().filter(|c| shift.contains(c.at)).collect();
    // The first level is the admission (domain::rounds::LevelChange).
    let admitted = o.levels.first().map(|l| l.at);
    let mut out = Vec::new();
    let mut head = " ".repeat(HOUR_W);
    for i in 0..per_row {
        let t = shift.start + step * i as i32;
        head.push_str(&fit_pad(&t.with_timezone(&tz).format(":%M").to_string(), SLOT_W));
    }
    out.push(head.trim_end().to_string());
    let hours = (shift.length().num_minutes() + 59) / 60;
    let labels: Vec<String> =
        (0..hours).map(|h| (shift.start + Duration::hours(h)).with_timezone(&tz).format("%H").to_string()).collect();
    for h in 0..hours {
        let row_start = shift.start + Duration::hours(h);
        let lt = row_start.with_timezone(&tz);
        let repeated = labels.iter().filter(|l| **l == labels[h as usize]).count() > 1;
        let label = if repeated { lt.format(" %H %Z").to_string() } else { lt.format(" %H").to_string() };
        let mut line = fit_pad(&label, HOUR_W);
        for i in 0..per_row {
            let from = row_start + step * i as i32;
            if from >= shift.end {
                break;
            }
            let to = (from + step).min(shift.end);
            line.push_str(&fit_pad(&slot_text(&checks, (from, to), admitted, now, tz), SLOT_W));
        }
        out.push(line.trim_end().to_string());
    }
    out
}

/// The whole sheet for `shift`, as printed at `now` by `printed_by`.
pub fn render(
    ward: &Ward,
    shift: &ShiftWindow,
    stays: &[StayObs],
    alerts: &[OpenAlert],
    now: DateTime<Utc>,
    printed_by: &str,
) -> String {
    let tz = ward.tz;
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&format!("OBSERVATION ROUND SHEET - {}", inert(&ward.name)));
    line(&format!("Shift: {} ({})", describe(shift, tz), tz.name()));
    line(&format!("Printed {} ({}) by {}", local(now, tz), tz.name(), inert(printed_by)));
    if ward.is_demo {
        line("DEMO WARD: every patient is fictitious.");
    }
    line(&format!("{} occupied beds. In each box write the time, the code and your initials.", stays.len()));
    for l in legend() {
        line(&l);
    }
    line("Or:    o off unit with staff  u off unit NO staff!  x NOT FOUND!");
    line("! = an exception: tell the charge nurse now.  -- none -- = no check in the slot.");
    line(&format!("{NOT_ADMITTED} = before the patient's admission: no check was owed."));
    if !alerts.is_empty() {
        line("OPEN ALERTS (not yet acknowledged):");
        for a in alerts {
            let text = format!(
                "! bed {} {}: {} at {} ({})",
                inert(&a.bed),
                inert(&a.name),
                a.why.to_uppercase(),
                local_short(a.at, now, tz),
                inert(&a.by)
            );
            for l in wrap(&text, WIDTH - 2) {
                line(&format!("  {l}"));
            }
        }
    }
    line(&"=".repeat(WIDTH));
    for (i, o) in stays.iter().enumerate() {
        if i > 0 {
            line(&"-".repeat(WIDTH));
        }
        let level = o.levels.last();
        let every = match level.and_then(|l| l.interval) {
            Some(d) => format!("every {} min", d.num_minutes()),
            None => "continuous: observer's hourly entry".to_string(),
        };
        let due = if now < shift.start || now >= shift.end {
            String::new()
        } else {
            match o.due(now) {
                ObsDue::Continuous => String::new(),
                ObsDue::Overdue(d) => format!(" · ! OVERDUE {}", span(d)),
                ObsDue::DueIn(_) => {
                    o.due_at(now).map_or(String::new(), |t| format!(" · next {}", local_short(t, now, tz)))
                }
            }
        };
        // The latest check an exception: marked until the patient is seen (domain::rounds).
        let mark = o.exception().map_or(String::new(), |x| {
            format!(" · ! {} {} ({})", x.answer.describe(), local_short(x.at, now, tz), inert(&x.by))
        });
        // Admitted during this shift: say when, so the slots before it read as they are.
        let admitted = o
            .levels
            .first()
            .filter(|l| shift.contains(l.at))
            .map_or(String::new(), |l| format!(" · admitted {}", local_short(l.at, now, tz)));
        let head = format!(
            "Bed {} · {} ({}) · {} {every}{admitted}{due}{mark}",
            inert(&o.bed),
            inert(&o.name),
            inert(&o.mrn),
            inert(&o.level),
        );
        for l in wrap(&head, WIDTH) {
            line(&l);
        }
        if now > shift.start {
            let to = now.min(shift.end);
            let t = o.tally(shift.start, to);
            let exceptions = match o.exceptions(shift.start, to) {
                0 => String::new(),
                1 => ", 1 exception!".to_string(),
                n => format!(", {n} exceptions!"),
            };
            line(&format!(
                "       this shift so far: {} checks, {} late, {} missed{exceptions}",
                t.checks, t.late, t.missed
            ));
        }
        for l in grid(o, shift, now, tz) {
            line(&l);
        }
    }
    close(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rounds::{Answer, LevelChange, default_shifts, shift_for};
    use chrono::TimeZone;
    use unicode_width::UnicodeWidthStr;

    fn ward() -> Ward {
        Ward {
            name: "4 West".into(),
            tz: chrono_tz::America::New_York,
            temp_unit: 'C',
            idle_lock_secs: 300,
            is_demo: false,
        }
    }

    fn stay(level: &str, interval: Option<i64>, checks: &[DateTime<Utc>]) -> StayObs {
        let at = Utc.with_ymd_and_hms(2026, 10, 30, 12, 0, 0).unwrap();
        StayObs {
            stay_id: 1,
            patient_id: 1,
            bed: "1".into(),
            name: "Ana Ortiz".into(),
            mrn: "M1".into(),
            level: level.into(),
            levels: vec![LevelChange { at, code: level.into(), interval: interval.map(Duration::minutes), by: None }],
            checks: checks
                .iter()
                .enumerate()
                .map(|(i, t)| Check {
                    id: i as i64,
                    at: *t,
                    by_id: 1,
                    by: "Lee Park, LPN".into(),
                    answer: Answer::ASLEEP_IN_ROOM,
                })
                .collect(),
        }
    }

    #[test]
    fn every_line_fits_and_the_fall_back_night_has_its_repeated_hour_twice() {
        let w = ward();
        let now = Utc.with_ymd_and_hms(2026, 11, 1, 6, 20, 0).unwrap(); // 01:20 EST, the second 01:00
        let shift = shift_for(&default_shifts(), now, w.tz);
        assert_eq!(shift.length(), Duration::hours(13));
        let checks: Vec<DateTime<Utc>> = (0..29).map(|i| shift.start + Duration::minutes(15 * i)).collect();
        let text = render(&w, &shift, &[stay("q15", Some(15), &checks)], &[], now, "Dana Reyes, RN");
        for l in text.lines() {
            assert!(l.width() <= WIDTH, "{l:?}");
        }
        assert!(text.contains(" 01 EDT") && text.contains(" 01 EST"), "{text}");
        assert_eq!(
            text.lines().filter(|l| l.starts_with(" 0") || l.starts_with(" 1") || l.starts_with(" 2")).count(),
            13
        );
        assert!(text.contains("19:00 r1 LP") && text.contains(BLANK) && text.contains("-- none --"), "{text}");
        assert!(text.contains("42 CFR part 2"));
    }

    #[test]
    fn q60_has_one_slot_an_hour_and_initials_come_from_the_name() {
        let w = ward();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let shift = shift_for(&default_shifts(), now, w.tz);
        let text = render(&w, &shift, &[stay("q60", Some(60), &[shift.start])], &[], now, "x");
        let row = text.lines().find(|l| l.starts_with(" 19")).unwrap();
        assert_eq!(row.trim_end(), format!(" 19    19:00 r1 LP"));
        assert_eq!(initials("Sam Okafor, RN"), "SO");
    }
}
