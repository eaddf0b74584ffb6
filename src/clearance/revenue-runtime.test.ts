/**
 * The revenue runtime on a real SQLite store: per-person totals read before assessing (China ¥26,000
 * a year), the ledger following the event log, repair after a crash, and returns unwinding revenue.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { ConsignmentInput } from '../domain/index.js';
import { replayRevenue } from '../revenue/index.js';
import { openSqliteStore, type ClearanceStore } from '../store/index.js';
import { cnPlatformOrder } from '../testing/consignments.js';
import type { RequestContext } from './context.js';
import { loadSnapshot } from './load-snapshot.js';
import type { RevenueRuntime } from './revenue-runtime.js';
import { submitBatch, type PipelineDeps } from './submit.js';
import { openSqliteRevenue } from './testing/sqlite-revenue.js';
import { recordCarrierEvent } from './transitions.js';
import { scratchDir } from '../testing/scratch.js';
import { identityPersonKey } from '../revenue/person-key.js';

const base = loadSnapshot({ classifier: false, randomRate: 0 });
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let serial = 10_000_000;
/** A CBEC platform order to Shanghai for one buyer: one item of `cny` (HS 190110: duty 15%, VAT 13%). */
function cnOrder(cny: string, day = '2026-03-02', buyer = '31010119900101123X'): ConsignmentInput {
  return cnPlatformOrder(String(serial++), { cny, day, buyerId: buyer });
}

const ctx = (now = '2026-03-02T08:00:00.000Z'): RequestContext => ({ actor: 't', submitterId: 't', now });

interface Env {
  dir: string;
  store: ClearanceStore;
  open(): Promise<RevenueRuntime>;
  deps(runtime?: RevenueRuntime): PipelineDeps;
  close(): Promise<void>;
}

function env(): Env {
  const dir = scratchDir('pg-revenue-');
  dirs.push(dir);
  const store = openSqliteStore({ dataDir: dir });
  const closers: (() => unknown)[] = [];
  return {
    dir,
    store,
    async open() {
      const { rt, ledger, feed } = await openSqliteRevenue(dir, store, base, (err) =>
        assert.fail(String(err)),
      );
      closers.push(
        () => ledger.close(),
        () => feed.close(),
      );
      closers.push(() => rt.flush());
      return rt;
    },
    deps(runtime) {
      return runtime
        ? {
            store: runtime.storeOf(store),
            snapshot: () => runtime.snapshotOf(base),
            observeWrites: (fresh, changed) => runtime.observeWrites(fresh, changed),
          }
        : { store, snapshot: () => base };
    },
    async close() {
      for (const c of closers.reverse()) await c();
      await store.close();
    },
  };
}

async function submit(deps: PipelineDeps, records: ConsignmentInput[], now?: string) {
  const results = await submitBatch(ctx(now), records, deps);
  return Promise.all(
    results.map(async (r) => {
      assert.equal(r.status, 'created', JSON.stringify(r));
      const id = (r as { consignmentId: string }).consignmentId;
      return (await deps.store.get(id))!;
    }),
  );
}

/** The buyer's totals as the next batch naming the buyer reads them (loaded from the ledger if not held). */
async function buyerTotals(rt: RevenueRuntime, date = '2026-03-02') {
  const release = await rt.history.hold([identityPersonKey('PERSONAL:31010119900101123X')]);
  try {
    return rt.history.totals(identityPersonKey('PERSONAL:31010119900101123X'), 'CN', date, 'CNY', 2);
  } finally {
    release();
  }
}

