/** The shipped forecast: candidate models scored on rolling validation origins, intervals from their errors. */
import { fitEts } from './ets.js';
import { fitSeasonalNaive, seasonalNaiveIntervals, seasonalNaiveScale } from './baseline.js';
import { futureDays, isoDate, parseIsoDate, seasonalPeriod } from './dates.js';
import { lunarTableCovers } from './events.js';
import { fitRegression, type FittedModel } from './regression.js';
import type {
  CandidateScore,
  EventEffect,
  ForecastOptions,
  ForecastPoint,
  ForecastResult,
  ModelName,
  Series,
} from './types.js';
import { mean } from './linalg.js';

interface Fitted {
  model: FittedModel;
  effects: EventEffect[];
}

/** Shortest history each candidate needs, in periods. */
function minimumLength(name: ModelName, m: number): number {
  if (name === 'regression' || name === 'blend') return Math.max(2 * Math.min(m, 26), 16);
  if (name === 'ets') return Math.max(m + 4, 10);
  return 2;
}

function fitCandidate(
  name: ModelName,
  series: Series,
  length: number,
  horizon: number,
  events: boolean,
): Fitted {
  const m = seasonalPeriod(series.frequency);
  const values = series.values.slice(0, length);
  if (name === 'seasonal-naive' || name === 'naive')
    return { model: fitSeasonalNaive(values, name === 'naive' ? 1 : m), effects: [] };
  if (name === 'ets') return { model: fitEts(values, m), effects: [] };
  const regression = fitRegression(
    series.frequency,
    series.dates[0] ?? '',
    values,
    series.imputed.slice(0, length),
    {
      events,
      horizon,
      seasonalLag: m,
    },
  );
  if (name === 'regression') return { model: regression, effects: regression.effects };
  const ets = fitEts(values, m);
  return {
    model: {
      predictLog: (h) => {
        const a = regression.predictLog(h);
        const b = ets.predictLog(h);
        return a.map((v, i) => (v + (b[i] ?? v)) / 2);
      },
    },
    effects: regression.effects,
  };
}

/** Rolling validation plan: training lengths (oldest first) and the horizon scored at each. */
export function validationPlan(
  n: number,
  horizon: number,
  minTrain: number,
  daily: boolean,
): { lengths: number[]; horizon: number } {
  const hv = Math.min(horizon, n - minTrain);
  if (hv < 1) return { lengths: [], horizon: 0 };
  let step = Math.max(1, Math.ceil(hv / 2));
  // Origins a whole number of weeks apart would all fall on the same weekday.
  if (daily && step % 7 === 0) step += 1;
  const target = Math.min(20, Math.max(6, Math.ceil(80 / hv)));
  const lengths: number[] = [];
  for (let k = 0; k < target; k++) {
    const length = n - hv - k * step;
    if (length < minTrain) break;
    lengths.unshift(length);
  }
  return { lengths, horizon: hv };
}

/** Finite-sample (conformal) empirical quantile: slightly wider than the plain sample quantile. */
function conformalQuantile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const upper = p >= 0.5;
  const rank = upper ? Math.ceil((n + 1) * p) : Math.floor((n + 1) * p);
  if (rank > n) return (sorted[n - 1] ?? 0) * 1.15;
  if (rank < 1) return (sorted[0] ?? 0) * 1.15;
  return sorted[rank - 1] ?? 0;
}

/** Log-scale interval offsets by step from validation errors pooled over neighbouring steps. */
function intervalsFromErrors(errors: number[][], hv: number, horizon: number): number[][] {
  const bounds: number[][] = [];
  for (let h = 1; h <= horizon; h++) {
    const hh = Math.min(h, hv);
    const w = Math.max(1, Math.round(hh / 4));
    const pool: number[] = [];
    for (let s = Math.max(1, hh - w); s <= Math.min(hv, hh + w); s++)
      for (const e of errors[s - 1] ?? []) pool.push(e);
    pool.sort((a, b) => a - b);
    const widen = h > hv ? Math.sqrt(h / hv) : 1;
    bounds.push([0.025, 0.1, 0.9, 0.975].map((p) => conformalQuantile(pool, p) * widen));
  }
  // Uncertainty does not shrink with the horizon: least-squares monotone fit (not a running maximum,
  // which would ratchet up on sampling noise and over-cover).
  for (let j = 0; j < 4; j++) {
    const sign = j < 2 ? -1 : 1;
    const fitted = isotonic(bounds.map((b) => sign * (b[j] ?? 0)));
    bounds.forEach((b, h) => (b[j] = sign * (fitted[h] ?? 0)));
  }
  return bounds;
}

