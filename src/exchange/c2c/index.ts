/** Customs-to-customs exchange: signed export data under data-sharing agreements, findings back. */
export {
  DataSharingAgreement,
  agreementFor,
  fieldsOutside,
  parseAgreements,
  recordCoreFields,
  selectFields,
} from './agreement.js';
export {
  prepareExportData,
  receiveExportData,
  verifyFindings,
  type C2cDeps,
  type ExportDataMessage,
  type FindingAlert,
  type FindingsMessage,
} from './exchange.js';
export {
  AgreementBook,
  agreementCollection,
  agreementIssues,
  readAgreements,
  validAgreement,
  type AgreementChange,
  type StoredAgreement,
} from './agreement-book.js';
