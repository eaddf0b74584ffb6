/** Values a consignment in the jurisdiction currency: item values, intrinsic value, customs value. */
import { Dec, type ConsignmentInput, type Money, type RevenueAssessment } from '../domain/index.js';
import type { FxRateProvider } from './fx.js';

/** One recorded currency conversion. */
export type FxRecord = RevenueAssessment['fx'][number];

/** The consignment's values in the jurisdiction currency (converted amounts rounded to the FX places). */
export interface ConsignmentValues {
  /** Per item, same order as input.items. */
  readonly items: readonly Dec[];
  /** Sum of item values (includes transport/insurance only when they are in the price). */
  readonly intrinsic: Dec;
  /** Transport and insurance to add on top of the intrinsic value (zero when included in price). */
  readonly transport: Dec;
  readonly insurance: Dec;
  /** Intrinsic + transport + insurance: the CIF customs value. */
  readonly customsValue: Dec;
  /** The four values above rendered once with the profile's places. */
  readonly text: { intrinsic: string; transport: string; insurance: string; customsValue: string };
  readonly fx: readonly FxRecord[];
  /** " Values converted to EUR: 1 USD = ... (source)." or "" when nothing was converted. */
  readonly fxText: string;
}

/** Either the values or the reason they could not be computed (a note starting with fx.unavailable). */
export type ValuationResult = { ok: true; value: ConsignmentValues } | { ok: false; note: string };

const ZERO = new Dec(0);

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
  const rates = new Map<string, Dec>();
  const records: FxRecord[] = [];
  let missing: string | undefined;

  const convert = (money: Money | undefined): Dec => {
    if (money === undefined) return ZERO;
    // Amounts were validated as DecimalString at intake, so the plain constructor is safe here.
    const amount = new Dec(money.amount);
    if (money.currency === currency) return amount;
    let rate = rates.get(money.currency);
    if (rate === undefined) {
      const quote = fx.rate(money.currency, currency, date);
      if (quote === undefined) {
        missing ??= money.currency;
        return ZERO;
      }
      rate = new Dec(quote.rate);
      rates.set(money.currency, rate);
      records.push({
        from: money.currency,
        to: currency,
        rate: quote.rate,
        source: quote.source,
        date: quote.date,
      });
    }
    return amount.times(rate).toDecimalPlaces(fxPlaces, Dec.ROUND_HALF_UP);
  };

  const items = input.items.map((item) => convert(item.value));
  const included = input.totals?.transportIncludedInPrice === true;
  const transport = included ? ZERO : convert(input.totals?.transport);
  const insurance = included ? ZERO : convert(input.totals?.insurance);
  if (missing !== undefined) {
    return {
      ok: false,
      note: `fx.unavailable: no ${missing}->${currency} rate for ${date}; values not converted`,
    };
  }
  let intrinsic = items[0] ?? ZERO;
  for (let i = 1; i < items.length; i++) intrinsic = intrinsic.plus(items[i] ?? ZERO);
  let customsValue = intrinsic;
  if (!transport.isZero()) customsValue = customsValue.plus(transport);
  if (!insurance.isZero()) customsValue = customsValue.plus(insurance);
  const fxText =
    records.length === 0
      ? ''
      : ` Values converted to ${currency}: ${records
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
      text: {
        intrinsic: intrinsic.toFixed(places),
        transport: transport.toFixed(places),
        insurance: insurance.toFixed(places),
        customsValue: customsValue.toFixed(places),
      },
      fx: records,
      fxText,
    },
  };
}

/**
 * Spreads `extra` (transport + insurance) over items in proportion to their values, rounded to
 * `places`, the last item taking the remainder so item bases sum exactly to the customs value.
 */
export function apportion(items: readonly Dec[], extra: Dec, places: number): Dec[] {
  if (extra.isZero() || items.length === 0) return [...items];
  let total = ZERO;
  for (const v of items) total = total.plus(v);
  const out: Dec[] = [];
  let given = ZERO;
  items.forEach((v, i) => {
    let share: Dec;
    if (i === items.length - 1) share = extra.minus(given);
    else if (total.isZero()) share = i === 0 ? extra : ZERO;
    else share = extra.times(v).div(total).toDecimalPlaces(places, Dec.ROUND_HALF_UP);
    given = given.plus(share);
    out.push(v.plus(share));
  });
  return out;
}
