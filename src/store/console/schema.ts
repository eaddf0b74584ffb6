/**
 * The work-queue tables (SQLite migration 60, PostgreSQL migration 60): a narrow copy of every held
 * consignment, kept by triggers on `consignments`, so the queue pages through indexes sized by the
 * queue rather than the whole store, and can be filtered by the rules that fired. Consignments that
 * are not held never touch these tables beyond one indexed delete on update.
 */
import { queueStates } from './port.js';

const held = queueStates.map((s) => `'${s}'`).join(', ');

const sqliteRow = (r: 'NEW') => `${r}.id, ${r}.state, ${r}.lane, ${r}.decision, ${r}.risk_score,
    ${r}.destination, ${r}.office, ${r}.submitter_id, ${r}.due_at_border, ${r}.currency,
    (SELECT group_concat(id, ' ') FROM (SELECT json_extract(h.value, '$.id') AS id
       FROM json_each(${r}.doc, '$.assessment.risk.hits') h
       ORDER BY json_extract(h.value, '$.score') DESC)),
    (SELECT json_extract(h.value, '$.reason') FROM json_each(${r}.doc, '$.assessment.risk.hits') h
       ORDER BY json_extract(h.value, '$.score') DESC LIMIT 1),
    ${r}.created_at, ${r}.updated_at`;

const sqliteReasons = (r: 'NEW') => `SELECT DISTINCT json_extract(h.value, '$.id'), ${r}.created_at, ${r}.id
    FROM json_each(${r}.doc, '$.assessment.risk.hits') h`;

const columns = `consignment_id, state, lane, decision, risk_score, destination, office, submitter_id,
  due_at_border, currency, reasons, top_reason, created_at, updated_at`;

/**
 * The SQLite triggers that keep the queue rows of an updated or deleted consignment; `reasonsInsert`
 * writes the updated consignment's `work_queue_reasons` rows (after its `work_queue` row).
 */
const sqliteUpdateTriggers = (
  reasonsInsert: string,
  oldStates = held,
) => `CREATE TRIGGER work_queue_update AFTER UPDATE ON consignments
WHEN OLD.state IN (${oldStates}) OR NEW.state IN (${held}) BEGIN
  DELETE FROM work_queue WHERE consignment_id = OLD.id;
  DELETE FROM work_queue_reasons WHERE consignment_id = OLD.id;
  INSERT INTO work_queue (${columns}) SELECT ${sqliteRow('NEW')} WHERE NEW.state IN (${held});
  ${reasonsInsert}
END;

CREATE TRIGGER work_queue_delete AFTER DELETE ON consignments WHEN OLD.state IN (${oldStates}) BEGIN
  DELETE FROM work_queue WHERE consignment_id = OLD.id;
  DELETE FROM work_queue_reasons WHERE consignment_id = OLD.id;
END;
`;

/** The columns of the SQLite `work_queue` table of migration 60 (62 adds the priority tier). */
const sqliteQueueTable = `  consignment_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  lane TEXT NOT NULL,
  decision TEXT NOT NULL,
  risk_score REAL NOT NULL,
  destination TEXT NOT NULL,
  office TEXT,
  submitter_id TEXT NOT NULL,
  due_at_border TEXT NOT NULL,
  currency TEXT NOT NULL,
  reasons TEXT,
  top_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL`;

