/** The security store port (API keys, audit chain, settings, document rewriting) and its adapters. */
export type * from './port.js';
export { openSqliteSecurityStore, genesisHash } from './sqlite.js';
export { openPgSecurityStore } from './postgres.js';
export { sqliteSecurityMigration, pgSecurityMigration } from './schema.js';
