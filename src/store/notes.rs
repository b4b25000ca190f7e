//! Progress notes: drafts saved as the nurse types, signing (password again, hash, search
//! index), addenda, the timeline of a stay, and full-text search.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError, audit, refuse, require};
use crate::domain::drafts::MyDraft;
use crate::domain::note::Note;
use crate::domain::note::{self, Format, Signed};
use crate::domain::time::{from_db, to_db};
use crate::domain::timeline::{EntryKind, Filter, TimelineEntry};
use crate::domain::user::{Action, Staff};

/// What counts as "my draft": a note or addendum the nurse wrote and has not signed (a draft is
/// its author's only), with the patient and, while the stay is open, the bed. Through the
/// `note_drafts` index (author, stay_id WHERE signed_at IS NULL).
pub const MY_DRAFTS_SQL: &str = "
SELECT n.id, n.stay_id, n.kind, n.saved_at, p.name, CASE WHEN s.discharged_at IS NULL THEN b.label END
FROM note n
JOIN stay s ON s.id = n.stay_id
JOIN patient p ON p.id = s.patient_id
JOIN bed b ON b.id = s.bed_id
WHERE n.author = ?1 AND n.signed_at IS NULL
ORDER BY s.discharged_at IS NOT NULL, b.sort, n.stay_id, n.saved_at DESC, n.id DESC";

pub const NOTE_COLS: &str = "id, stay_id, kind, format, addendum_to, author, sections, started_at, saved_at, event_at,
    signed_at, author_name || ', ' || author_credentials, hash";

fn note_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let ts = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(from_db))
    };
    let sections: String = r.get(6)?;
    Ok(Note {
        id: r.get(0)?,
        stay_id: r.get(1)?,
        kind: r.get(2)?,
        format: r.get(3)?,
        addendum_to: r.get(4)?,
        author: r.get(5)?,
        sections: serde_json::from_str(&sections).unwrap_or_default(),
        started_at: ts(7)?.unwrap_or_default(),
        saved_at: ts(8)?.unwrap_or_default(),
        event_at: ts(9)?,
        signed_at: ts(10)?,
        signed_by: r.get(11)?,
        hash: r.get(12)?,
    })
}

