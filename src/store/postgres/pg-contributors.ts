/** Writing the contributor rows of a batch to PostgreSQL (see ../contributors.ts). */
import type pg from 'pg';
import type { BatchWrites } from '../port.js';
import { contributorInsertPg, contributorPairs } from '../contributors.js';

/** Adds the batch's contributor rows in one statement; no round trip when the batch has none. */
export async function writeContributors(client: pg.ClientBase, writes: BatchWrites): Promise<void> {
  const pairs = contributorPairs(writes);
  if (pairs.length === 0) return;
  await client.query(contributorInsertPg, [pairs.map((p) => p[0]), pairs.map((p) => p[1])]);
}
