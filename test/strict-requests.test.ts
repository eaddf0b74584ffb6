/**
 * Every API route refuses what it does not define, the same way: an unknown query parameter (listed
 * with `schema.additional-property` at its name, as a misspelt list filter is), including on the
 * routes that read their body themselves (submit, quote); a field beside `consignments` in a batch.
 * The parameters the web console sends stay accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildApp, openRegistryServices } from '../src/api/index.js';
import { registeredRoutes } from '../src/access/plugin.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteRegistry } from '../src/registry/index.js';
import { openSqliteExchangeStore, openSqliteStore, sqliteFileName } from '../src/store/index.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';
import { dropScratch, scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
type Issue = { code: string; path: string };

async function openApp() {
  const dir = scratchDir('strict-requests-');
  const clock = () => new Date('2026-11-27T10:00:00Z');
  const store = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  const registry = await openRegistryServices(
    openSqliteRegistry({ file: path.join(dir, sqliteFileName) }),
    store,
    { clock },
  );
  const app = await buildApp({ store, exchange, registry, snapshot: () => snapshot, clock });
  return {
    app,
    store,
    close: async () => {
      await app.close();
      await exchange.close();
      await store.close();
      dropScratch(dir);
    },
  };
}

const unknownParameter = (issues: Issue[] | undefined, name: string) =>
  (issues ?? []).some((i) => i.code === 'schema.additional-property' && i.path === `/${name}`);

test('every API route without a body refuses an unknown query parameter with its name', async () => {
  const { app, close } = await openApp();
  try {
    const made = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: teaParcel('62000001'),
    });
    const id = made.json().consignmentId as string;
    const values: Record<string, string> = {
      id,
      imageId: 'img_x',
      kind: 'order',
      version: '1',
      format: 'h7',
      orderNo: 'ORD-1',
    };
    const routes = registeredRoutes(app).filter(
      (r) => r.url.startsWith('/v1/') && (r.method === 'GET' || r.method === 'DELETE'),
    );
    assert.ok(routes.length > 40, `${routes.length} routes`);
    for (const r of routes) {
      // Path parameters that pass their own checks (params are validated before the query).
      const value = (p: string) =>
        r.url.startsWith('/v1/rule-sets/') && p === 'id' ? 'eu-default' : (values[p] ?? 'x');
      const url = `${r.url.replace(/:(\w+)/g, (_, p: string) => value(p))}?zzz=1`;
      const res = await app.inject({ method: r.method as 'GET', url });
      assert.equal(res.statusCode, 400, `${r.method} ${url}: ${res.body}`);
      assert.ok(unknownParameter(res.json().issues, 'zzz'), `${r.method} ${url}: ${res.body}`);
    }
  } finally {
    await close();
  }
});

test('routes that read their body themselves refuse unknown query parameters too, and batches a field beside consignments', async () => {
  const { app, store, close } = await openApp();
  try {
    const cases: { url: string; payload: object; bad: string }[] = [
      { url: '/v1/quote?foo=1', payload: postalItem({}, '62000002'), bad: 'foo' },
      { url: '/v1/consignments?foo=1', payload: postalItem({}, '62000003'), bad: 'foo' },
      {
        url: '/v1/consignments',
        payload: { consignments: [postalItem({}, '62000004')], extra: 1 },
        bad: 'extra',
      },
      { url: '/v1/classify?foo=1', payload: { descriptions: ['cotton T-shirt'] }, bad: 'foo' },
    ];
    for (const c of cases) {
      const r = await app.inject({ method: 'POST', url: c.url, payload: c.payload });
      assert.equal(r.statusCode, 400, `${c.url}: ${r.body}`);
      assert.equal(r.json().code, 'request.invalid');
      assert.equal(r.json().instance, c.url);
      assert.deepEqual(
        (r.json().issues as Issue[]).map((i) => [i.code, i.path]),
        [['schema.additional-property', `/${c.bad}`]],
        c.url,
      );
    }
    // A parameter the route defines keeps its one allowed value.
    const suggest = await app.inject({
      method: 'POST',
      url: '/v1/consignments?suggest=all',
      payload: postalItem({}, '62000005'),
    });
    assert.equal(suggest.statusCode, 400);
    assert.deepEqual(
      (suggest.json().issues as Issue[]).map((i) => [i.code, i.path]),
      [['schema.enum', '/suggest']],
    );
    assert.equal((await store.stats()).consignments, 0, 'nothing of a refused request is stored');
    const ok = await app.inject({
      method: 'POST',
      url: '/v1/consignments?suggest=hs',
      payload: { consignments: [postalItem({}, '62000006')] },
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(
      (await app.inject({ method: 'POST', url: '/v1/quote?date=2026-11-20', payload: postalItem() }))
        .statusCode,
      200,
    );
  } finally {
    await close();
  }
});

test('a quote refused for its date or its record names the request as its instance', async () => {
  const { app, close } = await openApp();
  try {
    const bad = postalItem({}, '62000007');
    (bad as { category: string }).category = 'bribe';
    for (const [url, payload, status] of [
      ['/v1/quote?date=yesterday', postalItem(), 400],
      ['/v1/quote', bad, 422],
    ] as const) {
      const r = await app.inject({ method: 'POST', url, payload });
      assert.equal(r.statusCode, status, r.body);
      assert.equal(r.json().instance, url);
    }
  } finally {
    await close();
  }
});

test("the web console's query parameters are all defined by their routes", async () => {
  const { app, close } = await openApp();
  try {
    // As web/src sends them (queue.ts, dashboard.ts, forecast.ts, operators.ts, cases.ts, screening.ts).
    const urls = [
      '/v1/console/queue?limit=50&state=held-for-inspection&lane=red&office=DE004850&reason=x&answered=true&destination=DE&claim=mine&sort=oldest',
      '/v1/kpi?from=2026-11-01&to=2026-11-28',
      '/v1/forecast?horizon=28&office=DE004850&lane=red&inspectionsPerOfficer=20',
      '/v1/forecast/lanes?horizon=28&office=DE004850&inspectionsPerOfficer=20',
      '/v1/operators?kind=postal&limit=25',
      '/v1/quality/scorecards?from=2026-11-01&to=2026-11-28&period=week&submitter=opr_x',
      '/v1/cases?seller=x&limit=200',
      '/v1/screening/queue?limit=20',
    ];
    for (const url of urls) {
      const r = await app.inject({ url, headers: { 'x-actor': 'officer:ada' } });
      const issues = r.statusCode === 400 ? (r.json().issues as Issue[]) : [];
      assert.ok(!issues.some((i) => i.code === 'schema.additional-property'), `${url}: ${r.body}`);
    }
  } finally {
    await close();
  }
});
