/**
 * The work-queue columns of a held consignment, computed from its assessment: what the SQLite
 * adapter writes into `work_queue` and `work_queue_reasons` alongside the consignment row itself
 * (SQLite migration 80 replaced the per-row insert trigger, whose call cost every inserted
 * consignment, held or not, more than all its other rows together; see docs/performance.md).
 * The values are the ones the migration-60 triggers compute in SQL from the document.
 */
import type { Assessment, ClearanceState } from '../domain/index.js';
import { queueStates } from './console/port.js';

/** What a held consignment adds to the work queue beyond its `consignments` columns. */
export interface WorkQueueColumns {
  /** Ids of the hits, highest score first, separated by spaces; null without hits. */
  reasons: string | null;
  /** Plain-language reason of the highest-scoring hit; null without hits. */
  topReason: string | null;
  /** Distinct hit ids (rows of `work_queue_reasons`). */
  reasonIds: string[];
}

const held: ReadonlySet<string> = new Set(queueStates);

/** Whether consignments in `state` wait in the officers' work queue. */
export const isQueued = (state: ClearanceState): boolean => held.has(state);

/**
 * The work-queue columns of a consignment in `state`, or null when it is not held. An arrived
 * consignment waits there too while its request for information is open (`informationOpen`,
 * docs/information-requests.md §3).
 */
export function workQueueColumns(
  state: ClearanceState,
  a: Assessment,
  informationOpen?: boolean,
): WorkQueueColumns | null {
  if (!held.has(state) && !(informationOpen === true && state === 'arrived')) return null;
  const hits = a.risk.hits;
  if (hits.length === 0) return { reasons: null, topReason: null, reasonIds: [] };
  // Highest score first; equal scores keep the assessment's order.
  const ordered = hits.length === 1 ? hits : [...hits].sort((x, y) => y.score - x.score);
  const ids = ordered.map((h) => h.id);
  return {
    reasons: ids.join(' '),
    topReason: (ordered[0] as (typeof hits)[number]).reason,
    reasonIds: [...new Set(ids)],
  };
}
