/** Effective-dated rules: which entry is in force on a date, and how to describe its period. */

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

/** The calendar date (YYYY-MM-DD) of an ISO date or datetime, as written (local date of the sender). */
export function calendarDate(isoDateTime: string): string {
  return isoDateTime.slice(0, 10);
}
