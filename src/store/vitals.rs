//! Vital signs on their own (issue 17 point 3): a set recorded in one transaction with its NEWS2
//! (the total only when every parameter was measured, else what was not), the unit's alert, and
//! on a breach a "notify provider" prompt, sealed and audited. The flowsheet reads these sets
//! and the vitals taken with a withdrawal score, newest first, each with who and when. The unit's
//! settings (NEWS2 or its own thresholds, the naloxone follow-up) are read and set here.
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit, db_time, refuse, require};
use crate::domain::emergency::FollowUpSettings;
use crate::domain::news2::{Breathing, Consciousness, News2Total, Observations};
use crate::domain::time::to_db;
use crate::domain::user::{Action, Staff};
use crate::domain::vital_alert::{Policy, Thresholds, evaluate};
use crate::domain::vitals::Vitals;

/// A set of vital signs as the nurse typed it; `None` wherever she measured nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct NewVitals {
    pub stay_id: i64,
    pub taken_at: DateTime<Utc>,
    pub vitals: Vitals,
    pub breathing: Option<Breathing>,
    pub consciousness: Option<Consciousness>,
    pub comment: Option<String>,
}

impl NewVitals {
    /// The NEWS2 parameters of the set (plausibility checked).
    pub fn observations(&self) -> std::result::Result<Observations, String> {
        Observations::from_vitals(&self.vitals, self.breathing, self.consciousness)
    }

    /// Whether anything at all was measured.
    pub fn is_empty(&self) -> bool {
        self.vitals == Vitals::default() && self.breathing.is_none() && self.consciousness.is_none()
    }
}

/// Where a flowsheet row comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VitalSource {
    /// A set taken on its own (`vital_sign`).
    Vitals,
    /// The vitals typed with a withdrawal score (`assessment`): its scale key.
    Assessment(String),
}

/// One row of the flowsheet, as recorded, with who and when.
#[derive(Clone, Debug, PartialEq)]
pub struct VitalSet {
    pub id: i64,
    pub stay_id: i64,
    pub source: VitalSource,
    pub taken_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// "Ana Ortiz, RN".
    pub by: String,
    pub vitals: Vitals,
    pub breathing: Option<Breathing>,
    pub consciousness: Option<Consciousness>,
    /// The NEWS2 total, only when every parameter was measured.
    pub news2: Option<u8>,
    /// What was not measured ("air or oxygen, consciousness"); empty when complete.
    pub news2_missing: String,
    /// The breach in words, when the set raised one (as stored: the unit's rule at the time).
    pub alert: Option<String>,
    pub comment: Option<String>,
}

impl VitalSet {
    /// "NEWS2 3" or "NEWS2 incomplete: not measured consciousness".
    pub fn news2_text(&self) -> String {
        match self.news2 {
            Some(t) => format!("NEWS2 {t}"),
            None => format!("NEWS2 incomplete: not measured {}", self.news2_missing),
        }
    }
}

/// What recording a set came to: the set, and the prompt it raised.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedVitals {
    pub set: VitalSet,
    pub prompt_id: Option<i64>,
}

/// The unit's vital-sign settings.
#[derive(Clone, Debug, PartialEq)]
pub struct VitalsSettings {
    pub policy: Policy,
    /// The thresholds kept even while the unit uses NEWS2 (so switching back needs no retyping).
    pub thresholds: Option<Thresholds>,
    /// The NEWS2 notify level as set (kept while the unit uses its thresholds).
    pub news2_notify_at: u8,
    pub follow_up: FollowUpSettings,
}

