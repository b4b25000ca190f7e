-- Schema version 6: medication orders and their administration record, vital signs on their
-- own, the call to the provider, emergencies, and the prompts that stay open until done
-- (REFERENCE.md §9, §10). Frozen once released; schema.sql holds the same DDL.
--
-- The software never proposes a drug or a dose (REFERENCE.md §9): every dose here is the text
-- the prescriber gave, typed by the nurse who took the order.
-- ---------------------------------------------------------------- unit settings (version 6)

-- How vital signs raise a prompt (REFERENCE.md §10: "a unit may adopt [NEWS2] or set its own
-- notify thresholds (unit configuration)"). 'news2': a complete NEWS2 at or above
-- news2_notify_at, or any single parameter scoring 3, prompts "notify provider"; 'thresholds':
-- the unit's own limits in vitals_thresholds (JSON, see src/domain/vital_alert.rs).
ALTER TABLE ward ADD COLUMN vitals_alerts TEXT NOT NULL DEFAULT 'news2' CHECK (vitals_alerts IN ('news2', 'thresholds'));
ALTER TABLE ward ADD COLUMN news2_notify_at INTEGER NOT NULL DEFAULT 5 CHECK (news2_notify_at BETWEEN 1 AND 20);
ALTER TABLE ward ADD COLUMN vitals_thresholds TEXT CHECK (vitals_thresholds IS NULL OR json_valid(vitals_thresholds));
-- The follow-up an emergency prompts (issue: "the follow-up the unit sets"): vitals every N
-- minutes for M minutes after naloxone; 0 minutes turns the follow-up off.
ALTER TABLE ward ADD COLUMN naloxone_vitals_every_min INTEGER NOT NULL DEFAULT 15 CHECK (naloxone_vitals_every_min BETWEEN 0 AND 240);
ALTER TABLE ward ADD COLUMN naloxone_vitals_for_min INTEGER NOT NULL DEFAULT 120 CHECK (naloxone_vitals_for_min BETWEEN 0 AND 1440);

-- ---------------------------------------------------------------- orders

-- A medication order as the prescriber gave it. Never edited: a change is a new order that
-- names the one it replaces, and a stop is a row of med_order_stop. Kinds (REFERENCE.md §9):
-- 'scheduled' (a fixed interval from a first time), 'taper' (dated steps, med_order_step),
-- 'prn' (as needed, with its indication and, where the order gives one, a score threshold).
CREATE TABLE med_order (
    id                 INTEGER PRIMARY KEY,
    stay_id            INTEGER NOT NULL REFERENCES stay (id),
    kind               TEXT NOT NULL CHECK (kind IN ('scheduled', 'taper', 'prn')),
    drug               TEXT NOT NULL CHECK (length(trim(drug)) BETWEEN 1 AND 80),
    dose               TEXT NOT NULL CHECK (length(trim(dose)) BETWEEN 1 AND 40),      -- as written, with units
    route              TEXT NOT NULL CHECK (route IN ('PO', 'SL', 'IM', 'IV', 'PR', 'SC', 'TD', 'other')),
    -- scheduled: every N hours from first_due_at (until stopped or ends_at)
    every_hours        INTEGER CHECK (every_hours IS NULL OR every_hours BETWEEN 1 AND 168),
    first_due_at       TEXT CHECK (first_due_at IS NULL OR first_due_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    ends_at            TEXT CHECK (ends_at IS NULL OR ends_at > first_due_at),
    -- prn: the indication in the order's words; a score trigger where the order gives one
    prn_indication     TEXT CHECK (prn_indication IS NULL OR length(trim(prn_indication)) BETWEEN 1 AND 120),
    prn_scale          TEXT CHECK (prn_scale IN ('ciwa-ar', 'cows', 'ciwa-b')),
    prn_min_score      INTEGER CHECK (prn_min_score IS NULL OR prn_min_score BETWEEN 0 AND 80),
    prn_repeat_minutes INTEGER CHECK (prn_repeat_minutes IS NULL OR prn_repeat_minutes BETWEEN 5 AND 1440),
    prn_max_per_24h    INTEGER CHECK (prn_max_per_24h IS NULL OR prn_max_per_24h BETWEEN 1 AND 48),
    -- hold parameters (REFERENCE.md §9: "hold if RASS <= -2, RR < 12, SBP < 90"): hold when the
    -- value is at or below rass, or below rr / sbp / hr
    hold_rass_at_or_below INTEGER CHECK (hold_rass_at_or_below IS NULL OR hold_rass_at_or_below BETWEEN -5 AND 4),
    hold_rr_below      INTEGER CHECK (hold_rr_below IS NULL OR hold_rr_below BETWEEN 4 AND 40),
    hold_sbp_below     INTEGER CHECK (hold_sbp_below IS NULL OR hold_sbp_below BETWEEN 50 AND 200),
    hold_hr_below      INTEGER CHECK (hold_hr_below IS NULL OR hold_hr_below BETWEEN 25 AND 150),
    note               TEXT CHECK (note IS NULL OR length(note) <= 200),
    prescriber         TEXT NOT NULL CHECK (length(trim(prescriber)) BETWEEN 1 AND 80),
    ordered_at         TEXT NOT NULL CHECK (ordered_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    -- REFERENCE.md §9: "a transcribed verbal or telephone order is marked as such and read back"
    order_mode         TEXT NOT NULL CHECK (order_mode IN ('written', 'verbal', 'telephone')),
    read_back          INTEGER NOT NULL CHECK (read_back IN (0, 1)),
    replaces           INTEGER REFERENCES med_order (id),
    entered_by         INTEGER NOT NULL REFERENCES user (id),
    entered_at         TEXT NOT NULL CHECK (entered_at >= ordered_at),
    CHECK (order_mode = 'written' OR read_back = 1),
    CHECK ((kind = 'scheduled') = (every_hours IS NOT NULL AND first_due_at IS NOT NULL)),
    CHECK (kind = 'scheduled' OR (every_hours IS NULL AND first_due_at IS NULL AND ends_at IS NULL)),
    CHECK ((kind = 'prn') = (prn_indication IS NOT NULL)),
    CHECK (kind = 'prn' OR (prn_scale IS NULL AND prn_min_score IS NULL AND prn_repeat_minutes IS NULL AND prn_max_per_24h IS NULL)),
    CHECK ((prn_scale IS NULL) = (prn_min_score IS NULL))
);
CREATE INDEX med_order_stay ON med_order (stay_id, id);
CREATE TRIGGER med_order_open_stay BEFORE INSERT ON med_order
WHEN (SELECT discharged_at FROM stay WHERE id = NEW.stay_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an order is entered only for a patient on the ward'); END;
CREATE TRIGGER med_order_replaces_same_stay BEFORE INSERT ON med_order WHEN NEW.replaces IS NOT NULL
  AND NEW.stay_id IS NOT (SELECT stay_id FROM med_order WHERE id = NEW.replaces)
BEGIN SELECT RAISE(ABORT, 'a new order replaces an order of the same stay'); END;
CREATE TRIGGER med_order_no_update BEFORE UPDATE ON med_order
BEGIN SELECT RAISE(ABORT, 'an order is never edited; discontinue it and enter a new one'); END;
CREATE TRIGGER med_order_no_delete BEFORE DELETE ON med_order
BEGIN SELECT RAISE(ABORT, 'an order is never deleted; discontinue it'); END;

-- A fixed taper's dated steps: from starts_at, `dose` every every_hours hours, `doses` times.
CREATE TABLE med_order_step (
    order_id     INTEGER NOT NULL REFERENCES med_order (id),
    seq          INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 60),
    starts_at    TEXT NOT NULL CHECK (starts_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    dose         TEXT NOT NULL CHECK (length(trim(dose)) BETWEEN 1 AND 40),
    every_hours  INTEGER NOT NULL CHECK (every_hours BETWEEN 1 AND 168),
    doses        INTEGER NOT NULL CHECK (doses BETWEEN 1 AND 48),
    PRIMARY KEY (order_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER med_order_step_of_taper BEFORE INSERT ON med_order_step
WHEN (SELECT kind FROM med_order WHERE id = NEW.order_id) IS NOT 'taper'
BEGIN SELECT RAISE(ABORT, 'dated steps belong to a taper order'); END;
CREATE TRIGGER med_order_step_no_update BEFORE UPDATE ON med_order_step
BEGIN SELECT RAISE(ABORT, 'an order is never edited'); END;
CREATE TRIGGER med_order_step_no_delete BEFORE DELETE ON med_order_step
BEGIN SELECT RAISE(ABORT, 'an order is never deleted'); END;

-- Discontinuing an order: once, with who, when and why.
CREATE TABLE med_order_stop (
    order_id    INTEGER PRIMARY KEY REFERENCES med_order (id),
    stopped_at  TEXT NOT NULL CHECK (stopped_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    by_user     INTEGER NOT NULL REFERENCES user (id),
    reason      TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 200)
);
CREATE TRIGGER med_order_stop_no_update BEFORE UPDATE ON med_order_stop
BEGIN SELECT RAISE(ABORT, 'a discontinued order stays discontinued'); END;
CREATE TRIGGER med_order_stop_no_delete BEFORE DELETE ON med_order_stop
BEGIN SELECT RAISE(ABORT, 'a discontinued order stays discontinued'); END;

-- ---------------------------------------------------------------- the administration record

-- One administration: given (dose, route, time), held (reason), refused, or omitted (reason),
-- by whom, after the patient was identified by two identifiers (REFERENCE.md §9, NPSG
-- 01.01.01). The values of the order's hold parameters are asked before "given" (hold_values,
-- JSON {"rass":-1,"rr":14,"sbp":118,"hr":88}); a given dose past one needs an override reason.
-- due_at is the scheduled dose this answers (NULL for a PRN). A PRN names its triggering score
-- and gets a reassessment due. Never edited: a mistake is corrected by a new entry (corrects).
CREATE TABLE med_admin (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES med_order (id),
    stay_id          INTEGER NOT NULL REFERENCES stay (id),
    due_at           TEXT CHECK (due_at IS NULL OR due_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    outcome          TEXT NOT NULL CHECK (outcome IN ('given', 'held', 'refused', 'omitted')),
    dose_given       TEXT CHECK (dose_given IS NULL OR length(trim(dose_given)) BETWEEN 1 AND 40),
    route            TEXT CHECK (route IS NULL OR route IN ('PO', 'SL', 'IM', 'IV', 'PR', 'SC', 'TD', 'other')),
    at               TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    recorded_at      TEXT NOT NULL CHECK (recorded_at >= at),
    by_user          INTEGER NOT NULL REFERENCES user (id),
    identified_by    TEXT NOT NULL CHECK (identified_by IN ('name+dob', 'wristband')),
    hold_values      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(hold_values) AND json_type(hold_values) = 'object'),
    override_reason  TEXT CHECK (override_reason IS NULL OR length(trim(override_reason)) BETWEEN 1 AND 200),
    reason           TEXT CHECK (reason IS NULL OR length(trim(reason)) BETWEEN 1 AND 200),
    assessment_id    INTEGER REFERENCES assessment (id),      -- a PRN's triggering score
    reassess_due_at  TEXT CHECK (reassess_due_at IS NULL OR reassess_due_at > at),
    corrects         INTEGER REFERENCES med_admin (id),
    CHECK ((outcome = 'given') = (dose_given IS NOT NULL AND route IS NOT NULL)),
    CHECK (outcome NOT IN ('held', 'omitted') OR reason IS NOT NULL),
    CHECK (corrects IS NULL OR reason IS NOT NULL),
    CHECK (reassess_due_at IS NULL OR (outcome = 'given' AND due_at IS NULL))
);
CREATE INDEX med_admin_stay_time ON med_admin (stay_id, at);
CREATE INDEX med_admin_order_due ON med_admin (order_id, due_at);
CREATE TRIGGER med_admin_order_of_stay BEFORE INSERT ON med_admin
WHEN NEW.stay_id IS NOT (SELECT stay_id FROM med_order WHERE id = NEW.order_id)
BEGIN SELECT RAISE(ABORT, 'an administration belongs to its order''s patient'); END;
CREATE TRIGGER med_admin_prn_no_slot BEFORE INSERT ON med_admin
WHEN (SELECT kind FROM med_order WHERE id = NEW.order_id) = 'prn' AND NEW.due_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a PRN dose answers no scheduled time'); END;
-- "asks for the value before a dose is recorded as given" (REFERENCE.md §9): every hold
-- parameter of the order has its value on a given dose.
CREATE TRIGGER med_admin_hold_values_asked BEFORE INSERT ON med_admin WHEN NEW.outcome = 'given'
  AND EXISTS (SELECT 1 FROM med_order o WHERE o.id = NEW.order_id AND (
       (o.hold_rass_at_or_below IS NOT NULL AND json_type(NEW.hold_values, '$.rass') IS NOT 'integer')
    OR (o.hold_rr_below IS NOT NULL AND json_type(NEW.hold_values, '$.rr') IS NOT 'integer')
    OR (o.hold_sbp_below IS NOT NULL AND json_type(NEW.hold_values, '$.sbp') IS NOT 'integer')
    OR (o.hold_hr_below IS NOT NULL AND json_type(NEW.hold_values, '$.hr') IS NOT 'integer')))
BEGIN SELECT RAISE(ABORT, 'a dose is given only after each hold parameter''s value is recorded'); END;
-- A dose given past a hold parameter needs the nurse's override reason.
CREATE TRIGGER med_admin_hold_override BEFORE INSERT ON med_admin
WHEN NEW.outcome = 'given' AND NEW.override_reason IS NULL
  AND EXISTS (SELECT 1 FROM med_order o WHERE o.id = NEW.order_id AND (
       json_extract(NEW.hold_values, '$.rass') <= o.hold_rass_at_or_below
    OR json_extract(NEW.hold_values, '$.rr') < o.hold_rr_below
    OR json_extract(NEW.hold_values, '$.sbp') < o.hold_sbp_below
    OR json_extract(NEW.hold_values, '$.hr') < o.hold_hr_below))
BEGIN SELECT RAISE(ABORT, 'a dose past a hold parameter is held, or given with an override reason'); END;
CREATE TRIGGER med_admin_corrects_same_order BEFORE INSERT ON med_admin WHEN NEW.corrects IS NOT NULL
  AND NEW.order_id IS NOT (SELECT order_id FROM med_admin WHERE id = NEW.corrects)
BEGIN SELECT RAISE(ABORT, 'a correction names an entry of the same order'); END;
CREATE TRIGGER med_admin_no_update BEFORE UPDATE ON med_admin
BEGIN SELECT RAISE(ABORT, 'a recorded administration is never edited; record a correction'); END;
CREATE TRIGGER med_admin_no_delete BEFORE DELETE ON med_admin
BEGIN SELECT RAISE(ABORT, 'a recorded administration is never deleted; record a correction'); END;

-- ---------------------------------------------------------------- vital signs on their own

-- A set of vital signs taken outside a withdrawal score (a score's own vitals stay on
-- assessment). A parameter not measured is NULL, never a default; news2 is the total only when
-- every parameter was measured (REFERENCE.md §10), news2_missing names what was not.
CREATE TABLE vital_sign (
    id             INTEGER PRIMARY KEY,
    stay_id        INTEGER NOT NULL REFERENCES stay (id),
    taken_at       TEXT NOT NULL CHECK (taken_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    recorded_at    TEXT NOT NULL CHECK (recorded_at >= taken_at),
    by_user        INTEGER NOT NULL REFERENCES user (id),
    temp_c         REAL CHECK (temp_c IS NULL OR temp_c BETWEEN 25 AND 45),
    heart_rate     INTEGER CHECK (heart_rate IS NULL OR heart_rate BETWEEN 20 AND 250),
    bp_systolic    INTEGER CHECK (bp_systolic IS NULL OR bp_systolic BETWEEN 40 AND 300),
    bp_diastolic   INTEGER CHECK (bp_diastolic IS NULL OR bp_diastolic BETWEEN 20 AND 200),
    resp_rate      INTEGER CHECK (resp_rate IS NULL OR resp_rate BETWEEN 2 AND 80),
    spo2           INTEGER CHECK (spo2 IS NULL OR spo2 BETWEEN 50 AND 100),
    on_oxygen      INTEGER CHECK (on_oxygen IS NULL OR on_oxygen IN (0, 1)),
    consciousness  TEXT CHECK (consciousness IN ('alert', 'new confusion', 'voice', 'pain', 'unresponsive')),
    news2          INTEGER CHECK (news2 IS NULL OR news2 BETWEEN 0 AND 20),
    news2_missing  TEXT NOT NULL DEFAULT '',
    alert          TEXT CHECK (alert IS NULL OR length(alert) BETWEEN 1 AND 200),  -- the breach, in words
    comment        TEXT CHECK (comment IS NULL OR length(comment) <= 200),
    CHECK (coalesce(temp_c, heart_rate, bp_systolic, bp_diastolic, resp_rate, spo2, on_oxygen, consciousness) IS NOT NULL),
    CHECK ((bp_systolic IS NULL) = (bp_diastolic IS NULL)),
    CHECK (news2 IS NULL OR news2_missing = '')
);
CREATE INDEX vital_sign_stay_time ON vital_sign (stay_id, taken_at, id);
CREATE TRIGGER vital_sign_open_stay BEFORE INSERT ON vital_sign
WHEN (SELECT discharged_at FROM stay WHERE id = NEW.stay_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'vital signs are recorded only for a patient on the ward'); END;
CREATE TRIGGER vital_sign_no_update BEFORE UPDATE ON vital_sign
BEGIN SELECT RAISE(ABORT, 'recorded vital signs are never edited; record a new set'); END;
CREATE TRIGGER vital_sign_no_delete BEFORE DELETE ON vital_sign
BEGIN SELECT RAISE(ABORT, 'recorded vital signs are never deleted'); END;

-- ---------------------------------------------------------------- the call to the provider

-- REFERENCE.md §10: "Notifying the provider is itself documented: who was called, when, by
-- whom, the reason (e.g. SBAR), and the response or new orders."
CREATE TABLE provider_call (
    id           INTEGER PRIMARY KEY,
    stay_id      INTEGER NOT NULL REFERENCES stay (id),
    provider     TEXT NOT NULL CHECK (length(trim(provider)) BETWEEN 1 AND 80),
    called_at    TEXT NOT NULL CHECK (called_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    recorded_at  TEXT NOT NULL CHECK (recorded_at >= called_at),
    by_user      INTEGER NOT NULL REFERENCES user (id),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 400),
    response     TEXT NOT NULL CHECK (length(trim(response)) BETWEEN 1 AND 400),
    new_order    INTEGER REFERENCES med_order (id)
);
CREATE INDEX provider_call_stay_time ON provider_call (stay_id, called_at);
CREATE TRIGGER provider_call_no_update BEFORE UPDATE ON provider_call
BEGIN SELECT RAISE(ABORT, 'a documented call is never edited'); END;
CREATE TRIGGER provider_call_no_delete BEFORE DELETE ON provider_call
BEGIN SELECT RAISE(ABORT, 'a documented call is never deleted'); END;

-- ---------------------------------------------------------------- emergencies

-- A seizure, a fall, a suspected overdose (naloxone: dose, route, time, response), a
-- rapid-response or code call, charted as it happens.
CREATE TABLE clinical_event (
    id                 INTEGER PRIMARY KEY,
    stay_id            INTEGER NOT NULL REFERENCES stay (id),
    kind               TEXT NOT NULL CHECK (kind IN ('seizure', 'fall', 'overdose', 'rapid response', 'code')),
    started_at         TEXT NOT NULL CHECK (started_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    ended_at           TEXT CHECK (ended_at IS NULL OR ended_at >= started_at),
    recorded_at        TEXT NOT NULL CHECK (recorded_at >= started_at),
    by_user            INTEGER NOT NULL REFERENCES user (id),
    actions            TEXT NOT NULL CHECK (length(trim(actions)) BETWEEN 1 AND 400),
    called             TEXT NOT NULL CHECK (length(trim(called)) BETWEEN 1 AND 120),   -- who was called, or 'nobody'
    outcome            TEXT NOT NULL CHECK (length(trim(outcome)) BETWEEN 1 AND 400),
    naloxone_dose      TEXT CHECK (naloxone_dose IS NULL OR length(trim(naloxone_dose)) BETWEEN 1 AND 40),
    naloxone_route     TEXT CHECK (naloxone_route IS NULL OR naloxone_route IN ('IN', 'IM', 'IV', 'SC')),
    naloxone_at        TEXT CHECK (naloxone_at IS NULL OR naloxone_at >= started_at),
    naloxone_response  TEXT CHECK (naloxone_response IS NULL OR length(trim(naloxone_response)) BETWEEN 1 AND 200),
    CHECK ((naloxone_dose IS NULL) = (naloxone_route IS NULL)),
    CHECK ((naloxone_dose IS NULL) = (naloxone_at IS NULL)),
    CHECK ((naloxone_dose IS NULL) = (naloxone_response IS NULL)),
    CHECK (naloxone_dose IS NULL OR kind = 'overdose')
);
CREATE INDEX clinical_event_stay_time ON clinical_event (stay_id, started_at);
CREATE TRIGGER clinical_event_no_update BEFORE UPDATE ON clinical_event
BEGIN SELECT RAISE(ABORT, 'a charted emergency is never edited'); END;
CREATE TRIGGER clinical_event_no_delete BEFORE DELETE ON clinical_event
BEGIN SELECT RAISE(ABORT, 'a charted emergency is never deleted'); END;

-- ---------------------------------------------------------------- prompts

-- What the ward must still do: "notify provider now" after a breach, a hold or a high-risk
-- score, and an emergency's follow-up (a Morse after a fall, vitals after naloxone). Open until
-- done: closed by a recorded call (call_id) or dismissed with a reason, once and for good.
CREATE TABLE clinical_prompt (
    id             INTEGER PRIMARY KEY,
    stay_id        INTEGER NOT NULL REFERENCES stay (id),
    kind           TEXT NOT NULL CHECK (kind IN ('notify', 'follow-up')),
    source         TEXT NOT NULL CHECK (source IN ('vitals', 'hold', 'score', 'event')),
    source_id      INTEGER NOT NULL,
    why            TEXT NOT NULL CHECK (length(trim(why)) BETWEEN 1 AND 200),
    raised_at      TEXT NOT NULL CHECK (raised_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    due_at         TEXT CHECK (due_at IS NULL OR due_at >= raised_at),
    closed_at      TEXT CHECK (closed_at IS NULL OR closed_at >= raised_at),
    closed_by      INTEGER REFERENCES user (id),
    call_id        INTEGER REFERENCES provider_call (id),
    dismiss_reason TEXT CHECK (dismiss_reason IS NULL OR length(trim(dismiss_reason)) BETWEEN 1 AND 200),
    CHECK ((closed_at IS NULL) = (closed_by IS NULL)),
    CHECK (closed_at IS NULL OR (call_id IS NULL) <> (dismiss_reason IS NULL)),
    CHECK (closed_at IS NOT NULL OR (call_id IS NULL AND dismiss_reason IS NULL))
);
CREATE INDEX clinical_prompt_open ON clinical_prompt (stay_id, raised_at) WHERE closed_at IS NULL;
CREATE INDEX clinical_prompt_stay ON clinical_prompt (stay_id, raised_at);
CREATE TRIGGER clinical_prompt_closed_is_final BEFORE UPDATE ON clinical_prompt WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed prompt is final'); END;
CREATE TRIGGER clinical_prompt_fixed BEFORE UPDATE OF id, stay_id, kind, source, source_id, why, raised_at, due_at ON clinical_prompt
WHEN NEW.id IS NOT OLD.id OR NEW.stay_id IS NOT OLD.stay_id OR NEW.kind IS NOT OLD.kind
  OR NEW.source IS NOT OLD.source OR NEW.source_id IS NOT OLD.source_id OR NEW.why IS NOT OLD.why
  OR NEW.raised_at IS NOT OLD.raised_at OR NEW.due_at IS NOT OLD.due_at
BEGIN SELECT RAISE(ABORT, 'what a prompt said, and when, is never rewritten'); END;
CREATE TRIGGER clinical_prompt_call_same_stay BEFORE UPDATE OF call_id ON clinical_prompt WHEN NEW.call_id IS NOT NULL
  AND NEW.stay_id IS NOT (SELECT stay_id FROM provider_call WHERE id = NEW.call_id)
BEGIN SELECT RAISE(ABORT, 'a prompt is closed by a call about its own patient'); END;
CREATE TRIGGER clinical_prompt_no_delete BEFORE DELETE ON clinical_prompt
BEGIN SELECT RAISE(ABORT, 'a prompt is never deleted; close it with a call or a reason'); END;

-- ---------------------------------------------------------------- sealing

INSERT INTO ledger_kind (kind) VALUES
    ('med_order'), ('med_order_stop'), ('med_admin'), ('vital_sign'), ('provider_call'), ('clinical_event');
