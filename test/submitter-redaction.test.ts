/** A submitter reads its consignments without the targeting logic; officers read the full explanation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearer, keysApp } from '../src/access/testing.js';
import { postalItem } from '../src/testing/consignments.js';

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
