/**
 * What customs decided on an accepted list's consignment, as every party of the order may read it
 * (docs/three-documents.md, "What customs decided"): the clearance state, the decision and when the
 * state last changed. It is the customs receipt each enterprise gets for its own document: no
 * consignment id, no personal data, no officer reasons or findings, no risk score and no amounts (the
 * amounts due are the list submitter's, on its consignment's response).
 */
import { customsDecision, type CustomsDecision } from '../../clearance/index.js';
import type { ClearanceState } from '../../domain/index.js';
import type { ClearanceEvent, StoredConsignment } from '../../store/index.js';

/** The decision as the parties of the order read it: the customs response code without amounts. */
export type PartyDecision = CustomsDecision;

/** The consignment's clearance as the parties of the order read it. */
export interface PartyClearance {
  state: ClearanceState;
  decision: PartyDecision;
  /** When the consignment entered `state` (the time of the event that moved it there). */
  changedAt: string;
}

/**
 * The decision in `state`. A parcel released before arrival stays released once it has arrived
 * (`releasedBeforeArrival`); an arrived parcel with an open request for information is still asked
 * for it. Whether a release comes with payment due is not said: that is an amount.
 */
export const partyDecision = customsDecision;

/** True when `e` moved the consignment to another state (not a self-transition, not a note). */
export const changesState = (e: Pick<ClearanceEvent, 'from' | 'to'>): boolean =>
  e.to !== null && e.to !== undefined && e.to !== e.from;

/** The consignment's clearance for the parties of the order, from the consignment and its events. */
export function partyClearance(
  c: Pick<StoredConsignment, 'state' | 'releasedBeforeArrival' | 'informationOpen' | 'updatedAt'>,
  events: readonly Pick<ClearanceEvent, 'from' | 'to' | 'at'>[],
): PartyClearance {
  let changedAt: string | undefined;
  for (const e of events) if (changesState(e) && e.to === c.state) changedAt = e.at;
  return {
    state: c.state,
    decision: partyDecision(c.state, {
      releasedBeforeArrival: c.releasedBeforeArrival === true,
      informationOpen: c.informationOpen === true,
    }),
    changedAt: changedAt ?? c.updatedAt,
  };
}
