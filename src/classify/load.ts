/** Loads the shipped classifier (HS 2022, curated vocabulary, fitted calibration) once per process. */
import { existsSync, readFileSync } from 'node:fs';
import { dataPath, loadHs2022 } from '../reference/index.js';
import { buildClassifier, DEFAULT_CALIBRATION, type Calibration, type Classifier } from './classifier.js';

let cached: Classifier | undefined;

function readCalibration(): Calibration {
  const path = dataPath('classify', 'calibration.json');
  if (!existsSync(path)) return DEFAULT_CALIBRATION;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<Calibration>;
  const { temperature, slope, intercept } = raw;
  if (typeof temperature !== 'number' || typeof slope !== 'number' || typeof intercept !== 'number') {
    return DEFAULT_CALIBRATION;
  }
  return { temperature, slope, intercept };
}

/** The classifier built from data/hs and data/classify, cached after the first call. */
export function loadClassifier(): Classifier {
  if (cached === undefined) {
    const vocabulary: unknown = JSON.parse(readFileSync(dataPath('classify', 'vocabulary.json'), 'utf8'));
    cached = buildClassifier(loadHs2022(), vocabulary, readCalibration());
  }
  return cached;
}