/// A stay's timeline, newest first, keyset-paged: each branch reads at most `limit` rows from its
/// own (stay, time) index, so a page costs the same on day one and after 2,000 entries. Each
/// branch applies the page's start itself (else an entry at the start's time fills a branch's
/// limit and the page skips the entries after it). Entries
/// are ordered by when they happened, except that an addendum is never placed before the note it
/// corrects: it is ordered at its own event time or its note's, whichever is later (and at a tie
/// it comes first, newest first, so it reads as written after its note). The addenda branch
/// reads the stay's signed notes up to the page (a few hundred in a long stay) for that.
pub const TIMELINE_SQL: &str = "
SELECT kind, id, at, written_at, by, summary, order_at FROM (
  SELECT * FROM (
    SELECT 'note' AS kind, n.id, n.event_at AS at,
           n.signed_at AS written_at, n.author_name || ', ' || n.author_credentials AS by,
           n.format || ': ' || substr(replace(coalesce(json_extract(n.sections, '$[0][1]'), ''), char(10), ' '), 1, 120)
             AS summary,
           n.event_at AS order_at
    FROM note n
    WHERE ?6 AND n.stay_id = ?1 AND n.signed_at IS NOT NULL AND n.kind = 'note' AND n.event_at <= ?2
      AND (n.event_at < ?2 OR 'note' > ?3 OR ('note' = ?3 AND n.id < ?4))
    ORDER BY n.event_at DESC LIMIT ?5)
  UNION ALL
  SELECT * FROM (
    SELECT 'addendum', a.id, a.event_at, a.signed_at, a.author_name || ', ' || a.author_credentials,
           a.format || ': ' || substr(replace(coalesce(json_extract(a.sections, '$[0][1]'), ''), char(10), ' '), 1, 120),
           max(a.event_at, o.event_at) AS order_at
    FROM note a JOIN note o ON o.id = a.addendum_to
    WHERE ?6 AND a.stay_id = ?1 AND a.signed_at IS NOT NULL AND a.kind = 'addendum' AND a.event_at <= ?2
      AND (max(a.event_at, o.event_at) < ?2
           OR (max(a.event_at, o.event_at) = ?2 AND ('addendum' > ?3 OR ('addendum' = ?3 AND a.id < ?4))))
    ORDER BY order_at DESC LIMIT ?5)
  UNION ALL
  SELECT * FROM (
    SELECT 'assessment', a.id, a.taken_at, a.recorded_at, u.display_name || ', ' || u.credentials,
           a.scale || ' ' || coalesce(a.total || ' ' || a.band, 'unable to assess: ' || a.unable_reason),
           a.taken_at
    FROM assessment a JOIN user u ON u.id = a.by_user
    WHERE ?7 AND a.stay_id = ?1 AND a.taken_at <= ?2
      AND (a.taken_at < ?2 OR 'assessment' > ?3 OR ('assessment' = ?3 AND a.id < ?4))
    ORDER BY a.taken_at DESC LIMIT ?5)
  UNION ALL
  SELECT * FROM (
    SELECT 'prn', p.id, p.given_at, p.recorded_at, u.display_name || ', ' || u.credentials,
           'PRN ' || p.medication || ' ' || p.dose || ' ' || p.route,
           p.given_at
    FROM prn p JOIN user u ON u.id = p.by_user
    WHERE ?8 AND p.stay_id = ?1 AND p.given_at <= ?2
      AND (p.given_at < ?2 OR 'prn' > ?3 OR ('prn' = ?3 AND p.id < ?4))
    ORDER BY p.given_at DESC LIMIT ?5)
  UNION ALL
  SELECT * FROM (
    SELECT 'change', e.id, e.at, e.at, u.display_name || ', ' || u.credentials,
           replace(e.kind, '_', ' ') || ': ' || coalesce(e.from_value, '') || ' -> ' || coalesce(e.to_value, '')
             || ' (' || coalesce(e.note, '') || ')',
           e.at
    FROM stay_event e JOIN user u ON u.id = e.by_user
    WHERE ?9 AND e.stay_id = ?1 AND e.kind IN ('allergies', 'precautions', 'code_status') AND e.at <= ?2
      AND (e.at < ?2 OR 'change' > ?3 OR ('change' = ?3 AND e.id < ?4))
    ORDER BY e.at DESC LIMIT ?5)
  UNION ALL
  -- Issue 16: each risk screen (with the scores' filter); the summary is the screen's own
  -- (RecordedScreen::summary), filled in after the page is read.
  SELECT * FROM (
    SELECT 'screen', s.id, s.taken_at, s.recorded_at, s.author_name || ', ' || s.author_credentials,
           s.kind || ' ' || s.result, s.taken_at
    FROM screen s
    WHERE ?7 AND s.stay_id = ?1 AND s.taken_at <= ?2
      AND (s.taken_at < ?2 OR 'screen' > ?3 OR ('screen' = ?3 AND s.id < ?4))
    ORDER BY s.taken_at DESC LIMIT ?5)
  UNION ALL
  -- The signed admission assessment and its addenda (with the notes' filter), at signing.
  SELECT * FROM (
    SELECT 'admission', m.id, m.signed_at, m.signed_at, m.author_name || ', ' || m.author_credentials,
           CASE WHEN m.addendum_to IS NULL THEN 'Admission assessment' ELSE 'Admission assessment addendum' END,
           m.signed_at
    FROM admission_assessment m
    WHERE ?6 AND m.stay_id = ?1 AND m.signed_at IS NOT NULL AND m.signed_at <= ?2
      AND (m.signed_at < ?2 OR 'admission' > ?3 OR ('admission' = ?3 AND m.id < ?4))
    ORDER BY m.signed_at DESC LIMIT ?5)
  UNION ALL
  -- Medication orders as the prescriber gave them, and their stops (with the medications'
  -- filter): REFERENCE.md §9, entered with the prescriber's name, the time of the order and who
  -- entered it; a transcribed verbal or telephone order is marked as such and read back.
  SELECT * FROM (
    SELECT 'order', o.id, o.ordered_at, o.entered_at, u.display_name || ', ' || u.credentials,
           'Order: ' || o.drug || ' ' || o.dose || ' ' || o.route || ' '
             || CASE o.kind WHEN 'prn' THEN 'PRN ' || o.prn_indication WHEN 'taper' THEN 'taper (dated steps)'
                            ELSE 'every ' || o.every_hours || ' h' END
             || ' · ' || o.prescriber
             || CASE WHEN o.order_mode <> 'written' THEN ', ' || o.order_mode || ' order, read back' ELSE '' END
             || CASE WHEN o.replaces IS NOT NULL THEN ' · replaces order ' || o.replaces ELSE '' END,
           o.ordered_at
    FROM med_order o JOIN user u ON u.id = o.entered_by
    WHERE ?8 AND o.stay_id = ?1 AND o.ordered_at <= ?2
      AND (o.ordered_at < ?2 OR 'order' > ?3 OR ('order' = ?3 AND o.id < ?4))
    ORDER BY o.ordered_at DESC LIMIT ?5)
  UNION ALL
  SELECT * FROM (
    SELECT 'order stop', x.order_id, x.stopped_at, x.stopped_at, u.display_name || ', ' || u.credentials,
           'Discontinued: ' || o.drug || ' ' || o.dose || ' ' || o.route || ' (' || x.reason || ')',
           x.stopped_at
    FROM med_order_stop x JOIN med_order o ON o.id = x.order_id JOIN user u ON u.id = x.by_user
    WHERE ?8 AND o.stay_id = ?1 AND x.stopped_at <= ?2
      AND (x.stopped_at < ?2 OR 'order stop' > ?3 OR ('order stop' = ?3 AND x.order_id < ?4))
    ORDER BY x.stopped_at DESC LIMIT ?5)
  UNION ALL
  -- Each administration: given (dose, route), held, refused or omitted, with its reason.
  SELECT * FROM (
    SELECT 'dose', a.id, a.at, a.recorded_at, u.display_name || ', ' || u.credentials,
           CASE a.outcome WHEN 'given' THEN 'Given ' || o.drug || ' ' || a.dose_given || ' ' || a.route
                          ELSE upper(substr(a.outcome, 1, 1)) || substr(a.outcome, 2) || ' ' || o.drug || ' ' || o.dose END
             || CASE WHEN o.kind = 'prn' THEN ' (PRN)' ELSE '' END
             || coalesce(': ' || a.reason, '')
             || coalesce(' · given past a hold: ' || a.override_reason, '')
             || CASE WHEN a.corrects IS NOT NULL THEN ' · corrects an earlier entry' ELSE '' END,
           a.at
    FROM med_admin a JOIN med_order o ON o.id = a.order_id JOIN user u ON u.id = a.by_user
    WHERE ?8 AND a.stay_id = ?1 AND a.at <= ?2
      AND (a.at < ?2 OR 'dose' > ?3 OR ('dose' = ?3 AND a.id < ?4))
    ORDER BY a.at DESC LIMIT ?5)
  UNION ALL
  -- Vital signs taken on their own (with the scores' filter); not measured is left out, and an
  -- incomplete NEWS2 says so (REFERENCE.md §10).
  SELECT * FROM (
    SELECT 'vitals', v.id, v.taken_at, v.recorded_at, u.display_name || ', ' || u.credentials,
           'Vitals:' || coalesce(' T ' || printf('%.1f', v.temp_c) || ' °C', '') || coalesce(' HR ' || v.heart_rate, '')
             || coalesce(' BP ' || v.bp_systolic || '/' || v.bp_diastolic, '') || coalesce(' RR ' || v.resp_rate, '')
             || coalesce(' SpO2 ' || v.spo2 || '%', '')
             || CASE v.on_oxygen WHEN 1 THEN ' on oxygen' WHEN 0 THEN ' on air' ELSE '' END
             || coalesce(' · consciousness ' || v.consciousness, '')
             || coalesce(' · NEWS2 ' || v.news2, ' · NEWS2 incomplete')
             || coalesce(' · ALERT ' || v.alert, ''),
           v.taken_at
    FROM vital_sign v JOIN user u ON u.id = v.by_user
    WHERE ?7 AND v.stay_id = ?1 AND v.taken_at <= ?2
      AND (v.taken_at < ?2 OR 'vitals' > ?3 OR ('vitals' = ?3 AND v.id < ?4))
    ORDER BY v.taken_at DESC LIMIT ?5)
  UNION ALL
  -- The call to the provider (REFERENCE.md §10: who, when, by whom, why, the response).
  SELECT * FROM (
    SELECT 'call', c.id, c.called_at, c.recorded_at, u.display_name || ', ' || u.credentials,
           'Called ' || c.provider || ': ' || c.reason || ' · response: ' || c.response
             || CASE WHEN c.new_order IS NOT NULL THEN ' · new order' ELSE '' END,
           c.called_at
    FROM provider_call c JOIN user u ON u.id = c.by_user
    WHERE ?9 AND c.stay_id = ?1 AND c.called_at <= ?2
      AND (c.called_at < ?2 OR 'call' > ?3 OR ('call' = ?3 AND c.id < ?4))
    ORDER BY c.called_at DESC LIMIT ?5)
  UNION ALL
  -- Emergencies as charted.
  SELECT * FROM (
    SELECT 'event', e.id, e.started_at, e.recorded_at, u.display_name || ', ' || u.credentials,
           upper(e.kind) || ': ' || e.actions
             || coalesce(' · naloxone ' || e.naloxone_dose || ' ' || e.naloxone_route || ': ' || e.naloxone_response, '')
             || ' · called ' || e.called || ' · ' || e.outcome,
           e.started_at
    FROM clinical_event e JOIN user u ON u.id = e.by_user
    WHERE ?9 AND e.stay_id = ?1 AND e.started_at <= ?2
      AND (e.started_at < ?2 OR 'event' > ?3 OR ('event' = ?3 AND e.id < ?4))
    ORDER BY e.started_at DESC LIMIT ?5)
)
ORDER BY order_at DESC, kind ASC, id DESC
LIMIT ?5";

// Note search (FTS5). The plan decides everything here. Left to itself, a search of one stay
// lets the index produce every note in ten years with the word ("tremor" is in most of them:
// hundreds of milliseconds) and only then keeps the stay's; asking the index about each of the
// stay's notes by rowid instead costs a fraction of a millisecond a note (a long stay has
// hundreds). So the index drives, but only over the rowids the stay's (or the open stays') notes
// span, newest first, and stops at the limit: a common word stops almost at once, a rare one
// reads only its own matches in that span. Results come newest written first (a note's id is
// given when its draft starts). tests/query_plans.rs checks these plans.

/// Search the signed notes of one stay, newest written first.
pub const SEARCH_STAY_SQL: &str = "
SELECT n.id FROM note_fts f JOIN note n ON n.id = f.rowid
WHERE note_fts MATCH ?1 AND n.stay_id = ?2 AND n.signed_at IS NOT NULL
  AND f.rowid BETWEEN (SELECT min(id) FROM note WHERE stay_id = ?2 AND signed_at IS NOT NULL)
                  AND (SELECT max(id) FROM note WHERE stay_id = ?2 AND signed_at IS NOT NULL)
ORDER BY f.rowid DESC LIMIT ?3";

/// Search the signed notes of every patient on the ward now, newest written first. The lower
/// bound is the first note of any open stay, found from the beds (CROSS JOIN fixes that order).
pub const SEARCH_OPEN_STAYS_SQL: &str = "
SELECT n.id FROM note_fts f JOIN note n ON n.id = f.rowid JOIN stay s ON s.id = n.stay_id
WHERE note_fts MATCH ?1 AND s.discharged_at IS NULL AND n.signed_at IS NOT NULL
  AND f.rowid >= (SELECT min(o.id) FROM bed b
                    CROSS JOIN stay os ON os.bed_id = b.id AND os.discharged_at IS NULL
                    CROSS JOIN note o ON o.stay_id = os.id AND o.signed_at IS NOT NULL)
ORDER BY f.rowid DESC LIMIT ?2";

/// Search every signed note in the record, newest written first, as far back as the limit.
pub const SEARCH_ALL_SQL: &str = "
SELECT rowid FROM note_fts WHERE note_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2";

/// Whose stay a note belongs to: the patient, the bed, and whether still on the ward.
pub const STAY_PATIENT_SQL: &str = "
SELECT s.patient_id, p.name, b.label, s.discharged_at IS NULL
FROM stay s JOIN patient p ON p.id = s.patient_id JOIN bed b ON b.id = s.bed_id
WHERE s.id = ?1";

/// Where a ward-wide note search looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchScope {
    /// The patients on the ward now.
    Ward,
    /// Every signed note in the record, discharged patients' too.
    Record,
}

impl SearchScope {
    pub fn label(self) -> &'static str {
        match self {
            SearchScope::Ward => "patients on the ward",
            SearchScope::Record => "the whole record",
        }
    }
    pub fn other(self) -> SearchScope {
        match self {
            SearchScope::Ward => SearchScope::Record,
            SearchScope::Record => SearchScope::Ward,
        }
    }
}

/// A note a ward-wide search found, with whose it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub note: Note,
    pub patient_id: i64,
    pub patient: String,
    /// The bed of the stay (where the patient was, if discharged).
    pub bed: String,
    pub on_ward: bool,
}

