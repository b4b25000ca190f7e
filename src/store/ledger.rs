//! The hash chain over signed records: sealing a record inside the transaction that writes it,
//! and verifying the whole chain (`wardterm verify`).
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::ledger::{Canon, GENESIS, link};
use crate::domain::note::Signed;
use crate::domain::time::to_db;

/// The kinds of record the chain covers. Since schema version 4 a `stay_event` (every change of
/// a stay, the safety facts among them) is sealed like a signed record; since version 5 a risk
/// `screen` and a signed `admission` assessment or addendum; since version 6 medication orders,
/// their stops, administrations, vital signs, provider calls and emergencies (the table
/// `ledger_kind` lists them).
pub const KINDS: [&str; 13] = [
    "note",
    "assessment",
    "prn",
    "handoff",
    "stay_event",
    "screen",
    "admission",
    "med_order",
    "med_order_stop",
    "med_admin",
    "vital_sign",
    "provider_call",
    "clinical_event",
];

fn text(v: rusqlite::types::Value) -> Option<String> {
    use rusqlite::types::Value::*;
    match v {
        Null => None,
        Integer(i) => Some(i.to_string()),
        Real(f) => Some(format!("{f:?}")),
        Text(t) => Some(t),
        Blob(b) => Some(crate::domain::ledger::hex(&b)),
    }
}

/// Canonical serialization of every column of a row, by column name (so that a column added by a
/// later schema version changes the tag, never silently the meaning).
fn row_canon(conn: &Connection, tag: &str, sql: &str, id: i64) -> Result<Option<Canon>> {
    let mut st = conn.prepare_cached(sql)?;
    let names: Vec<String> = st.column_names().map(str::to_string).collect();
    let row: Option<Vec<rusqlite::types::Value>> =
        st.query_row([id], |r| (0..names.len()).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect()).optional()?;
    Ok(row.map(|vals| names.iter().zip(vals).fold(Canon::new(tag), |c, (n, v)| c.opt(n, text(v).as_deref()))))
}

