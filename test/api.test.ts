import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/reference/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

async function app() {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  return { a, store };
}

test('POST one consignment answers 201 with the decision, then GET returns it', async () => {
  const { a } = await app();
  const res = await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
  assert.equal(res.statusCode, 201);
  const body = res.json();
  assert.equal(body.status, 'created');
  const got = await a.inject({ method: 'GET', url: `/v1/consignments/${body.consignmentId}` });
  assert.equal(got.statusCode, 200);
  assert.equal(got.json().merged.transportDocument.id, postalItem().transportDocument!.id);
  const resp = await a.inject({ method: 'GET', url: `/v1/consignments/${body.consignmentId}/response` });
  assert.equal(resp.json().consignmentId, body.consignmentId);
  assert.equal(resp.json().currency, 'EUR');
});

test('a carrier delivery is recorded once: a repeated delivered writes no second event', async () => {
  const { a } = await app();
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    a.inject({ method: 'POST', url, payload: payload as object, headers });
  const eventsOf = async (id: string) =>
    (await a.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json().events as {
      type: string;
      seq: number;
    }[];
  const released = async (payload: ReturnType<typeof postalItem>) => {
    const id = (await post('/v1/consignments', payload)).json().consignmentId as string;
    if ((await eventsOf(id)).at(-1)?.type !== 'consignment.released-before-arrival')
      await post(
        `/v1/consignments/${id}/decisions`,
        { action: 'release', reason: 'checked' },
        { 'x-actor': 'officer:kim' },
      );
    return id;
  };
  // Released before arrival, then delivered: consignment.released once, the repeat answered as such.
  const early = await released(postalItem());
  const first = await post(`/v1/consignments/${early}/carrier-events`, { type: 'delivered' });
  assert.equal(first.statusCode, 200);
  assert.equal(first.json().event.type, 'consignment.released');
  assert.equal(first.json().repeated, undefined);
  const count = (await eventsOf(early)).length;
  const second = await post(`/v1/consignments/${early}/carrier-events`, { type: 'delivered' });
  assert.equal(second.statusCode, 200);
  assert.equal(second.json().repeated, true);
  assert.equal(second.json().event.type, 'consignment.released');
  assert.equal(second.json().event.seq, (await eventsOf(early)).at(-1)!.seq);
  assert.equal(second.json().response.state, 'released');
  assert.equal((await eventsOf(early)).length, count, 'no second event');
  assert.ok(!(await eventsOf(early)).some((e) => e.type === 'consignment.delivered'));
  // Released by an officer after arrival, then delivered: consignment.delivered once.
  const late = await released(postalItem({}, '44444444'));
  await post(`/v1/consignments/${late}/carrier-events`, { type: 'arrived' });
  await post(
    `/v1/consignments/${late}/decisions`,
    { action: 'release', reason: 'checked' },
    { 'x-actor': 'officer:kim' },
  );
  const delivered = await post(`/v1/consignments/${late}/carrier-events`, { type: 'delivered' });
  assert.equal(delivered.json().event.type, 'consignment.delivered');
  const repeat = await post(`/v1/consignments/${late}/carrier-events`, { type: 'delivered' });
  assert.equal(repeat.json().repeated, true);
  assert.equal((await eventsOf(late)).filter((e) => e.type === 'consignment.delivered').length, 1);
  // A delivered parcel may still be refused or returned.
  const refused = await post(`/v1/consignments/${late}/carrier-events`, { type: 'returned' });
  assert.equal(refused.json().response.state, 'returned');
});

test('an invalid single consignment is a 422 problem listing every issue with its path', async () => {
  const { a } = await app();
  const bad = postalItem({ routing: { dispatchCountry: 'CN', destinationCountry: 'ZZ' } });
  (bad.items[0] as { hsCode: string }).hsCode = '999999';
  const res = await a.inject({ method: 'POST', url: '/v1/consignments', payload: bad });
  assert.equal(res.statusCode, 422);
  assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
  const p = res.json();
  assert.equal(p.code, 'consignment.rejected');
  assert.equal(p.type, 'urn:parcelgate:problem:consignment.rejected');
  const paths = p.issues.map((i: { path: string }) => i.path);
  assert.ok(paths.includes('/items/0/hsCode'));
  assert.ok(paths.includes('/routing/destinationCountry'));
});

test('a batch answers one result per record in order', async () => {
  const { a } = await app();
  const bad = postalItem({}, '11111111');
  (bad as { category: string }).category = 'bribe';
  const res = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: { consignments: [postalItem({}, '22222222'), bad, postalItem({}, '33333333')] },
  });
  assert.equal(res.statusCode, 200);
  const b = res.json();
  assert.deepEqual(
    b.results.map((r: { status: string }) => r.status),
    ['created', 'rejected', 'created'],
  );
  assert.equal(b.results[1].issues[0].path, '/category');
  // The counters count every record of the batch, by outcome and by decision.
  const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /parcelgate_records_total\{status="created"\} 2/);
  assert.match(metrics, /parcelgate_records_total\{status="rejected"\} 1/);
  const decided = [...metrics.matchAll(/parcelgate_decisions_total\{decision="[^"]+"\} (\d+)/g)];
  assert.equal(
    decided.reduce((n, m) => n + Number(m[1]), 0),
    2,
  );
});

