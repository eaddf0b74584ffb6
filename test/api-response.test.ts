/** The customs response a submitter reads agrees with where the parcel is, whatever its lane was. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
const decide = async (a: App, id: string, action: string) => {
  const r = await a.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/decisions`,
    headers: { 'x-actor': 'officer:kim' },
    payload: { action, reason: 'checked by the officer' },
  });
  assert.equal(r.statusCode, 200, r.body);
  return r.json().response as { state: string; response: string; reasons: string[] };
};

test('a held parcel an officer releases is told it is released, not held', async () => {
  const a = await app();
  const parcel = postalItem({}, '12121212');
  parcel.items[0]!.description = 'Gift';
  const made = (await a.inject({ method: 'POST', url: '/v1/consignments', payload: parcel })).json();
  assert.notEqual(made.lane, 'green', 'a vague description is not cleared');
  const before = (
    await a.inject({ method: 'GET', url: `/v1/consignments/${made.consignmentId}/response` })
  ).json();
  assert.match(before.reasons.join(' '), /Held/);
  const released = await decide(a, made.consignmentId, 'release');
  assert.match(released.response, /^RELEASE/);
  assert.doesNotMatch(released.reasons.join(' '), /Held/);
  const read = (
    await a.inject({ method: 'GET', url: `/v1/consignments/${made.consignmentId}/response` })
  ).json();
  assert.deepEqual(read.reasons, released.reasons);
});

test('a cleared parcel called for inspection and seized is told so, not "cleared for release"', async () => {
  const a = await app();
  const made = (
    await a.inject({ method: 'POST', url: '/v1/consignments', payload: postalItem({}, '13131313') })
  ).json();
  assert.equal(made.lane, 'green');
  const inspected = await decide(a, made.consignmentId, 'inspect');
  assert.equal(inspected.response, 'HOLD_PHYSICAL_EXAM');
  assert.deepEqual(inspected.reasons, ['Held for customs examination.']);
  const seized = await decide(a, made.consignmentId, 'seize');
  assert.equal(seized.response, 'SEIZE');
  assert.deepEqual(seized.reasons, ['Seized by customs.']);
});
