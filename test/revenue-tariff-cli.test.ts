/**
 * An imported tariff (`parcelgate tariff-import`) used by assess, ingest and the pipeline `serve` and
 * `demo` build (loadSnapshot's `tariffs`), recorded in each assessment's versions.tariff and replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-tariff-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

const csv = join(tmp, 'eu-admin.csv');
writeFileSync(csv, 'prefix,origins,ad_valorem,description\n6109,,0.08,T-shirts\n');
const schedule = join(tmp, 'eu-admin.json');
const records = join(tmp, 'records.ndjson');
// Above EUR 150 so that tariff duty (not the low-value relief) applies; arrival before the 2026 reform.
const parcel = (serial: string) =>
  postalItem(
    {
      items: [
        {
          description: "Men's cotton T-shirt",
          hsCode: '610910',
          quantity: 10,
          unit: 'pcs',
          netWeightGrams: 2000,
          value: { amount: '200.00', currency: 'EUR' },
          origin: 'CN',
        },
      ],
      dates: { accepted: '2026-03-01T08:00:00Z', expectedArrival: '2026-03-02T06:00:00Z' },
    },
    serial,
  );
writeFileSync(
  records,
  [parcel('55555555'), parcel('55555556')].map((r) => JSON.stringify(r)).join('\n') + '\n',
);

const dutyOf = (revenue: { lines: { type: string; rate: string; amount: string }[] }) =>
  revenue.lines.filter((l) => l.type === 'duty').map((l) => [l.rate, l.amount]);

test('tariff-import then assess --tariff: duty from the imported schedule, its version recorded', () => {
  const imp = run(
    'tariff-import',
    csv,
    '--profile',
    'eu',
    '--schedule-version',
    'eu-admin@1',
    '--out',
    schedule,
  );
  assert.equal(imp.status, 0, imp.stderr);
  const r = run('assess', records, '--tariff', `eu=${schedule}`, '--now', '2026-03-01T10:00:00Z');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, 2);
  for (const l of lines) {
    assert.equal(l.revenue.versions.tariff, 'eu-admin@1');
    assert.deepEqual(dutyOf(l.revenue), [['0.08', '16.28']]);
  }
  const shipped = JSON.parse(run('assess', records, '--now', '2026-03-01T10:00:00Z').stdout.split('\n')[0]!);
  assert.notEqual(shipped.revenue.versions.tariff, 'eu-admin@1');
});

test('ingest --tariff stores assessments under the imported schedule; replay needs the same schedule', async () => {
  const dataDir = join(tmp, 'data');
  const r = run('ingest', records, '--data-dir', dataDir, '--tariff', `eu=${schedule}`);
  assert.equal(r.status, 0, r.stderr);
  const store = openSqliteStore({ dataDir });
  const page = await store.list({ limit: 10 });
  const c = await store.get(page.items[0]!.id);
  await store.close();
  assert.equal(c?.assessment.revenue.versions.tariff, 'eu-admin@1');
  assert.deepEqual(dutyOf(c!.assessment.revenue), [['0.08', '16.28']]);

  const same = run('revenue', 'replay', c!.id, '--data-dir', dataDir, '--tariff', `eu=${schedule}`);
  assert.equal(same.status, 0, same.stdout + same.stderr);
  const without = run('revenue', 'replay', c!.id, '--data-dir', dataDir, '--json');
  assert.equal(without.status, 1);
  assert.ok(JSON.parse(without.stdout).differences.includes('versions'));
});

test('the pipeline snapshot serve and demo build with --tariff assesses with the imported schedule', async () => {
  const snapshot = loadSnapshot({ randomRate: 0, classifier: false, tariffs: [`eu=${schedule}`] });
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-03-01T10:00:00Z'),
  });
  const res = await app.inject({ method: 'POST', url: '/v1/consignments', payload: parcel('55555557') });
  assert.equal(res.statusCode, 201, res.body);
  const c = await store.get(res.json().consignmentId);
  assert.equal(c?.assessment.revenue.versions.tariff, 'eu-admin@1');
  await app.close();
  await store.close();
});

test('a bad --tariff is a usage error (exit 2) naming the problem', () => {
  const unknown = run('assess', records, '--tariff', `xx=${schedule}`);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no jurisdiction profile 'xx'/);
  const missing = run('ingest', records, '--data-dir', join(tmp, 'other'), '--tariff', 'eu=missing.csv');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read missing.csv/);
});

test('tariff-import refuses a rate typed as a percentage and an unassigned origin, writing nothing', () => {
  const bad = join(tmp, 'percent.csv');
  writeFileSync(bad, 'prefix,origins,ad_valorem,vat_rate,description\n6109,ZZ,12,20,T-shirts\n');
  const out = join(tmp, 'percent.json');
  const r = run('tariff-import', bad, '--currency', 'EUR', '--schedule-version', 'v1', '--out', out);
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr,
    /line 2, origins: tariff-csv\.origin: "ZZ" is not an ISO 3166-1 alpha-2 country code/,
  );
  assert.match(
    r.stderr,
    /line 2, ad_valorem: tariff-csv\.rate: "12" looks like a percentage: write 12% as 0\.12/,
  );
  assert.match(
    r.stderr,
    /line 2, vat_rate: tariff-csv\.rate: "20" looks like a percentage: write 20% as 0\.2/,
  );
  assert.equal(existsSync(out), false, 'no schedule written');
  const rate = run(
    'tariff-import',
    csv,
    '--currency',
    'EUR',
    '--schedule-version',
    'v1',
    '--default-rate',
    '4%',
  );
  assert.equal(rate.status, 2);
  assert.match(rate.stderr, /--default-rate "4%" looks like a percentage: write 4% as 0\.04/);
});
