import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { installGracefulShutdown } from './shutdown.js';

/** An app whose closing step waits for `release`, and the shutdown installed on it. */
async function closingApp(duplicateMs?: number) {
  const app = Fastify();
  await app.ready();
  const exits: number[] = [];
  const logs: string[] = [];
  let release!: () => void;
  const closed = new Promise<void>((r) => (release = r));
  const stop = installGracefulShutdown(app, {
    close: () => closed,
    exit: (code) => exits.push(code),
    log: (m) => logs.push(m),
    ...(duplicateMs === undefined ? {} : { duplicateMs }),
  });
  return { stop, exits, logs, release };
}

test('a second signal at once is the same interrupt delivered twice: the shutdown stays graceful', async () => {
  const { stop, exits, logs, release } = await closingApp();
  const first = stop();
  await stop(); // npm run's forwarded copy of the same Ctrl-C
  assert.deepEqual(exits, []);
  release();
  await first;
  assert.deepEqual(exits, [0]);
  assert.equal(logs.filter((m) => m.includes('second signal')).length, 0);
});

test('a second signal after the duplicate window exits at once with 1', async () => {
  const { stop, exits, logs, release } = await closingApp(20);
  const first = stop();
  await new Promise((r) => setTimeout(r, 40));
  await stop();
  assert.deepEqual(exits, [1]);
  assert.ok(logs.some((m) => m.includes('second signal, exiting now')));
  release();
  await first;
});
