//! The demo ward's medication orders, doses, vital signs and a call to the provider (issue 17,
//! point 8), recorded through the store as a nurse would: a symptom-triggered benzodiazepine
//! (given once after a high CIWA-Ar), a fixed chlordiazepoxide taper (one dose held for RASS -3,
//! and the call about it), a buprenorphine induction waiting on its COWS, adjuncts (thiamine,
//! one dose refused; ondansetron; clonidine with its holds), vital-sign sets, one of which prompts
//! the provider and is still open. Every drug and dose is an order the demo's prescriber "gave":
//! the software never proposes one (REFERENCE.md §9). All content is fictitious; every time is
//! before the demo's `now`.
use chrono::{DateTime, Duration, DurationRound, Utc};

use super::{DemoStay, PATIENTS};
use crate::domain::mar::{HoldValues, IdentityProof, NewAdministration, Outcome};
use crate::domain::news2::{Breathing, Consciousness};
use crate::domain::orders::{Holds, NewOrder, OrderMode, PrnRule, Schedule, Step};
use crate::domain::provider_call::NewCall;
use crate::domain::user::Staff;
use crate::domain::vitals::Vitals;
use crate::store::vitals::NewVitals;
use crate::store::{Result, Store};

/// The patient on the symptom-triggered lorazepam, given once after her CIWA-Ar (Hannah Lee).
pub const SYMPTOM_TRIGGERED: usize = 6;
/// The patient left without orders or vital-sign sets (Maria Delgado, bed 1): the tests of the
/// medication record and the flowsheet start there from nothing.
pub const NO_ORDERS: usize = 0;
/// The patient who refused her first thiamine (Grace Whitfield).
pub const REFUSED: usize = 9;
/// The patient on the fixed chlordiazepoxide taper, one dose held for RASS -3 (James O'Connor).
pub const TAPER: usize = 1;
/// The buprenorphine induction waiting on its COWS (Tomás Herrera).
pub const INDUCTION: usize = 3;
/// The patient whose vital signs prompt "notify provider", still open (Hannah Lee).
pub const OPEN_PROMPT: usize = 6;

fn order(drug: &str, dose: &str, route: &str, schedule: Schedule, holds: Holds, at: DateTime<Utc>) -> NewOrder {
    NewOrder {
        drug: drug.into(),
        dose: dose.into(),
        route: route.into(),
        schedule,
        holds,
        note: None,
        prescriber: "Dr. Patel".into(),
        ordered_at: at,
        mode: OrderMode::Written,
        read_back: false,
        replaces: None,
    }
}

fn who(s: &DemoStay) -> IdentityProof {
    let p = &PATIENTS[s.n];
    IdentityProof::NameDob { name: p.0.into(), dob: p.1.into() }
}

#[allow(clippy::too_many_arguments)]
fn dose(
    store: &mut Store,
    nurse: &Staff,
    s: &DemoStay,
    order_id: i64,
    due_at: Option<DateTime<Utc>>,
    outcome: Outcome,
    given: Option<(&str, &str)>,
    at: DateTime<Utc>,
    hold_values: HoldValues,
    reason: Option<&str>,
) -> Result<i64> {
    let a = NewAdministration {
        order_id,
        due_at,
        outcome,
        dose_given: given.map(|g| g.0.to_string()),
        route: given.map(|g| g.1.to_string()),
        at,
        proof: who(s),
        hold_values,
        override_reason: None,
        reason: reason.map(str::to_string),
        corrects: None,
    };
    store.record_administration(nurse, &a, at + Duration::minutes(2))
}