macro_rules! vital_columns {
    ($a:literal) => {
        concat!(
            "SELECT 'vitals', ",
            $a,
            ".id, ",
            $a,
            ".stay_id, ",
            $a,
            ".taken_at, ",
            $a,
            ".recorded_at, ",
            "u.display_name || ', ' || u.credentials, ",
            $a,
            ".temp_c, ",
            $a,
            ".heart_rate, ",
            $a,
            ".bp_systolic, ",
            $a,
            ".bp_diastolic, ",
            $a,
            ".resp_rate, ",
            $a,
            ".spo2, ",
            $a,
            ".on_oxygen, ",
            $a,
            ".consciousness, ",
            $a,
            ".news2, ",
            $a,
            ".news2_missing, ",
            $a,
            ".alert, ",
            $a,
            ".comment "
        )
    };
}

/// A stay's flowsheet, newest first: its vital-sign sets and the vitals typed with its withdrawal
/// scores (`vital_sign_stay_time`, `assessment_stay_time`).
pub const FLOWSHEET_SQL: &str = concat!(
    vital_columns!("v"),
    "FROM vital_sign v JOIN user u ON u.id = v.by_user WHERE v.stay_id = ?1
     UNION ALL
     SELECT a.scale, a.id, a.stay_id, a.taken_at, a.recorded_at, u.display_name || ', ' || u.credentials,
            a.temp_c, a.heart_rate, a.bp_systolic, a.bp_diastolic, a.resp_rate, a.spo2, NULL, NULL, NULL, '', NULL, NULL
     FROM assessment a JOIN user u ON u.id = a.by_user
     WHERE a.stay_id = ?1 AND coalesce(a.temp_c, a.heart_rate, a.bp_systolic, a.resp_rate, a.spo2) IS NOT NULL
     ORDER BY 4 DESC, 2 DESC LIMIT ?2"
);
/// One vital-sign set by id.
pub const VITAL_BY_ID_SQL: &str =
    concat!(vital_columns!("v"), "FROM vital_sign v JOIN user u ON u.id = v.by_user WHERE v.id = ?1");
/// The latest vital-sign set of each stay on the ward, with its alert, in bed order (the census).
pub const LATEST_VITALS_SQL: &str = concat!(
    vital_columns!("v"),
    "FROM bed b JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
     JOIN vital_sign v ON v.id = (SELECT w.id FROM vital_sign w WHERE w.stay_id = s.id
                                  ORDER BY w.taken_at DESC, w.id DESC LIMIT 1)
     JOIN user u ON u.id = v.by_user ORDER BY b.sort, b.id"
);
/// A stay's vital-sign sets in a window, oldest first (timeline, handoff).
pub const VITALS_BETWEEN_SQL: &str = concat!(
    vital_columns!("v"),
    "FROM vital_sign v JOIN user u ON u.id = v.by_user
     WHERE v.stay_id = ?1 AND v.taken_at >= ?2 AND v.taken_at < ?3 ORDER BY v.taken_at, v.id"
);
/// The unit's settings.
pub const SETTINGS_SQL: &str = "SELECT vitals_alerts, news2_notify_at, vitals_thresholds, naloxone_vitals_every_min,
        naloxone_vitals_for_min FROM ward WHERE id = 1";

fn breathing_of(on_oxygen: Option<bool>) -> Option<Breathing> {
    on_oxygen.map(|o| if o { Breathing::Oxygen } else { Breathing::Air })
}

fn consciousness_of(code: &str) -> Option<Consciousness> {
    Consciousness::ALL.into_iter().find(|c| c.label() == code)
}

fn vital_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawVital> {
    Ok(RawVital {
        source: r.get(0)?,
        id: r.get(1)?,
        stay_id: r.get(2)?,
        taken_at: r.get(3)?,
        recorded_at: r.get(4)?,
        by: r.get(5)?,
        vitals: Vitals {
            temp_c: r.get(6)?,
            heart_rate: r.get(7)?,
            bp_systolic: r.get(8)?,
            bp_diastolic: r.get(9)?,
            resp_rate: r.get(10)?,
            spo2: r.get(11)?,
        },
        on_oxygen: r.get(12)?,
        consciousness: r.get(13)?,
        news2: r.get(14)?,
        news2_missing: r.get(15)?,
        alert: r.get(16)?,
        comment: r.get(17)?,
    })
}

