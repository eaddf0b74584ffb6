/**
 * Changing a webhook subscription in place (`PATCH /v1/webhooks/:id`, `webhooks update`): URL, event
 * types, paused or active, signing secret. The cursor stays (pending events keep their position and go
 * to the new URL), a rotated secret is answered once and signs what follows, a bad field is a 400 problem
 * naming it and changes nothing, and only the owner (a submitter or admin key) changes a subscription.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { bearer, keysApp } from '../src/access/testing.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { WebhookDispatcher, verifyWebhook, type HostLookup } from '../src/exchange/index.js';
import { postalItem } from '../src/testing/consignments.js';
import { openExchangeApp } from './helpers/exchange-app.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const NOW = '2026-11-30T10:00:00Z';
const names: Record<string, string[]> = {
  'old.example': ['93.184.215.14'],
  'new.example': ['93.184.215.15'],
  'inside.example': ['10.1.2.3'],
};
const lookup: HostLookup = (host) => {
  const a = names[host];
  if (a === undefined) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
  return Promise.resolve(a.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }) as const));
};
const h = { 'x-submitter-id': 'opr_hooks' };

type App = Awaited<ReturnType<typeof openExchangeApp>>;
const patch = (t: App, id: string, payload: unknown, headers: Record<string, string> = h) =>
  t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${id}`, headers, payload: payload as object });

async function subscribe(
  t: Pick<App, 'app'>,
  payload: object = { url: 'https://old.example/hook' },
  headers: Record<string, string> = h,
) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/webhooks', headers, payload });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; secret: string; cursor: number };
}

test('an update changes url, event types, active and secret; the secret is answered once; the cursor stays', async () => {
  const t = await openExchangeApp({
    prefix: 'pg-hookupd-',
    snapshot,
    now: NOW,
    webhookDestinations: { lookup },
  });
  try {
    for (const serial of ['20000001', '20000002'])
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: '/v1/consignments',
            headers: h,
            payload: postalItem({}, serial),
          })
        ).statusCode,
        201,
      );
    const sub = await subscribe(t, { url: 'https://old.example/hook', from: 'now' });
    assert.ok(sub.cursor > 0);
    const moved = await patch(t, sub.id, {
      url: 'https://new.example/in',
      eventTypes: ['consignment.released', 'consignment.released'],
      active: false,
    });
    assert.equal(moved.statusCode, 200, moved.body);
    const m = moved.json();
    assert.equal(m.url, 'https://new.example/in');
    assert.deepEqual(m.eventTypes, ['consignment.released']);
    assert.equal(m.active, false);
    assert.equal(m.cursor, sub.cursor, 'the delivery position is kept');
    assert.equal('secret' in m, false, 'no secret unless it changed');

    const rotated = await patch(t, sub.id, { rotateSecret: true, active: true });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const r = rotated.json();
    assert.match(r.secret, /^whsec_/);
    assert.notEqual(r.secret, sub.secret);
    assert.equal(r.active, true);
    assert.equal((await t.exchange.getSubscription(sub.id))?.secret, r.secret, 'stored');
    const read = await t.app.inject({ url: `/v1/webhooks/${sub.id}`, headers: h });
    assert.equal('secret' in read.json(), false, 'the secret is shown once');
    assert.equal(read.json().cursor, sub.cursor);

    const all = await patch(t, sub.id, { eventTypes: [] });
    assert.deepEqual(all.json().eventTypes, [], 'an empty filter means every event type');
  } finally {
    await t.close();
  }
});

test('a bad field is a 400 problem naming it, and nothing of the request is written', async () => {
  const t = await openExchangeApp({
    prefix: 'pg-hookbad-',
    snapshot,
    now: NOW,
    webhookDestinations: { lookup },
  });
  try {
    const sub = await subscribe(t, { url: 'https://old.example/hook', eventTypes: ['consignment.declared'] });
    const before = await t.exchange.getSubscription(sub.id);
    const cases: [unknown, number, string, string][] = [
      [{ url: 'ftp://old.example/x', active: false }, 400, 'webhook.invalid-url', '/url'],
      [{ url: 'https://u:p@new.example/x', eventTypes: [] }, 400, 'webhook.invalid-url', '/url'],
      [
        { url: 'https://inside.example/hook', eventTypes: [], active: false, rotateSecret: true },
        400,
        'webhook.destination-forbidden',
        '/url',
      ],
      [{ url: 'http://127.0.0.1/hook', active: false }, 400, 'webhook.destination-forbidden', '/url'],
      [
        { url: 'https://nowhere.example/hook', active: false },
        400,
        'webhook.destination-unresolvable',
        '/url',
      ],
      [
        { eventTypes: ['consignment.released', 'Not A Type'], active: false },
        400,
        'webhook.invalid-event-type',
        '/eventTypes/1',
      ],
      [{ secret: 'whsec_short', active: false }, 400, 'webhook.invalid-secret', '/secret'],
      [{ secret: `whsec_${'A'.repeat(40)}`, rotateSecret: true }, 400, 'webhook.invalid-secret', '/secret'],
      [{ active: 'no' }, 400, 'request.invalid', '/active'],
      [{ cursor: 0 }, 400, 'request.invalid', '/cursor'],
      [{}, 400, 'request.invalid', ''],
    ];
    for (const [body, status, code, path] of cases) {
      const res = await patch(t, sub.id, body);
      const what = JSON.stringify(body);
      assert.equal(res.statusCode, status, `${what}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const p = res.json() as { code: string; issues?: { path: string }[] };
      assert.equal(p.code, code, what);
      if (path !== '')
        assert.ok(
          (p.issues ?? []).some((i) => i.path === path),
          `${what}: the problem names ${path}: ${res.body}`,
        );
      assert.deepEqual(await t.exchange.getSubscription(sub.id), before, `${what}: nothing written`);
    }
  } finally {
    await t.close();
  }
});

test('another operator’s subscription is 404 to an update, and stays as it was', async () => {
  const t = await openExchangeApp({
    prefix: 'pg-hookown-',
    snapshot,
    now: NOW,
    webhookDestinations: { lookup },
  });
  try {
    const sub = await subscribe(t);
    const before = await t.exchange.getSubscription(sub.id);
    const other = await patch(t, sub.id, { active: false }, { 'x-submitter-id': 'opr_other' });
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().code, 'webhook.not-found');
    const missing = await patch(t, 'whk_00000000000000000000', { active: false });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(await t.exchange.getSubscription(sub.id), before);
  } finally {
    await t.close();
  }
});

test('pending deliveries keep their position: after a URL change they go to the new URL, signed with the rotated secret', async () => {
  const t = await openExchangeApp({
    prefix: 'pg-hookmove-',
    snapshot,
    now: NOW,
    webhookDestinations: { lookup },
  });
  try {
    const sub = await subscribe(t, { url: 'https://old.example/hook', from: 'beginning' });
    for (const serial of ['30000001', '30000002'])
      await t.app.inject({
        method: 'POST',
        url: '/v1/consignments',
        headers: h,
        payload: postalItem({}, serial),
      });
    const sent: { url: string; id: string; headers: Record<string, string>; body: string }[] = [];
    const now = Date.parse(NOW);
    const d = new WebhookDispatcher(t.exchange, {
      clock: () => new Date(now),
      random: () => 0.5,
      post: (url, body, headers) => {
        sent.push({ url, id: headers['webhook-id']!, headers, body });
        return Promise.resolve(
          url.startsWith('https://old.example') ? { ok: false, error: 'HTTP 503' } : { ok: true },
        );
      },
    });
    await d.tick();
    const stuck = (await t.exchange.getSubscription(sub.id))!;
    assert.equal(stuck.cursor, 0, 'the old receiver failed: nothing moved');
    assert.equal(stuck.attempts, 1);
    assert.notEqual(stuck.nextAttemptAt, null);
    const firstId = sent[0]!.id;

    const moved = await patch(t, sub.id, { url: 'https://new.example/in', rotateSecret: true });
    assert.equal(moved.statusCode, 200, moved.body);
    const secret = moved.json().secret as string;
    const after = (await t.exchange.getSubscription(sub.id))!;
    assert.equal(after.cursor, 0, 'position kept');
    assert.deepEqual(
      [after.attempts, after.nextAttemptAt, after.lastError],
      [0, null, null],
      'no backoff carried over',
    );

    sent.length = 0;
    await d.tick();
    assert.ok(sent.length >= 2, 'the pending events were delivered');
    assert.ok(
      sent.every((s) => s.url === 'https://new.example/in'),
      'to the new URL only',
    );
    assert.equal(sent[0]!.id, firstId, 'starting with the event that was pending');
    for (const s of sent)
      assert.deepEqual(verifyWebhook(secret, s.headers, s.body, Math.floor(now / 1000)), { ok: true });
    const events = await t.exchange.eventsSince(0, 100);
    assert.equal((await t.exchange.getSubscription(sub.id))?.cursor, events[events.length - 1]!.seq);
  } finally {
    await t.close();
  }
});

test('keys mode: only submitter and admin keys update, each their own; every change is audited without the secret', async () => {
  const k = await keysApp({}, { exchange: true, webhookDestinations: { lookup } });
  try {
    const { id } = await subscribe(k, { url: 'https://old.example/hook' }, bearer(k.keyOf.submitter));
    for (const role of ['officer', 'supervisor', 'analyst', 'auditor'] as const) {
      const res = await k.app.inject({
        method: 'PATCH',
        url: `/v1/webhooks/${id}`,
        headers: bearer(k.keyOf[role]),
        payload: { active: false },
      });
      assert.equal(res.statusCode, 403, `${role}: ${res.body}`);
    }
    const admin = await k.app.inject({
      method: 'PATCH',
      url: `/v1/webhooks/${id}`,
      headers: bearer(k.keyOf.admin),
      payload: { active: false },
    });
    assert.equal(
      admin.statusCode,
      404,
      'an admin key acts for its own operator: another’s subscription is not found',
    );
    const own = await k.app.inject({
      method: 'PATCH',
      url: `/v1/webhooks/${id}`,
      headers: bearer(k.keyOf.submitter),
      payload: { url: 'https://new.example/in', rotateSecret: true },
    });
    assert.equal(own.statusCode, 200, own.body);
    const secret = own.json().secret as string;
    const read = await k.app.inject({ url: `/v1/webhooks/${id}`, headers: bearer(k.keyOf.submitter) });
    assert.equal(read.json().active, true, 'the refused calls changed nothing');

    const audit = await k.app.inject({ url: '/v1/audit?limit=1000', headers: bearer(k.keyOf.auditor) });
    const entries = (audit.json().entries as { action: string; subject: string; data: unknown }[]).filter(
      (e) => e.action === 'webhook.updated',
    );
    assert.equal(entries.length, 1, 'one entry for the one change that succeeded');
    assert.equal(entries[0]!.subject, id);
    assert.deepEqual((entries[0]!.data as { changed: string[] }).changed, ['url', 'secret']);
    assert.equal((entries[0]!.data as { url: string }).url, 'https://new.example/in');
    assert.doesNotMatch(JSON.stringify(audit.json()), new RegExp(secret.slice(6, 30).replace(/[+/]/g, '.')));
  } finally {
    await k.close();
  }
});

test('keys mode: creating, replaying and deleting a subscription are audited with who, where to and what, never the secret', async () => {
  const k = await keysApp({}, { exchange: true, webhookDestinations: { lookup } });
  try {
    const { id, secret } = await subscribe(
      k,
      { url: 'https://new.example/in', eventTypes: ['consignment.released'], from: 'beginning' },
      bearer(k.keyOf.submitter),
    );
    const refused = await k.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: bearer(k.keyOf.submitter),
      payload: { url: 'ftp://hooks.example/in' },
    });
    assert.equal(refused.statusCode, 400, 'a refused subscription is not audited as created');
    const replayed = await k.app.inject({
      method: 'POST',
      url: `/v1/webhooks/${id}/replay`,
      headers: bearer(k.keyOf.submitter),
      payload: { deadLetters: true },
    });
    assert.equal(replayed.statusCode, 200, replayed.body);
    const deleted = await k.app.inject({
      method: 'DELETE',
      url: `/v1/webhooks/${id}`,
      headers: bearer(k.keyOf.submitter),
    });
    assert.equal(deleted.statusCode, 200, deleted.body);

    const audit = await k.app.inject({ url: '/v1/audit?limit=1000', headers: bearer(k.keyOf.auditor) });
    const entries = (
      audit.json().entries as {
        action: string;
        actor: string;
        subject: string;
        data: Record<string, unknown>;
      }[]
    ).filter((e) => e.action.startsWith('webhook.'));
    assert.deepEqual(
      entries.map((e) => [e.action, e.subject]),
      [
        ['webhook.created', id],
        ['webhook.replayed', id],
        ['webhook.deleted', id],
      ],
    );
    const created = entries[0]!;
    assert.match(created.actor, /submitter|key_|opr_/);
    assert.deepEqual(
      [created.data.url, created.data.eventTypes, created.data.fromSeq],
      ['https://new.example/in', ['consignment.released'], 1],
    );
    assert.equal(entries[1]!.data.deadLetters, 0);
    assert.doesNotMatch(JSON.stringify(audit.json()), new RegExp(secret.slice(6, 30).replace(/[+/]/g, '.')));
  } finally {
    await k.close();
  }
});
