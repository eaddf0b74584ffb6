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
