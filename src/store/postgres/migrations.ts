/**
 * Versioned PostgreSQL schema migrations and monthly `events` partitions, applied in one transaction
 * under an advisory lock so that several processes starting at once never race.
 */
import pg from 'pg';
import { ParcelgateError } from '../../domain/index.js';
import { pgSecurityMigration } from '../../secstore/schema.js';
import { pgWorkQueueSql, pgQueuePrioritySql, pgQueueArrivedSql } from '../console/schema.js';
import { kpiWithdrawnReleasesSql } from '../console/queue-sql.js';
import { pgClaimsSql } from '../console/claims-sql.js';
import { pgInformationAnswersSql } from '../console/information-sql.js';
import { pgKpiFactsSql, kpiRequestsAfterArrivalSql } from '../console/kpi-facts.js';
import { exchangeNoticesPgSql, exchangePartiesSql, exchangePgSql } from '../exchange/exchange-schema.js';
import { pgRegistrySchemaSql } from './registry-schema.js';
import { arrivedReleaseMigration, arrivedReleasePgSql } from '../arrived-release-migration.js';
import { undeliveredDueMigration, undeliveredDuePgSql } from '../undelivered-due-migration.js';
import { contributorsMigration, contributorsPgSql } from '../contributors.js';
import { personKeysMigration, personKeysPgSql } from '../person-keys.js';
import {
  consigneeBasisMigration,
  keyedPseudonymsMigration,
  markConsigneeBasisV1PgSql,
  markUnkeyedPgSql,
} from '../pseudonym-marker.js';
import { contributorsGuardMigration, contributorsGuardPgSql } from '../contributors-guard.js';
import { screeningMigrationVersion, screeningPgSql } from '../../screening/store/migrations.js';
import { revenueLedgerCursorPgSql, revenueLedgerPgSql, revenueTrailRefPgSql } from './revenue-ledger-sql.js';
import { pgGuaranteeReservationsSql, pgGuaranteeTotalsSql } from '../guarantee-reservations.js';
import { pgClaimReleasesSql } from '../console/claims-tx.js';

