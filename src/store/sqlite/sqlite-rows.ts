/**
 * The rows a batch becomes in SQLite (with the slim document encoding), the prepared statements that
 * write them, and a raw-insert helper that writes the same rows without the adapter's checks (the
 * benchmark's baseline).
 */
import type Database from 'better-sqlite3';
import { ParcelgateError, dueAtBorderIn } from '../../domain/index.js';
import type { ConsignmentInput, SourceKind, SourceRecord } from '../../domain/index.js';
import type {
  BatchWrites,
  ClearanceEvent,
  ConsignmentRow,
  FreshConsignment,
  StoredConsignment,
} from '../port.js';
import { creationRowType, eventSpan } from '../event-rows.js';
import { contributorInsertSqlite, contributorPairs } from '../contributors.js';
import { workQueueColumns, type WorkQueueColumns } from '../work-queue-row.js';

// Documents (schema version 2): each source record is stored once, in `declarations`; a consignment
// document refers to it by declaration id and leaves `merged` out (null) when it is the single source's
// data. Reading re-attaches both.

/** A consignment document as stored: sources by declaration id (or inline), `merged` possibly omitted. */
export interface SlimDoc extends Omit<StoredConsignment, 'sources' | 'merged'> {
  /** A declaration id (the record is the `declarations` row) or, when not known to be stored, the record. */
  sources: (string | SourceRecord)[];
  /** `null` when `merged` is the data of the only source. */
  merged: ConsignmentInput | null;
}

/** A `declarations` row as read back: id, kind, submitter, received at, hash, data JSON. */
export type DeclarationTuple = [string, SourceKind, string, string, string, string];

/**
 * Serialises a consignment as a slim document. `isStored(record)` says whether the record is (or is
 * being written in the same transaction) in `declarations` exactly as given; such a record is written
 * as its declaration id, any other record inline.
 */
export function encodeConsignment(c: StoredConsignment, isStored: (r: SourceRecord) => boolean): string {
  const sources = c.sources;
  const refs: (string | SourceRecord)[] = new Array<string | SourceRecord>(sources.length);
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i] as SourceRecord;
    refs[i] = isStored(s) ? s.declarationId : s;
  }
  const only = sources.length === 1 ? sources[0] : undefined;
  const slim: SlimDoc = {
    ...c,
    sources: refs,
    merged: only !== undefined && only.data === c.merged ? null : c.merged,
  };
  return JSON.stringify(slim);
}

/** Adds the declaration ids a slim document refers to into `into`. */
export function collectDeclarationIds(doc: SlimDoc, into: Set<string>): void {
  for (const s of doc.sources) if (typeof s === 'string') into.add(s);
}

/** Builds the source record of a `declarations` row. */
export function recordOf(row: DeclarationTuple): SourceRecord {
  const [declarationId, kind, submitterId, receivedAt, hash, data] = row;
  return { declarationId, kind, submitterId, receivedAt, hash, data: JSON.parse(data) as ConsignmentInput };
}

/**
 * Turns a slim document back into the complete consignment, in place (key order is kept), taking
 * referenced records from `records`. Throws when a referenced declaration is missing.
 */
export function rebuildConsignment(
  doc: SlimDoc,
  records: ReadonlyMap<string, SourceRecord>,
): StoredConsignment {
  const out = doc as unknown as StoredConsignment;
  const sources: SourceRecord[] = new Array<SourceRecord>(doc.sources.length);
  for (let i = 0; i < doc.sources.length; i++) {
    const s = doc.sources[i] as string | SourceRecord;
    if (typeof s !== 'string') {
      sources[i] = s;
      continue;
    }
    const record = records.get(s);
    if (record === undefined) throw new Error(`consignment ${doc.id} refers to missing declaration ${s}`);
    sources[i] = record;
  }
  out.sources = sources;
  if (doc.merged === null) {
    const only = sources[0];
    if (only === undefined) throw new Error(`consignment ${doc.id} has no source to rebuild merged from`);
    out.merged = only.data;
  }
  return out;
}

export type { ConsignmentRow } from '../port.js';

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

/** One `work_queue` row (a held consignment); `reasonIds` become its `work_queue_reasons` rows. */
export interface WorkQueueRow extends WorkQueueColumns {
  consignment: ConsignmentRow;
}

/** Everything one batch writes, as table rows in write order. */
export interface SqliteBatchRows {
  consignments: ConsignmentRow[];
  /** Held consignments among `consignments` (SQLite writes their work-queue rows itself; PostgreSQL by trigger). */
  workQueue: WorkQueueRow[];
  linkKeys: { key: string; consignmentId: string }[];
  versions: { consignmentId: string; version: number; doc: string }[];
  declarations: DeclarationRow[];
  events: EventRow[];
}

