/**
 * Exact fixed-point money for the revenue engine: amounts are safe-integer counts of micro-units
 * (10^-6 of the currency unit) held in a JS number, rates are exact fractions `num / 10^scale`,
 * and every rounding is half-up (away from zero) done once, in integers, at the places the rule
 * asks for. Products that would pass 2^53 are computed in BigInt; a result that cannot be held
 * exactly throws RangeError (the engine turns it into a revenue.value-out-of-range note).
 * No binary fraction ever touches money. See docs/revenue.md ("Arithmetic").
 */

/** Decimal places held by an amount. */
export const SCALE = 6;
/** One currency unit in micro-units. */
export const ONE = 1_000_000;
/** The largest value an input amount may have in micro-units (10^9 currency units). */
export const LIMIT = 1e15;

/** An exact amount: a safe-integer count of micro-units. */
export type Amount = number;

/** Zero. */
export const ZERO: Amount = 0;

const MAX = Number.MAX_SAFE_INTEGER;
const POW10: readonly number[] = Array.from({ length: 22 }, (_, i) => 10 ** i);
const BIG_POW10: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

/** 10^n for n in 0..21 (exact as a double). */
export function pow10(n: number): number {
  const p = POW10[n];
  if (p === undefined) throw new RangeError(`10^${n} out of range`);
  return p;
}

function bigPow10(n: number): bigint {
  const p = BIG_POW10[n];
  if (p === undefined) throw new RangeError(`10^${n} out of range`);
  return p;
}

function safe(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('revenue amount out of exact range');
  return n;
}

/** `n / d` rounded half-up (away from zero), for safe integers, d > 0. */
export function divHalfUp(n: number, d: number): number {
  if (n < 0) return -divHalfUp(-n, d);
  const r = n % d;
  return (n - r) / d + (r * 2 >= d ? 1 : 0);
}

function bigDivHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n) return -bigDivHalfUp(-n, d);
  const q = n / d;
  return (n - q * d) * 2n >= d ? q + 1n : q;
}

/** `a x b / d` rounded half-up (away from zero), exactly: in doubles when safe, else in BigInt. */
export function mulDiv(a: number, b: number, d: number): number {
  const p = a * b;
  if (p <= MAX && p >= -MAX && d <= MAX) return divHalfUp(p, d);
  return safe(Number(bigDivHalfUp(BigInt(a) * BigInt(b), BigInt(d))));
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The micro-units of a short plain decimal ("-12.5": an optional minus, 1 to 15 digits, optionally a
 * dot and 1 to 6 digits) read digit by digit, exactly (every partial value stays below 2^53); undefined
 * for any other text, which `amount` then reads the general way.
 */
function plainMicros(text: string): Amount | undefined {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  const negative = i === 1;
  let units = 0;
  const intStart = i;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    units = units * 10 + (c - 48);
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 15) return undefined;
  let frac = 0;
  let fracDigits = 0;
  if (i < n) {
    if (text.charCodeAt(i) !== 46) return undefined;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57 || fracDigits === SCALE) return undefined;
      frac = frac * 10 + (c - 48);
      fracDigits++;
    }
    if (fracDigits === 0) return undefined;
  }
  if (units > LIMIT / ONE) return undefined;
  const v = units * ONE + frac * (POW10[SCALE - fracDigits] as number);
  if (v > LIMIT) return undefined;
  return negative ? -v : v;
}

/**
 * Parses a plain decimal string ("-12.5", "100.000001") into micro-units; digits past the 6th
 * decimal are rounded half-up. Throws RangeError for anything else or beyond 10^9 units.
 */
export function amount(text: string): Amount {
  return plainMicros(text) ?? amountByDefinition(text);
}

/** `amount` without the digit-by-digit fast path (the reference it must agree with). */
export function amountByDefinition(text: string): Amount {
  const dot = text.indexOf('.');
  const fracLen = dot < 0 ? 0 : text.length - dot - 1;
  if (fracLen <= SCALE && text.length <= 16) {
    const digits = dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1);
    const n = Number(digits);
    const c = digits.charCodeAt(0);
    // Validated text (DecimalString): digits with an optional sign; Number() is exact up to 15 digits.
    if (
      Number.isSafeInteger(n) &&
      ((c >= 48 && c <= 57) || c === 45) &&
      digits.indexOf('x') < 0 &&
      digits.indexOf('e') < 0
    ) {
      const v = n * (POW10[SCALE - fracLen] ?? 1);
      if (v <= LIMIT && v >= -LIMIT) return v;
      throw new RangeError(`amount ${text} is beyond the exact range (10^9 units)`);
    }
  }
  const m = PLAIN.exec(text);
  if (m === null) throw new RangeError(`not a plain decimal: ${text}`);
  const frac = m[3] ?? '';
  const digits = BigInt((m[2] ?? '0') + frac);
  const units =
    frac.length <= SCALE
      ? digits * bigPow10(SCALE - frac.length)
      : bigDivHalfUp(digits, bigPow10(frac.length - SCALE));
  const v = Number(units);
  if (units > BigInt(LIMIT)) throw new RangeError(`amount ${text} is beyond the exact range (10^9 units)`);
  return m[1] === '-' ? -v : v;
}

const constants = new Map<string, Amount>();

/** `amount` for profile constants (thresholds, flat amounts): parsed once and cached by text. */
export function constant(text: string): Amount {
  let v = constants.get(text);
  if (v === undefined) {
    v = amount(text);
    if (constants.size > 10_000) constants.clear();
    constants.set(text, v);
  }
  return v;
}

