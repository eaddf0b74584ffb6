/**
 * What a return means for the duty and VAT already assessed, line by line from the revenue engine's
 * assessment (REFERENCE.md §1.7): tax collected at the border is repayable once the goods have left
 * again; tax collected by the seller or platform (IOSS, VOEC, OVR, …) is refunded by them to the buyer
 * and corrected in their return, not by customs; tax never collected (parcel not released, or not
 * delivered under special arrangements) is simply not due. Fees are not repaid. Exact decimals.
 */
import { Decimal } from 'decimal.js';
import type { RevenueAssessment, TaxLine } from '../domain/index.js';
import type { AppliedRefundRule } from '../revenue/index.js';

export type LineTreatment = 'repayable' | 'seller-refunds' | 'not-due' | 'not-repayable' | 'not-returned';

/** The refund position of a return. */
export interface RefundPosition {
  currency: string;
  /** Repayable by customs on a claim (after re-export). */
  repayable: string;
  /** To be refunded by the seller or platform that collected it, and corrected in its return. */
  sellerRefunds: string;
  /** Assessed but never collected: cancelled. */
  notDue: string;
  byType: Record<string, string>;
  /** Last day (YYYY-MM-DD) a refund claim may be made under the destination's rule, when known. */
  claimDeadline?: string;
  /** The return itself was registered after `claimDeadline`: nothing is claimable. */
  returnedAfterDeadline?: boolean;
  lines: {
    type: TaxLine['type'];
    itemIndex?: number;
    amount: string;
    collectedBy: TaxLine['collectedBy'];
    treatment: LineTreatment;
    explanation: string;
  }[];
}

/**
 * Classifies every tax line. `returned` are the returned item indexes (all when undefined);
 * `paid` says whether the consignment was released to the buyer (border tax collected); `earlier`
 * are the items earlier returns took back (consignment-level lines go with the last one).
 */
export function refundPosition(
  revenue: RevenueAssessment,
  returned: readonly number[] | undefined,
  paid: boolean,
  itemCount: number,
  refund?: { rule: AppliedRefundRule; returnedAt: string },
  /** Items earlier returns of the consignment took back. */
  earlier: readonly number[] = [],
): RefundPosition {
  const rule = refund?.rule;
  const late =
    rule?.deadline !== undefined && refund !== undefined && refund.returnedAt.slice(0, 10) > rule.deadline;
  const unverified = rule?.rule.verified === false ? '; rule not verified' : '';
  const set = new Set(returned ?? [...Array(itemCount).keys()]);
  // Consignment-level lines go with the return that completes the set of items.
  const all = new Set([...set, ...earlier]).size >= itemCount;
  let repayable = new Decimal(0);
  let sellerRefunds = new Decimal(0);
  let notDue = new Decimal(0);
  const byType: Record<string, Decimal> = {};
  const lines: RefundPosition['lines'] = [];
  for (const l of revenue.lines) {
    const inReturn = l.itemIndex === undefined ? all : set.has(l.itemIndex);
    const amount = new Decimal(l.amount);
    let treatment: LineTreatment;
    let explanation: string;
    if (!inReturn) {
      treatment = 'not-returned';
      explanation =
        l.itemIndex === undefined
          ? 'consignment-level line: it goes with the return that completes the set of items'
          : 'item not returned';
    } else if (l.type === 'fee') {
      treatment = 'not-repayable';
      explanation = 'handling fees pay for a service rendered and are not repaid';
    } else if (l.collectedBy === 'vendor' || l.collectedBy === 'platform') {
      treatment = 'seller-refunds';
      explanation =
        'collected at checkout by the seller or platform (e.g. IOSS): it refunds the buyer and corrects its return';
      sellerRefunds = sellerRefunds.plus(amount);
    } else if (l.collectedBy === 'none' || amount.isZero()) {
      treatment = 'not-due';
      explanation = 'nothing was charged on this line';
    } else if (!paid) {
      treatment = 'not-due';
      explanation =
        l.collectedBy === 'intermediary'
          ? 'special arrangements: not delivered, so not included in the monthly payment'
          : 'the parcel was not released to the buyer, so the tax was never collected';
      notDue = notDue.plus(amount);
    } else if (rule !== undefined && !rule.rule.refundable.includes(l.type)) {
      treatment = 'not-repayable';
      explanation = `${l.type} is not repaid under the ${revenue.jurisdiction} refund rule (refundable: ${rule.rule.refundable.join(', ')}${unverified})`;
    } else if (rule !== undefined && late) {
      treatment = 'not-repayable';
      explanation = `returned after the claim time limit (${rule.rule.timeLimitDays} days from release, until ${rule.deadline ?? ''}${unverified})`;
    } else {
      treatment = 'repayable';
      explanation =
        rule === undefined
          ? 'collected on release: repayable once the goods are re-exported or destroyed under customs supervision'
          : `collected on release: repayable on a claim by ${rule.rule.claimant} within ${rule.rule.timeLimitDays} days of release${rule.deadline === undefined ? '' : ` (until ${rule.deadline})`}; ${rule.rule.conditions}${unverified}`;
      repayable = repayable.plus(amount);
      byType[l.type] = (byType[l.type] ?? new Decimal(0)).plus(amount);
    }
    lines.push({
      type: l.type,
      ...(l.itemIndex !== undefined ? { itemIndex: l.itemIndex } : {}),
      amount: l.amount,
      collectedBy: l.collectedBy,
      treatment,
      explanation,
    });
  }
  // Sums keep the precision the revenue engine rounded to (2 places for EUR, 0 for JPY, …).
  const places = Math.max(
    0,
    ...revenue.lines.map((l) => l.amount.split('.')[1]?.length ?? 0),
    revenue.dueAtBorder.split('.')[1]?.length ?? 0,
  );
  const fixed = (d: Decimal) => d.toFixed(places);
  return {
    currency: revenue.currency,
    repayable: fixed(repayable),
    sellerRefunds: fixed(sellerRefunds),
    notDue: fixed(notDue),
    byType: Object.fromEntries(Object.entries(byType).map(([k, v]) => [k, fixed(v)])),
    ...(rule?.deadline !== undefined ? { claimDeadline: rule.deadline } : {}),
    ...(late ? { returnedAfterDeadline: true } : {}),
    lines,
  };
}
