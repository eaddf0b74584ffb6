/** Carrier events and officer decisions: the inputs that move a consignment after assessment. */
import { ParcelgateError, nextState, type ClearanceTrigger } from '../domain/index.js';
import type { ClaimCheck, ClearanceEvent, ClearanceStore, StoredConsignment } from '../store/index.js';
import type { ReviseOnArrival } from './arrival-revenue.js';
import { customsHoldProblem } from './arrived-release.js';
import { eventBeforeDeclarationProblem } from './carrier-event-dates.js';
import type { RequestContext } from './context.js';
import { withOpenRequest } from './information.js';
import { isFirstRelease, lapsedDeferral, type DeferralCheck } from './release-payment.js';
import { step } from './routing.js';

/** Events a carrier or post reports about the physical parcel. */
export const carrierEventTypes = ['arrived', 'delivered', 'refused', 'returned'] as const;
export type CarrierEventType = (typeof carrierEventTypes)[number];

/** Shortest reason (trimmed) an officer decision is accepted with. */
export const minReasonLength = 3;

/** Decisions an officer can take; each needs a reason. */
export const officerActions = [
  'release',
  'request-information',
  'inspect',
  'seize',
  'return',
  'abandon',
  'clear-dnl',
] as const;
export type OfficerAction = (typeof officerActions)[number];

export interface CarrierEvent {
  type: CarrierEventType;
  /** When it happened (defaults to the request time). */
  at?: string;
  location?: string;
  reason?: string;
}

export interface OfficerDecision {
  action: OfficerAction;
  reason: string;
  /** Inspection finding, e.g. 'nothing-found', 'undervalued', 'counterfeit', 'prohibited'. */
  finding?: string;
  /** With `request-information`: what the submitter is asked for (docs/information-requests.md). */
  request?: { documents?: string[]; message?: string };
  /**
   * The `updatedAt` of the consignment as the officer read it: the decision is refused (409
   * `decision.stale`) when the consignment changed since, e.g. another officer decided first.
   */
  unchangedSince?: string;
}

/** True when a deferred consignment's log already holds a release (read only for a deferred one). */
async function releasedBefore(store: ClearanceStore, consignmentId: string): Promise<boolean> {
  if ((await store.get(consignmentId))?.assessment.payment === undefined) return false;
  return (await store.events(consignmentId)).some(
    (e) => e.to === 'released' || e.to === 'released-before-arrival',
  );
}

async function applyTrigger(
  ctx: RequestContext,
  store: ClearanceStore,
  consignmentId: string,
  trigger: ClearanceTrigger,
  meta: { at: string; reason?: string; data?: Record<string, unknown> },
  revise?: ReviseOnArrival,
  unchangedSince?: string,
  claimCheck?: ClaimCheck,
  refuse?: (current: StoredConsignment) => ParcelgateError | undefined,
  deferral?: DeferralCheck,
): Promise<{ consignment: StoredConsignment; event: ClearanceEvent }> {
  // A parcel released once already (then held again) had its deferred amount booked at that release:
  // only a first release checks its deferred terms again (one read of its log, at decision time).
  const check =
    deferral !== undefined && !(await releasedBefore(store, consignmentId)) ? deferral : undefined;
  return store.transact({ keys: [], ids: [consignmentId] }, (found) => {
    const current = found.find((c) => c.id === consignmentId);
    if (!current) throw new ParcelgateError('consignment.not-found', `no consignment ${consignmentId}`, 404);
    if (unchangedSince !== undefined && Date.parse(current.updatedAt) !== Date.parse(unchangedSince))
      throw staleDecision(current, unchangedSince);
    const refused = refuse?.(current);
    if (refused !== undefined) throw refused;
    const { to, event } = step(consignmentId, current.state, trigger, { ...meta, actor: ctx.actor });
    const revised = revise?.(current, meta.at);
    // Deferred terms hold at release only if the account's status still grants them (release-payment.ts).
    const lapsed = isFirstRelease(current, to)
      ? lapsedDeferral(consignmentId, revised ?? current.assessment, check, meta.at, ctx.actor)
      : undefined;
    const assessment = lapsed?.assessment ?? revised;
    const updated = withOpenRequest(
      current,
      {
        ...current,
        state: to,
        updatedAt: ctx.now,
        ...(assessment ? { assessment } : {}),
      },
      [event],
    );
    return {
      writes: {
        upserts: [updated],
        archive: [],
        declarations: [],
        events: lapsed ? [event, lapsed.event] : [event],
        ...(lapsed ? { guarantee: lapsed.guarantee } : {}),
        ...(claimCheck ? { claimCheck } : {}),
      },
      result: { consignment: updated, event },
    };
  });
}

