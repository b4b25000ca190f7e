//! NEWS2, the aggregate early-warning score (Royal College of Physicians, 2017): REFERENCE.md §10.
//!
//! Points per parameter, the total and the response level, exactly as REFERENCE.md §10 lists
//! them. A parameter that was not measured is never scored: the total is then
//! [`News2Total::Incomplete`] and names what is missing (REFERENCE.md §10: "A missing parameter
//! makes the total incomplete: never score a parameter that was not measured").
//!
//! REFERENCE.md §10 also says a unit "may adopt it or set its own notify thresholds (unit
//! configuration)": whether NEWS2 is used at all is the caller's configuration, not decided here.
// TODO(clinical): REFERENCE.md §10 gives SpO2 scale 1 only; NEWS2's scale 2 (target 88-92% for
// hypercapnic respiratory failure) is not in the reference and is not implemented.
// TODO(clinical): REFERENCE.md §10 is silent on what an incomplete total means for escalation
// (for instance a partial sum already >= 7). An incomplete total carries no response level; it
// only names the measured parameters that scored 3 (a single 3 is "urgent ward review" whatever
// the others are).
// TODO(clinical): REFERENCE.md §10 bands temperature in tenths of a degree (35.0 / 35.1); a
// temperature with more decimals (e.g. converted from °F) is rounded to the nearest tenth first.

use std::fmt;

use super::vitals::{HR_RANGE, RR_RANGE, SBP_RANGE, SPO2_RANGE, TEMP_C_RANGE, Vitals};

/// Air or supplemental oxygen: REFERENCE.md §10 "air or oxygen: oxygen -> 2 · air -> 0".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Breathing {
    Air,
    Oxygen,
}

/// Level of consciousness: REFERENCE.md §10 "alert -> 0 · new confusion, voice, pain or
/// unresponsive (CVPU) -> 3".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Consciousness {
    Alert,
    NewConfusion,
    Voice,
    Pain,
    Unresponsive,
}

impl Consciousness {
    /// Every level, alert first then CVPU in the reference's order.
    pub const ALL: [Consciousness; 5] = [
        Consciousness::Alert,
        Consciousness::NewConfusion,
        Consciousness::Voice,
        Consciousness::Pain,
        Consciousness::Unresponsive,
    ];

    /// The reference's words (REFERENCE.md §10).
    pub fn label(self) -> &'static str {
        match self {
            Consciousness::Alert => "alert",
            Consciousness::NewConfusion => "new confusion",
            Consciousness::Voice => "voice",
            Consciousness::Pain => "pain",
            Consciousness::Unresponsive => "unresponsive",
        }
    }
}

/// A temperature in tenths of a degree Celsius, the resolution of REFERENCE.md §10's bands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(i32);

impl Tenths {
    /// From tenths of a degree: 365 is 36.5 °C.
    pub const fn new(tenths: i32) -> Self {
        Tenths(tenths)
    }

    /// From degrees Celsius, rounded to the nearest tenth (see the TODO(clinical) above); a
    /// value that is not a finite number or is outside 0-60 °C is refused with a message.
    pub fn from_celsius(c: f64) -> Result<Self, String> {
        if !c.is_finite() || !(0.0..=60.0).contains(&c) {
            return Err(format!("temperature {c} °C is not a body temperature"));
        }
        Ok(Tenths((c * 10.0).round() as i32))
    }

    /// The tenths of a degree.
    pub fn get(self) -> i32 {
        self.0
    }
}

/// One of the seven NEWS2 parameters, in REFERENCE.md §10's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Parameter {
    RespirationRate,
    Spo2,
    AirOrOxygen,
    SystolicBp,
    Pulse,
    Consciousness,
    Temperature,
}

impl Parameter {
    /// The seven parameters in the reference's order.
    pub const ALL: [Parameter; 7] = [
        Parameter::RespirationRate,
        Parameter::Spo2,
        Parameter::AirOrOxygen,
        Parameter::SystolicBp,
        Parameter::Pulse,
        Parameter::Consciousness,
        Parameter::Temperature,
    ];

