/** Seeded generator of realistic daily parcel volumes, and aggregation to weekly and monthly series. */
import { civil, dayNumber, isoDate, monthIndex, monthStart, parseIsoDate } from './dates.js';
import { blackFriday, LUNAR_NEW_YEAR } from './events.js';
import type { Frequency, Series } from './types.js';
import { mulberry32 } from '../sim/prng.js';

/** Options of `generateParcelSeries`. */
export interface ParcelSeriesOptions {
  seed: number;
  /** First day, ISO. */
  start: string;
  days: number;
  /** Parcels per day at the start (default 20,000). */
  baseLevel?: number;
  /** Yearly growth, e.g. 0.25 for +25% a year (default 0.2). */
  growth?: number;
  /** Day index of a permanent level shift and its factor (default: 60% through, ×0.8). */
  levelShift?: { atDay: number; factor: number };
  /** Log-scale noise sd (default 0.07). */
  noise?: number;
}

const WEEKDAY = [1.15, 1.12, 1.06, 1.02, 0.97, 0.72, 0.58];

/** Multiplicative shopping-event effect on parcels arriving on `day` (arrivals lag orders by days). */
function eventFactor(day: number): number {
  const { year } = civil(day);
  let f = 1;
  for (const y of [year - 1, year]) {
    const d11 = (dayNumber(y, 11, 11) ?? 0) - day;
    const since11 = -d11;
    if (since11 >= 3 && since11 <= 16) f *= 1 + 0.9 * Math.exp(-Math.pow((since11 - 8) / 3.5, 2));
    const sinceBf = day - blackFriday(y);
    if (sinceBf >= 2 && sinceBf <= 12) f *= 1 + 0.35 * Math.exp(-Math.pow((sinceBf - 6) / 3, 2));
    const sinceXmas = day - (dayNumber(y, 12, 25) ?? 0);
    if (sinceXmas >= -24 && sinceXmas <= -6) f *= 1.18;
    if (sinceXmas >= -1 && sinceXmas <= 1) f *= 0.45;
    if (sinceXmas === 7) f *= 0.55;
  }
  const lnyText = LUNAR_NEW_YEAR[year] ?? LUNAR_NEW_YEAR[year + 1];
  const lny = lnyText ? (parseIsoDate(lnyText) ?? 0) : 0;
  const sinceLny = day - lny;
  if (sinceLny >= -7 && sinceLny < 0) f *= 0.85;
  if (sinceLny >= 0 && sinceLny <= 14) f *= 0.55;
  if (sinceLny > 14 && sinceLny <= 21) f *= 0.8;
  return f;
}

/**
 * Daily parcel arrivals at an office: growth, a permanent level shift, weekday pattern, yearly wave,
 * 11.11 / Black Friday / Christmas peaks, the Lunar New Year dip, log-normal noise and rare outliers.
 * Deterministic for a seed.
 */
export function generateParcelSeries(options: ParcelSeriesOptions): { date: string; count: number }[] {
  const next = mulberry32(options.seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const start = parseIsoDate(options.start) ?? 0;
  const base = options.baseLevel ?? 20_000;
  const growth = Math.log(1 + (options.growth ?? 0.2)) / 365.25;
  const shift = options.levelShift ?? { atDay: Math.floor(options.days * 0.6), factor: 0.8 };
  const sd = options.noise ?? 0.07;
  const out: { date: string; count: number }[] = [];
  for (let i = 0; i < options.days; i++) {
    const day = start + i;
    const c = civil(day);
    const yearAngle = (2 * Math.PI * (day - (dayNumber(c.year, 1, 1) ?? day))) / 365.25;
    let level = base * Math.exp(growth * i) * (i >= shift.atDay ? shift.factor : 1);
    level *= WEEKDAY[c.weekday] ?? 1;
    level *= 1 + 0.07 * Math.cos(yearAngle - 5.6) + 0.03 * Math.sin(2 * yearAngle);
    level *= eventFactor(day);
    let value = level * Math.exp(sd * normal());
    const u = next();
    // Rare disruptions: a missed flight halves a day, a catch-up doubles the next.
    if (u < 0.006) value *= 0.5;
    else if (u < 0.012) value *= 1.6;
    out.push({ date: isoDate(day), count: Math.round(value) });
  }
  return out;
}

/** Sums daily rows into weekly (7-day blocks from the first date) or calendar-month totals. */
export function aggregateDaily(
  rows: readonly { date: string; count: number }[],
  frequency: Frequency,
): { date: string; count: number }[] {
  if (frequency === 'daily') return rows.map((r) => ({ ...r }));
  const first = parseIsoDate(rows[0]?.date ?? '') ?? 0;
  const sums = new Map<number, { count: number; days: number }>();
  for (const r of rows) {
    const day = parseIsoDate(r.date) ?? 0;
    const key =
      frequency === 'weekly' ? first + 7 * Math.floor((day - first) / 7) : monthStart(monthIndex(day));
    const cur = sums.get(key) ?? { count: 0, days: 0 };
    sums.set(key, { count: cur.count + r.count, days: cur.days + 1 });
  }
  const full =
    frequency === 'weekly' ? (): number => 7 : (k: number): number => monthStart(monthIndex(k) + 1) - k;
  // Drop incomplete first/last periods: a partial total would look like a collapse.
  return [...sums.entries()]
    .filter(([k, v]) => v.days === full(k))
    .sort((a, b) => a[0] - b[0])
    .map(([k, v]) => ({ date: isoDate(k), count: v.count }));
}

/** A generated table as `date,count` CSV text. */
export function toSeriesCsv(rows: readonly { date: string; count: number }[]): string {
  return ['date,count', ...rows.map((r) => `${r.date},${r.count}`)].join('\n') + '\n';
}

/** Builds a series directly from rows known to be regular (for tests and generators). */
export function seriesFromRows(
  rows: readonly { date: string; count: number }[],
  frequency: Frequency,
): Series {
  return {
    frequency,
    dates: rows.map((r) => r.date),
    values: rows.map((r) => r.count),
    imputed: rows.map(() => false),
    columns: { date: 'date', count: 'count' },
    notes: [],
  };
}
