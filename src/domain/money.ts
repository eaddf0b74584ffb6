/** Exact decimal arithmetic for money (decimal.js); amounts travel as strings. */
import { Decimal } from 'decimal.js';

/** A Decimal constructor isolated from global configuration: 34 significant digits, half-up. */
export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

/** Parses a decimal string; throws on anything that is not a finite decimal. */
export function dec(value: string | number | Dec): Dec {
  const d = new Dec(value);
  if (!d.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return d;
}

/** Rounds half-up to `places` decimals and renders with exactly that many places. */
export function roundMoney(value: Dec, places = 2): string {
  return value.toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed(places);
}

/** Sums decimal strings exactly. */
export function sum(values: Iterable<string | Dec>): Dec {
  let total = new Dec(0);
  for (const v of values) total = total.plus(v);
  return total;
}

/** Normalises a JSON number or decimal string into a canonical decimal string ("12.5" stays "12.5"). */
export function normaliseDecimal(value: string | number): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('not a finite number');
    // The shortest round-trip representation is exactly the decimal the sender wrote (up to 15 digits).
    return new Dec(String(value)).toFixed();
  }
  return new Dec(value).toFixed();
}

/** ISO 4217 minor units of the currencies that do not use two (every other currency uses two). */
const minorUnits: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  IDR: 0,
  CLP: 0,
  ISK: 0,
  VND: 0,
  BHD: 3,
  KWD: 3,
  OMR: 3,
  JOD: 3,
  TND: 3,
};

/** The decimal places amounts in `currency` are written with (ISO 4217 minor units). */
export const currencyPlaces = (currency: string): number => minorUnits[currency] ?? 2;
