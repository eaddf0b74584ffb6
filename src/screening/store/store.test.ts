import { bothStores } from '../../store/postgres/testing/pg-suite.js';
import { openPostgresScreeningStore } from './postgres.js';
import { openSqliteScreeningStore } from './sqlite.js';
import { runScreeningStoreContract } from './store-contract.js';

bothStores('screening store contract (postgres)', runScreeningStoreContract, {
  sqlite: () => openSqliteScreeningStore({ memory: true }),
  postgres: (url, freshSchema) => openPostgresScreeningStore({ url, schema: freshSchema('screening') }),
});
