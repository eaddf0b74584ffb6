/**
 * Runtime values of the rule language and the exact operations on them.
 * Money travels as decimal strings; comparisons and sums are exact (no binary floats).
 */
import { Dec } from '../domain/index.js';

/** A value an expression can produce. Missing optional fields are `null`. */
export type Value = string | number | boolean | null | readonly Value[];

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** True for a canonical decimal string such as "12", "-0.5", "149.99". */
export const isDecimalString = (s: string): boolean => DECIMAL.test(s);

/** Exact comparison of two decimal strings without converting to binary floating point. */
export function compareDecimalStrings(a: string, b: string): number {
  const na = a.charCodeAt(0) === 45;
  const nb = b.charCodeAt(0) === 45;
  if (na !== nb) return isZero(a) && isZero(b) ? 0 : na ? -1 : 1;
  const r = compareAbs(na ? a.slice(1) : a, nb ? b.slice(1) : b);
  return na && r !== 0 ? -r : r;
}

function isZero(s: string): boolean {
  return /^-?0+(?:\.0+)?$/.test(s);
}

function compareAbs(a: string, b: string): number {
  const ia = a.indexOf('.');
  const ib = b.indexOf('.');
  const intA = stripLeadingZeros(ia < 0 ? a : a.slice(0, ia));
  const intB = stripLeadingZeros(ib < 0 ? b : b.slice(0, ib));
  if (intA.length !== intB.length) return intA.length < intB.length ? -1 : 1;
  if (intA !== intB) return intA < intB ? -1 : 1;
  const fa = ia < 0 ? '' : a.slice(ia + 1);
  const fb = ib < 0 ? '' : b.slice(ib + 1);
  const len = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(len, '0');
  const pb = fb.padEnd(len, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

function stripLeadingZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return s.slice(i);
}

/**
 * The value of a literal written in a rule: a number written with more digits than a double holds keeps
 * its exact decimal text (`raw`), any other literal is its parsed value.
 */
export function literalValue(value: unknown, raw: unknown): Value {
  const text = String(raw);
  if (typeof value === 'number' && isDecimalString(text)) {
    if (compareDecimalStrings(numberToDecimal(value), text) !== 0) return text;
  }
  return value as Value;
}

/** Renders a finite number as a plain decimal string (no exponent). */
export function numberToDecimal(n: number): string {
  const s = String(n);
  return s.includes('e') ? new Dec(n).toFixed() : s;
}

/**
 * Orders two values: numbers and decimal strings numerically (exactly), ISO dates chronologically,
 * other strings lexicographically. Returns NaN when the values are not comparable (null, mixed kinds).
 */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  const fast = fastNumeric(a, b);
  if (fast === fast) return fast;
  if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean') return NaN;
  if (typeof a === 'object' || typeof b === 'object') return NaN;
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a === 'number' && !Number.isFinite(a)) return NaN;
    if (typeof b === 'number' && !Number.isFinite(b)) return NaN;
    const sa = typeof a === 'number' ? numberToDecimal(a) : a;
    const sb = typeof b === 'number' ? numberToDecimal(b) : b;
    if (!isDecimalString(sa) || !isDecimalString(sb)) return NaN;
    return compareDecimalStrings(sa, sb);
  }
  if (isDecimalString(a) && isDecimalString(b)) return compareDecimalStrings(a, b);
  if (ISO_DATE.test(a) && ISO_DATE.test(b)) {
    const ta = Date.parse(a);
    const tb = Date.parse(b);
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta < tb ? -1 : ta > tb ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Exact fast path: a decimal string of at most 15 characters has at most 15 significant digits, so
 * Number() maps distinct such decimals to distinct doubles in the same order (IEEE 754 doubles carry
 * 15.95 digits). Returns NaN when the fast path does not apply.
 */
function fastNumeric(a: Value, b: Value): number {
  const x = shortNumber(a);
  if (x !== x) return NaN;
  const y = shortNumber(b);
  if (y !== y) return NaN;
  return x < y ? -1 : x > y ? 1 : 0;
}

function shortNumber(v: Value): number {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : NaN;
  if (typeof v === 'string' && v.length <= 15 && DECIMAL.test(v)) return Number(v);
  return NaN;
}

/** True when a string might be a number (starts with a digit or minus sign). */
const numericStart = (s: string): boolean => {
  const c = s.charCodeAt(0);
  return (c >= 48 && c <= 57) || c === 45;
};

/** Equality with numeric semantics for numbers/decimal strings ("10.50" == 10.5). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === 'string' && typeof b === 'string' && !(numericStart(a) && numericStart(b))) return false;
  if (Array.isArray(a) || Array.isArray(b)) return false;
  return compareValues(a, b) === 0;
}

const MICRO = 1_000_000;
const MAX_FAST = 9_000_000_000; // integer part below which micro-units stay exact in a double

/** Converts a decimal string to integer micro-units when that is exact, else NaN. */
function toMicro(s: string): number {
  const dot = s.indexOf('.');
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  if (frac.length > 6) return NaN;
  const i = Number(intPart);
  if (!Number.isInteger(i) || Math.abs(i) >= MAX_FAST) return NaN;
  const f = frac === '' ? 0 : Number(frac.padEnd(6, '0'));
  return intPart.startsWith('-') ? i * MICRO - f : i * MICRO + f;
}

function microToDecimal(m: number): string {
  const neg = m < 0;
  const abs = Math.abs(m);
  const i = Math.floor(abs / MICRO);
  const f = abs - i * MICRO;
  const frac = f === 0 ? '' : `.${String(f).padStart(6, '0').replace(/0+$/, '')}`;
  return `${neg ? '-' : ''}${i}${frac}`;
}

/**
 * Exact sum of numbers and decimal strings. Integers stay numbers; any decimal string makes the
 * result a decimal string. Nulls are skipped. Uses integer micro-units, falling back to Dec.
 */
export function sumValues(values: readonly Value[]): Value {
  let micro = 0;
  let anyString = false;
  let exact = true;
  for (const v of values) {
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) exact = false;
      micro += v * MICRO;
    } else if (typeof v === 'string' && isDecimalString(v)) {
      anyString = true;
      const m = toMicro(v);
      if (Number.isNaN(m)) exact = false;
      else micro += m;
    }
    // Every partial sum must stay a safe integer: one that leaves the range loses digits even if
    // the final total comes back into it.
    if (!Number.isSafeInteger(micro)) exact = false;
  }
  if (exact && Number.isSafeInteger(micro)) return anyString ? microToDecimal(micro) : micro / MICRO;
  let total = new Dec(0);
  for (const v of values) {
    if (typeof v === 'number' || (typeof v === 'string' && isDecimalString(v))) total = total.plus(v);
  }
  return anyString ? total.toFixed() : total.toNumber();
}

