//! The census board query: every active bed, its open stay, and the stay's latest entry on each scale.
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;

use super::{Result, Store, StoreError};
use crate::domain::admission::Assessment;
use crate::domain::census::{
    AdmissionMark, CensusRow, HandoffFlag, LastScore, Occupant, ScreenMark, Series, WardBoard, sort_series,
};
use crate::domain::screen::ScreenKind;
use crate::domain::shift::shift_at;
use crate::domain::stay::{CodeStatus, Protocol, Sex};
use crate::domain::time::from_db;
use crate::domain::user::Staff;

/// One query for the whole board. The latest assessment comes from a correlated subquery on the
/// `assessment_stay_time` index, so the board costs the same on day one and in year ten.
pub const CENSUS_SQL: &str = "
SELECT b.id, b.label,
       s.id, p.id, p.name, p.mrn, p.birth_date, p.sex, s.admitted_at, s.level_of_care, l.acuity,
       s.substances, s.protocol, s.allergies, s.precautions, s.attending, s.code_status, s.observation,
       s.pawss
FROM bed b
LEFT JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
LEFT JOIN patient p ON p.id = s.patient_id
LEFT JOIN level_of_care l ON l.code = s.level_of_care
WHERE b.active = 1
ORDER BY b.sort";

/// Each open stay's latest entry on EACH scale it has been scored on (REFERENCE.md §1: one
/// schedule per scale), with the PRN that entry's scale prompted since. One row per (stay,
/// scale), through the `assessment_stay_scale_time` index.
pub const SERIES_SQL: &str = "
SELECT s.id, a.scale, a.total, a.band, a.severe, a.unable_reason, a.taken_at,
       u.display_name || ', ' || u.credentials, a.next_due_at, a.prompts,
       (SELECT min(d) FROM (
          SELECT x.reassess_due_at AS d FROM prn x JOIN assessment px ON px.id = x.assessment_id
           WHERE x.stay_id = s.id AND x.given_at >= a.taken_at AND px.scale = a.scale
          UNION ALL
          -- a PRN given from the MAR (schema version 6) prompted by this scale
          SELECT m.reassess_due_at FROM med_admin m JOIN assessment ma ON ma.id = m.assessment_id
           WHERE m.stay_id = s.id AND m.at >= a.taken_at AND ma.scale = a.scale
             AND m.reassess_due_at IS NOT NULL))
FROM bed b
JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
JOIN (SELECT DISTINCT scale FROM scale_choice) sc
JOIN assessment a ON a.id = (
    SELECT a2.id FROM assessment a2 WHERE a2.stay_id = s.id AND a2.scale = sc.scale
    ORDER BY a2.taken_at DESC, a2.id DESC LIMIT 1)
JOIN user u ON u.id = a.by_user
WHERE b.active = 1";

/// Each open stay's latest C-SSRS, Morse and PAWSS screen (the `screen_stay_kind_time` index).
pub const RISK_SQL: &str = "
SELECT s.id, k.kind, x.result, x.total, x.taken_at, x.author_name || ', ' || x.author_credentials
FROM bed b
JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
JOIN (SELECT 'cssrs' AS kind UNION ALL SELECT 'morse' UNION ALL SELECT 'pawss') k
JOIN screen x ON x.id = (
    SELECT x2.id FROM screen x2 WHERE x2.stay_id = s.id AND x2.kind = k.kind
    ORDER BY x2.taken_at DESC, x2.id DESC LIMIT 1)
WHERE b.active = 1";

/// Each open stay's admission assessment and addenda, the original first, then the addenda in
/// signing order, bed by bed (CROSS JOIN keeps that join order: through `admission_stay`).
pub const ADMISSION_SQL: &str = "
SELECT a.stay_id, a.addendum_to, a.signed_at, a.body, u.display_name || ', ' || u.credentials
FROM bed b
CROSS JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
CROSS JOIN admission_assessment a ON a.stay_id = s.id AND (a.addendum_to IS NULL OR a.signed_at IS NOT NULL)
JOIN user u ON u.id = a.author
WHERE b.active = 1
ORDER BY a.stay_id, a.addendum_to IS NOT NULL, a.signed_at, a.id";

/// A database time that must be readable: an unreadable one is an error naming the row.
fn time_at(r: &Row<'_>, i: usize, what: &str) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match r.get::<_, Option<String>>(i)? {
        None => Ok(None),
        Some(t) => from_db(&t).map(Some).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                i,
                rusqlite::types::Type::Text,
                format!("{what}: unreadable time {t:?}").into(),
            )
        }),
    }
}

/// A column holding one of a closed set of codes (the schema's CHECK lists them): a code the
/// program does not know is an error naming it, never a default.
pub(crate) fn coded<T>(r: &Row<'_>, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let code: String = r.get(i)?;
    parse(&code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown code {code:?} in column {i}").into(),
        )
    })
}

