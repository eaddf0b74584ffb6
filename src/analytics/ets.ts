/** Damped additive Holt-Winters (ETS(A,Ad,A)) on log1p(count), parameters chosen by a grid search. */
import { effectivePeriod } from './baseline.js';
import type { FittedModel } from './regression.js';

interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface EtsState {
  level: number;
  trend: number;
  season: number[];
  sse: number;
}

function mean(values: readonly number[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i] ?? 0;
  return s / Math.max(1, to - from);
}

/** Runs the error-correction recursions over the series; returns the final state and the one-step SSE. */
function runEts(y: readonly number[], m: number, p: EtsParams): EtsState {
  const seasons = Math.min(2, Math.floor(y.length / m));
  const level0 = mean(y, 0, m);
  const trend0 = seasons >= 2 && m > 1 ? (mean(y, m, 2 * m) - level0) / m : 0;
  const season = new Array<number>(m).fill(0);
  if (m > 1) for (let i = 0; i < m; i++) season[i] = (y[i] ?? 0) - level0;
  let level = level0;
  let trend = trend0;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = m > 1 ? (season[t % m] ?? 0) : 0;
    const fitted = level + p.phi * trend + s;
    const e = (y[t] ?? 0) - fitted;
    // The first season only initialises the states; scoring it would reward the initial guess.
    if (t >= m) sse += e * e;
    level = level + p.phi * trend + p.alpha * e;
    trend = p.phi * trend + p.alpha * p.beta * e;
    if (m > 1) season[t % m] = s + p.gamma * (1 - p.alpha) * e;
  }
  return { level, trend, season, sse };
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];
const BETAS = [0, 0.05, 0.2];
const GAMMAS = [0, 0.05, 0.15, 0.3];
const PHIS = [0.9, 0.98];

/**
 * Fits damped additive Holt-Winters on log1p(values) with season length `period` (none when there are
 * fewer than two seasons), minimising the one-step squared error over a parameter grid.
 */
export function fitEts(values: readonly number[], period: number): FittedModel {
  const y = values.map((v) => Math.log1p(v));
  const m = effectivePeriod(y.length, period);
  let best: { state: EtsState; params: EtsParams } | undefined;
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const gamma of m > 1 ? GAMMAS : [0])
        for (const phi of PHIS) {
          const params = { alpha, beta, gamma, phi };
          const state = runEts(y, m, params);
          if (!best || state.sse < best.state.sse) best = { state, params };
        }
  const fit = best ?? {
    state: runEts(y, m, { alpha: 0.3, beta: 0, gamma: 0, phi: 0.9 }),
    params: { phi: 0.9 },
  };
  const n = y.length;
  return {
    predictLog(horizon: number): number[] {
      const out: number[] = [];
      let damp = 0;
      for (let h = 1; h <= horizon; h++) {
        damp += Math.pow(fit.params.phi, h);
        const s = m > 1 ? (fit.state.season[(n + h - 1) % m] ?? 0) : 0;
        out.push(fit.state.level + damp * fit.state.trend + s);
      }
      return out;
    },
  };
}
