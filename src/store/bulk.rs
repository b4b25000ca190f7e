//! Bulk loading for generated wards (`wardterm init --demo --beds N --years N`): the INSERT
//! statements of every table a ten-year ward fills, prepared once and run millions of times in
//! large transactions, with durability off while loading.
//!
//! This is not how the app writes. Every row still passes every CHECK, trigger and foreign key of
//! schema.sql (foreign keys stay on), but the checks [`Store::record_assessment`] makes in Rust
//! (the stay is open, the policy versions, the ladder) are the generator's job here. What to
//! insert is decided in `crate::generate`; this module only knows how.
//!
//! Times are passed as UTC text in the database's one format (`YYYY-MM-DDTHH:MM:SSZ`).
use rusqlite::{Connection, Statement, params};

use super::{Result, Store, StoreError};

/// Rows per transaction: large enough that commits cost nothing, small enough that the page
/// cache does not have to hold a whole ten years of dirty pages.
const ROWS_PER_COMMIT: usize = 250_000;

/// Page cache while loading (KiB, negative as SQLite wants it): 256 MiB.
const LOAD_CACHE_KIB: i64 = -262_144;

pub struct UserRow<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub credentials: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub disabled: bool,
    pub created_at: &'a str,
    pub created_by: Option<i64>,
}

pub struct PatientRow<'a> {
    pub id: i64,
    pub mrn: &'a str,
    pub name: &'a str,
    pub birth_date: &'a str,
    pub sex: &'a str,
    pub created_at: &'a str,
    pub created_by: i64,
}

pub struct StayRow<'a> {
    pub id: i64,
    pub patient_id: i64,
    pub bed_id: i64,
    pub admitted_at: &'a str,
    pub admitted_by: i64,
    pub recorded_at: &'a str,
    pub level_of_care: &'a str,
    pub substances: &'a str,
    pub last_use: &'a str,
    pub protocol: &'a str,
    pub allergies: &'a str,
    pub precautions: &'a str,
    pub attending: &'a str,
    pub code_status: &'a str,
    pub observation: &'a str,
    pub pawss: Option<u8>,
    /// `(discharged_at, discharged_by, discharge_type, aftercare)`; `None` for an open stay.
    pub discharge: Option<(&'a str, i64, &'a str, &'a str)>,
}

pub struct StayEventRow<'a> {
    pub stay_id: i64,
    pub kind: &'a str,
    pub from_value: Option<&'a str>,
    pub to_value: Option<&'a str>,
    pub note: Option<&'a str>,
    pub at: &'a str,
    pub by_user: i64,
}

pub struct AssessmentRow<'a> {
    pub id: i64,
    pub stay_id: i64,
    pub scale: &'a str,
    pub taken_at: &'a str,
    pub recorded_at: &'a str,
    pub by_user: i64,
    /// `(total, band, severe)` for a score; `None` when unable to assess.
    pub scored: Option<(u16, &'a str, bool)>,
    /// `(reason, note)` when unable to assess.
    pub unable: Option<(&'a str, &'a str)>,
    pub bands_policy: i64,
    pub ladder_policy: i64,
    pub next_due_at: Option<&'a str>,
    pub prompts: &'a str,
    pub vitals: crate::domain::vitals::Vitals,
    pub comment: Option<&'a str>,
}

pub struct PrnRow<'a> {
    pub id: i64,
    pub stay_id: i64,
    pub assessment_id: Option<i64>,
    pub medication: &'a str,
    pub dose: &'a str,
    pub route: &'a str,
    pub given_at: &'a str,
    pub recorded_at: &'a str,
    pub by_user: i64,
    pub reassess_due_at: &'a str,
    pub ladder_policy: i64,
}

/// A signed note or addendum, as `Store::sign_note` leaves it.
pub struct NoteRow<'a> {
    pub id: i64,
    pub stay_id: i64,
    /// The original note an addendum attaches to.
    pub addendum_to: Option<i64>,
    pub format: &'a str,
    pub author: i64,
    pub author_name: &'a str,
    pub author_credentials: &'a str,
    pub sections: &'a [(String, String)],
    pub started_at: &'a str,
    pub event_at: &'a str,
    pub signed_at: &'a str,
}