/**
 * One schema step. Versions increase; each area owns a range (1-9 the clearance store, 10-19
 * security), so the list may have gaps. A released migration is never edited.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

// Every text column that is compared or sorted uses the "C" collation: byte order, as in SQLite, and
// independent of the database's locale. Documents are `text` (JSON): written and read whole, never
// queried inside, and text skips jsonb's parse-and-convert on every write.
const initialSchema = `
CREATE TABLE consignments (
  id text COLLATE "C" PRIMARY KEY,
  version integer NOT NULL,
  state text COLLATE "C" NOT NULL,
  lane text COLLATE "C" NOT NULL,
  decision text COLLATE "C" NOT NULL,
  risk_score double precision NOT NULL,
  destination text COLLATE "C" NOT NULL,
  office text COLLATE "C",
  submitter_id text COLLATE "C" NOT NULL,
  due_at_border text NOT NULL,
  currency text NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  updated_at text NOT NULL,
  doc text NOT NULL
);
CREATE INDEX consignments_created ON consignments (created_at, id);
CREATE INDEX consignments_state ON consignments (state, created_at, id);
CREATE INDEX consignments_lane ON consignments (lane, created_at, id);
CREATE INDEX consignments_office ON consignments (office, created_at, id);

CREATE TABLE link_keys (
  key text COLLATE "C" NOT NULL,
  consignment_id text COLLATE "C" NOT NULL REFERENCES consignments (id),
  PRIMARY KEY (key, consignment_id)
);

-- One row per link key ever seen: a transaction locks the rows of its batch's keys (SELECT ... FOR
-- UPDATE) before it looks them up, so two processes never both create a consignment for a new key.
CREATE TABLE link_key_locks (
  key text COLLATE "C" PRIMARY KEY
);

-- Primary key (id, consignment_id): lookups by declaration id use it, and it contains the
-- distribution column (consignment_id), as Citus requires of a unique constraint.
CREATE TABLE declarations (
  id text COLLATE "C" NOT NULL,
  consignment_id text COLLATE "C" NOT NULL REFERENCES consignments (id),
  kind text NOT NULL,
  submitter_id text NOT NULL,
  received_at text NOT NULL,
  hash text NOT NULL,
  doc text NOT NULL,
  PRIMARY KEY (id, consignment_id)
);

CREATE TABLE consignment_versions (
  consignment_id text COLLATE "C" NOT NULL REFERENCES consignments (id),
  version integer NOT NULL,
  doc text NOT NULL,
  PRIMARY KEY (consignment_id, version)
);

CREATE SEQUENCE events_seq AS bigint;
CREATE TABLE events (
  seq bigint NOT NULL DEFAULT nextval('events_seq'),
  consignment_id text COLLATE "C" NOT NULL REFERENCES consignments (id),
  type text NOT NULL,
  from_state text,
  to_state text,
  at text COLLATE "C" NOT NULL,
  actor text NOT NULL,
  reason text,
  data text,
  PRIMARY KEY (consignment_id, seq, at)
) PARTITION BY RANGE (at);
ALTER SEQUENCE events_seq OWNED BY events.seq;
CREATE TABLE events_default PARTITION OF events DEFAULT;
`;

// The recent parcels of the risk store (version 50's table, created first by version 45 on a new
// database): one text for both.
const consigneeParcelsTable = `CREATE TABLE IF NOT EXISTS risk_consignee_parcels (
  consignment_id text PRIMARY KEY,
  consignee_key text NOT NULL,
  seller_key text,
  value_eur text NOT NULL,
  at text NOT NULL
);
CREATE INDEX IF NOT EXISTS risk_consignee_parcels_at ON risk_consignee_parcels (at);
`;

// Version 50 (risk engine): rule-set versions, recent parcels per consignee, inspection outcomes.
const riskTables = `
CREATE TABLE risk_rule_sets (
  id text NOT NULL,
  version integer NOT NULL,
  document jsonb NOT NULL,
  loaded_at text NOT NULL,
  loaded_by text NOT NULL,
  activated_at text,
  PRIMARY KEY (id, version)
);
CREATE TABLE risk_active_rule_set (
  slot integer PRIMARY KEY CHECK (slot = 1),
  id text NOT NULL,
  version integer NOT NULL
);
${consigneeParcelsTable}CREATE TABLE risk_outcomes (
  seq bigserial PRIMARY KEY,
  consignment_id text NOT NULL,
  finding text NOT NULL,
  at text NOT NULL,
  officer text NOT NULL,
  rule_ids jsonb NOT NULL,
  random boolean NOT NULL,
  consignee_key text,
  seller_key text
);
CREATE INDEX risk_outcomes_at ON risk_outcomes (at);
`;

// Version 45: recent parcels are read per consignee (the bounded consignee window loads the consignees of
// each batch it does not hold, src/risk/consignee-cache.ts). The table is version 50's; on a new database
// this runs first and creates it (version 50 then leaves it as it is), on an existing one it adds the index.
const consigneeParcelsByKey = `${consigneeParcelsTable}CREATE INDEX IF NOT EXISTS risk_consignee_parcels_consignee ON risk_consignee_parcels (consignee_key, at);
`;

// Version 56: a consignment's latest inspection outcome is the one that counts (a corrected finding replaces
// the first, a repeated one counts once); recording one reads the outcome it replaces by consignment.
const outcomesByConsignment = `CREATE INDEX IF NOT EXISTS risk_outcomes_consignment ON risk_outcomes (consignment_id, seq);
`;

/**
 * Migration 79: the documents (consignments, archived versions, declarations) are compressed with LZ4
 * instead of the server's default pglz. A slim consignment document is about 3 KB, past the 2 KB at
 * which PostgreSQL compresses a row, so nearly every consignment row was pglz-compressed in its
 * backend: about 30 µs of CPU per row against under 5 µs with LZ4, for a similar size. Only new values
 * are compressed with it (existing ones stay readable as they are). A server built without LZ4 keeps
 * pglz: the change is skipped, not failed (docs/postgres.md).
 */
