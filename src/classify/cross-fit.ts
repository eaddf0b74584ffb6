/**
 * Fits the confidence calibration on text the classifier did not see. Two kinds of text qualify: public text it
 * was never built or tuned from (its predictions are out of sample as they are), and the author-written corpus
 * through cross-fitting. The learned part of the classifier is its curated vocabulary, written with that corpus
 * in view; so each fold's rows are ranked by the classifier without the vocabulary phrases that only that
 * fold's rows use (what the vocabulary would lack had those rows never been seen).
 */
import {
  CALIBRATION_FEATURES,
  calibrationFeatures,
  fitLogistic,
  logLoss,
  type Calibration,
  type CalibrationExample,
  type Level,
} from './calibration.js';
import { rank, vocabularyWords, type Classifier } from './classifier.js';
import type { LabelledRow } from './evaluate.js';

/** The classifier without the given vocabulary phrases (normalised keys); nothing else changes. */
export function withoutPhrases(c: Classifier, drop: ReadonlySet<string>): Classifier {
  if (drop.size === 0) return c;
  const entries = new Map([...c.vocabulary.entries].filter(([k]) => !drop.has(k)));
  const vocabulary = { ...c.vocabulary, entries };
  return { ...c, vocabulary, vocabularyWords: vocabularyWords(vocabulary) };
}

/** The vocabulary phrases a description matches. */
export function phrasesOf(c: Classifier, description: string): string[] {
  return rank(c, description).matches.map((m) => m.entry.phrase);
}

/** Calibration examples of one row at the three levels. */
export type RowExamples = Record<Level, CalibrationExample>;

const LEVELS: readonly Level[] = [6, 4, 2];

function examplesOf(c: Classifier, row: LabelledRow): RowExamples {
  const r = rank(c, row.description);
  const top = r.candidates[0]?.hs6 ?? '';
  const out = {} as RowExamples;
  for (const level of LEVELS) {
    out[level] = {
      features: calibrationFeatures(r, level),
      correct: top !== '' && top.slice(0, level) === row.hs6.slice(0, level),
    };
  }
  return out;
}

/** Fold of row `i` of `n` among `folds` (interleaved, so each fold spans every product kind of an ordered file). */
export const foldOf = (i: number, folds: number): number => i % folds;

/**
 * Out-of-fold examples of every row: row i is ranked by the classifier (at `temperature`) without the
 * phrases that rows of its fold use and rows of other folds do not.
 */
export function outOfFoldExamples(
  c: Classifier,
  rows: readonly LabelledRow[],
  folds: number,
  temperature: number,
): RowExamples[] {
  const probe: Classifier = { ...c, calibration: { ...c.calibration, temperature } };
  const used = rows.map((r) => phrasesOf(c, r.description));
  const out: RowExamples[] = new Array<RowExamples>(rows.length);
  for (let k = 0; k < folds; k++) {
    const outside = new Set(used.flatMap((u, i) => (foldOf(i, folds) === k ? [] : u)));
    const only = new Set(
      used.flatMap((u, i) => (foldOf(i, folds) === k ? u.filter((p) => !outside.has(p)) : [])),
    );
    const ck = withoutPhrases(probe, only);
    rows.forEach((row, i) => {
      if (foldOf(i, folds) === k) out[i] = examplesOf(ck, row);
    });
  }
  return out;
}

/** In-sample examples (the full classifier), for comparison. */
export function inSampleExamples(
  c: Classifier,
  rows: readonly LabelledRow[],
  temperature: number,
): RowExamples[] {
  const probe: Classifier = { ...c, calibration: { ...c.calibration, temperature } };
  return rows.map((row) => examplesOf(probe, row));
}

/** Options of {@link fitCalibration}. */
export interface CrossFitOptions {
  /** Folds of the cross-fitting of `authored` rows and of the choice of temperature and ridge. */
  folds?: number;
  temperatures?: readonly number[];
  ridges?: readonly number[];
}

/** The labelled text a calibration is fitted on. */
export interface CalibrationSources {
  /** Public text the classifier was never built or tuned from: its predictions are out of sample as they are. */
  unseen: readonly LabelledRow[];
  /** Text the vocabulary was written with in view: enters only through out-of-fold (cross-fitted) predictions. */
  authored?: readonly LabelledRow[];
}

/** A fitted calibration with how it was chosen. */
export interface CrossFitResult {
  calibration: Calibration;
  folds: number;
  l2: number;
  unseenRows: number;
  authoredRows: number;
  /** Cross-validated mean log-loss of the 6-digit map on the unseen rows, per `temperature/ridge` tried. */
  losses: Record<string, number>;
  /** The unseen rows' examples at the chosen temperature (for reports). */
  examples: RowExamples[];
}

function meanLoss(
  examples: readonly CalibrationExample[],
  folds: number,
  l2: number,
  extra: readonly CalibrationExample[],
): number {
  let total = 0;
  for (let k = 0; k < folds; k++) {
    const train = [...extra, ...examples.filter((_, i) => foldOf(i, folds) !== k)];
    const test = examples.filter((_, i) => foldOf(i, folds) === k);
    if (test.length === 0) continue;
    total += logLoss(test, fitLogistic(train, l2)) * test.length;
  }
  return total / Math.max(1, examples.length);
}

/**
 * Fits the calibration map per level (ridge logistic regression over {@link CALIBRATION_FEATURES}) on text the
 * classifier did not see: the `unseen` rows as ranked, plus the `authored` rows' out-of-fold predictions when
 * given. The softmax temperature and the ridge are chosen by cross-validated log-loss on the unseen rows (the
 * text most like what the classifier meets), then the maps are fitted on everything.
 */
export function fitCalibration(
  c: Classifier,
  sources: CalibrationSources,
  options: CrossFitOptions = {},
): CrossFitResult {
  const folds = options.folds ?? 5;
  const temperatures = options.temperatures ?? [0.25, 0.5, 1, 2];
  const ridges = options.ridges ?? [0.1, 0.3, 1, 3];
  const authored = sources.authored ?? [];
  const losses: Record<string, number> = {};
  let best: { temperature: number; l2: number; loss: number } | undefined;
  const byTemperature = new Map<number, { unseen: RowExamples[]; authored: RowExamples[] }>();
  for (const temperature of temperatures) {
    const unseen = inSampleExamples(c, sources.unseen, temperature);
    const crossFitted = authored.length > 0 ? outOfFoldExamples(c, authored, folds, temperature) : [];
    byTemperature.set(temperature, { unseen, authored: crossFitted });
    for (const l2 of ridges) {
      const loss = meanLoss(
        unseen.map((e) => e[6]),
        folds,
        l2,
        crossFitted.map((e) => e[6]),
      );
      losses[`${temperature}/${l2}`] = Math.round(loss * 10000) / 10000;
      if (best === undefined || loss < best.loss) best = { temperature, l2, loss };
    }
  }
  if (best === undefined) throw new Error('no temperature or ridge to try');
  const chosen = byTemperature.get(best.temperature) ?? { unseen: [], authored: [] };
  const all = [...chosen.unseen, ...chosen.authored];
  const weights = {} as Record<Level, number[]>;
  for (const level of LEVELS)
    weights[level] = fitLogistic(
      all.map((e) => e[level]),
      best.l2,
    );
  return {
    calibration: { temperature: best.temperature, hs6: weights[6], hs4: weights[4], hs2: weights[2] },
    folds,
    l2: best.l2,
    unseenRows: sources.unseen.length,
    authoredRows: authored.length,
    losses,
    examples: chosen.unseen,
  };
}

export { CALIBRATION_FEATURES };