test('a batch over 10,000 records is refused with batch.too-large', async () => {
  const { a } = await app();
  const res = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: { consignments: new Array(10_001).fill({}) },
  });
  assert.equal(res.statusCode, 413);
  assert.equal(res.json().code, 'batch.too-large');
});

test('malformed JSON and prototype-pollution keys are clean problems', async () => {
  const { a } = await app();
  const bad = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: '{"source":',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'request.malformed-json');
  const proto = await a.inject({
    method: 'POST',
    url: '/v1/consignments',
    payload: '{"__proto__": {"admin": true}}',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(proto.statusCode, 400);
  assert.equal(proto.json().code, 'request.forbidden-key');
});

test('a bulk batch keeps characters beyond ASCII as sent, and a broken one is a malformed-JSON problem', async () => {
  const { a } = await app();
  // Over 1 MiB (a bulk body) with a few names beyond ASCII: read as one-byte text with escapes.
  const names = ['Zoë Müller', '张伟', 'Ольга Петрова', 'Ana 📦 Lima'];
  const records = Array.from({ length: 1500 }, (_, i) =>
    postalItem(
      i % 400 === 7
        ? {
            consignee: {
              name: names[(i / 400) | 0]!,
              address: { street: 'Hauptstrasse 5', city: 'Berlin', postcode: '10115', country: 'DE' },
            },
          }
        : {},
      String(20_000_000 + i),
    ),
  );
  const text = JSON.stringify({ consignments: records });
  assert.ok(Buffer.byteLength(text) > 1024 * 1024);
  const post = (payload: string) =>
    a.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload,
      headers: { 'content-type': 'application/json' },
    });
  const res = await post(text);
  assert.equal(res.statusCode, 200);
  const results = res.json().results as { consignmentId: string }[];
  for (let i = 7; i < records.length; i += 400) {
    const got = await a.inject({ method: 'GET', url: `/v1/consignments/${results[i]!.consignmentId}` });
    assert.equal(got.json().merged.consignee.name, names[(i / 400) | 0]);
  }
  // An escape in front of a character beyond ASCII is not JSON, in a bulk body as in a small one.
  const broken = text.replace('Zoë', 'Zo\\ë');
  const bad = await post(broken);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'request.malformed-json');
  assert.match(bad.json().detail, /not valid JSON/);
});

test('officer decisions need a reason; carrier events move the state', async () => {
  const { a } = await app();
  const id = (await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() })).json()
    .consignmentId;
  const noReason = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'seize' },
  });
  assert.equal(noReason.statusCode, 400);
  assert.equal(noReason.json().code, 'decision.reason-required');
  const arrived = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    payload: { type: 'arrived' },
  });
  assert.equal(arrived.statusCode, 200);
  assert.equal(arrived.json().response.state, 'arrived');
  const seized = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    headers: { 'x-actor': 'officer:kim' },
    payload: { action: 'seize', reason: 'counterfeit trainers' },
  });
  assert.equal(seized.json().response.state, 'seized');
  const events = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json().events;
  assert.equal(events.at(-1).actor, 'officer:kim');
  const again = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'release', reason: 'changed mind' },
  });
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'state.transition-not-allowed');
});

