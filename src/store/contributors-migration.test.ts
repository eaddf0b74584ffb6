/**
 * Migration 3 fills the contributor rows from the declarations a database already holds: a database
 * written before it lists the same consignments per submitter as one written after (SQLite and
 * PostgreSQL).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations } from './sqlite/migrations.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import { migratePostgres } from './postgres/migrations.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { postgresTest } from './postgres/testing/pg-suite.js';
import { withPgClient } from './postgres/testing/pg-test-env.js';
import type { ClearanceStore, StoredConsignment } from './port.js';
import { createWrites, fixtureConsignment, fixtureSource } from './testing/fixtures.js';
import { scratchDir } from '../testing/scratch.js';
import { rmSync } from 'node:fs';
import path from 'node:path';

const withRecord = (c: StoredConsignment, who: string, at: string): StoredConsignment => ({
  ...c,
  version: c.version + 1,
  sources: [...c.sources, fixtureSource({ ...c.merged, source: 'carrier-waybill' }, who, at)],
  updatedAt: at,
});

/** Writes parcels with records of several submitters; returns the rows migration 3 must find. */
async function fill(store: ClearanceStore): Promise<string[]> {
  const order = fixtureConsignment({ submitterId: 'opr_platform' });
  const ownTwice = fixtureConsignment({ submitterId: 'opr_platform' });
  const joined = withRecord(
    fixtureConsignment({ submitterId: 'opr_carrier' }),
    'opr_platform',
    '2025-01-01T00:00:00.000Z',
  );
  await store.transact({ keys: [], ids: [] }, () => ({
    writes: createWrites([order, ownTwice, joined]),
    result: null,
  }));
  let c = order;
  for (const [who, at] of [
    ['opr_carrier', '2025-01-02T00:00:00.000Z'],
    ['opr_carrier', '2025-01-03T00:00:00.000Z'],
    ['opr_post', '2025-01-04T00:00:00.000Z'],
  ] as const) {
    const next = withRecord(c, who, at);
    const record = next.sources[next.sources.length - 1]!;
    await store.transact({ keys: [], ids: [c.id] }, () => ({
      writes: { upserts: [next], archive: [c], declarations: [{ consignmentId: c.id, record }], events: [] },
      result: null,
    }));
    c = next;
  }
  const again = withRecord(ownTwice, 'opr_platform', '2025-01-05T00:00:00.000Z');
  await store.transact({ keys: [], ids: [ownTwice.id] }, () => ({
    writes: {
      upserts: [again],
      archive: [ownTwice],
      declarations: [{ consignmentId: ownTwice.id, record: again.sources[1]! }],
      events: [],
    },
    result: null,
  }));
  return [
    `opr_carrier ${order.createdAt} ${order.id}`,
    `opr_post ${order.createdAt} ${order.id}`,
    `opr_platform ${joined.createdAt} ${joined.id}`,
  ].sort();
}

const undo = 'DROP TABLE consignment_contributors; DELETE FROM schema_migrations WHERE version = 3;';
const rowsSql =
  "SELECT submitter_id || ' ' || created_at || ' ' || consignment_id AS r FROM consignment_contributors ORDER BY 1";

test('migration 3 fills the contributor rows from stored declarations (SQLite)', async () => {
  const dir = scratchDir('contrib-migration-');
  try {
    const store = openSqliteStore({ dataDir: dir });
    const expected = await fill(store);
    await store.close();
    const db = new Database(path.join(dir, 'parcelgate.db'));
    const rows = () => db.prepare(rowsSql).pluck().all() as string[];
    assert.deepEqual(rows(), expected, 'written by the batches');
    db.exec(undo);
    applyMigrations(db);
    assert.deepEqual(rows(), expected, 'filled by the migration');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

postgresTest(
  'migration 3 fills the contributor rows from stored declarations (PostgreSQL)',
  'contribmig',
  async (url, schema) => {
    const store = await openPostgresStore({ url, schema });
    const expected = await fill(store);
    await store.close();
    const rows = () =>
      withPgClient(url, schema, async (c) => (await c.query<{ r: string }>(rowsSql)).rows.map((x) => x.r));
    assert.deepEqual(await rows(), expected, 'written by the batches');
    await withPgClient(url, schema, (c) => c.query(undo));
    await migratePostgres(url, schema);
    assert.deepEqual(await rows(), expected, 'filled by the migration');
  },
);
