//! Withdrawal assessments: each saved with its items, vitals, author, the policy versions that
//! scored it, and the next due time the ward's protocol gives — in one transaction.
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, audit, refuse, require};
pub use crate::domain::assessment::{NewAssessment, Outcome};
use crate::domain::protocol::{Charted, Entry, Ladder, Scored, prompts_text};
use crate::domain::scale::BandSet;
use crate::domain::time::{from_db, to_db};
use crate::domain::user::{Action, Staff};
pub use crate::domain::vitals::Vitals;

/// The latest version of a ward policy (`?1` scale, `?2` kind).
pub const POLICY_SQL: &str = "SELECT id, body FROM policy WHERE scale = ?1 AND kind = ?2 ORDER BY version DESC LIMIT 1";

/// The latest version of a ward policy for a scale: its row id and body.
pub(crate) fn policy<T: serde::de::DeserializeOwned>(conn: &Connection, scale: &str, kind: &str) -> Result<(i64, T)> {
    let (id, body): (i64, String) = conn
        .query_row(POLICY_SQL, params![scale, kind], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::Refused(format!("the ward has no {kind} policy for {scale}")))?;
    let parsed = serde_json::from_str(&body)
        .map_err(|e| StoreError::Refused(format!("the ward's {kind} policy for {scale} is unreadable: {e}")))?;
    Ok((id, parsed))
}

/// One scale's own entries of a stay (scores and "unable to assess") from `?3` up to `?4`,
/// oldest first: the ladder's look-back (index `assessment_stay_scale_time`).
pub const SERIES_SQL: &str = "SELECT taken_at, total, unable_reason FROM assessment
         WHERE stay_id = ?1 AND scale = ?2 AND taken_at >= ?3 AND taken_at <= ?4 ORDER BY taken_at, id";

/// Whether the stay already has an entry of this scale later than `?3`.
pub const LATER_SQL: &str =
    "SELECT EXISTS (SELECT 1 FROM assessment WHERE stay_id = ?1 AND scale = ?2 AND taken_at > ?3)";

/// One scale's entries in the window the ladder looks at, oldest first. An unreadable time is
/// an error naming the row, never a guessed date.
fn series(
    tx: &Transaction<'_>,
    stay_id: i64,
    scale: &str,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Entry>> {
    let mut st = tx.prepare_cached(SERIES_SQL)?;
    let rows = st.query_map(params![stay_id, scale, to_db(since), to_db(until)], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<u16>>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, total, reason) = row?;
        let at = super::db_time(&at, &format!("assessment of stay {stay_id}"))?;
        out.push(match total {
            Some(total) => Entry::Scored(Scored { at, total }),
            None => Entry::Unable { at, reason: reason.unwrap_or_default() },
        });
    }
    Ok(out)
}

/// The latest PRN of a stay given at or after `?2` and up to `?3` (answers that score's prompt).
pub const PRN_SINCE_SQL: &str =
    "SELECT max(given_at) FROM prn WHERE stay_id = ?1 AND given_at >= ?2 AND given_at <= ?3";

