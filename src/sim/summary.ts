/** Counts what a flood contains: parcels, records per source, violations per type. */
import type { SourceKind } from '../domain/index.js';
import { type FloodRecord, VIOLATION_TYPES, type ViolationType } from './types.js';

/** Totals of a flood, by parcel (violations) and by record (sources). */
export interface FloodSummary {
  records: number;
  parcels: number;
  bySource: Partial<Record<SourceKind, number>>;
  /** Parcels carrying each violation type (a parcel may carry several). */
  violations: Record<ViolationType, number>;
  /** Parcels carrying at least one violation. */
  violatingParcels: number;
  /** violatingParcels / parcels (0 for an empty flood). */
  violationShare: number;
  /** Parcels with more than one source record. */
  overlappingParcels: number;
}

/** Summarises records (consumes the iterable once). */
export function floodSummary(records: Iterable<FloodRecord>): FloodSummary {
  const bySource: Partial<Record<SourceKind, number>> = {};
  const violations = Object.fromEntries(VIOLATION_TYPES.map((v) => [v, 0])) as Record<ViolationType, number>;
  const seen = new Map<string, number>();
  let count = 0;
  let violating = 0;
  for (const { label } of records) {
    count++;
    bySource[label.source] = (bySource[label.source] ?? 0) + 1;
    const before = seen.get(label.ref) ?? 0;
    seen.set(label.ref, before + 1);
    if (before > 0) continue;
    if (label.violations.length > 0) violating++;
    for (const v of label.violations) violations[v]++;
  }
  let overlapping = 0;
  for (const n of seen.values()) if (n > 1) overlapping++;
  return {
    records: count,
    parcels: seen.size,
    bySource,
    violations,
    violatingParcels: violating,
    violationShare: seen.size === 0 ? 0 : violating / seen.size,
    overlappingParcels: overlapping,
  };
}
