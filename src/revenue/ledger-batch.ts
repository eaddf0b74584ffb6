/**
 * Builds one `LedgerBatch` from the consignments a committed batch (or a catch-up over the clearance
 * event log) touched: person entries, IOSS entries, the assessed trail, and for returns the refund /
 * reversal trail with the person entry removed. Pure; the store applies it in one transaction.
 */
import type { ConsignmentInput, RevenueAssessment } from '../domain/index.js';
import { recordedTaxDate, type RevenueContext } from './assess-revenue.js';
import { activeAt } from './periods.js';
import {
  applyRefundRule,
  assessedEntries,
  type AppliedRefundRule,
  iossEntryOf,
  returnEntries,
  type IossEntry,
  type LedgerBatch,
  type PersonImport,
  type ReturnTrigger,
  type RevenueLedger,
  type RevenueTrailEntry,
} from './ledger.js';
import { personEntryOf, personRegime } from './person-history.js';

/** A consignment as the ledger needs it: its merged data, latest revenue assessment and state. */
export interface LedgerSubject {
  readonly id: string;
  readonly input: ConsignmentInput;
  readonly revenue: RevenueAssessment;
  readonly assessedAt: string;
  /** Clearance state; a `returned` consignment counts toward no per-person limit. */
  readonly state: string;
  /** Items partial returns took back while the rest stayed with the buyer (they count no more). */
  readonly returnedItems?: readonly number[];
}

/** A return, refusal or customs return taken from the clearance event log. */
export interface ReturnFact {
  readonly consignmentId: string;
  readonly trigger: ReturnTrigger;
  readonly at: string;
  readonly actor: string;
  /** Whether the consignment had been released (border duty and tax paid) before it went back. */
  readonly borderPaid: boolean;
  /** When it was released (the refund rule's time limit runs from it), when known. */
  readonly releasedAt?: string;
  /**
   * The items a partial return took back (`consignment.items-returned`); undefined: the consignment
   * went back (`returned`), which takes whatever earlier partial returns left.
   */
  readonly items?: readonly number[];
  /** Items earlier partial returns of the consignment took back (their lines are unwound already). */
  readonly earlierItems?: readonly number[];
}

/**
 * The revenue of what one return takes back: the lines of its items (`items`), or for the return of
 * the consignment (`items` undefined) every line earlier partial returns did not take. A line of the
 * whole consignment (no item) goes with the return that completes the set of items, as in the refund
 * position of the return (src/returns/refund.ts).
 */
export function returnedRevenue(
  revenue: RevenueAssessment,
  itemCount: number,
  items: readonly number[] | undefined,
  earlier: readonly number[] = [],
): RevenueAssessment {
  if (items === undefined && earlier.length === 0) return revenue;
  const before = new Set(earlier);
  const now = items === undefined ? undefined : new Set(items);
  const completes = now === undefined || new Set([...before, ...now]).size >= itemCount;
  const lines = revenue.lines.filter((l) =>
    l.itemIndex === undefined
      ? completes
      : now === undefined
        ? !before.has(l.itemIndex)
        : now.has(l.itemIndex) && !before.has(l.itemIndex),
  );
  return { ...revenue, lines };
}

/** The refund rule of a destination in force on a date (YYYY-MM-DD…), applied to the release time. */
export function refundRuleAt(
  ctx: RevenueContext,
  country: string,
  date: string,
  releasedAt: string | undefined,
): AppliedRefundRule | undefined {
  const rules = ctx.byCountry.get(country)?.raw.refunds;
  const rule = rules === undefined ? undefined : activeAt(rules, date.slice(0, 10));
  return rule === undefined ? undefined : applyRefundRule(rule, releasedAt);
}

/** The destination's refund rule in force on the return's date, applied to the release time. */
export function refundRuleFor(
  ctx: RevenueContext,
  s: LedgerSubject,
  r: ReturnFact,
): AppliedRefundRule | undefined {
  return refundRuleAt(ctx, s.input.routing.destinationCountry, r.at, r.releasedAt);
}

/** The return trigger of a clearance trigger that ends in `returned`. */
export function returnTriggerOf(clearanceTrigger: unknown): ReturnTrigger {
  return clearanceTrigger === 'carrier.refused'
    ? 'refused'
    : clearanceTrigger === 'carrier.returned'
      ? 'returned'
      : clearanceTrigger === 'officer.return'
        ? 'refused'
        : 'not-delivered';
}

