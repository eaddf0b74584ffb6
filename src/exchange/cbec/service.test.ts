import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { loadSnapshot, type PipelineDeps } from '../../clearance/index.js';
import { ParcelgateError } from '../../domain/index.js';
import { openSqliteExchangeStore, openSqliteStore } from '../../store/index.js';
import { generateSigningKeyPair, registerSigningKey, signPayload } from '../signing/index.js';
import { sampleThreeDocuments } from './samples.js';
import {
  listReports,
  orderStatus,
  receiveDocument,
  receiveList,
  reportOverdue,
  type ThreeDocDeps,
} from './service.js';
import { scratchDir } from '../../testing/scratch.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const now = '2026-11-29T10:00:00.000Z';
const parties = {
  order: { operator: 'opr_platform', keys: generateSigningKeyPair() },
  payment: { operator: 'opr_payco', keys: generateSigningKeyPair() },
  waybill: { operator: 'opr_logico', keys: generateSigningKeyPair() },
  list: { operator: 'opr_enterprise', keys: generateSigningKeyPair() },
} as const;
type Kind = keyof typeof parties;

async function setup() {
  const dir = scratchDir('pg-3doc-');
  const store = openSqliteStore({ dataDir: dir });
  const exchange = openSqliteExchangeStore({ dataDir: dir });
  const pipeline: PipelineDeps = { store, snapshot: () => snapshot };
  for (const [kind, p] of Object.entries(parties))
    await registerSigningKey(
      exchange,
      { keyId: `key_${kind}`, operatorId: p.operator, publicKey: p.keys.publicKey, purposes: [kind] },
      '2026-01-01T00:00:00Z',
    );
  const deps: ThreeDocDeps = { exchange, pipeline, timeoutMinutes: 60 };
  const close = async () => {
    await exchange.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { deps, store, exchange, close };
}

function envelope(kind: Kind, doc: unknown) {
  const payload = JSON.stringify(doc);
  return {
    keyId: `key_${kind}`,
    payload,
    signature: signPayload(parties[kind].keys.privateKeyPem, kind, payload),
  };
}

const ctxOf = (kind: Kind, at = now) => ({
  actor: parties[kind].operator,
  submitterId: parties[kind].operator,
  now: at,
});

async function sendAll(deps: ThreeDocDeps, docs: ReturnType<typeof sampleThreeDocuments>, at = now) {
  for (const kind of ['order', 'payment', 'waybill'] as const)
    await receiveDocument(deps, kind, envelope(kind, docs[kind]), ctxOf(kind, at));
  return receiveList(deps, envelope('list', docs.list), ctxOf('list', at));
}

test('a list with all three signed documents in agreement is accepted and declared to the clearance pipeline', async () => {
  const t = await setup();
  try {
    const out = await sendAll(t.deps, sampleThreeDocuments());
    assert.equal(out.status, 'accepted', JSON.stringify(out.reasons));
    assert.equal(out.quota?.taxation, 'reduced');
    assert.equal(out.quota?.valueCny, '320.00');
    const c = await t.store.get(out.consignmentId!);
    assert.equal(c?.merged.routing.destinationCountry, 'CN');
    assert.equal(c?.merged.platform?.orderId, 'ORD-2026-0001');
    assert.equal(c?.submitterId, 'opr_enterprise');
    const status = await orderStatus(t.deps, 'ORD-2026-0001');
    assert.deepEqual(status.missing, []);
    assert.deepEqual(
      status.documents.map((d) => [d.kind, d.submitterId]),
      [
        ['order', 'opr_platform'],
        ['payment', 'opr_payco'],
        ['waybill', 'opr_logico'],
      ],
    );
  } finally {
    await t.close();
  }
});

test('a list whose payment disagrees with the order is rejected with the field and documents named', async () => {
  const t = await setup();
  try {
    const docs = sampleThreeDocuments();
    docs.payment.amountPaid = '310.00';
    const out = await sendAll(t.deps, docs);
    assert.equal(out.status, 'rejected');
    assert.deepEqual(
      out.reasons.map((r) => [r.code, r.field]),
      [['three-doc.mismatch', 'amountPaid']],
    );
    assert.match(out.reasons[0]!.message, /payment and order: 310.00 vs 320.00/);
    assert.equal((await t.store.stats()).consignments, 0, 'nothing declared');
  } finally {
    await t.close();
  }
});

test('a list waits for missing documents, is accepted when they arrive, or reported missing after the timeout', async () => {
  const t = await setup();
  try {
    const a = sampleThreeDocuments('ORD-A');
    await receiveDocument(t.deps, 'order', envelope('order', a.order), ctxOf('order'));
    const waiting = await receiveList(t.deps, envelope('list', a.list), ctxOf('list'));
    assert.equal(waiting.status, 'pending');
    assert.deepEqual(
      waiting.reasons.map((r) => r.field),
      ['payment', 'waybill'],
    );
    await receiveDocument(t.deps, 'payment', envelope('payment', a.payment), ctxOf('payment'));
    const done = await receiveDocument(t.deps, 'waybill', envelope('waybill', a.waybill), ctxOf('waybill'));
    assert.equal(done.list?.status, 'accepted');

    const b = sampleThreeDocuments('ORD-B');
    await receiveDocument(t.deps, 'payment', envelope('payment', b.payment), ctxOf('payment'));
    await receiveList(t.deps, envelope('list', b.list), ctxOf('list'));
    assert.deepEqual(await reportOverdue(t.deps, '2026-11-29T10:59:00.000Z'), []);
    const late = await reportOverdue(t.deps, '2026-11-29T11:00:00.000Z');
    assert.deepEqual(
      late.map((l) => [l.orderNo, l.status, l.reasons.map((r) => r.field)]),
      [['ORD-B', 'missing', ['order', 'waybill']]],
    );
    assert.match(late[0]!.reasons[0]!.message, /within 60 minutes/);
    assert.deepEqual(
      (await listReports(t.deps, 'missing')).map((r) => r.orderNo),
      ['ORD-B'],
    );
  } finally {
    await t.close();
  }
});

test('the buyer annual quota counts accepted lists and refuses the order that would pass CNY 26,000', async () => {
  const t = await setup();
  try {
    for (let i = 0; i < 5; i++) {
      const out = await sendAll(t.deps, sampleThreeDocuments(`ORD-Q${i}`, '4980.00'));
      assert.equal(out.status, 'accepted', JSON.stringify(out.reasons));
    }
    const over = await sendAll(t.deps, sampleThreeDocuments('ORD-Q5', '1000.00'));
    assert.equal(over.status, 'rejected');
    assert.equal(over.reasons[0]?.code, 'quota.annual-exceeded');
    assert.equal(over.quota?.usedBefore, '25000.00');
    assert.equal(over.quota?.usedAfter, '26020.00');
    const other = await sendAll(t.deps, sampleThreeDocuments('ORD-OTHER', '1000.00', '44030619851201002'));
    assert.equal(other.status, 'accepted', 'another buyer has their own quota');
  } finally {
    await t.close();
  }
});

test('a single item over CNY 5,000 is accepted with full taxation; two items, or one line of two, over it are refused', async () => {
  const t = await setup();
  try {
    const one = await sendAll(t.deps, sampleThreeDocuments('ORD-BIG', '6000.00'));
    assert.equal(one.status, 'accepted', JSON.stringify(one.reasons));
    assert.equal(one.quota?.taxation, 'full');
    const two = sampleThreeDocuments('ORD-BIG2', '3000.00');
    for (const d of [two.order, two.list]) {
      d.items = [d.items[0]!, { ...d.items[0]!, description: 'Infant formula, second tin' }];
      d.goodsValue = '6000.00';
    }
    two.order.actualPaid = two.payment.amountPaid = '6020.00';
    const out = await sendAll(t.deps, two);
    assert.equal(out.status, 'rejected');
    assert.equal(out.reasons[0]?.code, 'quota.order-exceeded');
    // One line of two tins is two articles, as the revenue engine reads REFERENCE.md 4.2.
    const pair = sampleThreeDocuments('ORD-BIG3', '6000.00');
    for (const d of [pair.order, pair.list]) d.items = [{ ...d.items[0]!, quantity: 2 }];
    const refused = await sendAll(t.deps, pair);
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.reasons[0]?.code, 'quota.order-exceeded');
    assert.match(refused.reasons[0]?.message ?? '', /1 item of 2 pcs/);
  } finally {
    await t.close();
  }
});

