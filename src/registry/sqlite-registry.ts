/** The SQLite adapter of the registry store: a connection to the same file as the clearance store. */
import Database from 'better-sqlite3';
import { ParcelgateError, type ConsignmentInput } from '../domain/index.js';

import type {
  ConsignmentFact,
  DeclarationFact,
  FeedEvent,
  RegistryDoc,
  RegistryQuery,
  RegistryStore,
  RegistryWrite,
} from './port.js';
import { expandEventRows, type EventText } from '../store/event-rows.js';
import { openMigratedDatabase } from '../store/sqlite/sqlite-store.js';
import { reservationColumns, type ReservationRow } from '../store/guarantee-reservations.js';

/** Where the database is: the clearance store's file, or an in-memory database (tests). */
export type SqliteRegistryOptions = { file: string } | { memory: true };

interface DocRow {
  collection: string;
  id: string;
  owner: string | null;
  ref: string | null;
  at: string | null;
  version: number;
  seq: number;
  doc: string;
}

/** Parses a stored row into a document. */
export function docOf<T>(row: DocRow): RegistryDoc<T> {
  return { ...row, seq: Number(row.seq), doc: JSON.parse(row.doc) as T };
}

/** Throws `registry.conflict` unless the current version is the one the write expects. */
export function checkVersion(w: RegistryWrite, current: number | undefined): number {
  if (!w.collection || !w.id)
    throw new ParcelgateError('registry.invalid-write', 'a registry write needs a collection and an id', 500);
  if (w.expectVersion !== undefined && w.expectVersion !== (current ?? 0)) {
    throw new ParcelgateError(
      'registry.conflict',
      current === undefined
        ? `${w.collection} ${w.id} does not exist`
        : w.expectVersion === 0
          ? `${w.collection} ${w.id} already exists`
          : `${w.collection} ${w.id} changed since it was read (version ${current}, expected ${w.expectVersion})`,
      409,
      { collection: w.collection, id: w.id },
    );
  }
  return (current ?? 0) + 1;
}

/** Opens the registry store on a SQLite file (migrating it if needed) or in memory. */
export function openSqliteRegistry(opts: SqliteRegistryOptions): RegistryStore {
  return new SqliteRegistry(openMigratedDatabase(opts));
}

class SqliteRegistry implements RegistryStore {
  readonly kind = 'sqlite' as const;
  private readonly writeTx: Database.Transaction<(writes: readonly RegistryWrite[]) => RegistryDoc[]>;

  constructor(private readonly db: Database.Database) {
    const version = db.prepare('SELECT version FROM registry_docs WHERE collection = ? AND id = ?').pluck();
    const bump = db.prepare('UPDATE registry_counter SET n = n + 1 RETURNING n').pluck();
    const upsert = db.prepare(
      `INSERT INTO registry_docs (collection, id, owner, ref, at, version, seq, doc)
       VALUES (@collection, @id, @owner, @ref, @at, @version, @seq, @doc)
       ON CONFLICT (collection, id) DO UPDATE SET owner = excluded.owner, ref = excluded.ref,
         at = excluded.at, version = excluded.version, seq = excluded.seq, doc = excluded.doc`,
    );
    const remove = db.prepare('DELETE FROM registry_docs WHERE collection = ? AND id = ?');
    this.writeTx = db.transaction((writes: readonly RegistryWrite[]) =>
      writes.map((w) => {
        const v = checkVersion(w, version.get(w.collection, w.id) as number | undefined);
        if (w.remove) remove.run(w.collection, w.id);
        const row: DocRow = {
          collection: w.collection,
          id: w.id,
          owner: w.owner ?? null,
          ref: w.ref ?? null,
          at: w.at ?? null,
          version: v,
          seq: bump.get() as number,
          doc: JSON.stringify(w.doc),
        };
        if (!w.remove) upsert.run(row);
        return docOf(row);
      }),
    );
  }

  async write(writes: readonly RegistryWrite[]): Promise<RegistryDoc[]> {
    return this.writeTx.immediate(writes);
  }

  async get<T>(collection: string, id: string): Promise<RegistryDoc<T> | undefined> {
    const row = this.db
      .prepare('SELECT * FROM registry_docs WHERE collection = ? AND id = ?')
      .get(collection, id);
    return row === undefined ? undefined : docOf<T>(row as DocRow);
  }

