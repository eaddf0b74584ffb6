/**
 * Test helper (test/revenue-ledger-kill.test.ts): submits China platform orders in batches with the
 * revenue runtime attached and prints `ack <ids>` after each commit, until it is killed.
 */
import { openSqliteExchangeStore, openSqliteStore } from '../../store/index.js';
import { openSqliteRevenueLedger } from '../../store/sqlite/revenue-ledger-sqlite.js';
import { postalItem, s10 } from '../../testing/consignments.js';
import { loadSnapshot } from '../load-snapshot.js';
import { openRevenueRuntime } from '../revenue-runtime.js';
import { submitBatch } from '../submit.js';

const dataDir = process.argv[2] as string;
const base = loadSnapshot({ classifier: false, randomRate: 0 });
const store = openSqliteStore({ dataDir });
const rt = await openRevenueRuntime({
  ledger: openSqliteRevenueLedger({ dataDir }),
  feed: openSqliteExchangeStore({ dataDir }),
  store,
  revenue: base.revenue,
  now: '2026-03-02T08:00:00Z',
});
let serial = 20_000_000 + Math.floor(Math.random() * 50_000_000);
for (;;) {
  const records = Array.from({ length: 100 }, (_, i) => {
    const n = String(serial++);
    return postalItem(
      {
        transportDocument: { type: 'S10', id: s10(n, 'RR', 'FR') },
        consignee: {
          name: `Buyer ${i % 20}`,
          address: { street: '1 Nanjing Rd', city: 'Shanghai', postcode: '200000', country: 'CN' },
          id: { type: 'PERSONAL', value: `BUYER-${i % 20}` },
        },
        items: [
          {
            description: 'Infant formula milk powder, 800 g tin',
            hsCode: '190110',
            quantity: 1,
            unit: 'pcs',
            netWeightGrams: 800,
            value: { amount: '100.00', currency: 'CNY' },
            origin: 'FR',
          },
        ],
        totals: { grossWeightGrams: 900 },
        dates: { accepted: '2026-03-02T01:00:00Z', expectedArrival: '2026-03-02T06:00:00Z' },
        routing: { dispatchCountry: 'FR', destinationCountry: 'CN' },
      },
      n,
    );
  });
  const results = await submitBatch(
    { actor: 'w', submitterId: 'w', now: '2026-03-02T08:00:00.000Z' },
    records,
    { store, snapshot: () => rt.snapshotOf(base), observe: (cs) => rt.observe(cs) },
  );
  process.stdout.write(
    `ack ${results.map((r) => (r as { consignmentId: string }).consignmentId).join(',')}\n`,
  );
}
