import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { buildApp } from '../src/api/index.js';
import { kpiFollowMs, kpiFollowStep } from '../src/api/routes-console.js';
import { loadSnapshot } from '../src/clearance/index.js';
import { openSqliteStore } from '../src/store/index.js';
import type { ConsoleStore } from '../src/store/console/port.js';
import { postalItem } from '../src/testing/consignments.js';
import { scratchDir } from '../src/testing/scratch.js';
import { gatedStore } from './gated-store.js';

test('the KPI follower takes no step while an intake batch is in flight, and resumes once it is answered', async () => {
  const dir = scratchDir('pg-kpi-follow-');
  const real = openSqliteStore({ dataDir: dir });
  // Steps of the follower are the bounded refreshes; a report refreshes without a bound.
  let steps = 0;
  const consoleStore: ConsoleStore = Object.create(real.console!) as ConsoleStore;
  consoleStore.refreshKpiFacts = (maxEvents?: number) => {
    if (maxEvents === kpiFollowStep) steps++;
    return real.console!.refreshKpiFacts(maxEvents);
  };
  // A store whose commits wait while held, so a batch can be caught in flight.
  const { store, hold } = gatedStore(real, consoleStore);
  mock.timers.enable({ apis: ['setInterval'] });
  const app = await buildApp({
    store,
    snapshot: () => loadSnapshot(),
    clock: () => new Date('2026-11-29T10:00:00Z'),
  });
  const tick = async () => {
    mock.timers.tick(kpiFollowMs);
    await new Promise((r) => setImmediate(r));
  };
  try {
    await tick();
    assert.equal(steps, 1, 'a step on an idle tick');

    const release = hold();
    const pending = app.inject({
      method: 'POST',
      url: '/v1/consignments',
      payload: postalItem({}, '87654321'),
    });
    for (let i = 0; i < 200; i++) {
      const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      if (/^parcelgate_ingest_batches_in_flight 1$/m.test(body)) break;
    }
    for (let i = 0; i < 3; i++) await tick();
    assert.equal(steps, 1, 'no step while the batch is in flight');

    release();
    assert.equal((await pending).statusCode, 201);
    await tick();
    assert.equal(steps, 2, 'a step again once intake is idle');
  } finally {
    mock.timers.reset();
    await app.close();
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
