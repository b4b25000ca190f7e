-- wardterm: the whole current schema (version 6).
--
-- Runs as-is in the sqlite3 shell. The binary applies it to an empty database in one
-- transaction and sets PRAGMA user_version; older databases are upgraded by the forward-only
-- steps in migrations/ (see src/store/migrate.rs).
--
-- Conventions
-- * Every time is UTC text 'YYYY-MM-DDTHH:MM:SSZ' (the ward's zone is only for display); the
--   CHECKs below refuse anything else so that text order is time order.
-- * The record is legal: rows that document care are never deleted, and once final they are
--   never updated. Triggers enforce this here, not only in Rust.
-- * Every documenting row names its author (a user id) and when it was written.

PRAGMA foreign_keys = ON;
PRAGMA application_id = 1463898692;  -- "WARD": marks the file as a wardterm database

-- ---------------------------------------------------------------- ward configuration

CREATE TABLE ward (
    id              INTEGER PRIMARY KEY CHECK (id = 1),          -- exactly one ward per file
    name            TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
    time_zone       TEXT NOT NULL CHECK (length(time_zone) > 0), -- IANA name, e.g. America/New_York
    temp_unit       TEXT NOT NULL DEFAULT 'C' CHECK (temp_unit IN ('C', 'F')),
    idle_lock_secs  INTEGER NOT NULL DEFAULT 300 CHECK (idle_lock_secs BETWEEN 30 AND 3600),
    is_demo         INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at      TEXT NOT NULL CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    -- Hours between risk screens (version 5; REFERENCE.md §3a: C-SSRS "at admission and each
    -- shift", Morse "when the unit's interval says"), 0 for admission only.
    cssrs_every_hours INTEGER NOT NULL DEFAULT 12 CHECK (cssrs_every_hours BETWEEN 0 AND 168),
    morse_every_hours INTEGER NOT NULL DEFAULT 24 CHECK (morse_every_hours BETWEEN 0 AND 720),
    -- How vital signs raise a prompt (version 6; REFERENCE.md §10: a unit "may adopt [NEWS2] or
    -- set its own notify thresholds"): 'news2' prompts at a complete NEWS2 >= news2_notify_at or
    -- any single parameter scoring 3; 'thresholds' uses vitals_thresholds (JSON,
    -- src/domain/vital_alert.rs). Vitals every N minutes for M minutes after naloxone.
    vitals_alerts     TEXT NOT NULL DEFAULT 'news2' CHECK (vitals_alerts IN ('news2', 'thresholds')),
    news2_notify_at   INTEGER NOT NULL DEFAULT 5 CHECK (news2_notify_at BETWEEN 1 AND 20),
    vitals_thresholds TEXT CHECK (vitals_thresholds IS NULL OR json_valid(vitals_thresholds)),
    naloxone_vitals_every_min INTEGER NOT NULL DEFAULT 15 CHECK (naloxone_vitals_every_min BETWEEN 0 AND 240),
    naloxone_vitals_for_min   INTEGER NOT NULL DEFAULT 120 CHECK (naloxone_vitals_for_min BETWEEN 0 AND 1440)
);

-- ASAM levels of care are data: the 4th edition renames them (REFERENCE.md section 7).
CREATE TABLE level_of_care (
    code        TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 12),
    name        TEXT NOT NULL,
    sort        INTEGER NOT NULL,
    acuity      INTEGER NOT NULL CHECK (acuity BETWEEN 0 AND 9)   -- higher = more intensive
);
INSERT INTO level_of_care (code, name, sort, acuity) VALUES
    ('3.2-WM', 'Clinically managed residential withdrawal management', 1, 2),
    ('3.5',    'Clinically managed high-intensity residential', 2, 1),
    ('3.7',    'Medically monitored intensive inpatient', 3, 2),
    ('3.7-WM', 'Medically monitored inpatient withdrawal management', 4, 3),
    ('4-WM',   'Medically managed intensive inpatient withdrawal management', 5, 4);

-- Observation levels are data too; interval_min NULL means continuous (1:1).
CREATE TABLE observation_level (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    interval_min  INTEGER CHECK (interval_min IS NULL OR interval_min > 0),
    sort          INTEGER NOT NULL
);
INSERT INTO observation_level (code, name, interval_min, sort) VALUES
    ('q60', 'Routine, hourly',      60,   1),
    ('q30', 'Every 30 minutes',     30,   2),
    ('q15', 'Every 15 minutes',     15,   3),
    ('1:1', 'One-to-one / line of sight', NULL, 4);

CREATE TABLE bed (
    id      INTEGER PRIMARY KEY,
    label   TEXT NOT NULL UNIQUE CHECK (length(label) BETWEEN 1 AND 8),
    sort    INTEGER NOT NULL,
    active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- ---------------------------------------------------------------- people

CREATE TABLE user (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 32),
    display_name   TEXT NOT NULL CHECK (length(trim(display_name)) BETWEEN 1 AND 80),
    credentials    TEXT NOT NULL CHECK (length(trim(credentials)) BETWEEN 1 AND 20),  -- RN, LPN, ...
    role           TEXT NOT NULL CHECK (role IN ('nurse', 'charge', 'admin')),
    password_hash  TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_signins INTEGER NOT NULL DEFAULT 0 CHECK (failed_signins >= 0),
    locked_until   TEXT,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES user (id)
);
-- Accounts are never deleted: everything they wrote points at them.
CREATE TRIGGER user_no_delete BEFORE DELETE ON user
BEGIN SELECT RAISE(ABORT, 'accounts are never deleted; disable them instead'); END;

CREATE TABLE patient (
    id          INTEGER PRIMARY KEY,
    mrn         TEXT NOT NULL UNIQUE CHECK (length(trim(mrn)) BETWEEN 1 AND 20),
    name        TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    birth_date  TEXT NOT NULL CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    sex         TEXT NOT NULL CHECK (sex IN ('F', 'M', 'X', 'U')),
    created_at  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES user (id)
);
CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient
BEGIN SELECT RAISE(ABORT, 'patients are never deleted from the record'); END;

-- ---------------------------------------------------------------- stays

CREATE TABLE stay (
    id               INTEGER PRIMARY KEY,
    patient_id       INTEGER NOT NULL REFERENCES patient (id),
    bed_id           INTEGER NOT NULL REFERENCES bed (id),
    admitted_at      TEXT NOT NULL CHECK (admitted_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    admitted_by      INTEGER NOT NULL REFERENCES user (id),
    recorded_at      TEXT NOT NULL,
    level_of_care    TEXT NOT NULL REFERENCES level_of_care (code),
    substances       TEXT NOT NULL CHECK (length(trim(substances)) BETWEEN 1 AND 200),
    last_use         TEXT NOT NULL CHECK (length(trim(last_use)) BETWEEN 1 AND 60),   -- as the patient gave it, or 'unknown'
    protocol         TEXT NOT NULL CHECK (protocol IN ('ciwa-ar', 'cows', 'ciwa-b', 'none')),
    allergies        TEXT NOT NULL CHECK (length(trim(allergies)) BETWEEN 1 AND 200),  -- 'NKDA' must be said, never assumed
    precautions      TEXT NOT NULL DEFAULT '',
    attending        TEXT NOT NULL CHECK (length(trim(attending)) BETWEEN 1 AND 80),
    code_status      TEXT NOT NULL CHECK (code_status IN ('Full code', 'DNR', 'DNR/DNI')),
    observation      TEXT NOT NULL REFERENCES observation_level (code),
    -- PAWSS on admission (REFERENCE.md section 3; Maldonado 2014): 0-10, >= 4 high risk of
    -- complicated alcohol withdrawal. NULL = not done (never assumed to be 0).
    pawss            INTEGER CHECK (pawss IS NULL OR pawss BETWEEN 0 AND 10),
    discharged_at    TEXT CHECK (discharged_at IS NULL OR discharged_at >= admitted_at),
    discharged_by    INTEGER REFERENCES user (id),
    discharge_type   TEXT CHECK (discharge_type IN ('completed', 'ama', 'transfer-out', 'administrative')),
    aftercare        TEXT,
    CHECK ((discharged_at IS NULL) = (discharge_type IS NULL)),
    CHECK ((discharged_at IS NULL) = (discharged_by IS NULL))
);
-- One open stay per bed and per patient: the database refuses a double booking.
CREATE UNIQUE INDEX stay_open_bed     ON stay (bed_id)     WHERE discharged_at IS NULL;
CREATE UNIQUE INDEX stay_open_patient ON stay (patient_id) WHERE discharged_at IS NULL;
CREATE INDEX stay_patient ON stay (patient_id, admitted_at);

CREATE TRIGGER stay_no_delete BEFORE DELETE ON stay
BEGIN SELECT RAISE(ABORT, 'stays are never deleted from the record'); END;
CREATE TRIGGER stay_closed_is_final BEFORE UPDATE ON stay WHEN OLD.discharged_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a discharged stay is final'); END;
CREATE TRIGGER stay_identity_fixed BEFORE UPDATE OF patient_id, admitted_at, admitted_by ON stay
WHEN NEW.patient_id IS NOT OLD.patient_id OR NEW.admitted_at IS NOT OLD.admitted_at
  OR NEW.admitted_by IS NOT OLD.admitted_by
BEGIN SELECT RAISE(ABORT, 'who was admitted, and when, is never rewritten'); END;

-- Precautions, schema version 2: seizure, fall, elopement and suicide are REFERENCE.md section 4's;
-- aggression and isolation are the ward's own. A stay's `precautions` is empty or a canonical
-- list: known words, each once, in this order, joined by ", " ("seizure, fall"), as
-- src/domain/stay.rs `parse_precautions` writes it. The 64 legal lists are rows here, made from
-- the six words, so the database refuses "Seizure", "fall, seizure" or "wobbly" by itself.
-- tests/store.rs keeps this table and `domain::stay::PRECAUTIONS` in step.
CREATE TABLE precaution_list (list TEXT PRIMARY KEY) WITHOUT ROWID;
WITH RECURSIVE
  word (rank, name) AS (VALUES (1, 'seizure'), (2, 'fall'), (3, 'elopement'), (4, 'suicide'),
                               (5, 'aggression'), (6, 'isolation')),
  list (text, last) AS (SELECT '', 0
                        UNION ALL
                        SELECT CASE list.text WHEN '' THEN word.name ELSE list.text || ', ' || word.name END, word.rank
                        FROM list JOIN word ON word.rank > list.last)
INSERT INTO precaution_list (list) SELECT text FROM list;
CREATE TRIGGER stay_precautions_known BEFORE INSERT ON stay
WHEN NEW.precautions NOT IN (SELECT list FROM precaution_list)
BEGIN SELECT RAISE(ABORT, 'precautions: only seizure, fall, elopement, suicide, aggression, isolation, in that order'); END;
CREATE TRIGGER stay_precautions_known_update BEFORE UPDATE OF precautions ON stay
WHEN NEW.precautions NOT IN (SELECT list FROM precaution_list)
BEGIN SELECT RAISE(ABORT, 'precautions: only seizure, fall, elopement, suicide, aggression, isolation, in that order'); END;
CREATE TRIGGER precaution_list_fixed_insert BEFORE INSERT ON precaution_list
BEGIN SELECT RAISE(ABORT, 'the precaution lists are part of the schema'); END;
CREATE TRIGGER precaution_list_fixed_update BEFORE UPDATE ON precaution_list
BEGIN SELECT RAISE(ABORT, 'the precaution lists are part of the schema'); END;
CREATE TRIGGER precaution_list_fixed_delete BEFORE DELETE ON precaution_list
BEGIN SELECT RAISE(ABORT, 'the precaution lists are part of the schema'); END;

-- Every change to an open stay (transfer, level of care, observation, discharge, and since
-- version 3 allergies, precautions and code status, each with why) is also written here,
-- append-only, with who and when: the stay row holds the present, this the past.
CREATE TABLE stay_event (
    id           INTEGER PRIMARY KEY,
    stay_id      INTEGER NOT NULL REFERENCES stay (id),
    kind         TEXT NOT NULL CHECK (kind IN ('admit', 'transfer', 'level_of_care', 'observation', 'discharge',
                                               'allergies', 'precautions', 'code_status')),
    from_value   TEXT,
    to_value     TEXT,
    note         TEXT,
    at           TEXT NOT NULL,
    by_user      INTEGER NOT NULL REFERENCES user (id),
    -- a change to a safety fact says why
    CHECK (kind NOT IN ('allergies', 'precautions', 'code_status') OR length(trim(coalesce(note, ''))) > 0)
);
CREATE INDEX stay_event_stay ON stay_event (stay_id, at);
CREATE TRIGGER stay_event_no_update BEFORE UPDATE ON stay_event
BEGIN SELECT RAISE(ABORT, 'stay history is append-only'); END;
CREATE TRIGGER stay_event_no_delete BEFORE DELETE ON stay_event
BEGIN SELECT RAISE(ABORT, 'stay history is append-only'); END;

-- ---------------------------------------------------------------- withdrawal scoring

-- Every legal (scale, item, score): the database refuses a score the scale does not have.
-- Generated from src/domain/scales/; tests/store.rs checks this table against them row for row.
CREATE TABLE scale_choice (
    scale     TEXT NOT NULL,
    item      TEXT NOT NULL,
    position  INTEGER NOT NULL CHECK (position >= 0),
    score     INTEGER NOT NULL CHECK (score BETWEEN 0 AND 7),
    PRIMARY KEY (scale, item, score)
) WITHOUT ROWID;
-- position = choice index (what the nurse picks); score = the points it is worth.

-- CIWA-Ar (Clinical Institute Withdrawal Assessment for Alcohol, revised), max 67
INSERT INTO scale_choice(scale, item, position, score) VALUES
  ('ciwa-ar','nausea',0,0),
  ('ciwa-ar','nausea',1,1),
  ('ciwa-ar','nausea',2,2),
  ('ciwa-ar','nausea',3,3),
  ('ciwa-ar','nausea',4,4),
  ('ciwa-ar','nausea',5,5),
  ('ciwa-ar','nausea',6,6),
  ('ciwa-ar','nausea',7,7),
  ('ciwa-ar','tremor',0,0),
  ('ciwa-ar','tremor',1,1),
  ('ciwa-ar','tremor',2,2),
  ('ciwa-ar','tremor',3,3),
  ('ciwa-ar','tremor',4,4),
  ('ciwa-ar','tremor',5,5),
  ('ciwa-ar','tremor',6,6),
  ('ciwa-ar','tremor',7,7),
  ('ciwa-ar','sweats',0,0),
  ('ciwa-ar','sweats',1,1),
  ('ciwa-ar','sweats',2,2),
  ('ciwa-ar','sweats',3,3),
  ('ciwa-ar','sweats',4,4),
  ('ciwa-ar','sweats',5,5),
  ('ciwa-ar','sweats',6,6),
  ('ciwa-ar','sweats',7,7),
  ('ciwa-ar','anxiety',0,0),
  ('ciwa-ar','anxiety',1,1),
  ('ciwa-ar','anxiety',2,2),
  ('ciwa-ar','anxiety',3,3),
  ('ciwa-ar','anxiety',4,4),
  ('ciwa-ar','anxiety',5,5),
  ('ciwa-ar','anxiety',6,6),
  ('ciwa-ar','anxiety',7,7),
  ('ciwa-ar','agitation',0,0),
  ('ciwa-ar','agitation',1,1),
  ('ciwa-ar','agitation',2,2),
  ('ciwa-ar','agitation',3,3),
  ('ciwa-ar','agitation',4,4),
  ('ciwa-ar','agitation',5,5),
  ('ciwa-ar','agitation',6,6),
  ('ciwa-ar','agitation',7,7),
  ('ciwa-ar','tactile',0,0),
  ('ciwa-ar','tactile',1,1),
  ('ciwa-ar','tactile',2,2),
  ('ciwa-ar','tactile',3,3),
  ('ciwa-ar','tactile',4,4),
  ('ciwa-ar','tactile',5,5),
  ('ciwa-ar','tactile',6,6),
  ('ciwa-ar','tactile',7,7),
  ('ciwa-ar','auditory',0,0),
  ('ciwa-ar','auditory',1,1),
  ('ciwa-ar','auditory',2,2),
  ('ciwa-ar','auditory',3,3),
  ('ciwa-ar','auditory',4,4),
  ('ciwa-ar','auditory',5,5),
  ('ciwa-ar','auditory',6,6),
  ('ciwa-ar','auditory',7,7),
  ('ciwa-ar','visual',0,0),
  ('ciwa-ar','visual',1,1),
  ('ciwa-ar','visual',2,2),
  ('ciwa-ar','visual',3,3),
  ('ciwa-ar','visual',4,4),
  ('ciwa-ar','visual',5,5),
  ('ciwa-ar','visual',6,6),
  ('ciwa-ar','visual',7,7),
  ('ciwa-ar','headache',0,0),
  ('ciwa-ar','headache',1,1),
  ('ciwa-ar','headache',2,2),
  ('ciwa-ar','headache',3,3),
  ('ciwa-ar','headache',4,4),
  ('ciwa-ar','headache',5,5),
  ('ciwa-ar','headache',6,6),
  ('ciwa-ar','headache',7,7),
  ('ciwa-ar','orientation',0,0),
  ('ciwa-ar','orientation',1,1),
  ('ciwa-ar','orientation',2,2),
  ('ciwa-ar','orientation',3,3),
  ('ciwa-ar','orientation',4,4);

-- COWS (Clinical Opiate Withdrawal Scale), max 48
INSERT INTO scale_choice(scale, item, position, score) VALUES
  ('cows','pulse',0,0),
  ('cows','pulse',1,1),
  ('cows','pulse',2,2),
  ('cows','pulse',3,4),
  ('cows','sweating',0,0),
  ('cows','sweating',1,1),
  ('cows','sweating',2,2),
  ('cows','sweating',3,3),
  ('cows','sweating',4,4),
  ('cows','restlessness',0,0),
  ('cows','restlessness',1,1),
  ('cows','restlessness',2,3),
  ('cows','restlessness',3,5),
  ('cows','pupils',0,0),
  ('cows','pupils',1,1),
  ('cows','pupils',2,2),
  ('cows','pupils',3,5),
  ('cows','aches',0,0),
  ('cows','aches',1,1),
  ('cows','aches',2,2),
  ('cows','aches',3,4),
  ('cows','nose',0,0),
  ('cows','nose',1,1),
  ('cows','nose',2,2),
  ('cows','nose',3,4),
  ('cows','gi',0,0),
  ('cows','gi',1,1),
  ('cows','gi',2,2),
  ('cows','gi',3,3),
  ('cows','gi',4,5),
  ('cows','tremor',0,0),
  ('cows','tremor',1,1),
  ('cows','tremor',2,2),
  ('cows','tremor',3,4),
  ('cows','yawning',0,0),
  ('cows','yawning',1,1),
  ('cows','yawning',2,2),
  ('cows','yawning',3,4),
  ('cows','anxiety',0,0),
  ('cows','anxiety',1,1),
  ('cows','anxiety',2,2),
  ('cows','anxiety',3,4),
  ('cows','gooseflesh',0,0),
  ('cows','gooseflesh',1,3),
  ('cows','gooseflesh',2,5);

-- CIWA-B (Clinical Institute Withdrawal Assessment for Benzodiazepines), max 80
INSERT INTO scale_choice(scale, item, position, score) VALUES
  ('ciwa-b','irritable',0,0),
  ('ciwa-b','irritable',1,1),
  ('ciwa-b','irritable',2,2),
  ('ciwa-b','irritable',3,3),
  ('ciwa-b','irritable',4,4),
  ('ciwa-b','fatigued',0,0),
  ('ciwa-b','fatigued',1,1),
  ('ciwa-b','fatigued',2,2),
  ('ciwa-b','fatigued',3,3),
  ('ciwa-b','fatigued',4,4),
  ('ciwa-b','tense',0,0),
  ('ciwa-b','tense',1,1),
  ('ciwa-b','tense',2,2),
  ('ciwa-b','tense',3,3),
  ('ciwa-b','tense',4,4),
  ('ciwa-b','concentration',0,0),
  ('ciwa-b','concentration',1,1),
  ('ciwa-b','concentration',2,2),
  ('ciwa-b','concentration',3,3),
  ('ciwa-b','concentration',4,4),
  ('ciwa-b','appetite',0,0),
  ('ciwa-b','appetite',1,1),
  ('ciwa-b','appetite',2,2),
  ('ciwa-b','appetite',3,3),
  ('ciwa-b','appetite',4,4),
  ('ciwa-b','numbness',0,0),
  ('ciwa-b','numbness',1,1),
  ('ciwa-b','numbness',2,2),
  ('ciwa-b','numbness',3,3),
  ('ciwa-b','numbness',4,4),
  ('ciwa-b','heart_racing',0,0),
  ('ciwa-b','heart_racing',1,1),
  ('ciwa-b','heart_racing',2,2),
  ('ciwa-b','heart_racing',3,3),
  ('ciwa-b','heart_racing',4,4),
  ('ciwa-b','head_full',0,0),
  ('ciwa-b','head_full',1,1),
  ('ciwa-b','head_full',2,2),
  ('ciwa-b','head_full',3,3),
  ('ciwa-b','head_full',4,4),
  ('ciwa-b','muscle_aches',0,0),
  ('ciwa-b','muscle_aches',1,1),
  ('ciwa-b','muscle_aches',2,2),
  ('ciwa-b','muscle_aches',3,3),
  ('ciwa-b','muscle_aches',4,4),
  ('ciwa-b','anxious',0,0),
  ('ciwa-b','anxious',1,1),
  ('ciwa-b','anxious',2,2),
  ('ciwa-b','anxious',3,3),
  ('ciwa-b','anxious',4,4),
  ('ciwa-b','upset',0,0),
  ('ciwa-b','upset',1,1),
  ('ciwa-b','upset',2,2),
  ('ciwa-b','upset',3,3),
  ('ciwa-b','upset',4,4),
  ('ciwa-b','sleep_restful',0,0),
  ('ciwa-b','sleep_restful',1,1),
  ('ciwa-b','sleep_restful',2,2),
  ('ciwa-b','sleep_restful',3,3),
  ('ciwa-b','sleep_restful',4,4),
  ('ciwa-b','weak',0,0),
  ('ciwa-b','weak',1,1),
  ('ciwa-b','weak',2,2),
  ('ciwa-b','weak',3,3),
  ('ciwa-b','weak',4,4),
  ('ciwa-b','sleep_enough',0,0),
  ('ciwa-b','sleep_enough',1,1),
  ('ciwa-b','sleep_enough',2,2),
  ('ciwa-b','sleep_enough',3,3),
  ('ciwa-b','sleep_enough',4,4),
  ('ciwa-b','visual',0,0),
  ('ciwa-b','visual',1,1),
  ('ciwa-b','visual',2,2),
  ('ciwa-b','visual',3,3),
  ('ciwa-b','visual',4,4),
  ('ciwa-b','fearful',0,0),
  ('ciwa-b','fearful',1,1),
  ('ciwa-b','fearful',2,2),
  ('ciwa-b','fearful',3,3),
  ('ciwa-b','fearful',4,4),
  ('ciwa-b','worrying',0,0),
  ('ciwa-b','worrying',1,1),
  ('ciwa-b','worrying',2,2),
  ('ciwa-b','worrying',3,3),
  ('ciwa-b','worrying',4,4),
  ('ciwa-b','obs_agitation',0,0),
  ('ciwa-b','obs_agitation',1,1),
  ('ciwa-b','obs_agitation',2,2),
  ('ciwa-b','obs_agitation',3,3),
  ('ciwa-b','obs_agitation',4,4),
  ('ciwa-b','obs_tremor',0,0),
  ('ciwa-b','obs_tremor',1,1),
  ('ciwa-b','obs_tremor',2,2),
  ('ciwa-b','obs_tremor',3,3),
  ('ciwa-b','obs_tremor',4,4),
  ('ciwa-b','obs_palms',0,0),
  ('ciwa-b','obs_palms',1,1),
  ('ciwa-b','obs_palms',2,2),
  ('ciwa-b','obs_palms',3,3),
  ('ciwa-b','obs_palms',4,4);

-- Ward policy that sources disagree on (band sets, the protocol ladder) is versioned
-- configuration: each assessment names the version that scored it, so a change of policy never
-- rewrites history. Rows are never updated or deleted; a new version is a new row.
CREATE TABLE policy (
    id          INTEGER PRIMARY KEY,
    scale       TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('bands', 'ladder')),
    version     INTEGER NOT NULL CHECK (version >= 1),
    body        TEXT NOT NULL CHECK (json_valid(body)),
    created_at  TEXT NOT NULL,
    created_by  INTEGER REFERENCES user (id),
    UNIQUE (scale, kind, version)
);
CREATE TRIGGER policy_no_update BEFORE UPDATE ON policy
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable; add a new version'); END;
CREATE TRIGGER policy_no_delete BEFORE DELETE ON policy
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;

CREATE TABLE assessment (
    id             INTEGER PRIMARY KEY,
    stay_id        INTEGER NOT NULL REFERENCES stay (id),
    scale          TEXT NOT NULL CHECK (scale IN ('ciwa-ar', 'cows', 'ciwa-b')),
    taken_at       TEXT NOT NULL CHECK (taken_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    recorded_at    TEXT NOT NULL CHECK (recorded_at >= taken_at),   -- never charted ahead
    by_user        INTEGER NOT NULL REFERENCES user (id),
    -- a total, or the reason there is none: "unable to assess" is never a zero
    total          INTEGER CHECK (total >= 0 AND total <= 80),
    band           TEXT,
    severe         INTEGER CHECK (severe IN (0, 1)),           -- the band is a severe one
    unable_reason  TEXT CHECK (unable_reason IN ('asleep', 'sedated', 'delirious', 'refused', 'off unit')),
    unable_note    TEXT,
    bands_policy   INTEGER REFERENCES policy (id),
    ladder_policy  INTEGER REFERENCES policy (id),
    next_due_at    TEXT,
    prompts        TEXT NOT NULL DEFAULT '',
    temp_c         REAL CHECK (temp_c IS NULL OR temp_c BETWEEN 25 AND 45),
    heart_rate     INTEGER CHECK (heart_rate IS NULL OR heart_rate BETWEEN 20 AND 250),
    bp_systolic    INTEGER CHECK (bp_systolic IS NULL OR bp_systolic BETWEEN 40 AND 300),
    bp_diastolic   INTEGER CHECK (bp_diastolic IS NULL OR bp_diastolic BETWEEN 20 AND 200),
    resp_rate      INTEGER CHECK (resp_rate IS NULL OR resp_rate BETWEEN 2 AND 80),
    spo2           INTEGER CHECK (spo2 IS NULL OR spo2 BETWEEN 50 AND 100),
    comment        TEXT,            -- e.g. why the COWS pulse item was overridden
    CHECK ((total IS NULL) <> (unable_reason IS NULL)),
    CHECK ((total IS NULL) = (band IS NULL)),
    CHECK ((total IS NULL) = (severe IS NULL)),
    CHECK ((unable_reason IS NULL) OR (unable_note IS NOT NULL AND length(trim(unable_note)) > 0))
);
-- (stay_id, taken_at, id) is the order every screen reads a stay in; `total` rides along so the
-- trend chart, the census's latest score and the ladder's look-back never touch the table rows.
CREATE INDEX assessment_stay_time ON assessment (stay_id, taken_at, id, total, scale);
-- One scale's own history of a stay, newest first: the ladder's look-back and the census's last
-- score per scale read this (REFERENCE.md section 1: a patient on two scales has two schedules).
CREATE INDEX assessment_stay_scale_time ON assessment (stay_id, scale, taken_at, id, total);

-- A total above its scale's maximum (the sum of each item's highest legal score, from
-- scale_choice: CIWA-Ar 67, COWS 48, CIWA-B 80) is refused.
CREATE TRIGGER assessment_total_in_range BEFORE INSERT ON assessment
WHEN NEW.total IS NOT NULL AND NEW.total > (
    SELECT coalesce(sum(m), 0) FROM (SELECT max(score) AS m FROM scale_choice WHERE scale = NEW.scale GROUP BY item))
BEGIN SELECT RAISE(ABORT, 'the total is above the scale''s maximum'); END;

CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment
BEGIN SELECT RAISE(ABORT, 'a recorded assessment is never edited; record a new one'); END;
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
BEGIN SELECT RAISE(ABORT, 'a recorded assessment is never deleted'); END;

CREATE TABLE assessment_item (
    assessment_id  INTEGER NOT NULL REFERENCES assessment (id),
    scale          TEXT NOT NULL,
    item           TEXT NOT NULL,
    score          INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, item),
    FOREIGN KEY (scale, item, score) REFERENCES scale_choice (scale, item, score)
) WITHOUT ROWID;
-- An item row belongs to an assessment of its own scale (schema version 3).
CREATE TRIGGER assessment_item_same_scale BEFORE INSERT ON assessment_item
WHEN NEW.scale IS NOT (SELECT scale FROM assessment WHERE id = NEW.assessment_id)
BEGIN SELECT RAISE(ABORT, 'an item''s scale must be its assessment''s scale'); END;
CREATE TRIGGER assessment_item_no_update BEFORE UPDATE ON assessment_item
BEGIN SELECT RAISE(ABORT, 'a recorded assessment is never edited'); END;
CREATE TRIGGER assessment_item_no_delete BEFORE DELETE ON assessment_item
BEGIN SELECT RAISE(ABORT, 'a recorded assessment is never deleted'); END;

-- PRN doses given. The dose and drug come from the patient's own order, never from the software
-- (REFERENCE.md section 1); the row records what was given, by whom, when, and which assessment
-- prompted it. A reassessment comes due after it (ladder policy, default 1 h).
CREATE TABLE prn (
    id               INTEGER PRIMARY KEY,
    stay_id          INTEGER NOT NULL REFERENCES stay (id),
    assessment_id    INTEGER REFERENCES assessment (id),
    medication       TEXT NOT NULL CHECK (length(trim(medication)) BETWEEN 1 AND 80),
    dose             TEXT NOT NULL CHECK (length(trim(dose)) BETWEEN 1 AND 40),
    route            TEXT NOT NULL CHECK (route IN ('PO', 'SL', 'IM', 'IV', 'PR', 'other')),
    given_at         TEXT NOT NULL CHECK (given_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    recorded_at      TEXT NOT NULL CHECK (recorded_at >= given_at),
    by_user          INTEGER NOT NULL REFERENCES user (id),
    reassess_due_at  TEXT NOT NULL CHECK (reassess_due_at > given_at),
    ladder_policy    INTEGER REFERENCES policy (id)
);
CREATE INDEX prn_stay_time ON prn (stay_id, given_at);
CREATE TRIGGER prn_no_update BEFORE UPDATE ON prn
BEGIN SELECT RAISE(ABORT, 'a recorded dose is never edited'); END;
CREATE TRIGGER prn_no_delete BEFORE DELETE ON prn
BEGIN SELECT RAISE(ABORT, 'a recorded dose is never deleted'); END;

-- ---------------------------------------------------------------- progress notes

-- A note or an addendum. Unsigned rows are their author's drafts: saved every few seconds,
-- visible to no one else, and discardable. Once signed, a row is final: the triggers below
-- refuse any UPDATE or DELETE, and corrections are addenda (REFERENCE.md section 5).
CREATE TABLE note (
    id                  INTEGER PRIMARY KEY,
    stay_id             INTEGER NOT NULL REFERENCES stay (id),
    kind                TEXT NOT NULL CHECK (kind IN ('note', 'addendum')),
    format              TEXT NOT NULL CHECK (format IN ('SOAP', 'DAP', 'BIRP', 'narrative', 'shift', 'addendum')),
    addendum_to         INTEGER REFERENCES note (id),
    author              INTEGER NOT NULL REFERENCES user (id),
    -- [["Heading","text"], ...] in the template's order
    sections            TEXT NOT NULL CHECK (json_valid(sections)),
    started_at          TEXT NOT NULL,
    saved_at            TEXT NOT NULL,          -- the draft's last autosave
    -- Set once, at signing: when the event happened, when it was signed, by whom as shown then.
    event_at            TEXT,
    signed_at           TEXT,
    author_name         TEXT,
    author_credentials  TEXT,
    hash                TEXT CHECK (hash IS NULL OR length(hash) = 64),
    CHECK ((kind = 'note') = (addendum_to IS NULL)),
    CHECK ((kind = 'addendum') = (format = 'addendum')),
    CHECK ((signed_at IS NULL) = (hash IS NULL)),
    CHECK ((signed_at IS NULL) = (event_at IS NULL)),
    CHECK ((signed_at IS NULL) = (author_name IS NULL)),
    CHECK ((signed_at IS NULL) = (author_credentials IS NULL)),
    CHECK (signed_at IS NULL OR event_at <= signed_at)     -- never charted ahead
);
CREATE INDEX note_stay_event ON note (stay_id, event_at) WHERE signed_at IS NOT NULL;
-- The timeline places an addendum after its note: a stay's addenda alone (schema version 3).
CREATE INDEX note_addendum_stay ON note (stay_id, event_at) WHERE signed_at IS NOT NULL AND kind = 'addendum';
CREATE INDEX note_signed_at ON note (signed_at) WHERE signed_at IS NOT NULL;
CREATE INDEX note_addenda ON note (addendum_to) WHERE addendum_to IS NOT NULL;
CREATE INDEX note_drafts ON note (author, stay_id) WHERE signed_at IS NULL;

CREATE TRIGGER note_signed_is_final BEFORE UPDATE ON note WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed note is never edited; write an addendum'); END;
CREATE TRIGGER note_signed_no_delete BEFORE DELETE ON note WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed note is never deleted'); END;
CREATE TRIGGER note_author_fixed BEFORE UPDATE OF author, stay_id, kind, addendum_to ON note
WHEN NEW.author IS NOT OLD.author OR NEW.stay_id IS NOT OLD.stay_id OR NEW.kind IS NOT OLD.kind
  OR NEW.addendum_to IS NOT OLD.addendum_to
BEGIN SELECT RAISE(ABORT, 'a draft keeps its author, patient and kind'); END;
-- An addendum attaches to an original, signed note of the same stay: never to another addendum.
CREATE TRIGGER note_addendum_to_original BEFORE INSERT ON note WHEN NEW.addendum_to IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an addendum attaches to the original, signed note')
    WHERE NOT EXISTS (SELECT 1 FROM note o WHERE o.id = NEW.addendum_to AND o.kind = 'note'
                      AND o.signed_at IS NOT NULL AND o.stay_id = NEW.stay_id);
END;

-- Full-text search over signed notes only (drafts are private). rowid = note.id.
CREATE VIRTUAL TABLE note_fts USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER note_fts_on_sign AFTER UPDATE OF signed_at ON note
WHEN OLD.signed_at IS NULL AND NEW.signed_at IS NOT NULL
BEGIN
    INSERT INTO note_fts (rowid, body)
    SELECT NEW.id, group_concat(json_extract(value, '$[0]') || ': ' || json_extract(value, '$[1]'), char(10))
    FROM json_each(NEW.sections);
END;

-- ---------------------------------------------------------------- shift handoff (I-PASS)

-- Shifts are ward configuration: each starts at a local wall-clock time and ends when the next
-- one starts (07:00 + 19:00, or 07:00 + 15:00 + 23:00). A night across a DST change is simply
-- longer or shorter in real hours (src/domain/shift.rs).
CREATE TABLE shift_def (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 20),
    starts    TEXT NOT NULL UNIQUE CHECK (starts GLOB '[0-2][0-9]:[0-5][0-9]' AND starts < '24:00')
);
INSERT INTO shift_def (name, starts) VALUES ('Day', '07:00'), ('Night', '19:00');

-- Who looks after which bed in a shift (set during handoff for the shift that follows).
CREATE TABLE assignment (
    id           INTEGER PRIMARY KEY,
    shift_start  TEXT NOT NULL,              -- the shift's first instant, UTC
    bed_id       INTEGER NOT NULL REFERENCES bed (id),
    nurse        INTEGER NOT NULL REFERENCES user (id),
    set_by       INTEGER NOT NULL REFERENCES user (id),
    set_at       TEXT NOT NULL,
    UNIQUE (shift_start, bed_id)
);

-- One patient's I-PASS handoff at the end of a shift. Prepared (and re-prepared) by the outgoing
-- nurse; final once the receiving nurse, identified by their own password, has recorded their
-- synthesis and accepted it (REFERENCE.md section 4).
CREATE TABLE handoff (
    id            INTEGER PRIMARY KEY,
    stay_id       INTEGER NOT NULL REFERENCES stay (id),
    shift_start   TEXT NOT NULL,             -- the outgoing shift, UTC
    severity      TEXT NOT NULL CHECK (severity IN ('stable', 'watcher', 'unstable')),
    summary       TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    situation     TEXT NOT NULL DEFAULT '',
    prepared_by   INTEGER NOT NULL REFERENCES user (id),
    prepared_at   TEXT NOT NULL,
    synthesis     TEXT,
    received_by   INTEGER REFERENCES user (id),
    accepted_at   TEXT,
    UNIQUE (stay_id, shift_start),
    CHECK ((accepted_at IS NULL) = (received_by IS NULL)),
    CHECK ((accepted_at IS NULL) OR (synthesis IS NOT NULL AND length(trim(synthesis)) > 0)),
    CHECK (received_by IS NULL OR received_by <> prepared_by)
);
CREATE INDEX handoff_shift ON handoff (shift_start);
CREATE TRIGGER handoff_accepted_is_final BEFORE UPDATE ON handoff WHEN OLD.accepted_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an accepted handoff is final'); END;
CREATE TRIGGER handoff_no_delete BEFORE DELETE ON handoff
BEGIN SELECT RAISE(ABORT, 'handoffs are never deleted'); END;

-- I-PASS action list: to-dos with an owner and a time. An item stays open, and is carried into
-- every handoff of the stay, until someone closes it.
CREATE TABLE action_item (
    id           INTEGER PRIMARY KEY,
    stay_id      INTEGER NOT NULL REFERENCES stay (id),
    what         TEXT NOT NULL CHECK (length(trim(what)) BETWEEN 1 AND 200),
    owner        TEXT NOT NULL CHECK (length(trim(owner)) BETWEEN 1 AND 80),
    due_at       TEXT NOT NULL,
    created_by   INTEGER NOT NULL REFERENCES user (id),
    created_at   TEXT NOT NULL,
    closed_by    INTEGER REFERENCES user (id),
    closed_at    TEXT,
    close_note   TEXT,
    CHECK ((closed_at IS NULL) = (closed_by IS NULL))
);
CREATE INDEX action_item_open ON action_item (stay_id) WHERE closed_at IS NULL;
CREATE TRIGGER action_item_closed_is_final BEFORE UPDATE ON action_item WHEN OLD.closed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed action item is final'); END;
CREATE TRIGGER action_item_no_delete BEFORE DELETE ON action_item
BEGIN SELECT RAISE(ABORT, 'action items are never deleted; close them'); END;

-- ---------------------------------------------------------------- observation rounds (issue 9)

-- One safety check of one patient: where they were and how, seen by whom, when (the moment the
-- nurse recorded it). Each check is saved in its own transaction as it is made. Never edited or
-- deleted: a mistaken check is corrected by a new check that names it (`supersedes`), and both
-- stay in the record. When checks fall due, and what counts as late or missed, is defined in
-- src/domain/rounds.rs.
CREATE TABLE obs_check (
    id          INTEGER PRIMARY KEY,
    stay_id     INTEGER NOT NULL REFERENCES stay (id),
    checked_at  TEXT NOT NULL CHECK (checked_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    by_user     INTEGER NOT NULL REFERENCES user (id),
    level       TEXT NOT NULL REFERENCES observation_level (code),   -- the level in force
    location    TEXT NOT NULL CHECK (location IN ('room', 'bathroom', 'day_room', 'group', 'dining',
                                                  'station', 'hallway', 'off_unit', 'not_found')),
    state       TEXT CHECK (state IN ('asleep_breathing', 'calm', 'withdrawn', 'agitated', 'distressed',
                                      'with_staff', 'no_staff')),
    supersedes  INTEGER REFERENCES obs_check (id),
    -- a patient not found has no state; off the unit is with or without staff, and only there
    CHECK ((location = 'not_found') = (state IS NULL)),
    CHECK ((location = 'off_unit') = coalesce(state IN ('with_staff', 'no_staff'), 0))
);
CREATE INDEX obs_check_stay_time ON obs_check (stay_id, checked_at);
-- A check is corrected at most once (a correction of a correction names the correction).
CREATE UNIQUE INDEX obs_check_superseded ON obs_check (supersedes) WHERE supersedes IS NOT NULL;
CREATE TRIGGER obs_check_no_update BEFORE UPDATE ON obs_check
BEGIN SELECT RAISE(ABORT, 'a recorded check is never edited; record a correcting check'); END;
CREATE TRIGGER obs_check_no_delete BEFORE DELETE ON obs_check
BEGIN SELECT RAISE(ABORT, 'a recorded check is never deleted'); END;
CREATE TRIGGER obs_check_corrects_same_stay BEFORE INSERT ON obs_check WHEN NEW.supersedes IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a correction replaces an earlier check of the same patient')
    WHERE NOT EXISTS (SELECT 1 FROM obs_check o WHERE o.id = NEW.supersedes AND o.stay_id = NEW.stay_id
                      AND o.checked_at <= NEW.checked_at);
END;

-- An exception seen on a check (patient not found, off unit without staff, distressed,
-- agitated) stays open on every screen until someone acknowledges it, saying what was done.
-- Acknowledgement is written once and is then final.
CREATE TABLE obs_alert (
    check_id   INTEGER PRIMARY KEY REFERENCES obs_check (id),
    stay_id    INTEGER NOT NULL REFERENCES stay (id),
    raised_at  TEXT NOT NULL,
    why        TEXT NOT NULL CHECK (length(why) BETWEEN 1 AND 60),
    acked_at   TEXT,
    acked_by   INTEGER REFERENCES user (id),
    ack_note   TEXT CHECK (ack_note IS NULL OR length(trim(ack_note)) BETWEEN 1 AND 200),
    CHECK ((acked_at IS NULL) = (acked_by IS NULL)),
    CHECK ((acked_at IS NULL) = (ack_note IS NULL)),
    CHECK (acked_at IS NULL OR acked_at >= raised_at)
);
CREATE INDEX obs_alert_open ON obs_alert (raised_at) WHERE acked_at IS NULL;
CREATE INDEX obs_alert_stay ON obs_alert (stay_id, raised_at);
CREATE TRIGGER obs_alert_acked_is_final BEFORE UPDATE ON obs_alert WHEN OLD.acked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an acknowledged alert is final'); END;
CREATE TRIGGER obs_alert_fixed BEFORE UPDATE OF check_id, stay_id, raised_at, why ON obs_alert
WHEN NEW.check_id IS NOT OLD.check_id OR NEW.stay_id IS NOT OLD.stay_id
  OR NEW.raised_at IS NOT OLD.raised_at OR NEW.why IS NOT OLD.why
BEGIN SELECT RAISE(ABORT, 'what an alert said, and when, is never rewritten'); END;
CREATE TRIGGER obs_alert_no_delete BEFORE DELETE ON obs_alert
BEGIN SELECT RAISE(ABORT, 'an alert is never deleted; acknowledge it'); END;

-- ---------------------------------------------------------------- treatment plan, schedule, aftercare (issue 10)

-- A stay's treatment plan is a sequence of versions: a change is a new version (numbered 1, 2,
-- ... per stay, no gaps), never an edit; every version stays readable. Interventions belong to
-- one version, one line per modality, and are written with it.
CREATE TABLE plan_version (
    id        INTEGER PRIMARY KEY,
    stay_id   INTEGER NOT NULL REFERENCES stay (id),
    version   INTEGER NOT NULL CHECK (version >= 1),
    problems  TEXT NOT NULL CHECK (length(trim(problems)) BETWEEN 1 AND 1000),
    goals     TEXT NOT NULL CHECK (length(trim(goals)) BETWEEN 1 AND 1000),
    set_by    INTEGER NOT NULL REFERENCES user (id),
    set_at    TEXT NOT NULL CHECK (set_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    UNIQUE (stay_id, version)
);
CREATE TRIGGER plan_version_in_sequence BEFORE INSERT ON plan_version
BEGIN
    SELECT RAISE(ABORT, 'a plan version follows the last one (no gaps, no rewrites)')
    WHERE NEW.version IS NOT (SELECT coalesce(max(version), 0) + 1 FROM plan_version WHERE stay_id = NEW.stay_id);
    SELECT RAISE(ABORT, 'a discharged stay is final')
    WHERE (SELECT discharged_at FROM stay WHERE id = NEW.stay_id) IS NOT NULL;
END;
CREATE TRIGGER plan_version_no_update BEFORE UPDATE ON plan_version
BEGIN SELECT RAISE(ABORT, 'a plan version is never edited; save a new version'); END;
CREATE TRIGGER plan_version_no_delete BEFORE DELETE ON plan_version
BEGIN SELECT RAISE(ABORT, 'a plan version is never deleted'); END;

CREATE TABLE plan_intervention (
    plan_id   INTEGER NOT NULL REFERENCES plan_version (id),
    modality  TEXT NOT NULL CHECK (modality IN ('individual', 'group', 'family', 'cbt', 'dbt', 'holistic',
                                                'life_skills', 'mat')),
    detail    TEXT NOT NULL CHECK (length(trim(detail)) BETWEEN 1 AND 300),
    PRIMARY KEY (plan_id, modality)
) WITHOUT ROWID;
-- Only the newest version of a stay's plan can still receive its interventions.
CREATE TRIGGER plan_intervention_to_newest BEFORE INSERT ON plan_intervention
BEGIN
    SELECT RAISE(ABORT, 'interventions are written with their own (newest) plan version')
    WHERE EXISTS (SELECT 1 FROM plan_version o JOIN plan_version n ON n.stay_id = o.stay_id
                  WHERE o.id = NEW.plan_id AND n.version > o.version);
END;
CREATE TRIGGER plan_intervention_no_update BEFORE UPDATE ON plan_intervention
BEGIN SELECT RAISE(ABORT, 'a plan version is never edited; save a new version'); END;
CREATE TRIGGER plan_intervention_no_delete BEFORE DELETE ON plan_intervention
BEGIN SELECT RAISE(ABORT, 'a plan version is never deleted'); END;

-- The ward's therapy schedule: one row per session; invited = every patient (for_all) or the
-- stays listed in therapy_session_patient. Sessions are planned ahead, so starts_at may be later
-- than created_at.
CREATE TABLE therapy_session (
    id           INTEGER PRIMARY KEY,
    starts_at    TEXT NOT NULL CHECK (starts_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    modality     TEXT NOT NULL CHECK (modality IN ('individual', 'group', 'family', 'cbt', 'dbt', 'holistic',
                                                   'life_skills', 'mat')),
    title        TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 60),
    facilitator  TEXT NOT NULL CHECK (length(trim(facilitator)) BETWEEN 1 AND 60),
    for_all      INTEGER NOT NULL CHECK (for_all IN (0, 1)),
    created_by   INTEGER NOT NULL REFERENCES user (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX therapy_session_time ON therapy_session (starts_at);
CREATE TRIGGER therapy_session_no_update BEFORE UPDATE ON therapy_session
BEGIN SELECT RAISE(ABORT, 'a scheduled session is never edited'); END;
CREATE TRIGGER therapy_session_no_delete BEFORE DELETE ON therapy_session
BEGIN SELECT RAISE(ABORT, 'a scheduled session is never deleted'); END;

CREATE TABLE therapy_session_patient (
    session_id  INTEGER NOT NULL REFERENCES therapy_session (id),
    stay_id     INTEGER NOT NULL REFERENCES stay (id),
    PRIMARY KEY (session_id, stay_id)
) WITHOUT ROWID;
CREATE TRIGGER therapy_session_patient_no_update BEFORE UPDATE ON therapy_session_patient
BEGIN SELECT RAISE(ABORT, 'a scheduled session is never edited'); END;
CREATE TRIGGER therapy_session_patient_no_delete BEFORE DELETE ON therapy_session_patient
BEGIN SELECT RAISE(ABORT, 'a scheduled session is never deleted'); END;

-- Attendance of one patient at one session, append-only: recording again adds a row (the latest
-- counts; every earlier one stays). Never for a session that has not started, never for a
-- discharged patient, never for a patient the session did not invite.
CREATE TABLE attendance (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES therapy_session (id),
    stay_id      INTEGER NOT NULL REFERENCES stay (id),
    status       TEXT NOT NULL CHECK (status IN ('attended', 'partial', 'refused', 'excused_medical', 'asleep')),
    comment      TEXT CHECK (comment IS NULL OR length(trim(comment)) BETWEEN 1 AND 120),
    recorded_at  TEXT NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    by_user      INTEGER NOT NULL REFERENCES user (id)
);
CREATE INDEX attendance_session ON attendance (session_id, stay_id, id);
CREATE INDEX attendance_stay_time ON attendance (stay_id, recorded_at);
CREATE TRIGGER attendance_rules BEFORE INSERT ON attendance
BEGIN
    SELECT RAISE(ABORT, 'attendance cannot be recorded for a session that has not started')
    WHERE (SELECT starts_at FROM therapy_session WHERE id = NEW.session_id) > NEW.recorded_at;
    SELECT RAISE(ABORT, 'attendance cannot be recorded for a discharged patient')
    WHERE (SELECT discharged_at FROM stay WHERE id = NEW.stay_id) IS NOT NULL;
    SELECT RAISE(ABORT, 'this patient is not on the session''s list')
    WHERE NOT EXISTS (SELECT 1 FROM therapy_session s WHERE s.id = NEW.session_id AND s.for_all = 1)
      AND NOT EXISTS (SELECT 1 FROM therapy_session_patient p
                      WHERE p.session_id = NEW.session_id AND p.stay_id = NEW.stay_id);
END;
CREATE TRIGGER attendance_no_update BEFORE UPDATE ON attendance
BEGIN SELECT RAISE(ABORT, 'recorded attendance is never edited; record it again'); END;
CREATE TRIGGER attendance_no_delete BEFORE DELETE ON attendance
BEGIN SELECT RAISE(ABORT, 'recorded attendance is never deleted'); END;

-- Aftercare readiness: each toggle of a checklist item is a new row with who and when (the
-- latest per item counts). Items are fixed by the CHECK (src/domain/aftercare.rs).
CREATE TABLE aftercare_mark (
    id       INTEGER PRIMARY KEY,
    stay_id  INTEGER NOT NULL REFERENCES stay (id),
    item     TEXT NOT NULL CHECK (item IN ('outpatient', 'support_group', 'relapse_plan', 'housing_transport',
                                           'medications', 'emergency_contacts')),
    done     INTEGER NOT NULL CHECK (done IN (0, 1)),
    at       TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    by_user  INTEGER NOT NULL REFERENCES user (id)
);
CREATE INDEX aftercare_mark_stay ON aftercare_mark (stay_id, item, id);
CREATE TRIGGER aftercare_mark_open_stay BEFORE INSERT ON aftercare_mark
BEGIN
    SELECT RAISE(ABORT, 'a discharged stay is final')
    WHERE (SELECT discharged_at FROM stay WHERE id = NEW.stay_id) IS NOT NULL;
END;
CREATE TRIGGER aftercare_mark_no_update BEFORE UPDATE ON aftercare_mark
BEGIN SELECT RAISE(ABORT, 'an aftercare mark is never edited; toggle it again'); END;
CREATE TRIGGER aftercare_mark_no_delete BEFORE DELETE ON aftercare_mark
BEGIN SELECT RAISE(ABORT, 'an aftercare mark is never deleted'); END;

-- ---------------------------------------------------------------- risk screens (version 5)

-- Every legal (kind, item, answer) of the risk screens and its points, as scale_choice is for the
-- withdrawal scales: the database refuses an answer a screen does not have. Generated from
-- src/domain/screen.rs (choices()); tests/store.rs checks this table against it row for row.
-- The key columns come first (SQLite 3.40 misreads NOT NULL columns placed before the key of a
-- WITHOUT ROWID table).
CREATE TABLE screen_choice (
    kind    TEXT NOT NULL,
    item    TEXT NOT NULL,
    answer  TEXT NOT NULL,
    points  INTEGER NOT NULL CHECK (points BETWEEN -5 AND 30),
    PRIMARY KEY (kind, item, answer)
) WITHOUT ROWID;
INSERT INTO screen_choice (kind, item, answer, points) VALUES
  ('cssrs','q1','yes',0),
  ('cssrs','q1','no',0),
  ('cssrs','q2','yes',0),
  ('cssrs','q2','no',0),
  ('cssrs','q3','yes',0),
  ('cssrs','q3','no',0),
  ('cssrs','q4','yes',0),
  ('cssrs','q4','no',0),
  ('cssrs','q5','yes',0),
  ('cssrs','q5','no',0),
  ('cssrs','q6','yes',0),
  ('cssrs','q6','no',0),
  ('cssrs','q6b','yes',0),
  ('cssrs','q6b','no',0),
  ('morse','history','0',0),
  ('morse','history','25',25),
  ('morse','secondary_dx','0',0),
  ('morse','secondary_dx','15',15),
  ('morse','aid','0',0),
  ('morse','aid','15',15),
  ('morse','aid','30',30),
  ('morse','iv','0',0),
  ('morse','iv','20',20),
  ('morse','gait','0',0),
  ('morse','gait','10',10),
  ('morse','gait','20',20),
  ('morse','mental','0',0),
  ('morse','mental','15',15),
  ('sows','anxious','0',0),
  ('sows','anxious','1',1),
  ('sows','anxious','2',2),
  ('sows','anxious','3',3),
  ('sows','anxious','4',4),
  ('sows','yawning','0',0),
  ('sows','yawning','1',1),
  ('sows','yawning','2',2),
  ('sows','yawning','3',3),
  ('sows','yawning','4',4),
  ('sows','perspiring','0',0),
  ('sows','perspiring','1',1),
  ('sows','perspiring','2',2),
  ('sows','perspiring','3',3),
  ('sows','perspiring','4',4),
  ('sows','teary','0',0),
  ('sows','teary','1',1),
  ('sows','teary','2',2),
  ('sows','teary','3',3),
  ('sows','teary','4',4),
  ('sows','nose','0',0),
  ('sows','nose','1',1),
  ('sows','nose','2',2),
  ('sows','nose','3',3),
  ('sows','nose','4',4),
  ('sows','goosebumps','0',0),
  ('sows','goosebumps','1',1),
  ('sows','goosebumps','2',2),
  ('sows','goosebumps','3',3),
  ('sows','goosebumps','4',4),
  ('sows','shaking','0',0),
  ('sows','shaking','1',1),
  ('sows','shaking','2',2),
  ('sows','shaking','3',3),
  ('sows','shaking','4',4),
  ('sows','hot_flushes','0',0),
  ('sows','hot_flushes','1',1),
  ('sows','hot_flushes','2',2),
  ('sows','hot_flushes','3',3),
  ('sows','hot_flushes','4',4),
  ('sows','cold_flushes','0',0),
  ('sows','cold_flushes','1',1),
  ('sows','cold_flushes','2',2),
  ('sows','cold_flushes','3',3),
  ('sows','cold_flushes','4',4),
  ('sows','aches','0',0),
  ('sows','aches','1',1),
  ('sows','aches','2',2),
  ('sows','aches','3',3),
  ('sows','aches','4',4),
  ('sows','restless','0',0),
  ('sows','restless','1',1),
  ('sows','restless','2',2),
  ('sows','restless','3',3),
  ('sows','restless','4',4),
  ('sows','nauseous','0',0),
  ('sows','nauseous','1',1),
  ('sows','nauseous','2',2),
  ('sows','nauseous','3',3),
  ('sows','nauseous','4',4),
  ('sows','vomiting','0',0),
  ('sows','vomiting','1',1),
  ('sows','vomiting','2',2),
  ('sows','vomiting','3',3),
  ('sows','vomiting','4',4),
  ('sows','twitch','0',0),
  ('sows','twitch','1',1),
  ('sows','twitch','2',2),
  ('sows','twitch','3',3),
  ('sows','twitch','4',4),
  ('sows','cramps','0',0),
  ('sows','cramps','1',1),
  ('sows','cramps','2',2),
  ('sows','cramps','3',3),
  ('sows','cramps','4',4),
  ('sows','using','0',0),
  ('sows','using','1',1),
  ('sows','using','2',2),
  ('sows','using','3',3),
  ('sows','using','4',4),
  ('rass','level','4',4),
  ('rass','level','3',3),
  ('rass','level','2',2),
  ('rass','level','1',1),
  ('rass','level','0',0),
  ('rass','level','-1',-1),
  ('rass','level','-2',-2),
  ('rass','level','-3',-3),
  ('rass','level','-4',-4),
  ('rass','level','-5',-5),
  ('pawss','gate_alcohol','yes',0),
  ('pawss','gate_alcohol','no',0),
  ('pawss','gate_bal','positive',0),
  ('pawss','gate_bal','negative',0),
  ('pawss','gate_bal','not done',0),
  ('pawss','intoxicated_30d','yes',1),
  ('pawss','intoxicated_30d','no',0),
  ('pawss','rehab','yes',1),
  ('pawss','rehab','no',0),
  ('pawss','withdrawal','yes',1),
  ('pawss','withdrawal','no',0),
  ('pawss','blackouts','yes',1),
  ('pawss','blackouts','no',0),
  ('pawss','seizures','yes',1),
  ('pawss','seizures','no',0),
  ('pawss','dts','yes',1),
  ('pawss','dts','no',0),
  ('pawss','downers_90d','yes',1),
  ('pawss','downers_90d','no',0),
  ('pawss','other_90d','yes',1),
  ('pawss','other_90d','no',0),
  ('pawss','bal_200','yes',1),
  ('pawss','bal_200','no',0),
  ('pawss','autonomic','yes',1),
  ('pawss','autonomic','no',0);
CREATE TRIGGER screen_choice_fixed_insert BEFORE INSERT ON screen_choice WHEN (SELECT count(*) FROM screen_choice) >= 143
BEGIN SELECT RAISE(ABORT, 'the screens'' choices are fixed by the program'); END;
CREATE TRIGGER screen_choice_fixed_update BEFORE UPDATE ON screen_choice
BEGIN SELECT RAISE(ABORT, 'the screens'' choices are fixed by the program'); END;
CREATE TRIGGER screen_choice_fixed_delete BEFORE DELETE ON screen_choice
BEGIN SELECT RAISE(ABORT, 'the screens'' choices are fixed by the program'); END;

-- One recorded screen: C-SSRS (triage), Morse (total and the unit's band), RASS (-5..+4), SOWS
-- (0-64, its own series: never in COWS's ladder) or PAWSS (0-10, or "not applicable" with no
-- total: never 0). Recorded whole, never drafted; immutable and sealed in the ledger. The author's
-- name and credentials are kept as they were at recording.
CREATE TABLE screen (
    id                  INTEGER PRIMARY KEY,
    stay_id             INTEGER NOT NULL REFERENCES stay (id),
    kind                TEXT NOT NULL CHECK (kind IN ('cssrs', 'morse', 'rass', 'sows', 'pawss')),
    taken_at            TEXT NOT NULL CHECK (taken_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    recorded_at         TEXT NOT NULL CHECK (recorded_at >= taken_at),   -- never charted ahead
    by_user             INTEGER NOT NULL REFERENCES user (id),
    author_name         TEXT NOT NULL CHECK (length(trim(author_name)) > 0),
    author_credentials  TEXT NOT NULL,
    occasion            TEXT NOT NULL CHECK (occasion IN ('admission', 'routine', 'after-fall', 'with-score', 'change')),
    total               INTEGER,
    result              TEXT NOT NULL CHECK (length(result) BETWEEN 1 AND 60),
    bands_policy        INTEGER REFERENCES policy (id),       -- Morse: the unit's band set that named the band
    assessment_id       INTEGER REFERENCES assessment (id),   -- RASS or SOWS beside a withdrawal score
    decision            TEXT,                                  -- C-SSRS high risk: what the nurse decided
    comment             TEXT,
    -- REFERENCE.md §3a: C-SSRS triages low / moderate / high (and "none": TODO(clinical)).
    CHECK (kind <> 'cssrs' OR (total IS NULL AND result IN ('none', 'low', 'moderate', 'high'))),
    -- High risk: "immediate safety measures and notify the provider": the decision is recorded.
    CHECK ((kind = 'cssrs' AND result = 'high') = (decision IS NOT NULL AND length(trim(decision)) > 0)),
    CHECK (kind <> 'morse' OR (total BETWEEN 0 AND 125 AND bands_policy IS NOT NULL)),   -- §3a "Total 0-125"
    CHECK (kind <> 'rass' OR total BETWEEN -5 AND 4),                                    -- §3 "-5 to +4"
    CHECK (kind <> 'sows' OR total BETWEEN 0 AND 64),                                    -- §3 "total 0-64"
    -- §3: "not applicable", never 0; "Total >= 4: high risk of complicated withdrawal".
    CHECK (kind <> 'pawss' OR (result = 'not applicable' AND total IS NULL)
                          OR (result = 'high risk' AND total BETWEEN 4 AND 10)
                          OR (result = 'not high risk' AND total BETWEEN 0 AND 3)),
    CHECK (kind IN ('rass', 'sows') OR assessment_id IS NULL)
);
-- A stay's latest screen of a kind (the census, the handoff) and its timeline.
CREATE INDEX screen_stay_kind_time ON screen (stay_id, kind, taken_at, id);
CREATE INDEX screen_stay_time ON screen (stay_id, taken_at, id);
CREATE TRIGGER screen_no_update BEFORE UPDATE ON screen
BEGIN SELECT RAISE(ABORT, 'a recorded screen is never edited; record a new one'); END;
CREATE TRIGGER screen_no_delete BEFORE DELETE ON screen
BEGIN SELECT RAISE(ABORT, 'a recorded screen is never deleted'); END;

CREATE TABLE screen_item (
    screen_id  INTEGER NOT NULL REFERENCES screen (id),
    item       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    answer     TEXT NOT NULL,
    PRIMARY KEY (screen_id, item),
    FOREIGN KEY (kind, item, answer) REFERENCES screen_choice (kind, item, answer)
) WITHOUT ROWID;
CREATE TRIGGER screen_item_same_kind BEFORE INSERT ON screen_item
WHEN NEW.kind IS NOT (SELECT kind FROM screen WHERE id = NEW.screen_id)
BEGIN SELECT RAISE(ABORT, 'an answer''s screen kind must be its screen''s'); END;
CREATE TRIGGER screen_item_no_update BEFORE UPDATE ON screen_item
BEGIN SELECT RAISE(ABORT, 'a recorded screen is never edited'); END;
CREATE TRIGGER screen_item_no_delete BEFORE DELETE ON screen_item
BEGIN SELECT RAISE(ABORT, 'a recorded screen is never deleted'); END;

-- PAWSS is recorded item by item as a screen from version 5; a typed total is refused. Stays
-- admitted before keep the total they were admitted with.
CREATE TRIGGER stay_pawss_is_itemised BEFORE INSERT ON stay WHEN NEW.pawss IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'PAWSS is recorded item by item (a PAWSS screen), never typed as a total'); END;

-- ---------------------------------------------------------------- admission assessment (version 5)

-- The admission nursing assessment (REFERENCE.md §8) and its addenda. body is the sections as
-- JSON (src/domain/admission.rs): each {"status": "answered", "value": ...} or {"status":
-- "not_assessed", "value": {"reason": ...}}; a draft may hold "unanswered" sections. An unsigned
-- row is its author's draft, saved every few seconds; once signed it is final and sealed, and a
-- correction or a section given later is a signed addendum (addendum_to) carrying only the
-- sections it gives, with its own words (note).
CREATE TABLE admission_assessment (
    id                  INTEGER PRIMARY KEY,
    stay_id             INTEGER NOT NULL REFERENCES stay (id),
    addendum_to         INTEGER REFERENCES admission_assessment (id),
    author              INTEGER NOT NULL REFERENCES user (id),
    body                TEXT NOT NULL CHECK (json_valid(body)),
    note                TEXT,
    started_at          TEXT NOT NULL CHECK (started_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    saved_at            TEXT NOT NULL CHECK (saved_at >= started_at),
    signed_at           TEXT CHECK (signed_at IS NULL OR signed_at >= started_at),
    author_name         TEXT,
    author_credentials  TEXT,
    CHECK ((signed_at IS NULL) = (author_name IS NULL)),
    CHECK ((signed_at IS NULL) = (author_credentials IS NULL)),
    -- An addendum is written signed, and says why.
    CHECK (addendum_to IS NULL OR (signed_at IS NOT NULL AND note IS NOT NULL AND length(trim(note)) > 0)),
    -- The form as typed is a draft's only (src/domain/admission.rs, `form`): never signed.
    CHECK (signed_at IS NULL OR json_type(body, '$.form') IS NULL),
    -- Signed, every section is answered or not assessed: none is left blank (REFERENCE.md §8).
    CHECK (signed_at IS NULL OR addendum_to IS NOT NULL OR (
        json_extract(body, '$.substances.status') IN ('answered', 'not_assessed') AND
        json_extract(body, '$.withdrawal.status') IN ('answered', 'not_assessed') AND
        json_extract(body, '$.medical.status') IN ('answered', 'not_assessed') AND
        json_extract(body, '$.psychiatric.status') IN ('answered', 'not_assessed') AND
        json_extract(body, '$.arrival.status') IN ('answered', 'not_assessed')))
);
-- One admission assessment per stay; addenda as many as needed.
CREATE UNIQUE INDEX admission_one_per_stay ON admission_assessment (stay_id) WHERE addendum_to IS NULL;
CREATE INDEX admission_addenda ON admission_assessment (addendum_to, signed_at) WHERE addendum_to IS NOT NULL;
-- A stay's assessment with its addenda in one read (the census board).
CREATE INDEX admission_stay ON admission_assessment (stay_id, signed_at);
CREATE TRIGGER admission_signed_is_final BEFORE UPDATE ON admission_assessment WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed admission assessment is never edited; write an addendum'); END;
CREATE TRIGGER admission_signed_no_delete BEFORE DELETE ON admission_assessment WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed admission assessment is never deleted'); END;
CREATE TRIGGER admission_author_fixed BEFORE UPDATE OF author, stay_id, addendum_to ON admission_assessment
WHEN NEW.author IS NOT OLD.author OR NEW.stay_id IS NOT OLD.stay_id OR NEW.addendum_to IS NOT OLD.addendum_to
BEGIN SELECT RAISE(ABORT, 'a draft keeps its author and patient'); END;
CREATE TRIGGER admission_addendum_to_signed BEFORE INSERT ON admission_assessment WHEN NEW.addendum_to IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'an addendum attaches to the signed admission assessment of the same stay')
    WHERE NOT EXISTS (SELECT 1 FROM admission_assessment o WHERE o.id = NEW.addendum_to AND o.addendum_to IS NULL
                      AND o.signed_at IS NOT NULL AND o.stay_id = NEW.stay_id);
END;

-- ---------------------------------------------------------------- medication orders (version 6)

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


-- ---------------------------------------------------------------- the ledger's kinds (version 5)

-- The kinds of record the hash chain covers, as rows: a later version that seals another kind adds
-- a row instead of rebuilding the ledger for a wider CHECK. Version 5 adds the risk screens and
-- the admission assessment (signed originals and addenda).
CREATE TABLE ledger_kind (kind TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO ledger_kind (kind) VALUES ('note'), ('assessment'), ('prn'), ('handoff'), ('stay_event'), ('screen'), ('admission'),
    ('med_order'), ('med_order_stop'), ('med_admin'), ('vital_sign'), ('provider_call'), ('clinical_event');
CREATE TRIGGER ledger_kind_no_update BEFORE UPDATE ON ledger_kind
BEGIN SELECT RAISE(ABORT, 'a sealed kind is never renamed'); END;
CREATE TRIGGER ledger_kind_no_delete BEFORE DELETE ON ledger_kind
BEGIN SELECT RAISE(ABORT, 'a sealed kind is never removed'); END;

-- ---------------------------------------------------------------- tamper evidence

-- A hash chain over every signed record (REFERENCE.md section 6, integrity). content_hash is the
-- SHA-256 of the record's canonical serialization; hash covers prev_hash, the kind, the id and
-- content_hash (src/domain/ledger.rs). `wardterm verify` recomputes both and names the first
-- record that no longer matches.
-- Since version 4 every stay_event (a change of a stay: transfer, level of care, observation,
-- discharge, allergies, precautions, code status) is sealed too; sealed_at_upgrade is 1 for a
-- record that was written before version 4 and sealed by the upgrade, 0 for one sealed in the
-- transaction that wrote it.
CREATE TABLE ledger (
    seq               INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL REFERENCES ledger_kind (kind),
    record_id         INTEGER NOT NULL,
    content_hash      TEXT NOT NULL CHECK (length(content_hash) = 64),
    prev_hash         TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash              TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
    at                TEXT NOT NULL,
    sealed_at_upgrade INTEGER NOT NULL DEFAULT 0 CHECK (sealed_at_upgrade IN (0, 1)),
    UNIQUE (kind, record_id)
);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- ---------------------------------------------------------------- audit

-- Who read or wrote which record, append-only (HIPAA 45 CFR 164.312(b); REFERENCE.md section 6).
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES user (id),     -- NULL only for a failed sign-in of an unknown name
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 40),
    patient_id  INTEGER REFERENCES patient (id),
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_patient ON audit (patient_id, at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_user ON audit (user_id, at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
