/** Reference data shipped with the package: HS nomenclature, paths. */
export * from './hs.js';
export * from './paths.js';