export const lz4DocumentsSql = `
DO $lz4$
BEGIN
  ALTER TABLE consignments ALTER COLUMN doc SET COMPRESSION lz4;
  ALTER TABLE consignment_versions ALTER COLUMN doc SET COMPRESSION lz4;
  ALTER TABLE declarations ALTER COLUMN doc SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END
$lz4$;
`;

/** Every PostgreSQL migration the code knows, oldest first. */
export const pgMigrations: readonly PgMigration[] = [
  { version: 1, name: 'initial-schema', sql: initialSchema },
  { ...contributorsMigration, sql: contributorsPgSql },
  { ...arrivedReleaseMigration, sql: arrivedReleasePgSql },
  pgSecurityMigration,
  { ...personKeysMigration, sql: personKeysPgSql },
  { ...keyedPseudonymsMigration, sql: markUnkeyedPgSql },
  { ...contributorsGuardMigration, sql: contributorsGuardPgSql },
  { version: 20, name: 'registry', sql: pgRegistrySchemaSql },
  { version: 30, name: 'exchange', sql: exchangePgSql },
  { version: 31, name: 'exchange-parties', sql: exchangePartiesSql },
  { version: 32, name: 'exchange-notices', sql: exchangeNoticesPgSql },
  { version: 40, name: 'revenue-ledger', sql: revenueLedgerPgSql },
  { version: 41, name: 'revenue-ledger-cursor', sql: revenueLedgerCursorPgSql },
  { version: 45, name: 'consignee-parcels-by-key', sql: consigneeParcelsByKey },
  { version: 50, name: 'risk-history', sql: riskTables },
  { version: 56, name: 'risk-outcomes-by-consignment', sql: outcomesByConsignment },
  { version: 60, name: 'work-queue', sql: pgWorkQueueSql },
  { version: 61, name: 'kpi-facts', sql: pgKpiFactsSql },
  { version: 62, name: 'work-queue-priority', sql: pgQueuePrioritySql },
  { version: 63, name: 'information-answers', sql: pgInformationAnswersSql },
  { version: 64, name: 'work-queue-arrived-information', sql: pgQueueArrivedSql },
  { version: screeningMigrationVersion, name: 'screening-images', sql: screeningPgSql },
  { version: 71, name: 'kpi-requests-after-arrival', sql: kpiRequestsAfterArrivalSql },
  { version: 72, name: 'kpi-withdrawn-releases', sql: kpiWithdrawnReleasesSql },
  { version: 73, name: 'work-queue-claims', sql: pgClaimsSql },
  { version: 75, name: 'revenue-trail-ref', sql: revenueTrailRefPgSql },
  { version: 76, name: 'guarantee-reservations', sql: pgGuaranteeReservationsSql },
  { version: 77, name: 'work-queue-claim-releases', sql: pgClaimReleasesSql },
  { version: 78, name: 'guarantee-totals', sql: pgGuaranteeTotalsSql },
  { version: 79, name: 'lz4-documents', sql: lz4DocumentsSql },
  { ...consigneeBasisMigration, sql: markConsigneeBasisV1PgSql },
  { ...undeliveredDueMigration, sql: undeliveredDuePgSql },
];

/** The PostgreSQL schema version this code writes. */
export const pgLatestSchemaVersion = pgMigrations.reduce((max, m) => Math.max(max, m.version), 0);

