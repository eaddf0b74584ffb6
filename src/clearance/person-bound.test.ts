/**
 * The bounded per-person view through the pipeline, on SQLite and PostgreSQL: with room for 2 of 8
 * buyers it gives exactly the revenue of a view with room for all (China ¥26,000 a year crossed across
 * batches, buyers dropped and named again), and a record that does not name the consignee it re-assesses
 * (a carrier waybill naming another buyer) has that consignee loaded before anything is written.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import type { RevenueLedger } from '../revenue/index.js';
import {
  openPgExchangeStore,
  openPostgresStore,
  openSqliteExchangeStore,
  openSqliteStore,
  type ClearanceStore,
  type EventFeed,
} from '../store/index.js';
import { openPostgresRevenueLedger } from '../store/postgres/revenue-ledger-postgres.js';
import { bothStores } from '../store/postgres/testing/pg-suite.js';
import { openSqliteRevenueLedger } from '../store/sqlite/revenue-ledger-sqlite.js';
import { cnPlatformOrder } from '../testing/consignments.js';
import { scratchDir } from '../testing/scratch.js';
import { loadSnapshot } from './load-snapshot.js';
import { openRevenueRuntime, type RevenueRuntime } from './revenue-runtime.js';
import { submitBatch, type PipelineDeps } from './submit.js';
import { identityPersonKey } from '../revenue/person-key.js';

// Every parcel drawn for inspection: none is released, so a later source re-assesses it.
const base = loadSnapshot({ classifier: false, randomRate: 1 });
const NOW = '2026-03-02T08:00:00.000Z';
const buyer = (n: number): string => `4101011990010${String(n).padStart(4, '0')}X`;
const buyerKey = (n: number): string => identityPersonKey(`PERSONAL:${buyer(n)}`);

interface Stores {
  store: ClearanceStore;
  ledger: RevenueLedger & { close(): unknown };
  feed: EventFeed & { close(): unknown };
}

/** The batches: 8 buyers, each crossing ¥26,000 over several batches; the last names only buyers 4-7. */
function batches(): ConsignmentInput[][] {
  const values = ['4000.00', '5000.00', '3500.00', '4999.99', '2500.00', '4500.00', '3000.00'];
  let serial = 30_000_000;
  const out: ConsignmentInput[][] = [];
  for (let b = 0; b < 16; b++) {
    const batch: ConsignmentInput[] = [];
    for (let i = 0; i < 4; i++) {
      const who = b === 15 ? 4 + i : (b * 3 + i * 5) % 8;
      const cny = values[(b + i * 2) % values.length]!;
      batch.push(cnPlatformOrder(String(serial++), { cny, day: '2026-03-02', buyerId: buyer(who) }));
    }
    out.push(batch);
  }
  return out;
}

/** Runs the batches through the pipeline and returns each consignment's revenue, in order. */
async function run(
  open: () => Promise<Stores>,
  sizes: { maxPersons?: number; maxEntries?: number },
): Promise<{ revenue: RevenueAssessment[]; waybill: RevenueAssessment; rt: RevenueRuntime; most: number }> {
  const { store, ledger, feed } = await open();
  const rt = await openRevenueRuntime({
    ledger,
    feed,
    store,
    revenue: base.revenue,
    now: NOW,
    clock: () => NOW,
    onError: (e) => assert.fail(String(e)),
    ...sizes,
  });
  const deps: PipelineDeps = {
    store: rt.storeOf(store),
    snapshot: () => rt.snapshotOf(base),
    observeWrites: (fresh, changed) => rt.observeWrites(fresh, changed),
  };
  const ctx = { actor: 't', submitterId: 't', now: NOW };
  try {
    const revenue: RevenueAssessment[] = [];
    const ids: string[] = [];
    let most = 0;
    for (const batch of batches()) {
      for (const r of await submitBatch(ctx, batch, deps)) {
        assert.equal(r.status, 'created', JSON.stringify(r));
        ids.push((r as { consignmentId: string }).consignmentId);
      }
      await rt.flush();
      await rt.catchUp();
      most = Math.max(most, rt.history.personCount);
    }
    for (const id of ids) revenue.push((await store.get(id))!.assessment.revenue);
    // The first order of buyer 0 that went over the limit, re-assessed through a carrier waybill that
    // names another buyer: the postal item's consignee (buyer 0) still decides.
    const first = batches().flat();
    const over = revenue.findIndex(
      (r, i) => first[i]!.consignee?.id?.value === buyer(0) && r.collectionModel === 'border',
    );
    assert.ok(over >= 0);
    const waybill: ConsignmentInput = {
      ...first[over]!,
      source: 'carrier-waybill',
      consignee: {
        ...first[over]!.consignee!,
        name: 'Wang Fang',
        id: { type: 'PERSONAL', value: buyer(99) },
      },
    };
    const heldBefore = rt.history.holds(buyerKey(0));
    const [linked] = await submitBatch(ctx, [waybill], deps);
    assert.equal(linked?.status, 'linked', JSON.stringify(linked));
    await rt.flush();
    const again = (await store.get(ids[over]!))!;
    assert.equal(again.merged.consignee?.id?.value, buyer(0));
    // Room for all: buyer 0 is held; room for 2 (the last batch named buyers 4-7): it is not.
    assert.equal(heldBefore, sizes.maxPersons === undefined);
    return { revenue, waybill: again.assessment.revenue, rt, most };
  } finally {
    await rt.flush();
    await ledger.close();
    await feed.close();
    await store.close();
  }
}

function scenario(name: string, open: () => Promise<Stores>): void {
  describe(`bounded per-person view on ${name}`, () => {
    it('room for 2 of 8 buyers gives exactly the revenue of room for all, re-assessments included', async () => {
      const roomy = await run(open, {});
      const tight = await run(open, { maxPersons: 2, maxEntries: 6 });
      // The limit was crossed, some orders stayed in the CBEC channel: the comparison means something.
      const models = roomy.revenue.map((r) => r.collectionModel);
      assert.ok(models.includes('border') && models.includes('platform-withholding'));
      assert.deepEqual(tight.revenue, roomy.revenue);
      assert.deepEqual(tight.waybill, roomy.waybill);
      assert.equal(tight.waybill.collectionModel, 'border');
      // Buyer 0 was not held when the waybill came: it was loaded for the re-assessment.
      assert.equal(tight.rt.history.misses > 0, true);
      assert.ok(tight.most <= 2, `held ${tight.most} persons`);
      assert.ok(roomy.most >= 8);
      // Buyers were dropped and read back: more loads than buyers.
      assert.ok(tight.rt.history.loads > 15, `${tight.rt.history.loads} loads`);
    });
  });
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
bothStores('bounded per-person view on postgres', scenario, {
  sqlite: () => {
    const dataDir = scratchDir('person-bound-');
    dirs.push(dataDir);
    return {
      store: openSqliteStore({ dataDir }),
      ledger: openSqliteRevenueLedger({ dataDir }),
      feed: openSqliteExchangeStore({ dataDir }),
    };
  },
  postgres: async (url, freshSchema) => {
    const schema = freshSchema();
    const store = await openPostgresStore({ url, schema });
    return {
      store,
      ledger: await openPostgresRevenueLedger({ url, schema }),
      feed: await openPgExchangeStore({ url, schema }),
    };
  },
});
