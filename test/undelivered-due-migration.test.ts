/**
 * Migration 83: a store written before the list column followed "nothing due once the parcel will never
 * be delivered" answers as one written after: the seized and returned parcels' rows (list and KPI
 * facts) say zero in the amount's places, the delivered one keeps its amount (SQLite and PostgreSQL).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import {
  loadSnapshot,
  recordCarrierEvent,
  recordOfficerDecision,
  submitBatch,
  type PipelineDeps,
} from '../src/clearance/index.js';
import { openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { migratePostgres } from '../src/store/postgres/migrations.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { postgresTest } from '../src/store/postgres/testing/pg-suite.js';
import { withPgClient } from '../src/store/postgres/testing/pg-test-env.js';
import { applyMigrations } from '../src/store/sqlite/migrations.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { actor: 'carrier', submitterId: 'carrier', now: '2026-11-27T10:00:00.000Z' };
const officer = { ...ctx, actor: 'officer:1' };

/** Three parcels with duty due: returned by the carrier, seized by an officer, delivered. */
async function fill(store: ClearanceStore): Promise<Record<'returned' | 'seized' | 'delivered', string>> {
  const d: PipelineDeps = { store, snapshot: () => snapshot };
  const ids: string[] = [];
  for (const n of [1, 2, 3]) {
    const [r] = await submitBatch(ctx, [postalItem({}, `2000000${n}`)], d);
    assert.ok(r!.consignmentId, JSON.stringify(r));
    assert.notEqual(Number(r!.dueAtBorder), 0, 'something is due');
    if (r!.state !== 'released-before-arrival')
      await recordOfficerDecision(officer, store, r!.consignmentId!, {
        action: 'release',
        reason: 'checked',
      });
    await recordCarrierEvent(ctx, store, r!.consignmentId!, { type: 'arrived' });
    ids.push(r!.consignmentId!);
  }
  await recordCarrierEvent(ctx, store, ids[0]!, { type: 'returned' });
  await recordOfficerDecision(officer, store, ids[1]!, { action: 'seize', reason: 'counterfeit' });
  await recordCarrierEvent(ctx, store, ids[2]!, { type: 'delivered' });
  await store.console!.refreshKpiFacts();
  return { returned: ids[0]!, seized: ids[1]!, delivered: ids[2]! };
}

const dueSql = `SELECT c.id, c.due_at_border AS listed, k.due_at_border AS kpi
  FROM consignments c JOIN kpi_facts k ON k.consignment_id = c.id ORDER BY c.id`;

/** Rows as a store written before the rule holds them: the assessed amount everywhere, migration 83 not run. */
const undo = (assessed: string) => `UPDATE consignments SET due_at_border = ${assessed};
UPDATE kpi_facts SET due_at_border = (SELECT due_at_border FROM consignments c WHERE c.id = kpi_facts.consignment_id);
DELETE FROM schema_migrations WHERE version = 83;`;

type Row = { id: string; listed: string; kpi: string };

function check(rows: Row[], ids: Record<string, string>, what: string): void {
  const by = new Map(rows.map((r) => [r.id, r]));
  for (const gone of [ids.returned!, ids.seized!]) {
    assert.match(by.get(gone)!.listed, /^0\.00$/, `${what}: list of ${gone}`);
    assert.match(by.get(gone)!.kpi, /^0\.00$/, `${what}: KPI of ${gone}`);
  }
  const kept = by.get(ids.delivered!)!;
  assert.notEqual(Number(kept.listed), 0, `${what}: the delivered parcel keeps its amount`);
  assert.equal(kept.kpi, kept.listed);
}

test('migration 83 sets the amount due of seized and returned parcels to zero in old rows (SQLite)', async () => {
  const dir = scratchDir('undelivered-due-');
  try {
    const store = openSqliteStore({ dataDir: dir });
    const ids = await fill(store);
    await store.close();
    const db = new Database(path.join(dir, 'parcelgate.db'));
    const rows = () => db.prepare(dueSql).all() as Row[];
    check(rows(), ids, 'written by the transitions');
    db.exec(undo(`json_extract(doc, '$.assessment.revenue.dueAtBorder')`));
    assert.ok(
      rows().every((r) => Number(r.listed) !== 0 && r.kpi === r.listed),
      'an older store',
    );
    applyMigrations(db);
    check(rows(), ids, 'after the migration');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

postgresTest(
  'migration 83 sets the amount due of seized and returned parcels to zero in old rows (PostgreSQL)',
  'undeldue',
  async (url, schema) => {
    const store = await openPostgresStore({ url, schema });
    const ids = await fill(store);
    await store.close();
    const rows = () => withPgClient(url, schema, async (c) => (await c.query<Row>(dueSql)).rows);
    check(await rows(), ids, 'written by the transitions');
    await withPgClient(url, schema, (c) =>
      c.query(undo(`(doc::jsonb -> 'assessment' -> 'revenue' ->> 'dueAtBorder')`)),
    );
    assert.ok(
      (await rows()).every((r) => Number(r.listed) !== 0 && r.kpi === r.listed),
      'an older store',
    );
    await migratePostgres(url, schema);
    check(await rows(), ids, 'after the migration');
  },
);
