/**
 * Contributor rows under tampering (docs/security.md, "Contributor rows"), on both stores: a row that
 * would let a submitter read another's consignment cannot be inserted, changed or deleted through the
 * database (the triggers of migration 16), and when the triggers are dropped or disabled, `audit
 * verify` reports the inserted row and the deleted one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditLog } from '../src/audit/index.js';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import type { SecurityStore } from '../src/secstore/index.js';
import type { ClearanceStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { toPgPlaceholders } from '../src/store/exchange/sql-runner.js';
import { pgStoresTest, withSqliteStores } from './pg-stores.js';

interface Sql {
  run(sql: string, params?: unknown[]): Promise<void>;
  /** Runs `sql` with the guard triggers off (what someone holding the database could do). */
  bypass(sql: string, params?: unknown[]): Promise<void>;
}

async function scenario(store: ClearanceStore, security: SecurityStore, sql: Sql): Promise<void> {
  const snapshot = loadSnapshot({ randomRate: 0 });
  const deps = { store, snapshot: () => snapshot };
  const at = (n: number) => `2026-03-02T0${n}:00:00.000Z`;
  const submit = async (submitterId: string, record: unknown, n: number) =>
    (
      await submitBatch({ actor: submitterId, submitterId, now: at(n), requestId: `r${n}` }, [record], deps)
    )[0] as {
      status: string;
      consignmentId: string;
    };
  const order = await submit('op-platform', postalItem({}, '10000001'), 1);
  const other = await submit('op-platform', postalItem({}, '10000003'), 2);
  const linked = await submit('op-carrier', postalItem({ source: 'carrier-waybill' }, '10000001'), 3);
  assert.equal(linked.status, 'linked');
  assert.equal(linked.consignmentId, order.consignmentId);
  const audit = new AuditLog(security);
  const clean = await audit.verify();
  assert.equal(clean.ok, true, JSON.stringify(clean));
  assert.deepEqual(clean.contributors, { rows: 1, unbacked: 0, missing: 0 });

  const createdAt = (await store.get(other.consignmentId))!.createdAt;
  const grant = `INSERT INTO consignment_contributors (submitter_id, created_at, consignment_id) VALUES (?, ?, ?)`;
  // The store refuses: a row no record backs, a changed row, a removed row.
  await assert.rejects(
    sql.run(grant, ['op-carrier', createdAt, other.consignmentId]),
    /needs a record of that submitter/,
  );
  await assert.rejects(
    sql.run(`UPDATE consignment_contributors SET consignment_id = ?`, [other.consignmentId]),
    /never changed or removed/,
  );
  await assert.rejects(sql.run(`DELETE FROM consignment_contributors`), /never changed or removed/);
  assert.equal((await audit.verify()).ok, true, 'nothing was changed');

  // With the triggers out of the way, verify reports the row that grants access ...
  await sql.bypass(grant, ['op-carrier', createdAt, other.consignmentId]);
  const inserted = await audit.verify();
  assert.equal(inserted.ok, false);
  assert.equal(inserted.failure?.seq, 0);
  assert.match(inserted.failure!.reason, new RegExp(`inserted row.*op-carrier on ${other.consignmentId}`));
  await sql.bypass(`DELETE FROM consignment_contributors WHERE consignment_id = ?`, [other.consignmentId]);
  assert.equal((await audit.verify()).ok, true);
  // ... and the one removed.
  await sql.bypass(`DELETE FROM consignment_contributors WHERE consignment_id = ?`, [order.consignmentId]);
  const deleted = await audit.verify();
  assert.equal(deleted.ok, false);
  assert.match(deleted.failure!.reason, new RegExp(`\\(deleted\\): op-carrier on ${order.consignmentId}`));
  assert.deepEqual(deleted.contributors, { rows: 0, unbacked: 0, missing: 1 });
}

test('SQLite: contributor rows cannot be tampered with through the store, and audit verify catches it when forced', () =>
  withSqliteStores('parcelgate-contrib-tamper-', async ({ store, security, db }) => {
    const triggers = () =>
      db
        .prepare(
          "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'consignment_contributors'",
        )
        .all() as { name: string; sql: string }[];
    assert.equal(triggers().length, 3);
    await scenario(store, security, {
      run: async (s, p = []) => void db.prepare(s).run(...p),
      bypass: async (s, p = []) => {
        const saved = triggers();
        for (const t of saved) db.exec(`DROP TRIGGER ${t.name}`);
        try {
          db.prepare(s).run(...p);
        } finally {
          for (const t of saved) db.exec(t.sql);
        }
      },
    });
  }));

pgStoresTest(
  'PostgreSQL: contributor rows cannot be tampered with through the store, and audit verify catches it when forced',
  'contrib',
  async ({ store, security, client }) => {
    await scenario(store, security, {
      run: async (s, p = []) => void (await client.query(toPgPlaceholders(s), p)),
      bypass: async (s, p = []) => {
        await client.query('ALTER TABLE consignment_contributors DISABLE TRIGGER USER');
        try {
          await client.query(toPgPlaceholders(s), p);
        } finally {
          await client.query('ALTER TABLE consignment_contributors ENABLE TRIGGER USER');
        }
      },
    });
    await assert.rejects(client.query('TRUNCATE consignment_contributors'), /never changed or removed/);
  },
);
