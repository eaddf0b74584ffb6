/** The PostgreSQL adapter of the store port: opening a store, migrations and the batch write helpers. */
export {
  isRetryable,
  maxBatchAttempts,
  openPostgresStore,
  type PostgresStoreOptions,
} from './postgres-store.js';
export {
  applyPgMigrations,
  eventPartitionWindow,
  migratePostgres,
  pgLatestSchemaVersion,
  pgMigrations,
  type PgMigration,
} from './migrations.js';
export { rawCopyPgRows, type PgBatchRows } from './pg-writes.js';
export { pgStoreExists } from './pool.js';
