/** The console's HTTP endpoints: work queue, counts, KPIs, volume, forecast and the static console files. */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/api/index.js';
import { registerConsoleStatic } from '../src/api/console-static.js';
import { dailySeries, kpiWindow } from '../src/api/routes-console.js';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0.2 });
const store = openSqliteStore({ memory: true });
const records = [...generateFlood({ seed: 'console-api', count: 300, day: '2026-11-27' })].map(
  (r) => r.input,
);
await submitBatch({ actor: 'demo', submitterId: 'demo', now: '2026-11-27T10:00:00.000Z' }, records, {
  store,
  snapshot: () => snapshot,
});
const app = await buildApp({
  store,
  snapshot: () => snapshot,
  clock: () => new Date('2026-11-27T12:00:00Z'),
});
const dir = scratchDir('pg-console-static-');
after(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the queue pages server-side with a cursor and filters; bad parameters are 400 problems', async () => {
  const first = await app.inject({ url: '/v1/console/queue?limit=5&sort=risk' });
  assert.equal(first.statusCode, 200);
  const page = first.json();
  assert.equal(page.items.length, 5);
  assert.ok(page.items[0].riskScore >= page.items[4].riskScore);
  const next = await app.inject({ url: `/v1/console/queue?limit=5&sort=risk&cursor=${page.nextCursor}` });
  const ids = new Set(page.items.map((i: { id: string }) => i.id));
  assert.ok(next.json().items.every((i: { id: string }) => !ids.has(i.id)));
  const counts = (await app.inject({ url: '/v1/console/queue/counts' })).json();
  assert.ok(counts.total > 10);
  const state = 'held-for-inspection';
  const filtered = (await app.inject({ url: `/v1/console/queue?state=${state}&limit=500` })).json();
  assert.equal(filtered.items.length, counts.byState[state]);
  for (const bad of ['sort=sideways', 'limit=0', 'state=released', 'destination=deu']) {
    const r = await app.inject({ url: `/v1/console/queue?${bad}` });
    assert.equal(r.statusCode, 400, bad);
    assert.equal(r.json().code, 'request.invalid');
  }
  const wrongCursor = await app.inject({ url: `/v1/console/queue?sort=oldest&cursor=${page.nextCursor}` });
  assert.equal(wrongCursor.json().code, 'store.invalid-cursor');
});

test('KPIs answer for a window of days; an impossible day is a 400 naming the parameter', async () => {
  const r = await app.inject({ url: '/v1/kpi?from=2026-11-27&to=2026-11-27' });
  assert.equal(r.statusCode, 200);
  const k = r.json();
  assert.equal(k.volume, (await store.stats()).consignments);
  assert.equal(k.window.to, '2026-11-28T00:00:00.000Z');
  assert.ok(k.releasedBeforeArrival.share > 0.5);
  assert.equal((await app.inject({ url: '/v1/kpi?from=2026-11-28' })).json().volume, 0);
  const bad = await app.inject({ url: '/v1/kpi?to=2026-02-30' });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'request.invalid');
  assert.match(bad.json().detail, /to '2026-02-30'/);
  assert.throws(() => kpiWindow({ from: '2026-13-01' }), { code: 'request.invalid' });
  // A window that ends before it starts is refused, naming `to`, not answered with zeros.
  const reversed = await app.inject({ url: '/v1/kpi?from=2026-11-28&to=2026-11-27' });
  assert.equal(reversed.statusCode, 400, reversed.body);
  assert.equal(reversed.json().issues[0].path, '/to');
  assert.match(reversed.json().detail, /before from/);
  // A window whose from and to are the same instant is empty, and the problem says so.
  const empty = await app.inject({
    url: '/v1/kpi?from=2026-11-27T10:00:00Z&to=2026-11-27T10:00:00Z',
  });
  assert.equal(empty.statusCode, 400, empty.body);
  assert.equal(empty.json().issues[0].path, '/to');
  assert.doesNotMatch(empty.json().detail, /before/);
  assert.match(empty.json().detail, /is empty: .*to must be after from/);
  assert.throws(() => kpiWindow({ from: '2026-11-27T10:00:00Z', to: '2026-11-27T10:00:00.000Z' }), {
    code: 'request.invalid',
    message: /^the window from '2026-11-27T10:00:00Z' to '2026-11-27T10:00:00.000Z' is empty/,
  });
  assert.equal(
    (await app.inject({ url: '/v1/console/volume?from=2026-11-28&to=2026-11-27' })).statusCode,
    400,
  );
  assert.equal((await app.inject({ url: '/v1/kpi?from=2026-11-27&to=2026-11-27' })).statusCode, 200);
  const vol = (await app.inject({ url: '/v1/console/volume' })).json();
  assert.equal(vol.days.length > 0, true);
});

