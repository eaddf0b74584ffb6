import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { openPostgresStore } from '../../store/postgres/postgres-store.js';
import { postgresTests } from '../../store/postgres/testing/pg-suite.js';
import { createWrites, fixtureConsignment } from '../../store/testing/fixtures.js';
import { openPgExchangeStore } from '../../store/exchange/open-exchange-store.js';
import type { ClearanceStore, ExchangeStore, WebhookSubscription } from '../../store/index.js';
import { WebhookDispatcher } from './dispatcher.js';
import { httpPoster, type WebhookPoster } from './poster.js';
import { loopbackReceivers } from './testing/destinations.js';
import { leaseKey, localLeases, pgAdvisoryLeases } from './lease.js';
import { newWebhookSecret } from './signature.js';
import type { OutboxMessage, OutboxStream, StreamDeadLetter, StreamState } from './streams.js';
import { createSubscription } from './subscriptions.js';
import { startReceiver, type Received } from './test-receiver.js';

const accept = () => ({ status: 204, keep: true });
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function addConsignments(store: ClearanceStore, operator: string, n: number): Promise<void> {
  const cs = Array.from({ length: n }, () => fixtureConsignment({ submitterId: operator }));
  await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(cs), result: null }));
}

/** Waits (polling) until `done` holds; fails after many rounds rather than hanging the suite. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`gave up waiting: ${what}`);
}

/** How often each notification id reached the receiver; redeliveries must be byte-identical. */
function countsById(kept: readonly Received[]): Map<string, number> {
  const counts = new Map<string, number>();
  const bodies = new Map<string, string>();
  for (const r of kept) {
    const prev = bodies.get(r.id);
    if (prev !== undefined) assert.equal(r.body, prev, `redelivery of ${r.id} has the same body`);
    bodies.set(r.id, r.body);
    counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  }
  return counts;
}

/** A further outbox whose messages and delivery state are shared by the dispatchers of one test. */
function sharedStream(operators: readonly string[], perOperator: number): OutboxStream {
  const states = new Map<string, StreamState>();
  const messages: OutboxMessage[] = [];
  let seq = 0;
  for (let i = 0; i < perOperator; i++)
    for (const op of operators) {
      seq++;
      messages.push({
        seq,
        id: `ntc_${op}_${i}`,
        type: 'partnership.noticed',
        at: '2999-01-01T00:00:00.000Z',
        body: JSON.stringify({ id: `ntc_${op}_${i}`, to: op, n: i }),
      });
    }
  const to = (m: OutboxMessage) => (JSON.parse(m.body) as { to: string }).to;
  return {
    name: 'notices',
    since: (op, afterSeq, limit) =>
      Promise.resolve(messages.filter((m) => to(m) === op && m.seq > afterSeq).slice(0, limit)),
    states: {
      state: (sub, name) => {
        const s = states.get(`${sub}/${name}`);
        return Promise.resolve(s === undefined ? undefined : { ...s });
      },
      save: (sub, name, st: StreamState, _dead?: StreamDeadLetter) => {
        states.set(`${sub}/${name}`, { ...st });
        return Promise.resolve();
      },
      deadLetters: () => Promise.resolve([]),
    },
  };
}

