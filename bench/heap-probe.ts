/**
 * Preloaded into the soak's server (`node --expose-gc --import heap-probe.js`): on SIGUSR2 it runs a
 * full garbage collection and writes `process.memoryUsage()` as one JSON line to the file named by
 * SOAK_HEAP_FILE, so the soak can tell retained memory (heapUsed after GC) from V8 heap sizing (RSS).
 *
 * With SOAK_HEAP_SNAPSHOT_DIR set it also writes a V8 heap snapshot there on each probe
 * (`heap-<n>.heapsnapshot`, n counting from 1; with SOAK_HEAP_SNAPSHOT_AT=3,8 only on those probes):
 * two snapshots minutes apart show what the server keeps (`node dist/bench/heap-diff.js A B`). Writing
 * one stops the server for a few seconds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

const file = process.env.SOAK_HEAP_FILE;
const snapshots = process.env.SOAK_HEAP_SNAPSHOT_DIR;
const at = (process.env.SOAK_HEAP_SNAPSHOT_AT ?? '').split(',').filter(Boolean).map(Number);
const gc = (globalThis as { gc?: () => void }).gc;
if (file && gc) {
  let seq = 0;
  process.on('SIGUSR2', () => {
    gc();
    seq += 1;
    writeFileSync(file, `${JSON.stringify({ seq, ...process.memoryUsage() })}\n`);
    if (snapshots && (at.length === 0 || at.includes(seq)))
      writeHeapSnapshot(join(snapshots, `heap-${seq}.heapsnapshot`));
  });
}
