/** Rolling-origin backtest of the shipped forecast against seasonal naive: MASE, MAPE, sMAPE, coverage. */
import { seasonalNaive, seasonalNaiveIntervals, seasonalNaiveScale } from './baseline.js';
import { seasonalPeriod } from './dates.js';
import { forecast } from './forecast.js';
import { mean } from './linalg.js';
import type { BacktestMetrics, BacktestOptions, BacktestResult, ModelName, Series } from './types.js';

interface Accumulator {
  scaledMae: number[];
  ape: number[];
  sape: number[];
  in80: number;
  in95: number;
  count: number;
}

const empty = (): Accumulator => ({ scaledMae: [], ape: [], sape: [], in80: 0, in95: 0, count: 0 });

interface Interval {
  point: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** Adds one origin's forecasts to an accumulator; imputed actuals are not scored. */
function score(
  acc: Accumulator,
  actual: readonly number[],
  skip: readonly boolean[],
  f: Interval[],
  scale: number,
): number {
  const abs: number[] = [];
  let zeros = 0;
  f.forEach((p, k) => {
    const a = actual[k];
    if (a === undefined || skip[k]) return;
    abs.push(Math.abs(a - p.point));
    if (a !== 0) acc.ape.push((100 * Math.abs(a - p.point)) / Math.abs(a));
    else zeros++;
    if (a !== 0 || p.point !== 0)
      acc.sape.push((200 * Math.abs(a - p.point)) / (Math.abs(a) + Math.abs(p.point)));
    if (a >= p.lower80 && a <= p.upper80) acc.in80++;
    if (a >= p.lower95 && a <= p.upper95) acc.in95++;
    acc.count++;
  });
  if (abs.length > 0) acc.scaledMae.push(mean(abs) / scale);
  return zeros;
}

function summarise(acc: Accumulator): BacktestMetrics {
  return {
    mase: mean(acc.scaledMae),
    mape: mean(acc.ape),
    smape: mean(acc.sape),
    coverage80: acc.count > 0 ? acc.in80 / acc.count : Number.NaN,
    coverage95: acc.count > 0 ? acc.in95 / acc.count : Number.NaN,
  };
}

/** The series cut to its first `length` periods. */
export function truncateSeries(series: Series, length: number): Series {
  return {
    ...series,
    dates: series.dates.slice(0, length),
    values: series.values.slice(0, length),
    imputed: series.imputed.slice(0, length),
  };
}

/** Training lengths of the backtest origins, oldest first, spaced by at most one horizon. */
export function backtestOrigins(
  n: number,
  horizon: number,
  origins: number,
  period: number,
  daily: boolean,
): number[] {
  const minTrain = Math.max(2 * period, 8);
  const room = n - horizon - minTrain;
  if (room < 0) return [];
  let step = Math.max(1, Math.min(horizon, Math.floor(room / Math.max(1, origins - 1))));
  // Origins a whole number of weeks apart would all start on the same weekday.
  if (daily && step % 7 === 0 && step > 1) step -= 1;
  const lengths: number[] = [];
  for (let k = 0; k < origins; k++) {
    const length = n - horizon - k * step;
    if (length < minTrain) break;
    lengths.unshift(length);
  }
  return lengths;
}

/**
 * Rolling-origin backtest: at each origin the whole forecasting procedure (including model choice)
 * runs on the history up to the origin and is scored on the next `horizon` periods, as is seasonal
 * naive. MASE is scaled by the in-sample seasonal-naive MAE at each origin.
 */
export function backtest(series: Series, options: BacktestOptions): BacktestResult {
  const horizon = options.horizon;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  const m = seasonalPeriod(series.frequency);
  const lengths = backtestOrigins(
    series.values.length,
    horizon,
    options.origins ?? 6,
    m,
    series.frequency === 'daily',
  );
  const model = empty();
  const baseline = empty();
  const chosen: ModelName[] = [];
  let zeros = 0;
  for (const length of lengths) {
    const train = truncateSeries(series, length);
    const actual = series.values.slice(length, length + horizon);
    const skip = series.imputed.slice(length, length + horizon);
    const scale = seasonalNaiveScale(train.values, m);
    const fc = forecast(train, { horizon, events: options.events ?? true });
    chosen.push(fc.model);
    zeros += score(model, actual, skip, fc.points, scale);
    const sn = seasonalNaive(train.values, m, horizon);
    const iv = seasonalNaiveIntervals(train.values, m, horizon);
    const back = (p: number, d: number): number => Math.max(0, Math.expm1(Math.log1p(p) + d));
    const snPoints = sn.map((p, k) => ({
      point: p,
      lower80: back(p, iv.lower80[k] ?? 0),
      upper80: back(p, iv.upper80[k] ?? 0),
      lower95: back(p, iv.lower95[k] ?? 0),
      upper95: back(p, iv.upper95[k] ?? 0),
    }));
    score(baseline, actual, skip, snPoints, scale);
  }
  const notes: string[] = [];
  if (lengths.length === 0) notes.push(`history too short for a backtest at horizon ${horizon}`);
  if (zeros > 0) notes.push(`MAPE skips ${zeros} periods whose actual count is zero`);
  const modelMetrics = summarise(model);
  const baselineMetrics = summarise(baseline);
  return {
    frequency: series.frequency,
    horizon,
    origins: lengths.map((l) => series.dates[l - 1] ?? ''),
    chosen,
    model: modelMetrics,
    baseline: baselineMetrics,
    maseRatio: modelMetrics.mase / baselineMetrics.mase,
    scoredPeriods: model.count,
    mapeSkippedZeros: zeros,
    notes,
  };
}
