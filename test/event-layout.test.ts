/**
 * One creation row per new consignment (src/store/event-rows.ts): every reader of the event log, in
 * both dialects, must read back exactly the logical events the earlier layout wrote as three rows
 * (declared, assessed, routed), with the same seqs, texts and order.
 *
 * Two stores receive the same batches: one as the pipeline writes them (creation rows), one with each
 * creation row replaced by the events the state machine's code makes for it (`routeAfterAssessment`,
 * the code a creation row stands for) as plain rows: the earlier layout. Every reader must agree.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { prepareBatch, routeAfterAssessment, type RequestContext } from '../src/clearance/index.js';
import type { ClearanceState, Decision } from '../src/domain/index.js';
import { openPgRegistry, openSqliteRegistry } from '../src/registry/index.js';
import { openPgSecurityStore, openSqliteSecurityStore } from '../src/secstore/index.js';
import {
  compactCreation,
  creationRowType,
  eventText,
  expandEventRows,
  openPgExchangeStore,
  openPostgresStore,
  openSqliteExchangeStore,
  openSqliteStore,
  sqliteFileName,
  type BatchWrites,
  type ClearanceEvent,
  type ClearanceStore,
  type ExchangeStore,
  type FreshConsignment,
} from '../src/store/index.js';
import { bothStores } from '../src/store/postgres/testing/pg-suite.js';
import type { RegistryStore } from '../src/registry/index.js';
import type { SecurityStore } from '../src/secstore/index.js';
import { flood, snapshot } from './helpers/flood.js';
import { scratchDir } from '../src/testing/scratch.js';

const decisions: Decision[] = ['release', 'hold-for-information', 'inspect', 'do-not-load'];

/** The events the earlier layout wrote for a creation row: declared, then what routing makes. */
function earlierEvents(id: string, row: FreshConsignment['events'][number]): FreshConsignment['events'] {
  const decision = decisions.find(
    (d) => routeAfterAssessment(id, 'declared', d, { at: row.at, actor: row.actor }).to === row.to,
  );
  assert.ok(decision !== undefined, `no decision routes to ${row.to}`);
  const routed = routeAfterAssessment(id, 'declared', decision, { at: row.at, actor: row.actor });
  return [{ ...row, type: 'consignment.declared', to: 'declared' }, ...routed.events.map(eventText)];
}

/** The same writes in the earlier layout: no creation rows. */
function earlierLayout(w: BatchWrites): BatchWrites {
  return {
    ...w,
    fresh: (w.fresh ?? []).map((f) => ({
      ...f,
      events: f.events.flatMap((e) => (e.type === creationRowType ? earlierEvents(f.id, e) : [e])),
    })),
  };
}

/** Batches as the pipeline plans them against an empty store, then carrier events and officer decisions. */
function batches(): BatchWrites[] {
  const out: BatchWrites[] = [];
  const ids: string[] = [];
  const at = (h: number) => `2026-11-27T${String(10 + h).padStart(2, '0')}:00:00.000Z`;
  for (const [i, seed] of ['layout-a', 'layout-b'].entries()) {
    const ctx: RequestContext = { actor: 'a', submitterId: i === 0 ? 'opr_a' : 'opr_b', now: at(i) };
    const prepared = prepareBatch(flood(seed, 120), snapshot, ctx);
    const fresh = prepared.groups.flatMap((g) => g.planned.fresh);
    for (const f of fresh) ids.push(f.id);
    out.push({ upserts: [], archive: [], declarations: [], events: [], fresh });
    // Arrivals for some, an inspection finding for others (plain rows between the creation rows).
    const events: ClearanceEvent[] = [];
    ids.forEach((id, k) => {
      if (k % 5 === 0)
        events.push({
          consignmentId: id,
          type: 'consignment.arrived',
          from: 'released-before-arrival',
          to: 'arrived',
          at: at(i + 2),
          actor: 'carrier',
          data: { trigger: 'carrier.arrived' },
        });
      if (k % 7 === 3)
        events.push({
          consignmentId: id,
          type: 'consignment.inspect',
          from: 'held-for-inspection',
          to: 'held-for-inspection',
          at: at(i + 3),
          actor: 'officer',
          reason: 'x-ray',
          data: { trigger: 'officer.inspect', finding: 'nothing-found' },
        });
    });
    out.push({ upserts: [], archive: [], declarations: [], events });
  }
  return out;
}

interface Readers {
  store: ClearanceStore;
  exchange: ExchangeStore;
  registry: RegistryStore;
  security: SecurityStore;
  close: () => Promise<void>;
}

