/** The feed cursor check shared by `/v1/feed` and the postal item events. */
import { ParcelgateError } from '../domain/index.js';

/**
 * Refuses a cursor beyond the latest position of its stream: no event would ever follow it, and
 * echoing it back as `next` would leave a client with a corrupted or foreign cursor waiting forever.
 * Called on an empty page only (a page with events proves the cursor is behind), so polling a
 * caught-up feed costs one `max(seq)` read. Positions are the stream's, whoever the events are for,
 * so the check reveals no other party's events beyond how many positions exist.
 */
export async function refuseCursorAhead(after: number, latest: () => Promise<number>): Promise<void> {
  if (after === 0) return;
  const last = await latest();
  if (after > last)
    throw new ParcelgateError(
      'feed.cursor-ahead',
      `after=${after} is beyond the latest position of this feed (${last}): no event will follow it; continue from the last next you stored, or from ${last}`,
      409,
      { after, latest: last },
    );
}
