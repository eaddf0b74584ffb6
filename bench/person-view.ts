/**
 * The per-person view on a flood of China CBEC orders: the bounded view (a batch's buyers loaded from the
 * SQLite ledger in one read, src/revenue/person-cache.ts) vs the unbounded one it replaces, each around
 * the same revenue assessment and ledger write, and what each holds in memory at the end.
 */
import {
  BoundedPersonHistory,
  loadRevenueContext,
  personEntryOf,
  PersonHistory,
  assessRevenue,
  type PersonImport,
  type PersonHistoryPort,
} from '../src/revenue/index.js';
import { openSqliteRevenueLedger } from '../src/store/sqlite/revenue-ledger-sqlite.js';
import { cnPlatformOrder } from '../src/testing/consignments.js';
import { fmt, tempDir } from './util.js';

const NOW = '2026-03-02T08:00:00.000Z';

/** Runs the per-person view benchmark: `count` orders of `count / 4` buyers in batches of 2,000. */
export async function benchPersonView(count: number, say: (s: string) => void): Promise<void> {
  const ctx = loadRevenueContext();
  const buyers = Math.max(1, Math.floor(count / 4));
  const orders = Array.from({ length: count }, (_, i) =>
    cnPlatformOrder(String(40_000_000 + i), {
      cny: ['800.00', '1500.00', '2600.00'][i % 3]!,
      buyerId: `5101011990${String((i * 7919) % buyers).padStart(7, '0')}X`,
    }),
  );
  const batches: (typeof orders)[] = [];
  for (let i = 0; i < orders.length; i += 2000) batches.push(orders.slice(i, i + 2000));

  async function run(kind: 'unbounded' | 'bounded', maxPersons: number) {
    const ledger = openSqliteRevenueLedger({ dataDir: tempDir(`persons-${kind}`) });
    const full = new PersonHistory(ctx);
    const bounded = new BoundedPersonHistory(ctx, ledger, { maxPersons, clock: () => NOW });
    const view: PersonHistoryPort & { add(e: PersonImport): void; prune(today: string): void } =
      kind === 'bounded' ? bounded : full;
    let id = 0;
    const t0 = performance.now();
    for (const batch of batches) {
      const release = await (view.prefetch?.(batch, NOW) ?? Promise.resolve(() => undefined));
      const written: PersonImport[] = [];
      for (const input of batch) {
        const cid = `c${id++}`;
        const r = assessRevenue(input, ctx, NOW, view.optionsFor(cid, input, NOW));
        view.note(cid, input, r, NOW);
        const e = personEntryOf(ctx, cid, input, r, NOW);
        if (e !== undefined) written.push(e);
      }
      release();
      await ledger.writeBatch({ persons: written, removePersons: [], ioss: [], trail: [] });
      for (const e of written) view.add(e);
      view.prune(NOW);
    }
    const us = ((performance.now() - t0) * 1000) / count;
    ledger.close();
    return { us, entries: kind === 'bounded' ? bounded.size : full.size, bounded };
  }

  await run('unbounded', 1_000); // warm-up
  const a = await run('unbounded', 1_000);
  const b = await run('bounded', Math.max(1, Math.floor(buyers / 5)));
  say('');
  say(
    `(persons) per-person view, ${fmt(count)} China CBEC orders of ${fmt(buyers)} buyers in batches of 2,000 (assessment + ledger write included)`,
  );
  say(
    `    unbounded view (every entry of the year held):          ${a.us.toFixed(1)} µs/consignment, ${fmt(a.entries)} entries held`,
  );
  say(
    `    bounded view (${fmt(b.bounded.maxPersons)} buyers held, a batch's others read from SQLite): ${b.us.toFixed(1)} µs/consignment, ${fmt(b.entries)} entries held, ${fmt(b.bounded.reads)} store reads, ${fmt(b.bounded.loads)} buyers loaded`,
  );
  say(
    `    ratio bounded / unbounded: ${(b.us / a.us).toFixed(2)} (cost per consignment: ${(b.us - a.us).toFixed(1)} µs)`,
  );
}
