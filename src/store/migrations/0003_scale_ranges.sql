-- Schema version 3 (issue 14): each scale is its own series, and the database enforces each
-- scale's range. Frozen once released; schema.sql holds the same DDL for new databases.

-- One scale's own history of a stay, newest first: the ladder's look-back and the census's last
-- score per scale read this (REFERENCE.md section 1: a patient on two scales has two schedules).
CREATE INDEX assessment_stay_scale_time ON assessment (stay_id, scale, taken_at, id, total);
-- The trend chart draws one line per scale: it reads the scale from the index, not the rows.
DROP INDEX assessment_stay_time;
CREATE INDEX assessment_stay_time ON assessment (stay_id, taken_at, id, total, scale);
-- The timeline places an addendum after its note: a stay's addenda alone, not all its notes.
CREATE INDEX note_addendum_stay ON note (stay_id, event_at) WHERE signed_at IS NOT NULL AND kind = 'addendum';

-- A total above its scale's maximum (the sum of each item's highest legal score, from
-- scale_choice: CIWA-Ar 67, COWS 48, CIWA-B 80) is refused.
CREATE TRIGGER assessment_total_in_range BEFORE INSERT ON assessment
WHEN NEW.total IS NOT NULL AND NEW.total > (
    SELECT coalesce(sum(m), 0) FROM (SELECT max(score) AS m FROM scale_choice WHERE scale = NEW.scale GROUP BY item))
BEGIN SELECT RAISE(ABORT, 'the total is above the scale''s maximum'); END;

-- An item row belongs to an assessment of its own scale.
CREATE TRIGGER assessment_item_same_scale BEFORE INSERT ON assessment_item
WHEN NEW.scale IS NOT (SELECT scale FROM assessment WHERE id = NEW.assessment_id)
BEGIN SELECT RAISE(ABORT, 'an item''s scale must be its assessment''s scale'); END;

-- The shipped defaults move on where a ward still runs the old ones (never where it chose its
-- own): a new policy version, so every earlier assessment keeps the version that scored it.
-- CIWA-Ar: the 20+ rung keeps "PRN per order" beside "notify provider" (REFERENCE.md section 1),
-- every rung names its source, a step-down check counts only at its interval (15 min grace, a
-- unit default), and delirious or sedated "unable to assess" prompts the provider.
INSERT INTO policy (scale, kind, version, body, created_at, created_by)
SELECT scale, kind, version + 1, '{"scale":"ciwa-ar","rungs":[{"min_total":0,"reassess_minutes":120,"prompts":[],"source":"CCJM table (REFERENCE.md §1)"},{"min_total":8,"reassess_minutes":120,"prompts":["prn_per_order"],"source":"CCJM table (REFERENCE.md §1)"},{"min_total":11,"reassess_minutes":60,"prompts":["prn_per_order"],"source":"CCJM table (REFERENCE.md §1)"},{"min_total":16,"reassess_minutes":60,"prompts":["prn_per_order"],"source":"CCJM table (REFERENCE.md §1)"},{"min_total":20,"reassess_minutes":60,"prompts":["prn_per_order","notify_provider","evaluate_higher_level"],"source":"CCJM table (REFERENCE.md §1); 1 h: unit default"}],"step_down":{"below":8,"after_consecutive":3,"to_minutes":240,"then_after":3,"then_to_minutes":480,"stop_after_hours":48,"grace_minutes":15},"notify_consecutive_over":[2,10],"prn_reassess_minutes":60,"notify_when_unable":["delirious","sedated"]}',
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NULL
FROM policy p
WHERE scale = 'ciwa-ar' AND kind = 'ladder'
  AND version = (SELECT max(version) FROM policy q WHERE q.scale = p.scale AND q.kind = p.kind)
  AND body = '{"scale":"ciwa-ar","rungs":[{"min_total":0,"reassess_minutes":120,"prompts":[]},{"min_total":8,"reassess_minutes":120,"prompts":["prn_per_order"]},{"min_total":11,"reassess_minutes":60,"prompts":["prn_per_order"]},{"min_total":16,"reassess_minutes":60,"prompts":["prn_per_order"]},{"min_total":20,"reassess_minutes":60,"prompts":["notify_provider","evaluate_higher_level"]}],"step_down":{"below":8,"after_consecutive":3,"to_minutes":240,"then_after":3,"then_to_minutes":480,"stop_after_hours":48},"notify_consecutive_over":[2,10],"prn_reassess_minutes":60}';
-- COWS: the form names no band below 5 (REFERENCE.md section 2); "none" was ours.
INSERT INTO policy (scale, kind, version, body, created_at, created_by)
SELECT scale, kind, version + 1, '{"name":"Wesson & Ling 2003 form bands (from 5; below 5 is not a band)","bands":[{"min":0,"label":"not in a withdrawal band","severe":false},{"min":5,"label":"mild","severe":false},{"min":13,"label":"moderate","severe":false},{"min":25,"label":"moderately severe","severe":true},{"min":37,"label":"severe","severe":true}]}',
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NULL
FROM policy p
WHERE scale = 'cows' AND kind = 'bands'
  AND version = (SELECT max(version) FROM policy q WHERE q.scale = p.scale AND q.kind = p.kind)
  AND body = '{"name":"Wesson & Ling 2003","bands":[{"min":0,"label":"none","severe":false},{"min":5,"label":"mild","severe":false},{"min":13,"label":"moderate","severe":false},{"min":25,"label":"moderately severe","severe":true},{"min":37,"label":"severe","severe":true}]}';

-- Allergies, precautions and code status change after admission (a newly found allergy at
-- 3 a.m.): each change is a stay_event with who, when and why (issue 20, point 9). SQLite cannot
-- alter a CHECK, so the table is rebuilt with the wider list of kinds; nothing refers to it.
CREATE TABLE stay_event_v3 (
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
INSERT INTO stay_event_v3 (id, stay_id, kind, from_value, to_value, note, at, by_user)
SELECT id, stay_id, kind, from_value, to_value, note, at, by_user FROM stay_event;
DROP TABLE stay_event;
ALTER TABLE stay_event_v3 RENAME TO stay_event;
CREATE INDEX stay_event_stay ON stay_event (stay_id, at);
CREATE TRIGGER stay_event_no_update BEFORE UPDATE ON stay_event
BEGIN SELECT RAISE(ABORT, 'stay history is append-only'); END;
CREATE TRIGGER stay_event_no_delete BEFORE DELETE ON stay_event
BEGIN SELECT RAISE(ABORT, 'stay history is append-only'); END;
