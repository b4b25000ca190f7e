//! The medication record and vital signs of the simulated ward (schema version 6): each detox
//! stay's orders as a prescriber writes them on admission (a symptom-triggered PRN on the stay's
//! scale, a fixed taper for most benzodiazepine withdrawals, thiamine for alcohol), every
//! scheduled dose given, held or refused at its time, the PRNs the ladder prompts given against
//! the PRN order, and vital-sign sets on their own every few hours.
//!
//! The doses are the generator's, not advice: the software never proposes a drug or a dose
//! (REFERENCE.md §9); these are the example orders of REFERENCE.md §9 written into a fictitious
//! ward.
use super::*;
use crate::domain::news2::{Breathing, Consciousness, News2Total, Observations};
use crate::store::bulk::{MedAdminRow, OrderRow, VitalSignRow};

/// A taper step: `(dose, every_hours, doses)`.
type StepDef = (&'static str, u32, u32);
/// A taper as ordered: the drug and its steps `(dose, every_hours, doses)`.
type Taper = (&'static str, Vec<(String, u32, u32)>);

/// Chlordiazepoxide on a written schedule over several days (REFERENCE.md §9, "fixed-schedule
/// taper").
const ALCOHOL_TAPER: (&str, &[StepDef]) =
    ("chlordiazepoxide", &[("50 mg", 6, 4), ("25 mg", 6, 4), ("25 mg", 12, 2), ("10 mg", 12, 2)]);
/// A diazepam taper for benzodiazepine withdrawal (TODO(clinical): REFERENCE.md §9 names the
/// pattern, not a schedule; this one is the generator's).
const BENZO_TAPER: (&str, &[StepDef]) =
    ("diazepam", &[("10 mg", 6, 8), ("10 mg", 8, 6), ("5 mg", 8, 6), ("5 mg", 12, 4)]);
/// The long stay's taper: 32 steps of six days, q12h, 15 mg down to 1 mg, so that it still runs
/// at `now` (the stay was admitted 180 days before).
const LONG_TAPER_STEPS: u32 = 32;
/// Share of CIWA-Ar and CIWA-B stays with a fixed taper beside the PRN.
const TAPER_SHARE: f64 = 0.7;
/// REFERENCE.md §9: "lorazepam 1-2 mg PO when CIWA-Ar >= 8, may repeat q1h"; buprenorphine
/// induction "when COWS >= the ordered threshold, commonly 8". TODO(clinical): CIWA-B's trigger
/// is not in the reference; the generator's orders use 8 as well.
const PRN_MIN_SCORE: u16 = 8;
const PRN_REPEAT_MIN: u32 = 60;
const PRN_MAX_24H: u32 = 6;
/// REFERENCE.md §9: "hold if RASS <= -2, RR < 12" (the sedating orders carry both).
const HOLD_RASS: i32 = -2;
const HOLD_RR: i32 = 12;
/// Vital signs on their own: every 4 h on a withdrawal protocol, every 8 h otherwise
/// (TODO(clinical): the unit's frequency; the generator's choice).
const VITALS_EVERY_PROTOCOL: i64 = 4 * HOUR;
const VITALS_EVERY_OTHER: i64 = 8 * HOUR;
/// Doses due this close to `now` are still to be given (the due list has something on it).
const NOT_YET_GIVEN: i64 = 40 * MINUTE;
const PRESCRIBERS: [&str; 4] = ["Dr. A. Whitfield", "Dr. R. Natarajan", "Dr. L. Moreau", "Dr. K. Osei"];

/// A scheduled dose to record: order, due time, dose, whether the order has hold parameters.
pub(super) struct DueDose {
    order: i64,
    due: i64,
    dose: String,
    route: &'static str,
    holds: bool,
}

/// A stay's orders while the queue runs.
#[derive(Default)]
pub(super) struct StayMeds {
    orders: Vec<i64>,
    /// The PRN order on the stay's scale.
    pub(super) prn: Option<i64>,
    /// Scheduled and taper doses, in due order.
    doses: Vec<DueDose>,
    /// PRN doses given in the last 24 h.
    prn_given: Vec<i64>,
}

impl Sim<'_, '_> {
    /// The admission orders of stay `i`, admitted at `t`; schedules its doses and vital signs.
    pub(super) fn order_on_admission(&mut self, i: usize, t: i64) -> Result<()> {
        let s = &self.stays[i];
        let (stay_id, end, protocol, long) = (s.id, s.end(self.now), s.protocol(), s.kind == people::StayKind::Long);
        let by = self.roster.charge;
        let patient = self.patient_id(i);
        let mut rng = Rng::new(self.plan.seed, 9_000_000 + stay_id as u64);
        let first_vitals = t + rng.range(15 * MINUTE, 45 * MINUTE);
        if first_vitals < end {
            self.push(first_vitals, Event::Vitals(i));
        }
        let Some(scale_ix) = scales::ALL.iter().position(|sc| sc.key == protocol) else { return Ok(()) };
        let ordered = t + rng.range(20 * MINUTE, 50 * MINUTE);
        if ordered >= end {
            return Ok(());
        }
        let entered = (ordered + rng.range(2 * MINUTE, 10 * MINUTE)).min(self.now).max(ordered);
        let (ordered_s, entered_s) = (Ts::new(ordered), Ts::new(entered));
        let prescriber = *rng.pick(&PRESCRIBERS);
        let mut meds = StayMeds::default();

        // The symptom-triggered PRN on the stay's scale.
        let (drug, dose) = self.conf[scale_ix].prn;
        let id = self.next_order();
        let indication = match protocol {
            "cows" => "opioid withdrawal",
            _ => "withdrawal symptoms",
        };
        self.out.order(&OrderRow {
            id,
            stay_id,
            kind: "prn",
            drug,
            dose,
            route: "PO",
            every: None,
            prn: Some((indication, protocol, PRN_MIN_SCORE, PRN_REPEAT_MIN, PRN_MAX_24H)),
            hold_rass_at_or_below: Some(HOLD_RASS),
            hold_rr_below: Some(HOLD_RR),
            prescriber,
            ordered_at: ordered_s.as_str(),
            entered_by: by,
            entered_at: entered_s.as_str(),
        })?;
        self.audit(entered, by, "order.enter", Some(patient), &format!("order {id}: {drug} {dose} prn"))?;
        meds.orders.push(id);
        meds.prn = Some(id);

        // A fixed taper for most benzodiazepine and alcohol withdrawals; the long stay's runs 180 days.
        let start = (ordered / HOUR + 1) * HOUR;
        let taper: Option<Taper> = if long {
            let steps = (0..LONG_TAPER_STEPS).map(|k| (format!("{} mg", 15 - k * 14 / (LONG_TAPER_STEPS - 1)), 12, 12));
            Some((BENZO_TAPER.0, steps.collect()))
        } else if protocol != "cows" && rng.chance(TAPER_SHARE) {
            let (drug, steps) = if protocol == "ciwa-ar" { ALCOHOL_TAPER } else { BENZO_TAPER };
            Some((drug, steps.iter().map(|(d, e, n)| (d.to_string(), *e, *n)).collect()))
        } else {
            None
        };
        if let Some((drug, steps)) = taper {
            let id = self.next_order();
            self.out.order(&OrderRow {
                id,
                stay_id,
                kind: "taper",
                drug,
                dose: "per taper steps",
                route: "PO",
                every: None,
                prn: None,
                hold_rass_at_or_below: Some(HOLD_RASS),
                hold_rr_below: Some(HOLD_RR),
                prescriber,
                ordered_at: ordered_s.as_str(),
                entered_by: by,
                entered_at: entered_s.as_str(),
            })?;
            let mut at = start;
            for (seq, (dose, every, n)) in steps.into_iter().enumerate() {
                self.out.order_step(id, seq as u32 + 1, Ts::new(at).as_str(), &dose, every, n)?;
                for _ in 0..n {
                    if at < end {
                        meds.doses.push(DueDose { order: id, due: at, dose: dose.clone(), route: "PO", holds: true });
                    }
                    at += i64::from(every) * HOUR;
                }
            }
            self.audit(
                entered,
                by,
                "order.enter",
                Some(patient),
                &format!("order {id}: {drug} per taper steps taper"),
            )?;
            meds.orders.push(id);
        }

        // Thiamine for alcohol withdrawal (an adjunct, REFERENCE.md §9), daily at 09:00 EST.
        if protocol == "ciwa-ar" {
            let id = self.next_order();
            let first = (start - 14 * HOUR).div_euclid(DAY) * DAY + 14 * HOUR + DAY;
            self.out.order(&OrderRow {
                id,
                stay_id,
                kind: "scheduled",
                drug: "thiamine",
                dose: "100 mg",
                route: "PO",
                every: Some((24, Ts::new(first).as_str())),
                prn: None,
                hold_rass_at_or_below: None,
                hold_rr_below: None,
                prescriber,
                ordered_at: ordered_s.as_str(),
                entered_by: by,
                entered_at: entered_s.as_str(),
            })?;
            let mut at = first;
            while at < end {
                meds.doses.push(DueDose { order: id, due: at, dose: "100 mg".into(), route: "PO", holds: false });
                at += DAY;
            }
            self.audit(entered, by, "order.enter", Some(patient), &format!("order {id}: thiamine 100 mg scheduled"))?;
            meds.orders.push(id);
        }
        meds.doses.sort_by_key(|d| d.due);
        self.summary.orders += meds.orders.len() as u64;
        if let Some(first) = meds.doses.first() {
            self.push(first.due, Event::Dose(i, 0));
        }
        self.meds[i] = Some(meds);
        Ok(())
    }

    fn next_order(&mut self) -> i64 {
        self.next_order += 1;
        self.next_order
    }

    /// The `k`th scheduled dose of stay `i`: given, held or refused near its time.
    pub(super) fn dose(&mut self, i: usize, k: usize) -> Result<()> {
        let (stay_id, bed, end) = (self.stays[i].id, self.stays[i].bed, self.stays[i].end(self.now));
        let patient = self.patient_id(i);
        let nurse = self.roster.nurse_for(bed);
        let Some(meds) = self.meds[i].as_ref() else { return Ok(()) };
        let Some(d) = meds.doses.get(k) else { return Ok(()) };
        let (order, due, holds) = (d.order, d.due, d.holds);
        let dose = d.dose.clone();
        let route = d.route;
        let next = meds.doses.get(k + 1).map(|n| n.due);
        let mut rng = Rng::new(self.plan.seed, 20_000_000 + (stay_id as u64) * 1_000 + k as u64);
        if let Some(n) = next {
            self.push(n, Event::Dose(i, k + 1));
        }
        if due >= self.now - NOT_YET_GIVEN || due >= end {
            return Ok(());
        }
        let at = (due + rng.range(-10 * MINUTE, 30 * MINUTE)).min(self.now).min(end);
        let recorded = (at + rng.range(MINUTE, 6 * MINUTE)).min(self.now).max(at);
        let roll = rng.below(100);
        let rr = 14 + rng.below(6) as i32;
        let (outcome, given, reason, values) = if roll < 2 {
            ("refused", None, Some("declined the dose; will offer again"), String::from("{}"))
        } else if holds && roll < 5 {
            ("held", None, Some("RASS -2: held per the order's hold parameters"), format!(r#"{{"rass":-2,"rr":{rr}}}"#))
        } else if holds {
            ("given", Some((dose.as_str(), route)), None, format!(r#"{{"rass":{},"rr":{rr}}}"#, -(rng.below(2) as i32)))
        } else {
            ("given", Some((dose.as_str(), route)), None, String::from("{}"))
        };
        self.out.med_admin(&MedAdminRow {
            order_id: order,
            stay_id,
            due_at: Some(Ts::new(due).as_str()),
            outcome,
            given,
            at: Ts::new(at).as_str(),
            recorded_at: Ts::new(recorded).as_str(),
            by_user: nurse,
            identified_by: if rng.chance(0.7) { "wristband" } else { "name+dob" },
            hold_values: &values,
            reason,
            assessment_id: None,
            reassess_due_at: None,
        })?;
        self.summary.administrations += 1;
        self.audit(recorded, nurse, "med.admin", Some(patient), &format!("order {order} {outcome}"))
    }

    /// A PRN the ladder prompted, given against the stay's PRN order when the score meets the
    /// order's trigger and its repeat interval and 24-hour maximum allow (the store refuses it
    /// otherwise). Returns whether it was given.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn prn_dose(
        &mut self,
        i: usize,
        assessment: i64,
        total: Option<u16>,
        at: i64,
        reassess: i64,
        nurse: i64,
        dose: &str,
        rass: i32,
    ) -> Result<bool> {
        let (stay_id, patient) = (self.stays[i].id, self.patient_id(i));
        let Some(meds) = self.meds[i].as_mut() else { return Ok(false) };
        let Some(order) = meds.prn else { return Ok(false) };
        if total.is_none_or(|t| t < PRN_MIN_SCORE) {
            return Ok(false);
        }
        meds.prn_given.retain(|g| *g > at - DAY);
        if meds.prn_given.len() as u32 >= PRN_MAX_24H
            || meds.prn_given.last().is_some_and(|g| at - g < i64::from(PRN_REPEAT_MIN) * MINUTE)
        {
            return Ok(false);
        }
        meds.prn_given.push(at);
        let recorded = (at + 2 * MINUTE).min(self.now).max(at);
        let values = format!(r#"{{"rass":{rass},"rr":{}}}"#, 14 + (assessment % 6));
        self.out.med_admin(&MedAdminRow {
            order_id: order,
            stay_id,
            due_at: None,
            outcome: "given",
            given: Some((dose, "PO")),
            at: Ts::new(at).as_str(),
            recorded_at: Ts::new(recorded).as_str(),
            by_user: nurse,
            identified_by: if assessment % 3 == 0 { "name+dob" } else { "wristband" },
            hold_values: &values,
            reason: None,
            assessment_id: Some(assessment),
            reassess_due_at: Some(Ts::new(reassess).as_str()),
        })?;
        self.summary.administrations += 1;
        self.summary.prns += 1;
        self.audit(recorded, nurse, "med.admin", Some(patient), &format!("order {order} given"))?;
        Ok(true)
    }

    /// A vital-sign set on its own, with its NEWS2; the next one scheduled.
    pub(super) fn vitals(&mut self, i: usize, t: i64) -> Result<()> {
        let s = &self.stays[i];
        let (stay_id, bed, end, protocol) = (s.id, s.bed, s.end(self.now), s.protocol() != "none");
        let nurse = self.roster.nurse_for(bed);
        let patient = self.patient_id(i);
        let mut rng = Rng::new(self.plan.seed, 30_000_000 + t as u64 * 7 + stay_id as u64);
        let hours = (t - s.admitted) as f64 / HOUR as f64;
        let curve = if protocol { (hours / 36.0) * (1.0 - hours / 36.0).exp() } else { 0.0 };
        let sym = (curve * 30.0) as u16;
        let v = Vitals {
            temp_c: Some(36.3 + rng.below(14) as f64 / 10.0),
            heart_rate: Some(66 + sym + rng.below(14) as u16),
            bp_systolic: Some(112 + sym + rng.below(28) as u16),
            bp_diastolic: Some(68 + sym / 3 + rng.below(16) as u16),
            resp_rate: Some(13 + rng.below(6) as u16),
            spo2: Some(95 + rng.below(5) as u16),
        };
        let obs = Observations::from_vitals(&v, Some(Breathing::Air), Some(Consciousness::Alert))
            .map_err(StoreError::Refused)?;
        let news2 = match obs.total() {
            News2Total::Complete { total, .. } => Some(total),
            News2Total::Incomplete { .. } => None,
        };
        // TODO(clinical): the default unit setting (news2, notify at 5) names the breach; the
        // generator raises no prompt for it (the prompts of the big ward are not generated).
        let alert = news2.filter(|n| *n >= 5).map(|n| format!("NEWS2 {n}: at or above the unit's notify level 5"));
        let recorded = (t + rng.range(MINUTE, 5 * MINUTE)).min(self.now).max(t);
        self.out.vital_sign(&VitalSignRow {
            stay_id,
            taken_at: Ts::new(t).as_str(),
            recorded_at: Ts::new(recorded).as_str(),
            by_user: nurse,
            vitals: v,
            consciousness: "alert",
            news2,
            alert: alert.as_deref(),
        })?;
        self.summary.vital_signs += 1;
        self.audit(recorded, nurse, "vitals.record", Some(patient), &format!("NEWS2 {}", news2.unwrap_or(0)))?;
        let every = if protocol { VITALS_EVERY_PROTOCOL } else { VITALS_EVERY_OTHER };
        let next = t + every + rng.range(-15 * MINUTE, 20 * MINUTE);
        if next < end {
            self.push(next, Event::Vitals(i));
        }
        Ok(())
    }

    /// On discharge, the stay's orders are discontinued.
    pub(super) fn stop_orders(&mut self, i: usize, at: i64, by: i64) -> Result<()> {
        let Some(meds) = self.meds[i].take() else { return Ok(()) };
        let patient = self.patient_id(i);
        for id in meds.orders {
            self.out.order_stop(id, Ts::new(at).as_str(), by, "discharged")?;
            self.audit(at, by, "order.stop", Some(patient), &format!("order {id}"))?;
        }
        Ok(())
    }
}
