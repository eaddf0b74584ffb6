/** Intake: validation and normalisation of consignment records, and streaming NDJSON / CSV readers. */
export { validateConsignment } from './validate.js';
export {
  dataSetSources,
  fullDataSet,
  intakeElements,
  reducedDataSet,
  requirementCheck,
  type DataSetSource,
  type IntakeDataSet,
  type RequiredElements,
  type RequirementCheck,
} from './data-set.js';
export { intakeErrorCodes } from './codes.js';
export {
  readNdjson,
  DEFAULT_MAX_LINE_BYTES,
  type RawRecord,
  type ByteSource,
  type NdjsonOptions,
} from './ndjson.js';
export { CsvGrouper, maxCsvRowSize, readCsv, writeCsv, type WriteCsvOptions } from './csv.js';
export { readXlsx, writeXlsx, type XlsxOptions } from './xlsx.js';
export { csvColumns, type CsvColumn, type CsvKind } from './csv-columns.js';
export {
  GzipStreamError,
  gunzipStream,
  gzipStopRecord,
  isGzip,
  untilGzipFailure,
  type GunzipOptions,
} from './gzip.js';
export { batched, createByteCounter, createProgress, type Progress, type ProgressOptions } from './bulk.js';
export {
  s10CheckDigit,
  makeS10,
  checkS10,
  checkAwb,
  isValidAbn,
  checkTaxNumber,
  type S10Check,
  type AwbCheck,
} from './identifiers.js';
export { DATE_YEARS, dateOutOfRange, isCountryCode, isCurrencyCode } from './semantic.js';
export { checkStructure, isRfc3339DateTime } from './schema-check.js';
export { isJsonPointer, toPointer } from './pointer.js';
