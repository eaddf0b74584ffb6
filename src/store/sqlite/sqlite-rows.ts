/**
 * The rows a batch becomes in SQLite, the prepared statements that write them, and a raw-insert
 * helper that writes the same rows without the adapter's checks (the benchmark's baseline).
 */
import type Database from 'better-sqlite3';
import { ParcelgateError } from '../../domain/index.js';
import type { BatchWrites, StoredConsignment } from '../port.js';

/** One `consignments` row: denormalised summary columns plus the whole document as JSON. */
export interface ConsignmentRow {
  id: string;
  version: number;
  state: string;
  lane: string;
  decision: string;
  riskScore: number;
  destination: string;
  office: string | null;
  submitterId: string;
  dueAtBorder: string;
  currency: string;
  createdAt: string;
  updatedAt: string;
  doc: string;
}

/** One `declarations` row; `doc` is the record's submitted data as JSON. */
export interface DeclarationRow {
  id: string;
  consignmentId: string;
  kind: string;
  submitterId: string;
  receivedAt: string;
  hash: string;
  doc: string;
}

/** One `events` row; `seq` is assigned by SQLite. */
export interface EventRow {
  consignmentId: string;
  type: string;
  fromState: string | null;
  toState: string | null;
  at: string;
  actor: string;
  reason: string | null;
  data: string | null;
}

/** Everything one batch writes, as table rows in write order. */
export interface SqliteBatchRows {
  consignments: ConsignmentRow[];
  linkKeys: { key: string; consignmentId: string }[];
  versions: { consignmentId: string; version: number; doc: string }[];
  declarations: DeclarationRow[];
  events: EventRow[];
}

/** Maps a stored consignment to its row, taking the summary columns from the document. */
export function consignmentRow(c: StoredConsignment): ConsignmentRow {
  const a = c.assessment;
  return {
    id: c.id,
    version: c.version,
    state: c.state,
    lane: a.risk.lane,
    decision: a.decision,
    riskScore: a.risk.score,
    destination: c.merged.routing.destinationCountry,
    office: c.merged.routing.officeOfEntry ?? null,
    submitterId: c.submitterId,
    dueAtBorder: a.revenue.dueAtBorder,
    currency: a.revenue.currency,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    doc: JSON.stringify(c),
  };
}

/** Converts a batch's writes into the rows the SQLite adapter writes for it. */
export function toBatchRows(writes: BatchWrites): SqliteBatchRows {
  const linkKeys: SqliteBatchRows['linkKeys'] = [];
  for (const c of writes.upserts) for (const key of c.keys) linkKeys.push({ key, consignmentId: c.id });
  return {
    consignments: writes.upserts.map(consignmentRow),
    linkKeys,
    versions: writes.archive.map((c) => ({
      consignmentId: c.id,
      version: c.version,
      doc: JSON.stringify(c),
    })),
    declarations: writes.declarations.map(({ consignmentId, record }) => ({
      id: record.declarationId,
      consignmentId,
      kind: record.kind,
      submitterId: record.submitterId,
      receivedAt: record.receivedAt,
      hash: record.hash,
      doc: JSON.stringify(record.data),
    })),
    events: writes.events.map((e) => ({
      consignmentId: e.consignmentId,
      type: e.type,
      fromState: e.from,
      toState: e.to,
      at: e.at,
      actor: e.actor,
      reason: e.reason ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    })),
  };
}

const consignmentColumns =
  'id, version, state, lane, decision, risk_score, destination, office, submitter_id, due_at_border, currency, created_at, updated_at, doc';
const consignmentValues = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';

