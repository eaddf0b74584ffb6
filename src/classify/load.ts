/** Loads the shipped classifier (HS 2022, curated vocabulary, fitted calibration) once per process. */
import { existsSync, readFileSync } from 'node:fs';
import { dataPath, loadHs2022 } from '../reference/index.js';
import { CALIBRATION_FEATURES, DEFAULT_CALIBRATION, type Calibration } from './calibration.js';
import { buildClassifier, type Classifier } from './classifier.js';

let cached: Classifier | undefined;

function readCalibration(): Calibration {
  const path = dataPath('classify', 'calibration.json');
  if (!existsSync(path)) return DEFAULT_CALIBRATION;
  return parseCalibration(JSON.parse(readFileSync(path, 'utf8')));
}

/** A calibration file's content, or the uncalibrated default when it is not the current format. */
export function parseCalibration(json: unknown): Calibration {
  const raw = (typeof json === 'object' && json !== null ? json : {}) as Partial<
    Record<keyof Calibration, unknown>
  >;
  const weights = (w: unknown): number[] | undefined =>
    Array.isArray(w) && w.length === CALIBRATION_FEATURES.length && w.every((x) => typeof x === 'number')
      ? (w as number[])
      : undefined;
  const [hs6, hs4, hs2] = [weights(raw.hs6), weights(raw.hs4), weights(raw.hs2)];
  const { temperature } = raw;
  if (typeof temperature !== 'number' || hs6 === undefined || hs4 === undefined || hs2 === undefined) {
    return DEFAULT_CALIBRATION;
  }
  return { temperature, hs6, hs4, hs2 };
}

/** The classifier built from data/hs and data/classify, cached after the first call. */
export function loadClassifier(): Classifier {
  if (cached === undefined) {
    const vocabulary: unknown = JSON.parse(readFileSync(dataPath('classify', 'vocabulary.json'), 'utf8'));
    cached = buildClassifier(loadHs2022(), vocabulary, readCalibration());
  }
  return cached;
}