/** What recording a carrier event gave: `repeated` when it was a delivery already recorded (nothing written). */
export interface CarrierEventResult {
  consignment: StoredConsignment;
  event: ClearanceEvent;
  repeated?: true;
}

/** The consignment changed between reading its event log and the transaction: read it again. */
class ChangedMeanwhile extends Error {}

/** The delivery already in the event log of a released consignment, if any (a parcel is delivered once). */
async function recordedDelivery(
  store: ClearanceStore,
  seen: StoredConsignment,
): Promise<ClearanceEvent | undefined> {
  if (seen.state !== 'released') return undefined;
  return (await store.events(seen.id)).find((e) => e.data?.trigger === 'carrier.delivered');
}

/**
 * Applies a carrier event (arrival, delivery, refusal, return) to a consignment. With `onArrival`, an
 * arrival also re-assesses the revenue on the actual arrival date (arrival-revenue.ts). An event dated
 * long before the consignment was declared is refused (`event.before-declaration`, carrier-event-dates.ts).
 * A parcel is delivered once: a `delivered` event on a consignment whose log already holds a delivery
 * writes nothing and answers that delivery with `repeated: true` (docs/architecture.md, state machine).
 * With `deferral`, a delivery that is the parcel's first release pays at the border when its deferred
 * terms no longer hold (release-payment.ts).
 */
export async function recordCarrierEvent(
  ctx: RequestContext,
  store: ClearanceStore,
  consignmentId: string,
  ev: CarrierEvent,
  onArrival?: ReviseOnArrival,
  deferral?: DeferralCheck,
): Promise<CarrierEventResult> {
  const data: Record<string, unknown> = {};
  if (ev.location !== undefined) data.location = ev.location;
  const dated = (current: StoredConsignment): ParcelgateError | undefined =>
    customsHoldProblem(current, `carrier.${ev.type}`) ??
    (ev.at === undefined ? undefined : eventBeforeDeclarationProblem(ev.at, current.createdAt));
  const apply = (refuse: (current: StoredConsignment) => ParcelgateError | undefined) =>
    applyTrigger(
      ctx,
      store,
      consignmentId,
      `carrier.${ev.type}`,
      {
        at: ev.at ?? ctx.now,
        ...(ev.reason !== undefined ? { reason: ev.reason } : {}),
        data,
      },
      ev.type === 'arrived' ? onArrival : undefined,
      undefined,
      undefined,
      refuse,
      // Only a delivery can release (an arrived parcel): other events read nothing more.
      ev.type === 'delivered' ? deferral : undefined,
    );
  if (ev.type !== 'delivered') return apply(dated);
  // The log is read outside the transaction: the transaction goes ahead only if the consignment is
  // still as read (its updatedAt), otherwise it is read again, so two deliveries at once write one event.
  for (let attempt = 1; ; attempt++) {
    const seen = await store.get(consignmentId);
    if (seen === undefined) return apply(dated); // answers consignment.not-found
    const delivered = await recordedDelivery(store, seen);
    if (delivered !== undefined) return { consignment: seen, event: delivered, repeated: true };
    // After a few changes in a row (a busy consignment), the last attempt applies the table as it stands.
    if (attempt >= 5) return apply(dated);
    try {
      return await apply((current) => {
        if (current.updatedAt !== seen.updatedAt || current.state !== seen.state)
          throw new ChangedMeanwhile();
        return dated(current);
      });
    } catch (e) {
      if (!(e instanceof ChangedMeanwhile)) throw e;
    }
  }
}

