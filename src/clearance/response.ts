/** The response a submitter sees: what happened, what to do, what is due. No targeting logic. */
import { Decimal } from 'decimal.js';
import { dueAtBorderIn, undeliveredStates, type ClearanceState, type TaxLine } from '../domain/index.js';
import { redactForSubmitter } from '../risk/index.js';
import type { StoredConsignment } from '../store/index.js';
import { standsReleased } from './arrived-release.js';

/**
 * The open request for information as the submitter is told it (docs/information-requests.md): what
 * is wanted, the message, how many answers customs has, where to answer; never the officer's reason.
 */
export interface SubmitterInformation {
  /** `requested`: no answer yet; `answered`: answered since the request, waiting for an officer. */
  status: 'requested' | 'answered';
  requestedAt: string;
  /** Document kinds wanted (`informationDocumentKinds`). */
  documents: string[];
  message: string;
  answers: number;
  lastAnsweredAt?: string;
  answerWith: { method: 'POST'; path: string };
}

/**
 * What happens to the money of a parcel that will never be delivered (seized, returned, abandoned):
 * nothing is payable at the border any more; tax collected at checkout goes back to the buyer from the
 * seller or platform that collected it; tax paid at the border on release (only a parcel returned after
 * delivery) is repayable on a refund claim (docs/returns.md); what was assessed but never collected is
 * cancelled. Exact decimals, in the assessment's currency and places.
 */
export interface Settlement {
  /** What the assessment put due at the border before the parcel's end (for the record). */
  assessedDueAtBorder: string;
  /** Paid at the border on release: repayable by customs on a claim under the refund rule. */
  collectedAtBorder: string;
  /** Collected at checkout by the seller or platform (IOSS, VOEC, …): it refunds the buyer. */
  sellerRefunds: string;
  /** Assessed at the border but never collected: cancelled. */
  notDue: string;
  explanation: string;
}

/** Customs response for one consignment, in the spirit of a UPU CUSRSP message. */
export interface CustomsResponse {
  consignmentId: string;
  version: number;
  state: ClearanceState;
  /** RELEASE, RELEASE_WITH_PAYMENT_DUE, REQUEST_INFO, HOLD_PHYSICAL_EXAM, DO_NOT_LOAD, SEIZE, REFUSE_RETURN_TO_SENDER ... */
  response: string;
  reasons: string[];
  /** What is to be paid at the border now: zero once the parcel is seized, returned or abandoned (`settlement`). */
  dueAtBorder: string;
  prepaid: string;
  currency: string;
  collectionModel: string;
  taxLines: Pick<TaxLine, 'type' | 'base' | 'rate' | 'amount' | 'collectedBy' | 'explanation'>[];
  /**
   * How what is due is paid: per consignment before release, or deferred to the submitter's periodic
   * account (then the release needs no payment and the response is RELEASE).
   */
  payment?: { mode: 'per-consignment'; reason?: string } | { mode: 'deferred'; account: string };
  /** For a seized, returned or abandoned parcel: what happens to what was assessed, prepaid or paid. */
  settlement?: Settlement;
  updatedAt: string;
  /** The open request for information, when there is one (`responseWithInformation`, docs/information-requests.md). */
  information?: SubmitterInformation;
}

/** The customs decision in a state, without amounts: the response code with its payment part dropped. */
export type CustomsDecision =
  | 'RELEASE'
  | 'REQUEST_INFO'
  | 'HOLD_PHYSICAL_EXAM'
  | 'DO_NOT_LOAD'
  | 'SEIZE'
  | 'REFUSE_RETURN_TO_SENDER'
  | 'DESTROY'
  | 'PENDING';

/**
 * The decision in `state`. An arrived parcel whose request for information is still open
 * (`informationOpen`, docs/information-requests.md §3) is reported as before arrival: REQUEST_INFO,
 * because the submitter is still asked to answer; with `releasedBeforeArrival` given, an arrived parcel
 * released before it arrived stays RELEASE (the three-document parties' view).
 */
