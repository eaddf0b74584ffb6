/**
 * The hook from screening into clearance: detections raise a risk indicator on the consignment (an
 * append-only `consignment.screening-alert` event carrying it) and, through the state table's
 * `officer.inspect` trigger, put the parcel in the inspection queue when its state allows.
 */
import { nextState, ParcelgateError, type ClearanceState, type RiskHit } from '../domain/index.js';
import { step, withOpenRequest, type RequestContext } from '../clearance/index.js';
import type { ClearanceEvent, ClearanceStore } from '../store/index.js';
import { threatClassNames, type Detection } from './categories.js';
import type { ModelInfo } from './detector.js';

/** What the alert did to the consignment. */
export interface AlertOutcome {
  indicator: RiskHit;
  from: ClearanceState;
  to: ClearanceState;
  /** True when the consignment was moved (or marked) for inspection by this alert. */
  heldForInspection: boolean;
  events: ClearanceEvent[];
}

/** The indicator for a set of detections: led by the highest-scoring one. */
export function screeningIndicator(
  imageId: string,
  detections: readonly (Detection & { id: string })[],
  model: ModelInfo,
): RiskHit {
  const top = [...detections].sort((a, b) => b.score - a.score)[0];
  if (!top) throw new Error('screeningIndicator needs at least one detection');
  const others = detections.length - 1;
  return {
    id: `screening.${top.class}`,
    version: 1,
    kind: 'indicator',
    score: Math.round(top.score * 100),
    lane: 'red',
    reason:
      `X-ray image ${imageId}: possible ${threatClassNames[top.class]} (model ${model.id} score ${top.score.toFixed(2)})` +
      (others > 0 ? ` and ${others} other detection${others > 1 ? 's' : ''}` : ''),
    inputs: {
      imageId,
      model: `${model.id}@${model.version}`,
      detections: detections.map((d) => ({ id: d.id, class: d.class, score: d.score, box: d.box })),
    },
  };
}

/**
 * Records the alert and applies `officer.inspect` when the state table allows it (released before
 * arrival → held for inspection; held for information → held for inspection; arrived → marked for
 * inspection). A consignment already held for inspection, or past release, only gets the alert event.
 */
export async function raiseScreeningAlert(
  ctx: RequestContext,
  store: ClearanceStore,
  consignmentId: string,
  indicator: RiskHit,
  opts: { hold: boolean },
): Promise<AlertOutcome> {
  return store.transact({ keys: [], ids: [consignmentId] }, (found) => {
    const current = found.find((c) => c.id === consignmentId);
    if (!current) throw new ParcelgateError('consignment.not-found', `no consignment ${consignmentId}`, 404);
    const events: ClearanceEvent[] = [
      {
        consignmentId,
        type: 'consignment.screening-alert',
        from: current.state,
        to: current.state,
        at: ctx.now,
        actor: ctx.actor,
        reason: indicator.reason,
        data: { indicator },
      },
    ];
    let to = current.state;
    const allowed = nextState(current.state, 'officer.inspect').ok;
    const hold = opts.hold && allowed && current.state !== 'held-for-inspection';
    if (hold) {
      const moved = step(consignmentId, current.state, 'officer.inspect', {
        at: ctx.now,
        actor: ctx.actor,
        reason: indicator.reason,
        data: { source: 'screening', indicator: indicator.id, imageId: indicator.inputs?.imageId },
      });
      events.push(moved.event);
      to = moved.to;
    }
    // An inspection after arrival keeps `arrived` but ends an open request for information.
    const updated = withOpenRequest(current, { ...current, state: to, updatedAt: ctx.now }, events);
    const moved = to !== current.state || updated.informationOpen !== current.informationOpen;
    const upserts = moved ? [updated] : [];
    return {
      writes: { upserts, archive: [], declarations: [], events },
      result: { indicator, from: current.state, to, heldForInspection: hold, events },
    };
  });
}
