//! Vital signs typed with an assessment (REFERENCE.md section 1: temperature, heart rate, blood
//! pressure, respiratory rate, SpO2), with plausibility checks that catch typos and say why.
//!
//! An empty field means "not taken" and is stored as nothing: a vital is never filled in.

/// How the ward types temperatures (ward configuration); the database stores Celsius.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TempUnit {
    C,
    F,
}

impl TempUnit {
    pub fn from_char(c: char) -> TempUnit {
        if c == 'F' { TempUnit::F } else { TempUnit::C }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            TempUnit::C => "°C",
            TempUnit::F => "°F",
        }
    }
}

/// Checked vitals; `None` where the nurse took none.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Vitals {
    pub temp_c: Option<f64>,
    pub heart_rate: Option<u16>,
    pub bp_systolic: Option<u16>,
    pub bp_diastolic: Option<u16>,
    pub resp_rate: Option<u16>,
    pub spo2: Option<u16>,
}

/// Plausible ranges. Wider than normal on purpose: they catch typos, not illness.
pub const HR_RANGE: (u16, u16) = (25, 250);
pub const SBP_RANGE: (u16, u16) = (50, 280);
pub const DBP_RANGE: (u16, u16) = (20, 180);
pub const RR_RANGE: (u16, u16) = (4, 70);
pub const SPO2_RANGE: (u16, u16) = (50, 100);
pub const TEMP_C_RANGE: (f64, f64) = (30.0, 44.0);

fn whole(field: &str, s: &str, (lo, hi): (u16, u16), unit: &str) -> Result<Option<u16>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: u32 = t.parse().map_err(|_| format!("{field}: {t:?} is not a whole number"))?;
    if v < lo as u32 || v > hi as u32 {
        return Err(format!("{field} {v}{unit} is not plausible (expected {lo}-{hi}); check for a typo"));
    }
    Ok(Some(v as u16))
}

/// Parse a temperature typed in the ward's unit; return Celsius.
pub fn parse_temp(s: &str, unit: TempUnit) -> Result<Option<f64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.parse().map_err(|_| format!("Temperature: {t:?} is not a number"))?;
    if !v.is_finite() {
        return Err(format!("Temperature: {t:?} is not a number"));
    }
    let c = match unit {
        TempUnit::C => v,
        TempUnit::F => (v - 32.0) * 5.0 / 9.0,
    };
    if (TEMP_C_RANGE.0..=TEMP_C_RANGE.1).contains(&c) {
        return Ok(Some((c * 10.0).round() / 10.0));
    }
    // The classic slip: the other unit.
    let other = match unit {
        TempUnit::C => (v - 32.0) * 5.0 / 9.0,
        TempUnit::F => v,
    };
    let looks_other = match unit {
        TempUnit::C => (TEMP_C_RANGE.0..=TEMP_C_RANGE.1).contains(&other),
        TempUnit::F => (TEMP_C_RANGE.0..=TEMP_C_RANGE.1).contains(&v),
    };
    if looks_other {
        let (typed, ward) = match unit {
            TempUnit::C => ("Fahrenheit", "°C"),
            TempUnit::F => ("Celsius", "°F"),
        };
        return Err(format!("Temperature {v} looks like {typed}; this ward records {ward}"));
    }
    Err(format!("Temperature {v}{} is not plausible; check for a typo", unit.symbol()))
}

impl Vitals {
    /// Check typed vitals: `[temp, hr, systolic, diastolic, rr, spo2]`.
    pub fn parse(fields: [&str; 6], unit: TempUnit) -> Result<Vitals, String> {
        let v = Vitals {
            temp_c: parse_temp(fields[0], unit)?,
            heart_rate: whole("Heart rate", fields[1], HR_RANGE, "/min")?,
            bp_systolic: whole("Systolic BP", fields[2], SBP_RANGE, " mmHg")?,
            bp_diastolic: whole("Diastolic BP", fields[3], DBP_RANGE, " mmHg")?,
            resp_rate: whole("Respiratory rate", fields[4], RR_RANGE, "/min")?,
            spo2: whole("SpO2", fields[5], SPO2_RANGE, "%")?,
        };
        match (v.bp_systolic, v.bp_diastolic) {
            (Some(s), Some(d)) if d >= s => {
                return Err(format!("Blood pressure {s}/{d}: the diastolic must be below the systolic"));
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err("Blood pressure: give both systolic and diastolic, or neither".into());
            }
            _ => {}
        }
        Ok(v)
    }

    /// "T 37.2°C HR 104 BP 130/85 RR 18 SpO2 97%"; a vital not taken shows as "—".
    pub fn summary(&self, unit: TempUnit) -> String {
        let n = |v: Option<u16>| v.map_or("—".to_string(), |x| x.to_string());
        let t = self.temp_c.map_or("—".to_string(), |c| match unit {
            TempUnit::C => format!("{c:.1}°C"),
            TempUnit::F => format!("{:.1}°F", c * 9.0 / 5.0 + 32.0),
        });
        let bp = match (self.bp_systolic, self.bp_diastolic) {
            (Some(s), Some(d)) => format!("{s}/{d}"),
            _ => "—".into(),
        };
        let spo2 = self.spo2.map_or("—".to_string(), |s| format!("{s}%"));
        format!("T {t} HR {} BP {bp} RR {} SpO2 {spo2}", n(self.heart_rate), n(self.resp_rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(f: [&str; 6]) -> Result<Vitals, String> {
        Vitals::parse(f, TempUnit::C)
    }

    #[test]
    fn typos_are_caught_and_explained() {
        assert!(p(["", "1000", "", "", "", ""]).unwrap_err().contains("Heart rate 1000"));
        assert!(p(["98.6", "", "", "", "", ""]).unwrap_err().contains("looks like Fahrenheit"));
        assert!(parse_temp("37", TempUnit::F).unwrap_err().contains("looks like Celsius"));
        assert!(p(["", "", "80", "120", "", ""]).unwrap_err().contains("diastolic"));
        assert!(p(["", "", "120", "", "", ""]).is_err());
        assert!(p(["", "", "", "", "", "101"]).is_err());
        assert!(p(["", "7o", "", "", "", ""]).unwrap_err().contains("not a whole number"));
    }

    #[test]
    fn empty_means_not_taken() {
        assert_eq!(p(["", "", "", "", "", ""]).unwrap(), Vitals::default());
        let v = p(["37.24", "104", "130", "85", "18", "97"]).unwrap();
        assert_eq!(v.temp_c, Some(37.2));
        assert_eq!(v.summary(TempUnit::C), "T 37.2°C HR 104 BP 130/85 RR 18 SpO2 97%");
        assert_eq!(parse_temp("98.6", TempUnit::F).unwrap(), Some(37.0));
    }
}
