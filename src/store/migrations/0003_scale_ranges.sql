-- Schema version 3 (issue 14): each scale is its own series, and the database enforces each
-- scale's range. Frozen once released; schema.sql holds the same DDL for new databases.

-- One scale's own history of a stay, newest first: the ladder's look-back and the census's last
-- score per scale read this (REFERENCE.md section 1: a patient on two scales has two schedules).
CREATE INDEX assessment_stay_scale_time ON assessment (stay_id, scale, taken_at, id, total);

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
