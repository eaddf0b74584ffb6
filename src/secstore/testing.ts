/** Test support: a clearance store and a security store on one fresh database, with raw access. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openPostgresStore, openSqliteStore, type ClearanceStore } from '../store/index.js';
import { dropSchemas, freshSchemaName, withPgClient } from '../store/postgres/testing/pg-test-env.js';
import type { SecurityStore } from './port.js';
import { openPgSecurityStore } from './postgres.js';
import { openSqliteSecurityStore } from './sqlite.js';
import { scratchDir } from '../testing/scratch.js';

/** Both stores on one database, plus raw SQL for tampering and a dump of every document. */
export interface Backend {
  store: ClearanceStore;
  security: SecurityStore;
  /** Runs SQL directly (placeholders `$1`… become `?` on SQLite). */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Every stored document (consignments, versions, declarations) and outcome party key concatenated. */
  dump(): Promise<string>;
  close(): Promise<void>;
}

const dumpSql = `SELECT doc FROM consignments UNION ALL SELECT doc FROM consignment_versions
  UNION ALL SELECT doc FROM declarations
  UNION ALL SELECT coalesce(consignee_key, '') || ' ' || coalesce(seller_key, '') FROM risk_outcomes`;

/** A backend on a fresh SQLite file in a temporary directory. */
export async function sqliteBackend(): Promise<Backend> {
  const dir = scratchDir('parcelgate-sec-');
  const store = openSqliteStore({ dataDir: dir });
  const security = openSqliteSecurityStore({ dataDir: dir });
  const raw = new Database(path.join(dir, 'parcelgate.db'));
  return {
    store,
    security,
    exec: async (sql, params = []) => {
      raw.prepare(sql.replace(/\$\d+/g, '?')).run(...params);
    },
    dump: async () => (raw.prepare(dumpSql).pluck().all() as string[]).join('\n'),
    close: async () => {
      raw.close();
      await store.close();
      await security.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A backend on a fresh schema of the PostgreSQL test database. */
export async function pgBackend(url: string): Promise<Backend> {
  const schema = freshSchemaName('pgsec');
  const store = await openPostgresStore({ url, schema });
  const security = await openPgSecurityStore({ url, schema });
  return {
    store,
    security,
    exec: async (sql, params = []) => {
      await withPgClient(url, schema, (c) => c.query(sql, params));
    },
    dump: async () =>
      withPgClient(url, schema, async (c) =>
        (await c.query<{ doc: string }>(dumpSql)).rows.map((r) => r.doc).join('\n'),
      ),
    close: async () => {
      await store.close();
      await security.close();
      await dropSchemas(url, [schema]);
    },
  };
}
