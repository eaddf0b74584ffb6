/** Versioned SQLite schema migrations, applied in order inside one transaction when a store opens. */
import type Database from 'better-sqlite3';
import { ParcelgateError } from '../../domain/index.js';
import { sqliteSecurityMigration } from '../../secstore/schema.js';
import { sqliteWorkQueueSql, sqliteQueuePrioritySql, sqliteQueueArrivedSql } from '../console/schema.js';
import { kpiWithdrawnReleasesSql } from '../console/queue-sql.js';
import { sqliteClaimsSql } from '../console/claims-sql.js';
import { sqliteInformationAnswersSql } from '../console/information-sql.js';
import { sqliteKpiFactsSql, kpiRequestsAfterArrivalSql } from '../console/kpi-facts.js';
import {
  exchangeNoticesSqliteSql,
  exchangePartiesSql,
  exchangeSqliteSql,
} from '../exchange/exchange-schema.js';
import { registrySchemaSql } from './registry-schema.js';
import { arrivedReleaseMigration, arrivedReleaseSqliteSql } from '../arrived-release-migration.js';
import { undeliveredDueMigration, undeliveredDueSqliteSql } from '../undelivered-due-migration.js';
import { contributorsMigration, contributorsSqliteSql } from '../contributors.js';
import { personKeysMigration, pseudonymisePersonKeysSqlite } from '../person-keys.js';
import {
  consigneeBasisMigration,
  keyedPseudonymsMigration,
  markConsigneeBasisV1Sqlite,
  markUnkeyedSqlite,
} from '../pseudonym-marker.js';
import { contributorsGuardMigration, contributorsGuardSqliteSql } from '../contributors-guard.js';
import { screeningMigrationVersion, screeningSqliteSql } from '../../screening/store/migrations.js';
import {
  revenueLedgerCursorSqliteSql,
  revenueLedgerSqliteSql,
  revenueTrailRefSqliteSql,
} from './revenue-ledger-sql.js';
import { sqliteGuaranteeReservationsSql, sqliteGuaranteeTotalsSql } from '../guarantee-reservations.js';
import { sqliteClaimReleasesSql } from '../console/claims-tx.js';

/**
 * One schema step. Versions increase; each area of the code owns a range (1-9 the clearance store,
 * 10-19 security), so the list may have gaps. A released migration is never edited.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** A step SQL alone cannot do (run after `sql`, in the same transaction). */
  run?: (db: Database.Database) => void;
}

const initialSchema = `
CREATE TABLE consignments (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  lane TEXT NOT NULL,
  decision TEXT NOT NULL,
  risk_score REAL NOT NULL,
  destination TEXT NOT NULL,
  office TEXT,
  submitter_id TEXT NOT NULL,
  due_at_border TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX consignments_created ON consignments (created_at, id);
CREATE INDEX consignments_state ON consignments (state, created_at, id);
CREATE INDEX consignments_lane ON consignments (lane, created_at, id);
CREATE INDEX consignments_office ON consignments (office, created_at, id);

CREATE TABLE link_keys (
  key TEXT NOT NULL,
  consignment_id TEXT NOT NULL REFERENCES consignments (id),
  PRIMARY KEY (key, consignment_id)
) WITHOUT ROWID;

CREATE TABLE declarations (
  id TEXT PRIMARY KEY,
  consignment_id TEXT NOT NULL REFERENCES consignments (id),
  kind TEXT NOT NULL,
  submitter_id TEXT NOT NULL,
  received_at TEXT NOT NULL,
  hash TEXT NOT NULL,
  doc TEXT NOT NULL
);

CREATE TABLE consignment_versions (
  consignment_id TEXT NOT NULL REFERENCES consignments (id),
  version INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (consignment_id, version)
);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  consignment_id TEXT NOT NULL REFERENCES consignments (id),
  type TEXT NOT NULL,
  from_state TEXT,
  to_state TEXT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT,
  data TEXT
);
CREATE INDEX events_consignment ON events (consignment_id);
`;