/** The four readers of one database, closed together. */
function readers(
  store: ClearanceStore,
  exchange: ExchangeStore,
  registry: RegistryStore,
  security: SecurityStore,
): Readers {
  return {
    store,
    exchange,
    registry,
    security,
    close: async () => {
      await exchange.close();
      await registry.close();
      await security.close();
      await store.close();
    },
  };
}

async function write(r: Readers, writes: readonly BatchWrites[]): Promise<void> {
  for (const w of writes) await r.store.transact({ keys: [], ids: [] }, () => ({ writes: w, result: null }));
}

/** Everything each reader returns, over the same ranges. */
async function readAll(
  r: Readers,
  ids: readonly string[],
  total: number,
  facts: { arrivals: number; findings: number },
): Promise<unknown> {
  // PostgreSQL serves the feed below the commit watermark: wait until every event is visible.
  for (let i = 0; i < 400 && (await r.exchange.eventsSince(0, 10_000)).length < total; i++)
    await new Promise((res) => setTimeout(res, 25));
  const timelines = [];
  for (const id of ids) timelines.push(await r.store.events(id));
  const latest = await r.exchange.latestSeq();
  const pages = [];
  for (const limit of [1, 2, 5]) {
    const seen = [];
    let after = 0;
    for (;;) {
      const page = await r.exchange.eventsSince(after, limit);
      if (page.length === 0) break;
      seen.push(page.map((e) => e.seq));
      after = page[page.length - 1]!.seq;
    }
    pages.push(seen);
  }
  const starts = [];
  for (let after = 0; after <= latest; after += after < 40 ? 1 : 11)
    starts.push(await r.exchange.eventsSince(after, 4));
  const filtered = await r.exchange.eventsSince(0, 10_000, { submitterId: 'opr_b' });
  const bySeq = await r.exchange.eventsBySeq([1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, latest]);
  const registry = [];
  for (let after = 0; after <= latest; after += 7)
    registry.push(await r.registry.clearanceEventsSince(after, 10));
  const scans = [];
  for (const [from, to] of [
    [0, latest],
    [1, 2],
    [2, 4],
    [3, 17],
    [10, 11],
    [latest - 5, latest - 1],
  ] as const) {
    const chunks: unknown[] = [];
    await r.security.scanEvents(from, to, (rows) => chunks.push(...rows));
    scans.push(chunks);
  }
  const stats = (await r.store.stats()).events;
  // The KPI follower (PostgreSQL: below the commit watermark too) catches up in steps: wait until
  // every consignment, arrival and finding is in.
  let kpi: { id: string; arrivedAt: string | null; finding: string | null }[] = [];
  const caughtUp = () =>
    kpi.length === ids.length &&
    kpi.filter((f) => f.arrivedAt !== null).length === facts.arrivals &&
    kpi.filter((f) => f.finding !== null).length === facts.findings;
  for (let i = 0; i < 400 && !caughtUp(); i++) {
    if (i > 0) await new Promise((res) => setTimeout(res, 25));
    await r.store.console?.refreshKpiFacts();
    kpi = ((await r.store.console?.kpiFacts({})) ?? []).sort((a, b) => a.id.localeCompare(b.id));
  }
  return { timelines, latest, pages, starts, filtered, bySeq, registry, scans, stats, kpi };
}

function layoutTests(name: string, open: () => Promise<Readers>): void {
  test(`${name}: every reader reads creation rows as the earlier layout's three events`, async () => {
    const plan = batches();
    const compact = await open();
    const earlier = await open();
    try {
      await write(compact, plan);
      await write(earlier, plan.map(earlierLayout));
      const ids = [...new Set(plan.flatMap((w) => (w.fresh ?? []).map((f) => f.id)))];
      const total = (await earlier.exchange.eventsSince(0, 10_000)).length;
      const later = plan.flatMap((w) => w.events);
      const facts = {
        arrivals: new Set(later.filter((e) => e.type === 'consignment.arrived').map((e) => e.consignmentId))
          .size,
        findings: new Set(later.filter((e) => e.data?.finding !== undefined).map((e) => e.consignmentId))
          .size,
      };
      const a = await readAll(compact, ids, total, facts);
      const b = await readAll(earlier, ids, total, facts);
      assert.deepEqual(a, b);
      // The layouts differ: the compact log has about a third of the rows.
      const rows = plan.flatMap((w) => [...(w.fresh ?? []).flatMap((f) => f.events), ...w.events]);
      assert.ok(rows.some((e) => e.type === creationRowType));
      assert.equal((a as { stats: number }).stats, total);
      assert.ok(rows.length < total * 0.5, `${rows.length} rows for ${total} events`);
      // Seqs are consecutive from 1: no event is lost or numbered twice.
      const seqs = ((a as { pages: number[][][] }).pages[0] ?? []).flat();
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
      );
    } finally {
      await compact.close();
      await earlier.close();
    }
  });
}

