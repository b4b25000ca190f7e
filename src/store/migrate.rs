//! Forward-only, versioned schema migrations over `PRAGMA user_version`.
//!
//! A new database gets `schema.sql` (the whole current schema) in one transaction. An older one
//! is brought up one version at a time, each step in its own IMMEDIATE transaction, so an
//! interrupted upgrade leaves a database at a whole version. A database newer than this binary is
//! refused rather than guessed at.
use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// The schema version this binary writes.
pub const CURRENT: i64 = 6;

/// `PRAGMA application_id` of a wardterm database ("WARD").
pub const APPLICATION_ID: i64 = 0x5741_5244;

/// The whole current schema, as it runs in the sqlite3 shell.
pub const SCHEMA: &str = include_str!("../../schema.sql");

/// One upgrade: its SQL, what the program then does to the rows (`then`, in the same
/// transaction: work SQL alone cannot do, such as hashing), and a query that must find nothing
/// once both have run (rows the new rules would refuse). If it finds any, or `then` fails, the
/// step is rolled back and the database stays as it was.
/// Program work inside an upgrade's transaction.
type RowsStep = fn(&Connection) -> Result<(), StoreError>;

struct Step {
    sql: &'static str,
    then: Option<RowsStep>,
    must_be_empty: &'static str,
    why: &'static str,
}

/// `STEPS[i]` upgrades version `i + 1` to `i + 2`. Append only; never edit a released step.
const STEPS: &[Step] = &[
    Step {
        sql: include_str!("migrations/0002_precautions.sql"),
        then: None,
        // Rows written before version 2 stay as written (a discharged stay is final, and a list in
        // another order means the same); only a word the app never knew stops the upgrade.
        must_be_empty:
            "SELECT id FROM stay WHERE precautions <> '' AND replace(replace(replace(replace(replace(replace(
                      ', ' || precautions, ', seizure', ''), ', fall', ''), ', elopement', ''), ', suicide', ''),
                      ', aggression', ''), ', isolation', '') <> '' LIMIT 5",
        why: "stays with precautions the program never knew",
    },
    Step {
        sql: include_str!("migrations/0003_scale_ranges.sql"),
        then: None,
        // Rows that version 3 would refuse: a total above its scale's maximum, or an item filed
        // under another scale than its assessment's.
        must_be_empty: "SELECT a.id FROM assessment a WHERE a.total > (
                      SELECT coalesce(sum(m), 0) FROM (SELECT max(score) AS m FROM scale_choice
                                                        WHERE scale = a.scale GROUP BY item))
                    UNION
                    SELECT i.assessment_id FROM assessment_item i JOIN assessment a ON a.id = i.assessment_id
                    WHERE i.scale <> a.scale LIMIT 5",
        why: "assessments whose total is above the scale maximum or whose items are of another scale",
    },
    Step {
        sql: include_str!("migrations/0004_sealed_stay_events.sql"),
        // The stay events written before version 4 enter the chain, in id order, marked as
        // sealed at the upgrade (issue 20, point 9).
        then: Some(super::ledger::seal_unsealed_at_upgrade),
        must_be_empty: "SELECT id FROM stay_event
                    WHERE id NOT IN (SELECT record_id FROM ledger WHERE kind = 'stay_event') LIMIT 5",
        why: "stay events the upgrade could not seal",
    },
    Step {
        sql: include_str!("migrations/0005_admission_and_screens.sql"),
        then: None,
        // Version 5 adds tables and refuses new typed PAWSS totals; the rows a version 4 ward
        // holds stay as written. The ledger, rebuilt over its kinds table, must keep every entry
        // under a kind the table knows.
        must_be_empty: "SELECT seq FROM ledger WHERE kind NOT IN (SELECT kind FROM ledger_kind) LIMIT 5",
        why: "ledger entries of a kind version 5 does not know",
    },
    Step {
        sql: include_str!("migrations/0006_medications_and_vitals.sql"),
        then: None,
        // Version 6 adds tables, the unit's vital-sign settings and six sealed kinds; no row a
        // version 5 ward holds changes. The old PRN table stays as written and is still read.
        must_be_empty: "SELECT column1 FROM (VALUES ('med_order'), ('med_order_stop'), ('med_admin'), ('vital_sign'),
                                         ('provider_call'), ('clinical_event'))
                    WHERE column1 NOT IN (SELECT kind FROM ledger_kind)",
        why: "sealed kinds version 6 failed to add",
    },
];

const _: () = assert!(STEPS.len() as i64 + 1 == CURRENT);

fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Bring the database to [`CURRENT`], or refuse it.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version = user_version(conn)?;
    if version > CURRENT {
        return Err(StoreError::TooNew { found: version, known: CURRENT });
    }
    if version == 0 {
        let tables: i64 =
            conn.query_row("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", [], |r| r.get(0))?;
        if tables > 0 {
            return Err(StoreError::NotWardterm);
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have created it while we waited for the write lock.
        if user_version(&tx)? == 0 {
            tx.execute_batch(SCHEMA)?;
            tx.pragma_update(None, "user_version", CURRENT)?;
        }
        tx.commit()?;
        return Ok(());
    }
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::NotWardterm);
    }
    for (i, step) in STEPS.iter().enumerate() {
        let from = i as i64 + 1;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if user_version(&tx)? == from {
            tx.execute_batch(step.sql)?;
            if let Some(then) = step.then {
                then(&tx)?;
            }
            let bad: Vec<i64> =
                tx.prepare(step.must_be_empty)?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
            if !bad.is_empty() {
                // Dropping `tx` rolls the step back.
                return Err(StoreError::UpgradeRefused { to: from + 1, why: step.why, ids: bad });
            }
            tx.pragma_update(None, "user_version", from + 1)?;
        }
        tx.commit()?;
    }
    Ok(())
}
