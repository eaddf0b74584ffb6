/** The post-commit revenue ledger hook on a real batch. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../store/index.js';
import { openSqliteRevenueLedger } from '../store/sqlite/revenue-ledger-sqlite.js';
import { postalItem } from '../testing/consignments.js';
import { loadSnapshot } from './load-snapshot.js';
import { revenueLedgerObserver } from './revenue-ledger-hook.js';
import { submitBatch } from './submit.js';

test('a committed batch records IOSS entries and the assessed trail through the observe hook', async () => {
  const store = openSqliteStore({ memory: true });
  const ledger = openSqliteRevenueLedger({ memory: true });
  const snapshot = loadSnapshot();
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const observe = revenueLedgerObserver(ledger, snapshot.revenue, 'test');
  const records = [
    postalItem({ taxCollection: { scheme: 'IOSS', number: 'IM2760000001' } }, '11111111'),
    postalItem({}, '22222222'),
  ];
  const results = await submitBatch(
    { actor: 't', submitterId: 't', now: '2026-11-27T10:00:00.000Z' },
    records,
    {
      store,
      snapshot: () => snapshot,
      observe: (cs) => {
        observe(cs);
        setImmediate(done);
      },
    },
  );
  await finished;
  const report = await ledger.iossMonthly('2026-11');
  assert.deepEqual(
    report.map((l) => [l.iossNumber, l.memberState, l.consignments]),
    [['IM2760000001', 'DE', 1]],
  );
  const id = (results[1] as { consignmentId?: string }).consignmentId;
  assert.ok(id !== undefined);
  const trail = await ledger.trail(id);
  assert.equal(trail[0]?.kind, 'assessed');
  assert.equal(trail[0]?.collectedBy, 'border');
  ledger.close();
  await store.close();
});
