/**
 * A partial return (the buyer keeps some items) reaches the revenue ledger: only the returned items'
 * lines are unwound, the buyer's per-person total keeps the kept items, the consignment keeps its
 * state; the return of the rest unwinds what is left, each line once.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { openRegistryServices } from '../src/api/index.js';
import {
  loadSnapshot,
  recordCarrierEvent,
  submitBatch,
  type RequestContext,
} from '../src/clearance/index.js';
import { openSqliteRevenue } from '../src/clearance/testing/sqlite-revenue.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { identityPersonKey } from '../src/revenue/person-key.js';
import { openSqliteStore, sqliteFileName } from '../src/store/index.js';
import { cnPlatformOrder } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const base = loadSnapshot({ classifier: false, randomRate: 0 });
const buyer = '31010119900101123X';
const ctx: RequestContext = { actor: 't', submitterId: 't', now: '2026-03-02T08:00:00.000Z' };
const closers: (() => unknown)[] = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

test('a partial return unwinds only the returned item: ledger trail and the buyer’s annual total', async () => {
  const dir = scratchDir('parcelgate-partial-return-');
  const store = openSqliteStore({ dataDir: dir });
  const { rt, ledger, feed } = await openSqliteRevenue(dir, store, base, (e) => assert.fail(String(e)));
  const registry = await openRegistryServices(
    openSqliteRegistry({ file: path.join(dir, sqliteFileName) }),
    store,
  );
  closers.push(
    () => store.close(),
    () => registry.close(),
    () => feed.close(),
    () => ledger.close(),
    () => rt.flush(),
  );
  const deps = {
    store: rt.storeOf(store),
    snapshot: () => rt.snapshotOf(base),
    observeWrites: rt.observeWrites.bind(rt),
  };
  const order = cnPlatformOrder('50000001', { cny: '3000', buyerId: buyer });
  const two = {
    ...order,
    items: [order.items[0]!, { ...order.items[0]!, value: { amount: '1000', currency: 'CNY' } }],
  };
  const [r] = await submitBatch(ctx, [two], deps);
  const id = r!.consignmentId!;
  const c = (await store.get(id))!;
  assert.equal(c.assessment.revenue.collectionModel, 'platform-withholding');
  await recordCarrierEvent(ctx, store, id, { type: 'arrived' });
  await recordCarrierEvent(ctx, store, id, { type: 'delivered' });
  await rt.catchUp();
  const key = identityPersonKey(`PERSONAL:${buyer}`);
  const year = async () => {
    const release = await rt.history.hold([key]);
    try {
      return rt.history.totals(key, 'CN', '2026-03-03', 'CNY', 2).yearToDate;
    } finally {
      release();
    }
  };
  const stored = async () =>
    (await ledger.personImportsSince('2026-01-01'))
      .filter((p) => p.consignmentId === id)
      .map((p) => p.amount);
  assert.equal(await year(), '4000.00');

  const ret = await registry.returns.register(
    {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'changed-mind',
      itemIndexes: [1],
      applyClearanceEvent: true,
    },
    { ...ctx, now: '2026-03-05T08:00:00.000Z' },
  );
  const after1 = (await store.get(id))!;
  assert.equal(after1.state, 'released', 'the buyer kept an item: the consignment is not returned');
  assert.deepEqual(after1.returnedItems, [1]);
  await rt.catchUp();
  // The buyer's total and the stored entry keep the ¥3,000 item only.
  assert.equal(await year(), '3000.00');
  assert.deepEqual(await stored(), ['3000.00']);
  const rev = c.assessment.revenue;
  const sum = (pred: (i: number | undefined) => boolean) =>
    rev.lines
      .filter((l) => l.collectedBy === 'platform' && pred(l.itemIndex))
      .reduce((s, l) => s.plus(l.amount), new Decimal(0));
  const reversals = () => ledger.trail(id).then((t) => t.filter((e) => e.kind === 'reversal'));
  // Only item 1's lines are unwound: its duty (0% for CBEC) and none of the order's VAT, a line of the
  // whole order, which goes with the return that completes the set (as the return's refund position).
  const first = await reversals();
  assert.ok(
    first.reduce((s, e) => s.plus(e.amount), new Decimal(0)).eq(sum((i) => i === 1)),
    JSON.stringify(first),
  );
  assert.ok(sum((i) => i === 1).lt(sum(() => true)));
  assert.ok(new Decimal(ret.refund.sellerRefunds).eq(sum((i) => i === 1)));

  // The rest goes back: the consignment is returned, the rest of the lines unwound, nothing counts.
  await registry.returns.register(
    {
      consignmentId: id,
      kind: 'returned-by-buyer',
      reason: 'changed-mind',
      itemIndexes: [0],
      applyClearanceEvent: true,
    },
    { ...ctx, now: '2026-03-06T08:00:00.000Z' },
  );
  assert.equal((await store.get(id))!.state, 'returned');
  await rt.catchUp();
  assert.equal(await year(), '0.00');
  assert.deepEqual(await stored(), []);
  const all = await reversals();
  assert.ok(
    all.reduce((s, e) => s.plus(e.amount), new Decimal(0)).eq(sum(() => true)),
    'every line reversed exactly once',
  );
});
