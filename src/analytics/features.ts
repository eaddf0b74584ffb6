/** Design matrix of the regression model: trend with changepoints, weekday, yearly seasonality, events. */
import { addPeriods, civil, daysInMonth, monthIndex, periodsPerYear } from './dates.js';
import { eventFeatureNames, eventFeatures } from './events.js';
import type { Frequency } from './types.js';

/** What the design holds for one training window; fixed at fit time and reused to forecast. */
export interface DesignSpec {
  frequency: Frequency;
  /** Day number of the first training period. */
  firstDay: number;
  /** Number of training periods. */
  length: number;
  /** Changepoints as fractions of the training span, in (0, 1). */
  changepoints: number[];
  weekday: boolean;
  /** Number of yearly Fourier pairs (0 for none). */
  fourier: number;
  monthDummies: boolean;
  events: boolean;
}

/** A named column with its ridge prior scale τ (coefficient sd in log units; Infinity = unpenalised). */
export interface Column {
  name: string;
  tau: number;
  kind: 'level' | 'trend' | 'season' | 'event';
}

/** Chooses the design for a training window of `length` periods. */
export function chooseDesign(
  frequency: Frequency,
  firstDay: number,
  length: number,
  events: boolean,
): DesignSpec {
  const years = length / periodsPerYear(frequency);
  const count = Math.max(0, Math.min(20, Math.round(years * 4)));
  const changepoints: number[] = [];
  // Prophet-style: changepoints spread over the first 85% of the history, none in the last stretch.
  for (let k = 1; k <= count; k++) changepoints.push((0.85 * k) / (count + 1));
  const fullFourier = frequency === 'daily' ? 8 : frequency === 'weekly' ? 6 : 2;
  const fourier = years >= 2 ? fullFourier : years >= 1 ? Math.min(3, fullFourier) : 0;
  const monthDummies = frequency === 'monthly' && length >= 24;
  return {
    frequency,
    firstDay,
    length,
    changepoints,
    weekday: frequency === 'daily' && length >= 21,
    fourier: monthDummies ? 0 : fourier,
    monthDummies,
    events: events && years >= 0.9,
  };
}

/** The columns of a design, in order. */
export function designColumns(spec: DesignSpec): Column[] {
  const cols: Column[] = [
    { name: 'intercept', tau: Infinity, kind: 'level' },
    { name: 'trend', tau: 10, kind: 'trend' },
  ];
  spec.changepoints.forEach((c) =>
    cols.push({ name: `changepoint ${c.toFixed(2)}`, tau: 0.5, kind: 'trend' }),
  );
  if (spec.weekday) for (let d = 1; d < 7; d++) cols.push({ name: `weekday ${d}`, tau: 2, kind: 'season' });
  for (let k = 1; k <= spec.fourier; k++) {
    cols.push({ name: `sin ${k}`, tau: 0.5 / k, kind: 'season' });
    cols.push({ name: `cos ${k}`, tau: 0.5 / k, kind: 'season' });
  }
  if (spec.monthDummies) {
    for (let m = 1; m < 12; m++) cols.push({ name: `month ${m + 1}`, tau: 1, kind: 'season' });
    cols.push({ name: 'weekday share', tau: 2, kind: 'season' });
  }
  if (spec.events)
    for (const f of eventFeatureNames(spec.frequency))
      cols.push({ name: `${f.event} ${f.window}`, tau: 1, kind: 'event' });
  return cols;
}

/** Share of Monday-Friday days in the month starting at `day`, centred on its long-run mean. */
function weekdayShare(day: number): number {
  const index = monthIndex(day);
  const days = daysInMonth(index);
  let work = 0;
  for (let d = 0; d < days; d++) if (civil(day + d).weekday < 5) work++;
  return work / days - 5 / 7;
}

/**
 * Rows of the design for period indexes (0 = first training period; ≥ length = future). Beyond the
 * training window the trend continues at its last slope, damped with a half-life of one year.
 */
export function designRows(spec: DesignSpec, indexes: readonly number[]): number[][] {
  const span = Math.max(1, spec.length - 1);
  const ppy = periodsPerYear(spec.frequency);
  const phi = Math.pow(0.5, 1 / ppy);
  const days = indexes.map((i) => addPeriods(spec.frequency, spec.firstDay, i));
  const eventRows = spec.events ? eventFeatures(spec.frequency, days) : [];
  return indexes.map((i, r) => {
    const day = days[r] ?? 0;
    const ahead = i - (spec.length - 1);
    const steps = ahead > 0 ? (phi * (1 - Math.pow(phi, ahead))) / (1 - phi) : 0;
    const t = ahead > 0 ? 1 + steps / span : i / span;
    const row: number[] = [1, t];
    for (const c of spec.changepoints) row.push(Math.max(0, t - c));
    if (spec.weekday) {
      const wd = civil(day).weekday;
      for (let d = 1; d < 7; d++) row.push(wd === d ? 1 : 0);
    }
    if (spec.fourier > 0) {
      // Weekly periods are placed at their middle day so the yearly wave lines up with the calendar.
      const mid = spec.frequency === 'weekly' ? day + 3 : spec.frequency === 'monthly' ? day + 14 : day;
      const angle = (2 * Math.PI * mid) / 365.25;
      for (let k = 1; k <= spec.fourier; k++) row.push(Math.sin(k * angle), Math.cos(k * angle));
    }
    if (spec.monthDummies) {
      const month = civil(day).month;
      for (let m = 1; m < 12; m++) row.push(month === m + 1 ? 1 : 0);
      row.push(weekdayShare(day));
    }
    if (spec.events) row.push(...(eventRows[r] ?? []));
    return row;
  });
}
