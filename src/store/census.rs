//! The census board query: every active bed, its open stay, and the stay's latest assessment.
use chrono::NaiveDate;
use rusqlite::Row;

use super::{Result, Store};
use crate::domain::census::{CensusRow, LastScore, Occupant};
use crate::domain::time::from_db;

/// One query for the whole board. The latest assessment comes from a correlated subquery on the
/// `assessment_stay_time` index, so the board costs the same on day one and in year ten.
pub const CENSUS_SQL: &str = "
SELECT b.id, b.label,
       s.id, p.id, p.name, p.mrn, p.birth_date, p.sex, s.admitted_at, s.level_of_care, l.acuity,
       s.substances, s.protocol, s.allergies, s.precautions, s.attending, s.code_status, s.observation,
       a.scale, a.total, a.band, a.severe, a.unable_reason, a.taken_at,
       u.display_name || ', ' || u.credentials, a.next_due_at, a.prompts,
       (SELECT min(x.reassess_due_at) FROM prn x
         WHERE x.stay_id = s.id AND x.given_at >= coalesce(a.taken_at, s.admitted_at)),
       s.pawss
FROM bed b
LEFT JOIN stay s ON s.bed_id = b.id AND s.discharged_at IS NULL
LEFT JOIN patient p ON p.id = s.patient_id
LEFT JOIN level_of_care l ON l.code = s.level_of_care
LEFT JOIN assessment a ON a.id = (
    SELECT a2.id FROM assessment a2 WHERE a2.stay_id = s.id ORDER BY a2.taken_at DESC, a2.id DESC LIMIT 1)
LEFT JOIN user u ON u.id = a.by_user
WHERE b.active = 1
ORDER BY b.sort";

fn census_row(r: &Row<'_>) -> rusqlite::Result<CensusRow> {
    let stay_id: Option<i64> = r.get(2)?;
    let occupant = match stay_id {
        None => None,
        Some(stay_id) => {
            let ts = |i: usize| -> rusqlite::Result<Option<chrono::DateTime<chrono::Utc>>> {
                Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(from_db))
            };
            let last = match r.get::<_, Option<String>>(18)? {
                None => None,
                Some(scale) => Some(LastScore {
                    scale,
                    total: r.get(19)?,
                    band: r.get(20)?,
                    severe: r.get::<_, Option<bool>>(21)?.unwrap_or(false),
                    unable_reason: r.get(22)?,
                    taken_at: ts(23)?.unwrap_or_default(),
                    by: r.get::<_, Option<String>>(24)?.unwrap_or_default(),
                }),
            };
            let birth: String = r.get(6)?;
            Some(Occupant {
                stay_id,
                patient_id: r.get(3)?,
                name: r.get(4)?,
                mrn: r.get(5)?,
                birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or_default(),
                sex: r.get(7)?,
                admitted_at: ts(8)?.unwrap_or_default(),
                level_of_care: r.get(9)?,
                care_acuity: r.get::<_, Option<u8>>(10)?.unwrap_or(0),
                substances: r.get(11)?,
                protocol: r.get(12)?,
                allergies: r.get(13)?,
                precautions: r.get(14)?,
                attending: r.get(15)?,
                code_status: r.get(16)?,
                observation: r.get(17)?,
                last,
                next_due: ts(25)?,
                prompts: r.get::<_, Option<String>>(26)?.unwrap_or_default(),
                prn_due: ts(27)?,
                pawss: r.get(28)?,
                handoff: None,
            })
        }
    };
    Ok(CensusRow { bed_id: r.get(0)?, bed: r.get(1)?, occupant })
}

impl Store {
    /// The whole board in bed order.
    pub fn census(&self) -> Result<Vec<CensusRow>> {
        let mut st = self.conn().prepare_cached(CENSUS_SQL)?;
        let rows = st.query_map([], census_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
