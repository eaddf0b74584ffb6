/**
 * Webhook destinations over HTTP: a subscription to a non-public address (or one that resolves to it),
 * or to a name that does not resolve, is a 400 problem naming the field, the address and the range,
 * and nothing is stored; an administration's allow list admits its ranges and no others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { loadSnapshot } from '../src/clearance/index.js';
import type { HostLookup } from '../src/exchange/index.js';
import { openExchangeApp } from './helpers/exchange-app.js';

const snapshot = loadSnapshot({ randomRate: 0 });
const names: Record<string, string[]> = {
  'hooks.example': ['93.184.215.14'],
  'inside.example': ['10.1.2.3'],
  'rebind.example': ['93.184.215.14', '169.254.169.254'],
};
const lookup: HostLookup = (host) => {
  const a = names[host];
  if (a === undefined) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
  return Promise.resolve(a.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }) as const));
};
const h = { 'x-submitter-id': 'opr_hooks' };

test('a webhook to a non-public destination is a 400 problem at /url naming address and range; nothing is stored', async () => {
  const t = await openExchangeApp({
    prefix: 'pg-hookdest-',
    snapshot,
    now: '2026-11-30T10:00:00Z',
    webhookDestinations: { lookup },
  });
  try {
    const subscribe = (url: string) =>
      t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: h, payload: { url } });
    for (const [url, address, range] of [
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254', '169.254.0.0/16'],
      ['http://127.0.0.1:8080/hook', '127.0.0.1', '127.0.0.0/8'],
      ['http://[::1]/hook', '::1', '::1/128'],
      ['http://[::ffff:192.168.0.10]/hook', '::ffff:c0a8:a', '192.168.0.0/16'],
      ['https://inside.example/hook', '10.1.2.3', '10.0.0.0/8'],
      ['https://rebind.example/hook', '169.254.169.254', '169.254.0.0/16'],
    ] as const) {
      const res = await subscribe(url);
      assert.equal(res.statusCode, 400, url);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const p = res.json() as Record<string, unknown> & { issues: { path: string; code: string }[] };
      assert.equal(p.code, 'webhook.destination-forbidden', url);
      assert.equal(p.address, address, url);
      assert.equal(p.range, range, url);
      assert.deepEqual(
        p.issues.map((i) => [i.code, i.path]),
        [['webhook.destination-forbidden', '/url']],
      );
      assert.ok(String(p.detail).includes(range), `${url}: the detail names the range`);
    }
    const localhost = await subscribe('http://localhost:3000/hook');
    assert.equal(localhost.json().code, 'webhook.destination-forbidden');
    const nowhere = await subscribe('https://nowhere.example/hook');
    assert.equal(nowhere.statusCode, 400);
    assert.equal(nowhere.json().code, 'webhook.destination-unresolvable');
    assert.equal(nowhere.json().issues[0].path, '/url');
    const listed = await t.app.inject({ url: '/v1/webhooks', headers: h });
    assert.deepEqual(listed.json(), { subscriptions: [] });
    assert.equal((await subscribe('https://hooks.example/hook')).statusCode, 201);
  } finally {
    await t.close();
  }
});

test('an allow list admits the ranges it names to the API, and only those', async () => {
  const t = await openExchangeApp({
    prefix: 'pg-hookallow-',
    snapshot,
    now: '2026-11-30T10:00:00Z',
    webhookDestinations: { lookup, allow: ['10.0.0.0/8', '127.0.0.1'] },
  });
  try {
    const subscribe = (url: string) =>
      t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: h, payload: { url } });
    assert.equal((await subscribe('https://inside.example/hook')).statusCode, 201);
    assert.equal((await subscribe('http://127.0.0.1:9000/hook')).statusCode, 201);
    assert.equal(
      (await subscribe('http://127.0.0.2:9000/hook')).json().code,
      'webhook.destination-forbidden',
    );
    assert.equal((await subscribe('http://169.254.169.254/')).json().code, 'webhook.destination-forbidden');
  } finally {
    await t.close();
  }
});