/// A handoff prepared for the outgoing shift; `accepted` is `(by, at, synthesis)`.
pub struct HandoffRow<'a> {
    pub stay_id: i64,
    pub shift_start: &'a str,
    pub severity: &'a str,
    pub summary: &'a str,
    pub situation: &'a str,
    pub prepared_by: i64,
    pub prepared_at: &'a str,
    pub accepted: Option<(i64, &'a str, &'a str)>,
}

/// An I-PASS action item; `closed` is `(by, at, note)`.
pub struct ActionItemRow<'a> {
    pub stay_id: i64,
    pub what: &'a str,
    pub owner: &'a str,
    pub due_at: &'a str,
    pub created_by: i64,
    pub created_at: &'a str,
    pub closed: Option<(i64, &'a str, &'a str)>,
}

/// An observation check with nothing exceptional seen (no alert).
pub struct ObsCheckRow<'a> {
    pub stay_id: i64,
    pub checked_at: &'a str,
    pub by_user: i64,
    pub level: &'a str,
    pub location: &'a str,
    pub state: &'a str,
}

/// A medication order as `Store::enter_order` leaves it (unsealed: bulk seals nothing). A
/// scheduled order has `every`, a PRN `prn`; a taper's steps are [`BulkLoader::order_step`].
pub struct OrderRow<'a> {
    pub id: i64,
    pub stay_id: i64,
    pub kind: &'a str,
    pub drug: &'a str,
    pub dose: &'a str,
    pub route: &'a str,
    /// `(every_hours, first_due_at)` of a scheduled order.
    pub every: Option<(u32, &'a str)>,
    /// `(indication, scale, min_score, repeat_minutes, max_per_24h)` of a PRN.
    pub prn: Option<(&'a str, &'a str, u16, u32, u32)>,
    pub hold_rass_at_or_below: Option<i32>,
    pub hold_rr_below: Option<i32>,
    pub prescriber: &'a str,
    pub ordered_at: &'a str,
    pub entered_by: i64,
    pub entered_at: &'a str,
}

/// One administration (given, held or refused), as `Store::record_administration` leaves it.
pub struct MedAdminRow<'a> {
    pub order_id: i64,
    pub stay_id: i64,
    pub due_at: Option<&'a str>,
    pub outcome: &'a str,
    /// `(dose, route)` of a given dose.
    pub given: Option<(&'a str, &'a str)>,
    pub at: &'a str,
    pub recorded_at: &'a str,
    pub by_user: i64,
    pub identified_by: &'a str,
    pub hold_values: &'a str,
    pub reason: Option<&'a str>,
    pub assessment_id: Option<i64>,
    pub reassess_due_at: Option<&'a str>,
}

/// A vital-sign set on its own, every parameter measured.
pub struct VitalSignRow<'a> {
    pub stay_id: i64,
    pub taken_at: &'a str,
    pub recorded_at: &'a str,
    pub by_user: i64,
    pub vitals: crate::domain::vitals::Vitals,
    pub consciousness: &'a str,
    pub news2: Option<u8>,
    pub alert: Option<&'a str>,
}

/// The INSERT statements, prepared once.
pub struct BulkLoader<'c> {
    conn: &'c Connection,
    user: Statement<'c>,
    patient: Statement<'c>,
    stay: Statement<'c>,
    stay_event: Statement<'c>,
    assessment: Statement<'c>,
    item: Statement<'c>,
    prn: Statement<'c>,
    audit: Statement<'c>,
    note: Statement<'c>,
    note_fts: Statement<'c>,
    handoff: Statement<'c>,
    action_item: Statement<'c>,
    obs_check: Statement<'c>,
    discharge: Statement<'c>,
    order: Statement<'c>,
    order_step: Statement<'c>,
    order_stop: Statement<'c>,
    med_admin: Statement<'c>,
    vital_sign: Statement<'c>,
    /// Full-text rows of the notes in this transaction, written just before it commits. FTS5
    /// flushes its in-memory index to disk at every statement savepoint of a transaction that
    /// has written to it, and every note INSERT opens one (the table has triggers): indexing
    /// each note as it came took half the generator's time (measured with perf).
    fts_pending: Vec<(i64, String)>,
    in_tx: usize,
    /// Rows written so far.
    pub rows: u64,
}

