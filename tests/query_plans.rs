//! Every query the screens, printouts and saves run must reach the big tables through an index:
//! `EXPLAIN QUERY PLAN` of each, on a fresh schema (no statistics) and on a small generated ward
//! after `ANALYZE`, must not scan `assessment`, `assessment_item`, `prn`, `audit`, `stay_event`,
//! `stay`, `patient` or the observation checks (a scan of a small configuration table such as
//! `bed`, or of a partial index such as the open alerts, is fine). At ten years such a scan is the
//! difference between a millisecond and a second.
//!
//! The SQL is the store's own (`pub const` in `src/store/`), never a copy. A new screen query
//! goes in [`queries`].
use chrono::{TimeZone, Utc};
use rusqlite::Connection;
use tempfile::TempDir;

use wardterm::generate::{self, Plan};
use wardterm::store::{
    OpenMode, Store, admission, assessments, audit, calls, census, events, handoff, meds, notes, rounds, screens,
    stays, users, vitals,
};

/// Tables that grow with the years; a full scan of any of them is a failure.
const BIG: &[&str] = &[
    "assessment",
    "assessment_item",
    "prn",
    "audit",
    "stay_event",
    "stay",
    "patient",
    "obs_check",
    "obs_alert",
    "note",
    "handoff",
    "action_item",
    "screen",
    "screen_item",
    "admission_assessment",
    "med_order",
    "med_order_step",
    "med_admin",
    "vital_sign",
    "provider_call",
    "clinical_event",
    "clinical_prompt",
];

/// (what it is for, the SQL).
fn queries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("census board (latest assessment, PRN due)", census::CENSUS_SQL),
        ("census board: each stay's latest C-SSRS, Morse, PAWSS", census::RISK_SQL),
        ("census board: each stay's admission assessment", census::ADMISSION_SQL),
        ("one screen", screens::SCREEN_BY_ID_SQL),
        ("a stay's screens of one kind", screens::SCREENS_OF_KIND_SQL),
        ("a stay's screens", screens::SCREENS_SQL),
        ("a stay's screens in a window (timeline, handoff)", screens::SCREENS_BETWEEN_SQL),
        ("a screen's answers", screens::SCREEN_ITEMS_SQL),
        ("a stay's admission assessment", admission::ADMISSION_SQL),
        ("its addenda", admission::ADMISSION_ADDENDA_SQL),
        ("past assessments page (keyset)", assessments::ASSESSMENTS_PAGE_SQL),
        ("one assessment by id", assessments::ASSESSMENT_BY_ID_SQL),
        ("trend chart", assessments::TREND_SQL),
        ("PRN doses of a stay", assessments::PRNS_SQL),
        ("ward policy lookup", assessments::POLICY_SQL),
        ("ladder look-back on save: the scale's own series", assessments::SERIES_SQL),
        ("save: a later entry of the same scale", assessments::LATER_SQL),
        ("save: a PRN since the entry", assessments::PRN_SINCE_SQL),
        ("census board: each stay's last entry per scale", census::SERIES_SQL),
        ("handoff: allergies, precautions, code status changed in the shift", stays::SAFETY_CHANGES_SQL),
        ("assessment that prompted a PRN", assessments::PRN_PROMPTED_BY_SQL),
        ("sign-in lookup", users::SIGN_IN_SQL),
        ("census observation board: open stays", rounds::OBS_STAYS_SQL),
        ("census observation board: level changes", rounds::LEVELS_SQL),
        ("census observation board: last check before the shift", rounds::CHECK_BEFORE_SQL),
        ("census observation board: checks this shift", rounds::CHECKS_BETWEEN_SQL),
        ("census observation board: open alerts", rounds::OPEN_ALERTS_SQL),
        ("census observation board: every open stay's level changes", rounds::OPEN_LEVELS_SQL),
        ("census observation board: every open stay's last check before the shift", rounds::OPEN_CHECK_BEFORE_SQL),
        ("census observation board: every open stay's checks this shift", rounds::OPEN_CHECKS_BETWEEN_SQL),
        ("patient timeline page (notes, scores, PRNs)", notes::TIMELINE_SQL),
        ("note search within a stay (FTS5)", notes::SEARCH_STAY_SQL),
        ("note search over the patients on the ward (FTS5)", notes::SEARCH_OPEN_STAYS_SQL),
        ("note search over the whole record (FTS5)", notes::SEARCH_ALL_SQL),
        ("whose stay a found note belongs to", notes::STAY_PATIENT_SQL),
        ("this shift's handoff of a stay", handoff::HANDOFF_SQL),
        ("the last accepted handoff of a stay", handoff::PREVIOUS_HANDOFF_SQL),
        ("audit trail page, filtered", audit::AUDIT_SQL),
        ("handoff: scores around the shift", handoff::HANDOFF_SCORES_SQL),
        ("handoff: PRN doses in the shift", handoff::HANDOFF_PRNS_SQL),
        ("handoff: notes signed in the shift", handoff::HANDOFF_NOTES_SQL),
        ("handoff: open action items", handoff::OPEN_ITEMS_SQL),
        ("handoff: doses in the shift with a PRN's trigger and effect", handoff::HANDOFF_DOSES_SQL),
        ("handoff: calls in the shift", handoff::HANDOFF_CALLS_SQL),
        ("handoff: emergencies in the shift", handoff::HANDOFF_EVENTS_SQL),
        ("handoff: prompts still open", handoff::HANDOFF_PROMPTS_SQL),
        ("MAR: one order", meds::ORDER_BY_ID_SQL),
        ("MAR: a stay's orders with their stops", meds::ORDERS_OF_STAY_SQL),
        ("MAR: a taper's steps", meds::ORDER_STEPS_SQL),
        ("MAR: a stay's administrations", meds::ADMINS_OF_STAY_SQL),
        ("MAR: one administration", meds::ADMIN_BY_ID_SQL),
        ("a stay's administrations in a window (handoff, timeline)", meds::ADMINS_BETWEEN_SQL),
        ("MAR: an order's administrations (save checks)", meds::ADMINS_OF_ORDER_SQL),
        ("MAR: a PRN's triggering score", meds::LAST_SCORE_SQL),
        ("ward due list: running scheduled and taper orders", meds::WARD_ORDERS_SQL),
        ("ward due list: entries answering an order's doses", meds::ADMINS_DUE_SQL),
        ("MAR: who the patient is (identity check)", meds::STAY_PATIENT_SQL),
        ("vital signs: a stay's flowsheet (sets and scores' vitals)", vitals::FLOWSHEET_SQL),
        ("vital signs: one set", vitals::VITAL_BY_ID_SQL),
        ("vital signs: each open stay's latest set with its alert", vitals::LATEST_VITALS_SQL),
        ("vital signs: a stay's sets in a window", vitals::VITALS_BETWEEN_SQL),
        ("prompts: a stay's open prompts", calls::OPEN_PROMPTS_SQL),
        ("prompts: the ward's open prompts", calls::WARD_OPEN_PROMPTS_SQL),
        ("prompts: one prompt", calls::PROMPT_BY_ID_SQL),
        ("calls: a stay's calls in a window", calls::CALLS_BETWEEN_SQL),
        ("events: one event", events::EVENT_BY_ID_SQL),
        ("events: a stay's events in a window", events::EVENTS_BETWEEN_SQL),
    ]
}

