import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { ParcelgateError } from '../domain/index.js';
import { openSqliteRegistry } from '../registry/index.js';
import { openSqliteStore } from '../store/index.js';
import { openRegistryServices } from './registry-services.js';
import { scratchDir } from '../testing/scratch.js';

test('following never runs passes side by side and close waits for the running pass', async () => {
  const dir = scratchDir('pg-regsvc-');
  const file = join(dir, 'p.db');
  const store = openSqliteStore({ file });
  const services = await openRegistryServices(openSqliteRegistry({ file }), store);
  let running = 0;
  let most = 0;
  let passes = 0;
  let afterClose = 0;
  let closed = false;
  // Each pass holds until the test releases it: a pass much slower than the interval, as under a
  // backlog, however loaded the machine is.
  const holds: (() => void)[] = [];
  services.operators.followEvents = async () => {
    if (closed) afterClose += 1;
    running += 1;
    passes += 1;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => holds.push(resolve));
    running -= 1;
    return 0;
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const errors: unknown[] = [];
  // The interval is driven by hand: every tick is an interval firing, none is left to the clock.
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    services.startFollowing(5, (e) => errors.push(e));
    mock.timers.tick(5);
    assert.equal(passes, 1, 'the first interval starts a pass');
    for (let i = 0; i < 20; i++) {
      mock.timers.tick(5);
      await settle();
    }
    assert.equal(passes, 1, 'intervals firing while a pass runs start none');
    holds.shift()!();
    // The rest of the first pass (payments, brand floors) finishes on its own: fire the interval
    // until the second pass starts.
    while (passes < 2) {
      mock.timers.tick(5);
      await settle();
    }
    let closeDone = false;
    const closing = services.close().then(() => {
      closeDone = true;
    });
    await settle();
    assert.equal(closeDone, false, 'close waits for the pass in flight');
    holds.shift()!();
    await closing;
    closed = true;
    assert.equal(running, 0, 'close waits for the pass in flight');
    mock.timers.tick(50);
    await settle();
  } finally {
    mock.timers.reset();
  }
  assert.ok(passes >= 2, `passes ran (${passes})`);
  assert.equal(most, 1, 'one pass at a time');
  assert.equal(afterClose, 0);
  assert.deepEqual(errors, []);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a follower pass that loses the race for a cursor to another process is no error, and the other steps still run', async () => {
  const dir = scratchDir('pg-regsvc-race-');
  const file = join(dir, 'p.db');
  const store = openSqliteStore({ file });
  const services = await openRegistryServices(openSqliteRegistry({ file }), store);
  // What another server's pass makes this one's write fail with (the cursor's version moved on).
  const lost = new ParcelgateError(
    'registry.conflict',
    'cursor compliance changed since it was read (version 10, expected 9)',
    409,
  );
  const failure = new Error('connection reset');
  let compliance = 0;
  let payments = 0;
  services.operators.followEvents = async () => {
    compliance += 1;
    throw compliance === 1 ? lost : failure;
  };
  services.payments.follow = async () => {
    payments += 1;
    if (payments === 1) throw lost;
    return 0;
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  const errors: unknown[] = [];
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    services.startFollowing(5, (e) => errors.push(e));
    while (payments < 2) {
      mock.timers.tick(5);
      await settle();
    }
    await services.close();
  } finally {
    mock.timers.reset();
  }
  assert.equal(compliance, 2);
  assert.equal(payments, 2, 'payments followed although the compliance pass failed');
  assert.deepEqual(errors, [failure], 'only the real failure is reported');
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
