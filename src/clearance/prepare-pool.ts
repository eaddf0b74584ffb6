/** A pool of worker threads that prepare batches in parallel with the main thread's commits. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReferencePriceTable } from '../risk/index.js';
import type { PreparedBatch } from './prepare.js';

/** Snapshot options a worker can rebuild by itself (plain data only). */
export interface PoolSnapshotOptions {
  watchlist?: { consignees?: string[]; sellers?: string[]; addresses?: string[] };
  randomRate?: number;
  randomSeed?: string;
  referencePrices?: ReferencePriceTable;
}

/** A started pool; `prepare` fits `PipelineDeps.prepare`. */
export interface PreparePool {
  prepare(records: readonly unknown[], now: string): Promise<PreparedBatch>;
  close(): Promise<void>;
}

type Pending = { resolve: (r: PreparedBatch) => void; reject: (e: Error) => void };

/**
 * Starts `workers` threads (default: cores - 1, at least 1). A batch is split across the
 * workers; results come back in record order.
 */
export function createPreparePool(snapshot: PoolSnapshotOptions, workers?: number): PreparePool {
  const n = Math.max(1, workers ?? availableParallelism() - 1);
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const threads = Array.from({ length: n }, () => {
    const w = new Worker(new URL('./prepare-worker.js', import.meta.url), {
      workerData: snapshot,
      // Bounded heap: the worker holds one batch at a time, so memory stays flat whatever the input.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 },
    });
    w.on('message', (m: { id: number; result?: PreparedBatch; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(`prepare worker failed: ${m.error ?? 'unknown'}`));
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    return w;
  });
  let turn = 0;
  const send = (records: readonly unknown[], now: string, offset: number) =>
    new Promise<PreparedBatch>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      threads[turn++ % n]!.postMessage({ id, records, now, offset });
    });
  return {
    async prepare(records, now) {
      const size = Math.ceil(records.length / n);
      const parts = await Promise.all(
        threads.map((_, i) =>
          i * size < records.length ? send(records.slice(i * size, (i + 1) * size), now, i * size) : null,
        ),
      );
      const out: PreparedBatch = { accepted: [], rejected: [] };
      for (const p of parts) {
        if (!p) continue;
        out.accepted.push(...p.accepted);
        out.rejected.push(...p.rejected);
      }
      return out;
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
