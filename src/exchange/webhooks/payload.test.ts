/** Notifications of requests for information: what is wanted and where to answer, from the event alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { standardRequest } from '../../clearance/information.js';
import type { FeedEvent } from '../../store/index.js';
import { toNotification } from './payload.js';

const event = (over: Partial<FeedEvent>): FeedEvent => ({
  seq: 7,
  submitterId: 'opr_post',
  consignmentId: 'csg_1',
  type: 'consignment.held-for-information',
  from: 'assessed',
  to: 'held-for-information',
  at: '2026-11-27T10:00:00.000Z',
  actor: 'opr_post',
  data: { trigger: 'route-yellow' },
  ...over,
});
const answerWith = { method: 'POST', path: '/v1/consignments/csg_1/information' };

test('a hold for information notifies the standard request to every party, the same on each delivery', () => {
  for (const viewer of [undefined, 'opr_post', 'opr_carrier']) {
    const n = toNotification(event({}), viewer);
    assert.deepEqual(n.information, {
      documents: standardRequest.documents,
      message: standardRequest.message,
      answerWith,
    });
    assert.equal(JSON.stringify(toNotification(event({}), viewer)), JSON.stringify(n));
  }
});

test("an officer's request after arrival notifies its documents and message, never its reason to another party", () => {
  const asked = event({
    type: 'consignment.request-information',
    from: 'arrived',
    to: 'arrived',
    actor: 'officer:jdoe',
    reason: 'seller unknown',
    data: {
      trigger: 'officer.request-information',
      request: { documents: ['licence'], message: 'Send the import licence.' },
    },
  });
  const want = { documents: ['licence'], message: 'Send the import licence.', answerWith };
  assert.deepEqual(toNotification(asked, 'opr_post').information, want);
  const linked = toNotification(asked, 'opr_carrier');
  assert.deepEqual(linked.information, want);
  assert.equal(linked.reason, undefined);
  assert.doesNotMatch(JSON.stringify(linked), /seller unknown/);
});

test('events that open no request carry no information: an answer, an arrival, a screening alert, a release', () => {
  for (const e of [
    event({ type: 'consignment.information-provided', from: 'held-for-information' }),
    event({ type: 'consignment.arrived', from: 'held-for-information', to: 'arrived' }),
    event({ type: 'consignment.screening-alert', from: 'held-for-information' }),
    event({ type: 'consignment.released-before-arrival', to: 'released-before-arrival' }),
  ])
    assert.equal(toNotification(e, 'opr_post').information, undefined, e.type);
});
