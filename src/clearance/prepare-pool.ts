/** A pool of worker threads that prepare batches in parallel with the main thread's commits. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ReferencePriceTable, WatchlistSource } from '../risk/index.js';
import type { RequestContext } from './context.js';
import type { PreparedBatch } from './prepare.js';
import { unpackBatch, type PackedBatch } from './prepared-wire.js';
import { pseudonyms, type PseudonymKey } from '../privacy/pseudonym.js';

/** Snapshot options a worker can rebuild by itself (plain data only). */
export interface PoolSnapshotOptions {
  /** Names or `{name, reason}` entries by list (the demo's, or an administration's `--watchlist`). */
  watchlist?: WatchlistSource;
  randomRate?: number;
  randomSeed?: string;
  referencePrices?: ReferencePriceTable;
  /** Exchange-rate feeds as `NAME=FILE.csv` specs (see loadFxFeeds). */
  fxFeeds?: string[];
  /** Tariff schedules as `PROFILE=FILE` specs (see loadTariffSpecs). */
  tariffs?: string[];
  /** The pseudonym key of the process (set by the pool itself). */
  pseudonymKey?: PseudonymKey;
}

/** A started pool; `prepare` fits `PipelineDeps.prepare`. */
export interface PreparePool {
  readonly size: number;
  prepare(records: readonly unknown[], ctx: RequestContext): Promise<PreparedBatch>;
  close(): Promise<void>;
}

type Pending = { resolve: (r: PreparedBatch) => void; reject: (e: Error) => void };

/**
 * Worker threads the CLI's pipeline uses: `PARCELGATE_WORKERS`, default none (on two cores a worker
 * costs as much in transfer and garbage collection as it saves; see docs/performance.md).
 */
export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.PARCELGATE_WORKERS;
  if (set !== undefined && set !== '') {
    const n = Number(set);
    if (Number.isInteger(n) && n >= 0 && n <= 64) return n;
    throw new Error(`PARCELGATE_WORKERS must be a whole number from 0 to 64, got '${set}'`);
  }
  return 0;
}

/**
 * Starts `workers` threads (default: cores - 1, at least 1). Each batch goes whole to one worker
 * (its groups of linked records must be planned together), in turn, so consecutive batches are
 * prepared in parallel while earlier ones commit.
 */
export function createPreparePool(snapshot: PoolSnapshotOptions, workers?: number): PreparePool {
  const n = Math.max(1, workers ?? availableParallelism() - 1);
  const pending = new Map<number, Pending>();
  let nextId = 0;
  const threads = Array.from({ length: n }, () => {
    const w = new Worker(new URL('./prepare-worker.js', import.meta.url), {
      // The worker computes the same keyed pseudonyms as this thread (src/privacy/pseudonym.ts).
      workerData: { ...snapshot, pseudonymKey: pseudonyms().key() },
      // Bounded heap: the worker holds one batch at a time, so memory stays flat whatever the input.
      // Much tighter limits make garbage collection the worker's main cost. A young generation that
      // holds most of a batch's short-lived objects spares copying them (docs/performance.md).
      resourceLimits: { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 128 },
    });
    w.on('message', (m: { id: number; result?: PackedBatch; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.result) p.resolve(unpackBatch(m.result));
      else p.reject(new Error(`prepare worker failed: ${m.error ?? 'unknown'}`));
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    return w;
  });
  let turn = 0;
  return {
    size: n,
    prepare(records, ctx) {
      return new Promise<PreparedBatch>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        threads[turn++ % n]!.postMessage({ id, records, ctx });
      });
    },
    async close() {
      await Promise.all(threads.map((t) => t.terminate()));
    },
  };
}
