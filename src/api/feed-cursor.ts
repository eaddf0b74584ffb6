/** The feed cursor checks shared by `/v1/feed` and the postal item events. */
import { ParcelgateError } from '../domain/index.js';
import { fieldCodes } from './validation-issues.js';

/** The most events one feed page holds (`limit`). */
export const maxFeedLimit = 1000;

/**
 * The feed's query problems with the feed's own codes (a route's `schemaErrorFormatter`): `after` that
 * is not a whole number >= 0 is `feed.invalid-cursor`, `limit` outside 1 to 1,000 `feed.invalid-limit`.
 */
export const feedQueryErrors = fieldCodes({
  '/after': {
    code: 'feed.invalid-cursor',
    message: 'after must be a whole number >= 0: the `next` of the last page read, or 0 for the start',
  },
  '/limit': {
    code: 'feed.invalid-limit',
    message: `limit must be a whole number from 1 to ${maxFeedLimit}`,
  },
});

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
