/** The exchange store contract: the same tests run against SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClearanceStore } from '../port.js';
import type { ExchangeStore, WebhookSubscription } from '../exchange-port.js';
import { createWrites, fixtureConsignment } from '../testing/fixtures.js';
import { runContributorFeedContract } from './contributors-feed-contract.js';

/** Opens a clearance store and an exchange store over the same database. */
export type OpenPair = () => Promise<{
  clearance: ClearanceStore;
  exchange: ExchangeStore;
  close: () => Promise<void>;
}>;

const sub = (id: string, operatorId: string): WebhookSubscription => ({
  id,
  operatorId,
  url: 'https://r.example/hook',
  secret: 'whsec_AAAA',
  eventTypes: ['consignment.declared'],
  active: true,
  cursor: 0,
  attempts: 0,
  nextAttemptAt: null,
  lastError: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  updatedAt: '2026-11-29T10:00:00.000Z',
});

/** Registers the contract tests for one adapter. */
export function runExchangeContract(name: string, open: OpenPair): void {
  describe(`${name} exchange store contract`, () => {
    runContributorFeedContract(open);

    test('eventsSince pages through the log in seq order, filtered by the owning submitter', async () => {
      const { clearance, exchange, close } = await open();
      try {
        for (const who of ['opr_a', 'opr_b', 'opr_a', 'opr_a']) {
          const c = fixtureConsignment({ submitterId: who });
          await clearance.transact({ keys: [], ids: [] }, () => ({
            writes: createWrites([c]),
            result: null,
          }));
        }
        // PostgreSQL serves events once older concurrent transactions (other tests) have ended.
        let all = await exchange.eventsSince(0, 100);
        for (let i = 0; i < 200 && all.length < 4; i++) {
          await new Promise((r) => setTimeout(r, 25));
          all = await exchange.eventsSince(0, 100);
        }
        assert.equal(all.length, 4);
        assert.deepEqual(
          all.map((e) => e.seq),
          [...all.map((e) => e.seq)].sort((a, b) => a - b),
        );
        const a = await exchange.eventsSince(0, 100, { submitterId: 'opr_a' });
        assert.deepEqual(
          a.map((e) => e.submitterId),
          ['opr_a', 'opr_a', 'opr_a'],
        );
        const page1 = await exchange.eventsSince(0, 2, { submitterId: 'opr_a' });
        const page2 = await exchange.eventsSince(page1[1]!.seq, 2, { submitterId: 'opr_a' });
        assert.deepEqual([...page1, ...page2], a);
        assert.equal(await exchange.latestSeq(), all[3]!.seq);
        assert.deepEqual(await exchange.eventsBySeq([all[2]!.seq, all[0]!.seq]), [all[0], all[2]]);
        await assert.rejects(exchange.eventsSince(-1, 10), { code: 'feed.invalid-cursor' });
        await assert.rejects(exchange.eventsSince(0, 0), { code: 'feed.invalid-limit' });
      } finally {
        await close();
      }
    });

    test('subscriptions keep their progress, dead letters and replay marks', async () => {
      const { exchange, close } = await open();
      try {
        await exchange.addSubscription(sub('whk_1', 'opr_a'));
        await exchange.addSubscription(sub('whk_2', 'opr_b'));
        assert.deepEqual(
          (await exchange.listSubscriptions('opr_a')).map((s) => s.id),
          ['whk_1'],
        );
        const progress = {
          cursor: 7,
          attempts: 0,
          nextAttemptAt: null,
          lastError: 'HTTP 500',
          updatedAt: '2026-11-29T10:01:00.000Z',
        };
        const dead = {
          subscriptionId: 'whk_1',
          seq: 7,
          attempts: 8,
          lastError: 'HTTP 500',
          deadAt: '2026-11-29T10:01:00.000Z',
          replay: false,
        };
        await exchange.saveProgress('whk_1', progress, dead);
        assert.equal((await exchange.getSubscription('whk_1'))?.cursor, 7);
        assert.deepEqual(await exchange.deadLetters('whk_1'), [dead]);
        assert.equal(await exchange.markReplay('whk_1'), 1);
        assert.deepEqual(
          (await exchange.pendingReplays('whk_1', 10)).map((d) => d.seq),
          [7],
        );
        await exchange.settleReplay('whk_1', 7, false, 'HTTP 502');
        assert.deepEqual(
          (await exchange.deadLetters('whk_1')).map((d) => [d.attempts, d.replay, d.lastError]),
          [[9, false, 'HTTP 502']],
        );
        await exchange.markReplay('whk_1', [7]);
        await exchange.settleReplay('whk_1', 7, true, null);
        assert.deepEqual(await exchange.deadLetters('whk_1'), []);
        assert.equal(await exchange.rewind('whk_1', 2, '2026-11-29T10:02:00.000Z'), true);
        assert.equal((await exchange.getSubscription('whk_1'))?.cursor, 2);
        assert.equal(await exchange.setSubscriptionActive('whk_1', false, '2026-11-29T10:03:00.000Z'), true);
        assert.equal((await exchange.getSubscription('whk_1'))?.active, false);
      } finally {
        await close();
      }
    });

    test('a subscription update changes only the fields given and never the cursor', async () => {
      const { exchange, close } = await open();
      try {
        await exchange.addSubscription(sub('whk_u', 'opr_a'));
        await exchange.saveProgress('whk_u', {
          cursor: 5,
          attempts: 3,
          nextAttemptAt: '2026-11-29T11:00:00.000Z',
          lastError: 'HTTP 503',
          updatedAt: '2026-11-29T10:01:00.000Z',
        });
        const before = (await exchange.getSubscription('whk_u'))!;
        const at = '2026-11-29T10:05:00.000Z';
        assert.equal(await exchange.updateSubscription('whk_u', { eventTypes: [] }, at), true);
        assert.deepEqual(await exchange.getSubscription('whk_u'), {
          ...before,
          eventTypes: [],
          updatedAt: at,
        });
        const change = {
          url: 'https://new.example/in',
          eventTypes: ['consignment.released'],
          active: false,
          secret: 'whsec_BBBB',
          resetRetry: true,
        };
        assert.equal(await exchange.updateSubscription('whk_u', change, at), true);
        assert.deepEqual(await exchange.getSubscription('whk_u'), {
          ...before,
          url: change.url,
          eventTypes: change.eventTypes,
          active: false,
          secret: change.secret,
          attempts: 0,
          nextAttemptAt: null,
          lastError: null,
          updatedAt: at,
        });
        assert.equal(await exchange.updateSubscription('whk_none', { active: true }, at), false);
      } finally {
        await close();
      }
    });
    test('signing keys are registered once, listed per operator and revoked once', async () => {
      const { exchange, close } = await open();
      try {
        const key = {
          keyId: 'k1',
          operatorId: 'opr_a',
          purposes: ['order'],
          publicKey: Buffer.alloc(32, 1).toString('base64'),
          registeredAt: '2026-01-01T00:00:00.000Z',
          revokedAt: null,
        };
        await exchange.addSigningKey(key);
        await assert.rejects(exchange.addSigningKey(key), { code: 'keys.exists' });
        assert.deepEqual(await exchange.listSigningKeys('opr_a'), [key]);
        assert.equal(await exchange.revokeSigningKey('k1', '2026-06-01T00:00:00.000Z'), true);
        await exchange.revokeSigningKey('k1', '2026-07-01T00:00:00.000Z');
        assert.equal((await exchange.getSigningKey('k1'))?.revokedAt, '2026-06-01T00:00:00.000Z');
        assert.equal(await exchange.revokeSigningKey('nope', '2026-06-01T00:00:00.000Z'), false);
      } finally {
        await close();
      }
    });

    test('three-document rows: latest document per kind, lists by status and quota values', async () => {
      const { exchange, close } = await open();
      try {
        const doc = {
          orderNo: 'O1',
          kind: 'order',
          version: 1,
          submitterId: 'p',
          keyId: 'k',
          receivedAt: 't1',
          hash: 'h1',
          payload: '{}',
          signature: 's',
        };
        await exchange.putDocument(doc);
        await exchange.putDocument({ ...doc, version: 2, hash: 'h2' });
        assert.deepEqual(
          (await exchange.documents('O1')).map((d) => [d.kind, d.version]),
          [['order', 2]],
        );
        const list = {
          orderNo: 'O1',
          submitterId: 'e',
          status: 'accepted',
          receivedAt: '2026-11-29T10:00:00.000Z',
          decidedAt: '2026-11-29T10:00:00.000Z',
          reasons: [],
          buyerId: 'B',
          quotaYear: '2026',
          valueCny: '100.50',
          consignmentId: 'csg_x',
          payload: '{}',
        };
        await exchange.putList(list);
        await exchange.putList({
          ...list,
          orderNo: 'O2',
          status: 'pending',
          valueCny: '9.00',
          receivedAt: '2026-11-29T09:00:00.000Z',
        });
        assert.deepEqual(await exchange.getList('O1'), list);
        assert.deepEqual(await exchange.quotaValues('B', '2026'), ['100.50']);
        assert.deepEqual(
          (await exchange.listsByStatus('pending', 10, '2026-11-29T09:30:00.000Z')).map((l) => l.orderNo),
          ['O2'],
        );
        assert.deepEqual(await exchange.listsByStatus('pending', 10, '2026-11-29T08:30:00.000Z'), []);
      } finally {
        await close();
      }
    });

    test('exchange notices: written with a list outcome, per party in seq order, each id once per party', async () => {
      const { exchange, close } = await open();
      try {
        const at = '2026-11-29T10:00:00.000Z';
        const n = (id: string, operatorId: string) => ({
          id,
          operatorId,
          type: 'three-doc.pending',
          at,
          body: `{"id":"${id}"}`,
        });
        const list = {
          orderNo: 'N1',
          submitterId: 'e',
          status: 'pending',
          receivedAt: at,
          decidedAt: null,
          reasons: [],
          buyerId: 'B',
          quotaYear: '2026',
          valueCny: '0',
          consignmentId: null,
          payload: '{}',
        };
        await exchange.putList(list, [n('tdn_1', 'e'), n('tdn_1', 'p')]);
        await exchange.addNotices([n('c2f_1', 'e'), n('tdn_1', 'e')]);
        await exchange.putList(list, [n('tdn_1', 'e')]);
        const forE = await exchange.noticesSince('e', 0, 10);
        assert.deepEqual(
          forE.map((x) => x.id),
          ['tdn_1', 'c2f_1'],
        );
        assert.ok(forE[0]!.seq < forE[1]!.seq);
        assert.deepEqual(
          (await exchange.noticesSince('p', 0, 10)).map((x) => [x.id, x.body]),
          [['tdn_1', '{"id":"tdn_1"}']],
        );
        assert.deepEqual(await exchange.noticesSince('e', forE[1]!.seq, 10), []);
        assert.equal(await exchange.latestNoticeSeq(), forE[1]!.seq, 'the outbox head, whoever it is for');
        assert.deepEqual(
          (await exchange.noticesSince('e', 0, 1)).map((x) => x.id),
          ['tdn_1'],
        );
        await assert.rejects(exchange.noticesSince('e', -1, 10), { code: 'feed.invalid-cursor' });
        assert.equal((await exchange.getList('N1'))?.status, 'pending');
      } finally {
        await close();
      }
    });
  });
}
