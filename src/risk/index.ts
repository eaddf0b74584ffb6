/** Risk assessment: the rule language and its compiler, indicators, scoring, lanes and the random control. */
export { assessRisk, computeIndicators, type RiskContext, type RiskInput } from './assess-risk.js';
export {
  loadRuleSet,
  type CompiledRule,
  type CompiledRuleSet,
  type IndicatorSetting,
  type LoadRuleSetOptions,
  type RuleIssue,
} from './compile-rules.js';
export { compileExpression, type CompiledExpression } from './compile-expression.js';
export { loadDefaultRuleSet, rulesPath } from './default-rule-set.js';
export { ruleErrorCodes } from './error-codes.js';
export { functionNames } from './compile-functions.js';
export { indicatorIds, watchlistParties, type IndicatorId, type WatchlistName } from './names.js';
export {
  addressLine,
  buildWatchlist,
  emptyWatchlist,
  type Watchlist,
  type WatchlistEntry,
  type WatchlistMatch,
} from './watchlist.js';
export {
  DEFAULT_WATCHLIST_REASON,
  checkWatchlistDocument,
  watchlistFromSource,
  watchlistLists,
  type CheckWatchlistOptions,
  type WatchlistListName,
  type WatchlistLists,
  type WatchlistSource,
} from './watchlist-file.js';
export { redactForSubmitter, submitterLane } from './redact.js';
export { controlDraw, isRandomlySelected } from './random-control.js';
export { RuleSetSpec, RuleSpec } from './rule-set-schema.js';
export type { IndicatorResult } from './indicator-result.js';
export {
  detectionErrors,
  evaluateDetection,
  renderDetectionErrors,
  renderDetectionReport,
  selectForInspection,
  type DetectionError,
  type DetectionErrors,
  type DetectionReport,
  type ParcelLabel,
  type ScoredParcel,
  type TypeDetection,
} from './detection.js';
export {
  assessUndervaluation,
  learnReferencePrices,
  priceWords,
  referenceFor,
  type LearnPricesOptions,
  type PricedConsignment,
  type ReferencePrice,
  type ReferencePriceTable,
} from './reference-prices.js';
export { checkReferencePriceTable } from './reference-table-check.js';
export {
  consigneeBasis,
  consigneeBasisV1,
  CONSIGNEE_KEY_VERSION,
  consigneeKey,
  sellerBasis,
  inMemoryHistory,
  sellerKey,
  splitShipmentIndicator,
  type ConsigneeHistory,
  type ConsigneeParcel,
  type SplitCandidate,
  type SplitOptions,
} from './split-shipment.js';
export {
  createSelector,
  scoreQuantile,
  type Selection,
  type SelectionCandidate,
  type SelectionReason,
  type Selector,
  type SelectorOptions,
  type SelectorState,
} from './selector.js';
export { buildRuleIndex, type RuleIndex } from './rule-index.js';
export { cleanFindings, cleanFindingsSql, isViolationFinding } from './findings.js';
export { BrandMatcher, sellerIdentityKey, type BrandFloor } from './brand-price.js';
export { vagueDescriptionScore } from './vague-description.js';
export {
  renderRulesReport,
  renderScenarioResults,
  rulesReport,
  scenarioTest,
  selectingHitIds,
  type Finding,
  type InspectionOutcome,
  type RuleReport,
  type RuleStats,
  type Scenario,
  type ScenarioResult,
} from './rules-report.js';
export {
  calibrateFromOutcomes,
  calibrateRuleSet,
  learnCalibration,
  renderCalibration,
  type CalibratedWeight,
  type CalibrationOptions,
  type WeightCalibration,
} from './calibration.js';
export { assessHsUsage, memoClassifier, type DescriptionClassifier } from './hs-usage.js';
export { assessPrepaidTax, type PrepaidComputed } from './prepaid-tax.js';
export { prepaidComputedOf, revisePrepaidHit } from './prepaid-revise.js';
export { ConsigneeWindow, type RecordingHistory } from './consignee-window.js';
export {
  BoundedConsigneeWindow,
  consigneeKeyOfRecord,
  type BoundedWindowOptions,
  type ConsigneeParcelSource,
  type StoredConsigneeParcel,
} from './consignee-cache.js';
export {
  capacityLanes,
  selectionOffice,
  type LaneSelection,
  type LaneSelectionRecord,
} from './capacity-lanes.js';
export {
  createDocumentarySelector,
  type DocumentaryOptions,
  type DocumentaryReason,
  type DocumentarySelector,
  type DocumentaryState,
} from './documentary-capacity.js';
export {
  assessOperatorTrust,
  assessRepeatOffender,
  PartyBook,
  type PartyHistory,
  type PartyStats,
} from './party-history.js';
export {
  mergePatch,
  parseScenarioFile,
  runScenarioFile,
  type ScenarioFile,
  type ScenarioFileContext,
  type ScenarioSpec,
} from './scenario-file.js';
