import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPreparePool, loadSnapshot, submitBatch, type RequestContext } from '../src/clearance/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { actor: 't', submitterId: 't', now: '2026-11-27T10:00:00.000Z' };

test('preparing on worker threads gives the same outcomes as preparing in the main thread', async () => {
  const records = [...generateFlood({ seed: 'pool', count: 400, day: '2026-11-27' })].map((r) => r.input);
  records.push({ not: 'a consignment' } as never);
  const pool = createPreparePool({ randomRate: 0 }, 2);
  try {
    const inThread = await submitBatch(ctx, records, {
      store: openSqliteStore({ memory: true }),
      snapshot: () => snapshot,
    });
    const pooled = await submitBatch(ctx, records, {
      store: openSqliteStore({ memory: true }),
      snapshot: () => snapshot,
      prepare: (r, ctx) => pool.prepare(r, ctx),
    });
    const view = (rs: typeof inThread) =>
      rs.map((r) => [r.index, r.status, r.decision, r.lane, r.dueAtBorder, r.issues?.[0]?.code]);
    assert.deepEqual(view(pooled), view(inThread));
    assert.equal(pooled.at(-1)?.status, 'rejected');
  } finally {
    await pool.close();
  }
});

test('overlapping submissions commit in the order they were submitted', async () => {
  const pool = createPreparePool({ randomRate: 0 }, 1);
  const store = openSqliteStore({ memory: true });
  const deps = {
    store,
    snapshot: () => snapshot,
    prepare: (r: readonly unknown[], ctx: RequestContext) => pool.prepare(r, ctx),
  };
  try {
    const first = postalItem();
    const second = postalItem({ items: [{ ...postalItem().items[0]!, quantity: 3 }] });
    // a big first batch takes longer to prepare than the small second one
    const filler = [...generateFlood({ seed: 'order', count: 1500, day: '2026-11-27' })].map((r) => r.input);
    const [a, b] = await Promise.all([
      submitBatch(ctx, [...filler, first], deps),
      submitBatch({ ...ctx, now: '2026-11-27T10:00:01.000Z' }, [second], deps),
    ]);
    assert.equal(a.at(-1)?.status, 'created');
    assert.equal(b[0]?.status === 'amended' || b[0]?.status === 'rejected', true);
    const c = await store.get(a.at(-1)!.consignmentId!);
    if (b[0]?.status === 'amended') assert.equal(c?.merged.items[0]?.quantity, 3);
  } finally {
    await pool.close();
  }
});
