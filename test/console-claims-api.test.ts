/**
 * Work-queue claims over the API (docs/console.md "Claims"): claim, renew, release and claim next;
 * a decision on another officer's claim is refused 409 `claim.held-by-other` unless a supervisor
 * overrides with a reason; a decision releases the claim; expired claims are free; each claim,
 * release, takeover and override is attributed in the audit log; roles outside the staff are refused.
 */
import { test } from 'node:test';
import type { InjectOptions } from 'fastify';
import assert from 'node:assert/strict';
import { bearer, keysApp } from '../src/access/testing.js';
import { buildApp } from '../src/api/index.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import { postalItem, teaParcel } from '../src/testing/consignments.js';

type Inject = InjectOptions;

test('claims over the API: one holder, refused decisions, supervisor override, release on decision, takeover after expiry, audited', async () => {
  const k = await keysApp();
  try {
    const ada = k.keyOf.officer;
    const bob = (await k.keys.create({ role: 'officer', operatorId: 'op-bob', actor: 'admin:test' }))
      .plaintext;
    const sup = k.keyOf.supervisor;
    const call = (key: string, opts: Inject) =>
      k.app.inject({ ...opts, headers: { ...bearer(key), ...(opts.headers ?? {}) } });
    const ids: string[] = [];
    for (const serial of ['24000001', '24000002', '24000003', '24000004']) {
      const made = await call(k.keyOf.submitter, {
        method: 'POST',
        url: '/v1/consignments',
        payload: teaParcel(serial),
      });
      assert.equal(made.statusCode, 201, made.body);
      ids.push(made.json().consignmentId as string);
    }
    const [first, second, third] = ids as [string, string, string];
    const whoAda = (await call(ada, { url: '/v1/whoami' })).json().actor as string;
    const whoBob = (await call(bob, { url: '/v1/whoami' })).json().actor as string;

    // Ada claims; Bob is refused with the holder named.
    const claimed = await call(ada, { method: 'POST', url: `/v1/console/claims/${first}` });
    assert.equal(claimed.statusCode, 200, claimed.body);
    assert.equal(claimed.json().officerId, whoAda);
    assert.equal(claimed.json().expiresAt, '2026-11-27T10:30:00.000Z', 'thirty minutes by default');
    const refused = await call(bob, { method: 'POST', url: `/v1/console/claims/${first}` });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'claim.held-by-other');
    assert.equal(refused.json().holder.officerId, whoAda);

    // The queue marks the claim (the officer id for staff, not for analysts) and filters by it.
    const queue = async (key: string, claim: string) =>
      (await call(key, { url: `/v1/console/queue?sort=oldest&claim=${claim}` })).json().items as {
        id: string;
        claim?: { officerId: string | null; expiresAt: string };
      }[];
    assert.deepEqual((await queue(bob, 'all')).find((i) => i.id === first)?.claim?.officerId, whoAda);
    assert.equal((await queue(k.keyOf.analyst, 'all')).find((i) => i.id === first)?.claim?.officerId, null);
    assert.ok(!(await queue(bob, 'unclaimed')).some((i) => i.id === first));
    assert.deepEqual(
      (await queue(ada, 'mine')).map((i) => i.id),
      [first],
    );
    assert.deepEqual(await queue(bob, 'mine'), []);

    // Bob's decision on Ada's parcel is refused and writes nothing; an officer cannot override.
    const events = (await k.store.events(first)).length;
    const decide = (key: string, body: object) =>
      call(key, {
        method: 'POST',
        url: `/v1/consignments/${first}/decisions`,
        payload: { action: 'release', reason: 'documents fine', ...body },
      });
    const blocked = await decide(bob, {});
    assert.equal(blocked.statusCode, 409, blocked.body);
    assert.equal(blocked.json().code, 'claim.held-by-other');
    assert.equal((await k.store.events(first)).length, events);
    const notSup = await decide(bob, { overrideClaim: 'urgent, Ada is away' });
    assert.equal(notSup.statusCode, 403);
    assert.equal(notSup.json().code, 'claim.override-forbidden');
    const noReason = await decide(sup, { overrideClaim: ' ' });
    assert.equal(noReason.statusCode, 400);
    assert.equal(noReason.json().code, 'claim.override-reason-required');
    assert.equal(noReason.json().issues[0].path, '/overrideClaim');
    assert.equal((await k.store.events(first)).length, events);

    // A supervisor overrides with a reason: decided, and the decision releases the claim.
    const overridden = await decide(sup, { overrideClaim: 'Ada is off sick' });
    assert.equal(overridden.statusCode, 200, overridden.body);
    assert.deepEqual((await call(ada, { url: `/v1/console/claims/${first}` })).json(), { claim: null });

    // The holder's own decision goes through and releases it.
    assert.equal((await call(bob, { method: 'POST', url: `/v1/console/claims/${second}` })).statusCode, 200);
    const own = await call(bob, {
      method: 'POST',
      url: `/v1/consignments/${second}/decisions`,
      payload: { action: 'inspect', reason: 'x-ray' },
    });
    assert.equal(own.statusCode, 200, own.body);
    assert.deepEqual((await call(bob, { url: `/v1/console/claims/${second}` })).json(), { claim: null });

    // Renew and release: only the holder; an officer cannot release another's claim.
    assert.equal((await call(ada, { method: 'POST', url: `/v1/console/claims/${third}` })).statusCode, 200);
    k.setNow('2026-11-27T10:20:00Z');
    const renewed = await call(ada, { method: 'POST', url: `/v1/console/claims/${third}/renew` });
    assert.equal(renewed.json().expiresAt, '2026-11-27T10:50:00.000Z');
    assert.equal(
      (await call(bob, { method: 'POST', url: `/v1/console/claims/${third}/renew` })).json().code,
      'claim.held-by-other',
    );
    const bobRelease = await call(bob, {
      method: 'POST',
      url: `/v1/console/claims/${third}/release`,
      payload: {},
    });
    assert.equal(bobRelease.json().code, 'claim.held-by-other');

    // Expired: free for Bob, the takeover audited with the claim it replaced; Ada's renewal is refused.
    k.setNow('2026-11-27T10:50:00Z');
    const taken = await call(bob, { method: 'POST', url: `/v1/console/claims/${third}` });
    assert.equal(taken.statusCode, 200, taken.body);
    assert.equal(
      (await call(ada, { method: 'POST', url: `/v1/console/claims/${third}/renew` })).json().code,
      'claim.held-by-other',
    );
    const released = await call(bob, { method: 'POST', url: `/v1/console/claims/${third}/release` });
    assert.equal(released.statusCode, 200, released.body);
    assert.equal(
      (await call(bob, { method: 'POST', url: `/v1/console/claims/${third}/release` })).json().code,
      'claim.not-held',
    );

    // A supervisor releases another officer's live claim with a reason.
    assert.equal((await call(ada, { method: 'POST', url: `/v1/console/claims/${third}` })).statusCode, 200);
    const supRelease = await call(sup, {
      method: 'POST',
      url: `/v1/console/claims/${third}/release`,
      payload: { reason: 'reassigned to Bob' },
    });
    assert.equal(supRelease.statusCode, 200, supRelease.body);

    const audit = (await call(k.keyOf.auditor, { url: '/v1/audit?limit=1000' })).json().entries as {
      actor: string;
      action: string;
      subject: string;
      data: Record<string, unknown> & { holder?: { officerId: string }; previous?: { officerId: string } };
    }[];
    const claimsLog = audit.filter((e) => e.action.startsWith('claim.'));
    const seen = claimsLog.map((e) => [e.action, e.subject, e.actor]);
    const whoSup = (await call(sup, { url: '/v1/whoami' })).json().actor as string;
    assert.deepEqual(seen, [
      ['claim.taken', first, whoAda],
      ['claim.overridden', first, whoSup],
      ['claim.released', first, whoSup],
      ['claim.taken', second, whoBob],
      ['claim.released', second, whoBob],
      ['claim.taken', third, whoAda],
      ['claim.taken-over', third, whoBob],
      ['claim.released', third, whoBob],
      ['claim.taken', third, whoAda],
      ['claim.overridden', third, whoSup],
      ['claim.released', third, whoSup],
    ]);
    assert.equal(claimsLog[1]!.data.reason, 'Ada is off sick');
    assert.equal(claimsLog[1]!.data.holder?.officerId, whoAda);
    assert.equal(claimsLog[2]!.data.cause, 'decision');
    assert.equal(claimsLog[6]!.data.previous?.officerId, whoAda);
    assert.equal((await call(k.keyOf.auditor, { url: '/v1/audit/verify' })).json().ok, true);
  } finally {
    await k.close();
  }
});