/** 409 `decision.stale`: the consignment changed after the officer read it (read at `seen`). */
function staleDecision(current: StoredConsignment, seen: string): ParcelgateError {
  return new ParcelgateError(
    'decision.stale',
    `consignment ${current.id} changed since it was read (${seen}): it is now ${current.state}, updated ${current.updatedAt}; read it again before deciding`,
    409,
    { state: current.state, updatedAt: current.updatedAt, unchangedSince: seen },
  );
}

/**
 * Applies an officer's decision; the reason is mandatory and the officer is recorded as the actor. With
 * `unchangedSince`, only if the consignment is as the officer read it; with `claimCheck`, only if no
 * other officer holds a live claim on it (both checked in the transaction, which releases the claim);
 * with `deferral`, a release pays at the border when its deferred terms no longer hold (release-payment.ts).
 */
export function recordOfficerDecision(
  ctx: RequestContext,
  store: ClearanceStore,
  consignmentId: string,
  d: OfficerDecision,
  claimCheck?: ClaimCheck,
  deferral?: DeferralCheck,
): Promise<{ consignment: StoredConsignment; event: ClearanceEvent }> {
  if (typeof d.reason !== 'string' || d.reason.trim().length < minReasonLength) {
    return Promise.reject(
      new ParcelgateError(
        'decision.reason-required',
        `an officer decision needs a reason of at least ${minReasonLength} characters`,
        400,
        {
          path: '/reason',
        },
      ),
    );
  }
  return applyTrigger(
    ctx,
    store,
    consignmentId,
    `officer.${d.action}`,
    {
      at: ctx.now,
      reason: d.reason.trim(),
      data: {
        ...(d.finding !== undefined ? { finding: d.finding } : {}),
        ...(d.request !== undefined ? { request: d.request } : {}),
      },
    },
    undefined,
    d.unchangedSince,
    claimCheck,
    undefined,
    d.action === 'release' ? deferral : undefined,
  );
}

/** The type of the event a partial return writes (no state change: the buyer kept the other items). */
export const itemsReturnedEvent = 'consignment.items-returned';

/**
 * Records that some items of a consignment went back while the rest stayed with the buyer (a partial
 * return, src/returns): the consignment keeps its state, notes the items (`returnedItems`) and gets a
 * `consignment.items-returned` event (data: the items, the clearance trigger the whole return would
 * have been, the state it was in), which the revenue ledger and the deferred-payment accounts unwind
 * line by line. Refused, like the whole return, when the state table does not allow `trigger`.
 */
export function recordItemsReturned(
  ctx: RequestContext,
  store: ClearanceStore,
  consignmentId: string,
  r: { items: readonly number[]; trigger: ClearanceTrigger; at: string; reason: string },
): Promise<{ consignment: StoredConsignment; event: ClearanceEvent }> {
  return store.transact({ keys: [], ids: [consignmentId] }, (found) => {
    const current = found.find((c) => c.id === consignmentId);
    if (!current) throw new ParcelgateError('consignment.not-found', `no consignment ${consignmentId}`, 404);
    const held = customsHoldProblem(current, r.trigger);
    if (held !== undefined) throw held;
    const allowed = nextState(current.state, r.trigger);
    if (!allowed.ok)
      throw new ParcelgateError(
        'state.transition-not-allowed',
        `cannot apply '${r.trigger}' to a consignment in state '${current.state}'; allowed: ${allowed.allowed.join(', ') || 'none'}`,
        409,
        { state: current.state, trigger: r.trigger, allowed: allowed.allowed },
      );
    const items = [...new Set([...(current.returnedItems ?? []), ...r.items])].sort((a, b) => a - b);
    const event: ClearanceEvent = {
      consignmentId,
      type: itemsReturnedEvent,
      from: null,
      to: null,
      at: r.at,
      actor: ctx.actor,
      reason: r.reason,
      data: { items: [...r.items].sort((a, b) => a - b), trigger: r.trigger, state: current.state },
    };
    const updated: StoredConsignment = { ...current, returnedItems: items, updatedAt: ctx.now };
    return {
      writes: { upserts: [updated], archive: [], declarations: [], events: [event] },
      result: { consignment: updated, event },
    };
  });
}