/**
 * Maps a stored consignment to its row, taking the summary columns from the document; a held
 * consignment's row also carries its work-queue columns (`queue`).
 */
export function consignmentRow(
  c: StoredConsignment,
  isStored: (r: SourceRecord) => boolean,
): ConsignmentRow & { queue: WorkQueueColumns | null } {
  const a = c.assessment;
  return {
    queue: workQueueColumns(c.state, a, c.informationOpen),
    id: c.id,
    version: c.version,
    state: c.state,
    lane: a.risk.lane,
    decision: a.decision,
    riskScore: a.risk.score,
    destination: c.merged.routing.destinationCountry,
    office: c.merged.routing.officeOfEntry ?? null,
    submitterId: c.submitterId,
    // The list, work queue and KPI read what is due now, as the response states it.
    dueAtBorder: dueAtBorderIn(c.state, a.revenue.dueAtBorder),
    currency: a.revenue.currency,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    doc: encodeConsignment(c, isStored),
  };
}

/** The `consignments` row of a fresh consignment (it carries every column). */
export function freshRow(c: FreshConsignment): ConsignmentRow {
  const {
    keys: _keys,
    archive: _archive,
    declarations: _declarations,
    events: _events,
    queue: _queue,
    ...row
  } = c;
  return row;
}

/** The work-queue columns of a fresh consignment: as prepared, else from its document (null when not held). */
export function freshQueue(c: FreshConsignment): WorkQueueColumns | null {
  if (c.queue !== undefined) return c.queue;
  return workQueueColumns(c.state, (JSON.parse(c.doc) as SlimDoc).assessment);
}

/** The `declarations` rows of a fresh consignment's records. */
export function freshDeclarationRows(c: FreshConsignment): DeclarationRow[] {
  return c.declarations.map((d) => ({
    id: d.declarationId,
    consignmentId: c.id,
    kind: d.kind,
    submitterId: d.submitterId,
    receivedAt: d.receivedAt,
    hash: d.hash,
    doc: d.json,
  }));
}

/** The records a batch writes to `declarations`: consignment documents may refer to them by id. */
export function declaredIn(writes: BatchWrites): (r: SourceRecord) => boolean {
  const declared = new Set<SourceRecord>();
  for (const d of writes.declarations) declared.add(d.record);
  return (r) => declared.has(r);
}

/**
 * Converts a batch's writes into the rows the SQLite adapter writes for it. `isStored` tells which
 * source records are already in `declarations` (default: those the batch itself declares).
 */
export function toBatchRows(
  writes: BatchWrites,
  isStored: (r: SourceRecord) => boolean = declaredIn(writes),
): SqliteBatchRows {
  const fresh = writes.fresh ?? [];
  const linkKeys: SqliteBatchRows['linkKeys'] = [];
  for (const c of fresh) for (const key of c.keys) linkKeys.push({ key, consignmentId: c.id });
  for (const c of writes.upserts) for (const key of c.keys) linkKeys.push({ key, consignmentId: c.id });
  const workQueue: WorkQueueRow[] = [];
  const consignments = fresh.map((c) => {
    const row = freshRow(c);
    const q = freshQueue(c);
    // Object.assign, not a spread then a new key: V8 gives each such spread object a hidden class of its own.
    if (q) workQueue.push(Object.assign({}, q, { consignment: row }));
    return row;
  });
  for (const c of writes.upserts) {
    const { queue, ...row } = consignmentRow(c, isStored);
    consignments.push(row);
    if (queue) workQueue.push(Object.assign({}, queue, { consignment: row }));
  }
  return {
    consignments,
    workQueue,
    linkKeys,
    versions: [
      ...fresh.flatMap((c) =>
        c.archive.map((v) => ({ consignmentId: c.id, version: v.version, doc: v.doc })),
      ),
      ...writes.archive.map((c) => ({
        consignmentId: c.id,
        version: c.version,
        doc: encodeConsignment(c, isStored),
      })),
    ],
    declarations: [
      ...fresh.flatMap(freshDeclarationRows),
      ...writes.declarations.map(({ consignmentId, record }) => ({
        id: record.declarationId,
        consignmentId,
        kind: record.kind,
        submitterId: record.submitterId,
        receivedAt: record.receivedAt,
        hash: record.hash,
        doc: JSON.stringify(record.data),
      })),
    ],
    events: [
      ...fresh.flatMap((c) =>
        c.events.map((e) => ({
          consignmentId: c.id,
          type: e.type,
          fromState: e.from,
          toState: e.to,
          at: e.at,
          actor: e.actor,
          reason: e.reason,
          data: e.data,
        })),
      ),
      ...writes.events.map((e) => ({
        consignmentId: creationRowGuard(e),
        type: e.type,
        fromState: e.from,
        toState: e.to,
        at: e.at,
        actor: e.actor,
        reason: e.reason ?? null,
        data: e.data === undefined ? null : JSON.stringify(e.data),
      })),
    ],
  };
}

