/** Multi-source matching: link keys, parcel identity, content hashes, source merging, mismatches, diffs. */
export { canonicalJson, contentHash, inCanonicalOrder, sha256Hex, writeCanonical } from './content-hash.js';
export { diffInputs, escapePointerToken } from './diff-inputs.js';
export {
  findParcel,
  linkKeys,
  normaliseTransportDocument,
  orderKey,
  paymentKey,
  sameParcel,
  transportKey,
  type ParcelMatch,
} from './link-keys.js';
export {
  mergeSources,
  pickLatestByKind,
  SOURCE_PRECEDENCE,
  type FieldGroup,
  type MergeResult,
} from './merge-sources.js';
export {
  compareRecords,
  DEFAULT_TOLERANCES,
  normaliseName,
  normalisePostcode,
  summarise,
  withinTolerance,
  type MatchTolerances,
  type RecordSummary,
} from './mismatches.js';
