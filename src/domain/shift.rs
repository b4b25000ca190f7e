//! Shifts: ward configuration (local start times), turned into real UTC windows in the ward's
//! zone. A night shift crosses midnight and, twice a year, a DST change: its window is then an
//! hour shorter or longer in real time, and nothing here assumes a shift is 12 hours.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A shift as the ward defines it: a name and a local start time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftDef {
    pub name: String,
    pub starts: NaiveTime,
}

/// One occurrence of a shift: a name and a real window [start, end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShiftWindow {
    pub name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl ShiftWindow {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }
    pub fn length(&self) -> Duration {
        self.end - self.start
    }
}

/// Parse "HH:MM".
pub fn parse_start(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| format!("shift start {s:?} is not HH:MM"))
}

/// The instant a local wall-clock time happens on a date. A time skipped by spring-forward moves
/// to the first instant after the gap; a time that happens twice takes the first.
pub fn local_instant(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let naive = date.and_time(time);
    match tz.from_local_datetime(&naive) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        chrono::LocalResult::None => {
            // Walk forward minute by minute (a DST gap is at most a few hours).
            (1..=240)
                .filter_map(|m| tz.from_local_datetime(&(naive + Duration::minutes(m))).earliest())
                .next()
                .map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
        }
    }
}

/// Every shift start from the day before `t` to the day after, in time order.
fn starts_around(defs: &[ShiftDef], t: DateTime<Utc>, tz: Tz) -> Vec<(String, DateTime<Utc>)> {
    let mut defs: Vec<&ShiftDef> = defs.iter().collect();
    defs.sort_by_key(|d| d.starts);
    let day = t.with_timezone(&tz).date_naive();
    let mut out = Vec::new();
    for offset in -1..=1 {
        let date = day + Duration::days(offset);
        for d in &defs {
            out.push((d.name.clone(), local_instant(date, d.starts, tz)));
        }
    }
    out.sort_by_key(|(_, s)| *s);
    out.dedup_by_key(|(_, s)| *s);
    out
}

/// The shift that contains `t`. `None` only if the ward defines no shifts.
pub fn shift_at(defs: &[ShiftDef], t: DateTime<Utc>, tz: Tz) -> Option<ShiftWindow> {
    let starts = starts_around(defs, t, tz);
    starts.windows(2).find(|w| w[0].1 <= t && t < w[1].1).map(|w| ShiftWindow {
        name: w[0].0.clone(),
        start: w[0].1,
        end: w[1].1,
    })
}

/// The shift after `w`.
pub fn next_shift(defs: &[ShiftDef], w: &ShiftWindow, tz: Tz) -> Option<ShiftWindow> {
    shift_at(defs, w.end, tz)
}

/// "Night 2026-10-31 19:00–07:00 (13 h)".
pub fn describe(w: &ShiftWindow, tz: Tz) -> String {
    let hours = w.length().num_minutes() as f64 / 60.0;
    format!(
        "{} {}–{} ({} h)",
        w.name,
        w.start.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        w.end.with_timezone(&tz).format("%H:%M"),
        if hours.fract() == 0.0 { format!("{hours:.0}") } else { format!("{hours:.1}") }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> Tz {
        chrono_tz::America::New_York
    }

    fn two() -> Vec<ShiftDef> {
        vec![
            ShiftDef { name: "Day".into(), starts: parse_start("07:00").unwrap() },
            ShiftDef { name: "Night".into(), starts: parse_start("19:00").unwrap() },
        ]
    }

    fn at(s: &str) -> DateTime<Utc> {
        crate::domain::time::parse_local("t", s, ny()).unwrap()
    }

    #[test]
    fn a_night_crosses_midnight() {
        let w = shift_at(&two(), at("2026-11-25 03:00"), ny()).unwrap();
        assert_eq!(w.name, "Night");
        assert_eq!(w.start, at("2026-11-24 19:00"));
        assert_eq!(w.end, at("2026-11-25 07:00"));
        assert_eq!(w.length(), Duration::hours(12));
        let day = shift_at(&two(), at("2026-11-25 07:00"), ny()).unwrap();
        assert_eq!(day.name, "Day", "the boundary belongs to the shift that starts");
    }

    #[test]
    fn nights_across_dst_are_13_and_11_hours() {
        // First Sunday of November 2026: clocks fall back at 02:00 on Nov 1.
        let fall = shift_at(&two(), at("2026-11-01 04:00"), ny()).unwrap();
        assert_eq!(fall.length(), Duration::hours(13), "{}", describe(&fall, ny()));
        // Second Sunday of March 2026: clocks spring forward at 02:00 on Mar 8.
        let spring = shift_at(&two(), at("2026-03-08 04:00"), ny()).unwrap();
        assert_eq!(spring.length(), Duration::hours(11), "{}", describe(&spring, ny()));
    }

    #[test]
    fn a_single_daily_shift_lasts_23_or_25_hours_across_dst() {
        let one = vec![ShiftDef { name: "Ward day".into(), starts: parse_start("00:00").unwrap() }];
        assert_eq!(shift_at(&one, at("2026-11-01 12:00"), ny()).unwrap().length(), Duration::hours(25));
        assert_eq!(shift_at(&one, at("2026-03-08 12:00"), ny()).unwrap().length(), Duration::hours(23));
        assert_eq!(shift_at(&one, at("2026-03-09 12:00"), ny()).unwrap().length(), Duration::hours(24));
    }

    #[test]
    fn three_eight_hour_shifts_and_a_start_inside_the_dst_gap() {
        let three = vec![
            ShiftDef { name: "Day".into(), starts: parse_start("07:00").unwrap() },
            ShiftDef { name: "Evening".into(), starts: parse_start("15:00").unwrap() },
            ShiftDef { name: "Night".into(), starts: parse_start("23:00").unwrap() },
        ];
        let w = shift_at(&three, at("2026-11-25 16:00"), ny()).unwrap();
        assert_eq!((w.name.as_str(), w.length()), ("Evening", Duration::hours(8)));
        let next = next_shift(&three, &w, ny()).unwrap();
        assert_eq!(next.name, "Night");
        // A shift starting at 02:30 on spring-forward day starts at 03:00 instead.
        let odd = vec![
            ShiftDef { name: "A".into(), starts: parse_start("02:30").unwrap() },
            ShiftDef { name: "B".into(), starts: parse_start("14:30").unwrap() },
        ];
        let w = shift_at(&odd, at("2026-03-08 05:00"), ny()).unwrap();
        assert_eq!(w.start, at("2026-03-08 03:00"));
    }
}
