/**
 * Tables of the exchange store (webhook subscriptions and dead letters, signing keys, three-document
 * matching), as SQLite and PostgreSQL migrations. Version numbers 30-39 are reserved for exchange.
 */

/** SQLite DDL of migration 30. */
export const exchangeSqliteSql = `
CREATE TABLE signing_keys (
  key_id TEXT PRIMARY KEY,
  operator_id TEXT NOT NULL,
  purposes TEXT NOT NULL,
  public_key TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX signing_keys_operator ON signing_keys (operator_id);

CREATE TABLE webhook_subscriptions (
  id TEXT PRIMARY KEY,
  operator_id TEXT NOT NULL,
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  event_types TEXT NOT NULL,
  active INTEGER NOT NULL,
  cursor INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE webhook_dead_letters (
  subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
  seq INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  dead_at TEXT NOT NULL,
  replay INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, seq)
);

CREATE TABLE cbec_documents (
  order_no TEXT NOT NULL,
  kind TEXT NOT NULL,
  version INTEGER NOT NULL,
  submitter_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  hash TEXT NOT NULL,
  payload TEXT NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (order_no, kind)
);

CREATE TABLE cbec_lists (
  order_no TEXT PRIMARY KEY,
  submitter_id TEXT NOT NULL,
  status TEXT NOT NULL,
  received_at TEXT NOT NULL,
  decided_at TEXT,
  reasons TEXT NOT NULL,
  buyer_id TEXT NOT NULL,
  quota_year TEXT NOT NULL,
  value_cny TEXT NOT NULL,
  consignment_id TEXT,
  payload TEXT NOT NULL
);
CREATE INDEX cbec_lists_buyer ON cbec_lists (buyer_id, quota_year, status);
CREATE INDEX cbec_lists_status ON cbec_lists (status, received_at);
`;

/**
 * PostgreSQL DDL of migration 30. The BRIN index on events.seq costs the write path almost nothing:
 * rows appended past the last summarised block range are not summarised at insert time (autovacuum
 * summarises them later), and the feed reads the recent tail.
 */
export const exchangePgSql = `
CREATE INDEX events_seq_brin ON events USING brin (seq);

CREATE TABLE signing_keys (
  key_id text COLLATE "C" PRIMARY KEY,
  operator_id text COLLATE "C" NOT NULL,
  purposes text NOT NULL,
  public_key text NOT NULL,
  registered_at text NOT NULL,
  revoked_at text
);
CREATE INDEX signing_keys_operator ON signing_keys (operator_id);

CREATE TABLE webhook_subscriptions (
  id text COLLATE "C" PRIMARY KEY,
  operator_id text COLLATE "C" NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  event_types text NOT NULL,
  active integer NOT NULL,
  cursor bigint NOT NULL,
  attempts integer NOT NULL,
  next_attempt_at text COLLATE "C",
  last_error text,
  created_at text COLLATE "C" NOT NULL,
  updated_at text NOT NULL
);

CREATE TABLE webhook_dead_letters (
  subscription_id text COLLATE "C" NOT NULL REFERENCES webhook_subscriptions (id),
  seq bigint NOT NULL,
  attempts integer NOT NULL,
  last_error text NOT NULL,
  dead_at text NOT NULL,
  replay integer NOT NULL,
  PRIMARY KEY (subscription_id, seq)
);

CREATE TABLE cbec_documents (
  order_no text COLLATE "C" NOT NULL,
  kind text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  submitter_id text NOT NULL,
  key_id text NOT NULL,
  received_at text NOT NULL,
  hash text NOT NULL,
  payload text NOT NULL,
  signature text NOT NULL,
  PRIMARY KEY (order_no, kind)
);

CREATE TABLE cbec_lists (
  order_no text COLLATE "C" PRIMARY KEY,
  submitter_id text NOT NULL,
  status text COLLATE "C" NOT NULL,
  received_at text COLLATE "C" NOT NULL,
  decided_at text,
  reasons text NOT NULL,
  buyer_id text COLLATE "C" NOT NULL,
  quota_year text COLLATE "C" NOT NULL,
  value_cny text NOT NULL,
  consignment_id text,
  payload text NOT NULL
);
CREATE INDEX cbec_lists_buyer ON cbec_lists (buyer_id, quota_year, status);
CREATE INDEX cbec_lists_status ON cbec_lists (status, received_at);
`;

/**
 * Migration 31 (both dialects): the feed and the webhook dispatcher serve every party linked to a
 * consignment (each submitter of one of its records), looked up per event by this index.
 */
export const exchangePartiesSql = `
CREATE INDEX declarations_consignment_submitter ON declarations (consignment_id, submitter_id);
`;

/**
 * Migration 32: the exchange notices outbox. Three-document matching outcomes and customs-to-customs
 * findings, one row per receiving party, written in the transaction of the change they report; the
 * feed (`/v1/feed?stream=exchange-notices`) and the webhook dispatcher read it in seq order.
 */
export const exchangeNoticesSqliteSql = `
CREATE TABLE exchange_notices (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  type TEXT NOT NULL,
  at TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (id, operator_id)
);
CREATE INDEX exchange_notices_operator ON exchange_notices (operator_id, seq);
`;

/** PostgreSQL DDL of migration 32 (writers serialise on an advisory lock, so seqs commit in order). */
export const exchangeNoticesPgSql = `
CREATE TABLE exchange_notices (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL,
  operator_id text NOT NULL,
  type text NOT NULL,
  at text NOT NULL,
  body text NOT NULL,
  UNIQUE (id, operator_id)
);
CREATE INDEX exchange_notices_operator ON exchange_notices (operator_id, seq);
`;
