/** Three-document matching (order, payment, waybill) for China cross-border retail import. */
export {
  CbecList,
  CbecOrder,
  CbecPayment,
  CbecWaybill,
  documentKinds,
  parseDocument,
  type DocumentKind,
} from './documents.js';
export {
  defaultTolerances,
  matchDocuments,
  missingKinds,
  reasonsForOtherParty,
  withinTolerance,
  type DocumentSet,
  type Tolerances,
} from './matching.js';
export {
  checkQuota,
  crossBorderLimits,
  residentIdProblem,
  withResidentIdCheck,
  type QuotaOutcome,
} from './quota.js';
export { listToConsignment } from './to-consignment.js';
export { sampleThreeDocuments } from './samples.js';
export {
  listReports,
  orderStatus,
  outcomeForOtherParty,
  receiveDocument,
  receiveList,
  reportOverdue,
  type ListOutcome,
  type ThreeDocDeps,
} from './service.js';
