/**
 * The parties of a three-document order through the API with each operator's own key
 * (docs/three-documents.md, "Outcomes and reports"): the accepted list becomes a consignment of the
 * list's submitter, its only record. The platform, the payment company and the logistics company are
 * parties of the order, not contributors of that consignment (no record of theirs is in it), so what
 * they are told (the notice, the answer to the document that completed the list, the order status)
 * carries no consignment id they could not read, nor the buyer's quota use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, keysApp, type KeysApp } from '../src/access/testing.js';
import { generateSigningKeyPair, sampleThreeDocuments, signPayload } from '../src/exchange/index.js';

type Kind = 'order' | 'payment' | 'waybill' | 'list';
const operatorOf: Record<Kind, string> = {
  order: 'op-platform',
  payment: 'op-payco',
  waybill: 'op-logico',
  list: 'op-enterprise',
};

type Notice = { type: string; orderNo: string; status: string; consignmentId: string | null };

async function setUp(k: KeysApp) {
  const keyOf = {} as Record<Kind, string>;
  const signing = generateSigningKeyPair();
  for (const kind of Object.keys(operatorOf) as Kind[]) {
    keyOf[kind] = (
      await k.keys.create({ role: 'submitter', operatorId: operatorOf[kind], actor: 'admin:test' })
    ).plaintext;
    const reg = await k.app.inject({
      method: 'POST',
      url: '/v1/signing-keys',
      headers: bearer(k.keyOf.admin),
      payload: {
        operatorId: operatorOf[kind],
        keyId: `k-${kind}`,
        publicKey: signing.publicKey,
        purposes: [kind],
      },
    });
    assert.equal(reg.statusCode, 201, reg.body);
  }
  const docs = sampleThreeDocuments();
  const send = async (kind: Kind) => {
    const payload = JSON.stringify(docs[kind]);
    const res = await k.app.inject({
      method: 'POST',
      url: kind === 'list' ? '/v1/three-documents/lists' : `/v1/three-documents/${kind}`,
      headers: bearer(keyOf[kind]),
      payload: {
        keyId: `k-${kind}`,
        payload,
        signature: signPayload(signing.privateKeyPem, kind, payload),
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as Record<string, unknown>;
  };
  const get = (kind: Kind, url: string) => k.app.inject({ url, headers: bearer(keyOf[kind]) });
  return { docs, send, get };
}

test('the parties of an accepted three-document order are told nothing they cannot use: the consignment id goes to the list submitter only', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const { docs, send, get } = await setUp(k);
    await send('order');
    await send('payment');
    assert.equal((await send('list')).status, 'pending');
    // The waybill completes the list: the logistics company's answer holds the outcome.
    const completed = (await send('waybill')).list as Record<string, unknown>;
    assert.equal(completed.status, 'accepted');
    assert.equal(completed.consignmentId, undefined, 'no consignment id for the waybill sender');
    assert.equal(completed.quota, undefined, "no buyer's quota use for the waybill sender");

    const notices = async (kind: Kind) => {
      const res = await get(kind, '/v1/feed?stream=exchange-notices');
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { events: Notice[] }).events.filter((e) => e.type === 'three-doc.accepted');
    };
    const [mine] = await notices('list');
    const id = mine?.consignmentId ?? '';
    assert.match(id, /^csg_/, 'the list submitter is told its consignment');
    for (const url of [`/v1/consignments/${id}`, `/v1/consignments/${id}/response`]) {
      const own = await get('list', url);
      assert.equal(own.statusCode, 200, `${url}: ${own.body}`);
    }
    const status = (await get('list', `/v1/three-documents/orders/${docs.order.orderNo}`)).json() as {
      list: { consignmentId?: string };
    };
    assert.equal(status.list.consignmentId, id);

    for (const kind of ['order', 'payment', 'waybill'] as const) {
      const got = await notices(kind);
      assert.equal(got.length, 1, `${kind}: the acceptance is notified`);
      assert.equal(got[0]?.orderNo, docs.order.orderNo);
      assert.equal(got[0]?.consignmentId, null, `${kind}: no id it cannot read`);
      const order = await get(kind, `/v1/three-documents/orders/${docs.order.orderNo}`);
      assert.equal(order.statusCode, 200, order.body);
      const list = (order.json() as { list: Record<string, unknown> }).list;
      assert.equal(list.status, 'accepted');
      assert.equal(list.consignmentId, undefined, `${kind}: the order status names no consignment`);
      // The consignment itself stays the list submitter's: another party's key reads nothing of it.
      for (const path of ['', '/response', '/events', '/history'])
        assert.equal((await get(kind, `/v1/consignments/${id}${path}`)).statusCode, 404, `${kind} ${path}`);
      const listed = (await get(kind, '/v1/consignments')).json() as { items: unknown[] };
      assert.deepEqual(listed.items, []);
    }
  } finally {
    await k.close();
  }
});
