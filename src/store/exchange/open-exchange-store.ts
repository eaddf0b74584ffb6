/** Opens the exchange store next to a clearance store: SQLite (own connection to the same file) or PostgreSQL. */

import type { ExchangeStore } from '../exchange-port.js';

import { type SqliteStoreOptions } from '../sqlite/sqlite-store.js';
import { PgRunner, SqliteRunner } from './sql-runner.js';
import { SqlExchangeStore } from './sql-exchange-store.js';
import { openMigratedPool } from '../postgres/pool.js';
import { CommitWatermark } from '../postgres/commit-watermark.js';
import { openMigratedDatabase } from '../sqlite/sqlite-store.js';

export { CommitWatermark };

/**
 * Opens the exchange tables of a SQLite database (a data directory or a file; migrates when needed).
 * It uses its own connection: WAL lets it read the event log while the clearance store writes.
 */
export function openSqliteExchangeStore(opts: SqliteStoreOptions): ExchangeStore {
  if ('memory' in opts)
    throw new Error('the exchange store needs a database file shared with the clearance store');
  const db = openMigratedDatabase(opts);
  return new SqlExchangeStore({
    kind: 'sqlite',
    runner: new SqliteRunner(db),
    // One writer at a time: a seq is assigned and committed under the write lock, so every event below
    // the highest committed seq is already visible. No bound is needed.
    watermark: async () => undefined,
    close: async () => {
      if (db.open) db.close();
    },
  });
}

/** Opens the exchange tables in a PostgreSQL schema (migrates when needed). */
export async function openPgExchangeStore(opts: {
  url: string;
  schema?: string;
  poolSize?: number;
}): Promise<ExchangeStore> {
  const pool = await openMigratedPool(opts, 4);
  const watermark = new CommitWatermark(pool);
  let closed = false;
  return new SqlExchangeStore({
    kind: 'postgres',
    runner: new PgRunner(pool),
    watermark: () => watermark.current(),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  });
}
