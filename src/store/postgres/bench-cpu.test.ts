import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { CpuSampler, mainThreadCpuSeconds } from './bench-cpu.js';
import { postgresTests } from './testing/pg-suite.js';

test(
  "the main thread's CPU counts its own work, not more than the process's",
  { skip: existsSync('/proc/self/task') ? false : 'no /proc' },
  () => {
    const main0 = mainThreadCpuSeconds();
    const cpu0 = process.cpuUsage();
    // Busy for 300 ms of wall time on this thread (the clock ticks are 10 ms).
    const until = performance.now() + 300;
    let spin = 0;
    while (performance.now() < until) spin++;
    const main = mainThreadCpuSeconds() - main0;
    const cpu = process.cpuUsage(cpu0);
    assert.ok(spin > 0);
    assert.ok(main > 0, `main thread CPU ${main} s after spinning`);
    assert.ok(main <= (cpu.user + cpu.system) / 1e6 + 0.02, 'within the process total');
  },
);

postgresTests('bench CPU sampler', (url) => {
  test('overlapping samples never send a query while the client is executing one', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const sampler = await CpuSampler.open(url);
      sampler.watch(process.pid);
      // The bench samples on a timer, when a worker reports `done`, and on stop: they may overlap.
      await Promise.all([sampler.sample(), sampler.sample(), sampler.sample(), sampler.sample()]);
      const use = await Promise.all([sampler.sample(), sampler.stop()]).then(([, u]) => u);
      assert.ok(use.node >= 0 && use.backends >= 0 && use.server >= 0);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      const queued = warnings.filter((w) => w.message.includes('already executing a query'));
      assert.deepEqual(
        queued.map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
