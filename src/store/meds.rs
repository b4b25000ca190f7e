//! Medication orders and the administration record (REFERENCE.md §9). Orders are entered as the
//! prescriber gave them and discontinued, never edited; an administration is recorded once,
//! sealed, and corrected only by a new entry that says so. Every write is one transaction with
//! its seal and its audit row.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit, db_time, refuse, require};
use crate::domain::mar::{
    Administration, HoldValues, Identity, NewAdministration, OVERDUE_BACK, Outcome, breaches_text, hold_check,
    prn_given, slot_entry,
};
use crate::domain::orders::{
    DueDose, Holds, LastScore, NewOrder, Order, OrderKind, OrderMode, PrnRule, PrnStatus, Schedule, Step, Stop,
    due_times, prn_available,
};
use crate::domain::protocol::Ladder;
use crate::domain::text::refuse_control;
use crate::domain::time::to_db;
use crate::domain::user::{Action, Staff};

/// The columns every order read takes, for [`order_row`].
macro_rules! order_columns {
    () => {
        "SELECT o.id, o.stay_id, o.kind, o.drug, o.dose, o.route, o.every_hours, o.first_due_at, o.ends_at,
                o.prn_indication, o.prn_scale, o.prn_min_score, o.prn_repeat_minutes, o.prn_max_per_24h,
                o.hold_rass_at_or_below, o.hold_rr_below, o.hold_sbp_below, o.hold_hr_below, o.note,
                o.prescriber, o.ordered_at, o.order_mode, o.read_back, o.replaces,
                u.display_name || ', ' || u.credentials, o.entered_at,
                st.stopped_at, su.display_name || ', ' || su.credentials, st.reason
         FROM med_order o
         JOIN user u ON u.id = o.entered_by
         LEFT JOIN med_order_stop st ON st.order_id = o.id
         LEFT JOIN user su ON su.id = st.by_user "
    };
}

/// One order by id.
pub const ORDER_BY_ID_SQL: &str = concat!(order_columns!(), "WHERE o.id = ?1");
/// A stay's orders, oldest first (`med_order_stay`).
pub const ORDERS_OF_STAY_SQL: &str = concat!(order_columns!(), "WHERE o.stay_id = ?1 ORDER BY o.id");
/// A taper's dated steps, in order (the primary key).
pub const ORDER_STEPS_SQL: &str =
    "SELECT starts_at, dose, every_hours, doses FROM med_order_step WHERE order_id = ?1 ORDER BY seq";

/// The columns every administration read takes, for [`admin_row`].
macro_rules! admin_columns {
    () => {
        "SELECT m.id, m.order_id, m.stay_id, m.due_at, m.outcome, m.dose_given, m.route, m.at, m.recorded_at,
                u.display_name || ', ' || u.credentials, m.identified_by, m.hold_values, m.override_reason,
                m.reason, m.assessment_id, a.total, m.reassess_due_at, m.corrects
         FROM med_admin m
         JOIN user u ON u.id = m.by_user
         LEFT JOIN assessment a ON a.id = m.assessment_id "
    };
}

/// A stay's administrations, oldest first (`med_admin_stay_time`).
pub const ADMINS_OF_STAY_SQL: &str = concat!(admin_columns!(), "WHERE m.stay_id = ?1 ORDER BY m.at, m.id");
/// A stay's administrations in `[?2, ?3)`, oldest first (`med_admin_stay_time`): for the
/// handoff's shift and the timeline.
pub const ADMINS_BETWEEN_SQL: &str =
    concat!(admin_columns!(), "WHERE m.stay_id = ?1 AND m.at >= ?2 AND m.at < ?3 ORDER BY m.at, m.id");
/// One administration by id.
pub const ADMIN_BY_ID_SQL: &str = concat!(admin_columns!(), "WHERE m.id = ?1");
/// An order's administrations, oldest first (`med_admin_order_due`).
pub const ADMINS_OF_ORDER_SQL: &str = concat!(admin_columns!(), "WHERE m.order_id = ?1 ORDER BY m.at, m.id");