/**
 * The ledger writes for `subjects` (each its latest state) and `returns`. Person entries are recorded
 * for consignments that count toward a per-person limit and removed for the others whose regime has
 * one (a re-assessment may move a parcel out of the CBEC channel) and for returned consignments.
 */
export function ledgerBatch(
  ctx: RevenueContext,
  subjects: readonly LedgerSubject[],
  returns: readonly ReturnFact[],
  actor: string,
): LedgerBatch {
  const persons = new Map<string, PersonImport>();
  const remove = new Set<string>();
  const ioss = new Map<string, IossEntry>();
  const trail: RevenueTrailEntry[] = [];
  const byId = new Map<string, LedgerSubject>();
  // Items partial returns in this batch took back: they count no more, even where the subject was
  // read before the return was written.
  const partial = new Map<string, Set<number>>();
  for (const r of returns)
    if (r.items !== undefined) {
      const set = partial.get(r.consignmentId) ?? new Set<number>();
      for (const i of [...r.items, ...(r.earlierItems ?? [])]) set.add(i);
      partial.set(r.consignmentId, set);
    }
  for (const s of subjects) {
    byId.set(s.id, s);
    const date = recordedTaxDate(s.input, s.revenue, s.assessedAt);
    const extra = partial.get(s.id);
    const returnedItems =
      extra === undefined ? s.returnedItems : [...new Set([...(s.returnedItems ?? []), ...extra])];
    const person =
      s.state === 'returned'
        ? undefined
        : personEntryOf(ctx, s.id, s.input, s.revenue, s.assessedAt, returnedItems);
    if (person !== undefined) {
      persons.set(s.id, person);
      remove.delete(s.id);
    } else {
      const profile = ctx.byCountry.get(s.input.routing.destinationCountry);
      if (s.state === 'returned' || (profile !== undefined && personRegime(profile, date) !== undefined)) {
        persons.delete(s.id);
        remove.add(s.id);
      }
    }
    const entry = iossEntryOf(s.id, s.input, s.revenue, date);
    if (entry !== undefined) ioss.set(s.id, entry);
    trail.push(...assessedEntries(s.id, s.revenue, s.assessedAt, actor));
  }
  for (const r of returns) {
    const s = byId.get(r.consignmentId);
    if (s === undefined) continue;
    // A partial return leaves the consignment counting with its kept items (above).
    if (r.items === undefined) {
      persons.delete(r.consignmentId);
      remove.add(r.consignmentId);
    }
    const entries = returnEntries(
      r.consignmentId,
      returnedRevenue(s.revenue, s.input.items.length, r.items, r.earlierItems),
      r.trigger,
      r.at,
      r.actor,
      r.borderPaid,
      refundRuleFor(ctx, s, r),
    );
    const items = r.items;
    trail.push(
      ...(items === undefined
        ? entries
        : entries.map((e) => ({
            ...e,
            reason: `items ${items.join(', ')} only: ${e.reason}`,
            ref: `items:${items.join(',')}`,
          }))),
    );
  }
  return { persons: [...persons.values()], removePersons: [...remove], ioss: [...ioss.values()], trail };
}

/**
 * Records one assessed consignment (person entry when it counts toward a per-person limit, IOSS entry,
 * assessed trail) in one ledger write. Idempotent, so a retry records nothing twice.
 */
export async function recordAssessment(
  ledger: RevenueLedger,
  ctx: RevenueContext,
  subject: LedgerSubject,
  actor: string,
): Promise<LedgerBatch> {
  const batch = ledgerBatch(ctx, [subject], [], actor);
  await ledger.writeBatch(batch);
  return batch;
}

/**
 * Records a return, refusal or non-delivery: refund / reversal / not-collected trail entries, and the
 * consignment no longer counts toward its consignee's per-person totals. The IOSS report keeps the
 * import (it reports what was imported; the seller corrects its own IOSS return).
 */
export async function recordReturn(
  ledger: RevenueLedger,
  ctx: RevenueContext,
  subject: LedgerSubject,
  fact: Omit<ReturnFact, 'consignmentId'>,
): Promise<RevenueTrailEntry[]> {
  const all = ledgerBatch(ctx, [subject], [{ ...fact, consignmentId: subject.id }], fact.actor);
  const returned = all.trail.filter((e) => e.kind !== 'assessed');
  // A partial return keeps the consignment counting with the items the buyer kept.
  await ledger.writeBatch(
    fact.items === undefined
      ? { persons: [], removePersons: [subject.id], ioss: [], trail: returned }
      : { persons: all.persons, removePersons: all.removePersons, ioss: [], trail: returned },
  );
  return returned;
}
