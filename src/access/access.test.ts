import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../api/index.js';
import { loadSnapshot } from '../clearance/index.js';
import { openSqliteStore } from '../store/index.js';
import { postalItem } from '../testing/consignments.js';
import { routeTable, routeKey } from './permissions.js';
import { registeredRoutes } from './plugin.js';
import { roles, type Role } from './roles.js';
import { bearer, keysApp } from './testing.js';

const fill = (url: string, id: string): string =>
  url.replace(':id', id).replace(':format', 'h7').replace('*', 'index.html');

test('every registered route has an entry in the role table, and the table names no missing route', async () => {
  const k = await keysApp();
  try {
    const registered = registeredRoutes(k.app).map((r) => routeKey(r.method, r.url));
    assert.ok(registered.length > 20, 'the route list was collected');
    const missing = registered.filter((key) => !(key in routeTable));
    assert.deepEqual(missing, [], 'routes without an access rule');
    const stale = Object.keys(routeTable).filter((key) => !registered.includes(key));
    assert.deepEqual(stale, [], 'table entries for routes that do not exist');
  } finally {
    await k.close();
  }
});

test('every role x route pair is allowed or refused exactly as the role table says', async () => {
  const k = await keysApp();
  try {
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: postalItem(),
    });
    assert.equal(made.statusCode, 201);
    const id = made.json().consignmentId as string;
    let checked = 0;
    for (const r of registeredRoutes(k.app)) {
      const rule = routeTable[routeKey(r.method, r.url)]!;
      const url = fill(r.url, id);
      const method = r.method as 'GET';
      const anonymous = await k.app.inject({ method, url });
      if (rule.allow === 'public')
        assert.ok(![401, 403].includes(anonymous.statusCode), `${r.method} ${url} public`);
      else assert.equal(anonymous.statusCode, 401, `${r.method} ${url} without a key`);
      for (const role of roles) {
        const res = await k.app.inject({ method, url, headers: bearer(k.keyOf[role]) });
        const allowed = rule.allow === 'public' || rule.allow.includes(role);
        if (allowed)
          assert.ok(
            ![401, 403].includes(res.statusCode),
            `${role} may call ${r.method} ${url}: ${res.statusCode}`,
          );
        else {
          assert.equal(res.statusCode, 403, `${role} must be refused ${r.method} ${url}`);
          if (r.method !== 'HEAD') assert.equal(res.json().code, 'access.forbidden');
        }
        checked += 1;
      }
    }
    assert.ok(checked > 150);
  } finally {
    await k.close();
  }
});

test('keys mode: no key or a bad key is a 401 problem; whoami tells the key', async () => {
  const k = await keysApp();
  try {
    const none = await k.app.inject({ method: 'GET', url: '/v1/whoami' });
    assert.equal(none.statusCode, 401);
    assert.equal(none.json().code, 'access.unauthenticated');
    assert.equal(none.headers['www-authenticate'], 'Bearer');
    const forged = k.keyOf.officer.slice(0, -4) + 'AAAA';
    const bad = await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(forged) });
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.json().code, 'access.invalid-key');
    const garbage = await k.app.inject({ method: 'GET', url: '/healthz', headers: bearer('nonsense') });
    assert.equal(garbage.statusCode, 401, 'a presented invalid key is refused even on public routes');
    const me = await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(k.keyOf.officer) });
    assert.deepEqual(me.json(), {
      authMode: 'keys',
      actor: 'officer:op-officer',
      role: 'officer',
      operatorId: 'op-officer',
    });
  } finally {
    await k.close();
  }
});

test('open mode (no access configured): whoami reports headers, as before', async () => {
  const store = openSqliteStore({ memory: true });
  const snapshot = loadSnapshot({ randomRate: 0 });
  const app = await buildApp({ store, snapshot: () => snapshot });
  const res = await app.inject({ method: 'GET', url: '/v1/whoami', headers: { 'x-submitter-id': 'opr_a' } });
  assert.deepEqual(res.json(), { authMode: 'open', actor: 'opr_a', role: null, operatorId: 'opr_a' });
  await app.close();
  await store.close();
});