/** An event's consignment id; throws for an event given the type of a creation row (see event-rows.ts). */
function creationRowGuard(e: ClearanceEvent): string {
  if (e.type === creationRowType)
    throw new Error(`an event cannot have the type of a creation row (${e.type})`);
  return e.consignmentId;
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
  /** Arguments submitter, consignment id, submitter (see contributors.ts). */
  contributor: contributorInsertSqlite,
  declaration: `INSERT INTO declarations (id, consignment_id, kind, submitter_id, received_at, hash, doc)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
  event: `INSERT INTO events (consignment_id, type, from_state, to_state, at, actor, reason, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  /** An event row at a given seq (the adapter assigns seqs itself: a creation row occupies several). */
  eventAt: `INSERT INTO events (seq, consignment_id, type, from_state, to_state, at, actor, reason, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  /** The highest seq ever given out (AUTOINCREMENT never reuses one). */
  eventTop: `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0),
    coalesce((SELECT max(seq) FROM events), 0))`,
  queueRow: `INSERT OR REPLACE INTO work_queue (consignment_id, state, lane, decision, risk_score, destination,
    office, submitter_id, due_at_border, currency, reasons, top_reason, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  queueReasonsClear: 'DELETE FROM work_queue_reasons WHERE consignment_id = ?',
  /** Arguments reason, created at, consignment id; the tier is its `work_queue` row's (written first). */
  queueReason: `INSERT OR IGNORE INTO work_queue_reasons (reason, priority, created_at, consignment_id)
    SELECT ?, w.priority, ?, w.consignment_id FROM work_queue w WHERE w.consignment_id = ?`,
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
  made.otherKeyOwner.pluck();
  made.eventTop.pluck();
  cache.set(db, made);
  return made;
}

/** A consignment row's cells in the column order of `consignments` (every writer binds them so). */
export function consignmentCells(r: ConsignmentRow): (string | number | null)[] {
  return [
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
  ];
}

function runConsignment(stmt: Database.Statement, r: ConsignmentRow): void {
  stmt.run(consignmentCells(r));
}

/** A declaration's cells in the column order of `declarations` (every writer binds them so). */
export function declarationCells(consignmentId: string, r: SourceRecord): (string | number | null)[] {
  return [
    r.declarationId,
    consignmentId,
    r.kind,
    r.submitterId,
    r.receivedAt,
    r.hash,
    JSON.stringify(r.data),
  ];
}

/** The tables a clearance batch writes, in the order their rows are inserted. */
export const clearanceTables = [
  'consignments',
  'link_keys',
  'declarations',
  'consignment_contributors',
  'consignment_versions',
  'events',
  'work_queue',
  'work_queue_reasons',
];

/** A held consignment's `work_queue` cells in column order (every writer binds them so). */
export function queueCells(
  r: Omit<ConsignmentRow, 'doc' | 'version'>,
  q: WorkQueueColumns,
): (string | number | null)[] {
  return [
    r.id,
    r.state,
    r.lane,
    r.decision,
    r.riskScore,
    r.destination,
    r.office,
    r.submitterId,
    r.dueAtBorder,
    r.currency,
    q.reasons,
    q.topReason,
    r.createdAt,
    r.updatedAt,
  ];
}

/**
 * Writes the work-queue rows of a held consignment (its row in `work_queue`, one row per distinct hit
 * in `work_queue_reasons`); `replace` first clears reasons an earlier version left.
 */
