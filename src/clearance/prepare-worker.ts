/** Worker-thread entry: prepares batches (validate, key, hash, speculative assess) off the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSnapshot, watchlistFromNames } from './load-snapshot.js';
import { prepareBatch } from './prepare.js';
import type { PoolSnapshotOptions } from './prepare-pool.js';

const opts = workerData as PoolSnapshotOptions;
const snapshot = loadSnapshot({
  ...(opts.watchlist ? { watchlist: watchlistFromNames(opts.watchlist) } : {}),
  ...(opts.randomRate !== undefined ? { randomRate: opts.randomRate } : {}),
  ...(opts.randomSeed !== undefined ? { randomSeed: opts.randomSeed } : {}),
  ...(opts.referencePrices ? { referencePrices: opts.referencePrices } : {}),
});

parentPort?.on('message', (msg: { id: number; records: unknown[]; now: string; offset: number }) => {
  try {
    const r = prepareBatch(msg.records, snapshot, msg.now, true);
    for (const a of r.accepted) a.index += msg.offset;
    for (const x of r.rejected) x.index += msg.offset;
    parentPort?.postMessage({ id: msg.id, result: r });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: (e as Error).stack ?? String(e) });
  }
});
