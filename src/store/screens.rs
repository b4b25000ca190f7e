//! Risk screens (C-SSRS, Morse, RASS, SOWS, PAWSS): recorded whole in one transaction with their
//! items, sealed in the ledger, audited; a high-risk C-SSRS's decision (suicide precaution,
//! observation level) is applied to the stay in the same transaction. Read back newest first.
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, StoreError, audit, db_time, refuse, require};
use crate::domain::morse::{MORSE_POLICY, MorseBands};
use crate::domain::screen::{NewScreen, Occasion, RecordedScreen, ScreenAnswers, ScreenKind};
use crate::domain::stay::SafetyFact;
use crate::domain::time::to_db;
use crate::domain::user::{Action, Staff};

/// How often the unit screens (`ward.cssrs_every_hours`, `ward.morse_every_hours`; 0 means at
/// admission only). REFERENCE.md §3a: C-SSRS "at admission and each shift"; Morse "when the
/// unit's interval says".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScreenIntervals {
    pub cssrs_hours: u16,
    pub morse_hours: u16,
}

impl ScreenIntervals {
    /// When the next screen of `kind` is due after one taken at `last`; `None` when the unit
    /// screens it only at admission (or the kind has no interval).
    pub fn due_after(&self, kind: ScreenKind, last: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let h = match kind {
            ScreenKind::Cssrs => self.cssrs_hours,
            ScreenKind::Morse => self.morse_hours,
            _ => 0,
        };
        (h > 0).then(|| last + Duration::hours(i64::from(h)))
    }
}

/// The columns every screen read takes, for [`screen_row`].
macro_rules! screen_columns {
    () => {
        "SELECT s.id, s.stay_id, s.kind, s.taken_at, s.recorded_at, s.author_name || ', ' || s.author_credentials,
                s.total, s.result, s.occasion, s.assessment_id, s.decision, s.comment FROM screen s "
    };
}

/// One screen by id.
pub const SCREEN_BY_ID_SQL: &str = concat!(screen_columns!(), "WHERE s.id = ?1");
/// A stay's screens of one kind, newest first (`screen_stay_kind_time`).
pub const SCREENS_OF_KIND_SQL: &str =
    concat!(screen_columns!(), "WHERE s.stay_id = ?1 AND s.kind = ?2 ORDER BY s.taken_at DESC, s.id DESC LIMIT ?3");
/// A stay's screens, newest first (`screen_stay_time`).
pub const SCREENS_SQL: &str =
    concat!(screen_columns!(), "WHERE s.stay_id = ?1 ORDER BY s.taken_at DESC, s.id DESC LIMIT ?2");
/// A stay's screens in a window, oldest first (`screen_stay_time`).
pub const SCREENS_BETWEEN_SQL: &str = concat!(
    screen_columns!(),
    "WHERE s.stay_id = ?1 AND s.taken_at >= ?2 AND s.taken_at < ?3 ORDER BY s.taken_at, s.id"
);
/// A screen's answers (the reader puts them in the screen's own order).
pub const SCREEN_ITEMS_SQL: &str = "SELECT item, answer FROM screen_item WHERE screen_id = ?1 ORDER BY item";

fn screen_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawScreen> {
    Ok(RawScreen {
        id: r.get(0)?,
        stay_id: r.get(1)?,
        kind: r.get(2)?,
        taken_at: r.get(3)?,
        recorded_at: r.get(4)?,
        by: r.get(5)?,
        total: r.get(6)?,
        result: r.get(7)?,
        occasion: r.get(8)?,
        with_assessment: r.get(9)?,
        decision: r.get(10)?,
        comment: r.get(11)?,
    })
}

struct RawScreen {
    id: i64,
    stay_id: i64,
    kind: String,
    taken_at: String,
    recorded_at: String,
    by: String,
    total: Option<i32>,
    result: String,
    occasion: String,
    with_assessment: Option<i64>,
    decision: Option<String>,
    comment: Option<String>,
}

