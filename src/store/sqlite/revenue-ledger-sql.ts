/** DDL of the revenue ledger tables in SQLite (migration 40; src/store/sqlite/revenue-ledger-sqlite.ts). */

/** Migration 40: the revenue ledger tables (amounts as exact decimal text, summed in decimal.js). */
export const revenueLedgerSqliteSql = `
CREATE TABLE revenue_person_imports (
  person_key TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  consignment_id TEXT NOT NULL,
  import_date TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  PRIMARY KEY (person_key, jurisdiction, consignment_id)
) WITHOUT ROWID;
CREATE INDEX revenue_person_imports_date ON revenue_person_imports (person_key, jurisdiction, import_date);

CREATE TABLE revenue_ioss_entries (
  consignment_id TEXT PRIMARY KEY,
  ioss_number TEXT NOT NULL,
  member_state TEXT NOT NULL,
  month TEXT NOT NULL,
  intrinsic_value_eur TEXT NOT NULL,
  vat_eur TEXT NOT NULL
);
CREATE INDEX revenue_ioss_month ON revenue_ioss_entries (month, ioss_number, member_state);

CREATE TABLE revenue_trail (
  seq INTEGER PRIMARY KEY,
  consignment_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  collected_by TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  UNIQUE (consignment_id, kind, collected_by, at)
);
`;

/**
 * Migration 41: the ledger's position in the clearance event log (so a restart catches up on what
 * was committed but not yet recorded), and indexes to remove a consignment's person entry and to
 * load recent entries at start.
 */
export const revenueLedgerCursorSqliteSql = `
CREATE TABLE revenue_ledger_cursor (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
);
CREATE INDEX revenue_person_imports_consignment ON revenue_person_imports (consignment_id);
CREATE INDEX revenue_person_imports_day ON revenue_person_imports (import_date);
`;

/**
 * Migration 75: a trail entry's `ref` (what within the consignment it is about: `items:0,2` for a
 * partial return, empty otherwise) joins its identity, so two partial returns of one consignment at
 * the same instant (or a partial return and the return of the rest) are both kept.
 */
export const revenueTrailRefSqliteSql = `
CREATE TABLE revenue_trail_v75 (
  seq INTEGER PRIMARY KEY,
  consignment_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  collected_by TEXT NOT NULL,
  amount TEXT NOT NULL,
  currency TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '',
  UNIQUE (consignment_id, kind, collected_by, at, ref)
);
INSERT INTO revenue_trail_v75 (seq, consignment_id, kind, collected_by, amount, currency, reason, at, actor)
  SELECT seq, consignment_id, kind, collected_by, amount, currency, reason, at, actor FROM revenue_trail;
DROP TABLE revenue_trail;
ALTER TABLE revenue_trail_v75 RENAME TO revenue_trail;
`;