describe('revenue runtime: per-person totals before assessment', () => {
  it('CN-4 in the pipeline: six ¥4,000 orders in one batch, then ¥3,000 crosses ¥26,000: general trade', async () => {
    const e = env();
    const rt = await e.open();
    try {
      const deps = e.deps(rt);
      const first = await submit(
        deps,
        Array.from({ length: 6 }, () => cnOrder('4000')),
      );
      // Orders in the same batch add up too: all six stay within 24,000.
      assert.deepEqual(
        first.map((c) => c.assessment.revenue.collectionModel),
        Array(6).fill('platform-withholding'),
      );
      assert.ok(first[5]!.assessment.revenue.notes.includes('annual total after this order: 24000.00 CNY'));
      const [over] = await submit(deps, [cnOrder('3000')]);
      const r = over!.assessment.revenue;
      assert.equal(r.collectionModel, 'border');
      assert.equal(r.dueAtBorder, '898.50');
      assert.ok(r.notes.some((n) => n.startsWith('annual total after this order: 27000.00')));
      // The totals it counted are recorded, so a replay as of its date gives the identical result.
      assert.deepEqual(r.history?.personYearToDate, { amount: '24000.00', currency: 'CNY' });
      const replay = replayRevenue(over!.merged, r, over!.assessment.assessedAt, base.revenue);
      assert.deepEqual(replay.differences, []);
      const { history: _, ...withoutHistory } = r;
      assert.ok(
        !replayRevenue(over!.merged, withoutHistory, over!.assessment.assessedAt, base.revenue).identical,
      );
      // General trade does not use the quota: ¥2,000 more still fits (24,000 + 2,000 = 26,000).
      const [fits] = await submit(deps, [cnOrder('2000')]);
      assert.equal(fits!.assessment.revenue.collectionModel, 'platform-withholding');
      await rt.flush();
      assert.equal(
        (
          await rt.ledger.personTotals(
            identityPersonKey('PERSONAL:31010119900101123X'),
            'CN',
            '2026-03-02',
            'CNY',
          )
        ).yearToDate,
        '26000.00',
      );
      // Another buyer, and another year, start from zero.
      const [other] = await submit(deps, [cnOrder('4000', '2026-03-02', '110101199003074514')]);
      assert.equal(other!.assessment.revenue.collectionModel, 'platform-withholding');
      assert.equal((await buyerTotals(rt, '2027-01-01')).yearToDate, '0.00');
    } finally {
      await e.close();
    }
  });

  it('CN-3 in the pipeline: a single ¥6,000 item is taxed in full in the CBEC channel and counts', async () => {
    const e = env();
    const rt = await e.open();
    try {
      const deps = e.deps(rt);
      await submit(deps, [cnOrder('5000'), cnOrder('5000')]);
      const [big] = await submit(deps, [cnOrder('6000')]);
      const r = big!.assessment.revenue;
      assert.equal(r.collectionModel, 'platform-withholding');
      assert.deepEqual(
        r.lines.map((l) => [l.type, l.amount]),
        [
          ['duty', '900.00'],
          ['vat', '897.00'],
        ],
      );
      assert.equal((await buyerTotals(rt)).yearToDate, '16000.00');
    } finally {
      await e.close();
    }
  });
});

