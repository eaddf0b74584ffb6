/**
 * A record linked to a parcel that will never be delivered (seized, returned, abandoned), e.g. a
 * platform's order after the carrier's return: the submit answer, the consignment, the list and the
 * response all say nothing is due at the border; the assessment keeps what was assessed. A record
 * linked after release keeps the amount due in every view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal } from 'decimal.js';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';

const snapshot = loadSnapshot({ randomRate: 0 });

async function app() {
  const store = openSqliteStore({ memory: true });
  return buildApp({ store, snapshot: () => snapshot, clock: () => new Date('2026-11-27T10:00:00Z') });
}
type App = Awaited<ReturnType<typeof app>>;

const post = { 'x-submitter-id': 'post-de' };
const platform = { 'x-submitter-id': 'mkt' };
const officer = { 'x-actor': 'officer:kim' };

/** A T-shirt parcel worth 150 EUR (duty and VAT due at the border) from the post, or its order. */
function parcel(serial: string, source: 'postal-item' | 'platform-order' = 'postal-item') {
  const p = postalItem(source === 'postal-item' ? {} : { source }, serial);
  p.items[0]!.value = { amount: '150.00', currency: 'EUR' };
  return p;
}

async function ok(a: App, method: 'GET' | 'POST', url: string, headers = {}, payload?: object) {
  const r = await a.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
  return r.json();
}

/** Every view of what is due: the linked record's submit answer, consignment, list row and response. */
async function views(a: App, id: string, serial: string) {
  const linked = await ok(a, 'POST', '/v1/consignments', platform, parcel(serial, 'platform-order'));
  assert.equal(linked.status, 'linked');
  assert.equal(linked.consignmentId, id);
  const consignment = await ok(a, 'GET', `/v1/consignments/${id}`);
  const response = await ok(a, 'GET', `/v1/consignments/${id}/response`);
  const list = await ok(a, 'GET', `/v1/consignments?state=${consignment.state}`);
  const row = (list.items as { id: string; dueAtBorder: string }[]).find((i) => i.id === id);
  return {
    submitted: linked.dueAtBorder as string,
    consignment: consignment.dueAtBorder as string,
    list: row?.dueAtBorder,
    response: response.dueAtBorder as string,
    assessed: consignment.assessment.revenue.dueAtBorder as string,
    settlement: response.settlement as { assessedDueAtBorder: string; notDue: string } | undefined,
    state: consignment.state as string,
  };
}

/** A parcel released before arrival that has arrived, with something due at the border. */
async function arrived(a: App, serial: string): Promise<{ id: string; due: string }> {
  const made = await ok(a, 'POST', '/v1/consignments', post, parcel(serial));
  assert.equal(made.state, 'released-before-arrival');
  assert.ok(new Decimal(made.dueAtBorder).gt(0), 'the parcel was assessed with something due');
  await ok(a, 'POST', `/v1/consignments/${made.consignmentId}/carrier-events`, post, { type: 'arrived' });
  return { id: made.consignmentId, due: made.dueAtBorder };
}

const endings = [
  ['returned', 'carrier', 'returned'],
  ['returned', 'carrier', 'refused'],
  ['seized', 'officer', 'seize'],
  ['abandoned', 'officer', 'abandon'],
] as const;

endings.forEach(([state, by, what], n) => {
  test(`a record linked to ${state === 'abandoned' ? 'an' : 'a'} ${state} parcel (${by} ${what}) is answered, listed and shown with nothing due, as the response says`, async () => {
    const a = await app();
    const serial = String(72000001 + n);
    const { id, due } = await arrived(a, serial);
    if (by === 'carrier') await ok(a, 'POST', `/v1/consignments/${id}/carrier-events`, post, { type: what });
    else
      await ok(a, 'POST', `/v1/consignments/${id}/decisions`, officer, {
        action: what,
        reason: 'checked by the officer',
      });
    const v = await views(a, id, serial);
    assert.equal(v.state, state);
    assert.equal(v.response, '0.00');
    assert.equal(v.submitted, '0.00', 'the submit answer of the linked record');
    assert.equal(v.consignment, '0.00', 'the consignment view');
    assert.equal(v.list, '0.00', 'the list');
    // What was assessed stays on record, in the assessment and the settlement.
    assert.equal(v.assessed, due);
    assert.equal(v.settlement?.assessedDueAtBorder, due);
    assert.equal(v.settlement?.notDue, due);
    await a.close();
  });
});

for (const [name, event] of [
  ['arrived after its release before arrival', undefined],
  ['delivered', 'delivered'],
] as const) {
  test(`a record linked to a parcel ${name} keeps the amount due in every view`, async () => {
    const a = await app();
    const serial = event ? '72000011' : '72000012';
    const { id, due } = await arrived(a, serial);
    if (event) await ok(a, 'POST', `/v1/consignments/${id}/carrier-events`, post, { type: event });
    const v = await views(a, id, serial);
    assert.equal(v.settlement, undefined);
    for (const [view, amount] of Object.entries({
      submitted: v.submitted,
      consignment: v.consignment,
      list: v.list,
      response: v.response,
      assessed: v.assessed,
    }))
      assert.equal(amount, due, view);
    await a.close();
  });
}
