import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { applyMigrations } from '../sqlite/migrations.js';
import { claimedAmongSqlite, releaseLeftClaimsOfSqlite } from './claims-tx.js';

function scratch(): Database.Database {
  const db = new Database(':memory:');
  applyMigrations(db);
  return db;
}

const claimRow = (db: Database.Database, id: string, officer: string) =>
  db
    .prepare(
      `INSERT INTO work_queue_claims (consignment_id, officer_id, claimed_at, expires_at)
       VALUES (?, ?, '2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z')`,
    )
    .run(id, officer);

const queueRow = (db: Database.Database, id: string) =>
  db
    .prepare(
      `INSERT INTO work_queue (consignment_id, state, lane, decision, risk_score, destination, office,
         submitter_id, due_at_border, currency, reasons, top_reason, created_at, updated_at)
       VALUES (?, 'held', 'red', 'inspect', 0.9, 'DE', NULL, 'sub', '0', 'EUR', NULL, NULL,
         '2026-11-30T09:00:00Z', '2026-11-30T09:00:00Z')`,
    )
    .run(id);

test('claimedAmongSqlite finds only the claimed ids, and nothing when no consignment is claimed', () => {
  const db = scratch();
  assert.deepEqual(claimedAmongSqlite(db, ['csg_a', 'csg_b']), new Set());
  claimRow(db, 'csg_b', 'officer:ada');
  claimRow(db, 'csg_z', 'officer:ada');
  assert.deepEqual(claimedAmongSqlite(db, ['csg_a', 'csg_b', 'csg_c']), new Set(['csg_b']));
  assert.deepEqual(claimedAmongSqlite(db, []), new Set());
});

test('a batch releases the claims of its consignments that left the queue, and only those', () => {
  const db = scratch();
  claimRow(db, 'csg_left', 'officer:ada');
  claimRow(db, 'csg_queued', 'officer:bo');
  claimRow(db, 'csg_other', 'officer:cy');
  queueRow(db, 'csg_queued');
  releaseLeftClaimsOfSqlite(db, [
    ['csg_unclaimed', '2026-11-30T10:30:00Z', 'the consignment left the work queue: it is now released'],
    [
      'csg_left',
      '2026-11-30T10:31:00Z',
      'the consignment left the work queue (consignment.arrived): it is now released',
    ],
    ['csg_queued', '2026-11-30T10:32:00Z', 'still queued'],
  ]);
  const claims = db.prepare('SELECT consignment_id FROM work_queue_claims ORDER BY 1').pluck().all();
  assert.deepEqual(claims, ['csg_other', 'csg_queued']);
  const releases = db
    .prepare(
      'SELECT consignment_id, officer_id, released_at, released_by, reason FROM work_queue_claim_releases',
    )
    .all();
  assert.deepEqual(releases, [
    {
      consignment_id: 'csg_left',
      officer_id: 'officer:ada',
      released_at: '2026-11-30T10:31:00Z',
      released_by: 'system',
      reason: 'the consignment left the work queue (consignment.arrived): it is now released',
    },
  ]);
});
