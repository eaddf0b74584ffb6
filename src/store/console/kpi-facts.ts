/**
 * The KPI fact table (SQLite and PostgreSQL migration 61): one narrow row per consignment with the
 * instants the event log says it was received, decided, released and arrived, its flags, finding,
 * office, lane and revenue. It is kept off the submission path: a follower (`refreshKpiFacts`)
 * reads the events appended since its cursor and recomputes the rows of the consignments they touch,
 * so a KPI report reads one indexed range of narrow rows instead of grouping the whole event log.
 * Recomputing a row is idempotent (it reads all of the consignment's events), so an event seen twice
 * does no harm; PostgreSQL only reads below the commit watermark, so none is missed.
 */
import { kpiFactAggregates, rbaInForce, releasedInForce } from './queue-sql.js';

/** Columns of kpi_facts, in insert order. */
const factColumns = `consignment_id, received_at, created_at, decided_at, released_at, rba_at, arrived_at,
  rfi, inspected, finding, random_selected, office, lane, collection_model, currency, due_at_border, prepaid`;

const tableSql = (text: string, int: string) => `
CREATE TABLE kpi_facts (
  consignment_id ${text} PRIMARY KEY,
  received_at ${text},
  created_at ${text} NOT NULL,
  decided_at ${text},
  released_at ${text},
  rba_at ${text},
  arrived_at ${text},
  rfi ${int} NOT NULL,
  inspected ${int} NOT NULL,
  finding ${text},
  random_selected ${int},
  office ${text},
  lane ${text} NOT NULL,
  collection_model ${text},
  currency ${text} NOT NULL,
  due_at_border ${text} NOT NULL,
  prepaid ${text}
);
CREATE INDEX kpi_facts_received ON kpi_facts (received_at);
CREATE INDEX kpi_facts_created ON kpi_facts (created_at);
CREATE TABLE kpi_cursor (
  id integer PRIMARY KEY CHECK (id = 1),
  frontier bigint NOT NULL
);
INSERT INTO kpi_cursor (id, frontier) VALUES (1, 0);
`;

/** SQLite DDL (migration 61). The table starts empty: the follower fills it from the event log. */
export const sqliteKpiFactsSql = tableSql('TEXT', 'INTEGER');
/** PostgreSQL DDL (migration 61). */
export const pgKpiFactsSql = tableSql('text COLLATE "C"', 'integer');

/**
 * Migration 71 (both stores): information counts as requested when an officer asked after arrival too
 * (`consignment.request-information`, see `kpiFactAggregates`). Fact rows computed before it are
 * corrected from the event log; rows computed later follow the new definition.
 */
export const kpiRequestsAfterArrivalSql = `UPDATE kpi_facts SET rfi = 1 WHERE rfi = 0 AND consignment_id IN
  (SELECT consignment_id FROM events WHERE type = 'consignment.request-information');`;

/** Dialect differences of the refresh statement. */
export interface KpiDialect {
  param: (n: number) => string;
  /** The `finding` of an event's data column. */
  finding: (data: string) => string;
  /** Whether the assessment drew the consignment for the random control (0/1 or boolean text). */
  randomSelected: (doc: string) => string;
  /** A field of the assessment's revenue, as text. */
  revenue: (doc: string, field: 'collectionModel' | 'prepaid') => string;
  insert: 'sqlite' | 'postgres';
}

/**
 * One statement: recomputes the fact rows of every consignment with an event in (param 1, param 2]
 * of seq, from all of its events and its current row.
 */
export function kpiRefreshSql(d: KpiDialect): string {
  const select = `
WITH touched AS (
  SELECT DISTINCT consignment_id AS id FROM events WHERE seq > ${d.param(1)} AND seq <= ${d.param(2)}
), f AS (
${kpiFactAggregates}
  FROM events WHERE consignment_id IN (SELECT id FROM touched) GROUP BY consignment_id
)
SELECT f.id, f.received, c.created_at, f.decided, ${releasedInForce}, ${rbaInForce}, f.arrived, f.rfi, f.inspected,
  CASE WHEN f.finding_seq IS NOT NULL THEN
    (SELECT ${d.finding('e.data')} FROM events e WHERE e.consignment_id = f.id AND e.seq = f.finding_seq) END,
  CASE WHEN f.finding_seq IS NOT NULL THEN ${d.randomSelected('c.doc')} END,
  c.office, c.lane, ${d.revenue('c.doc', 'collectionModel')}, c.currency, c.due_at_border,
  ${d.revenue('c.doc', 'prepaid')}
FROM f JOIN consignments c ON c.id = f.id`;
  if (d.insert === 'sqlite') return `INSERT OR REPLACE INTO kpi_facts (${factColumns}) ${select}`;
  const updates = factColumns
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== 'consignment_id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO kpi_facts (${factColumns}) ${select}
ON CONFLICT (consignment_id) DO UPDATE SET ${updates}`;
}

/** Columns of a KPI fact row read back (aliased to KpiFactRow's fields). */
export const kpiFactColumns = `consignment_id AS "id", office AS "office", lane AS "lane",
  received_at AS "receivedAt", decided_at AS "decidedAt", released_at AS "releasedAt",
  rba_at AS "releasedBeforeArrivalAt", arrived_at AS "arrivedAt", rfi AS "rfi",
  inspected AS "inspectedFlag", finding AS "finding", random_selected AS "randomFlag"`;

/** Events the follower reads per transaction: bounds the time one catch-up step holds the writer. */
export const kpiRefreshBatch = 20_000;
