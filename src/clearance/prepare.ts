/**
 * The stateless half of submission: validation, link keys, content hash and a speculative
 * assessment for the common case (a record that starts a new consignment). It needs no store,
 * so it can run on worker threads while the main thread commits the previous batch.
 */
import { newId, type Assessment, type ConsignmentInput, type ValidationIssue } from '../domain/index.js';
import { validateConsignment } from '../intake/index.js';
import { contentHash, linkKeys } from '../match/index.js';
import { assess } from './assess.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** A record that passed validation, ready for the transaction. */
export interface PreparedRecord {
  index: number;
  input: ConsignmentInput;
  keys: string[];
  hash: string;
  /** Assessment computed as if the record starts a new consignment with this id. */
  speculative?: { consignmentId: string; assessment: Assessment };
}

/** The outcome of preparing one batch. */
export interface PreparedBatch {
  accepted: PreparedRecord[];
  rejected: { index: number; issues: ValidationIssue[] }[];
}

/**
 * Prepares a batch. `now` is the request time the assessments use. With `speculate`, each
 * accepted record is also assessed as a new consignment (worth it off the main thread; the
 * transaction reuses it when the record does start a new consignment).
 */
export function prepareBatch(
  records: readonly unknown[],
  snapshot: ReferenceSnapshot,
  now: string,
  speculate = false,
): PreparedBatch {
  const out: PreparedBatch = { accepted: [], rejected: [] };
  const nowMs = Date.parse(now);
  for (let i = 0; i < records.length; i++) {
    const v = validateConsignment(records[i], snapshot.hs);
    if (!v.ok) {
      out.rejected.push({ index: i, issues: v.error });
      continue;
    }
    const input = v.value;
    const prepared: PreparedRecord = { index: i, input, keys: linkKeys(input), hash: contentHash(input) };
    if (speculate) {
      const consignmentId = newId('csg', nowMs);
      const subject = { consignmentId, input, mismatches: [], sourceKinds: [input.source] };
      prepared.speculative = { consignmentId, assessment: assess(subject, snapshot, now) };
    }
    out.accepted.push(prepared);
  }
  return out;
}
