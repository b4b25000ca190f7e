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

/// Which times a field takes (issue 20, point 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeRule {
    /// Something that happened (an admission, a dose, a note's event): `08:30` is today's, or the
    /// most recent past 08:30 when today's is still ahead; a time ahead of now is refused, the
    /// record is never charted ahead (REFERENCE.md section 5).
    Charted,
    /// Something planned (an action item's due time, a session): `08:30` is the next 08:30 (today's,
    /// or tomorrow's once today's has gone by); `+2h` is two hours ahead; the future is allowed.
    Planned,
}

/// A minute's grace either side of now: "08:30" typed at 08:30:20 is this morning's.
const SLACK: Duration = Duration::minutes(1);

/// What the nurse may type in any time field.
const TYPE_A_TIME: &str = "now, -15m, 08:30 or YYYY-MM-DD HH:MM";

/// Why typed text is not a time (yet).
enum Refusal {
    Empty,
    Unreadable,
    /// `-99999999h`: before (true) or after (false) any time chrono holds.
    TooFar(bool),
    /// A charted time ahead of now.
    Ahead(DateTime<Utc>),
    /// [`parse_local`]'s refusal (a skipped or repeated hour, a wrong zone), field named.
    Local(String),
}

/// Read a typed time by `rule`: `now`, `-15m` / `-2h` (and `+2h` for a planned time), `08:30`
/// (optionally `08:30 EST`), or `YYYY-MM-DD HH:MM`, each in the ward's zone.
fn resolve(field: &str, t: &str, now: DateTime<Utc>, tz: Tz, rule: TimeRule) -> Result<DateTime<Utc>, Refusal> {
    if t.is_empty() {
        return Err(Refusal::Empty);
    }
    let at = if t.eq_ignore_ascii_case("now") {
        now
    } else if let Some((back, rest)) =
        t.strip_prefix('-').map(|r| (true, r)).or(t.strip_prefix('+').map(|r| (false, r)))
    {
        // "-15m", "-2h": that long before now; "+2h" that long after.
        let (n, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len()));
        if n.is_empty() || !matches!(unit.trim(), "m" | "min" | "h") {
            return Err(Refusal::Unreadable);
        }
        let n: i64 = n.parse().map_err(|_| Refusal::TooFar(back))?;
        let d = if unit.trim() == "h" { Duration::try_hours(n) } else { Duration::try_minutes(n) };
        let moved = d.and_then(|d| if back { now.checked_sub_signed(d) } else { now.checked_add_signed(d) });
        moved.ok_or(Refusal::TooFar(back))?
    } else if is_clock(t) {
        // "08:30" (or "08:30 EST") on the ward's calendar: today's, then the day before (charted)
        // or after (planned) when today's is on the wrong side of now. A refusal of today's
        // (a skipped hour, a wrong zone) is said, never silently moved to another day.
        let today = now.with_timezone(&tz).date_naive();
        let on = |d: Option<NaiveDate>| -> Result<DateTime<Utc>, Refusal> {
            let d = d.ok_or(Refusal::TooFar(rule == TimeRule::Charted))?;
            let text = format!("{} {t}", d.format("%Y-%m-%d"));
            if !local_readable(&text) {
                return Err(Refusal::Unreadable);
            }
            parse_local(field, &text, tz).map_err(Refusal::Local)
        };
        let at = on(Some(today))?;
        match rule {
            TimeRule::Charted if at > now + SLACK => on(today.pred_opt())?,
            TimeRule::Planned if at < now - SLACK => on(today.succ_opt())?,
            _ => at,
        }
    } else {
        if !local_readable(t) {
            return Err(Refusal::Unreadable);
        }
        parse_local(field, t, tz).map_err(Refusal::Local)?
    };
    if rule == TimeRule::Charted && at > now + SLACK {
        return Err(Refusal::Ahead(at));
    }
    Ok(at)
}

/// "08:30" or "8:30 EST": a wall-clock time with no date (the first word is H:MM or HH:MM).
fn is_clock(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    matches!(first.split_once(':'), Some((h, m)) if (1..=2).contains(&h.len()) && m.len() == 2
        && h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()))
}

/// True when the date and clock of `t` (its zone word set aside) read as `YYYY-MM-DD HH:MM`.
fn local_readable(t: &str) -> bool {
    let (clock, _) = split_zone(t);
    NaiveDateTime::parse_from_str(clock, "%Y-%m-%d %H:%M").is_ok()
        || NaiveDateTime::parse_from_str(clock, "%Y-%m-%dT%H:%M").is_ok()
}

