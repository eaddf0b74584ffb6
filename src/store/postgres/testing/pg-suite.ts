/** Declaring a file's PostgreSQL tests: the test database, throwaway schemas, and the skip without one. */
import { after, test } from 'node:test';
import type { ClearanceStore } from '../../port.js';
import { openSqliteStore } from '../../sqlite/sqlite-store.js';
import { openPostgresStore } from '../postgres-store.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from './pg-test-env.js';

/**
 * Declares PostgreSQL tests: `body` gets the test database URL and a maker of fresh schema names, whose
 * schemas are all dropped after the file's tests. Without a test database (outside CI), one skipped test
 * named `name` says why.
 */
export function postgresTests(
  name: string,
  body: (url: string, freshSchema: (prefix?: string) => string) => void,
): void {
  const target = pgTestTarget();
  if (target.url === undefined) {
    test(name, { skip: target.skip }, () => undefined);
    return;
  }
  const url = target.url;
  const schemas: string[] = [];
  after(() => dropSchemas(url, schemas));
  body(url, (prefix) => {
    const schema = freshSchemaName(prefix);
    schemas.push(schema);
    return schema;
  });
}

/** How `bothStores` opens what a contract tests, on each backend. */
export interface BothStoresOpeners<S> {
  sqlite: () => S | Promise<S>;
  /** Gets the test database URL and a maker of fresh schema names (each dropped after the file's tests). */
  postgres: (url: string, freshSchema: (prefix?: string) => string) => S | Promise<S>;
}

/**
 * Declares `contract` twice: on SQLite, then on PostgreSQL, each time with `open` for that backend.
 * Without a test database (outside CI) the PostgreSQL run is one skipped test named `name`.
 */
export function bothStores<S>(
  name: string,
  contract: (backend: 'sqlite' | 'postgres', open: () => Promise<S>) => void,
  open: BothStoresOpeners<S>,
): void {
  contract('sqlite', async () => open.sqlite());
  postgresTests(name, (url, freshSchema) =>
    contract('postgres', async () => open.postgres(url, freshSchema)),
  );
}

/**
 * Declares one test on a fresh PostgreSQL schema (named `<prefix>_<hex>`), dropped once `body` ends
 * whatever its outcome; `body` closes what it opens. Skipped without a test database (outside CI).
 */
export function postgresTest(
  name: string,
  prefix: string | undefined,
  body: (url: string, schema: string) => Promise<void>,
): void {
  const target = pgTestTarget();
  test(name, { skip: target.skip }, async () => {
    const url = target.url!;
    const schema = freshSchemaName(prefix);
    try {
      await body(url, schema);
    } finally {
      await dropSchemas(url, [schema]);
    }
  });
}

/**
 * Declares `run` as two tests: `sqliteName` on an in-memory SQLite clearance store, then `postgresName`
 * on one in a fresh PostgreSQL schema (see `postgresTest`); the store is closed after `run` either way.
 */
export function clearanceStoreTests(
  sqliteName: string,
  postgresName: string,
  prefix: string,
  run: (store: ClearanceStore) => Promise<unknown>,
): void {
  const runOn = async (store: ClearanceStore) => {
    try {
      await run(store);
    } finally {
      await store.close();
    }
  };
  test(sqliteName, () => runOn(openSqliteStore({ memory: true })));
  postgresTest(postgresName, prefix, async (url, schema) => runOn(await openPostgresStore({ url, schema })));
}
