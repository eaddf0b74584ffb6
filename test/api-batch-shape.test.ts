/**
 * A batch sent as a bare JSON array (a common mistake) is told how to send it, rather than answered
 * "a consignment record must be a JSON object"; nothing of it is stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

test('a bare array body is refused with how to send a batch, and nothing is stored', async () => {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const r = await a.inject({ method: 'POST', url: '/v1/consignments', payload: [postalItem()] });
  assert.equal(r.statusCode, 400, r.body);
  const p = r.json() as { code: string; detail: string; instance: string };
  assert.equal(p.code, 'request.invalid');
  assert.match(p.detail, /\{"consignments": \[\.\.\.\]\}/);
  assert.equal(p.instance, '/v1/consignments');
  assert.equal((await store.list({ limit: 10 })).items.length, 0);
  for (const payload of [{ consignments: [] }, { consignments: Array.from({ length: 10_001 }, () => 1) }]) {
    const q = await a.inject({ method: 'POST', url: '/v1/consignments', payload });
    assert.equal((q.json() as { instance?: string }).instance, '/v1/consignments', q.body);
  }
  await a.close();
});

test('a quote of a batch is refused with one problem saying a quote takes one consignment', async () => {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  for (const payload of [[postalItem()], { consignments: [postalItem(), postalItem()] }]) {
    const r = await a.inject({ method: 'POST', url: '/v1/quote', payload });
    assert.equal(r.statusCode, 400, r.body);
    const p = r.json() as { code: string; detail: string; issues: unknown[] };
    assert.equal(p.code, 'request.invalid');
    assert.match(p.detail, /one consignment/);
    assert.equal(p.issues.length, 1);
  }
  await a.close();
});