impl Store {
    /// Start a bulk load: journal and fsync off, a large page cache, one open transaction.
    /// End it with [`BulkLoader::finish`], which puts the database back to WAL and FULL sync.
    /// A load that fails part-way leaves a file to delete, not a ward to use.
    pub fn bulk_loader(&mut self) -> Result<BulkLoader<'_>> {
        let conn = self.conn();
        conn.pragma_update(None, "synchronous", "OFF")?;
        let _: String = conn.pragma_update_and_check(None, "journal_mode", "OFF", |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", LOAD_CACHE_KIB)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.execute_batch("BEGIN")?;
        Ok(BulkLoader {
            conn,
            user: conn.prepare(
                "INSERT INTO user (username, display_name, credentials, role, password_hash, disabled, created_at,
                    created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            patient: conn.prepare(
                "INSERT INTO patient (id, mrn, name, birth_date, sex, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            stay: conn.prepare(
                "INSERT INTO stay (id, patient_id, bed_id, admitted_at, admitted_by, recorded_at, level_of_care,
                    substances, last_use, protocol, allergies, precautions, attending, code_status, observation, pawss,
                    discharged_at, discharged_by, discharge_type, aftercare)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
            )?,
            stay_event: conn.prepare(
                "INSERT INTO stay_event (stay_id, kind, from_value, to_value, note, at, by_user)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            assessment: conn.prepare(
                "INSERT INTO assessment (id, stay_id, scale, taken_at, recorded_at, by_user, total, band, severe,
                    unable_reason, unable_note, bands_policy, ladder_policy, next_due_at, prompts,
                    temp_c, heart_rate, bp_systolic, bp_diastolic, resp_rate, spo2, comment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                    ?21, ?22)",
            )?,
            item: conn
                .prepare("INSERT INTO assessment_item (assessment_id, scale, item, score) VALUES (?1, ?2, ?3, ?4)")?,
            prn: conn.prepare(
                "INSERT INTO prn (id, stay_id, assessment_id, medication, dose, route, given_at, recorded_at, by_user,
                    reassess_due_at, ladder_policy) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
            audit: conn
                .prepare("INSERT INTO audit (at, user_id, action, patient_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)")?,
            note: conn.prepare(
                "INSERT INTO note (id, stay_id, kind, format, addendum_to, author, sections, started_at, saved_at,
                   event_at, signed_at, author_name, author_credentials, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?11, ?12, ?13)",
            )?,
            note_fts: conn.prepare("INSERT INTO note_fts (rowid, body) VALUES (?1, ?2)")?,
            handoff: conn.prepare(
                "INSERT INTO handoff (stay_id, shift_start, severity, summary, situation, prepared_by, prepared_at,
                   synthesis, received_by, accepted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?,
            obs_check: conn.prepare(
                "INSERT INTO obs_check (stay_id, checked_at, by_user, level, location, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            action_item: conn.prepare(
                "INSERT INTO action_item (stay_id, what, owner, due_at, created_by, created_at, closed_by, closed_at,
                   close_note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
            discharge: conn.prepare(
                "UPDATE stay SET discharged_at = ?2, discharged_by = ?3, discharge_type = ?4, aftercare = ?5
                 WHERE id = ?1",
            )?,
            order: conn.prepare(
                "INSERT INTO med_order (id, stay_id, kind, drug, dose, route, every_hours, first_due_at,
                    prn_indication, prn_scale, prn_min_score, prn_repeat_minutes, prn_max_per_24h,
                    hold_rass_at_or_below, hold_rr_below, prescriber, ordered_at, order_mode, read_back,
                    entered_by, entered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 'written', 0,
                    ?18, ?19)",
            )?,
            order_step: conn.prepare(
                "INSERT INTO med_order_step (order_id, seq, starts_at, dose, every_hours, doses)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            order_stop: conn
                .prepare("INSERT INTO med_order_stop (order_id, stopped_at, by_user, reason) VALUES (?1, ?2, ?3, ?4)")?,
            med_admin: conn.prepare(
                "INSERT INTO med_admin (order_id, stay_id, due_at, outcome, dose_given, route, at, recorded_at, by_user,
                    identified_by, hold_values, reason, assessment_id, reassess_due_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?,
            vital_sign: conn.prepare(
                "INSERT INTO vital_sign (stay_id, taken_at, recorded_at, by_user, temp_c, heart_rate, bp_systolic,
                    bp_diastolic, resp_rate, spo2, on_oxygen, consciousness, news2, alert)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?12, ?13)",
            )?,
            fts_pending: Vec::new(),
            in_tx: 0,
            rows: 0,
        })
    }
}

