/** The console port (work queue, KPI facts) and its SQLite and PostgreSQL implementations. */
export * from './port.js';
export { SqliteConsoleStore } from './sqlite-console.js';
export { PgConsoleStore } from './pg-console.js';
export { sqliteWorkQueueSql, pgWorkQueueSql } from './schema.js';
export { encodeQueueCursor, decodeQueueCursor } from './queue-sql.js';
