/** Test support for the PostgreSQL adapter: the test database URL (or a skip reason) and throwaway schemas. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Environment variable naming the test database; CI sets it (see docs/postgres.md). */
export const pgTestUrlVariable = 'PARCELGATE_TEST_PG_URL';

/**
 * The test database URL, or a skip message when it is unset. Under CI (`CI` set) a missing URL throws:
 * CI must never skip the PostgreSQL tests silently.
 */
export function pgTestTarget(): { url: string; skip: false } | { url: undefined; skip: string } {
  const url = process.env[pgTestUrlVariable];
  if (url !== undefined && url !== '') return { url, skip: false };
  if (process.env['CI'] !== undefined && process.env['CI'] !== '') {
    throw new Error(`${pgTestUrlVariable} is not set but CI is: the PostgreSQL tests must run in CI`);
  }
  return { url: undefined, skip: `PostgreSQL tests skipped: ${pgTestUrlVariable} is not set` };
}

/** A fresh, unused schema name (`pgtest_<hex>`). */
export function freshSchemaName(prefix = 'pgtest'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops the given schemas (and everything in them). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs `body` with a plain client connected to `url` (search_path set to `schema` when given). */
export async function withPgClient<T>(
  url: string,
  schema: string | undefined,
  body: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    connectionString: url,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/**
 * A database next to the test database (`<name>_<suffix>`) for one test alone, for what uses its
 * `public` schema (`serve`, the CLI), that schema emptied first. Kept afterwards: dropping a database waits for a checkpoint, emptying a schema
 * does not.
 */
export async function ownDatabase(url: string, suffix: string): Promise<string> {
  const u = new URL(url);
  const name = `${u.pathname.slice(1)}_${suffix}`.slice(0, 63);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  const own = new pg.Client({ connectionString: u.toString() });
  await own.connect();
  try {
    await own.query('DROP SCHEMA IF EXISTS public CASCADE');
    await own.query('CREATE SCHEMA public');
  } finally {
    await own.end();
  }
  return u.toString();
}
