/**
 * Reference unit prices learnt from history (median and MAD of the log EUR unit value) per HS6, and per
 * finer keys (HS6 + origin, HS6 + a description word), and the undervaluation indicator that uses them.
 */
import type { ConsignmentInput, Item, Mismatch } from '../domain/index.js';
import { quiet, round2, type IndicatorResult } from './indicator-result.js';
import { DerivedMemo, isDigits, sharedTokens } from './text-normalise.js';
import { toNumber } from './values.js';

/** Robust price statistics of one key, on the natural log of the EUR unit value. */
export interface ReferencePrice {
  /** Median unit value in EUR. */
  medianEur: number;
  /** Median absolute deviation of ln(unit value), scaled by 1.4826 (a robust standard deviation). */
  logSpread: number;
  /** Number of item lines the statistics rest on. */
  support: number;
}

/**
 * A JSON-serialisable table of reference prices. `prices` is keyed by HS6; version 2 adds `refined`,
 * keyed `HS6@origin` (country of origin) and `HS6#word` (a folded description word), used when they are
 * clearly narrower than the HS6 price (one subheading often mixes products: tablets and laptops).
 */
export interface ReferencePriceTable {
  version: 1 | 2;
  minSupport: number;
  prices: Record<string, ReferencePrice>;
  refined?: Record<string, ReferencePrice>;
  /**
   * Version 2: for each description word seen on at least `minSupport` item lines, how many of those lines
   * were declared under each HS chapter (what traders usually declare such goods as).
   */
  chapterUsage?: Record<string, Record<string, number>>;
}

/** One historical consignment: its data and its intrinsic value in EUR (null when unknown). */
export interface PricedConsignment {
  input: ConsignmentInput;
  intrinsicValueEur: string | null;
  /** The consignment's reference (id or external ref), matched against `exclude`. */
  ref?: string;
}

/** Options of learnReferencePrices. */
export interface LearnPricesOptions {
  /** Minimum item lines per HS6 before a price is published (default 30). */
  minSupport?: number;
  /** Minimum item lines per refined key (default 2 x minSupport: a narrower key must be well supported). */
  minRefinedSupport?: number;
  /** Floor on logSpread so a very uniform history does not flag small discounts (default 0.15). */
  minLogSpread?: number;
  /** Learn the refined keys as well (default true). */
  refine?: boolean;
  /**
   * Consignments an inspection found violating (learning from outcomes): their declared values are not
   * prices, and their codes not usual declarations, so they are left out.
   */
  exclude?: ReadonlySet<string>;
}

/** EUR per unit of the consignment currency, from its intrinsic value; 1 for EUR. */
export function eurFactor(c: ConsignmentInput, intrinsicValueEur: string | null): number | null {
  const first = c.items[0];
  if (first === undefined) return null;
  if (c.items.every((i) => i.value.currency === 'EUR')) return 1;
  if (intrinsicValueEur === null) return null;
  let total = 0;
  for (const it of c.items) total += toNumber(it.value.amount);
  return total > 0 ? toNumber(intrinsicValueEur) / total : null;
}

/** EUR value of one unit of an item, or null when unknown. */
export function unitEur(item: Item, factor: number): number | null {
  const v = (toNumber(item.value.amount) * factor) / item.quantity;
  return Number.isFinite(v) && v > 0 ? v : null;
}

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

// Words that say nothing about what the product is (sizes, packaging, joining words).
const STOP = new Set(
  'and|with|for|the|size|pcs|set|pack|of|in|to|eu|mixed|new|style|inch|cm|mm|ml'.split('|'),
);

// Memoised per shared token array: listings repeat, and both price lookup and chapter usage need the words.
const wordsOf = new DerivedMemo<readonly string[]>((tokens) => {
  const out: string[] = [];
  for (const w of tokens) {
    if (w.length < 3 || isDigits(w) || STOP.has(w) || out.includes(w)) continue;
    out.push(w);
  }
  return Object.freeze(out);
});

/** Description words that can key a refined price: folded, 3+ letters, not a number, not a filler word. */
export function priceWords(description: string): readonly string[] {
  return wordsOf.get(sharedTokens(description));
}

