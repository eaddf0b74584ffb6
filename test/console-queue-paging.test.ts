/**
 * The work queue's page order and cursors, as a property: random queues (ties in time and score, all
 * three priority tiers, held and not held consignments) page exactly like a reference ordering in
 * JavaScript, across every cursor boundary, with every filter and order, while consignments change
 * tier, score or state (or leave and join the queue) between pages.
 *
 * A cursor is a position in the page order (tier, then the order's keys), not a row: the next page is
 * the first `limit` consignments that the queue holds *now* and that come strictly after that
 * position. A consignment that moved to a tier or score before the position is therefore not shown
 * again, and one that moved after it is shown (once) when the walk gets there.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { ClearanceState, Lane, RiskHit } from '../src/domain/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { queueStates, type QueueQuery, type QueueSort } from '../src/store/console/index.js';
import type { BatchWrites, StoredConsignment } from '../src/store/port.js';
import { createWrites, fixtureConsignment } from '../src/store/testing/fixtures.js';
import { withPgClient } from '../src/store/postgres/testing/pg-test-env.js';
import { postgresTests } from '../src/store/postgres/testing/pg-suite.js';
import { applyMigrations, migrations } from '../src/store/sqlite/migrations.js';
import { consignmentCells, consignmentRow, sqliteInsertSql } from '../src/store/sqlite/sqlite-rows.js';
import { applyPgMigrations, pgMigrations } from '../src/store/postgres/migrations.js';
import { scratchDir } from '../src/testing/scratch.js';

type Tier = 'high' | 'normal' | 'low';
const tierRank: Record<Tier, number> = { high: 2, normal: 1, low: 0 };
const tierHit: Record<Tier, string | undefined> = {
  high: 'priority-high',
  normal: undefined,
  low: 'priority-low',
};

/** What the model keeps of a consignment (the store holds the full document). */
interface Row {
  id: string;
  state: ClearanceState;
  lane: Lane;
  riskScore: number;
  office: string;
  createdAt: string;
  rules: string[];
  tier: Tier;
}

const states: ClearanceState[] = [...queueStates, 'released-before-arrival', 'released'];
const instants = ['2026-11-27T10:00:00.000Z', '2026-11-27T10:00:01.000Z', '2026-11-27T11:30:00.000Z'];

const rowArb = fc.record({
  state: fc.constantFrom(...states),
  lane: fc.constantFrom<Lane>('red', 'yellow'),
  riskScore: fc.constantFrom(0, 12.5, 40, 80),
  office: fc.constantFrom('DE000001', 'DE000002'),
  createdAt: fc.constantFrom(...instants),
  rules: fc.subarray(['R1', 'R2']),
  tier: fc.constantFrom<Tier>('high', 'normal', 'normal', 'low'),
});

/** A change between pages: consignment `at` (modulo the queue's size) gets a new tier, score or state. */
const changeArb = fc.record({
  at: fc.nat(),
  tier: fc.option(fc.constantFrom<Tier>('high', 'normal', 'low'), { nil: undefined }),
  riskScore: fc.option(fc.constantFrom(0, 12.5, 40, 80), { nil: undefined }),
  state: fc.option(fc.constantFrom(...states), { nil: undefined }),
});

type Filter = Pick<QueueQuery, 'state' | 'lane' | 'office' | 'reason'>;
const filterArb = fc.constantFrom<Filter>(
  {},
  {},
  { office: 'DE000001' },
  { state: 'held-for-inspection' },
  { lane: 'red', office: 'DE000002' },
  { reason: 'R1' },
  { reason: 'priority-high' },
  { reason: 'R2', state: 'held-for-information' },
);

const caseArb = fc.record({
  rows: fc.array(rowArb, { minLength: 1, maxLength: 24 }),
  sort: fc.constantFrom<QueueSort>('newest', 'oldest', 'risk'),
  filter: filterArb,
  limit: fc.integer({ min: 1, max: 6 }),
  // Changes applied after page 1, 2, ...: one list per page boundary.
  changes: fc.array(fc.array(changeArb, { maxLength: 3 }), { maxLength: 6 }),
});

const held = new Set<string>(queueStates);

/** The order's keys of a row, most significant first, with the direction each sorts in. */
function compare(a: Row, b: Row, sort: QueueSort): number {
  if (a.tier !== b.tier) return tierRank[b.tier] - tierRank[a.tier];
  const keys = (r: Row): (string | number)[] =>
    sort === 'risk' ? [r.riskScore, r.createdAt, r.id] : [r.createdAt, r.id];
  const [ka, kb] = [keys(a), keys(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] === kb[i]) continue;
    const less = ka[i]! < kb[i]!;
    return (sort === 'oldest' ? less : !less) ? -1 : 1;
  }
  return 0;
}

