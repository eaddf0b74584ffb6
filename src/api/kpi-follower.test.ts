import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { startKpiFollower } from './kpi-follower.js';

const settle = () => new Promise((r) => setImmediate(r));

test('the KPI follower steps every tick while intake is idle', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const steps: number[] = [];
    const stop = startKpiFollower({
      refresh: async (n) => steps.push(n),
      busy: () => false,
      everyMs: 2000,
      maxEvents: 20_000,
      maxDeferrals: 5,
    });
    for (let i = 0; i < 4; i++) {
      mock.timers.tick(2000);
      await settle();
    }
    stop();
    assert.deepEqual(steps, [20_000, 20_000, 20_000, 20_000]);
  } finally {
    mock.timers.reset();
  }
});

test('the KPI follower waits while intake batches are in flight, but never more than its deferrals in a row', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let busy = true;
    let steps = 0;
    const stop = startKpiFollower({
      refresh: async () => steps++,
      busy: () => busy,
      everyMs: 2000,
      maxEvents: 20_000,
      maxDeferrals: 3,
    });
    const ticks = async (n: number) => {
      for (let i = 0; i < n; i++) {
        mock.timers.tick(2000);
        await settle();
      }
    };
    await ticks(3);
    assert.equal(steps, 0, 'no step while intake is busy');
    await ticks(1);
    assert.equal(steps, 1, 'one step after the deferrals run out');
    await ticks(4);
    assert.equal(steps, 2, 'a long flood still sees one step every deferrals + 1 ticks');
    busy = false;
    await ticks(2);
    assert.equal(steps, 4, 'back to every tick once intake is idle');
    stop();
  } finally {
    mock.timers.reset();
  }
});

test('the KPI follower never starts a step while the previous one runs', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    let running = 0;
    let most = 0;
    let release: () => void = () => undefined;
    const stop = startKpiFollower({
      refresh: () => {
        running++;
        most = Math.max(most, running);
        return new Promise<void>((r) => {
          release = () => {
            running--;
            r();
          };
        });
      },
      busy: () => false,
      everyMs: 2000,
      maxEvents: 20_000,
      maxDeferrals: 3,
    });
    for (let i = 0; i < 3; i++) {
      mock.timers.tick(2000);
      await settle();
    }
    assert.equal(most, 1);
    release();
    await settle();
    stop();
  } finally {
    mock.timers.reset();
  }
});