function writeQueue(
  s: Statements,
  r: Omit<ConsignmentRow, 'doc' | 'version'>,
  q: WorkQueueColumns,
  replace: boolean,
): void {
  s.queueRow.run(queueCells(r, q));
  if (replace) s.queueReasonsClear.run(r.id);
  for (const reason of q.reasonIds) s.queueReason.run(reason, r.createdAt, r.id);
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

/** Throws `store.key-conflict` when `key` already links a consignment other than `consignmentId`. */
function checkExclusive(s: Statements, key: string, consignmentId: string): void {
  const owner = s.otherKeyOwner.get(key, consignmentId) as string | undefined;
  if (owner === undefined) return;
  throw new ParcelgateError(
    'store.key-conflict',
    `link key ${key} already belongs to consignment ${owner}, not ${consignmentId}`,
    409,
    { key, owner, consignmentId },
  );
}

/**
 * Adapter write path (call inside a transaction): writes the batch straight from `writes`, without
 * building row objects, and returns the seq assigned to each event. Upserts consignments, adds their
 * link keys and, under the exclusive policy, throws `store.key-conflict` when a key belongs to another
 * consignment. Writes exactly the rows `toBatchRows(writes, isStored)` describes.
 */
export function writeBatch(
  db: Database.Database,
  writes: BatchWrites,
  keyPolicy: KeyPolicy,
  isStored: (r: SourceRecord) => boolean,
): number[] {
  const s = insertStatements(db);
  const exclusive = keyPolicy === 'exclusive';
  const fresh = writes.fresh ?? [];
  // Seqs are assigned here, from the highest given out (read once, when the first event is written).
  let top = -1;
  for (const c of fresh) {
    s.consignment.run(
      c.id,
      c.version,
      c.state,
      c.lane,
      c.decision,
      c.riskScore,
      c.destination,
      c.office,
      c.submitterId,
      c.dueAtBorder,
      c.currency,
      c.createdAt,
      c.updatedAt,
      c.doc,
    );
    const q = freshQueue(c);
    if (q !== null) writeQueue(s, c, q, false);
  }
  for (const c of fresh) {
    for (const key of c.keys) {
      if (exclusive) checkExclusive(s, key, c.id);
      s.linkKeyIfAbsent.run(key, c.id);
    }
  }
  for (const c of writes.upserts) {
    // The update trigger keeps the work queue of a consignment that existed; a held one is (re)written
    // here too, which covers the upserts that insert.
    const { queue, ...row } = consignmentRow(c, isStored);
    runConsignment(s.upsertConsignment, row);
    if (queue !== null) writeQueue(s, row, queue, true);
  }
  for (const c of writes.upserts) {
    for (const key of c.keys) {
      if (exclusive) checkExclusive(s, key, c.id);
      s.linkKeyIfAbsent.run(key, c.id);
    }
  }
  for (const c of writes.archive) s.version.run(c.id, c.version, encodeConsignment(c, isStored));
  for (const c of fresh) {
    for (const v of c.archive) s.version.run(c.id, v.version, v.doc);
    for (const d of c.declarations) {
      s.declaration.run(d.declarationId, c.id, d.kind, d.submitterId, d.receivedAt, d.hash, d.json);
    }
    for (const e of c.events) {
      const seq = (top = (top < 0 ? (s.eventTop.get() as number) : top) + eventSpan(e.type));
      s.eventAt.run(seq, c.id, e.type, e.from, e.to, e.at, e.actor, e.reason, e.data);
    }
  }
  for (const { consignmentId, record } of writes.declarations)
    s.declaration.run(declarationCells(consignmentId, record));
  for (const [who, id] of contributorPairs(writes)) s.contributor.run(who, id, who);
  const seqs: number[] = new Array<number>(writes.events.length);
  for (let i = 0; i < writes.events.length; i++) {
    const e = writes.events[i] as ClearanceEvent;
    if (e.type === creationRowType)
      throw new Error(`an event cannot have the type of a creation row (${e.type})`);
    const data = e.data === undefined ? null : JSON.stringify(e.data);
    const seq = (top = (top < 0 ? (s.eventTop.get() as number) : top) + eventSpan(e.type));
    s.eventAt.run(seq, e.consignmentId, e.type, e.from, e.to, e.at, e.actor, e.reason ?? null, data);
    seqs[i] = seq;
  }
  return seqs;
}

/**
 * Benchmark baseline: plain INSERTs of the same rows in one transaction, with the same schema and
 * indexes but without lookups, conflict checks or serialisation.
 */
export function rawInsertRows(db: Database.Database, rows: SqliteBatchRows): void {
  const s = insertStatements(db);
  db.transaction(() => {
    for (const r of rows.consignments) runConsignment(s.consignment, r);
    for (const q of rows.workQueue) writeQueue(s, q.consignment, q, false);
    for (const { key, consignmentId } of rows.linkKeys) s.linkKey.run(key, consignmentId);
    writeTail(s, rows);
  })();
}
