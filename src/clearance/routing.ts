/** Moves a consignment through the state table, producing the events each step writes. */
import {
  nextState,
  type ClearanceState,
  type ClearanceTrigger,
  type Decision,
  ParcelgateError,
} from '../domain/index.js';
import type { ClearanceEvent } from '../store/index.js';

const routeTrigger: Record<Decision, ClearanceTrigger> = {
  release: 'route-green',
  'hold-for-information': 'route-yellow',
  inspect: 'route-red',
  'do-not-load': 'route-dnl',
};

/** One step of the state machine as an event; throws `state.transition-not-allowed` when the table forbids it. */
export function step(
  consignmentId: string,
  from: ClearanceState,
  trigger: ClearanceTrigger,
  meta: { at: string; actor: string; reason?: string; data?: Record<string, unknown> },
): { to: ClearanceState; event: ClearanceEvent } {
  const r = nextState(from, trigger);
  if (!r.ok) {
    throw new ParcelgateError(
      'state.transition-not-allowed',
      `cannot apply '${trigger}' to a consignment in state '${from}'; allowed: ${r.allowed.join(', ') || 'none'}`,
      409,
      { state: from, trigger, allowed: r.allowed },
    );
  }
  const event: ClearanceEvent = {
    consignmentId,
    type: `consignment.${r.to === from ? trigger.replace(/^.*\./, '') : r.to}`,
    from,
    to: r.to,
    at: meta.at,
    actor: meta.actor,
    ...(meta.reason !== undefined ? { reason: meta.reason } : {}),
    ...(meta.data !== undefined ? { data: { trigger, ...meta.data } } : { data: { trigger } }),
  };
  return { to: r.to, event };
}

/**
 * After an (re)assessment: 'assess' (or 'reopen' for a release before arrival) then route by decision.
 * A consignment that has already arrived stays 'arrived' with its new assessment recorded.
 */
export function routeAfterAssessment(
  consignmentId: string,
  from: ClearanceState,
  decision: Decision,
  meta: { at: string; actor: string; data?: Record<string, unknown> },
  trigger: 'assess' | 'reopen' = 'assess',
): { to: ClearanceState; events: ClearanceEvent[] } {
  const assessed = step(consignmentId, from, trigger, meta);
  if (assessed.to !== 'assessed') return { to: assessed.to, events: [assessed.event] };
  const routed = step(consignmentId, 'assessed', routeTrigger[decision], { at: meta.at, actor: meta.actor });
  return { to: routed.to, events: [assessed.event, routed.event] };
}
