#!/usr/bin/env -S node --max-semi-space-size=64
// The young generation holds a batch's short-lived objects: 64 MB semi-spaces halve what the collector
// copies and promotes while `serve` and `demo` prepare batches (docs/operations.md "Node settings").
// `ingest` streams files of any size; V8 grows its heap lazily far past what one batch needs, so the
// command runs in a child with a heap cap sized to the batch (memory stays flat; docs/performance.md).
const args = process.argv.slice(2);
if (args[0] === 'ingest' && !process.env.PARCELGATE_HEAP_CAPPED) {
  const { spawnSync } = await import('node:child_process');
  const at = args.indexOf('--batch');
  const batch = at >= 0 ? Number(args[at + 1]) || 2000 : 2000;
  const heapMb = Math.max(192, Math.ceil(96 + batch * 0.06));
  const child = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, process.argv[1], ...args], {
    stdio: 'inherit',
    env: { ...process.env, PARCELGATE_HEAP_CAPPED: '1' },
  });
  process.exit(child.status ?? 1);
}
const { main } = await import('../dist/src/cli/main.js');
await main();
