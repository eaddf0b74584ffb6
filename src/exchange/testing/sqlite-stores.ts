/** SQLite clearance and exchange stores in a fresh temporary folder, for exchange tests. */
import { rmSync } from 'node:fs';
import {
  openSqliteExchangeStore,
  openSqliteStore,
  type ClearanceStore,
  type ExchangeStore,
} from '../../store/index.js';
import { scratchDir } from '../../testing/scratch.js';

/** Opens both stores in a folder named from `prefix`; `close` closes them and removes the folder. */
export function openTempSqliteStores(prefix: string): {
  store: ClearanceStore;
  exchange: ExchangeStore;
  close: () => Promise<void>;
} {
  const dir = scratchDir(prefix);
  const store = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  return {
    store,
    exchange,
    close: async () => {
      await exchange.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
