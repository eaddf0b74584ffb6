/** Exchange formats: postal ITMATT/CUSRSP/EMSEVT-style XML, EU H7 and ICS2 PLACI, US Entry Type 86. */
export { exchangeErrorCodes } from './codes.js';
export {
  parsePostalItemXml,
  postalIssuePath,
  postalItemIssues,
  type PostalItemRecord,
  type PostalParseOptions,
} from './postal-read.js';
export { toPostalItemXml } from './postal-write.js';
export { categoryCodes, POSTAL_FORMAT_VERSION } from './postal-format.js';
export {
  toCustomsResponseXml,
  postalDecisions,
  type PostalDecision,
  type CustomsResponseXmlOptions,
} from './customs-response.js';
export {
  toItemEventsXml,
  itemEventCodes,
  type ItemEventCode,
  type ItemEventsXmlOptions,
  itemIdOf,
  itemEventsOfConsignment,
  itemEventsOfFeed,
} from './item-events.js';
export {
  readH7,
  readPlaci,
  fromPlaci,
  h7ElementOf,
  placiElementOf,
  datasetSchemas,
  type DatasetRead,
  type PlaciRecord,
} from './dataset-read.js';
export {
  importH7,
  importPlaci,
  checkH7File,
  h7ElementOfRecordPointer,
  MAX_DATASET_DOCUMENTS,
  type DatasetImport,
} from './dataset-import.js';
export { toH7, fromH7, type H7Declaration, type H7GoodsItem, type H7TaxLine } from './h7.js';
export { validateH7 } from './h7-validate.js';
export { toPlaci, validatePlaci, type PlaciHouse } from './placi.js';
export {
  toEntryType86,
  validateT86,
  T86_SUSPENDED_FROM,
  T86_ENTRY_NUMBER,
  type T86Entry,
  type T86Line,
} from './entry-type-86.js';
export {
  readT86,
  fromEntryType86,
  checkT86File,
  importT86,
  t86ElementOf,
  t86ElementOfRecordPointer,
  t86Schema,
} from './t86-import.js';
export type { DatasetParty } from './dataset-parties.js';
export { screenXml, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, type XmlLimits } from './xml-safety.js';
export * from './webhooks/index.js';
export * from './signing/index.js';
export * from './cbec/index.js';
export * from './c2c/index.js';
export { consignmentsWorkbook, exportedRecord, responseColumns } from './xlsx-export.js';
export {
  EXCHANGE_NOTICE_STREAM,
  exchangeNoticeStream,
  findingsNotice,
  listOutcomeNotices,
  type FindingsNotice,
  type ListOutcomeNotice,
} from './notices.js';
