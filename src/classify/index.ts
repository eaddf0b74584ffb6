/** HS 2022 classification of free-text descriptions: the public API of src/classify. */
export {
  buildClassifier,
  classify,
  classifyBatch,
  DEFAULT_PARAMS,
  type Alternative,
  type Classification,
  type Classifier,
  type ExplanationItem,
  type ScoringParams,
} from './classifier.js';
export { readClassifyCsv, type ClassifyRow } from './csv.js';
export {
  calibrationBins,
  evaluate,
  reliabilityChart,
  renderEvalReport,
  type AccuracyByDigits,
  type CalibrationBin,
  type EvalReport,
  type LabelledRow,
} from './evaluate.js';
export { loadClassifier } from './load.js';
export {
  CALIBRATION_FEATURES,
  DEFAULT_CALIBRATION,
  calibrationFeatures,
  fitLogistic,
  type Calibration,
} from './calibration.js';
export { fitCalibration, outOfFoldExamples, type CrossFitResult } from './cross-fit.js';
export { suggestMissingCodes, type HsSuggestion } from './suggest.js';
export { foldText, stem, tokenise, type Token } from './normalise.js';
export { classifyErrorCodes } from './error-codes.js';
