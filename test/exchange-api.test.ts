import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { generateSigningKeyPair, sampleThreeDocuments } from '../src/exchange/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { openExchangeApp, sendThreeDocument } from './helpers/exchange-app.js';
import { publicNames } from '../src/exchange/webhooks/testing/destinations.js';

const snapshot = loadSnapshot({ randomRate: 0 });

const setup = () =>
  openExchangeApp({
    prefix: 'pg-xapi-',
    snapshot,
    now: '2026-11-29T10:00:00Z',
    webhookDestinations: publicNames,
  });

test('the feed serves only the caller’s events, in seq order, and continues from its cursor', async () => {
  const t = await setup();
  try {
    const as = (who: string, serial: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: { 'x-submitter-id': who },
        payload: postalItem({}, serial),
      });
    assert.equal((await as('post-a', '10000001')).statusCode, 201);
    assert.equal((await as('post-b', '10000002')).statusCode, 201);
    assert.equal((await as('post-a', '10000003')).statusCode, 201);
    const page = (after: number, limit = 100) =>
      t.app.inject({
        url: `/v1/feed?after=${after}&limit=${limit}`,
        headers: { 'x-submitter-id': 'post-a' },
      });
    const all = (await page(0)).json() as {
      events: { seq: number; id: string; consignmentId: string }[];
      next: number;
    };
    assert.equal(all.events.length, 6, 'three events for each of post-a’s two consignments');
    const seqs = all.events.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    assert.ok(all.events.every((e) => e.id === `evt_${e.seq}`));
    const first = (await page(0, 4)).json() as { events: { seq: number }[]; next: number };
    const rest = (await page(first.next)).json() as { events: { seq: number }[]; next: number };
    assert.deepEqual(
      [...first.events, ...rest.events].map((e) => e.seq),
      seqs,
    );
    assert.deepEqual((await page(rest.next)).json(), { events: [], next: rest.next });
    const bad = await t.app.inject({ url: '/v1/feed?after=-1' });
    assert.equal(bad.statusCode, 400);
  } finally {
    await t.close();
  }
});

test('webhook subscriptions: the secret is shown once, listed without it, replayable, and owned', async () => {
  const t = await setup();
  try {
    const h = { 'x-submitter-id': 'post-a' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: h,
      payload: { url: 'https://receiver.example/hook', eventTypes: ['consignment.released'] },
    });
    assert.equal(created.statusCode, 201);
    const sub = created.json() as { id: string; secret: string };
    assert.match(sub.secret, /^whsec_/);
    const listed = (await t.app.inject({ url: '/v1/webhooks', headers: h })).json() as {
      subscriptions: object[];
    };
    assert.equal(listed.subscriptions.length, 1);
    assert.ok(!('secret' in (listed.subscriptions[0] ?? {})));
    const replayed = await t.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${sub.id}/replay`,
      headers: h,
      payload: { fromSeq: 1 },
    });
    assert.deepEqual(replayed.json(), { replayFrom: 1 });
    const other = await t.app.inject({
      url: `/v1/webhooks/${sub.id}`,
      headers: { 'x-submitter-id': 'post-b' },
    });
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().code, 'webhook.not-found');
    const badUrl = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: h,
      payload: { url: 'ftp://x' },
    });
    assert.equal(badUrl.json().code, 'webhook.invalid-url');
  } finally {
    await t.close();
  }
});

test('three documents over the API: keys registered per operator, signed documents, an accepted list', async () => {
  const t = await setup();
  try {
    const docs = sampleThreeDocuments();
    for (const kind of ['order', 'payment', 'waybill', 'list'] as const) {
      const { reg, res } = await sendThreeDocument(t.app, kind, generateSigningKeyPair(), docs);
      assert.equal(reg.statusCode, 201, reg.body);
      assert.equal(res.statusCode, 200, res.body);
      if (kind === 'list') assert.equal(res.json().status, 'accepted', res.body);
    }
    const status = await t.app.inject({
      url: `/v1/three-documents/orders/${docs.order.orderNo}`,
      headers: { 'x-submitter-id': 'opr_payco' },
    });
    assert.equal(status.json().list.status, 'accepted');
    const stranger = await t.app.inject({
      url: `/v1/three-documents/orders/${docs.order.orderNo}`,
      headers: { 'x-submitter-id': 'x' },
    });
    assert.equal(stranger.statusCode, 404);
    const unsigned = await t.app.inject({
      method: 'POST',
      url: '/v1/three-documents/order',
      headers: { 'x-submitter-id': 'opr_platform' },
      payload: { keyId: 'k-order', payload: JSON.stringify(docs.order), signature: 'AAAA' },
    });
    assert.equal(unsigned.statusCode, 403);
    assert.equal(unsigned.json().issues[0].code, 'signature.invalid');
  } finally {
    await t.close();
  }
});

test('without an exchange store the exchange routes answer 503 exchange.unavailable', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({ store, snapshot: () => snapshot });
  const res = await app.inject({ url: '/v1/feed' });
  assert.equal(res.statusCode, 503);
  assert.equal(res.json().code, 'exchange.unavailable');
  await app.close();
  await store.close();
});

test('POST /v1/bulk takes the template as CSV, NDJSON or .xlsx and answers each record by line', async () => {
  const t = await setup();
  try {
    const { writeCsv, writeXlsx } = await import('../src/intake/index.js');
    const good = postalItem({}, '20000001');
    const bad = { ...postalItem({}, '20000002'), category: 'bribe' };
    const xlsx = await t.app.inject({
      method: 'POST',
      url: '/v1/bulk',
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'x-submitter-id': 'post-x',
      },
      payload: await writeXlsx([good, bad as never]),
    });
    assert.equal(xlsx.statusCode, 200, xlsx.body);
    const body = xlsx.json() as {
      records: number;
      results: { line: number; status: string; issues?: { path: string }[] }[];
    };
    assert.equal(body.records, 2);
    assert.deepEqual(
      body.results.map((r) => [r.line, r.status]),
      [
        [2, 'created'],
        [3, 'rejected'],
      ],
    );
    assert.equal(body.results[1]?.issues?.[0]?.path, '/category');
    const csv = await t.app.inject({
      method: 'POST',
      url: '/v1/bulk',
      headers: { 'content-type': 'text/csv' },
      payload: writeCsv([postalItem({}, '20000003')]),
    });
    assert.deepEqual((csv.json() as { byStatus: object }).byStatus, { created: 1 });
    const nd = await t.app.inject({
      method: 'POST',
      url: '/v1/bulk',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify(postalItem({}, '20000004'))}\n{"broken"\n`,
    });
    assert.deepEqual(
      (nd.json() as { results: { status: string }[] }).results.map((r) => r.status),
      ['created', 'rejected'],
    );
    const junk = await t.app.inject({
      method: 'POST',
      url: '/v1/bulk',
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      payload: Buffer.from('not a workbook'),
    });
    assert.equal(
      (junk.json() as { results: { issues: { code: string }[] }[] }).results[0]?.issues[0]?.code,
      'xlsx.unreadable',
    );
  } finally {
    await t.close();
  }
});
