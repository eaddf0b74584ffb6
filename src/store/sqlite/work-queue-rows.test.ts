/**
 * SQLite writes the work-queue rows of inserted consignments itself (migration 80). They must be the
 * rows the migration-60 SQL derives from the stored documents, whichever way a consignment is written:
 * planned ahead (work-queue columns prepared), as a fresh consignment without them (derived from the
 * document), or by an upsert inside the transaction (a record linking to a stored consignment).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { loadSnapshot, prepareBatch, recordOfficerDecision, submitBatch } from '../../clearance/index.js';
import type { Assessment, ClearanceState } from '../../domain/index.js';
import { generateFlood } from '../../sim/index.js';
import { queueStates } from '../console/port.js';
import type { BatchWrites, ClearanceStore } from '../port.js';
import { workQueueColumns } from '../work-queue-row.js';
import { openSqliteStore } from './sqlite-store.js';
import { scratchDir } from '../../testing/scratch.js';

const held = queueStates.map((s) => `'${s}'`).join(', ');

// The columns migration 60 computes from the document, with equal scores in assessment order.
const expectedSql = `SELECT c.id, c.state, c.lane, c.decision, c.risk_score, c.destination, c.office, c.submitter_id,
    c.due_at_border, c.currency,
    (SELECT group_concat(id, ' ') FROM (SELECT json_extract(h.value, '$.id') AS id
       FROM json_each(c.doc, '$.assessment.risk.hits') h
       ORDER BY json_extract(h.value, '$.score') DESC, h.key)) AS reasons,
    (SELECT json_extract(h.value, '$.reason') FROM json_each(c.doc, '$.assessment.risk.hits') h
       ORDER BY json_extract(h.value, '$.score') DESC, h.key LIMIT 1) AS top_reason,
    c.created_at, c.updated_at
  FROM consignments c WHERE c.state IN (${held}) ORDER BY c.id`;
const actualSql = `SELECT consignment_id AS id, state, lane, decision, risk_score, destination, office, submitter_id,
    due_at_border, currency, reasons, top_reason, created_at, updated_at FROM work_queue ORDER BY consignment_id`;
const expectedReasonsSql = `SELECT DISTINCT json_extract(h.value, '$.id') AS reason, c.created_at, c.id
  FROM consignments c, json_each(c.doc, '$.assessment.risk.hits') h WHERE c.state IN (${held})
  ORDER BY 1, 2, 3`;
const actualReasonsSql = `SELECT reason, created_at, consignment_id AS id FROM work_queue_reasons ORDER BY 1, 2, 3`;

function assertQueueMatchesDocuments(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const expected = db.prepare(expectedSql).all();
    assert.deepEqual(db.prepare(actualSql).all(), expected);
    assert.deepEqual(db.prepare(actualReasonsSql).all(), db.prepare(expectedReasonsSql).all());
    // Each reason row carries its queue row's priority tier (migration 62).
    const stray = db.prepare(`SELECT count(*) FROM work_queue_reasons r
      LEFT JOIN work_queue w ON w.consignment_id = r.consignment_id
      WHERE w.priority IS NULL OR r.priority <> w.priority`);
    assert.equal(stray.pluck().get(), 0);
    return expected.length;
  } finally {
    db.close();
  }
}

/** A store whose fresh consignments arrive without prepared work-queue columns. */
function withoutPreparedQueue(inner: ClearanceStore): ClearanceStore {
  return Object.assign(Object.create(inner) as ClearanceStore, {
    transact: <T>(
      lookup: { keys: string[]; ids: string[] },
      plan: (found: Parameters<Parameters<ClearanceStore['transact']>[1]>[0]) => {
        writes: BatchWrites;
        result: T;
      },
    ) =>
      inner.transact(lookup, (found) => {
        const out = plan(found);
        for (const f of out.writes.fresh ?? []) delete f.queue;
        return out;
      }),
  });
}

test('the work queue SQLite writes is what the documents say, however consignments are written', async (t) => {
  const snapshot = loadSnapshot({ randomRate: 0.25 });
  const flood = [...generateFlood({ seed: 'queue-rows', count: 900, day: '2026-11-27' })].map((r) => r.input);
  const dir = scratchDir('parcelgate-wq-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'q.db');
  const store = openSqliteStore({ file });
  const deps = { store, snapshot: () => snapshot };
  const ctx = (i: number) => ({
    actor: 'test',
    submitterId: 'test',
    now: new Date(Date.parse('2026-11-27T10:00:00.000Z') + i * 1000).toISOString(),
  });
  // Batches that split the flood's multi-source parcels, so later records link to stored consignments.
  await submitBatch(ctx(0), flood.slice(0, 300), deps);
  await submitBatch(ctx(1), flood.slice(300, 600), withoutPreparedDeps(deps));
  // Plans made against another snapshot are all redone in the transaction: consignments created there
  // and linked to by a later record of the batch are written by upserts that insert.
  await submitBatch(ctx(2), flood.slice(600), {
    ...deps,
    prepare: async (records, c) => {
      const batch = prepareBatch(records, snapshot, c);
      for (const g of batch.groups) g.planned.snapshotVersion = 'an older snapshot';
      return batch;
    },
  });
  const queued = await store.console!.queue({ sort: 'risk', limit: 4 });
  assert.equal(queued.items.length, 4);
  const officer = { actor: 'officer:ana', submitterId: 'x', now: '2026-11-27T12:00:00.000Z' };
  await recordOfficerDecision(officer, store, queued.items[0]!.id, {
    action: 'release',
    reason: 'checked, nothing found',
  });
  await store.close();
  const n = assertQueueMatchesDocuments(file);
  assert.ok(n > 50, `expected a sizeable queue, got ${n}`);
});

function withoutPreparedDeps<D extends { store: ClearanceStore }>(deps: D): D {
  return { ...deps, store: withoutPreparedQueue(deps.store) };
}

test('work-queue columns: hit ids by score (ties in assessment order), top reason, distinct ids', () => {
  const hit = fc.record({
    id: fc.constantFrom('R1', 'R2', 'R3', 'IND-A', 'random'),
    score: fc.constantFrom(0, 5, 20, 35.5),
    reason: fc.string({ maxLength: 8 }),
  });
  fc.assert(
    fc.property(
      fc.array(hit, { maxLength: 6 }),
      fc.constantFrom(...queueStates, 'released'),
      (hits, state) => {
        const a = { risk: { hits } } as unknown as Assessment;
        const q = workQueueColumns(state as ClearanceState, a);
        if (state === 'released') return q === null;
        assert.ok(q !== null);
        const order = hits.map((h, i) => ({ h, i })).sort((x, y) => y.h.score - x.h.score || x.i - y.i);
        assert.equal(q.reasons, hits.length === 0 ? null : order.map((o) => o.h.id).join(' '));
        assert.equal(q.topReason, hits.length === 0 ? null : order[0]!.h.reason);
        assert.deepEqual([...q.reasonIds].sort(), [...new Set(hits.map((h) => h.id))].sort());
        return true;
      },
    ),
  );
});