describe('revenue runtime: the ledger follows the event log', () => {
  it("picks up another process's orders although that process already advanced the shared ledger cursor", async () => {
    const e = env();
    try {
      const a = await e.open();
      const b = await e.open();
      // B holds the buyer (loaded, nothing yet): a person held is not read again, it follows the log.
      const held = await b.history.hold([identityPersonKey('PERSONAL:31010119900101123X')]);
      await submit(e.deps(a), [cnOrder('4000'), cnOrder('5000')]);
      await a.flush();
      assert.equal(await a.ledger.cursor(), (await e.store.stats()).events);
      assert.equal((await buyerTotals(b)).yearToDate, '0.00');
      assert.ok((await b.catchUp()) > 0);
      assert.equal((await buyerTotals(b)).yearToDate, '9000.00');
      held();
      // A third process that does not hold the buyer reads A's orders from the ledger at once.
      assert.equal((await buyerTotals(await e.open())).yearToDate, '9000.00');
      // B's orders after that count A's: ¥9,000 + ¥13,500 = ¥22,500, then ¥4,000 crosses ¥26,000.
      const three = await submit(e.deps(b), [cnOrder('4500'), cnOrder('4500'), cnOrder('4500')]);
      assert.deepEqual(
        three.map((c) => c.assessment.revenue.collectionModel),
        ['platform-withholding', 'platform-withholding', 'platform-withholding'],
      );
      const over = three[0];
      const [last] = await submit(e.deps(b), [cnOrder('4000')]);
      assert.equal(last!.assessment.revenue.collectionModel, 'border');
      // Nothing is written twice: each consignment has one assessed entry.
      await b.flush();
      await a.catchUp();
      assert.equal((await a.ledger.trail(over!.id)).length, 1);
      assert.equal((await buyerTotals(a)).yearToDate, '22500.00');
    } finally {
      await e.close();
    }
  });

  it('repairs a crash between commit and ledger write on the next start, and assesses with it', async () => {
    const e = env();
    try {
      // Committed and acknowledged with no ledger write (the process died before it).
      const lost = await submit(
        e.deps(),
        Array.from({ length: 6 }, () => cnOrder('4000')),
      );
      const rt = await e.open();
      assert.equal((await buyerTotals(rt)).yearToDate, '24000.00');
      assert.equal(await rt.ledger.cursor(), (await e.store.stats()).events);
      for (const c of lost) {
        const trail = await rt.ledger.trail(c.id);
        assert.deepEqual(
          trail.map((t) => [t.kind, t.collectedBy]),
          [['assessed', 'platform']],
        );
      }
      const [over] = await submit(e.deps(rt), [cnOrder('3000')]);
      assert.equal(over!.assessment.revenue.collectionModel, 'border');
      // Catching up again finds nothing new and records nothing twice.
      await rt.flush();
      assert.equal(await rt.catchUp(), 0);
      assert.equal((await rt.ledger.trail(lost[0]!.id)).length, 1);
    } finally {
      await e.close();
    }
  });

  it('a return reverses the platform tax, frees the quota, and a refusal before release collects nothing', async () => {
    const e = env();
    const rt = await e.open();
    try {
      const deps = e.deps(rt);
      const six = await submit(
        deps,
        Array.from({ length: 6 }, () => cnOrder('4000')),
      );
      const [general] = await submit(deps, [cnOrder('3000')]);
      assert.equal(general!.assessment.revenue.collectionModel, 'border');
      const back = six[0]!;
      const c = ctx('2026-03-05T08:00:00.000Z');
      for (const type of ['arrived', 'delivered', 'returned'] as const)
        await recordCarrierEvent(c, e.store, back.id, { type });
      await recordCarrierEvent(c, e.store, general!.id, { type: 'arrived' });
      await recordCarrierEvent(c, e.store, general!.id, { type: 'refused' });
      await rt.catchUp();
      assert.deepEqual(
        (await rt.ledger.trail(back.id)).map((t) => [t.kind, t.collectedBy, t.amount]),
        [
          ['assessed', 'platform', back.assessment.revenue.total],
          ['reversal', 'platform', back.assessment.revenue.total],
        ],
      );
      assert.deepEqual(
        (await rt.ledger.trail(general!.id)).map((t) => [t.kind, t.collectedBy, t.amount]),
        [
          ['assessed', 'border', '898.50'],
          ['not-collected', 'border', '898.50'],
        ],
      );
      assert.equal((await buyerTotals(rt)).yearToDate, '20000.00');
      assert.equal(
        (
          await rt.ledger.personTotals(
            identityPersonKey('PERSONAL:31010119900101123X'),
            'CN',
            '2026-03-02',
            'CNY',
          )
        ).yearToDate,
        '20000.00',
      );
      // With the returned order's ¥4,000 freed, ¥5,000 fits (25,000 <= 26,000).
      const [fits] = await submit(deps, [cnOrder('5000')], '2026-03-05T09:00:00.000Z');
      assert.equal(fits!.assessment.revenue.collectionModel, 'platform-withholding');
    } finally {
      await e.close();
    }
  });
});
