/** Synthetic parcel flood with ground-truth labels, for the demo, benchmarks and detection-quality reports. */
export { generateFlood, DEFAULT_OVERLAP_RATE, DEFAULT_VIOLATION_RATE } from './flood.js';
export { toNdjsonLine, writeFlood } from './ndjson.js';
export { floodSummary, type FloodSummary } from './summary.js';
export { demoWatchlist, formatAddressLine } from './parties.js';
export { isValidAwb, isValidS10, s10CheckDigit } from './identifiers.js';
export { PROTECTED_BRANDS } from './special-goods.js';
export {
  VIOLATION_TYPES,
  type FloodLabel,
  type FloodOptions,
  type FloodRecord,
  type ViolationType,
} from './types.js';
