/**
 * Background checkpointing for the SQLite writer. In WAL mode a commit appends pages to the WAL; a
 * checkpoint later copies them into the database file and fsyncs both files. SQLite normally runs the
 * checkpoint inside the commit that crosses 1,000 WAL pages, on the writer's thread, where it cost
 * the batch path about 6 µs of CPU per consignment plus two fsyncs (10-25 ms) every one or two
 * batches. The writer's connection instead turns automatic checkpoints off and, after each commit,
 * asks a worker thread with its own connection to run a PASSIVE checkpoint, which never blocks the
 * writer. Durability is unchanged: a commit is in the WAL when it returns (synchronous=NORMAL), and
 * SQLite's checkpoint is crash-safe at any moment. Should the checkpointer fall behind so far that
 * the WAL passes `walLimitBytes`, the writer checkpoints itself, as SQLite would have.
 */
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** A started checkpointer for one database file. */
export interface Checkpointer {
  /** Tells the checkpointer a transaction committed (call after each commit). */
  committed(): void;
  /**
   * Resolves once every commit so far has been checkpointed, with the WAL frames the last checkpoint
   * could not copy (-1 when it failed).
   */
  settled(): Promise<number>;
  /** Stops the worker (the writer's own close then checkpoints what is left). */
  close(): Promise<void>;
}

/** WAL size beyond which the writer checkpoints itself. */
export const walLimitBytes = 256 * 1024 * 1024;

/**
 * Starts a checkpointer for `file` and turns off automatic checkpoints on `writer` (the connection that
 * commits batches). The WAL file is kept at or below 64 MiB once checkpoints catch up.
 */
export function startCheckpointer(writer: Database.Database, file: string): Checkpointer {
  writer.pragma('wal_autocheckpoint = 0');
  writer.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: { file } });
  let stopped = false;
  let requested = 0;
  let answered = 0;
  let left = 0;
  let waiters: (() => void)[] = [];
  let closed: (() => void) | undefined;
  worker.on('message', (m: { covers?: number; left?: number; closed?: boolean }) => {
    if (m.closed) {
      closed?.();
      return;
    }
    answered = Math.max(answered, m.covers ?? 0);
    left = m.left ?? 0;
    if (answered < requested) return;
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  });
  worker.on('error', () => {
    // Without the worker the writer checkpoints itself again.
    if (!stopped && writer.open) writer.pragma('wal_autocheckpoint = 1000');
    stopped = true;
  });
  worker.on('exit', () => {
    // Gone unasked: the writer checkpoints itself again. Whatever waits for the worker stops waiting.
    if (!stopped && writer.open) writer.pragma('wal_autocheckpoint = 1000');
    stopped = true;
    closed?.();
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  });
  // After the listeners (adding one refs the worker again): an open store never keeps the process alive.
  worker.unref();
  let commits = 0;
  const wal = `${file}-wal`;
  return {
    committed() {
      if (stopped) return;
      worker.postMessage(++requested);
      // Every few commits, make sure the WAL stays bounded even if the worker falls behind.
      if (++commits % 8 === 0) {
        let size = 0;
        try {
          size = fs.statSync(wal).size;
        } catch {
          // no WAL file: nothing to bound
        }
        if (size > walLimitBytes) writer.pragma('wal_checkpoint(PASSIVE)');
      }
    },
    settled() {
      if (stopped || answered >= requested) return Promise.resolve(left);
      // Someone waits for the worker's answer: keep the process alive until it comes.
      worker.ref();
      return new Promise<number>((resolve) =>
        waiters.push(() => {
          worker.unref();
          resolve(left);
        }),
      );
    },
    async close() {
      if (stopped) return;
      stopped = true;
      worker.ref();
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
