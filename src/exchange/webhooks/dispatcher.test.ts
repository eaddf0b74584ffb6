import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import {
  openSqliteExchangeStore,
  openSqliteStore,
  type ClearanceStore,
  type ExchangeStore,
} from '../../store/index.js';
import { createWrites, fixtureConsignment } from '../../store/testing/index.js';
import { createSubscription, replay } from './subscriptions.js';
import { WebhookDispatcher } from './dispatcher.js';
import { startReceiver, type FailurePlan, type Received } from './test-receiver.js';
import { newWebhookSecret } from './signature.js';
import { scratchDir } from '../../testing/scratch.js';
import { loopbackReceivers } from './testing/destinations.js';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');

/** A clock tests move by hand: no timed assertions. */
function manualClock() {
  let ms = T0;
  return { now: () => new Date(ms), set: (t: number) => (ms = Math.max(ms, t)), ms: () => ms };
}

async function addConsignments(store: ClearanceStore, operator: string, n: number): Promise<void> {
  const cs = Array.from({ length: n }, () => fixtureConsignment({ submitterId: operator }));
  await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites(cs), result: null }));
}

function open() {
  const dir = scratchDir('pg-dispatch-');
  return {
    dir,
    clearance: openSqliteStore({ dataDir: dir }),
    exchange: (): ExchangeStore => openSqliteExchangeStore({ dataDir: dir }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Ticks until the subscription has nothing left, moving the clock to each retry time. */
async function drain(d: WebhookDispatcher, clock: ReturnType<typeof manualClock>, maxTicks = 5000) {
  for (let i = 0; i < maxTicks; i++) {
    const r = await d.tick();
    const next = await d.nextRetryAt();
    if (next !== undefined) clock.set(Date.parse(next));
    else if (!r.more && r.delivered === 0 && r.failed === 0 && r.replayed === 0) return i;
  }
  throw new Error('did not drain');
}

function assertInOrderWithoutLoss(kept: Received[], expectedSeqs: number[]) {
  const firstSeen: number[] = [];
  const bodies = new Map<string, string>();
  for (const r of kept) {
    const prev = bodies.get(r.id);
    if (prev !== undefined) {
      assert.equal(r.body, prev, `redelivery of ${r.id} has the same content`);
      continue;
    }
    bodies.set(r.id, r.body);
    firstSeen.push((JSON.parse(r.body) as { seq: number }).seq);
  }
  assert.deepEqual(firstSeen, expectedSeqs, 'every event arrives once at least, in seq order');
}

// Seeded schedule: about a third of requests fail; some of those after the receiver kept the event.
const flaky: FailurePlan = (n) => {
  const x = (n * 2654435761) % 97;
  if (x < 20) return { status: 500, keep: false };
  if (x < 32) return { status: 503, keep: true };
  return { status: 204, keep: true };
};

test('a flaky receiver gets every event of its operator once at least, in order, with identical redeliveries', async () => {
  const env = open();
  const clock = manualClock();
  const secret = newWebhookSecret();
  const rx = await startReceiver(secret, flaky, () => Math.floor(clock.ms() / 1000));
  const exchange = env.exchange();
  try {
    const sub = await createSubscription(
      exchange,
      { operatorId: 'opr_a', url: rx.url, secret, from: 'beginning' },
      clock.now().toISOString(),
      loopbackReceivers,
    );
    await addConsignments(env.clearance, 'opr_a', 40);
    await addConsignments(env.clearance, 'opr_b', 15);
    await addConsignments(env.clearance, 'opr_a', 25);
    const d = new WebhookDispatcher(exchange, {
      destinations: loopbackReceivers,
      clock: clock.now,
      random: () => 0.5,
      batchSize: 16,
      retry: { maxAttempts: 50 },
    });
    await drain(d, clock);
    const expected = (await exchange.eventsSince(0, 1000, { submitterId: 'opr_a' })).map((e) => e.seq);
    assert.equal(expected.length, 65);
    assert.ok(
      rx.requests.some((r) => r.status >= 500),
      'the receiver did fail sometimes',
    );
    assert.ok(
      rx.requests.every((r) => r.signatureOk),
      'every request carried a valid signature',
    );
    assertInOrderWithoutLoss(rx.kept, expected);
    assert.equal((await exchange.getSubscription(sub.id))?.cursor, expected[expected.length - 1]);
    assert.deepEqual(await exchange.deadLetters(sub.id), []);
  } finally {
    await rx.close();
    await exchange.close();
    await env.clearance.close();
    env.cleanup();
  }
});

test('a dispatcher that stops mid-stream is resumed by a new one from the stored cursor and retry state', async () => {
  const env = open();
  const clock = manualClock();
  const secret = newWebhookSecret();
  const rx = await startReceiver(secret, flaky, () => Math.floor(clock.ms() / 1000));
  let exchange = env.exchange();
  try {
    await createSubscription(
      exchange,
      { operatorId: 'opr_a', url: rx.url, secret },
      clock.now().toISOString(),
      loopbackReceivers,
    );
    await addConsignments(env.clearance, 'opr_a', 30);
    const first = new WebhookDispatcher(exchange, {
      destinations: loopbackReceivers,
      clock: clock.now,
      random: () => 0.3,
      batchSize: 5,
    });
    for (let i = 0; i < 6; i++) {
      await first.tick();
      const next = await first.nextRetryAt();
      if (next !== undefined) clock.set(Date.parse(next));
    }
    const [sub] = await exchange.listSubscriptions();
    assert.ok(sub !== undefined && sub.cursor > 0 && sub.cursor < 30, 'the first dispatcher got part way');
    // The first dispatcher is gone (its connection closed); events keep arriving meanwhile.
    await exchange.close();
    await addConsignments(env.clearance, 'opr_a', 10);
    exchange = env.exchange();
    const second = new WebhookDispatcher(exchange, {
      destinations: loopbackReceivers,
      clock: clock.now,
      random: () => 0.3,
      batchSize: 7,
    });
    await drain(second, clock);
    const expected = (await exchange.eventsSince(0, 1000)).map((e) => e.seq);
    assert.equal(expected.length, 40);
    assertInOrderWithoutLoss(rx.kept, expected);
  } finally {
    await rx.close();
    await exchange.close();
    await env.clearance.close();
    env.cleanup();
  }
});

test('an event the receiver always refuses is dead-lettered after the limit, later events flow, and a replay delivers it', async () => {
  const env = open();
  const clock = manualClock();
  const secret = newWebhookSecret();
  let refuse = 'evt_3';
  const plan: FailurePlan = (_n, id) =>
    id === refuse ? { status: 422, keep: false } : { status: 200, keep: true };
  const rx = await startReceiver(secret, plan, () => Math.floor(clock.ms() / 1000));
  const exchange = env.exchange();
  try {
    const sub = await createSubscription(
      exchange,
      { operatorId: 'opr_a', url: rx.url, secret, eventTypes: ['consignment.declared'] },
      clock.now().toISOString(),
      loopbackReceivers,
    );
    await addConsignments(env.clearance, 'opr_a', 6);
    const d = new WebhookDispatcher(exchange, {
      destinations: loopbackReceivers,
      clock: clock.now,
      random: () => 0,
      retry: { maxAttempts: 4 },
    });
    await drain(d, clock);
    const dead = await exchange.deadLetters(sub.id);
    assert.deepEqual(
      dead.map((x) => [x.seq, x.attempts, x.lastError]),
      [[3, 4, 'HTTP 422']],
    );
    assert.deepEqual(
      rx.kept.map((r) => r.id),
      ['evt_1', 'evt_2', 'evt_4', 'evt_5', 'evt_6'],
    );
    assert.equal(rx.requests.filter((r) => r.id === 'evt_3').length, 4);
    refuse = '';
    assert.deepEqual(await replay(exchange, sub, { deadLetters: true }, clock.now().toISOString()), {
      deadLetters: 1,
    });
    await drain(d, clock);
    assert.equal(rx.kept[rx.kept.length - 1]?.id, 'evt_3');
    assert.deepEqual(await exchange.deadLetters(sub.id), []);
    await replay(exchange, sub, { fromSeq: 5 }, clock.now().toISOString());
    await drain(d, clock);
    assert.deepEqual(
      rx.kept.slice(-2).map((r) => r.id),
      ['evt_5', 'evt_6'],
    );
  } finally {
    await rx.close();
    await exchange.close();
    await env.clearance.close();
    env.cleanup();
  }
});

test('retries wait longer after each failure and stop at the limit', async () => {
  const env = open();
  const clock = manualClock();
  const secret = newWebhookSecret();
  const rx = await startReceiver(
    secret,
    () => ({ status: 500, keep: false }),
    () => Math.floor(clock.ms() / 1000),
  );
  const exchange = env.exchange();
  try {
    const sub = await createSubscription(
      exchange,
      { operatorId: 'opr_a', url: rx.url, secret },
      clock.now().toISOString(),
      loopbackReceivers,
    );
    await addConsignments(env.clearance, 'opr_a', 1);
    const d = new WebhookDispatcher(exchange, {
      destinations: loopbackReceivers,
      clock: clock.now,
      random: () => 0,
      retry: { maxAttempts: 5, baseDelayMs: 1000 },
    });
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = clock.ms();
      await d.tick();
      const next = await d.nextRetryAt();
      if (next !== undefined) {
        gaps.push(Date.parse(next) - before);
        clock.set(Date.parse(next));
      }
    }
    assert.deepEqual(gaps, [500, 1000, 2000, 4000]);
    assert.equal((await exchange.deadLetters(sub.id)).length, 1);
    assert.equal(rx.requests.length, 5);
  } finally {
    await rx.close();
    await exchange.close();
    await env.clearance.close();
    env.cleanup();
  }
});
