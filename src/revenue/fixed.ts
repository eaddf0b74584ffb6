/**
 * Exact fixed-point money for the revenue hot path: amounts as BigInt micro-units (10^-6),
 * rates as BigInt numerators over a power of ten, half-up rounding done in integers.
 * Anything these helpers cannot represent exactly yields undefined, and the caller falls back
 * to the decimal.js path (see docs/decisions/0004-revenue-integer-arithmetic.md).
 */
import type { Dec } from '../domain/index.js';
import type { CompiledThreshold } from './periods.js';
import type { CompiledProfile } from './profile.js';

/** Decimal places of a micro-unit amount. */
export const MICRO_PLACES = 6;

/** Exact powers of ten as Numbers, 10^0 .. 10^21. */
const POW10: readonly number[] = Array.from({ length: 22 }, (_, i) => 10 ** i);

/** 10^n for n in 0..21 (exact as a double). */
export function pow10(n: number): number {
  return POW10[n] ?? Number.NaN;
}

const MAX = Number.MAX_SAFE_INTEGER;
const PLAIN = /^(\d{1,9})(?:\.(\d{1,6}))?$/;
const RATE = /^(\d+)(?:\.(\d+))?$/;

/** Parses a plain non-negative decimal below 10^9 with at most 6 decimals into micro-units. */
export function parseMicro(text: string): number | undefined {
  const m = PLAIN.exec(text);
  if (m === null) return undefined;
  const frac = m[2];
  const units = Number(m[1]) * 1e6;
  return frac === undefined ? units : units + Number(frac) * pow10(MICRO_PLACES - frac.length);
}

/** A non-negative rate as an exact fraction: `num / 10^scale`, both safe integers. */
export interface FixedRate {
  readonly num: number;
  readonly scale: number;
  /** True when the rate is at most 1 (duty and VAT rates). */
  readonly fraction: boolean;
}

const rateCache = new Map<string, FixedRate | null>();

function toRate(text: string): FixedRate | null {
  const m = RATE.exec(text);
  if (m === null) return null;
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const scale = m[2]?.length ?? 0;
  const num = Number(digits);
  if (digits.length > 15 || scale > 15) return null;
  return { num, scale, fraction: num <= pow10(scale) };
}

/** Parses a plain non-negative decimal rate ("0.19", "1.163412345"); cached by text. */
export function parseRate(text: string): FixedRate | undefined {
  let hit = rateCache.get(text);
  if (hit === undefined) {
    hit = toRate(text);
    if (rateCache.size > 10_000) rateCache.clear();
    rateCache.set(text, hit);
  }
  return hit ?? undefined;
}

/** Profile constants above this (10,000 units) leave the profile to the decimal.js path. */
const CONST_LIMIT = 1e10;
const decCache = new WeakMap<Dec, number | null>();

/** The micro-units of a compiled profile constant (cached per Dec instance); undefined if not exact. */
export function microOfDec(value: Dec): number | undefined {
  let hit = decCache.get(value);
  if (hit === undefined) {
    const m = value.isNegative() || !value.isFinite() ? undefined : parseMicro(value.toFixed());
    hit = m === undefined || m > CONST_LIMIT ? null : m;
    decCache.set(value, hit);
  }
  return hit ?? undefined;
}

/** `n / d` rounded half-up (away from zero), for safe integers, d > 0 (remainder and quotient are exact). */
export function divHalfUp(n: number, d: number): number {
  if (n < 0) return -divHalfUp(-n, d);
  const r = n % d;
  const q = (n - r) / d;
  return r * 2 >= d ? q + 1 : q;
}

/** `a x b / d` rounded half-up (away from zero), exactly: in doubles when safe, else in BigInt (b >= 0, d > 0). */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  if (a < 0) return -mulDivHalfUp(-a, b, d);
  const p = a * b;
  if (p <= MAX && d <= MAX) return divHalfUp(p, d);
  const n = BigInt(a) * BigInt(b);
  const bd = BigInt(d);
  const q = n / bd;
  return Number((n - q * bd) * 2n >= bd ? q + 1n : q);
}

/** Rounds micro-units half-up to `places` decimals (still in micro-units). */
export function roundTo(value: number, places: number): number {
  if (places >= MICRO_PLACES) return value;
  const step = pow10(MICRO_PLACES - places);
  return divHalfUp(value, step) * step;
}

/** `value x rate` rounded half-up to `places` decimals, in micro-units. */
export function timesRate(value: number, rate: FixedRate, places: number): number {
  const p = Math.min(places, MICRO_PLACES);
  return mulDivHalfUp(value, rate.num, pow10(rate.scale + MICRO_PLACES - p)) * pow10(MICRO_PLACES - p);
}

/** `extra x part / whole` rounded half-up to `places` decimals, in micro-units (whole > 0). */
export function shareOf(extra: number, part: number, whole: number, places: number): number {
  const step = pow10(MICRO_PLACES - Math.min(places, MICRO_PLACES));
  return mulDivHalfUp(extra, part, whole * step) * step;
}

/** Renders safe micro-units with exactly `places` decimals like Dec#toFixed: half-up, "-0.00" for -0.001. */
export function fixed(value: number, places: number): string {
  if (value < 0) return `-${fixed(-value, places)}`;
  if (places > MICRO_PLACES) return `${fixed(value, MICRO_PLACES)}${'0'.repeat(places - MICRO_PLACES)}`;
  const units = places === MICRO_PLACES ? value : divHalfUp(value, pow10(MICRO_PLACES - places));
  if (places === 0) return String(units);
  const digits = String(units).padStart(places + 1, '0');
  const cut = digits.length - places;
  return `${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

const eligible = new WeakMap<CompiledProfile, boolean>();

function check(profile: CompiledProfile): boolean {
  if (profile.places > MICRO_PLACES || profile.raw.fx.resultPlaces > MICRO_PLACES) return false;
  const constants: Dec[] = [];
  for (const r of profile.dutyRegimes) {
    const lv = r.lowValue;
    if (lv.kind === 'flat-per-subheading') constants.push(lv.amount);
    if (lv.kind !== 'tariff') constants.push(lv.threshold.limit);
  }
  for (const s of profile.vendorSchemes) constants.push(s.threshold.limit);
  for (const s of profile.intermediarySchemes) constants.push(s.threshold.limit);
  for (const f of profile.fees) {
    constants.push(f.amount);
    if (f.lowValueOnly !== undefined) constants.push(f.lowValueOnly.limit);
  }
  return constants.every((d) => microOfDec(d) !== undefined);
}

/** True when every constant of the profile is exact in micro-units and its places fit (cached). */
export function fastEligible(profile: CompiledProfile): boolean {
  let ok = eligible.get(profile);
  if (ok === undefined) {
    ok = check(profile);
    eligible.set(profile, ok);
  }
  return ok;
}

/** Micro-units of a constant of an eligible profile; throws if fastEligible was not checked. */
export function constMicro(value: Dec): number {
  const m = microOfDec(value);
  if (m === undefined) throw new RangeError(`profile constant ${value.toFixed()} is not fast-path exact`);
  return m;
}

/** Integer twin of within (periods.ts): <= for lte, < for lt. */
export function withinMicro(value: number, threshold: CompiledThreshold): boolean {
  const limit = constMicro(threshold.limit);
  return threshold.comparison === 'lte' ? value <= limit : value < limit;
}
