/**
 * Contributors: the submitters other than its creator that sent a record of a consignment (the
 * carrier's waybill linked to a platform's order, the post's item data linked to a carrier's waybill).
 * A submitter may read a consignment it created or contributed to (src/access/plugin.ts); its list
 * (`ListQuery.partyId`) covers the same consignments.
 *
 * The consignments a submitter created are found by `consignments.submitter_id`; the others by the
 * table `consignment_contributors` (migration 3, both stores), one row per (contributor, consignment),
 * keyed (submitter_id, created_at, consignment_id) so that one index serves both the idempotent insert
 * and the newest-first keyset read. A row is written only when a record links to a consignment another
 * submitter created: the batch path pays one string comparison per declaration otherwise.
 */
import type { BatchWrites } from './port.js';

/** DDL of the table (the same text for both stores: text columns, a composite primary key). */
const contributorsTable = (textType: string) => `
CREATE TABLE consignment_contributors (
  submitter_id ${textType} NOT NULL,
  created_at ${textType} NOT NULL,
  consignment_id ${textType} NOT NULL,
  PRIMARY KEY (submitter_id, created_at, consignment_id)
)`;

// Every (submitter, consignment) where the submitter sent a record of a consignment it did not create.
const backfill = `
INSERT INTO consignment_contributors (submitter_id, created_at, consignment_id)
SELECT DISTINCT d.submitter_id, c.created_at, c.id
FROM declarations d JOIN consignments c ON c.id = d.consignment_id
WHERE d.submitter_id <> c.submitter_id`;

/** Migration 3 on SQLite: the table, filled from the declarations already stored. */
export const contributorsSqliteSql = `${contributorsTable('TEXT')} WITHOUT ROWID;
${backfill};
`;

/** Migration 3 on PostgreSQL ("C" collation: byte order, as the consignments' columns). */
export const contributorsPgSql = `${contributorsTable('text COLLATE "C"')};
${backfill};
`;

/** The migration's version and name (the same in both stores). */
export const contributorsMigration = { version: 3, name: 'consignment-contributors' } as const;

/**
 * Adds the row when `consignment` exists and `submitter` did not create it (arguments: submitter,
 * consignment id, submitter). The consignment row is written earlier in the same transaction.
 */
export const contributorInsertSqlite = `INSERT OR IGNORE INTO consignment_contributors (submitter_id, created_at, consignment_id)
  SELECT ?, created_at, id FROM consignments WHERE id = ? AND submitter_id <> ?`;

/** The same for many pairs at once on PostgreSQL ($1 submitters, $2 consignment ids, as text arrays). */
export const contributorInsertPg = `INSERT INTO consignment_contributors (submitter_id, created_at, consignment_id)
  SELECT p.submitter_id, c.created_at, c.id
  FROM unnest($1::text[], $2::text[]) AS p (submitter_id, consignment_id)
  JOIN consignments c ON c.id = p.consignment_id AND c.submitter_id <> p.submitter_id
  ON CONFLICT DO NOTHING`;

/**
 * The (submitter, consignment id) pairs of a batch that may add a contributor: records whose submitter
 * differs from the creator of the consignment they join. A record joins a consignment the batch writes
 * (`upserts` or `fresh`: the planner writes every consignment it adds a record to); one whose
 * consignment the batch does not carry is listed unless every record and upsert of the batch is the
 * same submitter's. The SQL insert checks each pair against the stored creator. A batch where every
 * record joins its own submitter's consignments costs a string comparison per record and allocates
 * nothing.
 */
export function contributorPairs(
  writes: BatchWrites,
): readonly (readonly [submitterId: string, consignmentId: string])[] {
  let out: [string, string][] | undefined;
  const fresh = writes.fresh;
  if (fresh !== undefined) {
    for (const c of fresh) {
      for (const d of c.declarations)
        if (d.submitterId !== c.submitterId) (out ??= []).push([d.submitterId, c.id]);
    }
  }
  const declared = writes.declarations;
  // The common batch: one submitter's records joining that submitter's consignments (no map built).
  const one = declared[0]?.record.submitterId;
  const alone =
    one === undefined ||
    (declared.every((d) => d.record.submitterId === one) &&
      writes.upserts.every((c) => c.submitterId === one));
  if (!alone) {
    let creators: Map<string, string> | undefined;
    for (const { consignmentId, record } of declared) {
      creators ??= new Map(writes.upserts.map((c) => [c.id, c.submitterId]));
      if (creators.get(consignmentId) !== record.submitterId)
        (out ??= []).push([record.submitterId, consignmentId]);
    }
  }
  return out ?? none;
}

const none: readonly (readonly [string, string])[] = [];
