/**
 * Whether an arrived consignment stands released: it was released before it arrived and no officer
 * has held it since. `arrived` is shared by parcels held when they arrived and parcels released before
 * arrival; `releasedBeforeArrival` in the document tells them apart, so that a released parcel's data
 * is not amended after arrival and its response still says release. Kept by every writer of a
 * transition (through `withOpenRequest`), from the events it writes.
 */
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