test('a submitter sees only its own consignments; the submitter id comes from the key, not a header', async () => {
  const k = await keysApp();
  try {
    const other = (await k.keys.create({ role: 'submitter', operatorId: 'op-other', actor: 'admin:test' }))
      .plaintext;
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: { ...bearer(k.keyOf.submitter), 'x-submitter-id': 'op-other' },
      payload: postalItem(),
    });
    const id = made.json().consignmentId as string;
    const stored = await k.store.get(id);
    assert.equal(stored?.submitterId, 'op-submitter');
    for (const suffix of ['', '/events', '/response', '/history', '/response.xml', '/datasets/h7']) {
      const mine = await k.app.inject({
        method: 'GET',
        url: `/v1/consignments/${id}${suffix}`,
        headers: bearer(k.keyOf.submitter),
      });
      assert.equal(mine.statusCode, 200, `own ${suffix}`);
      const theirs = await k.app.inject({
        method: 'GET',
        url: `/v1/consignments/${id}${suffix}`,
        headers: bearer(other),
      });
      assert.equal(theirs.statusCode, 404, `foreign ${suffix}`);
      assert.equal(theirs.json().code, 'consignment.not-found');
    }
    const foreignEvent = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/carrier-events`,
      headers: bearer(other),
      payload: { type: 'arrived' },
    });
    assert.equal(foreignEvent.statusCode, 404);
    const list = await k.app.inject({
      method: 'GET',
      url: '/v1/consignments?submitter=op-submitter',
      headers: bearer(other),
    });
    assert.deepEqual(list.json().items, [], 'a submitter filter naming someone else is overridden');
    const ownList = await k.app.inject({
      method: 'GET',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
    });
    assert.deepEqual(
      ownList.json().items.map((i: { id: string }) => i.id),
      [id],
    );
    const officerList = await k.app.inject({
      method: 'GET',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.officer),
    });
    assert.equal(officerList.json().items.length, 1);
  } finally {
    await k.close();
  }
});

test('decisions are attributed to the key and audited with their reason; personal-data reads are audited', async () => {
  const k = await keysApp();
  try {
    const id = (
      await k.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: bearer(k.keyOf.submitter),
        payload: postalItem(),
      })
    ).json().consignmentId as string;
    await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/carrier-events`,
      headers: bearer(k.keyOf.submitter),
      payload: { type: 'arrived' },
    });
    const seized = await k.app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: { ...bearer(k.keyOf.officer), 'x-actor': 'officer:someone-else' },
      payload: { action: 'seize', reason: 'counterfeit trainers' },
    });
    assert.equal(seized.statusCode, 200);
    assert.equal(seized.json().event.actor, 'officer:op-officer');
    await k.app.inject({ method: 'GET', url: `/v1/consignments/${id}`, headers: bearer(k.keyOf.auditor) });
    const entries = await k.security.readAudit(0, 100);
    const decision = entries.find((e) => e.action === 'decision.recorded');
    assert.equal(decision?.actor, 'officer:op-officer');
    assert.equal(decision?.subject, id);
    assert.equal(decision?.data?.reason, 'counterfeit trainers');
    const read = entries.find((e) => e.action === 'personal-data.read');
    assert.equal(read?.actor, 'auditor:op-auditor');
    const verify = await k.app.inject({
      method: 'GET',
      url: '/v1/audit/verify',
      headers: bearer(k.keyOf.auditor),
    });
    assert.equal(verify.json().ok, true);
  } finally {
    await k.close();
  }
});

