//! The audit trail: who read or wrote which record, and when (append-only in schema.sql).
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::Result;
use crate::domain::time::to_db;

/// Record one audited action inside the caller's transaction (or on its own, for reads).
pub fn record(
    conn: &Connection,
    at: DateTime<Utc>,
    user_id: Option<i64>,
    action: &str,
    patient_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit (at, user_id, action, patient_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![to_db(at), user_id, action, patient_id, detail],
    )?;
    Ok(())
}