test('documents signed with another operator key, a revoked key, the wrong purpose or a bad signature are refused', async () => {
  const t = await setup();
  try {
    const docs = sampleThreeDocuments();
    const code = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'accepted';
      } catch (e) {
        assert.ok(e instanceof ParcelgateError);
        return ((e.details?.issues as { code: string }[] | undefined)?.[0]?.code ?? e.code) as string;
      }
    };
    // The payment company's key presented by the platform.
    assert.equal(
      await code(receiveDocument(t.deps, 'payment', envelope('payment', docs.payment), ctxOf('order'))),
      'signature.wrong-operator',
    );
    // The platform signs a payment: its key is registered for orders only.
    const forged = {
      ...envelope('order', docs.payment),
      signature: signPayload(parties.order.keys.privateKeyPem, 'payment', JSON.stringify(docs.payment)),
    };
    assert.equal(
      await code(receiveDocument(t.deps, 'payment', forged, ctxOf('order'))),
      'signature.wrong-purpose',
    );
    const tampered = { ...envelope('order', docs.order) };
    tampered.payload = tampered.payload.replace('300.00', '30.00');
    assert.equal(await code(receiveDocument(t.deps, 'order', tampered, ctxOf('order'))), 'signature.invalid');
    await t.exchange.revokeSigningKey('key_order', '2026-11-29T09:00:00.000Z');
    assert.equal(
      await code(receiveDocument(t.deps, 'order', envelope('order', docs.order), ctxOf('order'))),
      'signature.revoked-key',
    );
    assert.deepEqual(await t.exchange.documents(docs.order.orderNo), [], 'nothing stored');
  } finally {
    await t.close();
  }
});

