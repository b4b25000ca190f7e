-- Schema version 1 -> 2: the database itself refuses an unknown or non-canonical precaution list.
-- Released steps are never edited; schema.sql holds the same objects for a new database, and
-- tests/reliability/upgrade.rs checks that an upgraded v1 database ends with exactly its shape.

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