function stats(list: number[], minLogSpread: number): ReferencePrice {
  list.sort((a, b) => a - b);
  const m = median(list);
  const mad = median(list.map((x) => Math.abs(x - m)).sort((a, b) => a - b));
  return {
    medianEur: round2(Math.exp(m)),
    logSpread: Math.max(minLogSpread, Math.round(1.4826 * mad * 1000) / 1000),
    support: list.length,
  };
}

/** Learns reference prices from historical consignments (robust: median and MAD, minimum support). */
export function learnReferencePrices(
  records: Iterable<PricedConsignment>,
  opts: LearnPricesOptions = {},
): ReferencePriceTable {
  const minSupport = opts.minSupport ?? 30;
  const minRefined = opts.minRefinedSupport ?? 2 * minSupport;
  const minLogSpread = opts.minLogSpread ?? 0.15;
  const refine = opts.refine ?? true;
  const logs = new Map<string, number[]>();
  const usage = new Map<string, Map<string, number>>();
  const count = (word: string, chapter: string): void => {
    let m = usage.get(word);
    if (m === undefined) usage.set(word, (m = new Map()));
    m.set(chapter, (m.get(chapter) ?? 0) + 1);
  };
  const push = (key: string, x: number): void => {
    const list = logs.get(key);
    if (list) list.push(x);
    else logs.set(key, [x]);
  };
  for (const r of records) {
    if (r.ref !== undefined && opts.exclude?.has(r.ref) === true) continue;
    const factor = eurFactor(r.input, r.intrinsicValueEur);
    if (factor === null) continue;
    for (const item of r.input.items) {
      if (item.hsCode === undefined || item.hsCode.length < 6) continue;
      if (refine) for (const w of priceWords(item.description)) count(w, item.hsCode.slice(0, 2));
      const u = unitEur(item, factor);
      if (u === null) continue;
      const hs6 = item.hsCode.slice(0, 6);
      const x = Math.log(u);
      push(hs6, x);
      if (!refine) continue;
      if (item.origin !== undefined) push(`${hs6}@${item.origin}`, x);
      for (const w of priceWords(item.description)) push(`${hs6}#${w}`, x);
    }
  }
  const prices: Record<string, ReferencePrice> = {};
  const refined: Record<string, ReferencePrice> = {};
  for (const key of [...logs.keys()].sort()) {
    const list = logs.get(key) as number[];
    const isRefined = key.length > 6;
    if (list.length < (isRefined ? minRefined : minSupport)) continue;
    // A word keys a price only when it names a kind of goods: a colour or a size is written on goods of
    // every chapter, and among a dozen of them one is narrower or dearer than its subheading by chance.
    if (key[6] === '#' && !namesGoods(usage.get(key.slice(7)))) continue;
    const s = stats(list, minLogSpread);
    if (!isRefined) prices[key] = s;
    else {
      // A refined key is kept only when it is clearly narrower or priced apart from its subheading.
      const base = prices[key.slice(0, 6)];
      if (base === undefined) continue;
      const shift = Math.abs(Math.log(s.medianEur / base.medianEur)) / base.logSpread;
      if (s.logSpread <= REFINED_NARROWER * base.logSpread || shift >= 0.5) refined[key] = s;
    }
  }
  if (!refine) return { version: 1, minSupport, prices };
  const chapterUsage: Record<string, Record<string, number>> = {};
  for (const word of [...usage.keys()].sort()) {
    const m = usage.get(word) as Map<string, number>;
    let total = 0;
    for (const n of m.values()) total += n;
    if (total >= minSupport) chapterUsage[word] = Object.fromEntries([...m].sort());
  }
  return { version: 2, minSupport, prices, refined, chapterUsage };
}

// A refined key replaces its subheading when its spread is at most this share of the subheading's.
const REFINED_NARROWER = 0.85;

/** A word names a kind of goods when one HS chapter holds at least this share of its lines. */
export const GOODS_WORD_SHARE = 0.6;

function namesGoods(chapters: ReadonlyMap<string, number> | undefined): boolean {
  if (chapters === undefined) return false;
  let total = 0;
  let top = 0;
  for (const n of chapters.values()) {
    total += n;
    if (n > top) top = n;
  }
  return top >= GOODS_WORD_SHARE * total;
}

/**
 * The reference for an item: the narrowest of its refined keys (HS6@origin, HS6#word) in the table, else
 * its HS6. A refined key is only kept when it is narrower than, or priced apart from, its subheading (a
 * laptop among tablets in 8471 30), so it describes the item better even when its own spread is wider.
 */
