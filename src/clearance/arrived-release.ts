/**
 * Whether an arrived consignment stands released: it was released before it arrived and no officer
 * has held it since. `arrived` is shared by parcels held when they arrived and parcels released before
 * arrival; `releasedBeforeArrival` in the document tells them apart, so that a released parcel's data
 * is not amended after arrival and its response still says release. Kept by every writer of a
 * transition (through `withOpenRequest`), from the events it writes.
 */
import { ParcelgateError, transitionTable, type ClearanceTrigger } from '../domain/index.js';
import type { ClearanceEvent, StoredConsignment } from '../store/index.js';

/** What an event does to the standing release of an arrived parcel. */
export function releaseEffect(e: Pick<ClearanceEvent, 'type' | 'from' | 'to'>): 'set' | 'clear' | 'keep' {
  if (e.to === null || e.to === undefined) return 'keep';
  if (e.to !== 'arrived') return 'clear';
  if (e.from === 'released-before-arrival') return 'set';
  // An officer's inspection or request for information after arrival holds the parcel again.
  if (e.type === 'consignment.inspect' || e.type === 'consignment.request-information') return 'clear';
  return 'keep';
}

/** True when `c` has arrived released (see the module comment). */
export const standsReleased = (c: Pick<StoredConsignment, 'state' | 'releasedBeforeArrival'>): boolean =>
  c.state === 'arrived' && c.releasedBeforeArrival === true;

/** `updated` (its state already set) with `releasedBeforeArrival` as `events` leave it. */
export function withStandingRelease<C extends StoredConsignment>(
  before: Pick<StoredConsignment, 'state' | 'releasedBeforeArrival'>,
  updated: C,
  events: readonly Pick<ClearanceEvent, 'type' | 'from' | 'to'>[],
): C {
  let released = standsReleased(before);
  for (const e of events) {
    const effect = releaseEffect(e);
    if (effect === 'set') released = true;
    else if (effect === 'clear') released = false;
  }
  const flag = released && updated.state === 'arrived';
  if (flag === (updated.releasedBeforeArrival === true)) return updated;
  if (flag) return { ...updated, releasedBeforeArrival: true };
  const { releasedBeforeArrival: _ended, ...rest } = updated;
  return rest as C;
}

/**
 * Carrier triggers that take goods out of customs control, to the buyer or back to the sender: refused
 * from `arrived` only when the parcel stands released. An arrived parcel customs still holds (held for
 * information or inspection when it arrived, or held again after arrival) is under customs supervision:
 * it is delivered only after an officer's release and goes back only on an officer's `return` decision
 * (docs/returns.md, docs/architecture.md "State machine").
 */
const carrierReturns: ReadonlySet<ClearanceTrigger> = new Set([
  'carrier.refused',
  'carrier.returned',
  'carrier.delivered',
]);

/** 409 `state.transition-not-allowed` when `trigger` is a carrier delivery or return of a parcel customs holds after arrival. */
export function customsHoldProblem(
  c: Pick<StoredConsignment, 'id' | 'state' | 'releasedBeforeArrival'>,
  trigger: ClearanceTrigger,
): ParcelgateError | undefined {
  if (c.state !== 'arrived' || standsReleased(c) || !carrierReturns.has(trigger)) return undefined;
  const allowed = (Object.keys(transitionTable.arrived) as ClearanceTrigger[]).filter(
    (t) => !carrierReturns.has(t),
  );
  return new ParcelgateError(
    'state.transition-not-allowed',
    `cannot apply '${trigger}' to consignment ${c.id}: it has arrived and customs still holds it (not released), so it may not be delivered, returned or refused without a customs decision; an officer's release lets it be delivered, an officer's return decision sends it back; allowed: ${allowed.join(', ')}`,
    409,
    { state: c.state, held: true, trigger, allowed },
  );
}