// Version 2 changes what `consignments.doc` and `consignment_versions.doc` hold, not the tables: source
// records are referred to by declaration id (their data lives in `declarations` only) and `merged` is
// null when it is the single source's data. Documents written by version 1 (inline sources, full
// `merged`) stay readable as they are; recording version 2 makes older parcelgate refuse the file.
const slimDocuments = `-- documents refer to source records by declaration id (see docs/storage.md)`;

// The recent parcels of the risk store (version 50's table, created first by version 45 on a new
// database): one text for both.
const consigneeParcelsTable = `CREATE TABLE IF NOT EXISTS risk_consignee_parcels (
  consignment_id TEXT PRIMARY KEY,
  consignee_key TEXT NOT NULL,
  seller_key TEXT,
  value_eur TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS risk_consignee_parcels_at ON risk_consignee_parcels (at);
`;

// Version 50 (risk engine): rule-set versions, recent parcels per consignee, inspection outcomes.
const riskTables = `
CREATE TABLE risk_rule_sets (
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  activated_at TEXT,
  PRIMARY KEY (id, version)
);
CREATE TABLE risk_active_rule_set (
  slot INTEGER PRIMARY KEY CHECK (slot = 1),
  id TEXT NOT NULL,
  version INTEGER NOT NULL
);
${consigneeParcelsTable}CREATE TABLE risk_outcomes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  consignment_id TEXT NOT NULL,
  finding TEXT NOT NULL,
  at TEXT NOT NULL,
  officer TEXT NOT NULL,
  rule_ids TEXT NOT NULL,
  random INTEGER NOT NULL,
  consignee_key TEXT,
  seller_key TEXT
);
CREATE INDEX risk_outcomes_at ON risk_outcomes (at);
`;

// Version 80: the work queue's rows for inserted consignments are written by the adapter (with the
// columns computed from the assessment in JavaScript) instead of by a row trigger; the trigger's call
// alone cost every inserted consignment, held or not, more than all its other rows (docs/performance.md).
// Updates and deletes keep their triggers.
const workQueueInsertInAdapter = `DROP TRIGGER IF EXISTS work_queue_insert;`;

// Version 81: events_type (type, consignment_id) duplicated events_consignment for the only query by
// type (a consignment's arrival, found among its few events), and cost every event row an index insert.
const dropRedundantEventIndex = `DROP INDEX IF EXISTS events_type;`;

// Version 45: recent parcels are read per consignee (the bounded consignee window loads the consignees of
// each batch it does not hold, src/risk/consignee-cache.ts). The table is version 50's; on a new database
// this runs first and creates it (version 50 then leaves it as it is), on an existing one it adds the index.
const consigneeParcelsByKey = `${consigneeParcelsTable}CREATE INDEX IF NOT EXISTS risk_consignee_parcels_consignee ON risk_consignee_parcels (consignee_key, at);
`;

// Version 56: a consignment's latest inspection outcome is the one that counts (a corrected finding replaces
// the first, a repeated one counts once); recording one reads the outcome it replaces by consignment.
const outcomesByConsignment = `CREATE INDEX IF NOT EXISTS risk_outcomes_consignment ON risk_outcomes (consignment_id, seq);
`;