test('list filters by state and pages with a cursor without repeats', async () => {
  const { a } = await app();
  const batch = Array.from({ length: 25 }, (_, i) => postalItem({}, String(10_000_000 + i)));
  await a.inject({ method: 'POST', url: '/v1/consignments', payload: { consignments: batch } });
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const url: string = `/v1/consignments?limit=10${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await a.inject({ method: 'GET', url })).json();
    for (const c of page.items) {
      assert.ok(!seen.has(c.id));
      seen.add(c.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(seen.size, 25);
  const bad = await a.inject({ method: 'GET', url: '/v1/consignments?state=flying' });
  assert.equal(bad.statusCode, 400);
});

test('quote returns the tax lines and stores nothing', async () => {
  const { a, store } = await app();
  const res = await a.inject({ method: 'POST', url: '/v1/quote', payload: postalItem() });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().jurisdiction, 'EU-DE');
  assert.equal((await store.stats()).consignments, 0);
});

test('quote as of a date uses the rules then in force, and rejects a date that is not ISO', async () => {
  const { a } = await app();
  const at = (date: string) =>
    // Without an expected arrival, the quote date is the relevant date (docs/revenue.md).
    a.inject({
      method: 'POST',
      url: `/v1/quote?date=${date}`,
      payload: { ...postalItem(), dates: undefined },
    });
  const before = (await at('2025-03-14')).json();
  const after = (await at('2026-07-01')).json();
  assert.equal(before.versions.profile, 'eu@2026-11-30');
  assert.ok(before.lines.some((l: { measure: string }) => l.measure.startsWith('Duty relief')));
  assert.ok(after.lines.some((l: { rate: string }) => l.rate.endsWith('per tariff subheading')));
  const bad = await at('yesterday');
  assert.deepEqual([bad.statusCode, bad.json().code], [400, 'request.invalid']);
});

test('unknown ids and routes are 404 problems', async () => {
  const { a } = await app();
  const r1 = await a.inject({ method: 'GET', url: '/v1/consignments/csg_nope' });
  assert.equal(r1.json().code, 'consignment.not-found');
  const r2 = await a.inject({ method: 'GET', url: '/v2/nothing' });
  assert.equal(r2.json().code, 'route.not-found');
});

test('health, metrics, OpenAPI and docs are served', async () => {
  const { a } = await app();
  await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
  assert.equal((await a.inject({ method: 'GET', url: '/healthz' })).json().status, 'ok');
  const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /parcelgate_records_total\{status="created"\} 1/);
  const oa = (await a.inject({ method: 'GET', url: '/openapi.json' })).json();
  assert.equal(oa.openapi, '3.1.0');
  assert.ok(oa.paths['/v1/consignments']);
  assert.equal((await a.inject({ method: 'GET', url: '/docs' })).statusCode < 400, true);
});

test('postal XML items are submitted, and the response and datasets come back', async () => {
  const { a } = await app();
  const xml = readFileSync(join(packageRoot, 'docs', 'formats', 'samples', 'postal-itmatt.xml'), 'utf8');
  const res = await a.inject({
    method: 'POST',
    url: '/v1/postal/items',
    payload: xml,
    headers: { 'content-type': 'application/xml' },
  });
  assert.equal(res.statusCode, 200, res.body);
  const results = res.json().results;
  assert.equal(results.length, 2);
  const id = results[0].consignmentId;
  const cusrsp = await a.inject({ method: 'GET', url: `/v1/consignments/${id}/response.xml` });
  assert.match(cusrsp.headers['content-type'] as string, /xml/);
  assert.match(cusrsp.body, /<\?xml/);
  const h7 = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}/datasets/h7` })).json();
  assert.equal(h7.format, 'h7');
  assert.ok(Array.isArray(h7.issues));
  const hostile = await a.inject({
    method: 'POST',
    url: '/v1/postal/items',
    payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><ITMATT>&a;</ITMATT>',
    headers: { 'content-type': 'application/xml' },
  });
  assert.equal(hostile.statusCode, 422);
});

test('classify suggests HS codes for a batch of descriptions', async () => {
  const { a } = await app();
  const res = await a.inject({
    method: 'POST',
    url: '/v1/classify',
    payload: { descriptions: ["Men's cotton T-shirt", 'phone case for iPhone'] },
  });
  assert.equal(res.statusCode, 200);
  const r = res.json().results;
  assert.equal(r[0].hs6, '610910');
  assert.equal(r.length, 2);
});