postgresTests('webhook delivery leases on PostgreSQL', (url, freshSchema) => {
  const setup = async (operators: readonly string[], consignmentsEach: number) => {
    const schema = freshSchema('pglease');
    const clearance = await openPostgresStore({ url, schema });
    const admin = await openPgExchangeStore({ url, schema });
    const receivers: {
      op: string;
      rx: Awaited<ReturnType<typeof startReceiver>>;
      sub: WebhookSubscription;
    }[] = [];
    for (const op of operators) {
      const secret = newWebhookSecret();
      const rx = await startReceiver(secret, accept, nowSeconds);
      const sub = await createSubscription(
        admin,
        { operatorId: op, url: rx.url, secret, from: 'beginning' },
        new Date().toISOString(),
        loopbackReceivers,
      );
      receivers.push({ op, rx, sub });
    }
    for (const op of operators) await addConsignments(clearance, op, consignmentsEach);
    const expected = new Map<string, number>();
    for (const op of operators)
      expected.set(op, (await admin.eventsSince(0, 10_000, { submitterId: op })).length);
    return {
      schema,
      admin,
      receivers,
      expected,
      close: async () => {
        for (const r of receivers) await r.rx.close();
        await admin.close();
        await clearance.close();
      },
    };
  };

  /** A dispatcher with its own pool and its own lease connection, as a separate process has. */
  const dispatcher = async (
    schema: string,
    opts: { post?: WebhookPoster; streams?: OutboxStream[]; batchSize?: number } = {},
  ) => {
    const store: ExchangeStore = await openPgExchangeStore({ url, schema });
    const leases = pgAdvisoryLeases({ url, namespace: schema });
    const sent: string[] = [];
    const real = httpPoster({ timeoutMs: 5000, destinations: loopbackReceivers });
    const post: WebhookPoster = opts.post ?? real;
    const d = new WebhookDispatcher(store, {
      leases,
      batchSize: opts.batchSize ?? 5,
      ...(opts.streams ? { streams: opts.streams } : {}),
      post: async (u, body, headers) => {
        const r = await post(u, body, headers);
        if (r.ok) sent.push(headers['webhook-id'] ?? '');
        return r;
      },
    });
    const abort = new AbortController();
    return {
      d,
      store,
      leases,
      sent,
      abort,
      run: () => d.run(abort.signal, 10),
      /** Dies as a killed process does: its lease connection and its pool close, its loop stops. */
      kill: async () => {
        abort.abort();
        await leases.close();
        await store.close();
      },
    };
  };

  test('a lease is held by one connection at a time and freed when that connection closes', async () => {
    const a = pgAdvisoryLeases({ url, namespace: 'lease-test' });
    const b = pgAdvisoryLeases({ url, namespace: 'lease-test' });
    try {
      assert.equal(await a.tryAcquire('k1'), true);
      assert.equal(await a.tryAcquire('k1'), false, 'not handed out twice in one process either');
      assert.equal(await b.tryAcquire('k1'), false);
      assert.equal(await b.tryAcquire('k2'), true, 'other keys are independent');
      assert.equal(await a.stillHeld('k1'), true);
      assert.equal(await a.stillHeld('k2'), false);
      await b.release('k2');
      assert.equal(await a.tryAcquire('k2'), true, 'a released lease can be taken');
      await a.close();
      assert.equal(await a.stillHeld('k1'), false);
      assert.equal(await b.tryAcquire('k1'), true, 'the lease of a closed connection is free');
      assert.equal(await b.tryAcquire('k2'), true);
    } finally {
      await a.close();
      await b.close();
    }
    const local = localLeases();
    assert.equal(await local.tryAcquire('x'), true);
    assert.equal(await local.tryAcquire('x'), false);
    await local.release('x');
    assert.equal(await local.tryAcquire('x'), true);
  });

  test('a dispatcher skips a subscription whose lease another holds, and delivers it once the lease is free', async () => {
    const env = await setup(['opr_a'], 6);
    const holder = pgAdvisoryLeases({ url, namespace: env.schema });
    const one = await dispatcher(env.schema);
    try {
      const { rx, sub } = env.receivers[0]!;
      assert.equal(await holder.tryAcquire(leaseKey(sub.id, 'events')), true);
      const skipped = await one.d.tick();
      assert.equal(skipped.delivered, 0);
      assert.equal(rx.kept.length, 0, 'nothing is sent while another dispatcher holds the lease');
      await holder.close();
      let r = await one.d.tick();
      let delivered = r.delivered;
      while (r.more) delivered += (r = await one.d.tick()).delivered;
      assert.equal(delivered, env.expected.get('opr_a'));
      assert.equal(rx.kept.length, env.expected.get('opr_a'));
    } finally {
      await holder.close();
      await one.kill();
      await env.close();
    }
  });

  test('two dispatchers on one database deliver every event and notice exactly once between them', async () => {
    const operators = ['opr_a', 'opr_b', 'opr_c'];
    const env = await setup(operators, 12);
    const stream = sharedStream(operators, 15);
    const a = await dispatcher(env.schema, { streams: [stream] });
    const b = await dispatcher(env.schema, { streams: [stream] });
    const loops = [a.run(), b.run()];
    try {
      const total = [...env.expected.values()].reduce((x, y) => x + y, 0) + operators.length * 15;
      await until(
        () => env.receivers.reduce((n, r) => n + r.rx.kept.length, 0) >= total,
        'every event delivered',
      );
      a.abort.abort();
      b.abort.abort();
      await Promise.all(loops);
      for (const { op, rx } of env.receivers) {
        const counts = countsById(rx.kept);
        const events = [...counts.keys()].filter((id) => !id.startsWith('ntc_'));
        assert.equal(events.length, env.expected.get(op), `${op}: every event`);
        assert.equal(counts.size - events.length, 15, `${op}: every notice`);
        for (const [id, n] of counts) assert.equal(n, 1, `${id} delivered once, not by both`);
        assert.ok(rx.requests.every((r) => r.signatureOk));
      }
      assert.equal(a.sent.length + b.sent.length, total, 'no request beyond one per message');
      const sentByBoth = a.sent.filter((id) => new Set(b.sent).has(id));
      assert.deepEqual(sentByBoth, []);
    } finally {
      a.abort.abort();
      b.abort.abort();
      await Promise.all(loops);
      await a.kill();
      await b.kill();
      await env.close();
    }
  });

  test('a dispatcher killed mid-stream is taken over by the other, which finishes with nothing lost', async () => {
    const operators = ['opr_a', 'opr_b'];
    const env = await setup(operators, 20);
    const real = httpPoster({ timeoutMs: 5000, destinations: loopbackReceivers });
    let requests = 0;
    let killed: Promise<void> | undefined;
    const victimPosted = new Set<string>();
    // The victim dies right after its 9th request reached the receiver, before it stored the cursor.
    // Subscriptions are delivered side by side, so another subscription's request may also have
    // reached its receiver without its cursor stored: at most one per subscription comes twice.
    const victim = await dispatcher(env.schema, {
      post: async (u, body, headers) => {
        victimPosted.add(headers['webhook-id'] ?? '');
        const r = await real(u, body, headers);
        if (++requests === 9) {
          killed = victim.kill();
          await killed;
          return { ok: false, error: 'killed' };
        }
        return r;
      },
    });
    const survivor = await dispatcher(env.schema);
    const victimLoop = victim.run();
    await until(() => killed !== undefined, 'the victim was killed');
    await victimLoop;
    const survivorLoop = survivor.run();
    try {
      const total = [...env.expected.values()].reduce((x, y) => x + y, 0);
      await until(async () => {
        for (const { sub } of env.receivers) {
          const s = await env.admin.getSubscription(sub.id);
          const last = await env.admin.eventsSince(0, 10_000, { submitterId: s!.operatorId });
          if (s!.cursor !== last[last.length - 1]!.seq) return false;
        }
        return true;
      }, 'every cursor at its last event');
      survivor.abort.abort();
      await survivorLoop;
      assert.ok(victim.sent.length > 0, 'the victim delivered part of the stream before it died');
      assert.ok(survivor.sent.length > 0, 'the survivor took over');
      let distinct = 0;
      for (const { op, rx } of env.receivers) {
        const counts = countsById(rx.kept);
        assert.equal(counts.size, env.expected.get(op), `${op}: every event arrived`);
        distinct += counts.size;
        const twice = [...counts].filter(([, n]) => n > 1);
        assert.ok(twice.length <= 1, `${op}: at most the request in flight at the kill came twice`);
        for (const [id, n] of twice) {
          assert.equal(n, 2, `${op}: ${id} came ${n} times`);
          assert.ok(victimPosted.has(id), `${op}: ${id} came twice but the victim never sent it`);
        }
      }
      assert.equal(distinct, total);
    } finally {
      survivor.abort.abort();
      await survivorLoop;
      await survivor.kill();
      await env.close();
    }
  });

  const worker = fileURLToPath(new URL('./testing/lease-worker.js', import.meta.url));

  /** One dispatcher process; `sent` holds the ids it saw answered 2xx. */
  const startWorker = (schema: string) => {
    const child = spawn(process.execPath, [worker, url, schema], { stdio: ['ignore', 'pipe', 'pipe'] });
    const sent: string[] = [];
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      pending += c.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('sent ')) sent.push(line.slice(5));
    });
    const exit = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    return { child, sent, exit, stderr: () => stderr };
  };

  test('SIGKILL of one of two dispatcher processes mid-stream: the other takes its subscriptions over, nothing lost', async (t) => {
    const schema = freshSchema('pglease');
    const clearance = await openPostgresStore({ url, schema });
    const admin = await openPgExchangeStore({ url, schema });
    const operators = ['opr_a', 'opr_b', 'opr_c'];
    const receivers: { op: string; rx: Awaited<ReturnType<typeof startReceiver>> }[] = [];
    for (const op of operators) {
      const secret = newWebhookSecret();
      const rx = await startReceiver(secret, accept, nowSeconds);
      await createSubscription(
        admin,
        { operatorId: op, url: rx.url, secret, from: 'beginning' },
        new Date().toISOString(),
        loopbackReceivers,
      );
      receivers.push({ op, rx });
    }
    for (const op of operators) await addConsignments(clearance, op, 25);
    const expected = new Map<string, number>();
    for (const op of operators)
      expected.set(op, (await admin.eventsSince(0, 10_000, { submitterId: op })).length);
    const total = [...expected.values()].reduce((x, y) => x + y, 0);
    const received = () => receivers.reduce((n, r) => n + r.rx.requests.length, 0);
    const workers = [startWorker(schema), startWorker(schema)];
    try {
      await until(() => received() >= total / 3, 'a third of the events delivered');
      // Kill the busier one: it holds leases or is about to take them.
      const [victim, survivor] =
        workers[0]!.sent.length >= workers[1]!.sent.length
          ? [workers[0]!, workers[1]!]
          : [workers[1]!, workers[0]!];
      victim.child.kill('SIGKILL');
      assert.equal(await victim.exit, 'SIGKILL');
      const victimSent = victim.sent.length;
      await until(
        () => receivers.every((r) => countsById(r.rx.kept).size === expected.get(r.op)),
        'every event delivered after the kill',
      );
      survivor.child.kill('SIGTERM');
      await survivor.exit;
      assert.ok(victimSent > 0, 'the killed dispatcher had delivered part of the stream');
      assert.ok(survivor.sent.length > 0, 'the survivor delivered');
      let duplicates = 0;
      for (const { op, rx } of receivers) {
        const counts = countsById(rx.kept);
        assert.equal(counts.size, expected.get(op), `${op}: every event arrived`);
        for (const n of counts.values()) duplicates += n - 1;
        assert.ok(rx.requests.every((r) => r.signatureOk));
      }
      // At least once: only what the killed process had in flight (one per lease it held) comes twice.
      assert.ok(duplicates <= operators.length, `${duplicates} redeliveries`);
      t.diagnostic(
        `${total} events; killed process sent ${victimSent}, survivor ${survivor.sent.length}; ${duplicates} redelivered`,
      );
    } finally {
      for (const w of workers) w.child.kill('SIGKILL');
      for (const r of receivers) await r.rx.close();
      await admin.close();
      await clearance.close();
    }
  });
});
