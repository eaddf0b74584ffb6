/**
 * Exactly-once checks over a PostgreSQL clearance schema after a crash: each consignment declared
 * once and assessed once (a `consignment.created` creation row stands for both, see
 * src/store/event-rows.ts), and no record stored twice.
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import { creationRowType } from '../../src/store/event-rows.js';

/** Asserts the consignments' creation events and records each happened exactly once. */
export async function assertCreatedExactlyOnce(client: pg.Client): Promise<void> {
  const ids = async (sql: string): Promise<string[]> =>
    (await client.query<{ id: string }>(sql)).rows.map((r) => r.id);
  assert.deepEqual(
    await ids(`SELECT c.id FROM consignments c LEFT JOIN events e
                 ON e.consignment_id = c.id AND e.type IN ('consignment.declared', '${creationRowType}')
               GROUP BY c.id HAVING count(e.seq) <> 1`),
    [],
    'each consignment was declared exactly once (one consignment.declared event or creation row)',
  );
  assert.deepEqual(
    await ids(`SELECT c.id FROM consignments c LEFT JOIN events e
                 ON e.consignment_id = c.id
                   AND ((e.from_state = 'declared' AND e.to_state = 'assessed') OR e.type = '${creationRowType}')
               GROUP BY c.id HAVING count(e.seq) <> 1`),
    [],
    'each consignment was assessed on creation exactly once (one event or creation row)',
  );
  assert.deepEqual(
    await ids(`SELECT consignment_id AS id FROM declarations GROUP BY consignment_id, kind, hash
               HAVING count(*) > 1`),
    [],
    'no record is stored twice',
  );
}
