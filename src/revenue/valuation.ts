/** Values a consignment in the jurisdiction currency: item values, intrinsic value, customs value. */
import type { ConsignmentInput, Money, RevenueAssessment } from '../domain/index.js';
import type { FxRateProvider } from './fx.js';
import { amount, fixed, mulDiv, pow10, rate, SCALE, times, ZERO, type Amount } from './money.js';
import { notAssessed } from './not-assessed.js';

/** One recorded currency conversion. */
export type FxRecord = RevenueAssessment['fx'][number];

/** The consignment's values in the jurisdiction currency (converted amounts rounded to the FX places). */
export interface ConsignmentValues {
  /** Per item, same order as input.items. */
  readonly items: readonly Amount[];
  /** Sum of item values (includes transport/insurance only when they are in the price). */
  readonly intrinsic: Amount;
  /** Transport and insurance to add on top of the intrinsic value (zero when included in price). */
  readonly transport: Amount;
  readonly insurance: Amount;
  /** Intrinsic + transport + insurance: the CIF customs value. */
  readonly customsValue: Amount;
  /** The intrinsic value rendered with the profile's places. */
  readonly text: { intrinsic: string };
  readonly fx: readonly FxRecord[];
  /** " Values converted to EUR: 1 USD = ... (source)." or "" when nothing was converted. */
  readonly fxText: string;
}

/** Either the values or the reason they could not be computed (a note starting with fx.unavailable). */
export type ValuationResult = { ok: true; value: ConsignmentValues } | { ok: false; note: string };

/**
 * Converts every amount of the consignment into `currency` at the rate for `date`, rounding
 * converted amounts half-up to `fxPlaces`; `places` is used for the texts.
 * EU intrinsic value (UCC-DA Art. 1(48)): goods only, transport/insurance excluded unless in the price.
 */
export function valueConsignment(
  input: ConsignmentInput,
  currency: string,
  fx: FxRateProvider,
  date: string,
  fxPlaces: number,
  places: number,
): ValuationResult {
  let records: FxRecord[] | undefined;
  let missing: string | undefined;
  let lastFrom = '';
  let lastRate = rate('1');

  const convert = (money: Money | undefined): Amount => {
    if (money === undefined) return ZERO;
    const value = amount(money.amount);
    if (money.currency === currency) return value;
    if (money.currency !== lastFrom) {
      const known = records?.find((r) => r.from === money.currency);
      if (known === undefined) {
        const quote = fx.rate(money.currency, currency, date);
        if (quote === undefined) {
          missing ??= money.currency;
          return ZERO;
        }
        (records ??= []).push({
          from: money.currency,
          to: currency,
          rate: quote.rate,
          source: quote.source,
          date: quote.date,
        });
        lastRate = rate(quote.rate);
      } else lastRate = rate(known.rate);
      lastFrom = money.currency;
    }
    return times(value, lastRate, fxPlaces);
  };

  const items = input.items.map((item) => convert(item.value));
  const included = input.totals?.transportIncludedInPrice === true;
  const transport = included ? ZERO : convert(input.totals?.transport);
  const insurance = included ? ZERO : convert(input.totals?.insurance);
  if (missing !== undefined) {
    return {
      ok: false,
      note: notAssessed(
        'fx.unavailable',
        `no ${missing}->${currency} rate for ${date}; values not converted`,
      ),
    };
  }
  let intrinsic = ZERO;
  for (const v of items) intrinsic += v;
  const customsValue = intrinsic + transport + insurance;
  const fxRecords = records ?? [];
  const fxText =
    fxRecords.length === 0
      ? ''
      : ` Values converted to ${currency}: ${fxRecords
          .map((r) => `1 ${r.from} = ${r.rate} ${r.to} (${r.source}, rate date ${r.date})`)
          .join('; ')}.`;
  return {
    ok: true,
    value: {
      items,
      intrinsic,
      transport,
      insurance,
      customsValue,
      text: { intrinsic: fixed(intrinsic, places) },
      fx: fxRecords,
      fxText,
    },
  };
}

/**
 * Spreads `extra` (transport or insurance) over items in proportion to their values, each share
 * rounded down to `places` and the remaining steps given to the largest remainders (ties by
 * `keyOf`, then position), so shares sum exactly to `extra` and do not depend on item order.
 * Items of zero total value share equally.
 */
export function apportion(
  items: readonly Amount[],
  extra: Amount,
  places: number,
  keyOf?: (index: number) => string,
): Amount[] {
  const n = items.length;
  if (extra === ZERO || n === 0) return items.map(() => ZERO);
  if (n === 1) return [extra];
  let whole = ZERO;
  for (const v of items) whole += v;
  const weights = whole === ZERO ? items.map(() => 1) : items;
  const sumW = whole === ZERO ? n : whole;
  const step = pow10(SCALE - Math.min(places, SCALE));
  const neg = extra < ZERO;
  const e = neg ? -extra : extra;
  const shares: Amount[] = [];
  const rems: number[] = [];
  let given = ZERO;
  for (const w of weights) {
    // Floor share in steps and its remainder, exactly (BigInt when the product passes 2^53).
    const prod = e * w;
    let q: number;
    let rem: number;
    if (Number.isSafeInteger(prod)) {
      rem = prod % (sumW * step);
      q = (prod - rem) / (sumW * step);
    } else {
      const bp = BigInt(e) * BigInt(w);
      const bd = BigInt(sumW) * BigInt(step);
      q = Number(bp / bd);
      rem = Number(bp % bd) / Number(bd); // ordering only
    }
    shares.push(q * step);
    rems.push(Number.isSafeInteger(prod) ? rem / (sumW * step) : rem);
    given += q * step;
  }
  let left = e - given;
  if (left > ZERO) {
    const order = shares.map((_, i) => i);
    order.sort((a, b) => {
      const ra = rems[a] ?? 0;
      const rb = rems[b] ?? 0;
      if (ra !== rb) return ra > rb ? -1 : 1;
      const ka = keyOf?.(a) ?? '';
      const kb = keyOf?.(b) ?? '';
      if (ka !== kb) return ka < kb ? -1 : 1;
      return a - b;
    });
    for (const i of order) {
      if (left < step) break;
      shares[i] = (shares[i] ?? ZERO) + step;
      left -= step;
    }
    const first = order[0] ?? 0;
    shares[first] = (shares[first] ?? ZERO) + left;
  }
  return neg ? shares.map((s) => -s) : shares;
}

/** The share `part / whole` of `value`, rounded half-up at the internal scale (whole > 0). */
export function proportion(value: Amount, part: Amount, whole: Amount): Amount {
  return mulDiv(value, part, whole);
}
