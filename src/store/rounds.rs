//! Observation rounds: recording checks (one transaction each), alerts and their
//! acknowledgement, and the reads the census, the rounds screen, the round sheet and the handoff
//! need. The rules (when a check is due, late, missed) are in `domain::rounds`.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::rounds::{
    self, AlertAck, AlertRecord, Answer, Check, LevelChange, ObsBoard, ObsSummary, OpenAlert, StayObs, default_shifts,
};
use crate::domain::shift::ShiftDef;
use crate::domain::time::{from_db, to_db};
use crate::domain::user::{Action, Staff};

type Time = DateTime<Utc>;

/// Every open stay in bed order, with its current observation level. CROSS JOIN keeps the
/// (few-row) bed table outside, so each bed finds its open stay through `stay_open_bed`.
pub const OBS_STAYS_SQL: &str = "
SELECT s.id, p.id, b.label, p.name, p.mrn, s.observation, s.admitted_at
FROM bed b
CROSS JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
JOIN patient p ON p.id = s.patient_id
WHERE b.active = 1
ORDER BY b.sort";

/// A stay's observation-level changes, oldest first (`stay_event_stay` index).
pub const LEVELS_SQL: &str = "
SELECT e.at, e.from_value, e.to_value, u.display_name || ', ' || u.credentials
FROM stay_event e
JOIN user u ON u.id = e.by_user
WHERE e.stay_id = ?1 AND e.kind = 'observation'
ORDER BY e.at, e.id";

/// The last valid check of a stay before a time. A check that a later one corrected is left out
/// here and everywhere (the `obs_check_superseded` index answers the NOT EXISTS).
pub const CHECK_BEFORE_SQL: &str = "
SELECT c.id, c.checked_at, c.by_user, u.display_name || ', ' || u.credentials, c.location, c.state
FROM obs_check c
JOIN user u ON u.id = c.by_user
WHERE c.stay_id = ?1 AND c.checked_at < ?2
  AND NOT EXISTS (SELECT 1 FROM obs_check x WHERE x.supersedes = c.id)
ORDER BY c.checked_at DESC, c.id DESC
LIMIT 1";

/// The last valid check of a stay before another (`?2` its time, `?3` its id): how the store
/// walks back past exceptions to the last check in which the patient was seen.
pub const CHECK_PRECEDING_SQL: &str = "
SELECT c.id, c.checked_at, c.by_user, u.display_name || ', ' || u.credentials, c.location, c.state
FROM obs_check c
JOIN user u ON u.id = c.by_user
WHERE c.stay_id = ?1 AND (c.checked_at, c.id) < (?2, ?3)
  AND NOT EXISTS (SELECT 1 FROM obs_check x WHERE x.supersedes = c.id)
ORDER BY c.checked_at DESC, c.id DESC
LIMIT 1";

/// The valid checks of a stay in `[?2, ?3)`, in time order.
pub const CHECKS_BETWEEN_SQL: &str = "
SELECT c.id, c.checked_at, c.by_user, u.display_name || ', ' || u.credentials, c.location, c.state
FROM obs_check c
JOIN user u ON u.id = c.by_user
WHERE c.stay_id = ?1 AND c.checked_at >= ?2 AND c.checked_at < ?3
  AND NOT EXISTS (SELECT 1 FROM obs_check x WHERE x.supersedes = c.id)
ORDER BY c.checked_at, c.id";

/// The observation-level changes of every open stay (as [`OBS_STAYS_SQL`] finds them), oldest
/// first: one query for the whole board instead of one per stay.
pub const OPEN_LEVELS_SQL: &str = "
SELECT e.stay_id, e.at, e.from_value, e.to_value, u.display_name || ', ' || u.credentials
FROM bed b
CROSS JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
CROSS JOIN stay_event e ON e.stay_id = s.id AND e.kind = 'observation'
JOIN user u ON u.id = e.by_user
WHERE b.active = 1
ORDER BY e.at, e.id";

