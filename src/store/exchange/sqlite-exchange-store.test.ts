import { rmSync } from 'node:fs';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import { runExchangeContract } from './exchange-contract.js';
import { openSqliteExchangeStore } from './open-exchange-store.js';
import { scratchDir } from '../../testing/scratch.js';

runExchangeContract('sqlite', async () => {
  const dir = scratchDir('pg-xstore-');
  const clearance = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  return {
    clearance,
    exchange,
    close: async () => {
      await exchange.close();
      await clearance.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
