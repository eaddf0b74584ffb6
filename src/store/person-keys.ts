/**
 * Migration 14 (both stores): the revenue ledger's `revenue_person_imports.person_key` held a
 * consignee's identity number in clear (`PERSONAL:110101…`, `PCCC:P…`), outside the field-level
 * encryption of documents and out of reach of the retention purge. It now holds a pseudonym
 * (src/revenue/person-key.ts); this migration rewrites the keys already stored, so every person's
 * totals carry on under the new key. Name-based keys (`h:…`) and rewritten ones (`p:…`) are left
 * alone. On a new database the ledger's table (migration 40) does not exist yet: nothing to do.
 */
import type Database from 'better-sqlite3';
import {
  unkeyedIdentityPersonKey as identityPersonKey,
  identityPersonKeyPrefix,
} from '../revenue/person-key.js';

/** The migration's version and name (the same in both stores; the security range 10-19). */
export const personKeysMigration = { version: 14, name: 'pseudonymous-person-keys' } as const;

const clearKeys = `person_key NOT LIKE 'h:%' AND person_key NOT LIKE '${identityPersonKeyPrefix}%'`;

/** SQLite: no SHA-256 in SQL, so the rewrite runs with a function of this connection. */
export function pseudonymisePersonKeysSqlite(db: Database.Database): void {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'revenue_person_imports'")
    .get();
  if (exists === undefined) return;
  db.function('parcelgate_identity_person_key', { deterministic: true }, (k: unknown) =>
    identityPersonKey(String(k)),
  );
  db.exec(
    `UPDATE revenue_person_imports SET person_key = parcelgate_identity_person_key(person_key) WHERE ${clearKeys}`,
  );
}

/** PostgreSQL: the same rewrite with its own sha256(); a no-op before migration 40 made the table. */
export const personKeysPgSql = `
DO $$
BEGIN
  IF to_regclass('revenue_person_imports') IS NOT NULL THEN
    UPDATE revenue_person_imports
    SET person_key = '${identityPersonKeyPrefix}' || left(encode(sha256(convert_to(person_key, 'UTF8')), 'hex'), 32)
    WHERE ${clearKeys};
  END IF;
END $$;
`;
