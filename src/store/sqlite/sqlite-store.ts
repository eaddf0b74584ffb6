/** The embedded SQLite adapter of the store port (better-sqlite3, WAL, one transaction per batch). */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SourceRecord } from '../../domain/index.js';
import type {
  BatchWrites,
  ClearanceEvent,
  ClearanceStore,
  StoreStats,
  StoredConsignment,
  TransactOptions,
} from '../port.js';
import { SqliteConsoleStore } from '../console/sqlite-console.js';
import { checkClaimSqlite, releaseLeftClaimsSqlite } from '../console/claims-tx.js';
import { writeGuaranteesSqlite } from '../guarantee-reservations.js';
import { expandEventRows, logicalEventCountSql, type EventText } from '../event-rows.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { configureConnection } from './connection.js';
import { ListRunner } from './list-query.js';
import { applyMigrations } from './migrations.js';
import { encodeWrites } from './write-ops.js';
import { foundFingerprint, lookupDocsSql } from './writer-protocol.js';
import { startWriterThread, type WriterThread } from './writer-thread.js';
import {
  collectDeclarationIds,
  declaredIn,
  rebuildConsignment,
  recordOf,
  writeBatch,
  type DeclarationTuple,
  type KeyPolicy,
  type SlimDoc,
} from './sqlite-rows.js';

/**
 * Where the database lives (a data directory with `parcelgate.db` inside, an explicit file, or memory)
 * and the link-key policy (default `shared`: a key such as an order id may link several parcels, the
 * pipeline decides which records belong together; `exclusive` makes a second owner `store.key-conflict`).
 */
export type SqliteStoreOptions = ({ dataDir: string } | { file: string } | { memory: true }) & {
  keyPolicy?: KeyPolicy;
  /**
   * Copy committed WAL pages into the database on a worker thread instead of inside the commits
   * (see checkpointer.ts); default true for files.
   */
  backgroundCheckpoints?: boolean;
  /**
   * Commit speculative batches (`transact` with `speculative`, what `submitBatch` uses) on a writer
   * thread with its own connection, so the calling thread prepares the next batch meanwhile (see
   * writer-thread.ts); files only, default false. Other transactions stay on the calling thread.
   */
  writerThread?: boolean;
};

/** File name of the database inside a data directory. */
export const sqliteFileName = 'parcelgate.db';

interface EventDbRow extends EventText {
  seq: number;
  consignmentId: string;
}

