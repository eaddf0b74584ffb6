/** Operators: registry, identifiers, AEO and credit status, compliance score, facilitation and the trust index. */
export * from './schemas.js';
export { checkIdentifier, identifierKey, normaliseIdentifier } from './identifiers.js';
export * from './status.js';
export * from './compliance.js';
export { cleanFindings, countsOf, filedLate } from './compliance-events.js';
export { advanceCursor, initialCursor, type CursorState } from './event-cursor.js';
export * from './facilitation.js';
export * from './trust-index.js';
export { withRegistry, type RegistryOverlay } from './snapshot.js';
export { checkDataSetPolicy, dataSetNameFor, defaultDataSetPolicy, intakeDataSetFor } from './data-sets.js';
export { parseFacilitationPolicy } from './policy-file.js';
export {
  OperatorService,
  operatorCollections,
  type ComplianceRecord,
  type ConsignmentLookup,
  type OperatorServiceOptions,
  type ScorePoint,
} from './service.js';
export { operatorErrorCodes } from './error-codes.js';
export {
  PaymentAccounts,
  checkPeriod,
  dueDate,
  paymentTermsFor,
  type AccountEntry,
  type AccountStatement,
} from './payment.js';
export {
  GuaranteeGate,
  checkGuaranteeInput,
  currencyPlaces,
  guaranteeView,
  type GuaranteeRecord,
  type GuaranteeView,
} from './guarantee.js';
