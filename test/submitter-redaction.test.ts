/** A submitter reads its consignments without the targeting logic; officers read the full explanation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, keysApp } from '../src/access/testing.js';
import { postalItem } from '../src/testing/consignments.js';
import { toNotification } from '../src/exchange/index.js';

// Anything that would reveal targeting: rule or indicator ids, scores, the random draw, the selection.
const TARGETING = /R-VAGUE-DESC|vague-description|"hits"|"score"|"riskScore"|"randomSelected"|"selection"/;

test('a submitter sees the lane and generic reasons, never the rules, indicators or scores behind them', async () => {
  const k = await keysApp();
  try {
    const parcel = postalItem();
    parcel.items[0]!.description = 'Gift';
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: parcel,
    });
    assert.equal(made.statusCode, 201);
    const id = made.json().consignmentId as string;
    const read = (role: 'submitter' | 'officer', url: string) =>
      k.app.inject({ method: 'GET', url, headers: bearer(k.keyOf[role]) });
    const officer = await read('officer', `/v1/consignments/${id}`);
    assert.match(officer.body, /R-VAGUE-DESC/, 'the officer sees the rule that fired');
    const own = await read('submitter', `/v1/consignments/${id}`);
    assert.equal(own.statusCode, 200);
    assert.doesNotMatch(own.body, TARGETING);
    assert.deepEqual(Object.keys(own.json().assessment.risk).sort(), ['lane', 'reasons', 'security']);
    assert.equal(own.json().assessment.risk.lane, officer.json().assessment.risk.lane);
    for (const url of [
      '/v1/consignments',
      `/v1/consignments/${id}/history`,
      `/v1/consignments/${id}/events`,
    ]) {
      const r = await read('submitter', url);
      assert.equal(r.statusCode, 200, url);
      assert.doesNotMatch(r.body, TARGETING, url);
    }
    assert.match((await read('officer', '/v1/consignments')).body, /"riskScore"/);
  } finally {
    await k.close();
  }
});

test("a submitter whose record joined another operator's parcel reads its own records, not theirs nor the disagreements", async () => {
  const k = await keysApp();
  try {
    const carrierKey = (
      await k.keys.create({ role: 'submitter', operatorId: 'op-carrier', actor: 'admin:test' })
    ).plaintext;
    const post = postalItem({}, '87654321');
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: post,
    });
    const id = made.json().consignmentId as string;
    // The carrier's waybill of the same S10 item: another consignee and value, and its own order reference.
    const waybill = postalItem(
      {
        source: 'carrier-waybill',
        externalRef: 'CARRIER-OWN-REF',
        platform: { id: 'CARRIERSHOP', orderId: 'SECRET-ORDER-9' },
        consignee: { ...post.consignee!, name: 'Hans Muller' },
      },
      '87654321',
    );
    waybill.items[0]!.value = { amount: '240.00', currency: 'EUR' };
    const linked = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(carrierKey),
      payload: waybill,
    });
    assert.equal(linked.json().status, 'linked');
    assert.equal(linked.json().consignmentId, id);
    const officer = (
      await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}`, headers: bearer(k.keyOf.officer) })
    ).json();
    assert.ok(officer.mismatches.length > 0, 'the officer sees the disagreements');
    const inspect = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: bearer(k.keyOf.officer),
      payload: { action: 'inspect', reason: 'value differs between waybill and item data' },
    });
    assert.equal(inspect.statusCode, 200);
    const staffEvents = (
      await k.app.inject({
        method: 'GET',
        url: `/v1/consignments/${id}/events`,
        headers: bearer(k.keyOf.officer),
      })
    ).body;
    assert.match(staffEvents, /"mismatches":\d/, 'staff see how many disagreements the link brought');
    assert.match(staffEvents, /op-carrier/);
    assert.equal(officer.sources.length, 2);

    for (const [key, own, other] of [
      [carrierKey, 'op-carrier', /Anna Schmidt|op-submitter|REF-87654321/],
      [k.keyOf.submitter, 'op-submitter', /Hans Muller|CARRIER-OWN-REF|SECRET-ORDER-9|240\.00/],
    ] as const) {
      for (const url of [
        `/v1/consignments/${id}`,
        `/v1/consignments/${id}/history`,
        `/v1/consignments/${id}/datasets/h7`,
        `/v1/consignments/${id}/datasets/t86`,
        `/v1/consignments/${id}/events`,
      ]) {
        const r = await k.app.inject({ method: 'GET', url, headers: bearer(key) });
        assert.equal(r.statusCode, 200, url);
        assert.doesNotMatch(r.body, other, `${own} reads only its own records at ${url}`);
        assert.doesNotMatch(r.body, /"mismatches"|disagree/, url);
      }
      const view = (
        await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}`, headers: bearer(key) })
      ).json();
      assert.deepEqual(
        view.sources.map((s: { submitterId: string }) => s.submitterId),
        [own],
      );
      const events = (
        await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}/events`, headers: bearer(key) })
      ).json().events as { actor: string }[];
      assert.ok(
        events.some((e) => e.actor === own),
        'its own steps keep its id',
      );
      if (own === 'op-carrier') {
        // The linked party's view, as its notifications (docs/notifications.md).
        assert.ok(
          events.some((e) => e.actor === 'customs'),
          "the officer's decision is customs'",
        );
        assert.ok(
          events.every((e) => [own, 'customs', 'other-party'].includes(e.actor)),
          JSON.stringify(events.map((e) => e.actor)),
        );
        assert.doesNotMatch(JSON.stringify(events), /value differs between waybill/, 'no officer reason');
      }
    }
  } finally {
    await k.close();
  }
});

test("the owner's notification of a linked record leaves out how many disagreements it brought", () => {
  const e = {
    seq: 7,
    consignmentId: 'csg_1',
    submitterId: 'op-post',
    type: 'consignment.source-linked',
    from: 'released-before-arrival' as const,
    to: 'released-before-arrival' as const,
    at: '2026-11-27T10:00:00.000Z',
    actor: 'op-carrier',
    data: { declarationId: 'dcl_2', version: 2, afterRelease: true, mismatches: 3 },
  };
  assert.deepEqual(toNotification(e, 'op-post').data, {
    declarationId: 'dcl_2',
    version: 2,
    afterRelease: true,
  });
  assert.equal(toNotification(e, 'op-carrier').data?.mismatches, undefined);
  assert.equal(toNotification(e).data?.mismatches, 3, 'staff (no viewer) read the whole event');
});
