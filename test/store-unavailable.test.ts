import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { isStoreUnavailable, openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

test('connection failures are told apart from faults', () => {
  const coded = (code: string) => Object.assign(new Error('x'), { code });
  for (const e of ['57P01', '08006', '08003', 'ECONNRESET', 'ECONNREFUSED'].map(coded))
    assert.ok(isStoreUnavailable(e), (e as { code: string }).code);
  assert.ok(isStoreUnavailable(new Error('Connection terminated unexpectedly')));
  for (const e of [coded('23505'), coded('40001'), coded('store.key-conflict'), new Error('boom'), null])
    assert.equal(isStoreUnavailable(e), false, String(e));
});

test('a batch whose database connection ends answers 503 store.unavailable with Retry-After, and the server goes on', async () => {
  const store = openSqliteStore({ memory: true });
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({ store, snapshot: () => snapshot });
  const transact = store.transact.bind(store);
  let cut = true;
  store.transact = ((...args: Parameters<typeof transact>) => {
    if (cut) return Promise.reject(new Error('Connection terminated unexpectedly'));
    return transact(...args);
  }) as typeof store.transact;
  try {
    const body = { consignments: [postalItem({}, '51000001')] };
    const res = await app.inject({ method: 'POST', url: '/v1/consignments', payload: body });
    assert.equal(res.statusCode, 503, res.body);
    assert.equal(res.headers['retry-after'], '1');
    assert.equal(res.json().code, 'store.unavailable');
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    cut = false;
    const again = await app.inject({ method: 'POST', url: '/v1/consignments', payload: body });
    assert.equal(again.statusCode, 200, again.body);
  } finally {
    await app.close();
    await store.close();
  }
});