/**
 * A count or measure (a quantity, grams) as an amount: exactly the decimal the number is written as
 * (its shortest round-trip text: 0.000246 is 246 micro-units, where `0.000246 * 10^6` is
 * 246.00000000000003), digits past the 6th decimal rounded half-up, and never below one micro-unit for
 * a positive number (a quantity divides per-unit values).
 */
export function units(n: number): Amount {
  if (Number.isInteger(n)) return safe(n * ONE);
  const v = amount(plainDecimal(n));
  return v === 0 && n > 0 ? 1 : v;
}

/** The shortest round-trip decimal text of a finite number, without an exponent ("1e-7" is "0.0000001"). */
export function plainDecimal(n: number): string {
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const point = 1 + Number(m[4]);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (m[1] ?? '') + body;
}

/** A non-negative decimal rate as an exact fraction `num / 10^scale`, with its canonical text. */
export interface Rate {
  readonly num: number;
  readonly scale: number;
  /** Canonical text without trailing zeros ("0.2" for "0.20"), like Decimal#toFixed(). */
  readonly text: string;
  /** The rate x 100 as text ("19", "25.5"). */
  readonly percent: string;
  readonly isZero: boolean;
}

const rateCache = new Map<string, Rate>();

function canonical(num: number, scale: number): string {
  if (scale === 0) return String(num);
  const digits = String(num).padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/** Parses a plain non-negative decimal rate ("0.19", "1.163412345", up to 15 digits); cached by text. */
export function rate(text: string): Rate {
  const hit = rateCache.get(text);
  if (hit !== undefined) return hit;
  const m = PLAIN.exec(text);
  if (m === null || m[1] === '-') throw new RangeError(`not a non-negative decimal rate: ${text}`);
  const frac = m[3] ?? '';
  const digits = ((m[2] ?? '0') + frac).replace(/^0+(?=\d)/, '');
  if (digits.length > 15) throw new RangeError(`rate ${text} has more than 15 significant digits`);
  const num = Number(digits);
  const scale = frac.length;
  const percent = scale >= 2 ? canonical(num, scale - 2) : canonical(num * pow10(2 - scale), 0);
  const out: Rate = { num, scale, text: canonical(num, scale), percent, isZero: num === 0 };
  if (rateCache.size > 10_000) rateCache.clear();
  rateCache.set(text, out);
  return out;
}

/** The rate 1 - r (r <= 1). */
export function complement(r: Rate): Rate {
  return rate(canonical(pow10(r.scale) - r.num, r.scale));
}

/** A percentage ("25.5") as a rate (0.255). */
export function percentRate(percentText: string): Rate {
  const r = rate(percentText);
  return rate(canonical(r.num, r.scale + 2));
}

/** The exact product of two rates. */
export function rateTimes(a: Rate, b: Rate): Rate {
  if (b.num === 1 && b.scale === 0) return a;
  const n = a.num * b.num;
  if (!Number.isSafeInteger(n)) throw new RangeError('rate product out of exact range');
  return rate(canonical(n, a.scale + b.scale));
}

/** Rounds an amount half-up to `places` decimals (places <= 6). */
export function round(value: Amount, places: number): Amount {
  if (places >= SCALE) return value;
  const step = POW10[SCALE - places] ?? 1;
  return divHalfUp(value, step) * step;
}

/** `value x rate`, rounded half-up once to `places` decimals (exact product, single rounding). */
export function times(value: Amount, r: Rate, places = SCALE): Amount {
  if (places >= SCALE) return mulDiv(value, r.num, pow10(r.scale));
  const step = POW10[SCALE - places] ?? 1;
  return mulDiv(value, r.num, pow10(r.scale) * step) * step;
}

/** `value x a / b` for amounts a, b (b > 0), rounded half-up once to `places` decimals. */
export function scale(value: Amount, a: Amount, b: Amount, places = SCALE): Amount {
  const step = POW10[SCALE - Math.min(places, SCALE)] ?? 1;
  return mulDiv(value, a, b * step) * step;
}

/** `value / r` for a non-zero rate, rounded half-up to `places` decimals. */
export function divide(value: Amount, r: Rate, places = SCALE): Amount {
  const step = POW10[SCALE - Math.min(places, SCALE)] ?? 1;
  return mulDiv(value, pow10(r.scale), r.num * step) * step;
}

/** Renders with exactly `places` decimals, half-up; "-0.00" for a negative value that rounds to zero. */
export function fixed(value: Amount, places: number): string {
  if (value < 0) return `-${fixed(-value, places)}`;
  const p = Math.min(places, SCALE);
  const pad = places > SCALE ? '0'.repeat(places - SCALE) : '';
  const u = p === SCALE ? value : divHalfUp(value, POW10[SCALE - p] ?? 1);
  if (p === 0) return String(u);
  const unit = POW10[p] ?? 1;
  const frac = u % unit;
  const fracText = String(frac);
  const int = (u - frac) / unit;
  return fracText.length === p
    ? `${int}.${fracText}${pad}`
    : `${int}.${'0'.repeat(p - fracText.length)}${fracText}${pad}`;
}

/** Renders without trailing zeros (like Decimal#toFixed() with no argument). */
export function plain(value: Amount): string {
  if (value < 0) return `-${plain(-value)}`;
  return canonical(value, SCALE);
}

/** The sum of amounts. */
export function total(values: readonly Amount[]): Amount {
  let s = ZERO;
  for (const v of values) s += v;
  return safe(s);
}
