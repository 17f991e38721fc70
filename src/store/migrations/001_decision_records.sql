-- Decision records: one row per recorded decision, immutable once written. Written in the SQL that
-- SQLite (the embedded store) and PostgreSQL share: TEXT and INTEGER columns, ISO 8601 timestamps
-- as text, the record itself as its canonical JSON (RFC 8785) in `body`.
CREATE TABLE decision_records (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  -- The record's place in its tenant's chain: 1, 2, 3, ... A second writer that read the same
  -- chain head fails on the unique key and retries, so a chain never forks.
  seq INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  reference TEXT,
  procedure_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  previous_hash TEXT,
  body TEXT NOT NULL,
  UNIQUE (tenant, seq)
);
CREATE INDEX decision_records_by_reference ON decision_records (tenant, reference, seq);
