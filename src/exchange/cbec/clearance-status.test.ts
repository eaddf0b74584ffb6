import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partyClearance, partyDecision } from './clearance-status.js';

test('a parcel released before arrival is still released once it has arrived, and an open request still asks', () => {
  assert.equal(partyDecision('arrived', { releasedBeforeArrival: true }), 'RELEASE');
  assert.equal(partyDecision('arrived', { informationOpen: true }), 'REQUEST_INFO');
  assert.equal(partyDecision('arrived'), 'PENDING');
  assert.equal(partyDecision('released-before-arrival'), 'RELEASE');
  assert.equal(partyDecision('do-not-load'), 'DO_NOT_LOAD');
  assert.equal(partyDecision('returned'), 'REFUSE_RETURN_TO_SENDER');
});

test('the change time is that of the event that moved the consignment into its state, not of a later note', () => {
  const c = { state: 'held-for-information' as const, updatedAt: '2026-11-28T12:00:00.000Z' };
  const got = partyClearance(c, [
    { from: 'assessed', to: 'held-for-information', at: '2026-11-28T10:00:00.000Z' },
    { from: 'held-for-information', to: 'held-for-information', at: '2026-11-28T11:00:00.000Z' },
    { from: null, to: null, at: '2026-11-28T12:00:00.000Z' },
  ]);
  assert.deepEqual(got, {
    state: 'held-for-information',
    decision: 'REQUEST_INFO',
    changedAt: '2026-11-28T10:00:00.000Z',
  });
});
