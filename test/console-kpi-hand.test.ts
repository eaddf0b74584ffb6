/**
 * The KPI report checked by hand on a small case (docs/console.md, KPIs): three parcels received on
 * either side of a UTC midnight, carriers reporting arrival with UTC offsets, one parcel released
 * before arrival then pulled for inspection by an officer and released after arrival. Every figure
 * below is worked out by hand from the event times in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { clearanceStoreTests } from '../src/store/postgres/testing/pg-suite.js';
import { scratchDir } from '../src/testing/scratch.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

async function handCase(store: ClearanceStore): Promise<string> {
  let now = '2026-11-27T23:30:00.000Z';
  const app = await buildApp({ store, snapshot: () => snapshot, clock: () => new Date(now) });
  const call = async (url: string, payload?: object, headers: Record<string, string> = {}) => {
    const r = await app.inject({
      method: payload ? 'POST' : 'GET',
      url,
      headers,
      ...(payload ? { payload } : {}),
    });
    assert.ok(r.statusCode < 300, `${url}: ${r.body}`);
    return r.json();
  };
  const submit = async (body: object) =>
    (await call('/v1/consignments', body, { 'x-submitter-id': 'opr_post' })).consignmentId as string;
  const arrive = (id: string, at: string) =>
    call(`/v1/consignments/${id}/carrier-events`, { type: 'arrived', at }, { 'x-submitter-id': 'opr_post' });
  const decide = (id: string, action: string, finding?: string) =>
    call(
      `/v1/consignments/${id}/decisions`,
      { action, reason: 'hand-checked case', ...(finding ? { finding } : {}) },
      { 'x-actor': 'officer:kpi' },
    );
  try {
    // P1 (27th): green, released before arrival at receipt 23:30Z; arrives 28th 07:00Z (08:00+01:00).
    const p1 = await submit(postalItem({}, '25000001'));
    now = '2026-11-28T00:10:00.000Z';
    // P3 (28th): yellow, held for information at 00:10Z; arrives 00:20Z (19:20-05:00 on the 27th);
    // released by an officer at 00:40Z: 30 min after receipt, 20 min after arrival.
    const p3 = await submit(teaParcel('25000003'));
    now = '2026-11-28T00:30:00.000Z';
    // P2 (28th): green at 00:30Z; an officer pulls it for inspection at 01:00Z; arrives 02:00Z
    // (03:00+01:00); released with nothing found at 04:00Z: 3.5 h after receipt, 2 h after arrival.
    const p2 = await submit(postalItem({}, '25000002'));
    await arrive(p3, '2026-11-27T19:20:00-05:00');
    now = '2026-11-28T00:40:00.000Z';
    await decide(p3, 'release');
    now = '2026-11-28T01:00:00.000Z';
    await decide(p2, 'inspect');
    now = '2026-11-28T02:00:00.000Z';
    await arrive(p2, '2026-11-28T03:00:00+01:00');
    now = '2026-11-28T04:00:00.000Z';
    await decide(p2, 'release', 'nothing-found');
    now = '2026-11-28T07:00:00.000Z';
    await arrive(p1, '2026-11-28T08:00:00+01:00');

    const k = await call('/v1/kpi');
    assert.equal(k.volume, 3);
    // Released before arrival: P1 only (P2's release was withdrawn before it arrived).
    assert.deepEqual(k.releasedBeforeArrival, { count: 1, share: 1 / 3 });
    // Received → release: P1 0 s, P3 1,800 s, P2 12,600 s; nearest-rank median 1,800, p90 12,600.
    assert.deepEqual(k.receivedToRelease, { count: 3, medianSeconds: 1800, p90Seconds: 12_600 });
    // Arrival → release: P1 0 (released before), P3 1,200 s, P2 7,200 s.
    assert.deepEqual(k.arrivalToRelease, { count: 3, medianSeconds: 1200, p90Seconds: 7200 });
    // Received → decision: every parcel was routed on receipt.
    assert.deepEqual(k.receivedToDecision, { count: 3, medianSeconds: 0, p90Seconds: 0 });
    assert.deepEqual(k.heldForInformation, { count: 1, rate: 1 / 3 });
    assert.deepEqual(k.inspected, { count: 1, rate: 1 / 3 });
    assert.deepEqual(k.hitRate.selected, { inspectedWithFinding: 1, hits: 0, rate: 0 });
    // By UTC day of receipt: P1 on the 27th, P2 and P3 on the 28th.
    assert.deepEqual(
      k.byDay.map((d: { day: string; volume: number }) => [d.day, d.volume]),
      [
        ['2026-11-27', 1],
        ['2026-11-28', 2],
      ],
    );
    const day28 = (await call('/v1/kpi?from=2026-11-28&to=2026-11-28')) as typeof k;
    assert.equal(day28.volume, 2);
    assert.deepEqual(day28.releasedBeforeArrival, { count: 0, share: 0 });
    void p1;
    return p2;
  } finally {
    await app.close();
  }
}

clearanceStoreTests(
  'KPIs by hand: release times, before-arrival share, arrival to release, by UTC day (SQLite)',
  'KPIs by hand (PostgreSQL)',
  'kpihand',
  handCase,
);

test('migration 72 recomputes the release times of facts computed before withdrawn releases counted', async () => {
  const file = join(scratchDir('pg-kpi-hand-'), 'old.db');
  const store = openSqliteStore({ file });
  const p2 = await handCase(store);
  await store.close();
  // P2's row as the old definition left it: released (before arrival) at receipt.
  const db = new Database(file);
  db.prepare(
    'UPDATE kpi_facts SET released_at = received_at, rba_at = received_at WHERE consignment_id = ?',
  ).run(p2);
  db.exec('DELETE FROM schema_migrations WHERE version = 72');
  db.close();
  const reopened = openSqliteStore({ file });
  try {
    const fact = (await reopened.console!.kpiFacts({})).find((f) => f.id === p2)!;
    assert.equal(fact.releasedAt, '2026-11-28T04:00:00.000Z');
    assert.equal(fact.releasedBeforeArrivalAt, null);
  } finally {
    await reopened.close();
  }
});
