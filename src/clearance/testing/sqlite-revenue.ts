/**
 * Test helper: the revenue runtime on a SQLite data directory, with its ledger and the event feed
 * it follows opened there (the caller closes them; the runtime needs only a flush).
 */
import type { ClearanceStore } from '../../store/index.js';
import { openSqliteExchangeStore } from '../../store/index.js';
import { openSqliteRevenueLedger } from '../../store/sqlite/revenue-ledger-sqlite.js';
import type { ReferenceSnapshot } from '../snapshot.js';
import { openRevenueRuntime, type RevenueRuntime } from '../revenue-runtime.js';

export interface SqliteRevenue {
  rt: RevenueRuntime;
  ledger: ReturnType<typeof openSqliteRevenueLedger>;
  feed: ReturnType<typeof openSqliteExchangeStore>;
}

/** Opens the ledger, the feed and the runtime over `store`, as of 2026-03-02T08:00:00Z. */
export async function openSqliteRevenue(
  dataDir: string,
  store: ClearanceStore,
  base: ReferenceSnapshot,
  onError?: (err: unknown) => void,
): Promise<SqliteRevenue> {
  const ledger = openSqliteRevenueLedger({ dataDir });
  const feed = openSqliteExchangeStore({ dataDir });
  const rt = await openRevenueRuntime({
    ledger,
    feed,
    store,
    revenue: base.revenue,
    now: '2026-03-02T08:00:00Z',
    clock: () => '2026-03-02T08:00:00Z',
    ...(onError === undefined ? {} : { onError }),
  });
  return { rt, ledger, feed };
}
