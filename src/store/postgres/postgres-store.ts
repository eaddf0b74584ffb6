/** The PostgreSQL adapter of the store port (pg.Pool, one transaction per batch, row locks on link keys). */
import pg from 'pg';
import type { SourceRecord } from '../../domain/index.js';
import {
  collectDeclarationIds,
  declaredIn,
  rebuildConsignment,
  recordOf,
  type DeclarationTuple,
  type KeyPolicy,
  type SlimDoc,
} from '../sqlite/sqlite-rows.js';
import type { BatchWrites, ClearanceEvent, ClearanceStore, StoreStats, StoredConsignment } from '../port.js';
import { PgConsoleStore } from '../console/pg-console.js';
import { checkClaimPg, releaseLeftClaimsPg } from '../console/claims-tx.js';
import { writeGuaranteesPg } from '../guarantee-reservations.js';
import { expandEventRows, type EventText } from '../event-rows.js';
import { listConsignments, storeStats } from './pg-list.js';
import { keyList, lockKeys, writeBatch } from './pg-writes.js';
import { openMigratedPool } from './pool.js';

/**
 * Where the database is (`url`), which schema holds the tables (default `public`), the link-key policy
 * (default `shared`, as SQLite) and the pool size (default 10 connections).
 */
export interface PostgresStoreOptions {
  url: string;
  schema?: string;
  keyPolicy?: KeyPolicy;
  poolSize?: number;
}

/** How many times a batch is tried when PostgreSQL reports a serialization failure or a deadlock. */
export const maxBatchAttempts = 5;

/** SQLSTATEs after which the whole batch is retried: serialization_failure, deadlock_detected. */
const retryable = new Set(['40001', '40P01']);

interface EventDbRow extends EventText {
  seq: string;
  consignmentId: string;
}

const sql = {
  get: 'SELECT doc FROM consignments WHERE id = $1',
  declarations: `SELECT id, kind, submitter_id, received_at, hash, doc FROM declarations
    WHERE id = ANY($1::text[])`,
  events: `SELECT seq::text AS seq, consignment_id AS "consignmentId", type, from_state AS "from",
      to_state AS "to", at, actor, reason, data
    FROM events WHERE consignment_id = $1 ORDER BY events.seq`,
  history: 'SELECT doc FROM consignment_versions WHERE consignment_id = $1 ORDER BY version',
} as const;

/** Whether an error is a PostgreSQL error whose SQLSTATE means "try the transaction again". */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retryable.has(code);
}

/** Opens a PostgreSQL clearance store: migrates `schema` (idempotent, under an advisory lock), then pools. */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<ClearanceStore> {
  const pool = await openMigratedPool(opts, 10);
  return new PostgresStore(pool, opts.keyPolicy ?? 'shared');
}

class PostgresStore implements ClearanceStore {
  readonly kind = 'postgres' as const;
  private closed = false;
  /** Source records read from, or committed to, `declarations`: documents refer to them by id. */
  private readonly storedRecords = new WeakSet<SourceRecord>();
  readonly console: PgConsoleStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly keyPolicy: KeyPolicy,
  ) {
    this.console = new PgConsoleStore(pool);
  }

  async transact<T>(
    lookup: { keys: string[]; ids: string[] },
    plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(lookup, plan);
      } catch (err) {
        if (!isRetryable(err) || attempt >= maxBatchAttempts) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * One try of a batch: lock the keys (learning which were seen before), look up the consignments
   * owning the seen ones (locking their rows), plan, write, commit. Keys never seen own nothing, so a
   * batch of new parcels does no lookup at all.
   */
  private async attempt<T>(
    lookup: { keys: string[]; ids: string[] },
    plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const keys = [...new Set(lookup.keys)];
        const seen = await lockKeys(client, keys);
        const found = await this.find(client, seen, lookup.ids);
        const { writes, result } = plan(found);
        // An officer decision's claim check, under the consignment row lock `find` took.
        if (writes.claimCheck) await checkClaimPg(client, writes.claimCheck);
        const declared = declaredIn(writes);
        const isStored = (r: SourceRecord): boolean => declared(r) || this.storedRecords.has(r);
        const seqs = await writeBatch(client, writes, this.keyPolicy, isStored, {
          locked: new Set(keys),
          seen: new Set(seen),
        });
        if (writes.guarantee) await writeGuaranteesPg(client, writes.guarantee);
        await releaseLeftClaimsPg(client, writes);
        await client.query('COMMIT');
        writes.events.forEach((e, i) => {
          e.seq = seqs[i];
        });
        for (const d of writes.declarations) this.storedRecords.add(d.record);
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
          broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
        });
        throw err;
      }
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: the pool discards it.
      client.release(broken);
    }
  }

  /** The consignments owning any of `keys` or with any of `ids`, their rows locked, in id order. */
  private async find(client: pg.ClientBase, keys: string[], ids: string[]): Promise<StoredConsignment[]> {
    if (keys.length === 0 && ids.length === 0) return [];
    const params: unknown[] = [];
    const byKey = keyList(keys, params);
    const byId = keyList(ids, params);
    const { rows } = await client.query<{ doc: string }>(
      `SELECT doc FROM consignments WHERE id IN (
         SELECT consignment_id FROM link_keys WHERE key = ANY(${byKey}) UNION SELECT unnest(${byId}))
       ORDER BY id FOR UPDATE`,
      params,
    );
    return this.rebuild(
      client,
      rows.map((r) => r.doc),
    );
  }

  /** Parses slim documents and re-attaches their source records with one query for all of them. */
  private async rebuild(client: pg.ClientBase | pg.Pool, texts: string[]): Promise<StoredConsignment[]> {
    if (texts.length === 0) return [];
    const docs = texts.map((t) => JSON.parse(t) as SlimDoc);
    const ids = new Set<string>();
    for (const d of docs) collectDeclarationIds(d, ids);
    const records = new Map<string, SourceRecord>();
    if (ids.size > 0) {
      const { rows } = await client.query<DeclarationTuple>({
        text: sql.declarations,
        values: [[...ids]],
        rowMode: 'array',
      });
      for (const row of rows) {
        const record = recordOf(row);
        this.storedRecords.add(record);
        records.set(record.declarationId, record);
      }
    }
    return docs.map((d) => rebuildConsignment(d, records));
  }

  async get(id: string): Promise<StoredConsignment | undefined> {
    const { rows } = await this.pool.query<{ doc: string }>(sql.get, [id]);
    const doc = rows[0]?.doc;
    return doc === undefined ? undefined : (await this.rebuild(this.pool, [doc]))[0];
  }

  async list(query: Parameters<ClearanceStore['list']>[0]): ReturnType<ClearanceStore['list']> {
    return listConsignments(this.pool, query);
  }

  async events(consignmentId: string): Promise<ClearanceEvent[]> {
    const { rows } = await this.pool.query<EventDbRow>(sql.events, [consignmentId]);
    return expandEventRows(rows).map(({ seq, reason, data, ...rest }) => {
      const event: ClearanceEvent = { seq, ...rest };
      if (reason !== null) event.reason = reason;
      if (data !== null) event.data = JSON.parse(data) as Record<string, unknown>;
      return event;
    });
  }

  async history(consignmentId: string): Promise<StoredConsignment[]> {
    const { rows } = await this.pool.query<{ doc: string }>(sql.history, [consignmentId]);
    return this.rebuild(
      this.pool,
      rows.map((r) => r.doc),
    );
  }

  async stats(): Promise<StoreStats> {
    return storeStats(this.pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
