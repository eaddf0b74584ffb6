import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { packageRoot } from '../src/reference/index.js';
import { openPostgresStore } from '../src/store/index.js';
import { postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { postalItem } from '../src/testing/consignments.js';

const target = pgTestTarget();

test('parcelgate migrate applies the PostgreSQL schema and is idempotent', { skip: target.skip }, () => {
  const run = () =>
    spawnSync(
      process.execPath,
      [join(packageRoot, 'bin', 'parcelgate.js'), 'migrate', '--postgres', target.url!],
      {
        encoding: 'utf8',
      },
    );
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  const second = JSON.parse(run().stdout);
  assert.equal(second.from, second.to, 'a second migrate changes nothing');
});

postgresTest(
  'the API clears a consignment on PostgreSQL exactly as on SQLite',
  'apitest',
  async (url, schema) => {
    const store = await openPostgresStore({ url, schema });
    const snapshot = loadSnapshot({ randomRate: 0 });
    const app = await buildApp({
      store,
      snapshot: () => snapshot,
      clock: () => new Date('2026-11-27T10:00:00Z'),
    });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
      assert.equal(res.statusCode, 201, res.body);
      const id = res.json().consignmentId;
      const again = await app.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem() });
      assert.equal(again.json().status, 'unchanged');
      const arrived = await app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/carrier-events`,
        payload: { type: 'arrived' },
      });
      assert.equal(arrived.json().response.state, 'arrived');
      const events = (await app.inject({ method: 'GET', url: `/v1/consignments/${id}/events` })).json()
        .events;
      assert.deepEqual(
        events.map((e: { to: string }) => e.to),
        ['declared', 'assessed', events[2].to, 'arrived'],
      );
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).json().store, 'postgres');
    } finally {
      await app.close();
      await store.close();
    }
  },
);
