/**
 * A feed cursor beyond the latest position (a corrupted or foreign `after`) is refused with the
 * latest position, on SQLite and PostgreSQL, for the event feed, the exchange notices and the postal
 * item events: echoing it back as `next` would leave the client waiting forever.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import type { ClearanceStore, ExchangeStore } from '../src/store/index.js';
import { bothStores } from '../src/store/postgres/testing/pg-suite.js';
import { openTempPgStores } from '../src/exchange/testing/pg-stores.js';
import { openTempSqliteStores } from '../src/exchange/testing/sqlite-stores.js';
import { postalItem } from '../src/testing/consignments.js';
import { publicNames } from '../src/exchange/webhooks/testing/destinations.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const cursorAhead = ': a feed cursor beyond the latest position is a 409 feed.cursor-ahead naming the latest';

type Stores = { store: ClearanceStore; exchange: ExchangeStore; close: () => Promise<void> };

function cursorAheadOn(backend: 'sqlite' | 'postgres', open: () => Promise<Stores>): void {
  test(`${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${cursorAhead}`, async () => {
    const stores = await open();
    const app = await buildApp({
      store: stores.store,
      exchange: stores.exchange,
      snapshot: () => snapshot,
      clock: () => new Date('2026-11-29T10:00:00Z'),
      webhookDestinations: publicNames,
    });
    try {
      const h = { 'x-submitter-id': 'post-a' };
      // Empty log: any cursor above 0 is ahead.
      const empty = await app.inject({ url: '/v1/feed?after=5', headers: h });
      assert.equal(empty.statusCode, 409, empty.body);
      assert.equal(empty.json().code, 'feed.cursor-ahead');
      assert.equal(empty.json().latest, 0);
      assert.deepEqual((await app.inject({ url: '/v1/feed?after=0', headers: h })).json(), {
        events: [],
        next: 0,
      });

      for (const serial of ['10000001', '10000002']) {
        const r = await app.inject({
          method: 'POST',
          url: '/v1/consignments',
          headers: h,
          payload: postalItem({}, serial),
        });
        assert.equal(r.statusCode, 201, r.body);
      }
      // Another party's later consignment: the latest position is the log's, not the caller's.
      const other = { 'x-submitter-id': 'post-b' };
      await app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: other,
        payload: postalItem({}, '10000003'),
      });
      const all = (await app.inject({ url: '/v1/feed?after=0', headers: other })).json() as {
        next: number;
      };
      const mine = (await app.inject({ url: '/v1/feed?after=0', headers: h })).json() as { next: number };
      assert.ok(mine.next < all.next);
      // Caught up, at its own last position or the log's: an empty page, the same cursor.
      assert.deepEqual((await app.inject({ url: `/v1/feed?after=${mine.next}`, headers: h })).json(), {
        events: [],
        next: mine.next,
      });
      assert.deepEqual((await app.inject({ url: `/v1/feed?after=${all.next}`, headers: h })).json(), {
        events: [],
        next: all.next,
      });
      const ahead = await app.inject({ url: `/v1/feed?after=${all.next + 1}`, headers: h });
      assert.equal(ahead.statusCode, 409, ahead.body);
      assert.equal(ahead.json().code, 'feed.cursor-ahead');
      assert.equal(ahead.json().latest, all.next);
      assert.match(ahead.json().detail ?? ahead.json().message, new RegExp(`${all.next}`));
      const xml = await app.inject({ url: `/v1/postal/events.xml?after=${all.next + 1}`, headers: h });
      assert.equal(xml.statusCode, 409, xml.body);
      assert.equal(xml.json().code, 'feed.cursor-ahead');

      // A webhook start or replay position past the next event is refused the same way: the
      // subscription would otherwise skip every event up to it once the log got there.
      const subscribe = (from: number) =>
        app.inject({
          method: 'POST',
          url: '/v1/webhooks',
          headers: h,
          payload: { url: 'https://receiver.example/hook', from },
        });
      const tooFar = await subscribe(all.next + 2);
      assert.equal(tooFar.statusCode, 400, tooFar.body);
      assert.equal(tooFar.json().code, 'webhook.invalid-from');
      assert.equal(tooFar.json().latest, all.next);
      const next = await subscribe(all.next + 1);
      assert.equal(next.statusCode, 201, next.body);
      const replayTooFar = await app.inject({
        method: 'POST',
        url: `/v1/webhooks/${next.json().id}/replay`,
        headers: h,
        payload: { fromSeq: all.next + 2 },
      });
      assert.equal(replayTooFar.statusCode, 400, replayTooFar.body);
      assert.equal(replayTooFar.json().code, 'webhook.invalid-from');

      // The exchange-notices stream has its own positions.
      const notices = await app.inject({ url: '/v1/feed?stream=exchange-notices&after=0', headers: h });
      assert.deepEqual(notices.json(), { events: [], next: 0 });
      const noticesAhead = await app.inject({
        url: '/v1/feed?stream=exchange-notices&after=1',
        headers: h,
      });
      assert.equal(noticesAhead.statusCode, 409, noticesAhead.body);
      assert.equal(noticesAhead.json().latest, 0);
      await stores.exchange.addNotices([
        {
          id: 'tdn_1',
          operatorId: 'post-b',
          type: 'three-doc.pending',
          at: '2026-11-29T10:00:00Z',
          body: '{}',
        },
      ]);
      const latestNotice = await stores.exchange.latestNoticeSeq();
      assert.ok(latestNotice > 0);
      assert.deepEqual(
        (
          await app.inject({ url: `/v1/feed?stream=exchange-notices&after=${latestNotice}`, headers: h })
        ).json(),
        { events: [], next: latestNotice },
      );
    } finally {
      await app.close();
      await stores.close();
    }
  });
}

bothStores(`PostgreSQL${cursorAhead}`, cursorAheadOn, {
  sqlite: () => openTempSqliteStores('feed-cursor-'),
  postgres: (url, freshSchema) => openTempPgStores(url, freshSchema('feedcur')),
});