test('rotation keeps the old key working through the overlap window only; revocation is immediate', async () => {
  const k = await keysApp();
  try {
    const created = await k.keys.create({ role: 'submitter', operatorId: 'op-rot', actor: 'admin:test' });
    const rotated = await k.keys.rotate(created.record.id, 'admin:test', 3600);
    const who = (key: string) => k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(key) });
    assert.equal((await who(created.plaintext)).statusCode, 200, 'old key inside the overlap');
    assert.equal((await who(rotated.plaintext)).json().operatorId, 'op-rot');
    k.setNow('2026-11-27T11:00:01Z');
    assert.equal((await who(created.plaintext)).statusCode, 401, 'old key after the overlap');
    assert.equal((await who(rotated.plaintext)).statusCode, 200);
    await k.keys.revoke(rotated.record.id, 'admin:test', 'leaked');
    assert.equal((await who(rotated.plaintext)).statusCode, 401);
    const actions = (await k.security.readAudit(0, 100)).map((e) => e.action);
    assert.ok(actions.includes('key.rotated') && actions.includes('key.revoked'));
    await assert.rejects(k.keys.rotate(rotated.record.id, 'admin:test'), /revoked or expired/);
    await assert.rejects(k.keys.create({ role: 'root', operatorId: 'x', actor: 'a' }), /unknown role/);
  } finally {
    await k.close();
  }
});

test('a key is never created already expired: the key manager and POST /v1/api-keys refuse a past expiresAt', async () => {
  const k = await keysApp();
  try {
    const before = (await k.keys.list()).length;
    await assert.rejects(
      k.keys.create({
        role: 'officer',
        operatorId: 'jdoe',
        actor: 'admin:test',
        expiresAt: '2020-01-01T00:00:00.000Z',
      }),
      (e: unknown) => {
        const err = e as { code?: string; details?: { issues?: { path: string; code: string }[] } };
        assert.equal(err.code, 'request.invalid');
        assert.deepEqual(
          err.details?.issues?.map((i) => [i.path, i.code]),
          [['/expiresAt', 'schema.minimum']],
        );
        return true;
      },
    );
    const api = await k.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: bearer(k.keyOf.admin),
      payload: { role: 'officer', operatorId: 'jdoe', expiresAt: '2020-01-01T00:00:00Z' },
    });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().issues[0].path, '/expiresAt');
    assert.equal((await k.keys.list()).length, before, 'no key stored');
  } finally {
    await k.close();
  }
});

test('console sessions: signed, expiring, and ended by revoking the key', async () => {
  const k = await keysApp();
  try {
    const officer = await k.keys.create({ role: 'officer', operatorId: 'jdoe', actor: 'admin:test' });
    const opened = await k.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: bearer(officer.plaintext),
    });
    assert.equal(opened.statusCode, 201);
    const token = opened.json().token as string;
    const who = (t: string) => k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(t) });
    assert.equal((await who(token)).json().actor, 'officer:jdoe');
    const [p, payload, mac] = token.split('.');
    const tampered = Buffer.from(
      JSON.stringify({ keyId: k.keys ? 'key_x' : '', exp: 9e9, sid: 'x' }),
    ).toString('base64url');
    assert.equal(
      (await who(`${p}.${tampered}.${mac}`)).statusCode,
      401,
      'a changed payload fails the signature',
    );
    assert.equal((await who(`${p}.${payload}.${mac}x`)).statusCode, 401);
    const submitterSession = await k.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: bearer(k.keyOf.submitter),
    });
    assert.equal(submitterSession.statusCode, 403, 'operators use keys, not console sessions');
    const fromSession = await k.app.inject({ method: 'POST', url: '/v1/sessions', headers: bearer(token) });
    assert.equal(fromSession.statusCode, 401, 'a session cannot extend itself');
    k.setNow('2026-11-27T18:00:01Z');
    assert.equal((await who(token)).statusCode, 401, 'expired after 8 hours');
    k.setNow('2026-11-27T10:00:00Z');
    await k.keys.revoke(officer.record.id, 'admin:test');
    assert.equal((await who(token)).statusCode, 401, 'revoked key ends its sessions');
  } finally {
    await k.close();
  }
});

