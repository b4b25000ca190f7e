//! When a set of vital signs prompts "notify the provider": the unit's choice of NEWS2 or of its
//! own thresholds (REFERENCE.md §10: "a unit may adopt it or set its own notify thresholds (unit
//! configuration)"). Pure: [`evaluate`] says the breach in words, or nothing.
//!
//! A parameter that was not measured is never treated as normal: under NEWS2 an incomplete set
//! has no total (REFERENCE.md §10), and under the unit's thresholds a limit on a parameter not
//! measured is simply not checked; the screen says what was not measured either way.
// TODO(clinical): REFERENCE.md §10 is silent on escalating an incomplete NEWS2. Chosen: an
// incomplete set alerts when a measured parameter scores 3 (the reference's "a single parameter
// scoring 3: urgent ward review" needs no total); otherwise it does not alert, and the set shows
// "NEWS2 incomplete: not measured ...", never a total.
// TODO(clinical): the reference gives no default notify level; the schema's default (5, the
// reference's "5-6 medium (urgent response)") is the unit's until it sets another.
use serde::{Deserialize, Serialize};

use super::news2::{News2Total, Observations, Parameter};

/// The unit's own notify limits (`ward.vitals_thresholds`, JSON). "above" alerts on a value
/// strictly greater than the limit, "below" on one strictly less; a limit left out is not
/// checked.
// TODO(clinical): the reference does not say whether a unit's limit is inclusive; chosen strict
// ("hr_above 120" alerts at 121, not at 120), the way such orders are usually written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hr_above: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hr_below: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbp_above: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbp_below: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rr_above: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rr_below: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spo2_below: Option<u16>,
    /// Degrees Celsius.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temp_above: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temp_below: Option<f64>,
}

