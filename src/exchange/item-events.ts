/** EMSEVT-style export of clearance events as item tracking milestones. */
import type { ClearanceEvent, ClearanceStore, FeedEvent, StoredConsignment } from '../store/index.js';
import { toNotification } from './webhooks/payload.js';
import { XML_DECLARATION, add, xmlBuilder } from './postal-write.js';
import { xmlText } from './customs-response.js';

/** An EMSEVT event code with its meaning; every code is unverified (REFERENCE §2.5). */
export interface ItemEventCode {
  code: string;
  meaning: string;
  verified: false;
}

const e = (code: string, meaning: string): ItemEventCode => ({ code, meaning, verified: false });

/**
 * Clearance event type -> EMSEVT event code. Data, not logic: the UPU code list is not public and these
 * codes come from an unverified summary, so an operator replaces the table once the list is confirmed.
 * Event types not in the table (declared, amended, source-linked, assessed) are internal and not sent.
 * A carrier's delivery, refusal or return is keyed by its trigger (`data.trigger`), looked up before the
 * event type: it moves the parcel to `released` or `returned` like a customs decision does, but it is
 * not one, so it must not read as "released by import customs" or "retained by import customs".
 */
export const itemEventCodes: Readonly<Record<string, ItemEventCode>> = Object.freeze({
  'consignment.arrived': e('EMD', 'Arrival at inward office of exchange'),
  'consignment.held-for-information': e('EME', 'Held by import customs: information requested'),
  'consignment.request-information': e('EME', 'Held by import customs: information requested'),
  'consignment.held-for-inspection': e('EME', 'Held by import customs: examination'),
  'consignment.inspect': e('EME', 'Held by import customs: examination'),
  'consignment.do-not-load': e('EME', 'Held by customs: do not load'),
  'consignment.released-before-arrival': e('EDC', 'Released by import customs before arrival'),
  'consignment.released': e('EDC', 'Released by import customs'),
  'consignment.seized': e('EDB', 'Retained by import customs: seized'),
  'consignment.returned': e('EDB', 'Retained by import customs: returned to sender'),
  'consignment.abandoned': e('EDB', 'Retained by import customs: abandoned / destroyed'),
  'carrier.delivered': e('EMI', 'Final delivery'),
  'carrier.refused': e('EMH', 'Unsuccessful delivery: refused by the addressee'),
  'carrier.returned': e('EMH', 'Not delivered: returned to sender by the carrier'),
});

/** The code of an event: by its trigger when the table names it, else by its type. */
function codeOf(
  table: Readonly<Record<string, ItemEventCode>>,
  event: ClearanceEvent,
): ItemEventCode | undefined {
  const trigger = event.data?.trigger;
  if (typeof trigger === 'string' && Object.hasOwn(table, trigger)) return table[trigger];
  return Object.hasOwn(table, event.type) ? table[event.type] : undefined;
}

/** Options for `toItemEventsXml`. */
export interface ItemEventsXmlOptions {
  /** Replacement code table (default `itemEventCodes`). */
  codes?: Readonly<Record<string, ItemEventCode>>;
  /** Office code written as the event location when an event carries none. */
  office?: string;
}

function location(event: ClearanceEvent, fallback: string | undefined): string | undefined {
  const loc = event.data?.location;
  return typeof loc === 'string' && loc !== '' ? xmlText(loc) : fallback;
}

/** Writes clearance events as EMSEVT-style milestones; events without a code mapping are left out. */
export function toItemEventsXml(
  events: readonly { itemId: string; event: ClearanceEvent }[],
  opts: ItemEventsXmlOptions = {},
): string {
  const table = opts.codes ?? itemEventCodes;
  const out: Record<string, unknown>[] = [];
  for (const { itemId, event } of events) {
    const code = codeOf(table, event);
    if (code === undefined) continue;
    const el: Record<string, unknown> = {};
    add(el, 'ItemId', itemId);
    add(el, 'EventCode', code.code);
    add(el, 'EventDateTime', event.at);
    add(el, 'Location', location(event, opts.office));
    add(el, 'ParcelgateEvent', event.type);
    add(el, 'State', event.to ?? undefined);
    // Free text of officers and carriers: written as XML 1.0 can carry it (`xmlText`).
    add(el, 'Reason', event.reason === undefined ? undefined : xmlText(event.reason));
    add(el, 'ConsignmentId', event.consignmentId);
    out.push(el);
  }
  return (
    XML_DECLARATION + (xmlBuilder.build({ EMSEVT: { '@_version': 'parcelgate-1', Event: out } }) as string)
  );
}

/** The item id a post knows a consignment by: its transport document (S10), else the consignment id. */
export const itemIdOf = (c: Pick<StoredConsignment, 'id' | 'merged'>): string =>
  c.merged.transportDocument?.id ?? c.id;

/** A consignment's events paired with its item id, for `toItemEventsXml`. */
export function itemEventsOfConsignment(
  c: Pick<StoredConsignment, 'id' | 'merged'>,
  events: readonly ClearanceEvent[],
): { itemId: string; event: ClearanceEvent }[] {
  const itemId = itemIdOf(c);
  return events.map((event) => ({ itemId, event }));
}

/**
 * Feed events as `viewer` may see them (the owner's full event, a linked party's reduced view),
 * paired with each consignment's item id (`itemIdFor`: the viewer's view of it), for `toItemEventsXml`.
 */
export async function itemEventsOfFeed(
  store: Pick<ClearanceStore, 'get'>,
  events: readonly FeedEvent[],
  viewer: string,
  itemIdFor: (c: StoredConsignment) => string = itemIdOf,
): Promise<{ itemId: string; event: ClearanceEvent }[]> {
  const ids = new Map<string, string>();
  for (const e of events) {
    if (ids.has(e.consignmentId)) continue;
    const c = await store.get(e.consignmentId);
    ids.set(e.consignmentId, c === undefined ? e.consignmentId : itemIdFor(c));
  }
  return events.map((e) => {
    const n = toNotification(e, viewer);
    const event: ClearanceEvent = {
      consignmentId: n.consignmentId,
      type: n.type,
      from: n.from as ClearanceEvent['from'],
      to: n.to as ClearanceEvent['to'],
      at: n.at,
      actor: n.actor,
    };
    if (n.reason !== undefined) event.reason = n.reason;
    if (n.data !== undefined) event.data = n.data;
    return { itemId: ids.get(e.consignmentId) ?? e.consignmentId, event };
  });
}
