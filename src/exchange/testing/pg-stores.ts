/** PostgreSQL clearance and exchange stores in a fresh schema, for exchange tests. */
import type { ClearanceStore, ExchangeStore } from '../../store/index.js';
import { openPgExchangeStore } from '../../store/exchange/open-exchange-store.js';
import { openPostgresStore } from '../../store/postgres/postgres-store.js';
import { freshSchemaName } from '../../store/postgres/testing/pg-test-env.js';

/**
 * Opens both stores in a fresh schema named from `prefix` on `url`, adding the schema to `schemas`
 * (the caller drops them after its tests); `close` closes both stores.
 */
export async function openTempPgStores(
  url: string,
  prefix: string,
  schemas: string[],
): Promise<{ store: ClearanceStore; exchange: ExchangeStore; close: () => Promise<void> }> {
  const schema = freshSchemaName(prefix);
  schemas.push(schema);
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
