/** The product model: ridge regression on log1p(count) with one Huber reweighting and a residual level. */
import { dayNumber } from './dates.js';
import { chooseDesign, designColumns, designRows, type DesignSpec } from './features.js';
import { dot, median, ridgeSolve } from './linalg.js';
import type { EventEffect, Frequency } from './types.js';

/** A fitted model that forecasts on the log1p scale. */
export interface FittedModel {
  /** Log1p-scale forecasts for steps 1..horizon after the training window. */
  predictLog(horizon: number): number[];
}

/** A fitted regression with its learnt event effects. */
export interface FittedRegression extends FittedModel {
  effects: EventEffect[];
}

const HUBER_K = 1.345;
// Imputed periods are guesses: they keep the design regular but carry little weight.
const IMPUTED_WEIGHT = 0.2;

/** Robust noise variance on the log scale from lag-m differences (MAD), floored to keep ridge sane. */
export function robustNoiseVariance(y: readonly number[], lag: number): number {
  const l = y.length > lag + 2 ? lag : 1;
  const diffs: number[] = [];
  for (let i = l; i < y.length; i++) diffs.push((y[i] ?? 0) - (y[i - l] ?? 0));
  const med = median(diffs);
  const mad = median(diffs.map((d) => Math.abs(d - med)));
  const sd = (1.4826 * mad) / Math.SQRT2;
  return Math.max(sd * sd, 1e-4);
}

/** Number of separate runs in which column `j` is non-zero (occurrences of an event window). */
function occurrences(rows: readonly (readonly number[])[], j: number): number {
  let runs = 0;
  let active = false;
  for (const row of rows) {
    const on = (row[j] ?? 0) !== 0;
    if (on && !active) runs++;
    active = on;
  }
  return runs;
}

function fitWeighted(
  rows: number[][],
  y: readonly number[],
  weights: number[],
  penalty: number[],
): { beta: number[]; resid: number[] } {
  const beta = ridgeSolve(rows, y, weights, penalty);
  const resid = rows.map((x, i) => (y[i] ?? 0) - dot(x, beta));
  return { beta, resid };
}

/**
 * Chooses, on the in-sample residuals, a smoothed residual level and its decay per step (grid search on
 * multi-step errors); alpha = 0 means no correction, so the level can only help in sample.
 */
function residualLevel(resid: readonly number[], horizon: number): { level: number; phi: number } {
  const h = Math.max(1, Math.min(horizon, 60));
  let best = { level: 0, phi: 0, sse: Number.POSITIVE_INFINITY };
  for (const alpha of [0, 0.05, 0.1, 0.2, 0.35, 0.5]) {
    const levels: number[] = [];
    let l = 0;
    for (const r of resid) {
      l = alpha * r + (1 - alpha) * l;
      levels.push(l);
    }
    for (const phi of [0.8, 0.9, 0.95, 0.98, 0.995]) {
      let sse = 0;
      for (let t = 0; t < resid.length - 1; t++) {
        let decay = 1;
        const lt = levels[t] ?? 0;
        for (let k = 1; k <= h && t + k < resid.length; k++) {
          decay *= phi;
          const e = (resid[t + k] ?? 0) - lt * decay;
          sse += e * e;
        }
      }
      if (sse < best.sse - 1e-12) best = { level: levels[levels.length - 1] ?? 0, phi, sse };
      if (alpha === 0) break;
    }
  }
  return { level: best.level, phi: best.phi };
}

/**
 * Fits the regression on log1p(values): ridge penalties λⱼ = σ²/τⱼ² from a robust noise estimate,
 * then one Huber reweighting pass against outliers.
 */
export function fitRegression(
  frequency: Frequency,
  firstDate: string,
  values: readonly number[],
  imputed: readonly boolean[],
  options: { events: boolean; horizon: number; seasonalLag: number },
): FittedRegression {
  const first = dayNumber(
    Number(firstDate.slice(0, 4)),
    Number(firstDate.slice(5, 7)),
    Number(firstDate.slice(8, 10)),
  );
  const spec: DesignSpec = chooseDesign(frequency, first ?? 0, values.length, options.events);
  const columns = designColumns(spec);
  const y = values.map((v) => Math.log1p(v));
  const indexes = values.map((_, i) => i);
  const rows = designRows(spec, indexes);
  const sigma2 = robustNoiseVariance(y, options.seasonalLag);
  const penalty = columns.map((c, j) => {
    if (!Number.isFinite(c.tau)) return 0;
    // An event seen once cannot be told apart from noise or a level change there: switch it off.
    if (c.kind === 'event' && occurrences(rows, j) < 2) return 1e9;
    return sigma2 / (c.tau * c.tau);
  });
  const base = imputed.map((m) => (m ? IMPUTED_WEIGHT : 1));
  let fit = fitWeighted(rows, y, base, penalty);
  const scale = 1.4826 * median(fit.resid.map(Math.abs));
  if (scale > 0) {
    const weights = fit.resid.map((r, i) => {
      const a = Math.abs(r);
      return (base[i] ?? 1) * (a <= HUBER_K * scale ? 1 : (HUBER_K * scale) / a);
    });
    fit = fitWeighted(rows, y, weights, penalty);
  }
  const { beta, resid } = fit;
  const correction = residualLevel(resid, options.horizon);
  const effects: EventEffect[] = [];
  columns.forEach((c, j) => {
    if (c.kind !== 'event') return;
    const [event = '', ...rest] = c.name.split(' ');
    effects.push({ event, window: rest.join(' '), percent: 100 * Math.expm1(beta[j] ?? 0) });
  });
  return {
    effects,
    predictLog(horizon: number): number[] {
      const future: number[] = [];
      for (let h = 1; h <= horizon; h++) future.push(values.length - 1 + h);
      return designRows(spec, future).map(
        (x, k) => dot(x, beta) + correction.level * Math.pow(correction.phi, k + 1),
      );
    },
  };
}

/** Least-squares coefficients of the design with a vanishing ridge penalty, for coefficient-recovery checks. */
export function regressionCoefficients(
  frequency: Frequency,
  firstDay: number,
  values: readonly number[],
  events: boolean,
): { names: string[]; beta: number[] } {
  const spec = chooseDesign(frequency, firstDay, values.length, events);
  const columns = designColumns(spec);
  const y = values.map((v) => Math.log1p(v));
  const rows = designRows(
    spec,
    values.map((_, i) => i),
  );
  const penalty = columns.map((c) => (Number.isFinite(c.tau) ? 1e-6 / (c.tau * c.tau) : 0));
  return {
    names: columns.map((c) => c.name),
    beta: ridgeSolve(
      rows,
      y,
      y.map(() => 1),
      penalty,
    ),
  };
}