  async find<T>(q: RegistryQuery): Promise<RegistryDoc<T>[]> {
    const where = ['collection = ?'];
    const params: unknown[] = [q.collection];
    if (q.owner !== undefined) {
      where.push('owner = ?');
      params.push(q.owner);
    }
    if (q.ref !== undefined) {
      where.push('ref = ?');
      params.push(q.ref);
    }
    if (q.atFrom !== undefined) {
      where.push('at >= ?');
      params.push(q.atFrom);
    }
    if (q.atTo !== undefined) {
      where.push('at < ?');
      params.push(q.atTo);
    }
    if (q.afterSeq !== undefined) {
      where.push('seq > ?');
      params.push(q.afterSeq);
    }
    params.push(q.limit ?? -1);
    const rows = this.db
      .prepare(
        `SELECT * FROM registry_docs WHERE ${where.join(' AND ')} ORDER BY seq ${q.newestFirst ? 'DESC' : ''} LIMIT ?`,
      )
      .all(...params) as DocRow[];
    return rows.map((r) => docOf<T>(r));
  }

  async clearanceEventsSince(afterSeq: number, limit: number): Promise<FeedEvent[]> {
    const rows = this.db
      .prepare(
        `SELECT e.seq, e.consignment_id AS consignmentId, e.type, e.from_state AS "from", e.to_state AS "to",
           e.at, e.actor, e.reason, e.data, c.submitter_id AS submitterId
         FROM events e JOIN consignments c ON c.id = e.consignment_id
         WHERE e.seq > ? ORDER BY e.seq LIMIT ?`,
      )
      .all(afterSeq, limit) as EventRow[];
    return expandEventRows(rows, afterSeq).slice(0, limit).map(feedEvent);
  }

  async declarations(q: {
    submitterId?: string;
    from: string;
    to: string;
    afterId?: string;
    limit: number;
  }): Promise<DeclarationFact[]> {
    const where = ['received_at >= ?', 'received_at < ?', 'id > ?'];
    const params: unknown[] = [q.from, q.to, q.afterId ?? ''];
    if (q.submitterId !== undefined) {
      where.push('submitter_id = ?');
      params.push(q.submitterId);
    }
    params.push(q.limit);
    const rows = this.db
      .prepare(
        `SELECT id, consignment_id, kind, submitter_id, received_at, hash, doc FROM declarations
         WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`,
      )
      .raw()
      .all(...params) as DeclarationTuple[];
    return rows.map(declarationFact);
  }

  async consignmentFacts(ids: readonly string[]): Promise<ConsignmentFact[]> {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id, json_array_length(c.doc, '$.sources') AS sourceCount,
           json_array_length(c.doc, '$.mismatches') AS mismatchCount,
           (SELECT min(e.at) FROM events e WHERE e.consignment_id = c.id AND e.type = 'consignment.arrived') AS arrivedAt
         FROM consignments c WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids)) as ConsignmentFact[];
    return rows.map((r) => ({
      ...r,
      sourceCount: Number(r.sourceCount),
      mismatchCount: Number(r.mismatchCount),
    }));
  }

  async guaranteeReservations(accounts?: readonly string[]): Promise<ReservationRow[]> {
    const rows = (
      accounts === undefined
        ? this.db.prepare(`SELECT ${reservationColumns} FROM guarantee_reservations r`).all()
        : this.db
            .prepare(
              `SELECT ${reservationColumns} FROM guarantee_reservations r
               WHERE r.account IN (SELECT value FROM json_each(?))`,
            )
            .all(JSON.stringify(accounts))
    ) as (Omit<ReservationRow, 'settled'> & { settled: number })[];
    return rows.map((r) => ({ ...r, settled: Number(r.settled) === 1 }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A raw event row joined with its consignment's submitter (both adapters). */
export interface EventRow extends EventText {
  seq: number | string;
  consignmentId: string;
  submitterId: string;
}

/** Maps a raw event row to a feed event. */
export function feedEvent({ seq, reason, data, ...rest }: EventRow): FeedEvent {
  const e: FeedEvent = { ...rest, seq: Number(seq) };
  if (reason !== null) e.reason = reason;
  if (data !== null) e.data = JSON.parse(data) as Record<string, unknown>;
  return e;
}

/** A raw declarations row: id, consignment, kind, submitter, received, hash, document. */
export type DeclarationTuple = [string, string, string, string, string, string, string];

/** Maps a raw declarations row to a fact. */
export function declarationFact(row: DeclarationTuple): DeclarationFact {
  const [declarationId, consignmentId, kind, submitterId, receivedAt, hash, doc] = row;
  return {
    declarationId,
    consignmentId,
    kind,
    submitterId,
    receivedAt,
    hash,
    data: JSON.parse(doc) as ConsignmentInput,
  };
}