/** Resolves the database file for the options; creates the data directory (with parents) when needed. */
export function sqliteFilePath(opts: SqliteStoreOptions): string {
  if ('memory' in opts) return ':memory:';
  if ('file' in opts) {
    fs.mkdirSync(path.dirname(path.resolve(opts.file)), { recursive: true });
    return opts.file;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  return path.join(opts.dataDir, sqliteFileName);
}

export { configureConnection };

/**
 * Opens a connection to the database of `opts`, configured and migrated (every store of parcelgate
 * shares the one migration list and file, each with a connection of its own).
 */
export function openMigratedDatabase(opts: SqliteStoreOptions): Database.Database {
  const db = new Database(sqliteFilePath(opts));
  try {
    configureConnection(db);
    applyMigrations(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Opens (creating and migrating as needed) a SQLite clearance store. */
export function openSqliteStore(opts: SqliteStoreOptions): ClearanceStore {
  const db = openMigratedDatabase(opts);
  const checkpointer =
    'memory' in opts || opts.backgroundCheckpoints === false ? undefined : startCheckpointer(db, db.name);
  const writer =
    'memory' in opts || opts.writerThread !== true
      ? undefined
      : startWriterThread(db.name, { autoCheckpoint: checkpointer === undefined });
  return new SqliteStore(db, opts.keyPolicy ?? 'shared', checkpointer, writer);
}

class SqliteStore implements ClearanceStore {
  readonly kind = 'sqlite' as const;
  readonly console: SqliteConsoleStore;
  private readonly lists: ListRunner;
  private readonly findStmt: Database.Statement;
  private readonly getStmt: Database.Statement;
  private readonly eventsStmt: Database.Statement;
  private readonly historyStmt: Database.Statement;
  private readonly declarationsStmt: Database.Statement;
  /**
   * Source records this store read from, or committed to, `declarations`: documents written later refer
   * to them by declaration id. Records are treated as immutable once stored.
   */
  private readonly storedRecords = new WeakSet<SourceRecord>();
  private readonly batch: <T>(
    lookup: { keys: string[]; ids: string[] },
    plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
  ) => T;

  readonly commitsInBackground: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly keyPolicy: KeyPolicy,
    /** Set for files: checkpoints run on a worker thread, not inside commits. */
    readonly checkpointer?: Checkpointer,
    /** Set when speculative batches commit on a writer thread. */
    private readonly writer?: WriterThread,
  ) {
    this.commitsInBackground = writer !== undefined;
    this.lists = new ListRunner(db);
    this.console = new SqliteConsoleStore(db);
    // json_each takes the whole lookup list as one parameter, so a 30,000-key batch is one query.
    this.findStmt = db.prepare(lookupDocsSql).pluck();
    this.getStmt = db.prepare('SELECT doc FROM consignments WHERE id = ?').pluck();
    this.eventsStmt = db.prepare(
      `SELECT seq, consignment_id AS consignmentId, type, from_state AS "from", to_state AS "to", at, actor,
         reason, data FROM events WHERE consignment_id = ? ORDER BY seq`,
    );
    this.historyStmt = db
      .prepare('SELECT doc FROM consignment_versions WHERE consignment_id = ? ORDER BY version')
      .pluck();
    this.declarationsStmt = db
      .prepare(
        `SELECT id, kind, submitter_id, received_at, hash, doc FROM declarations
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
    const run = db.transaction(
      <T>(
        lookup: { keys: string[]; ids: string[] },
        plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
      ): { writes: BatchWrites; result: T } => {
        const planned = plan(this.find(lookup));
        const writes = planned.writes;
        if (writes.claimCheck) checkClaimSqlite(db, writes.claimCheck);
        const declared = declaredIn(writes);
        const isStored = (r: SourceRecord): boolean => declared(r) || this.storedRecords.has(r);
        const seqs = writeBatch(db, writes, keyPolicy, isStored);
        if (writes.guarantee) writeGuaranteesSqlite(db, writes.guarantee);
        releaseLeftClaimsSqlite(db, writes);
        writes.events.forEach((e, i) => {
          e.seq = seqs[i];
        });
        return planned;
      },
    );
    // IMMEDIATE takes the write lock before the lookup, so what plan saw cannot change before COMMIT.
    this.batch = <T>(
      lookup: { keys: string[]; ids: string[] },
      plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
    ): T => {
      const { writes, result } = run.immediate(lookup, plan) as { writes: BatchWrites; result: T };
      this.checkpointer?.committed();
      for (const d of writes.declarations) this.storedRecords.add(d.record);
      return result;
    };
  }

  private find(lookup: { keys: string[]; ids: string[] }): StoredConsignment[] {
    return this.rebuild(this.findDocs(lookup));
  }

  private findDocs(lookup: { keys: string[]; ids: string[] }): string[] {
    if (lookup.keys.length === 0 && lookup.ids.length === 0) return [];
    return this.findStmt.all(JSON.stringify(lookup.keys), JSON.stringify(lookup.ids)) as string[];
  }

  /** Parses slim documents and re-attaches their source records with one query for all of them. */
  private rebuild(texts: string[]): StoredConsignment[] {
    if (texts.length === 0) return [];
    const docs = texts.map((t) => JSON.parse(t) as SlimDoc);
    const ids = new Set<string>();
    for (const d of docs) collectDeclarationIds(d, ids);
    const records = new Map<string, SourceRecord>();
    if (ids.size > 0) {
      for (const row of this.declarationsStmt.all(JSON.stringify([...ids])) as DeclarationTuple[]) {
        const record = recordOf(row);
        this.storedRecords.add(record);
        records.set(record.declarationId, record);
      }
    }
    return docs.map((d) => rebuildConsignment(d, records));
  }

  async transact<T>(
    lookup: { keys: string[]; ids: string[] },
    plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
    opts?: TransactOptions,
  ): Promise<T> {
    if (this.writer !== undefined && opts?.speculative === true) return this.onWriter(lookup, plan);
    return this.batch(lookup, plan);
  }

  /**
   * A speculative batch on the writer thread: planned first as if the lookup found nothing, then, each
   * time the writer's lookup (inside its write transaction) finds other documents than the plan was
   * made against, planned again against those. The writer commits only a plan whose documents it found.
   */
  private async onWriter<T>(
    lookup: { keys: string[]; ids: string[] },
    plan: (found: StoredConsignment[]) => { writes: BatchWrites; result: T },
  ): Promise<T> {
    const writer = this.writer as WriterThread;
    // Read on this connection: every batch committed before this one is visible to it.
    let readAfter = writer.readPoint();
    const docs = this.findDocs(lookup);
    let found = this.rebuild(docs);
    let expect = foundFingerprint(docs);
    for (;;) {
      const { writes, result } = plan(found);
      const declared = declaredIn(writes);
      const isStored = (r: SourceRecord): boolean => declared(r) || this.storedRecords.has(r);
      const ops = encodeWrites(writes, this.keyPolicy, isStored);
      const outcome = await writer.commit({ keys: lookup.keys, ids: lookup.ids, expect, readAfter, ...ops });
      if ('seqs' in outcome) {
        const seqs = outcome.seqs;
        writes.events.forEach((e, i) => {
          e.seq = seqs[i];
        });
        this.checkpointer?.committed();
        for (const d of writes.declarations) this.storedRecords.add(d.record);
        return result;
      }
      found = this.rebuild(outcome.found);
      expect = outcome.fingerprint;
      readAfter = outcome.readAfter;
    }
  }

  async get(id: string): Promise<StoredConsignment | undefined> {
    const doc = this.getStmt.get(id) as string | undefined;
    return doc === undefined ? undefined : this.rebuild([doc])[0];
  }

  async list(query: Parameters<ClearanceStore['list']>[0]): ReturnType<ClearanceStore['list']> {
    return this.lists.run(query);
  }

  async events(consignmentId: string): Promise<ClearanceEvent[]> {
    const rows = expandEventRows(this.eventsStmt.all(consignmentId) as EventDbRow[]);
    return rows.map(({ reason, data, ...rest }) => {
      const event: ClearanceEvent = { ...rest };
      if (reason !== null) event.reason = reason;
      if (data !== null) event.data = JSON.parse(data) as Record<string, unknown>;
      return event;
    });
  }

  async history(consignmentId: string): Promise<StoredConsignment[]> {
    return this.rebuild(this.historyStmt.all(consignmentId) as string[]);
  }

  async stats(): Promise<StoreStats> {
    const count = (sql: string): number => this.db.prepare(sql).pluck().get() as number;
    const grouped = (column: string): Record<string, number> => {
      const rows = this.db
        .prepare(`SELECT ${column} AS k, count(*) AS n FROM consignments GROUP BY ${column}`)
        .all() as { k: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.k, r.n]));
    };
    return {
      consignments: count('SELECT count(*) FROM consignments'),
      byState: grouped('state'),
      byLane: grouped('lane'),
      events: count(`SELECT ${logicalEventCountSql} FROM events`),
    };
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.writer?.close();
    await this.checkpointer?.close();
    if (!this.db.open) return;
    this.db.pragma('optimize');
    this.db.close();
  }
}
