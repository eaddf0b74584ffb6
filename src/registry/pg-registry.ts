/** The PostgreSQL adapter of the registry store (same database and schema as the clearance store). */
import pg from 'pg';
import type {
  ConsignmentFact,
  DeclarationFact,
  FeedEvent,
  RegistryDoc,
  RegistryQuery,
  RegistryStore,
  RegistryWrite,
} from './port.js';
import {
  checkVersion,
  declarationFact,
  docOf,
  feedEvent,
  type DeclarationTuple,
  type EventRow,
} from './sqlite-registry.js';
import { expandEventRows } from '../store/event-rows.js';
import { openMigratedPool } from '../store/postgres/pool.js';
import { reservationColumns, type ReservationRow } from '../store/guarantee-reservations.js';

/** Connection URL, schema (default `public`) and pool size (default 4). */
export interface PgRegistryOptions {
  url: string;
  schema?: string;
  poolSize?: number;
}

/** Opens the registry store on PostgreSQL, migrating the schema first (idempotent). */
export async function openPgRegistry(opts: PgRegistryOptions): Promise<RegistryStore> {
  const pool = await openMigratedPool(opts, 4);
  return new PgRegistry(pool);
}

const docColumns = 'collection, id, owner, ref, at, version, seq::text AS seq, doc';

class PgRegistry implements RegistryStore {
  readonly kind = 'postgres' as const;
  private closed = false;
  constructor(private readonly pool: pg.Pool) {}

  async write(writes: readonly RegistryWrite[]): Promise<RegistryDoc[]> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        // The counter row lock orders registry writes: seq order is commit order.
        await client.query('SELECT n FROM registry_counter FOR UPDATE');
        const out: RegistryDoc[] = [];
        for (const w of writes) {
          const cur = await client.query<{ version: number }>(
            'SELECT version FROM registry_docs WHERE collection = $1 AND id = $2 FOR UPDATE',
            [w.collection, w.id],
          );
          const version = checkVersion(w, cur.rows[0]?.version);
          const seq = await client.query<{ n: string }>(
            'UPDATE registry_counter SET n = n + 1 RETURNING n::text AS n',
          );
          const row = {
            collection: w.collection,
            id: w.id,
            owner: w.owner ?? null,
            ref: w.ref ?? null,
            at: w.at ?? null,
            version,
            seq: Number(seq.rows[0]?.n),
            doc: JSON.stringify(w.doc),
          };
          if (w.remove) {
            await client.query('DELETE FROM registry_docs WHERE collection = $1 AND id = $2', [
              w.collection,
              w.id,
            ]);
            out.push(docOf(row));
            continue;
          }
          await client.query(
            `INSERT INTO registry_docs (collection, id, owner, ref, at, version, seq, doc)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (collection, id) DO UPDATE SET owner = excluded.owner, ref = excluded.ref,
               at = excluded.at, version = excluded.version, seq = excluded.seq, doc = excluded.doc`,
            [row.collection, row.id, row.owner, row.ref, row.at, row.version, row.seq, row.doc],
          );
          out.push(docOf(row));
        }
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch((e: unknown) => {
          broken = e instanceof Error ? e : new Error(String(e));
        });
        throw err;
      }
    } finally {
      client.release(broken);
    }
  }

  async get<T>(collection: string, id: string): Promise<RegistryDoc<T> | undefined> {
    const { rows } = await this.pool.query(
      `SELECT ${docColumns} FROM registry_docs WHERE collection = $1 AND id = $2`,
      [collection, id],
    );
    return rows[0] === undefined ? undefined : docOf<T>(rows[0]);
  }

  async find<T>(q: RegistryQuery): Promise<RegistryDoc<T>[]> {
    const params: unknown[] = [q.collection];
    const where = ['collection = $1'];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(`${sql} $${params.length}`);
    };
    if (q.owner !== undefined) add('owner =', q.owner);
    if (q.ref !== undefined) add('ref =', q.ref);
    if (q.atFrom !== undefined) add('at >=', q.atFrom);
    if (q.atTo !== undefined) add('at <', q.atTo);
    if (q.afterSeq !== undefined) add('seq >', q.afterSeq);
    params.push(q.limit ?? null);
    const { rows } = await this.pool.query(
      `SELECT ${docColumns} FROM registry_docs WHERE ${where.join(' AND ')}
       ORDER BY seq ${q.newestFirst ? 'DESC' : ''} LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => docOf<T>(r));
  }

  async clearanceEventsSince(afterSeq: number, limit: number): Promise<FeedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT e.seq::text AS seq, e.consignment_id AS "consignmentId", e.type, e.from_state AS "from",
         e.to_state AS "to", e.at, e.actor, e.reason, e.data, c.submitter_id AS "submitterId"
       FROM events e JOIN consignments c ON c.id = e.consignment_id
       WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`,
      [afterSeq, limit],
    );
    return expandEventRows(rows, afterSeq).slice(0, limit).map(feedEvent);
  }

  async declarations(q: {
    submitterId?: string;
    from: string;
    to: string;
    afterId?: string;
    limit: number;
  }): Promise<DeclarationFact[]> {
    const params: unknown[] = [q.from, q.to, q.afterId ?? '', q.limit];
    let extra = '';
    if (q.submitterId !== undefined) {
      params.push(q.submitterId);
      extra = ' AND submitter_id = $5';
    }
    const { rows } = await this.pool.query<DeclarationTuple>({
      text: `SELECT id, consignment_id, kind, submitter_id, received_at, hash, doc FROM declarations
        WHERE received_at >= $1 AND received_at < $2 AND id COLLATE "C" > $3${extra} ORDER BY id COLLATE "C" LIMIT $4`,
      values: params,
      rowMode: 'array',
    });
    return rows.map(declarationFact);
  }

  async consignmentFacts(ids: readonly string[]): Promise<ConsignmentFact[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<ConsignmentFact>(
      `SELECT c.id, json_array_length(c.doc::json -> 'sources') AS "sourceCount",
         json_array_length(c.doc::json -> 'mismatches') AS "mismatchCount",
         (SELECT min(e.at) FROM events e WHERE e.consignment_id = c.id AND e.type = 'consignment.arrived') AS "arrivedAt"
       FROM consignments c WHERE c.id = ANY($1::text[])`,
      [ids],
    );
    return rows.map((r) => ({
      ...r,
      sourceCount: Number(r.sourceCount),
      mismatchCount: Number(r.mismatchCount),
    }));
  }

  async guaranteeReservations(accounts?: readonly string[]): Promise<ReservationRow[]> {
    const { rows } =
      accounts === undefined
        ? await this.pool.query<Omit<ReservationRow, 'settled'> & { settled: number }>(
            `SELECT ${reservationColumns} FROM guarantee_reservations r`,
          )
        : await this.pool.query<Omit<ReservationRow, 'settled'> & { settled: number }>(
            `SELECT ${reservationColumns} FROM guarantee_reservations r WHERE r.account = ANY($1::text[])`,
            [[...accounts]],
          );
    return rows.map((r) => ({ ...r, settled: Number(r.settled) === 1 }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