test('console session cookie: HttpOnly and SameSite, never a key, changes need the console header, sign-out ends it', async () => {
  const k = await keysApp();
  try {
    const officer = await k.keys.create({ role: 'officer', operatorId: 'jdoe', actor: 'admin:test' });
    const opened = await k.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: bearer(officer.plaintext),
      payload: { cookie: true },
    });
    assert.equal(opened.statusCode, 201);
    assert.equal(opened.json().token, undefined, 'the answer carries no token');
    assert.equal(opened.json().cookie, true);
    const setCookie = String(opened.headers['set-cookie']);
    assert.match(
      setCookie,
      /^parcelgate_session=pgs\.[^;]+; Path=\/v1; Max-Age=28800; HttpOnly; SameSite=Strict$/,
    );
    const value = /^parcelgate_session=([^;]+)/.exec(setCookie)![1]!;
    const withCookie = (v: string, extra: Record<string, string> = {}) => ({
      cookie: `a=b; parcelgate_session=${v}`,
      ...extra,
    });
    const who = await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: withCookie(value) });
    assert.equal(who.json().actor, 'officer:jdoe');

    // A key in the cookie is refused: the cookie holds sessions only.
    const keyCookie = await k.app.inject({
      method: 'GET',
      url: '/v1/whoami',
      headers: withCookie(officer.plaintext),
    });
    assert.equal(keyCookie.statusCode, 401);
    assert.equal(keyCookie.json().code, 'access.invalid-key');
    assert.match(String(keyCookie.headers['set-cookie']), /^parcelgate_session=; Path=\/v1; Max-Age=0/);

    // Changes with the cookie alone need the console header; with it they go through.
    const made = await k.app.inject({
      method: 'POST',
      url: '/v1/consignments',
      headers: bearer(k.keyOf.submitter),
      payload: postalItem(),
    });
    const id = made.json().consignmentId as string;
    const decide = (headers: Record<string, string>) =>
      k.app.inject({
        method: 'POST',
        url: `/v1/consignments/${id}/decisions`,
        headers: { ...headers, 'content-type': 'application/json' },
        payload: { action: 'inspect', reason: 'cookie test' },
      });
    const noHeader = await decide(withCookie(value));
    assert.equal(noHeader.statusCode, 403);
    assert.equal(noHeader.json().code, 'access.console-header');
    const withHeader = await decide(withCookie(value, { 'x-parcelgate-console': '1' }));
    assert.ok(
      ![401, 403].includes(withHeader.statusCode),
      `decision with the console header: ${withHeader.statusCode}`,
    );

    // Expired: refused and cleared.
    k.setNow('2026-11-27T18:00:01Z');
    const expired = await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: withCookie(value) });
    assert.equal(expired.statusCode, 401);
    k.setNow('2026-11-27T10:00:00Z');

    // Sign-out ends the session (also a bearer use of the same token), then answers 204 again.
    const out = await k.app.inject({ method: 'DELETE', url: '/v1/sessions', headers: withCookie(value) });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
    assert.equal(
      (await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: withCookie(value) })).statusCode,
      401,
    );
    assert.equal(
      (await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(value) })).statusCode,
      401,
    );
    assert.equal((await k.app.inject({ method: 'DELETE', url: '/v1/sessions' })).statusCode, 204);
    // Another session of the same key is unaffected.
    const other = await k.app.inject({
      method: 'POST',
      url: '/v1/sessions',
      headers: bearer(officer.plaintext),
    });
    const otherWho = await k.app.inject({
      method: 'GET',
      url: '/v1/whoami',
      headers: bearer(other.json().token),
    });
    assert.equal(otherWho.statusCode, 200);
  } finally {
    await k.close();
  }
});

test('rate limits count per key and answer 429 problems', async () => {
  const k = await keysApp({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
  try {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        (await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(k.keyOf.analyst) }))
          .statusCode,
      );
    assert.deepEqual(codes, [200, 200, 200, 429, 429]);
    const limited = await k.app.inject({
      method: 'GET',
      url: '/v1/whoami',
      headers: bearer(k.keyOf.analyst),
    });
    assert.equal(limited.json().code, 'access.rate-limited');
    const other = await k.app.inject({ method: 'GET', url: '/v1/whoami', headers: bearer(k.keyOf.officer) });
    assert.equal(other.statusCode, 200, 'another key has its own budget');
  } finally {
    await k.close();
  }
});

const _roleCheck: Role[] = [...roles];
void _roleCheck;
