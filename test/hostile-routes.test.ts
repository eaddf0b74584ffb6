/**
 * Hostile JSON on every route that takes a body, enumerated from the app's registered routes (so a
 * route added later is covered without editing this list): deep nesting, prototype-pollution keys
 * and oversized bodies get their problem before any handler runs. The answer to a request for
 * information (free text and documents) is also checked on its own limits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { bearer, keysApp } from '../src/access/testing.js';
import { registeredRoutes } from '../src/access/plugin.js';
import { ruleFor } from '../src/access/permissions.js';
import { informationLimits, loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

/** The API on an in-memory SQLite store, open mode, clock fixed; `close` closes both (the store is returned to read what was written). */
async function openApp() {
  const store = openSqliteStore({ memory: true });
  const a = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  return {
    a,
    store,
    close: async () => {
      await a.close();
      await store.close();
    },
  };
}

test('every route with a body refuses deep nesting, pollution keys and oversized bodies cleanly', async () => {
  const { a, close } = await openApp();
  try {
    const made = await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
    const id = made.json().consignmentId as string;
    const routes = registeredRoutes(a).filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    const urls = routes.map((r) => ({
      url: r.url
        .replace(':id', id)
        .replace(':imageId', 'img_x')
        .replace(':kind', 'order')
        .replace(':version', '1'),
      method: r.method as 'POST',
      bulk: ruleFor(r.method, r.url)?.bulk === true,
    }));
    assert.ok(urls.some((u) => u.url === `/v1/consignments/${id}/information`));
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const bodies: [string, string, number][] = [
      ['deep', deep, 400],
      ['deep array', '['.repeat(100_000) + ']'.repeat(100_000), 400],
      ['__proto__', '{"explanation":"x","__proto__":{"polluted":true}}', 400],
      ['constructor.prototype', '{"documents":[{"constructor":{"prototype":{"polluted":true}}}]}', 400],
    ];
    for (const u of urls) {
      for (const [what, body, status] of bodies) {
        const res = await a.inject({
          method: u.method,
          url: u.url,
          payload: body,
          headers: { 'content-type': 'application/json', 'x-submitter-id': 'opr_a', 'x-actor': 'officer:x' },
        });
        assert.equal(res.statusCode, status, `${u.method} ${u.url} ${what}: ${res.body.slice(0, 200)}`);
        const code = what.startsWith('deep') ? 'request.too-deep' : 'request.forbidden-key';
        assert.equal(res.json().code, code, `${u.method} ${u.url} ${what}`);
      }
      if (!u.bulk) {
        const huge = await a.inject({
          method: u.method,
          url: u.url,
          payload: JSON.stringify({ explanation: 'x'.repeat(1_100_000) }),
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(huge.statusCode, 413, `${u.method} ${u.url} 1.1 MB`);
        assert.match(huge.json().code, /too-large$/, `${u.method} ${u.url} 1.1 MB`);
      }
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted');
  } finally {
    await close();
  }
});

test('an answer to a request for information: over-long texts and too many documents are refused with their paths, nothing written', async () => {
  const { a, store, close } = await openApp();
  try {
    const tea = teaParcel('40000001');
    const made = await a.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: tea,
      headers: { 'x-submitter-id': 'opr_a' },
    });
    assert.equal(made.json().state, 'held-for-information');
    const id = made.json().consignmentId as string;
    const many = Array.from({ length: 5_000 }, (_, i) => ({ kind: 'other', reference: `R${i}` }));
    const res = await a.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: { 'x-submitter-id': 'opr_a' },
      payload: {
        explanation: 'e'.repeat(informationLimits.explanation + 1),
        documents: many,
      },
    });
    assert.equal(res.statusCode, 400, res.body.slice(0, 200));
    const issues = res.json().issues as { code: string; path: string }[];
    assert.ok(issues.some((i) => i.code === 'schema.max-length' && i.path === '/explanation'));
    assert.ok(issues.some((i) => i.code === 'schema.max-items' && i.path === '/documents'));
    assert.ok(issues.length <= 25, `the issues are bounded, got ${issues.length}`);
    const longRef = await a.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/information`,
      headers: { 'x-submitter-id': 'opr_a' },
      payload: {
        explanation: 'ok',
        documents: [
          {
            kind: 'invoice',
            reference: 'r'.repeat(201),
            url: `https://x.example/${'u'.repeat(2000)}`,
            note: 'n'.repeat(501),
          },
        ],
      },
    });
    assert.deepEqual((longRef.json().issues as { path: string }[]).map((i) => i.path).sort(), [
      '/documents/0/note',
      '/documents/0/reference',
      '/documents/0/url',
    ]);
    const events = await store.events(id);
    assert.ok(!events.some((e) => e.type === 'consignment.information-provided'), 'nothing written');
  } finally {
    await close();
  }
});

test('the answer route is rate limited per key: one key spent does not limit another', async () => {
  const k = await keysApp({ rateLimit: { max: 2, timeWindowMs: 60_000 } });
  try {
    const other = (await k.keys.create({ role: 'submitter', operatorId: 'op-other', actor: 'admin:test' }))
      .plaintext;
    const url = '/v1/consignments/csg_missing/information';
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push(
        (
          await k.app.inject({
            method: 'POST',
            url,
            headers: bearer(k.keyOf.submitter),
            payload: { explanation: 'x' },
          })
        ).statusCode,
      );
    assert.deepEqual(codes, [404, 404, 429]);
    const fresh = await k.app.inject({
      method: 'POST',
      url,
      headers: bearer(other),
      payload: { explanation: 'x' },
    });
    assert.equal(fresh.statusCode, 404);
  } finally {
    await k.close();
  }
});

test('an object with tens of thousands of keys gets a short problem on every route with a body, and a record names where', async () => {
  const { a, close } = await openApp();
  try {
    const made = await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
    const id = made.json().consignmentId as string;
    const wide: Record<string, number> = {};
    for (let i = 0; i < 80_000; i++) wide[`k${i}`] = 1;
    const payload = JSON.stringify(wide);
    assert.ok(payload.length < 1024 * 1024, 'under the small body limit');
    for (const r of registeredRoutes(a).filter((x) => ['POST', 'PUT'].includes(x.method))) {
      const url = r.url
        .replace(':id', id)
        .replace(':imageId', 'img_x')
        .replace(':kind', 'order')
        .replace(':version', '1');
      const res = await a.inject({
        method: r.method as 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/json', 'x-submitter-id': 'opr_a', 'x-actor': 'officer:x' },
      });
      assert.ok(res.statusCode >= 400 && res.statusCode !== 500, `${r.method} ${url}: ${res.statusCode}`);
      assert.ok(
        res.body.length < 16 * 1024,
        `${r.method} ${url} answers ${res.body.length} bytes to an ${payload.length}-byte body`,
      );
    }
    // Inside a record: the object is named, nothing else of it is walked.
    const record = postalItem({}, '44444444') as unknown as { items: Record<string, unknown>[] };
    for (let i = 0; i < 500; i++) record.items[0]![`x${i}`] = i;
    const res = await a.inject({ method: 'POST', url: '/v1/consignments', payload: record });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(
      (res.json().issues as { code: string; path: string }[]).map((i) => [i.code, i.path]),
      [['input.too-many-keys', '/items/0']],
    );
  } finally {
    await close();
  }
});
