/**
 * The clearance and security stores on a fresh PostgreSQL schema, with a plain client on the same
 * schema for what a test does behind the stores' backs; everything closed and the schema dropped after.
 */
import pg from 'pg';
import { openPgSecurityStore, type SecurityStore } from '../src/secstore/index.js';
import { openPostgresStore, type ClearanceStore } from '../src/store/index.js';
import { dropSchemas, freshSchemaName } from '../src/store/postgres/testing/pg-test-env.js';

export interface PgStores {
  store: ClearanceStore;
  security: SecurityStore;
  client: pg.Client;
  schema: string;
}

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
    await body({ store, security, client, schema });
  } finally {
    await client.end();
    await security.close();
    await store.close();
    await dropSchemas(url, [schema]);
  }
}