    /// The reference's name for the parameter (REFERENCE.md §10).
    pub fn label(self) -> &'static str {
        match self {
            Parameter::RespirationRate => "respiration rate",
            Parameter::Spo2 => "SpO2 (scale 1)",
            Parameter::AirOrOxygen => "air or oxygen",
            Parameter::SystolicBp => "systolic BP",
            Parameter::Pulse => "pulse",
            Parameter::Consciousness => "consciousness",
            Parameter::Temperature => "temperature",
        }
    }
}

impl fmt::Display for Parameter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// REFERENCE.md §10: respiration rate "<= 8 -> 3 · 9-11 -> 1 · 12-20 -> 0 · 21-24 -> 2 · >= 25 -> 3".
pub fn respiration_points(rr: u16) -> u8 {
    match rr {
        0..=8 => 3,
        9..=11 => 1,
        12..=20 => 0,
        21..=24 => 2,
        _ => 3,
    }
}

/// REFERENCE.md §10: SpO2 (scale 1) "<= 91 -> 3 · 92-93 -> 2 · 94-95 -> 1 · >= 96 -> 0".
pub fn spo2_points(spo2: u16) -> u8 {
    match spo2 {
        0..=91 => 3,
        92..=93 => 2,
        94..=95 => 1,
        _ => 0,
    }
}

/// REFERENCE.md §10: "air or oxygen: oxygen -> 2 · air -> 0".
pub fn breathing_points(b: Breathing) -> u8 {
    match b {
        Breathing::Oxygen => 2,
        Breathing::Air => 0,
    }
}

/// REFERENCE.md §10: systolic BP "<= 90 -> 3 · 91-100 -> 2 · 101-110 -> 1 · 111-219 -> 0 ·
/// >= 220 -> 3".
pub fn systolic_points(sbp: u16) -> u8 {
    match sbp {
        0..=90 => 3,
        91..=100 => 2,
        101..=110 => 1,
        111..=219 => 0,
        _ => 3,
    }
}

/// REFERENCE.md §10: pulse "<= 40 -> 3 · 41-50 -> 1 · 51-90 -> 0 · 91-110 -> 1 · 111-130 -> 2 ·
/// >= 131 -> 3".
pub fn pulse_points(pulse: u16) -> u8 {
    match pulse {
        0..=40 => 3,
        41..=50 => 1,
        51..=90 => 0,
        91..=110 => 1,
        111..=130 => 2,
        _ => 3,
    }
}

/// REFERENCE.md §10: "alert -> 0 · new confusion, voice, pain or unresponsive (CVPU) -> 3".
pub fn consciousness_points(c: Consciousness) -> u8 {
    match c {
        Consciousness::Alert => 0,
        Consciousness::NewConfusion | Consciousness::Voice | Consciousness::Pain | Consciousness::Unresponsive => 3,
    }
}

/// REFERENCE.md §10: temperature "<= 35.0 -> 3 · 35.1-36.0 -> 1 · 36.1-38.0 -> 0 · 38.1-39.0 -> 1
/// · >= 39.1 -> 2" (in tenths of a degree).
pub fn temperature_points(t: Tenths) -> u8 {
    match t.0 {
        i32::MIN..=350 => 3,
        351..=360 => 1,
        361..=380 => 0,
        381..=390 => 1,
        _ => 2,
    }
}

/// One set of observations; `None` where the parameter was not measured (never a default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Observations {
    pub respiration_rate: Option<u16>,
    pub spo2: Option<u16>,
    pub breathing: Option<Breathing>,
    pub systolic_bp: Option<u16>,
    pub pulse: Option<u16>,
    pub consciousness: Option<Consciousness>,
    pub temperature: Option<Tenths>,
}

