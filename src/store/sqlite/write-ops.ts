/**
 * A batch's writes as a flat list of statement runs ("ops"), so that a writer thread with its own
 * connection can commit a batch the main thread planned. Structured clone charges the receiving thread
 * per object property; a batch encoded here is two arrays (op codes, and their arguments as strings,
 * numbers and nulls), which it copies about as fast as the bytes they hold.
 *
 * `encodeWrites` issues the ops in exactly the order `writeBatch` (sqlite-rows.ts) runs its statements,
 * with the same arguments, so both write the same rows with the same rowids and seqs; `runOps` runs
 * them (inside a transaction) and returns the seqs of `writes.events`.
 */
import type Database from 'better-sqlite3';
import { ParcelgateError, type SourceRecord } from '../../domain/index.js';
import type { BatchWrites, ClearanceEvent, ConsignmentRow, GuaranteeWrites } from '../port.js';
import { releaseArgs, releaseLeftClaimsOfSqlite } from '../console/claims-tx.js';
import { writeGuaranteesSqlite } from '../guarantee-reservations.js';
import { creationRowType, eventSpan } from '../event-rows.js';
import { contributorPairs } from '../contributors.js';
import type { WorkQueueColumns } from '../work-queue-row.js';
import {
  consignmentCells,
  consignmentRow,
  declarationCells,
  encodeConsignment,
  freshQueue,
  insertStatements,
  queueCells,
  type KeyPolicy,
} from './sqlite-rows.js';

/** A cell of an op's arguments. */
export type OpCell = string | number | null;

/** A batch as ops: `ops[i]` is an op code, whose arguments follow each other in `args`. */
export interface WriteOps {
  ops: number[];
  args: OpCell[];
}

// Op codes and the number of arguments each takes from `args`.
const INSERT = 0; // consignment row, 14
const UPSERT = 1; // consignment row, 14
const QUEUE = 2; // work_queue row, 14
const QUEUE_CLEAR = 3; // consignment id, 1
const QUEUE_REASON = 4; // reason, created at, consignment id, 3
const KEY = 5; // key, consignment id, 2
const KEY_EXCLUSIVE = 6; // key, consignment id, 2: store.key-conflict when another owns it, then KEY
const VERSION = 7; // consignment id, version, doc, 3
const DECLARATION = 8; // id, consignment id, kind, submitter, received at, hash, doc, 7
const EVENT = 9; // consignment id, type, from, to, at, actor, reason, data, 8 (seq drawn here)
const EVENT_REPORTED = 10; // as EVENT, and its seq is returned
const CONTRIBUTOR = 11; // submitter, consignment id, 2 (see contributors.ts)
const GUARANTEES = 12; // the batch's guarantee writes as JSON, 1 (see guarantee-reservations.ts)
const CLAIM_LEFT = 13; // consignment id, at, reason, 3: its claim goes if it left the queue (claims-tx.ts)

function pushRow(a: OpCell[], r: ConsignmentRow): void {
  for (const cell of consignmentCells(r)) a.push(cell);
}

function pushQueue(
  o: WriteOps,
  r: Omit<ConsignmentRow, 'doc' | 'version'>,
  q: WorkQueueColumns,
  replace: boolean,
): void {
  o.ops.push(QUEUE);
  for (const cell of queueCells(r, q)) o.args.push(cell);
  if (replace) {
    o.ops.push(QUEUE_CLEAR);
    o.args.push(r.id);
  }
  for (const reason of q.reasonIds) {
    o.ops.push(QUEUE_REASON);
    o.args.push(reason, r.createdAt, r.id);
  }
}

