/** Effective-dated rules and value thresholds, evaluated without per-call parsing. */
import { dec, type Dec } from '../domain/index.js';
import type { Comparison, Threshold } from './profile-schema.js';

/** Anything valid from `from` (inclusive) until `to` (exclusive), ISO dates. */
export interface Period {
  readonly from: string;
  readonly to?: string | undefined;
}

/** True when `date` (YYYY-MM-DD) falls inside the period. */
export function isActive(period: Period, date: string): boolean {
  return period.from <= date && (period.to === undefined || date < period.to);
}

/** The first entry of `list` active on `date`, if any. */
export function activeAt<T extends Period>(list: readonly T[], date: string): T | undefined {
  for (const entry of list) if (isActive(entry, date)) return entry;
  return undefined;
}

/** Human-readable validity of a period, e.g. "2021-07-01 to 2026-07-01 (exclusive)". */
export function describePeriod(period: Period): string {
  return period.to === undefined ? `from ${period.from}` : `${period.from} to ${period.to} (exclusive)`;
}

/** A threshold with its limit parsed once. */
export interface CompiledThreshold {
  readonly limit: Dec;
  readonly limitText: string;
  readonly comparison: Comparison;
}

/** Parses a profile threshold once, rendering the limit with `places` decimals. */
export function compileThreshold(threshold: Threshold, places: number): CompiledThreshold {
  const limit = dec(threshold.amount);
  return { limit, limitText: limit.toFixed(places), comparison: threshold.comparison };
}

/** True when `value` is within the threshold (<= for lte, < for lt). */
export function within(value: Dec, threshold: CompiledThreshold): boolean {
  const c = value.comparedTo(threshold.limit);
  return threshold.comparison === 'lte' ? c <= 0 : c < 0;
}

/** "100.00 EUR <= 150.00 EUR" or "160.00 EUR > 150.00 EUR": the threshold test as text. */
export function describeTest(
  valueText: string,
  currency: string,
  threshold: CompiledThreshold,
  passed: boolean,
): string {
  const op = threshold.comparison === 'lte' ? (passed ? '<=' : '>') : passed ? '<' : '>=';
  return `${valueText} ${currency} ${op} ${threshold.limitText} ${currency}`;
}

/** The calendar date (YYYY-MM-DD) of an ISO date or datetime, as written (local date of the sender). */
export function calendarDate(isoDateTime: string): string {
  return isoDateTime.slice(0, 10);
}