struct RawVital {
    source: String,
    id: i64,
    stay_id: i64,
    taken_at: String,
    recorded_at: String,
    by: String,
    vitals: Vitals,
    on_oxygen: Option<bool>,
    consciousness: Option<String>,
    news2: Option<u8>,
    news2_missing: String,
    alert: Option<String>,
    comment: Option<String>,
}

fn finish(raw: RawVital) -> Result<VitalSet> {
    let what = format!("vital signs {}", raw.id);
    let consciousness = match raw.consciousness.as_deref() {
        None => None,
        Some(c) => Some(
            consciousness_of(c).ok_or_else(|| StoreError::Refused(format!("{what}: unknown consciousness {c:?}")))?,
        ),
    };
    let breathing = breathing_of(raw.on_oxygen);
    let (source, news2_missing) = if raw.source == "vitals" {
        (VitalSource::Vitals, raw.news2_missing)
    } else {
        // A score's vitals hold no air/oxygen or consciousness: their NEWS2 is incomplete, and
        // says what was not measured (never a total).
        let missing = match Observations::from_vitals(&raw.vitals, None, None).map(|o| o.total()) {
            Ok(News2Total::Incomplete { missing, .. }) => {
                missing.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ")
            }
            _ => "air or oxygen, consciousness".to_string(),
        };
        (VitalSource::Assessment(raw.source), missing)
    };
    Ok(VitalSet {
        id: raw.id,
        stay_id: raw.stay_id,
        source,
        taken_at: db_time(&raw.taken_at, &what)?,
        recorded_at: db_time(&raw.recorded_at, &what)?,
        by: raw.by,
        vitals: raw.vitals,
        breathing,
        consciousness,
        news2: raw.news2,
        news2_missing,
        alert: raw.alert,
        comment: raw.comment,
    })
}

/// At most `n` characters (a prompt's `why` is at most 200).
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}

/// The naloxone follow-up alone: an emergency is charted whatever state the vitals alert
/// settings are in.
pub(crate) fn follow_up_in(conn: &Connection) -> Result<FollowUpSettings> {
    conn.query_row("SELECT naloxone_vitals_every_min, naloxone_vitals_for_min FROM ward WHERE id = 1", [], |r| {
        Ok(FollowUpSettings { naloxone_vitals_every_min: r.get(0)?, naloxone_vitals_for_min: r.get(1)? })
    })
    .optional()?
    .ok_or_else(|| StoreError::Refused("the ward is not set up yet".into()))
}

pub(crate) fn settings_in(conn: &Connection) -> Result<VitalsSettings> {
    let row = conn
        .query_row(SETTINGS_SQL, [], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, u16>(3)?,
                r.get::<_, u16>(4)?,
            ))
        })
        .optional()?;
    let Some((mode, notify_at, thresholds, every, span)) = row else {
        return refuse("the ward is not set up yet");
    };
    let thresholds = thresholds
        .map(|t| {
            Thresholds::from_json(&t).map_err(|e| {
                StoreError::Refused(format!(
                    "the ward's vitals thresholds are unreadable ({e}); set them again with \
                     `wardterm config set vitals-thresholds JSON`"
                ))
            })
        })
        .transpose()?;
    let policy = match mode.as_str() {
        "thresholds" => Policy::Thresholds(thresholds.clone().ok_or_else(|| {
            StoreError::Refused(
                "the ward alerts on its own vitals thresholds but has none; set them with \
                 `wardterm config set vitals-thresholds JSON`"
                    .into(),
            )
        })?),
        _ => Policy::News2 { notify_at },
    };
    Ok(VitalsSettings {
        policy,
        thresholds,
        news2_notify_at: notify_at,
        follow_up: FollowUpSettings { naloxone_vitals_every_min: every, naloxone_vitals_for_min: span },
    })
}

