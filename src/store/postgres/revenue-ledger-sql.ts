/** DDL of the revenue ledger tables in PostgreSQL (migration 40; src/store/postgres/revenue-ledger-postgres.ts). */

/** Migration 40: person history, IOSS entries and the refunds trail; amounts are exact numeric. */
export const revenueLedgerPgSql = `
CREATE TABLE revenue_person_imports (
  person_key text COLLATE "C" NOT NULL,
  jurisdiction text COLLATE "C" NOT NULL,
  consignment_id text COLLATE "C" NOT NULL,
  import_date text COLLATE "C" NOT NULL,
  amount numeric NOT NULL,
  currency text NOT NULL,
  PRIMARY KEY (person_key, jurisdiction, consignment_id)
);
CREATE INDEX revenue_person_imports_date ON revenue_person_imports (person_key, jurisdiction, import_date);

CREATE TABLE revenue_ioss_entries (
  consignment_id text COLLATE "C" PRIMARY KEY,
  ioss_number text COLLATE "C" NOT NULL,
  member_state text COLLATE "C" NOT NULL,
  month text COLLATE "C" NOT NULL,
  intrinsic_value_eur numeric NOT NULL,
  vat_eur numeric NOT NULL
);
CREATE INDEX revenue_ioss_month ON revenue_ioss_entries (month, ioss_number, member_state);

CREATE TABLE revenue_trail (
  seq bigserial PRIMARY KEY,
  consignment_id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  collected_by text NOT NULL,
  amount numeric NOT NULL,
  currency text NOT NULL,
  reason text NOT NULL,
  at text NOT NULL,
  actor text NOT NULL,
  UNIQUE (consignment_id, kind, collected_by, at)
);
`;

/**
 * Migration 41: the ledger's position in the clearance event log (so a restart catches up on what
 * was committed but not yet recorded), and indexes to remove a consignment's person entry and to
 * load recent entries at start.
 */
export const revenueLedgerCursorPgSql = `
CREATE TABLE revenue_ledger_cursor (
  id text PRIMARY KEY,
  seq bigint NOT NULL
);
CREATE INDEX revenue_person_imports_consignment ON revenue_person_imports (consignment_id);
CREATE INDEX revenue_person_imports_day ON revenue_person_imports (import_date);
`;

/**
 * Migration 75: a trail entry's `ref` (what within the consignment it is about: `items:0,2` for a
 * partial return, empty otherwise) joins its identity, so two partial returns of one consignment at
 * the same instant (or a partial return and the return of the rest) are both kept.
 */
export const revenueTrailRefPgSql = `
ALTER TABLE revenue_trail ADD COLUMN ref text COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE revenue_trail DROP CONSTRAINT revenue_trail_consignment_id_kind_collected_by_at_key;
ALTER TABLE revenue_trail ADD CONSTRAINT revenue_trail_identity UNIQUE (consignment_id, kind, collected_by, at, ref);
`;
