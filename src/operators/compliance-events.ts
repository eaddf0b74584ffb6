/** Which compliance counts a clearance event adds, and to whom. Pure. */
import type { ConsignmentInput } from '../domain/index.js';
import type { FeedEvent } from '../registry/index.js';
import { cleanFindings } from '../risk/index.js';
import { emptyCounts, type ComplianceCounts } from './compliance.js';

/** Findings that mean an inspection found nothing wrong (one list with the risk engine's learning). */
export { cleanFindings };
const inspectionEnds: ReadonlySet<string> = new Set([
  'released',
  'released-before-arrival',
  'seized',
  'returned',
]);

/** Whether data arrived after loading (departure) or after the expected arrival. */
export function filedLate(input: ConsignmentInput, at: string): boolean {
  const limit = input.dates?.departure ?? input.dates?.expectedArrival;
  return limit !== undefined && Date.parse(at) > Date.parse(limit);
}

/** The counts one event adds (all zero for events that say nothing about compliance). */
export function countsOf(e: FeedEvent, input: ConsignmentInput | undefined): ComplianceCounts {
  const c = emptyCounts();
  if (e.type === 'consignment.declared') {
    c.declarations = 1;
    if (input && filedLate(input, e.at)) c.lateFilings = 1;
  }
  if (e.type === 'consignment.amended') c.amendments = 1;
  if (e.to === 'held-for-information' && e.from !== 'held-for-information') c.missingData = 1;
  const trigger = typeof e.data?.trigger === 'string' ? e.data.trigger : '';
  if (
    e.from === 'held-for-inspection' &&
    trigger.startsWith('officer.') &&
    e.to !== null &&
    inspectionEnds.has(e.to)
  ) {
    c.inspections = 1;
    const finding = typeof e.data?.finding === 'string' ? e.data.finding : undefined;
    if (e.to === 'seized' || (finding !== undefined && !cleanFindings.has(finding))) c.inspectionFindings = 1;
  }
  if (e.to === 'seized' && e.from !== 'seized') c.seizures = 1;
  return c;
}

/** True when the counts are all zero. */
export const isEmpty = (c: ComplianceCounts): boolean => Object.values(c).every((v) => v === 0);
