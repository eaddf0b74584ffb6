/** X-ray image screening: image checks, detectors (ONNX), the generator and the screening store. */
export * from './categories.js';
export * from './detector.js';
export * from './model-description.js';
export * from './validate-image.js';
export * from './raster.js';
export * from './generate.js';
export * from './service.js';
export * from './alert.js';
export { registerScreeningRoutes } from './routes.js';
export { screeningErrorCodes } from './error-codes.js';
export type {
  ScreeningStore,
  ScannerImage,
  StoredDetection,
  ReviewLabel,
  LabelVerdict,
} from './store/port.js';
export { openSqliteScreeningStore } from './store/sqlite.js';
export { openPostgresScreeningStore, type PostgresScreeningOptions } from './store/postgres.js';
export { loadScreeningModel, openScreening } from './open.js';