/** SQLite DDL of the work queue (tables, indexes, triggers and the backfill of existing rows). */
export const sqliteWorkQueueSql = `
CREATE TABLE work_queue (
${sqliteQueueTable}
);
CREATE INDEX work_queue_created ON work_queue (created_at, consignment_id);
CREATE INDEX work_queue_risk ON work_queue (risk_score, created_at, consignment_id);
CREATE INDEX work_queue_state ON work_queue (state, created_at, consignment_id);
CREATE INDEX work_queue_lane ON work_queue (lane, created_at, consignment_id);
CREATE INDEX work_queue_office ON work_queue (office, created_at, consignment_id);
CREATE INDEX work_queue_destination ON work_queue (destination, created_at, consignment_id);

CREATE TABLE work_queue_reasons (
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  consignment_id TEXT NOT NULL,
  PRIMARY KEY (reason, created_at, consignment_id)
) WITHOUT ROWID;
CREATE INDEX work_queue_reasons_consignment ON work_queue_reasons (consignment_id);

CREATE TRIGGER work_queue_insert AFTER INSERT ON consignments WHEN NEW.state IN (${held}) BEGIN
  INSERT OR REPLACE INTO work_queue (${columns}) VALUES (${sqliteRow('NEW')});
  DELETE FROM work_queue_reasons WHERE consignment_id = NEW.id;
  INSERT OR IGNORE INTO work_queue_reasons (reason, created_at, consignment_id) ${sqliteReasons('NEW')};
END;

${sqliteUpdateTriggers(`INSERT OR IGNORE INTO work_queue_reasons (reason, created_at, consignment_id)
    ${sqliteReasons('NEW')} WHERE NEW.state IN (${held});`)}
INSERT INTO work_queue (${columns}) SELECT ${sqliteRow('NEW').replace(/NEW\./g, 'c.')}
  FROM consignments c WHERE c.state IN (${held});
INSERT OR IGNORE INTO work_queue_reasons (reason, created_at, consignment_id)
  SELECT DISTINCT json_extract(h.value, '$.id'), c.created_at, c.id
  FROM consignments c, json_each(c.doc, '$.assessment.risk.hits') h WHERE c.state IN (${held});
`;

/**
 * The PostgreSQL row trigger function that keeps the queue rows of a consignment; `reasonsInsert` writes
 * the consignment's `work_queue_reasons` rows (after its `work_queue` row), from `hits`.
 */
const pgSyncFunction = (create: string, reasonsInsert: string, arrivedOpen = false) => {
  // From migration 64 an arrived consignment with an open request for information is queued too.
  const oldStates = arrivedOpen ? `${held}, 'arrived'` : held;
  const queued = arrivedOpen
    ? `(NEW.state IN (${held}) OR (NEW.state = 'arrived' AND (NEW.doc::jsonb) ->> 'informationOpen' = 'true'))`
    : `NEW.state IN (${held})`;
  const notQueued = arrivedOpen ? `NOT ${queued}` : `NEW.state NOT IN (${held})`;
  return `${create} FUNCTION work_queue_sync() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  hits jsonb;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.state NOT IN (${oldStates}) AND (TG_OP = 'DELETE' OR ${notQueued}) THEN
      RETURN NULL;
    END IF;
    DELETE FROM work_queue WHERE consignment_id = OLD.id;
    DELETE FROM work_queue_reasons WHERE consignment_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND ${queued} THEN
    hits := COALESCE((NEW.doc::jsonb) -> 'assessment' -> 'risk' -> 'hits', '[]'::jsonb);
    INSERT INTO work_queue (${columns}) VALUES (NEW.id, NEW.state, NEW.lane, NEW.decision, NEW.risk_score,
      NEW.destination, NEW.office, NEW.submitter_id, NEW.due_at_border, NEW.currency,
      (SELECT string_agg(h ->> 'id', ' ' ORDER BY (h ->> 'score')::float8 DESC) FROM jsonb_array_elements(hits) h),
      (SELECT h ->> 'reason' FROM jsonb_array_elements(hits) h ORDER BY (h ->> 'score')::float8 DESC LIMIT 1),
      NEW.created_at, NEW.updated_at)
    ON CONFLICT (consignment_id) DO UPDATE SET state = excluded.state, lane = excluded.lane,
      decision = excluded.decision, risk_score = excluded.risk_score, destination = excluded.destination,
      office = excluded.office, submitter_id = excluded.submitter_id, due_at_border = excluded.due_at_border,
      currency = excluded.currency, reasons = excluded.reasons, top_reason = excluded.top_reason,
      created_at = excluded.created_at, updated_at = excluded.updated_at;
    DELETE FROM work_queue_reasons WHERE consignment_id = NEW.id;
    ${reasonsInsert}
  END IF;
  RETURN NULL;
END
$fn$;
`;
};

