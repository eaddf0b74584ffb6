import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type Database from 'better-sqlite3';
import { loadSnapshot, prepareBatch, submitBatch, type SubmitResult } from '../../clearance/index.js';
import { ParcelgateError } from '../../domain/index.js';
import { generateFlood } from '../../sim/index.js';
import { scratchDir } from '../../testing/scratch.js';
import type { BatchWrites, ClearanceStore, StoredConsignment } from '../port.js';
import { amendWrites, createWrites, fixtureConsignment } from '../testing/fixtures.js';
import { clearanceTables, declaredIn, writeBatch, type KeyPolicy } from './sqlite-rows.js';
import { openMigratedDatabase, openSqliteStore } from './sqlite-store.js';
import { encodeWrites, runOps } from './write-ops.js';
import type { WriterThread } from './writer-thread.js';
import { lookupDocsSql } from './writer-protocol.js';

const dir = scratchDir('parcelgate-writer-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
const freshFile = (): string => path.join(dir, `w${++files}.db`);

// No random control: it draws by consignment id, which differs between the two stores.
const snapshot = loadSnapshot({ randomRate: 0 });
const ctx = { actor: 'test', submitterId: 'opr_test', now: '2026-11-27T12:00:00.000Z' };
const flood = (seed: string, count: number): unknown[] =>
  [...generateFlood({ seed, count, day: '2026-11-27' })].map((r) => r.input);

const tables = clearanceTables;

/** Every row of the clearance tables, as sorted JSON lines per table. */
function dump(db: Database.Database): Record<string, string[]> {
  return Object.fromEntries(
    tables.map((t) => [
      t,
      (db.prepare(`SELECT * FROM ${t}`).all() as unknown[]).map((r) => JSON.stringify(r)).sort(),
    ]),
  );
}

test('the ops a batch is encoded as write exactly the rows writeBatch writes, with the same seqs', () => {
  const prepared = prepareBatch(flood('ops', 60), snapshot, ctx);
  const fresh = prepared.groups.flatMap((g) => g.planned.fresh);
  assert.ok(
    fresh.some((f) => f.queue !== null && f.queue !== undefined),
    'some fresh consignment is held',
  );
  assert.ok(
    fresh.some((f) => f.declarations.length > 1),
    'some fresh consignment has linked records',
  );
  const held = fixtureConsignment({ state: 'held-for-information', lane: 'yellow' });
  const plain = fixtureConsignment();
  const first: BatchWrites = { ...createWrites([held, plain]), fresh };
  const second = amendWrites(held, '2026-11-27T13:00:00.000Z', 'extra:1');
  for (const policy of ['shared', 'exclusive'] as KeyPolicy[]) {
    const viaBatch = openMigratedDatabase({ memory: true });
    const viaOps = openMigratedDatabase({ memory: true });
    for (const writes of [first, second]) {
      const a = viaBatch.transaction(() => writeBatch(viaBatch, writes, policy, declaredIn(writes)))();
      const b = viaOps.transaction(() => runOps(viaOps, encodeWrites(writes, policy, declaredIn(writes))))();
      assert.deepEqual(b, a);
      assert.equal(a.length, writes.events.length);
    }
    assert.deepEqual(dump(viaOps), dump(viaBatch));
    assert.ok(dump(viaOps).work_queue!.length > 0);
    // Under the exclusive policy both refuse a key another consignment owns, with the same error.
    if (policy === 'exclusive') {
      const thief = fixtureConsignment({ keys: [plain.keys[0] as string] });
      const refusal = (f: () => unknown): ParcelgateError => {
        try {
          f();
        } catch (e) {
          return e as ParcelgateError;
        }
        assert.fail('expected store.key-conflict');
      };
      const w = createWrites([thief]);
      const a = refusal(() => viaBatch.transaction(() => writeBatch(viaBatch, w, policy, declaredIn(w)))());
      const b = refusal(() =>
        viaOps.transaction(() => runOps(viaOps, encodeWrites(w, policy, declaredIn(w))))(),
      );
      assert.equal(b.code, 'store.key-conflict');
      assert.equal(b.message, a.message);
      assert.deepEqual(b.details, a.details);
    }
    viaBatch.close();
    viaOps.close();
  }
});

/** A result without its generated ids. */
const outcome = (r: SubmitResult): unknown => {
  const { consignmentId: _c, declarationId: _d, ...rest } = r;
  return rest;
};

test('the pipeline on the writer thread gives the results and rows the in-thread store gives', async () => {
  // Small batches of a flood whose linked records fall into different batches: most batches link to
  // consignments committed by earlier ones.
  const records = flood('pipeline', 400);
  const inThread = openSqliteStore({ file: freshFile() });
  const onWriter = openSqliteStore({ file: freshFile(), writerThread: true });
  assert.equal(onWriter.commitsInBackground, true);
  const statuses = new Set<string>();
  for (let i = 0; i < records.length; i += 100) {
    const batch = records.slice(i, i + 100);
    if (i === 200) batch.push({ not: 'a consignment' });
    // Two batches in flight on the writer store, as ingest submits them.
    const [a, b] = await Promise.all([
      submitBatch(ctx, batch, { store: inThread, snapshot: () => snapshot }),
      submitBatch(ctx, batch, { store: onWriter, snapshot: () => snapshot }),
    ]);
    assert.deepEqual(b.map(outcome), a.map(outcome));
    for (const r of b) statuses.add(r.status);
  }
  for (const s of ['created', 'linked', 'rejected']) assert.ok(statuses.has(s), `some record was ${s}`);
  assert.deepEqual(await onWriter.stats(), await inThread.stats());
  await inThread.close();
  await onWriter.close();
});

/** A consignment's JSON with its generated ids (csg_, dcl_) numbered in order of appearance. */
function withoutIds(c: StoredConsignment | undefined): string {
  const seen = new Map<string, string>();
  return JSON.stringify(c).replace(/\b(csg|dcl)_[0-9A-Z]{26}\b/g, (id, prefix: string) => {
    let n = seen.get(id);
    if (n === undefined) seen.set(id, (n = `${prefix}_${seen.size}`));
    return n;
  });
}

test('records linked to a consignment an earlier batch stored are planned alike on the writer thread, whose batches keep no parsed records', async () => {
  // The writer-thread pipeline drops each batch's parsed records once planned; a record that turns out
  // to link to a stored consignment is planned again from its canonical JSON.
  const records = flood('relink', 300);
  const inThread = openSqliteStore({ file: freshFile() });
  const onWriter = openSqliteStore({ file: freshFile(), writerThread: true });
  const pairs: [string, string][] = [];
  for (let i = 0; i < records.length; i += 50) {
    const batch = records.slice(i, i + 50);
    const [a, b] = await Promise.all([
      submitBatch(ctx, batch, { store: inThread, snapshot: () => snapshot }),
      submitBatch(ctx, batch, { store: onWriter, snapshot: () => snapshot }),
    ]);
    a.forEach((r, k) => {
      if (i > 0 && r.status === 'linked') pairs.push([r.consignmentId!, b[k]!.consignmentId!]);
    });
  }
  assert.ok(pairs.length > 5, `records of later batches linked to stored consignments (${pairs.length})`);
  for (const [x, y] of pairs) {
    assert.equal(withoutIds(await onWriter.get(y)), withoutIds(await inThread.get(x)));
    assert.equal(
      JSON.stringify((await onWriter.events(y)).map(({ seq: _s, consignmentId: _c, ...e }) => e)).replace(
        /\b(csg|dcl)_[0-9A-Z]{26}\b/g,
        'id',
      ),
      JSON.stringify((await inThread.events(x)).map(({ seq: _s, consignmentId: _c, ...e }) => e)).replace(
        /\b(csg|dcl)_[0-9A-Z]{26}\b/g,
        'id',
      ),
    );
  }
  await inThread.close();
  await onWriter.close();
});

test('a consignment another connection writes after the plan was made is found, and the batch re-planned', async () => {
  // Two records of one parcel (they share a link key), from the flood.
  const records = flood('linked', 60);
  const groups = prepareBatch(records, snapshot, ctx).groups.filter((g) => g.members.length === 2);
  const group = groups[0];
  assert.ok(group !== undefined);
  const [x, y] = group.members.map((m) => records[m]);
  const file = freshFile();
  const store = openSqliteStore({ file, writerThread: true });
  const other = openSqliteStore({ file, backgroundCheckpoints: false });
  // Another writer commits x between this thread's read and the writer thread's commit.
  const xWrites = prepareBatch([x], snapshot, ctx).groups[0]!.planned;
  const seen: StoredConsignment[][] = [];
  const racing: ClearanceStore = Object.assign(Object.create(store) as ClearanceStore, {
    transact: ((lookup, plan, opts) =>
      store.transact(
        lookup,
        (found) => {
          if (seen.length === 0) {
            void other.transact({ keys: [], ids: [] }, () => ({
              writes: { fresh: xWrites.fresh, upserts: [], archive: [], declarations: [], events: [] },
              result: null,
            }));
          }
          seen.push(found);
          return plan(found);
        },
        opts,
      )) as ClearanceStore['transact'],
  });
  const [result] = await submitBatch(ctx, [y], { store: racing, snapshot: () => snapshot });
  assert.equal(seen.length, 2, 'planned twice');
  assert.deepEqual(seen[0], []);
  const xId = xWrites.fresh[0]!.id;
  assert.deepEqual(
    seen[1]!.map((c) => c.id),
    [xId],
  );
  assert.equal(result?.status, 'linked');
  assert.equal(result?.consignmentId, xId);
  const stored = await store.get(xId);
  assert.equal(stored?.sources.length, 2);
  assert.equal((await store.stats()).consignments, 1);
  await other.close();
  await store.close();
});

test('a batch the writer thread refuses writes nothing, and later batches commit', async () => {
  const store = openSqliteStore({ file: freshFile(), writerThread: true, keyPolicy: 'exclusive' });
  const owner = fixtureConsignment();
  await store.transact({ keys: owner.keys, ids: [] }, () => ({ writes: createWrites([owner]), result: 1 }), {
    speculative: true,
  });
  const before = await store.stats();
  const batch = [
    fixtureConsignment(),
    fixtureConsignment({ keys: [owner.keys[0] as string] }),
    fixtureConsignment(),
  ];
  await assert.rejects(
    store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(batch), result: 1 }), {
      speculative: true,
    }),
    (e: unknown) => e instanceof ParcelgateError && e.code === 'store.key-conflict',
  );
  assert.deepEqual(await store.stats(), before);
  for (const c of batch) assert.equal(await store.get(c.id), undefined);
  const next = fixtureConsignment();
  await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([next]), result: 1 }), {
    speculative: true,
  });
  assert.equal((await store.get(next.id))?.id, next.id);
  assert.equal((await store.stats()).consignments, 2);
  await store.close();
});