/** Every migration the code knows, oldest first. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial-schema', sql: initialSchema },
  { version: 2, name: 'slim-documents', sql: slimDocuments },
  { ...contributorsMigration, sql: contributorsSqliteSql },
  { ...arrivedReleaseMigration, sql: arrivedReleaseSqliteSql },
  sqliteSecurityMigration,
  {
    ...personKeysMigration,
    sql: '-- person keys: see src/store/person-keys.ts',
    run: pseudonymisePersonKeysSqlite,
  },
  {
    ...keyedPseudonymsMigration,
    sql: '-- keyed pseudonyms: see src/store/pseudonym-marker.ts',
    run: markUnkeyedSqlite,
  },
  { ...contributorsGuardMigration, sql: contributorsGuardSqliteSql },
  { version: 20, name: 'registry', sql: registrySchemaSql },
  { version: 30, name: 'exchange', sql: exchangeSqliteSql },
  { version: 31, name: 'exchange-parties', sql: exchangePartiesSql },
  { version: 32, name: 'exchange-notices', sql: exchangeNoticesSqliteSql },
  { version: 40, name: 'revenue-ledger', sql: revenueLedgerSqliteSql },
  { version: 41, name: 'revenue-ledger-cursor', sql: revenueLedgerCursorSqliteSql },
  { version: 45, name: 'consignee-parcels-by-key', sql: consigneeParcelsByKey },
  { version: 50, name: 'risk-history', sql: riskTables },
  { version: 56, name: 'risk-outcomes-by-consignment', sql: outcomesByConsignment },
  { version: 60, name: 'work-queue', sql: sqliteWorkQueueSql },
  { version: 61, name: 'kpi-facts', sql: sqliteKpiFactsSql },
  { version: 62, name: 'work-queue-priority', sql: sqliteQueuePrioritySql },
  { version: 63, name: 'information-answers', sql: sqliteInformationAnswersSql },
  { version: 64, name: 'work-queue-arrived-information', sql: sqliteQueueArrivedSql },
  { version: screeningMigrationVersion, name: 'screening-images', sql: screeningSqliteSql },
  { version: 71, name: 'kpi-requests-after-arrival', sql: kpiRequestsAfterArrivalSql },
  { version: 72, name: 'kpi-withdrawn-releases', sql: kpiWithdrawnReleasesSql },
  { version: 73, name: 'work-queue-claims', sql: sqliteClaimsSql },
  { version: 75, name: 'revenue-trail-ref', sql: revenueTrailRefSqliteSql },
  { version: 76, name: 'guarantee-reservations', sql: sqliteGuaranteeReservationsSql },
  { version: 77, name: 'work-queue-claim-releases', sql: sqliteClaimReleasesSql },
  { version: 78, name: 'guarantee-totals', sql: sqliteGuaranteeTotalsSql },
  { version: 80, name: 'work-queue-insert-in-adapter', sql: workQueueInsertInAdapter },
  { version: 81, name: 'drop-redundant-event-index', sql: dropRedundantEventIndex },
  {
    ...consigneeBasisMigration,
    sql: '-- consignee keys with the street: see src/store/pseudonym-marker.ts',
    run: markConsigneeBasisV1Sqlite,
  },
  { ...undeliveredDueMigration, sql: undeliveredDueSqliteSql },
];

/** The schema version this code writes. */
export const latestSchemaVersion = migrations.reduce((max, m) => Math.max(max, m.version), 0);

/** The full DDL of the current schema, for tools (benchmarks, raw-insert baselines) that build it directly. */
export const sqliteSchemaSql = migrations.map((m) => m.sql).join('\n');

const bookkeeping = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/** Reads the highest applied migration version; 0 for an empty database. */
export function currentSchemaVersion(db: Database.Database): number {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (exists === undefined) return 0;
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/**
 * Applies pending migrations in one IMMEDIATE transaction (so two processes opening the same file
 * cannot both migrate). Idempotent. Throws `store.schema-too-new` when the file is newer than the code.
 */
export function applyMigrations(
  db: Database.Database,
  list: readonly Migration[] = migrations,
  now: () => string = () => new Date().toISOString(),
): { from: number; to: number } {
  const known = list.reduce((max, m) => Math.max(max, m.version), 0);
  const run = db.transaction(() => {
    db.exec(bookkeeping);
    const from = currentSchemaVersion(db);
    if (from > known) {
      throw new ParcelgateError(
        'store.schema-too-new',
        `database schema version ${from} is newer than this parcelgate knows (${known}); upgrade parcelgate`,
        500,
        { databaseVersion: from, knownVersion: known },
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    // Every known migration not yet recorded, in version order (ranges leave gaps, so not just > from).
    const applied = new Set(
      (db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]).map(Number),
    );
    const pending = [...list].filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    for (const m of pending) {
      db.exec(m.sql);
      m.run?.(db);
      record.run(m.version, m.name, now());
    }
    return { from, to: Math.max(from, ...pending.map((m) => m.version)) };
  });
  return run.immediate();
}
