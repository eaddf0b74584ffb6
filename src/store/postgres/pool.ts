/** One way to open a PostgreSQL schema for a store: migrate it, then pool connections bound to it. */
import pg from 'pg';
import { applyPgMigrations, checkSchemaName } from './migrations.js';

/** Where a PostgreSQL-backed store lives. */
export interface PgTarget {
  url: string;
  /** Schema (default `public`). */
  schema?: string;
  poolSize?: number;
}

/**
 * Migrates `schema` (idempotent, under the migration lock, on a connection of its own) and returns a
 * pool whose connections use it as their search path. Every store of parcelgate shares the one
 * migration list, so any of them may be opened first on a new database.
 */
export async function openMigratedPool(target: PgTarget, defaultPoolSize: number): Promise<pg.Pool> {
  const schema = checkSchemaName(target.schema ?? 'public');
  const migrator = new pg.Client({ connectionString: target.url });
  await migrator.connect();
  try {
    await applyPgMigrations(migrator, schema);
  } finally {
    await migrator.end();
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? defaultPoolSize,
    options: `-c search_path=${schema}`,
  });
  // An idle connection that the server closes emits here; the pool replaces it on the next checkout.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `fn` in a transaction on a connection of its own: commits when it resolves, rolls back (a failed
 * rollback is ignored; the first error is what counts) and rethrows when it throws, and always returns
 * the connection to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