impl Store {
    /// Save an assessment, charted by the ward's ladder for ITS scale over that scale's own
    /// series, in one transaction. Returns what was charted: the nurse is told exactly this.
    pub fn record_assessment(&mut self, actor: &Staff, a: &NewAssessment, now: DateTime<Utc>) -> Result<Charted> {
        require(actor, Action::Assess)?;
        if a.taken_at > now + Duration::minutes(1) {
            return refuse("the assessment time is in the future; the record is never charted ahead");
        }
        let scale = match &a.outcome {
            Outcome::Scored(ans) => ans.scale().key.to_string(),
            Outcome::Unable { scale, .. } => scale.clone(),
        };
        if let Outcome::Scored(ans) = &a.outcome
            && !ans.complete()
        {
            return refuse(format!(
                "{} items are unanswered; a total is final only when all are",
                ans.unanswered().len()
            ));
        }
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
            // The ladder looks back over its step-down window (48 h by default) and a day more.
            let window = ladder.step_down.as_ref().map_or(72, |s| i64::from(s.stop_after_hours) + 24);
            // Only this scale's own entries up to this one's time: a late entry is charted as of
            // when it was taken (REFERENCE.md §1: one schedule per scale).
            let mut history = series(tx, a.stay_id, &scale, a.taken_at - Duration::hours(window), a.taken_at)?;
            let (total, band, unable_reason) = match &a.outcome {
                Outcome::Scored(ans) => {
                    let total = ans.total();
                    let band = bands.band_for(total);
                    history.push(Entry::Scored(Scored { at: a.taken_at, total }));
                    (Some(total), Some((band.label.clone(), band.severe)), None)
                }
                Outcome::Unable { reason, .. } => {
                    history.push(Entry::Unable { at: a.taken_at, reason: reason.clone() });
                    (None, None, Some(reason.clone()))
                }
            };
            let last_prn: Option<String> = tx.query_row(
                PRN_SINCE_SQL,
                params![a.stay_id, to_db(a.taken_at), to_db(now.max(a.taken_at))],
                |r| r.get(0),
            )?;
            let due = ladder
                .chart(&history, last_prn.as_deref().and_then(from_db))
                .ok_or_else(|| StoreError::Refused("the ladder gave no due time".into()))?;
            let superseded: bool =
                tx.query_row(LATER_SQL, params![a.stay_id, scale, to_db(a.taken_at)], |r| r.get(0))?;
            let prompts = prompts_text(&due.prompts);
            let (reason, note) = match &a.outcome {
                Outcome::Unable { reason, note, .. } => (Some(reason.as_str()), Some(note.as_str())),
                Outcome::Scored(_) => (None, None),
            };
            let v = &a.vitals;
            tx.execute(
                "INSERT INTO assessment (stay_id, scale, taken_at, recorded_at, by_user, total, band, severe,
                    unable_reason, unable_note, bands_policy, ladder_policy, next_due_at, prompts,
                    temp_c, heart_rate, bp_systolic, bp_diastolic, resp_rate, spo2, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
                params![
                    a.stay_id,
                    scale,
                    to_db(a.taken_at),
                    to_db(now.max(a.taken_at)),
                    actor.id,
                    total,
                    band.as_ref().map(|b| b.0.as_str()),
                    band.as_ref().map(|b| b.1),
                    reason,
                    note,
                    bands_id,
                    ladder_id,
                    to_db(due.at),
                    prompts,
                    v.temp_c,
                    v.heart_rate,
                    v.bp_systolic,
                    v.bp_diastolic,
                    v.resp_rate,
                    v.spo2,
                    a.comment
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
            super::ledger::seal(tx, "assessment", id, now)?;
            // The protocol's "Notify provider now" (REFERENCE.md §1's ladder) is a prompt that
            // stays open until a call is documented or it is dismissed with a reason; one open
            // per scale at a time (a second high score while it is open adds none). A late entry
            // that a later score already supersedes raises none.
            if !superseded && due.prompts.contains(&crate::domain::protocol::Prompt::NotifyProvider) {
                let open: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM clinical_prompt p JOIN assessment x ON x.id = p.source_id
                         WHERE p.stay_id = ?1 AND p.closed_at IS NULL AND p.source = 'score' AND x.scale = ?2)",
                    )?
                    .query_row(params![a.stay_id, scale], |r| r.get(0))?;
                if !open {
                    let name = crate::domain::scales::by_key(&scale).map_or(scale.as_str(), |s| s.name);
                    let words = match (&total, &band) {
                        (Some(t), Some((b, _))) => format!("{name} {t} {b}: the protocol says notify the provider now"),
                        _ => format!("{name} unable to assess: the protocol says notify the provider now"),
                    };
                    super::calls::raise_prompt(tx, a.stay_id, "notify", "score", id, &words, now.max(a.taken_at), None)?;
                }
            }
            let what = total.map_or_else(|| format!("{scale} unable to assess"), |t| format!("{scale} {t}"));
            audit::record(tx, now, Some(actor.id), "assessment.add", Some(patient_id), &what)?;
            Ok(Charted { id, scale: scale.clone(), total, band, unable_reason, due, superseded })
        })
    }

    /// The ward's current band set for a scale.
    pub fn current_bands(&self, scale: &str) -> Result<BandSet> {
        policy(self.conn(), scale, "bands").map(|(_, b)| b)
    }

    /// Audit a read of a patient's record (a screen opened, a printout made).
    pub fn audit_read(&mut self, user_id: i64, patient_id: i64, what: &str, now: DateTime<Utc>) -> Result<()> {
        self.audit_reads(user_id, &[patient_id], what, now)
    }

    /// Audit one read of several patients' records (a search's results) in one transaction.
    pub fn audit_reads(&mut self, user_id: i64, patient_ids: &[i64], what: &str, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            for &p in patient_ids {
                audit::record(tx, now, Some(user_id), "read", Some(p), what)?;
            }
            Ok(())
        })
    }

    /// Write fast and non-durably while generating demo data; call again with `false` after.
    pub fn set_bulk_loading(&mut self, on: bool) -> Result<()> {
        self.conn().pragma_update(None, "synchronous", if on { "OFF" } else { "FULL" })?;
        Ok(())
    }
}

