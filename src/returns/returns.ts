/** The return record and its state table: registered, re-exported, refund claimed, approved or rejected, paid, closed. */
import { ParcelgateError } from '../domain/index.js';
import { maxClockSkewMs } from '../clearance/index.js';
import type { RefundPosition } from './refund.js';
import type { ReturnAction, ReturnActionInput, ReturnKind, ReturnReason } from './schemas.js';

export const returnStates = [
  'registered',
  're-exported',
  'refund-claimed',
  'refund-approved',
  'refund-rejected',
  'refund-paid',
  'closed',
] as const;
export type ReturnState = (typeof returnStates)[number];

/** Allowed return transitions; anything else is `return.transition-not-allowed`. */
export const returnTransitions: Readonly<Record<ReturnState, Partial<Record<ReturnAction, ReturnState>>>> = {
  registered: { 're-export': 're-exported', close: 'closed' },
  're-exported': { 'claim-refund': 'refund-claimed', close: 'closed' },
  'refund-claimed': { 'approve-refund': 'refund-approved', 'reject-refund': 'refund-rejected' },
  'refund-approved': { 'pay-refund': 'refund-paid' },
  'refund-rejected': { close: 'closed' },
  'refund-paid': { close: 'closed' },
  closed: {},
};

/** A return as stored. */
export interface ParcelReturn {
  id: string;
  consignmentId: string;
  kind: ReturnKind;
  reason: ReturnReason;
  note?: string;
  itemIndexes?: number[];
  state: ReturnState;
  submitterId: string;
  platformId: string | null;
  sellerKey: string | null;
  sellerOperatorId: string | null;
  destination: string;
  refund: RefundPosition;
  reExport?: { exportReference: string; office?: string; at: string };
  payment?: { reference: string; at: string };
  registeredAt: string;
  history: { action: 'register' | ReturnAction; at: string; actor: string; reason?: string }[];
}

/** 422 `return.invalid-date` at `/at`. */
function invalidDate(message: string): ParcelgateError {
  return new ParcelgateError('return.invalid-date', message, 422, {
    issues: [{ code: 'return.invalid-date', path: '/at', message }],
  });
}

/**
 * The problem of a return or return action dated `at` when the clock reads `now`: after the clock
 * (beyond the skew scanners and clerks are allowed) or before `earliest`, the step it follows
 * (`what` names it). A step dated out of order would let a refund be claimed before the goods went
 * back out, or a claim be dated before the time limit it was lodged after.
 */
export function returnDateProblem(
  at: string,
  now: string,
  earliest?: { at: string; what: string },
): ParcelgateError | undefined {
  if (Date.parse(at) > Date.parse(now) + maxClockSkewMs)
    return invalidDate(
      `dated ${at}, after the clock (${now}) by more than ${maxClockSkewMs / 60_000} minutes`,
    );
  if (earliest !== undefined && Date.parse(at) < Date.parse(earliest.at))
    return invalidDate(`dated ${at}, before ${earliest.what} (${earliest.at})`);
  return undefined;
}

/**
 * Applies an action through the table (pure). A claim needs a repayable amount; re-export needs its
 * reference. Its date (`at`, default now) is neither after the clock nor before the return's last step.
 */
export function applyReturnAction(
  r: ParcelReturn,
  a: ReturnActionInput,
  actor: string,
  now: string,
): ParcelReturn {
  const to = returnTransitions[r.state][a.action];
  if (to === undefined)
    throw new ParcelgateError(
      'return.transition-not-allowed',
      `cannot ${a.action} a return that is ${r.state}; allowed: ${Object.keys(returnTransitions[r.state]).join(', ') || 'none'}`,
      409,
      { state: r.state, action: a.action },
    );
  const at = a.at ?? now;
  const last = r.history.at(-1);
  const dated = returnDateProblem(
    at,
    now,
    last === undefined ? undefined : { at: last.at, what: `the return's last step (${last.action})` },
  );
  if (dated !== undefined) throw dated;
  const next: ParcelReturn = {
    ...r,
    state: to,
    history: [...r.history, { action: a.action, at, actor, ...(a.reason ? { reason: a.reason } : {}) }],
  };
  if (a.action === 're-export') {
    if (!a.exportReference)
      throw new ParcelgateError(
        'return.export-reference-required',
        're-export needs the export declaration or return waybill',
        400,
        { path: '/exportReference' },
      );
    next.reExport = { exportReference: a.exportReference, ...(a.office ? { office: a.office } : {}), at };
  }
  // The claim must be made by the rule's deadline (release date + time limit): checked on the claim's
  // own date, and for a return registered after it (whose border lines are therefore not repayable).
  const deadline = r.refund.claimDeadline;
  if (
    a.action === 'claim-refund' &&
    deadline !== undefined &&
    (r.refund.returnedAfterDeadline === true || at.slice(0, 10) > deadline)
  )
    throw new ParcelgateError(
      'return.claim-time-limit',
      r.refund.returnedAfterDeadline === true
        ? `the refund claim time limit ended on ${deadline}, before this return was registered (${r.registeredAt.slice(0, 10)}): nothing can be claimed`
        : `the refund claim time limit ended on ${deadline}: a claim on ${at.slice(0, 10)} is too late`,
      409,
      { deadline, path: '/at' },
    );
  if (a.action === 'claim-refund' && Number(r.refund.repayable) <= 0)
    throw new ParcelgateError(
      'return.nothing-repayable',
      'no duty or VAT collected at the border is repayable for this return',
      409,
      {
        refund: r.refund,
      },
    );
  if ((a.action === 'reject-refund' || a.action === 'close') && a.action === 'reject-refund' && !a.reason)
    throw new ParcelgateError('return.reason-required', 'a rejected claim needs a reason', 400, {
      path: '/reason',
    });
  if (a.action === 'pay-refund') {
    if (!a.paymentReference)
      throw new ParcelgateError(
        'return.payment-reference-required',
        'paying a refund needs the payment reference',
        400,
        { path: '/paymentReference' },
      );
    next.payment = { reference: a.paymentReference, at };
  }
  return next;
}