/**
 * Arithmetic. `+` and `-` are exact: with a decimal string on either side the result is an exact
 * decimal string. `*` and `/` produce ratios (per kg, per unit) in binary floating point; they are
 * only compared with thresholds, never summed into amounts. Division by zero and non-numeric
 * operands yield null.
 */
export function arithmetic(op: string, a: Value, b: Value): Value {
  if (op === '*' || op === '/') {
    const x = toNumber(a);
    const y = toNumber(b);
    if (Number.isNaN(x) || Number.isNaN(y) || (op === '/' && y === 0)) return null;
    const r = op === '*' ? x * y : x / y;
    return Number.isFinite(r) ? r : null;
  }
  if (typeof a === 'string' || typeof b === 'string') {
    const ma =
      typeof a === 'number'
        ? Number.isSafeInteger(a)
          ? a * MICRO
          : NaN
        : typeof a === 'string' && isDecimalString(a)
          ? toMicro(a)
          : NaN;
    const mb =
      typeof b === 'number'
        ? Number.isSafeInteger(b)
          ? b * MICRO
          : NaN
        : typeof b === 'string' && isDecimalString(b)
          ? toMicro(b)
          : NaN;
    const r = op === '+' ? ma + mb : ma - mb;
    if (Number.isSafeInteger(r)) return microToDecimal(r);
  }
  if (typeof a === 'number' && typeof b === 'number') {
    const r = op === '+' ? a + b : a - b;
    return Number.isFinite(r) ? r : null;
  }
  const da = toDec(a);
  const db = toDec(b);
  if (da === null || db === null) return null;
  return (op === '+' ? da.plus(db) : da.minus(db)).toFixed();
}

function toDec(v: Value): InstanceType<typeof Dec> | null {
  if (typeof v === 'number') return Number.isFinite(v) ? new Dec(v) : null;
  if (typeof v === 'string' && isDecimalString(v)) return new Dec(v);
  return null;
}

/** Converts a number or decimal string to a JS number (for ratios and scores only), else NaN. */
export function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isDecimalString(v)) return Number(v);
  return NaN;
}

/** Truthiness in the rule language: only `true` is true. */
export const isTrue = (v: Value): boolean => v === true;
