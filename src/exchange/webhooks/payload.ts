/**
 * The JSON body of a notification: built from the event and the receiving party alone, so every
 * redelivery to that party is byte-identical.
 */
import { requestNotice, type InformationNotice } from '../../clearance/information.js';
import type { FeedEvent } from '../../store/index.js';

/** The notification id of an event: `evt_` + its seq; receivers de-duplicate on it. */
export const notificationId = (seq: number): string => `evt_${seq}`;

/** The notification body (the same for webhooks and the polling feed). */
export interface Notification {
  id: string;
  seq: number;
  type: string;
  consignmentId: string;
  from: string | null;
  to: string | null;
  at: string;
  actor: string;
  reason?: string;
  data?: Record<string, unknown>;
  /**
   * On an event that opens a request for information (a hold for information, an officer's request):
   * what is wanted, the message and where to answer, as the customs response says it; for every party
   * of the consignment (docs/information-requests.md §5).
   */
  information?: InformationNotice;
  /** Present only in the view of a party that is not the consignment's owner (see linkedView). */
  view?: 'linked-party';
}

/**
 * Event data a linked party (a submitter of one of the consignment's records that is not its owner)
 * may see: what happened to the parcel, not what other parties declared or what customs found.
 */
export const linkedPartyDataKeys: readonly string[] = ['trigger', 'version', 'location', 'source'];

/**
 * An answer to a request for information (docs/information-requests.md): its explanation and
 * documents are read by customs and by the party that gave it, never by another party of the
 * consignment, the owner included (`clearance/information.ts` names the same type).
 */
export const answerEventType = 'consignment.information-provided';

/** The linked party's keys of event data (also what the owner reads of an answer another party gave). */
export function linkedPartyData(data: Record<string, unknown>): Record<string, unknown> {
  const seen: Record<string, unknown> = {};
  for (const k of linkedPartyDataKeys) if (data[k] !== undefined) seen[k] = data[k];
  return seen;
}

/** Whether `viewer` reads the data of `e` as an answer someone else gave. */
export const othersAnswer = (e: { type: string; actor: string }, viewer: string): boolean =>
  e.type === answerEventType && e.actor !== viewer;

/** The actor as a linked party sees it: itself, `customs`, or `other-party`. */
function linkedActor(e: FeedEvent, viewer: string): string {
  if (e.actor === viewer) return viewer;
  const trigger = typeof e.data?.trigger === 'string' ? e.data.trigger : '';
  const byParty =
    trigger.startsWith('carrier.') ||
    trigger.startsWith('submitter.') ||
    e.type === 'consignment.declared' ||
    e.type === 'consignment.source-linked' ||
    e.type === 'consignment.amended';
  return byParty ? 'other-party' : 'customs';
}

/** What every notification of an event carries, with the actor as `viewer` may see it. */
function envelope(e: FeedEvent, actor: Notification['actor']): Notification {
  return {
    id: notificationId(e.seq),
    seq: e.seq,
    type: e.type,
    consignmentId: e.consignmentId,
    from: e.from,
    to: e.to,
    at: e.at,
    actor,
  };
}

/** `n` with the request for information its event opens, if any (after the other fields). */
function withRequest(n: Notification, e: FeedEvent): Notification {
  const information = requestNotice(e);
  if (information !== undefined) n.information = information;
  return n;
}

/**
 * The view of an event a linked party receives: state, time and what it needs to act (the trigger,
 * the version, a carrier location); no officer reason or finding, no other party's record id or
 * changed fields, no other party's identity. Its own actions keep their reason.
 */
export function linkedView(e: FeedEvent, viewer: string): Notification {
  const n: Notification = { ...envelope(e, linkedActor(e, viewer)), view: 'linked-party' };
  if (e.reason !== undefined && e.actor === viewer) n.reason = e.reason;
  if (e.data !== undefined)
    // Its own answer to a request for information it reads whole.
    n.data = e.type === answerEventType && e.actor === viewer ? e.data : linkedPartyData(e.data);
  return withRequest(n, e);
}

/** The owner's event data: whole, except the count of disagreements a linked record brought (a targeting input). */
function ownerData(data: Record<string, unknown>): Record<string, unknown> {
  if (!('mismatches' in data)) return data;
  const { mismatches: _targetingInput, ...rest } = data;
  return rest;
}

/**
 * Maps a stored event to the notification `viewer` receives (no delivery time or attempt count
 * inside): the full event for the consignment's owner (and when no viewer is given), the linked
 * party's view for any other party.
 */
export function toNotification(e: FeedEvent, viewer?: string): Notification {
  if (viewer !== undefined && viewer !== e.submitterId) return linkedView(e, viewer);
  const n = envelope(e, e.actor);
  if (e.reason !== undefined) n.reason = e.reason;
  if (e.data !== undefined)
    n.data =
      viewer === undefined ? e.data : othersAnswer(e, viewer) ? linkedPartyData(e.data) : ownerData(e.data);
  return withRequest(n, e);
}
