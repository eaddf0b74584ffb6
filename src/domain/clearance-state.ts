/** The clearance state machine as a table: states, triggers and allowed transitions. */

export const clearanceStates = [
  'declared',
  'assessed',
  'released-before-arrival',
  'held-for-information',
  'held-for-inspection',
  'do-not-load',
  'arrived',
  'released',
  'seized',
  'returned',
  'abandoned',
] as const;
export type ClearanceState = (typeof clearanceStates)[number];

/** Triggers: what may move a consignment, and who sends it. */
export const clearanceTriggers = [
  'assess', // pipeline: first assessment or amendment
  'route-green', // pipeline: lane green/blue before arrival
  'route-yellow', // pipeline: lane yellow
  'route-red', // pipeline: lane red
  'route-dnl', // pipeline: security do-not-load
  'reopen', // pipeline: a source linked before arrival disagrees with the data the release was given on
  'carrier.arrived',
  'carrier.delivered',
  'carrier.refused',
  'carrier.returned',
  'officer.release',
  'officer.request-information',
  'officer.inspect',
  'officer.seize',
  'officer.return',
  'officer.abandon',
  'officer.clear-dnl',
  'submitter.information-provided', // the submitter answers a request for information
] as const;
export type ClearanceTrigger = (typeof clearanceTriggers)[number];

type Table = Record<ClearanceState, Partial<Record<ClearanceTrigger, ClearanceState>>>;

const held = {
  'officer.release': 'released-before-arrival',
  'officer.request-information': 'held-for-information',
  'officer.inspect': 'held-for-inspection',
  'officer.seize': 'seized',
  'officer.return': 'returned',
  'carrier.arrived': 'arrived',
} as const;

/**
 * Allowed transitions. A held consignment that arrives stays held in 'arrived' with its lane
 * recorded; release after arrival goes to 'released'. Amendments ('assess') are accepted only
 * before release. A release before arrival is reopened ('reopen', then routed by the new
 * assessment) only by another party's record that disagrees with what the release was given on.
 * A submitter's answer to a request for information ('submitter.information-provided') is recorded
 * but does not move the parcel: it stays held for information (or arrived), answered, until an officer
 * decides (re-assessing the same data would only hold it again). After arrival it is accepted only
 * while the request is open, which the event log says (docs/information-requests.md §3).
 */
export const transitionTable: Table = {
  declared: { assess: 'assessed' },
  assessed: {
    'route-green': 'released-before-arrival',
    'route-yellow': 'held-for-information',
    'route-red': 'held-for-inspection',
    'route-dnl': 'do-not-load',
  },
  'released-before-arrival': {
    reopen: 'assessed',
    'carrier.arrived': 'arrived',
    'carrier.delivered': 'released',
    'officer.inspect': 'held-for-inspection',
  },
  'held-for-information': {
    ...held,
    assess: 'assessed',
    'submitter.information-provided': 'held-for-information',
  },
  'held-for-inspection': {
    ...held,
    'officer.request-information': 'held-for-information',
    assess: 'assessed',
  },
  'do-not-load': { 'officer.clear-dnl': 'assessed', assess: 'assessed', 'officer.abandon': 'abandoned' },
  arrived: {
    'officer.release': 'released',
    'officer.request-information': 'arrived',
    'officer.inspect': 'arrived',
    'officer.seize': 'seized',
    'officer.return': 'returned',
    'officer.abandon': 'abandoned',
    'carrier.delivered': 'released',
    'carrier.refused': 'returned',
    'carrier.returned': 'returned',
    assess: 'arrived',
    // Only while a request for information is open (docs/information-requests.md §3).
    'submitter.information-provided': 'arrived',
  },
  released: {
    'carrier.refused': 'returned',
    'carrier.returned': 'returned',
    'carrier.delivered': 'released',
  },
  seized: { 'officer.abandon': 'abandoned' },
  returned: {},
  abandoned: {},
};

/** States after which declaration data may no longer be amended. */
export const releasedStates: ReadonlySet<ClearanceState> = new Set([
  'released-before-arrival',
  'released',
  'seized',
  'returned',
  'abandoned',
]);

/** Terminal states: no trigger leaves them. */
export const terminalStates: ReadonlySet<ClearanceState> = new Set(
  clearanceStates.filter((s) => Object.keys(transitionTable[s]).length === 0),
);

export type TransitionResult =
  | { ok: true; from: ClearanceState; to: ClearanceState }
  | { ok: false; from: ClearanceState; trigger: ClearanceTrigger; allowed: ClearanceTrigger[] };

/** Looks up a transition in the table; never throws. */
export function nextState(from: ClearanceState, trigger: ClearanceTrigger): TransitionResult {
  const row = transitionTable[from];
  const to = row[trigger];
  if (to === undefined) return { ok: false, from, trigger, allowed: Object.keys(row) as ClearanceTrigger[] };
  return { ok: true, from, to };
}

/** States in which the parcel will never be delivered: nothing is payable at the border (docs/returns.md). */
export const undeliveredStates: ReadonlySet<ClearanceState> = new Set(['seized', 'returned', 'abandoned']);

/**
 * What is to be paid at the border now for a parcel in `state` whose assessment put `assessed` due: zero,
 * in the assessment's places, once it will never be delivered (seized, returned, abandoned); the
 * assessed figure otherwise. Every view of the amount due (response, submit answer, consignment, list,
 * console) states this figure; the assessment keeps what was assessed (docs/returns.md).
 */
export function dueAtBorderIn(state: ClearanceState, assessed: string): string {
  if (!undeliveredStates.has(state)) return assessed;
  const places = assessed.split('.')[1]?.length ?? 0;
  return places > 0 ? `0.${'0'.repeat(places)}` : '0';
}