test('claim next takes the first unclaimed row under the filters, skipping claimed ones; roles outside the staff are refused', async () => {
  const k = await keysApp();
  try {
    const call = (key: string, opts: Inject) =>
      k.app.inject({ ...opts, headers: { ...bearer(key), ...(opts.headers ?? {}) } });
    for (const serial of ['24000011', '24000012', '24000013']) {
      const made = await call(k.keyOf.submitter, {
        method: 'POST',
        url: '/v1/consignments',
        payload: teaParcel(serial),
      });
      assert.equal(made.statusCode, 201, made.body);
    }
    const order = (
      (await call(k.keyOf.officer, { url: '/v1/console/queue?sort=oldest' })).json().items as { id: string }[]
    ).map((i) => i.id);
    assert.equal(order.length, 3);
    const bob = (await k.keys.create({ role: 'officer', operatorId: 'op-bob', actor: 'admin:test' }))
      .plaintext;
    // Bob holds the first row: Ada's "claim next" skips it.
    assert.equal(
      (await call(bob, { method: 'POST', url: `/v1/console/claims/${order[0]}` })).statusCode,
      200,
    );
    const next = async (key: string) =>
      (
        await call(key, { method: 'POST', url: '/v1/console/queue/claim-next', payload: { sort: 'oldest' } })
      ).json();
    const a = await next(k.keyOf.officer);
    assert.equal(a.item.id, order[1]);
    assert.equal(a.claim.consignmentId, order[1]);
    assert.equal((await next(k.keyOf.supervisor)).item.id, order[2]);
    assert.deepEqual(await next(k.keyOf.officer), { item: null, claim: null }, 'nothing left to claim');
    // Filters apply: none of the rows is in the green lane.
    const green = await call(bob, {
      method: 'POST',
      url: '/v1/console/queue/claim-next',
      payload: { lane: 'green' },
    });
    assert.deepEqual(green.json(), { item: null, claim: null });
    const unknown = await call(bob, {
      method: 'POST',
      url: '/v1/console/queue/claim-next',
      payload: { lane: 'purple' },
    });
    assert.equal(unknown.statusCode, 400);

    // Submitters, analysts, auditors and admins may not claim, renew, release or claim next.
    const id = order[0]!;
    const writes = [
      `/v1/console/claims/${id}`,
      `/v1/console/claims/${id}/renew`,
      `/v1/console/claims/${id}/release`,
      '/v1/console/queue/claim-next',
    ];
    for (const role of ['submitter', 'analyst', 'auditor', 'admin'] as const) {
      for (const url of writes) {
        const res = await call(k.keyOf[role], { method: 'POST', url, payload: {} });
        assert.equal(res.statusCode, 403, `${role} must be refused POST ${url}`);
        assert.equal(res.json().code, 'access.forbidden');
      }
    }
    for (const role of ['submitter', 'analyst', 'admin'] as const) {
      const res = await call(k.keyOf[role], { url: `/v1/console/claims/${id}` });
      assert.equal(res.statusCode, 403, `${role} must be refused GET the claim (who holds it)`);
    }
    assert.equal((await call(k.keyOf.auditor, { url: `/v1/console/claims/${id}` })).statusCode, 200);
    // No consignment has the id: 404 consignment.not-found, not "not queued" or "not held".
    for (const [method, url] of [
      ['POST', '/v1/console/claims/csg_none'],
      ['POST', '/v1/console/claims/csg_none/renew'],
      ['POST', '/v1/console/claims/csg_none/release'],
      ['GET', '/v1/console/claims/csg_none'],
    ] as const) {
      const r = await call(bob, { method, url, ...(method === 'POST' ? { payload: {} } : {}) });
      assert.equal(r.statusCode, 404, `${method} ${url}: ${r.body}`);
      assert.equal(r.json().code, 'consignment.not-found', `${method} ${url}`);
    }
    // A consignment that exists but waits for no officer (released) is not queued.
    const released = await call(k.keyOf.submitter, {
      method: 'POST',
      url: '/v1/consignments',
      payload: postalItem({}, '24000019'),
    });
    assert.equal(released.json().state, 'released-before-arrival');
    const notQueued = await call(bob, {
      method: 'POST',
      url: `/v1/console/claims/${released.json().consignmentId}`,
    });
    assert.equal(notQueued.statusCode, 409);
    assert.equal(notQueued.json().code, 'claim.not-queued');
  } finally {
    await k.close();
  }
});

test('open mode: claims are held by x-actor, and the time-to-live is the configured one', async () => {
  const store = openSqliteStore({ memory: true });
  const app = await buildApp({
    store,
    snapshot: () => loadSnapshot({ randomRate: 0 }),
    clock: () => new Date('2026-11-27T10:00:00Z'),
    claimTtlMinutes: 5,
  });
  try {
    const made = await app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: teaParcel('24000021'),
      headers: { 'x-submitter-id': 'opr_post' },
    });
    const id = made.json().consignmentId as string;
    const c = await app.inject({
      method: 'POST',
      url: `/v1/console/claims/${id}`,
      headers: { 'x-actor': 'officer:ada' },
    });
    assert.deepEqual(c.json(), {
      consignmentId: id,
      officerId: 'officer:ada',
      claimedAt: '2026-11-27T10:00:00.000Z',
      expiresAt: '2026-11-27T10:05:00.000Z',
    });
    const d = await app.inject({
      method: 'POST',
      url: `/v1/consignments/${id}/decisions`,
      headers: { 'x-actor': 'officer:bob' },
      payload: { action: 'inspect', reason: 'x-ray' },
    });
    assert.equal(d.json().code, 'claim.held-by-other');
  } finally {
    await app.close();
    await store.close();
  }
});
