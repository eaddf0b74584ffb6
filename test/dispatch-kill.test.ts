import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createSubscription, newWebhookSecret } from '../src/exchange/index.js';
import { startReceiver, type FailurePlan } from '../src/exchange/webhooks/test-receiver.js';
import { packageRoot } from '../src/reference/index.js';
import { openSqliteExchangeStore, openSqliteStore, type ClearanceStore } from '../src/store/index.js';
import { createWrites, fixtureConsignment } from '../src/store/testing/index.js';
import { scratchDir } from '../src/testing/scratch.js';
import { loopbackReceivers } from '../src/exchange/webhooks/testing/destinations.js';

const bin = join(packageRoot, 'bin', 'parcelgate.js');

function startDispatch(dataDir: string): ChildProcess {
  return spawn(
    process.execPath,
    [
      bin,
      'dispatch',
      '--data-dir',
      dataDir,
      '--poll-ms',
      '20',
      '--retry-base-ms',
      '5',
      '--max-attempts',
      '1000',
      // The test's receiver listens on loopback: allowed explicitly, as an administration would.
      '--webhook-allow',
      '127.0.0.1/32',
    ],
    { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, CI: 'true' } },
  );
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function add(store: ClearanceStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const c = fixtureConsignment({ submitterId: 'opr_a' });
    await store.transact({ keys: [], ids: [] }, () => ({ writes: createWrites([c]), result: null }));
  }
}

const flaky: FailurePlan = (n) => {
  const x = (n * 2654435761) % 89;
  if (x < 18) return { status: 500, keep: false };
  if (x < 26) return { status: 502, keep: true };
  return { status: 200, keep: true };
};

test('killing the dispatcher process mid-delivery loses and reorders nothing: a restarted one resumes', async () => {
  const dataDir = scratchDir('parcelgate-dispatch-kill-');
  const store = openSqliteStore({ dataDir });
  const exchange = openSqliteExchangeStore({ dataDir });
  const secret = newWebhookSecret();
  const rx = await startReceiver(secret, flaky, () => Math.floor(Date.now() / 1000));
  try {
    await createSubscription(
      exchange,
      { operatorId: 'opr_a', url: rx.url, secret },
      new Date().toISOString(),
      loopbackReceivers,
    );
    await add(store, 80);
    const unique = () => new Set(rx.kept.map((r) => r.id)).size;
    let child = startDispatch(dataDir);
    await waitFor(() => unique() >= 25, 'first deliveries');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const beforeRestart = unique();
    assert.ok(beforeRestart < 80, 'killed part way');
    await add(store, 40);
    child = startDispatch(dataDir);
    await waitFor(() => unique() >= 120, 'all deliveries');
    child.kill('SIGTERM');
    await once(child, 'exit');

    const expected = (await exchange.eventsSince(0, 1000)).map((e) => `evt_${e.seq}`);
    assert.equal(expected.length, 120);
    const firstSeen: string[] = [];
    const bodies = new Map<string, string>();
    for (const r of rx.kept) {
      const prev = bodies.get(r.id);
      if (prev !== undefined) assert.equal(r.body, prev, 'a redelivery carries the same body');
      else {
        bodies.set(r.id, r.body);
        firstSeen.push(r.id);
      }
    }
    assert.deepEqual(firstSeen, expected, 'each event once at least, in order, across the kill');
    assert.ok(rx.requests.every((r) => r.signatureOk));
  } finally {
    await rx.close();
    await exchange.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
