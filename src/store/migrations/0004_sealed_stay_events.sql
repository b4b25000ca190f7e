-- Schema version 4: every change of a stay is sealed like other records (issue 20, point 9). An
-- allergy found at 3 a.m., a precaution lifted, a code status changed, a transfer, a level of
-- care, an observation level, a discharge: each stay_event row enters the hash chain in the
-- transaction that writes it. Frozen once released; schema.sql holds the same DDL.
--
-- SQLite cannot alter a CHECK, so the ledger is rebuilt with the wider list of kinds and a column
-- that tells a record sealed when it was written (0) from one sealed by this upgrade (1): the
-- stay events written before version 4 are sealed by the Rust step that follows this script
-- (src/store/migrate.rs), in id order, as it finds them.
CREATE TABLE ledger_v4 (
    seq               INTEGER PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('note', 'assessment', 'prn', 'handoff', 'stay_event')),
    record_id         INTEGER NOT NULL,
    content_hash      TEXT NOT NULL CHECK (length(content_hash) = 64),
    prev_hash         TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash              TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
    at                TEXT NOT NULL,
    sealed_at_upgrade INTEGER NOT NULL DEFAULT 0 CHECK (sealed_at_upgrade IN (0, 1)),
    UNIQUE (kind, record_id)
);
INSERT INTO ledger_v4 (seq, kind, record_id, content_hash, prev_hash, hash, at, sealed_at_upgrade)
SELECT seq, kind, record_id, content_hash, prev_hash, hash, at, 0 FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_v4 RENAME TO ledger;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
