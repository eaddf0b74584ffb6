/** Revenue: jurisdiction profiles as data, duty, VAT, fees and collection models (pure assessment + data loader). */
export {
  assessRevenue,
  createRevenueContext,
  fxFor,
  quote,
  backDatedArrival,
  recordedTaxDate,
  relevantDate,
  taxPointOf,
  type RevenueContext,
  type TaxPoint,
  type TaxPointBasis,
} from './assess-revenue.js';
export { singleArticle } from './generic-engine.js';
export {
  parseHmrcMonthlyCsv,
  staticFxProvider,
  type FxQuote,
  type FxRateProvider,
  type StaticFxTable,
} from './fx.js';
export {
  describeDateRule,
  parseFxFeedCsv,
  penultimateWednesdayOfPreviousMonth,
  prescribedProvider,
  rateDateFor,
  type FxDateRule,
  type FxFeed,
  type PrescribedFx,
} from './fx-feed.js';
export {
  compileProfileJson,
  loadFxFeeds,
  loadHmrcFxProvider,
  loadRevenueContext,
  loadRevenueProfiles,
  profileNames,
  readProfileJson,
  type LoadRevenueOptions,
} from './load-context.js';
export { parseIbericodeRates, type VatRate, type VatRateTable } from './vat-rates.js';
export {
  type AssessOptions,
  type CompiledGenericProfile,
  compileGenericProfile,
  parseGenericProfile,
  parseTariffSchedule,
} from './generic-profile.js';
export type { GenericProfile } from './generic-schema.js';
export {
  parseTariffCsv,
  rateProblem,
  RATE_LIMITS,
  type RateKind,
  type TariffCsvIssue,
  type TariffCsvOptions,
  type TariffCsvResult,
} from './tariff-csv.js';
export { compileSchedule, type CompiledSchedule, type TariffSchedule } from './tariff-schedule.js';
export { revenueErrorCodes } from './error-codes.js';
export {
  historyOption,
  iossEntryOf,
  iossReport,
  personKeyOf,
  returnEntries,
  applyRefundRule,
  type AppliedRefundRule,
  type IossEntry,
  type IossReportLine,
  type LedgerBatch,
  type PersonImport,
  type PersonTotals,
  type ReturnTrigger,
  type RevenueLedger,
  type RevenueTrailEntry,
} from './ledger.js';
export {
  applySettings,
  parsePolicySetting,
  renderSimulationSvg,
  replayRevenue,
  simulate,
  trafficAt,
  withProfiles,
  type PolicySetting,
  type ReplayResult,
  type SimulationRow,
  type TrafficItem,
} from './simulate.js';
export {
  PersonHistory,
  personEntryOf,
  personRegime,
  personThreshold,
  personValueOf,
  type PersonHistoryPort,
} from './person-history.js';
export {
  BoundedPersonHistory,
  personKeyOfRecord,
  type BoundedPersonOptions,
  type PersonImportSource,
} from './person-cache.js';
export {
  refundRuleAt,
  ledgerBatch,
  recordAssessment,
  recordReturn,
  returnTriggerOf,
  returnedRevenue,
  type LedgerSubject,
  type ReturnFact,
} from './ledger-batch.js';
export { loadTariffSpecs, readSchedule, withSchedules } from './tariff-import.js';
export { renderReplayReport, replayReport, type ReplayReport, type ReplaySubject } from './replay-report.js';
export { contextAsRecorded, shippedProfileArchive, type ProfileArchive } from './profile-archive.js';
export { notAssessedCodes, notAssessedNote, notAssessedReason } from './not-assessed.js';
