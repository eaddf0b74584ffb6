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
  // The error reaches the statement in flight (and so the caller) anyway; unheard, it is also an
  // uncaught 'error' event that ends the process (see keepErrorsToQueries below).
  migrator.on('error', () => undefined);
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
  keepErrorsToQueries(pool);
  return pool;
}

/**
 * Whether `target` holds a parcelgate store (its migration bookkeeping table), without creating one:
 * for commands that only read a store, which on an empty database would otherwise migrate it and
 * report on nothing.
 */
export async function pgStoreExists(target: PgTarget): Promise<boolean> {
  const schema = checkSchemaName(target.schema ?? 'public');
  const client = new pg.Client({ connectionString: target.url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const r = await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
      `${schema}.schema_migrations`,
    ]);
    return r.rows[0]?.found === true;
  } finally {
    await client.end();
  }
}

/**
 * The pool listens for errors of its idle connections only. A connection the server ends while it is
 * checked out (a transaction in flight when PostgreSQL restarts or fails over, `pg_terminate_backend`,
 * a network cut) emits 'error' on its client as well as failing the statement in flight: with no
 * listener that event is uncaught and ended every `serve --postgres` process that had a batch in
 * flight, with a stack trace. The statement's own failure is what the caller handles (the batch is
 * rolled back and answered with an error, nothing is written), and the pool drops the broken
 * connection when it is released (it is no longer queryable), so the event needs no handling beyond
 * being heard.
 */
export function keepErrorsToQueries(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
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
