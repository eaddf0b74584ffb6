import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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
  // A pass much slower than the interval, as under a backlog.
  services.operators.followEvents = async () => {
    if (closed) afterClose += 1;
    running += 1;
    passes += 1;
    most = Math.max(most, running);
    await new Promise((resolve) => setTimeout(resolve, 40));
    running -= 1;
    return 0;
  };
  const errors: unknown[] = [];
  services.startFollowing(5, (e) => errors.push(e));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await services.close();
  closed = true;
  assert.equal(running, 0, 'close waits for the pass in flight');
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.ok(passes >= 2, `passes ran (${passes})`);
  assert.equal(most, 1, 'one pass at a time');
  assert.equal(afterClose, 0);
  assert.deepEqual(errors, []);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
