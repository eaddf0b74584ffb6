/** Data-quality scorecards per submitter and period, with trend and chart. */
export { missingElements, qualityElements, type ElementCheck } from './elements.js';
export {
  addRecord,
  addRejection,
  emptyTally,
  periodOf,
  qualityWeights,
  scorecard,
  vagueThreshold,
  type QualityTally,
  type Scorecard,
} from './scorecard.js';
export { qualityReport, type QualityQuery, type QualityReport } from './service.js';
export { renderQualitySvg } from './chart.js';
export {
  recordRejections,
  rejectedRecord,
  rejectionCollection,
  rejectionRecorder,
  rejectionsBetween,
  type RejectedRecord,
  type RejectionBatch,
} from './rejections.js';
