/**
 * Every party linked to a consignment gets its events (feed and webhooks), each in its own view and
 * each event once: the post that declared it (the owner), the platform and the payment company that
 * sent linked records. A party with no record of the consignment gets nothing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { loadSnapshot, recordOfficerDecision, submitBatch } from '../../clearance/index.js';
import { openSqliteExchangeStore, openSqliteStore } from '../../store/index.js';
import { postalItem } from '../../testing/consignments.js';
import { WebhookDispatcher } from './dispatcher.js';
import { toNotification, type Notification } from './payload.js';
import { createSubscription } from './subscriptions.js';
import { scratchDir } from '../../testing/scratch.js';
import { publicNames } from './testing/destinations.js';

const now = '2026-11-27T10:00:00.000Z';
const ctx = (who: string, at = now) => ({ actor: who, submitterId: who, now: at });

test('the owner and every linked submitter receive the events of a consignment, each in its view, once', async () => {
  const dir = scratchDir('pg-parties-');
  const store = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  try {
    const deps = { store, snapshot: () => loadSnapshot({ randomRate: 0 }) };
    const [post] = await submitBatch(ctx('opr_post'), [postalItem()], deps);
    const order = postalItem({ source: 'platform-order' });
    const [mkt] = await submitBatch(ctx('opr_mkt'), [order], deps);
    // The platform also relays its own payment record: two records, still each event once.
    const [again] = await submitBatch(
      ctx('opr_mkt', '2026-11-27T10:30:00.000Z'),
      [postalItem({ source: 'payment', payment: { reference: 'PAY-MKT-1' } })],
      deps,
    );
    assert.equal(again?.status, 'linked', JSON.stringify(again));
    const payment = postalItem({
      source: 'payment',
      payment: { reference: 'PAY-1', amount: { amount: '24.00', currency: 'EUR' } },
    });
    const [pay] = await submitBatch(ctx('opr_pay'), [payment], deps);
    // Another parcel of another post: none of the three parties may see it.
    await submitBatch(ctx('opr_other'), [postalItem({}, '87654321')], deps);
    assert.equal(mkt?.consignmentId, post?.consignmentId);
    assert.equal(pay?.consignmentId, post?.consignmentId);
    const id = post!.consignmentId!;
    await recordOfficerDecision(
      { actor: 'officer:ana', submitterId: 'officer:ana', now: '2026-11-27T11:00:00.000Z' },
      store,
      id,
      { action: 'inspect', reason: 'suspected counterfeit brand' },
    );
    const all = (await exchange.eventsSince(0, 1000)).filter((e) => e.consignmentId === id);
    const feed = async (who: string) =>
      (await exchange.eventsSince(0, 1000, { submitterId: who })).map((e) => toNotification(e, who));

    const owner = await feed('opr_post');
    assert.deepEqual(
      owner.map((n) => n.seq),
      all.map((e) => e.seq),
    );
    assert.ok(owner.every((n) => n.view === undefined));
    assert.ok(
      owner.some((n) => n.reason === 'suspected counterfeit brand'),
      'the owner sees reasons',
    );

    for (const party of ['opr_mkt', 'opr_pay']) {
      const seen = await feed(party);
      const seqs = seen.map((n) => n.seq);
      assert.equal(new Set(seqs).size, seqs.length, `${party} gets each event once`);
      assert.deepEqual(
        seqs,
        owner.map((n) => n.seq),
        `${party} gets every event of the consignment`,
      );
      for (const n of seen) {
        assert.equal(n.view, 'linked-party');
        if (n.actor !== party) assert.equal(n.reason, undefined, 'no other party or officer reason');
        assert.ok(['customs', 'other-party', party].includes(n.actor));
        for (const k of Object.keys(n.data ?? {}))
          assert.ok(['trigger', 'version', 'location', 'source'].includes(k), `${k} is hidden`);
      }
    }
    assert.deepEqual(await feed('opr_nobody'), []);
    assert.ok((await feed('opr_other')).every((n) => n.consignmentId !== id));

    // Webhooks: one subscription per party; each receives exactly its feed, bodies identical to it.
    const subs = new Map<string, string>();
    for (const who of ['opr_post', 'opr_mkt', 'opr_pay'])
      subs.set(
        (
          await createSubscription(
            exchange,
            { operatorId: who, url: `https://${who}.example/h`, from: 'beginning' },
            now,
            publicNames,
          )
        ).url,
        who,
      );
    const got = new Map<string, Notification[]>();
    const dispatcher = new WebhookDispatcher(exchange, {
      clock: () => new Date('2026-11-27T12:00:00.000Z'),
      post: async (url, body) => {
        const who = subs.get(url)!;
        got.set(who, [...(got.get(who) ?? []), JSON.parse(body) as Notification]);
        return { ok: true };
      },
    });
    while ((await dispatcher.tick()).more);
    for (const who of ['opr_post', 'opr_mkt', 'opr_pay'])
      assert.deepEqual(got.get(who), await feed(who), `${who} webhooks carry its feed`);
  } finally {
    await exchange.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
