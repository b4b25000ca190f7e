//! Treatment plans, the therapy schedule, attendance and aftercare readiness.
//!
//! Every write is one IMMEDIATE transaction with its audit row; every table is append-only
//! (schema.sql triggers), so a plan change is a new version and a re-recorded attendance or a
//! toggled aftercare item is a new row whose latest wins.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::aftercare::{Checklist, Item, Mark};
use crate::domain::plan::{
    Attendance, AttendanceLine, AttendanceMark, Modality, NewSession, PlanDraft, PlanVersion, Session, check_attendance,
};
use crate::domain::time::{from_db, to_db};
use crate::domain::user::{Action, Staff};

fn ts(s: String) -> DateTime<Utc> {
    from_db(&s).unwrap_or_default()
}

/// The patient of a stay, and whether it is discharged.
fn stay_patient(tx: &Transaction<'_>, stay_id: i64) -> Result<(i64, bool)> {
    tx.query_row("SELECT patient_id, discharged_at IS NOT NULL FROM stay WHERE id = ?1", [stay_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()?
    .ok_or_else(|| StoreError::Refused("no such stay".into()))
}

const SESSION_COLS: &str = "s.id, s.starts_at, s.minutes, s.modality, s.title, s.facilitator, s.for_all";

impl Store {
    /// Save a new version of a stay's treatment plan (version 1 when there is none). Returns the
    /// version number.
    pub fn set_plan(&mut self, actor: &Staff, stay_id: i64, d: &PlanDraft, now: DateTime<Utc>) -> Result<i64> {
        require(actor, Action::WriteNote)?;
        let d = PlanDraft::validate(&d.problems, &d.goals, &d.interventions).map_err(StoreError::Refused)?;
        self.write(|tx| {
            let (patient_id, discharged) = stay_patient(tx, stay_id)?;
            if discharged {
                return refuse("this patient has been discharged; the plan can no longer change");
            }
            let version: i64 = tx.query_row(
                "SELECT coalesce(max(version), 0) + 1 FROM plan_version WHERE stay_id = ?1",
                [stay_id],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO plan_version (stay_id, version, problems, goals, set_by, set_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![stay_id, version, d.problems, d.goals, actor.id, to_db(now)],
            )?;
            let plan_id = tx.last_insert_rowid();
            for (m, detail) in &d.interventions {
                tx.execute(
                    "INSERT INTO plan_intervention (plan_id, modality, detail) VALUES (?1, ?2, ?3)",
                    params![plan_id, m.code(), detail],
                )?;
            }
            audit::record(tx, now, Some(actor.id), "plan.version", Some(patient_id), &format!("version {version}"))?;
            Ok(version)
        })
    }

    /// Every version of a stay's plan, newest first.
    pub fn plan_versions(&self, stay_id: i64) -> Result<Vec<PlanVersion>> {
        let c = self.conn();
        let mut st = c.prepare_cached(
            "SELECT v.id, v.version, v.problems, v.goals, u.display_name || ', ' || u.credentials, v.set_at
             FROM plan_version v JOIN user u ON u.id = v.set_by WHERE v.stay_id = ?1 ORDER BY v.version DESC",
        )?;
        let mut out = st
            .query_map([stay_id], |r| {
                Ok(PlanVersion {
                    id: r.get(0)?,
                    version: r.get(1)?,
                    problems: r.get(2)?,
                    goals: r.get(3)?,
                    interventions: Vec::new(),
                    set_by: r.get(4)?,
                    set_at: ts(r.get(5)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = c.prepare_cached("SELECT modality, detail FROM plan_intervention WHERE plan_id = ?1")?;
        for v in &mut out {
            let mut rows = st
                .query_map([v.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter_map(|(m, d)| Modality::from_code(&m).map(|m| (m, d)))
                .collect::<Vec<_>>();
            rows.sort_by_key(|(m, _)| Modality::ALL.iter().position(|x| x == m));
            v.interventions = rows;
        }
        Ok(out)
    }

    /// Put a session on the ward's schedule (charge nurse: the `Assign` permission). Listed beds
    /// must be occupied; their current stays are invited.
    pub fn add_session(&mut self, actor: &Staff, s: &NewSession, now: DateTime<Utc>) -> Result<i64> {
        require(actor, Action::Assign)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO therapy_session (starts_at, minutes, modality, title, facilitator, for_all, created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    to_db(s.starts_at),
                    s.minutes,
                    s.modality.code(),
                    s.title,
                    s.facilitator,
                    s.beds.is_none(),
                    actor.id,
                    to_db(now)
                ],
            )?;
            let id = tx.last_insert_rowid();
            for bed in s.beds.iter().flatten() {
                let stay: Option<i64> = tx
                    .query_row(
                        "SELECT s.id FROM stay s JOIN bed b ON b.id = s.bed_id
                         WHERE b.label = ?1 AND s.discharged_at IS NULL",
                        [bed],
                        |r| r.get(0),
                    )
                    .optional()?;
                let Some(stay) = stay else { return refuse(format!("Patients: bed {bed} has no patient")) };
                tx.execute(
                    "INSERT OR IGNORE INTO therapy_session_patient (session_id, stay_id) VALUES (?1, ?2)",
                    params![id, stay],
                )?;
            }
            let who = s.beds.as_ref().map_or("all".to_string(), |b| format!("beds {}", b.join(",")));
            audit::record(tx, now, Some(actor.id), "schedule.add", None, &format!("{} {who}", s.modality.code()))?;
            Ok(id)
        })
    }

    /// Sessions starting in [from, to), by start time, with who they invite.
    pub fn sessions_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Session>> {
        let c = self.conn();
        let mut st = c.prepare_cached(&format!(
            "SELECT {SESSION_COLS} FROM therapy_session s WHERE s.starts_at >= ?1 AND s.starts_at < ?2
             ORDER BY s.starts_at, s.id"
        ))?;
        let mut out = st
            .query_map(params![to_db(from), to_db(to)], |r| {
                let for_all: bool = r.get(6)?;
                Ok(Session {
                    id: r.get(0)?,
                    starts_at: ts(r.get(1)?),
                    minutes: r.get(2)?,
                    modality: Modality::from_code(&r.get::<_, String>(3)?).unwrap_or(Modality::Group),
                    title: r.get(4)?,
                    facilitator: r.get(5)?,
                    invited: if for_all { None } else { Some(Vec::new()) },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = c.prepare_cached("SELECT stay_id FROM therapy_session_patient WHERE session_id = ?1")?;
        for s in &mut out {
            if let Some(v) = &mut s.invited {
                *v = st.query_map([s.id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            }
        }
        Ok(out)
    }

    /// Record a patient's attendance at a session. Refused for a session that has not started,
    /// for a discharged patient, and for a patient the session does not invite.
    pub fn record_attendance(
        &mut self,
        actor: &Staff,
        session_id: i64,
        stay_id: i64,
        status: Attendance,
        comment: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, Action::Assess)?;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = comment {
            crate::domain::text::refuse_control(&[("Comment", c)]).map_err(StoreError::Refused)?;
            if c.chars().count() > 120 {
                return refuse("Comment: at most 120 characters");
            }
        }
        self.write(|tx| {
            let (patient_id, discharged) = stay_patient(tx, stay_id)?;
            let starts: String = tx
                .query_row("SELECT starts_at FROM therapy_session WHERE id = ?1", [session_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such session".into()))?;
            check_attendance(ts(starts), now, discharged).map_err(StoreError::Refused)?;
            tx.execute(
                "INSERT INTO attendance (session_id, stay_id, status, comment, recorded_at, by_user)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![session_id, stay_id, status.code(), comment, to_db(now), actor.id],
            )?;
            audit::record(
                tx,
                now,
                Some(actor.id),
                "attendance.record",
                Some(patient_id),
                &format!("session {session_id}: {}", status.code()),
            )
        })
    }

    /// The latest attendance of each (session, stay) for these sessions.
    pub fn attendance_for(&self, session_ids: &[i64]) -> Result<HashMap<(i64, i64), AttendanceMark>> {
        let mut out = HashMap::new();
        let mut st = self.conn().prepare_cached(
            "SELECT a.session_id, a.stay_id, a.status, a.comment, u.display_name || ', ' || u.credentials,
                    a.recorded_at
             FROM attendance a JOIN user u ON u.id = a.by_user WHERE a.session_id = ?1 ORDER BY a.id",
        )?;
        for id in session_ids {
            let rows = st.query_map([id], |r| {
                Ok(AttendanceMark {
                    session_id: r.get(0)?,
                    stay_id: r.get(1)?,
                    status: Attendance::from_code(&r.get::<_, String>(2)?).unwrap_or(Attendance::Attended),
                    comment: r.get(3)?,
                    by: r.get(4)?,
                    at: ts(r.get(5)?),
                })
            })?;
            for m in rows {
                let m = m?;
                out.insert((m.session_id, m.stay_id), m);
            }
        }
        Ok(out)
    }

    /// A stay's attendance recorded in [from, to), oldest first (latest record per session).
    pub fn attendance_between(
        &self,
        stay_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<AttendanceLine>> {
        let mut st = self.conn().prepare_cached(
            "SELECT s.starts_at, s.modality, s.title, a.status, a.comment, u.display_name || ', ' || u.credentials
             FROM attendance a JOIN therapy_session s ON s.id = a.session_id JOIN user u ON u.id = a.by_user
             WHERE a.stay_id = ?1 AND a.recorded_at >= ?2 AND a.recorded_at < ?3
               AND a.id = (SELECT max(b.id) FROM attendance b WHERE b.session_id = a.session_id AND b.stay_id = a.stay_id)
             ORDER BY s.starts_at",
        )?;
        let rows = st
            .query_map(params![stay_id, to_db(from), to_db(to)], |r| {
                Ok(AttendanceLine {
                    session_at: ts(r.get(0)?),
                    modality: Modality::from_code(&r.get::<_, String>(1)?).unwrap_or(Modality::Group),
                    title: r.get(2)?,
                    status: Attendance::from_code(&r.get::<_, String>(3)?).unwrap_or(Attendance::Attended),
                    comment: r.get(4)?,
                    by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// A stay's aftercare checklist with the latest mark of each item.
    pub fn aftercare(&self, stay_id: i64) -> Result<Checklist> {
        let mut st = self.conn().prepare_cached(
            "SELECT m.item, m.done, u.display_name || ', ' || u.credentials, m.at
             FROM aftercare_mark m JOIN user u ON u.id = m.by_user WHERE m.stay_id = ?1 ORDER BY m.id",
        )?;
        let mut latest: HashMap<Item, Mark> = HashMap::new();
        let rows = st.query_map([stay_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        for row in rows {
            let (item, done, by, at) = row?;
            if let Some(i) = Item::from_code(&item) {
                latest.insert(i, Mark { done, by, at: ts(at) });
            }
        }
        Ok(Checklist { marks: Item::ALL.into_iter().map(|i| (i, latest.remove(&i))).collect() })
    }

    /// Toggle one aftercare item of an open stay; returns whether it is now done.
    pub fn toggle_aftercare(&mut self, actor: &Staff, stay_id: i64, item: Item, now: DateTime<Utc>) -> Result<bool> {
        require(actor, Action::WriteNote)?;
        self.write(|tx| {
            let (patient_id, discharged) = stay_patient(tx, stay_id)?;
            if discharged {
                return refuse("this patient has been discharged; the stay can no longer change");
            }
            let was: bool = tx
                .query_row(
                    "SELECT done FROM aftercare_mark WHERE stay_id = ?1 AND item = ?2 ORDER BY id DESC LIMIT 1",
                    params![stay_id, item.code()],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(false);
            tx.execute(
                "INSERT INTO aftercare_mark (stay_id, item, done, at, by_user) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![stay_id, item.code(), !was, to_db(now), actor.id],
            )?;
            let what = if was { "reopened" } else { "done" };
            audit::record(
                tx,
                now,
                Some(actor.id),
                "aftercare.mark",
                Some(patient_id),
                &format!("{} {what}", item.code()),
            )?;
            Ok(!was)
        })
    }

    /// Aftercare progress (done, total) of every open stay, for the census marker.
    pub fn aftercare_progress(&self) -> Result<HashMap<i64, (u8, u8)>> {
        let mut st = self.conn().prepare_cached(
            "SELECT s.id, (SELECT count(*) FROM (
                 SELECT m.item, m.done FROM aftercare_mark m
                 WHERE m.stay_id = s.id AND m.id = (SELECT max(x.id) FROM aftercare_mark x
                                                    WHERE x.stay_id = s.id AND x.item = m.item)) WHERE done = 1)
             FROM stay s WHERE s.discharged_at IS NULL",
        )?;
        let total = Item::ALL.len() as u8;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (stay, done) = row?;
            out.insert(stay, (done as u8, total));
        }
        Ok(out)
    }
}

/// The open aftercare items of a stay, inside a transaction (used by discharge).
pub(crate) fn open_aftercare(tx: &Transaction<'_>, stay_id: i64) -> Result<Vec<Item>> {
    let mut st = tx.prepare_cached(
        "SELECT m.item FROM aftercare_mark m
         WHERE m.stay_id = ?1 AND m.done = 1
           AND m.id = (SELECT max(x.id) FROM aftercare_mark x WHERE x.stay_id = m.stay_id AND x.item = m.item)",
    )?;
    let done: Vec<String> = st.query_map([stay_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(Item::ALL.into_iter().filter(|i| !done.iter().any(|d| d == i.code())).collect())
}

impl Store {
    /// The handoff's issue-10 lines for a stay: attendance recorded during the shift (refusals
    /// included) and the aftercare items still open.
    pub fn handoff_plan_notes(
        &self,
        stay_id: i64,
        w: &crate::domain::shift::ShiftWindow,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<Vec<String>> {
        use crate::domain::time::local_short;
        let mut out = Vec::new();
        let lines = self.attendance_between(stay_id, w.start, w.end)?;
        if !lines.is_empty() {
            let parts: Vec<String> = lines
                .iter()
                .map(|l| {
                    let comment = l.comment.as_ref().map_or(String::new(), |c| format!(" - {c}"));
                    format!(
                        "{} {} \"{}\" {}{comment} ({})",
                        local_short(l.session_at, now, tz),
                        l.modality.label(),
                        l.title,
                        if l.status.present() { l.status.label().to_string() } else { l.status.label().to_uppercase() },
                        l.by
                    )
                })
                .collect();
            out.push(format!("Therapy this shift: {}", parts.join("; ")));
        }
        let open = self.aftercare(stay_id)?.open();
        if !open.is_empty() {
            out.push(format!(
                "Aftercare open ({}): {}",
                crate::domain::aftercare::done_of((
                    u8::try_from(Item::ALL.len() - open.len()).unwrap_or(u8::MAX),
                    u8::try_from(Item::ALL.len()).unwrap_or(u8::MAX)
                )),
                crate::domain::aftercare::open_text(&open)
            ));
        }
        Ok(out)
    }
}
