/** Baselines: seasonal naive (period 7, 52 or 12) and naive, with their empirical intervals. */
import { quantile } from './linalg.js';
import type { FittedModel } from './regression.js';

/**
 * Seasonal-naive forecast: each future period repeats the last observed period of the same season
 * (y[n+h] = y[n+h−m·⌈h/m⌉]). With fewer than two seasons of history it falls back to naive (last value).
 */
export function seasonalNaive(values: readonly number[], period: number, horizon: number): number[] {
  const n = values.length;
  const m = effectivePeriod(n, period);
  const out: number[] = [];
  for (let h = 1; h <= horizon; h++) out.push(values[n - 1 + h - m * Math.ceil(h / m)] ?? values[n - 1] ?? 0);
  return out;
}

/** Seasonal period actually used: the requested one with at least two seasons of history, else 1 (naive). */
export function effectivePeriod(length: number, period: number): number {
  return length >= 2 * period ? period : 1;
}

/** Mean absolute error of the in-sample one-season-back forecast: the MASE denominator. */
export function seasonalNaiveScale(values: readonly number[], period: number): number {
  const m = effectivePeriod(values.length, period);
  let sum = 0;
  let count = 0;
  for (let i = m; i < values.length; i++) {
    sum += Math.abs((values[i] ?? 0) - (values[i - m] ?? 0));
    count++;
  }
  const scale = count > 0 ? sum / count : 0;
  // A flat history would make every error infinite; fall back to the mean level as the scale.
  if (scale > 0) return scale;
  const level = values.reduce((a, b) => a + Math.abs(b), 0) / Math.max(1, values.length);
  return level > 0 ? level : 1;
}

/** Seasonal naive as a fitted model on the log1p scale. */
export function fitSeasonalNaive(values: readonly number[], period: number): FittedModel {
  const logs = values.map((v) => Math.log1p(v));
  return { predictLog: (horizon) => seasonalNaive(logs, period, horizon) };
}

/**
 * Seasonal-naive prediction intervals on the log1p scale: empirical quantiles of the in-sample
 * one-season differences, widened by √k for a forecast k seasons back (the random-walk rule).
 */
export function seasonalNaiveIntervals(
  values: readonly number[],
  period: number,
  horizon: number,
): { lower80: number[]; upper80: number[]; lower95: number[]; upper95: number[] } {
  const logs = values.map((v) => Math.log1p(v));
  const m = effectivePeriod(values.length, period);
  const diffs: number[] = [];
  for (let i = m; i < logs.length; i++) diffs.push((logs[i] ?? 0) - (logs[i - m] ?? 0));
  const q = (p: number): number => (diffs.length > 0 ? quantile(diffs, p) : 0);
  const [q025, q10, q90, q975] = [q(0.025), q(0.1), q(0.9), q(0.975)];
  const out = {
    lower80: [] as number[],
    upper80: [] as number[],
    lower95: [] as number[],
    upper95: [] as number[],
  };
  for (let h = 1; h <= horizon; h++) {
    const k = Math.sqrt(Math.ceil(h / m));
    out.lower80.push(q10 * k);
    out.upper80.push(q90 * k);
    out.lower95.push(q025 * k);
    out.upper95.push(q975 * k);
  }
  return out;
}
