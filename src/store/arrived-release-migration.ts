/**
 * Migration 4 (both stores): an arrived consignment that was released before it arrived, and that no
 * officer has held since (an inspection or a request for information after arrival), stands released:
 * `releasedBeforeArrival` in its document (src/clearance/arrived-release.ts). New transitions keep the
 * flag; consignments of an older store get it from their event log (`releaseEffect` in SQL: the last
 * arrival from `released-before-arrival` comes after every officer hold that kept `arrived`).
 */

const standsReleasedByLog = (
  id: string,
) => `(SELECT coalesce(max(e.seq), 0) FROM events e WHERE e.consignment_id = ${id}
      AND e.from_state = 'released-before-arrival' AND e.to_state = 'arrived')
    > (SELECT coalesce(max(e.seq), 0) FROM events e WHERE e.consignment_id = ${id}
      AND e.to_state = 'arrived'
      AND e.type IN ('consignment.inspect', 'consignment.request-information'))`;

/** Version and name of the migration. */
export const arrivedReleaseMigration = { version: 4, name: 'arrived-release' } as const;

/** SQLite: sets the flag from the event log. */
export const arrivedReleaseSqliteSql = `
UPDATE consignments SET doc = json_set(doc, '$.releasedBeforeArrival', json('true'))
  WHERE state = 'arrived' AND ${standsReleasedByLog('consignments.id')};
`;

/** PostgreSQL: sets the flag from the event log. */
export const arrivedReleasePgSql = `
UPDATE consignments SET doc = jsonb_set(doc::jsonb, '{releasedBeforeArrival}', 'true'::jsonb)::text
  WHERE state = 'arrived' AND ${standsReleasedByLog('consignments.id')};
`;