test('a malformed document gets every issue with its path and nothing is stored', async () => {
  const t = await setup();
  try {
    const docs = sampleThreeDocuments();
    const bad = { ...docs.order, goodsValue: '12.345', buyer: { ...docs.order.buyer, idType: 'card' } };
    await assert.rejects(
      receiveDocument(t.deps, 'order', envelope('order', bad), ctxOf('order')),
      (e: unknown) => {
        assert.ok(e instanceof ParcelgateError);
        assert.equal(e.code, 'three-doc.invalid-document');
        const paths = (e.details?.issues as { path: string }[]).map((i) => i.path);
        assert.ok(paths.includes('/goodsValue') && paths.includes('/buyer/idType'), paths.join(','));
        return true;
      },
    );
    assert.deepEqual(await t.exchange.documents(docs.order.orderNo), []);
  } finally {
    await t.close();
  }
});

test("another operator's signed document or list cannot replace a party's document or list of the same order", async () => {
  const t = await setup();
  try {
    // A second platform and a second enterprise, each with its own registered key.
    const rival = { operator: 'opr_rival', keys: generateSigningKeyPair() };
    await registerSigningKey(
      t.exchange,
      {
        keyId: 'key_rival',
        operatorId: rival.operator,
        publicKey: rival.keys.publicKey,
        purposes: ['order', 'list'],
      },
      '2026-01-01T00:00:00Z',
    );
    const rivalEnvelope = (kind: 'order' | 'list', doc: unknown) => {
      const payload = JSON.stringify(doc);
      return { keyId: 'key_rival', payload, signature: signPayload(rival.keys.privateKeyPem, kind, payload) };
    };
    const rivalCtx = { actor: rival.operator, submitterId: rival.operator, now };
    const docs = sampleThreeDocuments();
    await receiveDocument(t.deps, 'order', envelope('order', docs.order), ctxOf('order'));
    const pending = await receiveList(t.deps, envelope('list', docs.list), ctxOf('list'));
    assert.equal(pending.status, 'pending');

    const forged = { ...docs.order, buyer: { ...docs.order.buyer, name: 'Someone Else' } };
    await assert.rejects(
      receiveDocument(t.deps, 'order', rivalEnvelope('order', forged), rivalCtx),
      (e: ParcelgateError) => e.code === 'three-doc.other-submitter' && e.status === 409,
    );
    await assert.rejects(
      receiveList(t.deps, rivalEnvelope('list', { ...docs.list, goodsValue: '1.00' }), rivalCtx),
      (e: ParcelgateError) => e.code === 'three-doc.other-submitter' && e.status === 409,
    );
    const status = await orderStatus(t.deps, docs.order.orderNo);
    assert.deepEqual(
      status.documents.map((d) => `${d.kind} ${d.version} ${d.submitterId}`),
      ['order 1 opr_platform'],
    );
    assert.equal(status.list?.status, 'pending');
    // The party itself still amends its own document.
    const amended = await receiveDocument(
      t.deps,
      'order',
      envelope('order', { ...docs.order, freight: docs.order.freight }),
      ctxOf('order'),
    );
    assert.equal(amended.status, 'unchanged');
  } finally {
    await t.close();
  }
});
