import { after, test } from 'node:test';
import { openPostgresStore } from '../store/index.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from '../store/postgres/testing/pg-test-env.js';
import { openPgRegistry } from './pg-registry.js';
import { runRegistryContract } from './registry-contract.js';

const target = pgTestTarget();
const schemas: string[] = [];
after(async () => {
  if (target.url !== undefined) await dropSchemas(target.url, schemas);
});

if (target.url === undefined) {
  test('postgres registry contract', { skip: target.skip }, () => undefined);
} else {
  const url = target.url;
  runRegistryContract('postgres', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const clearance = await openPostgresStore({ url, schema });
    return { clearance, registry: await openPgRegistry({ url, schema }) };
  });
}
