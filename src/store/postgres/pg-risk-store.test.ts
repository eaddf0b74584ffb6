import { after, test } from 'node:test';
import { riskStoreContract } from '../risk-store-contract.js';
import { openPostgresRiskStore } from './pg-risk-store.js';
import { dropSchemas, freshSchemaName, pgTestTarget } from './testing/pg-test-env.js';

const target = pgTestTarget();
if (target.url === undefined) {
  test('postgres risk store', { skip: target.skip }, () => undefined);
} else {
  const url = target.url;
  const schemas: string[] = [];
  after(() => dropSchemas(url, schemas));
  riskStoreContract('postgres risk store', async () => {
    const schema = freshSchemaName('pgrisk');
    schemas.push(schema);
    return openPostgresRiskStore({ url, schema });
  });
}
