/**
 * Two officers deciding the same parcel (docs/console.md, "Decisions"): a decision carries the
 * `updatedAt` of the consignment the officer read (`unchangedSince`); when the consignment changed
 * since (another officer's decision, an answer, an arrival), the decision is refused with 409
 * `decision.stale` and nothing is written. Without `unchangedSince` the API behaves as before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { teaParcel } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

test('a decision on a consignment changed since the officer read it is refused, and writes nothing', async () => {
  const store = openSqliteStore({ memory: true });
  let now = Date.parse('2026-11-27T10:00:00Z');
  const app = await buildApp({ store, snapshot: () => snapshot, clock: () => new Date((now += 1000)) });
  try {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: teaParcel('24000001'),
      headers: { 'x-submitter-id': 'opr_post' },
    });
    const id = created.json().consignmentId as string;
    const read = async () => (await app.inject({ url: `/v1/consignments/${id}` })).json();
    const decide = (actor: string, body: object) =>
      app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/decisions`,
        headers: { 'x-actor': actor },
        payload: body,
      });

    // Both officers open the parcel held for information.
    const seenByA = await read();
    const seenByB = await read();
    assert.equal(seenByA.state, 'held-for-information');

    // A sends it to inspection.
    const a = await decide('officer:a', {
      action: 'inspect',
      reason: 'x-ray needed',
      unchangedSince: seenByA.updatedAt,
    });
    assert.equal(a.statusCode, 200, a.body);
    const events = (await store.events(id)).length;

    // B, still looking at the parcel held for information, releases it: refused, nothing written.
    const b = await decide('officer:b', {
      action: 'release',
      reason: 'answer is fine',
      unchangedSince: seenByB.updatedAt,
    });
    assert.equal(b.statusCode, 409, b.body);
    assert.equal(b.json().code, 'decision.stale');
    assert.match(b.json().detail, /changed since/);
    assert.equal(b.json().state, 'held-for-inspection');
    assert.equal((await store.events(id)).length, events);
    assert.equal((await read()).state, 'held-for-inspection');

    // Having read it again, B decides.
    const fresh = await read();
    const again = await decide('officer:b', {
      action: 'release',
      reason: 'inspected, nothing found',
      finding: 'nothing-found',
      unchangedSince: fresh.updatedAt,
    });
    assert.equal(again.statusCode, 200, again.body);

    // Not an instant: a 400 naming the field.
    const bad = await decide('officer:b', {
      action: 'release',
      reason: 'again',
      unchangedSince: 'yesterday',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(bad.body, /unchangedSince/);
  } finally {
    await app.close();
    await store.close();
  }
});

test('a finding is a code: free text, an empty one or capitals are refused, not counted as a hit', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  try {
    const created = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: teaParcel('24000002'),
      headers: { 'x-submitter-id': 'opr_post' },
    });
    const id = created.json().consignmentId as string;
    const decide = (finding: string) =>
      app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/decisions`,
        headers: { 'x-actor': 'officer:a' },
        payload: { action: 'inspect', reason: 'x-ray', finding },
      });
    for (const finding of ['', 'Nothing found', 'NOTHING-FOUND', 'nothing-found ']) {
      const r = await decide(finding);
      assert.equal(r.statusCode, 400, `${JSON.stringify(finding)}: ${r.body}`);
      assert.match(r.body, /finding/);
    }
    assert.equal((await store.events(id)).length, 3, 'nothing written');
    assert.equal((await decide('nothing-found')).statusCode, 200);
    const k = (await app.inject({ url: '/v1/kpi' })).json();
    assert.deepEqual(k.hitRate.selected, { inspectedWithFinding: 1, hits: 0, rate: 0 });
  } finally {
    await app.close();
    await store.close();
  }
});
