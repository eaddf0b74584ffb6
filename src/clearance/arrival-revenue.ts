/**
 * Revenue on arrival: the tax point of an assessment made before arrival is an estimate (the declared
 * expected arrival, bounded by the lodging date). When the carrier reports the arrival, the revenue is
 * assessed again on the actual date (the later of it and the lodging date; docs/revenue.md), with the
 * per-person totals the first assessment counted, and stored with the consignment.
 */
import type { Assessment, RevenueAssessment } from '../domain/index.js';
import { assessRevenue, type RevenueContext } from '../revenue/index.js';
import type { StoredConsignment } from '../store/index.js';

/** Re-assesses a consignment's revenue when it arrives: the assessment to store, or undefined (keep it). */
export type ReviseOnArrival = (current: StoredConsignment, arrivedAt: string) => Assessment | undefined;

/** The arrival a recorded revenue assessment was made on, as the option a re-assessment keeps it with. */
export function arrivalOf(revenue: RevenueAssessment): { arrivedAt?: string } {
  const tp = revenue.taxPoint;
  return tp?.basis === 'arrival' ? { arrivedAt: tp.date } : {};
}

/** What is owed and how it was computed, without the notes and the tax point that say on which date. */
function figures(r: RevenueAssessment): string {
  return JSON.stringify([
    r.collectionModel,
    r.customsValue,
    r.lines,
    r.dueAtBorder,
    r.prepaid,
    r.total,
    r.fx,
  ]);
}

/**
 * The assessment of `c` with its revenue assessed on the arrival at `arrivedAt`: the risk and the
 * decision are kept; `assessedAt` moves to `now` only when the figures change (the revenue ledger then
 * records the corrected amounts). Undefined when the stored revenue was already assessed on an arrival
 * of the same tax point (a repeated arrival report).
 */
export function reviseOnArrival(
  c: StoredConsignment,
  revenue: RevenueContext,
  arrivedAt: string,
  now: string,
): Assessment | undefined {
  const before = c.assessment.revenue;
  const after = assessRevenue(c.merged, revenue, c.createdAt, {
    ...(before.history === undefined ? {} : { history: before.history }),
    arrivedAt,
  });
  if (before.taxPoint?.basis === 'arrival' && before.taxPoint.date === after.taxPoint?.date) return undefined;
  const changed = figures(after) !== figures(before);
  return { ...c.assessment, revenue: after, ...(changed ? { assessedAt: now } : {}) };
}

/** A `ReviseOnArrival` that reads the revenue context of the moment (e.g. `() => deps.snapshot().revenue`). */
export function arrivalReviser(revenue: () => RevenueContext, now: string): ReviseOnArrival {
  return (c, arrivedAt) => reviseOnArrival(c, revenue(), arrivedAt, now);
}
