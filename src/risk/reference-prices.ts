/** Reference unit prices learnt from history per HS6 (median and MAD of log unit value) and the undervaluation indicator. */
import type { ConsignmentInput, Item } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { toNumber } from './values.js';

/** Robust price statistics of one HS6 subheading, on the natural log of the EUR unit value. */
export interface ReferencePrice {
  /** Median unit value in EUR. */
  medianEur: number;
  /** Median absolute deviation of ln(unit value), scaled by 1.4826 (a robust standard deviation). */
  logSpread: number;
  /** Number of item lines the statistics rest on. */
  support: number;
}

/** A JSON-serialisable table of reference prices keyed by HS6. */
export interface ReferencePriceTable {
  version: 1;
  minSupport: number;
  prices: Record<string, ReferencePrice>;
}

/** One historical consignment: its data and its intrinsic value in EUR (null when unknown). */
export interface PricedConsignment {
  input: ConsignmentInput;
  intrinsicValueEur: string | null;
}

/** Options of learnReferencePrices. */
export interface LearnPricesOptions {
  /** Minimum item lines per HS6 before a price is published (default 30). */
  minSupport?: number;
  /** Floor on logSpread so a very uniform history does not flag small discounts (default 0.15). */
  minLogSpread?: number;
}

/** EUR per unit of the consignment currency, from its intrinsic value; 1 for EUR. */
function eurFactor(c: ConsignmentInput, intrinsicValueEur: string | null): number | null {
  const first = c.items[0];
  if (first === undefined) return null;
  if (c.items.every((i) => i.value.currency === 'EUR')) return 1;
  if (intrinsicValueEur === null) return null;
  let total = 0;
  for (const it of c.items) total += toNumber(it.value.amount);
  return total > 0 ? toNumber(intrinsicValueEur) / total : null;
}

/** EUR value of one unit of an item, or null when unknown. */
function unitEur(item: Item, factor: number): number | null {
  const v = (toNumber(item.value.amount) * factor) / item.quantity;
  return Number.isFinite(v) && v > 0 ? v : null;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Learns a reference price per HS6 from historical consignments (robust: median and MAD, minimum support). */
export function learnReferencePrices(
  records: Iterable<PricedConsignment>,
  opts: LearnPricesOptions = {},
): ReferencePriceTable {
  const minSupport = opts.minSupport ?? 30;
  const minLogSpread = opts.minLogSpread ?? 0.15;
  const logs = new Map<string, number[]>();
  for (const r of records) {
    const factor = eurFactor(r.input, r.intrinsicValueEur);
    if (factor === null) continue;
    for (const item of r.input.items) {
      if (item.hsCode === undefined || item.hsCode.length < 6) continue;
      const u = unitEur(item, factor);
      if (u === null) continue;
      const key = item.hsCode.slice(0, 6);
      const list = logs.get(key) ?? [];
      list.push(Math.log(u));
      logs.set(key, list);
    }
  }
  const prices: Record<string, ReferencePrice> = {};
  for (const key of [...logs.keys()].sort()) {
    const list = (logs.get(key) as number[]).sort((a, b) => a - b);
    if (list.length < minSupport) continue;
    const m = median(list);
    const mad = median(list.map((x) => Math.abs(x - m)).sort((a, b) => a - b));
    prices[key] = {
      medianEur: round2(Math.exp(m)),
      logSpread: Math.max(minLogSpread, Math.round(1.4826 * mad * 1000) / 1000),
      support: list.length,
    };
  }
  return { version: 1, minSupport, prices };
}

/** Module version recorded on hits. */
export const UNDERVALUATION_VERSION = 1;

// Robust z below which a low price is ordinary variation, and the z at which the score saturates.
const Z_START = 2;
const Z_FULL = 4;

/**
 * Scores the item whose EUR unit value lies furthest below its HS6 reference price, in robust standard
 * deviations of the log price: 0 below z = 2, rising to 1 at z = 4. Items without a reference are skipped.
 */
export function assessUndervaluation(
  c: ConsignmentInput,
  intrinsicValueEur: string | null,
  table: ReferencePriceTable | undefined,
): IndicatorResult {
  if (table === undefined) return quiet('undervaluation', UNDERVALUATION_VERSION);
  let factor: number | null | undefined;
  let best = quiet('undervaluation', UNDERVALUATION_VERSION);
  for (let i = 0; i < c.items.length; i++) {
    const item = c.items[i] as Item;
    const ref = item.hsCode === undefined ? undefined : table.prices[item.hsCode.slice(0, 6)];
    if (ref === undefined || ref.support < table.minSupport) continue;
    if (factor === undefined) factor = eurFactor(c, intrinsicValueEur);
    if (factor === null) return best;
    const u = unitEur(item, factor);
    if (u === null) continue;
    const z = (Math.log(ref.medianEur) - Math.log(u)) / ref.logSpread;
    if (z <= Z_START) continue;
    const score = round2(Math.min(1, (z - Z_START) / (Z_FULL - Z_START)));
    if (score <= best.score) continue;
    best = {
      id: 'undervaluation',
      version: UNDERVALUATION_VERSION,
      score,
      reason: `"${item.description}" declared at €${u.toFixed(2)} a unit, ${Math.round(100 * (1 - u / ref.medianEur))}% below the €${ref.medianEur} reference price of HS ${item.hsCode?.slice(0, 6)}`,
      inputs: {
        itemIndex: i,
        unitValueEur: u.toFixed(2),
        referenceEur: ref.medianEur,
        robustZ: round2(z),
        support: ref.support,
      },
    };
  }
  return best;
}