const writerOf = (store: ClearanceStore): WriterThread =>
  (store as unknown as { writer: WriterThread }).writer;

test('the writer skips its lookup when nothing committed since the plan read, and repeats it after another connection committed', async () => {
  const file = freshFile();
  const store = openSqliteStore({ file, writerThread: true });
  const other = openSqliteStore({ file, backgroundCheckpoints: false });
  const commit = (c: StoredConsignment) =>
    store.transact({ keys: c.keys, ids: [] }, () => ({ writes: createWrites([c]), result: 1 }), {
      speculative: true,
    });
  await commit(fixtureConsignment());
  await commit(fixtureConsignment());
  assert.deepEqual(writerOf(store).counts(), { committed: 2, lookupsSkipped: 1 }, 'the first one looks');

  // Another connection commits a consignment owning the key between this thread's read and the
  // writer's transaction, after a batch the writer handled: the lookup runs and finds it.
  const owner = fixtureConsignment();
  const late = fixtureConsignment({ keys: [owner.keys[0] as string] });
  const seen: string[][] = [];
  await store.transact(
    { keys: late.keys, ids: [] },
    (found) => {
      if (seen.length === 0)
        void other.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([owner]), result: null }));
      seen.push(found.map((c) => c.id));
      return { writes: found.length === 0 ? createWrites([late]) : createWrites([]), result: 1 };
    },
    { speculative: true },
  );
  assert.deepEqual(seen, [[], [owner.id]], 'planned again against what the other connection wrote');
  assert.equal(await store.get(late.id), undefined);
  // The plan made against the writer's own lookup commits without repeating it.
  assert.deepEqual(writerOf(store).counts(), { committed: 3, lookupsSkipped: 2 });
  await other.close();
  await store.close();
});

