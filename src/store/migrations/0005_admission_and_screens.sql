-- Schema version 5: the admission assessment and the risk screens (issue 16; REFERENCE.md §3,
-- §3a, §8). Frozen once released; schema.sql holds the same DDL.
--
-- New: the unit's screening intervals on `ward`; `screen_choice`, `screen` and `screen_item` (C-SSRS,
-- Morse, RASS, SOWS, PAWSS item by item, the database refusing an answer a screen does not have);
-- `admission_assessment` (drafts, signing, addenda); a typed PAWSS total refused on new stays;
-- the ledger's kinds as a table (`ledger_kind`), which means rebuilding the ledger once more (SQLite
-- cannot drop a CHECK), keeping every entry as it was.
-- ---------------------------------------------------------------- risk screens (version 5)

-- How often the unit screens (REFERENCE.md §3a: C-SSRS "at admission and each shift"; Morse "at
-- admission, after a fall, and when the unit's interval says"): hours between screens, 0 for
-- admission only. The census marks a screen overdue past its interval.
ALTER TABLE ward ADD COLUMN cssrs_every_hours INTEGER NOT NULL DEFAULT 12 CHECK (cssrs_every_hours BETWEEN 0 AND 168);
ALTER TABLE ward ADD COLUMN morse_every_hours INTEGER NOT NULL DEFAULT 24 CHECK (morse_every_hours BETWEEN 0 AND 720);

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

-- ---------------------------------------------------------------- the ledger's kinds (version 5)

-- The kinds of record the hash chain covers, as rows: a later version that seals another kind adds
-- a row instead of rebuilding the ledger for a wider CHECK. Version 5 adds the risk screens and
-- the admission assessment (signed originals and addenda).
CREATE TABLE ledger_kind (kind TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT INTO ledger_kind (kind) VALUES ('note'), ('assessment'), ('prn'), ('handoff'), ('stay_event'), ('screen'), ('admission');
CREATE TRIGGER ledger_kind_no_update BEFORE UPDATE ON ledger_kind
BEGIN SELECT RAISE(ABORT, 'a sealed kind is never renamed'); END;
CREATE TRIGGER ledger_kind_no_delete BEFORE DELETE ON ledger_kind
BEGIN SELECT RAISE(ABORT, 'a sealed kind is never removed'); END;

CREATE TABLE ledger_v5 (
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
INSERT INTO ledger_v5 (seq, kind, record_id, content_hash, prev_hash, hash, at, sealed_at_upgrade)
SELECT seq, kind, record_id, content_hash, prev_hash, hash, at, sealed_at_upgrade FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_v5 RENAME TO ledger;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- The Morse Fall Scale's bands are unit configuration (REFERENCE.md §3a: "Cut-offs vary by
-- institution (a common set: 0-24 low, 25-44 moderate, 45+ high)"): a ward starts on the common
-- set as policy version 1 and may set its own.
INSERT INTO policy (scale, kind, version, body, created_at, created_by)
SELECT 'morse', 'bands', 1, '{"bands":[{"min":0,"max":24,"label":"low"},{"min":25,"max":44,"label":"moderate"},{"min":45,"max":125,"label":"high"}]}', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NULL
WHERE EXISTS (SELECT 1 FROM ward) AND NOT EXISTS (SELECT 1 FROM policy WHERE scale = 'morse' AND kind = 'bands');