/// [`CHECK_BEFORE_SQL`] for every open stay at once: each one's last valid check before `?1`.
pub const OPEN_CHECK_BEFORE_SQL: &str = "
SELECT c.stay_id, c.id, c.checked_at, c.by_user, u.display_name || ', ' || u.credentials, c.location, c.state
FROM bed b
CROSS JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
CROSS JOIN obs_check c ON c.id = (
    SELECT x.id FROM obs_check x
    WHERE x.stay_id = s.id AND x.checked_at < ?1
      AND NOT EXISTS (SELECT 1 FROM obs_check y WHERE y.supersedes = x.id)
    ORDER BY x.checked_at DESC, x.id DESC
    LIMIT 1)
JOIN user u ON u.id = c.by_user
WHERE b.active = 1";

/// [`CHECKS_BETWEEN_SQL`] for every open stay at once: the valid checks in `[?1, ?2)`, in time
/// order.
pub const OPEN_CHECKS_BETWEEN_SQL: &str = "
SELECT c.stay_id, c.id, c.checked_at, c.by_user, u.display_name || ', ' || u.credentials, c.location, c.state
FROM bed b
CROSS JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
CROSS JOIN obs_check c ON c.stay_id = s.id AND c.checked_at >= ?1 AND c.checked_at < ?2
JOIN user u ON u.id = c.by_user
WHERE b.active = 1 AND NOT EXISTS (SELECT 1 FROM obs_check x WHERE x.supersedes = c.id)
ORDER BY c.checked_at, c.id";

/// Every alert not yet acknowledged, oldest first (`obs_alert_open` partial index).
pub const OPEN_ALERTS_SQL: &str = "
SELECT a.check_id, a.stay_id, b.label, p.name, a.raised_at, u.display_name || ', ' || u.credentials, a.why
FROM obs_alert a
JOIN obs_check c ON c.id = a.check_id
JOIN user u ON u.id = c.by_user
JOIN stay s ON s.id = a.stay_id
JOIN bed b ON b.id = s.bed_id
JOIN patient p ON p.id = s.patient_id
WHERE a.acked_at IS NULL
ORDER BY a.raised_at, a.check_id";

/// For the handoff: alerts of a stay raised in `[?2, ?3)`, and those raised before `?3` still
/// open at `?3` (`obs_alert_stay` index).
pub const ALERT_COUNTS_SQL: &str = "
SELECT count(*) FILTER (WHERE a.raised_at >= ?2),
       count(*) FILTER (WHERE a.acked_at IS NULL OR a.acked_at >= ?3)
FROM obs_alert a
WHERE a.stay_id = ?1 AND a.raised_at < ?3";

/// For the handoff: the alerts [`ALERT_COUNTS_SQL`] counts (raised in `[?2, ?3)`, or before `?3`
/// and still open at `?3`), with who recorded the check and who acknowledged it, oldest first.
pub const STAY_ALERTS_SQL: &str = "
SELECT a.raised_at, a.why, u.display_name || ', ' || u.credentials, a.acked_at,
       k.display_name || ', ' || k.credentials, a.ack_note
FROM obs_alert a
JOIN obs_check c ON c.id = a.check_id
JOIN user u ON u.id = c.by_user
LEFT JOIN user k ON k.id = a.acked_by
WHERE a.stay_id = ?1 AND a.raised_at < ?3
  AND (a.raised_at >= ?2 OR a.acked_at IS NULL OR a.acked_at >= ?3)
ORDER BY a.raised_at, a.check_id";

/// Later than any check: the open end of "from then on". (`DateTime::MAX_UTC` would not do: its
/// text form `+262143-...` sorts before every real time.)
fn far_future() -> Time {
    use chrono::TimeZone;
    Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single().unwrap_or_default()
}

fn ts(s: &str) -> Time {
    from_db(s).unwrap_or_default()
}

