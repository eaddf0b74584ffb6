/** VAT/GST rate tables indexed by country, with effective-dated periods. */
import { dec, type Dec } from '../domain/index.js';
import type { TaxRateSource } from './profile-schema.js';

/** A standard rate in force on a date, with where it comes from. */
export interface VatRate {
  /** Rate as a fraction, e.g. 0.19. */
  readonly rate: Dec;
  /** The fraction as text, e.g. "0.19". */
  readonly rateText: string;
  /** The rate as a percentage, e.g. "19". */
  readonly percent: string;
  /** First day the rate applies. */
  readonly from: string;
  /** Source label, e.g. "ibericode@2025-08-12". */
  readonly source: string;
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

function makeRate(percent: Dec, from: string, source: string): VatRate {
  const rate = percent.div(100);
  return { rate, rateText: rate.toFixed(), percent: percent.toFixed(), from, source };
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
      list.push(makeRate(dec(String(standard)), p.effective_from, version));
    }
    map.set(country, list);
  }
  return new PeriodTable(version, sortNewestFirst(map));
}

/** Builds a rate table from a profile's inline periods (rates as fractions). */
export function inlineVatRates(source: Extract<TaxRateSource, { kind: 'inline' }>): VatRateTable {
  const map = new Map<string, VatRate[]>();
  for (const p of source.periods) {
    const list = map.get(p.country) ?? [];
    list.push(makeRate(dec(p.rate).times(100), p.from, source.version));
    map.set(p.country, list);
  }
  return new PeriodTable(source.version, sortNewestFirst(map));
}