/** The ops that write `writes` (see the module comment); `isStored` as for `writeBatch`. */
export function encodeWrites(
  writes: BatchWrites,
  keyPolicy: KeyPolicy,
  isStored: (r: SourceRecord) => boolean,
): WriteOps {
  const o: WriteOps = { ops: [], args: [] };
  const { ops, args } = o;
  const keyOp = keyPolicy === 'exclusive' ? KEY_EXCLUSIVE : KEY;
  const fresh = writes.fresh ?? [];
  for (const c of fresh) {
    ops.push(INSERT);
    pushRow(args, c);
    const q = freshQueue(c);
    if (q !== null) pushQueue(o, c, q, false);
  }
  for (const c of fresh) {
    for (const key of c.keys) {
      ops.push(keyOp);
      args.push(key, c.id);
    }
  }
  for (const c of writes.upserts) {
    const { queue, ...row } = consignmentRow(c, isStored);
    ops.push(UPSERT);
    pushRow(args, row);
    if (queue !== null) pushQueue(o, row, queue, true);
  }
  for (const c of writes.upserts) {
    for (const key of c.keys) {
      ops.push(keyOp);
      args.push(key, c.id);
    }
  }
  for (const c of writes.archive) {
    ops.push(VERSION);
    args.push(c.id, c.version, encodeConsignment(c, isStored));
  }
  for (const c of fresh) {
    for (const v of c.archive) {
      ops.push(VERSION);
      args.push(c.id, v.version, v.doc);
    }
    for (const d of c.declarations) {
      ops.push(DECLARATION);
      args.push(d.declarationId, c.id, d.kind, d.submitterId, d.receivedAt, d.hash, d.json);
    }
    for (const e of c.events) {
      ops.push(EVENT);
      args.push(c.id, e.type, e.from, e.to, e.at, e.actor, e.reason, e.data);
    }
  }
  for (const { consignmentId, record } of writes.declarations) {
    ops.push(DECLARATION);
    for (const cell of declarationCells(consignmentId, record)) args.push(cell);
  }
  for (const [who, id] of contributorPairs(writes)) {
    ops.push(CONTRIBUTOR);
    args.push(who, id);
  }
  for (const e of writes.events as ClearanceEvent[]) {
    if (e.type === creationRowType)
      throw new Error(`an event cannot have the type of a creation row (${e.type})`);
    ops.push(EVENT_REPORTED);
    args.push(
      e.consignmentId,
      e.type,
      e.from,
      e.to,
      e.at,
      e.actor,
      e.reason ?? null,
      e.data === undefined ? null : JSON.stringify(e.data),
    );
  }
  // After the rows, as `SqliteStore` runs them: the reservations, then the claims of parcels that left.
  if (writes.guarantee) {
    ops.push(GUARANTEES);
    args.push(JSON.stringify(writes.guarantee));
  }
  for (const [id, at, reason] of releaseArgs(writes)) {
    ops.push(CLAIM_LEFT);
    args.push(id, at, reason);
  }
  if (writes.claimCheck) throw new Error('a claim check is made in the calling thread, not by the writer');
  return o;
}

const str = (c: OpCell | undefined): string => c as string;

// Binds the 14 cells from `i` (a consignment row, or a work-queue row) without copying them out.
function run14(stmt: Database.Statement, a: readonly OpCell[], i: number): void {
  stmt.run(
    a[i],
    a[i + 1],
    a[i + 2],
    a[i + 3],
    a[i + 4],
    a[i + 5],
    a[i + 6],
    a[i + 7],
    a[i + 8],
    a[i + 9],
    a[i + 10],
    a[i + 11],
    a[i + 12],
    a[i + 13],
  );
}

/**
 * Runs `ops` on `db` (call inside a transaction) and returns the seqs drawn for the reported events
 * (`writes.events`), in order. Throws `store.key-conflict` as `writeBatch` does.
 */
export function runOps(db: Database.Database, w: WriteOps): number[] {
  const s = insertStatements(db);
  const { ops, args: a } = w;
  const seqs: number[] = [];
  // The claim releases (the last ops), run together: one probe for claims, then only the claimed.
  const left: [string, string, string][] = [];
  let top = -1;
  let i = 0;
  for (const op of ops) {
    switch (op) {
      case INSERT:
      case UPSERT:
        run14(op === INSERT ? s.consignment : s.upsertConsignment, a, i);
        i += 14;
        break;
      case QUEUE:
        run14(s.queueRow, a, i);
        i += 14;
        break;
      case QUEUE_CLEAR:
        s.queueReasonsClear.run(a[i]);
        i += 1;
        break;
      case QUEUE_REASON:
        s.queueReason.run(a[i], a[i + 1], a[i + 2]);
        i += 3;
        break;
      case KEY_EXCLUSIVE: {
        const owner = s.otherKeyOwner.get(a[i], a[i + 1]) as string | undefined;
        if (owner !== undefined) {
          const key = str(a[i]);
          const consignmentId = str(a[i + 1]);
          throw new ParcelgateError(
            'store.key-conflict',
            `link key ${key} already belongs to consignment ${owner}, not ${consignmentId}`,
            409,
            { key, owner, consignmentId },
          );
        }
        s.linkKeyIfAbsent.run(a[i], a[i + 1]);
        i += 2;
        break;
      }
      case KEY:
        s.linkKeyIfAbsent.run(a[i], a[i + 1]);
        i += 2;
        break;
      case VERSION:
        s.version.run(a[i], a[i + 1], a[i + 2]);
        i += 3;
        break;
      case DECLARATION:
        s.declaration.run(a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6]);
        i += 7;
        break;
      case CONTRIBUTOR:
        s.contributor.run(a[i], a[i + 1], a[i]);
        i += 2;
        break;
      case EVENT:
      case EVENT_REPORTED: {
        const seq = (top = (top < 0 ? (s.eventTop.get() as number) : top) + eventSpan(str(a[i + 1])));
        s.eventAt.run(seq, a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7]);
        if (op === EVENT_REPORTED) seqs.push(seq);
        i += 8;
        break;
      }
      case GUARANTEES:
        writeGuaranteesSqlite(db, JSON.parse(str(a[i])) as GuaranteeWrites);
        i += 1;
        break;
      case CLAIM_LEFT:
        left.push([str(a[i]), str(a[i + 1]), str(a[i + 2])]);
        i += 3;
        break;
      default:
        throw new Error(`unknown write op ${op}`);
    }
  }
  releaseLeftClaimsOfSqlite(db, left);
  return seqs;
}
