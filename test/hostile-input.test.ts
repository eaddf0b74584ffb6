import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildApp } from '../src/api/index.js';
import { nestsTooDeep } from '../src/api/json-depth.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

async function app() {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({ store, snapshot: () => snapshot });
  return { a, store };
}

const post = (a: Awaited<ReturnType<typeof app>>['a'], url: string, payload: string) =>
  a.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

test('deeply nested JSON is refused before parsing, on every route, with request.too-deep', async () => {
  const { a, store } = await app();
  const nest = (d: number, open: string, close: string) => open.repeat(d) + close.repeat(d);
  const bodies = [
    nest(100_000, '[', ']'),
    `{"consignments":${nest(50_000, '[', ']')}}`,
    '{"a":'.repeat(5000) + '1' + '}'.repeat(5000),
    `{"descriptions":${nest(40, '[', ']')}}`,
  ];
  for (const url of ['/v1/consignments', '/v1/classify', '/v1/quote', '/v1/consignments/x/decisions']) {
    for (const body of bodies) {
      const res = await post(a, url, body);
      assert.equal(res.statusCode, 400, `${url}`);
      assert.equal(res.json().code, 'request.too-deep');
    }
  }
  const ok = await post(a, '/v1/consignments', JSON.stringify(postalItem()));
  assert.equal(ok.statusCode, 201, 'a real record nests far less');
  await a.close();
  await store.close();
});

test('huge strings: small routes cap the body at 1 MiB, bulk intake at its own limit', async () => {
  const { a, store } = await app();
  const huge = JSON.stringify({ descriptions: ['x'.repeat(2_000_000)] });
  const res = await post(a, '/v1/classify', huge);
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().code, 'request.too-large');
  const decision = await post(
    a,
    '/v1/consignments/x/decisions',
    JSON.stringify({ action: 'seize', reason: 'y'.repeat(2e6) }),
  );
  assert.equal(decision.statusCode, 413);
  const record = postalItem();
  record.items[0]!.description = 'z'.repeat(3_000_000);
  const big = await post(a, '/v1/consignments', JSON.stringify(record));
  assert.equal(big.statusCode, 422, 'bulk route reads it and rejects the field');
  assert.ok(big.json().issues.some((i: { path: string }) => i.path === '/items/0/description'));
  await a.close();
  await store.close();
});

test('prototype-pollution keys are refused at any depth and pollute nothing', async () => {
  const { a, store } = await app();
  const bodies = [
    '{"__proto__":{"polluted":true}}',
    `{"consignments":[{"items":[{"__proto__":{"polluted":true}}]}]}`,
    '{"constructor":{"prototype":{"polluted":true}}}',
  ];
  for (const body of bodies) {
    const res = await post(a, '/v1/consignments', body);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'request.forbidden-key');
  }
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  await a.close();
  await store.close();
});

test('ordinary JSON of modest depth is never taken for deep nesting (property)', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 12 }), (v) => {
      const text = JSON.stringify(v);
      if (/[[{]{20}/.test(text)) return; // strings full of brackets are not what this checks
      assert.equal(nestsTooDeep(text), false);
    }),
    { numRuns: 300 },
  );
  assert.equal(nestsTooDeep('['.repeat(33) + ']'.repeat(33)), true);
  assert.equal(nestsTooDeep('['.repeat(32) + ']'.repeat(32)), false);
});
