/**
 * Watchlists of consignees, sellers and declarants (previously seized, fraud-linked, drop addresses).
 * Names are normalised (case, accents, punctuation, Cyrillic/Greek transliteration, token order) and
 * matched exactly or by Damerau-Levenshtein similarity over trigram-selected candidates. Addresses match
 * fuzzily only with the same numbers and country (`addressFixedParts`).
 */
import type { ConsignmentInput, Party } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { watchlistParties, type WatchlistName } from './names.js';
import { appendTokens, nameKey, similarity, sortedKey, tokens, trigrams } from './text-normalise.js';

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
  /** What a fuzzy match must have equal (addresses: house numbers, postcode, country); '' for names. */
  fixed: string;
}

/**
 * The parts of a one-line address ("street, postcode city, CC") that fuzzy matching must not bend: the
 * tokens holding a digit (house number, postcode), sorted, and the country code after the last comma.
 * "14 Harbour Road" is the neighbour of "12 Harbour Road", not a spelling of it.
 */
export function addressFixedParts(line: string): string {
  const numbers = tokens(line)
    .filter((t) => /\d/.test(t))
    .sort();
  const last = line.slice(line.lastIndexOf(',') + 1).trim();
  const country = /^[A-Za-z]{2}$/.test(last) ? last.toUpperCase() : '';
  return `${numbers.join(' ')}|${country}`;
}

// Same numbers; the same country when both lines name one.
function fixedPartsAgree(a: string, b: string): boolean {
  if (a === b) return true;
  const [an, ac = ''] = a.split('|');
  const [bn, bc = ''] = b.split('|');
  return an === bn && (ac === '' || bc === '' || ac === bc);
}

const MEMO_LIMIT = 20_000;

/**
 * False when strings of lengths n and m cannot reach `threshold` similarity: their edit distance is at
 * least |n - m|, and similarity = 1 - distance / longest (the same expression as similarity()).
 */
function lengthsCanMatch(n: number, m: number, threshold: number): boolean {
  return 1 - Math.abs(n - m) / Math.max(n, m) >= threshold;
}

class ListIndex {
  private readonly exact = new Map<string, number>();
  private readonly entries: Indexed[] = [];
  private readonly byGram = new Map<string, number[]>();
  /** The ASCII trigrams of `byGram` by their code (gramCode), for ASCII queries. */
  private readonly byCode = new Map<number, number[]>();
  private readonly lengths: number[];
  /** Each entry's key as counts of characters by bucket (code & 63), BUCKETS numbers per entry. */
  private readonly bags: Int32Array;
  /** Shared-trigram counts per entry during one search (zero between searches). */
  private readonly counts: Int32Array;
  // Names repeat (regular consignees, sellers): a bounded memo of raw name -> best entry and similarity.
  private memo = new Map<string, { idx: number; similarity: number } | null>();

  constructor(
    entries: readonly WatchlistEntry[],
    private readonly threshold: number,
    private readonly fixedParts?: (text: string) => string,
  ) {
    const lengths = new Set<number>();
    for (const entry of entries) {
      const key = nameKey(entry.name);
      if (key === '') continue;
      lengths.add(key.length);
      const grams = [...new Set(trigrams(key))];
      const fixed = fixedParts ? fixedParts(entry.name) : '';
      const idx = this.entries.push({ entry, key, grams: grams.length, fixed }) - 1;
      this.exact.set(key, idx);
      for (const g of grams) {
        const list = this.byGram.get(g);
        if (list) list.push(idx);
        else this.byGram.set(g, [idx]);
        // An ASCII query's trigrams can only equal the entries' ASCII trigrams: those are indexed by code too.
        if (isAscii(g)) {
          const code = gramCode(g, 0);
          const byCode = this.byCode.get(code);
          if (byCode) byCode.push(idx);
          else this.byCode.set(code, [idx]);
        }
      }
    }
    this.lengths = [...lengths];
    this.counts = new Int32Array(this.entries.length);
    this.bags = new Int32Array(this.entries.length * BUCKETS);
    this.entries.forEach((e, idx) => {
      for (let i = 0; i < e.key.length; i++)
        (this.bags[idx * BUCKETS + (e.key.charCodeAt(i) & 63)] as number)++;
    });
  }

  get size(): number {
    return this.entries.length;
  }

  match(name: string): WatchlistMatch | null {
    let m = this.memo.get(name);
    if (m === undefined) {
      const fixedParts = this.fixedParts;
      m = this.search(nameKey(name), fixedParts && (() => fixedParts(name)));
      if (this.memo.size >= MEMO_LIMIT) this.memo = new Map();
      this.memo.set(name, m);
    }
    return this.answer(m);
  }

