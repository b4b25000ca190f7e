//! Admissions, transfers, level-of-care changes and discharges: each one transaction that also
//! writes the stay's history (`stay_event`) and the audit trail.
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::stay::{Admission, Discharge, SafetyFact};
use crate::domain::time::{from_db, to_db};
use crate::domain::user::{Action, Staff};

/// The parts of an open stay a change needs to check.
struct OpenStay {
    patient_id: i64,
    bed_id: i64,
    bed: String,
    level_of_care: String,
    observation: String,
    admitted_at: DateTime<Utc>,
}

fn open_stay(tx: &Transaction<'_>, stay_id: i64) -> Result<OpenStay> {
    let row = tx
        .query_row(
            "SELECT s.patient_id, s.bed_id, b.label, s.level_of_care, s.observation, s.admitted_at, s.discharged_at
             FROM stay s JOIN bed b ON b.id = s.bed_id WHERE s.id = ?1",
            [stay_id],
            |r| {
                Ok((
                    OpenStay {
                        patient_id: r.get(0)?,
                        bed_id: r.get(1)?,
                        bed: r.get(2)?,
                        level_of_care: r.get(3)?,
                        observation: r.get(4)?,
                        admitted_at: from_db(&r.get::<_, String>(5)?).unwrap_or_default(),
                    },
                    r.get::<_, Option<String>>(6)?,
                ))
            },
        )
        .optional()?;
    match row {
        None => refuse("no such stay"),
        Some((_, Some(_))) => refuse("this patient has been discharged; the stay can no longer change"),
        Some((s, None)) => Ok(s),
    }
}

#[allow(clippy::too_many_arguments)] // one column each of stay_event
fn event(
    tx: &Transaction<'_>,
    stay_id: i64,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    note: Option<&str>,
    actor: &Staff,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO stay_event (stay_id, kind, from_value, to_value, note, at, by_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![stay_id, kind, from, to, note, to_db(now), actor.id],
    )?;
    // Sealed in the transaction that writes it, like a signed note (issue 20, point 9).
    super::ledger::seal(tx, "stay_event", tx.last_insert_rowid(), now)?;
    Ok(())
}

