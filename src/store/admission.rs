//! The admission assessment (REFERENCE.md §8): one per stay, drafted by its author and saved
//! every few seconds like a note, signed once every section is answered or "not assessed" with a
//! reason, then final and sealed; a later section or a correction is a signed addendum. Each
//! write is one transaction with its audit row.
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit, db_time, refuse, require};
use crate::domain::admission::{AdmissionEntry, AdmissionRecord, Assessment};
use crate::domain::time::to_db;
use crate::domain::user::{Action, Staff};

macro_rules! admission_columns {
    () => {
        "SELECT a.id, a.stay_id, a.addendum_to, a.author,
                coalesce(a.author_name || ', ' || a.author_credentials, u.display_name || ', ' || u.credentials),
                a.started_at, a.saved_at, a.signed_at, a.body, a.note
         FROM admission_assessment a JOIN user u ON u.id = a.author "
    };
}

/// A stay's admission assessment (`admission_one_per_stay`).
pub const ADMISSION_SQL: &str = concat!(admission_columns!(), "WHERE a.stay_id = ?1 AND a.addendum_to IS NULL");
/// Its signed addenda, oldest first (`admission_addenda`).
pub const ADMISSION_ADDENDA_SQL: &str =
    concat!(admission_columns!(), "WHERE a.addendum_to = ?1 ORDER BY a.signed_at, a.id");

struct Raw {
    id: i64,
    stay_id: i64,
    addendum_to: Option<i64>,
    author_id: i64,
    author: String,
    started_at: String,
    saved_at: String,
    signed_at: Option<String>,
    body: String,
    note: Option<String>,
}

fn raw(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok(Raw {
        id: r.get(0)?,
        stay_id: r.get(1)?,
        addendum_to: r.get(2)?,
        author_id: r.get(3)?,
        author: r.get(4)?,
        started_at: r.get(5)?,
        saved_at: r.get(6)?,
        signed_at: r.get(7)?,
        body: r.get(8)?,
        note: r.get(9)?,
    })
}

fn entry(r: Raw) -> Result<AdmissionEntry> {
    let what = format!("admission assessment {}", r.id);
    Ok(AdmissionEntry {
        id: r.id,
        stay_id: r.stay_id,
        addendum_to: r.addendum_to,
        author_id: r.author_id,
        author: r.author,
        started_at: db_time(&r.started_at, &what)?,
        saved_at: db_time(&r.saved_at, &what)?,
        signed_at: r.signed_at.as_deref().map(|t| db_time(t, &what)).transpose()?,
        body: Assessment::from_json(&r.body).map_err(|e| StoreError::Refused(format!("{what}: {e}")))?,
        note: r.note,
    })
}

