/**
 * The clearance and security stores on a fresh SQLite folder or a fresh PostgreSQL schema, with a
 * plain connection to the same database for what a test does behind the stores' backs; everything
 * closed and the folder or schema removed after.
 */
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPgSecurityStore, openSqliteSecurityStore, type SecurityStore } from '../src/secstore/index.js';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { toPgPlaceholders } from '../src/store/exchange/sql-runner.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../src/store/postgres/testing/pg-test-env.js';
import { sqliteFilePath } from '../src/store/sqlite/sqlite-store.js';
import { dropScratch, scratchDir } from '../src/testing/scratch.js';

export interface SqliteStores {
  store: ClearanceStore;
  security: SecurityStore;
  db: Database.Database;
  dataDir: string;
}

export interface PgStores {
  store: ClearanceStore;
  security: SecurityStore;
  client: pg.Client;
  url: string;
  schema: string;
}

/** Raw SQL on either store's own connection, with `?` placeholders. */
export interface RawSql {
  run(sql: string, params?: unknown[]): Promise<void>;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** `RawSql` on a SQLite connection. */
export function sqliteRawSql(db: Database.Database): RawSql {
  return {
    run: async (s, p = []) => void db.prepare(s).run(...p),
    all: async <T>(s: string, p: unknown[] = []) => db.prepare(s).all(...p) as T[],
  };
}

/** `RawSql` on a PostgreSQL client (placeholders rewritten to `$n`). */
export function pgRawSql(client: pg.Client): RawSql {
  return {
    run: async (s, p = []) => void (await client.query(toPgPlaceholders(s), p)),
    all: async <T>(s: string, p: unknown[] = []) => (await client.query(toPgPlaceholders(s), p)).rows as T[],
  };
}

/** Runs `body` on both stores in a fresh folder named from `prefix`, with a raw connection to its file. */
export async function withSqliteStores(
  prefix: string,
  body: (s: SqliteStores) => Promise<void>,
): Promise<void> {
  const dataDir = scratchDir(prefix);
  const store = openSqliteStore({ dataDir });
  const security = openSqliteSecurityStore({ dataDir });
  const db = new Database(sqliteFilePath({ dataDir }));
  db.pragma('busy_timeout = 5000');
  try {
    await body({ store, security, db, dataDir });
  } finally {
    db.close();
    await security.close();
    await store.close();
    dropScratch(dataDir);
  }
}

/** Runs `body` on both stores in a fresh schema named from `prefix`, with a plain client on it. */
export async function withPgStores(
  url: string,
  prefix: string,
  body: (s: PgStores) => Promise<void>,
): Promise<void> {
  const schema = freshSchemaName(prefix);
  const store = await openPostgresStore({ url, schema });
  const security = await openPgSecurityStore({ url, schema });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET search_path TO ${schema}`);
  try {
    await body({ store, security, client, url, schema });
  } finally {
    await client.end();
    await security.close();
    await store.close();
    await dropSchemas(url, [schema]);
  }
}

/** Declares a test of `body` on the stores in a fresh PostgreSQL schema; skipped without a test database. */
export function pgStoresTest(name: string, prefix: string, body: (s: PgStores) => Promise<void>): void {
  const target = pgTestTarget();
  test(name, { skip: target.skip }, () => withPgStores(target.url!, prefix, body));
}
