/**
 * Deferred payment checked again at release. Payment terms are recorded at assessment, but the amount
 * becomes payable when customs releases the parcel: a parcel held first (for information, for
 * inspection) and released after its submitter's AEO status was suspended, withdrawn or expired pays
 * at the border, not on the account (docs/operators.md "Deferred (periodic) payment").
 */
import type { Assessment, ClearanceState, PaymentFallback } from '../domain/index.js';
import type { ClearanceEvent, GuaranteeWrites, StoredConsignment } from '../store/index.js';
import { standsReleased } from './arrived-release.js';
import { paymentNotDeferredEvent } from './plan.js';
import type { ReferenceSnapshot } from './snapshot.js';

/** Why deferred terms no longer hold at `at` (undefined: they still do). */
export type DeferralCheck = (assessment: Assessment, at: string) => PaymentFallback | undefined;

/** The check a snapshot gives (undefined when it has no registry: terms then stay as assessed). */
export function deferralCheckOf(snapshot: ReferenceSnapshot): DeferralCheck | undefined {
  const hook = snapshot.deferralAt;
  if (hook === undefined) return undefined;
  return (a, at) => (a.payment === undefined ? undefined : hook(a.payment, a.revenue, at));
}

const releaseStates: ReadonlySet<ClearanceState> = new Set(['released-before-arrival', 'released']);

/** True when moving `current` to `to` is its first release: the moment its amount becomes payable. */
export function isFirstRelease(current: StoredConsignment, to: ClearanceState): boolean {
  return releaseStates.has(to) && !releaseStates.has(current.state) && !standsReleased(current);
}

/**
 * What a first release of a deferred parcel changes when its terms no longer hold: the assessment
 * without `payment` and with the fallback (so the response is RELEASE_WITH_PAYMENT_DUE and the account
 * is not debited), the `consignment.payment-not-deferred` event, and the guarantee reservation given
 * back in the same transaction. Undefined when nothing changes.
 */
export function lapsedDeferral(
  consignmentId: string,
  assessment: Assessment,
  check: DeferralCheck | undefined,
  at: string,
  actor: string,
): { assessment: Assessment; event: ClearanceEvent; guarantee: GuaranteeWrites } | undefined {
  const fallback = check?.(assessment, at);
  if (fallback === undefined) return undefined;
  const { payment: _lapsed, ...rest } = assessment;
  return {
    assessment: { ...rest, paymentFallback: fallback },
    event: {
      consignmentId,
      type: paymentNotDeferredEvent,
      from: null,
      to: null,
      at,
      actor,
      reason: fallback.reason,
      data: {
        account: fallback.account,
        code: fallback.code,
        amount: fallback.amount,
        currency: fallback.currency,
      },
    },
    guarantee: { reserve: [], clear: [consignmentId] },
  };
}

/**
 * After a transition of `c`: when its deferral lapsed at release, reloads its account's guarantee state
 * in this process, so the reservation given back in the transaction frees the headroom at once.
 */
export async function refreshLapsedAccount(snapshot: ReferenceSnapshot, c: StoredConsignment): Promise<void> {
  const f = c.assessment.paymentFallback;
  if (f?.code !== 'status-not-in-force' || !releaseStates.has(c.state)) return;
  snapshot.guarantees?.forget(c.id);
  await snapshot.guarantees?.refresh([f.account]);
}