fn open_patient(conn: &Connection, stay_id: i64) -> Result<i64> {
    let row: Option<(i64, Option<String>)> = conn
        .query_row("SELECT patient_id, discharged_at FROM stay WHERE id = ?1", [stay_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        None => refuse("no such stay"),
        Some((_, Some(_))) => refuse("this patient has been discharged"),
        Some((p, None)) => Ok(p),
    }
}

impl Store {
    /// A stay's admission assessment and its signed addenda (oldest first), if one was started.
    /// A draft is returned to anyone, so the census and the handoff can say it is in progress and
    /// whose it is; only its author may change it.
    pub fn admission_assessment(&self, stay_id: i64) -> Result<Option<AdmissionRecord>> {
        let original = self.conn().prepare_cached(ADMISSION_SQL)?.query_row([stay_id], raw).optional()?;
        let Some(original) = original else { return Ok(None) };
        let original = entry(original)?;
        let addenda: Vec<Raw> = self
            .conn()
            .prepare_cached(ADMISSION_ADDENDA_SQL)?
            .query_map([original.id], raw)?
            .collect::<rusqlite::Result<_>>()?;
        let addenda = addenda.into_iter().map(entry).collect::<Result<_>>()?;
        Ok(Some(AdmissionRecord { original, addenda }))
    }

    /// Start the stay's admission assessment (every section unanswered), or return the draft
    /// already started by this nurse. Refused when another nurse's draft or a signed one exists.
    pub fn start_admission_assessment(&mut self, actor: &Staff, stay_id: i64, now: DateTime<Utc>) -> Result<i64> {
        require(actor, Action::Assess)?;
        self.write(|tx| {
            let patient_id = open_patient(tx, stay_id)?;
            let existing: Option<(i64, i64, Option<String>, String)> = tx
                .query_row(
                    "SELECT a.id, a.author, a.signed_at, u.display_name || ', ' || u.credentials
                     FROM admission_assessment a JOIN user u ON u.id = a.author
                     WHERE a.stay_id = ?1 AND a.addendum_to IS NULL",
                    [stay_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match existing {
                Some((id, author, None, _)) if author == actor.id => Ok(id),
                Some((_, _, None, who)) => {
                    refuse(format!("{who} has this admission assessment in progress; only they can continue it"))
                }
                Some((_, _, Some(_), _)) => refuse("the admission assessment is signed; add an addendum instead"),
                None => {
                    tx.execute(
                        "INSERT INTO admission_assessment (stay_id, author, body, started_at, saved_at)
                         VALUES (?1, ?2, ?3, ?4, ?4)",
                        params![stay_id, actor.id, Assessment::default().to_json(), to_db(now)],
                    )?;
                    let id = tx.last_insert_rowid();
                    audit::record(tx, now, Some(actor.id), "admission.draft", Some(patient_id), &format!("{id}"))?;
                    Ok(id)
                }
            }
        })
    }

    /// Autosave the draft. Only its author, only while unsigned.
    pub fn save_admission_draft(
        &mut self,
        actor: &Staff,
        id: i64,
        body: &Assessment,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let json = body.to_json();
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE admission_assessment SET body = ?3, saved_at = max(?4, started_at)
                 WHERE id = ?1 AND author = ?2 AND signed_at IS NULL AND addendum_to IS NULL",
                params![id, actor.id, json, to_db(now)],
            )?;
            if n == 0 {
                return refuse("this admission assessment is not your draft, or it is already signed");
            }
            Ok(())
        })
    }

    /// Sign the draft with the nurse's password (her signature, as for a note): every section answered or not assessed with a reason (the database checks
    /// the sections too), then final and sealed.
    pub fn sign_admission_assessment(
        &mut self,
        actor: &Staff,
        id: i64,
        body: &Assessment,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, Action::Assess)?;
        if !self.confirm_password(actor.id, password)? {
            return refuse("the password is wrong; the admission assessment was not signed");
        }
        body.ready_to_sign().map_err(|e| StoreError::Refused(format!("not ready to sign: {e}")))?;
        let json = body.without_form().to_json();
        self.write(|tx| {
            let stay_id: Option<i64> = tx
                .query_row(
                    "SELECT stay_id FROM admission_assessment
                     WHERE id = ?1 AND author = ?2 AND signed_at IS NULL AND addendum_to IS NULL",
                    params![id, actor.id],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(stay_id) = stay_id else {
                return refuse("this admission assessment is not your draft, or it is already signed");
            };
            let patient_id = open_patient(tx, stay_id)?;
            tx.execute(
                "UPDATE admission_assessment SET body = ?2, saved_at = max(?3, started_at), signed_at = max(?3, started_at),
                        author_name = ?4, author_credentials = ?5
                 WHERE id = ?1",
                params![id, json, to_db(now), actor.display_name, actor.credentials],
            )?;
            super::ledger::seal(tx, "admission", id, now)?;
            audit::record(tx, now, Some(actor.id), "admission.sign", Some(patient_id), &format!("{id}"))
        })
    }

    /// Throw away your own unsigned draft (it was never part of the record).
    pub fn discard_admission_draft(&mut self, actor: &Staff, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM admission_assessment WHERE id = ?1 AND author = ?2 AND signed_at IS NULL",
                params![id, actor.id],
            )?;
            if n == 0 {
                return refuse("this admission assessment is not your draft, or it is already signed");
            }
            audit::record(tx, now, Some(actor.id), "admission.discard", None, &format!("draft {id}"))
        })
    }

    /// A signed addendum to the stay's signed admission assessment: the sections it gives (each
    /// answered or not assessed) and why. Returns its id.
    pub fn add_admission_addendum(
        &mut self,
        actor: &Staff,
        original: i64,
        body: &Assessment,
        note: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        require(actor, Action::Assess)?;
        if !self.confirm_password(actor.id, password)? {
            return refuse("the password is wrong; the addendum was not signed");
        }
        let problems = body.problems(false);
        if !problems.is_empty() {
            return refuse(format!("the addendum is not ready: {}", problems.join("; ")));
        }
        if note.trim().is_empty() {
            return refuse("say why the addendum is written (what it completes or corrects)");
        }
        let json = body.without_form().to_json();
        self.write(|tx| {
            let stay_id: Option<i64> = tx
                .query_row(
                    "SELECT stay_id FROM admission_assessment WHERE id = ?1 AND addendum_to IS NULL AND signed_at IS NOT NULL",
                    [original],
                    |r| r.get(0),
                )
                .optional()?;
            let Some(stay_id) = stay_id else {
                return refuse("an addendum attaches to a signed admission assessment");
            };
            let patient_id = open_patient(tx, stay_id)?;
            tx.execute(
                "INSERT INTO admission_assessment (stay_id, addendum_to, author, body, note, started_at, saved_at,
                                                   signed_at, author_name, author_credentials)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?6, ?7, ?8)",
                params![stay_id, original, actor.id, json, note.trim(), to_db(now), actor.display_name, actor.credentials],
            )?;
            let id = tx.last_insert_rowid();
            super::ledger::seal(tx, "admission", id, now)?;
            audit::record(tx, now, Some(actor.id), "admission.addendum", Some(patient_id), &format!("{id} to {original}"))?;
            Ok(id)
        })
    }
}