export function customsDecision(
  state: ClearanceState,
  flags: { releasedBeforeArrival?: boolean; informationOpen?: boolean } = {},
): CustomsDecision {
  switch (state) {
    case 'released-before-arrival':
    case 'released':
      return 'RELEASE';
    case 'arrived':
      if (flags.informationOpen === true) return 'REQUEST_INFO';
      return flags.releasedBeforeArrival === true ? 'RELEASE' : 'PENDING';
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

/** The response code: the decision, a release with payment due when something is due at the border. */
function responseCode(state: ClearanceState, due: string, informationOpen: boolean): string {
  const decision = customsDecision(state, { informationOpen });
  return decision === 'RELEASE' && Number(due) > 0 ? 'RELEASE_WITH_PAYMENT_DUE' : decision;
}

/** What the submitter is told while an arrived parcel's request for information is open. */
export const arrivedWithRequestText =
  'The parcel has arrived and is held: customs requests additional documents or information.';

/** What the submitter is told in a state an officer or carrier event has put the parcel in. */
const STATE_TEXT: Partial<Record<ClearanceState, string>> = {
  'held-for-information': 'Held: customs may request additional documents or information.',
  'held-for-inspection': 'Held for customs examination.',
  seized: 'Seized by customs.',
  returned: 'Refused entry: the parcel is returned.',
  abandoned: 'Abandoned to customs.',
};

/**
 * The generic reasons of the response. The lane's wording holds while the parcel is where its lane
 * sent it; once an officer or carrier has moved it on (a held parcel released, a cleared one called
 * for inspection, a seizure), the state's wording replaces it, so "RELEASE" never comes with "Held".
 */
function responseReasons(c: StoredConsignment): string[] {
  const redacted = redactForSubmitter(c.assessment.risk).reasons;
  const cleared = c.assessment.risk.lane === 'green' || c.assessment.risk.lane === 'blue';
  switch (c.state) {
    case 'released-before-arrival':
    case 'released':
      return cleared ? redacted : ['Released by customs after review.'];
    case 'arrived':
      if (c.informationOpen === true) return [arrivedWithRequestText];
      if (standsReleased(c)) return cleared ? redacted : ['Released by customs after review.'];
      return cleared ? redacted : ['The parcel has arrived and is with customs.'];
    case 'held-for-information':
    case 'held-for-inspection':
      // Security wording (referral) stays; the lane's sentence, always the last, gives way to the state's.
      return [...redacted.slice(0, -1), STATE_TEXT[c.state]!];
    case 'seized':
    case 'returned':
    case 'abandoned':
      return [STATE_TEXT[c.state]!];
    default:
      return redacted;
  }
}

export { undeliveredStates };

/** What the clearance history adds to a response: whether border tax was paid on a release to the buyer. */
export interface ResponseHistory {
  /** The parcel was released (delivered) before it went back: the border tax was collected. */
  borderPaid: boolean;
}

/** The settlement of a parcel that will never be delivered (see `Settlement`). */
export function settlementOf(c: StoredConsignment, history?: ResponseHistory): Settlement {
  const rev = c.assessment.revenue;
  const places = Math.max(
    rev.dueAtBorder.split('.')[1]?.length ?? 0,
    ...rev.lines.map((l) => l.amount.split('.')[1]?.length ?? 0),
  );
  // Only a returned parcel can have been released first (seized and abandoned come from held states).
  const paid = c.state === 'returned' && history?.borderPaid === true;
  let border = new Decimal(0);
  let seller = new Decimal(0);
  for (const l of rev.lines) {
    if (l.collectedBy === 'border') border = border.plus(l.amount);
    else if (l.collectedBy === 'vendor' || l.collectedBy === 'platform') seller = seller.plus(l.amount);
  }
  const what =
    c.state === 'seized' ? 'seized by customs' : c.state === 'returned' ? 'returned' : 'abandoned to customs';
  const parts = [`The parcel was ${what}: nothing is to be paid at the border.`];
  if (paid && border.gt(0))
    parts.push('Duty and tax paid at the border on release are repayable on a refund claim.');
  else if (border.gt(0)) parts.push('Duty and tax assessed at the border were never collected: cancelled.');
  if (seller.gt(0))
    parts.push(
      'Tax collected at checkout is refunded to the buyer by the seller or platform that collected it.',
    );
  return {
    assessedDueAtBorder: rev.dueAtBorder,
    collectedAtBorder: (paid ? border : new Decimal(0)).toFixed(places),
    sellerRefunds: seller.toFixed(places),
    notDue: (paid ? new Decimal(0) : border).toFixed(places),
    explanation: parts.join(' '),
  };
}

/**
 * Builds the submitter-facing response from a stored consignment. `history` says whether a returned
 * parcel had been released to the buyer (`responseWithInformation` reads it from the events); without
 * it a returned parcel is taken as never released.
 */
export function buildResponse(c: StoredConsignment, history?: ResponseHistory): CustomsResponse {
  const rev = c.assessment.revenue;
  const undelivered = undeliveredStates.has(c.state);
  const settlement = undelivered ? settlementOf(c, history) : undefined;
  const fallback = c.assessment.paymentFallback;
  return {
    consignmentId: c.id,
    version: c.version,
    state: c.state,
    // A parcel released before arrival is still released once it has arrived (arrived-release.ts).
    response: responseCode(
      standsReleased(c) ? 'released' : c.state,
      c.assessment.payment ? '0' : rev.dueAtBorder,
      c.informationOpen === true,
    ),
    reasons: fallback && !undelivered ? [...responseReasons(c), fallback.reason] : responseReasons(c),
    dueAtBorder: dueAtBorderIn(c.state, rev.dueAtBorder),
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
      : { mode: 'per-consignment', ...(fallback ? { reason: fallback.reason } : {}) },
    ...(settlement ? { settlement } : {}),
    updatedAt: c.updatedAt,
  };
}
