import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CpuSampler } from './bench-cpu.js';
import { postgresTests } from './testing/pg-suite.js';

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
