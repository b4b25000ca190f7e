//! PRN ("as needed") doses given under the patient's own order. The software records what was
//! given; it never proposes a drug or a dose (REFERENCE.md section 1).
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::stay::parse_event_time;
use super::text::required_line;

pub const ROUTES: [&str; 6] = ["PO", "SL", "IM", "IV", "PR", "other"];

/// A checked PRN entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Prn {
    pub medication: String,
    pub dose: String,
    pub route: String,
    pub given_at: DateTime<Utc>,
}

/// Validate the PRN form: medication, dose, route, and when it was given (never in the future).
pub fn validate(
    medication: &str,
    dose: &str,
    route: &str,
    given_at: &str,
    now: DateTime<Utc>,
    tz: Tz,
) -> Result<Prn, String> {
    let medication = required_line("Medication", medication, 80)?;
    let dose = required_line("Dose (as ordered, with units)", dose, 40)?;
    if !dose.chars().any(|c| c.is_ascii_digit()) {
        return Err("Dose: give the amount with its unit, e.g. 2 mg".into());
    }
    if !ROUTES.contains(&route) {
        return Err(format!("Route: choose one ({})", ROUTES.join(", ")));
    }
    let given_at = parse_event_time("Given at", given_at, now, tz)?;
    Ok(Prn { medication, dose, route: route.to_string(), given_at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn prn_needs_drug_dose_route_and_time() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let tz = chrono_tz::UTC;
        assert!(validate("lorazepam", "2 mg", "PO", "now", now, tz).is_ok());
        assert!(validate("", "2 mg", "PO", "now", now, tz).is_err());
        assert!(validate("lorazepam", "two", "PO", "now", now, tz).unwrap_err().contains("amount"));
        assert!(validate("lorazepam", "2 mg", "", "now", now, tz).unwrap_err().contains("Route"));
        assert!(validate("lorazepam", "2 mg", "PO", "", now, tz).unwrap_err().contains("required"));
        assert!(validate("lorazepam", "2 mg", "PO", "2026-11-25 10:00", now, tz).unwrap_err().contains("future"));
    }
}
