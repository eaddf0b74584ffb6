import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadSnapshot,
  recordCarrierEvent,
  recordOfficerDecision,
  submitBatch,
  type PipelineDeps,
} from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-27T10:00:00.000Z';
const ctx = { actor: 'post-de', submitterId: 'post-de', now };

function deps(): PipelineDeps {
  return { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
}

test('a valid record is stored, assessed and routed, with one event per transition', async () => {
  const d = deps();
  const [r] = await submitBatch(ctx, [postalItem()], d);
  assert.equal(r?.status, 'created');
  assert.match(r?.consignmentId ?? '', /^csg_/);
  const c = await d.store.get(r!.consignmentId!);
  assert.equal(c?.version, 1);
  assert.equal(c?.state, r?.state);
  const events = await d.store.events(c!.id);
  assert.deepEqual(
    events.map((e) => [e.from, e.to]),
    [
      [null, 'declared'],
      ['declared', 'assessed'],
      ['assessed', c!.state],
    ],
  );
  assert.ok(c!.assessment.revenue.lines.length > 0, 'revenue lines present');
});

test('resubmitting identical data changes nothing', async () => {
  const d = deps();
  const [a] = await submitBatch(ctx, [postalItem()], d);
  const [b] = await submitBatch({ ...ctx, now: '2026-11-27T11:00:00.000Z' }, [postalItem()], d);
  assert.equal(b?.status, 'unchanged');
  assert.equal(b?.consignmentId, a?.consignmentId);
  assert.equal((await d.store.get(a!.consignmentId!))?.version, 1);
  assert.equal((await d.store.events(a!.consignmentId!)).length, 3);
});

test('a second source of the same parcel is linked into the same consignment', async () => {
  const d = deps();
  const [a] = await submitBatch(ctx, [postalItem()], d);
  const order = postalItem({ source: 'platform-order' });
  const [b] = await submitBatch({ ...ctx, submitterId: 'mkt', actor: 'mkt' }, [order], d);
  assert.equal(b?.status, 'linked');
  assert.equal(b?.consignmentId, a?.consignmentId);
  const c = await d.store.get(a!.consignmentId!);
  assert.deepEqual(c?.sources.map((s) => s.kind).sort(), ['platform-order', 'postal-item']);
});

test('changed data before release is an amendment: new version, reassessed, history kept', async () => {
  const d = deps();
  const held = postalItem({ category: 'gift', items: [{ ...postalItem().items[0]!, description: 'gift' }] });
  const [a] = await submitBatch(ctx, [held], d);
  assert.notEqual(a?.decision, 'release', 'a vague gift declaration is held');
  const fixed = postalItem();
  const [b] = await submitBatch({ ...ctx, now: '2026-11-27T12:00:00.000Z' }, [fixed], d);
  assert.equal(b?.status, 'amended');
  assert.equal(b?.version, 2);
  const history = await d.store.history(a!.consignmentId!);
  assert.equal(history.length, 1);
  assert.equal(history[0]?.version, 1);
  assert.equal(history[0]?.merged.items[0]?.description, 'gift');
  const events = await d.store.events(a!.consignmentId!);
  assert.ok(events.some((e) => e.type === 'consignment.amended'));
});

test('changed data after release is refused with a clear error and changes nothing', async () => {
  const d = deps();
  const [a] = await submitBatch(ctx, [postalItem()], d);
  if (a?.state !== 'released-before-arrival') {
    await recordOfficerDecision({ ...ctx, actor: 'officer:1' }, d.store, a!.consignmentId!, {
      action: 'release',
      reason: 'checked',
    });
  }
  const changed = postalItem({
    items: [{ ...postalItem().items[0]!, value: { amount: '5.00', currency: 'EUR' } }],
  });
  const [b] = await submitBatch(ctx, [changed], d);
  assert.equal(b?.status, 'rejected');
  assert.equal(b?.issues?.[0]?.code, 'amendment.after-release');
  assert.equal((await d.store.get(a!.consignmentId!))?.version, 1);
});

test('a rejected record gets all its problems and nothing of it is stored, while the rest of the batch is', async () => {
  const d = deps();
  const bad = postalItem({ routing: { dispatchCountry: 'CN', destinationCountry: 'ZZ' } }, '87654321');
  (bad.items[0] as { hsCode: string }).hsCode = '999999';
  const results = await submitBatch(ctx, [postalItem(), bad], d);
  assert.equal(results[0]?.status, 'created');
  assert.equal(results[1]?.status, 'rejected');
  const paths = results[1]!.issues!.map((i) => i.path).sort();
  assert.ok(paths.includes('/items/0/hsCode'), JSON.stringify(results[1]!.issues));
  assert.ok(paths.includes('/routing/destinationCountry'), JSON.stringify(results[1]!.issues));
  assert.equal((await d.store.stats()).consignments, 1);
});

test('carrier arrival and an officer release move the state and are attributed', async () => {
  const d = deps();
  const held = postalItem({ category: 'gift', items: [{ ...postalItem().items[0]!, description: 'gift' }] });
  const [a] = await submitBatch(ctx, [held], d);
  const id = a!.consignmentId!;
  const arrived = await recordCarrierEvent(ctx, d.store, id, { type: 'arrived', location: 'FRA' });
  assert.equal(arrived.consignment.state, 'arrived');
  const released = await recordOfficerDecision({ ...ctx, actor: 'officer:jdoe' }, d.store, id, {
    action: 'release',
    reason: 'invoice checked',
  });
  assert.equal(released.consignment.state, 'released');
  assert.equal(released.event.actor, 'officer:jdoe');
  assert.equal(released.event.reason, 'invoice checked');
});

test('an officer decision without a reason is refused', async () => {
  const d = deps();
  const [a] = await submitBatch(ctx, [postalItem()], d);
  await assert.rejects(
    recordOfficerDecision(ctx, d.store, a!.consignmentId!, { action: 'seize', reason: '' }),
    (e: Error & { code?: string }) => e.code === 'decision.reason-required',
  );
});

test('a transition the table forbids is refused with the allowed triggers', async () => {
  const d = deps();
  const [a] = await submitBatch(ctx, [postalItem()], d);
  const id = a!.consignmentId!;
  await recordCarrierEvent(ctx, d.store, id, { type: 'arrived' });
  await recordCarrierEvent(ctx, d.store, id, { type: 'returned' });
  await assert.rejects(
    recordOfficerDecision(ctx, d.store, id, { action: 'release', reason: 'too late' }),
    (e: Error & { code?: string }) => e.code === 'state.transition-not-allowed',
  );
});
