#!/usr/bin/env -S node --max-semi-space-size=64
// The young generation holds a batch's short-lived objects: 64 MB semi-spaces halve what the collector
// copies and promotes while `serve` and `demo` prepare batches (docs/operations.md "Node settings").
// `ingest` streams files of any size; V8 grows its heap lazily far past what one batch needs, so the
// command runs in a child with a heap cap sized to the batch (memory stays flat; docs/performance.md).
const args = process.argv.slice(2);
if (args[0] === 'ingest' && !process.env.PARCELGATE_HEAP_CAPPED) {
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const at = args.indexOf('--batch');
  const batch = at >= 0 ? Number(args[at + 1]) || 2000 : 2000;
  const heapMb = Math.max(192, Math.ceil(96 + batch * 0.06));
  // The child runs in its own process group, so a signal (Ctrl-C, `kill`, a service manager) reaches it
  // once, through this process: the first stops the ingest after the batch in hand, a second ends it.
  const fromStdin = args.slice(1).includes('-');
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, process.argv[1], ...args], {
    stdio: [fromStdin ? 'pipe' : 'inherit', 'inherit', 'inherit'],
    env: { ...process.env, PARCELGATE_HEAP_CAPPED: '1' },
    detached: true,
  });
  if (fromStdin) {
    // The child stops reading once it is signalled: input still arriving then is dropped, not an error.
    child.stdin.on('error', () => {});
    process.stdin.pipe(child.stdin);
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const [code, signal] = await new Promise((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
}
const { main } = await import('../dist/src/cli/main.js');
await main();
