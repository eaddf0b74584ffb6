import { after } from 'node:test';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../../store/postgres/testing/pg-test-env.js';
import { openPostgresScreeningStore } from './postgres.js';
import { openSqliteScreeningStore } from './sqlite.js';
import { runScreeningStoreContract } from './store-contract.js';

runScreeningStoreContract('sqlite', async () => openSqliteScreeningStore({ memory: true }));

const target = pgTestTarget();
const schemas: string[] = [];
if (target.url !== undefined) {
  const url = target.url;
  after(() => dropSchemas(url, schemas));
  runScreeningStoreContract('postgres', async () => {
    const schema = freshSchemaName('screening');
    schemas.push(schema);
    return openPostgresScreeningStore({ url, schema });
  });
}
