/**
 * Child process for the multi-process test and benchmark: submits batches of a generated flood through
 * the real pipeline into PostgreSQL, printing `ack <consignment ids>` after each batch commits and
 * `done <records> <ms> <cpu µs>` at the end (wall time and CPU of the submitting phase).
 *
 * Usage: node flood-worker.js <url> <schema> <seed> <count> <worker> <workers> <batchSize> <overlap|split>
 * - overlap: every worker submits every record in batches of `batchSize`, worker w's boundaries shifted
 *   by w/workers of a batch, so the workers' batches overlap partly and identical records race;
 * - split: worker w submits chunk j (of `batchSize` records) when j is w modulo workers (disjoint shares).
 */
import { loadSnapshot, submitBatch } from '../../../clearance/index.js';
import { generateFlood } from '../../../sim/index.js';
import { openPostgresStore } from '../postgres-store.js';

/** Which chunks of the flood a worker submits. */
export type FloodShare = 'overlap' | 'split';

/** The batches (as [start, end) record ranges) `worker` of `workers` submits, in order. */
export function workerBatches(
  total: number,
  batchSize: number,
  worker: number,
  workers: number,
  share: FloodShare,
): [number, number][] {
  const out: [number, number][] = [];
  if (share === 'overlap') {
    const shift = Math.floor((batchSize * worker) / workers);
    if (shift > 0) out.push([0, Math.min(total, shift)]);
    for (let start = shift; start < total; start += batchSize)
      out.push([start, Math.min(total, start + batchSize)]);
    return out;
  }
  for (let chunk = workers > 0 ? worker : 0; chunk * batchSize < total; chunk += workers) {
    out.push([chunk * batchSize, Math.min(total, (chunk + 1) * batchSize)]);
  }
  return out;
}

/**
 * The flood's record inputs, deterministic for a seed, count and day (today's, UTC, by default: the
 * records are submitted with the real clock, so their expected arrival is not before their lodging).
 */
export function floodInputs(
  seed: string,
  count: number,
  day = new Date().toISOString().slice(0, 10),
): unknown[] {
  const out: unknown[] = [];
  for (const r of generateFlood({ seed, count, day })) out.push(r.input);
  return out;
}

async function main(args: string[]): Promise<void> {
  const [url, schema, seed, count, worker, workers, batchSize, share] = args;
  if (share !== 'overlap' && share !== 'split') {
    process.stderr.write(
      'usage: flood-worker <url> <schema> <seed> <count> <worker> <workers> <batch> <share>\n',
    );
    process.exit(2);
  }
  const w = Number(worker);
  const n = Number(workers);
  const size = Number(batchSize);
  const inputs = floodInputs(seed ?? 'flood', Number(count));
  const snapshot = loadSnapshot();
  const store = await openPostgresStore({ url: url ?? '', schema: schema ?? 'public', poolSize: 2 });
  const deps = { store, snapshot: () => snapshot };
  process.stdout.write('ready\n');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let sent = 0;
  for (const [start, end] of workerBatches(inputs.length, size, w, n, share)) {
    const records = inputs.slice(start, end);
    const ctx = { actor: `worker-${w}`, submitterId: 'opr_flood', now: new Date().toISOString() };
    const results = await submitBatch(ctx, records, deps);
    sent += records.length;
    const ids = results.flatMap((r) =>
      r.consignmentId !== undefined && r.status !== 'rejected' ? [r.consignmentId] : [],
    );
    process.stdout.write(`ack ${ids.join(',')}\n`);
  }
  const ms = Math.round(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  await store.close();
  // Records, wall ms and CPU µs (all threads) of the submitting phase only (not the flood's generation).
  process.stdout.write(`done ${sent} ${ms} ${cpu.user + cpu.system}\n`);
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