/** PostgreSQL DDL of the work queue: the same tables, kept by one row trigger function. */
export const pgWorkQueueSql = `
CREATE TABLE work_queue (
  consignment_id text COLLATE "C" PRIMARY KEY,
  state text COLLATE "C" NOT NULL,
  lane text COLLATE "C" NOT NULL,
  decision text NOT NULL,
  risk_score double precision NOT NULL,
  destination text COLLATE "C" NOT NULL,
  office text COLLATE "C",
  submitter_id text NOT NULL,
  due_at_border text NOT NULL,
  currency text NOT NULL,
  reasons text,
  top_reason text,
  created_at text COLLATE "C" NOT NULL,
  updated_at text NOT NULL
);
CREATE INDEX work_queue_created ON work_queue (created_at, consignment_id);
CREATE INDEX work_queue_risk ON work_queue (risk_score, created_at, consignment_id);
CREATE INDEX work_queue_state ON work_queue (state, created_at, consignment_id);
CREATE INDEX work_queue_lane ON work_queue (lane, created_at, consignment_id);
CREATE INDEX work_queue_office ON work_queue (office, created_at, consignment_id);
CREATE INDEX work_queue_destination ON work_queue (destination, created_at, consignment_id);

CREATE TABLE work_queue_reasons (
  reason text COLLATE "C" NOT NULL,
  created_at text COLLATE "C" NOT NULL,
  consignment_id text COLLATE "C" NOT NULL,
  PRIMARY KEY (reason, created_at, consignment_id)
);
CREATE INDEX work_queue_reasons_consignment ON work_queue_reasons (consignment_id);

${pgSyncFunction(
  'CREATE',
  `INSERT INTO work_queue_reasons (reason, created_at, consignment_id)
      SELECT DISTINCT h ->> 'id', NEW.created_at, NEW.id FROM jsonb_array_elements(hits) h
      ON CONFLICT DO NOTHING;`,
)}CREATE TRIGGER work_queue_sync AFTER INSERT OR UPDATE OR DELETE ON consignments
  FOR EACH ROW EXECUTE FUNCTION work_queue_sync();

INSERT INTO work_queue (${columns})
  SELECT c.id, c.state, c.lane, c.decision, c.risk_score, c.destination, c.office, c.submitter_id,
    c.due_at_border, c.currency,
    (SELECT string_agg(h ->> 'id', ' ' ORDER BY (h ->> 'score')::float8 DESC)
       FROM jsonb_array_elements(COALESCE((c.doc::jsonb) -> 'assessment' -> 'risk' -> 'hits', '[]'::jsonb)) h),
    (SELECT h ->> 'reason'
       FROM jsonb_array_elements(COALESCE((c.doc::jsonb) -> 'assessment' -> 'risk' -> 'hits', '[]'::jsonb)) h
       ORDER BY (h ->> 'score')::float8 DESC LIMIT 1),
    c.created_at, c.updated_at
  FROM consignments c WHERE c.state IN (${held});
INSERT INTO work_queue_reasons (reason, created_at, consignment_id)
  SELECT DISTINCT h ->> 'id', c.created_at, c.id
  FROM consignments c, jsonb_array_elements(COALESCE((c.doc::jsonb) -> 'assessment' -> 'risk' -> 'hits', '[]'::jsonb)) h
  WHERE c.state IN (${held})
  ON CONFLICT DO NOTHING;
`;

/**
 * Migration 62 (both stores): the priority tier of a queued consignment is stored with its queue rows,
 * so that every page is one keyset walk over one index instead of one walk per tier.
 *
 * - `priority` (2 high, 1 normal, 0 low; docs/operators.md "Priority handling") is a stored generated
 *   column of `work_queue`, computed from the hit ids in `reasons` whenever the row is written: by the
 *   SQLite adapter for inserted consignments, by the triggers when a consignment's state, lane, score
 *   or hits change. `priority_rank` (2 - priority: 0 high) is the same tier in ascending form.
 * - `work_queue_reasons` carries the consignment's `priority` too (copied from its `work_queue` row).
 * - The orders sorting descending (newest, risk) walk `priority` descending; oldest first walks
 *   `priority_rank` ascending. Each order, unfiltered or filtered by one column or by rule, has one
 *   index whose key is its page order.
 */
const tierOf = (find: string, reasons: string) =>
  `CASE WHEN ${find}(' ' || coalesce(${reasons}, '') || ' ', ' priority-high ') > 0 THEN 2
    WHEN ${find}(' ' || coalesce(${reasons}, '') || ' ', ' priority-low ') > 0 THEN 0 ELSE 1 END`;

