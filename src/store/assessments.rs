//! Withdrawal assessments: each saved with its items, vitals, author, the policy versions that
//! scored it, and the next due time the ward's protocol gives — in one transaction.
use chrono::{DateTime, Duration, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::protocol::{Ladder, Scored};
use crate::domain::scale::{Answers, BandSet};
use crate::domain::time::{from_db, to_db};
use crate::domain::user::{Action, Staff};

/// Vitals taken with an assessment; each one only if the nurse gave it (never filled in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vitals {
    pub temp_c: Option<f64>,
    pub heart_rate: Option<u16>,
    pub bp_systolic: Option<u16>,
    pub bp_diastolic: Option<u16>,
    pub resp_rate: Option<u16>,
    pub spo2: Option<u16>,
}

/// What the assessment found: a score, or why there is none (never a zero).
#[derive(Clone, Debug)]
pub enum Outcome {
    Scored(Answers),
    Unable {
        scale: String,
        reason: String,
        note: String,
    },
}

#[derive(Clone, Debug)]
pub struct NewAssessment {
    pub stay_id: i64,
    pub outcome: Outcome,
    pub vitals: Vitals,
    /// When it was done (earlier than now for a late entry; never in the future).
    pub taken_at: DateTime<Utc>,
}

/// The latest version of a ward policy for a scale: its row id and body.
pub(crate) fn policy<T: serde::de::DeserializeOwned>(
    tx: &Transaction<'_>,
    scale: &str,
    kind: &str,
) -> Result<(i64, T)> {
    let (id, body): (i64, String) = tx
        .query_row(
            "SELECT id, body FROM policy WHERE scale = ?1 AND kind = ?2 ORDER BY version DESC LIMIT 1",
            params![scale, kind],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or_else(|| StoreError::Refused(format!("the ward has no {kind} policy for {scale}")))?;
    let parsed = serde_json::from_str(&body).map_err(|e| {
        StoreError::Refused(format!(
            "the ward's {kind} policy for {scale} is unreadable: {e}"
        ))
    })?;
    Ok((id, parsed))
}

/// Completed scores of a stay in the window the ladder looks at, oldest first.
fn recent_scores(tx: &Transaction<'_>, stay_id: i64, since: DateTime<Utc>) -> Result<Vec<Scored>> {
    let mut st = tx.prepare_cached(
        "SELECT taken_at, total FROM assessment
         WHERE stay_id = ?1 AND taken_at >= ?2 AND total IS NOT NULL ORDER BY taken_at",
    )?;
    let rows = st.query_map(params![stay_id, to_db(since)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u16>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, total) = row?;
        if let Some(at) = from_db(&at) {
            out.push(Scored { at, total });
        }
    }
    Ok(out)
}

impl Store {
    /// Save an assessment and the protocol's next due time. Returns the assessment id.
    pub fn record_assessment(
        &mut self,
        actor: &Staff,
        a: &NewAssessment,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        require(actor, Action::Assess)?;
        if a.taken_at > now + Duration::minutes(1) {
            return refuse(
                "the assessment time is in the future; the record is never charted ahead",
            );
        }
        let scale = match &a.outcome {
            Outcome::Scored(ans) => ans.scale().key.to_string(),
            Outcome::Unable { scale, .. } => scale.clone(),
        };
        self.write(|tx| {
            let (patient_id, admitted_at, discharged): (i64, String, Option<String>) = tx
                .query_row(
                    "SELECT patient_id, admitted_at, discharged_at FROM stay WHERE id = ?1",
                    [a.stay_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            if from_db(&admitted_at).is_some_and(|adm| a.taken_at < adm) {
                return refuse("the assessment time is before the admission");
            }
            let (bands_id, bands): (i64, BandSet) = policy(tx, &scale, "bands")?;
            let (ladder_id, ladder): (i64, Ladder) = policy(tx, &scale, "ladder")?;
            // The ladder looks back at most over its step-down window (48 h by default).
            let window = ladder.step_down.as_ref().map_or(72, |s| s.stop_after_hours as i64 + 24);
            let mut history = recent_scores(tx, a.stay_id, a.taken_at - Duration::hours(window))?;
            history.retain(|s| s.at <= a.taken_at);
            let (total, band, severe, due, prompts) = match &a.outcome {
                Outcome::Scored(ans) => {
                    if !ans.complete() {
                        return refuse(format!("{} items are unanswered; a total is final only when all are", ans.unanswered().len()));
                    }
                    let total = ans.total();
                    let band = bands.band_for(total);
                    history.push(Scored { at: a.taken_at, total });
                    let due = ladder.next_due(&history, None);
                    let prompts = due
                        .as_ref()
                        .map(|d| d.prompts.iter().map(|p| p.text()).collect::<Vec<_>>().join("; "))
                        .unwrap_or_default();
                    (Some(total), Some(band.label.clone()), Some(band.severe), due.map(|d| d.at), prompts)
                }
                Outcome::Unable { .. } => {
                    // No score: reassess at the ladder's most frequent interval (unit configuration).
                    let mins = ladder.rungs.iter().map(|r| r.reassess_minutes).min().unwrap_or(60);
                    (None, None, None, Some(a.taken_at + Duration::minutes(mins as i64)), String::new())
                }
            };
            let (reason, note) = match &a.outcome {
                Outcome::Unable { reason, note, .. } => (Some(reason.as_str()), Some(note.as_str())),
                Outcome::Scored(_) => (None, None),
            };
            let v = &a.vitals;
            tx.execute(
                "INSERT INTO assessment (stay_id, scale, taken_at, recorded_at, by_user, total, band, severe,
                    unable_reason, unable_note, bands_policy, ladder_policy, next_due_at, prompts,
                    temp_c, heart_rate, bp_systolic, bp_diastolic, resp_rate, spo2)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                params![
                    a.stay_id,
                    scale,
                    to_db(a.taken_at),
                    to_db(now.max(a.taken_at)),
                    actor.id,
                    total,
                    band,
                    severe,
                    reason,
                    note,
                    bands_id,
                    ladder_id,
                    due.map(to_db),
                    prompts,
                    v.temp_c,
                    v.heart_rate,
                    v.bp_systolic,
                    v.bp_diastolic,
                    v.resp_rate,
                    v.spo2
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let Outcome::Scored(ans) = &a.outcome {
                let mut st = tx.prepare_cached(
                    "INSERT INTO assessment_item (assessment_id, scale, item, score) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (i, item) in ans.scale().items.iter().enumerate() {
                    if let Some(score) = ans.score(i) {
                        st.execute(params![id, scale, item.key, score])?;
                    }
                }
            }
            let what = total.map_or_else(|| "unable to assess".to_string(), |t| format!("{scale} {t}"));
            audit::record(tx, now, Some(actor.id), "assessment.add", Some(patient_id), &what)?;
            Ok(id)
        })
    }

    /// Write fast and non-durably while generating demo data; call again with `false` after.
    pub fn set_bulk_loading(&mut self, on: bool) -> Result<()> {
        self.conn()
            .pragma_update(None, "synchronous", if on { "OFF" } else { "FULL" })?;
        Ok(())
    }
}