/// The content hash of a record as the database holds it now; `None` if it is gone.
pub fn content_hash(conn: &Connection, kind: &str, id: i64) -> Result<Option<String>> {
    match kind {
        "note" => {
            let row = conn
                .query_row(
                    "SELECT stay_id, kind, format, addendum_to, author, author_name, author_credentials, event_at,
                            signed_at, sections
                     FROM note WHERE id = ?1 AND signed_at IS NOT NULL",
                    [id],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, Option<i64>>(3)?,
                            r.get::<_, i64>(4)?,
                            r.get::<_, String>(5)?,
                            r.get::<_, String>(6)?,
                            r.get::<_, String>(7)?,
                            r.get::<_, String>(8)?,
                            r.get::<_, String>(9)?,
                        ))
                    },
                )
                .optional()?;
            Ok(row.map(|(stay, k, format, add, author, name, cred, event, signed, sections)| {
                let sections: Vec<(String, String)> = serde_json::from_str(&sections).unwrap_or_default();
                Signed {
                    id,
                    stay_id: stay,
                    kind: &k,
                    format: &format,
                    addendum_to: add,
                    author_id: author,
                    author_name: &name,
                    author_credentials: &cred,
                    event_at: &event,
                    signed_at: &signed,
                    sections: &sections,
                }
                .hash()
            }))
        }
        "assessment" => {
            let Some(mut c) = row_canon(conn, "wardterm-assessment-v1", "SELECT * FROM assessment WHERE id = ?1", id)?
            else {
                return Ok(None);
            };
            let mut st =
                conn.prepare_cached("SELECT item, score FROM assessment_item WHERE assessment_id = ?1 ORDER BY item")?;
            let items = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for it in items {
                let (item, score) = it?;
                c = c.field("item", &item).field("score", &score.to_string());
            }
            Ok(Some(c.hash()))
        }
        "prn" => Ok(row_canon(conn, "wardterm-prn-v1", "SELECT * FROM prn WHERE id = ?1", id)?.map(|c| c.hash())),
        "handoff" => {
            Ok(row_canon(conn, "wardterm-handoff-v1", "SELECT * FROM handoff WHERE id = ?1", id)?.map(|c| c.hash()))
        }
        // Named columns: a column a later version adds to stay_event does not change the hash of
        // the events sealed before it.
        "stay_event" => Ok(row_canon(
            conn,
            "wardterm-stay-event-v1",
            "SELECT id, stay_id, kind, from_value, to_value, note, at, by_user FROM stay_event WHERE id = ?1",
            id,
        )?
        .map(|c| c.hash())),
        "screen" => {
            let Some(mut c) = row_canon(conn, "wardterm-screen-v1", "SELECT * FROM screen WHERE id = ?1", id)? else {
                return Ok(None);
            };
            let mut st =
                conn.prepare_cached("SELECT item, answer FROM screen_item WHERE screen_id = ?1 ORDER BY item")?;
            let items = st.query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for it in items {
                let (item, answer) = it?;
                c = c.field("item", &item).field("answer", &answer);
            }
            Ok(Some(c.hash()))
        }
        "admission" => Ok(row_canon(
            conn,
            "wardterm-admission-v1",
            "SELECT * FROM admission_assessment WHERE id = ?1 AND signed_at IS NOT NULL",
            id,
        )?
        .map(|c| c.hash())),
        "med_order" => {
            let Some(mut c) = row_canon(conn, "wardterm-med-order-v1", "SELECT * FROM med_order WHERE id = ?1", id)?
            else {
                return Ok(None);
            };
            let mut st = conn.prepare_cached(
                "SELECT seq, starts_at, dose, every_hours, doses FROM med_order_step WHERE order_id = ?1 ORDER BY seq",
            )?;
            let steps = st.query_map([id], |r| {
                Ok(format!(
                    "{}|{}|{}|{}|{}",
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?
                ))
            })?;
            for step in steps {
                c = c.field("step", &step?);
            }
            Ok(Some(c.hash()))
        }
        "med_order_stop" => {
            Ok(row_canon(conn, "wardterm-med-order-stop-v1", "SELECT * FROM med_order_stop WHERE order_id = ?1", id)?
                .map(|c| c.hash()))
        }
        "med_admin" => {
            Ok(row_canon(conn, "wardterm-med-admin-v1", "SELECT * FROM med_admin WHERE id = ?1", id)?.map(|c| c.hash()))
        }
        "vital_sign" => {
            Ok(row_canon(conn, "wardterm-vital-sign-v1", "SELECT * FROM vital_sign WHERE id = ?1", id)?
                .map(|c| c.hash()))
        }
        "provider_call" => {
            Ok(row_canon(conn, "wardterm-provider-call-v1", "SELECT * FROM provider_call WHERE id = ?1", id)?
                .map(|c| c.hash()))
        }
        "clinical_event" => {
            Ok(row_canon(conn, "wardterm-clinical-event-v1", "SELECT * FROM clinical_event WHERE id = ?1", id)?
                .map(|c| c.hash()))
        }
        _ => Ok(None),
    }
}

/// Add a just-written record to the chain, inside the caller's transaction.
pub(crate) fn seal(conn: &Connection, kind: &str, id: i64, now: DateTime<Utc>) -> Result<String> {
    append(conn, kind, id, now, false)
}

