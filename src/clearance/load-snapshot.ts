/** Loads the reference snapshot from the shipped data (I/O at the edge, once per process or version). */
import { createHash } from 'node:crypto';
import { classify, loadClassifier, type Classifier } from '../classify/index.js';
import { loadHs2022 } from '../reference/index.js';
import { loadFxFeeds, loadRevenueContext, loadTariffSpecs } from '../revenue/index.js';
import {
  emptyWatchlist,
  loadDefaultRuleSet,
  memoClassifier,
  type CompiledRuleSet,
  type DescriptionClassifier,
  type ReferencePriceTable,
  type Watchlist,
  type WatchlistSource,
  watchlistFromSource,
} from '../risk/index.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** Options for the snapshot; defaults are the shipped EU rule set, no watchlist and a 1% random sample. */
export interface SnapshotOptions {
  ruleSet?: CompiledRuleSet;
  watchlist?: Watchlist;
  randomRate?: number;
  randomSeed?: string;
  referencePrices?: ReferencePriceTable;
  /** HS classifier for the description-vs-HS second opinion; default: the shipped one, loaded on first use; false: none. */
  classifier?: DescriptionClassifier | false;
  /** Exchange-rate feeds as `NAME=FILE.csv` specs (the `--fx` option; see loadFxFeeds). */
  fxFeeds?: readonly string[];
  /** Tariff schedules as `PROFILE=FILE` specs (the `--tariff` option; see loadTariffSpecs). */
  tariffs?: readonly string[];
}

let shipped: Classifier | undefined;

/** The shipped HS classifier behind the risk port, loaded on first use (about 1 s) and memoised per description. */
export function shippedDescriptionClassifier(): DescriptionClassifier {
  return memoClassifier((description) => {
    shipped ??= loadClassifier();
    const r = classify(shipped, description, 5);
    return r.hs6 === ''
      ? null
      : { hs6: [r.hs6, ...r.alternatives.map((a) => a.hs6)], chapterConfidence: r.hs2Confidence };
  });
}

/** Builds a snapshot from shipped reference data and the given options. */
export function loadSnapshot(opts: SnapshotOptions = {}): ReferenceSnapshot {
  const ruleSet = opts.ruleSet ?? loadDefaultRuleSet();
  const feeds = opts.fxFeeds?.length ? loadFxFeeds(opts.fxFeeds) : undefined;
  const revenue = loadTariffSpecs(loadRevenueContext(feeds ? { feeds } : {}), opts.tariffs ?? []);
  const hs = loadHs2022();
  return {
    hs,
    revenue,
    ruleSet,
    watchlist: opts.watchlist ?? emptyWatchlist(),
    randomRate: opts.randomRate ?? 0.01,
    randomSeed: opts.randomSeed ?? 'parcelgate',
    ...(opts.referencePrices ? { referencePrices: opts.referencePrices } : {}),
    ...(opts.classifier === false ? {} : { classifier: opts.classifier ?? shippedDescriptionClassifier() }),
    version: [
      ruleSet.key,
      hs.edition,
      ...[...(feeds?.values() ?? [])].map((f) => `fx:${f.version}`),
      ...(opts.tariffs ?? []).map((spec) => `tariff:${spec}`),
      ...(opts.referencePrices
        ? [
            `prices:${createHash('sha1').update(JSON.stringify(opts.referencePrices)).digest('hex').slice(0, 12)}`,
          ]
        : []),
    ].join(';'),
  };
}

/**
 * Builds a watchlist from plain lists of names (reason "listed") or `{name, reason}` entries: the demo's
 * `demoWatchlist()`, or an administration's `--watchlist` file as `checkWatchlistDocument` returns it.
 */
export function watchlistFromNames(lists: WatchlistSource): Watchlist {
  return watchlistFromSource(lists);
}
