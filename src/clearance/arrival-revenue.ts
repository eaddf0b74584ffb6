/**
 * Revenue on arrival: the tax point of an assessment made before arrival is an estimate (the declared
 * expected arrival, bounded by the lodging date). When the carrier reports the arrival, the revenue is
 * assessed again on the actual date (the later of it and the lodging date; docs/revenue.md) and stored
 * with the consignment. Per-person totals (China's yearly limit, same-day totals) are read again on
 * that date from the per-person view when the snapshot has one, else those the earlier assessment
 * counted are kept.
 */
import type { Assessment, ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { assessRevenue, type PersonHistoryPort, type RevenueContext } from '../revenue/index.js';
import { revisePrepaidHit, type CompiledRuleSet } from '../risk/index.js';
import type { ClearanceStore, StoredConsignment } from '../store/index.js';

/** Re-assesses a consignment's revenue when it arrives: the assessment to store, or undefined (keep it). */
export type ReviseOnArrival = (current: StoredConsignment, arrivedAt: string) => Assessment | undefined;

/** What an arrival re-assessment reads: the revenue rules and, when kept, the per-person view. */
export interface ArrivalReference {
  readonly revenue: RevenueContext;
  readonly persons?: PersonHistoryPort | undefined;
  /** The rule set, when known: the prepaid-tax indicator is checked again on the arrival's tax point. */
  readonly ruleSet?: CompiledRuleSet | undefined;
}

/** The arrival a recorded revenue assessment was made on, as the option a re-assessment keeps it with. */
export function arrivalOf(revenue: RevenueAssessment): { arrivedAt?: string } {
  const tp = revenue.taxPoint;
  return tp?.basis === 'arrival' ? { arrivedAt: tp.date } : {};
}

/**
 * The input with its arrival as the expected arrival: what the per-person view reads a date from
 * (relevantDate of it, lodged when it was, is the arrival's tax point).
 */
export function arrivedInput(input: ConsignmentInput, arrivedAt: string): ConsignmentInput {
  return { ...input, dates: { ...input.dates, expectedArrival: arrivedAt } };
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
  ref: RevenueContext | ArrivalReference,
  arrivedAt: string,
  now: string,
): Assessment | undefined {
  const { revenue, persons, ruleSet } =
    'revenue' in ref ? ref : { revenue: ref, persons: undefined, ruleSet: undefined };
  const before = c.assessment.revenue;
  // The per-person totals on the arrival's date (another day or year than the estimate's), when a
  // view is kept; else what the earlier assessment counted.
  const history =
    persons === undefined
      ? before.history
      : persons.optionsFor(c.id, arrivedInput(c.merged, arrivedAt), c.createdAt)?.history;
  const after = assessRevenue(c.merged, revenue, c.createdAt, {
    ...(history === undefined ? {} : { history }),
    arrivedAt,
  });
  if (before.taxPoint?.basis === 'arrival' && before.taxPoint.date === after.taxPoint?.date) return undefined;
  // The tax declared paid at checkout is checked on the same tax point as the import assessment.
  const kept = c.assessment.risk;
  const risk = ruleSet === undefined ? kept : revisePrepaidHit(kept, c.merged, after, ruleSet);
  const changed = figures(after) !== figures(before) || risk !== kept;
  return { ...c.assessment, revenue: after, risk, ...(changed ? { assessedAt: now } : {}) };
}

/**
 * The reviser for one arrival when the per-person view keeps only some persons in memory: the
 * consignee of the consignment is loaded (on the arrival's date) before the transaction reads it, and
 * pinned until `release`. Without such a view, no read is made.
 */
export async function prepareArrival(
  store: ClearanceStore,
  ref: ArrivalReference,
  consignmentId: string,
  arrivedAt: string,
  now: string,
): Promise<{ revise: ReviseOnArrival; release: () => void }> {
  const revise: ReviseOnArrival = (c, at) => reviseOnArrival(c, ref, at, now);
  const prefetch = ref.persons?.prefetch?.bind(ref.persons);
  if (prefetch === undefined) return { revise, release: () => undefined };
  const c = await store.get(consignmentId);
  const release =
    c === undefined ? () => undefined : await prefetch([arrivedInput(c.merged, arrivedAt)], c.createdAt);
  return { revise, release };
}
