/** Opens the exchange store next to a clearance store: SQLite (own connection to the same file) or PostgreSQL. */

import pg from 'pg';
import type { ExchangeStore } from '../exchange-port.js';

import { type SqliteStoreOptions } from '../sqlite/sqlite-store.js';
import { PgRunner, SqliteRunner } from './sql-runner.js';
import { SqlExchangeStore } from './sql-exchange-store.js';
import { openMigratedPool } from '../postgres/pool.js';
import { openMigratedDatabase } from '../sqlite/sqlite-store.js';

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

/**
 * The highest events.seq below which no transaction can still commit an event. PostgreSQL draws seqs
 * from a sequence before commit, so concurrent transactions may commit out of seq order. The watermark
 * reads the sequence's last value s, then the ids of the write transactions running in this database
 * (pg_stat_activity.backend_xid); once none of them is still running, every event with seq <= s is
 * committed or never will be. This holds because the write path draws seqs after its first write (the
 * transaction already has an id) and the sequence has CACHE 1. Only this database's transactions are
 * waited for: transactions of other databases on the same server do not hold the feed back. See
 * docs/notifications.md.
 */
export class CommitWatermark {
  private safe = 0;
  private pending: { seq: number; xids: string[] } | undefined;

  constructor(private readonly pool: pg.Pool) {}

  private async finished(xids: string[]): Promise<boolean> {
    if (xids.length === 0) return true;
    const { rows } = await this.pool.query<{ running: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
         WHERE datname = current_database() AND backend_xid::text = ANY($1::text[])) AS running`,
      [xids],
    );
    return rows[0]?.running === false;
  }

  /** Advances when the pending candidate is settled; returns the current safe seq. */
  async current(): Promise<number> {
    if (this.pending !== undefined && (await this.finished(this.pending.xids))) {
      this.safe = Math.max(this.safe, this.pending.seq);
      this.pending = undefined;
    }
    if (this.pending === undefined) {
      const last = await this.pool.query<{ s: string }>(
        'SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS s FROM events_seq',
      );
      const running = await this.pool.query<{ x: string }>(
        `SELECT backend_xid::text AS x FROM pg_stat_activity
         WHERE datname = current_database() AND backend_xid IS NOT NULL`,
      );
      const candidate = { seq: Number(last.rows[0]?.s ?? 0), xids: running.rows.map((r) => r.x) };
      if (await this.finished(candidate.xids)) this.safe = Math.max(this.safe, candidate.seq);
      else this.pending = candidate;
    }
    return this.safe;
  }
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
