/** VAT/GST rate tables indexed by country, with effective-dated periods (ibericode/vat-rates format). */
import { parse } from 'csv-parse/sync';
import { percentRate, rate as parseRate, type Rate } from './money.js';

/** A standard rate in force on a date, with where it comes from. */
export interface VatRate {
  /** The exact rate (fraction), e.g. 0.19. */
  readonly rate: Rate;
  /** The fraction as text, e.g. "0.19". */
  readonly rateText: string;
  /** The rate as a percentage, e.g. "19". */
  readonly percent: string;
  /** First day the rate applies. */
  readonly from: string;
  /** Source label, e.g. "ibericode@2025-08-12". */
  readonly source: string;
  /** False when the rate is not verified in REFERENCE.md ([P]/[U]): the line explanation says so. */
  readonly verified?: boolean;
}

/** Looks up the standard rate of a country on a date. */
export interface VatRateTable {
  readonly version: string;
  standard(country: string, date: string): VatRate | undefined;
}

interface IbericodePeriod {
  effective_from?: unknown;
  rates?: { standard?: unknown };
}

function makeRate(rate: Rate, from: string, source: string): VatRate {
  return { rate, rateText: rate.text, percent: rate.percent, from, source };
}

class PeriodTable implements VatRateTable {
  /** Periods per country, newest first. */
  constructor(
    readonly version: string,
    private readonly byCountry: ReadonlyMap<string, readonly VatRate[]>,
  ) {}

  standard(country: string, date: string): VatRate | undefined {
    const periods = this.byCountry.get(country);
    if (periods === undefined) return undefined;
    for (const p of periods) if (p.from <= date) return p;
    return undefined;
  }
}

function sortNewestFirst(map: Map<string, VatRate[]>): Map<string, VatRate[]> {
  for (const list of map.values()) list.sort((a, b) => (a.from < b.from ? 1 : a.from > b.from ? -1 : 0));
  return map;
}

/** Indexes the ibericode/vat-rates JSON (items: country -> periods with effective_from and rates.standard). */
export function parseIbericodeRates(json: unknown, version: string): VatRateTable {
  const items = (json as { items?: Record<string, IbericodePeriod[]> }).items;
  if (items === undefined || typeof items !== 'object')
    throw new TypeError('ibericode VAT file has no items');
  const map = new Map<string, VatRate[]>();
  for (const [country, periods] of Object.entries(items)) {
    const list: VatRate[] = [];
    for (const p of periods) {
      const standard = p.rates?.standard;
      if (typeof standard !== 'number' || typeof p.effective_from !== 'string') continue;
      list.push(makeRate(percentRate(String(standard)), p.effective_from, version));
    }
    map.set(country, list);
  }
  return new PeriodTable(version, sortNewestFirst(map));
}

/** A rate table from dated single-country periods given as fractions (the generic profiles' taxRates). */
export function periodRates(
  version: string,
  country: string,
  periods: readonly {
    from: string;
    to?: string | undefined;
    rate: string;
    source: string;
    verified?: boolean;
  }[],
): VatRateTable {
  const list = periods.map((p) => ({
    ...makeRate(parseRate(p.rate), p.from, p.source),
    ...(p.verified === false ? { verified: false } : {}),
    to: p.to,
  }));
  return {
    version,
    standard(c: string, date: string) {
      if (c !== country && country !== '*') return undefined;
      return list.find((p) => p.from <= date && (p.to === undefined || date < p.to));
    },
  };
}

/** The open start of the ibericode table: "the current rate since forever", not a dated period. */
const OPEN_START = '0000-01-01';

/**
 * Indexes the kdeldycke/vat-rates history CSV (start_date, stop_date exclusive or empty,
 * territory_codes one per line, rate as a fraction, rate_type standard): the rows naming a country
 * by its bare ISO code (special territories with postcodes are left out).
 */
export function parseKdeldyckeRates(text: string, version: string): VatRateTable {
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const map = new Map<string, (VatRate & { to?: string })[]>();
  for (const r of rows) {
    const from = r.start_date ?? '';
    const rate = r.rate ?? '';
    if (r.rate_type !== 'standard' || !/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d+(\.\d+)?$/.test(rate))
      continue;
    const to = r.stop_date === '' || r.stop_date === undefined ? undefined : r.stop_date;
    for (const code of (r.territory_codes ?? '').split('\n').map((c) => c.trim())) {
      if (!/^[A-Z]{2}$/.test(code)) continue;
      const list = map.get(code) ?? [];
      list.push({ ...makeRate(parseRate(rate), from, version), ...(to === undefined ? {} : { to }) });
      map.set(code, list);
    }
  }
  return {
    version,
    standard(country: string, date: string) {
      return map.get(country)?.find((p) => p.from <= date && (p.to === undefined || date < p.to));
    },
  };
}

/**
 * The main table, with `history` for the dates its open-start period stands in for: ibericode gives
 * the current rate from "0000-01-01" until its first dated change, which is wrong for earlier years
 * (ES 16 % in 2010, not 21 %). The version stays the main table's.
 */
export function withHistory(main: VatRateTable, history: VatRateTable): VatRateTable {
  return {
    version: main.version,
    standard(country: string, date: string) {
      const r = main.standard(country, date);
      if (r !== undefined && r.from !== OPEN_START) return r;
      return history.standard(country, date) ?? r;
    },
  };
}