impl BulkLoader<'_> {
    fn wrote(&mut self, n: usize) -> Result<()> {
        self.in_tx += n;
        self.rows += n as u64;
        if self.in_tx >= ROWS_PER_COMMIT {
            self.index_notes()?;
            self.conn.execute_batch("COMMIT; BEGIN")?;
            self.in_tx = 0;
        }
        Ok(())
    }

    /// The policy rows first-run setup wrote: `(scale, kind, id)`.
    pub fn policies(&self) -> Result<Vec<(String, String, i64)>> {
        let mut st = self.conn.prepare("SELECT scale, kind, id FROM policy ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Add an account; returns its id.
    pub fn user(&mut self, u: &UserRow<'_>) -> Result<i64> {
        self.user.execute(params![
            u.username,
            u.display_name,
            u.credentials,
            u.role,
            u.password_hash,
            u.disabled,
            u.created_at,
            u.created_by
        ])?;
        self.wrote(1)?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn patient(&mut self, p: &PatientRow<'_>) -> Result<()> {
        self.patient.execute(params![p.id, p.mrn, p.name, p.birth_date, p.sex, p.created_at, p.created_by])?;
        self.wrote(1)
    }

    pub fn stay(&mut self, s: &StayRow<'_>) -> Result<()> {
        let (dis_at, dis_by, dis_type, aftercare) = match s.discharge {
            Some((a, b, t, c)) => (Some(a), Some(b), Some(t), Some(c)),
            None => (None, None, None, None),
        };
        self.stay.execute(params![
            s.id,
            s.patient_id,
            s.bed_id,
            s.admitted_at,
            s.admitted_by,
            s.recorded_at,
            s.level_of_care,
            s.substances,
            s.last_use,
            s.protocol,
            s.allergies,
            s.precautions,
            s.attending,
            s.code_status,
            s.observation,
            s.pawss,
            dis_at,
            dis_by,
            dis_type,
            aftercare
        ])?;
        self.wrote(1)
    }

    pub fn stay_event(&mut self, e: &StayEventRow<'_>) -> Result<()> {
        self.stay_event.execute(params![e.stay_id, e.kind, e.from_value, e.to_value, e.note, e.at, e.by_user])?;
        self.wrote(1)
    }

    /// An assessment and its items (`(item key, score)` in the scale's order; empty when unable
    /// to assess).
    pub fn assessment(&mut self, a: &AssessmentRow<'_>, items: &[(&str, u8)]) -> Result<()> {
        let (total, band, severe) = match a.scored {
            Some((t, b, s)) => (Some(t), Some(b), Some(s)),
            None => (None, None, None),
        };
        let (reason, note) = match a.unable {
            Some((r, n)) => (Some(r), Some(n)),
            None => (None, None),
        };
        let v = &a.vitals;
        self.assessment.execute(params![
            a.id,
            a.stay_id,
            a.scale,
            a.taken_at,
            a.recorded_at,
            a.by_user,
            total,
            band,
            severe,
            reason,
            note,
            a.bands_policy,
            a.ladder_policy,
            a.next_due_at,
            a.prompts,
            v.temp_c,
            v.heart_rate,
            v.bp_systolic,
            v.bp_diastolic,
            v.resp_rate,
            v.spo2,
            a.comment
        ])?;
        for (item, score) in items {
            self.item.execute(params![a.id, a.scale, item, score])?;
        }
        self.wrote(1 + items.len())
    }

    pub fn prn(&mut self, p: &PrnRow<'_>) -> Result<()> {
        self.prn.execute(params![
            p.id,
            p.stay_id,
            p.assessment_id,
            p.medication,
            p.dose,
            p.route,
            p.given_at,
            p.recorded_at,
            p.by_user,
            p.reassess_due_at,
            p.ladder_policy
        ])?;
        self.wrote(1)
    }

    pub fn audit(
        &mut self,
        at: &str,
        user_id: Option<i64>,
        action: &str,
        patient_id: Option<i64>,
        detail: &str,
    ) -> Result<()> {
        self.audit.execute(params![at, user_id, action, patient_id, detail])?;
        self.wrote(1)
    }

    /// A signed note or addendum with its hash, and its full-text index row. Returns its id.
    pub fn note(&mut self, n: &NoteRow<'_>) -> Result<i64> {
        let kind = if n.addendum_to.is_some() { "addendum" } else { "note" };
        let format = if n.addendum_to.is_some() { "addendum" } else { n.format };
        let hash = crate::domain::note::Signed {
            id: n.id,
            stay_id: n.stay_id,
            kind,
            format,
            addendum_to: n.addendum_to,
            author_id: n.author,
            author_name: n.author_name,
            author_credentials: n.author_credentials,
            event_at: n.event_at,
            signed_at: n.signed_at,
            sections: n.sections,
        }
        .hash();
        let body = serde_json::to_string(n.sections).map_err(|e| StoreError::Refused(e.to_string()))?;
        self.note.execute(params![
            n.id,
            n.stay_id,
            kind,
            format,
            n.addendum_to,
            n.author,
            body,
            n.started_at,
            n.signed_at,
            n.event_at,
            n.author_name,
            n.author_credentials,
            hash
        ])?;
        // Exactly the text the note_fts_on_sign trigger indexes ("Heading: text" lines).
        let indexed: Vec<String> = n.sections.iter().map(|(h, t)| format!("{h}: {t}")).collect();
        self.fts_pending.push((n.id, indexed.join("\n")));
        self.wrote(2)?;
        Ok(n.id)
    }

    pub fn handoff(&mut self, h: &HandoffRow<'_>) -> Result<()> {
        let (by, at, synthesis) = match h.accepted {
            Some((b, a, s)) => (Some(b), Some(a), Some(s)),
            None => (None, None, None),
        };
        self.handoff.execute(params![
            h.stay_id,
            h.shift_start,
            h.severity,
            h.summary,
            h.situation,
            h.prepared_by,
            h.prepared_at,
            synthesis,
            by,
            at
        ])?;
        self.wrote(1)
    }

    pub fn action_item(&mut self, a: &ActionItemRow<'_>) -> Result<()> {
        let (by, at, note) = match a.closed {
            Some((b, t, n)) => (Some(b), Some(t), Some(n)),
            None => (None, None, None),
        };
        self.action_item.execute(params![
            a.stay_id,
            a.what,
            a.owner,
            a.due_at,
            a.created_by,
            a.created_at,
            by,
            at,
            note
        ])?;
        self.wrote(1)
    }

    pub fn obs_check(&mut self, c: &ObsCheckRow<'_>) -> Result<()> {
        self.obs_check.execute(params![c.stay_id, c.checked_at, c.by_user, c.level, c.location, c.state])?;
        self.wrote(1)
    }

    /// A stay's discharge, written when the queue reaches it (as the app does): orders and vital
    /// signs are refused on a discharged stay, so the stay row is written open at admission.
    pub fn discharge(&mut self, stay_id: i64, at: &str, by: i64, kind: &str, aftercare: &str) -> Result<()> {
        self.discharge.execute(params![stay_id, at, by, kind, aftercare])?;
        self.wrote(1)
    }

    pub fn order(&mut self, o: &OrderRow<'_>) -> Result<()> {
        let (every, first) = o.every.unzip();
        let (ind, scale, min, repeat, max) = match o.prn {
            Some((i, s, m, r, x)) => (Some(i), Some(s), Some(m), Some(r), Some(x)),
            None => (None, None, None, None, None),
        };
        self.order.execute(params![
            o.id,
            o.stay_id,
            o.kind,
            o.drug,
            o.dose,
            o.route,
            every,
            first,
            ind,
            scale,
            min,
            repeat,
            max,
            o.hold_rass_at_or_below,
            o.hold_rr_below,
            o.prescriber,
            o.ordered_at,
            o.entered_by,
            o.entered_at
        ])?;
        self.wrote(1)
    }

    /// A taper's dated step.
    pub fn order_step(
        &mut self,
        order_id: i64,
        seq: u32,
        starts_at: &str,
        dose: &str,
        every: u32,
        doses: u32,
    ) -> Result<()> {
        self.order_step.execute(params![order_id, seq, starts_at, dose, every, doses])?;
        self.wrote(1)
    }

    pub fn order_stop(&mut self, order_id: i64, at: &str, by: i64, reason: &str) -> Result<()> {
        self.order_stop.execute(params![order_id, at, by, reason])?;
        self.wrote(1)
    }

    pub fn med_admin(&mut self, m: &MedAdminRow<'_>) -> Result<()> {
        let (dose, route) = m.given.unzip();
        self.med_admin.execute(params![
            m.order_id,
            m.stay_id,
            m.due_at,
            m.outcome,
            dose,
            route,
            m.at,
            m.recorded_at,
            m.by_user,
            m.identified_by,
            m.hold_values,
            m.reason,
            m.assessment_id,
            m.reassess_due_at
        ])?;
        self.wrote(1)
    }

    pub fn vital_sign(&mut self, v: &VitalSignRow<'_>) -> Result<()> {
        let x = &v.vitals;
        self.vital_sign.execute(params![
            v.stay_id,
            v.taken_at,
            v.recorded_at,
            v.by_user,
            x.temp_c,
            x.heart_rate,
            x.bp_systolic,
            x.bp_diastolic,
            x.resp_rate,
            x.spo2,
            v.consciousness,
            v.news2,
            v.alert
        ])?;
        self.wrote(1)
    }

    /// Index the notes of this transaction (one-row VALUES inserts: no savepoints between them).
    fn index_notes(&mut self) -> Result<()> {
        for (id, body) in self.fts_pending.drain(..) {
            self.note_fts.execute(params![id, body])?;
        }
        Ok(())
    }

    /// Commit the last rows and put the database back the way the app runs it: WAL, FULL sync,
    /// the default page cache. Returns the rows written.
    pub fn finish(mut self) -> Result<u64> {
        self.index_notes()?;
        let BulkLoader {
            conn,
            user,
            patient,
            stay,
            stay_event,
            assessment,
            item,
            prn,
            audit,
            note,
            note_fts,
            handoff,
            action_item,
            obs_check,
            discharge,
            order,
            order_step,
            order_stop,
            med_admin,
            vital_sign,
            rows,
            ..
        } = self;
        drop((user, patient, stay, stay_event, assessment, item, prn, audit));
        drop((note, note_fts, handoff, action_item, obs_check));
        drop((discharge, order, order_step, order_stop, med_admin, vital_sign));
        conn.execute_batch("COMMIT")?;
        let _: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "cache_size", -2000)?;
        conn.pragma_update(None, "temp_store", "DEFAULT")?;
        Ok(rows)
    }
}
