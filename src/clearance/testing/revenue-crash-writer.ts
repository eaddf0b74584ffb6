/**
 * Test helper (test/revenue-ledger-kill.test.ts): submits China platform orders in batches with the
 * revenue runtime attached and prints `ack <ids>` after each commit, until it is killed.
 */
import { openSqliteStore } from '../../store/index.js';
import { cnPlatformOrder } from '../../testing/consignments.js';
import { loadSnapshot } from '../load-snapshot.js';
import { submitBatch } from '../submit.js';
import { openSqliteRevenue } from './sqlite-revenue.js';

const dataDir = process.argv[2] as string;
const base = loadSnapshot({ classifier: false, randomRate: 0 });
const store = openSqliteStore({ dataDir });
const { rt } = await openSqliteRevenue(dataDir, store, base);
let serial = 20_000_000 + Math.floor(Math.random() * 50_000_000);
for (;;) {
  const records = Array.from({ length: 100 }, (_, i) =>
    cnPlatformOrder(String(serial++), {
      cny: '100.00',
      buyerName: `Buyer ${i % 20}`,
      buyerId: `BUYER-${i % 20}`,
    }),
  );
  const results = await submitBatch(
    { actor: 'w', submitterId: 'w', now: '2026-03-02T08:00:00.000Z' },
    records,
    { store: rt.storeOf(store), snapshot: () => rt.snapshotOf(base), observe: (cs) => rt.observe(cs) },
  );
  process.stdout.write(
    `ack ${results.map((r) => (r as { consignmentId: string }).consignmentId).join(',')}\n`,
  );
}
