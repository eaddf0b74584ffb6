/** The JSON body of a notification: built from the event alone, so every redelivery is byte-identical. */
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
}

/** Maps a stored event to its notification (no delivery time or attempt count inside). */
export function toNotification(e: FeedEvent): Notification {
  const n: Notification = {
    id: notificationId(e.seq),
    seq: e.seq,
    type: e.type,
    consignmentId: e.consignmentId,
    from: e.from,
    to: e.to,
    at: e.at,
    actor: e.actor,
  };
  if (e.reason !== undefined) n.reason = e.reason;
  if (e.data !== undefined) n.data = e.data;
  return n;
}
