//! Clocks and calendars: the database stores UTC, the ward reads its own time zone.
//!
//! A night shift crosses midnight and, twice a year, a DST change, so every conversion between
//! typed local time and stored UTC goes through here.
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// The one text form of a time in the database (see schema.sql conventions).
pub const DB_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// A time in the database's text form. Written by hand for the years 0-9999 (chrono's formatter
/// walks its format string at every call: a sixth of the observation board's time, measured);
/// chrono's own for any other year.
pub fn to_db(t: DateTime<Utc>) -> String {
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return t.format(DB_FORMAT).to_string();
    }
    format!("{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.month(), t.day(), t.hour(), t.minute(), t.second())
}

/// Read a time in the database's text form. The 20-byte form the database holds is read by hand
/// (a few times faster than chrono's format-driven parser, which every row of the trend, the
/// timeline and the rounds went through); anything else goes to chrono, so both accept and
/// refuse exactly the same text (a property test holds them together).
pub fn from_db(s: &str) -> Option<DateTime<Utc>> {
    match fixed_db_time(s.as_bytes()) {
        Some(t) => Some(t),
        None => NaiveDateTime::parse_from_str(s, DB_FORMAT).ok().map(|n| n.and_utc()),
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` with every field in range, or `None` to let chrono decide.
fn fixed_db_time(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let date = NaiveDate::from_ymd_opt(num(0, 4)? as i32, num(5, 7)?, num(8, 10)?)?;
    // A leap second (:60) is chrono's to read.
    let time = chrono::NaiveTime::from_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19).filter(|s| *s < 60)?)?;
    Some(date.and_time(time).and_utc())
}

/// Parse an IANA zone name such as `America/New_York`.
pub fn parse_zone(s: &str) -> Result<Tz, String> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| format!("unknown time zone {:?} (use an IANA name such as America/New_York)", s.trim()))
}

/// Parse a date typed as `YYYY-MM-DD`.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{field}: {:?} is not a date; type YYYY-MM-DD", s.trim()))
}

/// Parse a local wall-clock time typed as `YYYY-MM-DD HH:MM` in the ward's zone, optionally
/// followed by the zone's abbreviation (`EDT`, `EST`) or an explicit UTC offset (`-04:00`).
///
/// A time that does not exist (skipped by a spring-forward) is refused. One that happens twice
/// (the fall-back hour) needs the abbreviation or offset that says which: guessing would silently
/// move a clinical time by an hour, so the nurse is told both and asked to choose (issue 14,
/// point 10). An abbreviation or offset that is not the zone's at that time is refused.
pub fn parse_local(field: &str, s: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    let (clock, zone) = split_zone(t);
    let naive = NaiveDateTime::parse_from_str(clock, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(clock, "%Y-%m-%dT%H:%M"))
        .map_err(|_| format!("{field}: {t:?} is not a time; type YYYY-MM-DD HH:MM"))?;
    let candidates: Vec<DateTime<Tz>> = match tz.from_local_datetime(&naive) {
        LocalResult::Single(x) => vec![x],
        LocalResult::None => {
            return Err(format!("{field}: {clock} does not exist in {tz} (the clocks skip it at a DST change)"));
        }
        LocalResult::Ambiguous(a, b) => vec![a, b],
    };
    let Some(zone) = zone else {
        return match candidates.as_slice() {
            [one] => Ok(one.with_timezone(&Utc)),
            [a, b, ..] => Err(format!(
                "{field}: {clock} happens twice in {tz} (DST ends): type {clock} {} (the first) or {clock} {} \
                 (the second), or an offset such as {clock} {}",
                a.format("%Z"),
                b.format("%Z"),
                a.format("%:z")
            )),
            [] => Err(format!("{field}: {clock} is not a time in {tz}")),
        };
    };
    candidates
        .iter()
        .find(|c| {
            let offset = c.format("%:z").to_string();
            c.format("%Z").to_string().eq_ignore_ascii_case(zone) || offset == zone || offset.replace(':', "") == zone
        })
        .map(|c| c.with_timezone(&Utc))
        .ok_or_else(|| {
            let names: Vec<String> =
                candidates.iter().map(|c| format!("{} ({})", c.format("%Z"), c.format("%:z"))).collect();
            format!("{field}: {clock} in {tz} is {}, not {zone}", names.join(" or "))
        })
}

/// "2026-11-01 01:30 EST" -> ("2026-11-01 01:30", Some("EST")); a trailing word of letters, or
/// an offset `+hh:mm` / `-hhmm`, is the zone.
fn split_zone(t: &str) -> (&str, Option<&str>) {
    match t.rsplit_once(' ') {
        Some((clock, last)) if clock.contains(' ') || clock.contains('T') => {
            let letters = !last.is_empty() && last.chars().all(|c| c.is_ascii_alphabetic());
            let offset = last.len() >= 5 && (last.starts_with('+') || last.starts_with('-'));
            if letters || offset { (clock.trim_end(), Some(last)) } else { (t, None) }
        }
        _ => (t, None),
    }
}

/// True when the wall-clock time of `t` happens twice in `tz` (the fall-back hour): such a time
/// is shown with its zone abbreviation, or it would mean two instants.
pub fn in_repeated_hour(t: DateTime<Utc>, tz: Tz) -> bool {
    matches!(tz.from_local_datetime(&t.with_timezone(&tz).naive_local()), LocalResult::Ambiguous(..))
}

/// " EDT" for a time in the repeated hour, "" otherwise.
fn zone_mark(t: DateTime<Utc>, tz: Tz) -> String {
    if in_repeated_hour(t, tz) { t.with_timezone(&tz).format(" %Z").to_string() } else { String::new() }
}

/// `HH:MM` in the ward's zone, `01:30 EST` in the repeated hour.
pub fn clock(t: DateTime<Utc>, tz: Tz) -> String {
    format!("{}{}", t.with_timezone(&tz).format("%H:%M"), zone_mark(t, tz))
}

/// `YYYY-MM-DD HH:MM` in the ward's zone (with the zone abbreviation in the repeated hour).
pub fn local(t: DateTime<Utc>, tz: Tz) -> String {
    format!("{}{}", t.with_timezone(&tz).format("%Y-%m-%d %H:%M"), zone_mark(t, tz))
}

/// `HH:MM` in the ward's zone, or `Tue 14:05` when not today; `01:30 EDT` in the repeated hour.
pub fn local_short(t: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> String {
    let lt = t.with_timezone(&tz);
    let clock = if lt.date_naive() == now.with_timezone(&tz).date_naive() {
        lt.format("%H:%M").to_string()
    } else {
        lt.format("%a %H:%M").to_string()
    };
    clock + &zone_mark(t, tz)
}

/// A short, exact-enough span: `45s`, `12m`, `3h05`, `2d04h`.
pub fn span(d: Duration) -> String {
    let secs = d.num_seconds().abs();
    if secs < 60 {
        format!("{secs}s")
    } else if secs < 3600 {
        format!("{}m", secs / 60)
    } else if secs < 86_400 {
        format!("{}h{:02}", secs / 3600, (secs % 3600) / 60)
    } else {
        format!("{}d{:02}h", secs / 86_400, (secs % 86_400) / 3600)
    }
}

/// Day of stay: the admission's calendar day in the ward's zone is day 1.
pub fn day_of_stay(admitted: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> i64 {
    let a = admitted.with_timezone(&tz).date_naive();
    let n = now.with_timezone(&tz).date_naive();
    (n - a).num_days() + 1
}

/// Age in whole years on the ward's calendar date.
pub fn age_years(birth: NaiveDate, now: DateTime<Utc>, tz: Tz) -> i32 {
    let today = now.with_timezone(&tz).date_naive();
    today.years_since(birth).map(|y| y as i32).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// The hand-written writer and reader agree with chrono's for every time of the years 0-9999.
        #[test]
        fn db_times_round_trip_as_chrono_writes_them(secs in -62_167_219_200i64..253_402_300_799) {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            let text = to_db(t);
            prop_assert_eq!(&text, &t.format(DB_FORMAT).to_string());
            prop_assert_eq!(from_db(&text), Some(t));
        }

        /// Any text of the database's shape (digits anywhere, out of range or not), and any text
        /// at all, reads exactly as chrono reads it.
        #[test]
        fn db_time_reading_accepts_and_refuses_what_chrono_does(
            digits in proptest::collection::vec(0u8..10, 14),
            other in "\\PC{0,24}",
        ) {
            let d: Vec<char> = digits.iter().map(|x| char::from(b'0' + x)).collect();
            let shaped = format!(
                "{}{}{}{}-{}{}-{}{}T{}{}:{}{}:{}{}Z",
                d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13]
            );
            for text in [shaped.as_str(), other.as_str()] {
                let chrono = NaiveDateTime::parse_from_str(text, DB_FORMAT).ok().map(|n| n.and_utc());
                prop_assert_eq!(from_db(text), chrono, "{:?}", text);
            }
        }
    }

    fn ny() -> Tz {
        parse_zone("America/New_York").unwrap()
    }

    #[test]
    fn db_round_trip() {
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap();
        assert_eq!(to_db(t), "2026-11-01T05:30:00Z");
        assert_eq!(from_db(&to_db(t)), Some(t));
        assert_eq!(from_db("2026-11-01 05:30"), None);
    }

    #[test]
    fn skipped_and_repeated_local_times_are_refused() {
        // 2026-03-08 02:30 does not exist in New York; 2026-11-01 01:30 happens twice.
        assert!(parse_local("Time", "2026-03-08 02:30", ny()).unwrap_err().contains("does not exist"));
        let twice = parse_local("Time", "2026-11-01 01:30", ny()).unwrap_err();
        assert!(twice.contains("twice") && twice.contains("EDT") && twice.contains("EST"), "{twice}");
        let t = parse_local("Time", "2026-11-01 03:00", ny()).unwrap();
        assert_eq!(to_db(t), "2026-11-01T08:00:00Z");
    }

    #[test]
    fn the_repeated_hour_is_charted_by_saying_which() {
        // 2026-11-01 01:30 EDT is 05:30Z; 01:30 EST is 06:30Z.
        let edt = parse_local("Time", "2026-11-01 01:30 EDT", ny()).unwrap();
        let est = parse_local("Time", "2026-11-01 01:30 est", ny()).unwrap();
        assert_eq!((to_db(edt).as_str(), to_db(est).as_str()), ("2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"));
        assert_eq!(parse_local("Time", "2026-11-01 01:30 -05:00", ny()).unwrap(), est);
        assert_eq!(parse_local("Time", "2026-11-01 01:30 -0400", ny()).unwrap(), edt);
        assert!(parse_local("Time", "2026-11-01 01:30 PST", ny()).unwrap_err().contains("not PST"));
        assert!(parse_local("Time", "2026-11-01 03:00 EDT", ny()).unwrap_err().contains("EST"));
        assert_eq!(
            parse_local("Time", "2026-11-01 03:00 EST", ny()).unwrap(),
            parse_local("t", "2026-11-01 03:00", ny()).unwrap()
        );
        // Shown that night with the abbreviation; an ordinary time without.
        assert_eq!(local_short(edt, edt, ny()), "01:30 EDT");
        assert_eq!(local_short(est, est, ny()), "01:30 EST");
        assert_eq!(local(est, ny()), "2026-11-01 01:30 EST");
        let three = parse_local("t", "2026-11-01 03:00", ny()).unwrap();
        assert_eq!(local_short(three, three, ny()), "03:00");
    }

    #[test]
    fn day_of_stay_uses_ward_calendar() {
        let tz = ny();
        let admitted = parse_local("t", "2026-11-24 23:50", tz).unwrap();
        assert_eq!(day_of_stay(admitted, admitted, tz), 1);
        let next = parse_local("t", "2026-11-25 00:10", tz).unwrap();
        assert_eq!(day_of_stay(admitted, next, tz), 2);
    }

    #[test]
    fn spans() {
        assert_eq!(span(Duration::seconds(59)), "59s");
        assert_eq!(span(Duration::minutes(125)), "2h05");
        assert_eq!(span(Duration::hours(50)), "2d02h");
        assert_eq!(span(Duration::minutes(-12)), "12m");
    }
}