impl Store {
    /// The unit's vital-sign settings.
    pub fn vitals_settings(&self) -> Result<VitalsSettings> {
        settings_in(self.conn())
    }

    /// Alert on NEWS2 or on the unit's own thresholds (which must be set first).
    pub fn set_vitals_alerts(&mut self, actor: &Staff, thresholds: bool, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        if thresholds && self.vitals_settings()?.thresholds.is_none() {
            return refuse("set the unit's thresholds first: `wardterm config set vitals-thresholds JSON`");
        }
        let mode = if thresholds { "thresholds" } else { "news2" };
        self.write(|tx| {
            tx.execute("UPDATE ward SET vitals_alerts = ?1 WHERE id = 1", [mode])?;
            audit::record(tx, now, Some(actor.id), "config.ward", None, &format!("vitals_alerts={mode}"))
        })
    }

    /// The NEWS2 total at which the unit notifies the provider (1-20).
    pub fn set_news2_notify_at(&mut self, actor: &Staff, at: u8, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        if !(1..=20).contains(&at) {
            return refuse("news2-notify-at: a NEWS2 total from 1 to 20 (REFERENCE.md §10: 0-20)");
        }
        self.write(|tx| {
            tx.execute("UPDATE ward SET news2_notify_at = ?1 WHERE id = 1", [at])?;
            audit::record(tx, now, Some(actor.id), "config.ward", None, &format!("news2_notify_at={at}"))
        })
    }

    /// The unit's own notify thresholds (kept; used when `vitals-alerts thresholds`).
    pub fn set_vitals_thresholds(&mut self, actor: &Staff, t: &Thresholds, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        t.validate().map_err(StoreError::Refused)?;
        let body = t.to_json();
        self.write(|tx| {
            tx.execute("UPDATE ward SET vitals_thresholds = ?1 WHERE id = 1", [&body])?;
            audit::record(tx, now, Some(actor.id), "config.ward", None, &format!("vitals_thresholds={body}"))
        })
    }

    /// Vitals every `every` minutes for `span` minutes after naloxone (0 turns it off).
    pub fn set_naloxone_vitals(&mut self, actor: &Staff, every: u16, span: u16, now: DateTime<Utc>) -> Result<()> {
        require(actor, Action::Configure)?;
        if every > 240 || span > 1440 {
            return refuse("naloxone-vitals: every 0-240 minutes, for 0-1440 minutes");
        }
        if every > 0 && span < every {
            return refuse("naloxone-vitals: the span must be at least one interval (or 0 0 to turn it off)");
        }
        self.write(|tx| {
            tx.execute(
                "UPDATE ward SET naloxone_vitals_every_min = ?1, naloxone_vitals_for_min = ?2 WHERE id = 1",
                params![every, span],
            )?;
            audit::record(tx, now, Some(actor.id), "config.ward", None, &format!("naloxone_vitals={every}/{span}"))
        })
    }

