-- Chain entries (contract 1.2): every entry of a client's chain, of any kind (a decision record
-- now, an approval next), each signed with a key only the service holds. The constraints make rows
-- outside a chain impossible to store: a seq below 1, a first entry with a previous hash or a later
-- one without, an unsigned entry. The rows of decision_records are copied here, signed, by the
-- code step of this migration (src/store/records.ts), and that table is dropped.
CREATE TABLE chain_entries (
  tenant TEXT NOT NULL CHECK (length(tenant) BETWEEN 1 AND 200),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('decision', 'approval')),
  id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
  created_at TEXT NOT NULL CHECK (length(created_at) = 24),
  reference TEXT,
  procedure_id TEXT,
  content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
  previous_hash TEXT CHECK (length(previous_hash) = 64),
  signature TEXT NOT NULL CHECK (length(signature) = 64),
  key_id TEXT NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64),
  body TEXT NOT NULL,
  PRIMARY KEY (tenant, seq),
  UNIQUE (tenant, content_hash),
  CHECK ((seq = 1 AND previous_hash IS NULL) OR (seq > 1 AND previous_hash IS NOT NULL)),
  CHECK (kind <> 'decision' OR procedure_id IS NOT NULL)
);
CREATE INDEX chain_entries_by_kind ON chain_entries (tenant, kind, seq);
CREATE INDEX chain_entries_by_reference ON chain_entries (tenant, reference, seq);

-- The newest entry of each chain, written in the transaction that adds it: a removed newest entry
-- shows as a head with no entry behind it.
CREATE TABLE chain_heads (
  tenant TEXT PRIMARY KEY CHECK (length(tenant) BETWEEN 1 AND 200),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  signature TEXT NOT NULL CHECK (length(signature) = 64),
  key_id TEXT NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64)
);

-- How far each chain has been verified, signed: a verification checks only what came after.
CREATE TABLE chain_checkpoints (
  tenant TEXT PRIMARY KEY CHECK (length(tenant) BETWEEN 1 AND 200),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  head_hash TEXT NOT NULL CHECK (length(head_hash) = 64),
  verified_at TEXT NOT NULL,
  signature TEXT NOT NULL CHECK (length(signature) = 64),
  key_id TEXT NOT NULL CHECK (length(key_id) BETWEEN 1 AND 64)
);