  /**
   * Best match of an already normalised key (not memoised: keys of addresses seldom repeat); `fixedOf`
   * gives the text's fixed parts when a fuzzy candidate needs them.
   */
  matchKey(key: string, fixedOf?: () => string): WatchlistMatch | null {
    return this.answer(this.search(key, fixedOf));
  }

  private answer(m: { idx: number; similarity: number } | null): WatchlistMatch | null {
    return m === null ? null : { entry: (this.entries[m.idx] as Indexed).entry, similarity: m.similarity };
  }

  /** True when some listed key is close enough in length to reach the threshold (distance >= length gap). */
  private lengthCompatible(n: number): boolean {
    return this.lengths.some((m) => lengthsCanMatch(n, m, this.threshold));
  }

  private search(key: string, fixedOf?: () => string): { idx: number; similarity: number } | null {
    if (key === '') return null;
    // Before the exact lookup: most keys are far from every entry (an equal key passes it). A scan
    // of every entry: only for short lists, where it costs less than the trigram lookups it saves.
    if (this.entries.length <= BAG_SCAN_ENTRIES && !this.someBagCanMatch(key)) return null;
    const exact = this.exact.get(key);
    if (exact !== undefined) return { idx: exact, similarity: 1 };
    if (!this.lengthCompatible(key.length)) return null;
    // Entries sharing trigrams with the key, in the order first met, with their counts in `counts`.
    const touched: number[] = [];
    const unique = isAscii(key) ? this.shareAscii(key, touched) : this.shareGrams(key, touched);
    const counts = this.counts;
    // The searched text's fixed parts, worked out for the first candidate that gets that far.
    let fixed: string | undefined;
    let best: { idx: number; similarity: number } | null = null;
    for (const idx of touched) {
      const count = counts[idx] as number;
      counts[idx] = 0;
      const cand = this.entries[idx] as Indexed;
      // Dice prefilter: names within the edit-distance threshold share most of their trigrams.
      if ((2 * count) / (unique + cand.grams) < 0.5) continue;
      if (!lengthsCanMatch(key.length, cand.key.length, this.threshold)) continue;
      if (this.fixedParts) {
        fixed ??= fixedOf ? fixedOf() : '';
        if (!fixedPartsAgree(fixed, cand.fixed)) continue;
      }
      const sim = similarity(key, cand.key);
      if (sim >= this.threshold && (!best || sim > best.similarity)) best = { idx, similarity: round2(sim) };
    }
    return best;
  }

  /**
   * False when no entry can reach the threshold by the bag distance of the keys (characters counted
   * by bucket): each edit changes it by at most 1 and a transposition not at all, so it never exceeds
   * the edit distance, and an entry it rules out would fail the similarity check anyway. An entry
   * with the key's very characters (an equal key among them) always passes.
   */
  private someBagCanMatch(key: string): boolean {
    const n = key.length;
    const query = bag;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const b = key.charCodeAt(i) & 63;
      if ((query[b] as number)++ === 0) buckets[distinct++] = b;
    }
    let found = false;
    const bags = this.bags;
    for (let idx = 0; idx < this.entries.length && !found; idx++) {
      const base = idx * BUCKETS;
      // over: characters of the key the entry lacks; the entry's surplus is then over + m - n
      let over = 0;
      for (let j = 0; j < distinct; j++) {
        const b = buckets[j] as number;
        const d = (query[b] as number) - (bags[base + b] as number);
        if (d > 0) over += d;
      }
      const m = (this.entries[idx] as Indexed).key.length;
      const distance = Math.max(over, over + m - n);
      found = distance === 0 || 1 - distance / Math.max(n, m) >= this.threshold;
    }
    for (let j = 0; j < distinct; j++) query[buckets[j] as number] = 0;
    return found;
  }

  /** Counts shared distinct trigrams of any key; returns the key's number of distinct trigrams. */
  private shareGrams(key: string, touched: number[]): number {
    const grams = new Set(trigrams(key));
    for (const g of grams) this.count(this.byGram.get(g), touched);
    return grams.size;
  }

  /** `shareGrams` for an ASCII key: trigrams as integer codes, no strings or sets. */
  private shareAscii(key: string, touched: number[]): number {
    const padded = ` ${key} `;
    const n = padded.length - 2;
    if (codes.length < n) codes = new Int32Array(Math.max(n, 2 * codes.length));
    let unique = 0;
    for (let i = 0; i < n; i++) {
      const code = gramCode(padded, i);
      let seen = false;
      for (let j = 0; j < unique && !seen; j++) seen = codes[j] === code;
      if (seen) continue;
      codes[unique++] = code;
      this.count(this.byCode.get(code), touched);
    }
    return unique;
  }

  private count(list: readonly number[] | undefined, touched: number[]): void {
    if (list === undefined) return;
    const counts = this.counts;
    for (const idx of list) if ((counts[idx] as number)++ === 0) touched.push(idx);
  }
}