pub(super) fn record(store: &mut Store, nurses: &[Staff], stays: &[DemoStay], now: DateTime<Utc>) -> Result<()> {
    let nurse = &nurses[0];
    let night = &nurses[nurses.len() - 1];
    let hours = |h: i64| Duration::hours(h);
    for s in stays {
        // Whole seconds, as the record keeps times: a dose's due time must be one of its order's.
        let admitted = s.admitted_at.duration_trunc(Duration::seconds(1)).unwrap_or(s.admitted_at);
        let at = admitted + Duration::minutes(30);
        match s.n {
            SYMPTOM_TRIGGERED => {
                // REFERENCE.md §9's symptom-triggered pattern, as the prescriber wrote it.
                let rule = PrnRule {
                    indication: "CIWA-Ar >= 8, may repeat q1h, max 4 doses/24 h".into(),
                    trigger: Some(("ciwa-ar".into(), 8)),
                    repeat_minutes: Some(60),
                    max_per_24h: Some(4),
                };
                let holds = Holds { rass_at_or_below: Some(-2), rr_below: Some(12), ..Holds::default() };
                let id = store.enter_order(
                    nurse,
                    s.stay_id,
                    &order("lorazepam", "2 mg", "PO", Schedule::Prn(rule), holds, at),
                    at + Duration::minutes(5),
                )?;
                // Given after her latest score when that score met the order's threshold.
                if let Some((_, taken)) = s.last_score
                    && let Some(last) = store.last_score(s.stay_id, "ciwa-ar", taken)?
                    && last.total.is_some_and(|t| t >= 8)
                    && taken + Duration::minutes(10) < now
                {
                    let hv = HoldValues { rass: Some(0), rr: Some(18), ..HoldValues::default() };
                    dose(
                        store,
                        night,
                        s,
                        id,
                        None,
                        Outcome::Given,
                        Some(("2 mg", "PO")),
                        taken + Duration::minutes(5),
                        hv,
                        None,
                    )?;
                }
            }
            TAPER => {
                // A fixed taper as dated steps (REFERENCE.md §9: "chlordiazepoxide on a written
                // schedule over several days").
                let first = admitted + hours(2);
                let steps = vec![
                    Step { starts_at: first, dose: "50 mg".into(), every_hours: 6, doses: 4 },
                    Step { starts_at: first + hours(24), dose: "25 mg".into(), every_hours: 6, doses: 4 },
                    Step { starts_at: first + hours(48), dose: "25 mg".into(), every_hours: 12, doses: 2 },
                ];
                let holds = Holds { rass_at_or_below: Some(-2), rr_below: Some(12), ..Holds::default() };
                let id = store.enter_order(
                    nurse,
                    s.stay_id,
                    &order(
                        "chlordiazepoxide",
                        "50 mg tapering to 25 mg",
                        "PO",
                        Schedule::Taper(steps.clone()),
                        holds,
                        at,
                    ),
                    at + Duration::minutes(5),
                )?;
                let mut due: Vec<(DateTime<Utc>, String)> = Vec::new();
                for st in &steps {
                    for k in 0..st.doses {
                        due.push((st.starts_at + hours(i64::from(st.every_hours * k)), st.dose.clone()));
                    }
                }
                // Every dose due up to two hours ago recorded; the last of them held for RASS -3
                // with the call about it. The one due since is left for the nurse (overdue).
                let past: Vec<_> = due.into_iter().filter(|(t, _)| *t + hours(2) < now).collect();
                for (i, (t, d)) in past.iter().enumerate() {
                    let by = if i % 2 == 0 { nurse } else { night };
                    let at = *t + Duration::minutes(10);
                    if i + 1 == past.len() {
                        let hv = HoldValues { rass: Some(-3), rr: Some(14), ..HoldValues::default() };
                        dose(
                            store,
                            by,
                            s,
                            id,
                            Some(*t),
                            Outcome::Held,
                            None,
                            at,
                            hv,
                            Some("RASS -3: at or below the hold of -2"),
                        )?;
                        store.record_call(
                            by,
                            &NewCall {
                                stay_id: s.stay_id,
                                provider: "Dr. Patel (on call)".into(),
                                called_at: at + Duration::minutes(5),
                                reason:
                                    "S: chlordiazepoxide dose held, RASS -3. B: day 3 of taper. A: sedated, RR 14, \
                                         SpO2 96%. R: hold and review the taper?"
                                        .into(),
                                response: "Keep holding; reassess RASS in 2 h; call if RR < 12".into(),
                                new_order: None,
                                answers: Vec::new(),
                            },
                            at + Duration::minutes(12),
                        )?;
                    } else {
                        let hv = HoldValues { rass: Some(0), rr: Some(16), ..HoldValues::default() };
                        dose(store, by, s, id, Some(*t), Outcome::Given, Some((d, "PO")), at, hv, None)?;
                    }
                }
            }
            INDUCTION => {
                // Buprenorphine induction (REFERENCE.md §9: "first dose when COWS >= the ordered
                // threshold, commonly 8; re-dose per order after 1-2 h"): waiting on its COWS.
                let rule = PrnRule {
                    indication: "first dose when COWS >= 8; may repeat after 2 h, max 3 doses/24 h".into(),
                    trigger: Some(("cows".into(), 8)),
                    repeat_minutes: Some(120),
                    max_per_24h: Some(3),
                };
                store.enter_order(
                    nurse,
                    s.stay_id,
                    &order("buprenorphine", "4 mg", "SL", Schedule::Prn(rule), Holds::default(), at),
                    at + Duration::minutes(5),
                )?;
                let rule = PrnRule {
                    indication: "nausea or vomiting, may repeat q8h".into(),
                    trigger: None,
                    repeat_minutes: Some(480),
                    max_per_24h: Some(3),
                };
                store.enter_order(
                    nurse,
                    s.stay_id,
                    &order("ondansetron", "4 mg", "PO", Schedule::Prn(rule), Holds::default(), at),
                    at + Duration::minutes(6),
                )?;
                let rule = PrnRule {
                    indication: "COWS >= 5 (autonomic symptoms), may repeat q6h".into(),
                    trigger: Some(("cows".into(), 5)),
                    repeat_minutes: Some(360),
                    max_per_24h: Some(4),
                };
                let holds = Holds { sbp_below: Some(90), hr_below: Some(55), ..Holds::default() };
                store.enter_order(
                    nurse,
                    s.stay_id,
                    &order("clonidine", "0.1 mg", "PO", Schedule::Prn(rule), holds, at),
                    at + Duration::minutes(7),
                )?;
            }
            _ => {}
        }
        // Thiamine for every patient with alcohol among the substances (an adjunct, REFERENCE.md
        // §9), daily from admission; the first dose refused by one patient.
        if PATIENTS[s.n].3.contains("alcohol") && s.n != NO_ORDERS {
            let first = admitted + hours(1);
            let schedule = Schedule::Scheduled { every_hours: 24, first_due_at: first, ends_at: None };
            let id = store.enter_order(
                nurse,
                s.stay_id,
                &order("thiamine", "100 mg", "PO", schedule, Holds::default(), at),
                at + Duration::minutes(8),
            )?;
            let mut t = first;
            let mut k = 0;
            while t + hours(1) < now {
                let at = t + Duration::minutes(15);
                if s.n == REFUSED && k == 0 {
                    dose(
                        store,
                        nurse,
                        s,
                        id,
                        Some(t),
                        Outcome::Refused,
                        None,
                        at,
                        HoldValues::default(),
                        Some("says it makes her nauseous; will ask again"),
                    )?;
                } else {
                    dose(
                        store,
                        nurse,
                        s,
                        id,
                        Some(t),
                        Outcome::Given,
                        Some(("100 mg", "PO")),
                        at,
                        HoldValues::default(),
                        None,
                    )?;
                }
                t += hours(24);
                k += 1;
            }
        }
    }
    score_calls(store, nurses, stays, now)?;
    vitals(store, nurses, stays, now)
}