/** SQL of the inserts both the adapter and the raw baseline use. */
export const sqliteInsertSql = {
  consignment: `INSERT INTO consignments (${consignmentColumns}) VALUES (${consignmentValues})`,
  upsertConsignment: `INSERT INTO consignments (${consignmentColumns}) VALUES (${consignmentValues})
    ON CONFLICT (id) DO UPDATE SET version = excluded.version, state = excluded.state, lane = excluded.lane,
      decision = excluded.decision, risk_score = excluded.risk_score, destination = excluded.destination,
      office = excluded.office, submitter_id = excluded.submitter_id, due_at_border = excluded.due_at_border,
      currency = excluded.currency, created_at = excluded.created_at, updated_at = excluded.updated_at,
      doc = excluded.doc`,
  linkKey: 'INSERT INTO link_keys (key, consignment_id) VALUES (?, ?)',
  linkKeyIfAbsent: 'INSERT OR IGNORE INTO link_keys (key, consignment_id) VALUES (?, ?)',
  otherKeyOwner: 'SELECT consignment_id FROM link_keys WHERE key = ? AND consignment_id <> ? LIMIT 1',
  version: 'INSERT INTO consignment_versions (consignment_id, version, doc) VALUES (?, ?, ?)',
  declaration: `INSERT INTO declarations (id, consignment_id, kind, submitter_id, received_at, hash, doc)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
  event: `INSERT INTO events (consignment_id, type, from_state, to_state, at, actor, reason, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
} as const;

type Statements = { [K in keyof typeof sqliteInsertSql]: Database.Statement };

const cache = new WeakMap<Database.Database, Statements>();

/** Prepares (once per connection) and returns the insert statements. */
export function insertStatements(db: Database.Database): Statements {
  const hit = cache.get(db);
  if (hit !== undefined) return hit;
  const made = Object.fromEntries(
    Object.entries(sqliteInsertSql).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Statements;
  cache.set(db, made);
  return made;
}

function runConsignment(stmt: Database.Statement, r: ConsignmentRow): void {
  stmt.run(
    r.id,
    r.version,
    r.state,
    r.lane,
    r.decision,
    r.riskScore,
    r.destination,
    r.office,
    r.submitterId,
    r.dueAtBorder,
    r.currency,
    r.createdAt,
    r.updatedAt,
    r.doc,
  );
}

/** Writes the non-consignment rows shared by both paths; returns the seq assigned to each event. */
function writeTail(s: Statements, rows: SqliteBatchRows): number[] {
  for (const v of rows.versions) s.version.run(v.consignmentId, v.version, v.doc);
  for (const d of rows.declarations) {
    s.declaration.run(d.id, d.consignmentId, d.kind, d.submitterId, d.receivedAt, d.hash, d.doc);
  }
  const seqs: number[] = [];
  for (const e of rows.events) {
    const info = s.event.run(
      e.consignmentId,
      e.type,
      e.fromState,
      e.toState,
      e.at,
      e.actor,
      e.reason,
      e.data,
    );
    seqs.push(Number(info.lastInsertRowid));
  }
  return seqs;
}

/** Whether a link key belongs to one consignment only, or may be shared (an order split over parcels). */
export type KeyPolicy = 'exclusive' | 'shared';

/**
 * Adapter write path (call inside a transaction): upserts consignments, adds their link keys and,
 * under the exclusive policy, throws `store.key-conflict` when a key belongs to another consignment.
 */
export function writeBatchRows(db: Database.Database, rows: SqliteBatchRows, keyPolicy: KeyPolicy): number[] {
  const s = insertStatements(db);
  for (const r of rows.consignments) runConsignment(s.upsertConsignment, r);
  for (const { key, consignmentId } of rows.linkKeys) {
    if (keyPolicy === 'exclusive') {
      const owner = s.otherKeyOwner.pluck().get(key, consignmentId) as string | undefined;
      if (owner !== undefined) {
        throw new ParcelgateError(
          'store.key-conflict',
          `link key ${key} already belongs to consignment ${owner}, not ${consignmentId}`,
          409,
          { key, owner, consignmentId },
        );
      }
    }
    s.linkKeyIfAbsent.run(key, consignmentId);
  }
  return writeTail(s, rows);
}

/**
 * Benchmark baseline: plain INSERTs of the same rows in one transaction, with the same schema and
 * indexes but without lookups, conflict checks or serialisation.
 */
export function rawInsertRows(db: Database.Database, rows: SqliteBatchRows): void {
  const s = insertStatements(db);
  db.transaction(() => {
    for (const r of rows.consignments) runConsignment(s.consignment, r);
    for (const { key, consignmentId } of rows.linkKeys) s.linkKey.run(key, consignmentId);
    writeTail(s, rows);
  })();
}
