/**
 * Confidence calibration: a logistic map per level (6, 4, 2 digits) over features of a ranking that say how
 * sure the scorer is (softmax share, score margin) and how much it knows about the text (whether a curated
 * product phrase backs the choice, the share of words it has never seen, the description's length).
 */
import type { Token } from './normalise.js';
import type { VocabularyMatch } from './vocabulary.js';

/** The features, in weight order. */
export const CALIBRATION_FEATURES = [
  'bias',
  'logitShare',
  'margin',
  'productBacked',
  'unknownShare',
  'logTokens',
] as const;

/** Softmax temperature and logistic weights over {@link CALIBRATION_FEATURES} per number of digits. */
export interface Calibration {
  temperature: number;
  hs6: readonly number[];
  hs4: readonly number[];
  hs2: readonly number[];
}

/** The digits a confidence is about. */
export type Level = 6 | 4 | 2;

/** Weights that return the softmax share unchanged (sigmoid of its logit): the uncalibrated default. */
const IDENTITY = [0, 1, 0, 0, 0, 0];

/** Calibration used when none has been fitted: the raw softmax shares. */
export const DEFAULT_CALIBRATION: Calibration = {
  temperature: 1,
  hs6: IDENTITY,
  hs4: IDENTITY,
  hs2: IDENTITY,
};

/** Largest score margin the features distinguish (beyond it the scorer is as sure as it gets). */
const MARGIN_CAP = 6;

const clampP = (p: number): number => Math.min(1 - 1e-6, Math.max(1e-6, p));
const logit = (p: number): number => Math.log(clampP(p) / (1 - clampP(p)));

/** What the calibration map reads from a ranking. */
export interface RankingFacts {
  tokens: readonly Token[];
  matches: readonly VocabularyMatch[];
  candidates: readonly { hs6: string; score: number; share: number }[];
  /** Tokens known neither to the HS texts nor to the vocabulary. */
  unknownTokens: number;
}

/** The feature vector of a ranking's best candidate at one level (digits compared). */
export function calibrationFeatures(r: RankingFacts, level: Level): number[] {
  const top = r.candidates[0];
  if (top === undefined) return [1, logit(0), 0, 0, 1, 0];
  const prefix = top.hs6.slice(0, level);
  let share = 0;
  let rival: number | undefined;
  for (const x of r.candidates) {
    if (x.hs6.startsWith(prefix)) share += x.share;
    else if (rival === undefined) rival = x.score;
  }
  const margin = rival === undefined ? MARGIN_CAP : Math.min(MARGIN_CAP, top.score - rival);
  let backed = 0;
  for (const m of r.matches) {
    if (m.entry.kind !== 'product') continue;
    for (const t of m.entry.targets) {
      const n = Math.min(level, t.code.length);
      if (t.code.slice(0, n) === top.hs6.slice(0, n)) backed = 1;
    }
  }
  const n = r.tokens.length;
  return [1, logit(share), margin, backed, n === 0 ? 1 : r.unknownTokens / n, Math.log1p(n)];
}

/** The calibrated probability that the best candidate is right at `level`. */
export function calibrated(cal: Calibration, features: readonly number[], level: Level): number {
  const w = level === 6 ? cal.hs6 : level === 4 ? cal.hs4 : cal.hs2;
  let z = 0;
  for (let i = 0; i < features.length; i++) z += (w[i] ?? 0) * (features[i] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** One training example of the calibration map: the features and whether the choice was right. */
export interface CalibrationExample {
  features: readonly number[];
  correct: boolean;
}

/** Mean negative log-likelihood of the examples under logistic weights. */
export function logLoss(examples: readonly CalibrationExample[], w: readonly number[]): number {
  let loss = 0;
  for (const e of examples) {
    let z = 0;
    for (let i = 0; i < w.length; i++) z += (w[i] ?? 0) * (e.features[i] ?? 0);
    const p = clampP(1 / (1 + Math.exp(-z)));
    loss -= e.correct ? Math.log(p) : Math.log(1 - p);
  }
  return loss / Math.max(1, examples.length);
}

function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivot]?.[col] ?? 0)) pivot = r;
    }
    [m[col], m[pivot]] = [m[pivot] ?? [], m[col] ?? []];
    const p = m[col]?.[col] ?? 0;
    if (Math.abs(p) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = (m[r]?.[col] ?? 0) / p;
      for (let k = col; k <= n; k++) (m[r] as number[])[k] = (m[r]?.[k] ?? 0) - f * (m[col]?.[k] ?? 0);
    }
  }
  return m.map((row, i) => {
    const d = row[i] ?? 0;
    return Math.abs(d) < 1e-12 ? 0 : (row[n] ?? 0) / d;
  });
}

/**
 * Fits logistic weights by Newton's method with an L2 penalty `l2` on every weight but the bias (a ridge
 * keeps the map smooth on a few hundred examples and pulls rarely-seen features towards no effect).
 */
export function fitLogistic(examples: readonly CalibrationExample[], l2 = 1, iterations = 50): number[] {
  const d = CALIBRATION_FEATURES.length;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const e of examples) {
      let z = 0;
      for (let i = 0; i < d; i++) z += (w[i] ?? 0) * (e.features[i] ?? 0);
      const p = 1 / (1 + Math.exp(-z));
      const r = p - (e.correct ? 1 : 0);
      const s = Math.max(1e-9, p * (1 - p));
      for (let i = 0; i < d; i++) {
        const xi = e.features[i] ?? 0;
        grad[i] = (grad[i] ?? 0) + r * xi;
        const row = hess[i] as number[];
        for (let j = 0; j < d; j++) row[j] = (row[j] ?? 0) + s * xi * (e.features[j] ?? 0);
      }
    }
    for (let i = 1; i < d; i++) {
      grad[i] = (grad[i] ?? 0) + l2 * (w[i] ?? 0);
      (hess[i] as number[])[i] = (hess[i]?.[i] ?? 0) + l2;
    }
    const step = solve(hess, grad);
    const next = w.map((x, i) => x - (step[i] ?? 0));
    const moved = Math.max(...next.map((x, i) => Math.abs(x - (w[i] ?? 0))));
    w = next;
    if (moved < 1e-8) break;
  }
  return w.map((x) => Math.round(x * 10000) / 10000);
}