/** Months before and after the current month that `migratePostgres` keeps an `events` partition for. */
export const eventPartitionWindow = { monthsBack: 1, monthsAhead: 12 } as const;

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Checks a schema name (lower-case identifier) so it can be used unquoted; throws on anything else. */
export function checkSchemaName(schema: string): string {
  if (!schemaName.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${JSON.stringify(schema)}`);
  return schema;
}

/** `YYYY-MM` of the month `offset` months after the month of `now` (UTC). */
export function monthOf(now: Date, offset: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * Creates the missing monthly `events` partitions (`events_YYYY_MM`, range `['YYYY-MM', next month)` on
 * the ISO text `at`) for the window around `now`. A month whose rows already sit in the DEFAULT
 * partition is skipped (PostgreSQL refuses such a partition); see docs/postgres.md.
 */
async function ensureEventPartitions(client: pg.ClientBase, schema: string, now: Date): Promise<string[]> {
  const existing = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
     WHERE n.nspname = $1 AND p.relname = 'events'`,
    [schema],
  );
  const have = new Set(existing.rows.map((r) => r.name));
  const created: string[] = [];
  for (let m = -eventPartitionWindow.monthsBack; m <= eventPartitionWindow.monthsAhead; m++) {
    const from = monthOf(now, m);
    const to = monthOf(now, m + 1);
    const name = `events_${from.replace('-', '_')}`;
    if (have.has(name)) continue;
    const inDefault = await client.query(
      `SELECT 1 FROM ${schema}.events_default WHERE at >= $1 AND at < $2 LIMIT 1`,
      [from, to],
    );
    if (inDefault.rowCount !== 0) continue;
    await client.query(
      `CREATE TABLE ${schema}.${name} PARTITION OF ${schema}.events FOR VALUES FROM ('${from}') TO ('${to}')`,
    );
    created.push(name);
  }
  return created;
}

const bookkeeping = (schema: string): string => `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at text NOT NULL
)`;

/**
 * Applies pending migrations to `schema` on an open client, in one transaction under a
 * transaction-scoped advisory lock (per schema), then tops up the `events` partitions. Idempotent.
 * Throws `store.schema-too-new` when the schema was migrated by a newer parcelgate.
 */
export async function applyPgMigrations(
  client: pg.ClientBase,
  schema = 'public',
  list: readonly PgMigration[] = pgMigrations,
  now: Date = new Date(),
): Promise<{ from: number; to: number; partitions: string[] }> {
  checkSchemaName(schema);
  const known = list.reduce((max, m) => Math.max(max, m.version), 0);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `parcelgate.migrate:${schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(bookkeeping(schema));
    const row = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${schema}.schema_migrations`,
    );
    const from = row.rows[0]?.v ?? 0;
    if (from > known) {
      throw new ParcelgateError(
        'store.schema-too-new',
        `database schema version ${from} is newer than this parcelgate knows (${known}); upgrade parcelgate`,
        500,
        { databaseVersion: from, knownVersion: known },
      );
    }
    // Every known migration not yet recorded (ranges leave gaps, so not just those above `from`).
    const recorded = await client.query<{ version: number }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(recorded.rows.map((r) => Number(r.version)));
    const pending = [...list].filter((m) => !applied.has(m.version)).sort((a, b) => a.version - b.version);
    await client.query(`SET LOCAL search_path TO ${schema}`);
    for (const m of pending) {
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        now.toISOString(),
      ]);
    }
    const partitions = await ensureEventPartitions(client, schema, now);
    await client.query('COMMIT');
    return { from, to: Math.max(from, ...pending.map((m) => m.version)), partitions };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** Connects to `url`, migrates `schema` (default `public`) and disconnects: the `parcelgate migrate` command. */
export async function migratePostgres(
  url: string,
  schema = 'public',
): Promise<{ from: number; to: number; partitions: string[] }> {
  checkSchemaName(schema);
  const client = new pg.Client({ connectionString: url });
  // A connection ended by the server fails the statement in flight, which is reported; unheard, its
  // 'error' event would also be uncaught (a stack trace instead of that report).
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await applyPgMigrations(client, schema);
  } finally {
    await client.end();
  }
}
