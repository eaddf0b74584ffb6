/**
 * Prescribed exchange-rate sources per jurisdiction: date rules (which day's rate the law applies),
 * CSV feeds of an administration's published rates, and the per-profile choice between a loaded
 * feed and the bundled HMRC stand-in (which always says so in its source text).
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { ParcelgateError } from '../domain/errors.js';
import { Dec } from '../domain/index.js';
import type { FxQuote, FxRateProvider } from './fx.js';

/** Which day's rate a jurisdiction's law applies, given the relevant date. */
export type FxDateRule =
  'relevant-date' | 'previous-day' | 'month-start' | 'penultimate-wednesday-previous-month';

/** A profile's prescribed rate source (profile `fx.prescribed`). */
export interface PrescribedFx {
  /** Feed name loaded with `--fx NAME=FILE.csv`, e.g. "ecb"; "hmrc-monthly" is the bundled table. */
  readonly feed: string;
  readonly dateRule: FxDateRule;
  readonly verified: boolean;
  readonly source: string;
  readonly note?: string;
}

const DAY = 86_400_000;
const iso = (t: number): string => new Date(t).toISOString().slice(0, 10);
const utc = (date: string): number => Date.parse(`${date.slice(0, 10)}T00:00:00Z`);

/** The penultimate Wednesday of the calendar month before `date`'s month (UCC IA Art. 146). */
export function penultimateWednesdayOfPreviousMonth(date: string): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)); // 1..12; previous month's last day is day 0 of this month
  const last = Date.UTC(y, m - 1, 0);
  const back = (new Date(last).getUTCDay() - 3 + 7) % 7; // days back to the last Wednesday
  return iso(last - (back + 7) * DAY);
}

/** The rate date a rule prescribes for a relevant date (YYYY-MM-DD). */
export function rateDateFor(rule: FxDateRule, date: string): string {
  switch (rule) {
    case 'relevant-date':
      return date.slice(0, 10);
    case 'previous-day':
      return iso(utc(date) - DAY);
    case 'month-start':
      return `${date.slice(0, 7)}-01`;
    case 'penultimate-wednesday-previous-month':
      return penultimateWednesdayOfPreviousMonth(date);
  }
}

const RULE_TEXT: Record<FxDateRule, string> = {
  'relevant-date': 'rate of the relevant date',
  'previous-day': 'rate of the previous day',
  'month-start': 'rate of the first day of the month',
  'penultimate-wednesday-previous-month':
    'rate of the penultimate Wednesday of the previous month, valid for the whole month',
};

/** Human text of a date rule (for explanations and docs). */
export const describeDateRule = (rule: FxDateRule): string => RULE_TEXT[rule];

/** Where a CSV feed problem is: 1-based line and the field (column name). */
export interface FeedProblem {
  line: number;
  field: string;
  message: string;
}

const feedError = (name: string, p: FeedProblem): ParcelgateError =>
  new ParcelgateError(
    'fx-feed.invalid',
    `fx feed ${name}: line ${p.line}, field ${p.field}: ${p.message}`,
    400,
    { ...p },
  );

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const RATE = /^\d+(\.\d+)?$/;
/** A feed rate older than this many days before the rate date is not used (the feed has a gap). */
export const FEED_MAX_AGE_DAYS = 10;

function validDate(s: string): boolean {
  return DATE.test(s) && iso(utc(s)) === s;
}

interface Day {
  readonly date: string;
  readonly perBase: Map<string, Dec>;
}

/** A parsed feed: rates per base currency by publication date. */
export interface FxFeed extends FxRateProvider {
  readonly name: string;
  readonly base: string;
  readonly format: 'generic' | 'ecb';
  /** sha256 prefix of the file: the replay version (with the name). */
  readonly digest: string;
  readonly days: number;
}

class FeedProvider implements FxFeed {
  readonly version: string;
  private readonly dates: string[];
  private readonly byDate: Map<string, Day>;
  private readonly cache = new Map<string, FxQuote | undefined>();

