/**
 * SQLite migration 20: the registry tables (operators, trust, quality, partnership, returns documents)
 * and indexes for the trust modules' reads of the clearance tables. See docs/operators.md.
 */
export const registrySchemaSql = `
CREATE TABLE registry_docs (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  owner TEXT,
  ref TEXT,
  at TEXT,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE UNIQUE INDEX registry_docs_seq ON registry_docs (seq);
CREATE INDEX registry_docs_owner ON registry_docs (collection, owner, seq);
CREATE INDEX registry_docs_ref ON registry_docs (collection, ref, seq);
CREATE INDEX registry_docs_at ON registry_docs (collection, at, seq);
CREATE TABLE registry_counter (n INTEGER NOT NULL);
INSERT INTO registry_counter (n) VALUES (0);
CREATE INDEX declarations_submitter ON declarations (submitter_id, received_at);
CREATE INDEX declarations_received ON declarations (received_at, id);
CREATE INDEX events_type ON events (type, consignment_id);
`;