const matches = (r: Row, f: Filter): boolean =>
  held.has(r.state) &&
  (f.state === undefined || r.state === f.state) &&
  (f.lane === undefined || r.lane === f.lane) &&
  (f.office === undefined || r.office === f.office) &&
  (f.reason === undefined || r.rules.includes(f.reason) || tierHit[r.tier] === f.reason);

/** The reference page: the first `limit` queued rows strictly after `last` (the previous page's last item). */
function expectedPage(rows: Row[], q: Omit<QueueQuery, 'cursor'>, last: Row | undefined): Row[] {
  return rows
    .filter((r) => matches(r, q) && (last === undefined || compare(last, r, q.sort) < 0))
    .sort((a, b) => compare(a, b, q.sort))
    .slice(0, q.limit + 1);
}

function hits(r: Row): RiskHit[] {
  const out: RiskHit[] = r.rules.map((id, i) => ({
    id,
    version: 1,
    kind: 'rule',
    score: 30 - i,
    reason: `${id} fired`,
  }));
  const marker = tierHit[r.tier];
  if (marker !== undefined)
    out.push({ id: marker, version: 1, kind: 'indicator', score: 0, reason: `${r.tier} priority` });
  return out;
}

function consignment(r: Row, version: number): StoredConsignment {
  const c = fixtureConsignment({
    id: r.id,
    keys: [`hawb:${r.id}`],
    version,
    state: r.state,
    lane: r.lane,
    riskScore: r.riskScore,
    office: r.office,
    createdAt: r.createdAt,
    updatedAt: '2026-11-27T12:00:00.000Z',
  });
  c.assessment.risk.hits = hits(r);
  return c;
}

async function write(store: ClearanceStore, writes: BatchWrites): Promise<void> {
  await store.transact({ keys: [], ids: [] }, () => ({ writes, result: null }));
}

let runs = 0;

/** Runs one case: writes the rows, then walks the queue, changing rows between pages. */
async function check(
  store: ClearanceStore,
  c: {
    rows: Omit<Row, 'id'>[];
    sort: QueueSort;
    filter: Filter;
    limit: number;
    changes: { at: number; tier?: Tier; riskScore?: number; state?: ClearanceState }[][];
  },
  docs: Map<string, StoredConsignment>,
): Promise<void> {
  runs++;
  // Ids sort in an order unrelated to the rows' times and scores.
  const rows: Row[] = c.rows.map((r, i) => ({
    ...r,
    id: `csg_r${runs}_${String((i * 7) % 31).padStart(2, '0')}_${i}`,
  }));
  for (const r of rows) docs.set(r.id, consignment(r, 1));
  await write(store, createWrites([...docs.values()]));
  const q = { sort: c.sort, limit: c.limit, ...c.filter };
  let cursor: string | undefined;
  let last: Row | undefined;
  for (let page = 0; ; page++) {
    const got = await store.console!.queue({ ...q, ...(cursor === undefined ? {} : { cursor }) });
    const want = expectedPage(rows, q, last);
    const shown = want.slice(0, c.limit);
    assert.deepEqual(
      got.items.map((i) => `${i.id} ${i.priority} ${i.riskScore} ${i.state}`),
      shown.map((r) => `${r.id} ${r.tier} ${r.riskScore} ${r.state}`),
      `page ${page + 1}`,
    );
    assert.equal(got.nextCursor !== null, want.length > c.limit, `page ${page + 1}: is there a next page`);
    if (got.nextCursor === null) break;
    cursor = got.nextCursor;
    last = { ...shown.at(-1)! };
    // Changes between this page and the next, written as new versions of the consignments.
    const changed = new Map<string, Row>();
    for (const ch of c.changes[page] ?? []) {
      const r = rows[ch.at % rows.length]!;
      if (ch.tier !== undefined) r.tier = ch.tier;
      if (ch.riskScore !== undefined) r.riskScore = ch.riskScore;
      if (ch.state !== undefined) r.state = ch.state;
      changed.set(r.id, r);
    }
    await update(store, docs, [...changed.values()]);
  }
}

/** Writes the rows as new versions of their consignments. */
async function update(
  store: ClearanceStore,
  docs: Map<string, StoredConsignment>,
  rows: Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const upserts: StoredConsignment[] = [];
  const archive: StoredConsignment[] = [];
  for (const r of rows) {
    const before = docs.get(r.id)!;
    const next = consignment(r, before.version + 1);
    next.sources = before.sources;
    docs.set(r.id, next);
    upserts.push(next);
    archive.push(before);
  }
  await write(store, { upserts, archive, declarations: [], events: [] });
}

/**
 * Runs the property on one store. Each run releases its consignments when it ends (passed or not), so
 * the next run starts from an empty queue.
 */