fn census_row(r: &Row<'_>) -> rusqlite::Result<CensusRow> {
    let stay_id: Option<i64> = r.get(2)?;
    let occupant = match stay_id {
        None => None,
        Some(stay_id) => {
            let what = format!("stay {stay_id}");
            let birth: String = r.get(6)?;
            Some(Occupant {
                stay_id,
                patient_id: r.get(3)?,
                name: r.get(4)?,
                mrn: r.get(5)?,
                birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or_default(),
                sex: coded(r, 7, Sex::from_code)?,
                admitted_at: time_at(r, 8, &what)?.unwrap_or_default(),
                level_of_care: r.get(9)?,
                care_acuity: r.get::<_, Option<u8>>(10)?.unwrap_or(0),
                substances: r.get(11)?,
                protocol: coded(r, 12, Protocol::from_code)?,
                allergies: r.get(13)?,
                precautions: r.get(14)?,
                attending: r.get(15)?,
                code_status: coded(r, 16, CodeStatus::from_code)?,
                observation: r.get(17)?,
                series: Vec::new(),
                pawss: r.get(18)?,
                handoff: None,
                risk: Default::default(),
                care: Default::default(),
            })
        }
    };
    Ok(CensusRow { bed_id: r.get(0)?, bed: r.get(1)?, occupant })
}

fn series_row(r: &Row<'_>) -> rusqlite::Result<(i64, Series)> {
    let stay_id: i64 = r.get(0)?;
    let what = format!("assessment of stay {stay_id}");
    let taken_at = time_at(r, 6, &what)?.ok_or(rusqlite::Error::InvalidColumnType(
        6,
        "taken_at".into(),
        rusqlite::types::Type::Null,
    ))?;
    Ok((
        stay_id,
        Series {
            last: LastScore {
                scale: r.get(1)?,
                total: r.get(2)?,
                band: r.get(3)?,
                severe: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                unable_reason: r.get(5)?,
                taken_at,
                by: r.get(7)?,
            },
            next_due: time_at(r, 8, &what)?,
            prompts: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
            prn_due: time_at(r, 10, &what)?,
        },
    ))
}

impl Store {
    /// The whole board in bed order, read in one snapshot: each occupant with one series per
    /// scale it has been scored on, the earliest due first.
    pub fn census(&self) -> Result<Vec<CensusRow>> {
        self.snapshot(|| {
            let mut st = self.conn().prepare_cached(CENSUS_SQL)?;
            let mut rows: Vec<CensusRow> = st.query_map([], census_row)?.collect::<rusqlite::Result<_>>()?;
            let mut st = self.conn().prepare_cached(SERIES_SQL)?;
            let mut by_stay: HashMap<i64, Vec<Series>> = HashMap::new();
            for row in st.query_map([], series_row)? {
                let (stay, series) = row?;
                by_stay.entry(stay).or_default().push(series);
            }
            for o in rows.iter_mut().filter_map(|r| r.occupant.as_mut()) {
                if let Some(mut series) = by_stay.remove(&o.stay_id) {
                    sort_series(&mut series);
                    o.series = series;
                }
            }
            self.mark_risk(&mut rows)?;
            Ok(rows)
        })
    }

    /// The ward's shared board in one read snapshot: the census (with each patient's handoff into
    /// this shift), the observation checks and alerts, aftercare progress and `me`'s drafts.
    pub fn ward_board(&self, me: Option<&Staff>, now: DateTime<Utc>, tz: chrono_tz::Tz) -> Result<WardBoard> {
        self.snapshot(|| {
            let mut rows = self.census()?;
            self.mark_handoffs(&mut rows, now, tz)?;
            self.mark_care(&mut rows, now)?;
            let drafts = match me {
                Some(me) => crate::domain::drafts::by_stay(&self.my_drafts_by_stay(me)?),
                None => Default::default(),
            };
            Ok(WardBoard { rows, obs: self.observation_board(now, tz)?, aftercare: self.aftercare_progress()?, drafts })
        })
    }

