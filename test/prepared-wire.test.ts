/**
 * Prepared batches crossing from a worker: flattened and rebuilt they are the same groups, and groups
 * planned again from records left on the worker are stored exactly as groups planned in this thread.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize, serialize } from 'node:v8';
import {
  packBatch,
  prepareBatch,
  submitBatch,
  unpackBatch,
  type PipelineDeps,
  type PreparedBatch,
} from '../src/clearance/index.js';
import { ConsigneeWindow } from '../src/risk/index.js';
import { openSqliteStore } from '../src/store/index.js';
import type { ReferenceSnapshot } from '../src/clearance/index.js';
import { contents, ctx, flood, historyIds, snapshot } from './helpers/flood.js';

/** What a worker sends, as the committing thread receives it. */
const throughWorker = (b: PreparedBatch) => unpackBatch(deserialize(serialize(packBatch(b))) as never);

test('a packed batch rebuilds to the same groups, fresh consignments and results', () => {
  const records: unknown[] = flood('wire', 300);
  records.push({ not: 'a consignment' }, records[3]);
  const batch = prepareBatch(records, snapshot, ctx, false);
  const back = throughWorker(batch);
  assert.deepEqual(back.rejected, batch.rejected);
  assert.equal(back.groups.length, batch.groups.length);
  assert.ok(batch.groups.some((g) => g.planned.fresh.some((f) => f.queue !== null)));
  assert.ok(batch.groups.some((g) => g.planned.results.length > 1));
  batch.groups.forEach((g, i) => {
    const h = back.groups[i]!;
    assert.deepEqual(h.keys, g.keys);
    assert.deepEqual(h.planned, g.planned);
  });
  assert.deepEqual(back.accepted, []);
});

/** Preparation as on a worker, every plan stale, so every group is planned again from the values. */
const staleOnWorker =
  (s: ReferenceSnapshot): PipelineDeps['prepare'] =>
  async (rs, c) => {
    const b = throughWorker(prepareBatch(rs, s, c, false));
    for (const g of b.groups) g.planned.snapshotVersion = 'stale';
    return b;
  };

test('groups planned again from records left on the worker are stored as groups planned here', async () => {
  const records: unknown[] = flood('left-behind', 300);
  records.splice(10, 0, { not: 'a consignment' });
  const here: PipelineDeps = { store: openSqliteStore({ memory: true }), snapshot: () => snapshot };
  const there: PipelineDeps = {
    store: openSqliteStore({ memory: true }),
    snapshot: () => snapshot,
    prepare: staleOnWorker(snapshot),
  };
  const a = await submitBatch(ctx, records, here);
  const b = await submitBatch(ctx, records, there);
  const view = (rs: typeof a) =>
    rs.map((r) => [r.index, r.status, r.version, r.state, r.decision, r.issues?.[0]?.code]);
  assert.deepEqual(view(b), view(a));
  assert.ok(a.some((r) => r.status === 'linked'));
  assert.equal(a[10]?.status, 'rejected');
  const ids = (rs: typeof a) => rs.flatMap((r) => (r.consignmentId ? [r.consignmentId] : []));
  assert.deepEqual(await contents(there, ids(b)), await contents(here, ids(a)));
});

test('planning again from the values forgets what those plans noted in the live history', async () => {
  const history = new ConsigneeWindow(48);
  const live = { ...snapshot, history };
  const deps: PipelineDeps = {
    store: openSqliteStore({ memory: true }),
    snapshot: () => live,
    prepare: staleOnWorker(snapshot),
  };
  const records = flood('history-wire', 30);
  await submitBatch(ctx, records, deps);
  const noted = historyIds(history, records);
  assert.ok(noted.size > 0);
  for (const id of noted) assert.ok(await deps.store.get(id), `history holds ${id}, which was never stored`);
});