fn append(conn: &Connection, kind: &str, id: i64, now: DateTime<Utc>, at_upgrade: bool) -> Result<String> {
    let content = content_hash(conn, kind, id)?
        .ok_or_else(|| super::StoreError::Refused(format!("cannot seal {kind} {id}: not found")))?;
    let prev: String = conn
        .query_row("SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let hash = link(&prev, kind, id, &content);
    conn.prepare_cached(
        "INSERT INTO ledger (kind, record_id, content_hash, prev_hash, hash, at, sealed_at_upgrade)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![kind, id, content, prev, hash, to_db(now), at_upgrade])?;
    Ok(content)
}

/// The schema version 4 upgrade: every stay event written before it enters the chain, in id
/// order, marked `sealed_at_upgrade` so a verifier can tell it from one sealed as it was written.
/// Runs inside the upgrade's transaction (src/store/migrate.rs).
pub(crate) fn seal_unsealed_at_upgrade(conn: &Connection) -> Result<()> {
    let ids: Vec<i64> = conn
        .prepare(
            "SELECT id FROM stay_event
             WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'stay_event') ORDER BY id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let now = Utc::now();
    for id in ids {
        append(conn, "stay_event", id, now, true)?;
    }
    Ok(())
}

impl super::Store {
    /// `PRAGMA integrity_check`, then the whole hash chain (`wardterm verify`).
    pub fn verify(&self) -> Result<Verification> {
        verify(self.conn())
    }
}

/// What `verify` found.
#[derive(Clone, Debug, PartialEq)]
pub struct Verification {
    pub integrity: String,
    pub records: u64,
    /// Of `records`, those written before their kind was sealed and sealed by a schema upgrade:
    /// their hash proves they have not changed since the upgrade, not since they were written.
    pub sealed_at_upgrade: u64,
    /// The first problem, in words, naming the record.
    pub first_broken: Option<String>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.integrity == "ok" && self.first_broken.is_none()
    }
}

/// Walk the chain from the start: recompute every record's hash and every link.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let mut st = conn.prepare(
        "SELECT seq, kind, record_id, content_hash, prev_hash, hash, sealed_at_upgrade FROM ledger ORDER BY seq",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, bool>(6)?,
        ))
    })?;
    let mut prev = GENESIS.to_string();
    let mut records = 0;
    let mut sealed_at_upgrade = 0;
    for row in rows {
        let (seq, kind, id, content, prev_hash, hash, at_upgrade) = row?;
        records += 1;
        sealed_at_upgrade += u64::from(at_upgrade);
        let broken = if prev_hash != prev {
            Some(format!(
                "ledger entry {seq} ({kind} {id}): does not follow the entry before it (an entry was removed or reordered)"
            ))
        } else if link(&prev_hash, &kind, id, &content) != hash {
            Some(format!("ledger entry {seq} ({kind} {id}): its link hash is wrong (the ledger was edited)"))
        } else {
            match content_hash(conn, &kind, id)? {
                None => Some(format!("{kind} {id}: the record is missing (deleted after it was sealed)")),
                Some(now) if now != content => {
                    Some(format!("{kind} {id}: its content has changed since it was sealed (ledger entry {seq})"))
                }
                Some(_) => None,
            }
        };
        if broken.is_some() {
            return Ok(Verification { integrity, records, sealed_at_upgrade, first_broken: broken });
        }
        prev = hash;
    }
    // Records that never entered the chain were written behind the application's back.
    for (kind, sql) in [
        (
            "note",
            "SELECT id FROM note WHERE signed_at IS NOT NULL AND id NOT IN (SELECT record_id FROM ledger WHERE kind = 'note') LIMIT 1",
        ),
        (
            "assessment",
            "SELECT id FROM assessment WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'assessment') LIMIT 1",
        ),
        ("prn", "SELECT id FROM prn WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'prn') LIMIT 1"),
        (
            "handoff",
            "SELECT id FROM handoff WHERE accepted_at IS NOT NULL
             AND id NOT IN (SELECT record_id FROM ledger WHERE kind = 'handoff') LIMIT 1",
        ),
        (
            "stay_event",
            "SELECT id FROM stay_event WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'stay_event') LIMIT 1",
        ),
        (
            "screen",
            "SELECT id FROM screen WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'screen') LIMIT 1",
        ),
        (
            "admission",
            "SELECT id FROM admission_assessment WHERE signed_at IS NOT NULL
             AND id NOT IN (SELECT record_id FROM ledger WHERE kind = 'admission') LIMIT 1",
        ),
        (
            "med_order",
            "SELECT id FROM med_order WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'med_order') LIMIT 1",
        ),
        (
            "med_order_stop",
            "SELECT order_id FROM med_order_stop
             WHERE order_id NOT IN (SELECT record_id FROM ledger WHERE kind = 'med_order_stop') LIMIT 1",
        ),
        (
            "med_admin",
            "SELECT id FROM med_admin WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'med_admin') LIMIT 1",
        ),
        (
            "vital_sign",
            "SELECT id FROM vital_sign WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'vital_sign') LIMIT 1",
        ),
        (
            "provider_call",
            "SELECT id FROM provider_call
             WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'provider_call') LIMIT 1",
        ),
        (
            "clinical_event",
            "SELECT id FROM clinical_event
             WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'clinical_event') LIMIT 1",
        ),
    ] {
        if let Some(id) = conn.query_row(sql, [], |r| r.get::<_, i64>(0)).optional()? {
            return Ok(Verification {
                integrity,
                records,
                sealed_at_upgrade,
                first_broken: Some(format!(
                    "{kind} {id}: written but not in the ledger (inserted behind the application's back)"
                )),
            });
        }
    }
    Ok(Verification { integrity, records, sealed_at_upgrade, first_broken: None })
}
