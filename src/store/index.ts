/** The store port and its SQLite adapter. */
export type {
  BatchWrites,
  ClaimCheck,
  ClearanceEvent,
  ClearanceStore,
  ConsignmentSummary,
  FreshConsignment,
  GuaranteeReservation,
  GuaranteeWrites,
  ListQuery,
  StoreStats,
  StoredConsignment,
  TransactOptions,
} from './port.js';
export {
  configureConnection,
  openSqliteStore,
  sqliteFileName,
  type SqliteStoreOptions,
} from './sqlite/sqlite-store.js';
export { applyMigrations, latestSchemaVersion, migrations, sqliteSchemaSql } from './sqlite/migrations.js';
export type { Migration } from './sqlite/migrations.js';
export {
  consignmentRow,
  encodeConsignment,
  rawInsertRows,
  sqliteInsertSql,
  toBatchRows,
  type ConsignmentRow,
  type DeclarationRow,
  type EventRow,
  type KeyPolicy,
  type SqliteBatchRows,
} from './sqlite/sqlite-rows.js';
export { freshToStored } from './fresh.js';
export { withTransact } from './with-transact.js';
export { reservationColumns, type ReservationRow } from './guarantee-reservations.js';
export {
  compactCreation,
  creationRowType,
  creationSpan,
  eventSpan,
  eventText,
  expandEventRows,
  logicalEventCountSql,
  type EventRowFields,
} from './event-rows.js';
export { isQueued, workQueueColumns, type WorkQueueColumns } from './work-queue-row.js';
export { decodeCursor, encodeCursor } from './sqlite/list-query.js';
export { isStoreUnavailable, storeErrorCodes } from './error-codes.js';
export type {
  CbecDocumentRow,
  CbecListRow,
  DeadLetter,
  DeliveryProgress,
  EventFeed,
  ExchangeNotice,
  ExchangeStore,
  FeedEvent,
  ListReason,
  SigningKey,
  StoredNotice,
  SubscriptionChange,
  WebhookSubscription,
} from './exchange-port.js';
export {
  CommitWatermark,
  openPgExchangeStore,
  openSqliteExchangeStore,
} from './exchange/open-exchange-store.js';
export * from './postgres/index.js';
export type { ConsigneeParcelRow, OutcomeRow, PartyRecord, RiskStore, RuleSetRecord } from './risk-port.js';
export { openSqliteRiskStore } from './sqlite/sqlite-risk-store.js';
export { openPostgresRiskStore } from './postgres/pg-risk-store.js';
