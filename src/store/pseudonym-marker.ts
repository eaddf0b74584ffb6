/**
 * Migration 15 (both stores): marks a database that already holds pseudonyms made before they were
 * keyed (`settings` `pseudonym.key` = `unkeyed`), so that no process starts on it before
 * `parcelgate privacy rekey-pseudonyms` has re-keyed them (src/privacy/pseudonym-guard.ts). On a new
 * database the tables do not exist yet, or are empty: nothing is marked, and the first process records
 * its key.
 */
import type Database from 'better-sqlite3';

/** The setting that records the key the database's pseudonyms are under (as src/privacy/pseudonym.ts). */
const setting = 'pseudonym.key';

/** A kind of stored pseudonym. */
export type PseudonymKind = 'person' | 'consignee' | 'seller';

/** The columns that hold each kind (`consignment_id` beside each). */
export const pseudonymColumns: Readonly<Record<PseudonymKind, readonly (readonly [string, string])[]>> = {
  person: [['revenue_person_imports', 'person_key']],
  consignee: [
    ['risk_consignee_parcels', 'consignee_key'],
    ['risk_outcomes', 'consignee_key'],
  ],
  seller: [
    ['risk_consignee_parcels', 'seller_key'],
    ['risk_outcomes', 'seller_key'],
  ],
};

/** The value migration 15 records for a database holding pseudonyms made without a key. */
export const unkeyedMarker = 'unkeyed';

const tableExists = {
  sqlite: (db: Database.Database, t: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !== undefined,
};

/** Every column that holds a pseudonym. */
export const allPseudonymColumns = Object.values(pseudonymColumns).flat();

type Columns = readonly (readonly [string, string])[];

/** Records `name` = `value` in `settings` when any of `columns` (in an existing table) holds a value. */
function markWhenHeldSqlite(db: Database.Database, columns: Columns, name: string, value: string): void {
  const holds = columns.some(
    ([t, c]) =>
      tableExists.sqlite(db, t) &&
      db.prepare(`SELECT 1 FROM ${t} WHERE ${c} IS NOT NULL LIMIT 1`).get() !== undefined,
  );
  if (holds) db.prepare('INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)').run(name, value);
}

/** The same as `markWhenHeldSqlite`, as PostgreSQL SQL (the tables may not exist yet on a new database). */
function markWhenHeldPgSql(columns: Columns, name: string, value: string): string {
  return `
DO $$
DECLARE found boolean := false;
BEGIN
${columns
  .map(
    ([t, c]) => `  IF NOT found AND to_regclass('${t}') IS NOT NULL THEN
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM ${t} WHERE ${c} IS NOT NULL)' INTO found;
  END IF;`,
  )
  .join('\n')}
  IF found THEN
    INSERT INTO settings (name, value) VALUES ('${name}', '${value}') ON CONFLICT (name) DO NOTHING;
  END IF;
END $$;
`;
}

/** Migration 15 on SQLite: marks a database whose tables already hold (unkeyed) pseudonyms. */
export function markUnkeyedSqlite(db: Database.Database): void {
  markWhenHeldSqlite(db, allPseudonymColumns, setting, unkeyedMarker);
}

/** Migration 15 on PostgreSQL: the same, in SQL (the tables may not exist yet on a new database). */
export const markUnkeyedPgSql = markWhenHeldPgSql(allPseudonymColumns, setting, unkeyedMarker);

/** The migration's version and name (the same in both stores; the security range). */
export const keyedPseudonymsMigration = { version: 15, name: 'keyed-pseudonyms' } as const;

/**
 * The setting migration 82 records on a database whose consignee pseudonyms were made from the
 * version-1 basis (name, postcode and country, without the street: src/risk/split-shipment.ts). Its
 * value is the basis version (`1`). No process starts on such a database (the keys would no longer
 * meet the ones it makes) until `parcelgate privacy rekey-pseudonyms` has re-keyed them from the
 * consignments' data, which removes the setting in the same transaction.
 */
export const consigneeBasisSetting = 'pseudonym.consignee-basis';

/** Migration 82 on SQLite: marks a database whose risk tables already hold consignee pseudonyms. */
export function markConsigneeBasisV1Sqlite(db: Database.Database): void {
  markWhenHeldSqlite(db, pseudonymColumns.consignee, consigneeBasisSetting, '1');
}

/** Migration 82 on PostgreSQL: the same, in SQL. */
export const markConsigneeBasisV1PgSql = markWhenHeldPgSql(
  pseudonymColumns.consignee,
  consigneeBasisSetting,
  '1',
);

/** Migration 82's version and name (the same in both stores). */
export const consigneeBasisMigration = { version: 82, name: 'consignee-key-street' } as const;