/// A typed time read by `rule`, or a message that names the field and says what to type.
pub fn parse_time(field: &str, s: &str, now: DateTime<Utc>, tz: Tz, rule: TimeRule) -> Result<DateTime<Utc>, String> {
    let t = s.trim();
    resolve(field, t, now, tz, rule).map_err(|r| match r {
        Refusal::Empty => format!("{field} is required (type {})", typed_forms(rule)),
        Refusal::Unreadable => format!("{field}: {t:?} is not a time; type {}", typed_forms(rule)),
        Refusal::TooFar(true) => format!("{field}: {t:?} is too far back"),
        Refusal::TooFar(false) => format!("{field}: {t:?} is too far ahead"),
        Refusal::Ahead(_) => format!("{field} is in the future; the record is never charted ahead"),
        Refusal::Local(m) => m,
    })
}

fn typed_forms(rule: TimeRule) -> &'static str {
    match rule {
        TimeRule::Charted => TYPE_A_TIME,
        TimeRule::Planned => "now, +2h, 08:30 or YYYY-MM-DD HH:MM",
    }
}

/// Parse a typed time as nurses type them (issue 20, point 10): `now` (said explicitly by the
/// nurse), `-15m` / `-2h` before now, `08:30` (today, or the most recent past 08:30 when today's
/// is still ahead), or `YYYY-MM-DD HH:MM`, each local and optionally with the zone abbreviation
/// or offset that says which of a repeated hour's two times is meant (`01:30 EST`).
/// Times in the future are refused: the record is never charted ahead (REFERENCE.md section 5).
pub fn parse_event_time(field: &str, s: &str, now: DateTime<Utc>, tz: Tz) -> Result<DateTime<Utc>, String> {
    parse_time(field, s, now, tz, TimeRule::Charted)
}

/// A planned time (an action item's due time, a session's start), which may be ahead of now:
/// `now`, `+2h` / `-15m`, `08:30` (the next 08:30) or `YYYY-MM-DD HH:MM`.
pub fn parse_event_time_allowing_future(
    field: &str,
    s: &str,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<DateTime<Utc>, String> {
    parse_time(field, s, now, tz, TimeRule::Planned)
}

/// What a time field understood of the text typed so far, shown as she types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeEcho {
    /// Nothing typed yet.
    Empty,
    /// A time: `at`, and `text` such as "→ today 08:30 EST (40m ago)".
    Understood { at: DateTime<Utc>, text: String },
    /// Not a time (yet): why, and what to type.
    NotYet(String),
}

impl TimeEcho {
    /// The whole echo in one line: "→ today 08:30 EST (40m ago)" or "not a time yet: type ...".
    pub fn text(&self) -> String {
        match self {
            TimeEcho::Empty => String::new(),
            TimeEcho::Understood { text, .. } => text.clone(),
            TimeEcho::NotYet(why) => format!("not a time yet: {why}"),
        }
    }

    /// The echo short enough to stand beside the field: the understood time, or "not a time yet".
    pub fn short(&self) -> String {
        match self {
            TimeEcho::NotYet(_) => "not a time yet".into(),
            other => other.text(),
        }
    }
}

/// The echo of a time field (issue 20, point 10): the time the typed text means, in words a
/// nurse reads at 4 a.m. ("→ yesterday 23:45 EST (4h15 ago)"), or why it is not a time yet and
/// what to type. The one function every time field's echo comes from.
pub fn time_echo(typed: &str, now: DateTime<Utc>, tz: Tz, rule: TimeRule) -> TimeEcho {
    const FIELD: &str = "Time";
    let t = typed.trim();
    match resolve(FIELD, t, now, tz, rule) {
        Ok(at) => TimeEcho::Understood { at, text: format!("→ {}", in_words(at, now, tz)) },
        Err(Refusal::Empty) => TimeEcho::Empty,
        Err(Refusal::Unreadable) => {
            let (step, day) = match rule {
                TimeRule::Charted => ("-15m", now.with_timezone(&tz).date_naive()),
                TimeRule::Planned => ("+2h", now.with_timezone(&tz).date_naive()),
            };
            TimeEcho::NotYet(format!("type 08:30, now, {step} or {} 08:30", day.format("%Y-%m-%d")))
        }
        Err(Refusal::TooFar(true)) => TimeEcho::NotYet("too far back".into()),
        Err(Refusal::TooFar(false)) => TimeEcho::NotYet("too far ahead".into()),
        Err(Refusal::Ahead(at)) => TimeEcho::NotYet(format!(
            "{} is in the future; nothing is charted ahead",
            in_words(at, now, tz).split(" (").next().unwrap_or_default()
        )),
        Err(Refusal::Local(m)) => TimeEcho::NotYet(
            m.strip_prefix(FIELD).map_or(m.as_str(), |r| r.trim_start_matches(':').trim_start()).into(),
        ),
    }
}

