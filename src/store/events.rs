//! Emergencies (issue 17 point 5): one event recorded (sealed, audited) with the follow-up
//! prompts the unit's settings give it (kind 'follow-up', each with its due time), in one
//! transaction.
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, audit, db_time, refuse, require};
use crate::domain::emergency::{EventKind, Naloxone, NewEvent, follow_ups};
use crate::domain::provider_call::Prompt;
use crate::domain::time::to_db;
use crate::domain::user::{Action, Staff};

/// An emergency as recorded, with who and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub id: i64,
    pub stay_id: i64,
    pub kind: EventKind,
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub recorded_at: DateTime<Utc>,
    /// "Ana Ortiz, RN".
    pub by: String,
    pub actions: String,
    pub called: String,
    pub outcome: String,
    pub naloxone: Option<Naloxone>,
}

/// What recording an event came to: the event and the follow-ups it prompted.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedEvent {
    pub event: Event,
    pub follow_ups: Vec<Prompt>,
}

macro_rules! event_columns {
    () => {
        "SELECT e.id, e.stay_id, e.kind, e.started_at, e.ended_at, e.recorded_at, u.display_name || ', ' || u.credentials,
                e.actions, e.called, e.outcome, e.naloxone_dose, e.naloxone_route, e.naloxone_at, e.naloxone_response
         FROM clinical_event e JOIN user u ON u.id = e.by_user "
    };
}

/// One event by id.
pub const EVENT_BY_ID_SQL: &str = concat!(event_columns!(), "WHERE e.id = ?1");
/// A stay's events in a window, oldest first (`clinical_event_stay_time`; timeline, handoff).
pub const EVENTS_BETWEEN_SQL: &str = concat!(
    event_columns!(),
    "WHERE e.stay_id = ?1 AND e.started_at >= ?2 AND e.started_at < ?3 ORDER BY e.started_at, e.id"
);

type RawEvent = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
        r.get(13)?,
    ))
}

fn finish(raw: RawEvent) -> Result<Event> {
    let (id, stay_id, kind, started, ended, recorded, by, actions, called, outcome, dose, route, at, response) = raw;
    let what = format!("event {id}");
    let naloxone = match (dose, route, at, response) {
        (Some(dose), Some(route), Some(at), Some(response)) => {
            Some(Naloxone { dose, route, at: db_time(&at, &what)?, response })
        }
        _ => None,
    };
    Ok(Event {
        id,
        stay_id,
        kind: EventKind::from_code(&kind)
            .ok_or_else(|| StoreError::Refused(format!("{what}: unknown kind {kind:?}")))?,
        started_at: db_time(&started, &what)?,
        ended_at: ended.map(|e| db_time(&e, &what)).transpose()?,
        recorded_at: db_time(&recorded, &what)?,
        by,
        actions,
        called,
        outcome,
        naloxone,
    })
}

impl Store {
    /// Record an emergency and its follow-up prompts in one transaction (sealed, audited).
    pub fn record_event(&mut self, actor: &Staff, e: &NewEvent, now: DateTime<Utc>) -> Result<RecordedEvent> {
        require(actor, Action::Assess)?;
        e.validate(now).map_err(StoreError::Refused)?;
        let (id, prompt_ids) = self.write(|tx| {
            let (patient_id, admitted_at, discharged): (i64, String, Option<String>) = tx
                .query_row("SELECT patient_id, admitted_at, discharged_at FROM stay WHERE id = ?1", [e.stay_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            if e.started_at < db_time(&admitted_at, "stay")? {
                return refuse("the event's start is before the admission");
            }
            let follow_up = super::vitals::follow_up_in(tx)?;
            let recorded_at = now.max(e.started_at);
            let n = e.naloxone.as_ref();
            tx.prepare_cached(
                "INSERT INTO clinical_event (stay_id, kind, started_at, ended_at, recorded_at, by_user, actions, called,
                                             outcome, naloxone_dose, naloxone_route, naloxone_at, naloxone_response)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                e.stay_id,
                e.kind.code(),
                to_db(e.started_at),
                e.ended_at.map(to_db),
                to_db(recorded_at),
                actor.id,
                e.actions.trim(),
                e.called.trim(),
                e.outcome.trim(),
                n.map(|n| n.dose.trim().to_string()),
                n.map(|n| n.route.clone()),
                n.map(|n| to_db(n.at)),
                n.map(|n| n.response.trim().to_string()),
            ])?;
            let id = tx.last_insert_rowid();
            super::ledger::seal(tx, "clinical_event", id, now)?;
            let mut prompts = Vec::new();
            for f in follow_ups(e, &follow_up, recorded_at) {
                let why = super::vitals::clip(&f.why, 200);
                prompts.push(super::calls::raise_prompt(
                    tx,
                    e.stay_id,
                    "follow-up",
                    "event",
                    id,
                    &why,
                    recorded_at,
                    Some(f.due_at),
                )?);
            }
            audit::record(
                tx,
                now,
                Some(actor.id),
                "event.record",
                Some(patient_id),
                &format!("{} {id}, {} follow-up(s)", e.kind.code(), prompts.len()),
            )?;
            Ok((id, prompts))
        })?;
        let event = self.event(id)?.ok_or_else(|| StoreError::Refused("the event was not saved".into()))?;
        let mut follow_ups = Vec::new();
        for p in prompt_ids {
            if let Some(p) = self.prompt(p)? {
                follow_ups.push(p);
            }
        }
        Ok(RecordedEvent { event, follow_ups })
    }

    /// One event by id.
    pub fn event(&self, id: i64) -> Result<Option<Event>> {
        self.conn().prepare_cached(EVENT_BY_ID_SQL)?.query_row([id], event_row).optional()?.map(finish).transpose()
    }

    /// A stay's events started in `[from, to)`, oldest first (the timeline, the handoff).
    pub fn events_between(&self, stay_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>> {
        let raws: Vec<RawEvent> = self
            .conn()
            .prepare_cached(EVENTS_BETWEEN_SQL)?
            .query_map(params![stay_id, to_db(from), to_db(to)], event_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(finish).collect()
    }
}
