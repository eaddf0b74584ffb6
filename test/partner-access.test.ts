/**
 * Who may do what on the issue's routes with real keys: a platform reads and answers only the notices
 * addressed to it (its key says who it is, never a header), and a carrier registers returns only for
 * its own consignments.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { KeyManager } from '../src/access/index.js';
import { bearer } from '../src/access/testing.js';
import type { RegistryServices } from '../src/api/index.js';
import type { SecurityStore } from '../src/secstore/index.js';
import type { ClearanceStore } from '../src/store/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { openKeyedApp, type KeyedApp } from './keyed-app.js';

let app: FastifyInstance;
let store: ClearanceStore;
let security: SecurityStore;
let registry: RegistryServices;
const now = new Date('2026-11-27T10:00:00Z');
let keyOf: KeyedApp['keyOf'];
let opKey: KeyedApp['opKey'];
let fixture: KeyedApp;

before(async () => {
  fixture = await openKeyedApp('parcelgate-partner-access-', () => now, [
    {
      id: 'opr_mkt',
      kind: 'platform',
      identifiers: [{ scheme: 'PLATFORM', value: 'MKT' }],
    },
    {
      id: 'opr_bay',
      kind: 'platform',
      identifiers: [{ scheme: 'PLATFORM', value: 'BAY' }],
    },
    { id: 'opr_posta', kind: 'postal-operator', identifiers: [] },
    { id: 'opr_postb', kind: 'postal-operator', identifiers: [] },
  ]);
  ({ app, store, security, registry, keyOf, opKey } = fixture);
});
after(() => fixture.close());

const submit = async (key: string, serial: string, platform = 'MKT'): Promise<string> => {
  const r = await app.inject({
    method: 'POST',
    url: '/v1/consignments',
    headers: bearer(key),
    payload: postalItem({ platform: { id: platform, orderId: `O-${serial}`, sellerId: 'shop-1' } }, serial),
  });
  assert.equal(r.statusCode, 201, r.body);
  return r.json().consignmentId as string;
};

test("a carrier cannot register a return for another carrier's consignment; its own it can", async () => {
  const theirs = await submit(opKey['opr_posta']!, '61000001');
  const arrived = await app.inject({
    method: 'POST',
    url: `/v1/consignments/${theirs}/carrier-events`,
    headers: bearer(opKey['opr_posta']!),
    payload: { type: 'arrived' },
  });
  assert.equal(arrived.statusCode, 200, arrived.body);
  const foreign = await app.inject({
    method: 'POST',
    url: '/v1/returns',
    headers: bearer(opKey['opr_postb']!),
    payload: { consignmentId: theirs, kind: 'refused', reason: 'other' },
  });
  assert.equal(foreign.statusCode, 404, foreign.body);
  assert.equal(foreign.json().code, 'consignment.not-found');
  const c = await store.get(theirs);
  assert.equal(c?.state, 'arrived', "the other carrier's parcel did not move");
  const none = await app.inject({
    method: 'GET',
    url: `/v1/returns?consignment=${theirs}`,
    headers: bearer(keyOf.officer),
  });
  assert.deepEqual(none.json().items, [], 'no return was recorded');
  const mine = await app.inject({
    method: 'POST',
    url: '/v1/returns',
    headers: bearer(opKey['opr_postb']!),
    payload: {
      consignmentId: await submit(opKey['opr_postb']!, '61000002'),
      kind: 'refused',
      reason: 'other',
    },
  });
  // Refused before arrival is not in the clearance table, which is the answer for an owned parcel.
  assert.equal(mine.json().code, 'state.transition-not-allowed', mine.body);
});

test('a platform polls and answers only the notices addressed to it; a header cannot make it another', async () => {
  const id = await submit(opKey['opr_posta']!, '62000001', 'MKT');
  const opened = await app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: bearer(keyOf.officer),
    payload: { kind: 'counterfeit', consignmentId: id, listingUrl: 'https://mkt.example/i/1' },
  });
  assert.equal(opened.statusCode, 201, opened.body);
  const confirmed = await app.inject({
    method: 'POST',
    url: `/v1/cases/${opened.json().id}/actions`,
    headers: bearer(keyOf.officer),
    payload: { action: 'confirm', reason: 'rights holder opinion' },
  });
  assert.equal(confirmed.statusCode, 200, confirmed.body);
  const noticeId = confirmed.json().noticeId as string;

  const own = await app.inject({
    method: 'GET',
    url: '/v1/platform-notices?platform=opr_mkt',
    headers: bearer(opKey['opr_mkt']!),
  });
  assert.equal(own.statusCode, 200, own.body);
  assert.deepEqual(
    own.json().items.map((n: { id: string }) => n.id),
    [noticeId],
  );
  const peek = await app.inject({
    method: 'GET',
    url: '/v1/platform-notices?platform=opr_mkt',
    headers: bearer(opKey['opr_bay']!),
  });
  assert.equal(peek.statusCode, 403, peek.body);
  const peekPost = await app.inject({
    method: 'GET',
    url: '/v1/platform-notices?platform=opr_mkt',
    headers: bearer(opKey['opr_posta']!),
  });
  assert.equal(peekPost.statusCode, 403, peekPost.body);
  const staff = await app.inject({
    method: 'GET',
    url: '/v1/platform-notices?platform=opr_mkt',
    headers: bearer(keyOf.officer),
  });
  assert.equal(staff.json().items.length, 1);

  const spoof = await app.inject({
    method: 'POST',
    url: `/v1/platform-notices/${noticeId}/answer`,
    headers: { ...bearer(opKey['opr_bay']!), 'x-operator-id': 'opr_mkt' },
    payload: { action: 'no-action' },
  });
  assert.equal(spoof.statusCode, 403, spoof.body);
  assert.equal(spoof.json().code, 'notice.wrong-platform');
  const answered = await app.inject({
    method: 'POST',
    url: `/v1/platform-notices/${noticeId}/answer`,
    headers: bearer(opKey['opr_mkt']!),
    payload: { action: 'listing-removed' },
  });
  assert.equal(answered.statusCode, 200, answered.body);
  assert.equal(answered.json().answer.by, 'opr_mkt');

  // A notice to a platform nobody has registered is not anyone's to answer.
  const stray = await submit(opKey['opr_posta']!, '62000002', 'ZZP');
  const case2 = await app.inject({
    method: 'POST',
    url: '/v1/cases',
    headers: bearer(keyOf.officer),
    payload: { kind: 'unsafe', consignmentId: stray, hazard: 'mains charger without earth' },
  });
  assert.equal(case2.statusCode, 201, case2.body);
  const conf2 = await app.inject({
    method: 'POST',
    url: `/v1/cases/${case2.json().id}/actions`,
    headers: bearer(keyOf.officer),
    payload: { action: 'confirm', reason: 'lab test' },
  });
  const unowned = await app.inject({
    method: 'POST',
    url: `/v1/platform-notices/${conf2.json().noticeId}/answer`,
    headers: bearer(opKey['opr_bay']!),
    payload: { action: 'listing-removed' },
  });
  assert.equal(unowned.statusCode, 403, unowned.body);
  assert.match(unowned.json().detail ?? unowned.json().message ?? '', /not registered/);
  const strayPoll = await app.inject({
    method: 'GET',
    url: '/v1/platform-notices?platform=platform:ZZP',
    headers: bearer(opKey['opr_bay']!),
  });
  assert.equal(strayPoll.statusCode, 403, 'nobody holds ZZP yet');
  // Once the platform registers with its code, it reads and answers the notice with its own key.
  await registry.operators.register(
    {
      id: 'opr_zzp',
      kind: 'platform',
      name: 'ZZP',
      country: 'NL',
      contacts: [],
      identifiers: [{ scheme: 'PLATFORM', value: 'ZZP' }],
    },
    now.toISOString(),
  );
  const zzpKey = (
    await new KeyManager(
      security,
      async () => {},
      () => now,
    ).create({
      role: 'submitter',
      operatorId: 'opr_zzp',
      actor: 'admin:test',
    })
  ).plaintext;
  const zzpPoll = await app.inject({
    method: 'GET',
    url: '/v1/platform-notices?platform=platform:ZZP',
    headers: bearer(zzpKey),
  });
  assert.equal(zzpPoll.statusCode, 200, zzpPoll.body);
  assert.equal(zzpPoll.json().items.length, 1);
  const zzpAnswer = await app.inject({
    method: 'POST',
    url: `/v1/platform-notices/${conf2.json().noticeId}/answer`,
    headers: bearer(zzpKey),
    payload: { action: 'listing-removed' },
  });
  assert.equal(zzpAnswer.statusCode, 200, zzpAnswer.body);
});

test("a carrier's key cannot register a customs-return (an officer's decision); an officer's can", async () => {
  const id = await submit(opKey['opr_posta']!, '63000001');
  const arrived = await app.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    headers: bearer(opKey['opr_posta']!),
    payload: { type: 'arrived' },
  });
  assert.equal(arrived.statusCode, 200, arrived.body);
  const byCarrier = await app.inject({
    method: 'POST',
    url: '/v1/returns',
    headers: bearer(opKey['opr_posta']!),
    payload: { consignmentId: id, kind: 'customs-return', reason: 'other' },
  });
  assert.equal(byCarrier.statusCode, 403, byCarrier.body);
  assert.equal(byCarrier.json().code, 'return.customs-decision');
  assert.equal(byCarrier.json().path, '/kind');
  assert.equal((await store.get(id))?.state, 'arrived', 'no officer decision was recorded');
  const events = await store.events(id);
  assert.ok(!events.some((e) => e.data?.trigger === 'officer.return'));
  const none = await app.inject({
    method: 'GET',
    url: `/v1/returns?consignment=${id}`,
    headers: bearer(keyOf.officer),
  });
  assert.deepEqual(none.json().items, [], 'no return was recorded');
  const byOfficer = await app.inject({
    method: 'POST',
    url: '/v1/returns',
    headers: bearer(keyOf.officer),
    payload: { consignmentId: id, kind: 'customs-return', reason: 'prohibited' },
  });
  assert.equal(byOfficer.statusCode, 201, byOfficer.body);
  assert.equal((await store.get(id))?.state, 'returned');
});

test('a return dated after the clock or before the release it follows is refused at /at, nothing written', async () => {
  const id = await submit(opKey['opr_posta']!, '63000002');
  const delivered = await app.inject({
    method: 'POST',
    url: `/v1/consignments/${id}/carrier-events`,
    headers: bearer(opKey['opr_posta']!),
    payload: { type: 'delivered', at: '2026-11-26T10:00:00Z' },
  });
  assert.equal(delivered.statusCode, 200, delivered.body);
  for (const at of ['2026-11-20T10:00:00Z', '2026-12-27T10:00:00Z']) {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/returns',
      headers: bearer(opKey['opr_posta']!),
      payload: { consignmentId: id, kind: 'returned-by-buyer', reason: 'damaged', at },
    });
    assert.equal(r.statusCode, 422, r.body);
    assert.equal(r.json().code, 'return.invalid-date');
    assert.equal(r.json().issues[0].path, '/at');
  }
  assert.equal((await store.get(id))?.state, 'released', 'the parcel did not move');
  const none = await app.inject({
    method: 'GET',
    url: `/v1/returns?consignment=${id}`,
    headers: bearer(keyOf.officer),
  });
  assert.deepEqual(none.json().items, [], 'no return was recorded');
  const ok = await app.inject({
    method: 'POST',
    url: '/v1/returns',
    headers: bearer(opKey['opr_posta']!),
    payload: { consignmentId: id, kind: 'returned-by-buyer', reason: 'damaged', at: '2026-11-26T12:00:00Z' },
  });
  assert.equal(ok.statusCode, 201, ok.body);
});