/// One past assessment as the history table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct PastAssessment {
    pub id: i64,
    pub scale: String,
    pub taken_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub by: String,
    pub total: Option<u16>,
    pub band: Option<String>,
    pub severe: bool,
    pub unable_reason: Option<String>,
    pub unable_note: Option<String>,
    pub vitals: Vitals,
    pub items: Vec<(String, u8)>,
    pub prompts: String,
    pub comment: Option<String>,
}

/// The columns of a past assessment, shared by the page and by-id queries.
macro_rules! past_select {
    () => {
        "SELECT a.id, a.scale, a.taken_at, a.recorded_at, u.display_name || ', ' || u.credentials,
                a.total, a.band, a.severe, a.unable_reason, a.unable_note,
                a.temp_c, a.heart_rate, a.bp_systolic, a.bp_diastolic, a.resp_rate, a.spo2, a.prompts, a.comment,
                (SELECT group_concat(i.item || '=' || i.score, ' ') FROM assessment_item i WHERE i.assessment_id = a.id)
         FROM assessment a JOIN user u ON u.id = a.by_user"
    };
}

/// A page of one stay's assessments, newest first, after a keyset cursor.
pub const ASSESSMENTS_PAGE_SQL: &str = concat!(
    past_select!(),
    " WHERE a.stay_id = ?1 AND (a.taken_at < ?2 OR (a.taken_at = ?2 AND a.id < ?3))
      ORDER BY a.taken_at DESC, a.id DESC LIMIT ?4"
);

/// One assessment by id.
pub const ASSESSMENT_BY_ID_SQL: &str = concat!(past_select!(), " WHERE a.id = ?1");

/// The trend chart: a stay's newest `?2` entries with their scale, returned oldest first (the
/// chart draws one line per scale).
pub const TREND_SQL: &str = "SELECT taken_at, scale, total FROM (
                SELECT taken_at, scale, total, id FROM assessment WHERE stay_id = ?1 ORDER BY taken_at DESC, id DESC LIMIT ?2
             ) ORDER BY taken_at, id";