/** The indexes of the work queue from migration 62 on: name and key. */
export const workQueueIndexes: [string, string][] = [
  ['work_queue_newest', 'priority, created_at, consignment_id'],
  ['work_queue_oldest', 'priority_rank, created_at, consignment_id'],
  ['work_queue_risk', 'priority, risk_score, created_at, consignment_id'],
  ...(['state', 'lane', 'office', 'destination'] as const).flatMap((f): [string, string][] => [
    [`work_queue_${f}_newest`, `${f}, priority, created_at, consignment_id`],
    [`work_queue_${f}_oldest`, `${f}, priority_rank, created_at, consignment_id`],
  ]),
];
const createIndexes = workQueueIndexes.map(([n, k]) => `CREATE INDEX ${n} ON work_queue (${k});`).join('\n');
const reasonsOldestIndex = `CREATE INDEX work_queue_reasons_oldest
  ON work_queue_reasons (reason, priority_rank, created_at, consignment_id);`;

/** The reasons rows the SQLite update trigger writes from migration 62 on (with the row's tier). */
const sqlitePriorityReasonsInsert = `INSERT OR IGNORE INTO work_queue_reasons (reason, priority, created_at, consignment_id)
    SELECT DISTINCT json_extract(h.value, '$.id'), w.priority, NEW.created_at, NEW.id
    FROM json_each(NEW.doc, '$.assessment.risk.hits') h, work_queue w
    WHERE w.consignment_id = NEW.id AND NEW.state IN (${held});`;

/** The reasons rows the PostgreSQL trigger function writes from migration 62 on (with the row's tier). */
const pgPriorityReasonsInsert = `INSERT INTO work_queue_reasons (reason, priority, created_at, consignment_id)
      SELECT DISTINCT h ->> 'id', w.priority, NEW.created_at, NEW.id
      FROM jsonb_array_elements(hits) h, work_queue w WHERE w.consignment_id = NEW.id
      ON CONFLICT DO NOTHING;`;

/**
 * SQLite: both tables are rebuilt (SQLite cannot add a stored column), their rows copied with their
 * tier, the update trigger rewritten to copy the tier into the reasons rows. The insert trigger of
 * migration 60 is dropped here as migration 80 does (inserted rows are the adapter's to write).
 */
export const sqliteQueuePrioritySql = `
DROP TRIGGER IF EXISTS work_queue_insert;
DROP TRIGGER IF EXISTS work_queue_update;
DROP TRIGGER IF EXISTS work_queue_delete;

CREATE TEMP TABLE work_queue_before AS SELECT * FROM work_queue;
DROP TABLE work_queue;
CREATE TABLE work_queue (
${sqliteQueueTable},
  priority INTEGER NOT NULL GENERATED ALWAYS AS (${tierOf('instr', 'reasons')}) STORED,
  priority_rank INTEGER NOT NULL GENERATED ALWAYS AS (2 - priority) VIRTUAL
);
INSERT INTO work_queue (${columns}) SELECT ${columns} FROM temp.work_queue_before;
DROP TABLE temp.work_queue_before;
${createIndexes}

CREATE TEMP TABLE work_queue_reasons_before AS SELECT * FROM work_queue_reasons;
DROP TABLE work_queue_reasons;
CREATE TABLE work_queue_reasons (
  reason TEXT NOT NULL,
  priority INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  consignment_id TEXT NOT NULL,
  priority_rank INTEGER NOT NULL GENERATED ALWAYS AS (2 - priority) VIRTUAL,
  PRIMARY KEY (reason, priority, created_at, consignment_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO work_queue_reasons (reason, priority, created_at, consignment_id)
  SELECT r.reason, w.priority, r.created_at, r.consignment_id
  FROM temp.work_queue_reasons_before r JOIN work_queue w ON w.consignment_id = r.consignment_id;
DROP TABLE temp.work_queue_reasons_before;
${reasonsOldestIndex}
CREATE INDEX work_queue_reasons_consignment ON work_queue_reasons (consignment_id);

${sqliteUpdateTriggers(sqlitePriorityReasonsInsert)}`;

/**
 * PostgreSQL: the generated columns are added (which computes them for every row), the reasons rows
 * get their tier from their queue row, the indexes are replaced and the trigger function rewritten.
 */
