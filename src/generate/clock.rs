//! Time in the generator: whole seconds since the epoch, written as the database's text without
//! allocating.
use chrono::{DateTime, Utc};

pub(super) const MINUTE: i64 = 60;
pub(super) const HOUR: i64 = 3600;
pub(super) const DAY: i64 = 86_400;
/// A UTC time (seconds since the epoch) in the database's text form, without allocating.
pub(super) struct Ts([u8; 20]);

impl Ts {
    pub(super) fn new(secs: i64) -> Ts {
        let days = secs.div_euclid(DAY);
        let rem = secs.rem_euclid(DAY);
        // Civil from days (H. Hinnant).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        let mut b = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, v: i64, width: usize| {
            let mut v = v;
            for i in (0..width).rev() {
                b[at + i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, y, 4);
        put(5, m, 2);
        put(8, d, 2);
        put(11, rem / HOUR, 2);
        put(14, rem % HOUR / MINUTE, 2);
        put(17, rem % MINUTE, 2);
        Ts(b)
    }
    pub(super) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("1970-01-01T00:00:00Z")
    }
}

pub(super) fn dt(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_match_chrono() {
        for secs in [0, 951_782_400, 1_700_000_000, 1_795_000_000 + 12_345, 4_102_444_799] {
            assert_eq!(Ts::new(secs).as_str(), crate::domain::time::to_db(dt(secs)));
        }
    }
}