function contract(name: string, open: () => Promise<ClearanceStore>, numRuns: number): void {
  describe(`work-queue paging (${name})`, () => {
    let store: ClearanceStore;
    test('opening', async () => {
      store = await open();
    });

    test('random queues page like the reference order, with rows changing between pages', async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const docs = new Map<string, StoredConsignment>();
          try {
            await check(store, c, docs);
          } finally {
            const released = [...docs.values()].map((d) => ({
              id: d.id,
              state: 'released' as const,
              lane: d.assessment.risk.lane,
              riskScore: d.assessment.risk.score,
              office: 'DE000001',
              createdAt: d.createdAt,
              rules: [],
              tier: 'normal' as const,
            }));
            await update(store, docs, released);
          }
          assert.equal((await store.console!.queueCounts()).total, 0, 'the run left its queue empty');
        }),
        { numRuns },
      );
    });

    test('closing', async () => {
      await store.close();
    });
  });
}

contract('sqlite', async () => openSqliteStore({ memory: true }), 150);

/** Consignments of every tier, state and time, as written before migration 62 (queue rows by trigger). */
const legacyRows: Row[] = (['high', 'normal', 'low'] as const).flatMap((tier, t) =>
  states.map((state, i) => ({
    id: `csg_legacy_${(t * 5 + i * 3) % 16}_${t}${i}`,
    state,
    lane: i % 2 === 0 ? 'red' : 'yellow',
    riskScore: [0, 40, 80][(t + i) % 3]!,
    office: i % 2 === 0 ? 'DE000001' : 'DE000002',
    createdAt: instants[(t * 2 + i) % instants.length]!,
    rules: i % 2 === 0 ? ['R1'] : ['R2', 'R1'],
    tier,
  })),
);
const legacyCells = () =>
  legacyRows.map((r) => consignmentCells(consignmentRow(consignment(r, 1), () => false)));

/** Every order and a filter by rule page through the legacy rows as the reference orders them. */
async function assertBackfilled(store: ClearanceStore): Promise<void> {
  for (const q of [
    { sort: 'newest', limit: 2 },
    { sort: 'oldest', limit: 3 },
    { sort: 'risk', limit: 4 },
    { sort: 'oldest', limit: 2, reason: 'R2' },
    { sort: 'newest', limit: 2, reason: 'priority-low' },
  ] as const) {
    const got: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await store.console!.queue({ ...q, ...(cursor === null ? {} : { cursor }) });
      got.push(...page.items.map((i) => `${i.id} ${i.priority}`));
      cursor = page.nextCursor;
    } while (cursor !== null);
    const want = expectedPage(legacyRows, { ...q, limit: legacyRows.length }, undefined);
    assert.deepEqual(
      got,
      want.map((r) => `${r.id} ${r.tier}`),
      JSON.stringify(q),
    );
  }
}

test('migration 62 gives the queue rows written before it their tier (sqlite)', async () => {
  const dir = scratchDir('queue-62-');
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'before.db');
  const db = new Database(file);
  // The schema before 62, with migration 60's insert trigger filling the queue (80 drops it).
  applyMigrations(
    db,
    // (64, which rewrites the triggers of 62, comes after it as in a real upgrade).
    migrations.filter((m) => m.version !== 62 && m.version !== 64 && m.version !== 80),
  );
  const insert = db.prepare(sqliteInsertSql.consignment);
  for (const cells of legacyCells()) insert.run(cells);
  assert.equal(db.prepare('SELECT count(*) FROM work_queue_reasons').pluck().get(), 18);
  db.close();
  const store = openSqliteStore({ file });
  try {
    await assertBackfilled(store);
  } finally {
    await store.close();
  }
});

postgresTests('work-queue paging (postgres)', (url, freshSchema) => {
  test('migration 62 gives the queue rows written before it their tier (postgres)', async () => {
    const schema = freshSchema();
    await withPgClient(url, undefined, (c) =>
      applyPgMigrations(
        c,
        schema,
        pgMigrations.filter((m) => m.version !== 62 && m.version !== 64),
      ),
    );
    await withPgClient(url, schema, async (c) => {
      const marks = Array.from({ length: 14 }, (_, i) => `$${i + 1}`).join(', ');
      const insert = sqliteInsertSql.consignment.replace(/VALUES \(.*\)/, `VALUES (${marks})`);
      for (const cells of legacyCells()) await c.query(insert, cells);
      const n = await c.query<{ n: string }>('SELECT count(*) AS n FROM work_queue_reasons');
      assert.equal(Number(n.rows[0]!.n), 18);
    });
    const store = await openPostgresStore({ url, schema });
    try {
      await assertBackfilled(store);
    } finally {
      await store.close();
    }
  });
  contract('postgres', async () => openPostgresStore({ url, schema: freshSchema() }), 60);
});