test('the batch lookup probes link_keys and consignments by their primary keys, and finds what the key filter found', () => {
  const db = openMigratedDatabase({ memory: true });
  const plan = (
    db.prepare(`EXPLAIN QUERY PLAN ${lookupDocsSql}`).all('["k"]', '["c"]') as { detail: string }[]
  ).map((r) => r.detail);
  assert.ok(
    plan.some((d) => /SEARCH l USING PRIMARY KEY \(key=\?\)/.test(d)),
    plan.join(' | '),
  );
  assert.ok(plan.some((d) => /SEARCH consignments USING INDEX sqlite_autoindex_consignments_1/.test(d)));
  assert.ok(!plan.some((d) => /SCAN (l|link_keys|consignments)\b/.test(d)), plan.join(' | '));
  const stored = [fixtureConsignment(), fixtureConsignment(), fixtureConsignment()];
  db.transaction(() => writeBatch(db, createWrites(stored), 'shared', () => false))();
  const keyed = db
    .prepare(
      `SELECT doc FROM consignments WHERE id IN (
         SELECT consignment_id FROM link_keys WHERE key IN (SELECT value FROM json_each(?))
         UNION SELECT value FROM json_each(?))`,
    )
    .pluck();
  const joined = db.prepare(lookupDocsSql).pluck();
  const cases: [string[], string[]][] = [
    [[], []],
    [[stored[0]!.keys[0]!, 'absent', stored[0]!.keys[0]!], []],
    [
      [...stored[1]!.keys, 'x'],
      [stored[2]!.id, 'csg_absent'],
    ],
    [[], [stored[0]!.id, stored[0]!.id]],
  ];
  const found = cases.map(([keys, ids]) => joined.all(JSON.stringify(keys), JSON.stringify(ids)).length);
  assert.deepEqual(found, [0, 1, 2, 1]);
  for (const [keys, ids] of cases)
    assert.deepEqual(
      joined.all(JSON.stringify(keys), JSON.stringify(ids)),
      keyed.all(JSON.stringify(keys), JSON.stringify(ids)),
    );
  db.close();
});