/// The stay's latest entry on one scale at or before a time (`assessment_stay_scale_time`): a
/// PRN's trigger.
pub const LAST_SCORE_SQL: &str = "SELECT id, total, taken_at FROM assessment
     WHERE stay_id = ?1 AND scale = ?2 AND taken_at <= ?3 ORDER BY taken_at DESC, id DESC LIMIT 1";

/// The ward's scheduled and taper orders on open stays not stopped before `?1`, bed by bed
/// (through `med_order_stay`): the due list's orders.
pub const WARD_ORDERS_SQL: &str = concat!(
    order_columns!(),
    "WHERE o.stay_id IN (SELECT s2.id FROM bed b JOIN stay s2 ON s2.bed_id = b.id AND s2.discharged_at IS NULL
                         WHERE b.active = 1)
       AND o.kind <> 'prn' AND (st.stopped_at IS NULL OR st.stopped_at > ?1)
     ORDER BY o.stay_id, o.id"
);

/// The entries answering an order's scheduled doses in a window (`med_admin_order_due`).
pub const ADMINS_DUE_SQL: &str =
    concat!(admin_columns!(), "WHERE m.order_id = ?1 AND m.due_at >= ?2 AND m.due_at < ?3 ORDER BY m.id");

/// Who a stay's patient is, for the identity check, and whether the stay is open.
pub const STAY_PATIENT_SQL: &str = "SELECT s.patient_id, p.name, p.birth_date, p.mrn, s.discharged_at, b.label
     FROM stay s JOIN patient p ON p.id = s.patient_id LEFT JOIN bed b ON b.id = s.bed_id WHERE s.id = ?1";

fn order_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawOrder> {
    Ok(RawOrder {
        id: r.get(0)?,
        stay_id: r.get(1)?,
        kind: r.get(2)?,
        drug: r.get(3)?,
        dose: r.get(4)?,
        route: r.get(5)?,
        every_hours: r.get(6)?,
        first_due_at: r.get(7)?,
        ends_at: r.get(8)?,
        prn_indication: r.get(9)?,
        prn_scale: r.get(10)?,
        prn_min_score: r.get(11)?,
        prn_repeat_minutes: r.get(12)?,
        prn_max_per_24h: r.get(13)?,
        holds: Holds {
            rass_at_or_below: r.get(14)?,
            rr_below: r.get(15)?,
            sbp_below: r.get(16)?,
            hr_below: r.get(17)?,
        },
        note: r.get(18)?,
        prescriber: r.get(19)?,
        ordered_at: r.get(20)?,
        mode: r.get(21)?,
        read_back: r.get(22)?,
        replaces: r.get(23)?,
        entered_by: r.get(24)?,
        entered_at: r.get(25)?,
        stopped_at: r.get(26)?,
        stopped_by: r.get(27)?,
        stop_reason: r.get(28)?,
    })
}

struct RawOrder {
    id: i64,
    stay_id: i64,
    kind: String,
    drug: String,
    dose: String,
    route: String,
    every_hours: Option<u32>,
    first_due_at: Option<String>,
    ends_at: Option<String>,
    prn_indication: Option<String>,
    prn_scale: Option<String>,
    prn_min_score: Option<u16>,
    prn_repeat_minutes: Option<u32>,
    prn_max_per_24h: Option<u32>,
    holds: Holds,
    note: Option<String>,
    prescriber: String,
    ordered_at: String,
    mode: String,
    read_back: bool,
    replaces: Option<i64>,
    entered_by: String,
    entered_at: String,
    stopped_at: Option<String>,
    stopped_by: Option<String>,
    stop_reason: Option<String>,
}