impl Thresholds {
    /// Read and check the unit's JSON, e.g. `{"hr_above":120,"sbp_below":90}`.
    pub fn from_json(text: &str) -> Result<Thresholds, String> {
        let t: Thresholds = serde_json::from_str(text).map_err(|e| format!("vitals thresholds: {e}"))?;
        t.validate()?;
        Ok(t)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// At least one limit; each pair's low below its high; no limit outside what a patient can
    /// have (so a typo such as 1200 is refused, not kept as a limit that never alerts).
    pub fn validate(&self) -> Result<(), String> {
        let pairs = [
            ("heart rate", self.hr_below, self.hr_above, (20, 250)),
            ("systolic BP", self.sbp_below, self.sbp_above, (40, 300)),
            ("respiration rate", self.rr_below, self.rr_above, (2, 80)),
            ("SpO2", self.spo2_below, None, (50, 100)),
        ];
        let mut any = false;
        for (name, lo, hi, (min, max)) in pairs {
            for v in [lo, hi].into_iter().flatten() {
                any = true;
                if !(min..=max).contains(&v) {
                    return Err(format!("vitals thresholds: {name} limit {v} is outside {min}-{max}"));
                }
            }
            if let (Some(l), Some(h)) = (lo, hi)
                && l >= h
            {
                return Err(format!("vitals thresholds: {name} below {l} must be less than above {h}"));
            }
        }
        for v in [self.temp_below, self.temp_above].into_iter().flatten() {
            any = true;
            if !v.is_finite() || !(25.0..=45.0).contains(&v) {
                return Err(format!("vitals thresholds: temperature limit {v} °C is outside 25-45"));
            }
        }
        if let (Some(l), Some(h)) = (self.temp_below, self.temp_above)
            && l >= h
        {
            return Err(format!("vitals thresholds: temperature below {l} must be less than above {h}"));
        }
        if !any {
            return Err("vitals thresholds: give at least one limit, e.g. {\"hr_above\":120}".into());
        }
        Ok(())
    }

    /// The limits in words: "HR > 120 or < 50 · SBP < 90".
    pub fn describe(&self) -> String {
        let mut out = Vec::new();
        let mut pair = |name: &str, lo: Option<String>, hi: Option<String>| {
            let parts: Vec<String> =
                [hi.map(|h| format!("> {h}")), lo.map(|l| format!("< {l}"))].into_iter().flatten().collect();
            if !parts.is_empty() {
                out.push(format!("{name} {}", parts.join(" or ")));
            }
        };
        let s = |v: Option<u16>| v.map(|x| x.to_string());
        pair("HR", s(self.hr_below), s(self.hr_above));
        pair("SBP", s(self.sbp_below), s(self.sbp_above));
        pair("RR", s(self.rr_below), s(self.rr_above));
        pair("SpO2", s(self.spo2_below), None);
        let t = |v: Option<f64>| v.map(|x| format!("{x:.1} °C"));
        pair("T", t(self.temp_below), t(self.temp_above));
        out.join(" · ")
    }
}

/// The unit's choice (`ward.vitals_alerts`).
#[derive(Clone, Debug, PartialEq)]
pub enum Policy {
    /// NEWS2 (REFERENCE.md §10): a complete total at or above `notify_at`, or any single
    /// parameter scoring 3, prompts the call.
    News2 { notify_at: u8 },
    /// The unit's own limits.
    Thresholds(Thresholds),
}

impl Policy {
    pub fn describe(&self) -> String {
        match self {
            Policy::News2 { notify_at } => format!("NEWS2 >= {notify_at} or a single parameter scoring 3"),
            Policy::Thresholds(t) => format!("unit thresholds: {}", t.describe()),
        }
    }
}

/// The breach in words ("NEWS2 7: high (emergency response)", "HR 131 > 120"), or `None`.
pub fn evaluate(o: &Observations, policy: &Policy) -> Option<String> {
    match policy {
        Policy::News2 { notify_at } => match o.total() {
            News2Total::Complete { total, response } => {
                let threes = threes(o);
                if total >= *notify_at {
                    Some(format!("NEWS2 {total}: {}{}", response.label(), threes_text(&threes)))
                } else if !threes.is_empty() {
                    // REFERENCE.md §10: "a single parameter scoring 3: urgent ward review".
                    Some(format!("NEWS2 {total}: urgent ward review{}", threes_text(&threes)))
                } else {
                    None
                }
            }
            News2Total::Incomplete { scored_three, .. } if !scored_three.is_empty() => {
                // See the TODO(clinical) at the top: a 3 alerts without a total.
                Some(format!("NEWS2 incomplete, urgent ward review{}", threes_text(&scored_three)))
            }
            News2Total::Incomplete { .. } => None,
        },
        Policy::Thresholds(t) => {
            let mut out = Vec::new();
            let mut hi = |name: &str, v: Option<u16>, lim: Option<u16>| {
                if let (Some(v), Some(l)) = (v, lim)
                    && v > l
                {
                    out.push(format!("{name} {v} > {l}"));
                }
            };
            hi("HR", o.pulse, t.hr_above);
            hi("SBP", o.systolic_bp, t.sbp_above);
            hi("RR", o.respiration_rate, t.rr_above);
            let mut lo = |name: &str, v: Option<u16>, lim: Option<u16>| {
                if let (Some(v), Some(l)) = (v, lim)
                    && v < l
                {
                    out.push(format!("{name} {v} < {l}"));
                }
            };
            lo("HR", o.pulse, t.hr_below);
            lo("SBP", o.systolic_bp, t.sbp_below);
            lo("RR", o.respiration_rate, t.rr_below);
            lo("SpO2", o.spo2, t.spo2_below);
            if let Some(temp) = o.temperature {
                let c = f64::from(temp.get()) / 10.0;
                if let Some(l) = t.temp_above
                    && c > l
                {
                    out.push(format!("T {c:.1} > {l:.1} °C"));
                }
                if let Some(l) = t.temp_below
                    && c < l
                {
                    out.push(format!("T {c:.1} < {l:.1} °C"));
                }
            }
            (!out.is_empty()).then(|| format!("outside the unit's limits: {}", out.join(", ")))
        }
    }
}

fn threes(o: &Observations) -> Vec<Parameter> {
    o.points().iter().filter(|(_, p)| *p == Some(3)).map(|(param, _)| *param).collect()
}

fn threes_text(threes: &[Parameter]) -> String {
    if threes.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = threes.iter().map(|p| p.label()).collect();
    format!(" (3 points: {})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::news2::{Breathing, Consciousness, Tenths};
    use proptest::prelude::*;

    fn normal() -> Observations {
        Observations {
            respiration_rate: Some(16),
            spo2: Some(97),
            breathing: Some(Breathing::Air),
            systolic_bp: Some(120),
            pulse: Some(80),
            consciousness: Some(Consciousness::Alert),
            temperature: Some(Tenths::new(370)),
        }
    }

    #[test]
    fn news2_alerts_at_the_unit_level_and_on_a_single_three() {
        let p = Policy::News2 { notify_at: 5 };
        assert_eq!(evaluate(&normal(), &p), None);
        // pulse 115 (2) + RR 22 (2) + T 38.5 (1) = 5
        let o = Observations {
            pulse: Some(115),
            respiration_rate: Some(22),
            temperature: Some(Tenths::new(385)),
            ..normal()
        };
        assert_eq!(evaluate(&o, &p).as_deref(), Some("NEWS2 5: medium (urgent response)"));
        let o = Observations { pulse: Some(135), ..normal() };
        assert_eq!(evaluate(&o, &p).as_deref(), Some("NEWS2 3: urgent ward review (3 points: pulse)"));
    }

    #[test]
    fn incomplete_news2_is_never_scored_as_normal_but_a_three_still_alerts() {
        let p = Policy::News2 { notify_at: 5 };
        let o = Observations { consciousness: None, ..normal() };
        assert_eq!(evaluate(&o, &p), None);
        assert_eq!(o.total().complete(), None);
        let o = Observations { consciousness: None, respiration_rate: Some(7), ..normal() };
        assert_eq!(
            evaluate(&o, &p).as_deref(),
            Some("NEWS2 incomplete, urgent ward review (3 points: respiration rate)")
        );
    }

    #[test]
    fn thresholds_parse_validate_and_alert() {
        let t = Thresholds::from_json(
            r#"{"hr_above":120,"hr_below":50,"sbp_below":90,"sbp_above":180,"rr_above":24,"rr_below":10,"spo2_below":92,"temp_above":38.5}"#,
        )
        .unwrap();
        assert_eq!(t.describe(), "HR > 120 or < 50 · SBP > 180 or < 90 · RR > 24 or < 10 · SpO2 < 92 · T > 38.5 °C");
        let p = Policy::Thresholds(t);
        assert_eq!(evaluate(&normal(), &p), None);
        let o = Observations { pulse: Some(121), spo2: Some(91), ..normal() };
        assert_eq!(evaluate(&o, &p).as_deref(), Some("outside the unit's limits: HR 121 > 120, SpO2 91 < 92"));
        assert!(Thresholds::from_json("{}").unwrap_err().contains("at least one"));
        assert!(Thresholds::from_json(r#"{"hr_above":50,"hr_below":120}"#).unwrap_err().contains("less than"));
        assert!(Thresholds::from_json(r#"{"hr_above":1200}"#).is_err());
        assert!(Thresholds::from_json(r#"{"pulse_above":120}"#).is_err(), "unknown fields are refused");
    }

    fn limits() -> Thresholds {
        Thresholds {
            hr_above: Some(120),
            hr_below: Some(50),
            sbp_above: Some(180),
            sbp_below: Some(90),
            rr_above: Some(24),
            rr_below: Some(10),
            spo2_below: Some(92),
            temp_above: Some(38.5),
            temp_below: Some(35.0),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every value inside its limits (inclusive edges): never an alert.
        #[test]
        fn inside_every_limit_never_alerts(hr in 50u16..=120, sbp in 90u16..=180, rr in 10u16..=24,
                                           spo2 in 92u16..=100, t in 350i32..=385) {
            let o = Observations { pulse: Some(hr), systolic_bp: Some(sbp), respiration_rate: Some(rr),
                                   spo2: Some(spo2), temperature: Some(Tenths::new(t)), ..normal() };
            prop_assert_eq!(evaluate(&o, &Policy::Thresholds(limits())), None);
        }

        /// One value outside its limit, the others inside: always an alert naming it.
        #[test]
        fn one_outside_always_alerts(which in 0usize..9, delta in 1u16..30) {
            let mut o = normal();
            let name = match which {
                0 => { o.pulse = Some(120 + delta); "HR" }
                1 => { o.pulse = Some(50 - delta.min(25)); "HR" }
                2 => { o.systolic_bp = Some(180 + delta); "SBP" }
                3 => { o.systolic_bp = Some(90 - delta); "SBP" }
                4 => { o.respiration_rate = Some(24 + delta); "RR" }
                5 => { o.respiration_rate = Some(10 - delta.min(8)); "RR" }
                6 => { o.spo2 = Some(92 - delta); "SpO2" }
                7 => { o.temperature = Some(Tenths::new(385 + i32::from(delta))); "T" }
                _ => { o.temperature = Some(Tenths::new(350 - i32::from(delta))); "T" }
            };
            let alert = evaluate(&o, &Policy::Thresholds(limits()));
            prop_assert!(alert.as_ref().is_some_and(|a| a.contains(name)), "{:?}", alert);
        }
    }
}
