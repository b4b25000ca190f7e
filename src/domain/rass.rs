//! RASS, the Richmond Agitation-Sedation Scale: REFERENCE.md §3 (Sessler et al., Am J Respir
//! Crit Care Med 2002;166:1338-44): one item, -5 to +4, with the reference's labels.
//!
//! REFERENCE.md §3: "Used before a sedating dose (hold parameters) and when a patient is too
//! sedated or delirious for CIWA-Ar". Which values are "too sedated or delirious" is not in the
//! reference: it is the unit's [`CiwaRassWindow`], never a constant here.
// TODO(clinical): REFERENCE.md §3 gives no RASS cut-off for "too sedated or delirious for
// CIWA-Ar"; the unit configures a [`CiwaRassWindow`]. RASS measures arousal, not delirium itself
// (the reference names no delirium tool), so a window is only the unit's proxy.

use std::fmt;
use std::str::FromStr;

/// One RASS value, -5 to +4; only [`Rass::new`] and [`Rass::parse`] make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rass(i8);

impl Rass {
    /// Lowest value: -5 unarousable (REFERENCE.md §3).
    pub const MIN: i8 = -5;
    /// Highest value: +4 combative (REFERENCE.md §3).
    pub const MAX: i8 = 4;

    /// A RASS value, refusing anything outside -5..=+4.
    pub fn new(value: i8) -> Result<Rass, RassError> {
        if (Self::MIN..=Self::MAX).contains(&value) { Ok(Rass(value)) } else { Err(RassError::OutOfRange(value)) }
    }

    /// Every value, +4 first, in the reference's order.
    pub fn all() -> impl Iterator<Item = Rass> {
        (Self::MIN..=Self::MAX).rev().map(Rass)
    }

    /// The value, -5 to 4.
    pub fn value(self) -> i8 {
        self.0
    }

    /// The reference's words (REFERENCE.md §3): "+4 combative · +3 very agitated · +2 agitated ·
    /// +1 restless · 0 alert and calm · -1 drowsy · -2 light sedation · -3 moderate sedation ·
    /// -4 deep sedation · -5 unarousable".
    pub fn label(self) -> &'static str {
        match self.0 {
            4 => "combative",
            3 => "very agitated",
            2 => "agitated",
            1 => "restless",
            0 => "alert and calm",
            -1 => "drowsy",
            -2 => "light sedation",
            -3 => "moderate sedation",
            -4 => "deep sedation",
            _ => "unarousable", // -5: `new` admits nothing lower
        }
    }

    /// The value as the reference writes it: "+2", "0", "-3".
    pub fn signed(self) -> String {
        if self.0 > 0 { format!("+{}", self.0) } else { self.0.to_string() }
    }

    /// Parses "+2", "2", "-3" (also "−3" with the Unicode minus a pasted text may carry),
    /// surrounding spaces allowed; anything else, or a value outside -5..=+4, is refused.
    pub fn parse(s: &str) -> Result<Rass, RassError> {
        let t = s.trim();
        let bad = || RassError::NotANumber(t.to_string());
        let (negative, digits) = if let Some(d) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
            (true, d)
        } else {
            (false, t.strip_prefix('+').unwrap_or(t))
        };
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let magnitude: i8 = digits.parse().map_err(|_| bad())?;
        Rass::new(if negative { -magnitude } else { magnitude })
    }
}

impl FromStr for Rass {
    type Err = RassError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rass::parse(s)
    }
}

impl fmt::Display for Rass {
    /// "+2 agitated", "0 alert and calm", "-3 moderate sedation".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.signed(), self.label())
    }
}

/// Why a RASS was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RassError {
    /// A number outside -5..=+4.
    OutOfRange(i8),
    /// Not a whole number with an optional sign.
    NotANumber(String),
}

impl fmt::Display for RassError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RassError::OutOfRange(v) => write!(f, "RASS {v} is outside -5 to +4"),
            RassError::NotANumber(s) => write!(f, "RASS: {s:?} is not a value from -5 to +4 (e.g. +2, 0, -3)"),
        }
    }
}

impl std::error::Error for RassError {}

/// The unit's RASS range within which CIWA-Ar can be scored; outside it the patient is "too
/// sedated or delirious for CIWA-Ar" (REFERENCE.md §3). Unit configuration with no default: the
/// reference gives no cut-off (see the TODO(clinical) at the top of this file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CiwaRassWindow {
    lowest: Rass,
    highest: Rass,
}