  constructor(
    readonly name: string,
    readonly base: string,
    readonly format: 'generic' | 'ecb',
    readonly digest: string,
    days: Map<string, Day>,
  ) {
    this.version = `${name}:${digest}`;
    this.byDate = days;
    this.dates = [...days.keys()].sort();
  }

  get days(): number {
    return this.dates.length;
  }

  /** The latest publication date on or before `date` (binary search), or undefined. */
  private onOrBefore(date: string): string | undefined {
    let lo = 0;
    let hi = this.dates.length - 1;
    let found: string | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.dates[mid]!;
      if (d <= date) {
        found = d;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  rate(from: string, to: string, date: string): FxQuote | undefined {
    const key = `${from}>${to}>${date}`;
    if (this.cache.has(key)) return this.cache.get(key);
    const q = this.compute(from, to, date.slice(0, 10));
    this.cache.set(key, q);
    return q;
  }

  private compute(from: string, to: string, date: string): FxQuote | undefined {
    // Walk back over publication days until one has both currencies, within the age limit.
    const limit = iso(utc(date) - FEED_MAX_AGE_DAYS * DAY);
    let d = this.onOrBefore(date);
    while (d !== undefined && d >= limit) {
      const day = this.byDate.get(d)!;
      const perFrom = from === this.base ? new Dec(1) : day.perBase.get(from);
      const perTo = to === this.base ? new Dec(1) : day.perBase.get(to);
      if (perFrom !== undefined && perTo !== undefined && !perFrom.isZero()) {
        const rate = perTo.div(perFrom).toSignificantDigits(10, Dec.ROUND_HALF_UP).toFixed();
        return { rate, source: `${this.name} ${d}`, date: d };
      }
      d = this.onOrBefore(iso(utc(d) - DAY));
    }
    return undefined;
  }
}

function day(days: Map<string, Day>, date: string): Day {
  let d = days.get(date);
  if (d === undefined) {
    d = { date, perBase: new Map() };
    days.set(date, d);
  }
  return d;
}

function parseRows(name: string, text: string): string[][] {
  try {
    return parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0;
    throw feedError(name, { line, field: '-', message: (e as Error).message });
  }
}

/**
 * Parses a rate feed CSV. Two layouts:
 * - generic: header `date,currency,rate,base` (any order), one row per date and currency,
 *   rate = units of `currency` per 1 unit of `base` (one base per file);
 * - ECB eurofxref-hist: header `Date,USD,JPY,...`, one row per date, units per 1 EUR, `N/A` = none.
 * Errors name the line and field; nothing is half-loaded.
 */
export function parseFxFeedCsv(name: string, text: string): FxFeed {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const rows = parseRows(name, text.replace(/^\uFEFF/, ''));
  const header = rows[0];
  if (header === undefined) throw feedError(name, { line: 1, field: '-', message: 'the file is empty' });
  const days = new Map<string, Day>();
  if (header[0] === 'Date') {
    const currencies = header.slice(1);
    currencies.forEach((c, i) => {
      if (c !== '' && !CURRENCY.test(c))
        throw feedError(name, {
          line: 1,
          field: `column ${i + 2}`,
          message: `'${c}' is not a currency code`,
        });
    });
    rows.slice(1).forEach((row, i) => {
      const line = i + 2;
      const date = row[0] ?? '';
      if (!validDate(date))
        throw feedError(name, { line, field: 'Date', message: `'${date}' is not a YYYY-MM-DD date` });
      if (days.has(date)) throw feedError(name, { line, field: 'Date', message: `${date} appears twice` });
      const d = day(days, date);
      currencies.forEach((c, k) => {
        const v = row[k + 1] ?? '';
        if (c === '' || v === '' || v === 'N/A') return;
        if (!RATE.test(v) || new Dec(v).isZero())
          throw feedError(name, { line, field: c, message: `'${v}' is not a positive decimal rate` });
        d.perBase.set(c, new Dec(v));
      });
    });
    return new FeedProvider(name, 'EUR', 'ecb', digest, days);
  }
  const cols = header.map((h) => h.toLowerCase());
  const at = (c: string): number => {
    const i = cols.indexOf(c);
    if (i < 0)
      throw feedError(name, {
        line: 1,
        field: c,
        message: `missing column '${c}' (generic layout: date,currency,rate,base; or the ECB eurofxref-hist layout)`,
      });
    return i;
  };
  const [di, ci, ri, bi] = [at('date'), at('currency'), at('rate'), at('base')];
  let base: string | undefined;
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const [date, currency, rate, b] = [row[di] ?? '', row[ci] ?? '', row[ri] ?? '', row[bi] ?? ''];
    if (!validDate(date))
      throw feedError(name, { line, field: 'date', message: `'${date}' is not a YYYY-MM-DD date` });
    if (!CURRENCY.test(currency))
      throw feedError(name, { line, field: 'currency', message: `'${currency}' is not a currency code` });
    if (!RATE.test(rate) || new Dec(rate).isZero())
      throw feedError(name, { line, field: 'rate', message: `'${rate}' is not a positive decimal rate` });
    if (!CURRENCY.test(b))
      throw feedError(name, { line, field: 'base', message: `'${b}' is not a currency code` });
    if (base !== undefined && b !== base)
      throw feedError(name, {
        line,
        field: 'base',
        message: `base ${b} differs from ${base} (one base per file)`,
      });
    base = b;
    const d = day(days, date);
    if (d.perBase.has(currency))
      throw feedError(name, { line, field: 'currency', message: `${currency} on ${date} appears twice` });
    d.perBase.set(currency, new Dec(rate));
  });
  if (base === undefined)
    throw feedError(name, { line: 2, field: '-', message: 'the file has no rate rows' });
  return new FeedProvider(name, base, 'generic', digest, days);
}

