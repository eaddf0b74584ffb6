/** PostgreSQL clearance and exchange stores in a fresh schema, for exchange tests. */
import type { ClearanceStore, ExchangeStore } from '../../store/index.js';
import { openPgExchangeStore } from '../../store/exchange/open-exchange-store.js';
import { openPostgresStore } from '../../store/postgres/postgres-store.js';

/**
 * Opens both stores in `schema` on `url` (a fresh one the caller drops after its tests, e.g. from
 * `postgresTests`); `close` closes both stores.
 */
export async function openTempPgStores(
  url: string,
  schema: string,
): Promise<{ store: ClearanceStore; exchange: ExchangeStore; close: () => Promise<void> }> {
  const store = await openPostgresStore({ url, schema });
  const exchange = await openPgExchangeStore({ url, schema });
  return {
    store,
    exchange,
    close: async () => {
      await exchange.close();
      await store.close();
    },
  };
}