test('a window to the last day of year 9999 holds every parcel and is not taken for a reversed one', async () => {
  const all = (await store.stats()).consignments;
  assert.equal(kpiWindow({ to: '9999-12-31' }).to, '9999-12-31T23:59:59.999Z');
  const open = await app.inject({ url: '/v1/kpi?to=9999-12-31' });
  assert.equal(open.statusCode, 200, open.body);
  assert.equal(open.json().volume, all);
  const wide = await app.inject({ url: '/v1/kpi?from=0001-01-01&to=9999-12-31' });
  assert.equal(wide.statusCode, 200, wide.body);
  assert.equal(wide.json().volume, all);
  const days = (await app.inject({ url: '/v1/console/volume?to=9999-12-31' })).json().days;
  assert.ok(days.length > 0);
});

test('daily series fill missing days with zero', () => {
  assert.deepEqual(
    dailySeries([
      { day: '2026-02-27', count: 2 },
      { day: '2026-03-02', count: 5 },
      { day: '2026-02-27', count: 1 },
    ]),
    [
      { date: '2026-02-27', count: 3 },
      { date: '2026-02-28', count: 0 },
      { date: '2026-03-01', count: 0 },
      { date: '2026-03-02', count: 5 },
    ],
  );
  assert.deepEqual(dailySeries([]), []);
});

test('the forecast stands in a synthetic history when the store holds a single day, and says so', async () => {
  const r = await app.inject({ url: '/v1/forecast?horizon=14&inspectionsPerOfficer=50' });
  assert.equal(r.statusCode, 200);
  const f = r.json();
  assert.equal(f.source, 'synthetic');
  assert.equal(f.points.length, 14);
  assert.ok(
    f.points.every(
      (p: { lower95: number; point: number; upper95: number }) =>
        p.lower95 <= p.point && p.point <= p.upper95,
    ),
  );
  assert.equal(f.staffing.days.length, 14);
  assert.ok(f.backtest.maseRatio > 0);
  assert.equal((await app.inject({ url: '/v1/forecast?horizon=3' })).statusCode, 400);
});

test('the forecast per office and lane: each lane of an office on its own, staffing from the lanes’ selection rates', async () => {
  const counts = (await app.inject({ url: '/v1/console/queue/counts' })).json();
  const volume = (await app.inject({ url: '/v1/console/volume' })).json().days as {
    office: string;
    count: number;
  }[];
  const volumeOf = (o: string) => volume.filter((v) => v.office === o).reduce((a, v) => a + v.count, 0);
  // The busiest office with held parcels: it also clears parcels in other lanes than red.
  const office = Object.keys(counts.byOffice)
    .filter((o) => o !== '(none)')
    .sort((a, b) => volumeOf(b) - volumeOf(a))[0]!;
  const red = await app.inject({ url: `/v1/forecast?office=${office}&lane=red&horizon=14` });
  assert.equal(red.statusCode, 200);
  const f = red.json();
  assert.equal(f.office, office);
  assert.equal(f.lane, 'red');
  // Red-lane parcels are (nearly all) held for inspection; staffing uses the observed rate.
  assert.ok(f.observed.consignments > 0);
  assert.ok(f.observed.rate >= 0.9, `red-lane selection rate ${f.observed.rate}`);
  assert.equal(f.observed.rate, f.observed.inspected / f.observed.consignments);
  assert.equal(f.selectionRate, f.observed.rate);
  assert.ok(f.observed.consignments < volumeOf(office), `${f.observed.consignments} of ${volumeOf(office)}`);
  assert.equal((await app.inject({ url: '/v1/forecast?lane=purple' })).statusCode, 400);

  const lanes = (await app.inject({ url: `/v1/forecast/lanes?office=${office}&horizon=14` })).json();
  assert.equal(lanes.office, office);
  const seen = lanes.lanes.map((l: { lane: string }) => l.lane);
  assert.ok(seen.includes('red') && seen.includes('green'));
  assert.deepEqual([...seen, ...lanes.lanesWithoutHistory].sort(), ['blue', 'green', 'red', 'yellow']);
  for (const l of lanes.lanes) {
    assert.equal(l.points.length, 14);
    assert.equal(l.source, 'synthetic');
    assert.ok(l.selectionRate >= 0 && l.selectionRate <= 1);
  }
  // Officers per day = ceil(Σ lanes upper 80% bound × lane selection rate ÷ 40).
  for (const [i, d] of lanes.staffing.days.entries()) {
    let inspections = 0;
    for (const l of lanes.lanes) inspections += l.points[i].upper80 * l.selectionRate;
    assert.ok(Math.abs(d.inspectionsPerDay - inspections) < 1e-6);
    assert.equal(d.officersPerDay, Math.ceil(inspections / 40 - 1e-9));
  }
});

