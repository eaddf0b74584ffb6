/** Exchange-rate providers (a strategy): HMRC monthly rates by default, static tables for tests and feeds. */
import { parse } from 'csv-parse/sync';
import { Dec, dec } from '../domain/index.js';

/** A rate quote: multiply an amount in `from` by `rate` to get `to`. */
export interface FxQuote {
  rate: string;
  source: string;
  date: string;
}

/** Supplies exchange rates for a date; undefined when no rate is known. */
export interface FxRateProvider {
  /** Replay label, e.g. "hmrc-monthly". */
  readonly version?: string;
  rate(from: string, to: string, date: string): FxQuote | undefined;
  /** The rate date for a relevant date when the provider applies its own (prescribed) date rule. */
  dateFor?(relevantDate: string): string;
}

/** Significant digits kept in a cross rate; the rounded rate is the one used and reported. */
const RATE_DIGITS = 10;

function crossRate(perBaseFrom: Dec, perBaseTo: Dec): string {
  return perBaseTo.div(perBaseFrom).toSignificantDigits(RATE_DIGITS, Dec.ROUND_HALF_UP).toFixed();
}

interface Month {
  readonly start: string;
  readonly perGbp: ReadonlyMap<string, Dec>;
}

class HmrcMonthlyProvider implements FxRateProvider {
  readonly version = 'hmrc-monthly';
  private readonly cache = new Map<string, FxQuote | undefined>();
  private readonly latestKey: string;

  constructor(private readonly months: ReadonlyMap<string, Month>) {
    let latest = '';
    for (const key of months.keys()) if (key > latest) latest = key;
    this.latestKey = latest;
  }

  rate(from: string, to: string, date: string): FxQuote | undefined {
    const requested = date.slice(0, 7);
    const cacheKey = `${from}>${to}>${requested}`;
    if (this.cache.has(cacheKey)) return this.cache.get(cacheKey);
    const quote = this.compute(from, to, requested);
    this.cache.set(cacheKey, quote);
    return quote;
  }

  private compute(from: string, to: string, requested: string): FxQuote | undefined {
    const beyond = requested > this.latestKey;
    const key = beyond ? this.latestKey : requested;
    const month = this.months.get(key);
    if (month === undefined) return undefined;
    const perFrom = from === 'GBP' ? new Dec(1) : month.perGbp.get(from);
    const perTo = to === 'GBP' ? new Dec(1) : month.perGbp.get(to);
    if (perFrom === undefined || perTo === undefined || perFrom.isZero()) return undefined;
    const source = `HMRC monthly ${key}${beyond ? ' (latest available)' : ''}`;
    return { rate: crossRate(perFrom, perTo), source, date: month.start };
  }
}

/** Parses HMRC monthly rates (currency, period_start, period_end, rate = units per 1 GBP; header optional). */
export function parseHmrcMonthlyCsv(text: string): FxRateProvider {
  const rows = parse(text, { skip_empty_lines: true, trim: true }) as string[][];
  const months = new Map<string, { start: string; perGbp: Map<string, Dec> }>();
  for (const row of rows) {
    const [currency, start, , rate] = row;
    if (currency === undefined || start === undefined || rate === undefined) continue;
    if (!/^[A-Z]{3}$/.test(currency) || !/^\d{4}-\d{2}-\d{2}$/.test(start)) continue;
    const key = start.slice(0, 7);
    let month = months.get(key);
    if (month === undefined) {
      month = { start: `${key}-01`, perGbp: new Map() };
      months.set(key, month);
    }
    month.perGbp.set(currency, dec(rate));
  }
  return new HmrcMonthlyProvider(months);
}

/** A fixed table: `rates` are units of each currency per 1 unit of `base` (like HMRC's per-GBP table). */
export interface StaticFxTable {
  base: string;
  rates: Record<string, string>;
  source?: string;
  date?: string;
}

/** A provider answering from a fixed table for any date (tests, admin-entered rates). */
export function staticFxProvider(table: StaticFxTable): FxRateProvider {
  const perBase = new Map<string, Dec>([[table.base, new Dec(1)]]);
  for (const [currency, rate] of Object.entries(table.rates)) perBase.set(currency, dec(rate));
  const source = table.source ?? 'static table';
  return {
    version: source,
    rate(from: string, to: string, date: string): FxQuote | undefined {
      const perFrom = perBase.get(from);
      const perTo = perBase.get(to);
      if (perFrom === undefined || perTo === undefined || perFrom.isZero()) return undefined;
      return { rate: crossRate(perFrom, perTo), source, date: table.date ?? date.slice(0, 10) };
    },
  };
}
