/**
 * Preloaded into the soak's server (`node --expose-gc --import heap-probe.js`): on SIGUSR2 it runs a
 * full garbage collection and writes `process.memoryUsage()` as one JSON line to the file named by
 * SOAK_HEAP_FILE, so the soak can tell retained memory (heapUsed after GC) from V8 heap sizing (RSS).
 */
import { writeFileSync } from 'node:fs';

const file = process.env.SOAK_HEAP_FILE;
const gc = (globalThis as { gc?: () => void }).gc;
if (file && gc) {
  let seq = 0;
  process.on('SIGUSR2', () => {
    gc();
    seq += 1;
    writeFileSync(file, `${JSON.stringify({ seq, ...process.memoryUsage() })}\n`);
  });
}
