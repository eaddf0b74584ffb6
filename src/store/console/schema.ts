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

/** SQLite DDL of the work queue (tables, indexes, triggers and the backfill of existing rows). */
export const sqliteWorkQueueSql = `
CREATE TABLE work_queue (
  consignment_id TEXT PRIMARY KEY,
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
  updated_at TEXT NOT NULL
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

CREATE TRIGGER work_queue_update AFTER UPDATE ON consignments
WHEN OLD.state IN (${held}) OR NEW.state IN (${held}) BEGIN
  DELETE FROM work_queue WHERE consignment_id = OLD.id;
  DELETE FROM work_queue_reasons WHERE consignment_id = OLD.id;
  INSERT INTO work_queue (${columns}) SELECT ${sqliteRow('NEW')} WHERE NEW.state IN (${held});
  INSERT OR IGNORE INTO work_queue_reasons (reason, created_at, consignment_id)
    ${sqliteReasons('NEW')} WHERE NEW.state IN (${held});
END;

CREATE TRIGGER work_queue_delete AFTER DELETE ON consignments WHEN OLD.state IN (${held}) BEGIN
  DELETE FROM work_queue WHERE consignment_id = OLD.id;
  DELETE FROM work_queue_reasons WHERE consignment_id = OLD.id;
END;

INSERT INTO work_queue (${columns}) SELECT ${sqliteRow('NEW').replace(/NEW\./g, 'c.')}
  FROM consignments c WHERE c.state IN (${held});
INSERT OR IGNORE INTO work_queue_reasons (reason, created_at, consignment_id)
  SELECT DISTINCT json_extract(h.value, '$.id'), c.created_at, c.id
  FROM consignments c, json_each(c.doc, '$.assessment.risk.hits') h WHERE c.state IN (${held});
`;

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

CREATE FUNCTION work_queue_sync() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $fn$
DECLARE
  hits jsonb;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF OLD.state NOT IN (${held}) AND (TG_OP = 'DELETE' OR NEW.state NOT IN (${held})) THEN
      RETURN NULL;
    END IF;
    DELETE FROM work_queue WHERE consignment_id = OLD.id;
    DELETE FROM work_queue_reasons WHERE consignment_id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.state IN (${held}) THEN
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
    INSERT INTO work_queue_reasons (reason, created_at, consignment_id)
      SELECT DISTINCT h ->> 'id', NEW.created_at, NEW.id FROM jsonb_array_elements(hits) h
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER work_queue_sync AFTER INSERT OR UPDATE OR DELETE ON consignments
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
