/** Calendar arithmetic on UTC day numbers (days since 1970-01-01) and month indexes; no clock. */
import type { Frequency } from './types.js';

const MS_PER_DAY = 86_400_000;

/** Day number of a calendar date (UTC), or undefined if the date does not exist. */
export function dayNumber(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return undefined;
  return Math.round(ms / MS_PER_DAY);
}

/** Year, month (1-12), day of month and weekday (0 = Monday) of a day number. */
export function civil(day: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(day * MS_PER_DAY);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

/** ISO `YYYY-MM-DD` text of a day number. */
export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Parses an ISO-like date: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY-MM` (first of the month), or an ISO
 * date-time whose date part is read and whose time is ignored. Returns the day number.
 */
export function parseIsoDate(text: string): number | undefined {
  const m = /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  return dayNumber(Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3]));
}

/** Month index (year * 12 + month - 1) of a day number. */
export function monthIndex(day: number): number {
  const c = civil(day);
  return c.year * 12 + c.month - 1;
}

/** Day number of the first day of a month index. */
export function monthStart(index: number): number {
  const year = Math.floor(index / 12);
  return Math.round(Date.UTC(year, index - year * 12, 1) / MS_PER_DAY);
}

/** Number of days in the month of a month index. */
export function daysInMonth(index: number): number {
  return monthStart(index + 1) - monthStart(index);
}

/** Seasonal period of the baseline: 7 days, 52 weeks or 12 months. */
export function seasonalPeriod(frequency: Frequency): number {
  return frequency === 'daily' ? 7 : frequency === 'weekly' ? 52 : 12;
}

/** Periods in one year, used for yearly seasonality and trend damping. */
export function periodsPerYear(frequency: Frequency): number {
  return frequency === 'daily' ? 365.25 : frequency === 'weekly' ? 365.25 / 7 : 12;
}

/** First day number and length in days of the period that starts at `startDay`. */
export function periodSpan(frequency: Frequency, startDay: number): { first: number; days: number } {
  if (frequency === 'daily') return { first: startDay, days: 1 };
  if (frequency === 'weekly') return { first: startDay, days: 7 };
  const index = monthIndex(startDay);
  return { first: monthStart(index), days: daysInMonth(index) };
}

/** Day number of the period `steps` periods after the period starting at `startDay`. */
export function addPeriods(frequency: Frequency, startDay: number, steps: number): number {
  if (frequency === 'daily') return startDay + steps;
  if (frequency === 'weekly') return startDay + 7 * steps;
  return monthStart(monthIndex(startDay) + steps);
}

/** Day numbers of the series' ISO dates (already validated by the parser). */
export function seriesDays(dates: readonly string[]): number[] {
  return dates.map((d) => parseIsoDate(d) ?? Number.NaN);
}

/** Day numbers of the `horizon` periods following the last date. */
export function futureDays(frequency: Frequency, lastDay: number, horizon: number): number[] {
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push(addPeriods(frequency, lastDay, h));
  return out;
}
