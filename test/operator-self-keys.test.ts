/**
 * Operators read their own compliance score, history, facilitation and data-quality scorecard with their
 * own key (never another operator's); admins issue, list, rotate and revoke API keys over the API
 * (plaintext shown once, stored hashed, audited), and every other role is refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { hashSecret, parseKey, roles } from '../src/access/index.js';
import { bearer } from '../src/access/testing.js';
import type { SecurityStore } from '../src/secstore/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { openKeyedApp, type KeyedApp } from './keyed-app.js';

let app: FastifyInstance;
let security: SecurityStore;
let now = new Date('2026-11-27T10:00:00Z');
let keyOf: KeyedApp['keyOf'];
let opKey: KeyedApp['opKey'];
let fixture: KeyedApp;

before(async () => {
  fixture = await openKeyedApp('parcelgate-self-', () => now, [
    { id: 'opr_posta', kind: 'postal-operator', identifiers: [] },
    { id: 'opr_postb', kind: 'postal-operator', identifiers: [] },
  ]);
  ({ app, security, keyOf, opKey } = fixture);
});
after(() => fixture.close());

const get = (url: string, key: string) => app.inject({ method: 'GET', url, headers: bearer(key) });

test('an operator reads its own score, history, facilitation and scorecard, never another operator’s', async () => {
  // A submits three parcels, B one.
  const a = opKey['opr_posta']!;
  const b = opKey['opr_postb']!;
  for (const [key, serials] of [
    [a, ['51000001', '51000002', '51000003']],
    [b, ['52000001']],
  ] as const) {
    const r = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(key),
      payload: { consignments: serials.map((s) => postalItem({}, s)) },
    });
    assert.equal(r.statusCode, 200, r.body);
  }
  const recompute = await app.inject({
    method: 'POST',
    url: '/v1/compliance/recompute',
    headers: bearer(keyOf.supervisor),
  });
  assert.equal(recompute.statusCode, 200, recompute.body);

  const mine = await get('/v1/me/compliance', a);
  assert.equal(mine.statusCode, 200, mine.body);
  assert.equal(mine.json().operatorId, 'opr_posta');
  assert.equal(mine.json().counts.declarations, 3);
  assert.ok(mine.json().score.explanation.length > 0, 'explained');
  const theirs = await get('/v1/me/compliance', b);
  assert.equal(theirs.json().operatorId, 'opr_postb');
  assert.equal(theirs.json().counts.declarations, 1);

  const history = await get('/v1/me/compliance/history', a);
  assert.equal(history.statusCode, 200);
  assert.equal(history.json().operatorId, 'opr_posta');
  assert.ok(history.json().history.length >= 1);
  assert.equal((await get('/v1/me/operator', a)).json().id, 'opr_posta');
  const f = await get('/v1/me/facilitation', a);
  assert.equal(f.statusCode, 200);
  assert.equal(f.json().dataSet, 'full');

  // The scorecard is the caller's: asking for another submitter is refused (no such parameter).
  const other = await get('/v1/me/quality?from=2026-11-01&to=2026-12-01&submitter=opr_postb', a);
  assert.equal(other.statusCode, 400, other.body);
  assert.deepEqual(
    other.json().issues.map((i: { code: string; path: string }) => [i.code, i.path]),
    [['schema.additional-property', '/submitter']],
  );
  const q = await get('/v1/me/quality?from=2026-11-01&to=2026-12-01', a);
  assert.equal(q.statusCode, 200, q.body);
  assert.deepEqual(
    q.json().submitters.map((s: { submitterId: string }) => s.submitterId),
    ['opr_posta'],
  );
  assert.equal(q.json().submitters[0].overall.records, 3);

  // Another operator's score under /v1/operators/{id} is staff-only: a submitter key is refused.
  for (const url of [
    '/v1/operators/opr_postb/compliance',
    '/v1/operators/opr_postb/compliance/history',
    '/v1/quality/scorecards?from=2026-11-01&to=2026-12-01&submitter=opr_postb',
    '/v1/operators/opr_postb/facilitation',
  ]) {
    const r = await get(url, a);
    assert.equal(r.statusCode, 403, url);
    assert.equal(r.json().code, 'access.forbidden');
  }
  // Staff keys are refused on /v1/me (they are not operators); no key is a 401.
  for (const role of roles.filter((r) => r !== 'submitter'))
    assert.equal((await get('/v1/me/compliance', keyOf[role])).statusCode, 403, role);
  assert.equal((await app.inject({ method: 'GET', url: '/v1/me/compliance' })).statusCode, 401);
  // A submitter key whose operator is not registered has nothing to read.
  const unregistered = await get('/v1/me/compliance', keyOf.submitter);
  assert.equal(unregistered.statusCode, 404);
  assert.equal(unregistered.json().code, 'operator.not-found');
});

test('admins issue, list, rotate and revoke API keys; the key is shown once, stored hashed, audited', async () => {
  const admin = bearer(keyOf.admin);
  const created = await app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: admin,
    payload: { role: 'submitter', operatorId: 'opr_posta', label: 'Post A production' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const k = created.json();
  assert.match(k.key, /^pgk_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/);
  assert.equal(k.secretHash, undefined);
  assert.equal(k.status, 'active');
  const parsed = parseKey(k.key)!;
  assert.equal(parsed.id, k.id);
  const stored = await security.getKey(k.id);
  assert.equal(stored?.secretHash, hashSecret(parsed.secret), 'only the hash is stored');
  assert.ok(!JSON.stringify(await security.listKeys()).includes(parsed.secret), 'the secret is not stored');
  const who = await get('/v1/whoami', k.key);
  assert.equal(who.json().operatorId, 'opr_posta', 'the new key acts for its operator');
  assert.equal((await get('/v1/me/compliance', k.key)).json().operatorId, 'opr_posta');

  const listed = await get('/v1/api-keys?operator=opr_posta', keyOf.admin);
  assert.equal(listed.statusCode, 200);
  assert.ok(listed.json().items.some((x: { id: string }) => x.id === k.id));
  assert.ok(!listed.body.includes(parsed.secret) && !listed.body.includes('secretHash'), 'never the secret');

  // Submitter keys are for registered operators; bad roles and past expiries are refused.
  const unknown = await app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: admin,
    payload: { role: 'submitter', operatorId: 'opr_nobody' },
  });
  assert.equal(unknown.statusCode, 422);
  assert.equal(unknown.json().code, 'operator.not-found');
  // The field that names it, and the documented meaning says when the code is a 422.
  assert.deepEqual(
    unknown.json().issues.map((i: { code: string; path: string }) => [i.code, i.path]),
    [['operator.not-found', '/operatorId']],
  );
  assert.match(unknown.json().title, /422 where a field of the request body does/);
  const badRole = await app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: admin,
    payload: { role: 'root', operatorId: 'x' },
  });
  assert.equal(badRole.statusCode, 400);
  const past = await app.inject({
    method: 'POST',
    url: '/v1/api-keys',
    headers: admin,
    payload: { role: 'officer', operatorId: 'jdoe', expiresAt: '2020-01-01T00:00:00Z' },
  });
  assert.equal(past.statusCode, 400);
  assert.equal(past.json().issues[0].path, '/expiresAt');

  // Rotation: a new key at once, the old one through the overlap only.
  const rotated = await app.inject({
    method: 'POST',
    url: `/v1/api-keys/${k.id}/rotate?overlapHours=1`,
    headers: admin,
  });
  assert.equal(rotated.statusCode, 201, rotated.body);
  const r = rotated.json();
  assert.equal(r.replaces, k.id);
  assert.notEqual(r.key, k.key);
  assert.equal(r.operatorId, 'opr_posta');
  assert.equal((await get('/v1/whoami', k.key)).statusCode, 200, 'old key inside the overlap');
  assert.equal((await get('/v1/whoami', r.key)).statusCode, 200);
  now = new Date('2026-11-27T11:30:00Z');
  assert.equal((await get('/v1/whoami', k.key)).statusCode, 401, 'old key after the overlap');
  const rotateAgain = await app.inject({
    method: 'POST',
    url: `/v1/api-keys/${k.id}/rotate`,
    headers: admin,
  });
  assert.equal(rotateAgain.statusCode, 409, rotateAgain.body);
  assert.equal(rotateAgain.json().code, 'access.key-inactive');

  const revoked = await app.inject({
    method: 'POST',
    url: `/v1/api-keys/${r.id}/revoke?reason=laptop%20lost`,
    headers: admin,
  });
  assert.equal(revoked.statusCode, 200, revoked.body);
  assert.equal(revoked.json().status, 'revoked');
  assert.equal((await get('/v1/whoami', r.key)).statusCode, 401, 'revoked at once');
  const missing = await app.inject({
    method: 'POST',
    url: '/v1/api-keys/key_0000000000000000/revoke',
    headers: admin,
  });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'access.key-not-found');

  const entries = await security.readAudit(0, 1000);
  const mine = entries.filter((e) => [k.id, r.id].includes(e.subject));
  assert.deepEqual(
    mine.map((e) => [e.action, e.actor]),
    [
      ['key.created', 'admin:op-admin'],
      ['key.rotated', 'admin:op-admin'],
      ['key.revoked', 'admin:op-admin'],
    ],
  );
  assert.equal((mine.at(-1)?.data as { reason?: string } | undefined)?.reason, 'laptop lost');
  assert.ok(!JSON.stringify(entries).includes(parsed.secret), 'no secret in the audit log');
});

test('every role but admin is refused on the key routes; no key is a 401', async () => {
  const routes: [string, string, unknown?][] = [
    ['POST', '/v1/api-keys', { role: 'submitter', operatorId: 'opr_posta' }],
    ['GET', '/v1/api-keys'],
    ['POST', '/v1/api-keys/key_0000000000000000/rotate'],
    ['POST', '/v1/api-keys/key_0000000000000000/revoke'],
  ];
  const before = (await security.listKeys()).length;
  for (const [method, url, payload] of routes) {
    for (const role of roles.filter((x) => x !== 'admin')) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: bearer(keyOf[role]),
        ...(payload ? { payload } : {}),
      });
      assert.equal(res.statusCode, 403, `${role} ${method} ${url}`);
      assert.equal(res.json().code, 'access.forbidden');
    }
    const anon = await app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
    assert.equal(anon.statusCode, 401, `${method} ${url} without a key`);
  }
  assert.equal((await security.listKeys()).length, before, 'no key was made by a refused call');
});