export function referenceFor(
  item: Item,
  table: ReferencePriceTable,
): { key: string; price: ReferencePrice } | undefined {
  if (item.hsCode === undefined) return undefined;
  const hs6 = item.hsCode.slice(0, 6);
  const base = table.prices[hs6];
  if (base === undefined || base.support < table.minSupport) return undefined;
  let best: { key: string; price: ReferencePrice } | undefined;
  const refined = table.refined;
  if (refined === undefined) return { key: hs6, price: base };
  // A refined spread rests on fewer lines: shrink it towards the subheading's, by support, so a key that
  // is narrower by chance (a colour word on 60 lines) does not make ordinary prices look far off.
  const prior = 2 * table.minSupport;
  const consider = (key: string): void => {
    const p = refined[key];
    // An imported table may carry refined rows on a few lines: they are no better than the subheading.
    if (p === undefined || p.support < table.minSupport) return;
    const logSpread =
      Math.round(
        1000 * Math.sqrt((p.support * p.logSpread ** 2 + prior * base.logSpread ** 2) / (p.support + prior)),
      ) / 1000;
    if (best === undefined || logSpread < best.price.logSpread) best = { key, price: { ...p, logSpread } };
  };
  if (item.origin !== undefined) consider(`${hs6}@${item.origin}`);
  for (const w of priceWords(item.description)) consider(`${hs6}#${w}`);
  return best ?? { key: hs6, price: base };
}

/**
 * Module version recorded on hits. v3: a declaration below what the platform order or the payment records
 * as paid for the same goods is scored against that price (the intrinsic value is the price of the goods
 * when sold, UCC-DA art. 1(48)), whether or not a learnt reference exists.
 */
export const UNDERVALUATION_VERSION = 3;

// Robust z below which a low price is ordinary variation, and the z at which the score saturates.
const Z_START = 2;
const Z_FULL = 4;
// The shortfall (reference minus declared, EUR per line) at which undervaluation matters in full:
// a EUR 7 T-shirt declared at EUR 2 is far below its price but puts almost no revenue at stake.
const MATERIAL_EUR = 15;
// The unit value (EUR) a zero declaration is scored as.
const ZERO_AS_EUR = 0.01;
// The price paid for the very goods declared is a reference with the narrowest spread a learnt price may
// have (learnReferencePrices' default floor): an order that shows prices with VAT (at most 27 %) or a
// rounding difference stays under Z_START (a declaration 26 % under the price paid), half the price is
// z = 4.6.
const PAID_LOG_SPREAD = 0.15;
// Sources that state what was paid, and sources that declare the goods for customs.
const PAYING_KINDS: ReadonlySet<string> = new Set(['platform-order', 'payment']);
const DECLARING_KINDS: ReadonlySet<string> = new Set(['declaration', 'postal-item', 'carrier-waybill']);

// A mismatch names its sources by kind, or "<kind> from <submitter>" between records of one kind.
const kindOf = (label: string): string => {
  const at = label.indexOf(' from ');
  return at < 0 ? label : label.slice(0, at);
};

/**
 * The largest disagreement where the platform order or the payment records a higher total for the goods
 * than the source the consignment's goods were taken from (the declaring source): the declared and paid
 * totals in the consignment currency, and the paying source.
 */
export function paidAboveDeclared(
  c: ConsignmentInput,
  mismatches: readonly Mismatch[],
): { declared: number; paid: number; source: string } | undefined {
  if (!DECLARING_KINDS.has(c.source)) return undefined;
  let best: { declared: number; paid: number; source: string } | undefined;
  for (const m of mismatches) {
    if (m.field !== 'value') continue;
    const [a, b] = m.between;
    const ka = kindOf(a);
    const kb = kindOf(b);
    let declared: number;
    let paid: number;
    let source: string;
    if (ka === c.source && PAYING_KINDS.has(kb))
      [declared, paid, source] = [toNumber(m.values[0]), toNumber(m.values[1]), kb];
    else if (kb === c.source && PAYING_KINDS.has(ka))
      [declared, paid, source] = [toNumber(m.values[1]), toNumber(m.values[0]), ka];
    else continue;
    if (!(declared >= 0 && paid > declared)) continue;
    // The widest gap (a declaration of zero is the widest of all).
    if (best === undefined || paid * best.declared > best.paid * declared) best = { declared, paid, source };
  }
  return best;
}