fn check_row(r: &Row<'_>) -> rusqlite::Result<Check> {
    check_from(r, 0)
}

/// A check from columns `i..i + 6`: id, checked_at, by_user, by, location, state.
fn check_from(r: &Row<'_>, i: usize) -> rusqlite::Result<Check> {
    let location: String = r.get(i + 4)?;
    let state: Option<String> = r.get(i + 5)?;
    let answer = Answer::from_codes(&location, state.as_deref()).unwrap_or(Answer::NOT_FOUND);
    Ok(Check { id: r.get(i)?, at: ts(&r.get::<_, String>(i + 1)?), by_id: r.get(i + 2)?, by: r.get(i + 3)?, answer })
}

/// The observation levels' intervals: code -> minutes (None = continuous).
fn intervals(conn: &Connection) -> Result<HashMap<String, Option<Duration>>> {
    let mut st = conn.prepare_cached("SELECT code, interval_min FROM observation_level")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (code, min) = row?;
        out.insert(code, min.map(Duration::minutes));
    }
    Ok(out)
}

/// One `stay_event` observation change: at, from, to, by.
type LevelEvent = (String, Option<String>, Option<String>, String);

/// Admission level, then every change, for one stay.
fn levels(
    conn: &Connection,
    stay_id: i64,
    admitted_at: Time,
    current: &str,
    iv: &HashMap<String, Option<Duration>>,
) -> Result<Vec<LevelChange>> {
    let mut st = conn.prepare_cached(LEVELS_SQL)?;
    let rows = st.query_map([stay_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(level_changes(admitted_at, current, rows.collect::<rusqlite::Result<_>>()?, iv))
}

/// The level given on admission (the first change's "from", else the level now), then each change.
fn level_changes(
    admitted_at: Time,
    current: &str,
    events: Vec<LevelEvent>,
    iv: &HashMap<String, Option<Duration>>,
) -> Vec<LevelChange> {
    let interval = |code: &str| iv.get(code).copied().flatten();
    let first = events.first().and_then(|e| e.1.clone()).unwrap_or_else(|| current.to_string());
    let mut out = vec![LevelChange { at: admitted_at, interval: interval(&first), code: first, by: None }];
    for (at, _, to, by) in events {
        let code = to.unwrap_or_default();
        out.push(LevelChange { at: ts(&at), interval: interval(&code), code, by: Some(by) });
    }
    out
}

fn checks_between(conn: &Connection, stay_id: i64, from: Time, to: Time) -> Result<Vec<Check>> {
    let mut st = conn.prepare_cached(CHECKS_BETWEEN_SQL)?;
    let rows = st.query_map(params![stay_id, to_db(from), to_db(to)], check_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn check_before(conn: &Connection, stay_id: i64, t: Time) -> Result<Option<Check>> {
    Ok(conn.prepare_cached(CHECK_BEFORE_SQL)?.query_row(params![stay_id, to_db(t)], check_row).optional()?)
}

/// While the earliest of `checks` (a stay's, in time order) is an exception in which nobody saw
/// the patient, load the check before it: the schedule runs from the last real sighting
/// (`domain::rounds`), so that one must be loaded too. Usually no query at all.
fn back_to_sighting(conn: &Connection, stay_id: i64, checks: &mut Vec<Check>) -> Result<()> {
    while let Some(first) = checks.first().filter(|c| !c.answer.seen()) {
        let earlier = conn
            .prepare_cached(CHECK_PRECEDING_SQL)?
            .query_row(params![stay_id, to_db(first.at), first.id], check_row)
            .optional()?;
        match earlier {
            Some(c) => checks.insert(0, c),
            None => break,
        }
    }
    Ok(())
}

/// Every open stay with its levels, its last check before `from` and its checks since: four
/// queries for the whole board, whatever the number of beds.
fn open_stays(conn: &Connection, from: Time) -> Result<Vec<StayObs>> {
    let iv = intervals(conn)?;
    let mut st = conn.prepare_cached(OBS_STAYS_SQL)?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let stays: Vec<_> = rows.collect::<rusqlite::Result<_>>()?;
    let mut events = by_stay(conn, OPEN_LEVELS_SQL, params![], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    let mut before = by_stay(conn, OPEN_CHECK_BEFORE_SQL, params![to_db(from)], |r| check_from(r, 1))?;
    let mut since =
        by_stay(conn, OPEN_CHECKS_BETWEEN_SQL, params![to_db(from), to_db(far_future())], |r| check_from(r, 1))?;
    let mut out = Vec::with_capacity(stays.len());
    for (stay_id, patient_id, bed, name, mrn, level, admitted) in stays {
        let levels = level_changes(ts(&admitted), &level, events.remove(&stay_id).unwrap_or_default(), &iv);
        let mut checks = before.remove(&stay_id).unwrap_or_default();
        back_to_sighting(conn, stay_id, &mut checks)?;
        checks.extend(since.remove(&stay_id).unwrap_or_default());
        out.push(StayObs { stay_id, patient_id, bed, name, mrn, level, levels, checks });
    }
    Ok(out)
}

/// The rows of a board-wide query whose first column is the stay, grouped by stay in query order.
fn by_stay<T>(
    conn: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
    row: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<HashMap<i64, Vec<T>>> {
    let mut st = conn.prepare_cached(sql)?;
    let mut rows = st.query(params)?;
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?).or_default().push(row(r)?);
    }
    Ok(out)
}

fn open_alerts(conn: &Connection) -> Result<Vec<OpenAlert>> {
    let mut st = conn.prepare_cached(OPEN_ALERTS_SQL)?;
    let rows = st.query_map([], |r| {
        Ok(OpenAlert {
            check_id: r.get(0)?,
            stay_id: r.get(1)?,
            bed: r.get(2)?,
            name: r.get(3)?,
            at: ts(&r.get::<_, String>(4)?),
            by: r.get(5)?,
            why: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What [`Store::record_check`] saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedCheck {
    pub id: i64,
    pub at: Time,
    /// Why it raised an alert, if it did.
    pub alert: Option<&'static str>,
}

impl Store {
    /// The ward's shifts (`Store::shift_defs`), or the default 12-hour blocks when it has none.
    fn round_shifts(&self) -> Vec<ShiftDef> {
        match self.shift_defs() {
            Ok(defs) if !defs.is_empty() => defs,
            _ => default_shifts(),
        }
    }

    /// Every occupied bed's checks since the start of the current shift, and every open alert:
    /// what the census's Obs column, its alert banner and the rounds screen show.
    pub fn observation_board(&self, now: Time, tz: Tz) -> Result<ObsBoard> {
        let shifts = self.round_shifts();
        let from = rounds::shift_for(&shifts, now, tz).start;
        Ok(ObsBoard { stays: open_stays(self.conn(), from)?, alerts: open_alerts(self.conn())?, shifts })
    }

    /// Every occupied bed's levels and checks from `from` on (the round sheet of a shift).
    pub fn observation_stays(&self, from: Time) -> Result<Vec<StayObs>> {
        open_stays(self.conn(), from)
    }

    /// The shift containing `t`, from the ward's shifts (or the default 12-hour blocks).
    pub fn observation_shift(&self, t: Time, tz: Tz) -> crate::domain::shift::ShiftWindow {
        rounds::shift_for(&self.round_shifts(), t, tz)
    }

    /// Each observation level's interval between checks (`None`: 1:1, continuous), as the
    /// ward's `observation_level` table defines them.
    pub fn observation_intervals(&self) -> Result<HashMap<String, Option<Duration>>> {
        intervals(self.conn())
    }

    /// Every alert not yet acknowledged, oldest first.
    pub fn open_obs_alerts(&self) -> Result<Vec<OpenAlert>> {
        open_alerts(self.conn())
    }

    /// A stay's checks over `[from, to)` for the handoff: checks made, late, missed (as defined
    /// in `domain::rounds`), and alerts. The window is reckoned at `to`: every due time before
    /// `to` has passed, so for a shift still in progress pass `to = now`. A discharged stay is
    /// reckoned up to its discharge.
    pub fn observation_summary(&self, stay_id: i64, from: Time, to: Time) -> Result<ObsSummary> {
        let conn = self.conn();
        let stay = conn
            .query_row("SELECT admitted_at, observation, discharged_at FROM stay WHERE id = ?1", [stay_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
            })
            .optional()?;
        let Some((admitted, level, discharged)) = stay else { return refuse("no such stay") };
        let to = discharged.as_deref().map_or(to, |d| to.min(ts(d)));
        let (alerts, open_alerts): (u32, u32) = conn
            .prepare_cached(ALERT_COUNTS_SQL)?
            .query_row(params![stay_id, to_db(from), to_db(to)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if to <= from {
            return Ok(ObsSummary { open_alerts, alerts, ..ObsSummary::default() });
        }
        let levels = levels(conn, stay_id, ts(&admitted), &level, &intervals(conn)?)?;
        let mut before: Vec<Check> = check_before(conn, stay_id, from)?.into_iter().collect();
        back_to_sighting(conn, stay_id, &mut before)?;
        // Only sightings count: an exception in which nobody saw the patient is never a check.
        let mut checks: Vec<Time> = before.iter().filter(|c| c.answer.seen()).map(|c| c.at).collect();
        checks.extend(checks_between(conn, stay_id, from, to)?.iter().filter(|c| c.answer.seen()).map(|c| c.at));
        // The first sighting at or after `to` decides whether a check owed at `to` was late.
        if let Some(next) = checks_between(conn, stay_id, to, far_future())?.iter().find(|c| c.answer.seen()) {
            checks.push(next.at);
        }
        let t = rounds::tally(&levels, &checks, from, to);
        Ok(ObsSummary { checks: t.checks, late: t.late, missed: t.missed, open_alerts, alerts })
    }

    /// The alerts [`Store::observation_summary`] counts over `[from, to)`, each with what it was,
    /// who recorded it when, and who acknowledged it with what note (for the handoff).
    pub fn observation_alerts(&self, stay_id: i64, from: Time, to: Time) -> Result<Vec<AlertRecord>> {
        let mut st = self.conn().prepare_cached(STAY_ALERTS_SQL)?;
        let rows = st.query_map(params![stay_id, to_db(from), to_db(to)], |r| {
            let acked_at: Option<String> = r.get(3)?;
            let acked = match acked_at {
                None => None,
                Some(at) => Some(AlertAck {
                    at: ts(&at),
                    by: r.get::<_, Option<String>>(4)?.unwrap_or_else(|| "someone".into()),
                    note: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                }),
            };
            Ok(AlertRecord { at: ts(&r.get::<_, String>(0)?), why: r.get(1)?, by: r.get(2)?, acked })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Record one check of one patient, at `now`, in its own transaction (with its alert, if the
    /// answer is an exception, and the audit row): a check recorded is never lost to a crash that
    /// comes after it. `supersedes` corrects one of the same nurse's earlier checks of the same
    /// patient; an alert that check raised is closed by the correction, saying so.
    pub fn record_check(
        &mut self,
        actor: &Staff,
        stay_id: i64,
        answer: Answer,
        supersedes: Option<i64>,
        now: Time,
    ) -> Result<SavedCheck> {
        require(actor, Action::Assess)?;
        self.write(|tx| {
            let stay = tx
                .query_row(
                    "SELECT s.patient_id, s.observation, s.discharged_at, b.label
                     FROM stay s JOIN bed b ON b.id = s.bed_id WHERE s.id = ?1",
                    [stay_id],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            let (patient_id, level, bed) = match stay {
                None => return refuse("no such stay"),
                Some((_, _, Some(_), _)) => return refuse("this patient has been discharged; no check was recorded"),
                Some((p, l, None, b)) => (p, l, b),
            };
            if let Some(old) = supersedes {
                let orig = tx
                    .query_row(
                        "SELECT stay_id, by_user, EXISTS (SELECT 1 FROM obs_check x WHERE x.supersedes = ?1)
                         FROM obs_check WHERE id = ?1",
                        [old],
                        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?)),
                    )
                    .optional()?;
                match orig {
                    None => return refuse("the check to correct does not exist"),
                    Some((s, _, _)) if s != stay_id => {
                        return refuse("a correction replaces a check of the same patient");
                    }
                    Some((_, by, _)) if by != actor.id => {
                        return refuse("only the nurse who recorded a check corrects it");
                    }
                    Some((_, _, true)) => return refuse("that check has already been corrected"),
                    Some(_) => {}
                }
            }
            let loc = answer.location().code();
            let state = answer.state().map(|s| s.code());
            tx.execute(
                "INSERT INTO obs_check (stay_id, checked_at, by_user, level, location, state, supersedes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![stay_id, to_db(now), actor.id, level, loc, state, supersedes],
            )?;
            let id = tx.last_insert_rowid();
            let alert = answer.alert();
            if let Some(why) = alert {
                tx.execute(
                    "INSERT INTO obs_alert (check_id, stay_id, raised_at, why) VALUES (?1, ?2, ?3, ?4)",
                    params![id, stay_id, to_db(now), why],
                )?;
            }
            let mut detail = format!("bed {bed}: {} {level}", answer.code());
            if let Some(old) = supersedes {
                let closed = tx.execute(
                    "UPDATE obs_alert SET acked_at = ?2, acked_by = ?3, ack_note = ?4
                     WHERE check_id = ?1 AND acked_at IS NULL",
                    params![old, to_db(now), actor.id, format!("entered in error; corrected by check {id}")],
                )?;
                detail.push_str(&format!("; corrects check {old}"));
                if closed > 0 {
                    detail.push_str(" and closes its alert");
                }
            }
            if let Some(why) = alert {
                detail.push_str(&format!("; ALERT {why}"));
            }
            audit::record(tx, now, Some(actor.id), "obs.check", Some(patient_id), &detail)?;
            Ok(SavedCheck { id, at: now, alert })
        })
    }

    /// Acknowledge an open alert: who, when, and what was done. Final once written.
    pub fn acknowledge_alert(&mut self, actor: &Staff, check_id: i64, note: &str, now: Time) -> Result<()> {
        require(actor, Action::Assess)?;
        let note = crate::domain::text::required_line("What was done", note, 200).map_err(StoreError::Refused)?;
        self.write(|tx| {
            let row = tx
                .query_row(
                    "SELECT s.patient_id, a.acked_at, u.display_name, a.why
                     FROM obs_alert a JOIN stay s ON s.id = a.stay_id LEFT JOIN user u ON u.id = a.acked_by
                     WHERE a.check_id = ?1",
                    [check_id],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            let (patient_id, why) = match row {
                None => return refuse("no such alert"),
                Some((_, Some(_), by, _)) => {
                    return refuse(format!(
                        "this alert was already acknowledged by {}",
                        by.unwrap_or_else(|| "someone".into())
                    ));
                }
                Some((p, None, _, why)) => (p, why),
            };
            tx.execute(
                "UPDATE obs_alert SET acked_at = ?2, acked_by = ?3, ack_note = ?4 WHERE check_id = ?1 AND acked_at IS NULL",
                params![check_id, to_db(now), actor.id, note],
            )?;
            audit::record(tx, now, Some(actor.id), "obs.alert_ack", Some(patient_id), &format!("{why}: {note}"))
        })
    }
}