impl CiwaRassWindow {
    /// The window `lowest..=highest`; refused when `lowest` is above `highest`.
    pub fn new(lowest: Rass, highest: Rass) -> Result<Self, String> {
        if lowest > highest {
            return Err(format!(
                "RASS window for CIWA-Ar: the lowest value {} is above the highest {}",
                lowest.signed(),
                highest.signed()
            ));
        }
        Ok(CiwaRassWindow { lowest, highest })
    }

    /// The lowest RASS at which CIWA-Ar is scored.
    pub fn lowest(self) -> Rass {
        self.lowest
    }

    /// The highest RASS at which CIWA-Ar is scored.
    pub fn highest(self) -> Rass {
        self.highest
    }

    /// True when `rass` is outside the unit's window: too sedated (below) or too agitated or
    /// delirious (above) for CIWA-Ar.
    pub fn too_sedated_or_delirious_for_ciwa(self, rass: Rass) -> bool {
        rass < self.lowest || rass > self.highest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_values_with_the_reference_labels() {
        let all: Vec<(String, &str)> = Rass::all().map(|r| (r.signed(), r.label())).collect();
        let want = [
            ("+4", "combative"),
            ("+3", "very agitated"),
            ("+2", "agitated"),
            ("+1", "restless"),
            ("0", "alert and calm"),
            ("-1", "drowsy"),
            ("-2", "light sedation"),
            ("-3", "moderate sedation"),
            ("-4", "deep sedation"),
            ("-5", "unarousable"),
        ];
        assert_eq!(all.len(), want.len());
        for ((s, l), (ws, wl)) in all.iter().zip(want) {
            assert_eq!((s.as_str(), *l), (ws, wl));
        }
        assert_eq!(Rass::new(-3).map(|r| r.to_string()), Ok("-3 moderate sedation".to_string()));
    }

    #[test]
    fn constructor_refuses_out_of_range() {
        for v in [-128, -6, 5, 127] {
            assert_eq!(Rass::new(v), Err(RassError::OutOfRange(v)));
        }
        for v in -5..=4 {
            assert_eq!(Rass::new(v).map(Rass::value), Ok(v));
        }
    }

    #[test]
    fn parse_signed_and_unsigned_and_refuse_the_rest() {
        assert_eq!(Rass::parse("+2").map(Rass::value), Ok(2));
        assert_eq!(Rass::parse("2").map(Rass::value), Ok(2));
        assert_eq!(Rass::parse(" -3 ").map(Rass::value), Ok(-3));
        assert_eq!(Rass::parse("\u{2212}3").map(Rass::value), Ok(-3));
        assert_eq!(Rass::parse("0").map(Rass::value), Ok(0));
        assert_eq!(Rass::parse("-0").map(Rass::value), Ok(0));
        assert_eq!("+4".parse::<Rass>().map(Rass::value), Ok(4));
        for v in Rass::all() {
            assert_eq!(Rass::parse(&v.signed()), Ok(v), "round trip {v}");
        }
        assert_eq!(Rass::parse("+5"), Err(RassError::OutOfRange(5)));
        assert_eq!(Rass::parse("-6"), Err(RassError::OutOfRange(-6)));
        for bad in ["", " ", "+", "-", "++2", "+-2", "- 2", "2.0", "two", "1e1", "-999", "+002"] {
            assert!(Rass::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert!(Rass::parse("x").unwrap_err().to_string().contains("-5 to +4"));
    }

    #[test]
    fn ciwa_window_is_the_units_parameter() {
        let r = |v| Rass::new(v).expect("legal");
        assert!(CiwaRassWindow::new(r(1), r(-1)).is_err());
        let w = CiwaRassWindow::new(r(-2), r(3)).expect("valid");
        assert!(w.too_sedated_or_delirious_for_ciwa(r(-3)));
        assert!(!w.too_sedated_or_delirious_for_ciwa(r(-2)));
        assert!(!w.too_sedated_or_delirious_for_ciwa(r(3)));
        assert!(w.too_sedated_or_delirious_for_ciwa(r(4)));
        // Another unit's window gives another answer for the same value: nothing is built in.
        let strict = CiwaRassWindow::new(r(-1), r(1)).expect("valid");
        assert!(strict.too_sedated_or_delirious_for_ciwa(r(-2)));
    }
}
