/**
 * A parcel released before arrival stays released when it arrives: its data can no longer be amended
 * and its response still says RELEASE. A parcel held when it arrived (or held by an officer after
 * arrival) can still be amended, and its response is PENDING until an officer decides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildResponse,
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
const officer = { ...ctx, actor: 'officer:1' };

function deps(): PipelineDeps {
  return { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
}

const changed = () =>
  postalItem({ items: [{ ...postalItem().items[0]!, value: { amount: '5.00', currency: 'EUR' } }] });

async function releasedThenArrived(d: PipelineDeps): Promise<string> {
  const [a] = await submitBatch(ctx, [postalItem()], d);
  const id = a!.consignmentId!;
  if (a?.state !== 'released-before-arrival') {
    await recordOfficerDecision(officer, d.store, id, { action: 'release', reason: 'checked' });
  }
  assert.equal((await d.store.get(id))?.state, 'released-before-arrival');
  await recordCarrierEvent(ctx, d.store, id, { type: 'arrived' });
  assert.equal((await d.store.get(id))?.state, 'arrived');
  return id;
}

test('an amendment after a release before arrival is refused once the parcel has arrived', async () => {
  const d = deps();
  const id = await releasedThenArrived(d);
  const [b] = await submitBatch({ ...ctx, now: '2026-11-27T12:00:00.000Z' }, [changed()], d);
  assert.equal(b?.status, 'rejected');
  assert.equal(b?.issues?.[0]?.code, 'amendment.after-release');
  assert.match(b?.issues?.[0]?.message ?? '', /released/);
  const c = await d.store.get(id);
  assert.equal(c?.version, 1);
  assert.equal(c?.merged.items[0]?.value.amount, postalItem().items[0]!.value.amount);
});

test('the response of a parcel released before arrival still says release after it arrives', async () => {
  const d = deps();
  const id = await releasedThenArrived(d);
  const r = buildResponse((await d.store.get(id))!);
  assert.match(r.response, /^RELEASE/);
});

test('an officer hold after arrival ends the release: amendments are accepted again', async () => {
  const d = deps();
  const id = await releasedThenArrived(d);
  await recordOfficerDecision(officer, d.store, id, { action: 'inspect', reason: 'x-ray anomaly' });
  const held = (await d.store.get(id))!;
  assert.equal(held.state, 'arrived');
  assert.equal(buildResponse(held).response, 'PENDING');
  const [b] = await submitBatch({ ...ctx, now: '2026-11-27T12:00:00.000Z' }, [changed()], d);
  assert.equal(b?.status, 'amended');
});

test('a parcel held when it arrived can still be amended', async () => {
  const d = deps();
  const gift = postalItem({ category: 'gift', items: [{ ...postalItem().items[0]!, description: 'gift' }] });
  const [a] = await submitBatch(ctx, [gift], d);
  assert.notEqual(a?.decision, 'release', 'a vague gift declaration is held');
  await recordCarrierEvent(ctx, d.store, a!.consignmentId!, { type: 'arrived' });
  const arrived = (await d.store.get(a!.consignmentId!))!;
  assert.equal(buildResponse(arrived).response, 'PENDING');
  const [b] = await submitBatch({ ...ctx, now: '2026-11-27T12:00:00.000Z' }, [postalItem()], d);
  assert.equal(b?.status, 'amended');
});