/// Every FROM/JOIN source of `sql` as (name used in the plan, table).
fn sources(sql: &str) -> Vec<(String, String)> {
    const NOT_ALIAS: &[&str] =
        &["where", "on", "left", "join", "inner", "cross", "order", "group", "limit", "using", "natural", "as"];
    let spaced: String = sql.chars().map(|c| if "(),;".contains(c) { ' ' } else { c }).collect();
    let toks: Vec<&str> = spaced.split_whitespace().collect();
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if !(t.eq_ignore_ascii_case("from") || t.eq_ignore_ascii_case("join")) {
            continue;
        }
        let Some(table) = toks.get(i + 1) else { continue };
        if table.eq_ignore_ascii_case("select") {
            continue;
        }
        let table = table.to_ascii_lowercase();
        let mut alias = toks.get(i + 2).map(|a| a.to_ascii_lowercase());
        if alias.as_deref() == Some("as") {
            alias = toks.get(i + 3).map(|a| a.to_ascii_lowercase());
        }
        out.push((table.clone(), table.clone()));
        if let Some(a) = alias.filter(|a| !NOT_ALIAS.contains(&a.as_str())) {
            out.push((a, table));
        }
    }
    out
}

/// The plan's detail lines.
fn plan(conn: &Connection, sql: &str) -> Vec<String> {
    let mut st = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("the query prepares");
    // Unbound parameters are NULL: the plan does not depend on their values.
    let mut rows = st.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next().expect("the plan runs") {
        out.push(r.get::<_, String>(3).expect("detail"));
    }
    out
}