/// Which bed an occupied bed label's stay is, if any.
fn occupant_of(tx: &Transaction<'_>, bed_id: i64) -> Result<Option<String>> {
    Ok(tx
        .query_row(
            "SELECT p.name FROM stay s JOIN patient p ON p.id = s.patient_id
             WHERE s.bed_id = ?1 AND s.discharged_at IS NULL",
            [bed_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn bed_label(tx: &Transaction<'_>, bed_id: i64) -> Result<String> {
    tx.query_row("SELECT label FROM bed WHERE id = ?1 AND active = 1", [bed_id], |r| r.get(0))
        .optional()?
        .map_or_else(|| refuse("no such bed"), Ok)
}

impl Store {
    /// Admit a patient to an empty bed. A known MRN re-admits the same person (name and date of
    /// birth must match); a new MRN registers them. Returns the new stay's id.
    pub fn admit(&mut self, actor: &Staff, bed_id: i64, a: &Admission, now: DateTime<Utc>) -> Result<i64> {
        require(actor, Action::Admit)?;
        crate::domain::text::refuse_control(&[
            ("Name", &a.name),
            ("MRN", &a.mrn),
            ("Substances", &a.substances),
            ("Last use", &a.last_use),
            ("Allergies", &a.allergies),
            ("Precautions", &a.precautions),
            ("Attending", &a.attending),
        ])
        .map_err(StoreError::Refused)?;
        self.write(|tx| {
            let bed = bed_label(tx, bed_id)?;
            if let Some(name) = occupant_of(tx, bed_id)? {
                return refuse(format!("bed {bed} is already occupied by {name}"));
            }
            let known = tx
                .query_row("SELECT id, name, birth_date FROM patient WHERE mrn = ?1", [&a.mrn], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                })
                .optional()?;
            let patient_id = match known {
                Some((id, name, dob)) => {
                    if name != a.name || dob != a.birth_date.to_string() {
                        return refuse(format!("MRN {} already belongs to {name} (born {dob}); check the MRN", a.mrn));
                    }
                    let here: Option<String> = tx
                        .query_row(
                            "SELECT b.label FROM stay s JOIN bed b ON b.id = s.bed_id
                             WHERE s.patient_id = ?1 AND s.discharged_at IS NULL",
                            [id],
                            |r| r.get(0),
                        )
                        .optional()?;
                    if let Some(b) = here {
                        return refuse(format!("{name} (MRN {}) is already admitted, in bed {b}", a.mrn));
                    }
                    id
                }
                None => {
                    tx.execute(
                        "INSERT INTO patient (mrn, name, birth_date, sex, created_at, created_by)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![a.mrn, a.name, a.birth_date.to_string(), a.sex.code(), to_db(now), actor.id],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            tx.execute(
                "INSERT INTO stay (patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care,
                    substances, last_use, protocol, allergies, precautions, attending, code_status, observation)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    patient_id,
                    bed_id,
                    to_db(a.admitted_at),
                    actor.id,
                    to_db(now),
                    a.level_of_care,
                    a.substances,
                    a.last_use,
                    a.protocol.code(),
                    a.allergies,
                    a.precautions,
                    a.attending,
                    a.code_status.code(),
                    a.observation
                ],
            )?;
            let stay_id = tx.last_insert_rowid();
            event(tx, stay_id, "admit", None, Some(&bed), None, actor, now)?;
            audit::record(tx, now, Some(actor.id), "stay.admit", Some(patient_id), &format!("bed {bed}"))?;
            Ok(stay_id)
        })
    }

    /// Move a patient to another, empty bed.
    pub fn transfer(&mut self, actor: &Staff, stay_id: i64, to_bed: i64, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Transfer)?;
        self.write(|tx| {
            let s = open_stay(tx, stay_id)?;
            let to = bed_label(tx, to_bed)?;
            if to_bed == s.bed_id {
                return refuse(format!("the patient is already in bed {to}"));
            }
            if let Some(name) = occupant_of(tx, to_bed)? {
                return refuse(format!("bed {to} is already occupied by {name}"));
            }
            tx.execute("UPDATE stay SET bed_id = ?2 WHERE id = ?1", params![stay_id, to_bed])?;
            event(tx, stay_id, "transfer", Some(&s.bed), Some(&to), None, actor, now)?;
            audit::record(tx, now, Some(actor.id), "stay.transfer", Some(s.patient_id), &format!("{} -> {to}", s.bed))
        })
    }

    /// Change the level of care of an open stay.
    pub fn change_level_of_care(&mut self, actor: &Staff, stay_id: i64, code: &str, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::ChangeLevelOfCare)?;
        self.write(|tx| {
            let s = open_stay(tx, stay_id)?;
            let known: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM level_of_care WHERE code = ?1)", [code], |r| r.get(0))?;
            if !known {
                return refuse(format!("unknown level of care {code:?}"));
            }
            if s.level_of_care == code {
                return refuse(format!("the level of care is already {code}"));
            }
            tx.execute("UPDATE stay SET level_of_care = ?2 WHERE id = ?1", params![stay_id, code])?;
            event(tx, stay_id, "level_of_care", Some(&s.level_of_care), Some(code), None, actor, now)?;
            audit::record(
                tx,
                now,
                Some(actor.id),
                "stay.level_of_care",
                Some(s.patient_id),
                &format!("{} -> {code}", s.level_of_care),
            )
        })
    }

    /// Change the observation level of an open stay (who and when go in its history).
    pub fn change_observation(&mut self, actor: &Staff, stay_id: i64, code: &str, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Assess)?;
        self.write(|tx| change_observation_in(tx, actor, stay_id, code, None, now).map(|_| ()))
    }

    /// Discharge: the patient leaves the board, never the database.
    pub fn discharge(&mut self, actor: &Staff, stay_id: i64, d: &Discharge, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Discharge)?;
        self.write(|tx| {
            let s = open_stay(tx, stay_id)?;
            if d.at < s.admitted_at {
                return refuse("the discharge time is before the admission");
            }
            // Against medical advice: what the aftercare checklist still had open goes on record.
            let mut aftercare = d.aftercare.clone();
            if d.kind == crate::domain::stay::DischargeType::Ama {
                let open = super::plan::open_aftercare(tx, stay_id)?;
                if !open.is_empty() {
                    let list = crate::domain::aftercare::open_text(&open);
                    aftercare = format!("{} [aftercare open at AMA discharge: {list}]", aftercare.trim());
                }
            }
            tx.execute(
                "UPDATE stay SET discharged_at = ?2, discharged_by = ?3, discharge_type = ?4, aftercare = ?5
                 WHERE id = ?1",
                params![stay_id, to_db(d.at), actor.id, d.kind.code(), aftercare],
            )?;
            event(tx, stay_id, "discharge", Some(&s.bed), Some(d.kind.code()), Some(&aftercare), actor, now)?;
            audit::record(tx, now, Some(actor.id), "stay.discharge", Some(s.patient_id), d.kind.code())
        })
    }
}

