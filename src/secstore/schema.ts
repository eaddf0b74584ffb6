/** DDL of the security tables (API keys, audit chain, settings) for both databases: migration 10. */

/** Migration version 10 (SQLite). */
export const sqliteSecurityMigration = {
  version: 10,
  name: 'security-keys-audit',
  sql: `
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  label TEXT NOT NULL,
  role TEXT NOT NULL,
  operator_id TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT,
  rotated_to TEXT
);
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  data TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
} as const;

/** Migration version 10 (PostgreSQL). */
export const pgSecurityMigration = {
  version: 10,
  name: 'security-keys-audit',
  sql: `
CREATE TABLE api_keys (
  id text COLLATE "C" PRIMARY KEY,
  label text NOT NULL,
  role text NOT NULL,
  operator_id text NOT NULL,
  secret_hash text NOT NULL,
  created_at text NOT NULL,
  created_by text NOT NULL,
  expires_at text,
  revoked_at text,
  rotated_to text
);
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at text NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  subject text NOT NULL,
  data text,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
`,
} as const;
