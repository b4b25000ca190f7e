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

/// A document that leaves the screen on paper (or a file): each print is audited with what it
/// held, since a printout is a copy of the record that the audit trail must account for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printed {
    Census,
    Handoff,
    Schedule,
    Rounds,
    Audit,
    Mar,
}

impl Printed {
    /// The audit action (stable: `wardterm audit` filters and the generator use these names).
    pub fn action(self) -> &'static str {
        match self {
            Printed::Census => "print.census",
            Printed::Handoff => "print.handoff",
            Printed::Schedule => "print.schedule",
            Printed::Rounds => "print.rounds",
            Printed::Audit => "print.audit",
            Printed::Mar => "print.mar",
        }
    }
}

impl super::Store {
    /// Record that `by` printed `doc` (`detail` says what it held), in its own transaction.
    pub fn record_printed(
        &mut self,
        by: &crate::domain::user::Staff,
        doc: Printed,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| record(tx, now, Some(by.id), doc.action(), None, detail))
    }

    /// Record that the whole record was copied out (a backup: no signed-in user on a cron job).
    pub fn record_backup(&mut self, detail: &str, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| record(tx, now, None, "export.backup", None, detail))
    }

    /// Record that `by` opened the audit viewer.
    pub fn record_audit_viewed(&mut self, by: &crate::domain::user::Staff, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| record(tx, now, Some(by.id), "read.audit", None, "audit viewer"))
    }
}

/// One audit row as people read it.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub user: String,
    pub action: String,
    pub patient: String,
    pub detail: String,
}

/// Which rows to show. Each filter uses an index (`audit_patient`, `audit_user`, the primary key).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditFilter {
    /// Patient by MRN.
    pub mrn: Option<String>,
    pub username: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

/// Newest first, at most `limit` rows, before the row id `before` (keyset paging).
pub const AUDIT_SQL: &str = "
SELECT a.id, a.at, coalesce(u.username, '(unknown)'), a.action, coalesce(p.name || ' (' || p.mrn || ')', ''), a.detail
FROM audit a
LEFT JOIN user u ON u.id = a.user_id
LEFT JOIN patient p ON p.id = a.patient_id
WHERE a.id < ?1
  AND (?2 IS NULL OR a.patient_id = (SELECT id FROM patient WHERE mrn = ?2))
  AND (?3 IS NULL OR a.user_id = (SELECT id FROM user WHERE username = ?3))
  AND (?4 IS NULL OR a.at >= ?4)
ORDER BY a.id DESC
LIMIT ?5";

impl super::Store {
    /// Read the audit trail. Returns rows and the cursor for the next (older) page.
    pub fn audit_rows(
        &self,
        f: &AuditFilter,
        before: Option<i64>,
        limit: usize,
    ) -> super::Result<(Vec<AuditRow>, Option<i64>)> {
        let mut st = self.conn().prepare_cached(AUDIT_SQL)?;
        let mut last = None;
        let rows = st.query_map(
            params![
                before.unwrap_or(i64::MAX),
                f.mrn,
                f.username.as_ref().map(|u| u.to_ascii_lowercase()),
                f.since.map(to_db),
                limit as i64
            ],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    AuditRow {
                        at: crate::domain::time::from_db(&r.get::<_, String>(1)?).unwrap_or_default(),
                        user: r.get(2)?,
                        action: r.get(3)?,
                        patient: r.get(4)?,
                        detail: r.get(5)?,
                    },
                ))
            },
        )?;
        let mut out = Vec::new();
        for row in rows {
            let (id, r) = row?;
            last = Some(id);
            out.push(r);
        }
        let next = if out.len() == limit { last } else { None };
        Ok((out, next))
    }
}
