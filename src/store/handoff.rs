//! Shift handoff in the database: shift definitions, loading a stay's records for the handoff,
//! preparing, action items, acceptance by the receiving nurse, and next-shift assignments.
use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::census::CensusRow;
use crate::domain::handoff::{
    Accepted, ActionItem, DosePoint, NoteRef, PrnPoint, Recorded, ScorePoint, Severity, StayRecords, in_place_of_line,
    mentions_in_place_of, split_in_place_of,
};
use crate::domain::shift::{ShiftDef, ShiftWindow, parse_start};
use crate::domain::time::{age_years, day_of_stay, from_db, to_db};
use crate::domain::user::{Action, Staff};

/// The longest I-PASS summary or situation text (the editor stops there too).
pub const MAX_HANDOFF_TEXT: usize = 4000;

/// The nurse assigned to a stay's bed for the shift that starts at `shift_start`.
const ASSIGNEE_SQL: &str = "
SELECT a.nurse, u.display_name || ', ' || u.credentials
FROM stay s JOIN assignment a ON a.bed_id = s.bed_id JOIN user u ON u.id = a.nurse
WHERE s.id = ?1 AND a.shift_start = ?2";

fn ts(s: Option<String>) -> Option<DateTime<Utc>> {
    s.as_deref().and_then(from_db)
}

/// A stay's handoff for one shift, with the names of who prepared and accepted it.
pub const HANDOFF_SQL: &str = "
SELECT h.id, h.severity, h.summary, h.situation, p.display_name || ', ' || p.credentials, h.prepared_at,
       r.display_name || ', ' || r.credentials, h.accepted_at, h.synthesis
FROM handoff h JOIN user p ON p.id = h.prepared_by LEFT JOIN user r ON r.id = h.received_by
WHERE h.stay_id = ?1 AND h.shift_start = ?2";

/// The last accepted handoff of a stay before a shift.
pub const PREVIOUS_HANDOFF_SQL: &str = "
SELECT h.id, h.severity, h.summary, h.situation, p.display_name || ', ' || p.credentials, h.prepared_at,
       r.display_name || ', ' || r.credentials, h.accepted_at, h.synthesis
FROM handoff h JOIN user p ON p.id = h.prepared_by LEFT JOIN user r ON r.id = h.received_by
WHERE h.stay_id = ?1 AND h.shift_start < ?2 AND h.accepted_at IS NOT NULL
ORDER BY h.shift_start DESC LIMIT 1";

/// A stay's scores from a day before the shift to its end, oldest first.
pub const HANDOFF_SCORES_SQL: &str = "
SELECT a.taken_at, a.scale, a.total, a.band, u.display_name || ', ' || u.credentials
             FROM assessment a JOIN user u ON u.id = a.by_user
             WHERE a.stay_id = ?1 AND a.taken_at >= ?2 AND a.taken_at < ?3 ORDER BY a.taken_at";

/// A stay's PRN doses in the shift.
pub const HANDOFF_PRNS_SQL: &str = "
SELECT p.given_at, p.medication || ' ' || p.dose || ' ' || p.route, u.display_name || ', ' || u.credentials
             FROM prn p JOIN user u ON u.id = p.by_user
             WHERE p.stay_id = ?1 AND p.given_at >= ?2 AND p.given_at < ?3 ORDER BY p.given_at";

/// A stay's administrations in the shift, oldest first: the outcome, what was given (or what the
/// order said when not given), the PRN's triggering score and its effect, the first score of the
/// same scale after the dose (index assessment_stay_scale_time).
pub const HANDOFF_DOSES_SQL: &str = "
SELECT a.at, a.outcome,
       o.drug || ' ' || coalesce(a.dose_given, o.dose) || ' ' || coalesce(a.route, o.route),
       o.kind = 'prn', a.reason, a.override_reason, t.scale, t.total,
       (SELECT r.total FROM assessment r WHERE r.stay_id = a.stay_id AND r.scale = t.scale AND r.taken_at > a.at
          AND r.total IS NOT NULL ORDER BY r.taken_at LIMIT 1),
       (SELECT r.taken_at FROM assessment r WHERE r.stay_id = a.stay_id AND r.scale = t.scale AND r.taken_at > a.at
          AND r.total IS NOT NULL ORDER BY r.taken_at LIMIT 1),
       u.display_name || ', ' || u.credentials
