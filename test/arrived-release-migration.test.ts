/**
 * Migration 4 sets `releasedBeforeArrival` on the arrived consignments of an older store from their
 * event log: a store written before it answers as one written after (SQLite and PostgreSQL).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  loadSnapshot,
  recordCarrierEvent,
  recordOfficerDecision,
  submitBatch,
  type PipelineDeps,
} from '../src/clearance/index.js';
import { openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { applyMigrations } from '../src/store/sqlite/migrations.js';
import { migratePostgres } from '../src/store/postgres/migrations.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { withPgClient } from '../src/store/postgres/testing/pg-test-env.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { actor: 'post-de', submitterId: 'post-de', now: '2026-11-27T10:00:00.000Z' };
const officer = { ...ctx, actor: 'officer:1' };
const item = postalItem().items[0]!;
const s10 = (serial: string) => {
  // A distinct valid S10 id per parcel (check digit computed as in src/intake/identifiers.ts).
  const w = [8, 6, 4, 2, 3, 5, 9, 7];
  const sum = [...serial].reduce((t, d, i) => t + Number(d) * w[i]!, 0);
  const c = 11 - (sum % 11);
  return `RR${serial}${c === 10 ? 0 : c === 11 ? 5 : c}DE`;
};

/** Three arrived parcels: released before arrival; then inspected after arrival; held when it arrived. */
async function fill(store: ClearanceStore): Promise<{ released: string; inspected: string; held: string }> {
  const d: PipelineDeps = { store, snapshot: () => snapshot };
  const released: string[] = [];
  for (const serial of ['10000001', '10000002']) {
    const [r] = await submitBatch(
      ctx,
      [postalItem({ transportDocument: { type: 'S10', id: s10(serial) } })],
      d,
    );
    const id = r!.consignmentId!;
    if (r!.state !== 'released-before-arrival')
      await recordOfficerDecision(officer, store, id, { action: 'release', reason: 'checked' });
    await recordCarrierEvent(ctx, store, id, { type: 'arrived' });
    released.push(id);
  }
  await recordOfficerDecision(officer, store, released[1]!, { action: 'inspect', reason: 'x-ray anomaly' });
  const gift = postalItem({
    transportDocument: { type: 'S10', id: s10('10000003') },
    category: 'gift',
    items: [{ ...item, description: 'gift' }],
  });
  const [h] = await submitBatch(ctx, [gift], d);
  await recordCarrierEvent(ctx, store, h!.consignmentId!, { type: 'arrived' });
  return { released: released[0]!, inspected: released[1]!, held: h!.consignmentId! };
}

// jsonb renders a space after the colon: the key alone says it (the flag is only ever true).
const flagged = 'SELECT id FROM consignments WHERE doc LIKE \'%"releasedBeforeArrival":%\' ORDER BY id';
const undo = `UPDATE consignments SET doc = replace(doc, ',"releasedBeforeArrival":true', '');
DELETE FROM schema_migrations WHERE version = 4;`;

test('migration 4 flags the arrived parcels released before arrival from the event log (SQLite)', async () => {
  const dir = scratchDir('arrived-release-');
  try {
    const store = openSqliteStore({ dataDir: dir });
    const ids = await fill(store);
    await store.close();
    const db = new Database(path.join(dir, 'parcelgate.db'));
    const rows = () => db.prepare(flagged).pluck().all() as string[];
    assert.deepEqual(rows(), [ids.released], 'written by the transitions');
    db.exec(undo);
    assert.deepEqual(rows(), [], 'an older store');
    applyMigrations(db);
    assert.deepEqual(rows(), [ids.released], 'set by the migration');
    db.close();
    const reopened = openSqliteStore({ dataDir: dir });
    assert.equal((await reopened.get(ids.released))?.releasedBeforeArrival, true);
    assert.equal((await reopened.get(ids.inspected))?.releasedBeforeArrival, undefined);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

postgresTest(
  'migration 4 flags the arrived parcels released before arrival from the event log (PostgreSQL)',
  'arrivedrel',
  async (url, schema) => {
    const store = await openPostgresStore({ url, schema });
    const ids = await fill(store);
    await store.close();
    const rows = () =>
      withPgClient(url, schema, async (c) => (await c.query<{ id: string }>(flagged)).rows.map((x) => x.id));
    assert.deepEqual(await rows(), [ids.released], 'written by the transitions');
    await withPgClient(url, schema, (c) => c.query(undo));
    assert.deepEqual(await rows(), [], 'an older store');
    await migratePostgres(url, schema);
    assert.deepEqual(await rows(), [ids.released], 'set by the migration');
  },
);