/** Pool-adjacent-violators: the non-decreasing sequence closest to `values` in least squares. */
export function isotonic(values: readonly number[]): number[] {
  const blocks: { sum: number; count: number }[] = [];
  for (const v of values) {
    blocks.push({ sum: v, count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (!a || !b || a.sum / a.count <= b.sum / b.count) break;
      blocks.splice(blocks.length - 2, 2, { sum: a.sum + b.sum, count: a.count + b.count });
    }
  }
  return blocks.flatMap((b) => new Array<number>(b.count).fill(b.sum / b.count));
}

/**
 * Forecasts `horizon` periods after the series. Candidates (seasonal naive, regression, ETS, their blend)
 * are scored by MASE on rolling validation origins inside the history; the best ships. Its validation
 * errors by step give the 80% and 95% intervals. Point forecasts are medians (back-transformed log1p).
 */
export function forecast(series: Series, options: ForecastOptions): ForecastResult {
  const horizon = options.horizon;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
  const events = options.events ?? true;
  const n = series.values.length;
  const m = seasonalPeriod(series.frequency);
  const all: ModelName[] = ['seasonal-naive', 'regression', 'ets', 'blend'];
  const names = all.filter((c) => n >= minimumLength(c, m) + 2);
  const notes: string[] = [];
  const minTrain = Math.max(...names.map((c) => minimumLength(c, m)));
  const plan = validationPlan(n, horizon, minTrain, series.frequency === 'daily');
  const scores: CandidateScore[] = [];
  const errors = new Map<ModelName, number[][]>();
  for (const name of plan.lengths.length >= 2 ? names : []) {
    const byStep: number[][] = Array.from({ length: plan.horizon }, () => []);
    const scaled: number[] = [];
    for (const length of plan.lengths) {
      const pred = fitCandidate(name, series, length, plan.horizon, events).model.predictLog(plan.horizon);
      const scale = seasonalNaiveScale(series.values.slice(0, length), m);
      const abs: number[] = [];
      pred.forEach((p, k) => {
        const actual = series.values[length + k] ?? 0;
        if (series.imputed[length + k]) return;
        abs.push(Math.abs(actual - Math.max(0, Math.expm1(p))));
        byStep[k]?.push(Math.log1p(actual) - p);
      });
      if (abs.length > 0) scaled.push(mean(abs) / scale);
    }
    scores.push({ model: name, mase: mean(scaled) });
    errors.set(name, byStep);
  }
  scores.sort((a, b) => a.mase - b.mase);
  const chosen: ModelName = scores[0]?.model ?? (n >= 2 * m ? 'seasonal-naive' : 'naive');
  if (scores.length === 0)
    notes.push(`history of ${n} periods is too short to validate: the baseline (${chosen}) ships`);
  else
    notes.push(
      `validation on ${plan.lengths.length} origins, ${plan.horizon} steps each: ${chosen} scored best`,
    );
  const fitted = fitCandidate(chosen, series, n, horizon, events);
  const point = fitted.model.predictLog(horizon);
  const chosenErrors = errors.get(chosen);
  let bounds: number[][];
  if (chosenErrors && plan.horizon > 0) {
    bounds = intervalsFromErrors(chosenErrors, plan.horizon, horizon);
  } else {
    const sn = seasonalNaiveIntervals(series.values, m, horizon);
    bounds = sn.lower80.map((_, k) => [
      sn.lower95[k] ?? 0,
      sn.lower80[k] ?? 0,
      sn.upper80[k] ?? 0,
      sn.upper95[k] ?? 0,
    ]);
  }
  const last = parseIsoDate(series.dates[n - 1] ?? '') ?? 0;
  const days = futureDays(series.frequency, last, horizon);
  const points: ForecastPoint[] = point.map((p, k) => {
    const [l95 = 0, l80 = 0, u80 = 0, u95 = 0] = bounds[k] ?? [];
    const back = (x: number): number => Math.max(0, Math.expm1(x));
    return {
      date: isoDate(days[k] ?? 0),
      step: k + 1,
      point: back(p),
      lower80: back(p + Math.min(l80, 0)),
      upper80: back(p + Math.max(u80, 0)),
      lower95: back(p + Math.min(l95, l80, 0)),
      upper95: back(p + Math.max(u95, u80, 0)),
    };
  });
  const first = parseIsoDate(series.dates[0] ?? '') ?? 0;
  if (events && !lunarTableCovers(first, days[days.length - 1] ?? last))
    notes.push('Lunar New Year table covers 2010-2035 only: years outside it have no LNY effect');
  return {
    frequency: series.frequency,
    horizon,
    model: chosen,
    points,
    candidates: scores,
    validationOrigins: plan.lengths.length,
    events,
    eventEffects: chosen === 'regression' || chosen === 'blend' ? fitted.effects : [],
    notes,
  };
}