/// A change of a stay's safety fact, as the timeline and the handoff show it.
#[derive(Clone, Debug, PartialEq)]
pub struct SafetyChange {
    pub stay_id: i64,
    pub fact: SafetyFact,
    pub from: String,
    pub to: String,
    pub why: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A stay's safety-fact changes from `?2` to `?3`, oldest first (`stay_event_stay` index).
pub const SAFETY_CHANGES_SQL: &str = "
SELECT e.kind, e.from_value, e.to_value, e.note, e.at, u.display_name || ', ' || u.credentials
FROM stay_event e JOIN user u ON u.id = e.by_user
WHERE e.stay_id = ?1 AND e.at >= ?2 AND e.at < ?3 AND e.kind IN ('allergies', 'precautions', 'code_status')
ORDER BY e.at, e.id";

impl Store {
    /// Change an open stay's allergies, precautions or code status after admission (issue 20,
    /// point 9): the stay row, its history with who, when and why, and the audit trail, in one
    /// transaction. Code status follows a provider's order and is the charge nurse's to record;
    /// allergies and precautions any nurse who assesses may record.
    pub fn change_safety_fact(
        &mut self,
        actor: &Staff,
        stay_id: i64,
        fact: SafetyFact,
        value: &str,
        why: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, if fact == SafetyFact::CodeStatus { Action::ChangeLevelOfCare } else { Action::Assess })?;
        self.write(|tx| change_safety_fact_in(tx, actor, stay_id, fact, value, why, now))
    }

    /// A stay's safety-fact changes in a window, oldest first. An unreadable time is an error.
    pub fn safety_changes(&self, stay_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<SafetyChange>> {
        let mut st = self.conn().prepare_cached(SAFETY_CHANGES_SQL)?;
        let rows = st.query_map(params![stay_id, to_db(from), to_db(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, from_v, to_v, why, at, by) = row?;
            let fact = SafetyFact::from_code(&kind)
                .ok_or_else(|| StoreError::Refused(format!("stay {stay_id}: unknown change {kind:?}")))?;
            let at = super::db_time(&at, &format!("stay {stay_id}"))?;
            out.push(SafetyChange {
                stay_id,
                fact,
                from: from_v.unwrap_or_default(),
                to: to_v.unwrap_or_default(),
                why: why.unwrap_or_default(),
                at,
                by,
            });
        }
        Ok(out)
    }
}

/// An open stay's observation level changes, inside the caller's transaction (the C-SSRS
/// decision applies one in the transaction that records the screen). `why` goes in its history.
pub(crate) fn change_observation_in(
    tx: &Transaction<'_>,
    actor: &Staff,
    stay_id: i64,
    code: &str,
    why: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String> {
    let s = open_stay(tx, stay_id)?;
    let known: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM observation_level WHERE code = ?1)", [code], |r| r.get(0))?;
    if !known {
        return refuse(format!("unknown observation level {code:?}"));
    }
    tx.execute("UPDATE stay SET observation = ?2 WHERE id = ?1", params![stay_id, code])?;
    event(tx, stay_id, "observation", Some(&s.observation), Some(code), why, actor, now)?;
    audit::record(tx, now, Some(actor.id), "stay.observation", Some(s.patient_id), code)?;
    Ok(s.observation)
}

/// An open stay's allergies, precautions or code status change, inside the caller's transaction.
pub(crate) fn change_safety_fact_in(
    tx: &Transaction<'_>,
    actor: &Staff,
    stay_id: i64,
    fact: SafetyFact,
    value: &str,
    why: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let (value, why) = fact.validate(value, why).map_err(StoreError::Refused)?;
    let s = open_stay(tx, stay_id)?;
    let column = fact.code();
    let current: String = tx.query_row(&format!("SELECT {column} FROM stay WHERE id = ?1"), [stay_id], |r| r.get(0))?;
    if current == value {
        return refuse(format!("{} is already {value:?}", fact.label()));
    }
    tx.execute(&format!("UPDATE stay SET {column} = ?2 WHERE id = ?1"), params![stay_id, value])?;
    event(tx, stay_id, column, Some(&current), Some(&value), Some(&why), actor, now)?;
    audit::record(
        tx,
        now,
        Some(actor.id),
        &format!("stay.{column}"),
        Some(s.patient_id),
        &format!("{current:?} -> {value:?} ({why})"),
    )
}
