/** Worker-thread entry: prepares whole batches (validate, key, hash, plan ahead) off the main thread. */
import { parentPort, workerData } from 'node:worker_threads';
import type { RequestContext } from './context.js';
import { loadSnapshot, watchlistFromNames } from './load-snapshot.js';
import { prepareBatch } from './prepare.js';
import type { PoolSnapshotOptions } from './prepare-pool.js';
import { packBatch } from './prepared-wire.js';
import { Pseudonymiser, usePseudonymiser } from '../privacy/pseudonym.js';

const opts = workerData as PoolSnapshotOptions;
if (opts.pseudonymKey)
  usePseudonymiser(
    new Pseudonymiser({ id: opts.pseudonymKey.id, secret: Buffer.from(opts.pseudonymKey.secret) }),
  );
const snapshot = loadSnapshot({
  ...(opts.watchlist ? { watchlist: watchlistFromNames(opts.watchlist) } : {}),
  ...(opts.randomRate !== undefined ? { randomRate: opts.randomRate } : {}),
  ...(opts.randomSeed !== undefined ? { randomSeed: opts.randomSeed } : {}),
  ...(opts.referencePrices ? { referencePrices: opts.referencePrices } : {}),
  ...(opts.fxFeeds ? { fxFeeds: opts.fxFeeds } : {}),
  ...(opts.tariffs ? { tariffs: opts.tariffs } : {}),
});

parentPort?.on('message', (msg: { id: number; records: unknown[]; ctx: RequestContext }) => {
  try {
    parentPort?.postMessage({
      id: msg.id,
      result: packBatch(prepareBatch(msg.records, snapshot, msg.ctx, false)),
    });
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: (e as Error).stack ?? String(e) });
  }
});
