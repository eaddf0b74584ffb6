/**
 * An administration's own watchlist (`--watchlist FILE` on `serve`, `ingest`, `assess` and `evaluate`),
 * and the same lists in a scenario file's `context.watchlist`: an object of name lists
 *
 *   {"consignees": [...], "sellers": [...], "declarants": [...], "addresses": [...]}
 *
 * (any subset), each entry a name (a one-line address "street, postcode city, CC" on `addresses`) or
 * `{"name": "...", "reason": "..."}`; the reason is quoted in the hit (default "listed"). The document
 * is checked whole: every problem comes back at once with its JSON Pointer, so a misspelt list
 * ("consigness") or a stray number is a refusal, never a list silently left empty.
 */
import { escapePointerToken, fail, ok, type Result, type ValidationIssue } from '../domain/index.js';
import { buildWatchlist, type Watchlist, type WatchlistEntry } from './watchlist.js';

/** The lists a watchlist document may hold: the party lists and one-line consignee addresses. */
export const watchlistLists = ['consignees', 'sellers', 'declarants', 'addresses'] as const;

/** One of `watchlistLists`. */
export type WatchlistListName = (typeof watchlistLists)[number];

/** Checked watchlist entries by list, ready for `buildWatchlist`. */
export type WatchlistLists = Partial<Record<WatchlistListName, WatchlistEntry[]>>;

/** Entries as a caller may give them: a name (reason "listed") or an entry. Plain data (worker-safe). */
export type WatchlistSource = Partial<Record<WatchlistListName, readonly (string | WatchlistEntry)[]>>;

/** The reason a hit quotes when the entry gives none. */
export const DEFAULT_WATCHLIST_REASON = 'listed';

const CODE = 'watchlist.invalid';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v);

/** Options of `checkWatchlistDocument`. */
export interface CheckWatchlistOptions {
  /** JSON Pointer of the document within its file (e.g. "/context/watchlist"); default the root. */
  base?: string;
  /** Only names are accepted, not `{name, reason}` entries (scenario files). */
  namesOnly?: boolean;
}

/**
 * Every problem of a watchlist document at once (paths are JSON Pointers from `base`), or its entries
 * with each reason set (default "listed").
 */
export function checkWatchlistDocument(
  doc: unknown,
  opts: CheckWatchlistOptions = {},
): Result<WatchlistLists> {
  const base = opts.base ?? '';
  const issues: ValidationIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ code: CODE, path, message });
  };
  const expected = watchlistLists.join(', ');
  if (!isObject(doc)) {
    issue(base, `a watchlist must be an object with the lists ${expected}, got ${typeOf(doc)}`);
    return fail(issues);
  }
  const lists: WatchlistLists = {};
  for (const [key, value] of Object.entries(doc)) {
    const at = `${base}/${escapePointerToken(key)}`;
    if (!(watchlistLists as readonly string[]).includes(key)) {
      issue(at, `"${key}" is not a watchlist: expected ${expected}`);
      continue;
    }
    if (!Array.isArray(value)) {
      issue(
        at,
        `must be a list of ${opts.namesOnly ? 'names' : 'names or {name, reason} entries'}, got ${typeOf(value)}`,
      );
      continue;
    }
    const entries: WatchlistEntry[] = [];
    value.forEach((v: unknown, j: number) => {
      const entry = checkEntry(v, `${at}/${j}`, opts.namesOnly === true, issue);
      if (entry) entries.push(entry);
    });
    lists[key as WatchlistListName] = entries;
  }
  return issues.length > 0 ? fail(issues) : ok(lists);
}

function checkEntry(
  v: unknown,
  at: string,
  namesOnly: boolean,
  issue: (path: string, message: string) => void,
): WatchlistEntry | undefined {
  if (typeof v === 'string') {
    if (isText(v)) return { name: v, reason: DEFAULT_WATCHLIST_REASON };
    issue(at, 'must be a non-empty name');
    return undefined;
  }
  if (namesOnly || !isObject(v)) {
    issue(at, `must be ${namesOnly ? 'a non-empty name' : 'a name or {"name", "reason"}'}, got ${typeOf(v)}`);
    return undefined;
  }
  let fine = true;
  for (const k of Object.keys(v))
    if (k !== 'name' && k !== 'reason') {
      issue(`${at}/${escapePointerToken(k)}`, `"${k}" is not known: an entry has "name" and "reason"`);
      fine = false;
    }
  if (!isText(v.name)) {
    issue(
      `${at}/name`,
      v.name === undefined ? 'is missing: an entry needs a name' : 'must be a non-empty name',
    );
    fine = false;
  }
  if (v.reason !== undefined && !isText(v.reason)) {
    issue(`${at}/reason`, 'must be a non-empty text (or left out: "listed")');
    fine = false;
  }
  return fine
    ? { name: v.name as string, reason: (v.reason as string | undefined) ?? DEFAULT_WATCHLIST_REASON }
    : undefined;
}

/** Builds a watchlist from lists of names (reason "listed") or entries; `threshold` as `buildWatchlist`. */
export function watchlistFromSource(lists: WatchlistSource, threshold?: number): Watchlist {
  const entries = (list: readonly (string | WatchlistEntry)[] = []): WatchlistEntry[] =>
    list.map((e) =>
      typeof e === 'string'
        ? { name: e, reason: DEFAULT_WATCHLIST_REASON }
        : { name: e.name, reason: e.reason ?? DEFAULT_WATCHLIST_REASON },
    );
  return buildWatchlist(
    {
      consignees: entries(lists.consignees),
      sellers: entries(lists.sellers),
      declarants: entries(lists.declarants),
      addresses: entries(lists.addresses),
    },
    threshold,
  );
}
