/** Loads the reference snapshot from the shipped data (I/O at the edge, once per process or version). */
import { createHash } from 'node:crypto';
import { loadHs2022 } from '../reference/index.js';
import { loadRevenueContext } from '../revenue/index.js';
import {
  buildWatchlist,
  emptyWatchlist,
  loadDefaultRuleSet,
  type CompiledRuleSet,
  type ReferencePriceTable,
  type Watchlist,
} from '../risk/index.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** Options for the snapshot; defaults are the shipped EU rule set, no watchlist and a 1% random sample. */
export interface SnapshotOptions {
  ruleSet?: CompiledRuleSet;
  watchlist?: Watchlist;
  randomRate?: number;
  randomSeed?: string;
  referencePrices?: ReferencePriceTable;
}

/** Builds a snapshot from shipped reference data and the given options. */
export function loadSnapshot(opts: SnapshotOptions = {}): ReferenceSnapshot {
  const ruleSet = opts.ruleSet ?? loadDefaultRuleSet();
  const revenue = loadRevenueContext();
  const hs = loadHs2022();
  return {
    hs,
    revenue,
    ruleSet,
    watchlist: opts.watchlist ?? emptyWatchlist(),
    randomRate: opts.randomRate ?? 0.01,
    randomSeed: opts.randomSeed ?? 'parcelgate',
    ...(opts.referencePrices ? { referencePrices: opts.referencePrices } : {}),
    version: [
      ruleSet.key,
      hs.edition,
      ...(opts.referencePrices
        ? [
            `prices:${createHash('sha1').update(JSON.stringify(opts.referencePrices)).digest('hex').slice(0, 12)}`,
          ]
        : []),
    ].join(';'),
  };
}

/** Builds a watchlist from plain name lists (e.g. the demo's `demoWatchlist()`). */
export function watchlistFromNames(lists: {
  consignees?: string[];
  sellers?: string[];
  addresses?: string[];
}): Watchlist {
  const entries = (names: string[] = []) => names.map((name) => ({ name, reason: 'listed' }));
  return buildWatchlist({
    consignees: entries(lists.consignees),
    sellers: entries(lists.sellers),
    addresses: entries(lists.addresses),
  });
}
