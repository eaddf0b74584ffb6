/**
 * The integer fast path of valueConsignment (valuation.ts): the same values, texts and FX records,
 * computed in micro-units. Returns undefined whenever the decimal.js path must decide instead.
 */
import type { ConsignmentInput, Money } from '../domain/index.js';
import { fixed, parseMicro, parseRate, timesRate, type FixedRate } from './fixed.js';
import type { FxRateProvider } from './fx.js';
import type { FxRecord } from './valuation.js';

/** The consignment's values in micro-units of the jurisdiction currency (see ConsignmentValues). */
export interface FastValues {
  readonly items: readonly number[];
  readonly intrinsic: number;
  readonly transport: number;
  readonly insurance: number;
  readonly customsValue: number;
  readonly text: { intrinsic: string; transport: string; insurance: string; customsValue: string };
  readonly fx: readonly FxRecord[];
  readonly fxText: string;
}

/** Either the values, the fx.unavailable note, or undefined (use the decimal.js path). */
export type FastValuation = { ok: true; value: FastValues } | { ok: false; note: string } | undefined;

/**
 * Customs values above this (100,000,000 currency units) go through decimal.js: below it every
 * sum is a safe integer and decimal.js's 34-digit apportioning quotients provably round like exact ones.
 */
export const FAST_LIMIT = 10 ** 14;

interface Converter {
  readonly currency: string;
  readonly fx: FxRateProvider;
  readonly date: string;
  readonly fxPlaces: number;
  rates: Map<string, FixedRate> | undefined;
  readonly records: FxRecord[];
  missing: string | undefined;
  bail: boolean;
}

function convert(c: Converter, money: Money | undefined): number {
  if (money === undefined) return 0;
  const amount = parseMicro(money.amount);
  if (amount === undefined) {
    c.bail = true;
    return 0;
  }
  if (money.currency === c.currency) return amount;
  let rate = c.rates?.get(money.currency);
  if (rate === undefined) {
    const quote = c.fx.rate(money.currency, c.currency, c.date);
    if (quote === undefined) {
      c.missing ??= money.currency;
      return 0;
    }
    rate = parseRate(quote.rate);
    if (rate === undefined) {
      c.bail = true;
      return 0;
    }
    (c.rates ??= new Map()).set(money.currency, rate);
    c.records.push({
      from: money.currency,
      to: c.currency,
      rate: quote.rate,
      source: quote.source,
      date: quote.date,
    });
  }
  return timesRate(amount, rate, c.fxPlaces);
}

function describeFx(records: readonly FxRecord[], currency: string): string {
  if (records.length === 0) return '';
  let text = '';
  for (const r of records) {
    text += `${text === '' ? '' : '; '}1 ${r.from} = ${r.rate} ${r.to} (${r.source}, rate date ${r.date})`;
  }
  return ` Values converted to ${currency}: ${text}.`;
}

/** Integer twin of valueConsignment: same arguments, same outcome, or undefined to fall back. */
export function valueFast(
  input: ConsignmentInput,
  currency: string,
  fx: FxRateProvider,
  date: string,
  fxPlaces: number,
  places: number,
): FastValuation {
  const c: Converter = {
    currency,
    fx,
    date,
    fxPlaces,
    rates: undefined,
    records: [],
    missing: undefined,
    bail: false,
  };
  const items: number[] = [];
  let intrinsic = 0;
  for (const item of input.items) {
    const v = convert(c, item.value);
    items.push(v);
    intrinsic += v;
  }
  const totals = input.totals;
  const included = totals?.transportIncludedInPrice === true;
  const transport = included ? 0 : convert(c, totals?.transport);
  const insurance = included ? 0 : convert(c, totals?.insurance);
  if (c.bail) return undefined;
  if (c.missing !== undefined) {
    return {
      ok: false,
      note: `fx.unavailable: no ${c.missing}->${currency} rate for ${date}; values not converted`,
    };
  }
  const customsValue = intrinsic + transport + insurance;
  if (!(customsValue <= FAST_LIMIT)) return undefined;
  return {
    ok: true,
    value: {
      items,
      intrinsic,
      transport,
      insurance,
      customsValue,
      text: {
        intrinsic: fixed(intrinsic, places),
        transport: fixed(transport, places),
        insurance: fixed(insurance, places),
        customsValue: fixed(customsValue, places),
      },
      fx: c.records,
      fxText: describeFx(c.records, currency),
    },
  };
}
