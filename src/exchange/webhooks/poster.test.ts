import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { openSqliteExchangeStore, openSqliteStore, type ClearanceStore } from '../../store/index.js';
import { createWrites, fixtureConsignment } from '../../store/testing/index.js';
import { scratchDir } from '../../testing/scratch.js';
import type { HostLookup } from './destination.js';
import { WebhookDispatcher } from './dispatcher.js';
import { httpPoster, type WebhookPoster } from './poster.js';
import type { OutboxStream, StreamDeadLetter, StreamState } from './streams.js';
import { createSubscription } from './subscriptions.js';
import { pinnedTestCert, pinnedTestKey } from './testing/pinned-tls.js';

/** A loopback server recording each request's Host header and path; answers with `answer`. */
async function server(answer: (res: http.ServerResponse) => void) {
  const got: { host: string; path: string }[] = [];
  const s = http.createServer((req, res) => {
    got.push({ host: String(req.headers.host), path: req.url ?? '' });
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return { port, got, close: () => new Promise<void>((resolve) => s.close(() => resolve())) };
}

/** A resolver whose answer the test changes; counts its calls. */
function switchable(first: string) {
  let answer = first;
  const lookup: HostLookup & { calls: number; set(a: string): void } = Object.assign(
    (_host: string) => {
      lookup.calls++;
      return Promise.resolve([{ address: answer, family: 4 as const }]);
    },
    { calls: 0, set: (a: string) => void (answer = a) },
  );
  return lookup;
}

async function withStores(run: (clearance: ClearanceStore, dir: string) => Promise<void>) {
  const dir = scratchDir('pg-poster-');
  const clearance = openSqliteStore({ dataDir: dir });
  try {
    await run(clearance, dir);
  } finally {
    await clearance.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const add = (store: ClearanceStore, operator: string) =>
  store.transact({ keys: [], ids: [] }, () => ({
    writes: createWrites([fixtureConsignment({ submitterId: operator })]),
    result: null,
  }));

test('DNS rebinding: a name public at subscription and loopback at delivery is not sent, and dead-lettered at once', async () => {
  const rx = await server((res) => res.writeHead(204).end());
  await withStores(async (clearance, dir) => {
    const exchange = openSqliteExchangeStore({ dataDir: dir });
    try {
      const lookup = switchable('93.184.215.14');
      const url = `http://hooks.rebind.test:${rx.port}/hook`;
      const sub = await createSubscription(
        exchange,
        { operatorId: 'opr_a', url, from: 'beginning' },
        '2026-11-30T10:00:00.000Z',
        { lookup },
      );
      await add(clearance, 'opr_a');
      lookup.set('127.0.0.1');
      const d = new WebhookDispatcher(exchange, { destinations: { lookup }, retry: { maxAttempts: 8 } });
      const r = await d.tick();
      assert.equal(rx.got.length, 0, 'nothing reached the loopback receiver');
      assert.equal(r.deadLettered, 1, 'dead-lettered at the first attempt, not retried');
      const [dead] = await exchange.deadLetters(sub.id);
      assert.equal(dead?.attempts, 1);
      assert.match(
        dead?.lastError ?? '',
        /^destination-forbidden: .*127\.0\.0\.1.*127\.0\.0\.0\/8 \(loopback\)/,
      );
      const after = await exchange.getSubscription(sub.id);
      assert.equal(after?.nextAttemptAt, null, 'no retry scheduled');
      assert.equal(after?.attempts, 0);
    } finally {
      await exchange.close();
    }
  });
  await rx.close();
});

test('the request goes to the address that was checked, with the name in Host, resolved once per delivery', async () => {
  const rx = await server((res) => res.writeHead(200).end());
  try {
    // The name exists only in this resolver: a delivery that arrives connected to the checked address.
    const lookup = switchable('127.0.0.1');
    const post = httpPoster({ destinations: { lookup, allow: ['127.0.0.1/32'] } });
    const r = await post(`http://pinned.test:${rx.port}/in?x=1`, '{}', {
      'content-type': 'application/json',
    });
    assert.deepEqual(r, { ok: true });
    assert.deepEqual(rx.got, [{ host: `pinned.test:${rx.port}`, path: '/in?x=1' }]);
    assert.equal(lookup.calls, 1);
  } finally {
    await rx.close();
  }
});

test('over https the pinned connection presents the name (SNI) and checks the certificate against it', async () => {
  const seen: string[] = [];
  const s = https.createServer({ key: pinnedTestKey, cert: pinnedTestCert }, (req, res) => {
    seen.push(`${String((req.socket as { servername?: string }).servername)} ${String(req.headers.host)}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  try {
    const destinations = { lookup: switchable('127.0.0.1'), allow: ['127.0.0.1/32'] };
    const post = httpPoster({ destinations, ca: pinnedTestCert });
    assert.deepEqual(await post(`https://pinned.test:${port}/h`, '{}', {}), { ok: true });
    assert.deepEqual(seen, [`pinned.test pinned.test:${port}`]);
    // The same certificate for another name is refused: the name, not the address, is verified.
    const other = httpPoster({
      destinations: { lookup: switchable('127.0.0.1'), allow: ['127.0.0.1/32'] },
      ca: pinnedTestCert,
    });
    const r = await other(`https://other.test:${port}/h`, '{}', {});
    assert.equal(r.ok, false);
    assert.equal(r.error, 'ERR_TLS_CERT_ALTNAME_INVALID');
  } finally {
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

test('a redirect is not followed: the 3xx is the failure, the target gets nothing', async () => {
  const target = await server((res) => res.writeHead(204).end());
  const redirector = await server((res) =>
    res.writeHead(302, { location: `http://127.0.0.1:${target.port}/stolen` }).end(),
  );
  try {
    const post = httpPoster({ destinations: { allow: ['127.0.0.1/32'] } });
    const r = await post(`http://127.0.0.1:${redirector.port}/hook`, '{}', {});
    assert.deepEqual(r, { ok: false, error: 'HTTP 302' });
    assert.equal(redirector.got.length, 1);
    assert.equal(target.got.length, 0);
  } finally {
    await target.close();
    await redirector.close();
  }
});

test('loopback is refused by default and delivered to once allowed', async () => {
  const rx = await server((res) => res.writeHead(200).end());
  try {
    const url = `http://127.0.0.1:${rx.port}/hook`;
    const refused = await httpPoster()(url, '{}', {});
    assert.equal(refused.ok, false);
    assert.equal(refused.forbidden, true);
    assert.match(refused.error ?? '', /127\.0\.0\.0\/8 \(loopback\)/);
    assert.equal(rx.got.length, 0);
    // The allow list names the range; a neighbouring address stays refused.
    assert.deepEqual(await httpPoster({ destinations: { allow: ['127.0.0.1/32'] } })(url, '{}', {}), {
      ok: true,
    });
    const other = await httpPoster({ destinations: { allow: ['127.0.0.2/32'] } })(url, '{}', {});
    assert.equal(other.forbidden, true);
    assert.equal(rx.got.length, 1);
  } finally {
    await rx.close();
  }
});

test('a name that does not resolve at delivery is an ordinary failure, retried later', async () => {
  const lookup: HostLookup = () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
  const r = await httpPoster({ destinations: { lookup } })('https://gone.test/h', '{}', {});
  assert.equal(r.ok, false);
  assert.equal(r.forbidden, undefined);
  assert.match(r.error ?? '', /^destination-unresolvable: .*gone\.test.*ENOTFOUND/);
});

test('a further stream dead-letters a message to a forbidden destination at once, the next one flows', async () => {
  await withStores(async (_clearance, dir) => {
    const exchange = openSqliteExchangeStore({ dataDir: dir });
    try {
      const lookup = switchable('93.184.215.14');
      const sub = await createSubscription(
        exchange,
        { operatorId: 'opr_a', url: 'https://hooks.stream.test/h' },
        '2026-11-30T10:00:00.000Z',
        { lookup },
      );
      const messages = [1, 2].map((seq) => ({
        seq,
        id: `ntc_${seq}`,
        type: 'partnership.notice',
        at: '2026-11-30T11:00:00.000Z',
        body: '{}',
      }));
      const states = new Map<string, StreamState>();
      const dead: StreamDeadLetter[] = [];
      const stream: OutboxStream = {
        name: 'notices',
        since: (_op, after) => Promise.resolve(messages.filter((m) => m.seq > after)),
        states: {
          state: (s, st) => Promise.resolve(states.get(`${s}:${st}`)),
          save: (s, st, state, d) => {
            states.set(`${s}:${st}`, { ...state });
            if (d) dead.push(d);
            return Promise.resolve();
          },
          deadLetters: () => Promise.resolve(dead),
        },
      };
      const sent: string[] = [];
      // The first message meets a forbidden answer, the second a public one.
      const post: WebhookPoster = (_url, _body, headers) => {
        const id = headers['webhook-id'] ?? '';
        if (id === 'ntc_1')
          return Promise.resolve({ ok: false, forbidden: true, error: 'destination-forbidden: x' });
        sent.push(id);
        return Promise.resolve({ ok: true });
      };
      const d = new WebhookDispatcher(exchange, {
        post,
        streams: [stream],
        retry: { maxAttempts: 8 },
        clock: () => new Date('2026-11-30T12:00:00.000Z'),
      });
      const r = await d.deliverStream(sub, stream);
      assert.deepEqual([r.deadLettered, r.delivered], [1, 1]);
      assert.deepEqual(
        dead.map((x) => [x.message.id, x.attempts, x.lastError]),
        [['ntc_1', 1, 'destination-forbidden: x']],
      );
      assert.deepEqual(sent, ['ntc_2']);
    } finally {
      await exchange.close();
    }
  });
});

test('a receiver that does not answer in time is a TimeoutError; one that cuts its 2xx body short is still a 2xx', async () => {
  const silent = await server(() => undefined);
  const cut = await server((res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write('partial');
    setTimeout(() => res.destroy(), 20);
  });
  try {
    const post = httpPoster({ timeoutMs: 300, destinations: { allow: ['127.0.0.1/32'] } });
    assert.deepEqual(await post(`http://127.0.0.1:${silent.port}/h`, '{}', {}), {
      ok: false,
      error: 'TimeoutError',
    });
    assert.deepEqual(await post(`http://127.0.0.1:${cut.port}/h`, '{}', {}), { ok: true });
  } finally {
    silent.close().catch(() => undefined);
    await cut.close();
  }
});

test('within the TTL one lookup serves a burst of deliveries to a host; after it the name is resolved and checked again', async () => {
  const rx = await server((res) => res.writeHead(204).end());
  try {
    const lookup = switchable('127.0.0.1');
    let now = Date.parse('2026-11-30T10:00:00Z');
    const post = httpPoster({
      destinations: { lookup, allow: ['127.0.0.1/32'] },
      addressCache: { ttlMs: 30_000, clock: () => now },
    });
    const url = `http://burst.test:${rx.port}/in`;
    // Concurrent first deliveries share the one lookup; the ones after it reuse its checked address.
    const first = await Promise.all(Array.from({ length: 5 }, () => post(url, '{}', {})));
    for (let i = 0; i < 15; i++) first.push(await post(url, '{}', {}));
    assert.ok(first.every((r) => r.ok));
    assert.equal(rx.got.length, 20);
    assert.equal(lookup.calls, 1, 'one lookup for twenty deliveries');

    // Rebinding inside the TTL: the answer changes, but deliveries keep going to the address checked.
    lookup.set('10.9.9.9');
    now += 29_999;
    assert.deepEqual(await post(url, '{}', {}), { ok: true });
    assert.equal(lookup.calls, 1);
    assert.equal(rx.got.length, 21, 'still the checked loopback receiver');

    // After the TTL the name is resolved again and its new (forbidden) answer refused: nothing sent.
    now += 1;
    const refused = await post(url, '{}', {});
    assert.equal(lookup.calls, 2);
    assert.equal(refused.forbidden, true);
    assert.match(refused.error ?? '', /10\.9\.9\.9.*10\.0\.0\.0\/8/);
    assert.equal(rx.got.length, 21);
    // A refusal is not kept: the next delivery resolves again (and, public once more, is sent).
    lookup.set('127.0.0.1');
    assert.deepEqual(await post(url, '{}', {}), { ok: true });
    assert.equal(lookup.calls, 3);
    assert.deepEqual(await post(url, '{}', {}), { ok: true });
    assert.equal(lookup.calls, 3);
  } finally {
    await rx.close();
  }
});