FROM med_admin a JOIN med_order o ON o.id = a.order_id JOIN user u ON u.id = a.by_user
     LEFT JOIN assessment t ON t.id = a.assessment_id
WHERE a.stay_id = ?1 AND a.at >= ?2 AND a.at < ?3 ORDER BY a.at, a.id";

/// A stay's calls to the provider in the shift (REFERENCE.md §10).
pub const HANDOFF_CALLS_SQL: &str = "
SELECT c.called_at, c.provider || ': ' || c.reason || ' · response: ' || c.response
         || CASE WHEN c.new_order IS NOT NULL THEN ' · new order entered' ELSE '' END,
       u.display_name || ', ' || u.credentials
FROM provider_call c JOIN user u ON u.id = c.by_user
WHERE c.stay_id = ?1 AND c.called_at >= ?2 AND c.called_at < ?3 ORDER BY c.called_at";

/// A stay's emergencies in the shift.
pub const HANDOFF_EVENTS_SQL: &str = "
SELECT e.started_at, upper(e.kind) || ': ' || e.actions
         || coalesce(' · naloxone ' || e.naloxone_dose || ' ' || e.naloxone_route || ': ' || e.naloxone_response, '')
         || ' · called ' || e.called || ' · ' || e.outcome,
       u.display_name || ', ' || u.credentials
FROM clinical_event e JOIN user u ON u.id = e.by_user
WHERE e.stay_id = ?1 AND e.started_at >= ?2 AND e.started_at < ?3 ORDER BY e.started_at";

/// A stay's prompts still open, whenever raised (index clinical_prompt_open).
pub const HANDOFF_PROMPTS_SQL: &str = "
SELECT p.raised_at, CASE p.kind WHEN 'notify' THEN 'notify provider: ' ELSE 'follow-up: ' END || p.why, ''
FROM clinical_prompt p WHERE p.stay_id = ?1 AND p.closed_at IS NULL ORDER BY p.raised_at";

/// A stay's notes signed in the shift.
pub const HANDOFF_NOTES_SQL: &str = "
SELECT signed_at, format, author_name || ', ' || author_credentials, event_at FROM note
             WHERE stay_id = ?1 AND signed_at >= ?2 AND signed_at < ?3 ORDER BY signed_at";

/// A stay's open action items, soonest due first.
pub const OPEN_ITEMS_SQL: &str = "
SELECT i.id, i.what, i.owner, i.due_at, u.display_name || ', ' || u.credentials, i.created_at
             FROM action_item i JOIN user u ON u.id = i.created_by
             WHERE i.stay_id = ?1 AND i.closed_at IS NULL ORDER BY i.due_at";

fn recorded(r: &rusqlite::Row<'_>) -> rusqlite::Result<Recorded> {
    let accepted_at = ts(r.get(7)?);
    Ok(Recorded {
        id: r.get(0)?,
        severity: Severity::from_code(&r.get::<_, String>(1)?).unwrap_or(Severity::Watcher),
        summary: r.get(2)?,
        situation: r.get(3)?,
        prepared_by: r.get(4)?,
        prepared_at: ts(r.get(5)?).unwrap_or_default(),
        accepted: match accepted_at {
            Some(at) => {
                let stored = r.get::<_, Option<String>>(8)?.unwrap_or_default();
                let (synthesis, in_place_of) = split_in_place_of(&stored);
                Some(Accepted { by: r.get::<_, Option<String>>(6)?.unwrap_or_default(), at, synthesis, in_place_of })
            }
            None => None,
        },
    })
}