test('console files are served with their types and cache rules; others are 404', async () => {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
  const web = Fastify();
  registerConsoleStatic(web, dir);
  const page = await web.inject({ url: '/console/' });
  assert.equal(page.statusCode, 200);
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['cache-control'], 'no-cache');
  const again = await web.inject({
    url: '/console/',
    headers: { 'if-none-match': String(page.headers.etag) },
  });
  assert.equal(again.statusCode, 304);
  const js = await web.inject({ url: '/console/assets/index-abc123.js' });
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.body, 'console.log(1)');
  assert.match(
    String((await web.inject({ url: '/console/assets/index-abc123.css' })).headers['content-type']),
    /text\/css/,
  );
  assert.equal(
    (await web.inject({ url: '/console/dashboard' })).statusCode,
    200,
    'app routes answer the page',
  );
  assert.equal((await web.inject({ url: '/console/assets/missing.js' })).statusCode, 404);
  assert.equal((await web.inject({ url: '/console/../package.json' })).statusCode, 404);
  assert.equal((await web.inject({ url: '/console/%2e%2e/%2e%2e/package.json' })).statusCode, 404);
  const redirect = await web.inject({ url: '/console' });
  assert.equal(redirect.statusCode, 301);
  assert.equal(redirect.headers.location, '/console/');
  await web.close();

  const empty = Fastify();
  registerConsoleStatic(empty, join(dir, 'nothing-here'));
  const missing = await empty.inject({ url: '/console/' });
  assert.equal(missing.statusCode, 404);
  assert.match(missing.json().detail, /npm run build/);
  await empty.close();
});

test('parcelgate kpi prints the report of a data directory, as text or JSON; a bad day is a usage error', async () => {
  const { kpiCommand } = await import('../src/cli/commands-kpi.js');
  const dataDir = join(dir, 'kpi-store');
  const s = openSqliteStore({ dataDir });
  await submitBatch(
    { actor: 'demo', submitterId: 'demo', now: '2026-11-27T10:00:00.000Z' },
    records.slice(0, 50),
    {
      store: s,
      snapshot: () => snapshot,
    },
  );
  const total = (await s.stats()).consignments;
  await s.close();
  const printed: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    printed.push(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    assert.equal(await kpiCommand({ dataDir, json: true, from: '2026-11-27', to: '2026-11-27' }), 0);
    assert.equal(await kpiCommand({ dataDir }), 0);
  } finally {
    process.stdout.write = write;
  }
  const report = JSON.parse(printed[0]!);
  assert.equal(report.volume, total);
  assert.match(printed[1]!, new RegExp(`consignments\\s+${total}`));
  assert.match(printed[1]!, /released before arrival\s+\d+\.\d%/);
  await assert.rejects(kpiCommand({ dataDir, from: '2026-02-30' }), /--from must be a day/);
});
