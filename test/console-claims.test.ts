/**
 * Work-queue claims against both adapters (docs/console.md "Claims"): one officer per consignment,
 * exactly one winner when two claim at once (on two connections), expired claims free, renew and
 * release only by the holder, and the queue's claim filters and marks.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { loadSnapshot, submitBatch } from '../src/clearance/index.js';
import { generateFlood } from '../src/sim/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import type { ConsoleStore, QueueItem, QueueQuery } from '../src/store/console/index.js';
import { queueSql } from '../src/store/console/queue-sql.js';
import { bothStores } from '../src/store/postgres/testing/pg-suite.js';
import { scratchDir } from '../src/testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0.25 });
const now = '2026-11-27T10:00:00.000Z';
const later = (ms: number) => new Date(Date.parse(now) + ms).toISOString();
const ttlMs = 30 * 60_000;
const records = [...generateFlood({ seed: 'claims', count: 400, day: '2026-11-27' })].map((r) => r.input);

const consoleOf = (s: ClearanceStore): ConsoleStore => {
  assert.ok(s.console, 'the adapter offers the console port');
  return s.console;
};

async function walk(c: ConsoleStore, q: Omit<QueueQuery, 'limit' | 'sort'>, limit = 7): Promise<QueueItem[]> {
  const out: QueueItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: QueueItem[]; nextCursor: string | null } = await c.queue({
      ...q,
      sort: 'oldest',
      limit,
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function contract(name: string, open: () => Promise<ClearanceStore>): void {
  describe(`work-queue claims (${name})`, () => {
    let store: ClearanceStore;
    let other: ClearanceStore;
    let queued: string[] = [];
    test('seeding', async () => {
      store = await open();
      await submitBatch({ actor: 'test', submitterId: 'test', now }, records, {
        store,
        snapshot: () => snapshot,
      });
      other = await open();
      queued = (await walk(consoleOf(store), {}, 500)).map((i) => i.id);
      assert.ok(queued.length > 30, `expected a sizeable queue, got ${queued.length}`);
    });

    test('a claim holds a queued consignment for its officer; another officer is refused until it expires', async () => {
      const c = consoleOf(store);
      const id = queued[0]!;
      const mine = await c.claim({ consignmentId: id, officerId: 'officer:ada', now, ttlMs });
      assert.ok(mine.ok);
      assert.equal(mine.claim.expiresAt, later(ttlMs));
      assert.equal(mine.previous, null);
      const theirs = await c.claim({
        consignmentId: id,
        officerId: 'officer:bob',
        now: later(60_000),
        ttlMs,
      });
      assert.deepEqual(theirs, { ok: false, reason: 'held-by-other', holder: mine.claim });
      // At the expiry instant the claim is free, and taking it over names the claim it replaced.
      const taken = await c.claim({ consignmentId: id, officerId: 'officer:bob', now: later(ttlMs), ttlMs });
      assert.ok(taken.ok);
      assert.deepEqual(taken.previous, mine.claim);
      assert.equal((await c.claimOf(id))?.officerId, 'officer:bob');
    });

    test('renew and release only by the holder; a consignment out of the queue cannot be claimed', async () => {
      const c = consoleOf(store);
      const id = queued[1]!;
      assert.deepEqual(
        await c.claim({ consignmentId: id, officerId: 'officer:ada', now, ttlMs, renew: true }),
        {
          ok: false,
          reason: 'not-held',
        },
      );
      const first = await c.claim({ consignmentId: id, officerId: 'officer:ada', now, ttlMs });
      assert.ok(first.ok);
      const renewed = await c.claim({
        consignmentId: id,
        officerId: 'officer:ada',
        now: later(600_000),
        ttlMs,
        renew: true,
      });
      assert.ok(renewed.ok);
      assert.equal(renewed.claim.claimedAt, now, 'a renewal keeps when the claim was taken');
      assert.equal(renewed.claim.expiresAt, later(600_000 + ttlMs));
      const byOther = await c.claim({
        consignmentId: id,
        officerId: 'officer:bob',
        now: later(1),
        ttlMs,
        renew: true,
      });
      assert.equal(byOther.ok ? 'ok' : byOther.reason, 'held-by-other');
      assert.equal(await c.release(id, 'officer:bob'), null, 'another officer releases nothing');
      assert.equal((await c.release(id, 'officer:ada'))?.officerId, 'officer:ada');
      assert.equal(await c.claimOf(id), null);
      assert.deepEqual(
        await c.claim({ consignmentId: 'csg_not_queued', officerId: 'officer:ada', now, ttlMs }),
        {
          ok: false,
          reason: 'not-queued',
        },
      );
    });

    test('two officers claiming the same consignments at once on two connections: exactly one wins each', async () => {
      const a = consoleOf(store);
      const b = consoleOf(other);
      const ids = queued.slice(2, 22);
      const results = await Promise.all(
        ids.flatMap((id) => [
          a.claim({ consignmentId: id, officerId: 'officer:ada', now, ttlMs }),
          b.claim({ consignmentId: id, officerId: 'officer:bob', now, ttlMs }),
        ]),
      );
      for (const [i, id] of ids.entries()) {
        const pair = [results[2 * i]!, results[2 * i + 1]!];
        const winners = pair.filter((r) => r.ok);
        assert.equal(winners.length, 1, `${id}: exactly one claim wins`);
        const loser = pair.find((r) => !r.ok)!;
        assert.ok(!loser.ok && loser.reason === 'held-by-other');
        assert.equal(loser.holder.officerId, winners[0]!.ok ? winners[0]!.claim.officerId : '');
        assert.equal((await a.claimOf(id))?.officerId, winners[0]!.ok ? winners[0]!.claim.officerId : '');
      }
      // Also over an expired claim: both try to take it over, one wins.
      const id = queued[0]!;
      const late = later(10 * ttlMs);
      const over = await Promise.all([
        a.claim({ consignmentId: id, officerId: 'officer:cy', now: late, ttlMs }),
        b.claim({ consignmentId: id, officerId: 'officer:dee', now: late, ttlMs }),
      ]);
      assert.equal(over.filter((r) => r.ok).length, 1);
      for (const idd of ids) await a.release(idd);
      await a.release(id);
    });

    test('the queue marks live claims and filters unclaimed and mine, paging without gaps', async () => {
      const c = consoleOf(store);
      const all = await walk(c, { now });
      const held = queued.slice(0, 9);
      for (const [i, id] of held.entries()) {
        const officerId = i % 3 === 0 ? 'officer:bob' : 'officer:ada';
        // One of Ada's claims is already expired at `now`: free again, and not hers any more.
        const at = i === 4 ? later(-2 * ttlMs) : now;
        assert.ok((await c.claim({ consignmentId: id, officerId, now: at, ttlMs })).ok);
      }
      const expired = held[4]!;
      const live = held.filter((id) => id !== expired);
      const marked = (await walk(c, { now })).filter((i) => i.claim !== undefined);
      assert.deepEqual(new Set(marked.map((i) => i.id)), new Set(live));
      assert.equal(marked.find((i) => i.id === held[0])?.claim?.officerId, 'officer:bob');
      const unclaimed = await walk(c, { now, claim: 'unclaimed' });
      assert.deepEqual(
        unclaimed.map((i) => i.id),
        all.map((i) => i.id).filter((id) => !live.includes(id)),
        'unclaimed: the queue in order, without the live claims (the expired one is free)',
      );
      const mine = await walk(c, { now, claim: 'mine', officerId: 'officer:ada' }, 2);
      assert.deepEqual(
        mine.map((i) => i.id),
        all.map((i) => i.id).filter((id, _) => live.includes(id) && held.indexOf(id) % 3 !== 0),
        'mine: only the live claims of the caller, in queue order',
      );
      assert.ok(mine.every((i) => i.claim?.officerId === 'officer:ada'));
      // Filters combine with the claim filters.
      const lane = all[0]!.lane;
      const mineInLane = await walk(c, { now, claim: 'mine', officerId: 'officer:ada', lane });
      assert.deepEqual(
        mineInLane.map((i) => i.id),
        mine.filter((i) => i.lane === lane).map((i) => i.id),
      );
      const reason = all.find((i) => i.reasons.length > 0)!.reasons[0]!;
      for (const claim of ['unclaimed', 'mine'] as const) {
        const got = await walk(c, { now, claim, officerId: 'officer:ada', reason });
        assert.ok(got.every((i) => i.reasons.includes(reason)));
        const want = (claim === 'mine' ? mine : unclaimed).filter((i) => i.reasons.includes(reason));
        assert.deepEqual(
          got.map((i) => i.id),
          want.map((i) => i.id),
          `${claim} by rule`,
        );
      }
      for (const id of held) await c.release(id);
    });

    test('closing', async () => {
      await other.close();
      await store.close();
    });
  });
}

const dir = scratchDir('claims-');
after(() => rmSync(dir, { recursive: true, force: true }));
// Every open of one backend reaches the same data: the second is another connection to it.
let schema: string | undefined;
bothStores('work-queue claims (postgres)', contract, {
  sqlite: () => openSqliteStore({ dataDir: dir }),
  postgres: (url, freshSchema) => openPostgresStore({ url, schema: (schema ??= freshSchema()) }),
});

test('two processes claiming the same consignments of one SQLite file at once: exactly one wins each', async () => {
  const file = scratchDir('claims-threads-');
  after(() => rmSync(file, { recursive: true, force: true }));
  const store = openSqliteStore({ dataDir: file });
  await submitBatch({ actor: 'test', submitterId: 'test', now }, records.slice(0, 200), {
    store,
    snapshot: () => snapshot,
  });
  const ids = (await walk(consoleOf(store), {}, 500)).map((i) => i.id);
  await store.close();
  // Two worker threads, each with its own connection, start together and claim every id in turn.
  const start = new Int32Array(new SharedArrayBuffer(4));
  const code = `const { workerData: w, parentPort } = require('node:worker_threads');
    (async () => {
      const { openSqliteStore } = await import(w.storeUrl);
      const s = openSqliteStore({ dataDir: w.dir });
      Atomics.add(w.start, 0, 1);
      while (Atomics.load(w.start, 0) < 2) Atomics.wait(w.start, 0, Atomics.load(w.start, 0), 5);
      const won = [];
      for (const id of w.ids) {
        const r = await s.console.claim({ consignmentId: id, officerId: w.officer, now: w.now, ttlMs: w.ttlMs });
        if (r.ok) won.push(id);
      }
      await s.close();
      parentPort.postMessage(won);
    })().catch((e) => { throw e; });`;
  const storeUrl = new URL('../src/store/index.js', import.meta.url).href;
  const run = (officer: string) =>
    new Promise<string[]>((resolve, reject) => {
      const w = new Worker(code, {
        eval: true,
        workerData: { storeUrl, dir: file, ids, officer, now, ttlMs, start },
      });
      w.once('message', resolve);
      w.once('error', reject);
    });
  const [ada, bob] = await Promise.all([run('officer:ada'), run('officer:bob')]);
  assert.equal(ada.length + bob.length, ids.length, 'every consignment claimed once');
  assert.deepEqual(new Set([...ada, ...bob]), new Set(ids), 'and by exactly one officer');
});

test('the claim filters keep the queue indexed: unclaimed walks the page order with a key probe, mine starts from the officer index (SQLite plan)', () => {
  const store = openSqliteStore({ memory: true }) as unknown as {
    db: Database.Database;
    close(): Promise<void>;
  };
  try {
    const plan = (q: QueueQuery) => {
      const { sql, params } = queueSql(
        q,
        () => '?',
        (s) => `"${s}"`,
      );
      return (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    };
    const index = { newest: 'work_queue_newest', oldest: 'work_queue_oldest', risk: 'work_queue_risk' };
    for (const sort of ['newest', 'oldest', 'risk'] as const) {
      for (const claim of [undefined, 'unclaimed'] as const) {
        const p = plan({ sort, limit: 50, ...(claim ? { claim } : {}) });
        assert.match(p, new RegExp(`SCAN w USING INDEX ${index[sort]}\\b`), `${sort} ${claim}: ${p}`);
        assert.match(p, /SEARCH k USING PRIMARY KEY \(consignment_id=\?\)/, p);
        assert.doesNotMatch(p, /TEMP B-TREE/, `${sort} ${claim}: never sorts the queue: ${p}`);
        const byLane = plan({
          sort: sort === 'risk' ? 'newest' : sort,
          limit: 50,
          lane: 'red',
          ...(claim ? { claim } : {}),
        });
        assert.doesNotMatch(byLane, /TEMP B-TREE/, byLane);
      }
      const mine = plan({ sort, limit: 50, claim: 'mine', officerId: 'officer:ada' });
      assert.match(
        mine,
        /^SEARCH k USING COVERING INDEX work_queue_claims_officer \(officer_id=\? AND expires_at>\?\)/,
        mine,
      );
    }
  } finally {
    void store.close();
  }
});
