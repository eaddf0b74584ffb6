import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadSnapshot,
  recordCarrierEvent,
  recordOfficerDecision,
  submitBatch,
  type PipelineDeps,
} from '../src/clearance/index.js';
import type { ConsignmentInput } from '../src/domain/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

// A source linked to a parcel released before arrival, disagreeing with what the release was given on,
// reopens it: the parcel is assessed again with every source and routed by that assessment.

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-27T10:00:00.000Z';
const post = { actor: 'post-de', submitterId: 'post-de', now };
const platform = { actor: 'mkt', submitterId: 'mkt', now: '2026-11-27T10:05:00.000Z' };

function deps(): PipelineDeps {
  return { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
}

/** The platform's order of the default postal item, with its item priced at `amount` EUR. */
function order(amount: string, overrides: Partial<ConsignmentInput> = {}): ConsignmentInput {
  const item = postalItem().items[0]!;
  return postalItem({
    source: 'platform-order',
    items: [{ ...item, value: { amount, currency: 'EUR' } }],
    ...overrides,
  });
}

/** The post's record of the same parcel declared at `amount` EUR (a cheap, released parcel). */
function declared(amount: string): ConsignmentInput {
  const item = postalItem().items[0]!;
  return postalItem({ items: [{ ...item, value: { amount, currency: 'EUR' } }] });
}

test('an order worth far more than the released declaration reopens the release and is assessed again', async () => {
  const d = deps();
  const [a] = await submitBatch(post, [declared('6.00')], d);
  assert.equal(a?.state, 'released-before-arrival');
  const id = a!.consignmentId!;
  const [b] = await submitBatch(platform, [order('140.00')], d);
  assert.equal(b?.status, 'linked');
  assert.equal(b?.consignmentId, id);
  const c = (await d.store.get(id))!;
  assert.equal(c.version, 2);
  assert.ok(
    c.mismatches.some((m) => m.field === 'value'),
    JSON.stringify(c.mismatches),
  );
  // The new assessment sees the disagreement and the order's value.
  assert.ok(
    c.assessment.risk.hits.some((h) => /source/i.test(h.id) || /disagree/i.test(h.reason)),
    JSON.stringify(c.assessment.risk.hits.map((h) => h.id)),
  );
  assert.notDeepEqual(c.assessment, a && (await d.store.history(id))[0]?.assessment);
  // Reopened, then routed by the new decision: a hold when it holds, a new release otherwise.
  const events = await d.store.events(id);
  const reopened = events.filter((e) => e.from === 'released-before-arrival' && e.to === 'assessed');
  assert.equal(reopened.length, 1, JSON.stringify(events.map((e) => [e.type, e.from, e.to])));
  assert.equal(reopened[0]?.data?.trigger, 'reopen');
  const link = events.find((e) => e.type === 'consignment.source-linked');
  assert.equal(link?.data?.afterRelease, true);
  assert.equal(link?.data?.mismatches, c.mismatches.length);
  const last = events.at(-1)!;
  assert.equal(last.from, 'assessed');
  assert.equal(last.to, c.state);
  assert.equal(b?.state, c.state);
  assert.equal(b?.decision, c.assessment.decision);
  assert.notEqual(c.state, 'released-before-arrival', `a tenfold value disagreement holds: ${c.state}`);
});

test('an agreeing order links without reopening the release', async () => {
  const d = deps();
  const [a] = await submitBatch(post, [declared('24.00')], d);
  assert.equal(a?.state, 'released-before-arrival');
  const id = a!.consignmentId!;
  const before = (await d.store.get(id))!;
  const [b] = await submitBatch(platform, [order('24.00')], d);
  assert.equal(b?.status, 'linked');
  const c = (await d.store.get(id))!;
  assert.equal(c.state, 'released-before-arrival');
  assert.deepEqual(c.assessment, before.assessment);
  const events = await d.store.events(id);
  assert.ok(!events.some((e) => e.data?.trigger === 'reopen'));
  assert.equal(events.at(-1)?.type, 'consignment.source-linked');
});

test('an officer release that knew the disagreement is not reopened by it again', async () => {
  const d = deps();
  await submitBatch(post, [declared('6.00')], d);
  const [b] = await submitBatch(platform, [order('140.00')], d);
  const id = b!.consignmentId!;
  assert.notEqual(b?.state, 'released-before-arrival');
  await recordOfficerDecision({ ...post, actor: 'officer:1' }, d.store, id, {
    action: 'release',
    reason: 'invoice matches the order',
  });
  const released = (await d.store.get(id))!;
  assert.equal(released.state, 'released-before-arrival');
  // A second platform repeats the same disagreement: linked, the officer's release stands.
  const [c] = await submitBatch(
    { ...platform, submitterId: 'mkt2', actor: 'mkt2' },
    [order('140.00', { platform: { id: 'MKT2', orderId: 'M2-1' } })],
    d,
  );
  assert.equal(c?.status, 'linked');
  const after = (await d.store.get(id))!;
  assert.equal(after.state, 'released-before-arrival');
  assert.deepEqual(after.assessment, released.assessment);
  const events = await d.store.events(id);
  assert.equal(events.filter((e) => e.data?.trigger === 'reopen').length, 1);
  // A new disagreement (another consignee) still reopens it.
  const consignee = { ...postalItem().consignee!, name: 'Peter Meyer' };
  const [e] = await submitBatch(
    { ...platform, submitterId: 'mkt3', actor: 'mkt3' },
    [order('140.00', { consignee, platform: { id: 'MKT3', orderId: 'M3-1' } })],
    d,
  );
  assert.equal(e?.status, 'linked');
  const reopened = (await d.store.events(id)).filter((x) => x.data?.trigger === 'reopen');
  assert.equal(reopened.length, 2);
});

test('after arrival a disagreeing source is kept for audit and does not reopen anything', async () => {
  const d = deps();
  const [a] = await submitBatch(post, [declared('6.00')], d);
  const id = a!.consignmentId!;
  await recordCarrierEvent(post, d.store, id, { type: 'delivered' });
  const [b] = await submitBatch(platform, [order('140.00')], d);
  assert.equal(b?.status, 'linked');
  const c = (await d.store.get(id))!;
  assert.equal(c.state, 'released');
  assert.ok(c.mismatches.some((m) => m.field === 'value'));
  const events = await d.store.events(id);
  assert.ok(!events.some((e) => e.data?.trigger === 'reopen'));
});

test('both records in one batch end as they do in two batches', async () => {
  const one = deps();
  const [, b1] = await submitBatch(post, [declared('6.00'), order('140.00')], one);
  const two = deps();
  await submitBatch(post, [declared('6.00')], two);
  const [b2] = await submitBatch(post, [order('140.00')], two);
  assert.equal(b1?.status, 'linked');
  assert.notEqual(b1?.state, 'released-before-arrival');
  assert.equal(b1?.state, b2?.state);
  assert.equal(b1?.decision, b2?.decision);
  assert.equal(b1?.dueAtBorder, b2?.dueAtBorder);
  const c1 = (await one.store.get(b1!.consignmentId!))!;
  assert.ok(c1.mismatches.some((m) => m.field === 'value'));
});