/// A stay's newest `?2` PRN doses with who gave them and the total that prompted them, oldest
/// first: the ones charted before schema version 6 (`prn`) and the PRNs given from the
/// medication record (`med_admin`, less any an entry corrects).
pub const PRNS_SQL: &str = "SELECT * FROM (
              SELECT * FROM (
                SELECT p.given_at, p.medication, p.dose, p.route, u.display_name || ', ' || u.credentials, a.total
                FROM prn p JOIN user u ON u.id = p.by_user LEFT JOIN assessment a ON a.id = p.assessment_id
                WHERE p.stay_id = ?1 ORDER BY p.given_at DESC LIMIT ?2)
              UNION ALL
              SELECT * FROM (
                SELECT m.at, o.drug, m.dose_given, m.route, u.display_name || ', ' || u.credentials, a.total
                FROM med_admin m JOIN med_order o ON o.id = m.order_id JOIN user u ON u.id = m.by_user
                     LEFT JOIN assessment a ON a.id = m.assessment_id
                WHERE m.stay_id = ?1 AND o.kind = 'prn' AND m.outcome = 'given'
                  AND m.id NOT IN (SELECT c.corrects FROM med_admin c WHERE c.stay_id = ?1 AND c.corrects IS NOT NULL)
                ORDER BY m.at DESC LIMIT ?2)
              ORDER BY 1 DESC LIMIT ?2
             ) ORDER BY 1";

/// The assessment that prompted a PRN: the stay's latest at or before the dose (`?2`).
pub const PRN_PROMPTED_BY_SQL: &str =
    "SELECT id FROM assessment WHERE stay_id = ?1 AND taken_at <= ?2 ORDER BY taken_at DESC, id DESC LIMIT 1";

fn past_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<PastAssessment> {
    let items: Option<String> = r.get(18)?;
    let scale: String = r.get(1)?;
    let mut items: Vec<(String, u8)> = items
        .unwrap_or_default()
        .split(' ')
        .filter_map(|kv| kv.split_once('=').and_then(|(k, v)| Some((k.to_string(), v.parse().ok()?))))
        .collect();
    // Items in the scale's own order, not the table's.
    if let Some(sc) = crate::domain::scales::by_key(&scale) {
        items.sort_by_key(|(k, _)| sc.item(k).map_or(usize::MAX, |(i, _)| i));
    }
    Ok(PastAssessment {
        id: r.get(0)?,
        scale,
        taken_at: from_db(&r.get::<_, String>(2)?).unwrap_or_default(),
        recorded_at: from_db(&r.get::<_, String>(3)?).unwrap_or_default(),
        by: r.get(4)?,
        total: r.get(5)?,
        band: r.get(6)?,
        severe: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
        unable_reason: r.get(8)?,
        unable_note: r.get(9)?,
        vitals: Vitals {
            temp_c: r.get(10)?,
            heart_rate: r.get(11)?,
            bp_systolic: r.get(12)?,
            bp_diastolic: r.get(13)?,
            resp_rate: r.get(14)?,
            spo2: r.get(15)?,
        },
        prompts: r.get::<_, Option<String>>(16)?.unwrap_or_default(),
        comment: r.get(17)?,
        items,
    })
}

/// One point of the trend chart.
#[derive(Clone, Debug, PartialEq)]
pub struct TrendPoint {
    pub at: DateTime<Utc>,
    /// The scale key: the chart draws one line per scale.
    pub scale: String,
    /// `None` for "unable to assess" (no point is drawn; never a zero).
    pub total: Option<u16>,
}

/// A PRN dose as the history shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct GivenPrn {
    pub given_at: DateTime<Utc>,
    pub medication: String,
    pub dose: String,
    pub route: String,
    pub by: String,
    pub prompted_by_total: Option<u16>,
}

