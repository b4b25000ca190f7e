//! Ward configuration, beds, levels of care and the first-run setup.
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, audit, users};
use crate::domain::protocol::default_ladder;
use crate::domain::scale::default_bands;
use crate::domain::scales;
use crate::domain::time::{parse_zone, to_db};
use crate::domain::user::Staff;
use crate::domain::ward::{Setup, Ward};

/// A code and its display name, from a data table (levels of care, observation levels).
#[derive(Clone, Debug, PartialEq)]
pub struct Coded {
    pub code: String,
    pub name: String,
}

impl Store {
    /// The ward, or `None` for an empty database that still needs first-run setup.
    pub fn ward(&self) -> Result<Option<Ward>> {
        let row = self
            .conn()
            .query_row("SELECT name, time_zone, temp_unit, idle_lock_secs, is_demo FROM ward WHERE id = 1", [], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, bool>(4)?,
                ))
            })
            .optional()?;
        let Some((name, zone, unit, idle, demo)) = row else {
            return Ok(None);
        };
        let tz = parse_zone(&zone).map_err(StoreError::Refused)?;
        Ok(Some(Ward { name, tz, temp_unit: unit.chars().next().unwrap_or('C'), idle_lock_secs: idle, is_demo: demo }))
    }

    /// First-run setup in one transaction: the ward, its beds, default policies, and the first
    /// charge nurse. Refused if the database already holds a ward.
    pub fn setup(&mut self, s: &Setup, is_demo: bool, now: DateTime<Utc>) -> Result<Staff> {
        let hash = users::hash_password(&s.first_user.password)?;
        self.write(|tx| {
            let exists: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM ward)", [], |r| r.get(0))?;
            if exists {
                return super::refuse("this database already holds a ward");
            }
            tx.execute(
                "INSERT INTO ward (id, name, time_zone, temp_unit, is_demo, created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
                params![s.ward_name, s.tz.name(), s.temp_unit.to_string(), is_demo, to_db(now)],
            )?;
            for (i, bed) in s.beds.iter().enumerate() {
                tx.execute("INSERT INTO bed (label, sort) VALUES (?1, ?2)", params![bed, i as i64])?;
            }
            let staff = users::insert_user(tx, &s.first_user, &hash, None, now)?;
            for scale in scales::ALL {
                let bands = serde_json::to_string(&default_bands(scale.key)).map_err(json_err)?;
                let ladder = serde_json::to_string(&default_ladder(scale.key)).map_err(json_err)?;
                for (kind, body) in [("bands", bands), ("ladder", ladder)] {
                    tx.execute(
                        "INSERT INTO policy (scale, kind, version, body, created_at, created_by)
                         VALUES (?1, ?2, 1, ?3, ?4, ?5)",
                        params![scale.key, kind, body, to_db(now), staff.id],
                    )?;
                }
            }
            // REFERENCE.md §3a: Morse cut-offs "vary by institution": the common set, version 1.
            let morse = serde_json::to_string(&crate::domain::morse::MorseBands::common_set()).map_err(json_err)?;
            tx.execute(
                "INSERT INTO policy (scale, kind, version, body, created_at, created_by) VALUES (?1, 'bands', 1, ?2, ?3, ?4)",
                params![crate::domain::morse::MORSE_POLICY, morse, to_db(now), staff.id],
            )?;
            audit::record(tx, now, Some(staff.id), "setup", None, &format!("ward {}", s.ward_name))?;
            Ok(staff)
        })
    }

    /// Every active bed in ward order.
    pub fn beds(&self) -> Result<Vec<(i64, String)>> {
        let mut st = self.conn().prepare_cached("SELECT id, label FROM bed WHERE active = 1 ORDER BY sort")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn levels_of_care(&self) -> Result<Vec<Coded>> {
        self.coded("SELECT code, name FROM level_of_care ORDER BY sort")
    }

    pub fn observation_levels(&self) -> Result<Vec<Coded>> {
        self.coded("SELECT code, name FROM observation_level ORDER BY sort")
    }

    fn coded(&self, sql: &str) -> Result<Vec<Coded>> {
        let mut st = self.conn().prepare_cached(sql)?;
        let rows = st.query_map([], |r| Ok(Coded { code: r.get(0)?, name: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn json_err(e: serde_json::Error) -> StoreError {
    StoreError::Refused(format!("policy could not be encoded: {e}"))
}
