/**
 * Another party's record of a kind the consignment already holds (a second post's item data for the
 * same S10 item) that disagrees is recorded as a mismatch, and before arrival it reopens a release,
 * as a disagreeing record of another kind does (docs/matching.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshot, submitBatch, type PipelineDeps } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

test("another post's disagreeing item data is a mismatch and reopens a release before arrival", async () => {
  const d: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const [a] = await submitBatch(
    { actor: 'post-de', submitterId: 'post-de', now: '2026-11-27T10:00:00.000Z' },
    [postalItem()],
    d,
  );
  assert.equal(a?.state, 'released-before-arrival');
  const cheap = postalItem({
    items: [{ ...postalItem().items[0]!, value: { amount: '1.00', currency: 'EUR' } }],
  });
  const [b] = await submitBatch(
    { actor: 'post-x', submitterId: 'post-x', now: '2026-11-27T11:00:00.000Z' },
    [cheap],
    d,
  );
  assert.equal(b?.status, 'linked');
  const c = (await d.store.get(a!.consignmentId!))!;
  const value = c.mismatches.find((m) => m.field === 'value');
  assert.ok(value, JSON.stringify(c.mismatches));
  assert.deepEqual([...value.between].sort(), ['postal-item from post-de', 'postal-item from post-x']);
  assert.notEqual(c.state, 'released-before-arrival', 'the release is reopened and the parcel held');
  const events = await d.store.events(c.id);
  assert.ok(events.some((e) => e.data?.trigger === 'reopen'));
});
