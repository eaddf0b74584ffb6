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