// The score of a value `z` robust spreads under its reference with `shortfall` EUR at stake.
const scoreOf = (z: number, shortfall: number): number =>
  round2(Math.min(1, (z - Z_START) / (Z_FULL - Z_START)) * Math.min(1, shortfall / MATERIAL_EUR));

/**
 * Scores the item whose EUR unit value lies furthest below its reference price, in robust standard
 * deviations of the log price (0 below z = 2, rising to 1 at z = 4), scaled down when the shortfall
 * in EUR is small. Items without a reference are skipped. When the platform order or the payment
 * (`mismatches`, value disagreements between the sources) records a higher total than the declaration,
 * that price paid is a reference too, with a spread of 0.15.
 */
export function assessUndervaluation(
  c: ConsignmentInput,
  intrinsicValueEur: string | null,
  table: ReferencePriceTable | undefined,
  mismatches: readonly Mismatch[] = [],
): IndicatorResult {
  let best = quiet('undervaluation', UNDERVALUATION_VERSION);
  let factor: number | null | undefined;
  const paid = paidAboveDeclared(c, mismatches);
  if (paid !== undefined) {
    factor = eurFactor(c, intrinsicValueEur);
    if (factor !== null) {
      const declaredEur = paid.declared * factor;
      const paidEur = paid.paid * factor;
      const z = (Math.log(paidEur) - Math.log(Math.max(declaredEur, ZERO_AS_EUR))) / PAID_LOG_SPREAD;
      const shortfall = paidEur - declaredEur;
      const score = z > Z_START ? scoreOf(z, shortfall) : 0;
      if (score > 0)
        best = {
          id: 'undervaluation',
          version: UNDERVALUATION_VERSION,
          score,
          reason: `declared at €${declaredEur.toFixed(2)} in total, ${Math.round(100 * (1 - declaredEur / paidEur))}% below the €${paidEur.toFixed(2)} the ${paid.source} records for the same goods`,
          inputs: {
            declaredEur: declaredEur.toFixed(2),
            paidEur: paidEur.toFixed(2),
            paidSource: paid.source,
            robustZ: round2(z),
            shortfallEur: shortfall.toFixed(2),
          },
        };
    }
  }
  if (table === undefined) return best;
  for (let i = 0; i < c.items.length; i++) {
    const item = c.items[i] as Item;
    const ref = referenceFor(item, table);
    if (ref === undefined) continue;
    if (factor === undefined) factor = eurFactor(c, intrinsicValueEur);
    if (factor === null) return best;
    // An item declared at zero is the extreme of undervaluation, not an item without a price: it is
    // compared as one cent (ln 0 is -Infinity) and reported at its declared 0.00.
    const u = toNumber(item.value.amount) === 0 && item.quantity > 0 ? 0 : unitEur(item, factor);
    if (u === null) continue;
    const p = ref.price;
    const z = (Math.log(p.medianEur) - Math.log(Math.max(u, ZERO_AS_EUR))) / p.logSpread;
    if (z <= Z_START) continue;
    const shortfall = (p.medianEur - u) * item.quantity;
    const score = scoreOf(z, shortfall);
    if (score <= best.score) continue;
    best = {
      id: 'undervaluation',
      version: UNDERVALUATION_VERSION,
      score,
      reason: `"${item.description}" declared at €${u.toFixed(2)} a unit, ${Math.round(100 * (1 - u / p.medianEur))}% below the €${p.medianEur} reference price of ${describeKey(ref.key)}`,
      inputs: {
        itemIndex: i,
        unitValueEur: u.toFixed(2),
        referenceEur: p.medianEur,
        referenceKey: ref.key,
        robustZ: round2(z),
        shortfallEur: shortfall.toFixed(2),
        support: p.support,
      },
    };
  }
  return best;
}

function describeKey(key: string): string {
  const hs6 = key.slice(0, 6);
  if (key[6] === '@') return `HS ${hs6} from ${key.slice(7)}`;
  if (key[6] === '#') return `HS ${hs6} goods described as "${key.slice(7)}"`;
  return `HS ${hs6}`;
}
