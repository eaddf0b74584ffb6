/**
 * Integrity of `consignment_contributors` (docs/security.md, "Contributor rows"): a row lets a
 * submitter read a consignment it did not create, so an inserted row would grant access and a deleted
 * one withdraw it. The rows are not facts of their own but an index of the records: a row exists
 * exactly for each (submitter, consignment) where a record (`declarations`) of that submitter joined a
 * consignment another submitter created (src/store/contributors.ts). So they are covered in two ways
 * rather than by an audit entry per row (which would put the audit chain's lock on the batch path):
 *
 * - **the store refuses** (migration 16, both stores): a row is never updated or deleted (nor, on
 *   PostgreSQL, truncated), and an inserted row must be backed by such a record, checked by a trigger
 *   against the index `declarations_consignment_submitter`; the batch writes its records before the
 *   rows, in the same transaction;
 * - **`audit verify` detects** what gets past the triggers (dropped or disabled by someone holding the
 *   database): it compares the table with the records, both ways (`contributorIntegritySql`).
 */

/** The migration's version and name (the same in both stores; the security range). */
export const contributorsGuardMigration = { version: 16, name: 'contributor-rows-guard' } as const;

const refusedChange =
  'consignment_contributors rows are never changed or removed: they follow the records (docs/security.md)';
const refusedInsert =
  'a consignment_contributors row needs a record of that submitter in a consignment another submitter created (docs/security.md)';

/** The record that backs a row `p` (the same condition as the batch's insert and migration 3). */
const backed = (
  p: string,
) => `EXISTS (SELECT 1 FROM declarations d JOIN consignments c ON c.id = d.consignment_id
  WHERE d.consignment_id = ${p}.consignment_id AND d.submitter_id = ${p}.submitter_id
    AND c.created_at = ${p}.created_at AND c.submitter_id <> ${p}.submitter_id)`;

/** Migration 16 on SQLite. */
export const contributorsGuardSqliteSql = `
CREATE TRIGGER consignment_contributors_no_update BEFORE UPDATE ON consignment_contributors
BEGIN SELECT RAISE(ABORT, '${refusedChange}'); END;
CREATE TRIGGER consignment_contributors_no_delete BEFORE DELETE ON consignment_contributors
BEGIN SELECT RAISE(ABORT, '${refusedChange}'); END;
CREATE TRIGGER consignment_contributors_backed BEFORE INSERT ON consignment_contributors
WHEN NOT ${backed('NEW')}
BEGIN SELECT RAISE(ABORT, '${refusedInsert}'); END;
`;

/** Migration 16 on PostgreSQL. */
export const contributorsGuardPgSql = `
CREATE FUNCTION consignment_contributors_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION '${refusedChange}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF NOT ${backed('NEW')} THEN
    RAISE EXCEPTION '${refusedInsert}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER consignment_contributors_guard BEFORE INSERT OR UPDATE OR DELETE ON consignment_contributors
  FOR EACH ROW EXECUTE FUNCTION consignment_contributors_guard();
CREATE TRIGGER consignment_contributors_no_truncate BEFORE TRUNCATE ON consignment_contributors
  FOR EACH STATEMENT EXECUTE FUNCTION consignment_contributors_guard();
`;

/**
 * What `audit verify` reads (the same SQL on both stores; `?`/`$1` is the limit of pairs listed):
 * the row count, rows no record backs (inserted), and records whose row is gone (deleted).
 */
export const contributorIntegritySql = {
  rows: 'SELECT count(*) AS n FROM consignment_contributors',
  unbacked: (limit: string) => `SELECT p.submitter_id AS "submitterId", p.consignment_id AS "consignmentId"
    FROM consignment_contributors p WHERE NOT ${backed('p')}
    ORDER BY p.consignment_id, p.submitter_id LIMIT ${limit}`,
  missing: (limit: string) => `SELECT DISTINCT d.submitter_id AS "submitterId", c.id AS "consignmentId"
    FROM declarations d JOIN consignments c ON c.id = d.consignment_id
    WHERE d.submitter_id <> c.submitter_id AND NOT EXISTS (SELECT 1 FROM consignment_contributors p
      WHERE p.submitter_id = d.submitter_id AND p.created_at = c.created_at AND p.consignment_id = c.id)
    ORDER BY c.id, d.submitter_id LIMIT ${limit}`,
};

/** One (submitter, consignment) pair found by the check. */
export interface ContributorPair {
  submitterId: string;
  consignmentId: string;
}

/** What the check found. */
export interface ContributorIntegrity {
  rows: number;
  /** Rows that no record backs: access granted by an inserted row (at most 10 listed). */
  unbacked: ContributorPair[];
  /** Records whose row is missing: a deleted row (at most 10 listed). */
  missing: ContributorPair[];
}
