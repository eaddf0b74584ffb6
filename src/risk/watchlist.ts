/**
 * Watchlists of consignees, sellers and declarants (previously seized, fraud-linked, drop addresses).
 * Names are normalised (case, accents, punctuation, Cyrillic/Greek transliteration, token order) and
 * matched exactly or by Damerau-Levenshtein similarity over trigram-selected candidates.
 */
import type { ConsignmentInput, Party } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { watchlistParties, type WatchlistName } from './names.js';
import { nameKey, similarity, trigrams } from './text-normalise.js';

/** One listed name. */
export interface WatchlistEntry {
  name: string;
  reason?: string;
}

/** A match of a party name against a list. */
export interface WatchlistMatch {
  entry: WatchlistEntry;
  similarity: number;
}

interface Indexed {
  entry: WatchlistEntry;
  key: string;
  grams: number;
}

class ListIndex {
  private readonly exact = new Map<string, WatchlistEntry>();
  private readonly entries: Indexed[] = [];
  private readonly byGram = new Map<string, number[]>();

  constructor(entries: readonly WatchlistEntry[]) {
    for (const entry of entries) {
      const key = nameKey(entry.name);
      if (key === '') continue;
      this.exact.set(key, entry);
      const grams = [...new Set(trigrams(key))];
      const idx = this.entries.push({ entry, key, grams: grams.length }) - 1;
      for (const g of grams) {
        const list = this.byGram.get(g);
        if (list) list.push(idx);
        else this.byGram.set(g, [idx]);
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  match(name: string, threshold: number): WatchlistMatch | null {
    const key = nameKey(name);
    if (key === '') return null;
    const exact = this.exact.get(key);
    if (exact) return { entry: exact, similarity: 1 };
    const grams = [...new Set(trigrams(key))];
    const shared = new Map<number, number>();
    for (const g of grams)
      for (const idx of this.byGram.get(g) ?? []) shared.set(idx, (shared.get(idx) ?? 0) + 1);
    let best: WatchlistMatch | null = null;
    for (const [idx, count] of shared) {
      const cand = this.entries[idx] as Indexed;
      // Dice prefilter: names within the edit-distance threshold share most of their trigrams.
      if ((2 * count) / (grams.length + cand.grams) < 0.5) continue;
      const sim = similarity(key, cand.key);
      if (sim >= threshold && (!best || sim > best.similarity))
        best = { entry: cand.entry, similarity: round2(sim) };
    }
    return best;
  }
}

/** Immutable watchlists, ready for matching. */
export interface Watchlist {
  readonly threshold: number;
  /** Best match of `name` on list `list`, or null. */
  match(list: WatchlistName, name: string): WatchlistMatch | null;
  readonly size: number;
}

/** Builds watchlists from entries; `threshold` is the minimum similarity (0..1) of a fuzzy match. */
export function buildWatchlist(
  lists: Partial<Record<WatchlistName, readonly WatchlistEntry[]>>,
  threshold = 0.85,
): Watchlist {
  const indexes = new Map<WatchlistName, ListIndex>();
  let size = 0;
  for (const name of Object.keys(watchlistParties) as WatchlistName[]) {
    const idx = new ListIndex(lists[name] ?? []);
    size += idx.size;
    if (idx.size > 0) indexes.set(name, idx);
  }
  return {
    threshold,
    size,
    match: (list, name) => indexes.get(list)?.match(name, threshold) ?? null,
  };
}

/** A watchlist with no entries. */
export function emptyWatchlist(): Watchlist {
  return buildWatchlist({});
}

/** Module version recorded on hits. */
export const WATCHLIST_VERSION = 1;

/** Matches each party against its list; the indicator score is the best similarity found. */
export function assessWatchlist(
  c: ConsignmentInput,
  watchlist: Watchlist,
): { result: IndicatorResult; listed: Record<WatchlistName, boolean> } {
  const listed: Record<WatchlistName, boolean> = { consignees: false, sellers: false, declarants: false };
  if (watchlist.size === 0) return { result: quiet('watchlist', WATCHLIST_VERSION), listed };
  let best: IndicatorResult = quiet('watchlist', WATCHLIST_VERSION);
  for (const list of Object.keys(watchlistParties) as WatchlistName[]) {
    const party = c[watchlistParties[list]] as Party | undefined;
    if (!party) continue;
    const m = watchlist.match(list, party.name);
    if (!m) continue;
    listed[list] = true;
    if (m.similarity > best.score) {
      best = {
        id: 'watchlist',
        version: WATCHLIST_VERSION,
        score: m.similarity,
        reason: `the ${watchlistParties[list]} "${party.name}" matches a watchlist entry${m.entry.reason ? ` (${m.entry.reason})` : ''}`,
        inputs: { list, name: party.name, listedName: m.entry.name, similarity: m.similarity },
      };
    }
  }
  return { result: best, listed };
}