impl Store {
    /// The ward's shifts.
    pub fn shift_defs(&self) -> Result<Vec<ShiftDef>> {
        let mut st = self.conn().prepare_cached("SELECT name, starts FROM shift_def ORDER BY starts")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (name, starts) = row?;
            out.push(ShiftDef { name, starts: parse_start(&starts).map_err(StoreError::Refused)? });
        }
        Ok(out)
    }

    /// Load what one occupied bed's handoff is built from. `row` is its census row.
    pub fn stay_records(
        &self,
        row: &CensusRow,
        w: &ShiftWindow,
        next_start: DateTime<Utc>,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<Option<StayRecords>> {
        let Some(o) = &row.occupant else { return Ok(None) };
        let c = self.conn();
        // Scores: from a day before the shift to its end, oldest first (index assessment_stay_time).
        let mut st = c.prepare_cached(HANDOFF_SCORES_SQL)?;
        let scores = st
            .query_map(params![o.stay_id, to_db(w.start - Duration::hours(24)), to_db(w.end)], |r| {
                Ok(ScorePoint {
                    at: ts(r.get(0)?).unwrap_or_default(),
                    scale: r.get(1)?,
                    total: r.get(2)?,
                    band: r.get(3)?,
                    by: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = c.prepare_cached(HANDOFF_PRNS_SQL)?;
        let prns = st
            .query_map(params![o.stay_id, to_db(w.start), to_db(w.end)], |r| {
                Ok(PrnPoint { at: ts(r.get(0)?).unwrap_or_default(), what: r.get(1)?, by: r.get(2)? })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = c.prepare_cached(HANDOFF_DOSES_SQL)?;
        let doses = st
            .query_map(params![o.stay_id, to_db(w.start), to_db(w.end)], |r| {
                let scale: Option<String> = r.get(6)?;
                let name =
                    |key: &str| crate::domain::scales::by_key(key).map_or(key.to_string(), |s| s.name.to_string());
                let trigger = match (scale.as_deref(), r.get::<_, Option<u16>>(7)?) {
                    (Some(k), Some(t)) => Some((name(k), t)),
                    _ => None,
                };
                let effect = match (r.get::<_, Option<u16>>(8)?, ts(r.get(9)?)) {
                    (Some(t), Some(at)) => Some((t, at)),
                    _ => None,
                };
                Ok(DosePoint {
                    at: ts(r.get(0)?).unwrap_or_default(),
                    outcome: r.get(1)?,
                    what: r.get(2)?,
                    prn: r.get(3)?,
                    reason: r.get(4)?,
                    override_reason: r.get(5)?,
                    trigger,
                    effect,
                    by: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let points = |sql: &str, window: bool| -> Result<Vec<PrnPoint>> {
            let mut st = c.prepare_cached(sql)?;
            let map = |r: &rusqlite::Row<'_>| {
                Ok(PrnPoint { at: ts(r.get(0)?).unwrap_or_default(), what: r.get(1)?, by: r.get(2)? })
            };
            let rows: rusqlite::Result<Vec<PrnPoint>> = if window {
                st.query_map(params![o.stay_id, to_db(w.start), to_db(w.end)], map)?.collect()
            } else {
                st.query_map(params![o.stay_id], map)?.collect()
            };
            Ok(rows?)
        };
        let calls = points(HANDOFF_CALLS_SQL, true)?;
        let events = points(HANDOFF_EVENTS_SQL, true)?;
        let prompts = points(HANDOFF_PROMPTS_SQL, false)?;
        let late_rule = self.late_entry_rule()?;
        let mut st = c.prepare_cached(HANDOFF_NOTES_SQL)?;
        let notes = st
            .query_map(params![o.stay_id, to_db(w.start), to_db(w.end)], |r| {
                let signed = ts(r.get(0)?).unwrap_or_default();
                let event = ts(r.get(3)?).unwrap_or(signed);
                Ok(NoteRef {
                    event_at: event,
                    signed_at: signed,
                    format: r.get(1)?,
                    by: r.get(2)?,
                    late: late_rule.is_late(event, signed),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut st = c.prepare_cached(OPEN_ITEMS_SQL)?;
        let open_items = st
            .query_map([o.stay_id], |r| {
                Ok(ActionItem {
                    id: r.get(0)?,
                    what: r.get(1)?,
                    owner: r.get(2)?,
                    due_at: ts(r.get(3)?).unwrap_or_default(),
                    created_by: r.get(4)?,
                    created_at: ts(r.get(5)?).unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let this_shift =
            c.prepare_cached(HANDOFF_SQL)?.query_row(params![o.stay_id, to_db(w.start)], recorded).optional()?;
        let previous = c
            .prepare_cached(PREVIOUS_HANDOFF_SQL)?
            .query_row(params![o.stay_id, to_db(w.start)], recorded)
            .optional()?;
        let next_nurse: Option<String> = c
            .prepare_cached(
                "SELECT u.display_name || ', ' || u.credentials FROM assignment a JOIN user u ON u.id = a.nurse
                 WHERE a.shift_start = ?1 AND a.bed_id = ?2",
            )?
            .query_row(params![to_db(next_start), row.bed_id], |r| r.get(0))
            .optional()?;
        let header = format!(
            "{}{} · day {} · {} · {} · Obs {}",
            age_years(o.birth_date, now, tz),
            o.sex,
            day_of_stay(o.admitted_at, now, tz),
            o.level_of_care,
            o.code_status,
            o.observation
        );
        Ok(Some(StayRecords {
            stay_id: o.stay_id,
            bed_id: row.bed_id,
            bed: row.bed.clone(),
            name: o.name.clone(),
            header,
            allergies: o.allergies.clone(),
            precautions: o.precautions.clone(),
            observation: o.observation.clone(),
            scores,
            next_due: o.due_at(),
            prns,
            notes,
            open_items,
            previous,
            this_shift,
            next_nurse,
            observation_note: {
                // Safety checks this shift so far: counted up to now, never ahead of it;
                // and each alert: what it was, who recorded it when, what became of it (issue 20).
                let to = now.min(w.end);
                let s = self.observation_summary(o.stay_id, w.start, to)?;
                let alerts = self.observation_alerts(o.stay_id, w.start, to)?;
                Some(crate::domain::rounds::handoff_note(&s, &alerts, now, tz))
            },
            changes: self
                .safety_changes(o.stay_id, w.start, w.end)?
                .iter()
                .map(|c| {
                    format!(
                        "CHANGED {}: {} -> {} ({}) at {} by {}",
                        c.fact.label(),
                        c.from,
                        c.to,
                        c.why,
                        crate::domain::time::local_short(c.at, now, tz),
                        c.by
                    )
                })
                .collect(),
            plan_notes: self.handoff_plan_notes(o.stay_id, w, now, tz)?,
            risk: o.risk_lines(self.admission_assessment(o.stay_id)?.as_ref(), now, tz),
            doses,
            calls,
            events,
            prompts,
        }))
    }

    /// Every occupied bed's handoff records for a shift, in bed order.
    pub fn ward_handoff_records(
        &self,
        w: &ShiftWindow,
        next_start: DateTime<Utc>,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<Vec<StayRecords>> {
        self.snapshot(|| {
            let mut out = Vec::new();
            for row in self.census()? {
                if let Some(r) = self.stay_records(&row, w, next_start, now, tz)? {
                    out.push(r);
                }
            }
            Ok(out)
        })
    }

    /// Prepare (or revise, until accepted) a patient's handoff for the shift.
    #[allow(clippy::too_many_arguments)]
    pub fn prepare_handoff(
        &mut self,
        actor: &Staff,
        stay_id: i64,
        w: &ShiftWindow,
        severity: Severity,
        summary: &str,
        situation: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, Action::HandOff)?;
        if summary.trim().is_empty() {
            return refuse("P: the patient summary is required");
        }
        for (label, text) in [("P: the summary", summary), ("S: the situation", situation)] {
            let n = text.trim().chars().count();
            if n > MAX_HANDOFF_TEXT {
                return refuse(format!("{label} is {n} characters; at most {MAX_HANDOFF_TEXT} fit"));
            }
        }
        self.write(|tx| {
            let patient_id: i64 = tx
                .query_row("SELECT patient_id FROM stay WHERE id = ?1 AND discharged_at IS NULL", [stay_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such patient on the ward".into()))?;
            let accepted: Option<Option<String>> = tx
                .query_row(
                    "SELECT accepted_at FROM handoff WHERE stay_id = ?1 AND shift_start = ?2",
                    params![stay_id, to_db(w.start)],
                    |r| r.get(0),
                )
                .optional()?;
            match accepted {
                Some(Some(_)) => return refuse("this handoff has been accepted; it can no longer change"),
                Some(None) => {
                    tx.execute(
                        "UPDATE handoff SET severity = ?3, summary = ?4, situation = ?5, prepared_by = ?6, prepared_at = ?7
                         WHERE stay_id = ?1 AND shift_start = ?2",
                        params![stay_id, to_db(w.start), severity.code(), summary.trim(), situation.trim(), actor.id, to_db(now)],
                    )?;
                }
                None => {
                    tx.execute(
                        "INSERT INTO handoff (stay_id, shift_start, severity, summary, situation, prepared_by, prepared_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![stay_id, to_db(w.start), severity.code(), summary.trim(), situation.trim(), actor.id, to_db(now)],
                    )?;
                }
            }
            audit::record(tx, now, Some(actor.id), "handoff.prepare", Some(patient_id), severity.code())
        })
    }

    /// The receiving nurse, identified by their own password, records their synthesis and accepts.
    /// Refused when the bed is assigned to another nurse for the next shift: that takes the
    /// confirmation of [`Store::accept_handoff_as`] with `in_place_of`.
    pub fn accept_handoff(
        &mut self,
        receiver_username: &str,
        password: &str,
        stay_id: i64,
        w: &ShiftWindow,
        synthesis: &str,
        now: DateTime<Utc>,
    ) -> Result<Staff> {
        if synthesis.trim().is_empty() {
            return refuse("S: the receiver's synthesis (restatement, questions) is required");
        }
        let receiver = self.identify_receiver(receiver_username, password, now)?;
        self.accept_handoff_as(&receiver, stay_id, w, synthesis, None, now)
    }

    /// The receiving nurse, by their own username and password.
    pub fn identify_receiver(&mut self, username: &str, password: &str, now: DateTime<Utc>) -> Result<Staff> {
        match self.sign_in(username, password, now)? {
            Ok(s) => Ok(s),
            Err(e) => refuse(format!("the receiving nurse could not be identified: {e}")),
        }
    }

    /// The nurse assigned to a stay's bed for the shift after `w` (id and signature), if any.
    pub fn handoff_assignee(&self, stay_id: i64, w: &ShiftWindow) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn()
            .prepare_cached(ASSIGNEE_SQL)?
            .query_row(params![stay_id, to_db(w.end)], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Accept as an already identified receiving nurse. When the bed is assigned to another nurse
    /// for the next shift, `in_place_of` must name that nurse (the receiver confirmed it): the
    /// acceptance then records "accepted in place of ..." under the synthesis and in the audit.
    pub fn accept_handoff_as(
        &mut self,
        receiver: &Staff,
        stay_id: i64,
        w: &ShiftWindow,
        synthesis: &str,
        in_place_of: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Staff> {
        require(receiver, Action::HandOff)?;
        if synthesis.trim().is_empty() {
            return refuse("S: the receiver's synthesis (restatement, questions) is required");
        }
        if mentions_in_place_of(synthesis) {
            return refuse("S: a line starting \"[accepted in place of\" is written by wardterm, not typed");
        }
        self.write(|tx| {
            let (id, prepared_by, accepted, patient_id): (i64, i64, Option<String>, i64) = tx
                .query_row(
                    "SELECT h.id, h.prepared_by, h.accepted_at, s.patient_id FROM handoff h JOIN stay s ON s.id = h.stay_id
                     WHERE h.stay_id = ?1 AND h.shift_start = ?2",
                    params![stay_id, to_db(w.start)],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
                .ok_or_else(|| StoreError::Refused("prepare this patient's handoff before it can be accepted".into()))?;
            if accepted.is_some() {
                return refuse("this handoff has already been accepted");
            }
            if prepared_by == receiver.id {
                return refuse("the receiving nurse must be someone other than the nurse handing off");
            }
            // Read in the same transaction: an assignment changed since the confirmation is seen.
            let assigned: Option<(i64, String)> = tx
                .prepare_cached(ASSIGNEE_SQL)?
                .query_row(params![stay_id, to_db(w.end)], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (stored, detail) = match (assigned, in_place_of) {
                (Some((nurse, name)), confirmed) if nurse != receiver.id => {
                    if confirmed != Some(nurse) {
                        return refuse(format!(
                            "this bed is assigned to {name} for the next shift: accepting in their place \
                             must be confirmed"
                        ));
                    }
                    (
                        format!("{}\n{}", synthesis.trim(), in_place_of_line(&name)),
                        format!("accepted in place of {name} (user {nurse}), who was assigned"),
                    )
                }
                _ => (synthesis.trim().to_string(), String::new()),
            };
            tx.execute(
                "UPDATE handoff SET synthesis = ?2, received_by = ?3, accepted_at = ?4 WHERE id = ?1",
                params![id, stored, receiver.id, to_db(now)],
            )?;
            super::ledger::seal(tx, "handoff", id, now)?;
            audit::record(tx, now, Some(receiver.id), "handoff.accept", Some(patient_id), &detail)?;
            Ok(receiver.clone())
        })
    }

    /// Add an action item (owner and due time) to a stay's list.
    pub fn add_action_item(
        &mut self,
        actor: &Staff,
        stay_id: i64,
        what: &str,
        owner: &str,
        due_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        require(actor, Action::HandOff)?;
        let what = crate::domain::text::required_line("Action", what, 200).map_err(StoreError::Refused)?;
        let owner = crate::domain::text::required_line("Owner", owner, 80).map_err(StoreError::Refused)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO action_item (stay_id, what, owner, due_at, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![stay_id, what, owner, to_db(due_at), actor.id, to_db(now)],
            )?;
            let id = tx.last_insert_rowid();
            let patient_id: Option<i64> =
                tx.query_row("SELECT patient_id FROM stay WHERE id = ?1", [stay_id], |r| r.get(0)).optional()?;
            audit::record(tx, now, Some(actor.id), "action.add", patient_id, &what)?;
            Ok(id)
        })
    }

    /// Close an action item (done, or no longer needed), with a note.
    pub fn close_action_item(&mut self, actor: &Staff, id: i64, note: &str, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::HandOff)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE action_item SET closed_by = ?2, closed_at = ?3, close_note = ?4 WHERE id = ?1 AND closed_at IS NULL",
                params![id, actor.id, to_db(now), note.trim()],
            )?;
            if n == 0 {
                return refuse("no such open action item");
            }
            audit::record(tx, now, Some(actor.id), "action.close", None, &format!("item {id}"))
        })
    }

    /// Assign a nurse to a bed for a shift (charge nurse).
    pub fn assign(
        &mut self,
        actor: &Staff,
        shift_start: DateTime<Utc>,
        bed_id: i64,
        nurse_id: i64,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, Action::Assign)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO assignment (shift_start, bed_id, nurse, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (shift_start, bed_id) DO UPDATE SET nurse = excluded.nurse, set_by = excluded.set_by,
                 set_at = excluded.set_at",
                params![to_db(shift_start), bed_id, nurse_id, actor.id, to_db(now)],
            )?;
            audit::record(tx, now, Some(actor.id), "assign", None, &format!("bed {bed_id} -> user {nurse_id}"))
        })
    }

    /// For the census: each open stay's severity this shift and whether its handoff is accepted.
    pub fn handoff_status(&self, shift_start: DateTime<Utc>) -> Result<HashMap<i64, (Severity, bool)>> {
        let mut st = self.conn().prepare_cached(
            "SELECT h.stay_id, h.severity, h.accepted_at IS NOT NULL FROM handoff h WHERE h.shift_start = ?1",
        )?;
        let rows = st.query_map([to_db(shift_start)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (stay, sev, acc) = row?;
            if let Some(sev) = Severity::from_code(&sev) {
                out.insert(stay, (sev, acc));
            }
        }
        Ok(out)
    }
}