export const pgQueuePrioritySql = `
ALTER TABLE work_queue
  ADD COLUMN priority smallint NOT NULL GENERATED ALWAYS AS (${tierOf('strpos', 'reasons')}) STORED,
  ADD COLUMN priority_rank smallint NOT NULL GENERATED ALWAYS AS (2 - ${tierOf('strpos', 'reasons')}) STORED;
DROP INDEX work_queue_created, work_queue_risk, work_queue_state, work_queue_lane, work_queue_office,
  work_queue_destination;
${createIndexes}

ALTER TABLE work_queue_reasons ADD COLUMN priority smallint;
UPDATE work_queue_reasons r SET priority = w.priority FROM work_queue w WHERE w.consignment_id = r.consignment_id;
DELETE FROM work_queue_reasons WHERE priority IS NULL;
ALTER TABLE work_queue_reasons ALTER COLUMN priority SET NOT NULL;
ALTER TABLE work_queue_reasons
  ADD COLUMN priority_rank smallint NOT NULL GENERATED ALWAYS AS (2 - priority) STORED,
  DROP CONSTRAINT work_queue_reasons_pkey,
  ADD PRIMARY KEY (reason, priority, created_at, consignment_id);
${reasonsOldestIndex}

${pgSyncFunction('CREATE OR REPLACE', pgPriorityReasonsInsert)}`;

/**
 * Whether the events of consignment `id` (an SQL expression) leave a request for information open: the
 * last event that opened one comes after the last that closed one (`requestEffect` in
 * src/clearance/information.ts, in SQL).
 */
const openByLog = (
  id: string,
) => `(SELECT coalesce(max(e.seq), 0) FROM events e WHERE e.consignment_id = ${id}
      AND (e.type = 'consignment.request-information' OR (e.to_state = 'held-for-information'
        AND coalesce(e.from_state, '') <> 'held-for-information')))
    > (SELECT coalesce(max(e.seq), 0) FROM events e WHERE e.consignment_id = ${id}
      AND (e.type = 'consignment.inspect' OR (e.to_state IS NOT NULL
        AND e.to_state NOT IN ('held-for-information', 'arrived'))))`;

/**
 * Migration 64 (both stores): an arrived consignment whose request for information is still open
 * (`informationOpen` in its document, docs/information-requests.md §3) waits in the work queue, with
 * state `arrived`. SQLite: the update and delete triggers also clear the queue rows of a consignment
 * that was `arrived` (the adapter writes the rows of a queued one, as for every held consignment).
 * PostgreSQL: the trigger function also queues such a consignment and clears it when it leaves.
 * Arrived consignments of an older store get the flag from their event log (`openByLog`), and their
 * queue rows.
 */
export const sqliteQueueArrivedSql = `
DROP TRIGGER IF EXISTS work_queue_update;
DROP TRIGGER IF EXISTS work_queue_delete;
${sqliteUpdateTriggers(sqlitePriorityReasonsInsert, `${held}, 'arrived'`)}
UPDATE consignments SET doc = json_set(doc, '$.informationOpen', json('true'))
  WHERE state = 'arrived' AND ${openByLog('consignments.id')};
INSERT OR REPLACE INTO work_queue (${columns}) SELECT ${sqliteRow('NEW').replace(/NEW\./g, 'c.')}
  FROM consignments c WHERE c.state = 'arrived' AND json_extract(c.doc, '$.informationOpen') = 1;
INSERT OR IGNORE INTO work_queue_reasons (reason, priority, created_at, consignment_id)
  SELECT DISTINCT json_extract(h.value, '$.id'), w.priority, c.created_at, c.id
  FROM consignments c JOIN work_queue w ON w.consignment_id = c.id, json_each(c.doc, '$.assessment.risk.hits') h
  WHERE c.state = 'arrived';
`;

/** PostgreSQL DDL of migration 64 (see `sqliteQueueArrivedSql`); the new trigger queues the rows it flags. */
export const pgQueueArrivedSql = `${pgSyncFunction('CREATE OR REPLACE', pgPriorityReasonsInsert, true)}
UPDATE consignments SET doc = jsonb_set(doc::jsonb, '{informationOpen}', 'true'::jsonb)::text
  WHERE state = 'arrived' AND ${openByLog('consignments.id')};
`;
