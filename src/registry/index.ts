/** The registry store: port, SQLite and PostgreSQL adapters, ids and error codes. */
export type {
  ConsignmentFact,
  DeclarationFact,
  FeedEvent,
  RegistryDoc,
  RegistryQuery,
  RegistryStore,
  RegistryWrite,
} from './port.js';
export { openSqliteRegistry, type SqliteRegistryOptions } from './sqlite-registry.js';
export { openPgRegistry, type PgRegistryOptions } from './pg-registry.js';
export { registryErrorCodes } from './error-codes.js';
export { registryId } from './ids.js';
