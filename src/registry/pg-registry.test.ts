import { openPostgresStore } from '../store/index.js';
import { postgresTests } from '../store/postgres/testing/pg-suite.js';
import { openPgRegistry } from './pg-registry.js';
import { runRegistryContract } from './registry-contract.js';

postgresTests('postgres registry contract', (url, freshSchema) => {
  runRegistryContract('postgres', async () => {
    const schema = freshSchema();
    const clearance = await openPostgresStore({ url, schema });
    return { clearance, registry: await openPgRegistry({ url, schema }) };
  });
});
