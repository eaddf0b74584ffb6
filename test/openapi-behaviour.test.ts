/** /openapi.json documents the statuses the consignment endpoints really answer, problems as problem+json. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

test('every status a consignment endpoint answers is documented for that operation', async () => {
  const a = await buildApp({
    store: openSqliteStore({ memory: true }),
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const doc = (await a.inject({ method: 'GET', url: '/openapi.json' })).json();
  assert.ok(doc.components.schemas.Problem, 'the Problem schema is a component');
  const created = await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
  const id = created.json().consignmentId as string;
  const amended = postalItem();
  amended.items[0]!.description = 'Cotton T-shirt, printed';
  const bad = postalItem({}, '22222222');
  (bad as { category: string }).category = 'bribe';
  const cases: { op: [string, string]; url: string; payload?: unknown; type?: string; want: number }[] = [
    {
      op: ['post', '/v1/consignments'],
      url: '/v1/consignments',
      payload: postalItem({}, '33333333'),
      want: 201,
    },
    { op: ['post', '/v1/consignments'], url: '/v1/consignments', payload: postalItem(), want: 200 },
    { op: ['post', '/v1/consignments'], url: '/v1/consignments', payload: bad, want: 422 },
    { op: ['post', '/v1/consignments'], url: '/v1/consignments', payload: amended, want: 409 },
    {
      op: ['post', '/v1/consignments'],
      url: '/v1/consignments',
      payload: { consignments: [bad] },
      want: 200,
    },
    { op: ['post', '/v1/consignments'], url: '/v1/consignments', payload: { consignments: [] }, want: 400 },
    {
      op: ['post', '/v1/consignments'],
      url: '/v1/consignments',
      payload: { consignments: Array.from({ length: 10_001 }, () => ({})) },
      want: 413,
    },
    {
      op: ['post', '/v1/consignments'],
      url: '/v1/consignments',
      payload: 'x',
      type: 'text/plain',
      want: 415,
    },
    { op: ['get', '/v1/consignments'], url: '/v1/consignments?cursor=forged', want: 400 },
    { op: ['get', '/v1/consignments/{id}'], url: '/v1/consignments/csg_missing', want: 404 },
    {
      op: ['post', '/v1/consignments/{id}/decisions'],
      url: `/v1/consignments/${id}/decisions`,
      payload: { action: 'seize' },
      want: 400,
    },
    {
      op: ['post', '/v1/consignments/{id}/decisions'],
      url: `/v1/consignments/${id}/decisions`,
      payload: { action: 'abandon', reason: 'no owner found' },
      want: 409,
    },
    {
      op: ['post', '/v1/consignments/{id}/carrier-events'],
      url: `/v1/consignments/${id}/carrier-events`,
      payload: { type: 'arrived', at: '2030-01-01T00:00:00Z' },
      want: 422,
    },
    {
      op: ['post', '/v1/consignments/{id}/carrier-events'],
      url: `/v1/consignments/${id}/carrier-events`,
      payload: { type: 'refused' },
      want: 409,
    },
    { op: ['post', '/v1/quote'], url: '/v1/quote', payload: bad, want: 422 },
    { op: ['post', '/v1/quote'], url: '/v1/quote', payload: postalItem(), want: 200 },
  ];
  for (const c of cases) {
    const r = await a.inject({
      method: c.op[0].toUpperCase() as 'GET' | 'POST',
      url: c.url,
      ...(c.payload !== undefined ? { payload: c.payload as string } : {}),
      ...(c.type ? { headers: { 'content-type': c.type } } : {}),
    });
    const label = `${c.op[0].toUpperCase()} ${c.url.slice(0, 60)} -> ${r.statusCode}`;
    assert.equal(r.statusCode, c.want, label);
    const documented = doc.paths[c.op[1]][c.op[0]].responses[String(r.statusCode)];
    assert.ok(documented, `${label} is documented`);
    if (r.statusCode >= 400) {
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/, label);
      assert.deepEqual(Object.keys(documented.content), ['application/problem+json'], label);
      for (const field of doc.components.schemas.Problem.required)
        assert.ok(field in r.json(), `${label}: ${field}`);
    }
  }
  await a.close();
});

test('POST /v1/returns documents applyClearanceEvent as optional with default true', async () => {
  const a = await buildApp({
    store: openSqliteStore({ memory: true }),
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const doc = (await a.inject({ method: 'GET', url: '/openapi.json' })).json();
  const body = doc.paths['/v1/returns'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(body.required, ['consignmentId', 'kind', 'reason']);
  assert.equal(body.properties.applyClearanceEvent.type, 'boolean');
  assert.equal(body.properties.applyClearanceEvent.default, true);
  await a.close();
});
