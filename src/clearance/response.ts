/** The response a submitter sees: what happened, what to do, what is due. No targeting logic. */
import type { ClearanceState, TaxLine } from '../domain/index.js';
import { redactForSubmitter } from '../risk/index.js';
import type { StoredConsignment } from '../store/index.js';

/** Customs response for one consignment, in the spirit of a UPU CUSRSP message. */
export interface CustomsResponse {
  consignmentId: string;
  version: number;
  state: ClearanceState;
  /** RELEASE, RELEASE_WITH_PAYMENT_DUE, REQUEST_INFO, HOLD_PHYSICAL_EXAM, DO_NOT_LOAD, SEIZE, REFUSE_RETURN_TO_SENDER ... */
  response: string;
  reasons: string[];
  dueAtBorder: string;
  prepaid: string;
  currency: string;
  collectionModel: string;
  taxLines: Pick<TaxLine, 'type' | 'base' | 'rate' | 'amount' | 'collectedBy' | 'explanation'>[];
  /**
   * How what is due is paid: per consignment before release, or deferred to the submitter's periodic
   * account (then the release needs no payment and the response is RELEASE).
   */
  payment?: { mode: 'per-consignment' } | { mode: 'deferred'; account: string };
  updatedAt: string;
}

function responseCode(state: ClearanceState, due: string): string {
  switch (state) {
    case 'released-before-arrival':
    case 'released':
      return Number(due) > 0 ? 'RELEASE_WITH_PAYMENT_DUE' : 'RELEASE';
    case 'held-for-information':
      return 'REQUEST_INFO';
    case 'held-for-inspection':
      return 'HOLD_PHYSICAL_EXAM';
    case 'do-not-load':
      return 'DO_NOT_LOAD';
    case 'seized':
      return 'SEIZE';
    case 'returned':
      return 'REFUSE_RETURN_TO_SENDER';
    case 'abandoned':
      return 'DESTROY';
    default:
      return 'PENDING';
  }
}

/** Builds the submitter-facing response from a stored consignment. */
export function buildResponse(c: StoredConsignment): CustomsResponse {
  const rev = c.assessment.revenue;
  return {
    consignmentId: c.id,
    version: c.version,
    state: c.state,
    response: responseCode(c.state, c.assessment.payment ? '0' : rev.dueAtBorder),
    reasons: redactForSubmitter(c.assessment.risk).reasons,
    dueAtBorder: rev.dueAtBorder,
    prepaid: rev.prepaid,
    currency: rev.currency,
    collectionModel: rev.collectionModel,
    taxLines: rev.lines.map((l) => ({
      type: l.type,
      base: l.base,
      rate: l.rate,
      amount: l.amount,
      collectedBy: l.collectedBy,
      explanation: l.explanation,
    })),
    payment: c.assessment.payment
      ? { mode: 'deferred', account: c.assessment.payment.account }
      : { mode: 'per-consignment' },
    updatedAt: c.updatedAt,
  };
}