impl Store {
    /// A page of a stay's assessments, newest first, before `before` (keyset paging: the cost of a
    /// page does not grow with the history).
    pub fn assessments_page(
        &self,
        stay_id: i64,
        before: Option<(DateTime<Utc>, i64)>,
        limit: usize,
    ) -> Result<Vec<PastAssessment>> {
        let (bt, bid) = before.map_or((String::from("9999"), i64::MAX), |(t, id)| (to_db(t), id));
        let mut st = self.conn().prepare_cached(ASSESSMENTS_PAGE_SQL)?;
        let rows = st.query_map(params![stay_id, bt, bid, limit as i64], past_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(Into::into)
    }

    /// One assessment by id, with its items and vitals.
    pub fn assessment(&self, id: i64) -> Result<Option<PastAssessment>> {
        let mut st = self.conn().prepare_cached(ASSESSMENT_BY_ID_SQL)?;
        Ok(st.query_row([id], past_row).optional()?)
    }

    /// Entries over a stay for the trend chart, oldest first (the newest `limit`), each with its
    /// scale: one line per scale, never one series (REFERENCE.md §1).
    pub fn trend(&self, stay_id: i64, limit: usize) -> Result<Vec<TrendPoint>> {
        let mut st = self.conn().prepare_cached(TREND_SQL)?;
        let rows = st.query_map(params![stay_id, limit as i64], |r| {
            let at: String = r.get(0)?;
            Ok((at, r.get::<_, String>(1)?, r.get::<_, Option<u16>>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (at, scale, total) = row?;
            let at = super::db_time(&at, &format!("assessment of stay {stay_id}"))?;
            out.push(TrendPoint { at, scale, total });
        }
        Ok(out)
    }

    /// PRN doses of a stay, newest `limit`, oldest first.
    pub fn prns(&self, stay_id: i64, limit: usize) -> Result<Vec<GivenPrn>> {
        let mut st = self.conn().prepare_cached(PRNS_SQL)?;
        let rows = st.query_map(params![stay_id, limit as i64], |r| {
            Ok(GivenPrn {
                given_at: from_db(&r.get::<_, String>(0)?).unwrap_or_default(),
                medication: r.get(1)?,
                dose: r.get(2)?,
                route: r.get(3)?,
                by: r.get(4)?,
                prompted_by_total: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Record a PRN dose given; the reassessment it makes due comes from the ward's ladder.
    /// It is linked to the latest assessment before it (the one that prompted it).
    pub fn record_prn(
        &mut self,
        actor: &Staff,
        stay_id: i64,
        p: &crate::domain::prn::Prn,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        require(actor, Action::Assess)?;
        self.write(|tx| {
            let (patient_id, protocol, discharged): (i64, String, Option<String>) = tx
                .query_row("SELECT patient_id, protocol, discharged_at FROM stay WHERE id = ?1", [stay_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            // The ladder of the stay's protocol (a stay on none reassesses a PRN by CIWA-Ar's).
            let scale = crate::domain::stay::Protocol::from_code(&protocol)
                .ok_or_else(|| StoreError::Refused(format!("stay {stay_id}: unknown protocol {protocol:?}")))?
                .scale_to_score()
                .key;
            let (ladder_id, ladder): (i64, Ladder) = policy(tx, scale, "ladder")?;
            let prompted: Option<i64> =
                tx.query_row(PRN_PROMPTED_BY_SQL, params![stay_id, to_db(p.given_at)], |r| r.get(0)).optional()?;
            let due = p.given_at + Duration::minutes(i64::from(ladder.prn_reassess_minutes.max(1)));
            tx.execute(
                "INSERT INTO prn (stay_id, assessment_id, medication, dose, route, given_at, recorded_at, by_user,
                    reassess_due_at, ladder_policy)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    stay_id,
                    prompted,
                    p.medication,
                    p.dose,
                    p.route,
                    to_db(p.given_at),
                    to_db(now.max(p.given_at)),
                    actor.id,
                    to_db(due),
                    ladder_id
                ],
            )?;
            let id = tx.last_insert_rowid();
            super::ledger::seal(tx, "prn", id, now)?;
            audit::record(
                tx,
                now,
                Some(actor.id),
                "prn.add",
                Some(patient_id),
                &format!("{} {}", p.medication, p.dose),
            )?;
            Ok(id)
        })
    }
}