fn finish(conn: &Connection, raw: RawScreen) -> Result<RecordedScreen> {
    let what = format!("screen {}", raw.id);
    let kind = ScreenKind::from_code(&raw.kind)
        .ok_or_else(|| StoreError::Refused(format!("{what}: unknown kind {:?}", raw.kind)))?;
    let occasion = Occasion::from_code(&raw.occasion)
        .ok_or_else(|| StoreError::Refused(format!("{what}: unknown occasion {:?}", raw.occasion)))?;
    // screen_item is WITHOUT ROWID: put the items back in the screen's own order (its choices').
    let mut st = conn.prepare_cached(SCREEN_ITEMS_SQL)?;
    let mut items: Vec<(String, String)> =
        st.query_map([raw.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let order = crate::domain::screen::choices();
    let place = |item: &str| order.iter().position(|(k, i, _, _)| *k == kind.code() && i == item).unwrap_or(usize::MAX);
    items.sort_by_key(|(item, _)| place(item));
    Ok(RecordedScreen {
        id: raw.id,
        stay_id: raw.stay_id,
        kind,
        taken_at: db_time(&raw.taken_at, &what)?,
        recorded_at: db_time(&raw.recorded_at, &what)?,
        by: raw.by,
        total: raw.total,
        result: raw.result,
        occasion,
        with_assessment: raw.with_assessment,
        decision: raw.decision,
        comment: raw.comment,
        items,
    })
}

/// The newest screens of a stay's each kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LatestScreens {
    pub cssrs: Option<RecordedScreen>,
    pub morse: Option<RecordedScreen>,
    pub rass: Option<RecordedScreen>,
    pub sows: Option<RecordedScreen>,
    pub pawss: Option<RecordedScreen>,
}

impl LatestScreens {
    pub fn get(&self, kind: ScreenKind) -> Option<&RecordedScreen> {
        match kind {
            ScreenKind::Cssrs => self.cssrs.as_ref(),
            ScreenKind::Morse => self.morse.as_ref(),
            ScreenKind::Rass => self.rass.as_ref(),
            ScreenKind::Sows => self.sows.as_ref(),
            ScreenKind::Pawss => self.pawss.as_ref(),
        }
    }
}

pub(crate) fn morse_bands_in(conn: &Connection) -> Result<(i64, MorseBands)> {
    super::assessments::policy(conn, MORSE_POLICY, "bands")
}

pub(crate) fn intervals_in(conn: &Connection) -> Result<ScreenIntervals> {
    Ok(conn
        .query_row("SELECT cssrs_every_hours, morse_every_hours FROM ward WHERE id = 1", [], |r| {
            Ok(ScreenIntervals { cssrs_hours: r.get(0)?, morse_hours: r.get(1)? })
        })
        .optional()?
        .unwrap_or(ScreenIntervals { cssrs_hours: 12, morse_hours: 24 }))
}

impl Store {
    /// The unit's current Morse band set and its policy id (REFERENCE.md §3a: unit configuration).
    pub fn morse_bands(&self) -> Result<MorseBands> {
        Ok(morse_bands_in(self.conn())?.1)
    }

    /// The unit's screening intervals.
    pub fn screen_intervals(&self) -> Result<ScreenIntervals> {
        intervals_in(self.conn())
    }

    /// Set the unit's Morse band set: a new policy version (earlier screens keep theirs).
    pub fn set_morse_bands(&mut self, actor: &Staff, bands: &MorseBands, now: DateTime<Utc>) -> Result<i64> {
        let body = serde_json::to_string(bands).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.add_policy(actor, MORSE_POLICY, "bands", &body, now)
    }

    /// Set how often the unit screens: `field` is `cssrs_every_hours` or `morse_every_hours`.
    pub fn set_screen_interval(
        &mut self,
        actor: &Staff,
        kind: ScreenKind,
        hours: u16,
        now: DateTime<Utc>,
    ) -> Result<()> {
        require(actor, Action::Configure)?;
        let (column, max) = match kind {
            ScreenKind::Cssrs => ("cssrs_every_hours", 168),
            ScreenKind::Morse => ("morse_every_hours", 720),
            other => return refuse(format!("{other} has no unit interval")),
        };
        if hours > max {
            return refuse(format!("{kind} every {hours} h: at most {max} hours (0 = at admission only)"));
        }
        self.write(|tx| {
            tx.execute(&format!("UPDATE ward SET {column} = ?1 WHERE id = 1"), [hours])?;
            audit::record(tx, now, Some(actor.id), "config.ward", None, &format!("{column}={hours}"))
        })
    }

    /// Record one screen in one transaction: the row, its items, on a high-risk C-SSRS the
    /// decision applied to the stay (precaution, observation level), the seal, the audit.
    pub fn record_screen(&mut self, actor: &Staff, s: &NewScreen, now: DateTime<Utc>) -> Result<RecordedScreen> {
        require(actor, Action::Assess)?;
        if s.taken_at > now + Duration::minutes(1) {
            return refuse("the screen's time is in the future; the record is never charted ahead");
        }
        let kind = s.answers.kind();
        let id = self.write(|tx| {
            let (patient_id, admitted_at, discharged): (i64, String, Option<String>) = tx
                .query_row("SELECT patient_id, admitted_at, discharged_at FROM stay WHERE id = ?1", [s.stay_id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if discharged.is_some() {
                return refuse("this patient has been discharged");
            }
            if s.taken_at < db_time(&admitted_at, "stay")? {
                return refuse("the screen's time is before the admission");
            }
            let (bands_id, bands) = morse_bands_in(tx)?;
            let e = s.evaluate(&bands).map_err(StoreError::Refused)?;
            if let Some(a) = s.with_assessment {
                let same: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM assessment WHERE id = ?1 AND stay_id = ?2)",
                    params![a, s.stay_id],
                    |r| r.get(0),
                )?;
                if !same {
                    return refuse("the withdrawal score it goes with is not this patient's");
                }
            }
            let decision = match &s.answers {
                ScreenAnswers::Cssrs { decision: Some(d), .. } => {
                    // The change carries its own time; the reason names the screen, never a raw UTC stamp.
                    let why = "decided on a high-risk C-SSRS".to_string();
                    if d.add_suicide_precaution {
                        let current: String =
                            tx.query_row("SELECT precautions FROM stay WHERE id = ?1", [s.stay_id], |r| r.get(0))?;
                        if !current.split(',').any(|p| p.trim() == "suicide") {
                            let list = if current.trim().is_empty() {
                                "suicide".to_string()
                            } else {
                                format!("{current}, suicide")
                            };
                            super::stays::change_safety_fact_in(
                                tx,
                                actor,
                                s.stay_id,
                                SafetyFact::Precautions,
                                &list,
                                &why,
                                now,
                            )?;
                        }
                    }
                    let was = match &d.observation {
                        Some(code) => {
                            let current: String =
                                tx.query_row("SELECT observation FROM stay WHERE id = ?1", [s.stay_id], |r| r.get(0))?;
                            if &current != code {
                                super::stays::change_observation_in(tx, actor, s.stay_id, code, Some(&why), now)?;
                            }
                            Some(current)
                        }
                        None => None,
                    };
                    Some(d.text(was.as_deref()))
                }
                _ => None,
            };
            tx.prepare_cached(
                "INSERT INTO screen (stay_id, kind, taken_at, recorded_at, by_user, author_name, author_credentials,
                                     occasion, total, result, bands_policy, assessment_id, decision, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                s.stay_id,
                kind.code(),
                to_db(s.taken_at),
                to_db(now.max(s.taken_at)),
                actor.id,
                actor.display_name,
                actor.credentials,
                s.occasion.code(),
                e.total,
                e.result,
                (kind == ScreenKind::Morse).then_some(bands_id),
                s.with_assessment,
                decision,
                s.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()),
            ])?;
            let id = tx.last_insert_rowid();
            let mut item =
                tx.prepare_cached("INSERT INTO screen_item (screen_id, item, kind, answer) VALUES (?1, ?2, ?3, ?4)")?;
            for (i, a) in &e.items {
                item.execute(params![id, i, kind.code(), a])?;
            }
            super::ledger::seal(tx, "screen", id, now)?;
            if kind == ScreenKind::Morse {
                super::calls::close_follow_ups_in(
                    tx,
                    actor,
                    s.stay_id,
                    super::calls::FollowUpDone::Morse,
                    id,
                    s.taken_at,
                    now,
                )?;
            }
            audit::record(
                tx,
                now,
                Some(actor.id),
                "screen.record",
                Some(patient_id),
                &format!("{} {id}", kind.code()),
            )?;
            Ok(id)
        })?;
        self.screen(id)?.ok_or_else(|| StoreError::Refused("the screen was not saved".into()))
    }

    /// One screen by id.
    pub fn screen(&self, id: i64) -> Result<Option<RecordedScreen>> {
        let raw = self.conn().query_row(SCREEN_BY_ID_SQL, [id], screen_row).optional()?;
        raw.map(|r| finish(self.conn(), r)).transpose()
    }

    /// A stay's screens, newest first, of one kind or all, at most `limit`.
    pub fn screens(&self, stay_id: i64, kind: Option<ScreenKind>, limit: usize) -> Result<Vec<RecordedScreen>> {
        let raws: Vec<RawScreen> = match kind {
            Some(k) => self
                .conn()
                .prepare_cached(SCREENS_OF_KIND_SQL)?
                .query_map(params![stay_id, k.code(), limit as i64], screen_row)?
                .collect::<rusqlite::Result<_>>()?,
            None => self
                .conn()
                .prepare_cached(SCREENS_SQL)?
                .query_map(params![stay_id, limit as i64], screen_row)?
                .collect::<rusqlite::Result<_>>()?,
        };
        raws.into_iter().map(|r| finish(self.conn(), r)).collect()
    }

    /// A stay's screens taken in `[from, to)`, oldest first (the timeline, the handoff).
    pub fn screens_between(&self, stay_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<RecordedScreen>> {
        let raws: Vec<RawScreen> = self
            .conn()
            .prepare_cached(SCREENS_BETWEEN_SQL)?
            .query_map(params![stay_id, to_db(from), to_db(to)], screen_row)?
            .collect::<rusqlite::Result<_>>()?;
        raws.into_iter().map(|r| finish(self.conn(), r)).collect()
    }

    /// The newest screen of each kind for a stay.
    pub fn latest_screens(&self, stay_id: i64) -> Result<LatestScreens> {
        let mut l = LatestScreens::default();
        for kind in ScreenKind::ALL {
            let s = self.screens(stay_id, Some(kind), 1)?.into_iter().next();
            match kind {
                ScreenKind::Cssrs => l.cssrs = s,
                ScreenKind::Morse => l.morse = s,
                ScreenKind::Rass => l.rass = s,
                ScreenKind::Sows => l.sows = s,
                ScreenKind::Pawss => l.pawss = s,
            }
        }
        Ok(l)
    }
}