impl Observations {
    /// The NEWS2 parameters of checked [`Vitals`] (the ward's vital-sign entry) with the two a
    /// vital-sign set does not hold; a parameter not taken stays `None` (never a default).
    pub fn from_vitals(
        v: &Vitals,
        breathing: Option<Breathing>,
        consciousness: Option<Consciousness>,
    ) -> Result<Observations, String> {
        let temperature = v.temp_c.map(Tenths::from_celsius).transpose()?;
        let o = Observations {
            respiration_rate: v.resp_rate,
            spo2: v.spo2,
            breathing,
            systolic_bp: v.bp_systolic,
            pulse: v.heart_rate,
            consciousness,
            temperature,
        };
        o.check()?;
        Ok(o)
    }

    /// Refuses a value no patient has (outside the ward's plausible ranges in
    /// [`crate::domain::vitals`], e.g. SpO2 above 100), so a typo is never scored.
    pub fn check(&self) -> Result<(), String> {
        let whole = [
            (Parameter::RespirationRate, self.respiration_rate, RR_RANGE),
            (Parameter::Spo2, self.spo2, SPO2_RANGE),
            (Parameter::SystolicBp, self.systolic_bp, SBP_RANGE),
            (Parameter::Pulse, self.pulse, HR_RANGE),
        ];
        for (param, value, (lo, hi)) in whole {
            if let Some(v) = value
                && !(lo..=hi).contains(&v)
            {
                return Err(format!("NEWS2: {param} {v} is not plausible (expected {lo}-{hi}); check for a typo"));
            }
        }
        if let Some(t) = self.temperature {
            let (lo, hi) = TEMP_C_RANGE;
            let c = f64::from(t.get()) / 10.0;
            if !(lo..=hi).contains(&c) {
                return Err(format!("NEWS2: temperature {c:.1} °C is not plausible (expected {lo}-{hi})"));
            }
        }
        Ok(())
    }

    /// Each parameter's points in REFERENCE.md §10's order; `None` where it was not measured.
    pub fn points(&self) -> [(Parameter, Option<u8>); 7] {
        [
            (Parameter::RespirationRate, self.respiration_rate.map(respiration_points)),
            (Parameter::Spo2, self.spo2.map(spo2_points)),
            (Parameter::AirOrOxygen, self.breathing.map(breathing_points)),
            (Parameter::SystolicBp, self.systolic_bp.map(systolic_points)),
            (Parameter::Pulse, self.pulse.map(pulse_points)),
            (Parameter::Consciousness, self.consciousness.map(consciousness_points)),
            (Parameter::Temperature, self.temperature.map(temperature_points)),
        ]
    }

    /// The NEWS2 total, or what keeps it from being one.
    pub fn total(&self) -> News2Total {
        let points = self.points();
        let scored_three: Vec<Parameter> =
            points.iter().filter(|(_, p)| *p == Some(3)).map(|(param, _)| *param).collect();
        let missing: Vec<Parameter> = points.iter().filter(|(_, p)| p.is_none()).map(|(param, _)| *param).collect();
        if !missing.is_empty() {
            return News2Total::Incomplete { missing, scored_three };
        }
        let total: u8 = points.iter().filter_map(|(_, p)| *p).sum();
        News2Total::Complete { total, response: Response::of(total, !scored_three.is_empty()) }
    }
}

/// The NEWS2 total: complete with its response, or incomplete (never 0 for a missing parameter).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum News2Total {
    /// Every parameter measured: the total (0-20) and the response level.
    Complete { total: u8, response: Response },
    /// At least one parameter not measured: no total. `missing` names them in the reference's
    /// order; `scored_three` names the measured parameters that scored 3 (see the
    /// TODO(clinical) at the top of this file).
    Incomplete { missing: Vec<Parameter>, scored_three: Vec<Parameter> },
}

impl News2Total {
    /// The total when every parameter was measured.
    pub fn complete(&self) -> Option<u8> {
        match self {
            News2Total::Complete { total, .. } => Some(*total),
            News2Total::Incomplete { .. } => None,
        }
    }
}