/** True when every character of `s` is ASCII. */
function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** The ASCII trigram at `i` of `s` as one integer (7 bits per character). */
function gramCode(s: string, i: number): number {
  return (s.charCodeAt(i) << 14) | (s.charCodeAt(i + 1) << 7) | s.charCodeAt(i + 2);
}

const BUCKETS = 64;
/** Lists up to this long are scanned whole by the bag-distance bound before the trigram index. */
const BAG_SCAN_ENTRIES = 64;
// The searched key's character counts by bucket (zero between searches) and its distinct buckets.
const bag = new Int32Array(BUCKETS);
const buckets = new Int32Array(BUCKETS);

// Distinct trigram codes of the key being searched (grown on demand; searches do not nest).
let codes = new Int32Array(64);

/** Immutable watchlists, ready for matching. */
export interface Watchlist {
  readonly threshold: number;
  /** Best match of `name` on list `list`, or null. */
  match(list: WatchlistName, name: string): WatchlistMatch | null;
  /** Best match of an address (as its one-line form, "street, postcode city, CC") on the address list, or null. */
  matchAddress?(address: Party['address']): WatchlistMatch | null;
  readonly size: number;
}

/** One-line form of an address, as address watchlists are written: "street, postcode city, CC". */
export function addressLine(address: Party['address']): string {
  const postcode = address.postcode ?? '';
  const city = address.city ?? '';
  const place = postcode === '' ? city : city === '' ? postcode : `${postcode} ${city}`;
  let line = address.street ?? '';
  if (place !== '') line = line === '' ? place : `${line}, ${place}`;
  const country = address.country;
  if (country !== '') line = line === '' ? country : `${line}, ${country}`;
  return line;
}

/**
 * The name key of an address's one-line form, `nameKey(addressLine(address))`, from its parts: the
 * separators the line adds split words anyway, and the words of its parts (street names, cities)
 * repeat where whole addresses do not.
 */
export function addressKey(address: Party['address']): string {
  const words: string[] = [];
  if (address.street !== undefined) appendTokens(address.street, words);
  if (address.postcode !== undefined) appendTokens(address.postcode, words);
  if (address.city !== undefined) appendTokens(address.city, words);
  appendTokens(address.country, words);
  return sortedKey(words);
}

/** Builds watchlists from entries; `threshold` is the minimum similarity (0..1) of a fuzzy match. */
export function buildWatchlist(
  lists: Partial<Record<WatchlistName, readonly WatchlistEntry[]>> & {
    addresses?: readonly WatchlistEntry[];
  },
  threshold = 0.85,
): Watchlist {
  const indexes = new Map<WatchlistName, ListIndex>();
  let size = 0;
  for (const name of Object.keys(watchlistParties) as WatchlistName[]) {
    const idx = new ListIndex(lists[name] ?? [], threshold);
    size += idx.size;
    if (idx.size > 0) indexes.set(name, idx);
  }
  const addresses = new ListIndex(lists.addresses ?? [], threshold, addressFixedParts);
  size += addresses.size;
  return {
    threshold,
    size,
    match: (list, name) => indexes.get(list)?.match(name) ?? null,
    matchAddress: (address) =>
      addresses.size > 0
        ? addresses.matchKey(addressKey(address), () => addressFixedParts(addressLine(address)))
        : null,
  };
}

/** A watchlist with no entries. */
export function emptyWatchlist(): Watchlist {
  return buildWatchlist({});
}

/** Module version recorded on hits. */
export const WATCHLIST_VERSION = 1;

const LIST_NAMES = Object.keys(watchlistParties) as WatchlistName[];

/** Matches each party against its list; the indicator score is the best similarity found. */
export function assessWatchlist(
  c: ConsignmentInput,
  watchlist: Watchlist,
): { result: IndicatorResult; listed: Record<WatchlistName, boolean> } {
  const listed: Record<WatchlistName, boolean> = { consignees: false, sellers: false, declarants: false };
  if (watchlist.size === 0) return { result: quiet('watchlist', WATCHLIST_VERSION), listed };
  let best: IndicatorResult = quiet('watchlist', WATCHLIST_VERSION);
  for (const list of LIST_NAMES) {
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
  // A drop address is listed whatever name the parcel is sent to.
  const address = c.consignee?.address;
  const am = address && watchlist.matchAddress ? watchlist.matchAddress(address) : null;
  if (am) {
    listed.consignees = true;
    if (am.similarity > best.score) {
      best = {
        id: 'watchlist',
        version: WATCHLIST_VERSION,
        score: am.similarity,
        reason: `the consignee's address matches a watchlisted address${am.entry.reason ? ` (${am.entry.reason})` : ''}`,
        inputs: {
          list: 'addresses',
          address: addressLine(address!),
          listedAddress: am.entry.name,
          similarity: am.similarity,
        },
      };
    }
  }
  return { result: best, listed };
}
