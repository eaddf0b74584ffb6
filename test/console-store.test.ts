/**
 * The console port against both adapters: the work queue holds exactly the held consignments, pages
 * through each order without gaps or repeats, filters by rule, follows officer decisions, and KPI
 * facts come from the event log.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot, recordOfficerDecision, submitBatch } from '../src/clearance/index.js';
import { kpiReport } from '../src/analytics/kpi.js';
import { generateFlood } from '../src/sim/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { queueStates, type QueueItem, type QueueQuery } from '../src/store/console/index.js';
import { kpiFactsSql, type KpiFactRow } from '../src/store/console/queue-sql.js';
import { toKpiFact } from '../src/store/console/sqlite-console.js';
import { bothStores } from '../src/store/postgres/testing/pg-suite.js';
import { defaultFacilitationPolicy, withRegistry } from '../src/operators/index.js';
import { testIndex, testOperator, testStatus } from '../src/operators/test-fixtures.js';
import { scratchDir } from '../src/testing/scratch.js';

// Two platforms' operators hold statuses: priority handling (high) and a sanction (low priority). The
// multipliers are near 1 so both keep parcels in the queue.
const policy = {
  ...defaultFacilitationPolicy,
  levels: {
    ...defaultFacilitationPolicy.levels,
    AEOF: { ...defaultFacilitationPolicy.levels.AEOF, inspectionRateMultiplier: 0.99 },
    'cn-dishonest': {
      ...defaultFacilitationPolicy.levels['cn-dishonest'],
      inspectionRateMultiplier: 1.01,
      randomRateFloor: 0,
    },
  },
};
const snapshot = withRegistry(loadSnapshot({ randomRate: 0.25 }), {
  policy,
  trust: testIndex(
    [
      testOperator('opr_shn', [{ scheme: 'PLATFORM', value: 'SHN' }], 'platform'),
      testOperator('opr_tmu', [{ scheme: 'PLATFORM', value: 'TMU' }], 'platform'),
    ],
    [testStatus('opr_shn'), testStatus('opr_tmu', { level: 'cn-dishonest' })],
  ),
});
const tier = { high: 0, normal: 1, low: 2 } as const;
const now = '2026-11-27T10:00:00.000Z';
const records = [...generateFlood({ seed: 'console', count: 1200, day: '2026-11-27' })].map((r) => r.input);

async function seed(store: ClearanceStore): Promise<void> {
  // Three batches at three instants, so paging crosses equal and distinct timestamps.
  for (let i = 0; i < 3; i++) {
    const part = records.slice(i * 140, (i + 1) * 140);
    const at = new Date(Date.parse(now) + i * 1000).toISOString();
    await submitBatch({ actor: 'test', submitterId: 'test', now: at }, part, {
      store,
      snapshot: () => snapshot,
    });
  }
}

async function allHeld(store: ClearanceStore): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const state of queueStates) {
    let cursor: string | null = null;
    do {
      const page = await store.list({ state, limit: 500, ...(cursor ? { cursor } : {}) });
      for (const c of page.items) ids.add(c.id);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return ids;
}

async function walk(
  store: ClearanceStore,
  q: Omit<QueueQuery, 'limit'>,
  limit: number,
): Promise<QueueItem[]> {
  const out: QueueItem[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.console!.queue({ ...q, limit, ...(cursor ? { cursor } : {}) });
    assert.ok(page.items.length <= limit);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const before = (a: QueueItem, b: QueueItem, sort: QueueQuery['sort']): boolean => {
  // Priority tiers first (high, normal, low), then the order within the tier.
  const [ta, tb] = [tier[a.priority ?? 'normal'], tier[b.priority ?? 'normal']];
  if (ta !== tb) return ta < tb;
  const key = (x: QueueItem) => (sort === 'risk' ? [x.riskScore, x.createdAt, x.id] : [x.createdAt, x.id]);
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] === kb[i]) continue;
    const less = ka[i]! < kb[i]!;
    return sort === 'oldest' ? less : !less;
  }
  return false;
};

function contract(name: string, open: () => Promise<ClearanceStore>): void {
  describe(`console port (${name})`, () => {
    let store: ClearanceStore;
    test('seeding', async () => {
      store = await open();
      await seed(store);
    });

    test('the queue holds exactly the held consignments, in every order and page size', async () => {
      const held = await allHeld(store);
      assert.ok(held.size > 40, `expected a sizeable queue, got ${held.size}`);
      for (const sort of ['newest', 'oldest', 'risk'] as const) {
        for (const limit of [1, 7, 50, 500]) {
          if (limit === 1 && sort !== 'newest') continue;
          const items = await walk(store, { sort }, limit);
          assert.equal(items.length, held.size, `${sort}/${limit}: no gaps, no repeats`);
          assert.deepEqual(new Set(items.map((i) => i.id)), held);
          for (let i = 1; i < items.length; i++)
            assert.ok(before(items[i - 1]!, items[i]!, sort), `${sort} order`);
          const tiers = new Set(items.map((i) => i.priority));
          assert.deepEqual([...tiers].sort(), ['high', 'low', 'normal'], 'all three priority tiers are held');
          for (const i of items)
            assert.equal(
              i.priority === 'high',
              i.reasons.includes('priority-high'),
              `${i.id}: high tier exactly when its AEO platform gives priority handling`,
            );
        }
      }
      const counts = await store.console!.queueCounts();
      assert.equal(counts.total, held.size);
    });

    test('filters by state, lane, office and rule agree with the counts', async () => {
      const counts = await store.console!.queueCounts();
      const [reason, n] = Object.entries(counts.byReason).sort((a, b) => b[1] - a[1])[0]!;
      const byReason = await walk(store, { sort: 'risk', reason }, 9);
      assert.equal(byReason.length, n);
      assert.ok(byReason.every((i) => i.reasons.includes(reason)));
      for (const sort of ['newest', 'oldest'] as const) {
        const walked = await walk(store, { sort, reason }, 7);
        assert.equal(walked.length, n, `${sort} by rule: no gaps, no repeats`);
        for (let i = 1; i < walked.length; i++) assert.ok(before(walked[i - 1]!, walked[i]!, sort));
      }
      const high = await walk(store, { sort: 'oldest', reason: 'priority-high' }, 3);
      assert.ok(high.length > 0 && high.every((i) => i.priority === 'high'));
      const [office, m] = Object.entries(counts.byOffice).find(([k]) => k !== '(none)')!;
      const byOffice = await walk(store, { sort: 'oldest', office }, 5);
      assert.equal(byOffice.length, m);
      assert.ok(byOffice.every((i) => i.office === office));
      const red = await walk(store, { sort: 'newest', lane: 'red', state: 'held-for-inspection' }, 20);
      assert.ok(red.every((i) => i.lane === 'red' && i.state === 'held-for-inspection'));
      const full = await store.get(byReason[0]!.id);
      assert.equal(
        byReason[0]!.topReason,
        [...full!.assessment.risk.hits].sort((a, b) => b.score - a.score)[0]!.reason,
      );
    });

    test('a cursor of another order or a made-up one is refused', async () => {
      const page = await store.console!.queue({ sort: 'newest', limit: 2 });
      await assert.rejects(store.console!.queue({ sort: 'risk', limit: 2, cursor: page.nextCursor! }), {
        code: 'store.invalid-cursor',
      });
      await assert.rejects(store.console!.queue({ sort: 'newest', limit: 2, cursor: 'nope' }), {
        code: 'store.invalid-cursor',
      });
      await assert.rejects(store.console!.queue({ sort: 'newest', limit: 0 }), {
        code: 'store.invalid-limit',
      });
    });

    test('officer decisions move consignments out of (or within) the queue, and KPIs see them', async () => {
      // Random-control selection depends on the (random) ids, so only red-lane holds are certain.
      const inspect = (await store.console!.queue({ sort: 'newest', state: 'held-for-inspection', limit: 3 }))
        .items;
      assert.equal(inspect.length, 3);
      const ctx = { actor: 'officer:ana', submitterId: 'x', now: '2026-11-27T12:00:00.000Z' };
      await recordOfficerDecision(ctx, store, inspect[0]!.id, {
        action: 'release',
        reason: 'checked, nothing found',
        finding: 'nothing-found',
      });
      await recordOfficerDecision(ctx, store, inspect[1]!.id, {
        action: 'seize',
        reason: 'counterfeit goods',
        finding: 'counterfeit',
      });
      await recordOfficerDecision(ctx, store, inspect[2]!.id, {
        action: 'request-information',
        reason: 'invoice needed',
      });
      const held = new Set((await walk(store, { sort: 'newest' }, 500)).map((i) => i.id));
      assert.ok(!held.has(inspect[0]!.id) && !held.has(inspect[1]!.id));
      const moved = (await walk(store, { sort: 'newest', state: 'held-for-information' }, 500)).find(
        (i) => i.id === inspect[2]!.id,
      );
      assert.equal(moved?.state, 'held-for-information');
      assert.equal((await store.console!.queueCounts()).total, held.size);

      const w = { from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' };
      const facts = await store.console!.kpiFacts(w);
      const total = (await store.stats()).consignments;
      assert.equal(facts.length, total);
      const released = facts.find((f) => f.id === inspect[0]!.id)!;
      assert.equal(released.finding, 'nothing-found');
      assert.equal(released.releasedAt, '2026-11-27T12:00:00.000Z');
      const report = kpiReport(facts, await store.console!.revenueFacts(w), w);
      const h = report.hitRate;
      assert.equal(h.selected.inspectedWithFinding + h.random.inspectedWithFinding, 2);
      assert.equal(h.selected.hits + h.random.hits, 1);
      assert.ok(report.receivedToRelease.p90Seconds! >= 0);
      assert.equal(report.volume, total);
      const none = await store.console!.kpiFacts({ from: '2026-11-28T00:00:00.000Z' });
      assert.equal(none.length, 0);
      const mark = await store.console!.changeMark();
      await recordOfficerDecision(ctx, store, inspect[1]!.id, { action: 'abandon', reason: 'destroyed' });
      assert.notEqual(await store.console!.changeMark(), mark);
      const volume = await store.console!.dailyVolume({});
      assert.equal(
        volume.reduce((s, v) => s + v.count, 0),
        total,
      );
      // Per day, office and lane: the same total, each lane's parcels as the store counts them, and
      // the inspections as the KPI facts flag them.
      const byLane = await store.console!.dailyLaneVolume({});
      assert.equal(
        byLane.reduce((s, v) => s + v.count, 0),
        total,
      );
      const stats = await store.stats();
      for (const lane of ['green', 'yellow', 'red', 'blue']) {
        const n = byLane.filter((v) => v.lane === lane).reduce((s, v) => s + v.count, 0);
        assert.equal(n, stats.byLane[lane] ?? 0, `lane ${lane}`);
      }
      const inspectedFacts = (await store.console!.kpiFacts({})).filter((f) => f.inspected).length;
      assert.ok(inspectedFacts > 0);
      assert.equal(
        byLane.reduce((s, v) => s + v.inspected, 0),
        inspectedFacts,
      );
      for (const v of byLane) {
        assert.equal(typeof v.count, 'number');
        assert.equal(typeof v.inspected, 'number');
        assert.ok(v.inspected <= v.count);
      }
      const offices = new Set(volume.map((v) => `${v.day}|${v.office}`));
      assert.deepEqual(new Set(byLane.map((v) => `${v.day}|${v.office}`)), offices);
    });

    test('closing', async () => {
      await store.close();
    });
  });
}

const dir = scratchDir('pg-console-');
after(() => rmSync(dir, { recursive: true, force: true }));
bothStores('console port (postgres)', contract, {
  sqlite: () => openSqliteStore({ dataDir: dir }),
  postgres: (url, freshSchema) => openPostgresStore({ url, schema: freshSchema() }),
});

test('migration 60 fills the queue from a store written before it', async () => {
  const file = join(dir, 'old.db');
  const s = openSqliteStore({ file });
  await seed(s);
  const expected = (await s.console!.queueCounts()).total;
  await s.close();
  const db = new Database(file);
  db.exec(`DROP TRIGGER IF EXISTS work_queue_insert; DROP TRIGGER work_queue_update; DROP TRIGGER work_queue_delete;
    DROP TABLE work_queue; DROP TABLE work_queue_reasons; DELETE FROM schema_migrations WHERE version IN (60, 62);`);
  db.close();
  const reopened = openSqliteStore({ file });
  try {
    assert.ok(expected > 0);
    assert.equal((await reopened.console!.queueCounts()).total, expected);
    assert.equal((await walk(reopened, { sort: 'risk' }, 100)).length, expected);
  } finally {
    await reopened.close();
  }
});

test('the KPI fact table, refreshed in small steps between decisions, equals a scan of the whole event log', async () => {
  const file = join(dir, 'kpi.db');
  const s = openSqliteStore({ file });
  try {
    await seed(s);
    const held = await walk(s, { sort: 'oldest', state: 'held-for-inspection' }, 500);
    assert.ok(held.length >= 4);
    const ctx = { actor: 'officer:kpi', submitterId: 'officer:kpi', now: '2026-11-27T12:00:00.000Z' };
    const decisions = [
      { action: 'release', reason: 'clear', finding: 'nothing-found' },
      { action: 'seize', reason: 'counterfeit goods', finding: 'counterfeit' },
      { action: 'request-information', reason: 'invoice needed' },
      { action: 'release', reason: 'undervalued, duty reassessed', finding: 'undervalued' },
    ] as const;
    // Steps of 37 events leave the cursor inside batches and between a decision and the next.
    await s.console!.refreshKpiFacts(37);
    for (const [i, d] of decisions.entries()) {
      await recordOfficerDecision(ctx, s, held[i]!.id, d);
      await s.console!.refreshKpiFacts(37);
    }
    const viaTable = await s.console!.kpiFacts({});
    const db = new Database(file, { readonly: true });
    const scan = db
      .prepare(
        kpiFactsSql(
          () => '?',
          (x) => `"${x}"`,
          (d) => `json_extract(${d}, '$.finding')`,
          (doc) => `json_extract(${doc}, '$.assessment.risk.randomSelected')`,
        ),
      )
      .all('0000', '9999') as KpiFactRow[];
    db.close();
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    assert.deepEqual(viaTable.sort(byId), scan.map(toKpiFact).sort(byId));
    assert.deepEqual(
      held.slice(0, 4).map((h) => viaTable.find((f) => f.id === h.id)!.finding),
      ['nothing-found', 'counterfeit', null, 'undervalued'],
    );
    assert.equal(await s.console!.refreshKpiFacts(), 0, 'nothing left to read');
  } finally {
    await s.close();
  }
});
