/**
 * The "information requested" KPI (docs/console.md, KPIs) and the work queue agree: every consignment the
 * queue counts with an open request for information (held for information, or arrived with a request
 * open) is counted by the KPI, whether its lane held it, an officer asked before arrival or an officer
 * asked after arrival; a request stays counted after it closes (the KPI says what happened, the queue
 * what is open now). On SQLite and PostgreSQL, and on a store written before the KPI counted requests
 * made after arrival (migration 71).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { scratchDir } from '../src/testing/scratch.js';
import { clearanceStoreTests } from '../src/store/postgres/testing/pg-suite.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const post = { 'x-submitter-id': 'opr_post' };
const officer = { 'x-actor': 'officer:jdoe' };

async function open(store: ClearanceStore) {
  const app = await buildApp({
    store,
    snapshot: () => snapshot,
    clock: () => new Date('2026-11-27T10:00:00Z'),
  });
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = post,
  ) => {
    const r = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.body}`);
    return r.json();
  };
  const submit = async (body: object) =>
    (await call('POST', '/v1/consignments', body)).consignmentId as string;
  const arrive = (id: string) =>
    call('POST', `/v1/consignments/${id}/carrier-events`, { type: 'arrived', at: '2026-11-27T09:00:00Z' });
  const decide = (id: string, action: string) =>
    call('POST', `/v1/consignments/${id}/decisions`, { action, reason: 'officer review' }, officer);
  const kpi = async () =>
    (await call('GET', '/v1/kpi')).heldForInformation as { count: number; rate: number };
  const openNow = async () => {
    const c = (await call('GET', '/v1/console/queue/counts')) as { byState: Record<string, number> };
    return (c.byState['held-for-information'] ?? 0) + (c.byState.arrived ?? 0);
  };
  return { app: app as FastifyInstance, submit, arrive, decide, kpi, openNow };
}

/** Three parcels: one held by its lane, one asked after arrival, one never asked. */
async function scenario(store: ClearanceStore): Promise<void> {
  const { app, submit, arrive, decide, kpi, openNow } = await open(store);
  try {
    const yellow = await submit(teaParcel('23000001'));
    const green = await submit(postalItem({}, '23000002'));
    const never = await submit(postalItem({}, '23000003'));
    await arrive(green);
    await arrive(never);
    assert.equal((await kpi()).count, 1);
    assert.equal(await openNow(), 1);

    // An officer asks after arrival: the parcel waits in the queue, and the KPI counts the request.
    await decide(green, 'request-information');
    assert.equal(await openNow(), 2);
    const asked = await kpi();
    assert.equal(asked.count, 2, 'a request made after arrival is a request for information');
    assert.equal(asked.rate, 2 / 3);

    // Decided: the queue no longer holds them, the KPI still counts that information was requested.
    await decide(green, 'release');
    await decide(yellow, 'release');
    assert.equal(await openNow(), 0);
    assert.equal((await kpi()).count, 2);
    void never;
  } finally {
    await app.close();
  }
}

clearanceStoreTests(
  'information requested: the KPI counts every request the queue shows, after arrival too (SQLite)',
  'information requested: the KPI counts every request the queue shows, after arrival too (PostgreSQL)',
  'kpirfi',
  scenario,
);

test('migration 71 counts requests made after arrival in KPI facts computed before it (SQLite)', async () => {
  const dir = scratchDir('pg-kpi-rfi-');
  const file = join(dir, 'old.db');
  const store = openSqliteStore({ file });
  let id: string;
  {
    const { app, submit, arrive, decide, kpi } = await open(store);
    id = await submit(postalItem({}, '23000004'));
    await arrive(id);
    await decide(id, 'request-information');
    assert.equal((await kpi()).count, 1);
    await app.close();
  }
  await store.close();
  // The fact row as the old definition left it, and the store before migration 71.
  const db = new Database(file);
  db.prepare('UPDATE kpi_facts SET rfi = 0 WHERE consignment_id = ?').run(id);
  db.exec('DELETE FROM schema_migrations WHERE version = 71');
  db.close();
  const reopened = openSqliteStore({ file });
  try {
    const facts = await reopened.console!.kpiFacts({});
    assert.equal(facts.find((f) => f.id === id)?.heldForInformation, true);
  } finally {
    await reopened.close();
  }
});
