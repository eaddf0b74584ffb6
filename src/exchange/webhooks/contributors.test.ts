/**
 * A carrier whose waybill linked to a platform's order lists that consignment and hears what happens
 * to it, by feed and webhook, each event once: on SQLite and on PostgreSQL (when a test database is
 * configured). A consignment it sent no record of stays out of its list, feed and deliveries.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadSnapshot, recordOfficerDecision, submitBatch } from '../../clearance/index.js';
import type { ClearanceStore, ExchangeStore } from '../../store/index.js';
import { bothStores } from '../../store/postgres/testing/pg-suite.js';
import { postalItem } from '../../testing/consignments.js';
import { openTempPgStores } from '../testing/pg-stores.js';
import { openTempSqliteStores } from '../testing/sqlite-stores.js';
import { WebhookDispatcher } from './dispatcher.js';
import { toNotification, type Notification } from './payload.js';
import { createSubscription } from './subscriptions.js';
import { publicNames } from './testing/destinations.js';

type Pair = { store: ClearanceStore; exchange: ExchangeStore; close: () => Promise<void> };

const ctx = (who: string, now: string) => ({ actor: who, submitterId: who, now });
function contributorsOn(name: string, open: () => Promise<Pair>): void {
  describe(`contributors on ${name}`, () => {
    test('a carrier lists the platform order its waybill linked to and receives its events once, by feed and webhook', async () => {
      const { store, exchange, close } = await open();
      try {
        const deps = { store, snapshot: () => loadSnapshot({ randomRate: 0 }) };
        const order = postalItem({ source: 'platform-order' });
        const [made] = await submitBatch(ctx('opr_platform', '2026-11-27T10:00:00.000Z'), [order], deps);
        assert.equal(made?.status, 'created');
        const id = made!.consignmentId!;
        // Another order of the platform, which the carrier does not carry.
        const [elsewhere] = await submitBatch(
          ctx('opr_platform', '2026-11-27T10:05:00.000Z'),
          [postalItem({ source: 'platform-order' }, '87654321')],
          deps,
        );
        // The carrier's waybill of the first order, and a parcel of its own.
        const [linked] = await submitBatch(
          ctx('opr_carrier', '2026-11-27T10:10:00.000Z'),
          [postalItem({ source: 'carrier-waybill' })],
          deps,
        );
        assert.equal(linked?.status, 'linked', JSON.stringify(linked));
        assert.equal(linked?.consignmentId, id);
        const [own] = await submitBatch(
          ctx('opr_carrier', '2026-11-27T10:20:00.000Z'),
          [postalItem({ source: 'carrier-waybill' }, '11112222')],
          deps,
        );
        const officer = ctx('officer:ana', '2026-11-27T11:00:00.000Z');
        await recordOfficerDecision(officer, store, id, {
          action: 'inspect',
          reason: 'suspected counterfeit brand',
        });

        // The list: its own parcel and the linked one, newest first; not the platform's other order.
        const listed = await store.list({ partyId: 'opr_carrier', limit: 10 });
        assert.deepEqual(
          listed.items.map((i) => i.id),
          [own!.consignmentId, id],
        );
        assert.ok(!listed.items.some((i) => i.id === elsewhere!.consignmentId));
        assert.deepEqual(
          (await store.list({ submitterId: 'opr_carrier', limit: 10 })).items.map((i) => i.id),
          [own!.consignmentId],
          'for officers, submitter is the creator',
        );

        // The feed: every event of both consignments, the officer's hold included, in the linked view.
        const expected = async () => {
          const all = await exchange.eventsSince(0, 1000);
          return all.filter((e) => e.consignmentId === id || e.consignmentId === own!.consignmentId);
        };
        let events = await expected();
        for (let i = 0; i < 200 && !events.some((e) => e.actor === 'officer:ana'); i++) {
          await new Promise((r) => setTimeout(r, 25));
          events = await expected();
        }
        const feed = (await exchange.eventsSince(0, 1000, { submitterId: 'opr_carrier' })).map((e) =>
          toNotification(e, 'opr_carrier'),
        );
        assert.deepEqual(
          feed.map((n) => n.seq),
          events.map((e) => e.seq),
        );
        const hold = feed.find(
          (n) => n.consignmentId === id && n.actor === 'customs' && n.to === 'held-for-inspection',
        );
        assert.ok(hold, 'the carrier hears of the hold');
        assert.equal(hold.view, 'linked-party');
        assert.equal(hold.reason, undefined, 'not the officer reason');

        // Webhooks: the carrier's subscription receives exactly its feed, each event once, also when
        // the dispatcher runs again and when a later decision adds one event.
        await createSubscription(
          exchange,
          { operatorId: 'opr_carrier', url: 'https://carrier.example/h', from: 'beginning' },
          officer.now,
          publicNames,
        );
        const got: Notification[] = [];
        const dispatcher = new WebhookDispatcher(exchange, {
          clock: () => new Date('2026-11-27T12:00:00.000Z'),
          post: async (_url, body) => {
            got.push(JSON.parse(body) as Notification);
            return { ok: true };
          },
        });
        while ((await dispatcher.tick()).more);
        assert.deepEqual(got, feed);
        await dispatcher.tick();
        assert.equal(got.length, feed.length, 'nothing is sent twice');
        await recordOfficerDecision(ctx('officer:ana', '2026-11-27T12:30:00.000Z'), store, id, {
          action: 'release',
          reason: 'inspection found nothing',
        });
        for (let i = 0; i < 200 && got.length === feed.length; i++) {
          await dispatcher.tick();
          if (got.length === feed.length) await new Promise((r) => setTimeout(r, 25));
        }
        assert.equal(got.length, feed.length + 1);
        assert.equal(got[got.length - 1]?.consignmentId, id);
        assert.equal(new Set(got.map((n) => n.id)).size, got.length, 'each event once');
      } finally {
        await close();
      }
    });
  });
}

bothStores('contributors on postgres', contributorsOn, {
  sqlite: () => openTempSqliteStores('contributors-'),
  postgres: (url, freshSchema) => openTempPgStores(url, freshSchema('contrib')),
});