/// "Admission assessment signed: complete", "Admission assessment signed: not assessed:
/// Psychiatric history", "Admission assessment addendum: Psychiatric history (why)".
fn admission_summary(r: &crate::domain::admission::AdmissionRecord, id: i64) -> String {
    use crate::domain::admission::{SectionKey, Status};
    if r.original.id == id {
        let open = r.original.body.incomplete();
        if open.is_empty() {
            return "Admission assessment signed: complete".into();
        }
        let names: Vec<&str> = open.iter().map(|k| k.title()).collect();
        return format!("Admission assessment signed: not assessed: {}", names.join(", "));
    }
    match r.addenda.iter().find(|a| a.id == id) {
        Some(a) => {
            let given: Vec<&str> = SectionKey::ALL
                .iter()
                .filter(|k| a.body.status(**k) != Status::Unanswered)
                .map(|k| k.title())
                .collect();
            let why = a.note.as_deref().map_or(String::new(), |n| format!(" ({})", n.trim()));
            format!("Admission assessment addendum: {}{why}", given.join(", "))
        }
        None => "Admission assessment addendum".into(),
    }
}

fn entry_row(r: &Row<'_>) -> rusqlite::Result<TimelineEntry> {
    let kind = EntryKind::from_code(&r.get::<_, String>(0)?);
    Ok(TimelineEntry {
        kind,
        id: r.get(1)?,
        at: from_db(&r.get::<_, String>(2)?).unwrap_or_default(),
        written_at: from_db(&r.get::<_, String>(3)?).unwrap_or_default(),
        order_at: from_db(&r.get::<_, String>(6)?).unwrap_or_default(),
        by: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        summary: {
            let summary: String = r.get::<_, Option<String>>(5)?.unwrap_or_default();
            // An assessment's summary starts with its scale key: show the scale's own name.
            match summary.split_once(' ') {
                Some((key, rest)) if kind == EntryKind::Assessment => {
                    format!("{} {rest}", crate::domain::scales::by_key(key).map_or(key, |s| s.name))
                }
                _ => summary,
            }
        },
    })
}

