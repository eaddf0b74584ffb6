/**
 * The SQLite batch writer thread: a worker with its own connection that commits batches the main
 * thread planned, so the main thread prepares the next batch while one commits (WAL lets the main
 * connection read meanwhile). A request is committed only when the batch's lookup, repeated inside the
 * writer's write transaction, finds exactly the documents the plan was made against; otherwise nothing
 * is written and the documents found come back to be planned against (see sqlite-store.ts).
 */
import { Worker } from 'node:worker_threads';
import { ParcelgateError } from '../../domain/index.js';
import type { WriterReply, WriterRequest } from './writer-protocol.js';

/**
 * What a request came to: committed with these seqs (`lookedUp`: the writer repeated the lookup), or
 * not written because the lookup found `found` (read after request `readAfter`).
 */
export type WriterOutcome =
  { seqs: number[]; lookedUp: boolean } | { found: string[]; fingerprint: string; readAfter: number };

/** A started writer thread. */
export interface WriterThread {
  /** Sends one batch; requests are handled one at a time, in order. */
  commit(req: Omit<WriterRequest, 'id'>): Promise<WriterOutcome>;
  /**
   * For a read on another connection made now: the request it reads after (every request sent has
   * been answered, the last being this one), or -1 while one is in flight.
   */
  readPoint(): number;
  /** Batches committed, and of those the ones whose lookup the writer could skip. */
  counts(): { committed: number; lookupsSkipped: number };
  /** Closes the writer's connection once the requests sent so far are answered. */
  close(): Promise<void>;
}

/** Starts a writer thread on `file` (which must exist and be migrated). */
export function startWriterThread(file: string, opts: { autoCheckpoint: boolean }): WriterThread {
  const worker = new Worker(new URL('./writer-worker.js', import.meta.url), {
    workerData: { file, autoCheckpoint: opts.autoCheckpoint },
    // A received batch (its strings) stays alive until it is written: a young generation that holds
    // it spares the collector copying it (docs/performance.md).
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
  const pending = new Map<number, { resolve: (o: WriterOutcome) => void; reject: (e: Error) => void }>();
  let next = 0;
  let answered = 0;
  let committed = 0;
  let lookupsSkipped = 0;
  let failed: Error | undefined;
  let closed: (() => void) | undefined;
  const failAll = (e: Error): void => {
    failed ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (m: WriterReply | { closed: true }) => {
    if ('closed' in m) {
      closed?.();
      return;
    }
    answered = m.id;
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if ('error' in m) {
      const e = m.error;
      if (e.code !== undefined) p.reject(new ParcelgateError(e.code, e.message, e.status, e.details));
      else p.reject(Object.assign(new Error(e.message), e.sqliteCode ? { code: e.sqliteCode } : {}));
    } else if ('seqs' in m) {
      committed += 1;
      if (!m.lookedUp) lookupsSkipped += 1;
      p.resolve({ seqs: m.seqs, lookedUp: m.lookedUp });
    } else p.resolve({ found: m.found, fingerprint: m.fingerprint, readAfter: m.id });
  });
  worker.on('error', (e) => failAll(new Error(`the SQLite writer thread failed: ${e.message}`)));
  worker.on('exit', () => {
    failAll(new Error('the SQLite writer thread exited'));
    closed?.();
  });
  // An idle writer never keeps the process alive; one with requests outstanding does.
  worker.unref();
  return {
    readPoint: () => (answered === next ? answered : -1),
    counts: () => ({ committed, lookupsSkipped }),
    commit(req) {
      if (failed) return Promise.reject(failed);
      const id = ++next;
      return new Promise<WriterOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.ref();
        worker.postMessage({ ...req, id });
      });
    },
    async close() {
      if (failed) return;
      worker.ref();
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
