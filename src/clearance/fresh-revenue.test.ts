/**
 * The revenue ledger reads fresh consignments from their texts (fresh-revenue.ts): what it derives
 * (person entries, IOSS entries, trail, returns) must equal what it derives from the materialised
 * consignment, for single- and multi-source consignments of every kind the ledger looks at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsignmentInput } from '../domain/index.js';
import { ledgerBatch, type LedgerSubject } from '../revenue/index.js';
import { openSqliteStore, type FreshConsignment } from '../store/index.js';
import { freshToStored } from '../store/fresh.js';
import { cnPlatformOrder, postalItem } from '../testing/consignments.js';
import { freshLedgerSubject } from './fresh-revenue.js';
import { loadSnapshot } from './load-snapshot.js';
import { submitBatch } from './submit.js';

const snapshot = loadSnapshot({ classifier: false, randomRate: 0 });

test('ledger facts from the fresh texts equal those from the materialised consignment', async () => {
  const store = openSqliteStore({ memory: true });
  const seen: FreshConsignment[] = [];
  const deps = {
    store,
    snapshot: () => snapshot,
    observeWrites: (f: readonly FreshConsignment[]) => seen.push(...f),
  };
  const ioss = postalItem({ taxCollection: { scheme: 'IOSS', number: 'IM2760000001' } }, '70000001');
  const kr = postalItem(
    {
      consignee: {
        name: 'Kim Minji',
        address: { street: '1 Sejong-daero', city: 'Seoul', postcode: '04524', country: 'KR' },
        id: { type: 'PCCC', value: 'P123456789012' },
      },
      routing: { dispatchCountry: 'US', destinationCountry: 'KR' },
      items: [
        {
          description: 'Handbag',
          hsCode: '420222',
          quantity: 1,
          unit: 'pcs',
          netWeightGrams: 500,
          value: { amount: '180.00', currency: 'USD' },
          origin: 'US',
        },
      ],
    },
    '70000002',
  );
  const cn = cnPlatformOrder('70000003', { cny: '3000', buyerId: '31010119900101123X' });
  // A platform order and its postal item for the same parcel merge into one multi-source consignment.
  const platformOrder: ConsignmentInput = { ...postalItem({}, '70000004'), source: 'platform-order' };
  const records = [ioss, kr, cn, postalItem({}, '70000004'), platformOrder];
  const results = await submitBatch(
    { actor: 't', submitterId: 't', now: '2026-03-02T08:00:00.000Z' },
    records,
    deps,
  );
  assert.ok(
    results.every((r) => r.status === 'created' || r.status === 'linked'),
    JSON.stringify(results),
  );
  assert.ok(seen.length >= 4);
  const fromStored = (f: FreshConsignment): LedgerSubject => {
    const c = freshToStored(f);
    return {
      id: c.id,
      input: c.merged,
      revenue: c.assessment.revenue,
      assessedAt: c.assessment.assessedAt,
      state: c.state,
    };
  };
  let persons = 0;
  let iossEntries = 0;
  for (const f of seen) {
    const returns = [
      {
        consignmentId: f.id,
        trigger: 'returned' as const,
        at: '2026-03-09T10:00:00Z',
        actor: 'c',
        borderPaid: true,
        releasedAt: '2026-03-02T10:00:00Z',
      },
    ];
    for (const r of [[], returns]) {
      const x = ledgerBatch(snapshot.revenue, [freshLedgerSubject(f)], r, 'ledger');
      assert.deepEqual(x, ledgerBatch(snapshot.revenue, [fromStored(f)], r, 'ledger'), f.id);
    }
    const a = ledgerBatch(snapshot.revenue, [freshLedgerSubject(f)], [], 'ledger');
    persons += a.persons.length;
    iossEntries += a.ioss.length;
  }
  // The comparison covered a person entry (KR same-day, CN yearly) and an IOSS entry.
  assert.ok(persons >= 2, `persons ${persons}`);
  assert.equal(iossEntries, 1);
  await store.close();
});