    /// Each occupant's latest risk screens, when the next is due, and where the admission
    /// assessment stands (REFERENCE.md §3a, §8).
    fn mark_risk(&self, rows: &mut [CensusRow]) -> Result<()> {
        let intervals = super::screens::intervals_in(self.conn())?;
        let mut marks: HashMap<(i64, String), ScreenMark> = HashMap::new();
        let mut st = self.conn().prepare_cached(RISK_SQL)?;
        for row in st.query_map([], |r| {
            let stay: i64 = r.get(0)?;
            let at = time_at(r, 4, &format!("screen of stay {stay}"))?.unwrap_or_default();
            Ok(((stay, r.get::<_, String>(1)?), ScreenMark { result: r.get(2)?, total: r.get(3)?, at, by: r.get(5)? }))
        })? {
            let (k, m) = row?;
            marks.insert(k, m);
        }
        let mut admissions: HashMap<i64, (Assessment, Option<String>)> = HashMap::new();
        let mut st = self.conn().prepare_cached(ADMISSION_SQL)?;
        let found = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in found {
            let (stay, addendum_to, signed, body, by) = row?;
            let body = Assessment::from_json(&body).map_err(|e| StoreError::Refused(format!("stay {stay}: {e}")))?;
            match (addendum_to, admissions.get_mut(&stay)) {
                (None, _) => {
                    admissions.insert(stay, (body, signed.is_none().then_some(by)));
                }
                (Some(_), Some((a, _))) => a.overlay(&body),
                (Some(_), None) => {}
            }
        }
        for o in rows.iter_mut().filter_map(|r| r.occupant.as_mut()) {
            let cssrs = marks.remove(&(o.stay_id, "cssrs".into()));
            let morse = marks.remove(&(o.stay_id, "morse".into()));
            let due = |m: &Option<ScreenMark>, kind| match m {
                None => Some(o.admitted_at),
                Some(m) => intervals.due_after(kind, m.at),
            };
            o.risk.cssrs_due = due(&cssrs, ScreenKind::Cssrs);
            o.risk.morse_due = due(&morse, ScreenKind::Morse);
            o.risk.cssrs = cssrs;
            o.risk.morse = morse;
            if let Some(p) = marks.remove(&(o.stay_id, "pawss".into())) {
                o.risk.pawss_not_applicable = p.total.is_none();
                o.pawss = p.total.and_then(|t| u8::try_from(t).ok());
            }
            o.risk.admission = match admissions.remove(&o.stay_id) {
                None => AdmissionMark::NotStarted,
                Some((_, Some(by))) => AdmissionMark::InProgress { by },
                Some((a, None)) => match a.incomplete() {
                    open if open.is_empty() => AdmissionMark::Complete,
                    open => AdmissionMark::Open(open),
                },
            };
        }
        Ok(())
    }

    /// Each occupant's next scheduled or taper dose with nothing recorded, its open prompts and
    /// its latest vital signs (REFERENCE.md §9, §10).
    fn mark_care(&self, rows: &mut [CensusRow], now: DateTime<Utc>) -> Result<()> {
        use crate::domain::census::{DoseDue, OpenPrompt, VitalsMark};
        use crate::domain::provider_call::PromptKind;
        let mut doses: HashMap<i64, DoseDue> = HashMap::new();
        // Overdue first, then in time order: the first one of a stay is the one to show.
        for d in self.ward_due(now, chrono::Duration::hours(24))? {
            doses.entry(d.stay_id).or_insert_with(|| DoseDue {
                at: d.due.at,
                what: format!("{} {} {}", d.order.drug, d.due.dose, d.order.route),
            });
        }
        let mut prompts: HashMap<i64, Vec<OpenPrompt>> = HashMap::new();
        for p in self.ward_open_prompts()? {
            prompts.entry(p.stay_id).or_default().push(OpenPrompt {
                raised_at: p.raised_at,
                due_at: p.due_at,
                notify: p.kind == PromptKind::Notify,
                why: p.why,
            });
        }
        let mut vitals: HashMap<i64, VitalsMark> = HashMap::new();
        for v in self.latest_vitals()? {
            let news2 = match v.news2 {
                Some(n) => format!("NEWS2 {n}"),
                None => "NEWS2 incomplete".to_string(),
            };
            vitals.insert(v.stay_id, VitalsMark { at: v.taken_at, by: v.by, news2, alert: v.alert });
        }
        for o in rows.iter_mut().filter_map(|r| r.occupant.as_mut()) {
            o.care.next_dose = doses.remove(&o.stay_id);
            o.care.prompts = prompts.remove(&o.stay_id).unwrap_or_default();
            o.care.vitals = vitals.remove(&o.stay_id);
        }
        Ok(())
    }

    /// Mark each patient with the handoff into this shift: its severity and whether it was
    /// accepted (none for a patient admitted during this shift: there was no handoff into it).
    fn mark_handoffs(&self, rows: &mut [CensusRow], now: DateTime<Utc>, tz: chrono_tz::Tz) -> Result<()> {
        let defs = self.shift_defs()?;
        let Some(current) = shift_at(&defs, now, tz) else { return Ok(()) };
        let Some(previous) = shift_at(&defs, current.start - chrono::Duration::seconds(1), tz) else { return Ok(()) };
        let status = self.handoff_status(previous.start)?;
        for o in rows.iter_mut().filter_map(|r| r.occupant.as_mut()) {
            if o.admitted_at >= current.start {
                continue;
            }
            o.handoff = Some(match status.get(&o.stay_id) {
                Some((sev, accepted)) => HandoffFlag { severity: Some(*sev), accepted: *accepted },
                None => HandoffFlag { severity: None, accepted: false },
            });
        }
        Ok(())
    }
}
