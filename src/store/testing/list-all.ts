/** Paging through a store's listing in tests. */
import assert from 'node:assert/strict';
import type { ClearanceStore, ListQuery } from '../port.js';

/** Every id a listing returns, page by page, asserting that only the last page is short. */
export async function listAll(
  store: ClearanceStore,
  query: Omit<ListQuery, 'limit'>,
  limit: number,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10_000; page += 1) {
    const { items, nextCursor } = await store.list({
      ...query,
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    assert.ok(items.length <= limit);
    seen.push(...items.map((i) => i.id));
    if (nextCursor === null) return seen;
    assert.equal(items.length, limit, 'only the last page may be short');
    cursor = nextCursor;
  }
  throw new Error('paging did not end');
}