impl fmt::Display for News2Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            News2Total::Complete { total, response } => write!(f, "NEWS2 {total}: {}", response.label()),
            News2Total::Incomplete { missing, .. } => {
                let names: Vec<&str> = missing.iter().map(|p| p.label()).collect();
                write!(f, "NEWS2 incomplete: not measured {}", names.join(", "))
            }
        }
    }
}

/// The response level: REFERENCE.md §10 "total 0 routine; 1-4 low (ward assessment); a single
/// parameter scoring 3: urgent ward review; 5-6 medium (urgent response); >= 7 high (emergency
/// response)".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Response {
    Routine,
    Low,
    UrgentWardReview,
    Medium,
    High,
}

impl Response {
    /// The level for a complete `total`; `any_three` is whether a single parameter scored 3.
    /// A single 3 raises a low total (1-4) to urgent ward review; it does not lower a medium or
    /// high total (REFERENCE.md §10 lists it between low and medium).
    pub fn of(total: u8, any_three: bool) -> Response {
        match total {
            7.. => Response::High,
            5..=6 => Response::Medium,
            _ if any_three => Response::UrgentWardReview,
            1..=4 => Response::Low,
            0 => Response::Routine,
        }
    }

    /// The reference's words (REFERENCE.md §10).
    pub fn label(self) -> &'static str {
        match self {
            Response::Routine => "routine",
            Response::Low => "low (ward assessment)",
            Response::UrgentWardReview => "urgent ward review",
            Response::Medium => "medium (urgent response)",
            Response::High => "high (emergency response)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// REFERENCE.md §10's bands as (low, high, points), written out independently of the match
    /// arms above; `u16::MAX` stands for "and above".
    const RR: &[(u16, u16, u8)] = &[(0, 8, 3), (9, 11, 1), (12, 20, 0), (21, 24, 2), (25, u16::MAX, 3)];
    const SPO2: &[(u16, u16, u8)] = &[(0, 91, 3), (92, 93, 2), (94, 95, 1), (96, u16::MAX, 0)];
    const SBP: &[(u16, u16, u8)] = &[(0, 90, 3), (91, 100, 2), (101, 110, 1), (111, 219, 0), (220, u16::MAX, 3)];
    const PULSE: &[(u16, u16, u8)] =
        &[(0, 40, 3), (41, 50, 1), (51, 90, 0), (91, 110, 1), (111, 130, 2), (131, u16::MAX, 3)];
    const TEMP: &[(i32, i32, u8)] = &[(0, 350, 3), (351, 360, 1), (361, 380, 0), (381, 390, 1), (391, 600, 2)];

    fn expected<T: PartialOrd + Copy>(bands: &[(T, T, u8)], v: T) -> u8 {
        bands.iter().find(|(lo, hi, _)| *lo <= v && v <= *hi).map(|b| b.2).expect("bands cover the range")
    }

    /// Each band's edges and one past each edge, checked against the table.
    fn edges(bands: &[(u16, u16, u8)], f: fn(u16) -> u8) {
        for &(lo, hi, pts) in bands {
            assert_eq!(f(lo), pts, "low edge {lo}");
            assert_eq!(f(hi), pts, "high edge {hi}");
            if lo > 0 {
                assert_eq!(f(lo - 1), expected(bands, lo - 1), "one below {lo}");
                assert_ne!(f(lo - 1), pts, "one below {lo} is another band");
            }
            if hi < u16::MAX {
                assert_eq!(f(hi + 1), expected(bands, hi + 1), "one past {hi}");
            }
        }
    }

    #[test]
    fn band_edges_and_one_past() {
        edges(RR, respiration_points);
        edges(SPO2, spo2_points);
        edges(SBP, systolic_points);
        edges(PULSE, pulse_points);
        for &(lo, hi, pts) in TEMP {
            assert_eq!(temperature_points(Tenths(lo)), pts, "{lo}");
            assert_eq!(temperature_points(Tenths(hi)), pts, "{hi}");
            assert_eq!(temperature_points(Tenths(hi + 1)), expected(TEMP, (hi + 1).min(600)), "{hi}+1");
        }
        // Spelled out from REFERENCE.md §10 at the edges a nurse meets.
        assert_eq!((respiration_points(8), respiration_points(9)), (3, 1));
        assert_eq!((respiration_points(20), respiration_points(21)), (0, 2));
        assert_eq!((respiration_points(24), respiration_points(25)), (2, 3));
        assert_eq!((spo2_points(95), spo2_points(96)), (1, 0));
        assert_eq!((systolic_points(219), systolic_points(220)), (0, 3));
        assert_eq!((pulse_points(130), pulse_points(131)), (2, 3));
        assert_eq!((temperature_points(Tenths(380)), temperature_points(Tenths(381))), (0, 1));
        assert_eq!((temperature_points(Tenths(390)), temperature_points(Tenths(391))), (1, 2));
    }

    #[test]
    fn oxygen_and_consciousness() {
        assert_eq!(breathing_points(Breathing::Oxygen), 2);
        assert_eq!(breathing_points(Breathing::Air), 0);
        assert_eq!(consciousness_points(Consciousness::Alert), 0);
        for c in &Consciousness::ALL[1..] {
            assert_eq!(consciousness_points(*c), 3, "{c:?}");
        }
    }

    #[test]
    fn temperature_from_celsius_rounds_to_tenths_and_refuses_nonsense() {
        assert_eq!(Tenths::from_celsius(35.0), Ok(Tenths(350)));
        assert_eq!(Tenths::from_celsius(36.04), Ok(Tenths(360)));
        assert_eq!(Tenths::from_celsius(36.06), Ok(Tenths(361)));
        for bad in [f64::NAN, f64::INFINITY, -1.0, 100.0] {
            assert!(Tenths::from_celsius(bad).is_err(), "{bad}");
        }
    }

    fn normal() -> Observations {
        Observations {
            respiration_rate: Some(16),
            spo2: Some(98),
            breathing: Some(Breathing::Air),
            systolic_bp: Some(120),
            pulse: Some(70),
            consciousness: Some(Consciousness::Alert),
            temperature: Some(Tenths(370)),
        }
    }

    #[test]
    fn a_missing_parameter_makes_the_total_incomplete_never_zero() {
        assert_eq!(normal().total(), News2Total::Complete { total: 0, response: Response::Routine });
        let mut o = normal();
        o.temperature = None;
        o.spo2 = None;
        assert_eq!(
            o.total(),
            News2Total::Incomplete { missing: vec![Parameter::Spo2, Parameter::Temperature], scored_three: vec![] }
        );
        assert_eq!(o.total().complete(), None);
        assert_eq!(o.total().to_string(), "NEWS2 incomplete: not measured SpO2 (scale 1), temperature");
        let none = Observations::default().total();
        assert!(matches!(none, News2Total::Incomplete { ref missing, .. } if missing.len() == 7));
        o.respiration_rate = Some(30);
        assert!(
            matches!(o.total(), News2Total::Incomplete { scored_three, .. } if scored_three == [Parameter::RespirationRate])
        );
    }

    #[test]
    fn from_vitals_keeps_what_was_not_taken_missing_and_refuses_implausible_values() {
        let v = Vitals {
            temp_c: Some(38.14),
            heart_rate: Some(112),
            bp_systolic: Some(118),
            bp_diastolic: Some(70),
            resp_rate: Some(22),
            spo2: None,
        };
        let o = Observations::from_vitals(&v, Some(Breathing::Air), None).expect("plausible");
        assert_eq!(o.temperature, Some(Tenths(381)));
        assert_eq!(o.pulse, Some(112));
        assert!(
            matches!(o.total(), News2Total::Incomplete { missing, .. } if missing == [Parameter::Spo2, Parameter::Consciousness])
        );
        let mut typo = normal();
        typo.spo2 = Some(990);
        assert!(typo.check().unwrap_err().contains("SpO2 (scale 1) 990"));
        typo.spo2 = Some(101);
        assert!(typo.check().is_err());
        let mut cold = normal();
        cold.temperature = Some(Tenths(290));
        assert!(cold.check().is_err());
        assert_eq!(normal().check(), Ok(()));
    }

    #[test]
    fn response_levels() {
        assert_eq!(Response::of(0, false), Response::Routine);
        assert_eq!(Response::of(1, false), Response::Low);
        assert_eq!(Response::of(4, false), Response::Low);
        assert_eq!(Response::of(3, true), Response::UrgentWardReview);
        assert_eq!(Response::of(4, true), Response::UrgentWardReview);
        assert_eq!(Response::of(5, false), Response::Medium);
        assert_eq!(Response::of(6, true), Response::Medium);
        assert_eq!(Response::of(7, false), Response::High);
        assert_eq!(Response::of(20, true), Response::High);
        let mut o = normal();
        o.consciousness = Some(Consciousness::Voice);
        assert_eq!(o.total(), News2Total::Complete { total: 3, response: Response::UrgentWardReview });
        assert_eq!(o.total().to_string(), "NEWS2 3: urgent ward review");
        o.breathing = Some(Breathing::Oxygen);
        o.pulse = Some(95);
        assert_eq!(o.total(), News2Total::Complete { total: 6, response: Response::Medium });
        o.spo2 = Some(93);
        assert_eq!(o.total(), News2Total::Complete { total: 8, response: Response::High });
    }

    proptest! {
        #[test]
        fn each_parameter_matches_the_reference_table(v in any::<u16>(), t in 0i32..=600) {
            prop_assert_eq!(respiration_points(v), expected(RR, v));
            prop_assert_eq!(spo2_points(v), expected(SPO2, v));
            prop_assert_eq!(systolic_points(v), expected(SBP, v));
            prop_assert_eq!(pulse_points(v), expected(PULSE, v));
            prop_assert_eq!(temperature_points(Tenths(t)), expected(TEMP, t));
        }

        /// Near every band edge (edge - 1, edge, edge + 1), the total is the sum of the table's
        /// points and the response follows REFERENCE.md §10.
        #[test]
        fn totals_near_band_edges(
            rr in prop::sample::select(vec![7u16, 8, 9, 10, 11, 12, 13, 19, 20, 21, 22, 23, 24, 25, 26]),
            spo2 in prop::sample::select(vec![90u16, 91, 92, 93, 94, 95, 96, 97]),
            oxygen in any::<bool>(),
            sbp in prop::sample::select(vec![89u16, 90, 91, 99, 100, 101, 109, 110, 111, 218, 219, 220, 221]),
            pulse in prop::sample::select(vec![39u16, 40, 41, 49, 50, 51, 89, 90, 91, 109, 110, 111, 129, 130, 131, 132]),
            c in 0usize..5,
            t in prop::sample::select(vec![349i32, 350, 351, 359, 360, 361, 379, 380, 381, 389, 390, 391, 392]),
        ) {
            let o = Observations {
                respiration_rate: Some(rr),
                spo2: Some(spo2),
                breathing: Some(if oxygen { Breathing::Oxygen } else { Breathing::Air }),
                systolic_bp: Some(sbp),
                pulse: Some(pulse),
                consciousness: Some(Consciousness::ALL[c]),
                temperature: Some(Tenths(t)),
            };
            let parts = [
                expected(RR, rr), expected(SPO2, spo2), if oxygen { 2 } else { 0 }, expected(SBP, sbp),
                expected(PULSE, pulse), if c == 0 { 0 } else { 3 }, expected(TEMP, t),
            ];
            let sum: u8 = parts.iter().sum();
            let three = parts.contains(&3);
            let want = if sum >= 7 { Response::High } else if sum >= 5 { Response::Medium }
                else if three { Response::UrgentWardReview } else if sum >= 1 { Response::Low } else { Response::Routine };
            prop_assert_eq!(o.total(), News2Total::Complete { total: sum, response: want });
        }
    }
}