fn finish_order(conn: &Connection, raw: RawOrder) -> Result<Order> {
    let what = format!("order {}", raw.id);
    let bad = |field: &str| StoreError::Refused(format!("{what}: unreadable {field}"));
    let kind = OrderKind::from_db(&raw.kind).ok_or_else(|| bad("kind"))?;
    let schedule = match kind {
        OrderKind::Scheduled => Schedule::Scheduled {
            every_hours: raw.every_hours.ok_or_else(|| bad("interval"))?,
            first_due_at: db_time(raw.first_due_at.as_deref().ok_or_else(|| bad("first dose"))?, &what)?,
            ends_at: raw.ends_at.as_deref().map(|t| db_time(t, &what)).transpose()?,
        },
        OrderKind::Taper => {
            let mut st = conn.prepare_cached(ORDER_STEPS_SQL)?;
            let rows: Vec<(String, String, u32, u32)> = st
                .query_map([raw.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let steps = rows
                .into_iter()
                .map(|(s, dose, every_hours, doses)| {
                    Ok(Step { starts_at: db_time(&s, &what)?, dose, every_hours, doses })
                })
                .collect::<Result<Vec<_>>>()?;
            Schedule::Taper(steps)
        }
        OrderKind::Prn => Schedule::Prn(PrnRule {
            indication: raw.prn_indication.ok_or_else(|| bad("indication"))?,
            trigger: raw.prn_scale.zip(raw.prn_min_score),
            repeat_minutes: raw.prn_repeat_minutes,
            max_per_24h: raw.prn_max_per_24h,
        }),
    };
    let stop = match (raw.stopped_at, raw.stopped_by, raw.stop_reason) {
        (Some(at), Some(by), Some(reason)) => Some(Stop { stopped_at: db_time(&at, &what)?, by, reason }),
        _ => None,
    };
    Ok(Order {
        id: raw.id,
        stay_id: raw.stay_id,
        drug: raw.drug,
        dose: raw.dose,
        route: raw.route,
        schedule,
        holds: raw.holds,
        note: raw.note,
        prescriber: raw.prescriber,
        ordered_at: db_time(&raw.ordered_at, &what)?,
        mode: OrderMode::from_db(&raw.mode).ok_or_else(|| bad("order mode"))?,
        read_back: raw.read_back,
        replaces: raw.replaces,
        entered_by: raw.entered_by,
        entered_at: db_time(&raw.entered_at, &what)?,
        stop,
    })
}

fn admin_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawAdmin> {
    Ok(RawAdmin {
        id: r.get(0)?,
        order_id: r.get(1)?,
        stay_id: r.get(2)?,
        due_at: r.get(3)?,
        outcome: r.get(4)?,
        dose_given: r.get(5)?,
        route: r.get(6)?,
        at: r.get(7)?,
        recorded_at: r.get(8)?,
        by: r.get(9)?,
        identified_by: r.get(10)?,
        hold_values: r.get(11)?,
        override_reason: r.get(12)?,
        reason: r.get(13)?,
        assessment_id: r.get(14)?,
        trigger_total: r.get(15)?,
        reassess_due_at: r.get(16)?,
        corrects: r.get(17)?,
    })
}

struct RawAdmin {
    id: i64,
    order_id: i64,
    stay_id: i64,
    due_at: Option<String>,
    outcome: String,
    dose_given: Option<String>,
    route: Option<String>,
    at: String,
    recorded_at: String,
    by: String,
    identified_by: String,
    hold_values: String,
    override_reason: Option<String>,
    reason: Option<String>,
    assessment_id: Option<i64>,
    trigger_total: Option<u16>,
    reassess_due_at: Option<String>,
    corrects: Option<i64>,
}

fn finish_admin(raw: RawAdmin) -> Result<Administration> {
    let what = format!("administration {}", raw.id);
    Ok(Administration {
        id: raw.id,
        order_id: raw.order_id,
        stay_id: raw.stay_id,
        due_at: raw.due_at.as_deref().map(|t| db_time(t, &what)).transpose()?,
        outcome: Outcome::from_db(&raw.outcome)
            .ok_or_else(|| StoreError::Refused(format!("{what}: unknown outcome {:?}", raw.outcome)))?,
        dose_given: raw.dose_given,
        route: raw.route,
        at: db_time(&raw.at, &what)?,
        recorded_at: db_time(&raw.recorded_at, &what)?,
        by: raw.by,
        identity: Identity::from_db(&raw.identified_by)
            .ok_or_else(|| StoreError::Refused(format!("{what}: unknown identification {:?}", raw.identified_by)))?,
        hold_values: HoldValues::from_json(&raw.hold_values)
            .map_err(|e| StoreError::Refused(format!("{what}: {e}")))?,
        override_reason: raw.override_reason,
        reason: raw.reason,
        trigger: raw.assessment_id.map(|a| (a, raw.trigger_total)),
        reassess_due_at: raw.reassess_due_at.as_deref().map(|t| db_time(t, &what)).transpose()?,
        corrects: raw.corrects,
    })
}

pub(crate) fn order_in(conn: &Connection, id: i64) -> Result<Option<Order>> {
    let raw = conn.prepare_cached(ORDER_BY_ID_SQL)?.query_row([id], order_row).optional()?;
    raw.map(|r| finish_order(conn, r)).transpose()
}

fn admins_of_order_in(conn: &Connection, order_id: i64) -> Result<Vec<Administration>> {
    let raws: Vec<RawAdmin> =
        conn.prepare_cached(ADMINS_OF_ORDER_SQL)?.query_map([order_id], admin_row)?.collect::<rusqlite::Result<_>>()?;
    raws.into_iter().map(finish_admin).collect()
}

/// The stay's latest entry of `scale` at or before `at`: its id and score.
pub(crate) fn last_score_in(
    conn: &Connection,
    stay_id: i64,
    scale: &str,
    at: DateTime<Utc>,
) -> Result<Option<(i64, LastScore)>> {
    let row: Option<(i64, Option<u16>, String)> = conn
        .prepare_cached(LAST_SCORE_SQL)?
        .query_row(params![stay_id, scale, to_db(at)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    row.map(|(id, total, taken)| Ok((id, LastScore { total, at: db_time(&taken, &format!("assessment {id}"))? })))
        .transpose()
}

/// Where a PRN order stands at `at`, from its own record.
fn prn_status_in(conn: &Connection, order: &Order, admins: &[Administration], at: DateTime<Utc>) -> Result<PrnStatus> {
    let last = match order.prn().and_then(|r| r.trigger.as_ref()) {
        Some((scale, _)) => last_score_in(conn, order.stay_id, scale, at)?.map(|(_, s)| s),
        None => None,
    };
    let (in_24h, last_given) = prn_given(admins, order.id, at);
    Ok(prn_available(order, last, in_24h, last_given, at))
}

/// One dose due on the ward (the due list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WardDose {
    pub stay_id: i64,
    pub bed: String,
    pub patient: String,
    pub order: Order,
    pub due: DueDose,
    /// Past its time with nothing recorded.
    pub overdue: bool,
}

/// Everything the MAR screen shows for one stay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StayMar {
    pub orders: Vec<Order>,
    pub administrations: Vec<Administration>,
    /// Each PRN order's state now, by order id.
    pub prn: Vec<(i64, PrnStatus, Option<LastScore>)>,
}

impl Store {
    /// Enter an order as the prescriber gave it, with a taper's steps, in one transaction:
    /// sealed (the steps are part of its seal) and audited. REFERENCE.md §9: a verbal or
    /// telephone order is read back.
    pub fn enter_order(&mut self, actor: &Staff, stay_id: i64, o: &NewOrder, now: DateTime<Utc>) -> Result<i64> {
        require(actor, Action::Assess)?;
        refuse_control(&[
            ("Drug", &o.drug),
            ("Dose", &o.dose),
            ("Prescriber", &o.prescriber),
            ("Note", o.note.as_deref().unwrap_or("")),
        ])
        .map_err(StoreError::Refused)?;
        if o.mode != OrderMode::Written && !o.read_back {
            return refuse(format!("a {} order is read back to the prescriber before it is entered", o.mode.as_db()));
        }
        if o.ordered_at > now + Duration::minutes(1) {
            return refuse("the order's time is in the future; the record is never charted ahead");
        }
        self.write(|tx| {
            let (patient_id, discharged): (i64, Option<String>) = tx
                .query_row("SELECT patient_id, discharged_at FROM stay WHERE id = ?1", [stay_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            let (every, first, ends) = match &o.schedule {
                Schedule::Scheduled { every_hours, first_due_at, ends_at } => {
                    (Some(*every_hours), Some(to_db(*first_due_at)), ends_at.map(to_db))
                }
                _ => (None, None, None),
            };
            let prn = o.schedule_prn();
            tx.prepare_cached(
                "INSERT INTO med_order (stay_id, kind, drug, dose, route, every_hours, first_due_at, ends_at,
                     prn_indication, prn_scale, prn_min_score, prn_repeat_minutes, prn_max_per_24h,
                     hold_rass_at_or_below, hold_rr_below, hold_sbp_below, hold_hr_below, note, prescriber,
                     ordered_at, order_mode, read_back, replaces, entered_by, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                         ?21, ?22, ?23, ?24, ?25)",
            )?
            .execute(params![
                stay_id,
                o.kind().as_db(),
                o.drug,
                o.dose,
                o.route,
                every,
                first,
                ends,
                prn.map(|p| p.indication.as_str()),
                prn.and_then(|p| p.trigger.as_ref().map(|t| t.0.as_str())),
                prn.and_then(|p| p.trigger.as_ref().map(|t| t.1)),
                prn.and_then(|p| p.repeat_minutes),
                prn.and_then(|p| p.max_per_24h),
                o.holds.rass_at_or_below,
                o.holds.rr_below,
                o.holds.sbp_below,
                o.holds.hr_below,
                o.note,
                o.prescriber,
                to_db(o.ordered_at),
                o.mode.as_db(),
                o.read_back,
                o.replaces,
                actor.id,
                to_db(now.max(o.ordered_at)),
            ])
            .map_err(refusal)?;
            let id = tx.last_insert_rowid();
            if let Schedule::Taper(steps) = &o.schedule {
                if steps.is_empty() {
                    return refuse("a taper needs at least one dated step");
                }
                let mut st = tx.prepare_cached(
                    "INSERT INTO med_order_step (order_id, seq, starts_at, dose, every_hours, doses)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for (i, s) in steps.iter().enumerate() {
                    st.execute(params![id, i as i64 + 1, to_db(s.starts_at), s.dose, s.every_hours, s.doses])
                        .map_err(refusal)?;
                }
            }
            super::ledger::seal(tx, "med_order", id, now)?;
            audit::record(
                tx,
                now,
                Some(actor.id),
                "order.enter",
                Some(patient_id),
                &format!("order {id}: {} {} {}", o.drug, o.dose, o.kind().as_db()),
            )?;
            Ok(id)
        })
    }

    /// Discontinue an order, once, with when and why: sealed and audited.
    pub fn discontinue_order(
        &mut self,
        actor: &Staff,
        order_id: i64,
        stopped_at: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, Action::Assess)?;
        let reason = crate::domain::text::required_line("Reason", reason, 200).map_err(StoreError::Refused)?;
        if stopped_at > now + Duration::minutes(1) {
            return refuse("the stop's time is in the future; the record is never charted ahead");
        }
        self.write(|tx| {
            let order = order_in(tx, order_id)?.ok_or_else(|| StoreError::Refused("no such order".into()))?;
            if order.stop.is_some() {
                return refuse("this order is already discontinued");
            }
            if stopped_at < order.ordered_at {
                return refuse("an order is discontinued after it was ordered");
            }
            let patient_id: i64 =
                tx.query_row("SELECT patient_id FROM stay WHERE id = ?1", [order.stay_id], |r| r.get(0))?;
            tx.execute(
                "INSERT INTO med_order_stop (order_id, stopped_at, by_user, reason) VALUES (?1, ?2, ?3, ?4)",
                params![order_id, to_db(stopped_at), actor.id, reason],
            )
            .map_err(refusal)?;
            super::ledger::seal(tx, "med_order_stop", order_id, now)?;
            audit::record(tx, now, Some(actor.id), "order.stop", Some(patient_id), &format!("order {order_id}"))
        })
    }

    /// Record an administration (REFERENCE.md §9) in one transaction, sealed and audited. The
    /// store checks again what the screen checked: the patient's identifiers against the record,
    /// each hold parameter's value on a given dose and an override past one, a scheduled dose
    /// that is one of the order's and not already answered (a second entry is a correction), a
    /// PRN that the order allows now. A PRN given links the stay's latest score on the order's
    /// scale as its trigger and makes its reassessment due by that scale's ladder (as
    /// `record_prn` does).
    pub fn record_administration(&mut self, actor: &Staff, a: &NewAdministration, now: DateTime<Utc>) -> Result<i64> {
        require(actor, Action::Assess)?;
        refuse_control(&[
            ("Dose given", a.dose_given.as_deref().unwrap_or("")),
            ("Reason", a.reason.as_deref().unwrap_or("")),
            ("Override reason", a.override_reason.as_deref().unwrap_or("")),
        ])
        .map_err(StoreError::Refused)?;
        if a.at > now + Duration::minutes(1) {
            return refuse("the dose's time is in the future; the record is never charted ahead");
        }
        self.write(|tx| {
            let order = order_in(tx, a.order_id)?.ok_or_else(|| StoreError::Refused("no such order".into()))?;
            let (patient_id, name, birth, mrn, discharged, _bed): (
                i64,
                String,
                String,
                String,
                Option<String>,
                Option<String>,
            ) = tx.query_row(STAY_PATIENT_SQL, [order.stay_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            let birth = NaiveDate::parse_from_str(&birth, "%Y-%m-%d")
                .map_err(|_| StoreError::Refused(format!("patient {patient_id}: unreadable date of birth")))?;
            let identity = a.proof.check(&name, birth, &mrn).map_err(StoreError::Refused)?;
            let admins = admins_of_order_in(tx, order.id)?;
            let corrected = match a.corrects {
                Some(c) => {
                    let Some(old) = admins.iter().find(|x| x.id == c) else {
                        return refuse("a correction names an entry of the same order");
                    };
                    if admins.iter().any(|x| x.corrects == Some(c)) {
                        return refuse(format!("entry {c} is already corrected; correct the correction"));
                    }
                    if old.due_at != a.due_at {
                        return refuse("a correction answers the same scheduled dose as the entry it corrects");
                    }
                    Some(old)
                }
                None => None,
            };
            if a.outcome == Outcome::Given {
                let breaches = hold_check(&order.holds, &a.hold_values).map_err(StoreError::Refused)?;
                if !breaches.is_empty() && a.override_reason.is_none() {
                    return refuse(format!(
                        "{}: hold the dose, or give it with an override reason",
                        breaches_text(&breaches)
                    ));
                }
            }
            match (order.kind(), a.due_at) {
                (OrderKind::Prn, Some(_)) => return refuse("a PRN dose answers no scheduled time"),
                (OrderKind::Prn, None) => {
                    if a.outcome == Outcome::Given && corrected.is_none() {
                        let status = prn_status_in(tx, &order, &admins, a.at)?;
                        if !status.is_available() {
                            // The ward's clock in the sentence, as the nurse reads times.
                            let zone: Option<String> =
                                tx.query_row("SELECT time_zone FROM ward WHERE id = 1", [], |r| r.get(0)).optional()?;
                            let tz =
                                zone.and_then(|z| crate::domain::time::parse_zone(&z).ok()).unwrap_or(chrono_tz::UTC);
                            return refuse(format!("this PRN is not available: {}", status.text(tz)));
                        }
                    }
                }
                (_, None) => return refuse("choose the scheduled dose this answers"),
                (_, Some(due)) => {
                    let slot = due_times(&order, due, due + Duration::seconds(1));
                    if slot.first().is_none_or(|d| d.at != due) {
                        return refuse("that time is not one of this order's doses");
                    }
                    if corrected.is_none()
                        && let Some(e) = slot_entry(&admins, order.id, due)
                    {
                        return refuse(format!(
                            "this dose is already recorded ({}); record a correction instead",
                            e.outcome.as_db()
                        ));
                    }
                }
            }
            // A PRN given: its trigger and the reassessment its scale's ladder asks for.
            let (trigger, reassess) = match (order.prn(), a.outcome) {
                (Some(rule), Outcome::Given) => match &rule.trigger {
                    Some((scale, _)) => {
                        let trig = last_score_in(tx, order.stay_id, scale, a.at)?.map(|(id, _)| id);
                        let (_, ladder): (i64, Ladder) = super::assessments::policy(tx, scale, "ladder")?;
                        let due = a.at + Duration::minutes(i64::from(ladder.prn_reassess_minutes.max(1)));
                        (trig, Some(to_db(due)))
                    }
                    // TODO(clinical): REFERENCE.md §9 ties a PRN's reassessment to its score; a PRN
                    // with no scale (an antiemetic) gets no reassessment due here.
                    None => (None, None),
                },
                _ => (None, None),
            };
            tx.prepare_cached(
                "INSERT INTO med_admin (order_id, stay_id, due_at, outcome, dose_given, route, at, recorded_at,
                     by_user, identified_by, hold_values, override_reason, reason, assessment_id, reassess_due_at,
                     corrects)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                order.id,
                order.stay_id,
                a.due_at.map(to_db),
                a.outcome.as_db(),
                a.dose_given,
                a.route,
                to_db(a.at),
                to_db(now.max(a.at)),
                actor.id,
                identity.as_db(),
                a.hold_values.to_json(),
                a.override_reason,
                a.reason,
                trigger,
                reassess,
                a.corrects,
            ])
            .map_err(refusal)?;
            let id = tx.last_insert_rowid();
            super::ledger::seal(tx, "med_admin", id, now)?;
            audit::record(
                tx,
                now,
                Some(actor.id),
                "med.admin",
                Some(patient_id),
                &format!("order {} {} (entry {id})", order.id, a.outcome.as_db()),
            )?;
            Ok(id)
        })
    }

    /// One order by id.
    pub fn order(&self, id: i64) -> Result<Option<Order>> {
        order_in(self.conn(), id)
    }

    /// A stay's orders with their steps and stops, oldest first.
    pub fn orders_of_stay(&self, stay_id: i64) -> Result<Vec<Order>> {
        let raws: Vec<RawOrder> = self
            .conn()
            .prepare_cached(ORDERS_OF_STAY_SQL)?
            .query_map([stay_id], order_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(|r| finish_order(self.conn(), r)).collect()
    }

    /// A stay's administrations, oldest first.
    pub fn administrations(&self, stay_id: i64) -> Result<Vec<Administration>> {
        let raws: Vec<RawAdmin> = self
            .conn()
            .prepare_cached(ADMINS_OF_STAY_SQL)?
            .query_map([stay_id], admin_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(finish_admin).collect()
    }

    /// A stay's administrations in `[from, to)`, oldest first (a shift's, for the handoff).
    pub fn administrations_between(
        &self,
        stay_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Administration>> {
        let raws: Vec<RawAdmin> = self
            .conn()
            .prepare_cached(ADMINS_BETWEEN_SQL)?
            .query_map(params![stay_id, to_db(from), to_db(to)], admin_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(finish_admin).collect()
    }

    /// One administration by id.
    pub fn administration(&self, id: i64) -> Result<Option<Administration>> {
        let raw = self.conn().prepare_cached(ADMIN_BY_ID_SQL)?.query_row([id], admin_row).optional()?;
        raw.map(finish_admin).transpose()
    }

    /// The stay's latest entry on `scale` at or before `at` (a PRN's trigger).
    pub fn last_score(&self, stay_id: i64, scale: &str, at: DateTime<Utc>) -> Result<Option<LastScore>> {
        Ok(last_score_in(self.conn(), stay_id, scale, at)?.map(|(_, s)| s))
    }

    /// One stay's MAR: its orders, its administrations, and each PRN's state at `now`.
    pub fn stay_mar(&self, stay_id: i64, now: DateTime<Utc>) -> Result<StayMar> {
        self.snapshot(|| {
            let orders = self.orders_of_stay(stay_id)?;
            let administrations = self.administrations(stay_id)?;
            let mut prn = Vec::new();
            for o in orders.iter().filter(|o| o.kind() == OrderKind::Prn) {
                let last = match o.prn().and_then(|r| r.trigger.as_ref()) {
                    Some((scale, _)) => self.last_score(stay_id, scale, now)?,
                    None => None,
                };
                let (in_24h, last_given) = prn_given(&administrations, o.id, now);
                prn.push((o.id, prn_available(o, last, in_24h, last_given, now), last));
            }
            Ok(StayMar { orders, administrations, prn })
        })
    }

    /// The ward's scheduled and taper doses due before `now + ahead` with nothing recorded: the
    /// overdue ones (up to [`OVERDUE_BACK`]) first, oldest first, then those due, in time order.
    pub fn ward_due(&self, now: DateTime<Utc>, ahead: Duration) -> Result<Vec<WardDose>> {
        self.snapshot(|| {
            let from = now - OVERDUE_BACK;
            let to = now + ahead;
            let raws: Vec<RawOrder> = self
                .conn()
                .prepare_cached(WARD_ORDERS_SQL)?
                .query_map([to_db(from)], order_row)?
                .collect::<rusqlite::Result<_>>()?;
            let mut out = Vec::new();
            let mut who = self.conn().prepare_cached(STAY_PATIENT_SQL)?;
            for raw in raws {
                let order = finish_order(self.conn(), raw)?;
                let due = due_times(&order, from, to);
                if due.is_empty() {
                    continue;
                }
                let answered: Vec<RawAdmin> = self
                    .conn()
                    .prepare_cached(ADMINS_DUE_SQL)?
                    .query_map(params![order.id, to_db(from), to_db(to)], admin_row)?
                    .collect::<rusqlite::Result<_>>()?;
                let answered = answered.into_iter().map(finish_admin).collect::<Result<Vec<_>>>()?;
                let (patient, bed): (String, Option<String>) =
                    who.query_row([order.stay_id], |r| Ok((r.get(1)?, r.get(5)?)))?;
                for d in due {
                    if slot_entry(&answered, order.id, d.at).is_none() {
                        out.push(WardDose {
                            stay_id: order.stay_id,
                            bed: bed.clone().unwrap_or_default(),
                            patient: patient.clone(),
                            order: order.clone(),
                            overdue: d.at < now,
                            due: d,
                        });
                    }
                }
            }
            out.sort_by(|a, b| (!a.overdue, a.due.at, &a.bed).cmp(&(!b.overdue, b.due.at, &b.bed)));
            Ok(out)
        })
    }
}

impl NewOrder {
    fn schedule_prn(&self) -> Option<&PrnRule> {
        match &self.schedule {
            Schedule::Prn(r) => Some(r),
            _ => None,
        }
    }
}

/// A trigger's or CHECK's refusal becomes the nurse's sentence; anything else stays an error.
fn refusal(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e
        && f.code == rusqlite::ErrorCode::ConstraintViolation
    {
        if msg.starts_with("CHECK constraint failed") {
            return StoreError::Refused(format!("the record refuses this entry ({msg})"));
        }
        if !msg.contains("constraint failed") {
            return StoreError::Refused(msg.clone());
        }
    }
    e.into()
}