describe('event log layout', () => {
  bothStores('postgres: every reader reads creation rows as the earlier layout', layoutTests, {
    sqlite: () => {
      const dir = scratchDir('pg-layout-');
      const store = openSqliteStore({ dataDir: dir });
      const exchange = openSqliteExchangeStore({ dataDir: dir });
      const registry = openSqliteRegistry({ file: path.join(dir, sqliteFileName) });
      const security = openSqliteSecurityStore({ dataDir: dir });
      return readers(store, exchange, registry, security);
    },
    postgres: async (url, freshSchema) => {
      const schema = freshSchema('pglayout');
      const store = await openPostgresStore({ url, schema, poolSize: 2 });
      const exchange = await openPgExchangeStore({ url, schema, poolSize: 2 });
      const registry = await openPgRegistry({ url, schema, poolSize: 2 });
      const security = await openPgSecurityStore({ url, schema, poolSize: 2 });
      return readers(store, exchange, registry, security);
    },
  });
});

test('a creation row expands to exactly the events the state machine makes for each first decision', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...decisions),
      fc.string(),
      fc.string(),
      fc.option(fc.json(), { nil: null }),
      fc.integer({ min: 3, max: 2 ** 40 }),
      (decision, at, actor, data, seq) => {
        const to = routeAfterAssessment('csg_x', 'declared', decision, { at, actor }).to;
        const row = { seq, type: creationRowType, from: null, to, at, actor, reason: null, data };
        const earlier = earlierEvents('csg_x', row).map((e, i) => ({ ...e, seq: seq - 2 + i }));
        assert.deepEqual(expandEventRows([row]), earlier);
        // A range keeps exactly the events whose seqs fall inside it.
        for (let lo = seq - 4; lo <= seq + 1; lo++)
          for (let hi = lo; hi <= seq + 1; hi++)
            assert.deepEqual(
              expandEventRows([row], lo, hi),
              earlier.filter((e) => e.seq > lo && e.seq <= hi),
            );
      },
    ),
  );
});

test("compacting a consignment's first events and expanding the row gives back the same events", () => {
  const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
  const event = fc
    .record({
      type: pick(
        'consignment.declared',
        'consignment.assessed',
        'consignment.held-for-inspection',
        'consignment.arrived',
      ),
      from: pick<ClearanceState | null>(null, 'declared', 'assessed'),
      to: pick<ClearanceState | null>(
        'declared',
        'assessed',
        'held-for-inspection',
        'released-before-arrival',
        'arrived',
      ),
      at: pick('t1', 't2'),
      actor: pick('a', 'b'),
      reason: pick(null, 'r'),
      data: pick(
        null,
        '{"trigger":"assess"}',
        '{"trigger":"route-red"}',
        '{"declarationId":"d","source":"s"}',
      ),
    })
    .map((e) => ({ ...e }));
  const creation = (decision: Decision, at: string, actor: string) =>
    earlierEvents('csg_x', {
      type: creationRowType,
      from: null,
      to: routeAfterAssessment('csg_x', 'declared', decision, { at, actor }).to,
      at,
      actor,
      reason: null,
      data: '{"declarationId":"d","source":"s"}',
    });
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(event, { maxLength: 5 }),
        fc
          .tuple(fc.constantFrom(...decisions), fc.array(event, { maxLength: 2 }))
          .map(([d, rest]) => [...creation(d, 't1', 'a'), ...rest]),
      ),
      (events) => {
        const rows = compactCreation(events);
        let seq = 0;
        const stored = rows.map((r) => ({ ...r, seq: (seq += r.type === creationRowType ? 3 : 1) }));
        const back = expandEventRows(stored).map(({ seq: _seq, ...e }) => e);
        assert.deepEqual(back, events);
        if (rows.length < events.length) assert.equal(rows[0]!.type, creationRowType);
      },
    ),
    { numRuns: 300 },
  );
  // The state machine's creation events always compact.
  for (const d of decisions) assert.equal(compactCreation(creation(d, 't', 'a')).length, 1);
});
