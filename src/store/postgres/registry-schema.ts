/**
 * PostgreSQL migration 20: the registry tables (operators, trust, quality, partnership, returns
 * documents) and indexes for the trust modules' reads of the clearance tables. See docs/operators.md.
 */
export const pgRegistrySchemaSql = `
CREATE TABLE registry_docs (
  collection text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  owner text COLLATE "C",
  ref text COLLATE "C",
  at text COLLATE "C",
  version integer NOT NULL,
  seq bigint NOT NULL UNIQUE,
  doc text NOT NULL,
  PRIMARY KEY (collection, id)
);
CREATE INDEX registry_docs_owner ON registry_docs (collection, owner, seq);
CREATE INDEX registry_docs_ref ON registry_docs (collection, ref, seq);
CREATE INDEX registry_docs_at ON registry_docs (collection, at, seq);
-- One row, locked by every registry write: writes commit in the order of the seq they take, so a
-- reader polling "seq > cursor" never skips a write that commits late.
CREATE TABLE registry_counter (n bigint NOT NULL);
INSERT INTO registry_counter (n) VALUES (0);
CREATE INDEX declarations_submitter ON declarations (submitter_id, received_at);
CREATE INDEX declarations_received ON declarations (received_at, id);
CREATE INDEX events_seq_idx ON events (seq);
CREATE INDEX events_type ON events (type, consignment_id);
`;