/** An FX provider with its own rate-date rule (the engine asks it for the date before quoting). */
export type DatedFxProvider = FxRateProvider & { dateFor(relevantDate: string): string };

/**
 * The provider for one profile: the loaded prescribed feed with the profile's date rule, falling
 * back per quote to `fallback` (bundled HMRC) with a source text that names what is missing.
 */
export function prescribedProvider(
  prescribed: PrescribedFx,
  fallback: FxRateProvider,
  fallbackDate: (date: string) => string,
  feed: FxRateProvider | undefined,
): DatedFxProvider {
  const rule = describeDateRule(prescribed.dateRule);
  const standIn = (q: FxQuote, why: string): FxQuote => ({
    ...q,
    source: `${q.source}; stand-in: ${why}`,
  });
  const fbVersion = fallback.version ?? 'fallback';
  if (feed === undefined) {
    const why = `prescribed ${prescribed.feed} rates (${rule}) not loaded`;
    const cache = new Map<string, FxQuote | undefined>();
    return {
      version: `${fbVersion} (stand-in for ${prescribed.feed})`,
      dateFor: fallbackDate,
      rate(from, to, date) {
        const key = `${from}>${to}>${date}`;
        if (cache.has(key)) return cache.get(key);
        const q = fallback.rate(from, to, date);
        const out = q === undefined ? undefined : standIn(q, why);
        cache.set(key, out);
        return out;
      },
    };
  }
  return {
    version: feed.version ?? prescribed.feed,
    dateFor: (date) => rateDateFor(prescribed.dateRule, date),
    rate(from, to, rateDate) {
      const q = feed.rate(from, to, rateDate);
      if (q !== undefined) return { ...q, source: `${q.source} (${rule})` };
      // The fallback reads its own date: the rule's rate date is what the feed lacked.
      const f = fallback.rate(from, to, rateDate);
      return f === undefined
        ? undefined
        : standIn(f, `${prescribed.feed} has no ${from}/${to} rate on or before ${rateDate}`);
    },
  };
}
