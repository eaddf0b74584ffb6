import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSnapshot } from '../src/clearance/index.js';
import {
  WebhookDispatcher,
  exchangeNoticeStream,
  generateSigningKeyPair,
  reportOverdue,
  sampleThreeDocuments,
  type DataSharingAgreement,
  type StreamDeadLetter,
  type StreamState,
  type StreamStateStore,
} from '../src/exchange/index.js';
import { startReceiver } from '../src/exchange/webhooks/test-receiver.js';
import { loopbackReceivers } from '../src/exchange/webhooks/testing/destinations.js';
import { cnDeAgreement, cnExportData } from '../src/exchange/testing/c2c-fixtures.js';
import { openExchangeApp, sendThreeDocument, threeDocOperators } from './helpers/exchange-app.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-25T10:00:00.000Z';
const agreement: DataSharingAgreement = cnDeAgreement();
const deKeys = generateSigningKeyPair();

const setup = () =>
  openExchangeApp({
    prefix: 'pg-notices-',
    snapshot,
    now,
    webhookDestinations: loopbackReceivers,
    c2c: {
      agreements: [agreement],
      administration: { operatorId: 'customs-de', keyId: 'de-1', privateKeyPem: deKeys.privateKeyPem },
    },
  });

type Notice = {
  id: string;
  seq: number;
  type: string;
  orderNo?: string;
  status?: string;
  reasons?: { code: string; field?: string }[];
  consignmentId?: string | null;
  findings?: { inReplyTo: string; use: string };
  envelope?: unknown;
};

const ops = threeDocOperators;

test('three-document outcomes reach every party of the order through the feed, once each', async () => {
  const t = await setup();
  try {
    const feed = async (who: string, after = 0) =>
      (
        await t.app.inject({
          url: `/v1/feed?stream=exchange-notices&after=${after}`,
          headers: { 'x-submitter-id': who },
        })
      ).json() as { events: Notice[]; next: number };
    const docs = sampleThreeDocuments();
    const keys = generateSigningKeyPair();
    const send = async (kind: keyof typeof ops) => {
      const { res } = await sendThreeDocument(t.app, kind, keys, docs);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { status?: string };
    };
    await send('order');
    await send('payment');
    assert.equal((await send('list')).status, 'pending');
    // The waybill is missing: the list's submitter and the parties that sent documents hear of it.
    for (const who of [ops.list, ops.order, ops.payment]) {
      const page = await feed(who);
      assert.deepEqual(
        page.events.map((e) => [e.type, e.orderNo, e.reasons?.map((r) => r.field)]),
        [['three-doc.pending', docs.order.orderNo, ['waybill']]],
        who,
      );
    }
    assert.deepEqual((await feed(ops.waybill)).events, [], 'not yet a party');
    const before = await feed(ops.list);
    await send('waybill');
    const accepted = await feed(ops.list, before.next);
    assert.equal(accepted.events.length, 1);
    const notice = accepted.events[0]!;
    assert.equal(notice.type, 'three-doc.accepted');
    assert.match(notice.consignmentId ?? '', /^csg_/);
    assert.match(notice.id, /^tdn_/);
    for (const who of [ops.order, ops.payment, ops.waybill]) {
      const all = await feed(who);
      assert.deepEqual(
        all.events.filter((e) => e.type === 'three-doc.accepted').map((e) => e.id),
        [notice.id],
        `${who} gets the acceptance once, with the same id`,
      );
    }
    assert.deepEqual((await feed('opr_outsider')).events, []);
    assert.deepEqual(await feed(ops.list, accepted.next), { events: [], next: accepted.next });
    // Sending the accepted list again changes nothing and notifies nobody again.
    await send('list');
    assert.deepEqual((await feed(ops.list, accepted.next)).events, []);
  } finally {
    await t.close();
  }
});

test('a list still waiting after the timeout is reported missing to the parties, once', async () => {
  const t = await setup();
  try {
    const docs = sampleThreeDocuments();
    const keys = generateSigningKeyPair();
    for (const kind of ['order', 'list'] as const) {
      const { res } = await sendThreeDocument(t.app, kind, keys, docs);
      assert.equal(res.statusCode, 200, res.body);
    }
    const later = new Date(Date.parse(now) + 2 * 3_600_000).toISOString();
    assert.equal((await reportOverdue({ exchange: t.exchange, timeoutMinutes: 60 }, later)).length, 1);
    assert.equal((await reportOverdue({ exchange: t.exchange, timeoutMinutes: 60 }, later)).length, 0);
    for (const who of [ops.list, ops.order]) {
      const page = (
        await t.app.inject({ url: '/v1/feed?stream=exchange-notices', headers: { 'x-submitter-id': who } })
      ).json() as { events: Notice[] };
      assert.deepEqual(
        page.events.map((e) => [e.type, e.reasons?.map((r) => `${r.code} ${r.field}`)]),
        [
          ['three-doc.pending', ['three-doc.missing payment', 'three-doc.missing waybill']],
          [
            'three-doc.missing',
            ['three-doc.missing-after-timeout payment', 'three-doc.missing-after-timeout waybill'],
          ],
        ],
        who,
      );
    }
  } finally {
    await t.close();
  }
});

