/**
 * Replay of a stored revenue assessment from the API (GET /v1/consignments/{id}/revenue/replay) and the
 * CLI (`parcelgate revenue replay ID|FILE`), including an assessment made under an earlier profile
 * version (kept in data/jurisdictions/history) and one made with an imported tariff.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import { bearer, keysApp } from '../src/access/testing.js';
import { loadSnapshot, type ReferenceSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { contextAsRecorded, shippedProfileArchive } from '../src/revenue/index.js';
import { openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');
const tmp = scratchDir('parcelgate-replay-');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    cwd: tmp,
  });

const snapshot = loadSnapshot({ randomRate: 0, classifier: false });
/** The same snapshot with the UK profile as it was in uk@2026-03-01. */
const oldUk: ReferenceSnapshot = {
  ...snapshot,
  revenue: contextAsRecorded(snapshot.revenue, 'GB', 'uk@2026-03-01', shippedProfileArchive).ctx,
  version: `${snapshot.version};uk-old`,
};
const clock = () => new Date('2026-11-27T10:00:00Z');
const ukGift = postalItem(
  {
    category: 'gift',
    consignee: {
      name: 'Tom Brown',
      address: { street: '1 High St', city: 'Leeds', postcode: 'LS1 1AA', country: 'GB' },
    },
    routing: { dispatchCountry: 'CN', destinationCountry: 'GB' },
    items: [
      {
        description: 'Leather shoes',
        hsCode: '640399',
        quantity: 1,
        unit: 'pcs',
        netWeightGrams: 800,
        value: { amount: '50.00', currency: 'GBP' },
        origin: 'CN',
      },
    ],
    totals: { grossWeightGrams: 900 },
  },
  '44444444',
);

async function submit(store: ClearanceStore, s: ReferenceSnapshot, input: unknown): Promise<string> {
  const app = await buildApp({ store, snapshot: () => s, clock });
  const res = await app.inject({ method: 'POST', url: '/v1/consignments', payload: input as object });
  assert.equal(res.statusCode, 201, res.body);
  await app.close();
  return res.json().consignmentId as string;
}

test('GET …/revenue/replay shows stored and replayed assessments; an old-version assessment replays under its version', async () => {
  const store = openSqliteStore({ memory: true });
  const current = await submit(store, snapshot, postalItem());
  const old = await submit(store, oldUk, ukGift);
  const app = await buildApp({ store, snapshot: () => snapshot, clock });

  const a = (await app.inject({ method: 'GET', url: `/v1/consignments/${current}/revenue/replay` })).json();
  assert.deepEqual([a.identical, a.archived, a.differences], [true, false, []]);
  assert.deepEqual(a.replayed, a.stored);

  const b = (await app.inject({ method: 'GET', url: `/v1/consignments/${old}/revenue/replay` })).json();
  assert.equal(b.stored.versions.profile, 'uk@2026-03-01');
  assert.deepEqual([b.identical, b.archived, b.profileVersion], [true, true, 'uk@2026-03-01']);
  assert.equal(b.replayed.dueAtBorder, '0.00');

  const missing = await app.inject({ method: 'GET', url: '/v1/consignments/csg_nope/revenue/replay' });
  assert.equal(missing.statusCode, 404);
  await app.close();
  await store.close();
});

test('the replay route is for officers, supervisors, analysts and auditors, not submitters', async () => {
  const k = await keysApp();
  try {
    const post = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: postalItem(),
      headers: bearer(k.keyOf.submitter),
    });
    const url = `/v1/consignments/${post.json().consignmentId}/revenue/replay`;
    for (const role of ['officer', 'supervisor', 'analyst', 'auditor'] as const)
      assert.equal(
        (await k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf[role]) })).statusCode,
        200,
        role,
      );
    for (const role of ['submitter', 'admin'] as const)
      assert.equal(
        (await k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf[role]) })).statusCode,
        403,
        role,
      );
  } finally {
    await k.close();
  }
});

test('parcelgate revenue replay ID|FILE: exit 0 when identical, 1 with the differences when not', async () => {
  const dataDir = join(tmp, 'data');
  const store = openSqliteStore({ dataDir });
  const id = await submit(store, oldUk, ukGift);
  const stored = await store.get(id);
  await store.close();

  const byId = run('revenue', 'replay', id, '--data-dir', dataDir);
  assert.equal(byId.status, 0, byId.stderr);
  assert.match(byId.stdout, /replayed under uk@2026-03-01 \(an earlier version, kept for replay\)/);
  assert.match(byId.stdout, /identical: yes/);

  const file = join(tmp, 'stored.json');
  writeFileSync(file, JSON.stringify(stored));
  const json = run('revenue', 'replay', file, '--json');
  assert.equal(json.status, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).consignmentId, id);

  const tampered = structuredClone(stored)!;
  tampered.assessment.revenue.total = '999.00';
  writeFileSync(file, JSON.stringify(tampered));
  const differs = run('revenue', 'replay', file);
  assert.equal(differs.status, 1);
  assert.match(differs.stdout, /identical: NO — differs in total/);

  const unknown = run('revenue', 'replay', 'csg_nope', '--data-dir', dataDir);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no consignment csg_nope/);
});
