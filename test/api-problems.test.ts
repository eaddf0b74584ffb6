/** Problem details as a client meets them: documented codes, pointers to the field, readable titles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { allErrorCodes } from '../scripts/generated.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const documented = new Set(Object.values(allErrorCodes()).flatMap((r) => Object.keys(r)));

async function app() {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const id = (await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() })).json()
    .consignmentId as string;
  return { a, id };
}

interface Issue {
  code: string;
  path: string;
  message: string;
}

test('envelope validation issues carry documented codes and point at the field at fault', async () => {
  const { a, id } = await app();
  const cases: { method: 'GET' | 'POST'; url: string; payload?: object; want: Issue[] }[] = [
    {
      method: 'POST',
      url: `/v1/consignments/${id}/carrier-events`,
      payload: { type: 'teleported', weight: 3 },
      want: [
        {
          code: 'schema.additional-property',
          path: '/weight',
          message: 'weight is not a field of this request',
        },
        {
          code: 'schema.enum',
          path: '/type',
          message: 'type must be one of "arrived", "delivered", "refused", "returned" (got "teleported")',
        },
      ],
    },
    {
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      payload: { reason: 'checked the invoice', finding: 'x'.repeat(61) },
      want: [
        { code: 'schema.required', path: '/action', message: 'action is required' },
        {
          code: 'schema.max-length',
          path: '/finding',
          message: `finding must NOT have more than 60 characters (got 61 characters: "${'x'.repeat(40)}…")`,
        },
      ],
    },
    {
      method: 'GET',
      url: '/v1/consignments?limit=0&lane=purple',
      want: [
        {
          code: 'schema.enum',
          path: '/lane',
          message: 'lane must be one of "green", "yellow", "red", "blue" (got "purple")',
        },
        { code: 'schema.minimum', path: '/limit', message: 'limit must be >= 1 (got 0)' },
      ],
    },
  ];
  for (const c of cases) {
    const r = await a.inject({ method: c.method, url: c.url, ...(c.payload ? { payload: c.payload } : {}) });
    assert.equal(r.statusCode, 400, c.url);
    const p = r.json();
    assert.equal(p.code, 'request.invalid');
    const got = [...(p.issues as Issue[])].sort((x, y) => x.path.localeCompare(y.path));
    assert.deepEqual(
      got,
      [...c.want].sort((x, y) => x.path.localeCompare(y.path)),
      c.url,
    );
    for (const i of got) assert.ok(documented.has(i.code), `${i.code} is in docs/errors.md`);
    for (const i of c.want) assert.ok(p.detail.includes(i.message), p.detail);
  }
});

test("a problem raised outside the HTTP layer has its code's documented meaning as its title", async () => {
  const { a } = await app();
  const r = await a.inject({ method: 'GET', url: '/v1/consignments?cursor=garbage' });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().code, 'store.invalid-cursor');
  assert.equal(r.json().title, allErrorCodes().store!['store.invalid-cursor']);
});

test('a text/plain body on a JSON endpoint is 415, not a record that is "not an object"', async () => {
  const { a } = await app();
  for (const url of ['/v1/consignments', '/v1/quote']) {
    const r = await a.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify(postalItem({}, '22222222')),
    });
    assert.equal(r.statusCode, 415, url);
    assert.equal(r.json().code, 'request.unsupported-media-type');
  }
});

test('a decision without a reason, or with a blank or too short one, is decision.reason-required at /reason', async () => {
  const { a, id } = await app();
  for (const payload of [
    { action: 'seize' },
    { action: 'seize', reason: '' },
    { action: 'seize', reason: '   ' },
    { action: 'seize', reason: 'ok' },
    { action: 'seize', reason: 42 },
  ]) {
    const r = await a.inject({ method: 'POST', url: `/v1/consignments/${id}/decisions`, payload });
    assert.equal(r.statusCode, 400, JSON.stringify(payload));
    assert.equal(r.json().code, 'decision.reason-required', JSON.stringify(payload));
    assert.deepEqual(
      r.json().issues.map((i: Issue) => [i.code, i.path]),
      [['decision.reason-required', '/reason']],
    );
  }
  const events = (await a.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json().events;
  assert.ok(!events.some((e: { type: string }) => e.type === 'consignment.seized'), 'nothing was decided');
  const ok = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'inspect', reason: 'x-ray image unclear' },
  });
  assert.equal(ok.statusCode, 200);
});

test('a decision with several problems lists them all, a short reason among them, and decides nothing', async () => {
  const { a, id } = await app();
  const eventCount = async () =>
    (await a.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json().events.length as number;
  const before = await eventCount();
  for (const reason of ['a', '  ', undefined]) {
    const r = await a.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      payload: { action: 'fly', ...(reason === undefined ? {} : { reason }), finding: 'X', zzz: 1 },
    });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().code, 'request.invalid');
    assert.equal(r.json().instance, `/v1/consignments/${id}/decisions`);
    assert.deepEqual(
      (r.json().issues as Issue[]).map((i) => [i.code, i.path]).sort(),
      [
        ['decision.reason-required', '/reason'],
        ['schema.additional-property', '/zzz'],
        ['schema.enum', '/action'],
        ['schema.pattern', '/finding'],
      ],
      JSON.stringify(reason),
    );
    for (const i of r.json().issues as Issue[]) assert.ok(documented.has(i.code), i.code);
  }
  assert.equal(await eventCount(), before, 'nothing was decided');
  // A reason of three characters between spaces is a reason.
  const ok = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'inspect', reason: '  a b  ' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
});

test('a carrier event dated outside the years of record dates, or long before the declaration, is refused and not written', async () => {
  const { a, id } = await app();
  const post = (at: string, type = 'arrived') =>
    a.inject({ method: 'POST', url: `/v1/consignments/${id}/carrier-events`, payload: { type, at } });
  const eventCount = async () =>
    (await a.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json().events.length as number;
  const before = await eventCount();
  for (const [at, code] of [
    ['1900-01-01T00:00:00Z', 'event.out-of-range'],
    ['1969-12-31T23:59:59Z', 'event.out-of-range'],
    ['2100-01-01T00:00:00Z', 'event.out-of-range'],
    // Declared 2026-11-27T10:00Z (the clock): 90 days before is 2026-08-29T10:00Z.
    ['2026-08-29T09:59:59Z', 'event.before-declaration'],
    ['2026-01-01T00:00:00Z', 'event.before-declaration'],
  ] as const) {
    const r = await post(at);
    assert.equal(r.statusCode, 422, `${at}: ${r.body}`);
    assert.equal(r.json().code, code, at);
    assert.ok(documented.has(code));
    assert.deepEqual(
      r.json().issues.map((i: Issue) => [i.code, i.path]),
      [[code, '/at']],
    );
  }
  assert.equal(await eventCount(), before, 'nothing written');
  // A parcel that arrived before its data was lodged (within the bound) is recorded.
  const lateData = await post('2026-08-29T10:00:00Z');
  assert.equal(lateData.statusCode, 200, lateData.body);
  assert.equal(await eventCount(), before + 1);
});

test('a carrier event dated in the future is refused; one dated a few minutes ahead or in the past is kept', async () => {
  const { a, id } = await app();
  const post = (at: string, type = 'arrived') =>
    a.inject({ method: 'POST', url: `/v1/consignments/${id}/carrier-events`, payload: { type, at } });
  const future = await post('2099-01-01T00:00:00Z');
  assert.equal(future.statusCode, 422);
  assert.equal(future.json().code, 'event.in-future');
  assert.deepEqual(
    future.json().issues.map((i: Issue) => i.path),
    ['/at'],
  );
  assert.equal((await post('2026-11-27T10:06:00Z')).statusCode, 422, 'six minutes ahead');
  const skewed = await post('2026-11-27T10:04:00Z');
  assert.equal(skewed.statusCode, 200, 'four minutes ahead: clock drift');
  assert.equal(skewed.json().event.at, '2026-11-27T10:04:00Z');
  const late = await post('2026-11-26T08:00:00Z', 'delivered');
  assert.equal(late.statusCode, 200, 'reported late');
});

test('a single record refused as a whole names the request as its instance', async () => {
  const { a } = await app();
  const bad = postalItem({}, '33333333');
  (bad as { category: string }).category = 'bribe';
  const r = await a.inject({ method: 'POST', url: '/v1/consignments', payload: bad });
  assert.equal(r.statusCode, 422);
  assert.equal(r.json().instance, '/v1/consignments');
});

test('a quote date must name a real day', async () => {
  const { a } = await app();
  const noArrival = postalItem({ dates: { accepted: '2026-11-24T08:00:00Z' } }, '44444444');
  for (const date of ['2026-02-30', '2026-13-01', '2026-1-1', 'yesterday', '2026-02-29T10:00:00Z']) {
    const r = await a.inject({
      method: 'POST',
      url: `/v1/quote?date=${encodeURIComponent(date)}`,
      payload: noArrival,
    });
    assert.equal(r.statusCode, 400, date);
    assert.equal(r.json().code, 'request.invalid', date);
  }
  for (const date of ['2028-02-29', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00+01:00']) {
    const r = await a.inject({
      method: 'POST',
      url: `/v1/quote?date=${encodeURIComponent(date)}`,
      payload: noArrival,
    });
    assert.equal(r.statusCode, 200, date);
  }
});

test('URLs the router refuses (an overlong id, bad percent-encoding) answer problem+json too', async () => {
  const { a } = await app();
  for (const [url, status, code] of [
    [`/v1/consignments/${'a'.repeat(500)}`, 414, 'request.uri-too-long'],
    ['/v1/consignments/%E0%A4%A', 400, 'request.bad-url'],
  ] as const) {
    const r = await a.inject({ method: 'GET', url });
    assert.equal(r.statusCode, status, url);
    assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
    assert.equal(r.json().code, code);
    assert.ok(documented.has(code));
  }
});

test('a body over the limit names the limit', async () => {
  const { a, id } = await app();
  const r = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    payload: { action: 'inspect', reason: 'x'.repeat(2 * 1024 * 1024) },
  });
  assert.equal(r.statusCode, 413);
  assert.equal(r.json().code, 'request.too-large');
  assert.equal(typeof r.json().limit, 'number');
  assert.match(r.json().detail, new RegExp(`limit of ${r.json().limit} bytes`));
});

test('a misspelt list filter is refused, not ignored', async () => {
  const { a } = await app();
  const r = await a.inject({ method: 'GET', url: '/v1/consignments?lanes=red' });
  assert.equal(r.statusCode, 400);
  assert.deepEqual(
    r.json().issues.map((i: Issue) => [i.code, i.path]),
    [['schema.additional-property', '/lanes']],
  );
  assert.equal((await a.inject({ method: 'GET', url: '/v1/consignments?lane=red&limit=5' })).statusCode, 200);
});