/// "today 08:30 EST (40m ago)", "yesterday 23:45 EST (9h25 ago)", "tomorrow 07:00 EST (in 9h50)",
/// "Mon 2026-11-23 08:30 EST (2d01h ago)": the ward's day and clock, always with the zone's
/// abbreviation, and how far from now and which way.
fn in_words(at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    let days = (local.date_naive() - now.with_timezone(&tz).date_naive()).num_days();
    let day = match days {
        0 => "today".to_string(),
        -1 => "yesterday".to_string(),
        1 => "tomorrow".to_string(),
        _ => local.format("%a %Y-%m-%d").to_string(),
    };
    let gap = at.signed_duration_since(now);
    let when = if gap.num_seconds().abs() < 60 {
        "now".to_string()
    } else if gap < Duration::zero() {
        format!("{} ago", span(gap))
    } else {
        format!("in {}", span(gap))
    };
    format!("{day} {} ({when})", local.format("%H:%M %Z"))
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

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        /// Whatever is typed, at whatever moment, the parsers and the echo answer and never panic;
        /// a charted time is never ahead of now, and the echo understands exactly what the
        /// parser accepts.
        #[test]
        fn time_fields_never_panic_on_any_input(
            typed in prop_oneof![
                "\\PC{0,30}",
                "[-+]?[0-9]{0,22}(m|h|min|x)?",
                "[0-9]{1,3}:[0-9]{1,3}( [A-Za-z]{0,4})?",
                "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}( [A-Z]{3}| [+-][0-9]{2}:?[0-9]{2})?",
            ],
            secs in -8_000_000_000_000i64..8_000_000_000_000,
        ) {
            let now = DateTime::from_timestamp(secs, 0).unwrap();
            for rule in [TimeRule::Charted, TimeRule::Planned] {
                let parsed = parse_time("Time", &typed, now, ny(), rule);
                let echo = time_echo(&typed, now, ny(), rule);
                match (&parsed, &echo) {
                    (Ok(at), TimeEcho::Understood { at: seen, .. }) => prop_assert_eq!(at, seen),
                    (Err(_), TimeEcho::NotYet(_) | TimeEcho::Empty) => {}
                    _ => prop_assert!(false, "{:?} parsed {:?} but echoed {:?}", typed, parsed, echo),
                }
                if let (TimeRule::Charted, Ok(at)) = (rule, parsed) {
                    prop_assert!(at <= now + SLACK);
                }
            }
            prop_assert_eq!(parse_event_time("Time", &typed, now, ny()).ok(), parse_time("Time", &typed, now, ny(), TimeRule::Charted).ok());
            let _ = parse_event_time_allowing_future("Due", &typed, now, ny());
        }
    }

    /// 09:10 in New York on Wednesday 2026-11-25.
    fn wednesday() -> DateTime<Utc> {
        parse_local("t", "2026-11-25 09:10", ny()).unwrap()
    }

    #[test]
    fn the_echo_says_the_day_the_clock_the_zone_and_which_way() {
        let (now, tz) = (wednesday(), ny());
        let echo = |s: &str| time_echo(s, now, tz, TimeRule::Charted).text();
        assert_eq!(echo("08:30"), "→ today 08:30 EST (40m ago)");
        assert_eq!(echo("now"), "→ today 09:10 EST (now)");
        assert_eq!(echo(" NOW "), "→ today 09:10 EST (now)");
        assert_eq!(echo("-15m"), "→ today 08:55 EST (15m ago)");
        assert_eq!(echo("23:45"), "→ yesterday 23:45 EST (9h25 ago)", "still ahead today: last night's");
        assert_eq!(echo("2026-11-23 08:30"), "→ Mon 2026-11-23 08:30 EST (2d00h ago)");
        assert_eq!(echo(""), "");
        assert_eq!(time_echo("  ", now, tz, TimeRule::Charted), TimeEcho::Empty);
        assert_eq!(echo("garbage"), "not a time yet: type 08:30, now, -15m or 2026-11-25 08:30");
        assert_eq!(echo("08:3"), "not a time yet: type 08:30, now, -15m or 2026-11-25 08:30", "half typed");
        assert_eq!(echo("25:00"), "not a time yet: type 08:30, now, -15m or 2026-11-25 08:30");
        assert_eq!(echo("-15x"), "not a time yet: type 08:30, now, -15m or 2026-11-25 08:30");
        assert_eq!(echo("-99999999999999h"), "not a time yet: too far back");
        assert_eq!(
            echo("2026-11-25 10:00"),
            "not a time yet: today 10:00 EST is in the future; nothing is charted ahead"
        );
        // A planned time: the next 08:30, and hours ahead.
        let planned = |s: &str| time_echo(s, now, tz, TimeRule::Planned).text();
        assert_eq!(planned("08:30"), "→ tomorrow 08:30 EST (in 23h20)");
        assert_eq!(planned("14:00"), "→ today 14:00 EST (in 4h50)");
        assert_eq!(planned("+2h"), "→ today 11:10 EST (in 2h00)");
        assert_eq!(planned("x"), "not a time yet: type 08:30, now, +2h or 2026-11-25 08:30");
        let TimeEcho::Understood { at, .. } = time_echo("08:30", now, tz, TimeRule::Charted) else { panic!() };
        assert_eq!(at, parse_local("t", "2026-11-25 08:30", tz).unwrap());
    }

    #[test]
    fn the_echo_of_a_night_that_changes_the_clocks() {
        let tz = ny();
        // 2026-11-01 03:00 EST, after the fall-back: "01:30" happens twice and says so.
        let now = parse_local("t", "2026-11-01 03:00", tz).unwrap();
        let echo = |s: &str| time_echo(s, now, tz, TimeRule::Charted).text();
        let twice = echo("01:30");
        assert!(twice.starts_with("not a time yet: 2026-11-01 01:30 happens twice"), "{twice}");
        assert!(twice.contains("EDT") && twice.contains("EST"), "{twice}");
        assert_eq!(echo("01:30 EDT"), "→ today 01:30 EDT (2h30 ago)");
        assert_eq!(echo("01:30 est"), "→ today 01:30 EST (1h30 ago)");
        assert_eq!(echo("00:30"), "→ today 00:30 EDT (3h30 ago)");
        // 2026-03-08 at 04:00 EDT: 02:30 never happened today; said so, never moved to yesterday.
        let now = parse_local("t", "2026-03-08 04:00", tz).unwrap();
        let skipped = parse_event_time("Time", "02:30", now, tz).unwrap_err();
        assert!(skipped.contains("does not exist"), "{skipped}");
        assert!(time_echo("02:30", now, tz, TimeRule::Charted).text().contains("does not exist"));
    }

    #[test]
    fn planned_times_may_be_ahead_and_charted_ones_may_not() {
        let (now, tz) = (wednesday(), ny());
        let at = |s: &str| parse_local("t", s, tz).unwrap();
        let due = |s: &str| parse_event_time_allowing_future("Due", s, now, tz);
        assert_eq!(due("now").unwrap(), now);
        assert_eq!(due("08:30").unwrap(), at("2026-11-26 08:30"), "today's has gone by: tomorrow's");
        assert_eq!(due("9:10").unwrap(), now, "a minute's grace");
        assert_eq!(due("22:00").unwrap(), at("2026-11-25 22:00"));
        assert_eq!(due("+30m").unwrap(), now + Duration::minutes(30));
        assert_eq!(due("-15m").unwrap(), now - Duration::minutes(15));
        assert_eq!(due("2030-01-02 14:00").unwrap(), at("2030-01-02 14:00"));
        assert!(due("").unwrap_err().starts_with("Due is required"));
        assert!(due("soon").unwrap_err().contains("is not a time; type now, +2h, 08:30"));
        assert!(due("+99999999999999999999h").unwrap_err().contains("too far ahead"));
        let ev = |s: &str| parse_event_time("Given at", s, now, tz);
        assert!(ev("+30m").unwrap_err().contains("in the future"));
        assert!(ev("soon").unwrap_err().starts_with("Given at: \"soon\" is not a time; type now, -15m, 08:30"));
        assert_eq!(ev("22:00").unwrap(), at("2026-11-24 22:00"));
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