    /// Record a set of vital signs in one transaction: the row with its NEWS2 (or what was not
    /// measured) and the unit's alert, a "notify provider" prompt on a breach, the seal, the
    /// audit.
    pub fn record_vitals(&mut self, actor: &Staff, v: &NewVitals, now: DateTime<Utc>) -> Result<RecordedVitals> {
        require(actor, Action::Assess)?;
        if v.is_empty() {
            return refuse("no vital sign was typed: an empty field is not measured, and a set needs at least one");
        }
        if v.taken_at > now + Duration::minutes(1) {
            return refuse("the vitals' time is in the future; the record is never charted ahead");
        }
        let obs = v.observations().map_err(StoreError::Refused)?;
        let comment = v.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        if comment.as_ref().is_some_and(|c| c.chars().count() > 200) {
            return refuse("the comment is longer than 200 characters");
        }
        let (id, prompt_id) = self.write(|tx| {
            let (patient_id, admitted_at, discharged): (i64, String, Option<String>) = tx
                .query_row("SELECT patient_id, admitted_at, discharged_at FROM stay WHERE id = ?1", [v.stay_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            if v.taken_at < db_time(&admitted_at, "stay")? {
                return refuse("the vitals' time is before the admission");
            }
            let settings = settings_in(tx)?;
            let total = obs.total();
            let missing = match &total {
                News2Total::Incomplete { missing, .. } => {
                    missing.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ")
                }
                News2Total::Complete { .. } => String::new(),
            };
            let alert = evaluate(&obs, &settings.policy).map(|a| clip(&a, 200));
            tx.prepare_cached(
                "INSERT INTO vital_sign (stay_id, taken_at, recorded_at, by_user, temp_c, heart_rate, bp_systolic,
                                         bp_diastolic, resp_rate, spo2, on_oxygen, consciousness, news2,
                                         news2_missing, alert, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            )?
            .execute(params![
                v.stay_id,
                to_db(v.taken_at),
                to_db(now.max(v.taken_at)),
                actor.id,
                v.vitals.temp_c,
                v.vitals.heart_rate,
                v.vitals.bp_systolic,
                v.vitals.bp_diastolic,
                v.vitals.resp_rate,
                v.vitals.spo2,
                v.breathing.map(|b| b == Breathing::Oxygen),
                v.consciousness.map(Consciousness::label),
                total.complete(),
                missing,
                alert,
                comment,
            ])?;
            let id = tx.last_insert_rowid();
            super::ledger::seal(tx, "vital_sign", id, now)?;
            super::calls::close_follow_ups_in(
                tx,
                actor,
                v.stay_id,
                super::calls::FollowUpDone::Vitals,
                id,
                v.taken_at,
                now,
            )?;
            let prompt_id = match &alert {
                Some(why) => Some(super::calls::raise_prompt(tx, v.stay_id, "notify", "vitals", id, why, now, None)?),
                None => None,
            };
            audit::record(tx, now, Some(actor.id), "vitals.record", Some(patient_id), &format!("vital_sign {id}"))?;
            Ok((id, prompt_id))
        })?;
        let set = self.vital_set(id)?.ok_or_else(|| StoreError::Refused("the vital signs were not saved".into()))?;
        Ok(RecordedVitals { set, prompt_id })
    }

    /// One vital-sign set by id.
    pub fn vital_set(&self, id: i64) -> Result<Option<VitalSet>> {
        self.conn().prepare_cached(VITAL_BY_ID_SQL)?.query_row([id], vital_row).optional()?.map(finish).transpose()
    }

    /// A stay's flowsheet, newest first, at most `limit` rows: its vital-sign sets and the vitals
    /// typed with its withdrawal scores, each with who and when.
    pub fn flowsheet(&self, stay_id: i64, limit: usize) -> Result<Vec<VitalSet>> {
        let raws: Vec<RawVital> = self
            .conn()
            .prepare_cached(FLOWSHEET_SQL)?
            .query_map(params![stay_id, limit as i64], vital_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(finish).collect()
    }

    /// A stay's vital-sign sets taken in `[from, to)`, oldest first (the timeline, the handoff).
    pub fn vitals_between(&self, stay_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<VitalSet>> {
        let raws: Vec<RawVital> = self
            .conn()
            .prepare_cached(VITALS_BETWEEN_SQL)?
            .query_map(params![stay_id, to_db(from), to_db(to)], vital_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(finish).collect()
    }

    /// The latest vital-sign set of each stay on the ward (bed order), with its alert as stored.
    pub fn latest_vitals(&self) -> Result<Vec<VitalSet>> {
        let raws: Vec<RawVital> = self
            .conn()
            .prepare_cached(LATEST_VITALS_SQL)?
            .query_map([], vital_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(finish).collect()
    }
}