/// The big tables a plan scans in full.
fn full_scans(conn: &Connection, sql: &str) -> Vec<String> {
    let names = sources(sql);
    plan(conn, sql)
        .into_iter()
        .filter_map(|line| {
            let rest = line.strip_prefix("SCAN ")?;
            let name = rest.split_whitespace().next()?.to_ascii_lowercase();
            let table = names.iter().find(|(n, _)| *n == name).map_or(name, |(_, t)| t.clone());
            // A scan of a partial index visits only the rows it holds (e.g. open alerts).
            let partial = rest.split(" INDEX ").nth(1).and_then(|i| i.split_whitespace().next()).is_some_and(|idx| {
                conn.query_row("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1", [idx], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .ok()
                .flatten()
                .is_some_and(|sql| sql.to_ascii_uppercase().contains(" WHERE "))
            });
            (BIG.contains(&table.as_str()) && !partial).then(|| format!("{table}: {line}"))
        })
        .collect()
}

fn check_all(conn: &Connection, label: &str) {
    let mut failures = Vec::new();
    for (what, sql) in queries() {
        let scans = full_scans(conn, sql);
        if !scans.is_empty() {
            failures.push(format!(
                "{what} ({label}): full scan of {}\n  plan: {:?}",
                scans.join(", "),
                plan(conn, sql)
            ));
        }
    }
    assert!(failures.is_empty(), "queries that scan a big table:\n{}", failures.join("\n"));
    check_note_searches(conn, label);
}

/// The full-text index is no table scan, but a search that lets it produce every match in ten
/// years ("tremor": most notes) and only then keeps one stay's is. Each search must read the
/// index newest first with no sort of its own (FTS5's plan `INDEX 192:`: ORDER BY rowid DESC),
/// and the stay and ward searches only within a rowid range (`>`, and `<` for a stay).
fn check_note_searches(conn: &Connection, label: &str) {
    for (what, sql, bounds) in [
        ("stay", notes::SEARCH_STAY_SQL, "><"),
        ("ward", notes::SEARCH_OPEN_STAYS_SQL, ">"),
        ("whole record", notes::SEARCH_ALL_SQL, ""),
    ] {
        let p = plan(conn, sql);
        assert!(!p.iter().any(|l| l.contains("TEMP B-TREE")), "{what} search ({label}) sorts its matches: {p:?}");
        // The index is the only virtual table: it shows under whatever alias the SQL gives it.
        let fts: Vec<&String> = p.iter().filter(|l| l.contains("VIRTUAL TABLE")).collect();
        assert_eq!(fts.len(), 1, "{what} search ({label}): {p:?}");
        let idx = fts[0].split("INDEX ").nth(1).unwrap_or("");
        assert!(idx.starts_with("192:") && idx.ends_with(bounds), "{what} search ({label}): {p:?}");
    }
}

#[test]
fn the_checker_sees_a_full_scan() {
    let store = Store::open_in_memory().unwrap();
    let bad = "SELECT a.id FROM assessment a WHERE a.total > 5";
    assert_eq!(full_scans(store.raw_connection(), bad).len(), 1, "{:?}", plan(store.raw_connection(), bad));
    let fine = "SELECT label FROM bed b ORDER BY sort";
    assert!(full_scans(store.raw_connection(), fine).is_empty());
    let partial = "SELECT a.check_id FROM obs_alert a WHERE a.acked_at IS NULL ORDER BY a.raised_at";
    assert!(full_scans(store.raw_connection(), partial).is_empty(), "{:?}", plan(store.raw_connection(), partial));
    // The search as it was first written: every match in the record, then one stay's, sorted.
    let unbounded = "SELECT n.id FROM note_fts f JOIN note n ON n.id = f.rowid
                     WHERE note_fts MATCH ?1 AND n.stay_id = ?2 ORDER BY n.event_at DESC LIMIT ?3";
    let p = plan(store.raw_connection(), unbounded);
    assert!(p.iter().any(|l| l.contains("TEMP B-TREE")) && p[0].contains("INDEX 0:M"), "{p:?}");
}

#[test]
fn every_screen_query_uses_an_index_on_a_fresh_schema() {
    let store = Store::open_in_memory().unwrap();
    check_all(store.raw_connection(), "fresh schema, no statistics");
}

#[test]
fn every_screen_query_uses_an_index_on_a_generated_ward_after_analyze() {
    let dir = TempDir::new().unwrap();
    let mut store = Store::open(&dir.path().join("big.db"), OpenMode::CreateIfMissing).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    generate::build(&mut store, &Plan::new(6, 1, now), &mut |_| {}).unwrap();
    store.raw_connection().execute_batch("ANALYZE").unwrap();
    check_all(store.raw_connection(), "generated ward, after ANALYZE");
}

/// A cached statement is planned once. SQLite re-plans a statement whose plan might depend on a
/// bound value each time its bindings are cleared, which rusqlite does whenever a statement goes
/// back to the cache: that was most of the observation board's and the handoff's time. The store
/// turns the query planner stability guarantee on, so plans depend on the SQL alone.
#[test]
fn cached_statements_are_not_re_planned_at_each_use() {
    use rusqlite::StatementStatus;
    let store = Store::open_in_memory().unwrap();
    let conn = store.raw_connection();
    for (what, sql) in queries() {
        for round in 0..3 {
            let mut st = conn.prepare_cached(sql).unwrap();
            for i in 1..=st.parameter_count() {
                st.raw_bind_parameter(i, if round % 2 == 0 { 1i64 } else { 2i64 }).unwrap();
            }
            let mut rows = st.raw_query();
            while rows.next().unwrap().is_some() {}
            drop(rows);
            assert_eq!(st.get_status(StatementStatus::RePrepare), 0, "{what} was planned again on use {round}");
        }
    }
}