test('customs-to-customs findings reach the origin administration through the feed and by webhook', async () => {
  const t = await setup();
  try {
    const cnKeys = generateSigningKeyPair();
    for (const [who, key, purpose] of [
      ['customs-cn', cnKeys, 'export-data'],
      ['customs-de', deKeys, 'findings'],
    ] as const) {
      const reg = await t.app.inject({
        method: 'POST',
        url: '/v1/signing-keys',
        headers: { 'x-submitter-id': who },
        payload: {
          keyId: who === 'customs-cn' ? 'cn-1' : 'de-1',
          publicKey: key.publicKey,
          purposes: [purpose],
        },
      });
      assert.equal(reg.statusCode, 201, reg.body);
    }
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const receiver = await startReceiver(
      secret,
      () => ({ status: 200, keep: true }),
      () => Date.parse(now) / 1000,
    );
    try {
      const sub = await t.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: { 'x-submitter-id': 'customs-cn' },
        payload: { url: receiver.url, secret, eventTypes: ['c2c.findings'] },
      });
      assert.equal(sub.statusCode, 201, sub.body);
      const env = cnExportData(agreement, cnKeys.privateKeyPem);
      const post = () =>
        t.app.inject({
          method: 'POST',
          url: '/v1/customs/export-data',
          headers: { 'x-submitter-id': 'customs-cn' },
          payload: env,
        });
      const answer = await post();
      assert.equal(answer.statusCode, 200, answer.body);
      assert.equal((await post()).statusCode, 200, 'the same message again');
      const page = (
        await t.app.inject({
          url: '/v1/feed?stream=exchange-notices',
          headers: { 'x-submitter-id': 'customs-cn' },
        })
      ).json() as { events: Notice[] };
      assert.equal(page.events.length, 1, 'one findings notice per export data message');
      const n = page.events[0]!;
      assert.equal(n.type, 'c2c.findings');
      assert.equal(n.findings?.inReplyTo, 'm1');
      assert.equal(n.findings?.use, 'pre-arrival');
      assert.ok(n.envelope !== undefined, 'the signed findings travel with the notice');
      const other = (
        await t.app.inject({
          url: '/v1/feed?stream=exchange-notices',
          headers: { 'x-submitter-id': 'customs-de' },
        })
      ).json() as { events: Notice[] };
      assert.deepEqual(other.events, []);

      // The webhook dispatcher delivers the same notice, signed, with its id as webhook-id.
      const states = new Map<string, StreamState>();
      const memory: StreamStateStore = {
        state: async (s, st) => states.get(`${s}:${st}`),
        save: async (s, st, state) => void states.set(`${s}:${st}`, { ...state }),
        deadLetters: async () => [] as StreamDeadLetter[],
      };
      const d = new WebhookDispatcher(t.exchange, {
        destinations: loopbackReceivers,
        streams: [exchangeNoticeStream(t.exchange, memory)],
        clock: () => new Date(now),
      });
      await d.tick();
      await d.tick();
      assert.deepEqual(
        receiver.kept.filter((r) => r.id.startsWith('c2f_')).map((r) => [r.id, r.signatureOk]),
        [[n.id, true]],
      );
      const body = JSON.parse(receiver.kept.find((r) => r.id === n.id)!.body) as Notice;
      assert.equal(body.findings?.inReplyTo, 'm1');
    } finally {
      await receiver.close();
    }
  } finally {
    await t.close();
  }
});

test("a rejected list's reasons tell the other parties which field disagrees, never the buyer's identity or yearly total", async () => {
  const t = await setup();
  try {
    const docs = sampleThreeDocuments('ORD-2026-0077');
    const other = sampleThreeDocuments('ORD-2026-0077', '300.00', '11010519851120456');
    // The payment names another payer (number and name) than the list.
    docs.payment = { ...docs.payment, payerIdNumber: other.list.buyer.idNumber, payerName: 'Wang Fang' };
    const keys = generateSigningKeyPair();
    for (const kind of ['order', 'payment', 'waybill', 'list'] as const) {
      const { res } = await sendThreeDocument(t.app, kind, keys, docs);
      assert.equal(res.statusCode, 200, res.body);
    }
    const personal = [docs.list.buyer.idNumber, other.list.buyer.idNumber, 'Wang Fang', 'Li Wei'];
    const leaked = (text: string) => personal.filter((p) => text.includes(p));
    const feed = async (who: string) =>
      (
        await t.app.inject({
          url: '/v1/feed?stream=exchange-notices&after=0',
          headers: { 'x-submitter-id': who },
        })
      ).json() as { events: Notice[] };
    const status = async (who: string) =>
      (
        await t.app.inject({
          url: `/v1/three-documents/orders/${docs.order.orderNo}`,
          headers: { 'x-submitter-id': who },
        })
      ).body;
    const listNotice = (await feed(ops.list)).events.find((e) => e.type === 'three-doc.rejected')!;
    assert.ok(listNotice, 'the list is rejected');
    assert.deepEqual(listNotice.reasons!.map((r) => r.field).sort(), ['buyer.idNumber', 'buyer.name']);
    assert.notDeepEqual(leaked(JSON.stringify(listNotice)), [], "the list's submitter reads the values");
    for (const who of [ops.order, ops.payment, ops.waybill]) {
      const notices = (await feed(who)).events.filter((e) => e.type === 'three-doc.rejected');
      assert.equal(notices.length, 1, who);
      assert.deepEqual(
        notices[0]!.reasons!.map((r) => r.field).sort(),
        ['buyer.idNumber', 'buyer.name'],
        `${who} learns which fields disagree`,
      );
      assert.deepEqual(leaked(JSON.stringify(notices[0])), [], `${who}'s notice`);
      assert.deepEqual(leaked(await status(who)), [], `${who}'s order status`);
    }
  } finally {
    await t.close();
  }
});