/// Where a timeline page starts: strictly after this entry (its `order_at`, kind and id) in
/// newest-first order.
pub type Cursor = (DateTime<Utc>, EntryKind, i64);

impl Store {
    /// Start a draft note (or addendum) for a stay. Returns its id.
    pub fn start_note(
        &mut self,
        actor: &Staff,
        stay_id: i64,
        format: Option<Format>,
        addendum_to: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        require(actor, Action::WriteNote)?;
        let (kind, format_code, headings): (&str, &str, Vec<&str>) = match (format, addendum_to) {
            (_, Some(_)) => ("addendum", "addendum", vec!["Addendum"]),
            (Some(f), None) => ("note", f.code(), f.sections().to_vec()),
            (None, None) => return refuse("choose a note format"),
        };
        let sections: Vec<(&str, &str)> = headings.iter().map(|h| (*h, "")).collect();
        let body = serde_json::to_string(&sections).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.write(|tx| {
            let patient_id: i64 = tx
                .query_row("SELECT patient_id FROM stay WHERE id = ?1", [stay_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such stay".into()))?;
            if let Some(original) = addendum_to {
                let kind: Option<String> = tx
                    .query_row(
                        "SELECT kind FROM note WHERE id = ?1 AND stay_id = ?2 AND signed_at IS NOT NULL",
                        params![original, stay_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                match kind.as_deref() {
                    None => return refuse("an addendum attaches to a signed note of this patient"),
                    Some("addendum") => {
                        return refuse("an addendum attaches to the original note, not to another addendum");
                    }
                    _ => {}
                }
            }
            tx.execute(
                "INSERT INTO note (stay_id, kind, format, addendum_to, author, sections, started_at, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                params![stay_id, kind, format_code, addendum_to, actor.id, body, to_db(now)],
            )?;
            let id = tx.last_insert_rowid();
            audit::record(tx, now, Some(actor.id), "note.draft", Some(patient_id), &format!("{kind} {id}"))?;
            Ok(id)
        })
    }

    /// Autosave a draft. Only its author, only while unsigned.
    pub fn save_draft(
        &mut self,
        actor: &Staff,
        id: i64,
        sections: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let body = serde_json::to_string(sections).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE note SET sections = ?3, saved_at = ?4 WHERE id = ?1 AND author = ?2 AND signed_at IS NULL",
                params![id, actor.id, body, to_db(now)],
            )?;
            if n == 0 {
                return refuse("this draft is not yours, or it is already signed");
            }
            Ok(())
        })
    }

    /// Throw away one of your own drafts (it was never part of the record).
    pub fn discard_draft(&mut self, actor: &Staff, id: i64, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "DELETE FROM note WHERE id = ?1 AND author = ?2 AND signed_at IS NULL",
                params![id, actor.id],
            )?;
            if n == 0 {
                return refuse("this draft is not yours, or it is already signed");
            }
            audit::record(tx, now, Some(actor.id), "note.discard", None, &format!("draft {id}"))
        })
    }

    /// Your unsigned drafts, newest first (a draft is visible to its author only).
    pub fn my_drafts(&self, actor: &Staff) -> Result<Vec<Note>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM note WHERE author = ?1 AND signed_at IS NULL ORDER BY saved_at DESC"
        ))?;
        let rows = st.query_map([actor.id], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Your unsigned drafts with whose they are, in one read (the census's draft marks and the
    /// reminder at sign-in): open beds in bed order, then discharged patients; newest first.
    pub fn my_drafts_by_stay(&self, actor: &Staff) -> Result<Vec<MyDraft>> {
        let mut st = self.conn().prepare_cached(MY_DRAFTS_SQL)?;
        let rows = st.query_map([actor.id], |r| {
            let saved: String = r.get(3)?;
            Ok(MyDraft {
                note_id: r.get(0)?,
                stay_id: r.get(1)?,
                addendum: r.get::<_, String>(2)? == "addendum",
                saved_at: from_db(&saved).ok_or_else(|| {
                    rusqlite::Error::FromSqlConversionFailure(
                        3,
                        rusqlite::types::Type::Text,
                        format!("draft: unreadable time {saved:?}").into(),
                    )
                })?,
                patient: r.get(4)?,
                bed: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A note by id: signed notes for anyone; drafts only for their author.
    pub fn note(&self, reader: &Staff, id: i64) -> Result<Option<Note>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM note WHERE id = ?1 AND (signed_at IS NOT NULL OR author = ?2)"
        ))?;
        Ok(st.query_row(params![id, reader.id], note_row).optional()?)
    }

    /// The signed addenda of a note, oldest first.
    pub fn addenda(&self, id: i64) -> Result<Vec<Note>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM note WHERE addendum_to = ?1 AND signed_at IS NOT NULL ORDER BY signed_at, id"
        ))?;
        let rows = st.query_map([id], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sign a draft: the nurse's password again (an electronic signature), the time of the event,
    /// and the hash over its canonical serialization. After this the database refuses any change.
    pub fn sign_note(
        &mut self,
        actor: &Staff,
        id: i64,
        password: &str,
        event_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Note> {
        require(actor, Action::WriteNote)?;
        if !self.confirm_password(actor.id, password)? {
            return refuse("the password is wrong; the note was not signed");
        }
        note::check_event_time(event_at, now).map_err(StoreError::Refused)?;
        let signed = self.write(|tx| {
            let draft = tx
                .query_row(&format!("SELECT {NOTE_COLS} FROM note WHERE id = ?1"), [id], note_row)
                .optional()?
                .ok_or_else(|| StoreError::Refused("no such note".into()))?;
            if draft.author != actor.id {
                return refuse("only its author can sign a draft");
            }
            if draft.signed_at.is_some() {
                return refuse("this note is already signed");
            }
            note::check_sections(&draft.sections).map_err(StoreError::Refused)?;
            let (patient_id, admitted_at): (i64, String) =
                tx.query_row("SELECT patient_id, admitted_at FROM stay WHERE id = ?1", [draft.stay_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            if from_db(&admitted_at).is_some_and(|a| event_at < a) {
                return refuse("the event time is before the admission");
            }
            let (event_s, signed_s) = (to_db(event_at), to_db(now.max(event_at)));
            let hash = Signed {
                id,
                stay_id: draft.stay_id,
                kind: &draft.kind,
                format: &draft.format,
                addendum_to: draft.addendum_to,
                author_id: actor.id,
                author_name: &actor.display_name,
                author_credentials: &actor.credentials,
                event_at: &event_s,
                signed_at: &signed_s,
                sections: &draft.sections,
            }
            .hash();
            tx.execute(
                "UPDATE note SET event_at = ?2, signed_at = ?3, author_name = ?4, author_credentials = ?5, hash = ?6
                 WHERE id = ?1 AND signed_at IS NULL",
                params![id, event_s, signed_s, actor.display_name, actor.credentials, hash],
            )?;
            super::ledger::seal(tx, "note", id, now)?;
            audit::record(tx, now, Some(actor.id), "note.sign", Some(patient_id), &format!("{} {id}", draft.kind))?;
            Ok(draft.stay_id)
        })?;
        let _ = signed;
        self.note(actor, id)?.ok_or_else(|| StoreError::Refused("the signed note vanished".into()))
    }

    /// A page of a stay's timeline, newest first, starting after `after` (keyset paging).
    pub fn timeline(
        &self,
        stay_id: i64,
        filter: Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<TimelineEntry>> {
        let (at, kind, id) = match after {
            Some((at, kind, id)) => (to_db(at), kind.code(), id),
            None => ("9999-12-31T23:59:59Z".to_string(), "", i64::MAX),
        };
        let mut st = self.conn().prepare_cached(TIMELINE_SQL)?;
        let rows = st.query_map(
            params![
                stay_id,
                at,
                kind,
                id,
                limit as i64,
                filter.wants("note"),
                filter.wants("assessment"),
                filter.wants("prn"),
                filter.wants("change")
            ],
            entry_row,
        )?;
        let mut entries: Vec<TimelineEntry> = rows.collect::<rusqlite::Result<_>>()?;
        // A screen's and the admission assessment's summary in their own words.
        let mut admission = None;
        for e in &mut entries {
            match e.kind {
                EntryKind::Screen => {
                    if let Some(sc) = self.screen(e.id)? {
                        e.summary = match &sc.decision {
                            Some(_) => format!("{} · decision recorded", sc.summary()),
                            None => sc.summary(),
                        };
                    }
                }
                EntryKind::Admission => {
                    if admission.is_none() {
                        admission = self.admission_assessment(stay_id)?;
                    }
                    if let Some(r) = &admission {
                        e.summary = admission_summary(r, e.id);
                    }
                }
                _ => {}
            }
        }
        Ok(entries)
    }

    /// Full-text search of one stay's signed notes, newest written first.
    pub fn search_notes(&self, stay_id: i64, typed: &str, limit: usize) -> Result<Vec<Note>> {
        let Some(q) = note::fts_query(typed) else { return Ok(Vec::new()) };
        self.notes_found(SEARCH_STAY_SQL, params![q, stay_id, limit as i64])
    }

    /// Full-text search of the signed notes of every patient on the ward now, newest written first.
    pub fn search_current_notes(&self, typed: &str, limit: usize) -> Result<Vec<Note>> {
        let Some(q) = note::fts_query(typed) else { return Ok(Vec::new()) };
        self.notes_found(SEARCH_OPEN_STAYS_SQL, params![q, limit as i64])
    }

    /// Full-text search of every signed note in the record, newest written first.
    pub fn search_all_notes(&self, typed: &str, limit: usize) -> Result<Vec<Note>> {
        let Some(q) = note::fts_query(typed) else { return Ok(Vec::new()) };
        self.notes_found(SEARCH_ALL_SQL, params![q, limit as i64])
    }

    /// A ward-wide search: the notes found, newest written first, each with its patient.
    pub fn find_notes(&self, scope: SearchScope, typed: &str, limit: usize) -> Result<Vec<Found>> {
        let notes = match scope {
            SearchScope::Ward => self.search_current_notes(typed, limit)?,
            SearchScope::Record => self.search_all_notes(typed, limit)?,
        };
        // Whose each stay is, asked once per stay (a stay's notes often come together).
        let mut st = self.conn().prepare_cached(STAY_PATIENT_SQL)?;
        let mut whose: HashMap<i64, (i64, String, String, bool)> = HashMap::new();
        let mut out = Vec::with_capacity(notes.len());
        for note in notes {
            let (patient_id, patient, bed, on_ward) = match whose.get(&note.stay_id) {
                Some(w) => w.clone(),
                None => {
                    let w: (i64, String, String, bool) =
                        st.query_row([note.stay_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
                    whose.insert(note.stay_id, w.clone());
                    w
                }
            };
            out.push(Found { note, patient_id, patient, bed, on_ward });
        }
        Ok(out)
    }

    /// The notes a search query's ids name, in its order.
    /// One query: the search's ids (every search gives them newest written first, by id) and
    /// their rows.
    fn notes_found(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Note>> {
        let mut st = self
            .conn()
            .prepare_cached(&format!("SELECT {NOTE_COLS} FROM note WHERE id IN ({sql}) ORDER BY id DESC"))?;
        let rows = st.query_map(params, note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Notes signed in a window (a shift), for the handoff.
    pub fn notes_signed_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Note>> {
        let mut st = self.conn().prepare_cached(&format!(
            "SELECT {NOTE_COLS} FROM note WHERE signed_at >= ?1 AND signed_at < ?2 ORDER BY signed_at"
        ))?;
        let rows = st.query_map(params![to_db(from), to_db(to)], note_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
