/**
 * Exact fixed-point money for the revenue engine: amounts are BigInt counts of 10^-6 currency
 * units, rates are BigInt numerators over a power of ten, and every rounding is half-up (away from
 * zero) done once, in integers, at the places the rule asks for. No binary fraction ever touches
 * money and nothing can overflow. See docs/revenue.md ("Arithmetic").
 */

/** Decimal places held by an amount. */
export const SCALE = 6;
const ONE = 10n ** BigInt(SCALE);

/** An exact amount: a count of 10^-6 currency units. */
export type Amount = bigint;

/** Zero. */
export const ZERO: Amount = 0n;

const POW10: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

/** 10^n as a BigInt, for n in 0..39. */
export function pow10(n: number): bigint {
  const p = POW10[n];
  if (p === undefined) throw new RangeError(`10^${n} out of range`);
  return p;
}

const PLAIN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `n / d` rounded half-up (away from zero); d > 0. */
export function divHalfUp(n: bigint, d: bigint): bigint {
  if (n < 0n) return -divHalfUp(-n, d);
  const q = n / d;
  return (n - q * d) * 2n >= d ? q + 1n : q;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses a plain decimal string ("-12.5", "100.000001") into an amount; digits past the 6th
 * decimal are rounded half-up. Throws RangeError on anything else (callers pass validated text).
 */
export function amount(text: string): Amount {
  const dot = text.indexOf('.');
  const fracLen = dot < 0 ? 0 : text.length - dot - 1;
  if (fracLen <= SCALE && text.length <= 16) {
    // Up to 15 digits: exact as a double, no BigInt parsing needed.
    const digits = dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1);
    const n = Number(digits);
    const c = digits.charCodeAt(0);
    // Validated text (DecimalString): digits with an optional sign; Number() is exact up to 15 digits.
    if (
      Number.isSafeInteger(n) &&
      ((c >= 48 && c <= 57) || c === 45) &&
      digits.indexOf('x') < 0 &&
      digits.indexOf('e') < 0
    )
      return BigInt(n) * (POW10[SCALE - fracLen] ?? 1n);
  }
  const m = PLAIN.exec(text);
  if (m === null) throw new RangeError(`not a plain decimal: ${text}`);
  const frac = m[3] ?? '';
  let units: bigint;
  if (frac.length <= SCALE) units = BigInt((m[2] ?? '0') + frac) * pow10(SCALE - frac.length);
  else units = divHalfUp(BigInt((m[2] ?? '0') + frac), pow10(frac.length - SCALE));
  return m[1] === '-' ? -units : units;
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

/** An integer count (quantity, grams) as an amount. */
export function units(n: number): Amount {
  return BigInt(n) * ONE;
}

/** A non-negative decimal rate as an exact fraction `num / 10^scale`, with its canonical text. */
export interface Rate {
  readonly num: bigint;
  readonly scale: number;
  /** Canonical text without trailing zeros ("0.2" for "0.20"), like Decimal#toFixed(). */
  readonly text: string;
  /** The rate x 100 as text ("19", "25.5"). */
  readonly percent: string;
  readonly isZero: boolean;
}

const rateCache = new Map<string, Rate>();

function canonical(num: bigint, scale: number): string {
  if (scale === 0) return num.toString();
  const digits = num.toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/** Parses a plain non-negative decimal rate ("0.19", "1.163412345"); cached by text. */
export function rate(text: string): Rate {
  const hit = rateCache.get(text);
  if (hit !== undefined) return hit;
  const m = PLAIN.exec(text);
  if (m === null || m[1] === '-') throw new RangeError(`not a non-negative decimal rate: ${text}`);
  const frac = m[3] ?? '';
  const num = BigInt((m[2] ?? '0') + frac);
  const scale = frac.length;
  const percent = scale >= 2 ? canonical(num, scale - 2) : canonical(num * pow10(2 - scale), 0);
  const out: Rate = { num, scale, text: canonical(num, scale), percent, isZero: num === 0n };
  if (rateCache.size > 10_000) rateCache.clear();
  rateCache.set(text, out);
  return out;
}

/** The rate 1 - r (r <= 1). */
export function complement(r: Rate): Rate {
  return rate(canonical(pow10(r.scale) - r.num, r.scale));
}

const MAX = Number.MAX_SAFE_INTEGER;

/** `n / d` rounded half-up (away from zero) for safe integers n >= 0, d > 0 (exact in doubles). */
function numDivHalfUp(n: number, d: number): number {
  const r = n % d;
  return (n - r) / d + (r * 2 >= d ? 1 : 0);
}

/** `a x b / d` rounded half-up, in doubles when every intermediate is a safe integer, else in BigInt. */
function mulDiv(a: bigint, b: bigint, d: bigint): bigint {
  if (a >= 0n && a <= SAFE && b <= SAFE && d <= SAFE) {
    const x = Number(a) * Number(b);
    if (x <= MAX) return BigInt(numDivHalfUp(x, Number(d)));
  }
  return divHalfUp(a * b, d);
}

/** Rounds an amount half-up to `places` decimals (places <= 6). */
export function round(value: Amount, places: number): Amount {
  if (places >= SCALE) return value;
  const step = pow10(SCALE - places);
  if (value >= 0n && value <= SAFE) {
    const v = Number(value);
    const s = Number(step);
    const r = v % s;
    return r === 0 ? value : BigInt(v - r + (r * 2 >= s ? s : 0));
  }
  return divHalfUp(value, step) * step;
}

/** `value x rate`, rounded half-up once to `places` decimals (exact product, single rounding). */
export function times(value: Amount, r: Rate, places = SCALE): Amount {
  const p = Math.min(places, SCALE);
  if (p === SCALE) return mulDiv(value, r.num, pow10(r.scale));
  return mulDiv(value, r.num, pow10(r.scale + SCALE - p)) * pow10(SCALE - p);
}

/** `value x a / b` for amounts a, b (b > 0), rounded half-up once to `places` decimals. */
export function scale(value: Amount, a: Amount, b: Amount, places = SCALE): Amount {
  const p = Math.min(places, SCALE);
  return mulDiv(value, a, b * pow10(SCALE - p)) * pow10(SCALE - p);
}

/** `value / r` for a non-zero rate, rounded half-up to `places` decimals. */
export function divide(value: Amount, r: Rate, places = SCALE): Amount {
  const p = Math.min(places, SCALE);
  return divHalfUp(value * pow10(r.scale), r.num * pow10(SCALE - p)) * pow10(SCALE - p);
}

/** `a x b` of two amounts, rounded half-up to `places` decimals. */
export function product(a: Amount, b: Amount, places = SCALE): Amount {
  return scale(a, b, ONE, places);
}

const NUM_POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Renders with exactly `places` decimals, half-up; "-0.00" for a negative value that rounds to zero. */
export function fixed(value: Amount, places: number): string {
  if (value < 0n) return `-${fixed(-value, places)}`;
  const p = Math.min(places, SCALE);
  const pad = places > SCALE ? '0'.repeat(places - SCALE) : '';
  let text: string;
  if (value <= SAFE) {
    // Safe integers: round and render with double arithmetic (exact below 2^53).
    const v = Number(value);
    const step = NUM_POW10[SCALE - p] ?? 1;
    const r = v % step;
    const u = (v - r) / step + (r * 2 >= step ? 1 : 0);
    if (p === 0) return String(u);
    const unit = NUM_POW10[p] ?? 1;
    const frac = u % unit;
    const fracText = String(frac);
    const int = (u - frac) / unit;
    return fracText.length === p
      ? `${int}.${fracText}${pad}`
      : `${int}.${'0'.repeat(p - fracText.length)}${fracText}${pad}`;
  }
  text = (p === SCALE ? value : divHalfUp(value, pow10(SCALE - p))).toString();
  if (p === 0) return text;
  if (text.length <= p) text = text.padStart(p + 1, '0');
  const cut = text.length - p;
  return `${text.slice(0, cut)}.${text.slice(cut)}${pad}`;
}

/** Renders without trailing zeros (like Decimal#toFixed() with no argument). */
export function plain(value: Amount): string {
  if (value < 0n) return `-${plain(-value)}`;
  return canonical(value, SCALE);
}

/** The sum of amounts. */
export function total(values: readonly Amount[]): Amount {
  let s = ZERO;
  for (const v of values) s += v;
  return s;
}

/** Smaller / larger of two amounts. */
export const min = (a: Amount, b: Amount): Amount => (a < b ? a : b);
export const max = (a: Amount, b: Amount): Amount => (a > b ? a : b);

/** A percentage ("25.5") as a rate (0.255). */
export function percentRate(percentText: string): Rate {
  const r = rate(percentText);
  return rate(canonical(r.num, r.scale + 2));
}

/** The exact product of two rates. */
export function rateTimes(a: Rate, b: Rate): Rate {
  if (b.num === 1n && b.scale === 0) return a;
  return rate(canonical(a.num * b.num, a.scale + b.scale));
}
