/**
 * What customs decided, told to every party of a three-document order with each operator's own key
 * (docs/three-documents.md, "What customs decided"): the order status shows the consignment's
 * clearance state, the decision and when it changed, after an officer's decision and a carrier event,
 * without the consignment id, the buyer's personal data, the officer's reason or finding, the risk
 * assessment or the amounts due. Outsiders read nothing of the order.
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
const otherParties = ['order', 'payment', 'waybill'] as const;

const reason = 'X-ray shows a second tin SECRET-REASON-7';
const finding = 'undeclared-goods';

async function acceptedOrder(k: KeysApp) {
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
  for (const kind of ['order', 'payment', 'waybill', 'list'] as const) {
    const payload = JSON.stringify(docs[kind]);
    const res = await k.app.inject({
      method: 'POST',
      url: kind === 'list' ? '/v1/three-documents/lists' : `/v1/three-documents/${kind}`,
      headers: bearer(keyOf[kind]),
      payload: { keyId: `k-${kind}`, payload, signature: signPayload(signing.privateKeyPem, kind, payload) },
    });
    assert.equal(res.statusCode, 200, res.body);
  }
  const get = (key: string, url: string) => k.app.inject({ url, headers: bearer(key) });
  const status = async (kind: Kind) => {
    const res = await get(keyOf[kind], `/v1/three-documents/orders/${docs.order.orderNo}`);
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };
  const listed = (await status('list')).json() as { list: { status: string; consignmentId: string } };
  assert.equal(listed.list.status, 'accepted');
  return { docs, keyOf, get, status, consignmentId: listed.list.consignmentId };
}

/** Nothing in a body a party other than the list's submitter reads names what it may not know. */
function assertPartySafe(body: string, docs: ReturnType<typeof sampleThreeDocuments>, what: string): void {
  for (const secret of [
    'csg_',
    docs.list.buyer.idNumber,
    docs.list.buyer.name,
    docs.list.consignee.address,
    'SECRET-REASON',
    finding,
    'dueAtBorder',
    'taxLines',
    'score',
    'risk',
    'quota',
  ])
    assert.ok(!body.includes(secret), `${what}: ${secret} is not shown in ${body}`);
}

test('every party of a three-document order reads what customs decided on its consignment, and nothing it may not know', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const { docs, keyOf, get, status, consignmentId } = await acceptedOrder(k);
    const decide = async (action: string, extra: Record<string, unknown> = {}) => {
      const res = await k.app.inject({
        method: 'POST',
        url: `/v1/consignments/${consignmentId}/decisions`,
        headers: bearer(k.keyOf.officer),
        payload: { action, reason, ...extra },
      });
      assert.equal(res.statusCode, 200, res.body);
    };
    const clearanceOf = async (kind: Kind) =>
      ((await status(kind)).json() as { list: { clearance?: Record<string, unknown> } }).list.clearance;

    const first = await clearanceOf('waybill');
    assert.ok(first !== undefined, 'an accepted list says what customs decided');

    k.setNow('2026-11-28T10:00:00.000Z');
    await decide('inspect', { finding });
    for (const kind of ['list', ...otherParties] as const)
      assert.deepEqual(
        await clearanceOf(kind),
        {
          state: 'held-for-inspection',
          decision: 'HOLD_PHYSICAL_EXAM',
          changedAt: '2026-11-28T10:00:00.000Z',
        },
        `${kind}: the officer's hold`,
      );

    k.setNow('2026-11-28T11:00:00.000Z');
    await decide('release');
    for (const kind of otherParties)
      assert.deepEqual(await clearanceOf(kind), {
        state: 'released-before-arrival',
        decision: 'RELEASE',
        changedAt: '2026-11-28T11:00:00.000Z',
      });

    // The carrier's delivery, reported on the consignment by its owner (the list's submitter).
    k.setNow('2026-11-29T09:00:00.000Z');
    const delivered = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${consignmentId}/carrier-events`,
      headers: bearer(keyOf.list),
      payload: { type: 'delivered', at: '2026-11-29T08:30:00.000Z', location: 'Beijing' },
    });
    assert.equal(delivered.statusCode, 200, delivered.body);
    for (const kind of otherParties) {
      const res = await status(kind);
      const list = (res.json() as { list: Record<string, unknown> }).list;
      assert.deepEqual(list.clearance, {
        state: 'released',
        decision: 'RELEASE',
        changedAt: '2026-11-29T08:30:00.000Z',
      });
      assert.equal(list.consignmentId, undefined);
      assertPartySafe(res.body, docs, kind);
    }
    // The list's submitter still reads its consignment id; the amounts are on the consignment's response.
    const own = (await status('list')).json() as { list: { consignmentId?: string; clearance?: unknown } };
    assert.equal(own.list.consignmentId, consignmentId);

    // Outsiders (another operator, an analyst) read nothing of the order.
    for (const key of [k.keyOf.submitter, k.keyOf.analyst]) {
      const res = await get(key, `/v1/three-documents/orders/${docs.order.orderNo}`);
      assert.ok(res.statusCode === 404 || res.statusCode === 403, `${res.statusCode} ${res.body}`);
      assert.ok(!res.body.includes('released'), res.body);
    }
  } finally {
    await k.close();
  }
});

test('a seizure reaches the parties as its state and decision, without the reason or finding', async () => {
  const k = await keysApp({}, { exchange: true });
  try {
    const { docs, status, consignmentId } = await acceptedOrder(k);
    k.setNow('2026-11-28T12:00:00.000Z');
    const seize = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${consignmentId}/decisions`,
      headers: bearer(k.keyOf.officer),
      payload: { action: 'inspect', reason },
    });
    assert.equal(seize.statusCode, 200, seize.body);
    const seized = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${consignmentId}/decisions`,
      headers: bearer(k.keyOf.officer),
      payload: { action: 'seize', reason, finding: 'counterfeit' },
    });
    assert.equal(seized.statusCode, 200, seized.body);
    for (const kind of otherParties) {
      const res = await status(kind);
      assert.deepEqual((res.json() as { list: { clearance: unknown } }).list.clearance, {
        state: 'seized',
        decision: 'SEIZE',
        changedAt: '2026-11-28T12:00:00.000Z',
      });
      assertPartySafe(res.body, docs, kind);
      assert.ok(!res.body.includes('counterfeit'), res.body);
    }
  } finally {
    await k.close();
  }
});
