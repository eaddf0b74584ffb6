/**
 * Stored event rows and the logical events they stand for.
 *
 * A new consignment's first three events (declared, assessed, routed by the first decision) are
 * written as one **creation row**: type `consignment.created` (never the type of an event itself),
 * from null, to the state routing left it in, with the declared event's data, at, actor and reason.
 * It occupies three seqs: the row's seq is the last of them (the routed event), the declared and
 * assessed events take the two before, which no other row uses. Every reader expands such a row into
 * the three events it stands for, with those seqs, texts and order (`expandEventRows`); any other row
 * is one event, so stores written before read the same.
 *
 * A reader of a seq range (`seq > after AND seq <= upTo`) must look `creationSpan - 1` seqs beyond
 * `upTo` for rows whose first events fall inside it, and filter the expanded events by the range.
 */
import type { ClearanceState } from '../domain/index.js';

/** How many seqs (logical events) a creation row occupies. */
export const creationSpan = 3;

/** The type of a creation row. */
export const creationRowType = 'consignment.created';

/** The routing trigger of each state a first decision routes to (the state machine's table). */
const routeTriggers: Readonly<Partial<Record<string, string>>> = {
  'released-before-arrival': 'route-green',
  'held-for-information': 'route-yellow',
  'held-for-inspection': 'route-red',
  'do-not-load': 'route-dnl',
};

const assessedData = '{"trigger":"assess"}';
const routedData = new Map<string, string>(
  Object.entries(routeTriggers).map(([to, trigger]) => [to, `{"trigger":${JSON.stringify(trigger)}}`]),
);

/** Whether an event row with this type and target state is a creation row. */
export function isCreationRow(type: string): boolean {
  return type === creationRowType;
}

/** The number of seqs (logical events) a row occupies. */
export function eventSpan(type: string): number {
  return type === creationRowType ? creationSpan : 1;
}

/** SQL: the number of logical events of the `events` rows an aggregate runs over. */
export const logicalEventCountSql = `coalesce(sum(CASE WHEN type = '${creationRowType}' THEN ${creationSpan} ELSE 1 END), 0)`;

/** The fields of an event row a reader expands (any other field is copied to every event of the row). */
export interface EventRowFields {
  seq: number | string;
  type: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  data: string | null;
}

/** An expanded event: the row's other fields, its own seq as a number. */
export type Expanded<R extends EventRowFields> = Omit<R, 'seq'> & { seq: number };

/**
 * The logical events of `rows` (in seq order) whose seq is in (`after`, `upTo`], in seq order: a
 * creation row becomes its three events, any other row itself (seq as a number).
 */
export function expandEventRows<R extends EventRowFields>(
  rows: readonly R[],
  after = Number.NEGATIVE_INFINITY,
  upTo = Number.POSITIVE_INFINITY,
): Expanded<R>[] {
  const out: Expanded<R>[] = [];
  for (const r of rows) {
    const seq = Number(r.seq);
    if (r.type !== creationRowType) {
      if (seq > after && seq <= upTo) out.push({ ...r, seq });
      continue;
    }
    const to = r.to as ClearanceState;
    const routed = routedData.get(to);
    if (routed === undefined) throw new Error(`creation event row ${seq} routes to unknown state ${to}`);
    if (seq - 2 > after && seq - 2 <= upTo)
      out.push({ ...r, seq: seq - 2, type: 'consignment.declared', to: 'declared' });
    if (seq - 1 > after && seq - 1 <= upTo)
      out.push({
        ...r,
        seq: seq - 1,
        type: 'consignment.assessed',
        from: 'declared',
        to: 'assessed',
        reason: null,
        data: assessedData,
      });
    if (seq > after && seq <= upTo)
      out.push({ ...r, seq, type: `consignment.${to}`, from: 'assessed', to, reason: null, data: routed });
  }
  return out;
}

/** An event as a fresh consignment carries it (no seq, data as JSON text). */
export interface EventText {
  type: string;
  from: ClearanceState | null;
  to: ClearanceState | null;
  at: string;
  actor: string;
  reason: string | null;
  data: string | null;
}

/** An event's texts as a fresh consignment carries it: no reason is null, `data` as JSON text. */
export function eventText(
  e: Omit<EventText, 'reason' | 'data'> & { reason?: string; data?: Record<string, unknown> },
): EventText {
  return {
    type: e.type,
    from: e.from,
    to: e.to,
    at: e.at,
    actor: e.actor,
    reason: e.reason ?? null,
    data: e.data === undefined ? null : JSON.stringify(e.data),
  };
}

/**
 * The creation row standing for a consignment's first events when they are exactly what a creation
 * row expands to (declared, assessed, routed by the first decision: same at, actor, no reasons), with
 * the events after them; otherwise `events` itself.
 */
export function compactCreation<E extends EventText>(events: E[]): E[] {
  const [declared, assessed, routed] = events;
  if (declared === undefined || assessed === undefined || routed === undefined) return events;
  const to = routed.to;
  const routedText = to === null ? undefined : routedData.get(to);
  if (
    routedText === undefined ||
    declared.type !== 'consignment.declared' ||
    declared.from !== null ||
    declared.to !== 'declared' ||
    declared.reason !== null ||
    assessed.type !== 'consignment.assessed' ||
    assessed.from !== 'declared' ||
    assessed.to !== 'assessed' ||
    assessed.reason !== null ||
    assessed.data !== assessedData ||
    routed.type !== `consignment.${to}` ||
    routed.from !== 'assessed' ||
    routed.reason !== null ||
    routed.data !== routedText ||
    assessed.at !== declared.at ||
    routed.at !== declared.at ||
    assessed.actor !== declared.actor ||
    routed.actor !== declared.actor
  )
    return events;
  return [{ ...declared, type: creationRowType, to }, ...events.slice(3)];
}
