/**
 * Puts the revenue ledger around pipeline deps for `serve` and `demo`: per-person totals read before
 * every assessment, the ledger following the clearance event log (one transaction per round, caught up
 * at start after a crash), and a periodic catch-up for other processes' writes and returns.
 */
import { openRevenueRuntime, type PipelineDeps, type RevenueRuntime } from '../clearance/index.js';
import type { RevenueLedger } from '../revenue/index.js';
import { openPostgresRevenueLedger } from '../store/postgres/revenue-ledger-postgres.js';
import { openSqliteRevenueLedger } from '../store/sqlite/revenue-ledger-sqlite.js';
import { openExchange } from './commands-exchange.js';
import type { StoreTarget } from './commands-security.js';

/** The revenue ledger of a data directory, or of a PostgreSQL database. */
export async function openRevenueLedgerFor(
  t: StoreTarget,
): Promise<RevenueLedger & { close(): void | Promise<void> }> {
  return t.postgres
    ? openPostgresRevenueLedger({ url: t.postgres })
    : openSqliteRevenueLedger({ dataDir: t.dataDir });
}

/** Wraps `deps` with the revenue runtime; `close` waits for the ledger to catch up first. */
export async function withRevenueLedger<D extends PipelineDeps & { close: () => Promise<void> }>(
  deps: D,
  target: StoreTarget,
  opts: { followSeconds?: number; clock?: () => string } = {},
): Promise<D & { revenueLedger: RevenueRuntime }> {
  const ledger = await openRevenueLedgerFor(target);
  const feed = await openExchange(target);
  const onError = (e: unknown) => process.stderr.write(`revenue ledger: ${String(e)}\n`);
  const runtime = await openRevenueRuntime({
    ledger,
    feed,
    store: deps.store,
    revenue: deps.snapshot().revenue,
    now: opts.clock?.() ?? new Date().toISOString(),
    ...(opts.clock ? { clock: opts.clock } : {}),
    onError,
  });
  const timer = setInterval(() => void runtime.catchUp().catch(onError), (opts.followSeconds ?? 5) * 1000);
  timer.unref();
  const inner = deps.snapshot;
  const previousWrites = deps.observeWrites;
  return {
    ...deps,
    revenueLedger: runtime,
    // A re-assessment that reads a person the bounded view had not loaded is planned again once it is.
    store: runtime.storeOf(deps.store),
    snapshot: () => runtime.snapshotOf(inner()),
    // The ledger reads fresh consignments from their texts; other observers (deps.observe) still get objects.
    observeWrites: (fresh, changed) => {
      runtime.observeWrites(fresh, changed);
      previousWrites?.(fresh, changed);
    },
    close: async () => {
      clearInterval(timer);
      await runtime.flush();
      await feed.close();
      await ledger.close();
      await deps.close();
    },
  };
}