/// The protocol's "notify provider now" after a high score, answered: the demo's nurse called
/// the provider twenty minutes after each score that asked for it (one call answering each).
fn score_calls(store: &mut Store, nurses: &[Staff], stays: &[DemoStay], now: DateTime<Utc>) -> Result<()> {
    for s in stays {
        for p in store.open_prompts(s.stay_id)? {
            if p.source != "score" {
                continue;
            }
            let called_at = (p.raised_at + Duration::minutes(20)).min(now - Duration::minutes(1));
            let by = &nurses[(s.n + 1) % nurses.len()];
            store.record_call(
                by,
                &NewCall {
                    stay_id: s.stay_id,
                    provider: "Dr. Patel (on call)".into(),
                    called_at,
                    reason: format!("S: {}. B: withdrawal protocol. A: as scored. R: orders?", p.why),
                    response: "Continue the protocol and its PRN; call if worse".into(),
                    new_order: None,
                    answers: vec![p.id],
                },
                called_at + Duration::minutes(3),
            )?;
        }
    }
    Ok(())
}

/// A few vital-sign sets: normal ones, an incomplete one, and one that prompts "notify provider"
/// and is left open for the census and the handoff to show.
fn vitals(store: &mut Store, nurses: &[Staff], stays: &[DemoStay], now: DateTime<Utc>) -> Result<()> {
    let night = &nurses[nurses.len() - 1];
    for s in stays {
        let set = |hr, sbp, dbp, rr, spo2, temp: f64, b, c| NewVitals {
            stay_id: s.stay_id,
            taken_at: now - Duration::minutes(40 + 7 * s.n as i64),
            vitals: Vitals {
                temp_c: Some(temp),
                heart_rate: Some(hr),
                bp_systolic: Some(sbp),
                bp_diastolic: Some(dbp),
                resp_rate: Some(rr),
                spo2: Some(spo2),
            },
            breathing: b,
            consciousness: c,
            comment: None,
        };
        let v = match s.n {
            // NEWS2: RR 22 (2) + SpO2 95 (1) + pulse 118 (2) = 5, medium (REFERENCE.md §10).
            NO_ORDERS => continue,
            OPEN_PROMPT => set(118, 150, 92, 22, 95, 37.8, Some(Breathing::Air), Some(Consciousness::Alert)),
            // Taken without asking air or oxygen and consciousness: NEWS2 incomplete, never 0.
            4 => set(88, 132, 80, 16, 97, 36.8, None, None),
            n if n % 3 == 0 => {
                set(76 + n as u16, 124, 78, 16, 98, 36.7, Some(Breathing::Air), Some(Consciousness::Alert))
            }
            _ => continue,
        };
        store.record_vitals(night, &v, v.taken_at + Duration::minutes(3))?;
    }
    Ok(())
}
